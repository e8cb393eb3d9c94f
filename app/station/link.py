"""The station's way to the centre: a `CentralLink` asked with deadlines, that knows when the
centre is out of reach (or too slow) and stops asking on the scan path until it answers again.

Two ways to ask:
- `ask(fn, deadline)`, on the scan path: the call runs on a thread of its own and the scan
  waits at most `deadline` seconds. The link is **up**, **slow** or **down**:
  - a short ask (`QUICK_S`: what the bench can do without) that misses its deadline makes
    the link *slow*: from then on short asks are not even tried (`LinkDown` at once, the
    station's copy decides) while the asks a scan cannot do without (`FETCH_S`: an order or
    a wave the station does not hold, tracking numbers) are still tried with their longer
    deadline;
  - a refusal, a dropped connection, or a long ask that misses its deadline makes it *down*:
    nothing on the scan path is tried.
  A call that misses its deadline goes on in the background; its late answer brings the link
  up again and, where the caller asked (`on_late`), is kept (tracking numbers the centre
  handed out are not lost).
- `call(fn)`, in the background sync round: the caller's thread waits as long as the
  database driver lets it (its connect timeout). An answer brings the link up; so does a
  probe the link sends itself, off the scan path, every `probe_every_s` seconds while it is
  not up.

Only `LinkDown` counts as "the centre is out of reach". Any other exception is a fault: it
reaches the caller as it is, to be logged and shown, and says nothing of the link.

The threads are daemons: a call stuck on a stalled network never keeps the app from quitting.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, Generic, Literal, TypeVar

from app.sync.contract import CentralLink, LinkDown

log = logging.getLogger("packline.link")
R = TypeVar("R")
Health = Literal["up", "slow", "down"]

# Asks the bench can do without (an intercept or a pause it would otherwise learn from the
# pull): a LAN answers in a few milliseconds; a scan never waits longer than this.
QUICK_S = 0.25
# Asks a scan cannot do without (an order or a wave the station does not hold, tracking
# numbers): the packer waits this long at most before being told the centre is out of reach.
FETCH_S = 3.0
PROBE_EVERY_S = 5.0


def _in_thread(fn: Callable[[], R]) -> Future[R]:
    """`fn()` on a daemon thread of its own, its answer in the future."""
    future: Future[R] = Future()

    def run() -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(fn())
        except BaseException as exc:  # noqa: BLE001 - handed to whoever waits on it
            future.set_exception(exc)

    threading.Thread(target=run, name="packline-link", daemon=True).start()
    return future


class Asked(Generic[R]):
    """A call of `StationLink.start` under way: `result()` waits for it until its deadline
    (counted from the start), once; what it says of the link is said then, as `ask` does."""

    def __init__(self, link: StationLink, future: Future[R] | None, deadline_s: float,
                 required: bool, on_late: Callable[[R], object] | None,
                 refused: LinkDown | None = None) -> None:
        self.link, self.future, self.required, self.on_late = link, future, required, on_late
        self.deadline_s = deadline_s
        self.due = time.monotonic() + deadline_s
        self.refused = refused

    def result(self) -> R:
        if self.future is None:
            assert self.refused is not None
            raise self.refused
        link = self.link
        try:
            result = self.future.result(timeout=max(0.0, self.due - time.monotonic()))
        except FutureTimeout:
            why = f"no answer within {self.deadline_s:g} s"
            link._worse("down" if self.required else "slow", why)
            on_late = self.on_late
            self.future.add_done_callback(lambda done: link._late(done, on_late))
            raise LinkDown(why) from None
        except LinkDown as exc:
            link._worse("down", str(exc))
            raise
        link._came_up()
        return result


class StationLink:
    def __init__(self, remote: CentralLink, *, quick_s: float = QUICK_S,
                 fetch_s: float = FETCH_S, probe_every_s: float = PROBE_EVERY_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.remote = remote
        self.quick_s, self.fetch_s, self.probe_every_s = quick_s, fetch_s, probe_every_s
        self._clock = clock
        self._lock = threading.Lock()
        self._health: Health = "up"
        self._why = ""
        self._probe: Future[None] | None = None
        self._last_probe = 0.0
        self._closed = False

    # ---- health

    @property
    def health(self) -> Health:
        return self._health

    @property
    def up(self) -> bool:
        return self._health == "up"

    @property
    def why_down(self) -> str:
        return self._why

    def _worse(self, health: Health, why: str) -> None:
        with self._lock:
            if health == "down" or self._health == "up":
                if self._health != health:
                    log.info("central database %s: %s",
                             "out of reach" if health == "down" else "slow", why)
                self._health, self._why = health, why

    def _came_up(self) -> None:
        with self._lock:
            if self._health != "up":
                log.info("central database answering again")
            self._health, self._why = "up", ""

    def heard(self, online: bool, why: str = "") -> None:
        """What the station's sync found when it last asked the centre (in a process of its
        own, `app.station.sync_service`): the scan path goes by it as by its own asks."""
        if online:
            self._came_up()
        else:
            self._worse("down", why or "the central database is out of reach")

    def _maybe_probe(self) -> None:
        """While not up, one probe now and then, on a thread of its own: never waited for."""
        with self._lock:
            now = self._clock()
            if self._closed or (self._probe is not None and not self._probe.done()) \
                    or now - self._last_probe < self.probe_every_s:
                return
            self._last_probe = now
            self._probe = _in_thread(self._probe_once)

    def _probe_once(self) -> None:
        try:
            self.remote.ping()
        except LinkDown as exc:
            self._worse("down", str(exc))
            return
        except Exception:  # a fault in the probe is logged; the link stays as it is
            log.exception("probing the central database failed")
            return
        self._came_up()

    # ---- asking

    def ask(self, fn: Callable[[CentralLink], R], deadline_s: float | None = None, *,
            on_late: Callable[[R], object] | None = None) -> R:
        """`fn(remote)` with a deadline (`QUICK_S` unless given), for the scan path. A call
        that misses it goes on; `on_late(answer)` is called with its answer if it comes."""
        return self.start(fn, deadline_s, on_late=on_late).result()

    def start(self, fn: Callable[[CentralLink], R], deadline_s: float | None = None, *,
              on_late: Callable[[R], object] | None = None) -> Asked[R]:
        """`ask`, begun now and waited for later (`Asked.result`), so a scan asks the centre
        while it does its own work at the station; the deadline counts from now. Nothing is
        waited for here: a link that is down (or slow, for a short ask) answers `LinkDown`
        when the result is asked for."""
        deadline = self.quick_s if deadline_s is None else deadline_s
        required = deadline >= self.fetch_s  # what a scan cannot do without
        health = self._health
        if health == "down" or (health == "slow" and not required):
            self._maybe_probe()
            return Asked(self, None, deadline, required, on_late,
                         LinkDown(self._why or "the central database is out of reach"))
        return Asked(self, _in_thread(lambda: fn(self.remote)), deadline, required, on_late)

    def _late(self, future: Future[Any], on_late: Callable[[Any], object] | None) -> None:
        """A call that missed its deadline answered after all: the link is back, and the
        answer is kept where the caller said how."""
        if future.cancelled() or future.exception() is not None:
            return
        self._came_up()
        if on_late is not None:
            try:
                on_late(future.result())
            except Exception:  # a late answer that cannot be kept is logged, not lost quietly
                log.exception("a late answer of the central database could not be kept")

    def call(self, fn: Callable[[CentralLink], R]) -> R:
        """`fn(remote)` on the caller's thread, for the background sync round."""
        try:
            result = fn(self.remote)
        except LinkDown as exc:
            self._worse("down", str(exc))
            raise
        self._came_up()
        return result

    def close(self) -> None:
        """No more probes; calls still running end on their own (daemon threads)."""
        self._closed = True
