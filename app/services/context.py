"""Who is acting, from where: every service takes an `Actor` and checks its permissions."""

from __future__ import annotations

import functools
import getpass
import socket
from dataclasses import dataclass, field

from app.domain.roles import Permission, Role, has_permission
from app.services.errors import PermissionDenied


@functools.cache
def origin() -> tuple[str, str]:
    """The operating-system account and host this process runs as: the audit names them
    beside the person, so an action from an office PC's command line is traced to the seat."""
    try:
        os_user = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry for the uid (some containers)
        os_user = "?"
    return os_user[:64], socket.gethostname()[:64]


def _os_user() -> str:
    return origin()[0]


def _host() -> str:
    return origin()[1]


@dataclass(frozen=True, slots=True)
class Actor:
    """A person (or a named service account) who proved who they are, or the machinery
    (`user_id` None: the order engine, a station's sync) acting on nobody's behalf. `via` is
    how they proved it (password, badge+pin, token, …)."""

    user_id: int | None
    code: str
    name: str
    role: Role
    station: str = ""
    via: str = ""
    os_user: str = field(default_factory=_os_user)
    host: str = field(default_factory=_host)

    def can(self, permission: Permission) -> bool:
        return has_permission(self.role, permission)

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise PermissionDenied(
                f"{self.code} ({self.role.value}) may not do {permission.value}",
                code="permission.denied", permission=permission.value, role=self.role.value)


def system_actor(station: str = "cli") -> Actor:
    """The machinery: the order engine, a station's sync loop, first-start setup, and the
    command line's read-only commands. Never handed to a person's action: a state change
    someone asked for is made by that person's own `Actor`, from a login."""
    return Actor(user_id=None, code="system", name="system", role=Role.ADMIN, station=station,
                 via="system")
