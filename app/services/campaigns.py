"""Presale campaigns as the shift lead watches them: the virtual pool's capacity and use,
the warning when it runs full, and how many orders wait for their balance or are out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from app.domain import presale as presale_rules
from app.domain.roles import Permission
from app.services.access import guarded
from app.services.context import Actor
from app.store.db import Database
from app.store.models import Order, PresaleCampaign, PresalePool, Sku

WARN_AT = 0.9


@dataclass(frozen=True, slots=True)
class CampaignView:
    code: str
    name: str
    sku: str
    kind: str
    price_fen: int
    deposit_fen: int
    deposit_value_fen: int
    balance_reduction_fen: int
    tiers: tuple[presale_rules.Tier, ...]
    capacity: int
    reserved: int
    ship_by: datetime
    warned: bool
    orders_by_status: dict[str, int]
    stock_mode: str = "pool"  # pool: the virtual pool; real: real stock reserved (预占)

    @property
    def used(self) -> float:
        return self.reserved / self.capacity if self.capacity else 1.0

    @property
    def warning(self) -> bool:
        return self.warned or self.used >= WARN_AT

    def price_for(self, qty: int) -> presale_rules.PresalePrice:
        return presale_rules.price(presale_rules.CampaignTerms(
            kind=self.kind, price_fen=self.price_fen, deposit_fen=self.deposit_fen,
            deposit_value_fen=self.deposit_value_fen,
            balance_reduction_fen=self.balance_reduction_fen, tiers=self.tiers), qty)


@guarded(Permission.VIEW_ORDERS)
def overview(db: Database, actor: Actor) -> list[CampaignView]:
    with db.reader() as s:
        by_status: dict[int, dict[str, int]] = {}
        for cid, status, n in s.execute(
                select(Order.campaign_id, Order.status, func.count())
                .where(Order.campaign_id.is_not(None))
                .group_by(Order.campaign_id, Order.status)):
            assert cid is not None  # the query leaves orders of no campaign out
            by_status.setdefault(cid, {})[status] = n
        rows = s.execute(select(PresaleCampaign, PresalePool, Sku.code)
                         .join(Sku, Sku.id == PresaleCampaign.sku_id)
                         .outerjoin(PresalePool, PresalePool.campaign_id == PresaleCampaign.id)
                         .order_by(PresaleCampaign.code))
        return [CampaignView(
            code=c.code, name=c.name, sku=sku, kind=c.kind, price_fen=c.price_fen,
            deposit_fen=c.deposit_fen, deposit_value_fen=c.deposit_value_fen,
            balance_reduction_fen=c.balance_reduction_fen,
            tiers=tuple(presale_rules.Tier(int(t["min_qty"]), int(t["reduction_fen"]))
                        for t in (c.tiers or [])),
            capacity=pool.capacity if pool else 0, reserved=pool.reserved if pool else 0,
            ship_by=c.ship_by, warned=c.warned_at is not None,
            orders_by_status=by_status.get(c.id, {}), stock_mode=c.stock_mode)
            for c, pool, sku in rows]
