"""Wave benchmark on the real services (`make bench`): 100,000 orders taken in and routed by the
engine into a fresh PostgreSQL database, then `waves.plan` — the database reads, wave formation
and pick paths, as the Waves screen and `packline waves plan` run it — for every warehouse and
strategy (goal: all 100,000 routed orders planned in ≤ 3 s), and last `waves.release` of every
`per_order` wave into PostgreSQL (time printed; each wave is one transaction with its row locks,
status moves and audit rows).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from app.domain import waves as rules  # noqa: E402
from app.domain.waves import Strategy  # noqa: E402
from app.services import waves  # noqa: E402
from app.services.context import system_actor  # noqa: E402
from app.store.db import Database, make_engine  # noqa: E402
from app.store.models import Order, Warehouse  # noqa: E402
from tests.helpers.databases import scratch_pg_database  # noqa: E402
from tests.perf.bench_engine import NOW, prepare, run_engines  # noqa: E402
from tests.perf.figures import record  # noqa: E402

GOAL_S = 3.0


def warehouses(db: Database) -> list[str]:
    with db.reader() as s:
        return list(s.scalars(select(Warehouse.code).order_by(Warehouse.code)))


def routed(db: Database) -> int:
    with db.reader() as s:
        return s.scalar(select(func.count()).select_from(Order)
                        .where(Order.status == "routed")) or 0


def plan_all(db: Database, strategy: str) -> tuple[float, int, int]:
    """Seconds to plan every warehouse, orders planned, waves."""
    start = time.perf_counter()
    orders = count = 0
    for wh in warehouses(db):
        plan = waves.plan(db, system_actor(), wh, strategy, now=NOW)
        orders += sum(len(w.order_ids) for w in plan.waves)
        count += len(plan.waves)
    return time.perf_counter() - start, orders, count


def pure_all(db: Database, strategy: str, reps: int) -> float:
    """The limit of `plan_all`: the same plan with the routed orders' facts and the bins
    already in memory (read once, beforehand, by the service's own reads): median seconds of
    `reps` plans of every warehouse, the database's part left out."""
    loaded = []
    for wh in warehouses(db):
        with db.reader() as s:
            wh_id = waves._warehouse(s, wh).id
            loaded.append((waves._facts(s, wh_id), waves._spots(s, wh_id)))
    runs = []
    for _ in range(reps):
        start = time.perf_counter()
        for facts, spots in loaded:
            with waves._no_gc():
                rules.plan_waves(facts, Strategy(strategy), waves._limits(100, 20, None, None,
                                                                          False),
                                 now=NOW, spots=spots)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def release_all(db: Database, strategy: str) -> tuple[float, int, int]:
    start = time.perf_counter()
    released = []
    for wh in warehouses(db):
        released += waves.release(db, system_actor(), wh, strategy, now=NOW)
    return time.perf_counter() - start, sum(r.orders for r in released), len(released)


def measure(url: str, reps: int = 3) -> dict[str, object]:
    db = Database(make_engine(url))
    result: dict[str, object] = {"routed": routed(db), "plans": {}, "pure": {}}
    for strategy in Strategy:
        runs = [plan_all(db, strategy.value) for _ in range(reps)]
        result["plans"][strategy.value] = (  # type: ignore[index]
            statistics.median(r[0] for r in runs), runs[0][1], runs[0][2])
        result["pure"][strategy.value] = pure_all(db, strategy.value, reps)  # type: ignore[index]
    result["release"] = release_all(db, Strategy.PER_ORDER.value)
    db.dispose()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=100_000)
    args = parser.parse_args()
    with scratch_pg_database("bench_waves") as url:
        prepare(url, args.orders)
        run_engines(url, 2)
        figures = measure(url)
    print(f"== waves on PostgreSQL: {figures['routed']:,} routed orders "
          f"(goal: plan ≤ {GOAL_S:.0f} s)")
    pure: dict[str, float] = figures["pure"]  # type: ignore[assignment]
    for strategy, (seconds, orders, count) in figures["plans"].items():  # type: ignore[attr-defined]
        print(f"  plan {strategy:12s} {seconds:6.2f} s  {orders:7,} orders in {count:5,} waves"
              f"  (the plan alone, facts in memory: {pure[strategy]:5.2f} s)")
    slowest = max(figures["plans"].items(), key=lambda kv: kv[1][0])  # type: ignore[attr-defined]
    strategy, (seconds, orders, count) = slowest
    record(f"wave plan, {figures['routed']:,} routed orders (PostgreSQL): slowest strategy",
           median=seconds, goal=GOAL_S, unit="s", limit=pure[strategy],
           limit_what="plan alone, facts in memory",
           note=f"{strategy}: {orders:,} orders in {count:,} waves, waves.plan for every "
                f"warehouse, median of 3")
    seconds, orders, count = figures["release"]  # type: ignore[misc]
    print(f"  release per_order {seconds:6.1f} s  {orders:,} orders in {count:,} waves  "
          f"({orders / seconds:,.0f} orders/s, {count / seconds:,.1f} waves/s)")
    record("wave release, per_order (PostgreSQL)", median=orders / seconds, unit="orders/s",
           note=f"{orders:,} orders in {count:,} waves in {seconds:.1f} s, each wave one "
                f"transaction")
    return 0


if __name__ == "__main__":
    sys.exit(main())
