"""The conductor of the 11.11 rehearsal (docs/rehearsal.md): one scratch PostgreSQL database
laid out like the peak, the whole floor started as separate processes on the product's own
code paths, its figures printed per minute and in total, faults thrown at it, and at the end
the invariants checked against the centre and every station's store. Exit 0 only when every
invariant holds.

    python -m tests.rehearsal --minutes N [--seed S] [--json FILE] [--no-FAULT ...]
                              [--direct] [--no-replica] [--pool-size N]

The floor connects as a large site's does (docs/scaling.md): through PgBouncer in transaction
pooling (`--direct`: straight to PostgreSQL), and the stations and the lead's dashboard read
what may be a moment behind from a streaming replica started for the run (`--no-replica`:
everything from the primary). The seeding, the invariants and the faults' own look-ups go
straight to PostgreSQL.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from tests.helpers.cli import DEMO_PASSWORDS
from tests.helpers.databases import pg_admin_url, pg_available, scratch_pg_database
from tests.helpers.pgbouncer import Bouncer, running_pgbouncer
from tests.helpers.proxy import TcpProxy
from tests.rehearsal import faults as fault_kinds
from tests.rehearsal import invariants, seed
from tests.rehearsal.floor import Floor, Proc, env_for, python, run_cli, write_settings
from tests.rehearsal.metrics import Collector, percentile
from tests.rehearsal.pooling import Connections

# The floor: (station code, kind, warehouse). Hangzhou is the busiest warehouse.
STATIONS: list[tuple[str, str, str]] = [
    ("PICK-HZ-1", "picker", "HZ"), ("PICK-HZ-2", "picker", "HZ"),
    ("PACK-HZ-1", "packer", "HZ"), ("PACK-HZ-2", "packer", "HZ"),
    ("PICK-GZ-1", "picker", "GZ"), ("PACK-GZ-1", "packer", "GZ"),
    ("PICK-BJ-1", "picker", "BJ"), ("PACK-BJ-1", "packer", "BJ"),
]
LEAD = ("lead01", DEMO_PASSWORDS["lead01"])
IMPORT_EVERY_S = 15.0
EVENTS_EVERY_S = 20.0
STATUSES = ("routed", "picked", "packed", "shipped")


@dataclass
class Options:
    minutes: float
    seed: int
    rate: float  # simulator orders a second
    import_rate: float  # orders a second arriving in order files
    pace: float  # seconds between a person's scans
    faults: frozenset[str]
    json_out: Path | None
    keep: bool
    direct: bool = False  # straight to PostgreSQL, no PgBouncer
    replica: bool = True  # reads that may be behind from a streaming replica
    pool_size: int = 20  # PgBouncer's server connections per database and user


def parse(argv: list[str] | None) -> Options:
    p = argparse.ArgumentParser(prog="python -m tests.rehearsal",
                                description="The 11.11 rehearsal (docs/rehearsal.md)")
    p.add_argument("--minutes", type=float, required=True)
    p.add_argument("--seed", type=int, default=1111)
    p.add_argument("--rate", type=float, default=6.0,
                   help="simulator orders per second (default 6)")
    p.add_argument("--import-rate", type=float, default=6.0,
                   help="orders per second arriving in order files (default 6)")
    p.add_argument("--pace", type=float, default=0.25,
                   help="seconds between one person's scans (default 0.25)")
    p.add_argument("--json", type=Path, help="write the figures and invariants here")
    p.add_argument("--keep", action="store_true",
                   help="keep the work folder (the database is dropped either way)")
    for kind in fault_kinds.KINDS:
        p.add_argument(f"--no-{kind}", action="store_true",
                       help=f"no {fault_kinds.DESCRIBED[kind]}")
    p.add_argument("--no-faults", action="store_true", help="no faults at all")
    p.add_argument("--direct", action="store_true",
                   help="the floor connects straight to PostgreSQL (default: through PgBouncer "
                        "in transaction pooling)")
    p.add_argument("--no-replica", action="store_true",
                   help="every read from the primary (default: the stations' pulls and the "
                        "dashboard from a streaming replica)")
    p.add_argument("--pool-size", type=int, default=20,
                   help="PgBouncer's server connections for the run's database (default 20)")
    args = p.parse_args(argv)
    chosen = frozenset() if args.no_faults else frozenset(
        k for k in fault_kinds.KINDS if not getattr(args, f"no_{k.replace('-', '_')}"))
    return Options(args.minutes, args.seed, args.rate, args.import_rate, args.pace, chosen,
                   args.json, args.keep, direct=args.direct, replica=not args.no_replica,
                   pool_size=args.pool_size)


class Conductor:
    def __init__(self, opts: Options, url: str, work: Path, *, bouncer: Bouncer | None = None,
                 read_url: str = "") -> None:
        # `url`: PostgreSQL itself (seeding, invariants, faults); the floor's processes
        # connect to `floor_url` (PgBouncer's, unless --direct) and read from `read_url`.
        self.opts, self.url, self.work = opts, url, work
        self.bouncer, self.read_url = bouncer, read_url
        self.floor_url = bouncer.url if bouncer is not None else url
        self.rng = random.Random(opts.seed)
        self.start = time.time()
        self.collector = Collector(self.start)
        self.floor = Floor(self.collector)
        self.engine = sa.create_engine(url, pool_pre_ping=True, connect_args={
            "application_name": "rehearsal-conductor"})
        self.connections = Connections(url, bouncer, read_url, self.floor)
        self.office = write_settings(work / "office", "[station]\ncode = REHEARSAL-OFFICE\n"
                                     "kind = office\n[log]\nlevel = WARNING\n")
        self.logs = work / "logs"
        self.printers: dict[str, Any] = {}
        self.proxies: dict[str, TcpProxy] = {}
        self.homes: dict[str, Path] = {}
        self.sim_seconds_left = opts.minutes * 60
        self.sim_seed = opts.seed
        self.imported = 0
        self.events_sent = 0
        self.rows: list[dict[str, Any]] = []
        self.faults = fault_kinds.Faults(self)
        self.stop_intake = threading.Event()

    # ---- the floor

    def env(self, name: str, home: Path, user: str, password: str, url: str | None = None,
            reads: bool = False) -> dict[str, str]:
        """A floor process's environment; its connections name it to PostgreSQL (libpq's
        PGAPPNAME), so a fault can tell whose backend it terminates. It connects through
        PgBouncer (`[central] pooled`) unless --direct, and a process that `reads` what may be
        a moment behind (a station's pulls, the dashboard) reads it from the replica."""
        extra = {"PGAPPNAME": f"rehearsal:{name}"}
        if self.bouncer is not None:
            extra["PACKLINE_CENTRAL_POOLED"] = "true"
        if reads and self.read_url:
            extra["PACKLINE_CENTRAL_READ_URL"] = self.read_url
        return env_for(home, url or self.floor_url, user, password, extra)

    def cli(self, *args: str) -> list[str]:
        return python("-m", "app", *args)

    def start_floor(self) -> None:
        from drivers.printers.fake import FakePrinter

        # A station's proxy (cut and stall faults) sits between it and what it connects to:
        # PgBouncer, or PostgreSQL with --direct.
        pg = make_url(self.floor_url)
        people = seed.people(STATIONS)
        for (code, kind, wh), person in zip(STATIONS, people, strict=True):
            proxy = TcpProxy(pg.host or "127.0.0.1", pg.port or 5432)
            self.proxies[code] = proxy
            through = pg.set(port=proxy.port).render_as_string(hide_password=False)
            text = (f"[station]\ncode = {code}\nwarehouse = {wh}\n"
                    f"kind = {'picking' if kind == 'picker' else 'packing'}\n"
                    "[central]\nconnect_timeout = 3\n[log]\nlevel = WARNING\n")
            if kind == "packer":
                printer = FakePrinter(language="tspl")
                self.printers[code] = printer
                text += (f"[printer:label]\nurl = tcp://127.0.0.1:{printer.port}\n"
                         "language = tspl\ncjk = font\ntimeout = 3\n"
                         "[printers]\nwaybill = label\ndefault = label\n")
            home = write_settings(self.work / "stations" / code, text)
            self.homes[code] = home
            partition = "0/1"
            if kind == "packer":
                mates = [c for c, k, w in STATIONS if k == "packer" and w == wh]
                partition = f"{mates.index(code)}/{len(mates)}"
            self.floor.add(Proc(
                code, python("-m", "tests.rehearsal.station", "--home", str(home), "--kind",
                             kind, "--user", person.code, "--partition", partition,
                             "--pace", str(self.opts.pace)),
                self.env(code, home, person.code, seed.PASSWORD, through, reads=True),
                self.logs / f"{code}.log", reports=True))
        for n in (1, 2):
            self.floor.add(Proc(f"engine-{n}", self.cli("engine", "run", "--interval", "0.5"),
                                self.env(f"engine-{n}", self.office, *LEAD),
                                self.logs / f"engine-{n}.log"))
        pickers = {wh: sum(1 for _c, k, w in STATIONS if k == "picker" and w == wh)
                   for wh in ("HZ", "GZ", "BJ")}
        self.floor.add(Proc("lead", python(
            "-m", "tests.rehearsal.lead", "--home", str(self.office), "--warehouses",
            ",".join(f"{wh}:{n}" for wh, n in pickers.items())),
            self.env("lead", self.office, *LEAD, reads=True), self.logs / "lead.log",
            reports=True))
        self.start_simulator()

    def start_simulator(self) -> None:
        def ended(proc: Proc, code: int) -> None:
            # Its report is the last line of its log; a simulator whose connection was
            # terminated exits: the rest of its traffic is sent by a new one (new orders).
            elapsed = time.time() - self.sim_started
            self.sim_seconds_left -= elapsed
            if code != 0:
                self.collector.error(f"process.exited.simulate.{code}")
            if self.sim_seconds_left > 5 and not self.stop_intake.is_set():
                self.sim_seed += 1
                proc.argv = self._sim_argv()
                self.sim_started = time.time()
                proc.start(self.collector)

        self.sim_started = time.time()
        proc = Proc("simulate", self._sim_argv(), self.env("simulate", self.office, *LEAD),
                    self.logs / "simulate.log", keep=False, on_exit=ended)
        self.floor.add(proc)

    def _sim_argv(self) -> list[str]:
        return self.cli("simulate", "--rate", str(self.opts.rate), "--duration",
                        f"{max(self.sim_seconds_left, 1):.0f}", "--seed", str(self.sim_seed))

    # ---- intake besides the simulator

    def imports(self, files: seed.OrderFiles) -> None:
        """An order file every IMPORT_EVERY_S seconds through `packline orders import`."""
        while not self.stop_intake.wait(IMPORT_EVERY_S):
            path = files.write(max(int(self.opts.import_rate * IMPORT_EVERY_S), 1))
            with self.connections.client():
                code, out, seconds = run_cli(
                    self.cli("orders", "import", str(path), "--json"),
                    self.env("import", self.office, *LEAD), self.logs / "import.log")
            self.collector.lat("cli.orders_import", seconds * 1000)
            if code not in (0, 3):
                self.collector.error(f"cli.orders_import.exit{code}")
                continue
            try:
                self.imported += int(json.loads(out)["created"])
            except (ValueError, KeyError):
                self.collector.error("cli.orders_import.unreadable_report")

    def events(self) -> None:
        """Channel events through `packline orders event`: an address changed after the
        order was released to the floor (an intercept), a refund asked for on a routed order,
        a balance paid on a presale order waiting for it."""
        n = 0
        while not self.stop_intake.wait(EVENTS_EVERY_S):
            for kind, statuses in (("address_changed", ("in_wave", "picking", "picked")),
                                   ("refund_requested", ("routed", "picking")),
                                   ("cancelled", ("in_wave", "picking", "packed")),
                                   ("balance_paid", ("awaiting_balance",))):
                with self.engine.connect() as conn:
                    row = conn.execute(sa.text(
                        "SELECT channel, channel_order_no, province, city, district "
                        "FROM orders WHERE status = ANY(:s) AND intercept IS NULL "
                        "ORDER BY random() LIMIT 1"), {"s": list(statuses)}).first()
                if row is None:
                    continue
                n += 1
                payload: dict[str, Any] = {}
                if kind == "address_changed":
                    payload = {"receiver": {"name": "王改址", "phone": "13900001111",
                                            "province": row.province, "city": row.city,
                                            "district": row.district,
                                            "address": f"新地址路{n}号"}}
                with self.connections.client():
                    code, _out, seconds = run_cli(
                        self.cli("orders", "event", f"{row.channel}:{row.channel_order_no}",
                                 kind, "--key", f"rehearsal-{kind}-{n}", "--payload",
                                 json.dumps(payload, ensure_ascii=False)),
                        self.env("event", self.office, *LEAD), self.logs / "events.log")
                self.collector.lat("cli.orders_event", seconds * 1000)
                if code == 0:
                    self.events_sent += 1
                    self.collector.count(f"event.{kind}")
                else:
                    self.collector.error(f"cli.orders_event.{kind}.exit{code}")

    # ---- figures

    def minute_row(self, minute: int) -> dict[str, Any]:
        t0 = datetime.fromtimestamp(self.start + minute * 60, UTC)
        t1 = datetime.fromtimestamp(self.start + (minute + 1) * 60, UTC)
        with self.engine.connect() as conn:
            created = conn.execute(sa.text(
                "SELECT count(*) FROM audit_log WHERE action = 'order.created' "
                "AND at >= :a AND at < :b"), {"a": t0, "b": t1}).scalar() or 0
            moved = dict(conn.execute(sa.text(
                "SELECT after, count(*) FROM audit_log WHERE action = 'order.status' "
                "AND entity = 'order' AND at >= :a AND at < :b AND after = ANY(:s) "
                "GROUP BY after"), {"a": t0, "b": t1, "s": list(STATUSES)}).all())
        b = self.collector.bucket(minute)
        return {"minute": minute + 1, "in": int(created),
                **{s: int(moved.get(s, 0)) for s in STATUSES},
                "pack_p50": percentile(b.lat.get("scan→result.pack", []), 0.5),
                "pack_p99": percentile(b.lat.get("scan→result.pack", []), 0.99),
                "pick_p50": percentile(b.lat.get("scan→result.pick", []), 0.5),
                "pick_p99": percentile(b.lat.get("scan→result.pick", []), 0.99),
                "scans": len(b.lat.get("scan→result.pack", []))
                + len(b.lat.get("scan→result.pick", [])),
                "errors": sum(b.err.values()), **self.connections.minute(minute)}

    def print_minute(self, minute: int, tail: str = "") -> None:
        """The minute's row, then its service calls (p50/p99 ms) and its errors by kind."""
        row = self.minute_row(minute)
        b = self.collector.bucket(minute)
        row["calls"] = {name: [percentile(v, 0.5), percentile(v, 0.99), len(v)]
                        for name, v in sorted(b.lat.items()) if name.startswith(("svc.", "cli."))}
        row["errors_by_kind"] = dict(b.err.most_common())
        self.rows.append(row)
        self.say(self.line(row) + tail)
        calls = [f"{name.removeprefix('svc.')} {p50:.0f}/{p99:.0f}"
                 for name, (p50, p99, _n) in row["calls"].items()]
        if calls:
            self.say("       calls p50/p99 ms: " + " · ".join(calls))
        if b.err:
            self.say("       errors: " + " · ".join(f"{k} {n}" for k, n in b.err.most_common()))

    @staticmethod
    def header() -> str:
        return (f"{'min':>4} {'in':>6} {'routed':>7} {'picked':>7} {'packed':>7} "
                f"{'shipped':>7} {'scans':>6}  {'pack scan→result p50/p99 ms':>27}  "
                f"{'pick scan→result p50/p99 ms':>27} {'errors':>6} {'backends':>8} "
                f"{'clients':>7} {'pgb.sv':>6} {'lag p50/max s':>13}")

    @staticmethod
    def line(r: dict[str, Any]) -> str:
        def ms(v: float | None) -> str:
            return "-" if v is None else f"{v:.0f}"

        def n(v: int | None) -> str:  # peaks of the minute
            return "-" if v is None else str(v)

        def s(v: float | None) -> str:
            return "-" if v is None else f"{v:.2f}"

        return (f"{r['minute']:>4} {r['in']:>6} {r['routed']:>7} {r['picked']:>7} "
                f"{r['packed']:>7} {r['shipped']:>7} {r['scans']:>6}  "
                f"{ms(r['pack_p50']) + ' / ' + ms(r['pack_p99']):>27}  "
                f"{ms(r['pick_p50']) + ' / ' + ms(r['pick_p99']):>27} {r['errors']:>6} "
                f"{n(r['backends_peak']):>8} {n(r['clients_peak']):>7} "
                f"{n(r['servers_peak']):>6} "
                f"{s(r['lag_p50_s']) + ' / ' + s(r['lag_max_s']):>13}")

    def through(self) -> str:
        """What the floor connects through, as printed at the start."""
        pg = make_url(self.url)
        primary = f"PostgreSQL {pg.host}:{pg.port or 5432}"
        if self.bouncer is not None:
            way = (f"through PgBouncer 127.0.0.1:{self.bouncer.port} (transaction pooling, "
                   f"{self.opts.pool_size} server connections at most; "
                   f"`[central] pooled = true`) to {primary}")
        else:
            way = f"straight to {primary} (--direct)"
        if self.read_url:
            r = make_url(self.read_url)
            reads = (f"stations' pulls and the dashboard read from a streaming replica "
                     f"{r.host}:{r.port} (`[central] read_url`)")
        else:
            reads = "every read from the primary (--no-replica)"
        return (f"{way}; {reads}; station proxies (cut, stall) in front of "
                f"{'PgBouncer' if self.bouncer is not None else 'PostgreSQL'}; seeding, "
                "invariants and pg-terminate straight to PostgreSQL")

    def say(self, text: str) -> None:
        print(text, flush=True)

    # ---- the run

    def run(self) -> int:
        o = self.opts
        expected = int((o.rate + o.import_rate) * o.minutes * 60)
        hot_orders = int(o.import_rate * o.minutes * 60 * seed.HOT_SHARE
                         + o.rate * o.minutes * 60 * 0.2)
        laid = seed.prepare(self.url, seed=o.seed, expected_orders=expected,
                            hot_orders=hot_orders, stations=STATIONS)
        self.say(f"== 11.11 rehearsal: {o.minutes:g} min, seed {o.seed}, intake "
                 f"{o.rate:g}/s simulated + {o.import_rate:g}/s in order files "
                 f"(≈{expected:,} orders); database {make_url(self.url).database}")
        self.say(f"   peak: 爆款 stock {laid['hot_stock']} (about half of what the run's "
                 f"orders ask); daily capacity {laid['capacity']}; "
                 f"{len(STATIONS)} stations, 2 engines, 1 lead; faults: "
                 f"{', '.join(sorted(o.faults)) or 'none'}")
        self.say("   floor connects " + self.through())
        files = seed.OrderFiles(self.url, o.seed, self.work)
        self.start = time.time()
        self.collector.start = self.start
        self.start_floor()
        threads = [threading.Thread(target=self.imports, args=(files,), daemon=True),
                   threading.Thread(target=self.events, daemon=True)]
        for t in threads:
            t.start()
        self.faults.plan(o.minutes * 60)
        self.say("")
        self.say(self.header())
        end = self.start + o.minutes * 60
        printed = 0
        while time.time() < end:
            time.sleep(1.0)
            self.floor.watch()
            self.faults.tick(time.time() - self.start)
            self.connections.sample(int((time.time() - self.start) // 60))
            for note in self.collector.take_notes():
                self.say(f"   · {note}")
            due = int((time.time() - self.start) // 60)
            while printed < due:
                self.print_minute(printed)
                printed += 1
        return self.finish(printed)

    def finish(self, printed: int) -> int:
        self.say("   · intake stops; the floor finishes what it holds and pushes its outbox")
        self.stop_intake.set()
        self.faults.heal()
        sim = self.floor.procs.get("simulate")
        if sim is not None:
            sim.stopping = True
            sim.terminate(60)
        self.floor.procs["lead"].tell({"do": "quiet"})
        for code, *_rest in STATIONS:
            self.floor.procs[code].stopping = True
            self.floor.procs[code].tell({"do": "stop"})
        left: dict[str, int | None] = {}
        for code, *_rest in STATIONS:
            left[code] = self.floor.procs[code].wait(180)
        lead = self.floor.procs["lead"]
        lead.stopping = True
        lead.tell({"do": "stop"})
        lead.wait(180)
        for n in (1, 2):
            self.floor.procs[f"engine-{n}"].terminate(60)
        time.sleep(1.5)  # the last reports of the processes
        for note in self.collector.take_notes():
            self.say(f"   · {note}")
        self.print_minute(printed, "  (the drain)")
        self.floor.stop_all()
        for proxy in self.proxies.values():
            proxy.close()
        for printer in self.printers.values():
            printer.close()
        return self.report(left)

    def connections_totals(self, f: dict[str, Any]) -> None:
        def v(x: float | None, fmt: str = "{:.0f}") -> str:
            return "-" if x is None else fmt.format(x)

        self.say("== connections and the replica")
        self.say(f"   PostgreSQL backends of the run's database: peak {v(f['backends_peak'])}, "
                 f"median {v(f['backends_p50'])}; client processes of the floor (stations, "
                 f"engines, lead, simulator, commands): peak {v(f['clients_peak'])}")
        if self.bouncer is not None:
            self.say(f"   PgBouncer server connections (SHOW POOLS): peak "
                     f"{v(f['servers_peak'])}, median {v(f['servers_p50'])} (pool "
                     f"{self.opts.pool_size}) for a peak of {v(f['pooled_clients_peak'])} "
                     f"client connections; clients waiting for one: peak "
                     f"{v(f['waiting_peak'])}")
        if self.read_url:
            self.say(f"   replica lag ({f['lag_samples']} samples, every second): p50 "
                     f"{v(f['lag_p50_s'], '{:.3f}')} s, p99 {v(f['lag_p99_s'], '{:.3f}')} s, "
                     f"max {v(f['lag_max_s'], '{:.3f}')} s; WAL behind p50 "
                     f"{v(f['lag_bytes_p50'])} B, max {v(f['lag_bytes_max'])} B; "
                     f"unreachable {f['lag_unreachable']}")
        for line in self.connections.errors:
            self.say(f"   sampling: {line}")

    def report(self, exits: dict[str, int | None]) -> int:
        total = self.collector.total
        wall = time.time() - self.start
        sums = {k: sum(r[k] for r in self.rows) for k in ("in", *STATUSES)}
        self.say("")
        self.say(f"== totals over {wall / 60:.1f} min: in {sums['in']:,} · routed "
                 f"{sums['routed']:,} · picked {sums['picked']:,} · packed {sums['packed']:,} "
                 f"· shipped {sums['shipped']:,}  (imported {self.imported:,} in files, "
                 f"{self.events_sent} channel events by the command line)")
        self.say("== service calls and scans (ms): count, p50, p99")
        calls = {}
        for name in sorted(total.lat):
            values = total.lat[name]
            calls[name] = {"count": len(values), "p50": percentile(values, 0.5),
                           "p99": percentile(values, 0.99)}
            self.say(f"   {name:34s} {len(values):>8,} {calls[name]['p50']:>9.1f} "
                     f"{calls[name]['p99']:>9.1f}")
        self.say("== errors by kind")
        for kind, n in total.err.most_common():
            self.say(f"   {kind:60s} {n:>6}")
        if not total.err:
            self.say("   none")
        counts = dict(total.n)
        pool = self.connections.figures(self.connections.total)
        self.connections_totals(pool)
        self.say("== faults")
        fault_lines = self.faults.summary()
        for line in fault_lines:
            self.say(f"   {line}")
        stores = {code: home / "station.db" for code, home in self.homes.items()}
        results = invariants.check_all(self.url, stores)
        self.say("== invariants")
        for r in results:
            self.say(f"   {'OK  ' if r.ok else 'FAIL'} {r.name}: {r.detail}")
        for line in self.faults.verdicts(results):
            self.say(f"   {line}")
        failed = [r for r in results if not r.ok]
        self.say(f"== {'every invariant holds' if not failed else f'{len(failed)} invariant(s) violated'}"
                 f"; wall time {wall:.0f} s")
        if self.opts.json_out is not None:
            self.opts.json_out.write_text(json.dumps({
                "minutes": self.rows, "totals": sums, "calls": calls,
                "errors": dict(total.err), "counts": counts, "faults": fault_lines,
                "connections": {"through": self.through(), **pool},
                "invariants": [{"name": r.name, "ok": r.ok, "detail": r.detail}
                               for r in results],
                "station_exits": exits, "wall_seconds": round(wall, 1)},
                ensure_ascii=False, indent=2), encoding="utf-8")
        return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    opts = parse(argv)
    reason = pg_available()
    if reason is not None:
        print(f"rehearsal: PostgreSQL is not reachable: {reason}", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="packline-rehearsal-"))
    with scratch_pg_database("rehearsal") as url, contextlib.ExitStack() as stack:
        bouncer = None if opts.direct else stack.enter_context(
            running_pgbouncer(url, pool_size=opts.pool_size))
        read_url = ""
        if opts.replica:
            from tests.helpers.replica import replica

            # Started while the database is empty: the seeding streams to it.
            standby = stack.enter_context(replica(pg_admin_url()))
            read_url = make_url(standby).set(database=make_url(url).database
                                             ).render_as_string(hide_password=False)
        conductor = Conductor(opts, url, work, bouncer=bouncer, read_url=read_url)
        try:
            code = conductor.run()
        finally:
            conductor.floor.stop_all()
            conductor.connections.close()
            conductor.engine.dispose()
    if opts.keep:
        print(f"rehearsal: work folder kept at {work}")
    else:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    return code
