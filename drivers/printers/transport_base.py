"""What every printer transport shares: the kinds of failure the print queue acts on
(`PrintErrorKind`), `PrintError`, `SendResult` and the `Transport` interface. The transports
themselves are in `transports.py` (raw TCP, CUPS, USB/serial, the folder) and `component.py`
(the platforms' print components)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from drivers.printers.status import PrinterStatus
from drivers.printers.urls import PrinterUrl

DEFAULT_TIMEOUT = 5.0


class PrintErrorKind(StrEnum):
    REFUSED = "refused"  # connection refused: nothing listens there
    DROPPED = "dropped"  # the connection broke; if bytes went out the job may have printed
    TIMEOUT = "timeout"  # no progress within the timeout (connect, status reply or send)
    PAPER_OUT = "paper_out"  # the printer said so; nothing was sent
    OFFLINE = "offline"  # paused, offline, unreachable, not installed; nothing was sent
    HEAD_OPEN = "head_open"  # the printer said so; nothing was sent
    ERROR = "error"  # anything else (printer error state, unreadable reply, disk full)


class PrintError(OSError):
    """A job that did not (certainly) print. `sent` is how many of its bytes were handed to
    the link; `status` what the printer reported, when it was asked."""

    def __init__(self, kind: PrintErrorKind, message: str, *, sent: int = 0,
                 status: PrinterStatus | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.sent = sent
        self.status = status

    @property
    def may_have_printed(self) -> bool:
        return self.kind in (PrintErrorKind.DROPPED, PrintErrorKind.TIMEOUT) and self.sent > 0

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_error, (self.kind, str(self), self.sent, self.status))

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else self.kind.value


def _rebuild_error(kind: PrintErrorKind, message: str, sent: int,
                   status: PrinterStatus | None) -> PrintError:
    return PrintError(kind, message, sent=sent, status=status)


@dataclass(frozen=True)
class SendResult:
    job_id: str
    bytes_sent: int
    destination: str  # host:port, queue, device or file path, for the log
    confirmed: bool  # the printer closed after reading all / lp queued it / file written
    status: PrinterStatus = PrinterStatus.UNKNOWN  # as reported before sending, if asked
    printer_job_id: str | None = None  # CUPS request id
    path: Path | None = None  # the folder printer's file


_REFUSING = {
    PrinterStatus.PAPER_OUT: PrintErrorKind.PAPER_OUT,
    PrinterStatus.HEAD_OPEN: PrintErrorKind.HEAD_OPEN,
    PrinterStatus.PAUSED: PrintErrorKind.OFFLINE,
    PrinterStatus.OFFLINE: PrintErrorKind.OFFLINE,
    PrinterStatus.ERROR: PrintErrorKind.ERROR,
}


def check_job(data: bytes, job_id: str) -> None:
    """A job is some bytes and an id, or a ValueError."""
    if not isinstance(data, bytes | bytearray | memoryview) or not len(data):
        raise ValueError("a print job needs some bytes")
    if not isinstance(job_id, str) or not job_id.strip():
        raise ValueError("a print job needs a job id")


def refuse_unless_ready(status: PrinterStatus, where: str) -> None:
    """Raise the PrintError a status means, before any job byte is sent."""
    kind = _REFUSING.get(status)
    if kind is not None:
        raise PrintError(kind, f"{where}: printer reports {status.value}; job not sent",
                         status=status)


class Transport(ABC):
    """Sends jobs to one printer. Not thread-safe: the print queue owns one per printer."""

    def __init__(self, url: PrinterUrl) -> None:
        self.url = url

    @abstractmethod
    def send(self, data: bytes, job_id: str, name: str = "") -> SendResult:
        """Send one job; PrintError says why it did not (certainly) print."""

    @abstractmethod
    def status(self) -> PrinterStatus:
        """Ask the printer now. Never raises for printer trouble: unreachable is OFFLINE."""

    def close(self) -> None:  # noqa: B027 - an optional hook, not abstract
        """Release what the transport holds (raw TCP and the folder hold nothing between
        jobs)."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
