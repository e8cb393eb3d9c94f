"""The shift lead's presale actions on the campaign screen, on a real-stock campaign whose
orders are in several states (routed, pre-packed waiting for the balance, pre-packed and
paid): the stock ledger dialog shows what `stock_position` counts and the two parcel lists;
a pre-pack wave released from the screen; the close refused while the balance may still be
paid (nothing changed) and done after; the stock mode refused once a campaign has orders and
set on one without; a packer gets none of these actions. In Chinese and in English
(screenshots with PACKLINE_SCREENSHOT_DIR)."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.services import auth, channel_events, engine, intake, presale, presale_scenario
from app.services.context import system_actor
from app.store.db import Database
from app.store.models import Order, Package, PresaleCampaign, PutbackTask, Wave
from app.ui import tasks
from app.ui.campaigns_screen import CampaignsScreen
from app.ui.presale_stock import PrepackDialog, PresaleStockDialog, StockModeDialog
from app.ui.qt import QApplication, QMessageBox, Qt, QTimer, QWidget

TIMEOUT = 15_000
ORDERS = 6


def _shot(widget: QWidget, name: str) -> None:
    shots = os.environ.get("PACKLINE_SCREENSHOT_DIR")
    if shots:
        widget.grab().save(str(Path(shots) / f"{name}.png"))


def _campaign(db: Database, code: str) -> list[str]:
    """A real-stock campaign of ORDERS deposit orders: two pre-packed (one of them paid),
    the rest routed with their stock reserved. Returns the order numbers, oldest first."""
    lead = system_actor()
    now = datetime.now(UTC)
    presale_scenario._prepare(db, lead, code, ORDERS, now)
    drafts = presale_scenario._drafts(code, f"{code}-SKU", ORDERS, now)
    # Two come in first and are pre-packed; the other four come in after that wave.
    intake.ingest(db, lead, drafts[:2])
    engine.run_once(db, lead, now=now)
    (wave,) = presale.prepack_wave(db, lead, code, "HZ")
    presale_scenario._pick(db, lead, wave.wave_no)
    intake.ingest(db, lead, drafts[2:])
    engine.run_once(db, lead, now=now)
    with db.reader() as s:
        nos = list(s.scalars(select(Order.order_no).join(
            PresaleCampaign, PresaleCampaign.id == Order.campaign_id)
            .where(PresaleCampaign.code == code).order_by(Order.id)))
        picked = list(s.scalars(select(Order.order_no).where(
            Order.order_no.in_(nos), Order.status == "picked").order_by(Order.id)))
    assert len(nos) == ORDERS and len(picked) == 2
    assert presale_scenario._pack(db, lead, presale_scenario._station(db), "packer01",
                                  picked) == 2
    with db.reader() as s:
        channel, number = s.execute(select(Order.channel, Order.channel_order_no)
                                    .where(Order.order_no == picked[0])).one()
    channel_events.apply_event(db, lead, channel, number, "balance_paid", f"{code}-paid")
    return nos


def _states(db: Database, code: str) -> dict[str, Any]:
    with db.reader() as s:
        camp_id = s.scalar(select(PresaleCampaign.id).where(PresaleCampaign.code == code))
        return {"orders": sorted(map(tuple, s.execute(
                    select(Order.order_no, Order.status, Order.wave_id)
                    .where(Order.campaign_id == camp_id)).all())),
                "packages": sorted(map(tuple, s.execute(
                    select(Package.tracking_no, Package.status).join(Order)
                    .where(Order.campaign_id == camp_id)).all())),
                "putbacks": s.scalar(select(func.count()).select_from(PutbackTask)),
                "waves": s.scalar(select(func.count()).select_from(Wave))}


def _answer_later(check: Callable[[QWidget], bool], act: Callable[[QWidget], None]) -> None:
    """When the modal widget `check` recognises is up (and ready), `act` on it."""

    def look() -> None:
        box = QApplication.activeModalWidget()
        if box is None or not check(box):
            QTimer.singleShot(10, look)
        else:
            act(box)

    QTimer.singleShot(0, look)


def _yes() -> None:
    _answer_later(lambda w: isinstance(w, QMessageBox),
                  lambda w: w.button(QMessageBox.StandardButton.Yes).click())  # type: ignore


def _row(screen: CampaignsScreen, code: str) -> int:
    return [v.code for v in screen.views].index(code)


def _key(qtbot: QtBot, screen: CampaignsScreen, key: Qt.Key) -> None:
    """Ctrl+`key` at the screen with its window in front, as the lead presses it."""
    screen.activateWindow()
    screen.table.setFocus()
    qtbot.waitUntil(lambda: screen.isActiveWindow() and screen.table.hasFocus()
                    and QApplication.focusWindow() is screen.windowHandle(), timeout=TIMEOUT)
    qtbot.keyClick(screen.table, key, Qt.KeyboardModifier.ControlModifier)


def _ledger_cells(dialog: PresaleStockDialog, row: int) -> list[str]:
    return [dialog.ledger.item(row, c).text() for c in range(dialog.ledger.columnCount())]


def test_the_lead_works_a_real_stock_campaign_from_the_screen(
        qtbot: QtBot, gui_db: Database, language: str) -> None:
    code = "PS-GUI-REAL"
    nos = _campaign(gui_db, code)
    empty = "PS-GUI-EMPTY"
    presale_scenario._prepare(gui_db, system_actor(), empty, 10, datetime.now(UTC))
    lead = auth.login_password(gui_db, "lead01", "lead123", "ST-TEST")
    screen = CampaignsScreen(gui_db, lead)
    qtbot.addWidget(screen)
    screen.resize(1400, 820)
    screen.show()
    qtbot.waitUntil(lambda: code in [v.code for v in screen.views] and not tasks.pending(),
                    timeout=TIMEOUT)
    buttons = (screen.ledger_button, screen.prepack_button, screen.close_campaign_button,
               screen.mode_button)
    assert not any(b.isEnabled() for b in buttons)  # nothing selected yet
    screen.table.selectRow(_row(screen, code))
    assert all(b.isEnabled() for b in buttons)
    assert "Ctrl+P" in screen.prepack_button.toolTip() or language != "en"
    _shot(screen, f"campaign-presale-actions-{language}")

    # The ledger: every figure as the service counts it, per warehouse and in total.
    _key(qtbot, screen, Qt.Key.Key_L)
    qtbot.waitUntil(lambda: "stock" in screen.dialogs, timeout=TIMEOUT)
    dialog = screen.dialogs["stock"]
    assert isinstance(dialog, PresaleStockDialog)
    qtbot.waitUntil(lambda: dialog.sheet is not None and not tasks.pending(), timeout=TIMEOUT)
    position = presale.stock_position(gui_db, lead, code)
    (hz,) = position.warehouses
    assert _ledger_cells(dialog, 0) == ["HZ", *(str(v) for v in (
        hz.on_hand, hz.spot_reserved, hz.presale_held, hz.free, hz.putback_open,
        hz.packed_waiting, hz.packed_ready))]
    # 6 orders + a fifth spare on hand, 2 picked out; 4 held for routed orders; 2 packed.
    assert (hz.on_hand, hz.presale_held, hz.spot_reserved, hz.free) == (5, 4, 0, 1)
    assert (hz.packed_waiting, hz.packed_ready) == (1, 1)
    total = position.total()
    assert _ledger_cells(dialog, 1)[1:5] == [str(total.on_hand), str(total.spot_reserved),
                                             str(total.presale_held), str(total.free)]
    assert f"{position.pool_promised} / {position.pool_capacity}" in dialog.summary.text()
    assert code in dialog.summary.text() and "SKU" in dialog.summary.text()
    assert dialog.waiting.rowCount() == 1 and dialog.ready.rowCount() == 1
    paid = presale.ready_to_ship(gui_db, lead, code)[0]
    assert dialog.ready.item(0, 0).text() == paid.order_no
    assert dialog.ready.item(0, 7).text() not in ("", "—")  # the time the balance was paid
    waiting = presale.awaiting_balance_parcels(gui_db, lead, code)[0]
    assert dialog.waiting.item(0, 0).text() == waiting.order_no
    assert dialog.waiting.item(0, 2).text() == waiting.tracking_no
    _shot(dialog, f"campaign-presale-ledger-{language}")
    dialog.close()

    # A pre-pack wave released from the screen: the warehouse and the size asked first.
    waves_before = _states(gui_db, code)["waves"]

    def release(box: QWidget) -> None:
        assert isinstance(box, PrepackDialog)
        assert box.max_orders.value() == 100
        box.warehouse.setCurrentIndex(box.warehouse.findData("HZ"))
        box.max_orders.setValue(3)
        box.ok_button.click()

    _answer_later(lambda w: isinstance(w, PrepackDialog) and w.ok_button.isEnabled(), release)
    _key(qtbot, screen, Qt.Key.Key_P)
    qtbot.waitUntil(lambda: not screen.busy and screen.message.text() != ""
                    and not tasks.pending(), timeout=TIMEOUT)
    assert not screen.message.is_error(), screen.message.text()
    with gui_db.reader() as s:
        made = list(s.execute(select(Wave.wave_no, Wave.strategy, func.count(Order.id))
                              .join(Order, Order.wave_id == Wave.id)
                              .where(Order.order_no.in_(nos), Order.status == "in_wave")
                              .group_by(Wave.wave_no, Wave.strategy).order_by(Wave.wave_no)))
    assert [(n, st) for _w, st, n in made] == [(3, "presale"), (1, "presale")]
    assert _states(gui_db, code)["waves"] == waves_before + 2
    for wave_no, _st, _n in made:
        assert wave_no in screen.message.text()
    assert "4" in screen.message.text()

    # The close, while the balance may still be paid: refused, said, nothing changed.
    before = _states(gui_db, code)
    _yes()
    _key(qtbot, screen, Qt.Key.Key_K)
    qtbot.waitUntil(lambda: screen.message.is_error() and not screen.busy, timeout=TIMEOUT)
    if language == "en":
        assert code in screen.message.text()
    assert _states(gui_db, code) == before
    _shot(screen, f"campaign-presale-close-refused-{language}")

    # The window and its grace for late payment news over: the unpaid orders settled, the
    # paid one kept.
    from app.domain.presale import BALANCE_GRACE

    with gui_db.unit_of_work() as s:
        camp = s.scalars(select(PresaleCampaign).where(PresaleCampaign.code == code)).one()
        camp.balance_ends_at = datetime.now(UTC) - BALANCE_GRACE - timedelta(minutes=1)
    _yes()
    screen.close_campaign_button.click()
    qtbot.waitUntil(lambda: not screen.busy and not screen.message.is_error()
                    and code in screen.message.text() and not tasks.pending(),
                    timeout=TIMEOUT)
    after = _states(gui_db, code)
    statuses = sorted(st for _no, st, _w in after["orders"])
    assert statuses == ["cancelled"] * 5 + ["packed"]
    assert after["putbacks"] > before["putbacks"]
    if language == "en":
        assert screen.message.text() == (
            f"{code} closed: 6 orders looked at, 1 paid and kept, 0 cancelled, 4 taken out "
            "of waves, 1 unpacked; 1 units to put back in 1 tasks")

    # The stock mode: refused once the campaign has orders, set on one without.
    screen.table.selectRow(_row(screen, code))
    _answer_later(lambda w: isinstance(w, StockModeDialog),
                  lambda w: (w.mode.setCurrentIndex(w.mode.findData("pool")),  # type: ignore
                             w.accept()))  # type: ignore[attr-defined]
    _key(qtbot, screen, Qt.Key.Key_M)
    qtbot.waitUntil(lambda: screen.message.is_error() and not screen.busy, timeout=TIMEOUT)
    with gui_db.reader() as s:
        assert s.scalar(select(PresaleCampaign.stock_mode)
                        .where(PresaleCampaign.code == code)) == "real"
    qtbot.waitUntil(lambda: not tasks.pending(), timeout=TIMEOUT)
    screen.table.selectRow(_row(screen, empty))
    _answer_later(lambda w: isinstance(w, StockModeDialog),
                  lambda w: (w.mode.setCurrentIndex(w.mode.findData("pool")),  # type: ignore
                             w.accept()))  # type: ignore[attr-defined]
    screen.mode_button.click()
    qtbot.waitUntil(lambda: not screen.busy and not screen.message.is_error()
                    and empty in screen.message.text(), timeout=TIMEOUT)
    with gui_db.reader() as s:
        assert s.scalar(select(PresaleCampaign.stock_mode)
                        .where(PresaleCampaign.code == empty)) == "pool"
    qtbot.waitUntil(lambda: not tasks.pending()
                    and screen.selected_view() is not None
                    and screen.selected_view().stock_mode == "pool",  # type: ignore[union-attr]
                    timeout=TIMEOUT)
    assert not screen.prepack_button.isEnabled()  # a pool campaign has nothing to pre-pack


def test_a_packer_sees_the_ledger_but_not_the_leads_actions(
        qtbot: QtBot, gui_db: Database) -> None:
    code = "PS-GUI-PACKER"
    _campaign(gui_db, code)
    packer = auth.login_password(gui_db, "packer01", "packer123", "ST-TEST")
    screen = CampaignsScreen(gui_db, packer)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitUntil(lambda: code in [v.code for v in screen.views] and not tasks.pending(),
                    timeout=TIMEOUT)
    screen.table.selectRow(_row(screen, code))
    assert screen.ledger_button.isEnabled()
    for button in (screen.prepack_button, screen.close_campaign_button, screen.mode_button):
        assert not button.isEnabled()
    assert "role" in screen.prepack_button.toolTip()
    # Its key does nothing either: no dialog, no wave.
    before = _states(gui_db, code)
    _key(qtbot, screen, Qt.Key.Key_P)
    screen.ask_prepack()
    assert "prepack" not in screen.dialogs and not screen.busy
    assert _states(gui_db, code) == before


def test_the_ledger_of_an_unknown_campaign_is_said(qtbot: QtBot, gui_db: Database) -> None:
    lead = auth.login_password(gui_db, "lead01", "lead123", "ST-TEST")
    dialog = PresaleStockDialog(gui_db, lead, "PS-GONE")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.message.is_error(), timeout=TIMEOUT)
    assert "PS-GONE" in dialog.summary.text() and dialog.sheet is None
    assert dialog.ledger.rowCount() == 0
