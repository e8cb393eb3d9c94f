"""What the wave services share, inside their transactions: the shift lead's waves
(`app.services.waves`), the picker's walk (`app.services.picking`), the put wall
(`app.services.put_wall`) and put-backs (`app.services.put_back`).

Nothing here is a service of its own: each function takes the caller's session and runs in
the guarded service's transaction (the screens and the command line call the four modules
above).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.domain import pick_path as paths
from app.domain import waves as rules
from app.domain.notes import Note
from app.domain.status import OrderStatus
from app.services import audit, changes, work
from app.services.changes import Change
from app.services.context import Actor
from app.services.errors import NotFound
from app.services.orders import set_status
from app.store import bulk
from app.store.models import (
    Order,
    OrderLine,
    PickTask,
    PutbackTask,
    Sku,
    SkuBarcode,
    StockMovement,
    Wave,
    WaveOrder,
)

S = OrderStatus
# Multi-item waves are sorted at the put wall after picking; the others are ready to pack as
# soon as the wave is picked.
PUT_WALL = frozenset({rules.Strategy.MULTI_ITEM.value})


def find_wave(s: Session, wave_no: str, *, lock: bool = False) -> Wave:
    query = select(Wave).where(Wave.wave_no == wave_no.strip().upper())
    wave = s.scalars(query.with_for_update() if lock else query).first()
    if wave is None:
        raise NotFound(f"no wave {wave_no}", code="wave.not_found", wave_no=wave_no)
    return wave


def held_needs(s: Session, order_ids: Sequence[int] | None, warehouse_id: int | None = None
               ) -> dict[int, list[paths.PickNeed]]:
    """What each order holds, bin by bin, as the stock ledger says (reserved and not yet
    picked or given back): of `order_ids`, or of every routed order of `warehouse_id`."""
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
        if order_id is not None:  # a reservation is always an order's
            needs[order_id].append(need(order_id, sku_id, bin_id, int(qty)))
    return needs


def units_picked(s: Session, wave: Wave) -> int:
    return int(s.scalar(select(func.sum(PickTask.picked_qty))
                        .where(PickTask.wave_id == wave.id)) or 0)


def back_to_queue(s: Session, actor: Actor, wave: Wave, reason: str, action: str) -> int:
    """Every order of a wave nothing was picked for is routed again, its stock still
    reserved; the wave ends cancelled (the lead's cancel, the picker's abandon)."""
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


def finish_if_done(s: Session, actor: Actor, wave: Wave, now: datetime) -> None:
    """A wave with no open or skipped task left is picked; its orders are picked with it,
    unless the put wall sorts them (then slot by slot). Its orders count as picked by its
    picker at this moment, whatever finished it (the last scan, a short pick, or an order
    that left it): the dashboard's picked orders are the orders of the waves finished."""
    open_tasks = s.scalar(select(func.count()).select_from(PickTask).where(
        PickTask.wave_id == wave.id, PickTask.status.in_(["open", "skipped"])))
    if open_tasks:
        return
    wave.status, wave.finished_at = "picked", now
    audit.record(s, actor, "wave.picked", "wave", wave.wave_no, "picking", "picked")
    members = s.scalar(select(func.count()).select_from(WaveOrder).where(
        WaveOrder.wave_id == wave.id, WaveOrder.removed_at.is_(None))) or 0
    work.count(s, [work.Done("pick", wave.picker_id or actor.user_id, now, orders=members)])
    if wave.strategy in PUT_WALL:
        return  # orders become picked slot by slot at the put wall
    for order in s.scalars(select(Order).where(Order.wave_id == wave.id,
                                               Order.status == S.PICKING.value)):
        set_status(s, actor, order, S.PICKED, detail={"wave": wave.wave_no})


def count_into_order(s: Session, order_id: int, sku_id: int, units: int) -> None:
    """Picked units counted into the order's lines of that SKU, first line first."""
    for line in s.scalars(select(OrderLine).where(OrderLine.order_id == order_id,
                                                  OrderLine.sku_id == sku_id)
                          .order_by(OrderLine.line_no)):
        take = min(units, line.qty - line.picked_qty)
        if take > 0:
            line.picked_qty += take
            units -= take
        if not units:
            return


def leave_wave(s: Session, actor: Actor, wave: Wave, order: Order, category: str | None,
               detail: str, now: datetime, note: Note | None = None) -> None:
    """An order leaves a wave mid-way: unpicked units come off the pick tasks, picked ones
    get put-back tasks, the reservation is given back by the status change."""
    member = s.scalars(select(WaveOrder).where(WaveOrder.wave_id == wave.id,
                                               WaveOrder.order_id == order.id,
                                               WaveOrder.removed_at.is_(None))).first()
    if member is None:
        return
    member.removed_at = now
    for need in held_needs(s, [order.id]).get(order.id, []):
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


def sku_for(s: Session, scanned: str) -> tuple[int, int] | None:
    """(sku id, units per scan) for a scanned product code, matched against the stored
    barcodes in every form the code may be written in (`drivers.barcode.match_forms`), then
    as an internal SKU code; None when it is no product."""
    from drivers.barcode import ScanKind, match_forms, parse_scan

    row = s.execute(select(SkuBarcode.sku_id, SkuBarcode.units)
                    .where(SkuBarcode.barcode.in_(sorted(match_forms(scanned))))).first()
    if row is not None:
        return int(row[0]), int(row[1])
    scan = parse_scan(scanned)
    if scan.kind in (ScanKind.SKU, ScanKind.UNKNOWN):
        sku_id = s.scalar(select(Sku.id).where(Sku.code.in_({scan.text, scan.text.upper()})))
        if sku_id is not None:
            return int(sku_id), 1
    return None
