"""The station's own tracking numbers: taken one per box from the block the central database
handed out (`app.services.tracking`), refilled in the background when it runs low. Taking is
one UPDATE … RETURNING in the station store, so a number is never given to two boxes, and a
box asking again gets the number it already has."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.sqlite import insert

from app.services.errors import Conflict
from app.station.link import StationLink
from app.station.models import StationTracking
from app.store.db import Database

LOW = 50
BLOCK = 200


def take(store: Database, carrier: str, box_key: str) -> str:
    """The tracking number of box `box_key` (e.g. "PL2611110000123:1"), taking a fresh one the
    first time."""
    now = datetime.now(UTC)
    with store.unit_of_work() as s:
        have = s.scalar(select(StationTracking.number).where(StationTracking.used_for == box_key))
        if have:
            return have
        first = (select(StationTracking.number)
                 .where(StationTracking.carrier == carrier, StationTracking.used_for.is_(None))
                 .order_by(StationTracking.number).limit(1).scalar_subquery())
        number = s.execute(update(StationTracking).where(StationTracking.number == first)
                           .values(used_for=box_key, used_at=now)
                           .returning(StationTracking.number)).scalar()
    if number is None:
        raise Conflict(f"no {carrier} tracking numbers left at this station; they are "
                       "refilled when the central database is reachable",
                       code="tracking.station_empty", carrier=carrier)
    return number


def free(store: Database, carrier: str) -> int:
    with store.reader() as s:
        return s.scalar(select(func.count()).select_from(StationTracking).where(
            StationTracking.carrier == carrier, StationTracking.used_for.is_(None))) or 0


def add(store: Database, carrier: str, numbers: list[str]) -> int:
    now = datetime.now(UTC)
    with store.unit_of_work() as s:
        s.execute(insert(StationTracking).on_conflict_do_nothing(), [
            {"number": n, "carrier": carrier, "used_for": None, "received_at": now,
             "used_at": None} for n in numbers])
    return len(numbers)


def refill(store: Database, link: StationLink, actor: Any, station: str, carrier: str,
           low: int = LOW, block: int = BLOCK, *, deadline_s: float | None = None) -> int:
    """Top up `carrier`'s numbers when fewer than `low` are left. Returns numbers added. In
    the background the sync round waits for the centre; on the scan path (`deadline_s`) the
    bench waits that long at most (`StationLink.ask`)."""
    if free(store, carrier) >= low:
        return 0

    def allocate(remote: Any) -> list[str]:
        return list(remote.allocate_tracking(actor, station, carrier, block))

    if deadline_s is None:
        return add(store, carrier, link.call(allocate))
    # Handed out centrally even when the answer comes after the deadline: kept then.
    return add(store, carrier, link.ask(allocate, deadline_s,
                                        on_late=lambda late: add(store, carrier, late)))
