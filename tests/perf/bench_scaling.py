"""Past one database server (docs/scaling.md, README "How a site grows"): the figures of each
step, measured on real parts in one run.

1. PgBouncer. Station-like clients — each with a connection of its own, as a station's app
   holds one, asking the centre for an order's state and pulling the orders that changed,
   with a short pause between rounds — first straight to PostgreSQL, then through a real
   PgBouncer in transaction pooling (`[central] pooled`): the server connections PostgreSQL
   holds (the most seen, sampled every 50 ms) and a round's time, median and p99. The limit
   is the direct figure at the same number of clients; through the pooler the clients grow
   past what a server should hold.
2. A streaming read replica (`pg_basebackup -R`, `[central] read_url`): the dashboard and the
   first page of the order list read on the primary and on the replica, median and p99, at
   rest and while the primary takes simulated orders (`packline simulate`) and an engine
   routes them (`packline engine run`); the replica's lag meanwhile (seconds and bytes, every
   100 ms: median, p99, worst).

Partitioning by warehouse, the step after, is not measured here: Packline's tables are not
partitioned yet (docs/scaling.md says how it would be done).

    python tests/perf/bench_scaling.py [--orders 20000] [--clients 200] [--direct 30]
        [--pool 10] [--seconds 15] [--rate 300] [--workers 4]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from app.services import auth, dashboard, demo, engine, orders  # noqa: E402
from app.services.central_link import DatabaseLink  # noqa: E402
from app.services.context import system_actor  # noqa: E402
from app.store import migrate  # noqa: E402
from app.store.db import Database, make_engine  # noqa: E402
from app.store.models import Order  # noqa: E402
from tests.helpers.cli import packline_process  # noqa: E402
from tests.helpers.databases import pg_admin_url, scratch_pg_database  # noqa: E402
from tests.helpers.pgbouncer import running_pgbouncer, version  # noqa: E402
from tests.helpers.replica import running_replica, wait_caught_up  # noqa: E402
from tests.perf.figures import record  # noqa: E402

THINK_S = 0.05  # a station's pause between two rounds with the centre


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def spread(values: list[float]) -> tuple[float, float]:
    return (statistics.median(values) if values else float("nan"), percentile(values, 0.99))


def server_connections(database: str) -> int:
    admin = sa.create_engine(pg_admin_url(), poolclass=sa.pool.NullPool)
    try:
        with admin.connect() as conn:
            return int(conn.execute(sa.text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = :d "
                "AND backend_type = 'client backend'"), {"d": database}).scalar_one())
    finally:
        admin.dispose()


@contextmanager
def sampled(every: float, sample: Callable[[], Any]) -> Iterator[list[Any]]:
    """`sample()` every `every` seconds on a thread of its own while the block runs."""
    seen: list[Any] = []
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(every):
            seen.append(sample())

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield seen
    finally:
        stop.set()
        thread.join(30)


def seeded(url: str, count: int) -> list[str]:
    """A migrated central database with `count` demo orders, routed: their order numbers."""
    db = Database.from_url(url)
    try:
        migrate.upgrade(db.bind)  # type: ignore[arg-type]
        demo.seed(db, system_actor(), orders=count, seed=17)
        while engine.run_once(db, system_actor(), batch=2000).claimed:
            pass
        with db.reader() as s:
            return list(s.scalars(sa.select(Order.order_no)))
    finally:
        db.dispose()


def _stations(url: str, pooled: bool, clients: int, seconds: float, numbers: list[str],
              seed: int, start_at: float) -> tuple[list[float], list[str]]:
    """In one worker process: `clients` stations on threads, each with its own connection,
    from the wall-clock moment `start_at` for `seconds`."""
    dbs = [Database(make_engine(url, pooled=pooled, connect_timeout=30, pool_size=1,
                                max_overflow=0)) for _ in range(clients)]
    times: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()

    def station(db: Database, n: int) -> None:
        link = DatabaseLink(db)
        chance = random.Random(seed * 10_000 + n)
        try:
            link.ping()  # the connection a station holds, opened before the clock starts
            time.sleep(max(start_at - time.time(), 0.0))
            cursor = link.floor("orders")
            deadline = time.monotonic() + seconds
            mine: list[float] = []
            while time.monotonic() < deadline:
                began = time.perf_counter()
                link.order_state(chance.choice(numbers))
                page = link.changes("orders", cursor, "HZ", None, 200)
                cursor = page.floor
                mine.append(time.perf_counter() - began)
                time.sleep(THINK_S)
            with lock:
                times.extend(mine)
        except Exception as exc:  # noqa: BLE001 - counted and shown, the round goes on
            with lock:
                failures.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}")

    threads = [threading.Thread(target=station, args=(db, n), daemon=True)
               for n, db in enumerate(dbs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 300)
    for db in dbs:
        db.dispose()
    return times, failures


def station_rounds(url: str, clients: int, seconds: float, pooled: bool,
                   numbers: list[str], workers: int) -> dict[str, Any]:
    """`clients` stations for `seconds`, each on one connection of its own, spread over
    `workers` processes (a station is a process of its own; one Python process's lock would
    otherwise be what is measured): a round is the state of an order it holds and a pull of
    the orders that changed in its warehouse."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    database = make_url(url).database or ""
    workers = max(1, min(workers, clients))
    shares = [clients // workers + (1 if n < clients % workers else 0) for n in range(workers)]
    start_at = time.time() + 5 + clients / 50  # every connection opened by then
    times: list[float] = []
    failures: list[str] = []
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [pool.submit(_stations, url, pooled, share, seconds, numbers, n, start_at)
                   for n, share in enumerate(shares)]
        time.sleep(max(start_at - time.time(), 0.0))
        with sampled(0.05, lambda: server_connections(database)) as held:
            for future in futures:
                got, failed = future.result()
                times += got
                failures += failed
    p50, p99 = spread(times)
    return {"clients": clients, "pooled": pooled, "held": max(held or [0]),
            "rounds": len(times), "per_s": len(times) / seconds, "p50_ms": p50 * 1000,
            "p99_ms": p99 * 1000, "failures": failures}


def timed(reps: int, work: Callable[[], Any]) -> list[float]:
    out = []
    for _ in range(reps):
        began = time.perf_counter()
        work()
        out.append(time.perf_counter() - began)
    return out


def reads(primary: Database, replicated: Database, reps: int) -> dict[str, list[float]]:
    """The dashboard and the order list's first page (200 rows, by priority, with its
    count), read on the primary and on the replica, alternately."""
    lead = auth.login_password(primary, "lead01", "lead123", "ST-BENCH")
    every = orders.OrderFilter()
    out: dict[str, list[float]] = {}
    for where in ("primary", "replica"):
        out[f"dashboard {where}"] = []
        out[f"order list {where}"] = []
    for _ in range(reps):
        for where, db in (("primary", primary), ("replica", replicated)):
            out[f"dashboard {where}"] += timed(1, lambda db=db: dashboard.snapshot(db, lead))
            out[f"order list {where}"] += timed(1, lambda db=db: (
                orders.count_orders(db, lead, every),
                orders.list_orders(db, lead, every, limit=200)))
    return out


@contextmanager
def write_load(url: str, seconds: float, rate: int, folder: Path) -> Iterator[None]:
    """The primary taking simulated orders at `rate` a second and an engine routing them:
    the block starts once the first simulated orders are in (a busy machine starts the
    processes slowly), and both are stopped when it ends."""
    db = Database.from_url(url)
    with db.reader() as s:
        last_id = s.scalar(sa.select(sa.func.max(Order.id))) or 0
    procs = [
        packline_process(folder / "engine", "engine", "run", "--interval", "1",
                         central_url=url, as_user="admin", warnings_are_errors=False),
        packline_process(folder / "simulate", "simulate", "--rate", str(rate), "--duration",
                         str(int(seconds) + 300), "--no-events", central_url=url,
                         as_user="lead01", warnings_are_errors=False),
    ]
    try:
        deadline = time.monotonic() + 120
        while True:
            with db.reader() as s:
                if (s.scalar(sa.select(sa.func.max(Order.id))) or 0) > last_id:
                    break
            ended = [p for p in procs if p.poll() is not None]
            if ended or time.monotonic() > deadline:
                said = ended[0].communicate()[1][-1500:] if ended else "no order in 120 s"
                raise RuntimeError(f"the write load did not start: {said}")
            time.sleep(0.2)
        yield
    finally:
        db.dispose()
        for p in procs:
            if p.poll() is None:
                p.terminate()
        for p in procs:
            try:
                p.communicate(timeout=60)
            except Exception:  # noqa: BLE001 - one that will not stop is killed
                p.kill()
                p.communicate()


def run(count: int, clients: int, direct: int, pool: int, seconds: float, rate: int,
        folder: Path, workers: int = 4) -> dict[str, Any]:
    figures: dict[str, Any] = {"pgbouncer": ".".join(map(str, version()))}
    with scratch_pg_database("scale") as url:
        started = time.perf_counter()
        numbers = seeded(url, count)
        figures["seed_s"] = time.perf_counter() - started
        # 1. PgBouncer
        rounds = [station_rounds(url, direct, seconds, False, numbers, workers)]
        with running_pgbouncer(url, pool_size=pool) as bouncer:
            for n in sorted({direct, clients}):
                rounds.append(station_rounds(bouncer.url, n, seconds, True, numbers, workers))
        figures["rounds"] = rounds
        # 2. The read replica
        with running_replica(pg_admin_url()) as standby:
            replica_url = make_url(standby.url).set(database=make_url(url).database) \
                .render_as_string(hide_password=False)
            wait_caught_up(url, replica_url)
            primary = Database.from_url(url)
            replicated = Database.from_url(url, read_url=replica_url)
            try:
                figures["at rest"] = reads(primary, replicated, 10)
                loaded: dict[str, list[float]] = {}
                with write_load(url, seconds, rate, folder), \
                        sampled(0.1, replicated.replica_lag) as lags:
                    with primary.reader() as s:
                        last_id = s.scalar(sa.select(sa.func.max(Order.id))) or 0
                    load_began = began = time.monotonic()
                    while time.monotonic() - began < seconds:
                        for key, values in reads(primary, replicated, 1).items():
                            loaded.setdefault(key, []).extend(values)
                    took = time.monotonic() - load_began
                    with primary.reader() as s:
                        taken, moved = s.execute(
                            sa.select(sa.func.count(),
                                      sa.func.count().filter(Order.status != "new"))
                            .where(Order.id > last_id)).one()
                figures["under load"] = loaded
                figures["lag"] = [lag for lag in lags if lag is not None]
                figures["intake_per_s"] = taken / took
                figures["routed_during"] = moved
            finally:
                primary.dispose()
                replicated.dispose()
    return figures


def report(f: dict[str, Any], args: argparse.Namespace) -> None:
    print(f"== How a site grows: {args.orders:,} demo orders (seeded and routed in "
          f"{f['seed_s']:.0f} s), PgBouncer {f['pgbouncer']}, PostgreSQL replica by "
          "pg_basebackup, on this machine")
    print()
    print("1. station rounds (an order's state + a pull of changed orders), "
          f"{THINK_S * 1000:.0f} ms apart, {args.seconds:g} s")
    print(f"  {'path':<22} {'clients':>7} {'server conns':>12} {'round p50':>10} "
          f"{'p99':>8} {'rounds/s':>9}  failures")
    direct = f["rounds"][0]
    for r in f["rounds"]:
        path = f"PgBouncer (pool {args.pool})" if r["pooled"] else "direct"
        print(f"  {path:<22} {r['clients']:>7} {r['held']:>12} {r['p50_ms']:>8.1f}ms "
              f"{r['p99_ms']:>6.1f}ms {r['per_s']:>9,.0f}  {len(r['failures'])}"
              + (f" ({r['failures'][0]})" if r["failures"] else ""))
    same = next((r for r in f["rounds"] if r["pooled"] and r["clients"] == direct["clients"]),
                None)
    if same:
        print(f"  at {direct['clients']} clients: server connections "
              f"{same['held']} / {direct['held']} (ratio {same['held'] / direct['held']:.2f}), "
              f"round p50 ratio {same['p50_ms'] / direct['p50_ms']:.2f}, "
              f"p99 ratio {same['p99_ms'] / direct['p99_ms']:.2f}")
    print()
    print("2. reads on the primary and on the replica (ms, median (p99); ratio replica / "
          "primary)")
    for phase in ("at rest", "under load"):
        got = f[phase]
        label = phase if phase == "at rest" else (
            f"under load ({args.rate} orders/s simulated + an engine)")
        print(f"  {label}")
        for what in ("dashboard", "order list"):
            p = spread(got[f"{what} primary"])
            r = spread(got[f"{what} replica"])
            print(f"    {what:<11} primary {p[0] * 1000:7.1f} ({p[1] * 1000:7.1f})   "
                  f"replica {r[0] * 1000:7.1f} ({r[1] * 1000:7.1f})   ratio {r[0] / p[0]:.2f}")
    lags = f["lag"]
    seconds = [lag.seconds for lag in lags if lag.seconds is not None]
    sizes = [float(lag.bytes) for lag in lags if lag.bytes is not None]
    if seconds:
        s50, s99 = spread(seconds)
        b50, b99 = spread(sizes)
        print(f"  replica lag under load ({len(lags)} samples): {s50:.3f} s ({s99:.3f} s), "
              f"worst {max(seconds):.3f} s; {b50 / 1024:,.0f} KB ({b99 / 1024:,.0f} KB) of "
              f"WAL, worst {max(sizes) / 1024:,.0f} KB")
    print(f"  the load: {f['intake_per_s']:,.0f} orders/s taken in (of {args.rate} asked), "
          f"{f['routed_during']:,} of them moved on by the engine meanwhile")
    record_figures(f, args)


def record_figures(f: dict[str, Any], args: argparse.Namespace) -> None:
    """The figures of `make bench`'s table (tests/perf/figures.py): a station's round direct
    and through PgBouncer (the direct round at the same clients is the limit), the reads on
    the replica (the same read on the primary is the limit), the replica's lag."""
    direct = f["rounds"][0]
    record(f"station round direct to PostgreSQL, {direct['clients']} clients",
           median=direct["p50_ms"], p99=direct["p99_ms"], unit="ms",
           note=f"{direct['held']} server connections held; "
                f"{len(direct['failures'])} failed rounds")
    for r in f["rounds"][1:]:
        record(f"station round through PgBouncer (pool {args.pool}), {r['clients']} clients",
               median=r["p50_ms"], p99=r["p99_ms"], unit="ms", limit=direct["p50_ms"],
               limit_what=f"direct, {direct['clients']} clients",
               note=f"{r['held']} server connections held (direct: {direct['held']} for "
                    f"{direct['clients']} clients); {len(r['failures'])} failed rounds")
    load = f"under load ({args.rate} orders/s + an engine)"
    for phase, label in (("at rest", "at rest"), ("under load", load)):
        for what in ("dashboard", "order list"):
            p = spread(f[phase][f"{what} primary"])
            r = spread(f[phase][f"{what} replica"])
            record(f"{what} on the read replica, {label}", median=r[0] * 1000,
                   p99=r[1] * 1000, unit="ms", limit=p[0] * 1000,
                   limit_what="the same read on the primary",
                   note=f"primary {p[0] * 1000:.1f} ms ({p[1] * 1000:.1f} ms); "
                        f"{args.orders:,} demo orders")
    seconds = [lag.seconds for lag in f["lag"] if lag.seconds is not None]
    sizes = [float(lag.bytes) for lag in f["lag"] if lag.bytes is not None]
    if seconds:
        s50, s99 = spread(seconds)
        b50, b99 = spread(sizes) if sizes else (0.0, 0.0)
        record(f"replica lag {load}", median=s50, p99=s99, unit="s",
               note=f"{len(seconds)} samples every 100 ms, worst {max(seconds):.3f} s; WAL "
                    f"behind {b50 / 1024:,.0f} KB ({b99 / 1024:,.0f} KB)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--direct", type=int, default=30,
                        help="clients straight to PostgreSQL (a shared test server's "
                             "max_connections bounds it)")
    parser.add_argument("--pool", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--rate", type=int, default=300)
    parser.add_argument("--workers", type=int, default=4,
                        help="processes the station clients are spread over")
    args = parser.parse_args()
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        figures = run(args.orders, args.clients, args.direct, args.pool, args.seconds,
                      args.rate, Path(tmp), args.workers)
    report(figures, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
