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

import hashlib
import json
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import String, and_, delete, exists, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.china_time import in_china
from app.domain.roles import Permission
from app.domain.waybill_providers import (
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
from app.services.order_lookup import find_order
from app.store import bulk
from app.store.db import Database
from app.store.models import (
    Carrier,
    Order,
    OrderException,
    OrderLine,
    Package,
    ShipmentConfirmation,
    Shop,
    Sku,
    StationWaybillRequest,
    TrackingNumber,
    Warehouse,
    WaybillCancellation,
    WaybillWait,
)
from app.sync.contract import BoxWaybill

log = logging.getLogger("packline.waybills")

ISSUABLE = ("routed", "in_wave", "picking", "picked", "packing", "packed")
PREFETCH_STATUSES = ("routed", "in_wave", "picking", "picked")
PREFETCH_BATCH = 50
# Cancelling at the provider: retried with back-off, a row stuck `sending` (a crash) taken
# up again after this.
# A pass claims what it can give back well before a claim looks stuck (each call is up to
# three tries of 10 s).
CANCEL_BATCH = 5
CANCEL_BASE_S, CANCEL_CAP_S = 5.0, 600.0
STUCK_AFTER = timedelta(minutes=5)
# A box whose waybill could not be fetched waits before the engine asks again: up to
# WAIT_BASE_S · 2^attempts (jittered, capped) when the platform did not answer; REFUSED_WAIT
# when it refused (a person fixes the shop first; a lead's retry clears the wait).
WAIT_BASE_S, WAIT_CAP_S = 10.0, 1800.0
REFUSED_WAIT = timedelta(hours=1)
REFUSED_CATEGORY = "waybill_refused"
# A waybill of a box not yet packed is given back (and a fresh one issued) in these
# statuses; a packed parcel is intercepted instead, its label being on the box.
UNPACKED = ("open", "labelled")

# (database, provider code, shop code) → the provider's client for that shop.
ProviderFor = Callable[[Database, str, str | None], WaybillProvider]


class WaybillUnreachable(ServiceError):
    """The platform's e-waybill service did not answer (or asked to wait): try again."""


class WaybillRefused(Conflict):
    """The platform refused to issue (or its credentials were refused): a person acts."""


class WaybillFetching(ServiceError):
    """The centre does not hold the box's waybill yet: the engine is fetching it from the
    platform. The station waits (nothing printed, nothing confirmed) and asks again."""


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


def issued_for(order: Order, carrier_code: str) -> str:
    """What a platform waybill is issued for: the carrier, the sending warehouse and a digest
    of the receiver (plain fields, OAID and ciphertexts). A waybill whose order no longer
    gives the same is stale: it is never handed out."""
    receiver = [order.receiver_name, order.receiver_phone, order.province, order.city,
                order.district, order.address, order.receiver_oaid or "",
                sorted((str(k), str(v)) for k, v in (order.receiver_cipher or {}).items())]
    digest = hashlib.sha256(json.dumps(receiver, ensure_ascii=False).encode()).hexdigest()
    return f"{carrier_code}:{order.warehouse_id or 0}:{digest[:24]}"


def _routed_to(carrier_code: str, order: Order) -> str:
    """The part of `issued_for` that says where the order is routed (carrier, warehouse)."""
    return f"{carrier_code}:{order.warehouse_id or 0}:"


def stale(package: Package, order: Order, carrier_code: str) -> bool:
    """Whether the package's platform waybill was issued for another carrier, warehouse or
    receiver than the order has now (one issued before this was kept is taken as it is)."""
    return bool(package.tracking_no and package.waybill_provider != POOL
                and package.waybill_for is not None
                and package.waybill_for != issued_for(order, carrier_code))


def _carrier_code(s: Session, order: Order) -> str:
    if order.carrier_id is None:
        return ""
    return s.scalar(select(Carrier.code).where(Carrier.id == order.carrier_id)) or ""


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
    carrier_code: str = ""
    issued_for: str | None = None  # a platform waybill: what it is issued for


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
        return _Plan(order.id, order.order_no, POOL, None, carrier.id, None, carrier.code)
    warehouse = s.get_one(Warehouse, order.warehouse_id)
    lines = s.execute(select(OrderLine.sku_code, OrderLine.qty, Sku.name, Sku.weight_g)
                      .outerjoin(Sku, Sku.id == OrderLine.sku_id)
                      .where(OrderLine.order_id == order.id)
                      .order_by(OrderLine.line_no)).all()
    if weight_g is None:
        weight_g = sum((ln.weight_g or 0) * ln.qty for ln in lines) or None
    cipher = order.receiver_cipher
    # The provider is idempotent on the request id: a box whose waybill was given back asks
    # under a new one ("ORDER~2:BOX"), or it would get the given-back number again.
    given_back = s.scalar(select(func.count()).select_from(WaybillCancellation)
                          .join(Package, Package.id == WaybillCancellation.package_id)
                          .where(Package.order_id == order.id, Package.box_no == box)) or 0
    held = _existing(s, order.id, box)
    if held is not None and held.tracking_no:
        given_back += 1  # a stale waybill, given back when the fresh one is stored
    request_id = (f"{order.order_no}:{box}" if not given_back
                  else f"{order.order_no}~{given_back + 1}:{box}")
    request = WaybillRequest(
        request_id=request_id, order_no=order.order_no,
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
                 request, carrier.code, issued_for(order, carrier.code))


def pool_number(s: Session, carrier_id: int, now: datetime) -> str:
    """A free number of the carrier's self-managed pool, taken for good (SKIP LOCKED on
    PostgreSQL, so packers never wait on each other)."""
    query = (select(TrackingNumber).where(TrackingNumber.carrier_id == carrier_id,
                                          TrackingNumber.status == "free")
             .order_by(TrackingNumber.id).limit(1))
    if s.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    number = s.scalars(query).first()
    if number is None:
        raise Conflict("the carrier's pool of tracking numbers is empty; load new numbers",
                       code="waybill.pool_empty")
    number.status, number.used_at = "used", now
    return number.number


class _EngineGivesBack(Exception):
    """The box holds a stale platform waybill and this caller (a packing station) may not
    give it back: the engine does, when it serves the box's ask."""


def _store(db: Database, actor: Actor, plan: _Plan, box: int, tracking_no: str | None,
           print_data: dict[str, Any] | None, now: datetime, *,
           may_give_back: bool = True) -> BoxWaybill:
    """The box's waybill written once: the first writer's number stays (a second, racing
    writer reads it back). A stale waybill on the box is given back first — by the engine
    only (`may_give_back`); a station's write raises `_EngineGivesBack` instead."""
    changed = False
    for _attempt in range(3):
        try:
            with db.unit_of_work() as s:
                order = s.get_one(Order, plan.order_id, with_for_update=True)
                package = s.scalars(select(Package).where(
                    Package.order_id == order.id, Package.box_no == box)
                    .with_for_update()).first()
                if package is not None and package.status in UNPACKED \
                        and stale(package, order, plan.carrier_code):
                    if not may_give_back:
                        raise _EngineGivesBack
                    give_back(s, actor, order, "stale", packages=[package], now=now)
                held = _held(package)
                if held is not None:
                    return held
                if plan.issued_for is not None and tracking_no is not None and (
                        order.carrier_id != plan.carrier_id
                        or issued_for(order, plan.carrier_code) != plan.issued_for):
                    # The order changed while the platform was asked: that waybill is never
                    # stored for the wrong parcel. It is queued to be given back (on the
                    # box's row, made for it if need be), which also moves the box's next
                    # ask to a new request id — the old one would get this number again.
                    _orphan(s, actor, order, package, plan, box, tracking_no, now)
                    changed = True
                    break
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
                package.waybill_for = plan.issued_for
                package.waybill_cancelled_at = None
                s.flush()
                audit.record(s, actor, "package.tracking", "order", order.order_no, None,
                             number, {"box": box, "provider": plan.provider})
                return BoxWaybill(box, number, plan.provider, dict(print_data or {}))
        except IntegrityError:
            continue  # another writer made the row between our read and write: read it
    if changed:
        raise Conflict(f"{plan.order_no} changed while its waybill was fetched: try again",
                       code="waybill.busy", order_no=plan.order_no, box=box)
    raise Conflict(f"box {box} of {plan.order_no} is being written elsewhere: try again",
                   code="waybill.busy", order_no=plan.order_no, box=box)


def _orphan(s: Session, actor: Actor, order: Order, package: Package | None, plan: _Plan,
            box: int, number: str, now: datetime) -> None:
    """A platform waybill issued for what the order no longer is, never stored: queued to be
    given back at its provider, against the box's row (an open one made for it when the box
    has none), audited `waybill.orphaned`. `_plan` counts it, so the next ask uses a new
    request id and gets a fresh number."""
    if package is None:
        package = Package(order_id=order.id, box_no=box, carrier_id=plan.carrier_id,
                          status="open", created_at=now)
        s.add(package)
        s.flush()
    have = s.scalar(select(WaybillCancellation.id).where(
        WaybillCancellation.package_id == package.id, WaybillCancellation.tracking_no == number))
    if have is None:
        s.add(WaybillCancellation(package_id=package.id, provider=plan.provider,
                                  carrier_code=plan.carrier_code, tracking_no=number,
                                  reason="changed_while_fetched", status="pending",
                                  attempts=0, next_at=now, last_error="", created_at=now))
        audit.record(s, actor, "waybill.orphaned", "order", order.order_no, number, None,
                     {"box": box, "provider": plan.provider})


def _issue(db: Database, actor: Actor, order_ref: str, box: int, *, weight_g: int | None,
           template: str, provider_for: ProviderFor | None,
           draw_pool: bool = True) -> BoxWaybill | None:
    """Box `box`'s waybill. Without `draw_pool` (the engine, which holds no pool numbers) a
    box of the pool only has its stale platform waybill given back, and None is returned:
    the station draws the pool number at its next ask."""
    with db.reader() as s:
        order = find_order(s, order_ref)
        package = _existing(s, order.id, box)
        if package is not None and stale(package, order, _carrier_code(s, order)) \
                and package.status in UNPACKED:
            package = None  # given back when the fresh one is stored (`_store`)
        held = _held(package)
        if held is not None:
            return held
        plan = _plan(s, order, box, weight_g, template)
    now = datetime.now(UTC)
    if plan.request is None and not draw_pool:
        _give_back_stale(db, actor, plan, box, now)
        return None
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


def _give_back_stale(db: Database, actor: Actor, plan: _Plan, box: int,
                     now: datetime) -> None:
    """The box's stale platform waybill (the order now draws from the pool) given back."""
    with db.unit_of_work() as s:
        order = s.get_one(Order, plan.order_id, with_for_update=True)
        package = s.scalars(select(Package).where(
            Package.order_id == order.id, Package.box_no == box).with_for_update()).first()
        if package is not None and package.status in UNPACKED \
                and stale(package, order, plan.carrier_code):
            give_back(s, actor, order, "stale", packages=[package], now=now)


@guarded(Permission.PACK)
def issue(db: Database, actor: Actor, order_ref: str, box: int = 1, *,
          weight_g: int | None = None, template: str = "76x130",
          provider_for: ProviderFor | None = None) -> BoxWaybill:
    """Box `box`'s waybill, from the order's provider the first time; the same again after."""
    issued = _issue(db, actor, order_ref, box, weight_g=weight_g, template=template,
                    provider_for=provider_for)
    assert issued is not None  # a pool number is drawn here
    return issued


def held_waybills(s: Session, order_ids: list[int]) -> dict[int, list[BoxWaybill]]:
    """The waybills issued for these orders' boxes (not cancelled, and not issued for
    another carrier, warehouse or receiver than the order has now), by order id."""
    found: dict[int, list[BoxWaybill]] = {}
    if not order_ids:
        return found
    orders = {o.id: o for o in s.scalars(select(Order).where(Order.id.in_(order_ids)))}
    carriers = {cid: code for cid, code in s.execute(select(Carrier.id, Carrier.code))}
    for p in s.scalars(select(Package).where(Package.order_id.in_(order_ids),
                                             Package.tracking_no.is_not(None),
                                             Package.waybill_cancelled_at.is_(None))
                       .order_by(Package.order_id, Package.box_no)):
        order = orders[p.order_id]
        if p.status in UNPACKED and stale(p, order, carriers.get(order.carrier_id or 0, "")):
            continue
        found.setdefault(p.order_id, []).append(BoxWaybill(
            p.box_no, str(p.tracking_no), p.waybill_provider or POOL, dict(p.print_data or {})))
    return found


# ------------------------------------------------------------------ fetched ahead


@dataclass(slots=True)
class PrefetchReport:
    issued: int = 0
    failed: int = 0
    # Asks for boxes that now draw from the pool: their stale platform waybill given back,
    # the number left for the station to draw.
    for_the_pool: int = 0
    errors: list[str] = field(default_factory=list)


def _platform_routes(s: Session) -> Any:
    """The condition "the order's shop and carrier get their waybills from a platform whose
    client Packline has": the provider rule evaluated per (shop, carrier) — an order of the
    pool, or of a provider without a client, is no candidate (it would fail every pass)."""
    from app.platforms.registry import PROVIDERS as SERVED

    carriers = [(cid, code) for cid, code in s.execute(select(Carrier.id, Carrier.code))]
    routes = []
    for shop in s.scalars(select(Shop).where(or_(
            Shop.waybill_providers.is_not(None),
            and_(Shop.api_url.is_not(None), Shop.app_key.is_not(None))))):
        served = []
        for carrier_id, code in carriers:
            try:
                provider = choose_provider(shop.channel, code, shop.waybill_providers,
                                           connected=connected(shop)).provider
            except ProviderRefused:
                continue
            if provider in SERVED:
                served.append(carrier_id)
        if served:
            routes.append(and_(Order.shop_id == shop.id, Order.carrier_id.in_(served)))
    return or_(*routes) if routes else None


def _prefetch_candidates(s: Session, limit: int, now: datetime) -> list[int]:
    """Orders ready to pack soon whose shop and carrier take a platform's waybill, without a
    box 1 waybill issued for where they are routed now, and not waiting after a failure."""
    routes = _platform_routes(s)
    if routes is None:
        return []
    prefix = Carrier.code + ":" + func.coalesce(Order.warehouse_id, 0).cast(String) + ":"
    has_box1 = exists().where(Package.order_id == Order.id, Package.box_no == 1,
                              Package.tracking_no.is_not(None),
                              or_(Package.waybill_for.is_(None),
                                  Package.waybill_for.startswith(prefix)))
    waiting = exists().where(WaybillWait.order_id == Order.id, WaybillWait.box_no == 1,
                             WaybillWait.next_at > now)
    query = (select(Order.id).join(Carrier, Carrier.id == Order.carrier_id)
             .where(Order.status.in_(PREFETCH_STATUSES), Order.intercept.is_(None),
                    routes, ~has_box1, ~waiting)
             .order_by(Order.id).limit(limit))
    if s.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=Order)
    return list(s.scalars(query))


def _lead_must_act(exc: ServiceError) -> bool:
    """A failure a person must fix (the platform refused, the shop is not set up for it),
    as opposed to one that passes (unreachable, busy, the order moved on)."""
    return not isinstance(exc, WaybillUnreachable) and exc.code not in (
        "waybill.busy", "waybill.not_routed", "waybill.intercepted", "waybill.cancelled",
        "order.not_found")


def _failed(db: Database, actor: Actor, order_id: int, box: int, exc: ServiceError) -> None:
    """The box waits before it is asked for again; a refusal is an exception for the lead on
    the order (once while open; its status stays), never a hint shown to a packer."""
    now = datetime.now(UTC)
    refused = _lead_must_act(exc)
    with db.unit_of_work() as s:
        wait = s.get(WaybillWait, (order_id, box), with_for_update=True)
        if wait is None:
            wait = WaybillWait(order_id=order_id, box_no=box, attempts=0, next_at=now,
                               refused=False, last_error="")
            s.add(wait)
        wait.attempts += 1
        wait.refused = refused
        wait.last_error = str(exc)[:500]
        wait.next_at = now + (REFUSED_WAIT if refused else timedelta(
            seconds=backoff(wait.attempts, WAIT_BASE_S, WAIT_CAP_S)))
        if not refused:
            return
        order = s.get_one(Order, order_id)
        open_one = s.scalar(select(OrderException.id).where(
            OrderException.order_id == order_id, OrderException.category == REFUSED_CATEGORY,
            OrderException.resolved_at.is_(None)))
        if open_one is None:
            from app.domain.notes import Note
            from app.domain.notes import encode as encode_notes
            from app.services import changes
            from app.services.changes import Change

            s.add(OrderException(
                order_id=order_id, category=REFUSED_CATEGORY,
                detail=encode_notes([Note(exc.code or "waybill.platform_refused",
                                          str(exc)[:300],
                                          {k: v for k, v in exc.params.items()
                                           if isinstance(v, (str, int, float))})]),
                raised_at=now, raised_by=actor.user_id, level=0, resolution=""))
            changes.note(s, Change.EXCEPTIONS)
            audit.record(s, actor, "waybill.refused", "order", order.order_no, None, None,
                         {"box": box, "code": exc.code or "", "error": str(exc)[:200]})


def _served(db: Database, actor: Actor, order_id: int, box: int) -> None:
    """The box has its waybill: no wait, no request, its refusal (if any) resolved."""
    with db.unit_of_work() as s:
        s.execute(delete(WaybillWait).where(WaybillWait.order_id == order_id,
                                            WaybillWait.box_no == box))
        s.execute(delete(StationWaybillRequest).where(
            StationWaybillRequest.order_id == order_id, StationWaybillRequest.box_no == box))
        s.execute(update(OrderException).where(
            OrderException.order_id == order_id, OrderException.category == REFUSED_CATEGORY,
            OrderException.resolved_at.is_(None)).values(
            resolved_at=datetime.now(UTC), resolved_by=actor.user_id,
            resolution="waybill issued"))


def _fetch(db: Database, actor: Actor, order_id: int, order_no: str, box: int,
           report: PrefetchReport, provider_for: ProviderFor | None) -> None:
    try:
        issued = _issue(db, actor, order_no, box, weight_g=None, template="76x130",
                        provider_for=provider_for, draw_pool=False)
    except ServiceError as exc:
        report.failed += 1
        report.errors.append(f"{order_no}: {exc}")
        log.info("waybill of %s box %d not fetched: %s", order_no, box, exc)
        _failed(db, actor, order_id, box, exc)
        return
    if issued is None:  # the pool's: the station draws it, its stale waybill given back
        report.for_the_pool += 1
    else:
        report.issued += 1
    _served(db, actor, order_id, box)


@guarded(Permission.RUN_ENGINE)
def prefetch(db: Database, actor: Actor, *, limit: int = PREFETCH_BATCH,
             provider_for: ProviderFor | None = None) -> PrefetchReport:
    """Box 1's waybill fetched ahead for up to `limit` platform orders. The candidates are
    read with SKIP LOCKED (PostgreSQL), so an engine passes over orders another transaction
    holds; each waybill is asked for after that short transaction, outside any lock (two
    engines asking for the same box get the same number: the provider is idempotent). A
    failure waits (`waybill_waits`) and is tried again later, so the orders behind it get
    their turn; a refusal is an exception for the lead."""
    report = PrefetchReport()
    with db.unit_of_work() as s:
        ids = _prefetch_candidates(s, limit, datetime.now(UTC))
        plans = [(o.id, o.order_no) for o in
                 s.scalars(select(Order).where(Order.id.in_(ids)).order_by(Order.id))]
    for order_id, order_no in plans:
        _fetch(db, actor, order_id, order_no, 1, report, provider_for)
    if report.issued or report.failed:
        log.info("waybills fetched ahead: %d, failed: %d", report.issued, report.failed)
    return report


# ------------------------------------------------------------------ asked by a station


@guarded(Permission.PACK)
def request(db: Database, actor: Actor, station: str, order_ref: str,
            box: int = 1) -> BoxWaybill:
    """A packing station's ask for box `box`'s waybill. Never a call to a platform (only the
    engine holds the shops' secrets): the box's waybill when the centre has it (the pool's
    is drawn at once); otherwise the ask is recorded for the engine and `WaybillFetching`
    (`waybill.fetching`) tells the station to wait and ask again — or, while the engine
    waits after failing to reach the platform, `waybill.platform_unreachable` with the time
    it asks again (`retry_at`, China time). A box the platform refused is
    `waybill.refused_for_lead` (the lead has it in the exception queue) until its wait is
    over or the lead retries it."""
    now = datetime.now(UTC)
    with db.reader() as s:
        order = find_order(s, order_ref)
        package = _existing(s, order.id, box)
        # A stale waybill (issued for another carrier, warehouse or receiver) is given back
        # by the engine, never here: the box is asked for like one without a waybill.
        stale_box = package is not None and package.status in UNPACKED \
            and stale(package, order, _carrier_code(s, order))
        held = None if stale_box else _held(package)
        if held is not None:
            return held
        plan = _plan(s, order, box, None, "76x130")
        wait = s.get(WaybillWait, (order.id, box))
        # A refusal stands until its wait is over (or a lead's retry removes it): then the
        # box is asked for again.
        refused = wait is not None and wait.refused and wait.next_at > now
        # The engine could not reach the platform and waits before it asks again.
        unreachable_until = wait.next_at if wait is not None and not wait.refused \
            and wait.next_at > now else None
    order_id, order_no = plan.order_id, plan.order_no
    if plan.request is None and not stale_box:
        try:
            return _store(db, actor, plan, box, None, None, now, may_give_back=False)
        except _EngineGivesBack:
            pass  # went stale since it was read: the engine gives it back
    if refused:
        raise WaybillRefused(f"the platform refused the waybill of {order_no} box "
                             f"{box}: the shift lead has it in the exception queue",
                             code="waybill.refused_for_lead", order_no=order_no,
                             box=box)
    with db.unit_of_work() as s:
        table = StationWaybillRequest.__table__
        ins = (postgresql.insert(table) if s.get_bind().dialect.name == "postgresql"
               else sqlite.insert(table))
        if s.execute(ins.values(order_id=order_id, box_no=box, requested_at=now,
                                station=station[:32], requested_by=actor.user_id)
                     .on_conflict_do_nothing(index_elements=["order_id", "box_no"])
                     .returning(table.c.id)).first():
            audit.record(s, actor, "waybill.requested", "order", order_no, None, None,
                         {"box": box, "station": station[:32]})
    if unreachable_until is not None:
        raise WaybillUnreachable(
            f"{plan.provider} cannot be reached for the waybill of {order_no} box {box}: "
            f"the engine asks again at {unreachable_until.isoformat(timespec='seconds')}",
            code="waybill.platform_unreachable", provider=plan.provider, order_no=order_no,
            box=box, retry_at=in_china(unreachable_until).strftime("%H:%M:%S"))
    raise WaybillFetching(f"the waybill of {order_no} box {box} is being fetched from "
                          "the platform", code="waybill.fetching", order_no=order_no,
                          box=box)


@guarded(Permission.RUN_ENGINE)
def serve_requests(db: Database, actor: Actor, *, limit: int = PREFETCH_BATCH,
                   provider_for: ProviderFor | None = None) -> PrefetchReport:
    """The stations' asks for waybills, oldest first (a packer is waiting on each), each
    asked for outside any transaction; a box waiting after a failure is left until its
    time. A served ask is removed; one for an order that moved on is dropped."""
    report = PrefetchReport()
    now = datetime.now(UTC)
    with db.unit_of_work() as s:
        asked = StationWaybillRequest
        waiting = exists().where(WaybillWait.order_id == asked.order_id,
                                 WaybillWait.box_no == asked.box_no,
                                 WaybillWait.next_at > now)
        query = (select(asked.id, asked.order_id, asked.box_no, Order.order_no, Order.status,
                        Order.intercept)
                 .join(Order, Order.id == asked.order_id).where(~waiting)
                 .order_by(asked.requested_at, asked.id).limit(limit))
        if s.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True, of=StationWaybillRequest)
        rows = s.execute(query).all()
        gone = [r.id for r in rows if r.status not in ISSUABLE or r.intercept]
        if gone:
            s.execute(delete(StationWaybillRequest).where(StationWaybillRequest.id.in_(gone)))
        work = [(r.order_id, r.order_no, r.box_no) for r in rows if r.id not in gone]
    for order_id, order_no, box in work:
        _fetch(db, actor, order_id, order_no, box, report, provider_for)
    if report.issued or report.failed:
        log.info("waybills asked by stations: %d issued, %d failed", report.issued,
                 report.failed)
    return report


# ------------------------------------------------------------------ cancelling


def give_back(s: Session, actor: Actor, order: Order, reason: str, *,
              packages: list[Package] | None = None, now: datetime | None = None) -> int:
    """In the caller's transaction: the order's platform waybills not handed over — fetched
    ahead, labelled or packed — queued to be given back at their provider (the engine calls
    it, never this transaction). A box not packed yet loses its number and print data, so a
    fresh waybill is issued when it is packed; a packed parcel keeps its number (its label is
    on the box) and is marked cancelled once its provider says so. Confirmations queued for
    these numbers and not sent are withdrawn. Returns how many were queued."""
    now = now or datetime.now(UTC)
    if packages is None:
        packages = list(s.scalars(select(Package).where(
            Package.order_id == order.id, Package.tracking_no.is_not(None),
            Package.waybill_provider != POOL, Package.handover_id.is_(None),
            Package.waybill_cancelled_at.is_(None)).order_by(Package.box_no)
            .with_for_update()))
    carriers = {cid: code for cid, code in s.execute(select(Carrier.id, Carrier.code))}
    queued, numbers = 0, []
    for p in packages:
        if not p.tracking_no or p.waybill_provider == POOL or p.handover_id is not None:
            continue
        number = p.tracking_no
        numbers.append(number)
        have = s.scalar(select(WaybillCancellation.id).where(
            WaybillCancellation.package_id == p.id, WaybillCancellation.tracking_no == number))
        if have is None:
            s.add(WaybillCancellation(package_id=p.id, provider=p.waybill_provider,
                                      carrier_code=carriers.get(p.carrier_id or 0, ""),
                                      tracking_no=number, reason=reason[:32],
                                      status="pending", attempts=0, next_at=now,
                                      last_error="", created_at=now))
            queued += 1
        if p.status in UNPACKED:
            p.tracking_no, p.print_data, p.waybill_for = None, None, None
            p.waybill_provider, p.status = POOL, "open"
            audit.record(s, actor, "package.tracking", "order", order.order_no, number, None,
                         {"box": p.box_no, "given_back": reason[:32]})
    if numbers:
        s.flush()
        withdraw_confirmations(s, actor, order, numbers, f"waybill given back ({reason})")
    return queued


def queue_cancellations(s: Session, actor: Actor, order: Order, reason: str,
                        now: datetime | None = None) -> int:
    """`give_back` of every platform waybill of the order not handed over (its intercept,
    its cancellation)."""
    return give_back(s, actor, order, reason, now=now)


def withdraw_confirmations(s: Session, actor: Actor, order: Order, numbers: list[str],
                           why: str, *, claimed: tuple[int, ...] = ()) -> int:
    """The order's shipment confirmations for these tracking numbers that wait to be sent
    (`pending`, or `refused`) are withdrawn, never sent, audited `shipment.withdrawn`. A row
    being sent is left to its outcome — the platform may have taken it already; its sender
    settles it (`app.services.shipments`) — except those in `claimed`, which the caller
    claimed itself and has not sent. The confirmation of a parcel handed over (its handover
    closed: it left with the carrier) is never withdrawn: the platform must hear it left."""
    c = ShipmentConfirmation
    handed_over = exists().where(
        Package.order_id == c.order_id, Package.tracking_no == c.tracking_no,
        Package.status == "handed_over")
    waiting: Any = c.status.in_(["pending", "refused"])
    if claimed:
        waiting = or_(waiting, and_(c.status == "sending", c.id.in_(list(claimed))))
    rows = list(s.scalars(select(c).where(
        c.order_id == order.id, c.tracking_no.in_(numbers), waiting, ~handed_over)
        .order_by(c.id).with_for_update()))
    for row in rows:
        before = row.status
        row.status, row.last_error = "withdrawn", why[:500]
        audit.record(s, actor, "shipment.withdrawn", "order", order.order_no, before,
                     "withdrawn", {"channel_order_no": row.channel_order_no,
                                   "tracking_no": row.tracking_no, "why": why[:200]})
    return len(rows)


def receiver_changed(s: Session, actor: Actor, order: Order) -> int:
    """In the transaction that changed the order's receiver: the waybills issued for the old
    one and not packed yet are given back (a packed parcel is intercepted by the caller)."""
    return give_back(s, actor, order, "address_changed", packages=list(s.scalars(
        select(Package).where(Package.order_id == order.id, Package.tracking_no.is_not(None),
                              Package.waybill_provider != POOL,
                              Package.status.in_(UNPACKED), Package.handover_id.is_(None),
                              Package.waybill_cancelled_at.is_(None)).with_for_update())))


def routed_again(s: Session, actor: Actor, order_ids: list[int]) -> int:
    """In the engine's routing transaction, after these orders' carrier and warehouse are
    written: the platform waybills of their boxes not packed yet that were issued for another
    carrier, warehouse or receiver (or of an order split into parts, which ships none of its
    own boxes) are given back (`give_back`), so no packing station ever meets a stale one —
    a station may not give back waybills. Returns how many were queued."""
    if not order_ids:
        return 0
    packages = list(s.scalars(select(Package).where(
        bulk.matching(s, Package.order_id, order_ids), Package.tracking_no.is_not(None),
        Package.waybill_provider != POOL, Package.status.in_(UNPACKED),
        Package.handover_id.is_(None), Package.waybill_cancelled_at.is_(None))
        .order_by(Package.order_id, Package.box_no).with_for_update()))
    if not packages:
        return 0
    orders = {o.id: o for o in s.scalars(
        select(Order).where(Order.id.in_({p.order_id for p in packages}))
        .execution_options(populate_existing=True))}
    carriers = {cid: code for cid, code in s.execute(select(Carrier.id, Carrier.code))}
    queued = 0
    for order_id in sorted(orders):
        order = orders[order_id]
        code = carriers.get(order.carrier_id or 0, "")
        old = [p for p in packages if p.order_id == order_id
               and (order.status == "split" or stale(p, order, code))]
        if old:
            queued += give_back(s, actor, order, "routed_again", packages=old)
    return queued


def backoff(attempts: int, base_s: float, cap_s: float,
            rng: Callable[[], float] = random.random) -> float:
    """Exponential back-off with equal jitter: a wait between half of base·2^attempts (capped)
    and all of it, so retries spread out and still never come back at once."""
    ceiling: float = min(cap_s, base_s * 2.0 ** min(attempts, 30))
    return ceiling / 2 + rng() * ceiling / 2


def _due(table: Any, now: datetime, stuck_after: timedelta) -> Any:
    return or_(and_(table.status == "pending", table.next_at <= now),
               and_(table.status == "sending", table.next_at <= now - stuck_after))


def _claim(s: Session, table: Any, now: datetime, limit: int, stuck_after: timedelta,
           *where: Any) -> list[int]:
    """Due rows of an outbox marked `sending` by this engine: SKIP LOCKED on PostgreSQL, a
    guarded UPDATE on SQLite (one writer at a time there). A row left `sending` by a crash is
    due again after `stuck_after` (the platform side is idempotent). The claim's token is
    `next_at` = `now` with the row's attempts: a pass settles a row only while both are as it
    claimed them."""
    due = _due(table, now, stuck_after)
    query = select(table.id).where(due, *where).order_by(table.next_at, table.id).limit(limit)
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
            if row.status != "sending" or row.attempts != attempts or row.next_at != now:
                continue  # another pass took it up as stuck: its claim, its outcome
            if error is None or error.kind is PlatformErrorKind.ALREADY_DONE:
                row.status, row.done_at, row.last_error = "done", done_at, ""
                row.attempts = attempts + 1
                # A box given back before packing carries another number by now.
                s.execute(update(Package).where(Package.id == package_id,
                                                Package.tracking_no == tracking_no)
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

