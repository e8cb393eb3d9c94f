"""Tell a USB keyboard-wedge scanner from a person at the keyboard by timing alone. Pure: the
Qt event filter in `app/` feeds it each typed character with the key event's timestamp and
does what the decision says; this module never sees Qt.

The rule:
- A scanner types a whole code in one burst, keys a few milliseconds apart, then its suffix
  (Enter by default). A burst is a run of keys each at most `max_interkey_ms` after the one
  before.
- A key that could start a burst is held. Without a prefix that is any key, held only until
  the next key or `max_interkey_ms` (`tick`); with a prefix only the prefix's first character
  is held, so other typing passes through with no delay at all.
- The suffix ending a burst of at least `min_length` characters (after the prefix) makes a
  SCAN of the burst, prefix and suffix removed. A suffix up to `timeout_ms` late still counts.
- A burst that ends without its suffix is given back after `timeout_ms` (RELEASE); when the
  scanner sends no suffix (`suffix=None`) a burst of at least `min_length` keys is a SCAN then.
- Anything else is human typing and is given back (RELEASE) in the order typed: a gap longer
  than `max_interkey_ms`, a burst too short, a burst that does not start with the prefix.
  Typing is never swallowed; at worst a key arrives `max_interkey_ms` late.

How to use a decision: the filter always consumes the key it passed in; it re-delivers
`decision.release` (earlier held keys and, when not held, this key) in order, then handles
`decision.scan` if set. Times are seconds (`QKeyEvent.timestamp() / 1000`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


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
        self._last = 0.0

    @property
    def held(self) -> str:
        """The keys held back right now."""
        return self._held

    def key(self, char: str, now: float) -> WedgeDecision:
        """One typed character at time `now` (seconds)."""
        if len(char) != 1:
            raise ValueError(f"key() takes one character, not {char!r}")
        release = ""
        scan: str | None = None
        if self._held:
            gap = now - self._last
            if gap <= self.max_gap or (char == self.suffix and gap <= self.timeout
                                       and self._complete()):
                return self._continue(char, now)
            # The burst before this key is over.
            ended = self._end_burst()
            release, scan = ended.release, ended.scan
        if self._can_start(char):
            self._held, self._last = char, now
            action = WedgeAction.SCAN if scan is not None else WedgeAction.BUFFER
            return WedgeDecision(action, release, scan)
        release += char
        if scan is not None:
            return WedgeDecision(WedgeAction.SCAN, release, scan)
        return WedgeDecision(WedgeAction.RELEASE, release)

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

    def _continue(self, char: str, now: float) -> WedgeDecision:
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
        self._held, self._last = candidate, now
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
        if char == self.suffix:
            return False
        return not self.prefix or char == self.prefix[0]
