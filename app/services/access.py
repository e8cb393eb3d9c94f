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
from pathlib import Path
from typing import ParamSpec, TypeVar, cast

from sqlalchemy import select

from app.domain.roles import Permission, Role, has_permission
from app.services.context import Actor
from app.services.errors import SessionEnded
from app.store.db import Database
from app.store.models import User

P = ParamSpec("P")
R = TypeVar("R")

# "module.function" -> the permission it needs: filled by @guarded at import.
SERVICES: dict[str, Permission] = {}


def _central(db: Database, user_id: int, _code: str) -> tuple[str, bool] | None:
    with db.reader() as s:
        row = s.execute(select(User.role, User.active).where(User.id == user_id)).first()
    return (row.role, row.active) if row is not None else None


def current(db: Database, actor: Actor) -> Actor:
    """The actor as the database knows them now. The machinery (no user id) is itself."""
    if actor.user_id is None:
        return actor
    found = (db.people or _central)(db, actor.user_id, actor.code)
    if found is None and db.people is not None:
        # A station that has not pulled this person yet (created centrally since): they
        # logged in against the central database, and the station goes by that login.
        return actor
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
            # The checked actor goes in the acting person's place (P cannot say so).
            call = cast(Callable[..., R], fn)
            return call(db, actor, *rest, **kwargs)

        inner.permission = permission  # type: ignore[attr-defined]
        return inner

    return wrap


def load_services() -> dict[str, Permission]:
    """Every guarded service: importing the modules of the services and of the station (whose
    print queue guards its own use cases) registers them. The packages are walked by name, so
    the services import nothing of the station for it."""
    import importlib
    import pkgutil

    for package_name in ("app.services", "app.station"):
        package = importlib.import_module(package_name)
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package_name}.{module.name}")
    return SERVICES


def matrix() -> dict[str, dict[Role, bool]]:
    """Service → role → allowed: `SERVICES` crossed with the roles' permissions, the one
    table the tests check calls against and `docs/security.md` shows."""
    return {name: {role: has_permission(role, permission) for role in Role}
            for name, permission in sorted(load_services().items())}


def matrix_markdown() -> str:
    """The matrix as the Markdown table of `docs/security.md` (between its markers)."""
    roles = list(Role)
    lines = ["| Service | Needs | " + " | ".join(r.value for r in roles) + " |",
             "|---|---|" + "---|" * len(roles)]
    for name, allowed in matrix().items():
        marks = " | ".join("yes" if allowed[r] else "—" for r in roles)
        lines.append(f"| `{name}` | `{SERVICES[name].value}` | {marks} |")
    return "\n".join(lines) + "\n"


MATRIX_BEGIN = "<!-- permission matrix: generated by app.services.access, do not edit -->"
MATRIX_END = "<!-- end of permission matrix -->"


def write_matrix_doc(path: Path) -> bool:
    """Put the generated matrix between the markers of `path`; True when it changed.
    `python -m app.services.access` does it for docs/security.md."""
    text = path.read_text(encoding="utf-8")
    head, _, rest = text.partition(MATRIX_BEGIN)
    _, _, tail = rest.partition(MATRIX_END)
    new = f"{head}{MATRIX_BEGIN}\n{matrix_markdown()}{MATRIX_END}{tail}"
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":
    # Run as a script this module is `__main__`; the services register into the imported one.
    from app.services import access

    doc = Path(__file__).resolve().parents[2] / "docs" / "security.md"
    print(f"{doc}: {'updated' if access.write_matrix_doc(doc) else 'up to date'}")
