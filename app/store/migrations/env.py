"""Alembic environment: runs against the connection or URL that `app.store.migrate` hands in."""

from __future__ import annotations

import warnings
from typing import Any

from alembic import context
from sqlalchemy import Connection

from app.store.db import make_engine
from app.store.models import Base

config = context.config
target_metadata = Base.metadata


def _central(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Only the central tables: the station store's tables share the file when the central
    database is the embedded one, and have their own migrations."""
    if type_ == "table":
        return name in target_metadata.tables
    table = getattr(obj, "table", None)
    return table is None or table.name in target_metadata.tables


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        compare_server_default=False,
        user_module_prefix="app.store.types.",
        include_object=_central,
    )


def _run(connection: Connection) -> None:
    _configure(connection)
    with context.begin_transaction(), warnings.catch_warnings():
        # The dashboard's index is PostgreSQL's alone (`ddl_if`); SQLite has nothing to
        # compare it with, which is as it should be.
        warnings.filterwarnings("ignore", message=".*expression-based index 'ix_orders_live'; "
                                "dialect 'sqlite'")
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"),
                      target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
