"""Exception ageing: how far an open exception has escalated, and which ones just went up.

DESIGN.md: an exception older than 24 h is level 1 (notify), older than 48 h level 2 (use a
backup supplier or carrier), older than 72 h level 3 (compensate the buyer). "Older than" is
strict: an exception exactly 24 h old is still level 0.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TypeVar

__all__ = [
    "ESCALATION_ACTIONS",
    "MAX_LEVEL",
    "THRESHOLDS",
    "escalations_due",
    "level",
]

K = TypeVar("K")

# (level, age that must be exceeded), highest first so the first match wins.
THRESHOLDS: tuple[tuple[int, timedelta], ...] = (
    (3, timedelta(hours=72)),
    (2, timedelta(hours=48)),
    (1, timedelta(hours=24)),
)
MAX_LEVEL = 3

ESCALATION_ACTIONS: dict[int, str] = {
    0: "none",
    1: "notify",
    2: "backup_supplier_or_carrier",
    3: "compensate_buyer",
}


def _aware(name: str, value: object) -> datetime:
    if not isinstance(value, datetime):
        raise ValueError(f"{name} must be a datetime, got {value!r}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value.isoformat()}")
    return value


def level(raised_at: datetime, now: datetime) -> int:
    """0 up to 24 h, 1 past 24 h, 2 past 48 h, 3 past 72 h since the exception was raised."""
    age = _aware("now", now) - _aware("raised_at", raised_at)
    # A raised_at slightly ahead of now is another station's clock, not an error: age 0.
    for lvl, limit in THRESHOLDS:
        if age > limit:
            return lvl
    return 0


def escalations_due(items: Iterable[tuple[K, datetime, int]],
                    now: datetime) -> list[tuple[K, int]]:
    """(key, new level) for each item whose level at `now` is above its current level.

    Items keep their input order. An item already at or above its computed level (for
    example escalated by hand) is left out, so running this twice notifies once.
    """
    _aware("now", now)
    due: list[tuple[K, int]] = []
    for key, raised_at, current in items:
        if isinstance(current, bool) or not isinstance(current, int) \
                or not 0 <= current <= MAX_LEVEL:
            raise ValueError(
                f"current level of {key!r} must be an integer 0..{MAX_LEVEL}, got {current!r}")
        new = level(raised_at, now)
        if new > current:
            due.append((key, new))
    return due
