"""Weighing at the packing station (app.domain.weighing): expected weight, tolerance, learning."""

from __future__ import annotations

import random
import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.weighing import (
    LearnedWeight,
    Tolerance,
    WeighingError,
    WeightHistory,
    WeightVerdict,
    expected_weight,
)


def test_expected_weight_adds_units_and_packaging() -> None:
    # 3 cups of 120 g, 2 lids of 15 g, a 30 g carton.
    assert expected_weight([(120, 3), (15, 2)], 30) == 420
    assert expected_weight([], 30) == 30
    assert expected_weight(iter([(0, 5)]), 0) == 0


@pytest.mark.parametrize("lines, packaging", [
    ([(-1, 1)], 30), ([(10, -2)], 30), ([(10, 1)], -1), ([(1.5, 1)], 0), ([(True, 1)], 0),
    ([(10, 1)], "30"),
])
def test_expected_weight_refuses_what_is_not_grams(lines: list[tuple[int, int]],
                                                   packaging: int) -> None:
    with pytest.raises(WeighingError):
        expected_weight(lines, packaging)


def test_light_parcels_get_the_fixed_floor_heavy_ones_the_percentage() -> None:
    t = Tolerance()  # 50 g or 5 %
    assert t.allowed_g(200) == 50  # 5 % would be 10 g
    assert t.allowed_g(1000) == 50  # the crossover: both rules say 50
    assert t.allowed_g(1020) == 51
    assert t.allowed_g(20_000) == 1000
    assert t.allowed_g(1039) == 51  # 51.95 rounds down: never more than the stated percent


@pytest.mark.parametrize("actual, reason", [
    (450, "ok"), (400, "ok"), (500, "ok"),  # boundaries are inclusive
    (399, "too_light"), (501, "too_heavy"),
    (20, "too_light"),  # allowed by the parcel minimum, far too light for 450 g
    (19, "below_min"), (0, "below_min"),
])
def test_light_parcel_boundaries(actual: int, reason: str) -> None:
    t = Tolerance(grams=50, percent=5.0, min_parcel_g=20)
    verdict = t.check(450, actual)
    assert verdict.reason == reason
    assert verdict.ok is (reason == "ok")
    assert verdict.deviation_g == actual - 450
    assert verdict.allowed_g == 50


def test_heavy_parcel_boundaries_and_parcel_limits() -> None:
    t = Tolerance()
    assert t.check(20_000, 21_000) == WeightVerdict(True, "ok", 1000, 1000)
    assert t.check(20_000, 21_001) == WeightVerdict(False, "too_heavy", 1001, 1000)
    assert t.check(20_000, 18_999) == WeightVerdict(False, "too_light", -1001, 1000)
    assert t.check(29_000, 30_000).ok
    assert t.check(29_000, 30_001) == WeightVerdict(False, "above_max", 1001, 1450)
    assert t.check(0, 19).reason == "below_min"  # an empty scale is never a parcel
    assert t.check(0, 20).ok


def test_a_percent_spelled_as_a_decimal_falls_where_it_reads() -> None:
    # 0.1 % of 1,000,000 g is 1000 g exactly, not 999 through float rounding.
    t = Tolerance(grams=0, percent=0.1, max_parcel_g=2_000_000)
    assert t.allowed_g(1_000_000) == 1000
    assert t.check(1_000_000, 1_001_000).ok
    assert not t.check(1_000_000, 1_001_001).ok


@given(expected=st.integers(0, 40_000), actual=st.integers(0, 40_000),
       grams=st.integers(0, 500), percent=st.sampled_from([0, 1, 2.5, 5.0, 10]))
def test_verdict_matches_its_own_numbers(expected: int, actual: int, grams: int,
                                         percent: float) -> None:
    t = Tolerance(grams=grams, percent=percent)
    v = t.check(expected, actual)
    assert v.deviation_g == actual - expected
    assert v.allowed_g >= grams
    assert v.allowed_g * 100 <= max(grams * 100, expected * percent + 1e-6)
    if t.min_parcel_g <= actual <= t.max_parcel_g:
        assert v.ok is (abs(v.deviation_g) <= v.allowed_g)
    else:
        assert not v.ok


@pytest.mark.parametrize("kwargs", [
    {"grams": -1}, {"percent": -0.5}, {"percent": float("nan")}, {"percent": float("inf")},
    {"percent": "5"}, {"min_parcel_g": 100, "max_parcel_g": 100}, {"grams": 1.5},
    {"max_parcel_g": True},
])
def test_a_tolerance_must_make_sense(kwargs: dict[str, object]) -> None:
    with pytest.raises(WeighingError):
        Tolerance(**kwargs)  # type: ignore[arg-type]


def test_check_refuses_negative_or_fractional_readings() -> None:
    with pytest.raises(WeighingError):
        Tolerance().check(100, -5)
    with pytest.raises(WeighingError):
        Tolerance().check(100.0, 100)  # type: ignore[arg-type]


# ---------------------------------------------------------------- learned weights

MUG_BOX = ("box-M", ((11, 1),))  # a mug in a medium box
TWO_CUPS = ("box-S", ((12, 2),))


def test_fewer_than_three_shipments_teach_nothing() -> None:
    h = WeightHistory()
    assert h.expected(MUG_BOX) is None
    h.learn(MUG_BOX, 500)
    h.learn(MUG_BOX, 510)
    assert h.expected(MUG_BOX) is None
    assert not h.flag(MUG_BOX, 5000)  # nothing learned, nothing to hold it against
    h.learn(MUG_BOX, 520)
    learned = h.expected(MUG_BOX)
    assert learned == LearnedWeight(samples=3, mean_g=510.0, sigma_g=10.0)
    assert h.expected(TWO_CUPS) is None  # keys do not mix


def test_flag_needs_both_the_percent_and_the_sigma_rule() -> None:
    # A steady combination: mean 1000, σ 10.
    steady = WeightHistory()
    for g in (990, 1000, 1010):
        steady.learn(MUG_BOX, g)
    assert not steady.flag(MUG_BOX, 1030)  # 3σ but only 3 %
    assert not steady.flag(MUG_BOX, 1050)  # exactly 5 %: not more than
    assert steady.flag(MUG_BOX, 1051)  # > 5 % and > 2σ
    assert steady.flag(MUG_BOX, 949)

    # A loose one (filler varies): mean 1000, σ 100.
    loose = WeightHistory()
    for g in (900, 1000, 1100):
        loose.learn(TWO_CUPS, g)
    assert not loose.flag(TWO_CUPS, 1150)  # 15 % but only 1.5σ
    assert not loose.flag(TWO_CUPS, 1200)  # exactly 2σ: not more than
    assert loose.flag(TWO_CUPS, 1201)


def test_identical_shipments_flag_anything_beyond_the_percent() -> None:
    h = WeightHistory()
    for _ in range(5):
        h.learn(MUG_BOX, 800)
    assert h.expected(MUG_BOX) == LearnedWeight(5, 800.0, 0.0)
    assert not h.flag(MUG_BOX, 840)  # σ = 0 but only 5 %
    assert h.flag(MUG_BOX, 841)


@given(st.lists(st.integers(1, 30_000), min_size=3, max_size=40), st.randoms())
def test_learning_order_does_not_matter_and_matches_statistics(samples: list[int],
                                                               rnd: random.Random) -> None:
    a, b = WeightHistory(), WeightHistory()
    for g in samples:
        a.learn(MUG_BOX, g)
    shuffled = samples[:]
    rnd.shuffle(shuffled)
    for g in shuffled:
        b.learn(MUG_BOX, g)
    la, lb = a.expected(MUG_BOX), b.expected(MUG_BOX)
    assert la == lb and la is not None
    assert la.samples == len(samples)
    assert la.mean_g == pytest.approx(statistics.fmean(samples))
    assert la.sigma_g == pytest.approx(statistics.stdev(samples), abs=1e-6)
    for probe in (min(samples), max(samples), 0, 60_000):
        assert a.flag(MUG_BOX, probe) == b.flag(MUG_BOX, probe)


@given(st.lists(st.integers(100, 5000), min_size=3, max_size=20), st.integers(0, 10_000))
def test_flag_is_exactly_the_two_rules(samples: list[int], actual: int) -> None:
    h = WeightHistory()
    for g in samples:
        h.learn(TWO_CUPS, g)
    mean, sigma = statistics.fmean(samples), statistics.stdev(samples)
    dev = abs(actual - mean)
    if abs(dev - 0.05 * mean) > 1e-6 and abs(dev - 2 * sigma) > 1e-6:  # away from ties
        assert h.flag(TWO_CUPS, actual) is (dev > 0.05 * mean and dev > 2 * sigma)


def test_history_settings_and_bad_input() -> None:
    strict = WeightHistory(min_samples=2, percent=1.0, sigmas=1.0)
    strict.learn(MUG_BOX, 100)
    strict.learn(MUG_BOX, 102)
    assert strict.expected(MUG_BOX) is not None
    assert strict.flag(MUG_BOX, 104)  # 3 % and ≈ 2.1σ
    h = WeightHistory()
    with pytest.raises(WeighingError):
        h.learn(MUG_BOX, -1)
    with pytest.raises(WeighingError):
        h.learn(["not", "a", "tuple"], 100)  # type: ignore[arg-type]
    with pytest.raises(WeighingError):
        h.learn(({"unhashable"},), 100)  # type: ignore[arg-type]
    assert h.expected(MUG_BOX) is None  # nothing was learned by the refused calls
    for bad in ({"min_samples": 1}, {"percent": -1}, {"sigmas": float("nan")}):
        with pytest.raises(WeighingError):
            WeightHistory(**bad)  # type: ignore[arg-type]
