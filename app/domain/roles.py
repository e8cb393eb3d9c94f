"""Roles and what each may do. Services check these; screens only hide what is refused."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    PACKER = "packer"
    PICKER = "picker"
    SHIFT_LEAD = "shift_lead"
    ADMIN = "admin"


class Permission(StrEnum):
    VIEW_ORDERS = "orders.view"
    VIEW_DASHBOARD = "dashboard.view"
    IMPORT_ORDERS = "orders.import"
    CHANGE_ORDER_STATUS = "orders.change_status"
    RESOLVE_EXCEPTIONS = "exceptions.resolve"
    EDIT_RULES = "rules.edit"
    RELEASE_WAVES = "waves.release"
    PICK = "picking.pick"
    PACK = "packing.pack"
    HANDOVER = "packing.handover"
    OVERRIDE_WEIGHT = "packing.override_weight"
    REPRINT = "printing.reprint"
    MANAGE_USERS = "users.manage"
    MANAGE_STATIONS = "stations.manage"
    SEED_DEMO = "demo.seed"
    RUN_ENGINE = "engine.run"
    PULL_CHANNELS = "channels.pull"


P = Permission

_FLOOR = frozenset({P.VIEW_ORDERS})
_LEAD = frozenset({
    P.VIEW_ORDERS, P.IMPORT_ORDERS, P.CHANGE_ORDER_STATUS, P.RESOLVE_EXCEPTIONS, P.EDIT_RULES,
    P.RELEASE_WAVES, P.PICK, P.PACK, P.HANDOVER, P.OVERRIDE_WEIGHT, P.REPRINT, P.RUN_ENGINE,
    P.VIEW_DASHBOARD, P.PULL_CHANNELS,
})

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.PACKER: _FLOOR | {P.PACK, P.HANDOVER, P.REPRINT},
    Role.PICKER: _FLOOR | {P.PICK},
    Role.SHIFT_LEAD: _LEAD,
    Role.ADMIN: frozenset(Permission),
}


def has_permission(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]


def parse_role(value: str) -> Role:
    try:
        return Role(value.strip().lower())
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise ValueError(f"unknown role {value!r}; expected one of: {names}") from None
