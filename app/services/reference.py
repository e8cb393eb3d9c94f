"""Small reference lists the screens offer as choices: warehouses and carriers."""

from __future__ import annotations

from sqlalchemy import select

from app.domain.roles import Permission
from app.services.access import guarded
from app.services.context import Actor
from app.store.db import Database
from app.store.models import Carrier, Warehouse


@guarded(Permission.VIEW_ORDERS)
def warehouses(db: Database, actor: Actor) -> list[tuple[str, str]]:
    """(code, name) of the active warehouses, by code."""
    with db.reader() as s:
        return [(c, n) for c, n in s.execute(select(Warehouse.code, Warehouse.name)
                                             .where(Warehouse.active).order_by(Warehouse.code))]


@guarded(Permission.VIEW_ORDERS)
def carriers(db: Database, actor: Actor) -> list[tuple[str, str]]:
    with db.reader() as s:
        return [(c, n) for c, n in s.execute(select(Carrier.code, Carrier.name)
                                             .where(Carrier.active).order_by(Carrier.code))]
