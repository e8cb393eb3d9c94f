"""One app per station. Two copies of the app on one station would fight over the scanner's
serial port, the printers and the station's store, so `packline run` takes a lock file in the
station's data folder (the folder of station.db) before it opens any of them. A second start
finds the lock held: it asks the running app to bring its window forward (a local socket
named after the folder), says so in the log and on stderr, and exits 0 — a person who
double-clicks the icon again gets the window they already had. When nobody answers (the app
runs under another Windows account, whose socket this one cannot reach, or is still starting)
the person is told so in a message box before this start ends: packline.exe has no console,
so a line on stderr alone would leave a double-click doing nothing visible.

The lock is Qt's `QLockFile`: it holds the process id, and a lock left by a process that is
gone (killed, crashed, the power cut) is taken over by the next start. It is never judged
stale by age (`setStaleLockTime(0)`): a station runs for days.

Commands IT runs beside the app (`packline sync status`, `packline doctor`, …) take no lock.

Bringing a window forward is up to the window system: Packline restores it when minimized,
maps it again when it was unmapped, raises it and asks for the focus; a window manager that
prevents focus stealing may only mark it as wanting attention. On Windows the second start
first allows the running one to take the foreground (AllowSetForegroundWindow).
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

from app.config import Config
from app.secure_files import POSIX, PRIVATE_FILE, private_dir
from app.ui.qt import QLocalServer, QLocalSocket, QLockFile, QObject, Qt, QWidget, is_alive

log = logging.getLogger("packline.ui.instance")

LOCK_NAME = "packline-run.lock"
RAISE = b"raise\n"
RAISED = b"raised\n"
ANSWER_MS = 3000


def data_folder(cfg: Config) -> Path:
    """The folder the lock guards: the one holding the station's store."""
    return cfg.paths.station_db.parent


def server_name(folder: Path) -> str:
    """The local socket of the app running for `folder` (a path of any length, any
    characters, becomes a short name both copies compute alike)."""
    digest = hashlib.sha256(str(folder.resolve()).encode("utf-8")).hexdigest()[:24]
    return f"packline-{digest}"


def bring_forward(window: QWidget) -> None:
    """Show `window` to the person: out of the taskbar, mapped, on top, with the focus."""
    state = window.windowState()
    if state & Qt.WindowState.WindowMinimized:
        window.setWindowState(state & ~Qt.WindowState.WindowMinimized)
    handle = window.windowHandle()
    if window.isVisible() and handle is not None and not handle.isExposed():
        # Unmapped behind Qt's back (iconified by a window manager whose state Qt did not
        # read): shown again from scratch.
        window.hide()
    window.show()
    window.raise_()
    window.activateWindow()


class StationLock(QObject):
    """The lock of one station's data folder, and, once the window is up, the socket a
    second start knocks at."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self.path = folder / LOCK_NAME
        self.name = server_name(folder)
        self.lock = QLockFile(str(self.path))
        self.lock.setStaleLockTime(0)  # stale only when its process is gone
        self.server: QLocalServer | None = None
        self.window: QWidget | None = None
        self.raised = 0  # times a second start brought the window forward

    def acquire(self) -> bool:
        """True when this process now holds the station; False when a running app does.
        Raises OSError when the lock cannot be made at all (a folder it may not write)."""
        if self.lock.tryLock(0):
            if POSIX:
                os.chmod(self.path, PRIVATE_FILE)
            return True
        if self.lock.error() == QLockFile.LockError.LockFailedError:
            return False
        raise PermissionError(f"cannot create the lock file {self.path} "
                              f"({self.lock.error().name})")

    def holder(self) -> int | None:
        """The process id of the app holding the lock (None when it cannot be read)."""
        found = self.lock.getLockInfo()
        if isinstance(found, tuple) and found and found[0]:
            return int(found[0])
        return None

    def knock(self, pid: int | None) -> bool:
        """From a second start: ask the running app to bring its window forward. True when
        it said it did."""
        if sys.platform == "win32" and pid:
            import ctypes

            # The process the person just started may give the foreground away; the
            # running one may not take it by itself.
            ctypes.windll.user32.AllowSetForegroundWindow(pid)  # type: ignore[attr-defined]
        sock = QLocalSocket()
        sock.connectToServer(self.name)
        if not sock.waitForConnected(ANSWER_MS):
            return False
        try:
            sock.write(RAISE)
            if not sock.waitForBytesWritten(ANSWER_MS):
                return False
            answer = b""
            while not answer.endswith(b"\n") and sock.waitForReadyRead(ANSWER_MS):
                answer += bytes(sock.readAll().data())
            return answer == RAISED
        finally:
            sock.abort()

    def serve(self, window: QWidget) -> bool:
        """In the running app: bring `window` forward whenever a second start knocks."""
        self.window = window
        server = self.server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            # A socket file left by an app that was killed: ours to replace, as we hold the
            # lock.
            QLocalServer.removeServer(self.name)
            if not server.listen(self.name):
                log.warning("a second start cannot reach this app (%s): %s", self.name,
                            server.errorString())
                return False
        server.newConnection.connect(self._knocked)
        return True

    def _knocked(self) -> None:
        assert self.server is not None
        while (conn := self.server.nextPendingConnection()) is not None:
            conn.readyRead.connect(lambda c=conn: self._read(c))
            conn.disconnected.connect(conn.deleteLater)

    def _read(self, conn: QLocalSocket) -> None:
        if not is_alive(conn) or not conn.canReadLine():
            return
        if bytes(conn.readLine().data()) == RAISE and self.window is not None \
                and is_alive(self.window):
            bring_forward(self.window)
            self.raised += 1
            log.info("a second start of Packline on this station: window brought forward")
            conn.write(RAISED)
            conn.flush()

    def release(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        self.lock.unlock()


def hold_station(cfg: Config, unanswered: Callable[[], None] | None = None
                 ) -> StationLock | None:
    """At the app's start, before the store and the devices open: this process's lock of the
    station, or None when the app already runs there (which was asked to come forward; the
    caller exits 0). When the running app did not answer, `unanswered` tells the person. A
    folder where no lock can be made: logged, and the app runs without."""
    folder = data_folder(cfg)
    private_dir(folder)
    lock = StationLock(folder)
    try:
        if lock.acquire():
            return lock
    except PermissionError as exc:
        log.warning("%s; a second copy of the app would not be stopped", exc)
        return lock
    pid = lock.holder()
    forwarded = lock.knock(pid)
    said = (f"Packline is already running for this station ({folder}"
            + (f", process {pid}" if pid else "") + "): "
            + ("brought its window forward" if forwarded
               else "it did not answer (still starting?); this start ends"))
    log.info("%s", said)
    if sys.stderr is not None:
        print(f"packline: {said}", file=sys.stderr)
    if not forwarded and unanswered is not None:
        unanswered()
    return None
