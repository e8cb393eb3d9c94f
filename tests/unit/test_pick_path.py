"""Pick path (app.domain.pick_path): serpentine walk, consolidation, skips, walking distance.

The hand-drawn pick area used below: zone A, 3 aisles × 4 racks × 2 levels. A bin's id is
aisle·100 + rack·10 + level (231 = aisle 2, rack 3, level 1)::

          back cross-aisle
        ┌───────┬───────┬───────┐
 rack 4 │141 142│241 242│341 342│
 rack 3 │131 132│231 232│331 332│
 rack 2 │121 122│221 222│321 322│
 rack 1 │111 112│211 212│311 312│
        │   ↑   │   ↓   │   ↑   │
        └───────┴───────┴───────┘
         aisle 1 aisle 2 aisle 3
          front cross-aisle
        ▲ start
"""

from __future__ import annotations

import dataclasses
import random
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.pick_path import (
    BinSpot,
    PickArea,
    PickNeed,
    PickPathError,
    PickStop,
    pick_path,
    pick_seconds,
    reorder_with_skips,
    serpentine_key,
    walking_distance,
)


def hand_area(zone: str = "A", aisles: int = 3, racks: int = 4, levels: int = 2,
              warehouse_id: int | None = None, base: int = 0) -> dict[int, BinSpot]:
    """The drawn area; pick_seq numbered along the serpentine, as the demo numbers it."""
    spots: dict[int, BinSpot] = {}
    seq = 0
    for aisle in range(1, aisles + 1):
        for rack in (range(1, racks + 1) if aisle % 2 else range(racks, 0, -1)):
            for level in range(1, levels + 1):
                seq += 1
                bin_id = base + aisle * 100 + rack * 10 + level
                spots[bin_id] = BinSpot(bin_id, f"LOC-HZ-{zone}{aisle:02d}-{rack:02d}-{level}",
                                        zone, aisle, rack, level, seq, warehouse_id)
    return spots


AREA = hand_area()


def need(order_id: int, sku_id: int, bin_id: int, qty: int = 1) -> PickNeed:
    return PickNeed(order_id, sku_id, bin_id, qty)


def walk(stops: list[PickStop]) -> list[tuple[int, int]]:
    return [(s.bin_id, s.sku_id) for s in stops]


# --------------------------------------------------------------------------- walking order


def test_the_walk_goes_up_odd_aisles_and_down_even_ones() -> None:
    needs = [
        need(1, 10, 331), need(1, 11, 111),
        need(2, 12, 221), need(2, 13, 241),
        need(3, 14, 141), need(3, 15, 312), need(3, 16, 311),
    ]
    stops = pick_path(needs, AREA)
    # Up aisle 1 (rack 1, then 4), down aisle 2 (rack 4, then 2), up aisle 3 (rack 1 level 1,
    # level 2, then rack 3).
    assert walk(stops) == [(111, 11), (141, 14), (241, 13), (221, 12), (311, 16), (312, 15),
                           (331, 10)]
    assert [s.seq for s in stops] == [1, 2, 3, 4, 5, 6, 7]
    assert [s.orders for s in stops] == [((1, 1, None),), ((3, 1, None),), ((2, 1, None),),
                                         ((2, 1, None),), ((3, 1, None),), ((3, 1, None),),
                                         ((1, 1, None),)]


def test_zones_are_walked_one_after_the_other() -> None:
    spots = {**hand_area("A"), **hand_area("B", base=1000)}
    # Zone B aisle 1 comes after zone A aisle 3 although its aisle number is lower.
    stops = pick_path([need(1, 1, 1111), need(1, 2, 331), need(1, 3, 111)], spots)
    assert [s.bin_id for s in stops] == [111, 331, 1111]


def test_pick_seq_breaks_ties_between_bins_at_the_same_place() -> None:
    # Two bins on the same shelf (same zone, aisle, rack, level): pick_seq decides, not the id.
    spots = {7: BinSpot(7, "LOC-HZ-A01-01-1b", "A", 1, 1, 1, 2),
             9: BinSpot(9, "LOC-HZ-A01-01-1a", "A", 1, 1, 1, 1)}
    assert [s.bin_id for s in pick_path([need(1, 1, 7), need(1, 2, 9)], spots)] == [9, 7]


def test_serpentine_key_agrees_with_the_demo_warehouse_numbering() -> None:
    from app.services import demo

    zone_ids = {zone: i for i, zone in enumerate(demo.PICK_ZONES, start=1)}
    zone_of = {i: zone for zone, i in zone_ids.items()}
    # The rows the demo inserts into `bins`, with their pick_seq.
    rows = demo._bin_rows(1, "HZ", zone_ids)
    spots = [BinSpot(i, r["code"], zone_of[r["zone_id"]], r["aisle"], r["rack"], r["level"],
                     r["pick_seq"])
             for i, r in enumerate(rows, start=1)]
    assert len(spots) == len(demo.PICK_ZONES) * demo.AISLES * demo.RACKS * demo.LEVELS
    shuffled = spots[:]
    random.Random(3).shuffle(shuffled)
    assert sorted(shuffled, key=serpentine_key) == sorted(spots, key=lambda s: s.pick_seq)


def test_serpentine_key_reverses_racks_in_even_aisles() -> None:
    up = [BinSpot(r, "", "A", 1, r, 1, 0) for r in (3, 1, 2)]
    down = [BinSpot(r, "", "A", 2, r, 1, 0) for r in (3, 1, 2)]
    assert [s.rack for s in sorted(up, key=serpentine_key)] == [1, 2, 3]
    assert [s.rack for s in sorted(down, key=serpentine_key)] == [3, 2, 1]


# --------------------------------------------------------------------------- consolidation


def test_two_orders_taking_the_same_sku_from_the_same_bin_share_one_stop() -> None:
    needs = [need(5, 10, 231, 2), need(3, 10, 231, 1), need(3, 11, 111)]
    stops = pick_path(needs, AREA, {5: 1, 3: 2})
    assert walk(stops) == [(111, 11), (231, 10)]
    shared = stops[1]
    assert shared.qty == 3
    # Orders by cell: order 5 sits in cell 1, order 3 in cell 2.
    assert shared.orders == ((5, 2, 1), (3, 1, 2))


def test_an_order_needing_one_sku_twice_from_a_bin_gets_one_entry() -> None:
    stops = pick_path([need(1, 10, 231, 2), need(1, 10, 231, 3)], AREA, {1: 4})
    assert len(stops) == 1
    assert stops[0].qty == 5
    assert stops[0].orders == ((1, 5, 4),)


def test_two_skus_in_one_bin_are_two_stops_in_sku_order() -> None:
    stops = pick_path([need(1, 30, 231), need(2, 20, 231)], AREA)
    assert walk(stops) == [(231, 20), (231, 30)]


def test_orders_without_a_cell_follow_those_with_one() -> None:
    stops = pick_path([need(1, 9, 111), need(2, 9, 111), need(3, 9, 111)], AREA,
                      {1: None, 2: 5, 3: 2})
    assert stops[0].orders == ((3, 1, 2), (2, 1, 5), (1, 1, None))


def test_the_path_does_not_depend_on_the_order_of_the_needs() -> None:
    needs = [need(o, sku, b, q) for o, sku, b, q in
             [(1, 1, 111, 1), (2, 1, 111, 2), (2, 7, 342, 1), (3, 4, 221, 1), (1, 4, 221, 3)]]
    cells = {1: 1, 2: 2, 3: 3}
    expected = pick_path(needs, AREA, cells)
    for seed in range(10):
        shuffled = needs[:]
        random.Random(seed).shuffle(shuffled)
        assert pick_path(shuffled, AREA, cells) == expected


def test_an_unknown_bin_is_refused() -> None:
    with pytest.raises(PickPathError, match="bin 999 is not in the pick area"):
        pick_path([need(1, 1, 111), need(1, 2, 999)], AREA)
    with pytest.raises(PickPathError, match="bin 999"):
        PickArea(AREA).path([need(1, 2, 999)])


def test_an_order_without_a_cell_is_refused() -> None:
    with pytest.raises(PickPathError, match="order 2 has no cell"):
        pick_path([need(1, 1, 111), need(2, 1, 111)], AREA, {1: 1})


@pytest.mark.parametrize("qty", [0, -1])
def test_a_need_without_units_is_refused(qty: int) -> None:
    with pytest.raises(PickPathError, match="must be positive"):
        PickNeed(1, 1, 111, qty)
    assert issubclass(PickPathError, ValueError)


@pytest.mark.parametrize(("seq", "qty"), [(0, 1), (1, 0), (1, -3)])
def test_a_stop_without_units_or_place_is_refused(seq: int, qty: int) -> None:
    with pytest.raises(PickPathError):
        PickStop(seq, 111, 1, qty, ((1, qty, None),))


def test_no_needs_no_stops() -> None:
    assert pick_path([], AREA) == []


needs_strategy = st.lists(
    st.builds(PickNeed, order_id=st.integers(1, 8), sku_id=st.integers(1, 5),
              bin_id=st.sampled_from(sorted(AREA)), qty=st.integers(1, 4)),
    max_size=40)


@given(needs=needs_strategy)
def test_every_unit_of_every_order_is_in_exactly_one_stop(needs: list[PickNeed]) -> None:
    cells = {order_id: 9 - order_id for order_id in range(1, 9)}
    stops = pick_path(needs, AREA, cells)
    wanted = Counter[tuple[int, int, int]]()
    for n in needs:
        wanted[(n.order_id, n.sku_id, n.bin_id)] += n.qty
    got = Counter[tuple[int, int, int]]()
    for stop in stops:
        assert stop.qty == sum(qty for _o, qty, _c in stop.orders)
        for order_id, qty, cell in stop.orders:
            assert cell == cells[order_id]
            assert (order_id, stop.sku_id, stop.bin_id) not in got
            got[(order_id, stop.sku_id, stop.bin_id)] = qty
    assert got == wanted
    assert [s.seq for s in stops] == list(range(1, len(stops) + 1))
    keys = [(serpentine_key(AREA[s.bin_id]), s.sku_id) for s in stops]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert PickArea(AREA).path(needs, cells) == stops


# --------------------------------------------------------------------------- skips


def five_stops() -> list[PickStop]:
    return pick_path([need(1, sku, b) for sku, b in
                      [(1, 111), (2, 141), (3, 241), (4, 221), (5, 311)]], AREA)


def test_skipped_stops_go_to_the_end_in_path_order() -> None:
    stops = five_stops()
    again = reorder_with_skips(stops, {4, 2})
    assert [s.sku_id for s in again] == [1, 3, 5, 2, 4]
    assert [s.seq for s in again] == [1, 2, 3, 4, 5]
    assert [s.skipped for s in again] == [False, False, False, True, True]
    # Everything else about a stop stays as it was.
    assert [dataclasses.replace(s, seq=1, skipped=False) for s in again] == [
        dataclasses.replace(stops[i], seq=1) for i in (0, 2, 4, 1, 3)]


def test_a_second_skip_keeps_the_earlier_ones_skipped() -> None:
    once = reorder_with_skips(five_stops(), {2})  # skus 1, 3, 4, 5, 2*
    twice = reorder_with_skips(once, {1})  # sku 1 joins the skipped ones
    assert [s.sku_id for s in twice] == [3, 4, 5, 1, 2]
    assert [s.skipped for s in twice] == [False, False, False, True, True]
    assert [s.seq for s in twice] == [1, 2, 3, 4, 5]


def test_skipping_nothing_changes_nothing() -> None:
    stops = five_stops()
    assert reorder_with_skips(stops, ()) == stops


def test_skipping_an_unknown_stop_is_refused_and_changes_nothing() -> None:
    stops = five_stops()
    before = list(stops)
    with pytest.raises(PickPathError, match="no pick stop has seq 6, 9"):
        reorder_with_skips(stops, {2, 9, 6})
    assert stops == before


def test_stops_repeating_a_seq_are_refused() -> None:
    stops = five_stops()
    with pytest.raises(PickPathError, match="repeat"):
        reorder_with_skips([stops[0], stops[0]], {1})


# --------------------------------------------------------------------------- distance
#
# A tiny area for distances: zone A, 3 aisles × 3 racks, one level, aisle pitch 4 m, rack
# pitch 1 m. Aisle a stands at x = 4(a − 1), rack r at y = r, the back cross-aisle at y = 4.


TINY = hand_area("A", aisles=3, racks=3, levels=1)


def stops_at(*bins: int) -> list[PickStop]:
    return [PickStop(i, b, 1, 1, ((1, 1, None),)) for i, b in enumerate(bins, start=1)]


def metres(*bins: int, spots: dict[int, BinSpot] = TINY,
           start: tuple[float, float] = (0.0, 0.0)) -> float:
    return walking_distance(stops_at(*bins), spots, aisle_pitch_m=4.0, rack_pitch_m=1.0,
                            start=start)


def test_distance_within_one_aisle_is_there_and_back() -> None:
    # start → a1 r1: 1; a1 r1 → a1 r3: 2; back to start: 3.
    assert metres(111, 131) == pytest.approx(6.0)


def test_distance_crosses_at_the_shorter_end() -> None:
    # start → a1r3: 3
    # a1r3 → a2r3: 4 across + min(front 3 + 3, back 1 + 1) = 6 (by the back)
    # a2r3 → a3r1: 4 across + min(front 3 + 1, back 1 + 3) = 8
    # a3r1 → start: 1 + 8 = 9
    assert metres(131, 231, 311) == pytest.approx(26.0)


def test_distance_between_zones_goes_by_the_front() -> None:
    spots = {**TINY, **hand_area("B", aisles=2, racks=3, levels=1, base=1000)}
    # Zone B's aisle 1 stands right of zone A's aisle 3: x = 4 × 3 = 12.
    # start → A a3r3 (x 8): 8 + 3 = 11; → B a1r2 (x 12): 4 + 3 + 2 = 9 (the back would be 4);
    # back to start: 2 + 12 = 14.
    assert metres(331, 1121, spots=spots) == pytest.approx(34.0)


def test_each_warehouse_lays_out_its_own_zones() -> None:
    # Warehouse 1 has a wide zone A (5 aisles); warehouse 2 a narrow one (2 aisles) and a zone B.
    spots = {**hand_area("A", aisles=5, racks=3, levels=1, warehouse_id=1),
             **hand_area("A", aisles=2, racks=3, levels=1, warehouse_id=2, base=1000),
             **hand_area("B", aisles=2, racks=3, levels=1, warehouse_id=2, base=2000)}
    # Warehouse 2, zone B aisle 1 is at x = 4 × 2 = 8, not after warehouse 1's five aisles.
    assert metres(2111, spots=spots) == pytest.approx(2 * (8 + 1))


def test_distance_from_a_start_off_the_first_aisle() -> None:
    # The packing area 2 m along and 1 m in front of the front cross-aisle:
    # start → a1r1: 2 + 1 + 1 = 4, back: 4.
    assert metres(111, start=(2.0, -1.0)) == pytest.approx(8.0)


def test_two_stops_at_one_bin_cost_no_walk() -> None:
    assert metres(221, 221) == pytest.approx(metres(221))


def test_no_stops_no_walk() -> None:
    assert metres() == 0.0


def test_pick_area_measures_what_walking_distance_measures() -> None:
    stops = pick_path([need(1, 1, 331), need(2, 2, 111), need(2, 3, 221)], AREA)
    area = PickArea(AREA, aisle_pitch_m=2.5, rack_pitch_m=1.5)
    assert area.distance(stops) == pytest.approx(
        walking_distance(stops, AREA, aisle_pitch_m=2.5, rack_pitch_m=1.5))
    assert walking_distance(stops, AREA) == pytest.approx(PickArea(AREA).distance(stops))
    assert 111 in area and 999 not in area


@pytest.mark.parametrize("pitches", [(0.0, 1.2), (3.0, -1.0), (float("nan"), 1.2)])
def test_a_floor_without_size_is_refused(pitches: tuple[float, float]) -> None:
    with pytest.raises(PickPathError):
        walking_distance(stops_at(111), TINY, *pitches)


def test_distance_to_a_bin_off_the_floor_is_refused() -> None:
    with pytest.raises(PickPathError, match="bin 999"):
        metres(111, 999)


def test_pick_seconds_adds_walking_stops_and_units() -> None:
    stops = [PickStop(1, 111, 1, 2, ((1, 2, None),)), PickStop(2, 231, 2, 3, ((1, 3, None),))]
    # 30 m at 1.5 m/s = 20 s; 2 stops × 8 s; 5 units × 2 s.
    assert pick_seconds(stops, 30.0, walk_m_per_s=1.5) == pytest.approx(46.0)
    assert pick_seconds([], 0.0) == 0.0


@pytest.mark.parametrize("kwargs", [
    {"distance_m": -1.0}, {"walk_m_per_s": 0.0}, {"per_stop_s": -1.0}, {"per_unit_s": -0.5},
])
def test_pick_seconds_refuses_impossible_figures(kwargs: dict[str, float]) -> None:
    args: dict[str, float] = {"distance_m": 10.0, **kwargs}
    with pytest.raises(PickPathError):
        pick_seconds(stops_at(111), **args)
