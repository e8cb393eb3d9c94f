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
from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from app.domain import access
from app.domain.access import BADGE_PREFIX, MIN_PASSWORD
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
from app.services.throttle import Attempt, Throttle
from app.store.db import Database
from app.store.models import LoginThrottle, User

__all__ = ["BADGE_PREFIX", "MIN_PASSWORD"]

_hasher = PasswordHasher()
_CODE = re.compile(r"^[a-z0-9_.-]{2,32}$")
# A code that reads like a badge or a token would be taken for one at every login field.
_SECRET_LIKE = ("usr-", "plt-")


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


def _record(s: Session, who: Actor, action: str, entity: str, entity_id: str,
            after: str | None, detail: dict[str, Any]) -> None:
    audit.record(s, who, action, entity, entity_id, None, after, detail)


def _throttle(db: Database) -> Throttle:
    return Throttle(db, LoginThrottle, _record)


def _anonymous(code: str, station: str, how: str) -> Actor:
    if access.looks_like_badge(code) or access.looks_like_token(code):
        code = "?"  # a badge typed into the user field: a secret, never written down
    return Actor(user_id=None, code=code[:64] or "?", name="", role=Role.PICKER,
                 station=station, via=how)


def actor_for(user: User, station: str, how: str) -> Actor:
    return Actor(user_id=user.id, code=user.code, name=user.name, role=Role(user.role),
                 station=station, via=how)


def _finish(db: Database, attempt: Attempt, user_id: int, station: str, how: str,
            action: str = "user.login", detail: dict[str, Any] | None = None) -> Actor:
    now = datetime.now(UTC)
    with db.unit_of_work() as s:
        user = s.get_one(User, user_id)
        actor = actor_for(user, station, how)
        _throttle(db).succeeded(s, attempt)
        if action == "user.login":
            s.execute(update(LoginThrottle).where(LoginThrottle.scope == "user",
                                                  LoginThrottle.key == user.code)
                      .values(last_login_at=now))
        audit.record(s, actor, action, "user", user.code, detail={"by": how, **(detail or {})})
        return actor


# ---------------------------------------------------------------- logging in


@dataclass(frozen=True, slots=True)
class _Person:
    id: int
    code: str
    role: Role
    active: bool
    pin_hash: str | None
    password_hash: str


def _person(db: Database, *where: Any) -> _Person | None:
    with db.reader() as s:
        user = s.scalar(select(User).where(User.kind == "person", *where))
        return None if user is None else _Person(
            user.id, user.code, Role(user.role), user.active, user.pin_hash, user.password_hash)


def _refuse_secret_as_code(code: str) -> None:
    """A badge or token typed (or scanned) where the user code goes: refused before it is
    counted or audited anywhere, so the secret is never written down."""
    if access.looks_like_badge(code) or access.looks_like_token(code):
        raise AuthenticationFailed("unknown user or wrong password", code="auth.wrong_password")


def _password_attempt(db: Database, code: str, password: str, station: str, how: str
                      ) -> tuple[Attempt, _Person]:
    """User code and password, counted against the person and the station."""
    _refuse_secret_as_code(code)
    code = normalize_code(code)[:32]
    who = _anonymous(code, station, how)
    attempt = _throttle(db).begin([("user", code), ("station", station_key(station))],
                                  who, how)
    person = _person(db, User.code == code)
    # One argon2 check whatever the case, and the same refusal: the login tells neither
    # which part was wrong nor whether the person exists or is switched off.
    ok = verify_password(person.password_hash if person else None, password)
    if person is None or not ok or not person.active:
        reason = "inactive" if ok and person is not None else "wrong_password"
        _throttle(db).failed(attempt, who, how, reason)
        raise AuthenticationFailed("unknown user or wrong password", code="auth.wrong_password")
    return attempt, person


def login_password(db: Database, code: str, password: str, station: str = "",
                   how: str = "password") -> Actor:
    attempt, person = _password_attempt(db, code, password, station, how)
    return _finish(db, attempt, person.id, station, how)


def _badge_attempt(db: Database, scanned: str, station: str, how: str, *,
                   second_factor: bool) -> tuple[Attempt, _Person]:
    """The active person holding this badge. The scan is counted against the station; the
    PIN that may follow (`second_factor`) against the person too."""
    if not access.looks_like_badge(scanned):
        raise AuthenticationFailed("not a badge barcode", code="auth.not_a_badge")
    where = ("station", station_key(station))
    person = _person(db, User.badge_hash == access.secret_hash(scanned))
    if person is None or not person.active:
        who = _anonymous("badge", station, how)
        attempt = _throttle(db).begin([where], who, how)
        _throttle(db).failed(attempt, who, how, "unknown_badge")
        raise AuthenticationFailed("badge not recognised", code="auth.unknown_badge")
    # A packer's badge alone is not a guess at anything the person knows: a password
    # lockout (someone trying their code) must not keep them off the floor.
    keys = [("user", person.code), where] if second_factor else [where]
    return _throttle(db).begin(keys, _anonymous(person.code, station, how), how), person


def _second_factor(db: Database, attempt: Attempt, person: _Person, secret: str,
                   station: str, how: str) -> None:
    if not verify_second_factor(person.pin_hash, person.password_hash, secret):
        _throttle(db).failed(attempt, _anonymous(person.code, station, how), how, "wrong_pin")
        raise AuthenticationFailed("wrong PIN or password", code="auth.wrong_pin")


def login_badge(db: Database, scanned: str, station: str = "", pin: str | None = None
                ) -> Actor:
    """Badge alone for packers and pickers; a lead or admin is asked for the PIN
    (`SecondFactorRequired`) and comes back with it."""
    if pin is None:
        person = _person(db, User.badge_hash == access.secret_hash(scanned)) \
            if access.looks_like_badge(scanned) else None
        if person is not None and person.active and access.needs_second_factor(person.role):
            _throttle(db).check([("user", person.code), ("station", station_key(station))],
                                _anonymous(person.code, station, "badge"), "badge")
            raise SecondFactorRequired(f"{person.code}: badge and PIN",
                                       code="auth.pin_required", user=person.code)
        attempt, person = _badge_attempt(db, scanned, station, "badge", second_factor=False)
        if access.needs_second_factor(person.role):  # promoted between the two looks
            with db.unit_of_work() as s:
                _throttle(db).succeeded(s, attempt)
            raise SecondFactorRequired(f"{person.code}: badge and PIN",
                                       code="auth.pin_required", user=person.code)
        return _finish(db, attempt, person.id, station, "badge")
    attempt, person = _badge_attempt(db, scanned, station, "badge+pin", second_factor=True)
    _second_factor(db, attempt, person, pin, station, "badge+pin")
    return _finish(db, attempt, person.id, station, "badge+pin")


def authorize(db: Database, scanned: str, secret: str, station: str,
              permission: Permission, *, subject: str = "") -> Actor:
    """A person at someone else's bench approves one action (a weight outside tolerance, a
    short pick, a reprint): their badge and PIN (or password), or their user code and
    password; they must hold `permission`. Audited as an approval (no login)."""
    if access.looks_like_badge(scanned):
        how = "badge+pin"
        attempt, person = _badge_attempt(db, scanned, station, how, second_factor=True)
        _second_factor(db, attempt, person, secret, station, how)
    else:
        how = "password"
        attempt, person = _password_attempt(db, scanned, secret, station, how)
    if permission not in _role_permissions(person.role):
        from app.services.errors import PermissionDenied

        # The secret was right: the attempt is no failure to count; the refusal is audited.
        with db.unit_of_work() as s:
            _throttle(db).succeeded(s, attempt)
            audit.record(s, actor_for(s.get_one(User, person.id), station, how),
                         "auth.approval_refused", "user", person.code,
                         detail={"by": how, "permission": permission.value,
                                 "subject": subject})
        raise PermissionDenied(f"{person.role.value} may not approve {permission.value}",
                               code="permission.denied", permission=permission.value,
                               role=person.role.value)
    return _finish(db, attempt, person.id, station, how, "auth.approved",
                   {"permission": permission.value, "subject": subject})


def _role_permissions(role: Role) -> frozenset[Permission]:
    from app.domain.roles import ROLE_PERMISSIONS

    return ROLE_PERMISSIONS[role]


def login_token(db: Database, token: str, station: str = "") -> Actor:
    """A service account's token (automation, `PACKLINE_TOKEN`)."""
    who = _anonymous("token", station, "token")
    attempt = _throttle(db).begin([("station", station_key(station))], who, "token")
    with db.reader() as s:
        user = s.scalar(select(User).where(User.token_hash == access.secret_hash(token)))
        user_id = user.id if user is not None and user.active and user.kind == "service" \
            else None
    if user_id is None or not access.looks_like_token(token):
        _throttle(db).failed(attempt, who, "token", "unknown_token")
        raise AuthenticationFailed("token not recognised or revoked", code="auth.bad_token")
    return _finish(db, attempt, user_id, station, "token")


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
    if not _CODE.match(code) or code.startswith(_SECRET_LIKE):
        raise InvalidInput("user code: 2-32 letters, digits, '_', '.', '-', "
                           "not starting with USR- or PLT-", code="auth.bad_user_code")
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
        row = s.get(LoginThrottle, (scope, key), with_for_update=True)
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
