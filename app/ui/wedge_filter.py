"""USB keyboard-wedge scanners: an application-wide event filter that takes a scanner's burst of
keystrokes out of whatever field has focus and turns it into one scan.

The timing rule is `drivers.wedge.WedgeClassifier` (pure, tested without Qt). This filter feeds
it every printable key press, swallows the keys it holds, gives typing back to the widget that
had focus (in order, at most a few tens of milliseconds late) and emits `scanned` with the
burst's text. The clock is injectable because key events made by tests carry no timestamp.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from app.ui.qt import QApplication, QEvent, QKeyEvent, QObject, Qt, QTimer, Signal
from drivers.wedge import WedgeAction, WedgeClassifier, WedgeDecision

log = logging.getLogger("packline.devices.wedge")

_SUFFIX_KEYS = {"\r": (Qt.Key.Key_Return, "\r"), "\n": (Qt.Key.Key_Enter, "\r"),
                "\t": (Qt.Key.Key_Tab, "\t")}


class WedgeFilter(QObject):
    """Install once with `install()`; remove with `remove()`. `enabled` may be switched off
    (the Devices screen does that while IT types a device URL)."""

    scanned = Signal(str)

    def __init__(self, classifier: WedgeClassifier | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.classifier = classifier or WedgeClassifier()
        self.clock = clock
        self.enabled = True
        self._replaying = False
        self._target: QObject | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._tick)

    def install(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def remove(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._timer.stop()

    # ---- the filter

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if self._replaying or not self.enabled or event.type() != QEvent.Type.KeyPress:
            return False
        if not isinstance(event, QKeyEvent) or not watched.isWidgetType():
            return False
        char = self._char(event)
        if char is None:
            # A shortcut, an arrow, a function key: whatever was held was typing.
            self._apply(self.classifier.release_all())
            return False
        self._target = watched
        decision = self.classifier.key(char, self.clock())
        self._apply(decision)
        if self.classifier.held:
            self._timer.start()
        return True  # the key is either held, replayed in order, or part of a scan

    def _char(self, event: QKeyEvent) -> str | None:
        mods = event.modifiers() & ~(Qt.KeyboardModifier.ShiftModifier
                                     | Qt.KeyboardModifier.KeypadModifier)
        if mods != Qt.KeyboardModifier.NoModifier:
            return None
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return "\r"
        if event.key() == Qt.Key.Key_Tab:
            return "\t"
        text = event.text()
        if len(text) == 1 and text.isprintable():
            return text
        return None

    def _tick(self) -> None:
        self._apply(self.classifier.tick(self.clock()))
        if not self.classifier.held:
            self._timer.stop()

    def _apply(self, decision: WedgeDecision) -> None:
        if decision.release:
            self._replay(decision.release)
        if decision.action is WedgeAction.SCAN and decision.scan is not None:
            log.debug("wedge scan: %r", decision.scan)
            self.scanned.emit(decision.scan)

    def _replay(self, chars: str) -> None:
        """Give typed keys back to the widget that has focus now (or had it)."""
        target = QApplication.focusWidget() or self._target
        if target is None:
            return
        self._replaying = True
        try:
            for ch in chars:
                key, text = _SUFFIX_KEYS.get(ch, (_key_of(ch), ch))
                QApplication.sendEvent(target, QKeyEvent(
                    QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, text))
        finally:
            self._replaying = False


def _key_of(ch: str) -> Qt.Key:
    upper = ch.upper()
    if len(upper) == 1 and ("A" <= upper <= "Z" or "0" <= upper <= "9"):
        return Qt.Key(ord(upper))
    return Qt.Key.Key_unknown
