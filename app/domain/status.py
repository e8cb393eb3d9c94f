"""The order state machine: every status and every legal move, written down once.

Services change an order's status only through `check_transition`; the database
layer and the screens read the names from here, and whether an order is done with
(`is_final`) or late (`is_overdue`).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from app.domain.notes import CodedError


class OrderStatus(StrEnum):
    NEW = "new"
    PENDING_REVIEW = "pending_review"
    ON_HOLD = "on_hold"
    EXCEPTION = "exception"
    AWAITING_BALANCE = "awaiting_balance"
    AWAITING_STOCK = "awaiting_stock"
    ROUTED = "routed"
    IN_WAVE = "in_wave"
    PICKING = "picking"
    PICKED = "picked"
    PACKING = "packing"
    PACKED = "packed"
    SHIPPED = "shipped"
    CANCELLED = "cancelled"
    MERGED = "merged"
    SPLIT = "split"


S = OrderStatus

# Statuses an order leaves only by being cancelled, merged away or split; the
# exception/hold side-track is reachable from every live status up to packing.
_PRE_WAVE = (S.NEW, S.PENDING_REVIEW, S.ON_HOLD, S.EXCEPTION, S.AWAITING_BALANCE,
             S.AWAITING_STOCK, S.ROUTED)

TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.NEW: frozenset({S.PENDING_REVIEW, S.AWAITING_BALANCE, S.EXCEPTION, S.ON_HOLD,
                      S.CANCELLED, S.MERGED, S.SPLIT}),
    S.PENDING_REVIEW: frozenset({S.ROUTED, S.AWAITING_STOCK, S.AWAITING_BALANCE, S.ON_HOLD,
                                 S.EXCEPTION, S.CANCELLED, S.MERGED, S.SPLIT}),
    S.AWAITING_BALANCE: frozenset({S.PENDING_REVIEW, S.EXCEPTION, S.ON_HOLD, S.CANCELLED}),
    S.AWAITING_STOCK: frozenset({S.PENDING_REVIEW, S.ROUTED, S.EXCEPTION, S.ON_HOLD,
                                 S.CANCELLED, S.SPLIT}),
    S.ON_HOLD: frozenset({S.PENDING_REVIEW, S.EXCEPTION, S.CANCELLED}),
    S.EXCEPTION: frozenset({S.PENDING_REVIEW, S.ON_HOLD, S.ROUTED, S.CANCELLED, S.SPLIT,
                            S.AWAITING_BALANCE, S.AWAITING_STOCK}),
    S.ROUTED: frozenset({S.IN_WAVE, S.PENDING_REVIEW, S.ON_HOLD, S.EXCEPTION, S.CANCELLED,
                         S.MERGED, S.SPLIT}),
    S.IN_WAVE: frozenset({S.PICKING, S.ROUTED, S.EXCEPTION, S.ON_HOLD, S.CANCELLED}),
    S.PICKING: frozenset({S.PICKED, S.EXCEPTION, S.ON_HOLD, S.CANCELLED}),
    S.PICKED: frozenset({S.PACKING, S.EXCEPTION, S.ON_HOLD, S.CANCELLED}),
    S.PACKING: frozenset({S.PACKED, S.PICKED, S.EXCEPTION, S.ON_HOLD, S.CANCELLED}),
    S.PACKED: frozenset({S.SHIPPED, S.EXCEPTION}),
    S.SHIPPED: frozenset(),
    S.CANCELLED: frozenset(),
    S.MERGED: frozenset(),
    S.SPLIT: frozenset(),
}

TERMINAL: frozenset[OrderStatus] = frozenset(s for s, nxt in TRANSITIONS.items() if not nxt)
PRE_WAVE: frozenset[OrderStatus] = frozenset(_PRE_WAVE)
# A packed parcel is physical: cancelling it needs the intercept path, not a status jump.
INTERCEPTABLE: frozenset[OrderStatus] = frozenset(TRANSITIONS) - TERMINAL


class IllegalTransition(CodedError):
    """An order was asked to move where the state machine does not allow."""

    def __init__(self, current: OrderStatus, target: OrderStatus) -> None:
        super().__init__(f"order status cannot change from {current.value} to {target.value}",
                         "order.illegal_transition", status=current.value, target=target.value)
        self.current = current
        self.target = target


def parse_status(value: str) -> OrderStatus:
    """The status named by `value`, or ValueError listing the valid names."""
    try:
        return OrderStatus(value.strip().lower())
    except ValueError:
        names = ", ".join(s.value for s in OrderStatus)
        raise ValueError(f"unknown order status {value!r}; expected one of: {names}") from None


def can_transition(current: OrderStatus, target: OrderStatus) -> bool:
    return target in TRANSITIONS[current]


def check_transition(current: OrderStatus, target: OrderStatus) -> None:
    if target not in TRANSITIONS[current]:
        raise IllegalTransition(current, target)


# Statuses as the database and the screens hold them (plain text).
_FINAL_NAMES: frozenset[str] = frozenset(s.value for s in TERMINAL)


def is_final(status: str) -> bool:
    """Whether an order in `status` is done with: shipped, cancelled, merged into another or
    split into parts. Such an order has no ship-by promise left to keep, so no countdown."""
    return status in _FINAL_NAMES


def is_overdue(status: str, promised_ship_by: datetime | None, now: datetime) -> bool:
    """Whether the order is late: its promised ship-by time has passed (the promised moment
    itself is still on time) and it is not done with. An order without a promise is never
    late."""
    return promised_ship_by is not None and promised_ship_by < now and not is_final(status)
