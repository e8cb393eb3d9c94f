"""Users: the admin's list of people and service accounts, and what an admin does with them —
add a person, (de)activate, change the role, reset the password, set the PIN, issue or revoke a
badge, unlock, add a service account, give it a new token or revoke it.

Every action is a call of `app.services.auth` on a Task; a refusal is shown in the reader's
language. A badge is never shown: issuing one produces its card at once, as a PDF file only
its owner may read or on the station's card printer (`app.services.badge_cards`, `app.station.print_queue`). A service
account's token is shown once, in a dialog with a copy button. Times are China time.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.domain.access import needs_second_factor
from app.domain.roles import Role
from app.services import auth, badge_cards
from app.services.auth import NewUser, UserRow
from app.services.changes import Change
from app.services.context import Actor
from app.services.database import Database
from app.station import print_queue
from app.station.runtime import StationRuntime
from app.ui import labels, timefmt
from app.ui.changes import follow
from app.ui.qt import (
    QCheckBox,
    QComboBox,
    QCoreApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGuiApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from app.ui.style import ink
from app.ui.tasks import Latest, Task
from app.ui.widgets import (
    COLOR_ERROR,
    MessageLine,
    ask,
    bold,
    error_text,
    fit_columns,
    readable,
    simple_table,
    table_item,
)

PEOPLE_ROLES = (Role.PACKER, Role.PICKER, Role.SHIFT_LEAD, Role.ADMIN)


def _secret_field(placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(placeholder)
    return edit


def _role_combo(roles: tuple[Role, ...] = PEOPLE_ROLES) -> QComboBox:
    combo = QComboBox()
    names = labels.role_names()
    for role in roles:
        combo.addItem(labels.label(names, role.value), role.value)
    return combo


class _Form(QDialog):
    """A small form with OK and Cancel (Qt's own buttons, translated by Qt's catalogue); OK
    checks what can be checked here before the dialog closes."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.problem = QLabel("")
        self.problem.setObjectName("formProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {ink(COLOR_ERROR)}; font-weight: bold;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addLayout(self.form)
        column.addWidget(self.problem)
        column.addWidget(self.buttons)
        readable(self)

    def problem_with(self) -> str:
        return ""

    def _check(self) -> None:
        problem = self.problem_with()
        if problem:
            self.problem.setText(problem)
            return
        self.accept()


def _twice(first: QLineEdit, again: QLineEdit, what: str) -> str:
    if first.text() != again.text():
        return QCoreApplication.translate("UsersScreen", "The two %1 entries differ").replace(
            "%1", what)
    return ""


class AddUserDialog(_Form):
    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(self.tr("Add user"), parent)
        self.code = QLineEdit()
        self.code.setObjectName("newCode")
        self.name = QLineEdit()
        self.name.setObjectName("newName")
        self.role = _role_combo()
        self.role.setObjectName("newRole")
        self.password = _secret_field()
        self.password.setObjectName("newPassword")
        self.password_again = _secret_field()
        self.password_again.setObjectName("newPasswordAgain")
        self.pin = _secret_field(self.tr("4 to 8 digits"))
        self.pin.setObjectName("newPin")
        self.form.addRow(self.tr("User code"), self.code)
        self.form.addRow(self.tr("Name"), self.name)
        self.form.addRow(self.tr("Role"), self.role)
        self.form.addRow(self.tr("Password"), self.password)
        self.form.addRow(self.tr("Password again"), self.password_again)
        self.form.addRow(self.tr("PIN (shift lead, admin)"), self.pin)
        self.role.currentIndexChanged.connect(self._role_changed)
        self._role_changed()

    def chosen_role(self) -> Role:
        return Role(self.role.currentData())

    def _role_changed(self) -> None:
        self.pin.setEnabled(needs_second_factor(self.chosen_role()))

    def problem_with(self) -> str:
        if not self.code.text().strip():
            return self.tr("Enter the user code")
        differ = _twice(self.password, self.password_again, self.tr("password"))
        if differ:
            return differ
        if needs_second_factor(self.chosen_role()) and not self.pin.text():
            return self.tr("A shift lead or an admin needs a PIN for the badge")
        return ""

    def new_user(self) -> NewUser:
        role = self.chosen_role()
        return NewUser(self.code.text().strip(), self.name.text().strip(), role,
                       self.password.text(),
                       self.pin.text() if needs_second_factor(role) else None)


class RoleDialog(_Form):
    def __init__(self, row: UserRow, parent: QWidget | None) -> None:
        super().__init__(self.tr("Change role of %1").replace("%1", row.code), parent)
        self.role = _role_combo(tuple(Role))
        self.role.setObjectName("roleChoice")
        self.role.setCurrentIndex(max(0, self.role.findData(row.role.value)))
        self.form.addRow(self.tr("Role"), self.role)


class PasswordDialog(_Form):
    def __init__(self, row: UserRow, parent: QWidget | None) -> None:
        super().__init__(self.tr("New password for %1").replace("%1", row.code), parent)
        self.password = _secret_field()
        self.password.setObjectName("resetPassword")
        self.again = _secret_field()
        self.again.setObjectName("resetPasswordAgain")
        self.form.addRow(self.tr("Password"), self.password)
        self.form.addRow(self.tr("Password again"), self.again)

    def problem_with(self) -> str:
        return _twice(self.password, self.again, self.tr("password"))


class PinDialog(_Form):
    def __init__(self, row: UserRow, parent: QWidget | None) -> None:
        super().__init__(self.tr("PIN of %1").replace("%1", row.code), parent)
        self.pin = _secret_field(self.tr("4 to 8 digits"))
        self.pin.setObjectName("pinNew")
        self.again = _secret_field()
        self.again.setObjectName("pinAgain")
        self.clear = QCheckBox(self.tr("No PIN (the badge alone is refused for a lead or "
                                       "admin)"))
        self.clear.setObjectName("pinClear")
        self.form.addRow(self.tr("PIN"), self.pin)
        self.form.addRow(self.tr("PIN again"), self.again)
        self.form.addRow(self.clear)
        self.clear.toggled.connect(self._no_pin)

    def _no_pin(self, on: bool) -> None:
        self.pin.setEnabled(not on)
        self.again.setEnabled(not on)

    def problem_with(self) -> str:
        if self.clear.isChecked():
            return ""
        return _twice(self.pin, self.again, self.tr("PIN"))

    def chosen(self) -> str | None:
        return None if self.clear.isChecked() else self.pin.text()


class BadgeDialog(_Form):
    """Where the new badge's card goes: a PDF file, or the station's card printer."""

    def __init__(self, row: UserRow, printer: str | None, parent: QWidget | None) -> None:
        super().__init__(self.tr("Issue a badge to %1").replace("%1", row.code), parent)
        warning = QLabel(self.tr("The new badge replaces the old one, which stops working. "
                                 "It is not shown here: its card is made at once."))
        warning.setWordWrap(True)
        self.form.addRow(warning)
        self.to_printer = QCheckBox(self.tr("Print the card on %1").replace(
            "%1", printer or "-"))
        self.to_printer.setObjectName("badgeToPrinter")
        self.to_printer.setEnabled(printer is not None)
        self.path = QLineEdit()
        self.path.setObjectName("badgePath")
        self.path.setPlaceholderText(self.tr("PDF file for the card"))
        self.browse_button = QPushButton(self.tr("Choose…"))
        self.browse_button.clicked.connect(self._browse)
        self.default_name = f"badge-{row.code}.pdf"
        row_box = QHBoxLayout()
        row_box.addWidget(self.path, 1)
        row_box.addWidget(self.browse_button)
        self.form.addRow(self.tr("Save as"), row_box)
        self.form.addRow(self.to_printer)
        self.to_printer.toggled.connect(self._to_printer)

    def _to_printer(self, on: bool) -> None:
        """A card that goes to the printer needs no file."""
        self.path.setEnabled(not on)
        self.browse_button.setEnabled(not on)

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the badge card"), str(Path.home() / self.default_name),
            self.tr("PDF files (*.pdf)"))
        if chosen:
            self.path.setText(chosen)

    def problem_with(self) -> str:
        if not self.to_printer.isChecked() and not self.path.text().strip():
            return self.tr("Choose a file for the card, or the printer")
        return ""


class ServiceAccountDialog(_Form):
    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(self.tr("Add service account"), parent)
        self.code = QLineEdit()
        self.code.setObjectName("serviceCode")
        self.name = QLineEdit()
        self.name.setObjectName("serviceName")
        self.role = _role_combo(tuple(Role))
        self.role.setObjectName("serviceRole")
        self.form.addRow(self.tr("User code"), self.code)
        self.form.addRow(self.tr("Name"), self.name)
        self.form.addRow(self.tr("Role"), self.role)

    def problem_with(self) -> str:
        return "" if self.code.text().strip() else self.tr("Enter the user code")


class TokenDialog(QDialog):
    """A service account's new token, shown this once."""

    def __init__(self, code: str, token: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("tokenDialog")
        self.setWindowTitle(self.tr("Token of %1").replace("%1", code))
        warning = QLabel(self.tr("Copy this token now into the program that uses it "
                                 "(PACKLINE_TOKEN). It is shown only this once; whoever "
                                 "holds it acts as %1.").replace("%1", code))
        warning.setWordWrap(True)
        warning.setStyleSheet(f"color: {ink('#8a4b00')}; font-weight: bold;")
        self.token = QLineEdit(token)
        self.token.setObjectName("tokenText")
        self.token.setReadOnly(True)
        self.token.setMinimumWidth(460)
        copy = QPushButton(self.tr("Copy"))
        copy.setObjectName("tokenCopy")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.token.text()))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        row = QHBoxLayout()
        row.addWidget(self.token, 1)
        row.addWidget(copy)
        column = QVBoxLayout(self)
        column.addWidget(warning)
        column.addLayout(row)
        column.addWidget(buttons)
        readable(self)

    def done(self, result: int) -> None:  # the token leaves the screen with the dialog
        self.token.clear()
        super().done(result)


COLUMNS = 9


class UsersScreen(QWidget):
    def __init__(self, db: Database, actor: Actor, runtime: StationRuntime | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("usersScreen")
        self.db = db
        self.actor = actor
        self.runtime = runtime
        self.rows: list[UserRow] = []
        self.dialog: QDialog | None = None  # the one form open now (tests fill it in)
        self._loads = Latest(self)
        self._wanted: str | None = None  # the user to select once the list is loaded

        title = QLabel(self.tr("Users"))
        bold(title, 16)
        self.table = simple_table("usersTable", [
            self.tr("User"), self.tr("Name"), self.tr("Role"), self.tr("Kind"),
            self.tr("Active"), self.tr("Badge issued"), self.tr("PIN"),
            self.tr("Locked until"), self.tr("Last login")])
        fit_columns(self.table, stretch=1)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.message = MessageLine()
        self.message.setObjectName("usersMessage")

        self.buttons: dict[str, QPushButton] = {}
        actions: list[tuple[str, str, Callable[[], None]]] = [
            ("add", self.tr("&Add user…"), self.add_user),
            ("active", self.tr("&Deactivate"), self.toggle_active),
            ("role", self.tr("Change &role…"), self.change_role),
            ("password", self.tr("Reset &password…"), self.reset_password),
            ("pin", self.tr("Set P&IN…"), self.set_pin),
            ("badge", self.tr("Issue &badge…"), self.issue_badge),
            ("revoke_badge", self.tr("Re&voke badge"), self.revoke_badge),
            ("unlock", self.tr("&Unlock"), self.unlock),
            ("service", self.tr("Add &service account…"), self.add_service_account),
            ("token", self.tr("New &token…"), self.new_token),
            ("revoke_token", self.tr("Revoke t&oken"), self.revoke_token),
        ]
        grid = QGridLayout()
        for i, (key, text, handler) in enumerate(actions):
            button = QPushButton(text)
            button.setObjectName(f"users_{key}")
            button.clicked.connect(handler)
            self.buttons[key] = button
            grid.addWidget(button, i // 6, i % 6)

        column = QVBoxLayout(self)
        column.addWidget(title)
        column.addWidget(self.table, 1)
        column.addLayout(grid)
        column.addWidget(self.message)
        self.setFocusProxy(self.table)
        follow(self, {Change.USERS}, self.reload)
        self._selection_changed()
        self.reload()

    # ---- the list

    def reload(self) -> None:
        self._loads.start(auth.list_users, self.db, self.actor, success=self._show,
                          failure=lambda exc: self.message.error(error_text(exc)))

    def _show(self, rows: list[UserRow]) -> None:
        chosen = self._wanted or (row.code if (row := self.selected()) else None)
        self._wanted = None
        self.rows = rows
        self.table.setRowCount(len(rows))
        roles, yes, no = labels.role_names(), self.tr("yes"), self.tr("no")
        kinds = {"person": self.tr("person"), "service": self.tr("service account")}
        for r, row in enumerate(rows):
            locked = timefmt.short(row.locked_until) if row.locked_until else ""
            cells = (row.code, row.name, labels.label(roles, row.role.value),
                     kinds.get(row.kind, row.kind), yes if row.active else no,
                     timefmt.short(row.badge_issued_at) if row.has_badge else "",
                     yes if row.has_pin else "", locked, timefmt.short(row.last_login_at))
            for c, text in enumerate(cells):
                colour = COLOR_ERROR if (c == 4 and not row.active) or (c == 7 and locked) \
                    else None
                self.table.setItem(r, c, table_item(text, colour, row.code))
        if chosen is not None:
            self.select(chosen)
        self._selection_changed()

    def select(self, code: str) -> None:
        for r, row in enumerate(self.rows):
            if row.code == code:
                self.table.selectRow(r)
                return

    def selected(self) -> UserRow | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.rows):
            return None
        return self.rows[rows[0].row()]

    def _selection_changed(self) -> None:
        row = self.selected()
        person = row is not None and row.kind == "person"
        service = row is not None and row.kind == "service"
        for key in ("active", "role", "unlock"):
            self.buttons[key].setEnabled(row is not None)
        for key in ("password", "pin", "badge"):
            self.buttons[key].setEnabled(person)
        self.buttons["revoke_badge"].setEnabled(person and row is not None and row.has_badge)
        self.buttons["token"].setEnabled(service)
        self.buttons["revoke_token"].setEnabled(service and row is not None and row.has_token)
        self.buttons["active"].setText(self.tr("&Activate") if row is not None and not row.active
                                       else self.tr("&Deactivate"))

    # ---- running an action

    def _run(self, fn: Callable[..., Any], *args: Any, done: str,
             then: Callable[[Any], None] | None = None) -> None:
        self.message.info(self.tr("Working…"))

        def ok(value: Any) -> None:
            self.message.ok(done)
            if then is not None:
                then(value)
            self.reload()

        Task(fn, *args).owned_by(self).success(ok).failure(
            lambda exc: self.message.error(error_text(exc))).start()

    def _open(self, dialog: QDialog, accepted: Callable[[], None]) -> None:
        self.dialog = dialog
        dialog.accepted.connect(accepted)
        dialog.finished.connect(lambda _r: self._closed(dialog))
        dialog.open()

    def _closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    # ---- the actions

    def add_user(self) -> None:
        dialog = AddUserDialog(self)

        def go() -> None:
            new = dialog.new_user()
            self._run(auth.create_user, self.db, self.actor, new,
                      done=self.tr("User %1 added").replace("%1", new.code),
                      then=lambda _id: setattr(self, "_wanted", new.code))
        self._open(dialog, go)

    def toggle_active(self) -> None:
        row = self.selected()
        if row is None:
            return
        if row.active and not ask(self, self.tr("Deactivate"), self.tr(
                "Deactivate %1? They are logged out at their next action.").replace(
                "%1", row.code)):
            return
        text = self.tr("%1 activated") if not row.active else self.tr("%1 deactivated")
        self._run(auth.set_active, self.db, self.actor, row.code, not row.active,
                  done=text.replace("%1", row.code))

    def change_role(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = RoleDialog(row, self)

        def go() -> None:
            role = Role(dialog.role.currentData())
            self._run(auth.change_role, self.db, self.actor, row.code, role,
                      done=self.tr("%1 is now %2").replace("%1", row.code).replace(
                          "%2", labels.label(labels.role_names(), role.value)))
        self._open(dialog, go)

    def reset_password(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = PasswordDialog(row, self)
        self._open(dialog, lambda: self._run(
            auth.reset_password, self.db, self.actor, row.code, dialog.password.text(),
            done=self.tr("Password of %1 reset").replace("%1", row.code)))

    def set_pin(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = PinDialog(row, self)
        self._open(dialog, lambda: self._run(
            auth.set_pin, self.db, self.actor, row.code, dialog.chosen(),
            done=(self.tr("PIN of %1 set") if dialog.chosen() else
                  self.tr("PIN of %1 cleared")).replace("%1", row.code)))

    def card_printer(self) -> str | None:
        """The station's printer for cards, where it takes PDF (an office printer)."""
        if self.runtime is None:
            return None
        spec = self.runtime.printer_for("cards")
        return spec.name if spec.language == "pdf" else None

    def issue_badge(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = BadgeDialog(row, self.card_printer(), self)

        def go() -> None:
            if dialog.to_printer.isChecked() and self.runtime is not None:
                runtime = self.runtime
                self._run(print_queue.issue_badge_card, self.db, self.actor, runtime.store,
                          row.code, row.name, runtime.printer_for("cards"),
                          done=self.tr("New badge of %1: its card is printing on %2").replace(
                              "%1", row.code).replace("%2", self.card_printer() or ""))
            else:
                path = Path(dialog.path.text().strip()).expanduser()
                self._run(badge_cards.issue_to_file, self.db, self.actor, row.code, row.name,
                          path, done=self.tr("New badge of %1: its card is saved as %2")
                          .replace("%1", row.code).replace("%2", str(path)))
        self._open(dialog, go)

    def revoke_badge(self) -> None:
        row = self.selected()
        if row is None or not ask(self, self.tr("Revoke badge"), self.tr(
                "Revoke the badge of %1? It stops working at once.").replace("%1", row.code)):
            return
        self._run(auth.revoke_badge, self.db, self.actor, row.code,
                  done=self.tr("Badge of %1 revoked").replace("%1", row.code))

    def unlock(self) -> None:
        row = self.selected()
        if row is None:
            return
        self._run(auth.unlock, self.db, self.actor, row.code,
                  done=self.tr("%1 may log in again").replace("%1", row.code))

    def add_service_account(self) -> None:
        dialog = ServiceAccountDialog(self)

        def go() -> None:
            code = dialog.code.text().strip()
            self._run(auth.create_service_account, self.db, self.actor, code,
                      dialog.name.text().strip(), Role(dialog.role.currentData()),
                      done=self.tr("Service account %1 added").replace("%1", code),
                      then=lambda token: self._show_token(code, token))
        self._open(dialog, go)

    def new_token(self) -> None:
        row = self.selected()
        if row is None or not ask(self, self.tr("New token"), self.tr(
                "Give %1 a new token? The old one stops working at once.").replace(
                "%1", row.code)):
            return
        self._run(auth.issue_token, self.db, self.actor, row.code,
                  done=self.tr("New token of %1").replace("%1", row.code),
                  then=lambda token: self._show_token(row.code, token))

    def revoke_token(self) -> None:
        row = self.selected()
        if row is None or not ask(self, self.tr("Revoke token"), self.tr(
                "Revoke the token of %1? Programs using it stop at once.").replace(
                "%1", row.code)):
            return
        self._run(auth.revoke_token, self.db, self.actor, row.code,
                  done=self.tr("Token of %1 revoked").replace("%1", row.code))

    def _show_token(self, code: str, token: str) -> None:
        dialog = TokenDialog(code, token, self)
        self.dialog = dialog
        dialog.finished.connect(lambda _r: self._closed(dialog))
        dialog.open()



