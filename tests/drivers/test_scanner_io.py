"""SerialScanner over real transports: pseudo-terminals and socket:// peers on 127.0.0.1,
including pulling the cable out and putting it back. Every wait is on an event, not a sleep."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from drivers.barcode import ScanCommand, ScanKind
from drivers.base import DeviceStatus, StatusEvent, StatusReason
from drivers.scanner import ScanEvent, SerialScanner, SimulatedScanner
from drivers.sim import PtyFeed, TcpFeedServer
from drivers.urls import DeviceUrlError
from tests.drivers.conftest import Recorder, StatusRecorder, Stoppable

pytestmark = pytest.mark.timeout(30)

FAST = (0.02, 0.05)  # back-off for tests: reconnect quickly
Run = Callable[[Stoppable], None]


def scanner(url: str, scans: Recorder[ScanEvent], statuses: StatusRecorder,
            **kwargs: object) -> SerialScanner:
    return SerialScanner(url, scans, statuses, backoff=FAST, **kwargs)  # type: ignore[arg-type]


def texts(events: list[ScanEvent]) -> list[str]:
    return [e.scan.text for e in events]


def test_one_scan_through_a_pty(pty_feed: PtyFeed, run: Run) -> None:
    scans, statuses = Recorder[ScanEvent](), StatusRecorder()
    device = scanner(pty_feed.url, scans, statuses, name="packing-1")
    run(device)
    statuses.wait_status(DeviceStatus.CONNECTED)
    assert pty_feed.write("6901234567892", "\r")
    assert pty_feed.write("CMD-CONFIRM", "\r")  # the sentinel: everything before it is in
    events = scans.wait_count(2)
    assert len(events) == 2
    first = events[0]
    assert (first.device, first.raw_bytes) == ("packing-1", b"6901234567892")
    assert (first.scan.kind, first.scan.gtin) == (ScanKind.SKU, "06901234567892")
    assert events[1].scan.command is ScanCommand.CONFIRM
    assert statuses.statuses()[:2] == [DeviceStatus.CONNECTING, DeviceStatus.CONNECTED]
    assert device.port_path == pty_feed.port


def test_crlf_scanner_configured_as_crlf_and_as_cr(pty_feed: PtyFeed, run: Run) -> None:
    scans, statuses = Recorder[ScanEvent](), StatusRecorder()
    run(scanner(pty_feed.url + "?suffix=CRLF", scans, statuses))
    statuses.wait_status(DeviceStatus.CONNECTED)
    pty_feed.write_bytes(b"TOTE-HZ-00012\r")  # the CRLF split over two writes
    pty_feed.write_bytes(b"\nWAVE-7\r\n")
    assert texts(scans.wait_count(2)) == ["TOTE-HZ-00012", "WAVE-7"]


def test_crlf_scanner_on_a_cr_port_gives_no_extra_scans(pty_feed: PtyFeed, run: Run) -> None:
    scans, statuses = Recorder[ScanEvent](), StatusRecorder()
    run(scanner(pty_feed.url, scans, statuses))
    statuses.wait_status(DeviceStatus.CONNECTED)
    for code in ("PL2611110000123", "PL2611110000124", "SF1234567890123"):
        pty_feed.write(code, "\r\n")
    events = scans.wait_count(3)
    assert texts(events) == ["PL2611110000123", "PL2611110000124", "SF1234567890123"]
    assert all(e.scan.kind is not ScanKind.UNKNOWN for e in events)


def test_prefix_and_suffix_none_from_the_url(pty_feed: PtyFeed, run: Run) -> None:
    scans, statuses = Recorder[ScanEvent](), StatusRecorder()
    run(scanner(pty_feed.url + "?suffix=NONE&timeout_ms=20&prefix=%02", scans, statuses))
    statuses.wait_status(DeviceStatus.CONNECTED)
    pty_feed.write_bytes(b"\x02LOC-HZ-A03-12-2")
    event = scans.wait_count(1)[0]
    assert (event.scan.kind, event.raw_bytes) == (ScanKind.BIN, b"LOC-HZ-A03-12-2")


def test_chinese_command_card_in_gb18030(pty_feed: PtyFeed, run: Run) -> None:
    scans, statuses = Recorder[ScanEvent](), StatusRecorder()
    run(scanner(pty_feed.url, scans, statuses))
    statuses.wait_status(DeviceStatus.CONNECTED)
    pty_feed.write("暂停", "\r", encoding="gb18030")
    pty_feed.write("重打", "\r", encoding="utf-8")
    events = scans.wait_count(2)
    assert [e.scan.command for e in events] == [ScanCommand.PAUSE, ScanCommand.REPRINT]


def test_socket_scanner(tcp_feed: TcpFeedServer, run: Run) -> None:
    scans, statuses = Recorder[ScanEvent](), StatusRecorder()
    run(scanner(tcp_feed.url + "?suffix=LF", scans, statuses))
    statuses.wait_status(DeviceStatus.CONNECTED)
    assert tcp_feed.write("]Q1SF1234567890123", "\n")
    event = scans.wait_count(1)[0]
    assert (event.scan.kind, event.scan.symbology) == (ScanKind.WAYBILL, "]Q1")


def test_socket_peer_drops_and_the_scanner_reconnects(tcp_feed: TcpFeedServer,
                                                      run: Run) -> None:
    scans, statuses = Recorder[ScanEvent](), StatusRecorder()
    device = scanner(tcp_feed.url, scans, statuses)
    run(device)
    up = statuses.wait_status(DeviceStatus.CONNECTED)
    tcp_feed.write("WAVE-1")
    scans.wait_count(1)
    tcp_feed.drop()
    down = statuses.wait_status(DeviceStatus.DISCONNECTED, after=up)
    assert statuses.items[down].reason is StatusReason.IO_ERROR
    statuses.wait_status(DeviceStatus.CONNECTED, after=down)
    tcp_feed.write("WAVE-2")
    assert texts(scans.wait_count(2)) == ["WAVE-1", "WAVE-2"]
    assert device.running and device.connects == 2


def test_serial_unplug_and_replug(tmp_path: Path, run: Run) -> None:
    # A stable link like /dev/serial/by-id/…: serial:// names it, the pty behind it changes.
    with PtyFeed(link=tmp_path / "ttyScanner") as feed:
        scans, statuses = Recorder[ScanEvent](), StatusRecorder()
        device = scanner(feed.url, scans, statuses)
        run(device)
        up = statuses.wait_status(DeviceStatus.CONNECTED)
        feed.write("TOTE-HZ-00001")
        scans.wait_count(1)

        feed.unplug()
        down = statuses.wait_status(DeviceStatus.DISCONNECTED, after=up)
        # Retrying while unplugged: the link is gone, so the device is "not found".
        statuses.wait_for(lambda items: any(e.reason is StatusReason.NOT_FOUND
                                            for e in items[down:]))
        assert device.running

        feed.replug()
        statuses.wait_status(DeviceStatus.CONNECTED, after=down)
        feed.write("TOTE-HZ-00002")
        assert texts(scans.wait_count(2)) == ["TOTE-HZ-00001", "TOTE-HZ-00002"]
        assert device.connects == 2


@dataclass(frozen=True)
class UsbPort:
    device: str
    vid: int | None
    pid: int | None
    serial_number: str | None


def test_usbserial_is_found_again_at_its_new_path_after_a_replug(tmp_path: Path,
                                                                  run: Run) -> None:
    with PtyFeed() as feed:
        generation = [0]

        def lister() -> list[UsbPort]:
            # What serial.tools.list_ports would say: the adapter, when plugged in, at a path
            # that changes with every plug (ttyUSB0, then ttyUSB1…).
            if not feed.plugged:
                return [UsbPort("/dev/ttyS0", None, None, None)]
            path = tmp_path / f"ttyUSB{generation[0]}"
            if not path.is_symlink() or path.readlink() != Path(feed.port):
                path.unlink(missing_ok=True)
                path.symlink_to(feed.port)
            return [UsbPort("/dev/ttyS0", None, None, None),
                    UsbPort(str(path), 0x1A86, 0x7523, "A1B2")]

        scans, statuses = Recorder[ScanEvent](), StatusRecorder()
        device = scanner("usbserial://1a86:7523/a1b2", scans, statuses, port_lister=lister)
        run(device)
        up = statuses.wait_status(DeviceStatus.CONNECTED)
        assert device.port_path == str(tmp_path / "ttyUSB0")
        feed.write("SLOT-W1-07")
        scans.wait_count(1)

        feed.unplug()
        down = statuses.wait_status(DeviceStatus.DISCONNECTED, after=up)
        statuses.wait_for(lambda items: any(e.reason is StatusReason.NOT_FOUND
                                            for e in items[down:]))
        generation[0] = 1
        feed.replug()
        statuses.wait_status(DeviceStatus.CONNECTED, after=down)
        assert device.port_path == str(tmp_path / "ttyUSB1")
        feed.write("SLOT-W1-08")
        assert texts(scans.wait_count(2)) == ["SLOT-W1-07", "SLOT-W1-08"]


def test_a_missing_port_is_retried_not_fatal(tmp_path: Path, run: Run) -> None:
    scans, statuses = Recorder[ScanEvent](), StatusRecorder()
    device = scanner(f"serial://{tmp_path / 'nothing-here'}", scans, statuses)
    run(device)
    index = statuses.wait_status(DeviceStatus.DISCONNECTED)
    assert statuses.items[index].reason is StatusReason.NOT_FOUND
    assert device.running and device.connects == 0


@pytest.mark.parametrize("url", ["loop://?bogus=1", "alt:///dev/null?class=Nope",
                                 "spy://loop://?bogus=2"])
def test_settings_pyserial_refuses_are_an_error_and_not_retried(url: str, run: Run) -> None:
    scans, statuses = Recorder[ScanEvent](), StatusRecorder()
    device = scanner(url, scans, statuses)
    run(device)
    index = statuses.wait_status(DeviceStatus.ERROR)
    assert statuses.items[index].reason is StatusReason.CONFIG
    statuses.wait_for(lambda items: not device.running)


def test_a_failing_callback_does_not_stop_the_scanner(pty_feed: PtyFeed, run: Run) -> None:
    delivered = Recorder[ScanEvent]()

    def on_scan(event: ScanEvent) -> None:
        delivered(event)
        if len(delivered.items) == 1:
            raise RuntimeError("screen bug")

    statuses = StatusRecorder()
    device = SerialScanner(pty_feed.url, on_scan, statuses, backoff=FAST)
    run(device)
    statuses.wait_status(DeviceStatus.CONNECTED)
    pty_feed.write("WAVE-1")
    pty_feed.write("WAVE-2")
    assert texts(delivered.wait_count(2)) == ["WAVE-1", "WAVE-2"]
    assert DeviceStatus.DISCONNECTED not in statuses.statuses()


def test_stop_joins_the_thread_and_reports_stopped(pty_feed: PtyFeed) -> None:
    statuses = StatusRecorder()
    device = SerialScanner(pty_feed.url, Recorder[ScanEvent](), statuses, backoff=FAST)
    device.start()
    statuses.wait_status(DeviceStatus.CONNECTED)
    device.stop()
    assert not device.running
    assert device.status is DeviceStatus.STOPPED
    assert statuses.items[-1] == StatusEvent(device.name, DeviceStatus.STOPPED)


def test_bad_scanner_settings_are_refused() -> None:
    with pytest.raises(DeviceUrlError):
        SerialScanner("serial:///dev/ttyUSB0?suffix=TAB", print)
    with pytest.raises(DeviceUrlError):
        SerialScanner("sim://x", print)
    with pytest.raises(ValueError, match="backoff"):
        SerialScanner("serial:///dev/ttyUSB0", print, backoff=())
    with pytest.raises(ValueError, match="one character"):
        SerialScanner("serial:///dev/ttyUSB0", print, gs_substitute="")


def test_simulated_scanner() -> None:
    scans, statuses = Recorder[ScanEvent](), StatusRecorder()
    sim = SimulatedScanner("sim://training", scans, statuses)
    assert sim.send("6901234567892") is None  # not started: nothing is scanned
    with sim:
        event = sim.send("6901234567892")
        assert event is not None and event.scan.kind is ScanKind.SKU
        sim.unplug()
        assert sim.send("WAVE-1") is None
        sim.replug()
        sim.send("USR-packer01")
    assert [e.scan.kind for e in scans.items] == [ScanKind.SKU, ScanKind.BADGE]
    assert statuses.statuses() == [DeviceStatus.CONNECTED, DeviceStatus.DISCONNECTED,
                                   DeviceStatus.CONNECTED, DeviceStatus.STOPPED]
    assert statuses.items[1].reason is StatusReason.SIMULATED
    with pytest.raises(DeviceUrlError):
        SimulatedScanner("serial:///dev/ttyS0")
