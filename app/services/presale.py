"""Presale in the warehouse: the campaign's stock mode, packing before the balance (预打包),
the parcels that wait for it and those ready to leave, unpacking what never ships, the
campaign's end, and the stock ledger of its SKU.

A real-stock campaign's deposit orders are routed with real units reserved as soon as the
deposit is in (`app.services.engine`); `prepack_wave` releases waves of exactly those whose
balance is not paid, and they are picked and packed as any wave. Nothing ships unpaid
(`app.domain.presale.may_hand_over`): ordinary waves leave such orders out, the dock refuses
their parcels (`app.services.balance_due`) and its waiting lists do not show them. The
balance paid (a channel event) needs no other step: from that commit the dock's scan takes
the parcel. A refund intercepts a pre-packed order as any intercept does; `unpack` voids its
parcel, gives back its waybill, creates put-back tasks for its units and cancels it.
`close_campaign` settles every order whose balance was not paid once the window (and its
grace for late channel events) is over.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.domain import presale as rules
from app.domain.china_time import in_china
from app.domain.roles import Permission
from app.domain.status import TERMINAL, OrderStatus
from app.services import audit, changes
from app.services.access import guarded
from app.services.balance_due import balance_unpaid, hand_over_refused
from app.services.changes import Change
from app.services.context import Actor
from app.services.errors import Conflict, InvalidInput, NotFound
from app.store.db import Database
from app.store.models import (
    Bin,
    Carrier,
    Order,
    OrderPayment,
    Package,
    PresaleCampaign,
    PresalePool,
    PutbackTask,
    Sku,
    Stock,
    StockMovement,
    Warehouse,
)

S = OrderStatus


def _campaign(s: Session, code: str, *, lock: bool = False) -> PresaleCampaign:
    query = select(PresaleCampaign).where(PresaleCampaign.code == code.strip().upper())
    camp = s.scalars(query.with_for_update() if lock else query).first()
    if camp is None:
        raise NotFound(f"no presale campaign {code}", code="presale.unknown_campaign",
                       campaign=code)
    return camp


# ------------------------------------------------------------------ the stock mode


@guarded(Permission.EDIT_RULES)
def set_stock_mode(db: Database, actor: Actor, campaign_code: str, mode: str) -> str:
    """Set the campaign's stock mode (`pool` or `real`); refused once it has orders (their
    stock was held, or not, under the old mode). Returns the mode now set."""
    chosen = (mode or "").strip().lower()
    try:
        rules.check_stock_mode(chosen)
    except ValueError:
        raise InvalidInput(f"unknown stock mode {mode!r}; one of: pool, real",
                           code="presale.bad_mode", mode=mode,
                           choices=", ".join(rules.STOCK_MODES)) from None
    with db.unit_of_work() as s:
        changes.note(s, Change.CAMPAIGNS)
        camp = _campaign(s, campaign_code, lock=True)
        if camp.stock_mode == chosen:
            return chosen
        orders = s.scalar(select(func.count()).select_from(Order)
                          .where(Order.campaign_id == camp.id)) or 0
        if orders:
            raise Conflict(f"{camp.code} has {orders} orders: its stock mode can no longer "
                           "change", code="presale.mode_has_orders", campaign=camp.code,
                           orders=orders)
        before, camp.stock_mode = camp.stock_mode, chosen
        audit.record(s, actor, "presale.stock_mode", "campaign", camp.code, before, chosen)
        return chosen


# ------------------------------------------------------------------ pre-pack waves


@guarded(Permission.RELEASE_WAVES)
def prepack_wave(db: Database, actor: Actor, campaign_code: str, warehouse_code: str, *,
                 max_orders: int | None = None, now: datetime | None = None) -> list[Any]:
    """Release pre-pack waves (strategy `presale`) of the campaign's routed orders whose
    balance is not paid, `max_orders` (default 100) a wave; returns the waves released
    (`app.services.waves.Released`). Refused for a campaign that reserves no real stock."""
    from app.services import waves

    size = 100 if max_orders is None else max_orders
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise InvalidInput(f"--max-orders must be at least 1, got {max_orders!r}",
                           code="presale.bad_max_orders", value=max_orders)
    with db.reader() as s:
        camp = _campaign(s, campaign_code)
        if camp.stock_mode != rules.REAL:
            raise Conflict(f"{camp.code} holds no real stock (mode {camp.stock_mode}): "
                           "nothing to pack before the balance", code="presale.not_real_stock",
                           campaign=camp.code)
        campaign_id = camp.id
    return waves.release(db, actor, warehouse_code, "presale", max_orders=size,
                         max_cells=size, mix_bands=True, prepack=campaign_id, now=now)


# ------------------------------------------------------------------ pre-packed parcels


@dataclass(frozen=True, slots=True)
class PrepackedParcel:
    order_no: str
    channel_order_no: str
    campaign: str
    tracking_no: str
    carrier: str
    warehouse: str
    units: int
    packed_at: datetime | None
    balance_fen: int
    balance_paid_at: datetime | None  # None: still waiting for it
    intercept: str | None = None  # a refund or cancellation: to be unpacked

    def as_json(self) -> dict[str, Any]:
        return {"order_no": self.order_no, "channel_order_no": self.channel_order_no,
                "campaign": self.campaign, "tracking_no": self.tracking_no,
                "carrier": self.carrier, "warehouse": self.warehouse, "units": self.units,
                "packed_at": self.packed_at.isoformat() if self.packed_at else None,
                "balance_fen": self.balance_fen,
                "balance_paid_at": (self.balance_paid_at.isoformat()
                                    if self.balance_paid_at else None),
                "intercept": self.intercept}


def _on_shelf(unpaid: bool) -> tuple[ColumnElement[bool], ...]:
    """Pre-packed parcels on the staging shelf (the query joins Package, Order and
    PresaleCampaign): waiting for their balance (`unpaid`), or paid and ready to leave."""
    o = Order.__table__.c
    where = (Package.status == "packed", Package.handover_id.is_(None),
             Order.status == S.PACKED.value, Order.is_presale.is_(True),
             PresaleCampaign.kind == rules.DEPOSIT)
    if unpaid:
        return (*where, balance_unpaid(o))
    return (*where, ~balance_unpaid(o), Order.intercept.is_(None),
            PresaleCampaign.stock_mode == rules.REAL)


def _parcels(s: Session, campaign_code: str | None, *, unpaid: bool,
             limit: int) -> list[PrepackedParcel]:
    o = Order.__table__.c
    pay = OrderPayment.__table__.c
    query = (select(Order.order_no, Order.channel_order_no, PresaleCampaign.code,
                    Package.tracking_no, Carrier.code, Warehouse.code, Order.unit_count,
                    Package.packed_at, pay.amount_fen, pay.paid_at, Order.intercept)
             .join(Order, Order.id == Package.order_id)
             .join(PresaleCampaign, PresaleCampaign.id == Order.campaign_id)
             .outerjoin(Carrier, Carrier.id == Package.carrier_id)
             .outerjoin(Warehouse, Warehouse.id == Order.warehouse_id)
             .outerjoin(OrderPayment.__table__, and_(
                 pay.order_id == func.coalesce(o.parent_id, o.id), pay.kind == "balance"))
             .where(*_on_shelf(unpaid)))
    if campaign_code:
        query = query.where(PresaleCampaign.code == _campaign(s, campaign_code).code)
    query = (query.order_by(Package.packed_at, Order.id) if unpaid
             else query.order_by(pay.paid_at, Order.id))
    return [PrepackedParcel(no, cno, camp, tn or "", carrier or "", wh or "", units,
                            packed_at, int(amount or 0), None if unpaid else paid_at,
                            intercept)
            for no, cno, camp, tn, carrier, wh, units, packed_at, amount, paid_at, intercept
            in s.execute(query.limit(limit))]


@guarded(Permission.VIEW_ORDERS)
def shelf_counts(db: Database, actor: Actor) -> tuple[int, int]:
    """The pre-pack shelf in two counts: parcels waiting for their balance, and parcels whose
    balance is paid, to load now (what `awaiting_balance_parcels` and `ready_to_ship` list)
    — two COUNT queries, for the dock's screen."""
    with db.reader() as s:
        counts = []
        for unpaid in (True, False):
            counts.append(int(s.scalar(
                select(func.count()).select_from(Package)
                .join(Order, Order.id == Package.order_id)
                .join(PresaleCampaign, PresaleCampaign.id == Order.campaign_id)
                .where(*_on_shelf(unpaid))) or 0))
        return counts[0], counts[1]


@guarded(Permission.VIEW_ORDERS)
def awaiting_balance_parcels(db: Database, actor: Actor, campaign_code: str | None = None,
                             *, limit: int = 5000) -> list[PrepackedParcel]:
    """Pre-packed parcels on the staging shelf: packed, their balance not paid (those with an
    intercept are to be unpacked), packed first first."""
    with db.reader() as s:
        return _parcels(s, campaign_code, unpaid=True, limit=limit)


@guarded(Permission.VIEW_ORDERS)
def ready_to_ship(db: Database, actor: Actor, campaign_code: str | None = None,
                  *, limit: int = 5000) -> list[PrepackedParcel]:
    """Pre-packed parcels of real-stock campaigns whose balance is paid and that are not
    handed over yet, the oldest payment first, with the balance's paid_at: what the dock
    takes off the staging shelf now."""
    with db.reader() as s:
        return _parcels(s, campaign_code, unpaid=False, limit=limit)


# ------------------------------------------------------------------ unpacking


@dataclass(frozen=True, slots=True)
class Unpacked:
    order_no: str
    units: int  # units given put-back tasks
    putbacks: tuple[int, ...]  # the put-back tasks' ids
    parcels_voided: int
    waybills_given_back: int
    released_units: int  # stock reservations given back (units never picked)

    def as_json(self) -> dict[str, Any]:
        return {"order_no": self.order_no, "units": self.units,
                "putbacks": list(self.putbacks), "parcels_voided": self.parcels_voided,
                "waybills_given_back": self.waybills_given_back,
                "released_units": self.released_units}


def _picked(s: Session, order: Order) -> dict[tuple[int, int], int]:
    """(sku, bin) → units picked for the order and not yet given a put-back task."""
    held: dict[tuple[int, int], int] = defaultdict(int)
    for sku_id, bin_id, qty in s.execute(
            select(StockMovement.sku_id, StockMovement.bin_id,
                   -func.sum(StockMovement.delta_on_hand))
            .where(StockMovement.order_id == order.id, StockMovement.reason == "pick")
            .group_by(StockMovement.sku_id, StockMovement.bin_id)):
        held[(sku_id, bin_id)] += int(qty or 0)
    for sku_id, bin_id, qty in s.execute(
            select(PutbackTask.sku_id, PutbackTask.bin_id, func.sum(PutbackTask.qty))
            .where(PutbackTask.order_id == order.id)
            .group_by(PutbackTask.sku_id, PutbackTask.bin_id)):
        held[(sku_id, bin_id)] -= int(qty or 0)
    return {k: v for k, v in held.items() if v > 0}


def _released(s: Session, order: Order) -> int:
    return -int(s.scalar(select(func.coalesce(func.sum(StockMovement.delta_reserved), 0))
                         .where(StockMovement.order_id == order.id,
                                StockMovement.reason == "release")) or 0)


def _settle(s: Session, actor: Actor, order: Order, why: str, now: datetime) -> Unpacked:
    """Whatever the order holds goes back, and it is cancelled: it leaves a wave being
    picked (put-back tasks for what was picked), or its picked or packed units get put-back
    tasks to their bins and its parcels are voided (their waybills given back by the status
    change); its reserved stock and pool units are given back by the cancellation."""
    from app.services import put_back
    from app.services.orders import set_status
    from app.services.waybill_issue import queue_cancellations

    status = S(order.status)
    released_before = _released(s, order)
    tasks: list[PutbackTask] = []
    voided = 0
    given_back = 0
    if status in (S.IN_WAVE, S.PICKING):
        put_back.leave_wave_on_intercept(s, actor, order, why)
        s.flush()
        tasks = list(s.scalars(select(PutbackTask).where(PutbackTask.order_id == order.id,
                                                         PutbackTask.status == "open")))
    else:
        for (sku_id, bin_id), qty in sorted(_picked(s, order).items()):
            task = PutbackTask(wave_id=order.wave_id, order_id=order.id, sku_id=sku_id,
                               bin_id=bin_id, qty=qty, status="open", created_at=now)
            s.add(task)
            tasks.append(task)
        # Its waybills not handed over are given back before the parcels are voided.
        given_back = queue_cancellations(s, actor, order, why, now)
        for package in s.scalars(select(Package).where(
                Package.order_id == order.id, Package.status.in_(["open", "labelled",
                                                                  "packed"]))
                .with_for_update()):
            package.status = "void"
            voided += 1
    if S(order.status) is S.PACKED:
        # A packed parcel is physical: it goes through the exception queue, where the
        # unpacking settles it, never straight from packed to cancelled.
        set_status(s, actor, order, S.EXCEPTION, why,
                   category="intercepted_after_pack" if order.intercept
                   else "payment_incomplete")
    if S(order.status) not in TERMINAL:
        set_status(s, actor, order, S.CANCELLED, why, resolution=why)
    s.flush()
    units = sum(t.qty for t in tasks)
    result = Unpacked(order.order_no, units, tuple(t.id for t in tasks), voided, given_back,
                      _released(s, order) - released_before)
    audit.record(s, actor, "presale.unpacked", "order", order.order_no, status.value,
                 order.status, {"reason": why, "units": units, "putbacks": len(tasks),
                                "parcels_voided": voided})
    changes.note(s, Change.ORDERS, Change.STOCK, Change.PICKING, Change.CAMPAIGNS)
    return result


@guarded(Permission.RESOLVE_EXCEPTIONS)
def unpack(db: Database, actor: Actor, order_ref: str, *,
           reason: str = "unpacked: refunded or balance never paid") -> Unpacked:
    """Unpack a pre-packed presale order that will never ship (a refund, or a balance never
    paid): its parcel voided, its waybill given back, put-back tasks for its units to their
    bins (finished by `put_back.finish_putback`), the order cancelled. Refused for an order
    that shipped or is on a truck, one whose balance is paid and is not intercepted (it
    ships), one not intercepted whose balance may still be paid (the window and its grace,
    `app.domain.presale.BALANCE_GRACE`, not over: its buyer may pay yet), and one with
    nothing picked (cancel it instead)."""
    from app.services.order_lookup import find_order

    now = datetime.now(UTC)
    with db.unit_of_work() as s:
        changes.note(s, Change.ORDERS)
        order = find_order(s, order_ref, for_update=True)
        status = S(order.status)
        on_truck = s.scalar(select(func.count()).select_from(Package).where(
            Package.order_id == order.id, Package.handover_id.is_not(None))) or 0
        if status is S.SHIPPED or on_truck:
            raise Conflict(f"{order.order_no} is handed over ({status.value}): it cannot be "
                           "unpacked here", code="presale.unpack_shipped",
                           order_no=order.order_no, status=status.value)
        if not order.is_presale:
            raise Conflict(f"{order.order_no} is not a presale order",
                           code="presale.unpack_not_presale", order_no=order.order_no)
        if not order.intercept:
            if hand_over_refused(s, order) is None:
                raise Conflict(f"{order.order_no}: its balance is paid and nothing stops it: "
                               "it ships", code="presale.unpack_paid",
                               order_no=order.order_no)
            camp = s.get(PresaleCampaign, order.campaign_id) if order.campaign_id else None
            settles = _settles_at(camp) if camp is not None else None
            if settles is not None and now < settles:
                # Its buyer may still pay: the parcel waits on the shelf. Only a refund or a
                # cancellation (an intercept), or the campaign's end, unpacks it.
                raise Conflict(f"{order.order_no}: its balance may still be paid until "
                               f"{settles.isoformat()}; keep it on the staging shelf",
                               code="presale.unpack_window_open", order_no=order.order_no,
                               ends_at=in_china(settles).strftime("%Y-%m-%d %H:%M"))
        if status in TERMINAL or (status not in (S.IN_WAVE, S.PICKING)
                                  and not _picked(s, order)):
            raise Conflict(f"{order.order_no} ({status.value}) has nothing picked or packed "
                           "to unpack", code="presale.unpack_nothing",
                           order_no=order.order_no, status=status.value)
        return _settle(s, actor, order, reason, now)


# ------------------------------------------------------------------ the campaign's end


@dataclass(slots=True)
class CampaignEnd:
    campaign: str
    looked_at: int = 0  # live orders of the campaign
    kept: int = 0  # balance paid: they ship
    cancelled: int = 0  # nothing physical yet
    left_wave: int = 0  # left a wave being picked, then cancelled
    unpacked: int = 0  # picked or packed, unpacked and cancelled
    units_to_put_back: int = 0
    units_released: int = 0  # stock reservations given back
    pool_units_returned: int = 0
    putbacks: list[int] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"campaign": self.campaign, "looked_at": self.looked_at, "kept": self.kept,
                "cancelled": self.cancelled, "left_wave": self.left_wave,
                "unpacked": self.unpacked, "units_to_put_back": self.units_to_put_back,
                "units_released": self.units_released,
                "pool_units_returned": self.pool_units_returned,
                "putback_tasks": len(self.putbacks)}


def _settles_at(camp: PresaleCampaign) -> datetime:
    """When the campaign's balance window is over for the warehouse: `balance_ends_at` (else
    `ends_at`) and the grace for late channel events (`rules.BALANCE_GRACE`)."""
    ends = camp.balance_ends_at or camp.ends_at
    if ends.tzinfo is None:
        ends = ends.replace(tzinfo=UTC)
    return rules.balance_settled_after(ends)


# Orders settled per transaction at the campaign's end: each batch's locks are held for a
# moment, so the dock, the engine and the channel's events go on meanwhile.
CLOSE_BATCH = 200


def _picked_units(s: Session, ids: list[int]) -> dict[int, int]:
    """Order id → units picked for it and not yet given a put-back task, for many orders in
    two queries."""
    held: dict[int, int] = defaultdict(int)
    for oid, qty in s.execute(
            select(StockMovement.order_id, -func.sum(StockMovement.delta_on_hand))
            .where(StockMovement.order_id.in_(ids), StockMovement.reason == "pick")
            .group_by(StockMovement.order_id)):
        held[int(oid or 0)] += int(qty or 0)
    for oid, qty in s.execute(
            select(PutbackTask.order_id, func.sum(PutbackTask.qty))
            .where(PutbackTask.order_id.in_(ids)).group_by(PutbackTask.order_id)):
        held[int(oid)] -= int(qty or 0)
    return {k: v for k, v in held.items() if v > 0}


def _close_batch(s: Session, actor: Actor, camp: PresaleCampaign, after_id: int,
                 report: CampaignEnd, now: datetime) -> int | None:
    """Settle the next `CLOSE_BATCH` unpaid live orders of the campaign after `after_id`,
    locked in id order; returns the last id looked at, None when none is left."""
    o = Order.__table__.c
    live = [st.value for st in TERMINAL]
    orders = list(s.scalars(select(Order).where(
        Order.campaign_id == camp.id, Order.id > after_id, Order.status.not_in(live),
        balance_unpaid(o)).order_by(Order.id).limit(CLOSE_BATCH).with_for_update()))
    if not orders:
        return None
    ids = [order.id for order in orders]
    # Paid since the rows were chosen (the channel's event held the lock a moment): kept.
    still = set(s.scalars(select(Order.id).where(Order.id.in_(ids), balance_unpaid(o))))
    picked = _picked_units(s, ids)
    for order in orders:
        if order.id not in still or S(order.status) in TERMINAL:
            continue
        report.looked_at += 1
        action = rules.at_campaign_end(order.status, False, picked.get(order.id, 0))
        if action is rules.EndAction.NOTHING or action is rules.EndAction.KEEP:
            continue
        pool = order.pool_units
        done = _settle(s, actor, order, f"{camp.code} ended: balance not paid", now)
        report.units_to_put_back += done.units
        report.units_released += done.released_units
        report.pool_units_returned += pool
        report.putbacks.extend(done.putbacks)
        if action is rules.EndAction.CANCEL:
            report.cancelled += 1
        elif action is rules.EndAction.LEAVE_WAVE:
            report.left_wave += 1
        else:
            report.unpacked += 1
    return ids[-1]


@guarded(Permission.CHANGE_ORDER_STATUS)
def close_campaign(db: Database, actor: Actor, campaign_code: str,
                   now: datetime | None = None) -> CampaignEnd:
    """After the balance window (`balance_ends_at`, else `ends_at`) and its grace for the
    channel's late events (`app.domain.presale.BALANCE_GRACE`): every live order of the
    campaign whose balance is not paid is settled by how far it got
    (`app.domain.presale.at_campaign_end`) — cancelled, taken out of its wave, or unpacked
    with put-back tasks — its stock and pool units given back. A balance paid in the window
    and reported late is paid: its order is kept. Only unpaid orders are locked, in id
    order and `CLOSE_BATCH` a transaction, so the paid parcels at the dock are never held.
    Running it again changes nothing. Refused while the balance may still be paid."""
    now = now or datetime.now(UTC)
    with db.reader() as s:
        camp = _campaign(s, campaign_code)
        code, campaign_id = camp.code, camp.id
        settles = _settles_at(camp)
    if now < settles:
        raise Conflict(f"{code}: the balance may be paid, and reported late, until "
                       f"{settles.isoformat()}", code="presale.balance_window_open",
                       campaign=code, ends_at=in_china(settles).strftime("%Y-%m-%d %H:%M"))
    report = CampaignEnd(code)
    after: int | None = 0
    while after is not None:
        with db.unit_of_work() as s:
            changes.note(s, Change.CAMPAIGNS, Change.ORDERS, Change.STOCK)
            camp = _campaign(s, code, lock=True)  # one close at a time
            after = _close_batch(s, actor, camp, after, report, now)
    with db.unit_of_work() as s:
        report.kept = int(s.scalar(select(func.count()).select_from(Order).where(
            Order.campaign_id == campaign_id,
            Order.status.not_in([st.value for st in TERMINAL]),
            ~balance_unpaid(Order.__table__.c))) or 0)
        report.looked_at += report.kept
        audit.record(s, actor, "presale.campaign_closed", "campaign", code, None, None,
                     report.as_json())
    return report


# ------------------------------------------------------------------ the ledger


@dataclass(frozen=True, slots=True)
class WarehousePosition:
    warehouse: str
    on_hand: int
    reserved: int
    presale_held: int  # reserved for this campaign's orders
    spot_reserved: int
    free: int
    putback_open: int  # units of this SKU in open put-back tasks (out of the bins)
    packed_waiting: int  # units packed for the campaign, balance not paid
    packed_ready: int  # units packed for the campaign, balance paid, not handed over

    def as_json(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}


@dataclass(frozen=True, slots=True)
class StockPosition:
    campaign: str
    sku: str
    stock_mode: str
    pool_capacity: int
    pool_promised: int
    warehouses: tuple[WarehousePosition, ...]

    def total(self) -> rules.Ledger:
        return rules.ledger(sum(w.on_hand for w in self.warehouses),
                            sum(w.reserved for w in self.warehouses),
                            sum(w.presale_held for w in self.warehouses),
                            self.pool_promised, self.pool_capacity)

    def as_json(self) -> dict[str, Any]:
        book = self.total()
        return {"campaign": self.campaign, "sku": self.sku, "stock_mode": self.stock_mode,
                "pool_capacity": self.pool_capacity, "pool_promised": self.pool_promised,
                "on_hand": book.on_hand, "reserved": book.reserved,
                "presale_held": book.presale_held, "spot_reserved": book.spot_reserved,
                "free": book.free,
                "putback_open": sum(w.putback_open for w in self.warehouses),
                "packed_waiting": sum(w.packed_waiting for w in self.warehouses),
                "packed_ready": sum(w.packed_ready for w in self.warehouses),
                "warehouses": [w.as_json() for w in self.warehouses]}


@guarded(Permission.VIEW_ORDERS)
def stock_position(db: Database, actor: Actor, campaign_code: str) -> StockPosition:
    """The campaign SKU's ledger per warehouse: on hand, reserved (spot and presale apart),
    free, units in open put-back tasks, and units packed for the campaign waiting for their
    balance or ready to leave. Each warehouse's figures are checked (`ledger`)."""
    with db.reader() as s:
        camp = _campaign(s, campaign_code)
        sku = s.scalar(select(Sku.code).where(Sku.id == camp.sku_id)) or ""
        pool = s.execute(select(PresalePool.capacity, PresalePool.reserved)
                         .where(PresalePool.campaign_id == camp.id)).first()
        codes = dict(s.execute(select(Warehouse.id, Warehouse.code)).all())
        stock: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        for wid, on_hand, reserved in s.execute(
                select(Stock.warehouse_id, func.sum(Stock.on_hand), func.sum(Stock.reserved))
                .where(Stock.sku_id == camp.sku_id).group_by(Stock.warehouse_id)):
            stock[wid] = [int(on_hand or 0), int(reserved or 0)]
        held: dict[int, int] = defaultdict(int)
        for wid, units in s.execute(
                select(Bin.warehouse_id, func.sum(StockMovement.delta_reserved))
                .join(Bin, Bin.id == StockMovement.bin_id)
                .join(Order, Order.id == StockMovement.order_id)
                .where(Order.campaign_id == camp.id, Order.is_presale.is_(True),
                       StockMovement.sku_id == camp.sku_id,
                       StockMovement.reason.in_(["reserve", "release", "pick"]))
                .group_by(Bin.warehouse_id)):
            held[wid] = int(units or 0)
        putback: dict[int, int] = defaultdict(int)
        for wid, units in s.execute(
                select(Bin.warehouse_id, func.sum(PutbackTask.qty))
                .join(Bin, Bin.id == PutbackTask.bin_id)
                .where(PutbackTask.sku_id == camp.sku_id, PutbackTask.status == "open")
                .group_by(Bin.warehouse_id)):
            putback[wid] = int(units or 0)
        packed: dict[tuple[int, bool], int] = defaultdict(int)
        unpaid = balance_unpaid(Order.__table__.c)
        for waiting in (True, False):
            for place, units in s.execute(
                    select(Order.warehouse_id, func.sum(Order.unit_count))
                    .where(Order.campaign_id == camp.id, Order.status == S.PACKED.value,
                           unpaid if waiting else ~unpaid)
                    .group_by(Order.warehouse_id)):
                if place is not None:
                    packed[(place, waiting)] = int(units or 0)
        places = sorted(set(stock) | set(held) | set(putback) | {w for w, _ in packed},
                        key=lambda w: codes.get(w, ""))
        rows = []
        for wid in places:
            on_hand, reserved = stock.get(wid, [0, 0])
            book = rules.ledger(on_hand, reserved, held.get(wid, 0))
            rows.append(WarehousePosition(
                codes.get(wid, ""), on_hand, reserved, book.presale_held, book.spot_reserved,
                book.free, putback.get(wid, 0), packed.get((wid, True), 0),
                packed.get((wid, False), 0)))
        return StockPosition(camp.code, sku, camp.stock_mode, pool[0] if pool else 0,
                             pool[1] if pool else 0, tuple(rows))
