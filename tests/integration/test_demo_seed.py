"""The demo data set (app.services.demo) on SQLite and PostgreSQL: warehouses, bins, SKUs and
barcodes, carriers and tracking pools, users, presale campaigns, realistic orders, and
determinism of the seed."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from app.demo.vocab import is_valid_ean13
from app.domain.roles import Role
from app.services import demo
from app.services.context import system_actor
from app.store import migrate
from app.store.db import Database
from app.store.models import (
    AuditEntry,
    Bin,
    Carrier,
    Order,
    OrderLine,
    OrderPayment,
    PresaleCampaign,
    PresalePool,
    Sku,
    SkuBarcode,
    Stock,
    TrackingNumber,
    User,
    Warehouse,
    Zone,
)
from tests.conftest import SEED_ORDERS

BIN_CODE = re.compile(r"^LOC-[A-Z]+-[A-Z]\d{2}-\d{2}-\d$")
CJK_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$")


def _gs1_valid(code: str) -> bool:
    """GS1 mod-10 check digit for any GTIN length."""
    if not (code.isascii() and code.isdigit()) or len(code) not in (8, 12, 13, 14):
        return False
    body, check = code[:-1], int(code[-1])
    total = sum(int(d) * (3 if (len(body) - i) % 2 == 1 else 1) for i, d in enumerate(body))
    return (10 - total % 10) % 10 == check


def test_gs1_check_helper() -> None:
    assert _gs1_valid("4006381333931")  # a published EAN-13
    assert not _gs1_valid("4006381333932")
    assert _gs1_valid("10614141000415")  # a published GTIN-14
    assert not _gs1_valid("10614141000416")


def test_warehouses_zones_and_bins(db: Database) -> None:
    with db.reader() as s:
        warehouses = list(s.scalars(select(Warehouse).order_by(Warehouse.id)))
        assert len(warehouses) == 3
        assert len({w.province for w in warehouses}) == 3
        assert all(w.region_adcode and w.longitude and w.latitude for w in warehouses)
        for wh in warehouses:
            zones = {z.id: z for z in s.scalars(select(Zone).where(Zone.warehouse_id == wh.id))}
            pick_zones = {z.id for z in zones.values() if z.kind == "pick"}
            assert len(pick_zones) >= 2
            bins = list(s.scalars(select(Bin).where(Bin.warehouse_id == wh.id)
                                  .order_by(Bin.pick_seq)))
            assert len(bins) > 100
            seqs = [b.pick_seq for b in bins]
            assert len(set(seqs)) == len(seqs)
            for b in bins:
                assert BIN_CODE.match(b.code), b.code
                assert b.code.startswith(f"LOC-{wh.code}-")
                zone = zones[b.zone_id]
                assert zone.id in pick_zones
                assert b.code.split("-")[2] == f"{zone.code}{b.aisle:02d}"
                assert b.code.endswith(f"-{b.rack:02d}-{b.level}")
            assert {zones[b.zone_id].id for b in bins} == pick_zones
            # the walking path: zone by zone, aisle by aisle, racks up one aisle, down the next
            walk = [(zones[b.zone_id].code, b.aisle) for b in bins]
            assert walk == sorted(walk)
            first_aisle = [b.rack for b in bins if b.aisle == 1 and b.zone_id == bins[0].zone_id]
            second = [b.rack for b in bins if b.aisle == 2 and b.zone_id == bins[0].zone_id]
            assert first_aisle == sorted(first_aisle)
            assert second == sorted(second, reverse=True)


def test_skus_and_barcodes(db: Database) -> None:
    with db.reader() as s:
        codes = list(s.scalars(select(Sku.code).order_by(Sku.code)))
        assert codes == [f"SKU-{i:05d}" for i in range(1, 2001)]
        assert s.scalar(select(func.min(Sku.weight_g))) > 0
        barcodes = list(s.execute(select(SkuBarcode.sku_id, SkuBarcode.barcode,
                                         SkuBarcode.kind, SkuBarcode.units)))
    by_kind = Counter(kind for _, _, kind, _ in barcodes)
    assert by_kind["ean13"] == 2000
    assert by_kind["gs1"] > 0 and by_kind["internal"] > 0
    ean_by_sku = {sku: code for sku, code, kind, _ in barcodes if kind == "ean13"}
    assert len(ean_by_sku) == 2000
    for sku_id, code, kind, units in barcodes:
        if kind == "ean13":
            assert is_valid_ean13(code), code
            assert units == 1
        elif kind == "gs1":
            assert len(code) == 14 and _gs1_valid(code), code
            assert code[1:13] == ean_by_sku[sku_id][:12]
            assert units > 1
    assert len({code for _, code, _, _ in barcodes}) == len(barcodes)


def test_stock_is_in_the_warehouse_of_its_bin(db: Database) -> None:
    with db.reader() as s:
        rows = list(s.execute(select(Stock.warehouse_id, Bin.warehouse_id, Stock.on_hand,
                                     Stock.reserved).join(Bin, Bin.id == Stock.bin_id)))
    assert len(rows) >= 2000
    assert all(a == b and on_hand >= 0 and reserved == 0 for a, b, on_hand, reserved in rows)


def test_carriers_and_tracking_pools(db: Database) -> None:
    with db.reader() as s:
        carriers = list(s.scalars(select(Carrier)))
        assert len(carriers) == 5
        assert {"premium", "express", "freight"} <= {c.kind for c in carriers}
        for carrier in carriers:
            pattern = re.compile(carrier.tracking_pattern)
            numbers = list(s.scalars(select(TrackingNumber.number).where(
                TrackingNumber.carrier_id == carrier.id)))
            assert len(numbers) >= 100, carrier.code
            bad = [n for n in numbers if not pattern.match(n)]
            assert bad == [], (carrier.code, carrier.tracking_pattern, bad[:3])
        statuses = set(s.scalars(select(TrackingNumber.status).distinct()))
        assert statuses == {"free"}


def test_one_user_per_role(db: Database) -> None:
    with db.reader() as s:
        users = list(s.execute(select(User.code, User.role, User.badge_hash, User.active,
                                      User.password_hash, User.pin_hash)))
    assert sorted(u.role for u in users) == sorted(r.value for r in Role)
    # No badges: an admin issues each person a secret one.
    assert all(u.badge_hash is None and u.active for u in users), users
    assert all(u.password_hash.startswith("$argon2") for u in users)
    # The roles that need a second factor have a PIN.
    assert {u.code for u in users if u.pin_hash} == {
        u.code for u in users if u.role in ("shift_lead", "admin")}


def test_presale_campaigns_and_pools(db: Database) -> None:
    with db.reader() as s:
        rows = list(s.execute(select(PresaleCampaign, PresalePool)
                              .join(PresalePool, PresalePool.campaign_id == PresaleCampaign.id)))
        assert s.scalar(select(func.count()).select_from(PresaleCampaign)) == 5
        assert {c.code for c, _ in rows} == {"PS-DOUBLE", "PS-OFFSET", "PS-REDUCE", "PS-TIERS",
                                             "PS-FULL"}
        for campaign, pool in rows:
            assert campaign.safety_ratio == 0.8
            assert pool.capacity == (campaign.supplier_daily_capacity * campaign.capacity_days
                                     * 8 // 10)
            assert pool.reserved == 0
            assert campaign.starts_at < campaign.ends_at < campaign.ship_by
        kinds = {c.code: c for c, _ in rows}
        assert kinds["PS-FULL"].kind == "full"
        assert kinds["PS-DOUBLE"].deposit_value_fen > kinds["PS-DOUBLE"].deposit_fen
        assert kinds["PS-TIERS"].tiers and kinds["PS-REDUCE"].balance_reduction_fen > 0


def test_the_seeded_orders_are_realistic(db: Database) -> None:
    with db.reader() as s:
        orders = list(s.scalars(select(Order)))
        lines = list(s.scalars(select(OrderLine)))
        payments = list(s.scalars(select(OrderPayment)))
        campaign_sku = dict(s.execute(select(PresaleCampaign.id, PresaleCampaign.sku_id)).all())
        created = set(s.scalars(select(AuditEntry.entity_id).where(
            AuditEntry.action == "order.created")))
        assert len(orders) == SEED_ORDERS
        by_order: dict[int, list[OrderLine]] = defaultdict(list)
        for line in lines:
            by_order[line.order_id].append(line)
        pays: dict[int, dict[str, OrderPayment]] = defaultdict(dict)
        for p in payments:
            pays[p.order_id][p.kind] = p

        assert len({o.channel for o in orders}) >= 4
        assert sum(1 for o in orders if CJK_NAME.match(o.receiver_name)) >= SEED_ORDERS * 0.95
        assert all(o.province for o in orders)
        assert any(o.line_count > 1 for o in orders)
        assert any(o.vip_level > 0 for o in orders)
        assert any(o.remark for o in orders)
        presale = [o for o in orders if o.is_presale]
        assert len(presale) >= 5
        balance = Counter(pays[o.id]["balance"].status for o in presale)
        assert balance["paid"] > 0 and balance["pending"] > 0
        for o in orders:
            mine = by_order[o.id]
            assert o.status == "new"
            assert o.line_count == len(mine) and o.unit_count == sum(ln.qty for ln in mine)
            assert o.goods_fen == sum(ln.price_fen * ln.qty for ln in mine)
            assert o.amount_fen == o.goods_fen - o.discount_fen
            assert o.order_no in created
            if o.is_presale:
                assert o.campaign_id is not None
                assert {ln.sku_id for ln in mine} == {campaign_sku[o.campaign_id]}
                assert set(pays[o.id]) == {"deposit", "balance"}
                assert pays[o.id]["deposit"].status == "paid"
            else:
                assert set(pays[o.id]) == {"full"}
                assert o.paid_at is not None and o.promised_ship_by > o.paid_at


def _seed_fresh(path: Path, seed: int, orders: int, now: datetime) -> Database:
    db = Database.from_url(f"sqlite:///{path}")
    migrate.upgrade(db.bind)  # type: ignore[arg-type]
    report = demo.seed(db, system_actor(), orders=orders, seed=seed, now=now)
    assert report.orders_created == orders
    return db


def _orders_of(db: Database) -> list[tuple[object, ...]]:
    with db.reader() as s:
        return [tuple(r) for r in s.execute(select(
            Order.channel, Order.channel_order_no, Order.receiver_name, Order.receiver_phone,
            Order.province, Order.city, Order.district, Order.address, Order.amount_fen,
            Order.paid_at).order_by(Order.id))]


def test_seeding_is_deterministic(tmp_path: Path) -> None:
    now = datetime(2026, 11, 11, 9, 30, tzinfo=UTC)
    first = _seed_fresh(tmp_path / "a.db", 11, 100, now)
    second = _seed_fresh(tmp_path / "b.db", 11, 100, now)
    try:
        a, b = _orders_of(first), _orders_of(second)
        assert len(a) == 100 and a == b
        with first.reader() as s1, second.reader() as s2:
            for model in (Sku.code, SkuBarcode.barcode, TrackingNumber.number):
                query = select(model).order_by(model)
                assert list(s1.scalars(query)) == list(s2.scalars(query))

        # the same seed again adds nothing; another seed adds other orders
        again = demo.seed(first, system_actor(), orders=100, seed=11, now=now)
        assert (again.orders_created, again.orders_skipped, again.reference_created) == (
            0, 100, False)
        other = demo.seed(first, system_actor(), orders=100, seed=12, now=now)
        assert other.orders_created == 100
        numbers = [r[1] for r in _orders_of(first)]
        assert len(numbers) == len(set(numbers)) == 200
    finally:
        first.dispose()
        second.dispose()


def test_the_same_seed_on_another_day_adds_nothing(tmp_path: Path) -> None:
    """Channel order numbers come from the seed alone, so `demo seed` run again tomorrow
    (as `make run` does on every start of an empty-then-seeded station) doubles nothing."""
    monday = datetime(2026, 11, 9, 9, 0, tzinfo=UTC)
    db = _seed_fresh(tmp_path / "days.db", 1005, 300, monday)
    try:
        later = demo.seed(db, system_actor(), orders=300, seed=1005,
                          now=monday + timedelta(days=3))
        assert (later.orders_created, later.orders_skipped) == (0, 300)
        # seeds that agree modulo 1000 still make different orders
        other = demo.seed(db, system_actor(), orders=300, seed=5, now=monday)
        assert other.orders_created == 300
    finally:
        db.dispose()
