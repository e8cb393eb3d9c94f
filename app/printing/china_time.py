"""China time for what Packline prints: labels, slips, pick lists and manifests say the time a
person in the warehouse reads on the wall clock (Asia/Shanghai), whatever the printing
machine's own time zone. Pure Python, no Qt: the printing layer and services use it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def _china() -> tzinfo:
    try:
        return ZoneInfo("Asia/Shanghai")
    except ZoneInfoNotFoundError:  # a machine without a zone database (Windows without tzdata)
        return timezone(timedelta(hours=8), "CST")  # no daylight saving in China since 1991


CHINA_TZ = _china()


def in_china_time(moment: datetime) -> datetime:
    """An aware moment as China wall-clock time; a naive one is taken as already written in
    wall-clock time and left as it is."""
    return moment if moment.tzinfo is None else moment.astimezone(CHINA_TZ)


def china_time_text(moment: datetime, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return in_china_time(moment).strftime(fmt)
