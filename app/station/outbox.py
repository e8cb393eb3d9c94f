"""The outbox: every write a station makes for the central database is first an event in the
station store (with its own UUID), then pushed in order and in batches. The central side applies
each event once (through the link, `app.sync.contract`), so a push that timed out and is
repeated changes nothing the second time. Every event is one of the contract's typed messages;
the centre's answer to each is an `Outcome`, kept in its parts."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Table, bindparam, delete, func, select
from sqlalchemy.orm import Session

from app.station.models import OutboxEvent, new_id
from app.store.db import Database
from app.sync.contract import CentralLink, Envelope, Outcome, StationEvent, event_from_payload

log = logging.getLogger("packline.outbox")
BATCH = 500
PROBLEMS_SHOWN = 50  # the newest refused events a station shows (a conflict is rare)


def append(session: Session, event: StationEvent, now: datetime | None = None) -> str:
    """Add an event in the caller's unit of work (it commits with the change it records)."""
    event_id = new_id()
    session.add(OutboxEvent(id=event_id, created_at=now or datetime.now(UTC), kind=event.KIND,
                            payload=event.to_payload()))
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


def push(store: Database, link: CentralLink, station: str, limit: int = 10_000) -> PushReport:
    """Send what is waiting, oldest first, `BATCH` at a time. Raises what the link raised
    (`LinkDown`: nothing is marked, everything is sent again next time). A row that makes no
    event of the contract (written by a damaged store) is refused here, in words, and never
    sent."""
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
        outcomes: dict[str, Outcome] = {}
        envelopes: list[Envelope] = []
        for e in batch:
            try:
                envelopes.append(Envelope(e.id, e.created_at,
                                          event_from_payload(e.kind, e.payload or {})))
            except ValueError as exc:
                outcomes[e.id] = Outcome("refused", "", str(exc))
        if envelopes:
            outcomes.update(link.apply(station, envelopes))
        now = datetime.now(UTC)
        table = cast(Table, OutboxEvent.__table__)
        with store.unit_of_work() as s:
            s.connection().execute(
                table.update().where(table.c.id == bindparam("event_id")).values(
                    pushed_at=now, outcome=bindparam("result"), category=bindparam("cat"),
                    last_error=bindparam("detail"), attempts=table.c.attempts + 1),
                [{"event_id": e.id, "result": outcomes[e.id].kind,
                  "cat": outcomes[e.id].category, "detail": outcomes[e.id].detail}
                 for e in batch])
        for e in batch:
            outcome = outcomes[e.id]
            if outcome.kind != "applied":
                report.refused += 1
                log.warning("central refused %s %s: %s %s", e.kind, e.id, outcome.category,
                            outcome.detail)
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
        gone = cast(CursorResult[Any], s.execute(delete(OutboxEvent).where(
            OutboxEvent.pushed_at.is_not(None), OutboxEvent.pushed_at < before,
            OutboxEvent.outcome == "applied")))
        return gone.rowcount or 0


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
    def of(cls, event_id: str, kind: str, payload: dict[str, Any], outcome: str,
           category: str, detail: str, at: datetime | None) -> Problem:
        return cls(event_id, kind, str((payload or {}).get("order_no") or ""), outcome,
                   category or "", detail or "", at)


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
                   OutboxEvent.category, OutboxEvent.last_error, OutboxEvent.pushed_at)
            .where(*not_applied).order_by(OutboxEvent.seq.desc()).limit(PROBLEMS_SHOWN)))
    return SyncState(int(pending or 0), oldest, last, int(refused), problems)
