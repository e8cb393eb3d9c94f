"""The station's scanners, scales and keyboard wedge as one service, for the desktop and for
`packline devices listen` alike. No Qt here.

The service reads the station's device settings (`app.devices.load`) once per start or reload,
builds a driver for each scanner and scale, runs their reader threads and tells its
subscribers, through callbacks, what the devices report: each parsed scan, each settled weight
and every reading, each change of a device's status, the settings that cannot work, serial
ports plugged in or pulled out, and the keyboard-wedge scanner the desktop is to listen for.

Callbacks run on whatever thread the news comes from (a device's reader thread, the service's
own control thread, or the caller's), so a subscriber that needs its own thread (the desktop:
the GUI thread) hands them on itself. Stopping and starting devices happens on the control
thread: `start()` and `reload()` read the settings on the caller's thread and return at once,
with a future that is done when the devices are started; only `stop()` waits, for the end.

Each start or reload is a generation of drivers; news from a generation that was replaced is
dropped, so a scanner being stopped cannot report after its successor.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from app import devices as device_settings
from app.config import Settings
from app.devices import DeviceConfigError, DeviceSettings, DeviceSpec
from drivers.barcode import Scan, parse_scan
from drivers.base import Device, DeviceStatus, StatusEvent, StatusReason, guarded
from drivers.ports import HotplugWatcher, PortRecord
from drivers.scale import SimulatedScale, Weight
from drivers.scanner import ScanEvent, SimulatedScanner
from drivers.wedge import WedgeClassifier

log = logging.getLogger("packline.devices")


@dataclass(frozen=True, slots=True)
class DeviceState:
    """How one configured device is doing; `reason` and `detail` say why it is not working."""

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


@dataclass(frozen=True, slots=True)
class WedgeInput:
    """The keyboard-wedge scanner to listen for: its name and the timing rule that tells its
    bursts of keys from a person typing."""

    name: str
    classifier: WedgeClassifier


@dataclass(frozen=True, slots=True)
class Listener:
    """What a subscriber wants to hear; each callback may be left out."""

    on_scan: Callable[[Scanned], None] | None = None  # every parsed scan, any scanner
    on_weight: Callable[[Weighed], None] | None = None  # a settled weight, once per settle
    on_reading: Callable[[Weighed], None] | None = None  # every reading, for a live display
    on_status: Callable[[DeviceState], None] | None = None
    on_problem: Callable[[DeviceConfigError], None] | None = None  # settings that cannot work
    on_ports: Callable[[list[PortRecord], list[PortRecord]], None] | None = None  # added, gone
    on_wedge: Callable[[WedgeInput | None], None] | None = None  # None: listen for none
    on_started: Callable[[], None] | None = None  # a start's or reload's devices are started


def scale_required(specs: Iterable[DeviceSpec]) -> bool:
    """A bench with a scale weighs every parcel: packing asks for the weight whenever the
    station has a scale whose settings can work (one that is unplugged is waited for; a
    section that cannot work is no scale, and is listed on the Devices screen instead)."""
    return any(spec.kind == "scale" for spec in specs)


@dataclass(slots=True, eq=False)
class _Generation:
    """The drivers of one start or reload, and the settings they were built from."""

    number: int
    settings: DeviceSettings
    drivers: dict[str, Device] = field(default_factory=dict)
    wedge: WedgeInput | None = None
    started: bool = False

    def spec(self, name: str) -> DeviceSpec | None:
        return next((s for s in self.settings.specs if s.name == name), None)


class DeviceService:
    """The devices of a station, per its settings. `devices` names the devices to run instead
    of the settings' `[device:…]` sections (no wedge then); `[scan]` is read either way. With
    `strict`, a setting that cannot work stops `start()` with its error before anything starts
    (the CLI: IT is looking at it); otherwise it is reported and the rest starts."""

    def __init__(self, settings: Settings, *, devices: Sequence[DeviceSpec] | None = None,
                 watch_ports: bool = True, hotplug_interval: float = 2.0,
                 strict: bool = False) -> None:
        self.settings = settings
        self.watch_ports = watch_ports
        self.hotplug_interval = hotplug_interval
        self.strict = strict
        self._given = tuple(devices) if devices is not None else None
        self._lock = threading.RLock()
        self._listeners: tuple[Listener, ...] = ()
        self._current = _Generation(0, DeviceSettings())
        self._states: dict[str, DeviceState] = {}
        self._control: ThreadPoolExecutor | None = None
        self._watcher: HotplugWatcher | None = None

    # ---- subscribers

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Hear the devices' news from now on; returns the call that stops it."""
        with self._lock:
            self._listeners = (*self._listeners, listener)

        def unsubscribe() -> None:
            with self._lock:
                self._listeners = tuple(x for x in self._listeners if x is not listener)

        return unsubscribe

    def _tell(self, pick: Callable[[Listener], Callable[..., None] | None],
              *args: Any) -> None:
        for listener in self._listeners:
            callback = pick(listener)
            if callback is not None:
                guarded(callback, *args)

    # ---- life cycle

    def start(self) -> Future[None]:
        """Read the settings and start every device they configure (a section that cannot work
        is reported, the rest still starts), and the serial-port watcher."""
        done = self.reload()
        with self._lock:
            if self.watch_ports and self._watcher is None:
                self._watcher = HotplugWatcher(self.hotplug_interval,
                                               lambda added, removed: self._tell(
                                                   lambda x: x.on_ports, added, removed))
                self._watcher.start()
        return done

    def reload(self) -> Future[None]:
        """After the settings changed: read them again now; the running devices are stopped
        and the configured ones started on the control thread."""
        loaded = device_settings.load(self.settings, sections=self._given is None)
        if self._given is not None:
            loaded = DeviceSettings(self._given, {}, {}, loaded.patterns, loaded.gs,
                                    loaded.problems)
        if self.strict and loaded.problems:
            raise loaded.problems[0]
        with self._lock:
            generation = _Generation(self._current.number + 1, loaded)
            states = self._build(generation)
            previous, self._current, self._states = self._current, generation, states
        # Told before any of the new drivers starts, so nothing they report can come first.
        for problem in loaded.problems:
            self._tell(lambda x: x.on_problem, problem)
        for state in states.values():
            self._tell(lambda x: x.on_status, state)
        self._tell(lambda x: x.on_wedge, generation.wedge)
        with self._lock:
            if self._control is None:
                self._control = ThreadPoolExecutor(1, thread_name_prefix="packline-devices")
            return self._control.submit(self._switch, previous, generation)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop every device and the port watcher, and wait for them (up to `timeout`)."""
        with self._lock:
            generation = self._current
            generation.wedge = None
            control, self._control = self._control, None
            watcher, self._watcher = self._watcher, None
        self._tell(lambda x: x.on_wedge, None)
        for state in self.status():
            if state.kind == "wedge":
                self._set_state(generation, DeviceState(state.name, state.kind, state.url,
                                                        DeviceStatus.STOPPED))
        if control is not None:
            try:
                control.submit(self._stop_drivers, generation).result(timeout)
            except TimeoutError:
                log.warning("devices did not stop within %.1f s", timeout)
            control.shutdown(wait=False)
        if watcher is not None:
            watcher.stop()

    def _build(self, generation: _Generation) -> dict[str, DeviceState]:
        """The drivers of `generation` (not started) and the state each device starts in."""
        loaded = generation.settings
        states: dict[str, DeviceState] = {}
        for spec in loaded.specs:
            if spec.kind == "wedge":
                if spec.options["enabled"]:
                    generation.wedge = WedgeInput(spec.name,
                                                  device_settings.wedge_classifier(spec))
                states[spec.name] = DeviceState(spec.name, spec.kind, spec.url,
                                                DeviceStatus.CONNECTED if generation.wedge
                                                else DeviceStatus.STOPPED)
                continue
            number = generation.number
            try:
                driver = device_settings.build(
                    spec, patterns=loaded.patterns, gs=loaded.gs,
                    on_status=partial(self._driver_status, number),
                    on_scan=partial(self._driver_scan, number),
                    on_weight=partial(self._driver_weight, number, spec.name, True),
                    on_reading=partial(self._driver_weight, number, spec.name, False))
            except ValueError as exc:
                if self.strict:
                    raise
                log.error("%s: %s", spec.name, exc)
                states[spec.name] = DeviceState(spec.name, spec.kind, spec.url,
                                                DeviceStatus.ERROR, StatusReason.CONFIG,
                                                str(exc))
                continue
            generation.drivers[spec.name] = driver
            states[spec.name] = DeviceState(spec.name, spec.kind, spec.url,
                                            DeviceStatus.CONNECTING)
        return states

    def _switch(self, previous: _Generation, generation: _Generation) -> None:
        """On the control thread: the previous drivers stopped, then the new ones started
        (unless a later reload replaced them meanwhile: its own switch follows)."""
        self._stop_drivers(previous)
        if generation is not self._current:
            return
        for driver in generation.drivers.values():
            driver.start()
        generation.started = True
        if generation is self._current:
            self._tell(lambda x: x.on_started)

    @staticmethod
    def _stop_drivers(generation: _Generation) -> None:
        for driver in generation.drivers.values():
            try:
                driver.stop()
            except Exception:  # noqa: BLE001 - one device's trouble must not keep others on
                log.exception("%s: stopping failed", driver.name)
        generation.started = False

    # ---- what the drivers report (their threads)

    def _driver_status(self, number: int, event: StatusEvent) -> None:
        generation = self._current
        spec = generation.spec(event.device) if generation.number == number else None
        if spec is not None:
            self._set_state(generation, DeviceState(spec.name, spec.kind, spec.url,
                                                    event.status, event.reason, event.detail))

    def _set_state(self, generation: _Generation, state: DeviceState) -> None:
        with self._lock:
            if generation is not self._current:
                return
            before = self._states.get(state.name)
            self._states[state.name] = state
        if before is None or (before.status, before.reason) != (state.status, state.reason):
            self._tell(lambda x: x.on_status, state)

    def _driver_scan(self, number: int, event: ScanEvent) -> None:
        if self._current.number == number:
            self._tell(lambda x: x.on_scan, Scanned(event.device, event.scan))

    def _driver_weight(self, number: int, device: str, settled: bool, weight: Weight) -> None:
        if self._current.number == number:
            self._tell((lambda x: x.on_weight) if settled else (lambda x: x.on_reading),
                       Weighed(device, weight))

    def keyboard_scan(self, device: str, text: str) -> None:
        """A keyboard-wedge scanner typed `text`: parsed like any scan and told as one."""
        loaded = self._current.settings
        self._tell(lambda x: x.on_scan, Scanned(device, parse_scan(text, loaded.patterns,
                                                                   loaded.gs)))

    # ---- what is configured and how it is doing

    @property
    def specs(self) -> tuple[DeviceSpec, ...]:
        """The devices whose settings can work, in the order of the settings file."""
        return self._current.settings.specs

    @property
    def broken(self) -> dict[str, DeviceConfigError]:
        """The `[device:NAME]` sections that cannot work, by NAME, with what is wrong."""
        return self._current.settings.broken

    def written(self, name: str) -> dict[str, str]:
        """A section that cannot work as it is written, to be shown, fixed or removed."""
        return self._current.settings.written.get(name, {})

    @property
    def problems(self) -> tuple[DeviceConfigError, ...]:
        return self._current.settings.problems

    @property
    def scale_required(self) -> bool:
        """Whether this station's packing weighs every parcel (`scale_required`)."""
        return scale_required(self.specs)

    @property
    def wedge(self) -> WedgeInput | None:
        return self._current.wedge

    def status(self) -> list[DeviceState]:
        """Each configured device's state, in the order of the settings file."""
        with self._lock:
            return [self._states[s.name] for s in self.specs if s.name in self._states]

    def state(self, name: str) -> DeviceState | None:
        with self._lock:
            return self._states.get(name)

    def ports(self) -> list[PortRecord]:
        """The serial ports seen at the watcher's last look."""
        watcher = self._watcher
        return watcher.devices if watcher is not None else []

    # ---- the simulated devices of the training panel

    def simulated(self, kind: str) -> list[str]:
        """Names of the running simulated scanners or scales."""
        wanted = SimulatedScanner if kind == "scanner" else SimulatedScale
        generation = self._current
        if not generation.started:
            return []
        return [n for n, d in generation.drivers.items() if isinstance(d, wanted)]

    def simulate_scan(self, name: str, text: str) -> bool:
        """The training panel scans `text` on simulated scanner `name`; False when it is not
        running or its cable is pulled."""
        driver = self._current.drivers.get(name)
        return isinstance(driver, SimulatedScanner) and driver.send(text) is not None

    def simulate_weight(self, name: str, grams: int, stable: bool = True) -> bool:
        driver = self._current.drivers.get(name)
        if not isinstance(driver, SimulatedScale):
            return False
        driver.set_weight(grams, stable)
        return True

    def set_cable(self, name: str, plugged: bool) -> None:
        """Pull or put back a simulated device's cable (training, tests)."""
        driver = self._current.drivers.get(name)
        if isinstance(driver, SimulatedScanner | SimulatedScale):
            (driver.replug if plugged else driver.unplug)()


# ---- print components (the station's printers that are a platform's print component)


@dataclass(frozen=True, slots=True)
class ComponentState:
    """A component printer as its component answered just now (`running`: it answered;
    `offered`: it offers the printer the station prints on; `printers`: all it offers)."""
    printer: str  # the station's printer name
    language: str
    url: str
    running: bool
    offered: bool
    printers: tuple[str, ...]
    problem: str = ""  # why not running, in the log's English


def component_printers(settings: Settings) -> list[Any]:
    """The station's printers that are print components (PrinterSpec); none when the printer
    settings cannot be read (the Printing screen and the CLI say why)."""
    from app.printers import load_printers

    try:
        printers = load_printers(settings)
    except Exception:  # noqa: BLE001 - a broken printer section is reported elsewhere
        log.debug("printer settings unreadable", exc_info=True)
        return []
    return [spec for spec in printers.values() if spec.is_component]


def ask_components(specs: Iterable[Any], timeout: float = 2.0) -> list[ComponentState]:
    """Ask each component printer's component for its printers (`getPrinters`). Blocks on
    the network: run it off the GUI thread."""
    from drivers.printers.component import ComponentTransport
    from drivers.printers.urls import PrinterUrl

    states: list[ComponentState] = []
    for spec in specs:
        report = ComponentTransport(PrinterUrl.parse(spec.url),
                                    timeout=min(timeout, spec.timeout)).report()
        states.append(ComponentState(spec.name, spec.language, spec.url, report.running,
                                     report.offered, report.printers, report.problem))
    return states
