"""`packline sync once` and `packline sync status --json` as real processes: a station that
packed an order pushes it, holds tracking numbers and waves, and says how far behind it is; with
the central database out of reach it says OFFLINE and how many events wait."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.station.packing import PackingBench
from app.store.db import Database
from tests.helpers.cli import packline
from tests.helpers.packing import actor, picked_wave, station, unit_codes

pytestmark = pytest.mark.timeout(300)


def test_sync_once_and_status(tmp_path: Path) -> None:
    central_home = tmp_path / "central"
    assert packline(central_home, "demo", "seed", "--orders", "150", "--seed", "4"
                    ).returncode == 0
    url = f"sqlite:///{central_home / 'station.db'}"
    db = Database.from_url(url)
    orders = picked_wave(db)
    home = tmp_path / "bench"
    rt = station(db, home)
    rt.start()
    try:
        rt.refill_tracking(__import__("app.services.context", fromlist=["x"]).system_actor(
            rt.code))
        bench = PackingBench(rt, actor(db, "packer01"))
        bench.open(orders[0])
        for code in unit_codes(db, orders[0]):
            bench.scan(code)
    finally:
        rt.stop()
    db.dispose()
    status = packline(home, "sync", "status", "--json", central_url=url)
    assert status.returncode == 0, status.stderr
    before = json.loads(status.stdout)
    # The packed order waits since it was packed, before this process even started.
    assert before["online"] is True and before["outbox"] == 1 and before["lag_seconds"] > 0
    once = packline(home, "sync", "once", central_url=url, as_user="packer01")
    assert once.returncode == 0, once.stderr
    after = json.loads(once.stdout)
    assert after["pushed"] == 1 and after["outbox"] == 0 and after["last_sync"]
    assert after["lag_seconds"] == 0  # nothing waits any more
    # The station holds the orders of the wave ready to pack, the packed one among them.
    assert sum(after["tracking_numbers"].values()) > 0 and after["cached_orders"] == len(orders)
    # The first pull copies the reference data; the status shows when each table was pulled.
    assert after["pulled"]["skus"] > 0 and after["pulled"]["users"] > 0
    assert set(after["last_pull"]) == {"orders", "skus", "sku_barcodes", "carriers", "users"}
    gone = packline(home, "sync", "status", "--json",
                    central_url="postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert gone.returncode == 1 and json.loads(gone.stdout)["online"] is False
