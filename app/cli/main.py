"""`packline` command line. JSON on stdout where a script reads it; messages on stderr."""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.config import Config, SettingsError, load_config


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=None if isinstance(data, list) else 2)
    sys.stdout.write("\n")


def _database(cfg: Config, *, upgrade: bool = True) -> Any:
    from app.store import migrate
    from app.store.db import Database

    db = Database.from_url(cfg.central_url,
                           connect_timeout=cfg.settings.get("central.connect_timeout"))
    if upgrade and cfg.embedded:
        # The embedded database is the station's own: keep it at the newest schema.
        migrate.upgrade(db.bind)  # type: ignore[arg-type]
    return db


def cmd_run(cfg: Config, args: argparse.Namespace) -> int:
    from app.ui.app import run_app

    return run_app(cfg)


def cmd_db_upgrade(cfg: Config, args: argparse.Namespace) -> int:
    from app.store import migrate

    migrate.upgrade(cfg.central_url)
    print(f"database at {migrate.head_revision()}: {_safe_url(cfg.central_url)}",
          file=sys.stderr)
    return 0


def cmd_db_check(cfg: Config, args: argparse.Namespace) -> int:
    from app.store import migrate

    migrate.check(cfg.central_url)
    return 0


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def cmd_demo_seed(cfg: Config, args: argparse.Namespace) -> int:
    from app.services import demo
    from app.services.context import system_actor

    db = _database(cfg)
    report = demo.seed(db, system_actor(), orders=args.orders, seed=args.seed)
    _print_json(report.as_json())
    return 0


def cmd_orders_import(cfg: Config, args: argparse.Namespace) -> int:
    from app.services import intake
    from app.services.context import system_actor

    db = _database(cfg)
    report = intake.import_file(db, system_actor(), Path(args.file))
    if args.json:
        _print_json(report.as_json())
    else:
        print(f"{report.created} created, {report.duplicates} already there, "
              f"{len(report.errors)} broken row(s)")
        for err in report.errors:
            ref = f" [{err.channel_order_no}]" if err.channel_order_no else ""
            print(f"  line {err.line}{ref}: {err.reason}")
    return 0 if not report.errors else 3


def cmd_orders_list(cfg: Config, args: argparse.Namespace) -> int:
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
            sys.stdout.write(("," if i else "") + json.dumps(r.as_json(), ensure_ascii=False))
        sys.stdout.write("]\n")
    else:
        for r in rows:
            print(f"{r.order_no}  {r.channel:<7} {r.channel_order_no:<24} {r.status:<16} "
                  f"{r.priority:>6}  {r.receiver_name}  {r.province}{r.city}{r.district}")
    return 0


def cmd_orders_show(cfg: Config, args: argparse.Namespace) -> int:
    from app.services import orders
    from app.services.context import system_actor

    db = _database(cfg)
    detail = orders.order_detail(db, system_actor(), args.order)
    if args.json:
        _print_json(detail)
    else:
        r = detail["receiver"]
        print(f"{detail['order_no']}  {detail['channel']}:{detail['channel_order_no']}  "
              f"{detail['status']}")
        print(f"  {r['name']} {r['phone']}  {r['province']}{r['city']}{r['district']}"
              f"{r['address']}")
        for line in detail["lines"]:
            print(f"  {line['line']}. {line['sku']} × {line['qty']}  {line['name'] or ''}")
        for h in detail["history"]:
            print(f"  {h['at']}  {h['actor']}  {h['action']}  {h['before']} → {h['after']}")
    return 0


def cmd_orders_event(cfg: Config, args: argparse.Namespace) -> int:
    from app.services import channel_events
    from app.services.context import system_actor

    channel, sep, number = args.order.partition(":")
    if not sep or not channel or not number:
        raise ValueError("name the order as CHANNEL:CHANNEL_ORDER_NO")
    try:
        payload = json.loads(args.payload) if args.payload else {}
    except json.JSONDecodeError as exc:
        raise ValueError(f"--payload is not JSON: {exc.msg}") from None
    if not isinstance(payload, dict):
        raise ValueError("--payload must be a JSON object")
    result = channel_events.apply_event(_database(cfg), system_actor(), channel, number,
                                        args.type, args.key, payload)
    _print_json(result.as_json())
    return 0


def cmd_simulate(cfg: Config, args: argparse.Namespace) -> int:
    from app.services import simulate
    from app.services.context import system_actor

    report = simulate.run(_database(cfg), system_actor(), rate=args.rate,
                          duration=args.duration, seed=args.seed, events=not args.no_events)
    _print_json(report.as_json())
    return 0


def cmd_engine_run(cfg: Config, args: argparse.Namespace) -> int:
    import signal

    from app.services import engine
    from app.services.context import system_actor

    db = _database(cfg)
    actor = system_actor(cfg.settings.get("station.code"))
    if args.once:
        _print_json(engine.run_once(db, actor, batch=args.batch).as_json())
        return 0
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    print("packline: engine running; Ctrl-C or SIGTERM stops it", file=sys.stderr)
    engine.run_forever(db, actor, interval=args.interval, stop=lambda: bool(stopping))
    return 0


def cmd_users_add(cfg: Config, args: argparse.Namespace) -> int:
    from app.domain.roles import parse_role
    from app.services import auth
    from app.services.context import system_actor

    db = _database(cfg)
    user_id = auth.create_user(db, system_actor(), auth.NewUser(
        code=args.code, name=args.name, role=parse_role(args.role), password=args.password,
        badge=args.badge))
    _print_json({"id": user_id, "code": args.code, "role": args.role})
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="packline", description="Packline warehouse workstation")
    p.add_argument("--home", type=Path, help="station folder (default: $PACKLINE_HOME)")
    sub = p.add_subparsers(dest="command")

    sub.add_parser("run", help="open the app (the default)").set_defaults(func=cmd_run)

    db = sub.add_parser("db", help="central database").add_subparsers(dest="db_command",
                                                                       required=True)
    db.add_parser("upgrade", help="migrate to the newest schema").set_defaults(
        func=cmd_db_upgrade)
    db.add_parser("check", help="fail if models and migrations differ").set_defaults(
        func=cmd_db_check)

    demo = sub.add_parser("demo", help="demo data").add_subparsers(dest="demo_command",
                                                                   required=True)
    seed = demo.add_parser("seed", help="seed reference data and orders (deterministic)")
    seed.add_argument("--orders", type=int, default=5000)
    seed.add_argument("--seed", type=int, default=20261111)
    seed.set_defaults(func=cmd_demo_seed)

    orders = sub.add_parser("orders", help="orders").add_subparsers(dest="orders_command",
                                                                    required=True)
    imp = orders.add_parser("import", help="import a JSON Lines or CSV order file")
    imp.add_argument("file")
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

    sim = sub.add_parser("simulate", help="send simulated channel traffic")
    sim.add_argument("--rate", type=float, required=True, help="orders per second")
    sim.add_argument("--duration", type=float, required=True, help="seconds")
    sim.add_argument("--seed", type=int, default=int(time.time()) % 100_000,
                     help="default: new orders each run")
    sim.add_argument("--no-events", action="store_true",
                     help="orders only, no payments, refunds or cancellations")
    sim.set_defaults(func=cmd_simulate)

    eng = sub.add_parser("engine", help="the order engine").add_subparsers(
        dest="engine_command", required=True)
    run = eng.add_parser("run", help="validate, review and route pending orders")
    run.add_argument("--once", action="store_true", help="process what is pending, then exit")
    run.add_argument("--batch", type=int, default=500)
    run.add_argument("--interval", type=float, default=2.0,
                     help="seconds to wait when the queue is empty")
    run.set_defaults(func=cmd_engine_run)

    event = orders.add_parser("event", help="apply a channel status event (once per key)")
    event.add_argument("order", help="CHANNEL:CHANNEL_ORDER_NO")
    event.add_argument("type", help="deposit_paid, balance_paid, refund_requested, cancelled "
                                    "or address_changed")
    event.add_argument("--key", required=True, help="the channel's event id or event time")
    event.add_argument("--payload", help='JSON, e.g. {"at": "...", "receiver": {...}}')
    event.set_defaults(func=cmd_orders_event)

    users = sub.add_parser("users", help="users").add_subparsers(dest="users_command",
                                                                 required=True)
    add = users.add_parser("add", help="create a user")
    add.add_argument("code")
    add.add_argument("--name", required=True)
    add.add_argument("--role", required=True, help="packer, picker, shift_lead or admin")
    add.add_argument("--password", required=True)
    add.add_argument("--badge")
    add.set_defaults(func=cmd_users_add)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    from app.logs import setup_logging

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        cfg = load_config(args.home)
    except SettingsError as exc:
        print(f"packline: {exc}", file=sys.stderr)
        return 2
    setup_logging(cfg, console=args.command != "run" and args.command is not None)
    func = getattr(args, "func", cmd_run)
    from sqlalchemy.exc import SQLAlchemyError

    from app.services.errors import ServiceError

    try:
        return int(func(cfg, args))
    except (ServiceError, ValueError) as exc:
        print(f"packline: {exc}", file=sys.stderr)
        return 2
    except SQLAlchemyError as exc:
        # Unreachable server, wrong credentials, a schema older than the code: say which
        # database and what it said, without a traceback; the log file has the details.
        logging.getLogger("packline.cli").info("database error", exc_info=True)
        first = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        print(f"packline: database error at {_safe_url(cfg.central_url)}: {first}",
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
