"""The one place the app imports Qt from: a change of binding or version is made here."""

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QEventLoop,
    QItemSelectionModel,
    QLibraryInfo,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRunnable,
    QSize,
    Qt,
    QThreadPool,
    QTimer,
    QtMsgType,
    QTranslator,
    Signal,
    Slot,
    qInstallMessageHandler,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QIcon,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPalette,
    QPixmap,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
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
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid as is_alive


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    """Marks `source` for lupdate under `context` and gives it back unchanged, as Qt's own does
    (whose stub says it returns `object`); `QCoreApplication.translate` reads it later."""
    return source


__all__ = [
    "QT_TRANSLATE_NOOP", "QBarCategoryAxis", "QBarSeries", "QBarSet", "QChart", "QChartView",
    "QDoubleSpinBox", "QLineSeries", "QPainter", "QPointF", "QTabWidget", "QValueAxis", "QAbstractItemModel", "QAbstractItemView", "QAbstractTableModel", "QAction", "QApplication",
    "QCheckBox", "QColor", "QComboBox", "QDialog", "QDialogButtonBox", "QFileDialog", "QCoreApplication", "QEvent", "QEventLoop", "QFont", "QFontMetrics",
    "QFormLayout", "QFrame", "QGridLayout",
    "QGroupBox", "QGuiApplication", "QHBoxLayout", "QHeaderView", "QIcon", "QItemSelectionModel",
    "QKeyEvent", "QKeySequence", "QLabel", "QLibraryInfo", "QLineEdit", "QListWidget", "QListWidgetItem",
    "QLocale", "QMainWindow", "QMessageBox", "QModelIndex", "QObject", "QPalette", "QPixmap",
    "QPersistentModelIndex", "QProgressBar", "QPushButton", "QRunnable", "QScrollArea", "QShortcut", "QSize",
    "QSizePolicy", "QSpinBox", "QSplitter", "QStackedWidget", "QStatusBar", "QTableView", "QTableWidget",
    "QTableWidgetItem", "QTextBrowser", "QThreadPool", "QTimer", "QTranslator", "QVBoxLayout",
    "QWidget", "Qt", "QtMsgType", "Signal", "Slot", "qInstallMessageHandler", "is_alive",
]
