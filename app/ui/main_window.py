"""The main window: login first, then the screens the user's role may use, with who, where and
which database always visible in the status bar."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from app.config import Settings
from app.domain.roles import Permission, Role
from app.services import access
from app.services.context import Actor
from app.services.database import Database
from app.services.errors import PermissionDenied, SessionEnded
from app.station.devices import DeviceService, Scanned
from app.station.runtime import StationRuntime
from app.ui import labels, style, tasks, timefmt
from app.ui.campaigns_screen import CampaignsScreen
from app.ui.dashboard_screen import DashboardScreen, defaults_from
from app.ui.device_manager import DeviceManager
from app.ui.devices_screen import DevicesScreen
from app.ui.exceptions_screen import ExceptionsScreen
from app.ui.handover_screen import HandoverScreen
from app.ui.layout_memory import LayoutMemory
from app.ui.login import LoginScreen
from app.ui.orders_screen import OrdersScreen
from app.ui.packing_screen import PackingScreen
from app.ui.picking_screen import PickingScreen
from app.ui.printing_screen import PrintingScreen
from app.ui.qt import (
    QAction,
    QApplication,
    QCloseEvent,
    QCoreApplication,
    QFrame,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    is_alive,
)
from app.ui.rules_screen import RulesScreen
from app.ui.users_screen import UsersScreen
from app.ui.waves_screen import WavesScreen
from app.ui.widgets import readable, retint
from drivers.barcode import ScanKind

log = logging.getLogger("packline.ui")


@dataclass(frozen=True, slots=True)
class Workspace:
    """What a screen is built with: the central database, who is logged in, the devices."""

    db: Database
    actor: Actor
    devices: DeviceManager
    station: StationRuntime | None


@dataclass(frozen=True, slots=True)
class ScreenSpec:
    key: str
    title: Callable[[], str]
    permission: Permission
    build: Callable[[Workspace], QWidget]
    needs_station: bool = False  # shown only where the station store runs


# What each role works with, its own work first: the first screen it may open is where it lands.
# A role sees only these (and of these, only what its permissions and the station allow):
# screens it could open but not use are noise on a busy floor.
ROLE_SCREENS: dict[Role, tuple[str, ...]] = {
    Role.PACKER: ("packing", "handover", "printing", "orders", "devices"),
    Role.PICKER: ("picking", "devices"),
    # The lead lands on the dashboard: what is waiting, how fast, who is short.
    Role.SHIFT_LEAD: ("dashboard", "orders", "waves", "exceptions", "picking", "packing",
                      "handover", "campaigns", "rules", "printing", "devices"),
    # The dashboard, then people: the admin's own work. The station's devices keep Alt+0;
    # printing and handing parcels over are the floor's, past it when a station shows all
    # twelve.
    Role.ADMIN: ("orders", "dashboard", "users", "waves", "exceptions", "picking", "packing",
                 "campaigns", "rules", "devices", "printing", "handover"),
}

# Alt+digit reaches the n-th screen of the list: Ctrl+digit runs the exception screen's
# actions, and the F-keys belong to the packing (F2–F5, F9) and picking (F6–F8, F11) benches.
NAV_KEYS = ("Alt+1", "Alt+2", "Alt+3", "Alt+4", "Alt+5", "Alt+6", "Alt+7", "Alt+8", "Alt+9",
            "Alt+0")


def screens_for(actor: Actor, with_station: bool) -> list[ScreenSpec]:
    """The screens this person sees, in their role's order (its landing screen first)."""
    by_key = {spec.key: spec for spec in screens()}
    return [by_key[key] for key in ROLE_SCREENS.get(actor.role, ())
            if key in by_key and actor.can(by_key[key].permission)
            and (with_station or not by_key[key].needs_station)]


def _dashboard(w: Workspace) -> QWidget:
    """The dashboard with the station's `[dashboard]` settings (the defaults without any)."""
    plan, refresh = defaults_from(w.devices.service.settings)
    return DashboardScreen(w.db, w.actor, plan, refresh_seconds=refresh)


def screens() -> list[ScreenSpec]:
    """Every screen; `screens_for` picks and orders them for a role."""
    return [
        ScreenSpec("dashboard", lambda: QCoreApplication.translate("nav", "Dashboard"),
                   Permission.VIEW_DASHBOARD, _dashboard),
        ScreenSpec("orders", lambda: QCoreApplication.translate("nav", "Orders"),
                   Permission.VIEW_ORDERS, lambda w: OrdersScreen(w.db, w.actor)),
        # Everyone who sees orders may see these; acting on them is checked per button
        # (exceptions.resolve, rules.edit) and again by the services.
        ScreenSpec("exceptions", lambda: QCoreApplication.translate("nav", "Exceptions"),
                   Permission.VIEW_ORDERS, lambda w: ExceptionsScreen(w.db, w.actor)),
        ScreenSpec("campaigns", lambda: QCoreApplication.translate("nav", "Presale"),
                   Permission.VIEW_ORDERS, lambda w: CampaignsScreen(w.db, w.actor)),
        ScreenSpec("rules", lambda: QCoreApplication.translate("nav", "Review rules"),
                   Permission.VIEW_ORDERS, lambda w: RulesScreen(w.db, w.actor)),
        # Everyone may test a scanner; changing the station's devices is checked in the form.
        ScreenSpec("devices", lambda: QCoreApplication.translate("nav", "Devices"),
                   Permission.VIEW_ORDERS, lambda w: DevicesScreen(w.devices, w.actor, components=[
                       spec for spec in w.station.printers.values() if spec.is_component]
                       if w.station is not None else None)),
        ScreenSpec("waves", lambda: QCoreApplication.translate("nav", "Waves"),
                   Permission.VIEW_ORDERS, lambda w: WavesScreen(w.db, w.actor, w.station)),
        ScreenSpec("picking", lambda: QCoreApplication.translate("nav", "Picking"),
                   Permission.PICK, lambda w: PickingScreen(w.db, w.actor, w.devices)),
        ScreenSpec("packing", lambda: QCoreApplication.translate("nav", "Packing"),
                   Permission.PACK,
                   # Whether packing weighs every parcel is the station's device service's
                   # to say (`app.station.devices.scale_required`).
                   lambda w: PackingScreen(w.station, w.actor, w.devices,  # type: ignore[arg-type]
                                           scale_required=w.devices.service.scale_required),
                   needs_station=True),
        ScreenSpec("handover", lambda: QCoreApplication.translate("nav", "Handover"),
                   Permission.HANDOVER,
                   lambda w: HandoverScreen(w.db, w.actor, w.station, w.devices),
                   needs_station=True),
        ScreenSpec("users", lambda: QCoreApplication.translate("nav", "Users"),
                   Permission.MANAGE_USERS, lambda w: UsersScreen(w.db, w.actor, w.station)),
        ScreenSpec("printing", lambda: QCoreApplication.translate("nav", "Printing"),
                   Permission.VIEW_ORDERS,
                   lambda w: PrintingScreen(w.station, w.actor),  # type: ignore[arg-type]
                   needs_station=True),
    ]


class MainWindow(QMainWindow):
    def __init__(self, db: Database, station: str, database_label: str,
                 devices: DeviceManager | None = None,
                 runtime: StationRuntime | None = None,
                 memory: LayoutMemory | None = None) -> None:
        super().__init__()
        self.db = db
        self.runtime = runtime
        # Where the window's size and the tables' columns are remembered (none: forgotten).
        self.memory = memory
        self.database_label = database_label
        # Without a station's devices (tests): a service that was never started, no devices.
        self.devices = devices or DeviceManager(DeviceService(Settings.empty(),
                                                              watch_ports=False), parent=self)
        self.station = station
        self.actor: Actor | None = None
        self.setWindowTitle(self.tr("Packline"))
        self.setWindowIcon(style.app_icon())
        self.resize(1400, 860)

        self.stack = QStackedWidget()
        self.login = LoginScreen(db, station)
        self.login.logged_in.connect(self.enter)
        if runtime is not None:
            from app.station import users

            store = runtime.store
            self.login.offline = (
                lambda code, password, station: users.login_password(store, code, password,
                                                                     station),
                lambda badge, station, pin=None: users.login_badge(store, badge, station,
                                                                   pin))
        self.devices.scanned.connect(self._scanned)
        # Whichever screen's call hears that the person's session ended (deactivated, or the
        # role changed), the window logs them out here.
        stop_watching = tasks.watch_failures(self._task_failed)
        self.destroyed.connect(lambda *_: stop_watching())
        self.stack.addWidget(self.login)
        # A packed order the central database did not take: a banner above every screen,
        # in big type, until the packer acknowledges it (a lead sorts it out in the queue).
        self.problem_banner = QLabel("")
        self.problem_banner.setObjectName("syncProblem")
        self.problem_banner.setWordWrap(True)
        self.problem_banner.setStyleSheet(
            "background: #b00020; color: white; font-weight: bold; padding: 8px;")
        readable(self.problem_banner, 16)
        self.problem_ok = QPushButton(self.tr("Got it"))
        self.problem_ok.clicked.connect(self.acknowledge_problem)
        banner = QWidget()
        row = QHBoxLayout(banner)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.problem_banner, 1)
        row.addWidget(self.problem_ok)
        self.banner = banner
        banner.hide()
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(banner)
        column.addWidget(self.stack, 1)
        self.setCentralWidget(central)
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
        self.sync_label = QLabel("")
        # Events the central database did not apply that the packer was told about already;
        # those refused before this window opened are in the tooltip, not shouted again.
        self.problems_told: set[str] = set()
        self.unacknowledged: list[str] = []
        self.opened_at = datetime.now(UTC)
        self.sync_label.setObjectName("syncStatus")
        bar.addPermanentWidget(self.sync_label)
        self.devices_label = QLabel("")
        self.devices_label.setObjectName("statusDevices")
        bar.addPermanentWidget(self.devices_label)
        self.devices.status_changed.connect(lambda _state: self.show_devices())
        self.devices.started.connect(self.show_devices)
        self.show_devices()

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
        self._add_view_and_help_menus()
        if self.memory is not None:
            self.memory.restore_window(self)

    def _add_view_and_help_menus(self) -> None:
        view = self.menuBar().addMenu(self.tr("&View"))
        self.dark_action = QAction(self.tr("&Dark theme"), self)
        self.dark_action.setObjectName("darkThemeAction")
        self.dark_action.setCheckable(True)
        self.dark_action.setChecked(style.current() == "dark")
        self.dark_action.toggled.connect(
            lambda dark: self.set_theme("dark" if dark else "light"))
        view.addAction(self.dark_action)
        menu = self.menuBar().addMenu(self.tr("&Help"))
        self.keys_action = QAction(self.tr("&Keyboard shortcuts"), self)
        self.keys_action.setObjectName("shortcutsAction")
        self.keys_action.setShortcut(QKeySequence("F1"))
        self.keys_action.triggered.connect(self.show_shortcuts)
        self.addAction(self.keys_action)
        menu.addAction(self.keys_action)
        self.about_action = QAction(self.tr("&About Packline"), self)
        self.about_action.setObjectName("aboutAction")
        self.about_action.triggered.connect(self.show_about)
        menu.addAction(self.about_action)
        self.dialog: QWidget | None = None  # the Help window open now

    def set_theme(self, theme: style.Theme) -> None:
        """The whole app in `theme`, at once, and remembered at this station."""
        app = QApplication.instance()
        if isinstance(app, QApplication) and theme != style.current():
            style.apply(app, theme)
            for widget in app.topLevelWidgets():
                retint(widget)
        if self.dark_action.isChecked() != (theme == "dark"):
            self.dark_action.setChecked(theme == "dark")
        if self.memory is not None:
            self.memory.set_theme(theme)

    def show_shortcuts(self) -> None:
        from app.ui import help

        titles = self.nav_titles()
        key = self.current_screen_key()
        name = next((t for k, t in zip(self.nav_keys(), titles, strict=True) if k == key), "")
        nav = [(QKeySequence(NAV_KEYS[row]).toString(QKeySequence.SequenceFormat.NativeText),
                title) for row, title in enumerate(titles[:len(NAV_KEYS)])]
        self.dialog = help.shortcuts_dialog(self, name, help.screen_keys(self.current_screen()),
                                            help.window_keys(nav))
        self.dialog.open()

    def show_about(self) -> None:
        from app.ui import help

        self.dialog = help.about_box(self, self.station, self.database_label)
        self.dialog.open()

    def nav_keys(self) -> list[str]:
        return [self.nav.item(r).data(Qt.ItemDataRole.UserRole)
                for r in range(self.nav.count())] if self.nav is not None else []

    def nav_titles(self) -> list[str]:
        by_key = {spec.key: spec for spec in screens()}
        return [by_key[k].title() for k in self.nav_keys() if k in by_key]

    def show_title(self) -> None:
        """"Packing — Packline": the screen in front, then the product."""
        product = self.tr("Packline")
        key = self.current_screen_key()
        spec = next((s for s in screens() if s.key == key), None) if key else None
        self.setWindowTitle(f"{spec.title()} — {product}" if spec is not None else product)

    def show_devices(self) -> None:
        """Scanner, scale and printer, each connected or not, in a few signs."""
        states = self.devices.service.status()
        kinds = (("scanner", ("scanner", "wedge"), self.tr("Scanner")),
                 ("scale", ("scale",), self.tr("Scale")))
        parts: list[str] = []
        tips: list[str] = []
        for _name, wanted, word in kinds:
            mine = [s for s in states if s.kind in wanted]
            if not mine:
                continue
            ok = any(s.status == "connected" for s in mine)
            parts.append(f"{word} {'✔' if ok else '✖'}")
            tips += [f"{s.name}: {labels.label(labels.device_status_names(), s.status)}"
                     for s in mine]
        if self.runtime is not None and self.runtime.printers:
            health = [self.runtime.spooler.health[name] for name in self.runtime.printers
                      if name in self.runtime.spooler.health]
            if health:
                if any(h.status == "online" for h in health):
                    sign = "✔"
                elif all(h.status == "down" for h in health):
                    sign = "✖"
                else:
                    sign = "?"
                word = self.tr("Printer")
                parts.append(f"{word} {sign}")
        self.devices_label.setText(" · ".join(parts) if parts else self.tr("No devices"))
        self.devices_label.setToolTip("\n".join(tips))

    def enter(self, actor: Actor) -> None:
        if self.workspace is not None:  # never two workspaces, whatever the login did
            self.logout()
        self.actor = actor
        allowed = screens_for(actor, self.runtime is not None)
        workspace = QWidget()
        workspace.setObjectName("workspace")
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        readable(self.nav, 13)
        self.nav.setSpacing(3)
        self.pages = QStackedWidget()
        for row, spec in enumerate(allowed):
            item = QListWidgetItem(style.screen_icon(spec.key), spec.title())
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            if row < len(NAV_KEYS):
                key = QKeySequence(NAV_KEYS[row])
                shown = key.toString(QKeySequence.SequenceFormat.NativeText)
                item.setText(f"{spec.title()}  {shown}")
                item.setToolTip(shown)
                # Owned by the workspace, so the keys go with it at logout.
                go = QAction(workspace)
                go.setShortcut(key)
                go.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
                go.triggered.connect(lambda _=False, r=row: self.go_to_row(r))
                workspace.addAction(go)
            self.nav.addItem(item)
            screen = spec.build(Workspace(self.db, actor, self.devices, self.runtime))
            self.open_screens[spec.key] = screen
            if self.memory is not None:
                for table in screen.findChildren(QTableView):
                    if table.objectName():
                        self.memory.remember(table.horizontalHeader(),
                                             f"{spec.key}/{table.objectName()}")
            # Each screen scrolls inside its page rather than widening the window: the widest
            # screen of the role (or a long text on one) must not make every screen wider.
            page = QScrollArea()
            page.setObjectName(f"page_{spec.key}")
            page.setWidgetResizable(True)
            page.setFrameShape(QFrame.Shape.NoFrame)
            page.setWidget(screen)
            self.pages.addWidget(page)
        # As wide as its longest entry (icon, name, key), whatever the window's width:
        # squeezed, the names and their keys would be cut off. Not a pixel more: the screens
        # beside it (the Presale table at 1400 px) need every one.
        self.nav.setFixedWidth(self.nav.sizeHintForColumn(0) + 2 * self.nav.frameWidth()
                               + 2 * self.nav.spacing())
        layout = QHBoxLayout(workspace)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.pages, 1)
        self.nav.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.nav.currentRowChanged.connect(lambda _row: self.focus_screen())
        self.nav.currentRowChanged.connect(lambda _row: self.show_title())
        if allowed:
            self.nav.setCurrentRow(0)
        else:
            self.pages.addWidget(QLabel(self.tr("Your role has no screens on this station.")))
        self.workspace = workspace
        self.stack.addWidget(workspace)
        self.stack.setCurrentWidget(workspace)
        # The stack hands the login's focus to the workspace's first field (the list of
        # screens): the landing screen takes the keyboard back.
        self.focus_screen()
        role = labels.label(labels.role_names(), actor.role.value)
        self.user_label.setText(f"{actor.name} ({actor.code}) · {role}")
        self.logout_action.setEnabled(True)
        self.show_title()

    def focus_screen(self) -> None:
        """The keyboard goes with the screen: its scan field (its focus proxy) when it has one,
        else the first thing Tab would reach on it, so a packer or picker switching screens
        with Alt+n scans on at once and never reaches for the mouse."""
        screen = self.current_screen()
        if screen is None:
            return
        if screen.focusProxy() is not None:
            screen.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        candidate = screen.nextInFocusChain()
        while candidate is not None and candidate is not screen:
            if screen.isAncestorOf(candidate) and candidate.isEnabled() \
                    and candidate.isVisibleTo(screen) \
                    and candidate.focusPolicy() & Qt.FocusPolicy.TabFocus:
                candidate.setFocus(Qt.FocusReason.TabFocusReason)
                return
            candidate = candidate.nextInFocusChain()

    def go_to_row(self, row: int) -> None:
        if self.nav is not None and 0 <= row < self.nav.count():
            self.nav.setCurrentRow(row)

    def current_screen(self) -> QWidget | None:
        key = self.current_screen_key()
        return self.open_screens.get(key) if key else None

    def current_screen_key(self) -> str | None:
        item = self.nav.currentItem() if self.nav is not None else None
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _scanned(self, event: Scanned) -> None:
        """A badge scanned while the login shows logs in, whichever scanner read it."""
        if self.stack.currentWidget() is self.login and event.scan.kind is ScanKind.BADGE:
            self.login.badge_scanned(event.scan.text)

    def show_sync(self, online: bool, state: Any) -> None:
        """Online or not, events waiting, lag, last sync: always in sight."""
        waiting = self.tr("%1 waiting").replace("%1", str(state.pending))
        if online:
            text = "● " + self.tr("Online") + f" · {waiting}"
            if state.last_pushed_at is not None:
                last = timefmt.clock(state.last_pushed_at)
                text += " · " + self.tr("last sync %1").replace("%1", last)
            colour = "#1b5e20"
        else:
            minutes = int(state.lag_seconds() // 60)
            text = "○ " + self.tr("OFFLINE") + f" · {waiting} · " + self.tr(
                "behind %1 min").replace("%1", str(minutes))
            colour = "#b00020"
        self.show_devices()  # the printers' health changes as the queue prints
        if state.refused:
            text += " · ⚠ " + self.tr("%1 conflicts").replace("%1", str(state.refused))
        self.sync_label.setStyleSheet(f"color: {style.ink(colour)}; font-weight: bold;")
        self.sync_label.setText(text)
        problems = list(getattr(state, "problems", ()))
        self.sync_label.setToolTip("\n".join(self.problem_text(p) for p in problems[:10]))
        fresh = [p for p in problems if p.event_id not in self.problems_told
                 and (p.at is None or p.at >= self.opened_at)]
        if fresh:
            # A packed order the central database did not take: the packer hears it at once
            # (the parcel must not leave), the shift lead finds it in the exception queue.
            # Added to what the packer has not acknowledged yet, never in its place.
            self.unacknowledged += [self.problem_text(p) for p in reversed(fresh)]
            lines = self.unacknowledged[-6:]
            more = len(self.unacknowledged) - len(lines)
            text = "⚠ " + "\n⚠ ".join(lines)
            if more:
                text += "\n" + self.tr("… and %1 more: see the exception queue").replace(
                    "%1", str(more))
            self.problem_banner.setText(text)
            self.banner.show()
            from app.ui import feedback

            feedback.play("error")
        self.problems_told.update(p.event_id for p in problems)

    def show_refused(self, text: str) -> None:
        """The station's sync stopped for good (its Packline cannot work with the central
        database): said in the status bar, `text` (the reason, in full) in its tooltip."""
        self.sync_label.setStyleSheet(f"color: {style.ink('#b00020')}; font-weight: bold;")
        self.sync_label.setText("⛔ " + self.tr("NOT SYNCING: this Packline does not fit the "
                                               "central database"))
        self.sync_label.setToolTip(text)

    def acknowledge_problem(self) -> None:
        self.banner.hide()
        self.problem_banner.setText("")
        self.unacknowledged.clear()

    def problem_text(self, problem: Any) -> str:
        """What a packer reads about an event the central database did not apply."""
        order = problem.order_no or problem.kind
        if problem.category == "intercepted_after_pack":
            return self.tr("Order %1 was intercepted while it was being packed: do not ship "
                           "the parcel, hand it to the shift lead").replace("%1", order)
        if problem.category == "sync_conflict":
            return self.tr("The central database did not take order %1 as packed here (packed "
                           "elsewhere, not picked, or its tracking number taken): keep the "
                           "parcel back and hand it to the shift lead").replace("%1", order)
        # Anything else: the category in words; the central database's own text is for IT,
        # in the log and the sync status.
        log.warning("central database did not accept %s: %s", order, problem.detail)
        return self.tr("The central database did not accept order %1 (%2): hand the parcel "
                       "to the shift lead").replace("%1", order).replace(
            "%2", labels.label(labels.exception_names(), problem.category) or "?")

    # ---- live rights: a session that ended, a role that changed

    def _task_failed(self, exc: BaseException) -> None:
        if not is_alive(self) or self.actor is None:
            return
        if isinstance(exc, SessionEnded):
            if exc.params.get("user") in (None, self.actor.code):
                from app.ui.messages import describe

                self.end_session(describe(exc))
        elif isinstance(exc, PermissionDenied):
            # Refused: perhaps an admin changed this person's role since they logged in.
            # Look them up again; SessionEnded from there comes back through here.
            actor = self.actor
            tasks.Task(access.current, self.db, actor).owned_by(self).success(
                lambda now: self._role_now(actor, now)).failure(lambda _exc: None).start()

    def _role_now(self, actor: Actor, now: Actor) -> None:
        if self.actor is actor and now.role != actor.role:
            role = labels.label(labels.role_names(), now.role.value)
            self.end_session(self.tr("Your role is now %1: log in again to work with its "
                                     "screens.").replace("%1", role))

    def end_session(self, text: str) -> None:
        """Back to the login, saying why."""
        log.info("session of %s ended", self.actor.code if self.actor else "?")
        self.logout()
        self.login.show_error(text)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.memory is not None:
            self.memory.save()
            self.memory.save_window(self)
        super().closeEvent(event)

    def logout(self) -> None:
        if self.memory is not None:
            self.memory.save()
            self.memory.forget_tables()
        if self.workspace is not None:
            self.stack.removeWidget(self.workspace)
            self.workspace.deleteLater()
        self.workspace = self.nav = self.pages = None
        self.open_screens.clear()
        self.actor = None
        self.user_label.setText("")
        self.logout_action.setEnabled(False)
        self.login.start_over()
        self.show_title()
        self.stack.setCurrentWidget(self.login)
        self.login.focus_first()
