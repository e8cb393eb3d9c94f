"""What runs beside the window: the watcher that notices other processes' writes with one
query per poll, and the embedded order engine of a single machine (started with the app's
background pieces on a fresh embedded database, stopped when the app quits)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from app.config import load_config
from app.services import demo, rules
from app.services.changes import Change
from app.services.context import system_actor
from app.services.watch import Watcher
from app.store import migrate
from app.store.db import Database, make_engine
from app.store.models import AuditEntry, Order, ReviewRule
from app.ui.app import Background
from tests.helpers.waiting import eventually


def test_the_watcher_sees_another_engines_writes_once_with_one_query(central: Database) -> None:
    watcher = Watcher(central)
    statements: list[str] = []
    from sqlalchemy import event

    def count(_c, _cur, statement, *_a) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(central.bind, "before_cursor_execute", count)
    try:
        assert watcher.poll() == frozenset()  # the starting point
        assert len(statements) == 1
        other = Database(make_engine(str(central.bind.url.render_as_string(hide_password=False))))
        try:
            with other.unit_of_work() as s:
                s.execute(update(Order).where(Order.id == 1).values(remark="电话联系"))
            with other.unit_of_work() as s:
                s.execute(update(ReviewRule).where(ReviewRule.code == "high_value_review")
                          .values(enabled=False, updated_at=func.now()))
        finally:
            other.dispose()
        moved = watcher.poll()
        assert {Change.ORDERS, Change.RULES} <= moved
        assert Change.EXCEPTIONS not in moved and Change.WAVES not in moved
        assert watcher.poll() == frozenset()  # told once
        assert len(statements) == 3  # one query per poll
    finally:
        event.remove(central.bind, "before_cursor_execute", count)


def test_an_order_written_by_a_transaction_that_commits_late_is_seen(central: Database) -> None:
    """PostgreSQL stamps a row with its transaction's id: a transaction that began first and
    commits last carries the smaller stamp, and must not be missed."""
    watcher = Watcher(central)
    watcher.poll()
    url = central.bind.url.render_as_string(hide_password=False)
    early, late = Database(make_engine(url)), Database(make_engine(url))
    try:
        with early.unit_of_work() as slow:
            slow.execute(update(Order).where(Order.id == 1).values(remark="早"))
            if central.dialect == "postgresql":  # SQLite has one writer: no overlap to test
                with late.unit_of_work() as fast:
                    fast.execute(update(Order).where(Order.id == 2).values(remark="晚"))
                assert Change.ORDERS in watcher.poll()
        # The early transaction has committed now, after the poll that saw the later one.
        assert Change.ORDERS in watcher.poll()
        assert watcher.poll() == frozenset()
    finally:
        early.dispose()
        late.dispose()


def test_a_rule_change_through_the_service_moves_only_rules(central: Database) -> None:
    watcher = Watcher(central)
    watcher.poll()
    rules.update_rule(central, system_actor(), "high_value_review", enabled=False)
    assert watcher.poll() == frozenset({Change.RULES})


@pytest.fixture
def fresh_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("PACKLINE_HOME", str(home))
    monkeypatch.delenv("PACKLINE_CENTRAL_URL", raising=False)
    return home


def _counts(db: Database) -> dict[str, int]:
    with db.reader() as s:
        return dict(s.execute(select(Order.status, func.count()).group_by(Order.status)).all())


def test_the_embedded_engine_moves_the_demo_orders_by_itself_and_stops_on_quit(
        fresh_home: Path) -> None:
    cfg = load_config()
    assert cfg.embedded and cfg.settings.get("engine.embedded") is True
    db = Database.from_url(cfg.central_url)
    try:
        migrate.upgrade(db.bind)
        demo.seed(db, system_actor(cfg.settings.get("station.code")), orders=150, seed=3)
        assert set(_counts(db)) == {"new"}
        background = Background(cfg, db)
        assert background.engine is not None
        background.start()
        try:
            # No other action: the orders flow into routed and the exception queue.
            eventually(lambda: not ({"new", "pending_review"} & set(_counts(db))),
                       what="no order left new or pending review", timeout=60, every=0.05)
            counts = _counts(db)
            assert counts.get("routed", 0) > 0 and counts.get("exception", 0) > 0
            assert background.engine.running and background.watcher.running
        finally:
            background.stop()
        assert not background.engine.running
        assert not background.watcher.running
        with db.reader() as s:
            actors = set(s.scalars(select(AuditEntry.actor).where(
                AuditEntry.action == "order.status").distinct()))
            stations = set(s.scalars(select(AuditEntry.station).where(
                AuditEntry.action == "order.status").distinct()))
        assert actors == {"system"} and stations == {cfg.settings.get("station.code")}
    finally:
        db.dispose()


def test_it_can_turn_the_embedded_engine_off(fresh_home: Path) -> None:
    fresh_home.mkdir(parents=True)
    (fresh_home / "station.ini").write_text("[engine]\nembedded = false\n", encoding="utf-8")
    cfg = load_config()
    db = Database.from_url(cfg.central_url)
    try:
        background = Background(cfg, db)
        assert background.engine is None
    finally:
        db.dispose()


def test_a_server_database_gets_no_embedded_engine(fresh_home: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PACKLINE_CENTRAL_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    cfg = load_config()
    db = Database.from_url(cfg.central_url)
    try:
        assert Background(cfg, db).engine is None
    finally:
        db.dispose()
