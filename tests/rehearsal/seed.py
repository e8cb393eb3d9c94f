"""The rehearsal's warehouse on the morning of 11.11: the demo reference data (warehouses,
bins, SKUs, carriers, rules, campaigns) seeded through `app.services.demo`, then shaped like the
peak: a few 爆款 SKUs that most orders carry and whose stock covers about half of what the
run's orders ask for, warehouses whose daily capacity the run really reaches, carriers' waybill
pools deep enough for the day, and the people of the floor (a picker and a packer for each
station) created through the users service, as an admin does.

Orders for `packline orders import` are written here too, in the documented JSON Lines format,
drawn from the simulator's own order factory and shaped the same way.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from app.domain.intake import OrderDraft
from app.domain.roles import Role
from app.services import auth, demo
from app.services.context import system_actor
from app.store import migrate
from app.store.db import Database, make_engine

# The 爆款: the simulator's five most popular SKUs (its demand falls off from SKU-00001).
HOT_SKUS = ("SKU-00001", "SKU-00002", "SKU-00003", "SKU-00004", "SKU-00005")
HOT_WEIGHTS = (35, 25, 18, 12, 10)
HOT_SHARE = 0.8  # of imported (non-presale) orders carry one of them
# Of the units the run's orders ask for of each 爆款, the warehouses hold about this share.
HOT_STOCK_SHARE = 0.5
# The share of the run's orders each warehouse may take in a day: Hangzhou fills up first.
CAPACITY_SHARE = {"HZ": 0.35, "GZ": 0.6, "BJ": 0.6}
TRACKING_TOP_UP = 20_000  # more waybill numbers per carrier than the demo's 2,000
PASSWORD = "rehearsal-11.11"  # every person of the rehearsal's floor


@dataclass(frozen=True, slots=True)
class Person:
    code: str
    role: Role


def people(stations: list[tuple[str, str, str]]) -> list[Person]:
    """One person per station (code, kind, warehouse): a picker at a picking station, a
    packer at a packing one."""
    return [Person(f"{'pk' if kind == 'picker' else 'pa'}-{code.lower()}",
                   Role.PICKER if kind == "picker" else Role.PACKER)
            for code, kind, _wh in stations]


def prepare(url: str, *, seed: int, expected_orders: int, hot_orders: int,
            stations: list[tuple[str, str, str]]) -> dict[str, Any]:
    """Migrate the scratch database and lay out the peak for a run of about
    `expected_orders`, `hot_orders` of them carrying a 爆款: returns what was set."""
    engine = make_engine(url)
    migrate.upgrade(engine)
    db = Database(engine)
    actor = system_actor("rehearsal")
    demo.seed(db, actor, orders=0, seed=seed)
    expected_hot_units = hot_orders * 1.1  # a few orders hold two units
    with engine.begin() as conn:
        # Stock of the 爆款 for about half of what is asked, spread over the warehouses that
        # stock them; their other bins emptied, so the scarce units are the only ones.
        per_sku = {sku: int(expected_hot_units * w / sum(HOT_WEIGHTS) * HOT_STOCK_SHARE)
                   for sku, w in zip(HOT_SKUS, HOT_WEIGHTS, strict=True)}
        rows = conn.execute(sa.text(
            "SELECT st.id, s.code FROM stock st JOIN skus s ON s.id = st.sku_id "
            "WHERE s.code = ANY(:codes) ORDER BY st.id"), {"codes": list(HOT_SKUS)}).all()
        by_sku: dict[str, list[int]] = {}
        for stock_id, code in rows:
            by_sku.setdefault(code, []).append(stock_id)
        for code, ids in by_sku.items():
            share = max(per_sku[code] // len(ids), 1)
            for stock_id in ids:
                conn.execute(sa.text(
                    "WITH old AS (SELECT on_hand, sku_id, bin_id FROM stock WHERE id = :id) "
                    "INSERT INTO stock_movements (at, sku_id, bin_id, delta_on_hand, "
                    "delta_reserved, reason, note) SELECT now(), sku_id, bin_id, "
                    ":qty - on_hand, 0, 'adjust', '11.11 rehearsal: 爆款 stock' FROM old"),
                    {"id": stock_id, "qty": share})
                conn.execute(sa.text("UPDATE stock SET on_hand = :qty WHERE id = :id"),
                             {"id": stock_id, "qty": share})
        capacity = {wh: max(int(expected_orders * share), 50)
                    for wh, share in CAPACITY_SHARE.items()}
        for wh, cap in capacity.items():
            conn.execute(sa.text("UPDATE warehouses SET daily_capacity = :c WHERE code = :w"),
                         {"c": cap, "w": wh})
        conn.execute(sa.text(
            "INSERT INTO tracking_numbers (carrier_id, number, status) "
            "SELECT c.id, c.code || 'R' || lpad(g::text, 9, '0'), 'free' "
            "FROM carriers c CROSS JOIN generate_series(1, :n) g"), {"n": TRACKING_TOP_UP})
    admin = auth.login_password(db, "admin", "admin123", "rehearsal")
    with db.reader() as s:
        warehouses = dict(s.execute(sa.text("SELECT code, id FROM warehouses")).all())
    for (_code, _kind, wh), person in zip(stations, people(stations), strict=True):
        auth.create_user(db, admin, auth.NewUser(
            code=person.code, name=person.code, role=person.role, password=PASSWORD,
            warehouse_id=warehouses.get(wh)))
    engine.dispose()
    return {"hot_stock": per_sku, "capacity": capacity,
            "tracking_per_carrier": demo.TRACKING_PER_CARRIER + TRACKING_TOP_UP}


# ------------------------------------------------------------------ order files


def _yuan(fen: int) -> str:
    return f"{fen / 100:.2f}"


def _when(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment is not None else None


def peak_shaped(draft: OrderDraft, rng: random.Random, prices: dict[str, int]
                ) -> dict[str, Any]:
    """`draft` as a line of an order file, most orders carrying a 爆款 (presale orders keep
    their campaign SKU alone)."""
    lines = [{"sku": ln.sku, "qty": ln.qty, "price": _yuan(ln.price_fen)} for ln in draft.lines]
    if draft.presale is None and rng.random() < HOT_SHARE:
        hot = rng.choices(HOT_SKUS, weights=HOT_WEIGHTS)[0]
        lines = [ln for ln in lines if ln["sku"] != hot]
        lines.insert(0, {"sku": hot, "qty": 1 if rng.random() < 0.9 else 2,
                         "price": _yuan(prices.get(hot, 9900))})
    goods = sum(int(round(float(ln["price"]) * 100)) * int(ln["qty"]) for ln in lines)
    r = draft.receiver
    return {
        "channel": draft.channel, "shop": draft.shop, "channel_order_no": draft.channel_order_no,
        "buyer": draft.buyer,
        "receiver": {"name": r.name, "phone": r.phone, "province": r.province, "city": r.city,
                     "district": r.district, "address": r.address},
        "lines": lines, "amount": None, "discount": _yuan(min(draft.discount_fen, goods)),
        "paid_at": _when(draft.paid_at), "vip_level": draft.vip_level, "remark": draft.remark,
        "promised_ship_by": _when(draft.promised_ship_by),
        "presale": None if draft.presale is None else {
            "campaign": draft.presale.campaign,
            "deposit_paid_at": _when(draft.presale.deposit_paid_at),
            "balance_paid_at": _when(draft.presale.balance_paid_at)},
    }


class OrderFiles:
    """Peak-shaped order files from the simulator's factory, each with new orders."""

    def __init__(self, url: str, seed: int, folder: Path) -> None:
        db = Database.from_url(url)
        try:
            # A seed of its own: the simulator's orders never collide with the files'.
            self.factory, self.prices = demo.order_factory(db, 500_000 + seed,
                                                           datetime.now(UTC))
        finally:
            db.dispose()
        self.rng = random.Random(seed)
        self.folder = folder
        self.files = 0

    def write(self, count: int) -> Path:
        self.files += 1
        path = self.folder / f"orders-{self.files:04d}.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for _ in range(count):
                record = peak_shaped(self.factory.draft(self.prices), self.rng, self.prices)
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        return path
