"""What serial ports this machine has (for `packline devices list` and the device settings
screen) and a watcher that reports ports appearing and disappearing (USB hot-plug)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import TypedDict

from drivers import serialio
from drivers.base import guarded
from drivers.urls import UrlKind

log = logging.getLogger("packline.drivers.ports")


class PortRecord(TypedDict):
    device: str
    vid: int | None
    pid: int | None
    serial_number: str | None
    description: str | None
    manufacturer: str | None
    url: str  # a device URL for it: usbserial://VID:PID[/SERIAL] when USB, else serial://PATH


Lister = Callable[[], Iterable[PortRecord]]
ChangeCallback = Callable[[list[PortRecord], list[PortRecord]], None]  # (added, removed)


def list_devices(ports: Iterable[serialio.PortInfo] | None = None) -> list[PortRecord]:
    """The serial ports present now, sorted by device path. `ports` replaces the system's
    listing (tests, or a listing taken elsewhere)."""
    listing = serialio.comports() if ports is None else ports
    records = [_record(p) for p in listing]
    return sorted(records, key=lambda r: r["device"])


def _record(port: serialio.PortInfo) -> PortRecord:
    vid, pid, serial_number = port.vid, port.pid, port.serial_number
    if vid is not None and pid is not None:
        url = f"{UrlKind.USBSERIAL.value}://{vid:04x}:{pid:04x}"
        if serial_number:
            url += f"/{serial_number}"
    else:
        url = f"serial://{port.device}"  # serial:///dev/ttyS0, serial://COM3
    return PortRecord(device=port.device, vid=vid, pid=pid, serial_number=serial_number,
                      description=_text(getattr(port, "description", None)),
                      manufacturer=_text(getattr(port, "manufacturer", None)), url=url)


def _text(value: object) -> str | None:
    # pyserial says "n/a" where the OS knows nothing.
    return None if value in (None, "", "n/a") else str(value)


def _key(record: PortRecord) -> tuple[str, int | None, int | None, str | None]:
    return record["device"], record["vid"], record["pid"], record["serial_number"]


class HotplugWatcher:
    """Polls `lister` every `interval` seconds on its own thread and calls
    `on_change(added, removed)` when the set of ports changed. The first listing is the
    baseline (`devices`), not a change. `poll()` runs one round on the caller's thread."""

    def __init__(self, interval: float, on_change: ChangeCallback,
                 lister: Lister = list_devices) -> None:
        if interval <= 0:
            raise ValueError(f"interval must be positive seconds, not {interval!r}")
        self.interval = interval
        self.on_change = on_change
        self.lister = lister
        self._known: dict[tuple[str, int | None, int | None, str | None], PortRecord] | None \
            = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def devices(self) -> list[PortRecord]:
        """The ports seen at the last poll."""
        return sorted((self._known or {}).values(), key=lambda r: r["device"])

    def poll(self) -> tuple[list[PortRecord], list[PortRecord]]:
        """List once; report and return (added, removed) against the previous listing."""
        try:
            current = {_key(r): r for r in self.lister()}
        except Exception:
            # A listing can fail mid-replug (sysfs entries vanishing): try again next round.
            log.warning("listing serial ports failed", exc_info=True)
            return [], []
        previous, self._known = self._known, current
        if previous is None:
            return [], []
        added = sorted((r for k, r in current.items() if k not in previous),
                       key=lambda r: r["device"])
        removed = sorted((r for k, r in previous.items() if k not in current),
                         key=lambda r: r["device"])
        if added or removed:
            guarded(self.on_change, added, removed)
        return added, removed

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="packline-hotplug", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout)

    def _run(self) -> None:
        self.poll()
        while not self._stop.wait(self.interval):
            self.poll()
