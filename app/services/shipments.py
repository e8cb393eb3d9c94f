"""Telling the platforms that parcels shipped (发货回传), through a persistent outbox.

Queued: in the transaction that closes a handover (or that applies a packed order, for a shop
whose `confirm_on` is "packed"), one `shipment_confirmations` row per platform order and
tracking number — a plain order under its channel order number; a split child under the
order it was split from (the whole order: its lines carry no sub-order ids); a merged order
under each order merged into it, with the same tracking number. Only shops whose channel has
an adapter (`CONFIRMING_CHANNELS`), connected to their platform (code, gateway, app key),
and whose `confirm_on` is not "never". The unique key
(shop, channel order number, tracking number) makes queueing twice a no-op.

Sent: by the engine (`send_due`). Due rows are claimed (SKIP LOCKED on PostgreSQL, a guarded
UPDATE on SQLite) and marked `sending`; the adapter is called outside any transaction; then
the row is `sent` (a platform that had it already counts as sent), or back to `pending` with
attempts + 1 and `next_at` = now + an exponential back-off with equal jitter (capped; a rate
limit's retry-after is honoured), or `refused` (credentials or the platform said no), which
raises a `shipment_refused` exception for the lead on the order and is audited. A row left
`sending` by a crash is due again after `STUCK_AFTER` (the platform's side is idempotent: a
repeat comes back "already done"). Each shop is sent at most `[channels] confirm_per_second`
a second (per engine process).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import exists, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.domain.roles import Permission
from app.platforms.base import ChannelAdapter, PlatformError, PlatformErrorKind, Shipment
from app.platforms.registry import ADAPTER_CHANNELS
from app.services import audit, changes
from app.services.access import guarded
from app.services.changes import Change
from app.services.context import Actor
from app.services.errors import Conflict, InvalidInput, NotFound, ServiceError
from app.services.waybill_issue import _claim, _due, backoff, channel_orders, connected
from app.store.db import Database
from app.store.models import (
    Carrier,
    Order,
    OrderException,
    Package,
    ShipmentConfirmation,
    Shop,
    WaybillCancellation,
)

log = logging.getLogger("packline.shipments")

# Channels whose platform Packline tells of shipments (their adapters' `confirm_shipment`).
CONFIRMING_CHANNELS = frozenset(ADAPTER_CHANNELS)
STATUSES = ("pending", "sending", "sent", "refused", "withdrawn")
BATCH = 100
# A pass claims no more of a shop's rows than it sends at the shop's rate in this long, so
# none is left `sending` long enough to look stuck to another engine.
CLAIM_SECONDS = 3.0
BASE_S, CAP_S = 5.0, 1800.0  # back-off: up to 5 s · 2^attempts, at most half an hour
STUCK_AFTER = timedelta(minutes=5)
DEFAULT_PER_SECOND = 5.0
REFUSED_CATEGORY = "shipment_refused"
# The most a send waits for its shop's turn before leaving the row for the next pass.
MAX_WAIT_S = 2.0

# (database, shop code) → the shop's channel adapter.
AdapterFor = Callable[[Database, str | None], ChannelAdapter]


def platform_adapter(db: Database, shop_code: str | None) -> ChannelAdapter:
    from app.platforms.registry import adapter_for
    from app.services.shops import shop_access

    if not shop_code:
        raise PlatformError(PlatformErrorKind.AUTH, "the shop has no platform code")
    try:
        access = shop_access(db, shop_code)
    except ServiceError as exc:  # not set up (no gateway, key or secret): a person acts
        raise PlatformError(PlatformErrorKind.AUTH, str(exc), code=exc.code) from None
    return adapter_for(access)


# ------------------------------------------------------------------ queueing


def queue(s: Session, order_ids: Iterable[int], trigger: str,
          now: datetime | None = None) -> int:
    """In the caller's transaction: the shipment confirmations of these orders' parcels, for
    the shops that confirm on `trigger` ("handover" or "packed"; at the handover also those
    that confirm at packing, for parcels packed before their presale balance was paid, which
    are never confirmed while it is not). Returns rows queued."""
    now = now or datetime.now(UTC)
    ids = sorted(set(order_ids))
    if not ids:
        return 0
    # A pre-packed presale parcel whose balance is not paid may not leave: the platform is
    # not told it shipped. Its shop, if it confirms at packing, is told at the handover.
    from app.services.balance_due import balance_unpaid

    unpaid = set(s.scalars(select(Order.id).where(Order.id.in_(ids),
                                                  balance_unpaid(Order.__table__.c))))
    ids = [i for i in ids if i not in unpaid]
    if not ids:
        return 0
    triggers = {trigger, "packed"} if trigger == "handover" else {trigger}
    # One confirmation per platform order: its first parcel's number (the platform takes one
    # logistics send per order; the other boxes travel under the same consignment and are
    # listed on the order). A parcel whose waybill is being given back is never confirmed.
    given_back = exists().where(WaybillCancellation.package_id == Package.id,
                                WaybillCancellation.tracking_no == Package.tracking_no)
    parcels: dict[int, list[tuple[str, str]]] = {}
    for order_id, tracking_no, carrier in s.execute(
            select(Package.order_id, Package.tracking_no, Carrier.code)
            .join(Carrier, Carrier.id == Package.carrier_id)
            .where(Package.order_id.in_(ids), Package.tracking_no.is_not(None),
                   Package.waybill_cancelled_at.is_(None), ~given_back,
                   Package.status.in_(["packed", "handed_over"]))
            .order_by(Package.order_id, Package.box_no)):
        parcels.setdefault(order_id, [(str(tracking_no), carrier)])
    shops: dict[int, Shop | None] = {}
    rows: list[dict[str, Any]] = []
    for order in s.scalars(select(Order).where(Order.id.in_(list(parcels)))):
        for source in channel_orders(s, order):
            if source.shop_id not in shops:
                shops[source.shop_id] = s.get(Shop, source.shop_id)
            shop = shops[source.shop_id]
            if shop is None or not connected(shop) or source.channel not in CONFIRMING_CHANNELS \
                    or (shop.confirm_on or "handover") not in triggers:
                continue
            for tracking_no, carrier in parcels[order.id]:
                rows.append({"order_id": order.id, "shop_id": source.shop_id,
                             "channel": source.channel,
                             "channel_order_no": source.channel_order_no,
                             "sub_order_nos": list(source.sub_order_nos) or None,
                             "carrier_code": carrier, "tracking_no": tracking_no,
                             "status": "pending", "attempts": 0, "next_at": now,
                             "last_error": "", "created_at": now})
    if not rows:
        return 0
    table = ShipmentConfirmation.__table__
    ins = (postgresql.insert(table) if s.get_bind().dialect.name == "postgresql"
           else sqlite.insert(table))
    done = s.execute(ins.values(rows).on_conflict_do_nothing(
        index_elements=["shop_id", "channel_order_no", "tracking_no"])
        .returning(table.c.id)).all()
    if done:
        changes.note(s, Change.ORDERS)
    return len(done)


# ------------------------------------------------------------------ the per-shop rate


class ShopRate:
    """At most `per_second` sends per shop: each shop's next free moment (monotonic)."""

    def __init__(self, per_second: float = DEFAULT_PER_SECOND) -> None:
        self.interval = 1.0 / max(per_second, 0.001)
        self._next: dict[int, float] = {}
        self._lock = threading.Lock()

    def wait_for(self, shop_id: int) -> float:
        """Seconds until this shop's next send may go; takes the slot when it is now."""
        with self._lock:
            now = time.monotonic()
            at = max(self._next.get(shop_id, now), now)
            self._next[shop_id] = at + self.interval
            return at - now

    def hold(self, shop_id: int, seconds: float) -> None:
        """The platform asked to wait: no send to this shop before then."""
        with self._lock:
            self._next[shop_id] = max(self._next.get(shop_id, 0.0),
                                      time.monotonic() + seconds)


_RATES: dict[float, ShopRate] = {}


def shop_rate(per_second: float) -> ShopRate:
    """The process's rate for this setting (shared by every pass of the engine)."""
    return _RATES.setdefault(per_second, ShopRate(per_second))


# ------------------------------------------------------------------ sending


@dataclass(slots=True)
class SendReport:
    sent: int = 0
    retried: int = 0
    refused: int = 0
    deferred: int = 0  # left for a later pass by the shop's rate
    withdrawn: int = 0  # not taken by the platform, and its waybill given back meanwhile


def _refusal(s: Session, actor: Actor, row: ShipmentConfirmation, error: str) -> None:
    """A lead must look: an open `shipment_refused` exception on the order (its status
    stays: the parcel has left), once per order while one is open."""
    order = s.get_one(Order, row.order_id)
    open_one = s.scalar(select(OrderException.id).where(
        OrderException.order_id == order.id, OrderException.category == REFUSED_CATEGORY,
        OrderException.resolved_at.is_(None)))
    now = datetime.now(UTC)
    if open_one is None:
        from app.domain.notes import Note
        from app.domain.notes import encode as encode_notes

        text = (f"the platform refused the shipment confirmation of "
                f"{row.channel_order_no} ({row.tracking_no}): {error}")
        s.add(OrderException(order_id=order.id, category=REFUSED_CATEGORY,
                             detail=encode_notes([Note(
                                 "shipments.refused", text[:300],
                                 {"channel_order_no": row.channel_order_no,
                                  "tracking_no": row.tracking_no, "error": error[:200]})]),
                             raised_at=now, raised_by=actor.user_id, level=0, resolution=""))
        changes.note(s, Change.EXCEPTIONS)
    audit.record(s, actor, "shipment.refused", "order", order.order_no, None, row.tracking_no,
                 {"channel_order_no": row.channel_order_no, "error": error[:200]})


@guarded(Permission.RUN_ENGINE)
def send_due(db: Database, actor: Actor, *, limit: int = BATCH, now: datetime | None = None,
             per_second: float = DEFAULT_PER_SECOND, adapter_for: AdapterFor | None = None,
             max_wait_s: float = MAX_WAIT_S, stuck_after: timedelta = STUCK_AFTER
             ) -> SendReport:
    """Send the confirmations that are due (one engine pass)."""
    now = now or datetime.now(UTC)
    rate = shop_rate(per_second)
    report = SendReport()
    per_shop = max(1, min(limit, int(per_second * CLAIM_SECONDS)))
    with db.unit_of_work() as s:
        c = ShipmentConfirmation
        due = _due(c, now, stuck_after)
        ids: list[int] = []
        # The shops whose oldest due row has waited longest go first: a pass that fills its
        # batch before the last shop leaves that shop first in line for the next.
        for shop_id in s.scalars(select(c.shop_id).where(due).group_by(c.shop_id)
                                 .order_by(func.min(c.next_at), c.shop_id)):
            if len(ids) >= limit:
                break
            ids += _claim(s, c, now, min(per_shop, limit - len(ids)), stuck_after,
                          c.shop_id == shop_id)
        ids = _withdraw_given_back(s, actor, ids)
        work = [(c.id, c.shop_id, shop_code, c.channel_order_no, tuple(c.sub_order_nos or ()),
                 c.carrier_code, c.tracking_no, c.attempts)
                for c, shop_code in s.execute(
                    select(ShipmentConfirmation, Shop.code)
                    .join(Shop, Shop.id == ShipmentConfirmation.shop_id)
                    .where(ShipmentConfirmation.id.in_(ids))
                    .order_by(ShipmentConfirmation.id))] if ids else []
    adapters: dict[int, ChannelAdapter | PlatformError] = {}
    for cid, shop_id, shop_code, channel_no, subs, carrier, tracking_no, attempts in work:
        wait = rate.wait_for(shop_id)
        if wait > max_wait_s:
            _put_back(db, cid, now, datetime.now(UTC) + timedelta(seconds=wait))
            report.deferred += 1
            continue
        if wait > 0:
            time.sleep(wait)  # the shop's rate: its next slot is this close
        error: PlatformError | None = None
        try:
            if shop_id not in adapters:
                try:
                    adapters[shop_id] = (adapter_for or platform_adapter)(db, shop_code)
                except PlatformError as exc:
                    adapters[shop_id] = exc
            adapter = adapters[shop_id]
            if isinstance(adapter, PlatformError):
                raise adapter
            adapter.confirm_shipment(Shipment(f"{channel_no}:{tracking_no}", channel_no, subs,
                                              carrier, tracking_no))
        except PlatformError as exc:
            error = exc
        except Exception as exc:  # noqa: BLE001 - a client fault: retried, shown on the row
            log.exception("shipment confirmation %s failed", cid)
            error = PlatformError(PlatformErrorKind.ERROR, f"{type(exc).__name__}: {exc}")
        _settle(db, actor, cid, (attempts, now), error, rate, shop_id, report)
    if work:
        log.info("shipment confirmations: %s", report)
    return report


def _handed_over(c: Any) -> Any:
    """The confirmation's parcel has been handed over: its handover closed, it left with
    the carrier. (One scanned into a handover still open has not: the close keeps a parcel
    of an intercepted order off the truck.)"""
    return exists().where(
        Package.order_id == c.order_id, Package.tracking_no == c.tracking_no,
        Package.status == "handed_over")


def _given_back(c: Any) -> Any:
    """The confirmation's waybill is given back (or being given back) at its provider."""
    return exists().where(
        WaybillCancellation.tracking_no == c.tracking_no,
        WaybillCancellation.package_id.in_(select(Package.id).where(
            Package.order_id == c.order_id)))


def _withdraw_given_back(s: Session, actor: Actor, ids: list[int]) -> list[int]:
    """Of the claimed rows, those of a parcel still in the warehouse (not handed over) whose
    waybill is given back (or being given back) or whose order is intercepted are withdrawn,
    never sent; the others are returned. A parcel handed over is always confirmed: it left
    with the carrier, whatever happened to its order since."""
    if not ids:
        return ids
    c = ShipmentConfirmation
    stopped = s.execute(
        select(c.id, c.order_id, c.tracking_no, Order.intercept)
        .join(Order, Order.id == c.order_id)
        .where(c.id.in_(ids), ~_handed_over(c),
               (Order.intercept.is_not(None)) | _given_back(c))
        .order_by(c.id)).all()
    gone: set[int] = set()
    for cid, order_id, tracking_no, intercept in stopped:
        order = s.get_one(Order, order_id)
        why = (f"order intercepted ({intercept})" if intercept
               else "its waybill was given back")
        from app.services.waybill_issue import withdraw_confirmations

        if withdraw_confirmations(s, actor, order, [tracking_no], why, claimed=(cid,)):
            gone.add(cid)
    return [i for i in ids if i not in gone]


def _sent_given_back(s: Session, actor: Actor, row: ShipmentConfirmation) -> None:
    """The platform took the confirmation of a parcel whose waybill was given back while it
    was being sent: the platform shows the order shipped under a waybill being cancelled. A
    lead must settle it with the platform: an open exception on the order (its status
    stays), once while one is open, audited."""
    order = s.get_one(Order, row.order_id)
    error = "sent while its waybill was being given back"
    open_one = s.scalar(select(OrderException.id).where(
        OrderException.order_id == order.id, OrderException.category == REFUSED_CATEGORY,
        OrderException.resolved_at.is_(None)))
    if open_one is None:
        from app.domain.notes import Note
        from app.domain.notes import encode as encode_notes

        text = (f"the platform took the shipment confirmation of {row.channel_order_no} "
                f"({row.tracking_no}) after its waybill was given back: it shows the order "
                "shipped under a waybill being cancelled")
        s.add(OrderException(order_id=order.id, category=REFUSED_CATEGORY,
                             detail=encode_notes([Note(
                                 "shipments.sent_given_back", text[:300],
                                 {"channel_order_no": row.channel_order_no,
                                  "tracking_no": row.tracking_no})]),
                             raised_at=datetime.now(UTC), raised_by=actor.user_id, level=0,
                             resolution=""))
        changes.note(s, Change.EXCEPTIONS)
    audit.record(s, actor, "shipment.sent_given_back", "order", order.order_no, "sending",
                 "sent", {"channel_order_no": row.channel_order_no,
                          "tracking_no": row.tracking_no, "error": error})


def _put_back(db: Database, cid: int, claimed_at: datetime, next_at: datetime) -> None:
    with db.unit_of_work() as s:
        s.execute(update(ShipmentConfirmation).where(
            ShipmentConfirmation.id == cid, ShipmentConfirmation.status == "sending",
            ShipmentConfirmation.next_at == claimed_at)
            .values(status="pending", next_at=next_at))


def _settle(db: Database, actor: Actor, cid: int, claim: tuple[int, datetime],
            error: PlatformError | None, rate: ShopRate, shop_id: int,
            report: SendReport) -> None:
    """The row's outcome, written only while this pass's claim holds: a row another pass
    took up meanwhile (its claim found stale) or a lead retried is left to them."""
    attempts, claimed_at = claim
    done_at = datetime.now(UTC)
    with db.unit_of_work() as s:
        row = s.get_one(ShipmentConfirmation, cid, with_for_update=True)
        if row.status != "sending" or row.attempts != attempts \
                or row.next_at != claimed_at:
            return  # settled meanwhile (taken up again as stuck, withdrawn, or retried)
        row.attempts = attempts + 1
        # Its waybill given back while it was being sent (the parcel is still here): the
        # outcome decides — taken by the platform, it is sent and a lead is told; not taken,
        # it is withdrawn, never sent again.
        given_back = bool(s.scalar(select(
            ~_handed_over(ShipmentConfirmation) & _given_back(ShipmentConfirmation))
            .where(ShipmentConfirmation.id == row.id)))
        if given_back and not (error is None or error.kind is PlatformErrorKind.ALREADY_DONE):
            from app.services.waybill_issue import withdraw_confirmations

            withdraw_confirmations(s, actor, s.get_one(Order, row.order_id),
                                   [row.tracking_no], "its waybill was given back",
                                   claimed=(row.id,))
            report.withdrawn += 1
            changes.note(s, Change.ORDERS)
            return
        if error is None or error.kind is PlatformErrorKind.ALREADY_DONE:
            row.status, row.sent_at, row.last_error = "sent", done_at, ""
            if error is not None:
                # The platform had the order shipped already: by this row's earlier send,
                # or under another number, which is said, never passed off as this one.
                other = s.scalar(select(ShipmentConfirmation.tracking_no).where(
                    ShipmentConfirmation.shop_id == row.shop_id,
                    ShipmentConfirmation.channel_order_no == row.channel_order_no,
                    ShipmentConfirmation.tracking_no != row.tracking_no,
                    ShipmentConfirmation.status == "sent"))
                row.last_error = (
                    f"already shipped at the platform under {other}: {row.tracking_no} was "
                    "not told to it" if other else "already shipped at the platform")[:500]
            audit.record(s, actor, "shipment.confirmed", "order",
                         s.get_one(Order, row.order_id).order_no, None, row.tracking_no,
                         {"channel_order_no": row.channel_order_no,
                          "already": error is not None})
            report.sent += 1
            if given_back:
                _sent_given_back(s, actor, row)
        elif error.retryable:
            if error.kind is PlatformErrorKind.RATE_LIMITED and error.retry_after:
                wait = float(error.retry_after)
                rate.hold(shop_id, wait)
            else:
                wait = backoff(row.attempts, BASE_S, CAP_S)
            row.status, row.next_at = "pending", done_at + timedelta(seconds=wait)
            row.last_error = str(error)[:500]
            report.retried += 1
        else:
            row.status, row.last_error = "refused", str(error)[:500]
            _refusal(s, actor, row, str(error))
            report.refused += 1
        changes.note(s, Change.ORDERS)


# ------------------------------------------------------------------ looking and retrying


@dataclass(frozen=True, slots=True)
class ConfirmationRow:
    id: int
    order_no: str
    shop: str
    channel: str
    channel_order_no: str
    tracking_no: str
    status: str
    attempts: int
    next_at: datetime
    last_error: str
    sent_at: datetime | None

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "order_no": self.order_no, "shop": self.shop,
                "channel": self.channel, "channel_order_no": self.channel_order_no,
                "tracking_no": self.tracking_no, "status": self.status,
                "attempts": self.attempts, "next_at": self.next_at.isoformat(),
                "last_error": self.last_error,
                "sent_at": self.sent_at.isoformat() if self.sent_at else None}


def _rows(s: Session, *where: Any, limit: int = 500) -> list[ConfirmationRow]:
    c = ShipmentConfirmation
    return [ConfirmationRow(r.id, r.order_no, r.shop, r.channel, r.channel_order_no,
                            r.tracking_no, r.status, r.attempts, r.next_at, r.last_error,
                            r.sent_at)
            for r in s.execute(
                select(c.id, Order.order_no, Shop.name.label("shop"), c.channel,
                       c.channel_order_no, c.tracking_no, c.status, c.attempts, c.next_at,
                       c.last_error, c.sent_at)
                .join(Order, Order.id == c.order_id).join(Shop, Shop.id == c.shop_id)
                .where(*where).order_by(c.id).limit(limit))]


def for_order(s: Session, order_id: int) -> list[ConfirmationRow]:
    """An order's confirmations (for its detail), in the caller's session."""
    return _rows(s, ShipmentConfirmation.order_id == order_id)


@guarded(Permission.VIEW_ORDERS)
def list_confirmations(db: Database, actor: Actor, *, status: str | None = None,
                       limit: int = 500) -> list[ConfirmationRow]:
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"unknown status {status!r}; one of: {', '.join(STATUSES)}",
                           code="shipments.bad_status", status=status,
                           choices=", ".join(STATUSES))
    with db.reader() as s:
        where = [ShipmentConfirmation.status == status] if status else []
        return _rows(s, *where, limit=limit)


@guarded(Permission.VIEW_ORDERS)
def counts(db: Database, actor: Actor) -> dict[str, int]:
    with db.reader() as s:
        return dict(s.execute(select(ShipmentConfirmation.status, func.count())
                              .group_by(ShipmentConfirmation.status)).all())


@guarded(Permission.RESOLVE_EXCEPTIONS)
def retry(db: Database, actor: Actor, confirmation_id: int) -> ConfirmationRow:
    """A refused (or waiting) confirmation sent again at the next pass, by a lead who fixed
    what the platform refused; the order's open `shipment_refused` exception is resolved."""
    now = datetime.now(UTC)
    with db.unit_of_work() as s:
        row = s.get(ShipmentConfirmation, confirmation_id, with_for_update=True)
        if row is None:
            raise NotFound(f"no shipment confirmation {confirmation_id}",
                           code="shipments.not_found", id=confirmation_id)
        if row.status in ("sent", "sending"):
            raise Conflict(f"shipment confirmation {confirmation_id} is {row.status}",
                           code="shipments.not_retryable", id=confirmation_id,
                           status=row.status)
        before = row.status
        row.status, row.next_at = "pending", now
        order = s.get_one(Order, row.order_id)
        s.execute(update(OrderException).where(
            OrderException.order_id == order.id, OrderException.category == REFUSED_CATEGORY,
            OrderException.resolved_at.is_(None))
            .values(resolved_at=now, resolved_by=actor.user_id,
                    resolution="shipment confirmation retried"))
        audit.record(s, actor, "shipment.retried", "order", order.order_no, before, "pending",
                     {"id": row.id, "channel_order_no": row.channel_order_no,
                      "tracking_no": row.tracking_no})
        changes.note(s, Change.ORDERS, Change.EXCEPTIONS)
        s.flush()
        return _rows(s, ShipmentConfirmation.id == row.id)[0]
