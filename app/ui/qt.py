"""The one place the app imports Qt from: a change of binding or version is made here."""

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QEventLoop,
    QItemSelectionModel,
    QLibraryInfo,
    QLocale,
    QLoggingCategory,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRunnable,
    QSettings,
    QSize,
    Qt,
    QThreadPool,
    QTimer,
    QtMsgType,
    QTranslator,
    QUrl,
    Signal,
    Slot,
    qInstallMessageHandler,
    qVersion,
)
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QIcon,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QPixmap,
    QShortcut,
)
from PySide6.QtMultimedia import QSoundEffect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QStatusBar,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid as is_alive


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    """Marks `source` for lupdate under `context` and gives it back unchanged, as Qt's own does
    (whose stub says it returns `object`); `QCoreApplication.translate` reads it later."""
    return source


__all__ = [
    "QT_TRANSLATE_NOOP", "QAbstractButton", "QAbstractItemModel", "QAbstractItemView", "QAbstractTableModel", "QAction", "QApplication",
    "QCheckBox", "QCloseEvent", "QColor", "QComboBox", "QDialog", "QDialogButtonBox", "QFileDialog", "QCoreApplication", "QEvent", "QEventLoop", "QFont", "QFontMetrics",
    "QFormLayout", "QFrame", "QGridLayout",
    "QGroupBox", "QGuiApplication", "QHBoxLayout", "QHeaderView", "QIcon", "QItemSelectionModel",
    "QKeyEvent", "QKeySequence", "QLabel", "QLibraryInfo", "QLineEdit", "QListWidget", "QListWidgetItem",
    "QLocale", "QLoggingCategory", "QMainWindow", "QMessageBox", "QModelIndex", "QObject", "QPalette", "QPixmap",
    "QPersistentModelIndex", "QProgressBar", "QPushButton", "QRunnable", "QScrollArea", "QSettings", "QSoundEffect", "QShortcut", "QSize",
    "QSizePolicy", "QSpinBox", "QSplitter", "QStackedWidget", "QStatusBar", "QTableView", "QTableWidget",
    "QTableWidgetItem", "QTextBrowser", "QThreadPool", "QTimer", "QToolButton", "QTranslator", "QUrl",
    "QVBoxLayout",
    "QWidget", "Qt", "QtMsgType", "Signal", "Slot", "qInstallMessageHandler", "qVersion", "is_alive",
]
