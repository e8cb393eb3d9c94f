"""Packline's own numbers (orders, waves) from named counters, allocated in blocks under a row
lock so that parallel intakes never hand out the same number."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.domain.china_time import china_day
from app.store.db import Database
from app.store.models import Counter


def allocate(session: Session, name: str, count: int) -> range:
    """`count` consecutive values of counter `name`, starting at 1 for a new counter."""
    if count <= 0:
        return range(0)
    dialect = session.get_bind().dialect.name
    ins = (postgresql.insert(Counter) if dialect == "postgresql" else sqlite.insert(Counter))
    session.execute(ins.values(name=name, value=0).on_conflict_do_nothing(
        index_elements=[Counter.name]))
    end = session.execute(
        update(Counter).where(Counter.name == name).values(value=Counter.value + count)
        .returning(Counter.value)).scalar_one()
    return range(end - count + 1, end + 1)


def order_numbers(session: Session, count: int, now: datetime | None = None) -> list[str]:
    """PL + the China date (yymmdd) + a 7-digit daily sequence, e.g. PL2611110000123."""
    day = china_day(now or datetime.now(UTC))
    return [f"PL{day}{n:07d}" for n in allocate(session, f"order_no:{day}", count)]


def order_numbers_apart(db: Database, session: Session, count: int,
                        now: datetime | None = None) -> list[str]:
    """Like `order_numbers`, but on a server database in a transaction of its own, so the
    counter row stays locked for a moment instead of for the caller's whole batch (two engines
    would otherwise take turns). A caller that rolls back leaves a gap, never a duplicate.
    SQLite has one writer at a time anyway, and there the caller's session is used."""
    if db.dialect == "postgresql" and isinstance(db.bind, Engine):
        with db.unit_of_work() as own:
            return order_numbers(own, count, now)
    return order_numbers(session, count, now)


def current_value(session: Session, name: str) -> int:
    return session.scalar(select(Counter.value).where(Counter.name == name)) or 0
