"""Traffic simulator: a channel adapter that sends realistic orders at a chosen rate, and the
status events that follow them (balance paid for presale orders waiting for it, a few refund
requests and cancellations) — the same doors real channels use, for load tests and training.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import and_, or_, select

from app.domain.roles import Permission
from app.domain.status import OrderStatus
from app.services import channel_events, demo, intake
from app.services.access import guarded
from app.services.balance_due import balance_unpaid
from app.services.context import Actor
from app.services.errors import InvalidInput, ServiceError
from app.store.db import Database
from app.store.models import Order

TICK = 0.5  # seconds between sends: smooth enough to look like a stream
PREPACKED = tuple(st.value for st in (
    OrderStatus.ROUTED, OrderStatus.IN_WAVE, OrderStatus.PICKING, OrderStatus.PICKED,
    OrderStatus.PACKING, OrderStatus.PACKED))


@dataclass(slots=True)
class SimulationReport:
    orders_created: int = 0
    duplicates: int = 0
    events: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def as_json(self) -> dict[str, object]:
        rate = self.orders_created / self.seconds if self.seconds else 0.0
        return {"orders_created": self.orders_created, "duplicates": self.duplicates,
                "events": dict(sorted(self.events.items())), "seconds": round(self.seconds, 2),
                "orders_per_second": round(rate, 1)}


def _events(db: Database, actor: Actor, rng: random.Random, report: SimulationReport,
            tick: int) -> None:
    """Pay some waiting balances; refund or cancel a few fresh orders."""
    with db.reader() as s:
        # Waiting for the balance: in a pool campaign before routing, in a real-stock one
        # routed, picked or packed already (预打包).
        waiting = list(s.execute(
            select(Order.channel, Order.channel_order_no)
            .where(or_(Order.status == OrderStatus.AWAITING_BALANCE.value,
                       and_(Order.status.in_(PREPACKED), Order.intercept.is_(None),
                            balance_unpaid(Order.__table__.c)))).limit(20)))
        recent = list(s.execute(
            select(Order.channel, Order.channel_order_no)
            .where(Order.status.in_([OrderStatus.NEW.value, OrderStatus.ROUTED.value]),
                   Order.intercept.is_(None), Order.parent_id.is_(None))
            .order_by(Order.id.desc()).limit(50)))
    todo = [(c, n, "balance_paid") for c, n in waiting if rng.random() < 0.5]
    todo += [(c, n, rng.choice(("refund_requested", "cancelled"))) for c, n in recent
             if rng.random() < 0.02]
    for channel, number, kind in todo:
        try:
            result = channel_events.apply_event(db, actor, channel, number, kind,
                                                f"sim-{tick}-{kind}")
        except ServiceError:
            continue
        if result.applied:
            report.events[kind] += 1


@guarded(Permission.IMPORT_ORDERS)
def run(db: Database, actor: Actor, *, rate: float, duration: float, seed: int = 1,
        events: bool = True, encrypted: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep) -> SimulationReport:
    """Send `rate` orders a second for `duration` seconds (needs the demo reference data);
    `encrypted` (0–1) of them with receivers the platform keeps encrypted (OAID or
    ciphertexts, masked name, phone and street)."""
    if rate <= 0 or duration <= 0:
        raise InvalidInput("--rate and --duration must be above 0",
                           code="simulate.bad_rate")
    if not 0 <= encrypted <= 1:
        raise InvalidInput("--encrypted must be a share from 0 to 1",
                           code="simulate.bad_share")
    factory, prices = demo.order_factory(db, seed, datetime.now(UTC), encrypted)
    if not prices:
        raise InvalidInput("no SKUs: run `packline demo seed` first", code="simulate.no_skus")
    rng = random.Random(seed)
    report = SimulationReport()
    start = clock()
    sent, tick = 0, 0
    while (elapsed := clock() - start) < duration:
        due = min(int(rate * (elapsed + TICK)), int(rate * duration)) - sent
        if due > 0:
            result = intake.ingest(db, actor, (factory.draft(prices) for _ in range(due)))
            report.orders_created += len(result.created)
            report.duplicates += len(result.duplicates)
            sent += due
        if events:
            _events(db, actor, rng, report, tick)
        tick += 1
        rest = TICK - ((clock() - start) - elapsed)
        if rest > 0:
            sleep(rest)
    report.seconds = clock() - start
    return report
