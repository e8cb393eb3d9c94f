"""A station's devices on the desktop, as the app starts them: the device service of a settings
file with the Qt device manager subscribed, started, and its first news delivered on the GUI
thread (the keyboard-wedge filter installed, the simulated devices running)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from app.config import Settings
from app.station.devices import DeviceService
from app.ui.device_manager import DeviceManager
from app.ui.qt import QApplication
from tests.helpers.waiting import eventually

WAIT_S = 10.0


@contextmanager
def desk_devices(settings: Settings) -> Iterator[DeviceManager]:
    service = DeviceService(settings, watch_ports=False)
    manager = DeviceManager(service)
    try:
        start(manager)
        yield manager
    finally:
        manager.close()
        service.stop()
        manager.deleteLater()


def start(manager: DeviceManager) -> None:
    """Start the manager's service and wait until its devices are started and everything it
    told so far has reached the GUI thread (the start is told last)."""
    started: list[bool] = []
    manager.started.connect(lambda: started.append(True))
    manager.service.start().result(WAIT_S)
    eventually(lambda: started, what="the device manager to hear its devices start",
               timeout=WAIT_S, every=0.002, pump=QApplication.processEvents)


def told_now() -> None:
    """What the devices told on the GUI thread so far (a simulated scale's weight) reaches the
    screens now: their news is queued, delivered when the event loop next runs."""
    QApplication.processEvents()
