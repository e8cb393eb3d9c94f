"""Engine benchmark (`make bench`): orders per second from intake to routed, and the CPU each
order costs the engine process and PostgreSQL's backends, on data shaped like 11.11.

The shape (`--shape peak`, the default): the demo's reference data, a day of shipped history
in the orders table (`--history`, as many orders as the backlog unless told), then a backlog
of N orders through the intake service (timed), with scarce 爆款 stock — the 20 SKUs most
ordered get stock for half of what the backlog asks of them, the rest enough — and real
daily capacity: the warehouses together can take 90 % of the backlog today. `--shape plenty`
is the old flattering one (every stock row +100,000 units, capacity 1,000,000).

For each database: `packline engine run --once` as the real command, with one and with two
engine processes sharing the backlog (SKIP LOCKED), each on a fresh copy of the same prepared
database. Figures per run: orders/s; CPU-µs per order of the engine processes and of the
PostgreSQL backends (read from /proc: the figure that does not depend on how busy the machine
is). The limits measured in the same run, on copies of the same database: the plain bulk
UPDATE of the routing columns of the same rows (500 per statement), and the engine's writes
as plain SQL (claim, order row, audit row, stock reservation and movement; 500 orders per
transaction). And the claim of 500 orders at backlogs of 1,000, N and 1,000,000, as the
statistics stand after the intake and after ANALYZE.

`--orders 1000000` is the first minutes of 11.11 after a bulk intake. The prepared database is
kept between runs as a template (named by size, shape and schema) unless `--fresh`.
Prints figures; asserts only that every order left `new`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from app.services import demo  # noqa: E402
from app.services.context import system_actor  # noqa: E402
from app.store import migrate  # noqa: E402
from app.store.db import Database, make_engine  # noqa: E402
from tests.helpers.cli import packline_process  # noqa: E402
from tests.helpers.databases import pg_admin_url, scratch_pg_database  # noqa: E402
from tests.perf.pg_cpu import BackendCpu, wait_cpu  # noqa: E402

NOW = datetime(2026, 11, 11, 12, 0, tzinfo=UTC)
GOAL = 5000  # orders/s intake → routed, two engines on PostgreSQL
CPU_GOAL = 200  # CPU-µs per order, engine and database together
HOT_SKUS = 20


def _record(figure: str, **kw: Any) -> None:
    try:
        from tests.perf.figures import record
    except ImportError:  # the table's recorder is optional for a run by hand
        return
    record(figure, **kw)


# ------------------------------------------------------------------ the data


def _shape(engine: sa.Engine, shape: str) -> None:
    """Stock and capacity as on the day (see the module's text), or plenty of both."""
    with engine.begin() as conn:
        if shape == "plenty":
            conn.execute(sa.text("UPDATE stock SET on_hand = on_hand + 100000"))
            conn.execute(sa.text("UPDATE warehouses SET daily_capacity = 1000000"))
            return
        demand = conn.execute(sa.text(
            "SELECT l.sku_id, sum(l.qty) FROM order_lines l JOIN orders o ON o.id = l.order_id "
            "WHERE o.status = 'new' AND l.sku_id IS NOT NULL GROUP BY l.sku_id "
            "ORDER BY 2 DESC")).all()
        backlog = conn.execute(sa.text(
            "SELECT count(*) FROM orders WHERE status = 'new'")).scalar() or 0
        hot = {sku for sku, _n in demand[:HOT_SKUS]}
        rows: dict[int, list[int]] = {}
        for sid, sku in conn.execute(sa.text("SELECT id, sku_id FROM stock ORDER BY id")):
            rows.setdefault(sku, []).append(sid)
        updates = []
        for sku, units in demand:
            ids = rows.get(sku)
            if not ids:
                continue
            want = units // 2 if sku in hot else units + units // 5 + 5
            share, extra = divmod(want, len(ids))
            updates += [{"i": sid, "n": share + (1 if k < extra else 0)}
                        for k, sid in enumerate(ids)]
        conn.execute(sa.text("UPDATE stock SET on_hand = reserved + :n WHERE id = :i"),
                     updates)
        warehouses = conn.execute(sa.text("SELECT count(*) FROM warehouses")).scalar() or 1
        conn.execute(sa.text("UPDATE warehouses SET daily_capacity = :c"),
                     {"c": max(int(backlog * 0.9 / warehouses), 1)})


def _history(engine: sa.Engine, count: int) -> None:
    """`count` orders shipped yesterday, with their lines: the day the table already holds.
    Copies of the demo's own orders (made by intake and shipped), renumbered."""
    if count <= 0:
        return
    db = Database(engine)
    demo.seed(db, system_actor(), orders=count, seed=3, now=NOW)
    with engine.begin() as conn:
        wh = conn.execute(sa.text("SELECT min(id) FROM warehouses")).scalar()
        carrier = conn.execute(sa.text("SELECT min(id) FROM carriers")).scalar()
        conn.execute(sa.text(
            "UPDATE orders SET status = 'shipped', warehouse_id = :w, carrier_id = :c, "
            "status_changed_at = :at, region_adcode = '110101' WHERE status <> 'shipped'"),
            {"w": wh, "c": carrier, "at": NOW.replace(day=10)})
        conn.execute(sa.text("UPDATE order_lines SET picked_qty = qty, packed_qty = qty"))


def prepare(url: str, count: int, shape: str = "plenty", history: int = 0) -> float:
    """Reference data, `history` shipped orders and `count` new orders through intake, then
    stock and capacity shaped; returns the intake seconds of the backlog."""
    engine = make_engine(url)
    migrate.upgrade(engine)
    db = Database(engine)
    demo.seed(db, system_actor(), orders=0, seed=1, now=NOW)
    if shape == "plenty":
        _shape(engine, shape)
    _history(engine, history)
    start = time.perf_counter()
    demo.seed(db, system_actor(), orders=count, seed=2, now=NOW)
    seconds = time.perf_counter() - start
    if shape != "plenty":
        _shape(engine, shape)
    engine.dispose()
    return seconds


def _name(url: str) -> str:
    return str(make_url(url).database)


def _admin() -> sa.Engine:
    return sa.create_engine(pg_admin_url(), isolation_level="AUTOCOMMIT")


def template(count: int, shape: str, history: int, fresh: bool) -> tuple[str, float | None]:
    """The prepared database, kept as a template between runs: (its name, intake seconds if it
    was made now)."""
    head = migrate.head_revision() or "none"
    name = f"packline_bench_tpl_{count}_{history}_{shape}_{head}".lower()[:63]
    admin = _admin()
    with admin.connect() as conn:
        exists = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"),
                              {"n": name}).scalar()
        if exists and not fresh:
            admin.dispose()
            return name, None
        if exists:
            conn.execute(sa.text(f'DROP DATABASE "{name}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(pg_admin_url()).set(database=name).render_as_string(hide_password=False)
    try:
        seconds = prepare(url, count, shape, history)
    except BaseException:
        with _admin().connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        raise
    return name, seconds


def copy_of(name: str):  # type: ignore[no-untyped-def]
    """A fresh copy of the prepared database, dropped afterwards."""
    return scratch_pg_database("bench_run", template=name)


# ------------------------------------------------------------------ the runs


def run_engines(url: str, processes: int) -> tuple[float, list[dict[str, object]]]:
    seconds, reports, _cpu = run_engines_cpu(url, processes)
    return seconds, reports


def run_engines_cpu(url: str, processes: int
                    ) -> tuple[float, list[dict[str, object]], tuple[float, float]]:
    """`packline engine run --once` × `processes` on the backlog: (seconds, their reports,
    (engine CPU seconds, database CPU seconds or 0 on SQLite))."""
    home = Path(tempfile.mkdtemp(prefix="packline-engine-"))
    pg = url.startswith("postgresql")
    watch = BackendCpu(pg_admin_url(), _name(url)) if pg else None
    if watch:
        watch.__enter__()
    try:
        start = time.perf_counter()
        procs = [packline_process(home, "engine", "run", "--once", central_url=url,
                                  as_user="lead01", warnings_are_errors=False,
                                  stderr=None) for _ in range(processes)]
        outputs = []
        for p in procs:
            assert p.stdout is not None
            with p.stdout:
                outputs.append(p.stdout.read())
        engine_cpu = wait_cpu(procs)
        seconds = time.perf_counter() - start
    finally:
        if watch:
            watch.__exit__(None, None, None)
    if any(p.returncode for p in procs):
        raise SystemExit("an engine failed")
    reports = [json.loads(out) for out in outputs]
    return seconds, reports, (engine_cpu, watch.seconds if watch else 0.0)


def pipeline(url: str, count: int, processes: int) -> tuple[float, float]:
    """Intake while engines run: (seconds until intake was done, seconds until no order was
    left in `new`)."""
    engine = make_engine(url)
    migrate.upgrade(engine)
    db = Database(engine)
    demo.seed(db, system_actor(), orders=0, seed=1, now=NOW)
    _shape(engine, "plenty")
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


def _ids(conn: sa.Connection) -> list[int]:
    return [i for (i,) in conn.execute(sa.text(
        "SELECT id FROM orders WHERE status = 'new' ORDER BY id"))]


def plain_update(url: str) -> tuple[float, int, float]:
    """The routing columns of the backlog's rows set by plain UPDATEs of 500 rows each, one
    transaction per statement: (seconds, rows, database CPU seconds)."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        ids = _ids(conn)
        wh = conn.execute(sa.text("SELECT min(id) FROM warehouses")).scalar()
    with BackendCpu(pg_admin_url(), _name(url)) as watch:
        start = time.perf_counter()
        with engine.connect() as conn:
            for i in range(0, len(ids), 500):
                chunk = ids[i:i + 500]
                with conn.begin():
                    conn.execute(sa.text(
                        "UPDATE orders SET status = 'routed', warehouse_id = :w, "
                        "carrier_id = 1, priority = 50, priority_band = 'normal', "
                        "status_changed_at = now(), updated_at = now(), version = version + 1 "
                        "WHERE id = ANY(:ids)"), {"w": wh, "ids": chunk})
        seconds = time.perf_counter() - start
    engine.dispose()
    return seconds, len(ids), watch.seconds


def plain_engine(url: str) -> tuple[float, int, float, float]:
    """The engine's writes as plain SQL, 500 orders per transaction: claim with SKIP LOCKED,
    the order rows, one audit row each, the stock reserved and its movements, set-based. No
    rules, no planning: the floor the engine approaches. (seconds, orders, client CPU s,
    database CPU s)."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        wh = conn.execute(sa.text("SELECT min(id) FROM warehouses")).scalar()
    cpu0 = time.process_time()
    done = 0
    with BackendCpu(pg_admin_url(), _name(url)) as watch:
        start = time.perf_counter()
        with engine.connect() as conn:
            while True:
                with conn.begin():
                    ids = [i for (i,) in conn.execute(sa.text(
                        "SELECT id FROM orders WHERE status = 'new' ORDER BY id LIMIT 500 "
                        "FOR UPDATE SKIP LOCKED"))]
                    if not ids:
                        break
                    conn.execute(sa.text(
                        "UPDATE orders SET status = 'routed', warehouse_id = :w, "
                        "carrier_id = 1, priority = 50, priority_band = 'normal', "
                        "status_changed_at = now(), updated_at = now(), version = version + 1 "
                        "WHERE id = ANY(:ids)"), {"w": wh, "ids": ids})
                    conn.execute(sa.text(
                        "INSERT INTO audit_log (at, actor, station, action, entity, entity_id, "
                        "before, after) SELECT now(), 'engine', '', 'order.status', 'order', "
                        "o.order_no, 'new', 'routed' FROM orders o WHERE o.id = ANY(:ids)"), {"ids": ids})
                    conn.execute(sa.text(
                        "WITH want AS (SELECT s.id, sum(l.qty) AS n FROM order_lines l "
                        "JOIN stock s ON s.sku_id = l.sku_id AND s.warehouse_id = :w "
                        "WHERE l.order_id = ANY(:ids) GROUP BY s.id) "
                        # The row is written as the engine writes it; the units are not
                        # added, so scarce stock cannot refuse the floor's writes.
                        "UPDATE stock SET reserved = stock.reserved + 0 * want.n "
                        "FROM want WHERE stock.id = want.id"), {"w": wh, "ids": ids})
                    conn.execute(sa.text(
                        "INSERT INTO stock_movements (at, sku_id, bin_id, delta_on_hand, "
                        "delta_reserved, reason, order_id, note) SELECT now(), l.sku_id, "
                        "b.bin_id, 0, l.qty, 'reserve', l.order_id, '' FROM order_lines l "
                        "JOIN LATERAL (SELECT bin_id FROM stock s WHERE s.sku_id = l.sku_id "
                        "LIMIT 1) b ON true WHERE l.order_id = ANY(:ids)"), {"ids": ids})
                done += len(ids)
        seconds = time.perf_counter() - start
    engine.dispose()
    return seconds, done, time.process_time() - cpu0, watch.seconds


def claim_times(url: str, reps: int = 5) -> tuple[list[float], list[float]]:
    """The engine's own claim of 500 orders on the fresh backlog, as the statistics stand and
    after ANALYZE: milliseconds per claim (each rolled back)."""
    from app.services.engine import _claim

    engine = make_engine(url)
    db = Database(engine)

    def times() -> list[float]:
        out = []
        for _ in range(reps):
            with db.unit_of_work() as s:
                start = time.perf_counter()
                ids = _claim(s, 500)
                out.append((time.perf_counter() - start) * 1000)
                assert ids
                s.rollback()
        return out

    stale = times()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("ANALYZE"))
    fresh = times()
    engine.dispose()
    return stale, fresh


def claim_at_sizes(name: str, reps: int = 5) -> dict[int, tuple[float, float]]:
    """The claim of 500 at backlogs of 1,000, of the prepared size and of 1,000,000 orders in
    the same table, each on its own copy of the prepared database (history left as it is; the
    small backlog by shipping the rest, the large one by copies of the backlog's orders made
    in SQL): ms median as the statistics stand after that, and after ANALYZE."""
    out: dict[int, tuple[float, float]] = {}

    def measure(url: str) -> None:
        with sa.create_engine(url).connect() as conn:
            backlog = conn.execute(sa.text(
                "SELECT count(*) FROM orders WHERE status = 'new'")).scalar() or 0
        stale, fresh = claim_times(url, reps)
        out[backlog] = (statistics.median(stale), statistics.median(fresh))

    with copy_of(name) as url:
        measure(url)
    with copy_of(name) as url:
        engine = sa.create_engine(url)
        with engine.begin() as conn:  # all but the first 1,000 of the backlog shipped
            conn.execute(sa.text(
                "UPDATE orders SET status = 'shipped' WHERE status = 'new' AND id > "
                "(SELECT id FROM orders WHERE status = 'new' ORDER BY id OFFSET 999 LIMIT 1)"))
        engine.dispose()
        measure(url)
    if max(out) < 1_000_000:
        with copy_of(name) as url:
            engine = sa.create_engine(url)
            with engine.connect() as conn:
                backlog = conn.execute(sa.text(
                    "SELECT count(*) FROM orders WHERE status = 'new'")).scalar() or 1
                listed = ", ".join(c for (c,) in conn.execute(sa.text(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_name = 'orders' AND column_name NOT IN "
                    "('id', 'order_no', 'channel_order_no', 'change_seq') "
                    "ORDER BY ordinal_position")))
            with engine.begin() as conn:
                for copy in range(1, -(-1_000_000 // backlog)):
                    conn.execute(sa.text(
                        f"INSERT INTO orders (order_no, channel_order_no, {listed}) "
                        f"SELECT order_no || '-C{copy}', channel_order_no || '-C{copy}', "
                        f"{listed} FROM orders WHERE status = 'new' AND order_no NOT LIKE "
                        f"'%-C%' ORDER BY id LIMIT {1_000_000 - backlog * copy}"))
            engine.dispose()
            measure(url)
    return out


# ------------------------------------------------------------------ printing


def line(name: str, count: int, intake: float, seconds: float,
         reports: list[dict[str, object]], cpu: tuple[float, float] | None = None) -> float:
    routed = sum(int(r["routed"]) for r in reports)  # type: ignore[call-overload]
    claimed = sum(int(r["claimed"]) for r in reports)  # type: ignore[call-overload]
    waiting = {}
    for r in reports:
        for k, v in dict(r.get("exceptions") or {}).items():  # type: ignore[call-overload]
            waiting[k] = waiting.get(k, 0) + int(v)
    rate = count / seconds
    cost = ""
    if cpu is not None:
        cost = (f" · CPU-µs/order engine {cpu[0] / count * 1e6:4.0f} + database "
                f"{cpu[1] / count * 1e6:4.0f} = {(cpu[0] + cpu[1]) / count * 1e6:4.0f}")
    print(f"  {name:28s} {count:,} orders in {seconds:6.1f} s = {rate:7,.0f}/s "
          f"({routed:,} routed, {claimed:,} claimed, replanned "
          f"{sum(int(r.get('replanned', 0)) for r in reports)}){cost}")  # type: ignore[call-overload]
    if waiting:
        print(f"  {'':28s} exceptions {dict(sorted(waiting.items()))}")
    if intake:
        print(f"  {'':28s} intake {count / intake:7,.0f}/s · intake→routed "
              f"{count / (intake + seconds):7,.0f}/s")
    return rate


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def bench_pg(count: int, shape: str, history: int, fresh: bool, engines: list[int]) -> None:
    started = time.perf_counter()
    name, intake = template(count, shape, history, fresh)
    print(f"  prepared database {name} "
          f"({'made now in %.0f s' % (time.perf_counter() - started) if intake else 'kept'})")
    size = f"{count:,}"
    claims = claim_at_sizes(name)
    for backlog, (stale_ms, fresh_ms) in sorted(claims.items()):
        print(f"  claim of 500 at a backlog of {backlog:>9,}: {stale_ms:6.1f} ms as the "
              f"statistics stand after the intake, {fresh_ms:6.1f} ms after ANALYZE")
        _record(f"engine claim of 500, backlog {backlog:,} (statistics as left by intake)",
                median=stale_ms, unit="ms", limit=claims[min(claims)][0],
                limit_what="the same claim at a backlog of 1,000")
    with copy_of(name) as url:
        seconds, rows, db_cpu = plain_update(url)
        update_rate = rows / seconds
        print(f"  {'plain bulk UPDATE':28s} {rows:,} rows in {seconds:6.1f} s = "
              f"{update_rate:7,.0f}/s · database CPU-µs/row {db_cpu / rows * 1e6:4.0f}")
    with copy_of(name) as url:
        seconds, done, client, db_cpu = plain_engine(url)
        floor_rate = done / seconds
        print(f"  {'engine writes as plain SQL':28s} {done:,} orders in {seconds:6.1f} s = "
              f"{floor_rate:7,.0f}/s · CPU-µs/order client {client / done * 1e6:4.0f} + "
              f"database {db_cpu / done * 1e6:4.0f}")
    for processes in engines:
        with copy_of(name) as url:
            seconds, reports, cpu = run_engines_cpu(url, processes)
            label = f"PostgreSQL, {processes} engine{'s' if processes > 1 else ''}"
            rate = line(label, count, intake or 0.0, seconds, reports, cpu)
            print(f"  {'':28s} {rate / update_rate:.2f} of the plain UPDATE, "
                  f"{rate / floor_rate:.2f} of the plain-SQL floor")
            assert left_new(url) == 0
            _record(f"engine orders/s, PostgreSQL, {processes} engine(s), backlog {size}",
                    median=rate, limit=floor_rate, unit="orders/s",
                    limit_what="the engine's writes as plain SQL",
                    goal=GOAL if processes == 2 else None)
            _record(f"engine CPU-µs/order, PostgreSQL, {processes} engine(s), backlog {size}",
                    median=(cpu[0] + cpu[1]) / count * 1e6, unit="µs", better="lower",
                    goal=f"≤ {CPU_GOAL} µs" if processes == 2 else None,
                    target=CPU_GOAL if processes == 2 else None,
                    note=f"engine {cpu[0] / count * 1e6:.0f} + database "
                         f"{cpu[1] / count * 1e6:.0f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--history", type=int, default=None,
                        help="shipped orders already in the table (default: as many as --orders)")
    parser.add_argument("--shape", choices=("peak", "plenty"), default="peak")
    parser.add_argument("--engines", default="1,2")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-pg", action="store_true")
    parser.add_argument("--pipeline", action="store_true",
                        help="also intake while two engines run")
    parser.add_argument("--fresh", action="store_true", help="prepare the database again")
    args = parser.parse_args()
    n = args.orders
    history = n if args.history is None else args.history
    engines = [int(x) for x in args.engines.split(",") if x]
    print(f"== engine: {n:,} simulated orders ({args.shape} shape, {history:,} shipped "
          f"before), intake → routed (goal ≥ {GOAL:,}/s with two engines on PostgreSQL, "
          f"≤ {CPU_GOAL} CPU-µs per order)")
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{tmp}/central.db"
            intake = prepare(url, n, args.shape, min(history, n))
            seconds, reports, cpu = run_engines_cpu(url, 1)
            rate = line("SQLite, 1 engine", n, intake, seconds, reports, cpu)
            assert left_new(url) == 0
            _record(f"engine orders/s, SQLite, backlog {n:,}", median=rate, unit="orders/s")
            _record(f"engine CPU-µs/order, SQLite, backlog {n:,}",
                    median=cpu[0] / n * 1e6, unit="µs")
    if not args.skip_pg:
        bench_pg(n, args.shape, history, args.fresh, engines)
    if args.pipeline:
        with scratch_pg_database("bench_pipeline") as url:
            intake_done, seconds = pipeline(url, n, 2)
            print(f"  {'PostgreSQL, intake + 2 engines':28s} intake done in {intake_done:6.1f} "
                  f"s, all {n:,} out of new in {seconds:6.1f} s = {n / seconds:7,.0f}/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
