"""Warehouse routing and carrier choice (app.domain.routing) on hand-drawn geography.

Warehouses: HZ 杭州 (120.2, 30.3), GZ 广州 (113.3, 23.1), BJ 北京 (116.4, 39.9).
Nearest first from 上海: HZ, BJ, GZ; from 深圳: GZ, HZ, BJ; from 天津: BJ, HZ, GZ.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from app.domain.regions import Region, distance_km
from app.domain.routing import (
    CarrierInfo,
    CarrierPolicy,
    RouteLine,
    RoutePlan,
    Shipment,
    WarehouseDistances,
    WarehouseInfo,
    choose_carrier,
    plan_route,
    province_of,
)

HZ_ID, GZ_ID, BJ_ID = 1, 2, 3
SKU_A, SKU_B, SKU_C, SKU_D = 101, 102, 103, 104

SHANGHAI = Region("310101", "上海市", "上海市", "黄浦区", "310000", "310100", 121.49, 31.23)
SHENZHEN = Region("440304", "广东省", "深圳市", "福田区", "440000", "440300", 114.05, 22.54)
TIANJIN = Region("120101", "天津市", "天津市", "和平区", "120000", "120100", 117.20, 39.12)


def warehouses(hz: int = 100, gz: int = 100, bj: int = 100) -> list[WarehouseInfo]:
    """The three warehouses with the given capacity left today."""
    return [
        WarehouseInfo(HZ_ID, "HZ", 120.2, 30.3, hz),
        WarehouseInfo(GZ_ID, "GZ", 113.3, 23.1, gz),
        WarehouseInfo(BJ_ID, "BJ", 116.4, 39.9, bj),
    ]


def stock_of(**per_warehouse: dict[int, int]) -> dict[tuple[int, int], int]:
    ids = {"HZ": HZ_ID, "GZ": GZ_ID, "BJ": BJ_ID}
    return {
        (ids[code], sku): units
        for code, skus in per_warehouse.items()
        for sku, units in skus.items()
    }


def lines_of(*skus: int, qty: int = 1) -> list[RouteLine]:
    return [RouteLine(no, sku, qty) for no, sku in enumerate(skus, start=1)]


def single(warehouse_id: int, lines: list[RouteLine]) -> RoutePlan:
    return RoutePlan((Shipment(warehouse_id, tuple(lines)),), (), False)


# --------------------------------------------------------------------------- distances


@pytest.mark.parametrize(("destination", "expected"), [
    (SHANGHAI, (HZ_ID, BJ_ID, GZ_ID)),
    (SHENZHEN, (GZ_ID, HZ_ID, BJ_ID)),
    (TIANJIN, (BJ_ID, HZ_ID, GZ_ID)),
])
def test_ranking_is_nearest_first_by_haversine(
    destination: Region, expected: tuple[int, ...]
) -> None:
    cache = WarehouseDistances(warehouses())
    ranking = cache.ranking(destination)
    assert tuple(wid for wid, _km in ranking) == expected
    for wid, km in ranking:
        site = next(w for w in warehouses() if w.id == wid)
        as_region = Region("000000", "", "", "", "000000", "000000", site.longitude, site.latitude)
        assert km == pytest.approx(distance_km(destination, as_region), rel=1e-9)
    # 上海 → 杭州 is about 165 km, 上海 → 北京 about 1,070 km.
    if destination is SHANGHAI:
        assert 140 < ranking[0][1] < 190
        assert 1000 < ranking[1][1] < 1150


def test_ranking_is_computed_once_per_adcode() -> None:
    cache = WarehouseDistances(warehouses())
    first = cache.ranking(SHANGHAI)
    assert cache.ranking(SHANGHAI) is first
    cache.ranking(SHENZHEN)
    assert len(cache) == 2
    # Keyed by adcode: the same district is not ranked again, whatever object names it.
    same_district = Region("310101", "上海", "上海", "黄浦", "310000", "310100", 121.49, 31.23)
    assert cache.ranking(same_district) is first
    assert len(cache) == 2


def test_cache_is_bounded() -> None:
    cache = WarehouseDistances(warehouses(), max_regions=2)
    for region in (SHANGHAI, SHENZHEN, TIANJIN):
        cache.ranking(region)
    assert len(cache) == 2
    assert cache.warehouse_ids == frozenset({HZ_ID, GZ_ID, BJ_ID})


def test_cache_ignores_capacity_and_accepts_a_subset_of_its_warehouses() -> None:
    cache = WarehouseDistances(warehouses(hz=0, gz=0, bj=0))
    only_gz_bj = [w for w in warehouses() if w.id != HZ_ID]
    plan = plan_route(lines_of(SKU_A), SHANGHAI, only_gz_bj,
                      stock_of(HZ={SKU_A: 5}, GZ={SKU_A: 5}, BJ={SKU_A: 5}), cache)
    assert plan == single(BJ_ID, lines_of(SKU_A))


def test_cache_refuses_unknown_or_moved_warehouses() -> None:
    cache = WarehouseDistances(warehouses()[:2])
    stock = stock_of(HZ={SKU_A: 1})
    with pytest.raises(ValueError, match="not in the distances cache"):
        plan_route(lines_of(SKU_A), SHANGHAI, warehouses(), stock, cache)
    moved = [WarehouseInfo(HZ_ID, "HZ", 121.0, 30.3, 100)]
    with pytest.raises(ValueError, match="has moved"):
        plan_route(lines_of(SKU_A), SHANGHAI, moved, stock, cache)


# --------------------------------------------------------------------------- one warehouse


@pytest.mark.parametrize(("destination", "winner"), [
    (SHANGHAI, HZ_ID), (SHENZHEN, GZ_ID), (TIANJIN, BJ_ID),
])
def test_nearest_warehouse_with_all_stock_wins(destination: Region, winner: int) -> None:
    everything = {SKU_A: 10, SKU_B: 10}
    stock = stock_of(HZ=everything, GZ=everything, BJ=everything)
    lines = lines_of(SKU_A, SKU_B)
    assert plan_route(lines, destination, warehouses(), stock) == single(winner, lines)


def test_nearest_lacking_one_sku_loses_to_a_farther_complete_one() -> None:
    stock = stock_of(HZ={SKU_A: 10}, BJ={SKU_A: 10, SKU_B: 10}, GZ={SKU_A: 10, SKU_B: 10})
    lines = lines_of(SKU_A, SKU_B)
    # HZ is nearest to 上海 but has no B; BJ is nearer than GZ.
    plan = plan_route(lines, SHANGHAI, warehouses(), stock)
    assert plan == single(BJ_ID, lines)
    assert not plan.is_split


def test_stock_must_cover_the_quantity_not_just_the_sku() -> None:
    stock = stock_of(HZ={SKU_A: 2}, BJ={SKU_A: 3})
    lines = lines_of(SKU_A, qty=3)
    assert plan_route(lines, SHANGHAI, warehouses(), stock) == single(BJ_ID, lines)
    assert plan_route(lines_of(SKU_A, qty=2), SHANGHAI, warehouses(), stock) == single(
        HZ_ID, lines_of(SKU_A, qty=2))


def test_lines_of_the_same_sku_add_up() -> None:
    lines = [RouteLine(1, SKU_A, 2), RouteLine(2, SKU_A, 2)]
    stock = stock_of(HZ={SKU_A: 3}, BJ={SKU_A: 4})
    assert plan_route(lines, SHANGHAI, warehouses(), stock) == single(BJ_ID, lines)


# --------------------------------------------------------------------------- split


def test_split_takes_the_warehouse_covering_most_lines_for_fewest_parcels() -> None:
    # Nearest-first would give three parcels (HZ: A, BJ: B, GZ: C); the greedy split
    # sends A+B from BJ and C from GZ: two parcels, whole lines each.
    stock = stock_of(HZ={SKU_A: 5}, BJ={SKU_A: 5, SKU_B: 5}, GZ={SKU_C: 5})
    lines = lines_of(SKU_A, SKU_B, SKU_C)
    plan = plan_route(lines, SHANGHAI, warehouses(), stock)
    assert plan == RoutePlan(
        shipments=(Shipment(BJ_ID, (lines[0], lines[1])), Shipment(GZ_ID, (lines[2],))),
        short=(),
        overflowed=False,
    )
    assert plan.is_split


def test_split_ties_go_to_the_nearer_warehouse() -> None:
    # From 深圳: GZ, HZ, BJ. HZ and BJ each cover two lines; HZ is nearer so ships first.
    stock = stock_of(BJ={SKU_A: 1, SKU_B: 1}, HZ={SKU_C: 1, SKU_D: 1})
    lines = lines_of(SKU_A, SKU_B, SKU_C, SKU_D)
    plan = plan_route(lines, SHENZHEN, warehouses(), stock)
    assert plan.shipments == (
        Shipment(HZ_ID, (lines[2], lines[3])),
        Shipment(BJ_ID, (lines[0], lines[1])),
    )
    # One line per warehouse: GZ (nearest) takes A, so HZ's A is not needed and BJ ships B.
    stock = stock_of(GZ={SKU_A: 1}, HZ={SKU_A: 1}, BJ={SKU_B: 1})
    lines = lines_of(SKU_A, SKU_B)
    plan = plan_route(lines, SHENZHEN, warehouses(), stock)
    assert plan == RoutePlan(
        (Shipment(GZ_ID, (lines[0],)), Shipment(BJ_ID, (lines[1],))), (), False
    )


def test_a_line_is_never_split_across_warehouses() -> None:
    # 3 + 3 units in two warehouses do not make 5: the line is short, not halved.
    stock = stock_of(HZ={SKU_A: 3}, BJ={SKU_A: 3, SKU_B: 1})
    lines = [RouteLine(1, SKU_A, 5), RouteLine(2, SKU_B, 1)]
    plan = plan_route(lines, SHANGHAI, warehouses(), stock)
    assert plan == RoutePlan((Shipment(BJ_ID, (lines[1],)),), (lines[0],), False)
    shipped = [ln for s in plan.shipments for ln in s.lines]
    assert sorted(ln.line_no for ln in shipped + list(plan.short)) == [1, 2]


def test_competing_lines_of_one_sku_ship_as_many_as_fit() -> None:
    # HZ has 4 of A: lines of 3, 1 and 2 units. Smallest first ships two lines (1+2) there;
    # the 3-unit line goes to BJ.
    stock = stock_of(HZ={SKU_A: 4}, BJ={SKU_A: 3})
    lines = [RouteLine(1, SKU_A, 3), RouteLine(2, SKU_A, 1), RouteLine(3, SKU_A, 2)]
    plan = plan_route(lines, SHANGHAI, warehouses(), stock)
    assert plan.shipments == (
        Shipment(HZ_ID, (lines[1], lines[2])),
        Shipment(BJ_ID, (lines[0],)),
    )
    assert plan.short == ()


# --------------------------------------------------------------------------- capacity


def test_full_warehouse_overflows_to_the_next_nearest() -> None:
    everything = {SKU_A: 10}
    stock = stock_of(HZ=everything, GZ=everything, BJ=everything)
    lines = lines_of(SKU_A)
    plan = plan_route(lines, SHANGHAI, warehouses(hz=0), stock)
    assert plan.shipments == (Shipment(BJ_ID, tuple(lines)),)
    assert plan.overflowed
    plan = plan_route(lines, SHANGHAI, warehouses(hz=0, bj=0), stock)
    assert plan.shipments == (Shipment(GZ_ID, tuple(lines)),)
    assert plan.overflowed


def test_full_warehouse_without_the_stock_is_not_an_overflow() -> None:
    stock = stock_of(BJ={SKU_A: 10}, GZ={SKU_A: 10})
    lines = lines_of(SKU_A)
    plan = plan_route(lines, SHANGHAI, warehouses(hz=0), stock)
    assert plan == single(BJ_ID, lines)
    # Nor is a full warehouse farther than the one chosen.
    plan = plan_route(lines, SHANGHAI, warehouses(gz=0), stock)
    assert plan == single(BJ_ID, lines)


def test_capacity_overflow_during_a_split() -> None:
    # BJ alone covers A+B, but is full: GZ ships B+C and HZ ships A.
    stock = stock_of(HZ={SKU_A: 1}, BJ={SKU_A: 1, SKU_B: 1}, GZ={SKU_B: 1, SKU_C: 1})
    lines = lines_of(SKU_A, SKU_B, SKU_C)
    plan = plan_route(lines, SHANGHAI, warehouses(bj=0), stock)
    assert plan == RoutePlan(
        (Shipment(GZ_ID, (lines[1], lines[2])), Shipment(HZ_ID, (lines[0],))), (), True
    )
    # With room at BJ the same order is BJ + GZ and nothing overflowed.
    plan = plan_route(lines, SHANGHAI, warehouses(), stock)
    assert plan == RoutePlan(
        (Shipment(BJ_ID, (lines[0], lines[1])), Shipment(GZ_ID, (lines[2],))), (), False
    )


def test_stock_only_in_a_full_warehouse_is_short_and_overflowed() -> None:
    stock = stock_of(HZ={SKU_A: 5, SKU_B: 5}, GZ={SKU_A: 5})
    lines = lines_of(SKU_A, SKU_B)
    plan = plan_route(lines, SHANGHAI, warehouses(hz=0), stock)
    assert plan == RoutePlan((Shipment(GZ_ID, (lines[0],)),), (lines[1],), True)


# --------------------------------------------------------------------------- short


def test_lines_no_warehouse_has_are_short() -> None:
    stock = stock_of(HZ={SKU_A: 5, SKU_C: 5})
    lines = lines_of(SKU_A, SKU_B, SKU_C, SKU_D)
    plan = plan_route(lines, SHANGHAI, warehouses(), stock)
    assert plan == RoutePlan(
        (Shipment(HZ_ID, (lines[0], lines[2])),), (lines[1], lines[3]), False
    )


def test_nothing_in_stock_anywhere() -> None:
    lines = lines_of(SKU_A, SKU_B)
    assert plan_route(lines, SHANGHAI, warehouses(), {}) == RoutePlan((), tuple(lines), False)
    assert plan_route(lines, SHANGHAI, [], {}) == RoutePlan((), tuple(lines), False)


# --------------------------------------------------------------------------- determinism


def test_same_inputs_same_plan_whatever_the_order_or_cache() -> None:
    stock = stock_of(HZ={SKU_A: 1}, BJ={SKU_A: 1, SKU_B: 1}, GZ={SKU_B: 1, SKU_C: 1})
    lines = lines_of(SKU_A, SKU_B, SKU_C)
    plans = set()
    for order in itertools.permutations(warehouses(bj=0)):
        plans.add(plan_route(lines, SHANGHAI, list(order), stock))
        plans.add(plan_route(lines, SHANGHAI, list(order), stock,
                             WarehouseDistances(reversed(order))))
    assert len(plans) == 1


def test_equidistant_warehouses_tie_on_id() -> None:
    twins = [WarehouseInfo(9, "HZ2", 120.2, 30.3, 10), WarehouseInfo(4, "HZ1", 120.2, 30.3, 10)]
    stock = {(9, SKU_A): 1, (4, SKU_A): 1}
    lines = lines_of(SKU_A)
    assert plan_route(lines, SHANGHAI, twins, stock).shipments[0].warehouse_id == 4
    assert plan_route(lines, SHANGHAI, twins[::-1], stock).shipments[0].warehouse_id == 4


# --------------------------------------------------------------------------- bad input


def test_route_refuses_bad_input() -> None:
    stock = stock_of(HZ={SKU_A: 1})
    with pytest.raises(ValueError, match="at least one line"):
        plan_route([], SHANGHAI, warehouses(), stock)
    with pytest.raises(ValueError, match="line number 1 appears twice"):
        plan_route([RouteLine(1, SKU_A, 1), RouteLine(1, SKU_B, 1)], SHANGHAI, warehouses(), stock)
    with pytest.raises(ValueError, match="warehouse id 1 appears twice"):
        plan_route(lines_of(SKU_A), SHANGHAI, warehouses() + warehouses()[:1], stock)
    with pytest.raises(ValueError, match="negative"):
        plan_route(lines_of(SKU_A), SHANGHAI, warehouses(), {(HZ_ID, SKU_A): -1})
    with pytest.raises(ValueError, match="appears twice"):
        WarehouseDistances(warehouses() + warehouses()[:1])
    with pytest.raises(ValueError, match="max_regions"):
        WarehouseDistances(warehouses(), max_regions=0)


@pytest.mark.parametrize("make", [
    lambda: RouteLine(1, SKU_A, 0),
    lambda: RouteLine(1, SKU_A, -2),
    lambda: WarehouseInfo(1, "HZ", 120.2, 30.3, -1),
    lambda: WarehouseInfo(1, "HZ", 30.3, 120.2, 1),
    lambda: WarehouseInfo(1, "HZ", 190.0, 30.3, 1),
])
def test_records_refuse_impossible_values(make: Callable[[], object]) -> None:
    with pytest.raises(ValueError):
        make()


# --------------------------------------------------------------------------- volume


def test_ten_thousand_orders_rank_each_district_once() -> None:
    # Speed is measured in tests/perf (bench_engine.py), not asserted here: what this checks
    # is that the cache does its job — one ranking per destination district, however many
    # orders — and that a large mixed batch routes completely.
    sites = warehouses(hz=10**6, gz=10**6, bj=10**6)
    cache = WarehouseDistances(sites)
    stock = stock_of(
        HZ={SKU_A: 10**6, SKU_B: 10**6},
        GZ={SKU_B: 10**6, SKU_C: 10**6},
        BJ={SKU_A: 10**6, SKU_C: 10**6, SKU_D: 10**6},
    )
    skus = (SKU_A, SKU_B, SKU_C, SKU_D)
    destinations = (SHANGHAI, SHENZHEN, TIANJIN)
    orders = [
        (lines_of(*skus[i % 4: i % 4 + 1 + i % 3]), destinations[i % 3]) for i in range(10_000)
    ]
    plans = [plan_route(lines, dest, sites, stock, cache) for lines, dest in orders]
    assert len(cache) == 3
    assert all(not plan.short for plan in plans)
    assert sum(len(plan.shipments) for plan in plans) > len(plans)  # some orders did split


# --------------------------------------------------------------------------- carriers

ZTO = CarrierInfo(1, "ZTO", "express", None, 30_000)
YTO = CarrierInfo(2, "YTO", "express", None, None)
STO = CarrierInfo(3, "STO", "express", frozenset({"310000", "330000"}), 20_000)
SF = CarrierInfo(4, "SF", "premium", None, None)
JDL = CarrierInfo(5, "JDL", "premium", frozenset({"110000", "120000"}), None)
DBL = CarrierInfo(6, "DBL", "freight", None, None)
ANE = CarrierInfo(7, "ANE", "freight", frozenset({"440000"}), 100_000)
CARRIERS = (ZTO, YTO, STO, SF, JDL, DBL, ANE)
POLICY = CarrierPolicy()


def test_ordinary_parcel_goes_to_the_default_carrier() -> None:
    assert choose_carrier(1200, False, 5900, "310000", CARRIERS, POLICY) is ZTO
    # The default applies whatever its position in the list.
    assert choose_carrier(1200, False, 5900, "310000", CARRIERS[::-1], POLICY) is ZTO


def test_default_outside_its_coverage_falls_back_to_express() -> None:
    policy = CarrierPolicy(default_code="STO")
    assert choose_carrier(1200, False, 5900, "330000", CARRIERS, policy) is STO
    # STO does not serve 广东: first express carrier in list order, or the preferred one.
    assert choose_carrier(1200, False, 5900, "440000", CARRIERS, policy) is ZTO
    preferred = CarrierPolicy(default_code="STO", preferred=("YTO", "ZTO"))
    assert choose_carrier(1200, False, 5900, "440000", CARRIERS, preferred) is YTO


def test_default_over_its_weight_limit_falls_back_to_one_that_takes_it() -> None:
    policy = CarrierPolicy(bulky_weight_g=50_000, default_code="STO")
    assert choose_carrier(20_000, False, 5900, "310000", CARRIERS, policy) is STO
    assert choose_carrier(20_001, False, 5900, "310000", CARRIERS, policy) is ZTO
    assert choose_carrier(30_001, False, 5900, "310000", CARRIERS, policy) is YTO


def test_a_preferred_carrier_that_cannot_serve_is_passed_over() -> None:
    policy = CarrierPolicy(default_code="none", preferred=("STO", "YTO"))
    assert choose_carrier(1000, False, 5900, "310000", CARRIERS, policy) is STO
    assert choose_carrier(1000, False, 5900, "440000", CARRIERS, policy) is YTO


def test_bulky_or_heavy_goes_to_freight() -> None:
    assert choose_carrier(500, True, 5900, "310000", CARRIERS, POLICY) is DBL
    assert choose_carrier(15_001, False, 5900, "310000", CARRIERS, POLICY) is DBL
    # Exactly the threshold is not "heavier than" it.
    assert choose_carrier(15_000, False, 5900, "310000", CARRIERS, POLICY) is ZTO
    preferred = CarrierPolicy(preferred=("ANE",))
    assert choose_carrier(500, True, 5900, "440000", CARRIERS, preferred) is ANE
    assert choose_carrier(500, True, 5900, "310000", CARRIERS, preferred) is DBL
    # ANE's own weight limit still applies.
    assert choose_carrier(100_001, True, 5900, "440000", CARRIERS, preferred) is DBL


def test_high_value_goes_to_premium() -> None:
    assert choose_carrier(800, False, 300_000, "310000", CARRIERS, POLICY) is SF
    assert choose_carrier(800, False, 299_999, "310000", CARRIERS, POLICY) is ZTO
    preferred = CarrierPolicy(preferred=("JDL",))
    assert choose_carrier(800, False, 500_000, "120000", CARRIERS, preferred) is JDL
    assert choose_carrier(800, False, 500_000, "310000", CARRIERS, preferred) is SF


def test_bulky_rule_comes_before_premium() -> None:
    assert choose_carrier(20_000, False, 900_000, "310000", CARRIERS, POLICY) is DBL


def test_no_carrier_means_none_and_no_silent_downgrade() -> None:
    express_only = (ZTO, YTO, STO)
    assert choose_carrier(500, True, 5900, "310000", express_only, POLICY) is None
    assert choose_carrier(500, False, 400_000, "310000", express_only, POLICY) is None
    # Freight exists but not for 上海 with ANE only.
    assert choose_carrier(500, True, 5900, "310000", (ZTO, ANE), POLICY) is None
    # Nothing covers 西藏 within the weight.
    assert choose_carrier(500, False, 5900, "540000", (STO,), POLICY) is None
    assert choose_carrier(25_000, False, 5900, "310000", (STO, ZTO),
                          CarrierPolicy(bulky_weight_g=40_000)) is ZTO
    assert choose_carrier(35_000, False, 5900, "310000", (STO, ZTO),
                          CarrierPolicy(bulky_weight_g=40_000)) is None
    assert choose_carrier(500, False, 5900, "310000", (), POLICY) is None


def test_district_or_city_adcodes_are_read_as_their_province() -> None:
    assert province_of("440304") == "440000"
    assert choose_carrier(500, True, 5900, "440304", (ANE,), POLICY) is ANE
    assert choose_carrier(500, True, 5900, SHENZHEN.adcode, (ANE,), POLICY) is ANE


@pytest.mark.parametrize(("call", "words"), [
    (lambda: choose_carrier(-1, False, 0, "310000", CARRIERS, POLICY), "weight"),
    (lambda: choose_carrier(1, False, -1, "310000", CARRIERS, POLICY), "value"),
    (lambda: choose_carrier(1, False, 0, "31000", CARRIERS, POLICY), "six-digit"),
    (lambda: choose_carrier(1, False, 0, "上海", CARRIERS, POLICY), "six-digit"),
    (lambda: choose_carrier(1, False, 0, "３１００００", CARRIERS, POLICY), "six-digit"),
    (lambda: CarrierInfo(1, "X", "bike", None, None), "kind"),
    (lambda: CarrierInfo(1, "", "express", None, None), "code"),
    (lambda: CarrierInfo(1, "X", "express", frozenset({"330100"}), None), "province"),
    (lambda: CarrierInfo(1, "X", "express", None, 0), "max_weight_g"),
    (lambda: CarrierPolicy(bulky_weight_g=0), "bulky_weight_g"),
    (lambda: CarrierPolicy(premium_value_fen=-5), "premium_value_fen"),
])
def test_carrier_choice_refuses_bad_input(call: Callable[[], object], words: str) -> None:
    with pytest.raises(ValueError, match=words):
        call()
