"""First start on the embedded database, measured: the real `run_app` on a fresh PACKLINE_HOME
seeds the demo orders in the background while a heartbeat timer on the GUI thread (every
10 ms) records how long the GUI thread was kept from its event loop; then the embedded engine
moves the orders while the heartbeat goes on. Prints the longest stall and the 99th percentile
of each phase, and how long the window took to paint.

    DISPLAY=:75 python tests/perf/bench_first_start.py   (or QT_QPA_PLATFORM=offscreen)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

START = time.perf_counter()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--after-engine", type=float, default=5.0,
                        help="seconds to keep measuring once no order is new any more")
    parser.add_argument("--limit", type=float, default=300.0)
    parser.add_argument("--login", default="admin:admin123",
                        help="who logs in once the demo is ready (the Orders screen then "
                             "follows the engine); empty: stay at the login")
    parser.add_argument("--screen", default="orders",
                        help="the screen shown after logging in (orders, exceptions, …)")
    args = parser.parse_args()
    # Always a fresh folder: a first start, never a station's real one.
    os.environ["PACKLINE_HOME"] = tempfile.mkdtemp(prefix="packline-first-")
    os.environ.pop("PACKLINE_CENTRAL_URL", None)

    from sqlalchemy import create_engine, text

    from app.config import load_config
    from app.ui.app import run_app
    from app.ui.qt import QApplication, QTimer

    cfg = load_config()
    app = QApplication.instance() or QApplication(sys.argv)
    phase = {"name": "start"}
    gaps: dict[str, list[float]] = {"seeding": [], "engine": [], "idle": []}
    marks: dict[str, float] = {}
    long_gaps: list[tuple[float, int, str]] = []  # (seconds since start, ms, phase)
    last = [time.perf_counter()]

    def beat() -> None:
        now = time.perf_counter()
        if "first_beat" not in marks:
            # The event loop runs: the window is up. The time before it is start-up, told
            # apart as `first_beat`, not a stall.
            marks["first_beat"] = now - START
        elif phase["name"] in gaps:
            gap = (now - last[0]) * 1000
            gaps[phase["name"]].append(gap)
            if gap > 100:
                long_gaps.append((round(now - START, 2), round(gap), phase["name"]))
        last[0] = now

    heart = QTimer()
    heart.setInterval(10)
    heart.timeout.connect(beat)
    heart.start()

    # The phases are read from the database by a thread of this script (never the GUI's).
    url = f"sqlite:///{Path(cfg.paths.station_db)}"
    done = threading.Event()

    def observe() -> None:
        engine = create_engine(url)
        phase["name"] = "seeding"
        marks["seeding_from"] = time.perf_counter() - START
        seen_routed = None
        idle_since = None
        while not done.is_set():
            time.sleep(0.2)
            try:
                with engine.connect() as c:
                    new = c.execute(text("SELECT count(*) FROM orders WHERE status = 'new'")
                                    ).scalar_one()
                    moved = c.execute(text("SELECT count(*) FROM orders WHERE status NOT IN "
                                           "('new')")).scalar_one()
            except Exception:  # noqa: BLE001 - not migrated yet
                continue
            now = time.perf_counter() - START
            if moved and seen_routed is None:
                seen_routed = now
                phase["name"] = "engine"
                marks["engine_from"] = now
            if seen_routed is not None and not new and idle_since is None:
                idle_since = now
                marks["engine_done"] = now
                phase["name"] = "idle"
            if idle_since is not None and now - idle_since > args.after_engine:
                done.set()
            if now > args.limit:
                done.set()
        engine.dispose()

    threading.Thread(target=observe, daemon=True).start()
    def tick() -> None:
        if done.is_set():
            app.quit()
            return
        if not args.login or "logged_in" in marks:
            return
        from app.ui.main_window import MainWindow

        window = next((w for w in app.topLevelWidgets() if isinstance(w, MainWindow)), None)
        if window is None or not window.login.isEnabled():
            return
        if window.actor is None:
            if "login_sent" not in marks:
                code, _, password = args.login.partition(":")
                window.login.user.setText(code)
                window.login.password.setText(password)
                window.login.button.click()
                marks["login_sent"] = time.perf_counter() - START
            return
        marks["logged_in"] = time.perf_counter() - START
        keys = list(window.open_screens)
        if args.screen in keys and window.nav is not None:
            window.nav.setCurrentRow(keys.index(args.screen))

    quitter = QTimer()
    quitter.setInterval(200)
    quitter.timeout.connect(tick)
    quitter.start()
    code = run_app(cfg)

    def summary(values: list[float]) -> dict[str, float]:
        if not values:
            return {}
        ordered = sorted(values)
        return {"beats": len(values), "max_ms": round(ordered[-1], 1),
                "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1], 1),
                "over_100ms": sum(1 for v in values if v > 100)}

    print(json.dumps({"exit": code, "marks_s": {k: round(v, 2) for k, v in marks.items()},
                      **{k: summary(v) for k, v in gaps.items()},
                      "stalls_over_100ms": long_gaps}, indent=1))
    record_figures(marks, gaps)
    return 0


def record_figures(marks: dict[str, float], gaps: dict[str, list[float]]) -> None:
    """The rows of `make bench`'s table (tests/perf/figures.py)."""
    import statistics

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tests.perf.figures import record

    if "first_beat" in marks:
        record("first start: window up, event loop running", median=marks["first_beat"], unit="s",
               note="a fresh embedded database; the modules load behind the window")
    for phase, words in (("seeding", "seeding the demo"),
                         ("engine", "the embedded engine running")):
        values = sorted(gaps[phase])
        if values:
            record(f"first start: GUI-thread gaps, {words}", median=statistics.median(values),
                   p99=values[min(len(values) - 1, round(0.99 * (len(values) - 1)))], unit="ms",
                   note=f"10 ms heartbeat{'; the Orders screen in view' if phase == 'engine' else ''}; longest {values[-1]:.0f} ms, "
                        f"{sum(1 for v in values if v > 100)} over 100 ms")


if __name__ == "__main__":
    sys.exit(main())
