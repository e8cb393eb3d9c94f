"""Handover at the dock (出库交接): the parcels of one carrier are scanned onto the carrier's
truck; the dock sees how many are scanned and which packed parcels are still missing; closing
the handover marks the orders shipped and gives the manifest to print.

A parcel goes into one handover once (its row is locked and its handover set in the same
transaction); an order intercepted after packing is refused at the dock and raises
`intercepted_after_pack`, so it does not leave the building — at its scan, or, intercepted
after it was scanned, at the close (which is refused until it is off the truck).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.china_time import china_day
from app.domain.notes import Note
from app.domain.roles import Permission
from app.domain.status import OrderStatus
from app.services import audit, balance_due, changes, numbers, shipments, work
from app.services.access import guarded
from app.services.changes import Change
from app.services.context import Actor
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.orders import set_status
from app.store.db import Database
from app.store.models import Carrier, Handover, Order, Package, User, Warehouse


@dataclass(frozen=True, slots=True)
class HandoverView:
    handover_no: str
    carrier: str
    warehouse: str
    status: str
    scanned: int
    expected: int  # packed parcels of this carrier in the warehouse, scanned or not
    missing: tuple[str, ...]  # tracking numbers packed but not scanned yet
    # (tracking number, order number) of those, for the dock to name them
    waiting: tuple[tuple[str, str], ...] = ()


def _waiting_where() -> tuple[Any, ...]:
    """Parcels packed and not yet on a truck, of orders free to leave (a pre-packed presale
    parcel whose balance is not paid is not: it waits on the staging shelf)."""
    return (Package.status == "packed", Package.handover_id.is_(None),
            Order.status == OrderStatus.PACKED.value, Order.intercept.is_(None),
            ~balance_due.balance_unpaid(Order.__table__.c))


def _waiting(s: Any, warehouse_id: int, carrier_id: int) -> list[tuple[str, str]]:
    return [(tn, no) for tn, no in s.execute(
        select(Package.tracking_no, Order.order_no).join(Order, Order.id == Package.order_id)
        .where(Package.carrier_id == carrier_id, Order.warehouse_id == warehouse_id,
               *_waiting_where())
        .order_by(Package.tracking_no).limit(500))]


def _view(s: Any, ho: Handover) -> HandoverView:
    carrier = s.scalar(select(Carrier.code).where(Carrier.id == ho.carrier_id)) or ""
    warehouse = s.scalar(select(Warehouse.code).where(Warehouse.id == ho.warehouse_id)) or ""
    scanned = s.scalar(select(func.count()).select_from(Package)
                       .where(Package.handover_id == ho.id)) or 0
    waiting = _waiting(s, ho.warehouse_id, ho.carrier_id)
    return HandoverView(ho.handover_no, carrier, warehouse, ho.status, scanned,
                        scanned + len(waiting), tuple(tn for tn, _no in waiting if tn),
                        tuple((tn, no) for tn, no in waiting if tn))


@guarded(Permission.VIEW_ORDERS)
def waiting_by_carrier(db: Database, actor: Actor) -> list[tuple[str, str, int]]:
    """(warehouse, carrier, parcels) with parcels packed and waiting for their truck, most
    waiting first: where the dock starts."""
    with db.reader() as s:
        count = func.count(Package.id)
        return [(wh, ca, n) for wh, ca, n in s.execute(
            select(Warehouse.code, Carrier.code, count)
            .join(Order, Order.id == Package.order_id)
            .join(Warehouse, Warehouse.id == Order.warehouse_id)
            .join(Carrier, Carrier.id == Package.carrier_id)
            .where(*_waiting_where())
            .group_by(Warehouse.code, Carrier.code)
            .order_by(count.desc(), Warehouse.code, Carrier.code))]


@guarded(Permission.VIEW_ORDERS)
def waiting_parcels(db: Database, actor: Actor, warehouse: str, carrier: str
                    ) -> tuple[tuple[str, str], ...]:
    """(tracking number, order number) of one carrier's parcels packed and waiting at one
    warehouse, before any handover is opened for them."""
    with db.reader() as s:
        wh = s.scalar(select(Warehouse.id).where(Warehouse.code == warehouse.upper()))
        ca = s.scalar(select(Carrier.id).where(Carrier.code == carrier.upper()))
        if wh is None or ca is None:
            raise NotFound(f"no warehouse {warehouse} or carrier {carrier}",
                           code="handover.unknown_place", warehouse=warehouse,
                           carrier=carrier)
        return tuple((tn, no) for tn, no in _waiting(s, wh, ca) if tn)


@guarded(Permission.HANDOVER)
def open_handover(db: Database, actor: Actor, warehouse: str, carrier: str) -> HandoverView:
    """The carrier's open handover at this warehouse, or a new one."""
    now = datetime.now(UTC)
    with db.unit_of_work() as s:
        changes.note(s, Change.HANDOVER)
        wh = s.scalars(select(Warehouse).where(Warehouse.code == warehouse.upper())).first()
        ca = s.scalars(select(Carrier).where(Carrier.code == carrier.upper())).first()
        if wh is None or ca is None:
            raise NotFound(f"no warehouse {warehouse} or carrier {carrier}",
                           code="handover.no_warehouse_or_carrier", warehouse=warehouse,
                           carrier=carrier)
        ho = s.scalars(select(Handover).where(Handover.warehouse_id == wh.id,
                                              Handover.carrier_id == ca.id,
                                              Handover.status == "open")).first()
        if ho is None:
            day = china_day(now)
            (n,) = numbers.allocate(s, f"handover_no:{day}", 1)
            ho = Handover(handover_no=f"HO-{day}{n:04d}", warehouse_id=wh.id,
                          carrier_id=ca.id, status="open", created_by=actor.user_id,
                          created_at=now)
            s.add(ho)
            s.flush()
            audit.record(s, actor, "handover.opened", "handover", ho.handover_no)
            changes.note(s, Change.HANDOVER)
        return _view(s, ho)


def _handover(s: Session, handover_no: str, lock: bool = False) -> Handover:
    query = select(Handover).where(Handover.handover_no == handover_no.strip().upper())
    ho = s.scalars(query.with_for_update() if lock else query).first()
    if ho is None:
        raise NotFound(f"no handover {handover_no}", code="handover.not_found",
                       handover_no=handover_no)
    return ho


class InterceptedAtDock(Conflict):
    """The parcel's order was intercepted after packing: it stays in the warehouse."""


class BalanceUnpaid(Conflict):
    """A pre-packed presale parcel whose balance is not paid: it may not leave."""


@guarded(Permission.HANDOVER)
def scan_parcel(db: Database, actor: Actor, handover_no: str, tracking_no: str
                ) -> HandoverView:
    """One parcel onto the truck. Refused (nothing changes) when it is not this carrier's, not
    packed, already handed over, or its order was intercepted after packing."""
    with db.unit_of_work() as s:
        changes.note(s, Change.HANDOVER, Change.ORDERS)
        ho = _handover(s, handover_no, lock=True)
        if ho.status != "open":
            raise Conflict(f"{ho.handover_no} is closed", code="handover.closed",
                           handover_no=ho.handover_no)
        package = s.scalars(select(Package).where(Package.tracking_no == tracking_no.strip())
                            .with_for_update()).first()
        if package is None:
            raise NotFound(f"no parcel {tracking_no}", code="handover.no_parcel",
                           tracking_no=tracking_no)
        order = s.get(Order, package.order_id, with_for_update=True)
        assert order is not None
        if package.handover_id is not None:
            raise Conflict(f"{tracking_no} is in a handover already",
                           code="handover.parcel_taken", tracking_no=tracking_no)
        if package.carrier_id != ho.carrier_id:
            raise InvalidInput(f"{tracking_no} goes with another carrier",
                               code="handover.other_carrier", tracking_no=tracking_no)
        if order.intercept:
            # Stopped at the dock: the order goes to the exception queue (committed with
            # this unit of work), and the scan is refused below.
            if order.status == OrderStatus.PACKED.value:
                text = f"intercepted after packing ({order.intercept}): stopped at the dock"
                set_status(s, actor, order, OrderStatus.EXCEPTION, text,
                           category="intercepted_after_pack",
                           note=Note("handover.stopped_at_dock", text,
                                     {"intercept": order.intercept}))
                changes.note(s, Change.ORDERS, Change.EXCEPTIONS)
            stopped = {"order_no": order.order_no, "intercept": order.intercept}
        else:
            if order.status != OrderStatus.PACKED.value or package.status != "packed":
                raise InvalidInput(f"{tracking_no} is not packed ({order.status})",
                                   code="handover.not_packed", tracking_no=tracking_no,
                                   status=order.status)
            unpaid = balance_due.hand_over_refused(s, order)
            if unpaid is not None:  # nothing ships unpaid: refused, nothing changes
                raise BalanceUnpaid(
                    f"{order.order_no} ({unpaid}): its balance is not paid; keep the parcel "
                    "on the staging shelf", code="handover.balance_unpaid",
                    order_no=order.order_no, campaign=unpaid, tracking_no=tracking_no)
            package.handover_id = ho.id
            ho.parcel_count += 1
            audit.record(s, actor, "handover.parcel", "handover", ho.handover_no, None,
                         tracking_no)
            changes.note(s, Change.HANDOVER)
            return _view(s, ho)
    raise InterceptedAtDock(f"{stopped['order_no']} is intercepted ({stopped['intercept']}): "
                            "keep it out of the truck", code="handover.intercepted", **stopped)


@guarded(Permission.HANDOVER)
def close(db: Database, actor: Actor, handover_no: str) -> Any:
    """Close the handover: its orders are shipped, its parcels handed over; returns the
    manifest document to print. A parcel whose order was intercepted after it was scanned
    never ships: it is taken off the handover, its order goes to the exception queue, and
    the close is refused naming it (`handover.intercepted_at_close`) — the dock takes it off
    the truck and closes again. A parcel whose balance is not paid (checked for all the
    handover's orders in one query) is taken off too and named (`handover.balance_unpaid`);
    both at once are named together (`handover.refused_at_close`)."""
    now = datetime.now(UTC)
    with db.unit_of_work() as s:
        changes.note(s, Change.HANDOVER, Change.ORDERS)
        ho = _handover(s, handover_no, lock=True)
        if ho.status != "open":
            raise Conflict(f"{ho.handover_no} is closed already", code="handover.closed",
                           handover_no=ho.handover_no)
        parcels = list(s.execute(select(Package, Order).join(Order, Order.id == Package.order_id)
                                 .where(Package.handover_id == ho.id)
                                 .order_by(Package.tracking_no).with_for_update()))
        if not parcels:
            raise InvalidInput("no parcel was scanned: nothing to hand over",
                               code="handover.empty")
        stopped = [(p, o) for p, o in parcels if o.intercept]
        # Nothing ships unpaid: one query over the handover's orders, however many parcels.
        unpaid = balance_due.unpaid_campaigns(s, {o.id for _p, o in parcels if not o.intercept})
        if not stopped and not unpaid:
            return _ship(s, actor, ho, parcels, now)
        # Checked again at the close (nothing ships unpaid, whatever was scanned): a parcel
        # whose balance is not paid is taken off the handover, committed, and the close is
        # refused naming it.
        off = [(p, o) for p, o in parcels if o.id in unpaid]
        for package, order in off:
            package.handover_id = None
            ho.parcel_count = max(0, (ho.parcel_count or 0) - 1)
            audit.record(s, actor, "handover.parcel_removed", "handover", ho.handover_no,
                         package.tracking_no, None,
                         {"order_no": order.order_no, "balance": "unpaid"})
        refused = {"order_no": ", ".join(sorted({o.order_no for _p, o in off})),
                   "campaign": ", ".join(sorted(set(unpaid.values())))}
        # Intercepted since they were scanned: taken off the handover (and their orders to
        # the exception queue, their platform waybills given back as at any intercept),
        # committed; the close is refused, naming them, so the dock takes them off the
        # truck and closes again.
        from app.services.waybill_issue import give_back

        for package, order in stopped:
            package.handover_id = None
            ho.parcel_count = max(0, (ho.parcel_count or 0) - 1)
            audit.record(s, actor, "handover.parcel_removed", "handover", ho.handover_no,
                         package.tracking_no, None,
                         {"order_no": order.order_no, "intercept": order.intercept})
        s.flush()
        for order in {o.id: o for _p, o in stopped}.values():
            if order.status == OrderStatus.PACKED.value:
                text = f"intercepted after packing ({order.intercept}): stopped at the dock"
                set_status(s, actor, order, OrderStatus.EXCEPTION, text,
                           category="intercepted_after_pack",
                           note=Note("handover.stopped_at_dock", text,
                                     {"intercept": order.intercept}))
            give_back(s, actor, order, order.intercept or "intercepted", packages=[
                p for p, o in stopped if o.id == order.id])
        changes.note(s, Change.HANDOVER, Change.ORDERS, Change.EXCEPTIONS)
        named = {"handover_no": ho.handover_no,
                 "parcels": ", ".join(sorted(p.tracking_no or "" for p, _o in stopped)),
                 "orders": ", ".join(sorted({o.order_no for _p, o in stopped}))}
    if not stopped:
        raise BalanceUnpaid(f"{refused['order_no']} ({refused['campaign']}): balance not paid; "
                            "take the parcels off the truck and close again",
                            code="handover.balance_unpaid", **refused)
    if not unpaid:
        raise InterceptedAtDock(
            f"{named['handover_no']} not closed: {named['parcels']} (orders {named['orders']}) "
            "were intercepted after they were scanned; take them off the truck and close again",
            code="handover.intercepted_at_close", **named)
    # Both at once: the refusal names both, so the dock takes every one of them off.
    raise InterceptedAtDock(
        f"{named['handover_no']} not closed: {named['parcels']} (orders {named['orders']}) "
        f"were intercepted after they were scanned, and {refused['order_no']} "
        f"({refused['campaign']}) have their balance not paid; take them off the truck and "
        "close again", code="handover.refused_at_close", **named,
        unpaid_orders=refused["order_no"], campaign=refused["campaign"])


def _ship(s: Session, actor: Actor, ho: Handover, parcels: list[Any], now: datetime) -> Any:
    """The close itself: orders shipped, parcels handed over, the platforms told (queued),
    the manifest."""
    from app.printing.documents import Manifest, ManifestParcel

    shipped = set()
    for package, order in parcels:
        package.status = "handed_over"
        if order.id not in shipped and order.status == OrderStatus.PACKED.value:
            set_status(s, actor, order, OrderStatus.SHIPPED,
                       detail={"handover": ho.handover_no})
            shipped.add(order.id)
    ho.status, ho.closed_at = "closed", now
    orders_of = {o.id: o for _p, o in parcels}
    # The platforms are told these parcels shipped: queued with the close, sent by the
    # engine (app.services.shipments).
    shipments.queue(s, orders_of, "handover", now)
    work.count(s, [work.Done("ship", actor.user_id, now, orders=len(shipped),
                             units=sum(orders_of[i].unit_count for i in shipped))])
    audit.record(s, actor, "handover.closed", "handover", ho.handover_no, "open", "closed",
                 {"parcels": len(parcels), "orders": len(shipped)})
    changes.note(s, Change.HANDOVER, Change.ORDERS)
    carrier = s.scalar(select(Carrier.name).where(Carrier.id == ho.carrier_id)) or ""
    warehouse = s.scalar(select(Warehouse.name).where(Warehouse.id == ho.warehouse_id))
    by = s.scalar(select(User.name).where(User.id == actor.user_id)) or actor.name
    return Manifest(carrier=carrier, batch_no=ho.handover_no, warehouse=warehouse or "",
                    parcels=tuple(ManifestParcel(p.tracking_no or "", o.order_no,
                                                 p.weight_g) for p, o in parcels),
                    handed_over_by=by, printed_at=now)


@guarded(Permission.VIEW_ORDERS)
def view(db: Database, actor: Actor, handover_no: str) -> HandoverView:
    with db.reader() as s:
        return _view(s, _handover(s, handover_no))
