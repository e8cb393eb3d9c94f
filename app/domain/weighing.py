"""Weighing (称重) at the packing station: what a parcel should weigh and whether a reading fits.

`expected_weight` adds up the SKU weights of what went into a box plus the empty box and filler.
`Tolerance.check` holds the scale's stable reading against it; a parcel outside the tolerance
is a wrong or missing item (错发/漏发) until someone looks. `WeightHistory` learns, from past
shipments, what a recurring combination (box type + SKUs) really weighs, since catalogue
weights are often wrong and a learned mean catches what a loose tolerance lets through.

Plain integers of grams, no I/O. Bad input raises `WeighingError` before anything changes.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from fractions import Fraction

__all__ = [
    "LearnedWeight",
    "Tolerance",
    "WeighingError",
    "WeightHistory",
    "WeightVerdict",
    "expected_weight",
]


class WeighingError(ValueError):
    """A weight, tolerance or history entry that is not a sensible number of grams."""


def _grams(name: str, value: object, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise WeighingError(f"{name} must be a whole number of grams ≥ {minimum}, not {value!r}")
    return value


def _ratio(name: str, value: object) -> Fraction:
    """A percent or factor as an exact fraction of its decimal spelling (5.0 → 5, 0.1 → 1/10),
    so boundaries fall where a person reading the settings expects them."""
    if (isinstance(value, bool) or not isinstance(value, int | float)
            or not math.isfinite(value) or value < 0):
        raise WeighingError(f"{name} must be a finite number ≥ 0, not {value!r}")
    return Fraction(str(value))


def expected_weight(lines: Iterable[tuple[int, int]], packaging_g: int) -> int:
    """Grams a parcel should weigh: Σ (weight per unit × units) + packaging (box, filler, tape)."""
    total = _grams("packaging_g", packaging_g)
    for weight_g, units in lines:
        total += _grams("weight per unit", weight_g) * _grams("units", units)
    return total


@dataclass(frozen=True)
class WeightVerdict:
    """What the scale's reading says. `deviation_g` is actual − expected (negative: too light);
    `allowed_g` is the largest deviation either way that still passes."""

    ok: bool
    reason: str  # "ok", "too_light", "too_heavy", "below_min", "above_max"
    deviation_g: int
    allowed_g: int


@dataclass(frozen=True)
class Tolerance:
    """How far a parcel may be off its expected weight.

    allowed = max(`grams`, `percent` of expected), rounded down. A fixed floor for light parcels,
    where scale resolution and filler dominate and 5 % of 200 g (10 g) would refuse honest
    parcels; a percentage for heavy ones, where catalogue weight errors grow with the weight and
    a fixed 50 g would refuse a 20 kg carton for a rounding error. Both ends are inclusive.
    Readings below `min_parcel_g` (nothing or a slip on the scale) or above `max_parcel_g` (the
    carrier's limit) fail whatever was expected.
    """

    grams: int = 50
    percent: float = 5.0
    min_parcel_g: int = 20
    max_parcel_g: int = 30_000

    def __post_init__(self) -> None:
        _grams("grams", self.grams)
        _ratio("percent", self.percent)
        _grams("min_parcel_g", self.min_parcel_g)
        _grams("max_parcel_g", self.max_parcel_g)
        if self.max_parcel_g <= self.min_parcel_g:
            raise WeighingError(f"max_parcel_g {self.max_parcel_g} must be above "
                                f"min_parcel_g {self.min_parcel_g}")

    def allowed_g(self, expected_g: int) -> int:
        """Largest deviation (either way) a parcel expected at `expected_g` may have."""
        share = _grams("expected_g", expected_g) * _ratio("percent", self.percent) / 100
        return max(self.grams, math.floor(share))

    def check(self, expected_g: int, actual_g: int) -> WeightVerdict:
        allowed = self.allowed_g(expected_g)
        deviation = _grams("actual_g", actual_g) - expected_g
        if actual_g < self.min_parcel_g:
            reason = "below_min"
        elif actual_g > self.max_parcel_g:
            reason = "above_max"
        elif deviation < -allowed:
            reason = "too_light"
        elif deviation > allowed:
            reason = "too_heavy"
        else:
            reason = "ok"
        return WeightVerdict(ok=reason == "ok", reason=reason, deviation_g=deviation,
                             allowed_g=allowed)


@dataclass(frozen=True)
class LearnedWeight:
    """What a combination has weighed so far: sample count, mean and sample standard deviation
    (n − 1: with a handful of samples the population σ would be too tight)."""

    samples: int
    mean_g: float
    sigma_g: float


@dataclass(frozen=True)
class _Sums:
    n: int
    total: int
    squares: int


WeightKey = tuple[Hashable, ...]


class WeightHistory:
    """Learned weights of recurring combinations, e.g. key = (box type, ((sku, units), …)).

    Kept as exact integer sums (count, Σ, Σ²), so the result is the same whatever order the
    shipments are learned in and no float drift creeps in over a season.
    A reading is flagged when it is off the learned mean by more than `percent` of the mean AND
    by more than `sigmas` standard deviations: the percent rule alone flags combinations that
    genuinely vary (loose filler), the σ rule alone flags tiny deviations of very steady ones.
    Fewer than `min_samples` shipments teach nothing.
    """

    __slots__ = ("_sums", "_min_samples", "_percent", "_sigmas")

    def __init__(self, *, min_samples: int = 3, percent: float = 5.0,
                 sigmas: float = 2.0) -> None:
        if isinstance(min_samples, bool) or not isinstance(min_samples, int) or min_samples < 2:
            raise WeighingError(f"min_samples must be a whole number ≥ 2 (σ needs two), "
                                f"not {min_samples!r}")
        self._min_samples = min_samples
        self._percent = _ratio("percent", percent)
        self._sigmas = _ratio("sigmas", sigmas)
        self._sums: dict[WeightKey, _Sums] = {}

    @staticmethod
    def _key(key: WeightKey) -> WeightKey:
        if not isinstance(key, tuple):
            raise WeighingError(f"a weight key is a tuple, not {key!r}")
        try:
            hash(key)
        except TypeError as exc:
            raise WeighingError(f"weight key {key!r} is not hashable") from exc
        return key

    def learn(self, key: WeightKey, actual_g: int) -> None:
        """Record one shipment of `key` that weighed `actual_g`."""
        grams = _grams("actual_g", actual_g)
        key = self._key(key)
        s = self._sums.get(key, _Sums(0, 0, 0))
        self._sums[key] = _Sums(s.n + 1, s.total + grams, s.squares + grams * grams)

    def _learned(self, key: WeightKey) -> tuple[_Sums, Fraction, Fraction] | None:
        s = self._sums.get(self._key(key))
        if s is None or s.n < self._min_samples:
            return None
        mean = Fraction(s.total, s.n)
        variance = Fraction(s.n * s.squares - s.total * s.total, s.n * (s.n - 1))
        return s, mean, variance

    def expected(self, key: WeightKey) -> LearnedWeight | None:
        """The learned weight of `key`, or None with fewer than `min_samples` shipments."""
        learned = self._learned(key)
        if learned is None:
            return None
        s, mean, variance = learned
        return LearnedWeight(samples=s.n, mean_g=float(mean), sigma_g=math.sqrt(variance))

    def flag(self, key: WeightKey, actual_g: int) -> bool:
        """True when `actual_g` is suspicious against what `key` has weighed before."""
        grams = _grams("actual_g", actual_g)
        learned = self._learned(key)
        if learned is None:
            return False
        _, mean, variance = learned
        deviation = abs(grams - mean)
        # Exact comparisons: dev > p% × mean, and dev > k σ ⇔ dev² > k² σ² (dev ≥ 0).
        beyond_percent = deviation * 100 > self._percent * mean
        beyond_sigma = deviation * deviation > self._sigmas * self._sigmas * variance
        return beyond_percent and beyond_sigma
