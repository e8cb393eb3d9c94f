"""One headless station of the rehearsal, as its own process: a picker's or a packer's bench
with the station's own folder (settings, store, outbox, print queue), its scanner on a real
pseudo-terminal read by the station's device service and serial driver, its waybill printer a
fake 9100 printer of the conductor's, and its link to the centre through the conductor's proxy.

The person at the bench is a thread that writes scans into the pseudo-terminal as a scanner
does and waits for the bench's answer: scan → result is measured from the bytes written to
the answer given. The bench answers on a thread of its own, one scan at a time, as the
screens do: a packer's bench is `app.station.packing.PackingBench` (the code `packline
station replay` and the packing screen run); a picker's is `app.services.picking` over the
central database, as the picking screen calls it. A packing station runs the app's sync round
every two seconds (push the outbox, top up tracking numbers, fetch the waves ready to pack,
pull what changed).

    python -m tests.rehearsal.station --home DIR --kind packer|picker --user CODE
        [--partition K/N] [--pace SECONDS]

Standard input takes the conductor's orders, one JSON object a line: {"do": "stop"} (finish
the scan in hand, push the outbox until it is empty, exit 0), {"do": "pty"} (close the
scanner's pseudo-terminal in the middle of a scan and open it again). Standard output is the
figures (`tests.rehearsal.metrics`).
"""

from __future__ import annotations

import argparse
import logging
import os
import queue
import random
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

log = logging.getLogger("packline.rehearsal")
SYNC_EVERY_S = 2.0
ANSWER_S = 30.0  # a scan not answered in this long is lost (the run says so)


@dataclass
class Answer:
    text: str
    ok: bool
    reason: str
    kind: str
    at: float
    detail: Any = None


class Bench:
    """Scans in from the device service, answers out, one at a time on its own thread."""

    def __init__(self, act: Any, metrics: Any) -> None:
        self.act = act
        self.metrics = metrics
        self.scans: queue.Queue[str | None] = queue.Queue()
        self.answers: queue.Queue[Answer] = queue.Queue()
        self.thread = threading.Thread(target=self._run, name="rehearsal-bench", daemon=True)

    def on_scan(self, event: Any) -> None:
        self.scans.put(event.scan.text)

    def _run(self) -> None:
        from app.services.errors import ServiceError

        while (text := self.scans.get()) is not None:
            try:
                answer = self.act(text)
            except ServiceError as exc:
                answer = Answer(text, False, exc.code or type(exc).__name__, "refused",
                                time.perf_counter())
            except Exception as exc:  # noqa: BLE001 - a fault at the bench: counted, shown
                log.warning("scan %r failed", text, exc_info=True)
                answer = Answer(text, False, f"fault.{_fault_kind(exc)}", "fault",
                                time.perf_counter())
            self.answers.put(answer)


def _fault_kind(exc: BaseException) -> str:
    from sqlalchemy.exc import DBAPIError

    if isinstance(exc, DBAPIError) and exc.orig is not None:
        return f"{type(exc.orig).__name__}"
    return type(exc).__name__


class Person:
    """The person at the bench: writes scans into the scanner's pseudo-terminal."""

    def __init__(self, feed: Any, bench: Bench, metrics: Any, pace: float, name: str) -> None:
        self.feed, self.bench, self.metrics, self.pace = feed, bench, metrics, pace
        self.name = name
        self.stopping = threading.Event()
        self.faults: queue.Queue[str] = queue.Queue()
        self.rng = random.Random(os.getpid())

    def scan(self, text: str) -> Answer | None:
        """One scan typed by the scanner, its answer (None: none came, the scan was lost to
        the person, who scans again)."""
        if not self.faults.empty():
            self._fault(self.faults.get(), text)
        started = time.perf_counter()
        if not self.feed.write(text, "\r", timeout=5.0):
            self.metrics.error("scanner.write_failed")
            time.sleep(0.5)
            return None
        while True:
            try:
                answer = self.bench.answers.get(timeout=ANSWER_S)
            except queue.Empty:
                self.metrics.error("scan.no_answer")
                return None
            if answer.text != text:  # the answer to a scan mangled by a fault, say
                self.metrics.error(f"scan.other_answer.{answer.reason or answer.kind}")
                continue
            self.metrics.lat(f"scan→result.{self.name}", (answer.at - started) * 1000)
            if not answer.ok:
                self.metrics.error(f"{self.name}.{answer.reason}")
            return answer

    def _fault(self, what: str, text: str) -> None:
        """The scanner's cable pulled half-way through a scan, and plugged back in: the half
        read is garbage to the bench or lost, and the person scans again."""
        if what != "pty":
            return
        half = text[: max(len(text) // 2, 1)]
        self.feed.write_bytes(half.encode())
        time.sleep(0.05)
        self.feed.unplug()
        time.sleep(0.3)
        self.feed.replug()
        deadline = time.monotonic() + 15
        # The device service notices and opens the new port; the person waits for the beep
        # of a connected scanner before scanning again.
        while time.monotonic() < deadline and not self._connected():
            time.sleep(0.05)
        # A mangled half that reached the bench is answered (refused): take it off the queue.
        time.sleep(0.3)
        while True:
            try:
                stray = self.bench.answers.get_nowait()
            except queue.Empty:
                break
            self.metrics.error(f"pty.stray_scan_answered.{stray.reason or stray.kind}")
        self.metrics.count("fault.pty")
        self.metrics.note(f"scanner pty closed mid-scan ({half!r} of {text!r} written) and "
                          f"reopened; connected again: {self._connected()}")

    connected: Any = None

    def _connected(self) -> bool:
        return bool(self.connected and self.connected())

    def rest(self) -> None:
        time.sleep(self.pace * self.rng.uniform(0.5, 1.5))


# ------------------------------------------------------------------ the packer


class Packer:
    def __init__(self, runtime: Any, actor: Any, person: Person, partition: tuple[int, int],
                 metrics: Any) -> None:
        from app.station.packing import PackingBench

        self.runtime, self.actor, self.person, self.metrics = runtime, actor, person, metrics
        self.k, self.n = partition
        self.bench = PackingBench(runtime, actor)
        self.skip: set[str] = set()

    def act(self, text: str) -> Answer:
        with self.metrics.timed("svc.bench.scan"):
            view = self.bench.scan(text)
        if view.kind == "done" and view.accepted:
            self.metrics.count("packed")
        return Answer(text, view.accepted, view.reason or "", view.kind, time.perf_counter(),
                      view)

    def resume(self) -> None:
        """After a start: the bench's open order where it was (the scans written down but not
        acted on, acted on now)."""
        from app.station.models import PackSession

        view = self.bench.resume_open()
        if view.state is not None:
            self.metrics.note(f"took up {view.order_no} where it was")
        with self.runtime.store.reader() as s:
            self.skip |= set(s.scalars(select(PackSession.order_no).where(
                PackSession.status.in_(["packed", "stopped"]))))

    def _mine(self, wave_no: str) -> bool:
        digits = "".join(ch for ch in wave_no[-4:] if ch.isdigit())
        return self.n <= 1 or (int(digits or 0) % self.n) == self.k

    def next_order(self) -> Any:
        from app.station.models import CachedOrder
        from app.sync.contract import PackSnapshot

        with self.runtime.store.reader() as s:
            rows = s.execute(select(CachedOrder.order_no, CachedOrder.wave_no,
                                    CachedOrder.snapshot)
                             .order_by(CachedOrder.fetched_at, CachedOrder.order_no)).all()
        for order_no, wave_no, data in rows:
            if order_no in self.skip or not self._mine(wave_no or ""):
                continue
            if (data or {}).get("status") != "picked" or (data or {}).get("intercept"):
                continue
            return PackSnapshot.from_dict(data)
        return None

    def work(self) -> None:
        from app.domain import packing as rules

        p = self.person
        stuck = 0
        while not p.stopping.is_set():
            state = self.bench.state
            if state is not None and state.phase is rules.Phase.VERIFYING:
                self._finish(state)
                continue
            if state is not None and state.phase not in (rules.Phase.PACKED,
                                                         rules.Phase.STOPPED,
                                                         rules.Phase.PAUSED):
                # Complete but not confirmed (the centre said it is not ready, no tracking
                # number offline): the confirm card again, and after a few the order is set
                # aside with the pause card for the lead.
                stuck += 1
                answer = p.scan("CMD-CONFIRM" if stuck < 4 else "CMD-PAUSE")
                if stuck >= 4 and answer is not None and answer.ok:
                    self.skip.add(state.order.order_no)
                    stuck = 0
                time.sleep(1.0)
                continue
            stuck = 0
            snap = self.next_order()
            if snap is None:
                time.sleep(0.5)
                continue
            answer = p.scan(snap.order_no)
            if answer is None:
                continue
            if not answer.ok or self.bench.state is None \
                    or self.bench.state.order.order_no != snap.order_no:
                if answer.reason not in ("packing.not_held_offline",) \
                        and not answer.reason.startswith("fault."):
                    self.skip.add(snap.order_no)  # intercepted, held, not packable: the lead's
                p.rest()
                continue
            p.rest()

    def _finish(self, state: Any) -> None:
        """Scan a unit the open order still needs."""
        from app.domain import packing as rules
        from app.station.held import cached_snapshot

        p = self.person
        snap = self.bench.snapshot or cached_snapshot(self.runtime.store, state.order.order_no)
        codes = {ln.line_no: next((c for c, units in ln.codes if units == 1), None)
                 for ln in (snap.lines if snap else ())}
        left = rules.remaining(state)
        line_no = next((n for n, units in left.items() if units > 0), None)
        if line_no is None or codes.get(line_no) is None:
            self.metrics.error("packer.no_code_to_scan")
            if p.scan("CMD-PAUSE") is not None:
                self.skip.add(state.order.order_no)
            return
        answer = p.scan(str(codes[line_no]))
        if answer is not None and (answer.kind == "done" or answer.kind == "stop"):
            self.skip.add(state.order.order_no)
        p.rest()


# ------------------------------------------------------------------ the picker


class Picker:
    def __init__(self, db: Any, actor: Any, warehouse: str, person: Person,
                 metrics: Any) -> None:
        self.db, self.actor, self.warehouse = db, actor, warehouse
        self.person, self.metrics = person, metrics
        self.view: Any = None
        self.codes = self._barcodes()
        self.refused_waves: set[str] = set()
        self.refusals = 0

    def _barcodes(self) -> dict[str, str]:
        from app.store.models import Sku, SkuBarcode

        while True:
            try:
                with self.db.reader() as s:
                    return {code: barcode for code, barcode in s.execute(
                        select(Sku.code, SkuBarcode.barcode)
                        .join(SkuBarcode, SkuBarcode.sku_id == Sku.id)
                        .where(SkuBarcode.units == 1, SkuBarcode.kind == "ean13"))}
            except Exception:  # noqa: BLE001 - the centre out of reach at start: wait
                time.sleep(1)

    def act(self, text: str) -> Answer:
        """The picking screen's handling of a scan (`app/ui/picking_screen.py`)."""
        from app.services import picking
        from drivers.barcode import ScanKind, parse_scan

        scan = parse_scan(text)
        view = self.view
        if scan.kind is ScanKind.WAVE and (view is None or view.done):
            with self.metrics.timed("svc.picking.claim"):
                self.view = picking.claim(self.db, self.actor, scan.value)
        elif view is None or view.current is None:
            return Answer(text, False, "scan_a_wave_first", "refused", time.perf_counter())
        elif scan.kind is ScanKind.BIN:
            with self.metrics.timed("svc.picking.confirm_bin"):
                self.view = picking.confirm_bin(self.db, self.actor, view.wave_no,
                                                view.current.seq, text)
        else:
            with self.metrics.timed("svc.picking.pick"):
                self.view = picking.pick(self.db, self.actor, view.wave_no, view.current.seq,
                                         text, 1)
            self.metrics.count("units_picked")
            if self.view.done:
                self.metrics.count("waves_picked")
        return Answer(text, True, "", "ok", time.perf_counter())

    def resume(self) -> None:
        from app.services import picking

        while not self.person.stopping.is_set():
            try:
                self.view = picking.held_wave(self.db, self.actor)
                break
            except Exception:  # noqa: BLE001 - the centre out of reach: wait
                time.sleep(1)
        if self.view is not None:
            self.metrics.note(f"took up {self.view.wave_no} where it was")

    def next_wave(self) -> str | None:
        from app.services import waves

        try:
            with self.metrics.timed("svc.waves.list"):
                found = waves.list_waves(self.db, self.actor, warehouse=self.warehouse,
                                         status=["released"])
        except Exception:  # noqa: BLE001 - the centre out of reach: the picker waits
            self.metrics.error("picker.list_unreachable")
            time.sleep(1)
            return None
        fresh = [w["wave_no"] for w in found if w["wave_no"] not in self.refused_waves]
        return self.person.rng.choice(fresh[:3]) if fresh else None

    def work(self) -> None:
        p = self.person
        while not p.stopping.is_set():
            view = self.view
            if view is None or view.done or view.status != "picking":
                self.view = None
                wave_no = self.next_wave()
                if wave_no is None:
                    time.sleep(1.0)
                    continue
                answer = p.scan(wave_no)
                if answer is not None and not answer.ok and answer.reason in (
                        "wave.claimed", "wave.not_released"):
                    self.refused_waves.add(wave_no)
                p.rest()
                continue
            task = view.current
            if task.step.value == "at_bin":
                answer = p.scan(task.bin_code)
            else:
                code = self.codes.get(task.sku_code)
                if code is None:
                    self.metrics.error("picker.no_barcode")
                    time.sleep(1)
                    continue
                answer = p.scan(code)
            if answer is not None and not answer.ok:
                # Refused or failed: the wave as the centre has it now, then the next scan.
                self.refusals += 1
                self._reload()
                if self.refusals >= 5 and self.view is not None:
                    self._hand_back()
            else:
                self.refusals = 0
            p.rest()

    def _hand_back(self) -> None:
        """Refused again and again at one step: the picker hands the wave back to the lead
        (the run counts it; nothing is lost, the next picker carries on)."""
        from app.services import picking

        view, self.refusals = self.view, 0
        if view is None:
            return
        try:
            picking.hand_back(self.db, self.actor, view.wave_no, "refused again and again")
            self.metrics.error("picker.handed_back")
            self.metrics.note(f"handed {view.wave_no} back after five refusals in a row")
            self.refused_waves.add(view.wave_no)
            self.view = None
        except Exception:  # noqa: BLE001 - the centre out of reach: try again later
            time.sleep(1)

    def _reload(self) -> None:
        """After a fault (the centre cut, a connection terminated), the wave as it is now."""
        from app.services import picking

        view = self.view
        if view is None:
            return
        try:
            self.view = picking.view(self.db, self.actor, view.wave_no)
        except Exception:  # noqa: BLE001 - still out of reach: next scan tries again
            time.sleep(1)


# ------------------------------------------------------------------ the process


def _login(db: Any, user: str, password: str, station: str, stopping: threading.Event) -> Any:
    from app.services import auth

    while True:
        try:
            return auth.login_password(db, user, password, station)
        except Exception:  # noqa: BLE001 - the centre out of reach while starting: wait
            if stopping.is_set():
                raise
            time.sleep(1)


def _sync(runtime: Any, actor: Any, person: Person, metrics: Any, packer: bool) -> None:
    while not person.stopping.wait(SYNC_EVERY_S):
        try:
            with metrics.timed("svc.sync.round" if packer else "svc.sync.push"):
                if packer:
                    done = runtime.sync_round(actor)
                    if done.push_error:
                        metrics.error("sync.push_failed")
                    if not done.online:
                        metrics.error("sync.offline")
                else:
                    runtime.push_outbox()
        except Exception as exc:  # noqa: BLE001 - counted; the next round tries again
            metrics.error(f"sync.fault.{_fault_kind(exc)}")
            log.warning("sync round failed", exc_info=True)


def _drain(runtime: Any, metrics: Any, limit_s: float = 120.0) -> int:
    """Push until the outbox is empty (or `limit_s`): what is left."""
    from app.station import outbox

    deadline = time.monotonic() + limit_s
    left = outbox.pending(runtime.store)
    while left and time.monotonic() < deadline:
        try:
            left = runtime.push_outbox().remaining
        except Exception as exc:  # noqa: BLE001 - the centre out of reach: again
            metrics.error(f"drain.{_fault_kind(exc)}")
            time.sleep(1)
            left = outbox.pending(runtime.store)
    return left


def _printed(runtime: Any, limit_s: float = 60.0) -> int:
    """Wait for the print queue to send what it holds (or `limit_s`): jobs left."""
    from sqlalchemy import func

    from app.station.models import PrintJob

    deadline = time.monotonic() + limit_s
    while True:
        with runtime.store.reader() as s:
            left = s.scalar(select(func.count()).select_from(PrintJob).where(
                PrintJob.status.in_(["queued", "sending"]))) or 0
        if not left or time.monotonic() >= deadline:
            return int(left)
        runtime.spooler.wake()
        time.sleep(0.2)


def main(argv: list[str] | None = None) -> int:
    from app.config import load_config
    from app.devices import parse_spec
    from app.logs import setup_logging
    from app.services.central_link import DatabaseLink
    from app.station.devices import DeviceService, Listener
    from app.station.runtime import StationRuntime
    from app.store.db import Database
    from drivers.base import DeviceStatus
    from drivers.sim import PtyFeed
    from tests.rehearsal.metrics import Emitter, listen

    parser = argparse.ArgumentParser(prog="python -m tests.rehearsal.station")
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--kind", choices=("picker", "packer"), required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--partition", default="0/1")
    parser.add_argument("--pace", type=float, default=0.3)
    args = parser.parse_args(argv)
    cfg = load_config(args.home)
    setup_logging(cfg)
    code = cfg.settings.station.code
    metrics = Emitter(code).start()
    # Through PgBouncer and reading from the replica when the rehearsal says so
    # (PACKLINE_CENTRAL_POOLED, PACKLINE_CENTRAL_READ_URL), as a site's station does.
    db = Database.from_url(cfg.central_url, **cfg.database_options)
    runtime = StationRuntime(cfg, db, link=DatabaseLink(db))
    feed = PtyFeed(link=args.home / "scanner")
    service = DeviceService(cfg.settings, devices=[parse_spec("scanner", {
        "kind": "scanner", "url": f"serial://{feed.path}?suffix=CR"})], watch_ports=False)
    stopping = threading.Event()
    password = os.environ.get("PACKLINE_PASSWORD", "")
    actor = _login(db, args.user, password, code, stopping)
    if args.kind == "packer":
        from app.station.packing import PackingBench

        PackingBench  # noqa: B018 - imported before the threads start
    bench: Bench
    worker: Packer | Picker
    person: Person
    runtime.start(warm_up=args.kind == "packer")
    if args.kind == "packer":
        bench = Bench(None, metrics)
        person = Person(feed, bench, metrics, args.pace, "pack")
        k, n = (int(x) for x in args.partition.split("/"))
        worker = Packer(runtime, actor, person, (k, n), metrics)
    else:
        bench = Bench(None, metrics)
        person = Person(feed, bench, metrics, args.pace, "pick")
        worker = Picker(db, actor, cfg.settings.station.warehouse, person, metrics)
    bench.act = worker.act
    person.stopping = stopping
    person.connected = lambda: (service.state("scanner") or _Nothing).status \
        is DeviceStatus.CONNECTED
    service.subscribe(Listener(on_scan=bench.on_scan))
    service.start().result(15)
    worker.resume()
    bench.thread.start()
    sync = threading.Thread(target=_sync, args=(runtime, actor, person, metrics,
                                                args.kind == "packer"),
                            name="rehearsal-sync", daemon=True)
    sync.start()

    listen(stopping, pty=lambda: person.faults.put("pty"))
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not person._connected():
        time.sleep(0.05)
    metrics.note(f"{args.kind} {args.user} at work (scanner {feed.port})")
    try:
        worker.work()
    finally:
        stopping.set()
        sync.join(60)
        left = _drain(runtime, metrics)
        metrics.count("outbox_left_at_exit", left)
        unprinted = _printed(runtime)
        if unprinted:
            metrics.error("labels_unprinted_at_exit")
        bench.scans.put(None)
        service.stop()
        runtime.stop()
        feed.close()
        db.dispose()
        metrics.stop()
    return 0 if left == 0 else 1


class _Nothing:
    status = None


if __name__ == "__main__":
    sys.exit(main())
