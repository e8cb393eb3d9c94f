"""Journey 5: an admin at the Users screen deactivates a packer from the keyboard — the row
found by typing its code, Alt+D, Yes — and the audit log names the admin."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.journeys import data, nav
from tests.journeys.harness import Journey


def test_admin_deactivates_a_packer(new_home: Callable[..., Path],
                                    journey: Callable[..., Journey]) -> None:
    home = new_home()
    assert data.user_active(home, "packer01")
    j = journey(home)
    data.wait_ready(j, home)
    j.type_human("admin")
    j.key("Return")
    j.type_human("admin123")
    j.key("Return")
    data.logged_in(j, home, "admin")
    j.key(nav.nav_shortcut("admin", "users"))
    # The list has the keyboard: typing a code selects its row.
    j.wait_for("the list of users", lambda: j.shows_something(*nav.USERS_FIRST_ROW))
    j.type_human("packer01")
    j.key("alt+d")
    j.answer("y", "the question whether to deactivate")
    j.wait_for("packer01 deactivated", lambda: not data.user_active(home, "packer01"))
    assert ("user.deactivated", "admin") in data.audit_actions(home, "packer01")
