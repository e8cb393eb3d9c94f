"""Screens follow changes by themselves: the Qt side of `app.services.changes`.

A service's commit announces what kinds of things it changed, from whichever thread committed
(a screen's Task, the embedded engine, the watcher that notices other processes' writes). The
hub, living on the GUI thread, hears those announcements, gathers a burst of them for a
moment (the engine commits hundreds of batches a minute) and emits one `changed` signal with
every kind that moved. A screen says which kinds it shows and what reloads it:

    follow(self, {Change.EXCEPTIONS}, self.reload)

and reloads (its reload runs off the GUI thread) when one of them changed — at once if it is
on screen, else the next time it is shown.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable

from app.services import changes
from app.services.changes import Change
from app.ui.qt import QEvent, QObject, QTimer, QWidget, Signal, Slot, is_alive

log = logging.getLogger("packline.ui.changes")

COALESCE_MS = 250  # a burst of commits reaches the screens as one signal
MIN_INTERVAL_MS = 1000  # a screen reloads at most this often while changes keep coming


class ChangeHub(QObject):
    """Create on the GUI thread; `changed` is emitted there, whatever thread committed."""

    changed = Signal(object)  # frozenset[Change]
    _wake = Signal()

    def __init__(self, coalesce_ms: int = COALESCE_MS) -> None:
        super().__init__()
        self._pending: set[Change] = set()
        self._lock = threading.Lock()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(coalesce_ms)
        self._timer.timeout.connect(self._flush)
        # Emitted from any thread, received by this GUI-thread object: Qt queues the call.
        self._wake.connect(self._woken)
        self._unsubscribe: Callable[[], None] | None = changes.subscribe(self.heard)

    def heard(self, kinds: frozenset[Change]) -> None:
        """Called by `app.services.changes` on the committing thread: only the first
        announcement of a burst crosses to the GUI thread; the others join it here."""
        with self._lock:
            first = not self._pending
            self._pending.update(kinds)
        if first:
            self._wake.emit()

    @Slot()
    def _woken(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    @Slot()
    def _flush(self) -> None:
        with self._lock:
            kinds = frozenset(self._pending)
            self._pending.clear()
        if kinds:
            self.changed.emit(kinds)

    def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self._timer.stop()


_hub: ChangeHub | None = None


def hub() -> ChangeHub:
    """The application's hub (made on first use, which must be on the GUI thread)."""
    global _hub
    if _hub is None or not is_alive(_hub):
        _hub = ChangeHub()
    return _hub


def close_hub() -> None:
    global _hub
    if _hub is not None and is_alive(_hub):
        _hub.close()
    _hub = None


class Follower(QObject):
    """Reloads one screen when a kind it shows changed: at once when the screen is visible,
    else when it is shown next; never more often than every `min_interval_ms` (a change that
    comes sooner is kept for the end of the interval)."""

    def __init__(self, screen: QWidget, kinds: Iterable[Change], reload: Callable[[], None],
                 min_interval_ms: int = MIN_INTERVAL_MS) -> None:
        super().__init__(screen)
        self.screen = screen
        self.kinds = frozenset(kinds)
        self.reload = reload
        self.stale = False
        self.reloads = 0
        self._last = 0.0
        self._min_interval = min_interval_ms / 1000
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.timeout.connect(self._due)
        hub().changed.connect(self._changed)
        screen.installEventFilter(self)

    @Slot(object)
    def _changed(self, kinds: frozenset[Change]) -> None:
        if kinds & self.kinds:
            self.stale = True
            self._due()

    def _due(self) -> None:
        if not self.stale or not is_alive(self.screen) or not self.screen.isVisible():
            return  # hidden: reloaded when shown
        wait = self._last + self._min_interval - time.monotonic()
        if wait > 0:
            if not self._later.isActive():
                self._later.start(int(wait * 1000) + 1)
            return
        self.stale = False
        self._last = time.monotonic()
        self.reloads += 1
        try:
            self.reload()
        except Exception:  # a screen that cannot reload now must not break the others
            log.exception("reloading %s failed", self.screen.objectName())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.screen and event.type() == QEvent.Type.Show and self.stale:
            # After the show has finished: the screen's own show handling comes first.
            QTimer.singleShot(0, self, self._due)
        return False


def follow(screen: QWidget, kinds: Iterable[Change], reload: Callable[[], None],
           min_interval_ms: int = MIN_INTERVAL_MS) -> Follower:
    """Make `screen` call `reload` (which must do its work in a Task) when `kinds` change."""
    return Follower(screen, kinds, reload, min_interval_ms)
