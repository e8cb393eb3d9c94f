"""Every stock change outside the engine's routing: picked units leaving their bin, a short
pick counting a bin down, a put-back, and an order giving back what it holds (its reserved
stock, as the ledger records it, and its presale pool units).

Each writes the stock row and its ledger line together. On PostgreSQL, a connection whose
role may not update `stock` itself (a station's or an office PC's, `app.store.roles`) does it
through the database's stock functions, which check the step against the central state
first; the engine's and the owner's connections, and SQLite, write directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from app.services.context import Actor
from app.store.models import Order, PresalePool, PutbackTask, Stock, StockMovement

_BY_FUNCTION = "packline.stock_by_function"


def by_function(s: Session) -> bool:
    """Whether this session's connection changes stock through the stock functions: on
    PostgreSQL when its role may not update `stock`. Asked once per database connection."""
    conn = s.connection()
    if conn.dialect.name != "postgresql":
        return False
    info = conn.connection.info
    if _BY_FUNCTION not in info:
        info[_BY_FUNCTION] = not conn.exec_driver_sql(
            "SELECT has_table_privilege('stock', 'UPDATE')").scalar()
    return bool(info[_BY_FUNCTION])


def take(s: Session, actor: Actor, wave_id: int, bin_id: int, sku_id: int,
         shares: Sequence[tuple[int, int]], now: datetime) -> None:
    """Picked units leave the bin: on hand and reserved go down together, booked to each
    order of `shares` (order id, units), whose reservation is used up."""
    if by_function(s):
        s.flush()
        for order_id, units in shares:
            s.execute(text("SELECT packline_stock_pick(:wave, :bin, :sku, :order, :units, "
                           ":user)"), {"wave": wave_id, "bin": bin_id, "sku": sku_id,
                                       "order": order_id, "units": units,
                                       "user": actor.user_id})
        return
    for order_id, units in shares:
        s.add(StockMovement(at=now, sku_id=sku_id, bin_id=bin_id, delta_on_hand=-units,
                            delta_reserved=-units, reason="pick", order_id=order_id,
                            wave_id=wave_id, user_id=actor.user_id, note=""))
    total = sum(units for _order, units in shares)
    s.execute(update(Stock).where(Stock.bin_id == bin_id, Stock.sku_id == sku_id)
              .values(on_hand=Stock.on_hand - total, reserved=Stock.reserved - total,
                      updated_at=now))


def count_short(s: Session, actor: Actor, wave_id: int, bin_id: int, sku_id: int,
                missing: int, note: str, now: datetime) -> None:
    """The bin had fewer than the books said: on hand goes down by `missing`, never below
    what other orders hold there (those are counted again by the lead); the ledger says so."""
    if by_function(s):
        s.flush()
        s.execute(text("SELECT packline_stock_short(:wave, :bin, :sku, :missing, :user, "
                       ":note)"), {"wave": wave_id, "bin": bin_id, "sku": sku_id,
                                   "missing": missing, "user": actor.user_id,
                                   "note": note[:200]})
        return
    row = s.scalars(select(Stock).where(Stock.bin_id == bin_id, Stock.sku_id == sku_id)
                    .with_for_update()).first()
    if row is None:
        return
    corrected = max(row.on_hand - missing, row.reserved)
    s.add(StockMovement(at=now, sku_id=sku_id, bin_id=bin_id,
                        delta_on_hand=corrected - row.on_hand, delta_reserved=0,
                        reason="adjust", order_id=None, wave_id=wave_id,
                        user_id=actor.user_id, note=note[:200]))
    row.on_hand, row.updated_at = corrected, now


def put_back(s: Session, actor: Actor, task: PutbackTask, now: datetime) -> bool:
    """The units of an open put-back task are back in their bin, and the task is done.
    False when it was done meanwhile (nothing changes)."""
    if by_function(s):
        s.flush()
        done = bool(s.execute(text("SELECT packline_stock_put_back(:task, :user)"),
                              {"task": task.id, "user": actor.user_id}).scalar())
        s.expire(task)
        return done
    if task.status != "open":
        return False
    s.execute(update(Stock).where(Stock.bin_id == task.bin_id, Stock.sku_id == task.sku_id)
              .values(on_hand=Stock.on_hand + task.qty, updated_at=now))
    s.add(StockMovement(at=now, sku_id=task.sku_id, bin_id=task.bin_id,
                        delta_on_hand=task.qty, delta_reserved=0, reason="putback",
                        order_id=task.order_id, wave_id=task.wave_id,
                        user_id=actor.user_id, note="put back"))
    task.status, task.done_at, task.done_by = "done", now, actor.user_id
    return True


def release_reservations(s: Session, actor: Actor, order: Order, note: str,
                         *, pool: bool = True) -> int:
    """Give back the stock reserved for `order` (the ledger says what is still held) and its
    presale pool units. Call it once the order's new status (one that holds nothing) is set.
    Returns the units of stock released."""
    if by_function(s):
        s.flush()  # the function checks the stored status
        released = int(s.execute(text("SELECT packline_stock_release(:order, :user, :note)"),
                                 {"order": order.id, "user": actor.user_id,
                                  "note": note[:200]}).scalar() or 0)
    else:
        released = _release_directly(s, actor, order, note)
    if pool and order.pool_units and order.campaign_id:
        s.execute(update(PresalePool).where(PresalePool.campaign_id == order.campaign_id)
                  .values(reserved=PresalePool.reserved - order.pool_units))
        order.pool_units = 0
    order.warehouse_id = None
    order.carrier_id = None
    return released


def _release_directly(s: Session, actor: Actor, order: Order, note: str) -> int:
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
    return released
