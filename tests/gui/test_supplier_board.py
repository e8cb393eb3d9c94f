"""The supplier board of a presale campaign: its suppliers, the deliveries (the slipping one
coloured by its level), demand against arrivals per day with the gap, the suggestion and the
promises — loaded off the GUI thread — and its actions: a deliveries file refused row by row
then imported, the slips raised, the compensations and promises exported."""

from __future__ import annotations

import csv
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select, update

from app.domain.china_time import in_china
from app.services import auth, exceptions, intake, supply
from app.services.context import Actor
from app.store.db import Database
from app.store.models import AuditEntry, Carrier, Order, PresaleCampaign, Sku
from app.ui.exceptions_screen import ExceptionsScreen
from app.ui.qt import QColor
from app.ui.supplier_board import LEVEL_BACKGROUNDS, SupplierBoardDialog
from tests.helpers.orders import drafts, order_record
from tests.helpers.screens import idle

CODE = "PS-BOARD"


@pytest.fixture
def lead(gui_db: Database) -> Actor:
    return auth.login_password(gui_db, "lead01", "lead123", "ST-TEST")


@pytest.fixture
def campaign(gui_db: Database, lead: Actor) -> str:
    """Three deposit orders (2, 3, 5 units; the first one's balance paid); 4 units arrived
    three days ago, 6 due today but expected in three days (72 h late: level 2)."""
    now = datetime.now(UTC)
    today = in_china(now).date()
    with gui_db.unit_of_work() as s:
        sku = s.scalars(select(Sku).where(Sku.code == "SKU-00010")).one()
        s.add(PresaleCampaign(
            code=CODE, name="供应看板测试", sku_id=sku.id, kind="deposit", price_fen=10000,
            deposit_fen=1000, deposit_value_fen=1000, starts_at=now - timedelta(days=10),
            ends_at=now - timedelta(days=2), balance_starts_at=now - timedelta(days=1),
            balance_ends_at=now + timedelta(days=2), ship_by=now + timedelta(days=6),
            supplier_daily_capacity=100, capacity_days=5, stock_mode="pool",
            compensation_fen=1000, handling_hours=24))
        s.execute(update(Carrier).values(cutoff="17:00"))
    supply.set_campaign_suppliers(gui_db, lead, CODE, "SUP-HZ", "SUP-NB")
    stamp = "%Y-%m-%dT%H:%M:%S+00:00"
    records = [order_record(
        no, sku="SKU-00010", qty=units, price="100.00",
        presale={"campaign": CODE,
                 "deposit_paid_at": (now - timedelta(days=9 - i)).strftime(stamp),
                 "balance_paid_at": (now - timedelta(hours=3)).strftime(stamp) if i == 0
                 else None})
        for i, (no, units) in enumerate((("BD-A", 2), ("BD-B", 3), ("BD-C", 5)))]
    assert len(intake.ingest(gui_db, lead, drafts(*records)).created) == 3
    supply.record_delivery(gui_db, lead, CODE, "SUP-HZ", today - timedelta(days=3), 4,
                           arrived=4)
    supply.record_delivery(gui_db, lead, CODE, "SUP-HZ", today, 6, in_transit=2,
                           expected_on=today + timedelta(days=3))
    return CODE


def _open(qtbot: QtBot, db: Database, lead: Actor) -> SupplierBoardDialog:
    dialog = SupplierBoardDialog(db, lead, CODE)
    qtbot.addWidget(dialog)
    dialog.resize(1400, 900)
    dialog.show()
    idle(qtbot, lambda: dialog.board is not None)
    return dialog


def test_the_board_shows_the_slip_the_gap_the_suggestion_and_the_promises(
        qtbot: QtBot, gui_db: Database, lead: Actor, campaign: str, language: str) -> None:
    dialog = _open(qtbot, gui_db, lead)
    assert not dialog.message.is_error(), dialog.message.text()
    assert "SUP-HZ" in dialog.suppliers.text() and "SUP-NB" in dialog.suppliers.text()
    t = dialog.deliveries
    assert t.rowCount() == 2
    assert [t.item(1, c).text() for c in (3, 4, 5)] == ["6", "2", "0"]
    assert "72" in t.item(1, 7).text()
    assert t.item(1, 0).background().color() == QColor(LEVEL_BACKGROUNDS[2])
    assert t.item(0, 0).background().color() != QColor(LEVEL_BACKGROUNDS[2])
    days = dialog.days
    gaps = [int(days.item(r, 10).text()) for r in range(days.rowCount())]
    assert max(gaps) == 6 and gaps[-1] == 0  # 10 owed tomorrow, 4 here; all in three days
    assert dialog.board is not None
    assert [g.action for g in dialog.board.board.suggestions] == ["expedite"]
    assert "6" in dialog.suggestions.text() and "SUP-HZ" in dialog.suggestions.text()
    assert dialog.board.promises.covered == 3 and dialog.board.promises.late == 2
    assert dialog.chart_view.chart().series()  # bars and the gap line
    expected_words = {"zh_CN": "预计 ", "en": "Ships by "}[language]
    assert expected_words in dialog.promises.text()
    shots = os.environ.get("PACKLINE_SCREENSHOT_DIR")
    if shots:  # a look at it: PACKLINE_SCREENSHOT_DIR=/tmp/shots pytest this test
        dialog.grab().save(str(Path(shots) / f"supplier_board_{language}.png"))


def test_the_boards_actions(qtbot: QtBot, gui_db: Database, lead: Actor, campaign: str,
                            tmp_path: Path) -> None:
    dialog = _open(qtbot, gui_db, lead)
    bad = tmp_path / "bad.csv"
    with bad.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["活动", "供应商", "交期", "数量"],
                                 [CODE, "SUP-NB", "2026-13-01", "5"],
                                 [CODE, "SUP-NONE", "2026-12-20", "5"]])
    dialog.import_file(bad)
    idle(qtbot, lambda: dialog.message.is_error())
    assert "Row 2" in dialog.message.text() and "SUP-NONE" in dialog.message.text()
    assert dialog.import_button.isEnabled()
    good = tmp_path / "good.csv"
    good.write_text(f"campaign,supplier,due,qty\n{CODE},SUP-NB,2027-01-05,5\n",
                    encoding="utf-8")
    dialog.import_file(good)
    idle(qtbot, lambda: dialog.deliveries.rowCount() == 3)
    assert not dialog.message.is_error()

    dialog.raise_slips()
    idle(qtbot, lambda: "2" in dialog.message.text() and not dialog.message.is_error()
         and dialog.raise_button.isEnabled())
    delayed = exceptions.queue(gui_db, lead, category="supplier_delay")
    assert len(delayed) == 2 and {d.level for d in delayed} == {2}
    # The lead answers them in the exception queue, where the order keeps its status.
    queue = ExceptionsScreen(gui_db, lead)
    qtbot.addWidget(queue)
    queue.show()
    idle(qtbot, lambda: queue.model.row_of(delayed[0].order_no) >= 0)
    queue.table.selectRow(queue.model.row_of(delayed[0].order_no))
    idle(qtbot)
    assert all(queue.buttons[a].isVisible() for a in ("notify", "switch_supplier",
                                                       "compensate"))
    assert not queue.buttons["hold"].isVisible()

    promises = tmp_path / "promises.xlsx"
    dialog.export_promises_to(promises)
    idle(qtbot, lambda: promises.exists() and dialog.promises_button.isEnabled())
    rows = list(load_workbook(promises).active.iter_rows(values_only=True))
    assert len(rows) == 4 and {r[0] for r in rows[1:]} == {"BD-A", "BD-B", "BD-C"}

    compensations = tmp_path / "comp.csv"
    dialog.export_compensations_to(compensations)
    idle(qtbot, lambda: compensations.exists() and dialog.compensations_button.isEnabled())
    assert len(compensations.read_text(encoding="utf-8-sig").splitlines()) == 1  # none yet
    # Two buyers flagged: the next export hands them over once; ticked, all again.
    with gui_db.unit_of_work() as s:
        ids = list(s.scalars(select(Order.id).where(Order.channel_order_no.in_(
            ["BD-B", "BD-C"]))))
        assert supply.flag_compensations(s, lead, ids, datetime.now(UTC)) == 2

    def export(name: str) -> list[list[str]]:
        out = tmp_path / name
        dialog.export_compensations_to(out)
        idle(qtbot, lambda: out.exists() and dialog.compensations_button.isEnabled())
        return list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))

    first = export("first.csv")
    assert sorted(r[2] for r in first[1:]) == ["BD-B", "BD-C"] and len(first[0]) == 8
    assert export("second.csv")[1:] == []
    dialog.compensations_all.setChecked(True)
    assert sorted(r[2] for r in export("all.csv")[1:]) == ["BD-B", "BD-C"]


def test_a_packer_exports_the_promises_as_stored(qtbot: QtBot, gui_db: Database, lead: Actor,
                                                 campaign: str, tmp_path: Path) -> None:
    """Recomputing writes the orders (orders.change_status); a packer may only read them:
    the dialog exports the promises as they are, and says so."""
    supply.promises(gui_db, lead, CODE)
    packer = auth.login_password(gui_db, "packer01", "packer123", "ST-TEST")
    dialog = _open(qtbot, gui_db, packer)
    assert not dialog.may_recompute()
    out = tmp_path / "stored.xlsx"
    dialog.export_promises_to(out)
    idle(qtbot, lambda: out.exists() and dialog.promises_button.isEnabled())
    assert not dialog.message.is_error(), dialog.message.text()
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert {r[0] for r in rows[1:]} == {"BD-A", "BD-B", "BD-C"} and all(r[2] for r in rows[1:])
    with gui_db.reader() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "promise.recomputed", AuditEntry.actor == "packer01")) == 0
