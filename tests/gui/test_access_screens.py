"""Access on the screens: badge logins (a lead's with the PIN), refusals in words, a badge never
shown or logged, the shift lead's approval at the packing bench, the admin's Users screen, and
a session that ends while the person works."""

from __future__ import annotations

import logging
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.config import Settings
from app.domain.access import USER_POLICY
from app.domain.roles import Permission, Role
from app.services import auth
from app.services.context import Actor
from app.store.db import Database
from app.store.models import AuditEntry, LoginThrottle, User
from app.ui.approval import ApprovalPanel
from app.ui.device_manager import DeviceManager
from app.ui.main_window import MainWindow
from app.ui.qt import (
    QApplication,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    Qt,
    QTableWidget,
    QTimer,
)
from app.ui.users_screen import UsersScreen
from tests.gui.test_wedge_keys import send, x_typed
from tests.helpers.devices import desk_devices
from tests.helpers.packing import station
from tests.helpers.screens import idle, issue_badge

TIMEOUT = 10_000


def _window(qtbot: QtBot, db: Database, devices: DeviceManager | None = None) -> MainWindow:
    window = MainWindow(db, "ST-TEST", "test", devices)
    qtbot.addWidget(window)
    window.show()
    return window


def _checked(qtbot: QtBot, window: MainWindow) -> None:
    idle(qtbot, lambda: window.actor is not None or window.login.button.isEnabled()
         and window.login.pin_button.isEnabled())


def _audit(db: Database, action: str) -> list[AuditEntry]:
    with db.reader() as s:
        rows = list(s.scalars(select(AuditEntry).where(AuditEntry.action == action)
                              .order_by(AuditEntry.id)))
        s.expunge_all()
        return rows


def _throttle(db: Database, key: str) -> LoginThrottle | None:
    with db.reader() as s:
        row = s.scalar(select(LoginThrottle).where(LoginThrottle.scope == "user",
                                                   LoginThrottle.key == key))
        if row is not None:
            s.expunge(row)
        return row


def _admin(db: Database) -> Actor:
    return auth.login_password(db, "admin", "admin123", "ST-TEST")


# ---------------------------------------------------------------- login


def test_a_leads_badge_asks_for_the_pin_and_logs_in_with_it(qtbot: QtBot, gui_db) -> None:
    badge = issue_badge(gui_db, "lead01")
    window = _window(qtbot, gui_db)
    window.login.badge_scanned(badge)
    _checked(qtbot, window)
    assert window.actor is None and window.login.asking_pin()
    assert "lead01" in window.login.pin_prompt.text()
    assert window.login.pin.echoMode() == QLineEdit.EchoMode.Password
    assert window.login.pin.hasFocus()
    qtbot.keyClicks(window.login.pin, "2468")
    qtbot.keyClick(window.login.pin, Qt.Key.Key_Return)
    _checked(qtbot, window)
    assert window.actor is not None and window.actor.code == "lead01"
    assert window.actor.via == "badge+pin"
    assert _audit(gui_db, "user.login")[-1].detail == {"by": "badge+pin"}


def test_a_wrong_pin_is_refused_counted_and_slows_the_next(qtbot: QtBot, gui_db) -> None:
    badge = issue_badge(gui_db, "lead01")
    window = _window(qtbot, gui_db)
    window.login.badge_scanned(badge)
    _checked(qtbot, window)
    for _ in range(USER_POLICY.delay_after):  # a typo or two, then a third
        qtbot.keyClicks(window.login.pin, "1111")
        qtbot.keyClick(window.login.pin, Qt.Key.Key_Return)
        _checked(qtbot, window)
        assert window.actor is None
        assert window.login.message.text() == "Wrong PIN or password."
        assert window.login.asking_pin() and window.login.pin.text() == ""
    row = _throttle(gui_db, "lead01")
    assert row is not None and row.failures == USER_POLICY.delay_after
    assert _audit(gui_db, "auth.login_failed")[-1].detail["reason"] == "wrong_pin"
    # At once again: the throttle asks to wait, in words, with the seconds.
    qtbot.keyClicks(window.login.pin, "2468")
    qtbot.keyClick(window.login.pin, Qt.Key.Key_Return)
    _checked(qtbot, window)
    assert window.actor is None
    text = window.login.message.text()
    assert text.startswith("Too many failed attempts: try again in ") and text.endswith(" s.")


def test_a_locked_user_is_told_in_words(qtbot: QtBot, gui_db) -> None:
    badge = issue_badge(gui_db, "lead01")
    with gui_db.unit_of_work() as s:
        s.add(LoginThrottle(scope="user", key="lead01", failures=5,
                            locked_until=datetime.now(UTC) + timedelta(minutes=15)))
    window = _window(qtbot, gui_db)
    window.login.badge_scanned(badge)
    _checked(qtbot, window)
    assert window.actor is None and not window.login.asking_pin()
    assert window.login.message.text() == (
        "Locked after too many failed attempts: try again in 15 min, or ask an admin to "
        "unlock.")


def test_a_locked_user_is_told_in_chinese(qtbot: QtBot, gui_db) -> None:
    from app.ui.app import install_translator

    with gui_db.unit_of_work() as s:
        s.add(LoginThrottle(scope="user", key="packer01", failures=5,
                            locked_until=datetime.now(UTC) + timedelta(minutes=15)))
    translator = install_translator(QApplication.instance(), "zh_CN")
    assert translator is not None
    try:
        window = _window(qtbot, gui_db)
        window.login.user.setText("packer01")
        window.login.password.setText("packer123")
        window.login.submit()
        _checked(qtbot, window)
        assert window.actor is None
        text = window.login.message.text()
        assert "15" in text and "锁" in text, text
    finally:
        QApplication.instance().removeTranslator(translator)


def test_a_badge_is_never_shown_nor_logged(qtbot: QtBot, gui_db, tmp_path: Path) -> None:
    """Scanned by a serial scanner on the Devices screen's live list, wedged into the login
    at scanner speed, typed by hand: the badge stands in no field, label, table or log."""
    badge = issue_badge(gui_db, "packer01")
    log_file = tmp_path / "packline.log"
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    ini = tmp_path / "station.ini"
    ini.write_text("[device:door]\nkind = scanner\nurl = sim://door\n"
                   "[device:keys]\nkind = wedge\n", encoding="utf-8")
    try:
        with desk_devices(Settings.load(ini)) as devices:
            window = _window(qtbot, gui_db, devices)
            window.login.user.setText("admin")
            window.login.password.setText("admin123")
            window.login.submit()
            _checked(qtbot, window)
            assert window.actor is not None
            window.go_to_row(list(window.open_screens).index("devices"))
            screen = window.open_screens["devices"]
            devices.service.simulate_scan("door", badge)
            qtbot.waitUntil(lambda: screen.scans.rowCount() == 1, timeout=TIMEOUT)
            assert screen.scans.item(0, 3).text() == "USR-••••"
            screen.sim_text.setFocus()
            screen.sim_text.setText(badge)  # a trainer pastes one to try
            assert screen.sim_text.text() == "USR-••••"
            screen.sim_button.click()
            qtbot.waitUntil(lambda: screen.scans.rowCount() == 2, timeout=TIMEOUT)
            assert screen.scans.item(0, 3).text() == "USR-••••"
            assert screen.sim_text.text() == ""
            seen = texts()
            window.logout()
            # The wedge: a burst at scanner speed, capitals with Shift held.
            window.login.user.setFocus()
            qtbot.waitUntil(window.login.user.hasFocus)
            send(window.login.user, x_typed(badge + "\r", 90_000))
            qtbot.waitUntil(lambda: window.actor is not None, timeout=TIMEOUT)
            _checked(qtbot, window)
            assert window.actor.code == "packer01"
            seen += texts()
            window.logout()
            # By hand, at a person's pace: the wedge gives the keys back to the field, which
            # takes the badge out of sight.
            send(window.login.user, x_typed(badge.lower(), 200_000, per_char_ms=150))
            qtbot.waitUntil(lambda: window.login.user.badge() == badge.lower(), timeout=TIMEOUT)
            seen += texts()
            assert window.login.user.text() == "USR-••••"
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()
    secret = badge[len("USR-"):]
    assert secret.upper() not in "\n".join(seen).upper()
    logged = log_file.read_text(encoding="utf-8")
    assert secret.upper() not in logged.upper()


def texts() -> list[str]:
    """Every text the open widgets show: fields, labels, tables, lists, titles, tooltips."""
    out: list[str] = []
    for w in QApplication.allWidgets():
        out += [w.windowTitle(), w.toolTip()]
        if isinstance(w, QLineEdit | QLabel):
            out.append(w.text())
        elif isinstance(w, QTableWidget):
            out += [w.item(r, c).text() for r in range(w.rowCount())
                    for c in range(w.columnCount()) if w.item(r, c) is not None]
        elif isinstance(w, QListWidget):
            out += [w.item(r).text() for r in range(w.count())]
    return out


# ---------------------------------------------------------------- the approval at a bench


@pytest.fixture
def panel(qtbot: QtBot, gui_db, tmp_path: Path):
    runtime = station(gui_db, tmp_path / "home")
    widget = ApprovalPanel(runtime, Permission.OVERRIDE_WEIGHT)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    idle(qtbot)
    runtime.store.dispose()


def test_a_packers_own_badge_does_not_approve(qtbot: QtBot, gui_db, panel) -> None:
    badge = issue_badge(gui_db, "packer01")
    got: list[Actor] = []
    panel.approved.connect(got.append)
    panel.ask("Shift lead", "PL-1")
    panel.take_badge(badge)
    assert panel.who.text() == "USR-••••" and panel.secret.hasFocus()
    qtbot.keyClicks(panel.secret, "packer123")
    qtbot.keyClick(panel.secret, Qt.Key.Key_Return)
    idle(qtbot, lambda: not panel.busy)
    assert got == [] and panel.isVisible()
    assert panel.message.text().startswith("You may not do this (")
    assert "packing.override_weight" not in panel.message.text()  # named in words
    assert _audit(gui_db, "auth.approved") == []


def test_a_leads_badge_and_pin_approve_and_are_audited(qtbot: QtBot, gui_db, panel) -> None:
    badge = issue_badge(gui_db, "lead01")
    got: list[Actor] = []
    panel.approved.connect(got.append)
    panel.ask("Shift lead", "PL-7")
    panel.take_badge(badge)
    qtbot.keyClicks(panel.secret, "2468")
    qtbot.keyClick(panel.secret, Qt.Key.Key_Return)
    idle(qtbot, lambda: got)
    assert got[0].code == "lead01" and got[0].role is Role.SHIFT_LEAD
    assert not panel.isVisible() and panel.who.text() == "" and panel.secret.text() == ""
    (row,) = _audit(gui_db, "auth.approved")
    assert row.actor == "lead01" and row.station == panel.runtime.code
    assert row.detail["permission"] == Permission.OVERRIDE_WEIGHT.value
    assert row.detail["subject"] == "PL-7"


def test_a_lead_types_the_user_code_and_password(qtbot: QtBot, gui_db, panel) -> None:
    got: list[Actor] = []
    panel.approved.connect(got.append)
    panel.ask("Shift lead", "PL-8")
    qtbot.keyClicks(panel.who, "lead01")
    qtbot.keyClick(panel.who, Qt.Key.Key_Return)
    assert panel.secret.hasFocus()
    qtbot.keyClicks(panel.secret, "lead123")
    qtbot.keyClick(panel.secret, Qt.Key.Key_Return)
    idle(qtbot, lambda: got)
    assert got[0].code == "lead01"


# ---------------------------------------------------------------- the Users screen


@pytest.fixture
def users(qtbot: QtBot, gui_db) -> UsersScreen:
    screen = UsersScreen(gui_db, _admin(gui_db))
    qtbot.addWidget(screen)
    screen.resize(1400, 800)
    screen.show()
    idle(qtbot, lambda: screen.rows)
    return screen


def _ok(screen: UsersScreen) -> None:
    assert screen.dialog is not None
    buttons = screen.dialog.findChild(QDialogButtonBox)
    buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def _answer_yes() -> None:
    def press() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, press)
            return
        box.button(QMessageBox.StandardButton.Yes).click()

    QTimer.singleShot(0, press)


def _user(db: Database, code: str) -> User:
    with db.reader() as s:
        user = s.scalars(select(User).where(User.code == code)).one()
        s.expunge(user)
        return user


def _done(qtbot: QtBot, screen: UsersScreen, action: str, count: int = 1) -> AuditEntry:
    idle(qtbot, lambda: len(_audit(screen.db, action)) >= count)
    row = _audit(screen.db, action)[-1]
    assert row.actor == "admin", row.actor
    return row


def test_the_admin_adds_a_user_with_a_pin(qtbot: QtBot, users: UsersScreen) -> None:
    users.add_user()
    dialog = users.dialog
    dialog.code.setText("lead02")
    dialog.name.setText("李四")
    dialog.role.setCurrentIndex(dialog.role.findData(Role.SHIFT_LEAD.value))
    dialog.password.setText("secret-1")
    dialog.password_again.setText("secret-2")
    _ok(users)
    assert dialog.problem.text() == "The two password entries differ"
    dialog.password_again.setText("secret-1")
    _ok(users)
    assert dialog.problem.text() == "A shift lead or an admin needs a PIN for the badge"
    dialog.pin.setText("1357")
    _ok(users)
    row = _done(qtbot, users, "user.created")
    assert row.entity_id == "lead02"
    user = _user(users.db, "lead02")
    assert user.role == "shift_lead" and user.pin_hash and user.name == "李四"
    idle(qtbot, lambda: any(r.code == "lead02" for r in users.rows))
    assert users.selected() is not None and users.selected().code == "lead02"


def test_a_refused_action_is_shown_in_words(qtbot: QtBot, users: UsersScreen) -> None:
    users.add_user()
    dialog = users.dialog
    dialog.code.setText("packer01")
    dialog.password.setText("abc")
    dialog.password_again.setText("abc")
    _ok(users)
    idle(qtbot, lambda: users.message.is_error())
    assert users.message.text() == "The password needs at least 6 characters."


def test_each_action_changes_the_user_and_is_audited(qtbot: QtBot, users: UsersScreen,
                                                     tmp_path: Path) -> None:
    db = users.db
    users.select("packer01")
    # Deactivate (asked first), activate.
    _answer_yes()
    users.buttons["active"].click()
    _done(qtbot, users, "user.deactivated")
    assert not _user(db, "packer01").active
    idle(qtbot, lambda: users.buttons["active"].text() == "&Activate")
    users.buttons["active"].click()
    _done(qtbot, users, "user.activated")
    assert _user(db, "packer01").active
    # Change role.
    users.buttons["role"].click()
    users.dialog.role.setCurrentIndex(users.dialog.role.findData(Role.PICKER.value))
    _ok(users)
    _done(qtbot, users, "user.role_changed")
    assert _user(db, "packer01").role == "picker"
    # Reset the password.
    users.buttons["password"].click()
    users.dialog.password.setText("new-pass-1")
    users.dialog.again.setText("new-pass-1")
    _ok(users)
    _done(qtbot, users, "user.password_reset")
    assert auth.login_password(db, "packer01", "new-pass-1").code == "packer01"
    # Set a PIN.
    users.buttons["pin"].click()
    users.dialog.pin.setText("8642")
    users.dialog.again.setText("8642")
    _ok(users)
    _done(qtbot, users, "user.pin_set")
    assert _user(db, "packer01").pin_hash
    # Issue a badge: its card to a file only the admin may read, nothing on screen.
    idle(qtbot, lambda: users.buttons["badge"].isEnabled())
    users.buttons["badge"].click()
    card = tmp_path / "card.pdf"
    users.dialog.path.setText(str(card))
    _ok(users)
    _done(qtbot, users, "user.badge_issued")
    assert _user(db, "packer01").badge_hash
    assert stat.S_IMODE(card.stat().st_mode) == 0o600
    assert card.read_bytes().startswith(b"%PDF")
    badge = _badge_in(card)
    assert auth.login_badge(db, badge, "ST-TEST").code == "packer01"
    assert badge[4:].upper() not in "\n".join(texts()).upper()
    # Revoke the badge (asked first).
    idle(qtbot, lambda: users.buttons["revoke_badge"].isEnabled())
    _answer_yes()
    users.buttons["revoke_badge"].click()
    _done(qtbot, users, "user.badge_revoked")
    assert _user(db, "packer01").badge_hash is None
    # Unlock a locked user.
    with db.unit_of_work() as s:
        s.add(LoginThrottle(scope="user", key="picker01", failures=5,
                            locked_until=datetime.now(UTC) + timedelta(minutes=15)))
    users.reload()
    idle(qtbot, lambda: any(r.code == "picker01" and r.locked_until for r in users.rows))
    users.select("picker01")
    users.buttons["unlock"].click()
    _done(qtbot, users, "auth.unlocked")
    assert _throttle(db, "picker01").locked_until is None


def _badge_in(card: Path) -> str:
    import pypdfium2 as pdfium
    import zxingcpp

    image = pdfium.PdfDocument(str(card))[0].render(scale=6).to_pil()
    found = {r.text for r in zxingcpp.read_barcodes(image)}
    assert len(found) == 1, found  # the Code 128 and the QR say the same
    return found.pop()


def test_a_service_account_token_is_shown_once_and_revoked(qtbot: QtBot,
                                                           users: UsersScreen) -> None:
    users.buttons["service"].click()
    users.dialog.code.setText("erp-import")
    users.dialog.name.setText("ERP import")
    users.dialog.role.setCurrentIndex(users.dialog.role.findData(Role.SHIFT_LEAD.value))
    _ok(users)
    _done(qtbot, users, "user.created")
    idle(qtbot, lambda: users.dialog is not None and users.dialog.objectName() == "tokenDialog")
    dialog = users.dialog
    token = dialog.token.text()
    assert token.startswith("PLT-")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close).click()
    assert dialog.token.text() == ""
    QApplication.clipboard().clear()
    assert auth.login_token(users.db, token).code == "erp-import"
    idle(qtbot, lambda: any(r.code == "erp-import" for r in users.rows))
    users.select("erp-import")
    assert not users.buttons["badge"].isEnabled()
    _answer_yes()
    users.buttons["revoke_token"].click()
    _done(qtbot, users, "user.token_revoked")
    assert _user(users.db, "erp-import").token_hash is None


def test_the_users_screen_is_the_admins_only(qtbot: QtBot, gui_db) -> None:
    from app.ui.main_window import screens_for

    keys = {role: [s.key for s in screens_for(
        Actor(user_id=None, code="x", name="x", role=role), True)] for role in Role}
    assert "users" in keys[Role.ADMIN]
    assert all("users" not in keys[r] for r in Role if r is not Role.ADMIN)


# ---------------------------------------------------------------- a session that ends


def _logged_in_as_second_admin(qtbot: QtBot, db: Database) -> MainWindow:
    admin = _admin(db)
    auth.create_user(db, admin, auth.NewUser("admin2", "Second", Role.ADMIN, "admin2-pass",
                                             "1357"))
    window = _window(qtbot, db)
    window.login.user.setText("admin2")
    window.login.password.setText("admin2-pass")
    window.login.submit()
    _checked(qtbot, window)
    assert window.actor is not None and window.actor.code == "admin2"
    idle(qtbot, lambda: window.open_screens["users"].rows)
    return window


def test_a_deactivated_person_is_sent_back_to_the_login(qtbot: QtBot, gui_db) -> None:
    window = _logged_in_as_second_admin(qtbot, gui_db)
    auth.set_active(gui_db, _admin(gui_db), "admin2", False)
    window.open_screens["users"].reload()  # their next action
    idle(qtbot, lambda: window.actor is None)
    assert window.stack.currentWidget() is window.login
    assert window.login.message.text() == "admin2 is no longer active here: log in again."


def test_a_changed_role_logs_the_person_out(qtbot: QtBot, gui_db) -> None:
    window = _logged_in_as_second_admin(qtbot, gui_db)
    auth.change_role(gui_db, _admin(gui_db), "admin2", Role.SHIFT_LEAD)
    window.open_screens["users"].reload()
    idle(qtbot, lambda: window.actor is None)
    assert window.login.message.text() == (
        "Your role is now Shift lead: log in again to work with its screens.")
    # At the next login the screens are the new role's: no Users screen.
    window.login.user.setText("admin2")
    window.login.password.setText("admin2-pass")
    window.login.submit()
    _checked(qtbot, window)
    assert window.actor is not None and "users" not in window.open_screens
