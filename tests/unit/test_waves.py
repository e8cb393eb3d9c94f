"""Wave planning (app.domain.waves): who goes in which wave, within which limits, in what order.

The pick area: warehouses 1 and 2, each with zones A and B of 2 aisles × 3 racks × 1 level.
A bin's id is warehouse·1000 + zone·100 + aisle·10 + rack (zone A = 1, B = 2), so 1213 is
warehouse 1, zone B, aisle 1, rack 3. SKUs below 50 live in zone A, 50 and up in zone B.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.pick_path import (
    BinSpot,
    PickNeed,
    PickPathError,
    pick_path,
    pick_seconds,
    walking_distance,
)
from app.domain.waves import (
    CELL_STRATEGIES,
    PlannedWave,
    Strategy,
    WaveLimits,
    WaveOrderFact,
    WavePlanError,
    parse_strategy,
    plan_waves,
)

NOW = datetime(2026, 11, 11, 12, 0, tzinfo=UTC)
ZONES = {"A": 1, "B": 2}


def bin_of(warehouse: int, zone: str, aisle: int, rack: int) -> int:
    return warehouse * 1000 + ZONES[zone] * 100 + aisle * 10 + rack


def _spots() -> dict[int, BinSpot]:
    spots: dict[int, BinSpot] = {}
    for warehouse in (1, 2):
        seq = 0
        for zone in ZONES:
            for aisle in (1, 2):
                for rack in ((1, 2, 3) if aisle % 2 else (3, 2, 1)):
                    seq += 1
                    b = bin_of(warehouse, zone, aisle, rack)
                    spots[b] = BinSpot(b, f"LOC-W{warehouse}-{zone}{aisle:02d}-{rack:02d}-1",
                                       zone, aisle, rack, 1, seq, warehouse)
    return spots


SPOTS = _spots()


def home(sku: int, warehouse: int) -> int:
    """The bin a SKU is kept in: zone A below 50, zone B from 50."""
    return bin_of(warehouse, "A" if sku < 50 else "B", 1 + sku % 2, 1 + sku % 3)


def fact(order_id: int, *lines: tuple[int, int], warehouse: int = 1, priority: int = 100,
         band: str = "normal", carrier: int | None = 1, ship_by: datetime | None = None,
         presale: bool = False, campaign: int | None = None) -> WaveOrderFact:
    """An order whose lines are (sku, qty), each taken from the SKU's home bin."""
    needs = tuple(PickNeed(order_id, sku, home(sku, warehouse), qty) for sku, qty in lines)
    return WaveOrderFact(
        order_id=order_id, order_no=f"PL{order_id:013d}", warehouse_id=warehouse,
        carrier_id=carrier, priority=priority, band=band, promised_ship_by=ship_by,
        is_presale=presale, campaign_id=campaign, lines=len(lines),
        units=sum(qty for _sku, qty in lines), needs=needs)


def plan(orders: list[WaveOrderFact], strategy: Strategy | str,
         limits: WaveLimits | None = None, **options: object) -> list[PlannedWave]:
    return plan_waves(orders, strategy, limits or WaveLimits(), now=NOW, spots=SPOTS,
                      **options)  # type: ignore[arg-type]


def ids(waves: list[PlannedWave]) -> list[tuple[int, ...]]:
    return [w.order_ids for w in waves]


def planned(waves: list[PlannedWave]) -> set[int]:
    return {order_id for w in waves for order_id in w.order_ids}


# --------------------------------------------------------------------------- which orders


SHAPES = [
    fact(1, (1, 1)),                          # single unit
    fact(2, (2, 3)),                          # one SKU, 3 units
    fact(3, (2, 1), (2, 1)),                  # one SKU on two lines, 2 units
    fact(4, (1, 1), (3, 1)),                  # two SKUs
    fact(5, (4, 1), presale=True, campaign=7),
    fact(6, (1, 1), (60, 2), carrier=None),   # two SKUs in two zones, no carrier yet
]


@pytest.mark.parametrize(("strategy", "expected"), [
    (Strategy.SINGLE_UNIT, {1, 5}),
    (Strategy.SINGLE_SKU, {2, 3}),
    (Strategy.MULTI_ITEM, {4, 6}),
    (Strategy.PER_ORDER, {1, 2, 3, 4, 5, 6}),
    (Strategy.BY_CARRIER, {1, 2, 3, 4, 5}),
    (Strategy.BY_ZONE, {1, 2, 3, 4, 5}),
    (Strategy.PRESALE, {5}),
])
def test_each_strategy_takes_the_orders_of_its_shape(strategy: Strategy,
                                                     expected: set[int]) -> None:
    assert planned(plan(SHAPES, strategy)) == expected


def test_strategies_are_named_by_their_codes() -> None:
    assert parse_strategy("single_unit") is Strategy.SINGLE_UNIT
    assert parse_strategy(" HOT_SKU ") is Strategy.HOT_SKU
    assert planned(plan(SHAPES, "multi_item")) == {4, 6}
    assert plan(SHAPES, "multi_item")[0].strategy is Strategy.MULTI_ITEM


def test_urgent_takes_orders_due_within_the_hours_given() -> None:
    orders = [
        fact(1, (1, 1), ship_by=NOW + timedelta(hours=3)),
        fact(2, (1, 1), ship_by=NOW + timedelta(hours=4)),  # exactly at the edge: in
        fact(3, (1, 1), ship_by=NOW + timedelta(hours=4, seconds=1)),
        fact(4, (1, 1), ship_by=NOW - timedelta(hours=2), band="overdue"),
        fact(5, (1, 1)),  # no promise, never urgent
    ]
    assert planned(plan(orders, Strategy.URGENT)) == {1, 2, 4}
    assert planned(plan(orders, Strategy.URGENT, urgent_hours=5)) == {1, 2, 3, 4}


def test_by_zone_forms_one_wave_per_zone_and_leaves_out_orders_in_two() -> None:
    orders = [fact(1, (1, 1)), fact(2, (60, 1)), fact(3, (2, 1), (61, 1)), fact(4, (3, 2))]
    waves = plan(orders, Strategy.BY_ZONE)
    assert ids(waves) == [(1, 4), (2,)]
    assert {SPOTS[s.bin_id].zone for s in waves[0].stops} == {"A"}
    assert {SPOTS[s.bin_id].zone for s in waves[1].stops} == {"B"}


def test_zone_filter_keeps_orders_wholly_in_that_zone_for_any_strategy() -> None:
    orders = [fact(1, (1, 1)), fact(2, (60, 1)), fact(3, (2, 1), (61, 1)),
              fact(4, (51, 1), (52, 1)), fact(5, (1, 1), (2, 1))]
    assert ids(plan(orders, Strategy.BY_ZONE, zone="B")) == [(2, 4)]
    assert ids(plan(orders, Strategy.MULTI_ITEM, zone="B")) == [(4,)]
    assert ids(plan(orders, Strategy.MULTI_ITEM, zone="A")) == [(5,)]
    assert plan(orders, Strategy.PER_ORDER, zone="C") == []


def test_carrier_filter_keeps_that_carriers_orders() -> None:
    orders = [fact(1, (1, 1), carrier=1), fact(2, (1, 1), carrier=2), fact(3, (1, 1), carrier=2),
              fact(4, (1, 1), carrier=None)]
    waves = plan(orders, Strategy.SINGLE_UNIT, carrier_id=2)
    assert ids(waves) == [(2, 3)]
    assert waves[0].carrier_id == 2


def test_by_carrier_forms_one_wave_per_carrier() -> None:
    orders = [fact(1, (1, 1), carrier=3, priority=9), fact(2, (1, 1), carrier=1, priority=8),
              fact(3, (2, 1), carrier=3, priority=7), fact(4, (2, 1), carrier=None, priority=6)]
    waves = plan(orders, Strategy.BY_CARRIER)
    assert ids(waves) == [(1, 3), (2,)]
    assert [w.carrier_id for w in waves] == [3, 1]


def test_presale_forms_one_wave_per_campaign() -> None:
    orders = [fact(1, (1, 1), presale=True, campaign=7, priority=9),
              fact(2, (1, 1), presale=True, campaign=8, priority=8),
              fact(3, (2, 1), presale=True, campaign=7, priority=7),
              fact(4, (2, 1), presale=True, campaign=None, priority=6),
              fact(5, (2, 1), priority=10)]
    assert ids(plan(orders, Strategy.PRESALE)) == [(1, 3), (2,), (4,)]


def test_hot_sku_takes_single_sku_orders_of_skus_in_demand() -> None:
    orders = [
        # SKU 5 is asked for by three orders of warehouse 1 (one of them multi-item): hot.
        fact(1, (5, 1), priority=50), fact(2, (5, 2), priority=40), fact(3, (5, 1), (6, 1)),
        # SKU 6 by two orders (3 and 4): not more than the threshold.
        fact(4, (6, 1)),
        # SKU 7 three times, so hot too, but in a wave of its own.
        fact(5, (7, 1), priority=45), fact(6, (7, 1), priority=30), fact(7, (7, 1), priority=20),
        # SKU 5 once in warehouse 2: demand is counted per warehouse.
        fact(8, (5, 1), warehouse=2),
    ]
    waves = plan(orders, Strategy.HOT_SKU, hot_threshold=2)
    assert ids(waves) == [(1, 2), (5, 6, 7)]
    assert [{s.sku_id for s in w.stops} for w in waves] == [{5}, {7}]
    assert all(cell is None for w in waves for cell in w.cells.values())
    assert ids(plan(orders, Strategy.HOT_SKU, hot_threshold=3)) == []


def test_single_sku_waves_take_their_orders_sku_by_sku() -> None:
    orders = [fact(1, (10, 2), priority=90), fact(2, (20, 2), priority=80),
              fact(3, (10, 3), priority=70), fact(4, (20, 2), priority=60),
              fact(5, (30, 2), priority=50)]
    waves = plan(orders, Strategy.SINGLE_SKU, WaveLimits(max_orders=2))
    assert ids(waves) == [(1, 3), (2, 4), (5,)]
    waves = plan(orders, Strategy.SINGLE_SKU, WaveLimits(max_orders=3))
    assert ids(waves) == [(1, 3, 2), (4, 5)]
    assert [len({s.sku_id for s in w.stops}) for w in waves] == [2, 2]


# --------------------------------------------------------------------------- grouping, order


def test_waves_never_mix_warehouses() -> None:
    orders = [fact(1, (1, 1), warehouse=1), fact(2, (1, 1), warehouse=2),
              fact(3, (2, 1), warehouse=1)]
    waves = plan(orders, Strategy.SINGLE_UNIT)
    assert ids(waves) == [(1, 3), (2,)]
    assert [w.warehouse_id for w in waves] == [1, 2]
    assert all(s.bin_id // 1000 == w.warehouse_id for w in waves for s in w.stops)


def test_bands_stay_apart_unless_mixing_is_allowed() -> None:
    orders = [fact(1, (1, 1), band="vip", priority=500), fact(2, (1, 1), priority=100),
              fact(3, (2, 1), band="overdue", priority=900, ship_by=NOW - timedelta(hours=1))]
    waves = plan(orders, Strategy.SINGLE_UNIT)
    assert ids(waves) == [(3,), (1,), (2,)]
    assert [w.band for w in waves] == ["overdue", "vip", "normal"]
    mixed = plan(orders, Strategy.SINGLE_UNIT, WaveLimits(mix_bands=True))
    assert ids(mixed) == [(3, 1, 2)]
    assert mixed[0].band == "overdue"


def test_orders_go_highest_priority_first_then_earliest_promise_then_id() -> None:
    soon, later = NOW + timedelta(hours=20), NOW + timedelta(hours=30)
    orders = [fact(7, (1, 1), priority=10), fact(3, (1, 1), priority=10, ship_by=later),
              fact(5, (1, 1), priority=10, ship_by=soon), fact(2, (1, 1), priority=10),
              fact(9, (1, 1), priority=20), fact(4, (1, 1), priority=10, ship_by=soon)]
    assert ids(plan(orders, Strategy.SINGLE_UNIT)) == [(9, 4, 5, 3, 2, 7)]
    assert ids(plan(orders, Strategy.SINGLE_UNIT, WaveLimits(max_orders=4))) == [
        (9, 4, 5, 3), (2, 7)]


def test_waves_come_most_urgent_first() -> None:
    orders = [fact(1, (1, 1), warehouse=2, priority=5), fact(2, (1, 1), warehouse=1, priority=9),
              fact(3, (1, 1), warehouse=2, priority=7), fact(4, (1, 1), warehouse=1, priority=1)]
    waves = plan(orders, Strategy.SINGLE_UNIT, WaveLimits(max_orders=1))
    assert ids(waves) == [(2,), (3,), (1,), (4,)]


def test_the_plan_does_not_depend_on_the_order_of_the_backlog() -> None:
    orders = [fact(i, (i % 7 + 1, 1 + i % 2), (60 + i % 3, 1), warehouse=1 + i % 2,
                   priority=i % 4) for i in range(1, 40)]
    expected = plan(orders, Strategy.MULTI_ITEM, WaveLimits(max_cells=6))
    for seed in range(5):
        shuffled = orders[:]
        random.Random(seed).shuffle(shuffled)
        assert plan(shuffled, Strategy.MULTI_ITEM, WaveLimits(max_cells=6)) == expected


# --------------------------------------------------------------------------- limits


def test_max_orders_splits_waves_in_priority_order() -> None:
    orders = [fact(i, (1, 1), priority=100 - i) for i in range(1, 6)]
    assert ids(plan(orders, Strategy.SINGLE_UNIT, WaveLimits(max_orders=2))) == [
        (1, 2), (3, 4), (5,)]


def test_cells_bind_only_where_each_order_takes_a_cell() -> None:
    multi = [fact(i, (1, 1), (2, 1), priority=100 - i) for i in range(1, 6)]
    single = [fact(i, (1, 1), priority=100 - i) for i in range(1, 6)]
    limits = WaveLimits(max_orders=10, max_cells=2)
    waves = plan(multi, Strategy.MULTI_ITEM, limits)
    assert ids(waves) == [(1, 2), (3, 4), (5,)]
    assert [w.cells for w in waves] == [{1: 1, 2: 2}, {3: 1, 4: 2}, {5: 1}]
    waves = plan(single, Strategy.SINGLE_UNIT, limits)
    assert ids(waves) == [(1, 2, 3, 4, 5)]
    assert waves[0].cells == dict.fromkeys((1, 2, 3, 4, 5))
    # max_orders still binds where cells do.
    assert ids(plan(multi, Strategy.PER_ORDER, WaveLimits(max_orders=1, max_cells=5))) == [
        (1,), (2,), (3,), (4,), (5,)]


def test_max_lines_and_max_units_close_a_wave_before_it_overflows() -> None:
    orders = [fact(1, (1, 1), (2, 1), priority=9), fact(2, (3, 1), (4, 1), priority=8),
              fact(3, (1, 1), (2, 1), (3, 1), priority=7), fact(4, (5, 1), (6, 1), priority=6)]
    waves = plan(orders, Strategy.MULTI_ITEM, WaveLimits(max_lines=4))
    assert ids(waves) == [(1, 2), (3,), (4,)]
    assert [w.lines for w in waves] == [4, 3, 2]
    heavy = [fact(1, (1, 2), (2, 1), priority=9), fact(2, (3, 1), (4, 1), priority=8),
             fact(3, (1, 1), (2, 3), priority=7)]
    waves = plan(heavy, Strategy.MULTI_ITEM, WaveLimits(max_units=5))
    assert ids(waves) == [(1, 2), (3,)]
    assert [w.units for w in waves] == [5, 4]


def test_an_order_too_big_for_any_wave_is_left_out() -> None:
    orders = [fact(1, (1, 1), (2, 1), priority=9),  # 2 lines, 2 units
              fact(2, *[(s, 1) for s in range(1, 7)], priority=7),  # 6 lines, 6 units
              fact(3, (3, 6), (4, 1), priority=5)]  # 2 lines, 7 units
    assert ids(plan(orders, Strategy.MULTI_ITEM, WaveLimits(max_lines=5))) == [(1, 3)]
    assert ids(plan(orders, Strategy.MULTI_ITEM, WaveLimits(max_units=6))) == [(1,), (2,)]


@pytest.mark.parametrize("changes", [
    {"max_orders": 0}, {"max_orders": -1}, {"max_lines": 0}, {"max_units": -5},
    {"max_cells": 0}, {"max_orders": 2.5}, {"max_cells": True}, {"mix_bands": "yes"},
])
def test_limits_at_or_below_zero_are_refused(changes: dict[str, object]) -> None:
    with pytest.raises(WavePlanError):
        WaveLimits(**changes)  # type: ignore[arg-type]
    assert issubclass(WavePlanError, ValueError)


# --------------------------------------------------------------------------- the wave itself


def test_a_wave_carries_its_pick_path_and_estimates() -> None:
    orders = [fact(1, (1, 1), (60, 2), priority=9), fact(2, (1, 2), priority=8, carrier=2),
              fact(3, (4, 1), (5, 1), priority=7)]
    (wave,) = plan(orders, Strategy.PER_ORDER)
    assert wave.order_ids == (1, 2, 3)
    assert wave.cells == {1: 1, 2: 2, 3: 3}
    assert (wave.lines, wave.units) == (5, 7)
    needs = [n for o in orders for n in o.needs]
    assert wave.stops == pick_path(needs, SPOTS, wave.cells)
    shared = next(s for s in wave.stops if s.sku_id == 1)
    assert shared.orders == ((1, 1, 1), (2, 2, 2))
    assert wave.bins_to_visit == len({n.bin_id for n in needs})
    assert wave.distance_m == pytest.approx(walking_distance(wave.stops, SPOTS))
    assert wave.pick_seconds == pytest.approx(pick_seconds(wave.stops, wave.distance_m))
    assert wave.distance_m > 0
    assert wave.carrier_id is None  # carriers 1 and 2 are mixed
    assert wave.band == "normal"
    assert wave.warehouse_id == 1


def test_no_orders_no_waves() -> None:
    assert plan([], Strategy.MULTI_ITEM) == []


# --------------------------------------------------------------------------- refusals


def refused(orders: list[WaveOrderFact], strategy: Strategy | str, match: str,
            **options: object) -> None:
    before = list(orders)
    with pytest.raises(WavePlanError, match=match):
        plan(orders, strategy, **options)
    assert orders == before


def test_an_unknown_strategy_is_refused() -> None:
    refused(SHAPES, "by_moon", "unknown wave strategy 'by_moon'")


def test_an_order_given_twice_is_refused() -> None:
    refused([fact(1, (1, 1)), fact(1, (1, 1))], Strategy.SINGLE_UNIT, "given twice")


def test_an_order_needing_an_unknown_bin_is_refused() -> None:
    bad = WaveOrderFact(9, "PL9", 1, 1, 0, "normal", None, False, None, 1, 1,
                        (PickNeed(9, 1, 4242, 1),))
    refused([fact(1, (1, 1)), bad], Strategy.SINGLE_UNIT, "PL9: bin 4242")


@pytest.mark.parametrize("now", [datetime(2026, 11, 11, 12, 0), "2026-11-11"])
def test_now_must_be_a_timezone_aware_time(now: object) -> None:
    with pytest.raises(WavePlanError, match="timezone-aware"):
        plan_waves(SHAPES, Strategy.URGENT, WaveLimits(), now=now,  # type: ignore[arg-type]
                   spots=SPOTS)


@pytest.mark.parametrize("options", [
    {"urgent_hours": 0}, {"urgent_hours": -1}, {"urgent_hours": float("inf")},
    {"hot_threshold": 0}, {"hot_threshold": -3},
])
def test_options_at_or_below_zero_are_refused(options: dict[str, object]) -> None:
    refused(SHAPES, Strategy.HOT_SKU, "must be", **options)


def test_limits_must_be_wave_limits() -> None:
    with pytest.raises(WavePlanError):
        plan_waves(SHAPES, Strategy.PER_ORDER, {"max_orders": 5},  # type: ignore[arg-type]
                   now=NOW, spots=SPOTS)


def test_a_line_without_units_is_refused() -> None:
    with pytest.raises(PickPathError):
        fact(1, (1, 0))
    with pytest.raises(ValueError):
        fact(1, (1, 2), (2, -1))


@pytest.mark.parametrize(("changes", "match"), [
    ({"units": 3}, "3 units, but its bins hold 2"),
    ({"lines": 0}, "0 lines"),
    ({"band": "urgent"}, "priority band 'urgent'"),
    ({"needs": ()}, "no bins"),
    ({"needs": (PickNeed(2, 1, 1111, 2),)}, "belongs to order 2"),
    ({"promised_ship_by": datetime(2026, 11, 12)}, "timezone-aware"),
])
def test_an_order_fact_that_does_not_add_up_is_refused(changes: dict[str, object],
                                                       match: str) -> None:
    base: dict[str, object] = {
        "order_id": 1, "order_no": "PL1", "warehouse_id": 1, "carrier_id": 1, "priority": 0,
        "band": "normal", "promised_ship_by": None, "is_presale": False, "campaign_id": None,
        "lines": 1, "units": 2, "needs": (PickNeed(1, 1, 1111, 2),)}
    WaveOrderFact(**base)  # type: ignore[arg-type]
    with pytest.raises(WavePlanError, match=match):
        WaveOrderFact(**{**base, **changes})  # type: ignore[arg-type]


# --------------------------------------------------------------------------- properties


def _fits(order: WaveOrderFact, strategy: Strategy, hot: Counter[tuple[int, int]],
          threshold: int) -> bool:
    """The strategy's filter, written out independently of the module."""
    skus = {n.sku_id for n in order.needs}
    zones = {SPOTS[n.bin_id].zone for n in order.needs}
    if strategy is Strategy.SINGLE_UNIT:
        return order.lines == 1 and order.units == 1
    if strategy is Strategy.SINGLE_SKU:
        return len(skus) == 1 and order.units > 1
    if strategy is Strategy.MULTI_ITEM:
        return len(skus) > 1
    if strategy is Strategy.BY_CARRIER:
        return order.carrier_id is not None
    if strategy is Strategy.BY_ZONE:
        return len(zones) == 1
    if strategy is Strategy.PRESALE:
        return order.is_presale
    if strategy is Strategy.URGENT:
        return (order.promised_ship_by is not None
                and order.promised_ship_by <= NOW + timedelta(hours=4))
    if strategy is Strategy.HOT_SKU:
        return len(skus) == 1 and hot[(order.warehouse_id, skus.pop())] > threshold
    return True


@st.composite
def backlogs(draw: st.DrawFn) -> list[WaveOrderFact]:
    count = draw(st.integers(0, 40))
    orders = []
    for order_id in range(1, count + 1):
        skus = draw(st.lists(st.sampled_from([1, 2, 3, 4, 50, 51]), min_size=1, max_size=4))
        lines = [(sku, draw(st.integers(1, 3))) for sku in skus]
        band = draw(st.sampled_from(["overdue", "due_soon", "presale", "vip", "normal"]))
        hours = draw(st.none() | st.integers(-5, 30))
        presale = draw(st.booleans())
        orders.append(fact(
            order_id, *lines, warehouse=draw(st.sampled_from([1, 2])),
            priority=draw(st.integers(0, 5)), band=band,
            carrier=draw(st.none() | st.integers(1, 3)),
            ship_by=None if hours is None else NOW + timedelta(hours=hours),
            presale=presale, campaign=draw(st.none() | st.integers(1, 2)) if presale else None))
    return orders


limits_strategy = st.builds(
    WaveLimits, max_orders=st.integers(1, 8), max_lines=st.none() | st.integers(1, 10),
    max_units=st.none() | st.integers(1, 12), max_cells=st.integers(1, 6),
    mix_bands=st.booleans())


@settings(max_examples=200, deadline=None)
@given(orders=backlogs(), strategy=st.sampled_from(list(Strategy)), limits=limits_strategy,
       threshold=st.integers(1, 4))
def test_every_plan_keeps_the_rules(orders: list[WaveOrderFact], strategy: Strategy,
                                    limits: WaveLimits, threshold: int) -> None:
    waves = plan(orders, strategy, limits, hot_threshold=threshold)
    by_id = {o.order_id: o for o in orders}
    hot = Counter((o.warehouse_id, sku) for o in orders for sku in {n.sku_id for n in o.needs})

    # No order is in two waves.
    all_ids = [order_id for w in waves for order_id in w.order_ids]
    assert len(all_ids) == len(set(all_ids))

    cap = limits.max_orders
    if strategy in CELL_STRATEGIES:
        cap = min(cap, limits.max_cells)
    for wave in waves:
        members = [by_id[i] for i in wave.order_ids]
        assert 1 <= len(members) <= cap
        assert wave.lines == sum(o.lines for o in members)
        assert wave.units == sum(o.units for o in members)
        assert limits.max_lines is None or wave.lines <= limits.max_lines
        assert limits.max_units is None or wave.units <= limits.max_units
        assert {o.warehouse_id for o in members} == {wave.warehouse_id}
        if not limits.mix_bands:
            assert {o.band for o in members} == {wave.band}
        assert all(_fits(o, strategy, hot, threshold) for o in members)
        # Orders inside a wave are in priority order (stable across strategies but single_sku,
        # which takes them SKU by SKU).
        if strategy is not Strategy.SINGLE_SKU:
            keys = [(-o.priority, o.promised_ship_by or datetime.max.replace(tzinfo=UTC),
                     o.order_id) for o in members]
            assert keys == sorted(keys)
        if strategy in CELL_STRATEGIES:
            assert sorted(c for c in wave.cells.values() if c is not None) == list(
                range(1, len(members) + 1))
        else:
            assert set(wave.cells.values()) == {None}
        assert list(wave.cells) == list(wave.order_ids)
        # Every unit of every order is in exactly one stop of its wave.
        wanted = Counter[tuple[int, int, int]]()
        for o in members:
            for n in o.needs:
                wanted[(o.order_id, n.sku_id, n.bin_id)] += n.qty
        got = Counter[tuple[int, int, int]]()
        for stop in wave.stops:
            assert stop.qty == sum(q for _o, q, _c in stop.orders)
            for order_id, qty, cell in stop.orders:
                assert cell == wave.cells[order_id]
                got[(order_id, stop.sku_id, stop.bin_id)] += qty
        assert got == wanted
        assert wave.bins_to_visit == len({s.bin_id for s in wave.stops})
        per_wave = {SPOTS[s.bin_id].zone for s in wave.stops}
        if strategy is Strategy.BY_ZONE:
            assert len(per_wave) == 1
        if strategy is Strategy.HOT_SKU:
            assert len({s.sku_id for s in wave.stops}) == 1
        if strategy in (Strategy.BY_CARRIER,):
            assert wave.carrier_id is not None
            assert {o.carrier_id for o in members} == {wave.carrier_id}
        if strategy is Strategy.PRESALE:
            assert len({o.campaign_id for o in members}) == 1

    # Nothing that fits is left behind: every order of the strategy's shape that fits a wave
    # on its own is planned.
    for o in orders:
        alone_fits = ((limits.max_lines is None or o.lines <= limits.max_lines)
                      and (limits.max_units is None or o.units <= limits.max_units))
        assert (o.order_id in all_ids) == (_fits(o, strategy, hot, threshold) and alone_fits)
