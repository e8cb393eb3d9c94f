"""The outbox: every write a station makes for the central database is first an event in the
station store (with its own UUID), then pushed in order and in batches. The central side applies
each event once (`app.services.station_events`), so a push that timed out and is repeated
changes nothing the second time."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.orm import Session

from app.station.models import OutboxEvent, new_id
from app.store.db import Database

log = logging.getLogger("packline.outbox")
BATCH = 500
PROBLEMS_SHOWN = 50  # the newest refused events a station shows (a conflict is rare)


def append(session: Session, kind: str, payload: dict[str, Any],
           now: datetime | None = None) -> str:
    """Add an event in the caller's unit of work (it commits with the change it records)."""
    event_id = new_id()
    session.add(OutboxEvent(id=event_id, created_at=now or datetime.now(UTC), kind=kind,
                            payload=payload))
    return event_id


def pending(store: Database) -> int:
    with store.reader() as s:
        return s.scalar(select(func.count()).select_from(OutboxEvent)
                        .where(OutboxEvent.pushed_at.is_(None))) or 0


@dataclass(slots=True)
class PushReport:
    pushed: int = 0
    refused: int = 0
    remaining: int = 0


def push(store: Database, central: Database, station: str, limit: int = 10_000) -> PushReport:
    """Send what is waiting, oldest first, `BATCH` at a time. Raises what the central database
    raised (unreachable: nothing is marked, everything is sent again next time)."""
    from app.services import station_events

    report = PushReport()
    while report.pushed < limit:
        with store.reader() as s:
            batch = list(s.execute(
                select(OutboxEvent.id, OutboxEvent.kind, OutboxEvent.payload,
                       OutboxEvent.created_at)
                .where(OutboxEvent.pushed_at.is_(None)).order_by(OutboxEvent.seq)
                .limit(min(BATCH, limit - report.pushed))).all())
        if not batch:
            break
        outcomes = station_events.apply(central, station, [
            {"id": e.id, "kind": e.kind, "payload": e.payload, "created_at": e.created_at}
            for e in batch])
        now = datetime.now(UTC)
        table = OutboxEvent.__table__
        with store.unit_of_work() as s:
            s.connection().execute(
                table.update().where(table.c.id == bindparam("event_id")).values(
                    pushed_at=now, outcome=bindparam("result"), last_error=bindparam("detail"),
                    attempts=table.c.attempts + 1),
                [{"event_id": e.id, "result": outcomes[e.id][0], "detail": outcomes[e.id][1]}
                 for e in batch])
        for e in batch:
            outcome, detail = outcomes[e.id]
            if outcome != "applied":
                report.refused += 1
                log.warning("central refused %s %s: %s", e.kind, e.id, detail)
        report.pushed += len(batch)
    report.remaining = pending(store)
    return report


def prune(store: Database, keep_days: float = 14.0, now: datetime | None = None) -> int:
    """Forget events the central database applied more than `keep_days` ago (the station's
    own record of its packing stays in its pack sessions). Events waiting, refused or in
    conflict are kept whatever their age. Returns how many were removed."""
    if keep_days <= 0:
        raise ValueError("keep_days must be positive")
    before = (now or datetime.now(UTC)) - timedelta(days=keep_days)
    with store.unit_of_work() as s:
        return s.execute(delete(OutboxEvent).where(
            OutboxEvent.pushed_at.is_not(None), OutboxEvent.pushed_at < before,
            OutboxEvent.outcome == "applied")).rowcount or 0


@dataclass(frozen=True, slots=True)
class Problem:
    """An event the central database did not apply, as the station's people are told it."""

    event_id: str
    kind: str
    order_no: str
    outcome: str  # conflict or refused
    category: str  # for a conflict: the exception category a shift lead resolves
    detail: str
    at: datetime | None

    @classmethod
    def of(cls, event_id: str, kind: str, payload: dict[str, Any], outcome: str, detail: str,
           at: datetime | None) -> Problem:
        category, _sep, rest = detail.partition(": ")
        if outcome != "conflict" or not rest or " " in category:
            category, rest = "", detail
        return cls(event_id, kind, str((payload or {}).get("order_no") or ""), outcome,
                   category, rest, at)


@dataclass(slots=True)
class SyncState:
    """What the station knows about its link to the central database."""

    pending: int = 0  # events waiting to be pushed
    oldest_pending_at: datetime | None = None
    last_pushed_at: datetime | None = None
    refused: int = 0  # events the central database refused or found in conflict
    problems: tuple[Problem, ...] = ()  # the latest of those, newest first

    def lag_seconds(self, now: datetime | None = None) -> float:
        if self.oldest_pending_at is None:
            return 0.0
        oldest = self.oldest_pending_at
        if oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=UTC)
        return max(((now or datetime.now(UTC)) - oldest).total_seconds(), 0.0)


def state(store: Database) -> SyncState:
    with store.reader() as s:
        pending, oldest = s.execute(select(func.count(), func.min(OutboxEvent.created_at))
                                    .where(OutboxEvent.pushed_at.is_(None))).one()
        last = s.scalar(select(func.max(OutboxEvent.pushed_at)))
        not_applied = (OutboxEvent.pushed_at.is_not(None), OutboxEvent.outcome != "applied")
        refused = s.scalar(select(func.count()).select_from(OutboxEvent)
                           .where(*not_applied)) or 0
        problems = tuple(Problem.of(*row) for row in s.execute(
            select(OutboxEvent.id, OutboxEvent.kind, OutboxEvent.payload, OutboxEvent.outcome,
                   OutboxEvent.last_error, OutboxEvent.pushed_at)
            .where(*not_applied).order_by(OutboxEvent.seq.desc()).limit(PROBLEMS_SHOWN)))
    return SyncState(int(pending or 0), oldest, last, int(refused), problems)
