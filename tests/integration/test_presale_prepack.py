"""Pre-packing a real-stock presale (预打包) on SQLite and PostgreSQL: 1,000 deposit orders
reserve real stock and are packed in waves before their balance; 900 pay and leave through
the dock the moment they do, 60 refund and are unpacked and put back, 40 never pay and are
settled at the campaign's end — the ledger exact after every step, nothing shipped unpaid.
And each refusal on its own, with its code, changing nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from app.services import (
    balance_due,
    channel_events,
    engine,
    handover,
    intake,
    presale,
    presale_scenario,
)
from app.services.context import system_actor
from app.services.errors import Conflict, InvalidInput, NotFound
from app.store.db import Database
from app.store.models import AuditEntry, Order, OrderException, Package, PresaleCampaign
from tests.helpers.orders import drafts, order_record

pytestmark = pytest.mark.timeout(600)


def test_a_thousand_deposits_prepacked_paid_refunded_and_never_paid(db: Database) -> None:
    lead = system_actor()
    figures = presale_scenario.run(db, lead, orders=1000, code="PS-PREPACK")
    assert (figures.orders, figures.routed, figures.packed) == (1000, 1000, 1000)
    assert (figures.paid, figures.shipped, figures.refunded, figures.never_paid) == (
        900, 900, 60, 40)
    assert figures.unpacked == 100 and figures.units_put_back == 100
    assert figures.refused_unpaid_scans == 1
    steps = {row["step"]: row for row in figures.ledger}
    assert steps["deposits routed"]["presale_held"] == 1000
    assert steps["deposits routed"]["free"] == 200  # 1,200 on hand, 1,000 held for presale
    assert steps["pre-packed"]["packed_waiting"] == 1000
    assert steps["non-payers put back"]["on_hand"] == 300  # 1,200 − 900 shipped
    # Nothing shipped unpaid: every shipped order of the campaign has its balance paid.
    with db.reader() as s:
        camp = s.scalars(select(PresaleCampaign).where(PresaleCampaign.code == "PS-PREPACK")
                         ).one()
        shipped = s.scalar(select(func.count()).select_from(Order).where(
            Order.campaign_id == camp.id, Order.status == "shipped",
            balance_due.balance_unpaid(Order.__table__.c))) or 0
        cancelled = s.scalar(select(func.count()).select_from(Order).where(
            Order.campaign_id == camp.id, Order.status == "cancelled")) or 0
        voided = s.scalar(select(func.count()).select_from(Package).join(Order).where(
            Order.campaign_id == camp.id, Package.status == "void")) or 0
    assert (shipped, cancelled, voided) == (0, 100, 100)
    # The first 100 paid parcels were each timed to their own closed handover (the figures
    # are printed by `packline simulate --presale`; their speed is not asserted here).
    assert len(figures.paid_to_scan_ms) == len(figures.paid_to_shipped_ms) == 100
    assert all(shipped > scan for shipped, scan in zip(figures.paid_to_shipped_ms,
                                                      figures.paid_to_scan_ms, strict=True))
    print("prepack figures:", {k: v for k, v in figures.as_json().items() if k != "ledger"})


# ------------------------------------------------------------------ refusals, one by one


def _real_campaign(db: Database, orders: int = 3) -> tuple[str, list[str]]:
    """A small real-stock campaign with `orders` deposit orders routed: (code, order nos)."""
    now = datetime.now(UTC)
    lead = system_actor()
    code = presale_scenario.fresh_code(db)
    presale_scenario._prepare(db, lead, code, 10, now)
    intake.ingest(db, lead, presale_scenario._drafts(code, f"{code}-SKU", orders, now))
    engine.run_once(db, lead, now=now)
    with db.reader() as s:
        nos = list(s.scalars(select(Order.order_no).join(
            PresaleCampaign, PresaleCampaign.id == Order.campaign_id)
            .where(PresaleCampaign.code == code).order_by(Order.id)))
    return code, nos


def _prepacked(db: Database, orders: int = 3) -> tuple[str, list[str]]:
    code, nos = _real_campaign(db, orders)
    lead = system_actor()
    for wave in presale.prepack_wave(db, lead, code, "HZ"):
        presale_scenario._pick(db, lead, wave.wave_no)
    assert presale_scenario._pack(db, lead, presale_scenario._station(db), "packer01",
                                  nos) == orders
    return code, nos


def _snapshot(db: Database) -> dict[str, Any]:
    with db.reader() as s:
        return {"packages": sorted(map(tuple, s.execute(select(
                    Package.tracking_no, Package.status, Package.handover_id)).all())),
                "orders": sorted(map(tuple, s.execute(select(
                    Order.order_no, Order.status, Order.intercept)).all())),
                "exceptions": s.scalar(select(func.count()).select_from(OrderException))}


def test_the_dock_refuses_an_unpaid_parcel_and_takes_it_once_paid(db: Database) -> None:
    code, nos = _prepacked(db, 2)
    lead = system_actor()
    tn, carrier = presale_scenario._parcel(db, nos[0])
    ho = handover.open_handover(db, lead, "HZ", carrier).handover_no
    assert tn not in handover.waiting_parcels(db, lead, "HZ", carrier)
    assert {p.order_no for p in presale.awaiting_balance_parcels(db, lead, code)} == set(nos)
    assert presale.ready_to_ship(db, lead, code) == []
    before = _snapshot(db)
    with pytest.raises(handover.BalanceUnpaid) as refused:
        handover.scan_parcel(db, lead, ho, tn)
    assert refused.value.code == "handover.balance_unpaid"
    assert refused.value.params["order_no"] == nos[0]
    assert refused.value.params["campaign"] == code
    assert _snapshot(db) == before
    with db.reader() as s:
        channel, number = s.execute(select(Order.channel, Order.channel_order_no)
                                    .where(Order.order_no == nos[0])).one()
    channel_events.apply_event(db, lead, channel, number, "balance_paid", "k1")
    ready = presale.ready_to_ship(db, lead, code)
    assert [p.order_no for p in ready] == [nos[0]] and ready[0].balance_paid_at is not None
    assert handover.scan_parcel(db, lead, ho, tn).scanned == 1
    handover.close(db, lead, ho)
    with db.reader() as s:
        assert s.scalar(select(Order.status).where(Order.order_no == nos[0])) == "shipped"


def test_the_close_takes_off_a_parcel_whose_balance_is_not_paid(db: Database) -> None:
    code, nos = _prepacked(db, 1)
    lead = system_actor()
    tn, carrier = presale_scenario._parcel(db, nos[0])
    ho = handover.open_handover(db, lead, "HZ", carrier).handover_no
    with db.unit_of_work() as s:  # scanned by some other way round the dock's check
        s.execute(Package.__table__.update().where(Package.tracking_no == tn).values(
            handover_id=s.scalar(select(handover.Handover.id)
                                 .where(handover.Handover.handover_no == ho))))
    with pytest.raises(handover.BalanceUnpaid) as refused:
        handover.close(db, lead, ho)
    assert refused.value.code == "handover.balance_unpaid"
    with db.reader() as s:
        assert s.scalar(select(Package.handover_id).where(Package.tracking_no == tn)) is None
        assert s.scalar(select(Order.status).where(Order.order_no == nos[0])) == "packed"


def test_ordinary_waves_leave_unpaid_real_stock_orders_out(db: Database) -> None:
    from app.services import waves

    code, nos = _real_campaign(db, 3)
    lead = system_actor()
    plan = waves.plan(db, lead, "HZ", "presale", max_orders=500, max_cells=500,
                      mix_bands=True)
    with db.reader() as s:
        ids = set(s.scalars(select(Order.id).where(Order.order_no.in_(nos))))
    assert not ids & {i for w in plan.waves for i in w.order_ids}
    released = presale.prepack_wave(db, lead, code, "HZ")
    assert sum(r.orders for r in released) == 3


def test_spot_orders_never_take_what_presale_holds(db: Database) -> None:
    code, _nos = _real_campaign(db, 10)  # 12 on hand, 10 held
    lead = system_actor()
    intake.ingest(db, lead, drafts(order_record("SPOT-TOO-MANY", sku=f"{code}-SKU", qty=3,
                                                price="199.00")))
    engine.run_once(db, lead)
    with db.reader() as s:
        assert s.scalar(select(Order.exception).where(
            Order.channel_order_no == "SPOT-TOO-MANY")) == "out_of_stock"
    position = presale.stock_position(db, lead, code).as_json()
    assert (position["presale_held"], position["spot_reserved"], position["free"]) == (
        10, 0, 2)


def test_real_stock_short_is_an_exception_not_an_oversell(db: Database) -> None:
    now = datetime.now(UTC)
    lead = system_actor()
    code = presale_scenario.fresh_code(db)
    presale_scenario._prepare(db, lead, code, 10, now)  # pool 10, on hand 12
    with db.unit_of_work() as s:  # the pool allows more than the bins hold
        s.execute(presale_scenario.PresalePool.__table__.update().values(capacity=100)
                  .where(presale_scenario.PresalePool.campaign_id == s.scalar(
                      select(PresaleCampaign.id).where(PresaleCampaign.code == code))))
    intake.ingest(db, lead, presale_scenario._drafts(code, f"{code}-SKU", 14, now))
    engine.run_once(db, lead, now=now)
    position = presale.stock_position(db, lead, code).as_json()
    assert position["presale_held"] == 12 and position["free"] == 0
    with db.reader() as s:
        short = s.scalar(select(func.count()).select_from(Order).where(
            Order.exception == "presale_over_capacity",
            Order.channel_order_no.like(f"{code}-%")))
    assert short == 2


def test_the_stock_mode_is_set_by_a_person_until_orders_come(db: Database) -> None:
    lead = system_actor()
    code, _nos = _real_campaign(db, 1)
    with pytest.raises(Conflict) as refused:
        presale.set_stock_mode(db, lead, code, "pool")
    assert refused.value.code == "presale.mode_has_orders"
    with pytest.raises(InvalidInput) as bad:
        presale.set_stock_mode(db, lead, code, "virtual")
    assert bad.value.code == "presale.bad_mode"
    with pytest.raises(NotFound) as missing:
        presale.set_stock_mode(db, lead, "PS-NOPE", "real")
    assert missing.value.code == "presale.unknown_campaign"
    fresh = presale_scenario.fresh_code(db)
    presale_scenario._prepare(db, lead, fresh, 10, datetime.now(UTC))  # no orders yet
    assert presale.set_stock_mode(db, lead, fresh, " POOL ") == "pool"
    with db.reader() as s:
        assert s.scalar(select(PresaleCampaign.stock_mode)
                        .where(PresaleCampaign.code == fresh)) == "pool"
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "presale.stock_mode")
                          .order_by(AuditEntry.id.desc()).limit(1)).one()
        assert (entry.entity_id, entry.before, entry.after) == (fresh, "real", "pool")


def test_prepack_wave_of_a_pool_campaign_is_refused(db: Database) -> None:
    with pytest.raises(Conflict) as refused:
        presale.prepack_wave(db, system_actor(), "PS-OFFSET", "HZ")
    assert refused.value.code == "presale.not_real_stock"
    with pytest.raises(InvalidInput) as bad:
        presale.prepack_wave(db, system_actor(), "PS-OFFSET", "HZ", max_orders=0)
    assert bad.value.code == "presale.bad_max_orders"


def test_unpack_refusals(db: Database) -> None:
    code, nos = _prepacked(db, 2)
    lead = system_actor()
    with db.reader() as s:
        channel, number = s.execute(select(Order.channel, Order.channel_order_no)
                                    .where(Order.order_no == nos[0])).one()
    channel_events.apply_event(db, lead, channel, number, "balance_paid", "k1")
    before = _snapshot(db)
    with pytest.raises(Conflict) as paid:
        presale.unpack(db, lead, nos[0])
    assert paid.value.code == "presale.unpack_paid"
    assert _snapshot(db) == before
    # Not paid, not intercepted, the window open: its buyer may still pay. Refused.
    with pytest.raises(Conflict) as waiting:
        presale.unpack(db, lead, nos[1])
    assert waiting.value.code == "presale.unpack_window_open"
    assert waiting.value.params["order_no"] == nos[1]
    assert _snapshot(db) == before
    with db.reader() as s:
        number = s.scalar(select(Order.channel_order_no).where(Order.order_no == nos[1]))
    channel_events.apply_event(db, lead, channel, number, "refund_requested", "r1")
    done = presale.unpack(db, lead, nos[1])
    assert done.units == 1 and done.parcels_voided == 1
    with pytest.raises(Conflict) as nothing:
        presale.unpack(db, lead, nos[1])
    assert nothing.value.code == "presale.unpack_nothing"


def test_the_campaign_end_is_refused_inside_the_balance_window(db: Database) -> None:
    code, _nos = _real_campaign(db, 2)
    lead = system_actor()
    with pytest.raises(Conflict) as refused:
        presale.close_campaign(db, lead, code, now=datetime.now(UTC))
    assert refused.value.code == "presale.balance_window_open"
    end = presale.close_campaign(db, lead, code, now=datetime.now(UTC) + timedelta(hours=3))
    assert (end.cancelled, end.units_released, end.pool_units_returned) == (2, 2, 2)
    again = presale.close_campaign(db, lead, code, now=datetime.now(UTC) + timedelta(hours=3))
    assert (again.cancelled, again.unpacked, again.looked_at) == (0, 0, 0)


def test_a_shop_confirming_at_packing_hears_of_a_prepacked_parcel_only_at_its_handover(
        db: Database) -> None:
    from app.store.models import ShipmentConfirmation, Shop

    code, nos = _real_campaign(db, 1)
    lead = system_actor()
    with db.unit_of_work() as s:  # the order's shop is connected and confirms at packing
        shop_id = s.scalar(select(Order.shop_id).where(Order.order_no == nos[0]))
        assert s.execute(Shop.__table__.update().where(Shop.id == shop_id).values(
            code="TB-PRE", api_url="http://127.0.0.1:9/router", app_key="k",
            confirm_on="packed")).rowcount == 1
    for wave in presale.prepack_wave(db, lead, code, "HZ"):
        presale_scenario._pick(db, lead, wave.wave_no)
    assert presale_scenario._pack(db, lead, presale_scenario._station(db), "packer01",
                                  nos) == 1

    def confirmations() -> int:
        with db.reader() as s:
            return s.scalar(select(func.count()).select_from(ShipmentConfirmation).join(
                Order, Order.id == ShipmentConfirmation.order_id).where(
                Order.order_no == nos[0])) or 0

    assert confirmations() == 0  # packed, but the balance is not paid: not "shipped"
    with db.reader() as s:
        channel, number = s.execute(select(Order.channel, Order.channel_order_no)
                                    .where(Order.order_no == nos[0])).one()
    channel_events.apply_event(db, lead, channel, number, "balance_paid", "k1")
    tn, carrier = presale_scenario._parcel(db, nos[0])
    ho = handover.open_handover(db, lead, "HZ", carrier).handover_no
    handover.scan_parcel(db, lead, ho, tn)
    handover.close(db, lead, ho)
    assert confirmations() == 1
