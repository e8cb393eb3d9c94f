"""Tell a USB keyboard-wedge scanner from a person at the keyboard by timing alone. Pure: the
Qt event filter in `app/` feeds it each typed character with the key event's timestamp and
does what the decision says; this module never sees Qt.

The rule:
- A scanner types a whole code in one burst, keys a few milliseconds apart, then its suffix
  (Enter by default). A burst is a run of keys each at most `max_interkey_ms` after the one
  before.
- Gaps are measured between the key events' own timestamps (when the key was pressed), not
  when they are handled: keys a person typed while the GUI was busy arrive together but are
  still typing. Only differences between timestamps count; one that goes backwards (the
  32-bit millisecond clock wrapped) is a gap. Without timestamps (0, synthetic events) the
  time of handling is used.
- Keys that type nothing themselves but are part of typing a character (Shift, Caps Lock,
  Ctrl and Alt, the keypad digits of an Alt code) go to `extend()`: they neither end nor give
  back a burst, and keep one going, since a scanner in Alt mode needs six events per character.
- A key that could start a burst is held. Without a prefix that is any key but the suffix and
  GS, held only until the next key or `max_interkey_ms` (`tick`); with a prefix only the
  prefix's first character is held, so other typing passes through with no delay at all.
- The suffix ending a burst of at least `min_length` characters (after the prefix) makes a
  SCAN of the burst, prefix and suffix removed. A suffix up to `timeout_ms` late still counts.
  The GS separator of GS1 codes (ASCII 29) stays in the scan for the barcode parser.
- A burst that ends without its suffix is given back after `timeout_ms` (RELEASE); when the
  scanner sends no suffix (`suffix=None`) a burst of at least `min_length` keys is a SCAN then.
- Anything else is human typing and is given back (RELEASE) in the order typed: a gap longer
  than `max_interkey_ms`, a burst too short, a burst that does not start with the prefix.
  Typing is never swallowed; at worst a key arrives `max_interkey_ms` late.

How to use a decision: the filter always consumes the key it passed in; it re-delivers
`decision.release` (earlier held keys and, when not held, this key) in order, then handles
`decision.scan` if set. Times are seconds: `now` from a monotonic clock when the key is
handled (`tick` uses the same clock), `stamp` is `QKeyEvent.timestamp() / 1000` or None.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

GS = "\x1d"  # GS1 group separator (FNC1 inside a code); wedges type it as Ctrl+] or Alt+0029


class WedgeAction(StrEnum):
    IDLE = "idle"  # tick(): nothing to do
    BUFFER = "buffer"  # the key is held: maybe part of a scan
    SCAN = "scan"  # a complete scan in `scan`
    RELEASE = "release"  # typing: give `release` back to the focused widget


@dataclass(frozen=True)
class WedgeDecision:
    action: WedgeAction
    release: str = ""  # keys to give back now, in typing order, before handling `scan`
    scan: str | None = None


IDLE = WedgeDecision(WedgeAction.IDLE)


class WedgeClassifier:
    def __init__(self, max_interkey_ms: float = 30, min_length: int = 4,
                 prefix: str | None = None, suffix: str | None = "\r",
                 timeout_ms: float = 80, max_length: int = 4096) -> None:
        if max_interkey_ms <= 0 or timeout_ms < max_interkey_ms:
            raise ValueError("max_interkey_ms must be positive and timeout_ms at least as long")
        if min_length < 1 or max_length < min_length:
            raise ValueError("min_length must be at least 1 and not above max_length")
        if suffix is not None and len(suffix) != 1:
            raise ValueError(f"suffix must be one key (such as '\\r' or '\\t') or None, "
                             f"not {suffix!r}")
        if prefix == "":
            prefix = None
        self.max_gap = max_interkey_ms / 1000
        self.timeout = timeout_ms / 1000
        self.min_length = min_length
        self.max_length = max_length
        self.prefix = prefix or ""
        self.suffix = suffix
        self._held = ""
        self._last = 0.0  # when the burst's latest key was handled (monotonic seconds)
        self._last_stamp: float | None = None  # that key's own timestamp, when it had one

    @property
    def held(self) -> str:
        """The keys held back right now."""
        return self._held

    def key(self, char: str, now: float, stamp: float | None = None) -> WedgeDecision:
        """One typed character, handled at `now`, pressed at `stamp` (seconds)."""
        if len(char) != 1:
            raise ValueError(f"key() takes one character, not {char!r}")
        release = ""
        scan: str | None = None
        if self._held:
            gap = self._gap(now, stamp)
            if gap <= self.max_gap or (char == self.suffix and gap <= self.timeout
                                       and self._complete()):
                return self._continue(char, now, stamp)
            # The burst before this key is over.
            ended = self._end_burst()
            release, scan = ended.release, ended.scan
        if self._can_start(char):
            self._held = char
            self._mark(now, stamp)
            action = WedgeAction.SCAN if scan is not None else WedgeAction.BUFFER
            return WedgeDecision(action, release, scan)
        release += char
        if scan is not None:
            return WedgeDecision(WedgeAction.SCAN, release, scan)
        return WedgeDecision(WedgeAction.RELEASE, release)

    def extend(self, now: float, stamp: float | None = None) -> None:
        """A key that types no character itself but is part of typing one (Shift, Caps Lock,
        Ctrl, Alt, an Alt code's keypad digits): keeps a burst going, never ends one."""
        if self._held and self._gap(now, stamp) <= self.max_gap:
            self._mark(now, stamp)

    def tick(self, now: float) -> WedgeDecision:
        """Call on a timer (every 10-20 ms while `held` is not empty): gives back held keys
        once they can no longer be a scan, and ends a suffix-less scan."""
        if not self._held:
            return IDLE
        idle = now - self._last
        if idle <= self.max_gap:
            return IDLE
        if self._complete() and idle <= self.timeout:
            return IDLE  # long enough to be a scan: wait a little for a late suffix
        return self._end_burst()

    def release_all(self) -> WedgeDecision:
        """Give back everything held (focus moved, a non-character key was pressed)."""
        if not self._held:
            return IDLE
        held, self._held = self._held, ""
        return WedgeDecision(WedgeAction.RELEASE, held)

    def _gap(self, now: float, stamp: float | None) -> float:
        if stamp is not None and self._last_stamp is not None:
            gap = stamp - self._last_stamp
            return gap if gap >= 0 else math.inf  # wrapped or went backwards: not one burst
        return now - self._last

    def _mark(self, now: float, stamp: float | None) -> None:
        self._last, self._last_stamp = now, stamp

    def _continue(self, char: str, now: float, stamp: float | None) -> WedgeDecision:
        if char == self.suffix:
            if self._complete():
                payload = self._held[len(self.prefix):]
                self._held = ""
                return WedgeDecision(WedgeAction.SCAN, scan=payload)
            held, self._held = self._held, ""
            return WedgeDecision(WedgeAction.RELEASE, held + char)
        candidate = self._held + char
        n = min(len(candidate), len(self.prefix))
        if candidate[:n] != self.prefix[:n] or len(candidate) > self.max_length:
            self._held = ""
            return WedgeDecision(WedgeAction.RELEASE, candidate)
        self._held = candidate
        self._mark(now, stamp)
        return WedgeDecision(WedgeAction.BUFFER)

    def _end_burst(self) -> WedgeDecision:
        held, self._held = self._held, ""
        if self.suffix is None and self._complete(held):
            return WedgeDecision(WedgeAction.SCAN, scan=held[len(self.prefix):])
        return WedgeDecision(WedgeAction.RELEASE, held)

    def _complete(self, held: str | None = None) -> bool:
        held = self._held if held is None else held
        return held.startswith(self.prefix) and len(held) - len(self.prefix) >= self.min_length

    def _can_start(self, char: str) -> bool:
        if char in (self.suffix, GS):
            return False
        return not self.prefix or char == self.prefix[0]


class AltCode:
    """Alt held + keypad digits = one character, as Windows composes it and as scanners in
    "Alt mode" type every character (X leaves the composing to the application). The code is
    decimal: 1-127 is ASCII (Alt+0029 is GS, Alt+65 is A); 128-255 is Windows-1252 with a
    leading 0 and the DOS code page 437 without, as on Windows."""

    def __init__(self) -> None:
        self.digits = ""

    def digit(self, d: str) -> None:
        if len(d) != 1 or not "0" <= d <= "9":
            raise ValueError(f"an Alt code is typed with keypad digits, not {d!r}")
        if len(self.digits) < 8:  # a stuck key must not grow it without end
            self.digits += d

    def finish(self) -> str | None:
        """Alt released: the character typed, or None (no digits, or no such code)."""
        digits, self.digits = self.digits, ""
        if not digits:
            return None
        code = int(digits)
        if 1 <= code <= 127:
            return chr(code)
        if 128 <= code <= 255:
            char = bytes([code]).decode("cp1252" if digits.startswith("0") else "cp437",
                                        errors="replace")
            return None if char == "\ufffd" else char
        return None
