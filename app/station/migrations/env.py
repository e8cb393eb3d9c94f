"""Alembic environment of the station store. Its own version table, and only its own tables:
when the embedded central database is the same file, the central tables are not its business."""

from __future__ import annotations

from typing import Any

from alembic import context

from app.station.models import StationBase
from app.station.store import VERSION_TABLE

config = context.config
target_metadata = StationBase.metadata


def _ours(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    if type_ == "table":
        return name in target_metadata.tables
    table = getattr(obj, "table", None)
    return table is None or table.name in target_metadata.tables


connection = config.attributes["connection"]
context.configure(connection=connection, target_metadata=target_metadata,
                  render_as_batch=True, compare_type=True, version_table=VERSION_TABLE,
                  include_object=_ours, user_module_prefix="app.store.types.")
with context.begin_transaction():
    context.run_migrations()
