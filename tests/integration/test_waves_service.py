"""Waves and picking on SQLite and PostgreSQL: preview changes nothing, release puts each order in
one wave (also with two releases at once on PostgreSQL), one picker per wave, wrong scans change
nothing, picking moves stock out of the bins, a short pick raises its exception and the wave goes
on, the put wall sorts a multi-item wave, and a cancelled order leaves its wave with put-backs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select, update

from app.domain.picking_steps import PickStep
from app.domain.roles import Role
from app.services import auth, channel_events, demo, engine, picking, put_back, put_wall, waves
from app.services.context import Actor, system_actor
from app.services.errors import Conflict, InvalidInput, PermissionDenied, ScanRefused
from app.store import migrate
from app.store.db import Database, make_engine
from app.store.models import (
    AuditEntry,
    Bin,
    Order,
    OrderException,
    PickTask,
    PutbackTask,
    Sku,
    SkuBarcode,
    Stock,
    User,
    Wave,
    WaveOrder,
)
from tests.helpers.databases import require_pg, scratch_pg_database
from tests.helpers.orders import ENGINE_NOW

NOW = ENGINE_NOW


@pytest.fixture
def routed(db: Database) -> Database:
    engine.run_once(db, system_actor(), now=NOW)
    return db


def _picker(db: Database, code: str = "picker01") -> Actor:
    with db.reader() as s:
        user = s.scalars(select(User).where(User.code == code)).one()
        return Actor(user_id=user.id, code=user.code, name=user.name, role=Role(user.role),
                     station="ST-PICK")


def _busiest(db: Database) -> str:
    with db.reader() as s:
        from app.store.models import Warehouse

        return s.execute(select(Warehouse.code).join(Order, Order.warehouse_id == Warehouse.id)
                         .where(Order.status == "routed").group_by(Warehouse.code)
                         .order_by(func.count().desc())).scalars().first()


def _counts(db: Database) -> dict[str, int]:
    with db.reader() as s:
        return {"waves": s.scalar(select(func.count()).select_from(Wave)) or 0,
                "members": s.scalar(select(func.count()).select_from(WaveOrder)) or 0,
                "in_wave": s.scalar(select(func.count()).select_from(Order)
                                    .where(Order.status == "in_wave")) or 0,
                "reserved": s.scalar(select(func.sum(Stock.reserved))) or 0,
                "on_hand": s.scalar(select(func.sum(Stock.on_hand))) or 0,
                "picked": s.scalar(select(func.sum(PickTask.picked_qty))) or 0}


def test_preview_changes_nothing_and_release_puts_each_order_in_one_wave(
        routed: Database) -> None:
    wh = _busiest(routed)
    before = _counts(routed)
    plan = waves.plan(routed, system_actor(), wh, "per_order", max_orders=10, max_cells=5)
    assert plan.waves and all(len(w.order_ids) <= 5 for w in plan.waves)
    assert _counts(routed) == before
    released = waves.release(routed, system_actor(), wh, "per_order", max_orders=10,
                             max_cells=5, max_waves=3)
    assert len(released) == 3
    with routed.reader() as s:
        members = list(s.execute(select(WaveOrder.order_id, Wave.wave_no)
                                 .join(Wave, Wave.id == WaveOrder.wave_id)))
        assert len({o for o, _w in members}) == len(members) == sum(r.orders for r in released)
        statuses = set(s.scalars(select(Order.status).where(
            Order.id.in_([o for o, _w in members]))))
        assert statuses == {"in_wave"}
        tasks_units = s.scalar(select(func.sum(PickTask.qty))) or 0
    assert tasks_units == sum(r.units for r in released)
    # Released orders are not offered again.
    again = waves.plan(routed, system_actor(), wh, "per_order", max_orders=10, max_cells=5)
    planned_again = {o for w in again.waves for o in w.order_ids}
    assert not planned_again & {o for o, _w in members}


def test_bad_plans_are_refused(routed: Database) -> None:
    with pytest.raises(InvalidInput, match="unknown strategy"):
        waves.plan(routed, system_actor(), "HZ", "zigzag")
    with pytest.raises(InvalidInput):
        waves.plan(routed, system_actor(), "HZ", "per_order", max_orders=0)
    picker = _picker(routed)
    with pytest.raises(PermissionDenied):
        waves.release(routed, picker, "HZ", "per_order")


def _released_wave(db: Database, strategy: str = "per_order", **opts: Any) -> str:
    wh = _busiest(db)
    (r,) = waves.release(db, system_actor(), wh, strategy, max_waves=1, **opts)
    return r.wave_no


def test_cancel_puts_the_orders_back_in_the_queue(routed: Database) -> None:
    before = _counts(routed)
    wave_no = _released_wave(routed, max_orders=6, max_cells=6)
    assert waves.cancel(routed, system_actor(), wave_no, "wrong strategy") > 0
    after = _counts(routed)
    assert after["in_wave"] == 0 and after["reserved"] == before["reserved"]
    with pytest.raises(Conflict) as again:
        waves.cancel(routed, system_actor(), wave_no)
    # Said as what it is (cancelled already), not as a wave whose picking has started.
    assert (again.value.code, again.value.params["wave_status"]) == ("wave.cancel_started",
                                                                     "cancelled")


def test_one_picker_per_wave(routed: Database) -> None:
    wave_no = _released_wave(routed, max_orders=4, max_cells=4)
    view = picking.claim(routed, _picker(routed), wave_no)
    assert view.status == "picking" and view.current is not None
    # Another real picker (a service looks the person up before acting).
    with routed.reader() as s:
        admin = s.execute(select(User.id, User.name).where(User.code == "admin")).one()
    other_id = auth.create_user(routed, Actor(admin.id, "admin", admin.name, Role.ADMIN),
                                auth.NewUser("picker99", "X", Role.PICKER, "picker-99-pw"))
    intruder = Actor(user_id=other_id, code="picker99", name="X", role=Role.PICKER)
    with pytest.raises(Conflict):
        picking.claim(routed, intruder, wave_no)
    # The same picker claiming again carries on where they were.
    assert picking.claim(routed, _picker(routed), wave_no).wave_no == wave_no


def _barcode(db: Database, sku_code: str) -> str:
    with db.reader() as s:
        return s.scalars(select(SkuBarcode.barcode).join(Sku, Sku.id == SkuBarcode.sku_id)
                         .where(Sku.code == sku_code, SkuBarcode.units == 1)
                         .order_by(SkuBarcode.barcode)).first()  # the EAN before an INT code


def test_wrong_scans_change_nothing_and_right_ones_pick(routed: Database) -> None:
    wave_no = _released_wave(routed, max_orders=4, max_cells=4)
    picker = _picker(routed)
    view = picking.claim(routed, picker, wave_no)
    task = view.current
    assert task is not None
    before = _counts(routed)
    with pytest.raises(ScanRefused) as wrong_bin:
        picking.confirm_bin(routed, picker, wave_no, task.seq, "LOC-HZ-Z99-99-9")
    assert wrong_bin.value.kind == "wrong_bin"  # a bin label, of another bin
    with pytest.raises(ScanRefused) as not_bin:
        picking.confirm_bin(routed, picker, wave_no, task.seq, "6901234567892")
    assert not_bin.value.kind == "not_a_bin"
    with routed.reader() as s:
        other_sku = s.scalars(select(Sku.code).where(Sku.code != task.sku_code)).first()
    at_bin = picking.confirm_bin(routed, picker, wave_no, task.seq, task.bin_code)
    assert at_bin.current is not None and at_bin.current.step is PickStep.BIN_CONFIRMED
    with pytest.raises(ScanRefused) as wrong_item:
        picking.pick(routed, picker, wave_no, task.seq, _barcode(routed, other_sku))
    assert wrong_item.value.kind == "wrong_item"
    with pytest.raises(ScanRefused):
        picking.pick(routed, picker, wave_no, task.seq, _barcode(routed, task.sku_code),
                     qty=task.qty + 1)
    assert _counts(routed) == before
    # The right bin and the right item, unit by unit, until the whole wave is picked.
    while (task := view.current) is not None:
        assert picking.confirm_bin(routed, picker, wave_no, task.seq, task.bin_code.lower())
        for _ in range(task.qty - task.picked):
            view = picking.pick(routed, picker, wave_no, task.seq,
                                _barcode(routed, task.sku_code))
    after = _counts(routed)
    units = sum(t.qty for t in view.tasks)
    assert after["picked"] == units
    assert after["on_hand"] == before["on_hand"] - units
    assert after["reserved"] == before["reserved"] - units
    with routed.reader() as s:
        wave = s.scalars(select(Wave).where(Wave.wave_no == wave_no)).one()
        assert wave.status == "picked"
        assert set(s.scalars(select(Order.status).where(Order.wave_id == wave.id))) == \
            {"picked"}


def _bin_confirmed(db: Database, wave_no: str, seq: int) -> bool:
    """What the database holds of the task's bin scan."""
    with db.reader() as s:
        return s.scalar(select(PickTask.bin_confirmed_at).join(Wave, Wave.id == PickTask.wave_id)
                        .where(Wave.wave_no == wave_no, PickTask.seq == seq)) is not None


def test_an_item_scanned_before_its_bin_is_refused_and_changes_nothing(
        routed: Database) -> None:
    wave_no = _released_wave(routed, max_orders=4, max_cells=4)
    picker = _picker(routed)
    task = picking.claim(routed, picker, wave_no).current
    assert task is not None and task.step is PickStep.AT_BIN
    before = _counts(routed)
    with pytest.raises(ScanRefused) as first:
        picking.pick(routed, picker, wave_no, task.seq, _barcode(routed, task.sku_code))
    assert (first.value.code, first.value.kind) == ("pick.scan_bin_first", "bin_first")
    assert first.value.params == {"seq": task.seq, "bin": task.bin_code}
    assert _counts(routed) == before and not _bin_confirmed(routed, wave_no, task.seq)
    assert picking.view(routed, picker, wave_no).current == task
    # A refused bin is no confirmation either.
    with pytest.raises(ScanRefused):
        picking.confirm_bin(routed, picker, wave_no, task.seq, "LOC-HZ-Z99-99-9")
    with pytest.raises(ScanRefused) as again:
        picking.pick(routed, picker, wave_no, task.seq, _barcode(routed, task.sku_code))
    assert again.value.code == "pick.scan_bin_first"
    # Its bin, then the item: picked.
    picking.confirm_bin(routed, picker, wave_no, task.seq, task.bin_code)
    assert _bin_confirmed(routed, wave_no, task.seq)
    view = picking.pick(routed, picker, wave_no, task.seq, _barcode(routed, task.sku_code))
    assert _counts(routed)["picked"] == before["picked"] + 1
    done = next(t for t in view.tasks if t.seq == task.seq)
    # Units left: still at the bin; none left: finished, and the next task starts at its bin.
    assert done.step is (PickStep.FINISHED if task.qty == 1 else PickStep.BIN_CONFIRMED)
    if view.current is not None and view.current.seq != task.seq:
        assert view.current.step is PickStep.AT_BIN


def test_a_picker_on_another_scanner_carries_on_at_the_confirmed_bin(routed: Database) -> None:
    wave_no = _released_wave(routed, max_orders=4, max_cells=4)
    picker = _picker(routed)
    task = picking.claim(routed, picker, wave_no).current
    picking.confirm_bin(routed, picker, wave_no, task.seq, task.bin_code)
    # The same person, logged in again at another scanner: the bin scan is the service's.
    elsewhere = auth.login_password(routed, "picker01", "picker123", "ST-PICK-02")
    held = picking.held_wave(routed, elsewhere)
    assert held is not None and held.current is not None
    assert (held.current.seq, held.current.step) == (task.seq, PickStep.BIN_CONFIRMED)
    view = picking.pick(routed, elsewhere, wave_no, task.seq, _barcode(routed, task.sku_code))
    assert next(t for t in view.tasks if t.seq == task.seq).picked == 1


def test_a_skipped_task_and_a_handed_back_wave_start_again_at_the_bin(
        routed: Database) -> None:
    wave_no = _released_wave(routed, max_orders=4, max_cells=4)
    first, second = _picker(routed), _second_picker(routed)
    task = picking.claim(routed, first, wave_no).current
    picking.confirm_bin(routed, first, wave_no, task.seq, task.bin_code)
    view = picking.skip(routed, first, wave_no, task.seq)
    skipped = next(t for t in view.tasks if t.seq == task.seq)
    assert (skipped.status, skipped.step) == ("skipped", PickStep.AT_BIN)
    assert not _bin_confirmed(routed, wave_no, task.seq)
    with pytest.raises(ScanRefused) as refused:
        picking.pick(routed, first, wave_no, task.seq, _barcode(routed, task.sku_code))
    assert refused.value.code == "pick.scan_bin_first"
    # Confirmed again, then handed back: the next picker scans the bin there themselves.
    picking.confirm_bin(routed, first, wave_no, task.seq, task.bin_code)
    picking.hand_back(routed, first, wave_no, "end of shift")
    assert not _bin_confirmed(routed, wave_no, task.seq)
    carried = picking.claim(routed, second, wave_no)
    assert carried.current is not None and carried.current.step is PickStep.AT_BIN
    with pytest.raises(ScanRefused) as theirs:
        picking.pick(routed, second, wave_no, carried.current.seq,
                     _barcode(routed, carried.current.sku_code))
    assert theirs.value.code == "pick.scan_bin_first"


def test_a_finished_task_takes_no_more_scans(routed: Database) -> None:
    wave_no = _released_wave(routed, max_orders=4, max_cells=4)
    picker = _picker(routed)
    task = picking.claim(routed, picker, wave_no).current
    picking.confirm_bin(routed, picker, wave_no, task.seq, task.bin_code)
    picking.pick(routed, picker, wave_no, task.seq, task.sku_code, qty=task.qty)
    before = _counts(routed)
    for scan in (lambda: picking.confirm_bin(routed, picker, wave_no, task.seq, task.bin_code),
                 lambda: picking.pick(routed, picker, wave_no, task.seq, task.sku_code),
                 lambda: picking.skip(routed, picker, wave_no, task.seq)):
        with pytest.raises(ScanRefused) as refused:
            scan()
        assert (refused.value.code, refused.value.kind) == ("pick.task_done", "done")
    assert _counts(routed) == before


def test_a_short_pick_raises_its_exception_and_the_wave_goes_on(routed: Database) -> None:
    wave_no = _released_wave(routed, max_orders=6, max_cells=6)
    picker = _picker(routed)
    view = picking.claim(routed, picker, wave_no)
    task = view.current
    assert task is not None
    with pytest.raises(ScanRefused):  # "short" by zero or more than asked is no short
        picking.short_pick(routed, picker, wave_no, task.seq, task.qty)
    view = picking.short_pick(routed, picker, wave_no, task.seq, 0, "bin empty")
    with routed.reader() as s:
        short = list(s.execute(select(Order.order_no, Order.status, Order.wave_id)
                               .join(OrderException, OrderException.order_id == Order.id)
                               .where(OrderException.category == "short_pick")))
        assert short and all(st == "exception" and w is None for _no, st, w in short)
        done = s.scalars(select(PickTask).join(Wave, Wave.id == PickTask.wave_id)
                         .where(Wave.wave_no == wave_no, PickTask.seq == task.seq)).first()
        assert done is None or done.status == "short"
        assert s.scalar(select(func.count()).select_from(AuditEntry)
                        .where(AuditEntry.action == "wave.short_pick")) == 1
        oversold = s.scalar(select(func.count()).select_from(Stock)
                            .where(Stock.reserved > Stock.on_hand))
    assert oversold == 0
    # The rest of the wave is still to pick (unless that stop was the whole wave).
    assert view.status in ("picking", "picked")


def test_a_cancelled_order_leaves_its_wave_and_what_was_picked_goes_back(
        routed: Database) -> None:
    wave_no = _released_wave(routed, max_orders=5, max_cells=5)
    picker = _picker(routed)
    view = picking.claim(routed, picker, wave_no)
    task = view.current
    assert task is not None
    picking.confirm_bin(routed, picker, wave_no, task.seq, task.bin_code)
    view = picking.pick(routed, picker, wave_no, task.seq, _barcode(routed, task.sku_code))
    first_order = task.cells[0][0]
    with routed.reader() as s:
        order = s.scalars(select(Order).where(Order.order_no == first_order)).one()
        channel, number = order.channel, order.channel_order_no
    channel_events.apply_event(routed, system_actor(), channel, number, "cancelled", "c-1")
    view = picking.view(routed, system_actor(), wave_no)
    assert first_order not in {no for t in view.tasks for no, _q, _c in t.cells}
    with routed.reader() as s:
        order = s.scalars(select(Order).where(Order.order_no == first_order)).one()
        assert order.wave_id is None and order.status == "cancelled"
        back = [(b.id, b.qty, b.status) for b in s.scalars(
            select(PutbackTask).where(PutbackTask.order_id == order.id))]
    assert [(q, st) for _i, q, st in back] == [(1, "open")]
    bin_code = next(p["bin"] for p in view.putbacks)
    with pytest.raises(ScanRefused):
        put_back.finish_putback(routed, picker, back[0][0], "LOC-XX-A01-01-1")
    before = _counts(routed)["on_hand"]
    put_back.finish_putback(routed, picker, back[0][0], bin_code)
    assert _counts(routed)["on_hand"] == before + 1


def test_the_put_wall_sorts_a_multi_item_wave_slot_by_slot(routed: Database) -> None:
    wh = _busiest(routed)
    released = waves.release(routed, system_actor(), wh, "multi_item", max_orders=4,
                             max_cells=4, max_waves=1)
    assert released, "the seed routes multi-item orders: this test must put them on the wall"
    wave_no = released[0].wave_no
    picker = _picker(routed)
    view = picking.claim(routed, picker, wave_no)
    scanned: list[str] = []
    while (task := view.current) is not None:
        picking.confirm_bin(routed, picker, wave_no, task.seq, task.bin_code)
        for _ in range(task.qty - task.picked):
            code = _barcode(routed, task.sku_code)
            view = picking.pick(routed, picker, wave_no, task.seq, code)
            scanned.append(code)
    assert view.status == "picked"
    with routed.reader() as s:
        assert set(s.scalars(select(Order.status).where(Order.wave_id.is_not(None),
                                                          Order.status != "picked"))) \
            <= {"picking", "in_wave"}
    with pytest.raises(ScanRefused):
        put_wall.put(routed, picker, wave_no, "LOC-HZ-A01-01-1")  # not an item
    completed = []
    for code in reversed(scanned):  # any order works
        put = put_wall.put(routed, picker, wave_no, code)
        if put.slot_complete:
            completed.append(put.order_no)
    with routed.reader() as s:
        wave_id, wave_status = s.execute(select(Wave.id, Wave.status)
                                         .where(Wave.wave_no == wave_no)).one()
        statuses = set(s.scalars(select(Order.status).join(
            WaveOrder, WaveOrder.order_id == Order.id).where(WaveOrder.wave_id == wave_id)))
    assert statuses == {"picked"} and wave_status == "done"
    assert len(completed) == released[0].orders
    with pytest.raises(ScanRefused):  # everything is sorted: nothing needs it now
        put_wall.put(routed, picker, wave_no, scanned[0])


@pytest.fixture
def pg_backlog() -> Iterator[str]:
    require_pg()
    with scratch_pg_database("waves") as url:
        eng = make_engine(url)
        migrate.upgrade(eng)
        db = Database(eng)
        demo.seed(db, system_actor(), orders=1500, seed=31, now=NOW)
        engine.run_once(db, system_actor(), now=NOW)
        eng.dispose()
        yield url


def test_two_releases_at_once_never_put_an_order_in_two_waves(pg_backlog: str,
                                                              tmp_path) -> None:
    """Two `packline waves release` processes on the same backlog at the same moment."""
    import json

    from tests.helpers.cli import packline_process

    eng = make_engine(pg_backlog)
    db = Database(eng)
    wh = _busiest(db)
    planned = sum(len(w.order_ids) for w in waves.plan(
        db, system_actor(), wh, "per_order", max_orders=20, max_cells=20).waves)
    procs = [packline_process(tmp_path, "waves", "release", "--warehouse", wh, "--strategy",
                              "per_order", "--max-orders", "20", "--max-cells", "20",
                              central_url=pg_backlog, as_user="lead01") for _ in range(2)]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _out, err in outputs]
    released = [r for out, _err in outputs for r in json.loads(out)]
    with db.reader() as s:
        live = list(s.scalars(select(WaveOrder.order_id).where(WaveOrder.removed_at.is_(None))))
        in_wave = s.scalar(select(func.count()).select_from(Order)
                           .where(Order.status == "in_wave"))
        empty = s.scalar(select(func.count()).select_from(Wave).where(Wave.order_count == 0))
    # Every planned order released once between the two; none twice, none lost.
    assert len(live) == len(set(live)) == in_wave == sum(r["orders"] for r in released) \
        == planned
    assert empty == 0
    eng.dispose()


def test_bins_of_a_released_wave_are_visited_in_walking_order(routed: Database) -> None:
    wave_no = _released_wave(routed, "per_order", max_orders=10, max_cells=10)
    view = picking.view(routed, system_actor(), wave_no)
    with routed.reader() as s:
        spots = {code: (a, r) for code, a, r in s.execute(select(Bin.code, Bin.aisle, Bin.rack))}
    walk = [spots[t.bin_code] for t in view.tasks]
    # Serpentine: odd aisles walked up the racks, even aisles down (the pure tests pin the
    # exact order on hand-drawn layouts).
    same_aisle = [(a1, r1, r2) for (a1, r1), (a2, r2) in zip(walk, walk[1:], strict=False)
                  if a1 == a2]
    assert same_aisle, walk  # else the walk says nothing about the direction in an aisle
    for aisle, r1, r2 in same_aisle:
        assert (r2 >= r1) if aisle % 2 else (r2 <= r1)


def test_the_pick_list_prints_what_is_left_in_walking_order(routed: Database) -> None:
    import zxingcpp

    from app.printing.raster import pdf_to_images
    from app.printing.render import render

    wave_no = _released_wave(routed, max_orders=8, max_cells=8)
    view = picking.view(routed, system_actor(), wave_no)
    doc = picking.pick_list(routed, system_actor(), wave_no)
    assert [t.bin for t in doc.tasks] == [t.bin_code for t in view.tasks]
    assert all(t.barcode for t in doc.tasks) and sum(t.qty for t in doc.tasks) == \
        sum(t.qty for t in view.tasks)
    first_page = pdf_to_images(render(doc, "pdf", paper="a4"), 150)[0]
    assert wave_no in {b.text for b in zxingcpp.read_barcodes(first_page)}


def _second_picker(db: Database) -> Actor:
    from app.services import auth

    auth.create_user(db, system_actor(), auth.NewUser("picker02", "李拣货", Role.PICKER,
                                                      "picker234"))
    return _picker(db, "picker02")


def _audited(db: Database, action: str, wave_no: str) -> list[tuple[str, str]]:
    with db.reader() as s:
        return [(a.actor, a.action) for a in s.scalars(
            select(AuditEntry).where(AuditEntry.action == action,
                                     AuditEntry.entity_id == wave_no))]


def test_a_picker_hands_a_wave_back_and_another_carries_on(routed: Database) -> None:
    wave_no = _released_wave(routed, max_orders=4, max_cells=4)
    first, second = _picker(routed), _second_picker(routed)
    view = picking.claim(routed, first, wave_no)
    task = view.current
    picking.confirm_bin(routed, first, wave_no, task.seq, task.bin_code)
    view = picking.pick(routed, first, wave_no, task.seq, _barcode(routed, task.sku_code))
    with pytest.raises(PermissionDenied) as foreign:  # only the holder hands it back
        picking.hand_back(routed, second, wave_no)
    assert foreign.value.code == "wave.not_yours"
    before = _counts(routed)
    back = picking.hand_back(routed, first, wave_no, "end of shift")
    assert back.status == "released" and back.picker == ""
    assert _counts(routed) == before  # the picked unit stays picked
    assert _audited(routed, "wave.handed_back", wave_no) == [("picker01", "wave.handed_back")]
    assert picking.held_wave(routed, first) is None
    with pytest.raises(Conflict) as again:
        picking.hand_back(routed, first, wave_no)
    assert again.value.code == "wave.not_being_picked"
    carried = picking.claim(routed, second, wave_no)
    assert carried.picker == "李拣货"
    assert sum(t.picked for t in carried.tasks) == 1
    assert carried.current == view.current  # where the first picker stopped
    picking.hand_back(routed, second, wave_no)
    with pytest.raises(Conflict) as started:  # released, but units picked: no cancel
        waves.cancel(routed, system_actor(), wave_no)
    assert started.value.code == "wave.started"


def test_a_picker_abandons_a_wave_before_picking_and_it_goes_back_to_the_queue(
        routed: Database) -> None:
    queued = _counts(routed)
    wave_no = _released_wave(routed, max_orders=4, max_cells=4)
    picker = _picker(routed)
    view = picking.claim(routed, picker, wave_no)
    with pytest.raises(PermissionDenied):  # a picker who does not hold it
        picking.abandon(routed, _second_picker(routed), wave_no)
    assert picking.abandon(routed, picker, wave_no, "cart broken") > 0
    after = _counts(routed)
    assert after["in_wave"] == 0 and after["reserved"] == queued["reserved"]
    with routed.reader() as s:
        statuses = set(s.scalars(select(Order.status).where(Order.order_no.in_(
            [no for t in view.tasks for no, _q, _c in t.cells]))))
        assert s.scalar(select(Wave.status).where(Wave.wave_no == wave_no)) == "cancelled"
    assert statuses == {"routed"}
    assert _audited(routed, "wave.abandoned", wave_no) == [("picker01", "wave.abandoned")]


def test_a_wave_with_units_picked_cannot_be_abandoned(routed: Database) -> None:
    wave_no = _released_wave(routed, max_orders=4, max_cells=4)
    picker = _picker(routed)
    task = picking.claim(routed, picker, wave_no).current
    picking.confirm_bin(routed, picker, wave_no, task.seq, task.bin_code)
    picking.pick(routed, picker, wave_no, task.seq, _barcode(routed, task.sku_code))
    before = _counts(routed)
    with pytest.raises(Conflict) as refused:
        picking.abandon(routed, picker, wave_no)
    assert refused.value.code == "wave.abandon_picked"
    assert refused.value.params == {"wave": wave_no, "units": 1}
    assert _counts(routed) == before
    assert picking.held_wave(routed, picker).wave_no == wave_no


def test_release_takes_only_the_chosen_waves_of_the_preview(routed: Database) -> None:
    wh = _busiest(routed)
    planned = waves.plan(routed, system_actor(), wh, "per_order", max_orders=3, max_cells=3)
    assert len(planned.waves) >= 3
    with pytest.raises(InvalidInput) as none:
        waves.release_planned(routed, system_actor(), planned, [])
    assert none.value.code == "wave.none_chosen"
    with pytest.raises(PermissionDenied):
        waves.release_planned(routed, _picker(routed), planned, [0])
    before = _counts(routed)
    released = waves.release_planned(routed, system_actor(), planned, [2, 0])
    assert [r.orders for r in released] == [len(planned.waves[0].order_ids),
                                            len(planned.waves[2].order_ids)]
    with routed.reader() as s:
        in_wave = set(s.scalars(select(Order.id).where(Order.status == "in_wave")))
    assert in_wave == set(planned.waves[0].order_ids) | set(planned.waves[2].order_ids)
    assert _counts(routed)["waves"] == before["waves"] + 2


def test_the_wave_list_puts_the_most_urgent_band_first(routed: Database) -> None:
    wh = _busiest(routed)
    released = waves.release(routed, system_actor(), wh, "per_order", max_orders=2,
                             max_cells=2, max_waves=5, mix_bands=False)
    assert len(released) >= 2
    bands = ["normal", "vip", "overdue", "presale", "due_soon"]
    with routed.unit_of_work() as s:  # one wave per band, the most urgent released first
        for r, band in zip(released, bands, strict=False):
            s.execute(update(Wave).where(Wave.wave_no == r.wave_no).values(priority_band=band))
    rows = waves.list_waves(routed, system_actor())
    from app.domain.priority import BANDS

    shown = [r["band"] for r in rows]
    assert shown == sorted(shown, key=BANDS.index)
    assert shown[0] != bands[0]


@pytest.mark.parametrize("event", ["address_changed", "refund_requested"])
def test_an_order_its_channel_stops_mid_pick_leaves_the_wave_and_the_wave_is_picked_to_the_end(
        routed: Database, event: str) -> None:
    """The 11.11 rehearsal found it: a receiver's address changed while the order's wave was
    being picked stopped the order in the wave, and the wave's last unit was then refused
    (the order could not move to picked), for ever. Now the order leaves the wave: its picked
    units go back, its reservation is given back, and the rest of the wave is picked to the
    end. A refund waits held with its intercept for the lead; a new address is written and
    the order is routed again for it."""
    from tests.rehearsal.invariants import reserved_matches_orders

    wave_no = _released_wave(routed, max_orders=5, max_cells=5)
    picker = _picker(routed)
    view = picking.claim(routed, picker, wave_no)
    task = view.current
    assert task is not None and len({no for t in view.tasks for no, _q, _c in t.cells}) > 1
    picking.confirm_bin(routed, picker, wave_no, task.seq, task.bin_code)
    picking.pick(routed, picker, wave_no, task.seq, _barcode(routed, task.sku_code))
    stopped = task.cells[0][0]
    with routed.reader() as s:
        order = s.scalars(select(Order).where(Order.order_no == stopped)).one()
        channel, number, province, city, district = (
            order.channel, order.channel_order_no, order.province, order.city, order.district)
    payload = {"receiver": {"name": "王改址", "phone": "13900001111", "province": province,
                            "city": city, "district": district, "address": "新地址路1号"}} \
        if event == "address_changed" else {}
    channel_events.apply_event(routed, system_actor(), channel, number, event, "mid-pick",
                               payload)
    with routed.reader() as s:
        order = s.scalars(select(Order).where(Order.order_no == stopped)).one()
        if event == "refund_requested":
            assert (order.wave_id, order.status, order.intercept) == (None, "on_hold", event)
        else:
            assert (order.wave_id, order.status, order.intercept) == (
                None, "pending_review", None)
            assert (order.receiver_name, order.address) == ("王改址", "新地址路1号")
        assert s.scalar(select(func.count()).select_from(PutbackTask)
                        .where(PutbackTask.order_id == order.id)) == 1
    view = picking.view(routed, system_actor(), wave_no)
    while (t := view.current) is not None:
        if t.step is PickStep.AT_BIN:
            picking.confirm_bin(routed, picker, wave_no, t.seq, t.bin_code)
        view = picking.pick(routed, picker, wave_no, t.seq, _barcode(routed, t.sku_code),
                            qty=t.qty - t.picked)
    assert view.status == "picked"
    held = reserved_matches_orders(routed.bind, {})  # type: ignore[arg-type]
    assert held.ok, held.detail
