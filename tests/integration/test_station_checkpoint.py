"""The station store's WAL is copied back into its file by a thread of its own, never by the
commit of a packer's scan."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from app.station.store import Checkpointer, open_store
from tests.helpers.waiting import eventually


def _write(store, rows: int, start: int = 0) -> None:  # type: ignore[no-untyped-def]
    for n in range(start, start + rows):
        with store.unit_of_work() as s:
            s.execute(text("INSERT INTO outbox (id, created_at, kind, payload, outcome, "
                           "attempts, last_error) VALUES (:i, '2026-11-11', 'audit', :p, '', "
                           "0, '')"), {"i": f"e{n}", "p": '"' + "x" * 20_000 + '"'})


def test_commits_leave_the_wal_to_the_checkpointer(tmp_path: Path) -> None:
    store = open_store(tmp_path / "station.db", checkpoint_in_background=True)
    checkpointer = Checkpointer(store, every_s=0.2)
    try:
        _write(store, 300)  # ≈ 6 MB: past the 1,000 pages at which a commit would copy it
        pages, copied = checkpointer.checkpoint()
        assert pages > 1000, pages  # no commit copied the WAL back on its own
        assert copied == pages
        checkpointer.start()
        eventually(lambda: checkpointer.runs >= 3, what="three runs of the checkpointer",
                   timeout=10)
        _write(store, 10, start=300)  # writes go on beside it
    finally:
        checkpointer.stop()
        store.dispose()


def test_a_store_without_a_checkpointer_copies_it_in_its_commits(tmp_path: Path) -> None:
    store = open_store(tmp_path / "station.db")
    try:
        _write(store, 300)
        pages, _copied = Checkpointer(store).checkpoint()
        assert pages < 1000, pages  # SQLite's own checkpoints kept the WAL short
    finally:
        store.dispose()
