"""Live rights: every guarded service looks the acting person up again before it acts.

A role changed or a user deactivated after login takes effect at that person's next action,
not at the end of their shift: `current()` returns the actor with the role the database holds
now, or refuses with `SessionEnded` (the screens log the person out). The station's own store
answers from its cached users (`Database.people`), so offline the last known state applies.

`@guarded(Permission.X)` is how a service declares what it needs; the declarations form the
service × role matrix (`SERVICES` here, `ROLE_PERMISSIONS` in the domain) that the tests and
`docs/security.md` read.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import replace
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import select

from app.domain.roles import Permission, Role
from app.services.context import Actor
from app.services.errors import SessionEnded
from app.store.db import Database
from app.store.models import User

P = ParamSpec("P")
R = TypeVar("R")

# "module.function" -> the permission it needs: filled by @guarded at import.
SERVICES: dict[str, Permission] = {}


def _central(db: Database, user_id: int) -> tuple[str, bool] | None:
    with db.reader() as s:
        row = s.execute(select(User.role, User.active).where(User.id == user_id)).first()
    return (row.role, row.active) if row is not None else None


def current(db: Database, actor: Actor) -> Actor:
    """The actor as the database knows them now. The machinery (no user id) is itself."""
    if actor.user_id is None:
        return actor
    found = (db.people or _central)(db, actor.user_id)
    if found is None or not found[1]:
        raise SessionEnded(f"{actor.code} is no longer active", code="auth.session_ended",
                           user=actor.code)
    role = Role(found[0])
    return actor if role == actor.role else replace(actor, role=role)


def check(db: Database, actor: Actor, permission: Permission) -> Actor:
    """`current()`, then the permission: the actor to act as, with today's role."""
    now = current(db, actor)
    now.require(permission)
    return now


def guarded(permission: Permission) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """For a service `f(db, actor, ...)`: checks the actor's live rights and `permission`
    before the service runs, and hands it the actor with the current role."""

    def wrap(fn: Callable[P, R]) -> Callable[P, R]:
        SERVICES[f"{fn.__module__.rsplit('.', 1)[-1]}.{fn.__name__}"] = permission

        @functools.wraps(fn)
        def inner(*args: P.args, **kwargs: P.kwargs) -> R:
            db, actor, *rest = args
            if not isinstance(actor, Actor):
                raise TypeError(f"{fn.__name__}: the second argument is the acting person")
            if isinstance(db, Database):
                actor = check(db, actor, permission)
            else:
                actor.require(permission)
            call: Any = fn
            return call(db, actor, *rest, **kwargs)

        inner.permission = permission  # type: ignore[attr-defined]
        return inner

    return wrap
