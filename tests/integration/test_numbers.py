"""Packline's own numbers (app.services.numbers): consecutive counter blocks, order numbers in
China dates, and no overlap when several connections allocate at once on PostgreSQL."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy import delete
from sqlalchemy.orm import Session

from app.services import numbers
from app.store.db import Database, make_engine
from app.store.models import Counter


def test_allocate_gives_consecutive_non_overlapping_ranges(db: Database) -> None:
    with db.unit_of_work() as s:
        assert numbers.current_value(s, "test:a") == 0
        first = numbers.allocate(s, "test:a", 5)
        second = numbers.allocate(s, "test:a", 3)
        other = numbers.allocate(s, "test:b", 2)
        assert numbers.allocate(s, "test:a", 0) == range(0)
        assert numbers.allocate(s, "test:a", -4) == range(0)
    assert list(first) == [1, 2, 3, 4, 5]
    assert list(second) == [6, 7, 8]
    assert list(other) == [1, 2]
    with db.unit_of_work() as s:
        third = numbers.allocate(s, "test:a", 10)
        assert numbers.current_value(s, "test:a") == 18
    assert list(third) == list(range(9, 19))


def test_a_rolled_back_allocation_is_handed_out_again(db: Database) -> None:
    class Boom(Exception):
        pass

    try:
        with db.unit_of_work() as s:
            numbers.allocate(s, "test:rollback", 4)
            raise Boom
    except Boom:
        pass
    with db.unit_of_work() as s:
        assert list(numbers.allocate(s, "test:rollback", 2)) == [1, 2]


def test_order_numbers_use_the_china_date(db: Database) -> None:
    # 16:30 UTC on 10 November is already 11 November in China
    late = datetime(2026, 11, 10, 16, 30, tzinfo=UTC)
    with db.unit_of_work() as s:
        start = numbers.current_value(s, "order_no:261111")
        nos = numbers.order_numbers(s, 3, late)
        more = numbers.order_numbers(s, 1, late)
    assert nos == [f"PL261111{n:07d}" for n in range(start + 1, start + 4)]
    assert more == [f"PL261111{start + 4:07d}"]
    with db.unit_of_work() as s:
        earlier = numbers.order_numbers(s, 1, datetime(2026, 11, 10, 15, 59, tzinfo=UTC))
    assert earlier[0].startswith("PL261110")


@pytest.mark.pg
def test_parallel_allocation_on_postgresql(pg_url: str) -> None:
    """Four threads, each 50 committed transactions of 10 numbers: 2,000 distinct numbers."""
    engine = make_engine(pg_url, pool_size=4, max_overflow=0)
    name = f"test:parallel:{uuid.uuid4().hex[:8]}"
    results: list[list[int]] = [[] for _ in range(4)]
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def work(slot: int) -> None:
        try:
            start.wait()
            for _ in range(50):
                with Session(engine) as s, s.begin():
                    results[slot].extend(numbers.allocate(s, name, 10))
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert not any(t.is_alive() for t in threads)
        assert errors == []
        every = [n for slot in results for n in slot]
        assert len(every) == 2000
        assert sorted(every) == list(range(1, 2001))
        for slot in results:  # each block of ten is consecutive within its transaction
            for i in range(0, len(slot), 10):
                assert slot[i:i + 10] == list(range(slot[i], slot[i] + 10))
        with engine.connect() as conn:
            assert conn.scalar(sa.select(Counter.value).where(Counter.name == name)) == 2000
    finally:
        with engine.begin() as conn:
            conn.execute(delete(Counter).where(Counter.name == name))
        engine.dispose()
