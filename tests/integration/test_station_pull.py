"""The station pulls what changed centrally by change sequence: everything the first time, then
only the changed rows, one query per table however long it was away, and never a row hidden by
a transaction that committed after the station looked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import event, func, select, update

from app.services.central_link import DatabaseLink
from app.station import pull
from app.station.models import CachedBarcode, CachedOrder, CachedSku, CachedUser, SyncCursor
from app.station.store import open_store
from app.store.db import Database
from app.store.models import Order, Sku, SkuBarcode, User, Warehouse
from app.sync.contract import LinkDown


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Database]:
    s = open_store(tmp_path / "station.db")
    yield s
    s.dispose()


def _count(store: Database, model: type) -> int:
    with store.reader() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_the_first_pull_brings_everything_then_only_what_changed(central, store) -> None:
    first = pull.pull(store, DatabaseLink(central))
    with central.reader() as s:
        skus = s.scalar(select(func.count()).select_from(Sku))
        barcodes = s.scalar(select(func.count()).select_from(SkuBarcode))
        users = s.scalar(select(func.count()).select_from(User))
    assert (first.rows["skus"], first.rows["sku_barcodes"], first.rows["users"]) == (
        skus, barcodes, users)
    assert (_count(store, CachedSku), _count(store, CachedBarcode),
            _count(store, CachedUser)) == (skus, barcodes, users)
    assert first.rows["orders"] == 0  # orders are never copied whole

    again = pull.pull(store, DatabaseLink(central))
    assert again.total == 0, again.rows

    with central.unit_of_work() as s:
        sku = s.scalars(select(Sku).order_by(Sku.id)).first()
        assert sku is not None
        sku.name = "加厚保温杯 500ml"
        s.execute(update(User).where(User.code == "picker01").values(active=False))
        sku_id = sku.id
    changed = pull.pull(store, DatabaseLink(central))
    assert (changed.rows["skus"], changed.rows["users"], changed.rows["sku_barcodes"]) == (
        1, 1, 0)
    with store.reader() as s:
        assert s.get(CachedSku, sku_id).name == "加厚保温杯 500ml"
        assert s.get(CachedUser, "picker01").active is False


def test_a_long_absence_is_caught_up_with_one_query_per_table(central, store) -> None:
    pull.pull(store, DatabaseLink(central))
    with central.unit_of_work() as s:  # hours of changes while the station was away
        s.execute(update(Sku).values(weight_g=Sku.weight_g + 1))
        s.execute(update(SkuBarcode).values(units=SkuBarcode.units))
    with central.reader() as s:
        skus = s.scalar(select(func.count()).select_from(Sku))
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(central.bind, "before_cursor_execute", seen)
    try:
        report = pull.pull(store, DatabaseLink(central))
    finally:
        event.remove(central.bind, "before_cursor_execute", seen)
    assert report.rows["skus"] == skus
    # Per table: the floor, then the changed rows (all on one page here) — and the subquery
    # that names the station's warehouse rides inside the orders query.
    assert len(statements) == 2 * len(pull.MIRRORS), statements


def test_a_row_committed_after_the_station_looked_comes_with_the_next_pull(central,
                                                                           store) -> None:
    """A change numbered before the station's pull but committed after it is not lost (the
    trap of a plain sequence or timestamp)."""
    pull.pull(store, DatabaseLink(central))
    with central.reader() as s:
        first, second = s.scalars(select(Sku.id).order_by(Sku.id).limit(2)).all()
    slow = central.bind.connect()  # type: ignore[union-attr]
    slow_tx = slow.begin()
    if central.dialect == "postgresql":
        slow.execute(update(Sku).where(Sku.id == first).values(name="先改未提交"))
        # Meanwhile another change commits, and the station pulls it.
        with central.unit_of_work() as s:
            s.execute(update(Sku).where(Sku.id == second).values(name="后改先提交"))
        mid = pull.pull(store, DatabaseLink(central))
        assert mid.rows["skus"] == 1
        slow_tx.commit()
    else:  # SQLite has one writer: the second change waits for the first to commit
        slow.execute(update(Sku).where(Sku.id == first).values(name="先改未提交"))
        slow_tx.commit()
        with central.unit_of_work() as s:
            s.execute(update(Sku).where(Sku.id == second).values(name="后改先提交"))
    slow.close()
    pull.pull(store, DatabaseLink(central))
    with store.reader() as s:
        assert s.get(CachedSku, first).name == "先改未提交"
        assert s.get(CachedSku, second).name == "后改先提交"


def test_held_orders_learn_their_intercepts_and_others_are_left_alone(central, store) -> None:
    with central.reader() as s:
        held, other = s.execute(select(Order.order_no, Order.status).order_by(Order.id)
                                .limit(2)).all()
    from datetime import UTC, datetime

    with store.unit_of_work() as s:
        s.add(CachedOrder(order_no=held.order_no, wave_no="W-TEST",
                          snapshot={"order_no": held.order_no, "status": held.status,
                                    "intercept": None}, fetched_at=datetime.now(UTC)))
    assert pull.pull(store, DatabaseLink(central)).orders_updated == 0
    with central.unit_of_work() as s:
        s.execute(update(Order).where(Order.order_no.in_([held.order_no, other.order_no]))
                  .values(intercept="refund_requested"))
    report = pull.pull(store, DatabaseLink(central))
    assert report.rows["orders"] == 2 and report.orders_updated == 1
    assert _count(store, CachedOrder) == 1  # the other order is not copied
    with store.reader() as s:
        assert s.get(CachedOrder, held.order_no).snapshot["intercept"] == "refund_requested"


def test_a_station_of_one_warehouse_pulls_that_warehouse_s_orders(central, store) -> None:
    pull.pull(store, DatabaseLink(central), warehouse="HZ")
    with central.unit_of_work() as s:
        hz = s.scalar(select(Warehouse.id).where(Warehouse.code == "HZ"))
        ids = list(s.scalars(select(Order.id).order_by(Order.id).limit(6)))
        s.execute(update(Order).where(Order.id.in_(ids))
                  .values(warehouse_id=sa.case((Order.id % 2 == 0, hz), else_=None)))
        in_hz = sum(1 for i in ids if i % 2 == 0)
    assert pull.pull(store, DatabaseLink(central), warehouse="hz").rows["orders"] == in_hz


def test_an_unreachable_central_database_moves_no_cursor(central, store) -> None:
    pull.pull(store, DatabaseLink(central))
    with store.reader() as s:
        before = {c.name: c.cursor for c in s.scalars(select(SyncCursor))}
    gone = Database.from_url("postgresql+psycopg://nobody@127.0.0.1:1/none", connect_timeout=1)
    with pytest.raises(LinkDown):
        pull.pull(store, DatabaseLink(gone))
    gone.dispose()
    with store.reader() as s:
        assert {c.name: c.cursor for c in s.scalars(select(SyncCursor))} == before
