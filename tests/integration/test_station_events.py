"""Station events applied centrally, a batch at a time: confirmed orders are checked one by one
and written together, so a batch mixing good orders with an intercepted one, an order packed
twice, a tracking number clash and nonsense applies the good ones, holds the conflicts as
exceptions, refuses the nonsense, and changes nothing when the same batch comes again."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import func, select, update

from app.services import station_events, tracking
from app.services.context import system_actor
from app.store.db import Database
from app.store.models import (
    AppliedEvent,
    AuditEntry,
    Carrier,
    Order,
    OrderException,
    OrderLine,
    Package,
    PackageItem,
    TrackingNumber,
)
from app.sync.contract import Outcome
from tests.helpers.link import envelopes
from tests.helpers.packing import picked_wave

pytestmark = pytest.mark.timeout(300)
STATION = "ST-HZ-PACK-01"


def _confirmed(db: Database, order_no: str, numbers: list[str]) -> dict[str, Any]:
    """A pack.confirmed event as the packing bench writes it: every line in box 1."""
    with db.reader() as s:
        lines = s.execute(select(OrderLine.line_no, OrderLine.qty).join(Order).where(
            Order.order_no == order_no)).all()
    return {"id": str(uuid.uuid4()), "kind": "pack.confirmed", "payload": {
        "user": "packer01", "order_no": order_no, "session": str(uuid.uuid4()),
        "boxes": [{"box_no": 1, "tracking_no": numbers.pop(), "weight_g": 500,
                   "expected_g": 480, "items": {str(n): q for n, q in lines}}],
        "units": sum(q for _n, q in lines), "refused": {"wrong_item": 1}, "seconds": 12.5}}


def _numbers(db: Database, order_no: str, count: int) -> list[str]:
    """Tracking numbers of the order's carrier, handed to the station in advance."""
    with db.reader() as s:
        carrier = s.scalar(select(Carrier.code).join(Order, Order.carrier_id == Carrier.id)
                           .where(Order.order_no == order_no))
    return tracking.allocate_block(db, system_actor(STATION), STATION, carrier, count)


def test_a_mixed_batch_applies_the_good_and_holds_or_refuses_the_rest(central: Database) -> None:
    db = central
    orders = picked_wave(db, orders=8)
    while len(orders) < 6:  # one more wave until there are enough to pack
        more = picked_wave(db, orders=8)
        assert len(more) > len(orders), "no more orders to pick"
        orders = more
    numbers = _numbers(db, orders[0], 40)
    with db.unit_of_work() as s:  # intercepted centrally before the station's push arrives
        s.execute(update(Order).where(Order.order_no == orders[1])
                  .values(intercept="refund_requested"))
    good = [_confirmed(db, no, numbers) for no in (orders[0], orders[2], orders[3])]
    intercepted = _confirmed(db, orders[1], numbers)
    twice = _confirmed(db, orders[0], numbers)  # orders[0] again, from another session
    clash = _confirmed(db, orders[4], numbers)
    clash["payload"]["boxes"][0]["tracking_no"] = good[1]["payload"]["boxes"][0]["tracking_no"]
    no_box = _confirmed(db, orders[5], numbers)
    no_box["payload"]["boxes"] = []
    bad_line = _confirmed(db, orders[5], numbers)
    bad_line["payload"]["boxes"][0]["items"] = {"99": 1}
    note = {"id": str(uuid.uuid4()), "kind": "audit", "payload": {
        "user": "packer01", "action": "label.reprint", "entity": "order",
        "entity_id": orders[0], "detail": {"reason": "卡纸"}}}
    batch = [good[0], intercepted, good[1], note, twice, clash, good[2], no_box, bad_line]

    results = station_events.apply(db, STATION, envelopes(batch))

    outcome = {e["id"]: results[e["id"]].kind for e in batch}
    assert [outcome[e["id"]] for e in good] == ["applied"] * 3
    assert outcome[note["id"]] == "applied"
    assert (outcome[intercepted["id"]], outcome[twice["id"]], outcome[clash["id"]]) == (
        "conflict", "conflict", "conflict")
    assert (outcome[no_box["id"]], outcome[bad_line["id"]]) == ("refused", "refused")
    with db.reader() as s:
        status = dict(s.execute(select(Order.order_no, Order.status).where(
            Order.order_no.in_(orders[:6]))).all())
        assert {status[no] for no in (orders[0], orders[2], orders[3])} == {"packed"}
        assert status[orders[1]] != "packed" and status[orders[4]] != "packed"
        assert status[orders[5]] != "packed"
        boxes = s.execute(select(Order.order_no, Package.tracking_no, Package.weight_g)
                          .join(Package, Package.order_id == Order.id)
                          .where(Order.order_no.in_(orders[:6]))).all()
        assert sorted(no for no, _tn, _w in boxes) == sorted([orders[0], orders[2], orders[3]])
        assert {tn for _no, tn, _w in boxes} == {
            e["payload"]["boxes"][0]["tracking_no"] for e in good}
        assert {w for _no, _tn, w in boxes} == {500}
        used = s.scalar(select(func.count()).select_from(TrackingNumber).where(
            TrackingNumber.status == "used",
            TrackingNumber.number.in_([tn for _no, tn, _w in boxes])))
        assert used == 3
        packed_units = s.scalar(select(func.sum(OrderLine.packed_qty)).join(Order).where(
            Order.order_no.in_([orders[0], orders[2], orders[3]])))
        assert packed_units == sum(e["payload"]["units"] for e in good)
        assert s.scalar(select(func.sum(PackageItem.qty))) >= packed_units
        held = dict(s.execute(select(Order.order_no, OrderException.category)
                              .join(OrderException, OrderException.order_id == Order.id)
                              .where(Order.order_no.in_([orders[0], orders[1], orders[4]]),
                                     OrderException.category.in_(
                                         ["sync_conflict", "intercepted_after_pack"]))).all())
        assert held == {orders[0]: "sync_conflict", orders[1]: "intercepted_after_pack",
                        orders[4]: "sync_conflict"}
        moves = s.execute(select(AuditEntry.before, AuditEntry.after, AuditEntry.detail).where(
            AuditEntry.action == "order.status", AuditEntry.entity_id == orders[2])
            .order_by(AuditEntry.id)).all()
        assert [(b, a) for b, a, _d in moves][-2:] == [("picked", "packing"),
                                                      ("packing", "packed")]
        assert moves[-1][2]["refused"] == {"wrong_item": 1} and moves[-1][2]["units"]

    again = station_events.apply(db, STATION, envelopes(batch))  # the push timed out and came again
    assert {e["id"]: again[e["id"]].kind for e in batch} == outcome
    with db.reader() as s:
        assert s.scalar(select(func.count()).select_from(Package).join(Order).where(
            Order.order_no.in_(orders[:6]))) == 3
        assert s.scalar(select(func.count()).select_from(AppliedEvent).where(
            AppliedEvent.event_id.in_([e["id"] for e in batch]))) == len(batch)


def test_the_same_event_twice_in_one_batch_is_applied_once(central: Database) -> None:
    db = central
    orders = picked_wave(db, orders=2)
    numbers = _numbers(db, orders[0], 2)
    event = _confirmed(db, orders[0], numbers)
    results = station_events.apply(db, STATION, envelopes([event, dict(event)]))
    assert results[event["id"]].kind == "applied"
    with db.reader() as s:
        assert s.scalar(select(func.count()).select_from(Package).join(Order).where(
            Order.order_no == orders[0])) == 1


def test_a_paused_order_waits_centrally_for_the_next_station(central: Database) -> None:
    from app.services import pack_progress
    from tests.helpers.packing import actor

    db = central
    orders = picked_wave(db, orders=2)
    packer = actor(db, "packer01")
    steps = [{"type": "ItemScanned", "event_id": "s1", "code": "6901234567892", "qty": 1}]
    paused = {"id": str(uuid.uuid4()), "kind": "pack.paused", "payload": {
        "user": "packer01", "order_no": orders[0], "session": "sess-a", "events": steps,
        "units": 1, "paused_at": "2026-11-11T10:00:00+08:00"}}
    nonsense = {"id": str(uuid.uuid4()), "kind": "pack.paused", "payload": {
        "user": "packer01", "order_no": orders[1], "session": "", "events": [],
        "units": 0, "paused_at": "2026-11-11T10:00:00+08:00"}}
    results = station_events.apply(db, STATION, envelopes([paused, nonsense]))
    assert (results[paused["id"]].kind, results[nonsense["id"]].kind) == ("applied", "refused")
    assert pack_progress.paused(db, packer, orders[1]) is None
    left = pack_progress.paused(db, packer, orders[0].lower())
    assert left is not None and (left.station, left.session, left.events, left.units) == (
        STATION, "sess-a", tuple(steps), 1)
    # Taken up elsewhere under another session's name: nothing happens; under its own: gone.
    wrong = {"id": str(uuid.uuid4()), "kind": "pack.taken_up",
             "payload": {"user": "packer02", "order_no": orders[0], "from_session": "sess-x"}}
    taken = {"id": str(uuid.uuid4()), "kind": "pack.taken_up",
             "payload": {"user": "packer02", "order_no": orders[0], "from_session": "sess-a"}}
    station_events.apply(db, "ST-HZ-PACK-02", envelopes([wrong]))
    assert pack_progress.paused(db, packer, orders[0]) is not None
    station_events.apply(db, "ST-HZ-PACK-02", envelopes([taken]))
    assert pack_progress.paused(db, packer, orders[0]) is None
    # Paused again, then confirmed: the confirm clears it; a pause after packing is refused.
    again = {**paused, "id": str(uuid.uuid4())}
    station_events.apply(db, STATION, envelopes([again]))
    numbers = _numbers(db, orders[0], 1)
    done = _confirmed(db, orders[0], numbers)
    late = {**paused, "id": str(uuid.uuid4())}
    results = station_events.apply(db, STATION, envelopes([done, late]))
    assert (results[done["id"]].kind, results[late["id"]].kind) == ("applied", "refused")
    assert pack_progress.paused(db, packer, orders[0]) is None


def test_nonsense_in_a_confirm_is_refused_alone_and_a_resend_keeps_its_answer(
        central: Database) -> None:
    db = central
    orders = picked_wave(db, orders=4)
    while len(orders) < 3:
        more = picked_wave(db, orders=4)
        assert len(more) > len(orders), "no more orders to pick"
        orders = more
    numbers = _numbers(db, orders[0], 6)
    good = _confirmed(db, orders[0], numbers)
    bad_time = _confirmed(db, orders[1], _numbers(db, orders[1], 1))
    bad_time["payload"]["packed_at"] = "yesterday"
    with pytest.raises(ValueError, match="yesterday"):  # no event of the contract: never sent
        envelopes([bad_time])
    two_ones = _confirmed(db, orders[2], _numbers(db, orders[2], 2))
    box = two_ones["payload"]["boxes"][0]
    two_ones["payload"]["boxes"].append({**box, "tracking_no": box["tracking_no"] + "X"})
    with db.unit_of_work() as s:
        s.execute(update(Order).where(Order.order_no == orders[0])
                  .values(intercept="address_changed"))
    batch = [good, two_ones]
    results = station_events.apply(db, STATION, envelopes(batch))
    assert results[two_ones["id"]] == Outcome("refused", "",
                                              "every box needs its own number from 1")
    assert results[good["id"]].kind == "conflict"
    assert results[good["id"]].category == "intercepted_after_pack"
    again = station_events.apply(db, STATION, envelopes(batch))  # the answer was lost: sent again
    assert again == results
