"""Reading the platforms' own order exports (.xlsx, Chinese headers) into order drafts.

The same drafts, refusals and report as a CSV file (app/domain/intake.py), with the sheet's
row numbers (the header is row 1). The export is recognised by its header row, not by the
file's name (docs/import.md has the mapping tables):

- Taobao/Tmall 订单导出 (订单编号, 收货人姓名, 收货地址, 联系手机, …): one row per order whose
  商家编码 and 宝贝总数量 name one SKU; or one row per item when the sheet has 购买数量 and
  价格 (the item report's columns), the rows of one order consecutive. 收货地址 is one line,
  split by `app.domain.address`. The channel is tmall when a 店铺类型 / 平台 column says 天猫.
- Pinduoduo 订单导出 (订单号, 商家编码-SKU维度, 商品数量(件), 省, 市, 区, 街道, …): one row per
  order line, the address already split; channel pdd.

Cells are read by their type: an integer is its digits (an 19-digit order number stays whole),
a float that stands for an integer is its digits unless it is too large to hold them (then the
row is refused: the spreadsheet has already lost digits), a date-time is China time when it
carries no zone. A phone written with Excel's leading apostrophe ('13800138000) loses it.
Receivers the platform masks (张**, 138****8000) are refused: the export hides the receiver.
Only orders waiting to ship are imported; unpaid, shipped or closed ones are refused by their
status.

openpyxl reads the workbook in read-only mode, one row at a time.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import BinaryIO

from app.domain.address import split_address
from app.domain.intake import (
    RECEIVER_FIELDS,
    RECEIVER_LIMITS,
    Key,
    LineDraft,
    ParseResult,
    Receiver,
    RowError,
    RowInvalid,
    _Collector,
    _folded,
    _key,
    _money,
    _ref,
    _text,
    build_draft,
    parse_qty,
)

SHEET_NAMES = ("订单", "订单列表")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
# Integers a float holds exactly; beyond this a number in a cell has lost digits.
_EXACT = 2 ** 53


class NotAWorkbook(ValueError):
    """The file is not an .xlsx workbook openpyxl can read."""


@dataclass(frozen=True, slots=True)
class HeaderSet:
    """One platform export's columns: which header means which order field."""

    name: str
    channel: str
    order_no: str
    required: tuple[str, ...]
    # Alternatives: the first column the sheet has is read.
    amount: tuple[str, ...]
    paid_at: tuple[str, ...]
    remark: tuple[str, ...]


TAOBAO = HeaderSet(
    name="taobao", channel="taobao", order_no="订单编号",
    required=("订单编号", "收货人姓名", "收货地址", "联系手机", "商家编码"),
    amount=("买家实际支付金额", "买家应付货款", "总金额"),
    paid_at=("订单付款时间",),
    remark=("订单备注", "卖家备注"),
)
PDD = HeaderSet(
    name="pdd", channel="pdd", order_no="订单号",
    required=("订单号", "收货人", "手机", "省", "市", "区", "街道", "商品数量(件)"),
    amount=("商家实收金额(元)", "商品总价(元)"),
    paid_at=("支付时间",),
    remark=("商家备注",),
)

# Platform statuses of orders that are not waiting to ship (checked as substrings).
_NOT_TO_SHIP = ("等待买家付款", "待付款", "未付款", "已发货", "已签收", "交易成功", "交易关闭",
                "已关闭", "已取消", "已退款")
_MASK = "*"
_COLUMN_OF = {"taobao": {"name": "收货人姓名", "phone": "联系手机", "address": "收货地址"},
              "pdd": {"name": "收货人", "phone": "手机", "address": "街道"}}
_APOSTROPHES = ("'", "\u2018", "\u2019")
_POSTCODE = re.compile(r"[(（]\s*\d{6}\s*[)）]\s*$")
_SEVERAL = re.compile(r"[;；,，、|\n]")
_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M",
                 "%Y-%m-%d", "%Y/%m/%d")


def _header_name(value: object) -> str:
    text = "" if value is None else str(value)
    return "".join(text.split()).replace("（", "(").replace("）", ")")


def recognise(header: Sequence[str]) -> HeaderSet | None:
    names = set(header)
    if "订单号" in names and ("商家编码-SKU维度" in names or "商品数量(件)" in names):
        return PDD
    if "订单编号" in names and ({"收货地址", "收货人姓名", "商家编码", "宝贝标题"} & names):
        return TAOBAO
    return None


# --------------------------------------------------------------------------- cells


def cell_text(value: object, name: str, *, identifier: bool = False) -> str | None:
    """A cell as text by its type; `identifier` (order numbers, phones, SKUs) drops Excel's
    leading apostrophe and refuses a number that has lost digits."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise RowInvalid(f"{name} is not a number", "intake.field_not_text", field=name,
                             kind="NaN")
        if value.is_integer():
            if abs(value) >= _EXACT and identifier:
                raise RowInvalid(
                    f"{name} {value:.15g} was stored as a number and has lost its last digits "
                    f"(a spreadsheet keeps 15): export the column as text",
                    "intake.number_lost_digits", field=name, value=f"{value:.15g}")
            return str(int(value))
        return repr(round(value, 2)) if abs(value - round(value, 2)) < 1e-9 else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    text = str(value)
    if identifier:
        text = text.strip()
        if text.startswith(_APOSTROPHES):
            text = text[1:]
        if text.startswith("\t"):
            text = text[1:]
    return text


def cell_time(value: object, name: str) -> str | None:
    """A time cell as ISO 8601 (no zone: China time, as `build_draft` reads it)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day).isoformat()
    if isinstance(value, str):
        text = value.strip()
        for fmt in _TIME_FORMATS:
            try:
                return datetime.strptime(text, fmt).isoformat()
            except ValueError:
                continue
        return text  # ISO with a zone, or refused by build_draft naming the column
    raise RowInvalid(f"{name} must be a date and time, got {value!r}", "intake.bad_time",
                     field=name, value=repr(value)[:80])


def cell_money(value: object, name: str) -> str | None:
    if isinstance(value, str):
        return value.strip().removeprefix("¥").removeprefix("￥") or None
    return cell_text(value, name)


# --------------------------------------------------------------------------- rows


@dataclass(slots=True)
class _SheetRow:
    line: int
    key: Key | None
    order_no: str | None
    record: dict[str, object]  # build_draft's fields
    receiver: tuple[str | None, ...]  # as compared between the rows of one order
    receiver_raw: dict[str, str]
    line_draft: LineDraft | None
    problem: RowInvalid | None


class _Row:
    """One sheet row's cells by header name."""

    def __init__(self, header: Sequence[str], values: Sequence[object]) -> None:
        self.cells = dict(zip(header, values, strict=False))

    def get(self, *names: str) -> object:
        for name in names:
            value = self.cells.get(name)
            if value is not None and not (isinstance(value, str) and not value.strip()):
                return value
        return None

    def text(self, *names: str, identifier: bool = False) -> str | None:
        for name in names:
            text = cell_text(self.cells.get(name), name, identifier=identifier)
            if text is not None and text.strip():
                return text
        return None

    def first_of(self, names: Sequence[str]) -> str:
        return next((n for n in names if n in self.cells), names[0])


def _masked(receiver: dict[str, str]) -> str | None:
    for field_name in ("name", "phone", "address"):
        if _MASK in receiver.get(field_name, ""):
            return field_name
    return None


def _status_refusal(status: str | None) -> RowInvalid | None:
    if not status:
        return None
    if "待发货" in status or "等待卖家发货" in status:
        return None
    if any(word in status for word in _NOT_TO_SHIP):
        return RowInvalid(f"the order is “{status}” on the platform: only orders waiting to "
                          f"ship are imported", "intake.sheet_status", status=status)
    return None


def _taobao_channel(row: _Row) -> str:
    kind = row.text("店铺类型", "平台", "订单来源") or ""
    return "tmall" if "天猫" in kind or "tmall" in kind.lower() else "taobao"


def _taobao_receiver(row: _Row) -> dict[str, str]:
    address = row.text("收货地址") or ""
    phone = row.text("联系手机", identifier=True) or row.text("联系电话", identifier=True) or ""
    receiver = {"name": row.text("收货人姓名") or "", "phone": phone, "address": address}
    if _masked(receiver) is not None:
        return receiver
    line = _POSTCODE.sub("", address).strip()
    split = split_address(line) if line else None
    if split is None or not split.city or not split.district:
        raise RowInvalid(f"收货地址 {address!r} does not start with a province, city and "
                         f"district Packline knows (e.g. 浙江省 杭州市 西湖区 文三路90号)",
                         "intake.address_unsplit", address=address[:80])
    receiver.update(province=split.province, city=split.city, district=split.district,
                    address=split.street)
    return receiver


def _pdd_receiver(row: _Row) -> dict[str, str]:
    return {"name": row.text("收货人") or "", "phone": row.text("手机", identifier=True) or "",
            "province": row.text("省") or "", "city": row.text("市") or "",
            "district": row.text("区") or "", "address": row.text("街道") or ""}


def _taobao_line(row: _Row, per_item: bool) -> LineDraft:
    sku = _text(row.text("商家编码", identifier=True), "商家编码", limit=64)
    if per_item:
        qty = parse_qty(row.get("购买数量"), "购买数量")
        return LineDraft(sku, qty, _money(cell_money(row.get("价格"), "价格"), "价格"))
    kinds = row.get("宝贝种类")
    several = _SEVERAL.search(sku) is not None
    if (kinds is not None and parse_qty(kinds, "宝贝种类") > 1) or several:
        count = parse_qty(kinds, "宝贝种类") if kinds is not None else len(_SEVERAL.split(sku))
        raise RowInvalid(f"the row lists {count} kinds of goods in one order: export the item "
                         f"report (宝贝报表, one row per item) with 购买数量 and 价格",
                         "intake.sheet_several_items", count=count)
    qty = parse_qty(row.get("宝贝总数量") if row.get("宝贝总数量") is not None else 1,
                    "宝贝总数量")
    goods_col = row.first_of(("总金额", "买家应付货款", "买家实际支付金额"))
    goods = _money(cell_money(row.get("总金额", "买家应付货款", "买家实际支付金额"), goods_col),
                   goods_col)
    return LineDraft(sku, qty, goods // qty)


def _pdd_line(row: _Row) -> LineDraft:
    sku = _text(row.text("商家编码-SKU维度", "商家编码-商品维度", "商家编码", identifier=True),
                "商家编码-SKU维度", limit=64)
    qty = parse_qty(row.get("商品数量(件)"), "商品数量(件)")
    total_col = row.first_of(("商品总价(元)", "商家实收金额(元)"))
    total = _money(cell_money(row.get("商品总价(元)", "商家实收金额(元)"), total_col), total_col)
    return LineDraft(sku, qty, total // qty)


def _sheet_row(kind: HeaderSet, per_item: bool, row: _Row, line: int,
               shop: str | None) -> _SheetRow:
    order_no_raw: str | None = None
    key: Key | None = None
    channel = kind.channel
    try:
        order_no_raw = row.text(kind.order_no, identifier=True)
        if kind is TAOBAO:
            channel = _taobao_channel(row)
        key = _key(channel, order_no_raw)
    except RowInvalid as exc:
        return _SheetRow(line, None, None, {}, (), {}, None, exc)
    order_no = _ref(order_no_raw)
    try:
        refusal = _status_refusal(row.text("订单状态"))
        if refusal is not None:
            raise refusal
        receiver = _taobao_receiver(row) if kind is TAOBAO else _pdd_receiver(row)
        masked = _masked(receiver)
        if masked is not None:
            masked = _COLUMN_OF[kind.name][masked]
            raise RowInvalid(f"the export hides the receiver ({masked} is masked): pull the "
                             f"shop's orders through its platform instead",
                             "intake.masked_receiver", field=masked)
        amount_col = row.first_of(kind.amount)
        paid_col = row.first_of(kind.paid_at)
        record: dict[str, object] = {
            "channel": channel,
            "shop": row.text("店铺名称") or shop,
            "channel_order_no": order_no_raw,
            "buyer": row.text("买家会员名", "买家昵称"),
            "amount": cell_money(row.get(*kind.amount), amount_col),
            "paid_at": cell_time(row.get(*kind.paid_at), paid_col),
            "remark": " / ".join(t for t in (row.text(c) for c in kind.remark) if t),
        }
        line_draft = _taobao_line(row, per_item) if kind is TAOBAO else _pdd_line(row)
        compared = tuple(_folded(receiver.get(f, ""), f) for f in RECEIVER_FIELDS)
        return _SheetRow(line, key, order_no, record, compared, receiver, line_draft, None)
    except RowInvalid as exc:
        return _SheetRow(line, key, order_no, {}, (), {}, None, exc)


def _groups(rows: Iterable[_SheetRow]) -> Iterator[list[_SheetRow]]:
    """Consecutive rows of one order (same channel and order number)."""
    group: list[_SheetRow] = []
    for row in rows:
        if group and (row.key is None or row.key != group[-1].key):
            yield group
            group = []
        group.append(row)
    if group:
        yield group


def _order(rows: list[_SheetRow], found: _Collector) -> None:
    first = rows[0]
    broken: list[RowError] = []
    head = next((r for r in rows if r.problem is None), None)
    for row in rows:
        if row.problem is not None:
            broken.append(row.problem.at(row.line, row.order_no))
        elif first.key is None:
            broken.append(RowInvalid("the order number is missing", "intake.field_missing",
                                     field="order number").at(row.line))
        elif head is not None and row.receiver != head.receiver:
            broken.append(RowInvalid(
                f"the receiver differs from row {head.line} of the same order (rows of one "
                f"order share the receiver)", "intake.receiver_differs", first=head.line)
                .at(row.line, row.order_no))
    if not broken and head is not None:
        try:
            receiver = Receiver(**{
                f: _text(head.receiver_raw.get(f), f"receiver.{f}", limit=RECEIVER_LIMITS[f])
                for f in RECEIVER_FIELDS})
            lines = [r.line_draft for r in rows if r.line_draft is not None]
            found.draft(build_draft(head.record, lines, receiver, None, first.line))
            return
        except RowInvalid as exc:
            broken.append(exc.at(first.line, first.order_no))
    bad = {e.line for e in broken}
    skipped = [RowError(r.line, f"skipped: order {first.order_no} has a broken row",
                        first.order_no, code="intake.skipped",
                        params={"order": first.order_no or "-"})
               for r in rows if r.line not in bad]
    found.broken(broken + skipped, first.key)


def parse_rows(rows: Iterable[Sequence[object]], *, shop: str | None = None) -> ParseResult:
    """A sheet's rows (row 1 first, blank rows included so that numbers stay the sheet's)."""
    found = _Collector()
    numbered = enumerate(rows, 1)
    header: list[str] | None = None
    header_line = 0
    for line, values in numbered:
        if any(v is not None and str(v).strip() for v in values):
            header, header_line = [_header_name(v) for v in values], line
            break
    if header is None:
        return found.result()
    kind = recognise(header)
    if kind is None:
        found.broken([RowInvalid(
            "the header row names neither a Taobao/Tmall order export (订单编号, 收货人姓名, "
            "收货地址, …) nor a Pinduoduo one (订单号, 商家编码-SKU维度, 省, 市, 区, …)",
            "intake.sheet_unknown").at(header_line)], None)
        return found.result()
    missing = [c for c in kind.required if c not in header]
    if not any(c in header for c in kind.amount):
        missing.append(" / ".join(kind.amount))
    per_item = kind is TAOBAO and "购买数量" in header and "价格" in header
    if kind is TAOBAO and not per_item and "宝贝总数量" not in header:
        missing.append("宝贝总数量 (or 购买数量 and 价格)")
    if missing:
        columns = ", ".join(missing)
        found.broken([RowInvalid(f"the header row lacks column(s): {columns}",
                                 "intake.sheet_header_lacks", columns=columns)
                      .at(header_line)], None)
        return found.result()

    def sheet_rows() -> Iterator[_SheetRow]:
        for line, values in numbered:
            if any(v is not None and not (isinstance(v, str) and not v.strip())
                   for v in values):
                yield _sheet_row(kind, per_item, _Row(header, values), line, shop)

    for group in _groups(sheet_rows()):
        _order(group, found)
    return found.result()


def parse_xlsx(open_binary: Callable[[], AbstractContextManager[BinaryIO]], *,
               shop: str | None = None) -> ParseResult:
    """The order sheet of a workbook: the one named 订单 or 订单列表, else the first."""
    # Imported when a workbook is read: it is not needed to start the app.
    from openpyxl import load_workbook  # type: ignore[import-untyped]
    from openpyxl.utils.exceptions import InvalidFileException  # type: ignore[import-untyped]

    with open_binary() as stream:
        try:
            book = load_workbook(stream, read_only=True, data_only=True)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
            raise NotAWorkbook(f"not an .xlsx workbook ({exc})") from None
        try:
            name = next((n for n in SHEET_NAMES if n in book.sheetnames), book.sheetnames[0])
            sheet = book[name]
            # Exports often state a wrong sheet size: read each row as far as it goes.
            reset = getattr(sheet, "reset_dimensions", None)
            if reset is not None:
                reset()
            return parse_rows(sheet.iter_rows(values_only=True), shop=shop)
        finally:
            book.close()
