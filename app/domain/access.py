"""Who may log in, and how hard it is to guess: badge and service-token secrets, which roles
must add a PIN, and the throttle that slows and then locks out repeated failed logins.

Pure rules over plain values; the central services and the station's offline login both apply
them, so a station that lost the network refuses the same way the centre does.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.domain.roles import Role

BADGE_PREFIX = "USR-"
TOKEN_PREFIX = "PLT-"
# 100 random bits in a badge (20 base32 characters), 160 in a service token. Base32 is upper
# case letters and digits 2-7: Code 128 prints it compactly, a scanner with Caps Lock on reads
# it the same, and there is no 0/O or 1/I to misread on a card.
BADGE_BYTES = 13  # 104 bits before trimming to 20 characters = 100 bits
TOKEN_BYTES = 20
BADGE_CHARS = 20
TOKEN_CHARS = 32

MIN_PASSWORD = 6
MIN_PIN = 4
MAX_PIN = 8

# Roles whose badge alone is not enough: a lead's or admin's login, and every override a
# lead approves at a bench, needs the badge and the PIN (or the password).
SECOND_FACTOR_ROLES = frozenset({Role.SHIFT_LEAD, Role.ADMIN})


def new_badge() -> str:
    raw = base64.b32encode(secrets.token_bytes(BADGE_BYTES)).decode("ascii")
    return BADGE_PREFIX + raw[:BADGE_CHARS]


def new_token() -> str:
    raw = base64.b32encode(secrets.token_bytes(TOKEN_BYTES)).decode("ascii")
    return TOKEN_PREFIX + raw[:TOKEN_CHARS]


def normalize_secret(scanned: str) -> str:
    """Badges and tokens compare upper-case without surrounding blanks (a scanner with Caps
    Lock on, a suffix the wedge left behind)."""
    return scanned.strip().upper()


SECRET_PREFIXES = (BADGE_PREFIX, TOKEN_PREFIX)
MASK = "••••"


def masked(text: str) -> str:
    """What a screen, a log or a command's output may show of a scan: a badge or a token
    as "USR-••••", anything else as it is."""
    upper = text.strip().upper()
    for prefix in SECRET_PREFIXES:
        if upper.startswith(prefix):
            return prefix + MASK
    return text


def looks_like_badge(scanned: str) -> bool:
    return normalize_secret(scanned).startswith(BADGE_PREFIX)


def looks_like_token(scanned: str) -> bool:
    return normalize_secret(scanned).startswith(TOKEN_PREFIX)


def secret_hash(scanned: str) -> str:
    """What is stored for a badge or token. The secret has 100+ random bits, so a fast hash
    is enough (nobody can try 2^100 guesses) and lets a scan be found by an index lookup."""
    return hashlib.sha256(normalize_secret(scanned).encode("utf-8")).hexdigest()


def needs_second_factor(role: Role) -> bool:
    return role in SECOND_FACTOR_ROLES


def pin_is_valid(pin: str) -> bool:
    return pin.isdigit() and MIN_PIN <= len(pin) <= MAX_PIN


# ---------------------------------------------------------------- throttle


@dataclass(frozen=True, slots=True)
class ThrottlePolicy:
    """How failures count: `delay_after` failures in a row start a wait that doubles with each
    further failure (up to `max_delay`); `lock_after` lock for `lock_for`. A failure more than
    `forget_after` after the previous one starts counting afresh."""

    delay_after: int
    lock_after: int
    base_delay: timedelta
    max_delay: timedelta
    lock_for: timedelta
    forget_after: timedelta


# A person may mistype twice without waiting (and two of their logins may run at once, a
# lead's two scripts say); from the third failure on each try waits, then the fifth locks.
USER_POLICY = ThrottlePolicy(delay_after=3, lock_after=5, base_delay=timedelta(seconds=1),
                             max_delay=timedelta(seconds=30), lock_for=timedelta(minutes=15),
                             forget_after=timedelta(minutes=15))
# A station sees everybody's typos; it slows down later and locks only for a burst that no
# queue of packers makes by mistake (someone trying badges or passwords in a row).
STATION_POLICY = ThrottlePolicy(delay_after=10, lock_after=30, base_delay=timedelta(seconds=1),
                                max_delay=timedelta(seconds=30),
                                lock_for=timedelta(minutes=10),
                                forget_after=timedelta(minutes=10))


@dataclass(frozen=True, slots=True)
class ThrottleState:
    failures: int = 0
    last_failed_at: datetime | None = None
    retry_after: datetime | None = None
    locked_until: datetime | None = None


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why an attempt may not even be checked now."""

    locked: bool  # locked out (until `until`), otherwise only asked to wait
    until: datetime

    def seconds(self, now: datetime) -> int:
        return max(1, int((self.until - now).total_seconds() + 0.999))


def refusal(state: ThrottleState, now: datetime) -> Refusal | None:
    """An attempt made now is refused unchecked while locked or before the retry time; it
    does not count as a further failure (the person only waited too little)."""
    if state.locked_until is not None and now < state.locked_until:
        return Refusal(True, state.locked_until)
    if state.retry_after is not None and now < state.retry_after:
        return Refusal(False, state.retry_after)
    return None


def after_failure(policy: ThrottlePolicy, state: ThrottleState, now: datetime
                  ) -> ThrottleState:
    """The state after one more failed attempt. `locked_until` set means it just locked."""
    failures = state.failures
    if state.last_failed_at is None or now - state.last_failed_at > policy.forget_after:
        failures = 0
    if state.locked_until is not None and now >= state.locked_until:
        failures = 0  # a lock that ran out starts the count again
    failures += 1
    if failures >= policy.lock_after:
        return ThrottleState(failures, now, None, now + policy.lock_for)
    retry = None
    if failures >= policy.delay_after:
        steps = failures - policy.delay_after
        retry = now + min(policy.base_delay * (2 ** steps), policy.max_delay)
    return ThrottleState(failures, now, retry, None)


def just_locked(before: ThrottleState, after: ThrottleState, now: datetime) -> bool:
    was_locked = before.locked_until is not None and now < before.locked_until
    return after.locked_until is not None and not was_locked
