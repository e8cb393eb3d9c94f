"""The keyboard-wedge filter fed the key events a real X server delivers: a scanner typing
capitals with Shift held (`xdotool type --delay 4 "PL2612060000171"`), GS1 codes with Ctrl+]
and Alt codes, and a person's typing queued behind a busy GUI. Each event carries its X
timestamp in milliseconds, as the events of a real keyboard do."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app import devices
from app.config import Settings
from app.domain.roles import Role
from app.services.context import Actor
from app.station.devices import Scanned
from app.ui import tasks
from app.ui.devices_screen import DevicesScreen
from app.ui.main_window import MainWindow
from app.ui.qt import QApplication, QEvent, QKeyEvent, QLineEdit, Qt
from app.ui.wedge_filter import WedgeFilter
from drivers.barcode import ScanKind
from drivers.wedge import WedgeClassifier
from tests.helpers.devices import desk_devices

M = Qt.KeyboardModifier
SHIFT, CTRL, ALT, KEYPAD = M.ShiftModifier, M.ControlModifier, M.AltModifier, M.KeypadModifier
NONE = M.NoModifier
Event = tuple[QEvent.Type, Qt.Key, Qt.KeyboardModifier, str, int]
PRESS, RELEASE = QEvent.Type.KeyPress, QEvent.Type.KeyRelease


def _key(ch: str) -> Qt.Key:
    return {"-": Qt.Key.Key_Minus, "~": Qt.Key.Key_AsciiTilde, "\r": Qt.Key.Key_Return,
            "\t": Qt.Key.Key_Tab}.get(ch) or Qt.Key(ord(ch.upper()))


def x_typed(text: str, start: int, per_char_ms: int = 2) -> list[Event]:
    """What X delivers for `xdotool type`: a capital is Shift press, the key with Shift held,
    Shift release, then the key's release (lowercase text); Enter is Key_Return "\\r"."""
    events: list[Event] = []
    t = start
    for ch in text:
        if ch.isupper() or ch == "~":
            events += [(PRESS, Qt.Key.Key_Shift, SHIFT, "", t),
                       (PRESS, _key(ch), SHIFT, ch, t),
                       (RELEASE, Qt.Key.Key_Shift, NONE, "", t + 1),
                       (RELEASE, _key(ch), NONE, ch.lower(), t + 1)]
        else:
            events += [(PRESS, _key(ch), NONE, ch, t), (RELEASE, _key(ch), NONE, ch, t + 1)]
        t += per_char_ms
    return events


def ctrl_bracket(t: int) -> list[Event]:
    """The GS separator as many wedges type it (Ctrl+]), as X delivers it."""
    return [(PRESS, Qt.Key.Key_Control, CTRL, "", t),
            (PRESS, Qt.Key.Key_BracketRight, CTRL, "\x1d", t + 1),
            (RELEASE, Qt.Key.Key_Control, NONE, "", t + 2),
            (RELEASE, Qt.Key.Key_BracketRight, NONE, "]", t + 2)]


def alt_code(code: str, t: int) -> list[Event]:
    """A scanner in Alt mode: Alt held, keypad digits, Alt released."""
    events: list[Event] = [(PRESS, Qt.Key.Key_Alt, ALT, "", t)]
    for d in code:
        t += 1
        events += [(PRESS, Qt.Key(ord(d)), ALT | KEYPAD, d, t),
                   (RELEASE, Qt.Key(ord(d)), ALT | KEYPAD, d, t)]
    return events + [(RELEASE, Qt.Key.Key_Alt, NONE, "", t + 1)]


def send(target: QLineEdit, events: list[Event]) -> None:
    """Deliver the events back to back, as the event loop does with input queued while it
    was busy: only the timestamps tell how far apart they were typed."""
    for kind, key, mods, text, stamp in events:
        event = QKeyEvent(kind, key, mods, text)
        event.setTimestamp(stamp)
        QApplication.sendEvent(target, event)


@pytest.fixture
def scans() -> Iterator[list[str]]:
    flt = WedgeFilter(WedgeClassifier(max_interkey_ms=30, min_length=4))
    seen: list[str] = []
    flt.scanned.connect(seen.append)
    flt.install()
    yield seen
    flt.remove()
    flt.deleteLater()


def test_a_scanner_typing_capitals_with_shift_is_one_scan(
        qtbot: QtBot, field: QLineEdit, scans: list[str]) -> None:
    send(field, x_typed("PL2612060000171\r", start=496_096))
    assert scans == ["PL2612060000171"]
    assert field.text() == ""


def test_typing_queued_behind_a_busy_gui_reaches_the_field(
        qtbot: QtBot, field: QLineEdit, scans: list[str]) -> None:
    entered: list[str] = []
    field.returnPressed.connect(lambda: entered.append(field.text()))
    # A person typed these 80-200 ms apart while the GUI was busy; they arrive together.
    events: list[Event] = []
    t = 1_000_000
    for ch, gap in zip("SKU-00042\r", [0, 120, 80, 200, 90, 150, 110, 80, 130, 170],
                       strict=True):
        t += gap
        events += x_typed(ch, t)
    send(field, events)
    qtbot.waitUntil(lambda: entered == ["SKU-00042"], timeout=2000)
    assert scans == []
    assert field.text() == "SKU-00042"


def test_a_gs1_code_with_ctrl_bracket_keeps_its_separators(
        qtbot: QtBot, field: QLineEdit, scans: list[str]) -> None:
    events = (x_typed("0109501101530003", 5_000) + ctrl_bracket(5_033)
              + x_typed("10ABC123\r", 5_036))
    send(field, events)
    assert scans == ["0109501101530003\x1d10ABC123"]
    assert field.text() == ""


def test_a_scanner_in_alt_mode_is_one_scan_with_its_separators(
        qtbot: QtBot, field: QLineEdit, scans: list[str]) -> None:
    events: list[Event] = []
    t = 70_000
    for code in ("87", "65", "86", "69", "45", "49", "50", "0029", "55"):  # WAVE-12 GS 7
        events += alt_code(code, t)
        t += 7
    send(field, events + x_typed("\r", t))
    assert scans == ["WAVE-12\x1d7"]
    assert field.text() == ""


def test_a_person_typing_an_alt_code_gets_the_character(
        qtbot: QtBot, field: QLineEdit, scans: list[str]) -> None:
    send(field, x_typed("x", 1_000) + alt_code("0176", 1_400))
    qtbot.waitUntil(lambda: field.text() == "x°", timeout=2000)
    assert scans == []


@pytest.mark.parametrize(("after_ms", "expected"), [(0, "x°"), (150, "x°°")])
def test_the_systems_own_alt_code_character_is_not_typed_twice(
        qtbot: QtBot, field: QLineEdit, scans: list[str], after_ms: int, expected: str) -> None:
    """Windows sends the composed character itself right after the Alt release; a person
    typing the same character a moment later still gets it."""
    events = x_typed("x", 1_000) + alt_code("0176", 1_400)
    release_at = events[-1][4]
    events.append((PRESS, Qt.Key.Key_unknown, NONE, "°", release_at + after_ms))
    send(field, events)
    qtbot.waitUntil(lambda: field.text() == expected, timeout=2000)
    assert scans == []


def test_ctrl_bracket_outside_a_scan_is_left_alone(
        qtbot: QtBot, field: QLineEdit, scans: list[str]) -> None:
    send(field, x_typed("ab", 1_000, per_char_ms=150) + ctrl_bracket(1_500))
    qtbot.waitUntil(lambda: field.text() == "ab", timeout=2000)
    assert scans == []


def test_a_badge_scanned_with_capitals_logs_in(qtbot: QtBot, gui_db) -> None:
    from tests.helpers.screens import issue_badge

    badge = issue_badge(gui_db, "packer01")
    window = MainWindow(gui_db, "ST-TEST", "test")
    qtbot.addWidget(window)
    window.show()
    window.login.user.setFocus()
    qtbot.waitUntil(window.login.user.hasFocus)
    # The input method (a Chinese IME) would swallow a scanner's keys: it is off here.
    assert not window.login.user.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)
    send(window.login.user, x_typed(badge + "\r", 80_000))
    qtbot.waitUntil(lambda: window.actor is not None, timeout=10_000)
    assert window.actor.code == "packer01"
    qtbot.waitUntil(lambda: not tasks.pending(), timeout=10_000)


def test_a_scanner_set_up_with_a_prefix_is_recognised_from_its_first_key(
        qtbot: QtBot, field: QLineEdit, tmp_path: Path) -> None:
    path = tmp_path / "station.ini"
    path.write_text("[device:wedge]\nkind = wedge\nprefix = ~\nsuffix = tab\n",
                    encoding="utf-8")
    got: list[Scanned] = []
    with desk_devices(Settings.load(path)) as manager:
        manager.scanned.connect(got.append)
        # With a prefix, other typing is not held at all, even fast typing.
        send(field, x_typed("ab", 2_000))
        assert field.text() == "ab"
        send(field, x_typed("~PL2612060000171\t", 3_000))
        qtbot.waitUntil(lambda: len(got) == 1)
        assert [(g.device, g.scan.kind, g.scan.value) for g in got] == [
            ("wedge", ScanKind.ORDER, "PL2612060000171")]
        assert field.text() == "ab"


def test_the_devices_screen_keeps_and_edits_the_wedge_prefix(
        qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "station.ini"
    path.write_text("[device:wedge]\nkind = wedge\nprefix = ~\nsuffix = cr\n",
                    encoding="utf-8")
    admin = Actor(user_id=None, code="it01", name="IT", role=Role.ADMIN, station="ST-T")
    with desk_devices(Settings.load(path)) as manager:
        screen = DevicesScreen(manager, admin)
        qtbot.addWidget(screen)
        screen.show()
        qtbot.waitUntil(lambda: screen.devices.rowCount() == 1)
        screen.devices.selectRow(0)
        assert screen.prefix_edit.text() == "~"
        assert screen.suffix_combo.currentData() == "enter"  # cr is Enter
        screen.interkey_spin.setValue(40)
        screen.save_button.click()
        assert not screen.form_message.is_error(), screen.form_message.text()
        (saved,) = devices.load_specs(Settings.load(path))
        assert (saved.options["prefix"], saved.options["max_interkey_ms"]) == ("~", 40)
        screen.prefix_edit.setText("")
        screen.save_button.click()
        (saved,) = devices.load_specs(Settings.load(path))
        assert saved.options["prefix"] == ""
        # Saved is reconnected: the keyboard filter listens with the new setting.
        qtbot.waitUntil(lambda: manager.wedge is not None
                        and manager.wedge.classifier.prefix == "")


# ---- a person at a question or a button: the keys held back for a moment still do their work


def _answer_with(qtbot: QtBot, keys: list[Event]) -> bool:
    """Ask the standard Yes/No question (No by default) and type `keys` into it once shown."""
    from app.ui.qt import QMessageBox, QTimer, QWidget
    from app.ui.widgets import ask

    owner = QWidget()
    qtbot.addWidget(owner)
    owner.show()

    def press() -> None:
        box = QApplication.activeModalWidget()
        focus = QApplication.focusWidget()
        if not isinstance(box, QMessageBox) or not box.isVisible() or focus is None:
            QTimer.singleShot(20, press)
            return
        for kind, key, mods, text, stamp in keys:  # each to the focus of the moment, as X
            event = QKeyEvent(kind, key, mods, text)
            event.setTimestamp(stamp)
            QApplication.sendEvent(QApplication.focusWidget() or box, event)

    left_open: list[bool] = []

    def give_up() -> None:  # the keys did nothing: close it, so the test fails, not hangs
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            left_open.append(True)
            box.reject()

    QTimer.singleShot(0, press)
    QTimer.singleShot(3000, give_up)
    answer = ask(owner, "Short pick", "Only 0 of 1 found?")
    assert not left_open, "the question was still open 3 s after the keys"
    return answer


def test_y_in_a_question_answers_yes(qtbot: QtBot, scans: list[str]) -> None:
    assert _answer_with(qtbot, x_typed("y", 2_000_000, per_char_ms=150)) is True
    assert scans == []


def test_enter_in_a_question_takes_its_default_no(qtbot: QtBot, scans: list[str]) -> None:
    assert _answer_with(qtbot, x_typed("\r", 2_000_000)) is False
    assert scans == []


def test_tab_to_yes_then_space_answers_yes(qtbot: QtBot, scans: list[str]) -> None:
    # From the default No, Shift+Tab (which types nothing) goes back to Yes; Space presses it.
    back = [(PRESS, Qt.Key.Key_Shift, SHIFT, "", 2_000_000),
            (PRESS, Qt.Key.Key_Backtab, SHIFT, "", 2_000_001),
            (RELEASE, Qt.Key.Key_Backtab, SHIFT, "", 2_000_060),
            (RELEASE, Qt.Key.Key_Shift, NONE, "", 2_000_070)]
    assert _answer_with(qtbot, back + x_typed(" ", 2_000_300)) is True


def test_space_on_a_focused_button_presses_it_once(qtbot: QtBot, scans: list[str]) -> None:
    from app.ui.qt import QPushButton

    button = QPushButton("Tick all")
    qtbot.addWidget(button)
    clicks: list[bool] = []
    button.clicked.connect(lambda: clicks.append(True))
    button.show()
    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    # The press, then its release 60 ms later: a person's Space.
    send(button, [(PRESS, Qt.Key.Key_Space, NONE, " ", 3_000_000),
                  (RELEASE, Qt.Key.Key_Space, NONE, " ", 3_000_060)])
    qtbot.waitUntil(lambda: len(clicks) == 1, timeout=2000)
    assert not button.isDown()
    assert scans == []


def test_space_in_a_field_is_still_typed(qtbot: QtBot, field: QLineEdit,
                                         scans: list[str]) -> None:
    send(field, x_typed("a b", 4_000_000, per_char_ms=150))
    qtbot.waitUntil(lambda: field.text() == "a b", timeout=2000)


def test_a_count_typed_just_before_a_function_key_reaches_its_box_first(
        qtbot: QtBot, scans: list[str]) -> None:
    # A picker types the count and presses F8 at once (or both wait behind a busy GUI): F8's
    # shortcut reads the box, so the held digit must be in it by then, not typed after.
    from app.ui.qt import QKeySequence, QShortcut, QSpinBox, QVBoxLayout, QWidget

    bench = QWidget()
    qtbot.addWidget(bench)
    box = QSpinBox()
    box.setRange(0, 99)
    QVBoxLayout(bench).addWidget(box)
    read: list[int] = []
    QShortcut(QKeySequence("F8"), bench, activated=lambda: read.append(box.value()))
    bench.show()
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    box.lineEdit().selectAll()
    send(box, x_typed("7", 5_000_000))  # held: it could be a scanner's first key
    qtbot.keyClick(box, Qt.Key.Key_F8)  # through the shortcut map, as a real key
    assert read == [7]
