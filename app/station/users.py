"""Logging in at a station while the central database is out of reach: the station keeps the
people who may log in, with their argon2 password hashes and badges, refreshed in the
background; an offline login is checked against them and audited through the outbox."""

from __future__ import annotations

from sqlalchemy import select

from app.domain.roles import Role
from app.services import auth
from app.services.context import Actor
from app.services.errors import AuthenticationFailed
from app.station import outbox
from app.station.models import CachedUser
from app.store.db import Database


def _login(store: Database, user: CachedUser | None, ok: bool, station: str,
           how: str) -> Actor:
    if user is None or not ok or not user.active:
        raise AuthenticationFailed("unknown user or wrong password",
                                   code="auth.wrong_password")
    actor = Actor(user_id=user.user_id, code=user.code, name=user.name, role=Role(user.role),
                  station=station)
    with store.unit_of_work() as s:
        outbox.append(s, "audit", {"user": user.code, "action": "user.login",
                                   "entity": "user", "entity_id": user.code,
                                   "detail": {"by": how, "offline": True}})
    return actor


def login_password(store: Database, code: str, password: str, station: str = "") -> Actor:
    with store.reader() as s:
        user = s.get(CachedUser, auth.normalize_code(code))
        if user is not None:
            s.expunge(user)
    ok = auth._verify(user.password_hash if user else auth.dummy_hash(), password)
    return _login(store, user, ok, station, "password")


def login_badge(store: Database, scanned: str, station: str = "") -> Actor:
    with store.reader() as s:
        user = s.scalars(select(CachedUser).where(
            CachedUser.badge_code == auth.normalize_badge(scanned))).first()
        if user is not None:
            s.expunge(user)
    return _login(store, user, user is not None, station, "badge")
