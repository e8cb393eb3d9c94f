"""Journey 2: a packer at the bench, scanning like packers do — a USB wedge scanner that types
uppercase order numbers (`PL…`), wave numbers (`WAVE-…`) and item EANs in bursts, with a wrong
item in between that is refused and changes nothing. The outcome is read with the CLI."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.journeys import data
from tests.journeys.harness import Journey


def packed(j: Journey, order_no: str) -> dict[str, Any] | None:
    order = j.order(order_no)
    return order if order["status"] == "packed" and order["tracking_numbers"] else None


def accepted_scans(home: Path, order_no: str) -> int:
    return sum(1 for kind, ok, _r in data.pack_events(home, order_no) if kind == "ItemScanned" and ok)


def test_packer_packs_an_order_and_a_single_item_wave(
        new_home: Callable[..., Path], journey: Callable[..., Journey]) -> None:
    home = new_home()
    order = data.picked_multi_item_order(home)
    wave_no, wave_items = data.picked_single_item_wave(home)
    wrong = data.ean_of_no_order(home)
    badge = data.issue_badge(home, "packer01")
    j = journey(home)
    data.wait_ready(j, home)

    j.scan(badge)  # logs in and lands on Packing: no clicks
    data.logged_in(j, home, "packer01")
    j.scan(order.order_no)
    j.wait_for(f"{order.order_no} open on the bench",
               lambda: data.session_status(home, order.order_no) == "open")
    j.scan(order.codes[0])
    j.wait_for("the first unit counted", lambda: accepted_scans(home, order.order_no) >= 1)

    j.scan(wrong)  # in no order at all: refused as the wrong item, nothing counted
    j.wait_for("the wrong item refused", lambda: any(
        not ok and reason == "wrong_item"
        for _k, ok, reason in data.pack_events(home, order.order_no)))
    assert accepted_scans(home, order.order_no) == 1
    assert j.order(order.order_no)["status"] != "packed"

    for n, code in enumerate(order.codes[1:], start=2):
        j.scan(code)
        j.wait_for(f"unit {n} counted", lambda n=n: accepted_scans(home, order.order_no) >= n)
    done = j.wait_for(f"{order.order_no} packed centrally", lambda: packed(j, order.order_no))
    assert len(done["packages"]) == 1 and done["tracking_numbers"][0]
    assert [s for _k, ok, s in data.pack_events(home, order.order_no) if not ok] == [
        "wrong_item"]

    # A single-item wave: the wave's number, then one item per order; each prints at once.
    j.scan(wave_no)
    for order_no, code in wave_items.items():
        j.scan(code)
        j.wait_for(f"{order_no} of {wave_no} packed", lambda o=order_no: packed(j, o))
    tracking = [j.order(no)["tracking_numbers"][0] for no in wave_items]
    assert len(set(tracking)) == len(wave_items)


def journal(home: Path, value: str) -> list[tuple[object, ...]]:
    """The bench's scan journal rows for a scanned text: (status, reason)."""
    return data.station_rows(home, "SELECT status, reason FROM bench_scans WHERE value = ? "
                                   "ORDER BY seq", value)


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_an_unknown_order_number_is_refused_and_the_next_scan_opens_the_order(
        new_home: Callable[..., Path], journey: Callable[..., Journey], language: str) -> None:
    """No order on the bench; the wedge scanner types an order number nobody knows: refused in
    the packer's words and written to the bench's journal, and the very next scan of a real
    order opens it; a bin label scanned then is no item; the order packs."""
    home = new_home(language=language)
    order = data.picked_multi_item_order(home)
    unknown = "PL2699999999999"
    badge = data.issue_badge(home, "packer01")
    j = journey(home)
    data.wait_ready(j, home)
    j.scan(badge)
    data.logged_in(j, home, "packer01")

    j.scan(unknown)
    j.wait_for("the unknown order refused and recorded",
               lambda: journal(home, unknown) == [("refused", "packing.unknown_code")])
    j.screenshot(f"unknown-order-{language}")
    assert data.session_status(home, unknown) is None

    j.scan(order.order_no)
    j.wait_for(f"{order.order_no} open on the bench",
               lambda: data.session_status(home, order.order_no) == "open")
    bin_code = data.bin_codes(home)[0]  # a bin label is no item: refused, nothing counted
    j.scan(bin_code)
    j.wait_for("the bin label refused", lambda: journal(home, bin_code) == [
        ("refused", "not_an_item")])
    j.screenshot(f"bin-label-{language}")
    assert accepted_scans(home, order.order_no) == 0
    for n, code in enumerate(order.codes, start=1):
        j.scan(code)
        j.wait_for(f"unit {n} counted", lambda n=n: accepted_scans(home, order.order_no) >= n)
    done = j.wait_for(f"{order.order_no} packed centrally", lambda: packed(j, order.order_no))
    assert len(done["packages"]) == 1
    assert accepted_scans(home, order.order_no) == len(order.codes)
