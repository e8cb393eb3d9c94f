"""The print spooler: one worker thread per printer takes the station's queued jobs from the
station store and sends them, so the GUI thread never waits on a printer.

- A job is in the store before it is sent, and marked `sent` only after the printer took it.
- A printer that refuses, stalls, drops a job or reports paper out is retried for a few seconds;
  then its queued jobs move to its backup printer (re-rendered if the backup speaks another
  language) and the worker watches the printer until it answers again.
- A print component's job is sent when the component says it printed (its print result),
  not when it took the task; the job's id is the component's task ID, so a resend is known.
- A job cut off mid-send may or may not have printed. It is sent again (same bytes, same
  tracking number) and the resend is counted on the job; so is a job found `sending` after a
  crash. A job that was `sent` is never sent again: printing it again is a reprint.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, select, update

from app.printers import PrinterSpec, prints_through_driver
from app.services import changes
from app.services.changes import Change
from app.station.models import PrintJob
from app.station.print_queue import SECRET_KINDS
from app.store.db import Database

log = logging.getLogger("packline.printing")

# The printer says it cannot print, or has stopped taking bytes for a whole timeout: no point
# retrying before moving the jobs.
MOVE_AT_ONCE = {"paper_out", "head_open", "offline", "timeout"}


@dataclass(slots=True)
class PrinterHealth:
    status: str = "unknown"  # online, down, unknown
    detail: str = ""
    failing_since: float | None = None
    sent: int = 0
    failures: int = 0


@dataclass(slots=True)
class _Claimed:
    id: str
    data: bytes
    title: str
    kind: str


Transport = Any
TransportFactory = Callable[[PrinterSpec, Path], Transport]


def default_transport(spec: PrinterSpec, folder: Path) -> Transport:
    from drivers.printers.transports import open_transport

    transport = open_transport(spec.url, folder=folder, timeout=spec.timeout,
                               language=spec.language)
    if prints_through_driver(spec):
        # A Windows printer's PDF: drawn through its driver by Qt; its spooler says its status.
        from app.printing.qt_printer import QtPrinterTransport

        return QtPrinterTransport(transport.url, dpi=spec.dpi, spooler=transport)
    return transport


def _error_kind(exc: BaseException) -> str:
    kind = getattr(exc, "kind", None)
    return str(getattr(kind, "value", kind) or "error")


class Spooler:
    def __init__(self, store: Database, printers: dict[str, PrinterSpec], folder: Path, *,
                 retry_delays: tuple[float, ...] = (0.2, 0.5, 1.0),
                 failover_after: float = 3.0, probe_every: float = 2.0,
                 transport_factory: TransportFactory = default_transport,
                 rerender: Callable[[PrintJob, PrinterSpec], bytes] | None = None,
                 on_change: Callable[[str], None] | None = None) -> None:
        self.store = store
        self.printers = printers
        self.folder = folder
        self.retry_delays = retry_delays
        self.failover_after = failover_after
        self.probe_every = probe_every
        self.transport_factory = transport_factory
        self.rerender = rerender
        self.on_change = on_change
        self.health = {name: PrinterHealth() for name in printers}
        self._stop = threading.Event()
        self._wake = threading.Condition()
        # Wakes so far: a worker that found the queue empty waits only if none came since it
        # looked, so a job queued while it was looking is never left for the next poll.
        self._woken = 0
        self._threads: list[threading.Thread] = []

    # ---- life cycle

    def start(self) -> None:
        self._recover()
        self._stop.clear()
        for name in self.printers:
            t = threading.Thread(target=self._work, args=(name,), daemon=True,
                                 name=f"packline-printer {name}")
            t.start()
            self._threads.append(t)

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self.wake()
        for t in self._threads:
            t.join(timeout)
        self._threads.clear()

    def wake(self) -> None:
        """New jobs are waiting (the services call this after enqueueing)."""
        with self._wake:
            self._woken += 1
            self._wake.notify_all()

    def _recover(self, printer: str | None = None) -> None:
        """Jobs left `sending` by a crash (of the station, or of `printer`'s worker) may have
        printed: send them again, and say so."""
        sending = [PrintJob.status == "sending"]
        if printer is not None:
            sending.append(PrintJob.printer == printer)
        with self.store.unit_of_work() as s:
            left = cast(CursorResult[Any], s.execute(update(PrintJob).where(*sending).values(
                status="queued", resends=PrintJob.resends + 1, updated_at=datetime.now(UTC),
                last_error="sent again after a restart: it may have printed")))
        if left.rowcount:
            log.warning("%d print jobs were being sent when the %s stopped; sending them "
                        "again", left.rowcount, "station" if printer is None else "queue")

    # ---- one printer

    def _work(self, name: str) -> None:
        """`name`'s worker, for as long as the spooler runs: an error of the station store
        (its disk full, the file locked past the busy timeout) stops the printer for a moment,
        never for good; what it was sending is sent again once the store answers."""
        failed = False
        while not self._stop.is_set():
            try:
                if failed:
                    self._recover(name)
                    failed = False
                self._serve(name)
            except Exception:  # noqa: BLE001 - logged; the worker carries on
                failed = True
                log.exception("print queue of %s stopped on an error; carrying on in a moment",
                              name)
                self._sleep(1.0)

    def _serve(self, name: str) -> None:
        spec = self.printers[name]
        health = self.health[name]
        transport = None
        attempt = 0
        job: _Claimed | None = None  # claimed with the previous job's "sent", to save a commit
        idle: int | None = None  # the wakes seen when the queue was last found empty
        while not self._stop.is_set():
            if health.status == "down" and self._backup(name) is not None:
                self._move_queued(name)
                if not self._probe(spec, transport):
                    self._sleep(self.probe_every)
                    continue
            if job is None and idle is not None:
                # Nothing was queued when last looked: wait for a wake (or poll every second,
                # for jobs queued by another process), then look again.
                with self._wake:
                    if self._woken == idle:
                        self._wake.wait(1.0)
                idle = None
                continue
            if job is None:
                seen = self._woken
                with self.store.unit_of_work() as s:
                    job = self._claim(s, name)
                if job is None:
                    idle = seen
                    continue
            try:
                if transport is None:
                    transport = self.transport_factory(spec, self.folder)
                transport.send(job.data, job.id, job.title or job.kind)
            except Exception as exc:  # noqa: BLE001 - every failure is handled the same way
                kind = _error_kind(exc)
                self._close(transport)
                transport = None
                self._failed(name, job, kind, str(exc) or kind)
                job = None
                attempt += 1
                if health.status == "down" and self._backup(name) is not None and (
                        kind in MOVE_AT_ONCE
                        or time.monotonic() - (health.failing_since or 0) >= self.failover_after):
                    self._move_queued(name)
                    attempt = 0
                else:
                    self._sleep(self.retry_delays[min(attempt - 1, len(self.retry_delays) - 1)])
                continue
            attempt = 0
            seen = self._woken
            job = self._sent(name, job)
            if job is None:
                idle = seen  # `_sent` looked for the next one: nothing, so wait
        if job is not None:  # claimed, not sent: back to the queue for the next start
            with self.store.unit_of_work() as s:
                s.execute(update(PrintJob).where(PrintJob.id == job.id).values(
                    status="queued", attempts=PrintJob.attempts - 1))
        self._close(transport)

    def _claim(self, s: Any, name: str) -> _Claimed | None:
        """The next job for `name`, marked `sending` (one statement)."""
        first = (select(PrintJob.id).where(PrintJob.status == "queued", PrintJob.printer == name)
                 .order_by(PrintJob.priority.desc(), PrintJob.created_at, PrintJob.id)
                 .limit(1).scalar_subquery())
        row = s.execute(update(PrintJob).where(PrintJob.id == first, PrintJob.status == "queued")
                        .values(status="sending", attempts=PrintJob.attempts + 1,
                                updated_at=datetime.now(UTC))
                        .returning(PrintJob.id, PrintJob.data, PrintJob.title, PrintJob.kind)
                        ).first()
        return _Claimed(row.id, row.data, row.title, row.kind) if row else None

    def _sent(self, name: str, job: _Claimed) -> _Claimed | None:
        """Mark `job` printed and, in the same transaction, claim the next one."""
        now = datetime.now(UTC)
        with self.store.unit_of_work() as s:
            sent: dict[str, Any] = {"status": "sent", "sent_at": now, "updated_at": now}
            if job.kind in SECRET_KINDS:  # a badge card: its bytes are a secret, kept no longer
                sent.update(data=b"", document=None)
            s.execute(update(PrintJob).where(PrintJob.id == job.id).values(**sent))
            following = None if self._stop.is_set() else self._claim(s, name)
        health = self.health[name]
        health.sent += 1
        if health.status != "online":
            health.status, health.detail, health.failing_since = "online", "", None
            log.info("printer %s is printing", name)
        self._changed(name)
        return following

    def _failed(self, name: str, job: _Claimed, kind: str, detail: str) -> None:
        """Back to the queue; a drop mid-send means the next send is a resend."""
        health = self.health[name]
        health.failures += 1
        if health.status != "down":
            health.failing_since = time.monotonic()
            log.warning("printer %s failed (%s): %s", name, kind, detail)
        health.status, health.detail = "down", kind
        with self.store.unit_of_work() as s:
            s.execute(update(PrintJob).where(PrintJob.id == job.id).values(
                status="queued", last_error=f"{name}: {kind}: {detail}"[:1000],
                resends=PrintJob.resends + (1 if kind == "dropped" else 0),
                updated_at=datetime.now(UTC)))
        self._changed(name)

    def _backup(self, name: str) -> str | None:
        backup = self.printers[name].backup
        if not backup or backup not in self.printers:
            return None
        return None if self.health[backup].status == "down" else backup

    def _move_queued(self, name: str) -> None:
        """Every job waiting for `name` goes to its backup, rendered for it if need be."""
        backup = self._backup(name)
        if backup is None:
            return
        target = self.printers[backup]
        source = self.printers[name]
        moved = 0
        with self.store.unit_of_work() as s:
            jobs = list(s.scalars(select(PrintJob).where(PrintJob.status == "queued",
                                                         PrintJob.printer == name)))
            for job in jobs:
                if (source.language, source.paper, source.dpi) != (
                        target.language, target.paper, target.dpi) and self.rerender:
                    try:
                        job.data = self.rerender(job, target)
                    except Exception as exc:  # noqa: BLE001 - the backup cannot print it
                        # (a platform's e-waybill prints only through its print component):
                        # it waits for its own printer.
                        log.warning("print job %s stays on %s: %s cannot print it: %s",
                                    job.id, name, backup, exc)
                        continue
                    job.language, job.paper, job.dpi = target.language, target.paper, target.dpi
                job.printer, job.moved_from = backup, name
                job.updated_at = datetime.now(UTC)
                moved += 1
        if moved:
            log.warning("printer %s down: %d jobs moved to %s", name, moved, backup)
            self.wake()
            self._changed(name)

    def _probe(self, spec: PrinterSpec, transport: Transport) -> bool:
        """Is a printer that failed answering again?"""
        try:
            probe = transport or self.transport_factory(spec, self.folder)
            status = probe.status()
            if probe is not transport:
                probe.close()
        except Exception:  # noqa: BLE001 - still down
            return False
        value = str(getattr(status, "value", status)).lower()
        if value in ("online", "unknown"):
            health = self.health[spec.name]
            health.status, health.detail, health.failing_since = "online", "", None
            log.info("printer %s answers again", spec.name)
            self._changed(spec.name)
            return True
        return False

    def _close(self, transport: Transport | None) -> None:
        if transport is not None:
            try:
                transport.close()
            except Exception:  # noqa: BLE001 - closing a broken connection
                log.debug("closing a printer transport failed", exc_info=True)

    def _sleep(self, seconds: float) -> None:
        self._stop.wait(seconds)

    def _changed(self, name: str) -> None:
        changes.announce((Change.PRINTING,))  # the Printing screen follows the queue
        if self.on_change is not None:
            try:
                self.on_change(name)
            except Exception:  # noqa: BLE001 - a screen's callback must not stop printing
                log.exception("print queue listener failed")
