"""The warehouse through a real PgBouncer in transaction pooling (Debian's `pgbouncer`), as a
large site runs it (docs/scaling.md): what breaks there without `[central] pooled` (psycopg's
server-side prepared statements, on whichever server connection a transaction happened to
get), and that with it the intake, two engines at once, wave release, picking, packing, a
station's push and pull, the order list and the dashboard all work while PostgreSQL holds no
more connections than the pool's size."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from app.services import demo, orders
from app.services.context import system_actor
from app.store import migrate
from app.store.db import Database, make_engine
from app.store.models import Order
from tests.helpers.cli import packline, packline_process
from tests.helpers.databases import pg_admin_url, require_pg, scratch_pg_database
from tests.helpers.orders import order_record, sku_in_every_warehouse, write_jsonl
from tests.helpers.packing import actor, packed_orders
from tests.helpers.pgbouncer import Bouncer, running_pgbouncer

pytestmark = [pytest.mark.pg, pytest.mark.timeout(600)]

POOL = 3  # server connections PgBouncer may open to the database, for every client together
POOLED = {"PACKLINE_CENTRAL_POOLED": "true"}
# psycopg prepares a statement on the server the fifth time one connection runs it.
PREPARE_THRESHOLD = 5
# SQLSTATEs of a prepared statement on the wrong server connection: one of the same name is
# there already (another client's), or the one asked for is not.
PREPARED_CLASH = ("42P05", "26000")


@pytest.fixture(scope="module")
def central() -> Iterator[str]:
    """A migrated, seeded central database (reached directly)."""
    require_pg()
    with scratch_pg_database("bouncer") as url:
        db = Database.from_url(url)
        migrate.upgrade(db.bind)  # type: ignore[arg-type]
        demo.seed(db, system_actor(), orders=300, seed=11)
        db.dispose()
        yield url


@pytest.fixture(scope="module")
def bouncer(central: str) -> Iterator[Bouncer]:
    with running_pgbouncer(central, pool_size=POOL) as running:
        yield running


def server_connections(url: str) -> int:
    """Client backends PostgreSQL holds for the database of `url` right now."""
    admin = sa.create_engine(pg_admin_url(), poolclass=sa.pool.NullPool)
    try:
        with admin.connect() as conn:
            return int(conn.execute(sa.text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = :d "
                "AND backend_type = 'client backend'"),
                {"d": make_url(url).database}).scalar_one())
    finally:
        admin.dispose()


def _alternate(engines: list[sa.Engine], rounds: int) -> None:
    """Each engine runs the same statement in turn, one transaction each: past the prepare
    threshold, psycopg prepares it on whichever server connection PgBouncer lent."""
    for n in range(rounds):
        for engine in engines:
            with engine.begin() as conn:
                assert conn.execute(sa.select(sa.func.count()).select_from(Order)
                                    .where(Order.id > n)).scalar_one() >= 0


def test_prepared_statements_clash_through_transaction_pooling_unless_pooled(
        central: str) -> None:
    with running_pgbouncer(central, pool_size=1) as one:
        plain = [make_engine(one.url), make_engine(one.url)]
        try:
            with pytest.raises(sa.exc.DBAPIError) as caught:
                _alternate(plain, 4 * PREPARE_THRESHOLD)
            assert getattr(caught.value.orig, "sqlstate", None) in PREPARED_CLASH, caught.value
        finally:
            for engine in plain:
                engine.dispose()
        # `[central] pooled`: nothing is prepared on the server, so any server connection
        # serves any transaction.
        pooled = [make_engine(one.url, pooled=True) for _ in range(4)]
        try:
            _alternate(pooled, 10 * PREPARE_THRESHOLD)
        finally:
            for engine in pooled:
                engine.dispose()


def test_intake_and_two_engines_at_once_through_pgbouncer(
        bouncer: Bouncer, central: str, tmp_path: Path) -> None:
    """Orders imported through the pooler (a staging table that lives for one transaction),
    then two engine processes routing them side by side through the same small pool: every
    order routed once, and PostgreSQL never holding more than the pool."""
    direct = Database.from_url(central)
    try:
        sku = sku_in_every_warehouse(direct)
    finally:
        direct.dispose()
    # Each to a receiver of its own (the engine merges a receiver's orders).
    records = [order_record(f"BOUNCE-{n:04d}", sku=sku, qty=1, buyer=f"tb_bounce_{n}",
                            receiver={"name": "张三", "phone": f"138{n:08d}",
                                      "province": "浙江省", "city": "杭州市",
                                      "district": "西湖区", "address": f"文三路{n + 1}号"})
               for n in range(200)]
    path = write_jsonl(tmp_path / "orders.jsonl", records)
    home = tmp_path / "office"
    done = packline(home, "orders", "import", str(path), "--json", central_url=bouncer.url,
                    as_user="admin", env=POOLED)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["created"] == 200, done.stdout

    held: list[int] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(0.05):
            held.append(server_connections(central))

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    # Small batches: each engine runs its claim and writes many times over (past the
    # prepare threshold) on whichever server connection the pool lends it.
    engines = [packline_process(tmp_path / f"engine{n}", "engine", "run", "--once",
                                "--batch", "20", central_url=bouncer.url, as_user="admin",
                                env=POOLED) for n in (1, 2)]
    try:
        outs = [p.communicate(timeout=300) for p in engines]
    finally:
        stop.set()
        watcher.join(10)
        for p in engines:
            if p.poll() is None:
                p.kill()
                p.wait()
    for p, (_out, err) in zip(engines, outs, strict=True):
        assert p.returncode == 0, err[-3000:]
        assert "prepared statement" not in err and "Error" not in err, err[-3000:]
    routed = [json.loads(out) for out, _err in outs]
    check = Database.from_url(central)
    try:
        with check.reader() as s:
            left = s.scalar(sa.select(sa.func.count()).select_from(Order).where(
                Order.channel_order_no.like("BOUNCE-%"), Order.status == "new"))
            ours = s.scalar(sa.select(sa.func.count()).select_from(Order).where(
                Order.channel_order_no.like("BOUNCE-%"), Order.status == "routed"))
    finally:
        check.dispose()
    assert left == 0 and ours == 200, (left, ours, routed)
    assert held and max(held) <= POOL, held


def test_waves_packing_sync_list_and_dashboard_through_pgbouncer(
        bouncer: Bouncer, central: str, tmp_path: Path) -> None:
    db = Database.from_url(bouncer.url, pooled=True)
    try:
        # The engine, a wave released and picked, its orders packed at a station and pushed:
        # all in this process, through the pooler.
        packed = packed_orders(db, tmp_path / "bench", orders=4)
        lead = actor(db, "lead01")
        listed = orders.list_orders(db, lead, orders.OrderFilter(statuses=("packed",)))
        assert set(packed) <= {r.order_no for r in listed}
    finally:
        db.dispose()
    # As separate processes at the same time: a lead releasing a wave, a station's sync
    # round (push, pull), the order list and the dashboard.
    commands = {
        "release": (("waves", "release", "--warehouse", "HZ", "--strategy", "per_order",
                     "--max-orders", "3", "--max-cells", "3", "--waves", "1"), "lead01"),
        "sync": (("sync", "once"), "packer01"),
        "list": (("orders", "list", "--status", "packed", "--json"), "lead01"),
        "dashboard": (("dashboard", "--json"), "lead01"),
    }
    procs = {name: packline_process(tmp_path / name, *args, central_url=bouncer.url,
                                    as_user=who, env=POOLED)
             for name, (args, who) in commands.items()}
    outs = {}
    for name, p in procs.items():
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, (name, err[-3000:])
        outs[name] = out
    assert {r["order_no"] for r in json.loads(outs["list"])} >= set(packed)
    board = json.loads(outs["dashboard"])
    assert board["backlog"]["packed"] >= len(packed) and board["replica"] is None
    synced = json.loads(outs["sync"])
    assert synced["online"] is True and synced["pulled"]["users"] > 0
    assert server_connections(central) <= POOL
