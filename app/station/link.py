"""The station's way to the centre: a `CentralLink` asked with deadlines, that knows when the
centre is out of reach and stops asking on the scan path until it answers again.

Two ways to ask:
- `ask(fn, deadline)`, on the scan path: the call runs on the link's own threads and the scan
  waits at most `deadline` seconds. While the link is down it is not even tried: `LinkDown`
  at once, and the bench goes by what the station holds. A call that misses its deadline or
  cannot connect puts the link down.
- `call(fn)`, in the background sync round: the caller's thread waits as long as the
  database driver lets it (its connect timeout). An answer puts the link up again; so does a
  probe the link sends itself, off the scan path, every `probe_every` seconds while down.

Only `LinkDown` (refused, dropped, too slow) counts as "the centre is out of reach". Any other
exception is a fault: it reaches the caller as it is, to be logged and shown.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, TypeVar

from app.sync.contract import CentralLink, LinkDown

log = logging.getLogger("packline.link")
R = TypeVar("R")

# Asks the bench can do without (an intercept or a pause it would otherwise learn from the
# pull): a LAN answers in a few milliseconds; a scan never waits longer than this.
QUICK_S = 0.25
# Asks a scan cannot do without (an order or a wave the station does not hold): the packer
# waits this long at most before "not held at this station".
FETCH_S = 3.0
PROBE_EVERY_S = 5.0


class StationLink:
    def __init__(self, remote: CentralLink, *, quick_s: float = QUICK_S,
                 fetch_s: float = FETCH_S, probe_every_s: float = PROBE_EVERY_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.remote = remote
        self.quick_s, self.fetch_s, self.probe_every_s = quick_s, fetch_s, probe_every_s
        self._clock = clock
        self._lock = threading.Lock()
        self._down_since: float | None = None
        self._why = ""
        self._probe: Future[None] | None = None
        self._last_probe = 0.0
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="packline-link")

    # ---- health

    @property
    def up(self) -> bool:
        return self._down_since is None

    @property
    def why_down(self) -> str:
        return self._why

    def _went_down(self, why: str) -> None:
        with self._lock:
            if self._down_since is None:
                log.info("central database out of reach: %s", why)
                self._down_since = self._clock()
            self._why = why

    def _came_up(self) -> None:
        with self._lock:
            if self._down_since is not None:
                log.info("central database reachable again")
            self._down_since, self._why = None, ""

    def _maybe_probe(self) -> None:
        """While down, one probe now and then, on the link's threads: never waited for."""
        with self._lock:
            now = self._clock()
            if (self._probe is not None and not self._probe.done()) \
                    or now - self._last_probe < self.probe_every_s:
                return
            self._last_probe = now
            self._probe = self._pool.submit(self._probe_once)

    def _probe_once(self) -> None:
        try:
            self.remote.ping()
        except LinkDown as exc:
            self._went_down(str(exc))
            return
        except Exception:  # a fault in the probe is logged; the link stays down
            log.exception("probing the central database failed")
            return
        self._came_up()

    # ---- asking

    def ask(self, fn: Callable[[CentralLink], R], deadline_s: float | None = None) -> R:
        """`fn(remote)` with a deadline (`QUICK_S` unless given), for the scan path."""
        if not self.up:
            self._maybe_probe()
            raise LinkDown(self._why or "the central database is out of reach")
        deadline = self.quick_s if deadline_s is None else deadline_s
        future = self._pool.submit(fn, self.remote)
        try:
            result = future.result(timeout=deadline)
        except FutureTimeout:
            why = f"no answer within {deadline:g} s"
            self._went_down(why)
            future.add_done_callback(self._late)
            raise LinkDown(why) from None
        except LinkDown as exc:
            self._went_down(str(exc))
            raise
        return result

    def _late(self, future: Future[Any]) -> None:
        """A call that missed its deadline and answered after all: the link is back."""
        if not future.cancelled() and future.exception() is None:
            self._came_up()

    def call(self, fn: Callable[[CentralLink], R]) -> R:
        """`fn(remote)` on the caller's thread, for the background sync round."""
        try:
            result = fn(self.remote)
        except LinkDown as exc:
            self._went_down(str(exc))
            raise
        self._came_up()
        return result

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
