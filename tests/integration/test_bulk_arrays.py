"""Arrays sent to PostgreSQL as one text literal (app.store.bulk.array_text) arrive as the
values they were: quotes, backslashes, braces, commas, NULL-looking text, Chinese, times."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from app.store import bulk
from tests.helpers.databases import require_pg, scratch_pg_database

TRICKY = ['plain', '', 'NULL', 'null', 'a"b', 'back\\slash', '{brace}', 'a,b', ' spaced ',
          '浙江省杭州市西湖区文三路"1号"', 'end\\', '\\"', None]


@pytest.mark.pg
def test_array_text_round_trips_through_postgresql() -> None:
    require_pg()
    with scratch_pg_database("arrays") as url:
        engine = sa.create_engine(url)
        with engine.connect() as conn:
            back = conn.execute(sa.text("SELECT CAST(:a AS varchar(300)[])"),
                                {"a": bulk.array_text(TRICKY)}).scalar()
            assert back == TRICKY
            ints = [1, -2, 3_000_000_000, None]
            assert conn.execute(sa.text("SELECT CAST(:a AS bigint[])"),
                                {"a": bulk.array_text(ints)}).scalar() == ints
            flags = [True, False, None]
            assert conn.execute(sa.text("SELECT CAST(:a AS boolean[])"),
                                {"a": bulk.array_text(flags)}).scalar() == flags
            at = [datetime(2026, 11, 11, 0, 0, 1, 250000, tzinfo=UTC), None]
            assert conn.execute(sa.text("SELECT CAST(:a AS timestamptz[])"),
                                {"a": bulk.array_text(at)}).scalar() == at
        engine.dispose()


def test_values_it_cannot_write_are_left_to_the_driver() -> None:
    assert bulk.array_text([1, 2.5]) is None
    assert bulk.array_text([{"a": 1}]) is None
    assert bulk.array_text([]) == "{}"
