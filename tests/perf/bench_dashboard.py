"""Dashboard benchmark on PostgreSQL (`make bench`): the shift lead's dashboard (`dashboard.
snapshot`, the one read the screen, `packline dashboard --json` and `--watch` make) over a central
database holding 1,000,000 live orders on the 11.11 peak. Goal: each refresh's queries take
under 300 ms together, and the dashboard screen refreshing over that database never stalls the
GUI thread for more than 50 ms.

The data is shaped like the peak day's backlog: most orders routed, in a wave, being picked or
picked; some packing and packed; exceptions, holds and orders waiting for stock; about 10 %
presale orders waiting for their balance across a few campaigns whose pools are nearly full;
five carriers with their cut-offs; priority bands; promised ship times over the next 72 hours,
some already past. Beside them the week's shipped and cancelled orders, about 300 people with
eight days of five-minute work slots (packers about 50 orders an hour), open exceptions at
levels 0–3, stations with their printers, and tracking-number pools with a few hundred thousand
free numbers. It is written with INSERT … SELECT over generate_series (test data preparation,
not the product path), then VACUUM ANALYZE, as autovacuum leaves a table between its runs.

Measured through the real service (a real shift lead's Actor, the real Database): the whole
snapshot, each of its reads (every statement timed at the driver, grouped by the dashboard
function that made it), median and p99, with the server process's own CPU time a refresh
(the machine may be busy with other work; that figure is not); then again after 5 % of the
live orders moved on without a vacuum since (the index's pages no longer all-visible, as
between autovacuum runs at the peak), and once more after VACUUM orders; then the screen, if
this build has one, refreshing with each of its tabs in view in turn while a 5 ms heartbeat on
the GUI thread measures the gaps between its ticks.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PACKLINE_MUTE", "1")

import sqlalchemy as sa  # noqa: E402
from sqlalchemy import event, select  # noqa: E402

from app.domain.roles import Role  # noqa: E402
from app.services import dashboard  # noqa: E402
from app.services.context import Actor  # noqa: E402
from app.store import migrate  # noqa: E402
from app.store.db import Database, make_engine  # noqa: E402
from app.store.models import User  # noqa: E402
from tests.helpers.databases import scratch_pg_database  # noqa: E402
from tests.perf.figures import record  # noqa: E402

GOAL_QUERIES_MS = 300.0
GOAL_STALL_MS = 50.0
LEAD = "lead01"

# The live backlog on the peak day: status, share of the live orders.
LIVE_MIX = (
    ("new", 0.02), ("pending_review", 0.025), ("routed", 0.30), ("in_wave", 0.18),
    ("picking", 0.10), ("picked", 0.12), ("packing", 0.02), ("packed", 0.08),
    ("exception", 0.02), ("on_hold", 0.015), ("awaiting_stock", 0.02),
    ("awaiting_balance", 0.10),
)
# code, name, share of the routed orders, cut-off (China time)
CARRIERS = (("SF", "顺丰速运", 0.15, "18:00"), ("ZTO", "中通快递", 0.30, "20:00"),
            ("YTO", "圆通速递", 0.25, "19:30"), ("STO", "申通快递", 0.15, "21:00"),
            ("JD", "京东物流", 0.15, "22:00"))
CAMPAIGNS = 4


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# ---------------------------------------------------------------- the peak day's data


def _status_case(u: str) -> str:
    """SQL: the live status for a uniform draw `u`, by LIVE_MIX's shares."""
    parts, edge = [], 0.0
    for status, share in LIVE_MIX[:-1]:
        edge += share
        parts.append(f"WHEN {u} < {edge:.4f} THEN '{status}'")
    return f"CASE {' '.join(parts)} ELSE '{LIVE_MIX[-1][0]}' END"


def _carrier_case(u: str) -> str:
    parts, edge = [], 0.0
    for n, (_code, _name, share, _cut) in enumerate(CARRIERS[:-1]):
        edge += share
        parts.append(f"WHEN {u} < {edge:.4f} THEN {n + 1}")
    return f"CASE {' '.join(parts)} ELSE {len(CARRIERS)} END"


def _reference(conn: sa.Connection, people: int) -> None:
    x = conn.execute
    x(sa.text("INSERT INTO warehouses (id, code, name, province, city, district, address, "
              "daily_capacity, weight_tolerance_g, weight_tolerance_pct, active, phone) VALUES "
              "(1, 'WH-HZ', '杭州仓', '浙江省', '杭州市', '余杭区', '仓前街道 1 号', 400000, "
              "50, 5, true, '0571-88888888')"))
    x(sa.text("INSERT INTO shops (id, channel, name) SELECT n, (ARRAY['tmall','jd','douyin',"
              "'pdd'])[1 + n % 4], '旗舰店 ' || n FROM generate_series(1, 8) n"))
    for n, (code, name, _share, cut) in enumerate(CARRIERS, 1):
        x(sa.text("INSERT INTO carriers (id, code, name, kind, tracking_pattern, active, cutoff) "
                  "VALUES (:i, :c, :n, 'express', '^[0-9A-Z]{10,20}$', true, :cut)"),
          {"i": n, "c": code, "n": name, "cut": cut})
    x(sa.text("INSERT INTO carriers (id, code, name, kind, tracking_pattern, active) VALUES "
              "(9, 'EMS', '中国邮政', 'express', '^[0-9A-Z]{13}$', false)"))
    x(sa.text("INSERT INTO skus (id, code, name, spec, category, weight_g, length_mm, width_mm, "
              "height_mm, price_fen, bulky, active) SELECT n, 'SKU' || lpad(n::text, 5, '0'), "
              "'商品 ' || n, '1件', 'bench', 300, 0, 0, 0, 9900, false, true "
              "FROM generate_series(1, 200) n"))
    # Presale campaigns whose pools are nearly full; the balance opens today or tomorrow.
    x(sa.text("""
        INSERT INTO presale_campaigns (id, code, name, sku_id, kind, price_fen, deposit_fen,
            deposit_value_fen, balance_reduction_fen, tiers, starts_at, ends_at,
            balance_starts_at, balance_ends_at, ship_by, supplier_daily_capacity,
            capacity_days, safety_ratio)
        SELECT n, 'PRE-1111-' || n, '双11 预售 ' || n, n, 'deposit', 29900, 5000, 10000, 0,
            '[]', now() - interval '20 days', now() - interval '1 day',
            now() - interval '2 hours' + (n % 2) * interval '1 day',
            now() + interval '2 days', now() + (2 + n) * interval '1 day', 40000, 5, 0.85
        FROM generate_series(1, :k) n"""), {"k": CAMPAIGNS})
    x(sa.text("INSERT INTO presale_pools (campaign_id, capacity, reserved) "
              "SELECT n, 200000, 200000 * (0.80 + 0.05 * n) FROM generate_series(1, :k) n"),
      {"k": CAMPAIGNS})
    # People: packers, pickers, dock hands (work counted as ship slots, role picker), leads.
    x(sa.text("""
        INSERT INTO users (id, code, name, role, kind, password_hash, active, warehouse_id)
        SELECT n, CASE WHEN n <= :p THEN 'packer' WHEN n <= :p + :k THEN 'picker'
                       WHEN n <= :p + :k + :d THEN 'dock' ELSE 'lead' END
                  || lpad(n::text, 3, '0'),
            '员工 ' || n,
            CASE WHEN n <= :p THEN 'packer' WHEN n <= :p + :k + :d THEN 'picker'
                 ELSE 'shift_lead' END,
            'person', 'x', true, 1
        FROM generate_series(1, :n) n"""),
      {"p": people // 2, "k": people * 2 // 5, "d": people // 20, "n": people})
    x(sa.text("INSERT INTO users (id, code, name, role, kind, password_hash, active, "
              "warehouse_id) VALUES (:i, :c, '值班主管', 'shift_lead', 'person', 'x', true, 1)"),
      {"i": people + 1, "c": LEAD})
    x(sa.text("SELECT setval(pg_get_serial_sequence('users', 'id'), :n)"), {"n": people + 1})
    # Stations: 80 packing, 20 picking, 4 dock; a few not seen for a while; printers each.
    x(sa.text("""
        INSERT INTO stations (code, name, warehouse_id, kind, last_seen_at, app_version,
            outbox_pending, outbox_lag_s, outbox_refused, last_push_at, printers)
        SELECT 'ST-' || lpad(n::text, 3, '0'), '工位 ' || n, 1,
            CASE WHEN n <= 80 THEN 'packing' WHEN n <= 100 THEN 'picking' ELSE 'dock' END,
            now() - CASE WHEN n % 25 = 0 THEN interval '20 minutes' ELSE interval '3 seconds'
                    END,
            '1.4.0', n % 7, (n % 7) * 1.5, CASE WHEN n % 40 = 0 THEN 1 ELSE 0 END, now(),
            json_build_array(
                json_build_object('role', 'label', 'name', 'ZD421-' || n,
                                  'state', CASE WHEN n % 30 = 0 THEN 'paused' ELSE 'ok' END,
                                  'waiting', n % 3, 'failed', CASE WHEN n % 45 = 0 THEN 2
                                                                   ELSE 0 END),
                json_build_object('role', 'document', 'name', 'HP-' || n, 'state', 'ok',
                                  'waiting', 0, 'failed', 0))
        FROM generate_series(1, 104) n"""))


def _orders(conn: sa.Connection, live: int, history: int) -> None:
    ncar = len(CARRIERS)
    conn.execute(sa.text(f"""
        INSERT INTO orders (id, order_no, channel, shop_id, channel_order_no, buyer,
            receiver_name, receiver_phone, province, city, district, address, region_adcode,
            goods_fen, discount_fen, amount_fen, paid_at, vip_level, remark, promised_ship_by,
            priority, priority_band, status, exception, warehouse_id, carrier_id, is_presale,
            campaign_id, pool_units, line_count, unit_count, created_at, updated_at,
            status_changed_at, version)
        SELECT n, 'PL1111' || lpad(n::text, 9, '0'), ch, 1 + n % 8, ch || '-' || n,
            'buyer' || (n % 50000), '收件人' || (n % 1000), '138' || lpad((n % 99999999)::text,
            8, '0'), '浙江省', '杭州市', '西湖区', '文三路 ' || (n % 500) || ' 号',
            '330106', 9900, 0, 9900, created, CASE WHEN u_vip < 0.05 THEN 3 ELSE 0 END, '',
            ship_by, CASE WHEN ship_by < now() THEN 100 WHEN u_vip < 0.05 THEN 50 ELSE 0 END,
            CASE WHEN ship_by < now() THEN 'overdue'
                 WHEN ship_by < now() + interval '6 hours' THEN 'due_soon'
                 WHEN presale THEN 'presale' WHEN u_vip < 0.05 THEN 'vip' ELSE 'normal' END,
            status, CASE WHEN status = 'exception' THEN 'out_of_stock' END, 1,
            CASE WHEN status IN ('new', 'pending_review', 'awaiting_balance',
                                 'awaiting_stock') THEN NULL
                 WHEN status IN ('exception', 'on_hold') AND u_car < 0.5 THEN NULL
                 ELSE {_carrier_case('u_car')} END,
            presale, CASE WHEN presale THEN 1 + n % {CAMPAIGNS} END,
            CASE WHEN presale THEN 1 ELSE 0 END, 1 + n % 3, 1 + n % 5, created, created,
            created, 1
        FROM (
            SELECT n, (ARRAY['tmall', 'jd', 'douyin', 'pdd'])[1 + n % 4] AS ch, status,
                status = 'awaiting_balance' OR (u_pre < 0.03) AS presale, u_vip, u_car,
                created, ship_by
            FROM (
                SELECT n, {_status_case('u_st')} AS status, u_pre, u_vip, u_car,
                    now() - interval '6 hours' - u_age * interval '2 days' AS created,
                    now() - interval '6 hours' + u_due * interval '78 hours' AS ship_by
                FROM (SELECT n, random() AS u_st, random() AS u_pre, random() AS u_vip,
                             random() AS u_car, random() AS u_age, random() AS u_due
                      FROM generate_series(1, CAST(:live AS int)) n) r
            ) s
        ) t"""), {"live": live})
    # The week's history: shipped (most) and cancelled orders.
    conn.execute(sa.text(f"""
        INSERT INTO orders (id, order_no, channel, shop_id, channel_order_no, buyer,
            receiver_name, receiver_phone, province, city, district, address, region_adcode,
            goods_fen, discount_fen, amount_fen, paid_at, vip_level, remark, promised_ship_by,
            priority, priority_band, status, warehouse_id, carrier_id, is_presale, campaign_id,
            pool_units, line_count, unit_count, created_at, updated_at, status_changed_at,
            version)
        SELECT n, 'PL1104' || lpad(n::text, 9, '0'), 'tmall', 1 + n % 8, 'h-' || n,
            'buyer' || (n % 50000), '收件人' || (n % 1000), '139' || lpad((n % 99999999)::text,
            8, '0'), '浙江省', '杭州市', '西湖区', '文三路 ' || (n % 500) || ' 号', '330106',
            9900, 0, 9900, created, 0, '', created + interval '1 day', 0, 'normal',
            CASE WHEN n % 7 = 0 THEN 'cancelled' ELSE 'shipped' END, 1, 1 + n % {ncar},
            false, NULL, 0, 1 + n % 3, 1 + n % 5, created, created + interval '20 hours',
            created + interval '20 hours', 4
        FROM (SELECT n, now() - interval '1 day' - random() * interval '7 days' AS created
              FROM generate_series(CAST(:first AS int), CAST(:last AS int)) n) h"""),
        {"first": live + 1, "last": live + history})
    conn.execute(sa.text("SELECT setval(pg_get_serial_sequence('orders', 'id'), :n)"),
                 {"n": live + history})


def _floor(conn: sa.Connection, free_numbers: int) -> None:
    x = conn.execute
    # Open exceptions for the orders in exception status, escalated by age; a resolved history.
    x(sa.text("""
        INSERT INTO order_exceptions (order_id, category, detail, raised_at, level,
            escalated_at, resolved_at, resolution)
        SELECT id, (ARRAY['out_of_stock', 'address_invalid', 'short_pick', 'weight_mismatch',
                          'print_failed', 'remark_review'])[1 + id % 6], '',
            now() - (id % 480) * interval '1 minute', LEAST((id % 480) / 60, 3),
            CASE WHEN id % 480 >= 60 THEN now() END, NULL, ''
        FROM orders WHERE status = 'exception'"""))
    x(sa.text("""
        INSERT INTO order_exceptions (order_id, category, detail, raised_at, level,
            resolved_at, resolution)
        SELECT id, 'short_pick', '', created_at, 0, created_at + interval '1 hour', 'done'
        FROM orders WHERE status = 'shipped' AND id % 20 = 0"""))
    # Five-minute work slots over the last eight days and today, each person on their shift
    # (day 08–20 China time for even ids, night otherwise), now and then away for a slot.
    x(sa.text("""
        INSERT INTO work_slots (kind, slot_at, user_id, orders, units, seconds, events)
        SELECT kind, slot_at, id,
            CASE kind WHEN 'pack' THEN 3 + (random() * 2.4)::int
                      WHEN 'pick' THEN CASE WHEN random() < 0.3 THEN 12 ELSE 0 END
                      ELSE 60 + (random() * 40)::int END,
            CASE kind WHEN 'pack' THEN 6 + (random() * 4)::int
                      WHEN 'pick' THEN 10 + (random() * 6)::int ELSE 0 END,
            CASE kind WHEN 'pack' THEN 280 ELSE 0 END,
            CASE kind WHEN 'pack' THEN 4 WHEN 'pick' THEN 12 ELSE 70 END
        FROM (
            SELECT u.id, CASE WHEN u.code LIKE 'packer%' THEN 'pack'
                              WHEN u.code LIKE 'dock%' THEN 'ship' ELSE 'pick' END AS kind,
                s.slot_at
            FROM users u
            CROSS JOIN generate_series(
                date_bin('5 minutes', now() - interval '8 days', TIMESTAMPTZ '2000-01-03'),
                now(), interval '5 minutes') AS s(slot_at)
            WHERE u.role IN ('packer', 'picker')
              AND ((u.id % 2 = 0) = (extract(hour FROM s.slot_at AT TIME ZONE 'Asia/Shanghai')
                                     BETWEEN 8 AND 19))
        ) w
        WHERE random() < 0.93"""))
    # Who logged in this shift: everyone on it, now.
    x(sa.text("""
        INSERT INTO login_throttle (scope, key, failures, last_login_at)
        SELECT 'user', code, 0, now() - (id % 300) * interval '1 minute'
        FROM users WHERE role IN ('packer', 'picker')
          AND (id % 2 = 0) = (extract(hour FROM now() AT TIME ZONE 'Asia/Shanghai')
                              BETWEEN 8 AND 19)"""))
    # Tracking numbers: each shipped or packed order's, used; the free pools.
    x(sa.text("""
        INSERT INTO tracking_numbers (carrier_id, number, status, used_at)
        SELECT carrier_id, 'U' || lpad(id::text, 12, '0'), 'used', updated_at
        FROM orders WHERE status IN ('shipped', 'packed') AND carrier_id IS NOT NULL"""))
    x(sa.text("""
        INSERT INTO tracking_numbers (carrier_id, number, status)
        SELECT 1 + n % :c, 'F' || lpad(n::text, 12, '0'), 'free'
        FROM generate_series(1, CAST(:k AS int)) n"""), {"c": len(CARRIERS), "k": free_numbers})


def build(url: str, live: int = 1_000_000, history: int = 500_000, people: int = 300,
          free_numbers: int = 300_000) -> float:
    """Migrates a fresh database and writes the peak day into it; seconds taken."""
    start = time.perf_counter()
    engine = make_engine(url)
    migrate.upgrade(engine)
    with engine.begin() as conn:
        # Test data: no change-sequence triggers and foreign-key checks while it is written.
        conn.execute(sa.text("SET LOCAL session_replication_role = replica"))
        conn.execute(sa.text("SET LOCAL synchronous_commit = off"))
        conn.execute(sa.text("SET LOCAL maintenance_work_mem = '256MB'"))
        conn.execute(sa.text("SELECT setseed(0.1111)"))
        _reference(conn, people)
        _orders(conn, live, history)
        _floor(conn, free_numbers)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM ANALYZE"))
    engine.dispose()
    return time.perf_counter() - start


def lead(db: Database) -> Actor:
    with db.reader() as s:
        u = s.scalars(select(User).where(User.code == LEAD)).one()
        return Actor(user_id=u.id, code=u.code, name=u.name, role=Role(u.role),
                     station="ST-OFFICE")


# ---------------------------------------------------------------- measuring


class StatementClock:
    """Times every statement at the driver, named by the dashboard function that made it."""

    def __init__(self, db: Database) -> None:
        self.engine = db.bind if isinstance(db.bind, sa.Engine) else db.bind.engine
        self.times: dict[str, list[float]] = defaultdict(list)
        self.texts: dict[str, str] = {}
        self.params: dict[str, Any] = {}
        self.current: dict[str, float] = {}
        self._started: list[tuple[str, float]] = []
        self.backends: set[int] = set()

    @staticmethod
    def _caller() -> str:
        frame = sys._getframe(2)
        while frame is not None:
            code = frame.f_code
            if code.co_filename.endswith(os.path.join("services", "dashboard.py")) \
                    and code.co_name.startswith("_"):
                return code.co_name
            frame = frame.f_back  # type: ignore[assignment]
        return "other"

    def _before(self, conn: Any, cursor: Any, statement: str, parameters: Any,
                *_: Any) -> None:
        name = self._caller()
        self.backends.add(conn.connection.dbapi_connection.info.backend_pid)
        self.texts.setdefault(name, statement)
        self.params.setdefault(name, parameters)
        self._started.append((name, time.perf_counter()))

    def _after(self, *_: Any) -> None:
        name, started = self._started.pop()
        self.current[name] = self.current.get(name, 0.0) + time.perf_counter() - started

    @contextmanager
    def running(self) -> Iterator[None]:
        event.listen(self.engine, "before_cursor_execute", self._before)
        event.listen(self.engine, "after_cursor_execute", self._after)
        try:
            yield
        finally:
            event.remove(self.engine, "before_cursor_execute", self._before)
            event.remove(self.engine, "after_cursor_execute", self._after)

    def lap(self) -> float:
        """Ends one refresh: its per-function times kept, their sum returned."""
        total = sum(self.current.values())
        for name, seconds in self.current.items():
            self.times[name].append(seconds)
        self.current = {}
        return total


def server_cpu(pids: set[int]) -> float:
    """Seconds of CPU used so far by the server processes serving these connections (the
    server runs on this machine): what the reads cost whatever else the machine is doing.
    Parallel workers are processes of their own and not counted, so it is a floor."""
    total = 0
    for pid in pids:
        try:
            fields_ = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields_[11]) + int(fields_[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def measure(db: Database, actor: Actor, reps: int) -> dict[str, Any]:
    clock = StatementClock(db)
    whole: list[float] = []
    queries: list[float] = []
    snap = dashboard.snapshot(db, actor)  # a first look: connections opened, plans cached
    with clock.running():
        snap = dashboard.snapshot(db, actor)
        clock.lap()
        cpu = server_cpu(clock.backends)
        for _ in range(reps):
            start = time.perf_counter()
            snap = dashboard.snapshot(db, actor)
            whole.append(time.perf_counter() - start)
            queries.append(clock.lap())
        cpu = server_cpu(clock.backends) - cpu
    return {"whole": whole, "queries": queries, "by_function": dict(clock.times),
            "texts": clock.texts, "params": clock.params, "snapshot": snap,
            "server_cpu": cpu / reps, "load": os.getloadavg()[0]}


def churn(url: str, share: float = 0.05) -> int:
    """`share` of the live orders move one step on (routed → in_wave, picked → packing …),
    with the triggers on, and no vacuum after: as between two autovacuum runs at the peak."""
    engine = make_engine(url)
    with engine.begin() as conn:
        moved = conn.execute(sa.text("""
            UPDATE orders SET status = CASE status WHEN 'routed' THEN 'in_wave'
                WHEN 'in_wave' THEN 'picking' WHEN 'picking' THEN 'picked'
                WHEN 'picked' THEN 'packing' ELSE 'packed' END,
                updated_at = now(), status_changed_at = now(), version = version + 1
            WHERE status IN ('routed', 'in_wave', 'picking', 'picked', 'packing')
              AND random() < :share"""), {"share": share / 0.73}).rowcount
    engine.dispose()
    return int(moved)


def explain(db: Database, figures: dict[str, Any], name: str = "_live_orders") -> str:
    """The plan of one of the dashboard's statements, as it ran, run again under EXPLAIN."""
    with db.reader() as s:
        raw = s.connection().connection.driver_connection
        assert raw is not None
        with raw.cursor() as cur:
            cur.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + figures["texts"][name],
                        figures["params"][name])
            return "\n".join(f"    {row[0]}" for row in cur.fetchall())


# ---------------------------------------------------------------- the screen


def gui(db: Database, actor: Actor, refreshes: int) -> dict[str, Any] | None:
    """The dashboard screen refreshed `refreshes` times, one after the other, with a 5 ms
    heartbeat on the GUI thread; None when this build has no dashboard screen."""
    try:
        from app.ui import dashboard_screen  # type: ignore[attr-defined, unused-ignore]
    except ImportError:
        return None
    from app.ui import tasks
    from app.ui.app import settle_memory, tune_threads
    from app.ui.qt import QApplication, QTimer

    app = QApplication.instance() or QApplication([])
    tune_threads()  # as the app sets itself up at start
    screen = dashboard_screen.DashboardScreen(db, actor)
    screen.resize(1600, 1000)
    screen.show()
    done: list[float] = []
    screen.refreshed.connect(lambda *_: done.append(time.perf_counter()))

    def wait(predicate: Callable[[], bool], timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            app.processEvents()
            if time.monotonic() > deadline:
                raise TimeoutError("the dashboard did not refresh")
            time.sleep(0.0005)

    screen.refresh()
    wait(lambda: len(done) >= 1)  # the first refresh builds the charts
    settle_memory()  # as the app does once its window is up
    gaps: list[float] = []  # while refreshing
    switching: list[float] = []  # while a tab comes into view (a click of the lead's)
    last = [time.perf_counter()]
    phase = [gaps]

    def beat() -> None:
        now = time.perf_counter()
        phase[0].append(now - last[0])
        last[0] = now

    heart = QTimer()
    heart.setInterval(5)
    heart.timeout.connect(beat)
    last[0] = time.perf_counter()
    heart.start()
    seconds: list[float] = []
    applied: list[float] = []  # the GUI thread's part of each: the figures put on screen
    for n in range(refreshes):
        # Each tab in view in turn (the people's and stations' long lists are written only
        # while theirs is): switching writes it from the last refresh, under the heartbeat.
        phase[0] = switching
        screen.tabs.setCurrentIndex(n % screen.tabs.count())
        shown = time.perf_counter() + 0.1
        wait(lambda shown=shown: time.perf_counter() > shown)  # type: ignore[misc]
        phase[0] = gaps
        before = len(done)
        start = time.perf_counter()
        screen.refresh()
        wait(lambda before=before: len(done) > before)  # type: ignore[misc]
        seconds.append(done[-1] - start)
        applied.append(screen.last_apply_ms)
    heart.stop()
    tasks.wait_idle(30_000)
    screen.close()
    screen.deleteLater()
    app.processEvents()
    ms = [g * 1000 for g in gaps]
    tabs = [g * 1000 for g in switching] or [0.0]
    return {"refreshes": refreshes, "refresh": seconds, "worst": max(ms), "p99": pct(ms, 0.99),
            "over": sum(1 for g in ms if g > GOAL_STALL_MS), "ticks": len(ms),
            "applied": [a / 1000 for a in applied], "tab_worst": max(tabs),
            "tab_over": sum(1 for g in tabs if g > GOAL_STALL_MS)}


# ---------------------------------------------------------------- the report


def _line(label: str, seconds: list[float], goal_ms: float | None = None) -> str:
    med, p99 = statistics.median(seconds) * 1000, pct(seconds, 0.99) * 1000
    verdict = (f"   goal < {goal_ms:.0f} ms: {'met' if p99 < goal_ms else 'NOT met'}"
               if goal_ms is not None else "")
    return f"  {label:34s} median {med:7.1f} ms  p99 {p99:7.1f} ms{verdict}"


def report(title: str, f: dict[str, Any]) -> None:
    snap = f["snapshot"]
    print(f"== dashboard on PostgreSQL, {title}: {snap.backlog.total:,} live orders "
          f"({snap.backlog.workable:,} workable, {snap.backlog.awaiting_balance:,} awaiting "
          f"balance), {len(f['whole'])} refreshes")
    print(_line("whole snapshot", f["whole"]))
    print(_line("its queries together", f["queries"], GOAL_QUERIES_MS))
    print(f"  {'':34s} (the server's own process: {f['server_cpu'] * 1000:.0f} ms CPU a "
          f"refresh, parallel workers' not counted; load average {f['load']:.1f} on "
          f"{os.cpu_count()} cores)")
    slowest = sorted(f["by_function"].items(), key=lambda kv: -statistics.median(kv[1]))
    for name, seconds in slowest:
        print(_line(f"  {name}", seconds))
    name = slowest[0][0]
    print(f"  slowest: {name}: {' '.join(f['texts'][name].split())[:150]}…")


def count(db: Database, reps: int) -> list[float]:
    """The order engine's count of the live orders for the dashboards (`dashboard.summarise`,
    every 15 s in the engine's loop): seconds each of `reps` counts took, the last one left
    for the dashboards to read."""
    from app.services.context import system_actor

    seconds = []
    for _ in range(reps):
        start = time.perf_counter()
        dashboard.summarise(db, system_actor())
        seconds.append(time.perf_counter() - start)
    return seconds


def run(live: int = 1_000_000, history: int = 500_000, people: int = 300,
        free_numbers: int = 300_000, reps: int = 20, refreshes: int = 20,
        churn_share: float = 0.05, plan: bool = False) -> dict[str, Any]:
    with scratch_pg_database("dash") as url:
        built = build(url, live, history, people, free_numbers)
        db = Database.from_url(url)
        actor = lead(db)
        alone = measure(db, actor, reps)  # no engine count yet: each refresh counts
        plan_text = explain(db, alone) if plan else ""
        counts = count(db, max(reps // 2, 1))
        settled = measure(db, actor, reps)  # the engine's count read, as in production
        screen = gui(db, actor, refreshes) if refreshes else None
        moved = churn(url, churn_share) if churn_share else 0
        churned_counts = count(db, max(reps // 2, 1)) if churn_share else []
        churned = measure(db, actor, reps) if churn_share else None
        vacuum_s = vacuum(url) if churn_share else 0.0
        revisited_counts = count(db, max(reps // 2, 1)) if churn_share else []
        db.dispose()
    return {"built": built, "live": live, "history": history, "alone": alone,
            "counts": counts, "settled": settled, "churned": churned,
            "churned_counts": churned_counts, "moved": moved, "vacuum_s": vacuum_s,
            "revisited_counts": revisited_counts, "plan": plan_text, "screen": screen}


def vacuum(url: str) -> float:
    """VACUUM orders, as autovacuum does once enough of it changed; seconds taken."""
    engine = make_engine(url)
    start = time.perf_counter()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM orders"))
    engine.dispose()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=1_000_000, help="live orders")
    parser.add_argument("--history", type=int, default=500_000,
                        help="shipped and cancelled orders beside them")
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--refreshes", type=int, default=20,
                        help="screen refreshes under the heartbeat (0: no screen)")
    parser.add_argument("--churn", type=float, default=0.05,
                        help="share of live orders moved on before the second measure")
    parser.add_argument("--explain", action="store_true",
                        help="print the live orders' plan (EXPLAIN ANALYZE, BUFFERS)")
    args = parser.parse_args()
    f = run(args.orders, args.history, reps=args.reps, refreshes=args.refreshes,
            churn_share=args.churn, plan=args.explain)
    print(f"== dashboard: {f['live']:,} live and {f['history']:,} shipped or cancelled "
          f"orders built in {f['built']:.0f} s (generate_series, then VACUUM ANALYZE)")
    report("vacuumed, no engine count: each refresh counts the live orders itself",
           f["alone"])
    if f["plan"]:
        print("  the live orders' plan:\n" + f["plan"])
    print("== the order engine's count of the live orders for every dashboard (every 15 s)")
    print(_line("vacuumed", f["counts"]))
    report("vacuumed, reading the engine's count (the product's path)", f["settled"])
    if f["churned"] is not None:
        print(_line(f"engine's count after {f['moved']:,} orders moved on, no vacuum",
                    f["churned_counts"]))
        report(f"after {f['moved']:,} orders moved on, no vacuum since, reading the engine's "
               "count", f["churned"])
        print(_line(f"engine's count once VACUUM orders ran ({f['vacuum_s']:.1f} s)",
                    f["revisited_counts"]))
    s = f["screen"]
    if s is None:
        print("== dashboard screen: not measured (no dashboard screen in this build)")
    else:
        print(f"== dashboard screen: {s['refreshes']} refreshes, GUI-thread heartbeat every "
              f"5 ms ({s['ticks']:,} ticks)")
        print(_line("refresh → shown", s["refresh"]))
        print(_line("its GUI-thread part (apply)", s["applied"]))
        print(f"  GUI-thread stall while refreshing  worst {s['worst']:6.1f} ms  p99 "
              f"{s['p99']:6.1f} ms  over 50 ms: {s['over']}   goal < {GOAL_STALL_MS:.0f} ms: "
              f"{'met' if s['worst'] < GOAL_STALL_MS else 'NOT met'}")
        print(f"  a tab coming into view (the lead's click; its lists written then)  worst "
              f"{s['tab_worst']:6.1f} ms, {s['tab_over']} ticks over 50 ms")
    record_figures(f)
    return 0


def record_figures(f: dict[str, Any]) -> None:
    """The rows of `make bench`'s table (tests/perf/figures.py)."""
    settled = f["settled"]
    ms = [q * 1000 for q in settled["queries"]]
    record(f"dashboard refresh, {f['live']:,} live orders: its queries (PostgreSQL)",
           median=statistics.median(ms), p99=pct(ms, 0.99), goal=GOAL_QUERIES_MS, unit="ms",
           note=f"dashboard.snapshot reading the engine's count, {len(ms)} refreshes; server "
                f"CPU {settled['server_cpu'] * 1000:.0f} ms a refresh")
    s = f["screen"]
    if s is not None:
        shown = [t * 1000 for t in s["refresh"]]
        record("dashboard screen: refresh → shown", median=statistics.median(shown),
               p99=pct(shown, 0.99), unit="ms",
               note=f"{s['refreshes']} refreshes, each tab in view in turn")
        record("dashboard screen: worst GUI stall while refreshing", median=s["worst"],
               goal=GOAL_STALL_MS, unit="ms",
               note=f"5 ms heartbeat, {s['ticks']:,} ticks; a tab coming into view worst "
                    f"{s['tab_worst']:.0f} ms")


if __name__ == "__main__":
    sys.exit(main())
