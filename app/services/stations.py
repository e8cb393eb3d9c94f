"""Stations as the central database sees them: each reports its link after every push (events
waiting in its outbox, how old the oldest is, refused ones), so the dashboard shows which
station is offline or behind without asking it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.roles import Permission
from app.services.access import guarded
from app.services.context import Actor
from app.services.errors import InvalidInput
from app.store.db import Database
from app.store.models import Station, Warehouse

# A station pushes every few seconds while it can; silent for longer than this, it is offline.
ONLINE_WITHIN = timedelta(seconds=30)


def station_row(s: Session, code: str) -> Station:
    """The station called `code`, created on first contact (a station IT set up that the
    central database does not know yet)."""
    station = s.scalars(select(Station).where(Station.code == code)).first()
    if station is None:
        station = Station(code=code, name=code, kind="packing")
        s.add(station)
        s.flush()
    return station


def report(db: Database, code: str, pending: int, lag_seconds: float, refused: int,
           pushed_at: datetime | None, app_version: str = "",
           printers: list[dict[str, Any]] | None = None) -> None:
    """What a station says about its link (and its printers, when it says), after a push
    that reached the central database."""
    if not code or pending < 0 or refused < 0 or lag_seconds < 0:
        raise InvalidInput("a station report needs its code and counts that are not negative",
                           code="station.bad_report")
    with db.unit_of_work() as s:
        station = station_row(s, code)
        station.last_seen_at = datetime.now(UTC)
        station.outbox_pending, station.outbox_lag_s = pending, round(lag_seconds, 1)
        station.outbox_refused = refused
        if pushed_at is not None:
            station.last_push_at = pushed_at
        if app_version:
            station.app_version = app_version[:32]
        if printers is not None:
            station.printers = [
                {"role": str(p.get("role") or "")[:16], "name": str(p.get("name") or "")[:64],
                 "state": str(p.get("state") or "unknown")[:16],
                 "waiting": max(int(p.get("waiting") or 0), 0),
                 "failed": max(int(p.get("failed") or 0), 0)} for p in printers[:20]]


@dataclass(frozen=True, slots=True)
class StationLink:
    code: str
    name: str
    warehouse: str | None
    kind: str
    online: bool
    last_seen_at: datetime | None
    outbox_pending: int
    outbox_lag_s: float
    outbox_refused: int
    last_push_at: datetime | None
    app_version: str


@guarded(Permission.VIEW_ORDERS)
def overview(db: Database, actor: Actor, now: datetime | None = None) -> list[StationLink]:
    """Every station's link as last reported, for the shift lead's dashboard and IT."""
    now = now or datetime.now(UTC)
    with db.reader() as s:
        rows = s.execute(select(Station, Warehouse.code)
                         .outerjoin(Warehouse, Warehouse.id == Station.warehouse_id)
                         .order_by(Station.code)).all()
        return [StationLink(st.code, st.name, wh, st.kind,
                            st.last_seen_at is not None and now - st.last_seen_at
                            <= ONLINE_WITHIN,
                            st.last_seen_at, st.outbox_pending, st.outbox_lag_s,
                            st.outbox_refused, st.last_push_at, st.app_version)
                for st, wh in rows]
