"""Windows printers by name (`winspool://`): the URL with spaces and Chinese, the byte path
through `win32print` (exact bytes, document name, RAW, the handle always closed, a cut-off job
withdrawn), the spooler's errors and status flags in the print queue's terms, the queue moving
a refusing printer's jobs to its backup, and no pywin32 anywhere on Linux.

pywin32 exists only on Windows, so `win32print` is a stand-in here: an object with the same
functions that keeps what it is given and can answer with the errors pywin32 raises
(`pywintypes.error(winerror, funcname, strerror)`). The spooler itself cannot run on this
machine; what it does with the calls is Windows' own."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.printers import PrinterConfigError, PrinterSpec, parse_printer, prints_through_driver
from app.services.context import system_actor
from app.station import print_queue
from app.station.models import PrintJob
from app.station.spooler import Spooler, default_transport
from app.station.store import open_store
from app.store.db import Database
from drivers.printers import status as st
from drivers.printers.status import PrinterStatus, winspool_status
from drivers.printers.transports import PrintError, PrintErrorKind
from drivers.printers.urls import PrinterKind, PrinterUrl, PrinterUrlError, parse_printer_url
from drivers.printers.winspool import WinspoolTransport, document_name
from tests.helpers.waiting import eventually

REPO = Path(__file__).resolve().parents[2]


class WinError(Exception):
    """pywintypes.error as pywin32 raises it: (winerror, funcname, strerror)."""

    def __init__(self, winerror: int, funcname: str, strerror: str) -> None:
        super().__init__(winerror, funcname, strerror)
        self.winerror, self.funcname, self.strerror = winerror, funcname, strerror


class SpoolerStandIn:
    """win32print's functions over one printer, recording every call and the bytes written.
    `fail` maps a function name to the error it raises; `fail_after` makes WritePrinter fail
    once that many bytes are taken; `take` caps the bytes one WritePrinter call takes."""

    PRINTERS = {"TSC TTP-244 Pro", "得力 DL-888T", "\\\\SERVER\\Zebra GK420"}

    def __init__(self, *, status: int = 0, attributes: int = 0, take: int | None = None,
                 fail: dict[str, WinError] | None = None, fail_after: int | None = None) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.written = bytearray()
        self.status, self.attributes, self.take = status, attributes, take
        self.fail = fail or {}
        self.fail_after = fail_after
        self.open_handles: set[int] = set()
        self._next = 100

    def _call(self, name: str, *args: Any) -> None:
        self.calls.append((name, *args))
        if name in self.fail:
            raise self.fail[name]

    def names(self) -> list[str]:
        return [c[0] for c in self.calls]

    def OpenPrinter(self, printer: str, defaults: Any = None) -> int:  # noqa: N802
        self._call("OpenPrinter", printer)
        if printer not in self.PRINTERS:
            raise WinError(1801, "OpenPrinter", "The printer name is invalid.")
        self._next += 1
        self.open_handles.add(self._next)
        return self._next

    def GetPrinter(self, handle: int, level: int) -> dict[str, Any]:  # noqa: N802
        self._call("GetPrinter", handle, level)
        return {"pPrinterName": "x", "Status": self.status, "Attributes": self.attributes,
                "cJobs": 0}

    def StartDocPrinter(self, handle: int, level: int, info: tuple[Any, ...]) -> int:  # noqa: N802
        self._call("StartDocPrinter", handle, level, info)
        return 42

    def StartPagePrinter(self, handle: int) -> None:  # noqa: N802
        self._call("StartPagePrinter", handle)

    def WritePrinter(self, handle: int, data: bytes) -> int:  # noqa: N802
        self._call("WritePrinter", handle, len(data))
        assert isinstance(data, bytes)
        if self.fail_after is not None and len(self.written) >= self.fail_after:
            raise WinError(64, "WritePrinter", "The specified network name is no longer "
                                               "available.")
        taken = data[:self.take] if self.take else data
        if self.fail_after is not None:
            taken = taken[:self.fail_after - len(self.written)]
        self.written += taken
        return len(taken)

    def EndPagePrinter(self, handle: int) -> None:  # noqa: N802
        self._call("EndPagePrinter", handle)

    def EndDocPrinter(self, handle: int) -> None:  # noqa: N802
        self._call("EndDocPrinter", handle)

    def AbortPrinter(self, handle: int) -> None:  # noqa: N802
        self._call("AbortPrinter", handle)

    def ClosePrinter(self, handle: int) -> None:  # noqa: N802
        self.calls.append(("ClosePrinter", handle))
        assert handle in self.open_handles, "closed twice or never opened"
        self.open_handles.discard(handle)
        if "ClosePrinter" in self.fail:
            raise self.fail["ClosePrinter"]


def transport(api: SpoolerStandIn, url: str = "winspool://TSC TTP-244 Pro") -> WinspoolTransport:
    return WinspoolTransport(PrinterUrl.parse(url), win32print=api, error=WinError)


TSPL = ("SIZE 100 mm, 150 mm\r\nGAP 2 mm, 0 mm\r\nCLS\r\n"
        "TEXT 40,40,\"TSS24.BF2\",0,1,1,\"欧阳娜娜 13800138000\"\r\nPRINT 1,1\r\n"
        ).encode("gb18030")


# -- the URL ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "name"), [
    ("winspool://TSC TTP-244 Pro", "TSC TTP-244 Pro"),
    ("winspool://得力 DL-888T", "得力 DL-888T"),
    ("WINSPOOL://Gprinter  GP-1324D (副本 1)", "Gprinter  GP-1324D (副本 1)"),
    ("winspool://\\\\SERVER\\Zebra GK420", "\\\\SERVER\\Zebra GK420"),
    ("winspool://Zebra [2]", "Zebra [2]"),
    ("winspool://Label %2523 100%25%3B%3F", "Label %23 100%;?"),
    ("winspool://%E5%BE%97%E5%8A%9B DL-888T", "得力 DL-888T"),
    ("winspool://%20Xprinter XP-365B%20", " Xprinter XP-365B "),
])
def test_a_windows_printer_is_named_as_windows_shows_it(text: str, name: str) -> None:
    url = parse_printer_url(text)
    assert (url.kind, url.printer, url.raw) == (PrinterKind.WINSPOOL, name, None)
    # The canonical form reads as the name does, and parses back to the same printer.
    assert parse_printer_url(str(url)) == url
    assert str(url).startswith("winspool://") and "?" not in str(url)
    if name.strip() == name and not set(name) & set("%;?#"):
        assert str(url) == f"winspool://{name}"


def test_raw_is_an_option_as_for_cups() -> None:
    assert parse_printer_url("winspool://TSC TTP-244 Pro?raw=1").raw is True
    url = parse_printer_url("winspool://HP LaserJet M1005?raw=0")
    assert (url.printer, url.raw) == ("HP LaserJet M1005", False)
    assert str(url) == "winspool://HP LaserJet M1005?raw=0"


@pytest.mark.parametrize(("text", "code"), [
    ("winspool://", "winspool_name"),
    ("winspool://   ?raw=1", "winspool_name"),
    ("winspool://Label #2", "winspool_name"),
    ("winspool://a%0Ab", "winspool_name"),
    ("winspool://%FF%FE", "winspool_name"),
    ("winspool://" + "x" * 260, "winspool_name"),
    ("winspool://TSC?raw=maybe", "bad_raw"),
    ("winspool://TSC?status=zpl", "unknown_option"),
    ("winspool://TSC?raw=1&raw=0", "duplicate_option"),
])
def test_a_bad_windows_printer_url_says_what_is_wrong(text: str, code: str) -> None:
    with pytest.raises(PrinterUrlError) as caught:
        parse_printer_url(text)
    assert caught.value.code == code


def test_the_station_settings_take_a_windows_printer_and_word_a_bad_one() -> None:
    from app.ui.messages import catalogue, describe_setting, words_in

    spec = parse_printer("tsc", {"url": "winspool://TSC TTP-244 Pro", "language": "tspl"})
    assert not prints_through_driver(spec)
    office = parse_printer("office", {"url": "winspool://HP LaserJet M1005", "language": "pdf",
                                      "paper": "a4"})
    assert prints_through_driver(office)
    assert not prints_through_driver(parse_printer(
        "direct", {"url": "winspool://HP LaserJet M1005?raw=1", "language": "pdf"}))
    for items, code in (({"url": "winspool://Label #2", "language": "zpl"},
                         "printer_url.winspool_name"),
                        ({"url": "winspool://TSC?raw=0", "language": "tspl"},
                         "printer.winspool_driver_language")):
        with pytest.raises(PrinterConfigError) as caught:
            parse_printer("label", items)
        # Worded for the reader (the Chinese: tests/unit/test_messages_catalogue.py).
        assert caught.value.code == code and code in catalogue()
        worded = describe_setting(caught.value, words_in("en"))
        assert worded.startswith("[printer:label] url") and "Windows" in worded


# -- the byte path ------------------------------------------------------------------------------


def test_a_raw_job_is_one_spooler_document_with_exactly_its_bytes() -> None:
    api = SpoolerStandIn()
    result = transport(api).send(TSPL, "J-0001", "waybill")
    assert bytes(api.written) == TSPL
    assert api.names() == ["OpenPrinter", "GetPrinter", "StartDocPrinter", "StartPagePrinter",
                           "WritePrinter", "EndPagePrinter", "EndDocPrinter", "ClosePrinter"]
    handle = api.calls[1][1]
    assert api.calls[0] == ("OpenPrinter", "TSC TTP-244 Pro")
    assert api.calls[1] == ("GetPrinter", handle, 2)
    assert api.calls[2] == ("StartDocPrinter", handle, 1, ("Packline J-0001 waybill", None,
                                                           "RAW"))
    assert api.calls[-1] == ("ClosePrinter", handle) and not api.open_handles
    assert (result.bytes_sent, result.confirmed, result.status, result.printer_job_id,
            result.destination) == (len(TSPL), True, PrinterStatus.ONLINE, "42",
                                    "winspool://TSC TTP-244 Pro")
    assert document_name("J-2", "") == "Packline J-2"


def test_a_large_job_is_written_until_the_spooler_has_taken_every_byte() -> None:
    data = bytes(range(256)) * 1000  # 256 000 bytes, every byte value
    api = SpoolerStandIn(take=10_000)  # the spooler takes less than it is offered
    assert transport(api, "winspool://得力 DL-888T").send(data, "J2").bytes_sent == len(data)
    assert bytes(api.written) == data
    writes = [c for c in api.calls if c[0] == "WritePrinter"]
    assert len(writes) == 26 and all(n <= 64 * 1024 for _, _, n in writes)
    assert api.calls[0] == ("OpenPrinter", "得力 DL-888T") and not api.open_handles


def test_a_printer_windows_does_not_know_is_offline_and_says_how_to_find_the_name() -> None:
    api = SpoolerStandIn()
    t = transport(api, "winspool://TSC TTP-247")
    with pytest.raises(PrintError) as caught:
        t.send(TSPL, "J3")
    exc = caught.value
    assert (exc.kind, exc.sent, exc.may_have_printed) == (PrintErrorKind.OFFLINE, 0, False)
    assert "Get-Printer" in str(exc) and "1801" in str(exc) and "TSC TTP-247" in str(exc)
    assert api.names() == ["OpenPrinter"] and not api.written
    assert t.status() is PrinterStatus.OFFLINE


@pytest.mark.parametrize(("flags", "attributes", "kind", "status"), [
    (st.PRINTER_STATUS_PAPER_OUT, 0, PrintErrorKind.PAPER_OUT, PrinterStatus.PAPER_OUT),
    (st.PRINTER_STATUS_DOOR_OPEN | st.PRINTER_STATUS_PAPER_OUT, 0, PrintErrorKind.HEAD_OPEN,
     PrinterStatus.HEAD_OPEN),
    (st.PRINTER_STATUS_OFFLINE, 0, PrintErrorKind.OFFLINE, PrinterStatus.OFFLINE),
    (0, st.PRINTER_ATTRIBUTE_WORK_OFFLINE, PrintErrorKind.OFFLINE, PrinterStatus.OFFLINE),
    (st.PRINTER_STATUS_PAUSED, 0, PrintErrorKind.OFFLINE, PrinterStatus.PAUSED),
    (st.PRINTER_STATUS_PAPER_JAM, 0, PrintErrorKind.ERROR, PrinterStatus.ERROR),
    (st.PRINTER_STATUS_ERROR | st.PRINTER_STATUS_OFFLINE, 0, PrintErrorKind.ERROR,
     PrinterStatus.ERROR),
])
def test_a_printer_the_spooler_knows_cannot_print_is_refused_before_a_byte(
        flags: int, attributes: int, kind: PrintErrorKind, status: PrinterStatus) -> None:
    api = SpoolerStandIn(status=flags, attributes=attributes)
    t = transport(api)
    assert t.status() is status
    api.calls.clear()
    with pytest.raises(PrintError) as caught:
        t.send(TSPL, "J4")
    assert (caught.value.kind, caught.value.status, caught.value.sent) == (kind, status, 0)
    assert api.names() == ["OpenPrinter", "GetPrinter", "ClosePrinter"]
    assert not api.written and not api.open_handles


@pytest.mark.parametrize(("flags", "status"), [
    (0, PrinterStatus.ONLINE),
    (0x0400 | 0x0100, PrinterStatus.ONLINE),  # printing, I/O active
    (0x01000000 | 0x00010000, PrinterStatus.ONLINE),  # power save, warming up
    (0x00020000, PrinterStatus.ONLINE),  # toner (ribbon) low: still prints
    (st.PRINTER_STATUS_PAPER_PROBLEM, PrinterStatus.PAPER_OUT),
    (st.PRINTER_STATUS_USER_INTERVENTION, PrinterStatus.ERROR),
    (st.PRINTER_STATUS_NOT_AVAILABLE, PrinterStatus.OFFLINE),
    (st.PRINTER_STATUS_SERVER_OFFLINE, PrinterStatus.OFFLINE),
])
def test_spooler_status_flags_in_the_queues_words(flags: int, status: PrinterStatus) -> None:
    assert winspool_status(flags) is status


def test_a_job_cut_off_in_the_spooler_is_withdrawn_and_may_have_printed() -> None:
    data = b"^XA" + b"^FO10,10^FDPL2611110000123^FS" * 5000 + b"^XZ"
    api = SpoolerStandIn(take=64 * 1024, fail_after=100_000)
    with pytest.raises(PrintError) as caught:
        transport(api).send(data, "J5", "waybill")
    exc = caught.value
    assert exc.kind is PrintErrorKind.DROPPED and exc.sent == len(api.written) == 100_000
    assert exc.may_have_printed and "may or may not have printed" in str(exc)
    assert bytes(api.written) == data[:100_000]
    assert api.names()[-2:] == ["AbortPrinter", "ClosePrinter"] and not api.open_handles
    assert "EndDocPrinter" not in api.names()


@pytest.mark.parametrize(("failing", "code", "kind", "sent", "aborted"), [
    ("StartDocPrinter", 1804, PrintErrorKind.ERROR, 0, False),  # a v4 driver takes no RAW
    ("StartDocPrinter", 1722, PrintErrorKind.OFFLINE, 0, False),  # the spooler is stopped
    ("StartPagePrinter", 5, PrintErrorKind.ERROR, 0, True),
    ("WritePrinter", 1460, PrintErrorKind.TIMEOUT, 0, True),
    ("EndPagePrinter", 63, PrintErrorKind.DROPPED, len(TSPL), True),
    ("EndDocPrinter", 64, PrintErrorKind.DROPPED, len(TSPL), True),
])
def test_each_spooler_error_becomes_the_queues_kind_and_the_handle_is_closed(
        failing: str, code: int, kind: PrintErrorKind, sent: int, aborted: bool) -> None:
    api = SpoolerStandIn(fail={failing: WinError(code, failing, "Windows says no.")})
    with pytest.raises(PrintError) as caught:
        transport(api).send(TSPL, "J6")
    exc = caught.value
    assert (exc.kind, exc.sent) == (kind, sent)
    assert f"Windows error {code}" in str(exc) and failing in str(exc)
    if code == 1804:
        assert "v4" in str(exc)
    assert ("AbortPrinter" in api.names()) is aborted
    assert api.names()[-1] == "ClosePrinter" and not api.open_handles


def test_a_printer_without_a_status_is_tried_and_a_failing_close_changes_nothing() -> None:
    api = SpoolerStandIn(fail={"GetPrinter": WinError(5, "GetPrinter", "Access is denied."),
                               "ClosePrinter": WinError(6, "ClosePrinter", "The handle is "
                                                                           "invalid.")})
    result = transport(api).send(TSPL, "J7")
    assert (result.status, result.bytes_sent, bytes(api.written)) == (
        PrinterStatus.UNKNOWN, len(TSPL), TSPL)
    assert transport(api).status() is PrinterStatus.UNKNOWN


def test_a_pdf_goes_through_the_driver_unless_the_url_says_raw() -> None:
    pdf = b"%PDF-1.4\n% a document\n"
    api = SpoolerStandIn()
    with pytest.raises(PrintError) as caught:
        transport(api).send(pdf, "J8")
    assert caught.value.kind is PrintErrorKind.ERROR and not api.calls
    assert transport(api, "winspool://TSC TTP-244 Pro?raw=1").send(pdf, "J9").bytes_sent == \
        len(pdf)
    assert bytes(api.written) == pdf


def test_the_station_picks_the_driver_for_a_windows_pdf_printer(tmp_path: Path) -> None:
    from app.printing.qt_printer import QtPrinterTransport

    raw = default_transport(PrinterSpec("tsc", "winspool://TSC TTP-244 Pro", "tspl"), tmp_path)
    assert isinstance(raw, WinspoolTransport)
    office = default_transport(PrinterSpec("a4", "winspool://HP LaserJet", "pdf", paper="a4"),
                               tmp_path)
    assert isinstance(office, QtPrinterTransport) and isinstance(office.spooler,
                                                                 WinspoolTransport)
    assert office.printer_name == "HP LaserJet"


# -- no pywin32 here ----------------------------------------------------------------------------


def test_linux_imports_the_transport_without_pywin32_and_a_job_is_offline_saying_why() -> None:
    code = (
        "import sys\n"
        "from drivers.printers.transports import PrintError, open_transport\n"
        "import drivers.printers.winspool\n"
        "t = open_transport('winspool://TSC TTP-244 Pro', language='tspl')\n"
        "assert t.status().value == 'offline', t.status()\n"
        "try:\n"
        "    t.send(b'SIZE 100 mm, 150 mm\\r\\n', 'J1')\n"
        "except PrintError as exc:\n"
        "    assert exc.kind.value == 'offline' and 'pywin32' in str(exc), exc\n"
        "else:\n"
        "    raise AssertionError('sent without pywin32')\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('win32print', 'pywintypes', 'win32api', 'PySide6'))\n"
        "assert not bad, bad\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                          text=True, timeout=60, env={"PYTHONPATH": str(REPO),
                                                      "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr


# -- through the station's print queue ----------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Database]:
    db = open_store(tmp_path / "station.db")
    yield db
    db.dispose()


def _jobs(store: Database) -> list[PrintJob]:
    with store.reader() as s:
        jobs = list(s.scalars(select(PrintJob).order_by(PrintJob.created_at)))
        for j in jobs:
            s.expunge(j)
        return jobs


@pytest.mark.timeout(60)
def test_the_queue_prints_through_the_spooler_and_moves_jobs_off_a_printer_out_of_paper(
        store: Database, tmp_path: Path) -> None:
    from app.printing.documents import BinLabel

    api = SpoolerStandIn()
    tsc = PrinterSpec("tsc", "winspool://TSC TTP-244 Pro", "tspl", backup="folder")
    folder = PrinterSpec("folder", "file://", "tspl")

    def factory(spec: PrinterSpec, where: Path) -> Any:
        if spec.name == "tsc":
            return WinspoolTransport(PrinterUrl.parse(spec.url), win32print=api, error=WinError)
        return default_transport(spec, where)

    spooler = Spooler(store, {"tsc": tsc, "folder": folder}, tmp_path / "prints",
                      transport_factory=factory, rerender=print_queue.rerender,
                      failover_after=0.5, probe_every=0.2, retry_delays=(0.05,))
    spooler.start()
    try:
        first = print_queue.enqueue(store, system_actor(), tsc,
                                    BinLabel(code="LOC-HZ-A01-01-1", title="测试 1"),
                                    kind="label", ref="LOC-1")
        eventually(lambda: _jobs(store)[0].status == "sent", what="the first label sent")
        assert bytes(api.written) == _jobs(store)[0].data and api.written.startswith(b"SIZE")
        [(_, _, level, (doc, output, datatype))] = [c for c in api.calls
                                                    if c[0] == "StartDocPrinter"]
        assert (level, output, datatype) == (1, None, "RAW")
        assert doc.startswith(f"Packline {first.job_id} ")
        api.status = st.PRINTER_STATUS_PAPER_OUT
        spooled = len(api.written)
        print_queue.enqueue(store, system_actor(), tsc,
                            BinLabel(code="LOC-HZ-A01-02-1", title="测试 2"), kind="label",
                            ref="LOC-2")
        eventually(lambda: _jobs(store)[-1].status == "sent", what="the second label sent")
        moved = _jobs(store)[-1]
        assert (moved.printer, moved.moved_from) == ("folder", "tsc")
        assert "paper_out" in (moved.last_error or "")
        assert len(api.written) == spooled  # nothing went to the printer out of paper
        assert not api.open_handles
    finally:
        spooler.stop()
