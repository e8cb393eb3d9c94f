"""The dock and the pre-pack shelf (预打包暂存架): a pre-packed presale parcel whose balance is
not paid is refused at the truck with a stop, in the dock worker's language, and nothing
changes; the screen counts it on the shelf. The balance comes in from the channel: the very
next scan of the same parcel loads it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.services import channel_events
from app.services.context import system_actor
from app.store.db import Database
from app.store.models import Carrier, Order, Package, Warehouse
from app.ui.handover_screen import HandoverScreen
from tests.helpers.packing import actor, packed_orders, pre_pack

TIMEOUT = 20_000
pytestmark = pytest.mark.timeout(240)
UNPAID = {"en": "balance is not paid", "zh_CN": "尾款未付"}
SHELF = {"en": "Pre-pack shelf: 1 parcels wait for their balance",
         "zh_CN": "预打包暂存架：1 件等尾款"}


def _on_truck(db: Database, tracking_no: str) -> bool:
    with db.reader() as s:
        return s.scalar(select(Package.handover_id).where(
            Package.tracking_no == tracking_no)) is not None


def test_an_unpaid_pre_packed_parcel_stops_at_the_truck_until_its_balance_is_paid(
        qtbot: QtBot, gui_db: Database, tmp_path: Path, language: str) -> None:
    db = gui_db
    orders = packed_orders(db, tmp_path / "home", orders=4)
    with db.reader() as s:
        no, tn, carrier, wh = s.execute(
            select(Order.order_no, Package.tracking_no, Carrier.code, Warehouse.code)
            .join(Package, Package.order_id == Order.id)
            .join(Carrier, Carrier.id == Package.carrier_id)
            .join(Warehouse, Warehouse.id == Order.warehouse_id)
            .where(Order.order_no.in_(orders)).order_by(Order.order_no)).first()
    channel, channel_no = pre_pack(db, no)
    screen = HandoverScreen(db, actor(db, "packer01"))
    qtbot.addWidget(screen)
    screen.resize(1000, 700)
    screen.show()
    qtbot.waitUntil(lambda: screen.carrier.count() > 0, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: SHELF[language] in screen.shelf.text(), timeout=TIMEOUT)
    screen.warehouse.setCurrentIndex(screen.warehouse.findData(wh))
    screen.carrier.setCurrentIndex(screen.carrier.findData(carrier))
    screen.open()
    qtbot.waitUntil(lambda: screen.current is not None, timeout=TIMEOUT)
    assert tn not in [screen.missing.item(i).text() for i in range(screen.missing.count())]

    screen.scan(tn)
    qtbot.waitUntil(lambda: screen.prompt.property("feedback") == "error", timeout=TIMEOUT)
    assert "✋" in screen.prompt.text() and UNPAID[language] in screen.prompt.text(), \
        screen.prompt.text()
    assert no in screen.prompt.text()
    assert not _on_truck(db, tn)
    shots = os.environ.get("PACKLINE_SCREENSHOT_DIR")
    if shots:  # a look at it: PACKLINE_SCREENSHOT_DIR=/tmp/shots pytest this file
        Path(shots).mkdir(parents=True, exist_ok=True)
        screen.grab().save(str(Path(shots) / f"handover_unpaid_{language}.png"))

    channel_events.apply_event(db, system_actor(), channel, channel_no, "balance_paid",
                               "balance-1")
    screen.scan(tn)
    qtbot.waitUntil(lambda: screen.prompt.property("feedback") == "ok", timeout=TIMEOUT)
    assert _on_truck(db, tn)
    assert screen.current is not None and screen.current.scanned == 1
