"""Barcode scanners on a serial line (RS-232, USB virtual COM, TCP serial servers) and the
simulated scanner of the training panel. Each scan arrives as a `ScanEvent` carrying the parsed
`Scan`, on the scanner's own thread. (USB keyboard-wedge scanners are handled in the app by an
event filter built on `drivers.wedge`.)"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from drivers.barcode import DEFAULT_PATTERNS, Scan, ScanPatterns, parse_scan
from drivers.base import (
    DEFAULT_BACKOFF,
    SerialDevice,
    SimulatedDevice,
    StatusCallback,
    guarded,
)
from drivers.framing import LineFramer
from drivers.serialio import PortLister, SerialPort
from drivers.urls import DeviceUrl, Suffix

log = logging.getLogger("packline.drivers.scanner")


@dataclass(frozen=True)
class ScanEvent:
    device: str  # the scanner's name
    scan: Scan
    raw_bytes: bytes  # the frame as received, prefix and suffix removed
    received_at: float  # the scanner's clock (time.monotonic by default)


ScanCallback = Callable[[ScanEvent], None]


def decode_scan(data: bytes) -> str:
    """Bytes of one scan as text: UTF-8, else GB18030 (Chinese command cards printed by older
    software, scanners set to a Chinese code page), else Latin-1, which never fails."""
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    return data.decode("latin-1")


def _check_substitute(gs_substitute: str | None) -> None:
    if gs_substitute is not None and len(gs_substitute) != 1:
        raise ValueError(f"gs_substitute must be one character, not {gs_substitute!r}")


class SerialScanner(SerialDevice):
    """A scanner on `url`: reads with a short blocking timeout, cuts frames with `LineFramer`
    (suffix, prefix and timeout from the URL), parses each with `parse_scan`, calls `on_scan`.
    Unplugs and reconnects are reported through `on_status` (see `SerialDevice`)."""

    def __init__(self, url: DeviceUrl | str, on_scan: ScanCallback,
                 on_status: StatusCallback | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 backoff: Sequence[float] = DEFAULT_BACKOFF, *, name: str | None = None,
                 patterns: ScanPatterns = DEFAULT_PATTERNS, gs_substitute: str | None = None,
                 port_lister: PortLister | None = None, read_timeout: float = 0.1) -> None:
        _check_substitute(gs_substitute)
        parsed = url if isinstance(url, DeviceUrl) else DeviceUrl.parse(url)
        if parsed.suffix is Suffix.NONE:
            # The read timeout is what lets the framer notice the pause that ends a scan.
            read_timeout = min(read_timeout, parsed.timeout_ms / 2000)
        super().__init__(parsed, on_status, name=name, clock=clock, backoff=backoff,
                         port_lister=port_lister, read_timeout=read_timeout)
        self.on_scan = on_scan
        self.patterns = patterns
        self.gs_substitute = gs_substitute
        self.scans = 0
        self.discarded = 0  # over-long or cut-off frames thrown away

    def _session(self, port: SerialPort) -> None:
        url = self.url
        framer = LineFramer(url.suffix, url.prefix, url.timeout_ms)
        try:
            while not self.stopping:
                # Block in select() for the first byte, then take what has arrived: low latency
                # without busy polling.
                waiting = port.in_waiting
                data = port.read(waiting if waiting > 0 else 1)
                now = self.clock()
                frames = framer.feed(data, now) if data else framer.flush(now)
                for frame in frames:
                    self._emit(frame, now)
        finally:
            self.discarded += framer.overlong + framer.stale

    def _emit(self, frame: bytes, now: float) -> None:
        scan = parse_scan(decode_scan(frame), self.patterns, self.gs_substitute)
        self.scans += 1
        guarded(self.on_scan, ScanEvent(self.name, scan, frame, now))


class SimulatedScanner(SimulatedDevice):
    """The sim:// scanner: `send(text)` delivers a scan as if it had been scanned (on the
    caller's thread), while started and not unplugged."""

    def __init__(self, url: DeviceUrl | str = "sim://scanner",
                 on_scan: ScanCallback | None = None, on_status: StatusCallback | None = None,
                 clock: Callable[[], float] = time.monotonic, *, name: str | None = None,
                 patterns: ScanPatterns = DEFAULT_PATTERNS,
                 gs_substitute: str | None = None) -> None:
        _check_substitute(gs_substitute)
        super().__init__(url, on_status, name=name, clock=clock)
        self.on_scan = on_scan
        self.patterns = patterns
        self.gs_substitute = gs_substitute

    def send(self, text: str) -> ScanEvent | None:
        """Scan `text`; returns the event delivered, or None when the scanner is not
        connected (stopped or unplugged), just as a real one would deliver nothing."""
        if not self.connected:
            return None
        event = ScanEvent(self.name, parse_scan(text, self.patterns, self.gs_substitute),
                          text.encode("utf-8"), self.clock())
        if self.on_scan is not None:
            guarded(self.on_scan, event)
        return event
