"""The station's sync in a process of its own (`packline sync serve`), started and stopped by
the desktop app (`app.ui.sync_process`): the same rounds as the app ran on a thread beside its
screens (`StationRuntime.sync_round`, with its housekeeping about once a minute), on the same
rhythm (every few seconds; after a round that could not reach the centre 1, 2, 4, 8, then every
10 seconds), checked against the central schema first (`SchemaGate`). In its own process the
sync never holds the interpreter a scan's result is waiting for, and it runs at a lower
priority than the screens: on a busy station the packer's scans go first.

The app and the sync talk in JSON lines:
- app → sync (standard input): `{"now": true}` asks for a round now (one under way is not
  doubled); `{"printers": {name: status}}` is how the app's print queue finds its printers
  (the sync reports them to the centre's dashboard). End of input (the app closed it, or
  ended, however) ends the sync after the round under way.
- sync → app (standard output): `{"round": n, "online": bool, ...}` after every round;
  `{"refused": message, ...}` when the central schema is not one this build works with (the
  sync then ends with `REFUSED_EXIT`: it stays stopped, the events wait in the outbox).

Nothing of the station's work is in this process: its events are in the station store's
outbox until the centre applied them (a sync killed mid-push sends them again; the centre
applies each event once), so the process can be ended or die at any moment and be started
again.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from app.station.runtime import StationRuntime, SyncRound

log = logging.getLogger("packline.sync")

BACKOFF_S = (1.0, 2.0, 4.0, 8.0, 10.0)
HOUSEKEEPING_EVERY = 12  # rounds: about once a minute at the station's 5 s
EVERY_S = 5.0
REFUSED_EXIT = 3  # the central schema refused this build: the app does not start it again


@dataclass(slots=True)
class Rhythm:
    """When the next round comes: every `every_s` while the centre answers; after rounds in a
    row that could not reach it, 1, 2, 4, 8, then every 10 seconds (a station notices within
    seconds that the network is back, without hammering a server coming up again)."""

    every_s: float = EVERY_S
    rounds: int = 0
    failures: int = 0  # rounds in a row that could not reach the central database

    def begin(self) -> bool:
        """A round begins: whether it does the housekeeping (the first, then about once a
        minute)."""
        self.rounds += 1
        return self.rounds % HOUSEKEEPING_EVERY == 1

    def finished(self, online: bool) -> None:
        self.failures = 0 if online else self.failures + 1

    def next_delay_s(self) -> float:
        if self.failures == 0:
            return self.every_s
        return BACKOFF_S[min(self.failures, len(BACKOFF_S)) - 1]


def one_round(runtime: StationRuntime, actor: Any, gate: Any, *,
              housekeeping: bool) -> SyncRound:
    """One round of the station's sync behind the schema gate (`app.services.schema`): nothing
    is sent before the central schema was found to be one this build works with, and it is
    checked again after the centre was out of reach. `SchemaRefused` when it is not."""
    if gate is not None and not gate.ensure():
        return SyncRound(error="central database not reachable")  # offline: nothing sent
    done = runtime.sync_round(actor, housekeeping=housekeeping)
    if gate is not None and not done.online:
        gate.lost()
    return done


def options_for(home: Any, data_from: str, flags: Sequence[str] = ()) -> list[str]:
    """The `packline` options that name the same station as the app's: its folder when it was
    given one (`--home`, PACKLINE_HOME: `Paths.data_from == "home"`; otherwise the machine's
    folders, found the same way), and the settings given on its command line (never secrets:
    the command line refuses them)."""
    return [*(["--home", str(home)] if data_from == "home" else []),
            *(f"--set={flag}" for flag in flags)]


def command(options: Sequence[str], *, every_s: float = EVERY_S) -> tuple[str, list[str]]:
    """The program and arguments that run `packline sync serve` for the station named by
    `options`: this interpreter with the `app` package, or in the frozen build its own
    executable (on Windows the console one, which the app starts without a window)."""
    words = [*options, "sync", "serve", f"--every={every_s:g}"]
    if getattr(sys, "frozen", False):
        exe = Path(sys.executable)
        console = exe.with_name(f"{exe.stem}-console{exe.suffix}")
        program = console if sys.platform == "win32" and console.is_file() else exe
        return str(program), words
    return sys.executable, ["-m", "app", *words]


def refusal_from(said: dict[str, Any]) -> Any:
    """The `SchemaRefused` a `{"refused": ...}` line of the sync process says."""
    from app.services.schema import SchemaRefused
    from app.store.migrate import SchemaState

    state = said.get("state") or {}
    return SchemaRefused(str(said["refused"]), code=str(said.get("code", "")),
                         state=SchemaState(state.get("kind", "unknown"), state.get("database"),
                                           str(state.get("build", ""))),
                         **dict(said.get("params") or {}))


def _first_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def lower_priority() -> None:
    """This process gives way to the station's screens when both want the processor."""
    try:
        if sys.platform == "win32":
            import ctypes

            below_normal = 0x4000
            kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]
            kernel.SetPriorityClass(kernel.GetCurrentProcess(), below_normal)
        else:
            os.nice(10)
    except (OSError, AttributeError):  # a priority is a wish, never a reason to stop
        log.debug("sync process priority not lowered", exc_info=True)


class Service:
    """The loop of `packline sync serve` over `runtime` (its store and link; its printers'
    health comes from the app), reading the app's lines from `commands` and writing its own
    to `answers`."""

    def __init__(self, runtime: StationRuntime, actor: Any, gate: Any, *,
                 commands: IO[str], answers: IO[str], every_s: float = EVERY_S,
                 round_fn: Callable[..., SyncRound] = one_round) -> None:
        self.runtime, self.actor, self.gate = runtime, actor, gate
        self.commands, self.answers = commands, answers
        self.rhythm = Rhythm(every_s)
        self.round_fn = round_fn
        self._wake = threading.Event()
        self._ended = threading.Event()

    def _read(self) -> None:
        """The app's lines, until its end of them."""
        try:
            for line in self.commands:
                try:
                    said = json.loads(line)
                except ValueError:
                    log.warning("sync process: a line it cannot read: %.80r", line)
                    continue
                if not isinstance(said, dict):
                    continue
                if "printers" in said and isinstance(said["printers"], dict):
                    self._printers(said["printers"])
                if said.get("now"):
                    self._wake.set()
        except (OSError, ValueError):  # the pipe broke: as good as closed
            log.debug("sync process: the app's pipe broke", exc_info=True)
        finally:
            self._ended.set()
            self._wake.set()

    def _printers(self, statuses: dict[str, Any]) -> None:
        health = self.runtime.spooler.health  # only read here: nothing prints in this process
        for name, status in statuses.items():
            if name in health and isinstance(status, str):
                health[name].status = status

    def _say(self, what: dict[str, Any]) -> None:
        self.answers.write(json.dumps(what, ensure_ascii=False) + "\n")
        self.answers.flush()

    def run(self) -> int:
        from app.services.schema import SchemaRefused

        threading.Thread(target=self._read, name="packline-sync-input", daemon=True).start()
        while not self._ended.is_set():
            housekeeping = self.rhythm.begin()
            try:
                done = self.round_fn(self.runtime, self.actor, self.gate,
                                     housekeeping=housekeeping)
            except SchemaRefused as refused:
                log.error("sync stopped: %s", refused)
                self._say({"refused": str(refused), "code": refused.code,
                           "state": asdict(refused.state),
                           "params": {k: v for k, v in refused.params.items()
                                      if k not in ("database", "build", "version")}})
                return REFUSED_EXIT
            except Exception as exc:  # noqa: BLE001 - a fault: logged, the next round tries
                log.error("sync round failed", exc_info=True)
                done = SyncRound(error=f"fault: {_first_line(exc)}")
                fault = True
            else:
                fault = False
            self.rhythm.finished(done.online)
            self._say({"round": self.rhythm.rounds, "online": done.online,
                       "pushed": done.pushed, "push_error": done.push_error,
                       "error": done.error, "fault": fault})
            self._wake.wait(self.rhythm.next_delay_s())
            self._wake.clear()
        return 0


def serve(runtime: StationRuntime, actor: Any, gate: Any, *, every_s: float = EVERY_S,
          commands: IO[str] | None = None, answers: IO[str] | None = None) -> int:
    """`packline sync serve`: rounds until the app closes this process's input."""
    lower_priority()
    service = Service(runtime, actor, gate, commands=commands or sys.stdin,
                      answers=answers or sys.stdout, every_s=every_s)
    return service.run()
