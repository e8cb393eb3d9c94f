"""The queue's priority score, bands, countdown and compensation flag (app.domain.priority)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.priority import (
    BANDS,
    PriorityInput,
    PriorityPolicy,
    band_of,
    countdown_seconds,
    needs_compensation,
    score,
)

NOW = datetime(2026, 11, 11, 12, 0, tzinfo=UTC)
CST = timezone(timedelta(hours=8))
INT32_MAX = 2**31 - 1
RANK = {band: len(BANDS) - i for i, band in enumerate(BANDS)}  # higher is worked first


def order(left: timedelta | None = None, *, presale: bool = False, vip: int = 0,
          amount: int = 10_000, age: timedelta = timedelta(hours=1),
          paid: bool = True) -> PriorityInput:
    created = NOW - age
    return PriorityInput(promised_ship_by=None if left is None else NOW + left,
                         is_presale=presale, vip_level=vip, amount_fen=amount,
                         paid_at=created if paid else None, created_at=created)


def band(item: PriorityInput, policy: PriorityPolicy | None = None) -> str:
    return score(item, NOW)[1] if policy is None else score(item, NOW, policy)[1]


def prio(item: PriorityInput) -> int:
    return score(item, NOW)[0]


# --------------------------------------------------------------------------- bands


@pytest.mark.parametrize(("left", "expected"), [
    (timedelta(hours=12, seconds=1), "normal"),
    (timedelta(hours=12), "due_soon"),              # within 12 h includes exactly 12 h
    (timedelta(seconds=1), "due_soon"),
    (timedelta(0), "due_soon"),                     # at the promise, not past it yet
    (timedelta(microseconds=500_000), "due_soon"),
    (timedelta(microseconds=-500_000), "overdue"),  # half a second past is past
    (timedelta(seconds=-1), "overdue"),
    (timedelta(days=-30), "overdue"),
    (None, "normal"),
])
def test_band_boundaries(left: timedelta | None, expected: str) -> None:
    assert band(order(left)) == expected


def test_due_soon_window_is_configurable() -> None:
    policy = PriorityPolicy(due_soon_hours=2.5)
    assert band(order(timedelta(hours=2, minutes=30)), policy) == "due_soon"
    assert band(order(timedelta(hours=2, minutes=30, seconds=1)), policy) == "normal"
    assert band(order(timedelta(hours=12)), policy) == "normal"


def test_deadline_bands_outrank_presale_and_vip() -> None:
    assert band(order(timedelta(seconds=-1), presale=True, vip=9)) == "overdue"
    assert band(order(timedelta(hours=1), presale=True, vip=9)) == "due_soon"
    assert band(order(timedelta(days=3), presale=True, vip=9)) == "presale"
    assert band(order(None, presale=True)) == "presale"


def test_vip_band_starts_at_the_policy_level() -> None:
    assert band(order(vip=3)) == "vip"
    assert band(order(vip=2)) == "normal"
    assert band(order(vip=4), PriorityPolicy(vip_min_level=5)) == "normal"
    assert band(order(vip=5), PriorityPolicy(vip_min_level=5)) == "vip"


def test_the_weakest_order_of_each_band_beats_the_strongest_of_the_next() -> None:
    huge: dict[str, Any] = {"vip": 99, "amount": 10**13, "age": timedelta(days=900)}
    weak: dict[str, Any] = {"vip": 0, "amount": 0, "age": timedelta(0)}
    pairs = [
        (order(timedelta(seconds=-1), **weak), order(timedelta(0), **huge)),
        (order(timedelta(hours=12), **weak), order(None, presale=True, **huge)),
        (order(None, presale=True, **weak), order(None, **huge)),
        (order(None, vip=3, amount=0, age=timedelta(0)),
         order(None, vip=2, amount=10**13, age=timedelta(days=900))),
    ]
    for weaker_high, stronger_low in pairs:
        high, low = score(weaker_high, NOW), score(stronger_low, NOW)
        assert RANK[high[1]] == RANK[low[1]] + 1
        assert high[0] > low[0], (high, low)


# --------------------------------------------------------------------------- within a band


def test_more_overdue_first_even_over_vip_and_amount() -> None:
    later = order(timedelta(minutes=-10), vip=0, amount=100)
    sooner = order(timedelta(minutes=-9), vip=9, amount=10**9, age=timedelta(days=30))
    assert prio(later) > prio(sooner)


def test_less_time_left_first_even_over_vip_and_amount() -> None:
    tighter = order(timedelta(minutes=30), vip=0, amount=100)
    looser = order(timedelta(minutes=31), vip=9, amount=10**9, age=timedelta(days=30))
    assert prio(tighter) > prio(looser)


def test_urgency_counts_whole_minutes() -> None:
    # Seconds apart within one minute tie on the deadline and fall through to VIP level.
    assert prio(order(timedelta(minutes=-5, seconds=-10), vip=1)) \
        < prio(order(timedelta(minutes=-5, seconds=-50), vip=2))
    assert prio(order(timedelta(minutes=20, seconds=5), vip=1)) \
        < prio(order(timedelta(minutes=20, seconds=55), vip=2))


@pytest.mark.parametrize("left", [timedelta(minutes=-30), timedelta(hours=3), None])
@pytest.mark.parametrize("presale", [False, True])
def test_then_vip_then_amount_then_age(left: timedelta | None, presale: bool) -> None:
    # Normal band uses VIP levels 0..2, the vip band 3 and above.
    low_vip, high_vip = (0, 2) if not presale and left is None else (3, 7)
    base = order(left, presale=presale, vip=low_vip, amount=5_000, age=timedelta(hours=2))
    more_vip = order(left, presale=presale, vip=high_vip, amount=100, age=timedelta(0))
    more_money = order(left, presale=presale, vip=low_vip, amount=50_000, age=timedelta(0))
    older = order(left, presale=presale, vip=low_vip, amount=5_000, age=timedelta(hours=9))
    assert prio(more_vip) > prio(more_money) > prio(base)
    assert prio(older) > prio(base)
    assert prio(more_money) > prio(older)  # amount before age
    assert len({band(o) for o in (base, more_vip, more_money, older)}) == 1


def test_vip_band_orders_by_level() -> None:
    assert prio(order(vip=5, amount=100)) > prio(order(vip=4, amount=10**9))


def test_age_counts_from_payment_when_there_is_one() -> None:
    created = NOW - timedelta(days=3)
    paid_late = PriorityInput(promised_ship_by=None, is_presale=False, vip_level=0,
                              amount_fen=100, paid_at=NOW - timedelta(hours=1),
                              created_at=created)
    paid_early = PriorityInput(promised_ship_by=None, is_presale=False, vip_level=0,
                               amount_fen=100, paid_at=NOW - timedelta(hours=5),
                               created_at=NOW - timedelta(hours=6))
    unpaid = order(None, amount=100, age=timedelta(hours=2), paid=False)
    assert prio(paid_early) > prio(unpaid) > prio(paid_late)


def test_an_order_from_a_clock_ahead_of_ours_has_age_zero() -> None:
    assert prio(order(age=-timedelta(hours=1))) == prio(order(age=timedelta(0)))


def test_times_compare_as_instants_across_time_zones() -> None:
    promise_cst = (NOW + timedelta(hours=3)).astimezone(CST)
    item = PriorityInput(promised_ship_by=promise_cst, is_presale=False, vip_level=0,
                         amount_fen=100, paid_at=None, created_at=NOW.astimezone(CST))
    assert score(item, NOW)[1] == "due_soon"
    assert countdown_seconds(promise_cst, NOW) == 3 * 3600


# --------------------------------------------------------------------------- properties

OFFSETS = st.one_of(
    st.none(),
    st.integers(min_value=-40 * 86_400, max_value=40 * 86_400).map(
        lambda s: timedelta(seconds=s)),
    st.sampled_from([timedelta(0), timedelta(seconds=-1), timedelta(hours=12),
                     timedelta(hours=12, seconds=1), timedelta(days=-30)]),
)


@st.composite
def inputs(draw: st.DrawFn) -> PriorityInput:
    return order(draw(OFFSETS), presale=draw(st.booleans()),
                 vip=draw(st.integers(min_value=0, max_value=20)),
                 amount=draw(st.one_of(st.integers(0, 10**6), st.integers(0, 10**14))),
                 age=timedelta(seconds=draw(st.integers(-3600, 400 * 86_400))),
                 paid=draw(st.booleans()))


@given(a=inputs(), b=inputs())
def test_band_dominates(a: PriorityInput, b: PriorityInput) -> None:
    (pa, ba), (pb, bb) = score(a, NOW), score(b, NOW)
    if RANK[ba] > RANK[bb]:
        assert pa > pb
    elif RANK[ba] < RANK[bb]:
        assert pa < pb


@given(item=inputs())
def test_priority_fits_a_signed_32_bit_int_and_decodes_to_its_band(item: PriorityInput) -> None:
    value, name = score(item, NOW)
    assert 0 <= value <= INT32_MAX
    assert band_of(value) == name


@given(item=inputs(), extra=st.integers(min_value=1, max_value=10**12))
def test_more_money_never_lowers_priority(item: PriorityInput, extra: int) -> None:
    richer = PriorityInput(item.promised_ship_by, item.is_presale, item.vip_level,
                           item.amount_fen + extra, item.paid_at, item.created_at)
    assert score(richer, NOW)[0] >= score(item, NOW)[0]


@given(item=inputs(), earlier=st.integers(min_value=1, max_value=10**7))
def test_more_overdue_or_less_time_left_never_lowers_priority(item: PriorityInput,
                                                               earlier: int) -> None:
    if item.promised_ship_by is None:
        return
    tighter = PriorityInput(item.promised_ship_by - timedelta(seconds=earlier),
                            item.is_presale, item.vip_level, item.amount_fen, item.paid_at,
                            item.created_at)
    assert score(tighter, NOW)[0] >= score(item, NOW)[0]


def test_the_extremes_of_the_layout() -> None:
    top = order(timedelta(days=-3650), vip=99, amount=10**15, age=timedelta(days=3650))
    bottom = order(None, vip=0, amount=0, age=timedelta(0))
    assert score(top, NOW) == (1_999_999_999, "overdue")
    assert score(bottom, NOW) == (0, "normal")


def test_band_of_refuses_numbers_outside_the_layout() -> None:
    with pytest.raises(ValueError, match="above the highest band"):
        band_of(2_000_000_000)
    with pytest.raises(ValueError, match="at least 0"):
        band_of(-1)


# --------------------------------------------------------------------------- countdown


def test_countdown_seconds() -> None:
    assert countdown_seconds(NOW + timedelta(hours=2), NOW) == 7200
    assert countdown_seconds(NOW - timedelta(minutes=5), NOW) == -300
    assert countdown_seconds(NOW - timedelta(microseconds=1), NOW) == -1
    assert countdown_seconds(NOW + timedelta(microseconds=999_999), NOW) == 0
    assert countdown_seconds(None, NOW) is None


@pytest.mark.parametrize(("left", "shipped", "expected"), [
    (timedelta(seconds=-1), False, True),
    (timedelta(days=-2), False, True),
    (timedelta(seconds=-1), True, False),
    (timedelta(0), False, False),
    (timedelta(hours=1), False, False),
    (None, False, False),
])
def test_needs_compensation(left: timedelta | None, shipped: bool, expected: bool) -> None:
    promise = None if left is None else NOW + left
    assert needs_compensation(promise, NOW, shipped) is expected


# --------------------------------------------------------------------------- bad input

NAIVE = datetime(2026, 11, 11, 12, 0)


@pytest.mark.parametrize("field", ["promised_ship_by", "paid_at", "created_at"])
def test_naive_datetimes_are_refused_in_the_input(field: str) -> None:
    fields: dict[str, Any] = {"promised_ship_by": NOW, "is_presale": False, "vip_level": 0,
                              "amount_fen": 0, "paid_at": NOW, "created_at": NOW}
    fields[field] = NAIVE
    with pytest.raises(ValueError, match=f"{field} must be timezone-aware"):
        PriorityInput(**fields)


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="now must be timezone-aware"):
        score(order(), NAIVE)
    with pytest.raises(ValueError, match="now must be timezone-aware"):
        countdown_seconds(NOW, NAIVE)
    with pytest.raises(ValueError, match="now must be timezone-aware"):
        countdown_seconds(None, NAIVE)
    with pytest.raises(ValueError, match="promised_ship_by must be timezone-aware"):
        needs_compensation(NAIVE, NOW, False)


@pytest.mark.parametrize(("field", "value", "words"), [
    ("vip_level", -1, "vip_level must be at least 0"),
    ("vip_level", 2.0, "vip_level must be an integer"),
    ("amount_fen", -1, "amount_fen must be at least 0"),
    ("amount_fen", True, "amount_fen must be an integer"),
    ("is_presale", 1, "is_presale must be True or False"),
    ("created_at", "2026-11-11", "created_at must be a datetime"),
])
def test_bad_input_values_are_refused(field: str, value: Any, words: str) -> None:
    fields: dict[str, Any] = {"promised_ship_by": None, "is_presale": False, "vip_level": 0,
                              "amount_fen": 0, "paid_at": None, "created_at": NOW}
    fields[field] = value
    with pytest.raises(ValueError, match=words):
        PriorityInput(**fields)


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"due_soon_hours": 0}, "due_soon_hours must be a positive"),
    ({"due_soon_hours": -1.0}, "due_soon_hours must be a positive"),
    ({"due_soon_hours": float("inf")}, "due_soon_hours must be a positive"),
    ({"due_soon_hours": "12"}, "due_soon_hours must be a number"),
    ({"vip_min_level": 0}, "vip_min_level must be at least 1"),
])
def test_bad_policies_are_refused(kwargs: dict[str, Any], words: str) -> None:
    with pytest.raises(ValueError, match=words):
        PriorityPolicy(**kwargs)


def test_needs_compensation_refuses_a_non_bool_shipped() -> None:
    with pytest.raises(ValueError, match="shipped must be True or False"):
        needs_compensation(NOW, NOW, None)  # type: ignore[arg-type]
