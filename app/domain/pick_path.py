"""Pick path (拣货路径): a wave's pick list consolidated by bin and SKU, in walking order.

The engine has already reserved stock per bin, so a wave arrives here as `PickNeed`s: one
order's units of one SKU from one bin. `pick_path` merges the needs of the whole wave into one
`PickStop` per (bin, SKU), naming the cart cell / put-wall slot of every order it feeds, and
orders the stops along the serpentine walk of `serpentine_key`. `reorder_with_skips` sends the
stops a picker skipped (bin blocked, replenishment under way) to the end of the walk, and
`walking_distance` / `pick_seconds` estimate the walk for the wave preview.

The walk through a pick area, one zone after the other (A, B, C …)::

      back cross-aisle
      ┌──────┬──────┬──────┬──────┐
      │ r4 ↑ │ r4 ↓ │ r4 ↑ │ r4 ↓ │     odd aisles are walked up (rack 1 → last rack),
      │ r3 ↑ │ r3 ↓ │ r3 ↑ │ r3 ↓ │     even aisles down (last rack → rack 1), so the
      │ r2 ↑ │ r2 ↓ │ r2 ↑ │ r2 ↓ │     picker never walks an aisle twice; at each rack
      │ r1 ↑ │ r1 ↓ │ r1 ↑ │ r1 ↓ │     the levels go 1, 2, 3 …, then `pick_seq`.
      │  a1  │  a2  │  a3  │  a4  │
      └──────┴──────┴──────┴──────┘
      front cross-aisle
      ▲ start (packing area)

This is the order the demo warehouse numbers its bins' `pick_seq` in, so for a layout laid out
that way the two agree; the key goes by aisle and rack first so that a warehouse whose
`pick_seq` was typed in by hand with mistakes still gets a sensible walk.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "BinSpot",
    "PickArea",
    "PickNeed",
    "PickPathError",
    "PickStop",
    "StopOrder",
    "pick_path",
    "pick_seconds",
    "reorder_with_skips",
    "serpentine_key",
    "walking_distance",
]


class PickPathError(ValueError):
    """A pick path was asked for with data that cannot describe a walk (unknown bin, bad qty)."""


@dataclass(frozen=True, slots=True)
class BinSpot:
    """Where a bin is on the floor: the fields of `Bin` (and its zone's code) the walk needs.

    `warehouse_id` is optional; set it when `spots` holds bins of several warehouses, so that
    `walking_distance` lays out each warehouse's zones on their own floor.
    """

    bin_id: int
    code: str
    zone: str
    aisle: int
    rack: int
    level: int
    pick_seq: int
    warehouse_id: int | None = None


@dataclass(frozen=True, slots=True)
class PickNeed:
    """One order's units of one SKU to take from one bin (stock already reserved there)."""

    order_id: int
    sku_id: int
    bin_id: int
    qty: int

    def __post_init__(self) -> None:
        if self.qty <= 0:
            raise PickPathError(
                f"order {self.order_id}: sku {self.sku_id} from bin {self.bin_id} has "
                f"quantity {self.qty}; it must be positive"
            )


StopOrder = tuple[int, int, int | None]
"""(order id, qty, cell) — the cell is None when the wave sorts at packing, not into cells."""


@dataclass(frozen=True, slots=True)
class PickStop:
    """One pick task: take `qty` of `sku_id` from `bin_id`, shared out as `orders` says."""

    seq: int
    bin_id: int
    sku_id: int
    qty: int
    orders: tuple[StopOrder, ...]
    skipped: bool = False

    def __post_init__(self) -> None:
        if self.seq < 1 or self.qty <= 0:
            raise PickPathError(
                f"pick stop {self.seq} (bin {self.bin_id}, sku {self.sku_id}): seq must be at "
                f"least 1 and qty positive, got qty {self.qty}"
            )


# --------------------------------------------------------------------------- walking order


def serpentine_key(spot: BinSpot) -> tuple[str, int, int, int, int, int]:
    """Sort key for the walk sketched in the module docstring.

    Zone code, aisle number, rack (ascending in odd aisles, descending in even ones), level,
    `pick_seq`; the bin id last only makes the order total when two bins share everything.
    """
    rack = spot.rack if spot.aisle % 2 else -spot.rack
    return (spot.zone, spot.aisle, rack, spot.level, spot.pick_seq, spot.bin_id)


def _walk_ranks(keys: Mapping[int, tuple[str, int, int, int, int, int]]) -> dict[int, int]:
    """Bin id → its place along the walk (0, 1, 2 …), from each bin's `serpentine_key`."""
    return {bin_id: i for i, bin_id in enumerate(sorted(keys, key=keys.__getitem__))}


def _stop_orders(per_order: dict[int, int],
                 cells: Mapping[int, int | None] | None) -> tuple[StopOrder, ...]:
    if len(per_order) == 1:  # most stops on a busy day feed a single order
        for oid, qty in per_order.items():
            return ((oid, qty, None if cells is None else cells[oid]),)
    if cells is None:
        return tuple(sorted((oid, qty, None) for oid, qty in per_order.items()))
    rows = [(oid, qty, cells[oid]) for oid, qty in per_order.items()]
    # Cell order is the order the picker drops units into the cart; orders without a cell
    # (sorted at packing) come after those with one.
    rows.sort(key=lambda r: (r[2] is None, r[2] or 0, r[0]))
    return tuple(rows)


def _consolidate(needs: Iterable[PickNeed]) -> dict[tuple[int, int], dict[int, int]]:
    """(bin, sku) → {order id: units}, summing an order's needs for the same bin and SKU."""
    acc: dict[tuple[int, int], dict[int, int]] = {}
    for need in needs:
        key = (need.bin_id, need.sku_id)
        per_order = acc.get(key)
        if per_order is None:
            acc[key] = {need.order_id: need.qty}
        else:
            per_order[need.order_id] = per_order.get(need.order_id, 0) + need.qty
    return acc


def _build_stops(acc: dict[tuple[int, int], dict[int, int]],
                 rank: Mapping[int, int],
                 cells: Mapping[int, int | None] | None) -> list[PickStop]:
    try:
        keys = sorted(acc, key=lambda k: (rank[k[0]], k[1]))
    except KeyError as exc:
        raise PickPathError(f"bin {exc.args[0]} is not in the pick area's bins") from None
    stops: list[PickStop] = []
    append = stops.append
    for seq, key in enumerate(keys, start=1):
        per_order = acc[key]
        try:
            orders = _stop_orders(per_order, cells)
        except KeyError as exc:
            raise PickPathError(f"order {exc.args[0]} has no cell in this wave") from None
        append(PickStop(seq, key[0], key[1], sum(per_order.values()), orders))
    return stops


def pick_path(needs: Iterable[PickNeed], spots: Mapping[int, BinSpot],
              cells: Mapping[int, int | None] | None = None) -> list[PickStop]:
    """The wave's pick tasks: one stop per (bin, SKU), in walking order, seq from 1.

    `cells` maps every order of the wave to its cart cell / put-wall slot (None inside the
    mapping, or no mapping at all, when the wave is sorted at packing). Two stops at the same
    bin come in SKU id order; within a stop orders go by cell, then order id. The result
    depends only on the needs, never on the order they were given in.
    """
    acc = _consolidate(needs)
    keys: dict[int, tuple[str, int, int, int, int, int]] = {}
    for bin_id, _sku in acc:
        if bin_id not in keys:
            spot = spots.get(bin_id)
            if spot is None:
                raise PickPathError(f"bin {bin_id} is not in the pick area's bins")
            keys[bin_id] = serpentine_key(spot)
    return _build_stops(acc, _walk_ranks(keys), cells)


def reorder_with_skips(stops: Sequence[PickStop], skipped_seqs: Collection[int]) -> list[PickStop]:
    """The walk after the picker skipped `skipped_seqs`: those stops last, seq renumbered from 1.

    Stops already marked skipped stay skipped. The stops that are not skipped keep their order;
    the skipped ones follow in the order they had, which on the first skip is the path order,
    so the picker sweeps them up in one more pass. Unknown seqs are refused, and then nothing
    is returned changed.
    """
    seqs = [s.seq for s in stops]
    if len(set(seqs)) != len(seqs):
        raise PickPathError("pick stops repeat a seq number")
    unknown = set(skipped_seqs).difference(seqs)
    if unknown:
        raise PickPathError(f"no pick stop has seq {', '.join(map(str, sorted(unknown)))}")
    skip = set(skipped_seqs)
    kept = [s for s in stops if not s.skipped and s.seq not in skip]
    later = [s for s in stops if s.skipped or s.seq in skip]
    out = [dataclasses.replace(s, seq=seq) for seq, s in enumerate(kept, start=1)]
    out += [dataclasses.replace(s, seq=seq, skipped=True)
            for seq, s in enumerate(later, start=len(kept) + 1)]
    return out


# --------------------------------------------------------------------------- distance


def _positive(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PickPathError(f"{name} must be a number, got {value!r}")
    if not math.isfinite(value) or value <= 0:
        raise PickPathError(f"{name} must be a positive number, got {value!r}")
    return float(value)


def _not_negative(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PickPathError(f"{name} must be a number, got {value!r}")
    if not math.isfinite(value) or value < 0:
        raise PickPathError(f"{name} must not be negative, got {value!r}")
    return float(value)


# A bin's place on the floor for the distance model: (x, y, area, back cross-aisle y).
_Point = tuple[float, float, int, float]


class _Floor:
    """Floor positions of every bin in `spots`, computed once (see `walking_distance`)."""

    __slots__ = ("points",)

    def __init__(self, spots: Mapping[int, BinSpot], aisle_pitch_m: float,
                 rack_pitch_m: float) -> None:
        aisle_pitch_m = _positive("aisle_pitch_m", aisle_pitch_m)
        rack_pitch_m = _positive("rack_pitch_m", rack_pitch_m)
        # Per (warehouse, zone): the highest aisle and rack, which place the zones side by side
        # and put the back cross-aisle one rack pitch behind the last rack.
        aisles: dict[tuple[int | None, str], int] = {}
        racks: dict[tuple[int | None, str], int] = {}
        for spot in spots.values():
            area = (spot.warehouse_id, spot.zone)
            if spot.aisle > aisles.get(area, 0):
                aisles[area] = spot.aisle
            if spot.rack > racks.get(area, 0):
                racks[area] = spot.rack
        offset: dict[tuple[int | None, str], tuple[int, int]] = {}
        by_warehouse: dict[int | None, int] = {}
        # Sorting with None first keeps a layout without warehouse ids working.
        for index, area in enumerate(sorted(aisles, key=lambda a: (a[0] is not None, a[0] or 0,
                                                                   a[1]))):
            before = by_warehouse.get(area[0], 0)
            offset[area] = (before, index)
            by_warehouse[area[0]] = before + aisles[area]
        self.points: dict[int, _Point] = {}
        for bin_id, spot in spots.items():
            area = (spot.warehouse_id, spot.zone)
            before, index = offset[area]
            self.points[bin_id] = ((before + spot.aisle - 1) * aisle_pitch_m,
                                   spot.rack * rack_pitch_m, index,
                                   (racks[area] + 1) * rack_pitch_m)

    def distance(self, bin_ids: Iterable[int], start: tuple[float, float]) -> float:
        x0 = float(start[0])
        y0 = abs(float(start[1]))
        points = self.points
        total = 0.0
        here: _Point | None = None
        for bin_id in bin_ids:
            try:
                there = points[bin_id]
            except KeyError:
                raise PickPathError(f"bin {bin_id} is not in the pick area's bins") from None
            if here is None:
                total += abs(there[0] - x0) + y0 + there[1]
            elif here[0] == there[0] and here[2] == there[2]:
                total += abs(here[1] - there[1])
            elif here[2] == there[2]:
                back = there[3]
                total += abs(here[0] - there[0]) + min(here[1] + there[1],
                                                       2 * back - here[1] - there[1])
            else:
                total += abs(here[0] - there[0]) + here[1] + there[1]
            here = there
        if here is not None:
            total += here[1] + abs(here[0] - x0) + y0
        return total


def walking_distance(stops: Sequence[PickStop], spots: Mapping[int, BinSpot],
                     aisle_pitch_m: float = 3.0, rack_pitch_m: float = 1.2,
                     start: tuple[float, float] = (0.0, 0.0)) -> float:
    """Metres walked to visit `stops` in their order and come back to `start`.

    The model, per warehouse (from every bin in `spots`)::

          y ▲         back cross-aisle, one rack pitch behind the zone's last rack
            │   ┌────┬────┬────┐┌────┬────┐
            │   │ a1 │ a2 │ a3 ││ a1 │ a2 │   zone B's aisles continue to the right
            │   │    │    │    ││    │    │   of zone A's, one aisle pitch apart
            │   └────┴────┴────┘└────┴────┘
          0 ┼── front cross-aisle ───────────────► x
            start = (x, y): x along the front cross-aisle, y metres in front of it

    A bin in aisle `a` (counted on from the aisles of the zones before it, zones in code order)
    and rack `r` stands at x = (a − 1) × aisle pitch, y = r × rack pitch; levels cost nothing.
    Within one aisle the picker walks straight; to another aisle of the same zone he leaves
    by whichever end (front or back cross-aisle) is shorter; to another zone he goes by the
    front cross-aisle. The walk starts at `start` and ends back there.
    """
    floor = _Floor(spots, aisle_pitch_m, rack_pitch_m)
    return floor.distance((s.bin_id for s in stops), start)


def pick_seconds(stops: Sequence[PickStop], distance_m: float, walk_m_per_s: float = 1.0,
                 per_stop_s: float = 8.0, per_unit_s: float = 2.0) -> float:
    """Estimated pick time: walking, plus a fixed time per stop (find bin, scan) and per unit."""
    distance_m = _not_negative("distance_m", distance_m)
    walk_m_per_s = _positive("walk_m_per_s", walk_m_per_s)
    per_stop_s = _not_negative("per_stop_s", per_stop_s)
    per_unit_s = _not_negative("per_unit_s", per_unit_s)
    units = sum(s.qty for s in stops)
    return distance_m / walk_m_per_s + len(stops) * per_stop_s + units * per_unit_s


class PickArea:
    """A pick area's walking order and floor positions, computed once for many waves.

    `path` gives what `pick_path` gives and `distance` what `walking_distance` gives, without
    looking at every bin again per wave; wave planning over a whole backlog uses it.
    """

    __slots__ = ("_floor", "_rank")

    def __init__(self, spots: Mapping[int, BinSpot], *, aisle_pitch_m: float = 3.0,
                 rack_pitch_m: float = 1.2) -> None:
        self._floor = _Floor(spots, aisle_pitch_m, rack_pitch_m)
        self._rank = _walk_ranks({bin_id: serpentine_key(s) for bin_id, s in spots.items()})

    def __contains__(self, bin_id: object) -> bool:
        return bin_id in self._rank

    def path(self, needs: Iterable[PickNeed],
             cells: Mapping[int, int | None] | None = None) -> list[PickStop]:
        return _build_stops(_consolidate(needs), self._rank, cells)

    def distance(self, stops: Sequence[PickStop],
                 start: tuple[float, float] = (0.0, 0.0)) -> float:
        return self._floor.distance((s.bin_id for s in stops), start)
