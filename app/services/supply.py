"""The supplier's side of a presale (预售供应): suppliers, the deliveries they confirmed per
campaign (entered one by one or imported from CSV / xlsx), the supplier board, a slipping
delivery raised in the exception queue (`supplier_delay`, one per affected open order, its
level from the slip, aged by `exceptions.escalate`), buyers flagged for compensation at
level 3 and exported for the shop, and each order's promised ship date recomputed from the
suppliers' dates and exported for the shop ("预计 11月10日 发货").

The rules are `app.domain.presale_supply`'s; this module reads and writes the rows."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import and_, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from app.domain import escalation
from app.domain import presale_supply as rules
from app.domain.china_time import CHINA_TZ, in_china
from app.domain.money import format_yuan
from app.domain.notes import Note
from app.domain.notes import encode as encode_notes
from app.domain.roles import Permission
from app.domain.status import OrderStatus
from app.services import audit, changes
from app.services.access import guarded
from app.services.changes import Change
from app.services.context import Actor
from app.services.errors import Conflict, InvalidInput, NotFound
from app.store.db import Database
from app.store.models import (
    Carrier,
    Order,
    OrderCompensation,
    OrderException,
    OrderPayment,
    PresaleCampaign,
    PresaleSupply,
    Shop,
    Supplier,
)

CATEGORY = "supplier_delay"
REASON = "supplier_delay"
# What a lead does with a supplier_delay exception (the order keeps its status).
ACTIONS = ("notify", "switch_supplier", "compensate")
# Orders that took no units: they are out of the campaign's queue.
_GONE = (OrderStatus.CANCELLED.value, OrderStatus.MERGED.value, OrderStatus.SPLIT.value)
# Orders whose buyer is not flagged for compensation (`compensable`).
NOT_COMPENSATED = (*_GONE, OrderStatus.SHIPPED.value)
NOT_COMPENSATED_INTERCEPTS = ("refund_requested", "cancelled")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def _today(now: datetime) -> date:
    return in_china(now).date()


# ---------------------------------------------------------------- suppliers


@dataclass(frozen=True, slots=True)
class SupplierView:
    code: str
    name: str
    phone: str
    active: bool

    def as_json(self) -> dict[str, object]:
        return {"code": self.code, "name": self.name, "phone": self.phone,
                "active": self.active}


@guarded(Permission.VIEW_ORDERS)
def list_suppliers(db: Database, actor: Actor) -> list[SupplierView]:
    with db.reader() as s:
        return [SupplierView(r.code, r.name, r.phone, r.active) for r in s.scalars(
            select(Supplier).order_by(Supplier.code))]


@guarded(Permission.EDIT_RULES)
def save_supplier(db: Database, actor: Actor, code: str, name: str | None = None, *,
                  phone: str | None = None, active: bool | None = None) -> SupplierView:
    """Add a supplier (code and name), or change a known one's name, phone or activity."""
    code = (code or "").strip().upper()
    if not _CODE.match(code):
        raise InvalidInput(f"supplier code {code!r}: 1 to 64 letters, digits, '_', '.', '-'",
                           code="supply.bad_code", value=code)
    with db.unit_of_work() as s:
        row = s.scalars(select(Supplier).where(Supplier.code == code)).first()
        before = None if row is None else f"{row.name}|{row.phone}|{row.active}"
        if row is None:
            if not (name or "").strip():
                raise InvalidInput(f"a new supplier {code} needs a name",
                                   code="supply.name_empty", supplier=code)
            row = Supplier(code=code, name=name.strip()[:200] if name else "",
                           phone=(phone or "").strip()[:64],
                           active=True if active is None else active)
            s.add(row)
        else:
            if name is not None and name.strip():
                row.name = name.strip()[:200]
            if phone is not None:
                row.phone = phone.strip()[:64]
            if active is not None:
                row.active = active
        s.flush()
        audit.record(s, actor, "supplier.saved", "supplier", code, before,
                     f"{row.name}|{row.phone}|{row.active}")
        return SupplierView(row.code, row.name, row.phone, row.active)


def _campaign(s: Session, code: str, *, lock: bool = False) -> PresaleCampaign:
    query = select(PresaleCampaign).where(PresaleCampaign.code == (code or "").strip().upper())
    row = s.scalars(query.with_for_update() if lock else query).first()
    if row is None:
        raise NotFound(f"no presale campaign {code}", code="supply.unknown_campaign",
                       campaign=code)
    return row


def _supplier(s: Session, code: str) -> Supplier:
    row = s.scalars(select(Supplier).where(
        Supplier.code == (code or "").strip().upper())).first()
    if row is None:
        raise NotFound(f"no supplier {code}", code="supply.unknown_supplier", supplier=code)
    return row


@guarded(Permission.EDIT_RULES)
def set_campaign_suppliers(db: Database, actor: Actor, campaign_code: str,
                           supplier_code: str, backup_code: str | None = None) -> None:
    """Name the campaign's supplier and its backup supplier (None: no backup)."""
    with db.unit_of_work() as s:
        changes.note(s, Change.CAMPAIGNS)
        c = _campaign(s, campaign_code, lock=True)
        main = _supplier(s, supplier_code)
        backup = _supplier(s, backup_code) if backup_code else None
        if backup is not None and backup.id == main.id:
            raise InvalidInput("the backup supplier must be another supplier",
                               code="supply.same_supplier", supplier=main.code)
        names = {i: code for i, code in s.execute(select(Supplier.id, Supplier.code))}
        before = f"{names.get(c.supplier_id or -1, '')}|{names.get(c.backup_supplier_id or -1, '')}"
        c.supplier_id, c.backup_supplier_id = main.id, backup.id if backup else None
        audit.record(s, actor, "campaign.suppliers_set", "campaign", c.code, before,
                     f"{main.code}|{backup.code if backup else ''}")


# ---------------------------------------------------------------- deliveries


@dataclass(frozen=True, slots=True)
class DeliveryView:
    id: int
    campaign: str
    supplier: str
    due_on: date
    expected_on: date
    qty: int
    in_transit: int
    arrived: int
    status: str
    note: str
    slip_hours: float = 0.0
    level: int = 0

    def as_json(self) -> dict[str, object]:
        return {"campaign": self.campaign, "supplier": self.supplier,
                "due_on": self.due_on.isoformat(), "expected_on": self.expected_on.isoformat(),
                "qty": self.qty, "in_transit": self.in_transit, "arrived": self.arrived,
                "status": self.status, "note": self.note, "slip_hours": self.slip_hours,
                "level": self.level}


@dataclass(frozen=True, slots=True)
class DeliveryInput:
    """One delivery as entered or read from a file (`row`: its line, 0 when typed)."""

    campaign: str
    supplier: str
    due_on: date
    qty: int
    in_transit: int = 0
    arrived: int = 0
    expected_on: date | None = None
    note: str = ""
    cancelled: bool = False
    row: int = 0


def _check_quantities(d: DeliveryInput) -> None:
    for name in ("qty", "in_transit", "arrived"):
        value = getattr(d, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidInput(f"{name} must be a whole number, 0 or more",
                               code="supply.bad_number", field=name, value=value)
    if d.in_transit + d.arrived > d.qty:
        raise InvalidInput(f"in transit ({d.in_transit}) and arrived ({d.arrived}) exceed "
                           f"the quantity ({d.qty})", code="supply.too_many", qty=d.qty,
                           in_transit=d.in_transit, arrived=d.arrived)


def _write_delivery(s: Session, actor: Actor, d: DeliveryInput, campaign: PresaleCampaign,
                    supplier: Supplier, now: datetime) -> bool:
    """Insert or update one delivery; True when it is new."""
    row = s.scalars(select(PresaleSupply).where(
        PresaleSupply.campaign_id == campaign.id, PresaleSupply.supplier_id == supplier.id,
        PresaleSupply.due_on == d.due_on).with_for_update()).first()
    status = rules.delivery_status(d.qty, d.in_transit, d.arrived, d.cancelled)
    before = None
    if row is None:
        row = PresaleSupply(campaign_id=campaign.id, supplier_id=supplier.id, due_on=d.due_on,
                            expected_on=d.expected_on or d.due_on)
        s.add(row)
    else:
        before = f"{row.expected_on.isoformat()}|{row.qty}|{row.in_transit_qty}|" \
                 f"{row.arrived_qty}|{row.status}"
        if d.expected_on is not None:
            row.expected_on = d.expected_on
    row.qty, row.in_transit_qty, row.arrived_qty = d.qty, d.in_transit, d.arrived
    row.status, row.note = status, d.note[:200]
    row.updated_at, row.updated_by = now, actor.user_id
    s.flush()
    after = f"{row.expected_on.isoformat()}|{row.qty}|{row.in_transit_qty}|" \
            f"{row.arrived_qty}|{row.status}"
    audit.record(s, actor, "supply.recorded", "campaign", campaign.code, before, after,
                 {"supplier": supplier.code, "due_on": d.due_on.isoformat(),
                  "slip_days": (row.expected_on - row.due_on).days})
    return before is None


@guarded(Permission.IMPORT_ORDERS)
def record_delivery(db: Database, actor: Actor, campaign_code: str, supplier_code: str,
                    due_on: date, qty: int, *, in_transit: int = 0, arrived: int = 0,
                    expected_on: date | None = None, note: str = "",
                    cancelled: bool = False) -> DeliveryView:
    """A delivery the supplier confirmed (or its news: in transit, arrived, a new expected
    date — a slip when later than due). Keyed by campaign, supplier and due date."""
    d = DeliveryInput(campaign_code, supplier_code, due_on, qty, in_transit, arrived,
                      expected_on, note, cancelled)
    _check_quantities(d)
    now = datetime.now(UTC)
    with db.unit_of_work() as s:
        changes.note(s, Change.CAMPAIGNS)
        campaign, supplier = _campaign(s, campaign_code), _supplier(s, supplier_code)
        _write_delivery(s, actor, d, campaign, supplier, now)
        return next(v for v in _deliveries(s, campaign, now)
                    if v.supplier == supplier.code and v.due_on == due_on)


def _deliveries(s: Session, campaign: PresaleCampaign, now: datetime) -> list[DeliveryView]:
    out = []
    for r, code in s.execute(select(PresaleSupply, Supplier.code)
                             .join(Supplier, Supplier.id == PresaleSupply.supplier_id)
                             .where(PresaleSupply.campaign_id == campaign.id)
                             .order_by(PresaleSupply.due_on, Supplier.code)):
        slip = rules.delivery_slip(_domain_delivery(r, code), now)
        out.append(DeliveryView(r.id, campaign.code, code, r.due_on, r.expected_on, r.qty,
                                r.in_transit_qty, r.arrived_qty, r.status, r.note,
                                slip.hours if slip else 0.0, slip.level if slip else 0))
    return out


def _domain_delivery(r: PresaleSupply, supplier: str) -> rules.Delivery:
    return rules.Delivery(r.id, supplier, r.due_on, r.expected_on, r.qty, r.in_transit_qty,
                          r.arrived_qty, r.status)


# ---------------------------------------------------------------- import

HEADERS: dict[str, tuple[str, ...]] = {
    "campaign": ("campaign", "活动", "活动编码", "预售活动"),
    "supplier": ("supplier", "供应商", "供应商编码"),
    "due_on": ("due", "due_on", "due_date", "交期", "约定到货日", "应到日期"),
    "qty": ("qty", "quantity", "数量", "确认数量"),
    "in_transit": ("in_transit", "在途", "在途数量"),
    "arrived": ("arrived", "已到货", "到货数量"),
    "expected_on": ("expected", "expected_on", "expected_date", "预计到货", "预计到货日"),
    "note": ("note", "备注"),
}
REQUIRED = ("campaign", "supplier", "due_on", "qty")


@dataclass(frozen=True, slots=True)
class RowProblem:
    row: int
    code: str
    params: dict[str, object]
    reason: str


class SupplyFileRefused(InvalidInput):
    """At least one row of a deliveries file is bad: nothing was written."""

    def __init__(self, path: str, problems: Sequence[RowProblem]) -> None:
        lines = "; ".join(f"row {p.row}: {p.reason}" for p in problems[:20])
        super().__init__(f"{path}: {len(problems)} bad rows, nothing imported ({lines})",
                         code="supply.file_refused", path=path, count=len(problems))
        self.problems = list(problems)


@dataclass(frozen=True, slots=True)
class ImportReport:
    created: int
    updated: int

    def as_json(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated}


def _header_key(text: object) -> str | None:
    norm = re.sub(r"[\s\-/]+", "_", str(text or "").strip().lower())
    for key, names in HEADERS.items():
        if norm in names:
            return key
    return None


def _read_rows(path: Path) -> list[tuple[int, list[object]]]:
    """(row number as the person sees it, cells), header row first."""
    if not path.is_file():
        raise InvalidInput(f"cannot read {path}", code="supply.file_unreadable", path=str(path))
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook  # type: ignore[import-untyped]

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 - any unreadable workbook is the same refusal
            raise InvalidInput(f"{path} is not an xlsx workbook",
                               code="supply.file_unreadable", path=str(path)) from None
        try:
            sheet = book.worksheets[0]
            return [(n, list(cells)) for n, cells in
                    enumerate(sheet.iter_rows(values_only=True), 1)]
        finally:
            book.close()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        raise InvalidInput(f"cannot read {path} as UTF-8 text", code="supply.file_unreadable",
                           path=str(path)) from None
    return [(n, list(cells)) for n, cells in
            enumerate(csv.reader(text.splitlines()), 1)]


def _date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text) or re.fullmatch(
        r"(\d{4})年(\d{1,2})月(\d{1,2})日", str(value).strip())
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _whole(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value >= 0 else None
    text = str(value).strip().replace(",", "")
    return int(text) if text.isdigit() else None


def parse_deliveries(path: Path) -> tuple[list[DeliveryInput], list[RowProblem]]:
    """The file's deliveries and every bad row's problem (row number, code, reason)."""
    rows = [(n, cells) for n, cells in _read_rows(path)
            if any(str(c).strip() for c in cells if c is not None)]
    if not rows:
        return [], [RowProblem(1, "supply.row_empty_file", {}, "the file has no rows")]
    head_no, head = rows[0]
    columns = {i: key for i, cell in enumerate(head) if (key := _header_key(cell))}
    missing = [k for k in REQUIRED if k not in columns.values()]
    if missing:
        return [], [RowProblem(head_no, "supply.row_headers", {"missing": ", ".join(missing)},
                               f"missing columns: {', '.join(missing)}")]
    out: list[DeliveryInput] = []
    problems: list[RowProblem] = []
    seen: dict[tuple[str, str, date], int] = {}
    for n, cells in rows[1:]:
        values: dict[str, object] = {}
        for i, key in columns.items():
            cell = cells[i] if i < len(cells) else None
            values[key] = "" if cell is None else cell

        def bad(code: str, reason: str, row: int = n, **params: object) -> None:
            problems.append(RowProblem(row, code, {"row": row, **params}, reason))

        empty = [k for k in REQUIRED if not str(values.get(k, "")).strip()]
        if empty:
            bad("supply.row_missing", f"{empty[0]} is empty", field=empty[0])
            continue
        due = _date(values["due_on"])
        expected = _date(values["expected_on"]) if str(values.get("expected_on", "")).strip() \
            else None
        if due is None or (str(values.get("expected_on", "")).strip() and expected is None):
            which = "due_on" if due is None else "expected_on"
            bad("supply.row_bad_date", f"{which} {values[which]!r} is no date (YYYY-MM-DD)",
                field=which, value=str(values[which]))
            continue
        numbers: dict[str, int] = {}
        for key in ("qty", "in_transit", "arrived"):
            raw = values.get(key, "")
            number = 0 if key != "qty" and not str(raw).strip() else _whole(raw)
            if number is None:
                bad("supply.row_bad_number", f"{key} {raw!r} is not a whole number 0 or more",
                    field=key, value=str(raw))
                break
            numbers[key] = number
        if len(numbers) < 3:
            continue
        if numbers["in_transit"] + numbers["arrived"] > numbers["qty"]:
            bad("supply.row_too_many", "in transit and arrived exceed the quantity",
                qty=numbers["qty"], in_transit=numbers["in_transit"],
                arrived=numbers["arrived"])
            continue
        d = DeliveryInput(str(values["campaign"]).strip().upper(),
                          str(values["supplier"]).strip().upper(), due, numbers["qty"],
                          numbers["in_transit"], numbers["arrived"], expected,
                          str(values.get("note", "")).strip()[:200], row=n)
        key3 = (d.campaign, d.supplier, d.due_on)
        if key3 in seen:
            bad("supply.row_duplicate", f"the same delivery as row {seen[key3]}",
                other=seen[key3])
            continue
        seen[key3] = n
        out.append(d)
    return out, problems


@guarded(Permission.IMPORT_ORDERS)
def import_deliveries(db: Database, actor: Actor, path: Path | str) -> ImportReport:
    """Deliveries from a CSV or xlsx file (Chinese or English headers). Every bad row is
    refused with its row number and reason, and then nothing is written."""
    path = Path(path)
    found, problems = parse_deliveries(path)
    now = datetime.now(UTC)
    with db.unit_of_work() as s:
        campaigns = {c.code: c for c in s.scalars(select(PresaleCampaign).where(
            PresaleCampaign.code.in_(sorted({d.campaign for d in found}) or [""])))}
        suppliers = {p.code: p for p in s.scalars(select(Supplier).where(
            Supplier.code.in_(sorted({d.supplier for d in found}) or [""])))}
        for d in found:
            if d.campaign not in campaigns:
                problems.append(RowProblem(d.row, "supply.row_unknown_campaign",
                                           {"row": d.row, "campaign": d.campaign},
                                           f"no presale campaign {d.campaign}"))
            elif d.supplier not in suppliers:
                problems.append(RowProblem(d.row, "supply.row_unknown_supplier",
                                           {"row": d.row, "supplier": d.supplier},
                                           f"no supplier {d.supplier}"))
        if problems:
            raise SupplyFileRefused(str(path), sorted(problems, key=lambda p: p.row))
        if not found:
            raise InvalidInput(f"{path}: no deliveries in the file", code="supply.file_empty",
                               path=str(path))
        changes.note(s, Change.CAMPAIGNS)
        created = sum(_write_delivery(s, actor, d, campaigns[d.campaign], suppliers[d.supplier],
                                      now) for d in found)
        audit.record(s, actor, "supply.imported", "file", path.name, None, None,
                     {"created": created, "updated": len(found) - created})
        return ImportReport(created, len(found) - created)


# ---------------------------------------------------------------- the queue and promises


@dataclass(frozen=True, slots=True)
class _Queued:
    id: int
    order_no: str
    status: str
    units: int


def _queue(s: Session, campaign: PresaleCampaign, now: datetime
           ) -> tuple[list[_Queued], list[rules.QueuedOrder]]:
    """The campaign's orders in queue order (deposit first paid, first served), as the
    rules take them. A split order's parts have no payments of their own: each reads its
    parent's deposit and balance (`coalesce(parent_id, id)`), so a part of an order whose
    balance is not paid is not payable now."""
    pay: dict[int, dict[str, tuple[str, datetime | None, datetime | None]]] = {}
    orders = list(s.execute(
        select(Order.id, Order.order_no, Order.status, Order.unit_count, Order.paid_at,
               Order.created_at, Order.parent_id, Carrier.cutoff)
        .outerjoin(Carrier, Carrier.id == Order.carrier_id)
        .where(Order.campaign_id == campaign.id, Order.status.not_in(_GONE))))
    payer = func.coalesce(Order.parent_id, Order.id)
    for oid, kind, status, paid_at, due_at in s.execute(
            select(OrderPayment.order_id, OrderPayment.kind, OrderPayment.status,
                   OrderPayment.paid_at, OrderPayment.due_at)
            .where(OrderPayment.order_id.in_(select(payer).where(
                Order.campaign_id == campaign.id, Order.status.not_in(_GONE))))):
        pay.setdefault(oid, {})[kind] = (status, paid_at, due_at)
    for o in orders:
        if o.parent_id is not None:
            pay[o.id] = pay.get(o.parent_id, {})
    default_cutoff = s.scalar(select(func.min(Carrier.cutoff)).where(
        Carrier.active, Carrier.cutoff.is_not(None)))
    balance_opens = campaign.balance_starts_at or campaign.ends_at

    def first_paid(o: Any) -> datetime:
        deposit = pay.get(o.id, {}).get("deposit")
        return (deposit[1] if deposit and deposit[1] else None) or o.paid_at or o.created_at

    rows = sorted(orders, key=lambda o: (first_paid(o), o.id))
    queued, domain = [], []
    for o in rows:
        balance = pay.get(o.id, {}).get("balance")
        if campaign.kind == "full" or balance is None:
            payable = o.paid_at or o.created_at
        elif balance[0] == "paid" and balance[1]:
            payable = balance[1]
        else:
            payable = max(balance[2] or balance_opens, now)
        queued.append(_Queued(o.id, o.order_no, o.status, max(o.unit_count, 0)))
        domain.append(rules.QueuedOrder(o.id, max(o.unit_count, 0), payable,
                                        o.cutoff or default_cutoff,
                                        open=o.status != OrderStatus.SHIPPED.value))
    return queued, domain


def _balance_paid(s: Session, campaign: PresaleCampaign) -> set[int]:
    """The campaign's orders whose balance is paid (a split part: its parent's)."""
    return set(s.scalars(select(Order.id)
                         .join(OrderPayment,
                               OrderPayment.order_id == func.coalesce(Order.parent_id, Order.id))
                         .where(Order.campaign_id == campaign.id,
                                OrderPayment.kind == "balance",
                                OrderPayment.status == "paid")))


def _campaign_promises(s: Session, campaign: PresaleCampaign, now: datetime
                       ) -> tuple[list[_Queued], list[rules.QueuedOrder], list[rules.Promise],
                                  list[rules.Delivery]]:
    queued, domain = _queue(s, campaign, now)
    deliveries = [_domain_delivery(r, code) for r, code in s.execute(
        select(PresaleSupply, Supplier.code).join(Supplier, Supplier.id == PresaleSupply.supplier_id)
        .where(PresaleSupply.campaign_id == campaign.id))]
    found = rules.promises(domain, deliveries, stock_mode=campaign.stock_mode,
                           handling_hours=campaign.handling_hours, now=now)
    return queued, domain, found, deliveries


# ---------------------------------------------------------------- the board


@dataclass(frozen=True, slots=True)
class PromiseSummary:
    open_orders: int
    covered: int
    uncovered: int
    earliest: date | None
    latest: date | None
    late: int  # open orders whose promise slipped past 24 h

    def as_json(self) -> dict[str, object]:
        return {"open_orders": self.open_orders, "covered": self.covered,
                "uncovered": self.uncovered,
                "earliest": self.earliest.isoformat() if self.earliest else None,
                "latest": self.latest.isoformat() if self.latest else None, "late": self.late}


@dataclass(frozen=True, slots=True)
class SupplyBoard:
    campaign: str
    name: str
    stock_mode: str
    supplier: SupplierView | None
    backup: SupplierView | None
    deliveries: tuple[DeliveryView, ...]
    board: rules.Board
    promises: PromiseSummary
    compensation_fen: int
    handling_hours: int
    today: date

    def as_json(self) -> dict[str, object]:
        b = self.board
        return {
            "campaign": self.campaign, "name": self.name, "stock_mode": self.stock_mode,
            "supplier": self.supplier.as_json() if self.supplier else None,
            "backup_supplier": self.backup.as_json() if self.backup else None,
            "today": self.today.isoformat(),
            "deliveries": [d.as_json() for d in self.deliveries],
            "days": [{"day": r.day.isoformat(), "deposits": r.deposits,
                      "balances": r.balances, "demand": r.demand, "confirmed": r.confirmed,
                      "expected": r.expected, "in_transit": r.in_transit,
                      "arrived": r.arrived, "cum_demand": r.cum_demand,
                      "cum_supply": r.cum_supply, "gap": r.gap} for r in b.days],
            "total_demand": b.total_demand, "total_supply": b.total_supply,
            "max_gap": b.max_gap, "max_gap_on": b.max_gap_on.isoformat() if b.max_gap_on
            else None, "threshold": b.threshold,
            "suggestions": [{"action": g.action, "qty": g.qty, "supplier": g.supplier,
                             "by_day": g.by_day.isoformat() if g.by_day else None}
                            for g in b.suggestions],
            "slips": [{"supplier": p.supplier, "due_on": p.due_on.isoformat(),
                       "expected_on": p.expected_on.isoformat(), "remaining": p.remaining,
                       "hours": p.hours, "level": p.level, "action": p.action}
                      for p in b.slips],
            "promises": self.promises.as_json(),
            "compensation_fen": self.compensation_fen, "handling_hours": self.handling_hours,
        }


@guarded(Permission.VIEW_ORDERS)
def board(db: Database, actor: Actor, campaign_code: str, *, today: date | None = None,
          now: datetime | None = None, ratio: float = rules.DEFAULT_RATIO,
          threshold_units: int | None = None) -> SupplyBoard:
    """The campaign's supplier board: its suppliers, deliveries, demand against arrivals
    per day with the gap, the suggestions, the slipped deliveries and the promises."""
    now = now or datetime.now(UTC)
    if today is not None and today != _today(now):
        # A day asked for: the board as it stands at noon that day in China.
        now = datetime.combine(today, time(12), CHINA_TZ).astimezone(UTC)
    today = _today(now)
    with db.reader() as s:
        c = _campaign(s, campaign_code)
        people = {p.id: SupplierView(p.code, p.name, p.phone, p.active) for p in s.scalars(
            select(Supplier).where(Supplier.id.in_(
                [i for i in (c.supplier_id, c.backup_supplier_id) if i] or [-1])))}
        queued, domain, found, deliveries = _campaign_promises(s, c, now)
        paid = _balance_paid(s, c) if c.kind == "deposit" else None
        demands = [rules.Demand(q.id, q.units, rules.due_to_ship(o.payable_at,
                                                                 c.handling_hours, o.cutoff),
                                balance_paid=paid is None or q.id in paid)
                   for q, o in zip(queued, domain, strict=True)]
        backup = people.get(c.backup_supplier_id or -1)
        figures = rules.board(demands, deliveries, today=today, now=now, ratio=ratio,
                              threshold_units=threshold_units,
                              backup_supplier=backup.code if backup else None)
        days = [p.ship_on for p in found if p.ship_on]
        summary = PromiseSummary(
            open_orders=len(found), covered=sum(1 for p in found if p.covered),
            uncovered=sum(1 for p in found if not p.covered),
            earliest=min(days, default=None), latest=max(days, default=None),
            late=sum(1 for p in found if p.level >= 1))
        return SupplyBoard(
            campaign=c.code, name=c.name, stock_mode=c.stock_mode,
            supplier=people.get(c.supplier_id or -1), backup=backup,
            deliveries=tuple(_deliveries(s, c, now)), board=figures, promises=summary,
            compensation_fen=c.compensation_fen, handling_hours=c.handling_hours, today=today)


# ---------------------------------------------------------------- slips


@dataclass
class SlipReport:
    campaigns: int = 0
    raised: int = 0
    raised_again: int = 0  # a higher level than the one open: the old one closed
    resolved: int = 0  # no longer late (goods in, date brought back)
    compensated: int = 0
    by_level: dict[int, int] = field(default_factory=dict)
    skipped: int = 0  # another engine was raising the campaign's slips: left to it

    def as_json(self) -> dict[str, object]:
        return {"campaigns": self.campaigns, "raised": self.raised,
                "raised_again": self.raised_again, "resolved": self.resolved,
                "compensated": self.compensated, "skipped": self.skipped,
                "by_level": {str(k): v for k, v in sorted(self.by_level.items())}}


def _day_of(moment: datetime) -> str:
    """A delivery 'in by the end of day X' moment, as X."""
    return in_china(moment - timedelta(seconds=1)).date().isoformat()


def _raise_for(s: Session, actor: Actor, campaign: PresaleCampaign, now: datetime,
               report: SlipReport) -> None:
    queued, _domain, found, _deliveries_ = _campaign_promises(s, campaign, now)
    by_id = {q.id: q for q in queued}
    late = {p.key: p for p in found if p.level >= 1 and p.goods_at and p.planned_at}
    open_rows = {r.order_id: r for r in s.scalars(
        select(OrderException).join(Order, Order.id == OrderException.order_id).where(
            Order.campaign_id == campaign.id, OrderException.category == CATEGORY,
            OrderException.resolved_at.is_(None)))}
    closed: list[tuple[object, str | None, str | None, dict[str, Any] | None]] = []
    for oid, row in open_rows.items():
        if oid not in late:
            row.resolved_at, row.resolved_by = now, actor.user_id
            row.resolution = "no_longer_late"
            report.resolved += 1
            closed.append((by_id[oid].order_no if oid in by_id else oid, str(row.level),
                           "resolved", {"category": CATEGORY, "resolution": "no_longer_late"}))
    raised: list[tuple[object, str | None, str | None, dict[str, Any] | None]] = []
    at_three: list[int] = []
    for oid, p in late.items():
        q = by_id[oid]
        if q.status in (OrderStatus.SHIPPED.value,):
            continue
        # Compensation follows the slip (over 72 h), never the exception's age or a level
        # it reached before the date came back.
        if p.level >= escalation.MAX_LEVEL:
            at_three.append(oid)
        current = open_rows.get(oid)
        if current is not None and current.level >= p.level:
            continue
        assert p.goods_at is not None and p.planned_at is not None
        text = (f"{campaign.code}: the goods come {p.slip_hours:g} h later than the supplier "
                f"confirmed (due {_day_of(p.planned_at)}, now {_day_of(p.goods_at)})")
        if current is not None:
            current.resolved_at, current.resolved_by = now, actor.user_id
            current.resolution = f"raised_again: level {p.level}"
            report.raised_again += 1
        else:
            report.raised += 1
        s.add(OrderException(
            order_id=oid, category=CATEGORY, raised_at=now, raised_by=actor.user_id,
            level=p.level, escalated_at=now, resolution="",
            detail=encode_notes([Note("supply.delayed", text, {
                "campaign": campaign.code, "hours": f"{p.slip_hours:g}",
                "due": _day_of(p.planned_at), "expected": _day_of(p.goods_at),
                "level": p.level})])))
        report.by_level[p.level] = report.by_level.get(p.level, 0) + 1
        raised.append((q.order_no, None if current is None else str(current.level),
                       str(p.level), {"category": CATEGORY, "hours": p.slip_hours,
                                      "action": escalation.ESCALATION_ACTIONS[p.level]}))
    s.flush()
    audit.record_many(s, actor, "exception.raised", "order", raised)
    audit.record_many(s, actor, "exception.resolved", "order", closed)
    report.compensated += flag_compensations(s, actor, at_three, now)
    if raised or closed:
        changes.note(s, Change.EXCEPTIONS)


# The first key of the transaction-scoped advisory lock that keeps two engines off the same
# campaign's slips on PostgreSQL ('PSLP'); the second is the campaign's id.
SLIPS_LOCK = 0x50534C50


def _claim(s: Session, campaign_id: int, *, wait: bool) -> bool:
    """The right to raise this campaign's slips, held until the transaction ends: True when
    held (`wait`: after waiting for the engine that has it), False when another engine is
    raising them now. A transaction-level advisory lock on PostgreSQL — it locks no row, so
    intake, payments and pre-packing on the campaign go on beside it, and it ends with the
    transaction, as PgBouncer's transaction pooling needs. SQLite's writers take turns."""
    if s.get_bind().dialect.name != "postgresql":
        return True
    fn = func.pg_advisory_xact_lock if wait else func.pg_try_advisory_xact_lock
    got = s.scalar(select(fn(SLIPS_LOCK, campaign_id)))
    return True if wait else bool(got)


def slipping_campaigns() -> Any:
    """SQL: the ids of the campaigns whose slips can change — a delivery still to come
    (planned or in transit) and an open order (not shipped, cancelled, merged or split) — or
    that hold open `supplier_delay` exceptions to close. A campaign long ended (its goods
    all in, its orders shipped) is not looked at."""
    camp = PresaleCampaign.id
    coming = select(PresaleSupply.id).where(
        PresaleSupply.campaign_id == camp,
        PresaleSupply.status.in_((rules.PLANNED, rules.IN_TRANSIT))).exists()
    waiting = select(Order.id).where(Order.campaign_id == camp,
                                     Order.status.not_in(NOT_COMPENSATED)).exists()
    open_delays = select(OrderException.id).join(
        Order, Order.id == OrderException.order_id).where(
        Order.campaign_id == camp, OrderException.category == CATEGORY,
        OrderException.resolved_at.is_(None)).exists()
    return select(camp).where(or_(and_(coming, waiting), open_delays)).order_by(camp)


def _add(total: SlipReport, part: SlipReport) -> None:
    total.raised += part.raised
    total.raised_again += part.raised_again
    total.resolved += part.resolved
    total.compensated += part.compensated
    for lvl, n in part.by_level.items():
        total.by_level[lvl] = total.by_level.get(lvl, 0) + n


@guarded(Permission.RESOLVE_EXCEPTIONS)
def raise_slips(db: Database, actor: Actor, campaign_code: str | None = None, *,
                now: datetime | None = None) -> SlipReport:
    """Raise the slips of one campaign (or of every campaign whose slips can change,
    `slipping_campaigns`) in the exception queue: a `supplier_delay` exception for each open
    order whose goods now come more than 24 h later than the suppliers confirmed, at the
    level of its slip (a higher one closes the lower one open); closes those no longer late;
    flags the buyers whose slip is over 72 h for compensation. Running it again changes
    nothing.

    One short transaction per campaign. Every minute every server engine runs it: a campaign
    another engine is raising now is skipped (`skipped`), not waited for; one campaign named
    (the board's button, the command) waits its turn."""
    now = now or datetime.now(UTC)
    report = SlipReport()
    if campaign_code:
        with db.unit_of_work() as s:
            c = _campaign(s, campaign_code)
            _claim(s, c.id, wait=True)
            _raise_for(s, actor, c, now, report)
            report.campaigns = 1
            audit.record(s, actor, "supply.slips_raised", "campaign", c.code, None, None,
                         report.as_json())
        return report
    with db.reader() as s:
        ids = list(s.scalars(slipping_campaigns()))
    for cid in ids:
        part = SlipReport()
        with db.unit_of_work() as s:
            campaign = s.get(PresaleCampaign, cid)
            if campaign is None or not _claim(s, cid, wait=False):
                report.skipped += 1
                continue
            _raise_for(s, actor, campaign, now, part)
        report.campaigns += 1
        _add(report, part)
    with db.unit_of_work() as s:
        audit.record(s, actor, "supply.slips_raised", "campaign", "*", None, None,
                     report.as_json())
    return report


def compensable() -> Any:
    """SQL: an order whose buyer may still be flagged for compensation — one still owed its
    goods: not cancelled, merged, split or shipped, and not intercepted for a refund or a
    cancellation (the buyer is being paid back, not kept waiting)."""
    return and_(Order.status.not_in(NOT_COMPENSATED),
                or_(Order.intercept.is_(None), Order.intercept.not_in(NOT_COMPENSATED_INTERCEPTS)))


def flag_compensations(s: Session, actor: Actor, order_ids: Iterable[int],
                       now: datetime) -> int:
    """Flag these orders' buyers for their campaign's compensation (reason supplier_delay),
    inside the caller's transaction; an order flagged before is left as it is, and one no
    longer owed its goods (`compensable`) is skipped. Returns how many were flagged now."""
    ids = sorted(set(order_ids))
    if not ids:
        return 0
    have = set(s.scalars(select(OrderCompensation.order_id).where(
        OrderCompensation.order_id.in_(ids), OrderCompensation.reason == REASON)))
    rows = list(s.execute(
        select(Order.id, Order.order_no, Order.campaign_id, PresaleCampaign.compensation_fen)
        .join(PresaleCampaign, PresaleCampaign.id == Order.campaign_id)
        .where(Order.id.in_([i for i in ids if i not in have]), compensable())))
    if not rows:
        return 0
    table = OrderCompensation.__table__
    values = [{"order_id": r.id, "campaign_id": r.campaign_id, "reason": REASON,
               "amount_fen": r.compensation_fen, "flagged_at": now,
               "flagged_by": actor.user_id} for r in rows]
    if s.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        s.execute(postgresql.insert(table).on_conflict_do_nothing(
            index_elements=["order_id", "reason"]), values)
    else:
        from sqlalchemy.dialects import sqlite

        s.execute(sqlite.insert(table).on_conflict_do_nothing(
            index_elements=["order_id", "reason"]), values)
    audit.record_many(s, actor, "compensation.flagged", "order", [
        (r.order_no, None, format_yuan(r.compensation_fen), {"reason": REASON})
        for r in rows])
    return len(rows)


def resolve_delay(s: Session, actor: Actor, order: Order, action: str, note: str) -> None:
    """A lead's answer to the order's open `supplier_delay` exception, inside
    `exceptions.resolve`'s transaction: `notify` (purchasing and the buyer told),
    `switch_supplier` (the rest ordered from the backup supplier or carrier) or
    `compensate` (the buyer flagged now). The order keeps its status."""
    if action not in ACTIONS:
        raise InvalidInput(f"{action!r} is not an action for {CATEGORY}",
                           code="exceptions.wrong_action", action=action, category=CATEGORY)
    now = datetime.now(UTC)
    open_ids = list(s.scalars(select(OrderException.id).where(
        OrderException.order_id == order.id, OrderException.category == CATEGORY,
        OrderException.resolved_at.is_(None))))
    if not open_ids:
        raise Conflict(f"order {order.order_no} has no open supplier delay",
                       code="exceptions.not_queued", order_no=order.order_no,
                       status=order.status)
    if action == "compensate":
        if order.campaign_id is None:
            raise Conflict(f"order {order.order_no} is in no presale campaign",
                           code="supply.no_campaign", order_no=order.order_no)
        if order.status in NOT_COMPENSATED or order.intercept in NOT_COMPENSATED_INTERCEPTS:
            raise Conflict(f"order {order.order_no} is {order.intercept or order.status}: its "
                           f"buyer is not owed a compensation for waiting",
                           code="supply.not_compensable", order_no=order.order_no,
                           state=order.intercept or order.status)
        flag_compensations(s, actor, [order.id], now)
    s.execute(update(OrderException).where(OrderException.id.in_(open_ids)).values(
        resolved_at=now, resolved_by=actor.user_id,
        resolution=(f"{action}: {note}" if note else action)[:200]))
    audit.record(s, actor, "exception.resolved", "order", order.order_no, CATEGORY, action,
                 {"note": note[:200]})


# ---------------------------------------------------------------- compensations


@dataclass(frozen=True, slots=True)
class CompensationRow:
    order_no: str
    campaign: str
    shop: str
    channel: str
    channel_order_no: str
    buyer: str
    amount_fen: int
    reason: str
    flagged_at: datetime
    exported_at: datetime | None

    def as_json(self) -> dict[str, object]:
        return {"order_no": self.order_no, "campaign": self.campaign, "shop": self.shop,
                "channel": self.channel, "channel_order_no": self.channel_order_no,
                "buyer": self.buyer, "amount_yuan": format_yuan(self.amount_fen),
                "reason": self.reason, "flagged_at": self.flagged_at.isoformat(),
                "exported_at": self.exported_at.isoformat() if self.exported_at else None}


def _compensation_query(campaign_code: str | None) -> Any:
    query = (select(OrderCompensation, Order.order_no, Order.channel, Order.channel_order_no,
                    Order.buyer, Shop.name, PresaleCampaign.code)
             .join(Order, Order.id == OrderCompensation.order_id)
             .join(Shop, Shop.id == Order.shop_id)
             .outerjoin(PresaleCampaign, PresaleCampaign.id == OrderCompensation.campaign_id)
             .order_by(OrderCompensation.flagged_at, OrderCompensation.id))
    if campaign_code:
        query = query.where(PresaleCampaign.code == campaign_code.strip().upper())
    return query


@guarded(Permission.VIEW_ORDERS)
def compensations(db: Database, actor: Actor, campaign_code: str | None = None) -> list[
        CompensationRow]:
    """The buyers flagged for compensation (of one campaign, or all)."""
    with db.reader() as s:
        if campaign_code:
            _campaign(s, campaign_code)
        return [CompensationRow(no, code or "", shop, ch, cno, buyer, c.amount_fen, c.reason,
                                c.flagged_at, c.exported_at)
                for c, no, ch, cno, buyer, shop, code in s.execute(
                    _compensation_query(campaign_code))]


def _export_kind(path: Path) -> str:
    kind = path.suffix.lower().lstrip(".")
    if kind not in ("csv", "xlsx"):
        raise InvalidInput(f"{path}: export to a .csv or .xlsx file", code="supply.bad_export",
                           path=str(path))
    return kind


def _write_table(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    if _export_kind(path) == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(list(header))
        for row in rows:
            sheet.append(list(row))
        book.save(path)
        return
    # UTF-8 with a BOM: Excel on a Chinese Windows opens it as UTF-8.
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


COMPENSATION_HEADERS = {
    "zh": ("店铺", "渠道", "平台订单号", "买家", "补偿金额(元)", "原因", "标记时间", "导出时间"),
    "en": ("shop", "channel", "channel order no", "buyer", "amount (yuan)", "reason",
           "flagged at", "exported at"),
}
PROMISE_HEADERS = {
    "zh": ("平台订单号", "Packline 单号", "承诺发货时间", "店铺显示"),
    "en": ("channel order no", "Packline no", "promised ship by", "shop text"),
}
REASON_WORDS = {"zh": {REASON: "供应商延迟"}, "en": {REASON: "supplier delay"}}


def _lang(language: str) -> str:
    return "zh" if language.lower().startswith("zh") else "en"


def _local(moment: datetime) -> str:
    return in_china(moment).strftime("%Y-%m-%d %H:%M")


@guarded(Permission.RESOLVE_EXCEPTIONS)
def export_compensations(db: Database, actor: Actor, path: Path | str,
                         campaign_code: str | None = None, *, language: str = "zh_CN",
                         everything: bool = False) -> int:
    """The flagged buyers not exported before to a CSV or xlsx file for the shop (shop,
    channel, channel order no, buyer, amount in yuan, reason, flagged at and exported at,
    China time), marked exported in the same transaction: the shop is never handed the same
    buyer twice. `everything`: every flagged buyer again (those exported before keep their
    first export time). Returns the rows written (0: an empty file with its headers)."""
    path = Path(path)
    _export_kind(path)
    lang = _lang(language)
    now = datetime.now(UTC)
    with db.unit_of_work() as s:
        if campaign_code:
            _campaign(s, campaign_code)
        query = _compensation_query(campaign_code)
        if not everything:
            # Locked: an export running beside this one waits, then finds them exported.
            query = query.where(OrderCompensation.exported_at.is_(None)).with_for_update(
                of=OrderCompensation)
        found = list(s.execute(query))
        fresh = [c.id for c, *_ in found if c.exported_at is None]
        _write_table(path, COMPENSATION_HEADERS[lang], [
            (shop, ch, cno, buyer, format_yuan(c.amount_fen),
             REASON_WORDS[lang].get(c.reason, c.reason), _local(c.flagged_at),
             _local(c.exported_at or now))
            for c, _no, ch, cno, buyer, shop, _code in found])
        if fresh:
            s.execute(update(OrderCompensation).where(OrderCompensation.id.in_(fresh))
                      .values(exported_at=now))
        audit.record(s, actor, "compensation.exported", "campaign", campaign_code or "*",
                     None, path.name, {"rows": len(found), "first_time": len(fresh),
                                       "everything": everything})
        return len(found)


# ---------------------------------------------------------------- promises


@dataclass(frozen=True, slots=True)
class PromiseRun:
    campaign: str
    open_orders: int
    changed: int
    uncovered: int  # not covered by the confirmed deliveries: promise left as it was

    def as_json(self) -> dict[str, object]:
        return {"campaign": self.campaign, "open_orders": self.open_orders,
                "changed": self.changed, "uncovered": self.uncovered}


@guarded(Permission.CHANGE_ORDER_STATUS)
def promises(db: Database, actor: Actor, campaign_code: str, *,
             now: datetime | None = None) -> PromiseRun:
    """Recompute the promised ship date of the campaign's open orders from the suppliers'
    dates (one UPDATE for all that changed; one audit row for the run). An order the
    confirmed deliveries do not cover keeps the promise it had."""
    now = now or datetime.now(UTC)
    with db.unit_of_work() as s:
        c = _campaign(s, campaign_code, lock=True)
        queued, _domain, found, _d = _campaign_promises(s, c, now)
        stored = dict(s.execute(select(Order.id, Order.promised_ship_by).where(
            Order.campaign_id == c.id, Order.status.not_in(_GONE))).all())
        open_ids = {q.id for q in queued if q.status != OrderStatus.SHIPPED.value}
        wanted = [{"oid": p.key, "p": p.ship_by} for p in found
                  if p.covered and p.key in open_ids and stored.get(p.key) != p.ship_by]
        if wanted:
            table = Order.__table__
            s.connection().execute(
                table.update().where(table.c.id == bindparam("oid")).values(
                    promised_ship_by=bindparam("p"), updated_at=now,
                    version=table.c.version + 1), wanted)
            changes.note(s, Change.ORDERS)
        run = PromiseRun(c.code, len(found), len(wanted), sum(1 for p in found if not p.covered))
        audit.record(s, actor, "promise.recomputed", "campaign", c.code, None, None,
                     run.as_json())
        return run


@dataclass(frozen=True, slots=True)
class PromiseRow:
    order_no: str
    channel_order_no: str
    status: str
    promised_ship_by: datetime | None

    def text(self, language: str) -> str:
        if self.promised_ship_by is None:
            return ""
        return rules.shop_text(in_china(self.promised_ship_by).date(), language)

    def as_json(self, language: str = "zh_CN") -> dict[str, object]:
        return {"order_no": self.order_no, "channel_order_no": self.channel_order_no,
                "status": self.status,
                "promised_ship_by": self.promised_ship_by.isoformat()
                if self.promised_ship_by else None, "text": self.text(language)}


@guarded(Permission.VIEW_ORDERS)
def promise_rows(db: Database, actor: Actor, campaign_code: str) -> list[PromiseRow]:
    """The campaign's open orders with the promise they hold, in promise order."""
    with db.reader() as s:
        c = _campaign(s, campaign_code)
        return [PromiseRow(r.order_no, r.channel_order_no, r.status, r.promised_ship_by)
                for r in s.execute(
                    select(Order.order_no, Order.channel_order_no, Order.status,
                           Order.promised_ship_by)
                    .where(Order.campaign_id == c.id,
                           Order.status.not_in((*_GONE, OrderStatus.SHIPPED.value)))
                    .order_by(Order.promised_ship_by, Order.id))]


@guarded(Permission.VIEW_ORDERS)
def export_promises(db: Database, actor: Actor, campaign_code: str, path: Path | str, *,
                    language: str = "zh_CN") -> int:
    """The campaign's open orders' promises to CSV or xlsx for the shop (channel order no,
    Packline no, promised ship by in China time, the shop's text). Returns the rows."""
    path = Path(path)
    _export_kind(path)
    lang = _lang(language)
    found = promise_rows(db, actor, campaign_code)
    _write_table(path, PROMISE_HEADERS[lang], [
        (r.channel_order_no, r.order_no,
         _local(r.promised_ship_by) if r.promised_ship_by else "", r.text(language))
        for r in found])
    return len(found)

