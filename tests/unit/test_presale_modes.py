"""The presale stock modes: what the engine does with a deposit order in each, the one rule
that nothing ships unpaid, what the campaign's end does by an order's state, and the ledger."""

from __future__ import annotations

import pytest

from app.domain import presale as p
from app.domain.status import OrderStatus as S


@pytest.mark.parametrize(("kind", "mode", "paid", "expected"), [
    ("deposit", "pool", False, p.Admission.WAIT_BALANCE),
    ("deposit", "real", False, p.Admission.PREPACK),
    ("deposit", "pool", True, p.Admission.ROUTE),
    ("deposit", "real", True, p.Admission.ROUTE),
    ("full", "pool", False, p.Admission.ROUTE),
    ("full", "real", False, p.Admission.ROUTE),
])
def test_admission_by_kind_mode_and_balance(kind: str, mode: str, paid: bool,
                                            expected: p.Admission) -> None:
    assert p.admission(kind, mode, paid) is expected


@pytest.mark.parametrize(("kind", "mode", "paid"), [
    ("deposit", "virtual", False), ("layaway", "pool", False), ("deposit", "real", 1),
    ("deposit", None, True),
])
def test_admission_refuses_bad_input(kind: str, mode: object, paid: object) -> None:
    with pytest.raises(ValueError):
        p.admission(kind, mode, paid)  # type: ignore[arg-type]


def test_stock_modes_are_pool_and_real() -> None:
    assert p.STOCK_MODES == ("pool", "real")
    assert p.check_stock_mode("real") == "real"
    with pytest.raises(ValueError, match="pool, real"):
        p.check_stock_mode("REAL")


@pytest.mark.parametrize(("kind", "balance", "allowed"), [
    (None, None, True),  # a spot order
    ("full", "pending", True),  # full payment: paid at the order
    ("deposit", "paid", True),
    ("deposit", "pending", False),
    ("deposit", "refunded", False),
    ("deposit", None, False),  # no balance payment at all: never assumed paid
])
def test_nothing_ships_unpaid(kind: str | None, balance: str | None, allowed: bool) -> None:
    assert p.may_hand_over(kind, balance) is allowed


def test_may_hand_over_refuses_an_unknown_kind() -> None:
    with pytest.raises(ValueError):
        p.may_hand_over("spot", "paid")


@pytest.mark.parametrize(("status", "paid", "picked", "action"), [
    (S.AWAITING_BALANCE, False, 0, p.EndAction.CANCEL),
    (S.ROUTED, False, 0, p.EndAction.CANCEL),
    (S.EXCEPTION, False, 0, p.EndAction.CANCEL),
    (S.EXCEPTION, False, 1, p.EndAction.UNPACK),  # stopped at the dock with its parcel
    (S.IN_WAVE, False, 0, p.EndAction.LEAVE_WAVE),
    (S.PICKING, False, 1, p.EndAction.LEAVE_WAVE),
    (S.PICKED, False, 1, p.EndAction.UNPACK),
    (S.PACKED, False, 1, p.EndAction.UNPACK),
    (S.PACKED, True, 1, p.EndAction.KEEP),
    (S.ROUTED, True, 0, p.EndAction.KEEP),
    (S.SHIPPED, False, 0, p.EndAction.NOTHING),
    (S.CANCELLED, False, 0, p.EndAction.NOTHING),
])
def test_campaign_end_by_state(status: S, paid: bool, picked: int,
                               action: p.EndAction) -> None:
    assert p.at_campaign_end(status.value, paid, picked) is action


def test_campaign_end_refuses_an_unknown_status_and_negative_units() -> None:
    with pytest.raises(ValueError):
        p.at_campaign_end("lost", False)
    with pytest.raises(ValueError):
        p.at_campaign_end("packed", False, -1)


def test_ledger_arithmetic() -> None:
    book = p.ledger(on_hand=1200, reserved=1010, presale_held=1000, pool_promised=1000,
                    pool_capacity=1000)
    assert (book.spot_reserved, book.free, book.pool_left) == (10, 190, 0)


@pytest.mark.parametrize(("figures", "says"), [
    ((10, 11, 0), "exceeds on hand"),
    ((10, 5, 6), "presale holds 6"),
    ((-1, 0, 0), "on_hand"),
    ((5, 0, 0, -2), "pool_promised"),
])
def test_a_broken_ledger_is_refused(figures: tuple[int, ...], says: str) -> None:
    with pytest.raises(ValueError, match=says):
        p.ledger(*figures)


def test_a_split_orders_pool_units_go_to_the_parts_holding_the_campaign_sku() -> None:
    from app.domain.presale import pool_units_of_parts

    assert pool_units_of_parts(2, [2, 0]) == [2, 0]
    assert pool_units_of_parts(2, [0, 2]) == [0, 2]
    assert pool_units_of_parts(3, [1, 0, 2]) == [1, 0, 2]
    # The pool counted a spot line's units too: the leftover stays with the presale part.
    assert pool_units_of_parts(3, [0, 2]) == [0, 3]
    assert pool_units_of_parts(0, [2, 1]) == [0, 0]
    assert pool_units_of_parts(2, [0, 0]) == [2, 0]
    for shares in ([5, 1], [0, 3, 3], [1]):
        assert sum(pool_units_of_parts(4, shares)) == 4
    with pytest.raises(ValueError):
        pool_units_of_parts(-1, [1])
    with pytest.raises(ValueError):
        pool_units_of_parts(1, [])
    with pytest.raises(ValueError):
        pool_units_of_parts(1, [-1])
