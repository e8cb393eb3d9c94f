"""Times as the warehouse reads them: China time (Asia/Shanghai), whatever zone the PC is set
to, because the floor, the carriers' cut-offs and the 双11 deadlines all run on it. Every
screen shows a stored (UTC) time through here; the clock itself is `app.domain.china_time`."""

from __future__ import annotations

from datetime import datetime

from app.domain.china_time import in_china


def china(moment: datetime | str | None) -> datetime | None:
    """The moment in China time; a naive time or ISO text is taken as UTC (how it is stored)."""
    if moment is None or moment == "":
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return in_china(moment)


def _format(moment: datetime | str | None, pattern: str) -> str:
    local = china(moment)
    return local.strftime(pattern) if local is not None else ""


def short(moment: datetime | str | None) -> str:
    """Month-day and minutes, for lists: 11-11 20:05."""
    return _format(moment, "%m-%d %H:%M")


def full(moment: datetime | str | None) -> str:
    """Date and seconds, for a history: 2026-11-11 20:05:31."""
    return _format(moment, "%Y-%m-%d %H:%M:%S")


def clock(moment: datetime | str | None) -> str:
    """Time of day, for today's events: 20:05:31."""
    return _format(moment, "%H:%M:%S")
