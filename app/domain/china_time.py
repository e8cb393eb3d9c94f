"""China time: the one clock the warehouse runs on (Asia/Shanghai), whatever zone a PC, a station
or a server is set to. The floor, the carriers' cut-offs, the 双11 deadlines, the day in
Packline's own numbers (order, wave, handover), the times printed on labels and the times the
screens show are all read on it.

Two ways a time without a zone is read, because two kinds of source write them:

* `in_china`: a stored time. Packline keeps times in UTC, so a naive one is UTC.
* `written_in_china`: a time a person or a channel wrote (an order file's ``paid_at``, a time
  already set as wall-clock time). A naive one is China wall-clock time as it stands.

Pure standard library, no Qt and no database.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["CHINA_TZ", "china_day", "china_day_start", "in_china", "written_in_china"]

CHINA_ZONE = "Asia/Shanghai"


def china_zone(name: str = CHINA_ZONE) -> tzinfo:
    """The zone `name` from the zone database; a machine without one (Windows without the
    `tzdata` package) gets UTC+8 with no daylight saving, which China has kept since 1991."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return timezone(timedelta(hours=8), "CST")


CHINA_TZ: tzinfo = china_zone()


def in_china(moment: datetime) -> datetime:
    """`moment` as China wall-clock time (aware, in `CHINA_TZ`). A naive moment is a stored
    one, which Packline keeps in UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(CHINA_TZ)


def written_in_china(moment: datetime) -> datetime:
    """`moment` as China wall-clock time (aware, in `CHINA_TZ`). A naive moment is one a
    person or a channel wrote without a zone: China wall-clock time, taken as it stands."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=CHINA_TZ)
    return moment.astimezone(CHINA_TZ)


def china_day(moment: datetime) -> str:
    """The China date of `moment` as yymmdd (261111): the day in Packline's order, wave and
    handover numbers, which turns at midnight in China (16:00 UTC), not at midnight UTC."""
    return in_china(moment).strftime("%y%m%d")


def china_day_start(moment: datetime) -> datetime:
    """Midnight in China that began the China day of `moment`, in UTC (16:00 UTC the day
    before): where a warehouse's daily capacity starts counting again."""
    return in_china(moment).replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)
