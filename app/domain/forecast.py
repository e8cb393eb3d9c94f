"""The shift lead's arithmetic: how fast the floor works, when the backlog clears, which orders
will miss their promised ship time or their carrier's cut-off, how many people a day's orders
need, and how the coming presale days will go.

Plain numbers and times in, plain numbers and times out. The rates are counts of events
(pick and pack confirmations, parcels handed over) in a window of time, kept by the event's own
time, so a station that syncs an hour late still counts in the hour it packed.

Every forecast is given at two rates, the last hour's and the shift's: the range between them is
the forecast's uncertainty. A rate of zero forecasts nothing ("not at this rate"), never a
division by zero or a time in the year 9999.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

HOUR = timedelta(hours=1)
SLOT = timedelta(minutes=5)  # the grain the floor's work is counted in
_EPOCH = datetime(2000, 1, 3, tzinfo=UTC)  # a Monday, midnight UTC

# 11.11 planning: the day's volume is the normal day's × 3 (the peak's growth) × 0.8 (what the
# warehouse expects to actually reach it), and 10–20 % more people than the arithmetic says.
PEAK_GROWTH = 3.0
PEAK_CONVERSION = 0.8
DEFAULT_RESERVE = 0.15


# ---------------------------------------------------------------- shifts


@dataclass(frozen=True, slots=True)
class Shift:
    """A shift by its local clock times; `ends` at or before `starts` crosses midnight."""

    name: str
    starts: time
    ends: time

    @property
    def hours(self) -> float:
        start = self.starts.hour * 60 + self.starts.minute
        end = self.ends.hour * 60 + self.ends.minute
        return ((end - start) % (24 * 60) or 24 * 60) / 60


DEFAULT_SHIFTS = (Shift("day", time(8), time(20)), Shift("night", time(20), time(8)))


@dataclass(frozen=True, slots=True)
class ShiftWindow:
    shift: Shift
    starts_at: datetime
    ends_at: datetime


def parse_shifts(text: str) -> tuple[Shift, ...]:
    """`"day=08:00-20:00, night=20:00-08:00"` (or without names) → shifts; ValueError when a
    part is not a time range."""
    shifts = []
    for n, part in enumerate(p.strip() for p in text.split(",") if p.strip()):
        name, _, span = part.rpartition("=")
        start, sep, end = span.partition("-")
        if not sep:
            raise ValueError(f"{part!r} is not a time range like 08:00-20:00")
        shifts.append(Shift(name.strip() or f"shift{n + 1}", parse_clock(start),
                            parse_clock(end)))
    if not shifts:
        raise ValueError("no shift given")
    return tuple(shifts)


_CLOCK = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


def parse_clock(text: str) -> time:
    """`HH:MM` only: an hour alone ("08") or "0800" is not read as a time of day."""
    found = _CLOCK.fullmatch(text.strip())
    if found is None:
        raise ValueError(f"{text.strip()!r} is not a time like 08:00")
    return time(int(found[1]), int(found[2]))


def current_shift(now: datetime, shifts: Sequence[Shift] = DEFAULT_SHIFTS) -> ShiftWindow:
    """The shift `now` (a local, zone-aware time) falls in, with its start and end; a night
    shift that began yesterday evening starts yesterday. Shifts that leave a gap: the one that
    began last."""
    best: ShiftWindow | None = None
    for shift in shifts:
        for day in (now.date() - timedelta(days=1), now.date()):
            starts = datetime.combine(day, shift.starts, now.tzinfo)
            ends = starts + timedelta(hours=shift.hours)
            if starts <= now < ends:
                return ShiftWindow(shift, starts, ends)
            if starts <= now and (best is None or starts > best.starts_at):
                best = ShiftWindow(shift, starts, ends)
    assert best is not None  # a shift started within the last two days, whatever the clock
    return best


# ---------------------------------------------------------------- rates


def slot_of(at: datetime) -> datetime:
    """The five-minute slot (in UTC) an event at `at` (zone-aware) is counted in."""
    return _EPOCH + SLOT * math.floor((at - _EPOCH) / SLOT)


def per_hour(count: float, since: datetime, until: datetime) -> float:
    """Events per hour in [since, until); nothing measured in no time is a rate of zero."""
    hours = (until - since) / HOUR
    return count / hours if hours > 0 else 0.0


@dataclass(frozen=True, slots=True)
class Rates:
    """Orders per hour over the last hour and over the shift so far."""

    hour: float
    shift: float

    @property
    def low(self) -> float:
        return min(self.hour, self.shift)

    @property
    def high(self) -> float:
        return max(self.hour, self.shift)


# ---------------------------------------------------------------- when the backlog clears


@dataclass(frozen=True, slots=True)
class ClearTime:
    """When `backlog` orders are done at the hour's and at the shift's rate; None where that
    rate is zero. `earliest`/`latest` are the range; `latest` is None if either rate is zero."""

    backlog: int
    at_hour_rate: datetime | None
    at_shift_rate: datetime | None

    @property
    def earliest(self) -> datetime | None:
        times = [t for t in (self.at_hour_rate, self.at_shift_rate) if t is not None]
        return min(times) if times else None

    @property
    def latest(self) -> datetime | None:
        if self.at_hour_rate is None or self.at_shift_rate is None:
            return None
        return max(self.at_hour_rate, self.at_shift_rate)


def done_at(now: datetime, backlog: int, rate: float) -> datetime | None:
    if backlog <= 0:
        return now
    if rate <= 0:
        return None
    return now + timedelta(hours=backlog / rate)


def clear_time(now: datetime, backlog: int, rates: Rates) -> ClearTime:
    return ClearTime(backlog, done_at(now, backlog, rates.hour), done_at(now, backlog, rates.shift))


# ---------------------------------------------------------------- deadlines


def misses(now: datetime, due: Sequence[tuple[datetime, int]], rate: float,
           ahead: int = 0) -> list[int]:
    """How many orders of each (deadline, count) group miss it, when the floor works at `rate`
    orders an hour, earliest deadline first, behind `ahead` orders already in front (late
    orders are still packed, so they hold up the ones behind them). Answered per group, in the
    order given. At a rate of zero every order misses."""
    order = sorted(range(len(due)), key=lambda i: due[i][0])
    result = [0] * len(due)
    done_before = max(ahead, 0)  # orders ahead in the queue (the overdue ones, say)
    for i in order:
        deadline, count = due[i]
        if count <= 0:
            continue
        if rate <= 0:
            result[i] = count
        else:
            # Order k (1-based) of the queue is done at now + k / rate: those with
            # k <= rate * (deadline - now) make it.
            can_make = math.floor(rate * max((deadline - now) / HOUR, 0.0) + 1e-9)
            result[i] = max(0, min(count, done_before + count - can_make))
        done_before += count
    return result


def cutoff_at(now: datetime, cutoff: time | None) -> datetime | None:
    """The carrier's next cut-off (its last pick-up of a day) in `now`'s zone: today's, or
    tomorrow's once today's has passed. None without one."""
    if cutoff is None:
        return None
    today = datetime.combine(now.date(), cutoff, now.tzinfo)
    return today if today >= now else today + timedelta(days=1)


# ---------------------------------------------------------------- staffing


def people_needed(orders: int, per_person: float, reserve: float = DEFAULT_RESERVE) -> int | None:
    """People = orders ÷ orders one person handles per shift, plus the reserve, rounded up.
    None when a person's rate is unknown (nobody measured, nothing typed in)."""
    if reserve < 0:
        raise ValueError("the reserve cannot be negative")
    if orders <= 0:
        return 0
    if per_person <= 0:
        return None
    return math.ceil(orders / per_person * (1 + reserve) - 1e-9)


def peak_volume(normal_daily: int, growth: float = PEAK_GROWTH,
                conversion: float = PEAK_CONVERSION) -> int:
    """The 11.11 day's orders from a normal day's: normal × growth × conversion."""
    if normal_daily < 0 or growth < 0 or conversion < 0:
        raise ValueError("volumes and multipliers cannot be negative")
    return round(normal_daily * growth * conversion)


@dataclass(frozen=True, slots=True)
class Staffing:
    role: str
    orders: int
    per_person_per_shift: float
    reserve: float
    needed: int | None
    on_floor: int

    @property
    def gap(self) -> int | None:
        """People to call in (positive) or to spare (negative)."""
        return None if self.needed is None else self.needed - self.on_floor


def staffing(role: str, orders: int, per_person_per_hour: float, shift_hours: float,
             reserve: float, on_floor: int) -> Staffing:
    per_shift = per_person_per_hour * shift_hours
    return Staffing(role, orders, per_shift, reserve, people_needed(orders, per_shift, reserve),
                    on_floor)


# ---------------------------------------------------------------- the coming days


@dataclass(frozen=True, slots=True)
class Day:
    day: date
    carried_in: int  # left over from the day before (today: the backlog now)
    arriving: int  # orders that become workable that day (presale balances paid)
    capacity: int  # orders the floor packs in a day at the measured rate
    shipped: int
    left: int


def days_ahead(today: date, backlog: int, arrivals: dict[date, int], daily_capacity: float,
               days: int = 7, today_left: float = 1.0) -> list[Day]:
    """Day by day from today: what is there to do, what the floor gets done at its measured
    daily capacity (today only the share `today_left` of the day still to come), what is
    carried into the next day. Arrivals dated before today count today."""
    if days <= 0:
        return []
    full = max(int(daily_capacity), 0)
    early = sum(n for d, n in arrivals.items() if d < today)
    result: list[Day] = []
    carried = max(backlog, 0)
    for n in range(days):
        day = today + timedelta(days=n)
        arriving = arrivals.get(day, 0) + (early if n == 0 else 0)
        capacity = int(full * min(max(today_left, 0.0), 1.0)) if n == 0 else full
        work = carried + arriving
        shipped = min(work, capacity)
        result.append(Day(day, carried, arriving, capacity, shipped, work - shipped))
        carried = work - shipped
    return result


def hourly(rows: Iterable[tuple[datetime, int]], start: datetime, hours: int) -> list[int]:
    """Counts summed into `hours` one-hour buckets from `start`; rows outside are left out."""
    buckets = [0] * hours
    for at, count in rows:
        index = math.floor((at - start) / HOUR)
        if 0 <= index < hours:
            buckets[index] += count
    return buckets
