"""Real databases for tests: a migrated SQLite file and a fresh PostgreSQL database per run."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import make_url

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def pg_admin_url() -> str:
    return os.environ.get("PACKLINE_TEST_PG_URL", DEFAULT_PG)


def pg_available() -> str | None:
    """None when the server answers, else the reason it does not."""
    engine = sa.create_engine(pg_admin_url(), connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return str(exc).splitlines()[0]
    finally:
        engine.dispose()


@contextmanager
def scratch_pg_database(tag: str = "t", template: str | None = None) -> Iterator[str]:
    """A new PostgreSQL database for this run (empty, or a copy of `template`), dropped
    afterwards."""
    admin = sa.create_engine(pg_admin_url(), isolation_level="AUTOCOMMIT")
    name = f"packline_{tag}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    copied = f' TEMPLATE "{template}"' if template else ""
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"{copied}'))
    url = make_url(pg_admin_url()).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": name})
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def require_pg() -> None:
    """Skip when PostgreSQL is not reachable; with CI=true that is a failure instead."""
    import pytest

    reason = pg_available()
    if reason is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL is required in CI and is not reachable: {reason}")
    pytest.skip(f"PostgreSQL not reachable: {reason}")


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then closed again)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
