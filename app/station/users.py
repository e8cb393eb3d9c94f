"""Logging in at a station while the central database is out of reach: the station keeps the
people who may log in, with their argon2 password and PIN hashes and their badge hashes,
refreshed in the background. An offline login follows the centre's rules (badge alone for
packers and pickers, badge + PIN for leads and admins, the same throttle and lockout, counted
in the station's own table) on the last known state, and is audited through the outbox."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from app.domain import access
from app.domain.access import ThrottleState
from app.domain.roles import Permission, Role, has_permission
from app.services import auth
from app.services.context import Actor
from app.services.errors import AuthenticationFailed, PermissionDenied, SecondFactorRequired
from app.station import outbox
from app.station.models import CachedUser, StationLoginThrottle
from app.store.db import Database


def lookup(store: Database, user_id: int) -> tuple[str, bool] | None:
    """The last known role and active flag of a person (the store's `Database.people`)."""
    with store.reader() as s:
        row = s.execute(select(CachedUser.role, CachedUser.active)
                        .where(CachedUser.user_id == user_id)).first()
    return (row.role, row.active) if row is not None else None


def attach(store: Database) -> Database:
    """Services acting on this store check people against the station's copy."""
    store.people = lookup
    return store


def _state(row: StationLoginThrottle | None) -> ThrottleState:
    if row is None:
        return ThrottleState()
    return ThrottleState(row.failures, row.last_failed_at, row.retry_after, row.locked_until)


def _refuse_if_throttled(store: Database, keys: list[tuple[str, str]]) -> None:
    now = datetime.now(UTC)
    with store.reader() as s:
        for scope, key in keys:
            refused = access.refusal(_state(s.get(StationLoginThrottle, (scope, key))), now)
            if refused is None:
                continue
            wait = refused.seconds(now)
            if refused.locked:
                raise AuthenticationFailed(
                    f"{scope} {key} is locked for {wait} s after too many failed logins",
                    code="auth.station_locked" if scope == "station" else "auth.locked",
                    minutes=max(1, (wait + 59) // 60))
            raise AuthenticationFailed(f"too many failed logins: wait {wait} s",
                                       code="auth.wait", seconds=wait)


def _audit(s: Session, user: str, action: str, entity: str, entity_id: str,
           detail: dict[str, Any]) -> None:
    outbox.append(s, "audit", {"user": user, "action": action, "entity": entity,
                               "entity_id": entity_id, "detail": {**detail, "offline": True}})


def _fail(store: Database, keys: list[tuple[str, str]], who: str, how: str,
          reason: str) -> None:
    now = datetime.now(UTC)
    with store.unit_of_work() as s:
        _audit(s, who, "auth.login_failed", "user", who, {"by": how, "reason": reason})
        for scope, key in keys:
            s.execute(insert(StationLoginThrottle).values(scope=scope, key=key, failures=0)
                      .on_conflict_do_nothing())
            row = s.get_one(StationLoginThrottle, (scope, key))
            before = _state(row)
            policy = access.STATION_POLICY if scope == "station" else access.USER_POLICY
            after = access.after_failure(policy, before, now)
            row.failures, row.last_failed_at = after.failures, after.last_failed_at
            row.retry_after, row.locked_until = after.retry_after, after.locked_until
            if access.just_locked(before, after, now):
                _audit(s, who, "auth.locked", scope, key,
                       {"failures": after.failures, "by": how})


def _succeed(store: Database, user: CachedUser, station: str, how: str,
             action: str = "user.login", detail: dict[str, Any] | None = None) -> Actor:
    actor = Actor(user_id=user.user_id, code=user.code, name=user.name, role=Role(user.role),
                  station=station, via=how)
    with store.unit_of_work() as s:
        for key in (("user", user.code), ("station", auth.station_key(station))):
            row = s.get(StationLoginThrottle, key)
            if row is not None:
                row.failures, row.retry_after, row.locked_until = 0, None, None
        _audit(s, user.code, action, "user", user.code, {"by": how, **(detail or {})})
    return actor


def _person(store: Database, **where: Any) -> CachedUser | None:
    with store.reader() as s:
        stmt = select(CachedUser).where(CachedUser.kind == "person")
        for column, value in where.items():
            stmt = stmt.where(getattr(CachedUser, column) == value)
        user = s.scalars(stmt).first()
        if user is not None:
            s.expunge(user)
    return user


def login_password(store: Database, code: str, password: str, station: str = "",
                   how: str = "password") -> Actor:
    code = auth.normalize_code(code)[:32]
    keys = [("user", code), ("station", auth.station_key(station))]
    _refuse_if_throttled(store, keys)
    user = _person(store, code=code)
    ok = auth.verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        _fail(store, keys, "?" if access.looks_like_badge(code) else code, how,
              "wrong_password")
        raise AuthenticationFailed("unknown user or wrong password", code="auth.wrong_password")
    return _succeed(store, user, station, how)


def _badge_holder(store: Database, scanned: str, station: str, how: str) -> CachedUser:
    if not access.looks_like_badge(scanned):
        raise AuthenticationFailed("not a badge barcode", code="auth.not_a_badge")
    where = ("station", auth.station_key(station))
    _refuse_if_throttled(store, [where])
    user = _person(store, badge_hash=access.secret_hash(scanned))
    if user is None or not user.active:
        _fail(store, [where], "badge", how, "unknown_badge")
        raise AuthenticationFailed("badge not recognised", code="auth.unknown_badge")
    _refuse_if_throttled(store, [("user", user.code)])
    return user


def _second_factor(store: Database, user: CachedUser, secret: str, station: str,
                   how: str) -> None:
    if not auth.verify_second_factor(user.pin_hash, user.password_hash, secret):
        _fail(store, [("user", user.code), ("station", auth.station_key(station))],
              user.code, how, "wrong_pin")
        raise AuthenticationFailed("wrong PIN or password", code="auth.wrong_pin")


def login_badge(store: Database, scanned: str, station: str = "", pin: str | None = None
                ) -> Actor:
    user = _badge_holder(store, scanned, station, "badge")
    if pin is None:
        if access.needs_second_factor(Role(user.role)):
            raise SecondFactorRequired(f"{user.code}: badge and PIN",
                                       code="auth.pin_required", user=user.code)
        return _succeed(store, user, station, "badge")
    _second_factor(store, user, pin, station, "badge+pin")
    return _succeed(store, user, station, "badge+pin")


def authorize(store: Database, scanned: str, secret: str, station: str,
              permission: Permission, *, subject: str = "") -> Actor:
    """Offline approval of one action at a bench: badge (or user code) and PIN or password."""
    if access.looks_like_badge(scanned):
        user = _badge_holder(store, scanned, station, "approval")
        _second_factor(store, user, secret, station, "approval")
    else:
        actor = login_password(store, scanned, secret, station, how="approval")
        found = _person(store, code=actor.code)
        assert found is not None
        user = found
    if not has_permission(Role(user.role), permission):
        raise PermissionDenied(f"{user.role} may not approve {permission.value}",
                               code="permission.denied", permission=permission.value,
                               role=user.role)
    return _succeed(store, user, station, "badge+pin", "auth.approved",
                    {"permission": permission.value, "subject": subject})
