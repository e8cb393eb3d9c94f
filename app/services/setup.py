"""Getting a station's central database ready before its login accepts anyone: the embedded
one brought to the newest schema and seeded with demo data on the first start; a central
server checked to hold the schema this build works with (`app.services.schema`). The app runs
this in the background."""

from __future__ import annotations

from sqlalchemy import func, select

from app.services import demo, schema
from app.services.context import system_actor
from app.store import migrate
from app.store.db import Database
from app.store.models import Warehouse


def prepare_database(db: Database, *, embedded: bool, seed_demo: bool, station: str) -> int:
    """The embedded database prepared (`prepare_embedded`), or the central server's schema
    checked: `SchemaRefused` when this build cannot work with it (out of reach is not
    refused: the station logs in offline). Returns the orders seeded."""
    if embedded:
        return prepare_embedded(db, seed_demo=seed_demo, station=station)
    schema.require(db)
    return 0


def prepare_embedded(db: Database, *, seed_demo: bool, station: str) -> int:
    """Migrate; seed demo data when the database has no warehouse yet. Returns orders seeded.
    A database a newer Packline migrated is refused (`SchemaRefused`), never touched."""
    schema.require(db, embedded=True)
    migrate.upgrade(db.bind)
    with db.reader() as s:
        empty = not s.scalar(select(func.count()).select_from(Warehouse))
    if empty and seed_demo:
        return demo.seed(db, system_actor(station)).orders_created
    return 0
