"""Tracking numbers handed to a station in advance, a block per carrier, so its labels print
while the network is down. A number leaves the central pool once (row locks with SKIP LOCKED),
belongs to that station, and is marked used when the packed order reaches the central database.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, update

from app.domain.roles import Permission
from app.services import audit
from app.services.access import guarded
from app.services.context import Actor
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.stations import station_row
from app.store import bulk
from app.store.db import Database
from app.store.models import Carrier, TrackingNumber


@guarded(Permission.PACK)
def allocate_block(db: Database, actor: Actor, station: str, carrier: str,
                   count: int) -> list[str]:
    """`count` free numbers of `carrier` for `station`; fewer when the pool runs low."""
    if count < 1 or count > 10_000:
        raise InvalidInput("a block is 1 to 10,000 numbers", code="tracking.bad_block")
    now = datetime.now(UTC)
    with db.unit_of_work() as s:
        carrier_id = s.scalar(select(Carrier.id).where(Carrier.code == carrier.upper()))
        if carrier_id is None:
            raise NotFound(f"no carrier {carrier}", code="tracking.no_carrier", carrier=carrier)
        station_id = station_row(s, station).id
        query = (select(TrackingNumber.id, TrackingNumber.number)
                 .where(TrackingNumber.carrier_id == carrier_id,
                        TrackingNumber.status == "free")
                 .order_by(TrackingNumber.id).limit(count))
        if s.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows = s.execute(query).all()
        if not rows:
            raise Conflict(f"the {carrier} pool of tracking numbers is empty",
                           code="tracking.pool_empty", carrier=carrier)
        s.execute(update(TrackingNumber).where(
            bulk.matching(s, TrackingNumber.id, [r.id for r in rows])).values(
            status="allocated", station_id=station_id, allocated_at=now))
        audit.record(s, actor, "tracking.allocated", "station", station, None, None,
                     {"carrier": carrier.upper(), "count": len(rows),
                      "first": rows[0].number, "last": rows[-1].number})
        return [r.number for r in rows]
