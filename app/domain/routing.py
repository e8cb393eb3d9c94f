"""Routing (分仓/选快递): which warehouse ships which order lines, and which carrier takes a parcel.

Pure functions over plain data, called by the order engine for every order, so they do as
little as possible per call: the nearest-first order of the warehouses is computed once per
destination district and kept in a `WarehouseDistances` cache.

Rules (DESIGN.md, "The order's life" / Route):

* `plan_route` ships the whole order from the nearest warehouse that has stock for every line
  and capacity left today. When none has, it splits by warehouse greedily: the warehouse that
  can ship the most remaining lines (whole lines only; ties go to the nearer one) takes them,
  until every line is placed or nothing more can be. Lines left over are `short` (the engine
  raises out_of_stock). Warehouses with no capacity left are passed over for the next nearest;
  `overflowed` records that capacity, not stock, moved the order away from a warehouse.
* `choose_carrier` applies the carrier rules: bulky/heavy → freight, high value → premium,
  otherwise the default carrier, otherwise the first express carrier that fits.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from app.domain.regions import EARTH_RADIUS_KM, Region

__all__ = [
    "CARRIER_KINDS",
    "CarrierInfo",
    "CarrierPolicy",
    "RouteLine",
    "RoutePlan",
    "Shipment",
    "WarehouseDistances",
    "WarehouseInfo",
    "choose_carrier",
    "plan_route",
    "province_of",
]

CARRIER_KINDS = frozenset({"express", "premium", "freight"})


@dataclass(frozen=True, slots=True)
class WarehouseInfo:
    """A warehouse as routing sees it: where it is and how many more orders it takes today."""

    id: int
    code: str
    longitude: float
    latitude: float
    capacity_left: int  # orders it can still take today

    def __post_init__(self) -> None:
        if not -180.0 <= self.longitude <= 180.0 or not -90.0 <= self.latitude <= 90.0:
            raise ValueError(
                f"warehouse {self.code!r}: coordinates ({self.longitude}, {self.latitude}) "
                "are not a longitude/latitude"
            )
        if self.capacity_left < 0:
            raise ValueError(
                f"warehouse {self.code!r}: capacity_left {self.capacity_left} is negative"
            )


@dataclass(frozen=True, slots=True)
class RouteLine:
    line_no: int
    sku_id: int
    qty: int

    def __post_init__(self) -> None:
        if self.qty <= 0:
            raise ValueError(f"line {self.line_no}: quantity {self.qty} must be positive")


@dataclass(frozen=True, slots=True)
class Shipment:
    """The lines one warehouse ships for an order (one parcel stream, one unit of capacity)."""

    warehouse_id: int
    lines: tuple[RouteLine, ...]


@dataclass(frozen=True, slots=True)
class RoutePlan:
    shipments: tuple[Shipment, ...]
    short: tuple[RouteLine, ...]  # lines no warehouse can cover
    overflowed: bool  # a nearer warehouse with stock was skipped for capacity

    @property
    def is_split(self) -> bool:
        return len(self.shipments) > 1


# --------------------------------------------------------------------------- distances


def _haversine_km(longitude: float, latitude: float, region: Region) -> float:
    # Same formula and radius as regions.distance_km, without building a Region per warehouse.
    lat1, lat2 = math.radians(region.latitude), math.radians(latitude)
    dlat = lat2 - lat1
    dlon = math.radians(longitude - region.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _rank_sites(
    sites: Mapping[int, tuple[float, float]], destination: Region
) -> tuple[tuple[int, float], ...]:
    scored = [(_haversine_km(lon, lat, destination), wid) for wid, (lon, lat) in sites.items()]
    # Equal distances fall back to the warehouse id, so the order never depends on input order.
    scored.sort()
    return tuple((wid, km) for km, wid in scored)


class WarehouseDistances:
    """Warehouses nearest-first for each destination district, computed once per adcode.

    Built for one warehouse layout (ids and coordinates; capacity is ignored because it
    changes all day). `plan_route` accepts any subset of that layout and refuses a warehouse
    the cache does not know or one that has moved, since a stale ranking would misroute
    orders silently. China has about 3,000 districts, so the default bound keeps them all.
    """

    __slots__ = ("_max_regions", "_ranked", "_sites")

    def __init__(self, warehouses: Iterable[WarehouseInfo], *, max_regions: int = 8192) -> None:
        if max_regions < 1:
            raise ValueError(f"max_regions must be at least 1, got {max_regions}")
        sites: dict[int, tuple[float, float]] = {}
        for w in warehouses:
            if w.id in sites:
                raise ValueError(f"warehouse id {w.id} appears twice")
            sites[w.id] = (w.longitude, w.latitude)
        self._sites = sites
        self._max_regions = max_regions
        self._ranked: dict[str, tuple[tuple[int, float], ...]] = {}

    def __len__(self) -> int:
        """Number of destination districts cached so far."""
        return len(self._ranked)

    @property
    def warehouse_ids(self) -> frozenset[int]:
        return frozenset(self._sites)

    def ranking(self, destination: Region) -> tuple[tuple[int, float], ...]:
        """(warehouse id, km) pairs, nearest first; ties broken by warehouse id."""
        ranked = self._ranked.get(destination.adcode)
        if ranked is None:
            ranked = _rank_sites(self._sites, destination)
            if len(self._ranked) >= self._max_regions:
                # Oldest entry out: a cheap bound that never matters for the real table.
                self._ranked.pop(next(iter(self._ranked)), None)
            self._ranked[destination.adcode] = ranked
        return ranked

    def _check(self, warehouse: WarehouseInfo) -> None:
        site = self._sites.get(warehouse.id)
        if site is None:
            raise ValueError(
                f"warehouse {warehouse.code!r} (id {warehouse.id}) is not in the distances cache"
            )
        if site != (warehouse.longitude, warehouse.latitude):
            raise ValueError(
                f"warehouse {warehouse.code!r} (id {warehouse.id}) has moved since the "
                "distances cache was built"
            )


def _nearest_first(
    destination: Region,
    warehouses: Sequence[WarehouseInfo],
    distances: WarehouseDistances | None,
) -> list[WarehouseInfo]:
    by_id: dict[int, WarehouseInfo] = {}
    for w in warehouses:
        if w.id in by_id:
            raise ValueError(f"warehouse id {w.id} appears twice")
        if distances is not None:
            distances._check(w)
        by_id[w.id] = w
    if distances is None:
        ranking = _rank_sites({w.id: (w.longitude, w.latitude) for w in warehouses}, destination)
    else:
        ranking = distances.ranking(destination)
    return [by_id[wid] for wid, _km in ranking if wid in by_id]


# --------------------------------------------------------------------------- warehouse


def _units(stock: Mapping[tuple[int, int], int], warehouse_id: int, sku_id: int) -> int:
    units = stock.get((warehouse_id, sku_id), 0)
    if units < 0:
        # Available stock below zero means the reservations are already wrong; routing on it
        # would hide an oversell instead of reporting it.
        raise ValueError(
            f"stock for sku {sku_id} in warehouse {warehouse_id} is negative ({units})"
        )
    return units


def _coverable(
    warehouse_id: int,
    by_sku: Mapping[int, Sequence[RouteLine]],
    stock: Mapping[tuple[int, int], int],
) -> set[int]:
    """Line numbers this warehouse can ship whole from its stock."""
    taken: set[int] = set()
    for sku_id, group in by_sku.items():
        have = _units(stock, warehouse_id, sku_id)
        if len(group) == 1:
            if group[0].qty <= have:
                taken.add(group[0].line_no)
            continue
        # Several lines compete for one SKU's units: smallest first ships the most lines.
        for line in sorted(group, key=lambda ln: (ln.qty, ln.line_no)):
            if line.qty > have:
                break
            have -= line.qty
            taken.add(line.line_no)
    return taken


def _group_by_sku(lines: Iterable[RouteLine]) -> dict[int, list[RouteLine]]:
    by_sku: dict[int, list[RouteLine]] = {}
    for line in lines:
        by_sku.setdefault(line.sku_id, []).append(line)
    return by_sku


def plan_route(
    lines: Sequence[RouteLine],
    destination: Region,
    warehouses: Sequence[WarehouseInfo],
    stock: Mapping[tuple[int, int], int],
    distances: WarehouseDistances | None = None,
) -> RoutePlan:
    """Choose the warehouse(s) for an order's lines; see the module docstring for the rules.

    `stock` maps (warehouse_id, sku_id) to units available (on hand − reserved); missing
    keys mean none. Shipments come in the order they were chosen (the single or largest
    first), each with its lines in the order given; `short` keeps the order given too.
    Capacity is read, not consumed: the caller reserves stock and capacity for the plan.
    """
    if not lines:
        raise ValueError("an order needs at least one line to route")
    demand: dict[int, int] = {}
    seen: set[int] = set()
    for line in lines:
        if line.line_no in seen:
            raise ValueError(f"line number {line.line_no} appears twice")
        seen.add(line.line_no)
        demand[line.sku_id] = demand.get(line.sku_id, 0) + line.qty

    ranked = _nearest_first(destination, warehouses, distances)

    # (a) the nearest warehouse that can ship everything, which is the common case.
    overflowed = False
    for w in ranked:
        if all(_units(stock, w.id, sku) >= qty for sku, qty in demand.items()):
            if w.capacity_left > 0:
                return RoutePlan((Shipment(w.id, tuple(lines)),), (), overflowed)
            overflowed = True

    # (b) split by warehouse, greedily by the number of lines each can ship.
    remaining = list(lines)
    pool = ranked  # nearest first, so strict ">" below hands ties to the nearer warehouse
    shipments: list[Shipment] = []
    while remaining and pool:
        by_sku = _group_by_sku(remaining)
        best_any: WarehouseInfo | None = None
        best_any_count = 0
        best: WarehouseInfo | None = None
        best_taken: set[int] = set()
        for w in pool:
            taken = _coverable(w.id, by_sku, stock)
            if len(taken) > best_any_count:
                best_any, best_any_count = w, len(taken)
            if w.capacity_left > 0 and len(taken) > len(best_taken):
                best, best_taken = w, taken
        if best_any is not None and best_any is not best:
            # The winner on stock alone is full today: the order moved for capacity.
            overflowed = True
        if best is None:
            break
        shipped = tuple(ln for ln in remaining if ln.line_no in best_taken)
        shipments.append(Shipment(best.id, shipped))
        remaining = [ln for ln in remaining if ln.line_no not in best_taken]
        pool = [w for w in pool if w is not best]
    return RoutePlan(tuple(shipments), tuple(remaining), overflowed)


# --------------------------------------------------------------------------- carrier


def province_of(adcode: str) -> str:
    """Province adcode (first two digits + '0000') of any six-digit region code."""
    if len(adcode) != 6 or not adcode.isascii() or not adcode.isdigit():
        raise ValueError(f"{adcode!r} is not a six-digit region code")
    return adcode[:2] + "0000"


@dataclass(frozen=True, slots=True)
class CarrierInfo:
    id: int
    code: str
    kind: str  # express|premium|freight
    coverage: frozenset[str] | None  # province adcodes (first 2 digits + '0000'), None = nationwide
    max_weight_g: int | None

    def __post_init__(self) -> None:
        if not self.code:
            raise ValueError(f"carrier {self.id}: code is empty")
        if self.kind not in CARRIER_KINDS:
            raise ValueError(
                f"carrier {self.code!r}: kind {self.kind!r} is not one of "
                f"{', '.join(sorted(CARRIER_KINDS))}"
            )
        if self.coverage is not None:
            for code in self.coverage:
                if province_of(code) != code:
                    raise ValueError(
                        f"carrier {self.code!r}: coverage {code!r} is not a province adcode"
                    )
        if self.max_weight_g is not None and self.max_weight_g <= 0:
            raise ValueError(
                f"carrier {self.code!r}: max_weight_g {self.max_weight_g} must be positive"
            )

    def covers(self, province_adcode: str) -> bool:
        return self.coverage is None or province_adcode in self.coverage

    def takes(self, weight_g: int) -> bool:
        return self.max_weight_g is None or weight_g <= self.max_weight_g


@dataclass(frozen=True, slots=True)
class CarrierPolicy:
    bulky_weight_g: int = 15000
    premium_value_fen: int = 300000
    default_code: str = "ZTO"
    preferred: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.bulky_weight_g <= 0:
            raise ValueError(f"bulky_weight_g {self.bulky_weight_g} must be positive")
        if self.premium_value_fen <= 0:
            raise ValueError(f"premium_value_fen {self.premium_value_fen} must be positive")


def choose_carrier(
    weight_g: int,
    bulky: bool,
    value_fen: int,
    province_adcode: str,
    carriers: Sequence[CarrierInfo],
    policy: CarrierPolicy,
) -> CarrierInfo | None:
    """The carrier for one parcel, or None when no carrier may take it.

    Rules, first match wins:
    1. bulky, or heavier than `bulky_weight_g` → a freight carrier;
    2. value ≥ `premium_value_fen` → a premium carrier;
    3. the default carrier (`default_code`);
    4. an express carrier.
    Every choice must cover the province and take the weight. Rules 1 and 2 do not fall back
    to ordinary express: a sofa in a courier van or a ¥3,000 parcel without the premium
    service is the mistake the engine should stop for a person, so None is returned.
    Within a rule, carriers named in `policy.preferred` come first in that order, then the
    rest in list order. A city or district adcode is read as its province.
    """
    if weight_g < 0:
        raise ValueError(f"weight {weight_g} g is negative")
    if value_fen < 0:
        raise ValueError(f"value {value_fen} fen is negative")
    province = province_of(province_adcode)

    if bulky or weight_g > policy.bulky_weight_g:
        return _first_of_kind("freight", weight_g, province, carriers, policy.preferred)
    if value_fen >= policy.premium_value_fen:
        return _first_of_kind("premium", weight_g, province, carriers, policy.preferred)
    for carrier in carriers:
        if carrier.code == policy.default_code:
            if carrier.covers(province) and carrier.takes(weight_g):
                return carrier
            break
    return _first_of_kind("express", weight_g, province, carriers, policy.preferred)


def _first_of_kind(
    kind: str,
    weight_g: int,
    province: str,
    carriers: Sequence[CarrierInfo],
    preferred: tuple[str, ...],
) -> CarrierInfo | None:
    fits = [c for c in carriers if c.kind == kind and c.covers(province) and c.takes(weight_g)]
    if not fits:
        return None
    for code in preferred:
        for carrier in fits:
            if carrier.code == code:
                return carrier
    return fits[0]
