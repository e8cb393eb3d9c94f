"""A Windows printer, by its name, through the Windows spooler (`winspool://PRINTER NAME`):
raw ZPL, TSPL and ESC/POS bytes with pywin32's `win32print`. The desktop USB label printers
(TSC, Gprinter, Xprinter, Deli) are reached this way on Windows, where they appear only as
printers with a driver. (PDF and PNG go through the printer's driver instead, drawn by Qt:
`app/printing/qt_printer.py`; this transport only sends bytes.)

One job is one spooler document: `OpenPrinter` → `GetPrinter(h, 2)` (what the spooler knows:
a printer offline, out of paper or with its door open is refused before anything is sent) →
`StartDocPrinter(h, 1, (name, None, "RAW"))` → `StartPagePrinter` → `WritePrinter` until all
bytes are taken → `EndPagePrinter` → `EndDocPrinter`; the handle is always closed, and a job
cut off is withdrawn (`AbortPrinter`). The spooler's errors (`pywintypes.error`, with the
Windows error code) become the print queue's kinds: a printer that is not there or whose
spooler is not running is OFFLINE, a Windows time-out TIMEOUT, a failure once bytes went into
the spooler DROPPED (it may have printed), the rest ERROR.

`win32print` is imported only when a job is sent or the status asked, so this module imports
on every system; on a station without pywin32 the printer is OFFLINE, saying why. The calls
block: the spooler takes a job into its spool file at once, so a job waits on the printer only
when the printer is set to print directly (not the Windows default).
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from drivers.printers.status import PrinterStatus, winspool_status
from drivers.printers.transport_base import (
    PrintError,
    PrintErrorKind,
    SendResult,
    Transport,
    check_job,
    refuse_unless_ready,
)
from drivers.printers.urls import PrinterKind, PrinterUrl

log = logging.getLogger("packline.printers")

CHUNK = 64 * 1024
DATATYPE = "RAW"  # the bytes go to the printer as they are, past the driver

# Windows error codes (winerror.h) by what they mean for a job that has sent nothing yet.
NOT_THERE = {
    21: "the device is not ready",  # ERROR_NOT_READY
    51: "the print server is not listed",  # ERROR_REM_NOT_LIST
    53: "the network path was not found",  # ERROR_BAD_NETPATH
    59: "unexpected network error",  # ERROR_UNEXP_NET_ERR
    64: "the network name is no longer there",  # ERROR_NETNAME_DELETED
    67: "the network name was not found",  # ERROR_BAD_NET_NAME
    1722: "the print spooler is not running",  # RPC_S_SERVER_UNAVAILABLE
    1726: "the call to the print spooler failed",  # RPC_S_CALL_FAILED
    1801: "no printer of that name on this PC",  # ERROR_INVALID_PRINTER_NAME
    1905: "the printer was deleted",  # ERROR_PRINTER_DELETED
    3012: "no printer of that name on this PC",  # ERROR_PRINTER_NOT_FOUND
}
TIMED_OUT = {121, 258, 1460}  # ERROR_SEM_TIMEOUT, WAIT_TIMEOUT, ERROR_TIMEOUT
INVALID_DATATYPE = 1804  # ERROR_INVALID_DATATYPE: the driver takes no RAW (a "v4" driver)


class Win32Print(Protocol):
    """What this transport uses of pywin32's `win32print` (the module itself, on Windows)."""

    def OpenPrinter(self, printer: str, defaults: Any = None, /) -> Any: ...  # noqa: N802
    def GetPrinter(self, handle: Any, level: int, /) -> dict[str, Any]: ...  # noqa: N802
    def StartDocPrinter(self, handle: Any, level: int,  # noqa: N802
                        info: tuple[str, str | None, str], /) -> int: ...
    def StartPagePrinter(self, handle: Any, /) -> None: ...  # noqa: N802
    def WritePrinter(self, handle: Any, data: bytes, /) -> int: ...  # noqa: N802
    def EndPagePrinter(self, handle: Any, /) -> None: ...  # noqa: N802
    def EndDocPrinter(self, handle: Any, /) -> None: ...  # noqa: N802
    def AbortPrinter(self, handle: Any, /) -> None: ...  # noqa: N802
    def ClosePrinter(self, handle: Any, /) -> None: ...  # noqa: N802


def document_name(job_id: str, name: str = "") -> str:
    """The job's name in the Windows print queue."""
    return " ".join(part for part in ("Packline", job_id.strip(), name.strip()) if part)


def windows_error_code(exc: BaseException) -> int | None:
    """The Windows error code of a `pywintypes.error` (winerror, funcname, strerror)."""
    code = getattr(exc, "winerror", None)
    if code is None and exc.args and isinstance(exc.args[0], int):
        code = exc.args[0]
    return code if isinstance(code, int) else None


def _describe(exc: BaseException) -> str:
    code = windows_error_code(exc)
    function = getattr(exc, "funcname", None) or (
        exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], str) else "")
    text = getattr(exc, "strerror", None) or (exc.args[2] if len(exc.args) > 2 else str(exc))
    return f"{function or 'win32print'}: {text} (Windows error {code})"


class WinspoolTransport(Transport):
    """Raw bytes to a Windows printer. `win32print` and `error` (the exception pywin32 raises,
    `pywintypes.error`) are pywin32's unless given: a test gives its own, recording calls."""

    def __init__(self, url: PrinterUrl, *, win32print: Win32Print | None = None,
                 error: type[BaseException] | None = None) -> None:
        if url.kind is not PrinterKind.WINSPOOL:
            raise ValueError(f"{url.name} is not a winspool:// URL")
        super().__init__(url)
        self.printer = url.printer
        self.where = f"Windows printer {url.printer!r}"
        self._win32print = win32print
        self._error = error

    def _api(self) -> tuple[Win32Print, type[BaseException]]:
        if self._win32print is None or self._error is None:
            try:
                import pywintypes
                import win32print
            except ImportError as exc:
                raise PrintError(PrintErrorKind.OFFLINE,
                                 f"{self.where}: winspool:// printers are Windows printers, "
                                 f"printed through pywin32, which this station lacks ({exc})"
                                 ) from exc
            self._win32print = self._win32print or win32print
            self._error = self._error or pywintypes.error
        assert self._win32print is not None and self._error is not None
        return self._win32print, self._error

    # ---- a job

    def send(self, data: bytes, job_id: str, name: str = "") -> SendResult:
        check_job(data, job_id)
        payload = bytes(data)
        if self.url.raw is not True and payload.startswith((b"%PDF", b"\x89PNG\r\n\x1a\n")):
            raise PrintError(PrintErrorKind.ERROR,
                             f"{self.where}: a PDF or PNG goes through the printer's driver, "
                             "not as raw bytes (raw=1 in the URL sends it raw)")
        api, error = self._api()
        doc = document_name(job_id, name)
        try:
            handle = api.OpenPrinter(self.printer)
        except error as exc:
            raise self._refused(exc, "opening it") from exc
        sent = 0
        started = finished = False
        step = "asking its status"
        try:
            status = self._status_of(api, error, handle)
            refuse_unless_ready(status, self.where)
            step = "starting the job"
            job = api.StartDocPrinter(handle, 1, (doc, None, DATATYPE))
            started = True
            api.StartPagePrinter(handle)
            step = "writing the job"
            while sent < len(payload):
                taken = api.WritePrinter(handle, payload[sent:sent + CHUNK])
                if not taken or taken < 0:
                    raise PrintError(PrintErrorKind.DROPPED,
                                     f"{self.where}: the spooler took none of the job after "
                                     f"{sent} of {len(payload)} bytes", sent=sent)
                sent += taken
            step = "ending the job"
            api.EndPagePrinter(handle)
            api.EndDocPrinter(handle)
            finished = True
        except error as exc:
            if step in ("asking its status", "starting the job"):
                raise self._refused(exc, step) from exc
            raise self._cut_off(exc, step, sent, len(payload)) from exc
        finally:
            if started and not finished:
                self._quietly(api.AbortPrinter, handle, "withdrawing the cut-off job")
            self._quietly(api.ClosePrinter, handle, "closing the printer")
        log.debug("%s: job %s (%d bytes) spooled as Windows job %s", self.where, job_id, sent,
                  job)
        return SendResult(job_id, sent, self.url.name, True, status,
                          printer_job_id=str(job))

    def _refused(self, exc: BaseException, step: str) -> PrintError:
        """A failure before any byte went to the spooler."""
        code = windows_error_code(exc)
        if code in NOT_THERE:
            kind = PrintErrorKind.OFFLINE
            why = f"{NOT_THERE[code]} (Get-Printer in PowerShell lists the printers' names)" \
                if code in (1801, 3012) else NOT_THERE[code]
        elif code in TIMED_OUT:
            kind, why = PrintErrorKind.TIMEOUT, "Windows timed out"
        elif code == INVALID_DATATYPE:
            kind, why = PrintErrorKind.ERROR, ("its driver does not take raw bytes (a Windows "
                                               "'v4' driver): install the maker's driver")
        else:
            kind, why = PrintErrorKind.ERROR, "refused"
        return PrintError(kind, f"{self.where}: {why} while {step}; job not sent: "
                                f"{_describe(exc)}")

    def _cut_off(self, exc: BaseException, step: str, sent: int, total: int) -> PrintError:
        """A failure once the job was started: it may have printed, in part or whole."""
        kind = PrintErrorKind.TIMEOUT if windows_error_code(exc) in TIMED_OUT \
            else PrintErrorKind.DROPPED
        if step == "ending the job":
            sent = total
        return PrintError(kind, f"{self.where}: failed while {step} after {sent} of {total} "
                                f"bytes; the job may or may not have printed: {_describe(exc)}",
                          sent=sent)

    def _quietly(self, call: Any, handle: Any, what: str) -> None:
        try:
            call(handle)
        except Exception:  # noqa: BLE001 - the job's own outcome is what counts
            log.debug("%s: %s failed", self.where, what, exc_info=True)

    # ---- status

    def _status_of(self, api: Win32Print, error: type[BaseException],
                   handle: Any) -> PrinterStatus:
        try:
            info = api.GetPrinter(handle, 2)
        except error:
            log.debug("%s: GetPrinter failed", self.where, exc_info=True)
            return PrinterStatus.UNKNOWN  # not known against it: the job is tried
        return winspool_status(int(info.get("Status") or 0), int(info.get("Attributes") or 0))

    def status(self) -> PrinterStatus:
        """What the spooler knows of the printer; OFFLINE when it is not there (or this is no
        Windows station)."""
        try:
            api, error = self._api()
        except PrintError:
            return PrinterStatus.OFFLINE
        try:
            handle = api.OpenPrinter(self.printer)
        except error:
            return PrinterStatus.OFFLINE
        try:
            return self._status_of(api, error, handle)
        finally:
            self._quietly(api.ClosePrinter, handle, "closing the printer")
