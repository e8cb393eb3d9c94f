"""A clock the test moves, for code that takes one (`clock=` a `time.monotonic`, and `sleep=`
a `time.sleep`): the simulator, the scale's settling, the keyboard-wedge filter. Nothing
waits for real time to pass, and what "later" means is exact."""

from __future__ import annotations

import threading


class FakeClock:
    """Seconds as `time.monotonic` gives them, starting at `now`. Time moves only when the test
    says: `set` and `advance`; `sleep`, handed to the code as its sleep, moves it by what was
    asked; with `step`, every reading moves it on by `step` first (keys typed `step` apart).
    Safe to read from another thread (a device's reader)."""

    def __init__(self, now: float = 0.0, *, step: float = 0.0) -> None:
        self.step = step
        self._now = now
        self._lock = threading.Lock()

    @property
    def now(self) -> float:
        with self._lock:
            return self._now

    def __call__(self) -> float:
        with self._lock:
            self._now += self.step
            return self._now

    def set(self, now: float) -> None:
        with self._lock:
            self._now = now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds

    def sleep(self, seconds: float) -> None:
        self.advance(seconds)
