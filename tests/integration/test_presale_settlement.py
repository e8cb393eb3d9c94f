"""Presale orders settled right on SQLite and PostgreSQL: deposit orders merge only once their
balance is paid, a split order's pool units are given back once, a payment on a cancelled
order asks for a refund, the campaign's end waits for late events and settles unpaid orders
batch by batch, the dock's close names everything it refuses at once, and the shelf is
counted."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import func, select

from app.domain import intake as parse
from app.services import (
    balance_due,
    channel_events,
    engine,
    exceptions,
    handover,
    intake,
    presale,
    presale_scenario,
)
from app.services.context import system_actor
from app.services.errors import Conflict
from app.store.db import Database
from app.store.models import (
    Order,
    OrderException,
    Package,
    PresaleCampaign,
    PresalePool,
    Sku,
    Stock,
    Warehouse,
)

pytestmark = pytest.mark.timeout(300)


def _campaign(db: Database, units: int = 10) -> tuple[str, datetime]:
    """A fresh real-stock deposit campaign (its SKU in HZ only), the time it was made."""
    now = datetime.now(UTC)
    code = presale_scenario.fresh_code(db)
    presale_scenario._prepare(db, system_actor(), code, units, now)
    return code, now


def _row(code: str, number: str, now: datetime, *, lines: list[dict[str, Any]] | None = None,
         buyer: str = "same_buyer", paid: bool = False, minutes: int = 0) -> str:
    at = (now - timedelta(days=2) + timedelta(minutes=minutes)).isoformat()
    return json.dumps({
        "channel": "taobao", "shop": "天猫旗舰店", "channel_order_no": number,
        "buyer": buyer,
        "receiver": {"name": "林一", "phone": "13812345678", "province": "浙江省",
                     "city": "杭州市", "district": "西湖区", "address": "文三路1号"},
        "lines": lines or [{"sku": f"{code}-SKU", "qty": 1,
                            "price": f"{presale_scenario.PRICE_FEN / 100:.2f}"}],
        "amount": None, "discount": "0.00", "paid_at": at, "vip_level": 0, "remark": "",
        "promised_ship_by": (now + timedelta(days=3)).isoformat(),
        "presale": {"campaign": code, "deposit_paid_at": at,
                    "balance_paid_at": at if paid else None}}, ensure_ascii=False)


def _ingest(db: Database, *rows: str) -> None:
    result = parse.parse_jsonl(rows)
    assert result.errors == []
    intake.ingest(db, system_actor(), result.drafts)


def _order(db: Database, number: str) -> Any:
    """The order's columns as they are now (read, not an entity bound to a session)."""
    with db.reader() as s:
        return SimpleNamespace(**s.execute(select(Order.__table__).where(
            Order.channel_order_no == number)).mappings().one())


def _pool(db: Database, code: str) -> int:
    with db.reader() as s:
        return int(s.scalar(select(PresalePool.reserved).join(
            PresaleCampaign, PresaleCampaign.id == PresalePool.campaign_id)
            .where(PresaleCampaign.code == code)) or 0)


# ------------------------------------------------------------------ merging


def test_deposit_orders_merge_only_once_their_balance_is_paid(db: Database) -> None:
    code, now = _campaign(db)
    _ingest(db, _row(code, f"{code}-U1", now), _row(code, f"{code}-U2", now, minutes=3),
            _row(code, f"{code}-P1", now, buyer="paid_buyer", paid=True),
            _row(code, f"{code}-P2", now, buyer="paid_buyer", paid=True, minutes=3))
    engine.run_once(db, system_actor(), now=now)
    unpaid = [_order(db, f"{code}-U{n}") for n in (1, 2)]
    assert [o.status for o in unpaid] == ["routed", "routed"]
    assert all(o.merged_into_id is None for o in unpaid)
    paid = [_order(db, f"{code}-P{n}") for n in (1, 2)]
    assert [o.status for o in paid] == ["merged", "merged"]
    assert paid[0].merged_into_id == paid[1].merged_into_id is not None
    # The unpaid ones pay later: each its own balance, each handed over on its own.
    with db.reader() as s:
        assert s.scalar(select(func.count()).select_from(Order).where(
            Order.id.in_([o.id for o in unpaid]),
            balance_due.balance_unpaid(Order.__table__.c))) == 2
    channel_events.apply_event(db, system_actor(), "taobao", f"{code}-U1", "balance_paid",
                               "k1")
    with db.reader() as s:
        found = {o.channel_order_no: balance_due.hand_over_refused(s, o) for o in s.scalars(
            select(Order).where(Order.id.in_([o.id for o in unpaid])))}
    assert found == {f"{code}-U1": None, f"{code}-U2": code}


# ------------------------------------------------------------------ a split order's pool


def _split(db: Database) -> tuple[str, Any, list[Any]]:
    code, now = _campaign(db)
    with db.reader() as s:  # a spot SKU stocked in GZ only (the campaign's is in HZ only)
        spot = s.scalars(
            select(Sku.code).join(Stock, Stock.sku_id == Sku.id)
            .join(Warehouse, Warehouse.id == Stock.warehouse_id)
            .where(Warehouse.code == "GZ", Stock.on_hand > 5, Sku.bulky.is_(False),
                   Sku.id.in_(select(Stock.sku_id).group_by(Stock.sku_id)
                              .having(func.count() == 1)))
            .order_by(Sku.code)).first()
    assert spot
    price = f"{presale_scenario.PRICE_FEN / 100:.2f}"
    _ingest(db, _row(code, f"{code}-SPLIT", now, lines=[
        {"sku": f"{code}-SKU", "qty": 2, "price": price},
        {"sku": spot, "qty": 1, "price": "10.00"}]))
    engine.run_once(db, system_actor(), now=now)
    parent = _order(db, f"{code}-SPLIT")
    assert parent.status == "split"
    with db.reader() as s:
        children = [SimpleNamespace(**row) for row in s.execute(
            select(Order.__table__).where(Order.parent_id == parent.id)
            .order_by(Order.id)).mappings()]
    assert len(children) == 2
    return code, parent, children


def test_a_split_orders_pool_units_go_to_its_parts_once(db: Database) -> None:
    code, parent, children = _split(db)
    assert _pool(db, code) == 3  # the pool counts every unit of the order
    assert parent.pool_units == 0
    assert sorted(c.pool_units for c in children) == [0, 3]
    end = presale.close_campaign(db, system_actor(), code,
                                 now=datetime.now(UTC) + timedelta(hours=3))
    assert end.cancelled == 2 and end.pool_units_returned == 3
    assert _pool(db, code) == 0
    with db.reader() as s:
        assert set(s.scalars(select(Order.status).where(Order.parent_id == parent.id))) == {
            "cancelled"}


def test_a_cancelled_split_order_gives_its_pool_units_back_once(db: Database) -> None:
    code, _parent, _children = _split(db)
    channel_events.apply_event(db, system_actor(), "taobao", f"{code}-SPLIT", "cancelled",
                               "c1")
    assert _pool(db, code) == 0


# ------------------------------------------------------------------ paid after the end


def test_a_balance_paid_after_the_order_was_cancelled_asks_for_a_refund(
        db: Database) -> None:
    code, now = _campaign(db)
    _ingest(db, _row(code, f"{code}-LATE", now))
    engine.run_once(db, system_actor(), now=now)
    presale.close_campaign(db, system_actor(), code, now=now + timedelta(hours=3))
    assert _order(db, f"{code}-LATE").status == "cancelled"
    result = channel_events.apply_event(db, system_actor(), "taobao", f"{code}-LATE",
                                        "balance_paid", "late")
    assert "refund" in result.effect
    order = _order(db, f"{code}-LATE")
    assert order.status == "cancelled"
    queued = [q for q in exceptions.queue(db, system_actor(), category="paid_after_cancel")
              if q.order_no == order.order_no]
    assert len(queued) == 1 and queued[0].actions == ("refunded",)
    # Redelivered: nothing more.
    channel_events.apply_event(db, system_actor(), "taobao", f"{code}-LATE", "balance_paid",
                               "late")
    assert exceptions.resolve(db, system_actor(), order.order_no, "refunded",
                              "refunded in the shop").value == "cancelled"
    assert not [q for q in exceptions.queue(db, system_actor(), category="paid_after_cancel")
                if q.order_no == order.order_no]
    with db.reader() as s:
        assert s.scalar(select(func.count()).select_from(OrderException).where(
            OrderException.order_id == order.id,
            OrderException.category == "paid_after_cancel")) == 1


# ------------------------------------------------------------------ the campaign's end


def test_the_campaign_end_waits_for_late_events_and_keeps_balances_paid_in_time(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    code, now = _campaign(db)
    _ingest(db, *(_row(code, f"{code}-E{n}", now, buyer=f"b{n}") for n in range(6)))
    engine.run_once(db, system_actor(), now=now)
    with db.reader() as s:
        ends = s.scalar(select(PresaleCampaign.balance_ends_at)
                        .where(PresaleCampaign.code == code))
    assert ends is not None
    ends = ends if ends.tzinfo else ends.replace(tzinfo=UTC)
    with pytest.raises(Conflict) as early:  # the window is over, its grace is not
        presale.close_campaign(db, system_actor(), code, now=ends + timedelta(minutes=30))
    assert early.value.code == "presale.balance_window_open"
    # Paid in the window, the event arriving during the grace: kept.
    channel_events.apply_event(db, system_actor(), "taobao", f"{code}-E0", "balance_paid",
                               "p0", {"at": (ends - timedelta(minutes=1)).isoformat()})
    monkeypatch.setattr(presale, "CLOSE_BATCH", 2)
    end = presale.close_campaign(db, system_actor(), code, now=ends + timedelta(hours=1))
    assert (end.cancelled, end.kept, end.looked_at) == (5, 1, 6)
    assert _order(db, f"{code}-E0").status == "routed"
    assert {_order(db, f"{code}-E{n}").status for n in range(1, 6)} == {"cancelled"}
    assert _pool(db, code) == 1
    again = presale.close_campaign(db, system_actor(), code, now=ends + timedelta(hours=1))
    assert (again.cancelled, again.kept) == (0, 1)


def test_unpack_waits_for_the_window_unless_intercepted(db: Database) -> None:
    code, now = _campaign(db)
    _ingest(db, _row(code, f"{code}-W", now))
    engine.run_once(db, system_actor(), now=now)
    order = _order(db, f"{code}-W")
    for wave in presale.prepack_wave(db, system_actor(), code, "HZ"):
        presale_scenario._pick(db, system_actor(), wave.wave_no)
    with pytest.raises(Conflict) as refused:
        presale.unpack(db, system_actor(), order.order_no)
    assert refused.value.code == "presale.unpack_window_open"
    assert _order(db, f"{code}-W").status == "picked"
    channel_events.apply_event(db, system_actor(), "taobao", f"{code}-W", "cancelled", "c")
    assert presale.unpack(db, system_actor(), order.order_no).units == 1


# ------------------------------------------------------------------ the dock


def _packed(db: Database, count: int) -> tuple[str, list[str]]:
    code, now = _campaign(db)
    _ingest(db, *(_row(code, f"{code}-D{n}", now, buyer=f"d{n}") for n in range(count)))
    engine.run_once(db, system_actor(), now=now)
    for wave in presale.prepack_wave(db, system_actor(), code, "HZ"):
        presale_scenario._pick(db, system_actor(), wave.wave_no)
    nos = [_order(db, f"{code}-D{n}").order_no for n in range(count)]
    assert presale_scenario._pack(db, system_actor(), presale_scenario._station(db),
                                  "packer01", nos) == count
    return code, nos


def test_the_close_names_intercepted_and_unpaid_parcels_together(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    code, nos = _packed(db, 3)
    lead = system_actor()
    parcels = [presale_scenario._parcel(db, no) for no in nos]
    carrier = parcels[0][1]
    assert all(c == carrier for _t, c in parcels)
    ho = handover.open_handover(db, lead, "HZ", carrier).handover_no
    for n in (0, 1):  # paid and scanned
        channel_events.apply_event(db, lead, "taobao", f"{code}-D{n}", "balance_paid", f"p{n}")
        handover.scan_parcel(db, lead, ho, parcels[n][0])
    with db.unit_of_work() as s:  # the unpaid one put on the truck some other way
        s.execute(Package.__table__.update().where(Package.tracking_no == parcels[2][0])
                  .values(handover_id=s.scalar(select(handover.Handover.id)
                                               .where(handover.Handover.handover_no == ho))))
    channel_events.apply_event(db, lead, "taobao", f"{code}-D0", "refund_requested", "r0")

    def one_by_one(*_a: Any) -> None:
        raise AssertionError("the close checks balances per parcel")

    monkeypatch.setattr(balance_due, "hand_over_refused", one_by_one)
    with pytest.raises(handover.InterceptedAtDock) as refused:
        handover.close(db, lead, ho)
    assert refused.value.code == "handover.refused_at_close"
    params = refused.value.params
    assert params["orders"] == nos[0] and params["parcels"] == parcels[0][0]
    assert params["unpaid_orders"] == nos[2] and params["campaign"] == code
    with db.reader() as s:
        on = set(s.scalars(select(Package.tracking_no).where(
            Package.handover_id == select(handover.Handover.id).where(
                handover.Handover.handover_no == ho).scalar_subquery())))
    assert on == {parcels[1][0]}
    handover.close(db, lead, ho)
    assert _order(db, f"{code}-D1").status == "shipped"


def test_the_shelf_is_counted(db: Database) -> None:
    code, nos = _packed(db, 3)
    lead = system_actor()
    waiting, ready = presale.shelf_counts(db, lead)
    assert (waiting, ready) == (len(presale.awaiting_balance_parcels(db, lead)),
                                len(presale.ready_to_ship(db, lead)))
    channel_events.apply_event(db, lead, "taobao", f"{code}-D0", "balance_paid", "p0")
    assert presale.shelf_counts(db, lead) == (waiting - 1, ready + 1)
