"""Pulling a shop's orders and their status changes from its platform.

`pull` reads the orders modified since the shop's cursor (`channel_cursors.pulled_until`;
the first time, `LOOKBACK` back), starting `OVERLAP` before it so an order modified at the
edge of the last window is read again rather than missed, up to `LAG` before now (the
platform's own index trails its writes). The span is cut into windows no longer than the
platform allows (TOP: a day; Pinduoduo: 30 minutes). Each window's total is read first and
its pages then from the last to the first, as the platforms advise: an order modified while
the pages are read leaves the window and moves the later ones up a place, which read forward
would skip one (`_window_pages`).

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
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app import redact
from app.domain import intake as parse
from app.domain.roles import Permission
from app.platforms.base import (
    ChannelAdapter,
    PlatformError,
    PlatformErrorKind,
    PulledOrder,
    PullPage,
)
from app.services import audit, channel_events, intake, shops
from app.services.access import guarded
from app.services.context import Actor
from app.services.errors import InvalidInput, NotFound, ServiceError
from app.store.db import Database
from app.store.models import ChannelCursor, ChannelReject, Order, Shop

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
    retried: int = 0  # kept rejects tried again before reading
    recovered: list[str] = field(default_factory=list)  # …and taken in now (order numbers)
    # kept rejects dropped: the platform shipped or closed them since (order numbers)
    dropped: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # the shop's open rejects after the pull
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
            "retried": self.retried, "recovered": list(self.recovered),
            "dropped": list(self.dropped),
            "kept": list(self.kept),
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


def _number(pulled: PulledOrder) -> str:
    return str(pulled.record.get("channel_order_no") or "")


def _window_pages(adapter: ChannelAdapter, start: datetime, end: datetime, size: int,
                  sleep: Callable[[float], None], waits: list[int]) -> Iterator[PullPage]:
    """The pages of one window, read so that no order is skipped.

    The platform sorts a window's orders by modified time and pages over that list as it is
    at each call. An order modified while the pages are read leaves the window (its new time
    is after the window's end), and every order after it moves up one place: read forward,
    the first order of the next page would slip onto the page already read. So the first
    call reads the window's total; when it spans more than one page the pages are read from
    the last to the first, page 1 included again: a move then only brings an order onto a
    page still to be read (read twice at worst, which intake and the event door take as a
    repeat). A platform that gives no total is read forward until it says there is no next
    page."""
    first = _page_with_waits(adapter, start, end, 1, size, sleep, waits)
    yield first
    if first.total is None:
        page, result = 1, first
        while result.has_next and result.orders:
            page += 1
            result = _page_with_waits(adapter, start, end, page, size, sleep, waits)
            yield result
        return
    last = -(-first.total // size)
    if last <= 1:
        return
    for page in range(last, 0, -1):
        yield _page_with_waits(adapter, start, end, page, size, sleep, waits)


@dataclass(slots=True)
class _Stored:
    """What one batch of pulled orders came to: the channel order numbers Packline now has
    (taken in, or had already), those intake refused, each with its refusal, and those not
    taken in because the platform shipped or closed them."""

    landed: set[str] = field(default_factory=set)
    refused: list[tuple[PulledOrder, parse.RowError]] = field(default_factory=list)
    # Orders not here read shipped or closed on the platform: number → that state's time.
    closed: dict[str, datetime] = field(default_factory=dict)


def _shown(error: parse.RowError) -> parse.RowError:
    """A refusal as it may be shown and logged: any platform ciphertext it quotes hidden."""
    params = {k: redact.scrub(v) if isinstance(v, str) else v
              for k, v in dict(error.params).items()}
    return parse.RowError(error.line, redact.scrub(error.reason)[:500],
                          error.channel_order_no, code=error.code, params=params)


def _store_page(db: Database, actor: Actor, channel: str, pulled: tuple[PulledOrder, ...],
                report: PullReport) -> _Stored:
    stored = _Stored()
    numbers = {_number(p) for p in pulled}
    with db.reader() as s:
        # The page's orders Packline has, read once: an address change is checked against
        # them without a query per order (a pull's overlap reads hundreds again each time).
        rows = {o.channel_order_no: o for o in s.execute(select(*_RECEIVER).where(
            Order.channel == channel, Order.channel_order_no.in_(sorted(numbers))))}
    known = set(rows)
    stored.landed |= {n for n in numbers if n in known}
    to_take = [p for p in pulled if p.ship or _number(p) in known]
    report.skipped += len(pulled) - len(to_take)
    for p in pulled:
        if not p.ship and _number(p) not in known:
            number = _number(p)
            stored.closed[number] = max(p.modified_at, stored.closed.get(number, p.modified_at))
    fresh = [p for p in to_take if _number(p) not in known]
    lines = [json.dumps(dict(p.record), ensure_ascii=False, default=str) for p in fresh]
    parsed = parse.parse_jsonl(lines)
    result = intake.ingest(db, actor, parsed.drafts)
    report.created += len(result.created)
    report.duplicates += len(result.duplicates) + (len(to_take) - len(lines))
    stored.landed |= {number for ch, number in result.landed if ch == channel}
    for error in [*parsed.errors, *result.rejected]:
        shown = _shown(error)
        report.refused.append(shown)
        if 1 <= error.line <= len(fresh):  # the line is the record's place in `fresh`
            stored.refused.append((fresh[error.line - 1], shown))
    for p in to_take:
        number = _number(p)
        if number not in known and (channel, number) not in result.landed:
            continue
        for event in p.events:
            kind = str(event.get("event_type") or "")
            payload = dict(event.get("payload") or {})
            if kind == "address_changed":
                order = rows.get(number)
                if order is None:
                    continue  # just taken in with this very address
                if _receiver_same(order, payload.get("receiver") or {}):
                    continue
            try:
                applied = channel_events.apply_event(db, actor, channel, number, kind,
                                                     str(event.get("event_key") or ""), payload)
            except (InvalidInput, NotFound) as exc:
                report.events_refused.append(redact.scrub(f"{number} {kind}: {exc}"))
                continue
            if applied.applied:
                report.events_applied += 1
            else:
                report.events_repeated += 1
    return stored


# --------------------------------------------------------------------------- rejects


def _kept(pulled: PulledOrder) -> dict[str, Any]:
    kept: dict[str, Any] = json.loads(json.dumps(
        {"record": dict(pulled.record), "events": [dict(e) for e in pulled.events],
         "ship": pulled.ship}, ensure_ascii=False, default=str))
    return kept


def _keep(db: Database, actor: Actor, shop_id: int, stored: _Stored, now: datetime,
          report: PullReport) -> None:
    """Keep (or bring up to date) the refused records of one batch and forget the rejects
    of the orders that are now taken in. A kept record is replaced by the same order read in
    a newer state, never by an older one; a newer state that is not to ship (the platform
    shipped or closed the order) drops it, audited — never taken in later as it was."""
    if stored.landed:
        with db.unit_of_work() as s:
            s.execute(delete(ChannelReject).where(
                ChannelReject.shop_id == shop_id,
                ChannelReject.channel_order_no.in_(sorted(stored.landed))))
    if stored.closed:
        with db.unit_of_work() as s:
            for reject in s.scalars(select(ChannelReject).where(
                    ChannelReject.shop_id == shop_id,
                    ChannelReject.channel_order_no.in_(sorted(stored.closed)))
                    .order_by(ChannelReject.channel_order_no).with_for_update()):
                if stored.closed[reject.channel_order_no] < reject.modified_at:
                    continue  # an older state read again: the kept one stands
                s.delete(reject)
                report.dropped.append(reject.channel_order_no)
                audit.record(s, actor, "channels.reject_dropped", "channel_order",
                             reject.channel_order_no, reject.reason_code or None, None,
                             {"why": "shipped or closed on the platform",
                              "modified_at": stored.closed[reject.channel_order_no].isoformat(),
                              "tries": reject.tries})
    for pulled, error in stored.refused:
        number = _number(pulled)
        if not number or number in stored.landed:
            continue
        for attempt in range(2):  # a pull of the same shop at once: its insert first
            try:
                with db.unit_of_work() as s:
                    row = s.scalars(select(ChannelReject).where(
                        ChannelReject.shop_id == shop_id,
                        ChannelReject.channel_order_no == number).with_for_update()).first()
                    if row is None:
                        row = ChannelReject(shop_id=shop_id, channel_order_no=number,
                                            modified_at=pulled.modified_at,
                                            record=_kept(pulled), first_seen=now, tries=0)
                        s.add(row)
                    elif pulled.modified_at >= row.modified_at:
                        row.modified_at = pulled.modified_at
                        row.record = _kept(pulled)
                    row.reason = error.reason[:500]
                    row.reason_code = error.code[:64]
                    row.reason_params = json.loads(json.dumps(dict(error.params),
                                                              default=str))
                    row.last_tried = now
                    row.tries = (row.tries or 0) + 1
                break
            except IntegrityError:
                if attempt:
                    raise


def _retry_rejects(db: Database, actor: Actor, shop_id: int, channel: str, now: datetime,
                   report: PullReport, read: dict[str, datetime]) -> None:
    """The shop's kept rejects through intake again, before anything is read: a channel or
    presale campaign set up since, a fix in the door, takes them in now."""
    with db.reader() as s:
        rows = list(s.scalars(select(ChannelReject).where(ChannelReject.shop_id == shop_id)
                              .order_by(ChannelReject.first_seen, ChannelReject.id)))
        kept = [PulledOrder(record=dict(r.record.get("record") or {}),
                            modified_at=r.modified_at,
                            events=tuple(r.record.get("events") or ()),
                            ship=bool(r.record.get("ship", True))) for r in rows]
    if not kept:
        return
    read.update((_number(p), p.modified_at) for p in kept)  # the same state: tried once
    stored = _store_page(db, actor, channel, tuple(kept), report)
    report.retried += len(kept)
    report.recovered.extend(sorted(n for n in {_number(p) for p in kept}
                                   if n in stored.landed))
    _keep(db, actor, shop_id, stored, now, report)


def list_rejects_of(db: Database, shop_id: int) -> list[ChannelReject]:
    with db.reader() as s:
        rows = list(s.scalars(select(ChannelReject).where(ChannelReject.shop_id == shop_id)
                              .order_by(ChannelReject.first_seen, ChannelReject.id)))
        for r in rows:
            s.expunge(r)
        return rows


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
    # The platform's own lag where it asks for more (Pinduoduo: 3 minutes).
    end = moment - max(lag, timedelta(seconds=float(getattr(adapter, "lag_s", 0) or 0)))
    report.window_start = start
    longest = timedelta(seconds=float(getattr(adapter, "window_max_s", 0) or 0)) \
        or DEFAULT_WINDOW
    waits = [0]
    # What this pull has read: an order read again as it was (a page read twice, a kept
    # reject) is passed over, a newer state of it is not.
    read: dict[str, datetime] = {}
    _retry_rejects(db, actor, shop_id, channel, moment, report, read)
    try:
        for w_start, w_end in windows(start, end, longest):
            seen = 0
            for result in _window_pages(adapter, w_start, w_end, page_size, sleep, waits):
                report.pages += 1
                fresh = tuple(p for p in result.orders
                              if read.get(_number(p)) != p.modified_at)
                read.update((_number(p), p.modified_at) for p in fresh)
                seen += len(fresh)
                _keep(db, actor, shop_id, _store_page(db, actor, channel, fresh, report), moment,
                      report)
            # The whole window is stored: only now does the cursor move past it.
            _cursor_update(db, shop_id, until=w_end, seen=seen, error="", now=moment,
                           initial=start)
            report.windows += 1
            report.window_end = w_end
    except PlatformError as exc:
        _settle(db, shop_id, report)
        report.error = redact.scrub(str(exc))[:500]
        report.error_kind = exc.kind.value
        _cursor_update(db, shop_id, until=None, seen=0, error=report.error, now=moment,
                       initial=start + overlap)
        with db.unit_of_work() as s:
            audit.record(s, actor, "channels.pull_failed", "shop", code, None,
                         report.error_kind, {"error": report.error,
                                             "created": report.created,
                                             **_named(report)})
        log.warning("pull of shop %s stopped: %s", code, report.error)
        return report
    if report.windows == 0:
        _cursor_update(db, shop_id, until=None, seen=0, error="", now=moment,
                       initial=start + overlap)
    _settle(db, shop_id, report)
    if report.created or report.events_applied or report.refused or report.recovered \
            or report.dropped:
        with db.unit_of_work() as s:
            audit.record(s, actor, "channels.pulled", "shop", code, None,
                         report.window_end.isoformat() if report.window_end else None,
                         {"created": report.created, "duplicates": report.duplicates,
                          "refused": len(report.refused),
                          "events": report.events_applied,
                          "dropped": report.dropped[:100], **_named(report)})
    for e in report.refused:
        log.warning("shop %s: order %s refused (%s): %s", code, e.channel_order_no or "-",
                    e.code or "-", e.reason)
    log.info("pulled shop %s: %d new, %d already there, %d refused (%d kept to retry, %d "
             "taken in on retry), %d events", code, report.created, report.duplicates,
             len(report.refused), len(report.kept), len(report.recovered),
             report.events_applied)
    return report


def _settle(db: Database, shop_id: int, report: PullReport) -> None:
    """The report's refusals once per order (its latest), and the shop's open rejects."""
    latest: dict[str, parse.RowError] = {}
    unnamed = []
    for e in report.refused:
        if e.channel_order_no:
            latest.pop(e.channel_order_no, None)
            latest[e.channel_order_no] = e
        else:
            unnamed.append(e)
    report.refused = [*unnamed, *latest.values()]
    report.kept = [r.channel_order_no for r in list_rejects_of(db, shop_id)]


def _named(report: PullReport) -> dict[str, Any]:
    """The refused and recovered orders by number, for the audit row (at most 100 each)."""
    return {"refused_orders": [{"channel_order_no": e.channel_order_no, "code": e.code}
                               for e in report.refused[:100]],
            "recovered_orders": report.recovered[:100]}


@dataclass(frozen=True, slots=True)
class RejectView:
    """A kept reject as the lead sees it: never its record (it may hold ciphertexts)."""

    shop: str
    channel_order_no: str
    modified_at: datetime
    reason: str
    code: str
    params: Mapping[str, Any]
    first_seen: datetime
    last_tried: datetime
    tries: int

    def as_json(self) -> dict[str, Any]:
        return {"shop": self.shop, "channel_order_no": self.channel_order_no,
                "modified_at": self.modified_at.isoformat(), "reason": self.reason,
                "code": self.code, "params": dict(self.params),
                "first_seen": self.first_seen.isoformat(),
                "last_tried": self.last_tried.isoformat(), "tries": self.tries}


@guarded(Permission.PULL_CHANNELS)
def list_rejects(db: Database, actor: Actor, shop_code: str) -> list[RejectView]:
    """The shop's pulled orders intake refused and keeps trying, oldest first."""
    code = shops.normalize_code(shop_code)
    with db.reader() as s:
        shop_id = s.scalars(select(Shop.id).where(Shop.code == code)).first()
    if shop_id is None:
        raise NotFound(f"no shop {code}", code="shop.not_found", shop=code)
    return [RejectView(shop=code, channel_order_no=r.channel_order_no,
                       modified_at=r.modified_at, reason=redact.scrub(r.reason),
                       code=r.reason_code,
                       params={k: redact.scrub(v) if isinstance(v, str) else v
                               for k, v in dict(r.reason_params or {}).items()},
                       first_seen=r.first_seen, last_tried=r.last_tried, tries=r.tries)
            for r in list_rejects_of(db, shop_id)]


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
