"""The whole way of a Taobao order, on SQLite and PostgreSQL: pulled from the fake Taobao
gateway, routed, picked, packed at a station that asks the centre for its Cainiao waybill
(fetched by the engine from the fake provider) and prints it through the fake Cainiao component, handed over, and the platform told
once, with its own order number."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.services import (
    channel_pull,
    engine,
    handover,
    platform_work,
    shipments,
    shops,
    waves,
)
from app.services.central_link import DatabaseLink
from app.station import outbox
from app.station.packing import PackingBench
from app.store.db import Database
from app.store.models import Carrier, Order, Package, Warehouse, Wave
from drivers.barcode import ScanCommand
from tests.helpers.fake_component import FakeComponent
from tests.helpers.fake_platform import APP_KEY, APP_SECRET, SESSION, FakePlatform
from tests.helpers.orders import sku_in_every_warehouse
from tests.helpers.packing import actor, pick_to_the_end, station, unit_codes
from tests.helpers.platform_orders import ADMIN, station_ini
from tests.helpers.waiting import eventually

pytestmark = pytest.mark.timeout(300)


def test_a_pulled_taobao_order_ships_with_a_cainiao_waybill_and_is_confirmed_once(
        db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PACKLINE_SHOP_SECRET_E2E", APP_SECRET)
    monkeypatch.setenv("PACKLINE_SHOP_SESSION_E2E", SESSION)
    sku = sku_in_every_warehouse(db)
    now = datetime.now(UTC)
    with FakePlatform("top") as top, FakeComponent("cainiao", printers=("ZTO-1",)) as comp:
        shops.set_shop(db, ADMIN, "E2E", channel="taobao", name="端到端旗舰店",
                       api_url=top.url, app_key=APP_KEY, pull_enabled=True,
                       waybill_providers={"*": "cainiao"}, confirm_on="handover")
        top.add_order("E2E-TID-1", lines=[(sku, 1, "59.00")],
                      modified=now - timedelta(hours=2))
        assert channel_pull.pull(db, ADMIN, "E2E", now=now).created == 1
        engine.run_once(db, ADMIN)
        with db.reader() as s:
            no, status, wh = s.execute(
                select(Order.order_no, Order.status, Warehouse.code)
                .join(Warehouse, Warehouse.id == Order.warehouse_id)
                .where(Order.channel_order_no == "E2E-TID-1")).one()
        assert status == "routed"
        waves.release(db, ADMIN, wh, "per_order")
        with db.reader() as s:
            wave_no = s.scalar(select(Wave.wave_no).join(Order, Order.wave_id == Wave.id)
                               .where(Order.order_no == no))
        pick_to_the_end(db, actor(db, "picker01"), str(wave_no))

        rt = station(db, tmp_path / "home", station_ini(comp.url("ZTO-1")))
        rt.start()
        try:
            bench = PackingBench(rt, actor(db, "packer01"))
            assert bench.open(no).accepted
            for code in unit_codes(db, no):
                view = bench.scan(code)
            # The station asks the centre, which never calls the platform for it: the
            # engine's next pass fetches the waybill, and the waiting order is confirmed.
            assert view.reason == "waybill.fetching" and not view.printed, view
            assert top.waybills == {}, "the station called no platform"
            assert platform_work.run_once(db, actor(db, "lead01"))["requested"] == 1
            view = bench.command(ScanCommand.CONFIRM)
            assert view.state is not None and view.state.phase.value == "packed", view
            (tracking_no,) = view.printed
            eventually(lambda: comp.printed() == 1, what="the Cainiao component to print")
            assert outbox.push(rt.store, DatabaseLink(db), rt.code).refused == 0
        finally:
            rt.stop()
        assert [w["waybill_code"] for w in top.waybills.values()] == [tracking_no]

        dock = actor(db, "packer01")
        with db.reader() as s:
            carrier = s.scalar(select(Carrier.code).join(Package, Package.carrier_id == Carrier.id)
                               .where(Package.tracking_no == tracking_no))
        opened = handover.open_handover(db, dock, wh, str(carrier))
        handover.scan_parcel(db, dock, opened.handover_no, tracking_no)
        handover.close(db, dock, opened.handover_no)
        lead = actor(db, "lead01")
        assert shipments.send_due(db, lead).sent == 1
        assert shipments.send_due(db, lead).sent == 0
        assert [(s["order"], s["tracking_no"]) for s in top.sends] == [
            ("E2E-TID-1", tracking_no)]
