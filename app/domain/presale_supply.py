"""The supplier's side of a presale (预售供应): what the suppliers confirmed against what the
buyers are owed, a slipping delivery's three-level response, and each order's promised ship
date (the shop's "预计 11月10日 发货").

- The board compares presale demand per China day (units of the campaign's orders, on the
  day each is due to ship were the goods here) with arrivals per day (what the suppliers
  confirmed, by the day it is now expected; in transit; arrived), the cumulative gap, and
  suggests a remedy when the gap exceeds a threshold: `split_to_backup` (the units that will
  never come, ordered from the backup supplier) or `expedite` (the units that come too late,
  brought forward).
- A delivery slips when it is expected later than it was due, or when it is not in by the
  end of the day it was expected (then it slips until now). Its level is the exception
  queue's (`app.domain.escalation`): > 24 h alert purchasing and customer service, > 48 h
  switch to the backup supplier or carrier, > 72 h compensate the buyers.
- An order's promise: the campaign's units go to its orders in queue order (deposit first
  paid, first served); an order's goods are ready when the cumulative arrivals (arrived units
  first, then each delivery at the end of its expected day) cover its last unit — or at once
  in a real-stock campaign (the goods are in the warehouse). It ships `handling_hours` after
  both its goods and its payment are in, at the carrier's next daily cut-off.

Pure standard library: no Qt, no database. Days are China days (`app.domain.china_time`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from app.domain import escalation
from app.domain.china_time import CHINA_TZ, in_china

__all__ = [
    "ARRIVED",
    "CANCELLED",
    "Board",
    "DayRow",
    "Delivery",
    "Demand",
    "IN_TRANSIT",
    "PLANNED",
    "Promise",
    "QueuedOrder",
    "SUGGESTIONS",
    "Slip",
    "Suggestion",
    "board",
    "day_end",
    "delivery_slip",
    "delivery_status",
    "due_to_ship",
    "next_cutoff",
    "parse_cutoff",
    "promises",
    "shop_text",
]

PLANNED, IN_TRANSIT, ARRIVED, CANCELLED = "planned", "in_transit", "arrived", "cancelled"
STATUSES = (PLANNED, IN_TRANSIT, ARRIVED, CANCELLED)
SPLIT_TO_BACKUP, EXPEDITE = "split_to_backup", "expedite"
SUGGESTIONS = (SPLIT_TO_BACKUP, EXPEDITE)
DEFAULT_RATIO = 0.10


def _int(name: str, value: object, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return value


def _aware(name: str, value: object) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None \
            or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got {value!r}")
    return value


def day_end(day: date) -> datetime:
    """The end of China day `day` (midnight after it, in China), in UTC: a delivery due or
    expected on `day` is in by then."""
    return datetime.combine(day + timedelta(days=1), time(0), CHINA_TZ).astimezone(UTC)


def delivery_status(qty: int, in_transit: int, arrived: int, cancelled: bool = False) -> str:
    """planned, in transit, arrived (all of it) or cancelled."""
    if cancelled:
        return CANCELLED
    if arrived >= qty:
        return ARRIVED
    return IN_TRANSIT if in_transit > 0 else PLANNED


@dataclass(frozen=True, slots=True)
class Delivery:
    """One confirmed delivery: `qty` units due on `due_on`, now expected on `expected_on`, of
    which `in_transit` are on the road and `arrived` in the warehouse."""

    key: Any
    supplier: str
    due_on: date
    expected_on: date
    qty: int
    in_transit: int = 0
    arrived: int = 0
    status: str = PLANNED

    def __post_init__(self) -> None:
        _int("qty", self.qty)
        _int("in_transit", self.in_transit)
        _int("arrived", self.arrived)
        if self.in_transit + self.arrived > self.qty:
            raise ValueError(f"in transit ({self.in_transit}) and arrived ({self.arrived}) "
                             f"exceed the quantity ({self.qty})")
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}, "
                             f"got {self.status!r}")
        for name in ("due_on", "expected_on"):
            value = getattr(self, name)
            if not isinstance(value, date) or isinstance(value, datetime):
                raise ValueError(f"{name} must be a date, got {value!r}")

    @property
    def counts(self) -> bool:
        return self.status != CANCELLED

    @property
    def remaining(self) -> int:
        return self.qty - self.arrived if self.counts else 0


@dataclass(frozen=True, slots=True)
class Slip:
    """A delivery later than due: by how many hours, its level 0–3 and the level's action
    (`escalation.ESCALATION_ACTIONS`)."""

    key: Any
    supplier: str
    due_on: date
    expected_on: date
    remaining: int
    hours: float
    level: int
    action: str


def _expected_moment(d: Delivery, now: datetime) -> datetime:
    """When the rest of `d` is in: the end of its expected day, or now when that is past and
    it is still not in."""
    end = day_end(d.expected_on)
    return now if d.remaining > 0 and now > end else end


def delivery_slip(d: Delivery, now: datetime) -> Slip | None:
    """`d`'s slip at `now`, or None when it is not late (or all in, or cancelled)."""
    _aware("now", now)
    if not d.counts or d.remaining == 0:
        return None
    due, expected = day_end(d.due_on), _expected_moment(d, now)
    if expected <= due:
        return None
    lvl = escalation.level(due, expected)
    return Slip(key=d.key, supplier=d.supplier, due_on=d.due_on, expected_on=d.expected_on,
                remaining=d.remaining, hours=round((expected - due).total_seconds() / 3600, 1),
                level=lvl, action=escalation.ESCALATION_ACTIONS[lvl])


# ---------------------------------------------------------------- the board


@dataclass(frozen=True, slots=True)
class Demand:
    """One order's units, due to ship on China day `ship_on` (were the goods here)."""

    key: Any
    units: int
    ship_on: date
    balance_paid: bool = True


@dataclass(frozen=True, slots=True)
class DayRow:
    day: date
    deposits: int  # units whose balance is not paid yet
    balances: int  # units paid in full (balance paid, or a full-payment presale)
    confirmed: int  # units due this day, as first confirmed
    expected: int  # units still to come, expected in this day
    in_transit: int  # of them on the road
    arrived: int  # units in the warehouse (counted on their expected day, today at latest)
    cum_demand: int
    cum_supply: int

    @property
    def demand(self) -> int:
        return self.deposits + self.balances

    @property
    def gap(self) -> int:
        """Units owed by the end of this day that have not come by then (negative: ahead)."""
        return self.cum_demand - self.cum_supply


@dataclass(frozen=True, slots=True)
class Suggestion:
    action: str  # split_to_backup | expedite
    qty: int
    supplier: str | None  # whom to ask: the backup supplier, or the late delivery's
    by_day: date | None  # the day the gap is worst


@dataclass(frozen=True, slots=True)
class Board:
    days: tuple[DayRow, ...]
    total_demand: int
    total_supply: int
    max_gap: int
    max_gap_on: date | None
    threshold: int
    suggestions: tuple[Suggestion, ...]
    slips: tuple[Slip, ...] = field(default=())

    @property
    def shortfall(self) -> int:
        return max(self.total_demand - self.total_supply, 0)


def threshold_for(total_demand: int, ratio: float = DEFAULT_RATIO,
                  units: int | None = None) -> int:
    """The gap a suggestion needs to exceed: `units` when given, else `ratio` of demand."""
    if units is not None:
        return _int("threshold units", units)
    if isinstance(ratio, bool) or not isinstance(ratio, int | float) or not 0 <= ratio <= 1:
        raise ValueError(f"threshold ratio must be between 0 and 1, got {ratio!r}")
    return math.ceil(total_demand * ratio)


def board(demands: Iterable[Demand], deliveries: Iterable[Delivery], *, today: date,
          now: datetime, ratio: float = DEFAULT_RATIO, threshold_units: int | None = None,
          backup_supplier: str | None = None) -> Board:
    """Demand against arrivals per day, the cumulative gap, suggestions and slips.

    Arrived units count on their expected day (today when that is later); units still to
    come on their expected day, today at the earliest (a date past and not in is today's
    at best)."""
    _aware("now", now)
    rows: dict[date, dict[str, int]] = {}

    def add(day: date, key: str, units: int) -> None:
        if units:
            rows.setdefault(day, {}).setdefault(key, 0)
            rows[day][key] += units

    demands, deliveries = list(demands), list(deliveries)
    for dm in demands:
        _int("units", dm.units)
        add(dm.ship_on, "balances" if dm.balance_paid else "deposits", dm.units)
    late_after: list[tuple[date, Delivery]] = []
    for d in deliveries:
        if not d.counts:
            continue
        add(d.due_on, "confirmed", d.qty)
        add(min(d.expected_on, today), "arrived", d.arrived)
        coming = max(d.expected_on, today)
        add(coming, "expected", d.remaining)
        add(coming, "in_transit", d.in_transit)
        if d.remaining:
            late_after.append((coming, d))
    days: list[DayRow] = []
    cum_demand = cum_supply = 0
    for day in sorted(rows):
        r = rows[day]
        cum_demand += r.get("deposits", 0) + r.get("balances", 0)
        cum_supply += r.get("arrived", 0) + r.get("expected", 0)
        days.append(DayRow(day=day, deposits=r.get("deposits", 0),
                           balances=r.get("balances", 0), confirmed=r.get("confirmed", 0),
                           expected=r.get("expected", 0), in_transit=r.get("in_transit", 0),
                           arrived=r.get("arrived", 0), cum_demand=cum_demand,
                           cum_supply=cum_supply))
    total_demand, total_supply = cum_demand, cum_supply
    worst = max(days, key=lambda r: (r.gap, -r.day.toordinal()), default=None)
    max_gap = max(worst.gap, 0) if worst else 0
    threshold = threshold_for(total_demand, ratio, threshold_units)
    suggestions: list[Suggestion] = []
    shortfall = max(total_demand - total_supply, 0)
    if shortfall > threshold:
        suggestions.append(Suggestion(SPLIT_TO_BACKUP, shortfall, backup_supplier,
                                      worst.day if worst else None))
    late = max_gap - shortfall
    if worst is not None and late > threshold:
        after = sorted((when, d.supplier) for when, d in late_after if when > worst.day)
        suggestions.append(Suggestion(EXPEDITE, late, after[0][1] if after else None,
                                      worst.day))
    slips = tuple(sorted((s for d in deliveries if (s := delivery_slip(d, now))),
                         key=lambda s: (-s.hours, s.due_on)))
    return Board(days=tuple(days), total_demand=total_demand, total_supply=total_supply,
                 max_gap=max_gap, max_gap_on=worst.day if worst and max_gap else None,
                 threshold=threshold, suggestions=tuple(suggestions), slips=slips)


# ---------------------------------------------------------------- promises


@dataclass(frozen=True, slots=True)
class QueuedOrder:
    """An order in its campaign's queue (queue order is the caller's): its units, when it is
    (or could at the earliest be) paid in full, and its carrier's daily cut-off."""

    key: Any
    units: int
    payable_at: datetime
    cutoff: str | None = None
    open: bool = True  # shipped orders keep their place (they took their units) unpromised


@dataclass(frozen=True, slots=True)
class Promise:
    key: Any
    covered: bool  # the confirmed deliveries cover the order's units
    goods_at: datetime | None  # when its goods are in (None: already here, or not covered)
    ready_at: datetime | None
    ship_by: datetime | None  # aware UTC; None when not covered
    ship_on: date | None  # the China day of ship_by
    slip_hours: float  # how much later than the deliveries' due dates would have made it
    level: int  # escalation level of that slip
    planned_at: datetime | None = None  # when its goods were due (None: here, or uncovered)

    def text(self, language: str) -> str:
        return shop_text(self.ship_on, language) if self.ship_on else ""


def parse_cutoff(value: str | None) -> time | None:
    """"HH:MM" → a time; None or "" → no cut-off."""
    if not value:
        return None
    try:
        hh, mm = value.split(":")
        return time(int(hh), int(mm))
    except ValueError:
        raise ValueError(f"a cut-off is HH:MM, got {value!r}") from None


def next_cutoff(moment: datetime, cutoff: str | None) -> datetime:
    """The carrier's first daily cut-off (China time) at or after `moment`; `moment` itself
    when no cut-off is known."""
    _aware("moment", moment)
    at = parse_cutoff(cutoff)
    if at is None:
        return moment.astimezone(UTC)
    local = in_china(moment)
    candidate = datetime.combine(local.date(), at, CHINA_TZ)
    if candidate < local:
        candidate = datetime.combine(local.date() + timedelta(days=1), at, CHINA_TZ)
    return candidate.astimezone(UTC)


def _plan(deliveries: Sequence[Delivery], now: datetime,
          as_due: bool) -> list[tuple[datetime | None, int]]:
    """(moment the units are in — None: here —, units), in the order they come."""
    here = sum(d.arrived for d in deliveries if d.counts)
    coming = sorted(
        ((day_end(d.due_on) if as_due else _expected_moment(d, now)), d.remaining)
        for d in deliveries if d.counts and d.remaining)
    return ([(None, here)] if here else []) + [(m, n) for m, n in coming]


def _cover(plan: list[tuple[datetime | None, int]], upto: int) -> tuple[bool, datetime | None]:
    total = 0
    for moment, units in plan:
        total += units
        if total >= upto:
            return True, moment
    return False, None


def promises(orders: Sequence[QueuedOrder], deliveries: Sequence[Delivery], *,
             stock_mode: str, handling_hours: int, now: datetime) -> list[Promise]:
    """Each open order's promise, in the order given (the campaign's queue)."""
    _aware("now", now)
    _int("handling_hours", handling_hours)
    if stock_mode not in ("pool", "real"):
        raise ValueError(f"stock mode must be pool or real, got {stock_mode!r}")
    expected, due = _plan(deliveries, now, False), _plan(deliveries, now, True)
    out: list[Promise] = []
    position = 0
    for o in orders:
        _int("units", o.units)
        _aware("payable_at", o.payable_at)
        position += o.units
        if not o.open:
            continue
        planned: datetime | None = None
        if stock_mode == "real":
            covered, goods_at, slip, lvl = True, None, 0.0, 0
        else:
            covered, goods_at = _cover(expected, position)
            planned = _cover(due, position)[1]
            slip, lvl = 0.0, 0
            if covered and goods_at is not None and planned is not None and goods_at > planned:
                slip = round((goods_at - planned).total_seconds() / 3600, 1)
                lvl = escalation.level(planned, goods_at)
        if not covered:
            out.append(Promise(o.key, False, None, None, None, None, 0.0, 0))
            continue
        ready = max(goods_at, o.payable_at) if goods_at else o.payable_at
        ship_by = next_cutoff(ready + timedelta(hours=handling_hours), o.cutoff)
        out.append(Promise(o.key, True, goods_at, ready, ship_by, in_china(ship_by).date(),
                           slip, lvl, planned))
    return out


def due_to_ship(payable_at: datetime, handling_hours: int, cutoff: str | None = None) -> date:
    """The China day an order paid (or payable) at `payable_at` is due to ship, were its
    goods here: handling time, then the carrier's next cut-off."""
    return in_china(next_cutoff(_aware("payable_at", payable_at)
                                + timedelta(hours=_int("handling_hours", handling_hours)),
                                cutoff)).date()


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def shop_text(day: date, language: str) -> str:
    """What the shop shows the buyer: "预计 11月10日 发货" / "Ships by 10 Nov (expected)"."""
    if language.lower().startswith("zh"):
        return f"预计 {day.month}月{day.day}日 发货"
    return f"Ships by {day.day} {_MONTHS[day.month - 1]} (expected)"
