"""Words, not codes, in one language at a time: a Chinese screen shows no English (Qt's own
buttons included), an English screen no Chinese beyond the data (names, places, remarks);
times in China time; the central database out of reach said in one translated line; and a
refusal does not leave the screen's type smaller than before."""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from pytestqt.qtbot import QtBot

from app.domain.notes import decode
from app.services import exceptions, orders
from app.services.context import Actor, system_actor
from app.store.db import Database
from app.ui import labels, messages, tasks, timefmt
from app.ui.app import install_translator
from app.ui.exceptions_screen import ExceptionsScreen
from app.ui.handover_screen import HandoverScreen
from app.ui.orders_screen import OrdersScreen, render_detail
from app.ui.qt import QApplication, QMessageBox, Qt
from app.ui.rules_screen import RulesScreen
from app.ui.widgets import READABLE_POINTS, offline_text
from tests.helpers.screens import idle, show

TIMEOUT = 10_000
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Codes a reader copies rather than reads: order, SKU, bin and tracking numbers, JSON, VIP.
CODES = re.compile(r"\b[A-Z][A-Z0-9]*(?:[-:/][A-Z0-9]+)*\b|\b[A-Z]{2}\d+\b")


def english_words(text: str, data: tuple[str, ...] = ()) -> list[str]:
    """Words of three or more Latin letters, once data and codes are taken out."""
    for value in sorted(data, key=len, reverse=True):
        if value:
            text = text.replace(value, " ")
    text = CODES.sub(" ", text)
    text = re.sub(r"「[^」]*」", " ", text)  # what is typed as is: a key, a URL, true/false
    text = re.sub(r"\([a-z]+(?:_[a-z]+)+\)", " ", text)  # a JSON key beside its name
    return re.findall(r"[A-Za-z]{3,}", text)


def chinese_chars(text: str, data: tuple[str, ...] = ()) -> list[str]:
    for value in sorted(data, key=len, reverse=True):
        if value:
            text = text.replace(value, " ")
    return CJK.findall(text)


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[None]:
    translator = install_translator(qapp, "zh_CN")
    assert translator is not None
    yield
    qapp.removeTranslator(translator)


def _params(wording: str) -> dict[str, str]:
    return {name: "7" for name in re.findall(r"\{(\w+)\}", wording)}


# ------------------------------------------------------------------ Qt's own words


def test_qt_yes_and_no_read_chinese(qapp, chinese) -> None:
    box = QMessageBox(QMessageBox.Icon.Question, "?", "?",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    assert box.button(QMessageBox.StandardButton.Yes).text().startswith("是")
    assert box.button(QMessageBox.StandardButton.No).text().startswith("否")


# ------------------------------------------------------------------ the catalogue


def test_every_wording_reads_chinese(qapp, chinese) -> None:
    english = {}
    for code in messages.catalogue():
        wording = messages.wording(code) or ""
        text = wording.format(**_params(wording))
        if english_words(text):
            english[code] = text
    assert not english, english


def test_every_wording_and_label_reads_english_without_chinese(qapp) -> None:
    chinese_found = {}
    for code in messages.catalogue():
        wording = messages.wording(code) or ""
        if chinese_chars(wording):
            chinese_found[code] = wording
    for name in dir(labels):
        fn = getattr(labels, name)
        if name.endswith("_names") and callable(fn):
            for key, text in fn().items():
                if chinese_chars(text):
                    chinese_found[f"{name}:{key}"] = text
    assert not chinese_found, chinese_found


# ------------------------------------------------------------------ screens


def _exceptions_screen(qtbot: QtBot, db: Database, actor: Actor) -> ExceptionsScreen:
    screen = show(qtbot, ExceptionsScreen(db, actor))
    idle(qtbot, lambda: screen.model.rowCount() > 0)
    return screen


def _data_of(detail: str) -> tuple[str, ...]:
    found = decode(detail) or []
    return tuple(str(v) for n in found for v in n.params.values())


def test_the_exception_queue_reads_chinese(qtbot: QtBot, routed_db, lead, chinese) -> None:
    screen = _exceptions_screen(qtbot, routed_db, lead)
    col = screen.model.column_of("detail")
    shown = [screen.model.data(screen.model.index(r, col)) for r in range(screen.model.rowCount())]
    english = {text: english_words(text, _data_of(item.detail))
               for text, item in zip(shown, screen.model.items, strict=True)}
    assert not {t: w for t, w in english.items() if w}
    # A refusal from the service, said in Chinese.
    item = next(it for it in screen.model.items if "fix_address" in it.actions)
    screen.table.selectRow(screen.model.row_of(item.order_no))
    idle(qtbot, lambda: screen.address["name"].text() != "")
    screen.address["city"].clear()
    screen.buttons["fix_address"].click()
    idle(qtbot, lambda: screen.message.is_error())
    assert screen.message.text() == "市为空。"


def test_the_exception_queue_reads_english(qtbot: QtBot, routed_db, lead) -> None:
    screen = _exceptions_screen(qtbot, routed_db, lead)
    col = screen.model.column_of("detail")
    for r, item in enumerate(screen.model.items):
        text = screen.model.data(screen.model.index(r, col))
        assert not chinese_chars(text, _data_of(item.detail)), text


def test_a_status_refusal_on_the_order_list_reads_chinese(qtbot: QtBot, routed_db, lead,
                                                          chinese) -> None:
    screen = show(qtbot, OrdersScreen(routed_db, lead))
    idle(qtbot, lambda: screen.model.rowCount() > 0)
    routed = orders.list_orders(routed_db, lead, orders.OrderFilter(statuses=("routed",)),
                                limit=1)[0]
    screen.search.setText(routed.order_no)
    qtbot.keyClick(screen.search, Qt.Key.Key_Return)
    idle(qtbot, lambda: screen.model.rowCount() == 1)
    screen.table.selectRow(0)
    idle(qtbot)
    orders.change_status(routed_db, system_actor(), routed.order_no, "cancelled", "test")
    screen.hold_button.click()  # the row still says routed; the database says no
    idle(qtbot, lambda: "不能从" in screen.summary.text())
    assert f"订单 {routed.order_no} 不能从“已取消”转为“挂起”。" in screen.summary.text()
    assert not english_words(screen.summary.text()), screen.summary.text()
    # Priorities as bands, history in words, times in China time.
    band_col = next(i for i, c in enumerate(screen.model.cols) if c.key == "priority")
    assert screen.model.data(screen.model.index(0, band_col)) in labels.band_names().values()
    detail = orders.order_detail(routed_db, lead, routed.order_no)
    html_text = render_detail(detail)
    assert "order.status" not in html_text and "UTC" not in html_text
    assert "状态: 新订单 → 待审核 → 待组波" in html_text
    assert timefmt.full(detail["history"][0]["at"]) in html_text
    # A VIP level is shown only for a VIP.
    assert ("VIP" in render_detail({**detail, "vip_level": 2}),
            "VIP" in render_detail({**detail, "vip_level": 0})) == (True, False)


def test_a_rule_refusal_reads_chinese_and_keeps_the_type_size(qtbot: QtBot, routed_db, lead,
                                                              chinese) -> None:
    screen = show(qtbot, RulesScreen(routed_db, lead))
    idle(qtbot, lambda: len(screen.rows) > 0)
    row = screen.rows["high_value_review"]
    size = row.params.fontInfo().pointSize()
    assert size >= READABLE_POINTS
    row.params.clear()
    qtbot.keyClicks(row.params, '{"threshold_fen": -5}')
    qtbot.keyClick(row.params, Qt.Key.Key_Return)
    idle(qtbot, lambda: screen.message.is_error())
    assert "threshold_fen" in screen.message.text()
    assert not english_words(screen.message.text()), screen.message.text()
    # Edited again, then saved: neither the field nor the message line has shrunk.
    qtbot.keyClick(row.params, Qt.Key.Key_Backspace)
    assert row.params.property("invalid") is False
    assert row.params.fontInfo().pointSize() == size
    row.params.setText('{"threshold_fen": 600000}')
    row.save.click()
    idle(qtbot, lambda: not screen.message.is_error() and screen.message.text() != "")
    assert screen.message.fontInfo().pointSize() >= READABLE_POINTS
    assert screen.rows["high_value_review"].params.fontInfo().pointSize() == size


# ------------------------------------------------------------------ offline


@pytest.fixture
def unreachable() -> Iterator[Database]:
    db = Database.from_url("postgresql+psycopg://nobody@127.0.0.1:1/none", connect_timeout=1)
    yield db
    assert tasks.wait_idle(10_000)
    db.dispose()


def test_the_order_list_says_the_central_database_is_unreachable(
        qtbot: QtBot, unreachable, chinese, caplog) -> None:
    lead = Actor(user_id=2, code="lead01", name="王组长",
                 role=__import__("app.domain.roles", fromlist=["Role"]).Role.SHIFT_LEAD,
                 station="ST-TEST")
    caplog.set_level(logging.INFO)
    screen = show(qtbot, OrdersScreen(unreachable, lead))
    idle(qtbot, lambda: offline_text() in screen.summary.text())
    assert "\n" not in screen.summary.text()
    assert screen.summary.text().count(offline_text()) == 1
    assert not english_words(screen.summary.text()), screen.summary.text()
    assert "无法连接中心数据库" in screen.summary.text()
    assert not [r for r in caplog.records if r.exc_info], "no traceback for being offline"


def test_the_handover_screen_says_the_central_database_is_unreachable(
        qtbot: QtBot, unreachable, caplog) -> None:
    from app.domain.roles import Role

    lead = Actor(user_id=2, code="lead01", name="王组长", role=Role.SHIFT_LEAD,
                 station="ST-TEST")
    caplog.set_level(logging.INFO)
    screen = show(qtbot, HandoverScreen(unreachable, lead))
    idle(qtbot, lambda: offline_text() in screen.prompt.text())
    assert "psycopg" not in screen.prompt.text() and "OperationalError" not in \
        screen.prompt.text()
    assert not [r for r in caplog.records if r.exc_info], "no traceback for being offline"


# ------------------------------------------------------------------ China time


@pytest.fixture
def new_york() -> Iterator[None]:
    """The PC set to another zone: China time must not follow it."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def test_times_show_in_china_time_whatever_the_pc_zone(new_york) -> None:
    from app.ui.orders_model import local_time

    noon_utc = datetime(2026, 11, 11, 12, 0, tzinfo=UTC)
    assert timefmt.short(noon_utc) == "11-11 20:00"
    assert timefmt.full("2026-11-11T16:30:05+00:00") == "2026-11-12 00:30:05"
    assert timefmt.clock(datetime(2026, 11, 11, 12, 0)) == "20:00:00"  # naive = stored UTC
    assert local_time(noon_utc) == "11-11 20:00"


def test_the_exception_queue_shows_when_it_was_raised_in_china_time(
        qtbot: QtBot, routed_db, lead, new_york) -> None:
    screen = _exceptions_screen(qtbot, routed_db, lead)
    item = exceptions.queue(routed_db, lead)[0]
    idle(qtbot, lambda: timefmt.full(item.raised_at) in screen.facts.text())
