"""Only an order that is picked can be packed: a station refuses, in words and before anything
prints, an order whose wave is released but not picked (fetched from the central database or
held in the station's cache); the pull brings the status of held orders up to date, so once
the wave is picked the same order opens. A confirm the central database cannot take (the order
was not picked there) becomes an exception a shift lead sees, never a silent orphan. On SQLite
and PostgreSQL."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain import notes
from app.domain import packing as rules
from app.domain.roles import Role
from app.services import engine, exceptions, picking, station_events, waves
from app.services.central_link import DatabaseLink
from app.services.context import Actor, system_actor
from app.services.errors import ServiceError
from app.station import outbox, pull
from app.station.held import cache_wave, cached_snapshot
from app.station.models import PackSession, PrintJob
from app.station.packing import PackingBench
from app.store.db import Database, make_engine
from app.store.models import AuditEntry, Order, OrderException, OrderLine, Wave, WaveOrder
from tests.helpers.link import envelopes
from tests.helpers.packing import (
    actor,
    busiest_warehouse,
    pick_to_the_end,
    picked_wave,
    station,
    unit_codes,
)

pytestmark = pytest.mark.timeout(300)


def _released(db: Database) -> tuple[str, list[str]]:
    """A per-order wave released, not picked: its number and its orders."""
    engine.run_once(db, system_actor())
    wh = busiest_warehouse(db, "per_order", max_orders=3, max_cells=3)
    (r,) = waves.release(db, system_actor(), wh, "per_order", max_orders=3, max_cells=3,
                         max_waves=1)
    with db.reader() as s:
        orders = list(s.scalars(select(Order.order_no).join(
            WaveOrder, WaveOrder.order_id == Order.id).join(Wave, Wave.id == WaveOrder.wave_id)
            .where(Wave.wave_no == r.wave_no, Order.status == "in_wave")
            .order_by(Order.order_no)))
    return r.wave_no, orders


def _nothing_written(rt) -> None:
    with rt.store.reader() as s:
        assert s.scalar(select(func.count()).select_from(PrintJob)) == 0
        assert s.scalar(select(func.count()).select_from(PackSession)) == 0


def test_an_order_not_picked_is_refused_before_anything_prints(central: Database,
                                                                tmp_path: Path) -> None:
    wave_no, orders = _released(central)
    assert len(orders) >= 2  # one to open before the pull, one after
    rt = station(central, tmp_path / "home")
    rt.start()
    try:
        bench = PackingBench(rt, actor(central, "packer01"))
        # Fetched from the central database: its status says in_wave.
        with pytest.raises(ServiceError) as err:
            bench.open(orders[0])
        assert err.value.code == "packing.not_picked"
        assert err.value.params["order"] == orders[0] and err.value.params["wave"] == wave_no
        _nothing_written(rt)
        # Held at the station (a wave fetched while it was being picked): refused the same.
        cache_wave(rt.store, DatabaseLink(central), wave_no)
        with pytest.raises(ServiceError) as err:
            bench.scan(orders[0])
        assert err.value.code == "packing.not_picked"
        _nothing_written(rt)
        # Picked now. Before the next pull the held copy still says in_wave: the central
        # database, asked, knows better, and the copy takes its status.
        pick_to_the_end(central, actor(central, "picker01"), wave_no)
        assert bench.open(orders[1]).accepted
        assert cached_snapshot(rt.store, orders[1]).status == "picked"
        bench.pause()
        # The pull brings the held orders' status, and the order opens.
        pull.pull(rt.store, DatabaseLink(central))
        assert cached_snapshot(rt.store, orders[0]).status == "picked"
        view = bench.open(orders[0])
        assert view.accepted and view.state is not None
        for code in unit_codes(central, orders[0]):
            view = bench.scan(code)
        assert view.kind == "done" and len(view.printed) == 1
    finally:
        rt.stop()


def _stale_confirm(central: Database, order_no: str, tracking_no: str) -> dict[str, object]:
    """What a station that packed the order from a stale status would push."""
    with central.reader() as s:
        lines = s.execute(select(OrderLine.line_no, OrderLine.qty).join(Order).where(
            Order.order_no == order_no)).all()
    return {"id": str(uuid.uuid4()), "kind": "pack.confirmed", "payload": {
        "user": "packer01", "order_no": order_no, "session": str(uuid.uuid4()),
        "boxes": [{"box_no": 1, "tracking_no": tracking_no, "weight_g": 500,
                   "expected_g": 480, "items": {str(n): q for n, q in lines}}],
        "units": sum(q for _n, q in lines), "refused": {}, "seconds": 3.0}}


def test_a_confirm_the_centre_cannot_take_becomes_an_exception(central: Database) -> None:
    wave_no, orders = _released(central)
    order_no = orders[0]
    event = _stale_confirm(central, order_no, "SF900000000001")

    results = station_events.apply(central, "ST-HZ-PACK-01", envelopes([event]))

    outcome = results[event["id"]]
    detail = outcome.detail
    assert outcome.kind == "conflict" and outcome.category == "sync_conflict"
    assert wave_no in detail and "SF900000000001" in detail
    with central.reader() as s:
        order = s.scalars(select(Order).where(Order.order_no == order_no)).one()
        assert (order.status, order.exception, order.wave_id) == ("exception", "sync_conflict",
                                                                  None)
        raised = s.scalars(select(OrderException).where(
            OrderException.order_id == order.id, OrderException.resolved_at.is_(None))).all()
        assert [e.category for e in raised] == ["sync_conflict"]
        # Stored as a note the exception queue words in the lead's language.
        (note,) = notes.decode(raised[0].detail) or [None]
        assert note is not None and note.code == "sync.packed_unpicked"
        assert (note.params["wave"], note.params["parcels"]) == (wave_no, "SF900000000001")
        moves = s.execute(select(AuditEntry.action, AuditEntry.before, AuditEntry.after).where(
            AuditEntry.entity_id == order_no).order_by(AuditEntry.id)).all()
        assert ("order.status", "in_wave", "exception") in moves
        assert any(action == "pack.conflict" for action, _b, _a in moves)
    lead = actor(central, "lead01")
    assert order_no in [i.order_no for i in exceptions.queue(central, lead,
                                                             category="sync_conflict")]
    # The same push again (its answer was lost) changes nothing more.
    assert station_events.apply(central, "ST-HZ-PACK-01", envelopes([event]))[event["id"]].kind == "conflict"
    with central.reader() as s:
        assert s.scalar(select(func.count()).select_from(OrderException).join(Order).where(
            Order.order_no == order_no)) == 1


def test_the_order_that_leaves_takes_the_last_open_task_and_the_wave_is_picked(
        central: Database) -> None:
    """The picker has picked everything but a bin only one order needed; that order, packed
    at a station before it was picked, leaves the wave: the wave is picked, its other orders
    go on to packing, and a wave nobody is left in ends cancelled."""
    wave_no, orders = _released(central)
    assert len(orders) >= 2
    picker = actor(central, "picker01")
    view = picking.claim(central, picker, wave_no)

    def only(order_no: str, task: picking.TaskView) -> bool:
        return {no for no, _units, _cell in task.cells} == {order_no}

    leaving = next(no for no in reversed(orders) if any(only(no, t) for t in view.tasks))
    for task in view.tasks:
        if not only(leaving, task):
            picking.confirm_bin(central, picker, wave_no, task.seq, task.bin_code)
            picking.pick(central, picker, wave_no, task.seq, task.sku_code,
                         qty=task.qty - task.picked)
    assert picking.view(central, picker, wave_no).status == "picking"  # one bin to go

    event = _stale_confirm(central, leaving, "SF900000000009")
    assert station_events.apply(central, "ST-HZ-PACK-01", envelopes([event]))[event["id"]].kind == \
        "conflict"
    assert picking.view(central, picker, wave_no).status == "picked"
    assert picking.held_wave(central, picker) is None  # not brought back to a finished wave
    with central.reader() as s:
        statuses = dict(s.execute(select(Order.order_no, Order.status).where(
            Order.order_no.in_(orders))).all())
    assert statuses.pop(leaving) == "exception"
    assert set(statuses.values()) == {"picked"}


def test_a_second_confirm_in_the_same_push_sees_what_the_first_conflict_did(
        central: Database) -> None:
    """A confirm whose tracking number is another parcel's moves the order into the exception
    queue; the next confirm of that order in the same batch is checked against that, never
    written as packed over the exception."""
    from app.store.models import Package

    orders = picked_wave(central)
    assert len(orders) >= 2
    taken = _stale_confirm(central, orders[1], "SF900000000031")
    assert station_events.apply(central, "ST-HZ-PACK-01", envelopes([taken]))[taken["id"]].kind == "applied"
    first = _stale_confirm(central, orders[0], "SF900000000031")
    again = _stale_confirm(central, orders[0], "SF900000000032")
    results = station_events.apply(central, "ST-HZ-PACK-01", envelopes([first, again]))
    assert [results[e["id"]].kind for e in (first, again)] == ["conflict", "conflict"]
    with central.reader() as s:
        order = s.scalars(select(Order).where(Order.order_no == orders[0])).one()
        assert (order.status, order.exception) == ("exception", "sync_conflict")
        assert s.scalar(select(func.count()).select_from(Package).where(
            Package.order_id == order.id)) == 0


def test_a_wave_every_order_left_ends_cancelled(central: Database) -> None:
    wave_no, orders = _released(central)
    for n, order_no in enumerate(orders):
        event = _stale_confirm(central, order_no, f"SF9000000001{n:02d}")
        assert station_events.apply(central, "ST-HZ-PACK-01", envelopes([event]))[event["id"]].kind == \
            "conflict"
    assert picking.view(central, system_actor(), wave_no).status == "cancelled"


def test_an_order_held_centrally_meanwhile_gets_no_label(central: Database,
                                                         tmp_path: Path) -> None:
    from app.services import orders as order_service

    orders = picked_wave(central)
    rt = station(central, tmp_path / "home")
    rt.start()
    try:
        bench = PackingBench(rt, actor(central, "packer01"))
        assert bench.open(orders[0]).accepted
        codes = unit_codes(central, orders[0])
        for code in codes[:-1]:
            assert bench.scan(code).accepted
        # Meanwhile a shift lead holds the order at the central database.
        order_service.change_status(central, actor(central, "lead01"), orders[0], "on_hold",
                                    "buyer called")
        view = bench.scan(codes[-1])
        assert not view.accepted and view.reason == "not_ready_centrally"
        assert view.message_args == {"order": orders[0], "status": "on_hold"}
        assert view.state is not None and view.state.phase is rules.Phase.LABELLING
        with rt.store.reader() as s:
            assert s.scalar(select(func.count()).select_from(PrintJob)) == 0
        assert outbox.pending(rt.store) == 0
    finally:
        rt.stop()


def test_an_order_not_held_offline_is_refused_in_words(tmp_path: Path) -> None:
    # A central database that does not answer (nothing listens on that port).
    gone = Database(make_engine("postgresql+psycopg://postgres@127.0.0.1:9/nowhere",
                                connect_timeout=1))
    rt = station(gone, tmp_path / "home")
    try:
        bench = PackingBench(rt, Actor(user_id=1, code="packer01", name="packer",
                                       role=Role.PACKER, station=rt.code))
        with pytest.raises(ServiceError) as err:
            bench.scan("PL2611110000123")
        assert err.value.code == "packing.not_held_offline"
        assert err.value.params == {"order": "PL2611110000123"}
        _nothing_written(rt)
    finally:
        gone.dispose()


def test_a_refused_order_leaves_the_one_on_the_bench_as_it_was(central: Database,
                                                                tmp_path: Path) -> None:
    picked = picked_wave(central)
    _wave_no, waiting = _released(central)
    rt = station(central, tmp_path / "home")
    rt.start()
    try:
        bench = PackingBench(rt, actor(central, "packer01"))
        assert bench.open(picked[0]).accepted
        session = bench.session_id
        with pytest.raises(ServiceError) as err:
            bench.scan(waiting[0])  # nothing scanned yet on the bench's order
        assert err.value.code == "packing.not_picked"
        assert bench.state is not None and bench.state.order.order_no == picked[0]
        with rt.store.reader() as s:
            assert s.scalar(select(PackSession.status).where(PackSession.id == session)) \
                == "open"
        assert bench.scan(unit_codes(central, picked[0])[0]).accepted
    finally:
        rt.stop()


def test_a_session_begun_from_a_status_no_longer_packable_waits_set_aside(
        central: Database, tmp_path: Path) -> None:
    picked = picked_wave(central)
    rt = station(central, tmp_path / "home")
    rt.start()
    try:
        bench = PackingBench(rt, actor(central, "packer01"))
        assert bench.open(picked[0]).accepted
        with rt.store.unit_of_work() as s:  # begun by an older station from an in_wave copy
            row = s.get(PackSession, bench.session_id)
            row.snapshot = {**row.snapshot, "status": "in_wave"}
        again = PackingBench(rt, actor(central, "packer01"))  # the station starts again
        view = again.resume_open()
        assert view.state is None and again.state is None
        with rt.store.reader() as s:
            assert s.scalar(select(PackSession.status)) == "paused"
    finally:
        rt.stop()


def test_a_wave_card_not_picked_or_cancelled_is_refused_in_words(central: Database,
                                                                 tmp_path: Path) -> None:
    wave_no, _orders = _released(central)
    rt = station(central, tmp_path / "home")
    rt.start()
    try:
        bench = PackingBench(rt, actor(central, "packer01"))
        with pytest.raises(ServiceError) as err:
            bench.scan(wave_no)
        assert (err.value.code, err.value.params) == ("packing.wave_not_picked",
                                                      {"wave": wave_no})
        waves.cancel(central, system_actor(), wave_no, "planned again")
        with pytest.raises(ServiceError) as err:
            bench.scan(wave_no)
        assert err.value.code == "packing.wave_cancelled"
        with pytest.raises(ServiceError) as err:
            bench.scan("WAVE-9999999999")
        assert err.value.code == "packing.no_wave"
        with pytest.raises(ServiceError) as err:
            bench.scan("PL2699999999999")  # no such order
        assert (err.value.code, err.value.params) == ("packing.unknown_code",
                                                      {"code_scanned": "PL2699999999999"})
        assert bench.wave_no is None
    finally:
        rt.stop()
