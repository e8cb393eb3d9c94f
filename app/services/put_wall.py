"""The put wall (播种墙): a multi-item wave, picked in bulk, is sorted unit by unit into one
slot per order; the screen shows the slot, large. An order is picked when its slot is
complete, and the wave is done when every slot is.

The wall's rule (which slot takes a unit) is the pure `app.domain.put_wall`; this module loads
the wall from what the orders still need and writes each put.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.put_wall import PutWall
from app.domain.roles import Permission
from app.domain.status import OrderStatus
from app.services import audit, changes
from app.services.access import guarded
from app.services.changes import Change
from app.services.context import Actor
from app.services.errors import ScanRefused
from app.services.orders import set_status
from app.services.wave_common import PUT_WALL, count_into_order, find_wave, sku_for
from app.store.db import Database
from app.store.models import Order, OrderLine, Wave, WaveOrder

S = OrderStatus


@dataclass(frozen=True, slots=True)
class Put:
    slot: int
    order_no: str
    slot_complete: bool
    remaining: int  # units the slot still needs


def _put_wall(s: Session, wave: Wave) -> tuple[PutWall, dict[int, int], dict[int, str]]:
    members = s.execute(select(WaveOrder.order_id, WaveOrder.cell, Order.order_no)
                        .join(Order, Order.id == WaveOrder.order_id)
                        .where(WaveOrder.wave_id == wave.id, WaveOrder.removed_at.is_(None))
                        ).all()
    slot_of = {m.order_id: m.cell or n for n, m in enumerate(members, 1)}
    need: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for line in s.execute(select(OrderLine.order_id, OrderLine.sku_id, OrderLine.qty,
                                 OrderLine.picked_qty)
                          .where(OrderLine.order_id.in_(list(slot_of)))):
        if line.qty > line.picked_qty and line.sku_id is not None:
            need[slot_of[line.order_id]][line.sku_id] += line.qty - line.picked_qty
    wall = PutWall({slot: dict(skus) for slot, skus in need.items()})
    return wall, {v: k for k, v in slot_of.items()}, {m.order_id: m.order_no for m in members}


@guarded(Permission.PICK)
def put(db: Database, actor: Actor, wave_no: str, scanned: str) -> Put:
    """Sort one picked unit into its order's slot: the screen shows the slot, large."""
    with db.unit_of_work() as s:
        changes.note(s, Change.PICKING, Change.WAVES, Change.ORDERS)
        wave = find_wave(s, wave_no, lock=True)
        if wave.strategy not in PUT_WALL or wave.status != "picked":
            raise ScanRefused(f"{wave.wave_no} is not waiting at the put wall", "state",
                              code="putwall.not_waiting", wave_no=wave.wave_no)
        found = sku_for(s, scanned)
        if found is None:
            raise ScanRefused("not an item of this wave", "wrong_item", code="putwall.not_in_wave")
        wall, order_of_slot, order_nos = _put_wall(s, wave)
        slot = wall.place(found[0])
        if slot is None:
            raise ScanRefused("no slot needs this item: put it aside for the shift lead",
                              "extra", code="putwall.no_slot")
        wall.put(slot, found[0])
        order_id = order_of_slot[slot]
        count_into_order(s, order_id, found[0], 1)
        changes.note(s, Change.PICKING)
        complete = wall.complete(slot)
        if complete:
            order = s.get(Order, order_id, with_for_update=True)
            assert order is not None
            set_status(s, actor, order, S.PICKED, detail={"wave": wave.wave_no, "slot": slot})
        if not any(wall.remaining(sl) for sl in wall.slots):
            wave.status = "done"
            audit.record(s, actor, "wave.sorted", "wave", wave.wave_no, "picked", "done")
        return Put(slot, order_nos[order_id], complete, sum(wall.remaining(slot).values()))
