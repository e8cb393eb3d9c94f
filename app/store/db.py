"""Engines and units of work for the central database (PostgreSQL, or an embedded SQLite file)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.secure_files import private_dir, private_file
from app.store import credentials

log = logging.getLogger("packline.store")
# A read replica that did not answer is asked again after this long (seconds); meanwhile its
# reads go to the primary.
REPLICA_RETRY_S = 30


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # pysqlite's own transaction handling emits no BEGIN until the first INSERT/UPDATE, so a
    # SAVEPOINT opened earlier becomes the transaction and its RELEASE commits for good. Turn
    # that off; `_sqlite_begin` emits the BEGIN instead (SQLAlchemy's documented recipe).
    dbapi_conn.isolation_level = None
    # WAL lets the list screen read while an import writes; foreign keys are off by default.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    # Units of work take the write lock at BEGIN (IMMEDIATE): a deferred transaction that read
    # first cannot upgrade to a writer after another connection committed, and fails instead
    # of waiting. Readers stay deferred and never block anyone in WAL mode.
    mode = conn.get_execution_options().get("sqlite_begin", "")
    conn.exec_driver_sql(f"BEGIN {mode}".strip())


def make_engine(url: str, *, connect_timeout: int | None = None, pooled: bool = False,
                **kwargs: Any) -> Engine:
    """`connect_timeout` (seconds) bounds how long an unreachable PostgreSQL server can hold a
    worker; without it libpq waits for the operating system's TCP timeout (minutes).

    `pooled`: the URL reaches PostgreSQL through PgBouncer in transaction pooling
    (`[central] pooled`, docs/scaling.md). Each transaction may then run on another server
    connection, so nothing may outlive a transaction there: psycopg's server-side prepared
    statements (it prepares a statement the fifth time it runs it, on the server connection
    of the moment, and then asks a connection that never saw it for `_pg3_N`, or one that
    holds another client's `_pg3_N`) are turned off. Packline keeps no other session state:
    no SET outside a transaction, no advisory locks, LISTEN or temporary tables that outlive
    their transaction."""
    parsed = make_url(url)
    # A statement's values stay out of its errors, and so out of logs and screens: they are
    # receivers' phones and addresses, and the platforms' ciphertexts of them.
    kwargs.setdefault("hide_parameters", True)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:" \
                and not parsed.database.startswith("file:"):
            # The file holds password hashes: created 0600 before SQLite opens it (its -wal
            # and -shm files take their mode from it), tightened when it was looser.
            path = Path(parsed.database)
            if not path.parent.is_dir():
                private_dir(path.parent)
            private_file(path)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    if pooled and parsed.get_backend_name() == "postgresql":
        kwargs.setdefault("connect_args", {})["prepare_threshold"] = None
    if connect_timeout is not None and parsed.get_backend_name() == "postgresql":
        args = kwargs.setdefault("connect_args", {})
        args["connect_timeout"] = connect_timeout
        # A connection whose packets stop being acknowledged (a link that drops them) is
        # given up after a few times the connect timeout, not the kernel's quarter of an hour.
        args.setdefault("tcp_user_timeout", connect_timeout * 3000)
        args.setdefault("keepalives", 1)
        args.setdefault("keepalives_idle", max(connect_timeout, 5))
        args.setdefault("keepalives_interval", max(connect_timeout // 2, 2))
        args.setdefault("keepalives_count", 3)
    engine = create_engine(url, **kwargs)
    if parsed.get_backend_name() == "postgresql":
        credentials.install(engine)
    return engine


class Database:
    """The central database as the services see it: a factory of units of work.

    `replica`: a streaming read replica of it (`[central] read_url`), where `replica_reader`
    reads what may be a moment behind (the dashboard, the order list, the stations' pulls).
    Everything else, and every write, is on `bind`, the primary."""

    def __init__(self, bind: Engine | Connection, *, replica: Engine | None = None) -> None:
        self.bind = bind
        self.replica = replica
        self._replica_reader = None if replica is None else \
            sessionmaker(bind=replica, expire_on_commit=False)
        # After the replica failed to answer: reads go to the primary until then (monotonic).
        self._replica_down_until = 0.0
        self._replica_lock = threading.Lock()
        # Where a service looks up a person's current role and active flag before acting
        # (`app.services.access`): None is the central `users` table; a station's own store
        # answers from its cached copy of it, the last known state while offline. Asked with
        # the person's user id and code (each side looks up by its own key).
        self.people: Callable[[Database, int, str], tuple[str, bool] | None] | None = None
        # Tests bind to a connection inside an outer transaction; a service's commit then
        # releases a savepoint and the test rolls everything back.
        if isinstance(bind, Connection):
            self._factory = sessionmaker(bind=bind, expire_on_commit=False,
                                         join_transaction_mode="create_savepoint")
            self._reader = self._factory
        else:
            writer = (bind.execution_options(sqlite_begin="IMMEDIATE")
                      if bind.dialect.name == "sqlite" else bind)
            self._factory = sessionmaker(bind=writer, expire_on_commit=False)
            self._reader = sessionmaker(bind=bind, expire_on_commit=False)

    @classmethod
    def from_url(cls, url: str, *, read_url: str = "", **kwargs: Any) -> Database:
        """The database at `url`, with its read replica at `read_url` (empty: none); the
        keyword arguments (`connect_timeout`, `pooled`, ...) go to both engines."""
        replica = make_engine(read_url, **kwargs) if read_url else None
        return cls(make_engine(url, **kwargs), replica=replica)

    @property
    def dialect(self) -> str:
        return self.bind.dialect.name

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with self._factory() as session, session.begin():
            yield session

    @contextmanager
    def reader(self) -> Iterator[Session]:
        """A read-only session (rolled back at the end)."""
        with self._reader() as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def replica_reader(self) -> Iterator[Session]:
        """A read-only session on the read replica when there is one, else `reader()`.

        For reads a person looks at that may be a moment behind: the dashboard, the order
        list, the stations' pulls of what changed. Never for a read followed by a write, a
        claim, a login or a permission check, nor the pack and verify path: those use
        `reader()` or `unit_of_work()`, on the primary. A replica that cannot be reached is
        passed over for `REPLICA_RETRY_S` (the primary answers instead, and the log says so)."""
        conn = self._replica_connection()
        if conn is None:
            with self.reader() as session:
                yield session
            return
        assert self._replica_reader is not None
        with conn, self._replica_reader(bind=conn) as session:
            try:
                yield session
            finally:
                session.rollback()

    def _replica_connection(self) -> Connection | None:
        if self.replica is None:
            return None
        with self._replica_lock:
            if time.monotonic() < self._replica_down_until:
                return None
        try:
            return self.replica.connect()
        except (OperationalError, InterfaceError) as exc:
            with self._replica_lock:
                self._replica_down_until = time.monotonic() + REPLICA_RETRY_S
            first = str(exc.orig or exc).strip().splitlines()
            log.warning("the read replica %s does not answer (%s): reading from the primary "
                        "for %d s", self.replica.url.render_as_string(hide_password=True),
                        first[0] if first else type(exc).__name__, REPLICA_RETRY_S)
            return None

    def replica_lag(self) -> ReplicaLag | None:
        """How far the read replica is behind the primary (None: there is no replica)."""
        if self.replica is None:
            return None
        return measure_lag(self)

    def dispose(self) -> None:
        if isinstance(self.bind, Engine):
            self.bind.dispose()
        if self.replica is not None:
            self.replica.dispose()


# ---------------------------------------------------------------------- the read replica


@dataclass(frozen=True, slots=True)
class ReplicaLag:
    """How far the read replica is behind the primary, as a lead reads it.

    `bytes`: the primary's write-ahead log not yet replayed by the replica. `seconds`: 0 when
    it has replayed everything the primary had written when asked; else the time since the
    last transaction it replayed committed on the primary (the most its reads can be behind;
    None when it has replayed none since it started). `paused`: replay paused by hand
    (`pg_wal_replay_pause()`). `reachable` false: the replica did not answer (`error` says
    why) and its reads go to the primary."""
    reachable: bool
    seconds: float | None = None
    bytes: int | None = None
    paused: bool = False
    replica: bool = True  # false: the read_url's server is not a standby at all
    error: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"reachable": self.reachable, "seconds": self.seconds, "bytes": self.bytes,
                "paused": self.paused, "replica": self.replica, "error": self.error}


def lsn(value: str | None) -> int | None:
    """A PostgreSQL log sequence number ("16/B374D848") as a byte position."""
    if not value:
        return None
    high, _, low = str(value).partition("/")
    return (int(high, 16) << 32) + int(low, 16)


def measure_lag(db: Database) -> ReplicaLag:
    """The primary's write position first, then what the replica has replayed: a replica
    that replayed at least that far is caught up (0 s)."""
    assert db.replica is not None
    try:
        with db.reader() as s:
            written = lsn(s.execute(text("SELECT pg_current_wal_lsn()::text")).scalar_one())
    except (OperationalError, InterfaceError):
        written = None  # the primary is not answering: the replica's own clock says the rest
    conn = db._replica_connection()  # not waited for again while it is marked down
    if conn is None:
        return ReplicaLag(False, error="the read replica does not answer")
    try:
        with conn:
            row = conn.execute(text(
                "SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn()::text AS lsn, "
                "extract(epoch FROM now() - pg_last_xact_replay_timestamp()) AS behind, "
                "CASE WHEN pg_is_in_recovery() THEN pg_is_wal_replay_paused() END AS paused"
            )).one()
    except (OperationalError, InterfaceError) as exc:
        first = str(exc.orig or exc).strip().splitlines()
        return ReplicaLag(False, error=first[0][:300] if first else type(exc).__name__)
    if not row.standby:
        return ReplicaLag(True, 0.0, 0, replica=False)
    replayed = lsn(row.lsn)
    behind = None if written is None or replayed is None else max(written - replayed, 0)
    if behind == 0:
        seconds: float | None = 0.0
    else:
        seconds = None if row.behind is None else max(float(row.behind), 0.0)
    return ReplicaLag(True, seconds, behind, bool(row.paused))
