"""Small pieces the office screens share: readable type, the message line under a screen,
turning a failed task into words for the person, the yes/no question before a change that
cannot be undone, the row-selecting table every list screen uses, and fields scanners type into."""

from __future__ import annotations

import logging

from app.domain.access import masked
from app.services.errors import ServiceError
from app.ui.qt import (
    QAbstractButton,
    QAbstractItemModel,
    QAbstractItemView,
    QAction,
    QColor,
    QCoreApplication,
    QFont,
    QHeaderView,
    QKeyEvent,
    QKeySequence,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPalette,
    QResizeEvent,
    Qt,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)
from app.ui.style import ink

log = logging.getLogger("packline.ui")

# Read from a step away, on a 1080p office screen, by people in a hurry on 11.11.
READABLE_POINTS = 12
ROW_HEIGHT = 32

COLOR_ERROR = "#b00020"
COLOR_OK = "#1b5e20"
COLOR_WARNING = "#b35c00"
INVALID_BACKGROUND = "#fde2e1"


def readable(widget: QWidget, points: int = READABLE_POINTS) -> None:
    """Bigger type for the whole widget tree (children inherit the font)."""
    font = QFont(widget.font())
    if font.pointSize() < points:
        font.setPointSize(points)
    widget.setFont(font)


def scan_field(edit: QLineEdit) -> QLineEdit:
    """A field a keyboard-wedge scanner types into: the input method stays out of it, since a
    Chinese IME would take a scanner's letters as pinyin and swallow them."""
    edit.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
    edit.setInputMethodHints(Qt.InputMethodHint.ImhLatinOnly
                             | Qt.InputMethodHint.ImhNoPredictiveText
                             | Qt.InputMethodHint.ImhNoAutoUppercase)
    return edit


def bold(widget: QWidget, points: int | None = None) -> None:
    font = QFont(widget.font())
    font.setBold(True)
    if points:
        font.setPointSize(points)
    widget.setFont(font)


def is_offline(exc: BaseException) -> bool:
    """The central database could not be reached (down, network cut, timed out)."""
    from sqlalchemy.exc import DBAPIError, OperationalError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    if isinstance(exc, OperationalError | PoolTimeout | ConnectionError | TimeoutError):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, OSError) and not isinstance(exc, FileNotFoundError | PermissionError)


def offline_text() -> str:
    return QCoreApplication.translate(
        "widgets", "The central database is unreachable; try again when the network is back.")


def error_text(exc: BaseException) -> str:
    """A service's refusal is written for the person; the central database out of reach is
    said so, in one line (its own words, in English, go to the log for IT); anything else is
    a fault, logged with its trace."""
    if isinstance(exc, ServiceError):
        from app.ui.messages import describe

        return describe(exc)
    if is_offline(exc):
        log.info("central database unreachable: %s",
                 (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300])
        return offline_text()
    log.error("unexpected failure", exc_info=exc)
    return QCoreApplication.translate(
        "widgets", "Something went wrong; the log file has the details for IT.")


def tint(widget: QWidget, colour: str | None = None, bold: bool = False) -> None:
    """Colour and weight of a widget's text, through its palette and font rather than a style
    sheet: a style sheet that sets the weight, once replaced or cleared, leaves the widget in
    Qt's default small type instead of the screen's readable size. Only the colour and the
    weight are set, so the size still comes from the screen."""
    palette = QPalette()
    if colour:
        palette.setColor(QPalette.ColorRole.WindowText, QColor(ink(colour)))
        palette.setColor(QPalette.ColorRole.Text, QColor(ink(colour)))
    widget.setPalette(palette)
    font = QFont()
    font.setBold(bold)
    widget.setFont(font)
    widget.setProperty("tint", colour or "")


def retint(root: QWidget) -> None:
    """After the theme changed: every tinted text under `root` in its colour for the new one."""
    for widget in [root, *root.findChildren(QWidget)]:
        colour = widget.property("tint")
        if colour:
            palette = QPalette()
            palette.setColor(QPalette.ColorRole.WindowText, QColor(ink(colour)))
            palette.setColor(QPalette.ColorRole.Text, QColor(ink(colour)))
            widget.setPalette(palette)


def shortcut_text(key: QKeySequence | str) -> str:
    """A key as the person reads it on this system (Ctrl+H, F9)."""
    sequence = key if isinstance(key, QKeySequence) else QKeySequence(key)
    return sequence.toString(QKeySequence.SequenceFormat.NativeText)


def with_shortcut_tip(target: QWidget | QAction, text: str,
                      key: QKeySequence | str | None = None) -> str:
    """`text` as the tooltip of a button or an action, with its key after it: "Reprint (F9)".
    `key` defaults to the target's own shortcut (none: the text alone). Returns the tooltip."""
    if key is None:
        own = target.shortcut() if isinstance(target, QAction | QAbstractButton) else None
        key = own if own is not None and not own.isEmpty() else None
    shown = shortcut_text(key) if key is not None else ""
    tip = f"{text} ({shown})" if shown and shown not in text else text
    target.setToolTip(tip)
    if isinstance(target, QWidget):
        target.setProperty("shortcutKey", shown)
    return tip


def mark_invalid(edit: QWidget, invalid: bool) -> None:
    """A field whose value was refused shows a pale red background until it is edited."""
    palette = QPalette()
    if invalid:
        palette.setColor(QPalette.ColorRole.Base, QColor(INVALID_BACKGROUND))
        palette.setColor(QPalette.ColorRole.Text, QColor("#1f2328"))  # on pale red, any theme
    edit.setPalette(palette)
    edit.setProperty("invalid", invalid)


class MessageLine(QLabel):
    """One line under a screen saying what just happened: green when done, red when refused."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setWordWrap(True)
        self.setMinimumHeight(28)

    def ok(self, text: str) -> None:
        tint(self, COLOR_OK)
        self.say(text)

    def info(self, text: str) -> None:
        tint(self)
        self.say(text)

    def error(self, text: str) -> None:
        tint(self, COLOR_ERROR, bold=True)
        self.say(text)

    def say(self, text: str) -> None:
        self.setText(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """As tall as its wrapped lines at its width: a form or a column gives a wrapped
        label the height of its one-line hint, and the rest of a refusal would be cut off."""
        wanted = max(28, self.heightForWidth(self.width()) if self.text() else 0)
        if wanted != self.minimumHeight():
            self.setMinimumHeight(wanted)

    def is_error(self) -> bool:
        return bool(self.property("tint") == COLOR_ERROR)


def ask(parent: QWidget, title: str, text: str) -> bool:
    """Yes/No with No as the default, so an Enter pressed out of habit changes nothing."""
    answer = QMessageBox.question(
        parent, title, text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def row_table(name: str, model: QAbstractItemModel) -> QTableView:
    """A read-only table that selects whole rows, one at a time, as every list screen has."""
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    return table


def table_item(text: str, colour: str | None = None, data: object = None) -> QTableWidgetItem:
    """A read-only cell, in a colour when it says something (status), with hidden data."""
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if colour:
        item.setForeground(QColor(ink(colour)))
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


def simple_table(name: str, headers: list[str]) -> QTableWidget:
    """A small read-only table that selects whole rows, in the floor's readable type."""
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    readable(table)
    return table


def fit_columns(table: QTableView, stretch: int | None = None, minimum: int = 40) -> None:
    """Every column as wide as its header and its cells, in whichever language, empty or
    full, and at least `minimum` pixels (a two-character header or a one-sign cell is not
    squeezed to a sliver); `stretch` (default the last) takes the room left. Set once: the
    widths follow the contents as they change."""
    header = table.horizontalHeader()
    header.setMinimumSectionSize(minimum)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is None:
        header.setStretchLastSection(True)
    else:
        header.setStretchLastSection(False)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


# A badge or a service token is a secret: a screen shows only its kind, never its text.
class BadgeField(QLineEdit):
    """A user-code field a badge may be scanned or typed into. Once the text starts like a
    badge, every character goes into a private buffer and the field shows "USR-••••": the
    badge never stands in the field, where anyone passing (or a screenshot) would read it.
    Backspace into the mask, or Escape, forgets the badge."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        scan_field(self)
        self._badge: str | None = None
        self.textChanged.connect(self._edited)

    def badge(self) -> str | None:
        """The badge taken in, if any."""
        return self._badge

    def value(self) -> str:
        """The badge if one was taken in, else the user code typed."""
        return self._badge if self._badge is not None else self.text().strip()

    def take_badge(self, badge: str) -> None:
        """A badge read by a scanner elsewhere (the device manager)."""
        self._badge = badge.strip()
        self._show(masked(self._badge))

    def forget(self) -> None:
        self._badge = None
        self._show("")

    def _show(self, text: str) -> None:
        blocked = self.blockSignals(True)
        try:
            self.setText(text)
        finally:
            self.blockSignals(blocked)

    def _edited(self, text: str) -> None:
        if self._badge is not None:
            shown = masked(self._badge)
            if text.startswith(shown):
                self._badge += text[len(shown):]
                self._show(shown)
            else:  # backspace into the mask, or the field emptied: start over
                self.forget()
            return
        if masked(text) != text:
            self._badge = text.strip()
            self._show(masked(text))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() == Qt.Key.Key_Escape and self._badge is not None:
            self.forget()
            return
        super().keyPressEvent(event)
