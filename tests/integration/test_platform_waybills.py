"""Platform e-waybills against the fake Taobao gateway (Cainiao), on SQLite and PostgreSQL: a
box's waybill issued once (asked again or by two stations at once: one number), fetched ahead
by the engine, a station without it waiting for the network and printing it through the
Cainiao component once it has it, a station holding it packing offline, and an intercepted
parcel's waybill cancelled at the provider through the engine's outbox."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from app.services import channel_events, waybill_issue
from app.services.central_link import DatabaseLink
from app.services.errors import Conflict, ServiceError
from app.station import outbox
from app.station.models import OutboxEvent, PrintJob
from app.station.packing import PackingBench
from app.store.db import Database
from app.store.models import (
    AuditEntry,
    Order,
    Package,
    Shop,
    StationWaybillRequest,
    WaybillCancellation,
    WaybillWait,
)
from drivers.barcode import ScanCommand
from tests.helpers.fake_component import FakeComponent
from tests.helpers.fake_platform import FakePlatform
from tests.helpers.packing import actor, station, unit_codes
from tests.helpers.platform_orders import ADMIN, SHOP, platform_orders, station_ini
from tests.helpers.waiting import eventually


def _gets(fake: FakePlatform) -> int:
    return fake.calls.count("cainiao.waybill.ii.get")


def _package(db: Database, order_no: str, box: int = 1) -> Package | None:
    with db.reader() as s:
        p = s.scalars(select(Package).join(Order, Order.id == Package.order_id).where(
            Order.order_no == order_no, Package.box_no == box)).first()
        if p is not None:
            s.expunge(p)
        return p


def test_a_box_gets_its_waybill_once(db: Database, top: FakePlatform) -> None:
    (no,) = platform_orders(db, top)
    packer = actor(db, "packer01")
    first = waybill_issue.issue(db, packer, no, 1)
    again = waybill_issue.issue(db, packer, no, 1)
    assert first == again and first.provider == "cainiao"
    assert _gets(top) == 1, "asked again: no second call"
    assert set(first.print_data) >= {"encryptedData", "signature", "templateURL"}
    package = _package(db, no)
    assert package is not None
    assert (package.tracking_no, package.waybill_provider, package.status) == (
        first.tracking_no, "cainiao", "labelled")
    assert package.print_data == first.print_data
    with db.reader() as s:
        audited = s.execute(select(AuditEntry.actor, AuditEntry.after, AuditEntry.detail).where(
            AuditEntry.action == "package.tracking", AuditEntry.entity_id == no)).all()
    assert audited == [("packer01", first.tracking_no, {"box": 1, "provider": "cainiao"})]
    # The platform got the parcel's channel order number and its id.
    (issued,) = [w for w in top.waybills.values() if w["waybill_code"] == first.tracking_no]
    assert issued["object_id"] == f"{no}:1"
    with db.reader() as s:
        channel_no = s.scalar(select(Order.channel_order_no).where(Order.order_no == no))
    assert issued["orders"] == [channel_no]


def test_an_unreachable_or_refusing_platform_is_refused_in_words(
        db: Database, top: FakePlatform) -> None:
    (no,) = platform_orders(db, top)
    packer = actor(db, "packer01")
    top.fail_next("5xx", times=3)
    with pytest.raises(ServiceError) as down:
        waybill_issue.issue(db, packer, no, 1)
    assert down.value.code == "waybill.platform_unreachable"
    assert _package(db, no) is None, "nothing stored"
    with db.unit_of_work() as s:  # the shop's app key is refused by the platform
        s.execute(update(Shop).where(Shop.code == SHOP).values(app_key="not-the-key"))
    with pytest.raises(Conflict) as refused:
        waybill_issue.issue(db, packer, no, 1)
    assert refused.value.code == "waybill.platform_refused"
    assert "Invalid App Key" in str(refused.value.params["reason"])
    assert _package(db, no) is None


def test_an_encrypted_receiver_is_never_printed_from_the_pool(db: Database,
                                                              top: FakePlatform) -> None:
    (no,) = platform_orders(db, top)
    with db.unit_of_work() as s:
        s.execute(update(Order).where(Order.order_no == no).values(receiver_oaid="OAID-1"))
        s.execute(update(Shop).where(Shop.code == SHOP).values(waybill_providers={"*": "pool"}))
    with pytest.raises(Conflict) as refused:
        waybill_issue.issue(db, actor(db, "packer01"), no, 1)
    assert refused.value.code == "waybill.encrypted_needs_platform"
    assert _package(db, no) is None and _gets(top) == 0


def test_two_stations_racing_get_one_number(central: Database, top: FakePlatform) -> None:
    (no,) = platform_orders(central, top)
    packer = actor(central, "packer01")
    results: list[object] = []
    start = threading.Barrier(2)

    def ask() -> None:
        start.wait()
        try:
            results.append(waybill_issue.issue(central, packer, no, 1).tracking_no)
        except Exception as exc:  # noqa: BLE001 - recorded, the assertion says which
            results.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(results) == 2 and results[0] == results[1], results
    assert len([w for w in top.waybills.values() if w["object_id"] == f"{no}:1"]) == 1
    with central.reader() as s:
        assert s.scalars(select(Package.tracking_no).join(Order).where(
            Order.order_no == no)).all() == [results[0]]


def test_the_engine_fetches_box_one_ahead_and_leaves_failures_for_the_next_pass(
        db: Database, top: FakePlatform) -> None:
    platform_orders(db, top)
    lead = actor(db, "lead01")
    top.fail_next("5xx", times=3)  # the client's own retries, all failing: one order
    first = waybill_issue.prefetch(db, lead, limit=5)
    assert (first.issued, first.failed) == (4, 1), first  # bounded per pass
    failed = first.errors[0].split(":")[0]
    assert _package(db, failed) is None
    # The failed box waits (back-off): the next pass gives the others their turn.
    second = waybill_issue.prefetch(db, lead, limit=50)
    assert second.failed == 0 and f"{failed}:" not in " ".join(second.errors)
    assert _package(db, failed) is None
    with db.unit_of_work() as s:  # its wait is over
        wait = s.scalars(select(WaybillWait)).one()
        assert (wait.attempts, wait.refused) == (1, False) and wait.last_error
        wait.next_at = datetime.now(UTC) - timedelta(seconds=1)
    third = waybill_issue.prefetch(db, lead, limit=50)
    assert (third.issued, third.failed) == (1, 0)
    with db.reader() as s:
        assert s.scalar(select(WaybillWait.order_id)) is None, "served: no wait left"
    held = _package(db, failed)
    assert held is not None and held.waybill_provider == "cainiao"
    calls = _gets(top)
    assert waybill_issue.issue(db, actor(db, "packer01"), failed, 1).tracking_no \
        == held.tracking_no
    assert _gets(top) == calls, "fetched ahead: asked for again, no call"


def _scan_all_but_last(bench: PackingBench, db: Database, no: str) -> str:
    assert bench.open(no).accepted
    *head, last = unit_codes(db, no)
    for code in head:
        assert bench.scan(code).accepted
    return last


def test_a_station_without_the_waybill_waits_for_the_network_then_prints(
        db: Database, top: FakePlatform, component: FakeComponent, tmp_path: Path) -> None:
    (no,) = platform_orders(db, top)
    rt = station(db, tmp_path / "home", station_ini(component.url("ZTO-1")))
    rt.start()
    try:
        bench = PackingBench(rt, actor(db, "packer01"))
        last = _scan_all_but_last(bench, db, no)
        rt.connect(None)  # the network is gone
        view = bench.scan(last)
        assert not view.accepted and view.reason == "waybill.needs_network", view
        assert view.state is not None and view.state.phase.value == "labelling"
        with rt.store.reader() as s:
            assert s.scalar(select(PrintJob.id)) is None, "nothing printed"
            assert s.scalar(select(OutboxEvent.id).where(
                OutboxEvent.kind == "pack.confirmed")) is None, "not confirmed"
        assert _gets(top) == 0 and _package(db, no) is None
        again = bench.command(ScanCommand.CONFIRM)  # still offline: still waiting
        assert again.reason == "waybill.needs_network"

        rt.connect(DatabaseLink(db))  # the network is back: the centre is asked
        fetching = bench.command(ScanCommand.CONFIRM)
        assert not fetching.accepted and fetching.reason == "waybill.fetching", fetching
        assert _gets(top) == 0, "a station never calls the platform"
        with db.reader() as s:
            asked = s.execute(select(StationWaybillRequest.box_no,
                                     StationWaybillRequest.station)).one()
        assert tuple(asked) == (1, rt.code)
        with rt.store.reader() as s:
            assert s.scalar(select(PrintJob.id)) is None, "still nothing printed"
        served = waybill_issue.serve_requests(db, actor(db, "lead01"))  # the engine's pass
        assert (served.issued, served.failed) == (1, 0) and _gets(top) == 1
        with db.reader() as s:
            assert s.scalar(select(StationWaybillRequest.id)) is None, "served: removed"
        done = bench.command(ScanCommand.CONFIRM)
        assert done.accepted and done.state is not None \
            and done.state.phase.value == "packed", done
        package = _package(db, no)
        assert package is not None and package.waybill_provider == "cainiao"
        assert done.printed == (package.tracking_no,)
        with rt.store.reader() as s:
            job = s.execute(select(PrintJob.printer, PrintJob.ref)).one()
        assert tuple(job) == ("cn", package.tracking_no)
        eventually(lambda: component.printed() == 1, what="the component to print the label")
        (printed,) = component.documents
        assert printed.printer == "ZTO-1"
        assert package.tracking_no in json.dumps(printed.contents, ensure_ascii=False)

        report = outbox.push(rt.store, DatabaseLink(db), rt.code)
        assert report.refused == 0 and report.pushed >= 1
        packed = _package(db, no)
        assert packed is not None and packed.status == "packed"
        assert (packed.waybill_provider, packed.print_data) == ("cainiao", package.print_data)
    finally:
        rt.stop()


def test_a_station_holding_the_waybill_packs_offline(
        db: Database, top: FakePlatform, component: FakeComponent, tmp_path: Path) -> None:
    (no,) = platform_orders(db, top)
    waybill_issue.prefetch(db, actor(db, "lead01"))  # the engine fetched it ahead
    asked = _gets(top)
    held = _package(db, no)
    assert held is not None and held.tracking_no
    rt = station(db, tmp_path / "home", station_ini(component.url("ZTO-1")))
    rt.start()
    try:
        bench = PackingBench(rt, actor(db, "packer01"))
        last = _scan_all_but_last(bench, db, no)  # opened online: the order is held
        rt.connect(None)
        view = bench.scan(last)
        assert view.accepted and view.printed == (held.tracking_no,), view
        with rt.store.reader() as s:
            assert s.scalars(select(PrintJob.ref)).all() == [held.tracking_no]
        assert _gets(top) == asked, "the station asked nobody"
    finally:
        rt.stop()


def test_a_station_without_a_printer_for_cainiao_says_so(
        db: Database, top: FakePlatform, tmp_path: Path) -> None:
    (no,) = platform_orders(db, top)
    rt = station(db, tmp_path / "home")  # only the folder printer (PDF)
    rt.start()
    try:
        bench = PackingBench(rt, actor(db, "packer01"))
        last = _scan_all_but_last(bench, db, no)
        view = bench.scan(last)
        assert not view.accepted and view.reason == "waybill.no_printer"
        assert view.message_args["provider"] == "cainiao"
        assert _gets(top) == 0
    finally:
        rt.stop()


def test_an_intercepted_parcel_has_its_waybill_cancelled(
        db: Database, top: FakePlatform, component: FakeComponent, tmp_path: Path) -> None:
    (no,) = platform_orders(db, top)
    rt = station(db, tmp_path / "home", station_ini(component.url("ZTO-1")))
    rt.start()
    try:
        bench = PackingBench(rt, actor(db, "packer01"))
        waybill_issue.prefetch(db, actor(db, "lead01"))
        last = _scan_all_but_last(bench, db, no)
        assert bench.scan(last).accepted
        outbox.push(rt.store, DatabaseLink(db), rt.code)
    finally:
        rt.stop()
    package = _package(db, no)
    assert package is not None and package.status == "packed"
    with db.reader() as s:
        channel, number = s.execute(select(Order.channel, Order.channel_order_no).where(
            Order.order_no == no)).one()
    result = channel_events.apply_event(db, ADMIN, channel, number, "cancelled", "c-1")
    assert "waybill to cancel" in result.effect
    assert not any(w["cancelled"] for w in top.waybills.values()), "no call from the event"
    top.fail_next("5xx", times=3)
    lead = actor(db, "lead01")
    assert waybill_issue.cancel_due(db, lead).retried == 1
    with db.reader() as s:
        status, attempts, error, later = s.execute(select(
            WaybillCancellation.status, WaybillCancellation.attempts,
            WaybillCancellation.last_error, WaybillCancellation.next_at)).one()
    assert (status, attempts) == ("pending", 1) and error
    done = waybill_issue.cancel_due(db, lead, now=later)
    assert done.done == 1
    (issued,) = [w for w in top.waybills.values() if w["waybill_code"] == package.tracking_no]
    assert issued["cancelled"]
    cancelled = _package(db, no)
    assert cancelled is not None and cancelled.waybill_cancelled_at is not None
    assert waybill_issue.cancel_due(db, lead, now=later).done == 0, "once"
    with db.reader() as s:
        assert s.scalar(select(AuditEntry.actor).where(
            AuditEntry.action == "waybill.cancelled", AuditEntry.entity_id == no)) == "lead01"



def test_a_label_drawn_by_packline_is_refused_for_a_platform_order(
        db: Database, top: FakePlatform) -> None:
    from app.services import waybills

    (no,) = platform_orders(db, top)
    with pytest.raises(Conflict) as refused:
        waybills.waybill_for(db, actor(db, "packer01"), no)
    assert refused.value.code == "waybill.platform_order"
    assert refused.value.params["provider"] == "cainiao"
    assert _package(db, no) is None and _gets(top) == 0


def test_a_station_is_told_the_platform_is_unreachable_while_the_engine_waits(
        db: Database, top: FakePlatform) -> None:
    """The engine failed to reach the platform and waits (back-off): a station asking meanwhile
    is told so, with the time it is asked for again — not "being fetched"; its ask is kept
    and served once the wait is over."""
    (no,) = platform_orders(db, top)
    packer, lead = actor(db, "packer01"), actor(db, "lead01")
    link = DatabaseLink(db)
    with pytest.raises(ServiceError) as first:
        link.waybill(packer, "PACK-01", no, 1)
    assert first.value.code == "waybill.fetching"
    top.fail_next("5xx", times=3)  # every try of one call
    assert waybill_issue.serve_requests(db, lead).failed == 1
    with db.reader() as s:
        wait = s.scalars(select(WaybillWait)).one()
        assert not wait.refused and wait.next_at > datetime.now(UTC)
        next_at = wait.next_at
    with pytest.raises(ServiceError) as down:
        link.waybill(packer, "PACK-01", no, 1)
    assert down.value.code == "waybill.platform_unreachable"
    assert down.value.params["provider"] == "cainiao" and down.value.params["order_no"] == no
    from app.domain.china_time import in_china

    assert down.value.params["retry_at"] == in_china(next_at).strftime("%H:%M:%S")
    with db.reader() as s:
        assert s.scalar(select(StationWaybillRequest.box_no)) == 1, "the ask is kept"
    with db.unit_of_work() as s:  # the wait is over
        s.execute(update(WaybillWait).values(next_at=datetime.now(UTC) - timedelta(1)))
    assert waybill_issue.serve_requests(db, lead).issued == 1
    assert link.waybill(packer, "PACK-01", no, 1).provider == "cainiao"
