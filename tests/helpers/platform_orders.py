"""Picked orders of a shop connected to the fake Taobao gateway (Cainiao e-waybills), seeded
on the fake as the platform's own trades: shared by the waybill and shipment tests."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app.services import shops
from app.services.context import system_actor
from app.store.db import Database
from app.store.models import Order, OrderLine, Shop
from tests.helpers.fake_platform import APP_KEY, FakePlatform
from tests.helpers.packing import picked_orders

SHOP = "TB1"
ADMIN = system_actor()
STATION_PRINTERS = """
[printer:cn]
url = {url}
language = cainiao
paper = 76x130

[printers]
waybill_cainiao = cn
"""


def connect_shop(db: Database, fake: FakePlatform, order_no: str, *, code: str = SHOP,
                 providers: dict[str, str] | None = None, confirm_on: str = "handover") -> None:
    """The order's shop set up for the fake gateway: Cainiao waybills for every carrier."""
    with db.reader() as s:
        channel, name = s.execute(select(Shop.channel, Shop.name).join(
            Order, Order.shop_id == Shop.id).where(Order.order_no == order_no)).one()
    shops.set_shop(db, ADMIN, code, channel=channel, name=name, api_url=fake.url,
                   app_key=APP_KEY, waybill_providers=providers or {"*": "cainiao"},
                   confirm_on=confirm_on)


def seed_on_fake(db: Database, fake: FakePlatform, order_no: str) -> str:
    """The order as a trade of the fake platform (its channel order number): returned."""
    with db.reader() as s:
        number = s.scalar(select(Order.channel_order_no).where(Order.order_no == order_no))
        lines = [(code, qty, "59.00") for code, qty in s.execute(
            select(OrderLine.sku_code, OrderLine.qty).join(Order).where(
                Order.order_no == order_no))]
    assert number
    fake.add_order(number, lines=lines)
    return str(number)


def platform_orders(db: Database, fake: FakePlatform, wanted: int = 1, *,
                    confirm_on: str = "handover") -> list[str]:
    """`wanted` picked orders of one Taobao/Tmall shop, connected to the fake and seeded
    there."""
    picked = picked_orders(db, 40)
    with db.reader() as s:
        rows = s.execute(select(Order.order_no, Order.shop_id).where(
            Order.order_no.in_(picked), Order.channel.in_(["taobao", "tmall"]),
            Order.merged_into_id.is_(None), Order.parent_id.is_(None))
            .order_by(Order.id)).all()
    by_shop: dict[int, list[str]] = {}
    for no, shop_id in rows:
        by_shop.setdefault(shop_id, []).append(no)
    chosen = max(by_shop.values(), key=len)[:wanted]
    assert len(chosen) == wanted, "not enough picked Taobao orders of one shop"
    connect_shop(db, fake, chosen[0], confirm_on=confirm_on)
    for no in chosen:
        seed_on_fake(db, fake, no)
    return chosen


def station_ini(component_url: str) -> str:
    return STATION_PRINTERS.format(url=component_url)


def home(tmp: Path) -> Path:
    return tmp / "home"
