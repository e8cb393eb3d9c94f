"""What people read on the Devices, Waves, Picking, Handover and Printing screens: one language
per screen (an English screen has no Chinese button), nothing shown as a bare black bar, every
column's header whole, the picker's own wave not offered back to them, the dock opening on the
carrier whose parcels are waiting."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.config import Settings, load_config
from app.domain.roles import Role
from app.services import auth, waves
from app.services.context import Actor
from app.station.runtime import StationRuntime
from app.store.db import Database
from app.store.models import Carrier, Order, Package, Warehouse
from app.ui import tasks
from app.ui.device_manager import DeviceManager
from app.ui.devices_screen import DevicesScreen
from app.ui.handover_screen import HandoverScreen
from app.ui.picking_screen import PickingScreen
from app.ui.printing_screen import PrintingScreen
from app.ui.qt import QPushButton, QTableWidget
from app.ui.waves_screen import WavesScreen
from tests.helpers.devices import desk_devices
from tests.helpers.packing import actor, packed_orders

TIMEOUT = 20_000
CJK = re.compile(r"[\u3400-\u9fff]")
pytestmark = pytest.mark.timeout(180)


@pytest.fixture(params=["zh_CN", "en"])
def language(request: pytest.FixtureRequest, qapp) -> Iterator[str]:
    from app.ui.app import install_translator

    translator = install_translator(qapp, request.param)
    yield request.param
    if translator is not None:
        qapp.removeTranslator(translator)


@pytest.fixture
def english(qapp) -> str:
    return "en"


def _headers_whole(table: QTableWidget, at_least: int = 0) -> None:
    header = table.horizontalHeader()
    for c in range(table.columnCount()):
        needed = max(header.sectionSizeFromContents(c).width(), at_least)
        assert table.columnWidth(c) >= needed, (
            table.objectName(), table.horizontalHeaderItem(c).text(), table.columnWidth(c),
            needed)


def _admin() -> Actor:
    return Actor(user_id=None, code="admin", name="A", role=Role.ADMIN, station="ST-T")


# ------------------------------------------------------------------ devices


@pytest.fixture
def trainer(qtbot: QtBot, tmp_path: Path) -> Iterator[DeviceManager]:
    path = tmp_path / "station.ini"
    path.write_text("[device:trainer]\nkind = scanner\nurl = sim://trainer\n"
                    "[device:bench]\nkind = scale\nurl = sim://bench\n", encoding="utf-8")
    with desk_devices(Settings.load(path)) as manager:
        yield manager


def test_the_devices_screen_speaks_one_language_and_shows_its_choices(
        qtbot: QtBot, trainer: DeviceManager, language: str) -> None:
    screen = DevicesScreen(trainer, _admin())
    qtbot.addWidget(screen)
    screen.resize(1400, 860)
    screen.show()
    qtbot.waitUntil(lambda: screen.sim_scanner.count() == 1 and screen.sim_scale.count() == 1,
                    timeout=TIMEOUT)
    # The simulator's drop-downs show the device they drive.
    assert screen.sim_scanner.currentText() == "trainer"
    assert screen.sim_scale.currentText() == "bench"
    buttons = [b.text() for b in screen.sim_box.findChildren(QPushButton)]
    if language == "en":
        assert not [t for t in buttons if CJK.search(t)], buttons
        assert {"Confirm", "New box"} <= set(buttons), buttons
    else:
        assert {"确认", "新箱"} <= set(buttons), buttons
    # No weight yet: said in words, not a lone dash drawn as a black bar.
    assert "—" not in screen.weight_label.text()
    assert re.search(r"\w", screen.weight_state.text()), screen.weight_state.text()
    for table in (screen.devices, screen.scans):  # laid out in the event loop
        qtbot.waitUntil(lambda table=table: _headers_whole(table), timeout=TIMEOUT)


def test_the_simulator_says_how_to_get_a_simulated_device_when_there_is_none(
        qtbot: QtBot, tmp_path: Path, language: str) -> None:
    with desk_devices(Settings.empty()) as manager:
        screen = DevicesScreen(manager, _admin())
        qtbot.addWidget(screen)
        for combo in (screen.sim_scanner, screen.sim_scale):
            assert combo.count() == 0
            assert "sim://" in combo.placeholderText(), combo.placeholderText()


# ------------------------------------------------------------------ waves and picking


def _release(db: Database, strategy: str, orders: int) -> tuple[str, Actor]:
    lead = auth.login_password(db, "lead01", "lead123", "ST-TEST")
    wh = max(("HZ", "GZ", "BJ"), key=lambda w: len(waves.plan(
        db, lead, w, strategy, max_orders=orders, max_cells=orders).waves))
    (released,) = waves.release(db, lead, wh, strategy, max_orders=orders, max_cells=orders,
                                max_waves=1)
    return released.wave_no, lead


def test_every_wave_shows_its_estimated_pick_minutes_and_the_preview_says_what_to_do(
        qtbot: QtBot, routed_db: Database, language: str) -> None:
    _release(routed_db, "per_order", 3)
    _no, lead = _release(routed_db, "multi_item", 4)
    screen = WavesScreen(routed_db, lead)
    qtbot.addWidget(screen)
    screen.resize(1400, 860)
    screen.show()
    qtbot.waitUntil(lambda: screen.waves.rowCount() == 2 and not tasks.pending(),
                    timeout=TIMEOUT)
    minutes = screen.waves.columnCount() - 1
    for r in range(2):
        text = screen.waves.item(r, minutes).text()
        assert re.fullmatch(r"\d+(\.\d)?", text), text  # the estimate, not a blank
    # Before Preview is pressed the empty preview says what to do.
    assert screen.preview_table.rowCount() == 0
    assert screen.preview_hint.isVisible() and screen.preview_hint.text()
    _headers_whole(screen.waves)
    _headers_whole(screen.preview_table)
    screen.preview()
    qtbot.waitUntil(lambda: screen.preview_table.rowCount() > 0 and not tasks.pending(),
                    timeout=TIMEOUT)
    assert not screen.preview_hint.isVisible()


def test_the_picker_is_not_offered_the_wave_they_hold(qtbot: QtBot,
                                                      routed_db: Database) -> None:
    held, _lead = _release(routed_db, "per_order", 3)
    other, _lead = _release(routed_db, "multi_item", 3)
    picker = auth.login_password(routed_db, "picker01", "picker123", "ST-TEST")
    screen = PickingScreen(routed_db, picker)
    qtbot.addWidget(screen)
    screen.resize(1400, 860)
    screen.show()
    qtbot.waitUntil(lambda: screen.available.count() == 2 and not tasks.pending(),
                    timeout=TIMEOUT)
    screen.handle(held)
    qtbot.waitUntil(lambda: screen.wave is not None and not screen.busy
                    and not tasks.pending(), timeout=TIMEOUT)
    offered = [screen.available.item(i).text().split()[0]
               for i in range(screen.available.count())]
    assert offered == [other]


def test_the_waves_to_pick_show_their_strategy_whole(qtbot: QtBot, routed_db: Database,
                                                     language: str) -> None:
    from app.ui.qt import QFontMetrics

    _release(routed_db, "multi_item", 3)
    picker = auth.login_password(routed_db, "picker01", "picker123", "ST-TEST")
    screen = PickingScreen(routed_db, picker)
    qtbot.addWidget(screen)
    screen.resize(1400, 860)
    screen.show()
    qtbot.waitUntil(lambda: screen.available.count() == 1 and not tasks.pending(),
                    timeout=TIMEOUT)
    metrics = QFontMetrics(screen.available.font())
    item = screen.available.item(0)
    # The room the item's text has: its rect less the view's text margins (a few pixels).
    room = screen.available.visualItemRect(item).width() - 2 * 6
    for line in item.text().splitlines():
        assert metrics.horizontalAdvance(line) <= room, (line, room)
    words = [w.text() for w in screen.findChildren(QPushButton)]
    from app.ui.qt import QLabel

    words += [w.text() for w in screen.findChildren(QLabel)]
    if language == "en":
        assert not [t for t in words if CJK.search(t)], words


# ------------------------------------------------------------------ handover


@pytest.fixture
def packed(gui_db: Database, tmp_path: Path) -> tuple[Database, list[str]]:
    return gui_db, packed_orders(gui_db, tmp_path / "home", orders=6)


def test_the_dock_opens_on_the_carrier_with_the_most_parcels_waiting(
        qtbot: QtBot, packed, language: str) -> None:
    db, orders = packed
    with db.reader() as s:
        rows = s.execute(select(Package.tracking_no, Carrier.code, Warehouse.code)
                         .join(Order, Order.id == Package.order_id)
                         .join(Carrier, Carrier.id == Package.carrier_id)
                         .join(Warehouse, Warehouse.id == Order.warehouse_id)
                         .where(Order.order_no.in_(orders))).all()
    counts: dict[tuple[str, str], list[str]] = {}
    for tn, carrier, wh in rows:
        counts.setdefault((carrier, wh), []).append(tn)
    (carrier, wh), parcels = max(counts.items(), key=lambda kv: len(kv[1]))
    screen = HandoverScreen(db, actor(db, "packer01"))
    qtbot.addWidget(screen)
    screen.resize(1400, 860)
    screen.show()
    qtbot.waitUntil(lambda: screen.missing.count() > 0 and not tasks.pending(),
                    timeout=TIMEOUT)
    assert screen.carrier.currentData() == carrier
    assert screen.warehouse.currentData() == wh
    shown = {screen.missing.item(i).text() for i in range(screen.missing.count())}
    assert shown == set(parcels)
    # Nothing loading yet: said in words, no lone dash drawn as a black bar.
    assert re.search(r"\w", screen.count.text()), screen.count.text()


# ------------------------------------------------------------------ printing


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[StationRuntime]:
    rt = StationRuntime(load_config(tmp_path))
    rt.start()
    yield rt
    rt.stop()


def test_the_print_queue_headers_are_whole_and_an_idle_printer_is_ready(
        qtbot: QtBot, runtime: StationRuntime, language: str) -> None:
    from app.printing.documents import BinLabel
    from app.station import print_queue

    packer = Actor(user_id=None, code="packer01", name="P", role=Role.PACKER, station="ST-T")
    screen = PrintingScreen(runtime, packer)
    qtbot.addWidget(screen)
    screen.resize(1400, 860)
    screen.show()
    qtbot.waitUntil(lambda: not tasks.pending(), timeout=TIMEOUT)
    # An empty queue too, no column a sliver (once the header has laid its sections out).
    qtbot.waitUntil(lambda: _headers_whole(screen.jobs, at_least=64), timeout=TIMEOUT)
    print_queue.enqueue(runtime.store, packer, runtime.printers["folder"],
                           BinLabel(code="LOC-HZ-A03-12-2", title="A区 3巷"), kind="label",
                        ref="LOC-HZ-A03-12-2")
    runtime.spooler.wake()
    qtbot.waitUntil(lambda: screen.jobs.rowCount() == 1
                    and runtime.spooler.health["folder"].status == "online", timeout=TIMEOUT)
    screen.refresh()
    qtbot.waitUntil(lambda: not tasks.pending(), timeout=TIMEOUT)
    for table in (screen.jobs, screen.printers):
        qtbot.waitUntil(lambda table=table: _headers_whole(table, at_least=64),
                        timeout=TIMEOUT)
    status = screen.printers.item(0, 3).text()
    assert status == ("✔ Ready" if language == "en" else "✔ 正常打印"), status


def test_asking_for_the_parcels_of_an_unknown_carrier_is_refused_in_words(
        gui_db: Database, language: str) -> None:
    from app.services import handover
    from app.services.errors import NotFound
    from app.ui.widgets import error_text

    with pytest.raises(NotFound) as refused:
        handover.waiting_parcels(gui_db, actor(gui_db, "packer01"), "HZ", "NOPE")
    assert refused.value.code == "handover.unknown_place"
    text = error_text(refused.value)
    assert "NOPE" in text
    assert ("承运商" in text) == (language == "zh_CN"), text
