"""A single-item wave packed on the screen through a serial scanner on a pseudo-terminal: the
wave's card, then one scan per order — each scan verifies an order, prints its waybill and
confirms it, with no other key; a scan of an item the wave no longer needs is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.station.models import PackSession, PrintJob
from app.ui import feedback
from app.ui.packing_screen import PackingScreen
from tests.helpers.packing import actor, serial_scanner, single_item_wave, station

pytestmark = pytest.mark.timeout(180)
TIMEOUT = 20_000


def test_one_scan_per_order_through_the_serial_scanner(qtbot: QtBot, gui_db,
                                                       tmp_path: Path) -> None:
    released = single_item_wave(gui_db, orders=4)
    units = list(released.units.values())
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
