"""The exception queue, review-rule editing and the campaign overview, on SQLite and
PostgreSQL: every action's effect on status and stock, and refusals that change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.domain.roles import Role
from app.services import campaigns, engine, exceptions, intake, reference, rules
from app.services.context import Actor, system_actor
from app.services.errors import Conflict, InvalidInput, PermissionDenied
from app.store.db import Database
from app.store.models import AuditEntry, Order, OrderException, ReviewRule, Stock
from tests.helpers.orders import ENGINE_NOW, drafts, order_record

NOW = ENGINE_NOW
PACKER = Actor(user_id=None, code="p", name="p", role=Role.PACKER)


def _raised(db: Database, number: str, **changes) -> str:
    engine.run_once(db, system_actor(), now=NOW)
    intake.ingest(db, system_actor(), drafts(order_record(number, **changes)))
    engine.run_once(db, system_actor(), now=NOW)
    with db.reader() as s:
        o = s.scalars(select(Order).where(Order.channel_order_no == number)).one()
        assert o.status == "exception", o.status
        return o.order_no


def _status(db: Database, order_no: str) -> tuple[str, str | None]:
    with db.reader() as s:
        o = s.scalars(select(Order).where(Order.order_no == order_no)).one()
        return o.status, o.exception


def test_the_queue_lists_open_exceptions_with_their_actions(db: Database) -> None:
    engine.run_once(db, system_actor(), now=NOW)
    items = exceptions.queue(db, system_actor())
    with db.reader() as s:
        open_count = s.scalar(select(func.count()).select_from(Order)
                              .where(Order.status == "exception"))
    assert len(items) == open_count > 0
    assert all(i.actions == exceptions.suggested(i.category) for i in items)
    assert [i.raised_at for i in items] == sorted(i.raised_at for i in items)
    counts = exceptions.counts(db, system_actor())
    assert sum(counts.values()) == open_count
    only = exceptions.queue(db, system_actor(), category=items[0].category)
    assert only and all(i.category == items[0].category for i in only)


def test_approving_a_remark_hold_routes_the_order(db: Database) -> None:
    order_no = _raised(db, "EXC-REMARK", remark="请帮我换成蓝色")
    assert exceptions.resolve(db, system_actor(), order_no, "approve", "蓝色有货").value == \
        "pending_review"
    engine.run_once(db, system_actor(), now=NOW)
    assert _status(db, order_no) == ("routed", None)
    with db.reader() as s:
        e = s.scalars(select(OrderException).join(Order, Order.id == OrderException.order_id)
                      .where(Order.order_no == order_no)).one()
        assert e.resolved_at is not None and e.resolution == "approve: 蓝色有货"


def test_fixing_an_address_lets_the_engine_route_it(db: Database) -> None:
    order_no = _raised(db, "EXC-ADDR", receiver={
        "name": "张三", "phone": "13800138000", "province": "浙江省", "city": "杭州市",
        "district": "天河区", "address": "文三路90号"})
    assert _status(db, order_no) == ("exception", "address_invalid")
    exceptions.resolve(db, system_actor(), order_no, "fix_address", "问过买家",
                       {"district": "西湖区"})
    engine.run_once(db, system_actor(), now=NOW)
    assert _status(db, order_no) == ("routed", None)


def test_substituting_an_unknown_sku(db: Database) -> None:
    order_no = _raised(db, "EXC-SKU", sku="SKU-99999")
    assert _status(db, order_no) == ("exception", "sku_unknown")
    with pytest.raises(InvalidInput, match="no active SKU"):
        exceptions.resolve(db, system_actor(), order_no, "substitute", "",
                           {"from": "SKU-99999", "to": "SKU-77777"})
    assert _status(db, order_no) == ("exception", "sku_unknown")
    exceptions.resolve(db, system_actor(), order_no, "substitute", "同款替换",
                       {"from": "SKU-99999", "to": "SKU-00001"})
    engine.run_once(db, system_actor(), now=NOW)
    assert _status(db, order_no)[0] in ("routed", "exception")  # validated again from review


def test_backorder_waits_then_routes_when_stock_arrives(db: Database) -> None:
    from sqlalchemy import update

    from app.store.models import Sku

    with db.unit_of_work() as s:
        sku_id = s.scalar(select(Sku.id).where(Sku.code == "SKU-00002"))
        s.execute(update(Stock).where(Stock.sku_id == sku_id)
                  .values(on_hand=Stock.reserved))  # none left to promise
    order_no = _raised(db, "EXC-BACK", sku="SKU-00002", qty=3)
    assert _status(db, order_no) == ("exception", "out_of_stock")
    exceptions.resolve(db, system_actor(), order_no, "backorder", "等补货")
    engine.run_once(db, system_actor(), now=NOW)
    assert _status(db, order_no) == ("awaiting_stock", None)  # still nothing: it waits
    with db.unit_of_work() as s:
        s.execute(update(Stock).where(Stock.sku_id == sku_id)
                  .values(on_hand=Stock.on_hand + 10))  # goods received
    engine.run_once(db, system_actor(), now=NOW)
    assert _status(db, order_no) == ("routed", None)


def test_cancelling_from_the_queue(db: Database) -> None:
    order_no = _raised(db, "EXC-CANCEL", buyer="tb_blacklisted_01")
    exceptions.resolve(db, system_actor(), order_no, "cancel", "恶意买家")
    assert _status(db, order_no) == ("cancelled", None)


@pytest.mark.parametrize(("actor", "action", "error"), [
    (PACKER, "approve", PermissionDenied),
    (system_actor(), "fly_to_the_moon", InvalidInput),
    (system_actor(), "backorder", InvalidInput),  # not an action for a remark
])
def test_refused_resolutions_change_nothing(db: Database, actor, action, error) -> None:
    order_no = _raised(db, "EXC-NO", remark="务必今天发货！")
    with db.reader() as s:
        audits = s.scalar(select(func.count()).select_from(AuditEntry))
    with pytest.raises(error):
        exceptions.resolve(db, actor, order_no, action)
    assert _status(db, order_no) == ("exception", "remark_review")
    with db.reader() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == audits


def test_resolving_an_order_that_is_not_in_the_queue_is_a_conflict(db: Database) -> None:
    engine.run_once(db, system_actor(), now=NOW)
    with db.reader() as s:
        routed = s.scalars(select(Order.order_no).where(Order.status == "routed")).first()
    with pytest.raises(Conflict):
        exceptions.resolve(db, system_actor(), routed, "approve")


def test_ageing_escalates_once_per_level(db: Database) -> None:
    _raised(db, "EXC-AGE", remark="下午送货")
    later = NOW + timedelta(hours=49)  # the engine raised them at NOW
    first = exceptions.escalate(db, system_actor(), now=later)
    assert first.get(2, 0) >= 1 and 1 not in first  # straight to level 2 after 49 h
    assert exceptions.escalate(db, system_actor(), now=later) == {}
    levels = {i.level for i in exceptions.queue(db, system_actor())}
    assert levels == {2}
    assert exceptions.escalate(db, system_actor(), now=later + timedelta(hours=24)).get(3)


def test_rule_edits_apply_to_the_next_orders_and_are_audited(db: Database) -> None:
    lead = Actor(user_id=None, code="lead", name="lead", role=Role.SHIFT_LEAD)
    rules.update_rule(db, lead, "remark_review", enabled=False)
    with db.reader() as s:
        assert s.scalar(select(ReviewRule.enabled).where(ReviewRule.code == "remark_review")) \
            is False
        assert s.scalar(select(func.count()).select_from(AuditEntry)
                        .where(AuditEntry.action == "rule.changed")) == 1
    engine.run_once(db, system_actor(), now=NOW)
    intake.ingest(db, system_actor(), drafts(order_record("RULE-OFF", remark="换成蓝色")))
    engine.run_once(db, system_actor(), now=NOW)
    with db.reader() as s:
        assert s.scalar(select(Order.status).where(Order.channel_order_no == "RULE-OFF")) \
            == "routed"
    view = rules.update_rule(db, lead, "high_value_review", params={"threshold_fen": 100})
    assert view.params == {"threshold_fen": 100}


@pytest.mark.parametrize(("actor", "params", "error"), [
    (PACKER, {"threshold_fen": 1}, PermissionDenied),
    (system_actor(), {"threshold_fen": -5}, InvalidInput),
    (system_actor(), {"colour": "blue"}, InvalidInput),
])
def test_bad_rule_edits_change_nothing(db: Database, actor, params, error) -> None:
    before = {r.code: r for r in rules.list_rules(db, system_actor())}
    with pytest.raises(error):
        rules.update_rule(db, actor, "high_value_review", params=params)
    assert {r.code: r for r in rules.list_rules(db, system_actor())} == before


def test_campaign_overview_shows_pool_use_and_orders(db: Database) -> None:
    engine.run_once(db, system_actor(), now=NOW)
    views = campaigns.overview(db, system_actor())
    assert [v.code for v in views] == ["PS-DOUBLE", "PS-FULL", "PS-OFFSET", "PS-REDUCE",
                                       "PS-TIERS"]
    for v in views:
        assert v.capacity > 0 and 0 <= v.reserved <= v.capacity
    assert sum(sum(v.orders_by_status.values()) for v in views) > 0
    assert reference.warehouses(db, system_actor()) == [("BJ", "北京仓"), ("GZ", "广州仓"),
                                                        ("HZ", "杭州仓")]


def _reserved_by(db: Database, order_no: str) -> int:
    from app.store.models import StockMovement

    with db.reader() as s:
        return s.scalar(select(func.coalesce(func.sum(StockMovement.delta_reserved), 0))
                        .join(Order, Order.id == StockMovement.order_id)
                        .where(Order.order_no == order_no)) or 0


def test_hold_and_release_never_reserve_twice(db: Database) -> None:
    from app.services import orders

    engine.run_once(db, system_actor(), now=NOW)
    with db.reader() as s:
        order_no = s.scalars(select(Order.order_no).where(Order.status == "routed")
                             .order_by(Order.id)).first()
        total = s.scalar(select(func.sum(Stock.reserved)))
    held = _reserved_by(db, order_no)
    assert held > 0
    orders.change_status(db, system_actor(), order_no, "on_hold", "买家要求暂缓")
    assert _reserved_by(db, order_no) == 0
    with db.reader() as s:
        assert s.scalar(select(func.sum(Stock.reserved))) == total - held
        assert s.scalar(select(Order.warehouse_id).where(Order.order_no == order_no)) is None
    orders.change_status(db, system_actor(), order_no, "pending_review", "可以发了")
    engine.run_once(db, system_actor(), now=NOW)
    assert _status(db, order_no) == ("routed", None)
    assert _reserved_by(db, order_no) == held
    with db.reader() as s:
        assert s.scalar(select(func.sum(Stock.reserved))) == total


def test_cancelling_a_routed_order_from_the_list_gives_its_stock_back(db: Database) -> None:
    from app.services import orders

    engine.run_once(db, system_actor(), now=NOW)
    with db.reader() as s:
        order_no = s.scalars(select(Order.order_no).where(Order.status == "routed")
                             .order_by(Order.id.desc())).first()
    orders.change_status(db, system_actor(), order_no, "cancelled", "买家取消")
    assert _status(db, order_no) == ("cancelled", None)
    assert _reserved_by(db, order_no) == 0


def test_leaving_exception_by_a_status_change_closes_its_records(db: Database) -> None:
    from app.services import orders

    order_no = _raised(db, "EXC-LEAVE", remark="周末不收货")
    orders.change_status(db, system_actor(), order_no, "on_hold", "等买家回复")
    counts = exceptions.counts(db, system_actor())
    queued = exceptions.queue(db, system_actor())
    assert sum(counts.values()) == len(queued)
    assert order_no not in {i.order_no for i in queued}


def test_moving_a_rule_swaps_two_positions_in_one_step(db: Database) -> None:
    lead = Actor(user_id=None, code="lead", name="lead", role=Role.SHIFT_LEAD)
    before = {r.code: r.position for r in rules.list_rules(db, system_actor())}
    a, b = rules.swap(db, lead, "remark_review", "blacklist")
    assert (a.position, b.position) == (before["blacklist"], before["remark_review"])
    after = {r.code: r.position for r in rules.list_rules(db, system_actor())}
    assert after == {**before, "remark_review": before["blacklist"],
                     "blacklist": before["remark_review"]}
    with pytest.raises(PermissionDenied):
        rules.swap(db, PACKER, "remark_review", "blacklist")
    with pytest.raises(InvalidInput):
        rules.swap(db, lead, "blacklist", "blacklist")
    assert {r.code: r.position for r in rules.list_rules(db, system_actor())} == after


def test_campaign_overview_carries_quantity_tiers_into_its_prices(db: Database) -> None:
    tiers = {v.code: v for v in campaigns.overview(db, system_actor())}["PS-TIERS"]
    assert [t.min_qty for t in tiers.tiers] == [2, 3]
    two = tiers.price_for(2)
    assert two.total_fen == 2 * tiers.price_fen - tiers.tiers[0].reduction_fen
