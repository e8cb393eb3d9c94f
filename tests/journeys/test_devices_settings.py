"""Journey: IT's settings file of the first layout version is upgraded when the station starts
(the old file kept beside it); an admin then changes the bench scale's tolerance on the
Devices screen and saves; the station's settings file, read back from disk, holds the new
value and still every comment and blank line IT wrote — only that one line changed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.config import VERSION_COMMENT
from tests.journeys import data, nav
from tests.journeys.harness import Journey

IT_FILE = """\
# 杭州仓 bench 1 — kept by IT (王工, ext. 8123) in the deployment share
# the Devices screen may change the [device:…] sections only

[station]
code = ST-HZ-PACK-01   ; as on the asset tag
warehouse = HZ

[ui]
language = en

; the bench scale, calibrated 2026-11-02
[device:scale]
kind = scale
url = sim://bench
; the reading must stay within tolerance_g this long to count
window_ms = 500
tolerance_g = 2   ; grams
"""
# As the start leaves it: the layout version added under IT's opening lines.
UPGRADED = IT_FILE.replace("\n\n[station]\n",
                           f"\n\n[settings]\n{VERSION_COMMENT}\nversion = 2\n\n[station]\n")


def test_admin_saves_a_device_and_the_file_keeps_its_comments(
        new_home: Callable[..., Path], journey: Callable[..., Journey]) -> None:
    home = new_home()
    ini = home / "station.ini"
    ini.write_text(IT_FILE, encoding="utf-8")
    j = journey(home)
    data.wait_ready(j, home)
    assert (home / "station.ini.v1.bak").read_text(encoding="utf-8") == IT_FILE
    assert ini.read_text(encoding="utf-8") == UPGRADED
    assert "upgraded from settings version 1 to 2" in data.app_log(home)
    j.type_human("admin")
    j.key("Return")
    j.type_human("admin123")
    j.key("Return")
    data.logged_in(j, home, "admin")
    j.key(nav.nav_shortcut("admin", "devices"))
    j.wait_for("the station's devices", lambda: j.shows_something(*nav.DEVICES_FIRST_ROW))
    j.click(*nav.DEVICES_FIRST_ROW_CLICK)  # the scale: its settings fill the form
    j.wait_for("the scale's settings in the form",
               lambda: j.shows_something(*nav.DEVICES_SCALE_LABEL))
    j.click(*nav.DEVICES_TOLERANCE)
    j.key("ctrl+a")
    j.type_human("5")
    j.click(*nav.DEVICES_SAVE)
    j.wait_for("the file to hold the new tolerance",
               lambda: "tolerance_g = 5" in ini.read_text(encoding="utf-8"))
    # Read from disk: only that line changed; IT's comments, blank lines and the rest stay.
    assert ini.read_text(encoding="utf-8") == UPGRADED.replace("tolerance_g = 2   ; grams",
                                                               "tolerance_g = 5   ; grams")
    assert "saved device scale" in data.app_log(home)
