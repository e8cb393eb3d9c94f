"""Pulling what changed centrally into the station store, through the link's `changes`
(`app.sync.contract`), page by page per table.

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

from sqlalchemy import delete, select, update
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
from app.store.db import Database
from app.sync.contract import (
    COPIED_TABLES,
    BarcodeRow,
    CarrierRow,
    CentralLink,
    ChangedRow,
    OrderState,
    OrderStateRow,
    SkuRow,
    UserRow,
)

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


def _upsert(session: Session, model: Any, key: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    stmt = insert(model)
    session.execute(stmt.on_conflict_do_update(
        index_elements=[key], set_={c: stmt.excluded[c] for c in rows[0] if c != key}), rows)


def _skus(s: Session, rows: list[SkuRow], _now: datetime) -> int:
    # A code that moved to another SKU id: the old holder lets go of it first.
    s.execute(delete(CachedSku).where(
        CachedSku.code.in_([r.code for r in rows]),
        CachedSku.sku_id.not_in([r.id for r in rows])))
    _upsert(s, CachedSku, "sku_id", [
        {"sku_id": r.id, "code": r.code, "name": r.name, "spec": r.spec, "weight_g": r.weight_g,
         "active": r.active} for r in rows])
    return len(rows)


def _barcodes(s: Session, rows: list[BarcodeRow], _now: datetime) -> int:
    _upsert(s, CachedBarcode, "barcode", [
        {"barcode": r.barcode, "sku_id": r.sku_id, "units": r.units} for r in rows])
    return len(rows)


def _carriers(s: Session, rows: list[CarrierRow], _now: datetime) -> int:
    _upsert(s, CachedCarrier, "code", [
        {"code": r.code, "name": r.name, "kind": r.kind, "tracking_pattern": r.tracking_pattern,
         "active": r.active} for r in rows])
    return len(rows)


def _users(s: Session, rows: list[UserRow], now: datetime) -> int:
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


def _orders(s: Session, rows: Sequence[OrderState | OrderStateRow], now: datetime) -> int:
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


# How each copied table is written into the station's copy.
MIRRORS: dict[str, Callable[[Session, Any, datetime], int]] = {
    "skus": _skus, "sku_barcodes": _barcodes, "carriers": _carriers, "users": _users,
    "orders": lambda s, rows, now: _orders(s, rows, now)}
assert tuple(MIRRORS) == COPIED_TABLES


def cursors(store: Database) -> dict[str, SyncCursor]:
    with store.reader() as s:
        rows = list(s.scalars(select(SyncCursor)))
        for row in rows:
            s.expunge(row)
    return {r.name: r for r in rows}


def pull(store: Database, remote: CentralLink, warehouse: str | None = None,
         tables: Sequence[str] | None = None) -> PullReport:
    """Bring every copied table up to date. Raises what the link raised (the cursors stay
    where they were; the next pull brings the same rows again)."""
    report = PullReport()
    held = cursors(store)
    now = datetime.now(UTC)
    for table in COPIED_TABLES:
        if tables is not None and table not in tables:
            continue
        start = held[table].cursor if table in held else 0
        stale = table not in held or now - held[table].pulled_at > CURSOR_REFRESH
        if table == "orders" and table not in held:
            # Orders are never copied whole: a station starts at the present (the floor,
            # taken first, so a change committed during the look is pulled next time),
            # after one look at the orders it already holds.
            floor = remote.floor("orders")
            report.orders_updated += _catch_up_held(store, remote)
            with store.unit_of_work() as w:
                _upsert(w, SyncCursor, "name", [{"name": "orders", "cursor": floor,
                                                 "pulled_at": datetime.now(UTC), "rows": 0}])
            report.rows["orders"] = 0
            continue
        brought, applied = _pull_table(store, remote, table, start, warehouse, stale)
        report.rows[table] = brought
        if table == "orders":
            report.orders_updated += applied
    return report


def _pull_table(store: Database, remote: CentralLink, table: str, start: int,
                warehouse: str | None, stale: bool = True) -> tuple[int, int]:
    brought = applied = 0
    after: tuple[int, int] | None = None
    floor: int | None = None
    while True:
        page = remote.changes(table, start, warehouse, after, PAGE)
        if floor is None:
            floor = page.floor  # taken before the first page's rows: the next cursor
        if page.rows:
            rows: list[ChangedRow] = list(page.rows)
            with store.unit_of_work() as w:
                applied += MIRRORS[table](w, rows, datetime.now(UTC))
            brought += len(rows)
            after = page.next_after
        if len(page.rows) < PAGE:
            break
    if brought or stale:
        # A quiet table keeps its cursor (still correct, as it is below the floor) and the
        # round writes nothing, but once a minute the cursor is moved up and dated.
        with store.unit_of_work() as w:
            _upsert(w, SyncCursor, "name", [{"name": table, "cursor": floor,
                                             "pulled_at": datetime.now(UTC), "rows": brought}])
    return brought, applied


def _catch_up_held(store: Database, remote: CentralLink) -> int:
    """The status and intercept of every order the station holds, read once by order
    number: how a station that held orders before it kept an orders cursor starts."""
    with store.reader() as s:
        names = list(s.scalars(select(CachedOrder.order_no)))
    rows = remote.order_states(names) if names else []
    if not rows:
        return 0
    with store.unit_of_work() as w:
        return _orders(w, rows, datetime.now(UTC))
