"""Changes made by other processes reach the screens too: another station, a `packline engine
run` on the server, a script. A thread polls the central database every few seconds with one
cheap query — a fingerprint per kind of thing the screens show — and announces the kinds whose
fingerprint moved (`app.services.changes.announce`), exactly as a service in this process
announces its own commits.

The fingerprints read indexes or small tables only:
- orders and users: their `change_seq` (the trigger of `app.store.changes` stamps every insert
  and update). SQLite has one writer and numbers rows in commit order: the largest stamp moves
  with every commit. On PostgreSQL the stamp is the writing transaction's id, and a
  transaction numbered early may commit late, under the largest stamp: there each poll takes
  the floor (the oldest transaction still running) and the sum of the stamps at or above it,
  and the next poll sums the same window again. A commit since — late or not — lands in the
  window (new ids are above the floor) and changes its sum; with nothing committed the window
  holds the same rows with the same stamps, whatever transactions are still open.
- the exception queue: how many entries, how many open, the sum of the open ones' levels;
- waves: how many, and a weighted count of their statuses (a wave only moves forward, so any
  move changes it); picking: units picked and tasks settled in the waves being picked;
- presale campaigns and pools, review rules, handovers: their small tables' totals.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, case, func, literal_column, select
from sqlalchemy.sql.elements import ColumnElement

from app.services import changes
from app.services.changes import Change
from app.store.db import Database
from app.store.models import (
    Handover,
    Order,
    OrderException,
    PickTask,
    PresaleCampaign,
    PresalePool,
    ReviewRule,
    User,
    Wave,
)

log = logging.getLogger("packline.watch")

EVERY_S = 3.0
LIVE_WAVES = ("released", "picking")
# Forward only: released → picking → picked → packing → done, or released → cancelled.
WAVE_WEIGHT = {"released": 1, "picking": 2, "picked": 3, "packing": 4, "done": 5,
               "cancelled": 6}
TASK_WEIGHT = {"open": 0, "skipped": 1, "short": 2, "done": 3}


@dataclass(frozen=True, slots=True)
class _Probe:
    kind: Change
    name: str
    expr: Any  # a scalar subquery
    table: Any = None  # a change_seq table: on PostgreSQL summed over the window instead


_FLOOR = "txid_snapshot_xmin(txid_current_snapshot())"
_NO_FLOOR = 2**62  # the first poll has no window to sum again


def _scalar(stmt: Select[Any]) -> ColumnElement[Any]:
    return stmt.scalar_subquery()


def _probes() -> list[_Probe]:
    e, w, t = OrderException.__table__.c, Wave.__table__.c, PickTask.__table__.c
    open_exc = e.resolved_at.is_(None)
    live = select(w.id).where(w.status.in_(LIVE_WAVES))
    return [
        _Probe(Change.ORDERS, "orders",
               _scalar(select(func.coalesce(func.max(Order.change_seq), 0))), table=Order),
        _Probe(Change.USERS, "users",
               _scalar(select(func.coalesce(func.max(User.change_seq), 0))), table=User),
        _Probe(Change.EXCEPTIONS, "exceptions", _scalar(select(func.count()).select_from(
            OrderException.__table__))),
        _Probe(Change.EXCEPTIONS, "open_exceptions", _scalar(
            select(func.count()).select_from(OrderException.__table__).where(open_exc))),
        _Probe(Change.EXCEPTIONS, "open_levels", _scalar(
            select(func.coalesce(func.sum(e.level), 0)).where(open_exc))),
        _Probe(Change.WAVES, "waves", _scalar(select(func.count()).select_from(
            Wave.__table__))),
        _Probe(Change.WAVES, "wave_statuses", _scalar(select(func.coalesce(func.sum(
            case(WAVE_WEIGHT, value=w.status, else_=0)), 0)))),
        _Probe(Change.PICKING, "picked_units", _scalar(select(
            func.coalesce(func.sum(t.picked_qty), 0)).where(t.wave_id.in_(live)))),
        _Probe(Change.PICKING, "settled_tasks", _scalar(select(func.coalesce(func.sum(
            case(TASK_WEIGHT, value=t.status, else_=0)), 0)).where(t.wave_id.in_(live)))),
        _Probe(Change.CAMPAIGNS, "campaigns", _scalar(select(
            func.count(PresaleCampaign.id) * 1_000_000 + func.count(PresaleCampaign.warned_at)))),
        _Probe(Change.CAMPAIGNS, "pools", _scalar(select(
            func.coalesce(func.sum(PresalePool.reserved), 0)
            + func.coalesce(func.sum(PresalePool.capacity), 0) * 1_000_000))),
        _Probe(Change.RULES, "rules", _scalar(select(func.max(ReviewRule.updated_at)))),
        _Probe(Change.HANDOVER, "handovers", _scalar(select(
            func.count(Handover.id) * 1_000_000 + func.coalesce(func.sum(Handover.parcel_count), 0)
            + func.count(Handover.closed_at) * 1_000)))
    ]


class Watcher:
    """Polls `db` every `every_s` seconds on a thread of its own; `poll()` is one look."""

    def __init__(self, db: Database, every_s: float = EVERY_S,
                 announce: Callable[[Iterable[Change]], None] = changes.announce) -> None:
        self.db = db
        self.every_s = every_s
        self.announce = announce
        self.polls = 0
        self._probes = _probes()
        self._last: dict[str, Any] | None = None
        self._floor: int | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._offline = False

    def poll(self) -> frozenset[Change]:
        """Read every fingerprint in one query; the kinds that moved since the last poll
        (none on the first, which only takes the starting point)."""
        pg = self.db.dialect == "postgresql"
        columns = []
        for p in self._probes:
            if pg and p.table is not None:
                seq = p.table.change_seq
                total = func.coalesce(func.sum(seq), 0)
                old = self._floor if self._floor is not None else _NO_FLOOR
                columns.append(_scalar(select(total).where(seq >= old)).label(p.name))
                columns.append(_scalar(select(total).where(seq >= literal_column(_FLOOR)))
                               .label(f"{p.name}_next"))
            else:
                columns.append(p.expr.label(p.name))
        if pg:
            columns.append(literal_column(_FLOOR).label("floor"))
        # Where the order list and the dashboard read (the read replica when the site has
        # one): a change is announced once the screens that read there can see it, and a
        # screen that reloaded too early for a change of this process's own (the replica a
        # moment behind) is told again when it shows there.
        with self.db.replica_reader() as s:
            row = s.execute(select(*columns)).one()._mapping
        self.polls += 1
        now = {p.name: row[p.name] for p in self._probes}
        moved: set[Change] = set()
        if self._last is not None:
            moved = {p.kind for p in self._probes if now[p.name] != self._last[p.name]}
        if pg:
            # What the next poll compares its sum of the same window with.
            now.update({p.name: row[f"{p.name}_next"] for p in self._probes
                        if p.table is not None})
            self._floor = int(row["floor"])
        self._last = now
        return frozenset(moved)

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="packline-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        while True:
            try:
                moved = self.poll()
                if self._offline:
                    log.info("central database answers again: watching for changes")
                self._offline = False
            except Exception as exc:  # noqa: BLE001 - offline: the next poll tries again
                if not self._offline:
                    log.info("cannot watch the central database: %s",
                             str(exc).splitlines()[0] if str(exc) else exc)
                self._offline = True
                moved = frozenset()
            if moved:
                log.debug("changed elsewhere: %s", sorted(moved))
                self.announce(moved)
            if self._stop.wait(self.every_s):
                return
