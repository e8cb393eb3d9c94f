"""Getting a station's embedded central database ready: newest schema, demo data on first
start. The app runs this in the background before the login accepts anyone."""

from __future__ import annotations

from sqlalchemy import func, select

from app.services import demo
from app.services.context import system_actor
from app.store import migrate
from app.store.db import Database
from app.store.models import Warehouse


def prepare_embedded(db: Database, *, seed_demo: bool, station: str) -> int:
    """Migrate; seed demo data when the database has no warehouse yet. Returns orders seeded."""
    migrate.upgrade(db.bind)
    with db.reader() as s:
        empty = not s.scalar(select(func.count()).select_from(Warehouse))
    if empty and seed_demo:
        return demo.seed(db, system_actor(station)).orders_created
    return 0
