"""Engine benchmark (`make bench`): orders per second from intake to routed, on SQLite and on
PostgreSQL, for 100,000 simulated orders.

For each database: a fresh database, the demo reference data, N orders through the intake
service (timed), then `packline engine run --once` as the real command (timed) — once with
one engine, and on PostgreSQL again on fresh copies with two and three engine processes
sharing the backlog (SKIP LOCKED). Last, the pipeline as it runs on the day: two `packline engine run`
processes already running while the N orders arrive through intake, timed from the first
order in to the last one out of `new`. Prints figures; asserts only that every order left
`new`.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from app.services import demo  # noqa: E402
from app.services.context import system_actor  # noqa: E402
from app.store import migrate  # noqa: E402
from app.store.db import Database, make_engine  # noqa: E402
from tests.helpers.cli import packline_process  # noqa: E402
from tests.helpers.databases import scratch_pg_database  # noqa: E402

NOW = datetime(2026, 11, 11, 12, 0, tzinfo=UTC)
GOAL = 3000


def prepare(url: str, count: int) -> float:
    """Reference data and `count` orders through intake; returns the intake seconds."""
    engine = make_engine(url)
    migrate.upgrade(engine)
    db = Database(engine)
    demo.seed(db, system_actor(), orders=0, seed=1, now=NOW)
    # Plenty of stock, so the figure is about routing orders, not raising out-of-stock.
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE stock SET on_hand = on_hand + 100000"))
        conn.execute(sa.text("UPDATE warehouses SET daily_capacity = 1000000"))
    start = time.perf_counter()
    demo.seed(db, system_actor(), orders=count, seed=2, now=NOW)
    seconds = time.perf_counter() - start
    engine.dispose()
    return seconds


def run_engines(url: str, processes: int) -> tuple[float, list[dict[str, object]]]:
    home = Path(tempfile.mkdtemp(prefix="packline-engine-"))
    start = time.perf_counter()
    procs = [packline_process(home, "engine", "run", "--once", central_url=url,
                              as_user="lead01", warnings_are_errors=False, stderr=None)
             for _ in range(processes)]
    reports = [json.loads(p.communicate()[0]) for p in procs]
    seconds = time.perf_counter() - start
    if any(p.returncode for p in procs):
        raise SystemExit("an engine failed")
    return seconds, reports


def pipeline(url: str, count: int, processes: int) -> tuple[float, float]:
    """Intake while engines run: (seconds until intake was done, seconds until no order was
    left in `new`)."""
    engine = make_engine(url)
    migrate.upgrade(engine)
    db = Database(engine)
    demo.seed(db, system_actor(), orders=0, seed=1, now=NOW)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE stock SET on_hand = on_hand + 100000"))
        conn.execute(sa.text("UPDATE warehouses SET daily_capacity = 1000000"))
    home = Path(tempfile.mkdtemp(prefix="packline-engine-"))
    procs = [packline_process(home, "engine", "run", "--interval", "0.1", central_url=url,
                              as_user="lead01", warnings_are_errors=False, stdout=None,
                              stderr=subprocess.DEVNULL)
             for _ in range(processes)]
    try:
        start = time.perf_counter()
        demo.seed(db, system_actor(), orders=count, seed=2, now=NOW)
        intake_done = time.perf_counter() - start
        while left_new(url):
            time.sleep(0.05)
        return intake_done, time.perf_counter() - start
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(60)
        engine.dispose()


def left_new(url: str) -> int:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        n = conn.execute(sa.text("SELECT count(*) FROM orders WHERE status = 'new'")).scalar()
    engine.dispose()
    return int(n or 0)


def line(name: str, count: int, intake: float, seconds: float,
         reports: list[dict[str, object]]) -> None:
    routed = sum(int(r["routed"]) for r in reports)  # type: ignore[call-overload]
    claimed = sum(int(r["claimed"]) for r in reports)  # type: ignore[call-overload]
    print(f"  {name:34s} intake {count / intake:7,.0f} orders/s · engine {claimed:,} orders "
          f"in {seconds:6.1f} s = {claimed / seconds:7,.0f} orders/s ({routed:,} routed) · "
          f"intake→routed {count / (intake + seconds):7,.0f} orders/s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    n = args.orders
    print(f"== engine: {n:,} simulated orders, intake → routed (goal ≥ {GOAL:,}/s on "
          f"PostgreSQL)")
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{tmp}/central.db"
            intake = prepare(url, n)
            seconds, reports = run_engines(url, 1)
            line("SQLite, 1 engine", n, intake, seconds, reports)
            assert left_new(url) == 0
    for processes in (1, 2, 3):
        with scratch_pg_database("bench_engine") as url:
            intake = prepare(url, n)
            seconds, reports = run_engines(url, processes)
            line(f"PostgreSQL, {processes} engine(s)", n, intake, seconds, reports)
            assert left_new(url) == 0
    with scratch_pg_database("bench_pipeline") as url:
        intake_done, seconds = pipeline(url, n, 2)
        print(f"  {'PostgreSQL, intake + 2 engines':34s} intake done in {intake_done:6.1f} s, "
              f"all {n:,} out of new in {seconds:6.1f} s = {n / seconds:7,.0f} orders/s "
              f"intake→routed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
