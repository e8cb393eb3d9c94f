"""Waiting for something another thread or process does: poll a condition until a deadline,
and when it never holds, fail saying what was waited for (never a sleep that hopes)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class WaitTimedOut(AssertionError):
    """What a test waited for did not happen in time."""


def eventually(predicate: Callable[[], T], *, what: str, timeout: float = 30.0,
               every: float = 0.02, pump: Callable[[], object] | None = None) -> T:
    """Call `predicate` until it returns something true, and return that. After `timeout`
    seconds, fail naming `what` and the last answer. An exception from `predicate` is not
    waited out: it ends the wait (a process that died, say). `pump` runs before each try
    (`QApplication.processEvents` for signals that are delivered on this thread)."""
    deadline = time.monotonic() + timeout
    while True:
        if pump is not None:
            pump()
        last = predicate()
        if last:
            return last
        if time.monotonic() >= deadline:
            raise WaitTimedOut(f"timed out after {timeout:g} s waiting for {what} "
                               f"(last: {last!r})")
        time.sleep(every)
