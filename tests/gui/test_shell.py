"""The window a person uses: log in by password or badge, see and search the order list."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from app.domain.roles import Role
from app.services import orders
from app.services.context import system_actor
from app.ui import tasks
from app.ui.app import install_translator
from app.ui.main_window import MainWindow
from app.ui.qt import QApplication, QCoreApplication, Qt

SEEDED = 300


def _window(qtbot: QtBot, db) -> MainWindow:
    window = MainWindow(db, "ST-TEST", "test")
    qtbot.addWidget(window)
    window.show()
    return window


def _login(qtbot: QtBot, window: MainWindow, user: str, password: str) -> None:
    qtbot.keyClicks(window.login.user, user)
    qtbot.keyClicks(window.login.password, password)
    qtbot.keyClick(window.login.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.actor is not None, timeout=10_000)


def _orders_loaded(qtbot: QtBot, window: MainWindow):
    screen = window.open_screens["orders"]
    qtbot.waitUntil(lambda: screen.model.rowCount() > 0 and not tasks.pending(),
                    timeout=10_000)
    return screen


def test_password_login_shows_the_order_list(qtbot: QtBot, gui_db) -> None:
    window = _window(qtbot, gui_db)
    _login(qtbot, window, "lead01", "lead123")
    assert window.actor.role is Role.SHIFT_LEAD
    assert window.stack.currentWidget() is window.workspace
    screen = _orders_loaded(qtbot, window)
    assert screen.model.rowCount() == SEEDED
    assert "300" in screen.summary.text()
    first = screen.model.data(screen.model.index(0, 0))
    expected = orders.list_orders(gui_db, system_actor(), orders.OrderFilter(), limit=1)[0]
    assert first == expected.order_no
    assert "lead01" in window.user_label.text()


def test_wrong_password_is_refused_and_stays_on_login(qtbot: QtBot, gui_db) -> None:
    window = _window(qtbot, gui_db)
    qtbot.keyClicks(window.login.user, "lead01")
    qtbot.keyClicks(window.login.password, "not-the-password")
    qtbot.keyClick(window.login.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.login.button.isEnabled() and not tasks.pending(),
                    timeout=10_000)
    assert window.actor is None
    assert window.stack.currentWidget() is window.login
    assert "refused" in window.login.message.text()
    assert window.login.password.text() == ""


def test_badge_scan_logs_in_without_a_password(qtbot: QtBot, gui_db) -> None:
    window = _window(qtbot, gui_db)
    # A wedge scanner types the badge and Enter into the focused user field.
    qtbot.keyClicks(window.login.user, "USR-packer01")
    qtbot.keyClick(window.login.user, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.actor is not None, timeout=10_000)
    assert window.actor.code == "packer01"
    assert window.actor.role is Role.PACKER
    _orders_loaded(qtbot, window)
    nav_keys = [window.nav.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(window.nav.count())]
    assert nav_keys == ["orders"]


def test_unknown_badge_is_refused(qtbot: QtBot, gui_db) -> None:
    window = _window(qtbot, gui_db)
    qtbot.keyClicks(window.login.user, "USR-nobody")
    qtbot.keyClick(window.login.user, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.login.button.isEnabled() and not tasks.pending(),
                    timeout=10_000)
    assert window.actor is None
    assert "refused" in window.login.message.text()


def test_search_filter_and_detail(qtbot: QtBot, gui_db) -> None:
    window = _window(qtbot, gui_db)
    _login(qtbot, window, "lead01", "lead123")
    screen = _orders_loaded(qtbot, window)
    target = orders.list_orders(gui_db, system_actor(), orders.OrderFilter(), offset=123,
                                limit=1)[0]
    qtbot.keyClicks(screen.search, target.channel_order_no)
    qtbot.keyClick(screen.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1 and not tasks.pending(),
                    timeout=10_000)
    assert screen.model.data(screen.model.index(0, 0)) == target.order_no
    screen.table.selectRow(0)
    qtbot.waitUntil(lambda: target.order_no in screen.detail.toPlainText(), timeout=10_000)
    text = screen.detail.toPlainText()
    assert target.receiver_name in text
    assert "order.created" in text

    screen.search.clear()
    presale_index = screen.kind.findData(True)
    screen.kind.setCurrentIndex(presale_index)
    expected = orders.count_orders(gui_db, system_actor(), orders.OrderFilter(presale=True))
    assert 0 < expected < SEEDED
    qtbot.waitUntil(lambda: screen.model.rowCount() == expected and not tasks.pending(),
                    timeout=10_000)


def test_header_click_sorts_in_sql_and_unsortable_columns_do_nothing(qtbot: QtBot,
                                                                      gui_db) -> None:
    window = _window(qtbot, gui_db)
    _login(qtbot, window, "lead01", "lead123")
    screen = _orders_loaded(qtbot, window)
    amount_col = next(i for i, c in enumerate(screen.model.cols) if c.key == "amount")
    screen.table.sortByColumn(amount_col, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: screen.model.sort_key == "amount" and not tasks.pending(),
                    timeout=10_000)
    shown = [screen.model.row_at(i).amount_fen for i in range(50)]
    assert shown == sorted(shown)
    receiver_col = next(i for i, c in enumerate(screen.model.cols) if c.key == "receiver")
    screen.table.sortByColumn(receiver_col, Qt.SortOrder.AscendingOrder)
    assert tasks.wait_idle()
    assert screen.model.sort_key == "amount"
    assert screen.table.horizontalHeader().sortIndicatorSection() == amount_col


def test_scrolling_to_the_end_fetches_the_last_page(qtbot: QtBot, gui_db) -> None:
    window = _window(qtbot, gui_db)
    _login(qtbot, window, "lead01", "lead123")
    screen = _orders_loaded(qtbot, window)
    last = screen.model.rowCount() - 1
    assert screen.model.row_at(last) is None  # only the first page is there yet
    screen.table.scrollToBottom()
    qtbot.waitUntil(lambda: screen.model.row_at(last) is not None, timeout=10_000)
    everything = orders.list_orders(gui_db, system_actor(), orders.OrderFilter(),
                                    limit=SEEDED)
    assert screen.model.row_at(last).order_no == everything[-1].order_no
    assert tasks.wait_idle()


def test_logout_returns_to_login(qtbot: QtBot, gui_db) -> None:
    window = _window(qtbot, gui_db)
    _login(qtbot, window, "lead01", "lead123")
    _orders_loaded(qtbot, window)
    window.logout_action.trigger()
    assert window.actor is None
    assert window.stack.currentWidget() is window.login
    assert window.user_label.text() == ""


@pytest.fixture
def chinese(qapp: QApplication):
    translator = install_translator(qapp, "zh_CN")
    assert translator is not None, "packline_zh_CN.qm missing"
    yield
    qapp.removeTranslator(translator)


def test_chinese_translation_is_shipped_and_used(qtbot: QtBot, gui_db, chinese) -> None:
    assert QCoreApplication.translate("labels", "Awaiting balance") == "待尾款"
    window = _window(qtbot, gui_db)
    _login(qtbot, window, "lead01", "lead123")
    screen = _orders_loaded(qtbot, window)
    status_col = next(i for i, c in enumerate(screen.model.cols) if c.key == "status")
    assert screen.model.data(screen.model.index(0, status_col)) == "新订单"
    assert screen.model.headerData(0, Qt.Orientation.Horizontal) == "订单号"
