"""The Presale screen in the real window at 1400x860: every column as wide as its header and
its widest cell, in Chinese and in English, with a warned campaign among them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from app.services import engine
from app.services.context import system_actor
from app.store.db import Database
from app.store.models import PresalePool
from app.ui import tasks
from app.ui.app import install_translator
from app.ui.campaigns_screen import COLUMNS, CampaignsScreen
from app.ui.main_window import MainWindow
from app.ui.qt import QApplication, QLocale, Qt

TIMEOUT = 10_000


@pytest.fixture(params=["zh_CN", "en"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    translator = install_translator(qapp, request.param)
    if request.param != "en":
        assert translator is not None, "packline_zh_CN.qm missing"
    yield request.param
    if translator is not None:
        qapp.removeTranslator(translator)
    QLocale.setDefault(QLocale(QLocale.Language.English))


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
    table, header = screen.table, screen.table.horizontalHeader()
    qtbot.waitUntil(lambda: any(v.warning for v in screen.views), timeout=TIMEOUT)
    assert table.item(0, COLUMNS.index("warning")).text().strip()
    for col, key in enumerate(COLUMNS):
        need = max(table.sizeHintForColumn(col), header.sectionSizeHint(col))
        assert table.columnWidth(col) >= need, (
            f"{language}: column {key} is {table.columnWidth(col)} px, needs {need} px")
    # The long column takes the room the others leave: the table is not narrower than
    # its view, and no room is left over on the right.
    total = sum(table.columnWidth(c) for c in range(len(COLUMNS)))
    assert total >= table.viewport().width()
    if language == "zh_CN":  # in Chinese everything fits without scrolling sideways
        assert total == table.viewport().width()
    window.resize(1600, 860)  # a wider window: the name column grows, nothing else shrinks
    qtbot.waitUntil(lambda: sum(table.columnWidth(c) for c in range(len(COLUMNS)))
                    >= table.viewport().width(), timeout=TIMEOUT)
    for col, key in enumerate(COLUMNS):
        need = max(table.sizeHintForColumn(col), header.sectionSizeHint(col))
        assert table.columnWidth(col) >= need, f"{language}: {key} after resizing"
