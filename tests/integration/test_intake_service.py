"""Order intake into the central database (app.services.intake): file import, idempotency,
broken rows, encodings, permissions and presale orders, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain.intake import CSV_COLUMNS
from app.domain.roles import Role
from app.services import intake
from app.services.context import Actor, system_actor
from app.services.errors import InvalidInput, PermissionDenied
from app.store.db import Database
from app.store.models import (
    AuditEntry,
    Channel,
    Order,
    OrderLine,
    OrderPayment,
    PresaleCampaign,
    Shop,
    Sku,
)
from tests.helpers.orders import drafts, order_record, table_counts, write_jsonl

PL_NUMBER = re.compile(r"^PL\d{13}$")
PACKER = Actor(user_id=None, code="p", name="p", role=Role.PACKER)


def _good(n: int) -> dict[str, object]:
    return order_record(f"IMP-{n:04d}", sku=f"SKU-{n + 1:05d}", qty=n % 3 + 1,
                        price=f"{n + 1}.50")


def _file_of_50_good_5_broken(tmp_path: Path) -> tuple[Path, list[int]]:
    rows: list[dict[str, object] | str] = []
    broken_lines = []
    breakers: list[dict[str, object] | str] = [
        '{"channel": "taobao", "channel_order_no": "BROKEN-1"',
        {**order_record("BROKEN-2"), "receiver": None},
        {**order_record("BROKEN-3"), "lines": []},
        order_record("BROKEN-4", qty=0),
        {**order_record("BROKEN-5"), "lines": [{"sku": "SKU-00001", "qty": 1, "price": "x"}]},
    ]
    for n in range(50):
        # the last good order names a SKU code the warehouse does not know
        rows.append(_good(n) if n < 49 else order_record("IMP-0049", sku="SKU-NOT-KNOWN"))
        if n % 10 == 4:
            rows.append(breakers[n // 10])
            broken_lines.append(len(rows))
    return write_jsonl(tmp_path / "orders.jsonl", rows), broken_lines


def test_import_file_stores_good_orders_and_names_broken_rows(db: Database,
                                                              tmp_path: Path) -> None:
    path, broken_lines = _file_of_50_good_5_broken(tmp_path)
    with db.reader() as s:
        before = table_counts(s)

    report = intake.import_file(db, system_actor(), path)

    assert report.created == 50
    assert report.duplicates == 0
    assert [e.line for e in report.errors] == broken_lines
    assert all(e.reason for e in report.errors)
    assert report.as_json()["errors"][0]["line"] == broken_lines[0]

    with db.reader() as s:
        after = table_counts(s)
        orders = list(s.scalars(select(Order).where(
            Order.channel_order_no.like("IMP-%")).order_by(Order.id)))
        assert len(orders) == 50
        assert after["orders"] - before["orders"] == 50
        assert all(o.status == "new" for o in orders)
        assert all(o.channel == "taobao" for o in orders)
        numbers = [o.order_no for o in orders]
        assert all(PL_NUMBER.match(n) for n in numbers), numbers[:3]
        assert len(set(numbers)) == 50
        assert not any(o.channel_order_no.startswith("BROKEN") for o in orders)

        # lines, with the SKU resolved where the code is known
        sku_ids = dict(s.execute(select(Sku.code, Sku.id)).all())
        lines = list(s.scalars(select(OrderLine).where(
            OrderLine.order_id.in_([o.id for o in orders]))))
        assert len(lines) == 50
        assert after["order_lines"] - before["order_lines"] == 50
        for line in lines:
            if line.sku_code == "SKU-NOT-KNOWN":
                assert line.sku_id is None
            else:
                assert line.sku_id == sku_ids[line.sku_code]
        assert sum(1 for ln in lines if ln.sku_id is None) == 1
        first = next(o for o in orders if o.channel_order_no == "IMP-0000")
        assert (first.goods_fen, first.amount_fen, first.line_count, first.unit_count) \
            == (150, 150, 1, 1)
        assert first.receiver_name == "张三" and first.district == "西湖区"

        payments = list(s.scalars(select(OrderPayment).where(
            OrderPayment.order_id.in_([o.id for o in orders]))))
        assert len(payments) == 50
        assert {(p.kind, p.status) for p in payments} == {("full", "paid")}
        assert {p.order_id: p.amount_fen for p in payments}[first.id] == first.amount_fen

        audits = list(s.scalars(select(AuditEntry).where(
            AuditEntry.action == "order.created", AuditEntry.entity_id.in_(numbers))))
        assert sorted(a.entity_id for a in audits) == sorted(numbers)
        assert all(a.entity == "order" and a.before is None and a.after == "new"
                   and a.actor == "system" for a in audits)
        assert after["audit_log"] - before["audit_log"] == 50


def test_importing_the_same_file_again_changes_nothing(db: Database, tmp_path: Path) -> None:
    path, _ = _file_of_50_good_5_broken(tmp_path)
    assert intake.import_file(db, system_actor(), path).created == 50
    with db.reader() as s:
        before = table_counts(s)

    again = intake.import_file(db, system_actor(), path)

    assert again.created == 0
    assert again.duplicates == 50
    assert len(again.errors) == 5
    with db.reader() as s:
        assert table_counts(s) == before


def test_the_same_order_twice_in_one_file_counts_once(db: Database, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "twice.jsonl", [
        order_record("TWICE-1", qty=1), order_record("TWICE-2"),
        order_record("TWICE-1", qty=1)])
    report = intake.import_file(db, system_actor(), path)
    assert (report.created, report.duplicates, report.errors) == (2, 1, [])
    with db.reader() as s:
        [order] = s.scalars(select(Order).where(Order.channel_order_no == "TWICE-1"))
        assert order.unit_count == 1


def test_the_same_number_twice_with_other_content_stores_neither(db: Database,
                                                                 tmp_path: Path) -> None:
    """Which of the two is right the file does not say: both lines are named, neither stored."""
    path = write_jsonl(tmp_path / "twice.jsonl", [
        order_record("TWICE-1", qty=1), order_record("TWICE-2"),
        order_record("TWICE-1", qty=5)])
    report = intake.import_file(db, system_actor(), path)
    assert (report.created, report.duplicates) == (1, 0)
    assert [(e.line, e.channel_order_no) for e in report.errors] == [(1, "TWICE-1"),
                                                                      (3, "TWICE-1")]
    with db.reader() as s:
        assert not list(s.scalars(select(Order).where(Order.channel_order_no == "TWICE-1")))


def test_a_lone_surrogate_in_a_big_file_refuses_that_row_alone(db: Database,
                                                               tmp_path: Path) -> None:
    """2,500 orders, one with a broken UTF-16 escape after the first batch of 2,000: before,
    the first batch was stored and the import stopped with a codec error naming no line."""
    rows: list[dict[str, object] | str] = [order_record(f"SUR-{n:04d}") for n in range(2500)]
    rows[2300] = json.dumps(order_record("SUR-2300"), ensure_ascii=False).replace(
        "文三路90号", "文三路\\udc0090号")
    path = write_jsonl(tmp_path / "orders.jsonl", rows)
    with db.reader() as s:
        before = table_counts(s)
    report = intake.import_file(db, system_actor(), path)
    assert report.created == 2499
    assert [(e.line, e.channel_order_no) for e in report.errors] == [(2301, "SUR-2300")]
    assert "receiver.address" in report.errors[0].reason
    assert "U+DC00" in report.errors[0].reason
    with db.reader() as s:
        assert table_counts(s)["orders"] - before["orders"] == 2499


def test_same_channel_order_number_on_two_channels_is_two_orders(db: Database,
                                                                 tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "two.jsonl", [
        order_record("SAME-1", channel="taobao"), order_record("SAME-1", channel="jd")])
    assert intake.import_file(db, system_actor(), path).created == 2


def test_a_gb18030_csv_imports_with_chinese_intact(db: Database, tmp_path: Path) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    base = {"channel": "pdd", "shop": "拼多多旗舰店", "channel_order_no": "GBK-1",
            "buyer": "拼友小王", "receiver_name": "欧阳娜娜", "receiver_phone": "13700137000",
            "province": "四川省", "city": "成都市", "district": "锦江区",
            "address": "春熙路步行街88号（北门）", "price": "19.90",
            "remark": "不要放快递柜，谢谢", "paid_at": "2026-11-11 09:00:00"}
    writer.writerow({**base, "sku": "SKU-00010", "qty": "1"})
    writer.writerow({**base, "sku": "SKU-00011", "qty": "2"})
    path = tmp_path / "export.csv"
    path.write_bytes(out.getvalue().encode("gb18030"))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")

    report = intake.import_file(db, system_actor(), path)

    assert (report.created, report.errors) == (1, [])
    with db.reader() as s:
        order = s.scalars(select(Order).where(Order.channel_order_no == "GBK-1")).one()
        assert order.receiver_name == "欧阳娜娜"
        assert order.address == "春熙路步行街88号（北门）"
        assert order.remark == "不要放快递柜，谢谢"
        assert order.buyer == "拼友小王"
        assert s.get_one(Shop, order.shop_id).name == "拼多多旗舰店"
        assert [(ln.sku_code, ln.qty) for ln in order.lines] == [("SKU-00010", 1),
                                                                   ("SKU-00011", 2)]


def test_an_unreadable_file_is_invalid_input(db: Database, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="cannot read"):
        intake.import_file(db, system_actor(), tmp_path / "missing.jsonl")
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00\x81\x30\x81" * 10)
    with pytest.raises(InvalidInput, match="neither UTF-8 nor GB18030"):
        intake.import_file(db, system_actor(), binary)


def test_a_packer_may_not_import_and_nothing_is_written(db: Database, tmp_path: Path) -> None:
    path, _ = _file_of_50_good_5_broken(tmp_path)
    with db.reader() as s:
        before = table_counts(s)
    with pytest.raises(PermissionDenied) as caught:
        intake.import_file(db, PACKER, path)
    assert "orders.import" in str(caught.value)
    with pytest.raises(PermissionDenied):
        intake.ingest(db, PACKER, drafts(order_record("PACKER-1")))
    with db.reader() as s:
        assert table_counts(s) == before


def test_ingest_with_overlapping_batches(db: Database) -> None:
    batch = drafts(*(order_record(f"OVL-{n:03d}") for n in range(30)))
    first = intake.ingest(db, system_actor(), batch[:20], batch=7)
    assert len(first.created) == 20 and first.duplicates == []
    with db.reader() as s:
        before = table_counts(s)

    second = intake.ingest(db, system_actor(), batch[10:], batch=7)

    assert len(second.created) == 10
    assert sorted(second.duplicates) == [f"OVL-{n:03d}" for n in range(10, 20)]
    assert set(first.created).isdisjoint(second.created)
    with db.reader() as s:
        after = table_counts(s)
        assert after["orders"] - before["orders"] == 10
        assert after["order_lines"] - before["order_lines"] == 10
        assert after["audit_log"] - before["audit_log"] == 10
        nos = list(s.scalars(select(Order.channel_order_no)
                             .where(Order.channel_order_no.like("OVL-%"))))
        assert sorted(nos) == [f"OVL-{n:03d}" for n in range(30)]


def test_ingest_of_an_order_already_in_the_seed_is_a_duplicate(db: Database) -> None:
    with db.reader() as s:
        seeded = s.scalars(select(Order).order_by(Order.id).limit(1)).one()
        key = (seeded.channel, seeded.channel_order_no)
        kept = (seeded.order_no, seeded.receiver_name, seeded.unit_count, seeded.version)
        before = table_counts(s)
    result = intake.ingest(db, system_actor(), drafts(
        order_record(key[1], channel=key[0], qty=99)))
    assert (result.created, result.duplicates) == ([], [key[1]])
    with db.reader() as s:
        again = s.scalars(select(Order).where(Order.channel == key[0],
                                              Order.channel_order_no == key[1])).one()
        assert (again.order_no, again.receiver_name, again.unit_count, again.version) == kept
        assert table_counts(s) == before


def test_presale_orders_store_campaign_and_payments(db: Database) -> None:
    records = [
        order_record(f"PRE-{code}", presale={
            "campaign": code, "deposit_paid_at": "2026-10-24T20:00:00+08:00",
            "balance_paid_at": "2026-11-11T00:30:00+08:00" if i % 2 else None})
        for i, code in enumerate(("PS-DOUBLE", "PS-OFFSET", "PS-REDUCE", "PS-TIERS",
                                  "PS-FULL"))
    ]
    records.append(order_record("PRE-UNKNOWN", presale={"campaign": "PS-NOPE",
                                                         "deposit_paid_at": None}))
    records.append(order_record("SPOT-1"))
    result = intake.ingest(db, system_actor(), drafts(*records))
    assert len(result.created) == 6
    # An unknown campaign cannot be priced: the order is refused with its line, not stored.
    assert [(e.channel_order_no, e.line) for e in result.rejected] == [("PRE-UNKNOWN", 6)]
    assert "PS-NOPE" in result.rejected[0].reason

    with db.reader() as s:
        campaigns = dict(s.execute(select(PresaleCampaign.code, PresaleCampaign.id)).all())
        orders = {o.channel_order_no: o for o in s.scalars(
            select(Order).where(Order.channel_order_no.like("PRE-%")
                                | (Order.channel_order_no == "SPOT-1")))}
        for i, code in enumerate(("PS-DOUBLE", "PS-OFFSET", "PS-REDUCE", "PS-TIERS",
                                  "PS-FULL")):
            order = orders[f"PRE-{code}"]
            assert order.is_presale is True
            assert order.campaign_id == campaigns[code]
            assert all(line.is_presale for line in order.lines)
            pays = {p.kind: p for p in order.payments}
            assert set(pays) == {"deposit", "balance"}
            assert pays["deposit"].status == "paid"
            assert pays["balance"].status == ("paid" if i % 2 else "pending")
        assert "PRE-UNKNOWN" not in orders
        spot = orders["SPOT-1"]
        assert spot.is_presale is False and spot.campaign_id is None
        assert [p.kind for p in spot.payments] == ["full"]


def test_unknown_channel_is_refused_with_its_line_and_the_rest_imported(db: Database,
                                                                         tmp_path) -> None:
    path = write_jsonl(tmp_path / "orders.jsonl", [
        order_record("CH-OK-1"), order_record("CH-TYPO", channel="taobo"),
        order_record("CH-OK-2", channel="jd")])
    with db.reader() as s:
        before = table_counts(s)
    report = intake.import_file(db, system_actor(), path)
    assert report.created == 2
    assert [(e.line, e.channel_order_no) for e in report.errors] == [(2, "CH-TYPO")]
    assert "unknown channel 'taobo'" in report.errors[0].reason
    with db.reader() as s:
        after = table_counts(s)
        assert s.scalar(select(Channel.code).where(Channel.code == "taobo")) is None
    assert after["orders"] == before["orders"] + 2


def test_a_json_array_file_is_read_item_by_item(db: Database, tmp_path) -> None:
    path = tmp_path / "orders.json"
    records = [order_record("ARR-1"), {"channel": "jd"}, order_record("ARR-3")]
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    report = intake.import_file(db, system_actor(), path)
    assert report.created == 2
    assert [e.line for e in report.errors] == [2]


def test_a_nul_byte_in_a_file_is_refused_at_the_door(db: Database, tmp_path) -> None:
    records = [order_record(f"NUL-{i}") for i in range(1, 6)]
    records[2]["remark"] = "garbled\x00export"
    path = write_jsonl(tmp_path / "orders.jsonl", records)
    report = intake.import_file(db, system_actor(), path)
    assert report.created == 4
    assert [(e.line, e.channel_order_no) for e in report.errors] == [(3, "NUL-3")]
    assert "remark holds U+0000" in report.errors[0].reason


def test_a_row_the_database_refuses_is_named_and_its_batch_still_lands(db: Database) -> None:
    """PostgreSQL refuses a NUL byte in text (SQLite stores it); a lone surrogate no driver
    encodes. The door refuses both; an order handed to `ingest` past the door is named with
    its line, and the other orders of the same batch are stored all the same."""
    batch = drafts(*(order_record(f"NUL-{i}") for i in range(1, 6)))
    batch[2] = replace(batch[2], remark="garbled\x00export")
    batch[3] = replace(batch[3], buyer="broken\ud800")
    with db.reader() as s:
        before = table_counts(s)
    result = intake.ingest(db, system_actor(), batch)
    with db.reader() as s:
        after = table_counts(s)
    refused = [(e.line, e.channel_order_no) for e in result.rejected]
    if db.dialect == "postgresql":
        assert len(result.created) == 3 and refused == [(3, "NUL-3"), (4, "NUL-4")]
    else:
        assert len(result.created) == 4 and refused == [(4, "NUL-4")]
    assert all("refused by the database" in e.reason for e in result.rejected)
    assert after["orders"] - before["orders"] == len(result.created)
    assert after["audit_log"] - before["audit_log"] == len(result.created)


@pytest.mark.parametrize(("field", "value"), [
    ("phone", "1" * 40), ("name", "张" * 101), ("district", "区" * 65)])
def test_receiver_fields_longer_than_their_columns_are_broken_rows(
        db: Database, tmp_path, field: str, value: str) -> None:
    bad = order_record("LONG-1")
    bad["receiver"][field] = value
    path = write_jsonl(tmp_path / "orders.jsonl", [order_record("LONG-0"), bad,
                                                   order_record("LONG-2")])
    report = intake.import_file(db, system_actor(), path)
    assert report.created == 2
    assert [e.line for e in report.errors] == [2]
    assert f"receiver.{field}" in report.errors[0].reason


def test_a_refused_order_given_twice_is_refused_twice_not_already_there(
        db: Database, tmp_path: Path) -> None:
    """Nothing of an unknown channel's order was stored or there before: its repeat is no
    duplicate; it is named at its own line for the same reason. A repeat of an order that is
    stored already still counts as already there."""
    assert intake.import_file(db, system_actor(), write_jsonl(
        tmp_path / "before.jsonl", [order_record("KNOWN-1")])).created == 1
    path = write_jsonl(tmp_path / "orders.jsonl", [
        order_record("U1", channel="nochan"), order_record("U1", channel="nochan"),
        order_record("KNOWN-1"), order_record("KNOWN-1"), order_record("NEW-1"),
        order_record("NEW-1")])
    with db.reader() as s:
        before = table_counts(s)
    report = intake.import_file(db, system_actor(), path)
    assert (report.created, report.duplicates) == (1, 3)
    assert [(e.line, e.channel_order_no, e.code) for e in report.errors] == [
        (1, "U1", "intake.unknown_channel"), (2, "U1", "intake.unknown_channel")]
    with db.reader() as s:
        assert table_counts(s)["orders"] == before["orders"] + 1

    only = intake.import_file(db, system_actor(), write_jsonl(
        tmp_path / "unk.jsonl", [order_record("U1", channel="nochan")] * 2))
    assert (only.created, only.duplicates, len(only.errors)) == (0, 0, 2)


def test_ingest_counts_a_repeat_only_once_its_first_one_landed(db: Database) -> None:
    unknown, known = drafts(order_record("U2", channel="nochan"), order_record("K2"))
    result = intake.ingest(db, system_actor(), [unknown, known, unknown, known])
    assert (len(result.created), result.duplicates) == (1, ["K2"])
    assert [e.channel_order_no for e in result.rejected] == ["U2"]
