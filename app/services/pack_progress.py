"""Taking up at one packing station an order a packer paused at another: the steps the first
station accepted (scans, boxes, weights, labels) are kept centrally when it pauses
(`pack.paused` through its outbox) and handed to the next station that opens the order, which
replays them through the same packing rules and carries on. The physical goods travel with the
tote; the counts travel with the order."""

from __future__ import annotations

from sqlalchemy import select

from app.domain.roles import Permission
from app.services.access import guarded
from app.services.context import Actor
from app.store.db import Database
from app.store.models import Order, PackProgress
from app.sync.contract import PausedProgress


@guarded(Permission.PACK)
def paused(db: Database, actor: Actor, order_no: str) -> PausedProgress | None:
    """The order's paused progress, if a station left it half-way; None otherwise."""
    with db.reader() as s:
        row = s.execute(select(PackProgress, Order.order_no).join(
            Order, Order.id == PackProgress.order_id).where(
            Order.order_no == order_no.strip().upper())).first()
        if row is None:
            return None
        p, no = row
        return PausedProgress(no, p.station, p.session, p.packer, tuple(p.events), p.units,
                              p.paused_at)
