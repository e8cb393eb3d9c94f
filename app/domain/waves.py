"""Wave planning (波次): which routed orders a strategy picks together, and their pick paths.

`plan_waves` is what the shift lead's preview shows and what the release service writes: for
one strategy over the routed backlog it forms waves within `WaveLimits`, each with its pick
path, bins to visit, walking distance and estimated pick time (`app.domain.pick_path`). It only
proposes; reserving orders so that none lands in two waves is the release service's job.

Strategies (`Strategy`) and the orders each takes:

=============  ===============================================================================
single_unit    单品单件: one line of one unit
single_sku     单品多件: one SKU, more than one unit; orders are taken SKU by SKU (SKUs in
               the order of their most urgent order), so a wave picks few SKUs
multi_item     多品: more than one SKU, sorted on a put wall (播种墙) after picking
per_order      摘果: any order, picked straight into its own cart cell; for small batches
by_carrier     orders with a carrier; one carrier per wave
by_zone        orders whose bins all lie in one zone; one zone per wave
presale        presale orders; one campaign per wave
urgent         promised ship-by within `urgent_hours` of `now` (overdue ones included)
hot_sku        爆款: single-SKU orders of a SKU that more than `hot_threshold` orders of the
               warehouse ask for (multi-item orders count too, once the carrier and zone
               filters have had their say); one SKU per wave
=============  ===============================================================================

Cells: in the put-wall and cart strategies (multi_item, per_order, by_carrier, by_zone,
presale, urgent) every order gets a cell (cart cell / put-wall slot 1, 2, … in the wave's
order), so a wave holds at most `max_cells` orders as well as `max_orders`. In single_unit,
single_sku and hot_sku the picked units are sorted at packing (one scan finds the next order),
cells are None and only `max_orders`, `max_lines` and `max_units` bind.

Rules common to all: a wave never mixes warehouses and, unless `mix_bands`, never mixes priority
bands; orders are taken highest priority first (ties: earliest promised ship-by, none last, then
order id) and packed greedily: a wave is closed when the next order would break a limit. An
order that breaks `max_lines` or `max_units` on its own fits no wave and is left out. Waves come
most urgent first (by their first order). The result depends only on the orders, never on the
order they were given in.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from itertools import chain

from app.domain.pick_path import BinSpot, PickArea, PickNeed, PickStop, pick_seconds
from app.domain.priority import BANDS

__all__ = [
    "CELL_STRATEGIES",
    "PlannedWave",
    "Strategy",
    "WaveLimits",
    "WaveOrderFact",
    "WavePlanError",
    "estimated_pick_seconds",
    "parse_strategy",
    "plan_waves",
]


class WavePlanError(ValueError):
    """Waves were asked for with input that cannot be planned (bad limits, unknown strategy …)."""


class Strategy(StrEnum):
    SINGLE_UNIT = "single_unit"
    SINGLE_SKU = "single_sku"
    MULTI_ITEM = "multi_item"
    PER_ORDER = "per_order"
    BY_CARRIER = "by_carrier"
    BY_ZONE = "by_zone"
    PRESALE = "presale"
    URGENT = "urgent"
    HOT_SKU = "hot_sku"


CELL_STRATEGIES: frozenset[Strategy] = frozenset({
    Strategy.MULTI_ITEM, Strategy.PER_ORDER, Strategy.BY_CARRIER, Strategy.BY_ZONE,
    Strategy.PRESALE, Strategy.URGENT,
})
"""Strategies in which every order takes a cart cell / put-wall slot of its own."""


def parse_strategy(value: Strategy | str) -> Strategy:
    """The strategy named by `value` (its code, e.g. ``"single_unit"``)."""
    if isinstance(value, Strategy):
        return value
    try:
        return Strategy(str(value).strip().lower())
    except ValueError:
        raise WavePlanError(
            f"unknown wave strategy {value!r}; one of {', '.join(s.value for s in Strategy)}"
        ) from None


@dataclass(frozen=True, slots=True)
class WaveOrderFact:
    """A routed order as wave planning sees it; `needs` say which bin each unit comes from."""

    order_id: int
    order_no: str
    warehouse_id: int
    carrier_id: int | None
    priority: int
    band: str
    promised_ship_by: datetime | None
    is_presale: bool
    campaign_id: int | None
    lines: int
    units: int
    needs: tuple[PickNeed, ...]

    def __post_init__(self) -> None:
        name = self.order_no or str(self.order_id)
        if self.lines < 1:
            raise WavePlanError(f"order {name}: {self.lines} lines; an order has at least one")
        if self.band not in BANDS:
            raise WavePlanError(f"order {name}: priority band {self.band!r} is not one of "
                                f"{', '.join(BANDS)}")
        ship_by = self.promised_ship_by
        if ship_by is not None and ship_by.utcoffset() is None:
            raise WavePlanError(f"order {name}: promised_ship_by must be timezone-aware")
        if not self.needs:
            raise WavePlanError(f"order {name}: no bins to pick from")
        units = 0
        for need in self.needs:
            if need.order_id != self.order_id:
                raise WavePlanError(f"order {name}: a pick need belongs to order {need.order_id}")
            units += need.qty
        # The needs are the reservations; units that no bin holds would never be picked.
        if units != self.units:
            raise WavePlanError(f"order {name}: {self.units} units, but its bins hold {units}")


def _limit(name: str, value: int | None, *, optional: bool) -> None:
    if value is None and optional:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise WavePlanError(f"{name} must be a whole number of at least 1, got {value!r}")


@dataclass(frozen=True, slots=True)
class WaveLimits:
    """Per-wave limits; None means no limit. See the module docstring for where cells bind."""

    max_orders: int = 100
    max_lines: int | None = None
    max_units: int | None = None
    max_cells: int = 20
    mix_bands: bool = False

    def __post_init__(self) -> None:
        _limit("max_orders", self.max_orders, optional=False)
        _limit("max_lines", self.max_lines, optional=True)
        _limit("max_units", self.max_units, optional=True)
        _limit("max_cells", self.max_cells, optional=False)
        if not isinstance(self.mix_bands, bool):
            raise WavePlanError(f"mix_bands must be True or False, got {self.mix_bands!r}")

    def orders_per_wave(self, strategy: Strategy) -> int:
        if strategy in CELL_STRATEGIES:
            return min(self.max_orders, self.max_cells)
        return self.max_orders


@dataclass(frozen=True, slots=True)
class PlannedWave:
    """One proposed wave: its orders (priority order), their cells and the pick path."""

    warehouse_id: int
    strategy: Strategy
    band: str  # the orders' band; with mix_bands, the band of the first (most urgent) order
    carrier_id: int | None  # the carrier when every order has the same one
    order_ids: tuple[int, ...]
    cells: dict[int, int | None]
    lines: int
    units: int
    stops: list[PickStop]
    bins_to_visit: int
    distance_m: float
    pick_seconds: float


# --------------------------------------------------------------------------- planning

_NO_SHIP_BY = datetime.max.replace(tzinfo=UTC)


def _rank_key(order: WaveOrderFact) -> tuple[int, datetime, int]:
    ship_by = order.promised_ship_by
    return (-order.priority, _NO_SHIP_BY if ship_by is None else ship_by, order.order_id)


def _sku_ids(order: WaveOrderFact) -> set[int]:
    return {need.sku_id for need in order.needs}


def _check_now(now: object) -> datetime:
    if not isinstance(now, datetime) or now.utcoffset() is None:
        raise WavePlanError(f"now must be a timezone-aware datetime, got {now!r}")
    return now


def _check_options(urgent_hours: float, hot_threshold: int) -> None:
    if (isinstance(urgent_hours, bool) or not isinstance(urgent_hours, int | float)
            or not math.isfinite(urgent_hours) or urgent_hours <= 0):
        raise WavePlanError(f"urgent_hours must be a positive number, got {urgent_hours!r}")
    if isinstance(hot_threshold, bool) or not isinstance(hot_threshold, int) or hot_threshold < 1:
        raise WavePlanError(f"hot_threshold must be a whole number of at least 1, "
                            f"got {hot_threshold!r}")


_GroupKey = tuple[int, str | None, object]


def plan_waves(orders: Sequence[WaveOrderFact], strategy: Strategy | str, limits: WaveLimits,
               *, now: datetime, carrier_id: int | None = None, zone: str | None = None,
               urgent_hours: float = 4, hot_threshold: int = 50,
               spots: Mapping[int, BinSpot]) -> list[PlannedWave]:
    """The waves `strategy` forms from `orders` (rules in the module docstring).

    `carrier_id` keeps only that carrier's orders and `zone` only orders whose bins all lie in
    that zone, whatever the strategy. `spots` holds every bin the orders' needs name.
    """
    strategy = parse_strategy(strategy)
    if not isinstance(limits, WaveLimits):
        raise WavePlanError(f"limits must be WaveLimits, got {limits!r}")
    now = _check_now(now)
    _check_options(urgent_hours, hot_threshold)
    area = PickArea(spots)

    seen: set[int] = set()
    for order in orders:
        if order.order_id in seen:
            raise WavePlanError(f"order {order.order_no} is given twice")
        seen.add(order.order_id)

    zone_of_bin = {bin_id: spot.zone for bin_id, spot in spots.items()}
    need_zone = zone is not None or strategy is Strategy.BY_ZONE
    deadline = now + timedelta(hours=urgent_hours)
    # 爆款 counts every order asking for the SKU, multi-item ones too: that is the demand.
    hot = (_demand(orders, carrier_id, zone, zone_of_bin)
           if strategy is Strategy.HOT_SKU else {})

    # One pass over the backlog: filters, and what the strategy groups by. The two lists run
    # side by side rather than as pairs: 100,000 pair tuples would outlive the young GC
    # generations and set off full collections over the whole backlog.
    picked: list[WaveOrderFact] = []
    extras: list[object] = []
    for order in orders:
        for need in order.needs:
            if need.bin_id not in zone_of_bin:
                raise WavePlanError(f"order {order.order_no}: bin {need.bin_id} is not a known "
                                    "pick bin")
        if carrier_id is not None and order.carrier_id != carrier_id:
            continue
        order_zone: str | None = None
        if need_zone:
            zones = {zone_of_bin[need.bin_id] for need in order.needs}
            if len(zones) != 1:
                continue
            order_zone = zones.pop()
            if zone is not None and order_zone != zone:
                continue
        extra: object = None
        if strategy is Strategy.SINGLE_UNIT:
            if order.lines != 1 or order.units != 1:
                continue
        elif strategy is Strategy.SINGLE_SKU or strategy is Strategy.HOT_SKU:
            skus = _sku_ids(order)
            if len(skus) != 1:
                continue
            sku = skus.pop()
            if strategy is Strategy.SINGLE_SKU:
                if order.units < 2:
                    continue
            elif hot[(order.warehouse_id, sku)] <= hot_threshold:
                continue
            extra = sku
        elif strategy is Strategy.MULTI_ITEM:
            if len(_sku_ids(order)) < 2:
                continue
        elif strategy is Strategy.BY_CARRIER:
            if order.carrier_id is None:
                continue
            extra = order.carrier_id
        elif strategy is Strategy.BY_ZONE:
            extra = order_zone
        elif strategy is Strategy.PRESALE:
            if not order.is_presale:
                continue
            extra = order.campaign_id
        elif strategy is Strategy.URGENT:
            ship_by = order.promised_ship_by
            if ship_by is None or ship_by > deadline:
                continue
        picked.append(order)
        extras.append(extra)

    # Priority order once for the whole backlog; every group below inherits it.
    ranked = sorted(range(len(picked)), key=lambda i: _rank_key(picked[i]))

    # Group: (warehouse, band unless mixed, strategy's key). single_sku keeps the SKU as a
    # cluster inside the group instead: its waves may span SKUs, but take them one by one.
    # Members are positions in `ranked`, so a wave's place in the result is its first one.
    groups: dict[_GroupKey, dict[object, list[int]]] = {}
    cluster_by_sku = strategy is Strategy.SINGLE_SKU
    mix_bands = limits.mix_bands
    for position, index in enumerate(ranked):
        order = picked[index]
        extra = extras[index]
        key: _GroupKey = (order.warehouse_id, None if mix_bands else order.band,
                          None if cluster_by_sku else extra)
        clusters = groups.get(key)
        if clusters is None:
            clusters = groups[key] = {}
        cluster = extra if cluster_by_sku else None
        members = clusters.get(cluster)
        if members is None:
            clusters[cluster] = [position]
        else:
            members.append(position)

    cells_per_order = strategy in CELL_STRATEGIES
    cap = limits.orders_per_wave(strategy)
    max_lines, max_units = limits.max_lines, limits.max_units
    planned: list[tuple[int, PlannedWave]] = []
    for clusters in groups.values():
        current: list[WaveOrderFact] = []
        first = lines = units = 0
        for position in chain.from_iterable(clusters.values()):
            order = picked[ranked[position]]
            if ((max_lines is not None and order.lines > max_lines)
                    or (max_units is not None and order.units > max_units)):
                continue  # fits no wave under these limits
            if current and (len(current) >= cap
                            or (max_lines is not None and lines + order.lines > max_lines)
                            or (max_units is not None and units + order.units > max_units)):
                planned.append((first, _wave(current, strategy, cells_per_order, area)))
                current = []
            if not current:
                first, lines, units = position, 0, 0
            current.append(order)
            lines += order.lines
            units += order.units
        if current:
            planned.append((first, _wave(current, strategy, cells_per_order, area)))
    planned.sort(key=lambda item: item[0])
    return [wave for _first, wave in planned]


def _demand(orders: Iterable[WaveOrderFact], carrier_id: int | None, zone: str | None,
            zone_of_bin: Mapping[int, str]) -> dict[tuple[int, int], int]:
    """(warehouse, SKU) → how many orders ask for the SKU, among those the filters keep."""
    demand: dict[tuple[int, int], int] = {}
    for order in orders:
        if carrier_id is not None and order.carrier_id != carrier_id:
            continue
        if zone is not None and any(zone_of_bin.get(n.bin_id) != zone for n in order.needs):
            continue
        for sku in _sku_ids(order):
            key = (order.warehouse_id, sku)
            demand[key] = demand.get(key, 0) + 1
    return demand


def _wave(members: list[WaveOrderFact], strategy: Strategy, cells_per_order: bool,
          area: PickArea) -> PlannedWave:
    order_ids = tuple(order.order_id for order in members)
    cells: dict[int, int | None]
    if cells_per_order:
        cells = {order_id: cell for cell, order_id in enumerate(order_ids, start=1)}
    else:
        cells = dict.fromkeys(order_ids)
    stops = area.path(chain.from_iterable(order.needs for order in members), cells)
    distance = area.distance(stops)
    first = members[0]
    carrier = first.carrier_id
    if any(order.carrier_id != carrier for order in members):
        carrier = None
    return PlannedWave(
        warehouse_id=first.warehouse_id,
        strategy=strategy,
        band=first.band,
        carrier_id=carrier,
        order_ids=order_ids,
        cells=cells,
        lines=sum(order.lines for order in members),
        units=sum(order.units for order in members),
        stops=stops,
        bins_to_visit=len({stop.bin_id for stop in stops}),
        distance_m=distance,
        pick_seconds=pick_seconds(stops, distance),
    )


def estimated_pick_seconds(tasks: Sequence[tuple[int, int]], area: PickArea) -> float:
    """A released wave's pick time as the preview estimated it: its tasks as (bin id, units)
    in walking order, over the same area model and the same per-stop and per-unit times."""
    stops = [PickStop(seq, bin_id, 0, qty, ()) for seq, (bin_id, qty)
             in enumerate(tasks, start=1)]
    return pick_seconds(stops, area.distance(stops))

