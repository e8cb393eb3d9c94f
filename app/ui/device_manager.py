"""The station's devices on the desktop: starts the drivers configured in `station.ini`, the
keyboard-wedge filter and the hot-plug watcher, and hands their news to the screens as Qt
signals. Drivers call back on their own threads; a signal emitted there reaches slots on the
GUI thread queued, so no screen ever runs device code or waits on a device.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from app import devices
from app.config import Settings
from app.ui.qt import QObject, Signal
from app.ui.wedge_filter import WedgeFilter
from drivers.barcode import DEFAULT_PATTERNS, Scan, parse_scan
from drivers.base import Device, DeviceStatus, StatusEvent, StatusReason
from drivers.ports import HotplugWatcher, PortRecord
from drivers.scale import SimulatedScale, Weight
from drivers.scanner import ScanEvent, SimulatedScanner

log = logging.getLogger("packline.devices")


@dataclass(frozen=True, slots=True)
class DeviceState:
    name: str
    kind: str
    url: str
    status: DeviceStatus
    reason: StatusReason | None = None
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Scanned:
    device: str
    scan: Scan


@dataclass(frozen=True, slots=True)
class Weighed:
    device: str
    weight: Weight


class DeviceManager(QObject):
    scanned = Signal(object)  # Scanned: every parsed scan, whichever scanner it came from
    weighed = Signal(object)  # Weighed: a settled weight, once per settle
    reading = Signal(object)  # Weighed: every reading, for a live display
    status_changed = Signal(object)  # DeviceState
    ports_changed = Signal(object, object)  # (added, removed) lists of PortRecord
    config_error = Signal(str)

    def __init__(self, settings: Settings, *, hotplug_interval: float = 2.0,
                 watch_ports: bool = True, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.hotplug_interval = hotplug_interval
        self.watch_ports = watch_ports
        self.specs: list[devices.DeviceSpec] = []
        # Sections that cannot work, by device name: left out, listed on the Devices screen.
        self.broken: dict[str, devices.DeviceConfigError] = {}
        self.drivers: dict[str, Device] = {}
        self.states: dict[str, DeviceState] = {}
        self.wedge: WedgeFilter | None = None
        self.watcher: HotplugWatcher | None = None
        self.patterns = DEFAULT_PATTERNS
        self.gs: str | None = None
        self.status_changed.connect(self._remember)

    # ---- life cycle

    def start(self) -> None:
        """Start everything configured; a bad section is reported, the rest still starts."""
        from app.ui.messages import describe_setting

        try:
            self.patterns = devices.scan_patterns(self.settings)
            self.gs = devices.gs_substitute(self.settings)
        except devices.DeviceConfigError as exc:
            log.error("device settings: %s", exc)
            self.config_error.emit(describe_setting(exc, with_path=False))
        self.specs, self.broken = devices.load_all(self.settings)
        for exc in self.broken.values():
            self.config_error.emit(describe_setting(exc, with_path=False))
        for spec in self.specs:
            self._start_one(spec)
        if self.watch_ports and self.watcher is None:
            self.watcher = HotplugWatcher(self.hotplug_interval, self._ports_changed)
            self.watcher.start()

    def stop(self) -> None:
        for driver in list(self.drivers.values()):
            driver.stop()
        self.drivers.clear()
        if self.wedge is not None:
            self.wedge.remove()
            self.wedge.deleteLater()
            self.wedge = None
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher = None

    def restart(self) -> None:
        """After the settings changed: stop every device and start what is configured now."""
        self.stop()
        self.states.clear()
        self.start()

    def _start_one(self, spec: devices.DeviceSpec) -> None:
        if spec.kind == "wedge":
            if not spec.options["enabled"]:
                self._state(spec, DeviceStatus.STOPPED)
                return
            self.wedge = WedgeFilter(devices.wedge_classifier(spec), parent=self)
            self.wedge.scanned.connect(lambda text, name=spec.name: self._wedge_scan(name, text))
            self.wedge.install()
            self._state(spec, DeviceStatus.CONNECTED)
            return
        try:
            name = spec.name
            driver = devices.build(
                spec, patterns=self.patterns, gs=self.gs, on_status=self._driver_status,
                on_scan=self._driver_scan,
                on_weight=lambda w: self.weighed.emit(Weighed(name, w)),
                on_reading=lambda w: self.reading.emit(Weighed(name, w)))
        except ValueError as exc:
            log.error("%s: %s", spec.name, exc)
            self._state(spec, DeviceStatus.ERROR, StatusReason.CONFIG, str(exc))
            return
        self.drivers[spec.name] = driver
        self._state(spec, DeviceStatus.CONNECTING)
        driver.start()

    # ---- what the drivers report (their threads) → signals (GUI thread)

    def _driver_status(self, event: StatusEvent) -> None:
        spec = self._spec(event.device)
        if spec is not None:
            self.status_changed.emit(DeviceState(spec.name, spec.kind, spec.url, event.status,
                                                 event.reason, event.detail))

    def _driver_scan(self, event: ScanEvent) -> None:
        self.scanned.emit(Scanned(event.device, event.scan))

    def _wedge_scan(self, name: str, text: str) -> None:
        self.scanned.emit(Scanned(name, parse_scan(text, self.patterns, self.gs)))

    def _ports_changed(self, added: list[PortRecord], removed: list[PortRecord]) -> None:
        self.ports_changed.emit(added, removed)

    # ---- for the screens

    def states_in_order(self) -> list[DeviceState]:
        return [self.states[s.name] for s in self.specs if s.name in self.states]

    def ports(self) -> list[PortRecord]:
        return self.watcher.devices if self.watcher is not None else []

    def simulated(self, kind: str) -> list[str]:
        """Names of the running simulated scanners or scales."""
        wanted = SimulatedScanner if kind == "scanner" else SimulatedScale
        return [n for n, d in self.drivers.items() if isinstance(d, wanted)]

    def simulate_scan(self, name: str, text: str) -> bool:
        """The training panel scans `text` on simulated scanner `name`."""
        driver = self.drivers.get(name)
        return isinstance(driver, SimulatedScanner) and driver.send(text) is not None

    def simulate_weight(self, name: str, grams: int, stable: bool = True) -> bool:
        driver = self.drivers.get(name)
        if not isinstance(driver, SimulatedScale):
            return False
        driver.set_weight(grams, stable)
        return True

    def set_cable(self, name: str, plugged: bool) -> None:
        """Pull or put back a simulated device's cable (training, tests)."""
        driver = self.drivers.get(name)
        if isinstance(driver, SimulatedScanner | SimulatedScale):
            (driver.replug if plugged else driver.unplug)()

    # ---- bookkeeping

    def _spec(self, name: str) -> devices.DeviceSpec | None:
        return next((s for s in self.specs if s.name == name), None)

    def _state(self, spec: devices.DeviceSpec, status: DeviceStatus,
               reason: StatusReason | None = None, detail: str = "") -> None:
        self.status_changed.emit(DeviceState(spec.name, spec.kind, spec.url, status, reason,
                                             detail))

    def _remember(self, state: Any) -> None:
        self.states[state.name] = state
