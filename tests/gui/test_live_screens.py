"""Screens follow changes by themselves: a service's commit on any thread, or a write by another
process noticed by the watcher, reloads the screens that show it — off the GUI thread, keeping
the order list's selection and scroll position — and a rolled-back change announces nothing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import event, func, select

from app.services import auth, engine, exceptions, rules, waves
from app.services.changes import Change
from app.services.context import Actor, system_actor
from app.services.errors import ServiceError
from app.services.watch import Watcher
from app.store.db import Database
from app.store.models import Order
from app.ui import changes as ui_changes
from app.ui import tasks
from app.ui.exceptions_screen import ExceptionsScreen
from app.ui.orders_screen import OrdersScreen
from app.ui.qt import QWidget
from tests.helpers.cli import packline_process
from tests.helpers.packing import busiest_warehouse

TIMEOUT = 20_000


@pytest.fixture(autouse=True)
def hub() -> Iterator[ui_changes.ChangeHub]:
    ui_changes.close_hub()
    yield ui_changes.hub()
    ui_changes.close_hub()


@pytest.fixture
def lead(gui_db: Database) -> Actor:
    return auth.login_password(gui_db, "lead01", "lead123", "ST-TEST")


@pytest.fixture
def gui_thread_queries(gui_db: Database) -> Iterator[list[str]]:
    """Every statement the GUI thread sends to the database (there must be none)."""
    seen: list[str] = []
    main = threading.main_thread()

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if threading.current_thread() is main:
            seen.append(statement)

    event.listen(gui_db.bind, "before_cursor_execute", record)
    yield seen
    event.remove(gui_db.bind, "before_cursor_execute", record)


def _show(qtbot: QtBot, widget: QWidget) -> Any:
    qtbot.addWidget(widget)
    widget.resize(1500, 850)
    widget.show()
    return widget


def _in_thread(fn: Any, *args: Any) -> threading.Thread:
    thread = threading.Thread(target=fn, args=args)
    thread.start()
    return thread


def _off_gui_thread(fn: Any) -> Any:
    result: list[Any] = []
    thread = threading.Thread(target=lambda: result.append(fn()))
    thread.start()
    thread.join()
    return result[0]


def _open_exceptions(db: Database, actor: Actor) -> int:
    return sum(exceptions.counts(db, actor).values())


def test_a_commit_on_a_worker_thread_updates_the_exception_count_and_the_order_list(
        qtbot: QtBot, gui_db: Database, lead: Actor, gui_thread_queries: list[str]) -> None:
    queue = _show(qtbot, ExceptionsScreen(gui_db, lead))
    listing = _show(qtbot, OrdersScreen(gui_db, lead))
    qtbot.waitUntil(lambda: listing.model.rowCount() > 0 and not tasks.pending(),
                    timeout=TIMEOUT)
    assert queue.category.itemText(0) == "All exceptions (0)"
    before_total = listing.model.rowCount()
    # The lead has picked an order further down and scrolled there.
    row = 150
    listing.table.scrollTo(listing.model.index(row, 0))
    qtbot.waitUntil(lambda: listing.model.row_at(row) is not None and not tasks.pending(),
                    timeout=TIMEOUT)
    listing.table.selectRow(row)
    chosen = listing.model.row_at(row)
    assert chosen is not None and chosen.status == "new"
    scrolled = listing.table.verticalScrollBar().value()
    assert scrolled > 0
    qtbot.waitUntil(lambda: not tasks.pending(), timeout=TIMEOUT)
    gui_thread_queries.clear()

    worker = _in_thread(engine.run_once, gui_db, system_actor("ST-TEST"))
    qtbot.waitUntil(lambda: not worker.is_alive(), timeout=60_000)

    def truth() -> tuple[int, int, str]:
        with gui_db.reader() as s:
            return (_open_exceptions(gui_db, lead),
                    s.scalar(select(func.count()).select_from(Order)),
                    s.scalar(select(Order.status).where(Order.order_no == chosen.order_no)))

    # Read on a thread of the test's own, so the GUI thread's statements stay the screens'.
    open_now, total_now, chosen_now = _off_gui_thread(truth)
    assert open_now > 0 and chosen_now != "new"

    # No F5, no click: both screens follow.
    qtbot.waitUntil(lambda: queue.category.itemText(0) == f"All exceptions ({open_now})",
                    timeout=TIMEOUT)
    assert len(queue.model.items) == open_now
    qtbot.waitUntil(lambda: listing.model.rowCount() == total_now
                    and listing._selected is not None
                    and listing._selected.status == chosen_now, timeout=TIMEOUT)
    assert total_now != before_total  # merged and split orders were added
    # The same order is still the selected one, and the list did not jump.
    assert listing._selected.order_no == chosen.order_no
    current = listing.model.row_at(listing.table.currentIndex().row())
    assert current is not None and current.order_no == chosen.order_no
    assert listing.table.verticalScrollBar().value() == scrolled
    qtbot.waitUntil(lambda: not tasks.pending(), timeout=TIMEOUT)
    # Everything the screens read, they read off the GUI thread.
    assert gui_thread_queries == []


def test_a_hidden_screen_reloads_when_it_is_shown(qtbot: QtBot, gui_db: Database,
                                                  lead: Actor) -> None:
    queue = _show(qtbot, ExceptionsScreen(gui_db, lead))
    qtbot.waitUntil(lambda: queue.category.itemText(0) == "All exceptions (0)"
                    and not tasks.pending(), timeout=TIMEOUT)
    queue.hide()
    with qtbot.waitSignal(ui_changes.hub().changed, timeout=TIMEOUT):
        worker = _in_thread(engine.run_once, gui_db, system_actor("ST-TEST"))
        qtbot.waitUntil(lambda: not worker.is_alive(), timeout=60_000)
    qtbot.waitUntil(lambda: not tasks.pending(), timeout=TIMEOUT)
    assert queue.category.itemText(0) == "All exceptions (0)"  # hidden: not reloaded yet
    queue.show()
    open_now = _open_exceptions(gui_db, lead)
    qtbot.waitUntil(lambda: queue.category.itemText(0) == f"All exceptions ({open_now})",
                    timeout=TIMEOUT)


def test_a_rolled_back_change_announces_nothing(qtbot: QtBot, gui_db: Database,
                                                lead: Actor) -> None:
    heard: list[frozenset[Change]] = []
    ui_changes.hub().changed.connect(heard.append)
    # Refused inside its unit of work, after noting what it would change: rolled back.
    with pytest.raises(ServiceError):
        waves.cancel(gui_db, system_actor("ST-TEST"), "WAVE-0000000", "no such wave")
    with pytest.raises(ServiceError):
        exceptions.resolve(gui_db, lead, "PL0000000000000", "approve")
    # A change that does commit is heard, and alone.
    rules.update_rule(gui_db, lead, "high_value_review", enabled=False)
    qtbot.waitUntil(lambda: bool(heard), timeout=TIMEOUT)
    assert heard == [frozenset({Change.RULES})]


def test_a_burst_of_commits_reaches_the_screens_as_one_signal(qtbot: QtBot) -> None:
    from app.services import changes

    heard: list[frozenset[Change]] = []
    ui_changes.hub().changed.connect(heard.append)

    def burst() -> None:
        for i in range(2000):
            changes.announce((Change.ORDERS if i % 2 else Change.EXCEPTIONS,))

    worker = _in_thread(burst)
    qtbot.waitUntil(lambda: not worker.is_alive() and bool(heard), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: set().union(*heard) == {Change.ORDERS, Change.EXCEPTIONS},
                    timeout=TIMEOUT)
    assert len(heard) <= 3


def test_a_change_by_another_process_reaches_the_screen_through_the_watcher(
        qtbot: QtBot, gui_db: Database, lead: Actor, tmp_path: Path) -> None:
    queue = _show(qtbot, ExceptionsScreen(gui_db, lead))
    qtbot.waitUntil(lambda: queue.category.itemText(0) == "All exceptions (0)"
                    and not tasks.pending(), timeout=TIMEOUT)
    watcher = Watcher(gui_db, every_s=0.2)
    watcher.start()
    try:
        qtbot.waitUntil(lambda: watcher.polls >= 1, timeout=TIMEOUT)
        other = packline_process(tmp_path / "other", "engine", "run", "--once",
                                 central_url=str(gui_db.bind.url), as_user="lead01")
        qtbot.waitUntil(lambda: other.poll() is not None, timeout=120_000)
        out, err = other.communicate()
        assert other.returncode == 0, err
        open_now = _open_exceptions(gui_db, lead)
        assert open_now > 0
        qtbot.waitUntil(lambda: queue.category.itemText(0) == f"All exceptions ({open_now})",
                        timeout=TIMEOUT)
    finally:
        watcher.stop()
    assert not watcher.running


def test_the_pickers_wave_list_shows_a_wave_released_meanwhile(qtbot: QtBot,
                                                               gui_db: Database) -> None:
    from app.ui.picking_screen import PickingScreen

    engine.run_once(gui_db, system_actor("ST-TEST"))
    picker = auth.login_password(gui_db, "picker01", "picker123", "ST-TEST")
    screen = _show(qtbot, PickingScreen(gui_db, picker))
    qtbot.waitUntil(lambda: not tasks.pending(), timeout=TIMEOUT)
    assert screen.available.count() == 0
    lead = auth.login_password(gui_db, "lead01", "lead123", "ST-TEST")
    wh = busiest_warehouse(gui_db, "per_order", max_orders=3, max_cells=3)
    # Released by the shift lead elsewhere (a worker thread here): the list follows.
    worker = _in_thread(lambda: waves.release(gui_db, lead, wh, "per_order", max_orders=3,
                                              max_cells=3, max_waves=1))
    qtbot.waitUntil(lambda: not worker.is_alive(), timeout=60_000)
    qtbot.waitUntil(lambda: screen.available.count() == 1, timeout=TIMEOUT)
    assert screen.available.item(0).text().startswith("WAVE-")


def test_the_presale_pools_follow_the_engine(qtbot: QtBot, gui_db: Database,
                                             lead: Actor) -> None:
    from app.services import campaigns
    from app.ui.campaigns_screen import CampaignsScreen

    screen = _show(qtbot, CampaignsScreen(gui_db, lead))
    qtbot.waitUntil(lambda: len(screen.pools) == 5 and not tasks.pending(), timeout=TIMEOUT)
    before = {code: bar.format() for code, bar in screen.pools.items()}
    worker = _in_thread(engine.run_once, gui_db, system_actor("ST-TEST"))
    qtbot.waitUntil(lambda: not worker.is_alive(), timeout=60_000)
    truth = {c.code: f"{c.reserved:,} / {c.capacity:,}"
             for c in _off_gui_thread(lambda: campaigns.overview(gui_db, lead))}
    assert truth != before  # the engine drew units from the pools
    qtbot.waitUntil(lambda: {code: bar.format() for code, bar in screen.pools.items()}
                    == truth, timeout=TIMEOUT)
