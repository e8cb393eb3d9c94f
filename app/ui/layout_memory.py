"""What the station remembers of how its people left the screen: the window's size and place,
each table's column widths and order, and the theme chosen in the View menu. Kept in
`ui-state.ini` (Qt's INI format) in the person's own folder (`app.config.Paths.layout`: their
config folder, or PACKLINE_HOME/user): IT's settings stay IT's and the machine's, this file is
the person's own and may be deleted to start over.

A table is remembered by its key (`screen/objectName`): `remember(header, key)` puts its saved
layout back when the screen is built, `save()` keeps every remembered table's layout as it is
now (at logout and when the window closes).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from app.ui.qt import QByteArray, QHeaderView, QMainWindow, QSettings, is_alive

log = logging.getLogger("packline.ui")
FILE_NAME = "ui-state.ini"


class LayoutMemory:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.settings = QSettings(str(path), QSettings.Format.IniFormat)
        self.headers: list[tuple[QHeaderView, str]] = []

    @classmethod
    def in_folder(cls, folder: Path) -> LayoutMemory:
        return cls(folder / FILE_NAME)

    # ---- tables

    def remember(self, header: QHeaderView, key: str) -> None:
        """Put the table's saved layout back (when it has as many columns as when it was
        saved) and keep it in mind for `save`. The sort shown stays the one the screen chose:
        what the list is sorted by is the screen's business, its widths are the person's."""
        self.headers.append((header, key))
        state = self.settings.value(f"tables/{key}/state")
        columns = str(self.settings.value(f"tables/{key}/columns"))
        # A file edited by hand or cut short holds what is not a layout: left as built.
        if not isinstance(state, QByteArray) or not columns.isdigit() \
                or int(columns) != header.count():
            return
        section, order = header.sortIndicatorSection(), header.sortIndicatorOrder()
        if not header.restoreState(state):
            log.info("the saved layout of table %s did not fit; left as built", key)
        blocked = header.blockSignals(True)
        try:
            header.setSortIndicator(section, order)
        finally:
            header.blockSignals(blocked)

    def save(self) -> None:
        """Every remembered table still on screen, as it is now; the file written at once."""
        kept: list[tuple[QHeaderView, str]] = []
        for header, key in self.headers:
            if not is_alive(header):
                continue
            self.settings.setValue(f"tables/{key}/state", header.saveState())
            self.settings.setValue(f"tables/{key}/columns", header.count())
            kept.append((header, key))
        self.headers = kept
        self.sync()

    def forget_tables(self) -> None:
        """The screens went (logout): their tables are no longer followed."""
        self.headers.clear()

    # ---- the window

    def restore_window(self, window: QMainWindow) -> bool:
        geometry = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
        restored = isinstance(geometry, QByteArray) and window.restoreGeometry(geometry)
        if isinstance(state, QByteArray):
            window.restoreState(state)
        return bool(restored)

    def save_window(self, window: QMainWindow) -> None:
        self.settings.setValue("window/geometry", window.saveGeometry())
        self.settings.setValue("window/state", window.saveState())
        self.sync()

    # ---- the theme chosen in the View menu

    def theme(self) -> str | None:
        value = self.settings.value("ui/theme")
        return str(value) if value in ("light", "dark") else None

    def set_theme(self, theme: str) -> None:
        self.settings.setValue("ui/theme", theme)
        self.sync()

    def sync(self) -> None:
        self.settings.sync()
        if self.settings.status() != QSettings.Status.NoError:
            log.warning("could not write %s (%s)", self.path, self.settings.status().name)
            return
        if os.name == "posix" and self.path.exists():
            self.path.chmod(0o600)  # the station's folder is its user's alone
