"""A shipment confirmation is never lost for a parcel that left, and never sent for one that
did not, on SQLite and PostgreSQL against the fake Taobao gateway: a refund after the truck
left changes nothing and the platform is told; a parcel intercepted after its scan is kept
off the truck at the close; a confirmation the platform took while its waybill was being
given back is kept as sent and raised for the lead; the shops take turns by their oldest
due confirmation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from app.platforms.base import PlatformError, PlatformErrorKind, Shipment
from app.services import channel_events, exceptions, handover, shipments, shops, waybill_issue
from app.store.db import Database
from app.store.models import (
    AuditEntry,
    Carrier,
    Order,
    OrderException,
    Package,
    ShipmentConfirmation,
    Shop,
    Warehouse,
    WaybillCancellation,
)
from tests.helpers.fake_platform import APP_KEY, APP_SECRET, SESSION, FakePlatform
from tests.helpers.packing import actor
from tests.helpers.platform_orders import ADMIN, SHOP, platform_orders


def _packed(db: Database, top: FakePlatform, wanted: int = 1, *,
            confirm_on: str = "handover") -> list[tuple[str, str]]:
    """Picked platform orders with their Cainiao waybill, packed: (order, tracking number);
    a shop confirming at packing has their confirmations queued (as the pushed confirm)."""
    out = []
    for no in platform_orders(db, top, wanted, confirm_on=confirm_on):
        number = waybill_issue.issue(db, actor(db, "packer01"), no, 1).tracking_no
        with db.unit_of_work() as s:
            order = s.scalars(select(Order).where(Order.order_no == no)).one()
            s.execute(update(Package).where(Package.order_id == order.id)
                      .values(status="packed"))
            order.status = "packed"
            shipments.queue(s, [order.id], "packed")
        out.append((no, number))
    return out


def _scan(db: Database, numbers: list[str]) -> str:
    dock = actor(db, "packer01")
    with db.reader() as s:
        carrier, wh = s.execute(select(Carrier.code, Warehouse.code)
                                .join(Package, Package.carrier_id == Carrier.id)
                                .join(Order, Order.id == Package.order_id)
                                .join(Warehouse, Warehouse.id == Order.warehouse_id)
                                .where(Package.tracking_no == numbers[0])).one()
    handover_no = handover.open_handover(db, dock, wh, carrier).handover_no
    for tn in numbers:
        handover.scan_parcel(db, dock, handover_no, tn)
    return handover_no


def _channel_no(db: Database, no: str) -> str:
    with db.reader() as s:
        return str(s.scalar(select(Order.channel_order_no).where(Order.order_no == no)))


def _refund(db: Database, no: str) -> channel_events.EventResult:
    with db.reader() as s:
        channel, number = s.execute(select(Order.channel, Order.channel_order_no).where(
            Order.order_no == no)).one()
    return channel_events.apply_event(db, ADMIN, channel, number, "refund_requested", "r-1")


def _row(db: Database, tracking_no: str) -> ShipmentConfirmation:
    with db.reader() as s:
        row = s.scalars(select(ShipmentConfirmation).where(
            ShipmentConfirmation.tracking_no == tracking_no)).one()
        s.expunge(row)
        return row


@pytest.mark.parametrize("confirm_on", ["handover", "packed"])
def test_a_refund_after_the_truck_left_stops_nothing_and_the_platform_is_told(
        db: Database, top: FakePlatform, confirm_on: str) -> None:
    ((no, number),) = _packed(db, top, confirm_on=confirm_on)
    handover.close(db, actor(db, "packer01"), _scan(db, [number]))
    channel_no = _channel_no(db, no)
    result = _refund(db, no)
    assert result.applied and result.effect == "nothing to stop (shipped)"
    with db.reader() as s:
        order = s.scalars(select(Order).where(Order.order_no == no)).one()
        assert (order.status, order.intercept) == ("shipped", None)
        assert s.scalar(select(AuditEntry.detail).where(
            AuditEntry.action == "channel.refund_requested", AuditEntry.entity_id == no)) \
            == {"key": "r-1", "effect": "nothing to stop (shipped)"}
        assert s.scalar(select(WaybillCancellation.id)) is None
    assert _row(db, number).status == "pending"
    report = shipments.send_due(db, actor(db, "lead01"))
    assert (report.sent, report.withdrawn) == (1, 0)
    assert [(x["order"], x["tracking_no"]) for x in top.shipments()] == [(channel_no, number)]
    assert _row(db, number).status == "sent"


def test_a_shipped_parcel_is_confirmed_even_if_its_order_reads_intercepted(
        db: Database, top: FakePlatform) -> None:
    """An intercept written on a shipped order (before this rule, or by hand) withdraws
    nothing: the parcel left, the platform is told."""
    ((no, number),) = _packed(db, top)
    handover.close(db, actor(db, "packer01"), _scan(db, [number]))
    with db.unit_of_work() as s:
        s.execute(update(Order).where(Order.order_no == no)
                  .values(intercept="refund_requested"))
        order = s.scalars(select(Order).where(Order.order_no == no)).one()
        assert waybill_issue.withdraw_confirmations(s, ADMIN, order, [number], "test") == 0
    assert shipments.send_due(db, actor(db, "lead01")).sent == 1
    assert len(top.shipments()) == 1 and _row(db, number).status == "sent"


def test_a_parcel_intercepted_after_its_scan_is_kept_off_the_truck_at_the_close(
        db: Database, top: FakePlatform) -> None:
    (stop_no, stop_tn), (go_no, go_tn) = _packed(db, top, 2, confirm_on="packed")
    handover_no = _scan(db, [stop_tn, go_tn])
    _refund(db, stop_no)
    dock, lead = actor(db, "packer01"), actor(db, "lead01")
    # Not sent while the parcel is at the dock, its order intercepted.
    assert shipments.send_due(db, lead).sent == 1
    assert [x["tracking_no"] for x in top.shipments()] == [go_tn]
    assert _row(db, stop_tn).status == "withdrawn"
    with pytest.raises(handover.InterceptedAtDock) as refused:
        handover.close(db, dock, handover_no)
    assert refused.value.code == "handover.intercepted_at_close"
    assert (refused.value.params["parcels"], refused.value.params["orders"]) \
        == (stop_tn, stop_no)
    from app.ui.messages import describe

    assert stop_tn in describe(refused.value) and stop_no in describe(refused.value)
    with db.reader() as s:
        order = s.scalars(select(Order).where(Order.order_no == stop_no)).one()
        assert (order.status, order.exception) == ("exception", "intercepted_after_pack")
        assert s.scalar(select(Package.handover_id).where(Package.tracking_no == stop_tn)) \
            is None
        assert s.scalar(select(WaybillCancellation.tracking_no)) == stop_tn
        assert s.scalar(select(AuditEntry.actor).where(
            AuditEntry.action == "handover.parcel_removed",
            AuditEntry.before == stop_tn)) == "packer01"
        assert s.scalar(select(Order.status).where(Order.order_no == go_no)) == "packed"
    assert any(i.order_no == stop_no for i in exceptions.queue(db, lead))
    manifest = handover.close(db, dock, handover_no)  # the rest leaves
    assert [p.tracking_no for p in manifest.parcels] == [go_tn]
    with db.reader() as s:
        assert s.scalar(select(Order.status).where(Order.order_no == go_no)) == "shipped"
        assert s.scalar(select(Order.status).where(Order.order_no == stop_no)) == "exception"
    assert shipments.send_due(db, lead).sent == 0
    assert _row(db, stop_tn).status == "withdrawn" and len(top.shipments()) == 1


def _claimed_then_given_back(db: Database, top: FakePlatform) -> tuple[str, str, int,
                                                                       datetime]:
    """A confirmation claimed by a pass (`sending`), then the order's refund gives its
    waybill back before the send's outcome is known."""
    ((no, number),) = _packed(db, top, confirm_on="packed")
    t0 = datetime.now(UTC)
    with db.unit_of_work() as s:
        (cid,) = waybill_issue._claim(s, ShipmentConfirmation, t0, 10, shipments.STUCK_AFTER)
    _refund(db, no)
    row = _row(db, number)
    assert row.status == "sending", "a row being sent is left to its outcome"
    with db.reader() as s:
        assert s.scalar(select(WaybillCancellation.tracking_no)) == number
    return no, number, cid, t0


def test_a_confirmation_taken_while_its_waybill_was_given_back_is_sent_and_raised(
        db: Database, top: FakePlatform) -> None:
    no, number, cid, t0 = _claimed_then_given_back(db, top)
    lead = actor(db, "lead01")
    channel_no = _channel_no(db, no)
    adapter = shipments.platform_adapter(db, SHOP)
    adapter.confirm_shipment(Shipment(f"{channel_no}:{number}", channel_no, (), "ZTO",
                                      number))  # the pass's send, taken by the platform
    assert len(top.shipments(channel_no)) == 1
    report = shipments.SendReport()
    with db.reader() as s:
        shop_id = s.scalar(select(Shop.id).where(Shop.code == SHOP))
    assert shop_id is not None
    shipments._settle(db, lead, cid, (0, t0), None, shipments.shop_rate(5.0), shop_id,
                      report)
    assert report.sent == 1
    assert _row(db, number).status == "sent"
    with db.reader() as s:
        order_id = s.scalar(select(Order.id).where(Order.order_no == no))
        detail = s.scalar(select(OrderException.detail).where(
            OrderException.order_id == order_id,
            OrderException.category == shipments.REFUSED_CATEGORY,
            OrderException.resolved_at.is_(None)))
        assert detail is not None and "shipments.sent_given_back" in detail
        assert s.scalar(select(AuditEntry.actor).where(
            AuditEntry.action == "shipment.sent_given_back",
            AuditEntry.entity_id == no)) == "lead01"
    assert any(i.order_no == no for i in exceptions.queue(db, lead))


def test_a_confirmation_not_taken_while_its_waybill_was_given_back_is_withdrawn(
        db: Database, top: FakePlatform) -> None:
    no, number, cid, t0 = _claimed_then_given_back(db, top)
    lead = actor(db, "lead01")
    report = shipments.SendReport()
    shipments._settle(db, lead, cid, (0, t0), PlatformError(PlatformErrorKind.ERROR, "busy"),
                      shipments.shop_rate(5.0), 1, report)
    assert (report.withdrawn, report.retried) == (1, 0)
    assert _row(db, number).status == "withdrawn"
    assert shipments.send_due(db, lead).sent == 0 and top.shipments() == []
    with db.reader() as s:
        assert s.scalar(select(AuditEntry.before).where(
            AuditEntry.action == "shipment.withdrawn", AuditEntry.entity_id == no)) \
            == "sending"


def test_the_shops_take_turns_by_their_oldest_due_confirmation(
        db: Database, top: FakePlatform, monkeypatch: pytest.MonkeyPatch) -> None:
    ((no, number),) = _packed(db, top)
    with db.unit_of_work() as s:
        s.execute(update(Package).where(Package.tracking_no == number)
                  .values(status="handed_over"))
        order = s.scalars(select(Order).where(Order.order_no == no)).one()
        first = s.scalar(select(Shop.id).where(Shop.code == SHOP))
    assert first is not None
    others = []
    for code in ("TB2", "TB3"):  # shops added later: higher ids
        monkeypatch.setenv(f"PACKLINE_SHOP_SECRET_{code}", APP_SECRET)
        monkeypatch.setenv(f"PACKLINE_SHOP_SESSION_{code}", SESSION)
        shops.set_shop(db, ADMIN, code, channel="taobao", name=f"店铺{code}", api_url=top.url,
                       app_key=APP_KEY, waybill_providers={"*": "cainiao"})
        with db.reader() as s:
            shop_id = s.scalar(select(Shop.id).where(Shop.code == code))
        assert shop_id is not None and shop_id > first
        others.append(shop_id)
    now = datetime.now(UTC)
    due = [(first, f"A-{n}", now - timedelta(minutes=1)) for n in range(6)]
    due += [(others[0], "B-0", now - timedelta(minutes=10)),
            (others[1], "C-0", now - timedelta(minutes=5))]
    with db.unit_of_work() as s:
        for shop_id, channel_no, at in due:
            top.add_order(channel_no)
            s.add(ShipmentConfirmation(
                order_id=order.id, shop_id=shop_id, channel="taobao",
                channel_order_no=channel_no, carrier_code="ZTO", tracking_no=number,
                status="pending", attempts=0, next_at=at, last_error="", created_at=at))
    lead = actor(db, "lead01")
    report = shipments.send_due(db, lead, limit=2, per_second=50.0)
    assert report.sent == 2
    assert [x["order"] for x in top.shipments()] == ["B-0", "C-0"]
    shipments.send_due(db, lead, limit=2, per_second=50.0)
    assert [x["order"] for x in top.shipments()][2:] == ["A-0", "A-1"]
