"""Opening the station store: `station.db` in the station's folder, SQLite in WAL mode, brought
to the newest station schema on open. Units of work come from the same `Database` class the
central store uses, so services treat both alike."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Connection, Engine

from app.store.db import Database, make_engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "station_alembic_version"


def alembic_config(conn: Connection) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = conn
    return cfg


def upgrade(engine: Engine) -> None:
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")


def check(engine: Engine) -> None:
    """Raises when the station models and migrations differ."""
    with engine.begin() as conn:
        command.check(alembic_config(conn))


def open_store(path: Path) -> Database:
    """The station store at `path`, migrated. Writes are BEGIN IMMEDIATE (one writer at a
    time, the others wait up to the busy timeout); reads never block in WAL mode."""
    engine = make_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    upgrade(engine)
    return Database(engine)
