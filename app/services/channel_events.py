"""Status events from the channels — deposit paid, balance paid (尾款), refund requested,
cancelled, address changed — through one door, each applied exactly once.

The key (channel, channel order number, event type, event key) is unique in
`channel_events`: a redelivered event finds its row and changes nothing. The event's effect
and its record commit together. Effects by how far the order has got:
- before a wave (nothing physical has happened): a cancellation cancels the order and gives
  back its reserved stock and presale pool units; an address change rewrites the address and
  sends a routed order back to be routed again. The new receiver may be encrypted, as in an
  order file (`oaid`, `cipher` {name, phone, address} with masked name, phone and address):
  it replaces the order's receiver whole, OAID and ciphertexts included (a plaintext one
  clears them);
- in a wave or later: the order is intercepted (拦截) — it cannot move forward until a person
  resolves it, the packing station stops it before a label prints, and the dock keeps it off
  the truck;
- shipped (or cancelled): nothing changes but the event's record and its audit — the parcels
  left, a refund or cancellation is the platform's to settle; a payment on a cancelled order
  is recorded and raised as a `paid_after_cancel` notice, so the buyer is refunded.
Platform waybills issued for the order and not handed over are given back whenever it is
cancelled or intercepted, and those of boxes not packed yet when its receiver changes
(`waybill_issue.give_back`): a fresh one is issued for the new receiver.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.domain.intake import (
    CIPHER_LIMIT,
    OAID_LIMIT,
    RECEIVER_FIELDS,
    RECEIVER_LIMITS,
    RowInvalid,
    opaque,
    parse_time,
)
from app.domain.roles import Permission
from app.domain.status import PRE_WAVE, TERMINAL, OrderStatus
from app.services import audit, changes
from app.services.access import guarded
from app.services.changes import Change
from app.services.context import Actor
from app.services.errors import InvalidInput, NotFound
from app.services.orders import set_status
from app.store.db import Database
from app.store.models import ChannelEvent, Order, OrderPayment


class EventType(StrEnum):
    DEPOSIT_PAID = "deposit_paid"
    BALANCE_PAID = "balance_paid"
    REFUND_REQUESTED = "refund_requested"
    CANCELLED = "cancelled"
    ADDRESS_CHANGED = "address_changed"


@dataclass(frozen=True, slots=True)
class EventResult:
    applied: bool  # False: seen before, nothing changed
    effect: str  # what happened to the order, for the log and the CLI
    order_no: str

    def as_json(self) -> dict[str, object]:
        return {"applied": self.applied, "effect": self.effect, "order_no": self.order_no}


def _record(s: Session, channel: str, number: str, kind: EventType, key: str,
            payload: Mapping[str, Any]) -> bool:
    """Store the event; False when the same event was stored before."""
    table = ChannelEvent.__table__
    ins = (postgresql.insert(table) if s.get_bind().dialect.name == "postgresql"
           else sqlite.insert(table))
    stmt = ins.values(channel=channel, channel_order_no=number, event_type=kind.value,
                      event_key=key, payload=dict(payload), received_at=datetime.now(UTC),
                      processed_at=datetime.now(UTC)).on_conflict_do_nothing(
        index_elements=["channel", "channel_order_no", "event_type", "event_key"])
    return bool(s.execute(stmt.returning(table.c.id)).first())


# The money came in for an order that will never ship (cancelled): a notice for a person.
PAID_AFTER_CANCEL = "paid_after_cancel"


def _pay(s: Session, actor: Actor, order: Order, kind: str, at: datetime | None) -> str:
    """The payment recorded as paid. Paid on an order that is cancelled already (a deposit
    order settled at its campaign's end, say, whose balance the channel reports late), the
    buyer must get the money back: a `paid_after_cancel` notice in the exception queue, the
    order keeping its status."""
    payment = s.scalars(select(OrderPayment).where(OrderPayment.order_id == order.id,
                                                   OrderPayment.kind == kind)).first()
    if payment is None:
        raise InvalidInput(f"order {order.order_no} has no {kind} payment",
                           code="channel.no_payment", order_no=order.order_no, payment=kind)
    if payment.status == "paid":
        return f"{kind} already paid"
    payment.status, payment.paid_at = "paid", at or datetime.now(UTC)
    if order.status != OrderStatus.CANCELLED.value:
        return f"{kind} paid"
    from app.domain.notes import Note
    from app.domain.notes import encode as encode_notes
    from app.store.models import OrderException

    text = (f"{kind} of {order.order_no} paid after the order was cancelled "
            f"({payment.amount_fen} fen): refund the buyer")
    s.add(OrderException(order_id=order.id, category=PAID_AFTER_CANCEL,
                         detail=encode_notes([Note("channel.paid_after_cancel", text, {
                             "order_no": order.order_no, "payment": kind,
                             "amount": f"{payment.amount_fen / 100:.2f}"})]),
                         raised_at=datetime.now(UTC), raised_by=actor.user_id, level=0,
                         resolution=""))
    audit.record(s, actor, "order.paid_after_cancel", "order", order.order_no, None, kind,
                 {"amount_fen": payment.amount_fen})
    changes.note(s, Change.EXCEPTIONS)
    return f"{kind} paid after the order was cancelled: refund the buyer"


def _intercept(s: Session, actor: Actor, order: Order, reason: str) -> str:
    if order.intercept == reason:
        return f"already intercepted ({reason})"
    before = order.intercept
    order.intercept = reason
    order.version += 1
    order.updated_at = datetime.now(UTC)
    audit.record(s, actor, "order.intercepted", "order", order.order_no, before, reason)
    # Its platform waybills not handed over — fetched ahead, labelled or packed — are given
    # back by the engine (never a call from here), and confirmations not sent withdrawn.
    from app.services.waybill_issue import queue_cancellations

    if queue_cancellations(s, actor, order, reason):
        return f"intercepted ({reason}); waybill to cancel"
    return f"intercepted ({reason})"


# Picking has not finished: the order can still leave its wave (self-healing waves).
IN_PROGRESS = (OrderStatus.IN_WAVE, OrderStatus.PICKING)


def _left_wave(s: Session, actor: Actor, order: Order, reason: str) -> str:
    from app.services import put_back

    if OrderStatus(order.status) in IN_PROGRESS and put_back.leave_wave_on_intercept(
            s, actor, order, reason):
        return "left its wave; "
    return ""


def _cancel(s: Session, actor: Actor, order: Order) -> str:
    status = OrderStatus(order.status)
    if status in TERMINAL:
        return f"nothing to cancel ({status.value})"
    left = _left_wave(s, actor, order, "cancelled by the channel")
    if status in PRE_WAVE or left:
        set_status(s, actor, order, OrderStatus.CANCELLED, "cancelled by the channel")
        return left + "cancelled"
    # Picked, or being packed: the goods are in someone's hands; the station stops it.
    return _intercept(s, actor, order, "cancelled")


def _refund(s: Session, actor: Actor, order: Order) -> str:
    """A refund in progress stops the order; one still being picked leaves its wave and is
    held (its stock given back) until the refund is settled. A shipped (or cancelled) order
    is not stopped: its parcels left, and the refund is the platform's to settle — the event
    is recorded and audited, nothing else changes."""
    status = OrderStatus(order.status)
    if status in TERMINAL:
        return f"nothing to stop ({status.value})"
    left = _left_wave(s, actor, order, "refund requested")
    if left:
        set_status(s, actor, order, OrderStatus.ON_HOLD, "refund requested")
    return left + _intercept(s, actor, order, "refund_requested")


def _sealed(receiver: Mapping[str, Any]) -> tuple[str | None, dict[str, str] | None]:
    """The new receiver's OAID and ciphertexts (None, None for a plaintext receiver); a
    malformed one is refused by its field, never quoting it."""
    cipher = receiver.get("cipher")
    if cipher is None:
        cipher = {}
    try:
        if not isinstance(cipher, Mapping):
            raise RowInvalid("receiver.cipher must be an object", "intake.bad_cipher",
                             field="receiver.cipher")
        oaid = opaque(receiver.get("oaid"), "receiver.oaid", OAID_LIMIT)
        held = {name: opaque(cipher.get(name), f"receiver.cipher.{name}", CIPHER_LIMIT)
                for name in ("name", "phone", "address")}
    except RowInvalid as exc:
        raise InvalidInput(f"address_changed: {exc}", code=exc.code, **exc.params) from None
    return oaid or None, {k: v for k, v in held.items() if v} or None


def _change_address(s: Session, actor: Actor, order: Order,
                    payload: Mapping[str, Any]) -> str:
    receiver = payload.get("receiver")
    if not isinstance(receiver, Mapping):
        raise InvalidInput("address_changed needs a receiver object",
                           code="channel.no_receiver")
    values = {}
    for name in RECEIVER_FIELDS:
        value = receiver.get(name)
        if not isinstance(value, str) or not value.strip():
            raise InvalidInput(f"address_changed: receiver.{name} is missing",
                               code="channel.field_missing", field=name)
        if len(value.strip()) > RECEIVER_LIMITS[name]:
            raise InvalidInput(f"address_changed: receiver.{name} is too long",
                               code="channel.field_too_long", field=name,
                               limit=RECEIVER_LIMITS[name])
        values[name] = value.strip()
    oaid, cipher = _sealed(receiver)
    status = OrderStatus(order.status)
    if status in TERMINAL:
        return f"address not changed ({status.value})"
    left = ""
    if status not in PRE_WAVE:
        # Its wave still being picked: it leaves the wave (as a refund does: its picked units
        # to be put back, its reservation given back), so the wave can be picked to the end,
        # and is routed again for its new address; picked or packing: the station stops it.
        left = _left_wave(s, actor, order, "address changed")
        if not left:
            return _intercept(s, actor, order, "address_changed")
        set_status(s, actor, order, OrderStatus.ON_HOLD, "address changed")
        status = OrderStatus.ON_HOLD
    before = f"{order.province}{order.city}{order.district}{order.address}"
    order.receiver_name, order.receiver_phone = values["name"], values["phone"]
    order.province, order.city, order.district = (values["province"], values["city"],
                                                  values["district"])
    order.address, order.region_adcode = values["address"], None
    order.receiver_oaid, order.receiver_cipher = oaid, cipher
    # A waybill fetched ahead names the old receiver: given back, a fresh one issued later.
    from app.services.waybill_issue import receiver_changed

    receiver_changed(s, actor, order)
    audit.record(s, actor, "order.address_changed", "order", order.order_no, before[:200],
                 f"{order.province}{order.city}{order.district}{order.address}"[:200])
    if status is OrderStatus.ROUTED or left:  # the warehouse was chosen for the old address
        set_status(s, actor, order, OrderStatus.PENDING_REVIEW, "address changed")
        return left + "address changed; routing again"
    order.version += 1
    return "address changed"


@guarded(Permission.IMPORT_ORDERS)
def apply_event(db: Database, actor: Actor, channel: str, channel_order_no: str,
                event_type: str, event_key: str, payload: Mapping[str, Any] | None = None
                ) -> EventResult:
    """Apply one channel event exactly once; a repeat is reported and changes nothing."""
    try:
        kind = EventType(event_type.strip().lower())
    except ValueError:
        names = ", ".join(e.value for e in EventType)
        raise InvalidInput(f"unknown event type {event_type!r}; expected one of: {names}",
                           code="channel.unknown_event", event=event_type,
                           choices=names) from None
    key = event_key.strip()
    if not key:
        raise InvalidInput("an event needs its id or time as its key", code="channel.no_key")
    data = dict(payload or {})
    channel = channel.strip().lower()
    with db.unit_of_work() as s:
        changes.note(s, Change.ORDERS, Change.EXCEPTIONS, Change.STOCK, Change.CAMPAIGNS)
        order = s.scalars(select(Order).where(Order.channel == channel,
                                              Order.channel_order_no == channel_order_no)
                          .with_for_update()).first()
        if order is None:
            raise NotFound(f"no order {channel}:{channel_order_no}", code="order.not_found",
                           ref=f"{channel}:{channel_order_no}")
        if not _record(s, channel, channel_order_no, kind, key, data):
            return EventResult(False, "already applied", order.order_no)
        at = parse_time(data.get("at"), "at") if data.get("at") else None
        if kind is EventType.DEPOSIT_PAID:
            effect = _pay(s, actor, order, "deposit", at)
        elif kind is EventType.BALANCE_PAID:
            effect = _pay(s, actor, order, "balance", at)
        else:
            # A split order lives on in its parts: the channel's event is about them.
            targets = [order]
            if order.status == OrderStatus.SPLIT.value:
                targets = list(s.scalars(select(Order).where(Order.parent_id == order.id)
                                         .order_by(Order.id).with_for_update()))
            effects = []
            for target in targets:
                if kind is EventType.REFUND_REQUESTED:
                    done = _refund(s, actor, target)
                elif kind is EventType.CANCELLED:
                    done = _cancel(s, actor, target)
                else:
                    done = _change_address(s, actor, target, data)
                effects.append(done if target is order else f"{target.order_no}: {done}")
            effect = "; ".join(effects)
        audit.record(s, actor, f"channel.{kind.value}", "order", order.order_no, None, None,
                     {"key": key, "effect": effect})
        return EventResult(True, effect, order.order_no)
