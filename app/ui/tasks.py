"""Background work for the screens: run a function off the GUI thread, get the result back
on it. The GUI thread never waits on the database, the network, a printer or a device.

    Task(orders.count_orders, db, actor, f).success(self._show).failure(self._error).start()
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections import deque
from collections.abc import Callable
from typing import Any

from app.ui.qt import QCoreApplication, QObject, QRunnable, QThreadPool, Signal, Slot, is_alive

log = logging.getLogger("packline.ui.tasks")


class _Relay(QObject):
    """Lives on the GUI thread; signals emitted from a worker arrive there queued (a bound
    slot of a GUI-thread object, not a lambda, so Qt queues the call instead of running it
    on the worker)."""

    done = Signal(object, object)  # (callback, value)

    def __init__(self) -> None:
        super().__init__()
        self.done.connect(self._deliver)

    @Slot(object, object)
    def _deliver(self, callback: Callable[[Any], None], value: Any) -> None:
        callback(value)


_relay: _Relay | None = None
_pool: QThreadPool | None = None
_workers: weakref.WeakSet[QThreadPool] = weakref.WeakSet()  # the `Worker`s' own pools
_pending = 0
_lock = threading.Lock()


def _setup() -> tuple[_Relay, QThreadPool]:
    global _relay, _pool
    if _relay is None:
        _relay = _Relay()
        _pool = QThreadPool()
        _pool.setMaxThreadCount(3)
    assert _pool is not None
    return _relay, _pool


class _Runner(QRunnable):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self.task = task

    def run(self) -> None:
        _run(self.task)


def _run(t: Task) -> None:
    relay, _ = _setup()
    try:
        value = t.fn(*t.args, **t.kwargs)
    except Exception as exc:  # noqa: BLE001 - delivered to the screen, not swallowed
        if t.on_failure is None:
            log.exception("background task %s failed", getattr(t.fn, "__name__", t.fn))
        _deliver(relay, t._finish_failure, exc)
    else:
        _deliver(relay, t._finish_success, value)


def _deliver(relay: _Relay, callback: Callable[[Any], None], value: Any) -> None:
    try:
        relay.done.emit(callback, value)
    except RuntimeError:  # the app has ended (its relay is gone): nobody to tell
        log.debug("a background answer came after the app ended; dropped")


class Task:
    def __init__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.on_success: Callable[[Any], None] | None = None
        self.on_failure: Callable[[BaseException], None] | None = None
        self._owner: QObject | None = None

    def owned_by(self, owner: QObject) -> Task:
        """Drop the callbacks if `owner` (the screen or model they update) is gone by the
        time the work is done — a logout while a page is loading, say."""
        self._owner = owner
        return self

    def success(self, cb: Callable[[Any], None]) -> Task:
        self.on_success = cb
        return self

    def failure(self, cb: Callable[[BaseException], None]) -> Task:
        self.on_failure = cb
        return self

    def start(self, worker: Worker | None = None, priority: int = 0) -> None:
        """Run on the shared pool, or on `worker`'s own thread; of the tasks waiting for a
        thread, those of higher `priority` go first."""
        global _pending
        _, pool = _setup()
        with _lock:
            _pending += 1
        (worker.pool if worker is not None else pool).start(_Runner(self), priority)

    def start_detached(self, name: str = "packline-task") -> None:
        """Run on a daemon thread of its own, for work that may wait on the network for as
        long as the driver lets it (a server that accepts and never answers): it holds no
        pool's thread, quitting the app never waits for it, and an answer that comes after
        the app ended is dropped."""
        global _pending
        _setup()
        with _lock:
            _pending += 1
        threading.Thread(target=_run, args=(self,), name=name, daemon=True).start()

    def _done(self) -> None:
        global _pending
        with _lock:
            _pending -= 1

    def _owner_gone(self) -> bool:
        return self._owner is not None and not is_alive(self._owner)

    def _finish_success(self, value: Any) -> None:
        self._done()
        if self.on_success is not None and not self._owner_gone():
            self.on_success(value)

    def _finish_failure(self, exc: BaseException) -> None:
        self._done()
        if self.on_failure is not None and not self._owner_gone():
            self.on_failure(exc)
        for watcher in list(_watchers):
            watcher(exc)


_watchers: list[Callable[[BaseException], None]] = []


def watch_failures(watcher: Callable[[BaseException], None]) -> Callable[[], None]:
    """Every task's failure is also handed to `watcher`, on the GUI thread, after the screen
    showed it: the main window hears there that a person's session ended, whichever screen
    asked. Returns the function that stops watching."""
    _watchers.append(watcher)
    return lambda: _watchers.remove(watcher) if watcher in _watchers else None


def pending() -> int:
    """Tasks started whose callbacks have not run yet (tests wait for this to reach 0)."""
    return _pending


def wait_idle(timeout_ms: int = 10_000) -> bool:
    """Block until every task has finished and delivered — for tests and shutdown only."""
    import time

    deadline = time.monotonic() + timeout_ms / 1000
    while _pending and time.monotonic() < deadline:
        if _pool is not None:
            _pool.waitForDone(20)
        QCoreApplication.processEvents()
    return _pending == 0


def shutdown() -> None:
    for pool in [_pool, *_workers]:
        if pool is not None and is_alive(pool):
            pool.waitForDone(5000)
    QCoreApplication.processEvents()


class Worker:
    """A thread of one's own for work that must never queue behind the shared pool's (a
    bench's scans behind a sync round and the lists screens load): a pool of one thread, owned
    by `owner` (a Qt object; the pool waits for its thread when the owner goes)."""

    def __init__(self, owner: QObject) -> None:
        _setup()
        self.pool = QThreadPool(owner)
        self.pool.setMaxThreadCount(1)
        _workers.add(self.pool)


class Latest:
    """A background load a screen repeats as the person changes what it shows (filter,
    refresh): only the newest answer is delivered; older ones that arrive late are dropped."""

    def __init__(self, owner: QObject) -> None:
        self._owner = owner
        self._generation = 0

    def start(self, fn: Callable[..., Any], *args: Any, success: Callable[[Any], None],
              failure: Callable[[BaseException], None], worker: Worker | None = None,
              priority: int = 0) -> None:
        self._generation += 1
        gen = self._generation

        def ok(value: Any) -> None:
            if gen == self._generation:
                success(value)

        def bad(exc: BaseException) -> None:
            if gen == self._generation:
                failure(exc)

        Task(fn, *args).owned_by(self._owner).success(ok).failure(bad).start(worker, priority)


class InOrder:
    """Scans and readings at a bench, handled one at a time in the order they arrived, each by
    at most one call off the GUI thread. The next is looked at only once the previous result is
    shown, because what a scan means depends on what the one before it did.

        self.scans = InOrder(self, self._handle)   # _handle(item) may call self.scans.run(...)
        self.scans.put(text)
    """

    def __init__(self, owner: QObject, handle: Callable[[Any], None], *,
                 worker: Worker | None = None) -> None:
        self.owner = owner
        self._handle = handle
        self.worker = worker  # the thread the calls run on (default: the shared pool)
        self.pending: deque[Any] = deque()
        self.busy = False

    def put(self, item: Any) -> None:
        self.pending.append(item)
        self._drain()

    def _drain(self) -> None:
        # A handler that answers at once (a refusal) starts no call: go on with the next.
        while not self.busy and self.pending:
            self._handle(self.pending.popleft())

    def run(self, fn: Callable[..., Any], *args: Any, success: Callable[[Any], None],
            failure: Callable[[BaseException], None]) -> None:
        self.busy = True

        def ok(value: Any) -> None:
            self.busy = False
            success(value)
            self._drain()

        def bad(exc: BaseException) -> None:
            self.busy = False
            failure(exc)
            self._drain()

        Task(fn, *args).owned_by(self.owner).success(ok).failure(bad).start(self.worker)
