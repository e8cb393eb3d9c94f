"""The station's background sync while the central database is out of reach: every round
waits longer (1, 2, 4, 8, then 10 s), the status bar says OFFLINE, and the first round that
gets through goes back to the normal pace."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.services.central_link import DatabaseLink
from app.store.db import Database
from app.ui.app import OutboxPusher
from app.ui.qt import QWidget
from tests.helpers.packing import station


def test_rounds_back_off_while_offline_and_recover_at_once(qtbot: QtBot, gui_db: Database,
                                                           tmp_path: Path) -> None:
    runtime = station(gui_db, tmp_path / "home")
    owner = QWidget()
    qtbot.addWidget(owner)
    seen: list[bool] = []
    pusher = OutboxPusher(runtime, owner, every_ms=5000,
                          on_status=lambda online, _state: seen.append(online))
    try:
        runtime.connect(DatabaseLink(Database.from_url(
            "postgresql+psycopg://nobody@127.0.0.1:1/none", connect_timeout=1)))
        pusher.running = True
        delays = []
        for _ in range(6):
            pusher.push()
            qtbot.waitUntil(lambda: not pusher.busy, timeout=10_000)
            delays.append(pusher.timer.interval())
        assert seen == [False] * 6
        assert delays == [1000, 2000, 4000, 8000, 10000, 10000]
        assert pusher.timer.isActive()  # the next try is scheduled
        runtime.connect(DatabaseLink(gui_db))  # the network is back
        pusher.push()
        qtbot.waitUntil(lambda: not pusher.busy, timeout=10_000)
        assert seen[-1] is True and pusher.failures == 0
        assert pusher.timer.interval() == 5000
    finally:
        pusher.stop()
        runtime.stop()
