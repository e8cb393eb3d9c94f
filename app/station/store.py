"""Opening the station store: `station.db` in the station's folder, SQLite in WAL mode, brought
to the newest station schema on open; a store a newer Packline migrated (a revision this build
does not know) is refused in words first (`require_store`), never touched. Units of work come from the same `Database` class the
central store uses, so services treat both alike."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Connection, Engine, event

from app.store.db import Database, make_engine
from app.store.migrate import SchemaState, weigh

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "station_alembic_version"
log = logging.getLogger("packline.station")


def alembic_config(conn: Connection) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = conn
    return cfg


@lru_cache(maxsize=1)
def _script_revisions() -> tuple[str, frozenset[str]]:
    """(this build's newest station store revision, every one it knows)."""
    from alembic.script import ScriptDirectory

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(cfg)
    head = script.get_current_head()
    assert head is not None, "the station migrations folder has no revision"
    return head, frozenset(r.revision for r in script.walk_revisions())


def weigh_store(heads: Sequence[str]) -> SchemaState:
    """The store's recorded revisions against this build's station migrations (the rule of
    `app.store.migrate.weigh`)."""
    head, known = _script_revisions()
    return weigh(heads, head, known)


def store_state(conn: Connection) -> SchemaState:
    """Where the station store at `conn` stands against this build (reads its version table,
    changes nothing)."""
    from alembic.runtime.migration import MigrationContext

    context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
    return weigh_store(context.get_current_heads())


def require_store(engine: Engine, path: Path) -> None:
    """Refuse (`SchemaRefused`) a store a newer Packline migrated, before anything upgrades
    or writes it."""
    from app.services.schema import store_refusal

    with engine.connect() as conn:
        state = store_state(conn)
    refused = store_refusal(state, path)
    if refused is not None:
        log.info("station store refused: %s", refused)  # the caller says it, once
        raise refused


def upgrade(engine: Engine) -> None:
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")


def check(engine: Engine) -> None:
    """Raises when the station models and migrations differ."""
    with engine.begin() as conn:
        command.check(alembic_config(conn))


def open_store(path: Path, checkpoint_in_background: bool = False) -> Database:
    """The station store at `path`, migrated. Writes are BEGIN IMMEDIATE (one writer at a
    time, the others wait up to the busy timeout); reads never block in WAL mode.

    With `checkpoint_in_background` the connections never copy the WAL back into the file
    themselves (SQLite does it in whichever commit crosses 1,000 pages: a packer's scan would
    wait a few hundred milliseconds for it); a `Checkpointer` must then do it."""
    engine = make_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    if checkpoint_in_background:
        event.listen(engine, "connect", _no_autocheckpoint)
    try:
        require_store(engine, path)
    except BaseException:
        engine.dispose()
        raise
    upgrade(engine)
    from app.station.users import attach

    return attach(Database(engine))


def _no_autocheckpoint(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.execute("PRAGMA wal_autocheckpoint=0")


class Checkpointer:
    """Copies the station store's WAL back into its file every `every_s` seconds on a thread
    of its own (PASSIVE: it waits for no reader or writer, and none waits for it)."""

    def __init__(self, store: Database, every_s: float = 1.0) -> None:
        self.engine = store.bind
        self.every_s = every_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.runs = 0

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="packline-checkpoint",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.checkpoint()  # what the last seconds wrote

    def checkpoint(self) -> tuple[int, int]:
        """One pass: (pages in the WAL, pages copied into the file)."""
        raw = self.engine.raw_connection()  # type: ignore[union-attr]
        try:
            _busy, pages, copied = raw.cursor().execute(
                "PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        finally:
            raw.close()
        self.runs += 1
        return int(pages), int(copied)

    def _run(self) -> None:
        while not self._stop.wait(self.every_s):
            try:
                self.checkpoint()
            except Exception:  # noqa: BLE001 - the next second tries again
                log.warning("station store checkpoint failed", exc_info=True)
