"""Printer URLs: every form `drivers.printers.urls` documents, the canonical form, and clear errors."""

from __future__ import annotations

import pytest

from drivers.printers.transports import escpos_device_args
from drivers.printers.urls import (
    PrinterKind,
    PrinterUrl,
    PrinterUrlError,
    StatusProtocol,
    parse_printer_url,
)


def test_raw_tcp() -> None:
    url = PrinterUrl.parse("tcp://192.168.1.50")
    assert (url.kind, url.host, url.port, url.status) == (PrinterKind.TCP, "192.168.1.50", 9100,
                                                           None)
    assert url.default_status("zpl") is StatusProtocol.ZPL
    assert url.default_status("tspl") is StatusProtocol.TSPL
    assert url.default_status("pdf") is StatusProtocol.NONE
    assert url.default_status() is StatusProtocol.NONE
    url = PrinterUrl.parse("TCP://printer-3.lan:6101?status=none")
    assert (url.host, url.port, url.default_status("zpl")) == ("printer-3.lan", 6101,
                                                               StatusProtocol.NONE)
    assert PrinterUrl.parse("tcp://[fe80::1]:9100").host == "fe80::1"
    assert PrinterUrl.parse("escpos+tcp://10.0.0.9").default_status() is StatusProtocol.ESCPOS


def test_escpos_usb_and_serial_become_python_escpos_arguments() -> None:
    usb = PrinterUrl.parse("escpos+usb://04B8:0E15?profile=TM-T20II&out_ep=0x02")
    assert (usb.vid, usb.pid, usb.out_ep) == (0x04B8, 0x0E15, 2)
    assert escpos_device_args(usb, 2.0) == ("Usb", {
        "idVendor": 0x04B8, "idProduct": 0x0E15, "timeout": 2000, "out_ep": 2,
        "profile": "TM-T20II"})
    serial = PrinterUrl.parse("escpos+serial:///dev/ttyS0?baud=19200&parity=E&stopbits=2")
    assert escpos_device_args(serial, 1.5) == ("Serial", {
        "devfile": "/dev/ttyS0", "baudrate": 19200, "bytesize": 8, "parity": "E",
        "stopbits": 2.0, "timeout": 1.5})
    assert PrinterUrl.parse("escpos+serial://COM3").device == "COM3"
    assert PrinterUrl.parse("escpos+serial:///COM4").device == "COM4"
    assert usb.default_status("escpos") is StatusProtocol.NONE  # USB: only when asked
    with pytest.raises(ValueError, match="not a python-escpos"):
        escpos_device_args(PrinterUrl.parse("tcp://h"))


def test_cups_and_file() -> None:
    cups = PrinterUrl.parse("cups://Zebra_ZD420")
    assert (cups.kind, cups.queue, cups.raw) == (PrinterKind.CUPS, "Zebra_ZD420", None)
    assert PrinterUrl.parse("cups://A4-Office?raw=0").raw is False
    bare = PrinterUrl.parse("file://")
    assert (bare.kind, bare.folder) == (PrinterKind.FILE, None)
    assert PrinterUrl.parse("file:///var/spool/packline/labels/").folder == \
        "/var/spool/packline/labels"
    assert PrinterUrl.parse("file:///C:/labels").folder == "C:/labels"
    assert PrinterUrl.parse("file://localhost/srv/labels").folder == "/srv/labels"


@pytest.mark.parametrize("text", [
    "tcp://192.168.1.50", "tcp://host:6101?status=zpl", "escpos+tcp://10.0.0.9:9100",
    "escpos+usb://04b8:0e15?in_ep=0x81&profile=TM-T20II",
    "escpos+serial:///dev/ttyS0?baud=19200&parity=E", "cups://Zebra_ZD420?raw=1",
    "file://", "file:///srv/labels"])
def test_canonical_form_parses_back_to_the_same_url(text: str) -> None:
    url = parse_printer_url(text)
    assert parse_printer_url(str(url)) == url


@pytest.mark.parametrize(("text", "words"), [
    ("", "empty"),
    ("192.168.1.50:9100", "not a printer URL"),
    ("lpd://host/queue", "unknown printer URL scheme 'lpd'"),
    ("tcp://", "host is missing"),
    ("tcp://host:99999", "port must be 1-65535"),
    ("tcp://host:0", "port must be 1-65535"),
    ("tcp://host:abc", "port must be 1-65535"),
    ("tcp://host/queue", "no path"),
    ("tcp://user:pw@host", "no user or password"),
    ("tcp://host?status=epl", "status must be"),
    ("tcp://host?status=zpl&status=none", "given twice"),
    ("tcp://host?baud=9600", "unknown option 'baud'"),
    ("tcp://host#x", "fragment"),
    ("escpos+usb://04b8", "VID:PID in hex"),
    ("escpos+usb://zz:0e15", "VID:PID in hex"),
    ("escpos+usb://04b8:0e15?out_ep=300", "endpoint"),
    ("escpos+usb://04b8:0e15?profile=a b", "profile"),
    ("escpos+serial://", "device path"),
    ("escpos+serial:///dev/ttyS0?baud=fast", "baud must be"),
    ("escpos+serial:///dev/ttyS0?parity=X", "parity"),
    ("escpos+serial:///dev/ttyS0?stopbits=3", "stopbits"),
    ("cups://", "queue name"),
    ("cups://My%20Printer", "queue name"),
    ("cups://Q?raw=maybe", "raw must be"),
    ("file://labels", "takes no host"),
    ("file:///srv/labels?status=zpl", "unknown option"),
])
def test_bad_urls_say_what_is_wrong(text: str, words: str) -> None:
    with pytest.raises(PrinterUrlError, match=words) as caught:
        parse_printer_url(text)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(("text", "port", "tls"), [
    ("cainiao://127.0.0.1?printer=ZTO-1", 13528, False),
    ("cainiao://127.0.0.1?printer=ZTO-1&tls=1", 13529, True),
    ("pdd://127.0.0.1?printer=A", 5000, False),
    ("pdd://localhost?printer=A&tls=1", 18653, True),
    ("douyin://127.0.0.1?printer=A", 13888, False),
    ("kuaishou://127.0.0.1?printer=A", 16888, False),
    ("kuaishou://127.0.0.1?printer=A&tls=1", 16889, True),
    ("cainiao://192.168.1.20:14000?printer=Deli%20DL-888", 14000, False),
    ("cainiao://192.168.1.20?printer=A&tls=1&ca=/etc/packline/cainiao-ca.pem", 13529, True),
])
def test_print_components_default_to_their_own_ports(text: str, port: int, tls: bool) -> None:
    url = PrinterUrl.parse(text)
    assert url.kind.is_component and (url.port, url.tls) == (port, tls)
    assert PrinterUrl.parse(str(url)) == url
    assert url.printer


@pytest.mark.parametrize(("text", "code"), [
    ("cainiao://127.0.0.1", "component_printer"),
    ("cainiao://127.0.0.1?printer=", "component_printer"),
    ("pdd://127.0.0.1/print?printer=A", "component_path"),
    ("douyin://127.0.0.1?printer=A&tls=1", "component_tls_port"),
    ("cainiao://192.168.1.20?printer=A&tls=1", "component_tls_ca"),
    ("cainiao://127.0.0.1?printer=A&ca=/x.pem", "component_ca_without_tls"),
    ("cainiao://127.0.0.1?printer=A&tls=maybe", "bad_tls"),
    ("cainiao://127.0.0.1?printer=A&tls=1&ca=x.pem", "bad_ca"),
    ("kuaishou://127.0.0.1?printer=A&status=zpl", "unknown_option"),
    ("cainiao://?printer=A", "no_host"),
])
def test_bad_component_urls_are_refused_with_a_code(text: str, code: str) -> None:
    with pytest.raises(PrinterUrlError) as caught:
        PrinterUrl.parse(text)
    assert caught.value.code == code
