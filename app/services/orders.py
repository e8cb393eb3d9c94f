"""Order look-up, the order list (filtered, sorted and paged in SQL), detail, and status changes
through the one state machine."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypedDict, TypeVarTuple

from sqlalchemy import ColumnElement, Select, func, or_, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.domain.money import format_yuan
from app.domain.notes import Note
from app.domain.notes import encode as encode_notes
from app.domain.roles import Permission
from app.domain.status import IllegalTransition, OrderStatus, check_transition, parse_status
from app.services import access, audit, changes
from app.services.access import guarded
from app.services.changes import Change
from app.services.context import Actor
from app.services.errors import Conflict, InvalidInput
from app.services.order_lookup import find_order
from app.store.db import Database
from app.store.models import (
    EXCEPTION_CATEGORIES,
    Carrier,
    Handover,
    Order,
    OrderException,
    Package,
    Shop,
    Warehouse,
    Wave,
    WaveOrder,
)

# ------------------------------------------------------------------ finding an order


# ------------------------------------------------------------------ status changes


@guarded(Permission.CHANGE_ORDER_STATUS)
def change_status(db: Database, actor: Actor, ref: str, target: str | OrderStatus,
                  reason: str = "", category: str | None = None) -> OrderStatus:
    """Move one order to `target` if the state machine allows it; audited with the reason.
    Moving into `exception` needs its category; moving out of it is resolving an exception."""
    new = parse_status(target) if isinstance(target, str) else target
    with db.unit_of_work() as s:
        order = find_order(s, ref, for_update=True)
        if order.status == OrderStatus.EXCEPTION.value and new is not OrderStatus.EXCEPTION:
            actor = access.check(db, actor, Permission.RESOLVE_EXCEPTIONS)
        set_status(s, actor, order, new, reason, category=category)
        return new


# Where an intercepted order (refund requested, cancelled or address changed at the channel)
# may still go: it is stopped, never moved forward, until someone resolves the intercept.
INTERCEPTED_MAY_GO = frozenset({OrderStatus.CANCELLED, OrderStatus.EXCEPTION,
                                OrderStatus.ON_HOLD})


# Statuses in which an order holds reserved stock for a picker to come and take (being
# picked: the units not picked yet; the ledger says which, so only those are given back).
HOLDS_STOCK = frozenset({OrderStatus.ROUTED, OrderStatus.IN_WAVE, OrderStatus.PICKING})
# Where an order holds nothing: it is routed (and reserves) afresh when it comes back.
HOLDS_NOTHING = frozenset({OrderStatus.PENDING_REVIEW, OrderStatus.ON_HOLD,
                           OrderStatus.EXCEPTION, OrderStatus.AWAITING_STOCK,
                           OrderStatus.CANCELLED})


def set_status(session: Session, actor: Actor, order: Order, new: OrderStatus,
               reason: str = "", detail: dict[str, Any] | None = None,
               category: str | None = None, resolution: str | None = None,
               note: Note | None = None) -> None:
    """For services that already hold the order locked: the one place a status is written.

    What a move means beyond the status is settled here too: leaving a status that holds
    stock for one that does not gives the stock back (a held or re-reviewed order is routed
    and reserved again when it returns, never twice); cancelling also gives back presale pool
    units; leaving `exception` closes the open exception records."""
    from app.services.stock import release_reservations

    old = OrderStatus(order.status)
    try:
        check_transition(old, new)
    except IllegalTransition as exc:
        raise Conflict(str(exc), code=exc.code, order_no=order.order_no, **exc.params) from None
    # Whichever service moved it, the screens showing orders (and the queue) follow.
    changes.note(session, Change.ORDERS, *(
        (Change.EXCEPTIONS,) if OrderStatus.EXCEPTION in (old, new) else ()))
    if order.intercept and new not in INTERCEPTED_MAY_GO:
        raise Conflict(f"order {order.order_no} is intercepted ({order.intercept}): "
                       f"it cannot move to {new.value}", code="order.intercepted",
                       order_no=order.order_no, intercept=order.intercept, target=new.value)
    if new is OrderStatus.EXCEPTION:
        if category not in EXCEPTION_CATEGORIES:
            raise InvalidInput(f"an exception needs its category, one of: "
                               f"{', '.join(EXCEPTION_CATEGORIES)}",
                               code="order.category_needed")
        order.exception = category
    elif category is not None:
        raise InvalidInput("a category is given only when moving an order into exception",
                           code="order.category_unexpected")
    elif old is OrderStatus.EXCEPTION:
        order.exception = None
    now = datetime.now(UTC)
    if old is OrderStatus.EXCEPTION and new is not OrderStatus.EXCEPTION:
        session.execute(update(OrderException).where(
            OrderException.order_id == order.id, OrderException.resolved_at.is_(None))
            .values(resolved_at=now, resolved_by=actor.user_id,
                    resolution=(resolution or f"status changed to {new.value}")[:200]))
    if new is OrderStatus.EXCEPTION and old is not OrderStatus.EXCEPTION:
        # The exception queue's entry: what a person must look at, and since when.
        session.add(OrderException(order_id=order.id, category=category or "",
                                   detail=encode_notes([note]) if note else (reason or "")[:500],
                                   raised_at=now,
                                   raised_by=actor.user_id, level=0, resolution=""))
    order.status = new.value
    order.status_changed_at = now
    order.updated_at = now
    order.version += 1
    if new is OrderStatus.CANCELLED:
        # Its platform waybills not handed over are given back at their providers (by the
        # engine), its confirmations not sent withdrawn.
        from app.services.waybill_issue import queue_cancellations

        queue_cancellations(session, actor, order, "cancelled", now)
    if old in HOLDS_STOCK and new in HOLDS_NOTHING or new is OrderStatus.CANCELLED:
        # After the status is set: on PostgreSQL a station's release is checked against it.
        units = release_reservations(session, actor, order, f"{old.value} → {new.value}",
                                     pool=new is OrderStatus.CANCELLED)
        changes.note(session, Change.STOCK, *(
            (Change.CAMPAIGNS,) if new is OrderStatus.CANCELLED else ()))
        if units:
            detail = {**(detail or {}), "released_units": units}
    info = dict(detail or {})
    if reason:
        info["reason"] = reason
    if category:
        info["category"] = category
    audit.record(session, actor, "order.status", "order", order.order_no, old.value, new.value,
                 info or None)


# ------------------------------------------------------------------ the order list


SORTS: dict[str, tuple[InstrumentedAttribute[Any], bool]] = {
    # name: (column, descending by default)
    "priority": (Order.priority, True),
    "order_no": (Order.order_no, False),
    "paid_at": (Order.paid_at, True),
    "promised_ship_by": (Order.promised_ship_by, False),
    "amount": (Order.amount_fen, True),
    # Ids are handed out in arrival order: sorting by id is sorting by creation, for free.
    "created_at": (Order.id, True),
}


@dataclass(frozen=True, slots=True)
class OrderFilter:
    statuses: tuple[str, ...] = ()
    channel: str | None = None
    warehouse: str | None = None
    carrier: str | None = None
    exception: str | None = None
    presale: bool | None = None
    search: str = ""
    # The dashboard's figures open the orders behind them: a priority band, due before a
    # time, packed / picked / handed over in an hour, an open exception at an escalation level.
    bands: tuple[str, ...] = ()
    due_before: datetime | None = None
    due_after: datetime | None = None  # promised at or after: not overdue then
    packed_between: tuple[datetime, datetime] | None = None
    picked_between: tuple[datetime, datetime] | None = None
    shipped_between: tuple[datetime, datetime] | None = None
    exception_level: int | None = None
    no_carrier: bool = False


@dataclass(frozen=True, slots=True)
class OrderRow:
    id: int
    order_no: str
    channel: str
    channel_order_no: str
    status: str
    exception: str | None
    intercept: str | None
    priority: int
    priority_band: str
    receiver_name: str
    province: str
    city: str
    district: str
    amount_fen: int
    line_count: int
    unit_count: int
    warehouse: str | None
    carrier: str | None
    is_presale: bool
    paid_at: datetime | None
    promised_ship_by: datetime | None
    created_at: datetime
    # The platform keeps the receiver encrypted: `receiver_name` is its mask (张**).
    receiver_encrypted: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "order_no": self.order_no, "channel": self.channel,
            "channel_order_no": self.channel_order_no, "status": self.status,
            "exception": self.exception, "intercept": self.intercept,
            "priority": self.priority, "priority_band": self.priority_band,
            "warehouse": self.warehouse, "carrier": self.carrier,
            "receiver": self.receiver_name, "receiver_encrypted": self.receiver_encrypted,
            "region": f"{self.province}{self.city}{self.district}",
            "amount": format_yuan(self.amount_fen), "lines": self.line_count,
            "units": self.unit_count, "presale": self.is_presale,
            "paid_at": _iso(self.paid_at), "promised_ship_by": _iso(self.promised_ship_by),
            "created_at": _iso(self.created_at),
        }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


_ROW_COLUMNS = (
    Order.id, Order.order_no, Order.channel, Order.channel_order_no, Order.status,
    Order.exception, Order.intercept, Order.priority, Order.priority_band,
    Order.receiver_name, Order.province, Order.city, Order.district, Order.amount_fen,
    Order.line_count, Order.unit_count, Order.warehouse_id, Order.carrier_id, Order.is_presale,
    Order.paid_at, Order.promised_ship_by, Order.created_at,
    or_(Order.receiver_oaid.is_not(None), Order.receiver_cipher.is_not(None))
    .label("receiver_encrypted"),
)


@dataclass(slots=True)
class _Codes:
    """Warehouse and carrier codes by id: small tables, read once per query instead of joined."""

    warehouse: dict[int, str] = field(default_factory=dict)
    carrier: dict[int, str] = field(default_factory=dict)

    @classmethod
    def load(cls, s: Session) -> _Codes:
        return cls(dict(s.execute(select(Warehouse.id, Warehouse.code)).all()),
                   dict(s.execute(select(Carrier.id, Carrier.code)).all()))


def _where(s: Session, f: OrderFilter) -> list[ColumnElement[bool]]:
    cond: list[ColumnElement[bool]] = []
    if f.statuses:
        cond.append(Order.status.in_([parse_status(x).value for x in f.statuses]))
    if f.channel:
        cond.append(Order.channel == f.channel)
    if f.warehouse:
        wid = s.scalar(select(Warehouse.id).where(Warehouse.code == f.warehouse))
        if wid is None:
            raise InvalidInput(f"no warehouse {f.warehouse}", code="order.no_warehouse",
                               warehouse=f.warehouse)
        cond.append(Order.warehouse_id == wid)
    if f.carrier:
        cid = s.scalar(select(Carrier.id).where(Carrier.code == f.carrier))
        if cid is None:
            raise InvalidInput(f"no carrier {f.carrier}", code="order.no_carrier",
                               carrier=f.carrier)
        cond.append(Order.carrier_id == cid)
    if f.exception:
        cond.append(Order.exception == f.exception)
    if f.presale is not None:
        cond.append(Order.is_presale.is_(f.presale))
    if f.bands:
        cond.append(Order.priority_band.in_(list(f.bands)))
    if f.due_before is not None:
        cond.append(Order.promised_ship_by < f.due_before)
    if f.due_after is not None:
        cond.append(Order.promised_ship_by >= f.due_after)
    if f.no_carrier:
        cond.append(Order.carrier_id.is_(None))
    if f.packed_between is not None:
        cond.append(Order.id.in_(select(Package.order_id).where(
            Package.packed_at >= f.packed_between[0], Package.packed_at < f.packed_between[1])))
    if f.picked_between is not None:
        # Picked orders count when their wave's picking is finished (as the dashboard's
        # rates count them): the orders of the waves finished in that time.
        cond.append(Order.id.in_(select(WaveOrder.order_id).join(
            Wave, Wave.id == WaveOrder.wave_id).where(
            WaveOrder.removed_at.is_(None), Wave.finished_at >= f.picked_between[0],
            Wave.finished_at < f.picked_between[1])))
    if f.shipped_between is not None:
        cond.append(Order.id.in_(select(Package.order_id).join(
            Handover, Handover.id == Package.handover_id).where(
            Handover.closed_at >= f.shipped_between[0],
            Handover.closed_at < f.shipped_between[1])))
    if f.exception_level is not None:
        cond.append(Order.id.in_(select(OrderException.order_id).where(
            OrderException.resolved_at.is_(None), OrderException.level == f.exception_level)))
    term = f.search.strip()
    if term:
        cond.append(or_(Order.order_no == term, Order.channel_order_no == term,
                        Order.receiver_phone == term, Order.buyer == term))
    return cond


@guarded(Permission.VIEW_ORDERS)
def count_orders(db: Database, actor: Actor, f: OrderFilter) -> int:
    with db.replica_reader() as s:
        return s.scalar(select(func.count()).select_from(Order).where(*_where(s, f))) or 0


Ts = TypeVarTuple("Ts")


def _ordered(query: Select[*Ts], sort: str, descending: bool) -> Select[*Ts]:
    column = SORTS[sort][0]
    if descending:
        return query.order_by(column.desc(), Order.id.desc())
    return query.order_by(column.asc(), Order.id.asc())


@guarded(Permission.VIEW_ORDERS)
def list_orders(db: Database, actor: Actor, f: OrderFilter, *, sort: str = "priority",
                descending: bool | None = None, offset: int = 0, limit: int = 200,
                total: int | None = None) -> list[OrderRow]:
    """One page of the order list. With `total` known, a page in the back half is read from
    the other end of the index, so a jump near the end costs what a jump near the start does."""
    if sort not in SORTS:
        raise InvalidInput(f"cannot sort by {sort!r}; choose one of {', '.join(SORTS)}",
                           code="order.bad_sort", sort=sort)
    if offset < 0 or not 0 < limit <= 5000:
        raise InvalidInput("page out of range", code="order.bad_page")
    desc = SORTS[sort][1] if descending is None else descending
    with db.replica_reader() as s:
        where = _where(s, f)
        reverse = total is not None and offset > total // 2
        if reverse:
            assert total is not None
            end = min(offset + limit, total)
            offset, limit = max(total - end, 0), max(end - offset, 0)
            if limit == 0:
                return []
        # Page through ids on the sort index first, then fetch just those rows.
        ids = (_ordered(select(Order.id).where(*where), sort, desc != reverse)
               .offset(offset).limit(limit).subquery())
        query = _ordered(select(*_ROW_COLUMNS).join(ids, ids.c.id == Order.id), sort,
                         desc != reverse)
        raw = list(s.execute(query))
        codes = _Codes.load(s)
    if reverse:
        raw.reverse()
    return [_row(r, codes) for r in raw]


def _row(r: Any, codes: _Codes) -> OrderRow:
    return OrderRow(
        id=r.id, order_no=r.order_no, channel=r.channel, channel_order_no=r.channel_order_no,
        status=r.status, exception=r.exception, intercept=r.intercept, priority=r.priority,
        priority_band=r.priority_band, receiver_name=r.receiver_name, province=r.province,
        city=r.city, district=r.district, amount_fen=r.amount_fen, line_count=r.line_count,
        unit_count=r.unit_count, warehouse=codes.warehouse.get(r.warehouse_id),
        carrier=codes.carrier.get(r.carrier_id), is_presale=r.is_presale, paid_at=r.paid_at,
        promised_ship_by=r.promised_ship_by, created_at=r.created_at,
        receiver_encrypted=bool(r.receiver_encrypted))


@guarded(Permission.VIEW_ORDERS)
def iter_orders(db: Database, actor: Actor, f: OrderFilter, *, sort: str = "priority",
                descending: bool | None = None, batch: int = 2000) -> Iterator[OrderRow]:
    """Every order matching `f`, in list order, streamed from one query (for exports and the
    CLI): memory stays flat whether there are a hundred orders or a million."""
    if sort not in SORTS:
        raise InvalidInput(f"cannot sort by {sort!r}; choose one of {', '.join(SORTS)}",
                           code="order.bad_sort", sort=sort)
    desc = SORTS[sort][1] if descending is None else descending
    with db.replica_reader() as s:
        codes = _Codes.load(s)
        query = _ordered(select(*_ROW_COLUMNS).where(*_where(s, f)), sort, desc)
        for r in s.execute(query.execution_options(yield_per=batch)):
            yield _row(r, codes)


# ------------------------------------------------------------------ detail


class ReceiverDetail(TypedDict):
    """The receiver as shown: for an encrypted one (`encrypted`) name, phone and address are
    the platform's masks, and of its OAID only the end (`oaid_end`); the ciphertexts are
    never shown."""

    name: str
    phone: str
    province: str
    city: str
    district: str
    address: str
    encrypted: bool
    oaid_end: str | None


# How much of a receiver's OAID a screen shows: enough to tell two apart, not to use one.
OAID_SHOWN = 6


def oaid_end(oaid: str | None) -> str | None:
    """The end of an OAID as screens and the command line show it (…a1b2c3), or None."""
    if not oaid:
        return None
    return "…" + oaid[-OAID_SHOWN:] if len(oaid) > OAID_SHOWN else "…"


class LineDetail(TypedDict):
    line: int
    sku: str
    name: str | None  # None: a SKU code the catalogue does not know
    qty: int
    price: str  # yuan, as written
    picked: int
    packed: int


class PaymentDetail(TypedDict):
    kind: str
    amount: str
    status: str
    paid_at: str | None


class PackageDetail(TypedDict):
    box: int
    tracking_no: str | None
    carrier: str | None
    status: str
    weight_g: int | None


class ShipmentDetail(TypedDict):
    """A shipment confirmation to the platform (发货回传) of one of the order's parcels."""

    id: int
    channel_order_no: str
    tracking_no: str
    status: str  # pending, sending, sent, refused
    attempts: int
    last_error: str
    sent_at: str | None


class HistoryEntry(TypedDict):
    """One audit entry of the order: `before`/`after` are statuses or values as stored,
    `detail` what the acting service added (a status path, an exception category…)."""

    at: str | None
    actor: str
    station: str
    action: str
    before: str | None
    after: str | None
    detail: dict[str, Any] | None


class OrderDetail(TypedDict):
    """One order as the detail pane and `packline orders show` read it; moments are ISO
    strings, amounts are yuan as written."""

    order_no: str
    channel: str
    shop: str
    channel_order_no: str
    buyer: str
    status: str
    exception: str | None
    intercept: str | None
    priority: int
    priority_band: str
    warehouse: str | None
    carrier: str | None
    receiver: ReceiverDetail
    amount: str
    discount: str
    goods: str
    paid_at: str | None
    vip_level: int
    remark: str
    promised_ship_by: str | None
    presale: bool
    parent: str | None
    children: list[str]
    merged_from: list[str]
    created_at: str | None
    lines: list[LineDetail]
    payments: list[PaymentDetail]
    packages: list[PackageDetail]
    tracking_numbers: list[str]
    shipments: list[ShipmentDetail]
    history: list[HistoryEntry]


def _shipments(s: Session, order_id: int) -> list[ShipmentDetail]:
    from app.store.models import ShipmentConfirmation as C

    return [{"id": r.id, "channel_order_no": r.channel_order_no, "tracking_no": r.tracking_no,
             "status": r.status, "attempts": r.attempts, "last_error": r.last_error,
             "sent_at": _iso(r.sent_at)}
            for r in s.execute(select(C.id, C.channel_order_no, C.tracking_no, C.status,
                                      C.attempts, C.last_error, C.sent_at)
                               .where(C.order_id == order_id).order_by(C.id))]


@guarded(Permission.VIEW_ORDERS)
def order_detail(db: Database, actor: Actor, ref: str) -> OrderDetail:
    """The order with lines, payments, packages and tracking numbers, and its history."""
    with db.reader() as s:
        o = find_order(s, ref)
        codes = _Codes.load(s)
        shop = s.get_one(Shop, o.shop_id)
        parent = s.get(Order, o.parent_id) if o.parent_id else None
        merged_from = list(s.scalars(select(Order.order_no).where(Order.merged_into_id == o.id)))
        children = list(s.scalars(select(Order.order_no).where(Order.parent_id == o.id)))
        packages: list[Package] = list(o.packages)
        return {
            "order_no": o.order_no, "channel": o.channel, "shop": shop.name,
            "channel_order_no": o.channel_order_no, "buyer": o.buyer,
            "status": o.status, "exception": o.exception, "intercept": o.intercept,
            "priority": o.priority, "priority_band": o.priority_band,
            "warehouse": codes.warehouse.get(o.warehouse_id) if o.warehouse_id else None,
            "carrier": codes.carrier.get(o.carrier_id) if o.carrier_id else None,
            "receiver": {"name": o.receiver_name, "phone": o.receiver_phone,
                         "province": o.province, "city": o.city, "district": o.district,
                         "address": o.address,
                         "encrypted": bool(o.receiver_oaid or o.receiver_cipher),
                         "oaid_end": oaid_end(o.receiver_oaid)},
            "amount": format_yuan(o.amount_fen), "discount": format_yuan(o.discount_fen),
            "goods": format_yuan(o.goods_fen), "paid_at": _iso(o.paid_at),
            "vip_level": o.vip_level, "remark": o.remark,
            "promised_ship_by": _iso(o.promised_ship_by), "presale": o.is_presale,
            "parent": parent.order_no if parent else None, "children": children,
            "merged_from": merged_from, "created_at": _iso(o.created_at),
            "lines": [{"line": ln.line_no, "sku": ln.sku_code,
                       "name": ln.sku.name if ln.sku else None, "qty": ln.qty,
                       "price": format_yuan(ln.price_fen), "picked": ln.picked_qty,
                       "packed": ln.packed_qty} for ln in o.lines],
            "payments": [{"kind": p.kind, "amount": format_yuan(p.amount_fen),
                          "status": p.status, "paid_at": _iso(p.paid_at)} for p in o.payments],
            "packages": [{"box": p.box_no, "tracking_no": p.tracking_no,
                          "carrier": codes.carrier.get(p.carrier_id) if p.carrier_id else None,
                          "status": p.status, "weight_g": p.weight_g} for p in packages],
            "tracking_numbers": [p.tracking_no for p in packages if p.tracking_no],
            "shipments": _shipments(s, o.id),
            "history": [{"at": _iso(h.at), "actor": h.actor, "station": h.station,
                         "action": h.action, "before": h.before, "after": h.after,
                         "detail": h.detail} for h in audit.history(s, "order", o.order_no)],
        }
