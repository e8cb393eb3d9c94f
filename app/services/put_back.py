"""Put-backs (放回): an order that leaves its wave while the wave is being picked — cancelled or
refunded (a channel's intercept), or packed at a station before it was picked — leaves the
pick tasks, and what was already picked for it gets a put-back task: the picker takes the
units back to their bin and scans the bin to finish it.

A wave nobody is left in ends cancelled; a wave whose last open task went with the order is
picked, so its other orders reach packing.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.domain.notes import Note
from app.domain.roles import Permission
from app.services import audit, changes, stock
from app.services.access import guarded
from app.services.changes import Change
from app.services.context import Actor
from app.services.errors import NotFound, ScanRefused
from app.services.wave_common import finish_if_done, leave_wave
from app.store.db import Database
from app.store.models import Bin, Order, PickTask, PutbackTask, Wave


def leave_wave_on_intercept(s: Session, actor: Actor, order: Order, reason: str) -> bool:
    """Self-healing waves: an order cancelled or refunded while its wave is in progress
    leaves it (put-back tasks for what was picked). True when it was in a wave."""
    return _leave_from_outside(s, actor, order, None, reason)


def leave_wave_as_exception(s: Session, actor: Actor, order: Order, category: str,
                            detail: str, note: Note | None = None) -> bool:
    """An order whose wave is still being picked goes to the exception queue with `category`
    (a packing station packed it before it was picked): it leaves the wave the way a short
    pick does, so nobody picks it again. True when it left a wave."""
    return _leave_from_outside(s, actor, order, category, detail, note)


def _leave_from_outside(s: Session, actor: Actor, order: Order, category: str | None,
                        reason: str, note: Note | None = None) -> bool:
    if order.wave_id is None:
        return False
    wave = s.get(Wave, order.wave_id, with_for_update=True)
    if wave is None or wave.status in ("cancelled", "done"):
        return False
    now = datetime.now(UTC)
    leave_wave(s, actor, wave, order, category, reason, now, note)
    audit.record(s, actor, "wave.order_left", "wave", wave.wave_no, None, None,
                 {"order": order.order_no, "reason": reason,
                  **({"category": category} if category else {})})
    _settle_after_leaving(s, actor, wave, now)
    return True


def _settle_after_leaving(s: Session, actor: Actor, wave: Wave, now: datetime) -> None:
    """An order left a wave from outside the picker's path (an intercept, a station's
    overtaken packing): a wave with nobody left in it ends cancelled, and a wave being picked
    whose last open task went with the order is picked, so its other orders reach packing
    instead of waiting on a wave nobody can finish."""
    s.flush()
    if not wave.order_count and wave.status in ("released", "picking"):
        before = wave.status
        s.execute(update(PickTask).where(PickTask.wave_id == wave.id,
                                         PickTask.status.in_(["open", "skipped"]))
                  .values(status="skipped"))
        wave.status, wave.cancelled_at = "cancelled", now
        audit.record(s, actor, "wave.cancelled", "wave", wave.wave_no, before, "cancelled",
                     {"reason": "every order left the wave", "orders": 0})
    elif wave.status == "picking":
        finish_if_done(s, actor, wave, now)
    changes.note(s, Change.WAVES, Change.PICKING)


@guarded(Permission.PICK)
def finish_putback(db: Database, actor: Actor, putback_id: int, scanned_bin: str) -> None:
    """The picked units are back in their bin (scan the bin to confirm)."""
    from drivers.barcode import parse_scan

    now = datetime.now(UTC)
    with db.unit_of_work() as s:
        changes.note(s, Change.PICKING, Change.STOCK)
        # A station's role cannot lock the task (it may not update it): the stock function
        # takes the lock and settles a race instead.
        task = s.get(PutbackTask, putback_id, with_for_update=not stock.by_function(s))
        if task is None:
            raise NotFound(f"no put-back task {putback_id}", code="putback.not_found",
                           task=putback_id)
        if task.status != "open":
            raise ScanRefused("this put-back is done already", "done", code="putback.done")
        bin_code = s.scalar(select(Bin.code).where(Bin.id == task.bin_id)) or ""
        if parse_scan(scanned_bin).value != bin_code.upper():
            raise ScanRefused(f"put it back in {bin_code}", "wrong_bin", code="putback.wrong_bin",
                              bin=bin_code)
        if not stock.put_back(s, actor, task, now):
            raise ScanRefused("this put-back is done already", "done", code="putback.done")
        changes.note(s, Change.PICKING, Change.STOCK)
