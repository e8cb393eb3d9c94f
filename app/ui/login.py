"""Login: scan a badge, or type user code and password. Keyboard and scanner only.

A badge read by any scanner (the keyboard-wedge ones included: the main window routes the
device manager's scans here) logs a packer or picker in at once. A shift lead or an admin is
asked next for the PIN (or the password) in a masked field. A badge is a secret: typed or
wedged into the user field it is taken out of it at once (`BadgeField`, which shows
"USR-••••"), and it is never logged. Refusals (wrong password, throttled, locked out) are
worded in the reader's language (`messages.describe`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from app.services import auth
from app.services.context import Actor
from app.services.database import Database
from app.services.errors import SecondFactorRequired, ServiceError
from app.ui.qt import (
    QFont,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QPushButton,
    QShortcut,
    QStackedWidget,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from app.ui.style import ink
from app.ui.tasks import Task
from app.ui.widgets import BadgeField, error_text, is_offline, scan_field

log = logging.getLogger("packline.ui.login")

# Refusals after which the PIN step stays open for another try; anything else starts over.
_RETRY_PIN = ("auth.wrong_pin", "auth.wait")


class LoginScreen(QWidget):
    logged_in = Signal(object)  # Actor

    def __init__(self, db: Database, station: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.station = station
        self.setObjectName("login")

        title = QLabel(self.tr("Packline"))
        title.setObjectName("loginTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = QFont()
        font.setPointSize(28)
        font.setBold(True)
        title.setFont(font)
        hint = QLabel(self.tr("Scan your badge, or enter your user code and password"))
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setWordWrap(True)

        # Step 1: badge, or user code and password.
        self.user = BadgeField()
        self.user.setObjectName("loginUser")
        self.user.setPlaceholderText(self.tr("User code or badge"))
        self.password = QLineEdit()
        self.password.setObjectName("loginPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Password"))
        self.button = QPushButton(self.tr("Log in"))
        self.button.setObjectName("loginButton")
        self.button.setDefault(True)
        first = QWidget()
        form = QFormLayout(first)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("User"), self.user)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.button)

        # Step 2: a lead's or admin's badge was accepted; their PIN (or password) follows.
        self.pin_prompt = QLabel("")
        self.pin_prompt.setObjectName("loginPinPrompt")
        self.pin_prompt.setWordWrap(True)
        self.pin = scan_field(QLineEdit())
        self.pin.setObjectName("loginPin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText(self.tr("PIN or password"))
        self.pin_button = QPushButton(self.tr("Log in"))
        self.pin_button.setObjectName("loginPinButton")
        self.back_button = QPushButton(self.tr("Back (Esc)"))
        self.back_button.setObjectName("loginBack")
        second = QWidget()
        pin_column = QVBoxLayout(second)
        pin_column.setContentsMargins(0, 0, 0, 0)
        pin_form = QFormLayout()
        pin_form.addRow(self.tr("PIN"), self.pin)
        pin_column.addLayout(pin_form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.pin_button, 1)
        pin_column.addLayout(buttons)

        self.steps = QStackedWidget()
        self.steps.addWidget(first)
        self.steps.addWidget(second)
        # A long message below (wrapped over lines) must not squeeze the fields.
        self.steps.setMinimumHeight(max(first.sizeHint().height(), second.sizeHint().height()))

        self.message = QLabel("")
        self.message.setObjectName("loginMessage")
        self.message.setWordWrap(True)

        box = self.box = QFrame()
        box.setFrameShape(QFrame.Shape.StyledPanel)
        box.setMinimumWidth(420)
        box.setMaximumWidth(520)
        inner = QVBoxLayout(box)
        inner.addWidget(title)
        inner.addWidget(hint)
        # Outside the steps: a stacked page gives a wrapped text the height of one line.
        inner.addWidget(self.pin_prompt)
        self.pin_prompt.hide()
        inner.addWidget(self.steps)
        inner.addWidget(self.message)
        station_label = QLabel(self.tr("Station: %1").replace("%1", station or "-"))
        station_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        inner.addWidget(station_label)

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)

        self._busy = False
        # Set by the main window where a station store runs: (password login, badge login)
        # against the people the station holds, for when the central database is unreachable.
        # password(code, password, station); badge(badge, station, pin=None).
        self.offline: tuple[Callable[..., Actor], Callable[..., Actor]] | None = None
        # The attempt under way: its kind, for the offline fallback, and its arguments.
        self._attempt: tuple[str, tuple[Any, ...], dict[str, Any]] | None = None
        # The badge waiting for its PIN: kept here only, never in a field.
        self._badge: str | None = None
        self.user.returnPressed.connect(self._user_entered)
        self.password.returnPressed.connect(self.submit)
        self.button.clicked.connect(self.submit)
        self.pin.returnPressed.connect(self.submit_pin)
        self.pin_button.clicked.connect(self.submit_pin)
        self.back_button.clicked.connect(self.start_over)
        back = QShortcut(QKeySequence("Escape"), second)
        back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.activated.connect(self.start_over)
        self.user.setFocus()

    # ---- what the person sees

    def show_info(self, text: str) -> None:
        self.message.setStyleSheet(f"color: {ink('#1b5e20')};")
        self._say(text)

    def show_error(self, text: str) -> None:
        self.message.setStyleSheet(f"color: {ink('#b00020')}; font-weight: bold;")
        self._say(text)

    def refuse(self, text: str) -> None:
        """Nobody logs in at this station (its Packline cannot work with its database):
        every field and button disabled, badges scanned ignored, `text` saying why."""
        self.setEnabled(False)
        self.show_error(text)

    def _say(self, text: str) -> None:
        """The message below the fields, the box as tall as its wrapped lines (a layout
        centred on the screen gives a wrapped label the height of its one-line hint)."""
        self.message.setText(text)
        width = max(self.message.width(), self.box.minimumWidth() - 40)
        self.message.setMinimumHeight(self.message.heightForWidth(width) if text else 0)

    def asking_pin(self) -> bool:
        return self.steps.currentIndex() == 1

    def start_over(self) -> None:
        """Back to the first step, forgetting any badge and whatever was typed."""
        self._badge = None
        self.pin.clear()
        self.password.clear()
        self.user.forget()
        self.steps.setCurrentIndex(0)
        self.pin_prompt.hide()
        self.message.setText("")
        self.user.setFocus()

    def focus_first(self) -> None:
        (self.pin if self.asking_pin() else self.user).setFocus()

    # ---- input

    def _user_entered(self) -> None:
        badge = self.user.badge()
        if badge is not None:
            self.user.forget()
            self._login_badge(badge)
        else:
            self.password.setFocus()

    def badge_scanned(self, badge: str) -> None:
        """A badge read by a scanner (serial, or a keyboard-wedge burst taken out of the
        fields by the device manager). A new badge replaces one waiting for its PIN. A login
        not open yet (or refused) takes none."""
        if self._busy or not self.isEnabled():
            return
        self.user.forget()
        self.pin.clear()
        self._login_badge(badge)

    def submit(self) -> None:
        badge = self.user.badge()
        if badge is not None:
            self.user.forget()
            self._login_badge(badge)
            return
        code = self.user.text().strip()
        if not code or not self.password.text():
            self.show_error(self.tr("Enter user code and password"))
            return
        self._start("password", (code, self.password.text(), self.station), {})

    def submit_pin(self) -> None:
        if self._badge is None:
            self.start_over()
            return
        if not self.pin.text():
            self.show_error(self.tr("Enter your PIN or password"))
            return
        self._start("badge", (self._badge, self.station), {"pin": self.pin.text()})

    def _login_badge(self, badge: str) -> None:
        self._badge = badge
        self._start("badge", (badge, self.station), {})

    # ---- the check, off the GUI thread

    def _start(self, kind: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        if self._busy:  # Enter pressed again, or a second badge scan, while checking
            return
        self._attempt = (kind, args, kwargs)
        self._busy = True
        self.button.setEnabled(False)
        self.pin_button.setEnabled(False)
        self.show_info(self.tr("Checking…"))
        fn = auth.login_password if kind == "password" else auth.login_badge
        Task(fn, self.db, *args, **kwargs).owned_by(self).success(self._ok).failure(
            self._failed).start()

    def _ok(self, actor: Actor) -> None:
        self._busy = False
        self._attempt = None
        self.button.setEnabled(True)
        self.pin_button.setEnabled(True)
        self.start_over()
        self.logged_in.emit(actor)

    def _failed(self, exc: BaseException) -> None:
        attempt, self._attempt = self._attempt, None
        if is_offline(exc) and self.offline is not None and attempt is not None:
            # The central database is out of reach: check the station's own list.
            kind, args, kwargs = attempt
            fn = self.offline[0] if kind == "password" else self.offline[1]
            self.show_info(self.tr("Central database unreachable: checking this station's "
                                   "list…"))
            Task(fn, *args, **kwargs).owned_by(self).success(self._ok).failure(
                self._failed).start()
            return
        self._busy = False
        self.button.setEnabled(True)
        self.pin_button.setEnabled(True)
        self.password.clear()
        self.pin.clear()
        if isinstance(exc, SecondFactorRequired):
            self._ask_pin(str(exc.params.get("user", "")))
            return
        text = error_text(exc)
        if self.asking_pin() and isinstance(exc, ServiceError) and exc.code in _RETRY_PIN:
            self.show_error(text)
            self.pin.setFocus()
            return
        self.start_over()
        self.show_error(text)

    def _ask_pin(self, user: str) -> None:
        log.info("badge of %s accepted: PIN asked", user)  # the user code, never the badge
        self.pin_prompt.setText(self.tr("Badge of %1 accepted. Enter your PIN (or your "
                                        "password) to go on.").replace("%1", user))
        self.steps.setCurrentIndex(1)
        self.pin_prompt.show()
        self.message.setText("")
        self.pin.setFocus()
