"""Waves and picking: plan (a preview that changes nothing), release, cancel; a picker claims a
wave and picks it by scanning bin and item; a short pick raises its exception; multi-item waves
are sorted at the put wall (播种墙); an order that is cancelled or refunded mid-wave leaves it,
and what was already picked for it gets a put-back (放回) task.

The rules (wave formation, walking path, put-wall slots) are the pure modules
`app.domain.waves`, `app.domain.pick_path` and `app.domain.put_wall`; this module loads their
facts, and writes what they decide with row locks: two shift leads releasing at once never put
one order in two waves (the orders are locked with SKIP LOCKED, and a partial unique index
keeps an order in one live wave whatever happens), and one wave has one picker.
"""

from __future__ import annotations

import gc
import logging
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from app.domain import pick_path as paths
from app.domain import waves as rules
from app.domain.china_time import china_day
from app.domain.notes import Note
from app.domain.priority import BANDS
from app.domain.put_wall import PutWall
from app.domain.roles import Permission
from app.domain.status import OrderStatus, check_transition
from app.services import audit, changes, numbers, stock
from app.services.access import guarded
from app.services.changes import Change
from app.services.context import Actor
from app.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.services.orders import set_status
from app.store import bulk
from app.store.db import Database
from app.store.models import (
    Bin,
    Order,
    OrderLine,
    PickTask,
    PutbackTask,
    Sku,
    SkuBarcode,
    StockMovement,
    User,
    Warehouse,
    Wave,
    WaveOrder,
    Zone,
)

log = logging.getLogger("packline.waves")
S = OrderStatus
# Multi-item waves are sorted at the put wall after picking; the others are ready to pack as
# soon as the wave is picked.
PUT_WALL = {rules.Strategy.MULTI_ITEM.value}


class ScanRefused(InvalidInput):
    """A scan that does not fit the task: nothing changed. `kind` picks the sound and colour."""

    def __init__(self, message: str, kind: str = "wrong", *, code: str = "",
                 **params: object) -> None:
        super().__init__(message, code=code, **params)
        self.kind = kind


# ------------------------------------------------------------------ facts for the rules


def _warehouse(s: Session, code: str) -> Warehouse:
    wh = s.scalars(select(Warehouse).where(Warehouse.code == code.strip().upper())).first()
    if wh is None:
        raise NotFound(f"no warehouse {code}", code="wave.no_warehouse", warehouse=code)
    return wh


def _spots(s: Session, warehouse_id: int) -> dict[int, paths.BinSpot]:
    return {r.id: paths.BinSpot(r.id, r.code, r.zone, r.aisle, r.rack, r.level, r.pick_seq)
            for r in s.execute(select(Bin.id, Bin.code, Zone.code.label("zone"), Bin.aisle,
                                      Bin.rack, Bin.level, Bin.pick_seq)
                               .join(Zone, Zone.id == Bin.zone_id)
                               .where(Bin.warehouse_id == warehouse_id))}


def _needs(s: Session, order_ids: Sequence[int] | None, warehouse_id: int | None = None
           ) -> dict[int, list[paths.PickNeed]]:
    """What each order holds, bin by bin, as the stock ledger says (reserved and not yet
    picked or given back)."""
    sm = StockMovement
    query = (select(sm.order_id, sm.sku_id, sm.bin_id, func.sum(sm.delta_reserved))
             .where(sm.reason.in_(["reserve", "release", "pick"]))
             .group_by(sm.order_id, sm.sku_id, sm.bin_id)
             .having(func.sum(sm.delta_reserved) > 0))
    if order_ids is not None:
        query = query.where(bulk.matching(s, sm.order_id, list(order_ids)))
    else:
        routed = select(Order.id).where(Order.warehouse_id == warehouse_id,
                                        Order.status == S.ROUTED.value,
                                        Order.intercept.is_(None))
        query = query.where(sm.order_id.in_(routed))
    needs: dict[int, list[paths.PickNeed]] = defaultdict(list)
    need = paths.PickNeed
    for order_id, sku_id, bin_id, qty in s.execute(query).all():
        needs[order_id].append(need(order_id, sku_id, bin_id, int(qty)))
    return needs


def _facts(s: Session, warehouse_id: int, order_ids: Sequence[int] | None = None
           ) -> list[rules.WaveOrderFact]:
    o = Order
    query = select(o.id, o.order_no, o.warehouse_id, o.carrier_id, o.priority,
                   o.priority_band, o.promised_ship_by, o.is_presale, o.campaign_id,
                   o.line_count, o.unit_count).where(o.warehouse_id == warehouse_id,
                                                     o.status == S.ROUTED.value,
                                                     o.intercept.is_(None))
    if order_ids is not None:
        query = query.where(bulk.matching(s, o.id, list(order_ids)))
    rows = s.execute(query).all()
    needs = _needs(s, order_ids if order_ids is not None else None,
                   None if order_ids is not None else warehouse_id)
    facts = []
    for r in rows:
        held = needs.get(r.id)
        if not held:
            continue
        # The wave picks what the ledger holds for the order, bin by bin.
        facts.append(rules.WaveOrderFact(
            order_id=r.id, order_no=r.order_no, warehouse_id=r.warehouse_id,
            carrier_id=r.carrier_id, priority=r.priority, band=r.priority_band,
            promised_ship_by=r.promised_ship_by, is_presale=bool(r.is_presale),
            campaign_id=r.campaign_id, lines=r.line_count, units=sum(n.qty for n in held),
            needs=tuple(held)))
    return facts


def _limits(max_orders: int, max_cells: int, max_lines: int | None, max_units: int | None,
            mix_bands: bool) -> rules.WaveLimits:
    return rules.WaveLimits(max_orders=max_orders, max_lines=max_lines, max_units=max_units,
                            max_cells=max_cells, mix_bands=mix_bands)


@contextmanager
def _no_gc() -> Iterator[None]:
    """Building facts for a whole backlog makes hundreds of thousands of small objects, none of
    them garbage: the cyclic collector would walk them all several times for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(frozen=True, slots=True)
class Plan:
    warehouse: str
    strategy: str
    waves: list[Any]  # rules.PlannedWave
    spots: dict[int, paths.BinSpot]
    considered: int  # routed orders looked at

    def summary(self) -> dict[str, Any]:
        return {"warehouse": self.warehouse, "strategy": self.strategy,
                "considered": self.considered, "waves": len(self.waves),
                "orders": sum(len(w.order_ids) for w in self.waves),
                "units": sum(w.units for w in self.waves)}


@guarded(Permission.VIEW_ORDERS)
def plan(db: Database, actor: Actor, warehouse: str, strategy: str, *,
         carrier: str | None = None, zone: str | None = None, max_orders: int = 100,
         max_cells: int = 20, max_lines: int | None = None, max_units: int | None = None,
         mix_bands: bool = False, urgent_hours: float = 4, hot_threshold: int = 50,
         now: datetime | None = None) -> Plan:
    """The waves that releasing now would form: orders, lines, units, bins to visit, walking
    distance and pick time. Reads only."""
    try:
        chosen = rules.Strategy(strategy)
    except ValueError:
        names = ", ".join(st.value for st in rules.Strategy)
        raise InvalidInput(f"unknown strategy {strategy!r}; one of: {names}",
                           code="wave.unknown_strategy", strategy=strategy) from None
    now = now or datetime.now(UTC)
    with db.reader() as s:
        wh = _warehouse(s, warehouse)
        carrier_id = None
        if carrier:
            from app.store.models import Carrier

            carrier_id = s.scalar(select(Carrier.id).where(Carrier.code == carrier.upper()))
            if carrier_id is None:
                raise NotFound(f"no carrier {carrier}", code="wave.no_carrier", carrier=carrier)
        with _no_gc():
            facts = _facts(s, wh.id)
        spots = _spots(s, wh.id)
        wh_code = wh.code
    try:
        with _no_gc():
            planned = rules.plan_waves(facts, chosen, _limits(
                max_orders, max_cells, max_lines, max_units, mix_bands),
                                       now=now, carrier_id=carrier_id, zone=zone,
                                       urgent_hours=urgent_hours,
                                       hot_threshold=hot_threshold, spots=spots)
    except ValueError as exc:
        raise InvalidInput(str(exc), code=getattr(exc, "code", "") or "wave.bad_limits",
                           **getattr(exc, "params", {})) from None
    return Plan(wh_code, chosen.value, planned, spots, len(facts))


# ------------------------------------------------------------------ release and cancel


@dataclass(frozen=True, slots=True)
class Released:
    wave_no: str
    orders: int
    lines: int
    units: int
    tasks: int
    skipped_orders: int  # planned, but taken by someone else in the meantime


def _wave_no(s: Session, now: datetime) -> str:
    day = china_day(now)
    (n,) = numbers.allocate(s, f"wave_no:{day}", 1)
    return f"WAVE-{day}{n:04d}"


@guarded(Permission.RELEASE_WAVES)
def release(db: Database, actor: Actor, warehouse: str, strategy: str, *,
            max_waves: int | None = None, now: datetime | None = None,
            **options: Any) -> list[Released]:
    """Release the planned waves, each in one transaction. Orders another release took in the
    meantime are left out of the wave (and its pick path recomputed)."""
    now = now or datetime.now(UTC)
    planned = plan(db, actor, warehouse, strategy, now=now, **options)
    released: list[Released] = []
    for wave in planned.waves[:max_waves]:
        result = _release_one(db, actor, planned, wave, now)
        if result is not None:
            released.append(result)
    if released:
        log.info("%s released %d %s waves in %s", actor.code, len(released), strategy,
                 warehouse)
    return released


@guarded(Permission.RELEASE_WAVES)
def release_planned(db: Database, actor: Actor, planned: Plan, chosen: Sequence[int], *,
                    now: datetime | None = None) -> list[Released]:
    """Release the waves of a preview the lead chose (indices into `planned.waves`), as they
    were shown: orders taken by another release since the preview are left out."""
    picked = sorted(set(chosen))
    if not picked:
        raise InvalidInput("choose the waves to release", code="wave.none_chosen")
    if picked[0] < 0 or picked[-1] >= len(planned.waves):
        raise InvalidInput("the preview has changed: preview again",
                           code="wave.preview_changed")
    now = now or datetime.now(UTC)
    released = [r for r in (_release_one(db, actor, planned, planned.waves[i], now)
                            for i in picked) if r is not None]
    if released:
        log.info("%s released %d of %d previewed %s waves in %s", actor.code, len(released),
                 len(planned.waves), planned.strategy, planned.warehouse)
    return released


def _release_one(db: Database, actor: Actor, planned: Plan, wave: Any,
                 now: datetime) -> Released | None:
    """One wave, one transaction, set-based: the orders are locked (SKIP LOCKED: one that
    another release holds is left out), moved routed → in_wave through the state machine and
    audited one row each, and the pick tasks written."""
    check_transition(S.ROUTED, S.IN_WAVE)
    o = Order.__table__.c
    with db.unit_of_work() as s:
        changes.note(s, Change.WAVES, Change.ORDERS, Change.PICKING)
        query = (select(o.id, o.order_no, o.warehouse_id, o.line_count, o.unit_count)
                 .where(bulk.matching(s, o.id, list(wave.order_ids)),
                        o.status == S.ROUTED.value, o.intercept.is_(None)).order_by(o.id))
        if s.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        orders = {r.id: r for r in s.execute(query).all()}
        if not orders:
            return None
        ids = [i for i in wave.order_ids if i in orders]
        cells = {i: c for i, c in wave.cells.items() if i in orders}
        if len(ids) == len(wave.order_ids):
            stops = wave.stops
        else:  # some were taken meanwhile: walk for the ones this wave still has
            needs = _needs(s, ids)
            stops = paths.pick_path([n for i in ids for n in needs[i]], planned.spots, cells)
        wave_row = Wave(wave_no=_wave_no(s, now), warehouse_id=orders[ids[0]].warehouse_id,
                        strategy=planned.strategy, status="released",
                        priority_band=wave.band, carrier_id=wave.carrier_id,
                        order_count=len(ids),
                        line_count=sum(orders[i].line_count for i in ids),
                        unit_count=sum(orders[i].unit_count for i in ids),
                        created_by=actor.user_id, released_at=now)
        s.add(wave_row)
        s.flush()
        bulk.insert_rows(s, WaveOrder.__table__, [
            {"wave_id": wave_row.id, "order_id": i, "cell": cells.get(i), "removed_at": None}
            for i in ids])
        bulk.insert_rows(s, PickTask.__table__, [
            {"wave_id": wave_row.id, "seq": st.seq, "bin_id": st.bin_id, "sku_id": st.sku_id,
             "qty": st.qty, "picked_qty": 0, "status": "open", "tote_id": None,
             "picked_by": None, "picked_at": None} for st in stops])
        s.execute(update(Order).where(bulk.matching(s, Order.id, ids)).values(
            status=S.IN_WAVE.value, wave_id=wave_row.id, status_changed_at=now,
            updated_at=now, version=Order.version + 1))
        audit.record_many(s, actor, "order.status", "order", [
            (orders[i].order_no, S.ROUTED.value, S.IN_WAVE.value, {"wave": wave_row.wave_no})
            for i in ids])
        audit.record(s, actor, "wave.released", "wave", wave_row.wave_no, None, "released",
                     {"strategy": planned.strategy, "orders": len(ids),
                      "units": wave_row.unit_count})
        changes.note(s, Change.WAVES, Change.ORDERS)
        return Released(wave_row.wave_no, len(ids), wave_row.line_count, wave_row.unit_count,
                        len(stops), len(wave.order_ids) - len(ids))


def _wave(s: Session, wave_no: str, *, lock: bool = False) -> Wave:
    query = select(Wave).where(Wave.wave_no == wave_no.strip().upper())
    wave = s.scalars(query.with_for_update() if lock else query).first()
    if wave is None:
        raise NotFound(f"no wave {wave_no}", code="wave.not_found", wave_no=wave_no)
    return wave


@guarded(Permission.RELEASE_WAVES)
def cancel(db: Database, actor: Actor, wave_no: str, reason: str = "") -> int:
    """Back to the queue: the wave's orders are routed again (their stock stays reserved).
    Refused once a unit is picked: then orders leave one by one with put-back tasks."""
    with db.unit_of_work() as s:
        changes.note(s, Change.WAVES, Change.ORDERS, Change.PICKING)
        wave = _wave(s, wave_no, lock=True)
        started = wave.status == "picking" or _units_picked(s, wave)
        if started:
            raise Conflict(f"{wave.wave_no} is {wave.status}: only a wave nobody has started "
                           "picking can be cancelled", code="wave.started",
                           wave=wave.wave_no)
        if wave.status != "released":  # picked, done or cancelled already
            raise Conflict(f"{wave.wave_no} is {wave.status}: only a released wave can be "
                           "cancelled", code="wave.cancel_started", wave_no=wave.wave_no,
                           wave_status=wave.status)
        return _back_to_queue(s, actor, wave, reason or "wave cancelled", "wave.cancelled")


def _units_picked(s: Session, wave: Wave) -> int:
    return int(s.scalar(select(func.sum(PickTask.picked_qty))
                        .where(PickTask.wave_id == wave.id)) or 0)


def _back_to_queue(s: Session, actor: Actor, wave: Wave, reason: str, action: str) -> int:
    """Every order of a wave nothing was picked for is routed again, its stock still
    reserved; the wave ends cancelled."""
    now = datetime.now(UTC)
    before = wave.status
    members = list(s.scalars(select(WaveOrder).where(WaveOrder.wave_id == wave.id,
                                                     WaveOrder.removed_at.is_(None))))
    orders = {o.id: o for o in s.scalars(select(Order).where(
        Order.id.in_([m.order_id for m in members])).with_for_update())}
    for m in members:
        m.removed_at = now
        order = orders[m.order_id]
        order.wave_id = None
        if order.status in (S.IN_WAVE.value, S.PICKING.value):
            # Straight back to routed, nothing having left a bin: the stock stays with the
            # order (a status change through the state machine would give it back).
            old = order.status
            order.status = S.ROUTED.value
            order.status_changed_at = now
            audit.record(s, actor, "order.status", "order", order.order_no, old,
                         S.ROUTED.value, {"wave": wave.wave_no, "reason": reason})
    s.execute(update(PickTask).where(PickTask.wave_id == wave.id,
                                     PickTask.status == "open").values(status="skipped"))
    wave.status, wave.cancelled_at = "cancelled", now
    audit.record(s, actor, action, "wave", wave.wave_no, before, "cancelled",
                 {"reason": reason, "orders": len(members)})
    changes.note(s, Change.WAVES, Change.ORDERS, Change.PICKING)
    return len(members)


def _held(s: Session, actor: Actor, wave_no: str) -> Wave:
    """The wave being picked by this picker (or any picker's, for a shift lead), locked.
    The service calling it is `@guarded(Permission.PICK)`."""
    wave = _wave(s, wave_no, lock=True)
    if wave.status != "picking":
        raise Conflict(f"{wave.wave_no} is {wave.status}, not being picked",
                       code="wave.not_being_picked", wave=wave.wave_no, wave_status=wave.status)
    if actor.user_id is not None and wave.picker_id != actor.user_id \
            and not actor.can(Permission.RELEASE_WAVES):
        raise PermissionDenied(f"{wave.wave_no} is another picker's",
                               code="wave.not_yours", wave=wave.wave_no)
    return wave


@guarded(Permission.PICK)
def hand_back(db: Database, actor: Actor, wave_no: str, reason: str = "") -> WaveView:
    """The picker stops and hands the wave on: it is released again for any picker, with
    what was picked kept (the next picker carries on from the first open task)."""
    with db.unit_of_work() as s:
        wave = _held(s, actor, wave_no)
        held_by = wave.picker_id
        wave.status, wave.picker_id, wave.claimed_at = "released", None, None
        # Skipped tasks are open again for whoever takes it next.
        s.execute(update(PickTask).where(PickTask.wave_id == wave.id,
                                         PickTask.status == "skipped").values(status="open"))
        audit.record(s, actor, "wave.handed_back", "wave", wave.wave_no, "picking",
                     "released", {"reason": reason, "picker": held_by,
                                  "picked": _units_picked(s, wave)})
        changes.note(s, Change.WAVES, Change.PICKING)
        s.flush()
        return _view(s, wave)


@guarded(Permission.PICK)
def abandon(db: Database, actor: Actor, wave_no: str, reason: str = "") -> int:
    """The picker gives the wave up before taking anything: its orders go back to the queue
    as `cancel` puts them. Once a unit is picked it can only be handed back (or its orders
    taken out one by one by the shift lead, with put-backs)."""
    with db.unit_of_work() as s:
        wave = _held(s, actor, wave_no)
        picked = _units_picked(s, wave)
        if picked:
            raise Conflict(f"{wave.wave_no} has {picked} units picked: hand it back instead",
                           code="wave.abandon_picked", wave=wave.wave_no, units=picked)
        return _back_to_queue(s, actor, wave, reason or "abandoned by the picker",
                              "wave.abandoned")


@guarded(Permission.PICK)
def held_wave(db: Database, actor: Actor) -> WaveView | None:
    """The wave this picker holds (being picked, or picked and waiting at their put wall),
    to take them back to it when they log in again."""
    if actor.user_id is None:
        return None
    with db.reader() as s:
        wave = s.scalars(select(Wave).where(
            Wave.picker_id == actor.user_id,
            (Wave.status == "picking") | ((Wave.status == "picked")
                                          & Wave.strategy.in_(list(PUT_WALL))))
            .order_by(Wave.claimed_at.desc(), Wave.id.desc())).first()
        return _view(s, wave) if wave is not None else None


# Most urgent band first (overdue, due soon, presale, vip, normal), then newest.
_BAND_RANK = case({band: rank for rank, band in enumerate(BANDS)},
                  value=Wave.priority_band, else_=len(BANDS))


@guarded(Permission.VIEW_ORDERS)
def list_waves(db: Database, actor: Actor, *, warehouse: str | None = None,
               status: Sequence[str] | None = None, limit: int = 300) -> list[dict[str, Any]]:
    """Waves by priority band (overdue first), newest first within a band, with progress:
    picked units of all, picker, elapsed."""
    with db.reader() as s:
        picked = (select(PickTask.wave_id, func.sum(PickTask.picked_qty).label("picked"),
                         func.sum(PickTask.qty).label("total"))
                  .group_by(PickTask.wave_id).subquery())
        query = (select(Wave, Warehouse.code, User.name, picked.c.picked, picked.c.total)
                 .join(Warehouse, Warehouse.id == Wave.warehouse_id)
                 .outerjoin(User, User.id == Wave.picker_id)
                 .outerjoin(picked, picked.c.wave_id == Wave.id)
                 .order_by(_BAND_RANK, Wave.id.desc()).limit(limit))
        if warehouse:
            query = query.where(Warehouse.code == warehouse.upper())
        if status:
            query = query.where(Wave.status.in_(list(status)))
        now = datetime.now(UTC)
        found = list(s.execute(query))
        estimates = _estimated_minutes(s, [w for w, *_rest in found])
        return [{"wave_no": w.wave_no, "warehouse": code, "strategy": w.strategy,
                 "status": w.status, "band": w.priority_band, "orders": w.order_count,
                 "lines": w.line_count, "units": w.unit_count, "picked": int(p or 0),
                 "to_pick": int(t or 0), "picker": picker or "",
                 "released_at": w.released_at, "claimed": w.claimed_at is not None,
                 "elapsed_s": int(((w.finished_at or now) - (w.claimed_at or w.released_at))
                                  .total_seconds()) if w.claimed_at else 0,
                 "estimated_min": estimates.get(w.id)}
                for w, code, picker, p, t in found]


def _estimated_minutes(s: Session, found: Sequence[Wave]) -> dict[int, float]:
    """Each wave's pick time as the preview estimated it (its tasks in walking order over the
    warehouse's floor), in minutes; cancelled waves have none."""
    live = [w for w in found if w.status != "cancelled"]
    if not live:
        return {}
    tasks: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for wave_id, bin_id, qty in s.execute(
            select(PickTask.wave_id, PickTask.bin_id, PickTask.qty)
            .where(PickTask.wave_id.in_([w.id for w in live]))
            .order_by(PickTask.wave_id, PickTask.seq)):
        tasks[wave_id].append((bin_id, qty))
    areas: dict[int, paths.PickArea] = {}
    minutes: dict[int, float] = {}
    for w in live:
        if not tasks[w.id]:
            continue
        if w.warehouse_id not in areas:
            areas[w.warehouse_id] = paths.PickArea(_spots(s, w.warehouse_id))
        minutes[w.id] = rules.estimated_pick_seconds(tasks[w.id], areas[w.warehouse_id]) / 60
    return minutes


# ------------------------------------------------------------------ picking


@dataclass(frozen=True, slots=True)
class TaskView:
    seq: int
    bin_code: str
    sku_code: str
    sku_name: str
    qty: int
    picked: int
    status: str
    cells: tuple[tuple[str, int, int | None], ...]  # (order number, units, cart cell)


@dataclass(frozen=True, slots=True)
class WaveView:
    wave_no: str
    strategy: str
    status: str
    picker: str
    tasks: tuple[TaskView, ...]
    putbacks: tuple[dict[str, Any], ...]

    @property
    def current(self) -> TaskView | None:
        """The task to do now: open tasks in path order, then the skipped ones."""
        for wanted in ("open", "skipped"):
            for t in self.tasks:
                if t.status == wanted:
                    return t
        return None

    @property
    def done(self) -> bool:
        return self.current is None


@guarded(Permission.PICK)
def claim(db: Database, actor: Actor, wave_no: str) -> WaveView:
    """One picker per wave: the first claim wins, settled by the database."""
    now = datetime.now(UTC)
    with db.unit_of_work() as s:
        changes.note(s, Change.WAVES, Change.PICKING, Change.ORDERS)
        wave = _wave(s, wave_no)
        won = s.execute(update(Wave).where(
            Wave.id == wave.id, Wave.status == "released", Wave.picker_id.is_(None),
        ).values(picker_id=actor.user_id, status="picking", claimed_at=now)).rowcount
        if not won:
            s.refresh(wave)
            if wave.status == "picking" and wave.picker_id == actor.user_id \
                    and actor.user_id is not None:
                return _view(s, wave)  # picking it already: carry on where it was
            who = s.scalar(select(User.name).where(User.id == wave.picker_id)) or "-"
            raise Conflict(f"{wave.wave_no} is {wave.status}" +
                           (f", claimed by {who}" if wave.picker_id else ""),
                           code="wave.claimed" if wave.picker_id else "wave.not_released",
                           wave_no=wave.wave_no, wave_status=wave.status, user=who)
        orders = list(s.scalars(select(Order).where(
            Order.wave_id == wave.id, Order.status == S.IN_WAVE.value).with_for_update()))
        for order in orders:
            set_status(s, actor, order, S.PICKING, detail={"wave": wave.wave_no})
        audit.record(s, actor, "wave.claimed", "wave", wave.wave_no, "released", "picking")
        changes.note(s, Change.WAVES, Change.ORDERS)
        s.flush()
        s.refresh(wave)
        return _view(s, wave)


@guarded(Permission.VIEW_ORDERS)
def view(db: Database, actor: Actor, wave_no: str) -> WaveView:
    with db.reader() as s:
        return _view(s, _wave(s, wave_no))


def _view(s: Session, wave: Wave) -> WaveView:
    tasks = s.execute(select(PickTask.seq, Bin.code, Sku.code, Sku.name, PickTask.qty,
                             PickTask.picked_qty, PickTask.status, PickTask.sku_id,
                             PickTask.bin_id)
                      .join(Bin, Bin.id == PickTask.bin_id).join(Sku, Sku.id == PickTask.sku_id)
                      .where(PickTask.wave_id == wave.id).order_by(PickTask.seq)).all()
    members = s.execute(select(WaveOrder.order_id, WaveOrder.cell, Order.order_no)
                        .join(Order, Order.id == WaveOrder.order_id)
                        .where(WaveOrder.wave_id == wave.id,
                               WaveOrder.removed_at.is_(None))).all()
    cell_of = {m.order_id: (m.order_no, m.cell) for m in members}
    shares: dict[tuple[int, int], list[tuple[str, int, int | None]]] = defaultdict(list)
    for need_list in _needs(s, list(cell_of)).values():
        for n in need_list:
            no, cell = cell_of[n.order_id]
            shares[(n.bin_id, n.sku_id)].append((no, n.qty, cell))
    picker = s.scalar(select(User.name).where(User.id == wave.picker_id)) or ""
    putbacks = tuple({"id": p.id, "order_no": no, "sku": sku, "bin": bin_code,
                      "qty": p.qty, "status": p.status}
                     for p, no, sku, bin_code in s.execute(
                         select(PutbackTask, Order.order_no, Sku.code, Bin.code)
                         .join(Order, Order.id == PutbackTask.order_id)
                         .join(Sku, Sku.id == PutbackTask.sku_id)
                         .join(Bin, Bin.id == PutbackTask.bin_id)
                         .where(PutbackTask.wave_id == wave.id).order_by(PutbackTask.id)))
    return WaveView(wave.wave_no, wave.strategy, wave.status, picker, tuple(
        TaskView(t.seq, t[1], t[2], t[3], t.qty, t.picked_qty, t.status,
                 tuple(sorted(shares.get((t.bin_id, t.sku_id), []), key=lambda x: x[2] or 0)))
        for t in tasks), putbacks)


def _picking(s: Session, actor: Actor, wave_no: str, seq: int) -> tuple[Wave, PickTask]:
    # The services calling it are `@guarded(Permission.PICK)`.
    wave = _wave(s, wave_no, lock=True)
    if wave.status != "picking":
        raise ScanRefused(f"{wave.wave_no} is {wave.status}", "state", code="wave.not_picking",
                          wave_no=wave.wave_no, wave_status=wave.status)
    if actor.user_id is not None and wave.picker_id != actor.user_id:
        raise ScanRefused(f"{wave.wave_no} is being picked by someone else", "state",
                          code="wave.someone_else", wave_no=wave.wave_no)
    task = s.scalars(select(PickTask).where(PickTask.wave_id == wave.id,
                                            PickTask.seq == seq).with_for_update()).first()
    if task is None:
        raise NotFound(f"{wave.wave_no} has no task {seq}", code="wave.no_task",
                       wave_no=wave.wave_no, seq=seq)
    if task.status in ("done", "short"):
        raise ScanRefused(f"task {seq} is finished already", "done", code="pick.task_done",
                          seq=seq)
    return wave, task


@guarded(Permission.PICK)
def confirm_bin(db: Database, actor: Actor, wave_no: str, seq: int, scanned: str) -> str:
    """The picker is at the right bin (the scan must be the task's bin)."""
    from drivers.barcode import ScanKind, parse_scan

    with db.reader() as s:
        _wave_row, task = _picking(s, actor, wave_no, seq)
        expected = s.scalar(select(Bin.code).where(Bin.id == task.bin_id)) or ""
    scan = parse_scan(scanned)
    if scan.kind is not ScanKind.BIN:
        raise ScanRefused(f"scan the bin {expected} first", "not_a_bin", code="pick.not_a_bin",
                          bin=expected)
    if scan.value != expected.upper():
        raise ScanRefused(f"wrong bin {scan.value}: go to {expected}", "wrong_bin",
                          code="pick.wrong_bin", scanned=scan.value, bin=expected)
    return expected


def _sku_for(s: Session, scanned: str) -> tuple[int, int] | None:
    """(sku id, units per scan) for a scanned product code; None when it is no product."""
    from drivers.barcode import ScanKind, parse_scan

    scan = parse_scan(scanned)
    candidates = {scan.text, scan.value}
    if scan.gtin:
        candidates |= {scan.gtin, scan.gtin.lstrip("0"), scan.gtin[1:]}
    row = s.execute(select(SkuBarcode.sku_id, SkuBarcode.units)
                    .where(SkuBarcode.barcode.in_(candidates))).first()
    if row is not None:
        return int(row[0]), int(row[1])
    if scan.kind in (ScanKind.SKU, ScanKind.UNKNOWN):
        sku_id = s.scalar(select(Sku.id).where(Sku.code.in_({scan.text, scan.text.upper()})))
        if sku_id is not None:
            return int(sku_id), 1
    return None


@guarded(Permission.PICK)
def pick(db: Database, actor: Actor, wave_no: str, seq: int, scanned: str,
         qty: int = 1) -> WaveView:
    """Units of the task's SKU taken from its bin: stock leaves the bin, the task counts up.
    A wrong item or more than the task needs is refused and changes nothing."""
    if qty < 1:
        raise ScanRefused("quantity must be at least 1", "qty", code="pick.qty_zero")
    now = datetime.now(UTC)
    with db.unit_of_work() as s:
        changes.note(s, Change.PICKING, Change.WAVES, Change.ORDERS, Change.STOCK)
        wave, task = _picking(s, actor, wave_no, seq)
        found = _sku_for(s, scanned)
        if found is None or found[0] != task.sku_id:
            expected = s.scalar(select(Sku.code).where(Sku.id == task.sku_id))
            raise ScanRefused(f"wrong item: this task is {expected}", "wrong_item",
                              code="pick.wrong_item", sku=expected)
        units = qty * found[1]
        if task.picked_qty + units > task.qty:
            raise ScanRefused(f"too many: {task.qty - task.picked_qty} left to pick", "extra",
                              code="pick.too_many", left=task.qty - task.picked_qty)
        _take_from_bin(s, actor, wave, task, units, now)
        task.picked_qty += units
        task.picked_by, task.picked_at = actor.user_id, now
        changes.note(s, Change.PICKING, Change.WAVES, Change.STOCK)
        if task.picked_qty == task.qty:
            task.status = "done"
        elif task.status == "skipped":
            task.status = "open"
        s.flush()
        _finish_if_done(s, actor, wave, now)
        return _view(s, wave)


def _take_from_bin(s: Session, actor: Actor, wave: Wave, task: PickTask, units: int,
                   now: datetime) -> None:
    """The units leave the bin for the orders of this stop, cell order first; the ledger
    books them to each order so its reservation is used up, never released twice."""
    members = [m for (m,) in s.execute(select(WaveOrder.order_id).where(
        WaveOrder.wave_id == wave.id, WaveOrder.removed_at.is_(None)))]
    left = units
    shares: list[tuple[int, int]] = []
    for need in sorted((n for lst in _needs(s, members).values() for n in lst
                        if n.bin_id == task.bin_id and n.sku_id == task.sku_id),
                       key=lambda n: n.order_id):
        take = min(left, need.qty)
        if take <= 0:
            continue
        shares.append((need.order_id, take))
        if wave.strategy not in PUT_WALL:  # picked straight into the order's cell
            _count_into_order(s, need.order_id, task.sku_id, take)
        left -= take
    if left:
        raise ScanRefused("nothing left to pick here for this wave's orders", "extra",
                          code="pick.nothing_left")
    stock.take(s, actor, wave.id, task.bin_id, task.sku_id, shares, now)


def _count_into_order(s: Session, order_id: int, sku_id: int, units: int) -> None:
    for line in s.scalars(select(OrderLine).where(OrderLine.order_id == order_id,
                                                  OrderLine.sku_id == sku_id)
                          .order_by(OrderLine.line_no)):
        take = min(units, line.qty - line.picked_qty)
        if take > 0:
            line.picked_qty += take
            units -= take
        if not units:
            return


def _finish_if_done(s: Session, actor: Actor, wave: Wave, now: datetime) -> None:
    open_tasks = s.scalar(select(func.count()).select_from(PickTask).where(
        PickTask.wave_id == wave.id, PickTask.status.in_(["open", "skipped"])))
    if open_tasks:
        return
    wave.status, wave.finished_at = "picked", now
    audit.record(s, actor, "wave.picked", "wave", wave.wave_no, "picking", "picked")
    if wave.strategy in PUT_WALL:
        return  # orders become picked slot by slot at the put wall
    for order in s.scalars(select(Order).where(Order.wave_id == wave.id,
                                               Order.status == S.PICKING.value)):
        set_status(s, actor, order, S.PICKED, detail={"wave": wave.wave_no})


@guarded(Permission.PICK)
def skip(db: Database, actor: Actor, wave_no: str, seq: int) -> WaveView:
    """Come back to this task at the end of the path."""
    with db.unit_of_work() as s:
        changes.note(s, Change.PICKING)
        wave, task = _picking(s, actor, wave_no, seq)
        task.status = "skipped"
        changes.note(s, Change.PICKING)
        s.flush()
        return _view(s, wave)


@guarded(Permission.PICK)
def short_pick(db: Database, actor: Actor, wave_no: str, seq: int, found: int,
               note: str = "") -> WaveView:
    """The bin holds fewer than the task needs. What is there is picked; the orders that go
    without leave the wave with a `short_pick` exception (the rest of the wave goes on), and
    the bin's count is corrected so the units are not promised again."""
    now = datetime.now(UTC)
    with db.unit_of_work() as s:
        changes.note(s, Change.PICKING, Change.WAVES, Change.EXCEPTIONS, Change.ORDERS, Change.STOCK)
        wave, task = _picking(s, actor, wave_no, seq)
        missing = task.qty - task.picked_qty - found
        if found < 0 or missing <= 0:
            raise ScanRefused(f"a short pick finds fewer than the {task.qty - task.picked_qty} "
                              "units still to pick", "qty", code="pick.short_qty",
                              left=task.qty - task.picked_qty)
        bin_code = s.scalar(select(Bin.code).where(Bin.id == task.bin_id))
        sku_code = s.scalar(select(Sku.code).where(Sku.id == task.sku_id))
        # Who goes without: the orders of this stop, last cells first, until the gap is
        # covered.
        members = {m.order_id: m for m in s.scalars(select(WaveOrder).where(
            WaveOrder.wave_id == wave.id, WaveOrder.removed_at.is_(None)))}
        stop = sorted((n for lst in _needs(s, list(members)).values() for n in lst
                       if n.bin_id == task.bin_id and n.sku_id == task.sku_id),
                      key=lambda n: (members[n.order_id].cell or 0, n.order_id), reverse=True)
        short_orders: list[int] = []
        gap = missing
        for need in stop:
            if gap <= 0:
                break
            short_orders.append(need.order_id)
            gap -= need.qty
        for order_id in short_orders:
            order = s.get(Order, order_id, with_for_update=True)
            assert order is not None
            text = f"{bin_code}: {sku_code} short by {missing}"
            _leave_wave(s, actor, wave, order, "short_pick", text, now, Note(
                "pick.short", text, {"bin": bin_code, "sku": sku_code, "missing": missing}))
        # Never below what other orders hold here: those are counted again by the lead.
        stock.count_short(s, actor, wave.id, task.bin_id, task.sku_id, missing,
                          f"short pick {wave.wave_no}/{seq} {note}", now)
        if found:
            s.flush()
            _take_from_bin(s, actor, wave, task, found, now)
            task.picked_qty += found
        task.status = "short"  # finished, with fewer than asked: the audit says why
        audit.record(s, actor, "wave.short_pick", "wave", wave.wave_no, None, None,
                     {"seq": seq, "bin": bin_code, "sku": sku_code, "missing": missing,
                      "orders": len(short_orders)})
        changes.note(s, Change.PICKING, Change.WAVES, Change.STOCK, Change.ORDERS,
                     Change.EXCEPTIONS)
        s.flush()
        _finish_if_done(s, actor, wave, now)
        return _view(s, wave)


def _leave_wave(s: Session, actor: Actor, wave: Wave, order: Order, category: str | None,
                detail: str, now: datetime, note: Note | None = None) -> None:
    """An order leaves a wave mid-way: unpicked units come off the pick tasks, picked ones
    get put-back tasks, the reservation is given back by the status change."""
    member = s.scalars(select(WaveOrder).where(WaveOrder.wave_id == wave.id,
                                               WaveOrder.order_id == order.id,
                                               WaveOrder.removed_at.is_(None))).first()
    if member is None:
        return
    member.removed_at = now
    for need in _needs(s, [order.id]).get(order.id, []):
        # Units still reserved for it are not picked yet: the task shrinks.
        task = s.scalars(select(PickTask).where(
            PickTask.wave_id == wave.id, PickTask.bin_id == need.bin_id,
            PickTask.sku_id == need.sku_id).with_for_update()).first()
        if task is not None and task.status in ("open", "skipped"):
            task.qty = max(task.qty - need.qty, task.picked_qty)
            if task.qty == task.picked_qty:
                if task.picked_qty:
                    task.status = "done"
                else:  # the stop is no longer needed by anyone in the wave
                    s.delete(task)
    picked = s.execute(select(StockMovement.sku_id, StockMovement.bin_id,
                              -func.sum(StockMovement.delta_on_hand))
                       .where(StockMovement.order_id == order.id,
                              StockMovement.reason == "pick", StockMovement.wave_id == wave.id)
                       .group_by(StockMovement.sku_id, StockMovement.bin_id)).all()
    for sku_id, bin_id, qty in picked:
        if qty and qty > 0:
            s.add(PutbackTask(wave_id=wave.id, order_id=order.id, sku_id=sku_id,
                              bin_id=bin_id, qty=int(qty), status="open", created_at=now))
    order.wave_id = None
    if category:
        set_status(s, actor, order, S.EXCEPTION, reason=detail, category=category,
                   detail={"wave": wave.wave_no}, note=note)
    order_count = s.scalar(select(func.count()).select_from(WaveOrder).where(
        WaveOrder.wave_id == wave.id, WaveOrder.removed_at.is_(None))) or 0
    wave.order_count = order_count


def leave_wave_on_intercept(s: Session, actor: Actor, order: Order, reason: str) -> bool:
    """Self-healing waves: an order cancelled or refunded while its wave is in progress
    leaves it (put-back tasks for what was picked). True when it was in a wave."""
    return _leave_from_outside(s, actor, order, None, reason)


def leave_wave_as_exception(s: Session, actor: Actor, order: Order, category: str,
                            detail: str, note: Note | None = None) -> bool:
    """An order whose wave is still being picked goes to the exception queue with `category`
    (a packing station packed it before it was picked): it leaves the wave the way a short
    pick does, so nobody picks it again. True when it left a wave."""
    return _leave_from_outside(s, actor, order, category, detail, note)


def _leave_from_outside(s: Session, actor: Actor, order: Order, category: str | None,
                        reason: str, note: Note | None = None) -> bool:
    if order.wave_id is None:
        return False
    wave = s.get(Wave, order.wave_id, with_for_update=True)
    if wave is None or wave.status in ("cancelled", "done"):
        return False
    now = datetime.now(UTC)
    _leave_wave(s, actor, wave, order, category, reason, now, note)
    audit.record(s, actor, "wave.order_left", "wave", wave.wave_no, None, None,
                 {"order": order.order_no, "reason": reason,
                  **({"category": category} if category else {})})
    _settle_after_leaving(s, actor, wave, now)
    return True


def _settle_after_leaving(s: Session, actor: Actor, wave: Wave, now: datetime) -> None:
    """An order left a wave from outside the picker's path (an intercept, a station's
    overtaken packing): a wave with nobody left in it ends cancelled, and a wave being picked
    whose last open task went with the order is picked, so its other orders reach packing
    instead of waiting on a wave nobody can finish."""
    s.flush()
    if not wave.order_count and wave.status in ("released", "picking"):
        before = wave.status
        s.execute(update(PickTask).where(PickTask.wave_id == wave.id,
                                         PickTask.status.in_(["open", "skipped"]))
                  .values(status="skipped"))
        wave.status, wave.cancelled_at = "cancelled", now
        audit.record(s, actor, "wave.cancelled", "wave", wave.wave_no, before, "cancelled",
                     {"reason": "every order left the wave", "orders": 0})
    elif wave.status == "picking":
        _finish_if_done(s, actor, wave, now)
    changes.note(s, Change.WAVES, Change.PICKING)


@guarded(Permission.PICK)
def finish_putback(db: Database, actor: Actor, putback_id: int, scanned_bin: str) -> None:
    """The picked units are back in their bin (scan the bin to confirm)."""
    from drivers.barcode import parse_scan

    now = datetime.now(UTC)
    with db.unit_of_work() as s:
        changes.note(s, Change.PICKING, Change.STOCK)
        # A station's role cannot lock the task (it may not update it): the stock function
        # takes the lock and settles a race instead.
        task = s.get(PutbackTask, putback_id, with_for_update=not stock.by_function(s))
        if task is None:
            raise NotFound(f"no put-back task {putback_id}", code="putback.not_found",
                           task=putback_id)
        if task.status != "open":
            raise ScanRefused("this put-back is done already", "done", code="putback.done")
        bin_code = s.scalar(select(Bin.code).where(Bin.id == task.bin_id)) or ""
        if parse_scan(scanned_bin).value != bin_code.upper():
            raise ScanRefused(f"put it back in {bin_code}", "wrong_bin", code="putback.wrong_bin",
                              bin=bin_code)
        if not stock.put_back(s, actor, task, now):
            raise ScanRefused("this put-back is done already", "done", code="putback.done")
        changes.note(s, Change.PICKING, Change.STOCK)


# ------------------------------------------------------------------ put wall


@dataclass(frozen=True, slots=True)
class Put:
    slot: int
    order_no: str
    slot_complete: bool
    remaining: int  # units the slot still needs


def _put_wall(s: Session, wave: Wave) -> tuple[PutWall, dict[int, int], dict[int, str]]:
    members = s.execute(select(WaveOrder.order_id, WaveOrder.cell, Order.order_no)
                        .join(Order, Order.id == WaveOrder.order_id)
                        .where(WaveOrder.wave_id == wave.id, WaveOrder.removed_at.is_(None))
                        ).all()
    slot_of = {m.order_id: m.cell or n for n, m in enumerate(members, 1)}
    need: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for line in s.execute(select(OrderLine.order_id, OrderLine.sku_id, OrderLine.qty,
                                 OrderLine.picked_qty)
                          .where(OrderLine.order_id.in_(list(slot_of)))):
        if line.qty > line.picked_qty and line.sku_id is not None:
            need[slot_of[line.order_id]][line.sku_id] += line.qty - line.picked_qty
    wall = PutWall({slot: dict(skus) for slot, skus in need.items()})
    return wall, {v: k for k, v in slot_of.items()}, {m.order_id: m.order_no for m in members}


@guarded(Permission.PICK)
def put(db: Database, actor: Actor, wave_no: str, scanned: str) -> Put:
    """Sort one picked unit into its order's slot: the screen shows the slot, large."""
    now = datetime.now(UTC)
    with db.unit_of_work() as s:
        changes.note(s, Change.PICKING, Change.WAVES, Change.ORDERS)
        wave = _wave(s, wave_no, lock=True)
        if wave.strategy not in PUT_WALL or wave.status != "picked":
            raise ScanRefused(f"{wave.wave_no} is not waiting at the put wall", "state",
                              code="putwall.not_waiting", wave_no=wave.wave_no)
        found = _sku_for(s, scanned)
        if found is None:
            raise ScanRefused("not an item of this wave", "wrong_item", code="putwall.not_in_wave")
        wall, order_of_slot, order_nos = _put_wall(s, wave)
        slot = wall.place(found[0])
        if slot is None:
            raise ScanRefused("no slot needs this item: put it aside for the shift lead",
                              "extra", code="putwall.no_slot")
        wall.put(slot, found[0])
        order_id = order_of_slot[slot]
        _count_into_order(s, order_id, found[0], 1)
        changes.note(s, Change.PICKING)
        complete = wall.complete(slot)
        if complete:
            order = s.get(Order, order_id, with_for_update=True)
            assert order is not None
            set_status(s, actor, order, S.PICKED, detail={"wave": wave.wave_no, "slot": slot})
        if not any(wall.remaining(sl) for sl in wall.slots):
            wave.status = "done"
            audit.record(s, actor, "wave.sorted", "wave", wave.wave_no, "picked", "done")
        _ = now
        return Put(slot, order_nos[order_id], complete, sum(wall.remaining(slot).values()))


@guarded(Permission.VIEW_ORDERS)
def pick_list(db: Database, actor: Actor, wave_no: str) -> Any:
    """The printable pick list of a wave: what is left to pick, in walking order, with each
    SKU's barcode and where the units go."""
    from app.printing.documents import PickList
    from app.printing.documents import PickTask as PickLine

    with db.reader() as s:
        wave = _wave(s, wave_no)
        view = _view(s, wave)
        warehouse = s.scalar(select(Warehouse.code).where(Warehouse.id == wave.warehouse_id))
        codes = [t.sku_code for t in view.tasks]
        barcodes = dict(s.execute(
            select(Sku.code, func.min(SkuBarcode.barcode)).join(SkuBarcode,
                                                               SkuBarcode.sku_id == Sku.id)
            .where(Sku.code.in_(codes), SkuBarcode.units == 1).group_by(Sku.code)).all())
    return PickList(
        wave_no=view.wave_no, warehouse=warehouse or "", strategy=view.strategy,
        picker=view.picker, printed_at=datetime.now(UTC), tasks=tuple(
            PickLine(t.seq, t.bin_code, t.sku_code, barcodes.get(t.sku_code, ""), t.sku_name,
                     t.qty - t.picked, " ".join(str(c) for _no, _q, c in t.cells if c))
            for t in view.tasks if t.status in ("open", "skipped")))
