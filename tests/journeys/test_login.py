"""Journey 1: a packer logs in by scanning the badge, or by typing code and password."""

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
    j = journey(home)
    data.wait_ready(j, home)
    j.scan("USR-packer01")
    assert j.wait_for("the badge login in the audit log",
                      lambda: data.logins(home, "packer01"), timeout=10) == ["badge"]


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
