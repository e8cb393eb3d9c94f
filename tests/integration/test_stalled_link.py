"""A link that stalls (packets dropped, not refused) never holds up a scan.

The station holds its waves and tracking numbers; then the centre stops answering without
refusing: on PostgreSQL a TCP proxy in between keeps every connection open but lets no byte
through; on SQLite another process holds the central file locked, so every read waits for
the busy timeout. Orders are packed meanwhile. Each scan's time at the bench (what the screen
waits for, on the bench's thread) is measured: the first ask on the scan path pays its short
deadline once and puts the link down, every later scan goes by what the station holds. When
the centre answers again, the outbox reaches it and every order is packed there once.

Only an unreachable centre counts as "offline": a fault in the intercept check stops the
scan in words and prints nothing."""

from __future__ import annotations

import sqlite3
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from app.services.central_link import DatabaseLink
from app.services.context import system_actor
from app.station import outbox, tracking
from app.station.link import QUICK_S
from app.station.models import PrintJob
from app.station.packing import PackingBench
from app.store.db import Database, make_engine
from app.store.models import Carrier, Order, Package
from app.sync.contract import OrderState
from tests.helpers.packing import actor, hold_picked_waves, picked_orders, station, unit_codes
from tests.helpers.proxy import TcpProxy

pytestmark = pytest.mark.timeout(600)
ORDERS = 60  # packed while the link is stalled
# A scan that waited on the stalled centre would take its connect timeout (PostgreSQL, 5 s)
# or busy timeout (SQLite, 10 s); the deadline on the scan path is `QUICK_S`. (How fast the
# scans are is measured by `tests/perf/bench_packing.py --mode stalled`, not asserted here.)
WAITED_S = 2.0


@contextmanager
def _link_to(central: Database) -> Iterator[tuple[Database, object]]:
    """(the database the station reaches the centre by, what stalls it)."""
    url = central.bind.url
    if url.get_backend_name() == "postgresql":
        with TcpProxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
            via = make_url(url).set(host="127.0.0.1", port=proxy.port)
            db = Database(make_engine(via.render_as_string(hide_password=False),
                                      connect_timeout=5))
            try:
                yield db, proxy
            finally:
                proxy.unstall()
                db.dispose()
    else:
        yield central, url.database


@contextmanager
def _stalled(stall: object, central: Database) -> Iterator[None]:
    if isinstance(stall, TcpProxy):
        stall.stall()
        try:
            yield
        finally:
            stall.unstall()
        return
    # SQLite: another connection takes the file for itself and keeps it; every reader of the
    # centre waits for its busy timeout, then is told the file is locked. (In WAL mode every
    # open connection shares the file: the centre's idle ones are closed first.)
    central.bind.dispose()
    holder = sqlite3.connect(str(stall), timeout=30, isolation_level=None)
    try:
        holder.execute("PRAGMA locking_mode=EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("UPDATE orders SET remark = remark WHERE id = (SELECT min(id) FROM "
                       "orders)")
        yield
    finally:
        if holder.in_transaction:
            holder.execute("ROLLBACK")
        holder.close()


def _p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[98]


def test_a_stalled_link_never_holds_up_a_scan(central: Database, tmp_path: Path) -> None:
    orders = picked_orders(central, ORDERS + 2, per_wave=12)
    with _link_to(central) as (reach, stall):
        rt = station(reach, tmp_path / "home")
        rt.start()
        try:
            assert rt.link is not None
            hold_picked_waves(rt, central, low=500, block=100)
            codes = {no: unit_codes(central, no) for no in orders}
            bench = PackingBench(rt, actor(central, "packer01"))
            for no in orders[:2]:  # online: warm
                bench.scan(no)
                for code in codes[no]:
                    bench.scan(code)
            assert rt.link.up

            timings: list[float] = []
            slow: list[tuple[float, str, str]] = []
            with _stalled(stall, reach):
                for no in orders[2:]:
                    for text in (no, *codes[no]):
                        started = time.perf_counter()
                        view = bench.scan(text)
                        timings.append(time.perf_counter() - started)
                        slow.append((timings[-1], text, view.reason or view.kind))
                        if text == no:
                            bench.prepare_label()  # as the screen does between scans
                    assert view.state is not None and view.state.phase.value == "packed", no
                assert not rt.link.up  # it went down once and stayed down
            with rt.store.reader() as s:
                printed = s.scalar(select(func.count()).select_from(PrintJob)
                                   .where(PrintJob.kind == "waybill"))
            assert printed == len(orders)

            # The centre answers again: the round pushes everything and the link is up.
            deadline = time.monotonic() + 60
            while outbox.pending(rt.store):
                assert time.monotonic() < deadline, "the outbox did not drain"
                done = rt.sync_round(system_actor(rt.code), housekeeping=False)
                if not done.online:
                    time.sleep(0.2)  # the driver reconnects on the next try
            assert rt.link.up
        finally:
            rt.stop()
    with central.reader() as s:
        packed = s.scalar(select(func.count()).select_from(Order).where(
            Order.order_no.in_(orders), Order.status == "packed"))
        parcels = s.scalar(select(func.count()).select_from(Package).join(
            Order, Order.id == Package.order_id).where(Order.order_no.in_(orders)))
    assert packed == len(orders) and parcels == len(orders)
    slowest, p99, median = max(timings), _p99(timings), statistics.median(timings)
    print(f"\nstalled link ({central.bind.dialect.name}): {len(timings)} scans, "
          f"median {median * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, "
          f"slowest {slowest * 1000:.0f} ms (deadline {QUICK_S * 1000:.0f} ms); slowest: "
          f"{[(round(t * 1000), what, why) for t, what, why in sorted(slow)[-3:]]}")
    assert slowest < WAITED_S  # no scan waited for the stalled centre


class _FaultyLink(DatabaseLink):
    """The centre's side with a fault in its intercept answer (not a network problem)."""

    def order_state(self, order_no: str) -> OrderState | None:
        raise KeyError("intercept")


def test_a_fault_in_the_intercept_check_stops_the_scan_and_prints_nothing(
        central: Database, tmp_path: Path) -> None:
    (order_no,) = picked_orders(central, 1, per_wave=12)
    rt = station(central, tmp_path / "home")
    rt.connect(_FaultyLink(central))
    try:
        assert rt.link is not None
        with central.reader() as s:
            carriers = list(s.scalars(select(Carrier.code)))
        for code in carriers:
            tracking.refill(rt.store, rt.link, system_actor(rt.code), rt.code, code,
                            low=10, block=10)
        bench = PackingBench(rt, actor(central, "packer01"))
        codes = unit_codes(central, order_no)
        bench.scan(order_no)
        for code in codes[:-1]:
            bench.scan(code)
        with pytest.raises(KeyError):
            bench.scan(codes[-1])
        assert rt.link.up  # a fault is no reason to call the centre out of reach
        with rt.store.reader() as s:
            assert s.scalar(select(func.count()).select_from(PrintJob)) == 0
        assert outbox.pending(rt.store) == 0
    finally:
        rt.stop()



def test_only_an_unreachable_centre_is_offline(tmp_path: Path) -> None:
    """A central database that answers with a fault (here: a file with no tables, as one a
    migration never ran on) is a fault, not "offline"; one that cannot be reached is."""
    from sqlalchemy.exc import OperationalError

    from app.sync.contract import LinkDown

    empty = Database(make_engine(f"sqlite:///{tmp_path / 'empty.db'}"))
    gone = Database.from_url("postgresql+psycopg://nobody@127.0.0.1:1/none", connect_timeout=1)
    try:
        with pytest.raises(OperationalError, match="no such table"):
            DatabaseLink(empty).order_state("PL1")
        with pytest.raises(LinkDown):
            DatabaseLink(gone).order_state("PL1")
    finally:
        empty.dispose()
        gone.dispose()
