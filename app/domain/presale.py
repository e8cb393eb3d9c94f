"""Presale (预售) campaigns: what the buyer pays, the campaign's virtual pool, and release.

A campaign is either a deposit presale (定金预售) or a full-payment presale (全款预售).
Deposit forms combine freely in one `CampaignTerms`:

- 定金翻倍 (deposit doubling): each unit's deposit counts for more than was paid,
  e.g. pay 5000 fen, it counts 10000 against the price (`deposit_value_fen`).
- 定金抵现 (deposit offset): the deposit counts exactly what was paid
  (`deposit_value_fen == deposit_fen`).
- 尾款立减 (balance reduction): a fixed amount off the balance, once per order.
- 件数阶梯 (quantity tiers): an order of at least `min_qty` units gets `reduction_fen` off;
  only the highest tier reached applies, never the sum of tiers.

Presale orders draw on a virtual pool kept apart from spot stock. Its size is the supplier's
daily capacity × the campaign days × a safety ratio (0.8 by default), and `reserve` decides
whether one more order fits. All money is integer fen (分).

Two stock modes for a deposit presale (`STOCK_MODES`):
- `pool`: the goods are still to be made; a deposit draws on the virtual pool only and the
  order waits for its balance (待尾款) before it is routed;
- `real` (预占真实库存): the goods are in the warehouse; a deposit also reserves real units
  (the pool's capacity is then the allotment of real stock the campaign may hold, so presale
  never eats all spot stock), and the order is routed at once, so it may be picked and packed
  before the balance is paid (预打包) — but never handed over until it is (`may_hand_over`).
At the campaign's end every order whose balance was not paid is settled by how far it got
(`at_campaign_end`). `ledger` is the stock arithmetic of a campaign's SKU.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from fractions import Fraction

from app.domain.status import PRE_WAVE, TERMINAL, OrderStatus

__all__ = [
    "BALANCE_GRACE",
    "DEPOSIT",
    "FULL",
    "KINDS",
    "POOL",
    "REAL",
    "STOCK_MODES",
    "Admission",
    "CampaignTerms",
    "EndAction",
    "Ledger",
    "PoolDecision",
    "PresalePrice",
    "Tier",
    "admission",
    "at_campaign_end",
    "balance_settled_after",
    "capacity",
    "ledger",
    "may_hand_over",
    "pool_units_of_parts",
    "price",
    "reserve",
]

DEPOSIT = "deposit"
FULL = "full"
KINDS: tuple[str, ...] = (DEPOSIT, FULL)
POOL = "pool"
REAL = "real"
STOCK_MODES: tuple[str, ...] = (POOL, REAL)


def _int(name: str, value: object, minimum: int) -> int:
    # bool is an int subclass; True as a price is a bug upstream, not 1 fen.
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return value


def _ratio(name: str, value: object) -> Fraction:
    """A ratio in (0, 1] as an exact fraction of what was written (0.8 → 4/5)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} must be a number, got {value!r}")
    if not math.isfinite(value) or not 0 < value <= 1:
        raise ValueError(f"{name} must be greater than 0 and at most 1, got {value!r}")
    # repr gives the shortest decimal that round-trips, i.e. what the person typed. Using it
    # instead of the binary float keeps floor(100 × 0.57) at 57, where float math gives 56.
    return Fraction(repr(float(value)))


def _check_kind(kind: object) -> str:
    if not isinstance(kind, str) or kind not in KINDS:
        raise ValueError(f"presale kind must be one of {', '.join(KINDS)}; got {kind!r}")
    return kind


@dataclass(frozen=True, slots=True)
class Tier:
    """件数阶梯: an order of at least `min_qty` units gets `reduction_fen` off."""

    min_qty: int
    reduction_fen: int

    def __post_init__(self) -> None:
        # A "tier" at one unit would be a plain discount on every order; that is what
        # balance_reduction_fen is for, so it is refused here to keep the two apart.
        _int("tier min_qty", self.min_qty, 2)
        _int("tier reduction_fen", self.reduction_fen, 0)


@dataclass(frozen=True, slots=True)
class CampaignTerms:
    """The money and capacity terms of one presale campaign (per SKU)."""

    kind: str  # 'deposit' | 'full'
    price_fen: int  # per unit
    deposit_fen: int = 0  # paid per unit
    deposit_value_fen: int = 0  # what each unit's deposit counts for against the price
    balance_reduction_fen: int = 0  # 尾款立减, per order
    tiers: tuple[Tier, ...] = ()
    supplier_daily_capacity: int = 0
    capacity_days: int = 0
    safety_ratio: float = 0.8

    def __post_init__(self) -> None:
        kind = _check_kind(self.kind)
        _int("price_fen", self.price_fen, 1)
        _int("deposit_fen", self.deposit_fen, 0)
        _int("deposit_value_fen", self.deposit_value_fen, 0)
        _int("balance_reduction_fen", self.balance_reduction_fen, 0)
        _int("supplier_daily_capacity", self.supplier_daily_capacity, 0)
        _int("capacity_days", self.capacity_days, 0)
        _ratio("safety_ratio", self.safety_ratio)
        if kind == DEPOSIT:
            if self.deposit_fen == 0:
                raise ValueError("a deposit presale needs deposit_fen greater than 0")
            if self.deposit_value_fen < self.deposit_fen:
                raise ValueError(
                    f"deposit_value_fen ({self.deposit_value_fen}) must be at least "
                    f"deposit_fen ({self.deposit_fen}): a deposit never counts for less "
                    "than was paid")
            if self.deposit_value_fen > self.price_fen:
                raise ValueError(
                    f"deposit_value_fen ({self.deposit_value_fen}) must not exceed "
                    f"price_fen ({self.price_fen})")
        else:
            # Full payment has no deposit and no balance; a leftover deposit term means the
            # campaign was set up as the wrong kind, so say so instead of ignoring it.
            for name in ("deposit_fen", "deposit_value_fen", "balance_reduction_fen"):
                if getattr(self, name) != 0:
                    raise ValueError(f"a full-payment presale has no {name}; "
                                     f"got {getattr(self, name)}")
        object.__setattr__(self, "tiers", _sorted_tiers(self.tiers))


def _sorted_tiers(tiers: object) -> tuple[Tier, ...]:
    if isinstance(tiers, str | bytes) or not isinstance(tiers, tuple | list):
        raise ValueError(f"tiers must be a tuple of Tier, got {tiers!r}")
    for tier in tiers:
        if not isinstance(tier, Tier):
            raise ValueError(f"tiers must hold Tier values, got {tier!r}")
    ordered = tuple(sorted(tiers, key=lambda t: t.min_qty))
    for lower, higher in zip(ordered, ordered[1:], strict=False):
        if lower.min_qty == higher.min_qty:
            raise ValueError(f"two tiers start at {lower.min_qty} units")
        # Only the highest tier reached applies, so a smaller reduction higher up would make
        # buying one more unit cost the buyer money: that is a typo, not a promotion.
        if higher.reduction_fen < lower.reduction_fen:
            raise ValueError(
                f"tier at {higher.min_qty} units takes off {higher.reduction_fen} fen, less "
                f"than the tier at {lower.min_qty} units ({lower.reduction_fen} fen)")
    return ordered


@dataclass(frozen=True, slots=True)
class PresalePrice:
    """What one presale order costs the buyer, split into deposit and balance."""

    qty: int
    total_fen: int  # what the buyer pays in all
    deposit_fen: int
    balance_fen: int
    discount_fen: int  # price*qty - total


def _tier_reduction(tiers: tuple[Tier, ...], qty: int) -> int:
    reached = [tier.reduction_fen for tier in tiers if tier.min_qty <= qty]
    return reached[-1] if reached else 0


def price(terms: CampaignTerms, qty: int) -> PresalePrice:
    """The deposit, balance and total for `qty` units under `terms`.

    Deposit form: deposit = deposit_fen × qty; balance = price × qty − deposit value × qty −
    balance reduction − tier reduction, never below 0. Full form: everything is paid at once,
    total = price × qty − tier reduction (the balance reduction has no balance to act on).
    """
    _int("qty", qty, 1)
    gross = terms.price_fen * qty
    tier_off = _tier_reduction(terms.tiers, qty)
    if terms.kind == DEPOSIT:
        deposit = terms.deposit_fen * qty
        balance = max(gross - terms.deposit_value_fen * qty - terms.balance_reduction_fen
                      - tier_off, 0)
        total = deposit + balance
    else:
        deposit = 0
        balance = 0
        total = max(gross - tier_off, 0)
    return PresalePrice(qty=qty, total_fen=total, deposit_fen=deposit, balance_fen=balance,
                        discount_fen=gross - total)


def capacity(terms: CampaignTerms) -> int:
    """Units the campaign may promise: floor(daily capacity × days × safety ratio)."""
    exact = (terms.supplier_daily_capacity * terms.capacity_days
             * _ratio("safety_ratio", terms.safety_ratio))
    return math.floor(exact)


@dataclass(frozen=True, slots=True)
class PoolDecision:
    """Whether one order fits the campaign's virtual pool, and the pool after it."""

    accepted: bool
    reserved_after: int
    remaining: int
    warn: bool


def reserve(capacity: int, reserved: int, qty: int, warn_at: float = 0.9) -> PoolDecision:
    """Try to take `qty` units from a pool of `capacity` of which `reserved` are taken.

    A refused order leaves the pool as it was (upstream it gets a `presale_over_capacity`
    exception). `warn` is set when the pool after this decision is at or above `warn_at` of
    capacity, and always when the order is refused, so the campaign shows it is full.
    """
    _int("capacity", capacity, 0)
    _int("reserved", reserved, 0)
    _int("qty", qty, 1)
    threshold = _ratio("warn_at", warn_at)
    # reserved may exceed capacity when a campaign's capacity was lowered after orders came
    # in; that is a state to report (refuse, warn), not bad input.
    accepted = reserved + qty <= capacity
    after = reserved + qty if accepted else reserved
    warn = not accepted or after >= threshold * capacity
    return PoolDecision(accepted=accepted, reserved_after=after,
                        remaining=max(capacity - after, 0), warn=warn)


# ------------------------------------------------------------------ stock modes, 预打包


def check_stock_mode(mode: object) -> str:
    if not isinstance(mode, str) or mode not in STOCK_MODES:
        raise ValueError(f"stock mode must be one of {', '.join(STOCK_MODES)}; got {mode!r}")
    return mode


class Admission(StrEnum):
    """What the engine does with a presale order that passed its pool."""

    WAIT_BALANCE = "wait_balance"  # 待尾款: not routed until the balance is paid
    PREPACK = "prepack"  # routed now with real stock reserved; packed, never shipped unpaid
    ROUTE = "route"  # paid: routed as any order


def admission(kind: str, stock_mode: str, balance_paid: bool) -> Admission:
    """A deposit order whose balance is unpaid waits in `pool` mode and is routed (to be
    pre-packed) in `real` mode; a paid one, and any full-payment order, is routed."""
    _check_kind(kind)
    check_stock_mode(stock_mode)
    if not isinstance(balance_paid, bool):
        raise ValueError(f"balance_paid must be True or False, got {balance_paid!r}")
    if kind == FULL or balance_paid:
        return Admission.ROUTE
    return Admission.PREPACK if stock_mode == REAL else Admission.WAIT_BALANCE


def may_hand_over(kind: str | None, balance_status: str | None) -> bool:
    """Nothing ships unpaid: the one rule the dock, the waiting lists and the waves follow.

    `kind` is the order's campaign kind (None: not a presale order), `balance_status` its
    balance payment's status (None: it has none). A deposit presale order may be handed over
    only once its balance is `paid`; a spot or full-payment order is not held by this rule."""
    if kind is None:
        return True
    if _check_kind(kind) == FULL:
        return True
    return balance_status == "paid"


def pool_units_of_parts(pool_units: int, campaign_units: list[int]) -> list[int]:
    """A split order's pool units given to its parts: each part as many as it holds units of
    the campaign's SKU (`campaign_units`, in part order), what is left over (the pool counted
    every unit of the order) to the first part holding the campaign's SKU, else the first
    part. The shares add up to `pool_units`, so each pool unit is given back once."""
    _int("pool_units", pool_units, 0)
    if not campaign_units:
        raise ValueError("a split order has at least one part")
    for units in campaign_units:
        _int("campaign units of a part", units, 0)
    shares, left = [], pool_units
    for units in campaign_units:
        take = min(units, left)
        shares.append(take)
        left -= take
    if left:
        shares[next((i for i, u in enumerate(campaign_units) if u), 0)] += left
    return shares


# The channel's events arrive late (its pull interval, a queue behind a peak): a balance paid
# in the last minute of the window may reach the warehouse well after it. The campaign's end
# (and unpacking an order that is not intercepted) waits this long after `balance_ends_at`.
BALANCE_GRACE = timedelta(hours=1)


def balance_settled_after(balance_ends_at: datetime) -> datetime:
    """When the balance window is over for the warehouse: its end plus `BALANCE_GRACE`."""
    return balance_ends_at + BALANCE_GRACE


class EndAction(StrEnum):
    """What the campaign's end does to one of its orders."""

    KEEP = "keep"  # balance paid: it ships as any order
    NOTHING = "nothing"  # shipped, cancelled, merged or split already
    CANCEL = "cancel"  # nothing physical yet: cancelled, its stock and pool units given back
    LEAVE_WAVE = "leave_wave"  # in a wave not picked to the end: leaves it, then cancelled
    UNPACK = "unpack"  # picked or packed: unpacked, its units put back, then cancelled


_IN_WAVE = frozenset({OrderStatus.IN_WAVE, OrderStatus.PICKING})
_PICKED = frozenset({OrderStatus.PICKED, OrderStatus.PACKING, OrderStatus.PACKED})


def at_campaign_end(status: str, balance_paid: bool, picked_units: int = 0) -> EndAction:
    """The campaign's balance window is over: what happens to an order in `status`.

    `picked_units` are the units picked for it and not put back yet (an order in the
    exception queue may hold a packed parcel: it is unpacked, not just cancelled)."""
    state = OrderStatus(status)
    _int("picked_units", picked_units, 0)
    if not isinstance(balance_paid, bool):
        raise ValueError(f"balance_paid must be True or False, got {balance_paid!r}")
    if state in TERMINAL:
        return EndAction.NOTHING
    if balance_paid:
        return EndAction.KEEP
    if state in _IN_WAVE:
        return EndAction.LEAVE_WAVE
    if state in _PICKED or picked_units:
        return EndAction.UNPACK
    if state in PRE_WAVE:
        return EndAction.CANCEL
    raise ValueError(f"no campaign-end rule for status {status!r}")  # pragma: no cover


@dataclass(frozen=True, slots=True)
class Ledger:
    """A SKU's stock as the presale ledger shows it (one warehouse or all).

    on_hand: units in the bins; reserved: all reservations on them, of which presale_held
    belong to real-stock presale orders and spot_reserved to the rest; free: what a new
    order may take; pool_promised / pool_capacity: the campaign's pool (in real mode, its
    allotment of real stock)."""

    on_hand: int
    reserved: int
    presale_held: int
    pool_promised: int
    pool_capacity: int

    @property
    def spot_reserved(self) -> int:
        return self.reserved - self.presale_held

    @property
    def free(self) -> int:
        return self.on_hand - self.reserved

    @property
    def pool_left(self) -> int:
        return max(self.pool_capacity - self.pool_promised, 0)


def ledger(on_hand: int, reserved: int, presale_held: int, pool_promised: int = 0,
           pool_capacity: int = 0) -> Ledger:
    """The ledger, checked: every figure at least 0, the reservations within what is on
    hand, and presale holding no more than is reserved. A figure that breaks these is a
    broken ledger (ValueError naming it), never something to show."""
    for name, value in (("on_hand", on_hand), ("reserved", reserved),
                        ("presale_held", presale_held), ("pool_promised", pool_promised),
                        ("pool_capacity", pool_capacity)):
        _int(name, value, 0)
    if reserved > on_hand:
        raise ValueError(f"reserved ({reserved}) exceeds on hand ({on_hand})")
    if presale_held > reserved:
        raise ValueError(f"presale holds {presale_held} units but only {reserved} are "
                         "reserved")
    return Ledger(on_hand, reserved, presale_held, pool_promised, pool_capacity)
