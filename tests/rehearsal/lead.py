"""The shift lead and the dock of the rehearsal, as one process, through the services their
screens call: waves released warehouse by warehouse by strategy (`app.services.waves`, as
`packline waves release` does) whenever the pickers of a warehouse are running out of
released waves; the packed parcels of each carrier handed over at the dock
(`app.services.handover`: open, scan each parcel, close: the orders ship); and the dashboard's
queries (`app.services.dashboard.snapshot`) polled as the wall display does.

    python -m tests.rehearsal.lead --warehouses HZ:2,GZ:1,BJ:1 [--dock-every S]
        [--dashboard-every S]

Logs in with PACKLINE_USER / PACKLINE_PASSWORD. Standard input: {"do": "stop"} ends it
({"do": "dock"} hands over everything packed now, {"do": "quiet"} stops releasing waves).
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

# Strategies in turn, as a lead works through the day's backlog (multi-item waves go to the
# put wall, which the rehearsal's floor does not have).
STRATEGIES: tuple[tuple[str, dict[str, Any]], ...] = (
    ("per_order", {"max_orders": 8, "max_cells": 8}),
    ("hot_sku", {"max_orders": 10, "max_cells": 10, "hot_threshold": 5}),
    ("single_unit", {"max_orders": 10, "max_cells": 10}),
    ("by_carrier", {"max_orders": 8, "max_cells": 8, "carrier": "ZTO"}),
    ("urgent", {"max_orders": 8, "max_cells": 8, "urgent_hours": 48}),
)
WAVES_AHEAD = 2  # released waves waiting per picker


def _kind(exc: BaseException) -> str:
    from sqlalchemy.exc import DBAPIError

    from app.services.errors import ServiceError

    if isinstance(exc, ServiceError):
        return exc.code or type(exc).__name__
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        return type(exc.orig).__name__
    return type(exc).__name__


class Lead:
    def __init__(self, db: Any, actor: Any, pickers: dict[str, int], metrics: Any) -> None:
        self.db, self.actor, self.pickers, self.metrics = db, actor, pickers, metrics
        self.turn = {wh: 0 for wh in pickers}
        self.releasing = True

    def call(self, name: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """A service call, timed; a failure counted by kind and None returned."""
        try:
            with self.metrics.timed(f"svc.{name}"):
                return fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - counted; the loop carries on
            self.metrics.error(f"lead.{name}.{_kind(exc)}")
            return None

    def release(self) -> None:
        from app.services import waves

        for wh, pickers in self.pickers.items():
            found = self.call("waves.list", waves.list_waves, self.db, self.actor,
                              warehouse=wh, status=["released"])
            if found is None or len(found) >= WAVES_AHEAD * pickers:
                continue
            for _ in range(len(STRATEGIES)):
                strategy, options = STRATEGIES[self.turn[wh] % len(STRATEGIES)]
                self.turn[wh] += 1
                done = self.call("waves.release", waves.release, self.db, self.actor, wh,
                                 strategy, max_waves=1, **options)
                if done:
                    self.metrics.count("waves_released", len(done))
                    self.metrics.count(f"waves.{strategy}", len(done))
                    break

    def dock(self) -> None:
        from app.services import handover

        waiting = self.call("handover.waiting", handover.waiting_by_carrier, self.db,
                            self.actor) or []
        for wh, carrier, _n in waiting:
            parcels = self.call("handover.parcels", handover.waiting_parcels, self.db,
                                self.actor, wh, carrier) or ()
            if not parcels:
                continue
            ho = self.call("handover.open", handover.open_handover, self.db, self.actor, wh,
                           carrier)
            if ho is None:
                continue
            for tracking_no, _order_no in parcels:
                self.call("handover.scan", handover.scan_parcel, self.db, self.actor,
                          ho.handover_no, tracking_no)
            for _ in range(3):  # a parcel intercepted since its scan is taken off: again
                if self.call("handover.close", handover.close, self.db, self.actor,
                             ho.handover_no) is not None:
                    self.metrics.count("handovers_closed")
                    break

    def dashboard(self) -> None:
        from app.services import dashboard

        self.call("dashboard.snapshot", dashboard.snapshot, self.db, self.actor)


def main(argv: list[str] | None = None) -> int:
    from app.config import load_config
    from app.logs import setup_logging
    from app.services import auth
    from app.store.db import Database
    from tests.rehearsal.metrics import Emitter, listen

    parser = argparse.ArgumentParser(prog="python -m tests.rehearsal.lead")
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--warehouses", default="HZ:2,GZ:1,BJ:1",
                        help="WAREHOUSE:PICKERS,…")
    parser.add_argument("--dock-every", type=float, default=15.0)
    parser.add_argument("--dashboard-every", type=float, default=15.0)
    args = parser.parse_args(argv)
    cfg = load_config(args.home)
    setup_logging(cfg)
    metrics = Emitter("lead").start()
    # Through PgBouncer and reading from the replica when the rehearsal says so
    # (PACKLINE_CENTRAL_POOLED, PACKLINE_CENTRAL_READ_URL), as a site's station does.
    db = Database.from_url(cfg.central_url, **cfg.database_options)
    actor = auth.login_password(db, os.environ["PACKLINE_USER"],
                                os.environ["PACKLINE_PASSWORD"], cfg.settings.station.code)
    pickers = {wh: int(n) for wh, n in (item.split(":") for item in args.warehouses.split(","))}
    lead = Lead(db, actor, pickers, metrics)
    stopping = threading.Event()
    dock_now = threading.Event()

    def quiet() -> None:
        lead.releasing = False

    listen(stopping, quiet=quiet, dock=dock_now.set)
    last_dock = last_board = time.monotonic()
    while not stopping.is_set():
        if lead.releasing:
            lead.release()
        now = time.monotonic()
        if dock_now.is_set() or now - last_dock >= args.dock_every:
            dock_now.clear()
            lead.dock()
            metrics.count("dock_rounds")
            last_dock = now
        if now - last_board >= args.dashboard_every:
            lead.dashboard()
            last_board = now
        stopping.wait(2.0)
    lead.dock()
    metrics.stop()
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
