"""The work a journey needs, made as the shift lead and the picker make it: waves released and
picked through the services, in the station's own database, before the app starts."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app.services import picking, waves
from app.services.context import system_actor
from app.store.db import Database
from app.store.models import AuditEntry, Order, OrderLine, Sku, SkuBarcode
from tests.helpers.packing import actor, pick_to_the_end, single_item_wave, unit_codes


@contextmanager
def central(home: Path) -> Iterator[Database]:
    db = Database.from_url(f"sqlite:///{home / 'station.db'}")
    try:
        yield db
    finally:
        db.dispose()


@dataclass
class PickedOrder:
    order_no: str
    codes: list[str]  # one EAN per unit, in line order


def picked_multi_item_order(home: Path, warehouse: str = "HZ") -> PickedOrder:
    with central(home) as db:
        return picked_order_in(db, warehouse)


def picked_order_in(db: Database, warehouse: str = "HZ") -> PickedOrder:
    """A per-order wave released and picked to the end; one of its orders with two or more
    lines, each a unit or two."""
    shift_lead, picker = actor(db, "lead01"), actor(db, "picker01")
    for r in waves.release(db, shift_lead, warehouse, "per_order", max_orders=40,
                           max_cells=40, max_waves=1):
        pick_to_the_end(db, picker, r.wave_no)
    with db.reader() as s:
        rows = s.execute(
            select(Order.order_no, func.count(OrderLine.id), func.sum(OrderLine.qty))
            .join(OrderLine, OrderLine.order_id == Order.id)
            .where(Order.status == "picked").group_by(Order.id, Order.order_no)
            .order_by(Order.order_no)).all()
    multi = [no for no, lines, units in rows if lines >= 2 and units <= 4]
    assert multi, f"no picked multi-line order in {warehouse}: {rows}"
    codes = unit_codes(db, multi[0])
    assert all(c.isdigit() for c in codes), codes
    return PickedOrder(multi[0], codes)


def released_wave(home: Path, strategy: str, warehouse: str = "HZ",
                  max_orders: int = 3) -> str:
    with central(home) as db:
        (r,) = waves.release(db, actor(db, "lead01"), warehouse, strategy,
                             max_orders=max_orders, max_cells=max_orders, max_waves=1)
        return r.wave_no


def picked_single_item_wave(home: Path, warehouse: str = "HZ") -> tuple[str, dict[str, str]]:
    """A single-unit wave released and picked: its number and {order: the unit's EAN}."""
    with central(home) as db:
        wave = single_item_wave(db, orders=3, warehouse=warehouse, route=False)
        return wave.wave_no, wave.units


def wave_tasks(home: Path, wave_no: str) -> picking.WaveView:
    with central(home) as db:
        return picking.view(db, system_actor(), wave_no)


def ean_of_no_order(home: Path) -> str:
    """The EAN-13 of a real product that no order asks for (the first such SKU by code):
    scanned at the bench it can only be a wrong item, never another order's, whatever the
    demo data were seeded with."""
    with central(home) as db, db.reader() as s:
        code = s.scalar(select(SkuBarcode.barcode).join(Sku, Sku.id == SkuBarcode.sku_id)
                        .where(SkuBarcode.units == 1, func.length(SkuBarcode.barcode) == 13,
                               Sku.id.not_in(select(OrderLine.sku_id)
                                             .where(OrderLine.sku_id.is_not(None))))
                        .order_by(Sku.code, SkuBarcode.barcode).limit(1))
        assert code is not None, "every demo SKU is ordered"
        return code


def bin_codes(home: Path, warehouse: str = "HZ", limit: int = 50) -> list[str]:
    from app.store.models import Bin, Warehouse

    with central(home) as db, db.reader() as s:
        return list(s.scalars(select(Bin.code).join(Warehouse, Warehouse.id == Bin.warehouse_id)
                              .where(Warehouse.code == warehouse).order_by(Bin.code)
                              .limit(limit)))


def logins(home: Path, user: str) -> list[str]:
    """How `user` logged in, oldest first (`badge` or `password`), from the audit log."""
    conn = sqlite3.connect(home / "station.db")
    try:
        rows = conn.execute("SELECT detail FROM audit_log WHERE action = 'user.login' "
                            "AND entity_id = ? ORDER BY id", (user,)).fetchall()
    finally:
        conn.close()
    import json

    return [json.loads(d)["by"] if d else "" for (d,) in rows]


def audit_actions(home: Path, entity_id: str) -> list[tuple[str, str]]:
    with central(home) as db, db.reader() as s:
        return [(a, who) for a, who in s.execute(
            select(AuditEntry.action, AuditEntry.actor).where(AuditEntry.entity_id == entity_id)
            .order_by(AuditEntry.id))]


def units_picked(home: Path, wave_no: str) -> int:
    """Units that left their bins for the wave, as the stock ledger books them."""
    from app.store.models import StockMovement, Wave

    with central(home) as db, db.reader() as s:
        return -int(s.scalar(select(func.sum(StockMovement.delta_on_hand))
                             .join(Wave, Wave.id == StockMovement.wave_id)
                             .where(Wave.wave_no == wave_no,
                                    StockMovement.reason == "pick")) or 0)


def short_picks(home: Path, wave_no: str) -> list[tuple[str, dict[str, Any]]]:
    """The wave's short picks as the audit holds them: who, and the task, bin and units
    missing."""
    with central(home) as db, db.reader() as s:
        return [(who, dict(detail or {})) for who, detail in s.execute(
            select(AuditEntry.actor, AuditEntry.detail).where(
                AuditEntry.action == "wave.short_pick", AuditEntry.entity_id == wave_no)
            .order_by(AuditEntry.id))]


def station_reported(db: Database, code: str) -> bool:
    """The app's first sync round reached the central database: it is up, migrated, online."""
    from app.store.models import Station

    with db.reader() as s:
        return s.scalar(select(Station.last_seen_at).where(Station.code == code)) is not None


def wait_ready(j: object, home: Path, code: str = "ST-HZ-PACK-01") -> None:
    def seen() -> bool:
        with central(home) as db:
            return station_reported(db, code)

    j.wait_for("the station's first sync round", seen, timeout=40)  # type: ignore[attr-defined]


def pack_events(home: Path, order_no: str) -> list[tuple[str, bool, str]]:
    """The bench's steps for an order at this station: (kind, accepted, reason)."""
    conn = sqlite3.connect(home / "station.db")
    try:
        return [(k, bool(a), r) for k, a, r in conn.execute(
            "SELECT e.kind, e.accepted, e.reason FROM pack_events e JOIN pack_sessions p "
            "ON p.id = e.session_id WHERE p.order_no = ? ORDER BY e.seq", (order_no,))]
    finally:
        conn.close()


def station_rows(home: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    """A read of the station's own store (`PACKLINE_HOME/station.db`); nothing while the
    starting app has not made its tables yet."""
    conn = sqlite3.connect(home / "station.db")
    try:
        return list(conn.execute(sql, params))
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return []
        raise
    finally:
        conn.close()


def held(home: Path, order_no: str) -> bool:
    """The station holds the order (and a tracking number for it) to pack without the centre."""
    return bool(station_rows(home, "SELECT 1 FROM cached_orders WHERE order_no = ?", order_no)
                and station_rows(home, "SELECT 1 FROM station_tracking WHERE used_for IS NULL"))


def session_status(home: Path, order_no: str) -> str | None:
    rows = station_rows(home, "SELECT status FROM pack_sessions WHERE order_no = ? "
                              "ORDER BY started_at DESC", order_no)
    return str(rows[0][0]) if rows else None


def ean_of(home: Path, sku_code: str) -> str:
    """The unit EAN-13 a scanner reads off the item."""
    with central(home) as db, db.reader() as s:
        code = s.scalar(select(func.min(SkuBarcode.barcode)).join(Sku, Sku.id == SkuBarcode.sku_id)
                        .where(Sku.code == sku_code, SkuBarcode.units == 1,
                               func.length(SkuBarcode.barcode) == 13))
        assert code is not None, sku_code
        return code


def released_waves(home: Path) -> list[list[int]]:
    """Each released (not yet picked) wave's order ids."""
    from app.store.models import Wave, WaveOrder

    with central(home) as db, db.reader() as s:
        rows = s.execute(select(Wave.id, WaveOrder.order_id)
                         .join(WaveOrder, WaveOrder.wave_id == Wave.id)
                         .where(Wave.status == "released").order_by(Wave.id)).all()
    waves_: dict[int, list[int]] = {}
    for wave_id, order_id in rows:
        waves_.setdefault(wave_id, []).append(order_id)
    return list(waves_.values())


def logged_in(j: object, home: Path, user: str) -> None:
    """The login went through and the person sees the workspace (the navigation list)."""
    from tests.journeys import nav

    j.wait_for(f"{user}'s login", lambda: logins(home, user),  # type: ignore[attr-defined]
               timeout=15)
    j.wait_for("the workspace on screen",  # type: ignore[attr-defined]
               lambda: j.shows_something(*nav.NAV_FIRST_ROW))  # type: ignore[attr-defined]


def issue_badge(home: Path, code: str) -> str:
    """A fresh badge for `code`, issued by the demo admin before the app starts (demo users
    get none), as an admin at the Users screen would."""
    from app.services import auth

    with central(home) as db:
        admin = auth.login_password(db, "admin", "admin123", "journey-setup")
        return auth.issue_badge(db, admin, code)


def user_active(home: Path, code: str) -> bool:
    conn = sqlite3.connect(home / "station.db")
    try:
        (active,) = conn.execute("SELECT active FROM users WHERE code = ?", (code,)).fetchone()
    finally:
        conn.close()
    return bool(active)


def login_failures(home: Path) -> list[str]:
    """Why logins were refused, oldest first, from the audit log."""
    import json

    conn = sqlite3.connect(home / "station.db")
    try:
        rows = conn.execute("SELECT detail FROM audit_log WHERE action = 'auth.login_failed' "
                            "ORDER BY id").fetchall()
    finally:
        conn.close()
    return [json.loads(d).get("reason", "") if d else "" for (d,) in rows]


def app_log(home: Path) -> str:
    """The station's own log file (what IT collects)."""
    return "".join(p.read_text(encoding="utf-8", errors="replace")
                   for p in sorted((home / "logs").glob("packline.log*")))
