"""Foundation benchmark (`make bench`): demo seed into PostgreSQL, and the order list on
100,000 and 1,000,000 orders.

Prints figures, asserts nothing about speed (the machine is shared and noisy):
- `packline demo seed --orders 100000` wall time, run as the real command;
- the order list: time for the screen's model to show its first page, and each list query the
  screen makes (first page, sort, filter, search, a jump to the middle and near the end),
  median and p99 over repeated runs, at 100k and again after growing the table to 1M.
Growing to 1M copies the seeded orders in SQL (fresh numbers, same content): that is test
data preparation, not the product path, which the 100k seed above measures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from app.services import orders  # noqa: E402
from app.services.context import system_actor  # noqa: E402
from app.services.orders import OrderFilter  # noqa: E402
from app.store.db import Database  # noqa: E402
from tests.helpers.databases import scratch_pg_database  # noqa: E402
from tests.perf.figures import record, scaled_goal  # noqa: E402


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def seed_via_cli(url: str, count: int) -> float:
    env = dict(os.environ, PACKLINE_CENTRAL_URL=url,
               PACKLINE_HOME=tempfile.mkdtemp(prefix="packline-bench-"))
    subprocess.run([sys.executable, "-m", "app", "db", "upgrade"], env=env, check=True,
                   capture_output=True)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "app", "demo", "seed", "--orders", str(count)],
                   env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def list_queries(db: Database) -> dict[str, Callable[[], object]]:
    """The queries the order screen makes, as it makes them (count first, then pages)."""
    actor = system_actor()
    everything = OrderFilter()
    total = orders.count_orders(db, actor, everything)

    def page(f: OrderFilter, sort: str = "priority", desc: bool | None = None,
             offset: int = 0, known: int | None = None) -> Callable[[], object]:
        return lambda: orders.list_orders(db, actor, f, sort=sort, descending=desc,
                                          offset=offset, limit=200, total=known)

    def counted(f: OrderFilter, sort: str = "priority") -> Callable[[], object]:
        def run() -> object:
            n = orders.count_orders(db, actor, f)
            return orders.list_orders(db, actor, f, sort=sort, offset=0, limit=200, total=n)
        return run

    with db.reader() as s:
        probe = s.execute(sa.text(
            "SELECT channel_order_no FROM orders ORDER BY id DESC LIMIT 1")).scalar_one()
    return {
        "first page (count + page)": counted(everything),
        "sort by amount asc": page(everything, "amount", False, 0, total),
        "sort by ship-by": page(everything, "promised_ship_by", None, 0, total),
        "filter channel=jd": counted(OrderFilter(channel="jd")),
        "filter presale": counted(OrderFilter(presale=True), "paid_at"),
        "search channel order no": counted(OrderFilter(search=probe)),
        "jump to middle": page(everything, "priority", None, total // 2, total),
        "jump near the end": page(everything, "priority", None, total - 300, total),
        "last page by amount": page(everything, "amount", None, total - 200, total),
    }


def measure_queries(db: Database, reps: int) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {}
    queries = list_queries(db)
    for name, run in queries.items():
        run()  # warm the cache the way a second look at the screen would
        times = []
        for _ in range(reps):
            start = time.perf_counter()
            run()
            times.append(time.perf_counter() - start)
        results[name] = times
    return results


def measure_model_open(db: Database, reps: int) -> list[float]:
    """Seconds from the screen's model asking for the list to its first page being shown."""
    from app.ui import tasks
    from app.ui.orders_model import OrdersModel
    from app.ui.qt import QApplication

    app = QApplication.instance() or QApplication([])
    times: list[float] = []
    for _ in range(reps):
        model = OrdersModel(db, system_actor())
        got: list[float] = []
        model.loaded.connect(lambda _total, seconds, got=got: got.append(seconds))
        model.refresh()
        deadline = time.monotonic() + 30
        while not got and time.monotonic() < deadline:
            app.processEvents()
            tasks.wait_idle(5)
        times.append(got[0] if got else float("inf"))
        model.deleteLater()
    tasks.wait_idle()
    return times


def measure_plain_first_page(db: Database, reps: int) -> list[float]:
    """The limit of the first page: the same count and the same 200 rows' columns by the
    default sort, as two plain SQL statements on the driver's own cursor (no filter built, no
    rows made into objects, no codes looked up)."""
    columns = ", ".join(c.name for c in orders._ROW_COLUMNS[:-1])
    times = []
    with db.reader() as s:
        raw = s.connection().connection.driver_connection
        assert raw is not None
        for n in range(reps + 1):
            start = time.perf_counter()
            with raw.cursor() as cur:
                cur.execute("SELECT count(*) FROM orders")
                cur.fetchall()
                cur.execute(f"SELECT {columns}, receiver_oaid IS NOT NULL OR receiver_cipher IS "
                            f"NOT NULL FROM orders ORDER BY priority DESC, id DESC LIMIT 200")
                cur.fetchall()
            if n:  # the first warms the cache, as for the screen's queries
                times.append(time.perf_counter() - start)
    return times


def report(title: str, db: Database, reps: int) -> dict[str, object]:
    with db.reader() as s:
        n = s.execute(sa.text("SELECT count(*) FROM orders")).scalar_one()
    print(f"\n== order list on {n:,} orders ({title}), {reps} runs each: median / p99 ms")
    opened = measure_model_open(db, max(3, reps // 4))
    print(f"  {'screen model: refresh → first page shown':44s} "
          f"{statistics.median(opened) * 1000:8.1f} / {pct(opened, 0.99) * 1000:8.1f}")
    queries = measure_queries(db, reps)
    for name, times in queries.items():
        print(f"  {name:44s} {statistics.median(times) * 1000:8.1f} / "
              f"{pct(times, 0.99) * 1000:8.1f}")
    plain = measure_plain_first_page(db, reps)
    print(f"  {'the limit: plain SQL count + first 200 rows':44s} "
          f"{statistics.median(plain) * 1000:8.1f} / {pct(plain, 0.99) * 1000:8.1f}")
    return {"orders": n, "opened": opened, "queries": queries, "plain": plain}


def record_list(f: dict[str, object]) -> None:
    """The order list's rows of `make bench`'s table (tests/perf/figures.py)."""
    n, opened = f["orders"], [t * 1000 for t in f["opened"]]  # type: ignore[attr-defined]
    queries: dict[str, list[float]] = f["queries"]  # type: ignore[assignment]
    plain = [t * 1000 for t in f["plain"]]  # type: ignore[attr-defined]
    limit = statistics.median(plain)
    record(f"order list, {n:,} orders: screen refresh → first page", unit="ms",
           median=statistics.median(opened), p99=pct(opened, 0.99), limit=limit,
           limit_what="plain SQL",
           note=f"OrdersModel over PostgreSQL, {len(opened)} refreshes; limit: the count and "
                f"the page as two plain statements")
    first = [t * 1000 for t in queries["first page (count + page)"]]
    record(f"order list, {n:,} orders: first page (count + page)", unit="ms",
           median=statistics.median(first), p99=pct(first, 0.99), limit=limit,
           limit_what="plain SQL",
           note=f"orders.count_orders + list_orders, {len(first)} runs; limit: the count and "
                f"the page as two plain statements")
    name, times = max(((k, v) for k, v in queries.items() if k != "first page (count + page)"),
                      key=lambda kv: statistics.median(kv[1]))
    slow = [t * 1000 for t in times]
    record(f"order list, {n:,} orders: slowest of {len(queries) - 1} other queries", unit="ms",
           median=statistics.median(slow), p99=pct(slow, 0.99),
           note=f"{name}; the others: sort, filter, search, jumps")


def grow_to(url: str, target: int) -> float:
    """Copy orders (with fresh numbers) until the table holds `target` rows."""
    engine = sa.create_engine(url)
    start = time.perf_counter()
    with engine.begin() as conn:
        have = conn.execute(sa.text("SELECT count(*) FROM orders")).scalar_one()
        base = conn.execute(sa.text("SELECT max(id) FROM orders")).scalar_one()
        copy = 0
        while have < target:
            copy += 1
            take = min(target - have, base)
            conn.execute(sa.text(f"""
                INSERT INTO orders (order_no, channel, shop_id, channel_order_no, buyer,
                    receiver_name, receiver_phone, province, city, district, address,
                    region_adcode, goods_fen, discount_fen, amount_fen, paid_at, vip_level,
                    remark, promised_ship_by, priority, priority_band, status, exception,
                    intercept, warehouse_id, carrier_id, is_presale, campaign_id, line_count,
                    unit_count, created_at, updated_at, status_changed_at, version)
                SELECT 'PLX{copy:02d}' || lpad(id::text, 10, '0'), channel, shop_id,
                    channel_order_no || '-{copy}', buyer, receiver_name, receiver_phone,
                    province, city, district, address, region_adcode, goods_fen, discount_fen,
                    amount_fen, paid_at - interval '{copy} hours', vip_level, remark,
                    promised_ship_by - interval '{copy} hours', priority, priority_band,
                    status, exception, intercept, warehouse_id, carrier_id, is_presale,
                    campaign_id, line_count, unit_count, created_at, updated_at,
                    status_changed_at, version
                FROM orders WHERE id <= :base ORDER BY id LIMIT :take"""),
                {"base": base, "take": take})
            have += take
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM ANALYZE orders"))
    engine.dispose()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--grow-to", type=int, default=1_000_000)
    parser.add_argument("--reps", type=int, default=20)
    args = parser.parse_args()
    with scratch_pg_database("bench") as url:
        seconds = seed_via_cli(url, args.orders)
        print(f"demo seed --orders {args.orders:,} into PostgreSQL: {seconds:.1f} s "
              f"({args.orders / seconds:,.0f} orders/s; goal < 60 s for 100,000)")
        record(f"demo seed, {args.orders:,} orders into PostgreSQL", median=seconds, unit="s",
               goal=scaled_goal(60, args.orders, 100_000), note="packline demo seed, the real command")
        db = Database.from_url(url)
        figures = report("as seeded", db, args.reps)
        if args.grow_to > args.orders:
            grow = grow_to(url, args.grow_to)
            print(f"\n(grew the table to {args.grow_to:,} orders in {grow:.0f} s for the "
                  f"next figures)")
            figures = report("grown", db, args.reps)
        record_list(figures)
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
