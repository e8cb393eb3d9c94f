"""The order engine of a single machine: when the central database is the embedded SQLite
file, the app itself keeps the queue moving, as `packline engine run` does on a server.

It runs on a thread of its own, audited as the `system` actor of the station. SQLite has one
writer at a time and the station's own writes (a packer's scan, a pick) share the file, so the
engine works in small batches — each one transaction holding the write lock for a few tens of
milliseconds — and pauses between them, so a packer's write never waits behind more than one
batch. Stopping (the app quits) ends it after the batch in hand."""

from __future__ import annotations

import logging
import threading
import time

from app.services import channel_pull, engine, exceptions, platform_work
from app.services.context import Actor
from app.store.db import Database

log = logging.getLogger("packline.engine")

# Measured with a station writing every 50 ms beside the engine on a busy two-core machine:
# batches of 10 with 30 ms pauses keep its writes at 20 ms median, 60 ms p99 (batches of 25
# with 50 ms pauses: 60 ms median, 200 ms p99), at about 130 orders a second.
BATCH = 10  # orders per transaction: a write lock of a few tens of milliseconds
PAUSE_S = 0.03  # between batches: the station's writes take their turn
IDLE_S = 2.0  # an empty queue is looked at again after this
ESCALATE_EVERY_S = 60.0


class EmbeddedEngine:
    def __init__(self, db: Database, actor: Actor, *, batch: int = BATCH,
                 pause_s: float = PAUSE_S, idle_s: float = IDLE_S,
                 pull_every: float = 0.0, confirm_per_second: float = 5.0) -> None:
        self.db = db
        self.confirm_per_second = confirm_per_second
        # The shops' order pulls (`[channels] pull_every`; 0: none), between batches.
        self.poller = channel_pull.Poller(pull_every)
        self.actor = actor
        self.batch = batch
        self.pause_s = pause_s
        self.idle_s = idle_s
        self.claimed = 0  # orders handled since start
        self.passes = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="packline-engine", daemon=True)
        self._thread.start()
        log.info("embedded order engine started (batches of %d)", self.batch)

    def stop(self, timeout: float = 10.0) -> bool:
        """Ask the engine to stop after its current batch; True once its thread has ended."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning("embedded order engine still busy after %.0f s", timeout)
                return False
            log.info("embedded order engine stopped (%d orders handled)", self.claimed)
        return True

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _between(self) -> bool:
        return self._stop.wait(self.pause_s)

    def _run(self) -> None:
        last_escalation = last_summary = 0.0
        while not self._stop.is_set():
            moved = 0
            try:
                if self.poller.due():
                    self.poller.run(self.db, self.actor)
                report = engine.run_once(self.db, self.actor, batch=self.batch,
                                         between=self._between)
                self.claimed += report.claimed
                # Backorders are claimed on every pass and may stay where they are: only a
                # pass that moved something is followed by another at once.
                moved = (report.routed + report.split + report.merged
                         + report.awaiting_balance + sum(report.exceptions.values()))
                # Waybills fetched ahead, cancelled, shipments confirmed: one pass each.
                if platform_work.busy(platform_work.run_once(
                        self.db, self.actor, confirm_per_second=self.confirm_per_second)):
                    moved += 1
                self.passes += 1
                if time.monotonic() - last_escalation >= ESCALATE_EVERY_S:
                    exceptions.escalate(self.db, self.actor)
                    last_escalation = time.monotonic()
                if time.monotonic() - last_summary >= engine.SUMMARY_EVERY_S:
                    engine.summarise_for_dashboards(self.db, self.actor)
                    last_summary = time.monotonic()
            except Exception:  # noqa: BLE001 - a pass that failed is tried again later
                log.exception("embedded order engine pass failed")
            if not moved and self._stop.wait(self.idle_s):
                return
