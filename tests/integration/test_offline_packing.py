"""Offline packing on PostgreSQL: a station holds its waves and tracking numbers, the network
between it and the central database is cut (a TCP proxy), the station packs and prints 200
orders, one of them is intercepted centrally meanwhile, the network comes back, and within 10 s
the central database holds exactly the 199 packed orders, no duplicate, the intercepted one as a
conflict, and every tracking number used once."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.engine import make_url

from app.services import demo
from app.services.context import system_actor
from app.station import outbox
from app.station.models import PrintJob
from app.station.packing import PackingBench
from app.store import migrate
from app.store.db import Database, make_engine
from app.store.models import Order, OrderException, Package, TrackingNumber
from tests.helpers.databases import require_pg, scratch_pg_database
from tests.helpers.packing import actor, hold_picked_waves, picked_orders, station, unit_codes
from tests.helpers.proxy import TcpProxy
from tests.helpers.waiting import eventually

pytestmark = pytest.mark.timeout(600)
ORDERS = 200


def test_two_hundred_orders_packed_offline_arrive_once(tmp_path: Path) -> None:
    require_pg()
    with scratch_pg_database("offline") as url:
        direct = Database(make_engine(url))
        migrate.upgrade(direct.bind)  # type: ignore[arg-type]
        demo.seed(direct, system_actor(), orders=900, seed=13)
        orders = picked_orders(direct, ORDERS)
        parsed = make_url(url)
        with TcpProxy(parsed.host or "127.0.0.1", parsed.port or 5432) as proxy:
            via = parsed.set(host="127.0.0.1", port=proxy.port).render_as_string(
                hide_password=False)
            central = Database(make_engine(via, connect_timeout=2))
            rt = station(central, tmp_path / "home")
            rt.start()
            try:
                # Online: the station holds the waves and enough tracking numbers.
                hold_picked_waves(rt, direct, low=10_000, block=400)
                codes = {no: unit_codes(direct, no) for no in orders}
                bench = PackingBench(rt, actor(direct, "packer01"))

                proxy.cut()  # the network is gone
                intercepted = orders[len(orders) // 2]
                with direct.unit_of_work() as s:  # meanwhile, at the central database
                    s.execute(update(Order).where(Order.order_no == intercepted)
                              .values(intercept="refund_requested"))
                started = time.monotonic()
                for no in orders:
                    assert bench.open(no).accepted, no
                    for code in codes[no]:
                        view = bench.scan(code)
                    assert view.state is not None and view.state.phase.value == "packed", no
                offline_s = time.monotonic() - started
                with pytest.raises(Exception):  # noqa: B017 - really offline
                    rt.push_outbox()
                assert outbox.pending(rt.store) == ORDERS
                with rt.store.reader() as s:
                    printed = s.scalar(select(func.count()).select_from(PrintJob)
                                       .where(PrintJob.kind == "waybill"))
                assert printed == ORDERS

                proxy.restore()  # the network is back
                back = time.monotonic()

                def caught_up() -> bool:
                    try:
                        rt.push_outbox()
                    except Exception:  # noqa: BLE001 - the pool reconnects on the next try
                        return False
                    return not outbox.pending(rt.store)

                eventually(caught_up, what="the outbox pushed once the network is back",
                           timeout=10, every=0.2)
                caught_up_s = time.monotonic() - back
            finally:
                rt.stop()
                central.dispose()
        with direct.reader() as s:
            packed = set(s.scalars(select(Order.order_no).where(
                Order.order_no.in_(orders), Order.status == "packed")))
            packages = s.execute(select(Package.tracking_no, func.count())
                                 .join(Order, Order.id == Package.order_id)
                                 .where(Order.order_no.in_(orders))
                                 .group_by(Package.tracking_no)).all()
            conflict = s.scalar(select(OrderException.category).join(
                Order, Order.id == OrderException.order_id).where(
                Order.order_no == intercepted))
            used = s.scalar(select(func.count()).select_from(TrackingNumber).where(
                TrackingNumber.number.in_([tn for tn, _n in packages]),
                TrackingNumber.status == "used"))
        direct.dispose()
    assert packed == set(orders) - {intercepted}  # exactly the 199
    assert len(packages) == ORDERS - 1 and all(n == 1 for _tn, n in packages)  # no duplicate
    assert conflict == "intercepted_after_pack"
    assert used == ORDERS - 1  # every tracking number used once
    print(f"packed {ORDERS} offline in {offline_s:.1f} s, caught up in {caught_up_s:.1f} s")
