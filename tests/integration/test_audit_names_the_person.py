"""Every state-changing service writes an audit row naming the person who asked for it: their
code and user id, and the operating-system account and host the action came from.

Each service runs once, successfully, as a real named user on real (demo) data. The list of
scenarios must cover every registered service that is not read-only (`READ_ONLY`, each with
its reason), so a new service without its audit row fails here. The station's print services
audit through the outbox (the central database writes the row when the station pushes):
their events must name the person too.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from app.domain.roles import Role
from app.printers import PrinterSpec
from app.services import (
    access,
    auth,
    badge_cards,
    channel_events,
    channel_pull,
    demo,
    engine,
    exceptions,
    handover,
    intake,
    orders,
    picking,
    put_back,
    put_wall,
    reference,
    rules,
    shipments,
    shops,
    simulate,
    supply,
    tracking,
    waves,
    waybill_issue,
    waybills,
)
from app.services.context import Actor
from app.station import print_queue
from app.station.models import OutboxEvent
from app.station.store import open_store
from app.store.db import Database
from app.store.models import (
    AuditEntry,
    Carrier,
    LoginThrottle,
    Order,
    Package,
    ShipmentConfirmation,
    Warehouse,
)
from tests.helpers.clock import FakeClock
from tests.helpers.orders import drafts, order_record, write_jsonl
from tests.helpers.packing import actor, busiest_warehouse, packed_orders, picked_wave, station
from tests.helpers.platform_orders import platform_orders

pytestmark = pytest.mark.timeout(240)

READ_ONLY = {
    "auth.list_users": "lists people",
    "campaigns.overview": "reads presale campaigns",
    "presale.awaiting_balance_parcels": "lists pre-packed parcels waiting for the balance",
    "presale.ready_to_ship": "lists pre-packed parcels whose balance is paid",
    "presale.shelf_counts": "counts the pre-pack shelf's parcels",
    "presale.stock_position": "reads the campaign SKU's ledger",
    "channel_pull.list_rejects": "lists a shop's kept refused pulled orders",
    "dashboard.snapshot": "reads the shift lead's figures",
    "dashboard.summarise": "the engine's count of the live orders for the dashboards: a "
                           "figure kept, nobody's action",
    "exceptions.counts": "counts the queue",
    "exceptions.queue": "lists the queue",
    "handover.view": "reads a handover",
    "handover.waiting_by_carrier": "counts parcels waiting",
    "handover.waiting_parcels": "lists parcels waiting",
    "orders.count_orders": "counts orders",
    "orders.iter_orders": "reads orders",
    "orders.list_orders": "reads orders",
    "orders.order_detail": "reads one order",
    "pack_progress.paused": "reads the steps a pause kept",
    "presale_report.demand_report": "reads presale demand (the report and its export)",
    "reference.carriers": "reads carriers",
    "reference.warehouses": "reads warehouses",
    "shops.list_shops": "lists shops",
    "shipments.list_confirmations": "lists shipment confirmations",
    "shipments.counts": "counts shipment confirmations",
    "rules.list_rules": "reads rules",
    "stations.overview": "reads the stations' state",
    "picking.held_wave": "reads the wave a picker holds",
    "waves.list_waves": "reads waves",
    "picking.pick_list": "renders a wave's pick list",
    "waves.plan": "plans waves without releasing them",
    "picking.view": "reads one wave",
    "engine.run_forever": "loops `engine.run_once` (covered) until stopped",
    "supply.list_suppliers": "lists suppliers",
    "supply.board": "reads a presale campaign's supplier board",
    "supply.compensations": "lists the buyers flagged for compensation",
    "supply.promise_rows": "reads a campaign's orders' promises",
    "supply.export_promises": "writes the promises to a file; changes nothing stored",
}
# Audited through the station's outbox, not the central audit_log directly.
STATION_AUDITED = {"print_queue.reprint", "print_queue.cancel"}
# A print job names who asked for it (`requested_by`), and is no audit event of its own.
PRINT_JOBS = {"print_queue.enqueue", "print_queue.test_page", "print_queue.enqueue_pdf"}


@dataclass
class World:
    db: Database
    home: Path
    tmp: Path

    def who(self, code: str) -> Actor:
        return actor(self.db, code)


Scenario = Callable[[World], str]  # runs the service, returns the person's code


def _admin_on(w: World, fn: Callable[..., Any], *args: Any) -> str:
    fn(w.db, w.who("admin"), *args)
    return "admin"


def _wave_in_picking(w: World) -> tuple[Actor, str, Any]:
    engine.run_once(w.db, w.who("lead01"))
    wh = busiest_warehouse(w.db, "per_order", max_orders=2, max_cells=2)
    (r,) = waves.release(w.db, w.who("lead01"), wh, "per_order", max_orders=2, max_cells=2,
                         max_waves=1)
    picker = w.who("picker01")
    return picker, r.wave_no, picking.claim(w.db, picker, r.wave_no)


def _routed_order(w: World) -> str:
    engine.run_once(w.db, w.who("lead01"))
    with w.db.reader() as s:
        return str(s.scalars(select(Order.order_no).where(Order.status == "routed")
                             .order_by(Order.id)).first())


def _locked(w: World) -> str:
    with w.db.unit_of_work() as s:
        s.add(LoginThrottle(scope="user", key="picker01", failures=5,
                            locked_until=datetime.now(UTC) + timedelta(minutes=10)))
    return _admin_on(w, auth.unlock, "picker01")


def _service_account(w: World) -> str:
    auth.create_service_account(w.db, w.who("admin"), "robot01", "机器人", Role.SHIFT_LEAD)
    return "admin"


def _exception_order(w: World) -> str:
    no = _routed_order(w)
    orders.change_status(w.db, w.who("lead01"), no, "exception", "address unclear",
                         category="address_invalid")
    return no


def _escalate(w: World) -> str:
    _exception_order(w)
    exceptions.escalate(w.db, w.who("lead01"), datetime.now(UTC) + timedelta(days=10))
    return "lead01"


def _resolve(w: World) -> str:
    no = _exception_order(w)
    options = exceptions.queue(w.db, w.who("lead01"))
    item = next(i for i in options if i.order_no == no)
    exceptions.resolve(w.db, w.who("lead01"), no, item.actions[0],
                       note="called the buyer")
    return "lead01"


def _pull(w: World) -> str:
    """A pull the platform refuses (the secret is wrong): the failure is audited."""
    import os

    from tests.helpers.fake_platform import APP_KEY, FakePlatform

    with FakePlatform("top") as fake:
        shops.set_shop(w.db, w.who("admin"), "AUD2", channel="taobao", name="拉单店",
                       api_url=fake.url, app_key=APP_KEY)
        os.environ["PACKLINE_SHOP_SECRET_AUD2"] = "not-the-secret"
        try:
            report = channel_pull.pull(w.db, w.who("lead01"), "AUD2")
        finally:
            del os.environ["PACKLINE_SHOP_SECRET_AUD2"]
    assert report.error_kind == "auth"
    return "lead01"


class _Platform:
    """The fake Taobao gateway for a scenario, its shop's secrets in the environment."""

    def __enter__(self) -> Any:
        import os

        from tests.helpers.fake_platform import APP_SECRET, SESSION, FakePlatform

        os.environ["PACKLINE_SHOP_SECRET_TB1"] = APP_SECRET
        os.environ["PACKLINE_SHOP_SESSION_TB1"] = SESSION
        self.fake = FakePlatform("top").start()
        return self.fake

    def __exit__(self, *_exc: object) -> None:
        import os

        self.fake.stop()
        for name in ("PACKLINE_SHOP_SECRET_TB1", "PACKLINE_SHOP_SESSION_TB1"):
            os.environ.pop(name, None)


def _issue(w: World) -> str:
    with _Platform() as fake:
        (no,) = platform_orders(w.db, fake)
        waybill_issue.issue(w.db, w.who("packer01"), no, 1)
    return "packer01"


def _prefetch(w: World) -> str:
    with _Platform() as fake:
        platform_orders(w.db, fake)
        assert waybill_issue.prefetch(w.db, w.who("lead01"), limit=2).issued
    return "lead01"


def _request(w: World, serve: bool) -> str:
    """A station's ask for a waybill the centre does not hold (audited with its asker), and
    the engine serving it (the waybill audited with the engine's person)."""
    with _Platform() as fake:
        (no,) = platform_orders(w.db, fake)
        with pytest.raises(waybill_issue.WaybillFetching):
            waybill_issue.request(w.db, w.who("packer01"), "PACK-01", no, 1)
        if not serve:
            return "packer01"
        assert waybill_issue.serve_requests(w.db, w.who("lead01")).issued == 1
    return "lead01"


def _platform_parcel(w: World, fake: Any) -> tuple[str, int]:
    """A platform order with its waybill, its box packed: (order number, order id)."""
    (no,) = platform_orders(w.db, fake)
    waybill_issue.issue(w.db, w.who("packer01"), no, 1)
    with w.db.unit_of_work() as s:
        order = s.scalars(select(Order).where(Order.order_no == no)).one()
        s.execute(update(Package).where(Package.order_id == order.id).values(status="packed"))
        order.status = "packed"
        return no, order.id


def _cancel_due(w: World) -> str:
    with _Platform() as fake:
        no, _order_id = _platform_parcel(w, fake)
        with w.db.unit_of_work() as s:
            order = s.scalars(select(Order).where(Order.order_no == no)).one()
            assert waybill_issue.queue_cancellations(s, w.who("lead01"), order,
                                                     "cancelled") == 1
        assert waybill_issue.cancel_due(w.db, w.who("lead01")).done == 1
    return "lead01"


def _send_due(w: World) -> str:
    with _Platform() as fake:
        _no, order_id = _platform_parcel(w, fake)
        with w.db.unit_of_work() as s:
            s.execute(update(Package).where(Package.order_id == order_id)
                      .values(status="handed_over"))
            assert shipments.queue(s, [order_id], "handover") == 1
        assert shipments.send_due(w.db, w.who("lead01")).sent == 1
    return "lead01"


def _retry_confirmation(w: World) -> str:
    with _Platform() as fake:
        _no, order_id = _platform_parcel(w, fake)
        with w.db.unit_of_work() as s:
            assert shipments.queue(s, [order_id], "handover") == 1
            s.execute(update(ShipmentConfirmation).values(status="refused"))
            cid = s.scalar(select(ShipmentConfirmation.id))
        shipments.retry(w.db, w.who("lead01"), int(cid or 0))
    return "lead01"


def _apply_event(w: World) -> str:
    no = _routed_order(w)
    with w.db.reader() as s:
        order = s.scalars(select(Order).where(Order.order_no == no)).one()
        channel, channel_no = order.channel, order.channel_order_no
    channel_events.apply_event(w.db, w.who("lead01"), channel, channel_no, "cancelled",
                               "evt-1")
    return "lead01"


def _ingest(w: World) -> str:
    intake.ingest(w.db, w.who("lead01"), drafts(order_record("AUDIT-0001")))
    return "lead01"


def _import_file(w: World) -> str:
    path = write_jsonl(w.tmp / "orders.jsonl", [order_record("AUDIT-0002")])
    intake.import_file(w.db, w.who("lead01"), path)
    return "lead01"


def _simulate(w: World) -> str:
    clock = FakeClock()  # moves only when the simulator sleeps
    simulate.run(w.db, w.who("lead01"), rate=4, duration=1, clock=clock, sleep=clock.sleep,
                 events=False)
    return "lead01"


def _seed(w: World) -> str:
    """On an empty installation: its first admin seeds the demo data."""
    from app.store import migrate

    fresh = Database.from_url(f"sqlite:///{w.tmp / 'fresh.db'}")
    migrate.upgrade(fresh.bind)  # type: ignore[arg-type]
    boss = auth.bootstrap(fresh, "boss", "老板", "boss-password-1")
    demo.seed(fresh, boss, orders=0)
    w.db = fresh
    return "boss"


def _rule(w: World, swap: bool) -> str:
    listed = rules.list_rules(w.db, w.who("lead01"))
    if swap:
        rules.swap(w.db, w.who("lead01"), listed[0].code, listed[1].code)
    else:
        rules.update_rule(w.db, w.who("lead01"), listed[0].code,
                          enabled=not listed[0].enabled)
    return "lead01"


def _release_planned(w: World) -> str:
    engine.run_once(w.db, w.who("lead01"))
    wh = busiest_warehouse(w.db, "per_order", max_orders=2, max_cells=2)
    plan = waves.plan(w.db, w.who("lead01"), wh, "per_order", max_orders=2, max_cells=2)
    waves.release_planned(w.db, w.who("lead01"), plan, [0])
    return "lead01"


def _cancel_wave(w: World) -> str:
    engine.run_once(w.db, w.who("lead01"))
    wh = busiest_warehouse(w.db, "per_order", max_orders=2, max_cells=2)
    (r,) = waves.release(w.db, w.who("lead01"), wh, "per_order", max_orders=2, max_cells=2,
                         max_waves=1)
    waves.cancel(w.db, w.who("lead01"), r.wave_no, "wrong strategy")
    return "lead01"


def _picking(step: str) -> Scenario:
    def run(w: World) -> str:
        picker, wave_no, view = _wave_in_picking(w)
        task = view.current
        if step == "claim":
            return "picker01"
        if step == "confirm_bin":
            picking.confirm_bin(w.db, picker, wave_no, task.seq, task.bin_code)
        if step == "pick":
            picking.confirm_bin(w.db, picker, wave_no, task.seq, task.bin_code)
            picking.pick(w.db, picker, wave_no, task.seq, task.sku_code)
        elif step == "skip":
            picking.skip(w.db, picker, wave_no, task.seq)
        elif step == "short_pick":
            picking.confirm_bin(w.db, picker, wave_no, task.seq, task.bin_code)
            picking.short_pick(w.db, picker, wave_no, task.seq, 0, "bin empty")
        elif step == "hand_back":
            picking.hand_back(w.db, picker, wave_no, "end of shift")
        elif step == "abandon":
            picking.abandon(w.db, picker, wave_no, "wrong trolley")
        return "picker01"
    return run


def _put(w: World) -> str:
    engine.run_once(w.db, w.who("lead01"))
    wh = busiest_warehouse(w.db, "multi_item", max_orders=4, max_cells=4)
    (r,) = waves.release(w.db, w.who("lead01"), wh, "multi_item", max_orders=4, max_cells=4,
                         max_waves=1)
    picker = w.who("picker01")
    from tests.helpers.packing import pick_to_the_end

    pick_to_the_end(w.db, picker, r.wave_no)
    view = picking.view(w.db, picker, r.wave_no)
    put_wall.put(w.db, picker, r.wave_no, view.tasks[0].sku_code)
    return "picker01"


def _finish_putback(w: World) -> str:
    """An order cancelled after its units were picked: they go back to the bin."""
    picker, wave_no, view = _wave_in_picking(w)
    task = view.current
    picking.confirm_bin(w.db, picker, wave_no, task.seq, task.bin_code)
    picking.pick(w.db, picker, wave_no, task.seq, task.sku_code, qty=task.qty)
    order_no = task.cells[0][0]
    with w.db.reader() as s:
        channel, number = s.execute(select(Order.channel, Order.channel_order_no)
                                    .where(Order.order_no == order_no)).one()
    channel_events.apply_event(w.db, w.who("lead01"), channel, number, "cancelled", "c-1")
    (putback, *_rest) = [p for p in picking.view(w.db, picker, wave_no).putbacks
                         if p["status"] == "open"]
    put_back.finish_putback(w.db, picker, putback["id"], putback["bin"])
    return "picker01"


def _waybill(w: World) -> str:
    (no, *_rest) = picked_wave(w.db, orders=1)
    waybills.waybill_for(w.db, w.who("packer01"), no)
    return "packer01"


def _allocate(w: World) -> str:
    tracking.allocate_block(w.db, w.who("packer01"), "ST-HZ-PACK-01", "SF", 5)
    return "packer01"


def _handover(step: str) -> Scenario:
    def run(w: World) -> str:
        numbers = packed_orders(w.db, w.home, orders=2)
        with w.db.reader() as s:
            tn, carrier, wh = s.execute(
                select(Package.tracking_no, Carrier.code, Warehouse.code)
                .join(Order, Order.id == Package.order_id)
                .join(Carrier, Carrier.id == Package.carrier_id)
                .join(Warehouse, Warehouse.id == Order.warehouse_id)
                .where(Order.order_no == numbers[0])).first()
        dock = w.who("packer01")
        view = handover.open_handover(w.db, dock, wh, carrier)
        if step in ("scan_parcel", "close"):
            handover.scan_parcel(w.db, dock, view.handover_no, tn)
        if step == "close":
            handover.close(w.db, dock, view.handover_no)
        return "packer01"
    return run


def _import_deliveries(w: World) -> str:
    path = w.tmp / "deliveries.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("活动,供应商,交期,数量\nPS-OFFSET,SUP-NB,2026-12-02,40\n", encoding="utf-8")
    supply.import_deliveries(w.db, w.who("lead01"), path)
    return "lead01"


SCENARIOS: dict[str, Scenario] = {
    "auth.change_role": lambda w: _admin_on(w, auth.change_role, "picker01", Role.PACKER),
    "auth.create_service_account": _service_account,
    "auth.create_user": lambda w: _admin_on(w, auth.create_user, auth.NewUser(
        "packer09", "孙打包", Role.PACKER, "password-09")),
    "auth.issue_badge": lambda w: _admin_on(w, auth.issue_badge, "packer01"),
    "badge_cards.issue_to_file": lambda w: _admin_on(
        w, badge_cards.issue_to_file, "packer01", "李打包", w.tmp / "card.pdf"),
    "print_queue.issue_badge_card": lambda w: _admin_on(
        w, print_queue.issue_badge_card, open_store(w.tmp / "cards.db"), "packer01", "李打包",
        PrinterSpec("cards", f"file://{w.tmp}/cards", "pdf")),
    "auth.issue_token": lambda w: (_service_account(w), _admin_on(
        w, auth.issue_token, "robot01"))[1],
    "auth.reset_password": lambda w: _admin_on(w, auth.reset_password, "packer01",
                                               "new-password-1"),
    "auth.revoke_badge": lambda w: (_admin_on(w, auth.issue_badge, "packer01"),
                                    _admin_on(w, auth.revoke_badge, "packer01"))[1],
    "auth.revoke_token": lambda w: (_service_account(w), _admin_on(
        w, auth.revoke_token, "robot01"))[1],
    "auth.set_active": lambda w: _admin_on(w, auth.set_active, "picker01", False),
    "reference.set_cutoff": lambda w: (reference.set_cutoff(
        w.db, w.who("lead01"), "ZTO", "17:30"), "lead01")[1],
    "shops.set_shop": lambda w: (shops.set_shop(
        w.db, w.who("lead01"), "AUD1", channel="taobao", name="审计店"), "lead01")[1],
    "channel_pull.pull": _pull,
    "auth.set_pin": lambda w: _admin_on(w, auth.set_pin, "lead01", "8642"),
    "auth.unlock": _locked,
    "channel_events.apply_event": _apply_event,
    "demo.seed": _seed,
    "engine.run_once": lambda w: (engine.run_once(w.db, w.who("lead01")), "lead01")[1],
    "exceptions.escalate": _escalate,
    "exceptions.resolve": _resolve,
    "handover.open_handover": _handover("open_handover"),
    "handover.scan_parcel": _handover("scan_parcel"),
    "handover.close": _handover("close"),
    "intake.ingest": _ingest,
    "intake.import_file": _import_file,
    "orders.change_status": lambda w: (orders.change_status(
        w.db, w.who("lead01"), _routed_order(w), "on_hold", "buyer asked to wait"),
        "lead01")[1],
    "rules.swap": lambda w: _rule(w, swap=True),
    "rules.update_rule": lambda w: _rule(w, swap=False),
    "simulate.run": _simulate,
    "tracking.allocate_block": _allocate,
    "waves.release": lambda w: (_wave_in_picking(w), "lead01")[1],
    "waves.release_planned": _release_planned,
    "waves.cancel": _cancel_wave,
    "picking.claim": _picking("claim"),
    "picking.confirm_bin": _picking("confirm_bin"),
    "picking.pick": _picking("pick"),
    "picking.skip": _picking("skip"),
    "picking.short_pick": _picking("short_pick"),
    "picking.hand_back": _picking("hand_back"),
    "picking.abandon": _picking("abandon"),
    "put_wall.put": _put,
    "put_back.finish_putback": _finish_putback,
    "waybills.waybill_for": _waybill,
    "waybill_issue.issue": _issue,
    "waybill_issue.prefetch": _prefetch,
    "waybill_issue.request": lambda w: _request(w, False),
    "waybill_issue.serve_requests": lambda w: _request(w, True),
    "waybill_issue.cancel_due": _cancel_due,
    "shipments.send_due": _send_due,
    "shipments.retry": _retry_confirmation,
    "supply.save_supplier": lambda w: (supply.save_supplier(
        w.db, w.who("lead01"), "SUP-AUD", "审计供应商"), "lead01")[1],
    "supply.set_campaign_suppliers": lambda w: (supply.set_campaign_suppliers(
        w.db, w.who("lead01"), "PS-DOUBLE", "SUP-NB", "SUP-SZ"), "lead01")[1],
    "supply.record_delivery": lambda w: (supply.record_delivery(
        w.db, w.who("lead01"), "PS-DOUBLE", "SUP-HZ", date(2026, 12, 1), 10), "lead01")[1],
    "supply.import_deliveries": _import_deliveries,
    "supply.raise_slips": lambda w: (supply.raise_slips(w.db, w.who("lead01")), "lead01")[1],
    "supply.export_compensations": lambda w: (supply.export_compensations(
        w.db, w.who("lead01"), w.tmp / "comp.xlsx"), "lead01")[1],
    "supply.promises": lambda w: (supply.promises(w.db, w.who("lead01"), "PS-FULL"),
                                  "lead01")[1],
}


def _presale_campaign(w: World, orders: int = 0) -> tuple[str, list[str]]:
    """A real-stock campaign of its own with `orders` deposit orders routed."""
    from app.services import presale_scenario

    now = datetime.now(UTC)
    code = presale_scenario.fresh_code(w.db)
    presale_scenario._prepare(w.db, w.who("admin"), code, 10, now)
    if orders:
        intake.ingest(w.db, w.who("admin"), presale_scenario._drafts(
            code, f"{code}-SKU", orders, now))
        engine.run_once(w.db, w.who("admin"), now=now)
    with w.db.reader() as s:
        nos = list(s.scalars(select(Order.order_no).where(
            Order.channel_order_no.like(f"{code}-%")).order_by(Order.id)))
    return code, nos


def _presale(name: str) -> Scenario:
    def run(w: World) -> str:
        from app.services import presale, presale_scenario

        lead = w.who("lead01")
        if name == "set_stock_mode":
            code, _nos = _presale_campaign(w)
            presale.set_stock_mode(w.db, lead, code, "pool")
        elif name == "prepack_wave":
            code, _nos = _presale_campaign(w, 2)
            assert presale.prepack_wave(w.db, lead, code, "HZ")
        elif name == "unpack":
            code, nos = _presale_campaign(w, 1)
            admin = w.who("admin")
            for wave in presale.prepack_wave(w.db, admin, code, "HZ"):
                presale_scenario._pick(w.db, admin, wave.wave_no)
            presale_scenario._pack(w.db, admin, presale_scenario._station(w.db), "packer01",
                                   nos)
            from app.services import channel_events  # refunded: it may be unpacked now

            channel_events.apply_event(w.db, admin, "taobao", f"{code}-00000",
                                       "refund_requested", "refund")
            presale.unpack(w.db, lead, nos[0])
        elif name == "close_campaign":
            code, _nos = _presale_campaign(w, 2)
            presale.close_campaign(w.db, lead, code, now=datetime.now(UTC) + timedelta(hours=3))
        else:
            presale_scenario.run(w.db, lead, orders=50)
        return "lead01"
    return run


SCENARIOS.update({f"presale.{n}": _presale(n) for n in (
    "set_stock_mode", "prepack_wave", "unpack", "close_campaign")})
SCENARIOS["presale_scenario.run"] = _presale("run")


def test_the_scenarios_cover_every_state_changing_service() -> None:
    registered = set(access.load_services())
    assert set(READ_ONLY) | STATION_AUDITED | PRINT_JOBS <= registered
    changing = registered - set(READ_ONLY) - STATION_AUDITED - PRINT_JOBS
    assert changing == set(SCENARIOS), (
        f"missing: {sorted(changing - set(SCENARIOS))}, "
        f"stale: {sorted(set(SCENARIOS) - changing)}")


def _last_id(db: Database) -> int:
    with db.reader() as s:
        return int(s.scalar(select(func.max(AuditEntry.id))) or 0)


@pytest.mark.parametrize("service", sorted(SCENARIOS))
def test_the_audit_names_the_person(service: str, gui_db: Database, tmp_path: Path) -> None:
    w = World(gui_db, tmp_path / "home", tmp_path)
    before = _last_id(gui_db)
    code = SCENARIOS[service](w)
    if w.db is not gui_db:  # the scenario ran on a database of its own
        before = 0
    person = w.who(code)
    with w.db.reader() as s:
        rows = list(s.execute(select(AuditEntry.action, AuditEntry.actor, AuditEntry.user_id,
                                     AuditEntry.os_user, AuditEntry.host)
                              .where(AuditEntry.id > before, AuditEntry.actor == code)))
    assert rows, f"{service}: no audit row by {code}"
    for action, who, user_id, os_user, host in rows:
        assert (who, user_id) == (code, person.user_id), (service, action)
        assert os_user and host, (service, action)


def test_the_station_print_services_audit_the_person(gui_db: Database,
                                                     tmp_path: Path) -> None:
    rt = station(gui_db, tmp_path / "home")
    try:
        packer, lead = actor(gui_db, "packer01"), actor(gui_db, "lead01")
        spec = PrinterSpec("label", "file:///dev/null", "zpl")
        first = print_queue.test_page(rt.store, packer, spec, rt.code)
        print_queue.enqueue(rt.store, packer, spec, print_queue.test_document("label", rt.code),
                            kind="test", ref="label", title="again")
        print_queue.reprint(rt.store, lead, first.job_id, "label torn")
        queued = print_queue.enqueue(rt.store, packer, spec,
                                     print_queue.test_document("label2", rt.code), kind="test",
                                     ref="label2")
        print_queue.cancel(rt.store, packer, queued.job_id)
        with rt.store.reader() as s:
            events = [p for p in s.scalars(select(OutboxEvent.payload).where(
                OutboxEvent.kind == "audit").order_by(OutboxEvent.seq))]
        assert {(e["action"], e["user"]) for e in events} >= {
            ("print.reprint", "lead01"), ("print.cancel", "packer01")}
        assert json.dumps(events)
    finally:
        rt.stop()

