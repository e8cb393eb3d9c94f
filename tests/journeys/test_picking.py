"""Journey 3: a picker walks a wave with a wedge scanner — the wave, each bin (`LOC-…`), each
unit — scans a wrong bin on the way (refused, nothing changes), scans an item before its bin
(refused, nothing picked) and finds a bin short: the quantity found typed, F8, confirmed.
Outcome read from the wave, the stock ledger and the orders."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.domain.picking_steps import PickStep
from tests.journeys import data, nav
from tests.journeys.harness import Journey


def test_picker_walks_a_wave_with_a_wrong_bin_and_a_short_pick(
        new_home: Callable[..., Path], journey: Callable[..., Journey]) -> None:
    home = new_home()
    wave_no = data.released_wave(home, "per_order", max_orders=2)
    plan = data.wave_tasks(home, wave_no)
    assert len(plan.tasks) >= 2, plan
    first, second = plan.tasks[0], plan.tasks[1]
    wrong_bin = next(b for b in data.bin_codes(home) if b not in (first.bin_code,
                                                                  second.bin_code))
    badge = data.issue_badge(home, "picker01")
    j = journey(home)
    data.wait_ready(j, home)

    j.scan(badge)  # lands on Picking
    data.logged_in(j, home, "picker01")
    j.scan(wave_no)
    j.wait_for(f"{wave_no} claimed", lambda: data.wave_tasks(home, wave_no).picker)

    j.scan(wrong_bin)  # refused: the task still waits at its own bin
    j.scan(first.bin_code)
    for n in range(1, first.qty + 1):
        j.scan(data.ean_of(home, first.sku_code))
        j.wait_for(f"unit {n} of the first task", lambda n=n: data.wave_tasks(
            home, wave_no).tasks[0].picked >= n)
    after_first = data.wave_tasks(home, wave_no)
    assert after_first.tasks[0].status == "done" and after_first.tasks[0].picked == first.qty
    assert after_first.tasks[1].picked == 0
    assert after_first.tasks[1].step is PickStep.AT_BIN

    # The second item scanned before its bin: refused by the service, nothing picked. Scans
    # are handled one at a time in order, so once the bin scanned after it is recorded, the
    # item's scan has had its answer.
    j.scan(data.ean_of(home, second.sku_code))
    j.scan(second.bin_code)
    at_second = j.wait_for("the second bin confirmed (or, wrongly, its item picked)", lambda: (
        view if (view := data.wave_tasks(home, wave_no)).tasks[1].step is PickStep.BIN_CONFIRMED
        or view.tasks[1].picked else None))
    assert at_second.tasks[1].picked == 0, "an item scanned before its bin was picked"
    assert data.units_picked(home, wave_no) == first.qty  # the ledger: the first task's only

    # The second bin holds fewer than the task asks for: the picker counts what is there.
    found = second.qty - 1
    # The quantity box has no key of its own: the picker clicks into it and types the count.
    j.click(*nav.PICK_QTY)
    j.key("ctrl+a")
    j.type_human(str(found))
    j.key("F8")
    short_orders = {no for no, _units, _cell in second.cells}
    (dialog, *_) = j.wait_for("the question whether the bin is really short", j.dialogs,
                              timeout=10)
    # Not before the yes.
    assert not any(j.order(no)["exception"] for no in short_orders)
    assert not data.short_picks(home, wave_no)
    j.answer("y", "the question whether the bin is really short")
    j.wait_for("the short pick recorded", lambda: any(
        j.order(no)["exception"] == "short_pick" for no in short_orders))
    # What the picker typed is what was found: the rest is missing, recorded once, by them.
    ((who, short),) = data.short_picks(home, wave_no)
    assert who == "picker01"
    assert (short["seq"], short["bin"], short["sku"], short["missing"]) == (
        second.seq, second.bin_code, second.sku_code, second.qty - found)
    view = data.wave_tasks(home, wave_no)
    shorted = [t for t in view.tasks if t.seq == second.seq]
    # The task is finished short (it goes from the list when nothing was found there).
    assert all(t.status == "short" and t.picked == found for t in shorted), shorted
    assert view.tasks[0].picked == first.qty  # what was picked stays picked
