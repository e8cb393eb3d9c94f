"""Packing benchmark (`make bench`): the time from a scan arriving on a serial scanner (a line
written to a pseudo-terminal) to the packing screen showing its result, while the station's
outbox is pushed to the central database in the background (goal: p99 < 20 ms), and the longest
the GUI thread went without running its event loop (goal: never more than 50 ms).

The central database is an SQLite file with demo orders routed, waved and picked; the station
packs them order by order, with a wrong item scanned now and then, through the real device
manager, screen, packing bench, station store, print queue and outbox.

`--mode stalled` packs while the central database does not answer: once the station holds its
waves, another connection takes the central file for itself, so every read of the centre (the
sync rounds', and the bench's asks on the scan path) waits for SQLite's busy timeout (10 s),
as on a link that drops packets. The goal there: scan → screen p99 < 50 ms all the same.

`--central pg` runs the same bench with the central database on a scratch PostgreSQL database
(`tests.helpers.databases.scratch_pg_database`, the server of PACKLINE_TEST_PG_URL), paced and
burst: the sync rounds and the scan path's asks then talk to a server over a socket, as at a
warehouse. Both rows are recorded for `make bench`'s table (`tests.perf.figures`).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PACKLINE_MUTE", "1")

from app.config import Settings  # noqa: E402
from app.services import demo  # noqa: E402
from app.services.context import system_actor  # noqa: E402
from app.store import migrate  # noqa: E402
from app.store.db import Database  # noqa: E402
from app.ui.qt import QApplication, QTimer  # noqa: E402
from drivers.sim import PtyFeed  # noqa: E402
from tests.helpers.packing import actor, picked_wave, station, unit_codes  # noqa: E402

GOAL_P99_MS = 20.0
GOAL_STALL_MS = 50.0
GOAL_STALLED_LINK_P99_MS = 50.0
GOAL_PG_STALL_MS = 30.0  # with the central database on PostgreSQL


def _wait(app: QApplication, predicate, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        app.processEvents()
        if time.monotonic() > deadline:
            raise TimeoutError("the screen did not answer")
        time.sleep(0.0005)


def _stop(pusher) -> None:  # type: ignore[no-untyped-def]
    """No more sync rounds, and the one under way finished."""
    if hasattr(pusher, "close"):
        pusher.close()
    else:
        pusher.stop()


class _EventLoop:
    """Waits as the app does between scans: in Qt's event loop, the GUI thread asleep until
    an event comes (a poll loop beside it would take the interpreter every half millisecond
    from the threads the scans run on, which the app never does). `wake()` (called when the
    screen shows a result) and a timer at the time asked for end a wait; a slow guard timer
    looks at the condition again now and then."""

    def __init__(self) -> None:
        from app.ui.qt import QEventLoop

        self.loop = QEventLoop()
        self.guard = QTimer()
        self.guard.setInterval(100)
        self.guard.timeout.connect(self.loop.quit)

    def wake(self) -> None:
        self.loop.quit()

    def until(self, predicate, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        self.guard.start()
        try:
            while not predicate():
                if time.monotonic() > deadline:
                    raise TimeoutError("the screen did not answer")
                self.loop.exec()
        finally:
            self.guard.stop()

    def sleep(self, seconds: float) -> None:
        due = time.perf_counter() + seconds
        QTimer.singleShot(max(0, round(seconds * 1000)), self.loop.quit)
        self.until(lambda: time.perf_counter() >= due)


@contextmanager
def central_url(kind: str, tmp: str) -> Iterator[str]:
    """The central database's URL: an SQLite file in `tmp`, or a scratch PostgreSQL database
    (dropped afterwards)."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp}/central.db"
        return
    from tests.helpers.databases import scratch_pg_database

    with scratch_pg_database("bench_packing") as url:
        yield url


def run(orders_wanted: int = 12, cjk: str = "graphic", sync_every_ms: int = 500,
        pace_ms: int = 0, stalled: bool = False, central_db: str = "sqlite",
        sync: str = "process") -> dict[str, float]:
    """`sync`: "process", the station's sync in a process of its own, as the app runs it
    (`app.ui.sync_process`); "thread", on a thread of the app's process (`OutboxPusher`)."""
    from app.station.devices import DeviceService
    from app.station.sync_service import options_for
    from app.ui import tasks
    from app.ui.app import OutboxPusher, settle_memory, tune_threads
    from app.ui.device_manager import DeviceManager
    from app.ui.packing_screen import PackingScreen
    from app.ui.sync_process import SyncProcess

    tune_threads()  # as `packline run` does
    app = QApplication.instance() or QApplication([])
    if stalled and central_db != "sqlite":
        raise ValueError("the stalled mode holds the central SQLite file")
    with tempfile.TemporaryDirectory() as tmp, central_url(central_db, tmp) as url:
        central = Database.from_url(url)
        migrate.upgrade(central.bind)  # type: ignore[arg-type]
        demo.seed(central, system_actor(), orders=max(600, 20 * orders_wanted), seed=11)
        orders = picked_wave(central, orders=orders_wanted)
        while len(orders) < orders_wanted:  # another wave until there are enough to pack
            more = picked_wave(central, orders=orders_wanted)
            if len(more) == len(orders):
                break
            orders = more
        # The bench's ZPL label printer: a fake 9100 printer in its own process, as a real
        # printer is its own device.
        printer = subprocess.Popen([sys.executable, "-m", "drivers.printers.fake", "--port", "0",
                                    "--language", "zpl"], cwd=ROOT, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, text=True)
        assert printer.stdout is not None
        printer_url = f"tcp://127.0.0.1:{int(printer.stdout.readline())}"
        home = Path(tmp) / "home"
        runtime = station(central, home,
                          f"[printer:label]\nurl = {printer_url}\nlanguage = zpl\n"
                          f"cjk = {cjk}\n[central]\nurl = {url}\n")
        runtime.refill_tracking(system_actor(runtime.code))  # as the app does at start
        runtime.cache_work()  # and in the background: the waves ready to pack
        # A station that has synced before: its first push and pull (the reference tables
        # whole) are behind it; the rounds during the scans bring what changed.
        runtime.push_outbox()
        runtime.pull_changes()
        runtime.start()
        feed = PtyFeed()
        ini = Path(tmp) / "devices.ini"
        ini.write_text(f"[device:pack]\nkind = scanner\nurl = {feed.url}?suffix=CR\n",
                       encoding="utf-8")
        service = DeviceService(Settings.load(ini), watch_ports=False)
        devices = DeviceManager(service)
        service.start()
        screen = PackingScreen(runtime, actor(central, "packer01"), devices)
        screen.show()
        pusher: OutboxPusher | SyncProcess
        if sync == "process":
            pusher = SyncProcess(runtime, screen, every_ms=sync_every_ms,
                                 options=options_for(home, "home"))
        else:
            pusher = OutboxPusher(runtime, screen, every_ms=sync_every_ms)
        pusher.start()
        shown: list[float] = []
        original = screen.show_view

        waiter = _EventLoop()

        def timed(view):  # type: ignore[no-untyped-def]
            original(view)
            shown.append(time.perf_counter())
            waiter.wake()

        screen.show_view = timed  # type: ignore[method-assign]
        stalls: list[float] = []
        last = [time.perf_counter()]

        def beat() -> None:
            now = time.perf_counter()
            stalls.append(now - last[0])
            last[0] = now

        heart = QTimer()
        heart.setInterval(5)
        heart.timeout.connect(beat)
        _wait(app, lambda: (state := service.state("pack")) is not None
              and state.status.value == "connected")
        _wait(app, lambda: not screen.busy)
        # The sync process up and through its first round (an app's is, long before a packer
        # logs in and scans).
        _wait(app, lambda: pusher.rounds >= 1, timeout=120)
        settle_memory()  # as `packline run` does once the station is up
        codes = {no: unit_codes(central, no) for no in orders}  # what the labels say
        holder = None
        if stalled:  # the centre stops answering (see the module's docstring)
            _stop(pusher)
            tasks.wait_idle(30_000)
            central.bind.dispose()  # in WAL mode every open connection shares the file
            holder = sqlite3.connect(f"{tmp}/central.db", timeout=30, isolation_level=None)
            holder.execute("PRAGMA locking_mode=EXCLUSIVE")
            holder.execute("BEGIN EXCLUSIVE")
            holder.execute("UPDATE orders SET remark = remark WHERE id = 1")
            pusher.start()
        last[0] = time.perf_counter()  # stalls count from here, not from before the waits
        heart.start()
        # A sync round runs as the scans start (and then on the pusher's 500 ms timer), so the
        # scans always share the station with the pusher, however quickly they go.
        rounds = pusher.rounds
        pusher.push()
        latencies: list[float] = []

        def scan(code: str) -> None:
            if pace_ms:  # the next scan comes `pace_ms` after the last, the screen running
                waiter.sleep(pace_ms / 1000)
            before = len(shown)
            start = time.perf_counter()
            feed.write(code)
            waiter.until(lambda: len(shown) > before)
            latencies.append(shown[-1] - start)
            if os.environ.get("BENCH_DEBUG"):
                print(f"{(shown[-1] - start) * 1000:7.2f} ms  {code}", file=sys.stderr)

        for n, order_no in enumerate(orders):
            scan(order_no)
            for code in codes[order_no]:
                if n % 3 == 0:
                    scan("6901234567892")  # a wrong item now and then
                scan(code)
        heart.stop()
        rounds = pusher.rounds - rounds
        if holder is not None:  # the centre answers again
            holder.execute("ROLLBACK")
            holder.close()
        _wait(app, lambda: runtime.push_outbox().remaining == 0, timeout=60)
        _stop(pusher)
        tasks.wait_idle(30_000)  # a sync round or a list still loading: done before cleanup
        devices.close()
        service.stop()
        feed.close()
        screen.close()
        screen.deleteLater()
        app.processEvents()
        runtime.stop()
        printer.terminate()
        printer.communicate(timeout=10)
        central.dispose()
    ms = sorted(x * 1000 for x in latencies)
    return {"scans": len(ms), "orders": len(orders), "p50": statistics.median(ms),
            "p99": ms[min(len(ms) - 1, int(len(ms) * 0.99))], "max": ms[-1],
            "stall": max(stalls) * 1000 if stalls else 0.0, "rounds": rounds}


MODES = {
    # Scans back to back, each written the moment the last result shows, with the sync every
    # 500 ms (ten times the station's pace): the worst case, everything piled together.
    "burst": {"pace_ms": 0, "sync_every_ms": 500},
    # A scan every 200 ms (faster than a packer's hands) with the sync at the station's own
    # 5 s: what a fast packer meets on a station.
    "paced": {"pace_ms": 200, "sync_every_ms": 5000},
    # Paced, while the central database does not answer at all.
    "stalled": {"pace_ms": 200, "sync_every_ms": 5000, "stalled": True},
}


def describe(mode: str, f: dict[str, float], cjk: str, central_db: str) -> None:
    on = "PostgreSQL" if central_db == "pg" else "SQLite"
    print(f"== packing, {mode}, central database on {on}: {int(f['scans'])} scans over "
          f"{int(f['orders'])} orders, pseudo-terminal scanner → screen, the sync every "
          f"{MODES[mode]['sync_every_ms']} ms ({int(f['rounds'])} rounds during the scans), "
          f"ZPL labels with Chinese as {'graphics' if cjk == 'graphic' else 'the printer font'}")
    print(f"  scan → result shown  p50 {f['p50']:6.2f} ms  p99 {f['p99']:6.2f} ms  "
          f"max {f['max']:6.2f} ms   goal p99 < {GOAL_P99_MS:.0f} ms: "
          f"{'met' if f['p99'] < GOAL_P99_MS else 'NOT met'}")
    print(f"  longest GUI-thread stall {f['stall']:6.1f} ms   goal < {GOAL_PG_STALL_MS:.0f} "
          f"ms: {'met' if f['stall'] < GOAL_PG_STALL_MS else 'NOT met'}")


def main_pg(orders: int, cjk: str, modes: list[str]) -> int:
    """Paced and burst with the central database on PostgreSQL; the rows of `make bench`."""
    from tests.helpers.databases import pg_available
    from tests.perf.figures import record

    reason = pg_available()
    if reason is not None:
        print(f"== packing on PostgreSQL: skipped, the server does not answer ({reason})")
        return 1
    stalls = []
    for mode in modes:
        f = run(orders, cjk, **MODES[mode], central_db="pg")
        describe(mode, f, cjk, "pg")
        stalls.append((f["stall"], mode))
        record(f"scan → screen p99 (PostgreSQL, {mode})", median=f["p50"], p99=f["p99"],
               goal=GOAL_P99_MS, unit="ms",
               note=f"{int(f['scans'])} scans, the sync every {MODES[mode]['sync_every_ms']} ms")
    worst, mode = max(stalls)
    record("worst GUI stall (PostgreSQL)", median=worst, goal=GOAL_PG_STALL_MS, unit="ms",
           note=f"{mode}, a 5 ms heartbeat timer on the GUI thread")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=12)
    parser.add_argument("--mode", choices=[*MODES, "all"], default="all")
    parser.add_argument("--cjk", choices=["graphic", "font"], default="graphic",
                        help="the label printer draws Chinese as graphics or has a CJK font")
    parser.add_argument("--central", choices=["sqlite", "pg"], default="sqlite",
                        help="the central database: an SQLite file, or a scratch PostgreSQL "
                             "database (paced and burst)")
    args = parser.parse_args()
    if args.central == "pg":
        return main_pg(args.orders, args.cjk, [m for m in ("paced", "burst")
                                               if args.mode in (m, "all")])
    results = {}
    for mode in (MODES if args.mode == "all" else [args.mode]):
        f = results[mode] = run(args.orders, args.cjk, **MODES[mode])
        print(f"== packing, {mode}: {int(f['scans'])} scans over {int(f['orders'])} orders, "
              f"pseudo-terminal scanner → screen, the sync every "
              f"{MODES[mode]['sync_every_ms']} ms ({int(f['rounds'])} rounds during the "
              f"scans), ZPL labels with Chinese as "
              f"{'graphics' if args.cjk == 'graphic' else 'the printer font'}")
        goal = GOAL_STALLED_LINK_P99_MS if MODES[mode].get("stalled") else GOAL_P99_MS
        print(f"  scan → result shown  p50 {f['p50']:6.2f} ms  p99 {f['p99']:6.2f} ms  "
              f"max {f['max']:6.2f} ms   goal p99 < {goal:.0f} ms: "
              f"{'met' if f['p99'] < goal else 'NOT met'}"
              f"{'  (the central database not answering)' if MODES[mode].get('stalled') else ''}")
        print(f"  longest GUI-thread stall {f['stall']:6.1f} ms   goal < {GOAL_STALL_MS:.0f} "
              f"ms: {'met' if f['stall'] < GOAL_STALL_MS else 'NOT met'}")
    record_sqlite(results)
    return 0


def record_sqlite(results: dict[str, dict[str, float]]) -> None:
    """The rows of `make bench`'s table (tests/perf/figures.py), the central on SQLite."""
    from tests.perf.figures import record

    for mode, f in results.items():
        stalled = bool(MODES[mode].get("stalled"))
        record(f"scan → screen p99 (SQLite, {mode})", median=f["p50"], p99=f["p99"],
               goal=GOAL_STALLED_LINK_P99_MS if stalled else GOAL_P99_MS, unit="ms",
               note=f"{int(f['scans'])} scans, the sync every {MODES[mode]['sync_every_ms']} ms"
                    + (f"; the central database not answering, stall {f['stall']:.1f} ms"
                       if stalled else ""))
    stalls = [(f["stall"], mode) for mode, f in results.items()
              if not MODES[mode].get("stalled")]
    if stalls:
        worst, mode = max(stalls)
        record("worst GUI stall (SQLite)", median=worst, goal=GOAL_STALL_MS, unit="ms",
               note=f"{mode}, a 5 ms heartbeat timer on the GUI thread")


if __name__ == "__main__":
    sys.exit(main())
