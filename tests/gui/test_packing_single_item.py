"""A single-item wave packed on the screen through a serial scanner on a pseudo-terminal: the
wave's card, then one scan per order — each scan verifies an order, prints its waybill and
confirms it, with no other key; a scan of an item the wave no longer needs is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.services import engine, waves
from app.services.context import system_actor
from app.station.models import PackSession, PrintJob
from app.store.models import Order, OrderLine, Sku, SkuBarcode
from app.ui import feedback
from app.ui.packing_screen import PackingScreen
from tests.helpers.packing import actor, busiest_warehouse, pick_to_the_end, serial_scanner, station

pytestmark = pytest.mark.timeout(180)
TIMEOUT = 20_000


def test_one_scan_per_order_through_the_serial_scanner(qtbot: QtBot, gui_db,
                                                       tmp_path: Path) -> None:
    engine.run_once(gui_db, system_actor())
    wh = busiest_warehouse(gui_db, "single_unit", max_orders=4)
    (released,) = waves.release(gui_db, system_actor(), wh, "single_unit", max_orders=4,
                                max_waves=1)
    pick_to_the_end(gui_db, actor(gui_db, "picker01"), released.wave_no)
    with gui_db.reader() as s:
        units = list(s.scalars(
            select(SkuBarcode.barcode).join(Sku, Sku.id == SkuBarcode.sku_id)
            .join(OrderLine, OrderLine.sku_id == Sku.id)
            .join(Order, Order.id == OrderLine.order_id)
            .where(Order.wave_id.is_not(None), Order.status == "picked",
                   SkuBarcode.units == 1)))
    assert len(units) == released.orders
    runtime = station(gui_db, tmp_path / "home")
    runtime.start()
    try:
        with serial_scanner(tmp_path) as (feed, devices):
            screen = PackingScreen(runtime, actor(gui_db, "packer01"), devices)
            qtbot.addWidget(screen)
            screen.show()
            feed.write(released.wave_no)
            qtbot.waitUntil(lambda: screen.bench.wave_no == released.wave_no, timeout=TIMEOUT)

            def packed() -> int:
                with runtime.store.reader() as s:
                    return len(list(s.scalars(select(PackSession.id)
                                              .where(PackSession.status == "packed"))))

            for n, code in enumerate(units, start=1):
                feed.write(code)
                qtbot.waitUntil(lambda n=n: packed() == n and not screen.busy, timeout=TIMEOUT)
                qtbot.waitUntil(lambda: screen.prompt.property("feedback") == "done",
                                timeout=TIMEOUT)
            with runtime.store.reader() as s:
                labels = list(s.scalars(select(PrintJob.ref).where(PrintJob.kind == "waybill")))
            assert len(labels) == released.orders
            feedback.played.clear()  # it keeps the last 50: counting from its length fails
            feed.write(units[0])  # every order of the wave is packed: nothing more to take
            qtbot.waitUntil(lambda: screen.prompt.property("feedback") == "error",
                            timeout=TIMEOUT)
            assert feedback.played == ["error"] and packed() == released.orders
    finally:
        runtime.stop()
