"""What screen tests share: waiting until a screen's background work is done, and showing a
screen at the size of an office monitor."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from pytestqt.qtbot import QtBot

from app.ui import tasks
from app.ui.qt import QWidget

W = TypeVar("W", bound=QWidget)

TIMEOUT_MS = 10_000


def idle(qtbot: QtBot, condition: Callable[[], object] = lambda: True,
         timeout: int = TIMEOUT_MS) -> None:
    """Wait until `condition` holds and no background task is left to deliver."""
    qtbot.waitUntil(lambda: bool(condition()) and not tasks.pending(), timeout=timeout)


def show(qtbot: QtBot, widget: W) -> W:
    qtbot.addWidget(widget)
    widget.resize(1500, 850)
    widget.show()
    return widget


def issue_badge(db: object, code: str) -> str:
    """A fresh badge for user `code`, issued by the demo admin (demo users get none)."""
    from app.services import auth

    admin = auth.login_password(db, "admin", "admin123", "ST-TEST")  # type: ignore[arg-type]
    return auth.issue_badge(db, admin, code)  # type: ignore[arg-type]
