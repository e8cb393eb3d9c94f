"""An order whose receiver the platform keeps encrypted, on the orders and exceptions screens: the
masks with the encrypted-receiver mark, the OAID's end at most, never a ciphertext."""

from __future__ import annotations

import json
import os
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.services import engine, intake
from app.services.context import system_actor
from app.store.db import Database
from app.ui import labels
from app.ui.exceptions_screen import ExceptionsScreen
from app.ui.orders_screen import OrdersScreen
from app.ui.qt import Qt
from tests.helpers.orders import order_record, sku_in_every_warehouse, write_jsonl
from tests.helpers.screens import idle, show

CIPHER = {"name": "~AgAAAAYlNzxSEALEDNAME7Q==~", "phone": "$AgAAAAYlN0SEALEDPHONE8w==$",
          "address": "~AgAAAAYlNzSEALEDADDRESSw==~"}
OAID = "1Hj9dLxQb7SEALEDOAIDwwRmZ2"


def _sealed_orders(db: Database, tmp_path: Path) -> None:
    sealed = {"name": "张**", "phone": "138****8000", "province": "浙江省", "city": "杭州市",
              "district": "西湖区", "address": "文三路****", "oaid": OAID, "cipher": CIPHER}
    records = [order_record("ENC-GUI-1", sku=sku_in_every_warehouse(db), qty=1,
                            receiver=sealed),
               order_record("ENC-GUI-2", receiver={**sealed, "province": "火星省",
                                                   "oaid": "OTHER-RECEIVER"})]
    report = intake.import_file(db, system_actor(), write_jsonl(tmp_path / "e.jsonl", records))
    assert report.created == 2
    engine.run_once(db, system_actor())


def _screen_text(screen: OrdersScreen) -> str:
    model = screen.model
    cells = [str(model.data(model.index(r, c), role) or "")
             for r in range(model.rowCount()) for c in range(model.columnCount())
             for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)]
    return "\n".join(cells) + screen.detail.toPlainText() + screen.detail.toHtml()


def test_the_orders_screen_shows_masks_and_the_mark(qtbot: QtBot, routed_db: Database,
                                                    tmp_path: Path, language: str) -> None:
    _sealed_orders(routed_db, tmp_path)
    lead = system_actor()
    screen = show(qtbot, OrdersScreen(routed_db, lead))
    idle(qtbot, lambda: screen.model.rowCount() > 0)
    screen.search.setText("138****8000")
    qtbot.keyClick(screen.search, Qt.Key.Key_Return)
    idle(qtbot, lambda: screen.model.rowCount() == 2)
    tag, mark = labels.encrypted_receiver_tag(), labels.encrypted_receiver_text()
    assert (tag, mark) == (("加密", "平台加密收件人") if language == "zh_CN"
                           else ("encrypted", "Encrypted receiver (platform)"))
    column = [c.key for c in screen.model.cols].index("receiver")
    cell = screen.model.index(0, column)
    assert screen.model.data(cell, Qt.ItemDataRole.DisplayRole) == f"张** [{tag}]"
    assert screen.model.data(cell, Qt.ItemDataRole.ToolTipRole) == mark
    row = next(r for r in range(2) if screen.model.row_at(r).channel_order_no == "ENC-GUI-1")
    screen.table.selectRow(row)
    idle(qtbot, lambda: "文三路****" in screen.detail.toPlainText())
    detail = screen.detail.toPlainText()
    assert "张** 138****8000" in detail and mark in detail and "…" + OAID[-6:] in detail
    text = _screen_text(screen)
    assert OAID not in text and not any(c in text for c in CIPHER.values())
    assert "SEALED" not in text
    shots = os.environ.get("PACKLINE_SCREENSHOT_DIR")
    if shots:  # a look at it: PACKLINE_SCREENSHOT_DIR=/tmp/shots pytest this file
        screen.grab().save(str(Path(shots) / f"encrypted_orders_{language}.png"))


def test_the_exception_queue_shows_the_mask_with_the_mark(qtbot: QtBot, routed_db: Database,
                                                          tmp_path: Path, language: str) -> None:
    _sealed_orders(routed_db, tmp_path)
    screen = show(qtbot, ExceptionsScreen(routed_db, system_actor()))
    model = screen.model
    idle(qtbot, lambda: model.rowCount() > 0)
    column = model.column_of("receiver")
    row = next(r for r in range(model.rowCount())
               if model.item(r).channel_order_no == "ENC-GUI-2")
    assert model.data(model.index(row, column)) == f"张** [{labels.encrypted_receiver_tag()}]"
    shown = json.dumps([str(model.data(model.index(r, c)) or "")
                        for r in range(model.rowCount()) for c in range(model.columnCount())],
                       ensure_ascii=False)
    assert OAID not in shown and "SEALED" not in shown
