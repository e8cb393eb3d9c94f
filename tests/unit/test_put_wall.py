"""Put wall (播种墙) sorting of a multi-item wave (app.domain.put_wall)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.put_wall import PutWall, PutWallError

CUP, LID, STRAW, BAG = 11, 12, 13, 14


def wall() -> PutWall:
    """Slot 1: 2 cups + a lid (3 units); slot 2: a cup; slot 3: a cup and a straw."""
    return PutWall({1: {CUP: 2, LID: 1}, 2: {CUP: 1}, 3: {CUP: 1, STRAW: 1}})


def state(w: PutWall) -> tuple[object, ...]:
    return (w.slots, {s: w.remaining(s) for s in w.slots}, {s: w.put_so_far(s) for s in w.slots},
            w.complete_slots())


def test_a_unit_goes_to_the_slot_closest_to_complete() -> None:
    w = wall()
    assert w.place(CUP) == 2  # 1 unit missing, against 2 (slot 3) and 3 (slot 1)
    w.put(2, CUP)
    assert w.complete(2)
    assert w.place(CUP) == 3
    w.put(3, STRAW)  # slot 3 now misses 1 unit, slot 1 still 3
    assert w.place(CUP) == 3
    w.put(3, CUP)
    assert w.place(CUP) == 1
    assert w.place(LID) == 1


def test_ties_go_to_the_lowest_slot_number() -> None:
    w = PutWall({7: {CUP: 1}, 4: {CUP: 1}, 9: {CUP: 1}})
    assert w.place(CUP) == 4
    w.put(4, CUP)
    assert w.place(CUP) == 7


def test_place_records_nothing() -> None:
    w = wall()
    before = state(w)
    assert w.place(CUP) == 2
    assert w.place(CUP) == 2
    assert state(w) == before


def test_an_item_no_slot_needs_is_refused_and_changes_nothing() -> None:
    w = wall()
    before = state(w)
    assert w.place(BAG) is None
    with pytest.raises(PutWallError, match="does not need sku 14"):
        w.put(1, BAG)
    assert state(w) == before


def test_a_unit_beyond_what_the_orders_need_is_refused() -> None:
    w = wall()
    for slot in (1, 1, 2, 3):
        w.put(slot, CUP)
    before = state(w)
    assert w.place(CUP) is None
    with pytest.raises(PutWallError):
        w.put(2, CUP)  # slot 2 is complete
    with pytest.raises(PutWallError):
        w.put(1, CUP)  # slot 1 still needs a lid, but no more cups
    assert state(w) == before


def test_put_into_an_unknown_slot_is_refused() -> None:
    w = wall()
    before = state(w)
    with pytest.raises(PutWallError, match="slot 8 is not on this wall"):
        w.put(8, CUP)
    assert state(w) == before


def test_completion_is_detected_slot_by_slot() -> None:
    w = wall()
    assert w.complete_slots() == ()
    w.put(3, CUP)
    assert not w.complete(3)
    assert w.remaining(3) == {STRAW: 1}
    w.put(3, STRAW)
    assert w.complete(3)
    assert w.remaining(3) == {}
    assert w.put_so_far(3) == {CUP: 1, STRAW: 1}
    w.put(2, CUP)
    assert w.complete_slots() == (2, 3)
    assert not w.complete(1)


def test_removing_a_cancelled_order_returns_what_was_put() -> None:
    w = wall()
    w.put(1, CUP)
    w.put(1, LID)
    assert w.remove_order(1) == {CUP: 1, LID: 1}
    assert w.slots == (2, 3)
    # The slot is gone: no unit is placed there, nothing more can be put or asked.
    for _ in range(2):
        slot = w.place(CUP)
        assert slot in (2, 3)
        w.put(slot, CUP)
    assert w.place(CUP) is None
    assert w.place(LID) is None
    with pytest.raises(PutWallError):
        w.remaining(1)
    with pytest.raises(PutWallError):
        w.remove_order(1)


def test_removing_an_untouched_or_complete_order() -> None:
    w = wall()
    assert w.remove_order(3) == {}
    w.put(2, CUP)
    assert w.remove_order(2) == {CUP: 1}
    assert w.complete_slots() == ()
    assert w.place(CUP) == 1


@pytest.mark.parametrize("slots", [
    {1: {CUP: 0}},
    {1: {CUP: -2}},
    {1: {}},
    {0: {CUP: 1}},
    {-1: {CUP: 1}},
    {1: {CUP: True}},
])
def test_a_wall_that_makes_no_sense_is_refused(slots: dict[int, dict[int, int]]) -> None:
    with pytest.raises(PutWallError):
        PutWall(slots)


def test_the_wall_keeps_its_own_copy_of_the_orders() -> None:
    orders = {1: {CUP: 1}}
    w = PutWall(orders)
    w.put(1, CUP)
    assert orders == {1: {CUP: 1}}
    assert w.complete(1)


@given(
    slots=st.dictionaries(
        st.integers(1, 40),
        st.dictionaries(st.integers(1, 6), st.integers(1, 4), min_size=1, max_size=4),
        min_size=1, max_size=12),
    seed=st.integers(0, 2**32 - 1),
)
def test_scanning_in_any_order_fills_every_slot_exactly(
    slots: dict[int, dict[int, int]], seed: int
) -> None:
    units = [sku for skus in slots.values() for sku, qty in skus.items() for _ in range(qty)]
    random.Random(seed).shuffle(units)
    w = PutWall(slots)
    for sku in units:
        slot = w.place(sku)
        assert slot is not None
        assert w.remaining(slot).get(sku, 0) > 0
        w.put(slot, sku)
    assert w.complete_slots() == tuple(sorted(slots))
    for slot, skus in slots.items():
        assert w.put_so_far(slot) == skus
    for sku in range(1, 7):
        assert w.place(sku) is None
