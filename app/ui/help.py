"""The Help menu's two windows: the keyboard shortcuts of the screen in front of the person (and
of the window around it), and the About box with the version, the station and its database."""

from __future__ import annotations

from dataclasses import dataclass

from app import __version__
from app.ui.qt import (
    QAbstractButton,
    QAbstractItemView,
    QCoreApplication,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QKeySequence,
    QMessageBox,
    QShortcut,
    QTableWidget,
    QVBoxLayout,
    QWidget,
    qVersion,
)
from app.ui.style import app_icon
from app.ui.widgets import readable, shortcut_text, table_item

COPYRIGHT = "© 2026 Packline"


@dataclass(frozen=True, slots=True)
class KeyHelp:
    key: str  # as the person reads it: Ctrl+H, F9
    what: str


def _button_words(button: QAbstractButton, key: str) -> str:
    """A button's text without the key it already shows ("Reprint (F5)" → "Reprint")."""
    text = button.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
    for shown in (f"({key})", f"（{key}）", key):
        text = text.replace(shown, "")
    return " ".join(text.split())


def screen_keys(screen: QWidget | None) -> list[KeyHelp]:
    """The keys the screen answers to: its buttons' (their own shortcut, or the key their
    tooltip names) and its other shortcuts that say what they do (`whatsThis`)."""
    if screen is None:
        return []
    found: dict[str, KeyHelp] = {}
    for button in screen.findChildren(QAbstractButton):
        if not button.isVisibleTo(screen):
            continue
        own = button.shortcut()
        key = shortcut_text(own) if not own.isEmpty() else str(button.property("shortcutKey") or "")
        if key and key not in found:
            found[key] = KeyHelp(key, _button_words(button, key))
    for shortcut in screen.findChildren(QShortcut):
        key = shortcut_text(shortcut.key())
        if key and key not in found and shortcut.whatsThis() and shortcut.isEnabled():
            found[key] = KeyHelp(key, shortcut.whatsThis())
    return list(found.values())


def shortcuts_dialog(
    parent: QWidget, screen_name: str, screen_keys: list[KeyHelp], window_keys: list[KeyHelp]
) -> QDialog:
    """A list of keys: the current screen's first, then the window's (screens, log out)."""

    dialog = QDialog(parent)
    dialog.setObjectName("shortcutsDialog")
    dialog.setWindowTitle(QCoreApplication.translate("help", "Keyboard shortcuts"))
    rows: list[tuple[str, str, bool]] = []
    if screen_keys:
        rows.append((screen_name, "", True))
        rows += [(k.key, k.what, False) for k in screen_keys]
    rows.append((QCoreApplication.translate("help", "Everywhere"), "", True))
    rows += [(k.key, k.what, False) for k in window_keys]
    table = QTableWidget(len(rows), 2)
    table.setObjectName("shortcutsTable")
    table.setHorizontalHeaderLabels(
        [
            QCoreApplication.translate("help", "Key"),
            QCoreApplication.translate("help", "What it does"),
        ]
    )
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    readable(table)
    for row, (key, what, heading) in enumerate(rows):
        first = table_item(key)
        if heading:
            font = first.font()
            font.setBold(True)
            first.setFont(font)
            table.setSpan(row, 0, 1, 2)
        table.setItem(row, 0, first)
        table.setItem(row, 1, table_item(what))
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(table)
    layout.addWidget(buttons)
    dialog.resize(640, 520)
    return dialog


def about_box(parent: QWidget, station: str, database: str) -> QMessageBox:
    """Packline's name, version and icon, the Qt it runs on, this station and its database."""

    box = QMessageBox(parent)
    box.setObjectName("aboutBox")
    # The version in the title too: read off the window list when the box itself is hidden.
    box.setWindowTitle(
        QCoreApplication.translate("help", "About Packline %1").replace("%1", __version__)
    )
    box.setIconPixmap(app_icon().pixmap(72, 72))
    box.setText(
        f"<h3>Packline {__version__}</h3><p>"
        + QCoreApplication.translate(
            "help",
            "The warehouse workstation: order queue, wave picking, packing and label printing.",
        )
        + "</p>"
    )
    box.setInformativeText(
        "<br>".join(
            (
                QCoreApplication.translate("help", "Version: %1").replace("%1", __version__),
                QCoreApplication.translate("help", "Qt: %1").replace("%1", qVersion()),
                QCoreApplication.translate("help", "Station: %1").replace("%1", station or "-"),
                QCoreApplication.translate("help", "Central database: %1").replace("%1", database),
                COPYRIGHT,
            )
        )
    )
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    return box


def window_keys(nav_titles: list[tuple[str, str]]) -> list[KeyHelp]:
    """The window's own keys: each screen's Alt+n, log out, quit, this list."""

    keys = [
        KeyHelp(key, QCoreApplication.translate("help", "Go to %1").replace("%1", title))
        for key, title in nav_titles
    ]
    keys.append(
        KeyHelp(shortcut_text("F1"), QCoreApplication.translate("help", "This list of keys"))
    )
    keys.append(
        KeyHelp(shortcut_text("Ctrl+Shift+L"), QCoreApplication.translate("help", "Log out"))
    )
    keys.append(
        KeyHelp(
            shortcut_text(QKeySequence(QKeySequence.StandardKey.Quit)),
            QCoreApplication.translate("help", "Quit Packline"),
        )
    )
    return keys
