"""Helpers for the driver tests: a thread-safe recorder for callbacks, real pseudo-terminal and
TCP feeds, and a registry that stops every device a test started."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Generic, Protocol, TypeVar

import pytest

from drivers.base import DeviceStatus, StatusEvent
from drivers.sim import PtyFeed, TcpFeedServer

T = TypeVar("T")
WAIT = 10.0  # generous: only reached when a test is about to fail


class Recorder(Generic[T]):
    """A callback that keeps what it was called with; tests wait on it instead of sleeping."""

    def __init__(self) -> None:
        self.items: list[T] = []
        self._cond = threading.Condition()

    def __call__(self, item: T) -> None:
        with self._cond:
            self.items.append(item)
            self._cond.notify_all()

    def wait_for(self, predicate: Callable[[list[T]], bool], timeout: float = WAIT) -> list[T]:
        with self._cond:
            ok = self._cond.wait_for(lambda: predicate(self.items), timeout)
            snapshot = list(self.items)
        assert ok, f"timed out waiting; got {snapshot!r}"
        return snapshot

    def wait_count(self, count: int, timeout: float = WAIT) -> list[T]:
        return self.wait_for(lambda items: len(items) >= count, timeout)


class StatusRecorder(Recorder[StatusEvent]):
    def statuses(self) -> list[DeviceStatus]:
        with self._cond:
            return [e.status for e in self.items]

    def wait_status(self, status: DeviceStatus, after: int = 0,
                    timeout: float = WAIT) -> int:
        """Wait for `status` at an index >= `after`; return that index."""
        items = self.wait_for(lambda items: any(e.status is status for e in items[after:]),
                              timeout)
        return next(i for i in range(after, len(items)) if items[i].status is status)


class Stoppable(Protocol):
    def start(self) -> None: ...

    def stop(self) -> None: ...


@pytest.fixture
def run() -> Iterator[Callable[[Stoppable], None]]:
    """`run(device)` starts a device (or emulator, or watcher) and stops it in teardown."""
    started: list[Stoppable] = []

    def start(device: Stoppable) -> None:
        device.start()
        started.append(device)

    yield start
    for device in reversed(started):
        device.stop()
    for device in started:
        thread = getattr(device, "running", False)
        assert not thread, f"{device!r} still has a running thread"


@pytest.fixture
def pty_feed() -> Iterator[PtyFeed]:
    feed = PtyFeed()
    yield feed
    feed.close()


@pytest.fixture
def tcp_feed() -> Iterator[TcpFeedServer]:
    server = TcpFeedServer()
    yield server
    server.close()
