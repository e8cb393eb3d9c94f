"""The station's devices on the desktop: the device service's news (`app.station.devices`) as
Qt signals on the GUI thread. The service calls back on its devices' threads; each callback is
queued here and emitted on the GUI thread, so no screen runs device code or waits on a device.
The one thing only Qt can do, taking a keyboard-wedge scanner's keys out of the focused field,
is done here too, as the service's settings ask, and its scans go back to the service to be
parsed and told like any other.

Screens connect to the signals and ask the service itself (`service`) what is configured and
how it is doing.
"""

from __future__ import annotations

from typing import Any

from app.station.devices import DeviceService, Listener, WedgeInput
from app.ui.qt import QObject, Qt, Signal
from app.ui.wedge_filter import WedgeFilter


class DeviceManager(QObject):
    scanned = Signal(object)  # Scanned: every parsed scan, whichever scanner it came from
    weighed = Signal(object)  # Weighed: a settled weight, once per settle
    reading = Signal(object)  # Weighed: every reading, for a live display
    status_changed = Signal(object)  # DeviceState
    ports_changed = Signal(object, object)  # (added, removed) lists of PortRecord
    config_error = Signal(object)  # DeviceConfigError: settings that cannot work
    started = Signal()  # a start's or reload's devices are started
    _relay = Signal(str, object)  # (what, its arguments), from any thread

    def __init__(self, service: DeviceService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.wedge: WedgeFilter | None = None
        self._closed = False
        self._relay.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

        def relay(what: str) -> Any:
            return lambda *args: self._relay.emit(what, args)

        self._unsubscribe = service.subscribe(Listener(
            on_scan=relay("scanned"), on_weight=relay("weighed"), on_reading=relay("reading"),
            on_status=relay("status_changed"), on_problem=relay("config_error"),
            on_ports=relay("ports_changed"), on_wedge=relay("wedge"),
            on_started=relay("started")))
        unsubscribe = self._unsubscribe
        self.destroyed.connect(lambda *_: unsubscribe())
        self._relay.emit("wedge", (service.wedge,))  # as the service stands now

    def close(self) -> None:
        """Stop hearing the service; the keyboard-wedge filter comes off at once."""
        self._closed = True
        self._unsubscribe()
        self._listen_to(None)

    def _deliver(self, what: str, args: tuple[Any, ...]) -> None:
        if self._closed:
            return
        if what == "wedge":
            self._listen_to(args[0])
            return
        signal = {"scanned": self.scanned, "weighed": self.weighed, "reading": self.reading,
                  "status_changed": self.status_changed, "ports_changed": self.ports_changed,
                  "config_error": self.config_error, "started": self.started}[what]
        signal.emit(*args)

    def _listen_to(self, wedge: WedgeInput | None) -> None:
        if self.wedge is not None:
            self.wedge.remove()
            self.wedge.deleteLater()
            self.wedge = None
        if wedge is not None:
            self.wedge = WedgeFilter(wedge.classifier, parent=self)
            self.wedge.scanned.connect(
                lambda text, name=wedge.name: self.service.keyboard_scan(name, text))
            self.wedge.install()
