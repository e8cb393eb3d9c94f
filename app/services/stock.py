"""Giving back what an order holds: its reserved stock (as the ledger records it) and its
presale pool units, whenever the order stops being on its way to a picker."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.services.context import Actor
from app.store.models import Order, PresalePool, Stock, StockMovement


def release_reservations(s: Session, actor: Actor, order: Order, note: str,
                         *, pool: bool = True) -> int:
    """Give back the stock reserved for `order` (the ledger says what is still held) and its
    presale pool units. Returns the units of stock released."""
    held = list(s.execute(
        select(StockMovement.sku_id, StockMovement.bin_id,
               func.sum(StockMovement.delta_reserved))
        .where(StockMovement.order_id == order.id,
               # A pick uses the reservation up: what was picked is not released again.
               StockMovement.reason.in_(["reserve", "release", "pick"]))
        .group_by(StockMovement.sku_id, StockMovement.bin_id)))
    released = 0
    now = datetime.now(UTC)
    for sku_id, bin_id, units in held:
        if not units:
            continue
        s.execute(update(Stock).where(Stock.sku_id == sku_id, Stock.bin_id == bin_id)
                  .values(reserved=Stock.reserved - units, updated_at=now))
        s.add(StockMovement(at=now, sku_id=sku_id, bin_id=bin_id, delta_on_hand=0,
                            delta_reserved=-units, reason="release", order_id=order.id,
                            user_id=actor.user_id, note=note))
        released += units
    if pool and order.pool_units and order.campaign_id:
        s.execute(update(PresalePool).where(PresalePool.campaign_id == order.campaign_id)
                  .values(reserved=PresalePool.reserved - order.pool_units))
        order.pool_units = 0
    order.warehouse_id = None
    order.carrier_id = None
    return released
