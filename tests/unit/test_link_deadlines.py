"""The station's link: a deadline on the scan path, down after a miss or a refusal, nothing
tried while down, up again after a probe or a background answer; a fault is not "offline"."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from app.station.link import StationLink
from app.sync.contract import LinkDown, OrderState


class Centre:
    """A centre that answers `order_state` at once, or holds it until `release` (a stall),
    or refuses (`refuse`)."""

    def __init__(self) -> None:
        self.held = threading.Event()
        self.held.set()
        self.refuse = False
        self.asked = 0

    def _answer(self) -> None:
        self.asked += 1
        if self.refuse:
            raise LinkDown("connection refused")
        self.held.wait(30)

    def order_state(self, order_no: str) -> OrderState:
        self._answer()
        return OrderState(order_no, "picked", None)

    def ping(self) -> None:
        self._answer()


def _state(link: StationLink) -> OrderState:
    return link.ask(lambda remote: remote.order_state("PL1"))


def _eventually(predicate: Any, what: str, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"not {what} within {timeout} s"
        time.sleep(0.01)


def test_a_stall_costs_one_deadline_then_nothing_is_tried_until_it_answers() -> None:
    centre = Centre()
    link = StationLink(centre, quick_s=0.1, probe_every_s=0.0)  # type: ignore[arg-type]
    try:
        assert _state(link).status == "picked" and link.up
        centre.held.clear()  # the link stalls
        started = time.perf_counter()
        with pytest.raises(LinkDown, match="no answer within 0.1 s"):
            _state(link)
        assert 0.09 < time.perf_counter() - started < 1.0
        assert not link.up
        asked = centre.asked
        started = time.perf_counter()
        for _ in range(20):  # down: refused at once, the centre is not asked on the scan path
            with pytest.raises(LinkDown):
                _state(link)
        assert time.perf_counter() - started < 0.1
        assert centre.asked <= asked + 1  # at most the one probe, off the scan path
        centre.held.set()  # the link flows: the stalled call answers late, the link is up
        _eventually(lambda: link.up, "up again")
        assert _state(link).status == "picked"
    finally:
        centre.held.set()
        link.close()


def test_a_refusal_puts_the_link_down_and_a_background_answer_brings_it_up() -> None:
    centre = Centre()
    link = StationLink(centre, probe_every_s=3600)  # type: ignore[arg-type]
    try:
        centre.refuse = True
        with pytest.raises(LinkDown, match="refused"):
            _state(link)
        assert not link.up and link.why_down == "connection refused"
        with pytest.raises(LinkDown):
            link.call(lambda remote: remote.ping())  # the sync round meets it too
        centre.refuse = False
        link.call(lambda remote: remote.ping())  # the next round answers
        assert link.up and _state(link).status == "picked"
    finally:
        link.close()


def test_a_fault_is_raised_as_it_is_and_the_link_stays_up() -> None:
    centre = Centre()
    link = StationLink(centre)  # type: ignore[arg-type]
    try:
        with pytest.raises(ZeroDivisionError):
            link.ask(lambda remote: 1 // 0)
        assert link.up
        with pytest.raises(KeyError):
            link.call(lambda remote: {}["intercept"])
        assert link.up
    finally:
        link.close()


def test_a_slow_centre_still_answers_what_a_scan_cannot_do_without() -> None:
    centre = Centre()
    link = StationLink(centre, quick_s=0.05, fetch_s=5.0,  # type: ignore[arg-type]
                       probe_every_s=3600)
    try:
        centre.held.clear()
        with pytest.raises(LinkDown):
            _state(link)  # the short ask missed: slow
        assert link.health == "slow"
        with pytest.raises(LinkDown):
            _state(link)  # short asks are not tried while slow
        threading.Timer(0.2, centre.held.set).start()  # the centre answers, slowly
        answer = link.ask(lambda remote: remote.order_state("PL2"), link.fetch_s)
        assert answer.order_no == "PL2" and link.up
    finally:
        centre.held.set()
        link.close()


def test_an_answer_after_the_deadline_is_kept_where_the_caller_said() -> None:
    centre = Centre()
    link = StationLink(centre, fetch_s=0.05, probe_every_s=3600)  # type: ignore[arg-type]
    kept: list[OrderState] = []
    try:
        centre.held.clear()
        with pytest.raises(LinkDown):
            link.ask(lambda remote: remote.order_state("PL3"), link.fetch_s,
                     on_late=kept.append)
        assert link.health == "down" and kept == []
        centre.held.set()  # the answer comes after all
        _eventually(lambda: kept, "the late answer kept")
        assert kept[0].order_no == "PL3" and link.up
    finally:
        centre.held.set()
        link.close()


def test_a_call_begun_ahead_runs_while_the_caller_works_and_keeps_its_deadline() -> None:
    centre = Centre()
    link = StationLink(centre, quick_s=0.2, probe_every_s=3600,  # type: ignore[arg-type]
                       clock=lambda: 0.0)  # no probe: only the calls below ask
    try:
        asked = link.start(lambda remote: remote.order_state("PL1"))
        _eventually(lambda: centre.asked == 1, "asked before its answer is wanted")
        assert asked.result().status == "picked" and link.up
        centre.held.clear()  # stalled: the deadline counts from the start, not the wait
        asked = link.start(lambda remote: remote.order_state("PL2"))
        time.sleep(0.15)  # the caller's own work
        started = time.perf_counter()
        with pytest.raises(LinkDown, match="no answer within 0.2 s"):
            asked.result()
        assert time.perf_counter() - started < 0.15
        assert link.health == "slow"
        # Slow: a short call begun now is refused when its answer is wanted, without asking.
        before = centre.asked
        with pytest.raises(LinkDown):
            link.start(lambda remote: remote.order_state("PL3")).result()
        assert centre.asked == before
    finally:
        centre.held.set()
        link.close()


def test_what_the_sync_found_puts_the_link_down_and_up() -> None:
    centre = Centre()
    link = StationLink(centre, probe_every_s=3600,  # type: ignore[arg-type]
                       clock=lambda: 0.0)  # no probe: only the calls below ask
    try:
        link.heard(False, "connection refused")
        assert link.health == "down" and link.why_down == "connection refused"
        with pytest.raises(LinkDown, match="connection refused"):
            _state(link)
        assert centre.asked == 0
        link.heard(True)
        assert link.up and _state(link).status == "picked"
    finally:
        link.close()
