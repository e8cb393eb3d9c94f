"""Printer URLs: where a printer is and how bytes reach it, the one string of a `[printer:…]`
section of the station settings. Parsed into a frozen `PrinterUrl`; `str(url)` gives a
canonical form that parses back to an equal one.

    tcp://HOST[:PORT][?status=zpl|tspl|escpos|none]   raw TCP (port 9100 by default)
    escpos+tcp://HOST[:PORT]                           the same, status queries ESC/POS
    escpos+usb://VID:PID[?profile=&in_ep=&out_ep=]     python-escpos over USB (hex ids)
    escpos+serial:///dev/ttyS0[?baud=19200&…]          python-escpos over a serial port
    cups://QUEUE[?raw=1|0]                             a CUPS queue, through `lp`
    winspool://PRINTER NAME[?raw=1|0]                  a Windows printer, by its name in
                                                       Windows (spaces and Chinese as written)
    file://  or  file:///ABS/FOLDER                    the folder printer (empty: the
                                                       caller's default folder)
    cainiao://HOST[:PORT]?printer=NAME[&tls=1][&ca=PATH]   a platform's print component
    pdd://…  douyin://…  kuaishou://…                  (WebSocket; see dialects.py), the
                                                       printer NAME as the component lists it

A print component's port defaults to its own (Cainiao 13528, wss 13529; Pinduoduo 5000, wss
18653; Douyin 13888; Kuaishou 16888, wss 16889). `tls=1` speaks wss: verified against the
certificate authority `ca=PATH` when given, else (the component's own self-signed certificate)
not verified, which is allowed only on this PC (127.0.0.1, ::1, localhost).

`status` says which status query runs before each job on raw TCP. Left out, it follows the
printer's language where one is known (see `default_status`).

A Windows printer's name is everything after `winspool://` up to a `?`, written as Windows
shows it (`winspool://TSC TTP-244 Pro`, `winspool://得力 DL-888T`, a shared printer
`winspool://\\\\SERVER\\Zebra`). `%XX` is a percent-encoded UTF-8 byte: a name holding `?`, `#`,
`%` or `;` writes them `%3F`, `%23`, `%25`, `%3B` (the settings file takes ` #` and ` ;` for
the start of a comment). `raw` is as for CUPS: left out, PDF and PNG go through the printer's
Windows driver and every other language as raw bytes; `raw=1` sends PDF bytes raw too (a
printer that reads PDF itself); `raw=0` only through the driver.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePosixPath
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from drivers.printers.dialects import DIALECTS


class PrinterUrlError(ValueError):
    """A printer URL that cannot be used; the message names the offending part in English (log,
    CLI); `code` and `params` are stable for the app to word in the reader's language."""

    def __init__(self, message: str, code: str = "invalid", **params: str) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


class PrinterKind(StrEnum):
    TCP = "tcp"
    ESCPOS_TCP = "escpos+tcp"
    ESCPOS_USB = "escpos+usb"
    ESCPOS_SERIAL = "escpos+serial"
    CUPS = "cups"
    WINSPOOL = "winspool"  # a Windows printer: drivers/printers/winspool.py
    FILE = "file"
    CAINIAO = "cainiao"  # print components (WebSocket): drivers/printers/component.py
    PDD = "pdd"
    DOUYIN = "douyin"
    KUAISHOU = "kuaishou"

    @property
    def is_component(self) -> bool:
        return self.value in DIALECTS


LOCAL_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


class StatusProtocol(StrEnum):
    ZPL = "zpl"  # ~HS host status
    TSPL = "tspl"  # ESC !? one status byte
    ESCPOS = "escpos"  # DLE EOT 1, 2, 4
    NONE = "none"  # no query: send blind


DEFAULT_PORT = 9100
DEFAULT_SERIAL_BAUD = 9600

_OPTIONS: dict[PrinterKind, frozenset[str]] = {
    PrinterKind.TCP: frozenset({"status"}),
    PrinterKind.ESCPOS_TCP: frozenset({"status"}),
    PrinterKind.ESCPOS_USB: frozenset({"status", "profile", "in_ep", "out_ep"}),
    PrinterKind.ESCPOS_SERIAL: frozenset({"status", "profile", "baud", "bytesize", "parity",
                                          "stopbits"}),
    PrinterKind.CUPS: frozenset({"raw"}),
    PrinterKind.WINSPOOL: frozenset({"raw"}),
    PrinterKind.FILE: frozenset(),
    **{kind: frozenset({"printer", "tls", "ca"}) for kind in PrinterKind if kind.is_component},
}
_HEX_ID = re.compile(r"^[0-9a-fA-F]{1,4}$")
_QUEUE = re.compile(r"^[^\s/\\'\"?#]{1,127}$")  # CUPS: printable, no space / \ ' " ? #


@dataclass(frozen=True)
class PrinterUrl:
    kind: PrinterKind
    host: str = ""
    port: int = DEFAULT_PORT
    vid: int | None = None
    pid: int | None = None
    device: str = ""  # serial device path
    queue: str = ""  # CUPS queue
    folder: str | None = None  # file://: absolute folder, None for the caller's default
    status: StatusProtocol | None = None  # None: not given, see default_status()
    raw: bool | None = None  # CUPS, winspool: None = decide per job (PDF is not raw)
    profile: str | None = None  # python-escpos printer profile
    baud: int = DEFAULT_SERIAL_BAUD
    bytesize: int = 8
    parity: str = "N"
    stopbits: float = 1
    in_ep: int | None = None
    out_ep: int | None = None
    printer: str = ""  # a print component's printer as it names it; a Windows printer's name
    tls: bool = False  # a print component over wss://
    ca: str | None = None  # the certificate authority file that signed the component's

    @classmethod
    def parse(cls, text: str) -> PrinterUrl:
        return parse_printer_url(text)

    @property
    def name(self) -> str:
        return str(self).split("?", 1)[0]

    def default_status(self, language: str | None = None) -> StatusProtocol:
        """The status query to run: the URL's `status`, else by kind and language (ZPL
        printers answer ~HS, TSPL ESC !?, ESC/POS DLE EOT; USB and serial ESC/POS printers
        are not asked unless the URL says so, as many cannot answer on those links)."""
        if self.status is not None:
            return self.status
        if self.kind is PrinterKind.ESCPOS_TCP:
            return StatusProtocol.ESCPOS
        if self.kind is PrinterKind.TCP and language in ("zpl", "tspl", "escpos"):
            return StatusProtocol(language)
        return StatusProtocol.NONE

    def __str__(self) -> str:
        options: list[tuple[str, str]] = []
        if self.status is not None:
            options.append(("status", self.status.value))
        if self.kind.is_component:
            options.append(("printer", self.printer))
            if self.tls:
                options.append(("tls", "1"))
            if self.ca is not None:
                options.append(("ca", self.ca))
        if self.kind in (PrinterKind.TCP, PrinterKind.ESCPOS_TCP) or self.kind.is_component:
            host = f"[{self.host}]" if ":" in self.host else self.host
            location = f"{host}:{self.port}"
        elif self.kind is PrinterKind.ESCPOS_USB:
            assert self.vid is not None and self.pid is not None
            location = f"{self.vid:04x}:{self.pid:04x}"
            for key, value in (("in_ep", self.in_ep), ("out_ep", self.out_ep)):
                if value is not None:
                    options.append((key, f"0x{value:02x}"))
        elif self.kind is PrinterKind.ESCPOS_SERIAL:
            location = quote(self.device, safe="/:")
            if self.baud != DEFAULT_SERIAL_BAUD:
                options.append(("baud", str(self.baud)))
            if self.bytesize != 8:
                options.append(("bytesize", str(self.bytesize)))
            if self.parity != "N":
                options.append(("parity", self.parity))
            if self.stopbits != 1:
                options.append(("stopbits", "1.5" if self.stopbits == 1.5 else "2"))
        elif self.kind is PrinterKind.CUPS:
            location = quote(self.queue, safe="@:+-_.~")
            if self.raw is not None:
                options.append(("raw", "1" if self.raw else "0"))
        elif self.kind is PrinterKind.WINSPOOL:
            location = quote_windows_printer(self.printer)
            if self.raw is not None:
                options.append(("raw", "1" if self.raw else "0"))
        else:
            location = quote(self.folder, safe="/:") if self.folder else ""
        if self.profile is not None:
            options.append(("profile", self.profile))
        query = "&".join(f"{k}={quote(v, safe='')}" for k, v in sorted(options))
        return f"{self.kind.value}://{location}" + (f"?{query}" if query else "")


def parse_printer_url(text: str) -> PrinterUrl:
    """Parse a printer URL; PrinterUrlError (a ValueError) says what is wrong."""
    if not isinstance(text, str) or not text.strip():
        raise PrinterUrlError("empty printer URL", "empty")
    text = text.strip()
    if "://" not in text:
        raise PrinterUrlError(f"{text!r} is not a printer URL: expected scheme://…, e.g. "
                              "tcp://192.168.1.50:9100 or file://", "no_scheme")
    scheme = text.split("://", 1)[0].lower()
    try:
        kind = PrinterKind(scheme)
    except ValueError:
        raise PrinterUrlError(
            f"unknown printer URL scheme {scheme!r} in {text!r}: use "
            + ", ".join(k.value + "://" for k in PrinterKind), "unknown_scheme",
            scheme=scheme) from None
    if kind is PrinterKind.WINSPOOL:
        return _winspool(text)  # a name, not a host: spaces, brackets, backslashes
    try:
        parts = urlsplit(text)
    except ValueError:  # e.g. an unclosed [ in the host
        raise PrinterUrlError(f"{text!r} is not a URL", "malformed") from None
    if parts.fragment:
        raise PrinterUrlError(f"{text!r}: a printer URL has no #fragment", "fragment")
    fields: dict[str, object] = {"kind": kind}
    fields.update(_options(text, kind, parts.query))
    if kind in (PrinterKind.TCP, PrinterKind.ESCPOS_TCP):
        fields.update(_host_port(text, parts.netloc, parts.path))
    elif kind.is_component:
        fields.update(_component(text, kind, parts.netloc, parts.path, fields))
    elif kind is PrinterKind.ESCPOS_USB:
        vid, sep, pid = parts.netloc.partition(":")
        if parts.path.strip("/") or not sep or not _HEX_ID.match(vid) \
                or not _HEX_ID.match(pid):
            raise PrinterUrlError(f"{text!r}: escpos+usb:// needs VID:PID in hex, "
                                  "e.g. escpos+usb://04b8:0e15", "bad_usb_id")
        fields.update(vid=int(vid, 16), pid=int(pid, 16))
    elif kind is PrinterKind.ESCPOS_SERIAL:
        device = unquote(parts.netloc + parts.path)
        if re.fullmatch(r"/COM\d+", device, re.IGNORECASE):
            device = device[1:]
        if not device:
            raise PrinterUrlError(f"{text!r}: escpos+serial:// needs a device path, "
                                  "e.g. escpos+serial:///dev/ttyS0", "no_device")
        fields["device"] = device
    elif kind is PrinterKind.CUPS:
        queue = unquote(parts.netloc + parts.path.rstrip("/"))
        if not _QUEUE.match(queue):
            raise PrinterUrlError(f"{text!r}: cups:// needs a queue name without spaces, "
                                  "slashes, quotes, ? or #, e.g. cups://Zebra_ZD420", "bad_queue")
        fields["queue"] = queue
    else:
        if parts.netloc and parts.netloc != "localhost":
            raise PrinterUrlError(f"{text!r}: file:// takes no host; write file:///ABS/FOLDER "
                                  "(three slashes) or file:// for the default folder", "file_host")
        path = unquote(parts.path)
        if re.match(r"^/[A-Za-z]:[/\\]", path):
            path = path[1:]  # file:///C:/labels on Windows
        elif path and not PurePosixPath(path).is_absolute():
            raise PrinterUrlError(f"{text!r}: the folder must be absolute", "not_absolute")
        fields["folder"] = path.rstrip("/") or ("/" if path else None)
    return PrinterUrl(**fields)  # type: ignore[arg-type]


# Written as %XX in a Windows printer's name: what ends the name (? #), starts an escape (%),
# or a comment in the settings file (;), and control characters.
_NAME_ESCAPED = frozenset("%?#;") | frozenset(map(chr, [*range(32), 127]))
WINDOWS_PRINTER_NAME_MAX = 259  # MAX_PATH less the terminating zero: "\\\\server\\name" too


def quote_windows_printer(name: str) -> str:
    """A Windows printer's name as written after `winspool://`: as it reads, but `%`, `?`,
    `#`, `;`, control characters and a space at either end percent-encoded (UTF-8)."""
    out = "".join(quote(c, safe="") if c in _NAME_ESCAPED else c for c in name)
    if out.startswith(" "):
        out = "%20" + out[1:]
    if out.endswith(" ") and len(out) > 1:
        out = out[:-1] + "%20"
    return out


def _winspool(text: str) -> PrinterUrl:
    rest = text.split("://", 1)[1]
    written, _, query = rest.partition("?")
    if "#" in written:
        raise PrinterUrlError(f"{text!r}: write a # in a Windows printer's name as %23",
                              "winspool_name")
    options = _options(text, PrinterKind.WINSPOOL, query)
    try:
        name = unquote(written, errors="strict")
    except UnicodeDecodeError:
        name = ""  # %XX bytes that are no UTF-8
    if not name.strip() or len(name) > WINDOWS_PRINTER_NAME_MAX \
            or any(c in _NAME_ESCAPED and c not in "%?#;" for c in name):
        raise PrinterUrlError(f"{text!r}: winspool:// needs the printer's name as Windows shows "
                              "it (Get-Printer in PowerShell), e.g. winspool://TSC TTP-244 Pro",
                              "winspool_name")
    return PrinterUrl(kind=PrinterKind.WINSPOOL, printer=name, **options)  # type: ignore[arg-type]


def _options(text: str, kind: PrinterKind, query: str) -> dict[str, object]:
    out: dict[str, object] = {}
    seen: set[str] = set()
    for raw_key, value in parse_qsl(query, keep_blank_values=True):
        key = raw_key.lower()
        if key in seen:
            raise PrinterUrlError(f"{text!r}: option {key!r} given twice", "duplicate_option",
                                  option=key)
        seen.add(key)
        if key not in _OPTIONS[kind]:
            known = ", ".join(sorted(_OPTIONS[kind])) or "none"
            raise PrinterUrlError(f"{text!r}: unknown option {raw_key!r} for {kind.value}:// "
                                  f"(known: {known})", "unknown_option",
                                  option=raw_key, known=known)
        value = value.strip()
        if key == "status":
            try:
                out["status"] = StatusProtocol(value.lower())
            except ValueError:
                raise PrinterUrlError(f"{text!r}: status must be zpl, tspl, escpos or none, "
                                      f"not {value!r}", "bad_status", value=value) from None
        elif key == "raw":
            if value.lower() not in ("1", "0", "true", "false", "yes", "no"):
                raise PrinterUrlError(f"{text!r}: raw must be 1 or 0, not {value!r}",
                                      "bad_raw", value=value)
            out["raw"] = value.lower() in ("1", "true", "yes")
        elif key == "printer":
            if not value or any(ord(c) < 32 for c in value):
                raise PrinterUrlError(f"{text!r}: printer= names the component's printer",
                                      "component_printer", scheme=kind.value)
            out["printer"] = value
        elif key == "tls":
            if value.lower() not in ("1", "0", "true", "false", "yes", "no"):
                raise PrinterUrlError(f"{text!r}: tls must be 1 or 0, not {value!r}",
                                      "bad_tls", value=value)
            out["tls"] = value.lower() in ("1", "true", "yes")
        elif key == "ca":
            if not value or not PurePosixPath(value.replace("\\", "/")).is_absolute() \
                    and not re.match(r"^[A-Za-z]:[/\\]", value):
                raise PrinterUrlError(f"{text!r}: ca= is the absolute path of a certificate "
                                      f"file, not {value!r}", "bad_ca", value=value)
            out["ca"] = value
        elif key == "profile":
            if not re.fullmatch(r"[\w.\-]+", value):
                raise PrinterUrlError(f"{text!r}: profile must be a python-escpos profile "
                                      f"name such as TM-T20II, not {value!r}",
                                      "bad_profile", value=value)
            out["profile"] = value
        elif key in ("in_ep", "out_ep"):
            try:
                endpoint = int(value, 0)
            except ValueError:
                endpoint = -1
            if not 0 <= endpoint <= 0xFF:
                raise PrinterUrlError(f"{text!r}: {key} must be an endpoint 0x00-0xff, "
                                      f"not {value!r}", "bad_endpoint", option=key,
                                      value=value)
            out[key] = endpoint
        elif key == "baud":
            if not value.isdigit() or not 50 <= int(value) <= 4_000_000:
                raise PrinterUrlError(f"{text!r}: baud must be 50-4000000, not {value!r}",
                                      "bad_baud", value=value)
            out["baud"] = int(value)
        elif key == "bytesize":
            if value not in ("5", "6", "7", "8"):
                raise PrinterUrlError(f"{text!r}: bytesize must be 5-8, not {value!r}",
                                      "bad_bytesize", value=value)
            out["bytesize"] = int(value)
        elif key == "parity":
            if value.upper()[:1] not in ("N", "E", "O", "M", "S") or not value:
                raise PrinterUrlError(f"{text!r}: parity must be N, E, O, M or S, "
                                      f"not {value!r}", "bad_parity", value=value)
            out["parity"] = value.upper()[0]
        else:  # stopbits
            if value not in ("1", "1.5", "2"):
                raise PrinterUrlError(f"{text!r}: stopbits must be 1, 1.5 or 2, not {value!r}",
                                      "bad_stopbits", value=value)
            out["stopbits"] = float(value)
    return out


def _host_port(text: str, netloc: str, path: str) -> dict[str, object]:
    if path.strip("/"):
        raise PrinterUrlError(f"{text!r}: a raw TCP printer URL takes no path", "tcp_path")
    parts = urlsplit("//" + netloc)
    try:
        port = parts.port
    except ValueError:
        raise PrinterUrlError(f"{text!r}: the port must be 1-65535", "bad_port") from None
    if not parts.hostname:
        raise PrinterUrlError(f"{text!r}: the printer's host is missing, "
                              "e.g. tcp://192.168.1.50:9100", "no_host")
    if parts.username or parts.password:
        raise PrinterUrlError(f"{text!r}: a raw TCP printer URL takes no user or password",
                              "tcp_user")
    if port is not None and not 1 <= port <= 65535:
        raise PrinterUrlError(f"{text!r}: the port must be 1-65535", "bad_port")
    return {"host": parts.hostname, "port": DEFAULT_PORT if port is None else port}


def _component(text: str, kind: PrinterKind, netloc: str, path: str,
               options: dict[str, object]) -> dict[str, object]:
    """HOST[:PORT] of a print component, its port by the protocol when left out; the printer
    is required, and wss without a certificate authority only on this PC."""
    dialect = DIALECTS[kind.value]
    if path.strip("/"):
        raise PrinterUrlError(f"{text!r}: a print component URL takes no path",
                              "component_path", scheme=kind.value)
    where = _host_port(text, netloc, "")
    host = str(where["host"])
    tls = bool(options.get("tls"))
    if not options.get("printer"):
        raise PrinterUrlError(
            f"{text!r}: name the component's printer, e.g. "
            f"{kind.value}://127.0.0.1:{dialect.port}?printer=ZTO-1", "component_printer",
            scheme=kind.value)
    port = urlsplit("//" + netloc).port
    if port is None:
        if tls and dialect.tls_port is None:
            raise PrinterUrlError(f"{text!r}: the wss port of this component is not known; "
                                  "give it, e.g. HOST:PORT", "component_tls_port",
                                  scheme=kind.value)
        port = dialect.tls_port if tls and dialect.tls_port else dialect.port
    if options.get("ca") is not None and not tls:
        raise PrinterUrlError(f"{text!r}: ca= goes with tls=1", "component_ca_without_tls")
    if tls and options.get("ca") is None and host.lower() not in LOCAL_HOSTS:
        raise PrinterUrlError(f"{text!r}: wss to another PC needs ca=PATH (the certificate "
                              "authority of the component's certificate); only a component "
                              "on this PC (127.0.0.1) is trusted without one",
                              "component_tls_ca")
    return {"host": host, "port": port}
