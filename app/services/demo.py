"""Demo data: a deterministic, realistic warehouse operation for training, trying the app and
benchmarks. Reference data is created once; orders go through the real intake path, so a
re-run with the same seed adds nothing and a new seed adds new orders.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import accumulate

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.demo import vocab
from app.domain import waybills
from app.domain.access import needs_second_factor
from app.domain.intake import RECEIVER_FIELDS, LineDraft, OrderDraft, PresaleDraft, Receiver
from app.domain.regions import Region, RegionTable
from app.domain.roles import Permission, Role
from app.services import audit, changes, intake
from app.services.access import guarded
from app.services.auth import hash_password, normalize_code
from app.services.changes import Change
from app.services.context import Actor
from app.store.db import Database
from app.store.models import (
    Bin,
    BlacklistEntry,
    Carrier,
    PresaleCampaign,
    PresalePool,
    ReviewRule,
    Shop,
    Sku,
    SkuBarcode,
    Station,
    Stock,
    StockMovement,
    Tote,
    TrackingNumber,
    User,
    Warehouse,
    Zone,
)

log = logging.getLogger("packline.demo")

SKU_COUNT = 2000
TRACKING_PER_CARRIER = 2000

# code, name, province, city, district, street address
WAREHOUSES = (
    ("HZ", "杭州仓", "浙江省", "杭州市", "余杭区", "仓前街道良睦路1399号", "0571-88886666"),
    ("GZ", "广州仓", "广东省", "广州市", "白云区", "太和镇广从五路588号", "020-36668888"),
    ("BJ", "北京仓", "北京市", "北京市", "大兴区", "亦庄经济开发区科创十一街18号", "010-67889999"),
)
PICK_ZONES = ("A", "B", "C")
AISLES, RACKS, LEVELS = 6, 10, 3

# code, kind, max weight (g), and the demo pool's numbers: prefix + that many digits. Names
# and tracking patterns are the carriers' own (app.domain.waybills).
CARRIERS = (
    ("SF", "premium", 50_000, "SF", 13),
    ("ZTO", "express", 30_000, "75", 12),
    ("YTO", "express", 30_000, "YT", 13),
    ("JD", "express", 50_000, "JDVA", 11),
    ("DBL", "freight", 300_000, "DPK", 12),
)
# Each carrier's last pick-up at the dock, China time (揽收截止).
CUTOFFS = {"SF": "20:00", "ZTO": "18:00", "YTO": "18:30", "JD": "19:00", "DBL": "16:00"}

# code, name, role, password — printed in the README
DEMO_USERS = (
    ("admin", "系统管理员", Role.ADMIN, "admin123"),
    ("lead01", "王组长", Role.SHIFT_LEAD, "lead123"),
    ("packer01", "李打包", Role.PACKER, "packer123"),
    ("picker01", "张拣货", Role.PICKER, "picker123"),
)
# The PIN the demo lead and admin add to a badge login or an override.
DEMO_PIN = "2468"

REVIEW_RULES: tuple[tuple[str, str, dict[str, int]], ...] = (
    ("stock_sufficient", "库存充足", {}),
    ("address_valid", "地址有效", {}),
    ("payment_complete", "付款完成", {}),
    ("amount_consistent", "金额与优惠一致", {"tolerance_fen": 1}),
    ("blacklist", "黑名单", {}),
    ("remark_review", "买家备注人工审核", {}),
    ("high_value_review", "高价值订单人工审核", {"threshold_fen": 500_000}),
    ("vip_priority", "VIP 优先", {"min_level": 3}),
)

CHANNEL_WEIGHTS = (("tmall", 30), ("taobao", 20), ("jd", 20), ("douyin", 15), ("pdd", 12),
                   ("manual", 3))
# Provinces that order most; the rest of the country still gets 40 % of orders.
BUSY_PROVINCES = ("浙江省", "江苏省", "上海市", "广东省", "北京市", "山东省", "四川省",
                  "湖北省", "福建省", "河南省")
BLACKLISTED_BUYER = "tb_blacklisted_01"


@dataclass(slots=True)
class SeedReport:
    warehouses: int = 0
    bins: int = 0
    skus: int = 0
    carriers: int = 0
    users: int = 0
    campaigns: int = 0
    orders_created: int = 0
    orders_skipped: int = 0
    reference_created: bool = False
    users_and_passwords: list[tuple[str, str, str]] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "reference_created": self.reference_created, "warehouses": self.warehouses,
            "bins": self.bins, "skus": self.skus, "carriers": self.carriers,
            "users": [{"code": c, "role": r, "password": p}
                      for c, r, p in self.users_and_passwords],
            "campaigns": self.campaigns, "orders_created": self.orders_created,
            "orders_skipped": self.orders_skipped,
        }


# ------------------------------------------------------------------ reference data


def _bin_rows(warehouse_id: int, code: str, zone_ids: dict[str, int]) -> list[dict[str, object]]:
    """Pick bins numbered along a serpentine walk: odd aisles up the racks, even aisles down."""
    rows: list[dict[str, object]] = []
    seq = 0
    for zone in PICK_ZONES:
        for aisle in range(1, AISLES + 1):
            racks = range(1, RACKS + 1) if aisle % 2 else range(RACKS, 0, -1)
            for rack in racks:
                for level in range(1, LEVELS + 1):
                    seq += 1
                    rows.append({
                        "warehouse_id": warehouse_id, "zone_id": zone_ids[zone],
                        "code": f"LOC-{code}-{zone}{aisle:02d}-{rack:02d}-{level}",
                        "aisle": aisle, "rack": rack, "level": level, "pick_seq": seq,
                        "active": True,
                    })
    return rows


def _gs1_case_code(ean13: str) -> str:
    """A GTIN-14 for a case of the item: indicator digit 1, check digit recomputed."""
    body = "1" + ean13[:12]
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def _seed_reference(s: Session, actor: Actor, rng: random.Random, regions: RegionTable,
                    now: datetime, report: SeedReport) -> None:
    report.reference_created = True
    s.execute(insert(Shop), [{"channel": c, "name": n} for c, _ in vocab.CHANNELS
                             for n in vocab.shop_names(c)])
    warehouse_ids: dict[str, int] = {}
    for code, name, prov, city, dist, street, phone in WAREHOUSES:
        region = regions.resolve(prov, city, dist).region
        wh = Warehouse(code=code, name=name, province=prov, city=city, district=dist,
                       address=street, phone=phone, region_adcode=region.adcode if region else None,
                       longitude=region.longitude if region else None,
                       latitude=region.latitude if region else None, daily_capacity=30_000)
        s.add(wh)
        s.flush()
        warehouse_ids[code] = wh.id
        zone_ids = {}
        for z in (*PICK_ZONES, "R", "D"):
            kind = {"R": "reserve", "D": "dock"}.get(z, "pick")
            zone = Zone(warehouse_id=wh.id, code=z, name=f"{z}区", kind=kind)
            s.add(zone)
            s.flush()
            zone_ids[z] = zone.id
        s.execute(insert(Bin), _bin_rows(wh.id, code, zone_ids))
        s.execute(insert(Tote), [{"code": f"TOTE-{code}-{n:05d}", "warehouse_id": wh.id,
                                  "status": "free"} for n in range(1, 201)])
    report.warehouses = len(WAREHOUSES)
    report.bins = s.scalar(select(func.count()).select_from(Bin)) or 0

    # SKUs with EAN-13s; every tenth also a GS1 case code, every twentieth an internal code.
    products = [vocab.product(rng, i) for i in range(1, SKU_COUNT + 1)]
    s.execute(insert(Sku), [{
        "code": f"SKU-{i:05d}", "name": p.name, "spec": p.spec, "category": p.category,
        "weight_g": p.weight_g, "length_mm": p.length_mm, "width_mm": p.width_mm,
        "height_mm": p.height_mm, "price_fen": p.price_fen, "bulky": p.bulky, "active": True,
    } for i, p in enumerate(products, 1)])
    sku_ids = dict(s.execute(select(Sku.code, Sku.id)).all())
    used: set[str] = set()
    barcodes: list[dict[str, object]] = []
    for i in range(1, SKU_COUNT + 1):
        sku_id = sku_ids[f"SKU-{i:05d}"]
        ean = vocab.make_ean13(rng)
        while ean in used:
            ean = vocab.make_ean13(rng)
        used.add(ean)
        barcodes.append({"sku_id": sku_id, "barcode": ean, "kind": "ean13", "units": 1})
        if i % 10 == 0:
            barcodes.append({"sku_id": sku_id, "barcode": _gs1_case_code(ean), "kind": "gs1",
                             "units": 6})
        if i % 20 == 0:
            barcodes.append({"sku_id": sku_id, "barcode": f"INT{i:07d}", "kind": "internal",
                             "units": 1})
    s.execute(insert(SkuBarcode), barcodes)
    report.skus = SKU_COUNT

    # Stock: most SKUs in every warehouse, some in two, some in one (multi-warehouse orders).
    bins_by_wh: dict[int, list[int]] = {}
    for bin_id, wh_id in s.execute(select(Bin.id, Bin.warehouse_id).order_by(Bin.pick_seq)):
        bins_by_wh.setdefault(wh_id, []).append(bin_id)
    stock: list[dict[str, object]] = []
    codes = [c for c, *_ in WAREHOUSES]
    for i in range(1, SKU_COUNT + 1):
        roll = rng.random()
        if roll < 0.7:
            where = codes
        elif roll < 0.9:
            where = rng.sample(codes, 2)
        else:
            where = [codes[i % 3]]
        for wh_code in where:
            wh_id = warehouse_ids[wh_code]
            bins = bins_by_wh[wh_id]
            qty = 0 if rng.random() < 0.02 else rng.randint(20, 600)
            stock.append({"sku_id": sku_ids[f"SKU-{i:05d}"], "bin_id": bins[i % len(bins)],
                          "warehouse_id": wh_id, "on_hand": qty, "reserved": 0,
                          "updated_at": now})
    s.execute(insert(Stock), stock)
    s.execute(insert(StockMovement), [
        {"at": now, "sku_id": r["sku_id"], "bin_id": r["bin_id"], "delta_on_hand": r["on_hand"],
         "delta_reserved": 0, "reason": "receive", "note": "demo opening stock"}
        for r in stock if r["on_hand"]])

    # Carriers with their waybill number pools.
    for code, kind, max_w, prefix, digits in CARRIERS:
        fmt = waybills.FORMATS[code]
        carrier = Carrier(code=code, name=fmt.name, kind=kind, tracking_pattern=fmt.pattern,
                          coverage=None, max_weight_g=max_w, cutoff=CUTOFFS[code])
        s.add(carrier)
        s.flush()
        start = rng.randrange(10 ** (digits - 2), 9 * 10 ** (digits - 2))
        s.execute(insert(TrackingNumber), [
            {"carrier_id": carrier.id, "number": f"{prefix}{start + n:0{digits}d}",
             "status": "free"} for n in range(TRACKING_PER_CARRIER)])
    report.carriers = len(CARRIERS)

    for code, name, role, password in DEMO_USERS:
        # No badges: a badge is a secret an admin issues and prints from the Users screen.
        s.add(User(code=normalize_code(code), name=name, role=role.value,
                   password_hash=hash_password(password),
                   pin_hash=hash_password(DEMO_PIN) if needs_second_factor(role) else None,
                   warehouse_id=warehouse_ids["HZ"]))
        report.users_and_passwords.append((code, role.value, password))
    report.users = len(DEMO_USERS)
    s.flush()
    _seed_floor_history(s, now)
    for code, wh_id in warehouse_ids.items():
        s.add(Station(code=f"ST-{code}-PACK-01", name=f"{code} 打包台 1", warehouse_id=wh_id,
                      kind="packing"))
        s.add(Station(code=f"ST-{code}-OFFICE", name=f"{code} 组长办公室", warehouse_id=wh_id,
                      kind="office"))

    s.execute(insert(ReviewRule), [
        {"code": c, "name": n, "position": i * 10, "enabled": True, "params": p,
         "updated_at": now} for i, (c, n, p) in enumerate(REVIEW_RULES, 1)])
    s.execute(insert(BlacklistEntry), [
        {"kind": "buyer", "value": BLACKLISTED_BUYER, "reason": "恶意退款", "created_at": now},
        {"kind": "phone", "value": "13900000000", "reason": "虚假收货", "created_at": now},
    ])

    # Presale campaigns: one per deposit form, plus full payment.
    def terms_for(n: int) -> tuple[str, str, str, dict[str, object]]:
        """Terms scaled to the SKU's price so every form is valid for it."""
        price = max(products[1900 + n].price_fen, 2000)
        deposit = max(price // 10 // 100 * 100, 500)
        terms: tuple[tuple[str, str, str, dict[str, object]], ...] = (
            ("PS-DOUBLE", "双11定金翻倍", "deposit",
             {"deposit_fen": deposit, "deposit_value_fen": min(2 * deposit, price)}),
            ("PS-OFFSET", "定金抵现", "deposit",
             {"deposit_fen": deposit, "deposit_value_fen": deposit}),
            ("PS-REDUCE", "尾款立减", "deposit",
             {"deposit_fen": deposit, "deposit_value_fen": deposit,
              "balance_reduction_fen": price // 20}),
            ("PS-TIERS", "件数阶梯", "deposit",
             {"deposit_fen": deposit, "deposit_value_fen": deposit,
              "tiers": [{"min_qty": 2, "reduction_fen": price // 20},
                        {"min_qty": 3, "reduction_fen": price // 10}]}),
            ("PS-FULL", "全款预售", "full", {}),
        )
        return terms[n]

    forms = [terms_for(n) for n in range(5)]
    for n, (code, name, kind, terms) in enumerate(forms):
        sku_code = f"SKU-{1901 + n:05d}"
        price = max(products[1900 + n].price_fen, 2000)
        campaign = PresaleCampaign(
            code=code, name=f"{name} · {products[1900 + n].name}", sku_id=sku_ids[sku_code],
            kind=kind, price_fen=price, starts_at=now - timedelta(days=20),
            ends_at=now + timedelta(days=1), balance_starts_at=now - timedelta(days=1),
            balance_ends_at=now + timedelta(days=2), ship_by=now + timedelta(days=5),
            supplier_daily_capacity=300 + 100 * n, capacity_days=5, safety_ratio=0.8, **terms)
        s.add(campaign)
        s.flush()
        capacity = int(campaign.supplier_daily_capacity * campaign.capacity_days
                       * campaign.safety_ratio)
        s.add(PresalePool(campaign_id=campaign.id, capacity=capacity, reserved=0))
        _seed_supply(s, campaign, n, capacity, now, actor)
    report.campaigns = len(forms)
    audit.record(s, actor, "demo.seeded", "system", "demo", None, None,
                 {"warehouses": report.warehouses, "skus": report.skus})


DEMO_SUPPLIERS = (("SUP-HZ", "杭州优品制造厂", "0571-8888 1001"),
                  ("SUP-NB", "宁波捷达工厂", "0574-8666 2002"),
                  ("SUP-SZ", "深圳速达电子", "0755-8333 3003"))


def _seed_supply(s: Session, campaign: PresaleCampaign, n: int, capacity: int, now: datetime,
                 actor: Actor) -> None:
    """The campaign's supplier and backup supplier, and three deliveries: one arrived, one
    on the road, one planned. The first campaign's delivery on the road slips by three days
    (72 h: switch to the backup supplier), so the supplier board has something to say."""
    from app.domain.china_time import in_china
    from app.store.models import PresaleSupply, Supplier

    if n == 0:
        s.add_all(Supplier(code=c, name=name, phone=phone, active=True)
                  for c, name, phone in DEMO_SUPPLIERS)
        s.flush()
    ids = dict(s.execute(select(Supplier.code, Supplier.id)).all())
    main = DEMO_SUPPLIERS[n % 3][0]
    campaign.supplier_id = ids[main]
    campaign.backup_supplier_id = ids[DEMO_SUPPLIERS[(n + 1) % 3][0]]
    today = in_china(now).date()
    third = capacity * 3 // 10
    for due, qty, transit, arrived, slip in (
            (today - timedelta(days=3), third, 0, third, 0),
            (today, third, third // 2, 0, 3 if n == 0 else 0),
            (today + timedelta(days=2), capacity - 2 * third, 0, 0, 0)):
        status = "arrived" if arrived >= qty else "in_transit" if transit else "planned"
        s.add(PresaleSupply(campaign_id=campaign.id, supplier_id=ids[main], due_on=due,
                            expected_on=due + timedelta(days=slip), qty=qty,
                            in_transit_qty=transit, arrived_qty=arrived, status=status,
                            note="", updated_at=now, updated_by=actor.user_id))


# ------------------------------------------------------------------ orders


class _OrderFactory:
    """Realistic orders: Chinese receivers across the country, hot SKUs, presale, and the
    awkward cases the engine must catch (bad addresses, mergeable pairs, split warehouses)."""

    def __init__(self, rng: random.Random, regions: RegionTable, now: datetime,
                 single_warehouse_skus: dict[str, list[str]], seed: int) -> None:
        self.rng = rng
        self.now = now
        self.seed = seed
        all_regions = list(regions)
        busy = [r for r in all_regions if r.province in BUSY_PROVINCES]
        self.busy, self.anywhere = busy, all_regions
        by_prov_name: dict[tuple[str, str], list[Region]] = {}
        for r in all_regions:
            by_prov_name.setdefault((r.province, r.district), []).append(r)
        # District names shared by two cities of one province: blank city → ambiguous.
        self.ambiguous = [v[0] for v in by_prov_name.values()
                          if len({r.city for r in v}) > 1]
        self.channels = [c for c, _ in CHANNEL_WEIGHTS]
        self.channel_cum = list(accumulate(w for _, w in CHANNEL_WEIGHTS))
        self.shops = {c: vocab.shop_names(c) for c, _ in vocab.CHANNELS}
        self.single = single_warehouse_skus
        # Popularity falls off like real demand: a few hot SKUs (爆款), a long tail.
        self.spot_skus = [f"SKU-{i:05d}" for i in range(1, 1901)]
        self.sku_cum = list(accumulate(1.0 / (i ** 0.8) for i in range(1, 1901)))
        self.vip_cum = list(accumulate((70, 12, 8, 5, 2, 1.5, 1, 0.5)))
        self.prices: dict[str, int] = {}
        self.campaigns = ("PS-DOUBLE", "PS-OFFSET", "PS-REDUCE", "PS-TIERS", "PS-FULL")
        self.counter = 0
        self.last: OrderDraft | None = None
        # The share of orders whose receiver the platform keeps encrypted (the simulator's
        # `--encrypted`); 0 draws nothing more, so a seed gives the same orders as before.
        self.encrypted_share = 0.0

    def _channel_order_no(self, channel: str) -> str:
        self.counter += 1
        rng = self.rng
        tag = f"{self.seed % 1_000_000:06d}{self.counter:07d}"
        if channel in ("taobao", "tmall"):
            return f"{rng.randint(1, 4)}{rng.randint(10**7, 10**8 - 1)}{tag}"
        if channel == "jd":
            return f"3{tag}{rng.randint(0, 9)}"
        if channel == "douyin":
            return f"6{rng.randint(10**7, 10**8 - 1)}{tag}"
        if channel == "pdd":
            return f"261111-{rng.randint(10**4, 10**5 - 1)}{tag}"
        return f"M{tag}"

    def _receiver(self) -> Receiver:
        rng = self.rng
        pool = self.busy if rng.random() < 0.6 else self.anywhere
        region = pool[rng.randrange(len(pool))]
        province, city, district = region.province, region.city, region.district
        roll = rng.random()
        if roll < 0.006:  # district left out
            district = ""
        elif roll < 0.010:  # district that belongs to another city
            other = self.anywhere[rng.randrange(len(self.anywhere))]
            district = other.district if other.city != city else district
        elif roll < 0.014 and self.ambiguous:  # blank city, district name in two cities
            amb = self.ambiguous[rng.randrange(len(self.ambiguous))]
            province, city, district = amb.province, "", amb.district
        phone = vocab.landline_phone(rng) if rng.random() < 0.03 else vocab.mobile_phone(rng)
        return Receiver(vocab.person_name(rng), phone, province, city, district,
                        vocab.street_address(rng))

    def _lines(self, presale: bool) -> list[tuple[str, int]]:
        rng = self.rng
        if presale:
            return [(f"SKU-{1901 + self.campaigns.index(self._campaign):05d}",
                     rng.choice((1, 1, 1, 2, 3)))]
        roll = rng.random()
        if roll < 0.02:  # lines only different warehouses stock: the order must split
            whs = rng.sample(sorted(self.single), 2)
            return [(rng.choice(self.single[w]), 1) for w in whs]
        count = 1 if roll < 0.6 else 2 if roll < 0.85 else rng.randint(3, 5)
        skus = set(rng.choices(self.spot_skus, cum_weights=self.sku_cum, k=count))
        if rng.random() < 0.002:
            skus.add("SKU-99999")  # a SKU the warehouse does not know
        return [(sku, 1 if rng.random() < 0.8 else rng.randint(2, 3)) for sku in sorted(skus)]

    def draft(self, prices: dict[str, int]) -> OrderDraft:
        rng = self.rng
        if self.last is not None and rng.random() < 0.01:
            return self._mergeable_twin(self.last)
        channel = rng.choices(self.channels, cum_weights=self.channel_cum)[0]
        presale = rng.random() < 0.08
        self._campaign = rng.choice(self.campaigns)
        lines = [LineDraft(sku, qty, prices.get(sku, 9900)) for sku, qty in self._lines(presale)]
        goods = sum(line.price_fen * line.qty for line in lines)
        discount = 0 if rng.random() < 0.7 else min(goods // 10, rng.choice((500, 1000, 2000)))
        paid_at = self.now - timedelta(minutes=rng.randint(1, 60 * 52))
        presale_draft = None
        if presale:
            deposit_at = paid_at - timedelta(days=rng.randint(3, 15))
            balance_at = paid_at if rng.random() < 0.5 else None
            presale_draft = PresaleDraft(self._campaign, deposit_at, balance_at)
        buyer = (BLACKLISTED_BUYER if rng.random() < 0.001
                 else vocab.buyer_nick(rng, channel))
        # Drawn in this order (shop, number, receiver), so a seed gives the orders it always did.
        shop = rng.choice(self.shops[channel])
        channel_order_no = self._channel_order_no(channel)
        receiver, merge_key = self._receiver(), ""
        if self.encrypted_share and rng.random() < self.encrypted_share:
            receiver, merge_key = _encrypted(receiver, channel)
        draft = OrderDraft(
            channel=channel, shop=shop, channel_order_no=channel_order_no, buyer=buyer,
            receiver=receiver, merge_key=merge_key, lines=tuple(lines),
            amount_fen=goods - discount,
            discount_fen=discount, paid_at=paid_at,
            vip_level=rng.choices(range(8), cum_weights=self.vip_cum)[0],
            remark=vocab.buyer_remark(rng) if rng.random() < 0.05 else "",
            promised_ship_by=(paid_at + timedelta(hours=48)) if not presale
            else self.now + timedelta(days=5),
            presale=presale_draft)
        self.last = draft
        return draft

    def _mergeable_twin(self, first: OrderDraft) -> OrderDraft:
        """Same shop, buyer, receiver and address, paid minutes later: a 合单 candidate."""
        rng = self.rng
        self.last = None
        sku = rng.choice(self.spot_skus[:200])
        line = LineDraft(sku, 1, 4990)
        paid = (first.paid_at or self.now) + timedelta(minutes=rng.randint(1, 20))
        return OrderDraft(
            channel=first.channel, shop=first.shop,
            channel_order_no=self._channel_order_no(first.channel), buyer=first.buyer,
            receiver=first.receiver, lines=(line,), amount_fen=line.price_fen, discount_fen=0,
            paid_at=paid, vip_level=first.vip_level, remark="",
            promised_ship_by=paid + timedelta(hours=48), presale=None,
            merge_key=first.merge_key)


def _sealed(kind: str, text: str, mark: str) -> str:
    """A stand-in for a platform's ciphertext of `text`: opaque, stable, printable ASCII."""
    digest = hashlib.sha256(f"{kind}:{text}".encode()).digest() * 2
    return f"{mark}{base64.b64encode(digest).decode()}{mark}"


def _mask(text: str, keep_front: int, keep_back: int = 0) -> str:
    hidden = max(len(text) - keep_front - keep_back, 1)
    return text[:keep_front] + "*" * hidden + (text[-keep_back:] if keep_back else "")


def _encrypted(plain: Receiver, channel: str) -> tuple[Receiver, str]:
    """`plain` as a platform hands it over encrypted: masked name, phone and street, plain
    region; Taobao/Tmall with an OAID, the others with ciphertexts and a merge key."""
    who = f"{plain.name}|{plain.phone}|{plain.province}{plain.city}{plain.district}{plain.address}"
    masked = Receiver(_mask(plain.name, 1), _mask(plain.phone, 3, 4), plain.province,
                      plain.city, plain.district, _mask(plain.address, 3))
    if channel in ("taobao", "tmall"):
        oaid = hashlib.sha256(f"oaid:{who}".encode()).hexdigest()[:32]
        return Receiver(**{f: getattr(masked, f) for f in RECEIVER_FIELDS}, oaid=oaid), ""
    return (Receiver(**{f: getattr(masked, f) for f in RECEIVER_FIELDS},
                     name_cipher=_sealed("name", plain.name, "~"),
                     phone_cipher=_sealed("phone", plain.phone, "$"),
                     address_cipher=_sealed("address", plain.address, "~")),
            hashlib.sha256(f"merge:{channel}:{who}".encode()).hexdigest()[:40])


def _orders(factory: _OrderFactory, prices: dict[str, int], count: int) -> Iterator[OrderDraft]:
    for _ in range(count):
        yield factory.draft(prices)


def order_factory(db: Database, seed: int, now: datetime, encrypted: float = 0.0
                  ) -> tuple[_OrderFactory, dict[str, int]]:
    """A generator of realistic orders for the SKUs and stock in `db` (the demo seeder's
    and the traffic simulator's), with the SKU prices it draws from; `encrypted` of them
    (0–1) with receivers the platform keeps encrypted."""
    regions = RegionTable.default()
    with db.reader() as s:
        prices = dict(s.execute(select(Sku.code, Sku.price_fen)).all())
        where: dict[str, list[str]] = {}
        for sku_code, wh_code in s.execute(
                select(Sku.code, Warehouse.code).join(Stock, Stock.sku_id == Sku.id)
                .join(Warehouse, Warehouse.id == Stock.warehouse_id)):
            where.setdefault(sku_code, []).append(wh_code)
    single: dict[str, list[str]] = {}
    for sku_code, whs in where.items():
        if len(whs) == 1 and sku_code <= "SKU-01900":
            single.setdefault(whs[0], []).append(sku_code)
    if len(single) < 2:
        single = {"HZ": ["SKU-00001"], "GZ": ["SKU-00002"]}
    factory = _OrderFactory(random.Random(seed * 7919 + 1), regions, now, single, seed)
    factory.encrypted_share = encrypted
    return factory, prices


def _seed_floor_history(s: Session, now: datetime) -> None:
    """Eight days of the demo packer's and picker's work up to now, in five-minute slots, so
    the dashboard has a last week to compare with and rates to forecast from: a person packs
    about 55 orders an hour (≈ 500 a shift) and picks about 160 units, round the clock as in
    the weeks before 11.11, slower at night and at the meal breaks."""
    from app.domain.china_time import in_china
    from app.domain.forecast import SLOT, slot_of
    from app.services import work

    rng = random.Random(1111)  # its own: the rest of the demo data stays as it was
    users = dict(s.execute(select(User.code, User.id).where(
        User.code.in_(["packer01", "picker01"]))).all())
    done: list[work.Done] = []
    at = slot_of(now - timedelta(days=8))
    while at + SLOT <= now:
        local = in_china(at)
        pace = 0.4 if local.hour in (12, 0) else 1.0 if 8 <= local.hour < 20 else 0.7
        packed = rng.randint(3, 6) if rng.random() < pace else 0
        done.append(work.Done("pack", users.get("packer01"), at, orders=packed,
                              units=packed + rng.randint(0, packed), seconds=packed * 55.0))
        picked = round(rng.randint(10, 17) * pace)
        done.append(work.Done("pick", users.get("picker01"), at, units=picked,
                              orders=picked // 3))
        at += SLOT
    work.count(s, done)


@guarded(Permission.SEED_DEMO)
def seed(db: Database, actor: Actor, *, orders: int = 5000, seed: int = 20261111,
         now: datetime | None = None) -> SeedReport:
    if orders < 0:
        from app.services.errors import InvalidInput

        raise InvalidInput("--orders must be zero or more", code="demo.bad_count")
    now = (now or datetime.now(UTC)).replace(second=0, microsecond=0)
    report = SeedReport()
    regions = RegionTable.default()
    with db.unit_of_work() as s:
        changes.note(s, Change.WAVES, Change.CAMPAIGNS, Change.RULES, Change.STOCK, Change.USERS)
        if s.scalar(select(func.count()).select_from(Warehouse)) == 0:
            _seed_reference(s, actor, random.Random(seed), regions, now, report)
    factory, prices = order_factory(db, seed, now)
    result = intake.ingest(db, actor, _orders(factory, prices, orders))
    report.orders_created = len(result.created)
    report.orders_skipped = len(result.duplicates)
    with db.reader() as s:
        report.warehouses = s.scalar(select(func.count()).select_from(Warehouse)) or 0
        report.skus = s.scalar(select(func.count()).select_from(Sku)) or 0
    log.info("demo seed: %d orders created, %d skipped", report.orders_created,
             report.orders_skipped)
    return report
