"""What a printer says about itself, and the pure parsers for its replies: ZPL `~HS` host
status, ESC/POS `DLE EOT n` real-time status bytes, TSPL `ESC !?`, and the Windows spooler's
status flags. Bytes (or flags) in, a status out; no I/O here (the transports ask, the fake
printer answers with `build_*`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class PrinterStatus(StrEnum):
    ONLINE = "online"
    PAPER_OUT = "paper_out"
    HEAD_OPEN = "head_open"
    PAUSED = "paused"
    OFFLINE = "offline"
    ERROR = "error"
    UNKNOWN = "unknown"


class StatusParseError(ValueError):
    """A status reply that does not have the documented layout."""


# -- ZPL ~HS ---------------------------------------------------------------------------------
# Three strings, each STX … ETX CR LF (ZPL II Programming Guide, ~HS):
#   1: aaa,b,c,dddd,eee,f,g,h,iii,j,k,l    b paper out, c pause, dddd label length (dots),
#      eee formats in buffer, f buffer full, g diagnostic mode, h partial format,
#      j corrupt RAM, k under temperature, l over temperature
#   2: mmm,n,o,p,q,r,s,t,uuuuuuuu,v,www    o head up, p ribbon out, q thermal transfer,
#      r print mode, t label waiting, uuuuuuuu labels remaining, www graphics stored
#   3: xxxx,y                              password, static RAM installed

ZPL_STATUS_QUERY = b"~HS"
STX, ETX = b"\x02", b"\x03"


@dataclass(frozen=True)
class ZplHostStatus:
    paper_out: bool
    paused: bool
    label_length: int
    formats_in_buffer: int
    buffer_full: bool
    corrupt_ram: bool
    under_temperature: bool
    over_temperature: bool
    head_up: bool
    ribbon_out: bool
    labels_remaining: int

    @property
    def status(self) -> PrinterStatus:
        # A Zebra pauses itself when the paper runs out or the head opens, so those come
        # first: they say what a person has to do.
        if self.head_up:
            return PrinterStatus.HEAD_OPEN
        if self.paper_out:
            return PrinterStatus.PAPER_OUT
        if self.ribbon_out or self.corrupt_ram or self.over_temperature \
                or self.under_temperature:
            return PrinterStatus.ERROR
        if self.paused:
            return PrinterStatus.PAUSED
        return PrinterStatus.ONLINE


def zpl_reply_complete(reply: bytes) -> bool:
    """True once a ~HS reply holds its three strings (a reader stops waiting then)."""
    return reply.count(ETX) >= 3


def parse_zpl_host_status(reply: bytes) -> ZplHostStatus:
    strings = _framed(reply)
    if len(strings) < 2:
        raise StatusParseError(f"a ~HS reply has three STX…ETX strings; got {reply!r}")
    first, second = strings[0].split(","), strings[1].split(",")
    if len(first) != 12 or len(second) != 11:
        raise StatusParseError(f"~HS strings 1 and 2 have 12 and 11 fields; got "
                               f"{len(first)} and {len(second)} in {reply!r}")
    try:
        return ZplHostStatus(
            paper_out=_flag(first[1]), paused=_flag(first[2]), label_length=int(first[3]),
            formats_in_buffer=int(first[4]), buffer_full=_flag(first[5]),
            corrupt_ram=_flag(first[9]), under_temperature=_flag(first[10]),
            over_temperature=_flag(first[11]), head_up=_flag(second[2]),
            ribbon_out=_flag(second[3]), labels_remaining=int(second[8]))
    except ValueError as exc:
        raise StatusParseError(f"bad field in ~HS reply {reply!r}: {exc}") from None


def _framed(reply: bytes) -> list[str]:
    out = []
    for chunk in reply.split(STX)[1:]:
        body, sep, _ = chunk.partition(ETX)
        if not sep:
            raise StatusParseError(f"~HS string without ETX in {reply!r}")
        out.append(body.decode("ascii", "replace").strip())
    return out


def _flag(field: str) -> bool:
    if field.strip() not in ("0", "1"):
        raise ValueError(f"flag {field!r} is not 0 or 1")
    return field.strip() == "1"


def build_zpl_host_status(*, paper_out: bool = False, paused: bool = False,
                          head_up: bool = False, label_length: int = 1199) -> bytes:
    """A ~HS reply as a Zebra sends it (the fake printer's answer)."""
    first = f"030,{int(paper_out)},{int(paused)},{label_length:04d},000,0,0,0,000,0,0,0"
    second = f"001,0,{int(head_up)},0,0,2,6,0,00000000,1,000"
    third = "1234,0"
    return b"".join(STX + s.encode("ascii") + ETX + b"\r\n" for s in (first, second, third))


# -- ESC/POS DLE EOT n ---------------------------------------------------------------------------
# One byte per query; bits 1 and 4 are always 1, bits 0 and 7 always 0 (0x12 pattern).
#   n=1 printer status:       bit 3 offline
#   n=2 offline cause:        bit 2 cover open, bit 3 paper fed by the button,
#                             bit 5 printing stopped by paper end, bit 6 error
#   n=4 roll paper sensor:    bits 2+3 paper near end, bits 5+6 paper end

ESCPOS_STATUS_QUERY = b"\x10\x04\x01\x10\x04\x02\x10\x04\x04"  # the three replies, in order
_FIXED_MASK, _FIXED_BITS = 0x93, 0x12


@dataclass(frozen=True)
class EscposStatus:
    offline: bool
    cover_open: bool
    paper_end_stop: bool
    error: bool
    paper_near_end: bool
    paper_end: bool

    @property
    def status(self) -> PrinterStatus:
        if self.cover_open:
            return PrinterStatus.HEAD_OPEN
        if self.paper_end or self.paper_end_stop:
            return PrinterStatus.PAPER_OUT
        if self.error:
            return PrinterStatus.ERROR
        if self.offline:
            return PrinterStatus.OFFLINE
        return PrinterStatus.ONLINE


def parse_escpos_status(reply: bytes) -> EscposStatus:
    """The three bytes answering ESCPOS_STATUS_QUERY (DLE EOT 1, 2, 4)."""
    if len(reply) != 3:
        raise StatusParseError(f"expected 3 status bytes (DLE EOT 1, 2, 4), got {reply!r}")
    for byte in reply:
        if byte & _FIXED_MASK != _FIXED_BITS:
            raise StatusParseError(f"{byte:#04x} is not an ESC/POS status byte (fixed bits "
                                   f"0x12 under mask 0x93) in {reply!r}")
    printer, cause, paper = reply
    return EscposStatus(offline=bool(printer & 0x08), cover_open=bool(cause & 0x04),
                        paper_end_stop=bool(cause & 0x20), error=bool(cause & 0x40),
                        paper_near_end=paper & 0x0C == 0x0C, paper_end=paper & 0x60 == 0x60)


def escpos_paper_status(byte: int) -> PrinterStatus:
    """The roll paper sensor byte (DLE EOT 4) alone: PAPER_OUT or ONLINE."""
    if byte & _FIXED_MASK != _FIXED_BITS:
        raise StatusParseError(f"{byte:#04x} is not an ESC/POS status byte")
    return PrinterStatus.PAPER_OUT if byte & 0x60 == 0x60 else PrinterStatus.ONLINE


def build_escpos_status(n: int, *, paper_out: bool = False, cover_open: bool = False,
                        offline: bool = False) -> bytes:
    """The byte a printer answers to DLE EOT n (the fake printer's answer)."""
    offline = offline or paper_out or cover_open  # a printer stops when either happens
    value = _FIXED_BITS
    if n == 1 and offline:
        value |= 0x08
    elif n == 2:
        value |= (0x04 if cover_open else 0) | (0x20 if paper_out else 0)
    elif n == 4 and paper_out:
        value |= 0x6C
    return bytes([value])


# -- TSPL ESC !? -------------------------------------------------------------------------------
# One byte: bit 0 head open, 1 paper jam, 2 paper out, 3 ribbon out, 4 pause, 5 printing,
# 6 cover open, 7 other error. 0x00 is ready.

TSPL_STATUS_QUERY = b"\x1b!?"


def parse_tspl_status(reply: bytes) -> PrinterStatus:
    if len(reply) != 1:
        raise StatusParseError(f"expected one TSPL status byte, got {reply!r}")
    value = reply[0]
    if value & 0x41:
        return PrinterStatus.HEAD_OPEN
    if value & 0x04:
        return PrinterStatus.PAPER_OUT
    if value & 0x8A:
        return PrinterStatus.ERROR
    if value & 0x10:
        return PrinterStatus.PAUSED
    return PrinterStatus.ONLINE


def build_tspl_status(*, paper_out: bool = False, head_open: bool = False,
                      paused: bool = False) -> bytes:
    return bytes([(0x01 if head_open else 0) | (0x04 if paper_out else 0)
                  | (0x10 if paused else 0)])


# -- the Windows spooler: PRINTER_INFO_2 `Status` and `Attributes` ------------------------------
# What the spooler knows of a printer (winspool.h), as `GetPrinter(handle, 2)` returns it. Only
# the spooler and the printer's port monitor set these: a USB printer unplugged is OFFLINE, a
# driver with a status monitor reports paper out or an open door; many label printer drivers
# report nothing beyond OFFLINE, so ONLINE means "nothing known against it".

PRINTER_STATUS_PAUSED = 0x00000001
PRINTER_STATUS_ERROR = 0x00000002
PRINTER_STATUS_PENDING_DELETION = 0x00000004
PRINTER_STATUS_PAPER_JAM = 0x00000008
PRINTER_STATUS_PAPER_OUT = 0x00000010
PRINTER_STATUS_PAPER_PROBLEM = 0x00000040
PRINTER_STATUS_OFFLINE = 0x00000080
PRINTER_STATUS_OUTPUT_BIN_FULL = 0x00000800
PRINTER_STATUS_NOT_AVAILABLE = 0x00001000
PRINTER_STATUS_NO_TONER = 0x00040000
PRINTER_STATUS_PAGE_PUNT = 0x00080000
PRINTER_STATUS_USER_INTERVENTION = 0x00100000
PRINTER_STATUS_OUT_OF_MEMORY = 0x00200000
PRINTER_STATUS_DOOR_OPEN = 0x00400000
PRINTER_STATUS_SERVER_UNKNOWN = 0x00800000
PRINTER_STATUS_SERVER_OFFLINE = 0x02000000
PRINTER_ATTRIBUTE_WORK_OFFLINE = 0x00000400  # "Use Printer Offline": jobs wait in Windows

_WINSPOOL_HEAD_OPEN = PRINTER_STATUS_DOOR_OPEN
_WINSPOOL_PAPER_OUT = PRINTER_STATUS_PAPER_OUT | PRINTER_STATUS_PAPER_PROBLEM
_WINSPOOL_ERROR = (PRINTER_STATUS_ERROR | PRINTER_STATUS_PAPER_JAM | PRINTER_STATUS_NO_TONER
                   | PRINTER_STATUS_OUTPUT_BIN_FULL | PRINTER_STATUS_PAGE_PUNT
                   | PRINTER_STATUS_USER_INTERVENTION | PRINTER_STATUS_OUT_OF_MEMORY)
_WINSPOOL_OFFLINE = (PRINTER_STATUS_OFFLINE | PRINTER_STATUS_NOT_AVAILABLE
                     | PRINTER_STATUS_PENDING_DELETION | PRINTER_STATUS_SERVER_UNKNOWN
                     | PRINTER_STATUS_SERVER_OFFLINE)


def winspool_status(status: int, attributes: int = 0) -> PrinterStatus:
    """A Windows printer's `Status` flags (and `Attributes`) as a status. What a person must do
    at the printer comes first, as for the other printers; busy, printing, warming up, power
    save, toner low and the like are ONLINE."""
    if status & _WINSPOOL_HEAD_OPEN:
        return PrinterStatus.HEAD_OPEN
    if status & _WINSPOOL_PAPER_OUT:
        return PrinterStatus.PAPER_OUT
    if status & _WINSPOOL_ERROR:
        return PrinterStatus.ERROR
    if status & _WINSPOOL_OFFLINE or attributes & PRINTER_ATTRIBUTE_WORK_OFFLINE:
        return PrinterStatus.OFFLINE
    if status & PRINTER_STATUS_PAUSED:
        return PrinterStatus.PAUSED
    return PrinterStatus.ONLINE
