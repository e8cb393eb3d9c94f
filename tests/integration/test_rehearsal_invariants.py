"""The rehearsal's invariants (tests/rehearsal/invariants.py) on a small warehouse that went
through the real flow — routed, waves released, one picked and packed at a station (labels
printed, outbox pushed) and handed over, another being picked — where every check holds; then
each check against a copy of it broken on purpose, where that check must fail."""

from __future__ import annotations

import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.services import demo, handover, picking, waves
from app.services.central_link import DatabaseLink
from app.services.context import system_actor
from app.station import outbox
from app.station.models import PrintJob
from app.station.packing import PackingBench
from app.store import migrate
from app.store.db import Database, make_engine
from tests.helpers.packing import actor, picked_wave, station, unit_codes
from tests.rehearsal import invariants
from tests.rehearsal.invariants import Result

pytestmark = pytest.mark.slow
STATION = "ST-HZ-PACK-01"


@dataclass
class World:
    central: Path
    home: Path
    others: list[Path] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"sqlite:///{self.central}"

    @property
    def stores(self) -> dict[str, Path]:
        return {STATION: self.home / "station.db",
                **{f"OTHER-{n}": path for n, path in enumerate(self.others, 1)}}

    def central_sql(self, sql: str) -> None:
        """Statements separated by ";" on one connection (a guard the schema has, such as a
        CHECK or a unique index, switched off first where the break needs it)."""
        with sqlite3.connect(self.central) as conn:
            for statement in sql.split(";"):
                conn.execute(statement)

    def station_sql(self, sql: str, store: Path | None = None) -> None:
        with sqlite3.connect(store or self.home / "station.db") as conn:
            for statement in sql.split(";"):
                conn.execute(statement)

    def second_station(self, sql: str) -> None:
        """Another station's store: a copy of this one's, then `sql` on it."""
        other = self.home.parent / "other"
        other.mkdir()
        shutil.copy(self.home / "station.db", other / "station.db")
        self.station_sql(sql, other / "station.db")
        self.others.append(other / "station.db")

    def check(self, fn: Callable[[sa.Connection, invariants.Stores], Result]) -> Result:
        engine = sa.create_engine(self.url)
        try:
            with engine.connect() as conn:
                return fn(conn, self.stores)
        finally:
            engine.dispose()


def _build(folder: Path) -> World:
    central = folder / "central.db"
    engine = make_engine(f"sqlite:///{central}")
    migrate.upgrade(engine)
    db = Database(engine)
    demo.seed(db, system_actor(), orders=120, seed=11)
    numbers = picked_wave(db, orders=4)  # routed, released, picked to the end
    rt = station(db, folder / "home")
    rt.start(warm_up=False)
    try:
        bench = PackingBench(rt, actor(db, "packer01"))
        for no in numbers:
            bench.open(no)
            for code in unit_codes(db, no):
                bench.scan(code)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with rt.store.reader() as s:
                if not s.scalar(sa.select(sa.func.count()).select_from(PrintJob)
                                .where(PrintJob.status != "sent")):
                    break
            time.sleep(0.05)
        assert outbox.push(rt.store, DatabaseLink(db), rt.code).remaining == 0
    finally:
        rt.stop()
    lead = actor(db, "lead01")
    for wh, carrier, _n in handover.waiting_by_carrier(db, lead)[:1]:
        ho = handover.open_handover(db, lead, wh, carrier)
        for tracking_no, _order in handover.waiting_parcels(db, lead, wh, carrier):
            handover.scan_parcel(db, lead, ho.handover_no, tracking_no)
        handover.close(db, lead, ho.handover_no)
    # Another wave half-picked: one unit taken, the rest still reserved.
    for wh in ("HZ", "GZ", "BJ"):
        released = waves.release(db, system_actor(), wh, "per_order", max_orders=3,
                                 max_cells=3, max_waves=1)
        if released:
            picker = actor(db, "picker01")
            view = picking.claim(db, picker, released[0].wave_no)
            task = view.current
            assert task is not None
            picking.confirm_bin(db, picker, view.wave_no, task.seq, task.bin_code)
            with db.reader() as s:
                code = s.scalar(sa.text(
                    "SELECT min(b.barcode) FROM sku_barcodes b JOIN skus k ON k.id = b.sku_id "
                    "WHERE k.code = :c AND b.units = 1"), {"c": task.sku_code})
            picking.pick(db, picker, view.wave_no, task.seq, str(code))
            break
    engine.dispose()
    return World(central, folder / "home")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> World:
    return _build(tmp_path_factory.mktemp("rehearsal-world"))


@pytest.fixture
def world(template: World, tmp_path: Path) -> Iterator[World]:
    """A copy of the healthy warehouse, to break."""
    central = tmp_path / "central.db"
    shutil.copy(template.central, central)
    shutil.copytree(template.home, tmp_path / "home")
    yield World(central, tmp_path / "home")


def test_every_invariant_holds_on_the_healthy_warehouse(world: World) -> None:
    results = invariants.check_all(world.url, world.stores)
    assert [r for r in results if not r.ok] == []
    detail = {r.name: r.detail for r in results}
    assert not detail["no order packed twice"].startswith("0 orders packed")
    # Not an empty warehouse: stock is held, a wave is being picked, parcels left.
    assert "0 units reserved" not in detail[
        "reserved == units of routed orders not yet picked"]


BREAKS: dict[str, list[tuple[str, str, str]]] = {
    # check → [(how it is broken, where, SQL)]
    "stock_never_negative": [
        ("a stock row below zero", "central",
         "PRAGMA ignore_check_constraints = ON; "
         "UPDATE stock SET on_hand = -1 WHERE id = (SELECT min(id) FROM stock)"),
        ("the ledger dipped below zero and came back", "central",
         "INSERT INTO stock_movements (at, sku_id, bin_id, delta_on_hand, delta_reserved, "
         "reason, note) SELECT '2026-11-11 00:00:00', sku_id, bin_id, d, 0, 'adjust', 'x' "
         "FROM (SELECT sku_id, bin_id, -100000 AS d FROM stock_movements ORDER BY id LIMIT 1) "
         "UNION ALL SELECT '2026-11-11 00:00:01', sku_id, bin_id, 100000, 0, 'adjust', 'x' "
         "FROM (SELECT sku_id, bin_id FROM stock_movements ORDER BY id LIMIT 1)"),
    ],
    "reserved_matches_orders": [
        ("a stock row reserving one unit nobody holds", "central",
         "UPDATE stock SET reserved = reserved + 1 WHERE id = (SELECT min(id) FROM stock "
         "WHERE on_hand > reserved)"),
        ("an order cancelled without giving its stock back", "central",
         "UPDATE orders SET status = 'cancelled' WHERE id = (SELECT min(id) FROM orders "
         "WHERE status = 'routed')"),
    ],
    "one_wave_per_order": [
        ("an order in a second live wave", "central",
         "DROP INDEX uq_wave_orders_live_order; INSERT INTO wave_orders (wave_id, order_id, cell) SELECT (SELECT max(id) FROM "
         "waves), order_id, 99 FROM wave_orders WHERE removed_at IS NULL AND wave_id <> "
         "(SELECT max(id) FROM waves) LIMIT 1"),
    ],
    "packed_once": [
        ("an order packed at a second bench", "station",
         "INSERT INTO pack_sessions (id, order_no, wave_no, snapshot, status, packer, "
         "started_at, updated_at) SELECT 'again', order_no, wave_no, snapshot, status, packer, "
         "started_at, updated_at FROM pack_sessions WHERE status = 'packed' LIMIT 1"),
    ],
    "tracking_used_once": [
        ("a box with another number centrally than the one its station printed", "central",
         "UPDATE packages SET tracking_no = 'ZTO-ELSEWHERE' WHERE id = (SELECT min(id) FROM "
         "packages)"),
        ("a number used at two stations", "second station",
         "UPDATE station_tracking SET used_for = 'PL-OTHER:1' WHERE number = (SELECT "
         "min(number) FROM station_tracking WHERE used_for IS NOT NULL)"),
    ],
    "events_applied_once": [
        ("a confirmation the station pushed that the centre never applied", "central",
         "DELETE FROM applied_events WHERE kind = 'pack.confirmed' AND event_id = (SELECT "
         "min(event_id) FROM applied_events WHERE kind = 'pack.confirmed')"),
    ],
    "outboxes_empty": [
        ("an event left waiting", "station",
         "UPDATE outbox SET pushed_at = NULL WHERE seq = (SELECT min(seq) FROM outbox)"),
    ],
    "scans_acted_on": [
        ("a scan written down and never acted on", "station",
         "UPDATE bench_scans SET status = 'pending' WHERE seq = (SELECT max(seq) FROM "
         "bench_scans)"),
        ("a packed order one unit short", "station",
         "DELETE FROM pack_events WHERE seq = (SELECT min(seq) FROM pack_events WHERE kind = "
         "'ItemScanned' AND accepted = 1)"),
    ],
    "labels_printed": [
        ("a waybill that never printed", "station",
         "UPDATE print_jobs SET status = 'failed' WHERE rowid = (SELECT min(rowid) FROM "
         "print_jobs)"),
    ],
    "audit_complete": [
        ("a status move without its audit row", "central",
         "DELETE FROM audit_log WHERE id = (SELECT min(id) FROM audit_log WHERE action = "
         "'order.status' AND after = 'picked')"),
        ("an order moved on with no row at all", "central",
         "UPDATE orders SET status = 'on_hold' WHERE id = (SELECT min(id) FROM orders WHERE "
         "status = 'routed')"),
    ],
}


@pytest.mark.parametrize(("check", "how", "where", "sql"), [
    (check, how, where, sql) for check, cases in BREAKS.items() for how, where, sql in cases],
    ids=[f"{check}: {how}" for check, cases in BREAKS.items() for how, _w, _s in cases])
def test_each_invariant_fails_on_a_warehouse_broken_its_way(
        world: World, check: str, how: str, where: str, sql: str) -> None:
    fn = getattr(invariants, check)
    assert world.check(fn).ok, "holds before it is broken"
    if where == "central":
        world.central_sql(sql)
    elif where == "second station":
        world.second_station(sql)
    else:
        world.station_sql(sql)
    broken = world.check(fn)
    assert not broken.ok, f"{how}: {broken.detail}"


def test_every_invariant_is_broken_by_some_test() -> None:
    assert set(BREAKS) == {fn.__name__ for fn in invariants.CHECKS}
