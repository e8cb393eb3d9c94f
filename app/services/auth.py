"""Proving who you are, and the admin's management of people and service accounts.

- A password (argon2) logs anybody in; a badge (a random token, stored as a SHA-256 hash) logs
  a packer or picker in alone, a shift lead or admin only with their PIN (or password) too.
- A service account logs in with its token (automation: `PACKLINE_TOKEN`), never at a screen.
- Failures slow the next attempt and then lock the user and the station (`app.domain.access`);
  every login, failure, lockout and unlock is audited with the station and how it was tried.
- The slow part of a check (argon2, ~0.1 s) runs outside any transaction; the throttle rows
  are locked only for the short write that follows.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.domain import access
from app.domain.access import BADGE_PREFIX, MIN_PASSWORD, ThrottleState
from app.domain.roles import Permission, Role
from app.services import audit, changes
from app.services.access import guarded
from app.services.changes import Change
from app.services.context import Actor, origin
from app.services.errors import (
    AuthenticationFailed,
    Conflict,
    InvalidInput,
    NotFound,
    SecondFactorRequired,
)
from app.store import bulk
from app.store.db import Database
from app.store.models import LoginThrottle, User

__all__ = ["BADGE_PREFIX", "MIN_PASSWORD"]

_hasher = PasswordHasher()
_CODE = re.compile(r"^[a-z0-9_.-]{2,32}$")


@functools.cache
def dummy_hash() -> str:
    """Verified against when the user does not exist, so a refusal takes as long either way
    and the login screen's timing does not reveal which user codes exist. Made on first use:
    an argon2 hash costs half a second, which the app's start should not wait for."""
    return _hasher.hash("packline-no-such-user")


def normalize_code(code: str) -> str:
    """User codes are compared and stored lower-case: 'LI' and 'li' are one person."""
    return code.strip().lower()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored or dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return False


def verify_second_factor(pin_hash: str | None, password_hash: str, secret: str) -> bool:
    """A PIN, or the password in its place (a lead who forgot the PIN still gets in)."""
    if pin_hash and access.pin_is_valid(secret) and verify_password(pin_hash, secret):
        return True
    return verify_password(password_hash, secret)


def station_key(station: str) -> str:
    """Failures from a command line without a station count against the host it runs on."""
    return (station or f"cli@{origin()[1]}")[:64]


# ---------------------------------------------------------------- the throttle


def _state(row: LoginThrottle | None) -> ThrottleState:
    if row is None:
        return ThrottleState()
    return ThrottleState(row.failures, row.last_failed_at, row.retry_after, row.locked_until)


def _throttle_rows(s: Session, keys: list[tuple[str, str]], *, lock: bool
                   ) -> dict[tuple[str, str], LoginThrottle]:
    if lock:
        bulk.insert_new_returning(s, LoginThrottle.__table__, [
            {"scope": scope, "key": key, "failures": 0} for scope, key in keys],
            conflict=("scope", "key"), returning=("key",))
    rows: dict[tuple[str, str], LoginThrottle] = {}
    for scope, key in keys:
        stmt = select(LoginThrottle).where(LoginThrottle.scope == scope,
                                           LoginThrottle.key == key)
        row = s.scalar(stmt.with_for_update() if lock else stmt)
        if row is not None:
            rows[scope, key] = row
    return rows


def _refuse_if_throttled(db: Database, keys: list[tuple[str, str]], who: Actor, how: str
                         ) -> None:
    """Refuses, unchecked, an attempt made while locked or before the wait is over. It does
    not count as a further failure (the person only came back too soon), but it is audited:
    a run of them is what someone trying passwords looks like."""
    now = datetime.now(UTC)
    with db.reader() as s:
        found = [(scope, key, access.refusal(_state(row), now))
                 for (scope, key), row in _throttle_rows(s, keys, lock=False).items()]
    for scope, key, refused in found:
        if refused is None:
            continue
        wait = refused.seconds(now)
        with db.unit_of_work() as w:
            audit.record(w, who, "auth.login_failed", "user", who.code,
                         detail={"by": how, "reason": "locked" if refused.locked
                                 else "too_soon", "scope": scope})
        if refused.locked:
            raise AuthenticationFailed(
                f"{scope} {key} is locked for {wait} s after too many failed logins",
                code="auth.station_locked" if scope == "station" else "auth.locked",
                minutes=max(1, (wait + 59) // 60))
        raise AuthenticationFailed(f"too many failed logins: wait {wait} s",
                                   code="auth.wait", seconds=wait)


def _policy(scope: str) -> access.ThrottlePolicy:
    return access.STATION_POLICY if scope == "station" else access.USER_POLICY


def _record_failure(db: Database, keys: list[tuple[str, str]], who: Actor, how: str,
                    reason: str) -> None:
    """Counts one failure against each key, audits it, and the lockout it may cause."""
    now = datetime.now(UTC)
    with db.unit_of_work() as s:
        rows = _throttle_rows(s, keys, lock=True)
        audit.record(s, who, "auth.login_failed", "user", who.code,
                     detail={"by": how, "reason": reason})
        for (scope, key), row in rows.items():
            before = _state(row)
            after = access.after_failure(_policy(scope), before, now)
            row.failures, row.last_failed_at = after.failures, after.last_failed_at
            row.retry_after, row.locked_until = after.retry_after, after.locked_until
            if access.just_locked(before, after, now):
                audit.record(s, who, "auth.locked", scope, key,
                             after=after.locked_until.isoformat() if after.locked_until else None,
                             detail={"failures": after.failures, "by": how})


def _record_success(s: Session, user_key: str, station: str, now: datetime) -> None:
    rows = _throttle_rows(s, [("user", user_key), ("station", station)], lock=True)
    for (scope, _key), row in rows.items():
        row.failures, row.retry_after, row.locked_until = 0, None, None
        if scope == "user":
            row.last_login_at = now


def _anonymous(code: str, station: str, how: str) -> Actor:
    if access.looks_like_badge(code) or access.looks_like_token(code):
        code = "?"  # a badge typed into the user field: a secret, never written down
    return Actor(user_id=None, code=code[:64] or "?", name="", role=Role.PICKER,
                 station=station, via=how)


def actor_for(user: User, station: str, how: str) -> Actor:
    return Actor(user_id=user.id, code=user.code, name=user.name, role=Role(user.role),
                 station=station, via=how)


def _finish(db: Database, user_id: int, station: str, how: str, action: str = "user.login",
            detail: dict[str, Any] | None = None) -> Actor:
    now = datetime.now(UTC)
    with db.unit_of_work() as s:
        user = s.get_one(User, user_id)
        actor = actor_for(user, station, how)
        _record_success(s, user.code, station_key(station), now)
        audit.record(s, actor, action, "user", user.code, detail={"by": how, **(detail or {})})
        return actor


# ---------------------------------------------------------------- logging in


def login_password(db: Database, code: str, password: str, station: str = "",
                   how: str = "password") -> Actor:
    code = normalize_code(code)[:32]
    where = station_key(station)
    keys = [("user", code), ("station", where)]
    _refuse_if_throttled(db, keys, _anonymous(code, station, how), how)
    with db.reader() as s:
        user = s.scalar(select(User).where(User.code == code, User.kind == "person"))
        stored = user.password_hash if user is not None else None
        user_id, active = (user.id, user.active) if user is not None else (None, False)
    # Same refusal either way: the login must not tell which part was wrong.
    if not verify_password(stored, password) or user_id is None or not active:
        _record_failure(db, keys, _anonymous(code, station, how), how,
                        "inactive" if user_id is not None and active is False
                        and verify_password(stored, password) else "wrong_password")
        raise AuthenticationFailed("unknown user or wrong password", code="auth.wrong_password")
    return _finish(db, user_id, station, how)


def _badge_holder(db: Database, scanned: str, station: str, how: str
                  ) -> tuple[int, str, Role, str | None, str]:
    """The active person holding this badge: (id, code, role, pin hash, password hash)."""
    if not access.looks_like_badge(scanned):
        raise AuthenticationFailed("not a badge barcode", code="auth.not_a_badge")
    where = station_key(station)
    _refuse_if_throttled(db, [("station", where)], _anonymous("badge", station, how), how)
    with db.reader() as s:
        user = s.scalar(select(User).where(User.badge_hash == access.secret_hash(scanned)))
        found = None if user is None or not user.active or user.kind != "person" else (
            user.id, user.code, Role(user.role), user.pin_hash, user.password_hash)
    if found is not None:
        _refuse_if_throttled(db, [("user", found[1])], _anonymous(found[1], station, how), how)
    else:
        _record_failure(db, [("station", where)], _anonymous("badge", station, how), how,
                        "unknown_badge")
        raise AuthenticationFailed("badge not recognised", code="auth.unknown_badge")
    return found


def _check_second_factor(db: Database, holder: tuple[int, str, Role, str | None, str],
                         secret: str, station: str, how: str) -> None:
    user_id, code, _role, pin_hash, password_hash = holder
    if not verify_second_factor(pin_hash, password_hash, secret):
        _record_failure(db, [("user", code), ("station", station_key(station))],
                        _anonymous(code, station, how), how, "wrong_pin")
        raise AuthenticationFailed("wrong PIN or password", code="auth.wrong_pin")


def login_badge(db: Database, scanned: str, station: str = "", pin: str | None = None
                ) -> Actor:
    """Badge alone for packers and pickers; a lead or admin is asked for the PIN
    (`SecondFactorRequired`) and comes back with it."""
    holder = _badge_holder(db, scanned, station, "badge")
    user_id, code, role, _pin_hash, _password_hash = holder
    if pin is None:
        if access.needs_second_factor(role):
            raise SecondFactorRequired(f"{code}: badge and PIN", code="auth.pin_required",
                                       user=code)
        return _finish(db, user_id, station, "badge")
    _check_second_factor(db, holder, pin, station, "badge+pin")
    return _finish(db, user_id, station, "badge+pin")


def authorize(db: Database, scanned: str, secret: str, station: str,
              permission: Permission, *, subject: str = "") -> Actor:
    """A person at someone else's bench approves one action (a weight outside tolerance, a
    short pick, a reprint): their badge (or user code) and their PIN or password, always
    both, whatever their role; they must hold `permission`. Audited as an approval."""
    if access.looks_like_badge(scanned):
        holder = _badge_holder(db, scanned, station, "approval")
        _check_second_factor(db, holder, secret, station, "approval")
        user_id, role = holder[0], holder[2]
    else:
        actor = login_password(db, scanned, secret, station, how="approval")
        user_id, role = actor.user_id or 0, actor.role
    if permission not in _role_permissions(role):
        from app.services.errors import PermissionDenied

        raise PermissionDenied(f"{role.value} may not approve {permission.value}",
                               code="permission.denied", permission=permission.value,
                               role=role.value)
    return _finish(db, user_id, station, "badge+pin", "auth.approved",
                   {"permission": permission.value, "subject": subject})


def _role_permissions(role: Role) -> frozenset[Permission]:
    from app.domain.roles import ROLE_PERMISSIONS

    return ROLE_PERMISSIONS[role]


def login_token(db: Database, token: str, station: str = "") -> Actor:
    """A service account's token (automation, `PACKLINE_TOKEN`)."""
    where = station_key(station)
    _refuse_if_throttled(db, [("station", where)], _anonymous("token", station, "token"),
                         "token")
    with db.reader() as s:
        user = s.scalar(select(User).where(User.token_hash == access.secret_hash(token)))
        user_id = user.id if user is not None and user.active and user.kind == "service" \
            else None
    if user_id is None or not access.looks_like_token(token):
        _record_failure(db, [("station", where)], _anonymous("token", station, "token"),
                        "token", "unknown_token")
        raise AuthenticationFailed("token not recognised or revoked", code="auth.bad_token")
    return _finish(db, user_id, station, "token")


# ---------------------------------------------------------------- the first admin


def bootstrap(db: Database, code: str, name: str, password: str, station: str = "") -> Actor:
    """The first admin of an empty installation; refused once anybody exists."""
    code = _valid_code(code)
    _valid_password(password)
    password_hash = hash_password(password)
    with db.unit_of_work() as s:
        if s.get_bind().dialect.name == "postgresql":
            # Two bootstraps at once: the second waits, then sees the first admin.
            s.execute(text("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE"))
        if s.scalar(select(func.count()).select_from(User)):
            raise Conflict("users exist already: an admin adds users", code="auth.not_empty")
        changes.note(s, Change.USERS)
        user = User(code=code, name=name.strip() or code, role=Role.ADMIN.value,
                    password_hash=password_hash)
        s.add(user)
        s.flush()
        actor = actor_for(user, station, "bootstrap")
        audit.record(s, actor, "user.created", "user", code, None, Role.ADMIN.value,
                     detail={"by": "bootstrap"})
        return actor


# ---------------------------------------------------------------- managing people


def _valid_code(code: str) -> str:
    code = normalize_code(code)
    if not _CODE.match(code):
        raise InvalidInput("user code: 2-32 letters, digits, '_', '.', '-'",
                           code="auth.bad_user_code")
    return code


def _valid_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"password: at least {MIN_PASSWORD} characters",
                           code="auth.short_password", minimum=MIN_PASSWORD)


def _valid_pin(pin: str) -> None:
    if not access.pin_is_valid(pin):
        raise InvalidInput(f"PIN: {access.MIN_PIN}-{access.MAX_PIN} digits",
                           code="auth.bad_pin", minimum=access.MIN_PIN, maximum=access.MAX_PIN)


@dataclass(frozen=True, slots=True)
class NewUser:
    code: str
    name: str
    role: Role
    password: str
    pin: str | None = None
    warehouse_id: int | None = None


@guarded(Permission.MANAGE_USERS)
def create_user(db: Database, actor: Actor, new: NewUser) -> int:
    code = _valid_code(new.code)
    _valid_password(new.password)
    if new.pin is not None:
        _valid_pin(new.pin)
    password_hash = hash_password(new.password)
    pin_hash = hash_password(new.pin) if new.pin else None
    with db.unit_of_work() as s:
        changes.note(s, Change.USERS)
        if s.scalar(select(User.id).where(func.lower(User.code) == code)):
            raise Conflict(f"user {code} exists already", code="auth.user_exists", user=code)
        user = User(code=code, name=new.name.strip() or code, role=new.role.value,
                    password_hash=password_hash, pin_hash=pin_hash,
                    warehouse_id=new.warehouse_id)
        s.add(user)
        s.flush()
        audit.record(s, actor, "user.created", "user", code, None, new.role.value)
        return user.id


@guarded(Permission.MANAGE_USERS)
def create_service_account(db: Database, actor: Actor, code: str, name: str, role: Role
                           ) -> str:
    """A named account for automation (an ERP's import job, a nightly report); returns its
    token, shown once. It cannot log in at a screen or with a password."""
    code = _valid_code(code)
    token = access.new_token()
    with db.unit_of_work() as s:
        changes.note(s, Change.USERS)
        if s.scalar(select(User.id).where(func.lower(User.code) == code)):
            raise Conflict(f"user {code} exists already", code="auth.user_exists", user=code)
        s.add(User(code=code, name=name.strip() or code, role=role.value, kind="service",
                   password_hash="!", token_hash=access.secret_hash(token)))
        s.flush()
        audit.record(s, actor, "user.created", "user", code, None, role.value,
                     detail={"kind": "service"})
    return token


def _user_for_update(s: Session, code: str) -> User:
    user = s.scalar(select(User).where(User.code == normalize_code(code)).with_for_update())
    if user is None:
        raise NotFound(f"no user {code}", code="auth.no_such_user", user=normalize_code(code))
    return user


def _active_admins(s: Session) -> int:
    return s.scalar(select(func.count()).select_from(User).where(
        User.role == Role.ADMIN.value, User.active.is_(True), User.kind == "person")) or 0


def _keeps_an_admin(s: Session, user: User, role: str, active: bool) -> None:
    """Nobody demotes or deactivates the last active admin: the installation would have
    nobody left who can manage people."""
    was_admin = user.role == Role.ADMIN.value and user.active and user.kind == "person"
    if was_admin and (role != Role.ADMIN.value or not active) and _active_admins(s) <= 1:
        raise Conflict("the last active admin stays an active admin", code="auth.last_admin")


@guarded(Permission.MANAGE_USERS)
def set_active(db: Database, actor: Actor, code: str, active: bool) -> None:
    with db.unit_of_work() as s:
        user = _user_for_update(s, code)
        if user.active == active:
            return
        _keeps_an_admin(s, user, user.role, active)
        changes.note(s, Change.USERS)
        before = "active" if user.active else "inactive"
        user.active = active
        audit.record(s, actor, "user.activated" if active else "user.deactivated", "user",
                     user.code, before, "active" if active else "inactive")


@guarded(Permission.MANAGE_USERS)
def change_role(db: Database, actor: Actor, code: str, role: Role) -> None:
    with db.unit_of_work() as s:
        user = _user_for_update(s, code)
        if user.role == role.value:
            return
        _keeps_an_admin(s, user, role.value, user.active)
        changes.note(s, Change.USERS)
        before, user.role = user.role, role.value
        audit.record(s, actor, "user.role_changed", "user", user.code, before, role.value)


@guarded(Permission.MANAGE_USERS)
def reset_password(db: Database, actor: Actor, code: str, password: str) -> None:
    _valid_password(password)
    password_hash = hash_password(password)
    with db.unit_of_work() as s:
        user = _user_for_update(s, code)
        if user.kind != "person":
            raise InvalidInput("a service account has a token, not a password",
                               code="auth.service_account", user=user.code)
        changes.note(s, Change.USERS)
        user.password_hash = password_hash
        audit.record(s, actor, "user.password_reset", "user", user.code)


@guarded(Permission.MANAGE_USERS)
def set_pin(db: Database, actor: Actor, code: str, pin: str | None) -> None:
    """Set (or with None clear) the PIN a lead or admin adds to the badge."""
    if pin is not None:
        _valid_pin(pin)
    pin_hash = hash_password(pin) if pin is not None else None
    with db.unit_of_work() as s:
        user = _user_for_update(s, code)
        changes.note(s, Change.USERS)
        user.pin_hash = pin_hash
        audit.record(s, actor, "user.pin_set" if pin else "user.pin_cleared", "user",
                     user.code)


@guarded(Permission.MANAGE_USERS)
def issue_badge(db: Database, actor: Actor, code: str) -> str:
    """A new badge for the person; the one they held stops working. Returns the badge text,
    to print on a card now: it is stored only hashed and cannot be shown again."""
    badge = access.new_badge()
    with db.unit_of_work() as s:
        user = _user_for_update(s, code)
        if user.kind != "person":
            raise InvalidInput("a service account has a token, not a badge",
                               code="auth.service_account", user=user.code)
        changes.note(s, Change.USERS)
        reissued = user.badge_hash is not None
        user.badge_hash = access.secret_hash(badge)
        user.badge_issued_at = datetime.now(UTC)
        audit.record(s, actor, "user.badge_issued", "user", user.code,
                     detail={"replaced": reissued})
    return badge


@guarded(Permission.MANAGE_USERS)
def revoke_badge(db: Database, actor: Actor, code: str) -> None:
    with db.unit_of_work() as s:
        user = _user_for_update(s, code)
        if user.badge_hash is None:
            return
        changes.note(s, Change.USERS)
        user.badge_hash = None
        user.badge_issued_at = None
        audit.record(s, actor, "user.badge_revoked", "user", user.code)


@guarded(Permission.MANAGE_USERS)
def issue_token(db: Database, actor: Actor, code: str) -> str:
    """A new token for a service account (the old one stops working)."""
    token = access.new_token()
    with db.unit_of_work() as s:
        user = _user_for_update(s, code)
        if user.kind != "service":
            raise InvalidInput("only a service account has a token",
                               code="auth.not_service_account", user=user.code)
        changes.note(s, Change.USERS)
        user.token_hash = access.secret_hash(token)
        audit.record(s, actor, "user.token_issued", "user", user.code)
    return token


@guarded(Permission.MANAGE_USERS)
def revoke_token(db: Database, actor: Actor, code: str) -> None:
    with db.unit_of_work() as s:
        user = _user_for_update(s, code)
        if user.token_hash is None:
            return
        changes.note(s, Change.USERS)
        user.token_hash = None
        audit.record(s, actor, "user.token_revoked", "user", user.code)


@guarded(Permission.MANAGE_USERS)
def unlock(db: Database, actor: Actor, code: str, *, scope: str = "user") -> bool:
    """Lift a lockout (of a user, or of a station with scope="station") before it runs out.
    Returns whether anything was locked or slowed."""
    key = normalize_code(code) if scope == "user" else code.strip()
    if scope not in ("user", "station"):
        raise InvalidInput(f"unknown scope {scope}", code="auth.bad_scope", scope=scope)
    with db.unit_of_work() as s:
        row = _throttle_rows(s, [(scope, key)], lock=False).get((scope, key))
        if row is None or (row.failures == 0 and row.locked_until is None):
            return False
        changes.note(s, Change.USERS)
        was = row.locked_until.isoformat() if row.locked_until else None
        row.failures, row.retry_after, row.locked_until = 0, None, None
        audit.record(s, actor, "auth.unlocked", scope, key, was, None)
        return True


@dataclass(frozen=True, slots=True)
class UserRow:
    code: str
    name: str
    role: Role
    kind: str
    active: bool
    has_badge: bool
    badge_issued_at: datetime | None
    has_pin: bool
    has_token: bool
    locked_until: datetime | None
    failures: int
    last_login_at: datetime | None
    warehouse_id: int | None


@guarded(Permission.MANAGE_USERS)
def list_users(db: Database, actor: Actor) -> list[UserRow]:
    now = datetime.now(UTC)
    with db.reader() as s:
        throttle = {row.key: row for row in s.scalars(
            select(LoginThrottle).where(LoginThrottle.scope == "user"))}
        out = []
        for u in s.scalars(select(User).order_by(User.kind, User.code)):
            t = throttle.get(u.code)
            locked = t.locked_until if t is not None and t.locked_until is not None \
                and t.locked_until > now else None
            out.append(UserRow(
                code=u.code, name=u.name, role=Role(u.role), kind=u.kind, active=u.active,
                has_badge=u.badge_hash is not None, badge_issued_at=u.badge_issued_at,
                has_pin=u.pin_hash is not None, has_token=u.token_hash is not None,
                locked_until=locked, failures=t.failures if t is not None else 0,
                last_login_at=t.last_login_at if t is not None else None,
                warehouse_id=u.warehouse_id))
        return out
