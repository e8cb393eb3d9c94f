"""Journey 1: a packer logs in by scanning a freshly issued badge, a shift lead by badge and PIN,
anybody by typing code and password; the old printed `USR-<code>` badges no longer work."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.journeys import data
from tests.journeys.harness import Journey

WEDGE_CAPITALS = ("the keyboard-wedge filter tears a scan with capitals apart: Shift ends the "
                  "burst, so a scanned USR-/PL…/WAVE-/LOC- code never arrives as one scan")


def test_badge_scan_logs_in(new_home: Callable[..., Path],
                            journey: Callable[..., Journey]) -> None:
    home = new_home()
    badge = data.issue_badge(home, "packer01")
    j = journey(home)
    data.wait_ready(j, home)
    j.scan(badge)  # at scanner speed, capitals with Shift held
    assert j.wait_for("the badge login in the audit log",
                      lambda: data.logins(home, "packer01"), timeout=10) == ["badge"]
    assert badge[4:] not in data.app_log(home) + j.log_tail(1_000_000)


def test_lead_logs_in_by_badge_and_pin(new_home: Callable[..., Path],
                                       journey: Callable[..., Journey]) -> None:
    home = new_home()
    badge = data.issue_badge(home, "lead01")
    j = journey(home)
    data.wait_ready(j, home)
    before = data.logins(home, "lead01")  # the seeding's command line acted as lead01
    j.scan(badge)
    # The badge alone does not let a lead in: the PIN field takes the keys next.
    j.wait_for("the PIN asked for", lambda: "lead01 accepted: PIN asked" in data.app_log(home),
               timeout=10)
    assert data.logins(home, "lead01") == before
    j.type_human("2468")
    j.key("Return")
    assert j.wait_for("the badge and PIN login in the audit log",
                      lambda: data.logins(home, "lead01")[len(before):],
                      timeout=10) == ["badge+pin"]


def test_old_user_code_badge_no_longer_logs_in(new_home: Callable[..., Path],
                                               journey: Callable[..., Journey]) -> None:
    home = new_home()
    j = journey(home)
    data.wait_ready(j, home)
    j.type_human("USR-admin")
    j.key("Return")
    j.wait_for("the refusal in the audit log",
               lambda: data.login_failures(home), timeout=10)
    assert data.logins(home, "admin") == []


def test_password_typed_by_hand_in_english(new_home: Callable[..., Path],
                                           journey: Callable[..., Journey]) -> None:
    home = new_home(language="en")
    j = journey(home)
    # The station's language is English: the window says so in its title.
    assert j.xdo("getwindowname", j.window).stdout.strip() == "Packline"
    data.wait_ready(j, home)
    j.type_human("packer01")
    j.key("Return")  # on to the password
    j.type_human("packer123")
    j.key("Return")
    assert j.wait_for("the password login in the audit log",
                      lambda: data.logins(home, "packer01"), timeout=20) == ["password"]
