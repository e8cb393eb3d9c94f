"""SerialScale over real pseudo-terminals and sockets: A&D continuous frames written by the test
(with a clock the test moves, so settling is exact), Toledo 8217 answered by the emulator."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from drivers.base import DeviceStatus, StatusReason
from drivers.scale import SerialScale, SimulatedScale, Weight, format_ad
from drivers.sim import PtyFeed, ScaleEmulator, TcpFeedServer
from drivers.urls import DeviceUrlError
from tests.drivers.conftest import Recorder, StatusRecorder, Stoppable
from tests.helpers.clock import FakeClock

pytestmark = pytest.mark.timeout(30)

FAST = (0.02, 0.05)
Run = Callable[[Stoppable], None]


def test_ad_stream_through_a_pty(pty_feed: PtyFeed, run: Run) -> None:
    clock = FakeClock()  # the test sets it; the scale's reader thread reads it
    weights, readings, statuses = Recorder[Weight](), Recorder[Weight](), StatusRecorder()
    scale = SerialScale(pty_feed.url + "?protocol=ad", weights, statuses, clock, FAST,
                        on_reading=readings, window_ms=50, tolerance_g=2)
    run(scale)
    statuses.wait_status(DeviceStatus.CONNECTED)

    def frame(at: float, data: bytes) -> None:
        clock.set(at)
        count = len(readings.items)
        pty_feed.write_bytes(data)
        readings.wait_count(count + 1)  # processed at `at` before the clock moves on

    # The parcel lands: unstable frames of other weights must not count.
    frame(0.00, format_ad(1310, stable=False))
    frame(0.01, format_ad(1280, stable=False))
    frame(0.02, format_ad(1250))
    frame(0.05, format_ad(1251))
    assert weights.items == []
    frame(0.07, format_ad(1250))  # 50 ms of stable readings within 2 g
    assert weights.items == [readings.items[-1]]
    assert weights.items[0].grams == 1250
    # It stays on the scale: no second weight.
    for i in range(10):
        frame(0.1 + i * 0.05, format_ad(1250 + i % 2))
    frame(0.70, format_ad(0, overload=True))
    assert readings.items[-1].overload
    assert [w.grams for w in weights.items] == [1250]
    # Taken off: zero settles and is reported once.
    frame(1.00, format_ad(0))
    frame(1.06, format_ad(0))
    frame(1.12, format_ad(0))
    assert [w.grams for w in weights.items] == [1250, 0]
    assert scale.bad_frames == 0


def test_ad_garbage_frames_are_counted_not_fatal(pty_feed: PtyFeed, run: Run) -> None:
    weights, readings, statuses = Recorder[Weight](), Recorder[Weight](), StatusRecorder()
    scale = SerialScale(pty_feed.url, weights, statuses, backoff=FAST, on_reading=readings,
                        window_ms=0)
    run(scale)
    statuses.wait_status(DeviceStatus.CONNECTED)
    pty_feed.write_bytes(b"\x00\xffnoise\r\nST,GS,+000012 PC\r\n" + format_ad(800))
    assert [w.grams for w in weights.wait_count(1)] == [800]
    assert scale.bad_frames == 2
    assert scale.running


def test_toledo_request_response_with_the_emulator(pty_feed: PtyFeed, run: Run) -> None:
    emulator = ScaleEmulator(pty_feed, "toledo", unit="kg")
    emulator.set(1250)
    run(emulator)
    weights, readings, statuses = Recorder[Weight](), Recorder[Weight](), StatusRecorder()
    scale = SerialScale(pty_feed.url + "?protocol=toledo", weights, statuses, backoff=FAST,
                        on_reading=readings, poll_ms=20, window_ms=0)
    run(scale)
    assert weights.wait_count(1)[0].grams == 1250  # the scale asked "W", the emulator answered
    emulator.set(1250, stable=False)  # someone leans on the parcel
    readings.wait_for(lambda items: items[-1].motion)
    emulator.set(2000)
    weights.wait_count(2)
    assert [w.grams for w in weights.items] == [1250, 2000]
    assert scale.bad_frames == 0


def test_toledo_in_pounds(pty_feed: PtyFeed, run: Run) -> None:
    emulator = ScaleEmulator(pty_feed, "toledo", unit="lb")
    emulator.set(1134)  # 2.50 lb
    run(emulator)
    weights = Recorder[Weight]()
    run(SerialScale(pty_feed.url + "?protocol=toledo&unit=lb", weights, backoff=FAST,
                    poll_ms=20, window_ms=0))
    assert weights.wait_count(1)[0].grams == 1134


def test_toledo_scale_that_stops_answering_is_disconnected(pty_feed: PtyFeed,
                                                          run: Run) -> None:
    weights, statuses = Recorder[Weight](), StatusRecorder()
    scale = SerialScale(pty_feed.url + "?protocol=toledo", weights, statuses, backoff=FAST,
                        poll_ms=20, reply_timeout_ms=40, max_missed=2, window_ms=0)
    run(scale)
    up = statuses.wait_status(DeviceStatus.CONNECTED)
    down = statuses.wait_status(DeviceStatus.DISCONNECTED, after=up)
    assert statuses.items[down].reason is StatusReason.NO_REPLY
    emulator = ScaleEmulator(pty_feed, "toledo")
    emulator.set(640)
    run(emulator)  # the scale is switched on
    statuses.wait_status(DeviceStatus.CONNECTED, after=down)
    assert weights.wait_count(1)[0].grams == 640


def test_ad_scale_over_a_socket_with_a_dropped_connection(tcp_feed: TcpFeedServer,
                                                          run: Run) -> None:
    emulator = ScaleEmulator(tcp_feed, "ad", interval_ms=10)
    emulator.set(980)
    run(emulator)
    weights, statuses = Recorder[Weight](), StatusRecorder()
    scale = SerialScale(tcp_feed.url + "?protocol=ad", weights, statuses, backoff=FAST,
                        window_ms=30)
    run(scale)
    assert weights.wait_count(1)[0].grams == 980
    tcp_feed.drop()
    down = statuses.wait_status(DeviceStatus.DISCONNECTED)
    statuses.wait_status(DeviceStatus.CONNECTED, after=down)
    # After a reconnect the current weight is reported afresh.
    assert [w.grams for w in weights.wait_count(2)] == [980, 980]


def test_simulated_scale() -> None:
    weights, readings, statuses = Recorder[Weight](), Recorder[Weight](), StatusRecorder()
    scale = SimulatedScale("sim://scale", weights, statuses, on_reading=readings)
    assert scale.set_weight(500) is None  # not started
    with scale:
        assert scale.set_weight(1250, stable=False) is None
        assert scale.set_weight(1250) == Weight(1250, stable=True)
        assert scale.set_weight(1251) is None  # same parcel
        assert scale.set_weight(0, overload=True) is None
        assert scale.set_weight(0) == Weight(0, stable=True)
    assert [w.grams for w in weights.items] == [1250, 0]
    assert len(readings.items) == 5
    assert statuses.statuses() == [DeviceStatus.CONNECTED, DeviceStatus.STOPPED]
    with pytest.raises(ValueError):
        scale.set_weight(1.5)  # type: ignore[arg-type]


def test_bad_scale_settings_are_refused() -> None:
    with pytest.raises(DeviceUrlError, match="unit"):
        SerialScale("serial:///dev/ttyUSB0?unit=lb", print)
    with pytest.raises(DeviceUrlError):
        SerialScale("serial:///dev/ttyUSB0?protocol=modbus", print)
    with pytest.raises(ValueError, match="poll_ms"):
        SerialScale("serial:///dev/ttyUSB0?protocol=toledo", print, poll_ms=0)
    with pytest.raises(ValueError):
        ScaleEmulator(PtyFeedStub(), "toledo", unit="stone")


class PtyFeedStub:
    """Never used for I/O: the emulator refuses its settings before touching the link."""

    def write_bytes(self, data: bytes, timeout: float = 5.0) -> bool:
        raise AssertionError("not reached")

    def read_bytes(self, timeout: float) -> bytes:
        raise AssertionError("not reached")
