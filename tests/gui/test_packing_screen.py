"""The packing screen fed through the real device path: a serial scanner on a pseudo-terminal and
a keyboard-wedge scanner's key events. Wrong scans are refused with no change, the order is
packed and its label queued, and a new screen after a crash shows the bench where it was."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.config import Settings
from app.services.central_link import DatabaseLink
from app.station.models import PrintJob
from app.ui import feedback
from app.ui.packing_screen import PackingScreen
from app.ui.qt import Qt
from drivers.base import DeviceStatus
from tests.helpers.devices import desk_devices, told_now
from tests.helpers.packing import actor, picked_wave, serial_scanner, station, unit_codes
from tests.helpers.screens import issue_badge

pytestmark = pytest.mark.timeout(180)
TIMEOUT = 20_000


@pytest.fixture
def bench(qtbot: QtBot, gui_db, tmp_path: Path):
    orders = picked_wave(gui_db)
    runtime = station(gui_db, tmp_path / "home")
    runtime.start()
    with serial_scanner(tmp_path) as (feed, devices):
        yield gui_db, orders, runtime, devices, feed
    runtime.stop()


def _screen(qtbot: QtBot, runtime, db, devices) -> PackingScreen:
    screen = PackingScreen(runtime, actor(db, "packer01"), devices)
    qtbot.addWidget(screen)
    screen.show()
    return screen


def _settled(qtbot: QtBot, screen: PackingScreen) -> None:
    qtbot.waitUntil(lambda: not screen.busy and not screen.pending, timeout=TIMEOUT)


def test_pack_through_the_serial_scanner_and_the_wedge(qtbot: QtBot, bench) -> None:
    db, orders, runtime, devices, feed = bench
    screen = _screen(qtbot, runtime, db, devices)
    feed.write(orders[0])
    qtbot.waitUntil(lambda: screen.order_label.text() == orders[0], timeout=TIMEOUT)
    rows_before = [screen.lines.item(r, 2).text() for r in range(screen.lines.rowCount())]
    feed.write("6901234567892")  # an item that is not in the order
    qtbot.waitUntil(lambda: screen.prompt.property("feedback") == "error", timeout=TIMEOUT)
    assert feedback.played[-1] == "error"
    assert [screen.lines.item(r, 2).text() for r in range(screen.lines.rowCount())] == \
        rows_before
    codes = unit_codes(db, orders[0])
    for n, code in enumerate(codes):
        if n % 2:  # a USB keyboard-wedge scanner: a burst of keys and Enter into the entry
            screen.entry.setFocus()
            qtbot.keyClicks(screen.entry, code)
            qtbot.keyClick(screen.entry, "\r")
        else:
            feed.write(code)
        _settled(qtbot, screen)
        qtbot.waitUntil(lambda n=n: screen.bench.state is not None and sum(
            screen.bench.state.counted.values()) == n + 1, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: screen.prompt.property("feedback") == "done", timeout=TIMEOUT)
    assert feedback.played[-1] == "done" and screen.entry.text() == ""
    with runtime.store.reader() as s:
        assert len(list(s.scalars(select(PrintJob).where(PrintJob.kind == "waybill")))) == 1


def test_a_new_screen_after_a_crash_shows_the_bench_where_it_was(qtbot: QtBot, bench) -> None:
    db, orders, runtime, devices, feed = bench
    screen = _screen(qtbot, runtime, db, devices)
    feed.write(orders[0])
    qtbot.waitUntil(lambda: screen.order_label.text() == orders[0], timeout=TIMEOUT)
    feed.write(unit_codes(db, orders[0])[0])
    def shown() -> list[str]:
        return [screen.lines.item(r, 2).text() for r in range(screen.lines.rowCount())]

    # The bench counts on its worker thread; the table shows it a moment later.
    qtbot.waitUntil(lambda: sum(int(t.removeprefix("✔ ").split(" / ")[0])
                                for t in shown()) == 1, timeout=TIMEOUT)
    before = shown()
    screen.hide()
    again = _screen(qtbot, runtime, db, None)  # the station came back up
    qtbot.waitUntil(lambda: again.order_label.text() == orders[0], timeout=TIMEOUT)
    assert [again.lines.item(r, 2).text() for r in range(again.lines.rowCount())] == before


def test_the_dock_loads_a_carrier_and_closes_with_a_manifest(qtbot: QtBot, bench) -> None:
    from sqlalchemy import select as sel

    from app.station import outbox
    from app.station.packing import PackingBench
    from app.store.models import Carrier, Order, Package, Warehouse
    from app.ui.handover_screen import HandoverScreen

    db, orders, runtime, devices, feed = bench
    packer = actor(db, "packer01")
    bench_ = PackingBench(runtime, packer)
    bench_.open(orders[0])
    for code in unit_codes(db, orders[0]):
        bench_.scan(code)
    outbox.push(runtime.store, DatabaseLink(db), runtime.code)
    with db.reader() as s:
        tn, carrier, wh = s.execute(sel(Package.tracking_no, Carrier.code, Warehouse.code)
                                    .join(Order, Order.id == Package.order_id)
                                    .join(Carrier, Carrier.id == Package.carrier_id)
                                    .join(Warehouse, Warehouse.id == Order.warehouse_id)
                                    .where(Order.order_no == orders[0])).one()
    screen = HandoverScreen(db, packer, runtime, devices)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitUntil(lambda: screen.carrier.count() > 0, timeout=TIMEOUT)
    screen.warehouse.setCurrentIndex(screen.warehouse.findData(wh))
    screen.carrier.setCurrentIndex(screen.carrier.findData(carrier))
    screen.open()
    qtbot.waitUntil(lambda: screen.current is not None, timeout=TIMEOUT)
    assert tn in [screen.missing.item(i).text() for i in range(screen.missing.count())]
    feed.write(tn)  # the dock's scanner
    qtbot.waitUntil(lambda: screen.current.scanned == 1, timeout=TIMEOUT)
    screen.close_handover()
    qtbot.waitUntil(lambda: screen.prompt.property("feedback") == "done", timeout=TIMEOUT)
    with db.reader() as s:
        assert s.scalar(sel(Order.status).where(Order.order_no == orders[0])) == "shipped"


def test_weigh_boxes_override_and_stop_on_the_screen(qtbot: QtBot, bench, tmp_path) -> None:
    """A simulated scale on the bench: a parcel out of tolerance waits for the lead's badge
    and PIN;
    新箱 as a command card; an order intercepted meanwhile stops the bench."""
    from sqlalchemy import update as upd

    from app.store.models import Order

    db, orders, runtime, bench_devices, feed = bench
    bench_devices.close()  # this bench gets a scale: one device service reads the scanner
    bench_devices.service.stop()
    ini = tmp_path / "scale.ini"
    ini.write_text(f"[device:pack]\nkind = scanner\nurl = {feed.url}?suffix=CR\n"
                   "[device:bench-scale]\nkind = scale\nurl = sim://bench\n", encoding="utf-8")
    with desk_devices(Settings.load(ini)) as devices:
        qtbot.waitUntil(lambda: devices.service.state("pack").status  # type: ignore[union-attr]
                        is DeviceStatus.CONNECTED, timeout=TIMEOUT)
        assert devices.service.scale_required
        screen = PackingScreen(runtime, actor(db, "packer01"), devices, scale_required=True)
        qtbot.addWidget(screen)
        screen.show()
        order_no = max(orders, key=lambda o: len(unit_codes(db, o)))
        codes = unit_codes(db, order_no)
        feed.write(order_no)
        qtbot.waitUntil(lambda: screen.order_label.text() == order_no, timeout=TIMEOUT)
        feed.write(codes[0])
        _settled(qtbot, screen)
        if len(codes) > 1:
            feed.write("CMD-NEWBOX")  # the 新箱 card closes box 1
            _settled(qtbot, screen)
            qtbot.waitUntil(lambda: screen.bench.state.current_box == 2, timeout=TIMEOUT)
        for code in codes[1:]:
            feed.write(code)
            _settled(qtbot, screen)
        qtbot.waitUntil(lambda: screen.bench.state.phase.value == "weighing", timeout=TIMEOUT)
        devices.service.simulate_weight("bench-scale", 29_500)  # far too heavy
        _settled(qtbot, screen)
        qtbot.waitUntil(lambda: screen.prompt.property("feedback") == "error", timeout=TIMEOUT)
        assert screen.bench.state.phase.value == "weighing"
        screen.ask_lead()
        assert screen.approval.isVisible()
        feed.write(issue_badge(db, "lead01"))  # the shift lead's badge and PIN let it go
        qtbot.waitUntil(lambda: screen.approval.who.badge() is not None, timeout=TIMEOUT)
        assert screen.approval.who.text() == "USR-••••"
        qtbot.keyClicks(screen.approval.secret, "2468")
        qtbot.keyClick(screen.approval.secret, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not screen.approval.isVisible(), timeout=TIMEOUT)
        assert not screen.awaiting_lead
        qtbot.waitUntil(lambda: screen.bench.state.phase.value in ("weighing", "packed"),
                        timeout=TIMEOUT)
        _settled(qtbot, screen)
        # Weigh the remaining boxes in tolerance until the order is packed.
        from app.domain import packing as rules

        while screen.bench.state.phase.value != "packed":
            box = screen.bench.box_to_weigh()
            devices.service.simulate_weight("bench-scale", 0)
            devices.service.simulate_weight("bench-scale",
                                            rules.box_expected_g(screen.bench.state, box))
            qtbot.waitUntil(lambda box=box: screen.bench.state.phase.value == "packed"
                            or screen.bench.state.box(box).weighed, timeout=TIMEOUT)
            _settled(qtbot, screen)
        qtbot.waitUntil(lambda: screen.bench.state.phase.value == "packed", timeout=TIMEOUT)
        # The next order is intercepted before its label: the bench stops.
        other = next(o for o in orders if o != order_no)
        feed.write(other)
        qtbot.waitUntil(lambda: screen.order_label.text() == other, timeout=TIMEOUT)
        with db.unit_of_work() as s:
            s.execute(upd(Order).where(Order.order_no == other).values(intercept="cancelled"))
        for code in unit_codes(db, other):
            feed.write(code)
        qtbot.waitUntil(lambda: screen.bench.state.phase.value != "verifying",
                        timeout=TIMEOUT)
        _settled(qtbot, screen)
        from app.domain import packing as rules

        devices.service.simulate_weight("bench-scale", 0)  # the last parcel came off
        devices.service.simulate_weight("bench-scale", rules.box_expected_g(
            screen.bench.state, screen.bench.box_to_weigh()))
        qtbot.waitUntil(lambda: screen.stop_panel.isVisible(), timeout=TIMEOUT)
        assert other in screen.stop_panel.text()


def test_a_label_is_got_ready_once_per_order_and_the_set_aside_list_read_when_it_changes(
        qtbot: QtBot, bench, monkeypatch) -> None:
    """The screen gets an order's label ready after the scan that opened it, on a thread
    beside the bench's own (a scan that comes meanwhile does not wait for it); the orders set
    aside are read again when the bench changes order or sets one aside, not after every
    unit."""
    import threading

    from app.ui import packing_screen
    from drivers.barcode import ScanCommand

    db, orders, runtime, devices, feed = bench
    reads: list[int] = []
    real_pending = packing_screen.pending_sessions
    monkeypatch.setattr(packing_screen, "pending_sessions",
                        lambda rt: reads.append(1) or real_pending(rt))
    screen = _screen(qtbot, runtime, db, devices)
    _settled(qtbot, screen)
    threads: dict[str, set[int]] = {"scan": set(), "prepare": set()}
    prepared: list[str | None] = []
    real_scan, real_prepare = screen.bench.scan, screen.bench.prepare_label

    def scan(*args):  # type: ignore[no-untyped-def]
        threads["scan"].add(threading.get_ident())
        return real_scan(*args)

    drawing = threading.Event()  # the label is being drawn until this is set

    def prepare():  # type: ignore[no-untyped-def]
        threads["prepare"].add(threading.get_ident())
        drawing.wait(TIMEOUT / 1000)
        prepared.append(real_prepare())
        return prepared[-1]

    screen.bench.scan, screen.bench.prepare_label = scan, prepare  # type: ignore[method-assign]
    qtbot.waitUntil(lambda: len(reads) == 1, timeout=TIMEOUT)
    feed.write(orders[0])
    qtbot.waitUntil(lambda: screen.order_label.text() == orders[0] and len(reads) == 2,
                    timeout=TIMEOUT)
    # A scan that comes while the label is still being drawn is acted on at once.
    qtbot.waitUntil(lambda: bool(threads["prepare"]), timeout=TIMEOUT)
    feed.write("6901234567892")  # refused
    qtbot.waitUntil(lambda: screen.prompt.property("feedback") == "error", timeout=TIMEOUT)
    assert not prepared
    drawing.set()
    qtbot.waitUntil(lambda: len(prepared) == 1, timeout=TIMEOUT)
    assert prepared[0]  # box 1's tracking number, taken
    feed.write(unit_codes(db, orders[0])[0])
    qtbot.waitUntil(lambda: screen.bench.state is not None
                    and sum(screen.bench.state.counted.values()) == 1, timeout=TIMEOUT)
    _settled(qtbot, screen)
    assert len(reads) == 2  # the units read nothing
    # The scans on the bench's thread, the label on another one, neither on the GUI thread.
    assert len(threads["scan"]) == 1 and threads["prepare"].isdisjoint(threads["scan"])
    assert threading.get_ident() not in threads["scan"] | threads["prepare"]
    screen.submit("command", ScanCommand.PAUSE)
    qtbot.waitUntil(lambda: screen.paused.count() == 1, timeout=TIMEOUT)
    assert screen.paused.item(0).text().startswith(orders[0]) and len(reads) == 3
    assert len(prepared) == 1  # once for the order


def test_steps_that_do_not_apply_are_refused_in_words_and_a_stray_reading_is_quiet(
        qtbot: QtBot, bench) -> None:
    """A bin label scanned at the bench is no item; an unknown order number is refused in the
    packer's words; a scale reading while the items are still being scanned changes nothing
    and does not interrupt the packer (before, it was "accepted" and remembered)."""
    db, orders, runtime, devices, feed = bench
    screen = _screen(qtbot, runtime, db, devices)
    _settled(qtbot, screen)
    feed.write("PL2699999999999")
    qtbot.waitUntil(lambda: "PL2699999999999" in screen.prompt.text(), timeout=TIMEOUT)
    assert screen.prompt.property("feedback") == "error"
    feed.write(orders[0])
    qtbot.waitUntil(lambda: screen.order_label.text() == orders[0], timeout=TIMEOUT)
    feed.write("LOC-HZ-A01-01-1")
    qtbot.waitUntil(lambda: "LOC-HZ-A01-01-1" in screen.prompt.text(), timeout=TIMEOUT)
    assert "not an item" in screen.prompt.text()
    assert screen.refusal_text(screen.view) == screen.prompt.text().split(" ", 1)[1]
    prompt, played = screen.prompt.text(), len(feedback.played)
    screen.submit("scale", 1250)
    _settled(qtbot, screen)
    assert screen.prompt.text() == prompt and len(feedback.played) == played
    assert screen.bench.last_weight is None and screen.bench.state.phase.value == "verifying"
    words = screen.refusal_text(replace(screen.view, reason="not_weighing",
                                        message_args={"phase": "verifying"}))
    assert "scan the items" in words


def test_a_weight_settled_before_the_weighing_step_is_the_weighing_while_it_stays(
        qtbot: QtBot, bench, tmp_path) -> None:
    """The scale says a weight has settled once. Before, one that settled while the last unit
    was still being scanned was lost, and the packer had to lift the parcel and put it back.
    Now it is still refused before weighing (it counts nothing), but when the order reaches
    weighing with the scale still settled on it, it is weighed then, a scan of its own in the
    journal; a reading that moved since is not taken."""
    from sqlalchemy import func

    from app.domain import packing as rules
    from app.station.models import BenchScan

    db, orders, runtime, bench_devices, _feed = bench
    bench_devices.close()
    bench_devices.service.stop()
    ini = tmp_path / "scale.ini"
    ini.write_text("[device:bench-scale]\nkind = scale\nurl = sim://bench\n", encoding="utf-8")
    with desk_devices(Settings.load(ini)) as devices:
        assert devices.service.simulated("scale") == ["bench-scale"]
        screen = PackingScreen(runtime, actor(db, "packer01"), devices, scale_required=True)
        qtbot.addWidget(screen)
        screen.show()
        _settled(qtbot, screen)
        weighed, kept = [], []
        for order_no, moved in ((orders[0], False), (orders[1], True)):
            codes = unit_codes(db, order_no)
            screen.submit("scan", order_no)
            for code in codes[:-1]:
                screen.submit("scan", code)
            _settled(qtbot, screen)
            # The whole order in box 1: its weight with the last unit in it too.
            full = rules.apply(screen.bench.state, rules.ItemScanned("x", codes[-1]))
            assert full.accepted and full.state.phase is rules.Phase.WEIGHING
            expected = rules.box_expected_g(full.state, 1)
            devices.service.simulate_weight("bench-scale", 0)
            devices.service.simulate_weight("bench-scale", expected)  # settles: not weighing yet
            told_now()
            kept.append(expected)
            _settled(qtbot, screen)
            assert screen.bench.state.phase is rules.Phase.VERIFYING
            if moved:  # lifted meanwhile: what settled is no longer on the scale
                devices.service.simulate_weight("bench-scale", expected + 300, stable=False)
                devices.service.simulate_weight("bench-scale", expected, stable=False)
                told_now()  # the readings reach the screen before the scan
            screen.submit("scan", codes[-1])
            _settled(qtbot, screen)
            qtbot.waitUntil(lambda: not screen.busy and not screen.pending, timeout=TIMEOUT)
            weighed.append(screen.bench.state.phase)
            assert weighed[-1] is (rules.Phase.WEIGHING if moved else rules.Phase.PACKED)
        assert weighed == [rules.Phase.PACKED, rules.Phase.WEIGHING], weighed
        with runtime.store.reader() as s:
            journal = [tuple(r) for r in s.execute(
                select(BenchScan.value, BenchScan.status, BenchScan.reason)
                .where(BenchScan.kind == "weigh").order_by(BenchScan.seq))]
            assert s.scalar(select(func.count()).select_from(BenchScan)) > len(journal)
        # Order 1: refused before weighing, then weighed with it; order 2: refused only.
        applied = [row for row in journal if row[1] == "applied"]
        assert applied == [(str(kept[0]), "applied", "")], journal
        first = journal.index(applied[0])
        assert journal[first - 1] == (str(kept[0]), "refused", "not_weighing"), journal
        assert (str(kept[1]), "refused", "not_weighing") in journal[first + 1:], journal


def test_a_scan_read_before_the_station_stopped_is_said_to_be_counted(qtbot: QtBot,
                                                                       bench) -> None:
    """Whoever takes up the order after the power cut is told that a unit scanned before it
    was counted now, so it is not scanned again (before, it only went to the log)."""
    from app.station.packing import PackingBench

    db, orders, runtime, devices, _feed = bench
    before = PackingBench(runtime, actor(db, "packer01"))
    before.open(orders[0])
    before._scan_now = lambda *_a, **_k: (_ for _ in ()).throw(KeyboardInterrupt)  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt):  # written down, then the power went
        before.scan(unit_codes(db, orders[0])[0])
    screen = PackingScreen(runtime, actor(db, "lead01"), devices)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitUntil(lambda: screen.order_label.text() == orders[0], timeout=TIMEOUT)
    _settled(qtbot, screen)
    assert "1 scan(s) read before the station stopped are counted now" in screen.prompt.text()
    assert screen.prompt.property("feedback") == "ok"
