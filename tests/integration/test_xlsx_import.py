"""Importing the platforms' own .xlsx order exports (app.domain.order_sheets through
app.services.intake.import_file), on SQLite and PostgreSQL: Taobao/Tmall per order and per
item, Pinduoduo, order numbers stored as numbers, dates as date-times, broken rows named with
the sheet's row number while the others land, re-imports counted as already there."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from app.services import intake
from app.services.context import system_actor
from app.services.errors import InvalidInput
from app.store.db import Database
from app.store.models import Order, OrderLine, Shop
from tests.helpers.sheets import (
    PDD_HEADER,
    TAOBAO_HEADER,
    TAOBAO_ITEM_HEADER,
    taobao_row,
    write_sheet,
)

BIG = "4162883832611119999"  # 19 digits: more than a double holds


def _orders(db: Database, *numbers: str) -> dict[str, Order]:
    with db.reader() as s:
        rows = s.scalars(select(Order).where(Order.channel_order_no.in_(numbers))).all()
        for order in rows:
            s.expunge(order)
        return {o.channel_order_no: o for o in rows}


def _lines(db: Database, order_no: str) -> list[tuple[str, int, int]]:
    with db.reader() as s:
        return [tuple(r) for r in s.execute(  # type: ignore[misc]
            select(OrderLine.sku_code, OrderLine.qty, OrderLine.price_fen)
            .join(Order, Order.id == OrderLine.order_id)
            .where(Order.channel_order_no == order_no).order_by(OrderLine.line_no))]


def test_taobao_per_order_export(db: Database, tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "淘宝订单导出.xlsx", TAOBAO_HEADER, [
        taobao_row(9.5e18),                                        # row 2: 19 digits, whole
        taobao_row(2026111100012345, 联系手机=13900001111,          # row 3: 16 digits, a number
                   收货地址="北京市北京市朝阳区建国路1号", 店铺名称=None),
        [],                                                         # row 4: blank
        taobao_row("XL-BROKEN", 收货地址="文三路90号"),              # row 5: no province
        taobao_row("XL-MASKED", 收货人姓名="张**", 联系手机="138****8000"),  # row 6
        taobao_row("XL-CLOSED", 订单状态="交易关闭"),                 # row 7
        taobao_row("XL-TWO", 宝贝种类=2, 商家编码="SKU-00001;SKU-00002"),  # row 8
        taobao_row("XL-OK", 宝贝总数量=3, 买家实际支付金额="¥150.00",    # row 9
                   订单付款时间="2026/11/11 8:30:00", 收货地址="广西 南宁市 青秀区 民族大道 1号"),
    ], digits={"9.5e+18": BIG})

    report = intake.import_file(db, system_actor(), path, shop="默认店")

    assert report.created == 3
    assert [(e.line, e.code) for e in report.errors] == [
        (5, "intake.address_unsplit"), (6, "intake.masked_receiver"), (7, "intake.sheet_status"),
        (8, "intake.sheet_several_items")]
    assert report.errors[0].channel_order_no == "XL-BROKEN"
    assert "pull the shop's orders through its platform" in report.errors[1].reason
    stored = _orders(db, BIG, "2026111100012345", "XL-OK")
    assert set(stored) == {BIG, "2026111100012345", "XL-OK"}
    big = stored[BIG]
    assert (big.channel, big.receiver_name, big.receiver_phone) == ("taobao", "张三", "13800138000")
    assert (big.province, big.city, big.district, big.address) == (
        "浙江省", "杭州市", "西湖区", "文三路90号")
    assert big.paid_at is not None
    assert big.paid_at.replace(tzinfo=big.paid_at.tzinfo or UTC) == datetime(
        2026, 11, 10, 16, 0, 12, tzinfo=UTC)
    assert big.amount_fen == 11800 and big.buyer == "tb_buyer_01"
    assert _lines(db, BIG) == [("SKU-00001", 2, 5900)]
    beijing = stored["2026111100012345"]
    assert (beijing.province, beijing.city, beijing.district, beijing.receiver_phone) == (
        "北京市", "北京市", "朝阳区", "13900001111")
    ok = stored["XL-OK"]
    assert (ok.province, ok.address, ok.amount_fen) == ("广西壮族自治区", "民族大道 1号", 15000)
    assert _lines(db, "XL-OK") == [("SKU-00001", 3, 5000)]
    with db.reader() as s:
        shops = dict(s.execute(select(Order.channel_order_no, Shop.name)
                               .join(Shop, Shop.id == Order.shop_id)
                               .where(Order.channel_order_no.in_(list(stored)))).all())
    assert shops == {BIG: "淘宝小店", "2026111100012345": "默认店", "XL-OK": "淘宝小店"}

    again = intake.import_file(db, system_actor(), path, shop="默认店")
    assert (again.created, again.duplicates, len(again.errors)) == (0, 3, 4)


def test_taobao_item_rows_tmall_and_the_order_sheet(db: Database, tmp_path: Path) -> None:
    common = ["tm_buyer", "177.00", "等待卖家发货", "李四", "广东省深圳市南山区粤海街道科技园",
              "13912345678", datetime(2026, 11, 11, 1, 2, 3)]
    path = write_sheet(tmp_path / "export.xlsx", TAOBAO_ITEM_HEADER, [
        ["XI-1", *common, "SKU-00001", 2, 59, "天猫旗舰店", "天猫"],
        ["XI-1", *common, "SKU-00002", 1, "59.00", "天猫旗舰店", "天猫"],
        ["XI-2", *common, "SKU-00003", "x", 10, "天猫旗舰店", "天猫"],
        ["XI-2", *common, "SKU-00004", 1, 10, "天猫旗舰店", "天猫"],
    ], title="订单列表", before={"说明": [["这张表说明导出的列"]]})

    report = intake.import_file(db, system_actor(), path)

    assert report.created == 1
    assert [(e.line, e.code) for e in report.errors] == [
        (4, "intake.bad_qty"), (5, "intake.skipped")]
    order = _orders(db, "XI-1")["XI-1"]
    assert (order.channel, order.amount_fen, order.district) == ("tmall", 17700, "南山区")
    assert _lines(db, "XI-1") == [("SKU-00001", 2, 5900), ("SKU-00002", 1, 5900)]


def test_pinduoduo_export(db: Database, tmp_path: Path) -> None:
    row = ["PDD-X1", "纸巾 3包", 123456, "SKU-00005", 3, 29.7, 25.0,
           datetime(2026, 11, 11, 20, 0), "王五", 13700001111, "湖北省", "仙桃市", "仙桃市",
           "干河街道 1号", "待发货", "轻放"]
    masked = ["PDD-X2", *row[1:8], "王*", "137****1111", *row[10:]]
    path = write_sheet(tmp_path / "pdd.xlsx", PDD_HEADER, [row, masked])

    report = intake.import_file(db, system_actor(), path, shop="拼多多店")

    assert report.created == 1
    assert [(e.line, e.code, dict(e.params)) for e in report.errors] == [
        (3, "intake.masked_receiver", {"field": "收货人"})]
    order = _orders(db, "PDD-X1")["PDD-X1"]
    assert (order.channel, order.receiver_phone, order.city, order.remark) == (
        "pdd", "13700001111", "仙桃市", "轻放")
    assert order.amount_fen == 2500
    assert _lines(db, "PDD-X1") == [("SKU-00005", 3, 990)]


def test_an_order_number_that_lost_digits_is_refused(sqlite_db: Database,
                                                     tmp_path: Path) -> None:
    # What Excel writes for a 19-digit number typed into a cell: 15 significant digits.
    path = write_sheet(tmp_path / "excel.xlsx", TAOBAO_HEADER,
                       [taobao_row(4162883832611119999.0), taobao_row("XL-FINE")])
    report = intake.import_file(sqlite_db, system_actor(), path)
    assert report.created == 1
    [error] = report.errors
    assert (error.line, error.code) == (2, "intake.number_lost_digits")
    assert "export the column as text" in error.reason


def test_unknown_headers_and_not_a_workbook(sqlite_db: Database, tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "other.xlsx", ["订单", "名字"], [["1", "x"]])
    report = intake.import_file(sqlite_db, system_actor(), path)
    assert (report.created, [(e.line, e.code) for e in report.errors]) == (
        0, [(1, "intake.sheet_unknown")])

    lacking = write_sheet(tmp_path / "lacking.xlsx", ["订单编号", "收货人姓名"], [["1", "x"]])
    [error] = intake.import_file(sqlite_db, system_actor(), lacking).errors
    assert error.code == "intake.sheet_header_lacks" and "收货地址" in error.reason

    fake = tmp_path / "fake.xlsx"
    fake.write_text("订单编号,收货人\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        intake.import_file(sqlite_db, system_actor(), fake)
    assert caught.value.code == "intake.not_xlsx"
