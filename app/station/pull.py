"""Pulling what changed centrally into the station store, one query per table.

Each copied table has a cursor in `sync_cursors`; a pull asks for the rows whose change
sequence is at or above it (`app.store.changes`), in pages, writes them into the station's
copy, and only then moves the cursor. A pull cut off half-way is simply done again: every
write here is an upsert, so a row that comes twice changes nothing the second time.

- SKUs, barcodes, carriers and users are copied whole (users with their password, PIN and
  badge hashes, for logging in offline). A station's first pull brings everything; later
  ones bring the changes.
- Orders are not copied wholesale: the station holds the orders of its waves
  (`cached_orders`). A pull brings the status and intercept of the orders of its warehouse that
  changed and applies them to the ones it holds, so an order intercepted while the station was
  away is stopped before its label prints.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Row, select, tuple_, update
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from app.station.models import (
    CachedBarcode,
    CachedCarrier,
    CachedOrder,
    CachedSku,
    CachedUser,
    SyncCursor,
)
from app.store import bulk, changes
from app.store.db import Database
from app.store.models import Carrier, Order, Sku, SkuBarcode, User, Warehouse

log = logging.getLogger("packline.pull")
PAGE = 5000
CURSOR_REFRESH = timedelta(minutes=1)


@dataclass(slots=True)
class PullReport:
    rows: dict[str, int] = field(default_factory=dict)  # rows brought per table
    orders_updated: int = 0  # held orders whose status or intercept changed

    @property
    def total(self) -> int:
        return sum(self.rows.values())


@dataclass(frozen=True, slots=True)
class _Mirror:
    table: str
    columns: Callable[[], Sequence[Any]]
    apply: Callable[[Session, list[Row[Any]], datetime], int]


def _upsert(session: Session, model: Any, key: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    stmt = insert(model)
    session.execute(stmt.on_conflict_do_update(
        index_elements=[key], set_={c: stmt.excluded[c] for c in rows[0] if c != key}), rows)


def _skus(s: Session, rows: list[Row[Any]], _now: datetime) -> int:
    # A code that moved to another SKU id: the old holder lets go of it first.
    s.execute(CachedSku.__table__.delete().where(
        CachedSku.code.in_([r.code for r in rows]),
        CachedSku.sku_id.not_in([r.id for r in rows])))
    _upsert(s, CachedSku, "sku_id", [
        {"sku_id": r.id, "code": r.code, "name": r.name, "spec": r.spec, "weight_g": r.weight_g,
         "active": r.active} for r in rows])
    return len(rows)


def _barcodes(s: Session, rows: list[Row[Any]], _now: datetime) -> int:
    _upsert(s, CachedBarcode, "barcode", [
        {"barcode": r.barcode, "sku_id": r.sku_id, "units": r.units} for r in rows])
    return len(rows)


def _carriers(s: Session, rows: list[Row[Any]], _now: datetime) -> int:
    _upsert(s, CachedCarrier, "code", [
        {"code": r.code, "name": r.name, "kind": r.kind, "tracking_pattern": r.tracking_pattern,
         "active": r.active} for r in rows])
    return len(rows)


def _users(s: Session, rows: list[Row[Any]], now: datetime) -> int:
    # A badge handed to someone else: whoever held it here lets go of it first.
    badges = [r.badge_hash for r in rows if r.badge_hash]
    if badges:
        s.execute(update(CachedUser).where(CachedUser.badge_hash.in_(badges))
                  .values(badge_hash=None))
    _upsert(s, CachedUser, "code", [
        {"code": r.code, "user_id": r.id, "name": r.name, "role": r.role, "kind": r.kind,
         "password_hash": r.password_hash, "pin_hash": r.pin_hash,
         "badge_hash": r.badge_hash, "active": r.active, "fetched_at": now} for r in rows])
    return len(rows)


def _orders(s: Session, rows: list[Row[Any]], now: datetime) -> int:
    held = {o.order_no: o for o in s.scalars(select(CachedOrder).where(
        CachedOrder.order_no.in_([r.order_no for r in rows])))}
    updated = 0
    for r in rows:
        row = held.get(r.order_no)
        if row is None:
            continue
        snap = row.snapshot
        if snap.get("status") == r.status and snap.get("intercept") == r.intercept:
            continue
        row.snapshot = {**snap, "status": r.status, "intercept": r.intercept}
        row.fetched_at = now
        updated += 1
    return updated


MIRRORS = (
    _Mirror("skus", lambda: (Sku.code, Sku.name, Sku.spec, Sku.weight_g, Sku.active), _skus),
    _Mirror("sku_barcodes",
            lambda: (SkuBarcode.barcode, SkuBarcode.sku_id, SkuBarcode.units), _barcodes),
    _Mirror("carriers", lambda: (Carrier.code, Carrier.name, Carrier.kind,
                                 Carrier.tracking_pattern, Carrier.active), _carriers),
    # Service-account tokens stay central: automation never logs in at a station.
    _Mirror("users", lambda: (User.code, User.name, User.role, User.kind, User.password_hash,
                              User.pin_hash, User.badge_hash, User.active), _users),
    _Mirror("orders", lambda: (Order.order_no, Order.status, Order.intercept), _orders),
)


def cursors(store: Database) -> dict[str, SyncCursor]:
    with store.reader() as s:
        rows = list(s.scalars(select(SyncCursor)))
        for row in rows:
            s.expunge(row)
    return {r.name: r for r in rows}


def pull(store: Database, central: Database, warehouse: str | None = None,
         tables: Sequence[str] | None = None) -> PullReport:
    """Bring every copied table up to date. Raises what the central database raised (the
    cursors stay where they were; the next pull brings the same rows again)."""
    report = PullReport()
    held = cursors(store)
    now = datetime.now(UTC)
    for mirror in MIRRORS:
        if tables is not None and mirror.table not in tables:
            continue
        start = held[mirror.table].cursor if mirror.table in held else 0
        stale = mirror.table not in held or now - held[mirror.table].pulled_at \
            > CURSOR_REFRESH
        if mirror.table == "orders" and mirror.table not in held:
            # Orders are never copied whole: a station starts at the present (the floor,
            # taken first, so a change committed during the look is pulled next time),
            # after one look at the orders it already holds.
            with central.reader() as s:
                floor = changes.floor(s, "orders")
            report.orders_updated += _catch_up_held(store, central)
            with store.unit_of_work() as w:
                _upsert(w, SyncCursor, "name", [{"name": "orders", "cursor": floor,
                                                 "pulled_at": datetime.now(UTC), "rows": 0}])
            report.rows["orders"] = 0
            continue
        brought, applied = _pull_table(store, central, mirror, start, warehouse, stale)
        report.rows[mirror.table] = brought
        if mirror.table == "orders":
            report.orders_updated += applied
    return report


def _pull_table(store: Database, central: Database, mirror: _Mirror, start: int,
                warehouse: str | None, stale: bool = True) -> tuple[int, int]:
    model = changes.TRACKED[mirror.table]
    brought = applied = 0
    with central.reader() as s:
        floor = changes.floor(s, mirror.table)
        query = select(model.change_seq, model.id, *mirror.columns()).where(
            model.change_seq >= start)
        if mirror.table == "orders" and warehouse:
            query = query.where(Order.warehouse_id == select(Warehouse.id).where(
                Warehouse.code == warehouse.upper()).scalar_subquery())
        after: tuple[int, int] | None = None
        while True:
            page_query = query
            if after is not None:
                page_query = page_query.where(
                    tuple_(model.change_seq, model.id) > tuple_(*after))
            rows = list(s.execute(page_query.order_by(model.change_seq, model.id)
                                  .limit(PAGE)))
            if rows:
                with store.unit_of_work() as w:
                    applied += mirror.apply(w, rows, datetime.now(UTC))
                brought += len(rows)
                after = (rows[-1].change_seq, rows[-1].id)
            if len(rows) < PAGE:
                break
    if brought or stale:
        # A quiet table keeps its cursor (still correct, as it is below the floor) and the
        # round writes nothing, but once a minute the cursor is moved up and dated.
        with store.unit_of_work() as w:
            _upsert(w, SyncCursor, "name", [{"name": mirror.table, "cursor": floor,
                                             "pulled_at": datetime.now(UTC), "rows": brought}])
    return brought, applied


def _catch_up_held(store: Database, central: Database) -> int:
    """The status and intercept of every order the station holds, read once by order
    number: how a station that held orders before it kept an orders cursor starts."""
    with store.reader() as s:
        names = list(s.scalars(select(CachedOrder.order_no)))
    rows: list[Row[Any]] = []
    with central.reader() as s:
        for start in range(0, len(names), 500):
            rows += s.execute(select(Order.order_no, Order.status, Order.intercept)
                              .where(bulk.matching(s, Order.order_no,
                                                   names[start:start + 500]))).all()
    if not rows:
        return 0
    with store.unit_of_work() as w:
        return _orders(w, rows, datetime.now(UTC))
