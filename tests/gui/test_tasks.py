"""Background work for the screens: `InOrder` on a bench's own `Worker` thread handles its
items one at a time, in order, off the GUI thread, and never waits for the shared pool."""

from __future__ import annotations

import threading
import time

from pytestqt.qtbot import QtBot

from app.ui import tasks
from app.ui.qt import QWidget


def test_a_bench_worker_runs_its_calls_in_order_beside_a_busy_shared_pool(qtbot: QtBot) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    worker = tasks.Worker(owner)
    release = threading.Event()
    # The shared pool is full of slow work (sync rounds, lists loading)...
    for _ in range(3):
        tasks.Task(release.wait, 30).owned_by(owner).start()
    ran: list[tuple[int, int]] = []
    shown: list[int] = []

    def handle(n: int) -> None:
        def call() -> int:
            ran.append((n, threading.get_ident()))
            time.sleep(0.01)  # a call that takes a while, as a scan's database work does
            return n

        inputs.run(call, success=shown.append, failure=lambda exc: None)

    inputs = tasks.InOrder(owner, handle, worker=worker)
    for n in range(5):
        inputs.put(n)
    # ...and the scans still go through, in order, on one thread of their own.
    qtbot.waitUntil(lambda: shown == [0, 1, 2, 3, 4], timeout=10_000)
    release.set()
    assert [n for n, _t in ran] == [0, 1, 2, 3, 4]
    assert len({t for _n, t in ran}) == 1 and threading.get_ident() not in {t for _n, t in ran}
    assert tasks.wait_idle(10_000)
