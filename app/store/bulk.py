"""Bulk writes for the hot paths (intake of thousands of orders a second).

PostgreSQL gets COPY, which is an order of magnitude faster than multi-row INSERTs; SQLite
gets executemany, which is already fast in-process. Both give the same rows and the same
conflict behaviour, so callers do not care which database they are on.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    Row,
    Table,
    any_,
    bindparam,
    insert,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import QueryableAttribute, Session

FEW = 20


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


def array_text(values: Sequence[Any]) -> str | None:
    """PostgreSQL's text form of an array of whole numbers, strings, flags and times (None
    as NULL), or None for any other kind of value. Sent as one string and cast on the
    server, an array of a thousand ids costs the client a `join` instead of the driver's
    dumping value by value."""
    out = []
    for v in values:
        if v is None:
            out.append("NULL")
        elif isinstance(v, bool):
            out.append("t" if v else "f")
        elif isinstance(v, int):
            out.append(str(v))
        elif isinstance(v, str):
            out.append('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"')
        elif isinstance(v, datetime):
            out.append(f'"{v.isoformat()}"')
        else:
            return None
    return "{" + ",".join(out) + "}"


def matching(session: Session, column: ColumnElement[Any] | QueryableAttribute[Any],
             values: Sequence[Any]) -> ColumnElement[bool]:
    """`column IN (values)`. On PostgreSQL `column = ANY(:array)`: one statement text whatever
    the number of values, so the driver parses and prepares it once for the whole run."""
    if session.get_bind().dialect.name == "postgresql":
        # A typed array, not text cast on the server: a cast the planner cannot fold leaves
        # it without an estimate, and a plan that casts the text again for every row.
        return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
    return column.in_(list(values))


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
                         conflict: Sequence[str], returning: Sequence[str]
                         ) -> list[Row[*tuple[Any, ...]]]:
    """Insert the rows whose `conflict` key is not taken yet; return `returning` columns of
    the rows actually inserted. Concurrent callers never insert the same key twice."""
    if not rows:
        return []
    dialect = session.get_bind().dialect.name
    if dialect != "postgresql" or len(rows) <= FEW:
        # A few rows (the engine's merged and split orders): multi-row VALUES beats creating
        # a staging table.
        ins = sqlite.insert(table) if dialect != "postgresql" else postgresql.insert(table)
        stmt = ins.on_conflict_do_nothing(index_elements=list(conflict))
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
    given amount instead. PostgreSQL: one UPDATE … FROM unnest(arrays); SQLite: executemany.
    Not for JSON columns."""
    if not rows:
        return
    columns = [c for c in rows[0] if c != key]
    if session.get_bind().dialect.name != "postgresql":
        values = {c: (table.c[c] + bindparam(f"v_{c}")) if c in add else bindparam(f"v_{c}")
                  for c in columns}
        session.execute(update(table).where(table.c[key] == bindparam("k_key")).values(values),
                        [{"k_key": r[key], **{f"v_{c}": r[c] for c in columns}} for r in rows])
        return
    # Typed arrays unnested side by side: one statement, no staging table to create.
    pg = session.get_bind().dialect
    names = [key, *columns]
    arrays = ", ".join(f"CAST(:a{i} AS {table.c[c].type.compile(dialect=pg)}[])"
                       for i, c in enumerate(names))
    sets = ", ".join(f"{c} = t.{c} + s.{c}" if c in add else f"{c} = s.{c}" for c in columns)
    params: dict[str, Any] = {}
    for i, c in enumerate(names):
        column_values = [r[c] for r in rows]
        as_text = array_text(column_values)
        params[f"a{i}"] = column_values if as_text is None else as_text
    session.execute(text(
        f"UPDATE {table.name} AS t SET {sets} FROM unnest({arrays}) AS s({', '.join(names)}) "
        f"WHERE t.{key} = s.{key}"), params)


def add_up(session: Session, table: Table, keys: Sequence[str],
           rows: Sequence[dict[str, Any]]) -> None:
    """Insert each row, or where a row with the same `keys` exists add the row's other columns
    to it (INSERT … ON CONFLICT DO UPDATE, on PostgreSQL and SQLite alike). Rows are written in
    key order, so two transactions adding to the same rows lock them in the same order."""
    if not rows:
        return
    columns = [c for c in rows[0] if c not in keys]
    ordered = sorted(rows, key=lambda r: tuple(r[k] for k in keys))
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(table)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(keys),
        set_={c: table.c[c] + stmt.excluded[c] for c in columns})
    session.execute(stmt, ordered)
