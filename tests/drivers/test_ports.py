"""Port listing for `packline devices list` and the hot-plug watcher."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from drivers.ports import HotplugWatcher, PortRecord, list_devices
from drivers.urls import DeviceUrl, find_usb_port
from tests.drivers.conftest import Recorder, Stoppable

Run = Callable[[Stoppable], None]


@dataclass(frozen=True)
class Port:
    device: str
    vid: int | None = None
    pid: int | None = None
    serial_number: str | None = None
    description: str | None = "n/a"
    manufacturer: str | None = None


CH340 = Port("/dev/ttyUSB0", 0x1A86, 0x7523, None, "USB Serial", "QinHeng Electronics")
HONEYWELL = Port("/dev/ttyACM0", 0x0C2E, 0x0B61, "18034B2D1F", "Honeywell 1900", "Honeywell")
ONBOARD = Port("/dev/ttyS0")


def test_list_devices_gives_records_with_a_url_to_paste() -> None:
    records = list_devices([ONBOARD, CH340, HONEYWELL])
    assert [r["device"] for r in records] == ["/dev/ttyACM0", "/dev/ttyS0", "/dev/ttyUSB0"]
    by_device = {r["device"]: r for r in records}
    assert by_device["/dev/ttyACM0"] == PortRecord(
        device="/dev/ttyACM0", vid=0x0C2E, pid=0x0B61, serial_number="18034B2D1F",
        description="Honeywell 1900", manufacturer="Honeywell",
        url="usbserial://0c2e:0b61/18034B2D1F")
    assert by_device["/dev/ttyS0"]["url"] == "serial:///dev/ttyS0"
    assert by_device["/dev/ttyS0"]["description"] is None  # pyserial's "n/a"
    # The suggested URL finds the port again.
    url = DeviceUrl.parse(by_device["/dev/ttyUSB0"]["url"])
    assert find_usb_port(url, [ONBOARD, CH340, HONEYWELL]) == "/dev/ttyUSB0"


def test_list_devices_on_this_machine() -> None:
    records = list_devices()
    assert isinstance(records, list)
    for record in records:
        assert set(record) == set(PortRecord.__annotations__)
        assert DeviceUrl.parse(record["url"])


class Listings:
    """A lister that plays back a sequence of listings, then repeats the last one."""

    def __init__(self, *listings: list[Port]) -> None:
        self.listings = list(listings)
        self.calls = 0
        self.lock = threading.Lock()

    def __call__(self) -> list[PortRecord]:
        with self.lock:
            listing = self.listings[min(self.calls, len(self.listings) - 1)]
            self.calls += 1
        return list_devices(listing)


def test_poll_reports_added_and_removed_ports() -> None:
    changes = Recorder[tuple[list[PortRecord], list[PortRecord]]]()
    watcher = HotplugWatcher(1.0, lambda a, r: changes((a, r)),
                             Listings([ONBOARD], [ONBOARD, CH340], [ONBOARD, CH340], [ONBOARD]))
    assert watcher.poll() == ([], [])  # the baseline is not a change
    assert [r["device"] for r in watcher.devices] == ["/dev/ttyS0"]
    added, removed = watcher.poll()
    assert ([r["device"] for r in added], removed) == (["/dev/ttyUSB0"], [])
    assert watcher.poll() == ([], [])
    added, removed = watcher.poll()
    assert (added, [r["device"] for r in removed]) == ([], ["/dev/ttyUSB0"])
    assert len(changes.items) == 2


def test_a_replug_with_a_new_path_is_one_removal_and_one_addition() -> None:
    moved = Port("/dev/ttyUSB1", 0x1A86, 0x7523, None)
    watcher = HotplugWatcher(1.0, lambda a, r: None, Listings([CH340], [moved]))
    watcher.poll()
    added, removed = watcher.poll()
    assert [r["device"] for r in added] == ["/dev/ttyUSB1"]
    assert [r["device"] for r in removed] == ["/dev/ttyUSB0"]


def test_a_failing_listing_is_skipped() -> None:
    calls = [0]

    def lister() -> list[PortRecord]:
        calls[0] += 1
        if calls[0] == 2:
            raise OSError("sysfs entry vanished")
        return list_devices([ONBOARD] if calls[0] == 1 else [ONBOARD, CH340])

    changes = Recorder[tuple[list[PortRecord], list[PortRecord]]]()
    watcher = HotplugWatcher(1.0, lambda a, r: changes((a, r)), lister)
    watcher.poll()
    assert watcher.poll() == ([], [])
    added, _ = watcher.poll()
    assert [r["device"] for r in added] == ["/dev/ttyUSB0"]


@pytest.mark.timeout(30)
def test_watcher_thread_reports_a_plug_in(run: Run) -> None:
    changes = Recorder[tuple[list[PortRecord], list[PortRecord]]]()
    lister = Listings([ONBOARD], [ONBOARD], [ONBOARD, HONEYWELL])
    watcher = HotplugWatcher(0.01, lambda a, r: changes((a, r)), lister)
    run(watcher)
    added, removed = changes.wait_count(1)[0]
    assert [r["device"] for r in added] == ["/dev/ttyACM0"]
    assert removed == []


def test_bad_interval() -> None:
    with pytest.raises(ValueError, match="interval"):
        HotplugWatcher(0, lambda a, r: None)
