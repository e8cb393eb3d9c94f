"""The traffic simulator sends orders at its rate through intake, and events through the
channel-event door."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.services import engine, simulate
from app.services.context import system_actor
from app.services.errors import InvalidInput
from app.store.db import Database
from app.store.models import ChannelEvent, Order
from tests.helpers.clock import FakeClock


def test_orders_arrive_at_the_rate_and_events_follow(db: Database) -> None:
    engine.run_once(db, system_actor())  # some presale orders now wait for their balance
    with db.reader() as s:
        before = s.scalar(select(func.count()).select_from(Order))
    clock = FakeClock()  # moves only when the simulator sleeps: the test runs at once
    report = simulate.run(db, system_actor(), rate=40, duration=3, seed=5, clock=clock,
                          sleep=clock.sleep)
    with db.reader() as s:
        after = s.scalar(select(func.count()).select_from(Order))
        events = s.scalar(select(func.count()).select_from(ChannelEvent))
    assert report.orders_created == 120 == after - before
    assert 2.9 <= clock.now <= 3.6
    assert sum(report.events.values()) == events > 0
    assert report.events["balance_paid"] > 0


@pytest.mark.parametrize(("rate", "duration"), [(0, 1), (10, 0), (-1, 5)])
def test_nonsense_rates_are_refused(db: Database, rate: float, duration: float) -> None:
    with pytest.raises(InvalidInput):
        simulate.run(db, system_actor(), rate=rate, duration=duration)


def test_encrypted_orders_are_sent_masked_and_route_from_their_region(db: Database) -> None:
    engine.run_once(db, system_actor())  # the seeded backlog out of the way
    clock = FakeClock()
    report = simulate.run(db, system_actor(), rate=20, duration=2, seed=9, events=False,
                          encrypted=1.0, clock=clock, sleep=clock.sleep)
    assert report.orders_created == 40
    with db.reader() as s:
        sent = list(s.execute(select(Order.channel, Order.receiver_phone, Order.receiver_oaid,
                                     Order.receiver_cipher, Order.merge_key)
                              .order_by(Order.id.desc()).limit(40)))
    assert all("*" in phone for _c, phone, _o, _x, _k in sent)
    for channel, _phone, oaid, cipher, key in sent:
        if channel in ("taobao", "tmall"):
            assert oaid and cipher is None and key is None
        else:
            assert oaid is None and set(cipher) == {"name", "phone", "address"} and key
    routed = engine.run_once(db, system_actor())
    # Masks are no reason to stop an order: what stops some is what stops plaintext ones.
    assert routed.routed > 30
    assert "receiver_incomplete" not in routed.exceptions
    assert "phone_invalid" not in routed.exceptions


def test_a_share_of_encrypted_orders_beyond_one_is_refused(db: Database) -> None:
    with pytest.raises(InvalidInput) as refused:
        simulate.run(db, system_actor(), rate=1, duration=1, encrypted=1.5)
    assert refused.value.code == "simulate.bad_share"


def test_prepacked_orders_of_a_real_stock_campaign_get_their_balance_paid(db: Database
                                                                          ) -> None:
    from datetime import UTC, datetime

    from app.services import intake, presale_scenario

    now = datetime.now(UTC)
    code = presale_scenario.fresh_code(db)
    presale_scenario._prepare(db, system_actor(), code, 10, now)
    intake.ingest(db, system_actor(), presale_scenario._drafts(code, f"{code}-SKU", 6, now))
    engine.run_once(db, system_actor(), now=now)  # routed at once: real stock reserved
    clock = FakeClock()
    simulate.run(db, system_actor(), rate=1, duration=3, seed=5, clock=clock,
                 sleep=clock.sleep)
    with db.reader() as s:
        paid = s.scalar(select(func.count()).select_from(ChannelEvent).where(
            ChannelEvent.channel_order_no.like(f"{code}-%"),
            ChannelEvent.event_type == "balance_paid"))
    assert paid
