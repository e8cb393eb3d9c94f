"""USB keyboard-wedge scanners: an application-wide event filter that takes a scanner's burst of
keystrokes out of whatever field has focus and turns it into one scan.

The timing rule is `drivers.wedge.WedgeClassifier` (pure, tested without Qt). This filter feeds
it every printable key press with the event's own timestamp, swallows the keys it holds, gives
typing back to the widget that had focus (in order, at most a few tens of milliseconds late)
and emits `scanned` with the burst's text. Scanners type capitals with Shift held, the GS1
separator as Ctrl+] and, in "Alt mode", every character as Alt + keypad digits: modifier keys
keep a burst going, Ctrl+] inside a burst is GS, Alt codes are composed here. The clock is
injectable; it times events without a timestamp (made by code) and the hold-back timer.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from app.domain.access import masked
from app.ui.qt import (
    QApplication,
    QEvent,
    QKeyEvent,
    QLineEdit,
    QMenu,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from drivers.wedge import GS, AltCode, WedgeAction, WedgeClassifier, WedgeDecision

log = logging.getLogger("packline.devices.wedge")

_SUFFIX_KEYS = {"\r": (Qt.Key.Key_Return, "\r"), "\n": (Qt.Key.Key_Enter, "\r"),
                "\t": (Qt.Key.Key_Tab, "\t")}
# Keys that type nothing themselves: part of typing a character, never the end of a burst.
_MODIFIER_KEYS = frozenset({
    Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_AltGr, Qt.Key.Key_Meta,
    Qt.Key.Key_CapsLock, Qt.Key.Key_NumLock, Qt.Key.Key_ScrollLock, Qt.Key.Key_Super_L,
    Qt.Key.Key_Super_R, Qt.Key.Key_Hyper_L, Qt.Key.Key_Hyper_R})
_ALT = Qt.KeyboardModifier.AltModifier
_CTRL = Qt.KeyboardModifier.ControlModifier
_KEYPAD = Qt.KeyboardModifier.KeypadModifier


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
        self._alt = AltCode()
        self._composed: tuple[str, float] | None = None  # the last Alt code and when
        self._timer = QTimer(self)
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._tick)
        self._ticked = 0.0
        self._skipped = False
        # Keys whose press was taken here: their release is taken too and sent after the press
        # is given back, or a button would see Space let go before it was pressed.
        self._taken: dict[int, int] = {}

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
        kind = event.type()
        if self._replaying or not self.enabled or kind not in (QEvent.Type.KeyPress,
                                                               QEvent.Type.KeyRelease,
                                                               QEvent.Type.ShortcutOverride):
            return False
        if not isinstance(event, QKeyEvent) or not watched.isWidgetType():
            return False
        if isinstance(QApplication.activePopupWidget(), QMenu) and not self.classifier.held:
            # A menu is open and no scan is coming in: its letters choose its items (Alt+H,
            # then A), and a key held back here would go to the field behind the menu. Any
            # other popup (a drop-down list) still has its scans caught.
            return False
        if isinstance(watched, QLineEdit) and watched.echoMode() != QLineEdit.EchoMode.Normal:
            # A password or PIN, however fast it is typed (a password manager types faster
            # than any scanner), is never a scan: it stays in its masked field and out of
            # the scan path and its log.
            return False
        if kind == QEvent.Type.ShortcutOverride:
            # A shortcut (F8, Ctrl+1, Alt+2) acts before its key press comes here: what was
            # held is typing, and must be in its box before the shortcut reads it.
            if self.classifier.held and self._ends_typing(event):
                self._apply(self.classifier.release_all())
            return False
        now, stamp = self.clock(), _stamp(event)
        key = event.key()
        if kind == QEvent.Type.KeyRelease:
            if key == Qt.Key.Key_Alt:
                composed = self._alt.finish()
                if composed is not None:
                    self._composed = (composed, stamp if stamp is not None else now)
                    return self._feed(watched, composed, now, stamp)
            if key in _MODIFIER_KEYS:
                self.classifier.extend(now, stamp)
                return False
            return self._release_taken(key)
        last_alt, self._composed = self._composed, None
        if key in _MODIFIER_KEYS:
            self.classifier.extend(now, stamp)
            return False
        if last_alt is not None and self._echo(event, last_alt, now, stamp):
            return True
        mods = event.modifiers()
        digit = event.text()
        if (mods & _ALT and mods & _KEYPAD and not mods & _CTRL
                and len(digit) == 1 and "0" <= digit <= "9"):
            self._alt.digit(digit)  # typed when Alt is released
            self.classifier.extend(now, stamp)
            return True
        if self._ends_typing(event):
            # A shortcut, an arrow, a function key (or Ctrl+] outside a scan): whatever was
            # held was typing.
            self._apply(self.classifier.release_all())
            return False
        char = self._char(event)
        assert char is not None
        if not event.isAutoRepeat():
            self._taken[key] = self._taken.get(key, 0) + 1
        return self._feed(watched, char, now, stamp)

    def _ends_typing(self, event: QKeyEvent) -> bool:
        """A key press that is no character (nor a modifier, nor an Alt-code digit)."""
        if event.key() in _MODIFIER_KEYS:
            return False
        mods = event.modifiers()
        digit = event.text()
        if (mods & _ALT and mods & _KEYPAD and not mods & _CTRL
                and len(digit) == 1 and "0" <= digit <= "9"):
            return False
        char = self._char(event)
        return char is None or (char == GS and not self.classifier.held)

    def _release_taken(self, key: int) -> bool:
        count = self._taken.get(key, 0)
        if not count:
            return False
        if count == 1:
            del self._taken[key]
        else:
            self._taken[key] = count - 1
        return True

    @staticmethod
    def _echo(event: QKeyEvent, composed: tuple[str, float], now: float,
              stamp: float | None) -> bool:
        """Windows composes an Alt code itself and sends the character right after the Alt
        release; when the digits came with text too, that character is already typed."""
        char, at = composed
        return (event.text() == char and not event.modifiers() & (_ALT | _CTRL)
                and abs((stamp if stamp is not None else now) - at) <= 0.005)

    def _feed(self, watched: QObject, char: str, now: float, stamp: float | None) -> bool:
        self._target = watched
        decision = self.classifier.key(char, now, stamp)
        self._apply(decision)
        if self.classifier.held and not self._timer.isActive():
            self._ticked, self._skipped = now, False
            self._timer.start()
        return True  # the key is either held, replayed in order, or part of a scan

    def _char(self, event: QKeyEvent) -> str | None:
        text = event.text()
        if text == GS or (event.key() == Qt.Key.Key_BracketRight
                          and event.modifiers() & _CTRL):
            return GS  # Ctrl+]: the GS1 separator
        mods = event.modifiers() & ~(Qt.KeyboardModifier.ShiftModifier | _KEYPAD)
        if mods != Qt.KeyboardModifier.NoModifier:
            return None
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return "\r"
        if event.key() == Qt.Key.Key_Tab:
            return "\t"
        if len(text) == 1 and text.isprintable():
            return text
        return None

    def _tick(self) -> None:
        now = self.clock()
        busy = now - self._ticked > self.classifier.max_gap and not self._skipped
        self._ticked, self._skipped = now, busy
        if busy:
            # The GUI was busy: keys typed meanwhile may still wait in the queue behind this
            # timer. Judge on the next tick, once they have been handled.
            return
        self._apply(self.classifier.tick(now))
        if not self.classifier.held:
            self._timer.stop()

    def _apply(self, decision: WedgeDecision) -> None:
        if decision.release:
            self._replay(decision.release)
        if decision.action is WedgeAction.SCAN and decision.scan is not None:
            log.debug("wedge scan: %r", masked(decision.scan))  # a badge is a secret
            self.scanned.emit(decision.scan)

    def _replay(self, chars: str) -> None:
        """Give typed keys back to the widget that has focus now (or had it)."""
        target = QApplication.focusWidget() or self._target
        if target is None:
            return
        self._replaying = True
        try:
            for ch in chars:
                if ch == GS:
                    event = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_BracketRight, _CTRL, GS)
                    QApplication.sendEvent(target, event)
                    continue
                key, text = _SUFFIX_KEYS.get(ch, (_key_of(ch), ch))
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    QApplication.sendEvent(target, QKeyEvent(
                        kind, key, Qt.KeyboardModifier.NoModifier, text))
        finally:
            self._replaying = False


def _stamp(event: QKeyEvent) -> float | None:
    """The event's own time in seconds (X server or OS milliseconds), None when it has none."""
    ms = event.timestamp()
    return ms / 1000 if ms else None


def _key_of(ch: str) -> Qt.Key:
    # Qt's key codes for printable ASCII are the characters' own (letters as capitals): Space
    # must arrive as Key_Space for a button or a tick box to act on it.
    upper = ch.upper()
    if len(upper) == 1 and " " <= upper <= "~":
        return Qt.Key(ord(upper))
    return Qt.Key.Key_unknown
