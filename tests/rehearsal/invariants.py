"""What must hold after the rehearsal, whatever the faults did: read in SQL from the central
database and from every station's store (docs/rehearsal.md names each and what it proves).

Each check returns a `Result`: its name, whether it holds, and a line saying what was counted
(or the first rows that break it). The SQL runs on PostgreSQL (the rehearsal) and on SQLite
(the unit tests that break a database on purpose and watch each check fail).
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

# Statuses in which an order holds stock reserved for its picker (what it does not yet have
# in hand): routed, released in a wave, being picked.
HOLDING = ("routed", "in_wave", "picking")
SHOWN = 5  # rows named when a check fails


@dataclass(frozen=True, slots=True)
class Result:
    name: str
    ok: bool
    detail: str


Stores = Mapping[str, Path]  # station code → its station.db


@contextmanager
def _store(path: Path) -> Iterator[sqlite3.Connection]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)) as conn:
        yield conn


def _rows(stores: Stores, sql: str) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """(station, row) for each row of `sql` in every store that exists."""
    for code, path in sorted(stores.items()):
        if not path.exists():
            continue
        with _store(path) as conn:
            for row in conn.execute(sql):
                yield code, tuple(row)


def _named(items: list[Any]) -> str:
    shown = ", ".join(str(i) for i in items[:SHOWN])
    return shown + (f" … ({len(items)} in all)" if len(items) > SHOWN else "")


def _result(name: str, bad: list[Any], good: str, what: str) -> Result:
    if bad:
        return Result(name, False, f"{what}: {_named(bad)}")
    return Result(name, True, good)


# ------------------------------------------------------------------ stock


def stock_never_negative(conn: sa.Connection, stores: Stores) -> Result:
    """No stock row below zero on hand or reserved, none reserving more than it holds; and
    the stock ledger, replayed in order, never took a row below zero."""
    bad = [f"stock {r.id}: on_hand {r.on_hand}, reserved {r.reserved}"
           for r in conn.execute(sa.text(
               "SELECT id, on_hand, reserved FROM stock WHERE on_hand < 0 OR reserved < 0 "
               "OR reserved > on_hand ORDER BY id"))]
    dipped = [f"sku {r.sku_id} bin {r.bin_id} at movement {r.id}: {r.running}"
              for r in conn.execute(sa.text(
                  "SELECT sku_id, bin_id, id, running FROM ("
                  " SELECT sku_id, bin_id, id, sum(delta_on_hand) OVER ("
                  "  PARTITION BY sku_id, bin_id ORDER BY id) AS running"
                  " FROM stock_movements) AS ledger WHERE running < 0 ORDER BY id"))]
    rows = conn.execute(sa.text("SELECT count(*) FROM stock")).scalar()
    return _result("stock never negative", bad + dipped,
                   f"{rows:,} stock rows, none below zero now or at any movement of the ledger",
                   "below zero")


def reserved_matches_orders(conn: sa.Connection, stores: Stores) -> Result:
    """Reserved stock is exactly what routed orders not yet picked hold: each stock row's
    reserved and on-hand equal its ledger; each order holds (by the ledger) its units not yet
    picked while routed, in a wave or being picked, and nothing in any other status; and the
    warehouse's reserved total equals the units those orders still need."""
    bad = [f"stock {r.id}: reserved {r.reserved} vs ledger {r.lr}, on_hand {r.on_hand} vs "
           f"ledger {r.lo}" for r in conn.execute(sa.text(
               "SELECT st.id, st.reserved, st.on_hand, coalesce(l.lr, 0) AS lr, "
               "coalesce(l.lo, 0) AS lo FROM stock st LEFT JOIN ("
               " SELECT sku_id, bin_id, sum(delta_reserved) AS lr, sum(delta_on_hand) AS lo"
               " FROM stock_movements GROUP BY sku_id, bin_id) AS l"
               " ON l.sku_id = st.sku_id AND l.bin_id = st.bin_id "
               "WHERE st.reserved <> coalesce(l.lr, 0) OR st.on_hand <> coalesce(l.lo, 0) "
               "ORDER BY st.id"))]
    holding = ", ".join(f"'{s}'" for s in HOLDING)
    orders = list(conn.execute(sa.text(
        "SELECT o.order_no, o.status, coalesce(u.units, 0) AS units, "
        " coalesce(m.held, 0) AS held, coalesce(m.picked, 0) AS picked "
        "FROM orders o "
        "LEFT JOIN (SELECT order_id, sum(qty) AS units FROM order_lines "
        "           WHERE sku_id IS NOT NULL GROUP BY order_id) AS u ON u.order_id = o.id "
        "LEFT JOIN (SELECT order_id, sum(delta_reserved) AS held, "
        "           -sum(CASE WHEN reason = 'pick' THEN delta_on_hand ELSE 0 END) AS picked "
        "           FROM stock_movements WHERE order_id IS NOT NULL "
        "           AND reason IN ('reserve', 'release', 'pick') GROUP BY order_id) AS m "
        " ON m.order_id = o.id "
        f"WHERE coalesce(m.held, 0) <> CASE WHEN o.status IN ({holding}) "
        " THEN coalesce(u.units, 0) - coalesce(m.picked, 0) ELSE 0 END "
        "ORDER BY o.id")))
    bad += [f"{r.order_no} ({r.status}): holds {r.held} of {r.units} units, "
            f"{r.picked} picked" for r in orders]
    total = conn.execute(sa.text("SELECT coalesce(sum(reserved), 0) FROM stock")).scalar()
    owed = conn.execute(sa.text(
        "SELECT coalesce(sum(u.units - coalesce(p.picked, 0)), 0) FROM orders o "
        "JOIN (SELECT order_id, sum(qty) AS units FROM order_lines "
        "      WHERE sku_id IS NOT NULL GROUP BY order_id) AS u ON u.order_id = o.id "
        "LEFT JOIN (SELECT order_id, -sum(delta_on_hand) AS picked FROM stock_movements "
        "           WHERE reason = 'pick' GROUP BY order_id) AS p ON p.order_id = o.id "
        f"WHERE o.status IN ({holding})")).scalar()
    if total != owed:
        bad.append(f"reserved in all {total} ≠ {owed} units routed orders still need")
    return _result("reserved == units of routed orders not yet picked", bad,
                   f"{total:,} units reserved = {owed:,} units routed, in wave or being "
                   "picked and not yet picked; every stock row equals its ledger",
                   "mismatch")


# ------------------------------------------------------------------ waves and packing


def one_wave_per_order(conn: sa.Connection, stores: Stores) -> Result:
    """No order is a live member of two waves, and an order that is in a wave is a live
    member of that very wave."""
    twice = [f"order {r.order_id} in {r.n} waves" for r in conn.execute(sa.text(
        "SELECT order_id, count(*) AS n FROM wave_orders WHERE removed_at IS NULL "
        "GROUP BY order_id HAVING count(*) > 1 ORDER BY order_id"))]
    astray = [f"{r.order_no} ({r.status}) in wave {r.wave_id} without its membership"
              for r in conn.execute(sa.text(
                  "SELECT o.order_no, o.status, o.wave_id FROM orders o "
                  "WHERE o.wave_id IS NOT NULL AND o.status IN ('in_wave', 'picking') "
                  "AND NOT EXISTS (SELECT 1 FROM wave_orders w WHERE w.order_id = o.id "
                  " AND w.wave_id = o.wave_id AND w.removed_at IS NULL) ORDER BY o.id"))]
    members = conn.execute(sa.text(
        "SELECT count(*) FROM wave_orders WHERE removed_at IS NULL")).scalar()
    return _result("no order in two waves", twice + astray,
                   f"{members:,} live wave memberships, each order in one wave", "broken")


def packed_once(conn: sa.Connection, stores: Stores) -> Result:
    """No order was packed twice: at most one packed session per order over all stations,
    and at most one confirmed pack the centre applied."""
    sessions = Counter(order_no for _code, (order_no,) in _rows(
        stores, "SELECT order_no FROM pack_sessions WHERE status = 'packed'"))
    applied: Counter[str] = Counter()
    for _code, (payload,) in _rows(stores, "SELECT payload FROM outbox WHERE kind = "
                                           "'pack.confirmed' AND outcome = 'applied'"):
        applied[str(json.loads(payload).get("order_no"))] += 1
    bad = [f"{no} packed at {n} benches" for no, n in sorted(sessions.items()) if n > 1]
    bad += [f"{no} confirmed {n} times centrally" for no, n in sorted(applied.items())
            if n > 1]
    boxes = conn.execute(sa.text(
        "SELECT count(*) FROM packages WHERE status IN ('packed', 'handed_over')")).scalar()
    return _result("no order packed twice", bad,
                   f"{sum(sessions.values()):,} orders packed at the benches, "
                   f"{sum(applied.values()):,} confirmations applied, {boxes:,} boxes",
                   "twice")


def tracking_used_once(conn: sa.Connection, stores: Stores) -> Result:
    """Every tracking number was used once: on one box centrally, for one box at one
    station, and the box a station labelled carries that number centrally."""
    bad = [f"{r.tracking_no} on {r.n} boxes" for r in conn.execute(sa.text(
        "SELECT tracking_no, count(*) AS n FROM packages WHERE tracking_no IS NOT NULL "
        "GROUP BY tracking_no HAVING count(*) > 1"))]
    used: dict[str, list[str]] = defaultdict(list)
    box_of: dict[str, str] = {}
    for code, (number, box) in _rows(stores, "SELECT number, used_for FROM station_tracking "
                                             "WHERE used_for IS NOT NULL"):
        used[number].append(f"{code}:{box}")
        box_of[number] = box
    bad += [f"{number} used for {', '.join(where)}" for number, where in sorted(used.items())
            if len(where) > 1]
    central = {f"{r.order_no}:{r.box_no}": r.tracking_no for r in conn.execute(sa.text(
        "SELECT o.order_no, p.box_no, p.tracking_no FROM packages p "
        "JOIN orders o ON o.id = p.order_id WHERE p.tracking_no IS NOT NULL"))}
    numbers = set(central.values())
    labelled = {box: number for number, box in box_of.items()}
    bad += [f"box {box}: {labelled[box]} at the station, {central[box]} centrally"
            for box in sorted(set(labelled) & set(central)) if labelled[box] != central[box]]
    pool = {r.number: r.status for r in conn.execute(sa.text(
        "SELECT number, status FROM tracking_numbers WHERE number IN (SELECT tracking_no "
        "FROM packages WHERE tracking_no IS NOT NULL)"))}
    bad += [f"{n} on a box but {pool.get(n, 'not in the pool')}" for n in sorted(numbers)
            if pool.get(n) != "used"]
    return _result("every tracking number used once", bad,
                   f"{len(numbers):,} numbers on boxes centrally, {len(used):,} used at the "
                   "stations, each once and the same on both sides", "used twice or astray")


def events_applied_once(conn: sa.Connection, stores: Stores) -> Result:
    """Every event a station pushed reached the centre once, with the outcome the station
    was told; every order packed at a bench has one confirmation, and every order the centre
    holds as packed by a station came from one confirmation it applied."""
    central = {r.event_id: r.outcome for r in conn.execute(sa.text(
        "SELECT event_id, outcome FROM applied_events"))}
    bad: list[str] = []
    confirmed: Counter[str] = Counter()
    pushed = 0
    for code, (event_id, kind, outcome, payload, pushed_at) in _rows(
            stores, "SELECT id, kind, outcome, payload, pushed_at FROM outbox"):
        if pushed_at is None:
            continue  # not pushed: the outbox check says so
        pushed += 1
        if event_id not in central:
            bad.append(f"{code} {kind} {event_id} pushed but not at the centre")
        elif central[event_id] != outcome:
            bad.append(f"{code} {kind} {event_id}: {outcome} at the station, "
                       f"{central[event_id]} centrally")
        if kind == "pack.confirmed":
            confirmed[str(json.loads(payload).get("order_no"))] += 1
    packed_here = Counter(no for _code, (no,) in _rows(
        stores, "SELECT order_no FROM pack_sessions WHERE status = 'packed'"))
    bad += [f"{no} packed at a bench with {confirmed.get(no, 0)} confirmations"
            for no in sorted(packed_here) if confirmed.get(no, 0) != 1]
    by_station = [r.order_no for r in conn.execute(sa.text(
        "SELECT DISTINCT o.order_no FROM orders o JOIN packages p ON p.order_id = o.id "
        "WHERE p.station_id IS NOT NULL AND o.status IN ('packed', 'shipped') "
        "ORDER BY o.order_no"))]
    applied_orders: set[str] = set()
    for _code, (event_id, payload) in _rows(
            stores, "SELECT id, payload FROM outbox WHERE kind = 'pack.confirmed'"):
        if central.get(event_id) == "applied":
            applied_orders.add(str(json.loads(payload).get("order_no")))
    if stores:
        bad += [f"{no} packed centrally without a confirmation applied"
                for no in by_station if no not in applied_orders]
    return _result("every packed order's events applied exactly once", bad,
                   f"{pushed:,} events pushed, each at the centre once with the same outcome; "
                   f"{sum(packed_here.values()):,} packed orders, one confirmation each",
                   "not applied once")


def outboxes_empty(conn: sa.Connection, stores: Stores) -> Result:
    """After the final drain nothing waits in any station's outbox."""
    waiting = Counter(code for code, _row in _rows(
        stores, "SELECT id FROM outbox WHERE pushed_at IS NULL"))
    bad = [f"{code}: {n} waiting" for code, n in sorted(waiting.items())]
    present = sum(1 for p in stores.values() if p.exists())
    return _result("outboxes empty", bad, f"{present} station stores, nothing waiting",
                   "not empty")


def scans_acted_on(conn: sa.Connection, stores: Stores) -> Result:
    """No scan lost at a bench: every scan its journal holds was acted on (applied or
    refused), and every packed order counted each of its units once."""
    pending = [f"{code}: {value!r}" for code, (value,) in _rows(
        stores, "SELECT value FROM bench_scans WHERE status = 'pending'")]
    counted: dict[tuple[str, str], int] = defaultdict(int)
    wanted: dict[tuple[str, str], int] = {}
    for code, (order_no, snapshot, _kind, payload) in _rows(
            stores, "SELECT s.order_no, s.snapshot, e.kind, e.payload FROM pack_sessions s "
                    "LEFT JOIN pack_events e ON e.session_id = s.id AND e.accepted = 1 "
                    "AND e.kind = 'ItemScanned' WHERE s.status = 'packed'"):
        key = (code, order_no)
        snap = json.loads(snapshot)
        lines = snap.get("lines") or ()
        wanted[key] = sum(int(ln["qty"]) for ln in lines)
        if payload is None:
            continue
        event = json.loads(payload)
        units = next((int(u) for ln in lines for c, u in ln.get("codes") or ()
                      if c == event.get("code")), 1)
        counted[key] += units * int(event.get("qty") or 1)
    wrong = [f"{code} {no}: {counted[(code, no)]} units counted of {wanted[(code, no)]}"
             for code, no in sorted(wanted) if counted[(code, no)] != wanted[(code, no)]]
    return _result("no scan lost, no unit counted twice", pending + wrong,
                   f"every journaled scan acted on; {len(wanted):,} packed orders counted "
                   "unit for unit", "lost or doubled")


def labels_printed(conn: sa.Connection, stores: Stores) -> Result:
    """Every waybill a bench queued reached its printer (none waiting or failed)."""
    bad = [f"{code}: {title} {status} ({error[:60]})" for code, (title, status, error) in _rows(
        stores, "SELECT title, status, last_error FROM print_jobs WHERE kind = 'waybill' "
                "AND status <> 'sent'")]
    sent = sum(1 for _c, _r in _rows(
        stores, "SELECT id FROM print_jobs WHERE kind = 'waybill' AND status = 'sent'"))
    return _result("every waybill printed", bad, f"{sent:,} waybills sent to their printers",
                   "not printed")


def audit_complete(conn: sa.Connection, stores: Stores) -> Result:
    """The audit has a row for every state change of every order: its creation row, then its
    status rows, form one unbroken chain (each move starts where the last one ended) up to
    the status the order has now."""
    chain = ("SELECT entity_id, action, before, after, lag(after) OVER ("
             " PARTITION BY entity_id ORDER BY id) AS prev, row_number() OVER ("
             " PARTITION BY entity_id ORDER BY id) AS n, row_number() OVER ("
             " PARTITION BY entity_id ORDER BY id DESC) AS last FROM audit_log "
             "WHERE entity = 'order' AND action IN ('order.created', 'order.status')")
    bad = [f"{r.entity_id}: {r.action} {r.before} → {r.after} after {r.prev}"
           for r in conn.execute(sa.text(
               f"SELECT entity_id, action, before, after, prev FROM ({chain}) AS c "
               "WHERE (n = 1 AND action <> 'order.created') "
               "OR (n > 1 AND (action <> 'order.status' OR before IS NULL "
               "    OR prev IS NULL OR before <> prev)) ORDER BY entity_id"))]
    bad += [f"{r.order_no}: {r.status} now, audit says {r.after or 'nothing'}"
            for r in conn.execute(sa.text(
                f"SELECT o.order_no, o.status, c.after FROM orders o LEFT JOIN ({chain}) AS c "
                "ON c.entity_id = o.order_no AND c.last = 1 "
                "WHERE c.after IS NULL OR c.after <> o.status ORDER BY o.id"))]
    rows = conn.execute(sa.text(
        "SELECT count(*) FROM audit_log WHERE entity = 'order' "
        "AND action IN ('order.created', 'order.status')")).scalar()
    return _result("the audit has a row for every state change", bad,
                   f"{rows:,} creation and status rows, every order's chain unbroken from its "
                   "creation to its status now", "gap")


CHECKS: tuple[Callable[[sa.Connection, Stores], Result], ...] = (
    stock_never_negative, reserved_matches_orders, one_wave_per_order, packed_once,
    tracking_used_once, events_applied_once, outboxes_empty, scans_acted_on, labels_printed,
    audit_complete)


def check_all(url: str, stores: Stores) -> list[Result]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return [_guarded(check, conn, stores) for check in CHECKS]
    finally:
        engine.dispose()


def _guarded(check: Callable[[sa.Connection, Stores], Result], conn: sa.Connection,
             stores: Stores) -> Result:
    try:
        return check(conn, stores)
    except Exception as exc:  # noqa: BLE001 - a check that cannot run does not hold
        conn.rollback()
        return Result(check.__name__, False, f"could not be checked: {exc}")
