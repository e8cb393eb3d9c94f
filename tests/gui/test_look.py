"""The station's look: the light and dark themes (and the View menu's choice remembered), the
window's size and the tables' columns remembered, the icons, the keys named in tooltips and in
the Help menu, the About box, the devices on the status bar, and the sounds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app import __version__
from app.config import Settings, load_config
from app.station.devices import DeviceService
from app.store.db import Database
from app.ui import feedback, style
from app.ui.app import apply_look
from app.ui.device_manager import DeviceManager
from app.ui.layout_memory import LayoutMemory
from app.ui.main_window import MainWindow
from app.ui.qt import (
    QAction,
    QApplication,
    QHeaderView,
    QMessageBox,
    QPalette,
    QPushButton,
    Qt,
    QTableView,
    QTableWidget,
)
from app.ui.widgets import with_shortcut_tip

TIMEOUT = 20_000


@pytest.fixture
def app_look(qapp: QApplication) -> Iterator[QApplication]:
    """The application's palette, style sheet and theme put back after the test: the other
    tests of the run see the app as they always do."""
    app = qapp
    palette, sheet, theme = QPalette(app.palette()), app.styleSheet(), style.current()
    yield app
    app.setStyleSheet(sheet)
    app.setPalette(palette)
    style._current = theme


def _window(qtbot: QtBot, db: Database, memory: LayoutMemory | None = None,
            devices: DeviceManager | None = None) -> MainWindow:
    window = MainWindow(db, "ST-TEST", "test-db", devices, memory=memory)
    qtbot.addWidget(window)
    return window


def _log_in(qtbot: QtBot, window: MainWindow, code: str = "lead01",
            password: str = "lead123") -> None:
    window.show()
    window.login.user.setText(code)
    window.login.password.setText(password)
    window.login.submit()
    qtbot.waitUntil(lambda: window.actor is not None, timeout=TIMEOUT)


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# ------------------------------------------------------------------ themes


def test_the_two_themes_differ_and_the_app_takes_the_one_applied(app_look: QApplication) -> None:
    light, dark = style.palette("light"), style.palette("dark")
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base, QPalette.ColorRole.Text):
        assert light.color(role) != dark.color(role), role
    assert light.color(QPalette.ColorRole.Window).lightness() > 200
    assert dark.color(QPalette.ColorRole.Window).lightness() < 60
    style.apply(app_look, "dark")
    assert app_look.palette().color(QPalette.ColorRole.Window) == dark.color(
        QPalette.ColorRole.Window)
    assert "#navigation" in app_look.styleSheet() and style.current() == "dark"
    style.apply(app_look, "light")
    assert app_look.palette().color(QPalette.ColorRole.Window) == light.color(
        QPalette.ColorRole.Window)


def test_text_is_readable_on_each_theme() -> None:
    """Window and field text at least 7:1; a meaning-carrying colour at least 4.5:1 on the
    dark theme's window and fields; the scan feedback's own colours 4.5:1 on their grounds."""
    for theme in style.THEMES:
        p = style.palette(theme)
        for text, ground in ((QPalette.ColorRole.WindowText, QPalette.ColorRole.Window),
                             (QPalette.ColorRole.Text, QPalette.ColorRole.Base),
                             (QPalette.ColorRole.ButtonText, QPalette.ColorRole.Button)):
            assert contrast(p.color(text).name(), p.color(ground).name()) >= 7, (theme, text)
    dark = style.palette("dark")
    for light_ink, dark_ink in style._DARK_INK.items():
        for ground in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
            assert contrast(dark_ink, dark.color(ground).name()) >= 4.5, (light_ink, ground)
        assert contrast(light_ink, "#ffffff") >= 3, light_ink  # the light theme's own
    for kind, (ground, ink, _symbol) in feedback.STYLES.items():
        assert contrast(ink, ground) >= 4.5, kind


def test_the_view_menu_switches_the_theme_and_the_station_remembers_it(
        qtbot: QtBot, gui_db: Database, station_home: Path, app_look: QApplication) -> None:
    station_home.mkdir(parents=True, exist_ok=True)
    style.apply(app_look, "light")
    layout = load_config().paths.layout  # the person's own folder: PACKLINE_HOME/user
    assert layout == station_home.resolve() / "user" / "ui-state.ini"
    window = _window(qtbot, gui_db, LayoutMemory(layout))
    action = window.findChild(QAction, "darkThemeAction")
    assert action is not None and not action.isChecked()
    action.trigger()
    dark = style.palette("dark").color(QPalette.ColorRole.Window)
    assert app_look.palette().color(QPalette.ColorRole.Window) == dark
    window.close()
    assert "theme=dark" in layout.read_text(encoding="utf-8")
    assert not (station_home / "ui-state.ini").exists()

    # The next start: station.ini says light (its default), the station's choice wins.
    style.apply(app_look, "light")
    cfg = load_config()
    assert cfg.settings.ui.theme == "light"
    memory = apply_look(app_look, cfg)
    assert style.current() == "dark"
    assert app_look.palette().color(QPalette.ColorRole.Window) == dark
    again = _window(qtbot, gui_db, memory)
    assert again.findChild(QAction, "darkThemeAction").isChecked()


def test_station_ini_chooses_the_theme_until_the_view_menu_does(
        station_home: Path, app_look: QApplication) -> None:
    station_home.mkdir(parents=True, exist_ok=True)
    (station_home / "station.ini").write_text("[ui]\ntheme = Dark\n", encoding="utf-8")
    apply_look(app_look, load_config())
    assert style.current() == "dark"
    (station_home / "station.ini").write_text("[ui]\ntheme = system\n", encoding="utf-8")
    apply_look(app_look, load_config())
    assert style.current() == style.resolve("system")


def test_a_theme_given_by_set_or_the_environment_wins_over_the_remembered_one(
        station_home: Path, app_look: QApplication, monkeypatch: pytest.MonkeyPatch) -> None:
    station_home.mkdir(parents=True, exist_ok=True)
    layout = load_config().paths.layout
    LayoutMemory(layout).set_theme("dark")  # chosen in the View menu at an earlier start
    monkeypatch.delenv("PACKLINE_UI_THEME", raising=False)
    apply_look(app_look, load_config())
    assert style.current() == "dark"
    apply_look(app_look, load_config(flags=["ui.theme=light"]))
    assert style.current() == "light"
    apply_look(app_look, load_config(environ={"PACKLINE_UI_THEME": "light"}))
    assert style.current() == "light"
    # A file's theme (the person's or the machine's) gives way to the remembered one.
    (station_home / "user").mkdir(exist_ok=True)
    (station_home / "user" / "station.ini").write_text("[ui]\ntheme = light\n",
                                                        encoding="utf-8")
    apply_look(app_look, load_config())
    assert style.current() == "dark"


# ------------------------------------------------------------------ remembered layouts


def test_the_window_and_a_tables_columns_come_back_as_they_were_left(
        qtbot: QtBot, gui_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "ui-state.ini"
    first = _window(qtbot, gui_db, LayoutMemory(path))
    _log_in(qtbot, first)
    first.resize(760, 560)  # within the offscreen screen (800x600), as a real one fits
    left = (first.width(), first.height())
    assert left != (1400, 860)
    table = first.open_screens["orders"].findChild(QTableView, "ordersTable")
    assert table is not None and table.columnWidth(0) != 233
    table.setColumnWidth(0, 233)
    first.close()

    second = _window(qtbot, gui_db, LayoutMemory(path))
    assert (second.width(), second.height()) == left
    _log_in(qtbot, second)
    again = second.open_screens["orders"].findChild(QTableView, "ordersTable")
    assert again is not None and again.columnWidth(0) == 233
    # The sort shown is the screen's own, whatever the saved layout held.
    assert again.horizontalHeader().sortIndicatorOrder() == Qt.SortOrder.DescendingOrder


def test_a_logout_keeps_the_columns_for_the_next_person(
        qtbot: QtBot, gui_db: Database, tmp_path: Path) -> None:
    memory = LayoutMemory(tmp_path / "ui-state.ini")
    window = _window(qtbot, gui_db, memory)
    _log_in(qtbot, window)
    rules = window.open_screens["rules"].findChild(QTableWidget, "rulesTable")
    assert rules is not None
    rules.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
    rules.setColumnWidth(0, 97)
    window.logout()
    assert memory.settings.value("tables/rules/rulesTable/state") is not None
    _log_in(qtbot, window)
    rules = window.open_screens["rules"].findChild(QTableWidget, "rulesTable")
    assert rules is not None and rules.columnWidth(0) == 97


def test_every_table_on_every_screen_has_a_name_to_be_remembered_by(
        qtbot: QtBot, gui_db: Database) -> None:
    window = _window(qtbot, gui_db)
    _log_in(qtbot, window, "admin", "admin123")
    unnamed = [(key, type(t).__name__) for key, screen in window.open_screens.items()
               for t in screen.findChildren(QTableView) if not t.objectName()]
    assert not unnamed


# ------------------------------------------------------------------ icons and title


def test_the_app_and_every_screen_have_their_icon_and_the_title_names_the_screen(
        qtbot: QtBot, gui_db: Database) -> None:
    assert not style.app_icon().isNull()
    for key in style.SCREEN_ICONS:
        assert not style.screen_icon(key).isNull(), key
    window = _window(qtbot, gui_db)
    assert not window.windowIcon().isNull()
    assert window.windowTitle() == "Packline"
    _log_in(qtbot, window, "admin", "admin123")
    assert window.nav is not None and window.nav.count() == 9  # no station: no bench screens
    for row in range(window.nav.count()):
        item = window.nav.item(row)
        assert not item.icon().isNull(), item.text()
    assert window.windowTitle() == "Orders — Packline"
    window.go_to_row(2)
    assert window.windowTitle() == "Users — Packline"
    window.logout()
    assert window.windowTitle() == "Packline"


# ------------------------------------------------------------------ keys


def test_buttons_with_a_key_name_it_in_their_tooltip(qtbot: QtBot, gui_db: Database) -> None:
    window = _window(qtbot, gui_db)
    _log_in(qtbot, window)
    orders = window.open_screens["orders"]
    for name, key in (("holdButton", "Ctrl+H"), ("releaseButton", "Ctrl+Shift+H"),
                      ("cancelButton", "Ctrl+Del"), ("engineButton", "Ctrl+E")):
        button = orders.findChild(QPushButton, name)
        assert button is not None and f"({key})" in button.toolTip(), (name, button.toolTip())
    picking = window.open_screens["picking"]
    for name, key in (("skipButton", "F6"), ("handBackButton", "F7"), ("shortButton", "F8"),
                      ("abandonButton", "F11")):
        button = picking.findChild(QPushButton, name)
        assert button is not None and button.toolTip().endswith(f"({key})"), name
    assert window.open_screens["campaigns"].refresh_button.toolTip().endswith("(F5)")
    action = QAction("Reprint", window)
    assert with_shortcut_tip(action, "Print the label again", "F9") == \
        "Print the label again (F9)" == action.toolTip()


def test_the_help_menu_lists_the_screens_keys_and_the_windows(
        qtbot: QtBot, gui_db: Database) -> None:
    window = _window(qtbot, gui_db)
    _log_in(qtbot, window)
    window.go_to_row(1)  # the lead lands on the dashboard; the orders screen is next
    window.findChild(QAction, "shortcutsAction").trigger()
    dialog = window.dialog
    assert dialog is not None and dialog.isVisible()
    table = dialog.findChild(QTableWidget, "shortcutsTable")
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert rows["Ctrl+H"].startswith("Hold") and "Ctrl+H" not in rows["Ctrl+H"]
    assert rows["F5"] and rows["Ctrl+F"]  # the orders screen's refresh and search
    assert rows["Alt+1"] == "Go to Dashboard" and rows["Alt+2"] == "Go to Orders"
    assert rows["Alt+4"] == "Go to Exceptions"
    assert rows["F1"] and rows["Ctrl+Shift+L"] == "Log out"
    dialog.reject()
    assert not dialog.isVisible()


def test_the_about_box_says_the_version_station_and_database(
        qtbot: QtBot, gui_db: Database) -> None:
    window = _window(qtbot, gui_db)
    window.show()
    window.findChild(QAction, "aboutAction").trigger()
    box = window.dialog
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert __version__ in box.text() and __version__ in box.windowTitle()
    details = box.informativeText()
    assert f"Version: {__version__}" in details
    assert "ST-TEST" in details and "test-db" in details and "©" in details
    assert not box.iconPixmap().isNull()
    ok = box.button(QMessageBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not box.isVisible())


# ------------------------------------------------------------------ the status bar


def test_the_status_bar_says_whether_scanner_and_scale_are_connected(
        qtbot: QtBot, gui_db: Database) -> None:
    settings = Settings.empty()
    settings.set_section("device:gun", {"kind": "scanner", "url": "sim://gun"})
    settings.set_section("device:bench", {"kind": "scale", "url": "sim://bench"})
    settings.set_section("device:wedge", {"kind": "wedge", "enabled": "false"})
    service = DeviceService(settings, watch_ports=False)
    manager = DeviceManager(service)
    try:
        window = _window(qtbot, gui_db, devices=manager)
        label = window.devices_label
        assert label.objectName() == "statusDevices"
        service.start().result(10)
        qtbot.waitUntil(lambda: label.text() == "Scanner ✔ · Scale ✔", timeout=TIMEOUT)
        service.set_cable("bench", False)
        qtbot.waitUntil(lambda: label.text() == "Scanner ✔ · Scale ✖", timeout=TIMEOUT)
        assert "bench" in label.toolTip()
    finally:
        manager.close()
        service.stop()


def test_a_station_without_devices_says_so(qtbot: QtBot, gui_db: Database) -> None:
    window = _window(qtbot, gui_db)
    assert window.devices_label.text() == "No devices"
    assert window.findChild(type(window.sync_label), "syncStatus") is window.sync_label


# ------------------------------------------------------------------ sounds


def test_muted_no_sound_effect_is_made(qtbot: QtBot) -> None:
    assert feedback.muted  # PACKLINE_MUTE=1 (tests/conftest.py)
    feedback.play("ok")
    assert feedback.played[-1] == "ok" and feedback.effects == {}


def _audio_outputs() -> int:
    """How many audio outputs Qt Multimedia sees here, asked in a process of its own (the
    asking loads the audio back end, which complains on a machine without sound)."""
    done = subprocess.run(
        [sys.executable, "-c", "import json; from PySide6.QtWidgets import QApplication; "
         "from PySide6.QtMultimedia import QMediaDevices; app = QApplication([]); "
         "print(json.dumps(len(QMediaDevices.audioOutputs())))"],
        capture_output=True, text=True, timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    try:
        return int(json.loads(done.stdout.strip().splitlines()[-1]))
    except (ValueError, IndexError):
        return 0


@pytest.mark.skipif(_audio_outputs() == 0, reason="no audio output on this machine: Qt "
                    "Multimedia warns when it cannot reach one (PulseAudio, PipeWire, "
                    "WASAPI), so the un-muted sound is tested only where one exists")
def test_unmuted_a_sound_plays_through_a_sound_effect(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feedback, "muted", False)
    monkeypatch.setattr(feedback, "effects", {})
    feedback.play("ok")
    effect = feedback.effects["ok"]
    qtbot.waitUntil(lambda: effect.isPlaying() or effect.status() == effect.Status.Error,
                    timeout=TIMEOUT)
    assert effect.status() != effect.Status.Error
    feedback.play("ok")  # the same effect again, not another
    assert list(feedback.effects) == ["ok"]
