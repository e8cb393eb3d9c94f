"""A site that reads its dashboard from a read replica (`[central] read_url`): the lead sees
how far behind it is, on the line that says when the figures were read, in Chinese and in
English; without a replica that line says nothing of one."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.services import auth
from app.store.db import Database, ReplicaLag
from app.ui.dashboard_screen import DashboardScreen
from tests.gui.test_words import chinese_chars, english_words

TIMEOUT = 15_000
NOW = datetime(2026, 11, 12, 6, 30, tzinfo=UTC)


@pytest.mark.parametrize(("lag", "figure"), [
    (ReplicaLag(True, 0.4, 2048), "0.4"),
    (ReplicaLag(True, 12.0, 900_000, paused=True), "12.0"),
    (ReplicaLag(True, None, 4096), "4"),
    (ReplicaLag(False, error="connection refused"), ""),
    (ReplicaLag(True, 0.0, 0, replica=False), ""),
])
def test_the_replicas_lag_is_on_the_updated_line(qtbot: QtBot, gui_db: Database,
                                                 language: str, lag: ReplicaLag,
                                                 figure: str) -> None:
    lead = auth.login_password(gui_db, "lead01", "lead123", "ST-TEST")
    screen = DashboardScreen(gui_db, lead, clock=lambda: NOW)
    qtbot.addWidget(screen)
    with qtbot.waitSignal(screen.refreshed, timeout=TIMEOUT):
        screen.show()
    assert screen.board is not None and screen.board.replica is None
    plain = screen.updated.text()
    screen._apply(replace(screen.board, replica=lag))
    shown = screen.updated.text()
    assert shown.startswith(plain) and len(shown) > len(plain) + 3, shown
    said = shown[len(plain):]
    assert figure in said
    shots = os.environ.get("PACKLINE_SCREENSHOT_DIR")
    if shots:  # a look at it: PACKLINE_SCREENSHOT_DIR=/tmp/shots pytest this test
        screen.resize(1280, 800)
        name = f"dashboard-replica-{language}-{'down' if not lag.reachable else lag.seconds}"
        screen.grab().save(str(Path(shots) / f"{name}.png"))
    if language == "zh_CN":
        assert chinese_chars(said) and not english_words(said), said
        assert ("副本" in said) and (("暂停" in said) == lag.paused)
    else:
        assert not chinese_chars(said) and "replica" in said, said
        assert ("paused" in said) == lag.paused
