"""`packline selftest`: IT's check that this install of Packline works — the frozen build most of
all, whose bundle must carry every module, library, font and data file the app loads at run
time. It builds a throwaway station of its own in a folder (`--out DIR`, else a temporary one)
and touches nothing of the real station: it migrates an empty embedded database (both schema
trees: the central one and the station store), renders a waybill in every printer language,
prints a test label through the print queue to a folder printer, logs a packer in at the real
login screen and renders the packing screen offscreen to a PNG, and loads a scan sound.

Each check says what it did; exit 0 when all passed, 1 otherwise. The files it made stay in
`--out DIR` (`packing.png`, `labels/waybill.*`, `prints/*.png`, `station/`), and so does the
temporary folder when a check failed.

`LAZY_MODULES` names the modules the app (or a library it uses) imports by name at run time,
which an import scan cannot see: packaging/packline.spec bundles them as hidden imports, and
the `modules` check imports each, so a bundle that lacks one fails here, not at a station.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

# Imported by name at run time, by the app or its libraries.
LAZY_MODULES: tuple[str, ...] = (
    # SQLAlchemy loads a URL's dialect and driver by name; psycopg its C implementation.
    "sqlalchemy.dialects.sqlite.pysqlite", "sqlalchemy.dialects.postgresql.psycopg",
    "psycopg", "psycopg_binary", "psycopg_binary.pq", "psycopg_binary._psycopg",
    # Alembic runs the migration scripts (plain .py files beside the app) that import these.
    "alembic.op", "alembic.context", "alembic.ddl.sqlite", "alembic.ddl.postgresql",
    "alembic.runtime.migration", "alembic.script",
    # pyserial opens `socket://`, `loop://`, `rfc2217://` … with urlhandler.protocol_<scheme>.
    "serial.urlhandler.protocol_socket", "serial.urlhandler.protocol_loop",
    "serial.urlhandler.protocol_rfc2217", "serial.urlhandler.protocol_spy",
    "serial.urlhandler.protocol_hwgrep", "serial.urlhandler.protocol_alt",
    "serial.tools.list_ports",
    # Receipt printers (python-escpos reads its capabilities.json at import) and USB.
    "escpos.printer", "escpos.capabilities", "usb.backend.libusb1",
    # Passwords and the central database's password in the OS keyring.
    "argon2", "_cffi_backend", "keyring.backends.fail", "keyring.backends.chainer",
    # The platforms' print components, open APIs, order exports and retries.
    "websockets.sync.client", "httpx", "h11", "anyio._backends._asyncio", "openpyxl",
    "tenacity",
    # Fonts: fontTools reads each table with a module named after its tag.
    "fontTools.ttLib.tables._c_m_a_p", "fontTools.ttLib.tables._h_e_a_d",
    "fontTools.ttLib.tables._m_a_x_p", "fontTools.ttLib.tables._p_o_s_t",
    "fontTools.ttLib.tables._n_a_m_e", "fontTools.ttLib.tables._g_l_y_f",
    "fontTools.ttLib.tables._l_o_c_a", "fontTools.ttLib.tables._h_h_e_a",
    "fontTools.ttLib.tables._h_m_t_x", "fontTools.ttLib.tables.O_S_2f_2",
    # Receivers' phone numbers: one metadata module per region, loaded on first use.
    "phonenumbers.data.region_CN", "phonenumbers.data.region_HK",
    "phonenumbers.data.region_MO", "phonenumbers.data.region_TW",
    # Label previews (PDF pages as images) and the image formats PIL opens by name.
    "pypdfium2", "pypdfium2_raw", "PIL.PngImagePlugin", "PIL.BmpImagePlugin",
    # Qt modules the screens use.
    "PySide6.QtCharts", "PySide6.QtMultimedia", "PySide6.QtSvg",
    # One app per station (a local socket), Windows printers' PDF path; the shared log's lock.
    "PySide6.QtNetwork", "PySide6.QtPrintSupport", "concurrent_log_handler", "portalocker",
)
# The same, for one platform only.
PLATFORM_MODULES: dict[str, tuple[str, ...]] = {
    "linux": ("keyring.backends.SecretService", "secretstorage", "jeepney"),
    # Windows has no zone database of its own (China time on every screen).
    "win32": ("keyring.backends.Windows", "win32ctypes", "tzdata", "tzdata.zoneinfo.Asia",
              # Windows printers, the engine as a service, the log's file lock (pywin32).
              "win32print", "pywintypes", "win32api", "win32con", "win32file", "win32security",
              "win32service", "win32serviceutil", "servicemanager", "win32timezone",
              "win32event"),
}

STATION = "ST-SELFTEST"
PRINTER = "selftest"
PACKER = ("packer01", "packer123")  # a demo user (README: Demo users)
SCREEN = "packing"
SIZE = (1400, 860)
TIMEOUT_S = 60.0
# Characters every station prints: the CJK font must set them.
SAMPLE_TEXT = "杭州市余杭区良睦路1399号 张三 顺丰速运 打包台"
LABEL_LANGUAGES = ("zpl", "tspl", "escpos", "pdf", "png")


def lazy_modules(platform: str = sys.platform) -> list[str]:
    """The modules imported by name at run time on `platform` (a `sys.platform` value)."""
    return [*LAZY_MODULES, *PLATFORM_MODULES.get(platform, ())]


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    seconds: float
    files: list[str] = field(default_factory=list)


class SelfTest:
    """The checks, in order, on a station in `out`; each one's result in `checks`."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.home = out / "station"
        self.checks: list[Check] = []
        self.cfg: Any = None
        self.db: Any = None
        self.runtime: Any = None
        self.packer: Any = None

    # ---- running

    def run(self) -> list[Check]:
        from app.ui.app import _qt_message
        from app.ui.qt import qInstallMessageHandler

        qInstallMessageHandler(_qt_message)  # Qt's own messages into the log, as in the app
        self.step("bundle", self.bundle)
        self.step("modules", self.modules)
        self.step("fonts", self.fonts)
        if self.step("database", self.database):
            self.step("labels", self.labels)
            self.step("print", self.print_label)
            self.step("screen", self.screen)
        self.step("sound", self.sound)
        self.close()
        return self.checks

    def step(self, name: str, check: Callable[[], tuple[str, list[Path]]]) -> bool:
        from app.redact import scrub

        began = time.monotonic()
        try:
            detail, files = check()
            ok = True
        except Exception as exc:  # noqa: BLE001 - a failed check is reported, not raised
            import logging

            logging.getLogger("packline.selftest").error("%s failed", name, exc_info=True)
            detail, files, ok = scrub(f"{type(exc).__name__}: {exc}"), [], False
        self.checks.append(Check(name, ok, detail, round(time.monotonic() - began, 2),
                                 [str(f) for f in files]))
        return ok

    def close(self) -> None:
        if self.runtime is not None:
            self.runtime.stop()
        if self.db is not None:
            self.db.dispose()

    # ---- the checks

    def bundle(self) -> tuple[str, list[Path]]:
        from app import __version__
        from app.resources import resource_path, resources_dir

        wanted = [("translations", "packline_zh_CN.qm"), ("icons", "packline.svg"),
                  ("icons", "packing.svg"), ("sounds", "ok.wav"), ("regions", "regions.csv")]
        missing = ["/".join(w) for w in wanted if not resource_path(*w).is_file()]
        if missing:
            raise FileNotFoundError(f"missing in {resources_dir()}: {', '.join(missing)}")
        from app.domain.regions import RegionTable

        regions = RegionTable.default()
        frozen = "frozen build" if getattr(sys, "frozen", False) else "Python " + \
            sys.version.split()[0]
        return (f"Packline {__version__} ({frozen}); resources in {resources_dir()}; "
                f"region table read ({type(regions).__name__})"), []

    def modules(self) -> tuple[str, list[Path]]:
        import importlib

        names = lazy_modules()
        missing = []
        for name in names:
            try:
                importlib.import_module(name)
            except Exception as exc:  # noqa: BLE001 - an ImportError or a library's own
                missing.append(f"{name} ({type(exc).__name__}: {exc})")
        if missing:
            raise ImportError("cannot import " + "; ".join(missing))
        import sqlite3

        import psycopg

        return (f"{len(names)} modules imported by name; psycopg {psycopg.pq.__impl__} "
                f"(libpq {psycopg.pq.version()}), SQLite {sqlite3.sqlite_version}"), []

    def fonts(self) -> tuple[str, list[Path]]:
        from app.printing import fonts

        first = fonts.find_cjk_font()
        chain = fonts.font_chain()
        missing = chain.missing(SAMPLE_TEXT)
        if missing is not None:
            raise LookupError(fonts.unprintable_message(missing))
        bundled = fonts.bundled_fonts_dir()
        where = "the bundle" if bundled is not None and first.path.parent == bundled \
            else str(first.path.parent)
        return (f"{first.path.name} from {where}, {len(chain.fonts) - 1} fallback font(s): "
                + ", ".join(f.path.name for f in chain.fonts[1:])), []

    def database(self) -> tuple[str, list[Path]]:
        from app.config import load_config
        from app.logs import setup_logging
        from app.secure_files import private_dir
        from app.services import auth, demo
        from app.services.central_link import DatabaseLink
        from app.services.context import system_actor
        from app.services.database import Database
        from app.services.setup import prepare_embedded
        from app.station.runtime import StationRuntime
        from app.store import migrate

        private_dir(self.home)
        prints = self.out / "prints"
        (self.home / "station.ini").write_text(
            f"[station]\ncode = {STATION}\n\n[ui]\nlanguage = zh_CN\n\n"
            f"[demo]\nseed_on_first_start = false\n\n"
            f"[printer:{PRINTER}]\nurl = {folder_url(prints)}\nlanguage = png\n"
            f"paper = 100x150\n\n[printers]\ndefault = {PRINTER}\n", encoding="utf-8")
        os.chmod(self.home / "station.ini", 0o600)
        # This station's own embedded database, whatever PACKLINE_CENTRAL_URL says.
        cfg = load_config(self.home)
        self.cfg = replace(cfg, central_url=f"sqlite:///{cfg.paths.station_db}")
        setup_logging(self.cfg)
        self.db = Database.from_url(self.cfg.central_url)
        prepare_embedded(self.db, seed_demo=False, station=STATION)
        report = demo.seed(self.db, system_actor(STATION), orders=0)
        self.runtime = StationRuntime(self.cfg, self.db, link=DatabaseLink(self.db))
        self.packer = auth.login_password(self.db, *PACKER, STATION)
        return (f"empty embedded database migrated to {migrate.head_revision()}, station store "
                f"migrated; reference data seeded ({report.as_json().get('skus', 0)} SKUs); "
                f"{self.packer.code} logged in"), [self.home / "station.db"]

    def labels(self) -> tuple[str, list[Path]]:
        from app.printing.render import render
        from app.secure_files import private_dir

        folder = self.out / "labels"
        private_dir(folder)
        doc = sample_waybill()
        files = []
        for language in LABEL_LANGUAGES:
            data = render(doc, language)
            path = folder / f"waybill.{language}"
            path.write_bytes(data)
            files.append(path)
        return (f"waybill {doc.tracking_no} rendered in {', '.join(LABEL_LANGUAGES)}"), files

    def print_label(self) -> tuple[str, list[Path]]:
        from sqlalchemy import select

        from app.station import print_queue as printing
        from app.station.models import PrintJob

        runtime = self.runtime
        queued = printing.test_page(runtime.store, self.packer, runtime.printers[PRINTER],
                                    STATION)
        runtime.start()
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            with runtime.store.reader() as s:
                job = s.scalars(select(PrintJob).where(PrintJob.id == queued.job_id)).one()
                status, error = job.status, job.last_error
            if status in ("sent", "failed", "cancelled") or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        if status != "sent":
            raise RuntimeError(f"the test label was not printed: {status} {error}".strip())
        printed = sorted((self.out / "prints").glob(f"*{queued.job_id}*"))
        if not printed:
            raise FileNotFoundError(f"the folder printer wrote nothing to {self.out / 'prints'}")
        return f"test label printed through the queue to {printed[0]}", printed

    def screen(self) -> tuple[str, list[Path]]:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # drawn into an image, never shown
        from app.station.devices import DeviceService
        from app.ui import screen_fonts, style, tasks
        from app.ui.app import database_label, install_translator
        from app.ui.device_manager import DeviceManager
        from app.ui.main_window import MainWindow
        from app.ui.qt import QApplication, Qt

        app = QApplication.instance() or QApplication([sys.argv[0]])
        assert isinstance(app, QApplication)
        ui_font = screen_fonts.register(app)
        where_font = f"{ui_font} from the bundle" if ui_font else "the system's"
        translated = install_translator(app, "zh_CN") is not None
        style.apply(app, style.resolve("light"))
        service = DeviceService(self.cfg.settings, watch_ports=False)
        devices = DeviceManager(service)
        window = MainWindow(self.db, STATION, database_label(self.cfg.central_url), devices,
                            self.runtime)
        try:
            window.resize(*SIZE)
            window.show()
            login = window.login
            login.user.setText(PACKER[0])
            login.password.setText(PACKER[1])
            login.submit()
            _wait(lambda: window.actor is not None or login.button.isEnabled(), "the login")
            if window.actor is None:
                raise RuntimeError(f"{PACKER[0]} could not log in: {login.message.text()}")
            nav = window.nav
            assert nav is not None
            keys = [nav.item(row).data(Qt.ItemDataRole.UserRole) for row in range(nav.count())]
            if SCREEN not in keys:
                raise LookupError(f"no {SCREEN} screen for {PACKER[0]}: {keys}")
            nav.setCurrentRow(keys.index(SCREEN))
            _wait(lambda: tasks.pending() == 0, "the packing screen's loads")
            window.grab()  # painting asks for what it shows: settle once more
            _wait(lambda: tasks.pending() == 0, "the packing screen's loads")
            path = self.out / "packing.png"
            image = window.grab().toImage()
            if image.isNull() or not image.save(str(path)):
                raise OSError(f"could not write {path}")
        finally:
            window.close()
            devices.close()
            service.stop()
            tasks.shutdown()
        return (f"{PACKER[0]} logged in at the login screen; the packing screen rendered "
                f"{image.width()}x{image.height()} offscreen"
                f"{', in Chinese' if translated else ', without its translation'}; "
                f"Chinese screen font: {where_font}"), [path]

    def sound(self) -> tuple[str, list[Path]]:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from app.ui.feedback import sound_path
        from app.ui.qt import QApplication, QMediaDevices, QSoundEffect, QUrl

        app = QApplication.instance() or QApplication([sys.argv[0]])
        # The scan sounds play through Qt Multimedia's own audio output (no media back end).
        outputs = QMediaDevices.audioOutputs()
        if not outputs:
            return "no audio output on this machine: no sound was played", []
        effect = QSoundEffect()
        effect.setSource(QUrl.fromLocalFile(sound_path("ok")))
        try:
            _wait(lambda: effect.status() not in (QSoundEffect.Status.Loading,
                                                  QSoundEffect.Status.Null), "the sound")
            if effect.status() != QSoundEffect.Status.Ready:
                raise RuntimeError(f"the scan sound did not load: {effect.status().name}")
        finally:
            effect.deleteLater()
            app.processEvents()
        return (f"the scan sound loaded for {QMediaDevices.defaultAudioOutput().description()}"
                ), []


def folder_url(folder: Path) -> str:
    """`file:///ABS/FOLDER` for a folder printer (`file:///C:/…` on Windows), unquoted."""
    text = folder.resolve().as_posix()
    return "file://" + (text if text.startswith("/") else "/" + text)


def sample_waybill() -> Any:
    from datetime import UTC, datetime

    from app.printing.documents import Party, Waybill

    return Waybill(carrier_code="SF", carrier_name="顺丰速运", tracking_no="SF1234567890123",
                   sender=Party("杭州仓", "0571-88886666", "浙江省", "杭州市", "余杭区",
                                "良睦路1399号"),
                   receiver=Party("张三", "13800138000", "广东省", "深圳市", "南山区",
                                  "科技园南区8栋"),
                   order_nos=("PL0000000000001",), printed_at=datetime.now(UTC))


def _wait(condition: Callable[[], bool], what: str) -> None:
    """Run Qt's event loop until `condition` holds; TimeoutError after a minute."""
    from app.ui.qt import QEventLoop, QTimer

    deadline = time.monotonic() + TIMEOUT_S
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited too long for {what}")
        loop = QEventLoop()
        QTimer.singleShot(15, loop.quit)
        loop.exec()


@contextmanager
def _folder(out: Path | None) -> Iterator[tuple[Path, bool]]:
    """(the folder, whether it is a temporary one)."""
    if out is not None:
        from app.secure_files import private_dir

        private_dir(out)
        yield out.resolve(), False
        return
    yield Path(tempfile.mkdtemp(prefix="packline-selftest-")), True


def run(out: Path | None, as_json: bool) -> int:
    """The self-test; its report on stdout (text, or JSON with `as_json`). Exit 0 when every
    check passed, 1 when one failed, 2 when `out` is a folder that holds something."""
    if out is not None and out.exists() and (not out.is_dir() or any(out.iterdir())):
        print(f"packline: --out {out}: give a new or empty folder", file=sys.stderr)
        return 2
    with _folder(out) as (folder, temporary):
        test = SelfTest(folder)
        with _logging_into(test):
            checks = test.run()
        ok = all(c.ok for c in checks)
        kept = not temporary or not ok
        if as_json:
            sys.stdout.write(json.dumps(
                {"ok": ok, "out": str(folder) if kept else None,
                 "checks": [asdict(c) for c in checks]}, ensure_ascii=False, indent=2) + "\n")
        else:
            for c in checks:
                print(f"{'ok  ' if c.ok else 'FAIL'} {c.name:<9} {c.seconds:6.2f} s  {c.detail}")
                for f in c.files:
                    print(f"{'':<22}{f}")
            print(f"packline selftest: {'all checks passed' if ok else 'FAILED'}"
                  + (f"; files in {folder}" if kept else "")
                  + ("" if ok else f"; the log: {test.home / 'logs' / 'packline.log'}"))
        sys.stdout.flush()
        if not kept:
            shutil.rmtree(folder, ignore_errors=True)
    return 0 if ok else 1


@contextmanager
def _logging_into(test: SelfTest) -> Iterator[None]:
    """What Packline logs goes into the throwaway station's own log once it exists
    (`SelfTest.database`), never into the real station's, and not onto stderr: a check that
    failed says so in the report, which names the log."""
    import logging

    root = logging.getLogger("packline")
    quiet = logging.NullHandler()  # (no "last resort" printing before the log exists)
    root.addHandler(quiet)
    # A library that configures the root logger (python-escpos does at import) gets none.
    propagate, root.propagate = root.propagate, False
    try:
        yield
    finally:
        root.propagate = propagate
        for handler in [quiet, *(h for h in root.handlers if getattr(h, "_packline", False))]:
            root.removeHandler(handler)
            handler.close()  # (Windows deletes no folder with an open file in it)
