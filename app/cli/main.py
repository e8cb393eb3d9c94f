"""`packline` command line. JSON on stdout where a script reads it; messages on stderr."""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import os
import re
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli import identity
from app.config import Config, SettingsError, load_config, secure_station
from app.domain.roles import Permission
from app.redact import remember, safe_url, scrub

if TYPE_CHECKING:
    from app.services.context import Actor


def _print_json(data: Any) -> None:
    sys.stdout.write(_json_for_terminal(json.dumps(
        data, ensure_ascii=False, indent=None if isinstance(data, list) else 2)) + "\n")


def _json_for_terminal(text: str) -> str:
    """JSON text with every character that is not printable (C1 controls, bidi overrides, lone
    surrogates of data stored before the door cleaned text) written as a \\u escape: the same
    JSON to a reader, nothing a terminal acts on."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch.isprintable() or ch in "\n ":
            out.append(ch)
        elif ord(ch) > 0xFFFF:
            code = ord(ch) - 0x10000
            out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            out.append(f"\\u{ord(ch):04x}")
    return "".join(out)


def _print_line(data: dict[str, Any]) -> None:
    """One JSON object per line, flushed: for readers that follow a stream."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _database(cfg: Config, *, upgrade: bool = True) -> Any:
    from app.services import schema
    from app.store import migrate
    from app.store.db import Database

    db = Database.from_url(cfg.central_url, **cfg.database_options)
    # A database this build cannot work with (migrated by a newer Packline, or not yet by
    # this one) is refused before the command reads or writes anything there.
    try:
        schema.require(db, embedded=cfg.embedded)
    except BaseException:
        db.dispose()
        raise
    if upgrade and cfg.embedded:
        # The embedded database is the station's own: keep it at the newest schema.
        migrate.upgrade(db.bind)
    return db


def cmd_run(cfg: Config, args: argparse.Namespace) -> int:
    from app.ui.app import run_app

    return run_app(cfg, args.settings_flags)


def cmd_selftest(cfg: Config | None, args: argparse.Namespace) -> int:
    """The install checks itself on a throwaway station (app/cli/selftest.py)."""
    from app.cli import selftest

    return selftest.run(args.out, args.json)


def gui_main() -> int:
    """`packline-gui` (and the Windows build's `packline.exe`): the app, started from an icon
    without a console; it takes the options that come before a command (`--home DIR`)."""
    return main([*sys.argv[1:], "run"])


def cmd_db_upgrade(cfg: Config, args: argparse.Namespace) -> int:
    from app.store import migrate

    migrate.upgrade(cfg.central_url)
    print(f"database at {migrate.head_revision()}: {safe_url(cfg.central_url)}",
          file=sys.stderr)
    return 0


def cmd_db_check(cfg: Config, args: argparse.Namespace) -> int:
    from app.store import migrate

    migrate.check(cfg.central_url)
    return 0


def cmd_db_roles(cfg: Config, args: argparse.Namespace) -> int:
    """The central database's login roles (station, engine, office) and their grants:
    printed as SQL for IT to run, or applied with --apply. A password only ever comes from the
    environment and is never printed or logged (docs/database.md)."""
    from sqlalchemy.engine import make_url

    from app.store import roles

    names = roles.role_names(args.prefix)
    passwords: dict[str, str] = {}
    for item in args.password_from_env or []:
        kind, sep, var = item.partition("=")
        if not sep or kind not in roles.KINDS or not var:
            raise ValueError(f"--password-from-env {item!r}: give KIND=VARIABLE, KIND one of "
                             f"{', '.join(roles.KINDS)}")
        if kind in passwords:
            raise ValueError(f"--password-from-env: {kind} is given twice")
        value = os.environ.get(var)
        if not value:
            raise ValueError(f"--password-from-env {kind}={var}: the variable {var} is not "
                             "set or empty")
        remember(value)  # blanked in whatever Packline prints or logs from here on
        passwords[kind] = value
    if not args.apply:
        if passwords:
            raise ValueError("--password-from-env is only for --apply: the printed SQL never "
                             "holds a password")
        sys.stdout.write(roles.script(args.prefix))
        return 0
    if make_url(cfg.central_url).get_backend_name() != "postgresql":
        raise ValueError("--apply needs a PostgreSQL central database (PACKLINE_CENTRAL_URL "
                         f"or [central] url); this one is {safe_url(cfg.central_url)}")
    import psycopg

    from app.store.db import make_engine

    engine = make_engine(cfg.central_url, connect_timeout=cfg.settings.central.connect_timeout,
                         pooled=cfg.settings.central.pooled)
    try:
        with engine.begin() as conn:
            roles.apply(conn, args.prefix, passwords)
    except psycopg.Error as exc:
        # Statements run on the driver's connection: its errors arrive unwrapped. The whole
        # transaction was rolled back; the message never holds a password.
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"packline: database error at {safe_url(cfg.central_url)}: {first}",
              file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    _print_json({"database": safe_url(cfg.central_url), "roles": names,
                 "passwords_set": sorted(passwords)})
    return 0


_STDIN = identity.Stdin()


def _command(args: argparse.Namespace) -> str:
    """`orders import`: the words naming the command, for messages."""
    words = [args.command or ""]
    sub = getattr(args, f"{args.command}_command", None) if args.command else None
    if sub:
        words.append(sub)
    return " ".join(words)


def _actor(cfg: Config, args: argparse.Namespace, db: Any, permission: Permission) -> Actor:
    """The person this command acts for, logged in against the central database, holding
    `permission`: nothing is changed before this returns."""
    return identity.authenticate(db, cfg.settings.station.code, args, _STDIN,
                                 permission, command=_command(args))


def _no_users_yet(db: Any) -> bool:
    from sqlalchemy import func, select

    from app.store.models import User

    with db.reader() as s:
        return not s.scalar(select(func.count()).select_from(User))


def cmd_demo_seed(cfg: Config, args: argparse.Namespace) -> int:
    from app.services import demo
    from app.services.context import system_actor

    db = _database(cfg)
    # The first run (`make run`, the README) seeds an empty installation, demo users
    # included, with nobody to log in yet; once anybody exists, only an admin seeds.
    actor = system_actor(cfg.settings.station.code) if _no_users_yet(db) \
        else _actor(cfg, args, db, Permission.SEED_DEMO)
    report = demo.seed(db, actor, orders=args.orders, seed=args.seed)
    _print_json(report.as_json())
    return 0


def cmd_orders_import(cfg: Config, args: argparse.Namespace) -> int:
    """Exit 0: every order read; 3: some rows broken, the good ones stored (or there already);
    2: no order in the file could be read (or the file itself was refused)."""
    from app.domain.text import safe_for_terminal
    from app.services import intake
    from app.ui.messages import words_in

    db = _database(cfg)
    report = intake.import_file(db, _actor(cfg, args, db, Permission.IMPORT_ORDERS),
                                Path(args.file), shop=args.shop)
    # The person fixing the file reads each sentence in the station's language first
    # (`[ui] language`), then in English as the log has it.
    words = words_in(cfg.settings.ui.language)
    if args.json:
        _print_json(report.as_json())
    else:
        for line in _both(words, "intake.summary", created=report.created,
                          duplicates=report.duplicates, broken=len(report.errors)):
            print(line)
        for err in report.errors:
            ref = f" [{err.channel_order_no}]" if err.channel_order_no else ""
            worded = _translated(words, err.code, err.params)
            if worded:
                print(safe_for_terminal(f"  第 {err.line} 行{ref}：{worded}"))
            print(safe_for_terminal(f"  line {err.line}{ref}: {err.reason}"))
    if not report.errors:
        return 0
    if report.created + report.duplicates == 0:
        for line in _both(words, "intake.nothing_imported", file=args.file):
            print(f"packline: {safe_for_terminal(line)}", file=sys.stderr)
        return 2
    return 3


def _translated(words: Any, code: str, params: Any) -> str | None:
    """The code's catalogue wording in the reader's language, or None when that is English
    (or not shipped): the English is printed anyway."""
    from app.ui.messages import word_in

    worded = word_in(words, code, dict(params))
    return worded if worded != word_in(lambda _c, source: source, code, dict(params)) else None


def _both(words: Any, code: str, **params: Any) -> list[str]:
    """A sentence of the catalogue in the reader's language (when translated), then English."""
    from app.ui.messages import word_in

    english = word_in(lambda _c, source: source, code, params) or code
    worded = _translated(words, code, params)
    return [worded, english] if worded else [english]


def cmd_orders_list(cfg: Config, args: argparse.Namespace) -> int:
    from app.domain.text import safe_for_terminal
    from app.services import orders
    from app.services.context import system_actor

    db = _database(cfg)
    f = orders.OrderFilter(statuses=tuple(args.status or ()), channel=args.channel,
                           warehouse=args.warehouse, exception=args.exception)
    if args.limit is None:
        rows: Any = orders.iter_orders(db, system_actor(), f, sort=args.sort)
        if args.offset:
            rows = itertools.islice(rows, args.offset, None)
    else:
        total = orders.count_orders(db, system_actor(), f)
        rows = orders.list_orders(db, system_actor(), f, sort=args.sort, offset=args.offset,
                                  limit=args.limit)
        if args.offset + len(rows) < total:
            print(f"packline: showing {len(rows)} of {total} orders from offset {args.offset}; "
                  f"use --offset/--limit for more", file=sys.stderr)
    if args.json:
        # A JSON array written as it streams: a million orders never sit in memory at once.
        sys.stdout.write("[")
        for i, r in enumerate(rows):
            sys.stdout.write(("," if i else "") + _json_for_terminal(
                json.dumps(r.as_json(), ensure_ascii=False)))
        sys.stdout.write("]\n")
    else:
        # Orders stored before text was cleaned at the door may hold escape sequences:
        # a terminal is shown them, never made to act on them.
        for r in rows:
            print(safe_for_terminal(
                f"{r.order_no}  {r.channel:<7} {r.channel_order_no:<24} {r.status:<16} "
                f"{r.priority:>6}  {r.receiver_name}"
                f"{' [encrypted]' if r.receiver_encrypted else ''}  "
                f"{r.province}{r.city}{r.district}"))
    return 0


def _dashboard_plan(cfg: Config, args: argparse.Namespace) -> Any:
    from app.domain.forecast import parse_shifts
    from app.services.dashboard import Plan

    board = cfg.settings.dashboard
    return Plan(shifts=parse_shifts(board.shifts),
                reserve=(board.reserve if args.reserve is None else args.reserve) / 100,
                packer_per_hour=args.packer_rate, picker_per_hour=args.picker_rate,
                normal_daily=args.normal_daily, growth=args.growth,
                conversion=args.conversion, days=args.days)


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 1 <= value <= 3600:
        raise argparse.ArgumentTypeError("refresh every 1 to 3600 seconds")
    return value


def _whole_frames(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 1_000_000:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of frames (1 or more)")
    return int(text)


def cmd_dashboard(cfg: Config, args: argparse.Namespace) -> int:
    """The shift lead's figures: JSON once (`--json`), or a terminal view refreshed every
    `--watch` seconds until Ctrl+C."""
    import time

    from app.domain.text import safe_for_terminal
    from app.services import dashboard

    db = _database(cfg)
    plan = _dashboard_plan(cfg, args)
    # Each person's rates are in it: whoever reads it logs in (a wall display or a script
    # with a service account's token).
    actor = _actor(cfg, args, db, Permission.VIEW_DASHBOARD)
    if args.json and not args.watch:
        _print_json(dashboard.snapshot(db, actor, plan).as_json())
        return 0
    frames = 0
    while True:
        board = dashboard.snapshot(db, actor, plan)
        frames += 1
        if args.json:
            sys.stdout.write(_json_for_terminal(json.dumps(board.as_json(),
                                                           ensure_ascii=False)) + "\n")
        else:
            if args.watch and sys.stdout.isatty():
                sys.stdout.write("\x1b[H\x1b[2J")
            sys.stdout.write("\n".join(safe_for_terminal(line)
                                       for line in _dashboard_text(board).split("\n")) + "\n")
        sys.stdout.flush()
        if not args.watch or (args.frames and frames >= args.frames):
            return 0
        try:
            time.sleep(args.watch)
        except KeyboardInterrupt:
            return 0


def _china_date(text: str) -> date:
    """A China day written YYYY-MM-DD (argparse type)."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day (YYYY-MM-DD)") from None


def cmd_presale_report(cfg: Config, args: argparse.Namespace) -> int:
    """The presale demand report: a table per campaign and the demand by day (or --json),
    and the workbook with --xlsx."""
    from app.domain.text import safe_for_terminal
    from app.services import presale_report

    db = _database(cfg)
    actor = _actor(cfg, args, db, Permission.VIEW_ORDERS)
    report = presale_report.demand_report(db, actor, args.campaign, since=args.since,
                                          until=args.until)
    written = presale_report.export_xlsx(report, args.xlsx) if args.xlsx else None
    if args.json:
        data = report.as_json()
        data["xlsx"] = str(written) if written else None
        _print_json(data)
        return 0

    def pct(value: float | None) -> str:
        return "-" if value is None else f"{value * 100:.1f}%"

    lines = [f"{'Campaign':<14} {'Mode':<5} {'Deposits':>9} {'Units':>7} {'Balances':>9} "
             f"{'Units':>7} {'Conv.':>7} {'Refunded':>9} {'Cancelled':>9}  Name"]
    for c in report.campaigns:
        d = c.demand
        lines.append(f"{c.code:<14} {c.stock_mode:<5} {d.deposit_orders:>9} "
                     f"{d.deposit_units:>7} {d.balance_orders:>9} {d.balance_units:>7} "
                     f"{pct(d.conversion):>7} {c.refunded:>9} {c.cancelled:>9}  {c.name}")
    t = report.total
    lines.append(f"{'Total':<20} {t.deposit_orders:>9} {t.deposit_units:>7} "
                 f"{t.balance_orders:>9} {t.balance_units:>7} {pct(t.conversion):>7}")
    if report.days:
        lines.append("")
        lines.append(f"{'China day':<12} {'Deposits':>9} {'Units':>7} {'Balances':>9} "
                     f"{'Units':>7} {'Conv.':>7}")
        for day, d in report.days.items():
            lines.append(f"{day.isoformat():<12} {d.deposit_orders:>9} {d.deposit_units:>7} "
                         f"{d.balance_orders:>9} {d.balance_units:>7} {pct(d.conversion):>7}")
    lines.append("")
    lines.append("Units: of the campaign's SKU. Balances: paid on the day / in the period. "
                 "Conv.: of the deposits, the share whose balance is paid by now.")
    if written:
        lines.append("")
        lines.append(f"Workbook written: {written}")
    print("\n".join(safe_for_terminal(line) for line in lines))
    return 0


def replica_text(lag: Any) -> str:
    """How far the read replica is behind, for a terminal (`app.store.db.ReplicaLag`)."""
    if not lag.reachable:
        return f"not answering ({lag.error}): reads go to the primary"
    if not lag.replica:
        return "[central] read_url is not a standby: reads go there all the same"
    said = ("behind by an unknown time" if lag.seconds is None
            else f"{lag.seconds:.1f} s behind")
    return said + f", {lag.bytes or 0:,} bytes of WAL to replay" + \
        (" (replay paused)" if lag.paused else "")


def _dashboard_text(d: Any) -> str:
    """The dashboard for a terminal: China time, one screen."""
    from app.domain.china_time import in_china

    def clock(moment: Any) -> str:
        return in_china(moment).strftime("%m-%d %H:%M") if moment is not None else "—"

    b, f, t, st, h = d.backlog, d.forecast, d.throughput, d.staffing, d.health
    header = (f"Packline dashboard  {clock(d.at)}  shift {f.shift} "
              f"{clock(f.shift_starts_at)}–{clock(f.shift_ends_at)}")
    if d.backlog_at is not None and d.backlog_at != d.at:
        header += f"  (orders counted at {in_china(d.backlog_at).strftime('%H:%M:%S')})"
    lines = [header]
    if d.replica is not None:
        lines.append(f"Read replica  {replica_text(d.replica)}")
    lines.append("")
    lines.append(f"Backlog  {b.workable} to pick and pack · {b.packed} packed · "
                 f"{b.blocked} blocked · {b.awaiting_balance} awaiting balance · "
                 f"{b.unrouted} without carrier")
    lines.append("  by band   " + "  ".join(f"{k} {v}" for k, v in b.by_band.items()))
    lines.append("  by status " + "  ".join(f"{k} {v}" for k, v in b.by_status.items() if v))
    for c in b.carriers:
        miss = f"{c.miss_low}" if c.miss_low == c.miss_high else f"{c.miss_low}–{c.miss_high}"
        lines.append(f"  {c.code:<6} cut-off {clock(c.cutoff)[-5:] if c.cutoff else '—':>5}  "
                     f"{c.orders:>8} to pack {c.packed:>7} packed  will miss {miss}")
    lines.append("")
    lines.append(f"Throughput today  picked {t.picked}  packed {t.packed}  shipped {t.shipped}"
                 f"   (last week by now: {t.last_week_picked} / {t.last_week_packed} / "
                 f"{t.last_week_shipped})")
    busy = [hr for hr in t.hours if hr.picked or hr.packed or hr.shipped
            or hr.last_week_packed]
    for hr in busy:
        lines.append(f"  {clock(hr.starts_at)[-5:]}  pick {hr.picked:>6}  pack {hr.packed:>6}"
                     f"  ship {hr.shipped:>6}   last week pack {hr.last_week_packed:>6}")
    lines.append("")
    lines.append(f"Forecast  packing {f.pack_rate.hour:.0f}/h last hour, "
                 f"{f.pack_rate.shift:.0f}/h this shift")
    lines.append(f"  backlog clears {clock(f.clear.earliest)} – {clock(f.clear.latest)}"
                 + ("" if f.clear.latest else "  (not at the slower rate)"))
    lines.append(f"  at risk of missing the promised ship time: {f.at_risk_low}–"
                 f"{f.at_risk_high} · already overdue {f.overdue}")
    for day in f.days:
        lines.append(f"  {day.day}  in {day.carried_in:>8} + {day.arriving:>7} arriving  "
                     f"ships {day.shipped:>8}  left {day.left:>8}")
    lines.append("")
    lines.append(f"Staffing (reserve {d.plan.reserve:.0%}, shift {st.shift_hours:g} h)")
    for line in st.lines:
        need = "?" if line.needed is None else str(line.needed)
        lines.append(f"  {line.role:<7} needs {need:>4} for {line.orders} orders at "
                     f"{line.per_person_per_shift:.0f} a person a shift · here "
                     f"{line.on_floor}")
    p = st.peak
    if p.normal_daily:
        lines.append(f"  11.11: {p.normal_daily} × {p.growth:g} × {p.conversion:g} = "
                     f"{p.volume} orders → packers {p.packers}, pickers {p.pickers}")
    lines.append("")
    lines.append("People today")
    for person in d.people[:15]:
        each = (f"  {person.seconds_per_order:.0f} s an order"
                if person.seconds_per_order is not None else "")
        lines.append(f"  {person.code:<10} {person.kind:<4} {person.orders:>6} orders "
                     f"{person.units:>7} units  {person.orders_per_hour:6.1f}/h "
                     f"{person.units_per_hour:7.1f} units/h{each}")
    e = d.exceptions
    lines.append("")
    lines.append("Exceptions  " + "  ".join(f"level {k}: {v}" for k, v in e.levels.items())
                 + f"  oldest {clock(e.oldest_at)}")
    for c in d.campaigns:
        if c.near:
            lines.append(f"Presale near capacity  {c.code} {c.reserved}/{c.capacity}")
    lines.append(f"Stations  {h.stations_online} online, {h.stations_offline} offline")
    for s in h.stations:
        if s.online and not s.outbox_pending:
            continue
        lines.append(f"  {s.code:<16} {'online' if s.online else 'OFFLINE'}  "
                     f"{s.outbox_pending} waiting, {s.outbox_lag_s:.0f} s behind")
    for pr in h.printers:
        if pr.state != "ok":
            lines.append(f"  printer {pr.station}/{pr.role} {pr.name}: {pr.state}")
    for pool in h.pools:
        if pool.low:
            lines.append(f"  tracking numbers low: {pool.carrier} {pool.free} free")
    return "\n".join(lines)


def cmd_orders_show(cfg: Config, args: argparse.Namespace) -> int:
    from app.domain.text import safe_for_terminal
    from app.services import orders
    from app.services.context import system_actor

    db = _database(cfg)
    detail = orders.order_detail(db, system_actor(), args.order)
    if args.json:
        _print_json(detail)
    else:
        r = detail["receiver"]
        print(safe_for_terminal(f"{detail['order_no']}  {detail['channel']}:"
                                f"{detail['channel_order_no']}  {detail['status']}"))
        print(safe_for_terminal(f"  {r['name']} {r['phone']}  {r['province']}{r['city']}"
                                f"{r['district']}{r['address']}"))
        if r["encrypted"]:
            # The masks above are what the platform shows; it prints the real receiver.
            oaid = f", OAID {r['oaid_end']}" if r["oaid_end"] else ""
            print(f"  encrypted receiver (platform){oaid}")
        for line in detail["lines"]:
            print(safe_for_terminal(f"  {line['line']}. {line['sku']} × {line['qty']}  "
                                    f"{line['name'] or ''}"))
        print(f"  amount {detail['amount']}")
        for p in detail["payments"]:
            print(f"  payment {p['kind']} {p['amount']}  {p['status']}  {p['paid_at'] or ''}")
        for box in detail["packages"]:
            weight = f"  {box['weight_g']} g" if box["weight_g"] is not None else ""
            print(f"  box {box['box']}  {box['tracking_no'] or '-'}  {box['carrier'] or ''}  "
                  f"{box['status']}{weight}")
        for c in detail["shipments"]:
            error = f"  {c['last_error']}" if c["last_error"] else ""
            print(safe_for_terminal(
                f"  shipment confirmation {c['id']}  {c['channel_order_no']} "
                f"{c['tracking_no']}  {c['status']}  attempts {c['attempts']}{error}"))
        for h in detail["history"]:
            print(f"  {h['at']}  {h['actor']}  {h['action']}  {h['before']} → {h['after']}")
    return 0


def cmd_shipments_list(cfg: Config, args: argparse.Namespace) -> int:
    from app.domain.text import safe_for_terminal
    from app.services import shipments
    from app.services.context import system_actor

    rows = shipments.list_confirmations(_database(cfg), system_actor(), status=args.status,
                                        limit=args.limit)
    if args.json:
        _print_json([r.as_json() for r in rows])
        return 0
    for r in rows:
        error = f"  {r.last_error}" if r.last_error else ""
        print(safe_for_terminal(f"{r.id}  {r.order_no}  {r.channel}:{r.channel_order_no}  "
                                f"{r.tracking_no}  {r.status}  attempts {r.attempts}{error}"))
    return 0


def cmd_shipments_retry(cfg: Config, args: argparse.Namespace) -> int:
    from app.services import shipments

    db = _database(cfg)
    row = shipments.retry(db, _actor(cfg, args, db, Permission.RESOLVE_EXCEPTIONS), args.id)
    _print_json(row.as_json())
    return 0


def cmd_orders_event(cfg: Config, args: argparse.Namespace) -> int:
    from app.services import channel_events

    channel, sep, number = args.order.partition(":")
    if not sep or not channel or not number:
        raise ValueError("name the order as CHANNEL:CHANNEL_ORDER_NO")
    try:
        payload = json.loads(args.payload) if args.payload else {}
    except json.JSONDecodeError as exc:
        raise ValueError(f"--payload is not JSON: {exc.msg}") from None
    if not isinstance(payload, dict):
        raise ValueError("--payload must be a JSON object")
    db = _database(cfg)
    result = channel_events.apply_event(db, _actor(cfg, args, db, Permission.IMPORT_ORDERS),
                                        channel, number, args.type, args.key, payload)
    _print_json(result.as_json())
    return 0


def cmd_simulate(cfg: Config, args: argparse.Namespace) -> int:
    from app.services import simulate

    db = _database(cfg)
    if args.presale:
        return _simulate_presale(db, _actor(cfg, args, db, Permission.IMPORT_ORDERS), args)
    report = simulate.run(db, _actor(cfg, args, db, Permission.IMPORT_ORDERS),
                          rate=args.rate or 0, duration=args.duration or 0, seed=args.seed,
                          events=not args.no_events, encrypted=args.encrypted)
    _print_json(report.as_json())
    return 0


def _simulate_presale(db: Any, actor: Actor, args: argparse.Namespace) -> int:
    from app.services import presale_scenario

    figures = presale_scenario.run(db, actor, orders=args.orders, seed=args.seed).as_json()
    if args.json:
        _print_json(figures)
        return 0
    ms, scan = figures["paid_to_handover_ms"], figures["paid_to_scan_ms"]
    first, last = figures["ledger"][0], figures["ledger"][-1]
    print(f"{figures['campaign']}: {figures['orders']} deposit orders on {figures['sku']}, "
          f"pre-packed in {figures['waves']} waves ({figures['packed']} parcels)")
    print(f"  balance paid → handed over (scanned, handover closed, order shipped; the "
          f"software's part): median {ms['median']} ms, p99 {ms['p99']} ms, max "
          f"{ms['max']} ms; to the scan alone median {scan['median']} ms")
    print("  (the channel's pull interval, until the payment reaches Packline, comes on top)")
    print(f"  paid and shipped {figures['shipped']}, refunded {figures['refunded']}, never "
          f"paid {figures['never_paid']}; unpacked {figures['unpacked']}, units put back "
          f"{figures['units_put_back']}; unpaid parcels refused at the dock "
          f"{figures['refused_unpaid_scans']}")
    for row in figures["ledger"]:
        print(f"  {row['step']:<26} on hand {row['on_hand']:>6}  presale held "
              f"{row['presale_held']:>5}  spot {row['spot_reserved']:>4}  free "
              f"{row['free']:>5}  pool {row['pool_promised']:>5}  put back "
              f"{row['putback_open']:>4}  waiting {row['packed_waiting']:>5}")
    print(f"  ledger before: on hand {first['on_hand']}; after: on hand {last['on_hand']} "
          f"(= before − {first['on_hand'] - last['on_hand']} shipped); "
          f"{figures['seconds']} s in all")
    return 0


def cmd_engine_run(cfg: Config, args: argparse.Namespace) -> int:
    import signal

    from app.services import engine

    db = _database(cfg)
    actor = _actor(cfg, args, db, Permission.RUN_ENGINE)
    if args.once:
        _print_json(engine.run_once(db, actor, batch=args.batch).as_json())
        return 0
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    print("packline: engine running; Ctrl-C or SIGTERM stops it", file=sys.stderr)
    engine.run_forever(db, actor, interval=args.interval, stop=lambda: bool(stopping),
                       pull_every=cfg.settings.channels.pull_every,
                       confirm_per_second=cfg.settings.channels.confirm_per_second)
    return 0


def _manager(cfg: Config, args: argparse.Namespace) -> tuple[Any, Actor]:
    db = _database(cfg)
    return db, _actor(cfg, args, db, Permission.MANAGE_USERS)


def _new_secret(args: argparse.Namespace, flag: str, what: str) -> str:
    """A new password or PIN: the next line of standard input with its --…-stdin option, else
    typed twice at the terminal."""
    if getattr(args, flag.replace("-", "_"), False):
        return _STDIN.line(what)
    if identity.interactive():
        return identity.ask_secret(f"{what}: ", twice=True)
    raise ValueError(f"give the {what} with --{flag} or run the command in a terminal")


def _stamp(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def cmd_users_bootstrap(cfg: Config, args: argparse.Namespace) -> int:
    """The first admin of an empty installation; nobody to log in as yet, so none asked."""
    from app.services import auth

    db = _database(cfg)
    password = _STDIN.line("password") if args.password_stdin else \
        identity.ask_secret(f"New password for {args.user}: ", twice=True) \
        if identity.interactive() else None
    if password is None:
        raise ValueError("give the first admin's password with --password-stdin or run the "
                         "command in a terminal")
    actor = auth.bootstrap(db, args.user, args.name or args.user, password,
                           cfg.settings.station.code)
    _print_json({"code": actor.code, "name": actor.name, "role": actor.role.value})
    return 0


def cmd_users_list(cfg: Config, args: argparse.Namespace) -> int:
    from app.services import auth

    db, actor = _manager(cfg, args)
    for u in auth.list_users(db, actor):
        _print_line({"code": u.code, "name": u.name, "role": u.role.value, "kind": u.kind,
                     "active": u.active, "badge": u.has_badge,
                     "badge_issued_at": _stamp(u.badge_issued_at), "pin": u.has_pin,
                     "token": u.has_token, "locked_until": _stamp(u.locked_until),
                     "failures": u.failures, "last_login_at": _stamp(u.last_login_at)})
    return 0


def cmd_users_add(cfg: Config, args: argparse.Namespace) -> int:
    from app.domain.roles import parse_role
    from app.services import auth

    role = parse_role(args.role)
    db, actor = _manager(cfg, args)
    password = _new_secret(args, "new-password-stdin", f"new password for {args.code}")
    pin = _STDIN.line("PIN") if args.pin_stdin else None
    user_id = auth.create_user(db, actor, auth.NewUser(
        code=args.code, name=args.name, role=role, password=password, pin=pin))
    _print_json({"id": user_id, "code": auth.normalize_code(args.code), "role": role.value})
    return 0


def cmd_users_active(cfg: Config, args: argparse.Namespace) -> int:
    from app.services import auth

    db, actor = _manager(cfg, args)
    active = args.users_command == "activate"
    auth.set_active(db, actor, args.code, active)
    _print_json({"code": auth.normalize_code(args.code), "active": active})
    return 0


def cmd_users_role(cfg: Config, args: argparse.Namespace) -> int:
    from app.domain.roles import parse_role
    from app.services import auth

    role = parse_role(args.role)
    db, actor = _manager(cfg, args)
    auth.change_role(db, actor, args.code, role)
    _print_json({"code": auth.normalize_code(args.code), "role": role.value})
    return 0


def cmd_users_reset_password(cfg: Config, args: argparse.Namespace) -> int:
    from app.services import auth

    db, actor = _manager(cfg, args)
    password = _new_secret(args, "new-password-stdin", f"new password for {args.code}")
    auth.reset_password(db, actor, args.code, password)
    _print_json({"code": auth.normalize_code(args.code), "password": "reset"})
    return 0


def cmd_users_pin(cfg: Config, args: argparse.Namespace) -> int:
    from app.services import auth

    db, actor = _manager(cfg, args)
    pin = None if args.clear else _new_secret(args, "pin-stdin", f"PIN for {args.code}")
    auth.set_pin(db, actor, args.code, pin)
    _print_json({"code": auth.normalize_code(args.code), "pin": pin is not None})
    return 0


def cmd_users_badge(cfg: Config, args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from app.services import auth
    from app.store.models import User

    db, actor = _manager(cfg, args)
    code = auth.normalize_code(args.code)
    if args.badge_command == "revoke":
        auth.revoke_badge(db, actor, code)
        _print_json({"code": code, "badge": False})
        return 0
    if not args.card:
        badge = auth.issue_badge(db, actor, code)
        # Shown once: only its hash is kept.
        print(badge)
        print(f"packline: badge of {code} shown once; print it now", file=sys.stderr)
        return 0
    from app.services import badge_cards

    card = Path(args.card)
    with db.reader() as s:
        name = s.scalar(select(User.name).where(User.code == code)) or code
    badge_cards.issue_to_file(db, actor, code, name, card)
    _print_json({"code": code, "badge": True, "card": str(card)})
    return 0


def cmd_users_service_add(cfg: Config, args: argparse.Namespace) -> int:
    from app.domain.roles import parse_role
    from app.services import auth

    role = parse_role(args.role)
    db, actor = _manager(cfg, args)
    token = auth.create_service_account(db, actor, args.code, args.name, role)
    print(token)
    print(f"packline: token of {auth.normalize_code(args.code)} shown once; keep it where the "
          f"job reads PACKLINE_TOKEN", file=sys.stderr)
    return 0


def cmd_users_token(cfg: Config, args: argparse.Namespace) -> int:
    from app.services import auth

    db, actor = _manager(cfg, args)
    code = auth.normalize_code(args.code)
    if args.token_command == "revoke":
        auth.revoke_token(db, actor, code)
        _print_json({"code": code, "token": False})
        return 0
    print(auth.issue_token(db, actor, code))
    print(f"packline: token of {code} shown once; the previous one no longer works",
          file=sys.stderr)
    return 0


def cmd_users_unlock(cfg: Config, args: argparse.Namespace) -> int:
    from app.services import auth

    db, actor = _manager(cfg, args)
    scope = "station" if args.station else "user"
    lifted = auth.unlock(db, actor, args.code, scope=scope)
    _print_json({scope: args.code, "unlocked": lifted})
    return 0


def cmd_devices_list(cfg: Config, args: argparse.Namespace) -> int:
    """Serial ports seen now and the devices configured, one JSON object per line."""
    from app import devices
    from drivers.ports import list_devices

    for port in list_devices():
        _print_line({"type": "port", **port})
    for spec in devices.load_specs(cfg.settings):
        _print_line({"type": "device", "name": spec.name, "kind": spec.kind, "url": spec.url,
                     "options": spec.options})
    return 0


def scan_json(device: str, scan: Any) -> dict[str, Any]:
    from app.domain.access import masked

    # A badge scanned while IT watches the scanner is a secret: shown as "USR-••••".
    return {"type": "scan", "device": device, "kind": scan.kind.value,
            "value": masked(scan.value), "text": masked(scan.text), "symbology": scan.symbology, "gtin": scan.gtin,
            "batch": scan.batch, "expiry": scan.expiry.isoformat() if scan.expiry else None,
            "serial": scan.serial, "sscc": scan.sscc,
            "command": scan.command.value if scan.command else None,
            "error": scan.error.value if scan.error else None}


def cmd_devices_listen(cfg: Config, args: argparse.Namespace) -> int:
    """Print every parsed scan and every settled weight as one JSON line until Ctrl-C,
    SIGTERM, `--count` events or `--seconds`: the devices named on the command line, run by
    the station's device service with the station's barcode settings."""
    import queue
    import signal

    from app import devices
    from app.station.devices import DeviceService, DeviceState, Listener, Scanned, Weighed

    if not args.scanner and not args.scale:
        raise ValueError("name a --scanner URL, a --scale URL, or both")
    specs = [devices.parse_spec(kind, {"kind": kind, "url": url})
             for kind, url in (("scanner", args.scanner), ("scale", args.scale)) if url]
    events: queue.Queue[dict[str, Any]] = queue.Queue()

    def status(s: DeviceState) -> None:
        events.put({"type": "status", "device": s.name, "status": s.status.value,
                    "reason": s.reason.value if s.reason else None})

    def weight(w: Weighed) -> None:
        events.put({"type": "weight", "device": w.device, "grams": w.weight.grams,
                    "stable": w.weight.stable})

    def scan(e: Scanned) -> None:
        events.put(scan_json(e.device, e.scan))

    service = DeviceService(cfg.settings, devices=specs, watch_ports=False, strict=True)
    service.subscribe(Listener(on_status=status, on_scan=scan, on_weight=weight))
    stopping: list[bool] = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    deadline = time.monotonic() + args.seconds if args.seconds else None
    shown = 0
    service.start()
    try:
        while not stopping and (deadline is None or time.monotonic() < deadline):
            try:
                event = events.get(timeout=0.1)
            except queue.Empty:
                continue
            if event["type"] == "status" and not args.status:
                continue
            _print_line(event)
            if event["type"] != "status":
                shown += 1
                if args.count and shown >= args.count:
                    break
    finally:
        service.stop()
    return 0


def cmd_label_render(cfg: Config, args: argparse.Namespace) -> int:
    """The waybill of an order's box rendered to a file, in any printer language."""
    from app.printing.render import render
    from app.secure_files import write_private
    from app.services import waybills

    db = _database(cfg)
    doc = waybills.waybill_for(db, _actor(cfg, args, db, Permission.PACK), args.order,
                               box=args.box, boxes=args.boxes, reason=args.reason)
    data = render(doc, args.format, paper=args.size, dpi=args.dpi, cjk=args.cjk)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_private(out, data)  # a receiver's name, phone and address
    print(f"{doc.tracking_no} ({doc.carrier_code}) → {out} ({len(data)} bytes)", file=sys.stderr)
    return 0


def _runtime(cfg: Config, *, central: bool = False) -> Any:
    from app.station.runtime import StationRuntime

    if not central:
        return StationRuntime(cfg)
    from app.services.central_link import DatabaseLink

    db = _database(cfg)
    return StationRuntime(cfg, db, link=DatabaseLink(db))


def _wait_printed(runtime: Any, job_id: str, timeout: float) -> Any:
    from app.station.models import PrintJob

    deadline = time.monotonic() + timeout
    while True:
        with runtime.store.reader() as s:
            job = s.get(PrintJob, job_id)
            assert job is not None
            s.expunge(job)
        if job.status in ("sent", "cancelled", "failed") or time.monotonic() > deadline:
            return job
        time.sleep(0.05)


def cmd_print_test(cfg: Config, args: argparse.Namespace) -> int:
    """A test page to a configured printer, through the real queue (with its failover)."""
    from app.station import print_queue as printing

    runtime = _runtime(cfg)
    if args.printer not in runtime.printers:
        runtime.store.dispose()
        raise ValueError(f"no printer named {args.printer!r}; configured: "
                         f"{', '.join(runtime.printers)}")
    try:
        actor = _actor(cfg, args, _database(cfg), Permission.VIEW_ORDERS)
    except BaseException:
        runtime.store.dispose()
        raise
    queued = printing.test_page(runtime.store, actor, runtime.printers[args.printer],
                                runtime.code)
    runtime.start()
    try:
        job = _wait_printed(runtime, queued.job_id, args.timeout)
    finally:
        runtime.stop()
    _print_json({"job": job.id, "printer": job.printer, "moved_from": job.moved_from,
                 "status": job.status, "attempts": job.attempts, "last_error": job.last_error})
    return 0 if job.status == "sent" else 1


def cmd_print_queue(cfg: Config, args: argparse.Namespace) -> int:
    from app.station import print_queue as printing

    runtime = _runtime(cfg)
    try:
        for j in printing.list_jobs(runtime.store, status=args.status, limit=args.limit):
            _print_line({"job": j.id, "created_at": j.created_at.isoformat(), "kind": j.kind,
                         "ref": j.ref, "printer": j.printer, "moved_from": j.moved_from,
                         "status": j.status, "attempts": j.attempts, "resends": j.resends,
                         "reprint_of": j.reprint_of, "reason": j.reason,
                         "last_error": j.last_error})
    finally:
        runtime.store.dispose()
    return 0


def cmd_print_reprint(cfg: Config, args: argparse.Namespace) -> int:
    from app.station import print_queue as printing

    runtime = _runtime(cfg, central=True)
    try:
        actor = _actor(cfg, args, runtime.central, Permission.REPRINT)
        queued = printing.reprint(runtime.store, actor, args.job, args.reason)
    except BaseException:
        runtime.store.dispose()
        raise
    runtime.start()
    try:
        job = _wait_printed(runtime, queued.job_id, args.timeout)
        try:
            runtime.push_outbox()
        except Exception as exc:  # noqa: BLE001 - the audit waits in the outbox
            print(f"packline: audit kept for later: {scrub(str(exc))}", file=sys.stderr)
    finally:
        runtime.stop()
    _print_json({"job": job.id, "reprint_of": args.job, "printer": job.printer,
                 "status": job.status})
    return 0 if job.status == "sent" else 1


def _wave_options(args: argparse.Namespace) -> dict[str, Any]:
    return {"carrier": args.carrier, "zone": args.zone, "max_orders": args.max_orders,
            "max_cells": args.max_cells, "max_lines": args.max_lines,
            "max_units": args.max_units, "mix_bands": args.mix_bands,
            "urgent_hours": args.urgent_hours, "hot_threshold": args.hot_threshold}


def cmd_waves_plan(cfg: Config, args: argparse.Namespace) -> int:
    """Preview: the waves a release would form, nothing changed."""
    from app.services import waves
    from app.services.context import system_actor

    db = _database(cfg)
    plan = waves.plan(db, system_actor(), args.warehouse, args.strategy, **_wave_options(args))
    rows = [{"wave": n, "band": w.band, "carrier_id": w.carrier_id, "orders": len(w.order_ids),
             "lines": w.lines, "units": w.units, "bins": w.bins_to_visit,
             "distance_m": round(w.distance_m, 1), "pick_minutes": round(w.pick_seconds / 60, 1)}
            for n, w in enumerate(plan.waves, 1)]
    if args.json:
        _print_json({**plan.summary(), "preview": rows})
        return 0
    print(f"{plan.warehouse} {plan.strategy}: {plan.considered} routed orders, "
          f"{len(rows)} waves")
    for r in rows:
        print(f"  #{r['wave']:<4} {r['band']:9} orders {r['orders']:4}  lines {r['lines']:5}  "
              f"units {r['units']:5}  bins {r['bins']:4}  {r['distance_m']:7.1f} m  "
              f"{r['pick_minutes']:5.1f} min")
    return 0


def cmd_waves_release(cfg: Config, args: argparse.Namespace) -> int:
    from app.services import waves

    db = _database(cfg)
    released = waves.release(db, _actor(cfg, args, db, Permission.RELEASE_WAVES),
                             args.warehouse, args.strategy, max_waves=args.waves,
                             **_wave_options(args))
    _print_json([{"wave_no": r.wave_no, "orders": r.orders, "lines": r.lines,
                  "units": r.units, "tasks": r.tasks, "left_out": r.skipped_orders}
                 for r in released])
    return 0


def cmd_waves_list(cfg: Config, args: argparse.Namespace) -> int:
    from app.services import waves
    from app.services.context import system_actor

    db = _database(cfg)
    for w in waves.list_waves(db, system_actor(), warehouse=args.warehouse,
                              status=args.status):
        _print_line({**w, "released_at": w["released_at"].isoformat()})
    return 0


def cmd_waves_cancel(cfg: Config, args: argparse.Namespace) -> int:
    from app.services import waves

    db = _database(cfg)
    n = waves.cancel(db, _actor(cfg, args, db, Permission.RELEASE_WAVES), args.wave,
                     args.reason)
    _print_json({"wave_no": args.wave.upper(), "orders_back_in_queue": n})
    return 0


def _day(text: str) -> Any:
    from datetime import date

    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: a date is YYYY-MM-DD") from None


def _count(text: str) -> int:
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(f"{text!r}: a whole number, 0 or more")
    return int(text)


def cmd_presale_suppliers(cfg: Config, args: argparse.Namespace) -> int:
    """`suppliers`: every supplier (JSON lines); `suppliers add CODE NAME [--phone]`: add or
    change one; `suppliers set CAMPAIGN MAIN [BACKUP]`: a campaign's supplier and backup."""
    from app.services import supply
    from app.services.context import system_actor

    db = _database(cfg)
    words = list(args.words)
    if not args.action:
        for view in supply.list_suppliers(db, system_actor()):
            _print_line(view.as_json())
        return 0
    if args.action == "add":
        if len(words) != 2:
            raise ValueError("suppliers add CODE NAME [--phone PHONE]")
        view = supply.save_supplier(db, _actor(cfg, args, db, Permission.EDIT_RULES),
                                    words[0], words[1], phone=args.phone)
        _print_json(view.as_json())
        return 0
    if len(words) not in (2, 3):
        raise ValueError("suppliers set CAMPAIGN SUPPLIER [BACKUP]")
    supply.set_campaign_suppliers(db, _actor(cfg, args, db, Permission.EDIT_RULES), words[0],
                                  words[1], words[2] if len(words) == 3 else None)
    _print_json({"campaign": words[0].upper(), "supplier": words[1].upper(),
                 "backup_supplier": words[2].upper() if len(words) == 3 else None})
    return 0


def cmd_presale_supply(cfg: Config, args: argparse.Namespace) -> int:
    from app.services import supply

    db = _database(cfg)
    view = supply.record_delivery(
        db, _actor(cfg, args, db, Permission.IMPORT_ORDERS), args.campaign, args.supplier,
        args.due, args.qty, in_transit=args.in_transit, arrived=args.arrived,
        expected_on=args.expected, note=args.note, cancelled=args.cancel)
    _print_json(view.as_json())
    return 0


def cmd_presale_supply_import(cfg: Config, args: argparse.Namespace) -> int:
    """Exit 0: every delivery stored; 2: the file refused (each bad row said, in the
    station's language and in English), nothing stored."""
    from app.domain.text import safe_for_terminal
    from app.services import supply
    from app.ui.messages import words_in

    db = _database(cfg)
    actor = _actor(cfg, args, db, Permission.IMPORT_ORDERS)
    words = words_in(cfg.settings.ui.language)
    try:
        report = supply.import_deliveries(db, actor, Path(args.file))
    except supply.SupplyFileRefused as refused:
        for line in _both(words, refused.code, **refused.params):
            print(f"packline: {safe_for_terminal(line)}", file=sys.stderr)
        for problem in refused.problems:
            for line in _both(words, problem.code, **problem.params):
                print(f"  {safe_for_terminal(line)}", file=sys.stderr)
        return 2
    _print_json(report.as_json())
    return 0


def cmd_presale_board(cfg: Config, args: argparse.Namespace) -> int:
    from app.services import supply
    from app.services.context import system_actor

    db = _database(cfg)
    b = supply.board(db, system_actor(), args.campaign, today=args.today,
                     threshold_units=args.threshold_units,
                     **({"ratio": args.ratio} if args.ratio is not None else {}))
    if args.json:
        _print_json(b.as_json())
        return 0
    main = f"{b.supplier.code} {b.supplier.name}" if b.supplier else "-"
    backup = f"{b.backup.code} {b.backup.name}" if b.backup else "-"
    print(f"{b.campaign} {b.name} ({b.stock_mode}): supplier {main}, backup {backup}")
    print("  day          deposits balances  confirmed expected in-transit arrived   "
          "cum-demand cum-supply   gap")
    for r in b.board.days:
        print(f"  {r.day.isoformat()}  {r.deposits:8} {r.balances:8}  {r.confirmed:9} "
              f"{r.expected:8} {r.in_transit:10} {r.arrived:7}   {r.cum_demand:10} "
              f"{r.cum_supply:10} {r.gap:5}")
    print(f"  demand {b.board.total_demand}, supply {b.board.total_supply}, worst gap "
          f"{b.board.max_gap} (threshold {b.board.threshold})")
    for g in b.board.suggestions:
        print(f"  suggest {g.action}: {g.qty} units from {g.supplier or '-'}"
              f" by {g.by_day.isoformat() if g.by_day else '-'}")
    for p in b.board.slips:
        print(f"  slip: {p.supplier} due {p.due_on} expected {p.expected_on}: {p.hours:g} h, "
              f"level {p.level} ({p.action})")
    pr = b.promises
    print(f"  promises: {pr.covered} of {pr.open_orders} open orders covered, {pr.late} late, "
          f"from {pr.earliest or '-'} to {pr.latest or '-'}")
    return 0


def cmd_presale_slips(cfg: Config, args: argparse.Namespace) -> int:
    """The slipped deliveries (JSON lines); with --raise, raise them in the exception queue
    (as `packline engine run` does every minute)."""
    from sqlalchemy import select

    from app.services import supply
    from app.services.context import system_actor
    from app.store.models import PresaleCampaign, PresaleSupply

    db = _database(cfg)
    if args.raise_them:
        report = supply.raise_slips(db, _actor(cfg, args, db, Permission.RESOLVE_EXCEPTIONS),
                                    args.campaign)
        _print_json(report.as_json())
        return 0
    if args.campaign:
        codes = [args.campaign]
    else:
        with db.reader() as s:
            codes = list(s.scalars(select(PresaleCampaign.code).where(
                PresaleCampaign.id.in_(select(PresaleSupply.campaign_id)))
                .order_by(PresaleCampaign.code)))
    for code in codes:
        for d in supply.board(db, system_actor(), code).deliveries:
            if d.slip_hours > 0:
                _print_line(d.as_json())
    return 0


def cmd_presale_promises(cfg: Config, args: argparse.Namespace) -> int:
    """Recompute the campaign's promises (orders.change_status), then --export them; with
    --no-recompute, export them as they are stored (orders.view: a read)."""
    from app.services import supply

    if args.no_recompute and not args.export:
        raise ValueError("--no-recompute exports the promises as stored: give --export FILE")
    db = _database(cfg)
    if args.no_recompute:
        actor = _actor(cfg, args, db, Permission.VIEW_ORDERS)
        n = supply.export_promises(db, actor, args.campaign, Path(args.export),
                                   language=cfg.settings.ui.language)
        _print_json({"campaign": args.campaign.strip().upper(), "recomputed": False,
                     "exported": n, "file": str(args.export)})
        return 0
    actor = _actor(cfg, args, db, Permission.CHANGE_ORDER_STATUS)
    run = supply.promises(db, actor, args.campaign)
    out: dict[str, Any] = {**run.as_json(), "recomputed": True}
    if args.export:
        out["exported"] = supply.export_promises(db, actor, args.campaign, Path(args.export),
                                                 language=cfg.settings.ui.language)
        out["file"] = str(args.export)
    _print_json(out)
    return 0


def cmd_presale_compensations(cfg: Config, args: argparse.Namespace) -> int:
    from app.services import supply
    from app.services.context import system_actor

    db = _database(cfg)
    if args.export:
        n = supply.export_compensations(
            db, _actor(cfg, args, db, Permission.RESOLVE_EXCEPTIONS), Path(args.export),
            args.campaign, language=cfg.settings.ui.language, everything=args.all)
        _print_json({"exported": n, "file": str(args.export)})
        return 0
    for row in supply.compensations(db, system_actor(), args.campaign):
        _print_line(row.as_json())
    return 0


def _parcel_lines(parcels: list[Any], when: str) -> None:
    from app.domain.text import safe_for_terminal

    for p in parcels:
        at = getattr(p, when)
        print(safe_for_terminal(
            f"{p.order_no}  {p.campaign}  {p.carrier} {p.tracking_no}  {p.warehouse}  "
            f"{at.isoformat(timespec='seconds') if at else '-'}"
            + (f"  intercepted ({p.intercept})" if p.intercept else "")))
    print(f"{len(parcels)} parcels")


def cmd_presale_prepack_wave(cfg: Config, args: argparse.Namespace) -> int:
    from app.services import presale

    db = _database(cfg)
    released = presale.prepack_wave(db, _actor(cfg, args, db, Permission.RELEASE_WAVES),
                                    args.campaign, args.warehouse, max_orders=args.max_orders)
    rows = [{"wave_no": r.wave_no, "orders": r.orders, "units": r.units, "tasks": r.tasks,
             "left_out": r.skipped_orders} for r in released]
    if args.json:
        _print_json(rows)
    else:
        for r in rows:
            print(f"{r['wave_no']}  {r['orders']} orders  {r['units']} units  "
                  f"{r['tasks']} pick tasks")
        print(f"{len(rows)} pre-pack waves released")
    return 0


def _presale_parcels(cfg: Config, args: argparse.Namespace, paid: bool) -> int:
    """`presale ready` (balance paid: to the dock) or `presale waiting` (on the shelf)."""
    from app.services import presale
    from app.services.context import system_actor

    listed = presale.ready_to_ship if paid else presale.awaiting_balance_parcels
    parcels = listed(_database(cfg), system_actor(), args.campaign)
    if args.json:
        _print_json([p.as_json() for p in parcels])
    else:
        _parcel_lines(parcels, "balance_paid_at" if paid else "packed_at")
    return 0


def cmd_presale_ready(cfg: Config, args: argparse.Namespace) -> int:
    return _presale_parcels(cfg, args, paid=True)


def cmd_presale_waiting(cfg: Config, args: argparse.Namespace) -> int:
    return _presale_parcels(cfg, args, paid=False)


def cmd_presale_unpack(cfg: Config, args: argparse.Namespace) -> int:
    from app.services import presale

    db = _database(cfg)
    done = presale.unpack(db, _actor(cfg, args, db, Permission.RESOLVE_EXCEPTIONS), args.order)
    if args.json:
        _print_json(done.as_json())
    else:
        print(f"{done.order_no} unpacked: {done.units} units to put back "
              f"({len(done.putbacks)} put-back tasks), {done.parcels_voided} parcels voided")
    return 0


def cmd_presale_close(cfg: Config, args: argparse.Namespace) -> int:
    from app.services import presale

    db = _database(cfg)
    end = presale.close_campaign(db, _actor(cfg, args, db, Permission.CHANGE_ORDER_STATUS),
                                 args.campaign)
    if args.json:
        _print_json(end.as_json())
    else:
        print(f"{end.campaign} closed: {end.kept} kept (balance paid), {end.cancelled} "
              f"cancelled, {end.left_wave} taken out of waves, {end.unpacked} unpacked; "
              f"{end.units_to_put_back} units to put back, {end.units_released} reserved "
              f"units and {end.pool_units_returned} pool units given back")
    return 0


def cmd_presale_stock(cfg: Config, args: argparse.Namespace) -> int:
    from app.services import presale
    from app.services.context import system_actor

    position = presale.stock_position(_database(cfg), system_actor(), args.campaign)
    if args.json:
        _print_json(position.as_json())
        return 0
    book = position.as_json()
    print(f"{position.campaign} ({position.stock_mode})  SKU {position.sku}  pool "
          f"{position.pool_promised}/{position.pool_capacity}")
    print(f"  {'warehouse':<9} {'on hand':>8} {'spot':>6} {'presale':>8} {'free':>6} "
          f"{'put back':>9} {'waiting':>8} {'ready':>6}")
    for w in position.warehouses:
        print(f"  {w.warehouse:<9} {w.on_hand:>8} {w.spot_reserved:>6} {w.presale_held:>8} "
              f"{w.free:>6} {w.putback_open:>9} {w.packed_waiting:>8} {w.packed_ready:>6}")
    print(f"  {'all':<9} {book['on_hand']:>8} {book['spot_reserved']:>6} "
          f"{book['presale_held']:>8} {book['free']:>6} {book['putback_open']:>9} "
          f"{book['packed_waiting']:>8} {book['packed_ready']:>6}")
    return 0


def cmd_presale_mode(cfg: Config, args: argparse.Namespace) -> int:
    from app.services import presale

    db = _database(cfg)
    mode = presale.set_stock_mode(db, _actor(cfg, args, db, Permission.EDIT_RULES),
                                  args.campaign, args.mode)
    if args.json:
        _print_json({"campaign": args.campaign.upper(), "stock_mode": mode})
    else:
        print(f"{args.campaign.upper()}: stock mode {mode}")
    return 0


def cmd_carriers_cutoff(cfg: Config, args: argparse.Namespace) -> int:
    from app.services import reference

    db = _database(cfg)
    value = None if args.time.lower() == "none" else args.time
    cutoff = reference.set_cutoff(db, _actor(cfg, args, db, Permission.EDIT_RULES),
                                  args.carrier, value)
    _print_json({"carrier": args.carrier.upper(), "cutoff": cutoff})
    return 0


def cmd_shops_list(cfg: Config, args: argparse.Namespace) -> int:
    from app.services import shops
    from app.services.context import system_actor

    db = _database(cfg)
    for view in shops.list_shops(db, system_actor()):
        _print_line(view.as_json())
    return 0


def _on_off(value: str | None) -> bool | None:
    if value is None:
        return None
    text = value.strip().lower()
    if text in ("on", "yes", "true", "1"):
        return True
    if text in ("off", "no", "false", "0"):
        return False
    raise ValueError(f"--pull {value!r}: on or off")


def cmd_shops_set(cfg: Config, args: argparse.Namespace) -> int:
    from app.services import shops

    db = _database(cfg)
    actor = _actor(cfg, args, db, Permission.EDIT_RULES)
    providers = (shops.parse_providers(args.waybill_providers)
                 if args.waybill_providers is not None else None)
    view = shops.set_shop(db, actor, args.code, channel=args.channel, name=args.name,
                          platform_shop_id=args.platform_shop_id, api_url=args.api_url,
                          app_key=args.app_key, pull_enabled=_on_off(args.pull),
                          waybill_providers=providers, confirm_on=args.confirm_on)
    _print_json(view.as_json())
    return 0


def cmd_channels_rejects(cfg: Config, args: argparse.Namespace) -> int:
    """The shop's pulled orders intake refused, kept and tried again at every pull: channel
    order number, reason, tries (never the order's record: it may hold ciphertexts)."""
    from app.domain.text import safe_for_terminal
    from app.services import channel_pull

    db = _database(cfg)
    rows = channel_pull.list_rejects(db, _actor(cfg, args, db, Permission.PULL_CHANNELS),
                                     args.shop)
    if args.json:
        _print_json([r.as_json() for r in rows])
        return 0
    for r in rows:
        print(safe_for_terminal(
            f"{r.channel_order_no}  {r.code or '-'}  {r.reason}  tries {r.tries}  "
            f"first {r.first_seen.isoformat(timespec='seconds')}  "
            f"last {r.last_tried.isoformat(timespec='seconds')}"))
    if not rows:
        print(f"shop {args.shop.strip().upper()}: no refused orders kept")
    return 0


def cmd_channels_pull(cfg: Config, args: argparse.Namespace) -> int:
    from app.domain.text import safe_for_terminal
    from app.services import channel_pull

    db = _database(cfg)
    actor = _actor(cfg, args, db, Permission.PULL_CHANNELS)
    report = channel_pull.pull(db, actor, args.shop, page_size=args.page_size)
    if args.json:
        _print_json(report.as_json())
    else:
        start = report.window_start.isoformat() if report.window_start else "-"
        end = report.window_end.isoformat() if report.window_end else "-"
        print(f"shop {report.shop}: read {start} → {end} ({report.windows} window(s), "
              f"{report.pages} page(s))")
        print(f"{report.created} new, {report.duplicates} already there, "
              f"{len(report.refused)} refused, {report.skipped} shipped or closed elsewhere; "
              f"{report.events_applied} event(s) applied")
        if report.retried:
            print(f"{report.retried} kept refused order(s) tried again, "
                  f"{len(report.recovered)} taken in now: {' '.join(report.recovered) or '-'}")
        for e in report.refused:
            print(safe_for_terminal(f"  refused [{e.channel_order_no or '-'}] "
                                    f"{e.code or '-'}: {e.reason}"))
        if report.kept:
            print(f"{len(report.kept)} refused order(s) kept and tried again at each pull "
                  f"(packline channels rejects --shop {report.shop})")
        for text in report.events_refused:
            print(f"  event refused: {text}")
        if report.error:
            print(f"packline: the pull stopped: {report.error}", file=sys.stderr)
    return 1 if report.error else (3 if report.refused else 0)


def cmd_station_replay(cfg: Config, args: argparse.Namespace) -> int:
    """Feed a JSON Lines script of scans, weights and commands through the packing bench as the
    person who logged in: one JSON result per line. For training, load tests and automation.

    Every line is a scan with an id, made from the run (a token kept in the script's progress
    note; `--restart` starts a new one) and its own "id", or the line's number and its text.
    The bench acts on an id once: a script fed again after a kill skips what was done
    (`repeated`) even where the note had not caught up; a line refused before is that refusal
    again. A line refused (a wrong item, an order this database does not know, a
    weight at another step) is reported with its reason and the script goes on. Exit 3 when a
    line was refused or broken; the last line on standard error counts each kind."""
    from collections import Counter

    from app.services.errors import ServiceError
    from app.station.packing import REPEATED, PackingBench
    from drivers.barcode import ScanCommand

    if args.file == "-" and args.password_stdin:
        raise ValueError("the script and the password cannot both come from standard input")
    runtime = _runtime(cfg, central=True)
    try:
        actor = _actor(cfg, args, runtime.central, Permission.PACK)
    except BaseException:
        runtime.store.dispose()
        raise
    bench = PackingBench(runtime, actor, scale_required=args.scale)
    runtime.start()
    counts: Counter[str] = Counter()
    try:
        view = bench.resume_open()
        if view.state is not None:
            print(f"packline: taking up {view.order_no} where it was", file=sys.stderr)
        source = sys.stdin if args.file == "-" else open(args.file, encoding="utf-8")  # noqa: SIM115
        # Where a replay that was stopped (or killed) got to: it carries on after it. A line
        # acted on but not yet noted here is fed again and recognised by its id.
        progress = Path(f"{args.file}.progress") if args.file != "-" else None
        note = None if progress is None or args.restart else _replay_note(progress)
        run, done_upto = note if note is not None else (os.urandom(6).hex(), 0)
        if progress is not None and note is None:
            _write_replay_note(progress, run, 0, None)  # before any line is acted on
        noted = _ReplayNote(progress, run)
        with source:
            for number, raw in enumerate(source, 1):
                if not raw.strip() or number <= done_upto:
                    continue
                scan_id = None
                try:
                    step = json.loads(raw)
                    if not isinstance(step, dict):
                        raise ValueError("a step is a JSON object")
                    scan_id = _replay_line_id(step, run, number, raw,
                                              own_scope=run if progress is not None else "-")
                    if "scan" in step:
                        view = bench.scan(str(step["scan"]),
                                          _whole(step.get("qty", 1), "qty", 1, 100_000),
                                          scan_id=scan_id)
                    elif "weigh" in step:
                        view = bench.weigh(_whole(step["weigh"], "weigh", 0, 10_000_000),
                                           scan_id=scan_id)
                    elif "command" in step:
                        view = bench.command(ScanCommand(str(step["command"]).upper()),
                                             scan_id=scan_id)
                    else:
                        raise ValueError("a step has scan, weigh or command")
                except ServiceError as exc:
                    # Refused in words (an order or wave this database does not know, one
                    # not picked yet): written to the bench's journal; the script goes on.
                    counts["refused"] += 1
                    _print_line({"line": number, "id": scan_id, "order": bench.state and
                                 bench.state.order.order_no or None, "accepted": False,
                                 "reason": exc.code or "refused", "message": str(exc),
                                 "args": exc.params, "kind": "error"})
                    noted.line(number, scan_id)
                    continue
                except (ValueError, TypeError) as exc:
                    counts["broken"] += 1
                    _print_line({"line": number, "error": str(exc)})
                    continue
                state = view.state
                outcome = REPEATED if view.reason == REPEATED else \
                    "applied" if view.accepted else "refused"
                counts[outcome] += 1
                noted.line(number, scan_id)
                row = {"line": number, "id": scan_id, "order": view.order_no or None,
                       "accepted": view.accepted, "reason": view.reason, "kind": view.kind,
                       "phase": state.phase.value if state else None,
                       "scanned": sum(state.counted.values()) if state else 0,
                       "printed": list(view.printed)}
                if not view.accepted:
                    row["args"] = view.message_args
                _print_line(row)
        noted.flush()
        print(f"packline: {sum(counts.values())} lines: {counts['applied']} applied, "
              f"{counts['refused']} refused, {counts[REPEATED]} applied before (repeated), "
              f"{counts['broken']} broken", file=sys.stderr)
        try:
            report = runtime.push_outbox()
            print(f"packline: {report.pushed} events sent, {report.refused} refused, "
                  f"{report.remaining} waiting", file=sys.stderr)
        except Exception as exc:  # noqa: BLE001 - they wait in the outbox
            print(f"packline: events kept for later: {scrub(str(exc).splitlines()[0])}",
                  file=sys.stderr)
    finally:
        runtime.stop()
    return 3 if counts["refused"] or counts["broken"] else 0


def _replay_line_id(step: dict[str, Any], run: str, number: int, raw: str, *,
                    own_scope: str | None = None) -> str:
    """A replay line's scan id: one made from the run, the line's number and a hash of its
    text, or from its own "id" (a text of at most 100 characters) and `own_scope` (the run
    too for a file, so `--restart` feeds it again as a new scan; "-" for standard input,
    where no note keeps a run: the same id is the same scan whenever it comes)."""
    import hashlib

    from app.domain.text import clean_line

    given = step.get("id")
    if given is None:
        digest = hashlib.sha256(raw.strip().encode("utf-8")).hexdigest()[:12]
        return f"{run}:{number}:{digest}"
    if not isinstance(given, str | int) or isinstance(given, bool):
        raise ValueError(f"a line's id is a text, not {given!r}")
    text = clean_line(str(given), "id").strip()
    if not text or len(text) > 100:
        raise ValueError("a line's id is 1 to 100 characters")
    scoped = f"{own_scope if own_scope is not None else run}:{text}"
    if len(scoped) > 100:  # the journal keeps ids of up to 100 characters
        scoped = f"{scoped[:scoped.index(':')]}:#{hashlib.sha256(text.encode()).hexdigest()}"
    return scoped


def _whole(value: Any, field: str, low: int, high: int) -> int:
    """A line's count or grams: a whole number from `low` to `high` (2.0 and "2" are 2; 2.7,
    1e400, "two" or true are refused, naming the field)."""
    if isinstance(value, float) and value.is_integer() \
            or isinstance(value, str) and re.fullmatch(r"\s*[+-]?[0-9]{1,18}\s*", value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{field} is a whole number, not {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{field} is from {low} to {high}, not {value}")
    return value


def _replay_note(progress: Path) -> tuple[str, int] | None:
    """The progress note of a script: (the run's token, the last line acted on), or None."""
    try:
        text = progress.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    if text.isdigit():  # a note written before lines had ids: the line only
        return os.urandom(6).hex(), int(text)
    try:
        data = json.loads(text)
        return str(data["run"]), int(data["line"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{progress} is not a replay progress note; remove it or use "
                         "--restart") from exc


def _write_replay_note(progress: Path, run: str, line: int, scan_id: str | None) -> None:
    tmp = progress.with_suffix(".tmp")
    tmp.write_text(json.dumps({"run": run, "line": line, "id": scan_id}), encoding="utf-8")
    os.replace(tmp, progress)


class _ReplayNote:
    """The script's progress note, brought up to date at most every `every` seconds and at
    the end: it only saves feeding lines again, since a line fed again is recognised by its
    id, so it need not cost a file rename per line."""

    def __init__(self, progress: Path | None, run: str, every: float = 0.5) -> None:
        self.progress, self.run, self.every = progress, run, every
        self.last: tuple[int, str | None] | None = None
        self.written_at = time.monotonic()

    def line(self, number: int, scan_id: str | None) -> None:
        self.last = (number, scan_id)
        if time.monotonic() - self.written_at >= self.every:
            self.flush()

    def flush(self) -> None:
        if self.progress is not None and self.last is not None:
            _write_replay_note(self.progress, self.run, *self.last)
            self.last = None
        self.written_at = time.monotonic()


def _sync_status(runtime: Any, online: bool | None) -> dict[str, Any]:
    from sqlalchemy import func, select

    from app.station import outbox, pull
    from app.station.models import CachedOrder, StationTracking

    st = outbox.state(runtime.store)
    with runtime.store.reader() as s:
        free = dict(s.execute(select(StationTracking.carrier, func.count())
                              .where(StationTracking.used_for.is_(None))
                              .group_by(StationTracking.carrier)).all())
        cached = s.scalar(select(func.count()).select_from(CachedOrder)) or 0
    return {"station": runtime.code, "online": online, "outbox": st.pending,
            "refused": st.refused, "lag_seconds": round(st.lag_seconds(), 1),
            "last_sync": st.last_pushed_at.isoformat() if st.last_pushed_at else None,
            "last_pull": {name: c.pulled_at.isoformat()
                          for name, c in sorted(pull.cursors(runtime.store).items())},
            "problems": [{"order_no": p.order_no, "kind": p.kind, "outcome": p.outcome,
                          "category": p.category, "detail": p.detail} for p in st.problems],
            "cached_orders": cached, "tracking_numbers": free}


def cmd_sync_once(cfg: Config, args: argparse.Namespace) -> int:
    """Push the outbox, top up tracking numbers, fetch the waves ready to pack, pull what
    changed centrally — once. Done by a person (or service account) who may pack: it sends
    the station's own queued work and takes tracking numbers from the carriers' pools."""
    runtime = _runtime(cfg, central=True)
    try:
        actor = _actor(cfg, args, runtime.central, Permission.PACK)
        done = runtime.sync_round(actor)  # the app's round, with its housekeeping
        _print_json({**_sync_status(runtime, done.online), "pushed": done.pushed,
                     "push_error": done.push_error or None, "error": done.error or None,
                     "tracking_added": done.tracking_added,
                     "orders_fetched": done.orders_fetched, "pulled": done.pulled,
                     "orders_updated": done.orders_updated, "pruned": done.pruned})
    finally:
        runtime.store.dispose()
    return 0 if done.online and not done.push_error else 1


def _seconds(text: str) -> float:
    value = float(text)
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError("between 0 and 3600 seconds")
    return value


def cmd_sync_serve(cfg: Config, args: argparse.Namespace) -> int:
    """The station's sync in a process of its own, as the desktop app runs it
    (`app.station.sync_service`): rounds until its standard input ends. It starts whether or
    not the centre answers (the rounds find out), and in the station's own name."""
    from app.services.central_link import DatabaseLink
    from app.services.context import system_actor
    from app.services.schema import SchemaGate
    from app.station import sync_service
    from app.station.runtime import StationRuntime
    from app.store.db import Database

    db = Database.from_url(cfg.central_url,
                           connect_timeout=cfg.settings.central.connect_timeout)
    runtime = StationRuntime(cfg, db, link=DatabaseLink(db))
    try:
        return sync_service.serve(runtime, system_actor(runtime.code),
                                  SchemaGate(db, embedded=cfg.embedded),
                                  every_s=args.every)
    finally:
        if runtime.link is not None:
            runtime.link.close()
        runtime.store.dispose()
        db.dispose()


def cmd_sync_status(cfg: Config, args: argparse.Namespace) -> int:
    runtime = _runtime(cfg, central=True)
    try:
        online = runtime.online()
        status = _sync_status(runtime, online)
    finally:
        runtime.store.dispose()
    if args.json:
        _print_json(status)
    else:
        print(f"{status['station']}: {'online' if online else 'OFFLINE'}, "
              f"{status['outbox']} events waiting (lag {status['lag_seconds']} s), "
              f"last sync {status['last_sync'] or 'never'}, {status['refused']} refused, "
              f"{status['cached_orders']} orders held, tracking numbers "
              f"{status['tracking_numbers']}")
    return 0 if online else 1


def cmd_settings_check(cfg: Config | None, args: argparse.Namespace) -> int:
    """Every problem of a station settings file, one per line, in the reader's language; exit
    1 when there is any. Reads the file only: no login, no database, no station folder."""
    from app.config import reader_language
    from app.settings_check import check_file
    from app.ui.messages import describe_setting, words_in

    path = Path(args.file)
    home = args.home or (Path(os.environ["PACKLINE_HOME"]).expanduser()
                         if os.environ.get("PACKLINE_HOME", "").strip() else None)
    words = words_in(reader_language(*([home / "station.ini"] if home else []), path))
    checked = check_file(path)
    due = checked.upgrade_due
    upgrade_note = None if due is None else words(
        "settings", "%1: settings version %2: the station upgrades it to version %3 when it "
                    "starts (keeping a copy of the old file)").replace("%1", str(path)) \
        .replace("%2", str(due[0])).replace("%3", str(due[1]))
    if checked.problems:
        for problem in checked.problems:
            print(scrub(describe_setting(problem, words)))
        if upgrade_note:
            print(upgrade_note)
        print(words("settings", "%1: %2 problem(s)").replace("%1", str(path))
              .replace("%2", str(len(checked.problems))), file=sys.stderr)
        return 1
    assert checked.settings is not None
    s = checked.settings
    print(words("settings", "%1: OK: station %2 (%3), %4 device(s), %5 printer(s), "
                            "language %6")
          .replace("%1", str(path)).replace("%2", s.station.code)
          .replace("%3", s.station.kind).replace("%4", str(checked.devices))
          .replace("%5", str(checked.printers)).replace("%6", s.ui.language))
    if upgrade_note:
        print(upgrade_note)
    return 0


def _settings_refused(exc: SettingsError, args: argparse.Namespace) -> int:
    """The station's own settings file is broken: say where and what in the station's language
    (from the file when that much of it reads), on stderr; `packline run` started without a
    terminal also shows it in a dialog, since nobody reads its stderr."""
    from app.config import station_language
    from app.ui.messages import describe_setting, words_in

    language = station_language(args.home, args.settings_flags)
    words = words_in(language)
    text = scrub(describe_setting(exc, words))
    print(f"packline: {text}", file=sys.stderr)
    # (A windowed build has no standard streams at all; offscreen nobody could see it, and
    # without a display Qt would abort.)
    if args.command in (None, "run") and not (sys.stdin and sys.stdin.isatty()) \
            and os.environ.get("QT_QPA_PLATFORM") != "offscreen" and display_available():
        from app.ui.app import show_settings_problem

        show_settings_problem(text, words, language)
    return 2


def display_available() -> bool:
    """Whether a window can be shown: always on Windows and macOS; on Linux (and other
    X11/Wayland systems) when DISPLAY or WAYLAND_DISPLAY is set."""
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY", "").strip()
                or os.environ.get("WAYLAND_DISPLAY", "").strip())


def build_parser() -> argparse.ArgumentParser:
    from app import __version__

    p = argparse.ArgumentParser(prog="packline", description="Packline warehouse workstation")
    p.add_argument("--home", type=Path, help="the station kept in this one folder (default: "
                                             "$PACKLINE_HOME, else the machine's folders)")
    p.add_argument("--set", action="append", default=[], dest="settings_flags",
                   metavar="SECTION.KEY=VALUE",
                   help="a setting for this run only, over the settings files and the "
                        "environment (never saved); repeatable, before the command")
    # Before any settings are read: it answers even when station.ini is broken.
    p.add_argument("--version", action="version", version=f"packline {__version__}",
                   help="print the version and exit")
    sub = p.add_subparsers(dest="command")
    # A command that changes something logs its person in first (app/cli/identity.py).
    auth = argparse.ArgumentParser(add_help=False)
    identity.add_options(auth)

    sub.add_parser("run", help="open the app (the default)").set_defaults(func=cmd_run)
    check = sub.add_parser(
        "selftest", help="check this install on a throwaway station of its own (IT)",
        description="Migrates an empty embedded database, renders a waybill in every printer "
                    "language, prints a test label to a folder printer, renders the packing "
                    "screen offscreen and loads a sound, in a folder of its own; the real "
                    "station is neither read nor changed. Exit 1 when a check failed.")
    check.add_argument("--out", type=Path, help="keep what it made in this new folder "
                                                "(default: a temporary one, removed)")
    check.add_argument("--json", action="store_true", help="the report as JSON")
    check.set_defaults(func=cmd_selftest, needs_config=False)

    db = sub.add_parser("db", help="central database").add_subparsers(dest="db_command",
                                                                       required=True)
    db.add_parser("upgrade", help="migrate to the newest schema").set_defaults(
        func=cmd_db_upgrade)
    db.add_parser("check", help="fail if models and migrations differ").set_defaults(
        func=cmd_db_check)
    dbr = db.add_parser("roles", help="print (or --apply) the station, engine and office "
                                      "login roles and their grants")
    dbr.add_argument("--prefix", default="packline_",
                     help="role names are PREFIX + station, engine, office (default packline_)")
    dbr.add_argument("--apply", action="store_true",
                     help="run it against the central database (as a superuser)")
    dbr.add_argument("--password-from-env", action="append", metavar="KIND=VARIABLE",
                     help="with --apply: set KIND's password (station, engine or office) from "
                          "the environment variable VARIABLE; repeat for each role")
    dbr.set_defaults(func=cmd_db_roles)

    demo = sub.add_parser("demo", help="demo data").add_subparsers(dest="demo_command",
                                                                   required=True)
    seed = demo.add_parser(
        "seed", help="seed reference data and orders (deterministic); an admin once users "
                     "exist", parents=[auth])
    seed.add_argument("--orders", type=int, default=5000)
    seed.add_argument("--seed", type=int, default=20261111)
    seed.set_defaults(func=cmd_demo_seed)

    dash = sub.add_parser("dashboard", help="the shift lead's figures: backlog, throughput, "
                                            "forecast, staffing, health", parents=[auth])
    dash.add_argument("--json", action="store_true", help="JSON (keys backlog, throughput, "
                                                          "forecast, staffing, health, ...)")
    dash.add_argument("--watch", type=_positive_seconds, metavar="SECONDS", nargs="?",
                      const=10.0, default=None,
                      help="refresh every SECONDS (default 10) until Ctrl+C")
    dash.add_argument("--frames", type=_whole_frames, metavar="N", default=0,
                      help="with --watch: stop after N frames (default: until Ctrl+C)")
    dash.add_argument("--reserve", type=int, choices=range(0, 101), metavar="PERCENT",
                      help="staffing reserve in per cent (default: [dashboard] reserve)")
    dash.add_argument("--packer-rate", type=float, metavar="ORDERS_PER_HOUR",
                      help="a packer's orders per hour (default: measured today)")
    dash.add_argument("--picker-rate", type=float, metavar="ORDERS_PER_HOUR",
                      help="a picker's orders per hour (default: measured today)")
    dash.add_argument("--normal-daily", type=int, default=0, metavar="ORDERS",
                      help="11.11 planning: a normal day's orders")
    dash.add_argument("--growth", type=float, default=3.0, help="11.11 growth (default 3)")
    dash.add_argument("--conversion", type=float, default=0.8,
                      help="11.11 conversion (default 0.8)")
    dash.add_argument("--days", type=int, default=7, help="days to forecast (default 7)")
    dash.set_defaults(func=cmd_dashboard)

    presale = sub.add_parser(
        "presale", help="presale campaigns (预售): the demand report, suppliers and their "
                        "deliveries, promises, compensation, pre-packing and the campaign's "
                        "end").add_subparsers(dest="presale_command", required=True)
    prep = presale.add_parser(
        "report", help="the presale demand report: deposits, balances paid, conversion, and "
                       "demand by day, province, SKU and option", parents=[auth])
    prep.add_argument("campaign", nargs="?", help="a campaign's code (default: every campaign)")
    prep.add_argument("--since", type=_china_date, metavar="YYYY-MM-DD",
                      help="payments from this China day on")
    prep.add_argument("--until", type=_china_date, metavar="YYYY-MM-DD",
                      help="payments up to this China day, inclusive")
    prep.add_argument("--xlsx", type=Path, metavar="FILE",
                      help="also write the report as an .xlsx workbook to FILE")
    prep.add_argument("--json", action="store_true", help="the report as JSON")
    prep.set_defaults(func=cmd_presale_report)

    orders = sub.add_parser("orders", help="orders").add_subparsers(dest="orders_command",
                                                                    required=True)
    imp = orders.add_parser("import", help="import a JSON Lines, CSV or .xlsx order file "
                            "(a Taobao/Tmall or Pinduoduo export)", parents=[auth])
    imp.add_argument("file")
    imp.add_argument("--shop", help="the shop of an .xlsx export without a 店铺名称 column "
                     "(default: the channel)")
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(func=cmd_orders_import)
    ls = orders.add_parser("list", help="list orders")
    ls.add_argument("--status", action="append", help="repeat for several")
    ls.add_argument("--channel")
    ls.add_argument("--warehouse")
    ls.add_argument("--exception")
    ls.add_argument("--sort", default="priority")
    ls.add_argument("--offset", type=int, default=0)
    ls.add_argument("--limit", type=int, default=None,
                    help="one page of at most 5000 (default: every matching order)")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=cmd_orders_list)
    show = orders.add_parser("show", help="one order with lines, packages and history")
    show.add_argument("order", help="Packline number, channel order number or CHANNEL:NUMBER")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=cmd_orders_show)

    ship = sub.add_parser("shipments", help="shipment confirmations to the platforms "
                          "(发货回传)").add_subparsers(dest="shipments_command", required=True)
    ship_ls = ship.add_parser("list", help="the confirmations, oldest first")
    ship_ls.add_argument("--status", choices=("pending", "sending", "sent", "refused", "withdrawn"))
    ship_ls.add_argument("--limit", type=int, default=500)
    ship_ls.add_argument("--json", action="store_true")
    ship_ls.set_defaults(func=cmd_shipments_list)
    ship_retry = ship.add_parser("retry", help="send a refused confirmation again (a lead)",
                                 parents=[auth])
    ship_retry.add_argument("id", type=int)
    ship_retry.set_defaults(func=cmd_shipments_retry)

    sim = sub.add_parser("simulate", help="send simulated channel traffic", parents=[auth])
    sim.add_argument("--rate", type=float, help="orders per second (needed without --presale)")
    sim.add_argument("--duration", type=float, help="seconds (needed without --presale)")
    sim.add_argument("--presale", action="store_true",
                     help="run the pre-pack scenario instead: a real-stock campaign of its own "
                          "(PS-SIM-<n>), its deposits packed before the balance, paid, "
                          "refunded and never paid; prints its figures")
    sim.add_argument("--orders", type=int, default=1000,
                     help="deposit orders of the --presale scenario (default 1000)")
    sim.add_argument("--json", action="store_true", help="--presale figures as JSON")
    sim.add_argument("--seed", type=int, default=int(time.time()) % 100_000,
                     help="default: new orders each run")
    sim.add_argument("--no-events", action="store_true",
                     help="orders only, no payments, refunds or cancellations")
    sim.add_argument("--encrypted", type=float, default=0.0, metavar="SHARE",
                     help="share of orders (0-1) whose receiver the platform keeps encrypted "
                          "(OAID or ciphertexts, masked name, phone and street)")
    sim.set_defaults(func=cmd_simulate)

    eng = sub.add_parser("engine", help="the order engine").add_subparsers(
        dest="engine_command", required=True)
    run = eng.add_parser("run", help="validate, review and route pending orders",
                         parents=[auth])
    run.add_argument("--once", action="store_true", help="process what is pending, then exit")
    run.add_argument("--batch", type=int, default=500)
    run.add_argument("--interval", type=float, default=2.0,
                     help="seconds to wait when the queue is empty")
    run.set_defaults(func=cmd_engine_run)

    event = orders.add_parser("event", help="apply a channel status event (once per key)",
                              parents=[auth])
    event.add_argument("order", help="CHANNEL:CHANNEL_ORDER_NO")
    event.add_argument("type", help="deposit_paid, balance_paid, refund_requested, cancelled "
                                    "or address_changed")
    event.add_argument("--key", required=True, help="the channel's event id or event time")
    event.add_argument("--payload", help='JSON, e.g. {"at": "...", "receiver": {...}}')
    event.set_defaults(func=cmd_orders_event)

    users = sub.add_parser("users", help="people and service accounts (admin)"
                           ).add_subparsers(dest="users_command", required=True)
    boot = users.add_parser(
        "bootstrap", help="the first admin, only while there are no users (no login)",
        description="Creates the first admin of an empty installation. The password is "
                    "typed twice in a terminal, or read from the first line of standard input "
                    "with --password-stdin.")
    boot.add_argument("--user", required=True, help="the first admin's user code")
    boot.add_argument("--name")
    boot.add_argument("--password-stdin", action="store_true")
    boot.set_defaults(func=cmd_users_bootstrap)
    admin: dict[str, Any] = {
        "parents": [auth], "description": "An admin logs in first (PACKLINE_USER/"
             "PACKLINE_PASSWORD, PACKLINE_TOKEN, --password-stdin or the prompt)."}
    users.add_parser("list", help="everybody, as JSON lines (never a hash)", **admin
                     ).set_defaults(func=cmd_users_list)
    add = users.add_parser(
        "add", help="create a person", parents=[auth],
        description="Creates a person. Their password is typed twice in a terminal, or read "
                    "from standard input with --new-password-stdin: standard input is read "
                    "line by line, first the acting admin's password (when --password-stdin), "
                    "then the new password, then the new PIN (when --pin-stdin).")
    add.add_argument("code")
    add.add_argument("--name", required=True)
    add.add_argument("--role", required=True, help="packer, picker, shift_lead or admin")
    add.add_argument("--new-password-stdin", action="store_true")
    add.add_argument("--pin-stdin", action="store_true",
                     help="also a PIN (a lead's or admin's second factor with a badge)")
    add.set_defaults(func=cmd_users_add)
    for name, helptext in (("deactivate", "stop a person or account (at their next action)"),
                           ("activate", "let them act again")):
        a = users.add_parser(name, help=helptext, **admin)
        a.add_argument("code")
        a.set_defaults(func=cmd_users_active)
    role = users.add_parser("role", help="change a role", **admin)
    role.add_argument("code")
    role.add_argument("role", help="packer, picker, shift_lead or admin")
    role.set_defaults(func=cmd_users_role)
    reset = users.add_parser(
        "reset-password", help="set a new password", parents=[auth],
        description="Typed twice in a terminal, or the line after the admin's own password "
                    "with --new-password-stdin.")
    reset.add_argument("code")
    reset.add_argument("--new-password-stdin", action="store_true")
    reset.set_defaults(func=cmd_users_reset_password)
    pin = users.add_parser("pin", help="set or clear a PIN (4-8 digits)", parents=[auth],
                           description="Typed twice in a terminal, or the line after the "
                                       "admin's own password with --pin-stdin.")
    pin.add_argument("code")
    pin.add_argument("--pin-stdin", action="store_true")
    pin.add_argument("--clear", action="store_true")
    pin.set_defaults(func=cmd_users_pin)
    badge = users.add_parser("badge", help="badges").add_subparsers(dest="badge_command",
                                                                    required=True)
    issue = badge.add_parser(
        "issue", help="a new badge (the old one stops working)", **admin)
    issue.add_argument("code")
    issue.add_argument("--card", help="write the badge card as a PDF (mode 0600) instead of "
                                      "printing the badge text")
    issue.set_defaults(func=cmd_users_badge)
    revoke = badge.add_parser("revoke", help="the badge stops working", **admin)
    revoke.add_argument("code")
    revoke.set_defaults(func=cmd_users_badge)
    service = users.add_parser("service", help="service accounts (automation)"
                               ).add_subparsers(dest="service_command", required=True)
    sadd = service.add_parser("add", help="create one; prints its token once", **admin)
    sadd.add_argument("code")
    sadd.add_argument("--name", required=True)
    sadd.add_argument("--role", required=True, help="the rights it acts with")
    sadd.set_defaults(func=cmd_users_service_add)
    token = users.add_parser("token", help="service account tokens").add_subparsers(
        dest="token_command", required=True)
    tissue = token.add_parser("issue", help="a new token (printed once; the old one stops)",
                              **admin)
    tissue.add_argument("code")
    tissue.set_defaults(func=cmd_users_token)
    trevoke = token.add_parser("revoke", help="the token stops working", **admin)
    trevoke.add_argument("code")
    trevoke.set_defaults(func=cmd_users_token)
    unlock = users.add_parser("unlock", help="lift a lockout after failed logins", **admin)
    unlock.add_argument("code", help="a user code, or a station code with --station")
    unlock.add_argument("--station", action="store_true",
                        help="CODE is a station (or cli@HOST) locked for failures")
    unlock.set_defaults(func=cmd_users_unlock)

    dev = sub.add_parser("devices", help="scanners and scales (IT diagnostics)").add_subparsers(
        dest="devices_command", required=True)
    dev.add_parser("list", help="serial ports seen now and the configured devices").set_defaults(
        func=cmd_devices_list)
    listen = dev.add_parser("listen", help="print each parsed scan and settled weight as JSON")
    listen.add_argument("--scanner", help="device URL, e.g. serial:///dev/ttyACM0?suffix=CR")
    listen.add_argument("--scale", help="device URL, e.g. usbserial://1a86:7523?protocol=ad")
    listen.add_argument("--count", type=int, default=0, help="stop after this many events")
    listen.add_argument("--seconds", type=float, default=0, help="stop after this long")
    listen.add_argument("--status", action="store_true",
                        help="also print connect / disconnect events")
    listen.set_defaults(func=cmd_devices_listen)

    label = sub.add_parser("label", help="labels").add_subparsers(dest="label_command",
                                                                 required=True)
    render = label.add_parser(
        "render", help="render an order's waybill to a file",
        description="The first render of a box gives it its tracking number; rendering a box "
                    "that has one is a reprint: it needs --reason, is audited, and keeps the "
                    "number.", parents=[auth])
    render.add_argument("--order", required=True,
                        help="Packline number, channel order number or CHANNEL:NUMBER")
    render.add_argument("--format", required=True,
                        choices=["pdf", "png", "zpl", "tspl", "escpos"])
    # Without --size and --cjk each language takes its own: labels 100x150, ESC/POS the 80 mm
    # roll; ZPL and ESC/POS Chinese as graphics, TSPL the printer's font (it has no other).
    render.add_argument("--size", default=None,
                        choices=["100x150", "76x130", "100x180", "80mm"],
                        help="paper (default: 100x150, or 80mm for escpos)")
    render.add_argument("--dpi", type=int, default=203, choices=[203, 300])
    render.add_argument("--cjk", default=None, choices=["graphic", "font"],
                        help="Chinese as graphics, or the printer's own CJK font "
                             "(default: graphic, font for tspl)")
    render.add_argument("--box", type=int, default=1,
                        help="one of the order's boxes (box 1 when it has none yet)")
    render.add_argument("--reason", default="", help="why a label is rendered again")
    render.add_argument("--boxes", type=int, default=None)
    render.add_argument("--out", required=True)
    render.set_defaults(func=cmd_label_render)

    prn = sub.add_parser("print", help="the station's print queue").add_subparsers(
        dest="print_command", required=True)
    test = prn.add_parser("test", help="print a test page on a configured printer",
                          parents=[auth])
    test.add_argument("--printer", required=True)
    test.add_argument("--timeout", type=float, default=30.0)
    test.set_defaults(func=cmd_print_test)
    queue = prn.add_parser("queue", help="the station's print jobs, newest first (JSON lines)")
    queue.add_argument("--status", choices=["queued", "sending", "sent", "failed", "cancelled"])
    queue.add_argument("--limit", type=int, default=100)
    queue.set_defaults(func=cmd_print_queue)
    again = prn.add_parser("reprint", help="print a job again (audited)", parents=[auth])
    again.add_argument("job")
    again.add_argument("--reason", required=True)
    again.add_argument("--timeout", type=float, default=30.0)
    again.set_defaults(func=cmd_print_reprint)

    wv = sub.add_parser("waves", help="waves (shift lead)").add_subparsers(
        dest="waves_command", required=True)
    for name, func, helptext in (("plan", cmd_waves_plan, "preview the waves, change nothing"),
                                 ("release", cmd_waves_release, "form and release waves")):
        w = wv.add_parser(name, help=helptext, parents=[auth] if name == "release" else [])
        w.add_argument("--warehouse", required=True)
        w.add_argument("--strategy", required=True,
                       help="single_unit, single_sku, multi_item, per_order, by_carrier, "
                            "by_zone, presale, urgent, hot_sku")
        w.add_argument("--carrier")
        w.add_argument("--zone")
        w.add_argument("--max-orders", type=int, default=100)
        w.add_argument("--max-cells", type=int, default=20)
        w.add_argument("--max-lines", type=int)
        w.add_argument("--max-units", type=int)
        w.add_argument("--mix-bands", action="store_true",
                       help="allow priority bands in one wave")
        w.add_argument("--urgent-hours", type=float, default=4)
        w.add_argument("--hot-threshold", type=int, default=50)
        if name == "plan":
            w.add_argument("--json", action="store_true")
        else:
            w.add_argument("--waves", type=int, help="release at most this many")
        w.set_defaults(func=func)
    wl = wv.add_parser("list", help="waves with progress (JSON lines)")
    wl.add_argument("--warehouse")
    wl.add_argument("--status", action="append")
    wl.set_defaults(func=cmd_waves_list)
    wc = wv.add_parser("cancel", help="cancel a released wave back to the queue",
                       parents=[auth])
    wc.add_argument("wave")
    wc.add_argument("--reason", default="")
    wc.set_defaults(func=cmd_waves_cancel)

    # `presale` (made beside the dashboard): suppliers, deliveries, the board, promises.
    psu = presale.add_parser("suppliers", help="suppliers (JSON lines); add CODE NAME "
                                               "[--phone]; set CAMPAIGN SUPPLIER [BACKUP]",
                             parents=[auth])
    psu.add_argument("action", nargs="?", choices=("add", "set"))
    psu.add_argument("words", nargs="*", help="add: CODE NAME; set: CAMPAIGN SUPPLIER [BACKUP]")
    psu.add_argument("--phone")
    psu.set_defaults(func=cmd_presale_suppliers)
    pss = presale.add_parser("supply", help="a delivery a supplier confirmed, or its news "
                                            "(in transit, arrived, a new expected date)",
                             parents=[auth])
    pss.add_argument("campaign")
    pss.add_argument("--supplier", required=True)
    pss.add_argument("--due", required=True, type=_day, help="YYYY-MM-DD")
    pss.add_argument("--qty", required=True, type=_count)
    pss.add_argument("--in-transit", type=_count, default=0)
    pss.add_argument("--arrived", type=_count, default=0)
    pss.add_argument("--expected", type=_day, help="YYYY-MM-DD (later than due: a slip)")
    pss.add_argument("--note", default="")
    pss.add_argument("--cancel", action="store_true", help="the delivery is cancelled")
    pss.set_defaults(func=cmd_presale_supply)
    psi = presale.add_parser("supply-import", help="deliveries from a CSV or .xlsx file "
                                                   "(Chinese or English headers); a bad row "
                                                   "refuses the whole file", parents=[auth])
    psi.add_argument("file")
    psi.set_defaults(func=cmd_presale_supply_import)
    psb = presale.add_parser("board", help="the supplier board: demand against arrivals per "
                                           "day, the gap, suggestions, slips, promises")
    psb.add_argument("campaign")
    psb.add_argument("--json", action="store_true")
    psb.add_argument("--today", type=_day, help="the board as on this day (YYYY-MM-DD)")
    psb.add_argument("--threshold-units", type=_count,
                     help="suggest when the gap exceeds this many units")
    psb.add_argument("--ratio", type=float, help="... or this share of demand (default 0.1)")
    psb.set_defaults(func=cmd_presale_board)
    psl = presale.add_parser("slips", help="slipped deliveries (JSON lines); --raise them in "
                                           "the exception queue", parents=[auth])
    psl.add_argument("campaign", nargs="?")
    psl.add_argument("--raise", dest="raise_them", action="store_true")
    psl.set_defaults(func=cmd_presale_slips)
    psp = presale.add_parser("promises", help="recompute the campaign's orders' promised ship "
                                              "dates; --export them for the shop",
                             parents=[auth])
    psp.add_argument("campaign")
    psp.add_argument("--export", help="a .csv or .xlsx file")
    psp.add_argument("--no-recompute", action="store_true",
                     help="with --export: the promises as stored, not recomputed first (a "
                          "read: orders.view)")
    psp.set_defaults(func=cmd_presale_promises)
    psc = presale.add_parser("compensations", help="buyers flagged for compensation (JSON "
                                                   "lines); --export them for the shop",
                             parents=[auth])
    psc.add_argument("campaign", nargs="?")
    psc.add_argument("--export", help="a .csv or .xlsx file: the buyers not exported before, "
                                      "marked exported")
    psc.add_argument("--all", action="store_true",
                     help="with --export: every flagged buyer again, exported before or not")
    psc.set_defaults(func=cmd_presale_compensations)
    # ... and the warehouse's side: pre-packing, the campaign's end, its stock.
    pw = presale.add_parser("prepack-wave", parents=[auth],
                            help="release pre-pack waves of a real-stock campaign's orders "
                                 "whose balance is not paid")
    pw.add_argument("campaign")
    pw.add_argument("--warehouse", required=True)
    pw.add_argument("--max-orders", type=int, help="orders a wave (default 100)")
    pw.add_argument("--json", action="store_true")
    pw.set_defaults(func=cmd_presale_prepack_wave)
    for name, func, helptext in (
            ("ready", cmd_presale_ready,
             "pre-packed parcels whose balance is paid: to the dock, oldest payment first"),
            ("waiting", cmd_presale_waiting,
             "pre-packed parcels waiting for their balance on the staging shelf")):
        pr = presale.add_parser(name, help=helptext)
        pr.add_argument("campaign", nargs="?")
        pr.add_argument("--json", action="store_true")
        pr.set_defaults(func=func)
    pu = presale.add_parser("unpack", parents=[auth],
                            help="unpack a pre-packed order that will not ship: put-back "
                                 "tasks, waybill given back, order cancelled")
    pu.add_argument("order")
    pu.add_argument("--json", action="store_true")
    pu.set_defaults(func=cmd_presale_unpack)
    pc = presale.add_parser("close", parents=[auth],
                            help="after the balance window: settle every order whose "
                                 "balance was not paid")
    pc.add_argument("campaign")
    pc.add_argument("--json", action="store_true")
    pc.set_defaults(func=cmd_presale_close)
    ps = presale.add_parser("stock", help="the campaign SKU's ledger per warehouse")
    ps.add_argument("campaign")
    ps.add_argument("--json", action="store_true")
    ps.set_defaults(func=cmd_presale_stock)
    pm = presale.add_parser("mode", parents=[auth],
                            help="set a campaign's stock mode (before it has orders)")
    pm.add_argument("campaign")
    pm.add_argument("mode", choices=("pool", "real"))
    pm.add_argument("--json", action="store_true")
    pm.set_defaults(func=cmd_presale_mode)

    ca = sub.add_parser("carriers", help="carriers").add_subparsers(dest="carriers_command",
                                                                   required=True)
    cut = ca.add_parser("cutoff", help="a carrier's daily cut-off at the dock (China time "
                                       "HH:MM, or none)", parents=[auth])
    cut.add_argument("carrier")
    cut.add_argument("time", help="HH:MM, or none")
    cut.set_defaults(func=cmd_carriers_cutoff)

    sh = sub.add_parser("shops", help="shops and their platforms").add_subparsers(
        dest="shops_command", required=True)
    sl = sh.add_parser("list", help="every shop, platform shops first")
    sl.set_defaults(func=cmd_shops_list)
    ss = sh.add_parser("set", help="set up a shop for its platform (the secret stays in "
                                   "PACKLINE_SHOP_SECRET_<CODE> or the keyring)",
                       parents=[auth])
    ss.add_argument("code", help="the shop's code, e.g. TB1")
    ss.add_argument("--channel", help="taobao, tmall, pdd, …")
    ss.add_argument("--name", help="the shop's name as its orders give it")
    ss.add_argument("--platform-shop-id", help="the seller's id on the platform")
    ss.add_argument("--api-url", help="the platform's open-API gateway")
    ss.add_argument("--app-key", help="the app key (not the secret)")
    ss.add_argument("--pull", help="on or off: the engine pulls the shop's orders")
    ss.add_argument("--waybill-providers",
                    help="CARRIER=PROVIDER,… with * for any carrier; providers: pool, "
                         "cainiao, pdd, douyin")
    ss.add_argument("--confirm-on", help="handover, packed or never")
    ss.set_defaults(func=cmd_shops_set)

    chn = sub.add_parser("channels", help="the platforms' order pulls").add_subparsers(
        dest="channels_command", required=True)
    cp = chn.add_parser("pull", help="pull a shop's orders modified since the last pull",
                        parents=[auth])
    cp.add_argument("--shop", required=True, help="the shop's code")
    cp.add_argument("--page-size", type=int, default=100)
    cp.add_argument("--json", action="store_true")
    cp.set_defaults(func=cmd_channels_pull)
    cr = chn.add_parser("rejects", help="a shop's pulled orders intake refused, kept and "
                                        "tried again at every pull", parents=[auth])
    cr.add_argument("--shop", required=True, help="the shop's code")
    cr.add_argument("--json", action="store_true")
    cr.set_defaults(func=cmd_channels_rejects)

    st = sub.add_parser("station", help="the station (packing bench)").add_subparsers(
        dest="station_command", required=True)
    rp = st.add_parser("replay", help="feed a JSON Lines script of scans through the bench",
                       description="The bench packs as the person who logs in (a --user "
                                   "naming anybody else is refused).", parents=[auth])
    rp.add_argument("file", help='JSON Lines: {"scan": CODE[, "qty": N]}, {"weigh": GRAMS}, '
                                 '{"command": "CONFIRM|CANCEL|NEWBOX|PAUSE|REPRINT"}; - for stdin')
    rp.add_argument("--scale", action="store_true", help="every parcel is weighed")
    rp.add_argument("--restart", action="store_true",
                    help="feed the script from its first line, not from where it stopped")
    rp.set_defaults(func=cmd_station_replay)

    stg = sub.add_parser("settings", help="the station settings file (IT)").add_subparsers(
        dest="settings_command", required=True)
    chk = stg.add_parser(
        "check", help="list every problem of a station.ini (no login, changes nothing)",
        description="Reads FILE only (no login, no database): prints each problem with its "
                    "file, line, [section] and key, and exits 1; or a one-line OK summary "
                    "and exits 0.")
    chk.add_argument("file", help="the settings file, e.g. station.ini")
    chk.set_defaults(func=cmd_settings_check, needs_config=False)

    sy = sub.add_parser("sync", help="the station's link to the central database").add_subparsers(
        dest="sync_command", required=True)
    sy.add_parser(
        "once", help="push the outbox, top up tracking numbers, fetch waves to pack",
        description="Needs a person or service account who may pack: it sends the station's "
                    "own queued work to the central database and takes tracking numbers from "
                    "the carriers' pools, which only those who pack use.",
        parents=[auth]).set_defaults(func=cmd_sync_once)
    sv = sy.add_parser(
        "serve", help="the sync rounds in a process of their own (the app starts it)",
        description="What the desktop app runs beside its screens: a sync round every few "
                    "seconds (backing off while the central database is out of reach) until "
                    "standard input ends; JSON lines on standard output say how each went.")
    sv.add_argument("--every", type=_seconds, default=5.0, metavar="SECONDS",
                    help="seconds between rounds while the central database answers")
    sv.set_defaults(func=cmd_sync_serve)
    ss = sy.add_parser("status", help="online, events waiting, lag, last sync")
    ss.add_argument("--json", action="store_true")
    ss.set_defaults(func=cmd_sync_status)

    from app.cli import service as windows_service  # the engine as a Windows service

    windows_service.add_parser(sub)
    from app.cli import doctor  # the station checked for IT

    doctor.add_parser(sub)
    return p


def _scrubbed_excepthook(kind: type[BaseException], value: BaseException, tb: Any) -> None:
    """An unexpected crash still prints its traceback, with passwords blanked, and puts it in
    the station's log once the log is open (a windowed build has no stderr to print to)."""
    import traceback

    root = logging.getLogger("packline")
    if any(getattr(h, "_packline", False) for h in root.handlers):
        logging.getLogger("packline.cli").critical("unexpected error", exc_info=(kind, value, tb))
    if sys.stderr is not None:
        sys.stderr.write(scrub("".join(traceback.format_exception(kind, value, tb))))


def main(argv: Sequence[str] | None = None) -> int:
    from app import __version__
    from app.logs import enable_crash_log, setup_logging

    sys.excepthook = _scrubbed_excepthook
    words = list(sys.argv[1:] if argv is None else argv)
    refused = identity.secret_on_command_line(words)
    if refused:
        print(f"packline: {refused}", file=sys.stderr)
        return 2
    parser = build_parser()
    args = parser.parse_args(words)
    if not getattr(args, "needs_config", True):
        # Reads the file it is given, and nothing of the station (whose own settings may be
        # the very file that is broken).
        return int(args.func(None, args))
    try:
        cfg = load_config(args.home, flags=args.settings_flags)
    except SettingsError as exc:
        return _settings_refused(exc, args)
    # The app, and the sync process it starts, log to the station's file only (the sync's
    # standard error is the app's, for what happens before its log is open).
    beside_the_app = args.command == "sync" and getattr(args, "sync_command", "") == "serve"
    setup_logging(cfg, console=args.command not in ("run", None) and not beside_the_app)
    enable_crash_log(cfg)
    secure_station(cfg)
    app_itself = args.command in (None, "run")
    said: list[str | None] = ["packline", args.command or "run",
                              getattr(args, f"{args.command}_command", None)]
    logging.getLogger("packline.cli").log(
        logging.INFO if app_itself else logging.DEBUG, "%s, version %s: station folder %s, "
        "central database %s", " ".join(w for w in said if w), __version__, cfg.paths.home,
        safe_url(cfg.central_url))
    func = getattr(args, "func", cmd_run)
    from sqlalchemy.exc import SQLAlchemyError

    from app.services.errors import ServiceError

    try:
        return int(func(cfg, args))
    except SettingsError as exc:  # a device or printer section, read when first needed
        return _settings_refused(exc, args)
    except (ServiceError, ValueError) as exc:
        print(f"packline: {scrub(str(exc))}", file=sys.stderr)
        return 2
    except SQLAlchemyError as exc:
        # Unreachable server, wrong credentials, a schema older than the code: say which
        # database and what it said, without a traceback; the log file has the details.
        logging.getLogger("packline.cli").info("database error", exc_info=True)
        first = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        print(f"packline: database error at {safe_url(cfg.central_url)}: {scrub(first)}",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `packline orders list | head`: the reader left; not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
