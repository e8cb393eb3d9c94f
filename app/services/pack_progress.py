"""Taking up at one packing station an order a packer paused at another: the steps the first
station accepted (scans, boxes, weights, labels) are kept centrally when it pauses
(`pack.paused` through its outbox) and handed to the next station that opens the order, which
replays them through the same packing rules and carries on. The physical goods travel with the
tote; the counts travel with the order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from app.domain.roles import Permission
from app.services.access import guarded
from app.services.context import Actor
from app.store.db import Database
from app.store.models import Order, PackProgress


@dataclass(frozen=True, slots=True)
class Paused:
    order_no: str
    station: str
    session: str
    packer: str
    events: list[dict[str, Any]]
    units: int
    paused_at: datetime


@guarded(Permission.PACK)
def paused(db: Database, actor: Actor, order_no: str) -> Paused | None:
    """The order's paused progress, if a station left it half-way; None otherwise."""
    with db.reader() as s:
        row = s.execute(select(PackProgress, Order.order_no).join(
            Order, Order.id == PackProgress.order_id).where(
            Order.order_no == order_no.strip().upper())).first()
        if row is None:
            return None
        p, no = row
        return Paused(no, p.station, p.session, p.packer, list(p.events), p.units, p.paused_at)
