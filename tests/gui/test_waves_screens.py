"""The Waves screen (preview, release, progress, cancel) and the Picking screen driven by scans:
a wrong bin is refused with the error sound and changes nothing, the right scans pick the wave
to the end."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.services import auth, engine
from app.services.context import system_actor
from app.store.db import Database
from app.store.models import PickTask, Sku, SkuBarcode
from app.ui import feedback, tasks
from app.ui.picking_screen import PickingScreen
from app.ui.waves_screen import WavesScreen

TIMEOUT = 20_000
pytestmark = pytest.mark.timeout(180)


@pytest.fixture
def routed_db(gui_db: Database) -> Database:
    engine.run_once(gui_db, system_actor())
    return gui_db


def test_the_lead_previews_releases_and_cancels(qtbot: QtBot, routed_db: Database,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    lead = auth.login_password(routed_db, "lead01", "lead123", "ST-TEST")
    screen = WavesScreen(routed_db, lead)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitUntil(lambda: screen.warehouse.count() == 3, timeout=TIMEOUT)
    screen.strategy.setCurrentIndex(screen.strategy.findData("per_order"))
    screen.max_orders.setValue(5)
    screen.max_cells.setValue(5)
    best = 0
    for i in range(3):  # the warehouse with the most waves to form
        screen.warehouse.setCurrentIndex(i)
        screen.preview()
        qtbot.waitUntil(lambda: not tasks.pending(), timeout=TIMEOUT)
        if screen.preview_table.rowCount() > best:
            best, chosen = screen.preview_table.rowCount(), i
    assert best > 0
    screen.warehouse.setCurrentIndex(chosen)
    screen.preview()
    qtbot.waitUntil(lambda: screen.release_button.isEnabled(), timeout=TIMEOUT)
    assert "waves" in screen.summary.text()
    monkeypatch.setattr("app.ui.waves_screen.ask", lambda *a: True)
    screen.release()
    qtbot.waitUntil(lambda: screen.waves.rowCount() == best, timeout=TIMEOUT)
    assert "released" in screen.message.text()
    screen.waves.selectRow(0)
    screen.cancel()
    qtbot.waitUntil(lambda: "back in the queue" in screen.message.text(), timeout=TIMEOUT)
    screen.refresh()
    qtbot.waitUntil(lambda: screen.waves.item(0, 3).text() == "Cancelled", timeout=TIMEOUT)


def _barcode(db: Database, sku_code: str) -> str:
    with db.reader() as s:
        return s.scalars(select(SkuBarcode.barcode).join(Sku, Sku.id == SkuBarcode.sku_id)
                         .where(Sku.code == sku_code, SkuBarcode.units == 1)).first()


def test_a_picker_picks_a_wave_by_scanning(qtbot: QtBot, routed_db: Database) -> None:
    from app.services import waves

    lead = auth.login_password(routed_db, "lead01", "lead123", "ST-TEST")
    wh = max(("HZ", "GZ", "BJ"), key=lambda w: len(waves.plan(
        routed_db, lead, w, "per_order", max_orders=3, max_cells=3).waves))
    (released,) = waves.release(routed_db, lead, wh, "per_order", max_orders=3,
                                max_cells=3, max_waves=1)
    picker = auth.login_password(routed_db, "picker01", "picker123", "ST-TEST")
    screen = PickingScreen(routed_db, picker)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitUntil(lambda: screen.available.count() >= 1, timeout=TIMEOUT)
    screen.handle(released.wave_no.lower())  # scanners send what they send
    qtbot.waitUntil(lambda: screen.wave is not None and screen.step == "bin",
                    timeout=TIMEOUT)
    assert screen.bin_label.text().endswith(screen.wave.current.bin_code)
    # A wrong bin: refused, red, the error sound, nothing changed.
    screen.handle("LOC-HZ-Z99-99-9")
    qtbot.waitUntil(lambda: screen.prompt.property("feedback") == "error", timeout=TIMEOUT)
    assert feedback.played[-1] == "error" and screen.step == "bin"
    with routed_db.reader() as s:
        assert s.scalar(select(func.sum(PickTask.picked_qty))) == 0
    # The right scans, through the typed entry line as a keyboard would give them.
    while screen.wave.current is not None:
        task = screen.wave.current
        screen.entry.setText(task.bin_code)
        screen.entry.returnPressed.emit()
        qtbot.waitUntil(lambda: screen.step == "item", timeout=TIMEOUT)
        for _ in range(task.qty - task.picked):
            before = screen.wave
            screen.handle(_barcode(routed_db, task.sku_code))
            qtbot.waitUntil(lambda b=before: screen.wave is not b, timeout=TIMEOUT)
    assert feedback.played[-1] == "done"
    assert screen.prompt.property("feedback") == "done"
    with routed_db.reader() as s:
        picked = s.scalar(select(func.sum(PickTask.picked_qty)))
    assert picked == released.units
