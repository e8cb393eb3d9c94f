"""A parcel's waybill from its provider: the self-managed pool of tracking numbers, or a
platform's e-waybill service (Cainiao, Pinduoduo, Douyin) that returns the number with the
print data its print component prints.

- `issue` gives one box (order, box) its waybill, once. A platform is asked outside any
  database transaction — no row lock is held across the network — and the answer is stored
  on the package row (tracking number, provider, print data), audited `package.tracking`. A
  box that has its waybill gets it back without asking anyone. Two stations asking at once
  get the same number: the platform is idempotent on the request id ("ORDER_NO:BOX") and the
  package row's unique (order, box) settles the database side.
- `prefetch` (an engine step) fetches box 1's waybill ahead for platform orders routed, in a
  wave or picked, so a station that later loses the network still prints what it holds.
- `queue_cancellations` (inside the transaction that intercepts an order) queues its packed,
  not yet shipped, platform waybills in `waybill_cancellations`; `cancel_due` (an engine step)
  gives them back at the provider, with retries, and sets `packages.waybill_cancelled_at`.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.roles import Permission
from app.domain.waybill_providers import (
    CHANNEL_SERVICE,
    POOL,
    ProviderRefused,
    choose_provider,
)
from app.platforms.base import (
    Address,
    PlatformError,
    PlatformErrorKind,
    WaybillProvider,
    WaybillRequest,
)
from app.services import audit
from app.services.access import guarded
from app.services.context import Actor
from app.services.errors import Conflict, InvalidInput, ServiceError
from app.services.orders import find_order
from app.store.db import Database
from app.store.models import (
    Carrier,
    Order,
    OrderLine,
    Package,
    Shop,
    Sku,
    Warehouse,
    WaybillCancellation,
)
from app.sync.contract import BoxWaybill

log = logging.getLogger("packline.waybills")

ISSUABLE = ("routed", "in_wave", "picking", "picked", "packing", "packed")
PREFETCH_STATUSES = ("routed", "in_wave", "picking", "picked")
PREFETCH_BATCH = 50
# Cancelling at the provider: retried with back-off, a row stuck `sending` (a crash) taken
# up again after this.
CANCEL_BATCH = 50
CANCEL_BASE_S, CANCEL_CAP_S = 5.0, 600.0
STUCK_AFTER = timedelta(minutes=5)

# (database, provider code, shop code) → the provider's client for that shop.
ProviderFor = Callable[[Database, str, str | None], WaybillProvider]


class WaybillUnreachable(ServiceError):
    """The platform's e-waybill service did not answer (or asked to wait): try again."""


class WaybillRefused(Conflict):
    """The platform refused to issue (or its credentials were refused): a person acts."""


def platform_provider(db: Database, provider: str, shop_code: str | None) -> WaybillProvider:
    """The shop's client of `provider` (its gateway, app key and secret)."""
    from app.platforms.registry import provider_for
    from app.services.shops import shop_access

    if not shop_code:
        raise Conflict(f"the shop has no platform code: it cannot use {provider} waybills",
                       code="waybill.shop_not_set_up", provider=provider)
    return provider_for(provider, shop_access(db, shop_code))


def platform_failure(exc: PlatformError, provider: str, order_no: str) -> ServiceError:
    """A platform's failure as the refusal a person reads."""
    if exc.kind in (PlatformErrorKind.AUTH, PlatformErrorKind.REFUSED):
        return WaybillRefused(f"{provider} refused the waybill of {order_no}: {exc}",
                              code="waybill.platform_refused", provider=provider,
                              order_no=order_no, reason=str(exc)[:200])
    return WaybillUnreachable(f"{provider} cannot be reached for the waybill of {order_no}: "
                              f"{exc}", code="waybill.platform_unreachable", provider=provider,
                              order_no=order_no)


# ------------------------------------------------------------------ which provider


def encrypted(order: Order) -> bool:
    return bool(order.receiver_oaid or order.receiver_cipher)


def connected(shop: Shop | None) -> bool:
    """Whether the shop is connected to its platform (code, gateway and app key set)."""
    return bool(shop is not None and shop.code and shop.api_url and shop.app_key)


def provider_of(channel: str, carrier_code: str, shop: Shop | None, *,
                is_encrypted: bool, order_no: str = "") -> str:
    """The provider code for an order's parcels; refused in words when none may serve it."""
    try:
        return choose_provider(channel, carrier_code, shop.waybill_providers if shop else None,
                               encrypted=is_encrypted, connected=connected(shop)).provider
    except ProviderRefused as exc:
        raise Conflict(f"{order_no}: {exc}", code=exc.code, order_no=order_no,
                       **exc.params) from None


def order_provider(s: Session, order: Order) -> str:
    carrier = s.scalar(select(Carrier.code).where(Carrier.id == order.carrier_id)) \
        if order.carrier_id else ""
    return provider_of(order.channel, carrier or "", s.get(Shop, order.shop_id),
                       is_encrypted=encrypted(order), order_no=order.order_no)


# ------------------------------------------------------------------ the channel's own numbers


@dataclass(frozen=True, slots=True)
class ChannelOrder:
    """A platform order a parcel belongs to: its shop, channel, the platform's order number
    and its sub-orders in the parcel (() = all)."""

    order_id: int
    shop_id: int
    channel: str
    channel_order_no: str
    sub_order_nos: tuple[str, ...] = ()


def channel_orders(s: Session, order: Order, depth: int = 0) -> list[ChannelOrder]:
    """The platform's own orders behind a Packline order: itself; for a split child, the
    order it was split from (its lines carry no sub-order ids, so the whole order); for a
    merged order, each order merged into it (and theirs in turn)."""
    if depth > 4:
        return []
    sources = list(s.scalars(select(Order).where(Order.merged_into_id == order.id)
                             .order_by(Order.id)))
    if sources:
        return [c for src in sources for c in channel_orders(s, src, depth + 1)]
    if order.parent_id is not None:
        parent = s.get(Order, order.parent_id)
        if parent is not None:
            return channel_orders(s, parent, depth + 1)
    return [ChannelOrder(order.id, order.shop_id, order.channel, order.channel_order_no)]


# ------------------------------------------------------------------ issuing


@dataclass(frozen=True, slots=True)
class _Plan:
    order_id: int
    order_no: str
    provider: str
    shop_code: str | None
    carrier_id: int
    request: WaybillRequest | None  # None: the pool


def _existing(s: Session, order_id: int, box: int) -> Package | None:
    return s.scalars(select(Package).where(Package.order_id == order_id,
                                           Package.box_no == box)).first()


def _held(package: Package | None) -> BoxWaybill | None:
    if package is None or not package.tracking_no:
        return None
    if package.waybill_cancelled_at is not None:
        raise Conflict(f"the waybill {package.tracking_no} of box {package.box_no} was "
                       "cancelled at its provider", code="waybill.cancelled",
                       tracking_no=package.tracking_no, box=package.box_no)
    return BoxWaybill(package.box_no, package.tracking_no, package.waybill_provider or POOL,
                      dict(package.print_data or {}))


def _check_box(s: Session, order: Order, box: int) -> None:
    if box < 1:
        raise InvalidInput(f"box {box}: boxes count from 1", code="waybill.bad_box", box=box,
                           boxes=box)
    opened = s.scalar(select(func.count()).select_from(Package)
                      .where(Package.order_id == order.id)) or 0
    # The next box is allowed: a packer closing box n asks for box n+1's waybill.
    if box > max(opened + 1, 1):
        raise InvalidInput(f"{order.order_no} has {max(opened, 1)} box(es), not box {box}",
                           code="waybill.no_such_box", order_no=order.order_no, box=box,
                           boxes=max(opened, 1))


def _plan(s: Session, order: Order, box: int, weight_g: int | None, template: str) -> _Plan:
    if order.status not in ISSUABLE or order.carrier_id is None or order.warehouse_id is None:
        raise InvalidInput(f"{order.order_no} is {order.status}: it has no carrier and "
                           "warehouse yet, so no waybill", code="waybill.not_routed",
                           order_no=order.order_no, status=order.status)
    if order.intercept:
        raise Conflict(f"{order.order_no} is intercepted ({order.intercept}): no label",
                       code="waybill.intercepted", order_no=order.order_no,
                       intercept=order.intercept)
    _check_box(s, order, box)
    carrier = s.get_one(Carrier, order.carrier_id)
    shop = s.get(Shop, order.shop_id)
    provider = provider_of(order.channel, carrier.code, shop, is_encrypted=encrypted(order),
                           order_no=order.order_no)
    if provider == POOL:
        return _Plan(order.id, order.order_no, POOL, None, carrier.id, None)
    warehouse = s.get_one(Warehouse, order.warehouse_id)
    lines = s.execute(select(OrderLine.sku_code, OrderLine.qty, Sku.name, Sku.weight_g)
                      .outerjoin(Sku, Sku.id == OrderLine.sku_id)
                      .where(OrderLine.order_id == order.id)
                      .order_by(OrderLine.line_no)).all()
    if weight_g is None:
        weight_g = sum((ln.weight_g or 0) * ln.qty for ln in lines) or None
    cipher = order.receiver_cipher
    request = WaybillRequest(
        request_id=f"{order.order_no}:{box}", order_no=order.order_no,
        channel_order_nos=tuple(dict.fromkeys(c.channel_order_no
                                              for c in channel_orders(s, order))),
        carrier_code=carrier.code,
        sender=Address(shop.name if shop else warehouse.name, warehouse.phone or "",
                       warehouse.province, warehouse.city, warehouse.district,
                       warehouse.address),
        receiver=Address(order.receiver_name, order.receiver_phone, order.province,
                         order.city, order.district, order.address,
                         oaid=order.receiver_oaid,
                         cipher={str(k): str(v) for k, v in cipher.items()} if cipher else None),
        items=tuple((str(ln.name or ln.sku_code), int(ln.qty)) for ln in lines),
        weight_g=weight_g, template=template)
    return _Plan(order.id, order.order_no, provider, shop.code if shop else None, carrier.id,
                 request)


def _store(db: Database, actor: Actor, plan: _Plan, box: int, tracking_no: str | None,
           print_data: dict[str, Any] | None, now: datetime) -> BoxWaybill:
    """The box's waybill written once: the first writer's number stays (a second, racing
    writer reads it back)."""
    from app.services.waybills import _tracking_number as pool_number

    for _attempt in range(3):
        try:
            with db.unit_of_work() as s:
                order = s.get_one(Order, plan.order_id, with_for_update=True)
                package = s.scalars(select(Package).where(
                    Package.order_id == order.id, Package.box_no == box)
                    .with_for_update()).first()
                held = _held(package)
                if held is not None:
                    return held
                number = tracking_no if tracking_no is not None else pool_number(
                    s, plan.carrier_id, now)
                if package is None:
                    package = Package(order_id=order.id, box_no=box, carrier_id=plan.carrier_id,
                                      status="labelled", created_at=now)
                    s.add(package)
                elif package.status == "open":
                    package.status = "labelled"
                package.tracking_no = number
                package.carrier_id = plan.carrier_id
                package.waybill_provider = plan.provider
                package.print_data = print_data
                s.flush()
                audit.record(s, actor, "package.tracking", "order", order.order_no, None,
                             number, {"box": box, "provider": plan.provider})
                return BoxWaybill(box, number, plan.provider, dict(print_data or {}))
        except IntegrityError:
            continue  # another writer made the row between our read and write: read it
    raise Conflict(f"box {box} of {plan.order_no} is being written elsewhere: try again",
                   code="waybill.busy", order_no=plan.order_no, box=box)


def _issue(db: Database, actor: Actor, order_ref: str, box: int, *, weight_g: int | None,
           template: str, provider_for: ProviderFor | None) -> BoxWaybill:
    with db.reader() as s:
        order = find_order(s, order_ref)
        held = _held(_existing(s, order.id, box))
        if held is not None:
            return held
        plan = _plan(s, order, box, weight_g, template)
    now = datetime.now(UTC)
    if plan.request is None:
        return _store(db, actor, plan, box, None, None, now)
    # The network, outside any transaction: nothing is locked while the platform answers.
    try:
        client = (provider_for or platform_provider)(db, plan.provider, plan.shop_code)
        issued = client.get(plan.request)
    except PlatformError as exc:
        log.warning("waybill of %s box %d from %s failed: %s", plan.order_no, box,
                    plan.provider, exc)
        raise platform_failure(exc, plan.provider, plan.order_no) from None
    return _store(db, actor, plan, box, issued.tracking_no, dict(issued.print_data), now)


@guarded(Permission.PACK)
def issue(db: Database, actor: Actor, order_ref: str, box: int = 1, *,
          weight_g: int | None = None, template: str = "76x130",
          provider_for: ProviderFor | None = None) -> BoxWaybill:
    """Box `box`'s waybill, from the order's provider the first time; the same again after."""
    return _issue(db, actor, order_ref, box, weight_g=weight_g, template=template,
                  provider_for=provider_for)


def held_waybills(s: Session, order_ids: list[int]) -> dict[int, list[BoxWaybill]]:
    """The waybills issued for these orders' boxes (not cancelled), by order id."""
    found: dict[int, list[BoxWaybill]] = {}
    if not order_ids:
        return found
    for p in s.scalars(select(Package).where(Package.order_id.in_(order_ids),
                                             Package.tracking_no.is_not(None),
                                             Package.waybill_cancelled_at.is_(None))
                       .order_by(Package.order_id, Package.box_no)):
        found.setdefault(p.order_id, []).append(BoxWaybill(
            p.box_no, str(p.tracking_no), p.waybill_provider or POOL, dict(p.print_data or {})))
    return found


# ------------------------------------------------------------------ fetched ahead


@dataclass(slots=True)
class PrefetchReport:
    issued: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def _prefetch_candidates(s: Session, limit: int, after_id: int) -> list[int]:
    """Orders of shops whose channel has a platform service (or a shop setting), ready to
    pack soon, without box 1's waybill yet. Provider choice is checked per order after."""
    has_box1 = exists().where(Package.order_id == Order.id, Package.box_no == 1,
                              Package.tracking_no.is_not(None))
    platform_shop = or_(Shop.waybill_providers.is_not(None),
                        and_(Shop.api_url.is_not(None), Shop.app_key.is_not(None),
                             Order.channel.in_(sorted(CHANNEL_SERVICE))))
    query = (select(Order.id).join(Shop, Shop.id == Order.shop_id)
             .where(Order.id > after_id, Order.status.in_(PREFETCH_STATUSES),
                    Order.intercept.is_(None), Order.carrier_id.is_not(None),
                    platform_shop, ~has_box1)
             .order_by(Order.id).limit(limit))
    if s.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=Order)
    return list(s.scalars(query))


@guarded(Permission.RUN_ENGINE)
def prefetch(db: Database, actor: Actor, *, limit: int = PREFETCH_BATCH,
             provider_for: ProviderFor | None = None) -> PrefetchReport:
    """Box 1's waybill fetched ahead for up to `limit` platform orders. The candidates are
    read with SKIP LOCKED (PostgreSQL), so an engine passes over orders another transaction
    holds; each waybill is asked for after that short transaction, outside any lock (two
    engines asking for the same box get the same number: the provider is idempotent). A
    failure is logged and left for the next pass."""
    report = PrefetchReport()
    with db.unit_of_work() as s:
        ids = _prefetch_candidates(s, limit, 0)
        plans: list[tuple[int, str]] = []
        for order in s.scalars(select(Order).where(Order.id.in_(ids)).order_by(Order.id)):
            try:
                if order_provider(s, order) != POOL:
                    plans.append((order.id, order.order_no))
            except ServiceError as exc:
                report.failed += 1
                report.errors.append(f"{order.order_no}: {exc}")
    for _order_id, order_no in plans:
        try:
            _issue(db, actor, order_no, 1, weight_g=None, template="76x130",
                   provider_for=provider_for)
            report.issued += 1
        except ServiceError as exc:
            report.failed += 1
            report.errors.append(f"{order_no}: {exc}")
            log.info("waybill of %s not fetched ahead: %s", order_no, exc)
    if report.issued or report.failed:
        log.info("waybills fetched ahead: %d, failed: %d", report.issued, report.failed)
    return report


# ------------------------------------------------------------------ cancelling


def queue_cancellations(s: Session, order: Order, reason: str,
                        now: datetime | None = None) -> int:
    """In the caller's transaction: the order's platform waybills packed (or labelled) and not
    handed over are queued to be given back at their provider. Returns how many."""
    now = now or datetime.now(UTC)
    rows = s.execute(select(Package.id, Package.tracking_no, Package.waybill_provider,
                            Carrier.code)
                     .join(Carrier, Carrier.id == Package.carrier_id)
                     .where(Package.order_id == order.id, Package.tracking_no.is_not(None),
                            Package.waybill_provider != POOL,
                            Package.status.in_(["labelled", "packed"]),
                            Package.handover_id.is_(None),
                            Package.waybill_cancelled_at.is_(None))).all()
    queued = 0
    for r in rows:
        have = s.scalar(select(WaybillCancellation.id).where(
            WaybillCancellation.package_id == r.id))
        if have is not None:
            continue
        s.add(WaybillCancellation(package_id=r.id, provider=r.waybill_provider,
                                  carrier_code=r.code, tracking_no=r.tracking_no,
                                  reason=reason[:32], status="pending", attempts=0,
                                  next_at=now, last_error="", created_at=now))
        queued += 1
    return queued


def backoff(attempts: int, base_s: float, cap_s: float,
            rng: Callable[[], float] = random.random) -> float:
    """Exponential back-off with full jitter: a random wait up to base·2^attempts, capped."""
    ceiling: float = min(cap_s, base_s * 2.0 ** min(attempts, 30))
    return rng() * ceiling


def _claim(s: Session, table: Any, now: datetime, limit: int, stuck_after: timedelta) -> list[int]:
    """Due rows of an outbox marked `sending` by this engine: SKIP LOCKED on PostgreSQL, a
    guarded UPDATE on SQLite (one writer at a time there). A row left `sending` by a crash is
    due again after `stuck_after` (the platform side is idempotent)."""
    due = or_(and_(table.status == "pending", table.next_at <= now),
              and_(table.status == "sending", table.next_at <= now - stuck_after))
    query = select(table.id).where(due).order_by(table.next_at, table.id).limit(limit)
    if s.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    ids = list(s.scalars(query))
    if not ids:
        return []
    claimed = s.execute(update(table).where(table.id.in_(ids), due)
                        .values(status="sending", next_at=now)
                        .returning(table.id)).scalars().all()
    return list(claimed)


@dataclass(slots=True)
class CancelReport:
    done: int = 0
    retried: int = 0
    refused: int = 0


@guarded(Permission.RUN_ENGINE)
def cancel_due(db: Database, actor: Actor, *, limit: int = CANCEL_BATCH,
               now: datetime | None = None,
               provider_for: ProviderFor | None = None) -> CancelReport:
    """The queued cancellations that are due, given back at their providers."""
    now = now or datetime.now(UTC)
    report = CancelReport()
    with db.unit_of_work() as s:
        ids = _claim(s, WaybillCancellation, now, limit, STUCK_AFTER)
        rows = s.execute(select(WaybillCancellation, Order.order_no, Shop.code)
                         .join(Package, Package.id == WaybillCancellation.package_id)
                         .join(Order, Order.id == Package.order_id)
                         .join(Shop, Shop.id == Order.shop_id)
                         .where(WaybillCancellation.id.in_(ids))).all() if ids else []
        work = [(c.id, c.package_id, c.provider, c.carrier_code, c.tracking_no, c.attempts,
                 order_no, shop_code) for c, order_no, shop_code in rows]
    for cid, package_id, provider, carrier, tracking_no, attempts, order_no, shop_code in work:
        error: PlatformError | None = None
        try:
            (provider_for or platform_provider)(db, provider, shop_code).cancel(carrier,
                                                                                 tracking_no)
        except PlatformError as exc:
            error = exc
        except ServiceError as exc:  # the shop is not set up: a person must look
            error = PlatformError(PlatformErrorKind.AUTH, str(exc))
        done_at = datetime.now(UTC)
        with db.unit_of_work() as s:
            row = s.get_one(WaybillCancellation, cid, with_for_update=True)
            if row.status != "sending":
                continue
            if error is None or error.kind is PlatformErrorKind.ALREADY_DONE:
                row.status, row.done_at, row.last_error = "done", done_at, ""
                row.attempts = attempts + 1
                s.execute(update(Package).where(Package.id == package_id)
                          .values(waybill_cancelled_at=done_at))
                audit.record(s, actor, "waybill.cancelled", "order", order_no, tracking_no,
                             None, {"provider": provider, "carrier": carrier})
                report.done += 1
            elif error.retryable:
                row.attempts = attempts + 1
                wait = error.retry_after if error.retry_after is not None else backoff(
                    row.attempts, CANCEL_BASE_S, CANCEL_CAP_S)
                row.status, row.next_at = "pending", done_at + timedelta(seconds=wait)
                row.last_error = str(error)[:500]
                report.retried += 1
            else:
                row.attempts = attempts + 1
                row.status, row.last_error = "refused", str(error)[:500]
                audit.record(s, actor, "waybill.cancel_refused", "order", order_no,
                             tracking_no, None, {"provider": provider,
                                                 "error": str(error)[:200]})
                report.refused += 1
    return report

