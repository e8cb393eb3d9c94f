"""The floor's work counted per person in five-minute slots by the real services, on SQLite and
PostgreSQL: picks confirmed (units) and a wave finished (its orders) count for the picker, a
pushed pack counts for its packer at the time the station says it was packed (an hour late
sync lands in that hour), a resent push counts nothing twice, the put wall counts each order
for whoever sorted it, a closed handover counts its
orders for the dock; and two transactions adding to one slot at once both count."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, func, select, text

from app.domain.forecast import SLOT, slot_of
from app.services import handover, station_events, tracking, work
from app.services.context import system_actor
from app.store import migrate
from app.store.db import Database
from app.store.models import (
    Carrier,
    Order,
    OrderLine,
    Package,
    PickTask,
    User,
    Warehouse,
    Wave,
    WaveOrder,
    WorkSlot,
)
from tests.helpers.databases import require_pg, scratch_pg_database
from tests.helpers.link import envelopes
from tests.helpers.packing import actor, picked_wave
from tests.helpers.waiting import eventually

pytestmark = pytest.mark.timeout(300)
STATION = "ST-HZ-PACK-01"


def _slots(db: Database, kind: str, code: str) -> dict[datetime, tuple[int, int, float, int]]:
    with db.reader() as s:
        rows = s.execute(select(WorkSlot.slot_at, WorkSlot.orders, WorkSlot.units,
                                WorkSlot.seconds, WorkSlot.events)
                         .join(User, User.id == WorkSlot.user_id)
                         .where(WorkSlot.kind == kind, User.code == code))
        return {at: (o, u, sec, e) for at, o, u, sec, e in rows}


def _no_history(db: Database) -> None:
    with db.unit_of_work() as s:
        s.execute(delete(WorkSlot))  # the demo's floor history


def _confirmed(db: Database, order_no: str, packed_at: datetime | None,
               seconds: float = 40.0) -> dict[str, Any]:
    """A pack.confirmed event as the packing bench writes it, with a number of the order's
    carrier handed to the station in advance."""
    with db.reader() as s:
        lines = s.execute(select(OrderLine.line_no, OrderLine.qty).join(Order).where(
            Order.order_no == order_no)).all()
        carrier = s.scalar(select(Carrier.code).join(Order, Order.carrier_id == Carrier.id)
                           .where(Order.order_no == order_no))
    (number,) = tracking.allocate_block(db, system_actor(STATION), STATION, carrier, 1)
    payload: dict[str, Any] = {
        "user": "packer01", "order_no": order_no, "session": str(uuid.uuid4()),
        "boxes": [{"box_no": 1, "tracking_no": number, "weight_g": 500, "expected_g": 480,
                   "items": {str(n): q for n, q in lines}}],
        "units": sum(q for _n, q in lines), "refused": {}, "seconds": seconds}
    if packed_at is not None:
        payload["packed_at"] = packed_at.isoformat()
    return {"id": str(uuid.uuid4()), "kind": "pack.confirmed", "payload": payload}


def test_picks_count_units_and_a_finished_wave_counts_its_orders(central: Database) -> None:
    db = central
    _no_history(db)
    start = datetime.now(UTC)
    orders = picked_wave(db, orders=4)
    end = datetime.now(UTC)
    with db.reader() as s:
        (wave_id,) = s.scalars(select(Wave.id).where(Wave.status == "picked"))
        units = s.scalar(select(func.sum(PickTask.picked_qty)).where(
            PickTask.wave_id == wave_id))
        scans = s.scalar(select(func.count()).select_from(PickTask).where(
            PickTask.wave_id == wave_id))
        in_wave = s.scalar(select(func.count()).select_from(WaveOrder).where(
            WaveOrder.wave_id == wave_id, WaveOrder.removed_at.is_(None)))
    slots = _slots(db, "pick", "picker01")
    assert slots and all(slot_of(start) <= at <= slot_of(end) for at in slots)
    assert sum(o for o, _u, _s, _e in slots.values()) == in_wave == len(orders)
    assert sum(u for _o, u, _s, _e in slots.values()) == units
    # One event per confirmed pick (a task's units in one typed quantity) and the finish.
    assert sum(e for *_x, e in slots.values()) == scans + 1
    assert _slots(db, "pack", "picker01") == {} and _slots(db, "pick", "packer01") == {}


def test_a_pushed_pack_counts_at_its_own_time_once_and_a_handover_counts_its_orders(
        central: Database) -> None:
    db = central
    orders = picked_wave(db, orders=4)
    assert len(orders) >= 2
    _no_history(db)
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    late = _confirmed(db, orders[0], an_hour_ago, seconds=12.5)
    before = datetime.now(UTC)
    fresh = _confirmed(db, orders[1], None, seconds=30.0)
    again = _confirmed(db, orders[0], datetime.now(UTC))  # packed twice: a conflict
    results = station_events.apply(db, STATION, envelopes([late, fresh, again]))
    after = datetime.now(UTC)
    assert [results[e["id"]].kind for e in (late, fresh, again)] == [
        "applied", "applied", "conflict"]
    slots = _slots(db, "pack", "packer01")
    units = {o: e["payload"]["units"] for o, e in ((orders[0], late), (orders[1], fresh))}
    assert slots[slot_of(an_hour_ago)] == (1, units[orders[0]], 12.5, 1)
    now_slots = {at: v for at, v in slots.items() if at != slot_of(an_hour_ago)}
    assert len(now_slots) == 1
    ((at, value),) = now_slots.items()
    assert slot_of(before) <= at <= slot_of(after)
    assert value == (1, units[orders[1]], 30.0, 1)

    # The answer was lost and the station sends the batch again: nothing counts twice.
    station_events.apply(db, STATION, envelopes([late, fresh, again]))
    assert _slots(db, "pack", "packer01") == slots

    # The dock hands the carrier's packed parcels over and closes: one ship count per order.
    with db.reader() as s:
        rows = s.execute(select(Order.order_no, Order.unit_count, Package.tracking_no,
                                Carrier.code, Warehouse.code)
                         .join(Package, Package.order_id == Order.id)
                         .join(Carrier, Carrier.id == Order.carrier_id)
                         .join(Warehouse, Warehouse.id == Order.warehouse_id)
                         .where(Order.order_no.in_(orders[:2]))).all()
    carrier, wh = rows[0][3], rows[0][4]
    mine = [r for r in rows if r[3] == carrier and r[4] == wh]
    dock = actor(db, "lead01")
    view = handover.open_handover(db, dock, wh, carrier)
    for _no, _units, number, _c, _w in mine:
        handover.scan_parcel(db, dock, view.handover_no, number)
    closing = datetime.now(UTC)
    handover.close(db, dock, view.handover_no)
    shipped = _slots(db, "ship", "lead01")
    assert len(shipped) == 1
    ((at, value),) = shipped.items()
    assert slot_of(closing) <= at <= slot_of(datetime.now(UTC))
    assert value[:2] == (len(mine), sum(u for _n, u, *_r in mine)) and value[3] == 1
    assert _slots(db, "ship", "packer01") == {}


def test_work_without_a_person_or_of_an_unknown_kind(central: Database) -> None:
    db = central
    _no_history(db)
    at = datetime(2026, 11, 11, 4, 7, 30, tzinfo=UTC)
    with db.unit_of_work() as s:
        work.count(s, [work.Done("pack", None, at, orders=3)])
        packer = s.scalar(select(User.id).where(User.code == "packer01"))
        work.count(s, [work.Done("pack", packer, at, orders=2, units=-4, seconds=3.33),
                       work.Done("pack", packer, at + timedelta(minutes=2), orders=1, units=1,
                                 seconds=1.0)])
        with pytest.raises(ValueError, match="unknown kind"):
            work.count(s, [work.Done("sort", packer, at, orders=1)])
    assert _slots(db, "pack", "packer01") == {
        datetime(2026, 11, 11, 4, 5, tzinfo=UTC): (3, 1, 4.3, 2)}


# ---------------------------------------------------------------- two at once


@pytest.fixture
def pg_db() -> Iterator[Database]:
    require_pg()
    with scratch_pg_database("slots") as url:
        migrate.upgrade(url)
        db = Database.from_url(url)
        try:
            with db.unit_of_work() as s:
                s.add(User(code="packer01", name="李打包", role="packer", password_hash="-"))
            yield db
        finally:
            db.dispose()


@pytest.mark.parametrize("existing", [False, True], ids=["new slot", "existing slot"])
def test_two_transactions_adding_to_one_slot_both_count(pg_db: Database,
                                                        existing: bool) -> None:
    """The first holds its row (new or updated) uncommitted while the second adds to the same
    slot and waits on it; once the first commits, the second's sum lands on top."""
    db = pg_db
    at = datetime(2026, 11, 11, 4, 2, tzinfo=UTC)
    with db.reader() as s:
        packer = s.scalar(select(User.id).where(User.code == "packer01"))
    if existing:
        with db.unit_of_work() as s:
            work.count(s, [work.Done("pack", packer, at, orders=100, units=100)])
    first_added, release = threading.Event(), threading.Event()
    pids: dict[str, int] = {}
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with db.unit_of_work() as s:
                work.count(s, [work.Done("pack", packer, at, orders=3, units=5)])
                first_added.set()
                assert release.wait(60)
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            errors.append(exc)
            first_added.set()

    def second() -> None:
        try:
            with db.unit_of_work() as s:
                pids["second"] = s.scalar(text("SELECT pg_backend_pid()"))
                work.count(s, [work.Done("pack", packer, at + SLOT / 2, orders=4, units=7)])
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    one = threading.Thread(target=first)
    one.start()
    assert first_added.wait(60)
    two = threading.Thread(target=second)
    two.start()
    try:
        def second_waits() -> bool:
            if "second" not in pids:
                return False
            with db.reader() as s:
                return s.scalar(text("SELECT wait_event_type FROM pg_stat_activity "
                                     "WHERE pid = :pid"), {"pid": pids["second"]}) == "Lock"
        eventually(second_waits, what="the second transaction to wait on the slot's row")
    finally:
        release.set()
        one.join(60)
        two.join(60)
    assert not errors, errors
    base = 100 if existing else 0
    with db.reader() as s:
        row = s.execute(select(WorkSlot.orders, WorkSlot.units, WorkSlot.events)).all()
    assert row == [(base + 7, base + 12, 3 if existing else 2)]


def test_the_put_wall_counts_each_sorted_order_for_who_sorted_it(db: Database) -> None:
    from app.services import engine, picking, put_wall, waves
    from app.store.models import Sku, SkuBarcode
    from tests.helpers.orders import ENGINE_NOW

    _no_history(db)
    engine.run_once(db, system_actor(), now=ENGINE_NOW)
    with db.reader() as s:
        wh = s.execute(select(Warehouse.code).join(Order, Order.warehouse_id == Warehouse.id)
                       .where(Order.status == "routed").group_by(Warehouse.code)
                       .order_by(func.count().desc())).scalars().first()
    (released,) = waves.release(db, system_actor(), wh, "multi_item", max_orders=4,
                                max_cells=4, max_waves=1)
    picker, sorter = actor(db, "picker01"), actor(db, "lead01")
    start = datetime.now(UTC)
    view = picking.claim(db, picker, released.wave_no)
    scanned: list[str] = []
    while (task := view.current) is not None:
        picking.confirm_bin(db, picker, released.wave_no, task.seq, task.bin_code)
        with db.reader() as s:
            code = s.scalars(select(SkuBarcode.barcode).join(Sku).where(
                Sku.code == task.sku_code, SkuBarcode.units == 1)).first()
        for _ in range(task.qty - task.picked):
            view = picking.pick(db, picker, released.wave_no, task.seq, code)
            scanned.append(code)
    assert view.status == "picked"
    picks = _slots(db, "pick", "picker01")
    # Units as they were scanned; no orders yet: the wall sorts them into orders.
    assert (sum(v[0] for v in picks.values()), sum(v[1] for v in picks.values())) == (
        0, len(scanned))
    for code in scanned:
        put_wall.put(db, sorter, released.wave_no, code)
    sorted_ = _slots(db, "pick", "lead01")
    assert sum(v[0] for v in sorted_.values()) == released.orders
    assert all(slot_of(start) <= at <= slot_of(datetime.now(UTC)) for at in sorted_)
    assert _slots(db, "pick", "picker01") == picks
