"""Someone else's approval at a bench (the shift lead letting a weight go): their badge scanned
and PIN (or password), or their user code typed and password, in a masked field. The check
is `auth.authorize` on the central database, or `app.station.users.authorize` on the station's
own list when the centre is out of reach; it runs off the GUI thread and is audited there as
`auth.approved`. The panel hands the approving person's `Actor` to the screen, which acts with
it as before. Nothing of the badge or the PIN stays in a field once checked."""

from __future__ import annotations

from app.domain.roles import Permission
from app.services import auth
from app.services.context import Actor
from app.station.runtime import StationRuntime
from app.ui.qt import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QPushButton,
    QShortcut,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from app.ui.style import ink
from app.ui.tasks import Task
from app.ui.widgets import BadgeField, bold, error_text, is_offline, readable, scan_field


def authorize(runtime: StationRuntime, scanned: str, secret: str, permission: Permission,
              subject: str) -> Actor:
    """The approval checked centrally, or on the station's list when the centre is out of
    reach or the station has none (runs on a worker)."""
    if runtime.central is not None:
        try:
            return auth.authorize(runtime.central, scanned, secret, runtime.code, permission,
                                  subject=subject)
        except Exception as exc:
            if not is_offline(exc):
                raise
    from app.station import users

    return users.authorize(runtime.store, scanned, secret, runtime.code, permission,
                           subject=subject)


class ApprovalPanel(QFrame):
    """Badge (or user code) and PIN, shown in place on the screen that asks. Enter in the
    first field goes to the second, Enter there checks, Escape cancels."""

    approved = Signal(object)  # Actor of the approving person
    cancelled = Signal()

    def __init__(self, runtime: StationRuntime, permission: Permission,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("approvalPanel")
        self.runtime = runtime
        self.permission = permission
        self.subject = ""
        self.busy = False
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#approvalPanel { border: 3px solid #e65100; border-radius: 6px; }")
        self.title = QLabel("")
        self.title.setObjectName("approvalTitle")
        self.title.setWordWrap(True)
        bold(self.title, 16)
        self.who = BadgeField()
        self.who.setObjectName("approvalWho")
        self.who.setPlaceholderText(self.tr("Scan your badge or type your user code"))
        self.secret = scan_field(QLineEdit())
        self.secret.setObjectName("approvalSecret")
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setPlaceholderText(self.tr("PIN or password"))
        self.ok_button = QPushButton(self.tr("Approve"))
        self.ok_button.setObjectName("approvalOk")
        self.cancel_button = QPushButton(self.tr("Cancel (Esc)"))
        self.cancel_button.setObjectName("approvalCancel")
        self.message = QLabel("")
        self.message.setObjectName("approvalMessage")
        self.message.setWordWrap(True)
        # Read and typed into from a step away, as the bench's own entry line.
        for widget in (self.who, self.secret, self.ok_button, self.cancel_button, self.message):
            readable(widget, 16)

        form = QFormLayout()
        for text, field in ((self.tr("Badge or user"), self.who),
                            (self.tr("PIN or password"), self.secret)):
            label = QLabel(text)
            readable(label, 16)
            form.addRow(label, field)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.ok_button)
        column = QVBoxLayout(self)
        column.addWidget(self.title)
        column.addLayout(form)
        column.addLayout(buttons)
        column.addWidget(self.message)

        self.who.returnPressed.connect(self.secret.setFocus)
        self.secret.returnPressed.connect(self.submit)
        self.ok_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.cancel)
        escape = QShortcut(QKeySequence("Escape"), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.cancel)
        self.hide()

    def ask(self, title: str, subject: str) -> None:
        """Open the panel for one approval of `subject` (an order number, a job)."""
        self.subject = subject
        self.title.setText(title)
        self.message.setText("")
        self._clear()
        self.show()
        self.who.setFocus()

    def take_badge(self, badge: str) -> None:
        """A badge read by a scanner while the panel is open."""
        if self.busy:
            return
        self.who.take_badge(badge)
        self.secret.setFocus()

    def cancel(self) -> None:
        if self.busy:
            return
        self._clear()
        self.hide()
        self.cancelled.emit()

    def submit(self) -> None:
        if self.busy:
            return
        who, secret = self.who.value(), self.secret.text()
        if not who or not secret:
            self._refused(self.tr("Scan your badge and enter your PIN, or type your user "
                                  "code and password"))
            (self.secret if who else self.who).setFocus()
            return
        self.busy = True
        self.ok_button.setEnabled(False)
        self.message.setStyleSheet("")
        self.message.setText(self.tr("Checking…"))
        Task(authorize, self.runtime, who, secret, self.permission, self.subject).owned_by(
            self).success(self._ok).failure(self._failed).start()

    def _ok(self, actor: Actor) -> None:
        self.busy = False
        self.ok_button.setEnabled(True)
        self._clear()
        self.hide()
        self.approved.emit(actor)

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.ok_button.setEnabled(True)
        self.secret.clear()
        self._refused(error_text(exc))
        self.who.setFocus() if self.who.badge() is None else self.secret.setFocus()

    def _refused(self, text: str) -> None:
        self.message.setStyleSheet(f"color: {ink('#b00020')}; font-weight: bold;")
        self.message.setText(text)

    def _clear(self) -> None:
        self.who.forget()
        self.secret.clear()
