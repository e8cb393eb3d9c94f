"""Sync benchmark on PostgreSQL (`make bench`): a station's outbox holding 10,000 confirmed orders
pushed to the central database through `outbox.push` — the path the station's background pusher
runs: batches read from the station store, applied centrally exactly once with their checks
(packages, tracking numbers, status moves, audit rows), marked pushed (goal < 5 s) — and 100,000
changed rows of reference data pulled by change sequence into the station store through
`pull.pull` (goal < 10 s), first as a new station's full copy, then as the catch-up of a station
that was away while every one of those rows changed.

Set-up, not measured: orders are taken in and routed by the real engine, then marked picked with
one UPDATE (picking 10,000 orders scan by scan is the waves benchmark's business, not this one's),
and the events are written with the payload the packing bench writes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from app.services import tracking  # noqa: E402
from app.services.central_link import DatabaseLink  # noqa: E402
from app.services.context import system_actor  # noqa: E402
from app.station import outbox, pull  # noqa: E402
from app.station.store import open_store  # noqa: E402
from app.store.db import Database, make_engine  # noqa: E402
from app.store.models import AppliedEvent, Carrier, Order, OrderLine  # noqa: E402
from app.sync.contract import PackConfirmed, PackedBox  # noqa: E402
from tests.helpers.databases import scratch_pg_database  # noqa: E402
from tests.perf.bench_engine import prepare, run_engines  # noqa: E402
from tests.perf.figures import record, scaled_goal  # noqa: E402

GOAL_PUSH_S = 5.0
GOAL_PULL_S = 10.0
STATION = "ST-HZ-PACK-01"


def picked_orders(url: str, count: int) -> Database:
    """`count` orders routed by the engine and marked picked, with tracking numbers enough."""
    prepare(url, count)
    run_engines(url, 2)
    db = Database(make_engine(url))
    with db.unit_of_work() as s:
        s.execute(sa.text("UPDATE orders SET status = 'picked' WHERE status = 'routed'"))
        for carrier_id, prefix in s.execute(select(Carrier.id, Carrier.code)).all():
            s.execute(sa.text(
                "INSERT INTO tracking_numbers (carrier_id, number, status) "
                "SELECT :c, :p || lpad(n::text, 12, '0'), 'free' "
                "FROM generate_series(1, :k) AS n"), {"c": carrier_id, "p": f"BENCH{prefix}",
                                                      "k": count})
    return db


def confirmed_events(db: Database, store: Database, limit: int) -> int:
    """One pack.confirmed event per picked order, as the packing bench writes it, each box
    with a tracking number handed to the station in advance."""
    with db.reader() as s:
        orders = s.execute(select(Order.id, Order.order_no, Carrier.code)
                           .join(Carrier, Carrier.id == Order.carrier_id)
                           .where(Order.status == "picked").order_by(Order.id)
                           .limit(limit)).all()
        lines: dict[int, list[tuple[int, int]]] = {}
        for order_id, line_no, qty in s.execute(
                select(OrderLine.order_id, OrderLine.line_no, OrderLine.qty)
                .where(OrderLine.order_id.in_([o.id for o in orders]))):
            lines.setdefault(order_id, []).append((line_no, qty))
    needed: dict[str, int] = {}
    for o in orders:
        needed[o.code] = needed.get(o.code, 0) + 1
    numbers = {code: tracking.allocate_block(db, system_actor(STATION), STATION, code, n)
               for code, n in needed.items()}
    now = datetime.now(UTC)
    for start in range(0, len(orders), 1000):
        with store.unit_of_work() as s:
            for o in orders[start:start + 1000]:
                items = lines[o.id]
                outbox.append(s, PackConfirmed(
                    "packer01", o.order_no, str(uuid.uuid4()),
                    (PackedBox(1, numbers[o.code].pop(), 480, 470, dict(items)),),
                    sum(q for _n, q in items), {}, now, 14.2))
    return len(orders)


def reference_rows(db: Database, skus: int) -> None:
    """`skus` more SKUs, each with a barcode: 2 × `skus` rows for a station to copy."""
    with db.unit_of_work() as s:
        s.execute(sa.text(
            "INSERT INTO skus (code, name, spec, category, weight_g, length_mm, width_mm, "
            "height_mm, price_fen, bulky, active) "
            "SELECT 'BENCH-' || n, '测试商品 ' || n, '500g', 'bench', 100 + n % 900, 0, 0, 0, "
            "990, false, true FROM generate_series(1, :k) AS n"), {"k": skus})
        s.execute(sa.text(
            "INSERT INTO sku_barcodes (sku_id, barcode, kind, units) "
            "SELECT id, '29' || lpad(id::text, 11, '0'), 'internal', 1 FROM skus "
            "WHERE code LIKE 'BENCH-%'"))


def plain_copy(db: Database, folder: Path) -> tuple[int, float]:
    """The limit of a pull: the SKUs and their barcodes (most of what a pull copies) read
    whole with plain SQL and written into a new SQLite file with plain INSERTs, one transaction:
    (rows, seconds)."""
    import sqlite3

    plain = (int, float, str, bytes, type(None))
    target = sqlite3.connect(folder / "plain-copy.db")
    rows = 0
    start = time.perf_counter()
    with db.reader() as s:
        raw = s.connection().connection.driver_connection
        assert raw is not None
        for table in ("skus", "sku_barcodes"):
            with raw.cursor() as cur:
                cur.execute(f"SELECT * FROM {table}")
                names = [d[0] for d in cur.description]
                got = [tuple(v if isinstance(v, plain) else str(v) for v in r)
                       for r in cur.fetchall()]
            target.execute(f"CREATE TABLE {table} ({', '.join(names)})")
            target.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(names))})",
                               got)
            rows += len(got)
    target.commit()
    seconds = time.perf_counter() - start
    target.close()
    return rows, seconds


def run(orders: int = 10_000, skus: int = 50_000) -> dict[str, Any]:
    with scratch_pg_database("sync") as url, tempfile.TemporaryDirectory() as tmp:
        db = picked_orders(url, orders + orders // 10)  # some stay unrouted
        store = open_store(Path(tmp) / "station.db")
        events = confirmed_events(db, store, orders)
        start = time.perf_counter()
        report = outbox.push(store, DatabaseLink(db), STATION, limit=10 * events)
        push_s = time.perf_counter() - start
        with db.reader() as s:
            packed = s.scalar(select(func.count()).select_from(Order)
                              .where(Order.status == "packed")) or 0
            applied = s.scalar(select(func.count()).select_from(AppliedEvent)
                               .where(AppliedEvent.outcome == "applied")) or 0
        reference_rows(db, skus)
        start = time.perf_counter()
        first = pull.pull(store, DatabaseLink(db))
        first_s = time.perf_counter() - start
        with db.unit_of_work() as s:  # every copied row changes while the station is away
            s.execute(sa.text("UPDATE skus SET weight_g = weight_g + 1"))
            s.execute(sa.text("UPDATE sku_barcodes SET units = units"))
        start = time.perf_counter()
        again = pull.pull(store, DatabaseLink(db))
        again_s = time.perf_counter() - start
        plain_rows, plain_s = plain_copy(db, Path(tmp))
        store.dispose()
        db.dispose()
        make_engine(url).dispose()
    return {"events": events, "pushed": report.pushed, "refused": report.refused,
            "packed": packed, "applied": applied, "push_s": push_s,
            "first_rows": first.total, "first_s": first_s,
            "again_rows": again.total, "again_s": again_s, "plain_rows": plain_rows,
            "plain_s": plain_s}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--skus", type=int, default=50_000)
    args = parser.parse_args()
    f = run(args.orders, args.skus)
    print(f"== sync on PostgreSQL: {f['events']:,} confirmed orders in a station's outbox, "
          f"{f['first_rows']:,} rows to copy")
    print(f"  push {f['pushed']:,} events ({f['refused']} refused; {f['packed']:,} orders "
          f"packed centrally, {f['applied']:,} applied): {f['push_s']:.2f} s, "
          f"{f['pushed'] / f['push_s']:,.0f}/s   goal < {GOAL_PUSH_S:.0f} s: "
          f"{'met' if f['push_s'] < GOAL_PUSH_S else 'NOT met'}")
    for label, rows, seconds in (("first pull (a new station)", f["first_rows"], f["first_s"]),
                                 ("catch-up pull (all changed)", f["again_rows"],
                                  f["again_s"])):
        print(f"  {label}: {rows:,} rows in {seconds:.2f} s, {rows / seconds:,.0f}/s   "
              f"goal 100,000 < {GOAL_PULL_S:.0f} s: "
              f"{'met' if seconds < GOAL_PULL_S and rows >= 100_000 else 'NOT met'}")
    plain_rate = f["plain_rows"] / f["plain_s"]
    print(f"  the limit: {f['plain_rows']:,} rows copied with plain SQL in {f['plain_s']:.2f} s, "
          f"{plain_rate:,.0f}/s")
    record(f"sync push, {f['events']:,} confirmed orders (PostgreSQL)", median=f["push_s"],
           goal=scaled_goal(GOAL_PUSH_S, f["events"], 10_000), unit="s",
           note=f"outbox.push: {f['pushed'] / f['push_s']:,.0f} events/s, each applied once "
                f"centrally with its checks")
    for label, rows, seconds in (("first (a new station)", f["first_rows"], f["first_s"]),
                                 ("catch-up (all changed)", f["again_rows"], f["again_s"])):
        record(f"sync pull, {label}", median=rows / seconds, goal=100_000 / GOAL_PULL_S,
               unit="rows/s", limit=plain_rate, limit_what="plain SQL copy",
               note=f"{rows:,} rows in {seconds:.2f} s (goal 100,000 in "
                    f"{GOAL_PULL_S:.0f} s); limit: SKUs and barcodes read and inserted plainly")
    return 0


if __name__ == "__main__":
    sys.exit(main())
