"""Channel status events on SQLite and PostgreSQL: each applied once, with its effect on the
order's status, its stock and its presale pool units."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from app.services import channel_events, engine, intake, orders
from app.services.context import system_actor
from app.services.errors import Conflict, InvalidInput, NotFound
from app.store.db import Database
from app.store.models import (
    ChannelEvent,
    Order,
    OrderPayment,
    PresaleCampaign,
    PresalePool,
    Sku,
    Stock,
    StockMovement,
    Warehouse,
)
from tests.helpers.orders import ENGINE_NOW, drafts, order_record, sku_in_every_warehouse

NOW = ENGINE_NOW


def _routed(db: Database, number: str, **changes) -> None:
    engine.run_once(db, system_actor(), now=NOW)  # the seeded backlog out of the way
    intake.ingest(db, system_actor(), drafts(order_record(number, sku=sku_in_every_warehouse(db), **changes)))
    engine.run_once(db, system_actor(), now=NOW)


def _get(db: Database, number: str) -> Order:
    with db.reader() as s:
        o = s.scalars(select(Order).where(Order.channel_order_no == number)).one()
        s.expunge(o)
        return o


def _reserved(db: Database) -> int:
    with db.reader() as s:
        return s.scalar(select(func.sum(Stock.reserved))) or 0


def _event(db: Database, number: str, kind: str, key: str = "e1", **payload):
    return channel_events.apply_event(db, system_actor(), "taobao", number, kind, key, payload)


def test_a_cancelled_routed_order_gives_its_stock_back_once(db: Database) -> None:
    before = _reserved(db)
    _routed(db, "EV-CANCEL")
    held = _reserved(db)
    assert _get(db, "EV-CANCEL").status == "routed" and held > before
    first = _event(db, "EV-CANCEL", "cancelled", "evt-9")
    assert first.applied and first.effect == "cancelled"
    o = _get(db, "EV-CANCEL")
    assert (o.status, o.warehouse_id) == ("cancelled", None)
    released = _reserved(db)
    again = _event(db, "EV-CANCEL", "cancelled", "evt-9")
    assert (again.applied, again.effect) == (False, "already applied")
    assert _reserved(db) == released
    with db.reader() as s:
        net = s.scalar(select(func.sum(StockMovement.delta_reserved))
                       .where(StockMovement.order_id == o.id))
        events = s.scalar(select(func.count()).select_from(ChannelEvent)
                          .where(ChannelEvent.channel_order_no == "EV-CANCEL"))
    assert net == 0 and events == 1
    assert held - released == 2  # the order's two units


def test_refund_requested_intercepts_and_nothing_moves_it_forward(db: Database) -> None:
    _routed(db, "EV-REFUND")
    result = _event(db, "EV-REFUND", "refund_requested", "r-1")
    assert result.effect == "intercepted (refund_requested)"
    o = _get(db, "EV-REFUND")
    assert (o.status, o.intercept) == ("routed", "refund_requested")
    with pytest.raises(Conflict, match="intercepted"):
        orders.change_status(db, system_actor(), o.order_no, "in_wave")


def test_an_order_already_in_a_wave_is_intercepted_not_cancelled(db: Database) -> None:
    _routed(db, "EV-WAVE")
    with db.unit_of_work() as s:
        s.execute(update(Order).where(Order.channel_order_no == "EV-WAVE")
                  .values(status="picking"))
    held = _reserved(db)
    assert _event(db, "EV-WAVE", "cancelled").effect == "intercepted (cancelled)"
    o = _get(db, "EV-WAVE")
    assert (o.status, o.intercept) == ("picking", "cancelled")
    assert _reserved(db) == held  # the picker has the goods: nothing is released by itself


def test_a_changed_address_routes_the_order_again(db: Database) -> None:
    _routed(db, "EV-ADDR")
    with db.reader() as s:
        codes = dict(s.execute(select(Warehouse.id, Warehouse.code)).all())
    assert codes[_get(db, "EV-ADDR").warehouse_id] == "HZ"
    new = {"name": "张三", "phone": "13800138000", "province": "北京市", "city": "北京市",
           "district": "朝阳区", "address": "建国路88号"}
    result = _event(db, "EV-ADDR", "address_changed", "a-1", receiver=new)
    assert result.effect == "address changed; routing again"
    assert _get(db, "EV-ADDR").status == "pending_review"
    engine.run_once(db, system_actor(), now=NOW)
    o = _get(db, "EV-ADDR")
    assert (o.status, codes[o.warehouse_id], o.district) == ("routed", "BJ", "朝阳区")


def test_balance_paid_releases_a_waiting_presale_order(db: Database) -> None:
    engine.run_once(db, system_actor(), now=NOW)
    with db.reader() as s:
        camp = s.scalars(select(PresaleCampaign).where(PresaleCampaign.code == "PS-REDUCE")
                         ).one()
        sku = s.get_one(Sku, camp.sku_id).code
        price, camp_id = camp.price_fen, camp.id
        pool = s.scalar(select(PresalePool.reserved).where(PresalePool.campaign_id == camp.id))
    intake.ingest(db, system_actor(), drafts(order_record(
        "EV-PRE", sku=sku, qty=1, price=f"{price / 100:.2f}",
        presale={"campaign": "PS-REDUCE", "deposit_paid_at": "2026-11-01T20:00:00+08:00",
                 "balance_paid_at": None})))
    engine.run_once(db, system_actor(), now=NOW)
    assert _get(db, "EV-PRE").status == "awaiting_balance"
    assert _get(db, "EV-PRE").pool_units == 1
    paid = _event(db, "EV-PRE", "balance_paid", "pay-7", at="2026-11-11T00:00:05+08:00")
    assert paid.effect == "balance paid"
    with db.reader() as s:
        status = s.scalar(select(OrderPayment.status).where(
            OrderPayment.order_id == _get(db, "EV-PRE").id, OrderPayment.kind == "balance"))
    assert status == "paid"
    engine.run_once(db, system_actor(), now=NOW)
    assert _get(db, "EV-PRE").status == "routed"
    # cancelled after all: pool units and stock go back
    _event(db, "EV-PRE", "cancelled", "c-1")
    with db.reader() as s:
        assert s.scalar(select(PresalePool.reserved)
                        .where(PresalePool.campaign_id == camp_id)) == pool
    assert _get(db, "EV-PRE").pool_units == 0


@pytest.mark.parametrize(("kind", "key", "payload", "error"), [
    ("shipped", "k", {}, InvalidInput),
    ("cancelled", " ", {}, InvalidInput),
    ("address_changed", "k", {"receiver": {"name": "x"}}, InvalidInput),
])
def test_bad_events_change_nothing(db: Database, kind, key, payload, error) -> None:
    _routed(db, "EV-BAD")
    before = _get(db, "EV-BAD")
    with pytest.raises(error):
        channel_events.apply_event(db, system_actor(), "taobao", "EV-BAD", kind, key, payload)
    after = _get(db, "EV-BAD")
    assert (after.status, after.version, after.address) == (
        before.status, before.version, before.address)
    with db.reader() as s:
        assert s.scalar(select(func.count()).select_from(ChannelEvent)) == 0


def test_an_event_for_an_unknown_order_is_refused(db: Database) -> None:
    with pytest.raises(NotFound):
        _event(db, "NO-SUCH-ORDER", "cancelled")
