"""The order engine on SQLite and PostgreSQL: every rule's outcome, presale, routing and split,
stock that is never oversold, and two engines sharing one backlog."""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select, update

from app.domain.roles import Role
from app.services import demo, engine, intake, orders
from app.services.context import Actor, system_actor
from app.services.errors import PermissionDenied
from app.store import migrate
from app.store.db import Database, make_engine
from app.store.models import (
    AuditEntry,
    Order,
    OrderException,
    OrderLine,
    OrderPayment,
    PresaleCampaign,
    PresalePool,
    Sku,
    Stock,
    StockMovement,
    Warehouse,
)
from tests.helpers.cli import packline_process
from tests.helpers.databases import require_pg, scratch_pg_database
from tests.helpers.orders import ENGINE_NOW, drafts, order_record, sku_in_every_warehouse

NOW = ENGINE_NOW


def _ingest(db: Database, *records: dict[str, Any]) -> None:
    result = intake.ingest(db, system_actor(), drafts(*records))
    assert not result.rejected, result.rejected


def _order(db: Database, channel_order_no: str) -> Order:
    with db.reader() as s:
        o = s.scalars(select(Order).where(Order.channel_order_no == channel_order_no)).one()
        s.expunge(o)  # a snapshot that outlives the read
        return o


def test_a_run_moves_every_pending_order_and_a_second_run_finds_nothing(db: Database) -> None:
    with db.reader() as s:
        last_id = s.scalar(select(func.max(Order.id))) or 0
    report = engine.run_once(db, system_actor(), now=NOW)
    with db.reader() as s:
        left = s.scalar(select(func.count()).select_from(Order).where(Order.status == "new"))
        statuses = dict(s.execute(select(Order.status, func.count()).group_by(Order.status))
                        .all())
        # A merge makes a new order (no parent, unlike a split's parts) that the same run
        # claims in a later batch.
        made_by_merges = s.scalar(select(func.count()).select_from(Order).where(
            Order.id > last_id, Order.parent_id.is_(None)))
    assert left == 0 and report.claimed == 300 + made_by_merges
    assert statuses.get("routed", 0) == report.routed
    assert statuses.get("exception", 0) == sum(report.exceptions.values())
    assert statuses.get("awaiting_balance", 0) == report.awaiting_balance
    assert statuses.get("split", 0) == report.split
    assert report.routed > 200 and report.exceptions  # the demo has awkward orders too
    again = engine.run_once(db, system_actor(), now=NOW)
    assert again.claimed == 0


def test_reserved_stock_equals_the_routed_lines_and_never_exceeds_on_hand(
        db: Database) -> None:
    with db.reader() as s:
        before = s.scalar(select(func.sum(Stock.reserved))) or 0
    engine.run_once(db, system_actor(), now=NOW)
    with db.reader() as s:
        after = s.scalar(select(func.sum(Stock.reserved))) or 0
        routed_units = s.scalar(
            select(func.sum(OrderLine.qty)).join(Order, Order.id == OrderLine.order_id)
            .where(Order.status == "routed")) or 0
        assert s.scalar(select(func.count()).select_from(Stock)
                        .where(Stock.reserved > Stock.on_hand)) == 0
        moved = s.scalar(select(func.sum(StockMovement.delta_reserved))
                         .where(StockMovement.reason == "reserve")) or 0
        # every reservation is booked to a routed order that ships it
        wrong = s.scalar(
            select(func.count()).select_from(StockMovement)
            .join(Order, Order.id == StockMovement.order_id)
            .where(StockMovement.reason == "reserve", Order.status != "routed"))
    assert after - before == routed_units == moved
    assert wrong == 0


def test_every_move_is_audited_through_the_state_machine(db: Database) -> None:
    with db.reader() as s:
        last_id = s.scalar(select(func.max(Order.id))) or 0
    engine.run_once(db, system_actor(), now=NOW)
    with db.reader() as s:
        # Orders a merge made are claimed by the same run and leave `new` like the seeded ones.
        made_by_merges = s.scalar(select(func.count()).select_from(Order).where(
            Order.id > last_id, Order.parent_id.is_(None)))
        moves = list(s.execute(select(AuditEntry.before, AuditEntry.after, AuditEntry.detail)
                               .where(AuditEntry.action == "order.status")))
        from_new = s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "order.status", AuditEntry.before == "new"))
    from app.domain.status import OrderStatus, can_transition

    assert len(moves) == 300 + made_by_merges
    for before, after, detail in moves:
        path = (detail or {}).get("path", [before, after])
        assert path[0] == before and path[-1] == after
        assert all(can_transition(OrderStatus(a), OrderStatus(b))
                   for a, b in zip(path, path[1:], strict=False)), path
    # each seeded (and merged) order left `new` exactly once, in one audited pass
    assert from_new == 300 + made_by_merges


@pytest.mark.parametrize(("changes", "category"), [
    ({"receiver": {"name": "张三", "phone": "12345", "province": "浙江省", "city": "杭州市",
                   "district": "西湖区", "address": "文三路90号"}}, "phone_invalid"),
    ({"lines": [{"sku": "SKU-99999", "qty": 1, "price": "10.00"}]}, "sku_unknown"),
    ({"receiver": {"name": "张三", "phone": "13800138000", "province": "浙江省",
                   "city": "杭州市", "district": "天河区", "address": "文三路90号"}},
     "address_invalid"),
    ({"buyer": demo.BLACKLISTED_BUYER}, "blacklist"),
    ({"remark": "送人的礼物，请包装好"}, "remark_review"),
    ({"amount": "3.00"}, "amount_mismatch"),
    ({"paid_at": None}, "payment_incomplete"),
])
def test_each_rule_raises_its_category(db: Database, changes: dict[str, Any],
                                       category: str) -> None:
    _ingest(db, order_record("RULE-1", sku=sku_in_every_warehouse(db), **changes))
    engine.run_once(db, system_actor(), now=NOW)
    o = _order(db, "RULE-1")
    assert (o.status, o.exception) == ("exception", category)
    with db.reader() as s:
        raised = s.scalars(select(OrderException.category)
                           .where(OrderException.order_id == o.id)).all()
    assert raised == [category]


def test_high_value_is_held_and_out_of_stock_is_raised(db: Database) -> None:
    sku = sku_in_every_warehouse(db)
    _ingest(db, order_record("RICH-1", sku=sku, qty=1, price="9999.00", buyer="rich_buyer"),
            order_record("HUGE-1", sku=sku, qty=99_999, price="1.00", buyer="bulk_buyer"))
    engine.run_once(db, system_actor(), now=NOW)
    assert _order(db, "RICH-1").exception == "high_value_review"
    huge = _order(db, "HUGE-1")
    assert (huge.status, huge.exception) == ("exception", "out_of_stock")


def test_a_released_hold_is_not_raised_again(db: Database) -> None:
    sku = sku_in_every_warehouse(db)
    _ingest(db, order_record("HOLD-1", sku=sku, remark="下午送货，上午家里没人"))
    engine.run_once(db, system_actor(), now=NOW)
    assert _order(db, "HOLD-1").exception == "remark_review"
    with db.unit_of_work() as s:
        s.execute(update(OrderException).where(
            OrderException.order_id == _order(db, "HOLD-1").id)
            .values(resolved_at=NOW, resolution="remark read"))
    orders.change_status(db, system_actor(), "HOLD-1", "pending_review", "remark read")
    engine.run_once(db, system_actor(), now=NOW)
    o = _order(db, "HOLD-1")
    assert (o.status, o.exception) == ("routed", None)


def test_nearest_warehouse_with_stock_is_chosen(db: Database) -> None:
    sku = sku_in_every_warehouse(db)
    south = {"name": "陈晓", "phone": "13922223333", "province": "广东省", "city": "深圳市",
             "district": "南山区", "address": "科技园南区8栋"}
    north = {"name": "赵北", "phone": "13911112222", "province": "北京市", "city": "北京市",
             "district": "海淀区", "address": "中关村大街1号"}
    _ingest(db, order_record("NEAR-S", sku=sku, qty=1, receiver=south),
            order_record("NEAR-N", sku=sku, qty=1, receiver=north))
    engine.run_once(db, system_actor(), now=NOW)
    with db.reader() as s:
        codes = dict(s.execute(select(Warehouse.id, Warehouse.code)).all())
    assert codes[_order(db, "NEAR-S").warehouse_id] == "GZ"
    assert codes[_order(db, "NEAR-N").warehouse_id] == "BJ"
    assert _order(db, "NEAR-S").carrier_id is not None
    assert _order(db, "NEAR-S").priority > 0


def test_an_order_no_single_warehouse_can_ship_is_split(db: Database) -> None:
    with db.reader() as s:
        only = dict(s.execute(
            select(Warehouse.code, func.min(Sku.code)).join(Stock, Stock.sku_id == Sku.id)
            .join(Warehouse, Warehouse.id == Stock.warehouse_id)
            .where(Stock.on_hand > 5, Sku.bulky.is_(False), Sku.code < "SKU-01900",
                   Sku.id.in_(select(Stock.sku_id).group_by(Stock.sku_id)
                              .having(func.count() == 1)))
            .group_by(Warehouse.code)).all())
    a, b = only["HZ"], only["GZ"]
    _ingest(db, order_record("SPLIT-1", lines=[{"sku": a, "qty": 1, "price": "10.00"},
                                                {"sku": b, "qty": 2, "price": "20.00"}]))
    engine.run_once(db, system_actor(), now=NOW)
    parent = _order(db, "SPLIT-1")
    assert parent.status == "split"
    with db.reader() as s:
        children = list(s.scalars(select(Order).where(Order.parent_id == parent.id)
                                  .order_by(Order.channel_order_no)))
        assert [c.channel_order_no for c in children] == ["SPLIT-1-1", "SPLIT-1-2"]
        assert all(c.status == "routed" and c.warehouse_id for c in children)
        assert {c.warehouse_id for c in children} == set(s.scalars(
            select(Warehouse.id).where(Warehouse.code.in_(["HZ", "GZ"]))))
        assert sum(c.goods_fen for c in children) == parent.goods_fen
        booked = set(s.scalars(select(StockMovement.order_id)
                               .where(StockMovement.reason == "reserve",
                                      StockMovement.order_id.in_(
                                          [parent.id] + [c.id for c in children]))))
        assert booked == {c.id for c in children}
        child_nos = sorted(c.order_no for c in children)
    detail = orders.order_detail(db, system_actor(), parent.order_no)
    assert sorted(detail["children"]) == child_nos


def test_presale_waits_for_its_balance_then_routes_as_presale(db: Database) -> None:
    engine.run_once(db, system_actor(), now=NOW)  # the seeded backlog first
    with db.reader() as s:
        camp = s.scalars(select(PresaleCampaign).where(PresaleCampaign.code == "PS-DOUBLE")
                         ).one()
        sku = s.get_one(Sku, camp.sku_id).code
        s.expunge(camp)
        pool_before = s.scalar(select(PresalePool.reserved)
                               .where(PresalePool.campaign_id == camp.id))
    _ingest(db, order_record("PRE-1", sku=sku, qty=2, price=f"{camp.price_fen / 100:.2f}",
                             presale={"campaign": "PS-DOUBLE",
                                      "deposit_paid_at": "2026-11-01T20:00:00+08:00",
                                      "balance_paid_at": None}))
    engine.run_once(db, system_actor(), now=NOW)
    o = _order(db, "PRE-1")
    assert o.status == "awaiting_balance"
    with db.reader() as s:
        pays = dict(s.execute(select(OrderPayment.kind, OrderPayment.amount_fen)
                              .where(OrderPayment.order_id == o.id)).all())
        pool_after = s.scalar(select(PresalePool.reserved)
                              .where(PresalePool.campaign_id == camp.id))
    assert pays["deposit"] == 2 * camp.deposit_fen
    assert pays["balance"] == 2 * (camp.price_fen - camp.deposit_value_fen)
    assert pool_after == pool_before + 2
    assert engine.run_once(db, system_actor(), now=NOW).claimed == 0  # still waiting
    with db.unit_of_work() as s:
        s.execute(update(OrderPayment).where(OrderPayment.order_id == o.id,
                                             OrderPayment.kind == "balance")
                  .values(status="paid", paid_at=NOW))
    engine.run_once(db, system_actor(), now=NOW)
    o = _order(db, "PRE-1")
    assert (o.status, o.priority_band) == ("routed", "presale")


def test_presale_beyond_capacity_is_an_exception_and_warns_the_campaign(db: Database) -> None:
    with db.unit_of_work() as s:
        camp = s.scalars(select(PresaleCampaign).where(PresaleCampaign.code == "PS-OFFSET")
                         ).one()
        s.execute(update(PresalePool).where(PresalePool.campaign_id == camp.id)
                  .values(reserved=PresalePool.capacity - 1))
        sku = s.get_one(Sku, camp.sku_id).code
        s.expunge(camp)
    _ingest(db, order_record("PRE-OVER", sku=sku, qty=3,
                             presale={"campaign": "PS-OFFSET",
                                      "deposit_paid_at": "2026-11-01T20:00:00+08:00",
                                      "balance_paid_at": None}))
    engine.run_once(db, system_actor(), now=NOW)
    assert _order(db, "PRE-OVER").exception == "presale_over_capacity"
    with db.reader() as s:
        assert s.get_one(PresaleCampaign, camp.id).warned_at is not None


def test_intercepted_orders_are_not_touched(db: Database) -> None:
    _ingest(db, order_record("INT-1", sku=sku_in_every_warehouse(db)))
    with db.unit_of_work() as s:
        s.execute(update(Order).where(Order.channel_order_no == "INT-1")
                  .values(intercept="refund_requested"))
    engine.run_once(db, system_actor(), now=NOW)
    assert _order(db, "INT-1").status == "new"


def test_a_packer_cannot_run_the_engine(db: Database) -> None:
    packer = Actor(user_id=None, code="p", name="p", role=Role.PACKER)
    with pytest.raises(PermissionDenied):
        engine.run_once(db, packer, now=NOW)
    with db.reader() as s:
        assert s.scalar(select(func.count()).select_from(Order)
                        .where(Order.status != "new")) == 0


def test_two_engines_on_postgresql_share_a_backlog_without_doubles_or_oversell() -> None:
    require_pg()
    with scratch_pg_database("engines") as url:
        eng = make_engine(url)
        migrate.upgrade(eng)
        db = Database(eng)
        demo.seed(db, system_actor(), orders=3000, seed=21, now=NOW)
        # Scarce stock makes the engines compete for the same units.
        with db.unit_of_work() as s:
            s.execute(update(Stock).values(on_hand=sa.case((Stock.on_hand > 3, 3),
                                                           else_=Stock.on_hand)))
        reports: list[engine.EngineReport] = []
        errors: list[BaseException] = []

        def work() -> None:
            try:
                reports.append(engine.run_once(Database(eng), system_actor(), batch=100,
                                               now=NOW))
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=work) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(300)
        assert not errors, errors[0]
        assert all(r.claimed > 0 for r in reports)  # both took a share
        with db.reader() as s:
            made = s.scalar(select(func.count(func.distinct(Order.merged_into_id))))
            assert sum(r.claimed for r in reports) == 3000 + made  # merged orders too
            twice = s.scalar(select(func.count()).select_from(
                select(AuditEntry.entity_id).where(AuditEntry.action == "order.status",
                                                   AuditEntry.before == "new")
                .group_by(AuditEntry.entity_id).having(func.count() > 1).subquery()))
            oversold = s.scalar(select(func.count()).select_from(Stock)
                                .where(Stock.reserved > Stock.on_hand))
            reserved = s.scalar(select(func.sum(Stock.reserved))) or 0
            routed_units = s.scalar(
                select(func.sum(OrderLine.qty)).join(Order, Order.id == OrderLine.order_id)
                .where(Order.status == "routed")) or 0
            out_of_stock = s.scalar(select(func.count()).select_from(Order)
                                    .where(Order.exception == "out_of_stock"))
        assert twice == 0 and oversold == 0
        assert reserved == routed_units
        assert out_of_stock > 0  # scarcity was real
        eng.dispose()


@contextmanager
def _pg_warehouse(tag: str) -> Iterator[tuple[str, sa.Engine, Database, str]]:
    """A fresh PostgreSQL database with the demo's reference data and no orders: its URL,
    engine, Database and a SKU every warehouse stocks."""
    require_pg()
    with scratch_pg_database(tag) as url:
        eng = make_engine(url)
        migrate.upgrade(eng)
        db = Database(eng)
        demo.seed(db, system_actor(), orders=0, seed=21, now=NOW)
        yield url, eng, db, sku_in_every_warehouse(db)
        eng.dispose()


def test_a_batch_whose_stock_another_engine_took_is_planned_again_under_locks() -> None:
    """The engine plans without locks and checks at write time: here a second transaction
    reserves units between this batch's plan and its write, as a second engine would. The
    batch gives way (its transaction rolls back, nothing written, no lock kept) and is
    planned again under the locks from the start."""
    with _pg_warehouse("replan") as (url, eng, db, sku):
        with db.unit_of_work() as s:
            sku_id = s.scalar(select(Sku.id).where(Sku.code == sku))
            rows = list(s.scalars(select(Stock).where(Stock.sku_id == sku_id)
                                  .order_by(Stock.id)))
            for n, row in enumerate(rows):  # 4 free units in one bin, none elsewhere
                row.on_hand, row.reserved = (4, 0) if n == 0 else (0, 0)
            kept = rows[0].id
        _ingest(db, *(order_record(f"RACE-{n}", sku=sku, qty=2, buyer=f"race_buyer_{n}")
                       for n in range(3)))
        report = engine.EngineReport()
        with db.reader() as s:
            ref = engine._Reference(s, NOW)
        with pytest.raises(engine.Conflict), db.unit_of_work() as s:
            ids = engine._claim(s, 10)
            batch = engine._Batch(db, s, system_actor(), ref, ids, NOW, report)
            batch.plan()
            assert batch.stock_deltas == {kept: 4}  # two orders planned on the 4 units
            with eng.begin() as other:  # the other engine commits first
                other.execute(update(Stock).where(Stock.id == kept)
                              .values(reserved=Stock.reserved + 2))
            batch.secure()
        with db.reader() as s:  # given way: nothing of the batch was written
            assert set(s.scalars(select(Order.status).where(
                Order.channel_order_no.like("RACE-%")))) == {"new"}
            assert s.get(Stock, kept).reserved == 2  # type: ignore[union-attr]
        with db.unit_of_work() as s:  # planned again, under the locks from the start
            ids = engine._claim(s, 10)
            again = engine._Batch(db, s, system_actor(), ref, ids, NOW, report, locked=True)
            again.plan()
            assert again.stock_deltas == {kept: 2}
            again.secure()  # holds: nothing to check under the locks
            again.write()
        with db.reader() as s:
            stock = s.get(Stock, kept)
            assert stock is not None and (stock.on_hand, stock.reserved) == (4, 4)
            statuses = sorted(s.scalars(select(Order.status)
                                        .where(Order.channel_order_no.like("RACE-%"))))
            booked = s.scalar(select(func.sum(StockMovement.delta_reserved))
                              .where(StockMovement.reason == "reserve"))
        assert statuses == ["exception", "exception", "routed"]
        assert booked == 2
        eng.dispose()


def test_two_engines_on_scarce_stock_never_promise_a_unit_twice() -> None:
    """Two engine processes on one backlog where most orders want the same few units: every
    order leaves `new`, reserved equals what the reservations booked, nothing is negative."""
    with _pg_warehouse("scarce") as (url, eng, db, sku):
        with db.unit_of_work() as s:
            sku_id = s.scalar(select(Sku.id).where(Sku.code == sku))
            for row in s.scalars(select(Stock).where(Stock.sku_id == sku_id)):
                row.on_hand, row.reserved = 30, 0
        _ingest(db, *(order_record(f"HOT-{n}", sku=sku, qty=1, buyer=f"hot_buyer_{n}")
                       for n in range(600)))
        home = Path(tempfile.mkdtemp(prefix="packline-engines-"))
        procs = [packline_process(home, "engine", "run", "--once", "--batch", "50",
                                  central_url=url, as_user="lead01",
                                  warnings_are_errors=False) for _ in range(2)]
        outs = [p.communicate(timeout=300) for p in procs]
        assert [p.returncode for p in procs] == [0, 0], outs
        with db.reader() as s:
            left = s.scalar(select(func.count()).select_from(Order)
                            .where(Order.status == "new"))
            negative = s.scalar(select(func.count()).select_from(Stock)
                                .where(Stock.reserved > Stock.on_hand))
            reserved = s.scalar(select(func.sum(Stock.reserved)).where(Stock.sku_id == sku_id))
            booked = s.scalar(select(func.sum(StockMovement.delta_reserved))
                              .where(StockMovement.reason == "reserve",
                                     StockMovement.sku_id == sku_id))
            routed = s.scalar(select(func.count()).select_from(Order).where(
                Order.status == "routed", Order.channel_order_no.like("HOT-%")))
        assert left == 0 and negative == 0
        assert reserved == booked == routed > 0
        eng.dispose()


def _pair(number: str, minutes: int, **changes: Any) -> dict[str, Any]:
    return order_record(number, paid_at=f"2026-11-11T00:{minutes:02d}:00+08:00", **changes)


def test_orders_of_one_buyer_and_address_are_merged_into_one(db: Database) -> None:
    sku = sku_in_every_warehouse(db)
    other = {"sku": "SKU-00003", "qty": 1, "price": "10.00"}
    _ingest(db, _pair("MRG-1", 1, sku=sku, qty=1),
            _pair("MRG-2", 20, lines=[other]),
            _pair("MRG-FAR", 59, sku=sku, qty=1),  # 58 minutes later: outside the buffer
            _pair("MRG-ELSE", 5, sku=sku, qty=1,
                  receiver={"name": "张三", "phone": "13800138000", "province": "浙江省",
                            "city": "杭州市", "district": "西湖区", "address": "文一路1号"}))
    report = engine.run_once(db, system_actor(), now=NOW)
    assert report.merged >= 2
    first, second = _order(db, "MRG-1"), _order(db, "MRG-2")
    assert first.status == second.status == "merged"
    assert first.merged_into_id == second.merged_into_id is not None
    with db.reader() as s:
        merged = s.get_one(Order, first.merged_into_id)
        assert merged.status == "routed"
        assert merged.channel_order_no == "MRG-1+M2"
        assert merged.goods_fen == first.goods_fen + second.goods_fen
        codes = sorted(ln.sku_code for ln in merged.lines)
        merged_no = merged.order_no
    assert codes == sorted([sku, "SKU-00003"])
    assert _order(db, "MRG-FAR").status == "routed" and _order(db, "MRG-FAR").merged_into_id \
        is None
    assert _order(db, "MRG-ELSE").merged_into_id is None
    detail = orders.order_detail(db, system_actor(), merged_no)
    assert sorted(detail["merged_from"]) == sorted([first.order_no, second.order_no])


def test_presale_and_spot_orders_are_never_merged(db: Database) -> None:
    with db.reader() as s:
        camp = s.scalars(select(PresaleCampaign).where(PresaleCampaign.code == "PS-FULL")).one()
        sku, price = s.get_one(Sku, camp.sku_id).code, camp.price_fen
    _ingest(db, _pair("MIX-SPOT", 1, sku=sku_in_every_warehouse(db), qty=1),
            _pair("MIX-PRE", 3, sku=sku, qty=1, price=f"{price / 100:.2f}",
                  presale={"campaign": "PS-FULL",
                           "deposit_paid_at": "2026-11-01T20:00:00+08:00",
                           "balance_paid_at": None}))
    engine.run_once(db, system_actor(), now=NOW)
    assert _order(db, "MIX-SPOT").merged_into_id is None
    assert _order(db, "MIX-PRE").merged_into_id is None


def test_bulky_lines_ship_apart_with_the_freight_carrier(db: Database) -> None:
    from app.store.models import Carrier

    with db.reader() as s:
        def stocked(bulky: bool) -> str:
            return s.scalars(
                select(Sku.code).join(Stock, Stock.sku_id == Sku.id)
                .join(Warehouse, Warehouse.id == Stock.warehouse_id)
                .where(Sku.bulky.is_(bulky), Stock.on_hand > 5, Warehouse.code == "HZ",
                       Sku.code < "SKU-01900").order_by(Sku.code)).first()
        big, small = stocked(True), stocked(False)
        carriers = dict(s.execute(select(Carrier.id, Carrier.kind)).all())
    assert big and small
    _ingest(db, order_record("BULKY-1", lines=[{"sku": big, "qty": 1, "price": "299.00"},
                                                {"sku": small, "qty": 1, "price": "9.90"}]))
    engine.run_once(db, system_actor(), now=NOW)
    parent = _order(db, "BULKY-1")
    assert parent.status == "split"
    with db.reader() as s:
        children = list(s.scalars(select(Order).where(Order.parent_id == parent.id)))
        kinds = sorted(carriers[c.carrier_id] for c in children)
        lines = {c.id: [ln.sku_code for ln in c.lines] for c in children}
        held = {c.id: s.scalar(select(func.sum(StockMovement.delta_reserved))
                               .where(StockMovement.order_id == c.id)) for c in children}
    assert len(children) == 2 and kinds[-1] == "freight" and kinds[0] != "freight"
    assert sorted(sku for skus in lines.values() for sku in skus) == sorted([big, small])
    assert all(held[c] == 1 for c in held)  # each part holds exactly its own unit


def test_the_engine_loop_routes_and_escalates_until_told_to_stop(db: Database) -> None:
    from datetime import timedelta

    from app.services import exceptions

    _ingest(db, order_record("LOOP-1", sku=sku_in_every_warehouse(db), remark="请开发票"))
    rounds = []

    def stop() -> bool:
        rounds.append(1)
        return len(rounds) > 2

    engine.run_forever(db, system_actor(), interval=0.01, stop=stop)
    assert _order(db, "LOOP-1").exception == "remark_review"
    # Raised at the real clock: nothing is old enough to escalate yet.
    assert {i.level for i in exceptions.queue(db, system_actor())} == {0}
    assert exceptions.escalate(db, system_actor(),
                               now=datetime.now(UTC) + timedelta(hours=25)).get(1)


def test_full_capacity_leaves_orders_queued_not_in_exception(db: Database) -> None:
    with db.unit_of_work() as s:
        s.execute(update(Warehouse).values(daily_capacity=0))
    report = engine.run_once(db, system_actor(), now=NOW)
    assert report.routed == 0
    with db.reader() as s:
        # (a line short of stock everywhere is still raised by the review's stock rule)
        assert s.scalar(select(func.count()).select_from(OrderException)
                        .where(OrderException.detail.like("%no warehouse can ship%"))) == 0
        waiting = s.scalar(select(func.count()).select_from(Order)
                           .where(Order.status == "pending_review"))
        reserved = s.scalar(select(func.sum(Stock.reserved))) or 0
    assert waiting > 200 and reserved == 0  # nothing promised while nothing can ship
    with db.unit_of_work() as s:
        s.execute(update(Warehouse).values(daily_capacity=100_000))  # the next day
    assert engine.run_once(db, system_actor(), now=NOW).routed > 200


def test_the_loop_takes_new_orders_each_round_and_the_rest_at_its_sweep(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """A round starts after the last order the loop claimed, so orders that stay (or come
    back below it: a released hold) are planned again only at the sweep from the start."""
    sku = sku_in_every_warehouse(db)
    _ingest(db, order_record("SWEEP-1", sku=sku, remark="下午送货，上午家里没人"))
    monkeypatch.setattr(engine, "SWEEP_EVERY_S", 3600.0)
    seen: list[str] = []

    def stop() -> bool:
        seen.append(_order(db, "SWEEP-1").status)
        if len(seen) == 2:  # after the first round: the hold released, and a new order
            with db.unit_of_work() as s:
                s.execute(update(OrderException).where(
                    OrderException.order_id == _order(db, "SWEEP-1").id)
                    .values(resolved_at=NOW, resolution="remark read"))
            orders.change_status(db, system_actor(), "SWEEP-1", "pending_review",
                                 "remark read")
            _ingest(db, order_record("SWEEP-2", sku=sku))
        if len(seen) == 3:  # the second round took the new order, not the released one
            assert _order(db, "SWEEP-2").status == "routed"
            monkeypatch.setattr(engine, "SWEEP_EVERY_S", 0.0)
        return len(seen) > 3

    engine.run_forever(db, system_actor(), interval=0, stop=stop)
    assert seen == ["new", "exception", "pending_review", "routed"]


def test_engine_run_carries_on_when_the_database_ends_its_connections() -> None:
    """An administrator (or a restart, or a cut link) ends the engine's connections between
    and during its rounds: `packline engine run` keeps going on new ones."""
    from tests.helpers.waiting import eventually

    with _pg_warehouse("terminated") as (url, eng, db, sku):
        home = Path(tempfile.mkdtemp(prefix="packline-engine-"))
        proc = packline_process(home, "engine", "run", "--interval", "0.05", central_url=url,
                                as_user="lead01", warnings_are_errors=False,
                                env={"PGAPPNAME": "engine-under-test"})
        name = make_url_name(url)
        try:
            for n in range(3):
                _ingest(db, order_record(f"KEEP-{n}", sku=sku, qty=1, buyer=f"keep_{n}"))
                eventually(lambda n=n: _order(db, f"KEEP-{n}").status == "routed",
                           what=f"KEEP-{n} routed", timeout=60)
                with eng.connect() as conn:
                    ended = conn.execute(sa.text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE datname = :d AND application_name = 'engine-under-test'"),
                        {"d": name}).scalar()
                assert ended, "the engine held no connection to end"
                assert proc.poll() is None, proc.communicate()
        finally:
            proc.terminate()
            proc.communicate(timeout=30)
        eng.dispose()


def make_url_name(url: str) -> str:
    return str(sa.engine.make_url(url).database)
