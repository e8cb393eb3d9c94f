"""The station's sync in a process of its own (`packline sync serve`, started by the app):
its rounds push the outbox and are heard by the window; a process that dies is started again
and nothing waiting is lost; closing the app ends it; a central schema this build cannot work
with stops it for good, the events kept."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from pytestqt.qtbot import QtBot

from app.config import load_config
from app.services.central_link import DatabaseLink
from app.station import outbox
from app.station.runtime import StationRuntime
from app.station.sync_service import options_for
from app.store.db import Database
from app.sync.contract import AuditNote
from app.ui.qt import QWidget
from app.ui.sync_process import SyncProcess

pytestmark = pytest.mark.timeout(180)
WAIT_MS = 60_000  # a process's start on a busy machine: its interpreter and imports


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@contextmanager
def sync_process(qtbot: QtBot, home: Path, db: Database, *, every_ms: int = 200,
                 **kwargs: Any) -> Iterator[tuple[StationRuntime, SyncProcess]]:
    """A station against the central `db`, and its sync in a process of its own, as `run_app`
    wires them."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "station.ini").write_text(
        f"[station]\ncode = ST-HZ-PACK-01\nwarehouse = HZ\n\n[central]\nurl = {db.bind.url}\n"
        "connect_timeout = 2\n", encoding="utf-8")
    cfg = load_config(home)
    runtime = StationRuntime(cfg, db, link=DatabaseLink(db))
    owner = QWidget()
    qtbot.addWidget(owner)
    sync = SyncProcess(runtime, owner, every_ms=every_ms,
                       options=options_for(cfg.paths.home, cfg.paths.data_from), **kwargs)
    try:
        yield runtime, sync
    finally:
        sync.close()
        runtime.stop()


def _note(runtime: StationRuntime, what: str) -> None:
    with runtime.store.unit_of_work() as s:
        outbox.append(s, AuditNote("packer01", "label.reprint", "order", what))


def _applied(db: Database) -> int:
    with db.reader() as s:
        return int(s.scalar(sa.text("SELECT count(*) FROM applied_events")) or 0)


def test_the_rounds_run_in_a_process_of_their_own_and_push_the_outbox(
        qtbot: QtBot, gui_db: Database, tmp_path: Path) -> None:
    heard: list[tuple[bool, int]] = []
    with sync_process(qtbot, tmp_path / "home", gui_db, every_ms=60_000,
                      on_status=lambda online, state: heard.append((online,
                                                                    state.pending))) as (
            runtime, sync):
        _note(runtime, "PL1")
        sync.start()
        qtbot.waitUntil(lambda: bool(heard), timeout=WAIT_MS)
        assert sync.pid is not None and sync.pid != os.getpid() and _alive(sync.pid)
        assert heard[0] == (True, 0) and outbox.pending(runtime.store) == 0
        assert _applied(gui_db) == 1
        # The next round is a minute away; asked for, it comes now.
        _note(runtime, "PL2")
        sync.push()
        qtbot.waitUntil(lambda: len(heard) >= 2, timeout=WAIT_MS)
        assert heard[-1] == (True, 0) and _applied(gui_db) == 2
        pid = sync.pid
        sync.close()
        assert not _alive(pid) and not sync.alive and sync.starts == 1


def test_a_sync_process_that_dies_is_started_again_and_loses_nothing(
        qtbot: QtBot, gui_db: Database, tmp_path: Path) -> None:
    with sync_process(qtbot, tmp_path / "home", gui_db) as (runtime, sync):
        sync.start()
        qtbot.waitUntil(lambda: sync.rounds >= 1, timeout=WAIT_MS)
        first = sync.pid
        assert first is not None
        os.kill(first, signal.SIGKILL)
        _note(runtime, "PL3")  # written while no sync runs: it waits in the outbox
        qtbot.waitUntil(lambda: sync.starts == 2 and sync.alive, timeout=WAIT_MS)
        assert sync.pid != first
        qtbot.waitUntil(lambda: outbox.pending(runtime.store) == 0, timeout=WAIT_MS)
        assert _applied(gui_db) == 1


def test_a_central_schema_it_cannot_work_with_stops_the_sync_for_good(
        qtbot: QtBot, gui_db: Database, tmp_path: Path) -> None:
    from app.services.schema import SchemaRefused

    with gui_db.bind.begin() as conn:  # type: ignore[union-attr]
        conn.execute(sa.text("UPDATE alembic_version SET version_num = 'f00dfacef00d'"))
    refused: list[SchemaRefused] = []
    with sync_process(qtbot, tmp_path / "home", gui_db, on_refused=refused.append) as (
            runtime, sync):
        _note(runtime, "PL4")
        sync.start()
        qtbot.waitUntil(lambda: bool(refused) and not sync.alive, timeout=WAIT_MS)
        assert refused[0].code == "schema.station_too_old" and "f00dfacef00d" in str(refused[0])
        assert not sync.running
        qtbot.wait(1500)  # nothing starts it again
        assert sync.starts == 1 and outbox.pending(runtime.store) == 1
