"""What runs on a station besides its screens: the station store, the printers and their
spooler, and the outbox pusher. The desktop app and `packline print …` both start it here."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app import printers as printer_config
from app.config import Config
from app.printers import PrinterSpec
from app.secure_files import private_dir
from app.station import outbox, pull
from app.station.spooler import Spooler
from app.station.store import Checkpointer, open_store
from app.store.db import Database

log = logging.getLogger("packline.station")
REPORT_EVERY_S = 15.0


class StationRuntime:
    def __init__(self, cfg: Config, central: Database | None = None, *,
                 on_print_change: Callable[[str], None] | None = None,
                 failover_after: float = 3.0) -> None:
        from app.station import print_queue as printing

        self.cfg = cfg
        self.central = central
        self.code = cfg.settings.get("station.code")
        self.store = open_store(cfg.paths.station_db, checkpoint_in_background=True)
        self.checkpointer = Checkpointer(self.store)
        self.printers: dict[str, PrinterSpec] = printer_config.load_printers(cfg.settings)
        printer_config.check_roles(cfg.settings, self.printers)
        self.folder: Path = printer_config.prints_folder(cfg.paths.home)
        if not self.folder.is_dir():
            private_dir(self.folder)  # labels carry receivers' names and addresses
        self.spooler = Spooler(self.store, self.printers, self.folder,
                               rerender=printing.rerender, on_change=on_print_change,
                               failover_after=failover_after)
        self._push_lock = threading.Lock()
        self._reported: tuple[Any, ...] | None = None  # what the centre was last told
        self._reported_at = 0.0

    def printer_for(self, role: str) -> PrinterSpec:
        return printer_config.printer_for(self.cfg.settings, self.printers, role)

    def start(self) -> None:
        self.checkpointer.start()
        self.spooler.start()
        # Fonts and glyph bitmaps load on first use: do it now, not on a packer's first label.
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
        self.spooler.stop()
        self.checkpointer.stop()
        self.store.dispose()

    def refill_tracking(self, actor: Any) -> int:
        """Top up every carrier's tracking numbers held by this station (when low); called in
        the background, so a packer never waits for the central database for a number."""
        from app.station import tracking
        from app.store.models import Carrier

        if self.central is None:
            return 0
        with self.central.reader() as s:
            carriers = list(s.scalars(select(Carrier.code).where(Carrier.active)))
        return sum(tracking.refill(self.store, self.central, actor, self.code, c)
                   for c in carriers)

    def cache_work(self) -> int:
        """Hold at the station the orders of its warehouse's waves ready to pack (picked, or
        being sorted at the put wall) that it does not hold yet. Returns orders fetched."""
        from app.station.models import CachedOrder
        from app.station.packing import cache_wave
        from app.store.models import Warehouse, Wave

        if self.central is None:
            return 0
        warehouse = self.cfg.settings.get("station.warehouse")
        with self.central.reader() as s:
            query = select(Wave.wave_no).where(Wave.status.in_(["picked", "done", "picking"]))
            if warehouse:
                query = query.join(Warehouse, Warehouse.id == Wave.warehouse_id).where(
                    Warehouse.code == warehouse.upper())
            waves = list(s.scalars(query.order_by(Wave.id.desc()).limit(50)))
        with self.store.reader() as s:
            held = set(s.scalars(select(CachedOrder.wave_no).distinct()))
        return sum(cache_wave(self.store, self.central, w) for w in waves if w not in held)

    def pull_changes(self) -> pull.PullReport:
        """What changed centrally since the last pull: reference data (SKUs, barcodes,
        carriers, users for offline login) and the status and intercept of the orders the
        station holds; one query per table (`app.station.pull`)."""
        if self.central is None:
            return pull.PullReport()
        return pull.pull(self.store, self.central, self.cfg.settings.get("station.warehouse"))

    def push_outbox(self) -> outbox.PushReport:
        """Send waiting events to the central database (one pusher at a time)."""
        if self.central is None:
            return outbox.PushReport(remaining=outbox.pending(self.store))
        from app import __version__
        from app.services import stations

        with self._push_lock:
            report = outbox.push(self.store, self.central, self.code)
            st = outbox.state(self.store)
            said = (st.pending, st.refused, st.last_pushed_at)
            now = time.monotonic()
            # Told when something changed, else every REPORT_EVERY_S: the overview counts a
            # station silent for longer than `stations.ONLINE_WITHIN` as offline.
            if said != self._reported or now - self._reported_at >= REPORT_EVERY_S:
                stations.report(self.central, self.code, st.pending, st.lag_seconds(),
                                st.refused, st.last_pushed_at, __version__)
                self._reported, self._reported_at = said, now
            return report
