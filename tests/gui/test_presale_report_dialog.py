"""The campaign screen's new face and the demand report it opens: each campaign's stock mode,
the Supplier board and Demand report buttons for the selected campaign, and the report dialog
with its summary, chart, tables by day, province, SKU and option, and the workbook export —
in Chinese and in English (screenshots with PACKLINE_SCREENSHOT_DIR)."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from openpyxl import load_workbook  # type: ignore[import-untyped]
from pytestqt.qtbot import QtBot

from app.services import auth
from app.store.db import Database
from app.ui import tasks
from app.ui.campaigns_screen import COLUMNS, SUPPLIER_BOARD, CampaignsScreen
from app.ui.presale_report import PresaleReportDialog
from tests.helpers import presale_report_data as data

TIMEOUT = 10_000


def _shot(widget: object, name: str) -> None:
    shots = os.environ.get("PACKLINE_SCREENSHOT_DIR")
    if shots:  # a look at it: PACKLINE_SCREENSHOT_DIR=/tmp/shots pytest this test
        from app.ui.qt import QApplication

        QApplication.processEvents()  # the layout the loaded report asked for, then the picture
        widget.grab().save(str(Path(shots) / f"{name}.png"))  # type: ignore[attr-defined]


def test_the_demand_report_opens_from_the_campaign_screen(
        qtbot: QtBot, gui_db: Database, language: str, tmp_path: Path) -> None:
    with gui_db.unit_of_work() as s:
        data.seed(s)
    lead = auth.login_password(gui_db, "lead01", "lead123", "ST-TEST")
    screen = CampaignsScreen(gui_db, lead)
    qtbot.addWidget(screen)
    screen.resize(1400, 820)
    screen.show()
    qtbot.waitUntil(lambda: screen.table.rowCount() == 6 and not tasks.pending(),
                    timeout=TIMEOUT)
    # Nothing selected: neither button does anything yet.
    assert not screen.report_button.isEnabled() and not screen.supplier_button.isEnabled()
    codes = [v.code for v in screen.views]
    row = codes.index(data.CODE)
    mode = screen.table.item(row, COLUMNS.index("campaign")).text().splitlines()
    pool = screen.table.item(codes.index("PS-FULL"), COLUMNS.index("campaign")).text()
    if language == "zh_CN":
        assert mode[:2] == [data.CODE, "定金预售"]
        assert mode[2:] in ([], ["真实库存预占"])  # its Chinese comes with this release's .qm
    else:
        assert mode == [data.CODE, "Deposit presale", "Real stock reserved"]
        assert pool.splitlines()[2] == "Virtual pool"
    screen.table.selectRow(row)
    assert screen.selected_code() == data.CODE
    assert screen.report_button.isEnabled()
    board_here = importlib.util.find_spec(SUPPLIER_BOARD) is not None
    assert screen.supplier_button.isEnabled() == board_here
    if not board_here:
        assert screen.supplier_button.toolTip()
    _shot(screen, f"presale-campaigns-{language}")

    screen.report_button.click()
    dialog = screen.dialogs["report"]
    assert isinstance(dialog, PresaleReportDialog)
    qtbot.waitUntil(lambda: dialog.report is not None and not tasks.pending(),
                    timeout=TIMEOUT)
    summary = dialog.summary.text()
    assert data.CODE in summary and "60.0%" in summary and "¥50.00" in summary
    if language == "en":
        assert "of the 5 deposits, 3 have paid their balance by now" in summary
    assert dialog.tabs.count() == 4
    assert dialog.days.rowCount() == 10
    # The day's deposits, the day's balances, and the conversion of the day's deposits.
    assert dialog.days.columnCount() == 7
    assert [dialog.days.item(9, c).text() for c in range(7)] == [
        "2026-11-10", "0", "0", "3", "3", "0", "–"]
    assert [dialog.days.item(1, c).text() for c in range(7)] == [
        "2026-11-02", "2", "1", "0", "0", "1", "50.0%"]
    assert dialog.days.horizontalHeaderItem(6).toolTip()
    provinces, matrix = dialog.breakdowns["province"]
    assert [provinces.item(0, c).text() for c in range(7)] == ["广东省", "2", "3", "1", "2",
                                                               "1", "50.0%"]
    assert matrix.rowCount() == 5  # the China days something was paid on
    assert matrix.item(1, 0).text() == "2026-11-02"
    options, _ = dialog.breakdowns["option"]
    assert options.item(0, 0).text() == "红色 M" and options.item(0, 2).text() == "9"
    skus, _ = dialog.breakdowns["sku"]
    assert [skus.item(0, c).text() for c in range(3)] == ["SKU-RPT-A", "测试卫衣", "4"]
    series = dialog.chart.series()
    assert len(series) == 1
    _shot(dialog, f"presale-report-{language}")
    dialog.tabs.setCurrentIndex(3)
    _shot(dialog, f"presale-report-options-{language}")

    out = tmp_path / "demand.xlsx"
    dialog.export_to(out)
    qtbot.waitUntil(lambda: dialog.exported == out, timeout=TIMEOUT)
    assert str(out) in dialog.message.text()
    wb = load_workbook(out)
    assert wb["按日 By day"].max_row == 11
    # A folder that cannot be written: said, nothing else changes.
    blocked = tmp_path / "file"
    blocked.write_text("x")
    dialog.export_to(blocked / "demand.xlsx")
    qtbot.waitUntil(lambda: dialog.message.is_error(), timeout=TIMEOUT)
    assert dialog.export_button.isEnabled()
    dialog.close()


def test_an_unknown_campaign_is_said_in_the_readers_words(
        qtbot: QtBot, gui_db: Database, language: str) -> None:
    lead = auth.login_password(gui_db, "lead01", "lead123", "ST-TEST")
    dialog = PresaleReportDialog(gui_db, lead, "PS-GONE")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.message.is_error(), timeout=TIMEOUT)
    assert "PS-GONE" in dialog.summary.text()
    assert not dialog.export_button.isEnabled()
    if language == "en":
        assert "No presale campaign PS-GONE." in dialog.summary.text()
