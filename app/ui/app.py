"""Starting the desktop app: Qt, translations, logging, the central database, the window."""

from __future__ import annotations

import gc
import logging
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import make_url

from app import __version__
from app.config import Config
from app.logs import log_file, running_line
from app.resources import resources_dir
from app.services.database import Database
from app.services.errors import ServiceError
from app.ui import screen_fonts
from app.ui.layout_memory import LayoutMemory
from app.ui.qt import (
    QApplication,
    QCoreApplication,
    QLabel,
    QLibraryInfo,
    QLocale,
    QMessageBox,
    QObject,
    Qt,
    QTimer,
    QtMsgType,
    QTranslator,
    QWidget,
    qInstallMessageHandler,
)

if TYPE_CHECKING:
    from app.services.schema import SchemaGate, SchemaRefused
    from app.ui.crash import CrashReporter
    from app.ui.device_manager import DeviceManager
    from app.ui.main_window import MainWindow
    from app.ui.single_instance import StationLock
    from app.ui.sync_process import SyncProcess

log = logging.getLogger("packline.ui")
# The window is up and its first frames painted before the label warm-up competes for the
# interpreter: nobody prints a label within the first seconds of a start.
WARM_UP_AFTER_MS = 1500
qtlog = logging.getLogger("packline.qt")
_LEVELS = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
           QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
           QtMsgType.QtFatalMsg: logging.CRITICAL}


def _qt_message(kind: QtMsgType, _context: object, message: str) -> None:
    qtlog.log(_LEVELS.get(kind, logging.WARNING), "%s", message)


class _Translator(QTranslator):
    """Packline's own strings, then Qt's (the Yes/No of a question, a file dialog's buttons),
    as one translator: installed and removed together, so a screen never mixes languages."""

    def __init__(self, parent: QObject, qt_base: QTranslator) -> None:
        super().__init__(parent)
        self.qt_base = qt_base

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str:
        text = super().translate(context, source, disambiguation, n)
        return text or self.qt_base.translate(context, source, disambiguation, n) or ""

    def isEmpty(self) -> bool:
        return False


def install_translator(app: QApplication, language: str) -> QTranslator | None:
    if language.lower().startswith("en"):
        QLocale.setDefault(QLocale(QLocale.Language.English))
        return None
    qt_base = QTranslator(app)
    qt_path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not qt_base.load(f"qtbase_{language}", qt_path):
        log.warning("no Qt translation %s in %s", language, qt_path)
    translator = _Translator(app, qt_base)
    path = resources_dir() / "translations"
    if translator.load(f"packline_{language}", str(path)):
        app.installTranslator(translator)
        QLocale.setDefault(QLocale(language))
        return translator
    log.warning("no translation %s in %s", language, path)
    return None


def database_label(url: str) -> str:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return QApplication.translate("app", "embedded (%1)").replace(
            "%1", parsed.database or "memory")
    return f"{parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database}"


class OutboxPusher:
    """The sync on a thread of the app (the desktop app runs it in a process of its own,
    `app.ui.sync_process.SyncProcess`, with the same interface). Off the GUI thread, every few
    seconds: the station's waiting events go to the central
    database, then what changed there comes back (intercepts, users, SKUs), the waves ready
    to pack are fetched, and about once a minute the tracking numbers are topped up. When the
    central database cannot be reached everything waits, and the next try comes after 1, 2,
    4, 8, then every 10 seconds (back-off), so a station notices the network is back within
    seconds without hammering a server that is coming up again.

    With a `gate` (`app.services.schema.SchemaGate`) a round syncs only once the central
    database's schema was found to be the one this build works with — checked on the first
    connection, and again on the first after the server was out of reach. A schema this
    build cannot work with stops the rounds for good (`on_refused(SchemaRefused)`): the
    station's events wait in its outbox."""

    BACKOFF_S = (1.0, 2.0, 4.0, 8.0, 10.0)  # as `app.station.sync_service.BACKOFF_S`

    def __init__(self, runtime: Any, owner: QObject, every_ms: int = 5000,
                 on_status: Any = None, gate: SchemaGate | None = None,
                 on_refused: Callable[[SchemaRefused], None] | None = None) -> None:
        from app.ui.qt import QTimer

        self.runtime = runtime
        self.owner = owner
        self.every_ms = every_ms
        self.busy = False
        self.rounds = 0
        self.failures = 0  # rounds in a row that could not reach the central database
        self.running = False
        self.on_status = on_status  # (online, outbox.SyncState) after each round
        self.gate = gate
        self.on_refused = on_refused
        # Tracking numbers are fetched in the station's name (a system actor with PACK).
        from app.services.context import system_actor

        self.actor = system_actor(runtime.code)
        self.timer = QTimer(owner)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.push)

    def start(self) -> None:
        self.running = True
        self.timer.start(self.every_ms)

    def stop(self) -> None:
        self.running = False  # a round still running schedules no other
        self.timer.stop()

    def next_delay_ms(self) -> int:
        if self.failures == 0:
            return self.every_ms
        return int(self.BACKOFF_S[min(self.failures, len(self.BACKOFF_S)) - 1] * 1000)

    def push(self) -> None:
        from app.ui.tasks import Task

        if self.busy:
            return
        self.busy = True
        self.rounds += 1
        refill = self.rounds % 12 == 1  # about once a minute, and at start

        gate = self.gate

        def work() -> Any:
            from app.station import outbox
            from app.station.sync_service import one_round

            # The station's sync round (`StationRuntime.sync_round`), the same as
            # `packline sync once`, behind the schema gate; about once a minute with its
            # housekeeping.
            done = one_round(self.runtime, self.actor, gate, housekeeping=refill)
            return done.online, outbox.state(self.runtime.store)

        Task(work).owned_by(self.owner).success(self._done).failure(self._failed).start()

    def _done(self, result: Any) -> None:
        online, _state = result
        self._finished(online)
        if self.on_status is not None:
            self.on_status(*result)

    def _failed(self, exc: BaseException) -> None:
        from app.services.schema import SchemaRefused

        if isinstance(exc, SchemaRefused):
            log.error("sync stopped: %s", exc)
            self.busy = False
            self.stop()
            if self.on_refused is not None:
                self.on_refused(exc)
            return
        # Offline is an answer (`SyncRound.online`); a round that raised met a fault.
        log.error("sync round failed", exc_info=(type(exc), exc, exc.__traceback__))
        self._finished(False)

    def _finished(self, online: bool) -> None:
        self.busy = False
        self.failures = 0 if online else self.failures + 1
        if self.running:
            self.timer.start(self.next_delay_ms())


class Background:
    """What runs beside the window and needs no screen: the watcher that tells the screens
    about changes made by other processes, and — on the embedded SQLite database, unless
    `[engine] embedded = false` — the order engine. Started once the central database is
    ready (migrated and seeded), stopped when the app quits."""

    def __init__(self, cfg: Config, db: Database) -> None:
        from app.services.context import system_actor
        from app.services.embedded import EmbeddedEngine
        from app.services.watch import Watcher

        self.watcher = Watcher(db)
        self.engine: EmbeddedEngine | None = None
        if cfg.embedded and cfg.settings.engine.embedded:
            self.engine = EmbeddedEngine(
                db, system_actor(cfg.settings.station.code),
                pull_every=cfg.settings.channels.pull_every,
                confirm_per_second=cfg.settings.channels.confirm_per_second)

    def start(self) -> None:
        self.watcher.start()
        if self.engine is not None:
            self.engine.start()

    def stop(self) -> None:
        if self.engine is not None:
            self.engine.stop()
        self.watcher.stop()


def tune_threads() -> None:
    """A station runs its printers, devices and sync on threads beside the screen: hand the
    interpreter over between them every millisecond (instead of every 5 ms), so a scan's
    result is never kept waiting behind a background push."""
    sys.setswitchinterval(0.001)


def settle_memory() -> None:
    """Once the station is up: move what start-up made (Qt bindings, SQLAlchemy's mappers,
    fonts — some 120,000 objects) out of the cycle collector's reach, so its full passes,
    which stop every thread, walk only what the shift creates (about 100 ms otherwise, and
    a scan that lands in one waits for it)."""
    gc.collect()
    gc.freeze()


def load_while_showing(app: QApplication) -> QWidget:
    """The window's modules (screens, services, models, printing — seconds on a busy machine)
    are imported on a thread while a small window says the app is starting: something shows
    at once and the GUI thread keeps painting. Returns that window, to close once the main
    window shows. (A module that fails to import fails again, with its error, on the GUI
    thread right after.)"""
    import importlib
    import threading

    splash = QLabel(QApplication.translate("app", "Packline is starting…"))
    splash.setObjectName("startingSplash")
    splash.setWindowTitle("Packline")
    splash.setAlignment(Qt.AlignmentFlag.AlignCenter)
    font = splash.font()
    font.setPointSize(18)
    splash.setFont(font)
    splash.resize(480, 180)
    splash.show()
    done = threading.Event()

    def load() -> None:
        try:
            for name in ("app.ui.main_window", "app.station.runtime", "app.station.devices",
                         "app.ui.device_manager",
                         "app.services.setup", "app.services.watch", "app.services.embedded"):
                importlib.import_module(name)
        except BaseException:  # noqa: BLE001 - raised again by the GUI thread's own import
            log.debug("background import failed", exc_info=True)
        finally:
            done.set()

    threading.Thread(target=load, name="packline-load", daemon=True).start()
    while not done.wait(0.02):
        app.processEvents()
    return splash


def settings_problem_box(text: str, words: Callable[[str, str], str]) -> QMessageBox:
    """The dialog saying the settings file's problem, in the station's language."""
    box = QMessageBox(QMessageBox.Icon.Critical, "Packline",
                      words("settings", "Packline cannot start: the station settings file has "
                                        "a problem"))
    box.setInformativeText(text + "\n\n" + words(
        "settings", "Fix the file (or ask IT), then start Packline again. "
                    "`packline settings check FILE` lists every problem."))
    return box


def show_settings_problem(text: str, words: Callable[[str, str], str], language: str) -> None:
    """Before the app can start: the problem in a dialog, for a person who started Packline
    from an icon and sees no terminal; its buttons in `language` too (Qt's own translator)."""
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    screen_fonts.register(app)
    install_translator(app, language)
    settings_problem_box(text, words).exec()


def apply_look(app: QApplication, cfg: Config) -> LayoutMemory:
    """The app's icon and theme: `[ui] theme` when --set or the environment gives it (IT's
    word for this run or this service), else the one chosen last in the View menu at this
    station, else `[ui] theme` of the settings files. Returns what the station remembers of
    its window."""
    from app.ui import style

    memory = LayoutMemory(cfg.paths.layout)
    chosen: str = cfg.settings.ui.theme
    if cfg.source_of("ui", "theme").kind in ("user", "machine", "default"):
        chosen = memory.theme() or chosen
    style.apply(app, style.resolve(chosen))
    app.setWindowIcon(style.app_icon())
    return memory


def already_running_box() -> QMessageBox:
    """What a second start says when the running app did not answer its knock (in the
    language of the translator installed)."""
    box = QMessageBox(QMessageBox.Icon.Information, "Packline", QCoreApplication.translate(
        "instance", "Packline is already running on this station (perhaps under another "
                    "account, or still starting)."))
    box.setInformativeText(QCoreApplication.translate(
        "instance", "Only one copy of Packline can use this station's scanner, printers and "
                    "data at a time. Use the Packline window that is open (switch to the "
                    "account it runs under), or wait a moment and start Packline again."))
    return box


def show_already_running(language: str) -> None:
    """Before the app's window: the message box of a second start nobody answered, in the
    station's language (its button too), for a person who sees no terminal."""
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    install_translator(app, language)
    already_running_box().exec()


def one_app_per_station(cfg: Config) -> StationLock | None:
    """The station's lock, held until the app ends; None when the app already runs on this
    station (its window was asked to come forward, or the person told it runs) and this start
    ends."""
    from app.ui.single_instance import hold_station

    return hold_station(cfg, lambda: show_already_running(cfg.settings.ui.language))


def report_crashes(cfg: Config) -> CrashReporter:
    """From here on an unexpected error in a slot or a thread is logged and shown to the
    person, on the GUI thread (app/ui/crash.py); until the event loop runs, its dialog waits
    for the person where the error was met."""
    from app.ui.crash import install_crash_reporter

    reporter = install_crash_reporter(log_file(cfg))
    reporter.waits = True
    return reporter


def run_event_loop(app: QApplication, reporter: CrashReporter) -> int:
    """The window's life: while the event loop runs, an error's dialog opens beside it."""
    reporter.waits = False
    try:
        return int(app.exec())
    finally:
        reporter.waits = True


def refuse_station(window: MainWindow, pusher: OutboxPusher | SyncProcess,
                   exc: BaseException) -> None:
    """This station cannot work with its central database (a schema this build does not fit,
    an embedded database that could not be prepared): nothing more is sent there, the login
    lets nobody in and says why, in the station's language, and so does the status bar."""
    from app.ui.widgets import error_text

    log.error("central database not ready: %s", exc)
    pusher.stop()  # nothing of the station's is sent to a database it cannot work with
    text = error_text(exc)
    window.login.refuse(text)
    window.show_refused(text)


def open_login(cfg: Config, db: Database, window: MainWindow,
               pusher: OutboxPusher | SyncProcess,
               gate: SchemaGate, start_background: Callable[[], None]) -> None:
    """The first start migrates and seeds the embedded database, off the GUI thread, and the
    login waits for it. A central server's schema is checked in the background while the
    login is open (a server out of reach holds nobody up: the station packs offline with its
    own store and people); the sync starts once the check answered and pushes only once the
    schema was found fit (`SchemaGate`). A schema this build does not fit refuses the station
    (`refuse_station`), whenever the check finds it."""
    from app.services.schema import SchemaRefused
    from app.services.setup import prepare_database
    from app.ui.tasks import Task

    login = window.login
    pusher.on_refused = lambda exc: refuse_station(window, pusher, exc)
    if cfg.embedded:
        login.setEnabled(False)
        login.show_info(QApplication.translate("app", "Preparing the embedded database…"))

        def ready(seeded: int) -> None:
            login.setEnabled(True)
            login.show_info(
                QApplication.translate("app", "Demo data ready: %1 orders").replace(
                    "%1", str(seeded)) if seeded else "")
            login.user.setFocus()
            start_background()
            pusher.start()

        Task(prepare_database, db, embedded=True,
             seed_demo=cfg.settings.demo.seed_on_first_start,
             station=cfg.settings.station.code).success(ready).failure(
            lambda exc: refuse_station(window, pusher, exc)).start()
        return
    checking = QApplication.translate("app", "Checking the central database…")
    login.show_info(checking)

    def checked(_fits: bool) -> None:
        if login.message.text() == checking:
            login.show_info("")
        start_background()
        pusher.start()

    def failed(exc: BaseException) -> None:
        if isinstance(exc, SchemaRefused):
            refuse_station(window, pusher, exc)
            return
        # A fault, not a verdict on the schema: said, and checked again by the sync rounds.
        from app.ui.widgets import error_text

        log.error("central database schema not checked: %s", exc,
                  exc_info=(type(exc), exc, exc.__traceback__))
        login.show_error(error_text(exc))
        start_background()
        pusher.start()

    # On a thread of its own: a server that never answers keeps neither a pool's thread nor
    # the app's end waiting.
    Task(gate.ensure).success(checked).failure(failed).start_detached("packline-schema")


def refused_at_login(app: QApplication, reporter: CrashReporter, cfg: Config, db: Database,
                     devices: DeviceManager, memory: LayoutMemory, exc: ServiceError) -> int:
    """The window with its login closed and the refusal on it, as a central database this
    build cannot work with is shown (`run_app`'s `broken`), until the person closes it."""
    from app.ui.main_window import MainWindow
    from app.ui.startup_probe import quit_at_login_if_asked
    from app.ui.widgets import error_text

    log.error("station store refused: %s", exc)
    window = MainWindow(db, cfg.settings.station.code, database_label(cfg.central_url),
                        devices, memory=memory)
    window.login.refuse(error_text(exc))
    window.show()
    quit_at_login_if_asked(app, window, window.login)
    return run_event_loop(app, reporter)


def run_app(cfg: Config, flags: Sequence[str] = ()) -> int:
    """The desktop app on the station `cfg` (read with the settings `flags` of its command
    line, which its sync process is given too)."""
    qInstallMessageHandler(_qt_message)
    tune_threads()
    log.info("%s starting", running_line())
    station_lock = one_app_per_station(cfg)
    if station_lock is None:
        return 0
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Packline")
    app.setOrganizationName("Packline")
    app.setApplicationVersion(__version__)
    screen_fonts.register(app)  # the frozen build's Chinese font, before the first window
    install_translator(app, cfg.settings.ui.language)
    reporter = report_crashes(cfg)
    memory = apply_look(app, cfg)
    splash = load_while_showing(app)

    from app.ui.changes import close_hub, hub
    from app.ui.main_window import MainWindow
    from app.ui.startup_probe import quit_at_login_if_asked
    from app.ui.tasks import shutdown

    hub()  # on the GUI thread, before anything can announce a change

    db = Database.from_url(cfg.central_url, **cfg.database_options)
    from app.station.devices import DeviceService
    from app.station.runtime import StationRuntime
    from app.ui.device_manager import DeviceManager

    # The station's devices: the service runs them, the manager brings their news to the GUI
    # thread. Subscribed before the start, so the first statuses and the wedge are heard.
    device_service = DeviceService(cfg.settings)
    devices = DeviceManager(device_service)
    device_service.start()
    from app.services.central_link import DatabaseLink

    try:
        runtime = StationRuntime(cfg, db, link=DatabaseLink(db))
    except ServiceError as exc:  # a store a newer Packline migrated: said on the login
        code = refused_at_login(app, reporter, cfg, db, devices, memory, exc)
        splash.close()
        devices.close()
        device_service.stop()
        db.dispose()
        station_lock.release()
        return code
    runtime.start(warm_up=False)
    window = MainWindow(db, cfg.settings.station.code, database_label(cfg.central_url),
                        devices, runtime, memory=memory)
    from app.services.schema import SchemaGate

    gate = SchemaGate(db, embedded=cfg.embedded)
    # The sync in a process of its own (`app.ui.sync_process`): its rounds never hold the
    # interpreter a scan's result waits for, and they give way to the screens.
    from app.station.sync_service import options_for
    from app.ui.sync_process import SyncProcess

    pusher = SyncProcess(runtime, window, on_status=window.show_sync,
                         options=options_for(cfg.paths.home, cfg.paths.data_from, flags))
    background = Background(cfg, db)
    open_login(cfg, db, window, pusher, gate, background.start)
    window.show()
    # The label fonts and the PDF library load once the window is up, off the GUI thread.
    QTimer.singleShot(WARM_UP_AFTER_MS, runtime.start_warm_up)
    station_lock.serve(window)
    splash.close()
    quit_at_login_if_asked(app, window, window.login)
    settle_memory()
    code = run_event_loop(app, reporter)
    background.stop()
    close_hub()
    pusher.close()
    devices.close()
    device_service.stop()
    runtime.stop()
    shutdown()
    db.dispose()
    station_lock.release()
    return int(code)
