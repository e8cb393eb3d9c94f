"""What runs on a station besides its screens: the station store, the printers and their
spooler, the link to the centre and the sync round. The desktop app and the `packline`
commands that act at a station all start it here."""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app import printers as printer_config
from app.config import Config
from app.printers import PrinterSpec
from app.secure_files import private_dir, private_file
from app.station import outbox, pull, tracking
from app.station.link import StationLink
from app.station.spooler import Spooler
from app.station.store import Checkpointer, open_store
from app.store.db import Database
from app.sync.contract import CentralLink, LinkDown, PrinterReport

log = logging.getLogger("packline.station")
REPORT_EVERY_S = 15.0


@dataclass(slots=True)
class SyncRound:
    """What one sync round did (`StationRuntime.sync_round`)."""

    online: bool = False
    pushed: int = 0
    push_error: str = ""
    tracking_added: int = 0
    orders_fetched: int = 0
    pulled: dict[str, int] = field(default_factory=dict)
    orders_updated: int = 0
    pruned: int = 0
    error: str = ""


def _first_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


class StationRuntime:
    """`central` is the central database people log in against (`app.services.auth`); the
    station's packing, printing and sync reach the centre only through `link` (the contract,
    `app.sync.contract`; over the central database it is `app.services.central_link`)."""

    def __init__(self, cfg: Config, central: Database | None = None, *,
                 link: CentralLink | None = None,
                 on_print_change: Callable[[str], None] | None = None,
                 failover_after: float = 3.0) -> None:
        from app.station import print_queue as printing

        self.cfg = cfg
        self.central = central
        self.link: StationLink | None = None
        self.connect(link)
        self.code = cfg.settings.station.code
        self.store = open_store(cfg.paths.station_db, checkpoint_in_background=True)
        self.checkpointer = Checkpointer(self.store)
        self.printer_setup = printer_config.load_setup(cfg.settings)  # checked once
        self.printers: dict[str, PrinterSpec] = dict(self.printer_setup.printers)
        self.folder: Path = printer_config.prints_folder(cfg.paths.home)
        if not self.folder.is_dir():
            private_dir(self.folder)  # labels carry receivers' names and addresses
        self.spooler = Spooler(self.store, self.printers, self.folder,
                               rerender=printing.rerender, on_change=on_print_change,
                               failover_after=failover_after)
        self._push_lock = threading.Lock()
        # One pusher at a time across the station's processes too: the app's sync process
        # and a `packline` command run beside it (`_pushing`).
        self._push_file = cfg.paths.station_db.with_name("station.push.lock")
        self._reported: tuple[Any, ...] | None = None  # what the centre was last told
        self._reported_at = 0.0

    def printer_for(self, role: str) -> PrinterSpec:
        return self.printer_setup.for_role(role)

    def printer_reports(self) -> tuple[PrinterReport, ...]:
        """Each printer the station prints a role on, as the spooler last found it, with the
        jobs waiting for it and those that failed: what the shift lead's dashboard shows."""
        from sqlalchemy import func, select

        from app.station.models import PrintJob

        with self.store.reader() as s:
            jobs = {(printer, status): n for printer, status, n in s.execute(
                select(PrintJob.printer, PrintJob.status, func.count())
                .where(PrintJob.status.in_(("queued", "sending", "failed")))
                .group_by(PrintJob.printer, PrintJob.status))}
        used: dict[str, str] = {}
        for role in printer_config.ROLES:
            try:
                used.setdefault(self.printer_for(role).name, role)
            except printer_config.PrinterConfigError:
                continue  # no printer for a platform's waybills here: none to report
        reports = []
        for name, role in used.items():
            health = self.spooler.health.get(name)
            state = {"online": "ok", "down": "down"}.get(health.status if health else "",
                                                         "unknown")
            reports.append(PrinterReport(role, name, state,
                                         jobs.get((name, "queued"), 0)
                                         + jobs.get((name, "sending"), 0),
                                         jobs.get((name, "failed"), 0)))
        return tuple(reports)

    def start(self, *, warm_up: bool = True) -> None:
        self.checkpointer.start()
        if sys.platform == "win32" and any(printer_config.prints_through_driver(spec)
                                           for spec in self.printers.values()):
            # A Windows printer's PDFs are drawn by Qt, which needs an application: the
            # command line has none (made here, on the main thread, before the queue starts).
            from app.printing.qt_printer import ensure_application

            ensure_application()
        self.spooler.start()
        if warm_up:
            self.start_warm_up()

    def start_warm_up(self) -> None:
        """Fonts, glyph bitmaps and the PDF library load on first use: on a thread now, not
        on a packer's first label. The app asks for it once its window is up (the imports
        would otherwise slow the start); a command asks at `start`."""
        threading.Thread(target=self.warm_up, name="packline-warm-up", daemon=True).start()

    def warm_up(self) -> None:
        from datetime import UTC, datetime

        from app.printing.documents import Party, Waybill
        from app.station import print_queue as printing

        sample = Waybill(carrier_code="SF", carrier_name="顺丰速运", tracking_no="SF0000000000000",
                         sender=Party("杭州仓", "0571-88886666", "浙江省", "杭州市", "余杭区",
                                      "良睦路1399号"),
                         receiver=Party("张三", "13800138000", "广东省", "深圳市", "南山区",
                                        "科技园南区8栋"),
                         order_nos=("PL0000000000000",), printed_at=datetime.now(UTC))
        try:
            printing.render_for(sample, self.printer_for("waybill"))
        except Exception:  # noqa: BLE001 - a warm-up that fails costs only the first label
            log.debug("label warm-up failed", exc_info=True)

    def stop(self) -> None:
        if self.link is not None:
            self.link.close()
        self.spooler.stop()
        self.checkpointer.stop()
        self.store.dispose()

    def connect(self, link: CentralLink | None) -> None:
        """Reach the centre through `link` from now on (None: this station works alone)."""
        if self.link is not None:
            self.link.close()
        self.link = StationLink(link) if link is not None else None

    def refill_tracking(self, actor: Any) -> int:
        """Top up every carrier's tracking numbers held by this station (when low); called in
        the background, so a packer never waits for the central database for a number."""
        from app.services.errors import ServiceError
        from app.station.models import CachedCarrier

        link = self.link
        if link is None:
            return 0
        with self.store.reader() as s:  # the station's copy, pulled; the centre's at first
            carriers = list(s.scalars(select(CachedCarrier.code).where(CachedCarrier.active)))
        if not carriers:
            carriers = link.call(lambda remote: remote.active_carriers())
        added = 0
        for carrier in carriers:
            try:
                added += tracking.refill(self.store, link, actor, self.code, carrier)
            except ServiceError as exc:  # one carrier's pool empty: the others still come
                log.warning("tracking numbers of %s not topped up: %s", carrier, exc)
        return added

    def cache_work(self) -> int:
        """Hold at the station the orders of its warehouse's waves ready to pack (picked, or
        being sorted at the put wall) that it does not hold yet. Returns orders fetched."""
        from app.station.held import cache_wave, held_waves

        link = self.link
        if link is None:
            return 0
        warehouse = self.cfg.settings.station.warehouse
        waves = link.call(lambda remote: remote.waves_ready(warehouse))
        held = held_waves(self.store)
        fetched = 0
        for wave_no in waves:
            if wave_no not in held:
                fetched += link.call(partial(cache_wave, self.store, wave_no=wave_no))
        return fetched

    def pull_changes(self) -> pull.PullReport:
        """What changed centrally since the last pull: reference data (SKUs, barcodes,
        carriers, users for offline login) and the status and intercept of the orders the
        station holds (`app.station.pull`)."""
        link = self.link
        if link is None:
            return pull.PullReport()
        warehouse = self.cfg.settings.station.warehouse
        return link.call(lambda remote: pull.pull(self.store, remote, warehouse))

    def push_outbox(self) -> outbox.PushReport:
        """Send waiting events to the central database (one pusher at a time)."""
        link = self.link
        if link is None:
            return outbox.PushReport(remaining=outbox.pending(self.store))
        from app import __version__

        with self._push_lock, self._pushing():
            report = link.call(lambda remote: outbox.push(self.store, remote, self.code))
            st = outbox.state(self.store)
            printers = self.printer_reports()
            said = (st.pending, st.refused, st.last_pushed_at, printers)
            now = time.monotonic()
            # Told when something changed, else every REPORT_EVERY_S: the overview counts a
            # station silent for longer than `stations.ONLINE_WITHIN` as offline.
            if said != self._reported or now - self._reported_at >= REPORT_EVERY_S:
                link.call(lambda remote: remote.report(
                    self.code, st.pending, st.lag_seconds(), st.refused, st.last_pushed_at,
                    __version__, printers))
                self._reported, self._reported_at = said, now
            return report

    @contextmanager
    def _pushing(self) -> Iterator[None]:
        """The station's push lock (an OS lock on a file beside its store, let go when the
        process ends however it ends): two processes pushing the same events at once would
        each have the centre apply them (it applies an event once, and the second says so
        with a fault, not an answer)."""
        import portalocker

        if not self._push_file.exists():
            private_file(self._push_file)
        with open(self._push_file, "a", encoding="utf-8") as handle:
            portalocker.lock(handle, portalocker.LockFlags.EXCLUSIVE)
            try:
                yield
            finally:
                portalocker.unlock(handle)

    def sync_round(self, actor: Any, *, housekeeping: bool = True) -> SyncRound:
        """One round of the station's sync, the same for the app (every few seconds) and
        `packline sync once`: with `housekeeping`, forget what the centre applied and the
        bench acted on two weeks ago and top up the tracking numbers; push the outbox; then,
        even when the push failed (an intercept must reach the bench even when something the
        station wrote cannot be applied yet), fetch the waves ready to pack and pull what
        changed. `online` says whether the centre answered the pull. Only `LinkDown` counts as
        offline; any other error is a fault and is raised."""
        from app.station.journal import prune_journal

        done = SyncRound()
        if housekeeping:
            done.pruned = outbox.prune(self.store) + prune_journal(self.store)
        if self.link is None:
            done.error = "no central database"
            return done
        try:
            done.pushed = self.push_outbox().pushed
        except LinkDown as exc:
            done.push_error = _first_line(exc)
            log.warning("outbox not pushed: %s", done.push_error)
        except Exception as exc:  # a fault, logged in full; the pull below still runs
            done.push_error = f"fault: {_first_line(exc)}"
            log.exception("outbox not pushed")
        try:
            if housekeeping and actor is not None:
                done.tracking_added = self.refill_tracking(actor)
            done.orders_fetched = self.cache_work()
            pulled = self.pull_changes()
            done.pulled, done.orders_updated = pulled.rows, pulled.orders_updated
            done.online = True
        except LinkDown as exc:
            done.error = _first_line(exc)
            log.info("central database not reachable: %s", done.error)
        return done

    def online(self) -> bool:
        """Whether the centre answers now (asked in the caller's thread)."""
        if self.link is None:
            return False
        try:
            self.link.call(lambda remote: remote.ping())
        except LinkDown:
            return False
        return True

