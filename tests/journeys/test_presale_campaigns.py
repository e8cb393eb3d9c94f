"""Journey: a shift lead at the presale campaigns on 11.11 — selects a campaign, opens its
demand report and exports the workbook for the supplier through the file dialog, typing the
path; then opens the supplier board from the same screen (once this version has it); and
releases a pre-pack wave of a real-stock campaign with the keyboard alone."""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from tests.helpers import presale_report_data as report_data
from tests.journeys import data, nav
from tests.journeys.harness import Journey
from tests.journeys.test_shift_lead import log_in_lead

SUPPLIER_BOARD = "app.ui.supplier_board"


def _geometry(j: Journey, window: str) -> tuple[int, int, int, int]:
    shown = j.xdo("getwindowgeometry", window).stdout
    at = re.search(r"Position: (-?\d+),(-?\d+)", shown)
    size = re.search(r"Geometry: (\d+)x(\d+)", shown)
    assert at and size, shown
    return int(at.group(1)), int(at.group(2)), int(size.group(1)), int(size.group(2))


def _campaign_home(new_home: Callable[..., Path]) -> Path:
    home = new_home()
    with data.central(home) as db, db.unit_of_work() as s:
        report_data.seed(s)
    return home


def _select_campaign(j: Journey, home: Path, code: str = report_data.CODE) -> None:
    """The lead opens the presale campaigns and selects `code` (PS-REPORT): a click in the
    list, then its code typed (the list jumps to the row whose code starts with it)."""
    log_in_lead(j, home)
    j.key(nav.nav_shortcut("shift_lead", "campaigns"))
    j.wait_for("the campaigns on screen", lambda: j.shows_something(*nav.CAMPAIGNS_FIRST_ROW))
    x, y, _w, h = nav.CAMPAIGNS_FIRST_ROW
    j.click(x + 20, y + h // 2)
    j.type_human(code)
    j.screenshot("campaign-selected")


def test_lead_exports_the_demand_report_of_a_campaign(
        new_home: Callable[..., Path], journey: Callable[..., Journey]) -> None:
    home = _campaign_home(new_home)
    j = journey(home)
    _select_campaign(j, home)
    j.key("ctrl+d")  # 需求报表 / Demand report
    (report, *_rest) = j.wait_for("the demand report", j.dialogs, timeout=15)
    left, top, _width, _height = _geometry(j, report)
    # The summary (its conversion in large type) once the report is counted.
    j.wait_for("the report's summary",
               lambda: j.shows_something(left + 10, top + 45, 400, 24))
    j.screenshot("demand-report")
    j.xdo("windowfocus", "--sync", report)
    j.key("ctrl+s")  # 导出 xlsx / Export xlsx
    chooser = j.wait_for("the file dialog",
                         lambda: [w for w in j.dialogs() if w != report], timeout=15)[0]
    j.xdo("windowfocus", "--sync", chooser)
    # ASCII: xdotool types what a keyboard has keys for (a Chinese name is typed through an
    # input method, which this X server has none of).
    target = home / "exports" / "demand-PS-REPORT.xlsx"
    target.parent.mkdir()
    j.screenshot("file-dialog")
    # The file name box has the focus, the proposed name selected: the path typed over it.
    j.key("ctrl+a")
    j.type_human(str(target))
    j.key("Return")

    def written() -> bool:
        try:
            return target.exists() and bool(load_workbook(target, read_only=True).sheetnames)
        except Exception:  # noqa: BLE001 - still being written
            return False

    j.wait_for("the workbook written", written, timeout=30)
    j.screenshot("exported")
    wb = load_workbook(target)
    assert wb.sheetnames == ["汇总 Summary", "按日 By day", "按省份 By province", "按SKU By SKU",
                             "按规格 By option"]
    rows = list(wb["汇总 Summary"].iter_rows(values_only=True))
    mine = next(r for r in rows if r[0] == report_data.CODE)
    assert mine[5:15] == (5, 5, 50.0, 3, 3, 145.0, 3, pytest.approx(0.6), 3, 2)
    assert wb["按规格 By option"]["A2"].value == "红色 M"
    assert wb["按日 By day"].max_row == 11


def test_lead_opens_the_supplier_board_of_a_campaign(
        new_home: Callable[..., Path], journey: Callable[..., Journey]) -> None:
    if importlib.util.find_spec(SUPPLIER_BOARD) is None:
        pytest.skip("the supplier board (app/ui/supplier_board.py) is not in this version: "
                    "its button stays disabled; this journey runs once it is merged")
    home = _campaign_home(new_home)
    j = journey(home)
    _select_campaign(j, home)
    j.key("ctrl+b")  # 供应商看板 / Supplier board
    (board, *_rest) = j.wait_for("the supplier board", j.dialogs, timeout=15)
    left, top, width, height = _geometry(j, board)
    j.wait_for("the board's contents",
               lambda: j.shows_something(left + 10, top + 10, width - 20, height - 20))
    j.screenshot("supplier-board")
    # Esc closes it and the campaign is still the one selected: the report opens for it.
    j.xdo("windowfocus", "--sync", board)
    j.key("Escape")
    j.wait_for("the board closed", lambda: not j.dialogs(), timeout=15)
    j.focus()
    j.key("ctrl+d")
    (report, *_rest) = j.wait_for("the demand report", j.dialogs, timeout=15)
    left, top, _width, _height = _geometry(j, report)
    j.wait_for("the report's summary",
               lambda: j.shows_something(left + 10, top + 45, 400, 24))


PREPACK_CODE = "PS-JPREPACK"
PREPACK_ORDERS = 3


def _prepack_home(new_home: Callable[..., Path]) -> Path:
    """The report's campaigns, and a real-stock campaign whose three deposit orders are
    routed with their stock reserved: what the lead pre-packs."""
    from datetime import UTC, datetime

    from app.services import engine, intake, presale_scenario
    from app.services.context import system_actor

    home = _campaign_home(new_home)
    now = datetime.now(UTC)
    with data.central(home) as db:
        lead = system_actor()
        presale_scenario._prepare(db, lead, PREPACK_CODE, PREPACK_ORDERS, now)
        intake.ingest(db, lead, presale_scenario._drafts(
            PREPACK_CODE, f"{PREPACK_CODE}-SKU", PREPACK_ORDERS, now))
        engine.run_once(db, lead, now=now)
    return home


def _prepack_waves(home: Path) -> list[tuple[str, str, str, int]]:
    """(wave, strategy, warehouse, orders) of the waves holding the campaign's orders."""
    from sqlalchemy import func, select

    from app.store.models import Order, PresaleCampaign, Warehouse, Wave

    with data.central(home) as db, db.reader() as s:
        return [tuple(row) for row in s.execute(  # type: ignore[misc]
            select(Wave.wave_no, Wave.strategy, Warehouse.code, func.count(Order.id))
            .join(Order, Order.wave_id == Wave.id)
            .join(Warehouse, Warehouse.id == Wave.warehouse_id)
            .join(PresaleCampaign, PresaleCampaign.id == Order.campaign_id)
            .where(PresaleCampaign.code == PREPACK_CODE, Order.status == "in_wave")
            .group_by(Wave.wave_no, Wave.strategy, Warehouse.code))]


def test_lead_releases_a_prepack_wave_with_the_keyboard(
        new_home: Callable[..., Path], journey: Callable[..., Journey]) -> None:
    home = _prepack_home(new_home)
    assert _prepack_waves(home) == []
    j = journey(home)
    _select_campaign(j, home, PREPACK_CODE)
    j.key("ctrl+p")  # 预打包波次… / Pre-pack wave…
    (asked, *_rest) = j.wait_for("the pre-pack dialog", j.dialogs, timeout=15)
    left, top, width, height = _geometry(j, asked)
    j.wait_for("the warehouses listed",
               lambda: j.shows_something(left + 10, top + 10, width - 20, height - 20))
    j.xdo("windowfocus", "--sync", asked)
    # The warehouse list has the focus once it is loaded: HZ chosen by its first letter, the
    # orders per wave left at 100, Enter presses Release (the default button).
    j.type_human("H")
    j.screenshot("prepack-dialog")
    j.key("Return")
    j.wait_for("the pre-pack dialog closed", lambda: not j.dialogs(), timeout=15)
    released = j.wait_for("the pre-pack wave in the database", lambda: _prepack_waves(home),
                          timeout=30)
    j.screenshot("prepack-released")
    assert [(strategy, warehouse, orders) for _no, strategy, warehouse, orders in released
            ] == [("presale", "HZ", PREPACK_ORDERS)]
    # The floor sees it as any wave: `packline waves list` (JSON lines) has it.
    listed = [json.loads(line) for line in
              j.cli("waves", "list", "--warehouse", "HZ").stdout.splitlines() if line.strip()]
    assert released[0][0] in {w["wave_no"] for w in listed}
