"""Journey: a shift lead at the keyboard opens Help → About (Alt+H, then its accelerator),
reads which Packline this is, closes it, switches to the dark theme in the View menu (Alt+V)
and quits with Ctrl+Q; the station remembers the theme and the window in the person's own
ui-state.ini."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app import __version__
from tests.journeys import data
from tests.journeys.harness import Journey


def test_lead_reads_the_about_box_and_leaves_the_station_dark(
        new_home: Callable[..., Path], journey: Callable[..., Journey]) -> None:
    home = new_home()
    j = journey(home)
    data.wait_ready(j, home)
    j.type_human("lead01")
    j.key("Return")
    j.type_human("lead123")
    j.key("Return")
    data.logged_in(j, home, "lead01")
    # The window names the screen in front, then the product (Chinese by default).
    assert "— Packline" in j.xdo("getwindowname", j.window).stdout

    j.key("alt+h")  # 帮助(&H)
    j.wait_for("the Help menu", j.dialogs, timeout=15)
    j.key("a")  # 关于 Packline(&A)

    def about_box() -> str | None:
        named = {w: j.xdo("getwindowname", w, check=False).stdout.strip() for w in j.dialogs()}
        return next((w for w, name in named.items() if name.startswith("关于")), None)

    box = j.wait_for("the About box", about_box, timeout=15)
    title = j.xdo("getwindowname", box).stdout.strip()
    assert title == f"关于 Packline {__version__}", title
    j.xdo("windowfocus", "--sync", box)
    j.key("Return")  # its OK button
    j.wait_for("the About box to close", lambda: not j.dialogs(), timeout=15)
    j.focus()

    j.key("alt+v")  # 视图(&V)
    j.key("d")  # 深色主题(&D)
    j.key("ctrl+q")
    assert j.proc is not None
    j.wait_for("the app to quit", lambda: j.proc is not None and j.proc.poll() is not None,
               timeout=30)
    assert j.proc.returncode == 0, j.log_tail()
    state = (home / "user" / "ui-state.ini").read_text(encoding="utf-8")  # the person's own
    assert "theme=dark" in state, state
    assert "[window]" in state and "geometry=" in state, state
    assert "ordersTable" in state, state  # the orders list's columns, as the lead left them
