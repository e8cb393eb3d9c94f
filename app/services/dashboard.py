"""The shift lead's dashboard: the figures a lead decides from, read in one go.

`snapshot()` answers: how much work is waiting (by status, priority band and carrier, with each
carrier's cut-off today and how many of its orders miss it at the floor's rate), how fast the
floor works (picked, packed and handed over per hour today against the same weekday last
week), when the backlog clears and which orders will miss their promised ship time (at the
last hour's and the shift's rates: the range is the forecast's uncertainty), the coming days
of presale work, how many people each role needs against who is here, each person's rate,
the exception queue's ageing, presale pools near capacity, and the health of the stations,
their printers and the tracking-number pools.

The screen, `packline dashboard --json` and `--watch` all show this one answer. It is read
from the read replica when the site has one (`[central] read_url`), with how far behind it is. Its reads are
a handful of grouped queries: one pass over the live orders (by an index holding the columns
it groups by, in that order: `ix_orders_live`) and a few hundred rows of `work_slots`,
whatever the day's volume. The arithmetic is `app.domain.forecast`'s.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import UTC, date, datetime, time, timedelta
from time import perf_counter as time_now
from typing import Any

from sqlalchemy import ColumnElement, func, literal_column, select
from sqlalchemy.orm import Session

from app.domain import forecast as fc
from app.domain.china_time import CHINA_TZ, in_china
from app.domain.roles import Permission, Role
from app.domain.status import OrderStatus
from app.services.access import guarded
from app.services.context import Actor
from app.services.errors import InvalidInput
from app.store.db import Database, ReplicaLag
from app.store.models import (
    LIVE_HOUR,
    PRIORITY_BANDS,
    BacklogSummary,
    Carrier,
    LoginThrottle,
    Order,
    OrderException,
    PresaleCampaign,
    PresalePool,
    Sku,
    Station,
    TrackingNumber,
    User,
    WorkSlot,
)

log = logging.getLogger("packline.dashboard")
S = OrderStatus
# Orders the floor still has to pick and pack, in the order they flow.
WORKABLE = (S.NEW, S.PENDING_REVIEW, S.ROUTED, S.IN_WAVE, S.PICKING, S.PICKED, S.PACKING)
# Of those, the ones still to pick.
TO_PICK = (S.NEW, S.PENDING_REVIEW, S.ROUTED, S.IN_WAVE, S.PICKING)
# Waiting on a person or on stock before the floor can do anything.
BLOCKED = (S.ON_HOLD, S.EXCEPTION, S.AWAITING_STOCK)
LIVE = (*WORKABLE, *BLOCKED, S.AWAITING_BALANCE, S.PACKED)
# A station seen within this long counts its people as here; work in this window is "now".
WORKING_WITHIN = timedelta(minutes=30)
# The order engine counts the live orders every `engine.SUMMARY_EVERY_S` (`summarise`); a
# dashboard reads that count while it is younger than SUMMARY_FRESH, else counts for itself.
SUMMARY_FRESH = timedelta(seconds=60)
NEAR_CAPACITY = 0.9  # a presale pool this full (or past its safety ratio) is near capacity
LOW_POOL_NUMBERS = 200  # fewer free tracking numbers than this is low, whatever the rate


@dataclass(frozen=True, slots=True)
class Plan:
    """What the lead sets: the shifts, the reserve, people's rates where today's measure is not
    to be trusted (None: measured today), and the 11.11 planning figures."""

    shifts: tuple[fc.Shift, ...] = fc.DEFAULT_SHIFTS
    reserve: float = fc.DEFAULT_RESERVE
    packer_per_hour: float | None = None
    picker_per_hour: float | None = None
    normal_daily: int = 0
    growth: float = fc.PEAK_GROWTH
    conversion: float = fc.PEAK_CONVERSION
    days: int = 7
    low_pool_hours: float = 2.0

    def check(self) -> None:
        if not 0 <= self.reserve <= 1:
            raise InvalidInput("the reserve is a share between 0 and 100 %",
                               code="dashboard.bad_reserve")
        for rate in (self.packer_per_hour, self.picker_per_hour):
            if rate is not None and not 0 < rate <= 10_000:
                raise InvalidInput("a person's rate is orders per hour, above zero",
                                   code="dashboard.bad_rate")
        if self.normal_daily < 0 or self.growth < 0 or self.conversion < 0:
            raise InvalidInput("volumes and multipliers cannot be negative",
                               code="dashboard.bad_plan")
        if not 1 <= self.days <= 31:
            raise InvalidInput("forecast 1 to 31 days", code="dashboard.bad_days")


# ---------------------------------------------------------------- the answer


@dataclass(frozen=True, slots=True)
class CarrierLoad:
    code: str
    name: str
    cutoff: datetime | None  # the next one (today's, or tomorrow's once it passed), UTC
    orders: int  # still to pick and pack
    packed: int  # packed, waiting for the handover
    miss_low: int  # orders missing the cut-off at the faster of the two rates
    miss_high: int  # ... at the slower


@dataclass(frozen=True, slots=True)
class Backlog:
    by_status: dict[str, int]
    by_band: dict[str, int]  # workable orders by priority band
    carriers: list[CarrierLoad]
    unrouted: int  # workable orders with no carrier yet
    workable: int
    to_pick: int  # workable orders not picked yet (new to picking)
    blocked: int
    awaiting_balance: int
    packed: int
    presale_ready: int  # presale orders paid in full, in the workable backlog
    total: int


@dataclass(frozen=True, slots=True)
class Hour:
    starts_at: datetime  # UTC start of the China hour
    picked: int
    packed: int
    shipped: int
    picked_units: int
    packed_units: int
    last_week_picked: int
    last_week_packed: int
    last_week_shipped: int


@dataclass(frozen=True, slots=True)
class Throughput:
    day: date  # the China day shown
    hours: list[Hour]
    picked: int
    packed: int
    shipped: int
    last_week_picked: int  # the same weekday last week, up to the same time of day
    last_week_packed: int
    last_week_shipped: int


@dataclass(frozen=True, slots=True)
class Due:
    """Workable orders due (promised ship time) within one hour: how many miss it."""

    due_at: datetime  # the end of the hour
    orders: int
    miss_low: int
    miss_high: int


@dataclass(frozen=True, slots=True)
class PresaleArrival:
    campaign: str
    name: str
    day: date  # the China day the balance payments are expected
    orders: int


@dataclass(frozen=True, slots=True)
class Forecast:
    shift: str
    shift_starts_at: datetime
    shift_ends_at: datetime
    pack_rate: fc.Rates  # orders an hour, the whole floor
    pick_rate: fc.Rates
    clear: fc.ClearTime
    at_risk_low: int
    at_risk_high: int
    due: list[Due]  # only the hours where orders miss
    overdue: int  # workable orders already past their promised ship time
    daily_capacity: int  # orders a day at the shift's rate
    days: list[fc.Day]
    arrivals: list[PresaleArrival]


@dataclass(frozen=True, slots=True)
class Peak:
    """The 11.11 planning form: a normal day's orders × growth × conversion, and the people."""

    normal_daily: int
    growth: float
    conversion: float
    volume: int
    packers: int | None
    pickers: int | None


@dataclass(frozen=True, slots=True)
class Staffing:
    lines: list[fc.Staffing]  # packer, picker
    measured_per_hour: dict[str, float]  # role → orders per person-hour measured today
    logged_in: dict[str, int]  # role → people who logged in this shift
    working_now: dict[str, int]  # role → people who confirmed work in the last 30 minutes
    shift_hours: float
    peak: Peak


@dataclass(frozen=True, slots=True)
class Person:
    code: str
    name: str
    role: str
    kind: str  # pick, pack or ship (parcels handed over)
    orders: int
    units: int
    hours: float
    orders_per_hour: float
    units_per_hour: float
    # Packers: the seconds the bench counted from an order's first scan to its label, on
    # average (None for pickers, and before any pack counted them).
    seconds_per_order: float | None = None


@dataclass(frozen=True, slots=True)
class ExceptionAgeing:
    levels: dict[int, int]  # escalation level 0–3 → open exceptions
    oldest_at: datetime | None
    by_category: dict[str, int]


@dataclass(frozen=True, slots=True)
class CampaignLoad:
    code: str
    name: str
    sku: str
    reserved: int
    capacity: int
    ratio: float
    safety_ratio: float
    near: bool
    balance_starts_at: datetime | None
    ship_by: datetime
    awaiting_balance: int


@dataclass(frozen=True, slots=True)
class PrinterState:
    station: str
    role: str
    name: str
    state: str  # as the station said (ok, down, unknown), or offline: not heard from
    waiting: int
    failed: int


@dataclass(frozen=True, slots=True)
class StationState:
    code: str
    name: str
    kind: str
    online: bool
    last_seen_at: datetime | None
    outbox_pending: int
    outbox_lag_s: float
    outbox_refused: int
    app_version: str


@dataclass(frozen=True, slots=True)
class Pool:
    carrier: str
    name: str
    free: int
    hours_left: float | None  # at the floor's packing rate; None when nothing is packed
    low: bool


@dataclass(frozen=True, slots=True)
class Health:
    stations: list[StationState]
    printers: list[PrinterState]
    pools: list[Pool]
    stations_online: int
    stations_offline: int


@dataclass(frozen=True, slots=True)
class Dashboard:
    at: datetime
    backlog: Backlog
    throughput: Throughput
    forecast: Forecast
    staffing: Staffing
    people: list[Person]
    exceptions: ExceptionAgeing
    campaigns: list[CampaignLoad]
    health: Health
    plan: Plan = field(default_factory=Plan)
    # When the live orders were counted: by the engine a few seconds ago, or now.
    backlog_at: datetime | None = None
    # Read from the read replica ([central] read_url): how far behind it is. None: no replica.
    replica: ReplicaLag | None = None

    def as_json(self) -> dict[str, Any]:
        """Plain JSON: times ISO 8601 in UTC, days ISO dates."""
        out: dict[str, Any] = _plain(self)
        out["forecast"]["clear"].update(
            earliest=_plain(self.forecast.clear.earliest),
            latest=_plain(self.forecast.clear.latest))
        out["forecast"]["pack_rate"].update(low=self.forecast.pack_rate.low,
                                            high=self.forecast.pack_rate.high)
        for line, staffing in zip(out["staffing"]["lines"], self.staffing.lines, strict=True):
            line["gap"] = staffing.gap
        return out


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float):
        return round(value, 2)
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


# ---------------------------------------------------------------- reading it


@guarded(Permission.VIEW_DASHBOARD)
def snapshot(db: Database, actor: Actor, plan: Plan | None = None,
             now: datetime | None = None) -> Dashboard:
    """Every figure of the dashboard at `now`, in one read-only transaction."""
    plan = plan or Plan()
    plan.check()
    now = (now or datetime.now(UTC)).astimezone(UTC)
    local = in_china(now)
    shift = fc.current_shift(local, plan.shifts)
    day_start = datetime.combine(local.date(), time(0), CHINA_TZ).astimezone(UTC)
    # Read where reads may be a moment behind: the read replica when there is one.
    with db.replica_reader() as s:
        carriers = {r.id: _Carrier(r.id, r.code, r.name, r.cutoff, r.active) for r in s.execute(
            select(Carrier.id, Carrier.code, Carrier.name, Carrier.cutoff, Carrier.active))}
        counted = _summary(s, now) or (_reduce(_live_orders(s, now), _awaiting_balance(s), _prepacked(s)),
                                       now)
        counts, backlog_at = counted
        # From whichever began first: today, the shift, or the last hour (which reaches back
        # past midnight and past the shift's start in the shift's first hour).
        slots = _slots(s, min(day_start, shift.starts_at.astimezone(UTC),
                              fc.slot_of(now - fc.HOUR)), now)
        last_week = _slots(s, day_start - timedelta(days=7), day_start - timedelta(days=6))
        # People's rates over today and the shift so far: a night shift at 01:00 still has
        # its hours since 20:00 to measure by.
        people = _people(s, min(day_start, shift.starts_at.astimezone(UTC)), now)
        logged_in = _logged_in(s, shift.starts_at.astimezone(UTC))
        exceptions = _exceptions(s)
        campaigns, arrivals = _campaigns(s, now, counts.waiting)
        stations, printers = _stations(s, now)
        free = _free_numbers(s)

    pack_rate = _rates(slots, "pack", now, shift.starts_at.astimezone(UTC))
    pick_rate = _rates(slots, "pick", now, shift.starts_at.astimezone(UTC))
    # Who misses what is worked out as of when the orders were counted (seconds ago when the
    # engine counted them): which were overdue then is what the count knows.
    backlog = _backlog(counts, carriers, backlog_at, in_china(backlog_at), pack_rate)
    throughput = _throughput(slots, last_week, day_start, now, local.date())
    people_rows = _person_rows(people)
    measured = _measured(people)
    staffing = _staffing(plan, backlog, measured, logged_in, people, now, shift)
    forecast = _forecast(plan, counts, backlog, now, backlog_at, local, shift, pack_rate,
                         pick_rate, arrivals)
    pools = [_pool(c, free.get(c.id, 0), pack_rate, plan)
             for c in sorted(carriers.values(), key=lambda c: c.code) if c.active]
    health = Health(stations, printers, pools, sum(1 for st in stations if st.online),
                    sum(1 for st in stations if not st.online))
    return Dashboard(now, backlog, throughput, forecast, staffing, people_rows, exceptions,
                     campaigns, health, plan, backlog_at, db.replica_lag())


# ---- the live orders: one grouped pass, made by the engine for every dashboard


@guarded(Permission.RUN_ENGINE)
def summarise(db: Database, actor: Actor, now: datetime | None = None) -> float:
    """Count the live orders for the dashboards (the order engine does, every few seconds);
    returns the milliseconds the count took."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    started = time_now()
    with db.reader() as s:
        counts = _reduce(_live_orders(s, now), _awaiting_balance(s), _prepacked(s))
    took = (time_now() - started) * 1000
    data = counts.to_json()
    with db.unit_of_work() as s:
        row = s.get(BacklogSummary, 1, with_for_update=True)
        if row is None:
            s.add(BacklogSummary(id=1, computed_at=now, took_ms=round(took, 1), data=data))
        else:
            row.computed_at, row.took_ms, row.data = now, round(took, 1), data
    return took


def _summary(s: Session, now: datetime) -> tuple[_Counts, datetime] | None:
    """The engine's count when it is fresh (counted within SUMMARY_FRESH before `now`), else
    None: the caller counts for itself."""
    row = s.get(BacklogSummary, 1)
    if row is None or row.computed_at < now - SUMMARY_FRESH:
        return None
    if row.computed_at > now + timedelta(seconds=5):
        log.warning("the engine's count of the live orders is stamped %s, ahead of this PC's "
                    "clock (%s): counting here; set both clocks right", row.computed_at, now)
        return None
    return _Counts.from_json(row.data), row.computed_at


# ---- the live orders: one grouped pass


@dataclass(frozen=True, slots=True)
class _Carrier:
    id: int
    code: str
    name: str
    cutoff: str | None
    active: bool



@dataclass(frozen=True, slots=True)
class _Group:
    status: str
    band: str
    carrier_id: int | None
    presale: bool
    due_hour: datetime | None  # UTC start of the hour the orders are promised in
    late: bool  # promised before now: overdue already
    earliest: datetime | None  # the earliest promise of the group, to the second
    orders: int


def _due_hour(s: Session) -> ColumnElement[Any]:
    """The UTC hour an order is promised in, truncated in the database (China's offset is
    whole hours, so a UTC hour is a China hour). On PostgreSQL the very expression
    `ix_orders_live` holds, so the live orders are counted from that index alone."""
    if s.get_bind().dialect.name == "postgresql":
        return literal_column(LIVE_HOUR)
    return func.strftime("%Y-%m-%d %H:00:00", Order.promised_ship_by)


def _as_utc(value: Any) -> datetime | None:
    if value is None:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    assert isinstance(moment, datetime)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _live_orders(s: Session, now: datetime) -> list[_Group]:
    due = _due_hour(s).label("due")
    late = (Order.promised_ship_by < now).label("late")
    query = (select(Order.status, Order.priority_band, Order.carrier_id, Order.is_presale, due,
                    late, func.min(Order.promised_ship_by).label("earliest"),
                    func.count().label("n"))
             .where(Order.status.in_([x.value for x in LIVE]))
             .group_by(Order.status, Order.priority_band, Order.carrier_id, Order.is_presale,
                       due, late))
    return [_Group(r.status, r.priority_band, r.carrier_id, bool(r.is_presale),
                   _as_utc(r.due), bool(r.late), _as_utc(r.earliest), int(r.n))
            for r in s.execute(query)]


@dataclass(frozen=True, slots=True)
class _Counts:
    """The live orders reduced to what the dashboard shows: a few hundred numbers, whatever
    the number of orders (the engine keeps these for every dashboard)."""

    by_status: dict[str, int]
    by_band: dict[str, int]  # workable orders
    to_pack: dict[int | None, int]  # workable orders by carrier (None: not routed yet)
    packed: dict[int, int]  # packed orders waiting for their handover, by carrier
    presale_ready: int
    overdue: int  # workable orders past their promise when counted
    due: list[tuple[datetime, int, datetime]]  # (end of the promised hour, orders, earliest)
    waiting: dict[int, int]  # presale orders awaiting their balance, by campaign

    def to_json(self) -> dict[str, Any]:
        return {"by_status": self.by_status, "by_band": self.by_band,
                "to_pack": [[c, n] for c, n in self.to_pack.items()],
                "packed": [[c, n] for c, n in self.packed.items()],
                "presale_ready": self.presale_ready, "overdue": self.overdue,
                "due": [[end.isoformat(), n, first.isoformat()] for end, n, first in self.due],
                "waiting": [[c, n] for c, n in self.waiting.items()]}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> _Counts:
        def moment(text: str) -> datetime:
            return datetime.fromisoformat(text).astimezone(UTC)

        return cls({str(k): int(v) for k, v in d["by_status"].items()},
                   {str(k): int(v) for k, v in d["by_band"].items()},
                   {(int(c) if c is not None else None): int(n) for c, n in d["to_pack"]},
                   {int(c): int(n) for c, n in d["packed"]},
                   int(d["presale_ready"]), int(d["overdue"]),
                   [(moment(end), int(n), moment(first)) for end, n, first in d["due"]],
                   {int(c): int(n) for c, n in d["waiting"]})


def _prepacked(s: Session) -> dict[int, int]:
    """Pre-packed presale parcels whose balance is not paid (预打包), by carrier: packed, but
    on the staging shelf, not for the truck. Few rows: packed presale orders only."""
    from app.services.balance_due import balance_unpaid

    return {c: int(n) for c, n in s.execute(
        select(Order.carrier_id, func.count())
        .where(Order.status == S.PACKED.value, Order.is_presale.is_(True),
               Order.carrier_id.is_not(None), balance_unpaid(Order.__table__.c))
        .group_by(Order.carrier_id)) if c is not None}


def _reduce(groups: list[_Group], waiting: dict[int, int],
            prepacked: dict[int, int] | None = None) -> _Counts:
    """The groups added up; `prepacked` parcels (balance unpaid) are left out of the packed
    ones waiting for their truck."""
    by_status: dict[str, int] = defaultdict(int)
    by_band: dict[str, int] = {band: 0 for band in PRIORITY_BANDS}
    to_pack: dict[int | None, int] = defaultdict(int)
    packed: dict[int, int] = defaultdict(int)
    due: dict[datetime, list[Any]] = {}  # end of the promised hour → [orders, earliest]
    workable_statuses = {x.value for x in WORKABLE}
    presale_ready = overdue = 0
    for g in groups:
        by_status[g.status] += g.orders
        if g.status in workable_statuses:
            by_band[g.band] = by_band.get(g.band, 0) + g.orders
            to_pack[g.carrier_id] += g.orders
            presale_ready += g.orders if g.presale else 0
            if g.late:
                overdue += g.orders
            elif g.due_hour is not None and g.earliest is not None:
                row = due.setdefault(g.due_hour + fc.HOUR, [0, g.earliest])
                row[0] += g.orders
                row[1] = min(row[1], g.earliest)
        elif g.status == S.PACKED.value and g.carrier_id is not None:
            packed[g.carrier_id] += g.orders
    for carrier_id, shelved in (prepacked or {}).items():
        if carrier_id in packed:
            packed[carrier_id] = max(packed[carrier_id] - shelved, 0)
    return _Counts(dict(by_status), by_band, dict(to_pack), dict(packed), presale_ready,
                   overdue, [(end, n, first) for end, (n, first) in sorted(due.items())],
                   waiting)


def _backlog(counts: _Counts, carriers: dict[int, _Carrier], now: datetime,
             local: datetime, rate: fc.Rates) -> Backlog:
    by_status, to_pack, packed = counts.by_status, counts.to_pack, counts.packed
    workable_statuses = {x.value for x in WORKABLE}
    # Active carriers, and inactive ones still holding orders, by code.
    shown = [c for c in sorted(carriers.values(), key=lambda c: c.code)
             if c.active or to_pack.get(c.id) or packed.get(c.id)]
    cutoffs = {c.id: at.astimezone(UTC) for c in shown
               if (at := fc.cutoff_at(local, _clock(c.cutoff))) is not None}
    deadlines = [(at, to_pack.get(cid, 0)) for cid, at in cutoffs.items()]
    fast = dict(zip(cutoffs, fc.misses(now, deadlines, rate.high), strict=True))
    slow = dict(zip(cutoffs, fc.misses(now, deadlines, rate.low), strict=True))
    loads = [CarrierLoad(c.code, c.name, cutoffs.get(c.id), to_pack.get(c.id, 0),
                         packed.get(c.id, 0), fast.get(c.id, 0), slow.get(c.id, 0))
             for c in shown]
    workable = sum(n for st, n in by_status.items() if st in workable_statuses)
    return Backlog(
        by_status={x.value: by_status.get(x.value, 0) for x in LIVE}, by_band=counts.by_band,
        carriers=loads, unrouted=to_pack.get(None, 0), workable=workable,
        to_pick=sum(by_status.get(x.value, 0) for x in TO_PICK),
        blocked=sum(by_status.get(x.value, 0) for x in BLOCKED),
        awaiting_balance=by_status.get(S.AWAITING_BALANCE.value, 0),
        packed=by_status.get(S.PACKED.value, 0), presale_ready=counts.presale_ready,
        total=sum(by_status.values()))


def _clock(text: str | None) -> time | None:
    """A stored cut-off (`reference.set_cutoff` writes them); one that is not a time is none."""
    if not text:
        return None
    try:
        return fc.parse_clock(text)
    except ValueError:
        return None


# ---- the floor's work


@dataclass(frozen=True, slots=True)
class _Slot:
    kind: str
    at: datetime
    orders: int
    units: int


def _slots(s: Session, since: datetime, until: datetime) -> list[_Slot]:
    rows = s.execute(select(WorkSlot.kind, WorkSlot.slot_at, func.sum(WorkSlot.orders),
                            func.sum(WorkSlot.units))
                     .where(WorkSlot.slot_at >= since, WorkSlot.slot_at < until)
                     .group_by(WorkSlot.kind, WorkSlot.slot_at))
    return [_Slot(kind, at, int(orders or 0), int(units or 0))
            for kind, at, orders, units in rows]


def _rates(slots: list[_Slot], kind: str, now: datetime, shift_start: datetime) -> fc.Rates:
    """Orders an hour over the last hour and over the shift so far. A slot counts whole once
    it has begun: the current slot's work is in, and so is the time it began. A shift less
    than an hour old is measured over the last hour (a few minutes' work is no rate)."""
    hour_ago = fc.slot_of(now - fc.HOUR)
    since = min(shift_start, hour_ago)
    last_hour = sum(x.orders for x in slots if x.kind == kind and x.at >= hour_ago)
    shift = sum(x.orders for x in slots if x.kind == kind and x.at >= since)
    return fc.Rates(fc.per_hour(last_hour, hour_ago, now), fc.per_hour(shift, since, now))


def _throughput(slots: list[_Slot], last_week: list[_Slot], day_start: datetime, now: datetime,
                day: date) -> Throughput:
    def buckets(rows: Iterable[_Slot], start: datetime, kind: str, units: bool = False
                ) -> list[int]:
        return fc.hourly(((x.at, x.units if units else x.orders) for x in rows
                          if x.kind == kind), start, 24)

    week_start = day_start - timedelta(days=7)
    today = {k: buckets(slots, day_start, k) for k in ("pick", "pack", "ship")}
    units = {k: buckets(slots, day_start, k, True) for k in ("pick", "pack")}
    before = {k: buckets(last_week, week_start, k) for k in ("pick", "pack", "ship")}
    hours = [Hour(day_start + fc.HOUR * h, today["pick"][h], today["pack"][h], today["ship"][h],
                  units["pick"][h], units["pack"][h], before["pick"][h], before["pack"][h],
                  before["ship"][h]) for h in range(24)]
    same_time = now - timedelta(days=7)
    upto = {k: sum(x.orders for x in last_week if x.kind == k and x.at < same_time)
            for k in ("pick", "pack", "ship")}
    return Throughput(day, hours, sum(today["pick"]), sum(today["pack"]), sum(today["ship"]),
                      upto["pick"], upto["pack"], upto["ship"])


@dataclass(frozen=True, slots=True)
class _Worked:
    user_id: int
    code: str
    name: str
    role: str
    kind: str
    first: datetime
    last: datetime
    orders: int
    units: int
    seconds: float


def _people(s: Session, since: datetime, until: datetime) -> list[_Worked]:
    # The day's slots added up per person and kind first, then named: a few hundred joins,
    # not one per slot.
    w = (select(WorkSlot.user_id, WorkSlot.kind, func.min(WorkSlot.slot_at).label("first"),
                func.max(WorkSlot.slot_at).label("last"),
                func.sum(WorkSlot.orders).label("orders"),
                func.sum(WorkSlot.units).label("units"),
                func.sum(WorkSlot.seconds).label("seconds"))
         .where(WorkSlot.slot_at >= since, WorkSlot.slot_at < until)
         .group_by(WorkSlot.user_id, WorkSlot.kind).subquery())
    rows = s.execute(
        select(w.c.user_id, User.code, User.name, User.role, w.c.kind, w.c.first, w.c.last,
               w.c.orders, w.c.units, w.c.seconds)
        .join(User, User.id == w.c.user_id))
    return [_Worked(uid, code, name, role, kind, _as_utc(first) or since,
                    _as_utc(last) or since, int(o or 0), int(u or 0), float(sec or 0.0))
            for uid, code, name, role, kind, first, last, o, u, sec in rows]


def _hours(w: _Worked) -> float:
    """A person's working time today: from their first slot to the end of their last."""
    return (w.last + fc.SLOT - w.first) / fc.HOUR


def _person_rows(worked: list[_Worked]) -> list[Person]:
    rows = [Person(w.code, w.name, w.role, w.kind, w.orders, w.units, round(_hours(w), 2),
                   w.orders / _hours(w), w.units / _hours(w),
                   w.seconds / w.orders if w.kind == "pack" and w.orders and w.seconds else None)
            for w in worked]
    return sorted(rows, key=lambda p: (p.kind != "pack", -p.orders, p.code))


def _measured(worked: list[_Worked]) -> dict[str, float]:
    """Orders per person-hour for packing and picking today, over everyone who did it."""
    out = {}
    for kind, role in (("pack", Role.PACKER.value), ("pick", Role.PICKER.value)):
        mine = [w for w in worked if w.kind == kind]
        hours = sum(_hours(w) for w in mine)
        out[role] = sum(w.orders for w in mine) / hours if hours > 0 else 0.0
    return out


def _logged_in(s: Session, since: datetime) -> dict[str, int]:
    rows = s.execute(select(User.role, func.count())
                     .join(LoginThrottle, (LoginThrottle.scope == "user")
                           & (LoginThrottle.key == User.code))
                     .where(LoginThrottle.last_login_at >= since, User.active.is_(True),
                            User.kind == "person")
                     .group_by(User.role))
    return {role: int(n) for role, n in rows}


def _staffing(plan: Plan, backlog: Backlog, measured: dict[str, float],
              logged_in: dict[str, int], worked: list[_Worked], now: datetime,
              shift: fc.ShiftWindow) -> Staffing:
    """Packers for every workable order; pickers only for the orders not picked yet."""
    recent = now - WORKING_WITHIN
    working: dict[str, int] = {}
    for kind, role in (("pack", Role.PACKER.value), ("pick", Role.PICKER.value)):
        working[role] = len({w.user_id for w in worked if w.kind == kind and w.last >= recent})
    hours = shift.shift.hours
    rates = {Role.PACKER.value: plan.packer_per_hour or measured.get(Role.PACKER.value, 0.0),
             Role.PICKER.value: plan.picker_per_hour or measured.get(Role.PICKER.value, 0.0)}
    orders = {Role.PACKER.value: backlog.workable, Role.PICKER.value: backlog.to_pick}
    lines = [fc.staffing(role, orders[role], rates[role], hours, plan.reserve,
                         max(logged_in.get(role, 0), working.get(role, 0)))
             for role in (Role.PACKER.value, Role.PICKER.value)]
    volume = fc.peak_volume(plan.normal_daily, plan.growth, plan.conversion)
    per_day = sum(sh.hours for sh in plan.shifts) / len(plan.shifts)  # one person, one shift

    def need(role: str) -> int | None:
        return fc.people_needed(volume, rates[role] * per_day, plan.reserve)

    peak = Peak(plan.normal_daily, plan.growth, plan.conversion, volume,
                need(Role.PACKER.value), need(Role.PICKER.value))
    return Staffing(lines, measured, logged_in, working, hours, peak)


# ---- forecast


def _forecast(plan: Plan, counts: _Counts, backlog: Backlog, now: datetime,
              counted_at: datetime, local: datetime, shift: fc.ShiftWindow, pack: fc.Rates,
              pick: fc.Rates, arrivals: list[PresaleArrival]) -> Forecast:
    """Orders already overdue are counted apart and go first in the queue; the others are at
    risk when the floor, working earliest promise first behind the overdue ones, reaches them
    after their promise (each hour's orders held to the earliest promise among them)."""
    overdue = counts.overdue
    deadlines = [(first, n) for _end, n, first in counts.due]
    fast = fc.misses(counted_at, deadlines, pack.high, ahead=overdue)
    slow = fc.misses(counted_at, deadlines, pack.low, ahead=overdue)
    rows = [Due(end, n, lo, hi)
            for (end, n, _f), lo, hi in zip(counts.due, fast, slow, strict=True) if hi]
    daily = int(pack.shift * sum(sh.hours for sh in plan.shifts))
    by_day: dict[date, int] = defaultdict(int)
    for a in arrivals:
        by_day[a.day] += a.orders
    midnight = datetime.combine(local.date() + timedelta(days=1), time(0), local.tzinfo)
    days = fc.days_ahead(local.date(), backlog.workable, by_day, daily, plan.days,
                         today_left=(midnight - local) / timedelta(days=1))
    return Forecast(shift.shift.name, shift.starts_at.astimezone(UTC),
                    shift.ends_at.astimezone(UTC), pack, pick,
                    fc.clear_time(now, backlog.workable, pack), sum(fast), sum(slow), rows,
                    overdue, daily, days, arrivals)


# ---- exceptions, presale, health


def _exceptions(s: Session) -> ExceptionAgeing:
    levels = {level: 0 for level in range(4)}
    oldest: datetime | None = None
    for level, n, first in s.execute(
            select(OrderException.level, func.count(), func.min(OrderException.raised_at))
            .where(OrderException.resolved_at.is_(None)).group_by(OrderException.level)):
        levels[min(int(level), 3)] += int(n)
        first_at = _as_utc(first)
        if first_at is not None and (oldest is None or first_at < oldest):
            oldest = first_at
    categories = {c: int(n) for c, n in s.execute(
        select(OrderException.category, func.count())
        .where(OrderException.resolved_at.is_(None)).group_by(OrderException.category))}
    return ExceptionAgeing(levels, oldest, categories)


def _awaiting_balance(s: Session) -> dict[int, int]:
    """Presale orders waiting for their balance, by campaign."""
    return {int(c or 0): int(n) for c, n in s.execute(
        select(Order.campaign_id, func.count())
        .where(Order.campaign_id.is_not(None), Order.status == S.AWAITING_BALANCE.value)
        .group_by(Order.campaign_id))}


def _campaigns(s: Session, now: datetime, waiting: dict[int, int]
               ) -> tuple[list[CampaignLoad], list[PresaleArrival]]:
    loads, arrivals = [], []
    for c, pool, sku in s.execute(
            select(PresaleCampaign, PresalePool, Sku.code)
            .join(PresalePool, PresalePool.campaign_id == PresaleCampaign.id)
            .join(Sku, Sku.id == PresaleCampaign.sku_id)
            .where(PresaleCampaign.ship_by >= now - timedelta(days=1))
            .order_by(PresaleCampaign.ship_by)):
        ratio = pool.reserved / pool.capacity if pool.capacity else 1.0
        n = int(waiting.get(c.id, 0))
        loads.append(CampaignLoad(c.code, c.name, sku, pool.reserved, pool.capacity, ratio,
                                  c.safety_ratio, ratio >= min(NEAR_CAPACITY, c.safety_ratio),
                                  c.balance_starts_at, c.ship_by, n))
        if n:
            opens = c.balance_starts_at or now
            arrivals.append(PresaleArrival(c.code, c.name, in_china(max(opens, now)).date(), n))
    return loads, arrivals


def _stations(s: Session, now: datetime) -> tuple[list[StationState], list[PrinterState]]:
    from app.services.stations import ONLINE_WITHIN

    stations, printers = [], []
    for st in s.scalars(select(Station).order_by(Station.code)):
        online = st.last_seen_at is not None and now - st.last_seen_at <= ONLINE_WITHIN
        stations.append(StationState(st.code, st.name, st.kind, online, st.last_seen_at,
                                     st.outbox_pending, st.outbox_lag_s, st.outbox_refused,
                                     st.app_version))
        for p in st.printers or []:
            if not isinstance(p, dict):
                continue
            state = str(p.get("state") or "unknown") if online else "offline"
            printers.append(PrinterState(st.code, str(p.get("role") or ""),
                                         str(p.get("name") or ""), state,
                                         int(p.get("waiting") or 0), int(p.get("failed") or 0)))
    return stations, printers


def _free_numbers(s: Session) -> dict[int, int]:
    """Free numbers per carrier, counted carrier by carrier: each count reads only that
    carrier's free numbers from (carrier_id, status), never the used ones piling up behind."""
    free = (select(func.count()).select_from(TrackingNumber)
            .where(TrackingNumber.carrier_id == Carrier.id, TrackingNumber.status == "free")
            .scalar_subquery())
    return {cid: int(n) for cid, n in s.execute(select(Carrier.id, free)) if n}


def _pool(carrier: _Carrier, free: int, pack: fc.Rates, plan: Plan) -> Pool:
    """A carrier's free numbers, and how long they last if every parcel packed at the floor's
    faster rate took one of them (a carrier's share is not known ahead, so the worst case)."""
    hours = free / pack.high if pack.high > 0 else None
    low = free < LOW_POOL_NUMBERS or (hours is not None and hours < plan.low_pool_hours)
    return Pool(carrier.code, carrier.name, free, hours, low)

