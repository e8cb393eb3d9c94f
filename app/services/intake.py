"""Intake: orders from channel files (and the demo seeder) into the central database.

Written for volume: one Core INSERT per table per batch, idempotent on (channel, channel
order number) through the unique constraint, so re-running a file or two intakes racing
each other never doubles an order. Each order gets an audit row for its creation.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.domain import intake as parse
from app.domain import order_sheets
from app.domain.roles import Permission
from app.domain.status import OrderStatus
from app.domain.text import safe_for_terminal
from app.services import audit, changes, numbers
from app.services.access import guarded
from app.services.changes import Change
from app.services.context import Actor
from app.services.errors import InvalidInput
from app.store import bulk
from app.store.db import Database
from app.store.models import (
    Channel,
    Order,
    OrderLine,
    OrderPayment,
    PresaleCampaign,
    Shop,
    Sku,
)

log = logging.getLogger("packline.intake")
BATCH = 2000


@dataclass(slots=True)
class IngestResult:
    created: list[str] = field(default_factory=list)  # Packline order numbers
    duplicates: list[str] = field(default_factory=list)  # channel order numbers seen before
    # (channel, channel order number) of every order created or found stored already.
    landed: set[tuple[str, str]] = field(default_factory=set)
    # Orders naming a channel or presale campaign Packline does not know.
    rejected: list[parse.RowError] = field(default_factory=list)


@dataclass(slots=True)
class ImportReport:
    file: str
    created: int = 0
    duplicates: int = 0
    errors: list[parse.RowError] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {"file": self.file, "created": self.created, "duplicates": self.duplicates,
                "errors": [{"line": e.line, "channel_order_no": e.channel_order_no,
                            "reason": e.reason, "code": e.code, "params": dict(e.params)}
                           for e in self.errors]}


def _upsert(session: Session, model: type, rows: list[dict[str, object]],
            keys: Sequence[str]) -> None:
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    ins = postgresql.insert(model) if dialect == "postgresql" else sqlite.insert(model)
    session.execute(ins.on_conflict_do_nothing(index_elements=list(keys)), rows)


class _Lookups:
    """Channel, shop, SKU and campaign ids, fetched once per batch for all its orders."""

    def __init__(self, session: Session, drafts: Sequence[parse.OrderDraft]) -> None:
        self.channels = set(session.scalars(select(Channel.code).where(Channel.active)))
        channels = {d.channel for d in drafts} & self.channels
        shops = {(d.channel, d.shop) for d in drafts if d.channel in channels}
        _upsert(session, Shop, [{"channel": c, "name": n} for c, n in sorted(shops)],
                ["channel", "name"])
        self.shop = {(c, n): i for i, c, n in session.execute(
            select(Shop.id, Shop.channel, Shop.name).where(Shop.channel.in_(channels)))}
        codes = sorted({line.sku for d in drafts for line in d.lines})
        self.sku: dict[str, int] = {}
        for i in range(0, len(codes), 1000):
            self.sku.update(session.execute(
                select(Sku.code, Sku.id).where(Sku.code.in_(codes[i:i + 1000]))).all())
        campaigns = sorted({d.presale.campaign for d in drafts if d.presale})
        self.campaign = dict(session.execute(
            select(PresaleCampaign.code, PresaleCampaign.id)
            .where(PresaleCampaign.code.in_(campaigns))).all()) if campaigns else {}


def _order_row(d: parse.OrderDraft, order_no: str, shop_id: int, campaign_id: int | None,
               now: datetime) -> dict[str, object]:
    r = d.receiver
    return {
        "order_no": order_no, "channel": d.channel, "shop_id": shop_id,
        "channel_order_no": d.channel_order_no, "buyer": d.buyer,
        "receiver_name": r.name, "receiver_phone": r.phone, "province": r.province,
        "city": r.city, "district": r.district, "address": r.address,
        "receiver_oaid": r.oaid or None, "receiver_cipher": r.cipher(),
        "merge_key": d.merge_key or None,
        "goods_fen": d.goods_fen, "discount_fen": d.discount_fen, "amount_fen": d.amount_fen,
        "paid_at": d.paid_at, "vip_level": d.vip_level, "remark": d.remark,
        "promised_ship_by": d.promised_ship_by, "priority": 0, "priority_band": "normal",
        "status": OrderStatus.NEW.value, "is_presale": d.presale is not None,
        "campaign_id": campaign_id, "line_count": len(d.lines), "unit_count": d.units,
        "created_at": now, "updated_at": now, "status_changed_at": now, "version": 1,
    }


def _payments(d: parse.OrderDraft, order_id: int) -> list[dict[str, object]]:
    if d.presale is None:
        return [{"order_id": order_id, "kind": "full", "amount_fen": d.amount_fen,
                 "status": "paid" if d.paid_at else "pending", "paid_at": d.paid_at,
                 "due_at": None}]
    p = d.presale
    # Deposit and balance amounts follow from the campaign; the engine prices them.
    return [
        {"order_id": order_id, "kind": "deposit", "amount_fen": 0,
         "status": "paid" if p.deposit_paid_at else "pending", "paid_at": p.deposit_paid_at,
         "due_at": None},
        {"order_id": order_id, "kind": "balance", "amount_fen": 0,
         "status": "paid" if p.balance_paid_at else "pending", "paid_at": p.balance_paid_at,
         "due_at": None},
    ]


def _unknown_reference(d: parse.OrderDraft, look: _Lookups) -> parse.RowError | None:
    if d.channel not in look.channels:
        known = ", ".join(sorted(look.channels))
        return parse.RowError(d.source_line, f"unknown channel {d.channel!r}; known: {known}",
                              d.channel_order_no, code="intake.unknown_channel",
                              params={"channel": d.channel, "known": known})
    if d.presale is not None and d.presale.campaign not in look.campaign:
        return parse.RowError(d.source_line, f"unknown presale campaign {d.presale.campaign!r}",
                              d.channel_order_no, code="intake.unknown_campaign",
                              params={"campaign": d.presale.campaign})
    return None


def _ingest_batch(session: Session, actor: Actor, drafts: Sequence[parse.OrderDraft],
                  result: IngestResult) -> None:
    look = _Lookups(session, drafts)
    kept = []
    for d in drafts:
        problem = _unknown_reference(d, look)
        if problem is None:
            kept.append(d)
        else:
            result.rejected.append(problem)
    drafts = kept
    if not drafts:
        return
    now = datetime.now(UTC)
    order_nos = numbers.order_numbers(session, len(drafts), now)
    rows = [_order_row(d, no, look.shop[(d.channel, d.shop)],
                       look.campaign.get(d.presale.campaign) if d.presale else None, now)
            for d, no in zip(drafts, order_nos, strict=True)]
    created = {(ch, no): (oid, pl) for oid, ch, no, pl in bulk.insert_new_returning(
        session, Order.__table__, rows, ("channel", "channel_order_no"),
        ("id", "channel", "channel_order_no", "order_no"))}
    lines: list[dict[str, object]] = []
    payments: list[dict[str, object]] = []
    audits: list[tuple[object, str | None, str | None, dict[str, object] | None]] = []
    for d in drafts:
        key = (d.channel, d.channel_order_no)
        hit = created.pop(key, None)
        result.landed.add(key)
        if hit is None:
            result.duplicates.append(d.channel_order_no)
            continue
        order_id, order_no = hit
        presale_line = d.presale is not None
        for n, line in enumerate(d.lines, 1):
            lines.append({"order_id": order_id, "line_no": n, "sku_code": line.sku,
                          "sku_id": look.sku.get(line.sku), "qty": line.qty,
                          "price_fen": line.price_fen, "is_presale": presale_line,
                          "picked_qty": 0, "packed_qty": 0})
        payments.extend(_payments(d, order_id))
        audits.append((order_no, None, OrderStatus.NEW.value,
                       {"channel": d.channel, "channel_order_no": d.channel_order_no}))
        result.created.append(order_no)
    if lines:
        bulk.insert_rows(session, OrderLine.__table__, lines)
        bulk.insert_rows(session, OrderPayment.__table__, payments)
        audit.record_many(session, actor, "order.created", "order", audits)


def _database_refusals() -> tuple[type[BaseException], ...]:
    # UnicodeEncodeError: text the driver cannot encode (the door refuses it; this is the
    # last guard, so that one such order is named and its batch still lands).
    kinds: list[type[BaseException]] = [DBAPIError, sqlite3.Error, UnicodeEncodeError]
    try:
        import psycopg  # COPY runs on the driver connection: its errors arrive unwrapped

        kinds.append(psycopg.Error)
    except ImportError:  # pragma: no cover - psycopg is a dependency
        pass
    return tuple(kinds)


def _store(db: Database, actor: Actor, chunk: list[parse.OrderDraft],
           result: IngestResult) -> None:
    """One batch in one transaction; if the database refuses it, each order on its own so
    that one bad row is named and the good ones still land."""
    refusals = _database_refusals()
    attempt = IngestResult()
    try:
        with db.unit_of_work() as s:
            changes.note(s, Change.ORDERS)
            _ingest_batch(s, actor, chunk, attempt)
    except refusals:
        log.warning("intake batch of %d refused; storing order by order", len(chunk))
        for draft in chunk:
            single = IngestResult()
            try:
                with db.unit_of_work() as s:
                    changes.note(s, Change.ORDERS)
                    _ingest_batch(s, actor, [draft], single)
            except refusals as exc:
                reason = safe_for_terminal(
                    (str(getattr(exc, "orig", None) or exc).strip().splitlines() or [""])[0])
                result.rejected.append(parse.RowError(
                    draft.source_line, f"refused by the database: {reason}",
                    draft.channel_order_no, code="intake.refused_by_database",
                    params={"detail": reason}))
                continue
            _merge(result, single)
        return
    _merge(result, attempt)


def _merge(into: IngestResult, part: IngestResult) -> None:
    into.created.extend(part.created)
    into.duplicates.extend(part.duplicates)
    into.landed |= part.landed
    into.rejected.extend(part.rejected)


@guarded(Permission.IMPORT_ORDERS)
def ingest(db: Database, actor: Actor, drafts: Iterable[parse.OrderDraft],
           batch: int = BATCH) -> IngestResult:
    """Store new orders in batches of `batch`, one transaction each; duplicates are skipped.
    The same order given twice counts as a duplicate only once its first one landed (created
    or stored already): a repeat of a refused order is neither."""
    result = IngestResult()
    chunk: list[parse.OrderDraft] = []
    seen: set[tuple[str, str]] = set()
    repeats: list[tuple[str, str]] = []
    for draft in drafts:
        key = (draft.channel, draft.channel_order_no)
        if key in seen:  # the same order twice in one file: the first one counts
            repeats.append(key)
            continue
        seen.add(key)
        chunk.append(draft)
        if len(chunk) >= batch:
            _store(db, actor, chunk, result)
            chunk = []
    if chunk:
        _store(db, actor, chunk, result)
    result.duplicates.extend(no for channel, no in repeats if (channel, no) in result.landed)
    return result


def read_file(path: Path, *, shop: str | None = None) -> parse.ParseResult:
    """The file parsed as a stream of lines (read twice: once for its encoding); a `.json`
    array is read whole; an `.xlsx` platform export is read row by row (`shop` names the shop
    when the export has no 店铺名称 column)."""
    try:
        if path.suffix.lower() in order_sheets.XLSX_SUFFIXES:
            return order_sheets.parse_xlsx(lambda: path.open("rb"), shop=shop)
        return parse.parse_file(path.name, lambda: path.open("rb"))
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}", code="intake.unreadable",
                           path=str(path)) from None
    except parse.NotText as exc:
        raise InvalidInput(f"{path}: {exc}", code="intake.not_text", path=str(path),
                           line=exc.line, byte=f"0x{exc.byte:02X}") from None
    except order_sheets.NotAWorkbook as exc:
        raise InvalidInput(f"{path}: {exc}", code="intake.not_xlsx", path=str(path)) from None


@guarded(Permission.IMPORT_ORDERS)
def import_file(db: Database, actor: Actor, path: Path, *,
                shop: str | None = None) -> ImportReport:
    parsed = read_file(path, shop=shop)
    report = ImportReport(file=str(path), errors=parsed.errors)
    result = ingest(db, actor, parsed.drafts)
    # A repeat the parser set aside is "already there" only when its first occurrence landed;
    # when that one was refused, the repeat is refused for the same reason at its own line.
    first_line = {(d.channel, d.channel_order_no): d.source_line for d in parsed.drafts}
    refused = {e.line: e for e in result.rejected}
    repeats = 0
    for d in parsed.duplicates:
        key = (d.channel, d.channel_order_no)
        if key in result.landed:
            repeats += 1
        elif (first := refused.get(first_line.get(key, -1))) is not None:
            result.rejected.append(replace(first, line=d.source_line))
    report.errors = sorted(report.errors + result.rejected, key=lambda e: e.line)
    report.created = len(result.created)
    report.duplicates = repeats + len(result.duplicates)
    log.info("import %s: %d created, %d duplicates, %d broken rows", path, report.created,
             report.duplicates, len(report.errors))
    return report
