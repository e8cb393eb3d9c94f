"""The station's sync in a process of its own, started and stopped with the app: the desktop's
side of `packline sync serve` (`app.station.sync_service`, which says what the two tell each
other). The GUI thread only starts the process, writes it a line now and then and reads its
lines as Qt hands them over; it never waits for it while the app runs.

The same interface as the sync on a thread (`app.ui.app.OutboxPusher`): `start`, `stop`,
`push` (a round now), `rounds`, `on_status(online, outbox.SyncState)` after every round (the
outbox's state read off the GUI thread) and `on_refused(SchemaRefused)` when the central
schema is not one this build works with (the process then stays stopped).

A sync process that ends without being asked to (killed, crashed) is started again after 1, 2,
4, 8, then every 10 seconds, and said in the log; nothing is lost meanwhile (the events wait in
the station store's outbox). One that stops answering is not waited for: the app closes its
input when it quits, and ends it if it is still there a few seconds later.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from typing import Any

from app.station import sync_service
from app.ui.qt import QObject, QProcess, QTimer, is_alive

log = logging.getLogger("packline.ui.sync")
ENDS_WITHIN_MS = 5000  # after its input is closed: then it is terminated, then killed


class SyncProcess:
    BACKOFF_S = sync_service.BACKOFF_S

    def __init__(self, runtime: Any, owner: QObject, *, options: Sequence[str] = (),
                 every_ms: int = 5000, on_status: Any = None,
                 on_refused: Callable[[Any], None] | None = None,
                 program: tuple[str, list[str]] | None = None) -> None:
        self.runtime = runtime
        self.owner = owner
        self.every_ms = every_ms
        self.program = program or sync_service.command(options, every_s=every_ms / 1000)
        self.on_status = on_status  # (online, outbox.SyncState) after each round
        self.on_refused = on_refused
        self.running = False
        self.rounds = 0  # rounds the process reported
        self.starts = 0  # processes started (more than one: it was started again)
        self.failures = 0  # processes in a row that ended without a round
        self.process: QProcess | None = None  # the one running the rounds
        self.ending: list[QProcess] = []  # stopped, their round under way still finishing
        self._buffer = b""
        self._restart = QTimer(owner)
        self._restart.setSingleShot(True)
        self._restart.timeout.connect(self._spawn)
        # The owner gone (a window closed without `close`): its processes go with it, and
        # none is started again.
        owner.destroyed.connect(self._owner_gone)

    def _owner_gone(self, *_args: Any) -> None:
        self.running = False
        self.process = None
        self.ending.clear()

    @property
    def pid(self) -> int | None:
        p = self.process
        return int(p.processId()) or None if p is not None else None

    @property
    def alive(self) -> bool:
        p = self.process
        return p is not None and p.state() != QProcess.ProcessState.NotRunning

    def start(self) -> None:
        if self.running:
            return
        self.running = True
        self._spawn()

    def _spawn(self) -> None:
        if not self.running or self.alive:
            return
        if self.process is not None:
            self.process.deleteLater()
        program, arguments = self.program
        p = QProcess(self.owner)
        # Its warnings go where the app's go; its answers come on standard output.
        p.setProcessChannelMode(QProcess.ProcessChannelMode.ForwardedErrorChannel)
        p.readyReadStandardOutput.connect(lambda p=p: self._read(p))
        p.finished.connect(lambda code, status, p=p: self._ended(p, code, status))
        p.errorOccurred.connect(lambda error, p=p: self._error(p, error))
        self.process, self._buffer = p, b""
        self.starts += 1
        p.start(program, arguments)
        self._tell_printers()
        log.info("sync process started: %s", " ".join([program, *arguments]))

    def stop(self) -> None:
        """No more rounds: the process's input is closed (it ends after the round under way)
        and it is ended if it is still there `ENDS_WITHIN_MS` later. Never waits."""
        self.running = False
        if is_alive(self._restart):
            self._restart.stop()
        p, self.process = self.process, None
        if p is None:
            return
        if p.state() == QProcess.ProcessState.NotRunning:
            p.deleteLater()
            return
        self.ending.append(p)
        p.closeWriteChannel()
        QTimer.singleShot(ENDS_WITHIN_MS, p, p.terminate)
        QTimer.singleShot(2 * ENDS_WITHIN_MS, p, p.kill)

    def close(self, wait_ms: int = ENDS_WITHIN_MS) -> None:
        """`stop`, then wait for the processes to end (at most `wait_ms`, then they are
        killed): for when the app quits, its window gone, and for tests."""
        self.stop()
        for p in list(self.ending):
            if p.state() != QProcess.ProcessState.NotRunning and not p.waitForFinished(wait_ms):
                p.kill()
                p.waitForFinished(1000)

    def push(self) -> None:
        """A round now (or right after the one under way)."""
        self._write({"now": True})

    # ---- what the process says

    def _write(self, what: dict[str, Any]) -> None:
        p = self.process
        if p is not None and p.state() == QProcess.ProcessState.Running:
            p.write((json.dumps(what, ensure_ascii=False) + "\n").encode("utf-8"))

    def _tell_printers(self) -> None:
        """The print queue's view of its printers, for the sync's reports to the centre."""
        health = getattr(getattr(self.runtime, "spooler", None), "health", {})
        self._write({"printers": {name: h.status for name, h in health.items()}})

    def _read(self, p: QProcess) -> None:
        if not is_alive(p) or p is not self.process:
            return  # a stopped one's last words: its rounds are over
        self._buffer += bytes(p.readAllStandardOutput().data())
        *lines, self._buffer = self._buffer.split(b"\n")
        for line in lines:
            try:
                said = json.loads(line)
            except ValueError:
                log.debug("sync process said: %.200r", line)
                continue
            if isinstance(said, dict):
                self._heard(said)

    def _heard(self, said: dict[str, Any]) -> None:
        if "refused" in said:
            self._refused(said)
            return
        if "round" not in said:
            return
        self.rounds += 1
        self.failures = 0
        online = bool(said.get("online"))
        link = getattr(self.runtime, "link", None)
        if link is not None and not said.get("fault"):
            link.heard(online, str(said.get("error") or ""))
        self._tell_printers()
        if self.on_status is not None:
            from app.station import outbox
            from app.ui.tasks import Task

            on_status = self.on_status
            Task(outbox.state, self.runtime.store).owned_by(self.owner).success(
                lambda state: on_status(online, state)).failure(
                lambda exc: log.warning("outbox state not read: %s", exc)).start()

    def _refused(self, said: dict[str, Any]) -> None:
        refused = sync_service.refusal_from(said)
        log.error("sync stopped: %s", refused)
        self.running = False
        if is_alive(self._restart):
            self._restart.stop()
        if self.on_refused is not None:
            self.on_refused(refused)

    def _ended(self, p: QProcess, code: int, status: QProcess.ExitStatus) -> None:
        if p is not self.process:  # stopped: it ended as asked
            if p in self.ending:
                self.ending.remove(p)
            if is_alive(p):
                p.deleteLater()
            return
        if not self.running:
            return
        if code == sync_service.REFUSED_EXIT and status == QProcess.ExitStatus.NormalExit:
            return  # refused: said by its line (`_refused`)
        self._again(f"ended (exit code {code}"
                    f"{', crashed' if status == QProcess.ExitStatus.CrashExit else ''})")

    def _error(self, p: QProcess, error: QProcess.ProcessError) -> None:
        if p is self.process and self.running \
                and error == QProcess.ProcessError.FailedToStart:
            self._again(f"could not start ({p.errorString()})")

    def _again(self, what: str) -> None:
        self.failures += 1
        delay = self.BACKOFF_S[min(self.failures, len(self.BACKOFF_S)) - 1]
        log.error("sync process %s: started again in %g s (the station's events wait in its "
                  "outbox)", what, delay)
        if is_alive(self._restart):
            self._restart.start(int(delay * 1000))
