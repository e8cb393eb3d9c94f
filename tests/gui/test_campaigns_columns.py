"""The Presale screen in the real window at 1400x860: every column as wide as its header and
its widest cell, in Chinese and in English, with a warned campaign among them."""

from __future__ import annotations

from pytestqt.qtbot import QtBot
from sqlalchemy import update

from app.services import engine
from app.services.context import system_actor
from app.store.db import Database
from app.store.models import PresalePool
from app.ui import tasks
from app.ui.campaigns_screen import COLUMNS, CampaignsScreen
from app.ui.main_window import MainWindow
from app.ui.qt import Qt

TIMEOUT = 10_000


def _presale_screen(qtbot: QtBot, db: Database) -> tuple[MainWindow, CampaignsScreen]:
    window = MainWindow(db, "ST-TEST", "test")
    qtbot.addWidget(window)
    window.resize(1400, 860)
    window.show()
    window.login.user.setText("lead01")
    window.login.password.setText("lead123")
    window.login.submit()
    qtbot.waitUntil(lambda: window.actor is not None, timeout=TIMEOUT)
    assert window.nav is not None
    keys = [window.nav.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(window.nav.count())]
    window.nav.setCurrentRow(keys.index("campaigns"))
    screen = window.open_screens["campaigns"]
    assert isinstance(screen, CampaignsScreen)
    qtbot.waitUntil(lambda: screen.table.rowCount() == 5 and not tasks.pending(),
                    timeout=TIMEOUT)
    return window, screen


def test_every_presale_column_shows_its_header_and_cells_whole(
        qtbot: QtBot, gui_db: Database, language: str) -> None:
    engine.run_once(gui_db, system_actor())
    with gui_db.unit_of_work() as s:  # a pool run full: the warning cell is filled
        s.execute(update(PresalePool).values(capacity=PresalePool.reserved))
    window, screen = _presale_screen(qtbot, gui_db)
    table = screen.table
    qtbot.waitUntil(lambda: any(v.warning for v in screen.views), timeout=TIMEOUT)
    assert table.item(0, COLUMNS.index("warning")).text().strip()
    _readable(screen, language)
    # Everything in view at 1400 px: the columns fill the table exactly, no sideways scroll.
    assert sum(table.columnWidth(c) for c in range(len(COLUMNS))) == table.viewport().width()
    narrow = table.columnWidth(COLUMNS.index("name"))
    window.resize(1700, 860)  # a wider window: the name column grows, nothing else shrinks
    qtbot.waitUntil(lambda: table.columnWidth(COLUMNS.index("name")) > narrow,
                    timeout=TIMEOUT)
    _readable(screen, language)
    assert sum(table.columnWidth(c) for c in range(len(COLUMNS))) == table.viewport().width()


def _readable(screen: CampaignsScreen, language: str) -> None:
    """Each column at least as wide as its header; each cell's text whole in its cell: as
    wide as its widest line, or for a product name, wrapped within its row's height."""
    table, header = screen.table, screen.table.horizontalHeader()
    name = COLUMNS.index("name")
    for col, key in enumerate(COLUMNS):
        width = table.columnWidth(col)
        assert width >= header.sectionSizeHint(col), f"{language}: header of {key} cut"
        if col != name:
            need = table.sizeHintForColumn(col)
            assert width >= need, f"{language}: {key} is {width} px, needs {need} px"
    # The cell's text margins are a few pixels a side: measure in a narrower box.
    width = table.columnWidth(name) - 8
    assert width >= table.fontMetrics().horizontalAdvance("M") * 8, f"{language}: name crushed"
    for row in range(table.rowCount()):
        item = table.item(row, name)
        box = table.visualItemRect(item)
        box.setWidth(width)
        box.setHeight(10_000)
        wrapped = table.fontMetrics().boundingRect(box, int(Qt.TextFlag.TextWordWrap),
                                                   item.text())
        assert wrapped.width() <= width
        assert wrapped.height() <= table.rowHeight(row), (
            f"{language}: {item.text()!r} needs {wrapped.height()} px, row is "
            f"{table.rowHeight(row)} px")
