"""The central side of the outbox: station events applied exactly once, in one transaction per
batch; one refused event does not refuse its neighbours (confirmed orders are checked one by
one and written together, other events each run in a savepoint). The event id is
the key of `applied_events`; an event seen before returns its first outcome and changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from itertools import groupby
from typing import Any, cast

from sqlalchemy import Table, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.notes import Note
from app.domain.notes import encode as encode_notes
from app.domain.roles import parse_role
from app.domain.status import OrderStatus, can_transition, check_transition
from app.services import audit, changes, work
from app.services.changes import Change
from app.services.context import Actor
from app.services.errors import ServiceError
from app.store import bulk
from app.store.db import Database
from app.store.models import AppliedEvent, User
from app.sync.contract import Envelope, Outcome

log = logging.getLogger("packline.station_events")


def _table(model: type[Any]) -> Table:
    return cast(Table, model.__table__)


class Refused(Exception):
    """The central state says no; the message is what the station's people will read."""


def _actors(s: Session, station: str, payloads: Sequence[dict[str, Any]]) -> dict[str, Actor]:
    """The people who wrote the events (one query for a batch), by the code in the payload;
    a code the central database does not know stands for itself, as a packer."""
    codes = sorted({str(p.get("user") or "") for p in payloads} - {""})
    found = {u.code: Actor(user_id=u.id, code=u.code, name=u.name, role=parse_role(u.role),
                           station=station)
             for u in s.scalars(select(User).where(User.code.in_(codes)))} if codes else {}
    return {code: found.get(code) or Actor(user_id=None, code=code or "station",
                                          name=code or station, role=parse_role("packer"),
                                          station=station)
            for code in [*codes, ""]}


def _actor(s: Session, station: str, payload: dict[str, Any]) -> Actor:
    return _actors(s, station, [payload])[str(payload.get("user") or "")]


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

    def __init__(self, category: str, detail: str, note: Note | None = None) -> None:
        super().__init__(detail)
        self.category = category
        self.note = note


def _moves(status: OrderStatus) -> list[OrderStatus]:
    """The status moves that take an order from `status` to packed (each one checked)."""
    path = [OrderStatus.PACKING, OrderStatus.PACKED] if status is OrderStatus.PICKED \
        else [OrderStatus.PACKED]
    current = status
    for target in path:
        check_transition(current, target)
        current = target
    return path


class _Overtaken(Exception):
    """A box row appeared between reading and writing (another push): apply one by one."""


def _pack_many(s: Session, station: str,
               events: Sequence[dict[str, Any]]) -> dict[str, Outcome]:
    """Packers' confirmed orders, set-based: the boxes become packages with their tracking
    numbers and the orders become packed, with a handful of statements for the whole batch.
    Each event is checked against the central state first and refused or held as a conflict
    on its own (an order intercepted or packed elsewhere meanwhile, a tracking number that is
    someone else's); only the events that pass write anything."""
    from app.store.models import Order, OrderLine, Package, Station

    orders_t, lines_t, packages_t = _table(Order), _table(OrderLine), _table(Package)
    results: dict[str, Outcome] = {}
    payloads = [dict(e.get("payload") or {}) for e in events]
    names = sorted({str(p.get("order_no") or "").upper() for p in payloads})
    orders = {r.order_no: dict(r._mapping) for r in s.execute(
        select(orders_t.c.id, orders_t.c.order_no, orders_t.c.status, orders_t.c.intercept,
               orders_t.c.carrier_id, orders_t.c.wave_id, orders_t.c.unit_count)
        .where(bulk.matching(s, orders_t.c.order_no, names)).order_by(orders_t.c.id)
        .with_for_update())}
    ids = [o["id"] for o in orders.values()]
    lines: dict[int, dict[int, dict[str, int]]] = {}
    for r in s.execute(select(lines_t.c.id, lines_t.c.order_id, lines_t.c.line_no,
                              lines_t.c.qty, lines_t.c.packed_qty)
                       .where(bulk.matching(s, lines_t.c.order_id, ids))):
        lines.setdefault(r.order_id, {})[r.line_no] = {
            "id": r.id, "qty": r.qty, "packed_qty": r.packed_qty}
    held_boxes: dict[tuple[int, int], int] = {}
    # Boxes whose waybill a platform issued centrally: the station must report that number.
    platform_numbers: dict[tuple[int, int], str] = {}
    for r in s.execute(select(packages_t.c.id, packages_t.c.order_id, packages_t.c.box_no,
                              packages_t.c.tracking_no, packages_t.c.waybill_provider)
                       .where(bulk.matching(s, packages_t.c.order_id, ids))):
        held_boxes[(r.order_id, r.box_no)] = r.id
        if r.tracking_no and r.waybill_provider not in (None, "pool"):
            platform_numbers[(r.order_id, r.box_no)] = r.tracking_no
    numbers = sorted({str(b.get("tracking_no") or "") for p in payloads
                      for b in p.get("boxes") or []} - {""})
    owner = dict(s.execute(select(packages_t.c.tracking_no, packages_t.c.order_id).where(
        bulk.matching(s, packages_t.c.tracking_no, numbers))).all()) if numbers else {}
    station_id = s.scalar(select(Station.id).where(Station.code == station))
    actors = _actors(s, station, payloads)
    now = datetime.now(UTC)
    passed: list[tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]],
                       list[OrderStatus]]] = []
    for event, payload in zip(events, payloads, strict=True):
        try:
            order = orders.get(str(payload.get("order_no") or "").upper())
            if order is None:
                raise Refused(f"no order {payload.get('order_no')!r}")
            boxes = list(payload.get("boxes") or [])
            if not boxes:
                raise Refused("a packed order needs at least one box")
            status = OrderStatus(order["status"])
            if status in (OrderStatus.PACKED, OrderStatus.SHIPPED):
                text = (f"{order['order_no']} was packed already ({status.value}); {station} "
                        "packed it again")
                raise Conflicted("sync_conflict", text, Note(
                    "sync.packed_twice", text, {"order_no": order["order_no"],
                                                "status": status.value, "station": station}))
            if order["intercept"]:
                text = (f"{order['order_no']} was intercepted ({order['intercept']}) before "
                        f"{station}'s packing reached the central database")
                raise Conflicted("intercepted_after_pack", text, Note(
                    "sync.intercepted_first", text, {"order_no": order["order_no"],
                                                     "intercept": order["intercept"],
                                                     "station": station}))
            box_numbers = [str(b.get("tracking_no") or "") for b in boxes]
            if any(not n for n in box_numbers) or len(set(box_numbers)) != len(box_numbers):
                raise Refused("every box needs its own tracking number")
            if any(owner.get(n, order["id"]) != order["id"] for n in box_numbers):
                text = f"tracking number of {order['order_no']} is used by another parcel"
                raise Conflicted("sync_conflict", text, Note(
                    "sync.tracking_taken", text, {"order_no": order["order_no"]}))
            box_nos = [int(box["box_no"]) for box in boxes]
            for box in boxes:
                issued = platform_numbers.get((order["id"], int(box["box_no"])))
                if issued is not None and issued != str(box.get("tracking_no") or ""):
                    text = (f"box {box.get('box_no')} of {order['order_no']} has the platform "
                            f"waybill {issued}, not {box.get('tracking_no')}")
                    raise Conflicted("sync_conflict", text, Note(
                        "sync.tracking_taken", text, {"order_no": order["order_no"]}))
            if len(set(box_nos)) != len(box_nos) or min(box_nos) < 1:
                raise Refused("every box needs its own number from 1")
            if payload.get("packed_at"):
                datetime.fromisoformat(str(payload["packed_at"]))
            for box in boxes:
                for key in ("weight_g", "expected_g"):
                    if box.get(key) is not None:
                        int(box[key])
                for line_no, qty in (box.get("items") or {}).items():
                    if int(line_no) not in lines.get(order["id"], {}) or int(qty) <= 0:
                        raise Refused(f"box {box.get('box_no')}: no line {line_no} in "
                                      f"{order['order_no']}")
            if status not in (OrderStatus.PICKED, OrderStatus.PACKING):
                raise Conflicted("sync_conflict", *_not_picked(s, order, status, station,
                                                               box_numbers))
            moves = _moves(status)
        except Refused as exc:
            results[event["id"]] = Outcome("refused", "", str(exc))
            continue
        except Conflicted as exc:
            results[event["id"]] = Outcome("conflict", exc.category, str(exc))
            _record_conflict(s, event, station, exc.category, str(exc), exc.note)
            if order is not None:
                # The conflict may have moved the order (into the exception queue, out of its
                # wave): a later event of this batch for it is checked against that.
                s.flush()
                moved = s.execute(select(orders_t.c.status, orders_t.c.wave_id).where(
                    orders_t.c.id == order["id"])).one()
                order["status"], order["wave_id"] = moved.status, moved.wave_id
            continue
        except (ServiceError, ValueError, TypeError, KeyError) as exc:
            results[event["id"]] = Outcome("refused", "", str(exc))
            continue
        for n in box_numbers:
            owner[n] = order["id"]
        # Packed now, for the events after it in this batch (a second confirm conflicts).
        order["status"] = OrderStatus.PACKED.value
        passed.append((payload, order, boxes, [status, *moves]))
        results[event["id"]] = Outcome("applied")
    if passed:
        _write_packed(s, station, passed, lines, held_boxes, station_id, actors, now)
    return results


def _not_picked(s: Session, order: dict[str, Any], status: OrderStatus, station: str,
                numbers: list[str]) -> tuple[str, Note]:
    """Why a parcel packed at a station has no central record: its order was not picked
    (the English line, and the note the exception queue words)."""
    from app.store.models import Wave

    wave = s.scalar(select(Wave.wave_no).where(Wave.id == order["wave_id"])) \
        if order.get("wave_id") else None
    where = f" in wave {wave}" if wave else ""
    parcels = ", ".join(numbers)
    text = (f"{order['order_no']} was {status.value}{where}, not picked, when {station} "
            f"packed it: parcel {parcels} has no central record; find the parcel")
    return text, Note("sync.packed_unpicked", text, {
        "order_no": order["order_no"], "status": status.value, "wave": wave or "-",
        "station": station, "parcels": parcels})


def _write_packed(s: Session, station: str,
                  passed: list[tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]],
                                     list[OrderStatus]]],
                  lines: dict[int, dict[int, dict[str, int]]],
                  held_boxes: dict[tuple[int, int], int], station_id: int | None,
                  actors: dict[str, Actor], now: datetime) -> None:
    """The writes of the confirmed orders that passed their checks, a statement per table."""
    from app.store.models import (
        Order,
        OrderLine,
        Package,
        PackageItem,
        PackProgress,
        TrackingNumber,
    )

    new_boxes: list[dict[str, Any]] = []
    old_boxes: list[dict[str, Any]] = []
    for payload, order, boxes, _path in passed:
        packed_at = _packed_at(payload, now)
        for box in boxes:
            row = {"tracking_no": str(box["tracking_no"]), "carrier_id": order["carrier_id"],
                   "status": "packed", "weight_g": box.get("weight_g"),
                   "expected_weight_g": box.get("expected_g"),
                   "packed_by": actors[str(payload.get("user") or "")].user_id,
                   "station_id": station_id, "packed_at": packed_at}
            held = held_boxes.get((order["id"], int(box["box_no"])))
            if held is None:
                new_boxes.append({"order_id": order["id"], "box_no": int(box["box_no"]),
                                  **row, "created_at": now})
            else:
                old_boxes.append({"id": held, **row})
    box_ids = dict(held_boxes)
    for r in bulk.insert_new_returning(s, _table(Package), new_boxes,
                                       conflict=["order_id", "box_no"],
                                       returning=["id", "order_id", "box_no"]):
        box_ids[(r.order_id, r.box_no)] = r.id
    if len(box_ids) != len(held_boxes) + len(new_boxes):
        raise _Overtaken("a box was written meanwhile")
    bulk.update_rows(s, _table(Package), "id", old_boxes)
    items: list[dict[str, Any]] = []
    packed_qty: dict[int, int] = {}
    for _payload, order, boxes, _path in passed:
        for box in boxes:
            package_id = box_ids[(order["id"], int(box["box_no"]))]
            for line_no, qty in (box.get("items") or {}).items():
                line = lines[order["id"]][int(line_no)]
                items.append({"package_id": package_id, "order_line_id": line["id"],
                              "qty": int(qty)})
                line["packed_qty"] = min(line["qty"], line["packed_qty"] + int(qty))
                packed_qty[line["id"]] = line["packed_qty"]
    bulk.insert_rows(s, _table(PackageItem), items)
    bulk.update_rows(s, _table(OrderLine), "id",
                     [{"id": k, "packed_qty": v} for k, v in packed_qty.items()])
    used = [r["tracking_no"] for r in (*new_boxes, *old_boxes)]
    s.execute(update(TrackingNumber).where(bulk.matching(s, TrackingNumber.number, used))
              .values(status="used", used_at=now)
              .execution_options(synchronize_session=False))
    s.execute(_table(PackProgress).delete().where(bulk.matching(
        s, PackProgress.order_id, [order["id"] for _p, order, _b, _path in passed])))
    bulk.update_rows(s, _table(Order), "id", [
        {"id": order["id"], "status": OrderStatus.PACKED.value, "status_changed_at": now,
         "updated_at": now, "version": 1} for _p, order, _b, _path in passed], add=["version"])
    audits: dict[str, tuple[Actor, list[tuple[object, str | None, str | None,
                                             dict[str, Any] | None]]]] = {}
    for payload, order, boxes, path in passed:
        actor = actors[str(payload.get("user") or "")]
        rows = audits.setdefault(actor.code, (actor, []))[1]
        for old, new in zip(path, path[1:], strict=False):
            detail: dict[str, Any] = {"station": station}
            if new is OrderStatus.PACKED:
                # The packer's figures: units, seconds, refused scans by reason.
                detail.update(boxes=len(boxes), units=payload.get("units"),
                              seconds=payload.get("seconds"),
                              refused=payload.get("refused") or {})
            rows.append((order["order_no"], old.value, new.value, detail))
    for actor, rows in audits.values():
        audit.record_many(s, actor, "order.status", "order", rows)
    # Shops that tell their platform at packing: queued with the packed orders.
    from app.services import shipments

    shipments.queue(s, [order["id"] for _p, order, _b, _path in passed], "packed", now)
    # The packers' rates: each order counted at the time its packer confirmed it.
    # The units are the order's (what the station counted is in the audit); a station clock
    # that runs ahead counts its packs now, not in a slot still to come.
    work.count(s, (work.Done("pack", actors[str(payload.get("user") or "")].user_id,
                             min(_packed_at(payload, now), now), orders=1,
                             units=order["unit_count"],
                             seconds=min(_number(payload.get("seconds"), 0.0), 86_400.0))
                   for payload, order, _b, _path in passed))


def _packed_at(payload: dict[str, Any], now: datetime) -> datetime:
    return datetime.fromisoformat(payload["packed_at"]) if payload.get("packed_at") else now


def _number(value: Any, default: float) -> float:
    """A figure the station sent, or `default` where it sent none or nonsense."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return number if number >= 0 and number == number and number != float("inf") else default


def _pack_paused(s: Session, station: str, payload: dict[str, Any]) -> str:
    """A packer set an order aside half-way: its accepted steps wait centrally for whichever
    station takes it up next (`app.services.pack_progress`)."""
    from app.services.order_lookup import find_order
    from app.store.models import PackProgress

    order = find_order(s, str(payload.get("order_no") or ""), for_update=True)
    if OrderStatus(order.status) in (OrderStatus.PACKED, OrderStatus.SHIPPED):
        raise Refused(f"{order.order_no} is {order.status}: nothing to take up")
    steps = payload.get("events")
    session = str(payload.get("session") or "")
    if not isinstance(steps, list) or not session:
        raise Refused("a paused order needs its session and its steps")
    row = s.get(PackProgress, order.id) or PackProgress(order_id=order.id)
    row.station, row.session, row.packer = station, session[:36], str(payload.get("user"))[:64]
    row.events, row.units = steps, int(payload.get("units") or 0)
    row.paused_at = datetime.fromisoformat(payload["paused_at"]) \
        if payload.get("paused_at") else datetime.now(UTC)
    s.add(row)
    return ""


def _pack_taken_up(s: Session, station: str, payload: dict[str, Any]) -> str:
    """Another station took the paused order up: its steps are that station's now."""
    from app.services.order_lookup import find_order
    from app.store.models import PackProgress

    order = find_order(s, str(payload.get("order_no") or ""))
    s.execute(_table(PackProgress).delete().where(
        PackProgress.order_id == order.id,
        PackProgress.session == str(payload.get("from_session") or "")))
    return ""


HANDLERS: dict[str, Callable[[Session, str, dict[str, Any]], str]] = {
    "audit": _audit, "pack.paused": _pack_paused, "pack.taken_up": _pack_taken_up}
BATCHED = "pack.confirmed"  # applied set-based, a run of them at a time (`_pack_many`)


def _record_conflict(s: Session, event: dict[str, Any], station: str, category: str,
                     detail: str, note: Note | None = None) -> None:
    """The conflict as an exception on the order (outside the undone savepoint)."""
    from app.services.order_lookup import find_order

    payload = dict(event.get("payload") or {})
    try:
        order = find_order(s, str(payload.get("order_no") or ""), for_update=True)
    except ServiceError:
        return
    actor = _actor(s, station, payload)
    before = order.status
    _into_exception_queue(s, actor, order, category, detail, note)
    audit.record(s, actor, "pack.conflict", "order", order.order_no, before, order.status,
                 {"category": category, "detail": detail, "event": event["id"]})


def _into_exception_queue(s: Session, actor: Actor, order: Any, category: str,
                          detail: str, note: Note | None = None) -> None:
    """The order goes to the exception queue, where a shift lead sees it: out of its wave
    when that is still being picked, else by a status move. A packed or shipped order keeps
    its status (its parcel is the one the central database knows) and an order already in the
    queue stays there: the conflict is one more exception on it."""
    from app.services import put_back
    from app.services.orders import set_status
    from app.store.models import OrderException

    stored = encode_notes([note]) if note else detail[:500]
    status = OrderStatus(order.status)
    if status in (OrderStatus.IN_WAVE, OrderStatus.PICKING):
        put_back.leave_wave_as_exception(s, actor, order, category, detail[:500], note)
    status = OrderStatus(order.status)
    if status not in (OrderStatus.EXCEPTION, OrderStatus.PACKED, OrderStatus.SHIPPED) \
            and can_transition(status, OrderStatus.EXCEPTION):
        set_status(s, actor, order, OrderStatus.EXCEPTION, detail[:500], category=category,
                   note=note)
        return
    if status is OrderStatus.EXCEPTION and s.scalar(select(OrderException.id).where(
            OrderException.order_id == order.id, OrderException.category == category,
            OrderException.resolved_at.is_(None), OrderException.detail == stored)):
        return  # raised just now by leaving the wave
    s.add(OrderException(order_id=order.id, category=category, detail=stored,
                         raised_by=actor.user_id, level=0, resolution=""))


def _one(s: Session, station: str, event: dict[str, Any]) -> Outcome:
    handler = HANDLERS.get(event["kind"])
    try:
        with s.begin_nested():
            if handler is None:
                raise Refused(f"unknown event kind {event['kind']!r}")
            return Outcome("applied", "", handler(s, station, dict(event["payload"] or {})))
    except Refused as exc:
        return Outcome("refused", "", str(exc))
    except Conflicted as exc:
        # The conflict's own records (exception, audit) stay; the rest was undone.
        _record_conflict(s, event, station, exc.category, str(exc), exc.note)
        return Outcome("conflict", exc.category, str(exc))
    except (ServiceError, ValueError) as exc:
        return Outcome("refused", "", str(exc))


def _packed_run(s: Session, station: str,
                run: list[dict[str, Any]]) -> dict[str, Outcome]:
    """A run of confirmed orders in one savepoint; should the database refuse the batch (a
    tracking number another station's push took a moment ago), each event alone."""
    try:
        with s.begin_nested():
            return _pack_many(s, station, run)
    except (IntegrityError, _Overtaken, ValueError, TypeError, KeyError) as exc:
        log.info("a batch of %d packed orders failed, applying one by one: %s", len(run),
                 str(exc).splitlines()[0])
    results: dict[str, Outcome] = {}
    for event in run:
        try:
            with s.begin_nested():
                results.update(_pack_many(s, station, [event]))
        except (IntegrityError, _Overtaken) as exc:
            # Another push took a box or a tracking number a moment ago: a conflict for a
            # shift lead. (A deadlock or a timeout is raised instead: the push comes again.)
            detail = f"{exc.__class__.__name__}: {str(exc).splitlines()[0]}"
            results[event["id"]] = Outcome("conflict", "sync_conflict", detail)
            _record_conflict(s, event, station, "sync_conflict", detail,
                             Note("sync.overtaken", detail))
        except (ValueError, TypeError, KeyError) as exc:
            results[event["id"]] = Outcome("refused", "", str(exc))
    return results


def apply(db: Database, station: str, envelopes: Sequence[Envelope]) -> dict[str, Outcome]:
    """Apply a station's events in order; returns id → `Outcome` (applied, conflict — with
    the exception category a shift lead resolves it under — or refused)."""
    events = [{"id": e.id, "kind": e.kind, "payload": e.event.to_payload(),
               "created_at": e.created_at} for e in envelopes]
    results: dict[str, Outcome] = {}
    with db.unit_of_work() as s:
        changes.note(s, Change.ORDERS, Change.EXCEPTIONS, Change.HANDOVER)
        # An event seen before gives back its first outcome (a push whose answer was lost
        # comes again; a conflict's category must reach the packer all the same).
        seen: dict[str, Outcome | None] = {
            str(r.event_id): Outcome.from_stored(r.outcome, r.detail) if r.outcome else None
            for r in s.execute(
                select(AppliedEvent.event_id, AppliedEvent.outcome, AppliedEvent.detail).where(
                    bulk.matching(s, AppliedEvent.event_id, [e["id"] for e in events])))}
        fresh: list[dict[str, Any]] = []
        for event in events:
            event_id = str(event["id"])
            if event_id in seen:
                results[event_id] = seen[event_id] or Outcome("applied", "", "already applied")
            else:
                seen[event_id] = None
                fresh.append(event)
        for batched, group in groupby(fresh, key=lambda e: e["kind"] == BATCHED):
            run = list(group)
            outcomes = _packed_run(s, station, run) if batched \
                else {e["id"]: _one(s, station, e) for e in run}
            bulk.insert_rows(s, _table(AppliedEvent), [
                {"event_id": e["id"], "station": station, "kind": e["kind"][:64],
                 "outcome": outcomes[e["id"]].kind,
                 "detail": outcomes[e["id"]].stored()[:500],
                 "applied_at": datetime.now(UTC)} for e in run])
            results.update({e["id"]: outcomes[e["id"]] for e in run})
    return results
