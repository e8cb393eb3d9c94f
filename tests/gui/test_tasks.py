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


def test_a_detached_task_holds_no_pool_thread_and_delivers_on_the_gui_thread(
        qtbot: QtBot) -> None:
    """Work that may wait on a silent server for long runs on a daemon thread of its own: the
    shared pool stays free (and its end is never waited for), and the answer still comes back
    on the GUI thread."""
    owner = QWidget()
    qtbot.addWidget(owner)
    release = threading.Event()
    answered: list[tuple[object, int]] = []
    for n in range(3):  # more than the pool has threads
        tasks.Task(lambda n=n: (release.wait(30), n)[1]).owned_by(owner).success(
            lambda v: answered.append((v, threading.get_ident()))).start_detached()
    quick: list[int] = []
    tasks.Task(lambda: 7).owned_by(owner).success(quick.append).start()
    qtbot.waitUntil(lambda: quick == [7], timeout=10_000)
    assert not answered  # still waiting, and none of them held up the pool's task
    release.set()
    qtbot.waitUntil(lambda: len(answered) == 3, timeout=10_000)
    assert sorted(v for v, _t in answered) == [0, 1, 2]  # type: ignore[type-var]
    assert {t for _v, t in answered} == {threading.get_ident()}
    assert tasks.wait_idle(10_000)
