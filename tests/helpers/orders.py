"""Order records and files for intake tests, in the documented import format."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain import intake as parse
from app.store.db import Database
from app.store.models import AuditEntry, Order, OrderLine, OrderPayment, Sku, Stock

# The moment the engine tests run the engine at (raised exceptions age from it).
ENGINE_NOW = datetime(2026, 11, 11, 12, 0, tzinfo=UTC)


def order_record(channel_order_no: str, *, channel: str = "taobao", sku: str = "SKU-00001",
                 qty: int = 2, price: str = "59.00", **changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "channel": channel, "shop": "天猫旗舰店", "channel_order_no": channel_order_no,
        "buyer": "tb_buyer_01",
        "receiver": {"name": "张三", "phone": "13800138000", "province": "浙江省",
                     "city": "杭州市", "district": "西湖区", "address": "文三路90号"},
        "lines": [{"sku": sku, "qty": qty, "price": price}],
        "amount": None, "discount": "0.00", "paid_at": "2026-11-11T00:00:12+08:00",
        "vip_level": 0, "remark": "", "promised_ship_by": "2026-11-13T23:59:59+08:00",
        "presale": None,
    }
    record.update(changes)
    return record


def write_jsonl(path: Path, rows: Iterable[dict[str, Any] | str]) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def drafts(*records: dict[str, Any]) -> list[parse.OrderDraft]:
    result = parse.parse_jsonl(json.dumps(r, ensure_ascii=False) for r in records)
    assert result.errors == [], result.errors
    return result.drafts


def table_counts(s: Session) -> dict[str, int]:
    """Rows in the tables an intake or a status change writes."""
    return {model.__tablename__: s.scalar(select(func.count()).select_from(model)) or 0
            for model in (Order, OrderLine, OrderPayment, AuditEntry)}


def sku_in_every_warehouse(db: Database) -> str:
    """A parcel-sized demo SKU stocked in all three warehouses, so routing is a free choice."""
    with db.reader() as s:
        code = s.scalars(
            select(Sku.code).join(Stock, Stock.sku_id == Sku.id)
            .where(Stock.on_hand > 50, Sku.bulky.is_(False), Sku.code < "SKU-01900")
            .group_by(Sku.code).having(func.count(func.distinct(Stock.warehouse_id)) == 3)
            .order_by(Sku.code)).first()
    assert code is not None
    return code
