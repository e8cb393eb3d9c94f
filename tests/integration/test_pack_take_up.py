"""An order set aside half-way at one packing station is taken up at another: the units counted
at the first are counted at the second, the rest is scanned there, the order is packed once;
the first station, scanning it again, is told it is packed. At the same station, scanning a
set-aside order again carries on where it stopped."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain import packing as rules
from app.services import pack_progress
from app.station import outbox
from app.station.models import PackSession
from app.station.packing import PackingBench
from app.store.db import Database
from app.store.models import Order, Package
from tests.helpers.packing import actor, picked_wave, station, unit_codes

pytestmark = pytest.mark.timeout(180)


def _units(view) -> int:  # type: ignore[no-untyped-def]
    return rules.unit_count(view.state)


def test_a_set_aside_order_carries_on_where_it_stopped(gui_db: Database,
                                                       tmp_path: Path) -> None:
    orders = picked_wave(gui_db)
    codes = unit_codes(gui_db, orders[0])
    rt = station(gui_db, tmp_path / "home")
    rt.start()
    try:
        bench = PackingBench(rt, actor(gui_db, "packer01"))
        bench.open(orders[0])
        assert bench.scan(codes[0]).accepted
        assert bench.pause().accepted
        again = bench.open(orders[0])
        assert again.accepted and again.state.phase is rules.Phase.VERIFYING
        assert _units(again) == 1
        for code in codes[1:]:
            view = bench.scan(code)
            assert view.accepted, view.reason
        assert view.state.phase is rules.Phase.PACKED
    finally:
        rt.stop()


@pytest.fixture
def two_stations(gui_db: Database, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Two packing stations on one central database, and the picked order of most units:
    (its number, a barcode per unit, the first station, the second)."""
    orders = picked_wave(gui_db)
    order_no = max(orders, key=lambda no: len(unit_codes(gui_db, no)))
    codes = unit_codes(gui_db, order_no)
    assert len(codes) >= 3, "the seed's wave has an order of several units"
    first = station(gui_db, tmp_path / "a")
    second = station(gui_db, tmp_path / "b", code="ST-HZ-PACK-02")
    first.start()
    second.start()
    yield order_no, codes, first, second
    first.stop()
    second.stop()


def test_another_station_takes_up_a_set_aside_order(gui_db: Database, two_stations) -> None:
    order_no, codes, first, second = two_stations
    a = PackingBench(first, actor(gui_db, "packer01"))
    a.open(order_no)
    done_at_a = len(codes) - 1
    for code in codes[:done_at_a]:
        assert a.scan(code).accepted
    a.pause()
    assert first.push_outbox().refused == 0  # the progress reaches the centre
    left = pack_progress.paused(gui_db, actor(gui_db, "packer01"), order_no)
    assert left is not None and left.units == done_at_a and left.station == first.code

    b = PackingBench(second, actor(gui_db, "lead01"))
    view = b.open(order_no)
    assert view.accepted and view.reason == "taken_up", view.reason
    assert view.message_args["station"] == first.code and _units(view) == done_at_a
    remaining = codes[done_at_a:]
    for code in remaining:
        view = b.scan(code)
    assert view.state.phase is rules.Phase.PACKED
    extra = b.scan(codes[0])
    assert not extra.accepted  # packed: nothing more is counted
    assert second.push_outbox().refused == 0
    assert pack_progress.paused(gui_db, actor(gui_db, "packer01"), order_no) is None
    with gui_db.reader() as s:
        assert s.scalar(select(Order.status).where(Order.order_no == order_no)) == "packed"
        assert s.scalar(select(func.count()).select_from(Package).join(Order).where(
            Order.order_no == order_no)) == 1

    first.pull_changes()  # the first station learns the order is packed
    back = a.open(order_no)
    assert not back.accepted and back.reason == "already_packed"
    with first.store.reader() as s:
        assert s.scalar(select(PackSession.status).where(
            PackSession.order_no == order_no)) == "paused"
    assert outbox.pending(first.store) == 0


def test_an_order_intercepted_after_it_was_set_aside_is_stopped_not_taken_up(
        gui_db: Database, two_stations) -> None:
    from sqlalchemy import update

    from app.station.models import OutboxEvent

    order_no, codes, first, second = two_stations
    a = PackingBench(first, actor(gui_db, "packer01"))
    a.open(order_no)
    assert a.scan(codes[0]).accepted
    a.pause()
    first.push_outbox()
    with gui_db.unit_of_work() as s:
        s.execute(update(Order).where(Order.order_no == order_no)
                  .values(intercept="refund_requested"))
    b = PackingBench(second, actor(gui_db, "lead01"))
    view = b.open(order_no)
    assert not view.accepted and view.kind == "stop" and view.reason == "intercepted"
    with second.store.reader() as s:
        kinds = list(s.scalars(select(OutboxEvent.kind)))
    assert "pack.taken_up" not in kinds  # nothing was taken up
    assert pack_progress.paused(gui_db, actor(gui_db, "packer01"), order_no) is not None


def test_the_newer_pause_elsewhere_wins_over_the_old_one_here(gui_db: Database,
                                                              two_stations) -> None:
    """X sets an order aside at 1 unit; Y takes it up, counts one more and sets it aside; X
    scanning it again takes up Y's 2 units, not its own 1. A pause taken up again where it
    was made is no longer offered to other stations."""
    from app.station.models import OutboxEvent

    order_no, codes, x, y = two_stations
    at_x = PackingBench(x, actor(gui_db, "packer01"))
    at_x.open(order_no)
    assert at_x.scan(codes[0]).accepted
    at_x.pause()
    x.push_outbox()
    at_y = PackingBench(y, actor(gui_db, "lead01"))
    assert at_y.open(order_no).reason == "taken_up"
    assert at_y.scan(codes[1]).accepted
    at_y.pause()
    y.push_outbox()
    back = at_x.open(order_no)
    assert back.accepted and back.reason == "taken_up", back.reason
    assert back.message_args["station"] == y.code and _units(back) == 2
    with x.store.reader() as s:
        statuses = sorted(s.scalars(select(PackSession.status).where(
            PackSession.order_no == order_no)))
    assert statuses == ["open", "stopped"]  # the old session here is over
    x.push_outbox()
    assert pack_progress.paused(gui_db, actor(gui_db, "packer01"), order_no) is None

    at_x.pause()  # set aside again, and taken up again here: the centre forgets it
    x.push_outbox()
    assert pack_progress.paused(gui_db, actor(gui_db, "packer01"), order_no) is not None
    again = at_x.open(order_no)
    assert again.accepted and _units(again) == 2
    with x.store.reader() as s:
        assert s.scalar(select(func.count()).select_from(OutboxEvent).where(
            OutboxEvent.kind == "pack.taken_up", OutboxEvent.pushed_at.is_(None))) == 1
    x.push_outbox()
    assert pack_progress.paused(gui_db, actor(gui_db, "packer01"), order_no) is None
