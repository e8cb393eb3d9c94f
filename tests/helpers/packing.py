"""A picked wave to pack and a station to pack it at: shared by the packing tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app.config import load_config
from app.domain.roles import Role
from app.services import engine, picking, waves
from app.services.central_link import DatabaseLink
from app.services.context import Actor, system_actor
from app.station.runtime import StationRuntime
from app.store.db import Database
from app.store.models import Order, OrderLine, Sku, SkuBarcode, User, Wave
from tests.helpers.waiting import eventually

STATION = "ST-HZ-PACK-01"


def actor(db: Database, code: str) -> Actor:
    with db.reader() as s:
        u = s.scalars(select(User).where(User.code == code)).one()
        return Actor(user_id=u.id, code=u.code, name=u.name, role=Role(u.role), station=STATION)


def pick_to_the_end(db: Database, picker: Actor, wave_no: str) -> None:
    """Claim a wave and pick every task: the bin, then the task's units in one typed quantity."""
    view = picking.claim(db, picker, wave_no)
    while (task := view.current) is not None:
        picking.confirm_bin(db, picker, wave_no, task.seq, task.bin_code)
        view = picking.pick(db, picker, wave_no, task.seq, task.sku_code,
                            qty=task.qty - task.picked)


def picked_orders(db: Database, wanted: int, per_wave: int = 20) -> list[str]:
    """Route the backlog, then release and pick per-order waves warehouse by warehouse until
    `wanted` orders are picked: those, oldest first."""
    engine.run_once(db, system_actor())
    picker = actor(db, "picker01")
    for wh in ("HZ", "GZ", "BJ"):
        for r in waves.release(db, system_actor(), wh, "per_order", max_orders=per_wave,
                               max_cells=per_wave):
            pick_to_the_end(db, picker, r.wave_no)
            with db.reader() as s:
                picked = list(s.scalars(select(Order.order_no).where(Order.status == "picked")
                                        .order_by(Order.id).limit(wanted)))
            if len(picked) >= wanted:
                return picked
    raise AssertionError("not enough orders to pick")


def hold_picked_waves(rt: StationRuntime, db: Database, *, low: int, block: int) -> None:
    """Online, as a station's first sync rounds would: the station holds every picked wave
    (through its link) and at least `low` tracking numbers of every carrier."""
    from app.station import tracking
    from app.station.held import cache_wave
    from app.store.models import Carrier, Wave

    assert rt.link is not None
    with db.reader() as s:
        wave_nos = list(s.scalars(select(Wave.wave_no).where(Wave.status == "picked")))
        carriers = list(s.scalars(select(Carrier.code)))
    for wave_no in wave_nos:
        rt.link.call(lambda remote, w=wave_no: cache_wave(rt.store, remote, w))
    for code in carriers:
        tracking.refill(rt.store, rt.link, system_actor(rt.code), rt.code, code, low=low,
                        block=block)


def busiest_warehouse(db: Database, strategy: str, **limits: Any) -> str:
    """The demo warehouse whose routed orders would make the most waves of `strategy`."""
    return max(("HZ", "GZ", "BJ"), key=lambda w: len(waves.plan(
        db, system_actor(), w, strategy, **limits).waves))


def picked_wave(db: Database, orders: int = 4) -> list[str]:
    """Route the backlog, release one per-order wave and pick it to the end: its orders."""
    engine.run_once(db, system_actor())
    lead, picker = system_actor(), actor(db, "picker01")
    wh = busiest_warehouse(db, "per_order", max_orders=orders, max_cells=orders)
    (r,) = waves.release(db, lead, wh, "per_order", max_orders=orders, max_cells=orders,
                         max_waves=1)
    pick_to_the_end(db, picker, r.wave_no)
    with db.reader() as s:
        return list(s.scalars(select(Order.order_no).where(Order.status == "picked")
                              .order_by(Order.order_no)))


@dataclass(frozen=True)
class SingleItemWave:
    """A released single-unit wave: its number and, for each of its orders (by order number),
    the barcode of its one unit as a scanner reads it."""

    wave_no: str
    units: dict[str, str]

    @property
    def orders(self) -> int:
        return len(self.units)


def single_item_wave(db: Database, orders: int = 4, *, warehouse: str | None = None,
                     picked: bool = True, route: bool = True) -> SingleItemWave:
    """Route the backlog (unless `route` is false), release one single-unit wave of up to
    `orders` orders from `warehouse` (by default the one with most to release), and pick it
    to the end unless `picked` is false."""
    if route:
        engine.run_once(db, system_actor())
    wh = warehouse or busiest_warehouse(db, "single_unit", max_orders=orders)
    (released,) = waves.release(db, system_actor(), wh, "single_unit", max_orders=orders,
                                max_waves=1)
    if picked:
        pick_to_the_end(db, actor(db, "picker01"), released.wave_no)
    with db.reader() as s:
        numbers = list(s.scalars(select(Order.order_no).join(Wave, Wave.id == Order.wave_id)
                                 .where(Wave.wave_no == released.wave_no)
                                 .order_by(Order.order_no)))
    units = {no: code for no in numbers for code in unit_codes(db, no)}
    assert len(units) == released.orders == len(numbers), (released, units)
    return SingleItemWave(released.wave_no, units)


def station(db: Database, home: Path, extra: str = "", code: str = STATION) -> StationRuntime:
    home.mkdir(parents=True, exist_ok=True)
    (home / "station.ini").write_text(f"[station]\ncode = {code}\n{extra}", encoding="utf-8")
    return StationRuntime(load_config(home), db, link=DatabaseLink(db))


def unit_codes(db: Database, order_no: str) -> list[str]:
    """One barcode per unit of the order, as a scanner would read them."""
    with db.reader() as s:
        # One single-unit barcode per line (a SKU may have several).
        rows = s.execute(select(func.min(SkuBarcode.barcode), OrderLine.qty)
                         .join(Sku, Sku.id == SkuBarcode.sku_id)
                         .join(OrderLine, OrderLine.sku_id == Sku.id)
                         .join(Order, Order.id == OrderLine.order_id)
                         .where(Order.order_no == order_no, SkuBarcode.units == 1)
                         .group_by(OrderLine.id, OrderLine.line_no, OrderLine.qty)
                         .order_by(OrderLine.line_no)).all()
    return [code for code, qty in rows for _ in range(qty)]


@contextmanager
def serial_scanner(tmp_path: Path, timeout_s: float = 20.0) -> Iterator[tuple[Any, Any]]:
    """A scanner on a pseudo-terminal, configured and connected through the station's device
    service as its `[device:pack]`: (the feed to write scans into, the Qt device manager)."""
    from app.config import Settings
    from app.ui.qt import QApplication
    from drivers.base import DeviceStatus
    from drivers.sim import PtyFeed
    from tests.helpers.devices import desk_devices

    feed = PtyFeed()
    ini = tmp_path / "devices.ini"
    ini.write_text(f"[device:pack]\nkind = scanner\nurl = {feed.url}?suffix=CR\n",
                   encoding="utf-8")
    try:
        with desk_devices(Settings.load(ini)) as devices:
            eventually(lambda: (state := devices.service.state("pack")) is not None
                       and state.status is DeviceStatus.CONNECTED,
                       what="the pseudo-terminal scanner to connect", timeout=timeout_s,
                       every=0.005, pump=QApplication.processEvents)
            yield feed, devices
    finally:
        feed.close()


def packed_orders(db: Database, home: Path, orders: int = 4) -> list[str]:
    """A per-order wave picked, each of its orders packed at a station and pushed: the orders
    a dock sees waiting."""
    from app.station import outbox
    from app.station.packing import PackingBench

    numbers = picked_wave(db, orders=orders)
    rt = station(db, home)
    rt.start()
    try:
        bench = PackingBench(rt, actor(db, "packer01"))
        for no in numbers:
            bench.open(no)
            for code in unit_codes(db, no):
                bench.scan(code)
        outbox.push(rt.store, DatabaseLink(db), rt.code)
    finally:
        rt.stop()
    return numbers



def pre_pack(db: Database, order_no: str) -> tuple[str, str]:
    """The order becomes a deposit presale order (of the first deposit campaign) whose balance
    the buyer has not paid, as a real-stock campaign's order is while it is pre-packed (预打包):
    its channel and channel order number."""
    from sqlalchemy import update

    from app.store.models import OrderPayment, PresaleCampaign

    with db.unit_of_work() as s:
        order = s.scalars(select(Order).where(Order.order_no == order_no)).one()
        campaign = s.scalars(select(PresaleCampaign).where(PresaleCampaign.kind == "deposit")
                             .order_by(PresaleCampaign.id)).first()
        assert campaign is not None, "the demo has deposit campaigns"
        s.execute(update(Order).where(Order.id == order.id)
                  .values(is_presale=True, campaign_id=campaign.id))
        s.add(OrderPayment(order_id=order.id, kind="balance", amount_fen=12_000,
                           status="pending"))
        return order.channel, order.channel_order_no
