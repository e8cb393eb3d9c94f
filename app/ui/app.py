"""Starting the desktop app: Qt, translations, logging, the central database, the window."""

from __future__ import annotations

import logging
import sys

from sqlalchemy.engine import make_url

from app.config import Config
from app.resources import resources_dir
from app.store.db import Database
from app.ui.qt import (
    QApplication,
    QLocale,
    QtMsgType,
    QTranslator,
    qInstallMessageHandler,
)

log = logging.getLogger("packline.ui")
qtlog = logging.getLogger("packline.qt")
_LEVELS = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
           QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
           QtMsgType.QtFatalMsg: logging.CRITICAL}


def _qt_message(kind: QtMsgType, _context: object, message: str) -> None:
    qtlog.log(_LEVELS.get(kind, logging.WARNING), "%s", message)


def install_translator(app: QApplication, language: str) -> QTranslator | None:
    if language.lower().startswith("en"):
        QLocale.setDefault(QLocale(QLocale.Language.English))
        return None
    translator = QTranslator(app)
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


def run_app(cfg: Config) -> int:
    qInstallMessageHandler(_qt_message)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Packline")
    app.setOrganizationName("Packline")
    install_translator(app, cfg.settings.get("ui.language"))

    from app.services.setup import prepare_embedded
    from app.ui.main_window import MainWindow
    from app.ui.tasks import Task, shutdown

    db = Database.from_url(cfg.central_url,
                           connect_timeout=cfg.settings.get("central.connect_timeout"))
    window = MainWindow(db, cfg.settings.get("station.code"), database_label(cfg.central_url))
    if cfg.embedded:
        # The first start migrates and seeds: done off the GUI thread, login waits for it.
        window.login.setEnabled(False)
        window.login.show_info(
            QApplication.translate("app", "Preparing the embedded database…"))

        def ready(seeded: int) -> None:
            window.login.setEnabled(True)
            window.login.show_info(
                QApplication.translate("app", "Demo data ready: %1 orders").replace(
                    "%1", str(seeded)) if seeded else "")
            window.login.user.setFocus()

        def broken(exc: BaseException) -> None:
            log.error("embedded database not ready: %s", exc)
            window.login.show_error(str(exc))

        Task(prepare_embedded, db, seed_demo=cfg.settings.get("demo.seed_on_first_start"),
             station=cfg.settings.get("station.code")).success(ready).failure(broken).start()
    window.show()
    code = app.exec()
    shutdown()
    db.dispose()
    return int(code)
