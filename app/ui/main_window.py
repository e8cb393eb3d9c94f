"""The main window: login first, then the screens the user's role may use, with who, where and
which database always visible in the status bar."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.domain.roles import Permission
from app.services.context import Actor
from app.store.db import Database
from app.ui import labels
from app.ui.campaigns_screen import CampaignsScreen
from app.ui.exceptions_screen import ExceptionsScreen
from app.ui.login import LoginScreen
from app.ui.orders_screen import OrdersScreen
from app.ui.qt import (
    QAction,
    QCoreApplication,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    Qt,
    QWidget,
)
from app.ui.rules_screen import RulesScreen
from app.ui.widgets import readable


@dataclass(frozen=True, slots=True)
class ScreenSpec:
    key: str
    title: Callable[[], str]
    permission: Permission
    build: Callable[[Database, Actor], QWidget]


def screens() -> list[ScreenSpec]:
    """Screens in navigation order; each appears only to roles holding its permission."""
    return [
        ScreenSpec("orders", lambda: QCoreApplication.translate("nav", "Orders"),
                   Permission.VIEW_ORDERS, OrdersScreen),
        # Everyone who sees orders may see these; acting on them is checked per button
        # (exceptions.resolve, rules.edit) and again by the services.
        ScreenSpec("exceptions", lambda: QCoreApplication.translate("nav", "Exceptions"),
                   Permission.VIEW_ORDERS, ExceptionsScreen),
        ScreenSpec("campaigns", lambda: QCoreApplication.translate("nav", "Presale"),
                   Permission.VIEW_ORDERS, CampaignsScreen),
        ScreenSpec("rules", lambda: QCoreApplication.translate("nav", "Review rules"),
                   Permission.VIEW_ORDERS, RulesScreen),
    ]


class MainWindow(QMainWindow):
    def __init__(self, db: Database, station: str, database_label: str) -> None:
        super().__init__()
        self.db = db
        self.station = station
        self.actor: Actor | None = None
        self.setWindowTitle(self.tr("Packline"))
        self.resize(1400, 860)

        self.stack = QStackedWidget()
        self.login = LoginScreen(db, station)
        self.login.logged_in.connect(self.enter)
        self.stack.addWidget(self.login)
        self.setCentralWidget(self.stack)
        self.workspace: QWidget | None = None
        self.nav: QListWidget | None = None
        self.pages: QStackedWidget | None = None
        self.open_screens: dict[str, QWidget] = {}

        self.user_label = QLabel("")
        self.user_label.setObjectName("statusUser")
        self.station_label = QLabel(self.tr("Station: %1").replace("%1", station or "-"))
        self.db_label = QLabel(self.tr("Central: %1").replace("%1", database_label))
        bar = self.statusBar()
        bar.addPermanentWidget(self.user_label)
        bar.addPermanentWidget(self.station_label)
        bar.addPermanentWidget(self.db_label)

        self.logout_action = QAction(self.tr("Log out"), self)
        self.logout_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.logout_action.triggered.connect(self.logout)
        self.logout_action.setEnabled(False)
        self.addAction(self.logout_action)
        menu = self.menuBar().addMenu(self.tr("&Session"))
        menu.addAction(self.logout_action)
        quit_action = QAction(self.tr("Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        menu.addAction(quit_action)

    def enter(self, actor: Actor) -> None:
        if self.workspace is not None:  # never two workspaces, whatever the login did
            self.logout()
        self.actor = actor
        allowed = [s for s in screens() if actor.can(s.permission)]
        workspace = QWidget()
        workspace.setObjectName("workspace")
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setMaximumWidth(190)
        readable(self.nav, 13)
        self.nav.setSpacing(4)
        self.pages = QStackedWidget()
        for spec in allowed:
            item = QListWidgetItem(spec.title())
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            self.nav.addItem(item)
            screen = spec.build(self.db, actor)
            self.open_screens[spec.key] = screen
            self.pages.addWidget(screen)
        layout = QHBoxLayout(workspace)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.nav)
        layout.addWidget(self.pages, 1)
        self.nav.currentRowChanged.connect(self.pages.setCurrentIndex)
        if allowed:
            self.nav.setCurrentRow(0)
        else:
            self.pages.addWidget(QLabel(self.tr("Your role has no screens on this station.")))
        self.workspace = workspace
        self.stack.addWidget(workspace)
        self.stack.setCurrentWidget(workspace)
        role = labels.label(labels.role_names(), actor.role.value)
        self.user_label.setText(f"{actor.name} ({actor.code}) · {role}")
        self.logout_action.setEnabled(True)

    def logout(self) -> None:
        if self.workspace is not None:
            self.stack.removeWidget(self.workspace)
            self.workspace.deleteLater()
        self.workspace = self.nav = self.pages = None
        self.open_screens.clear()
        self.actor = None
        self.user_label.setText("")
        self.logout_action.setEnabled(False)
        self.stack.setCurrentWidget(self.login)
        self.login.user.setFocus()
