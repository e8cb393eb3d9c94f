"""The dock's handover screen: closing with parcels of the carrier packed but not scanned asks
first and names them; No keeps the handover open and changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.services import handover
from app.store.db import Database
from app.store.models import Carrier, Handover, Order, Package, Warehouse
from app.ui import tasks
from app.ui.handover_screen import HandoverScreen
from app.ui.qt import QApplication, QMessageBox, Qt, QTimer
from tests.helpers.packing import actor, packed_orders

TIMEOUT = 20_000
pytestmark = pytest.mark.timeout(180)


@pytest.fixture
def packed(gui_db: Database, tmp_path: Path) -> tuple[Database, list[str]]:
    return gui_db, packed_orders(gui_db, tmp_path / "home", orders=6)


def _answer(qtbot: QtBot, yes: bool, asked: list[str]) -> None:
    def press() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, press)
            return
        asked.append(box.text())
        box.button(QMessageBox.StandardButton.Yes if yes
                   else QMessageBox.StandardButton.No).click()

    QTimer.singleShot(0, press)


def test_closing_with_parcels_not_scanned_asks_and_names_them(qtbot: QtBot, packed) -> None:
    db, orders = packed
    with db.reader() as s:
        rows = s.execute(select(Order.order_no, Package.tracking_no, Carrier.code,
                                Warehouse.code)
                         .join(Package, Package.order_id == Order.id)
                         .join(Carrier, Carrier.id == Package.carrier_id)
                         .join(Warehouse, Warehouse.id == Order.warehouse_id)
                         .where(Order.order_no.in_(orders))).all()
    carrier, wh = max({(c, w) for _no, _tn, c, w in rows},
                      key=lambda cw: sum((c, w) == cw for _n, _t, c, w in rows))
    mine = [(no, tn) for no, tn, c, w in rows if (c, w) == (carrier, wh)]
    assert len(mine) >= 2, "the fixture packs several parcels of one carrier"
    dock = actor(db, "packer01")
    screen = HandoverScreen(db, dock)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitUntil(lambda: screen.carrier.count() > 0, timeout=TIMEOUT)
    screen.warehouse.setCurrentIndex(screen.warehouse.findData(wh))
    screen.carrier.setCurrentIndex(screen.carrier.findData(carrier))
    screen.open()
    qtbot.waitUntil(lambda: screen.current is not None, timeout=TIMEOUT)
    (first_no, first_tn), *unscanned = mine
    screen.scan(first_tn)
    qtbot.waitUntil(lambda: screen.current.scanned == 1, timeout=TIMEOUT)
    waiting = handover.view(db, dock, screen.current.handover_no).waiting

    asked: list[str] = []
    _answer(qtbot, False, asked)
    qtbot.mouseClick(screen.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(asked) and not tasks.pending(), timeout=TIMEOUT)
    question = asked[0]
    for tn, no in waiting[:15]:
        assert tn in question and no in question
    assert all(tn in question and no in question for no, tn in unscanned)
    assert first_tn not in question
    with db.reader() as s:  # No: nothing changed
        assert s.scalar(select(Handover.status).where(
            Handover.handover_no == screen.current.handover_no)) == "open"
        assert s.scalar(select(Order.status).where(Order.order_no == first_no)) == "packed"
    assert screen.current is not None

    _answer(qtbot, True, asked)
    qtbot.mouseClick(screen.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.prompt.property("feedback") == "done", timeout=TIMEOUT)
    with db.reader() as s:
        assert s.scalar(select(Order.status).where(Order.order_no == first_no)) == "shipped"
        assert set(s.scalars(select(Order.status).where(
            Order.order_no.in_([no for no, _tn in unscanned])))) == {"packed"}
    assert tasks.wait_idle(TIMEOUT)
