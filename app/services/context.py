"""Who is acting, from where: every service takes an `Actor` and checks its permissions."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.roles import Permission, Role, has_permission
from app.services.errors import PermissionDenied


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: int | None
    code: str
    name: str
    role: Role
    station: str = ""

    def can(self, permission: Permission) -> bool:
        return has_permission(self.role, permission)

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise PermissionDenied(
                f"{self.code} ({self.role.value}) may not do {permission.value}",
                code="permission.denied", permission=permission.value, role=self.role.value)


def system_actor(station: str = "cli") -> Actor:
    """IT's command line and background jobs: acts with admin rights, audited as `system`."""
    return Actor(user_id=None, code="system", name="system", role=Role.ADMIN, station=station)
