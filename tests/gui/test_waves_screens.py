"""The Waves screen (preview, release, progress, cancel) and the Picking screen driven by scans:
a wrong bin, or an item before its bin, is refused with the error sound and changes nothing,
the right scans pick the wave to the end."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.services import auth, picking, waves
from app.store.db import Database
from app.store.models import PickTask, Sku, SkuBarcode
from app.ui import feedback, tasks
from app.ui.picking_screen import PickingScreen
from app.ui.qt import QApplication, QEvent, Qt, QTableWidget
from app.ui.waves_screen import WavesScreen
from tests.helpers.packing import busiest_warehouse

TIMEOUT = 20_000
pytestmark = pytest.mark.timeout(180)


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
    screen.release()  # nothing ticked: said so, nothing released
    assert "Tick the waves" in screen.message.text()
    assert tasks.wait_idle(TIMEOUT) and screen.waves.rowCount() == 0
    assert best >= 3
    # The first and the third previewed waves, ticked by a click on the row.
    for row in (0, 2):
        rect = screen.preview_table.visualRect(screen.preview_table.model().index(row, 2))
        qtbot.mouseClick(screen.preview_table.viewport(), Qt.MouseButton.LeftButton,
                         pos=rect.center())
    assert screen.ticked() == [0, 2]
    chosen = [int(screen.preview_table.item(r, 2).text()) for r in (0, 2)]
    screen.release()
    qtbot.waitUntil(lambda: screen.waves.rowCount() == 2, timeout=TIMEOUT)
    assert "2 waves released" in screen.message.text()
    assert sorted(int(screen.waves.item(r, 5).text()) for r in range(2)) == sorted(chosen)
    screen.waves.selectRow(0)
    screen.cancel()
    qtbot.waitUntil(lambda: "back in the queue" in screen.message.text(), timeout=TIMEOUT)
    screen.refresh()
    qtbot.waitUntil(lambda: screen.waves.item(0, 4).text() == "Cancelled", timeout=TIMEOUT)


def _barcode(db: Database, sku_code: str) -> str:
    with db.reader() as s:
        return s.scalars(select(SkuBarcode.barcode).join(Sku, Sku.id == SkuBarcode.sku_id)
                         .where(Sku.code == sku_code, SkuBarcode.units == 1)
                         .order_by(SkuBarcode.barcode)).first()  # the EAN before an INT code


def test_a_picker_picks_a_wave_by_scanning(qtbot: QtBot, routed_db: Database) -> None:
    lead = auth.login_password(routed_db, "lead01", "lead123", "ST-TEST")
    wh = busiest_warehouse(routed_db, "per_order", max_orders=3, max_cells=3)
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
    # The item before its bin: the service refuses it, the screen says which bin comes first.
    first = screen.wave.current
    screen.handle(_barcode(routed_db, first.sku_code))
    qtbot.waitUntil(lambda: f"Scan the bin {first.bin_code} first" in screen.prompt.text(),
                    timeout=TIMEOUT)
    assert feedback.played[-1] == "error" and screen.step == "bin"
    assert screen.wave.current == first
    with routed_db.reader() as s:
        assert s.scalar(select(func.sum(PickTask.picked_qty))) == 0
        assert s.scalar(select(func.count()).select_from(PickTask)
                        .where(PickTask.bin_confirmed_at.is_not(None))) == 0
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


def _answer(qtbot: QtBot, yes: bool | None) -> None:
    """Answer the next question box: Yes, No, or (None) Enter as a habit would press it."""
    from app.ui.qt import QMessageBox, QTimer

    def press() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, press)
        elif yes is None:
            qtbot.keyClick(box, Qt.Key.Key_Return)
        else:
            box.button(QMessageBox.StandardButton.Yes if yes
                       else QMessageBox.StandardButton.No).click()

    QTimer.singleShot(0, press)


def _key(qtbot: QtBot, screen: PickingScreen, key: Qt.Key) -> None:
    """A key pressed at the screen, as a picker does with the window in front (after a
    question box closes, the offscreen platform leaves no window active)."""
    screen.activateWindow()
    qtbot.waitUntil(screen.isActiveWindow, timeout=TIMEOUT)
    qtbot.keyClick(screen, key)


def _one_wave(db: Database, strategy: str = "per_order", orders: int = 3) -> str:
    lead = auth.login_password(db, "lead01", "lead123", "ST-TEST")
    wh = max(("HZ", "GZ", "BJ"), key=lambda w: len(waves.plan(
        db, lead, w, strategy, max_orders=orders, max_cells=orders).waves))
    (released,) = waves.release(db, lead, wh, strategy, max_orders=orders, max_cells=orders,
                                max_waves=1)
    return released.wave_no


def _picking(qtbot: QtBot, db: Database, wave_no: str) -> PickingScreen:
    picker = auth.login_password(db, "picker01", "picker123", "ST-TEST")
    screen = PickingScreen(db, picker)
    qtbot.addWidget(screen)
    screen.show()
    screen.handle(wave_no)
    qtbot.waitUntil(lambda: screen.wave is not None and screen.step == "bin", timeout=TIMEOUT)
    return screen


def _scan(qtbot: QtBot, screen: PickingScreen, code: str) -> None:
    before = (screen.wave, screen.step)
    screen.handle(code)
    qtbot.waitUntil(lambda: not screen.busy and (screen.wave, screen.step) != before,
                    timeout=TIMEOUT)


def _wave_row(db: Database, wave_no: str) -> tuple[str, int | None, int]:
    from app.store.models import Wave

    with db.reader() as s:
        status, picker = s.execute(select(Wave.status, Wave.picker_id)
                                   .where(Wave.wave_no == wave_no)).one()
        picked = s.scalar(select(func.sum(PickTask.picked_qty)).join(
            Wave, Wave.id == PickTask.wave_id).where(Wave.wave_no == wave_no)) or 0
    return status, picker, picked


def test_a_picker_who_logs_in_again_is_back_on_their_wave(qtbot: QtBot,
                                                          routed_db: Database) -> None:
    from app.ui.main_window import MainWindow
    from tests.helpers.screens import issue_badge

    wave_no = _one_wave(routed_db)
    picker = auth.login_password(routed_db, "picker01", "picker123", "ST-TEST")
    task = picking.claim(routed_db, picker, wave_no).current
    picking.confirm_bin(routed_db, picker, wave_no, task.seq, task.bin_code)
    held = picking.pick(routed_db, picker, wave_no, task.seq, _barcode(routed_db, task.sku_code))
    window = MainWindow(routed_db, "ST-TEST", "test")
    qtbot.addWidget(window)
    window.show()
    qtbot.keyClicks(window.login.user, issue_badge(routed_db, "picker01"))
    qtbot.keyClick(window.login.user, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.actor is not None, timeout=TIMEOUT)
    assert window.current_screen_key() == "picking"
    screen = window.open_screens["picking"]
    qtbot.waitUntil(lambda: screen.wave is not None, timeout=TIMEOUT)
    assert screen.wave.wave_no == wave_no and screen.step == "bin"
    assert screen.bin_label.text().endswith(held.current.bin_code)
    assert wave_no in screen.prompt.text()
    assert tasks.wait_idle(TIMEOUT)
    window.logout()


def test_a_picker_abandons_a_wave_and_hands_another_back(qtbot: QtBot,
                                                         routed_db: Database) -> None:
    first = _one_wave(routed_db)
    screen = _picking(qtbot, routed_db, first)
    _answer(qtbot, False)
    _key(qtbot, screen, Qt.Key.Key_F11)  # asked, answered No: nothing changes
    assert tasks.wait_idle(TIMEOUT)
    assert _wave_row(routed_db, first)[0] == "picking" and screen.wave is not None
    _answer(qtbot, True)
    _key(qtbot, screen, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: screen.wave is None, timeout=TIMEOUT)
    assert _wave_row(routed_db, first)[0] == "cancelled"
    assert "abandoned" in screen.prompt.text()

    second = _one_wave(routed_db)
    screen.handle(second)
    qtbot.waitUntil(lambda: screen.wave is not None and screen.step == "bin", timeout=TIMEOUT)
    task = screen.wave.current
    _scan(qtbot, screen, task.bin_code)
    _scan(qtbot, screen, _barcode(routed_db, task.sku_code))
    assert not screen.abandon_button.isEnabled()  # a unit is picked: only hand back
    _answer(qtbot, True)
    qtbot.mouseClick(screen.hand_back_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.wave is None, timeout=TIMEOUT)
    status, picker, picked = _wave_row(routed_db, second)
    assert (status, picker, picked) == ("released", None, 1)
    qtbot.waitUntil(lambda: any(screen.available.item(i).text().startswith(second)
                                for i in range(screen.available.count())), timeout=TIMEOUT)
    assert tasks.wait_idle(TIMEOUT)


def test_f8_asks_before_a_short_pick_and_a_habitual_enter_changes_nothing(
        qtbot: QtBot, routed_db: Database) -> None:
    from app.store.models import AuditEntry

    wave_no = _one_wave(routed_db)
    screen = _picking(qtbot, routed_db, wave_no)
    _scan(qtbot, screen, screen.wave.current.bin_code)
    task = screen.wave.current  # at its bin
    assert screen.step == "item"
    screen.qty.setValue(0)
    _answer(qtbot, None)  # Enter: the default is No
    _key(qtbot, screen, Qt.Key.Key_F8)
    assert tasks.wait_idle(TIMEOUT)

    def shorts() -> int:
        with routed_db.reader() as s:
            return s.scalar(select(func.count()).select_from(AuditEntry)
                            .where(AuditEntry.action == "wave.short_pick")) or 0

    assert shorts() == 0 and screen.wave.current == task
    _answer(qtbot, True)
    _key(qtbot, screen, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: shorts() == 1 and not screen.busy, timeout=TIMEOUT)
    assert "Short pick recorded" in screen.prompt.text()
    assert tasks.wait_idle(TIMEOUT)


def test_a_reload_read_before_a_scan_does_not_undo_its_answer(qtbot: QtBot,
                                                              routed_db: Database) -> None:
    """The change watcher reloads the wave now and then; one that read the wave before the
    bin scan and arrives after its answer is dropped: the screen keeps the service's newer
    word (the bin confirmed), and a reload asked after the answer is shown."""
    screen = _picking(qtbot, routed_db, _one_wave(routed_db))
    read_before, asked = screen.wave, screen._answers
    _scan(qtbot, screen, screen.wave.current.bin_code)
    assert screen.step == "item"
    screen._reloaded(read_before, asked)
    assert screen.step == "item" and screen.wave is not read_before
    screen.refresh()
    qtbot.waitUntil(lambda: not tasks.pending(), timeout=TIMEOUT)
    assert screen.step == "item"
    assert tasks.wait_idle(TIMEOUT)


def test_the_picking_screen_keeps_its_width_whatever_it_shows(qtbot: QtBot,
                                                             gui_db: Database) -> None:
    picker = auth.login_password(gui_db, "picker01", "picker123", "ST-TEST")
    screen = PickingScreen(gui_db, picker)
    qtbot.addWidget(screen)
    screen.resize(1000, 700)
    screen.show()
    assert tasks.wait_idle(TIMEOUT)
    width = screen.width()
    cells = tuple((f"PL26111100000{n:02d}", 1, n) for n in range(1, 31))
    long_name = "超长商品名称" * 20
    screen.wave = picking.WaveView("WAVE-2612060001", "multi_item", "picking", "张拣货", (
        picking.TaskView(1, "LOC-HZ-A03-12-2", "SKU-00001", long_name, 30, 0, "open", cells),),
        ())
    screen._render()
    screen.show_feedback("error", "Wrong item: this task is SKU-00001 " + long_name)
    # The layout requests the long text posted are handled now, as the event loop would.
    QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    assert screen.minimumSizeHint().width() <= width
    assert screen.width() == width


def test_nothing_of_the_last_task_lingers_once_a_wave_is_picked(qtbot: QtBot,
                                                                routed_db: Database) -> None:
    wave_no = _one_wave(routed_db, "multi_item", orders=2)
    screen = _picking(qtbot, routed_db, wave_no)
    while screen.wave.current is not None:
        task = screen.wave.current
        _scan(qtbot, screen, task.bin_code)
        for _ in range(task.qty - task.picked):
            _scan(qtbot, screen, _barcode(routed_db, task.sku_code))
    assert screen.step == "put"
    assert screen.qty_label.text() == "" and screen.cells_label.text() == ""
    assert task.bin_code not in screen.bin_label.text()
    assert tasks.wait_idle(TIMEOUT)


@pytest.fixture(params=["zh_CN", "en"])
def language(request: pytest.FixtureRequest, qapp):
    from app.ui.app import install_translator

    translator = install_translator(qapp, request.param)
    assert (translator is not None) == (request.param == "zh_CN")
    yield request.param
    if translator is not None:
        qapp.removeTranslator(translator)


def test_wave_columns_fit_their_headers_and_cells(qtbot: QtBot, routed_db: Database,
                                                 language: str) -> None:
    lead = auth.login_password(routed_db, "lead01", "lead123", "ST-TEST")
    for wh in ("HZ", "GZ", "BJ"):
        waves.release(routed_db, lead, wh, "multi_item", max_orders=3, max_cells=3,
                      max_waves=2)
    screen = WavesScreen(routed_db, lead)
    qtbot.addWidget(screen)
    screen.resize(1000, 700)
    # Built at login behind another screen: the lists load while it is hidden.
    qtbot.waitUntil(lambda: screen.waves.rowCount() > 0 and screen.warehouse.count() > 0
                    and not tasks.pending(), timeout=TIMEOUT)
    screen.warehouse.setCurrentIndex(0)
    screen.preview()
    qtbot.waitUntil(lambda: screen.preview_table.rowCount() > 0 and not tasks.pending(),
                    timeout=TIMEOUT)
    screen.show()

    def whole(table: QTableWidget) -> None:
        header = table.horizontalHeader()
        for c in range(table.columnCount() - 1):
            needed = max(header.sectionSizeFromContents(c).width(), table.sizeHintForColumn(c))
            assert table.columnWidth(c) >= needed, (language, table.objectName(), c)

    for table in (screen.waves, screen.preview_table):  # laid out in the event loop
        qtbot.waitUntil(lambda table=table: whole(table), timeout=TIMEOUT)
    strategies = {screen.waves.item(r, 3).text() for r in range(screen.waves.rowCount())}
    assert ("多品（播种墙）" if language == "zh_CN" else "Multi-item (put wall)") in strategies
