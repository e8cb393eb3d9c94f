"""Pulling a shop's orders and their status changes from its platform.

`pull` reads the orders modified since the shop's cursor (`channel_cursors.pulled_until`;
the first time, `LOOKBACK` back), starting `OVERLAP` before it so an order modified at the
edge of the last window is read again rather than missed, up to `LAG` before now (the
platform's own index trails its writes). The span is cut into windows no longer than the
platform allows (TOP: a day; Pinduoduo: 30 minutes), each read page by page until the
platform says there is no next page.

Each page goes through the doors every order and event goes through: the records through
intake (`app.services.intake.ingest`, idempotent on channel + channel order number, the same
validation as an order file), the status changes through `app.services.channel_events`
(idempotent on their event key). The cursor moves to a window's end only after the whole
window was read and stored; a crash in between reads the window again, and the doors make
that harmless. So no order is ever skipped.

Failures: the platform's call limit is waited out (its `retry_after`, a few times); any other
failure stops the pull, is kept on the cursor (`last_error`) and audited. The engine's poller
(`poll_all`) pulls every shop with `pull_enabled`; one shop's failure never stops the others.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from app import redact
from app.domain import intake as parse
from app.domain.roles import Permission
from app.platforms.base import ChannelAdapter, PlatformError, PlatformErrorKind, PulledOrder
from app.services import audit, channel_events, intake, shops
from app.services.access import guarded
from app.services.context import Actor
from app.services.errors import InvalidInput, NotFound, ServiceError
from app.store.db import Database
from app.store.models import ChannelCursor, Order, Shop

log = logging.getLogger("packline.channels")

LOOKBACK = timedelta(days=1)  # the first pull of a shop reads this far back
OVERLAP = timedelta(minutes=5)  # each pull reads again this much before its cursor
LAG = timedelta(seconds=30)  # and stops this much before now
RATE_LIMIT_WAITS = 5  # waits for the platform's call limit within one pull
DEFAULT_WINDOW = timedelta(days=1)


@dataclass(slots=True)
class PullReport:
    shop: str
    channel: str = ""
    window_start: datetime | None = None
    window_end: datetime | None = None  # how far the cursor now reaches
    windows: int = 0
    pages: int = 0
    created: int = 0
    duplicates: int = 0
    refused: list[parse.RowError] = field(default_factory=list)
    skipped: int = 0  # shipped or closed on the platform and never seen here: not taken in
    events_applied: int = 0
    events_repeated: int = 0
    events_refused: list[str] = field(default_factory=list)
    error: str = ""  # why the pull stopped early ("" = it read everything)
    error_kind: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "shop": self.shop, "channel": self.channel,
            "window_start": self.window_start.isoformat() if self.window_start else None,
            "window_end": self.window_end.isoformat() if self.window_end else None,
            "windows": self.windows, "pages": self.pages, "created": self.created,
            "duplicates": self.duplicates, "skipped": self.skipped,
            "refused": [{"line": e.line, "channel_order_no": e.channel_order_no,
                         "reason": e.reason, "code": e.code, "params": dict(e.params)}
                        for e in self.refused],
            "events_applied": self.events_applied, "events_repeated": self.events_repeated,
            "events_refused": list(self.events_refused),
            "error": self.error, "error_kind": self.error_kind,
        }


class PullStopped(ServiceError):
    """The platform refused or could not be reached: the pull stopped, its cursor says why."""


def windows(start: datetime, end: datetime, longest: timedelta) -> list[tuple[datetime,
                                                                              datetime]]:
    """[start, end] cut into consecutive windows no longer than `longest`."""
    out = []
    at = start
    while at < end:
        upto = min(at + longest, end)
        out.append((at, upto))
        at = upto
    return out


# An order's receiver as stored: the columns an address change is compared with.
_RECEIVER = (Order.channel_order_no, Order.receiver_name, Order.receiver_phone, Order.province,
             Order.city, Order.district, Order.address, Order.receiver_oaid)


def _receiver_same(order: Any, receiver: Mapping[str, Any]) -> bool:
    """Whether the platform's receiver is the one stored (`order`: a row of `_RECEIVER`)."""
    stored = {"name": order.receiver_name, "phone": order.receiver_phone,
              "province": order.province, "city": order.city, "district": order.district,
              "address": order.address}
    for key, value in stored.items():
        if str(receiver.get(key) or "").strip() != (value or "").strip():
            return False
    oaid = receiver.get("oaid")
    return not oaid or order.receiver_oaid in (None, oaid)


def _page_with_waits(adapter: ChannelAdapter, start: datetime, end: datetime, page: int,
                     size: int, sleep: Callable[[float], None], waits: list[int]) -> Any:
    while True:
        try:
            return adapter.orders_modified(start, end, page, size)
        except PlatformError as exc:
            if exc.kind is not PlatformErrorKind.RATE_LIMITED or waits[0] >= RATE_LIMIT_WAITS:
                raise
            waits[0] += 1
            wait = min(max(exc.retry_after or 1.0, 0.1), 60.0)
            log.info("call limit reached; waiting %.1f s", wait)
            sleep(wait)


def _store_page(db: Database, actor: Actor, channel: str, pulled: tuple[PulledOrder, ...],
                report: PullReport) -> None:
    numbers = {str(p.record.get("channel_order_no") or "") for p in pulled}
    with db.reader() as s:
        # The page's orders Packline has, read once: an address change is checked against
        # them without a query per order (a pull's overlap reads hundreds again each time).
        stored = {o.channel_order_no: o for o in s.execute(select(*_RECEIVER).where(
            Order.channel == channel, Order.channel_order_no.in_(sorted(numbers))))}
    known = set(stored)
    to_take = [p for p in pulled if p.ship or str(p.record.get("channel_order_no")) in known]
    report.skipped += len(pulled) - len(to_take)
    lines = [json.dumps(dict(p.record), ensure_ascii=False, default=str) for p in to_take
             if str(p.record.get("channel_order_no")) not in known]
    parsed = parse.parse_jsonl(lines)
    result = intake.ingest(db, actor, parsed.drafts)
    report.created += len(result.created)
    report.duplicates += len(result.duplicates) + (len(to_take) - len(lines))
    report.refused.extend(parsed.errors)
    report.refused.extend(result.rejected)
    for p in to_take:
        number = str(p.record.get("channel_order_no") or "")
        if number not in known and (channel, number) not in result.landed:
            continue
        for event in p.events:
            kind = str(event.get("event_type") or "")
            payload = dict(event.get("payload") or {})
            if kind == "address_changed":
                order = stored.get(number)
                if order is None:
                    continue  # just taken in with this very address
                if _receiver_same(order, payload.get("receiver") or {}):
                    continue
            try:
                applied = channel_events.apply_event(db, actor, channel, number, kind,
                                                     str(event.get("event_key") or ""), payload)
            except (InvalidInput, NotFound) as exc:
                report.events_refused.append(f"{number} {kind}: {exc}")
                continue
            if applied.applied:
                report.events_applied += 1
            else:
                report.events_repeated += 1


def _cursor_update(db: Database, shop_id: int, *, until: datetime | None, seen: int,
                   error: str | None, now: datetime, initial: datetime) -> None:
    """Move the cursor to `until` (never back); a shop's first cursor, made when nothing was
    read yet, starts at `initial` (where its first pull started), never at now."""
    with db.unit_of_work() as s:
        cursor = s.get(ChannelCursor, shop_id, with_for_update=True)
        if cursor is None:
            cursor = ChannelCursor(shop_id=shop_id, pulled_until=until or initial,
                                   last_error="", orders_seen=0)
            s.add(cursor)
        if until is not None and until > cursor.pulled_until:
            cursor.pulled_until = until
        cursor.orders_seen = (cursor.orders_seen or 0) + seen
        cursor.last_run_at = now
        if error is not None:
            cursor.last_error = error[:500]


@guarded(Permission.PULL_CHANNELS)
def pull(db: Database, actor: Actor, shop_code: str, now: datetime | None = None,
         page_size: int = 100, *, adapter: ChannelAdapter | None = None,
         lookback: timedelta = LOOKBACK, overlap: timedelta = OVERLAP, lag: timedelta = LAG,
         sleep: Callable[[float], None] = time.sleep) -> PullReport:
    """Read the shop's orders modified since its cursor into intake and the event door."""
    if not 1 <= page_size <= 100:
        raise InvalidInput("page size 1 to 100", code="channels.bad_page_size",
                           value=page_size)
    code = shops.normalize_code(shop_code)
    with db.reader() as s:
        shop = s.scalars(select(Shop).where(Shop.code == code)).first()
        if shop is None:
            raise NotFound(f"no shop {code}", code="shop.not_found", shop=code)
        shop_id, channel = shop.id, shop.channel
        cursor = s.get(ChannelCursor, shop_id)
        since = cursor.pulled_until if cursor is not None else None
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    report = PullReport(shop=code, channel=channel)
    if adapter is None:
        from app.platforms.registry import adapter_for

        try:
            adapter = adapter_for(shops.shop_access(db, code))
        except PlatformError as exc:
            raise InvalidInput(str(exc), code="channels.no_adapter", shop=code,
                               channel=channel) from None
    start = (since - overlap) if since is not None else moment - lookback
    end = moment - lag
    report.window_start = start
    longest = timedelta(seconds=float(getattr(adapter, "window_max_s", 0) or 0)) \
        or DEFAULT_WINDOW
    waits = [0]
    try:
        for w_start, w_end in windows(start, end, longest):
            page, seen = 1, 0
            while True:
                result = _page_with_waits(adapter, w_start, w_end, page, page_size, sleep,
                                          waits)
                report.pages += 1
                seen += len(result.orders)
                _store_page(db, actor, channel, result.orders, report)
                if not result.has_next or not result.orders:
                    break
                page += 1
            # The whole window is stored: only now does the cursor move past it.
            _cursor_update(db, shop_id, until=w_end, seen=seen, error="", now=moment,
                           initial=start)
            report.windows += 1
            report.window_end = w_end
    except PlatformError as exc:
        report.error = redact.scrub(str(exc))[:500]
        report.error_kind = exc.kind.value
        _cursor_update(db, shop_id, until=None, seen=0, error=report.error, now=moment,
                       initial=start + overlap)
        with db.unit_of_work() as s:
            audit.record(s, actor, "channels.pull_failed", "shop", code, None,
                         report.error_kind, {"error": report.error,
                                             "created": report.created})
        log.warning("pull of shop %s stopped: %s", code, report.error)
        return report
    if report.windows == 0:
        _cursor_update(db, shop_id, until=None, seen=0, error="", now=moment,
                       initial=start + overlap)
    if report.created or report.events_applied or report.refused:
        with db.unit_of_work() as s:
            audit.record(s, actor, "channels.pulled", "shop", code, None,
                         report.window_end.isoformat() if report.window_end else None,
                         {"created": report.created, "duplicates": report.duplicates,
                          "refused": len(report.refused),
                          "events": report.events_applied})
    log.info("pulled shop %s: %d new, %d already there, %d refused, %d events",
             code, report.created, report.duplicates, len(report.refused),
             report.events_applied)
    return report


def poll_all(db: Database, actor: Actor, now: datetime | None = None) -> list[PullReport]:
    """One pull of every shop with `pull_enabled`; a shop that fails is logged and kept on
    its cursor, and the others are pulled all the same."""
    with db.reader() as s:
        codes = list(s.scalars(select(Shop.code).where(Shop.pull_enabled,
                                                       Shop.code.is_not(None))
                               .order_by(Shop.code)))
    reports = []
    for code in codes:
        if code is None:
            continue
        try:
            reports.append(pull(db, actor, code, now))
        except ServiceError as exc:
            log.warning("shop %s not pulled: %s", code, redact.scrub(str(exc)))
            with db.reader() as s:
                shop_id = s.scalars(select(Shop.id).where(Shop.code == code)).first()
            if shop_id is not None:
                moment = now or datetime.now(UTC)
                _cursor_update(db, shop_id, until=None, seen=0,
                               error=redact.scrub(str(exc)), now=moment,
                               initial=moment - LOOKBACK + OVERLAP)
        except Exception:  # noqa: BLE001 - one shop's failure never stops the engine
            log.exception("shop %s not pulled", code)
    return reports


class Poller:
    """Calls `poll_all` every `every_s` seconds from the engine's loop (`due`/`run`)."""

    def __init__(self, every_s: float) -> None:
        self.every_s = every_s
        self._last = float("-inf")

    def due(self) -> bool:
        return self.every_s > 0 and time.monotonic() - self._last >= self.every_s

    def run(self, db: Database, actor: Actor) -> list[PullReport]:
        self._last = time.monotonic()
        try:
            return poll_all(db, actor)
        except Exception:  # noqa: BLE001 - the database away: the next poll tries again
            log.exception("channel poll failed")
            return []
