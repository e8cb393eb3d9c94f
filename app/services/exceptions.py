"""The exception queue (异常): what is waiting for a person, how old it is, what can be done
about it, and doing it. Resolving records who, what and when and puts the order back into
the flow; ageing raises the escalation level (> 24 h notify, > 48 h backup supplier or
carrier, > 72 h compensate the buyer) — except a supplier's delay, whose level is its slip."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.domain import escalation
from app.domain.intake import RECEIVER_FIELDS, RECEIVER_LIMITS
from app.domain.roles import Permission
from app.domain.status import OrderStatus
from app.services import audit, changes
from app.services.access import guarded
from app.services.changes import Change
from app.services.context import Actor
from app.services.errors import Conflict, InvalidInput
from app.services.order_lookup import find_order
from app.services.orders import set_status
from app.store.db import Database
from app.store.models import (
    Order,
    OrderException,
    OrderLine,
    Sku,
    StationWaybillRequest,
    WaybillWait,
)

# What a shift lead may do with each category, most useful first.
_APPROVE = ("approve", "hold", "cancel")
SUGGESTED_ACTIONS: dict[str, tuple[str, ...]] = {
    "out_of_stock": ("retry", "backorder", "substitute", "cancel"),
    "address_invalid": ("fix_address", "hold", "cancel"),
    "address_ambiguous": ("fix_address", "hold", "cancel"),
    "phone_invalid": ("fix_address", "hold", "cancel"),
    "receiver_incomplete": ("fix_address", "hold", "cancel"),
    "payment_incomplete": ("approve", "hold", "cancel"),
    "amount_mismatch": _APPROVE,
    "blacklist": _APPROVE,
    "remark_review": _APPROVE,
    "high_value_review": _APPROVE,
    "presale_over_capacity": ("backorder", "cancel"),
    "sku_unknown": ("substitute", "hold", "cancel"),
    "qty_invalid": ("hold", "cancel"),
    "carrier_unavailable": ("retry", "hold", "cancel"),
    # The parcel has left: the order keeps its status; the lead fixes what the platform
    # refused and sends the confirmation again.
    "shipment_refused": ("retry_confirmation",),
    # The platform refused a box's waybill: the lead fixes the shop (its key, its balance
    # of waybills, its carrier contract) and has it asked for again.
    "waybill_refused": ("retry_waybill",),
    # A presale supplier's goods come late (app.services.supply): the order keeps its
    # status; the lead tells purchasing and the buyer, switches to the backup supplier or
    # carrier, or flags the buyer for the campaign's compensation.
    "supplier_delay": ("notify", "switch_supplier", "compensate"),
    # The channel reported a payment on an order cancelled already (a balance paid late,
    # after the campaign's end settled the order): the order keeps its status; the lead has
    # the shop refund the buyer and says so.
    "paid_after_cancel": ("refunded",),
}
# Actions done in place: the order keeps its status, something is sent or asked again.
IN_PLACE_ACTIONS = ("retry_confirmation", "retry_waybill", "notify", "switch_supplier",
                    "compensate", "refunded")
# Exceptions on an order that keeps its status (it is on its way): shown in the queue too.
NOTICE_CATEGORIES = ("shipment_refused", "waybill_refused", "supplier_delay",
                     "paid_after_cancel")
# Exceptions whose level is not their age but a measure of their own, kept by the service
# that raises them: a supplier's slip (app.services.supply.raise_slips).
SLIP_LEVELLED = ("supplier_delay",)
ACTION_TARGET = {
    "approve": OrderStatus.PENDING_REVIEW, "retry": OrderStatus.PENDING_REVIEW,
    "fix_address": OrderStatus.PENDING_REVIEW, "substitute": OrderStatus.PENDING_REVIEW,
    "hold": OrderStatus.ON_HOLD, "cancel": OrderStatus.CANCELLED,
    "backorder": OrderStatus.AWAITING_STOCK,
}


@dataclass(frozen=True, slots=True)
class QueueItem:
    order_no: str
    channel: str
    channel_order_no: str
    category: str
    detail: str
    raised_at: datetime
    level: int
    receiver_name: str
    amount_fen: int
    actions: tuple[str, ...]
    # The platform keeps the receiver encrypted: `receiver_name` is its mask (张**).
    receiver_encrypted: bool = False

    def age_hours(self, now: datetime) -> float:
        return (now - self.raised_at).total_seconds() / 3600


def suggested(category: str | None) -> tuple[str, ...]:
    return SUGGESTED_ACTIONS.get(category or "", ("hold", "cancel"))


@guarded(Permission.VIEW_ORDERS)
def queue(db: Database, actor: Actor, *, category: str | None = None,
          limit: int = 500) -> list[QueueItem]:
    """Open exceptions, oldest first (the oldest are the ones escalating)."""
    with db.reader() as s:
        query = (select(OrderException, Order)
                 .join(Order, Order.id == OrderException.order_id)
                 .where(OrderException.resolved_at.is_(None),
                        or_(Order.status == OrderStatus.EXCEPTION.value,
                            OrderException.category.in_(NOTICE_CATEGORIES)))
                 .order_by(OrderException.raised_at, OrderException.id).limit(limit))
        if category:
            query = query.where(OrderException.category == category)
        return [QueueItem(order_no=o.order_no, channel=o.channel,
                          channel_order_no=o.channel_order_no, category=e.category,
                          detail=e.detail, raised_at=e.raised_at, level=e.level,
                          receiver_name=o.receiver_name, amount_fen=o.amount_fen,
                          actions=suggested(e.category),
                          receiver_encrypted=bool(o.receiver_oaid or o.receiver_cipher))
                for e, o in s.execute(query)]


@guarded(Permission.VIEW_ORDERS)
def counts(db: Database, actor: Actor) -> dict[str, int]:
    with db.reader() as s:
        return dict(s.execute(
            select(OrderException.category, func.count())
            .where(OrderException.resolved_at.is_(None)).group_by(OrderException.category))
            .all())


def _fix_address(order: Order, params: Mapping[str, Any]) -> str:
    values = {}
    for name in RECEIVER_FIELDS:
        value = params.get(name, getattr(order, "receiver_" + name if name in ("name", "phone")
                                         else name))
        if not isinstance(value, str) or not value.strip():
            raise InvalidInput(f"fix_address: {name} is empty", code="exceptions.field_empty",
                               field=name)
        if len(value.strip()) > RECEIVER_LIMITS[name]:
            raise InvalidInput(f"fix_address: {name} is too long",
                               code="exceptions.field_too_long", field=name,
                               limit=RECEIVER_LIMITS[name])
        values[name] = value.strip()
    before = f"{order.province}{order.city}{order.district}{order.address}"
    if (values["name"], values["phone"], values["address"]) != (
            order.receiver_name, order.receiver_phone, order.address):
        # A person typed the receiver: it is plaintext now, the platform's OAID and
        # ciphertexts (of the receiver it masked) no longer describe it.
        order.receiver_oaid = order.receiver_cipher = None
    order.receiver_name, order.receiver_phone = values["name"], values["phone"]
    order.province, order.city, order.district = (values["province"], values["city"],
                                                  values["district"])
    order.address, order.region_adcode = values["address"], None
    return before


def _receiver_fixed(s: Any, actor: Actor, order: Order) -> None:
    """A waybill fetched ahead for the old receiver is given back (a fresh one follows)."""
    from app.services.waybill_issue import receiver_changed

    receiver_changed(s, actor, order)


def _substitute(db_session: Any, order: Order, params: Mapping[str, Any]) -> str:
    old, new = str(params.get("from", "")).strip(), str(params.get("to", "")).strip()
    if not old or not new:
        raise InvalidInput("substitute needs 'from' and 'to' SKU codes",
                           code="exceptions.substitute_incomplete")
    sku = db_session.scalars(select(Sku).where(Sku.code == new, Sku.active)).first()
    if sku is None:
        raise InvalidInput(f"no active SKU {new}", code="exceptions.no_sku", sku=new)
    changed = db_session.execute(update(OrderLine).where(
        OrderLine.order_id == order.id, OrderLine.sku_code == old)
        .values(sku_code=sku.code, sku_id=sku.id)).rowcount
    if not changed:
        raise InvalidInput(f"order {order.order_no} has no line with {old}",
                           code="exceptions.no_line", order_no=order.order_no, sku=old)
    return f"{old} → {new}"


@guarded(Permission.RESOLVE_EXCEPTIONS)
def resolve(db: Database, actor: Actor, ref: str, action: str, note: str = "",
            params: Mapping[str, Any] | None = None) -> OrderStatus:
    """Do one of the suggested actions for an order in the exception queue."""
    params = dict(params or {})
    with db.unit_of_work() as s:
        changes.note(s, Change.EXCEPTIONS, Change.ORDERS, Change.STOCK)
        order = find_order(s, ref, for_update=True)
        if action == "retry_confirmation":
            return _retry_confirmations(s, actor, order, note)
        if action == "retry_waybill":
            return _retry_waybills(s, actor, order, note)
        if action == "refunded":
            return _refunded(s, actor, order, note)
        if action in SUGGESTED_ACTIONS["supplier_delay"]:
            from app.services.supply import resolve_delay

            resolve_delay(s, actor, order, action, note)
            return OrderStatus(order.status)
        if order.status != OrderStatus.EXCEPTION.value:
            raise Conflict(f"order {order.order_no} is not in the exception queue "
                           f"({order.status})", code="exceptions.not_queued",
                           order_no=order.order_no, status=order.status)
        category = order.exception
        if action not in suggested(category):
            raise InvalidInput(f"{action!r} is not an action for {category}; choose one of: "
                               f"{', '.join(suggested(category))}",
                               code="exceptions.wrong_action", action=action,
                               category=category or "")
        detail: dict[str, Any] = {"action": action, "category": category}
        if action == "fix_address":
            detail["address_before"] = _fix_address(order, params)
            _receiver_fixed(s, actor, order)
        elif action == "substitute":
            detail["substitute"] = _substitute(s, order, params)
        target = ACTION_TARGET[action]
        set_status(s, actor, order, target, note or action, detail,
                   resolution=f"{action}: {note}"[:200] if note else action)
        return target


def _open_notices(s: Any, order: Order, category: str, what: str) -> list[int]:
    """The order's open exceptions of `category`; refused (`exceptions.not_queued`) when it
    has none — there is nothing to act on."""
    open_ids = list(s.scalars(select(OrderException.id).where(
        OrderException.order_id == order.id, OrderException.category == category,
        OrderException.resolved_at.is_(None))))
    if not open_ids:
        raise Conflict(f"order {order.order_no} has no {what}", code="exceptions.not_queued",
                       order_no=order.order_no, status=order.status)
    return open_ids


def _refunded(s: Any, actor: Actor, order: Order, note: str) -> OrderStatus:
    """The buyer of an order paid after it was cancelled got the money back (the shop
    refunded it): its open `paid_after_cancel` notice resolved; its status stays."""
    now = datetime.now(UTC)
    open_ids = _open_notices(s, order, "paid_after_cancel", "payment after its cancellation")
    s.execute(update(OrderException).where(OrderException.id.in_(open_ids)).values(
        resolved_at=now, resolved_by=actor.user_id,
        resolution=(f"refunded: {note}" if note else "refunded")[:200]))
    audit.record(s, actor, "exception.resolved", "order", order.order_no,
                 "paid_after_cancel", "refunded", {"note": note[:200]})
    return OrderStatus(order.status)


def _retry_confirmations(s: Any, actor: Actor, order: Order, note: str) -> OrderStatus:
    """The order's refused shipment confirmations sent again at the engine's next pass, and
    its open `shipment_refused` exception resolved; its status stays."""
    from app.store.models import ShipmentConfirmation

    now = datetime.now(UTC)
    open_ids = _open_notices(s, order, "shipment_refused", "refused shipment confirmation")
    retried = s.execute(update(ShipmentConfirmation).where(
        ShipmentConfirmation.order_id == order.id, ShipmentConfirmation.status == "refused")
        .values(status="pending", next_at=now)).rowcount
    s.execute(update(OrderException).where(OrderException.id.in_(open_ids)).values(
        resolved_at=now, resolved_by=actor.user_id,
        resolution=(f"retry_confirmation: {note}" if note else "retry_confirmation")[:200]))
    audit.record(s, actor, "shipment.retried", "order", order.order_no, "refused", "pending",
                 {"confirmations": retried, "note": note[:200]})
    return OrderStatus(order.status)


def _retry_waybills(s: Any, actor: Actor, order: Order, note: str) -> OrderStatus:
    """The boxes whose waybill the platform refused asked for again at the engine's next
    pass (their waits removed, an ask recorded for each), and the order's open
    `waybill_refused` exception resolved; its status stays."""
    now = datetime.now(UTC)
    open_ids = list(s.scalars(select(OrderException.id).where(
        OrderException.order_id == order.id, OrderException.category == "waybill_refused",
        OrderException.resolved_at.is_(None))))
    if not open_ids:
        raise Conflict(f"order {order.order_no} has no refused waybill",
                       code="exceptions.not_queued", order_no=order.order_no,
                       status=order.status)
    boxes = sorted(set(s.scalars(select(WaybillWait.box_no).where(
        WaybillWait.order_id == order.id, WaybillWait.refused)))) or [1]
    s.execute(delete(WaybillWait).where(WaybillWait.order_id == order.id,
                                        WaybillWait.box_no.in_(boxes)))
    table = StationWaybillRequest.__table__
    ins = (postgresql.insert(table) if s.get_bind().dialect.name == "postgresql"
           else sqlite.insert(table))
    for box in boxes:
        s.execute(ins.values(order_id=order.id, box_no=box, requested_at=now,
                             station=(actor.station or "")[:32], requested_by=actor.user_id)
                  .on_conflict_do_nothing(index_elements=["order_id", "box_no"]))
    s.execute(update(OrderException).where(OrderException.id.in_(open_ids)).values(
        resolved_at=now, resolved_by=actor.user_id,
        resolution=(f"retry_waybill: {note}" if note else "retry_waybill")[:200]))
    audit.record(s, actor, "waybill.retried", "order", order.order_no, "refused", "requested",
                 {"boxes": boxes, "note": note[:200]})
    return OrderStatus(order.status)


@guarded(Permission.RESOLVE_EXCEPTIONS)
def escalate(db: Database, actor: Actor, now: datetime | None = None) -> dict[int, int]:
    """Raise the level of open exceptions that aged past a threshold; returns level → count
    of exceptions that reached it now (each one audited).

    A `supplier_delay` exception is not aged: its level is its delivery's slip (how much
    later the goods come than confirmed), kept by `supply.raise_slips`, which alone flags
    buyers for compensation — a slip of 48 h waits, however long it stays open."""
    now = now or datetime.now(UTC)
    reached: dict[int, int] = {}
    with db.unit_of_work() as s:
        changes.note(s, Change.EXCEPTIONS)
        open_items = list(s.execute(
            select(OrderException.id, OrderException.raised_at, OrderException.level,
                   Order.order_no, OrderException.category, Order.id.label("order_id"))
            .join(Order, Order.id == OrderException.order_id)
            .where(OrderException.resolved_at.is_(None),
                   OrderException.category.not_in(SLIP_LEVELLED))))
        due = escalation.escalations_due(
            (((row.id, row.order_no), row.raised_at, row.level) for row in open_items), now)
        for (exception_id, order_no), level in due:
            s.execute(update(OrderException).where(OrderException.id == exception_id)
                      .values(level=level, escalated_at=now))
            audit.record(s, actor, "exception.escalated", "order", order_no, None,
                         str(level), {"action": escalation.ESCALATION_ACTIONS[level]})
            reached[level] = reached.get(level, 0) + 1
    return reached
