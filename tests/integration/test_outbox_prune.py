"""The outbox forgets what the central database applied long ago, and nothing else."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.services.central_link import DatabaseLink
from app.station import outbox
from app.station.models import OutboxEvent, new_id
from app.station.store import open_store
from app.store.db import Database
from app.sync.contract import AuditNote


def test_applied_events_are_pruned_after_their_time(sqlite_db: Database,
                                                     tmp_path: Path) -> None:
    store = open_store(tmp_path / "station.db")
    try:
        with store.unit_of_work() as s:
            for n in range(2):
                outbox.append(s, AuditNote("packer01", "label.reprint", "order", f"PL{n}"))
            # A row no station writes (a damaged store): refused at the station, never
            # sent; kept.
            s.add(OutboxEvent(id=new_id(), created_at=datetime.now(UTC), kind="pack.teleported",
                              payload={}))
        assert outbox.push(store, DatabaseLink(sqlite_db), "ST-T").refused == 1
        with store.unit_of_work() as s:
            outbox.append(s, AuditNote("packer01", "label.reprint", "order", "PL9"))  # waiting
        assert outbox.prune(store) == 0  # applied a moment ago: kept for now
        assert outbox.prune(store, now=datetime.now(UTC) + timedelta(days=15)) == 2
        with store.reader() as s:
            left = sorted((e.kind, e.outcome) for e in s.scalars(select(OutboxEvent)))
        assert left == [("audit", ""), ("pack.teleported", "refused")]
        assert outbox.pending(store) == 1
        with pytest.raises(ValueError):
            outbox.prune(store, keep_days=0)
    finally:
        store.dispose()
