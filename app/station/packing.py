"""The packing bench of one station: open an order (scan its number, waybill, tote or put-wall
slot), verify every unit by scanning, weigh, close boxes, print each box's waybill, confirm.

Every step is written to the station store before it is acted on: the session keeps the order
as it was fetched, and each scan, weight, box and confirm is a `PackEvent` with its own id. After
a crash or power cut the bench reopens exactly where it was by replaying them
(`app.domain.packing`). Each scan, weight and command card given to the bench has an id too, in
the bench's journal (`BenchScan`): a scan read now is written there before it is acted on and
marked applied or refused in the transaction of the events it caused, so a scan is acted on
once — one written down but not acted on is acted on at the next start (`recover`), one fed
again with its id (a replay script re-run after a kill) is `repeated` and counts nothing.
Every step that does not apply is refused with a reason and changes nothing. Labels print
from the station's own print queue with tracking numbers the station holds in advance; the
confirmed order goes to the central database through the outbox (`PackConfirmed`), applied
there once — an order intercepted or packed elsewhere in the meantime comes back as a
conflict. So a bench keeps packing while the network is gone.

The bench reaches the centre only through the station's link (`app.station.link`), and never
waits on it long: what a scan needs is held at the station (`app.station.held`) or asked with
a short deadline, and while the centre is out of reach the station's copy decides.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, TypeVar, cast

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.orm import Session

from app.domain import packing as rules
from app.domain.roles import Permission
from app.domain.weighing import Tolerance
from app.services import access
from app.services.context import Actor
from app.services.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    ServiceError,
    SessionEnded,
)
from app.station import held as held_orders
from app.station import journal, outbox, print_queue, tracking
from app.station.held import cached_snapshot, pack_order
from app.station.journal import Entry, prune_journal, scan_event_id
from app.station.labels import sample_like, waybill_doc
from app.station.link import Asked
from app.station.models import CachedUser, PackEvent, PackSession, PrintJob, new_id
from app.station.runtime import StationRuntime
from app.sync.contract import (
    AuditNote,
    BoxWaybill,
    CentralLink,
    LinkDown,
    OrderState,
    PackConfirmed,
    PackedBox,
    PackPaused,
    PackSnapshot,
    PackTakenUp,
    PausedProgress,
)
from drivers.barcode import ScanCommand, ScanError, ScanKind, match_forms, parse_scan

log = logging.getLogger("packline.packing")
R = TypeVar("R")
__all__ = ["NOT_AN_ITEM", "REPEATED", "PackView", "PackingBench", "cached_snapshot",
           "pack_order", "pending_sessions", "prune_journal", "scan_event_id"]
# Scans the scanner misread: refused as unreadable ("scan again"), never as a wrong item.
UNREADABLE = frozenset({ScanError.BAD_CHECK_DIGIT, ScanError.BAD_GTIN, ScanError.BINARY,
                        ScanError.BAD_GS1})
# The tables the bench writes on every scan: plain INSERT and UPDATE statements, without the
# ORM's unit of work, which costs more than the writes themselves.
EVENTS = cast(Table, PackEvent.__table__)
SESSIONS = cast(Table, PackSession.__table__)
# Scans that name no item: refused as such at the bench, never counted as a wrong item.
NOT_ITEMS = frozenset({ScanKind.BIN, ScanKind.TOTE, ScanKind.SLOT, ScanKind.BADGE})
# Station-level refusals (`PackView.reason`) besides the `rules.Reason` codes.
NOT_AN_ITEM = "not_an_item"
REPEATED = "repeated"


@dataclass(frozen=True, slots=True)
class PackView:
    """What the screen shows after each step."""

    session_id: str | None
    state: rules.PackState | None
    accepted: bool = True
    reason: str | None = None  # a `rules.Reason` code, or a station-level one
    message_args: dict[str, Any] = field(default_factory=dict)
    kind: str = "ok"  # ok, error, done, stop: colour and sound
    printed: tuple[str, ...] = ()  # tracking numbers sent to the printer by this step
    # The single-item wave being packed: (wave number, orders left, orders in it).
    wave: tuple[str, int, int] | None = None

    @property
    def order_no(self) -> str:
        return self.state.order.order_no if self.state else ""


# ------------------------------------------------------------------ the bench


class PackingBench:
    def __init__(self, runtime: StationRuntime, actor: Actor, *,
                 scale_required: bool = False) -> None:
        self.runtime = runtime
        self.store = runtime.store
        self.actor = access.check(self.store, actor, Permission.PACK)
        self.scale_required = scale_required
        self.session_id: str | None = None
        self.snapshot: PackSnapshot | None = None
        self.state: rules.PackState | None = None
        self.last_weight: int | None = None
        # 单品 waves: the wave being packed one scan per order, and what its orders need.
        self.wave_no: str | None = None
        self.wave_total = 0  # its orders, packed or not
        self.wave_orders: dict[str, tuple[int, frozenset[int]]] = {}
        self.wave_codes: dict[str, int] = {}
        self.started_at: datetime | None = None  # of the open session
        self.refused: Counter[str] = Counter()  # its refused events by reason, as written
        # Tracking numbers taken ahead for boxes ("order:box"), see `prepare_label`.
        self._ready: dict[str, str] = {}
        self._preparing = threading.Lock()
        # The journaled scan being acted on, and the id its first pack event takes.
        self._entry: Entry | None = None
        self._entry_event: str | None = None
        # Live scans whose journal row could not say what became of them (the store failing
        # with them, its disk full): (entry, status, reason), said before the next scan.
        self._unsettled: list[tuple[Entry, str, str]] = []
        self._checked: Entry | None = None  # the scan the packer's rights were read for
        # What the scan being acted on will ask the centre, asked as it came (`_look_ahead`).
        self._ahead: dict[tuple[str, str], Asked[Any]] = {}

    # ---- the centre, never waited on long

    def _ask(self, fn: Callable[[CentralLink], R], deadline_s: float | None = None, *,
             ahead: tuple[str, str] | None = None) -> R:
        """`fn` over the station's link with a deadline (`StationLink.ask`); `LinkDown` when
        there is no link, it is down, or the centre did not answer in time. With `ahead`, the
        answer of the same question asked as the scan came (`_look_ahead`), if it was."""
        asked = self._ahead.pop(ahead, None) if ahead is not None else None
        if asked is not None:
            return cast(R, asked.result())
        link = self.runtime.link
        if link is None:
            raise LinkDown("this station has no central database")
        return link.ask(fn, deadline_s)

    def _look_ahead(self, text: str, qty: int) -> None:
        """A scan about to be written down and acted on: what it will ask the centre on its
        way is asked now, on the link's thread, while the station writes and reads its own
        store; the step that needs the answer waits for what is left of it (`_ask` with
        `ahead`). An order number scanned at an idle bench will ask whether the order was set
        aside half-way elsewhere (`_paused_centrally`); the unit that completes the order
        will ask whether it was stopped meanwhile (`_central_now`). Answers not used by the
        end of the scan are dropped: nothing is asked that changes anything."""
        link = self.runtime.link
        if link is None or not link.up:
            return  # slow or out of reach: the steps find that out as they always do
        scan = parse_scan(text)
        state = self.state
        idle = state is None or state.phase in (rules.Phase.PACKED, rules.Phase.STOPPED)
        if scan.kind is ScanKind.ORDER:
            if idle or state is None or not rules.unit_count(state):  # it opens the order
                order_no = scan.text.strip().upper()
                actor = self.actor
                self._ahead[("paused", order_no)] = link.start(
                    lambda remote: remote.paused(actor, order_no))
            return
        if idle or state is None or state.phase is not rules.Phase.VERIFYING \
                or scan.kind in NOT_ITEMS or scan.kind in (ScanKind.COMMAND, ScanKind.WAVE):
            return
        trial = rules.apply(state, rules.ItemScanned(new_id(), scan.gtin or scan.value
                                                     or scan.text, qty))
        if trial.accepted and trial.state.phase is rules.Phase.LABELLING:
            order_no = state.order.order_no
            self._ahead[("state", order_no)] = link.start(
                lambda remote: remote.order_state(order_no))

    def _fetch_deadline(self) -> float:
        link = self.runtime.link
        return link.fetch_s if link is not None else 0.0

    # ---- rights

    def _live(self) -> None:
        """The packer's rights as the station knows them now, before every scan and action
        (once per scan: the steps of one scan share the read): one keyed read of the
        station's copy of the people, so a packer deactivated (or moved to another role)
        centrally is stopped at their next scan once the station has pulled the users.
        Opening an order also asks the central database when it answers
        (`_paused_centrally`), which stops them at once and updates the station's copy."""
        entry = self._entry
        if entry is not None and self._checked is entry:
            return
        self.actor = access.check(self.store, self.actor, Permission.PACK)
        self._checked = entry

    def _remember(self, refused: ServiceError) -> None:
        """The central database refused the person: the station's copy learns it now, so the
        next scans are refused even if the network goes before the next pull."""
        if isinstance(refused, SessionEnded):
            values: dict[str, Any] = {"active": False}
        elif refused.code == "permission.denied" and refused.params.get("role"):
            values = {"role": str(refused.params["role"])}
        else:
            return
        with self.store.unit_of_work() as s:
            s.execute(update(CachedUser).where(CachedUser.user_id == self.actor.user_id)
                      .values(**values))

    # ---- sessions

    @staticmethod
    def _tolerance(snapshot: PackSnapshot) -> Tolerance:
        return Tolerance(grams=snapshot.tolerance_g, percent=snapshot.tolerance_pct)

    def _events(self, session_id: str) -> list[rules.PackEvent]:
        with self.store.reader() as s:
            rows = s.execute(select(PackEvent.payload).where(PackEvent.session_id == session_id)
                             .order_by(PackEvent.seq)).scalars().all()
        return [rules.event_from_dict(p) for p in rows]

    def resume_open(self) -> PackView:
        """After a start (or a crash): the bench's open session, exactly where it was, and
        then the scans this packer's bench had written down but not acted on yet (a crash
        between the two), acted on once, in the order they came."""
        view = self._resume_session()
        recovered = self.recover()
        return recovered if recovered is not None else view

    def _resume_session(self) -> PackView:
        with self.store.reader() as s:
            row = s.scalars(select(PackSession).where(PackSession.status == "open")
                            .order_by(PackSession.updated_at.desc())).first()
            if row is None:
                return PackView(None, None)
            session_id, started_at = row.id, row.started_at
            snapshot = PackSnapshot.from_dict(row.snapshot)
        try:
            return self._load(session_id, snapshot, started_at)
        except rules.NotPackable:
            # Begun from a status no longer packable (held or sent back centrally): it waits
            # in the list of orders set aside; scanning it says why it cannot go on.
            self._set_status("paused", session_id)
            self.session_id = self.snapshot = self.state = None
            return PackView(None, None)

    def warm_up(self, samples: int = 200, labels: int = 8) -> None:
        """Before the first scan, what the bench's first order would otherwise pay for: its
        queries prepared, and the parts of a label that are the same for many orders (carrier,
        shop and warehouse of the commonest kinds among the orders held here, the field names,
        every text size) drawn once, on labels to a made-up receiver. Failing costs only that
        first order's time."""
        from app.station.models import CachedOrder

        try:
            with self.store.reader() as s:
                s.scalar(select(PackSession.id).where(PackSession.order_no == "",
                                                      PackSession.status == "packed"))
                held_orders.held(s, "")
                self._begun(s, "")
                recent = [PackSnapshot.from_dict(d) for d in s.scalars(
                    select(CachedOrder.snapshot)
                    .order_by(CachedOrder.fetched_at.desc()).limit(samples))]
            kinds: dict[tuple[Any, ...], PackSnapshot] = {}
            counts: Counter[tuple[Any, ...]] = Counter()
            for snap in recent:
                kind = (snap.carrier_code, snap.carrier_name, snap.sender, snap.is_presale,
                        bool(snap.promised_ship_by))
                kinds.setdefault(kind, snap)
                counts[kind] += 1
            spec = self.runtime.printer_for("waybill")
            for kind, _n in counts.most_common(labels):
                if not print_queue.prepare_for(waybill_doc(sample_like(kinds[kind]),
                                                        "SF0000000000000", 1, 2, 1000), spec):
                    break  # this printer's renderer keeps nothing: nothing to draw ahead
        except Exception:  # noqa: BLE001 - a warm-up that fails costs only the first order
            log.debug("packing bench warm-up failed", exc_info=True)

    def _load(self, session_id: str, snapshot: PackSnapshot,
              started_at: datetime | None) -> PackView:
        order = pack_order(snapshot)
        state = rules.rebuild(order, self._events(session_id),
                              scale_required=self.scale_required,
                              tolerance=self._tolerance(snapshot))
        with self.store.reader() as s:
            refused = Counter(dict(s.execute(
                select(PackEvent.reason, func.count()).where(
                    PackEvent.session_id == session_id, PackEvent.accepted.is_(False))
                .group_by(PackEvent.reason)).all()))
        self.session_id, self.snapshot, self.state = session_id, snapshot, state
        self.started_at, self.refused = started_at, refused
        return PackView(session_id, state)

    def open(self, ref: str) -> PackView:
        """Start (or take up again) an order from a scanned order number, waybill, or slot."""
        self._live()
        if self.state is not None and self.state.phase not in (
                rules.Phase.PACKED, rules.Phase.STOPPED) and self.state.order.order_no != ref:
            if rules.unit_count(self.state):
                return PackView(self.session_id, self.state, False, "finish_first",
                                {"order": self.state.order.order_no}, "error")
            self._set_status("paused")  # nothing verified yet: set it aside
            set_aside = self.session_id
        else:
            set_aside = None
        try:
            view = self._open(ref)
        except Exception:  # refused (or failed): the order on the bench stays where it was
            if set_aside is not None:
                self._set_status("open", set_aside)
            raise
        if not view.accepted and set_aside is not None and self.session_id == set_aside:
            self._set_status("open", set_aside)  # a refusal given back, not raised
        return view

    def _open(self, ref: str) -> PackView:
        key = ref.strip().upper()
        existing = None
        with self.store.reader() as s:  # one read: packed here? held here? begun here?
            done_here = s.scalar(select(PackSession.id).where(
                PackSession.order_no == key, PackSession.status == "packed"))
            snapshot = None if done_here else held_orders.held(s, key)
            if snapshot is not None:
                existing = self._begun(s, snapshot.order_no)
        if done_here:  # packed at this bench already, whatever the centre knows yet
            return PackView(self.session_id, self.state, False, "already_packed",
                            {"order": key}, "error")
        if snapshot is None:
            snapshot = self._fetch(ref)
            with self.store.reader() as s:
                existing = self._begun(s, snapshot.order_no)
        elif snapshot.status not in rules.PACKABLE_STATUSES:
            snapshot = self._fresher(snapshot)
        if existing is not None and snapshot.status in ("packed", "shipped"):
            # Set aside here, then taken up and packed at another station meanwhile.
            return PackView(self.session_id, self.state, False, "already_packed",
                            {"order": snapshot.order_no}, "error")
        if existing is not None:
            existing_id, started_at = existing
            progress = self._paused_centrally(snapshot.order_no)
            if progress is not None and progress.session != existing_id:
                # Set aside here, then taken up, carried on and set aside again elsewhere:
                # that station's steps are the newer ones; this session is over.
                taken = self._take_up(snapshot, progress)
                if taken is not None:
                    self._set_status("stopped", existing_id)
                    return taken
            try:
                view = self._load(existing_id, snapshot, started_at)
            except rules.NotPackable as exc:  # held or moved back centrally meanwhile
                raise _not_ready(snapshot, exc) from None
            self._set_status("open", existing_id)
            return self._resume() if view.state and view.state.phase is rules.Phase.PAUSED \
                else view
        progress = self._paused_centrally(snapshot.order_no)
        taken = self._take_up(snapshot, progress) if progress is not None else None
        if taken is not None:
            return taken
        order = pack_order(snapshot)
        try:
            state = rules.start(order, scale_required=self.scale_required,
                                tolerance=self._tolerance(snapshot))
        except rules.NotPackable as exc:
            if exc.reason == "already_packed":
                return PackView(None, None, False, exc.reason,
                                {"order": snapshot.order_no, "status": snapshot.status},
                                "error")
            raise _not_ready(snapshot, exc) from None
        now = datetime.now(UTC)
        session_id = new_id()
        stopped = state.phase is rules.Phase.STOPPED
        with self.store.unit_of_work() as s:
            s.execute(insert(SESSIONS), [{
                "id": session_id, "order_no": snapshot.order_no, "wave_no": snapshot.wave_no,
                "snapshot": snapshot.to_dict(), "status": "stopped" if stopped else "open",
                "packer": self.actor.code, "started_at": now, "updated_at": now}])
            # The scan that opened it is done with the same commit (the view below).
            self._mark(s, not stopped, "intercepted" if stopped else "", session_id)
        self.session_id, self.snapshot, self.state = session_id, snapshot, state
        self.started_at, self.refused = now, Counter()
        if state.phase is rules.Phase.STOPPED:
            return PackView(session_id, state, False, "intercepted",
                            {"order": order.order_no, "why": state.stop_reason}, "stop")
        return PackView(session_id, state)

    def _fresher(self, snapshot: PackSnapshot) -> PackSnapshot:
        """A held order whose status says it cannot be packed yet: the central database, if
        it answers quickly, may know better (picked since the last pull); the station's copy
        takes its status and intercept. Out of reach, the copy is what the station goes by."""
        try:
            now = self._ask(lambda remote: remote.order_state(snapshot.order_no))
        except LinkDown:
            log.info("central database not reachable to refresh %s", snapshot.order_no)
            return snapshot
        if now is None or (now.status, now.intercept) == (snapshot.status, snapshot.intercept):
            return snapshot
        fresh = snapshot.with_state(now)
        held_orders.remember(self.store, fresh)
        return fresh

    def _fetch(self, ref: str) -> PackSnapshot:
        """An order the station does not hold, from the central database; out of reach, the
        packer is told it is not available offline (the station packs offline only what it
        holds)."""
        try:
            return self._ask(lambda remote: remote.snapshot(ref), self._fetch_deadline())
        except NotFound as exc:
            if exc.code not in ("", "order.not_found"):
                raise
            raise NotFound(str(exc), code="packing.unknown_code",
                           code_scanned=ref.strip()) from None
        except LinkDown as exc:
            log.info("central database not reachable to fetch %s: %s", ref, exc)
            raise _not_held(ref) from None

    @staticmethod
    def _begun(s: Session, order_no: str) -> tuple[str, datetime] | None:
        """The open or paused session of `order_no` at this station: (id, started_at)."""
        row = s.execute(select(PackSession.id, PackSession.started_at).where(
            PackSession.order_no == order_no,
            PackSession.status.in_(["open", "paused"]))).first()
        return (row.id, row.started_at) if row else None

    def _set_status(self, status: str, session_id: str | None = None) -> None:
        with self.store.unit_of_work() as s:
            s.execute(update(SESSIONS).where(SESSIONS.c.id == (session_id or self.session_id))
                      .values(status=status, updated_at=datetime.now(UTC)))

    # ---- events: written first, then acted on

    def _do(self, event: rules.PackEvent, also: Any = None) -> rules.Outcome:
        """Apply `event`, writing it (and the journal row of the scan that caused it, and
        whatever `also(s, outcome)` adds) in one transaction of the station store."""
        assert self.state is not None and self.session_id is not None
        outcome = rules.apply(self.state, event)
        if outcome.reason == rules.Reason.DUPLICATE_EVENT:
            return outcome  # in the log already: nothing to write, nothing changes
        now = datetime.now(UTC)
        with self.store.unit_of_work() as s:
            s.execute(insert(EVENTS), [self._row(event, outcome, now)])
            s.execute(update(SESSIONS).where(SESSIONS.c.id == self.session_id)
                      .values(updated_at=now))
            self._mark(s, outcome.accepted, outcome.reason or "")
            if also is not None:
                also(s, outcome)
        self.state = outcome.state
        if not outcome.accepted:
            self.refused[outcome.reason or ""] += 1
        return outcome

    def _row(self, event: rules.PackEvent, outcome: rules.Outcome,
             now: datetime) -> dict[str, Any]:
        """The `PackEvent` row of one event."""
        return {"id": event.event_id, "session_id": self.session_id,
                "kind": type(event).__name__, "payload": rules.event_to_dict(event),
                "accepted": outcome.accepted, "reason": outcome.reason or "", "at": now,
                "user": self.actor.code}

    def _view(self, outcome: rules.Outcome, printed: tuple[str, ...] = ()) -> PackView:
        state = outcome.state
        args = dict(outcome.message_args)
        if outcome.reason == rules.Reason.WRONG_ITEM and args.get("code"):
            item = held_orders.item_named(self.store, str(args["code"]))
            if item is not None:  # a known item of no order here: the packer hears which
                args["item"] = item
        if not outcome.accepted:
            kind = "stop" if outcome.reason == rules.Reason.INTERCEPTED else "error"
        elif state.phase is rules.Phase.PACKED:
            kind = "done"
        else:
            kind = "ok"
        return PackView(self.session_id, state, outcome.accepted, outcome.reason, args, kind,
                        printed)

    def single_item_wave(self, wave_no: str) -> int:
        """Pack a single-item wave one scan per order: an item scanned with no order open goes
        to the highest-priority order of the wave that still needs it, which is verified,
        labelled and confirmed at once. Returns the orders of the wave left to pack (its
        total is `wave_total`). A wave not picked yet is refused in words
        (`packing.wave_not_picked`), and so is one the station cannot ask for offline."""
        key = wave_no.strip().upper()
        try:
            wave = self._ask(lambda remote: remote.single_item_wave(key,
                                                                    rules.PACKABLE_STATUSES),
                             self._fetch_deadline())
        except LinkDown:
            log.info("central database not reachable to fetch wave %s", key)
            raise _wave_offline(key) from None
        self.wave_no = key
        self.wave_total = wave.total
        self.wave_orders = {o.order_no: (o.priority, o.sku_ids) for o in wave.orders}
        self.wave_codes = {}
        for code, sku_id in wave.codes.items():
            for form in match_forms(code):
                self.wave_codes[form] = sku_id
        return len(self.wave_orders)

    def open_wave(self, wave_no: str) -> PackView:
        """A `WAVE-…` scan: the wave's orders are packed one scan each from now on."""
        left = self.single_item_wave(wave_no)
        return PackView(None, None, True, "wave",
                        {"wave": self.wave_no or "", "left": left, "total": self.wave_total},
                        "ok", wave=self._wave_progress())

    def _wave_progress(self) -> tuple[str, int, int] | None:
        if self.wave_no is None:
            return None
        return (self.wave_no, len(self.wave_orders), self.wave_total)

    def _single_item(self, code: str) -> PackView | None:
        """One scan, one order: None when this scan is not for the single-item wave."""
        sku_id = self.wave_codes.get(code)
        if self.wave_no is None or sku_id is None:
            return None
        skipped: ServiceError | None = None
        while True:
            chosen = rules.pick_for_single_item(
                [(no, p, k) for no, (p, k) in self.wave_orders.items()], sku_id)
            if chosen is None and skipped is not None:
                raise skipped  # no other order wants the unit: say why this one cannot
            if chosen is None:
                return PackView(None, None, False, "wave_done" if not self.wave_orders
                                else "not_in_wave", {"wave": self.wave_no}, "error",
                                wave=self._wave_progress())
            entry, self._entry = self._entry, None  # opening the order is not the scan's step
            try:
                view = self.open(chosen)
            except ServiceError as exc:
                if exc.code == "packing.not_held_offline":
                    raise  # the network, not the order: it is chosen again once back
                # Held, intercepted or sent back centrally since the wave card: the lead has
                # it; the unit goes to the next order of the wave that needs it.
                log.info("single-item wave %s: %s skipped (%s)", self.wave_no, chosen,
                         exc.code or exc)
                self.wave_orders.pop(chosen, None)
                skipped = exc
                continue
            finally:
                self._entry = entry
            if not view.accepted or self.state is None:
                self.wave_orders.pop(chosen, None)
                return replace(view, wave=self._wave_progress())
            view = self._scan_now(code)
            if self.state is not None and self.state.phase is rules.Phase.PACKED \
                    or view.reason == "not_ready_centrally":
                # Packed, or stopped centrally before its label: never chosen again here.
                self.wave_orders.pop(chosen, None)
            return replace(view, wave=self._wave_progress())

    # ---- the scan journal: every scan has an id, and is acted on once

    def scan(self, text: str, qty: int = 1, *, scan_id: str | None = None) -> PackView:
        """Whatever the scanner read: a command card, an order/waybill to open, a wave to pack
        one scan per order, or an item. `scan_id` is the id the scan already has where it is
        kept (a line of a replay script): a scan with an id the bench has acted on before is
        not acted on again (`repeated`). Without one, the scan was read just now: it gets an
        id and is written to the journal before it is acted on (see `BenchScan`)."""
        if self._entry is not None:  # a step of a scan being acted on
            return self._journaled(scan_id, "scan", text, qty,
                                   lambda: self._scan_now(text, qty))
        self._look_ahead(text, qty)
        try:
            return self._journaled(scan_id, "scan", text, qty,
                                   lambda: self._scan_now(text, qty))
        finally:
            self._ahead.clear()  # asked for this scan: not what a later scan may go by

    def command(self, command: ScanCommand, *, scan_id: str | None = None) -> PackView:
        """A command card or its key (新箱 F2, 暂停 F3, 确认 F4, 重打 F5); `scan_id` as `scan`."""
        return self._journaled(scan_id, "command", command.value, 1,
                               lambda: self._command_now(command))

    def weigh(self, grams: int, *, scan_id: str | None = None) -> PackView:
        """A settled scale reading (or a typed one); `scan_id` as `scan`. Taken only while the
        order is being weighed: at any other step it is refused (`not_weighing`, naming the
        step the order is at; `no_order` with none open) and changes nothing."""
        return self._journaled(scan_id, "weigh", str(grams), 1, lambda: self._weigh_now(grams))

    def _journaled(self, scan_id: str | None, kind: str, value: str, qty: int,
                   act: Any) -> PackView:
        if self._entry is not None:  # a step of a scan being acted on: part of it
            return act()  # type: ignore[no-any-return]
        self._settle_unsettled()
        entry = Entry(scan_id or new_id(), kind, value[:200], qty,
                       "live" if scan_id is None else "replay")
        if scan_id is None:
            self._journal_write(entry, "pending", "")  # written before it is acted on
        else:
            seen, reason = journal.row(self.store, entry.id)
            if seen == "refused":
                # Refused (or failed) the first time: it is that refusal again, in its words,
                # never "applied before"; fed again, it is not acted on again either.
                return PackView(self.session_id, self.state, False, reason or "refused",
                                {"scan_id": entry.id, REPEATED: True}, "error",
                                wave=self._wave_progress())
            if seen is not None and seen != "pending":
                return self._repeated(entry, act)
            entry.written = seen == "pending"  # written down before a crash: acted on now
        self._entry, self._entry_event = entry, scan_event_id(entry.id)
        try:
            view: PackView = act()
        except ServiceError as exc:  # refused in words (an order this database lacks…)
            self._journal_settle(entry, exc.code or "refused")
            raise
        except Exception:
            # A fault the packer is shown (the database locked, a bug): a live scan failed
            # and is never acted on later; the packer scans again. Only a process that dies
            # in between (power, a kill) leaves a row pending, for `recover`. A scan with its
            # own id (a replay line) is left as it was: fed again, it is acted on then.
            if scan_id is None:
                self._journal_settle(entry, "failed")
            raise
        finally:
            self._entry = self._entry_event = self._checked = None
        if not entry.marked:  # nothing written by the step (an order opened, a refusal)
            status = "applied" if view.accepted else "refused"
            try:
                self._journal_write(entry, status, view.reason or "")
            except Exception:
                if scan_id is None:
                    self._unsettled.append((entry, status, view.reason or ""))
                raise
        return view

    def _settle_unsettled(self) -> None:
        """Live scans that failed (or were acted on) while the store could not even say so in
        their journal rows: the rows say it now, before the next scan is taken, so that no
        start acts on a scan the packer was told had failed and scanned again. While the
        store still fails, they wait (and the scan now fails the same way)."""
        while self._unsettled:
            entry, status, reason = self._unsettled[0]
            try:
                if journal.row(self.store, entry.id)[0] == "pending":
                    entry.written = True
                    self._journal_write(entry, status, reason)
            except Exception:  # noqa: BLE001 - still failing: tried again at the next scan
                log.warning("scan %s: its journal row still cannot be marked %s", entry.id,
                            status)
                return
            self._unsettled.pop(0)

    def _repeated(self, entry: Entry, act: Any) -> PackView:
        """A scan fed again that the bench acted on before. Nothing is counted again; a wave
        scan (it only sets the bench's mode, which a restart forgets) is taken again, and an
        order weighed but not yet labelled when the bench stopped gets its label now."""
        if entry.kind == "scan" and parse_scan(entry.value).kind is ScanKind.WAVE:
            view: PackView = act()
            return replace(view, accepted=False, reason=REPEATED, kind="ok",
                           message_args={**view.message_args, "scan_id": entry.id})
        if entry.kind == "weigh" and self.state is not None \
                and self.state.phase is rules.Phase.LABELLING:
            return self.label_and_confirm()
        return PackView(self.session_id, self.state, False, REPEATED, {"scan_id": entry.id},
                        "ok", wave=self._wave_progress())

    def _eid(self) -> str:
        """The id of a pack event: the journaled scan's own for its first event."""
        eid = self._entry_event if self._entry is not None else None
        if eid is not None:
            self._entry_event = None
        return eid or new_id()

    def _mark(self, s: Session, accepted: bool, reason: str, session_id: str | None = None
              ) -> None:
        """In the transaction writing what the scan being acted on did: its journal row says
        it was acted on, so a scan fed again is never acted on twice."""
        entry = self._entry
        if entry is None or entry.marked:
            return
        journal.upsert(s, entry, "applied" if accepted else "refused", reason,
                       session_id or self.session_id, self.actor.code)
        entry.marked = True

    def _journal_settle(self, entry: Entry, reason: str) -> None:
        """A scan that raised: its row says refused with `reason`, in a transaction of its
        own, unless the transaction of its events committed (then it says what they did). The
        row as it is read now decides: the failed transaction may have rolled back the mark or
        even the row."""
        try:
            status = journal.row(self.store, entry.id)[0]
            if status in ("applied", "refused"):
                entry.marked = True
                return
            entry.written = status is not None
            self._journal_write(entry, "refused", reason)
        except Exception:  # noqa: BLE001 - the scan's own error is the one to raise
            log.exception("scan %s: its journal row could not be marked %s", entry.id, reason)
            if entry.source == "live":
                self._unsettled.append((entry, "refused", reason))

    def _journal_write(self, entry: Entry, status: str, reason: str) -> None:
        with self.store.unit_of_work() as s:
            journal.upsert(s, entry, status, reason, self.session_id, self.actor.code)
        entry.marked = status != "pending"

    def recover(self) -> PackView | None:
        """Scans written to the journal but not acted on (the bench stopped in between), of
        the session just taken up, whoever wrote them: acted on now, once each, in the order
        they came; the last one's view (its `message_args["recovered"]` says how many were
        acted on, so the screen can say so), or None when there were none. A pending scan of
        any other session, or of none, or of a session whose order is no longer open here, is
        marked refused (`stale`): whoever packs on may have scanned that unit again meanwhile.
        A refusal in words is that scan's answer; it is not raised, so the scans after it are
        still acted on."""
        pending = journal.pending(self.store)
        open_here = self.session_id is not None and self.state is not None \
            and self.state.phase not in (rules.Phase.PACKED, rules.Phase.STOPPED)
        rows = [r for r in pending if open_here and r.session_id == self.session_id]
        stale = [r for r in pending if r not in rows]
        if stale:
            log.warning("%d scan(s) written down before the bench stopped belong to no order "
                        "open here now: not acted on (stale)", len(stale))
            journal.mark_stale(self.store, [r.id for r in stale])
        view = None
        counted = 0
        for row in rows:
            log.info("acting on a %s written down before the bench stopped: %s", row.kind,
                     row.value)
            try:
                if row.kind == "weigh":
                    view = self.weigh(int(row.value), scan_id=row.id)
                elif row.kind == "command":
                    view = self.command(ScanCommand(row.value), scan_id=row.id)
                else:
                    view = self.scan(row.value, row.qty, scan_id=row.id)
                counted += view.accepted
            except (SessionEnded, PermissionDenied):
                raise
            except ServiceError as exc:
                view = PackView(self.session_id, self.state, False, exc.code or "refused",
                                dict(exc.params), "error", wave=self._wave_progress())
            except Exception:  # a fault: said once in the log, not tried at every start
                log.exception("a %s written down before the bench stopped could not be "
                              "acted on", row.kind)
                self._journal_write(Entry(row.id, row.kind, row.value, row.qty, "live",
                                           written=True), "refused", "failed")
        if view is not None:
            view = replace(view, message_args={**view.message_args, "recovered": counted})
        return view

    def _scan_now(self, text: str, qty: int = 1) -> PackView:
        self._live()
        scan = parse_scan(text)
        if scan.kind is ScanKind.COMMAND and scan.command is not None:
            return self._command_now(scan.command)
        if scan.kind is ScanKind.WAVE:
            return self.open_wave(scan.value)
        if scan.kind in (ScanKind.ORDER, ScanKind.WAYBILL) and (
                self.state is None or self.state.phase in (rules.Phase.PACKED,
                                                           rules.Phase.STOPPED)
                or not rules.unit_count(self.state)):
            return self.open(scan.text)
        if scan.kind is ScanKind.ORDER and self.state is not None \
                and self.state.phase not in (rules.Phase.PACKED, rules.Phase.STOPPED):
            # An order number while this order's units are counted: no item of it (a
            # waybill-like number still may be one, so those are looked up as items).
            return PackView(self.session_id, self.state, False, "finish_first",
                            {"order": self.state.order.order_no, "code": scan.text}, "error")
        idle = self.state is None or self.state.phase in (rules.Phase.PACKED,
                                                            rules.Phase.STOPPED)
        if idle and self.wave_no is not None:
            single = self._single_item(scan.gtin or scan.value or scan.text)
            if single is not None:
                return single
        if scan.kind in NOT_ITEMS:
            # A bin, tote, slot or badge label is no item of any order: said so, not counted
            # as a wrong item; written to the order's log while its items are being scanned.
            args = {"code": scan.text, "scanned_kind": scan.kind.value}
            if self.state is not None and self.state.phase is rules.Phase.VERIFYING:
                self._write([(rules.ItemScanned(self._eid(), scan.text, 1),
                              rules.Outcome(self.state, False, NOT_AN_ITEM, args))])
            return PackView(self.session_id, self.state, False, NOT_AN_ITEM, args, "error",
                            wave=self._wave_progress())
        if self.state is None:
            if scan.kind is ScanKind.UNKNOWN and scan.text.isdigit():
                return self.open(scan.text)  # digits alone: a waybill number first
            return PackView(None, None, False, "no_order", {}, "error")
        code = scan.gtin or scan.value or scan.text
        event = rules.ItemScanned(self._eid(), code, qty)
        if scan.kind is ScanKind.UNKNOWN and scan.error in UNREADABLE \
                and self.state.phase is rules.Phase.VERIFYING:
            # A misread (a check digit that does not add up, noise) is no wrong item: the
            # packer scans again. Logged as refused like every scan; it changes nothing.
            self._write([(event, rules.Outcome(self.state, False, "unreadable",
                                               {"code": scan.text}))])
            return PackView(self.session_id, self.state, False, "unreadable",
                            {"code": scan.text}, "error")
        outcome = rules.apply(self.state, event)
        if outcome.accepted and outcome.state.phase is rules.Phase.LABELLING:
            # The scan that completes the order is written with its label and confirm, in
            # one transaction: nothing of it is acted on before that commits.
            return self.label_and_confirm([(event, outcome)])
        outcome = self._do(event)
        if outcome.accepted and self.state.phase is rules.Phase.LABELLING:
            return self.label_and_confirm()
        return self._view(outcome)

    def _command_now(self, command: ScanCommand) -> PackView:
        self._live()
        if command is ScanCommand.REPRINT:
            return self.reprint("packer: reprint card")
        if self.state is None:
            return PackView(None, None, False, "no_order", {}, "error")
        if command is ScanCommand.NEWBOX:
            return self._view(self._do(rules.BoxClosed(self._eid())))
        if command is ScanCommand.PAUSE:
            return self.pause()
        if command is ScanCommand.CONFIRM:
            if self.state.phase is rules.Phase.LABELLING:
                return self.label_and_confirm()
            return self._view(self._do(rules.Confirmed(self._eid())))
        # CANCEL: put the order aside (nothing is lost; it can be taken up again)
        return self.pause()

    def _weigh_now(self, grams: int) -> PackView:
        self._live()
        if self.state is None:
            return PackView(None, None, False, "no_order", {"grams": grams}, "error")
        if self.state.phase is not rules.Phase.WEIGHING:
            # Read at another step: refused, naming the step; not even remembered.
            return PackView(self.session_id, self.state, False, rules.Reason.NOT_WEIGHING,
                            {"phase": self.state.phase.value, "grams": grams,
                             "remaining": rules.unit_count_left(self.state)}, "error")
        self.last_weight = grams
        outcome = self._do(rules.Weighed(self._eid(), grams, self.box_to_weigh()))
        if outcome.accepted and outcome.state.phase is rules.Phase.LABELLING:
            return self.label_and_confirm()
        return self._view(outcome)

    def box_to_weigh(self) -> int:
        """The first box with items not weighed yet: parcels go on the scale in box order."""
        assert self.state is not None
        return next((b.box_no for b in self.state.boxes if b.items and not b.weighed),
                    self.state.current_box)

    def override(self, lead: Actor, reason: str) -> PackView:
        """A shift lead lets a parcel out of tolerance go, with a reason (audited). Both are
        checked as the station knows them now: the packer still packs, the lead still may.
        With no order open, or an order not being weighed, it is refused and changes
        nothing."""
        self._live()
        lead = access.check(self.store, lead, Permission.OVERRIDE_WEIGHT)
        if len(reason.strip()) < 2:
            raise InvalidInput("an override needs a reason", code="packing.override_reason")
        if self.state is None:
            return PackView(None, None, False, "no_order", {}, "error")
        state = self.state

        def audit(s: Any, outcome: rules.Outcome) -> None:
            if outcome.accepted:  # with the event, in its transaction
                outbox.append(s, AuditNote(
                    lead.code, "pack.weight_override", "order", state.order.order_no,
                    {"reason": reason, "grams": self.last_weight, "packer": self.actor.code}))

        outcome = self._do(rules.WeightOverridden(self._eid(), lead.code, reason.strip(),
                                                  self.box_to_weigh(), self.last_weight),
                           audit)
        if outcome.accepted and self.state.phase is rules.Phase.LABELLING:
            return self.label_and_confirm()
        return self._view(outcome)

    def pause(self) -> PackView:
        """暂停: the order is set aside, here and centrally: its accepted steps go through the
        outbox (`pack.paused`), so whichever station scans the order next takes it up where
        it was (the goods travel in the tote). The event, the session's status and the outbox
        entry are written in one transaction."""
        self._live()
        if self.state is None or self.session_id is None:
            return PackView(None, None, False, "no_order", {}, "error")
        state, session_id = self.state, self.session_id

        def set_aside(s: Any, outcome: rules.Outcome) -> None:
            if not outcome.accepted:
                return
            now = datetime.now(UTC)
            s.execute(update(SESSIONS).where(SESSIONS.c.id == session_id)
                      .values(status="paused", updated_at=now))
            steps = [payload for payload, kind in s.execute(
                select(PackEvent.payload, PackEvent.kind).where(
                    PackEvent.session_id == session_id, PackEvent.accepted.is_(True))
                .order_by(PackEvent.seq)) if kind not in ("Paused", "Resumed")]
            outbox.append(s, PackPaused(self.actor.code, state.order.order_no, session_id,
                                        tuple(steps), rules.unit_count(state), now))

        outcome = self._do(rules.Paused(self._eid()), set_aside)
        view = self._view(outcome)
        if outcome.accepted:
            self.session_id = self.snapshot = self.state = None
        return view

    def _resume(self) -> PackView:
        """The packer scanned a paused order again: it carries on where it stopped, and the
        centre stops offering this pause to other stations."""
        assert self.state is not None and self.session_id is not None
        order_no, session_id = self.state.order.order_no, self.session_id

        def taken_up(s: Any, outcome: rules.Outcome) -> None:
            if outcome.accepted:
                outbox.append(s, PackTakenUp(self.actor.code, order_no, session_id,
                                             self.runtime.code))

        return self._view(self._do(rules.Resumed(self._eid()), taken_up))

    def _paused_centrally(self, order_no: str) -> PausedProgress | None:
        """The order's progress kept centrally by a pause, or None: none kept, or the central
        database cannot be asked in time (then the station goes by what it holds, and the
        packer counts the tote from the start where it holds nothing)."""
        try:
            return self._ask(lambda remote: remote.paused(self.actor, order_no),
                             ahead=("paused", order_no))
        except (SessionEnded, PermissionDenied) as refused:
            self._remember(refused)
            raise
        except LinkDown:
            log.info("central database not reachable to look for a paused order")
            return None

    def _take_up(self, snapshot: PackSnapshot, progress: PausedProgress) -> PackView | None:
        """An order another station paused half-way: its accepted steps, kept centrally, start
        this station's session and are replayed through the same rules; the centre is told it
        was taken up. None when there is nothing to take up, or the order cannot be packed
        now (intercepted, on hold: the ordinary path says why)."""
        if not progress.events:
            return None
        steps = [{**step, "event_id": new_id()} for step in progress.events]
        steps.append(rules.event_to_dict(rules.Resumed(new_id())))
        try:  # checked before anything is written: an order stopped or not packable now
            state = rules.rebuild(pack_order(snapshot), [rules.event_from_dict(st)
                                                         for st in steps],
                                  scale_required=self.scale_required,
                                  tolerance=self._tolerance(snapshot))
        except rules.PackingError:  # takes the ordinary path, which says why
            return None
        if state.phase in (rules.Phase.STOPPED, rules.Phase.PACKED, rules.Phase.PAUSED):
            return None
        now = datetime.now(UTC)
        session_id = new_id()
        with self.store.unit_of_work() as s:
            s.add(PackSession(id=session_id, order_no=snapshot.order_no,
                              wave_no=snapshot.wave_no, snapshot=snapshot.to_dict(),
                              status="open", packer=self.actor.code, started_at=now,
                              updated_at=now))
            s.execute(insert(EVENTS), [
                {"id": step["event_id"], "session_id": session_id,
                 "kind": type(rules.event_from_dict(step)).__name__, "payload": step,
                 "accepted": True, "reason": "", "at": now, "user": self.actor.code}
                for step in steps])
            outbox.append(s, PackTakenUp(self.actor.code, snapshot.order_no, progress.session,
                                         progress.station))
        view = self._load(session_id, snapshot, now)
        return PackView(session_id, view.state, True, "taken_up",
                        {"order": snapshot.order_no, "station": progress.station,
                         "packer": progress.packer, "units": progress.units}, "ok")

    # ---- labels and confirm

    def _central_now(self) -> OrderState | None:
        """Whether the order was stopped meanwhile (its intercept) and what its status is
        now: the centre's answer when it gives one in time, else what the station pulled
        since it fetched the order (`app.station.pull`); None when neither knows."""
        if self.state is None:
            return None
        order_no = self.state.order.order_no
        try:
            return self._ask(lambda remote: remote.order_state(order_no),
                             ahead=("state", order_no))
        except LinkDown:
            log.info("central database not reachable for the intercept check: the held copy "
                     "decides")
        pulled = cached_snapshot(self.store, order_no)
        return None if pulled is None else OrderState(order_no, pulled.status,
                                                      pulled.intercept)

    def _write(self, steps: list[tuple[rules.PackEvent, rules.Outcome]]) -> None:
        """Events decided but not yet written (see `label_and_confirm`)."""
        if not steps:
            return
        now = datetime.now(UTC)
        with self.store.unit_of_work() as s:
            s.execute(insert(EVENTS), [self._row(event, outcome, now) for event, outcome in steps])
            self._mark(s, steps[0][1].accepted, steps[0][1].reason or "")
        self.state = steps[-1][1].state
        self.refused.update(o.reason or "" for _e, o in steps if not o.accepted)

    def label_and_confirm(self, pending: list[tuple[rules.PackEvent, rules.Outcome]] | None = None
                          ) -> PackView:
        """Every box gets its tracking number and its label; the order is confirmed. The
        labels, the events (with `pending`, the scan that completed the order) and the outbox
        entry for the central database are written in one transaction of the station store,
        then the printer is woken. What `prepare_label` got ready (box 1's tracking number,
        the label's text drawn) is used; what it did not, is done here."""

        pending = list(pending or [])
        assert self.state is not None and self.snapshot is not None
        with self._preparing:  # a label being got ready for this order: let it finish
            pass
        central = self._central_now()
        reason, status = (central.intercept, central.status) if central is not None \
            else (None, None)
        if status is not None and not reason and status not in rules.PACKABLE_STATUSES:
            # Held, sent back or packed elsewhere since the station fetched it: no label for
            # a parcel the central database would not take. The session waits (F3 sets it
            # aside) until a shift lead has settled the order.
            self._write(pending)
            return PackView(self.session_id, self.state, False,
                            "already_packed" if status in ("packed", "shipped")
                            else "not_ready_centrally",
                            {"order": self.state.order.order_no, "status": status}, "error")
        if reason:
            self._write(pending)
            outcome = self._do(rules.Stopped(new_id(), reason))
            self._set_status("stopped")
            with self.store.unit_of_work() as s:
                outbox.append(s, AuditNote(
                    self.actor.code, "pack.stopped", "order", self.state.order.order_no,
                    {"reason": reason, "units": rules.unit_count(self.state)}))
            return PackView(self.session_id, self.state, False, "intercepted",
                            {"order": self.state.order.order_no, "why": reason}, "stop")
        state = pending[-1][1].state if pending else self.state
        boxes = [b.box_no for b in state.boxes if b.items]
        if self._platform():
            # A platform's waybills come from the centre (or were fetched ahead): without
            # one, the order waits, complete and unconfirmed, never with a made-up number.
            missing = [b for b in boxes if (box := state.box(b)) is not None
                       and box.tracking_no is None]
            try:
                self._waybill_printer()  # a printer for them here, before anything is asked
                for box_no in missing:
                    self._platform_waybill(box_no)
            except ServiceError as exc:
                self._write(pending)
                log.info("order %s waits for its waybill: %s", state.order.order_no, exc)
                return PackView(self.session_id, self.state, False, exc.code or "refused",
                                {"order": state.order.order_no,
                                 **{k: v for k, v in exc.params.items()
                                    if isinstance(v, (str, int, float))}}, "error")
        steps: list[tuple[rules.PackEvent, rules.Outcome]] = list(pending)
        for box_no in boxes:
            box = state.box(box_no)
            assert box is not None
            if box.tracking_no is None:
                event = rules.Labelled(new_id(), box_no, self._tracking_number(box_no))
                outcome = rules.apply(state, event)
                if not outcome.accepted:
                    self._write(steps)
                    return self._view(self._do(event))
                steps.append((event, outcome))
                state = outcome.state
        confirm = rules.Confirmed(new_id())
        confirmed = rules.apply(state, confirm)
        if not confirmed.accepted:
            self._write(steps)
            return self._view(self._do(confirm))
        steps.append((confirm, confirmed))
        spec = self._waybill_printer()
        labels = self._render_labels(state, boxes, spec)
        now = datetime.now(UTC)
        with self.store.unit_of_work() as s:
            # All accepted: refusals returned above.
            s.execute(insert(EVENTS), [self._row(event, outcome, now) for event, outcome in steps])
            for (doc, data), box_no in zip(labels, boxes, strict=True):
                print_queue.add_job(s, self.actor, spec, doc, data, kind="waybill",
                                 ref=doc.tracking_no,
                                 title=f"{doc.order_nos[0]} {box_no}/{len(boxes)}",
                                 dedupe_key=f"waybill:{doc.order_nos[0]}:{box_no}", priority=5)
            self._confirmed_to_outbox(s, confirmed.state, now)
            s.execute(update(SESSIONS).where(SESSIONS.c.id == self.session_id)
                      .values(status="packed", updated_at=now))
            self._mark(s, True, "")
        self.state = confirmed.state
        self.runtime.spooler.wake()
        return self._view(confirmed, tuple(str(doc.tracking_no) for doc, _d in labels))

    def _render_labels(self, state: rules.PackState, boxes: list[int], spec: Any
                       ) -> list[tuple[Any, bytes]]:
        """Each box's waybill and its bytes for the printer. A text no label can hold is
        refused in words (`packing.label_text`) before anything is written: the order stays
        open, the scan that would have completed it is refused."""
        from app.printing.fonts import FontNotFoundError
        from app.printing.text_fit import DocumentError

        try:
            return [(doc, print_queue.render_for(doc, spec))
                    for doc in (self._waybill(state, box_no, len(boxes)) for box_no in boxes)]
        except (DocumentError, FontNotFoundError) as exc:
            log.warning("waybill of %s not rendered: %s", state.order.order_no, exc)
            raise ServiceError(f"the waybill of order {state.order.order_no} cannot be "
                               f"printed: {exc}", code="packing.label_text",
                               order=state.order.order_no) from None

    # ---- platform waybills (Cainiao, Pinduoduo, Douyin): issued by the centre

    def _platform(self, snapshot: PackSnapshot | None = None) -> bool:
        snap = snapshot or self.snapshot
        return snap is not None and snap.waybill_provider != "pool"

    def _waybill_printer(self, snapshot: PackSnapshot | None = None) -> Any:
        """The printer of this order's waybills: the station's printer for its provider's
        print component (`PrinterSetup.for_waybill`), refused in words when there is none."""
        from app.printers import PrinterConfigError

        snap = snapshot or self.snapshot
        provider = snap.waybill_provider if snap is not None else "pool"
        try:
            return self.runtime.printer_setup.for_waybill(provider)
        except PrinterConfigError as exc:
            raise Conflict(str(exc), code="waybill.no_printer", provider=provider) from None

    def _platform_waybill(self, box_no: int) -> BoxWaybill:
        """Box `box_no`'s platform waybill: held with the order (fetched ahead, or asked
        before), else asked of the centre within the fetch deadline and kept with the order
        at once. The centre never calls the platform for a station: without the waybill it
        records the ask for the engine and answers `waybill.fetching` (the order waits and
        asks again). `waybill.needs_network` when the centre cannot be reached."""
        snap = self.snapshot
        assert snap is not None
        have = snap.waybill(box_no)
        if have is not None:
            return have
        order_no, station, actor = snap.order_no, self.runtime.code, self.actor
        try:
            got = self._ask(lambda remote: remote.waybill(actor, station, order_no, box_no),
                            self._fetch_deadline())
        except LinkDown:
            raise ServiceError(
                f"order {order_no} needs the network for its waybill: box {box_no} has none "
                "yet and the central database cannot be reached", code="waybill.needs_network",
                order_no=order_no, box=box_no) from None
        self._keep_waybill(got)
        return got

    def _keep_waybill(self, waybill: BoxWaybill) -> None:
        """The waybill kept with the order at the station (its session and held copy), so
        a restart or the network going prints it still."""
        snap = self.snapshot
        if snap is None or snap.waybill(waybill.box_no) is not None:
            return
        snap = replace(snap, waybills=(*snap.waybills, waybill))
        self.snapshot = snap
        held = cached_snapshot(self.store, snap.order_no)
        if held is not None and held.waybill(waybill.box_no) is None:
            held_orders.remember(self.store, replace(held, waybills=(*held.waybills, waybill)))
        if self.session_id is not None:
            with self.store.unit_of_work() as s:
                s.execute(update(SESSIONS).where(SESSIONS.c.id == self.session_id)
                          .values(snapshot=snap.to_dict()))

    def _tracking_number(self, box_no: int) -> str:
        assert self.state is not None
        if self._platform():
            return self._platform_waybill(box_no).tracking_no
        key = f"{self.state.order.order_no}:{box_no}"
        ready = self._ready.pop(key, None)
        return ready if ready is not None else self._take(self.state.order.carrier_code, key)

    def _take(self, carrier: str, key: str) -> str:
        """Box `key`'s tracking number: the one it has, or a fresh one of the station's."""
        try:
            return tracking.take(self.store, carrier, key)
        except Conflict:
            link = self.runtime.link
            if link is None:
                raise
            try:
                tracking.refill(self.store, link, self.actor, self.runtime.code, carrier,
                                low=tracking.LOW, deadline_s=link.fetch_s)
            except LinkDown:
                raise Conflict(f"no {carrier} tracking numbers left at this station and the "
                               "central database cannot be reached",
                               code="tracking.station_empty", carrier=carrier) from None
            return tracking.take(self.store, carrier, key)

    def prepare_label(self) -> str | None:
        """Get the open order's first label ready while its units are being scanned, so that
        the scan completing the order only checks, writes and wakes the printer: box 1 takes
        its tracking number now (a box keeps the number it took, so a crash changes nothing:
        `tracking.take`), and where the printer's renderer keeps what it draws (ZPL with
        Chinese as graphics), the label is rendered once and thrown away, leaving its Chinese
        text drawn; the real label, rendered at the confirm with its final box count, weight
        and time, reuses it. Nothing here is a pack event and nothing is printed: skipping it
        changes only how long the completing scan takes.

        The screen runs this on the bench's own thread after the scan that opened the order,
        before the next one. Called from another thread, it reads the bench's state once and
        writes nothing the scans read but the number it took (`label_and_confirm` waits for
        it). Returns box 1's tracking number, or None when there is nothing to get ready."""
        from app.printing.fonts import FontNotFoundError
        from app.printing.text_fit import DocumentError

        with self._preparing:
            state, snap = self.state, self.snapshot
            if state is None or snap is None or state.order.order_no != snap.order_no \
                    or state.phase in (rules.Phase.PACKED, rules.Phase.STOPPED,
                                       rules.Phase.PAUSED):
                return None
            box = state.box(1)
            if box is not None and box.tracking_no is not None:
                return None  # labelled already
            key = f"{state.order.order_no}:1"
            if self._platform(snap):
                # Box 1's platform waybill asked now (held, or from the centre), so the
                # confirm does not wait for it; failing, the confirm says why.
                try:
                    return self._platform_waybill(1).tracking_no
                except ServiceError:
                    return None
            number = self._ready.get(key)
            if number is None:
                try:
                    number = self._take(state.order.carrier_code, key)
                except Conflict:  # none left and no central database: the confirm says so
                    return None
                self._ready = {key: number}  # this order's only: numbers of others are taken
            try:
                print_queue.prepare_for(waybill_doc(snap, number, 1, 1, None),
                                     self.runtime.printer_for("waybill"))
            except (DocumentError, FontNotFoundError):  # the confirm refuses in words
                log.warning("waybill of %s not prepared", state.order.order_no, exc_info=True)
            return number

    def _waybill(self, state: rules.PackState, box_no: int, boxes: int) -> Any:  # Waybill
        assert self.snapshot is not None
        box = state.box(box_no)
        assert box is not None and box.tracking_no
        issued = self.snapshot.waybill(box_no) if self._platform() else None
        return waybill_doc(self.snapshot, box.tracking_no, box_no, boxes,
                            box.weight_g or rules.box_expected_g(state, box_no), issued,
                            dict(box.items))

    def reprint(self, reason: str) -> PackView:
        """The current (or last) order's labels again, with a reason (audited). The view
        names the tracking numbers reprinted; an order with no label yet is refused."""

        if self.state is None:
            return PackView(None, None, False, "no_order", {}, "error")
        order_no = self.state.order.order_no
        with self.store.reader() as s:
            jobs = s.execute(select(PrintJob.id, PrintJob.ref).where(
                PrintJob.dedupe_key.like(f"waybill:{order_no}:%"))
                .order_by(PrintJob.dedupe_key)).all()
        if not jobs:
            return PackView(self.session_id, self.state, False, "nothing_to_reprint",
                            {"order": order_no}, "error")
        for job in jobs:
            print_queue.reprint(self.store, self.actor, job.id, reason)
        self.runtime.spooler.wake()
        return PackView(self.session_id, self.state, True, "reprinted",
                        {"order": order_no, "reprinted": len(jobs)}, "ok",
                        tuple(str(job.ref) for job in jobs))

    def _confirmed_to_outbox(self, s: Session, state: rules.PackState, now: datetime) -> None:
        """The confirmed order for the central database, with the packer's figures."""
        started = self.started_at
        assert self.session_id is not None
        boxes = tuple(PackedBox(b.box_no, str(b.tracking_no), b.weight_g,
                                rules.box_expected_g(state, b.box_no), dict(b.items),
                                b.override_reason) for b in state.boxes if b.items)
        outbox.append(s, PackConfirmed(
            self.actor.code, state.order.order_no, self.session_id, boxes,
            rules.unit_count(state), dict(sorted(self.refused.items())), now,
            round((now - started).total_seconds(), 1) if started else None))


def _wave_offline(wave_no: str) -> Conflict:
    return Conflict(f"wave {wave_no} cannot be fetched: the central database cannot be "
                    "reached", code="packing.wave_offline", wave=wave_no)


def _not_held(ref: str) -> Conflict:
    return Conflict(f"order {ref} is not held at this station and the central database "
                    "cannot be reached", code="packing.not_held_offline",
                    order=ref.strip().upper())


def _not_ready(snapshot: PackSnapshot, exc: rules.NotPackable) -> Conflict:
    """The refusal of an order that cannot be packed now, before anything is written or
    printed: still in its wave (pick it first) or in a status that is not for packing."""
    order_no, status, wave = snapshot.order_no, snapshot.status, snapshot.wave_no
    if exc.reason == "not_picked" and wave:
        return Conflict(f"order {order_no} is still in wave {wave}, not picked yet: pick it "
                        "first", code="packing.not_picked", order=order_no, wave=wave,
                        status=status)
    if exc.reason == "not_picked":
        return Conflict(f"order {order_no} is not picked yet: pick it first",
                        code="packing.not_picked_no_wave", order=order_no, status=status)
    return Conflict(f"order {order_no} is {status}: it cannot be packed",
                    code="packing.not_packable", order=order_no, status=status)


def pending_sessions(runtime: StationRuntime) -> list[dict[str, Any]]:
    """Paused and open sessions of this station (to take an order up again)."""
    with runtime.store.reader() as s:
        return [{"id": r.id, "order_no": r.order_no, "status": r.status, "packer": r.packer,
                 "updated_at": r.updated_at}
                for r in s.scalars(select(PackSession).where(
                    PackSession.status.in_(["open", "paused"]))
                    .order_by(PackSession.updated_at.desc()))]
