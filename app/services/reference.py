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


@guarded(Permission.EDIT_RULES)
def set_cutoff(db: Database, actor: Actor, carrier: str, cutoff: str | None) -> str | None:
    """A carrier's daily cut-off at the dock (its last pick-up, China time "HH:MM"), or none:
    the dashboard counts the orders that will miss it. One of the floor's rules, set by whoever
    edits them; audited."""
    from app.domain.forecast import parse_clock
    from app.services import audit
    from app.services.errors import InvalidInput, NotFound

    text = (cutoff or "").strip()
    if text:
        try:
            text = parse_clock(text).strftime("%H:%M")
        except ValueError:
            raise InvalidInput(f"{text[:20]!r} is not a time like 18:00",
                               code="carrier.bad_cutoff", value=text[:20]) from None
    with db.unit_of_work() as s:
        row = s.scalars(select(Carrier).where(Carrier.code == carrier.strip().upper())
                        .with_for_update()).first()
        if row is None:
            raise NotFound(f"no carrier {carrier}", code="order.no_carrier", carrier=carrier)
        before, row.cutoff = row.cutoff, text or None
        if before != row.cutoff:
            audit.record(s, actor, "carrier.cutoff", "carrier", row.code, before, row.cutoff)
        return row.cutoff
