"""When something nobody expected goes wrong in the app: the traceback goes to the station's
log (passwords blanked), and the person at the station is told, in their language, that
Packline hit an unexpected error, where it was written, and to tell IT — with a button that
copies the details for them. The app keeps running; nothing dies without a word.

`sys.excepthook` catches what a slot or a callback raised (PySide hands it there, on whatever
thread the slot ran), `threading.excepthook` what a Python thread's target raised. The log
line is written at once, on the thread that failed; the dialog is shown by the GUI thread
only (a worker's error is sent there by a queued signal). One dialog at a time: errors that
follow while it is open are counted in it, not stacked.

A fatal signal (a segfault in a driver, a Qt abort) never reaches these hooks: `faulthandler`
writes those to logs/crash-PID.log (app/logs.py).
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType
from typing import Any

from app import __version__
from app.redact import scrub
from app.ui.qt import (
    QApplication,
    QCoreApplication,
    QGridLayout,
    QGuiApplication,
    QMessageBox,
    QObject,
    QSizePolicy,
    QSpacerItem,
    QThread,
    QWidget,
    Signal,
    Slot,
    is_alive,
)

log = logging.getLogger("packline.crash")

WIDTH = 560
ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def crash_details(exc_info: ExcInfo, where: str) -> str:
    """What IT is given: version, thread and traceback, passwords blanked (English: it is
    for IT and the developers)."""
    kind, value, tb = exc_info
    return scrub(f"Packline {__version__}, thread {where}\n"
                 + "".join(traceback.format_exception(kind, value, tb)))


def crash_headline() -> str:
    return QCoreApplication.translate("crash", "Packline hit an unexpected error.")


def crash_box(log_path: Path, details: str, parent: QWidget | None = None) -> QMessageBox:
    """The dialog: what happened, where it was written, what to do; the details behind a
    button, and another that copies them."""
    box = QMessageBox(QMessageBox.Icon.Critical, "Packline", crash_headline(),
                      QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("crashBox")
    box.setInformativeText(QCoreApplication.translate(
        "crash", "It has been written to the log:\n%1\n\nPlease tell IT what you were "
                 "doing; “Copy details” puts what they need on the clipboard. You can keep "
                 "working; if something looks wrong, close Packline and start it again.")
        .replace("%1", str(log_path)))

    box.setDetailedText(details)
    copy = box.addButton(QCoreApplication.translate("crash", "Copy details"),
                         QMessageBox.ButtonRole.ActionRole)
    copy.setObjectName("copyDetails")
    # A message box closes on any of its buttons: this one copies and leaves it open (the
    # button's own connection to the box is what closes it).
    copy.clicked.disconnect()

    def copy_details() -> None:
        QGuiApplication.clipboard().setText(box.detailedText())
        copy.setText(QCoreApplication.translate("crash", "Copied"))

    copy.clicked.connect(copy_details)
    box.setDefaultButton(box.addButton(QMessageBox.StandardButton.Ok))
    # Wide enough for a log path on one line and the words in a few lines (added last: the
    # box lays itself out again as its parts are set).
    grid = box.layout()
    if isinstance(grid, QGridLayout):
        grid.addItem(QSpacerItem(WIDTH, 0, QSizePolicy.Policy.Minimum,
                                 QSizePolicy.Policy.Expanding), grid.rowCount(), 0, 1,
                     grid.columnCount())
    return box


class CrashReporter(QObject):
    """The app's excepthooks while it runs (`install` / `uninstall`)."""

    arrived = Signal(str)  # the details of an error met on another thread
    shown = Signal()  # a dialog opened

    def __init__(self, log_path: Path) -> None:
        super().__init__()
        self.log_path = log_path
        self.box: QMessageBox | None = None
        self.more = 0  # errors since the open dialog was shown
        self.reported = 0
        # No event loop runs to show a dialog (the app is starting or closing): the dialog
        # waits for the person where the error was met, or they would never see it.
        self.waits = False
        self._previous: tuple[Any, Any] | None = None
        self.arrived.connect(self.show_error)  # queued: the reporter lives on the GUI thread

    def install(self) -> CrashReporter:
        if self._previous is None:
            self._previous = (sys.excepthook, threading.excepthook)
            sys.excepthook = self.excepthook
            threading.excepthook = self.thread_excepthook
        return self

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous
            self._previous = None

    def excepthook(self, kind: type[BaseException], value: BaseException,
                   tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):  # Ctrl+C in the terminal that started it
            sys.__excepthook__(kind, value, tb)
            return
        self.report((kind, value, tb), threading.current_thread().name)

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:  # a thread ending itself, as the default hook sees it
            return
        value = args.exc_value if args.exc_value is not None else args.exc_type()
        self.report((args.exc_type, value, args.exc_traceback),
                    args.thread.name if args.thread is not None else "?")

    def report(self, exc_info: ExcInfo, where: str) -> None:
        """Log now, on this thread; show on the GUI thread."""
        self.reported += 1
        log.critical("unexpected error in thread %s", where, exc_info=exc_info)
        details = crash_details(exc_info, where)
        if sys.stderr is not None:  # a terminal that started the app sees it too
            sys.stderr.write(details)
        app = QCoreApplication.instance()
        if app is None or not is_alive(self):
            return
        if QThread.currentThread() == app.thread():
            self.show_error(details)
        else:
            self.arrived.emit(details)

    @Slot(str)
    def show_error(self, details: str) -> None:
        box = self.box
        if box is not None and is_alive(box) and box.isVisible():
            self.more += 1
            box.setText(crash_headline() + "\n" + QCoreApplication.translate(
                "crash", "Errors since this message opened: %1 more.").replace(
                    "%1", str(self.more)))
            box.setDetailedText(box.detailedText() + "\n\n" + details)
            return
        self.more = 0
        box = self.box = crash_box(self.log_path, details, QApplication.activeWindow())
        if self.waits:
            self.shown.emit()
            if QGuiApplication.platformName() != "offscreen":  # where nobody could answer
                box.exec()
        else:
            box.open()
            self.shown.emit()


_reporter: CrashReporter | None = None


def install_crash_reporter(log_path: Path) -> CrashReporter:
    """The app's reporter, installed once (run_app)."""
    global _reporter
    if _reporter is None or not is_alive(_reporter):
        _reporter = CrashReporter(log_path)
    _reporter.log_path = log_path
    return _reporter.install()
