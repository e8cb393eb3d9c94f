"""Getting bytes to a printer: raw TCP (port 9100), python-escpos over USB or serial, CUPS
through `lp`, a Windows printer's spooler (`winspool.py`), the folder printer, and the
platforms' print components (`component.py`). Transports know nothing of documents; they
send bytes and say what happened, in the terms the print queue acts on (`PrintErrorKind`).

Raw TCP, one connection per job: connect (with `timeout`), ask the printer's status when the
URL or the language says so (ZPL `~HS`, TSPL `ESC !?`, ESC/POS `DLE EOT 1 2 4`) and refuse to
send into a printer that is out of paper, open or paused; send in chunks, each of which must
make progress within `timeout` (a stalled printer is TIMEOUT, not a hang); half-close and wait
briefly (`close_wait`) for the printer to close its side, which confirms it has read
everything. A connection that breaks once job bytes have gone out is DROPPED: the job may or
may not have printed (`PrintError.may_have_printed`), and the queue re-sends it with the same
tracking number. A failed connection is closed with a reset, so the printer does not take a
truncated job for a complete one.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import socket
import struct
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from drivers.printers.status import (
    ESCPOS_STATUS_QUERY,
    TSPL_STATUS_QUERY,
    ZPL_STATUS_QUERY,
    EscposStatus,
    PrinterStatus,
    StatusParseError,
    parse_escpos_status,
    parse_tspl_status,
    parse_zpl_host_status,
    zpl_reply_complete,
)
from drivers.printers.transport_base import (
    DEFAULT_TIMEOUT,
    PrintError,
    PrintErrorKind,
    SendResult,
    Transport,
    refuse_unless_ready,
)
from drivers.printers.transport_base import check_job as _check_job
from drivers.printers.urls import PrinterKind, PrinterUrl, StatusProtocol

__all__ = [
    "DEFAULT_TIMEOUT", "PrintError", "PrintErrorKind", "SendResult", "Transport",
    "open_transport", "refuse_unless_ready",
]

DEFAULT_CLOSE_WAIT = 1.0
CHUNK = 64 * 1024

log = logging.getLogger("packline.printers")

CHUNK = 64 * 1024
def open_transport(url: PrinterUrl | str, *, folder: Path | None = None,
                   timeout: float = DEFAULT_TIMEOUT, language: str | None = None,
                   close_wait: float = DEFAULT_CLOSE_WAIT) -> Transport:
    """The transport for a printer URL. `folder` is the default folder of a bare `file://`;
    `language` (zpl, tspl, escpos, pdf, png) picks the status query of a raw TCP printer whose
    URL does not say, and the file extension of the folder printer."""
    parsed = url if isinstance(url, PrinterUrl) else PrinterUrl.parse(url)
    if not timeout > 0:
        raise ValueError(f"timeout must be positive seconds, not {timeout!r}")
    if parsed.kind in (PrinterKind.TCP, PrinterKind.ESCPOS_TCP):
        return TcpTransport(parsed, timeout=timeout, language=language, close_wait=close_wait)
    if parsed.kind.is_component:
        from drivers.printers.component import ComponentTransport  # imports websockets

        return ComponentTransport(parsed, timeout=timeout)
    if parsed.kind is PrinterKind.FILE:
        return FileTransport(parsed, folder=folder, language=language)
    if parsed.kind is PrinterKind.CUPS:
        return CupsTransport(parsed, timeout=timeout)
    if parsed.kind is PrinterKind.WINSPOOL:
        from drivers.printers.winspool import WinspoolTransport  # win32print when it sends

        return WinspoolTransport(parsed)
    return EscposDeviceTransport(parsed, timeout=timeout, language=language)


# -- raw TCP ------------------------------------------------------------------------------------


_QUERIES: dict[StatusProtocol, tuple[bytes, Callable[[bytes], bool],
                                     Callable[[bytes], PrinterStatus]]] = {
    StatusProtocol.ZPL: (ZPL_STATUS_QUERY, zpl_reply_complete,
                         lambda reply: parse_zpl_host_status(reply).status),
    StatusProtocol.ESCPOS: (ESCPOS_STATUS_QUERY, lambda reply: len(reply) >= 3,
                            lambda reply: parse_escpos_status(reply[:3]).status),
    StatusProtocol.TSPL: (TSPL_STATUS_QUERY, lambda reply: len(reply) >= 1,
                          lambda reply: parse_tspl_status(reply[:1])),
}


class TcpTransport(Transport):
    def __init__(self, url: PrinterUrl, *, timeout: float = DEFAULT_TIMEOUT,
                 language: str | None = None, close_wait: float = DEFAULT_CLOSE_WAIT) -> None:
        super().__init__(url)
        self.timeout = timeout
        self.close_wait = min(close_wait, timeout)
        self.protocol = url.default_status(language)
        self.where = f"{url.host}:{url.port}"

    def send(self, data: bytes, job_id: str, name: str = "") -> SendResult:
        _check_job(data, job_id)
        sock = self._connect()
        done = False
        try:
            status = PrinterStatus.UNKNOWN
            if self.protocol is not StatusProtocol.NONE:
                status = self._query(sock)
                refuse_unless_ready(status, self.where)
            sent = self._send_all(sock, data if isinstance(data, bytes) else bytes(data))
            confirmed = self._finish(sock, sent)
            done = True
        finally:
            _close(sock, abort=not done)
        log.debug("%s: job %s (%d bytes) sent%s", self.where, job_id, sent,
                  "" if confirmed else ", printer kept the connection open")
        return SendResult(job_id, sent, self.where, confirmed, status)

    def status(self) -> PrinterStatus:
        """The printer's answer to its status query; with `status=none` only whether it takes
        connections (ONLINE) or not (OFFLINE)."""
        try:
            sock = self._connect()
        except PrintError:
            return PrinterStatus.OFFLINE
        try:
            if self.protocol is StatusProtocol.NONE:
                return PrinterStatus.ONLINE  # reachable; the printer is not asked for more
            return self._query(sock)
        except PrintError as exc:
            return PrinterStatus.ERROR if exc.kind is PrintErrorKind.ERROR \
                else PrinterStatus.OFFLINE
        finally:
            _close(sock, abort=False)

    def query(self) -> PrinterStatus:
        """Like `status()`, but raising the PrintError when the printer cannot be asked (for
        `packline print test`, which wants to say why)."""
        sock = self._connect()
        try:
            return self._query(sock) if self.protocol is not StatusProtocol.NONE \
                else PrinterStatus.ONLINE
        finally:
            _close(sock, abort=False)

    def _connect(self) -> socket.socket:
        try:
            return socket.create_connection((self.url.host, self.url.port), self.timeout)
        except ConnectionRefusedError as exc:
            raise PrintError(PrintErrorKind.REFUSED,
                             f"{self.where}: connection refused (printer off or not "
                             f"listening): {exc}") from exc
        except TimeoutError as exc:
            raise PrintError(PrintErrorKind.TIMEOUT,
                             f"{self.where}: no answer within {self.timeout:g} s") from exc
        except OSError as exc:
            raise PrintError(PrintErrorKind.OFFLINE, f"{self.where}: unreachable: {exc}") \
                from exc

    def _query(self, sock: socket.socket) -> PrinterStatus:
        query, complete, parse = _QUERIES[self.protocol]
        deadline = time.monotonic() + self.timeout
        reply = b""
        try:
            sock.settimeout(self.timeout)
            sock.sendall(query)
            while not complete(reply):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError
                sock.settimeout(left)
                chunk = sock.recv(1024)
                if not chunk:
                    raise PrintError(PrintErrorKind.DROPPED, f"{self.where}: the printer "
                                     "closed the connection during the status query")
                reply += chunk
        except TimeoutError as exc:
            raise PrintError(PrintErrorKind.TIMEOUT,
                             f"{self.where}: no reply to the {self.protocol.value} status "
                             f"query within {self.timeout:g} s (a printer that does not "
                             "answer status queries needs ?status=none in its URL)") from exc
        except PrintError:
            raise
        except OSError as exc:
            raise PrintError(PrintErrorKind.DROPPED,
                             f"{self.where}: connection broke during the status query: {exc}") \
                from exc
        try:
            return parse(reply)
        except StatusParseError as exc:
            raise PrintError(PrintErrorKind.ERROR, f"{self.where}: {exc}") from exc

    def _send_all(self, sock: socket.socket, data: bytes) -> int:
        view = memoryview(data)
        sent = 0
        # Each send must make progress within the timeout; a slow but moving printer is fine.
        sock.settimeout(self.timeout)
        while sent < len(view):
            try:
                sent += sock.send(view[sent:sent + CHUNK])
            except TimeoutError as exc:
                raise PrintError(PrintErrorKind.TIMEOUT,
                                 f"{self.where}: printer stalled: no progress for "
                                 f"{self.timeout:g} s after {sent} of {len(view)} bytes",
                                 sent=sent) from exc
            except OSError as exc:
                raise PrintError(PrintErrorKind.DROPPED,
                                 f"{self.where}: connection broke after {sent} of {len(view)} "
                                 f"bytes: {exc}", sent=sent) from exc
        return sent

    def _finish(self, sock: socket.socket, sent: int) -> bool:
        """Half-close and wait for the printer to close: True when it did (it read it all),
        False when it kept the connection open past `close_wait` (many printers do)."""
        deadline = time.monotonic() + self.close_wait
        try:
            sock.shutdown(socket.SHUT_WR)
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                sock.settimeout(left)
                if not sock.recv(4096):
                    return True
                # Whatever a printer says after a job (some echo a status) is not ours.
        except TimeoutError:
            return False
        except OSError as exc:
            raise PrintError(PrintErrorKind.DROPPED,
                             f"{self.where}: connection reset after all {sent} bytes were "
                             f"sent; the job may or may not have printed: {exc}",
                             sent=sent) from exc


def _close(sock: socket.socket, *, abort: bool) -> None:
    try:
        if abort:
            # Reset instead of a clean close: a half-sent job must not look finished.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    finally:
        sock.close()


# -- the folder printer -----------------------------------------------------------------------

_EXTENSIONS = {"zpl": "zpl", "tspl": "tspl", "escpos": "bin", "pdf": "pdf", "png": "png"}
_UNSAFE = re.compile(r"[^\w.\-]+")


def sniff_extension(data: bytes, language: str | None = None) -> str:
    """The file extension for a job: by its magic (PDF, PNG), else by the printer's language,
    else by a look at the text (ZPL, TSPL), else .bin."""
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if language in _EXTENSIONS:
        return _EXTENSIONS[language]
    head = bytes(data[:64]).lstrip()
    if head.startswith((b"^XA", b"~")) or b"^XA" in head:
        return "zpl"
    if head.startswith(b"SIZE "):
        return "tspl"
    return "bin"


def safe_filename_part(text: str) -> str:
    return _UNSAFE.sub("_", text).strip("._")[:80]


class FileTransport(Transport):
    """Writes each job to `<folder>/<job_id>-<name>.<ext>`, atomically (a temporary file in
    the same folder, then os.replace): a watcher never sees half a label. The same job id
    and name replace the earlier file, so a re-send does not leave two."""

    def __init__(self, url: PrinterUrl, *, folder: Path | None = None,
                 language: str | None = None) -> None:
        super().__init__(url)
        target = Path(url.folder) if url.folder else folder
        if target is None:
            raise ValueError("file:// has no folder: give one in the URL (file:///ABS/FOLDER) "
                             "or a default folder")
        self.folder = Path(target)
        self.language = language

    def send(self, data: bytes, job_id: str, name: str = "") -> SendResult:
        _check_job(data, job_id)
        stem = safe_filename_part(job_id)
        if not stem:
            raise ValueError(f"job id {job_id!r} has nothing usable in a file name")
        if name and safe_filename_part(name):
            stem += "-" + safe_filename_part(name)
        path = self.folder / f"{stem}.{sniff_extension(bytes(data[:64]), self.language)}"
        temporary = self.folder / f".{stem}.{uuid.uuid4().hex}.tmp"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # 0600 whatever the umask: a label carries a receiver's name, phone and address.
            # (drivers/ imports nothing from app/, hence not app.secure_files.)
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                         | getattr(os, "O_BINARY", 0), 0o600)
            if os.name == "posix":
                os.fchmod(fd, 0o600)
            with open(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(temporary, path)
        except OSError as exc:
            temporary.unlink(missing_ok=True)
            raise PrintError(PrintErrorKind.ERROR,
                             f"cannot write {path}: {exc}") from exc
        return SendResult(job_id, len(data), str(path), True, PrinterStatus.ONLINE, path=path)

    def status(self) -> PrinterStatus:
        folder = self.folder
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent  # it will be created on the first job
        if folder.is_dir() and os.access(folder, os.W_OK | os.X_OK):
            return PrinterStatus.ONLINE
        return PrinterStatus.OFFLINE


# -- CUPS -------------------------------------------------------------------------------------

_REQUEST_ID = re.compile(r"request id is (\S+)")


def parse_lp_output(text: str) -> str | None:
    """The job id from `lp`'s "request id is QUEUE-123 (1 file(s))"."""
    match = _REQUEST_ID.search(text)
    return match.group(1) if match else None


def parse_lpstat(text: str, returncode: int = 0) -> PrinterStatus:
    """`lpstat -p QUEUE` (run in the C locale) as a status."""
    lowered = text.lower()
    if returncode != 0 or "invalid destination" in lowered or "does not exist" in lowered:
        return PrinterStatus.OFFLINE
    if "media-empty" in lowered or "out of paper" in lowered or "media empty" in lowered:
        return PrinterStatus.PAPER_OUT
    if "cover-open" in lowered or "door-open" in lowered or "cover open" in lowered:
        return PrinterStatus.HEAD_OPEN
    if " disabled" in lowered:
        return PrinterStatus.OFFLINE
    if "is idle" in lowered or "now printing" in lowered:
        return PrinterStatus.ONLINE
    return PrinterStatus.UNKNOWN


def _c_locale() -> dict[str, str]:
    return {**os.environ, "LC_ALL": "C", "LANG": "C"}


class CupsTransport(Transport):
    """Jobs through CUPS's `lp`: raw for printer languages (`-o raw`), filtered for PDF and
    PNG. Where CUPS is not installed every job is OFFLINE with a message saying so."""

    def __init__(self, url: PrinterUrl, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        super().__init__(url)
        self.timeout = timeout

    def send(self, data: bytes, job_id: str, name: str = "") -> SendResult:
        _check_job(data, job_id)
        lp = shutil.which("lp")
        if lp is None:
            raise PrintError(PrintErrorKind.OFFLINE,
                             f"cups://{self.url.queue}: CUPS is not installed here "
                             "(no lp command)")
        raw = self.url.raw
        if raw is None:
            raw = not (data.startswith(b"%PDF") or data.startswith(b"\x89PNG"))
        title = f"{job_id} {name}".strip()
        command = [lp, "-d", self.url.queue, "-t", title] + (["-o", "raw"] if raw else [])
        try:
            run = subprocess.run(command, input=bytes(data), capture_output=True,
                                 timeout=self.timeout, env=_c_locale(), check=False)
        except subprocess.TimeoutExpired as exc:
            raise PrintError(PrintErrorKind.TIMEOUT,
                             f"cups://{self.url.queue}: lp did not finish within "
                             f"{self.timeout:g} s", sent=len(data)) from exc
        except OSError as exc:
            raise PrintError(PrintErrorKind.ERROR, f"cannot run {lp}: {exc}") from exc
        output = run.stdout.decode("utf-8", "replace")
        problem = run.stderr.decode("utf-8", "replace").strip()
        if run.returncode != 0:
            lowered = problem.lower()
            kind = PrintErrorKind.OFFLINE if any(
                s in lowered for s in ("does not exist", "unknown destination",
                                       "not accepting", "not found", "scheduler is not"))\
                else PrintErrorKind.ERROR
            raise PrintError(kind, f"cups://{self.url.queue}: lp failed: "
                             f"{problem or output or run.returncode}")
        return SendResult(job_id, len(data), f"cups://{self.url.queue}", True,
                          printer_job_id=parse_lp_output(output))

    def status(self) -> PrinterStatus:
        lpstat = shutil.which("lpstat")
        if lpstat is None:
            return PrinterStatus.OFFLINE
        try:
            run = subprocess.run([lpstat, "-p", self.url.queue], capture_output=True,
                                 timeout=self.timeout, env=_c_locale(), check=False)
        except (OSError, subprocess.TimeoutExpired):
            return PrinterStatus.OFFLINE
        return parse_lpstat(run.stdout.decode("utf-8", "replace")
                            + run.stderr.decode("utf-8", "replace"), run.returncode)


# -- python-escpos: USB and serial ---------------------------------------------------------------


def escpos_device_args(url: PrinterUrl, timeout: float = DEFAULT_TIMEOUT
                       ) -> tuple[str, dict[str, object]]:
    """The python-escpos printer class (in `escpos.printer`) and its constructor arguments for
    an escpos+usb:// or escpos+serial:// URL."""
    kwargs: dict[str, object] = {}
    if url.kind is PrinterKind.ESCPOS_USB:
        kwargs = {"idVendor": url.vid, "idProduct": url.pid,
                  "timeout": int(timeout * 1000)}  # pyusb counts milliseconds
        if url.in_ep is not None:
            kwargs["in_ep"] = url.in_ep
        if url.out_ep is not None:
            kwargs["out_ep"] = url.out_ep
        name = "Usb"
    elif url.kind is PrinterKind.ESCPOS_SERIAL:
        kwargs = {"devfile": url.device, "baudrate": url.baud, "bytesize": url.bytesize,
                  "parity": url.parity, "stopbits": url.stopbits, "timeout": timeout}
        name = "Serial"
    else:
        raise ValueError(f"{url.name} is not a python-escpos USB or serial URL")
    if url.profile is not None:
        kwargs["profile"] = url.profile
    return name, kwargs


class EscposDeviceTransport(Transport):
    """A USB or serial ESC/POS printer through python-escpos, opened per job (a replugged
    printer is found again). USB needs pyusb and libusb on the station."""

    def __init__(self, url: PrinterUrl, *, timeout: float = DEFAULT_TIMEOUT,
                 language: str | None = None) -> None:
        super().__init__(url)
        self.timeout = timeout
        self.protocol = url.default_status(language)
        self.class_name, self.kwargs = escpos_device_args(url, timeout)

    def _open(self) -> Any:
        import escpos.printer  # type: ignore[import-untyped]  # slow import: only when used

        cls = getattr(escpos.printer, self.class_name)
        if not cls.is_usable():
            # Checked before constructing: a python-escpos printer object without its library
            # raises from __del__ as well.
            needs = "pyusb and libusb" if self.class_name == "Usb" else "pyserial"
            raise PrintError(PrintErrorKind.OFFLINE, f"{self.url.name}: printing over "
                             f"{self.class_name.lower()} needs {needs} on this station")
        printer = cls(**self.kwargs)
        try:
            printer.open()
        except Exception as exc:
            raise PrintError(PrintErrorKind.OFFLINE,
                             f"{self.url.name}: cannot open the printer: {exc}") from exc
        return printer

    def _ask(self, printer: Any) -> EscposStatus:
        deadline = time.monotonic() + self.timeout
        printer._raw(ESCPOS_STATUS_QUERY)
        reply = b""
        while len(reply) < 3 and time.monotonic() < deadline:
            reply += bytes(printer._read() or b"")
        try:
            return parse_escpos_status(reply[:3])
        except StatusParseError as exc:
            raise PrintError(PrintErrorKind.ERROR, f"{self.url.name}: {exc}") from exc

    def send(self, data: bytes, job_id: str, name: str = "") -> SendResult:
        _check_job(data, job_id)
        printer = self._open()
        try:
            status = PrinterStatus.UNKNOWN
            if self.protocol is StatusProtocol.ESCPOS:
                status = self._ask(printer).status
                refuse_unless_ready(status, self.url.name)
            try:
                printer._raw(bytes(data))
            except Exception as exc:
                kind = PrintErrorKind.TIMEOUT if "timeout" in repr(exc).lower() \
                    else PrintErrorKind.DROPPED
                raise PrintError(kind, f"{self.url.name}: writing the job failed; it may or "
                                 f"may not have printed: {exc}", sent=len(data)) from exc
        finally:
            try:
                printer.close()
            except Exception:
                log.debug("%s: closing failed", self.url.name, exc_info=True)
        return SendResult(job_id, len(data), self.url.name, True, status)

    def status(self) -> PrinterStatus:
        try:
            printer = self._open()
        except PrintError:
            return PrinterStatus.OFFLINE
        try:
            return self._ask(printer).status
        except Exception:
            return PrinterStatus.UNKNOWN
        finally:
            try:
                printer.close()
            except Exception:
                log.debug("%s: closing failed", self.url.name, exc_info=True)
