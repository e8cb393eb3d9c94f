"""The packing bench on a real station store and a real central SQLite file: every unit verified
by scanning (wrong scans refused, nothing changed), weighed in and out of tolerance, boxes, a
label per box from the station's own tracking numbers, the confirm applied centrally once, an
intercept stopping the order before its label, and the bench reopening where it was."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from app.config import load_config
from app.domain import packing as rules
from app.services.central_link import DatabaseLink
from app.services.context import Actor, system_actor
from app.services.errors import PermissionDenied
from app.station import outbox
from app.station.models import BenchScan, OutboxEvent, PackEvent, PrintJob
from app.station.packing import PackingBench, scan_event_id
from app.station.runtime import StationRuntime
from app.store.db import Database
from app.store.models import (
    Order,
    OrderException,
    OrderLine,
    Package,
    Sku,
    SkuBarcode,
    TrackingNumber,
)
from app.sync.contract import LinkDown
from tests.helpers.packing import actor as who
from tests.helpers.packing import picked_wave

pytestmark = pytest.mark.timeout(120)


def _actor(db: Database, code: str) -> Actor:
    return who(db, code)


@pytest.fixture
def picked(gui_db: Database) -> tuple[Database, list[str]]:
    """Central: a per-order wave picked to the end; its order numbers."""
    orders = picked_wave(gui_db)
    assert orders
    return gui_db, orders


@pytest.fixture
def runtime(picked, tmp_path: Path) -> Iterator[StationRuntime]:
    db, _orders = picked
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "station.ini").write_text("[station]\ncode = ST-HZ-PACK-01\n",
                                                   encoding="utf-8")
    rt = StationRuntime(load_config(tmp_path / "home"), db, link=DatabaseLink(db))
    rt.start()
    yield rt
    rt.stop()


def _codes(db: Database, order_no: str) -> list[tuple[str, int]]:
    """(one single-unit barcode, qty) per order line: a SKU may carry several barcodes."""
    with db.reader() as s:
        return [(bc, qty) for bc, qty in s.execute(
            select(func.min(SkuBarcode.barcode), OrderLine.qty)
            .join(Sku, Sku.id == SkuBarcode.sku_id)
            .join(OrderLine, OrderLine.sku_id == Sku.id)
            .join(Order, Order.id == OrderLine.order_id)
            .where(Order.order_no == order_no, SkuBarcode.units == 1)
            .group_by(OrderLine.id, OrderLine.line_no, OrderLine.qty)
            .order_by(OrderLine.line_no))]


def _state_key(state: rules.PackState) -> tuple:
    return (dict(state.counted), state.phase, tuple((b.box_no, dict(b.items)) for b in
                                                   state.boxes))


def test_pack_an_order_by_scanning_and_confirm_it_centrally_once(picked, runtime) -> None:
    db, orders = picked
    bench = PackingBench(runtime, _actor(db, "packer01"))
    view = bench.open(orders[0])
    assert view.accepted and view.state is not None
    before = _state_key(view.state)
    wrong = bench.scan("6901234567892")  # a product of no demo SKU, so of no order
    assert not wrong.accepted and wrong.reason == "wrong_item"
    assert _state_key(bench.state) == before
    for code, qty in _codes(db, orders[0]):
        for _ in range(qty):
            view = bench.scan(code)
            assert view.accepted, view.reason
    assert view.kind == "done" and view.state.phase is rules.Phase.PACKED
    assert len(view.printed) == 1
    with runtime.store.reader() as s:
        job = s.scalars(select(PrintJob).where(PrintJob.kind == "waybill")).one()
        assert view.printed[0].encode() in job.data or job.data.startswith(b"%PDF")
        events = s.scalars(select(PackEvent.accepted)).all()
    assert events.count(False) == 1
    # A second confirm changes nothing; the central side packs it once.
    again = bench.command(__import__("drivers.barcode", fromlist=["ScanCommand"])
                          .ScanCommand.CONFIRM)
    assert not again.accepted and again.reason == "already_packed"
    report = outbox.push(runtime.store, DatabaseLink(db), runtime.code)
    assert report.refused == 0 and report.remaining == 0
    with db.reader() as s:
        order = s.scalars(select(Order).where(Order.order_no == orders[0])).one()
        package = s.scalars(select(Package).where(Package.order_id == order.id)).one()
        number = s.scalars(select(TrackingNumber).where(
            TrackingNumber.number == package.tracking_no)).one()
        assert order.status == "packed" and package.tracking_no == view.printed[0]
        assert number.status == "used"


def test_an_order_packed_here_scanned_again_leaves_the_open_one_open(picked, runtime) -> None:
    """The bench holds an order just opened; the packer scans the label of one packed here
    before: refused, and the open order stays open (not set aside behind the packer's back)."""
    from app.station.models import PackSession

    db, orders = picked
    assert len(orders) >= 2
    bench = PackingBench(runtime, _actor(db, "packer01"))
    bench.open(orders[0])
    for code, qty in _codes(db, orders[0]):
        for _ in range(qty):
            view = bench.scan(code)
    assert view.state.phase is rules.Phase.PACKED
    assert bench.open(orders[1]).accepted
    refused = bench.open(orders[0])
    assert not refused.accepted and refused.reason == "already_packed"
    assert bench.state.order.order_no == orders[1]
    with runtime.store.reader() as s:
        assert s.scalar(select(PackSession.status).where(
            PackSession.order_no == orders[1])) == "open"


def test_the_bench_reopens_exactly_where_it_was(picked, runtime) -> None:
    db, orders = picked
    bench = PackingBench(runtime, _actor(db, "packer01"))
    bench.open(orders[0])
    code, _qty = _codes(db, orders[0])[0]
    bench.scan(code)
    bench.scan("LOC-HZ-A01-01-1")  # refused, logged
    before = _state_key(bench.state)
    again = PackingBench(runtime, _actor(db, "packer01"))  # the station started again
    view = again.resume_open()
    assert view.state is not None and view.state.order.order_no == orders[0]
    assert _state_key(view.state) == before


def test_weight_out_of_tolerance_needs_a_lead(picked, runtime) -> None:
    db, orders = picked
    bench = PackingBench(runtime, _actor(db, "packer01"), scale_required=True)
    bench.open(orders[0])
    for code, qty in _codes(db, orders[0]):
        for _ in range(qty):
            view = bench.scan(code)
    assert view.state.phase is rules.Phase.WEIGHING
    heavy = bench.weigh(29_000)
    assert not heavy.accepted and heavy.reason == "weight_out_of_range"
    assert bench.state.phase is rules.Phase.WEIGHING
    with pytest.raises(PermissionDenied):
        bench.override(_actor(db, "packer01"), "box is heavier")
    done = bench.override(_actor(db, "lead01"), "送检包装更重")
    assert done.accepted and done.state.phase is rules.Phase.PACKED
    with runtime.store.reader() as s:
        from app.station.models import OutboxEvent

        kinds = [e.kind for e in s.scalars(select(OutboxEvent).order_by(OutboxEvent.seq))]
    assert kinds == ["audit", "pack.confirmed"]


def test_two_boxes_get_their_own_tracking_numbers(picked, runtime) -> None:
    from drivers.barcode import ScanCommand

    db, orders = picked
    order_no = max(orders, key=lambda o: sum(q for _c, q in _codes(db, o)))
    units = [c for c, q in _codes(db, order_no) for _ in range(q)]
    assert len(units) >= 2, "the seed has orders of several units"
    bench = PackingBench(runtime, _actor(db, "packer01"))
    bench.open(order_no)
    empty = bench.command(ScanCommand.NEWBOX)
    assert not empty.accepted and empty.reason == "box_empty"
    bench.scan(units[0])
    assert bench.command(ScanCommand.NEWBOX).accepted
    for code in units[1:]:
        view = bench.scan(code)
    assert view.state.phase is rules.Phase.PACKED and len(set(view.printed)) == 2
    outbox.push(runtime.store, DatabaseLink(db), runtime.code)
    with db.reader() as s:
        order_id = s.scalar(select(Order.id).where(Order.order_no == order_no))
        numbers = s.scalars(select(Package.tracking_no).where(Package.order_id == order_id))
        assert sorted(numbers) == sorted(view.printed)


def test_an_order_intercepted_before_its_label_is_stopped(picked, runtime) -> None:
    db, orders = picked
    bench = PackingBench(runtime, _actor(db, "packer01"))
    bench.open(orders[0])
    with db.unit_of_work() as s:
        s.execute(update(Order).where(Order.order_no == orders[0])
                  .values(intercept="refund_requested"))
    codes = [c for c, q in _codes(db, orders[0]) for _ in range(q)]
    for code in codes:
        view = bench.scan(code)
    assert view.kind == "stop" and view.reason == "intercepted"
    assert view.printed == ()
    with runtime.store.reader() as s:
        assert s.scalars(select(PrintJob)).first() is None


def test_packed_meanwhile_elsewhere_comes_back_as_a_conflict(picked, runtime) -> None:
    db, orders = picked
    bench = PackingBench(runtime, _actor(db, "packer01"))
    bench.open(orders[0])
    for code, qty in _codes(db, orders[0]):
        for _ in range(qty):
            bench.scan(code)
    with db.unit_of_work() as s:  # another station's confirm reached the centre first
        s.execute(update(Order).where(Order.order_no == orders[0]).values(status="packed"))
    report = outbox.push(runtime.store, DatabaseLink(db), runtime.code)
    assert report.refused == 1
    with db.reader() as s:
        order_id = s.scalar(select(Order.id).where(Order.order_no == orders[0]))
        assert s.scalar(select(OrderException.category).where(
            OrderException.order_id == order_id)) == "sync_conflict"
        assert s.scalars(select(Package).where(Package.order_id == order_id)).first() is None


def test_a_single_item_wave_is_packed_one_scan_per_order(gui_db: Database,
                                                         tmp_path: Path) -> None:
    from tests.helpers.packing import single_item_wave, station

    wave = single_item_wave(gui_db, orders=5)
    rt = station(gui_db, tmp_path / "home")
    rt.start()
    try:
        bench = PackingBench(rt, who(gui_db, "packer01"))
        start = bench.scan(wave.wave_no)
        assert start.message_args["left"] == start.message_args["total"] == wave.orders
        units = list(wave.units.values())
        packed = set()
        for code in units:
            view = bench.scan(code)  # one scan: verified, labelled, confirmed
            assert view.accepted and view.state.phase is rules.Phase.PACKED, view.reason
            assert len(view.printed) == 1
            packed.add(view.order_no)
        assert packed == set(wave.units)
        extra = bench.scan(units[0])  # every order of the wave is packed
        assert not extra.accepted
    finally:
        rt.stop()


def test_a_single_item_order_stopped_centrally_is_skipped_not_stuck(gui_db: Database,
                                                                     tmp_path: Path) -> None:
    """An order of a single-item wave held by the lead after the wave card was scanned: its
    unit is refused in words (not an error that escapes the bench), it is never chosen again,
    and the wave's other orders still pack one scan each."""
    from app.services import orders as order_service
    from app.services.errors import ServiceError
    from app.station import pull
    from tests.helpers.packing import single_item_wave, station

    released = single_item_wave(gui_db, orders=5)
    assert released.orders >= 2
    units = list(released.units.items())
    held_no, held_code = units[0]
    rt = station(gui_db, tmp_path / "home")
    rt.start()
    try:
        bench = PackingBench(rt, who(gui_db, "packer01"))
        assert bench.scan(released.wave_no).accepted
        order_service.change_status(gui_db, system_actor(), held_no, "on_hold",
                                    reason="buyer called")
        pull.pull(rt.store, DatabaseLink(gui_db))  # the station's copy learns the hold
        with pytest.raises(ServiceError) as refused:  # why, in words
            bench.scan(held_code)
        assert refused.value.code == "packing.not_packable"
        assert refused.value.params["order"] == held_no
        # Left to the lead: the bench no longer offers that order for the unit.
        again = bench.scan(held_code)
        assert not again.accepted and again.reason == "not_in_wave"
        assert held_no not in bench.wave_orders
        others = {no for no, _code in units[1:]}
        for _no, code in units[1:]:
            view = bench.scan(code)
            assert view.accepted and view.state.phase is rules.Phase.PACKED, view.reason
            assert view.order_no in others
    finally:
        rt.stop()


def test_a_wave_held_at_the_station_packs_with_the_central_database_gone(
        picked, runtime, tmp_path: Path) -> None:
    """The bench opens and packs an order of a wave the station holds, with no central
    database at all; the confirm waits in the outbox."""
    from app.station.held import cache_wave

    db, orders = picked
    with db.reader() as s:
        wave_no = s.scalar(select(__import__("app.store.models", fromlist=["Wave"]).Wave.wave_no))
    assert cache_wave(runtime.store, DatabaseLink(db), wave_no) == len(orders)
    assert runtime.refill_tracking(system_actor(runtime.code)) > 0  # numbers held in advance
    codes = _codes(db, orders[0])
    runtime.connect(None)  # the network is gone
    bench = PackingBench(runtime, _actor(db, "packer01"))
    assert bench.open(orders[0]).accepted
    for code, qty in codes:
        for _ in range(qty):
            view = bench.scan(code)
    assert view.state.phase is rules.Phase.PACKED and len(view.printed) == 1
    assert outbox.pending(runtime.store) == 1


def test_an_item_of_no_order_here_is_named_from_the_station_s_copy_offline(
        picked, runtime) -> None:
    """A wrong item the station knows (its SKUs and barcodes are pulled) is named to the
    packer with the network gone; a code it does not know is refused as a wrong item, unnamed."""
    from app.station.held import cache_wave
    from app.store.models import Sku, SkuBarcode

    db, orders = picked
    with db.reader() as s:
        wave_no = s.scalar(select(__import__("app.store.models", fromlist=["Wave"]).Wave.wave_no))
        in_order = {c for c, _q in _codes(db, orders[0])}
        in_wave = {c for no in orders for c, _q in _codes(db, no)}
        name, sku_code, barcode = s.execute(
            select(Sku.name, Sku.code, SkuBarcode.barcode)
            .join(SkuBarcode, SkuBarcode.sku_id == Sku.id)
            .where(SkuBarcode.units == 1, SkuBarcode.barcode.not_in(in_wave))
            .order_by(Sku.id.desc()).limit(1)).one()
    cache_wave(runtime.store, DatabaseLink(db), wave_no)
    runtime.refill_tracking(system_actor(runtime.code))
    runtime.pull_changes()  # the station's copy of the SKUs and their barcodes
    runtime.connect(None)  # the network is gone
    bench = PackingBench(runtime, _actor(db, "packer01"))
    assert bench.open(orders[0]).accepted
    bench.scan(next(iter(in_order)))  # one unit in: the order's items are being scanned
    known = bench.scan(barcode)
    assert (known.accepted, known.reason) == (False, "wrong_item")
    assert known.message_args["item"] == f"{name} · {sku_code}"
    unknown = bench.scan("6900000000007")  # a valid EAN-13 no SKU has
    assert (unknown.reason, "item" in unknown.message_args) == ("wrong_item", False)


def test_an_intercept_reaches_the_held_wave_on_the_next_pull(picked, runtime) -> None:
    """Intercepted centrally after the station fetched the wave: the next pull brings it, and
    the bench stops the order at once, even with the network gone again."""
    from app.station.held import cache_wave, cached_snapshot

    db, orders = picked
    with db.reader() as s:
        wave_no = s.scalar(select(__import__("app.store.models", fromlist=["Wave"]).Wave.wave_no))
    cache_wave(runtime.store, DatabaseLink(db), wave_no)
    assert runtime.pull_changes().orders_updated == 0  # nothing changed yet
    with db.unit_of_work() as s:
        s.execute(update(Order).where(Order.order_no == orders[1]).values(intercept="cancelled"))
    assert runtime.pull_changes().orders_updated == 1
    assert cached_snapshot(runtime.store, orders[1]).intercept == "cancelled"
    runtime.connect(None)  # offline again
    bench = PackingBench(runtime, _actor(db, "packer01"))
    view = bench.open(orders[1])
    assert view.kind == "stop" and view.reason == "intercepted"


@pytest.fixture
def zpl_runtime(picked, tmp_path: Path) -> Iterator[StationRuntime]:
    """A station whose label printer speaks ZPL with Chinese as graphics (into a folder)."""
    db, _orders = picked
    home = tmp_path / "zpl-home"
    home.mkdir()
    (home / "station.ini").write_text(
        "[station]\ncode = ST-HZ-PACK-01\n[printer:label]\nurl = file://\nlanguage = zpl\n"
        "cjk = graphic\n", encoding="utf-8")
    rt = StationRuntime(load_config(home), db, link=DatabaseLink(db))
    yield rt
    rt.stop()


def test_a_label_got_ready_at_open_is_the_one_printed_even_after_a_crash(
        picked, zpl_runtime) -> None:
    """Box 1 takes its tracking number while the units are scanned; the label printed at the
    confirm carries it, also when the station died in between; nothing is written as a pack
    event and nothing prints before the confirm."""
    from app.printing import zpl
    from app.station.models import StationTracking

    db, orders = picked
    runtime = zpl_runtime
    assert runtime.printer_for("waybill").language == "zpl"
    bench = PackingBench(runtime, _actor(db, "packer01"))
    assert bench.prepare_label() is None  # no order open: nothing to get ready
    bench.open(orders[0])
    drawn = zpl._graphic_text.cache_info().currsize
    number = bench.prepare_label()
    assert number and zpl._graphic_text.cache_info().currsize > drawn  # its text drawn
    assert bench.prepare_label() == number  # asking again takes nothing more
    with runtime.store.reader() as s:
        assert s.scalar(select(StationTracking.used_for).where(
            StationTracking.number == number)) == f"{orders[0]}:1"
        assert s.scalars(select(PackEvent)).first() is None
        assert s.scalars(select(PrintJob)).first() is None
    again = PackingBench(runtime, _actor(db, "packer01"))  # the station started again
    again.resume_open()
    for code, qty in _codes(db, orders[0]):
        for _ in range(qty):
            view = again.scan(code)
    assert view.kind == "done" and view.printed == (number,)
    with runtime.store.reader() as s:
        (job,) = s.scalars(select(PrintJob)).all()
        assert job.ref == number and number.encode() in job.data


def test_a_label_got_ready_is_not_printed_for_an_order_stopped_meanwhile(
        picked, zpl_runtime) -> None:
    db, orders = picked
    runtime = zpl_runtime
    bench = PackingBench(runtime, _actor(db, "packer01"))
    bench.open(orders[0])
    assert bench.prepare_label()
    with db.unit_of_work() as s:
        s.execute(update(Order).where(Order.order_no == orders[0])
                  .values(intercept="refund_requested"))
    for code, qty in _codes(db, orders[0]):
        for _ in range(qty):
            view = bench.scan(code)
    assert view.kind == "stop" and view.printed == ()
    assert bench.prepare_label() is None  # stopped: nothing to get ready
    with runtime.store.reader() as s:
        assert s.scalars(select(PrintJob)).first() is None


def test_the_confirm_counts_the_refusals_of_the_whole_session(picked, runtime) -> None:
    """Refused scans before and after a restart are all in the confirm's figures."""
    db, orders = picked
    bench = PackingBench(runtime, _actor(db, "packer01"))
    bench.open(orders[0])
    first = bench.scan("6901234567892")
    again = PackingBench(runtime, _actor(db, "packer01"))  # the station started again
    again.resume_open()
    second = again.scan("6901234567892")
    assert not first.accepted and not second.accepted
    for code, qty in _codes(db, orders[0]):
        for _ in range(qty):
            view = again.scan(code)
    assert view.kind == "done"
    with runtime.store.reader() as s:
        (payload,) = s.scalars(select(OutboxEvent.payload).where(
            OutboxEvent.kind == "pack.confirmed")).all()
    assert payload["refused"] == {first.reason: 2}


# ------------------------------------------------------------------ steps that do not apply


def test_a_weight_outside_the_weighing_step_is_refused_and_changes_nothing(
        picked, runtime) -> None:
    """Before, a reading with no order open, or while the items were still being scanned, was
    "accepted" (and remembered, so a later override took it as the parcel's weight)."""
    db, orders = picked
    bench = PackingBench(runtime, _actor(db, "packer01"), scale_required=True)
    idle = bench.weigh(1250)
    assert not idle.accepted and idle.reason == "no_order" and idle.kind == "error"
    assert bench.last_weight is None
    bench.open(orders[0])
    lines = _codes(db, orders[0])
    bench.scan(lines[0][0])
    before = _state_key(bench.state)
    with runtime.store.reader() as s:
        logged = s.scalar(select(func.count()).select_from(PackEvent))
    early = bench.weigh(1250)
    assert not early.accepted and early.reason == "not_weighing"
    assert early.message_args["phase"] == "verifying"  # the step that applies is named
    assert _state_key(bench.state) == before and bench.last_weight is None
    with runtime.store.reader() as s:
        assert s.scalar(select(func.count()).select_from(PackEvent)) == logged
        journal = s.execute(select(BenchScan.kind, BenchScan.status, BenchScan.reason)
                            .order_by(BenchScan.seq)).all()
    assert journal[0] == ("weigh", "refused", "no_order")  # recorded, as every scan is
    assert journal[-1] == ("weigh", "refused", "not_weighing")
    # A lead's override with no parcel being weighed is refused too, not an assertion.
    assert bench.override(_actor(db, "lead01"), "checked").reason == "not_weighing"
    fresh = PackingBench(runtime, _actor(db, "packer01"), scale_required=True)
    assert fresh.override(_actor(db, "lead01"), "checked").reason == "no_order"
    # At the weighing step the reading is taken.
    first = True
    for code, qty in lines:
        for _ in range(qty - (1 if first else 0)):
            bench.scan(code)
        first = False
    assert bench.state.phase is rules.Phase.WEIGHING
    weighed = bench.weigh(rules.box_expected_g(bench.state, 1))
    assert weighed.accepted and weighed.state.phase is rules.Phase.PACKED


def test_a_bin_or_tote_label_at_the_bench_is_no_item(picked, runtime) -> None:
    db, orders = picked
    bench = PackingBench(runtime, _actor(db, "packer01"))
    nothing = bench.scan("LOC-HZ-A01-01-1")
    assert not nothing.accepted and nothing.reason == "not_an_item"
    bench.open(orders[0])
    before = _state_key(bench.state)
    for label in ("LOC-HZ-A01-01-1", "TOTE-HZ-00001", "SLOT-HZ-01"):
        view = bench.scan(label)
        assert not view.accepted and view.reason == "not_an_item", label
        assert view.message_args["code"] == label
    assert _state_key(bench.state) == before
    with runtime.store.reader() as s:
        assert s.scalars(select(PackEvent.reason).where(PackEvent.accepted.is_(False))
                         ).all() == ["not_an_item"] * 3


# ------------------------------------------------------------------ one scan, acted on once


def _accepted_units(runtime: StationRuntime) -> int:
    with runtime.store.reader() as s:
        return s.scalar(select(func.count()).select_from(PackEvent).where(
            PackEvent.kind == "ItemScanned", PackEvent.accepted.is_(True))) or 0


def test_a_scan_fed_again_with_its_id_is_not_counted_twice(picked, runtime) -> None:
    """A scan acted on, then the bench killed before whoever fed it noted so: fed again with
    the same id after the restart, it is recognised and counts nothing."""
    db, orders = picked
    bench = PackingBench(runtime, _actor(db, "packer01"))
    assert bench.scan(orders[0], scan_id="line-1").accepted
    code = _codes(db, orders[0])[0][0]
    assert bench.scan(code, scan_id="line-2").accepted
    counted = _state_key(bench.state)
    again = PackingBench(runtime, _actor(db, "packer01"))  # the station started again
    again.resume_open()
    for line, text in (("line-1", orders[0]), ("line-2", code)):
        view = again.scan(text, scan_id=line)
        assert not view.accepted and view.reason == "repeated", line
    assert _state_key(again.state) == counted and _accepted_units(runtime) == 1
    with runtime.store.reader() as s:
        (status,) = s.scalars(select(BenchScan.status).where(BenchScan.id == "line-2")).all()
        event_ids = s.scalars(select(PackEvent.id).where(PackEvent.kind == "ItemScanned")).all()
    assert status == "applied"
    assert event_ids == [scan_event_id("line-2")]  # the event log knows the scan too


def test_a_scan_written_down_before_a_crash_is_acted_on_once(picked, runtime) -> None:
    """A live scan is written to the journal (pending) before it is acted on; killed in
    between, the bench acts on it at its next start, once, however often it starts."""
    db, orders = picked
    bench = PackingBench(runtime, _actor(db, "packer01"))
    bench.open(orders[0])
    code = _codes(db, orders[0])[0][0]
    real = bench._scan_now
    bench._scan_now = lambda *_a, **_k: (_ for _ in ()).throw(KeyboardInterrupt)  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt):  # the power went between writing and acting
        bench.scan(code)
    bench._scan_now = real  # type: ignore[method-assign]
    with runtime.store.reader() as s:
        assert s.scalars(select(BenchScan.status).where(BenchScan.kind == "scan")).all() == [
            "pending"]
    assert _accepted_units(runtime) == 0
    for _start in range(3):
        view = PackingBench(runtime, _actor(db, "packer01")).resume_open()
        assert view.state is not None and rules.unit_count(view.state) == 1
    assert _accepted_units(runtime) == 1
    with runtime.store.reader() as s:
        assert s.scalars(select(BenchScan.status).where(BenchScan.kind == "scan")).all() == [
            "applied"]


def test_an_order_number_while_an_order_is_being_packed_is_refused_as_such(picked,
                                                                           runtime) -> None:
    """Before, an order number scanned once units were counted went in as an item and was
    refused as a "wrong item"; now the packer is told to finish (or set aside) the order on
    the bench, and nothing changes."""
    db, orders = picked
    bench = PackingBench(runtime, _actor(db, "packer01"))
    bench.open(orders[0])
    bench.scan(_codes(db, orders[0])[0][0])
    before = _state_key(bench.state)
    for number in (orders[1], orders[0]):
        view = bench.scan(number)
        assert not view.accepted and view.reason == "finish_first", view.reason
        assert view.message_args["order"] == orders[0]
        assert _state_key(bench.state) == before and bench.state.order.order_no == orders[0]


def _power_cut(bench: PackingBench, code: str) -> None:
    """`code` scanned and written down (pending), then the process gone before acting on it."""
    real = bench._scan_now
    bench._scan_now = lambda *_a, **_k: (_ for _ in ()).throw(KeyboardInterrupt)  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt):
        bench.scan(code)
    bench._scan_now = real  # type: ignore[method-assign]


def test_a_pending_scan_is_acted_on_by_whoever_takes_up_its_session_and_only_once(
        picked, runtime) -> None:
    """Before, `recover` took only the scans of the person logging in: the lead who carried
    on the open order after the power cut scanned the unit again, and when the packer logged
    in later the old scan was counted too (2 units, 1 scanned). Now whoever takes up the
    session gets the scan, told so; the packer's next start finds nothing to act on."""
    db, orders = picked
    order = max(orders, key=lambda o: max(q for _c, q in _codes(db, o)))
    code, qty = max(_codes(db, order), key=lambda cq: cq[1])
    packer = PackingBench(runtime, _actor(db, "packer01"))
    packer.open(order)
    _power_cut(packer, code)
    lead = PackingBench(runtime, _actor(db, "lead01"))
    view = lead.resume_open()
    assert view.order_no == order and rules.unit_count(lead.state) == 1
    assert view.accepted and view.message_args["recovered"] == 1  # the screen can say so
    again = PackingBench(runtime, _actor(db, "packer01"))
    view = again.resume_open()
    assert "recovered" not in view.message_args
    assert rules.unit_count(again.state) == 1 and _accepted_units(runtime) == 1


def test_a_pending_scan_of_another_session_is_stale_not_counted(picked, runtime) -> None:
    """The order of a pending scan was set aside and another one taken up meanwhile (or it
    belongs to no open session): it is marked refused `stale`, never counted into whatever
    is open at the next start."""
    db, orders = picked
    packer = PackingBench(runtime, _actor(db, "packer01"))
    packer.open(orders[0])
    _power_cut(packer, _codes(db, orders[0])[0][0])
    # The session of the pending scan is no longer the open one: set aside, another opened.
    packer.pause()
    packer.open(orders[1])
    with runtime.store.reader() as s:
        assert s.scalar(select(BenchScan.status).where(BenchScan.kind == "scan")) == "pending"
    view = PackingBench(runtime, _actor(db, "packer01")).resume_open()
    assert view.order_no == orders[1] and rules.unit_count(view.state) == 0
    assert _accepted_units(runtime) == 0
    with runtime.store.reader() as s:
        assert s.execute(select(BenchScan.status, BenchScan.reason)
                         .where(BenchScan.kind == "scan")).one() == ("refused", "stale")
    taken_up = PackingBench(runtime, _actor(db, "packer01"))
    taken_up.resume_open()
    taken_up.pause()
    assert taken_up.open(orders[0]).accepted and rules.unit_count(taken_up.state) == 0


def _bench_meeting_one_fault(db: Database, orders: list[str],
                             runtime: StationRuntime) -> tuple[PackingBench, str]:
    """A bench with an order open whose next step meets a passing fault once (the database
    locked), and a code of that order with more than one unit to scan."""
    order = max(orders, key=lambda o: max(q for _c, q in _codes(db, o)))
    code, _qty = max(_codes(db, order), key=lambda cq: cq[1])
    bench = PackingBench(runtime, _actor(db, "packer01"))
    bench.open(order)
    real = bench._do

    def locked(*_a: object, **_k: object) -> None:
        bench._do = real  # type: ignore[method-assign]
        raise RuntimeError("database is locked")

    bench._do = locked  # type: ignore[method-assign]
    return bench, code


def test_a_scan_that_failed_in_front_of_the_packer_is_not_acted_on_later(picked,
                                                                         runtime) -> None:
    """A fault the packer is shown (not a refusal in words): before, its row stayed pending,
    the packer scanned the unit again, and the next start counted the first one too."""
    db, orders = picked
    bench, code = _bench_meeting_one_fault(db, orders, runtime)
    with pytest.raises(RuntimeError):
        bench.scan(code)
    assert bench.scan(code).accepted  # the packer scans the unit again
    again = PackingBench(runtime, _actor(db, "packer01"))
    again.resume_open()
    assert rules.unit_count(again.state) == 1 and _accepted_units(runtime) == 1
    with runtime.store.reader() as s:
        assert s.execute(select(BenchScan.status, BenchScan.reason)
                         .where(BenchScan.kind == "scan").order_by(BenchScan.seq)).all() == [
            ("refused", "failed"), ("applied", "")]


def test_a_scan_that_failed_while_the_store_could_not_say_so_is_not_acted_on_later(
        picked, runtime) -> None:
    """The 11.11 rehearsal found it with a station's disk full: the scan failed, and so did
    the write saying it failed, so its row stayed pending; the packer scanned the unit again,
    and a start while the order was still open would have counted the first scan too. Now
    the row says it failed before the next scan is taken."""
    db, orders = picked
    bench, code = _bench_meeting_one_fault(db, orders, runtime)
    real = bench._journal_write

    def full(entry, status, reason):  # type: ignore[no-untyped-def]
        if status == "pending":
            return real(entry, status, reason)
        bench._journal_write = real  # type: ignore[method-assign]
        raise OSError(28, "No space left on device")

    bench._journal_write = full  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        bench.scan(code)
    with runtime.store.reader() as s:  # the store could not say the scan failed
        assert s.scalars(select(BenchScan.status).where(BenchScan.kind == "scan")).all() == [
            "pending"]
    assert bench.scan(code).accepted  # room again: the packer scans the unit again
    with runtime.store.reader() as s:
        assert s.execute(select(BenchScan.status, BenchScan.reason)
                         .where(BenchScan.kind == "scan").order_by(BenchScan.seq)).all() == [
            ("refused", "failed"), ("applied", "")]
    again = PackingBench(runtime, _actor(db, "packer01"))  # and the station starts again
    again.resume_open()
    assert rules.unit_count(again.state) == 1 and _accepted_units(runtime) == 1


def test_a_replay_line_that_met_a_fault_is_acted_on_when_fed_again(picked, runtime) -> None:
    """A line with its own id (a replay) that met a passing fault is not settled as failed:
    fed again with the same id, it is counted then, once."""
    db, orders = picked
    bench, code = _bench_meeting_one_fault(db, orders, runtime)
    with pytest.raises(RuntimeError):
        bench.scan(code, scan_id="run-1:7")
    view = bench.scan(code, scan_id="run-1:7")  # the replay run again
    assert view.accepted and rules.unit_count(bench.state) == 1
    assert not bench.scan(code, scan_id="run-1:7").accepted  # and only once
    assert rules.unit_count(bench.state) == 1 and _accepted_units(runtime) == 1


def test_the_journal_forgets_settled_scans_after_two_weeks_and_keeps_pending_ones(
        picked, runtime) -> None:
    from datetime import UTC, datetime, timedelta

    from app.station.packing import prune_journal

    db, orders = picked
    bench = PackingBench(runtime, _actor(db, "packer01"))
    assert bench.scan(orders[0]).accepted  # applied
    bench.scan("LOC-HZ-A01-01-1")  # refused
    bench.scan(_codes(db, orders[0])[0][0])  # applied
    _power_cut(bench, _codes(db, orders[0])[0][0])  # pending
    now = datetime.now(UTC)
    assert prune_journal(runtime.store, now=now) == 0  # nothing two weeks old yet
    with pytest.raises(ValueError):
        prune_journal(runtime.store, keep_days=0)
    with runtime.store.reader() as s:
        assert sorted(s.scalars(select(BenchScan.status))) == [
            "applied", "applied", "pending", "refused"]
    later = now + timedelta(days=14, minutes=1)
    assert prune_journal(runtime.store, now=later) == 3
    with runtime.store.reader() as s:
        assert s.scalars(select(BenchScan.status)).all() == ["pending"]


LONG_NAME = ("深圳市南山区某某国际贸易科技有限公司行政部收发室前台代收人欧阳娜娜女士转交并签收确认"
             "请勿放置快递柜谢谢配合送货上门前请先电话联系收件人确认时间地点周末节假日照常收件"
             "包裹外箱如有破损请当面拒收并联系客服")


@pytest.mark.parametrize("printer", ["runtime", "zpl_runtime"])
def test_a_receiver_name_at_the_door_maximum_packs_and_prints(picked, printer,
                                                              request) -> None:
    """A receiver's name as long as the import door takes (100 characters) is printed
    whole on the waybill, and the order packs."""
    from app.domain.intake import RECEIVER_LIMITS
    from tests.printing.conftest import pdf_pages_text, squeeze

    db, orders = picked
    name = LONG_NAME[:RECEIVER_LIMITS["name"]]
    assert len(name) == RECEIVER_LIMITS["name"]
    with db.unit_of_work() as s:
        s.execute(update(Order).where(Order.order_no == orders[0]).values(receiver_name=name))
    rt = request.getfixturevalue(printer)
    bench = PackingBench(rt, _actor(db, "packer01"))
    assert bench.open(orders[0]).accepted
    for code, qty in _codes(db, orders[0]):
        for _ in range(qty):
            view = bench.scan(code)
            assert view.accepted, view.reason
    assert view.kind == "done" and view.state.phase is rules.Phase.PACKED
    with rt.store.reader() as s:
        (data,) = s.scalars(select(PrintJob.data).where(PrintJob.kind == "waybill")).all()
        assert set(s.scalars(select(BenchScan.status))) == {"applied"}
    if data.startswith(b"%PDF"):
        assert name in squeeze(pdf_pages_text(data)[0])
    else:
        assert data.startswith(b"^XA")


def test_a_label_that_cannot_be_printed_is_refused_in_words_and_changes_nothing(
        picked, runtime, monkeypatch) -> None:
    """Should a waybill's text still not render, the scan completing the order is refused
    with a code the screen words (`packing.label_text`), marked refused in the journal,
    and nothing is written: the order stays open, its last unit not counted."""
    from app.printing.text_fit import DocumentError
    from app.services.errors import ServiceError
    from app.station import print_queue

    db, orders = picked
    bench = PackingBench(runtime, _actor(db, "packer01"))
    assert bench.open(orders[0]).accepted
    scans = [code for code, qty in _codes(db, orders[0]) for _ in range(qty)]
    for code in scans[:-1]:
        assert bench.scan(code).accepted
    before, units = _state_key(bench.state), _accepted_units(runtime)

    def refuse(doc, spec):  # type: ignore[no-untyped-def]
        raise DocumentError("Waybill.receiver.name does not fit")

    monkeypatch.setattr(print_queue, "render_for", refuse)
    with pytest.raises(ServiceError) as refused:
        bench.scan(scans[-1])
    assert refused.value.code == "packing.label_text"
    assert refused.value.params == {"order": orders[0]}
    assert _state_key(bench.state) == before and _accepted_units(runtime) == units
    with runtime.store.reader() as s:
        assert s.scalars(select(PrintJob)).first() is None
        last = s.scalars(select(BenchScan).order_by(BenchScan.seq.desc())).first()
        assert (last.status, last.reason) == ("refused", "packing.label_text")
    # The printer's trouble settled, the same unit scanned again packs the order.
    monkeypatch.undo()
    view = bench.scan(scans[-1])
    assert view.accepted and view.state.phase is rules.Phase.PACKED


def test_the_bench_label_and_label_render_print_the_same_route_code(picked,
                                                                     tmp_path: Path) -> None:
    """A bench's waybill and `packline label render`'s for the same order agree on the sort
    area (one builder), also for addresses written the official list's way (市辖区, 省直辖县级
    行政区划) or without a city, and on who sends, who receives and the ship-by time."""
    from app.services import waybills
    from app.station import print_queue
    from tests.helpers.packing import station, unit_codes

    db, orders = picked
    addresses = {orders[0]: ("北京市", "市辖区", "朝阳区", "北京 朝阳区"),
                 orders[1]: ("浙江省", "", "西湖区", "浙江 西湖区"),
                 orders[2]: ("湖北省", "省直辖县级行政区划", "仙桃市", "湖北 仙桃市")}
    with db.unit_of_work() as s:
        for order_no, (province, city, district, _code) in addresses.items():
            s.execute(update(Order).where(Order.order_no == order_no)
                      .values(province=province, city=city, district=district))
    rt = station(db, tmp_path / "agree")
    rt.start()
    try:
        packer = _actor(db, "packer01")
        bench = PackingBench(rt, packer)
        for order_no in orders:
            assert bench.open(order_no).accepted
            for code in unit_codes(db, order_no):
                view = bench.scan(code)
            assert view.kind == "done", view
        with rt.store.reader() as s:
            jobs = s.scalars(select(PrintJob).where(PrintJob.kind == "waybill")).all()
            printed = {job.document["order_nos"][0]: print_queue.from_json(job.doc_type,
                                                                           job.document)
                       for job in jobs}
    finally:
        rt.stop()
    assert set(printed) == set(orders)

    def face(doc: object) -> tuple[object, ...]:
        return tuple(getattr(doc, name) for name in (
            "route_code", "carrier_code", "sender", "receiver", "order_nos",
            "promised_ship_by", "presale"))

    for order_no in orders:
        rendered = waybills.waybill_for(db, packer, order_no)  # what `label render` prints
        assert face(printed[order_no]) == face(rendered), order_no
        assert rendered.route_code
    for order_no, (*_address, code) in addresses.items():
        assert printed[order_no].route_code == code


class _Asking(DatabaseLink):
    """The central database over its link, noting each thing a scan asks it; with `down`,
    out of reach."""

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self.asked: list[tuple[str, str]] = []
        self.down = False

    def _note(self, what: str, order_no: str) -> None:
        self.asked.append((what, order_no))
        if self.down:
            raise LinkDown("connection refused")

    def ping(self) -> None:
        if self.down:
            raise LinkDown("connection refused")
        super().ping()

    def paused(self, actor, order_no):  # type: ignore[no-untyped-def]
        self._note("paused", order_no)
        return super().paused(actor, order_no)

    def order_state(self, order_no):  # type: ignore[no-untyped-def]
        self._note("order_state", order_no)
        return super().order_state(order_no)


def test_what_a_scan_asks_the_centre_is_asked_once_as_the_scan_comes(picked,
                                                                      runtime) -> None:
    """The order number asks whether the order was set aside elsewhere, the unit that
    completes it asks whether it was stopped: each once, begun as the scan came (on the
    link's thread, while the bench writes and reads its own store), its answer used by the
    step that needs it; a scan that completes nothing asks nothing."""
    db, orders = picked
    centre = _Asking(db)
    runtime.connect(centre)
    bench = PackingBench(runtime, _actor(db, "packer01"))
    codes = [c for c, q in _codes(db, orders[0]) for _ in range(q)]
    view = bench.scan(orders[0])
    assert view.accepted and centre.asked == [("paused", orders[0])]
    for code in codes[:-1]:
        assert bench.scan(code).accepted
    bench.scan("6901234567892")  # a wrong item: refused, asks nothing
    assert len(centre.asked) == 1
    view = bench.scan(codes[-1])
    assert view.kind == "done" and view.state is not None
    assert centre.asked == [("paused", orders[0]), ("order_state", orders[0])]
    # Stopped centrally while its units are scanned: the answer asked as the last unit came
    # says so, and nothing is printed.
    assert bench.scan(orders[1]).accepted
    codes = [c for c, q in _codes(db, orders[1]) for _ in range(q)]
    for code in codes[:-1]:
        assert bench.scan(code).accepted
    with db.unit_of_work() as s:
        s.execute(update(Order).where(Order.order_no == orders[1])
                  .values(intercept="refund_requested"))
    view = bench.scan(codes[-1])
    assert view.kind == "stop" and view.reason == "intercepted" and view.printed == ()
    assert [a[0] for a in centre.asked] == ["paused", "order_state", "paused", "order_state"]


def test_a_scan_asks_ahead_nothing_while_the_centre_is_out_of_reach(picked, runtime) -> None:
    db, orders = picked
    centre = _Asking(db)
    runtime.connect(centre)
    assert runtime.link is not None
    runtime.cache_work()  # the station holds the waves ready to pack, and tracking numbers
    runtime.refill_tracking(system_actor(runtime.code))
    bench = PackingBench(runtime, _actor(db, "packer01"))
    centre.down = True
    runtime.link.heard(False, "connection refused")  # as the sync found
    view = bench.scan(orders[0])  # held here: opened from the station's copy
    assert view.accepted and centre.asked == []
    for code in [c for c, q in _codes(db, orders[0]) for _ in range(q)]:
        view = bench.scan(code)
    assert view.kind == "done" and centre.asked == []


def test_the_centre_is_asked_while_the_station_is_still_writing_the_scan_down(
        picked, runtime) -> None:
    """Asked as the scan comes, not after: with the station store busy (another writer holds
    it), the opening scan's question and the completing unit's reach the centre while the
    scan still waits to be written down; once the store is free both scans finish."""
    import sqlite3
    import threading

    from tests.helpers.waiting import eventually

    db, _orders = picked
    orders = picked_wave(db, orders=20)  # with orders of one unit among them
    centre = _Asking(db)
    runtime.connect(centre)
    bench = PackingBench(runtime, _actor(db, "packer01"))
    path = runtime.cfg.paths.station_db

    def units(order_no: str) -> int:
        return sum(q for _c, q in _codes(db, order_no))

    # The unit that completes an order may be its first one, or come after others.
    assert units(min(orders, key=units)) == 1 < units(max(orders, key=units))

    def with_store_busy(scan: str, asked: tuple[str, str]) -> None:
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        views: list[object] = []
        worker = threading.Thread(target=lambda: views.append(bench.scan(scan)))
        try:
            worker.start()
            eventually(lambda: asked in centre.asked, what=f"{asked[0]} asked", timeout=5)
            assert not views  # still waiting to write the scan down
        finally:
            holder.execute("ROLLBACK")
            holder.close()
            worker.join(30)
        assert views and getattr(views[0], "accepted", False)

    for order_no in (min(orders, key=units), max(orders, key=units)):
        codes = [c for c, q in _codes(db, order_no) for _ in range(q)]
        with_store_busy(order_no, ("paused", order_no))
        for code in codes[:-1]:
            assert bench.scan(code).accepted
        with_store_busy(codes[-1], ("order_state", order_no))
        assert bench.state is not None and bench.state.phase is rules.Phase.PACKED
