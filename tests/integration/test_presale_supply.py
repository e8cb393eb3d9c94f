"""The supplier's side of a presale on SQLite and PostgreSQL: deliveries entered and imported
(a bad file writes nothing), the board's figures on a small known campaign, a slip raised in
the exception queue at its level, escalation to level 3 flagging the buyers once, the
exports read back, and the promises exact for a known schedule."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select, update

from app.domain.china_time import CHINA_TZ
from app.services import exceptions, intake, supply
from app.services.context import Actor
from app.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.store.db import Database
from app.store.models import (
    AuditEntry,
    Carrier,
    Order,
    OrderCompensation,
    OrderException,
    PresaleCampaign,
    PresaleSupply,
    Sku,
)
from tests.helpers.orders import drafts, order_record
from tests.helpers.packing import actor

CODE = "PS-KNOWN"
NOW = datetime(2026, 11, 10, 4, 0, tzinfo=UTC)  # 12:00 in China on 10 Nov


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture
def lead(db: Database) -> Actor:
    return actor(db, "lead01")


@pytest.fixture
def known(db: Database, lead: Actor) -> dict[str, str]:
    """A deposit campaign of three orders (2, 3 and 5 units, deposits paid in that order,
    the first one's balance paid), 4 units arrived and 6 more due on 10 Nov but expected
    on 13 Nov (72 h late); every carrier collects at 17:00."""
    with db.unit_of_work() as s:
        sku = s.scalars(select(Sku).where(Sku.code == "SKU-00010")).one()
        s.add(PresaleCampaign(
            code=CODE, name="known", sku_id=sku.id, kind="deposit", price_fen=10000,
            deposit_fen=1000, deposit_value_fen=1000, starts_at=_at("2026-11-01T00:00+08:00"),
            ends_at=_at("2026-11-09T23:59+08:00"),
            balance_starts_at=_at("2026-11-10T00:00+08:00"),
            balance_ends_at=_at("2026-11-11T23:59+08:00"), ship_by=_at("2026-11-16T00:00+08:00"),
            supplier_daily_capacity=100, capacity_days=5, stock_mode="pool",
            compensation_fen=1000, handling_hours=24))
        s.execute(update(Carrier).values(cutoff="17:00"))
    supply.save_supplier(db, lead, "sup-t1", "杭州一厂", phone="0571-1")
    supply.save_supplier(db, lead, "SUP-T2", "宁波二厂")
    supply.set_campaign_suppliers(db, lead, CODE, "SUP-T1", "SUP-T2")
    records = []
    for no, units, deposit, balance in (
            ("KN-A", 2, "2026-11-01T10:00:00+08:00", "2026-11-10T09:00:00+08:00"),
            ("KN-B", 3, "2026-11-02T10:00:00+08:00", None),
            ("KN-C", 5, "2026-11-03T10:00:00+08:00", None)):
        records.append(order_record(
            no, sku="SKU-00010", qty=units, price="100.00", buyer=f"buyer_{no}",
            receiver={"name": f"买家{no[-1]}", "phone": f"1380013800{len(records)}",
                      "province": "浙江省", "city": "杭州市", "district": "西湖区",
                      "address": f"文三路{90 + len(records)}号"},
            presale={"campaign": CODE, "deposit_paid_at": deposit,
                     "balance_paid_at": balance}))
    result = intake.ingest(db, lead, drafts(*records))
    assert len(result.created) == 3, result.rejected
    supply.record_delivery(db, lead, CODE, "SUP-T1", date(2026, 11, 9), 4, arrived=4)
    supply.record_delivery(db, lead, CODE, "SUP-T1", date(2026, 11, 10), 6, in_transit=2,
                           expected_on=date(2026, 11, 13))
    with db.reader() as s:
        return dict(s.execute(select(Order.channel_order_no, Order.order_no).where(
            Order.channel_order_no.in_(["KN-A", "KN-B", "KN-C"]))).all())


def _supplies(db: Database) -> int:
    with db.reader() as s:
        return int(s.scalar(select(func.count()).select_from(PresaleSupply)) or 0)


def test_the_board_on_a_known_campaign(db: Database, lead: Actor, known: dict[str, str]) -> None:
    b = supply.board(db, lead, CODE, now=NOW)
    assert (b.supplier and b.supplier.code, b.backup and b.backup.code) == ("SUP-T1", "SUP-T2")
    assert [(d.due_on.day, d.expected_on.day, d.qty, d.in_transit, d.arrived, d.status,
             d.level) for d in b.deliveries] == [(9, 9, 4, 0, 4, "arrived", 0),
                                                 (10, 13, 6, 2, 0, "in_transit", 2)]
    assert [(r.day.day, r.deposits, r.balances, r.confirmed, r.expected, r.in_transit,
             r.arrived, r.cum_demand, r.cum_supply, r.gap) for r in b.board.days] == [
        (9, 0, 0, 4, 0, 0, 4, 0, 4, -4),
        (10, 0, 0, 6, 0, 0, 0, 0, 4, -4),
        (11, 8, 2, 0, 0, 0, 0, 10, 4, 6),
        (13, 0, 0, 0, 6, 2, 0, 10, 10, 0)]
    assert (b.board.max_gap, b.board.max_gap_on, b.board.threshold) == (6, date(2026, 11, 11),
                                                                         1)
    assert [(g.action, g.qty, g.supplier, g.by_day) for g in b.board.suggestions] == [
        ("expedite", 6, "SUP-T1", date(2026, 11, 11))]
    assert [(p.hours, p.level, p.action) for p in b.board.slips] == [
        (72.0, 2, "backup_supplier_or_carrier")]
    assert (b.promises.open_orders, b.promises.covered, b.promises.late) == (3, 3, 2)
    # A larger threshold: no suggestion.
    assert supply.board(db, lead, CODE, now=NOW, threshold_units=6).board.suggestions == ()
    assert b.as_json()["days"][2]["gap"] == 6
    with pytest.raises(NotFound):
        supply.board(db, lead, "PS-NONE", now=NOW)


def test_promises_are_exact_and_exported(db: Database, lead: Actor, known: dict[str, str],
                                         tmp_path: Path) -> None:
    run = supply.promises(db, lead, CODE, now=NOW)
    assert (run.open_orders, run.changed, run.uncovered) == (3, 3, 0)
    with db.reader() as s:
        stored = dict(s.execute(select(Order.channel_order_no, Order.promised_ship_by).where(
            Order.channel_order_no.in_(list(known)))).all())
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "promise.recomputed", AuditEntry.actor == "lead01")) == 1
    # A: goods here, balance paid 09:00 on 10 Nov + 24 h → 17:00 pick-up on 11 Nov.
    assert stored["KN-A"] == datetime(2026, 11, 11, 17, 0, tzinfo=CHINA_TZ)
    # B, C: the 6 units in by the end of 13 Nov + 24 h = 00:00 15 Nov → 17:00 on 15 Nov.
    assert stored["KN-B"] == stored["KN-C"] == datetime(2026, 11, 15, 17, 0, tzinfo=CHINA_TZ)
    assert supply.promises(db, lead, CODE, now=NOW).changed == 0  # nothing new: no write
    out = tmp_path / "promises.csv"
    assert supply.export_promises(db, lead, CODE, out, language="zh_CN") == 3
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == ["平台订单号", "Packline 单号", "承诺发货时间", "店铺显示"]
    assert rows[1] == ["KN-A", known["KN-A"], "2026-11-11 17:00", "预计 11月11日 发货"]
    assert {r[0]: r[3] for r in rows[2:]} == {"KN-B": "预计 11月15日 发货",
                                              "KN-C": "预计 11月15日 发货"}
    book = tmp_path / "promises.xlsx"
    supply.export_promises(db, lead, CODE, book, language="en")
    sheet = load_workbook(book).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0] == ["channel order no", "Packline no", "promised ship by", "shop text"]
    assert values[1][3] == "Ships by 11 Nov (expected)"
    with pytest.raises(InvalidInput):
        supply.export_promises(db, lead, CODE, tmp_path / "promises.pdf")


def _delays(db: Database) -> list[tuple[str, int, bool]]:
    with db.reader() as s:
        return sorted(tuple(r) for r in s.execute(
            select(Order.channel_order_no, OrderException.level,
                   OrderException.resolved_at.is_(None))
            .join(Order, Order.id == OrderException.order_id)
            .where(OrderException.category == "supplier_delay")).all())


def _flags(db: Database) -> list[tuple[str, int, int | None]]:
    with db.reader() as s:
        return sorted(tuple(r) for r in s.execute(
            select(Order.channel_order_no, OrderCompensation.amount_fen,
                   OrderCompensation.flagged_by)
            .join(Order, Order.id == OrderCompensation.order_id)).all())


def test_a_slip_raises_exceptions_at_its_level_and_only_a_slip_over_72_h_compensates(
        db: Database, lead: Actor, known: dict[str, str], tmp_path: Path) -> None:
    report = supply.raise_slips(db, lead, CODE, now=NOW)
    assert (report.raised, report.by_level, report.compensated) == (2, {2: 2}, 0)
    assert _delays(db) == [("KN-B", 2, True), ("KN-C", 2, True)]
    again = supply.raise_slips(db, lead, CODE, now=NOW)
    assert (again.raised, again.raised_again, again.resolved) == (0, 0, 0)
    # The orders keep their status and show in the queue with the supplier's actions.
    queued = exceptions.queue(db, lead, category="supplier_delay")
    assert sorted(q.channel_order_no for q in queued) == ["KN-B", "KN-C"]
    assert queued[0].actions == ("notify", "switch_supplier", "compensate")
    assert {q.level for q in queued} == {2}
    # 73 h later the exceptions are old, but the delivery is still expected on 13 Nov: a
    # 72 h slip. Their age neither raises their level nor flags a buyer.
    later = NOW + timedelta(hours=73)
    assert exceptions.escalate(db, lead, now=later) == {}
    assert supply.raise_slips(db, lead, CODE, now=later).compensated == 0
    assert _delays(db) == [("KN-B", 2, True), ("KN-C", 2, True)]
    assert _flags(db) == []
    # KN-B's buyer asks for a refund, then 13 Nov ends without the goods: the slip passes
    # 72 h, level 3, and only the buyer still waiting is flagged for the 10 yuan, once.
    with db.unit_of_work() as s:
        s.execute(update(Order).where(Order.channel_order_no == "KN-B")
                  .values(intercept="refund_requested"))
    overdue = datetime(2026, 11, 14, 1, 0, tzinfo=CHINA_TZ)
    slipped = supply.raise_slips(db, lead, CODE, now=overdue)
    assert (slipped.raised_again, slipped.by_level, slipped.compensated) == (2, {3: 2}, 1)
    assert _flags(db) == [("KN-C", 1000, lead.user_id)]
    assert supply.raise_slips(db, lead, CODE, now=overdue).compensated == 0
    assert exceptions.escalate(db, lead, now=overdue + timedelta(days=5)) == {}
    assert len(_flags(db)) == 1
    with pytest.raises(Conflict) as refused:
        exceptions.resolve(db, lead, known["KN-B"], "compensate")
    assert refused.value.code == "supply.not_compensable"
    assert len(_flags(db)) == 1 and ("KN-B", 3, True) in _delays(db)


def test_a_cancelled_order_is_not_flagged(db: Database, lead: Actor,
                                          known: dict[str, str]) -> None:
    with db.unit_of_work() as s:
        s.execute(update(Order).where(Order.channel_order_no == "KN-B")
                  .values(status="cancelled"))
        ids = list(s.scalars(select(Order.id).where(
            Order.channel_order_no.in_(["KN-A", "KN-B", "KN-C"]))))
    with db.unit_of_work() as s:
        assert supply.flag_compensations(s, lead, ids, NOW) == 2
    assert [n for n, _a, _b in _flags(db)] == ["KN-A", "KN-C"]


def test_a_bigger_slip_raises_again_and_the_goods_arriving_close_it(
        db: Database, lead: Actor, known: dict[str, str]) -> None:
    supply.raise_slips(db, lead, CODE, now=NOW)
    supply.record_delivery(db, lead, CODE, "SUP-T1", date(2026, 11, 10), 6, in_transit=2,
                           expected_on=date(2026, 11, 14))  # 96 h: level 3 at once
    report = supply.raise_slips(db, lead, CODE, now=NOW)
    assert (report.raised, report.raised_again, report.compensated) == (0, 2, 2)
    assert _delays(db) == [("KN-B", 2, False), ("KN-B", 3, True),
                           ("KN-C", 2, False), ("KN-C", 3, True)]
    supply.record_delivery(db, lead, CODE, "SUP-T1", date(2026, 11, 10), 6, arrived=6)
    closed = supply.raise_slips(db, lead, CODE, now=NOW)
    assert closed.resolved == 2 and all(not open_ for _n, _l, open_ in _delays(db))
    assert len(_flags(db)) == 2  # flags stay: the buyers waited


def test_a_lead_answers_a_delay_in_place(db: Database, lead: Actor,
                                         known: dict[str, str]) -> None:
    supply.raise_slips(db, lead, CODE, now=NOW)
    status = exceptions.resolve(db, lead, known["KN-B"], "notify", "told")
    assert status.value == "new"  # it kept its status
    exceptions.resolve(db, lead, known["KN-C"], "compensate")
    assert _flags(db) == [("KN-C", 1000, lead.user_id)]
    assert all(not open_ for _n, _l, open_ in _delays(db))


def _write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def test_import_a_good_csv_with_chinese_headers_and_an_xlsx_with_english(
        db: Database, lead: Actor, known: dict[str, str], tmp_path: Path) -> None:
    before = _supplies(db)
    good = _write_csv(tmp_path / "d.csv", [
        ["活动", "供应商", "交期", "数量", "在途", "已到货", "预计到货", "备注"],
        [CODE, "SUP-T2", "2026-11-12", "20", "5", "0", "2026/11/13", "加急"],
        [CODE, "SUP-T1", "2026-11-10", "6", "6", "", "2026-11-12", ""]])
    report = supply.import_deliveries(db, lead, good)
    assert (report.created, report.updated) == (1, 1)
    assert _supplies(db) == before + 1
    book = Workbook()
    sheet = book.active
    sheet.append(["Campaign", "Supplier", "Due", "Qty", "In transit", "Arrived", "Expected"])
    sheet.append([CODE, "SUP-T2", datetime(2026, 11, 15), 7, 0, 0, None])
    book.save(tmp_path / "d.xlsx")
    assert supply.import_deliveries(db, lead, tmp_path / "d.xlsx").created == 1
    views = {(v.supplier, v.due_on): v for v in supply.board(db, lead, CODE, now=NOW).deliveries}
    assert views[("SUP-T2", date(2026, 11, 12))].expected_on == date(2026, 11, 13)
    assert views[("SUP-T1", date(2026, 11, 10))].in_transit == 6
    assert views[("SUP-T2", date(2026, 11, 15))].expected_on == date(2026, 11, 15)


def test_a_bad_file_is_refused_row_by_row_and_writes_nothing(
        db: Database, lead: Actor, known: dict[str, str], tmp_path: Path) -> None:
    before = _supplies(db)
    bad = _write_csv(tmp_path / "bad.csv", [
        ["campaign", "supplier", "due", "qty", "in_transit", "arrived", "expected"],
        [CODE, "SUP-T2", "2026-11-12", "20", "0", "0", ""],  # good, but not alone
        [CODE, "SUP-T2", "12/11/2026", "20", "0", "0", ""],
        [CODE, "SUP-T2", "2026-11-13", "-3", "0", "0", ""],
        [CODE, "SUP-T2", "2026-11-14", "5", "4", "2", ""],
        ["PS-NONE", "SUP-T2", "2026-11-15", "5", "0", "0", ""],
        [CODE, "SUP-NONE", "2026-11-16", "5", "0", "0", ""],
        [CODE, "", "2026-11-17", "5", "0", "0", ""],
        [CODE, "SUP-T2", "2026-11-12", "21", "0", "0", ""]])
    with pytest.raises(supply.SupplyFileRefused) as refused:
        supply.import_deliveries(db, lead, bad)
    assert [(p.row, p.code) for p in refused.value.problems] == [
        (3, "supply.row_bad_date"), (4, "supply.row_bad_number"), (5, "supply.row_too_many"),
        (6, "supply.row_unknown_campaign"), (7, "supply.row_unknown_supplier"),
        (8, "supply.row_missing"), (9, "supply.row_duplicate")]
    assert _supplies(db) == before
    headless = _write_csv(tmp_path / "h.csv", [["campaign", "qty"], [CODE, "1"]])
    with pytest.raises(supply.SupplyFileRefused) as missing:
        supply.import_deliveries(db, lead, headless)
    assert missing.value.problems[0].params["missing"] == "supplier, due_on"
    (tmp_path / "x.xlsx").write_bytes(b"not a workbook")
    with pytest.raises(InvalidInput) as unreadable:
        supply.import_deliveries(db, lead, tmp_path / "x.xlsx")
    assert unreadable.value.code == "supply.file_unreadable"
    assert _supplies(db) == before


def test_bad_entries_and_rights_are_refused(db: Database, lead: Actor,
                                            known: dict[str, str]) -> None:
    with pytest.raises(InvalidInput) as many:
        supply.record_delivery(db, lead, CODE, "SUP-T1", date(2026, 11, 20), 5, in_transit=3,
                               arrived=3)
    assert many.value.code == "supply.too_many"
    with pytest.raises(InvalidInput) as same:
        supply.set_campaign_suppliers(db, lead, CODE, "SUP-T1", "SUP-T1")
    assert same.value.code == "supply.same_supplier"
    with pytest.raises(NotFound):
        supply.record_delivery(db, lead, CODE, "SUP-NONE", date(2026, 11, 20), 5)
    with pytest.raises(InvalidInput):
        supply.save_supplier(db, lead, "NEW-ONE")  # no name
    with pytest.raises(PermissionDenied):
        supply.record_delivery(db, actor(db, "packer01"), CODE, "SUP-T1",
                               date(2026, 11, 20), 5)
    assert [v.code for v in supply.list_suppliers(db, lead)][:2] == ["SUP-T1", "SUP-T2"] or \
        {"SUP-T1", "SUP-T2"} <= {v.code for v in supply.list_suppliers(db, lead)}


def test_the_server_engine_raises_the_slips_in_its_rounds(db: Database, lead: Actor,
                                                          known: dict[str, str]) -> None:
    """`packline engine run`: the slips are raised before the queue ages. At the real clock
    the delivery expected on 13 Nov 2026 is long overdue: level 3, the buyers flagged."""
    from app.services import engine

    rounds: list[int] = []

    def stop() -> bool:
        rounds.append(1)
        return len(rounds) > 1

    engine.run_forever(db, lead, interval=0, stop=stop)
    assert [(n, lvl) for n, lvl, open_ in _delays(db) if open_] == [("KN-B", 3), ("KN-C", 3)]
    assert [n for n, _a, _b in _flags(db)] == ["KN-B", "KN-C"]


def _flag(db: Database, lead: Actor, *numbers: str) -> None:
    with db.unit_of_work() as s:
        ids = list(s.scalars(select(Order.id).where(Order.channel_order_no.in_(numbers))))
        assert supply.flag_compensations(s, lead, ids, NOW) == len(numbers)


def _sheet(path: Path) -> list[list[object]]:
    return [list(r) for r in load_workbook(path).active.iter_rows(values_only=True)]


def test_the_compensation_export_hands_each_buyer_to_the_shop_once(
        db: Database, lead: Actor, known: dict[str, str], tmp_path: Path) -> None:
    _flag(db, lead, "KN-B", "KN-C")
    first = tmp_path / "first.xlsx"
    assert supply.export_compensations(db, lead, first, CODE, language="en") == 2
    rows = _sheet(first)
    assert rows[0] == ["shop", "channel", "channel order no", "buyer", "amount (yuan)",
                       "reason", "flagged at", "exported at"]
    assert sorted((r[2], r[4], r[5]) for r in rows[1:]) == [
        ("KN-B", "10.00", "supplier delay"), ("KN-C", "10.00", "supplier delay")]
    assert rows[1][0] == "天猫旗舰店" and rows[1][1] == "taobao"
    marked = {c.channel_order_no: c.exported_at for c in supply.compensations(db, lead, CODE)}
    assert all(marked.values())
    assert {r[7] for r in rows[1:]} == {marked["KN-B"].astimezone(CHINA_TZ)
                                        .strftime("%Y-%m-%d %H:%M")}
    # Again: nobody new, an empty file (its headers only); nothing re-marked.
    again = tmp_path / "again.csv"
    assert supply.export_compensations(db, lead, again, CODE) == 0
    lines = list(csv.reader(again.read_text(encoding="utf-8-sig").splitlines()))
    assert lines == [["店铺", "渠道", "平台订单号", "买家", "补偿金额(元)", "原因", "标记时间",
                      "导出时间"]]
    # A new buyer flagged: only that one goes out.
    _flag(db, lead, "KN-A")
    third = tmp_path / "third.xlsx"
    assert supply.export_compensations(db, lead, third, CODE, language="en") == 1
    assert [r[2] for r in _sheet(third)[1:]] == ["KN-A"]
    # Everything again, on demand: the earlier ones keep their first export time.
    everything = tmp_path / "all.xlsx"
    assert supply.export_compensations(db, lead, everything, CODE, language="en",
                                       everything=True) == 3
    assert sorted(r[2] for r in _sheet(everything)[1:]) == ["KN-A", "KN-B", "KN-C"]
    after = {c.channel_order_no: c.exported_at for c in supply.compensations(db, lead, CODE)}
    assert (after["KN-B"], after["KN-C"]) == (marked["KN-B"], marked["KN-C"])
    with db.reader() as s:
        runs = [a.detail for a in s.scalars(select(AuditEntry).where(
            AuditEntry.action == "compensation.exported").order_by(AuditEntry.id))]
    assert [(r["rows"], r["first_time"]) for r in runs] == [(2, 2), (0, 0), (1, 1), (3, 0)]


def _split(db: Database, channel_order_no: str, *units: int) -> None:
    """Split the order into parts of these units, as the engine does: the parent `split`,
    each part a copy of it (campaign and all) with its `parent_id`, and no payments."""
    with db.unit_of_work() as s:
        row = s.execute(select(Order.__table__).where(
            Order.channel_order_no == channel_order_no)).one()._mapping
        s.execute(update(Order).where(Order.id == row["id"]).values(status="split"))
        later = NOW - timedelta(hours=1)  # split an hour ago
        for n, count in enumerate(units, 1):
            part = {k: v for k, v in row.items() if k != "id"}
            part.update(order_no=f"{row['order_no']}-{n}", status="routed",
                        channel_order_no=f"{channel_order_no}-{n}", parent_id=row["id"],
                        unit_count=count, line_count=1, paid_at=None, created_at=later,
                        updated_at=later, status_changed_at=later, version=1)
            s.execute(Order.__table__.insert().values(**part))


def test_split_parts_read_their_parents_payments(db: Database, lead: Actor,
                                                 known: dict[str, str]) -> None:
    """A's part waits on nothing (its parent's balance is paid), B's parts on B's balance:
    the board and the promises are those of the orders unsplit."""
    _split(db, "KN-A", 2)
    _split(db, "KN-B", 1, 2)
    b = supply.board(db, lead, CODE, now=NOW)
    assert [(r.day.day, r.deposits, r.balances, r.cum_demand) for r in b.board.days
            if r.deposits or r.balances] == [(11, 8, 2, 10)]
    # B's first part is served by the 4 units here (A's 2 and its 1): not late.
    assert (b.promises.open_orders, b.promises.covered, b.promises.late) == (4, 4, 2)
    run = supply.promises(db, lead, CODE, now=NOW)
    assert (run.open_orders, run.changed) == (4, 4)
    with db.reader() as s:
        stored = dict(s.execute(select(Order.channel_order_no, Order.promised_ship_by).where(
            Order.parent_id.is_not(None) | (Order.channel_order_no == "KN-C"))).all())
    # A's part: goods here, balance paid → 17:00 on 11 Nov. B's first part: goods here but
    # B's balance not paid; it can be from now (10 Nov 12:00) + 24 h → 17:00 on 11 Nov. B's
    # second part and C: after the 6 units of 13 Nov → 17:00 on 15 Nov.
    assert stored["KN-A-1"] == stored["KN-B-1"] == datetime(2026, 11, 11, 17, 0,
                                                            tzinfo=CHINA_TZ)
    assert stored["KN-B-2"] == stored["KN-C"] == datetime(2026, 11, 15, 17, 0,
                                                          tzinfo=CHINA_TZ)


def _slipping(db: Database) -> list[int]:
    with db.reader() as s:
        return list(s.scalars(supply.slipping_campaigns()))


def test_the_sweep_looks_only_at_campaigns_whose_slips_can_change(
        db: Database, lead: Actor, known: dict[str, str]) -> None:
    with db.reader() as s:
        cid = s.scalar(select(PresaleCampaign.id).where(PresaleCampaign.code == CODE))
    assert cid in _slipping(db)  # a delivery on the road, orders waiting
    assert supply.raise_slips(db, lead, CODE, now=NOW).raised == 2
    supply.record_delivery(db, lead, CODE, "SUP-T1", date(2026, 11, 10), 6, arrived=6)
    assert cid in _slipping(db)  # all in, but two delays to close
    swept = supply.raise_slips(db, lead, now=NOW)
    assert swept.resolved >= 2 and swept.skipped == 0
    assert all(not open_ for _n, _l, open_ in _delays(db))
    assert cid not in _slipping(db)  # its goods in, nothing open: not looked at again
    with db.unit_of_work() as s:  # a new delivery planned, but every order shipped
        s.execute(update(Order).where(Order.campaign_id == cid).values(status="shipped"))
    supply.record_delivery(db, lead, CODE, "SUP-T2", date(2026, 11, 20), 5)
    assert cid not in _slipping(db)
