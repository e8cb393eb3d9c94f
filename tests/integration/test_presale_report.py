"""The presale demand report on a small campaign whose figures are known exactly, on SQLite and
PostgreSQL: deposits, balances, conversion, refunds and cancellations; demand by China day,
province, SKU and option; the period; bad input refused; the workbook read back."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from app.services import presale_report
from app.services.context import system_actor
from app.services.errors import InvalidInput, NotFound
from app.services.presale_report import Demand
from app.store.db import Database
from tests.helpers import presale_report_data as data


@pytest.fixture
def seeded(db: Database) -> Database:
    with db.unit_of_work() as s:
        data.seed(s)
    return db


def report(db: Database, **kw: object) -> presale_report.DemandReport:
    return presale_report.demand_report(db, system_actor(), data.CODE, **kw)  # type: ignore[arg-type]


def test_the_campaign_figures_are_exact(seeded: Database) -> None:
    r = report(seeded)
    [c] = r.campaigns
    assert (c.code, c.name, c.kind, c.stock_mode, c.sku) == (
        data.CODE, data.NAME, "deposit", "real", "SKU-RPT-A")
    # Orders 1, 2, 3, 4 (deposit refunded since) and 6 (merged: counted itself, not the
    # combined order); order 5 never paid its deposit; the splits' parts have no payments.
    # Units are the campaign SKU's (SKU-RPT-A): 2 + 1 (order 2's B and C are not) + 0
    # (order 3 holds only C) + 1 + 1.
    assert c.demand == Demand(deposit_orders=5, deposit_units=5, balance_orders=3,
                              balance_units=3, converted=3)
    assert (c.deposit_fen, c.balance_fen) == (5000, 14500)
    assert c.conversion == pytest.approx(0.6)
    assert r.total == c.demand and r.conversion == pytest.approx(0.6)


def test_split_orders_are_refunded_and_cancelled_through_their_parts(
        seeded: Database) -> None:
    [c] = report(seeded).campaigns
    # Refunded: order 2 (asked), order 4 (deposit refunded) and order 1, whose two parts
    # were stopped by the refund request — once, not per part. Cancelled: order 4, and
    # order 3, whose parts the channel cancelled (one cancelled, one intercepted) — once.
    assert (c.refunded, c.cancelled) == (3, 2)


def test_units_are_the_campaigns_sku_not_every_line(seeded: Database) -> None:
    # 11-02: order 2 (one presale unit of SKU-RPT-A beside a B and a C) and order 3 (C only,
    # three of them): 1 unit of the campaign's SKU, not the orders' 6 units.
    one_day = report(seeded, since=date(2026, 11, 2), until=date(2026, 11, 2))
    assert (one_day.total.deposit_orders, one_day.total.deposit_units) == (2, 1)
    assert one_day.provinces.totals["广东省"].deposit_units == 1
    # By SKU, every line still counts for its own SKU.
    assert {k: d.deposit_units for k, d in one_day.skus.totals.items()} == {
        "SKU-RPT-C": 4, "SKU-RPT-A": 1, "SKU-RPT-B": 1}


def test_demand_by_china_day(seeded: Database) -> None:
    days = report(seeded).days
    assert list(days) == [date(2026, 11, d) for d in range(1, 11)]  # the gaps included
    # 15:59 UTC on 11-01 is 23:59 in China; 16:00 UTC is 00:00 on 11-02.
    assert days[date(2026, 11, 1)] == Demand(1, 2, converted=1)
    assert days[date(2026, 11, 2)] == Demand(2, 1, converted=1)
    assert days[date(2026, 11, 3)] == Demand(1, 1)
    assert days[date(2026, 11, 4)] == Demand(1, 1, converted=1)
    assert days[date(2026, 11, 7)] == Demand()
    assert days[date(2026, 11, 10)] == Demand(0, 0, 3, 3)


def test_conversion_follows_the_days_deposits(seeded: Database) -> None:
    """Of the deposits paid on a day, the share whose balance is paid by now — never the
    balances paid that day over the deposits paid that day (0 on deposit days and over
    100 % on balance days)."""
    conversion = {day: d.conversion for day, d in report(seeded).days.items()}
    assert conversion[date(2026, 11, 1)] == 1.0  # order 1 paid its balance on 11-10
    assert conversion[date(2026, 11, 2)] == 0.5  # order 3 did, order 2 asked for a refund
    assert conversion[date(2026, 11, 3)] == 0.0  # order 4 refunded its deposit
    assert conversion[date(2026, 11, 4)] == 1.0
    assert conversion[date(2026, 11, 10)] is None  # balances, no deposit: nothing to convert
    # A period: its deposits, and which of them have paid the balance by now.
    span = report(seeded, since=date(2026, 11, 4), until=date(2026, 11, 10))
    assert span.total == Demand(1, 1, 3, 3, converted=1)
    assert span.conversion == 1.0


def test_demand_by_province_sku_and_option(seeded: Database) -> None:
    r = report(seeded)
    assert r.provinces.totals == {"广东省": Demand(2, 3, 1, 2, 1),
                                  "北京市": Demand(1, 1, 1, 1, 1),
                                  "浙江省": Demand(2, 1, 1, 0, 1)}
    assert list(r.provinces.totals) == ["广东省", "北京市", "浙江省"]
    assert r.provinces.by_day[date(2026, 11, 2)] == {"广东省": Demand(1, 1),
                                                     "浙江省": Demand(1, 0, converted=1)}
    assert r.skus.totals == {"SKU-RPT-A": Demand(4, 5, 2, 3, 2),
                             "SKU-RPT-C": Demand(2, 4, 1, 3, 1),
                             "SKU-RPT-B": Demand(1, 1, 0, 0)}
    assert r.skus.names["SKU-RPT-C"] == "测试卫衣 加绒"
    assert r.skus.by_day[date(2026, 11, 10)] == {"SKU-RPT-A": Demand(0, 0, 2, 3),
                                                 "SKU-RPT-C": Demand(0, 0, 1, 3)}
    # Order 2 has two lines of 红色 M (two SKUs): one order, two units.
    assert r.options.totals == {"红色 M": Demand(5, 9, 3, 6, 3), "蓝色 L": Demand(1, 1, 0, 0)}
    assert r.options.by_day[date(2026, 11, 2)] == {"红色 M": Demand(2, 5, converted=1),
                                                   "蓝色 L": Demand(1, 1)}


def test_the_period_counts_payments_made_in_it(seeded: Database) -> None:
    first = report(seeded, since=date(2026, 11, 1), until=date(2026, 11, 1))
    assert first.campaigns[0].demand == Demand(1, 2, converted=1)
    deposits = report(seeded, since=date(2026, 11, 2), until=date(2026, 11, 4))
    assert deposits.total == Demand(4, 3, converted=2)
    assert deposits.conversion == 0.5  # orders 3 and 6 have paid their balance since
    balances = report(seeded, since=date(2026, 11, 10))
    assert balances.total == Demand(0, 0, 3, 3)
    assert balances.conversion is None  # no deposit in it: nothing to convert
    assert list(balances.days) == [date(2026, 11, 10)]


def test_every_campaign_when_none_is_named(seeded: Database) -> None:
    r = presale_report.demand_report(seeded, system_actor())
    codes = [c.code for c in r.campaigns]
    assert data.CODE in codes and "PS-DOUBLE" in codes and codes == sorted(codes)
    mine = next(c for c in r.campaigns if c.code == data.CODE)
    assert mine.demand == report(seeded).campaigns[0].demand
    assert r.total == sum((c.demand for c in r.campaigns), Demand())


def test_bad_input_is_refused_with_its_code(seeded: Database) -> None:
    with pytest.raises(NotFound) as unknown:
        presale_report.demand_report(seeded, system_actor(), "PS-NOPE")
    assert unknown.value.code == "presale_report.unknown_campaign"
    assert unknown.value.params == {"campaign": "PS-NOPE"}
    with pytest.raises(InvalidInput) as reversed_:
        report(seeded, since=date(2026, 11, 5), until=date(2026, 11, 4))
    assert reversed_.value.code == "presale_report.bad_period"
    assert reversed_.value.params == {"since": "2026-11-05", "until": "2026-11-04"}


def test_the_workbook_reads_back(seeded: Database, tmp_path: Path) -> None:
    path = presale_report.export_xlsx(report(seeded), tmp_path / "out" / "demand.xlsx")
    assert path.exists() and not path.with_name("demand.xlsx.part").exists()
    wb = load_workbook(path)
    assert wb.sheetnames == ["汇总 Summary", "按日 By day", "按省份 By province", "按SKU By SKU",
                             "按规格 By option"]
    summary = [list(r) for r in wb["汇总 Summary"].iter_rows(values_only=True)]
    head = next(i for i, r in enumerate(summary) if r[0] == "活动编号\nCampaign")
    assert summary[head][5] == "定金订单\nDeposit orders"
    row = summary[head + 1]
    assert row[0] == data.CODE and row[3] == "真实库存预占 Real stock"
    assert summary[head][11:13] == ["其中定金订单已付尾款\nOf these deposits, balance paid",
                                    "转化率\nConversion"]
    assert any(r[0] and str(r[0]).startswith("转化率：") for r in summary[:head])
    assert row[5:15] == [5, 5, 50.0, 3, 3, 145.0, 3, pytest.approx(0.6), 3, 2]
    assert wb["汇总 Summary"].cell(head + 2, 13).number_format == "0.0%"
    days = list(wb["按日 By day"].iter_rows(values_only=True))
    assert days[0][0] == "日期\nDate"
    assert days[1] == (datetime(2026, 11, 1), 1, 2, 0, 0, 1, 1.0)
    assert days[2] == (datetime(2026, 11, 2), 2, 1, 0, 0, 1, 0.5)
    assert days[10][:6] == (datetime(2026, 11, 10), 0, 0, 3, 3, 0)
    assert days[10][6] is None  # no deposit that day: no conversion
    assert wb["按日 By day"].cell(3, 7).number_format == "0.0%"
    assert len(days) == 11
    provinces = list(wb["按省份 By province"].iter_rows(values_only=True))
    assert provinces[1][:7] == ("广东省", 2, 3, 1, 2, 1, 0.5)
    by_day = next(i for i, r in enumerate(provinces) if r[0] == "按日 By day")
    assert provinces[by_day + 1][:2] == ("日期\nDate", "省份\nProvince")
    assert provinces[by_day + 2] == (datetime(2026, 11, 1), "广东省", 1, 2, 0, 0, 1, 1.0)
    skus = list(wb["按SKU By SKU"].iter_rows(values_only=True))
    assert skus[1][:8] == ("SKU-RPT-A", "测试卫衣", 4, 5, 2, 3, 2, 0.5)
    options = list(wb["按规格 By option"].iter_rows(values_only=True))
    assert options[1][:7] == ("红色 M", 5, 9, 3, 6, 3, pytest.approx(0.6))
