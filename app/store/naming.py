"""Conventions both schemas share (the central database and the station store): how their
constraints and indexes are named, and how a CHECK limits a column to a set of values."""

from __future__ import annotations

from collections.abc import Iterable

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def one_of(column: str, values: Iterable[object]) -> str:
    """`column IN ('a', 'b')` for a CHECK; enum members stand for their values."""
    names = ", ".join(f"'{getattr(v, 'value', v)}'" for v in values)
    return f"{column} IN ({names})"
