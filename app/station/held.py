"""The orders a station holds to pack: fetched through the link a wave at a time
(`cache_wave`) or one by one, kept in `cached_orders` as the contract's `PackSnapshot`, and
turned into the packing rules' `PackOrder` (`pack_order`), with every form a scanned code of
its items can take."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from app.domain import packing as rules
from app.station.models import CachedBarcode, CachedOrder, CachedSku
from app.store.db import Database
from app.sync.contract import CentralLink, PackSnapshot
from drivers.barcode import match_forms


def cache_wave(store: Database, remote: CentralLink, wave_no: str) -> int:
    """Hold a wave's orders at the station. Returns how many."""
    snapshots = remote.wave(wave_no)
    now = datetime.now(UTC)
    with store.unit_of_work() as s:
        for snap in snapshots:
            data = snap.to_dict()
            stmt = insert(CachedOrder).values(order_no=snap.order_no,
                                              wave_no=wave_no.strip().upper(),
                                              snapshot=data, fetched_at=now)
            s.execute(stmt.on_conflict_do_update(index_elements=[CachedOrder.order_no],
                                                 set_={"snapshot": data, "fetched_at": now}))
    return len(snapshots)


def held_waves(store: Database) -> set[str]:
    with store.reader() as s:
        return set(s.scalars(select(CachedOrder.wave_no).distinct()))


def held(s: Session, order_no: str) -> PackSnapshot | None:
    """The order as the station holds it, read in the caller's session."""
    data = s.scalar(select(CachedOrder.snapshot).where(CachedOrder.order_no == order_no))
    return PackSnapshot.from_dict(data) if data else None


def cached_snapshot(store: Database, order_no: str) -> PackSnapshot | None:
    with store.reader() as s:
        return held(s, order_no)


def remember(store: Database, snapshot: PackSnapshot) -> None:
    """The held copy takes what the centre said about the order just now."""
    with store.unit_of_work() as s:
        s.execute(update(CachedOrder).where(CachedOrder.order_no == snapshot.order_no)
                  .values(snapshot=snapshot.to_dict(), fetched_at=datetime.now(UTC)))


def item_named(store: Database, code: str) -> str | None:
    """The item a scanned code means, as the station's copy of the SKUs names it ("name ·
    SKU code"), or None for a code it does not know: so an item of no order on the bench is
    named to the packer, online or not."""
    forms = match_forms(code)
    with store.reader() as s:
        row = s.execute(select(CachedSku.name, CachedSku.code)
                        .join(CachedBarcode, CachedBarcode.sku_id == CachedSku.sku_id)
                        .where(CachedBarcode.barcode.in_(forms)).limit(1)).first()
    return f"{row.name} · {row.code}" if row is not None else None


def pack_order(snapshot: PackSnapshot) -> rules.PackOrder:
    """The order as the packing rules check it: each line with every code that means its SKU
    in every form a scanner may read it (`drivers.barcode.match_forms`)."""
    lines = []
    for ln in snapshot.lines:
        barcodes: set[str] = {ln.sku_code}
        units: dict[str, int] = {}
        for code, per in ln.codes:
            for form in match_forms(code):
                barcodes.add(form)
                if per > 1:
                    units[form] = per
        lines.append(rules.PackLine(line_no=ln.line_no, sku_id=ln.sku_id,
                                    sku_code=ln.sku_code, name=ln.name, qty=ln.qty,
                                    barcodes=frozenset(barcodes), units_per_barcode=units,
                                    weight_g=ln.weight_g))
    others: dict[str, str] = {}
    for code, no in snapshot.other_orders.items():
        for form in match_forms(code):
            others[form] = no
    return rules.PackOrder(order_no=snapshot.order_no, order_id=snapshot.order_id,
                           lines=tuple(lines), carrier_code=snapshot.carrier_code,
                           intercept=snapshot.intercept, status=snapshot.status,
                           other_orders=others)
