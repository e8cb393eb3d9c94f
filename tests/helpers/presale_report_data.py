"""A small presale campaign whose demand report is known to the order and the unit: written
straight to the database (orders, lines, payments), so the report's figures can be checked
exactly. Used by the service, command line, screen and journey tests."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.store.models import Order, OrderLine, OrderPayment, PresaleCampaign, PresalePool, Shop, Sku

CODE = "PS-REPORT"
NAME = "报表预售 · 测试卫衣"
SKUS = (("SKU-RPT-A", "测试卫衣", "红色 M"), ("SKU-RPT-B", "测试卫衣", "蓝色 L"),
        ("SKU-RPT-C", "测试卫衣 加绒", "红色 M"))


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


# (province, lines {sku: qty}, deposit (paid_at, status, fen), balance (paid_at, fen) or None,
#  status, intercept). Times are UTC: 11-01 15:59 is 23:59 in China, 16:00 the next China day.
ORDERS = (
    ("广东省", {"SKU-RPT-A": 2}, (_at(1, 15, 59), "paid", 1000), (_at(10, 2), 5000),
     "split", None),
    ("广东省", {"SKU-RPT-A": 1, "SKU-RPT-C": 1, "SKU-RPT-B": 1}, (_at(1, 16), "paid", 1500),
     None, "awaiting_balance", "refund_requested"),
    ("浙江省", {"SKU-RPT-C": 3}, (_at(2, 3), "paid", 1500), (_at(10, 5), 7000), "split", None),
    ("浙江省", {"SKU-RPT-A": 1}, (_at(3, 1), "refunded", 500), None, "cancelled", None),
    ("北京市", {"SKU-RPT-B": 1}, (None, "pending", 0), None, "awaiting_balance", None),
    ("北京市", {"SKU-RPT-A": 1}, (_at(4, 1), "paid", 500), (_at(10, 6), 2500), "merged", None),
)


def seed(s: Session) -> dict[str, int]:
    """The campaign, its SKUs and orders (plus a merge's combined order and two splits'
    parts, which the report must not count again). Returns order index → order id.

    Order 1 was split in two parts, both stopped by the buyer's refund request; order 3 in
    two parts the channel cancelled (one before its wave: cancelled; one in a wave:
    intercepted). The parents keep the payments and the lines, status `split`: each is
    refunded or cancelled once, through its parts. The campaign's SKU is SKU-RPT-A: order 2
    (A, B and C, one each) has 1 unit of it, order 3 (C only) none."""
    now = datetime.now(UTC)
    sku_ids = {}
    for code, name, spec in SKUS:
        sku = Sku(code=code, name=name, spec=spec, weight_g=500, price_fen=19900)
        s.add(sku)
        s.flush()
        sku_ids[code] = sku.id
    campaign = PresaleCampaign(
        code=CODE, name=NAME, sku_id=sku_ids["SKU-RPT-A"], kind="deposit", price_fen=19900,
        deposit_fen=1000, deposit_value_fen=2000, starts_at=_at(1, 0), ends_at=_at(9, 0),
        balance_starts_at=_at(10, 0), balance_ends_at=_at(11, 0), ship_by=_at(15, 0),
        supplier_daily_capacity=100, capacity_days=5, safety_ratio=0.8, stock_mode="real")
    s.add(campaign)
    s.flush()
    s.add(PresalePool(campaign_id=campaign.id, capacity=400, reserved=0))
    shop = s.scalars(select(Shop).order_by(Shop.id)).first()
    assert shop is not None
    ids: dict[str, int] = {}

    def order(n: str, province: str, lines: dict[str, int], status: str,
              intercept: str | None) -> Order:
        units = sum(lines.values())
        o = Order(order_no=f"RPT{n}", channel=shop.channel, shop_id=shop.id,
                  channel_order_no=f"RPT-{n}", receiver_name="张三", receiver_phone="13800000000",
                  province=province, city="市", district="区", address="路1号",
                  goods_fen=19900 * units, amount_fen=19900 * units, line_count=len(lines),
                  unit_count=units, is_presale=True, campaign_id=campaign.id, status=status,
                  intercept=intercept, created_at=now, updated_at=now, status_changed_at=now)
        s.add(o)
        s.flush()
        for i, (sku, qty) in enumerate(lines.items(), 1):
            s.add(OrderLine(order_id=o.id, line_no=i, sku_code=sku, sku_id=sku_ids[sku],
                            qty=qty, price_fen=19900, is_presale=True))
        ids[n] = o.id
        return o

    for i, (province, lines, deposit, balance, status, intercept) in enumerate(ORDERS, 1):
        o = order(str(i), province, lines, status, intercept)
        paid_at, pay_status, fen = deposit
        s.add(OrderPayment(order_id=o.id, kind="deposit", amount_fen=fen, status=pay_status,
                           paid_at=paid_at))
        s.add(OrderPayment(order_id=o.id, kind="balance", amount_fen=balance[1] if balance else 0,
                           status="paid" if balance else "pending",
                           paid_at=balance[0] if balance else None))
    # Order 6 was merged into a combined order (which has payments of its own, at the
    # merge's time), orders 1 and 3 split into parts (which have none): none is counted
    # again.
    combined = order("M", "北京市", {"SKU-RPT-A": 1}, "routed", None)
    for kind, fen in (("deposit", 500), ("balance", 2500)):
        s.add(OrderPayment(order_id=combined.id, kind=kind, amount_fen=fen, status="paid",
                           paid_at=_at(10, 7)))
    s.flush()
    s.get(Order, ids["6"]).merged_into_id = combined.id  # type: ignore[union-attr]
    for n, parent, lines, status, intercept in (
            ("P1", "1", {"SKU-RPT-A": 1}, "on_hold", "refund_requested"),
            ("P2", "1", {"SKU-RPT-A": 1}, "on_hold", "refund_requested"),
            ("S1", "3", {"SKU-RPT-C": 2}, "cancelled", None),
            ("S2", "3", {"SKU-RPT-C": 1}, "in_wave", "cancelled")):
        part = order(n, "广东省" if parent == "1" else "浙江省", lines, status, intercept)
        part.parent_id = ids[parent]
    s.flush()
    return ids
