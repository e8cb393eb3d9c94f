"""The shift lead's waves: plan (a preview that changes nothing), release, cancel, and the list
of waves with their progress.

The rules (wave formation, walking path) are the pure modules `app.domain.waves` and
`app.domain.pick_path`; this module loads their facts, and writes what they decide with row
locks: two shift leads releasing at once never put one order in two waves (the orders are
locked with SKIP LOCKED, and a partial unique index keeps an order in one live wave whatever
happens). The picker's walk is `app.services.picking`, the put wall `app.services.put_wall`,
put-backs `app.services.put_back`; what they share is `app.services.wave_common`.
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
from app.domain.priority import BANDS
from app.domain.roles import Permission
from app.domain.status import OrderStatus, check_transition
from app.services import audit, changes, numbers
from app.services.access import guarded
from app.services.changes import Change
from app.services.context import Actor
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.wave_common import back_to_queue, find_wave, held_needs, units_picked
from app.store import bulk
from app.store.db import Database
from app.store.models import (
    Bin,
    Order,
    PickTask,
    User,
    Warehouse,
    Wave,
    WaveOrder,
    Zone,
)

log = logging.getLogger("packline.waves")
S = OrderStatus


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


def _facts(s: Session, warehouse_id: int, order_ids: Sequence[int] | None = None,
           prepack: int | None = None) -> list[rules.WaveOrderFact]:
    """The routed orders waves may take. A real-stock presale order whose balance is unpaid
    could be packed but not shipped: ordinary waves leave it out, and a pre-pack wave
    (`prepack`: its campaign's id, `app.services.presale.prepack_wave`) takes only those."""
    from app.services.balance_due import balance_unpaid

    o = Order
    query = select(o.id, o.order_no, o.warehouse_id, o.carrier_id, o.priority,
                   o.priority_band, o.promised_ship_by, o.is_presale, o.campaign_id,
                   o.line_count, o.unit_count).where(o.warehouse_id == warehouse_id,
                                                     o.status == S.ROUTED.value,
                                                     o.intercept.is_(None))
    if prepack is None:
        query = query.where(~balance_unpaid(o.__table__.c))
    else:
        query = query.where(o.campaign_id == prepack, balance_unpaid(o.__table__.c))
    if order_ids is not None:
        query = query.where(bulk.matching(s, o.id, list(order_ids)))
    rows = s.execute(query).all()
    needs = held_needs(s, order_ids, None if order_ids is not None else warehouse_id)
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
         now: datetime | None = None, prepack: int | None = None) -> Plan:
    """The waves that releasing now would form: orders, lines, units, bins to visit, walking
    distance and pick time. Reads only. `prepack` (a campaign's id) plans pre-pack waves of
    that campaign's orders whose balance is not paid, and only those."""
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
            facts = _facts(s, wh.id, prepack=prepack)
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
            needs = held_needs(s, ids)
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


@guarded(Permission.RELEASE_WAVES)
def cancel(db: Database, actor: Actor, wave_no: str, reason: str = "") -> int:
    """Back to the queue: the wave's orders are routed again (their stock stays reserved).
    Refused once a unit is picked: then orders leave one by one with put-back tasks."""
    with db.unit_of_work() as s:
        changes.note(s, Change.WAVES, Change.ORDERS, Change.PICKING)
        wave = find_wave(s, wave_no, lock=True)
        started = wave.status == "picking" or units_picked(s, wave)
        if started:
            raise Conflict(f"{wave.wave_no} is {wave.status}: only a wave nobody has started "
                           "picking can be cancelled", code="wave.started",
                           wave=wave.wave_no)
        if wave.status != "released":  # picked, done or cancelled already
            raise Conflict(f"{wave.wave_no} is {wave.status}: only a released wave can be "
                           "cancelled", code="wave.cancel_started", wave_no=wave.wave_no,
                           wave_status=wave.status)
        return back_to_queue(s, actor, wave, reason or "wave cancelled", "wave.cancelled")


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
