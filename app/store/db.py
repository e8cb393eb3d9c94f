"""Engines and units of work for the central database (PostgreSQL, or an embedded SQLite file)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from app.secure_files import private_dir, private_file
from app.store import credentials

log = logging.getLogger("packline.store")


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


def make_engine(url: str, *, connect_timeout: int | None = None, **kwargs: Any) -> Engine:
    """`connect_timeout` (seconds) bounds how long an unreachable PostgreSQL server can hold a
    worker; without it libpq waits for the operating system's TCP timeout (minutes)."""
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
    """The central database as the services see it: a factory of units of work."""

    def __init__(self, bind: Engine | Connection) -> None:
        self.bind = bind
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
    def from_url(cls, url: str, **kwargs: Any) -> Database:
        return cls(make_engine(url, **kwargs))

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

    def dispose(self) -> None:
        if isinstance(self.bind, Engine):
            self.bind.dispose()
