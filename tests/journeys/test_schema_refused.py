"""A station whose Packline is older than its database: the app starts, and its login says so
and lets nobody in, rather than working on a schema it does not know. The database (here the
embedded one, opened by a newer Packline) is left as it was."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from app.store import migrate
from tests.journeys import data
from tests.journeys.harness import Journey

NEWER = "0099_from_a_newer_packline"


def _revision(home: Path) -> list[str]:
    conn = sqlite3.connect(home / "station.db")
    try:
        return [r[0] for r in conn.execute("SELECT version_num FROM alembic_version")]
    finally:
        conn.close()


def test_a_station_too_old_for_its_database_is_refused_at_the_login(
        new_home: Callable[..., Path], journey: Callable[..., Journey]) -> None:
    home = new_home()
    conn = sqlite3.connect(home / "station.db")
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (NEWER,))
    conn.close()
    j = journey(home)
    # Said on the login screen (the GUI thread logs what it shows there).
    j.wait_for("the refusal on the login screen",
               lambda: "central database not ready" in data.app_log(home), timeout=30)
    log = data.app_log(home)
    assert "a newer Packline upgraded it" in log
    assert NEWER in log and migrate.build_revision() in log
    j.screenshot("refused")
    # The login takes nothing: a code and password typed go nowhere. Ctrl+Q after them quits
    # once the keys before it were handled (and waits for any login they started).
    j.type_human("admin")
    j.key("Tab")
    j.type_human("admin123")
    j.key("Return")
    j.screenshot("refused-after-typing")
    j.key("ctrl+q")
    assert j.proc is not None
    j.wait_for("the app to quit", lambda: j.proc is not None and j.proc.poll() is not None,
               timeout=30)
    assert data.logins(home, "admin") == []
    assert data.login_failures(home) == []
    assert _revision(home) == [NEWER]  # not migrated, not seeded over
