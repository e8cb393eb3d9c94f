"""The window a person uses: log in by password or badge, see and search the order list."""

from __future__ import annotations

import threading

import pytest
from pytestqt.qtbot import QtBot

from app.domain.roles import Role
from app.services import orders
from app.services.context import system_actor
from app.ui import tasks
from app.ui.app import install_translator
from app.ui.main_window import MainWindow
from app.ui.qt import QApplication, QCoreApplication, Qt, is_alive
from tests.helpers.screens import issue_badge

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
    """The order list on screen (a shift lead lands on the dashboard), its first page in."""
    screen = window.open_screens["orders"]
    window.go_to_row(_nav_keys(window).index("orders"))
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
    assert window.login.message.text() == "Unknown user or wrong password."
    assert window.login.password.text() == ""


def test_badge_scan_logs_in_without_a_password(qtbot: QtBot, gui_db) -> None:
    badge = issue_badge(gui_db, "packer01")
    window = _window(qtbot, gui_db)
    # A wedge scanner types the badge and Enter into the focused user field.
    qtbot.keyClicks(window.login.user, badge)
    assert window.login.user.text() == "USR-••••"  # never the badge itself
    qtbot.keyClick(window.login.user, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.actor is not None, timeout=10_000)
    assert window.actor.code == "packer01"
    assert window.actor.role is Role.PACKER
    _orders_loaded(qtbot, window)
    nav_keys = [window.nav.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(window.nav.count())]
    # Without a station store there is no packing bench: the packer looks orders up.
    assert nav_keys == ["orders", "devices"]


def test_unknown_badge_is_refused(qtbot: QtBot, gui_db) -> None:
    window = _window(qtbot, gui_db)
    qtbot.keyClicks(window.login.user, "USR-nobody")
    qtbot.keyClick(window.login.user, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.login.button.isEnabled() and not tasks.pending(),
                    timeout=10_000)
    assert window.actor is None
    # The old badges (USR- and the user code) are no badges any more.
    assert window.login.message.text() == "This badge is not recognised."
    assert window.login.user.text() == ""


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
    assert "Received: New" in text and "order.created" not in text

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


def test_enter_pressed_twice_logs_in_once(qtbot: QtBot, gui_db) -> None:
    from sqlalchemy import func, select

    from app.store.models import AuditEntry

    window = _window(qtbot, gui_db)
    qtbot.keyClicks(window.login.user, "lead01")
    qtbot.keyClicks(window.login.password, "lead123")
    qtbot.keyClick(window.login.password, Qt.Key.Key_Return)
    qtbot.keyClick(window.login.password, Qt.Key.Key_Return)
    qtbot.keyClick(window.login.button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.actor is not None and not tasks.pending(), timeout=10_000)
    _orders_loaded(qtbot, window)
    with gui_db.reader() as s:
        logins = s.scalar(select(func.count()).select_from(AuditEntry)
                          .where(AuditEntry.action == "user.login"))
    assert logins == 1
    assert window.stack.count() == 2  # the login and one workspace


def _slow_deep_pages(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """Deep pages and the detail pane answer `seconds` late, as they do on a big PostgreSQL
    table (a delay on purpose: the order the answers arrive in is what is tested)."""
    import time

    real_list, real_detail = orders.list_orders, orders.order_detail

    def slow_list(*args, **kwargs):
        if kwargs.get("offset", 0) > 0:
            time.sleep(seconds)
        return real_list(*args, **kwargs)

    def slow_detail(*args, **kwargs):
        time.sleep(seconds)
        return real_detail(*args, **kwargs)

    monkeypatch.setattr(orders, "list_orders", slow_list)
    monkeypatch.setattr(orders, "order_detail", slow_detail)


def _held_deep_pages(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Deep pages and the detail pane answer only once the returned event is set."""
    answer = threading.Event()
    real_list, real_detail = orders.list_orders, orders.order_detail

    def held_list(*args, **kwargs):
        if kwargs.get("offset", 0) > 0:
            assert answer.wait(30), "the test never let the page answer"
        return real_list(*args, **kwargs)

    def held_detail(*args, **kwargs):
        assert answer.wait(30), "the test never let the detail answer"
        return real_detail(*args, **kwargs)

    monkeypatch.setattr(orders, "list_orders", held_list)
    monkeypatch.setattr(orders, "order_detail", held_detail)
    return answer


def test_logout_while_a_page_is_loading_drops_its_answer(qtbot: QtBot, gui_db,
                                                         monkeypatch) -> None:
    answer = _held_deep_pages(monkeypatch)
    window = _window(qtbot, gui_db)
    _login(qtbot, window, "lead01", "lead123")
    screen = _orders_loaded(qtbot, window)
    try:
        screen.table.scrollToBottom()  # a deep page asked when painted (offscreen: maybe not)
        screen.table.selectRow(0)  # a detail request in flight, held
        qtbot.waitUntil(lambda: tasks.pending() >= 1, timeout=10_000)
        window.logout_action.trigger()  # the screen and its model are deleted
        qtbot.waitUntil(lambda: not is_alive(screen), timeout=10_000)
        assert tasks.pending()  # the answers are still out
    finally:
        answer.set()  # also when the test failed above: no task is left waiting
    # Back only once every answer was delivered (to nobody): one raising would fail the test.
    assert tasks.wait_idle(10_000)
    assert window.stack.currentWidget() is window.login


def test_a_page_painted_during_a_refresh_belongs_to_the_new_query(qtbot: QtBot, gui_db,
                                                                   monkeypatch) -> None:
    window = _window(qtbot, gui_db)
    _login(qtbot, window, "lead01", "lead123")
    screen = _orders_loaded(qtbot, window)
    import time

    real_count = orders.count_orders

    def slow_count(*args, **kwargs):
        time.sleep(0.3)  # late on purpose, as below
        return real_count(*args, **kwargs)

    # The count answers in 0.3 s and a deep page in 0.6 s: a page asked for during the count
    # comes back after the first page, which is when a stale total would misplace it.
    monkeypatch.setattr(orders, "count_orders", slow_count)
    _slow_deep_pages(monkeypatch, seconds=0.6)
    screen.kind.setCurrentIndex(screen.kind.findData(False))  # spot only: fewer rows
    screen.model.data(screen.model.index(250, 0))  # painted before the new count arrives
    # Waiting for the count, the event loop runs the page pump for the 0.3 s it is out.
    qtbot.waitUntil(lambda: screen.model.filter.presale is False and not tasks.pending()
                    and screen.model.rowCount() < SEEDED, timeout=10_000)
    screen.table.scrollToBottom()
    qtbot.waitUntil(lambda: screen.model.row_at(screen.model.rowCount() - 1) is not None,
                    timeout=10_000)
    truth = [r.order_no for r in orders.list_orders(
        gui_db, system_actor(), orders.OrderFilter(presale=False), limit=SEEDED)]
    shown = [screen.model.row_at(i) for i in range(screen.model.rowCount())]
    assert [r.order_no for r in shown if r is not None] == [
        t for i, t in enumerate(truth) if shown[i] is not None]
    assert shown[-1] is not None and shown[-1].order_no == truth[-1]


def test_warehouse_filter_lists_the_warehouses_and_filters(qtbot: QtBot, gui_db) -> None:
    from app.services import engine

    engine.run_once(gui_db, system_actor())
    window = _window(qtbot, gui_db)
    _login(qtbot, window, "lead01", "lead123")
    screen = _orders_loaded(qtbot, window)
    qtbot.waitUntil(lambda: screen.warehouse.count() == 4, timeout=10_000)
    screen.warehouse.setCurrentIndex(screen.warehouse.findData("GZ"))
    expected = orders.count_orders(gui_db, system_actor(), orders.OrderFilter(warehouse="GZ"))
    assert 0 < expected < SEEDED
    qtbot.waitUntil(lambda: screen.model.rowCount() == expected and not tasks.pending(),
                    timeout=10_000)
    assert all(screen.model.row_at(i).warehouse == "GZ" for i in range(min(expected, 50)))


def test_the_status_bar_says_whether_the_station_is_in_sync(qtbot: QtBot, gui_db) -> None:
    from datetime import UTC, datetime, timedelta

    from app.station.outbox import SyncState

    window = _window(qtbot, gui_db)
    window.show_sync(False, SyncState(pending=3, oldest_pending_at=datetime.now(UTC)
                                      - timedelta(minutes=7)))
    assert "OFFLINE" in window.sync_label.text() and "3" in window.sync_label.text()
    assert "7" in window.sync_label.text()
    window.show_sync(True, SyncState(pending=0, last_pushed_at=datetime.now(UTC), refused=1))
    text = window.sync_label.text()
    assert "Online" in text and "1 conflicts" in text


def test_a_packed_order_the_centre_refused_is_told_to_the_packer_once(qtbot: QtBot,
                                                                      gui_db) -> None:
    from datetime import UTC, datetime, timedelta

    from app.station.outbox import Problem, SyncState
    from app.ui import feedback

    window = _window(qtbot, gui_db)
    before = Problem.of("e0", "pack.confirmed", {"order_no": "PL0000000000001"}, "conflict",
                        "sync_conflict", "packed twice", datetime.now(UTC) - timedelta(hours=1))
    window.show_sync(True, SyncState(refused=1, problems=(before,)))
    assert window.banner.isHidden()  # refused before this window opened
    assert "PL0000000000001" in window.sync_label.toolTip()
    stopped = Problem.of("e1", "pack.confirmed", {"order_no": "PL0000000000002"}, "conflict",
                         "intercepted_after_pack", "PL0000000000002 was intercepted",
                         datetime.now(UTC))
    assert (stopped.category, stopped.order_no) == ("intercepted_after_pack", "PL0000000000002")
    feedback.played.clear()  # it keeps only the last 50 sounds
    sounds = 0
    window.show_sync(True, SyncState(refused=2, problems=(stopped, before)))
    told = window.problem_banner.text()
    assert not window.banner.isHidden()
    assert "PL0000000000002" in told and "intercepted" in told
    assert feedback.played[sounds:] == ["error"]
    later = Problem.of("e2", "pack.confirmed", {"order_no": "PL0000000000003"}, "conflict",
                       "sync_conflict", "packed twice", datetime.now(UTC))
    window.show_sync(True, SyncState(refused=3, problems=(later, stopped, before)))
    told = window.problem_banner.text()  # added to, not replaced: neither is acknowledged
    assert "PL0000000000002" in told and "PL0000000000003" in told
    qtbot.mouseClick(window.problem_ok, Qt.MouseButton.LeftButton)
    assert window.banner.isHidden()
    window.show_sync(True, SyncState(refused=3, problems=(later, stopped, before)))
    assert window.banner.isHidden()  # told once, not every round


def test_login_works_offline_from_the_station_list(qtbot: QtBot, gui_db, tmp_path) -> None:
    from app.store.db import Database
    from tests.helpers.packing import station

    runtime = station(gui_db, tmp_path / "home")
    runtime.pull_changes()  # the users, for logging in offline
    unreachable = Database.from_url("postgresql+psycopg://nobody@127.0.0.1:1/none",
                                    connect_timeout=1)
    window = MainWindow(unreachable, "ST-TEST", "test", runtime=runtime)
    qtbot.addWidget(window)
    window.show()
    try:
        _login(qtbot, window, "packer01", "packer123")
        assert window.actor.code == "packer01"
    finally:
        window.logout()
        runtime.store.dispose()
        unreachable.dispose()


def _nav_keys(window: MainWindow) -> list[str]:
    return [window.nav.item(i).data(Qt.ItemDataRole.UserRole) for i in range(window.nav.count())]


@pytest.mark.parametrize(("user", "password", "expected"), [
    ("packer01", "packer123", ["packing", "handover", "printing", "orders", "devices"]),
    ("picker01", "picker123", ["picking", "devices"]),
    ("lead01", "lead123", ["dashboard", "orders", "waves", "exceptions", "picking", "packing",
                           "handover", "campaigns", "rules", "printing", "devices"]),
])
def test_each_role_lands_on_its_own_work_and_sees_only_its_screens(
        qtbot: QtBot, gui_db, tmp_path, user: str, password: str,
        expected: list[str]) -> None:
    from tests.helpers.packing import station

    runtime = station(gui_db, tmp_path / "home")
    window = MainWindow(gui_db, "ST-TEST", "test", runtime=runtime)
    qtbot.addWidget(window)
    window.show()
    try:
        _login(qtbot, window, user, password)
        assert _nav_keys(window) == expected
        landing = expected[0]
        assert window.current_screen_key() == landing
        assert window.pages.currentWidget().widget() is window.open_screens[landing]
        # Each screen has its key, shown next to its name; Alt+n opens the n-th.
        # Ten keys: an eleventh screen is reached from the list.
        for row in range(window.nav.count()):
            shown = window.nav.item(row).text()
            if row < 10:
                assert shown.endswith(f"Alt+{(row + 1) % 10}"), shown
            else:
                assert "Alt+" not in shown, shown
        qtbot.keyClick(window.current_screen(), Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
        assert window.current_screen_key() == expected[1]
        assert window.pages.currentWidget().widget() is window.open_screens[expected[1]]
        qtbot.keyClick(window.current_screen(), Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
        assert window.current_screen_key() == landing
        # The keyboard arrives with the screen: a scan goes straight into its field.
        scan_fields = {"packing": "packEntry", "picking": "scanEntry", "orders": "orderSearch"}
        focused = QApplication.focusWidget()
        assert focused is not None
        assert window.open_screens[landing].isAncestorOf(focused)
        if landing in scan_fields:
            assert focused.objectName() == scan_fields[landing]
        # A narrower station: the window takes its width, whichever screens the role has,
        # and the list keeps its names whole.
        window.resize(1000, 700)
        qtbot.waitUntil(lambda: window.width() < 1400, timeout=10_000)
        assert window.width() == 1000
        assert window.nav.viewport().width() >= window.nav.sizeHintForColumn(0)
        assert tasks.wait_idle(20_000)
    finally:
        window.logout()
        assert tasks.wait_idle(20_000)
        runtime.store.dispose()
