"""What scanners and scales share: the status a device reports, a base class with start/stop,
the simulated-device base of the training panel, and the one reader thread with its reconnect
loop and back-off that every serial device runs (so an unplug never ends in a crash).

Callbacks (`on_status`, and the scans and weights of subclasses) run on the device's own
thread; the Qt side forwards them to the GUI thread as signals. An exception in a callback is
logged and the device carries on.
"""

from __future__ import annotations

import errno
import logging
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import TracebackType
from typing import ParamSpec, Self

from drivers import serialio
from drivers.serialio import PortLister, SerialPort
from drivers.urls import DeviceUrl, DeviceUrlError, UrlKind, find_usb_port

log = logging.getLogger("packline.drivers")

P = ParamSpec("P")


class DeviceStatus(StrEnum):
    STOPPED = "stopped"
    CONNECTING = "connecting"  # started, first attempt under way
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"  # gone or not there yet; retried with back-off
    ERROR = "error"  # needs a person (settings, permissions); see the reason


class StatusReason(StrEnum):
    NOT_FOUND = "not_found"  # no such port, USB adapter not plugged in, TCP peer refuses
    OPEN_FAILED = "open_failed"
    IO_ERROR = "io_error"  # the connection broke while in use (unplug, cable, peer closed)
    NO_REPLY = "no_reply"  # a polled device stopped answering
    PERMISSION_DENIED = "permission_denied"  # retried: IT may fix the group membership
    BUSY = "busy"  # another program holds the port; retried
    CONFIG = "config"  # the settings cannot work; not retried
    SIMULATED = "simulated"  # the training panel pulled the simulated cable


@dataclass(frozen=True)
class StatusEvent:
    device: str
    status: DeviceStatus
    reason: StatusReason | None = None
    detail: str = ""  # the underlying error, for the log; not shown to a packer as is


StatusCallback = Callable[[StatusEvent], None]

DEFAULT_BACKOFF: tuple[float, ...] = (0.2, 0.5, 1.0, 2.0, 5.0)


class DeviceGone(OSError):
    """Raised inside a session when the device is no longer usable (peer closed, no reply)."""

    def __init__(self, reason: StatusReason, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


def guarded(callback: Callable[P, object], *args: P.args, **kwargs: P.kwargs) -> None:
    """Call an application callback; a failure there is logged, never kills a device thread."""
    try:
        callback(*args, **kwargs)
    except Exception:
        log.exception("device callback %r failed", callback)


class Device(ABC):
    """A scanner or scale: a name, its URL, a status, start() and stop()."""

    def __init__(self, url: DeviceUrl | str, on_status: StatusCallback | None = None, *,
                 name: str | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.url = url if isinstance(url, DeviceUrl) else DeviceUrl.parse(url)
        self.name = name or self.url.name
        self.clock = clock
        self._on_status = on_status
        self._status = DeviceStatus.STOPPED
        self._reason: StatusReason | None = None
        self._status_lock = threading.Lock()

    @property
    def status(self) -> DeviceStatus:
        return self._status

    @property
    def reason(self) -> StatusReason | None:
        return self._reason

    @abstractmethod
    def start(self) -> None: ...

    @abstractmethod
    def stop(self) -> None: ...

    def _set_status(self, status: DeviceStatus, reason: StatusReason | None = None,
                    detail: str = "") -> None:
        # Report changes only: a device that stays unplugged must not flood the log and the UI
        # with one event per retry.
        with self._status_lock:
            if (status, reason) == (self._status, self._reason):
                return
            self._status, self._reason = status, reason
        log.info("%s: %s%s%s", self.name, status.value, f" ({reason.value})" if reason else "",
                 f": {detail}" if detail else "")
        if self._on_status is not None:
            guarded(self._on_status, StatusEvent(self.name, status, reason, detail))

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


class SimulatedDevice(Device):
    """A sim:// device for the training panel and tests: connected while started, and a
    simulated cable to pull (`unplug`) and put back (`replug`)."""

    def __init__(self, url: DeviceUrl | str = "sim://", on_status: StatusCallback | None = None,
                 *, name: str | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(url, on_status, name=name, clock=clock)
        if self.url.kind is not UrlKind.SIM:
            raise DeviceUrlError(f"{self.url.name}: a simulated device needs a sim:// URL",
                                 "not_sim")
        self._started = False
        self._plugged = True

    @property
    def connected(self) -> bool:
        return self._started and self._plugged

    def start(self) -> None:
        self._started = True
        self._report()

    def stop(self) -> None:
        self._started = False
        self._set_status(DeviceStatus.STOPPED)

    def unplug(self) -> None:
        self._plugged = False
        self._report()

    def replug(self) -> None:
        self._plugged = True
        self._report()

    def _report(self) -> None:
        if not self._started:
            return
        if self._plugged:
            self._set_status(DeviceStatus.CONNECTED)
        else:
            self._set_status(DeviceStatus.DISCONNECTED, StatusReason.SIMULATED)


class SerialDevice(Device):
    """A device on a serial line (serial://, usbserial://, socket://, pyserial URLs) with one
    reader thread. The thread opens the port, runs `_session` until the port fails, then
    reports DISCONNECTED and tries again after `backoff[n]` seconds (the last value repeats),
    re-finding a usbserial adapter each time since a replug can give it a new path."""

    def __init__(self, url: DeviceUrl | str, on_status: StatusCallback | None = None, *,
                 name: str | None = None, clock: Callable[[], float] = time.monotonic,
                 backoff: Sequence[float] = DEFAULT_BACKOFF,
                 port_lister: PortLister | None = None, read_timeout: float = 0.1,
                 write_timeout: float = 1.0) -> None:
        super().__init__(url, on_status, name=name, clock=clock)
        if self.url.kind is UrlKind.SIM:
            raise DeviceUrlError(f"{self.url.name}: use the simulated device class for sim://",
                                 "simulated")
        if not backoff or any(not isinstance(b, int | float) or b <= 0 for b in backoff):
            raise ValueError(f"backoff must be positive seconds, not {backoff!r}")
        if read_timeout <= 0 or write_timeout <= 0:
            raise ValueError("read_timeout and write_timeout must be positive")
        self.backoff = tuple(float(b) for b in backoff)
        self.read_timeout = read_timeout
        self.write_timeout = write_timeout
        self._lister = port_lister
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._port: SerialPort | None = None
        self._port_lock = threading.Lock()
        self.port_path: str | None = None  # what the device is connected to right now
        self.connects = 0  # successful opens since construction

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._set_status(DeviceStatus.CONNECTING)
        self._thread = threading.Thread(target=self._run, name=f"packline-device {self.name}",
                                        daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the reader thread and wait for it (up to `timeout` seconds)."""
        self._stop.set()
        with self._port_lock:
            if self._port is not None:
                serialio.cancel_read(self._port)
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive():
                log.warning("%s: reader thread did not stop within %.1f s", self.name, timeout)
        self._set_status(DeviceStatus.STOPPED)

    @abstractmethod
    def _session(self, port: SerialPort) -> None:
        """Talk to the open device until `self.stopping` (return) or trouble (raise OSError)."""

    def _open(self) -> tuple[SerialPort, str]:
        if self.url.kind is UrlKind.USBSERIAL:
            listing = self._lister() if self._lister is not None else None
            path = find_usb_port(self.url, listing)
            if path is None:
                raise DeviceGone(StatusReason.NOT_FOUND,
                                 f"no USB serial device {self.url.vid:04x}:{self.url.pid:04x}"
                                 + (f" serial {self.url.serial_number}"
                                    if self.url.serial_number else ""))
            target = path
        else:
            target = self.url.pyserial_url()
        port = serialio.open_url(target, baudrate=self.url.baud, bytesize=self.url.bytesize,
                                 parity=self.url.parity, stopbits=self.url.stopbits,
                                 timeout=self.read_timeout, write_timeout=self.write_timeout)
        return port, target

    def _run(self) -> None:
        failures = 0
        while not self._stop.is_set():
            try:
                port, path = self._open()
            except Exception as exc:
                if self._stop.is_set():
                    break  # stop() reports STOPPED: nothing may come after it
                if not self._open_failed(exc):
                    return
            else:
                failures = 0
                self._serve(port, path)
            if self._stop.is_set():
                break
            delay = self.backoff[min(failures, len(self.backoff) - 1)]
            failures += 1
            if self._stop.wait(delay):
                break

    def _open_failed(self, exc: Exception) -> bool:
        """Report why the port did not open; False when retrying cannot help."""
        if isinstance(exc, DeviceGone):
            self._set_status(DeviceStatus.DISCONNECTED, exc.reason, str(exc))
            return True
        if isinstance(exc, OSError):
            status, reason = _classify_open_error(exc)
            self._set_status(status, reason, str(exc))
            return reason is not StatusReason.CONFIG
        if isinstance(exc, ValueError | LookupError | TypeError):
            # pyserial refused a setting or an option of its URL: a person must change the
            # settings.
            self._set_status(DeviceStatus.ERROR, StatusReason.CONFIG, repr(exc))
            return False
        log.error("%s: opening failed", self.name, exc_info=exc)
        self._set_status(DeviceStatus.DISCONNECTED, StatusReason.OPEN_FAILED, repr(exc))
        return True

    def _serve(self, port: SerialPort, path: str) -> None:
        with self._port_lock:
            self._port = port
        self.port_path = path
        self.connects += 1
        try:
            if self._stop.is_set():
                return
            self._set_status(DeviceStatus.CONNECTED, None, path)
            self._session(port)
        except DeviceGone as exc:
            if not self._stop.is_set():
                self._set_status(DeviceStatus.DISCONNECTED, exc.reason, str(exc))
        except OSError as exc:
            if not self._stop.is_set():
                self._set_status(DeviceStatus.DISCONNECTED, StatusReason.IO_ERROR, str(exc))
        except Exception as exc:
            # A bug in a session must not leave the device dead: log it and reconnect.
            log.exception("%s: session failed", self.name)
            if not self._stop.is_set():
                self._set_status(DeviceStatus.DISCONNECTED, StatusReason.IO_ERROR, repr(exc))
        finally:
            with self._port_lock:
                self._port = None
            self.port_path = None
            try:
                port.close()
            except Exception:
                log.debug("%s: closing the port failed", self.name, exc_info=True)


def _classify_open_error(exc: OSError) -> tuple[DeviceStatus, StatusReason]:
    text = str(exc).lower()
    if "unknown option" in text or "expected a string in the form" in text:
        # pyserial's way of rejecting a pass-through URL's options: no errno, only words.
        return DeviceStatus.ERROR, StatusReason.CONFIG
    code = _errno(exc)
    if code in (errno.EACCES, errno.EPERM):
        return DeviceStatus.ERROR, StatusReason.PERMISSION_DENIED
    if code == errno.EBUSY:
        return DeviceStatus.ERROR, StatusReason.BUSY
    if code in (errno.ENOENT, errno.ENODEV, errno.ENXIO, errno.ECONNREFUSED,
                errno.EHOSTUNREACH, errno.ENETUNREACH) or "refused" in text:
        return DeviceStatus.DISCONNECTED, StatusReason.NOT_FOUND
    return DeviceStatus.DISCONNECTED, StatusReason.OPEN_FAILED


def _errno(exc: BaseException | None) -> int | None:
    # pyserial sometimes keeps the errno, sometimes only in the exception it wraps.
    seen = 0
    while exc is not None and seen < 5:
        code = getattr(exc, "errno", None)
        if isinstance(code, int):
            return code
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None
