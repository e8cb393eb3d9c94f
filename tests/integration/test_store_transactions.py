"""Units of work in app.store.db on SQLite and PostgreSQL: a rolled-back outer transaction
undoes the savepoints released inside it, and a failing unit of work leaves nothing behind."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy import select

from app.store.db import Database
from app.store.models import Counter


def _exists(engine: sa.Engine, name: str) -> bool:
    with engine.connect() as conn:
        return conn.scalar(select(Counter.name).where(Counter.name == name)) is not None


def test_units_of_work_inside_an_outer_transaction_roll_back_with_it(engine: sa.Engine
                                                                     ) -> None:
    name = f"test:outer:{uuid.uuid4().hex[:8]}"
    with engine.connect() as conn:
        outer = conn.begin()
        db = Database(conn)
        with db.unit_of_work() as s:
            s.add(Counter(name=name, value=1))
        with db.reader() as s:  # visible inside the outer transaction
            assert s.scalar(select(Counter.value).where(Counter.name == name)) == 1
        outer.rollback()
    assert not _exists(engine, name)


def test_a_released_savepoint_is_undone_when_its_unit_of_work_fails(engine: sa.Engine) -> None:
    name = f"test:nested:{uuid.uuid4().hex[:8]}"
    db = Database(engine)

    class Boom(Exception):
        pass

    try:
        with db.unit_of_work() as s:
            with s.begin_nested():
                s.add(Counter(name=name, value=1))
            raise Boom
    except Boom:
        pass
    assert not _exists(engine, name)


def test_a_committed_unit_of_work_is_kept(engine: sa.Engine) -> None:
    name = f"test:kept:{uuid.uuid4().hex[:8]}"
    db = Database(engine)
    try:
        with db.unit_of_work() as s, s.begin_nested():
            s.add(Counter(name=name, value=1))
        assert _exists(engine, name)
    finally:
        with engine.begin() as conn:
            conn.execute(sa.delete(Counter).where(Counter.name == name))
    assert not _exists(engine, name)


def test_sqlite_writers_that_read_first_wait_instead_of_failing(tmp_path) -> None:
    """Units of work take SQLite's write lock at BEGIN: a reader-turned-writer never hits
    'database is locked' because another connection committed in between."""
    import threading

    from sqlalchemy import func, select

    from app.services import numbers
    from app.store import migrate
    from app.store.db import Database, make_engine
    from app.store.models import Counter

    engine = make_engine(f"sqlite:///{tmp_path / 'central.db'}")
    migrate.upgrade(engine)
    db = Database(engine)
    got: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(25):
                with db.unit_of_work() as s:
                    s.scalar(select(func.count()).select_from(Counter))  # read first
                    got.extend(numbers.allocate(s, "race", 3))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    engine.dispose()
    assert not errors, errors[0]
    assert sorted(got) == list(range(1, 4 * 25 * 3 + 1))
