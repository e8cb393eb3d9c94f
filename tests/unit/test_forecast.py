"""The shift lead's arithmetic (app.domain.forecast): clear times at two rates, earliest-deadline
-first misses, staffing, the 11.11 volume, shifts across midnight, carriers' next cut-off, the
coming days, five-minute slots and hourly buckets — worked examples computed by hand, and
properties that hold for any input."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain import forecast as fc
from app.domain.china_time import CHINA_TZ

NOW = datetime(2026, 11, 11, 4, 0, tzinfo=UTC)  # 12:00 China time
H = timedelta(hours=1)


def china(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=CHINA_TZ)


# ---------------------------------------------------------------- rates and clear time


def test_rates_from_a_constructed_history_give_the_clear_time_and_its_range() -> None:
    # The shift began at 08:00 China time; by 12:00 the floor packed 400 orders (100/h over
    # the shift), 120 of them in the last hour.
    shift_start = NOW - 4 * H
    rates = fc.Rates(fc.per_hour(120, NOW - H, NOW), fc.per_hour(400, shift_start, NOW))
    assert (rates.hour, rates.shift) == (120.0, 100.0)
    assert (rates.low, rates.high) == (100.0, 120.0)
    clear = fc.clear_time(NOW, 600, rates)
    assert clear.backlog == 600
    assert clear.at_hour_rate == NOW + 5 * H
    assert clear.at_shift_rate == NOW + 6 * H
    assert (clear.earliest, clear.latest) == (NOW + 5 * H, NOW + 6 * H)


def test_a_zero_rate_forecasts_nothing_rather_than_a_far_date() -> None:
    one = fc.clear_time(NOW, 600, fc.Rates(hour=0.0, shift=100.0))
    assert one.at_hour_rate is None and one.at_shift_rate == NOW + 6 * H
    assert one.earliest == NOW + 6 * H
    assert one.latest is None  # not at the slower rate
    none = fc.clear_time(NOW, 600, fc.Rates(0.0, 0.0))
    assert (none.at_hour_rate, none.at_shift_rate, none.earliest, none.latest) == (
        None, None, None, None)
    assert fc.done_at(NOW, 10, -5.0) is None


def test_an_empty_backlog_is_clear_now_at_any_rate() -> None:
    for rates in (fc.Rates(0.0, 0.0), fc.Rates(50.0, 80.0)):
        clear = fc.clear_time(NOW, 0, rates)
        assert (clear.at_hour_rate, clear.at_shift_rate) == (NOW, NOW)
        assert (clear.earliest, clear.latest) == (NOW, NOW)
    assert fc.done_at(NOW, -3, 0.0) == NOW


def test_per_hour_over_no_time_is_zero() -> None:
    assert fc.per_hour(50, NOW, NOW) == 0.0
    assert fc.per_hour(50, NOW, NOW - H) == 0.0
    assert fc.per_hour(50, NOW - timedelta(minutes=30), NOW) == 100.0


# ---------------------------------------------------------------- misses (EDF)


def test_misses_earliest_deadline_first_by_hand() -> None:
    # 60 an hour. Queue by deadline: B (10 due in 30 min: 30 can be made → 0 miss),
    # A (40 due in 1 h: 60 can be made by then, 10 ahead → all 40 make it), C (50 due in
    # 1 h 30: 90 can be made, 50 ahead → 40 of 50 make it, 10 miss).
    due = [(NOW + H, 40), (NOW + H / 2, 10), (NOW + 1.5 * H, 50)]
    assert fc.misses(NOW, due, 60.0) == [0, 0, 10]
    # At 30 an hour: B 10 of 15 possible → 0; A: 30 possible, 10 ahead → 20 of 40 make it;
    # C: 45 possible, 50 ahead → none.
    assert fc.misses(NOW, due, 30.0) == [20, 0, 50]


def test_misses_ties_zero_counts_the_past_and_a_zero_rate() -> None:
    # Two groups due at the same time: 100 an hour makes 100 by then; the first given goes
    # first, so the second takes the misses. The total is what matters.
    tie = [(NOW + H, 70), (NOW + H, 50)]
    assert fc.misses(NOW, tie, 100.0) == [0, 20]
    # A zero count misses nothing and takes no place in the queue.
    assert fc.misses(NOW, [(NOW + H / 2, 0), (NOW + H, 10)], 10.0) == [0, 0]
    assert fc.misses(NOW, [(NOW + H, -4)], 10.0) == [0]
    # A deadline already past: every order of it misses, and it still goes first in the queue.
    assert fc.misses(NOW, [(NOW - H, 5), (NOW + H, 10)], 10.0) == [5, 5]
    # At a rate of zero everything misses; at a negative one too.
    assert fc.misses(NOW, [(NOW + H, 3), (NOW + 9 * H, 4)], 0.0) == [3, 4]
    assert fc.misses(NOW, [(NOW + H, 3)], -1.0) == [3]
    assert fc.misses(NOW, [], 50.0) == []


def test_exactly_enough_time_makes_it() -> None:
    # 10 orders, 10 an hour, due in exactly an hour: the tenth is done on the dot.
    assert fc.misses(NOW, [(NOW + H, 10)], 10.0) == [0]
    assert fc.misses(NOW, [(NOW + H, 11)], 10.0) == [1]
    # A third of an hour at 3 an hour: one order, not zero (no floating-point loss).
    assert fc.misses(NOW, [(NOW + H / 3, 2)], 3.0) == [1]


_groups = st.lists(st.tuples(st.integers(-600, 6000), st.integers(-5, 300)), max_size=12)


@given(_groups, st.floats(0, 500, allow_nan=False))
def test_misses_never_exceed_the_counts_and_edf_is_optimal(groups: list[tuple[int, int]],
                                                            rate: float) -> None:
    due = [(NOW + timedelta(minutes=m), n) for m, n in groups]
    missed = fc.misses(NOW, due, rate)
    assert len(missed) == len(due)
    for m, (_at, n) in zip(missed, due, strict=True):
        assert 0 <= m <= max(n, 0)
    # No order of work misses fewer than the largest shortfall at any deadline (the orders
    # due by then less what the floor can do by then); working earliest deadline first misses
    # none exactly when there is no shortfall.
    if rate > 0 and due:
        worst = max(sum(max(c, 0) for at, c in due if at <= d)
                    - int(rate * max((d - NOW) / H, 0) + 1e-9) for d, _n in due)
        assert sum(missed) >= worst
        assert (sum(missed) == 0) == (worst <= 0)


@given(_groups, st.floats(0, 500, allow_nan=False), st.floats(0, 500, allow_nan=False))
def test_a_faster_floor_misses_no_more(groups: list[tuple[int, int]], a: float,
                                       b: float) -> None:
    due = [(NOW + timedelta(minutes=m), n) for m, n in groups]
    slow, fast = sorted((a, b))
    assert sum(fc.misses(NOW, due, fast)) <= sum(fc.misses(NOW, due, slow))


# ---------------------------------------------------------------- staffing


@pytest.mark.parametrize(("orders", "per_person", "reserve", "people"), [
    (1000, 500, 0.0, 2),  # exactly 2
    (1000, 500, 0.10, 3),  # 2.2 → 3
    (1000, 500, 0.20, 3),  # 2.4 → 3
    (1001, 500, 0.0, 3),  # 2.002 → 3
    (500, 100, 0.20, 6),  # 6.0 (6.000000000000001 in floating point) → 6
    (4500, 500, 0.10, 10),  # 9.9 → 10
    (1, 500, 0.15, 1),
    (0, 500, 0.15, 0),
    (0, 0, 0.15, 0),  # nothing to do needs nobody, whatever the rate
])
def test_people_needed_against_the_formula(orders: int, per_person: float, reserve: float,
                                           people: int) -> None:
    assert fc.people_needed(orders, per_person, reserve) == people


def test_people_needed_without_a_rate_is_unknown_and_a_negative_reserve_is_refused() -> None:
    assert fc.people_needed(100, 0.0, 0.1) is None
    assert fc.people_needed(100, -3.0, 0.1) is None
    with pytest.raises(ValueError, match="reserve"):
        fc.people_needed(100, 50.0, -0.01)


def test_staffing_line_per_shift_and_gap() -> None:
    line = fc.staffing("packer", 6000, 50.0, 12.0, 0.15, on_floor=9)
    assert line.per_person_per_shift == 600.0
    assert line.needed == 12  # 6000 / 600 × 1.15 = 11.5 → 12
    assert line.gap == 3
    idle = fc.staffing("picker", 100, 0.0, 12.0, 0.15, on_floor=2)
    assert (idle.needed, idle.gap) == (None, None)
    spare = fc.staffing("packer", 100, 50.0, 12.0, 0.0, on_floor=4)
    assert (spare.needed, spare.gap) == (1, -3)


@given(st.integers(0, 100_000), st.floats(1, 2000), st.floats(0, 1))
def test_people_needed_cover_the_orders_with_the_reserve(orders: int, per_person: float,
                                                         reserve: float) -> None:
    people = fc.people_needed(orders, per_person, reserve)
    assert people is not None
    assert people * per_person >= orders * (1 + reserve) - 1e-6 * per_person
    if people:
        assert (people - 1) * per_person < orders * (1 + reserve)


def test_peak_volume() -> None:
    assert fc.peak_volume(10_000) == 24_000  # × 3 × 0.8
    assert fc.peak_volume(0) == 0
    assert fc.peak_volume(1234, growth=2.0, conversion=0.5) == 1234
    assert fc.peak_volume(5, growth=1.0, conversion=0.7) == 4  # 3.5 rounds to even
    for bad in ({"normal_daily": -1}, {"normal_daily": 5, "growth": -1.0},
                {"normal_daily": 5, "conversion": -0.1}):
        with pytest.raises(ValueError):
            fc.peak_volume(**bad)  # type: ignore[arg-type]


# ---------------------------------------------------------------- shifts


@pytest.mark.parametrize(("at", "name", "starts", "ends"), [
    (china(11, 12), "day", china(11, 8), china(11, 20)),
    (china(11, 2), "night", china(10, 20), china(11, 8)),  # began yesterday evening
    (china(11, 0), "night", china(10, 20), china(11, 8)),
    (china(11, 8), "day", china(11, 8), china(11, 20)),  # exactly at the change
    (china(11, 7, 59), "night", china(10, 20), china(11, 8)),
    (china(11, 20), "night", china(11, 20), china(12, 8)),
    (china(11, 19, 59), "day", china(11, 8), china(11, 20)),
    (china(11, 23, 30), "night", china(11, 20), china(12, 8)),
])
def test_current_shift_day_and_night(at: datetime, name: str, starts: datetime,
                                     ends: datetime) -> None:
    window = fc.current_shift(at)
    assert (window.shift.name, window.starts_at, window.ends_at) == (name, starts, ends)
    assert window.shift.hours == 12


def test_a_gap_between_shifts_is_the_one_that_began_last() -> None:
    shifts = fc.parse_shifts("early=06:00-14:00, late=15:00-23:00")
    gap = fc.current_shift(china(11, 14, 30), shifts)
    assert (gap.shift.name, gap.starts_at, gap.ends_at) == ("early", china(11, 6), china(11, 14))
    night_gap = fc.current_shift(china(11, 2), shifts)  # after late, before early
    assert (night_gap.shift.name, night_gap.starts_at) == ("late", china(10, 15))
    assert fc.current_shift(china(11, 15), shifts).shift.name == "late"


def test_custom_shifts_parse_with_and_without_names() -> None:
    three = fc.parse_shifts(" a=06:00-14:00 ,b=14:00-22:00, c=22:00-06:00 ")
    assert [(s.name, s.starts, s.ends, s.hours) for s in three] == [
        ("a", time(6), time(14), 8), ("b", time(14), time(22), 8), ("c", time(22), time(6), 8)]
    assert fc.current_shift(china(11, 3), three).starts_at == china(10, 22)
    plain = fc.parse_shifts("8:00-17:30")
    assert (plain[0].name, plain[0].starts, plain[0].hours) == ("shift1", time(8), 9.5)
    assert fc.parse_shifts("all=00:00-00:00")[0].hours == 24
    assert fc.parse_shifts("day=08:00-20:00, night=20:00-08:00") == fc.DEFAULT_SHIFTS


@pytest.mark.parametrize("text", ["", " , ", "08:00", "day=08:00", "08-20", "0800-2000",
                                  "day=8-20", "24:00-08:00", "08:60-09:00", "day=nine-five",
                                  "08:00-20:00, night"])
def test_shifts_that_are_not_time_ranges_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        fc.parse_shifts(text)


# ---------------------------------------------------------------- cut-off, days, slots


def test_cutoff_is_today_before_it_and_tomorrow_after() -> None:
    assert fc.cutoff_at(china(11, 12), time(18)) == china(11, 18)
    assert fc.cutoff_at(china(11, 18), time(18)) == china(11, 18)  # exactly at it: today's
    assert fc.cutoff_at(china(11, 18, 1), time(18)) == china(12, 18)
    assert fc.cutoff_at(china(11, 12), None) is None


def test_days_ahead_carries_the_backlog_and_counts_early_arrivals_today() -> None:
    today = date(2026, 11, 11)
    arrivals = {date(2026, 11, 9): 100, date(2026, 11, 10): 50, today: 20,
                date(2026, 11, 12): 900, date(2026, 11, 20): 5}
    days = fc.days_ahead(today, 300, arrivals, 1000.0, days=3, today_left=0.25)
    assert [(d.day, d.carried_in, d.arriving, d.capacity, d.shipped, d.left) for d in days] == [
        (today, 300, 170, 250, 250, 220),  # a quarter of today's 1000 is left
        (date(2026, 11, 12), 220, 900, 1000, 1000, 120),
        (date(2026, 11, 13), 120, 0, 1000, 120, 0),
    ]
    assert fc.days_ahead(today, 300, arrivals, 1000.0, days=0) == []


def test_days_ahead_at_zero_capacity_piles_everything_up() -> None:
    today = date(2026, 11, 11)
    days = fc.days_ahead(today, 10, {date(2026, 11, 12): 5}, 0.0, days=2)
    assert [(d.capacity, d.shipped, d.left) for d in days] == [(0, 0, 10), (0, 0, 15)]
    whole = fc.days_ahead(today, -4, {}, 99.9, days=1, today_left=7.0)  # shares clamp to 0..1
    assert [(d.carried_in, d.capacity) for d in whole] == [(0, 99)]


@given(st.integers(0, 5000), st.dictionaries(st.integers(-3, 10), st.integers(0, 2000),
                                            max_size=6),
       st.floats(0, 3000), st.integers(1, 14), st.floats(0, 1))
def test_days_ahead_keeps_every_order(backlog: int, offsets: dict[int, int], capacity: float,
                                      days: int, left: float) -> None:
    today = date(2026, 11, 11)
    arrivals = {today + timedelta(days=k): n for k, n in offsets.items()}
    rows = fc.days_ahead(today, backlog, arrivals, capacity, days, today_left=left)
    assert len(rows) == days
    within = sum(n for d, n in arrivals.items() if d < today + timedelta(days=days))
    assert sum(r.shipped for r in rows) + rows[-1].left == backlog + within
    for a, b in zip(rows, rows[1:], strict=False):
        assert b.carried_in == a.left


def test_slot_of_boundaries() -> None:
    at = datetime(2026, 11, 11, 4, 5, tzinfo=UTC)
    assert fc.slot_of(at) == at
    assert fc.slot_of(at - timedelta(microseconds=1)) == datetime(2026, 11, 11, 4, 0,
                                                                 tzinfo=UTC)
    assert fc.slot_of(at + timedelta(minutes=4, seconds=59)) == at
    assert fc.slot_of(china(11, 12, 7)) == datetime(2026, 11, 11, 4, 5, tzinfo=UTC)
    assert fc.slot_of(datetime(1999, 12, 31, 23, 58, tzinfo=UTC)) == datetime(
        1999, 12, 31, 23, 55, tzinfo=UTC)  # before the epoch the slots run on the same grid
    assert fc.slot_of(at).tzinfo is not None


@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1),
                    timezones=st.just(UTC)))
def test_a_slot_holds_its_moment(at: datetime) -> None:
    slot = fc.slot_of(at)
    assert slot <= at < slot + fc.SLOT
    assert slot.minute % 5 == 0 and slot.second == 0 and slot.microsecond == 0


def test_hourly_buckets() -> None:
    start = datetime(2026, 11, 10, 16, 0, tzinfo=UTC)  # 00:00 China time
    rows = [(start, 3), (start + timedelta(minutes=55), 4), (start + H, 5),
            (start + 23 * H + timedelta(minutes=59), 6), (start + 24 * H, 100),
            (start - timedelta(minutes=5), 100)]
    buckets = fc.hourly(rows, start, 24)
    assert len(buckets) == 24
    assert (buckets[0], buckets[1], buckets[23]) == (7, 5, 6)
    assert sum(buckets) == 18
    assert fc.hourly([], start, 3) == [0, 0, 0]
