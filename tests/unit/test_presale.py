"""Presale pricing for every deposit form, the campaign pool, and release (app.domain.presale)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.presale import (
    CampaignTerms,
    PoolDecision,
    PresalePrice,
    Tier,
    capacity,
    price,
    reserve,
)

TIERS = (Tier(min_qty=2, reduction_fen=1000), Tier(min_qty=3, reduction_fen=2500),
         Tier(min_qty=5, reduction_fen=6000))

# --------------------------------------------------------------------------- pricing


def test_deposit_doubling() -> None:
    # 定金翻倍: pay 50 yuan per unit, it counts 100 against a 299 price.
    terms = CampaignTerms(kind="deposit", price_fen=29900, deposit_fen=5000,
                          deposit_value_fen=10000)
    assert price(terms, 2) == PresalePrice(qty=2, total_fen=49800, deposit_fen=10000,
                                           balance_fen=39800, discount_fen=10000)


def test_deposit_offset_gives_no_discount() -> None:
    # 定金抵现: the deposit counts exactly what was paid, so the buyer pays the full price.
    terms = CampaignTerms(kind="deposit", price_fen=29900, deposit_fen=5000,
                          deposit_value_fen=5000)
    assert price(terms, 3) == PresalePrice(qty=3, total_fen=89700, deposit_fen=15000,
                                           balance_fen=74700, discount_fen=0)


def test_balance_reduction_is_once_per_order() -> None:
    # 尾款立减 2000 off the order's balance, not per unit: 3 × 19900 − 3 × 3000 − 2000.
    terms = CampaignTerms(kind="deposit", price_fen=19900, deposit_fen=3000,
                          deposit_value_fen=3000, balance_reduction_fen=2000)
    assert price(terms, 1) == PresalePrice(qty=1, total_fen=17900, deposit_fen=3000,
                                           balance_fen=14900, discount_fen=2000)
    assert price(terms, 3) == PresalePrice(qty=3, total_fen=57700, deposit_fen=9000,
                                           balance_fen=48700, discount_fen=2000)


def test_doubling_and_balance_reduction_combine() -> None:
    terms = CampaignTerms(kind="deposit", price_fen=29900, deposit_fen=5000,
                          deposit_value_fen=10000, balance_reduction_fen=3000)
    # balance = 29900 − 10000 − 3000 = 16900; total = 5000 + 16900.
    assert price(terms, 1) == PresalePrice(qty=1, total_fen=21900, deposit_fen=5000,
                                           balance_fen=16900, discount_fen=8000)


@pytest.mark.parametrize(("qty", "tier_off"), [
    (1, 0),      # below every tier
    (2, 1000),   # first tier
    (3, 2500),
    (4, 2500),   # between tiers: the one reached, not the next
    (5, 6000),   # highest tier only, not 1000 + 2500 + 6000
    (9, 6000),
])
def test_quantity_tiers_take_the_highest_tier_reached(qty: int, tier_off: int) -> None:
    terms = CampaignTerms(kind="deposit", price_fen=10000, deposit_fen=2000,
                          deposit_value_fen=2000, tiers=TIERS)
    result = price(terms, qty)
    assert result.deposit_fen == 2000 * qty
    assert result.balance_fen == 10000 * qty - 2000 * qty - tier_off
    assert result.total_fen == 10000 * qty - tier_off
    assert result.discount_fen == tier_off


def test_tiers_are_sorted_whatever_order_they_are_given_in() -> None:
    shuffled = (TIERS[2], TIERS[0], TIERS[1])
    terms = CampaignTerms(kind="full", price_fen=10000, tiers=shuffled)
    assert terms.tiers == TIERS
    assert price(terms, 4).discount_fen == 2500


def test_full_payment_without_tiers() -> None:
    terms = CampaignTerms(kind="full", price_fen=15900)
    assert price(terms, 3) == PresalePrice(qty=3, total_fen=47700, deposit_fen=0,
                                           balance_fen=0, discount_fen=0)


def test_full_payment_with_tiers() -> None:
    terms = CampaignTerms(kind="full", price_fen=15900, tiers=TIERS)
    assert price(terms, 1) == PresalePrice(qty=1, total_fen=15900, deposit_fen=0,
                                           balance_fen=0, discount_fen=0)
    assert price(terms, 5) == PresalePrice(qty=5, total_fen=73500, deposit_fen=0,
                                           balance_fen=0, discount_fen=6000)


def test_balance_is_never_negative() -> None:
    # Deposit value 900 of a 1000 price, then 500 off the balance and a 2-unit tier of 800:
    # 2000 − 1800 − 500 − 800 would be −1100; the balance stops at 0, the deposit stands.
    terms = CampaignTerms(kind="deposit", price_fen=1000, deposit_fen=450,
                          deposit_value_fen=900, balance_reduction_fen=500,
                          tiers=(Tier(2, 800),))
    assert price(terms, 2) == PresalePrice(qty=2, total_fen=900, deposit_fen=900,
                                           balance_fen=0, discount_fen=1100)


def test_full_payment_total_is_never_negative() -> None:
    terms = CampaignTerms(kind="full", price_fen=100, tiers=(Tier(2, 500),))
    assert price(terms, 2) == PresalePrice(qty=2, total_fen=0, deposit_fen=0, balance_fen=0,
                                           discount_fen=200)


@pytest.mark.parametrize("qty", [0, -1, 1.0, "2", True, None])
def test_quantity_must_be_a_positive_int(qty: Any) -> None:
    terms = CampaignTerms(kind="full", price_fen=100)
    with pytest.raises(ValueError, match="qty"):
        price(terms, qty)


MONEY = st.integers(min_value=0, max_value=10**7)


@st.composite
def tier_tables(draw: st.DrawFn) -> tuple[Tier, ...]:
    starts = sorted(draw(st.lists(st.integers(min_value=2, max_value=50), unique=True,
                                  max_size=4)))
    offs = sorted(draw(st.lists(MONEY, min_size=len(starts), max_size=len(starts))))
    return tuple(Tier(q, off) for q, off in zip(starts, offs, strict=True))


@st.composite
def deposit_terms(draw: st.DrawFn) -> CampaignTerms:
    unit = draw(st.integers(min_value=1, max_value=10**7))
    value = draw(st.integers(min_value=1, max_value=unit))
    paid = draw(st.integers(min_value=1, max_value=value))
    return CampaignTerms(kind="deposit", price_fen=unit, deposit_fen=paid,
                         deposit_value_fen=value, balance_reduction_fen=draw(MONEY),
                         tiers=draw(tier_tables()))


@given(terms=deposit_terms(), qty=st.integers(min_value=1, max_value=200))
def test_deposit_parts_add_up_and_stay_within_the_list_price(terms: CampaignTerms,
                                                             qty: int) -> None:
    result = price(terms, qty)
    assert result.qty == qty
    assert result.total_fen == result.deposit_fen + result.balance_fen
    assert 0 <= result.total_fen <= terms.price_fen * qty
    assert result.discount_fen == terms.price_fen * qty - result.total_fen
    assert result.deposit_fen == terms.deposit_fen * qty
    assert result.balance_fen >= 0


@given(unit=st.integers(min_value=1, max_value=10**7), tiers=tier_tables(),
       qty=st.integers(min_value=1, max_value=200))
def test_full_payment_is_all_at_once_and_within_the_list_price(unit: int,
                                                               tiers: tuple[Tier, ...],
                                                               qty: int) -> None:
    # Full payment has no deposit/balance split: both are 0 and the total is the whole bill.
    result = price(CampaignTerms(kind="full", price_fen=unit, tiers=tiers), qty)
    assert result.deposit_fen == result.balance_fen == 0
    assert 0 <= result.total_fen <= unit * qty
    reached = [t.reduction_fen for t in tiers if t.min_qty <= qty]
    assert result.total_fen == max(unit * qty - max(reached, default=0), 0)
    assert result.discount_fen == unit * qty - result.total_fen


# --------------------------------------------------------------------------- terms


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"kind": "layaway", "price_fen": 100}, "kind must be one of"),
    ({"kind": "deposit", "price_fen": 0, "deposit_fen": 1, "deposit_value_fen": 1},
     "price_fen must be at least 1"),
    ({"kind": "deposit", "price_fen": 100}, "needs deposit_fen"),
    ({"kind": "deposit", "price_fen": 100, "deposit_fen": -5, "deposit_value_fen": 5},
     "deposit_fen must be at least 0"),
    ({"kind": "deposit", "price_fen": 100, "deposit_fen": 50, "deposit_value_fen": 40},
     "never counts for less"),
    ({"kind": "deposit", "price_fen": 100, "deposit_fen": 50, "deposit_value_fen": 101},
     "must not exceed price_fen"),
    ({"kind": "deposit", "price_fen": 100, "deposit_fen": 50, "deposit_value_fen": 50,
      "balance_reduction_fen": -1}, "balance_reduction_fen must be at least 0"),
    ({"kind": "full", "price_fen": 100, "deposit_fen": 10}, "full-payment presale has no"),
    ({"kind": "full", "price_fen": 100, "balance_reduction_fen": 10},
     "full-payment presale has no balance_reduction_fen"),
    ({"kind": "full", "price_fen": 100.0}, "price_fen must be an integer"),
    ({"kind": "full", "price_fen": 100, "safety_ratio": 0}, "safety_ratio must be greater"),
    ({"kind": "full", "price_fen": 100, "safety_ratio": 1.2}, "safety_ratio must be greater"),
    ({"kind": "full", "price_fen": 100, "safety_ratio": float("nan")}, "safety_ratio"),
    ({"kind": "full", "price_fen": 100, "supplier_daily_capacity": -1},
     "supplier_daily_capacity must be at least 0"),
    ({"kind": "full", "price_fen": 100, "capacity_days": -3}, "capacity_days must be"),
    ({"kind": "full", "price_fen": 100, "tiers": (Tier(2, 10), Tier(2, 20))},
     "two tiers start at 2"),
    ({"kind": "full", "price_fen": 100, "tiers": (Tier(2, 50), Tier(4, 20))},
     "less than the tier at 2 units"),
    ({"kind": "full", "price_fen": 100, "tiers": ((2, 50),)}, "must hold Tier"),
    ({"kind": "full", "price_fen": 100, "tiers": "2:50"}, "tuple of Tier"),
])
def test_invalid_terms_are_refused(kwargs: dict[str, Any], words: str) -> None:
    with pytest.raises(ValueError, match=words):
        CampaignTerms(**kwargs)


@pytest.mark.parametrize(("min_qty", "reduction", "words"), [
    (1, 100, "min_qty must be at least 2"),
    (0, 100, "min_qty must be at least 2"),
    (2, -1, "reduction_fen must be at least 0"),
    (2.5, 100, "min_qty must be an integer"),
])
def test_invalid_tiers_are_refused(min_qty: Any, reduction: Any, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        Tier(min_qty, reduction)


def test_valid_edge_terms_are_accepted() -> None:
    # Deposit counting the whole price, safety ratio 1 and equal tier reductions are legal.
    terms = CampaignTerms(kind="deposit", price_fen=100, deposit_fen=100, deposit_value_fen=100,
                          safety_ratio=1, tiers=(Tier(2, 10), Tier(3, 10)))
    assert price(terms, 3) == PresalePrice(qty=3, total_fen=300, deposit_fen=300,
                                           balance_fen=0, discount_fen=0)


# --------------------------------------------------------------------------- capacity


def test_capacity_applies_the_default_safety_ratio() -> None:
    terms = CampaignTerms(kind="full", price_fen=100, supplier_daily_capacity=300,
                          capacity_days=5)
    assert terms.safety_ratio == 0.8
    assert capacity(terms) == 1200


@pytest.mark.parametrize(("daily", "days", "ratio", "expected"), [
    (7, 3, 0.8, 16),     # 16.8 floors to 16
    (1, 1, 0.8, 0),      # 0.8 floors to 0
    (100, 1, 0.57, 57),  # float math gives 56.99999…; the ratio as written gives 57
    (10, 1, 0.7, 7),
    (333, 3, 1.0, 999),
    (0, 10, 0.8, 0),
    (500, 0, 0.8, 0),
])
def test_capacity_floors(daily: int, days: int, ratio: float, expected: int) -> None:
    terms = CampaignTerms(kind="full", price_fen=100, supplier_daily_capacity=daily,
                          capacity_days=days, safety_ratio=ratio)
    assert capacity(terms) == expected


# --------------------------------------------------------------------------- pool


def test_pool_accepts_while_it_fits() -> None:
    assert reserve(1200, 100, 50) == PoolDecision(accepted=True, reserved_after=150,
                                                  remaining=1050, warn=False)


def test_pool_accepts_the_last_unit_and_warns() -> None:
    assert reserve(1200, 1199, 1) == PoolDecision(accepted=True, reserved_after=1200,
                                                  remaining=0, warn=True)


def test_pool_refuses_one_unit_over_and_leaves_the_pool_alone() -> None:
    assert reserve(1200, 1199, 2) == PoolDecision(accepted=False, reserved_after=1199,
                                                  remaining=1, warn=True)


def test_pool_refusal_warns_even_when_the_pool_is_far_from_full() -> None:
    assert reserve(1200, 0, 1201) == PoolDecision(accepted=False, reserved_after=0,
                                                  remaining=1200, warn=True)


def test_pool_warns_exactly_at_the_threshold() -> None:
    # 0.9 × 1200 = 1080: 1079 reserved is quiet, 1080 warns (at or above).
    assert reserve(1200, 1000, 79).warn is False
    assert reserve(1200, 1000, 80) == PoolDecision(accepted=True, reserved_after=1080,
                                                   remaining=120, warn=True)


def test_pool_warn_threshold_is_configurable() -> None:
    assert reserve(1000, 0, 499, warn_at=0.5).warn is False
    assert reserve(1000, 0, 500, warn_at=0.5).warn is True


def test_pool_over_a_lowered_capacity_refuses_and_reports_nothing_left() -> None:
    assert reserve(100, 150, 1) == PoolDecision(accepted=False, reserved_after=150,
                                                remaining=0, warn=True)


def test_empty_pool_refuses_everything() -> None:
    assert reserve(0, 0, 1) == PoolDecision(accepted=False, reserved_after=0, remaining=0,
                                            warn=True)


@pytest.mark.parametrize(("args", "words"), [
    ((-1, 0, 1), "capacity must be at least 0"),
    ((10, -1, 1), "reserved must be at least 0"),
    ((10, 0, 0), "qty must be at least 1"),
    ((10, 0, 2.0), "qty must be an integer"),
])
def test_pool_refuses_bad_input(args: tuple[Any, Any, Any], words: str) -> None:
    with pytest.raises(ValueError, match=words):
        reserve(*args)


@pytest.mark.parametrize("warn_at", [0, -0.1, 1.5])
def test_pool_refuses_a_bad_warn_threshold(warn_at: float) -> None:
    with pytest.raises(ValueError, match="warn_at"):
        reserve(10, 0, 1, warn_at=warn_at)


@given(cap=st.integers(min_value=0, max_value=10**6), reserved=st.integers(0, 10**6),
       qty=st.integers(1, 10**4))
def test_pool_never_oversells(cap: int, reserved: int, qty: int) -> None:
    decision = reserve(cap, reserved, qty)
    if decision.accepted:
        assert decision.reserved_after == reserved + qty <= cap
    else:
        assert decision.reserved_after == reserved
        assert reserved + qty > cap
        assert decision.warn
    assert decision.remaining == max(cap - decision.reserved_after, 0)
