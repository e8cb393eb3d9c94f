"""A platform waybill's life beyond the straight road, on SQLite and PostgreSQL against the
fake Taobao gateway (Cainiao): given back when the receiver, carrier or warehouse changes and
a fresh one issued; given back when the order is cancelled or intercepted before packing;
confirmations withdrawn with it; fetched ahead without starving on orders that cannot get
one; a station that never calls the platform; outbox claims that a stale pass cannot
settle; one shipment confirmation per platform order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select, update

from app.platforms.base import PlatformError, PlatformErrorKind
from app.services import (
    channel_events,
    engine,
    exceptions,
    intake,
    orders,
    shipments,
    shops,
    waybill_issue,
)
from app.services.central_link import DatabaseLink
from app.services.errors import InvalidInput, ServiceError
from app.store.db import Database
from app.store.models import (
    AuditEntry,
    Carrier,
    Order,
    OrderException,
    Package,
    ShipmentConfirmation,
    Shop,
    StationWaybillRequest,
    WaybillCancellation,
    WaybillWait,
)
from tests.helpers.fake_platform import FakePlatform
from tests.helpers.orders import ENGINE_NOW, drafts, order_record, sku_in_every_warehouse
from tests.helpers.packing import actor
from tests.helpers.platform_orders import ADMIN, SHOP, connect_shop, platform_orders, seed_on_fake

NEW_RECEIVER = {"name": "李四", "phone": "13900139000", "province": "浙江省", "city": "杭州市",
                "district": "滨江区", "address": "江南大道100号"}


def _routed_platform_order(db: Database, top: FakePlatform, number: str) -> str:
    """A Taobao order routed (not yet in a wave), its shop connected to the fake."""
    engine.run_once(db, ADMIN, now=ENGINE_NOW)
    intake.ingest(db, ADMIN, drafts(order_record(number, sku=sku_in_every_warehouse(db))))
    engine.run_once(db, ADMIN, now=ENGINE_NOW)
    with db.reader() as s:
        no, status = s.execute(select(Order.order_no, Order.status).where(
            Order.channel_order_no == number)).one()
    assert status == "routed"
    connect_shop(db, top, no)
    seed_on_fake(db, top, no)
    return str(no)


def _box(db: Database, no: str, box: int = 1) -> Package:
    with db.reader() as s:
        p = s.scalars(select(Package).join(Order, Order.id == Package.order_id).where(
            Order.order_no == no, Package.box_no == box)).one()
        s.expunge(p)
        return p


def _given_back(db: Database) -> list[tuple[str, str]]:
    with db.reader() as s:
        return [tuple(r) for r in s.execute(select(
            WaybillCancellation.tracking_no, WaybillCancellation.status)
            .order_by(WaybillCancellation.id))]


def test_a_changed_receiver_gives_back_the_waybill_fetched_ahead(
        db: Database, top: FakePlatform) -> None:
    no = _routed_platform_order(db, top, "TB-ADDR-1")
    packer, lead = actor(db, "packer01"), actor(db, "lead01")
    old = waybill_issue.issue(db, packer, no, 1)  # fetched ahead for receiver A
    result = channel_events.apply_event(db, ADMIN, "taobao", "TB-ADDR-1", "address_changed",
                                        "a-1", {"receiver": NEW_RECEIVER})
    assert "routing again" in result.effect
    box = _box(db, no)
    assert (box.tracking_no, box.print_data, box.status) == (None, None, "open")
    assert _given_back(db) == [(old.tracking_no, "pending")]
    with db.reader() as s:
        assert s.scalar(select(AuditEntry.detail).where(
            AuditEntry.action == "package.tracking", AuditEntry.before == old.tracking_no)) \
            == {"box": 1, "given_back": "address_changed"}
    engine.run_once(db, ADMIN, now=ENGINE_NOW)  # routed again
    assert waybill_issue.prefetch(db, lead, limit=500).issued >= 1
    fresh = _box(db, no)
    assert fresh.tracking_no and fresh.tracking_no != old.tracking_no
    (issued,) = [w for w in top.waybills.values() if w["waybill_code"] == fresh.tracking_no]
    assert issued["object_id"] == f"{no}~2:1", "a new request id: not the old number again"
    assert issued["recipient"] != top.waybill(f"{no}:1")["recipient"]
    assert waybill_issue.cancel_due(db, lead).done == 1
    assert top.waybill(f"{no}:1")["cancelled"] and not issued["cancelled"]
    assert _box(db, no).waybill_cancelled_at is None, "the fresh waybill is not the cancelled one"


def test_a_waybill_for_another_carrier_or_receiver_is_never_handed_out(
        db: Database, top: FakePlatform) -> None:
    no = _routed_platform_order(db, top, "TB-ROUTE-1")
    packer, lead = actor(db, "packer01"), actor(db, "lead01")
    first = waybill_issue.issue(db, packer, no, 1)
    with db.unit_of_work() as s:  # routed again, to another carrier
        order = s.scalars(select(Order).where(Order.order_no == no)).one()
        other = s.scalars(select(Carrier).where(Carrier.id != order.carrier_id,
                                                Carrier.code.in_(["YTO", "STO", "SF"]))).first()
        assert other is not None
        order.carrier_id = other.id
    with db.reader() as s:
        order_id = s.scalar(select(Order.id).where(Order.order_no == no))
        assert waybill_issue.held_waybills(s, [order_id]) == {}, "the stale one is not held"
    assert waybill_issue.prefetch(db, lead, limit=500).issued >= 1
    second = _box(db, no)
    assert second.tracking_no != first.tracking_no
    assert second.waybill_for is not None and second.waybill_for.startswith(f"{other.code}:")
    assert _given_back(db) == [(first.tracking_no, "pending")]
    # The receiver changed behind Packline's back (a file import, a hand edit): still never
    # handed out — the station's ask gets it fetched afresh.
    with db.unit_of_work() as s:
        s.execute(update(Order).where(Order.order_no == no).values(receiver_oaid="OAID-NEW"))
    with pytest.raises(ServiceError) as asked:
        DatabaseLink(db).waybill(packer, "PACK-01", no, 1)
    assert asked.value.code == "waybill.fetching"
    assert waybill_issue.serve_requests(db, lead).issued == 1
    third = DatabaseLink(db).waybill(packer, "PACK-01", no, 1)
    assert third.tracking_no not in (first.tracking_no, second.tracking_no)
    assert [n for n, _s in _given_back(db)] == [first.tracking_no, second.tracking_no]


@pytest.mark.parametrize("how", ["channel_cancel", "lead_cancel", "refund_after_picking"])
def test_a_waybill_fetched_ahead_is_given_back_when_the_order_stops_before_packing(
        db: Database, top: FakePlatform, how: str) -> None:
    lead = actor(db, "lead01")
    if how == "refund_after_picking":
        (no,) = platform_orders(db, top)
    else:
        no = _routed_platform_order(db, top, "TB-STOP-1")
    held = waybill_issue.issue(db, actor(db, "packer01"), no, 1)
    with db.reader() as s:
        channel, number = s.execute(select(Order.channel, Order.channel_order_no).where(
            Order.order_no == no)).one()
    if how == "channel_cancel":
        channel_events.apply_event(db, ADMIN, channel, number, "cancelled", "c-1")
    elif how == "lead_cancel":
        orders.change_status(db, lead, no, "cancelled", "buyer asked")
    else:
        effect = channel_events.apply_event(db, ADMIN, channel, number, "refund_requested",
                                            "r-1").effect
        assert "waybill to cancel" in effect
    assert _given_back(db) == [(held.tracking_no, "pending")]
    assert waybill_issue.cancel_due(db, lead).done == 1
    assert top.waybill(f"{no}:1")["cancelled"]


def _packed_and_queued(db: Database, top: FakePlatform) -> tuple[str, str]:
    """A picked order of a shop confirming at packing, its parcel packed: its confirmation
    queued (as the pushed confirm queues it)."""
    (no,) = platform_orders(db, top, confirm_on="packed")
    number = waybill_issue.issue(db, actor(db, "packer01"), no, 1).tracking_no
    with db.unit_of_work() as s:
        order = s.scalars(select(Order).where(Order.order_no == no)).one()
        s.execute(update(Package).where(Package.order_id == order.id).values(status="packed"))
        order.status = "packed"
        assert shipments.queue(s, [order.id], "packed") == 1
    return no, number


def test_an_intercepted_parcel_is_never_confirmed(db: Database, top: FakePlatform) -> None:
    no, number = _packed_and_queued(db, top)
    with db.reader() as s:
        channel, channel_no = s.execute(select(Order.channel, Order.channel_order_no).where(
            Order.order_no == no)).one()
    channel_events.apply_event(db, ADMIN, channel, channel_no, "refund_requested", "r-1")
    lead = actor(db, "lead01")
    with db.reader() as s:
        row = s.scalars(select(ShipmentConfirmation)).one()
        assert (row.status, row.tracking_no) == ("withdrawn", number)
        assert s.scalar(select(AuditEntry.after).where(
            AuditEntry.action == "shipment.withdrawn", AuditEntry.entity_id == no)) \
            == "withdrawn"
    with db.unit_of_work() as s:  # even a row left pending is not sent for it
        s.execute(update(ShipmentConfirmation).values(status="pending"))
    report = shipments.send_due(db, lead)
    assert report.sent == 0 and top.shipments() == []
    with db.reader() as s:
        assert s.scalar(select(ShipmentConfirmation.status)) == "withdrawn"


def test_prefetch_skips_pool_orders_and_waits_after_a_refusal(
        db: Database, top: FakePlatform) -> None:
    picked = platform_orders(db, top, 3)
    lead = actor(db, "lead01")
    with db.reader() as s:
        first_carrier = s.scalar(select(Carrier.code).join(Order, Order.carrier_id == Carrier.id)
                                 .where(Order.order_no == picked[0]))
    # Only that carrier's parcels are Cainiao's; the rest of the shop's are the pool's.
    shops.set_shop(db, ADMIN, SHOP, waybill_providers={first_carrier: "cainiao", "*": "pool"})
    with db.unit_of_work() as s:
        chosen = waybill_issue._prefetch_candidates(s, 500, datetime.now(UTC))
        carriers = set(s.scalars(select(Carrier.code).join(Order).where(Order.id.in_(chosen))))
    assert chosen and carriers == {first_carrier}
    # A provider without a client (written around the settings' check): no candidates.
    with db.unit_of_work() as s:
        s.execute(update(Shop).where(Shop.code == SHOP).values(waybill_providers={"*": "douyin"}))
        assert waybill_issue._prefetch_candidates(s, 500, datetime.now(UTC)) == []
    # Refused (wrong app key): a wait and an exception for the lead, not a hint for packers.
    with db.unit_of_work() as s:
        s.execute(update(Shop).where(Shop.code == SHOP).values(
            waybill_providers={"*": "cainiao"}, app_key="not-the-key"))
    failed = waybill_issue.prefetch(db, lead, limit=1)
    assert failed.failed == 1
    with db.reader() as s:
        (order_id,) = s.scalars(select(Order.id).where(Order.id.in_(
            select(OrderException.order_id).where(
                OrderException.category == "waybill_refused",
                OrderException.resolved_at.is_(None))))).all()
        no = s.scalar(select(Order.order_no).where(Order.id == order_id))
    assert any(i.order_no == no for i in exceptions.queue(db, lead, category="waybill_refused"))
    again = waybill_issue.prefetch(db, lead, limit=1)
    assert f"{no}:" not in " ".join(again.errors), "the refused order waits"
    with pytest.raises(ServiceError) as told:
        DatabaseLink(db).waybill(actor(db, "packer01"), "PACK-01", no, 1)
    assert told.value.code == "waybill.refused_for_lead"
    with db.reader() as s:
        assert s.scalar(select(StationWaybillRequest.id)) is None


def test_a_stale_claim_never_settles_a_row_another_pass_took_over(
        db: Database, top: FakePlatform) -> None:
    _no, _number = _packed_and_queued(db, top)
    lead = actor(db, "lead01")
    t0 = datetime.now(UTC)
    with db.unit_of_work() as s:
        (cid,) = waybill_issue._claim(s, ShipmentConfirmation, t0, 10,
                                      shipments.STUCK_AFTER)
    later = t0 + shipments.STUCK_AFTER + timedelta(seconds=1)
    with db.unit_of_work() as s:  # another engine takes it up as stuck
        assert waybill_issue._claim(s, ShipmentConfirmation, later, 10,
                                    shipments.STUCK_AFTER) == [cid]
    report = shipments.SendReport()
    shipments._settle(db, lead, cid, (0, t0), PlatformError(PlatformErrorKind.ERROR, "late"),
                      shipments.shop_rate(5.0), 1, report)
    with db.reader() as s:
        row = s.get_one(ShipmentConfirmation, cid)
        assert (row.status, row.attempts, row.last_error) == ("sending", 0, "")
    shipments._settle(db, lead, cid, (0, later), None, shipments.shop_rate(5.0), 1, report)
    with db.reader() as s:
        assert s.get_one(ShipmentConfirmation, cid).status == "sent"


def test_a_pass_claims_only_what_it_sends_at_the_shops_rate(
        db: Database, top: FakePlatform) -> None:
    no, number = _packed_and_queued(db, top)
    now = datetime.now(UTC)
    with db.unit_of_work() as s:
        row = s.scalars(select(ShipmentConfirmation)).one()
        for n in range(30):
            s.add(ShipmentConfirmation(
                order_id=row.order_id, shop_id=row.shop_id, channel=row.channel,
                channel_order_no=f"NOT-ON-FAKE-{n}", carrier_code=row.carrier_code,
                tracking_no=f"{number}{n}", status="pending", attempts=0, next_at=now,
                last_error="", created_at=now))
    report = shipments.send_due(db, actor(db, "lead01"), per_second=2.0)
    touched = report.sent + report.retried + report.refused + report.deferred
    assert touched <= int(2.0 * shipments.CLAIM_SECONDS), report
    with db.reader() as s:
        assert s.scalar(select(ShipmentConfirmation.id).where(
            ShipmentConfirmation.status == "sending")) is None


def test_one_confirmation_per_platform_order_and_already_shipped_said(
        db: Database, top: FakePlatform) -> None:
    (no,) = platform_orders(db, top)
    packer = actor(db, "packer01")
    one = waybill_issue.issue(db, packer, no, 1).tracking_no
    two = waybill_issue.issue(db, packer, no, 2).tracking_no
    with db.unit_of_work() as s:
        order = s.scalars(select(Order).where(Order.order_no == no)).one()
        s.execute(update(Package).where(Package.order_id == order.id).values(status="packed"))
        assert shipments.queue(s, [order.id], "handover") == 1
        row = s.scalars(select(ShipmentConfirmation)).one()
        assert row.tracking_no == one
        # A second number of the same order queued before this rule (or by hand).
        s.add(ShipmentConfirmation(
            order_id=order.id, shop_id=row.shop_id, channel=row.channel,
            channel_order_no=row.channel_order_no, carrier_code=row.carrier_code,
            tracking_no=two, status="pending", attempts=0,
            next_at=datetime.now(UTC) + timedelta(seconds=30), last_error="",
            created_at=datetime.now(UTC)))
    lead = actor(db, "lead01")
    assert shipments.send_due(db, lead).sent == 1
    with db.unit_of_work() as s:
        s.execute(update(ShipmentConfirmation).where(ShipmentConfirmation.tracking_no == two)
                  .values(next_at=datetime.now(UTC)))
    assert shipments.send_due(db, lead).sent == 1
    assert len(top.shipments()) == 1
    with db.reader() as s:
        error = s.scalar(select(ShipmentConfirmation.last_error).where(
            ShipmentConfirmation.tracking_no == two))
    assert error == f"already shipped at the platform under {one}: {two} was not told to it"


def test_a_shop_naming_a_provider_packline_cannot_ask_is_refused(
        db: Database, top: FakePlatform) -> None:
    platform_orders(db, top)
    with db.reader() as s:
        before = s.scalar(select(Shop.waybill_providers).where(Shop.code == SHOP))
    with pytest.raises(InvalidInput) as refused:
        shops.set_shop(db, ADMIN, SHOP, waybill_providers={"*": "douyin"})
    assert refused.value.code == "shop.provider_not_served"
    assert refused.value.params["provider"] == "douyin"
    with pytest.raises(InvalidInput) as connected:
        shops.set_shop(db, ADMIN, "DY1", channel="douyin", name="抖音小店",
                       api_url=top.url, app_key="k")
    assert connected.value.code == "shop.provider_not_served"
    with db.reader() as s:
        assert s.scalar(select(Shop.waybill_providers).where(Shop.code == SHOP)) == before
        assert s.scalar(select(Shop.id).where(Shop.code == "DY1")) is None


def test_a_waybill_issued_while_the_receiver_changed_is_given_back_not_printed(
        central: Database, top: FakePlatform) -> None:
    """The receiver changes while the engine waits on the platform: the number that comes
    back (issued for the old receiver) is never stored; it is given back, and the box's next
    ask uses a new request id, so the fresh number is for the new receiver."""
    db = central
    no = _routed_platform_order(db, top, "TB-RACE-1")
    lead = actor(db, "lead01")
    changed: list[str] = []

    def change_the_receiver(method: str, _form: object) -> None:
        if method == "cainiao.waybill.ii.get" and not changed:
            changed.append(channel_events.apply_event(
                db, ADMIN, "taobao", "TB-RACE-1", "address_changed", "a-race",
                {"receiver": NEW_RECEIVER}).effect)

    top.before_answer = change_the_receiver
    busy = waybill_issue.prefetch(db, lead, limit=500)
    top.before_answer = None
    assert changed and busy.failed == 1 and "changed while its waybill was fetched" \
        in " ".join(busy.errors)
    orphan = top.waybill(f"{no}:1")
    assert orphan["recipient"]["name"] != NEW_RECEIVER["name"]
    assert _box(db, no).tracking_no is None, "the old receiver's number is not stored"
    assert _given_back(db) == [(orphan["waybill_code"], "pending")]
    engine.run_once(db, ADMIN, now=ENGINE_NOW)  # routed again
    with db.unit_of_work() as s:  # its back-off over
        s.execute(delete(WaybillWait))
    assert waybill_issue.prefetch(db, lead, limit=500).issued >= 1
    fresh = _box(db, no)
    assert fresh.tracking_no and fresh.tracking_no != orphan["waybill_code"]
    (issued,) = [w for w in top.waybills.values() if w["waybill_code"] == fresh.tracking_no]
    assert issued["object_id"] == f"{no}~2:1"
    assert issued["recipient"]["name"] == NEW_RECEIVER["name"]
    assert waybill_issue.cancel_due(db, lead).done == 1
    assert orphan["cancelled"] and not issued["cancelled"]
    with db.reader() as s:
        assert s.scalar(select(AuditEntry.before).where(
            AuditEntry.action == "waybill.orphaned")) == orphan["waybill_code"]


def test_a_lead_has_a_refused_waybill_asked_for_again(db: Database, top: FakePlatform) -> None:
    """The platform refused box 1 (a wrong app key): the lead fixes the shop and retries from
    the exception queue; the engine asks again and the station gets the waybill. A station's
    ask after the refusal's wait is over is asked for again too."""
    no = _routed_platform_order(db, top, "TB-REFUSED-1")
    lead, packer = actor(db, "lead01"), actor(db, "packer01")
    with db.unit_of_work() as s:
        right_key = s.scalar(select(Shop.app_key).where(Shop.code == SHOP))
        s.execute(update(Shop).where(Shop.code == SHOP).values(app_key="not-the-key"))
    assert waybill_issue.prefetch(db, lead, limit=500).failed == 1
    (item,) = [i for i in exceptions.queue(db, lead, category="waybill_refused")
               if i.order_no == no]
    assert item.actions == ("retry_waybill",)
    with pytest.raises(ServiceError) as wrong:  # nothing else to do with it
        exceptions.resolve(db, lead, no, "approve")
    assert wrong.value.code == "exceptions.not_queued"
    with db.unit_of_work() as s:  # the lead sets the shop's key right
        s.execute(update(Shop).where(Shop.code == SHOP).values(app_key=right_key))
    assert exceptions.resolve(db, lead, no, "retry_waybill", "key fixed") == "routed"
    with db.reader() as s:
        assert s.scalar(select(WaybillWait.order_id)) is None
        assert s.scalar(select(StationWaybillRequest.requested_by)) == lead.user_id
        assert s.scalar(select(AuditEntry.detail).where(
            AuditEntry.action == "waybill.retried", AuditEntry.entity_id == no)) \
            == {"boxes": [1], "note": "key fixed"}
        assert s.scalar(select(AuditEntry.user_id).where(
            AuditEntry.action == "waybill.retried")) == lead.user_id
    assert exceptions.queue(db, lead, category="waybill_refused") == []
    with pytest.raises(ServiceError) as again:  # resolved: nothing left to retry
        exceptions.resolve(db, lead, no, "retry_waybill")
    assert again.value.code == "exceptions.not_queued"
    assert waybill_issue.serve_requests(db, lead).issued == 1
    assert DatabaseLink(db).waybill(packer, "PACK-01", no, 1).tracking_no
    # Box 2 refused, its wait over: the station's ask is recorded again, not refused.
    with db.unit_of_work() as s:
        order_id = s.scalar(select(Order.id).where(Order.order_no == no))
        s.add(Package(order_id=order_id, box_no=2, status="open"))
        s.add(WaybillWait(order_id=order_id, box_no=2, attempts=1, refused=True,
                          last_error="refused", next_at=datetime.now(UTC) - timedelta(1)))
    with pytest.raises(ServiceError) as asked:
        DatabaseLink(db).waybill(packer, "PACK-01", no, 2)
    assert asked.value.code == "waybill.fetching"
    assert waybill_issue.serve_requests(db, lead).issued == 1
    assert DatabaseLink(db).waybill(packer, "PACK-01", no, 2).box_no == 2


def test_an_order_routed_again_to_a_pool_carrier_gives_its_waybill_back_in_the_engine(
        db: Database, top: FakePlatform) -> None:
    """Box 1 holds a Cainiao waybill; the order is routed again to a carrier the shop draws
    from its own pool: the engine's routing gives the platform waybill back, the station
    then gets a pool number (never the platform's, and never giving anything back itself),
    and a label drawn by Packline never carries the platform's number."""
    no = _routed_platform_order(db, top, "TB-REPOOL-1")
    lead, packer = actor(db, "lead01"), actor(db, "packer01")
    held = waybill_issue.issue(db, packer, no, 1)
    with db.unit_of_work() as s:
        old = s.scalar(select(Carrier.code).join(Order, Order.carrier_id == Carrier.id)
                       .where(Order.order_no == no))
        s.execute(update(Carrier).where(Carrier.code == old).values(active=False))
    shops.set_shop(db, ADMIN, SHOP, waybill_providers={old: "cainiao", "*": "pool"})
    orders.change_status(db, lead, no, "pending_review", "route again")
    engine.run_once(db, ADMIN, now=ENGINE_NOW)
    box = _box(db, no)
    with db.reader() as s:
        status, now_carrier = s.execute(select(Order.status, Carrier.code).join(
            Carrier, Carrier.id == Order.carrier_id).where(Order.order_no == no)).one()
    assert status == "routed" and now_carrier != old
    assert (box.tracking_no, box.status) == (None, "open")
    assert _given_back(db) == [(held.tracking_no, "pending")]
    with db.reader() as s:
        assert s.scalar(select(AuditEntry.detail).where(
            AuditEntry.action == "package.tracking", AuditEntry.before == held.tracking_no)) \
            == {"box": 1, "given_back": "routed_again"}
    got = DatabaseLink(db).waybill(packer, "PACK-01", no, 1)
    assert got.provider == "pool" and got.tracking_no != held.tracking_no
    assert waybill_issue.cancel_due(db, lead).done == 1
    assert top.waybill(f"{no}:1")["cancelled"]


def test_a_stale_platform_waybill_is_never_drawn_on_a_label_nor_given_back_by_a_station(
        db: Database, top: FakePlatform) -> None:
    """The order's carrier changed behind the engine's back (a hand edit) to one of the pool:
    the label drawn by Packline is refused in words, the station's ask is left to the engine
    (which gives the stale waybill back and draws a pool number)."""
    from app.services import waybills

    no = _routed_platform_order(db, top, "TB-REPOOL-2")
    lead, packer = actor(db, "lead01"), actor(db, "packer01")
    held = waybill_issue.issue(db, packer, no, 1)
    with db.unit_of_work() as s:
        order = s.scalars(select(Order).where(Order.order_no == no)).one()
        old = s.scalar(select(Carrier.code).where(Carrier.id == order.carrier_id))
        other = s.scalars(select(Carrier).where(Carrier.id != order.carrier_id,
                                                Carrier.code.in_(["YTO", "STO", "SF"]))).first()
        assert other is not None
        order.carrier_id = other.id
    shops.set_shop(db, ADMIN, SHOP, waybill_providers={old: "cainiao", "*": "pool"})
    with pytest.raises(ServiceError) as refused:
        waybills.waybill_for(db, packer, no, box=1, reason="reprint")
    assert refused.value.code == "waybill.stale_platform_waybill"
    assert refused.value.params["tracking_no"] == held.tracking_no
    with pytest.raises(ServiceError) as asked:
        DatabaseLink(db).waybill(packer, "PACK-01", no, 1)
    assert asked.value.code == "waybill.fetching"
    assert _given_back(db) == [], "a station gives nothing back"
    assert _box(db, no).tracking_no == held.tracking_no
    served = waybill_issue.serve_requests(db, lead)  # given back; the pool's is the station's
    assert (served.issued, served.for_the_pool, served.failed) == (0, 1, 0)
    got = DatabaseLink(db).waybill(packer, "PACK-01", no, 1)
    assert got.provider == "pool" and got.tracking_no != held.tracking_no
    assert _given_back(db) == [(held.tracking_no, "pending")]
    doc = waybills.waybill_for(db, packer, no, box=1, reason="torn")
    assert doc.tracking_no == got.tracking_no
