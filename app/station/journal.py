"""The bench's scan journal (`BenchScan`): every scan, weight and command card given to the
packing bench has an id and is written here before it is acted on, then marked applied or
refused in the transaction of the events it caused. So a scan is acted on once: one written
down but not acted on is acted on at the next start (`PackingBench.recover`), one fed again
with its id (a replay script re-run after a kill) is `repeated` and counts nothing."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Row, Table, delete, insert, select, update
from sqlalchemy.orm import Session

from app.station.models import BenchScan
from app.store.db import Database

JOURNAL = cast(Table, BenchScan.__table__)
# The first pack event a journaled scan causes takes an id made from the scan's id, so even
# the event log knows a scan it has seen (`rules.apply` refuses an event id twice).
_SCAN_EVENTS = uuid.UUID("6d1f3a52-8e0b-4c3e-9a57-2b7c0f4e9d11")


def scan_event_id(scan_id: str) -> str:
    """The id of the first pack event caused by the scan `scan_id`: the same every time."""
    return str(uuid.uuid5(_SCAN_EVENTS, scan_id))


@dataclass(slots=True)
class Entry:
    """The scan being acted on, as its journal row holds it."""

    id: str
    kind: str  # scan, command, weigh
    value: str
    qty: int
    source: str  # live or replay
    written: bool = False  # its row is in the journal (pending)
    marked: bool = False  # its row says what became of it


def upsert(s: Session, entry: Entry, status: str, reason: str, session_id: str | None,
           user: str) -> None:
    """The entry's row says `status` (pending, applied, refused), in the caller's
    transaction."""
    now = datetime.now(UTC)
    done = None if status == "pending" else now
    if entry.written:
        s.execute(update(JOURNAL).where(JOURNAL.c.id == entry.id).values(
            status=status, reason=reason[:64], session_id=session_id, done_at=done))
        return
    s.execute(insert(JOURNAL), [{
        "id": entry.id, "kind": entry.kind, "value": entry.value, "qty": entry.qty,
        "source": entry.source, "status": status, "reason": reason[:64],
        "session_id": session_id, "user": user, "at": now, "done_at": done}])
    entry.written = True


def row(store: Database, scan_id: str) -> tuple[str | None, str]:
    """The journal's status of the scan `scan_id` and its reason; (None, "") unknown."""
    with store.reader() as s:
        found = s.execute(select(JOURNAL.c.status, JOURNAL.c.reason)
                          .where(JOURNAL.c.id == scan_id)).first()
    return (None, "") if found is None else (found.status, found.reason or "")


def pending(store: Database) -> list[Row[Any]]:
    """Scans written down and not acted on, in the order they came."""
    with store.reader() as s:
        return cast(list[Row[Any]], s.execute(select(BenchScan.id, BenchScan.kind, BenchScan.value,
                                     BenchScan.qty, BenchScan.session_id)
                              .where(BenchScan.status == "pending")
                              .order_by(BenchScan.seq)).all())


def mark_stale(store: Database, scan_ids: list[str]) -> None:
    with store.unit_of_work() as s:
        s.execute(update(JOURNAL).where(JOURNAL.c.id.in_(scan_ids), JOURNAL.c.status == "pending")
                  .values(status="refused", reason="stale", done_at=datetime.now(UTC)))


def prune_journal(store: Database, keep_days: float = 14.0, now: datetime | None = None) -> int:
    """Forget the journal's scans acted on (applied or refused) more than `keep_days` ago, as
    the outbox forgets what the central database applied (`outbox.prune`, the same two
    weeks): the pack events keep what they did. A pending scan is kept whatever its age.
    Returns how many were removed."""
    if keep_days <= 0:
        raise ValueError("keep_days must be positive")
    before = (now or datetime.now(UTC)) - timedelta(days=keep_days)
    with store.unit_of_work() as s:
        done = cast(CursorResult[Any], s.execute(delete(JOURNAL).where(
            JOURNAL.c.status.in_(("applied", "refused")), JOURNAL.c.done_at.is_not(None),
            JOURNAL.c.done_at < before)))
        return done.rowcount or 0
