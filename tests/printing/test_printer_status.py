"""Status parsers on literal replies: ZPL ~HS, ESC/POS DLE EOT, TSPL ESC !?."""

from __future__ import annotations

import pytest

from drivers.printers.status import (
    PrinterStatus,
    StatusParseError,
    build_escpos_status,
    build_tspl_status,
    build_zpl_host_status,
    escpos_paper_status,
    parse_escpos_status,
    parse_tspl_status,
    parse_zpl_host_status,
    zpl_reply_complete,
)

READY = (b"\x02030,0,0,1199,000,0,0,0,000,0,0,0\x03\r\n"
         b"\x02001,0,0,0,0,2,6,0,00000000,1,000\x03\r\n"
         b"\x021234,0\x03\r\n")


def hs(first: str = "030,0,0,1199,000,0,0,0,000,0,0,0",
       second: str = "001,0,0,0,0,2,6,0,00000000,1,000") -> bytes:
    return b"\x02" + first.encode() + b"\x03\r\n\x02" + second.encode() \
        + b"\x03\r\n\x021234,0\x03\r\n"


@pytest.mark.parametrize(("reply", "status"), [
    (READY, PrinterStatus.ONLINE),
    (hs(first="030,1,1,1199,000,0,0,0,000,0,0,0"), PrinterStatus.PAPER_OUT),
    (hs(first="030,0,1,1199,000,0,0,0,000,0,0,0"), PrinterStatus.PAUSED),
    (hs(second="001,0,1,0,0,2,6,0,00000000,1,000"), PrinterStatus.HEAD_OPEN),
    (hs(first="030,1,1,1199,000,0,0,0,000,0,0,0",
        second="001,0,1,0,0,2,6,0,00000000,1,000"), PrinterStatus.HEAD_OPEN),
    (hs(second="001,0,0,1,1,2,6,0,00000000,1,000"), PrinterStatus.ERROR),  # ribbon out
    (hs(first="030,0,0,1199,000,0,0,0,000,0,0,1"), PrinterStatus.ERROR),  # over temperature
])
def test_zpl_host_status(reply: bytes, status: PrinterStatus) -> None:
    assert zpl_reply_complete(reply)
    assert parse_zpl_host_status(reply).status is status


def test_zpl_host_status_fields_and_bad_replies() -> None:
    parsed = parse_zpl_host_status(hs(first="030,0,0,1199,003,1,0,0,000,0,0,0",
                                      second="001,0,0,0,0,2,6,0,00000042,1,000"))
    assert (parsed.label_length, parsed.formats_in_buffer, parsed.buffer_full,
            parsed.labels_remaining) == (1199, 3, True, 42)
    assert not zpl_reply_complete(READY[:40])
    with pytest.raises(StatusParseError, match="three"):
        parse_zpl_host_status(b"garbage")
    with pytest.raises(StatusParseError, match="12 and 11 fields"):
        parse_zpl_host_status(hs(first="030,0,0"))
    with pytest.raises(StatusParseError, match="bad field"):
        parse_zpl_host_status(hs(first="030,x,0,1199,000,0,0,0,000,0,0,0"))
    with pytest.raises(StatusParseError, match="without ETX"):
        parse_zpl_host_status(b"\x02030,0\x02001")
    assert parse_zpl_host_status(build_zpl_host_status(paper_out=True, paused=True)).status \
        is PrinterStatus.PAPER_OUT


@pytest.mark.parametrize(("reply", "status"), [
    (b"\x12\x12\x12", PrinterStatus.ONLINE),
    (b"\x12\x12\x1e", PrinterStatus.ONLINE),  # near end: still printing
    (b"\x1a\x32\x7e", PrinterStatus.PAPER_OUT),
    (b"\x1a\x16\x12", PrinterStatus.HEAD_OPEN),
    (b"\x1a\x52\x12", PrinterStatus.ERROR),
    (b"\x1a\x12\x12", PrinterStatus.OFFLINE),
])
def test_escpos_status_bytes(reply: bytes, status: PrinterStatus) -> None:
    assert parse_escpos_status(reply).status is status


def test_escpos_status_details_and_bad_bytes() -> None:
    assert parse_escpos_status(b"\x12\x12\x1e").paper_near_end
    assert escpos_paper_status(0x72) is PrinterStatus.PAPER_OUT
    assert escpos_paper_status(0x12) is PrinterStatus.ONLINE
    with pytest.raises(StatusParseError, match="3 status bytes"):
        parse_escpos_status(b"\x12")
    with pytest.raises(StatusParseError, match="not an ESC/POS status byte"):
        parse_escpos_status(b"\x00\x12\x12")
    with pytest.raises(StatusParseError):
        escpos_paper_status(0xFF)
    replies = b"".join(build_escpos_status(n, paper_out=True) for n in (1, 2, 4))
    assert parse_escpos_status(replies).status is PrinterStatus.PAPER_OUT


@pytest.mark.parametrize(("byte", "status"), [
    (0x00, PrinterStatus.ONLINE), (0x20, PrinterStatus.ONLINE), (0x01, PrinterStatus.HEAD_OPEN),
    (0x40, PrinterStatus.HEAD_OPEN), (0x04, PrinterStatus.PAPER_OUT),
    (0x02, PrinterStatus.ERROR), (0x08, PrinterStatus.ERROR), (0x10, PrinterStatus.PAUSED),
])
def test_tspl_status_byte(byte: int, status: PrinterStatus) -> None:
    assert parse_tspl_status(bytes([byte])) is status


def test_tspl_bad_reply() -> None:
    with pytest.raises(StatusParseError):
        parse_tspl_status(b"")
    assert parse_tspl_status(build_tspl_status(paper_out=True)) is PrinterStatus.PAPER_OUT
