"""China time (app.domain.china_time): the warehouse's one clock, for stored times, times people
write, the day in Packline's numbers and the start of a warehouse's day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from app.domain.china_time import (
    CHINA_TZ,
    china_day,
    china_day_start,
    china_zone,
    in_china,
    written_in_china,
)

NEW_YORK = timezone(timedelta(hours=-5))
EIGHT = timedelta(hours=8)


def test_china_is_eight_hours_ahead_of_utc_all_year() -> None:
    for month in (1, 4, 7, 10):  # no daylight saving: summer and winter alike
        assert datetime(2026, month, 11, 12, tzinfo=CHINA_TZ).utcoffset() == EIGHT


def test_a_machine_without_the_zone_database_still_runs_on_utc_plus_eight() -> None:
    fallback = china_zone("No_Such/Zone")
    assert fallback.utcoffset(datetime(2026, 7, 1)) == EIGHT
    assert fallback.utcoffset(datetime(2026, 1, 1)) == EIGHT


def test_a_stored_time_is_shown_in_china_time() -> None:
    assert in_china(datetime(2026, 11, 11, 12, 0, tzinfo=UTC)) \
        == datetime(2026, 11, 11, 20, 0, tzinfo=CHINA_TZ)
    assert in_china(datetime(2026, 11, 11, 7, 0, tzinfo=NEW_YORK)).hour == 20
    # A naive stored time is UTC, as Packline stores times.
    assert in_china(datetime(2026, 11, 11, 12, 0)).strftime("%m-%d %H:%M") == "11-11 20:00"


def test_a_time_written_without_a_zone_is_china_wall_clock_time() -> None:
    written = written_in_china(datetime(2026, 11, 11, 0, 0, 12))
    assert written.strftime("%Y-%m-%d %H:%M:%S") == "2026-11-11 00:00:12"
    assert written.astimezone(UTC) == datetime(2026, 11, 10, 16, 0, 12, tzinfo=UTC)
    # With a zone it is the same moment, read on China's clock.
    assert written_in_china(datetime(2026, 11, 10, 16, 0, 12, tzinfo=UTC)) == written
    assert written_in_china(datetime(2026, 11, 10, 16, 0, 12, tzinfo=UTC)).hour == 0


def test_the_day_in_numbers_turns_at_midnight_in_china() -> None:
    assert china_day(datetime(2026, 11, 10, 15, 59, 59, tzinfo=UTC)) == "261110"
    assert china_day(datetime(2026, 11, 10, 16, 0, tzinfo=UTC)) == "261111"
    assert china_day(datetime(2026, 11, 11, 3, 0, tzinfo=NEW_YORK)) == "261111"


def test_the_warehouse_day_starts_at_midnight_in_china() -> None:
    start = datetime(2026, 11, 10, 16, 0, tzinfo=UTC)
    assert china_day_start(datetime(2026, 11, 10, 16, 0, tzinfo=UTC)) == start
    assert china_day_start(datetime(2026, 11, 11, 15, 59, 59, tzinfo=UTC)) == start
    assert china_day_start(datetime(2026, 11, 10, 15, 59, 59, tzinfo=UTC)) \
        == start - timedelta(days=1)
    assert china_day_start(start).tzinfo is UTC


@given(st.datetimes(min_value=datetime(1992, 1, 1), max_value=datetime(2099, 12, 31),
                    timezones=st.just(UTC)))
def test_every_moment_lies_in_the_china_day_that_starts_at_its_day_start(moment: datetime
                                                                          ) -> None:
    start = china_day_start(moment)
    assert start <= moment < start + timedelta(days=1)
    assert china_day(start) == china_day(moment)
    assert in_china(moment) == written_in_china(moment) == moment
