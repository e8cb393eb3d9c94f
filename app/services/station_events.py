"""The central side of the outbox: station events applied exactly once, each in a savepoint of
one transaction per batch, so one refused event does not refuse its neighbours. The event id is
the key of `applied_events`; an event seen before returns its first outcome and changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.domain.roles import parse_role
from app.services import audit
from app.services.context import Actor
from app.services.errors import ServiceError
from app.store.db import Database
from app.store.models import AppliedEvent, User

log = logging.getLogger("packline.station_events")


class Refused(Exception):
    """The central state says no; the message is what the station's people will read."""


def _actor(s: Session, station: str, payload: dict[str, Any]) -> Actor:
    code = str(payload.get("user") or "")
    user = s.scalars(select(User).where(User.code == code)).first() if code else None
    if user is None:
        return Actor(user_id=None, code=code or "station", name=code or station,
                     role=parse_role("packer"), station=station)
    return Actor(user_id=user.id, code=user.code, name=user.name, role=parse_role(user.role),
                 station=station)


def _audit(s: Session, station: str, payload: dict[str, Any]) -> str:
    for key in ("action", "entity", "entity_id"):
        if not payload.get(key):
            raise Refused(f"audit event without {key}")
    audit.record(s, _actor(s, station, payload), str(payload["action"]),
                 str(payload["entity"]), str(payload["entity_id"]), payload.get("before"),
                 payload.get("after"), payload.get("detail"))
    return ""


class Conflicted(Exception):
    """The station did something the central state had overtaken (an order intercepted or
    packed elsewhere meanwhile): nothing of it is applied; it becomes an exception a shift
    lead resolves, and the station is told."""

    def __init__(self, category: str, detail: str) -> None:
        super().__init__(detail)
        self.category = category


def _pack_confirmed(s: Session, station: str, payload: dict[str, Any]) -> str:
    """A packer's confirmed order: its boxes become packages with their tracking numbers, the
    order becomes packed. Refused as a conflict when the order was intercepted meanwhile or is
    packed already (another station), or a tracking number is someone else's."""
    from sqlalchemy import func as sa_func

    from app.domain.status import OrderStatus
    from app.services.orders import find_order, set_status
    from app.store.models import (
        OrderLine,
        Package,
        PackageItem,
        Station,
        TrackingNumber,
    )

    actor = _actor(s, station, payload)
    order = find_order(s, str(payload.get("order_no") or ""), for_update=True)
    boxes = list(payload.get("boxes") or [])
    if not boxes:
        raise Refused("a packed order needs at least one box")
    status = OrderStatus(order.status)

    def conflict(category: str, detail: str) -> None:
        raise Conflicted(category, detail)

    if status in (OrderStatus.PACKED, OrderStatus.SHIPPED):
        conflict("sync_conflict", f"{order.order_no} was packed already ({status.value}); "
                                  f"{station} packed it again")
    if order.intercept:
        conflict("intercepted_after_pack",
                 f"{order.order_no} was intercepted ({order.intercept}) before {station}'s "
                 "packing reached the central database")
    numbers = [str(b.get("tracking_no") or "") for b in boxes]
    if any(not n for n in numbers) or len(set(numbers)) != len(numbers):
        raise Refused("every box needs its own tracking number")
    taken = s.scalar(select(sa_func.count()).select_from(Package).where(
        Package.tracking_no.in_(numbers), Package.order_id != order.id)) or 0
    if taken:
        conflict("sync_conflict", f"tracking number of {order.order_no} is used by another "
                                  "parcel")
    station_id = s.scalar(select(Station.id).where(Station.code == station))
    lines = {ln.line_no: ln for ln in s.scalars(select(OrderLine).where(
        OrderLine.order_id == order.id))}
    for box in boxes:
        package = s.scalars(select(Package).where(Package.order_id == order.id,
                                                  Package.box_no == int(box["box_no"]))).first()
        if package is None:
            package = Package(order_id=order.id, box_no=int(box["box_no"]))
            s.add(package)
        package.tracking_no = str(box["tracking_no"])
        package.carrier_id = order.carrier_id
        package.status = "packed"
        package.weight_g = box.get("weight_g")
        package.expected_weight_g = box.get("expected_g")
        package.packed_by = actor.user_id
        package.station_id = station_id
        package.packed_at = datetime.fromisoformat(payload["packed_at"]) \
            if payload.get("packed_at") else datetime.now(UTC)
        s.flush()
        for line_no, qty in (box.get("items") or {}).items():
            line = lines.get(int(line_no))
            if line is None or int(qty) <= 0:
                raise Refused(f"box {box['box_no']}: no line {line_no} in {order.order_no}")
            s.add(PackageItem(package_id=package.id, order_line_id=line.id, qty=int(qty)))
            line.packed_qty = min(line.qty, line.packed_qty + int(qty))
        s.execute(update(TrackingNumber).where(TrackingNumber.number == package.tracking_no)
                  .values(status="used", used_at=datetime.now(UTC)))
    if status is OrderStatus.PICKED:
        set_status(s, actor, order, OrderStatus.PACKING, detail={"station": station})
    set_status(s, actor, order, OrderStatus.PACKED,
               detail={"station": station, "boxes": len(boxes),
                       # The packer's figures: units, seconds, refused scans by reason.
                       "units": payload.get("units"), "seconds": payload.get("seconds"),
                       "refused": payload.get("refused") or {}})
    return ""


HANDLERS: dict[str, Callable[[Session, str, dict[str, Any]], str]] = {
    "audit": _audit, "pack.confirmed": _pack_confirmed}


def _record_conflict(s: Session, event: dict[str, Any], station: str, category: str,
                     detail: str) -> None:
    """The conflict as an exception on the order (outside the undone savepoint)."""
    from app.services.orders import find_order
    from app.store.models import OrderException

    payload = dict(event.get("payload") or {})
    try:
        order = find_order(s, str(payload.get("order_no") or ""))
    except ServiceError:
        return
    actor = _actor(s, station, payload)
    s.add(OrderException(order_id=order.id, category=category, detail=detail[:500],
                         raised_by=actor.user_id, level=0, resolution=""))
    audit.record(s, actor, "pack.conflict", "order", order.order_no, order.status, None,
                 {"category": category, "detail": detail, "event": event["id"]})


def apply(db: Database, station: str,
          events: Sequence[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    """Apply `events` (dicts with id, kind, payload) in order; returns id → (outcome, detail),
    outcome `applied`, `conflict` or `refused`."""
    results: dict[str, tuple[str, str]] = {}
    with db.unit_of_work() as s:
        seen = dict(s.execute(select(AppliedEvent.event_id, AppliedEvent.outcome).where(
            AppliedEvent.event_id.in_([e["id"] for e in events]))).all())
        for event in events:
            event_id = event["id"]
            if event_id in seen:
                results[event_id] = (seen[event_id], "already applied")
                continue
            handler = HANDLERS.get(event["kind"])
            outcome, detail = "applied", ""
            try:
                with s.begin_nested():
                    if handler is None:
                        raise Refused(f"unknown event kind {event['kind']!r}")
                    detail = handler(s, station, dict(event["payload"] or {}))
            except Refused as exc:
                outcome, detail = "refused", str(exc)
            except Conflicted as exc:
                # The conflict's own records (exception, audit) stay; the rest was undone.
                outcome, detail = "conflict", str(exc)
                _record_conflict(s, event, station, exc.category, detail)
            except (ServiceError, ValueError) as exc:
                outcome, detail = "refused", str(exc)
            s.add(AppliedEvent(event_id=event_id, station=station, kind=event["kind"][:64],
                               outcome=outcome, detail=detail[:500]))
            s.flush()
            seen[event_id] = outcome
            results[event_id] = (outcome, detail)
    return results
