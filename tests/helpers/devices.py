"""A station's devices on the desktop, as the app starts them: the device service of a settings
file with the Qt device manager subscribed, started, and its first news delivered on the GUI
thread (the keyboard-wedge filter installed, the simulated devices running)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from app.config import Settings
from app.station.devices import DeviceService
from app.ui.device_manager import DeviceManager
from app.ui.qt import QApplication

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
    told so far has reached the GUI thread."""
    started: list[bool] = []
    manager.started.connect(lambda: started.append(True))
    manager.service.start().result(WAIT_S)
    deliver(manager, started)


def deliver(manager: DeviceManager, started: list[bool]) -> None:
    deadline = time.monotonic() + WAIT_S
    while not started:
        if time.monotonic() > deadline:
            raise TimeoutError("the device manager did not hear its devices start")
        QApplication.processEvents()
        time.sleep(0.002)


def told_now() -> None:
    """What the devices told on the GUI thread so far (a simulated scale's weight) reaches the
    screens now: their news is queued, delivered when the event loop next runs."""
    QApplication.processEvents()
