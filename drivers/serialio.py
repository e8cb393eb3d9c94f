"""The one door to pyserial: wrappers for opening a port, listing ports and waking a blocked
read. Everything else in `drivers/` talks to the `SerialPort` and `PortInfo` protocols below
instead of to `serial` directly (mypy reads pyserial's types from types-pyserial)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from typing import Protocol, TypedDict

import serial
import serial.tools.list_ports

#: Raised by pyserial for I/O trouble; it subclasses OSError, so `except OSError` catches both.
SerialException: type[OSError] = serial.SerialException


class SerialPort(Protocol):
    """What a reader thread needs from an open pyserial port (serial, socket://, rfc2217://…)."""

    @property
    def in_waiting(self) -> int: ...

    def read(self, size: int = 1) -> bytes: ...

    def write(self, data: bytes) -> int | None: ...

    def close(self) -> None: ...


class PortInfo(Protocol):
    """One entry of a port listing: pyserial's `ListPortInfo`, or any object with these
    attributes (tests and the hot-plug watcher pass plain dataclasses)."""

    @property
    def device(self) -> str: ...

    @property
    def vid(self) -> int | None: ...

    @property
    def pid(self) -> int | None: ...

    @property
    def serial_number(self) -> str | None: ...


PortLister = Callable[[], Iterable[PortInfo]]


def comports() -> list[PortInfo]:
    """The serial ports the operating system sees now, USB adapters included."""
    ports: list[PortInfo] = list(serial.tools.list_ports.comports())
    return ports


class _PortOptions(TypedDict, total=False):
    """The settings `open_url` passes on; one left out keeps pyserial's default."""

    baudrate: int
    timeout: float
    write_timeout: float
    bytesize: int
    parity: str
    stopbits: float


def open_url(url: str, *, baudrate: int, timeout: float, write_timeout: float,
             bytesize: int | None = None, parity: str | None = None,
             stopbits: float | None = None) -> SerialPort:
    """Open `url` (a device path or any pyserial URL). Raises OSError (SerialException) when
    the port cannot be opened and ValueError when pyserial rejects a setting."""
    options: _PortOptions = {"baudrate": baudrate, "timeout": timeout,
                             "write_timeout": write_timeout}
    if bytesize is not None:
        options["bytesize"] = bytesize
    if parity is not None:
        options["parity"] = parity
    if stopbits is not None:
        options["stopbits"] = stopbits
    port: SerialPort = serial.serial_for_url(url, **options)
    return port


def cancel_read(port: SerialPort) -> None:
    """Wake a read blocked in another thread, where the transport can (posix serial ports);
    elsewhere the reader notices a stop at its next read timeout."""
    cancel = getattr(port, "cancel_read", None)
    if cancel is not None:
        # The port may be closing under us: the reader is about to leave anyway.
        with contextlib.suppress(OSError, TypeError, ValueError):
            cancel()
