"""The order queue's one priority score, its band, the ship-by countdown and compensation flag.

Bands, highest first: ``overdue`` (past the promised ship time), ``due_soon``
(promised ship time within `PriorityPolicy.due_soon_hours`, 12 h by default), ``presale`` (a
presale order whose balance is paid), ``vip`` (VIP level at least `vip_min_level`),
``normal``. Every order of a higher band sorts above every order of a lower band.

Layout of the integer (higher first; always 0 ≤ priority ≤ 1,999,999,999, a signed 32-bit
int)::

    priority = band × 400_000_000 + within
    band     = overdue 4, due_soon 3, presale 2, vip 1, normal 0

    overdue / due_soon:  within = T × 40_000 + V × 4_000 + A × 40 + G
        T  0..9_999  urgency in whole minutes: minutes overdue, or 9_999 − minutes left
        V  0..9      VIP level (9 and above share 9)
        A  0..99     amount, log scale: exact below 4 fen, then 4 steps per doubling
                     (at most 25 % apart); shared 99 from 1.75 × 2^25 fen (¥587,202.56) up
        G  0..39     age in whole hours (39 and above share 39)

    presale / vip / normal:  within = V × 40_000_000 + A × 40_000 + G
        V  0..9       VIP level
        A  0..999     amount, log scale: exact below 32 fen, then 32 steps per doubling
                      (at most about 3 % apart); shared 999 from about ¥418.8 million up
        G  0..39_999  age in whole minutes (about 27.8 days, then shared)

Age counts from payment (or from creation when there is no payment time), since that is when
the order became the warehouse's to ship. The urgency bands spend most of their room on the
deadline, to the minute, because that is what decides them; the other bands have no deadline
and spend it on amount and age instead. The score depends on `now` (countdowns and age move),
so the queue recomputes it as time passes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = [
    "BANDS",
    "BAND_STRIDE",
    "DEFAULT_POLICY",
    "DUE_SOON",
    "NORMAL",
    "OVERDUE",
    "PRESALE",
    "VIP",
    "PriorityInput",
    "PriorityPolicy",
    "band_of",
    "countdown_seconds",
    "needs_compensation",
    "score",
]

OVERDUE = "overdue"
DUE_SOON = "due_soon"
PRESALE = "presale"
VIP = "vip"
NORMAL = "normal"
BANDS: tuple[str, ...] = (OVERDUE, DUE_SOON, PRESALE, VIP, NORMAL)  # highest first
_RANK: dict[str, int] = {band: len(BANDS) - 1 - i for i, band in enumerate(BANDS)}

BAND_STRIDE = 400_000_000
_URGENCY_MAX = 9_999
_VIP_MAX = 9


def _aware(name: str, value: object) -> datetime:
    if not isinstance(value, datetime):
        raise ValueError(f"{name} must be a datetime, got {value!r}")
    # Naive times from different stations cannot be compared: a deadline is an instant.
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value.isoformat()}")
    return value


def _int(name: str, value: object, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return value


@dataclass(frozen=True, slots=True)
class PriorityInput:
    """What the score looks at for one order."""

    promised_ship_by: datetime | None
    is_presale: bool  # True only for a presale order whose balance is paid
    vip_level: int
    amount_fen: int
    paid_at: datetime | None
    created_at: datetime

    def __post_init__(self) -> None:
        if self.promised_ship_by is not None:
            _aware("promised_ship_by", self.promised_ship_by)
        if self.paid_at is not None:
            _aware("paid_at", self.paid_at)
        _aware("created_at", self.created_at)
        if not isinstance(self.is_presale, bool):
            raise ValueError(f"is_presale must be True or False, got {self.is_presale!r}")
        _int("vip_level", self.vip_level, 0)
        _int("amount_fen", self.amount_fen, 0)


@dataclass(frozen=True, slots=True)
class PriorityPolicy:
    """The tunable edges of the bands."""

    due_soon_hours: float = 12.0
    vip_min_level: int = 3

    def __post_init__(self) -> None:
        hours = self.due_soon_hours
        if isinstance(hours, bool) or not isinstance(hours, int | float):
            raise ValueError(f"due_soon_hours must be a number, got {hours!r}")
        if not math.isfinite(hours) or hours <= 0:
            raise ValueError(f"due_soon_hours must be a positive number of hours, got {hours!r}")
        # Level 0 is "not a VIP"; letting it into the vip band would empty the normal band.
        _int("vip_min_level", self.vip_min_level, 1)


DEFAULT_POLICY = PriorityPolicy()


def _whole_seconds(delta: timedelta) -> int:
    # timedelta keeps days and seconds floored, so this is floor(delta) in seconds: half a
    # second past the promise is -1 (overdue), half a second before it is 0 (not yet).
    return delta.days * 86_400 + delta.seconds


def countdown_seconds(promised_ship_by: datetime | None, now: datetime) -> int | None:
    """Whole seconds left until the promised ship time; negative once it has passed."""
    _aware("now", now)
    if promised_ship_by is None:
        return None
    return _whole_seconds(_aware("promised_ship_by", promised_ship_by) - now)


def needs_compensation(promised_ship_by: datetime | None, now: datetime, shipped: bool) -> bool:
    """True when the promised ship time has passed and the order has not shipped."""
    if not isinstance(shipped, bool):
        raise ValueError(f"shipped must be True or False, got {shipped!r}")
    left = countdown_seconds(promised_ship_by, now)
    return left is not None and left < 0 and not shipped


def _log_code(value: int, mantissa_bits: int, top: int) -> int:
    """A monotone log-scale code: exact below 2**mantissa_bits, then that many bits of mantissa.

    Integer-only (no float log), so equal amounts always land in the same step and a larger
    amount never gets a smaller code.
    """
    step = 1 << mantissa_bits
    if value < step:
        code = value
    else:
        exponent = value.bit_length() - 1
        mantissa = (value >> (exponent - mantissa_bits)) - step
        code = (exponent - mantissa_bits + 1) * step + mantissa
    return min(code, top)


def band_of(priority: int) -> str:
    """The band a priority integer belongs to (the inverse of the layout's first field)."""
    _int("priority", priority, 0)
    rank = priority // BAND_STRIDE
    if rank >= len(BANDS):
        raise ValueError(f"priority {priority} is above the highest band")
    return BANDS[len(BANDS) - 1 - rank]


def score(item: PriorityInput, now: datetime,
          policy: PriorityPolicy = DEFAULT_POLICY) -> tuple[int, str]:
    """(priority, band) for one order at `now`; a higher priority is worked first."""
    _aware("now", now)
    left = countdown_seconds(item.promised_ship_by, now)
    since = item.paid_at if item.paid_at is not None else item.created_at
    age_seconds = max(_whole_seconds(now - since), 0)  # a clock ahead of ours is age 0
    vip = min(item.vip_level, _VIP_MAX)

    if left is not None and left < 0:
        band = OVERDUE
        urgency = min(-left // 60, _URGENCY_MAX)
    elif left is not None and left <= policy.due_soon_hours * 3600:
        band = DUE_SOON
        urgency = _URGENCY_MAX - min(left // 60, _URGENCY_MAX)
    else:
        band = (PRESALE if item.is_presale
                else VIP if item.vip_level >= policy.vip_min_level
                else NORMAL)
        within = (vip * 40_000_000
                  + _log_code(item.amount_fen, 5, 999) * 40_000
                  + min(age_seconds // 60, 39_999))
        return _RANK[band] * BAND_STRIDE + within, band

    within = (urgency * 40_000
              + vip * 4_000
              + _log_code(item.amount_fen, 2, 99) * 40
              + min(age_seconds // 3600, 39))
    return _RANK[band] * BAND_STRIDE + within, band
