"""Shipment confirmations (发货回传) through the outbox to the fake Taobao gateway, on SQLite and
PostgreSQL: a handover's close queues one per channel order and parcel and the engine sends
it once with the channel's own order number; a shop confirming at packing; split children and
merged orders mapped back to the channel's numbers; a rate limit answered with back-off; a
refusal raised for the lead; a row stuck `sending` after a crash taken up again; never sent
twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from app.services import engine, exceptions, handover, orders, shipments, waybill_issue
from app.services.central_link import DatabaseLink
from app.services.errors import Conflict, InvalidInput
from app.services.waybill_issue import channel_orders
from app.station import outbox
from app.station.packing import PackingBench
from app.store.db import Database
from app.store.models import (
    AuditEntry,
    Carrier,
    Order,
    Package,
    ShipmentConfirmation,
    Shop,
    Warehouse,
)
from tests.helpers.fake_component import FakeComponent
from tests.helpers.fake_platform import FakePlatform
from tests.helpers.packing import actor, station, unit_codes
from tests.helpers.platform_orders import ADMIN, platform_orders, station_ini
from tests.helpers.waiting import eventually


def _pack(db: Database, component: FakeComponent, home: Path, numbers: list[str]) -> None:
    """Each order packed at a station (its Cainiao waybill from the fake) and pushed."""
    waybill_issue.prefetch(db, actor(db, "lead01"))  # the engine fetched them ahead
    rt = station(db, home, station_ini(component.url("ZTO-1")))
    rt.start()
    try:
        bench = PackingBench(rt, actor(db, "packer01"))
        for no in numbers:
            assert bench.open(no).accepted
            for code in unit_codes(db, no):
                view = bench.scan(code)
            assert view.state is not None and view.state.phase.value == "packed", view
        report = outbox.push(rt.store, DatabaseLink(db), rt.code)
        assert report.refused == 0
    finally:
        rt.stop()


def _hand_over(db: Database, numbers: list[str]) -> None:
    dock = actor(db, "packer01")
    with db.reader() as s:
        parcels = s.execute(select(Package.tracking_no, Carrier.code, Warehouse.code)
                            .join(Order, Order.id == Package.order_id)
                            .join(Carrier, Carrier.id == Package.carrier_id)
                            .join(Warehouse, Warehouse.id == Order.warehouse_id)
                            .where(Order.order_no.in_(numbers))).all()
    opened: dict[tuple[str, str], str] = {}
    for tn, carrier, wh in parcels:
        if (wh, carrier) not in opened:
            opened[(wh, carrier)] = handover.open_handover(db, dock, wh, carrier).handover_no
        handover.scan_parcel(db, dock, opened[(wh, carrier)], str(tn))
    for handover_no in opened.values():
        handover.close(db, dock, handover_no)


def _rows(db: Database) -> list[tuple[str, str, str, int]]:
    with db.reader() as s:
        return [tuple(r) for r in s.execute(  # type: ignore[misc]
            select(ShipmentConfirmation.channel_order_no, ShipmentConfirmation.tracking_no,
                   ShipmentConfirmation.status, ShipmentConfirmation.attempts)
            .order_by(ShipmentConfirmation.id))]


def _channel_no(db: Database, order_no: str) -> str:
    with db.reader() as s:
        return str(s.scalar(select(Order.channel_order_no).where(Order.order_no == order_no)))


def test_handover_close_confirms_once_with_the_channels_own_number(
        db: Database, top: FakePlatform, component: FakeComponent, tmp_path: Path) -> None:
    (no,) = platform_orders(db, top)
    _pack(db, component, tmp_path / "home", [no])
    assert _rows(db) == [], "the shop confirms at handover, not at packing"
    _hand_over(db, [no])
    channel_no = _channel_no(db, no)
    ((number, tracking, status, attempts),) = _rows(db)
    assert (number, status, attempts) == (channel_no, "pending", 0)
    lead = actor(db, "lead01")
    report = shipments.send_due(db, lead)
    assert (report.sent, report.retried, report.refused) == (1, 0, 0)
    assert [(s["order"], s["tracking_no"]) for s in top.sends] == [(channel_no, tracking)]
    assert shipments.send_due(db, lead).sent == 0
    with db.unit_of_work() as s:  # queued again (a second close, a replay): no new row
        order_id = s.scalar(select(Order.id).where(Order.order_no == no))
        assert shipments.queue(s, [order_id], "handover") == 0
    assert shipments.send_due(db, lead).sent == 0
    assert len(top.sends) == 1 and top.send_attempts == {f"{channel_no}:{tracking}": 1}
    assert _rows(db) == [(channel_no, tracking, "sent", 1)]
    detail = orders.order_detail(db, lead, no)
    assert [(c["channel_order_no"], c["status"], c["attempts"])
            for c in detail["shipments"]] == [(channel_no, "sent", 1)]
    with db.reader() as s:
        assert s.scalar(select(AuditEntry.actor).where(
            AuditEntry.action == "shipment.confirmed", AuditEntry.entity_id == no)) == "lead01"


def test_a_shop_confirming_at_packing_is_queued_with_the_pushed_confirm(
        db: Database, top: FakePlatform, component: FakeComponent, tmp_path: Path) -> None:
    (no,) = platform_orders(db, top, confirm_on="packed")
    _pack(db, component, tmp_path / "home", [no])
    assert [(n, s) for n, _t, s, _a in _rows(db)] == [(_channel_no(db, no), "pending")]
    _hand_over(db, [no])
    assert len(_rows(db)) == 1, "the handover adds none"
    assert shipments.send_due(db, actor(db, "lead01")).sent == 1 and len(top.sends) == 1


def test_split_children_and_merged_orders_map_to_the_channels_numbers(db: Database) -> None:
    engine.run_once(db, ADMIN)
    with db.unit_of_work() as s:
        child = s.scalars(select(Order).where(Order.parent_id.is_not(None))
                          .order_by(Order.id)).first()
        merged = s.scalars(select(Order).where(Order.id.in_(
            select(Order.merged_into_id).where(Order.merged_into_id.is_not(None))))).first()
        assert child is not None and merged is not None, "the demo splits and merges some"
        parent = s.get_one(Order, child.parent_id)
        assert [c.channel_order_no for c in channel_orders(s, child)] == [
            parent.channel_order_no]
        sources = list(s.scalars(select(Order).where(Order.merged_into_id == merged.id)
                                 .order_by(Order.id)))
        assert len(sources) >= 2
        assert [c.channel_order_no for c in channel_orders(s, merged)] == [
            o.channel_order_no for o in sources]
        # Their shops connected to their platforms (a shop that is not is never told).
        for i, shop_id in enumerate(sorted({o.shop_id for o in (*sources, parent)})):
            s.execute(update(Shop).where(Shop.id == shop_id).values(
                code=f"S{i}", api_url="http://127.0.0.1:9/router", app_key="k"))
        # A merged order's parcel: one confirmation per order merged into it, one number.
        s.add(Package(order_id=merged.id, box_no=1, tracking_no="YT9990000000001",
                      carrier_id=merged.carrier_id or s.scalar(select(Carrier.id).limit(1)),
                      status="handed_over"))
        s.add(Package(order_id=child.id, box_no=1, tracking_no="YT9990000000002",
                      carrier_id=child.carrier_id or s.scalar(select(Carrier.id).limit(1)),
                      status="handed_over"))
        s.flush()
        confirming = [o for o in (*sources, parent) if o.channel in shipments.CONFIRMING_CHANNELS]
        queued = shipments.queue(s, [merged.id, child.id], "handover")
        assert queued == len(confirming)
        rows = s.execute(select(ShipmentConfirmation.order_id,
                                ShipmentConfirmation.channel_order_no,
                                ShipmentConfirmation.tracking_no)).all()
    expected = {(merged.id, o.channel_order_no, "YT9990000000001") for o in sources
                if o.channel in shipments.CONFIRMING_CHANNELS}
    if parent.channel in shipments.CONFIRMING_CHANNELS:
        expected.add((child.id, parent.channel_order_no, "YT9990000000002"))
    assert set(rows) == expected


def test_a_rate_limited_platform_is_answered_with_back_off_then_sent(
        db: Database, top: FakePlatform, component: FakeComponent, tmp_path: Path) -> None:
    numbers = platform_orders(db, top, wanted=3)
    _pack(db, component, tmp_path / "home", numbers)
    _hand_over(db, numbers)
    top.calls_per_second = 1  # the platform's call limit, tripped by the sends
    lead = actor(db, "lead01")
    first = shipments.send_due(db, lead, per_second=100.0)
    assert first.sent >= 1 and first.retried >= 1, first
    with db.reader() as s:
        waiting = s.execute(select(ShipmentConfirmation.attempts, ShipmentConfirmation.next_at,
                                   ShipmentConfirmation.last_error)
                            .where(ShipmentConfirmation.status == "pending")).all()
    assert waiting and all(a == 1 and "Limited" in e for a, _n, e in waiting)

    def all_sent() -> bool:
        shipments.send_due(db, lead, per_second=100.0,
                           now=datetime.now(UTC) + timedelta(minutes=5))
        return all(status == "sent" for _n, _t, status, _a in _rows(db))

    eventually(all_sent, what="the confirmations to go once the limit lifts", timeout=20)
    assert sorted(s["order"] for s in top.sends) == sorted(_channel_no(db, n) for n in numbers)


def test_a_refusal_becomes_an_exception_for_the_lead(
        db: Database, top: FakePlatform, component: FakeComponent, tmp_path: Path) -> None:
    (no,) = platform_orders(db, top)
    _pack(db, component, tmp_path / "home", [no])
    _hand_over(db, [no])
    channel_no = _channel_no(db, no)
    top.modify(channel_no, status="closed")  # closed at the platform meanwhile
    lead = actor(db, "lead01")
    assert shipments.send_due(db, lead).refused == 1
    ((_n, _t, status, _a),) = _rows(db)
    assert status == "refused"
    (item,) = [q for q in exceptions.queue(db, lead) if q.order_no == no]
    assert item.category == "shipment_refused" and item.actions == ("retry_confirmation",)
    with db.reader() as s:
        assert s.scalar(select(Order.status).where(Order.order_no == no)) == "shipped"
        assert s.scalar(select(AuditEntry.actor).where(
            AuditEntry.action == "shipment.refused", AuditEntry.entity_id == no)) == "lead01"
    assert shipments.send_due(db, lead).sent == 0, "a refusal is not retried by itself"
    assert [r.id for r in shipments.list_confirmations(db, lead, status="refused")]
    with pytest.raises(InvalidInput):
        shipments.list_confirmations(db, lead, status="lost")

    top.modify(channel_no, status="paid")  # the lead sorted it out with the platform
    exceptions.resolve(db, lead, no, "retry_confirmation", "reopened at the platform")
    assert not [q for q in exceptions.queue(db, lead) if q.order_no == no]
    assert shipments.send_due(db, lead).sent == 1
    assert [s["order"] for s in top.sends] == [channel_no]


def test_a_row_stuck_sending_after_a_crash_is_taken_up_and_never_sent_twice(
        db: Database, top: FakePlatform, component: FakeComponent, tmp_path: Path) -> None:
    (no,) = platform_orders(db, top)
    _pack(db, component, tmp_path / "home", [no])
    _hand_over(db, [no])
    lead = actor(db, "lead01")
    assert shipments.send_due(db, lead).sent == 1
    # A crash between the platform's answer and the write: the row stayed `sending`.
    claimed_at = datetime.now(UTC)
    with db.unit_of_work() as s:
        s.execute(update(ShipmentConfirmation).values(status="sending", sent_at=None,
                                                      next_at=claimed_at))
    assert shipments.send_due(db, lead).sent == 0, "not yet: it may still be on its way"
    later = claimed_at + shipments.STUCK_AFTER + timedelta(seconds=1)
    assert shipments.send_due(db, lead, now=later).sent == 1  # "already shipped" = sent
    channel_no = _channel_no(db, no)
    assert len(top.sends) == 1, "the platform shipped it once"
    assert sum(top.send_attempts.values()) == 2
    assert [status for _n, _t, status, _a in _rows(db)] == ["sent"]
    with pytest.raises(Conflict):
        with db.reader() as s:
            cid = s.scalar(select(func.min(ShipmentConfirmation.id)))
        shipments.retry(db, lead, int(cid or 0))
    assert channel_no


def test_the_shop_rate_spaces_the_sends() -> None:
    rate = shipments.ShopRate(per_second=4.0)
    waits = [rate.wait_for(1) for _ in range(4)]
    assert waits[0] == 0.0
    assert waits == sorted(waits) and 0.7 <= waits[-1] <= 0.76
    assert rate.wait_for(2) == 0.0, "each shop has its own"
    rate.hold(2, 3.0)
    assert 2.9 <= rate.wait_for(2) <= 3.0


def test_the_command_line_lists_shows_and_retries_confirmations(
        gui_db: Database, top: FakePlatform, tmp_path: Path) -> None:
    import json

    from app.services import waybill_issue
    from tests.helpers.cli import packline

    (no,) = platform_orders(gui_db, top)
    waybill_issue.issue(gui_db, actor(gui_db, "packer01"), no, 1)
    with gui_db.unit_of_work() as s:
        order_id = s.scalar(select(Order.id).where(Order.order_no == no))
        s.execute(update(Package).where(Package.order_id == order_id)
                  .values(status="handed_over"))
        assert shipments.queue(s, [int(order_id or 0)], "handover") == 1
        s.execute(update(ShipmentConfirmation).values(status="refused",
                                                      last_error="交易已关闭"))
    url = str(gui_db.bind.url)  # type: ignore[union-attr]
    home = tmp_path / "cli"
    listed = packline(home, "shipments", "list", "--status", "refused", "--json",
                      central_url=url)
    assert listed.returncode == 0, listed.stderr
    (row,) = json.loads(listed.stdout)
    assert (row["order_no"], row["status"], row["last_error"]) == (no, "refused", "交易已关闭")
    shown = packline(home, "orders", "show", no, central_url=url)
    assert shown.returncode == 0 and "shipment confirmation" in shown.stdout
    assert "refused" in shown.stdout and "交易已关闭" in shown.stdout
    refused = packline(home, "shipments", "retry", str(row["id"]), central_url=url,
                       as_user="packer01")
    assert refused.returncode != 0 and "exceptions.resolve" in refused.stderr
    retried = packline(home, "shipments", "retry", str(row["id"]), central_url=url,
                       as_user="lead01")
    assert retried.returncode == 0, retried.stderr
    assert json.loads(retried.stdout)["status"] == "pending"
    assert _rows(gui_db)[0][2] == "pending"
