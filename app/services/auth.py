"""Logging in (password or badge scan) and managing users. Passwords are argon2 hashes."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from app.domain.roles import Permission, Role
from app.services import audit, changes
from app.services.changes import Change
from app.services.context import Actor
from app.services.errors import AuthenticationFailed, Conflict, InvalidInput
from app.store.db import Database
from app.store.models import User

_hasher = PasswordHasher()


@functools.cache
def dummy_hash() -> str:
    """Verified against when the user does not exist, so a refusal takes as long either way
    and the login screen's timing does not reveal which user codes exist. Made on first use:
    an argon2 hash costs half a second, which the app's start should not wait for."""
    return _hasher.hash("packline-no-such-user")

BADGE_PREFIX = "USR-"
_CODE = re.compile(r"^[A-Za-z0-9_.-]{2,32}$")
MIN_PASSWORD = 6


def normalize_code(code: str) -> str:
    """User codes are compared and stored lower-case: 'LI' and 'li' are one person."""
    return code.strip().lower()


def normalize_badge(badge: str) -> str:
    """Badges are stored upper-case (as printed); scanners with Caps Lock still match."""
    return badge.strip().upper()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _actor(user: User, station: str) -> Actor:
    return Actor(user_id=user.id, code=user.code, name=user.name, role=Role(user.role),
                 station=station)


def _finish_login(db: Database, user_id: int, station: str, how: str) -> Actor:
    with db.unit_of_work() as s:
        user = s.get_one(User, user_id)
        user.last_login_at = datetime.now(UTC)
        actor = _actor(user, station)
        audit.record(s, actor, "user.login", "user", user.code, detail={"by": how})
        return actor


def login_password(db: Database, code: str, password: str, station: str = "") -> Actor:
    with db.reader() as s:
        user = s.scalar(select(User).where(User.code == normalize_code(code)))
        # Same message either way: the login screen must not tell which part was wrong.
        stored = user.password_hash if user is not None else dummy_hash()
        if not _verify(stored, password) or user is None or not user.active:
            raise AuthenticationFailed("unknown user or wrong password",
                                       code="auth.wrong_password")
        user_id = user.id
    return _finish_login(db, user_id, station, "password")


def login_badge(db: Database, scanned: str, station: str = "") -> Actor:
    badge = normalize_badge(scanned)
    if not badge.startswith(BADGE_PREFIX):
        raise AuthenticationFailed(f"not a badge barcode: {scanned.strip()!r}",
                                   code="auth.not_a_badge", scanned=scanned.strip())
    with db.reader() as s:
        user = s.scalar(select(User).where(User.badge_code == badge))
        if user is None or not user.active:
            raise AuthenticationFailed("badge not recognised", code="auth.unknown_badge")
        user_id = user.id
    return _finish_login(db, user_id, station, "badge")


@dataclass(frozen=True, slots=True)
class NewUser:
    code: str
    name: str
    role: Role
    password: str
    badge: str | None = None
    warehouse_id: int | None = None


def create_user(db: Database, actor: Actor, new: NewUser) -> int:
    actor.require(Permission.MANAGE_USERS)
    code = normalize_code(new.code)
    if not _CODE.match(code):
        raise InvalidInput("user code: 2-32 letters, digits, '_', '.', '-'",
                           code="auth.bad_user_code")
    if len(new.password) < MIN_PASSWORD:
        raise InvalidInput(f"password: at least {MIN_PASSWORD} characters",
                           code="auth.short_password", minimum=MIN_PASSWORD)
    badge = normalize_badge(new.badge or f"{BADGE_PREFIX}{code}")
    if not badge.startswith(BADGE_PREFIX):
        raise InvalidInput(f"badge must start with {BADGE_PREFIX}", code="auth.bad_badge",
                           prefix=BADGE_PREFIX)
    with db.unit_of_work() as s:
        changes.note(s, Change.USERS)
        if s.scalar(select(User.id).where((func.lower(User.code) == code)
                                          | (func.upper(User.badge_code) == badge))):
            raise Conflict(f"user {code} or badge {badge} exists already",
                           code="auth.user_exists", user=code, badge=badge)
        user = User(code=code, name=new.name, role=new.role.value,
                    password_hash=hash_password(new.password), badge_code=badge,
                    warehouse_id=new.warehouse_id)
        s.add(user)
        s.flush()
        audit.record(s, actor, "user.created", "user", code, None, new.role.value)
        return user.id
