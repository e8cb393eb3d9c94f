"""Logging in at a station while the central database is out of reach: the station keeps the
people who may log in, with their argon2 password and PIN hashes and their badge hashes,
refreshed in the background. An offline login follows the centre's rules (badge alone for
packers and pickers, badge + PIN for leads and admins, the same throttle and lockout, counted
in the station's own table) on the last known state, and is audited through the outbox."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.domain import access
from app.domain.roles import Permission, Role, has_permission
from app.services import auth
from app.services.context import Actor
from app.services.errors import AuthenticationFailed, PermissionDenied, SecondFactorRequired
from app.services.throttle import Attempt, Throttle
from app.station import outbox
from app.station.models import CachedUser, StationLoginThrottle
from app.store.db import Database
from app.sync.contract import AuditNote


def lookup(store: Database, user_id: int, code: str) -> tuple[str, bool] | None:
    """The last known role and active flag of a person (the store's `Database.people`):
    asked before every scan, so one read by the primary key on a plain connection (no ORM
    session), the user id checked against the one the centre gave at login."""
    query = select(CachedUser.role, CachedUser.active).where(CachedUser.code == code,
                                                              CachedUser.user_id == user_id)
    if isinstance(store.bind, Engine):
        with store.bind.connect() as conn:
            row = conn.execute(query).first()
    else:
        with store.reader() as s:
            row = s.execute(query).first()
    return (row.role, row.active) if row is not None else None


def attach(store: Database) -> Database:
    """Services acting on this store check people against the station's copy."""
    store.people = lookup
    return store


def _record(s: Session, who: Actor, action: str, entity: str, entity_id: str,
            after: str | None, detail: dict[str, Any]) -> None:
    outbox.append(s, AuditNote(who.code, action, entity, entity_id,
                               {**detail, "offline": True}, after=after))


def _throttle(store: Database) -> Throttle:
    return Throttle(store, StationLoginThrottle, _record)


def _who(code: str, station: str, how: str) -> Actor:
    return Actor(user_id=None, code=code, name="", role=Role.PICKER, station=station, via=how)


def _succeed(store: Database, attempt: Attempt, user: CachedUser, station: str, how: str,
             action: str = "user.login", detail: dict[str, Any] | None = None) -> Actor:
    actor = Actor(user_id=user.user_id, code=user.code, name=user.name, role=Role(user.role),
                  station=station, via=how)
    with store.unit_of_work() as s:
        _throttle(store).succeeded(s, attempt)
        _record(s, actor, action, "user", user.code, None, {"by": how, **(detail or {})})
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


def _password_attempt(store: Database, code: str, password: str, station: str, how: str
                      ) -> tuple[Attempt, CachedUser]:
    if access.looks_like_badge(code) or access.looks_like_token(code):
        raise AuthenticationFailed("unknown user or wrong password", code="auth.wrong_password")
    code = auth.normalize_code(code)[:32]
    who = _who(code, station, how)
    attempt = _throttle(store).begin([("user", code), ("station", auth.station_key(station))],
                                     who, how)
    user = _person(store, code=code)
    ok = auth.verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        _throttle(store).failed(attempt, who, how,
                                "inactive" if ok and user is not None else "wrong_password")
        raise AuthenticationFailed("unknown user or wrong password", code="auth.wrong_password")
    return attempt, user


def login_password(store: Database, code: str, password: str, station: str = "",
                   how: str = "password") -> Actor:
    attempt, user = _password_attempt(store, code, password, station, how)
    return _succeed(store, attempt, user, station, how)


def _badge_attempt(store: Database, scanned: str, station: str, how: str, *,
                   second_factor: bool) -> tuple[Attempt, CachedUser]:
    if not access.looks_like_badge(scanned):
        raise AuthenticationFailed("not a badge barcode", code="auth.not_a_badge")
    where = ("station", auth.station_key(station))
    user = _person(store, badge_hash=access.secret_hash(scanned))
    if user is None or not user.active:
        who = _who("badge", station, how)
        attempt = _throttle(store).begin([where], who, how)
        _throttle(store).failed(attempt, who, how, "unknown_badge")
        raise AuthenticationFailed("badge not recognised", code="auth.unknown_badge")
    keys = [("user", user.code), where] if second_factor else [where]
    return _throttle(store).begin(keys, _who(user.code, station, how), how), user


def _second_factor(store: Database, attempt: Attempt, user: CachedUser, secret: str,
                   station: str, how: str) -> None:
    if not auth.verify_second_factor(user.pin_hash, user.password_hash, secret):
        _throttle(store).failed(attempt, _who(user.code, station, how), how, "wrong_pin")
        raise AuthenticationFailed("wrong PIN or password", code="auth.wrong_pin")


def login_badge(store: Database, scanned: str, station: str = "", pin: str | None = None
                ) -> Actor:
    if pin is None:
        user = _person(store, badge_hash=access.secret_hash(scanned)) \
            if access.looks_like_badge(scanned) else None
        if user is not None and user.active and access.needs_second_factor(Role(user.role)):
            _throttle(store).check([("user", user.code), ("station", auth.station_key(station))],
                                   _who(user.code, station, "badge"), "badge")
            raise SecondFactorRequired(f"{user.code}: badge and PIN",
                                       code="auth.pin_required", user=user.code)
        attempt, user = _badge_attempt(store, scanned, station, "badge", second_factor=False)
        return _succeed(store, attempt, user, station, "badge")
    attempt, user = _badge_attempt(store, scanned, station, "badge+pin", second_factor=True)
    _second_factor(store, attempt, user, pin, station, "badge+pin")
    return _succeed(store, attempt, user, station, "badge+pin")


def authorize(store: Database, scanned: str, secret: str, station: str,
              permission: Permission, *, subject: str = "") -> Actor:
    """Offline approval of one action at a bench: badge and PIN (or password), or user code
    and password."""
    if access.looks_like_badge(scanned):
        how = "badge+pin"
        attempt, user = _badge_attempt(store, scanned, station, how, second_factor=True)
        _second_factor(store, attempt, user, secret, station, how)
    else:
        how = "password"
        attempt, user = _password_attempt(store, scanned, secret, station, how)
    if not has_permission(Role(user.role), permission):
        with store.unit_of_work() as s:  # the secret was right: no failure to count
            _throttle(store).succeeded(s, attempt)
            _record(s, _who(user.code, station, how), "auth.approval_refused", "user",
                    user.code, None, {"by": how, "permission": permission.value,
                                      "subject": subject})
        raise PermissionDenied(f"{user.role} may not approve {permission.value}",
                               code="permission.denied", permission=permission.value,
                               role=user.role)
    return _succeed(store, attempt, user, station, how, "auth.approved",
                    {"permission": permission.value, "subject": subject})
