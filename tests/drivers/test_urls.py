"""Device URLs: every form `drivers.urls` documents, what pyserial gets, round trips, clear errors."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from drivers.urls import (
    DeviceUrl,
    DeviceUrlError,
    ScaleProtocol,
    Suffix,
    UrlKind,
    find_usb_port,
    parse_device_url,
)


def test_serial_url_with_options() -> None:
    url = DeviceUrl.parse("serial:///dev/ttyUSB0?baud=19200&suffix=crlf&bytesize=7&parity=E"
                          "&stopbits=2&timeout_ms=80")
    assert url.kind is UrlKind.SERIAL
    assert url.path == "/dev/ttyUSB0"
    assert (url.baud, url.bytesize, url.parity, url.stopbits) == (19200, 7, "E", 2.0)
    assert url.suffix is Suffix.CRLF
    assert url.timeout_ms == 80
    assert url.pyserial_url() == "/dev/ttyUSB0"


def test_defaults_are_9600_baud_cr_and_50_ms() -> None:
    url = DeviceUrl.parse("serial:///dev/ttyS0")
    assert (url.baud, url.suffix, url.timeout_ms, url.prefix, url.protocol) == (
        9600, Suffix.CR, 50, None, None)
    assert str(url) == "serial:///dev/ttyS0"


@pytest.mark.parametrize("text", ["serial://COM3", "serial:///COM3"])
def test_windows_com_port(text: str) -> None:
    url = DeviceUrl.parse(text)
    assert url.path == "COM3"
    assert url.pyserial_url() == "COM3"
    assert str(url) == "serial://COM3"


def test_usbserial_with_and_without_serial_number() -> None:
    url = DeviceUrl.parse("usbserial://1A86:7523/A5069RR4?baud=115200")
    assert (url.kind, url.vid, url.pid, url.serial_number, url.baud) == (
        UrlKind.USBSERIAL, 0x1A86, 0x7523, "A5069RR4", 115200)
    assert str(url) == "usbserial://1a86:7523/A5069RR4?baud=115200"
    bare = DeviceUrl.parse("usbserial://1a86:7523")
    assert bare.serial_number is None
    with pytest.raises(DeviceUrlError, match="find_usb_port"):
        bare.pyserial_url()
    assert bare.pyserial_url("/dev/ttyUSB3") == "/dev/ttyUSB3"


def test_socket_url_strips_packline_options_for_pyserial() -> None:
    url = DeviceUrl.parse("socket://127.0.0.1:7000?suffix=LF&prefix=%23")
    assert (url.kind, url.host, url.port, url.suffix, url.prefix) == (
        UrlKind.SOCKET, "127.0.0.1", 7000, Suffix.LF, "#")
    assert url.pyserial_url() == "socket://127.0.0.1:7000"
    logged = DeviceUrl.parse("socket://10.0.0.5:4001?logging=debug&suffix=NONE")
    assert logged.pyserial_url() == "socket://10.0.0.5:4001?logging=debug"


def test_ipv6_socket_url() -> None:
    url = DeviceUrl.parse("socket://[::1]:7000")
    assert url.host == "::1"
    assert url.pyserial_url() == "socket://[::1]:7000"


def test_sim_url_names_the_simulated_device() -> None:
    url = DeviceUrl.parse("sim://packing-scale")
    assert (url.kind, url.path) == (UrlKind.SIM, "packing-scale")
    assert DeviceUrl.parse("sim://").path == ""
    with pytest.raises(DeviceUrlError):
        url.pyserial_url()


@pytest.mark.parametrize(("text", "expected"), [
    ("rfc2217://192.168.1.20:2217?ign_set_control&baud=19200",
     "rfc2217://192.168.1.20:2217?ign_set_control"),
    ("loop://", "loop://"),
    ("loop://?logging=debug&suffix=LF", "loop://?logging=debug"),
    ("spy:///dev/ttyUSB0?file=/tmp/scan.log&protocol=ad", "spy:///dev/ttyUSB0?file=%2Ftmp%2Fscan.log"),
])
def test_pyserial_urls_pass_through_without_packline_options(text: str, expected: str) -> None:
    url = DeviceUrl.parse(text)
    assert url.kind is UrlKind.PYSERIAL
    assert url.pyserial_url() == expected


def test_scale_options() -> None:
    url = DeviceUrl.parse("serial:///dev/ttyUSB1?protocol=TOLEDO&unit=LB&baud=2400")
    assert (url.protocol, url.unit, url.baud) == (ScaleProtocol.TOLEDO, "lb", 2400)


def test_prefix_is_percent_decoded() -> None:
    url = DeviceUrl.parse("serial:///dev/ttyS1?prefix=%02")
    assert url.prefix == "\x02"
    assert "prefix=%02" in str(url)


@pytest.mark.parametrize("text", [
    "serial:///dev/ttyUSB0?baud=9600&suffix=CR",
    "serial:///dev/serial/by-id/usb-Honeywell_1900-if00?suffix=NONE&timeout_ms=30",
    "serial://COM7?baud=115200&parity=N&stopbits=1.5",
    "usbserial://1a86:7523",
    "usbserial://0403:6001/FT%2F12?suffix=LF",
    "socket://127.0.0.1:7000?suffix=LF",
    "socket://scanner-3.local:4001?prefix=%02&logging=info",
    "sim://training",
    "rfc2217://host:2217?ign_set_control&timeout_ms=20",
    "serial:///dev/ttyUSB1?protocol=ad",
    "serial:///dev/ttyUSB1?protocol=toledo&unit=lb",
])
def test_str_round_trips(text: str) -> None:
    url = parse_device_url(text)
    again = parse_device_url(str(url))
    assert again == url
    assert str(again) == str(url)


@pytest.mark.parametrize(("text", "code", "words"), [
    ("", "empty", "empty"),
    ("/dev/ttyUSB0", "no_scheme", "not a device URL"),
    ("ftp://host/scan", "unknown_scheme", "'ftp'"),
    ("serial://", "no_path", "device path"),
    ("serial:///dev/ttyUSB0?baud=fast", "bad_baud", "'fast'"),
    ("serial:///dev/ttyUSB0?baud=0", "bad_baud", "out of range"),
    ("serial:///dev/ttyUSB0?baud=-9600", "bad_baud", "'-9600'"),
    ("serial:///dev/ttyUSB0?suffix=TAB", "bad_suffix", "'TAB'"),
    ("serial:///dev/ttyUSB0?suffix=", "bad_suffix", "suffix"),
    ("serial:///dev/ttyUSB0?bytesize=9", "bad_bytesize", "bytesize"),
    ("serial:///dev/ttyUSB0?parity=X", "bad_parity", "parity"),
    ("serial:///dev/ttyUSB0?stopbits=3", "bad_stopbits", "stopbits"),
    ("serial:///dev/ttyUSB0?timeout_ms=0", "bad_timeout", "timeout_ms"),
    ("serial:///dev/ttyUSB0?protocol=modbus", "bad_protocol", "'modbus'"),
    ("serial:///dev/ttyUSB0?protocol=toledo&unit=stone", "bad_unit", "'stone'"),
    ("serial:///dev/ttyUSB0?speed=9600", "unknown_option", "'speed'"),
    ("serial:///dev/ttyUSB0?baud=9600&baud=19200", "duplicate_option", "'baud'"),
    ("serial:///dev/ttyUSB0?prefix=", "bad_prefix", "prefix"),
    ("socket://127.0.0.1", "bad_socket", "HOST:PORT"),
    ("socket://127.0.0.1:99999", "bad_socket", "1-65535"),
    ("socket://127.0.0.1:7000/path", "bad_socket", "no path"),
    ("usbserial://zz:7523", "bad_usb_id", "VID:PID"),
    ("usbserial://1a86", "bad_usb_id", "VID:PID"),
    ("usbserial://1a86:7523/A/B", "bad_usb_id", "one serial number"),
    ("sim://x#frag", "fragment", "fragment"),
])
def test_bad_urls_say_what_is_wrong(text: str, code: str, words: str) -> None:
    with pytest.raises(DeviceUrlError) as caught:
        parse_device_url(text)
    assert isinstance(caught.value, ValueError)
    assert caught.value.code == code
    assert words in str(caught.value)


@dataclass(frozen=True)
class Port:
    device: str
    vid: int | None = None
    pid: int | None = None
    serial_number: str | None = None


LISTING = [
    Port("/dev/ttyS0"),
    Port("/dev/ttyUSB1", 0x1A86, 0x7523, None),
    Port("/dev/ttyUSB0", 0x1A86, 0x7523, None),
    Port("/dev/ttyACM0", 0x0C2E, 0x0B61, "18034B2D1F"),
    Port("/dev/ttyUSB2", 0x0403, 0x6001, "A5069RR4"),
]


def test_find_usb_port_by_vid_pid_takes_the_lowest_path() -> None:
    assert find_usb_port(DeviceUrl.parse("usbserial://1a86:7523"), LISTING) == "/dev/ttyUSB0"


def test_find_usb_port_by_serial_number_ignores_case() -> None:
    url = DeviceUrl.parse("usbserial://0c2e:0b61/18034b2d1f")
    assert find_usb_port(url, LISTING) == "/dev/ttyACM0"
    other = DeviceUrl.parse("usbserial://0c2e:0b61/OTHER")
    assert find_usb_port(other, LISTING) is None


def test_find_usb_port_when_unplugged_and_for_other_kinds() -> None:
    assert find_usb_port(DeviceUrl.parse("usbserial://05e0:1200"), LISTING) is None
    with pytest.raises(DeviceUrlError):
        find_usb_port(DeviceUrl.parse("serial:///dev/ttyS0"), LISTING)
