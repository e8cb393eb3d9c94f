"""The order state machine in app.domain.status: the transition table, legal and illegal moves,
status parsing, reachability of every status from `new`, and which orders are done with or
late."""

from __future__ import annotations

from collections import deque
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.status import (
    TERMINAL,
    TRANSITIONS,
    IllegalTransition,
    OrderStatus,
    can_transition,
    check_transition,
    is_final,
    is_overdue,
    parse_status,
)

S = OrderStatus


def _reachable_from(start: OrderStatus) -> set[OrderStatus]:
    """Every status reachable from `start` in one or more moves."""
    seen: set[OrderStatus] = set()
    todo = deque(TRANSITIONS[start])
    while todo:
        status = todo.popleft()
        if status in seen:
            continue
        seen.add(status)
        todo.extend(TRANSITIONS[status])
    return seen


def test_every_status_has_an_entry_and_targets_are_statuses() -> None:
    assert set(TRANSITIONS) == set(OrderStatus)
    for source, targets in TRANSITIONS.items():
        assert all(isinstance(t, OrderStatus) for t in targets), source
        assert source not in targets, f"{source} lists itself as a move"


def test_the_decided_status_names_exist() -> None:
    names = {s.value for s in OrderStatus}
    assert {"new", "pending_review", "on_hold", "exception", "awaiting_balance",
            "awaiting_stock", "routed", "in_wave", "picking", "picked", "packing", "packed",
            "shipped", "cancelled", "merged", "split"} <= names


def test_terminal_statuses_have_no_moves() -> None:
    assert {S.SHIPPED, S.CANCELLED, S.MERGED, S.SPLIT} <= TERMINAL
    for status in TERMINAL:
        assert TRANSITIONS[status] == frozenset()
        for target in OrderStatus:
            assert not can_transition(status, target)
    # and nothing live is counted as terminal
    assert S.NEW not in TERMINAL and S.PACKED not in TERMINAL


@pytest.mark.parametrize(("current", "target"), [
    (S.NEW, S.PENDING_REVIEW),
    (S.ROUTED, S.IN_WAVE),
    (S.PACKING, S.PACKED),
    (S.PACKED, S.SHIPPED),
])
def test_legal_moves(current: OrderStatus, target: OrderStatus) -> None:
    assert can_transition(current, target)
    check_transition(current, target)  # does not raise


@pytest.mark.parametrize(("current", "target"), [
    (S.NEW, S.SHIPPED),
    (S.CANCELLED, S.ROUTED),
    (S.PACKED, S.CANCELLED),
    (S.NEW, S.NEW),
    *[(S.SHIPPED, t) for t in OrderStatus],
])
def test_illegal_moves_name_both_statuses(current: OrderStatus, target: OrderStatus) -> None:
    assert not can_transition(current, target)
    with pytest.raises(IllegalTransition) as caught:
        check_transition(current, target)
    message = str(caught.value)
    assert current.value in message and target.value in message
    assert caught.value.current is current and caught.value.target is target
    assert isinstance(caught.value, ValueError)


def test_parse_status_accepts_padded_and_upper_case() -> None:
    assert parse_status(" ROUTED ") is S.ROUTED
    assert parse_status("pending_review") is S.PENDING_REVIEW


@pytest.mark.parametrize("bad", ["bogus", "", "route", "shipped!"])
def test_parse_status_refuses_unknown_names_listing_the_valid_ones(bad: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_status(bad)
    message = str(caught.value)
    assert repr(bad) in message
    for status in OrderStatus:
        assert status.value in message


def test_nothing_moves_back_to_new() -> None:
    assert all(S.NEW not in targets for targets in TRANSITIONS.values())


@given(st.sampled_from(list(OrderStatus)))
def test_every_status_but_new_is_reachable_from_new(status: OrderStatus) -> None:
    reachable = _reachable_from(S.NEW)
    if status is S.NEW:
        assert status not in reachable
    else:
        assert status in reachable, f"{status} cannot be reached from new"


def test_shipped_is_reachable_from_new() -> None:
    assert S.SHIPPED in _reachable_from(S.NEW)
    # and not through a shortcut: a shipped order was packed first
    assert {s for s, targets in TRANSITIONS.items() if S.SHIPPED in targets} == {S.PACKED}


@given(st.lists(st.integers(min_value=0, max_value=1000), max_size=30))
def test_random_walks_from_new_only_take_legal_steps(choices: list[int]) -> None:
    status = S.NEW
    for pick in choices:
        targets = sorted(TRANSITIONS[status])
        if not targets:
            assert status in TERMINAL
            break
        nxt = targets[pick % len(targets)]
        check_transition(status, nxt)
        status = nxt


# ------------------------------------------------------------------ done with, late

NOW = datetime(2026, 11, 11, 12, 0, tzinfo=UTC)
FINAL_NAMES = {"shipped", "cancelled", "merged", "split"}


def test_an_order_shipped_cancelled_merged_or_split_is_done_with() -> None:
    assert {s.value for s in OrderStatus if is_final(s.value)} == FINAL_NAMES
    assert {s for s in OrderStatus if is_final(s)} == set(TERMINAL)


@pytest.mark.parametrize("status", ["packed", "picking", "on_hold", "exception", "new",
                                    "", "SHIPPED", "no_such_status"])
def test_anything_else_is_not_done_with(status: str) -> None:
    assert not is_final(status)


def test_an_order_past_its_promise_and_not_done_with_is_overdue() -> None:
    assert is_overdue("packed", NOW - timedelta(seconds=1), NOW)
    assert is_overdue("exception", NOW - timedelta(days=3), NOW)


def test_the_promised_moment_itself_is_still_on_time() -> None:
    assert not is_overdue("packed", NOW, NOW)
    assert not is_overdue("packed", NOW + timedelta(minutes=1), NOW)


def test_an_order_without_a_promise_is_never_late() -> None:
    assert not is_overdue("new", None, NOW)


@pytest.mark.parametrize("status", sorted(FINAL_NAMES))
def test_an_order_done_with_is_not_late_whatever_its_promise(status: str) -> None:
    assert not is_overdue(status, NOW - timedelta(days=30), NOW)
