"""Put wall (播种墙): sorting a multi-item wave's picked units into one slot per order.

After a multi-item wave is picked in bulk, the sorter scans each unit; `place` names the slot
that still needs that SKU (the light that comes on) and `put` records the unit once it is in.
A slot is complete when its order has every unit; the packer then takes it. An order cancelled
mid-wave leaves the wall with `remove_order`, which says what had already been put in its slot
so the caller can make the 放回 (put-back) tasks.

Pure state over plain dicts, no I/O. Every refusal raises `PutWallError` before anything
changes, so a refused scan leaves the wall exactly as it was.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["PutWall", "PutWallError"]


class PutWallError(ValueError):
    """A put the wall cannot take (slot that does not need the SKU, unknown slot …)."""


class PutWall:
    """The slots of one wave's put wall: what each order still needs and what is already in.

    `slots` maps slot number (from 1) → {sku id: units the order needs}.
    """

    __slots__ = ("_needed", "_put", "_left", "_by_sku")

    def __init__(self, slots: Mapping[int, Mapping[int, int]]) -> None:
        needed: dict[int, dict[int, int]] = {}
        for slot, skus in slots.items():
            if isinstance(slot, bool) or not isinstance(slot, int) or slot < 1:
                raise PutWallError(f"slot {slot!r} is not a slot number (1, 2, …)")
            if not skus:
                raise PutWallError(f"slot {slot} needs nothing; an order has at least one unit")
            for sku_id, qty in skus.items():
                if isinstance(qty, bool) or not isinstance(qty, int) or qty < 1:
                    raise PutWallError(f"slot {slot}: sku {sku_id} quantity {qty!r} must be a "
                                       "positive whole number")
            needed[slot] = dict(skus)
        self._needed = needed  # what each slot still needs; a SKU leaves when it reaches 0
        self._put: dict[int, dict[int, int]] = {slot: {} for slot in needed}
        self._left = {slot: sum(skus.values()) for slot, skus in needed.items()}
        # SKU → slots still needing it, so a scan looks only at the slots that want the SKU.
        self._by_sku: dict[int, set[int]] = {}
        for slot, skus in needed.items():
            for sku_id in skus:
                self._by_sku.setdefault(sku_id, set()).add(slot)

    def _check(self, slot: int) -> None:
        if slot not in self._needed:
            raise PutWallError(f"slot {slot} is not on this wall")

    @property
    def slots(self) -> tuple[int, ...]:
        """Slot numbers on the wall, lowest first (removed orders' slots are gone)."""
        return tuple(sorted(self._needed))

    def place(self, sku_id: int) -> int | None:
        """The slot this unit goes into, or None when no slot needs it (refuse the scan).

        The slot closest to complete (fewest units still missing) wins, so orders finish and
        leave for packing as early as possible; ties go to the lowest slot number. Nothing is
        recorded until `put`.
        """
        wanting = self._by_sku.get(sku_id)
        if not wanting:
            return None
        left = self._left
        return min(wanting, key=lambda slot: (left[slot], slot))

    def put(self, slot: int, sku_id: int) -> None:
        """Record one unit of `sku_id` put into `slot`; refused unless the slot still needs it."""
        self._check(slot)
        still = self._needed[slot].get(sku_id, 0)
        if still == 0:
            raise PutWallError(f"slot {slot} does not need sku {sku_id}")
        if still == 1:
            del self._needed[slot][sku_id]
            self._by_sku[sku_id].discard(slot)
        else:
            self._needed[slot][sku_id] = still - 1
        put = self._put[slot]
        put[sku_id] = put.get(sku_id, 0) + 1
        self._left[slot] -= 1

    def remaining(self, slot: int) -> dict[int, int]:
        """{sku id: units} the slot's order still needs; empty when complete."""
        self._check(slot)
        return dict(self._needed[slot])

    def put_so_far(self, slot: int) -> dict[int, int]:
        """{sku id: units} already in the slot."""
        self._check(slot)
        return dict(self._put[slot])

    def complete(self, slot: int) -> bool:
        self._check(slot)
        return self._left[slot] == 0

    def complete_slots(self) -> tuple[int, ...]:
        """Slots whose order has every unit, lowest first."""
        return tuple(sorted(slot for slot, left in self._left.items() if left == 0))

    def remove_order(self, slot: int) -> dict[int, int]:
        """Take the slot's order off the wall (cancelled mid-wave).

        Returns {sku id: units} already put in the slot, which must go back to stock; the slot
        is then unknown to the wall, so no more units are placed there.
        """
        self._check(slot)
        for sku_id in self._needed[slot]:
            self._by_sku[sku_id].discard(slot)
        del self._needed[slot]
        del self._left[slot]
        return self._put.pop(slot)
