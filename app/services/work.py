"""The floor's work as the dashboard counts it: every pick, pack and handover confirmation is
added, in the same transaction as the work itself, to its person's five-minute slot at the
event's own time (`app.store.models.WorkSlot`). The forecast's rates are read from here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from app.domain.forecast import slot_of
from app.store import bulk
from app.store.models import WorkSlot

KINDS = ("pick", "pack", "ship")


@dataclass(frozen=True, slots=True)
class Done:
    """One confirmation: who, what kind of work, when it happened, how much."""

    kind: str
    user_id: int | None
    at: datetime
    orders: int = 0
    units: int = 0
    seconds: float = 0.0


def count(s: Session, work: Iterable[Done]) -> None:
    """Adds the confirmations to their slots (work without a person is not anyone's rate)."""
    sums: dict[tuple[str, datetime, int], list[float]] = {}
    for w in work:
        if w.kind not in KINDS:
            raise ValueError(f"unknown kind of work {w.kind!r}")
        if w.user_id is None:
            continue
        row = sums.setdefault((w.kind, slot_of(w.at), w.user_id), [0, 0, 0.0, 0])
        row[0] += max(w.orders, 0)
        row[1] += max(w.units, 0)
        row[2] += max(w.seconds, 0.0)
        row[3] += 1
    bulk.add_up(s, WorkSlot.__table__, ("kind", "slot_at", "user_id"), [
        {"kind": kind, "slot_at": at, "user_id": user, "orders": int(n[0]), "units": int(n[1]),
         "seconds": round(n[2], 1), "events": int(n[3])}
        for (kind, at, user), n in sums.items()])
