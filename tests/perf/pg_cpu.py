"""CPU time of processes, read from /proc: the benchmark figure that does not depend on how
busy the machine is. A child's own time comes from `os.wait4`; PostgreSQL's backends for one
database are sampled while they live (their pids from pg_stat_activity), so a backend's last
slice before it exits is the only part that can be missed (at most `every` seconds of it)."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Sequence

import sqlalchemy as sa

TICK = os.sysconf("SC_CLK_TCK")


def proc_cpu(pid: int) -> float | None:
    """User + system CPU seconds of a live process, None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def wait_cpu(procs: Sequence[subprocess.Popen[str]]) -> float:
    """Wait for every process; the CPU seconds they used (their own children included)."""
    total = 0.0
    for p in procs:
        _pid, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        total += usage.ru_utime + usage.ru_stime
    return total


class BackendCpu:
    """The CPU PostgreSQL's backends spent on database `name` while this watched."""

    def __init__(self, admin_url: str, name: str, every: float = 0.05) -> None:
        self.admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        self.name, self.every = name, every
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> BackendCpu:
        self._conn = self.admin.connect()
        self._own = self._conn.execute(sa.text("SELECT pg_backend_pid()")).scalar()
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._conn.close()
        self.admin.dispose()

    def _sample(self) -> None:
        pids = [p for (p,) in self._conn.execute(
            sa.text("SELECT pid FROM pg_stat_activity WHERE datname = :d"), {"d": self.name})
            if p != self._own]
        for pid in pids:
            cpu = proc_cpu(pid)
            if cpu is None:
                continue
            # A backend first seen now started during the watch: all its time counts.
            self.first.setdefault(pid, cpu if not self._thread.is_alive() else 0.0)
            self.last[pid] = cpu

    def _watch(self) -> None:
        while not self._stop.is_set():
            self._sample()
            # Between samples, read the known backends more often than the catalogue.
            until = time.monotonic() + self.every
            while time.monotonic() < until and not self._stop.is_set():
                for pid in list(self.last):
                    cpu = proc_cpu(pid)
                    if cpu is not None:
                        self.last[pid] = cpu
                time.sleep(0.005)

    @property
    def seconds(self) -> float:
        return sum(self.last[p] - self.first.get(p, 0.0) for p in self.last)
