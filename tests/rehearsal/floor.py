"""The processes of the rehearsal's floor, started and kept running as a service manager would
(a process that dies is started again and the run counts it), and the peers they talk to on
127.0.0.1: a fake 9100 printer per packing station and a proxy per station between it and the
central database."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from tests.helpers.cli import REPO, packline_env
from tests.rehearsal.metrics import Collector, read_reports


@dataclass
class Proc:
    """One process of the floor: its command, its environment, and whether it is kept
    running (started again when it dies) until the run stops it."""

    name: str
    argv: list[str]
    env: dict[str, str]
    log: Path
    reports: bool = False  # its standard output is figures for the collector
    keep: bool = True
    popen: subprocess.Popen[str] | None = None
    starts: int = 0
    exits: list[int] = field(default_factory=list)
    stopping: bool = False
    # Said to the conductor when it exits on its own (its code): a restart follows if `keep`.
    on_exit: Callable[[Proc, int], None] | None = None
    _log: IO[str] | None = None

    @property
    def pid(self) -> int | None:
        return self.popen.pid if self.popen is not None else None

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def start(self, collector: Collector) -> None:
        if self._log is None:
            self.log.parent.mkdir(parents=True, exist_ok=True)
            self._log = self.log.open("a", encoding="utf-8")
        self._log.write(f"--- start {self.starts + 1} at {time.strftime('%H:%M:%S')}\n")
        self._log.flush()
        self.popen = subprocess.Popen(
            self.argv, cwd=REPO, env=self.env, text=True, encoding="utf-8",
            stdin=subprocess.PIPE, stdout=subprocess.PIPE if self.reports else self._log,
            stderr=self._log, start_new_session=True)
        self.starts += 1
        if self.reports:
            assert self.popen.stdout is not None
            threading.Thread(target=read_reports, args=(self.popen.stdout, collector),
                             name=f"reports {self.name}", daemon=True).start()

    def tell(self, order: dict[str, Any]) -> bool:
        """A line on its standard input; False when it cannot hear it."""
        if not self.alive():
            return False
        assert self.popen is not None and self.popen.stdin is not None
        try:
            self.popen.stdin.write(json.dumps(order) + "\n")
            self.popen.stdin.flush()
            return True
        except (OSError, ValueError):
            return False

    def kill(self) -> None:
        if self.alive():
            assert self.popen is not None
            os.kill(self.popen.pid, signal.SIGKILL)
            self.popen.wait(30)

    def terminate(self, wait: float = 60.0) -> int | None:
        if self.popen is None:
            return None
        self.stopping = True
        if self.popen.poll() is None:
            self.popen.terminate()
        try:
            return self.popen.wait(wait)
        except subprocess.TimeoutExpired:
            self.kill()
            return self.popen.returncode

    def wait(self, timeout: float) -> int | None:
        if self.popen is None:
            return None
        try:
            return self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def close(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None


class Floor:
    """Every process of the run; `watch()` (called every second) starts again those that
    died, unless they are being stopped."""

    def __init__(self, collector: Collector) -> None:
        self.collector = collector
        self.procs: dict[str, Proc] = {}
        self.lock = threading.Lock()

    def add(self, proc: Proc, start: bool = True) -> Proc:
        self.procs[proc.name] = proc
        if start:
            proc.start(self.collector)
        return proc

    def watch(self) -> None:
        with self.lock:
            for proc in list(self.procs.values()):
                if proc.popen is None or proc.stopping:
                    continue
                code = proc.popen.poll()
                if code is None:
                    continue
                proc.exits.append(code)
                if proc.on_exit is not None:
                    proc.on_exit(proc, code)
                if proc.keep and not proc.stopping:
                    self.collector.error(f"process.exited.{_role(proc.name)}.{code}")
                    proc.start(self.collector)

    def restart_after_kill(self, proc: Proc) -> None:
        """A process killed on purpose: started again at once (its exit is not an error)."""
        with self.lock:
            proc.kill()
            if proc.popen is not None:
                proc.exits.append(proc.popen.returncode)
            proc.start(self.collector)

    def stop_all(self) -> None:
        for proc in self.procs.values():
            proc.stopping = True
            proc.terminate(30)
            proc.close()


def _role(name: str) -> str:
    return name.rstrip("0123456789-").split("-")[0] or name


def python(*args: str) -> list[str]:
    return [sys.executable, *args]


def env_for(home: Path, central_url: str, user: str, password: str,
            extra: dict[str, str] | None = None) -> dict[str, str]:
    """A floor process's environment: its station folder, the central database, its person;
    warnings are not errors (processes are killed on purpose)."""
    return packline_env(home, central_url=central_url, warnings_are_errors=False,
                        env={"PACKLINE_USER": user, "PACKLINE_PASSWORD": password,
                             "PYTHONWARNINGS": "ignore", **(extra or {})})


def write_settings(home: Path, text: str) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    (home / "station.ini").write_text(text, encoding="utf-8")
    return home


def run_cli(argv: list[str], env: dict[str, str], log: Path, timeout: float = 300
            ) -> tuple[int, str, float]:
    """A `packline` command run to its end: (exit code, standard output, seconds)."""
    started = time.perf_counter()
    with log.open("a", encoding="utf-8") as err:
        try:
            done = subprocess.run(argv, cwd=REPO, env=env, text=True, encoding="utf-8",
                                  stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=err, timeout=timeout)
        except subprocess.TimeoutExpired:
            return -1, "", time.perf_counter() - started
    return done.returncode, done.stdout, time.perf_counter() - started


@contextlib.contextmanager
def suppressed() -> Any:
    with contextlib.suppress(Exception):
        yield
