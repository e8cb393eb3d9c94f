"""Journey 4: a shift lead at the office screens — ticks one wave in the preview and releases it,
and works the exception queue from the keyboard. Chinese, the station's default language."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.services import waves
from tests.helpers.packing import actor
from tests.journeys import data, nav
from tests.journeys.harness import Journey


def log_in_lead(j: Journey, home: Path) -> None:
    data.wait_ready(j, home)
    j.type_human("lead01")
    j.key("Return")
    j.type_human("lead123")
    j.key("Return")
    data.logged_in(j, home, "lead01")


def test_lead_resolves_an_exception_from_the_keyboard(
        new_home: Callable[..., Path], journey: Callable[..., Journey]) -> None:
    home = new_home()
    with data.central(home) as db:
        from app.services import exceptions

        first = exceptions.queue(db, actor(db, "lead01"))[0]
    assert first.actions[0] == "approve", first  # the oldest: a buyer remark to read
    j = journey(home)
    # Chinese by default: the window's title is the translated one.
    assert "仓储工作台" in j.xdo("getwindowname", j.window).stdout
    log_in_lead(j, home)
    j.key(nav.nav_shortcut("shift_lead", "exceptions"))
    # The oldest exception is selected when the queue loads; Ctrl+1 is its first action.
    j.wait_for("the first exception's actions on screen",
               lambda: j.shows_something(*nav.EXCEPTION_FIRST_ACTION))
    before = j.order(first.order_no)
    assert before["exception"] == first.category
    j.key("ctrl+1")
    after = j.wait_for(f"{first.order_no} approved",
                       lambda: (o := j.order(first.order_no))["exception"] is None and o)
    assert after["status"] != "exception"
    assert ("order.status", "lead01") in data.audit_actions(home, first.order_no)


def test_lead_releases_the_wave_selected_in_the_preview(
        new_home: Callable[..., Path], journey: Callable[..., Journey]) -> None:
    home = new_home()
    with data.central(home) as db:
        planned = waves.plan(db, actor(db, "lead01"), "HZ", "single_unit", max_orders=3,
                             max_cells=20)
    assert len(planned.waves) >= 3, planned
    chosen = set(planned.waves[1].order_ids)
    j = journey(home)
    log_in_lead(j, home)
    j.key(nav.nav_shortcut("shift_lead", "waves"))
    j.click(*nav.WAVE_WAREHOUSE)  # the list opens; H goes to 杭州仓, Return takes it
    j.type_human("H")
    j.key("Return")
    j.click(*nav.WAVE_ORDERS_PER_WAVE)
    j.key("ctrl+a")
    j.type_human("3")
    j.click(*nav.WAVE_PREVIEW)
    x, y, _width, height = nav.WAVE_PREVIEW_FIRST_ROW
    j.wait_for("the preview", lambda: j.shows_something(*nav.WAVE_PREVIEW_FIRST_ROW))
    # A click on a row ticks its wave: the second one only.
    j.click(x + 300, y + height // 2 + nav.WAVE_PREVIEW_ROW_STEP)
    j.click(*nav.WAVE_RELEASE)
    j.answer("y", "the question whether to release")
    released = j.wait_for("a wave released", lambda: data.released_waves(home))
    assert len(released) == 1, released
    assert set(released[0]) == set(chosen)
