"""The order list's filters the dashboard opens its figures with (app.services.orders
OrderFilter: bands, due_before, packed_between, picked_between, shipped_between,
exception_level, no_carrier), on SQLite and PostgreSQL: eight orders set up by hand in a
status no seeded order has, each filter answering exactly the ones it should, through
count_orders and list_orders alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from app.services import orders
from app.services.context import system_actor
from app.store.db import Database
from app.store.models import (
    Bin,
    Carrier,
    Handover,
    Order,
    OrderException,
    Package,
    PickTask,
    Sku,
    Warehouse,
    Wave,
    WaveOrder,
)

T = datetime(2026, 11, 11, 4, 0, tzinfo=UTC)  # 12:00 China time
H = timedelta(hours=1)
MINE = "packing"  # a status none of the seeded orders is in before the engine runs


@pytest.fixture
def eight(db: Database) -> list[str]:
    """Orders o0–o7, with (band, promised, carrier) and what happened to them:

    o0 vip, due T-1h, SF; packed at T+10min; in a wave picked at T+5min; shipped at T+20min
    o1 overdue, due T-1s, no carrier; open exception at level 2
    o2 presale, due T, SF; packed at T+1h exactly (not in [T, T+1h)); level-2 exception
       resolved
    o3 normal, due T+1h, no carrier; in the wave picked at T+5min, but removed from it
    o4 due_soon, no promise, ZTO; open exception level 0; packed at T-1s
    o5 normal, due T+2h, ZTO; in a wave picked at T+2h; handover still open
    o6 vip, due T-2h, SF; shipped at T+1h (the next hour)
    o7 normal, due T+3h, ZTO; nothing yet
    """
    with db.unit_of_work() as s:
        assert s.scalar(select(func.count()).select_from(Order).where(
            Order.status == MINE)) == 0
        picked = list(s.scalars(select(Order).order_by(Order.id).limit(8)))
        carriers = dict(s.execute(select(Carrier.code, Carrier.id)).all())
        wh = s.scalars(select(Warehouse.id).order_by(Warehouse.id).limit(1)).one()
        bin_id = s.scalars(select(Bin.id).where(Bin.warehouse_id == wh).limit(1)).one()
        sku = s.scalars(select(Sku.id).limit(1)).one()
        setup = [("vip", T - H, "SF"), ("overdue", T - timedelta(seconds=1), None),
                 ("presale", T, "SF"), ("normal", T + H, None), ("due_soon", None, "ZTO"),
                 ("normal", T + 2 * H, "ZTO"), ("vip", T - 2 * H, "SF"),
                 ("normal", T + 3 * H, "ZTO")]
        for o, (band, due, carrier) in zip(picked, setup, strict=True):
            o.status, o.priority_band, o.promised_ship_by = MINE, band, due
            o.carrier_id = carriers[carrier] if carrier else None
        ids = [o.id for o in picked]
        s.flush()

        def wave(no: str, picked_at: datetime, members: list[int],
                 removed: tuple[int, ...] = (), finished_at: datetime | None = None) -> None:
            w = Wave(wave_no=no, warehouse_id=wh, strategy="per_order", status="picked",
                     finished_at=finished_at or picked_at)
            s.add(w)
            s.flush()
            for i in members:
                s.add(WaveOrder(wave_id=w.id, order_id=ids[i],
                                removed_at=T if i in removed else None))
            s.add(PickTask(wave_id=w.id, seq=1, bin_id=bin_id, sku_id=sku, qty=1,
                           picked_qty=1, status="done", picked_at=picked_at))

        wave("W-DASH-1", T + timedelta(minutes=5), [0, 3], removed=(3,))
        wave("W-DASH-2", T + 2 * H, [5])
        # Its first stop picked in the first hour, the wave finished in the third: its order
        # is picked in the third, as the dashboard counts it.
        wave("W-DASH-3", T + timedelta(minutes=5), [7], finished_at=T + 2 * H + timedelta(minutes=30))

        def handed(no: str, closed: datetime | None, carrier: str) -> int:
            h = Handover(handover_no=no, warehouse_id=wh, carrier_id=carriers[carrier],
                         status="closed" if closed else "open", closed_at=closed)
            s.add(h)
            s.flush()
            return h.id

        first = handed("HO-DASH-1", T + timedelta(minutes=20), "SF")
        later = handed("HO-DASH-2", T + H, "SF")
        still = handed("HO-DASH-3", None, "ZTO")
        for i, packed_at, handover in ((0, T + timedelta(minutes=10), first),
                                       (2, T + H, None),
                                       (4, T - timedelta(seconds=1), None),
                                       (5, T, still), (6, T - 3 * H, later)):
            s.add(Package(order_id=ids[i], box_no=1, tracking_no=f"DASH{i:04d}",
                          status="packed", packed_at=packed_at, handover_id=handover))
        for i, level, resolved in ((1, 2, None), (2, 2, T), (4, 0, None)):
            s.add(OrderException(order_id=ids[i], category="address", level=level,
                                 raised_at=T - 5 * H, resolved_at=resolved))
        return [o.order_no for o in picked]


def _found(db: Database, eight: list[str], **fields: object) -> list[int]:
    f = orders.OrderFilter(statuses=(MINE,), **fields)  # type: ignore[arg-type]
    listed = orders.list_orders(db, system_actor(), f, sort="order_no", limit=100)
    counted = orders.count_orders(db, system_actor(), f)
    assert counted == len(listed)
    return sorted(eight.index(r.order_no) for r in listed)


def test_bands(db: Database, eight: list[str]) -> None:
    assert _found(db, eight) == list(range(8))
    assert _found(db, eight, bands=("vip",)) == [0, 6]
    assert _found(db, eight, bands=("vip", "overdue", "presale")) == [0, 1, 2, 6]
    assert _found(db, eight, bands=("due_soon",)) == [4]


def test_due_before_is_strict_and_leaves_out_orders_without_a_promise(
        db: Database, eight: list[str]) -> None:
    assert _found(db, eight, due_before=T) == [0, 1, 6]  # o2 is due at T: not before it
    assert _found(db, eight, due_before=T + H + timedelta(seconds=1)) == [0, 1, 2, 3, 6]
    assert _found(db, eight, due_before=T + 10 * H) == [0, 1, 2, 3, 5, 6, 7]


def test_packed_picked_and_shipped_in_an_hour(db: Database, eight: list[str]) -> None:
    hour = (T, T + H)
    assert _found(db, eight, packed_between=hour) == [0, 5]  # o2 at T+1h, o4 at T-1s: out
    assert _found(db, eight, packed_between=(T - H, T)) == [4]
    assert _found(db, eight, picked_between=hour) == [0]  # o3 left the wave
    assert _found(db, eight, picked_between=(T + 2 * H, T + 3 * H)) == [5, 7]
    assert _found(db, eight, picked_between=(T - H, T)) == []
    assert _found(db, eight, shipped_between=hour) == [0]  # o6 at T+1h; o5's is still open
    assert _found(db, eight, shipped_between=(T + H, T + 2 * H)) == [6]


def test_open_exceptions_by_level_and_orders_without_a_carrier(db: Database,
                                                               eight: list[str]) -> None:
    assert _found(db, eight, exception_level=2) == [1]  # o2's level-2 one is resolved
    assert _found(db, eight, exception_level=0) == [4]
    assert _found(db, eight, exception_level=3) == []
    assert _found(db, eight, no_carrier=True) == [1, 3]
    assert _found(db, eight, no_carrier=True, bands=("normal",), due_before=T + 2 * H) == [3]


def test_the_filters_combine_with_the_others(db: Database, eight: list[str]) -> None:
    with db.unit_of_work() as s:
        s.execute(update(Order).where(Order.order_no == eight[6]).values(is_presale=True))
    assert _found(db, eight, bands=("vip",), presale=True) == [6]
    assert _found(db, eight, carrier="SF", packed_between=(T - 4 * H, T + 2 * H)) == [0, 2, 6]
