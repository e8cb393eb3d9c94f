"""What the packing screen says, as a packer reads it: an item of another order names that
order; 暂停 (F3) says the order is set aside and the list words its status; a single-item
wave's card shows the wave and its count, or that it is not picked yet; a reprint names its
tracking numbers; a misread barcode is "scan again", not a wrong item; an order not picked
or not held offline is refused in words; the receiver, the buyer's remark and the box to
take are shown; the English screen has no Chinese on it and its columns fit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from app.services import engine, waves
from app.services.context import system_actor
from app.store.db import Database, make_engine
from app.store.models import Order, OrderLine, Sku, Wave, WaveOrder
from app.ui.packing_screen import PackingScreen
from app.ui.qt import Qt
from tests.helpers.packing import (
    actor,
    busiest_warehouse,
    pick_to_the_end,
    picked_wave,
    single_item_wave,
    station,
    unit_codes,
)

pytestmark = pytest.mark.timeout(180)
TIMEOUT = 20_000
CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(autouse=True)
def _sounds_forgotten():
    """`feedback.played` keeps the last 50 sounds; tests after these count on it growing."""
    from app.ui import feedback

    yield
    feedback.played.clear()


@pytest.fixture
def packing(qtbot: QtBot, gui_db, tmp_path: Path):
    orders = picked_wave(gui_db)
    runtime = station(gui_db, tmp_path / "home")
    runtime.start()
    screen = PackingScreen(runtime, actor(gui_db, "packer01"))
    qtbot.addWidget(screen)
    screen.resize(1000, 700)
    screen.show()
    _settled(qtbot, screen)
    yield gui_db, orders, runtime, screen
    runtime.stop()


def _settled(qtbot: QtBot, screen: PackingScreen) -> None:
    qtbot.waitUntil(lambda: not screen.busy and not screen.pending, timeout=TIMEOUT)


def _scan(qtbot: QtBot, screen: PackingScreen, text: str) -> str:
    screen.submit("scan", text)
    _settled(qtbot, screen)
    return screen.prompt.text()


def _open(qtbot: QtBot, screen: PackingScreen, order_no: str) -> None:
    _scan(qtbot, screen, order_no)
    qtbot.waitUntil(lambda: screen.order_label.text() == order_no, timeout=TIMEOUT)


def test_an_item_of_another_order_names_that_order(qtbot: QtBot, packing) -> None:
    db, orders, _rt, screen = packing
    mine = set(unit_codes(db, orders[0]))
    other, code = next((no, c) for no in orders[1:] for c in unit_codes(db, no)
                       if c not in mine)
    _open(qtbot, screen, orders[0])
    text = _scan(qtbot, screen, code)
    assert screen.prompt.property("feedback") == "error"
    assert other in text and orders[0] not in text


def test_set_aside_says_so_and_the_list_words_it(qtbot: QtBot, packing) -> None:
    db, orders, _rt, screen = packing
    _open(qtbot, screen, orders[0])
    _scan(qtbot, screen, unit_codes(db, orders[0])[0])
    qtbot.keyClick(screen, Qt.Key.Key_F3)
    _settled(qtbot, screen)
    qtbot.waitUntil(lambda: screen.paused.count() == 1, timeout=TIMEOUT)
    assert orders[0] in screen.prompt.text() and "set aside" in screen.prompt.text()
    assert screen.order_label.text() == "" and screen.lines.rowCount() == 0
    item = screen.paused.item(0)
    assert item.text() == f"{orders[0]}  set aside" and "paused" not in item.text()
    # Taking it up again from the list.
    screen.paused.itemActivated.emit(item)
    _settled(qtbot, screen)
    qtbot.waitUntil(lambda: screen.order_label.text() == orders[0], timeout=TIMEOUT)


def test_a_reprint_names_its_tracking_number(qtbot: QtBot, packing) -> None:
    db, orders, _rt, screen = packing
    _open(qtbot, screen, orders[0])
    for code in unit_codes(db, orders[0]):
        _scan(qtbot, screen, code)
    assert screen.prompt.property("feedback") == "done"
    (number,) = screen.view.printed
    qtbot.keyClick(screen, Qt.Key.Key_F5)
    _settled(qtbot, screen)
    qtbot.waitUntil(lambda: "again" in screen.prompt.text(), timeout=TIMEOUT)
    assert number in screen.prompt.text() and "()" not in screen.prompt.text()


def test_a_misread_barcode_is_scan_again_not_a_wrong_item(qtbot: QtBot, packing) -> None:
    db, orders, rt, screen = packing
    _open(qtbot, screen, orders[0])
    before = screen.lines.item(0, 2).text()
    text = _scan(qtbot, screen, "6901234567891")  # 6901234567892 with a wrong check digit
    assert screen.prompt.property("feedback") == "error"
    assert "unreadable" in text and "Wrong item" not in text
    assert screen.lines.item(0, 2).text() == before
    from app.station.models import PackEvent

    with rt.store.reader() as s:  # written before it was acted on, like every scan
        assert s.scalars(select(PackEvent.reason).where(
            PackEvent.accepted.is_(False))).all() == ["unreadable"]


def test_receiver_remark_and_box_are_shown(qtbot: QtBot, packing) -> None:
    db, orders, _rt, screen = packing
    with db.unit_of_work() as s:
        s.execute(update(Order).where(Order.order_no == orders[1])
                  .values(remark="请用纸箱，不要放发票", receiver_phone="13812345678"))
        name, city = s.execute(select(Order.receiver_name, Order.city)
                               .where(Order.order_no == orders[1])).one()
    _open(qtbot, screen, orders[1])
    receiver = screen.receiver_label.text()
    assert name in receiver and city in receiver and "138****5678" in receiver
    assert "13812345678" not in receiver
    assert screen.remark_label.isVisible() and "请用纸箱，不要放发票" in screen.remark_label.text()
    assert screen.box_label.text().startswith("Box:")
    _open(qtbot, screen, orders[2])  # no remark: nothing shown for it
    assert not screen.remark_label.isVisible()


def test_the_english_screen_is_english_and_its_columns_fit(qtbot: QtBot, packing) -> None:
    db, orders, _rt, screen = packing
    with db.unit_of_work() as s:  # a long product name, as real ones are
        sku_id = s.scalar(select(OrderLine.sku_id).join(Order).where(
            Order.order_no == orders[0]).limit(1))
        s.execute(update(Sku).where(Sku.id == sku_id).values(
            name="超长商品名称 加厚保温不锈钢真空保温杯 大容量 户外运动水杯 1000ml 礼盒装"))
    _open(qtbot, screen, orders[0])
    for button in screen.buttons.values():
        assert not CJK.search(button.text()), button.text()
    header = screen.lines.horizontalHeader()
    viewport = screen.lines.viewport().width()
    for column in (2, 3):
        title = screen.lines.horizontalHeaderItem(column).text()
        assert screen.lines.columnWidth(column) >= header.fontMetrics().horizontalAdvance(
            title), title
        assert screen.lines.columnViewportPosition(column) + \
            screen.lines.columnWidth(column) <= viewport, title


def test_an_order_not_picked_is_refused_in_words(qtbot: QtBot, gui_db, tmp_path: Path) -> None:
    engine.run_once(gui_db, system_actor())
    wh = busiest_warehouse(gui_db, "per_order", max_orders=2, max_cells=2)
    (r,) = waves.release(gui_db, system_actor(), wh, "per_order", max_orders=2, max_cells=2,
                         max_waves=1)
    with gui_db.reader() as s:
        order_no = s.scalar(select(Order.order_no).join(WaveOrder).join(Wave).where(
            Wave.wave_no == r.wave_no).limit(1))
    runtime = station(gui_db, tmp_path / "home")
    runtime.start()
    try:
        screen = PackingScreen(runtime, actor(gui_db, "packer01"))
        qtbot.addWidget(screen)
        screen.show()
        _settled(qtbot, screen)
        text = _scan(qtbot, screen, order_no)
        assert screen.prompt.property("feedback") == "error"
        assert f"Order {order_no} is still in wave {r.wave_no}, not picked yet" in text
        assert screen.order_label.text() == ""
    finally:
        runtime.stop()


def test_a_single_item_wave_card_shows_the_wave(qtbot: QtBot, gui_db, tmp_path: Path) -> None:
    r = single_item_wave(gui_db, orders=3, picked=False)
    runtime = station(gui_db, tmp_path / "home")
    runtime.start()
    try:
        screen = PackingScreen(runtime, actor(gui_db, "packer01"))
        qtbot.addWidget(screen)
        screen.show()
        _settled(qtbot, screen)
        text = _scan(qtbot, screen, r.wave_no)  # released, nobody picked it yet
        assert screen.prompt.property("feedback") == "error"
        assert r.wave_no in text and "not picked yet" in text
        pick_to_the_end(gui_db, actor(gui_db, "picker01"), r.wave_no)
        text = _scan(qtbot, screen, r.wave_no)
        assert screen.prompt.property("feedback") == "ok"
        assert r.wave_no in text and f"{r.orders} of {r.orders} orders left" in text
        assert screen.wave_label.text() == f"{r.wave_no} · {r.orders} of {r.orders} orders left"
        _scan(qtbot, screen, next(iter(r.units.values())))
        assert screen.prompt.property("feedback") == "done"
        left = r.orders - 1
        assert screen.wave_label.text() == f"{r.wave_no} · {left} of {r.orders} orders left"
    finally:
        runtime.stop()


def test_an_order_not_held_offline_says_so(qtbot: QtBot, tmp_path: Path) -> None:
    gone = Database(make_engine("postgresql+psycopg://postgres@127.0.0.1:9/nowhere",
                                connect_timeout=1))
    runtime = station(gone, tmp_path / "home")
    try:
        from app.domain.roles import Role
        from app.services.context import Actor

        screen = PackingScreen(runtime, Actor(user_id=1, code="packer01", name="packer",
                                              role=Role.PACKER, station=runtime.code))
        qtbot.addWidget(screen)
        screen.show()
        _settled(qtbot, screen)
        text = _scan(qtbot, screen, "PL2611110000123")
        assert screen.prompt.property("feedback") == "error"
        assert "Order PL2611110000123 is not available offline" in text
        assert "OperationalError" not in text and "psycopg" not in text
    finally:
        gone.dispose()
