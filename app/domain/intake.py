"""Reading orders from channel files: JSON Lines (one order a line) and CSV (one order line a row).

Parsing is pure: text in, `OrderDraft`s and `RowError`s out. A broken row is named with its
line number and reason and never stops the good rows; the service layer stores the drafts.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

from app.domain.money import parse_yuan

CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")
# Platforms promise shipment within 48 h of payment unless the order says otherwise.
DEFAULT_SHIP_WITHIN = timedelta(hours=48)

RECEIVER_FIELDS = ("name", "phone", "province", "city", "district", "address")
# The central columns' widths: a longer value is a broken row here, not a failed batch later.
RECEIVER_LIMITS = {"name": 100, "phone": 32, "province": 64, "city": 64, "district": 64,
                   "address": 300}
CSV_RECEIVER_COLUMNS = {
    "receiver_name": "name", "receiver_phone": "phone", "province": "province",
    "city": "city", "district": "district", "address": "address",
}
CSV_REQUIRED = ("channel", "channel_order_no", "receiver_name", "receiver_phone", "province",
                "city", "district", "address", "sku", "qty", "price")
CSV_COLUMNS = (
    "channel", "shop", "channel_order_no", "buyer", "receiver_name", "receiver_phone",
    "province", "city", "district", "address", "sku", "qty", "price", "amount", "discount",
    "paid_at", "vip_level", "remark", "promised_ship_by", "presale_campaign",
    "deposit_paid_at", "balance_paid_at",
)


@dataclass(frozen=True, slots=True)
class Receiver:
    name: str
    phone: str
    province: str
    city: str
    district: str
    address: str


@dataclass(frozen=True, slots=True)
class LineDraft:
    sku: str
    qty: int
    price_fen: int


@dataclass(frozen=True, slots=True)
class PresaleDraft:
    campaign: str
    deposit_paid_at: datetime | None
    balance_paid_at: datetime | None


@dataclass(frozen=True, slots=True)
class OrderDraft:
    channel: str
    shop: str
    channel_order_no: str
    buyer: str
    receiver: Receiver
    lines: tuple[LineDraft, ...]
    amount_fen: int
    discount_fen: int
    paid_at: datetime | None
    vip_level: int
    remark: str
    promised_ship_by: datetime | None
    presale: PresaleDraft | None
    source_line: int = 0

    @property
    def goods_fen(self) -> int:
        return sum(line.price_fen * line.qty for line in self.lines)

    @property
    def units(self) -> int:
        return sum(line.qty for line in self.lines)


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    reason: str
    channel_order_no: str | None = None


@dataclass(slots=True)
class ParseResult:
    drafts: list[OrderDraft] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


class RowInvalid(ValueError):
    """One row cannot be read; the message is what the person fixing the file needs."""


def _text(value: object, name: str, *, required: bool = True, limit: int = 500) -> str:
    if value is None:
        if required:
            raise RowInvalid(f"{name} is missing")
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise RowInvalid(f"{name} must be text, got {type(value).__name__}")
    text = str(value).strip()
    if required and not text:
        raise RowInvalid(f"{name} is empty")
    if len(text) > limit:
        raise RowInvalid(f"{name} is longer than {limit} characters")
    return text


def parse_qty(value: object, name: str = "qty") -> int:
    if isinstance(value, bool):
        raise RowInvalid(f"{name} must be a positive integer, got {value!r}")
    if isinstance(value, int):
        qty = value
    elif isinstance(value, str) and value.strip().isdecimal():
        qty = int(value.strip())
    elif isinstance(value, float) and value.is_integer():
        qty = int(value)
    else:
        raise RowInvalid(f"{name} must be a positive integer, got {value!r}")
    if qty <= 0:
        raise RowInvalid(f"{name} must be a positive integer, got {value!r}")
    if qty > 100_000:
        raise RowInvalid(f"{name} {qty} is out of range")
    return qty


def _money(value: object, name: str, *, default: int | None = None) -> int:
    if value is None or (isinstance(value, str) and not value.strip()):
        if default is None:
            raise RowInvalid(f"{name} is missing")
        return default
    try:
        return parse_yuan(value, field=name)
    except ValueError as exc:
        raise RowInvalid(str(exc)) from None


def parse_time(value: object, name: str) -> datetime | None:
    """ISO 8601; a time without an offset is China time, as the platforms write it."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise RowInvalid(f"{name} must be an ISO 8601 time, got {value!r}")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise RowInvalid(f"{name} {value!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=CHINA_TZ)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise RowInvalid(f"{name} {value!r} is out of range") from None


def _vip(value: object) -> int:
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        raise RowInvalid(f"vip_level must be an integer 0-10, got {value!r}")
    try:
        level = int(str(value).strip())
    except ValueError:
        raise RowInvalid(f"vip_level must be an integer 0-10, got {value!r}") from None
    if not 0 <= level <= 10:
        raise RowInvalid(f"vip_level must be an integer 0-10, got {value!r}")
    return level


def _presale(value: object) -> PresaleDraft | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise RowInvalid("presale must be an object or null")
    return PresaleDraft(
        campaign=_text(value.get("campaign"), "presale.campaign", limit=64),
        deposit_paid_at=parse_time(value.get("deposit_paid_at"), "presale.deposit_paid_at"),
        balance_paid_at=parse_time(value.get("balance_paid_at"), "presale.balance_paid_at"),
    )


def build_draft(record: Mapping[str, object], lines: list[LineDraft], receiver: Receiver,
                presale: PresaleDraft | None, source_line: int) -> OrderDraft:
    """The order-level fields shared by both file forms."""
    if not lines:
        raise RowInvalid("the order has no lines")
    channel = _text(record.get("channel"), "channel", limit=32).lower()
    goods = sum(line.price_fen * line.qty for line in lines)
    discount = _money(record.get("discount"), "discount", default=0)
    amount = _money(record.get("amount"), "amount", default=max(goods - discount, 0))
    paid_at = parse_time(record.get("paid_at"), "paid_at")
    promised = parse_time(record.get("promised_ship_by"), "promised_ship_by")
    if promised is None and paid_at is not None:
        try:
            promised = paid_at + DEFAULT_SHIP_WITHIN
        except OverflowError:
            raise RowInvalid("paid_at is out of range") from None
    return OrderDraft(
        channel=channel,
        shop=_text(record.get("shop"), "shop", required=False, limit=100) or channel,
        channel_order_no=_text(record.get("channel_order_no"), "channel_order_no", limit=64),
        buyer=_text(record.get("buyer"), "buyer", required=False, limit=100),
        receiver=receiver,
        lines=tuple(lines),
        amount_fen=amount,
        discount_fen=discount,
        paid_at=paid_at,
        vip_level=_vip(record.get("vip_level")),
        remark=_text(record.get("remark"), "remark", required=False, limit=1000),
        promised_ship_by=promised,
        presale=presale,
        source_line=source_line,
    )


def _json_order(record: object, line_no: int) -> OrderDraft:
    if not isinstance(record, Mapping):
        raise RowInvalid("expected a JSON object")
    receiver_raw = record.get("receiver")
    if not isinstance(receiver_raw, Mapping):
        raise RowInvalid("receiver is missing")
    receiver = Receiver(**{
        key: _text(receiver_raw.get(key), f"receiver.{key}", limit=RECEIVER_LIMITS[key])
        for key in RECEIVER_FIELDS
    })
    raw_lines = record.get("lines")
    if not isinstance(raw_lines, list) or not raw_lines:
        raise RowInvalid("the order has no lines")
    lines = []
    for i, raw in enumerate(raw_lines, 1):
        if not isinstance(raw, Mapping):
            raise RowInvalid(f"lines[{i}] must be an object")
        lines.append(LineDraft(
            sku=_text(raw.get("sku"), f"lines[{i}].sku", limit=64),
            qty=parse_qty(raw.get("qty"), f"lines[{i}].qty"),
            price_fen=_money(raw.get("price"), f"lines[{i}].price"),
        ))
    return build_draft(record, lines, receiver, _presale(record.get("presale")), line_no)


def parse_jsonl(text_lines: Iterable[str]) -> ParseResult:
    result = ParseResult()
    for line_no, raw in enumerate(text_lines, 1):
        if not raw.strip():
            continue
        order_no: str | None = None
        try:
            try:
                record = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise RowInvalid(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
            except RecursionError:
                raise RowInvalid("not an order: JSON nested too deeply") from None
            if isinstance(record, Mapping) and isinstance(record.get("channel_order_no"), str):
                order_no = record["channel_order_no"]
            result.drafts.append(_json_order(record, line_no))
        except RowInvalid as exc:
            result.errors.append(RowError(line_no, str(exc), order_no))
    return result


def _csv_groups(reader: csv.DictReader[str]) -> Iterator[tuple[tuple[str, str],
                                                              list[tuple[int, dict[str, str]]]]]:
    """Rows grouped by (channel, channel_order_no) in file order; line numbers count the header."""
    groups: dict[tuple[str, str], list[tuple[int, dict[str, str]]]] = {}
    for row in reader:
        line_no = reader.line_num
        key = ((row.get("channel") or "").strip().lower(),
               (row.get("channel_order_no") or "").strip())
        groups.setdefault(key, []).append((line_no, row))
    yield from groups.items()


def parse_csv(text: str) -> ParseResult:
    result = ParseResult()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = reader.fieldnames or []
    missing = [c for c in CSV_REQUIRED if c not in header]
    if missing:
        result.errors.append(RowError(1, f"CSV header lacks column(s): {', '.join(missing)}"))
        return result
    for (_channel, order_no), rows in _csv_groups(reader):
        first_line, first = rows[0]
        lines: list[LineDraft] = []
        broken: list[RowError] = []
        for line_no, row in rows:
            try:
                if None in row:
                    raise RowInvalid("more fields than the header has")
                if not order_no:
                    raise RowInvalid("channel_order_no is missing")
                lines.append(LineDraft(
                    sku=_text(row.get("sku"), "sku", limit=64),
                    qty=parse_qty(row.get("qty")),
                    price_fen=_money(row.get("price"), "price"),
                ))
            except RowInvalid as exc:
                broken.append(RowError(line_no, str(exc), order_no or None))
        if not broken:
            try:
                receiver = Receiver(**{
                    field_name: _text(first.get(column), column,
                                      limit=RECEIVER_LIMITS[field_name])
                    for column, field_name in CSV_RECEIVER_COLUMNS.items()
                })
                campaign = (first.get("presale_campaign") or "").strip()
                presale = _presale({
                    "campaign": campaign,
                    "deposit_paid_at": first.get("deposit_paid_at"),
                    "balance_paid_at": first.get("balance_paid_at"),
                }) if campaign else None
                result.drafts.append(build_draft(first, lines, receiver, presale, first_line))
                continue
            except RowInvalid as exc:
                broken.append(RowError(first_line, str(exc), order_no or None))
        # One bad line spoils its order: shipping part of an order is the engine's decision.
        result.errors.extend(broken)
        bad_lines = {e.line for e in broken}
        for line_no, _row in rows:
            if line_no not in bad_lines:
                result.errors.append(RowError(
                    line_no, f"skipped: order {order_no} has a broken row", order_no or None))
    result.errors.sort(key=lambda e: e.line)
    return result


def json_array_lines(text: str) -> list[str] | None:
    """A `.json` file holding one array of orders, as one line per order (errors then count
    items, not lines); None when the text is not such an array."""
    if not text.lstrip("\ufeff \t\r\n").startswith("["):
        return None
    try:
        items = json.loads(text.lstrip("\ufeff"))
    except (json.JSONDecodeError, RecursionError):
        return None
    if not isinstance(items, list):
        return None
    return [json.dumps(item, ensure_ascii=False) for item in items]


def detect_format(filename: str, head: str) -> str:
    """'jsonl' or 'csv', from the file name, else from the first character."""
    lower = filename.lower()
    if lower.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if lower.endswith(".csv"):
        return "csv"
    return "jsonl" if head.lstrip("\ufeff \t\r\n").startswith("{") else "csv"
