"""The engine's work with the platforms, once per pass: the waybills packing stations asked
for (a packer waits on each), then waybills fetched ahead for platform orders about to be
packed, intercepted parcels' waybills given back, and shipment
confirmations sent. Each step that fails is logged and tried again at the next pass; none
holds a database transaction across the network."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from app.services import shipments, waybill_issue
from app.services.context import Actor
from app.store.db import Database

log = logging.getLogger("packline.engine")


def run_once(db: Database, actor: Actor, *,
             confirm_per_second: float = shipments.DEFAULT_PER_SECOND) -> dict[str, Any]:
    """One pass of each step; what each did (or the error it met), for the log."""
    def requested() -> int:
        return waybill_issue.serve_requests(db, actor).issued

    def prefetched() -> int:
        return waybill_issue.prefetch(db, actor).issued

    def cancelled() -> int:
        return waybill_issue.cancel_due(db, actor).done

    def confirmed() -> int:
        return shipments.send_due(db, actor, per_second=confirm_per_second).sent

    steps: tuple[tuple[str, Callable[[], int]], ...] = (
        ("requested", requested), ("prefetched", prefetched), ("cancelled", cancelled), ("confirmed", confirmed))
    done: dict[str, Any] = {}
    for name, step in steps:
        try:
            done[name] = step()
        except Exception as exc:  # noqa: BLE001 - the next pass tries again
            log.exception("platform step %s failed", name)
            done[name] = f"failed: {type(exc).__name__}"
    return done


def busy(done: dict[str, Any]) -> bool:
    """Whether a pass did something (another may follow at once)."""
    return any(isinstance(v, int) and v > 0 for v in done.values())
