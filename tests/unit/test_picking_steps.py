"""The picker's steps at a pick task (app.domain.picking_steps): the bin before the item."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.picking_steps import (
    PickEvent,
    PickStep,
    StepRefused,
    after,
    check,
    step_of,
)

AT_BIN, CONFIRMED, FINISHED = PickStep.AT_BIN, PickStep.BIN_CONFIRMED, PickStep.FINISHED
E = PickEvent


@pytest.mark.parametrize(("status", "confirmed", "step"), [
    ("open", False, AT_BIN),
    ("open", True, CONFIRMED),
    ("skipped", False, AT_BIN),
    ("skipped", True, CONFIRMED),
    ("done", True, FINISHED),
    ("done", False, FINISHED),
    ("short", False, FINISHED),
])
def test_the_stored_task_gives_its_step(status: str, confirmed: bool, step: PickStep) -> None:
    assert step_of(status, confirmed) is step


def test_an_unknown_status_is_no_step() -> None:
    with pytest.raises(ValueError, match="unknown pick task status"):
        step_of("lost", False)


def test_the_bin_comes_before_the_item() -> None:
    with pytest.raises(StepRefused) as refused:
        after(AT_BIN, E.ITEM_SCANNED, units_left=1)
    assert refused.value.code == "pick.scan_bin_first"
    assert after(AT_BIN, E.BIN_SCANNED) is CONFIRMED
    assert after(CONFIRMED, E.ITEM_SCANNED, units_left=2) is CONFIRMED
    assert after(CONFIRMED, E.ITEM_SCANNED, units_left=0) is FINISHED


def test_scanning_the_confirmed_bin_again_keeps_it_confirmed() -> None:
    assert after(CONFIRMED, E.BIN_SCANNED) is CONFIRMED


@pytest.mark.parametrize("step", [AT_BIN, CONFIRMED])
def test_skipped_or_handed_back_the_task_waits_at_its_bin(step: PickStep) -> None:
    assert after(step, E.SKIPPED) is AT_BIN
    assert after(step, E.HANDED_BACK) is AT_BIN


@pytest.mark.parametrize("step", [AT_BIN, CONFIRMED])
def test_a_short_pick_finishes_the_task_bin_scanned_or_not(step: PickStep) -> None:
    # A bin that cannot be found at all is reported short from the aisle.
    assert after(step, E.SHORT) is FINISHED


@pytest.mark.parametrize("event", list(PickEvent))
def test_a_finished_task_takes_nothing(event: PickEvent) -> None:
    with pytest.raises(StepRefused) as refused:
        check(FINISHED, event)
    assert refused.value.code == "pick.task_done"
    with pytest.raises(StepRefused):
        after(FINISHED, event)


def test_units_left_cannot_be_negative() -> None:
    with pytest.raises(ValueError, match="negative"):
        after(CONFIRMED, E.ITEM_SCANNED, units_left=-1)


@given(st.lists(st.tuples(st.sampled_from(list(PickEvent)), st.integers(0, 3)), max_size=30))
def test_no_item_is_ever_taken_at_a_bin_not_scanned(
        walk: list[tuple[PickEvent, int]]) -> None:
    """Whatever the picker does, an item scan goes through only once the bin scan came after
    the last skip or hand-back; a finished task stays finished."""
    step = AT_BIN
    bin_scanned = False
    for event, left in walk:
        try:
            new = after(step, event, units_left=left)
        except StepRefused:
            assert step is FINISHED or (event is E.ITEM_SCANNED and not bin_scanned)
            continue
        assert step is not FINISHED
        if event is E.ITEM_SCANNED:
            assert bin_scanned
        bin_scanned = {E.BIN_SCANNED: True, E.SKIPPED: False,
                       E.HANDED_BACK: False}.get(event, bin_scanned)
        step = new
