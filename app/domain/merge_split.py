"""Merge (合单) and split (拆单) decisions for waiting orders, as pure functions.

`merge_groups` finds orders that one parcel can carry, paid within a buffer of each other, not
yet in a wave: of one shop and, by the first of these the orders have,
- the platform's merge key (`merge_key`, the platform says which of its orders may ship
  together);
- the receiver's OAID (the platform's id of one receiver at one address);
- for a plaintext receiver, the same buyer, receiver name, phone and address.
An encrypted receiver without merge key or OAID never merges: its name, phone and address are
masks, and masks collide ("张**" is many people). An encrypted order never merges with a
plaintext one, nor an order merged by one kind of key with one of another kind. `split_by_kind` cuts one order's lines
into the parts that cannot travel together (presale vs spot, freight vs parcel). What the new
orders add up to is reckoned here too: `merged_order` and `merged_payments` for the order a
group becomes, `split_part` for each part an order is cut into. The engine writes the new
orders; nothing here touches the database.

Presale and merging: a presale order never merges with a spot order, since the spot order
would wait for presale stock or the presale one ship before its promised date. Presale orders
merge only with presale orders of the same campaign (`MergeCandidate.presale_campaign`), which
share one release and ship date; a presale order without a campaign never merges. The engine
offers presale orders for merging once they are releasable (balance paid), with `paid_at` the
time the balance was paid.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = [
    "CHANNEL_NO_KEPT",
    "PART_BULKY",
    "PART_PRESALE",
    "PART_SPOT",
    "REMARK_MAX",
    "MergeCandidate",
    "MergedPayment",
    "OrderFigures",
    "OrderSums",
    "SplitLine",
    "merge_groups",
    "merged_order",
    "merged_payments",
    "normalize_address",
    "normalize_name",
    "normalize_phone",
    "split_by_kind",
    "split_part",
]


@dataclass(frozen=True, slots=True)
class MergeCandidate:
    order_id: int
    shop_id: int
    buyer: str
    receiver_name: str
    receiver_phone: str
    full_address: str  # province+city+district+address
    paid_at: datetime
    is_presale: bool
    refund_in_progress: bool
    in_wave: bool
    presale_campaign: str | None = None  # presale orders merge only within one campaign
    merge_key: str | None = None  # the platform's merge key
    oaid: str | None = None  # the platform's id of an encrypted receiver
    encrypted: bool = False  # the receiver is kept encrypted: name, phone and address are masks

    def __post_init__(self) -> None:
        if self.presale_campaign is not None and not self.is_presale:
            raise ValueError(
                f"order {self.order_id}: a spot order cannot name presale campaign "
                f"{self.presale_campaign!r}"
            )


# --------------------------------------------------------------------------- normalising


def normalize_phone(phone: str) -> str:
    """Digits of a phone number: full-width digits read as ASCII, separators and +86 dropped.

    '*' is kept so that a platform-masked number (138****5678) never equals a real one.
    """
    text = unicodedata.normalize("NFKC", phone)
    digits = "".join(ch for ch in text if ch in "0123456789*")
    # A mainland mobile written with the country code: +86 138..., 0086 138..., 86138...
    if len(digits) == 15 and digits.startswith("0086") and digits[4] == "1":
        return digits[4:]
    if len(digits) == 13 and digits.startswith("86") and digits[2] == "1":
        return digits[2:]
    return digits


def normalize_address(address: str) -> str:
    """Address for comparison: full-width forms folded (３号 = 3号), no whitespace, casefolded."""
    return "".join(unicodedata.normalize("NFKC", address).split()).casefold()


def normalize_name(name: str) -> str:
    """Receiver name for comparison: full-width forms folded and whitespace removed."""
    return "".join(unicodedata.normalize("NFKC", name).split())


# --------------------------------------------------------------------------- merge


# (kind of key, shop, presale campaign, what the orders share…)
_MergeKey = tuple[str | int | None, ...]


def _merge_key(candidate: MergeCandidate) -> _MergeKey | None:
    """Bucket key for mergeable orders, or None when the order must not merge at all."""
    if candidate.refund_in_progress or candidate.in_wave:
        return None
    if candidate.is_presale and not candidate.presale_campaign:
        return None
    # Spot orders carry None here, so they can never share a bucket with a presale order.
    campaign = candidate.presale_campaign if candidate.is_presale else None
    # What the key is made of comes first, so that keys of different kinds never meet.
    if candidate.merge_key and candidate.merge_key.strip():
        return ("merge_key", candidate.shop_id, campaign, candidate.merge_key.strip())
    if candidate.oaid and candidate.oaid.strip():
        return ("oaid", candidate.shop_id, campaign, candidate.oaid.strip())
    if candidate.encrypted:
        return None  # masks only: "张**" at "文三路****" is many people
    phone = normalize_phone(candidate.receiver_phone)
    address = normalize_address(candidate.full_address)
    name = normalize_name(candidate.receiver_name)
    buyer = candidate.buyer.strip()
    # Validation rejects such orders before they wait; should one slip through, it is not
    # safe to say two of them go to the same person, so it stays alone.
    if not (phone.strip("*") and address and name and buyer):
        return None
    if "*" in phone + name + address:
        return None  # a mask on a plaintext receiver: validation refuses it, never merged
    return ("receiver", candidate.shop_id, campaign, buyer, name, phone, address)


def merge_groups(
    candidates: Iterable[MergeCandidate], buffer: timedelta = timedelta(minutes=30)
) -> list[list[int]]:
    """Groups of order ids (two or more each) that may be merged into one order.

    Within a group ids are sorted by paid_at then id; groups are sorted by their first order.
    A group is anchored on its earliest order and takes every matching order paid no later
    than `buffer` after it (the boundary counts as within); the next order starts a new group,
    so a steady trickle of orders cannot chain into one unbounded parcel.
    Orders with a refund in progress or already in a wave are never grouped.
    """
    if buffer < timedelta(0):
        raise ValueError(f"buffer {buffer} is negative")
    buckets: dict[_MergeKey, list[MergeCandidate]] = {}
    seen: set[int] = set()
    aware: bool | None = None
    for candidate in candidates:
        if candidate.order_id in seen:
            raise ValueError(f"order {candidate.order_id} appears twice")
        seen.add(candidate.order_id)
        is_aware = candidate.paid_at.utcoffset() is not None
        if aware is None:
            aware = is_aware
        elif aware != is_aware:
            raise ValueError(
                f"order {candidate.order_id}: paid_at mixes naive and timezone-aware times"
            )
        key = _merge_key(candidate)
        if key is not None:
            buckets.setdefault(key, []).append(candidate)

    groups: list[list[MergeCandidate]] = []
    for bucket in buckets.values():
        if len(bucket) < 2:
            continue
        bucket.sort(key=lambda c: (c.paid_at, c.order_id))
        start = 0
        while start < len(bucket):
            limit = bucket[start].paid_at + buffer
            end = start + 1
            while end < len(bucket) and bucket[end].paid_at <= limit:
                end += 1
            if end - start >= 2:
                groups.append(bucket[start:end])
            start = end
    groups.sort(key=lambda g: (g[0].paid_at, g[0].order_id))
    return [[c.order_id for c in group] for group in groups]


# --------------------------------------------------------------------------- split

PART_SPOT = "spot"
PART_PRESALE = "presale"
PART_BULKY = "bulky"
_PART_ORDER = (PART_SPOT, PART_PRESALE, PART_BULKY)


@dataclass(frozen=True, slots=True)
class SplitLine:
    line_no: int
    sku_id: int | None
    qty: int
    is_presale: bool
    bulky: bool

    def __post_init__(self) -> None:
        if self.qty <= 0:
            raise ValueError(f"line {self.line_no}: quantity {self.qty} must be positive")


def split_by_kind(lines: Sequence[SplitLine]) -> list[tuple[str, tuple[SplitLine, ...]]]:
    """The parts of an order that ship separately, as (part key, lines) pairs.

    Parts come in the fixed order 'spot', 'presale', 'bulky', each with its lines in the order
    given; empty parts are left out, so one part means no split. 'bulky' holds spot lines for
    the freight carrier. A bulky presale line stays in 'presale': it cannot ship before the
    presale stock is there, which matters more than the carrier; the engine picks the carrier
    for the presale part from its lines (freight when any is bulky).
    """
    if not lines:
        raise ValueError("an order needs at least one line to split")
    parts: dict[str, list[SplitLine]] = {key: [] for key in _PART_ORDER}
    seen: set[int] = set()
    for line in lines:
        if line.line_no in seen:
            raise ValueError(f"line number {line.line_no} appears twice")
        seen.add(line.line_no)
        if line.is_presale:
            parts[PART_PRESALE].append(line)
        elif line.bulky:
            parts[PART_BULKY].append(line)
        else:
            parts[PART_SPOT].append(line)
    return [(key, tuple(parts[key])) for key in _PART_ORDER if parts[key]]


# --------------------------------------------------------------------------- new orders' sums

# The channel's order number is kept to this many characters before the merge (+M2) or part
# (-1) mark, so the mark always fits the 64-character column.
CHANNEL_NO_KEPT = 60
REMARK_MAX = 1000  # a merged order's remarks, joined, are cut here
REMARK_JOIN = "；"


@dataclass(frozen=True, slots=True)
class OrderSums:
    """What a merge adds up, of one order: its own figures, or those of the merged order."""

    channel_order_no: str
    goods_fen: int
    discount_fen: int
    amount_fen: int
    line_count: int
    unit_count: int
    paid_at: datetime
    promised_ship_by: datetime | None
    vip_level: int
    remark: str


def merged_order(members: Sequence[OrderSums]) -> OrderSums:
    """The figures of the one order a merge group becomes, from its members in group order.

    Money, lines and units add up; it is paid when the last member was paid, promised for
    the earliest promise among the members (none when none has one), at the highest VIP
    level, with the members' remarks joined. At the channel it stays several orders: its
    number is the first member's + M and the count (T123+M2).
    """
    if len(members) < 2:
        raise ValueError(f"a merge needs two orders or more, got {len(members)}")
    first = members[0]
    return OrderSums(
        channel_order_no=f"{first.channel_order_no[:CHANNEL_NO_KEPT]}+M{len(members)}",
        goods_fen=sum(m.goods_fen for m in members),
        discount_fen=sum(m.discount_fen for m in members),
        amount_fen=sum(m.amount_fen for m in members),
        line_count=sum(m.line_count for m in members),
        unit_count=sum(m.unit_count for m in members),
        paid_at=max(m.paid_at for m in members),
        promised_ship_by=min((m.promised_ship_by for m in members
                              if m.promised_ship_by is not None), default=None),
        vip_level=max(m.vip_level for m in members),
        remark=REMARK_JOIN.join(m.remark for m in members if m.remark)[:REMARK_MAX],
    )


@dataclass(frozen=True, slots=True)
class MergedPayment:
    kind: str  # full, deposit, balance
    amount_fen: int
    paid: bool
    paid_at: datetime | None


def merged_payments(members: Sequence[Mapping[str, str]],
                    merged: OrderSums) -> list[MergedPayment]:
    """The merged order's payments, one per kind any member has (kinds in the order first
    met), from each member's payment statuses by kind. A kind is paid when every member's
    payment of that kind is; a full payment is the merged amount, a deposit or balance is
    0 until the engine prices the merged presale order."""
    statuses: dict[str, list[str]] = {}
    for member in members:
        for kind, status in member.items():
            statuses.setdefault(kind, []).append(status)
    payments = []
    for kind, seen in statuses.items():
        paid = all(status == "paid" for status in seen)
        payments.append(MergedPayment(kind=kind,
                                      amount_fen=merged.amount_fen if kind == "full" else 0,
                                      paid=paid, paid_at=merged.paid_at if paid else None))
    return payments


@dataclass(frozen=True, slots=True)
class OrderFigures:
    """The figures an order's split shares out: of the order split, or of one part (子单)."""

    channel_order_no: str
    goods_fen: int
    discount_fen: int
    amount_fen: int
    line_count: int
    unit_count: int


def split_part(parent: OrderFigures, part_no: int,
               lines: Sequence[tuple[int, int]]) -> OrderFigures:
    """Part `part_no` (from 1) of `parent`, holding `lines` as (unit price in fen, quantity).

    The part's goods are its lines' worth; the parent's discount and amount are shared by
    that worth (each rounded to the fen on its own, so the parts may differ from the
    parent's amount by a fen each). At the channel it stays one order: the part's number
    is the parent's + -1, -2...
    """
    if part_no < 1:
        raise ValueError(f"parts count from 1, got {part_no}")
    if not lines:
        raise ValueError("a part needs at least one line")
    goods = sum(price * qty for price, qty in lines)
    share = goods / max(parent.goods_fen, 1)
    return OrderFigures(
        channel_order_no=f"{parent.channel_order_no[:CHANNEL_NO_KEPT]}-{part_no}",
        goods_fen=goods,
        discount_fen=round(parent.discount_fen * share),
        amount_fen=round(parent.amount_fen * share),
        line_count=len(lines),
        unit_count=sum(qty for _price, qty in lines),
    )
