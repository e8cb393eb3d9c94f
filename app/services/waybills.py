"""The waybill of one box of an order: who sends, who receives, the carrier and the box's tracking
number. A box gets its tracking number once, from the carrier's pool, and keeps it: asking again
(a reprint, a second render) gives the same number, and a number is never given to two boxes.

A box that has its tracking number has had its label: rendering it again is a reprint, which
needs a reason and the right to reprint and is audited (`label.reprinted`), like a reprint
from the print queue. Only the order's own boxes get a label: box 1 of an order not packed
yet, or a box the packer opened; asking for box 99 creates nothing and uses no number.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.roles import Permission
from app.domain.waybills import promised_text, route_code
from app.services import audit
from app.services.access import guarded
from app.services.context import Actor
from app.services.errors import Conflict, InvalidInput
from app.services.order_lookup import find_order
from app.store.db import Database
from app.store.models import (
    Carrier,
    OrderLine,
    Package,
    Shop,
    Sku,
    Warehouse,
)

MIN_REASON = 2
SHIPPABLE = ("routed", "in_wave", "picking", "picked", "packing", "packed", "shipped")


def _reprint(s: Session, actor: Actor, order_no: str, box: int,
             tracking_no: str, reason: str) -> None:
    """The label of a box printed before, asked for again: a reprint, with who and why."""
    reason = reason.strip()
    if len(reason) < MIN_REASON:
        raise InvalidInput(
            f"box {box} of {order_no} has its label ({tracking_no}): printing it again is a "
            "reprint and needs a reason (e.g. label torn)", code="waybill.reprint_reason",
            order_no=order_no, box=box)
    actor.require(Permission.REPRINT)
    audit.record(s, actor, "label.reprinted", "order", order_no, None, tracking_no,
                 {"box": box, "reason": reason[:200]})


@guarded(Permission.PACK)
def waybill_for(db: Database, actor: Actor, order_ref: str, *, box: int = 1,
                boxes: int | None = None, weight_g: int | None = None,
                now: datetime | None = None, reason: str = "") -> Any:
    """The `Waybill` document for box `box` of `boxes` of an order, assigning the box its
    tracking number the first time; a box labelled before is a reprint (`reason` needed)."""
    from app.printing.documents import Party, Waybill

    if box < 1 or (boxes is not None and box > boxes):
        raise InvalidInput(f"box {box} of {boxes}: boxes count from 1", code="waybill.bad_box",
                           box=box, boxes=boxes)
    now = now or datetime.now(UTC)
    with db.unit_of_work() as s:
        order = find_order(s, order_ref, for_update=True)
        if order.status not in SHIPPABLE or order.carrier_id is None or \
                order.warehouse_id is None:
            raise InvalidInput(f"{order.order_no} is {order.status}: it has no carrier and "
                               "warehouse yet, so no waybill", code="waybill.not_routed",
                               order_no=order.order_no, status=order.status)
        if order.intercept:
            raise Conflict(f"{order.order_no} is intercepted ({order.intercept}): no label",
                           code="waybill.intercepted", order_no=order.order_no,
                           intercept=order.intercept)
        carrier = s.get(Carrier, order.carrier_id)
        warehouse = s.get(Warehouse, order.warehouse_id)
        shop = s.get(Shop, order.shop_id)
        assert carrier is not None and warehouse is not None
        from app.services.waybill_issue import order_provider, pool_number

        provider = order_provider(s, order)
        if provider != "pool":
            # Its number and print data come from the platform, and only the platform's
            # print component prints them: never a pool number drawn here.
            raise Conflict(f"{order.order_no} gets its waybill from {provider}: print it at a "
                           "packing station with that platform's print component",
                           code="waybill.platform_order", order_no=order.order_no,
                           provider=provider)
        package = s.scalars(select(Package).where(Package.order_id == order.id,
                                                  Package.box_no == box)).first()
        if package is None:
            opened = s.scalar(select(func.count()).select_from(Package)
                              .where(Package.order_id == order.id)) or 0
            if box > max(opened, 1):
                raise InvalidInput(
                    f"{order.order_no} has {max(opened, 1)} box(es), not box {box}",
                    code="waybill.no_such_box", order_no=order.order_no, box=box,
                    boxes=max(opened, 1))
            package = Package(order_id=order.id, box_no=box, carrier_id=carrier.id,
                              status="open")
            s.add(package)
        if package.tracking_no is not None and (package.waybill_provider or "pool") != "pool":
            # A platform's number (issued before the order was routed to a carrier of the
            # pool): the platform's, printed only by its component, and no longer this
            # box's — the engine gives it back. Never reprinted on a label drawn here.
            raise Conflict(f"box {box} of {order.order_no} holds the {package.waybill_provider} "
                           f"waybill {package.tracking_no} issued before the order was routed "
                           "again: it is given back, and the box gets its new waybill at a "
                           "packing station", code="waybill.stale_platform_waybill",
                           order_no=order.order_no, box=box,
                           provider=package.waybill_provider, tracking_no=package.tracking_no)
        if package.tracking_no is not None:
            _reprint(s, actor, order.order_no, box, package.tracking_no, reason)
        else:
            package.tracking_no = pool_number(s, carrier.id, now)
            package.carrier_id = carrier.id
            if package.status == "open":
                package.status = "labelled"
            audit.record(s, actor, "package.tracking", "order", order.order_no, None,
                         package.tracking_no, {"box": box, "carrier": carrier.code})
        if weight_g is None:
            weight_g = package.weight_g or package.expected_weight_g or s.scalar(
                select(func.sum(OrderLine.qty * Sku.weight_g))
                .join(Sku, Sku.id == OrderLine.sku_id).where(OrderLine.order_id == order.id))
        count = boxes or max(box, s.scalar(select(func.count()).select_from(Package)
                                           .where(Package.order_id == order.id)) or 1)
        return Waybill(
            carrier_code=carrier.code, carrier_name=carrier.name,
            tracking_no=package.tracking_no,
            sender=Party(name=shop.name if shop else warehouse.name, phone=warehouse.phone,
                         province=warehouse.province, city=warehouse.city,
                         district=warehouse.district, address=warehouse.address),
            receiver=Party(name=order.receiver_name, phone=order.receiver_phone,
                           province=order.province, city=order.city, district=order.district,
                           address=order.address),
            order_nos=(order.order_no,), package_no=box, package_count=count,
            weight_g=int(weight_g) if weight_g is not None else None,
            presale=bool(order.is_presale),
            # China time, as the floor and the carrier read it.
            promised_ship_by=promised_text(order.promised_ship_by),
            route_code=route_code(order.province, order.city, order.district), remark="",
            printed_at=now)
