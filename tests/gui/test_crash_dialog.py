"""An error nobody expected, raised in a slot or in a worker thread, is written to the station's
log (passwords blanked) and shown to the person by the GUI thread, in their language, naming
the log file and offering the details to copy for IT; the app carries on. With
QT_QPA_PLATFORM=offscreen and PACKLINE_CRASH_SHOTS=DIR the dialog is photographed in both
languages."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.config import load_config
from app.logs import log_file, setup_logging
from app.redact import remember
from app.ui.app import _Translator
from app.ui.crash import CrashReporter
from app.ui.qt import (
    QApplication,
    QGuiApplication,
    QLibraryInfo,
    QLocale,
    QMessageBox,
    QPushButton,
    Qt,
    QThread,
    QTranslator,
)

ROOT = Path(__file__).resolve().parents[2]
SECRET = "Sc4le-Pa55word"
WORDS = {
    "en": ("Packline hit an unexpected error.", "It has been written to the log:\n",
           "Please tell IT", "Copy details", "Copied", "Errors since this message opened: 1 more."),
    "zh_CN": ("Packline 遇到了一个意外错误。", "错误已写入日志：\n", "请告诉 IT 人员",
              "复制详情", "已复制", "此提示打开后又发生了 1 个错误。"),
}


@pytest.fixture(params=["zh_CN", "en"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    """This checkout's own translations (Qt's buttons too), installed as the app does."""
    translator = None
    if request.param != "en":
        qt_base = QTranslator(qapp)
        qt_base.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
        translator = _Translator(qapp, qt_base)
        assert translator.load(str(ROOT / "resources" / "translations" / "packline_zh_CN.qm"))
        qapp.installTranslator(translator)
    yield request.param
    if translator is not None:
        qapp.removeTranslator(translator)
    QLocale.setDefault(QLocale(QLocale.Language.English))


@pytest.fixture
def station_log(tmp_path: Path) -> Iterator[Path]:
    """The station's real log file, set up as `packline run` does."""
    home = tmp_path / "station"
    cfg = load_config(home)
    root = logging.getLogger("packline")
    handlers, level = list(root.handlers), root.level
    root.handlers = []
    try:
        setup_logging(cfg)
        yield log_file(cfg)
    finally:
        for handler in root.handlers:
            handler.close()
        root.handlers, root.level = handlers, level


@pytest.fixture
def reporter(station_log: Path) -> Iterator[CrashReporter]:
    shown = CrashReporter(station_log)
    original = shown.show_error

    def on_the_gui_thread(details: str) -> None:
        # The thread rule, asserted: whatever thread failed, the dialog is the GUI thread's.
        assert QThread.currentThread() == QApplication.instance().thread()
        original(details)

    shown.show_error = on_the_gui_thread  # type: ignore[method-assign]
    shown.install()
    yield shown
    shown.uninstall()
    if shown.box is not None:
        shown.box.close()
        shown.box.deleteLater()


def _shots() -> Path | None:
    folder = os.environ.get("PACKLINE_CRASH_SHOTS")
    return Path(folder) if folder else None


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_slot_is_logged_and_told_to_the_person(
        qtbot: QtBot, language: str, reporter: CrashReporter, station_log: Path) -> None:
    remember(SECRET)
    headline, where, tell, copy_words, copied, more = WORDS[language]
    button = QPushButton("Weigh")
    qtbot.addWidget(button)

    def weigh() -> None:
        raise RuntimeError(f"scale at postgresql://packer:{SECRET}@db/packline said no")

    button.clicked.connect(weigh)
    button.show()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # the slot raises; Qt carries on
    qtbot.waitUntil(lambda: reporter.box is not None and reporter.box.isVisible())
    box = reporter.box
    assert box is not None and box.objectName() == "crashBox"
    assert box.icon() == QMessageBox.Icon.Critical
    assert box.text() == headline
    assert where + str(station_log) in box.informativeText()
    assert tell in box.informativeText()
    assert "RuntimeError" in box.detailedText() and "weigh" in box.detailedText()
    assert SECRET not in box.detailedText() and "***" in box.detailedText()
    assert button.isEnabled()  # the app goes on

    logged = station_log.read_text(encoding="utf-8")
    assert "CRITICAL packline.crash: unexpected error in thread MainThread" in logged
    assert "RuntimeError: scale at postgresql://packer:***@db/packline said no" in logged
    assert SECRET not in logged

    if (shots := _shots()) is not None and QGuiApplication.platformName() == "offscreen":
        shots.mkdir(parents=True, exist_ok=True)
        box.grab().save(str(shots / f"crash-dialog-{language}.png"))

    # Copy details: on the clipboard for IT, and the dialog stays.
    copy = box.findChild(QPushButton, "copyDetails")
    assert copy is not None and copy.text() == copy_words
    qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == box.detailedText()
    assert copy.text() == copied and box.isVisible()

    # A worker thread fails while the dialog is open: logged at once, counted in the dialog
    # by the GUI thread, not a second dialog.
    def sync_round() -> None:
        raise ValueError("outbox row 17 unreadable")

    worker = threading.Thread(target=sync_round, name="packline-sync")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: more in box.text())
    assert reporter.box is box and reporter.more == 1 and reporter.reported == 2
    assert "ValueError: outbox row 17 unreadable" in box.detailedText()
    logged = station_log.read_text(encoding="utf-8")
    assert "unexpected error in thread packline-sync" in logged
    assert "ValueError: outbox row 17 unreadable" in logged

    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not box.isVisible())


@pytest.mark.qt_no_exception_capture
def test_a_worker_error_alone_opens_the_dialog_on_the_gui_thread(
        qtbot: QtBot, reporter: CrashReporter, station_log: Path) -> None:
    def print_job() -> None:
        raise OSError("printer vanished")

    worker = threading.Thread(target=print_job, name="packline-printer")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: reporter.box is not None and reporter.box.isVisible())
    assert "OSError: printer vanished" in reporter.box.detailedText()
    assert "thread packline-printer" in reporter.box.detailedText()
    assert "unexpected error in thread packline-printer" in station_log.read_text(
        encoding="utf-8")
