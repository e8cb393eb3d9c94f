"""The packing station killed (SIGKILL) at random moments while `packline station replay` packs
a script of orders, fifty times over; after each restart the same script is fed again. In the
end every order is packed once at the station and once centrally, each with one tracking
number, and every unit was counted once: no scan lost, nothing doubled. Every line of the
script is in the bench's journal once, applied: a line fed again after a kill was recognised,
not counted a second time (which used to confirm an order one unit short and refuse its last
real unit)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.station.models import BenchScan, PackEvent, PackSession
from app.station.store import open_store
from app.store.db import Database
from app.store.models import AppliedEvent, Order, Package
from tests.helpers.cli import packline, packline_process
from tests.helpers.orders import write_jsonl
from tests.helpers.packing import picked_wave, unit_codes

pytestmark = pytest.mark.timeout(900)
KILLS = 50


def _replay(home: Path, url: str, script: Path) -> subprocess.Popen[str]:
    # Killed on purpose: what it would say about files left open is no finding.
    return packline_process(home, "station", "replay", str(script), central_url=url,
                            as_user="packer01", env={"PYTHONWARNINGS": "ignore"},
                            warnings_are_errors=False, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def _events_here(home: Path) -> int:
    """Pack events written so far (read straight from the file, as a watchdog would)."""
    import sqlite3

    path = home / "station.db"
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("SELECT count(*) FROM pack_events").fetchone()[0])
    except sqlite3.Error:  # not created yet
        return 0


def _packed_here(home: Path) -> int:
    path = home / "station.db"
    if not path.exists():
        return 0
    store = open_store(path)
    try:
        with store.reader() as s:
            return s.scalar(select(func.count()).select_from(PackSession)
                            .where(PackSession.status == "packed")) or 0
    finally:
        store.dispose()


def test_fifty_kills_lose_no_scan_and_double_nothing(tmp_path: Path) -> None:
    central_home = tmp_path / "central"
    assert packline(central_home, "demo", "seed", "--orders", "300", "--seed", "8"
                    ).returncode == 0
    url = f"sqlite:///{central_home / 'station.db'}"
    db = Database.from_url(url)
    # The script must outlast the kills: each kill lands a step or two (rarely more) after
    # the last, so four steps per kill leaves room for an unlucky run.
    orders: list[str] = []
    units: dict[str, list[str]] = {}
    steps: list[dict[str, str]] = []
    while len(steps) < 4 * KILLS:  # one more picked wave each time
        more = picked_wave(db, orders=20)
        if len(more) == len(orders):
            break
        orders = more
        units = {no: unit_codes(db, no) for no in orders}
        steps = []
        for no in orders:
            steps.append({"scan": no})
            steps.extend({"scan": code} for code in units[no])
    db.dispose()
    assert len(steps) >= 4 * KILLS, len(steps)
    script = write_jsonl(tmp_path / "scans.jsonl", steps)
    home = tmp_path / "bench"
    home.mkdir()
    (home / "station.ini").write_text("[station]\ncode = ST-KILL-01\n", encoding="utf-8")
    rng = random.Random(20261111)
    progress = []  # orders packed at the bench after each kill
    kills = 0
    while kills < KILLS:
        proc = _replay(home, url, script)
        # Kill after a random few more steps were written: mid-order, mid-label, anywhere.
        target = _events_here(home) + rng.randint(1, 2)
        deadline = time.monotonic() + 60
        while proc.poll() is None and _events_here(home) < target \
                and time.monotonic() < deadline:
            time.sleep(rng.uniform(0.0, 0.003))  # a random moment to kill at, on purpose
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            kills += 1
        proc.wait(30)
        progress.append(_packed_here(home))
        if proc.returncode == 0:  # it got to the end of the script before the kill
            break
    # The kills fell in the middle of the work, not only before or after it.
    assert len({n for n in progress if 0 < n < len(orders)}) >= 10, progress
    assert kills >= KILLS, f"the script ended after {kills} kills: {progress}"
    done = _replay(home, url, script)
    assert done.wait(300) == 0
    synced = packline(home, "sync", "once", central_url=url, as_user="packer01")
    assert synced.returncode == 0, synced.stderr
    assert json.loads(synced.stdout)["outbox"] == 0
    station = open_store(home / "station.db")
    with station.reader() as s:
        sessions = Counter(s.scalars(select(PackSession.order_no)
                                     .where(PackSession.status == "packed")))
        counted = dict(s.execute(
            select(PackSession.order_no, func.count())
            .join(PackEvent, PackEvent.session_id == PackSession.id)
            .where(PackEvent.kind == "ItemScanned", PackEvent.accepted.is_(True))
            .group_by(PackSession.order_no)).all())
        journal = dict(s.execute(select(BenchScan.status, func.count())
                                 .group_by(BenchScan.status)).all())
    station.dispose()
    assert journal == {"applied": len(steps)}  # each line once, none refused
    assert sessions == Counter(orders)  # each order packed once at the bench
    assert counted == {no: len(units[no]) for no in orders}  # each unit counted once
    db = Database.from_url(url)
    with db.reader() as s:
        statuses = set(s.scalars(select(Order.status).where(Order.order_no.in_(orders))))
        packages = list(s.execute(select(Order.order_no, Package.tracking_no)
                                  .join(Package, Package.order_id == Order.id)
                                  .where(Order.order_no.in_(orders))))
        applied = s.scalar(select(func.count()).select_from(AppliedEvent)
                           .where(AppliedEvent.kind == "pack.confirmed",
                                  AppliedEvent.outcome == "applied"))
    db.dispose()
    assert statuses == {"packed"}
    assert sorted(no for no, _tn in packages) == sorted(orders)  # one box each
    assert len({tn for _no, tn in packages}) == len(orders)  # one tracking number each
    assert applied == len(orders)
