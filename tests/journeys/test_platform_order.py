"""Journey: a Taobao order the way a Chinese warehouse ships it. The shop lead sets the shop
up for its platform and pulls its orders from the (fake) Taobao gateway with the command line;
the order is routed, released and picked; the packer scans it at the bench with a wedge
scanner at scanner speed; its waybill comes from the platform's Cainiao e-waybill service and
prints through the (fake) Cainiao print component on this PC, printed only when the component
says so; the dock hands it over; and the platform hears exactly once that the parcel shipped,
under its own order number. The fakes are socket peers on 127.0.0.1: an HTTP gateway that
checks signatures and a WebSocket print component."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from app.services import engine, handover, waves
from app.services.context import system_actor
from app.store.models import Order
from tests.helpers.fake_component import FakeComponent
from tests.helpers.fake_platform import APP_KEY, APP_SECRET, SESSION, FakePlatform
from tests.helpers.orders import sku_in_every_warehouse
from tests.helpers.packing import actor, pick_to_the_end, unit_codes
from tests.journeys import data
from tests.journeys.harness import Journey, cli, cli_env

SHOP = "TB-FLAGSHIP"
TRADE = "3918273645501234"
PRINTER = "菜鸟-ZTO-01"


@pytest.fixture
def gateway() -> Iterator[FakePlatform]:
    with FakePlatform("top") as fake:
        yield fake


@pytest.fixture
def component() -> Iterator[FakeComponent]:
    with FakeComponent("cainiao", printers=(PRINTER, "Office-A4")) as fake:
        yield fake


def _routed_alone(home: Path, order_no: str) -> str:
    """The pulled order reviewed and routed by the engine, released in a wave of its own by
    the shift lead and picked to the end by the picker: its warehouse."""
    with data.central(home) as db:
        engine.run_once(db, system_actor())
        with db.unit_of_work() as s:
            order = s.scalars(select(Order).where(Order.order_no == order_no)).one()
            assert order.status == "routed", order.status
            warehouse = order.warehouse_id
            # The rest of the demo backlog waits, so the wave is this order's.
            s.execute(update(Order).where(Order.status == "routed", Order.id != order.id)
                      .values(status="on_hold"))
        from app.store.models import Warehouse

        with db.reader() as s:
            wh = s.scalar(select(Warehouse.code).where(Warehouse.id == warehouse))
        assert wh
        released = waves.release(db, actor(db, "lead01"), wh, "per_order", max_orders=5,
                                 max_cells=5, max_waves=1)
        assert released
        for wave in released:
            pick_to_the_end(db, actor(db, "picker01"), wave.wave_no)
        return str(wh)


def _hand_over(home: Path, order_no: str, tracking_no: str) -> None:
    """The dock scans the parcel into its carrier's handover and closes it."""
    with data.central(home) as db:
        dock = actor(db, "packer01")
        with db.reader() as s:
            row = s.execute(select(Order.warehouse_id, Order.carrier_id)
                            .where(Order.order_no == order_no)).one()
        from app.store.models import Carrier, Warehouse

        with db.reader() as s:
            wh = s.scalar(select(Warehouse.code).where(Warehouse.id == row.warehouse_id))
            carrier = s.scalar(select(Carrier.code).where(Carrier.id == row.carrier_id))
        opened = handover.open_handover(db, dock, str(wh), str(carrier))
        handover.scan_parcel(db, dock, opened.handover_no, tracking_no)
        handover.close(db, dock, opened.handover_no)


def test_a_pulled_taobao_order_prints_through_the_cainiao_component_and_ships_once(
        new_home: Callable[..., Path], journey: Callable[..., Journey],
        gateway: FakePlatform, component: FakeComponent) -> None:
    home = new_home()
    secrets = {f"PACKLINE_SHOP_SECRET_{SHOP.replace('-', '_')}": APP_SECRET,
               f"PACKLINE_SHOP_SESSION_{SHOP.replace('-', '_')}": SESSION}
    with (home / "station.ini").open("a", encoding="utf-8") as ini:
        ini.write(f"\n[printer:cainiao]\nurl = {component.url(PRINTER)}\nlanguage = cainiao\n"
                  "paper = 76x130\n\n[printers]\nwaybill_cainiao = cainiao\n\n"
                  "[channels]\npull_every = 0\n")
    with data.central(home) as db:
        sku = sku_in_every_warehouse(db)
    # Paid and last modified a few minutes ago: inside the pull's window, which stops a little
    # before now.
    gateway.add_order(TRADE, lines=[(sku, 2, "59.00")],
                      modified=datetime.now(UTC) - timedelta(minutes=3))

    # The admin connects the shop to its platform; the shift lead pulls its orders.
    admin = cli_env(home, PACKLINE_USER="admin", PACKLINE_PASSWORD="admin123", **secrets)
    cli(home, "shops", "set", SHOP, "--channel", "taobao", "--name", "雪岭食品淘宝店",
        "--api-url", gateway.url, "--app-key", APP_KEY, "--waybill-providers", "*=cainiao",
        "--confirm-on", "handover", env=admin)
    pulled = cli(home, "channels", "pull", "--shop", SHOP, env=cli_env(home, **secrets))
    assert "1" in pulled.stdout, pulled.stdout
    with data.central(home) as db:
        with db.reader() as s:
            order_no = s.scalar(select(Order.order_no).where(Order.channel_order_no == TRADE))
        assert order_no, "the pulled trade is an order"
        _routed_alone(home, order_no)
        codes = unit_codes(db, order_no)
    assert len(codes) == 2

    badge = data.issue_badge(home, "packer01")
    j = journey(home, cli_env(home, **secrets))
    data.wait_ready(j, home)
    j.scan(badge)
    data.logged_in(j, home, "packer01")
    component.hold = True  # the component prints, and says so only when released
    j.scan(order_no)
    j.wait_for(f"{order_no} open on the bench",
               lambda: data.session_status(home, order_no) == "open")
    for code in codes:
        j.scan(code)
    j.wait_for("the label printed by the component", lambda: component.printed() >= 1)
    j.screenshot("cainiao-printing")
    jobs = data.station_rows(home, "SELECT id, status FROM print_jobs WHERE kind = 'waybill'")
    assert len(jobs) == 1 and jobs[0][1] == "sending", "printed only on the component's word"
    component.release()
    j.wait_for("the waybill job printed", lambda: data.station_rows(
        home, "SELECT status FROM print_jobs WHERE kind = 'waybill'") == [("sent",)])
    assert component.printed(str(jobs[0][0])) == 1, "one print, under the job's key"

    def packed() -> dict[str, Any] | None:
        order = j.order(order_no)
        return order if order["status"] == "packed" and order["tracking_numbers"] else None

    done = j.wait_for(f"{order_no} packed centrally", packed)
    (tracking,) = done["tracking_numbers"]
    issued = [w for w in gateway.waybills.values() if w["waybill_code"] == tracking]
    assert len(issued) == 1 and issued[0]["object_id"] == f"{order_no}:1"
    (printed,) = component.documents
    assert printed.document_id == tracking

    _hand_over(home, order_no, tracking)
    j.wait_for("the platform told the parcel shipped", lambda: gateway.shipments(TRADE))
    shipped = gateway.shipments(TRADE)
    assert len(shipped) == 1 and shipped[0]["tracking_no"] == tracking, shipped
    order = j.order(order_no)
    assert order["status"] == "shipped"
    j.screenshot("shipped")
