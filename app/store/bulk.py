"""Bulk writes for the hot paths (intake of thousands of orders a second).

PostgreSQL gets COPY, which is an order of magnitude faster than multi-row INSERTs; SQLite
gets executemany, which is already fast in-process. Both give the same rows and the same
conflict behaviour, so callers do not care which database they are on.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import JSON, Row, Table, bindparam, insert, text, update
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session


def _copy(session: Session, table: str, columns: Sequence[str], json_cols: set[str],
          rows: Sequence[dict[str, Any]]) -> None:
    raw = session.connection().connection.driver_connection
    assert raw is not None
    with raw.cursor() as cur, cur.copy(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([json.dumps(row[c], ensure_ascii=False)
                            if c in json_cols and row[c] is not None else row[c]
                            for c in columns])


def _json_columns(table: Table, columns: Sequence[str]) -> set[str]:
    return {c for c in columns if isinstance(table.c[c].type, JSON)}


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert `rows` (dicts with the same keys) into `table`."""
    if not rows:
        return
    if session.get_bind().dialect.name != "postgresql":
        session.execute(insert(table), list(rows))
        return
    columns = list(rows[0])
    _copy(session, table.name, columns, _json_columns(table, columns), rows)


def insert_new_returning(session: Session, table: Table, rows: Sequence[dict[str, Any]],
                         conflict: Sequence[str], returning: Sequence[str]) -> list[Row[Any]]:
    """Insert the rows whose `conflict` key is not taken yet; return `returning` columns of
    the rows actually inserted. Concurrent callers never insert the same key twice."""
    if not rows:
        return []
    if session.get_bind().dialect.name != "postgresql":
        stmt = sqlite.insert(table).on_conflict_do_nothing(index_elements=list(conflict))
        return list(session.execute(stmt.returning(*(table.c[c] for c in returning)),
                                    list(rows)))
    columns = list(rows[0])
    cols = ", ".join(columns)
    stage = f"_stage_{table.name}"
    session.execute(text(f"CREATE TEMP TABLE {stage} ON COMMIT DROP AS "
                         f"SELECT {cols} FROM {table.name} WITH NO DATA"))
    _copy(session, stage, columns, _json_columns(table, columns), rows)
    result = session.execute(text(
        f"INSERT INTO {table.name} ({cols}) SELECT {cols} FROM {stage} "
        f"ON CONFLICT ({', '.join(conflict)}) DO NOTHING RETURNING {', '.join(returning)}"))
    rows_back = list(result)
    session.execute(text(f"DROP TABLE {stage}"))
    return rows_back


def update_rows(session: Session, table: Table, key: str, rows: Sequence[dict[str, Any]],
                add: Sequence[str] = ()) -> None:
    """Update many rows of `table` matched on column `key`, each to its own values: every
    other column in the dicts is set, and the columns named in `add` are incremented by the
    given amount instead. PostgreSQL: COPY into a staging table and one UPDATE … FROM;
    SQLite: executemany."""
    if not rows:
        return
    columns = [c for c in rows[0] if c != key]
    if session.get_bind().dialect.name != "postgresql":
        values = {c: (table.c[c] + bindparam(f"v_{c}")) if c in add else bindparam(f"v_{c}")
                  for c in columns}
        session.execute(update(table).where(table.c[key] == bindparam("k_key")).values(values),
                        [{"k_key": r[key], **{f"v_{c}": r[c] for c in columns}} for r in rows])
        return
    stage = f"_upd_{table.name}"
    cols = ", ".join([key, *columns])
    session.execute(text(f"CREATE TEMP TABLE {stage} ON COMMIT DROP AS "
                         f"SELECT {cols} FROM {table.name} WITH NO DATA"))
    _copy(session, stage, [key, *columns], _json_columns(table, columns), rows)
    sets = ", ".join(f"{c} = t.{c} + s.{c}" if c in add else f"{c} = s.{c}" for c in columns)
    session.execute(text(f"UPDATE {table.name} AS t SET {sets} FROM {stage} AS s "
                         f"WHERE t.{key} = s.{key}"))
    session.execute(text(f"DROP TABLE {stage}"))
