"""Devices on the desktop: the keyboard-wedge filter driven with Qt key events at scanner and at
typing speed, the device manager bringing a pseudo-terminal scanner's news to the GUI thread
(unplug included), the Devices screen configuring and testing simulated devices, and badge
login by scanner."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app import devices
from app.config import Settings
from app.domain.roles import Role
from app.services.context import Actor
from app.station.devices import DeviceService, DeviceState, Scanned, Weighed
from app.ui.device_manager import DeviceManager
from app.ui.devices_screen import DevicesScreen
from app.ui.main_window import MainWindow
from app.ui.qt import QLineEdit, Qt
from app.ui.wedge_filter import WedgeFilter
from drivers.barcode import ScanKind
from drivers.base import DeviceStatus
from drivers.sim import PtyFeed
from drivers.wedge import WedgeClassifier
from tests.helpers.clock import FakeClock
from tests.helpers.devices import desk_devices, start


def _admin() -> Actor:
    return Actor(user_id=None, code="it01", name="IT", role=Role.ADMIN, station="ST-T")


@pytest.fixture
def wedge(qtbot: QtBot) -> Iterator[tuple[WedgeFilter, FakeClock, list[str]]]:
    clock = FakeClock(1000.0, step=0.005)  # each key read moves time on: keys `step` apart
    flt = WedgeFilter(WedgeClassifier(max_interkey_ms=30, min_length=4), clock=clock)
    scans: list[str] = []
    flt.scanned.connect(scans.append)
    flt.install()
    yield flt, clock, scans
    flt.remove()
    flt.deleteLater()


def test_a_scanner_burst_is_one_scan_and_never_lands_in_the_field(
        qtbot: QtBot, field: QLineEdit, wedge) -> None:
    _flt, clock, scans = wedge
    clock.step = 0.005  # 5 ms between keys: a scanner
    qtbot.keyClicks(field, "6901234567892")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert scans == ["6901234567892"]
    assert field.text() == ""


def test_typing_reaches_the_field_in_order_and_is_no_scan(
        qtbot: QtBot, field: QLineEdit, wedge) -> None:
    _flt, clock, scans = wedge
    clock.step = 0.150  # 150 ms between keys: a person
    qtbot.keyClicks(field, "PL2611")
    clock.step = 0.200
    qtbot.waitUntil(lambda: field.text() == "PL2611", timeout=2000)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert scans == []
    assert field.text() == "PL2611"


def test_a_scan_after_typing_keeps_the_typing_and_takes_the_scan(
        qtbot: QtBot, field: QLineEdit, wedge) -> None:
    _flt, clock, scans = wedge
    clock.step = 0.200
    qtbot.keyClicks(field, "ab")
    qtbot.waitUntil(lambda: field.text() == "ab", timeout=2000)  # b given back on a tick
    clock.step = 0.004
    qtbot.keyClicks(field, "LOC-HZ-A03-12-2")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert scans == ["LOC-HZ-A03-12-2"]
    assert field.text() == "ab"


def test_shortcuts_pass_and_give_back_held_keys(qtbot: QtBot, field: QLineEdit, wedge) -> None:
    _flt, clock, scans = wedge
    clock.step = 0.2
    qtbot.keyClick(field, "x")  # held a moment: it could start a scan
    qtbot.keyClick(field, Qt.Key.Key_Left)  # not a character: x was typing
    qtbot.waitUntil(lambda: field.text() == "x", timeout=2000)
    assert scans == []


# ------------------------------------------------------------------ the manager


def _settings(tmp_path: Path, text: str) -> Settings:
    path = tmp_path / "station.ini"
    path.write_text(text, encoding="utf-8")
    return Settings.load(path)


@pytest.fixture
def manager_with(qtbot: QtBot, tmp_path: Path):
    with ExitStack() as stack:
        yield lambda text: stack.enter_context(desk_devices(_settings(tmp_path, text)))


@pytest.mark.timeout(60)
def test_a_serial_scanner_on_a_pty_reaches_the_gui_thread_and_survives_an_unplug(
        qtbot: QtBot, manager_with) -> None:
    feed = PtyFeed()
    try:
        manager = manager_with(f"[device:pack]\nkind = scanner\nurl = {feed.url}?suffix=CR\n"
                               "[device:wedge]\nkind = wedge\nenabled = false\n")
        heard: list[DeviceStatus] = []
        threads: set[int] = set()

        def status(state: DeviceState) -> None:
            threads.add(threading.get_ident())
            if state.name == "pack":
                heard.append(state.status)

        manager.status_changed.connect(status)
        manager.scanned.connect(lambda _e: threads.add(threading.get_ident()))
        qtbot.waitUntil(lambda: manager.service.state("pack").status  # type: ignore[union-attr]
                        is DeviceStatus.CONNECTED, timeout=10_000)
        with qtbot.waitSignal(manager.scanned, timeout=10_000) as got:
            feed.write("]E06901234567892", "\r")
        event: Scanned = got.args[0]
        # Read on the scanner's own thread, heard on the GUI thread only.
        assert threads == {threading.get_ident()}
        assert event.device == "pack"
        assert event.scan.kind is ScanKind.SKU and event.scan.gtin == "06901234567892"
        assert event.scan.symbology == "]E0"
        feed.unplug()
        qtbot.waitUntil(lambda: bool(heard) and heard[-1] is DeviceStatus.DISCONNECTED,
                        timeout=10_000)
        assert manager.service.state("pack").status is DeviceStatus.DISCONNECTED
        assert manager.wedge is None  # switched off in the settings
    finally:
        feed.close()


def test_a_bad_device_section_is_reported_and_the_wedge_still_works(qtbot: QtBot) -> None:
    errors: list[devices.DeviceConfigError] = []
    settings = Settings.empty()
    settings.set_section("device:x", {"kind": "toaster"})
    service = DeviceService(settings, watch_ports=False)
    manager = DeviceManager(service)
    manager.config_error.connect(errors.append)
    try:
        start(manager)
        assert [(e.section, e.key, e.params.get("value")) for e in errors] == [
            ("device:x", "kind", "toaster")]
        assert manager.wedge is not None
    finally:
        manager.close()
        service.stop()
        manager.deleteLater()
    assert manager.wedge is None  # taken off at once when the manager closes


# ------------------------------------------------------------------ the screen


def test_it_adds_simulated_devices_on_the_screen_and_tests_them(
        qtbot: QtBot, manager_with, tmp_path: Path) -> None:
    manager = manager_with("[device:wedge]\nkind = wedge\nenabled = false\n")
    screen = DevicesScreen(manager, _admin())
    qtbot.addWidget(screen)
    screen.show()
    # A bad URL is explained before saving, and saving it changes nothing.
    screen.name_edit.setText("trainer")
    screen.url_edit.setText("serial://")
    assert screen.url_check.text().startswith("✖")
    screen.save_button.click()
    assert screen.form_message.is_error()
    assert "trainer" not in (tmp_path / "station.ini").read_text(encoding="utf-8")
    screen.url_edit.setText("sim://trainer")
    assert screen.url_check.text().startswith("✔")
    screen.save_button.click()
    assert not screen.form_message.is_error(), screen.form_message.text()
    screen._new()
    screen.name_edit.setText("bench-scale")
    screen.kind_combo.setCurrentIndex(screen.kind_combo.findData("scale"))
    screen.url_edit.setText("sim://bench")
    screen.save_button.click()
    saved = devices.load_specs(Settings.load(tmp_path / "station.ini"))
    assert [(s.name, s.kind, s.url) for s in saved] == [
        ("wedge", "wedge", ""), ("trainer", "scanner", "sim://trainer"),
        ("bench-scale", "scale", "sim://bench")]
    qtbot.waitUntil(lambda: screen.sim_scanner.count() == 1 and screen.sim_scale.count() == 1)
    assert screen.devices.rowCount() == 3
    assert manager.service.scale_required  # packing on this bench weighs every parcel now
    # The training panel scans; the live test shows what the parser made of it.
    screen.sim_text.setText("TOTE-HZ-00017")
    with qtbot.waitSignal(manager.scanned, timeout=5000):
        screen.sim_button.click()
    qtbot.waitUntil(lambda: screen.scans.rowCount() == 1)
    assert screen.scans.item(0, 3).text() == "TOTE-HZ-00017"
    assert screen.scans.item(0, 1).text() == "trainer"
    screen.sim_grams.setValue(1250)
    with qtbot.waitSignal(manager.weighed, timeout=5000) as got:
        screen.sim_weigh.click()
    weighed: Weighed = got.args[0]
    assert (weighed.device, weighed.weight.grams) == ("bench-scale", 1250)
    qtbot.waitUntil(lambda: screen.weight_label.text() == "1.250 kg")
    assert "✔" in screen.weight_state.text()  # settled, and the reading after keeps it so
    # Pulling the simulated cable shows on the device list and stops the scans.
    screen.sim_cable.setChecked(True)
    qtbot.waitUntil(lambda: "✖" in screen.devices.item(1, 2).text())
    assert not manager.service.simulate_scan("trainer", "TOTE-HZ-00018")
    screen.sim_cable.setChecked(False)
    qtbot.waitUntil(lambda: "✔" in screen.devices.item(1, 2).text())


def test_a_packer_tests_devices_but_cannot_change_them(qtbot: QtBot, manager_with) -> None:
    manager = manager_with("[device:trainer]\nkind = scanner\nurl = sim://trainer\n")
    packer = Actor(user_id=None, code="p1", name="P", role=Role.PACKER, station="ST-T")
    screen = DevicesScreen(manager, packer)
    qtbot.addWidget(screen)
    assert not screen.save_button.isEnabled()
    assert not screen.add_button.isEnabled()
    screen.sim_text.setText("CMD-CONFIRM")
    screen.sim_button.click()
    qtbot.waitUntil(lambda: screen.scans.rowCount() == 1)
    assert "CONFIRM" in screen.scans.item(0, 2).text()


def test_a_badge_read_by_any_scanner_logs_in(qtbot: QtBot, gui_db, manager_with) -> None:
    from tests.helpers.screens import issue_badge

    badge = issue_badge(gui_db, "packer01")
    manager = manager_with("[device:door]\nkind = scanner\nurl = sim://door\n")
    window = MainWindow(gui_db, "ST-TEST", "test", manager)
    qtbot.addWidget(window)
    window.show()
    manager.service.simulate_scan("door", badge)
    qtbot.waitUntil(lambda: window.actor is not None, timeout=10_000)
    assert window.actor.code == "packer01"


IT_FILE = """\
# 杭州仓 bench 3 — kept by IT (王工) in the deployment share; the Devices screen may change
# the [device:…] sections only
[station]
code = ST-HZ-PACK-03   ; as on the asset tag

; the bench scale, calibrated 2026-11-02
[device:scale]
kind = scale
url = sim://bench
; the reading must stay within tolerance_g this long to count
window_ms = 500
tolerance_g = 2   ; grams

[device:wedge]
kind = wedge
enabled = false   ; no USB scanner on this bench
"""


@pytest.fixture(params=["zh_CN", "en"])
def language(request: pytest.FixtureRequest, qapp) -> Iterator[str]:
    from app.ui.app import install_translator

    translator = install_translator(qapp, request.param)
    yield request.param
    if translator is not None:
        qapp.removeTranslator(translator)


def test_saving_on_the_screen_keeps_its_comments_and_refuses_in_the_readers_language(
        qtbot: QtBot, manager_with, tmp_path: Path, language: str) -> None:
    manager = manager_with(IT_FILE)
    path = tmp_path / "station.ini"
    screen = DevicesScreen(manager, _admin())
    qtbot.addWidget(screen)
    screen.show()
    row = next(r for r in range(screen.devices.rowCount())
               if screen.devices.item(r, 0).text() == "scale")
    screen.devices.selectRow(row)
    qtbot.waitUntil(lambda: screen.name_edit.text() == "scale")
    screen.tolerance_spin.setValue(5)
    screen.save_button.click()
    assert not screen.form_message.is_error(), screen.form_message.text()
    assert path.read_text(encoding="utf-8") == IT_FILE.replace(
        "tolerance_g = 2   ; grams", "tolerance_g = 5   ; grams")
    # A prefix the file cannot hold is refused naming the section and key, in the reader's
    # words, and the file stays as it was.
    wedge = next(r for r in range(screen.devices.rowCount())
                 if screen.devices.item(r, 0).text() == "wedge")
    screen.devices.selectRow(wedge)
    qtbot.waitUntil(lambda: screen.name_edit.text() == "wedge")
    before = path.read_text(encoding="utf-8")
    screen.prefix_edit.setText("a ;b")
    screen.save_button.click()
    assert screen.form_message.is_error()
    said = screen.form_message.text()
    assert "[device:wedge] prefix" in said
    assert ("无法写入设置文件" in said) if language == "zh_CN" else ("cannot be written" in said)
    assert path.read_text(encoding="utf-8") == before


BROKEN_AMONG_GOOD = """\
[device:bench scale]
kind = scale
url = sim://bench

[device:lift]
kind = forklift   ; mistyped
url = sim://lift

[device:wedge]
kind = wedge
enabled = false
"""


def test_a_broken_section_is_listed_with_why_and_can_be_removed_while_the_rest_runs(
        qtbot: QtBot, manager_with, tmp_path: Path, language: str, monkeypatch) -> None:
    manager = manager_with(BROKEN_AMONG_GOOD)
    # The scale (its name has a space, as stations name them) runs; the forklift does not.
    assert [s.name for s in manager.service.specs] == ["bench scale", "wedge"]
    assert list(manager.service.broken) == ["lift"]
    screen = DevicesScreen(manager, _admin())
    qtbot.addWidget(screen)
    screen.show()
    rows = {screen.devices.item(r, 0).text(): r for r in range(screen.devices.rowCount())}
    assert set(rows) == {"bench scale", "wedge", "lift"}
    why = screen.devices.item(rows["lift"], 3).text()
    assert "[device:lift] kind" in why and "forklift" in why
    assert ("不在可选值" in why) if language == "zh_CN" else ("is not one of" in why)
    # Reconnecting all says it again, in the reader's words, below the screen.
    screen.restart_button.click()
    qtbot.waitUntil(lambda: "[device:lift] kind" in screen.message.text())
    assert screen.message.is_error() and "forklift" in screen.message.text()
    qtbot.waitUntil(lambda: screen.devices.rowCount() == 3)
    # Selected, it opens in the form to be fixed or removed.
    screen.devices.selectRow(rows["lift"])
    qtbot.waitUntil(lambda: screen.name_edit.text() == "lift")
    monkeypatch.setattr("app.ui.devices_screen.ask", lambda *_a: True)
    screen.remove_button.click()
    assert "lift" not in (tmp_path / "station.ini").read_text(encoding="utf-8")
    assert "; mistyped" not in (tmp_path / "station.ini").read_text(encoding="utf-8")
    assert manager.service.broken == {}
    qtbot.waitUntil(lambda: screen.devices.rowCount() == 2)
    # The one named with a space can be changed on the screen too.
    rows = {screen.devices.item(r, 0).text(): r for r in range(screen.devices.rowCount())}
    screen.devices.selectRow(rows["bench scale"])
    qtbot.waitUntil(lambda: screen.name_edit.text() == "bench scale")
    screen.tolerance_spin.setValue(7)
    screen.save_button.click()
    assert not screen.form_message.is_error(), screen.form_message.text()
    saved = devices.load_specs(Settings.load(tmp_path / "station.ini"))
    assert [(s.name, s.options.get("tolerance_g")) for s in saved] == [
        ("bench scale", 7), ("wedge", None)]


def test_a_bad_url_on_the_form_is_explained_in_the_readers_language(
        qtbot: QtBot, manager_with, language: str) -> None:
    manager = manager_with("[device:wedge]\nkind = wedge\nenabled = false\n")
    screen = DevicesScreen(manager, _admin())
    qtbot.addWidget(screen)
    screen.url_edit.setText("serial:///dev/x?baud=fast")
    said = screen.url_check.text()
    assert said.startswith("✖") and "fast" in said
    assert ("「baud」应为" in said) if language == "zh_CN" else ("baud is a whole number" in said)
    assert "must be" not in said


def test_the_screen_shows_each_print_component_and_its_printers(
        qtbot: QtBot, manager_with) -> None:
    """The components are asked off the GUI thread: one runs and offers the printer, one runs
    without it, one is not running."""
    from tests.helpers.fake_component import FakeComponent

    with FakeComponent("cainiao", printers=("ZTO-1", "Deli DL-888")) as cainiao, \
            FakeComponent("pdd", printers=("Other",)) as pdd, \
            FakeComponent("kuaishou") as gone:
        gone_url = gone.url("KS")
        gone.stop()
        manager = manager_with(
            "[device:wedge]\nkind = wedge\nenabled = false\n"
            f"[printer:cn]\nurl = {cainiao.url('ZTO-1')}\nlanguage = cainiao\n"
            f"[printer:pdd]\nurl = {pdd.url('Mine')}\nlanguage = pdd\n"
            f"[printer:ks]\nurl = {gone_url}\nlanguage = kuaishou\n")
        screen = DevicesScreen(manager, _admin())
        qtbot.addWidget(screen)
        table = screen.components

        def row(r: int) -> list[str]:
            return [table.item(r, c).text() if table.item(r, c) else "" for c in range(4)]

        qtbot.waitUntil(lambda: table.rowCount() == 3 and "Asking…" not in {
            row(r)[2] for r in range(3)}, timeout=10_000)
        assert row(0) == ["cn", "Cainiao", "Running", "ZTO-1, Deli DL-888"]
        assert row(1)[:3] == ["pdd", "Pinduoduo", "Running, Mine not offered"]
        assert row(2)[2] == "Not running" and "not running" in table.item(2, 2).toolTip()
        assert screen.components_box.isVisibleTo(screen)
        assert cainiao.connections == 1 and not cainiao.documents


def test_the_print_components_are_shown_in_the_readers_language(
        qtbot: QtBot, manager_with, language: str) -> None:
    """The components' table speaks the reader's language: whether each runs, its printers."""
    import os

    from tests.helpers.fake_component import FakeComponent

    with FakeComponent("cainiao", printers=("菜鸟-ZTO-01", "Deli DL-888")) as cainiao, \
            FakeComponent("kuaishou") as gone:
        gone_url = gone.url("KS")
        gone.stop()
        manager = manager_with(
            "[device:wedge]\nkind = wedge\nenabled = false\n"
            f"[printer:cn]\nurl = {cainiao.url('菜鸟-ZTO-01')}\nlanguage = cainiao\n"
            f"[printer:ks]\nurl = {gone_url}\nlanguage = kuaishou\n")
        screen = DevicesScreen(manager, _admin())
        qtbot.addWidget(screen)
        table = screen.components
        asking = "正在询问…" if language == "zh_CN" else "Asking…"
        qtbot.waitUntil(lambda: table.rowCount() == 2 and all(
            table.item(r, 2) is not None and table.item(r, 2).text() != asking
            for r in range(2)), timeout=10_000)
        running, not_running = (("运行中", "未运行") if language == "zh_CN"
                                else ("Running", "Not running"))
        assert [table.item(r, 2).text() for r in range(2)] == [running, not_running]
        assert table.item(0, 3).text() == "菜鸟-ZTO-01, Deli DL-888"
        shots = os.environ.get("PACKLINE_SCREENSHOT_DIR")
        if shots:  # a look at it: PACKLINE_SCREENSHOT_DIR=/tmp/shots pytest this test
            screen.resize(1280, 800)
            screen.show()
            screen.grab().save(str(Path(shots) / f"components_{language}.png"))


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_a_settings_file_this_account_may_not_change_is_said_and_left_alone(
        qtbot: QtBot, manager_with, tmp_path: Path, language: str, qapp,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """On Windows station.ini is the Administrators' to change: a plain user's save is
    refused by the system. (Here the file's replacement cannot be written: the name the save
    writes first is taken by a folder.)"""
    import os

    from app.ui import app as app_module

    # This checkout's translations (the installed package's may be older).
    monkeypatch.setattr(app_module, "resources_dir",
                        lambda: Path(__file__).resolve().parents[2] / "resources")
    translator = app_module.install_translator(qapp, language)
    try:
        manager = manager_with(IT_FILE)
        path = tmp_path / "station.ini"
        (tmp_path / "station.tmp").mkdir()
        screen = DevicesScreen(manager, _admin())
        qtbot.addWidget(screen)
        screen.show()
        screen.name_edit.setText("trainer")
        screen.url_edit.setText("sim://trainer")
        screen.save_button.click()
        assert screen.form_message.is_error()
        said = screen.form_message.text()
        shots = os.environ.get("PACKLINE_SCREENSHOT_DIR")
        if shots:  # a look at it: PACKLINE_SCREENSHOT_DIR=/tmp/shots pytest this test
            screen.grab().save(str(Path(shots) / f"not_writable_{language}.png"))
    finally:
        if translator is not None:
            qapp.removeTranslator(translator)
    assert ("只有管理员" in said) if language == "zh_CN" else ("only an administrator" in said)
    assert path.read_text(encoding="utf-8") == IT_FILE
