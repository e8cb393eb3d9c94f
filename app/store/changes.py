"""The change sequence of the tables stations copy (`models.ChangeTracked`).

A trigger stamps `change_seq` on every insert and update, so every writer is covered: the ORM,
the engine's set-based updates, a hand-run SQL fix. A station keeps one cursor per table and
asks for the rows with `change_seq >= cursor`; before that query it takes `floor()`, which
becomes its next cursor.

- PostgreSQL stamps the id of the writing transaction (`txid_current()`) and the floor is the
  oldest transaction still running when the station looked (`txid_snapshot_xmin`). A row whose
  transaction had not committed yet when the station read carries an id at or above that
  floor, so it is fetched next time: commit order cannot hide a row, the trap of a plain
  sequence or timestamp (numbered early, committed late).
- SQLite has one writer at a time: each table numbers its rows itself (its largest number
  plus one), and the floor is that largest number plus one, read in the same snapshot.

Rows written before the trigger existed carry 0 and come with a station's first pull.
"""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.store.models import Carrier, Order, Sku, SkuBarcode, User

TRACKED = {t.__tablename__: t for t in (Order, Sku, SkuBarcode, Carrier, User)}

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION packline_change_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.change_seq := txid_current();
  RETURN NEW;
END $$"""


def install(dialect: str, table: str) -> list[str]:
    """The statements that make `table` stamp its changes."""
    if dialect == "postgresql":
        return [_PG_FUNCTION,
                f"CREATE TRIGGER trg_{table}_change_seq BEFORE INSERT OR UPDATE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION packline_change_seq()"]
    stamp = (f"UPDATE {table} SET change_seq = "
             f"(SELECT coalesce(max(change_seq), 0) + 1 FROM {table}) WHERE rowid = NEW.rowid;")
    return [f"CREATE TRIGGER trg_{table}_change_seq_ins AFTER INSERT ON {table} "
            f"BEGIN {stamp} END",
            # The stamp is itself an update: it changes change_seq, so it does not stamp again.
            f"CREATE TRIGGER trg_{table}_change_seq_upd AFTER UPDATE ON {table} "
            f"WHEN NEW.change_seq = OLD.change_seq BEGIN {stamp} END"]


def uninstall(dialect: str, table: str) -> list[str]:
    if dialect == "postgresql":
        return [f"DROP TRIGGER IF EXISTS trg_{table}_change_seq ON {table}"]
    return [f"DROP TRIGGER IF EXISTS trg_{table}_change_seq_ins",
            f"DROP TRIGGER IF EXISTS trg_{table}_change_seq_upd"]


def floor(session: Session, table: str) -> int:
    """The cursor a station keeps for its next pull of `table`; take it before reading the
    changes, in the same session."""
    if session.get_bind().dialect.name == "postgresql":
        return int(session.execute(text("SELECT txid_snapshot_xmin(txid_current_snapshot())"))
                   .scalar_one())
    model = TRACKED[table]
    return int(session.scalar(select(func.coalesce(func.max(model.change_seq), 0))) or 0) + 1
