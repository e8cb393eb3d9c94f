"""The presale demand report (预售需求报表): per campaign the deposits and balances paid and the
conversion between them, and the demand by China day, by province, by SKU and by option (规格)
— what a supplier plans production from. On screen (app/ui/presale_report.py), as JSON and
as an .xlsx workbook (`export_xlsx`).

Counted in the database, a handful of GROUP BY queries whatever the size of the orders table:
one per dimension, deposits and balances together. What is counted:

* a deposit is an order's `deposit` payment that was paid (still paid, or refunded since);
  a balance the same of its `balance` payment; the day is the China day it was paid on, and
  `since`/`until` (China days, inclusive) choose payments by that day;
* each order as the channel sent it: a split's parts carry no payments of their own, and the
  order a merge made is left out (its members are counted, with their own payment times);
* units are the units of the campaign's SKU in the order's lines (a spot item bought beside
  the presale unit is not presale demand; a split order's lines are its parent's, read once);
  by SKU and by option, the units of the order's lines of that SKU or option; money is the
  payments' priced amounts in fen (0 until the engine has priced the order);
* conversion follows one group of buyers: of the deposits counted (in a day, a key, the
  period), the orders whose balance has been paid by now — when the report is made,
  whenever in or after the period that was (`converted`); the rule is
  `app.domain.presale_report.conversion`;
* refunded: orders with a deposit counted whose payment was refunded or whose refund the
  channel asked for; cancelled: orders with a deposit counted that were cancelled or whose
  cancellation the channel sent. A split order is refunded or cancelled through its parts
  (the channel's refund or cancellation lands on them), counted once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from app.domain import presale_report as rules
from app.domain.roles import Permission
from app.domain.status import OrderStatus
from app.services.access import guarded
from app.services.context import Actor
from app.services.errors import InvalidInput, NotFound
from app.store.db import Database
from app.store.models import Order, OrderLine, OrderPayment, PresaleCampaign, Sku

_Query = TypeVar("_Query", bound="Select[*tuple[Any, ...]]")
PAID = ("paid", "refunded")  # a payment made, whatever happened to it since
KINDS = ("deposit", "balance")


@dataclass(frozen=True, slots=True)
class Demand:
    """Deposits and balances paid, in orders and units (of the same day, key or period),
    and of those deposits the orders whose balance has been paid by now (`converted`,
    whenever it was paid): the conversion's group of buyers."""

    deposit_orders: int = 0
    deposit_units: int = 0
    balance_orders: int = 0
    balance_units: int = 0
    converted: int = 0

    @property
    def conversion(self) -> float | None:
        return rules.conversion(self.deposit_orders, self.converted)

    def __add__(self, other: Demand) -> Demand:
        return Demand(self.deposit_orders + other.deposit_orders,
                      self.deposit_units + other.deposit_units,
                      self.balance_orders + other.balance_orders,
                      self.balance_units + other.balance_units,
                      self.converted + other.converted)

    def as_json(self) -> dict[str, Any]:
        return {"deposit_orders": self.deposit_orders, "deposit_units": self.deposit_units,
                "balance_orders": self.balance_orders, "balance_units": self.balance_units,
                "converted": self.converted, "conversion": self.conversion}


@dataclass(frozen=True, slots=True)
class CampaignDemand:
    code: str
    name: str
    kind: str  # deposit | full
    stock_mode: str  # pool | real
    sku: str
    demand: Demand
    deposit_fen: int
    balance_fen: int
    refunded: int
    cancelled: int

    @property
    def conversion(self) -> float | None:
        return self.demand.conversion

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "kind": self.kind,
                "stock_mode": self.stock_mode, "sku": self.sku, **self.demand.as_json(),
                "deposit_fen": self.deposit_fen, "balance_fen": self.balance_fen,
                "refunded": self.refunded, "cancelled": self.cancelled}


@dataclass(frozen=True, slots=True)
class Breakdown:
    """Demand by one key (province, SKU or option): in all, and per China day."""

    dimension: str  # province | sku | option
    totals: dict[str, Demand]  # key → demand, keys by deposit units (most first)
    by_day: dict[date, dict[str, Demand]]  # day → key → demand, days in order
    names: dict[str, str] = field(default_factory=dict)  # key → what it is (SKU: its name)

    @property
    def keys(self) -> list[str]:
        return list(self.totals)

    def as_json(self) -> dict[str, Any]:
        return {"totals": [{"key": k, "name": self.names.get(k, ""), **d.as_json()}
                           for k, d in self.totals.items()],
                "by_day": [{"day": day.isoformat(), "key": k, **d.as_json()}
                           for day, row in self.by_day.items() for k, d in row.items()]}


@dataclass(frozen=True, slots=True)
class DemandReport:
    campaign: str | None  # None: every campaign
    since: date | None
    until: date | None
    made_at: datetime
    campaigns: list[CampaignDemand]
    days: dict[date, Demand]  # every China day from the first payment to the last
    provinces: Breakdown
    skus: Breakdown
    options: Breakdown

    @property
    def total(self) -> Demand:
        return sum((c.demand for c in self.campaigns), Demand())

    @property
    def conversion(self) -> float | None:
        return self.total.conversion

    def as_json(self) -> dict[str, Any]:
        return {"campaign": self.campaign,
                "since": self.since.isoformat() if self.since else None,
                "until": self.until.isoformat() if self.until else None,
                "made_at": self.made_at.isoformat(), "total": self.total.as_json(),
                "campaigns": [c.as_json() for c in self.campaigns],
                "days": [{"day": d.isoformat(), **v.as_json()} for d, v in self.days.items()],
                "provinces": self.provinces.as_json(), "skus": self.skus.as_json(),
                "options": self.options.as_json()}


# ------------------------------------------------------------------ the queries


def _china_day(s: Session, column: Any) -> ColumnElement[Any]:
    """The China date of a stored UTC time, computed in the database (China keeps UTC+8
    all year, so SQLite adds eight hours to the naive UTC it stores)."""
    if s.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone("Asia/Shanghai", column))
    return func.date(column, "+8 hours")


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _counted(query: _Query, campaign_ids: list[int], span: rules.Period) -> _Query:
    """Payments made (deposits and balances) of the campaigns' orders as the channel sent
    them, in the period."""
    merged = aliased(Order)
    query = query.where(
        Order.campaign_id.in_(campaign_ids), OrderPayment.kind.in_(KINDS),
        OrderPayment.status.in_(PAID), OrderPayment.paid_at.is_not(None),
        ~exists().where(merged.merged_into_id == Order.id))
    if span.start is not None:
        query = query.where(OrderPayment.paid_at >= span.start.astimezone(UTC))
    if span.end is not None:
        query = query.where(OrderPayment.paid_at < span.end.astimezone(UTC))
    return query


def _demand(rows: Iterable[Any]) -> dict[tuple[Any, ...], Demand]:
    """(kind, *key, orders, converted, units) rows → key → Demand."""
    out: dict[tuple[Any, ...], Demand] = defaultdict(Demand)
    for kind, *key, orders, converted, units in rows:
        add = (Demand(int(orders), int(units or 0), converted=int(converted or 0))
               if kind == "deposit"
               else Demand(balance_orders=int(orders), balance_units=int(units or 0)))
        out[tuple(key)] = out[tuple(key)] + add
    return out


def _ranked(totals: dict[str, Demand]) -> dict[str, Demand]:
    return dict(sorted(totals.items(), key=lambda kv: (-kv[1].deposit_units,
                                                      -kv[1].balance_units, kv[0])))


def _breakdown(dimension: str, rows: Iterable[Any],
               names: dict[str, str] | None = None) -> Breakdown:
    """(kind, day, key, orders, converted, units) rows → the breakdown."""
    by_day_key = _demand(rows)
    totals: dict[str, Demand] = defaultdict(Demand)
    by_day: dict[date, dict[str, Demand]] = defaultdict(dict)
    for (day, key), d in by_day_key.items():
        totals[key] = totals[key] + d
        by_day[_as_date(day)][key] = d
    ranked = _ranked(totals)
    order = {k: i for i, k in enumerate(ranked)}
    return Breakdown(dimension, ranked,
                     {day: dict(sorted(row.items(), key=lambda kv: order[kv[0]]))
                      for day, row in sorted(by_day.items())}, names or {})


@guarded(Permission.VIEW_ORDERS)
def demand_report(db: Database, actor: Actor, campaign_code: str | None = None, *,
                  since: date | None = None, until: date | None = None) -> DemandReport:
    """The demand report of one campaign (by its code), or of every campaign; `since` and
    `until` are China days, inclusive, either left open."""
    try:
        span = rules.period(since, until)
    except ValueError:
        raise InvalidInput(f"the report would start on {since} after it ends on {until}",
                           code="presale_report.bad_period", since=str(since),
                           until=str(until)) from None
    code = campaign_code.strip() if campaign_code else None
    with db.reader() as s:
        c = PresaleCampaign
        query = (select(c.id, c.code, c.name, c.kind, c.stock_mode, c.sku_id,
                        Sku.code.label("sku"))
                 .join(Sku, Sku.id == c.sku_id).order_by(c.code))
        if code:
            query = query.where(PresaleCampaign.code == code)
        found = s.execute(query).all()
        if code and not found:
            raise NotFound(f"no presale campaign {code!r}",
                           code="presale_report.unknown_campaign", campaign=code)
        ids = [row.id for row in found]
        day = _china_day(s, OrderPayment.paid_at).label("day")
        # Each payment row with its order's balance beside it (unique (order, kind): one row):
        # a deposit row whose balance is paid by now is converted.
        balance = aliased(OrderPayment)
        paid = (select().select_from(OrderPayment).join(Order, Order.id == OrderPayment.order_id)
                .outerjoin(balance, and_(balance.order_id == Order.id,
                                         balance.kind == "balance")))
        converted = case((and_(OrderPayment.kind == "deposit", balance.status.in_(PAID),
                               balance.paid_at.is_not(None)), Order.id))
        # The units of the campaign's SKU in each order (a split order's are its parent's
        # lines: the parent is the order the payments are on): the lines of the campaigns'
        # SKUs by order and SKU, matched to the order's campaign's SKU.
        campaign_units = (
            select(OrderLine.order_id, OrderLine.sku_id, func.sum(OrderLine.qty).label("units"))
            .where(OrderLine.sku_id.in_(sorted({row.sku_id for row in found})))
            .group_by(OrderLine.order_id, OrderLine.sku_id).subquery())
        units = paid.join(PresaleCampaign, PresaleCampaign.id == Order.campaign_id).outerjoin(
            campaign_units, and_(campaign_units.c.order_id == Order.id,
                                 campaign_units.c.sku_id == PresaleCampaign.sku_id))

        # By campaign and day: the summary, the days, and the money.
        per_campaign: dict[int, Demand] = defaultdict(Demand)
        money: dict[tuple[int, str], int] = defaultdict(int)
        days: dict[date, Demand] = defaultdict(Demand)
        rows = s.execute(_counted(units.add_columns(
            OrderPayment.kind, Order.campaign_id, day, func.count(), func.count(converted),
            func.sum(campaign_units.c.units), func.sum(OrderPayment.amount_fen)), ids, span)
            .group_by(OrderPayment.kind, Order.campaign_id, day)).all()
        for kind, cid, d, orders, done, sold, fen in rows:
            one = _demand([(kind, orders, done, sold)])[()]
            per_campaign[cid] = per_campaign[cid] + one
            days[_as_date(d)] = days[_as_date(d)] + one
            money[(cid, kind)] += int(fen or 0)

        provinces = _breakdown("province", s.execute(_counted(units.add_columns(
            OrderPayment.kind, day, Order.province, func.count(), func.count(converted),
            func.sum(campaign_units.c.units)),
            ids, span).group_by(OrderPayment.kind, day, Order.province)))

        lines = paid.join(OrderLine, OrderLine.order_id == Order.id).outerjoin(
            Sku, Sku.id == OrderLine.sku_id)
        sku_rows = s.execute(_counted(lines.add_columns(
            OrderPayment.kind, day, OrderLine.sku_code, func.count(func.distinct(Order.id)),
            func.count(func.distinct(converted)), func.sum(OrderLine.qty)), ids, span)
            .group_by(OrderPayment.kind, day, OrderLine.sku_code)).all()
        codes = sorted({r[2] for r in sku_rows})
        names = dict(s.execute(select(Sku.code, Sku.name).where(Sku.code.in_(codes)))
                     .all()) if codes else {}
        skus = _breakdown("sku", sku_rows, names)
        option = func.coalesce(Sku.spec, "").label("option")
        options = _breakdown("option", s.execute(_counted(lines.add_columns(
            OrderPayment.kind, day, option, func.count(func.distinct(Order.id)),
            func.count(func.distinct(converted)), func.sum(OrderLine.qty)), ids, span)
            .group_by(OrderPayment.kind, day, option)))

        # Refunded and cancelled, of the orders whose deposit is counted (one row an order).
        # A split order's refund or cancellation lands on its parts, which carry the status
        # and the intercept: the order counts once if any part has it (the parts summed up
        # by their parent through the parent_id index, then joined).
        part = aliased(Order)

        def stopped(o: Any) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
            return (o.intercept == "refund_requested",
                    or_(o.status == OrderStatus.CANCELLED.value, o.intercept == "cancelled"))

        part_refunded, part_cancelled = stopped(part)
        parts = (select(part.parent_id.label("parent_id"),
                        func.max(case((part_refunded, 1), else_=0)).label("refunded"),
                        func.max(case((part_cancelled, 1), else_=0)).label("cancelled"))
                 .where(part.parent_id.is_not(None), part.campaign_id.in_(ids))
                 .group_by(part.parent_id).subquery())
        refunded = or_(stopped(Order)[0], OrderPayment.status == "refunded",
                       balance.status == "refunded", parts.c.refunded == 1)
        cancelled = or_(stopped(Order)[1], parts.c.cancelled == 1)
        deposits = _counted(paid.outerjoin(parts, parts.c.parent_id == Order.id).add_columns(
            Order.campaign_id, func.sum(case((refunded, 1), else_=0)),
            func.sum(case((cancelled, 1), else_=0))),
            ids, span).where(OrderPayment.kind == "deposit").group_by(Order.campaign_id)
        outcomes = {cid: (int(r or 0), int(c or 0)) for cid, r, c in s.execute(deposits)}

    campaigns = [CampaignDemand(
        code=row.code, name=row.name, kind=row.kind, stock_mode=row.stock_mode, sku=row.sku,
        demand=per_campaign.get(row.id, Demand()),
        deposit_fen=money.get((row.id, "deposit"), 0),
        balance_fen=money.get((row.id, "balance"), 0),
        refunded=outcomes.get(row.id, (0, 0))[0], cancelled=outcomes.get(row.id, (0, 0))[1])
        for row in found]
    return DemandReport(campaign=code, since=since, until=until, made_at=datetime.now(UTC),
                        campaigns=campaigns, days=_every_day(days), provinces=provinces,
                        skus=skus, options=options)


def _every_day(days: dict[date, Demand]) -> dict[date, Demand]:
    """Each day from the first to the last, a day with nothing paid included (a chart and a
    production plan read the gaps too)."""
    if not days:
        return {}
    first, last = min(days), max(days)
    return {first + timedelta(n): days.get(first + timedelta(n), Demand())
            for n in range((last - first).days + 1)}




# ------------------------------------------------------------------ the workbook

# Sheet names and column headers: Chinese first, English on the header's second line — the
# supplier's planners read the Chinese, the buyer's head office the English.
SHEETS = {"summary": "汇总 Summary", "days": "按日 By day", "province": "按省份 By province",
          "sku": "按SKU By SKU", "option": "按规格 By option"}
KIND_WORDS = {"deposit": "定金预售 Deposit", "full": "全款预售 Full payment"}
MODE_WORDS = {"pool": "虚拟库存池 Pool", "real": "真实库存预占 Real stock"}
DEMAND_HEADERS = ("定金订单\nDeposit orders", "定金件数\nDeposit units",
                  "尾款已付订单\nBalance paid orders", "尾款已付件数\nBalance paid units",
                  "其中定金订单已付尾款\nOf these deposits, balance paid",
                  "转化率\nConversion")
COHORT_NOTE = ("转化率：所列定金订单中，截至报表生成时已付尾款的比例（无论尾款哪天付）。"
               "尾款已付订单：当日/期间内付尾款的订单。\n"
               "Conversion: of the deposits listed, the share whose balance has been paid by "
               "the time the report was made (whenever it was paid). Balance paid orders: "
               "balances paid on the day / in the period.")
KEY_HEADERS = {"province": ("省份\nProvince",), "sku": ("SKU", "商品名称\nProduct"),
               "option": ("规格\nOption",)}
DAY_HEADER = "日期\nDate"
YUAN = "#,##0.00"
PERCENT = "0.0%"


def _demand_cells(d: Demand) -> list[Any]:
    return [d.deposit_orders, d.deposit_units, d.balance_orders, d.balance_units,
            d.converted, d.conversion]


def export_xlsx(report: DemandReport, path: str | Path) -> Path:
    """Write the report as an .xlsx workbook at `path` (replaced if it exists): sheets
    汇总 Summary, 按日 By day, 按省份 By province, 按SKU By SKU and 按规格 By option, every
    figure a number (money in yuan, conversion a fraction shown as a percentage), every day a
    date. Returns the path written."""
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]

    from app.domain.china_time import in_china

    target = Path(path)
    wb = Workbook()
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="center")

    def header(ws: Any, row: int, titles: Iterable[str]) -> None:
        for col, title in enumerate(titles, 1):
            cell = ws.cell(row=row, column=col, value=title)
            cell.font, cell.alignment = bold, wrap
        ws.row_dimensions[row].height = 32

    def widths(ws: Any, *sizes: int) -> None:
        from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

        for col, size in enumerate(sizes, 1):
            ws.column_dimensions[get_column_letter(col)].width = size

    def shape(ws: Any, row: int, first: int) -> None:
        """Number formats of one demand row whose figures start at column `first`."""
        ws.cell(row=row, column=first + 5).number_format = PERCENT

    ws = wb.active
    ws.title = SHEETS["summary"]
    ws.append(["预售需求报表 Presale demand report"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["活动 Campaign", report.campaign or "全部 All"])
    ws.append(["起 Since", report.since, "止 Until", report.until])
    ws.append(["生成时间 Made at", in_china(report.made_at).replace(tzinfo=None)])
    ws.append([COHORT_NOTE])
    for cell in (ws["B3"], ws["D3"]):
        cell.number_format = "yyyy-mm-dd"
    ws["B4"].number_format = "yyyy-mm-dd hh:mm"
    ws.append([])
    top = ws.max_row + 1
    header(ws, top, ("活动编号\nCampaign", "名称\nName", "类型\nKind", "库存模式\nStock mode",
                     "SKU", *DEMAND_HEADERS[:2], "定金金额(元)\nDeposits (yuan)",
                     *DEMAND_HEADERS[2:4], "尾款金额(元)\nBalances (yuan)",
                     *DEMAND_HEADERS[4:], "退款订单\nRefunded", "取消订单\nCancelled"))
    for c in report.campaigns:
        d = c.demand
        ws.append([c.code, c.name, KIND_WORDS.get(c.kind, c.kind),
                   MODE_WORDS.get(c.stock_mode, c.stock_mode), c.sku, d.deposit_orders,
                   d.deposit_units, c.deposit_fen / 100, d.balance_orders, d.balance_units,
                   c.balance_fen / 100, d.converted, d.conversion, c.refunded, c.cancelled])
        row = ws.max_row
        ws.cell(row=row, column=8).number_format = YUAN
        ws.cell(row=row, column=11).number_format = YUAN
        ws.cell(row=row, column=13).number_format = PERCENT
    if len(report.campaigns) > 1:
        t = report.total
        ws.append(["合计 Total", "", "", "", "", t.deposit_orders, t.deposit_units,
                   sum(c.deposit_fen for c in report.campaigns) / 100, t.balance_orders,
                   t.balance_units, sum(c.balance_fen for c in report.campaigns) / 100,
                   t.converted, t.conversion, sum(c.refunded for c in report.campaigns),
                   sum(c.cancelled for c in report.campaigns)])
        row = ws.max_row
        for col in range(1, 16):
            ws.cell(row=row, column=col).font = bold
        ws.cell(row=row, column=8).number_format = YUAN
        ws.cell(row=row, column=11).number_format = YUAN
        ws.cell(row=row, column=13).number_format = PERCENT
    ws.freeze_panes = ws.cell(row=top + 1, column=2)
    widths(ws, 16, 30, 16, 18, 14, 12, 12, 16, 14, 14, 16, 16, 12, 12, 12)

    ws = wb.create_sheet(SHEETS["days"])
    header(ws, 1, (DAY_HEADER, *DEMAND_HEADERS))
    for day, d in report.days.items():
        ws.append([day, *_demand_cells(d)])
        ws.cell(row=ws.max_row, column=1).number_format = "yyyy-mm-dd"
        shape(ws, ws.max_row, 2)
    ws.freeze_panes = "A2"
    widths(ws, 14, 12, 12, 16, 16, 18, 12)

    for name, breakdown in (("province", report.provinces), ("sku", report.skus),
                            ("option", report.options)):
        ws = wb.create_sheet(SHEETS[name])
        keys = KEY_HEADERS[name]
        header(ws, 1, (*keys, *DEMAND_HEADERS))
        for key, d in breakdown.totals.items():
            named = [key, breakdown.names.get(key, "")] if name == "sku" else [key]
            ws.append([*named, *_demand_cells(d)])
            shape(ws, ws.max_row, len(keys) + 1)
        # The same per China day, one row per day and key: a pivot table's source.
        ws.append([])
        ws.append(["按日 By day"])
        ws.cell(row=ws.max_row, column=1).font = bold
        header(ws, ws.max_row + 1, (DAY_HEADER, *keys, *DEMAND_HEADERS))
        for day, row in breakdown.by_day.items():
            for key, d in row.items():
                named = [key, breakdown.names.get(key, "")] if name == "sku" else [key]
                ws.append([day, *named, *_demand_cells(d)])
                ws.cell(row=ws.max_row, column=1).number_format = "yyyy-mm-dd"
                shape(ws, ws.max_row, len(keys) + 2)
        ws.freeze_panes = "A2"
        widths(ws, 14, 24 if name == "sku" else 12, *([12] * 7))
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    wb.save(partial)
    partial.replace(target)  # a reader never opens half a workbook
    return target
