"""Login: scan a badge or type user code and password. Keyboard and scanner only.

A badge scan arrives from the device manager (any scanner, the keyboard-wedge ones included)
and logs in at once without a password; `USR-…` typed into the user field and Enter does too.
"""

from __future__ import annotations

from typing import Any

from app.services import auth
from app.services.context import Actor
from app.services.errors import ServiceError
from app.store.db import Database
from app.ui.qt import (
    QFont,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from app.ui.tasks import Task
from app.ui.widgets import error_text, scan_field


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

        self.user = scan_field(QLineEdit())
        self.user.setObjectName("loginUser")
        self.user.setPlaceholderText(self.tr("User code or badge"))
        self.password = QLineEdit()
        self.password.setObjectName("loginPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Password"))
        self.button = QPushButton(self.tr("Log in"))
        self.button.setObjectName("loginButton")
        self.button.setDefault(True)
        self.message = QLabel("")
        self.message.setObjectName("loginMessage")
        self.message.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("User"), self.user)
        form.addRow(self.tr("Password"), self.password)
        box = QFrame()
        box.setFrameShape(QFrame.Shape.StyledPanel)
        box.setMaximumWidth(460)
        inner = QVBoxLayout(box)
        inner.addWidget(title)
        inner.addWidget(hint)
        inner.addLayout(form)
        inner.addWidget(self.button)
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
        self.offline: tuple[Any, Any] | None = None
        self._attempt: tuple[Any, tuple[Any, ...]] | None = None
        self.user.returnPressed.connect(self._user_entered)
        self.password.returnPressed.connect(self.submit)
        self.button.clicked.connect(self.submit)
        self.user.setFocus()

    def show_info(self, text: str) -> None:
        self.message.setStyleSheet("color: #1b5e20;")
        self.message.setText(text)

    def show_error(self, text: str) -> None:
        self.message.setStyleSheet("color: #b00020; font-weight: bold;")
        self.message.setText(text)

    def _user_entered(self) -> None:
        if self.user.text().strip().upper().startswith(auth.BADGE_PREFIX):
            self._start(auth.login_badge, self.db, self.user.text(), self.station)
        else:
            self.password.setFocus()

    def badge_scanned(self, badge: str) -> None:
        """A badge read by a scanner (serial, or a keyboard-wedge burst taken out of the
        fields by the device manager)."""
        self.user.setText(badge)
        self._start(auth.login_badge, self.db, badge, self.station)

    def submit(self) -> None:
        code = self.user.text().strip()
        if code.upper().startswith(auth.BADGE_PREFIX):
            self._start(auth.login_badge, self.db, code, self.station)
            return
        if not code or not self.password.text():
            self.show_error(self.tr("Enter user code and password"))
            return
        self._start(auth.login_password, self.db, code, self.password.text(), self.station)

    def _start(self, fn: object, *args: object) -> None:
        if self._busy:  # Enter pressed again, or a second badge scan, while checking
            return
        self._attempt = (fn, args)
        self._busy = True
        self.button.setEnabled(False)
        self.show_info(self.tr("Checking…"))
        Task(fn, *args).owned_by(self).success(self._ok).failure(  # type: ignore[arg-type]
            self._failed).start()

    def _ok(self, actor: Actor) -> None:
        self._busy = False
        self.button.setEnabled(True)
        self.message.setText("")
        self.password.clear()
        self.user.clear()
        self.logged_in.emit(actor)

    def _failed(self, exc: BaseException) -> None:
        attempt, self._attempt = self._attempt, None
        if not isinstance(exc, ServiceError) and self.offline is not None \
                and attempt is not None and attempt[0] in (auth.login_password,
                                                             auth.login_badge):
            # The central database is out of reach: check the station's own list.
            fn = self.offline[0] if attempt[0] is auth.login_password else self.offline[1]
            self.show_info(self.tr("Central database unreachable: checking this station's "
                                   "list…"))
            Task(fn, *attempt[1][1:]).owned_by(self).success(self._ok).failure(  # type: ignore[arg-type]
                self._failed).start()
            return
        self._busy = False
        self.button.setEnabled(True)
        self.password.clear()
        if isinstance(exc, ServiceError):
            self.show_error(self.tr("Login refused: unknown user, wrong password or "
                                    "unknown badge"))
        else:
            self.show_error(error_text(exc))
        self.user.selectAll()
        self.user.setFocus()
