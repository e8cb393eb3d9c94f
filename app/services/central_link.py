"""The centre's side of the station contract (`app.sync.contract.CentralLink`), over the
central database: every read a station needs and the apply of its events, each in its own
short transaction. The one place where the central tables are read for a station, and where a
database that cannot be reached becomes `LinkDown`."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, ParamSpec, TypeVar, cast

from sqlalchemy import Row, func, select, text, tuple_
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session

from app.domain.waybills import promised_text
from app.services import pack_progress, station_events, stations, tracking, waybill_issue
from app.services.context import Actor
from app.services.errors import NotFound, ServiceError
from app.store import bulk, changes
from app.store.db import Database
from app.store.models import (
    Carrier,
    Order,
    OrderLine,
    Package,
    Shop,
    Sku,
    SkuBarcode,
    User,
    Warehouse,
    Wave,
    WaveOrder,
)
from app.sync.contract import (
    BarcodeRow,
    BoxWaybill,
    CarrierRow,
    ChangedRow,
    ChangePage,
    Envelope,
    LinkDown,
    OrderState,
    OrderStateRow,
    Outcome,
    PackSnapshot,
    Party,
    PausedProgress,
    PrinterReport,
    SingleItemWave,
    SkuRow,
    SnapshotLine,
    UserRow,
    WaveOrderNeed,
)

log = logging.getLogger("packline.link")
P = ParamSpec("P")
R = TypeVar("R")
# PostgreSQL's answers that mean "not reachable now": connection exceptions (class 08), the
# server shutting down or starting (57P01–57P03), too many connections (53300).
_PG_UNREACHABLE = ("57P01", "57P02", "57P03", "53300")
# SQLite's: the file busy with another writer past the busy timeout, or not there to open.
_SQLITE_UNREACHABLE = ("database is locked", "unable to open database file")


def unreachable(exc: BaseException) -> bool:
    """Whether `exc` says the central database cannot be reached now — refused, dropped,
    timed out, busy — rather than a fault (a missing table, a deadlock, a bug)."""
    import sqlite3

    from sqlalchemy.exc import DBAPIError

    if isinstance(exc, (PoolTimeout, InterfaceError)):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if isinstance(exc, OperationalError):
        orig = exc.orig
        if isinstance(orig, sqlite3.OperationalError):
            return str(orig).startswith(_SQLITE_UNREACHABLE)
        state = getattr(orig, "sqlstate", None)
        # No SQLSTATE: libpq failed before the server said anything (refused, timed out).
        return state is None or str(state).startswith("08") or state in _PG_UNREACHABLE
    return isinstance(exc, OSError)
# Sibling items named per order at most: enough to say whose a wrong item is.
SIBLING_CODES = 2000


def _reaching(fn: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(fn)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except (OperationalError, InterfaceError, PoolTimeout, OSError) as exc:
            if not unreachable(exc):
                raise  # a fault, shown as one
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise LinkDown(first) from exc
    return call


class DatabaseLink:
    """`CentralLink` over a central `Database` (the same process or across the network)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # ---- the order to pack

    @_reaching
    def snapshot(self, ref: str) -> PackSnapshot:
        from app.services.order_lookup import find_order

        with self.db.reader() as s:
            found = s.scalar(select(Package.order_id).where(Package.tracking_no == ref.strip()))
            order = s.get(Order, found) if found else None
            if order is None:
                order = find_order(s, ref)
            lines = _lines(s, [order.id])
            codes = _codes(s, {ln.sku_id for ln in lines})
            wave_no, others = "", dict[str, str]()
            if order.wave_id:
                wave_no = s.scalar(select(Wave.wave_no).where(Wave.id == order.wave_id)) or ""
                own = {c for ln in lines for c, _u in codes.get(ln.sku_id, [])}
                siblings = s.execute(
                    select(Order.order_no, SkuBarcode.barcode)
                    .join(WaveOrder, WaveOrder.order_id == Order.id)
                    .join(OrderLine, OrderLine.order_id == Order.id)
                    .join(SkuBarcode, SkuBarcode.sku_id == OrderLine.sku_id)
                    .where(WaveOrder.wave_id == order.wave_id, WaveOrder.removed_at.is_(None),
                           Order.id != order.id).limit(SIBLING_CODES)).all()
                others = {code: no for no, code in siblings if code not in own}
            carrier = s.get(Carrier, order.carrier_id) if order.carrier_id else None
            warehouse = s.get(Warehouse, order.warehouse_id) if order.warehouse_id else None
            return _snapshot(order, wave_no, carrier, warehouse, s.get(Shop, order.shop_id),
                             lines, codes, others,
                             waybill_issue.held_waybills(s, [order.id]).get(order.id, []),
                             balance_due=order.id in _balance_due(s, [order]))

    @_reaching
    def wave(self, wave_no: str) -> list[PackSnapshot]:
        key = wave_no.strip().upper()
        with self.db.reader() as s:
            wave_id = s.scalar(select(Wave.id).where(Wave.wave_no == key))
            if wave_id is None:
                raise NotFound(f"no wave {wave_no}", code="wave.not_found", wave_no=wave_no)
            orders = list(s.scalars(select(Order).join(WaveOrder, WaveOrder.order_id == Order.id)
                                    .where(WaveOrder.wave_id == wave_id,
                                           WaveOrder.removed_at.is_(None))))
            lines = _lines(s, [o.id for o in orders])
            codes = _codes(s, {ln.sku_id for ln in lines})
            carriers = {c.id: c for c in s.scalars(select(Carrier))}
            houses = {w.id: w for w in s.scalars(select(Warehouse))}
            shops = {sh.id: sh for sh in s.scalars(select(Shop).where(
                Shop.id.in_({o.shop_id for o in orders})))}
            by_order: dict[int, list[Row[Any]]] = {}
            for ln in lines:
                by_order.setdefault(ln.order_id, []).append(ln)
            own = {o.id: {c for ln in by_order.get(o.id, []) for c, _u in codes.get(ln.sku_id, [])}
                   for o in orders}
            issued = waybill_issue.held_waybills(s, [o.id for o in orders])
            due = _balance_due(s, orders)
            return [_snapshot(
                o, key, carriers.get(o.carrier_id) if o.carrier_id else None,
                houses.get(o.warehouse_id) if o.warehouse_id else None, shops.get(o.shop_id),
                by_order.get(o.id, []), codes,
                {c: other.order_no for other in orders if other.id != o.id
                 for c in own[other.id] if c not in own[o.id]},
                issued.get(o.id, []), balance_due=o.id in due) for o in orders]

    @_reaching
    def single_item_wave(self, wave_no: str, packable: frozenset[str]) -> SingleItemWave:
        from app.services.errors import Conflict

        key = wave_no.strip().upper()
        with self.db.reader() as s:
            wave = s.execute(select(Wave.id, Wave.status).where(Wave.wave_no == key)).first()
            if wave is None:
                raise NotFound(f"no wave {key}", code="packing.no_wave", wave=key)
            if wave.status == "cancelled":
                raise Conflict(f"wave {key} was cancelled", code="packing.wave_cancelled",
                               wave=key)
            if wave.status in ("released", "picking"):
                raise Conflict(f"wave {key} is not picked yet: pick it first",
                               code="packing.wave_not_picked", wave=key)
            total = s.scalar(select(func.count()).select_from(WaveOrder).where(
                WaveOrder.wave_id == wave.id, WaveOrder.removed_at.is_(None))) or 0
            rows = s.execute(select(Order.order_no, Order.priority, OrderLine.sku_id)
                             .join(OrderLine, OrderLine.order_id == Order.id)
                             .where(Order.wave_id == wave.id,
                                    Order.status.in_(sorted(packable)))).all()
            codes = s.execute(select(SkuBarcode.barcode, SkuBarcode.sku_id).where(
                SkuBarcode.sku_id.in_({int(r.sku_id) for r in rows}))).all()
        needs: dict[str, tuple[int, set[int]]] = {}
        for no, priority, sku_id in rows:
            if sku_id is not None:
                needs.setdefault(no, (priority, set()))[1].add(sku_id)
        return SingleItemWave(key, int(total), tuple(
            WaveOrderNeed(no, p, frozenset(k)) for no, (p, k) in needs.items()),
            {code: sku_id for code, sku_id in codes})

    @_reaching
    def waves_ready(self, warehouse: str | None, limit: int = 50) -> list[str]:
        with self.db.reader() as s:
            query = select(Wave.wave_no).where(Wave.status.in_(["picked", "done", "picking"]))
            if warehouse:
                query = query.join(Warehouse, Warehouse.id == Wave.warehouse_id).where(
                    Warehouse.code == warehouse.upper())
            return list(s.scalars(query.order_by(Wave.id.desc()).limit(limit)))

    @_reaching
    def order_state(self, order_no: str) -> OrderState | None:
        with self.db.reader() as s:
            row = s.execute(select(Order.order_no, Order.status, Order.intercept).where(
                Order.order_no == order_no)).first()
        return None if row is None else OrderState(row.order_no, row.status, row.intercept)

    @_reaching
    def order_states(self, order_nos: Sequence[str]) -> list[OrderState]:
        found: list[OrderState] = []
        with self.db.reader() as s:
            for start in range(0, len(order_nos), 500):
                found += [OrderState(r.order_no, r.status, r.intercept) for r in s.execute(
                    select(Order.order_no, Order.status, Order.intercept).where(
                        bulk.matching(s, Order.order_no, list(order_nos[start:start + 500]))))]
        return found

    @_reaching
    def paused(self, actor: Actor, order_no: str) -> PausedProgress | None:
        return pack_progress.paused(self.db, actor, order_no)

    # ---- changes of the copied tables

    # The pulls read from the read replica when there is one: a replica a moment behind
    # hands out an older floor with older rows, and the next pull brings the rest (the
    # floor is always taken where the rows are read: `app.store.changes`). What a station
    # acts on (the order to pack, its state before a label prints) is read on the primary.

    @_reaching
    def floor(self, table: str) -> int:
        with self.db.replica_reader() as s:
            return changes.floor(s, table)

    @_reaching
    def changes(self, table: str, since: int, warehouse: str | None,
                after: tuple[int, int] | None, limit: int) -> ChangePage:
        model = changes.TRACKED[table]
        columns, make = _COPIED[table]
        with self.db.replica_reader() as s:
            floor = changes.floor(s, table)  # before the rows: see `app.store.changes`
            query = select(model.change_seq, model.id, *columns).where(
                model.change_seq >= since)
            if table == "orders" and warehouse:
                query = query.where(Order.warehouse_id == select(Warehouse.id).where(
                    Warehouse.code == warehouse.upper()).scalar_subquery())
            if after is not None:
                query = query.where(tuple_(model.change_seq, model.id) > tuple_(*after))
            rows = list(s.execute(query.order_by(model.change_seq, model.id).limit(limit)))
        return ChangePage(table, tuple(make(r) for r in rows),
                          (rows[-1].change_seq, rows[-1].id) if rows else None, floor)

    @_reaching
    def active_carriers(self) -> list[str]:
        with self.db.reader() as s:
            return list(s.scalars(select(Carrier.code).where(Carrier.active)))

    @_reaching
    def ping(self) -> None:
        with self.db.reader() as s:
            s.execute(text("SELECT 1"))

    # ---- write side

    @_reaching
    def allocate_tracking(self, actor: Actor, station: str, carrier: str,
                          count: int) -> list[str]:
        return tracking.allocate_block(self.db, actor, station, carrier, count)

    @_reaching
    def waybill(self, actor: Actor, station: str, order_no: str, box: int) -> BoxWaybill:
        # Never a platform call from a station: the box's waybill when the centre has it,
        # else the ask recorded for the engine (`waybill.fetching`).
        return waybill_issue.request(self.db, actor, station, order_no, box)

    @_reaching
    def apply(self, station: str, events: Sequence[Envelope]) -> dict[str, Outcome]:
        return station_events.apply(self.db, station, events)

    @_reaching
    def report(self, station: str, pending: int, lag_seconds: float, refused: int,
               last_pushed_at: datetime | None, version: str,
               printers: Sequence[PrinterReport] = ()) -> None:
        stations.report(self.db, station, pending, lag_seconds, refused, last_pushed_at,
                        version, printers=[p.to_dict() for p in printers])


def _lines(s: Session, order_ids: list[int]) -> list[Row[Any]]:
    return cast(list[Row[Any]], s.execute(select(OrderLine.order_id, OrderLine.line_no, OrderLine.sku_id,
                                 OrderLine.qty, Sku.code, Sku.name, Sku.weight_g)
                          .join(Sku, Sku.id == OrderLine.sku_id)
                          .where(OrderLine.order_id.in_(order_ids))
                          .order_by(OrderLine.order_id, OrderLine.line_no)).all())


def _codes(s: Session, sku_ids: set[int]) -> dict[int, list[tuple[str, int]]]:
    codes: dict[int, list[tuple[str, int]]] = {}
    for sku_id, barcode, units in s.execute(
            select(SkuBarcode.sku_id, SkuBarcode.barcode, SkuBarcode.units)
            .where(SkuBarcode.sku_id.in_(sku_ids))):
        codes.setdefault(sku_id, []).append((barcode, units))
    return codes


def _provider(order: Order, carrier: Carrier | None, shop: Shop | None) -> str:
    """Who issues the order's waybills; one no provider may serve (an encrypted receiver and
    no platform service) is `UNSERVED`: the station asks the centre, which says why."""
    try:
        return waybill_issue.provider_of(order.channel, carrier.code if carrier else "", shop,
                                         is_encrypted=waybill_issue.encrypted(order),
                                         order_no=order.order_no)
    except ServiceError:
        return UNSERVED


UNSERVED = "unserved"


def _balance_due(s: Session, orders: Sequence[Order]) -> set[int]:
    """The orders among `orders` that may not be handed over yet, their balance not paid:
    packed before it is (预打包), their parcels wait on the pre-pack shelf."""
    from app.services.balance_due import balance_unpaid

    ids = [o.id for o in orders if o.is_presale]
    if not ids:
        return set()
    return set(s.scalars(select(Order.id).where(Order.id.in_(ids),
                                                balance_unpaid(Order.__table__.c))))


def _snapshot(order: Order, wave_no: str, carrier: Carrier | None, warehouse: Warehouse | None,
              shop: Shop | None, lines: list[Row[Any]], codes: dict[int, list[tuple[str, int]]],
              others: dict[str, str], waybills: Sequence[BoxWaybill] = (),
              balance_due: bool = False) -> PackSnapshot:
    wh = warehouse
    return PackSnapshot(
        order_no=order.order_no, order_id=order.id, status=order.status,
        intercept=order.intercept, wave_no=wave_no, priority=order.priority,
        carrier_code=carrier.code if carrier else "",
        carrier_name=carrier.name if carrier else "",
        lines=tuple(SnapshotLine(ln.line_no, ln.sku_id, ln.code, ln.name, ln.qty, ln.weight_g,
                                 tuple(codes.get(ln.sku_id, []))) for ln in lines),
        other_orders=others,
        receiver=Party(order.receiver_name, order.receiver_phone, order.province, order.city,
                       order.district, order.address),
        sender=Party(shop.name if shop else (wh.name if wh else ""), wh.phone if wh else "",
                     wh.province if wh else "", wh.city if wh else "",
                     wh.district if wh else "", wh.address if wh else ""),
        remark=order.remark or "", is_presale=bool(order.is_presale),
        promised_ship_by=promised_text(order.promised_ship_by),
        tolerance_g=wh.weight_tolerance_g if wh else 50,
        tolerance_pct=float(wh.weight_tolerance_pct) if wh else 5.0,
        waybill_provider=_provider(order, carrier, shop), waybills=tuple(waybills),
        balance_due=balance_due)


_COPIED: dict[str, tuple[tuple[Any, ...], Callable[[Row[Any]], ChangedRow]]] = {
    "skus": ((Sku.code, Sku.name, Sku.spec, Sku.weight_g, Sku.active),
             lambda r: SkuRow(r.id, r.code, r.name, r.spec, r.weight_g, bool(r.active))),
    "sku_barcodes": ((SkuBarcode.barcode, SkuBarcode.sku_id, SkuBarcode.units),
                     lambda r: BarcodeRow(r.id, r.barcode, r.sku_id, r.units)),
    "carriers": ((Carrier.code, Carrier.name, Carrier.kind, Carrier.tracking_pattern,
                  Carrier.active),
                 lambda r: CarrierRow(r.id, r.code, r.name, r.kind, r.tracking_pattern,
                                      bool(r.active))),
    # Service-account tokens stay central: automation never logs in at a station.
    "users": ((User.code, User.name, User.role, User.kind, User.password_hash, User.pin_hash,
               User.badge_hash, User.active),
              lambda r: UserRow(r.id, r.code, r.name, r.role, r.kind, r.password_hash,
                                r.pin_hash, r.badge_hash, bool(r.active))),
    "orders": ((Order.order_no, Order.status, Order.intercept),
               lambda r: OrderStateRow(r.id, r.order_no, r.status, r.intercept)),
}
