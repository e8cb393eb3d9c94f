"""Packline device URLs: the one string in the station settings that says where a scanner or a
scale is and how to talk to it.

Forms:

    serial:///dev/ttyUSB0?baud=9600&suffix=CR     a serial port by path (COM3 on Windows)
    usbserial://1a86:7523[/SERIAL]?baud=9600       a USB serial adapter by VID:PID[/serial no.],
                                                   found again after every replug
    socket://127.0.0.1:7000?suffix=LF              a serial server / network scanner over TCP
    sim://NAME                                     the simulated device of the training panel
    rfc2217://, loop://, spy://, hwgrep://, alt://, cp2110://   passed through to pyserial

Packline's options: `baud` (default 9600), `bytesize` (5-8), `parity` (N, E, O, M, S),
`stopbits` (1, 1.5, 2), `suffix` (CR, LF, CRLF or NONE; default CR), `prefix`
(percent-encoded, stripped from each frame), `timeout_ms` (inter-byte timeout that ends a frame
when suffix is NONE; default 50), and for scales `protocol` (ad or toledo) and `unit` (kg, g or
lb: what a Toledo 8217 scale's bare numbers mean; default kg). `pyserial_url()` gives the
string for `serial.serial_for_url` with these options stripped. `str(url)` gives a canonical
form that parses back to an equal `DeviceUrl`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from drivers import serialio
from drivers.serialio import PortInfo


class DeviceUrlError(ValueError):
    """A device URL that cannot be used. `code` and `params` (the offending part: value,
    option, scheme) are stable for the app to word in the reader's language; the message
    names the offending part in English for the log and the CLI."""

    def __init__(self, message: str, code: str = "invalid", **params: str) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


class UrlKind(StrEnum):
    SERIAL = "serial"
    USBSERIAL = "usbserial"
    SOCKET = "socket"
    SIM = "sim"
    PYSERIAL = "pyserial"  # one of pyserial's own URL handlers, passed through


class Suffix(StrEnum):
    """What ends one scan (or one scale frame) on the wire."""

    CR = "CR"
    LF = "LF"
    CRLF = "CRLF"
    NONE = "NONE"  # no terminator: a pause of `timeout_ms` ends the frame

    @property
    def terminator(self) -> bytes:
        return _TERMINATORS[self]


_TERMINATORS = {Suffix.CR: b"\r", Suffix.LF: b"\n", Suffix.CRLF: b"\r\n", Suffix.NONE: b""}


class ScaleProtocol(StrEnum):
    AD = "ad"  # A&D style continuous output: "ST,GS,+0001.25kg\r\n"
    TOLEDO = "toledo"  # Mettler Toledo 8217: request "W", reply STX weight CR


PASSTHROUGH_SCHEMES = frozenset({"rfc2217", "loop", "spy", "hwgrep", "alt", "cp2110"})
WEIGHT_UNITS = frozenset({"kg", "g", "lb"})

DEFAULT_BAUD = 9600
DEFAULT_SUFFIX = Suffix.CR
DEFAULT_TIMEOUT_MS = 50

_PACKLINE_OPTIONS = ("baud", "bytesize", "parity", "stopbits", "suffix", "prefix",
                     "timeout_ms", "protocol", "unit")
_SOCKET_PASSTHROUGH = frozenset({"logging"})  # the only option pyserial's socket:// knows
_HEX_ID = re.compile(r"^[0-9a-fA-F]{1,4}$")


@dataclass(frozen=True)
class DeviceUrl:
    """A parsed device URL. Build one with `DeviceUrl.parse(text)`."""

    kind: UrlKind
    scheme: str
    path: str = ""  # serial: device path; sim: device name; pyserial: text after "scheme://"
    host: str = ""
    port: int | None = None
    vid: int | None = None
    pid: int | None = None
    serial_number: str | None = None
    baud: int = DEFAULT_BAUD
    bytesize: int | None = None
    parity: str | None = None
    stopbits: float | None = None
    suffix: Suffix = DEFAULT_SUFFIX
    prefix: str | None = None
    timeout_ms: int = DEFAULT_TIMEOUT_MS
    protocol: ScaleProtocol | None = None
    unit: str | None = None
    # pyserial's own query options of a pass-through or socket:// URL, in their order.
    extra: tuple[tuple[str, str], ...] = field(default=())

    @classmethod
    def parse(cls, text: str) -> DeviceUrl:
        return parse_device_url(text)

    @property
    def name(self) -> str:
        """A short human-readable name for logs and status lines."""
        return str(self).split("?", 1)[0]

    def pyserial_url(self, device_path: str | None = None) -> str:
        """The string `serial.serial_for_url` accepts, Packline's options stripped. A usbserial
        URL needs the `device_path` that `find_usb_port` found; sim:// has no pyserial form."""
        if self.kind is UrlKind.SERIAL:
            return self.path
        if self.kind is UrlKind.USBSERIAL:
            if not device_path:
                raise DeviceUrlError(f"{self.name}: resolve the USB device first "
                                     "(find_usb_port) to get its current path", "unresolved")
            return device_path
        if self.kind is UrlKind.SOCKET:
            return f"socket://{_host_port(self.host, self.port)}{_query(self.extra)}"
        if self.kind is UrlKind.PYSERIAL:
            return f"{self.scheme}://{self.path}{_query(self.extra)}"
        raise DeviceUrlError(f"{self.name}: a simulated device has no pyserial URL", "simulated")

    def __str__(self) -> str:
        if self.kind is UrlKind.SERIAL:
            # Device paths are absolute on POSIX ("serial:///dev/ttyUSB0"), bare on Windows
            # ("serial://COM3").
            location = quote(self.path, safe="/:")
        elif self.kind is UrlKind.USBSERIAL:
            location = f"{self.vid:04x}:{self.pid:04x}"
            if self.serial_number:
                location += "/" + quote(self.serial_number, safe="")
        elif self.kind is UrlKind.SOCKET:
            location = _host_port(self.host, self.port)
        else:
            location = self.path
        options: list[tuple[str, str]] = []
        if self.baud != DEFAULT_BAUD:
            options.append(("baud", str(self.baud)))
        if self.bytesize is not None:
            options.append(("bytesize", str(self.bytesize)))
        if self.parity is not None:
            options.append(("parity", self.parity))
        if self.stopbits is not None:
            options.append(("stopbits", _format_stopbits(self.stopbits)))
        if self.suffix is not DEFAULT_SUFFIX:
            options.append(("suffix", self.suffix.value))
        if self.prefix is not None:
            options.append(("prefix", self.prefix))
        if self.timeout_ms != DEFAULT_TIMEOUT_MS:
            options.append(("timeout_ms", str(self.timeout_ms)))
        if self.protocol is not None:
            options.append(("protocol", self.protocol.value))
        if self.unit is not None:
            options.append(("unit", self.unit))
        return f"{self.scheme}://{location}{_query(tuple(options) + self.extra)}"


def parse_device_url(text: str) -> DeviceUrl:
    """Parse a Packline device URL; DeviceUrlError (a ValueError) says what is wrong."""
    if not isinstance(text, str) or not text.strip():
        raise DeviceUrlError("empty device URL", "empty")
    text = text.strip()
    if "://" not in text:
        raise DeviceUrlError(f"{text!r} is not a device URL: expected scheme://… such as "
                             "serial:///dev/ttyUSB0 or socket://127.0.0.1:7000", "no_scheme")
    scheme = text.split("://", 1)[0].lower()
    if scheme in ("serial", "usbserial", "socket", "sim"):
        kind = UrlKind(scheme)
    elif scheme in PASSTHROUGH_SCHEMES:
        kind = UrlKind.PYSERIAL
    else:
        raise DeviceUrlError(
            f"unknown device URL scheme {scheme!r} in {text!r}: use serial://, usbserial://, "
            "socket://, sim:// or a pyserial URL (" + ", ".join(
                s + "://" for s in sorted(PASSTHROUGH_SCHEMES)) + ")", "unknown_scheme",
            scheme=scheme)
    try:
        parts = urlsplit(text)
    except ValueError:  # e.g. an unclosed [ in the host
        raise DeviceUrlError(f"{text!r} is not a URL", "malformed") from None
    if parts.fragment:
        raise DeviceUrlError(f"{text!r}: a device URL has no #fragment", "fragment")
    fields: dict[str, object] = {"kind": kind, "scheme": scheme}
    options, extra = _split_query(text, parts.query, kind)
    fields.update(options)
    if extra:
        fields["extra"] = extra

    if kind is UrlKind.SERIAL:
        path = unquote(parts.netloc + parts.path)
        if re.fullmatch(r"/COM\d+", path, re.IGNORECASE):
            path = path[1:]  # "serial:///COM3" written by habit
        if not path:
            raise DeviceUrlError(f"{text!r}: serial:// needs a device path, "
                                 "e.g. serial:///dev/ttyUSB0", "no_path")
        fields["path"] = path
    elif kind is UrlKind.USBSERIAL:
        fields.update(_parse_usb(text, parts.netloc, parts.path))
    elif kind is UrlKind.SOCKET:
        fields.update(_parse_socket(text, parts.netloc, parts.path))
    elif kind is UrlKind.SIM:
        fields["path"] = unquote(parts.netloc + parts.path).strip("/")
    else:
        # Everything between "scheme://" and "?" belongs to pyserial, untouched.
        fields["path"] = text.split("://", 1)[1].split("?", 1)[0]
    return DeviceUrl(**fields)  # type: ignore[arg-type]


def find_usb_port(url: DeviceUrl, ports: Iterable[PortInfo] | None = None) -> str | None:
    """The current device path of a usbserial:// URL's adapter, or None when it is not plugged
    in. Matches VID and PID, and the serial number (case-insensitively) when the URL has one;
    among several matches the lowest device path wins, so the choice is stable."""
    if url.kind is not UrlKind.USBSERIAL:
        raise DeviceUrlError(f"{url.name} is not a usbserial:// URL", "not_usb")
    listing = serialio.comports() if ports is None else ports
    wanted_serial = url.serial_number.casefold() if url.serial_number else None
    matches = sorted(
        p.device for p in listing
        if p.vid == url.vid and p.pid == url.pid
        and (wanted_serial is None or (p.serial_number or "").casefold() == wanted_serial))
    return matches[0] if matches else None


def _split_query(text: str, query: str, kind: UrlKind
                 ) -> tuple[dict[str, object], tuple[tuple[str, str], ...]]:
    options: dict[str, object] = {}
    extra: list[tuple[str, str]] = []
    seen: set[str] = set()
    for raw_key, value in parse_qsl(query, keep_blank_values=True):
        key = raw_key.lower()
        if key in seen:
            raise DeviceUrlError(f"{text!r}: option {key!r} given twice", "duplicate_option",
                                 option=key)
        seen.add(key)
        if key in _PACKLINE_OPTIONS:
            options.update(_parse_option(text, key, value))
        elif kind is UrlKind.PYSERIAL or (kind is UrlKind.SOCKET and key in _SOCKET_PASSTHROUGH):
            extra.append((raw_key, value))
        else:
            raise DeviceUrlError(
                f"{text!r}: unknown option {raw_key!r}; known options are "
                + ", ".join(_PACKLINE_OPTIONS), "unknown_option", option=raw_key,
                known=", ".join(_PACKLINE_OPTIONS))
    return options, tuple(extra)


def _parse_option(text: str, key: str, value: str) -> dict[str, object]:
    if key == "baud":
        baud = _int(text, key, value, "bad_baud")
        if not 50 <= baud <= 4_000_000:
            raise DeviceUrlError(f"{text!r}: baud {value!r} is out of range (50-4000000)",
                                 "bad_baud", value=value)
        return {"baud": baud}
    if key == "bytesize":
        size = _int(text, key, value, "bad_bytesize")
        if size not in (5, 6, 7, 8):
            raise DeviceUrlError(f"{text!r}: bytesize must be 5, 6, 7 or 8, not {value!r}",
                                 "bad_bytesize", value=value)
        return {"bytesize": size}
    if key == "parity":
        word = value.strip().upper()
        if word not in ("N", "E", "O", "M", "S", "NONE", "EVEN", "ODD", "MARK", "SPACE"):
            raise DeviceUrlError(f"{text!r}: parity must be N, E, O, M or S, not {value!r}",
                                 "bad_parity", value=value)
        return {"parity": word[0]}
    if key == "stopbits":
        if value.strip() not in ("1", "1.5", "2"):
            raise DeviceUrlError(f"{text!r}: stopbits must be 1, 1.5 or 2, not {value!r}",
                                 "bad_stopbits", value=value)
        return {"stopbits": float(value)}
    if key == "suffix":
        try:
            return {"suffix": Suffix(value.strip().upper())}
        except ValueError:
            raise DeviceUrlError(f"{text!r}: suffix must be CR, LF, CRLF or NONE, not {value!r}",
                                 "bad_suffix", value=value) from None
    if key == "prefix":
        if not value:
            raise DeviceUrlError(f"{text!r}: prefix is empty", "bad_prefix")
        return {"prefix": value}
    if key == "timeout_ms":
        timeout = _int(text, key, value, "bad_timeout")
        if not 1 <= timeout <= 10_000:
            raise DeviceUrlError(f"{text!r}: timeout_ms must be 1-10000, not {value!r}",
                                 "bad_timeout", value=value)
        return {"timeout_ms": timeout}
    if key == "protocol":
        try:
            return {"protocol": ScaleProtocol(value.strip().lower())}
        except ValueError:
            raise DeviceUrlError(f"{text!r}: protocol must be ad or toledo, not {value!r}",
                                 "bad_protocol", value=value) from None
    # unit
    unit = value.strip().lower()
    if unit not in WEIGHT_UNITS:
        raise DeviceUrlError(f"{text!r}: unit must be kg, g or lb, not {value!r}", "bad_unit",
                             value=value)
    return {"unit": unit}


def _int(text: str, key: str, value: str, code: str) -> int:
    if not value.strip().isdigit():
        raise DeviceUrlError(f"{text!r}: {key} must be a whole number, not {value!r}", code,
                             value=value)
    return int(value)


def _parse_usb(text: str, netloc: str, path: str) -> dict[str, object]:
    vid_text, sep, pid_text = netloc.partition(":")
    if not sep or not _HEX_ID.match(vid_text) or not _HEX_ID.match(pid_text):
        raise DeviceUrlError(f"{text!r}: usbserial:// needs VID:PID in hex, "
                             "e.g. usbserial://1a86:7523", "bad_usb_id")
    fields: dict[str, object] = {"vid": int(vid_text, 16), "pid": int(pid_text, 16)}
    raw_serial = path.strip("/")
    serial_number = unquote(raw_serial)
    if "/" in raw_serial:  # %2F inside a serial number is fine, a second segment is not
        raise DeviceUrlError(f"{text!r}: usbserial://VID:PID/SERIAL takes one serial number",
                             "bad_usb_id")
    if serial_number:
        fields["serial_number"] = serial_number
    return fields


def _parse_socket(text: str, netloc: str, path: str) -> dict[str, object]:
    if path.strip("/"):
        raise DeviceUrlError(f"{text!r}: socket://HOST:PORT takes no path", "bad_socket")
    parts = urlsplit("//" + netloc)
    try:
        port = parts.port
    except ValueError:
        port = None
    if not parts.hostname or port is None or not 1 <= port <= 65535:
        raise DeviceUrlError(f"{text!r}: socket:// needs HOST:PORT with a port 1-65535, "
                             "e.g. socket://127.0.0.1:7000", "bad_socket")
    return {"host": parts.hostname, "port": port}


def _host_port(host: str, port: int | None) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _format_stopbits(stopbits: float) -> str:
    return "1.5" if stopbits == 1.5 else str(int(stopbits))


def _query(options: tuple[tuple[str, str], ...]) -> str:
    if not options:
        return ""
    return "?" + "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" if v else quote(k, safe="")
                          for k, v in options)
