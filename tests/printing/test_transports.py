"""Transports against real sockets and real processes: the fake 9100 printer (with its faults),
the folder printer, CUPS through a stand-in `lp`, and the fake printer run as its own
process."""

from __future__ import annotations

import os
import pickle
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.printing.render import render
from drivers.printers.fake import FakePrinter
from drivers.printers.status import PrinterStatus
from drivers.printers.transports import (
    CupsTransport,
    FileTransport,
    PrintError,
    PrintErrorKind,
    TcpTransport,
    open_transport,
    parse_lp_output,
    parse_lpstat,
    sniff_extension,
)
from tests.printing.conftest import make_slip, make_waybill

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 0.5


@pytest.fixture(scope="module")
def label() -> bytes:
    return render(make_waybill(), "zpl", cjk="graphic")


def test_a_job_arrives_byte_exact(fake_printer: FakePrinter, label: bytes) -> None:
    transport = open_transport(fake_printer.url, timeout=TIMEOUT, language="zpl")
    result = transport.send(label, "J000001", "SF1234567890123")
    assert result.confirmed and result.bytes_sent == len(label)
    assert result.status is PrinterStatus.ONLINE
    assert fake_printer.wait_jobs(1) == [label]
    assert fake_printer.status_queries == 1  # ~HS before the job, not part of it


def test_escpos_and_tspl_printers_answer_their_own_status_queries(label: bytes) -> None:
    slip = render(make_slip(), "escpos")  # raster: binary data, DLE EOT-like bytes inside
    with FakePrinter(language="escpos") as printer:
        transport = open_transport(f"escpos+tcp://127.0.0.1:{printer.port}", timeout=TIMEOUT)
        assert transport.status() is PrinterStatus.ONLINE
        transport.send(slip, "J1")
        assert printer.wait_jobs(1) == [slip]
        printer.paper_out()
        assert transport.status() is PrinterStatus.PAPER_OUT
    tspl = render(make_waybill(), "tspl")
    with FakePrinter(language="tspl") as printer:
        transport = open_transport(printer.url, timeout=TIMEOUT, language="tspl")
        transport.send(tspl, "J2")
        assert printer.wait_jobs(1) == [tspl]
        printer.head_open()
        with pytest.raises(PrintError) as caught:
            transport.send(tspl, "J3")
        assert caught.value.kind is PrintErrorKind.HEAD_OPEN


def test_refused(fake_printer: FakePrinter, label: bytes) -> None:
    fake_printer.refuse()
    transport = open_transport(fake_printer.url, timeout=TIMEOUT, language="zpl")
    with pytest.raises(PrintError) as caught:
        transport.send(label, "J1")
    assert caught.value.kind is PrintErrorKind.REFUSED and not caught.value.may_have_printed
    assert isinstance(caught.value, OSError)
    assert transport.status() is PrinterStatus.OFFLINE


def test_dropped_mid_job_may_have_printed(fake_printer: FakePrinter, label: bytes) -> None:
    fake_printer.drop_after(500)
    transport = open_transport(fake_printer.url, timeout=TIMEOUT, language="zpl")
    with pytest.raises(PrintError) as caught:
        transport.send(label, "J1")
    assert caught.value.kind is PrintErrorKind.DROPPED
    assert caught.value.may_have_printed and caught.value.sent > 0
    assert fake_printer.wait_partial(1) == [label[:500]]
    assert fake_printer.jobs == []


def test_stalled_printer_times_out(fake_printer: FakePrinter, label: bytes) -> None:
    fake_printer.stall()
    transport = open_transport(fake_printer.url, timeout=TIMEOUT, language="zpl")
    with pytest.raises(PrintError) as caught:
        transport.send(label, "J1")  # the ~HS query gets no answer
    assert caught.value.kind is PrintErrorKind.TIMEOUT and caught.value.sent == 0
    # Without a status query the send itself stalls once the socket buffers are full.
    blind = open_transport(fake_printer.url + "?status=none", timeout=TIMEOUT)
    with pytest.raises(PrintError) as caught:
        blind.send(b"^XA" + b"0" * (48 << 20) + b"^XZ", "J2")
    assert caught.value.kind is PrintErrorKind.TIMEOUT and caught.value.may_have_printed
    assert "stalled" in str(caught.value)


def test_paper_out_refuses_before_sending_and_recovery(fake_printer: FakePrinter,
                                                       label: bytes) -> None:
    transport = open_transport(fake_printer.url, timeout=TIMEOUT, language="zpl")
    fake_printer.paper_out(True)
    assert transport.status() is PrinterStatus.PAPER_OUT
    with pytest.raises(PrintError) as caught:
        transport.send(label, "J1")
    assert caught.value.kind is PrintErrorKind.PAPER_OUT
    assert caught.value.status is PrinterStatus.PAPER_OUT and caught.value.sent == 0
    assert fake_printer.jobs == [] and fake_printer.unprinted == []  # nothing was sent
    fake_printer.recover()
    assert transport.status() is PrinterStatus.ONLINE
    transport.send(label, "J1")
    assert fake_printer.wait_jobs(1) == [label]


def test_sending_blind_into_a_printer_without_paper_prints_nothing(
        fake_printer: FakePrinter, label: bytes) -> None:
    fake_printer.paper_out(True)
    open_transport(fake_printer.url + "?status=none", timeout=TIMEOUT).send(label, "J1")
    assert fake_printer.unprinted == [label] and fake_printer.jobs == []


def test_paused_and_head_open(fake_printer: FakePrinter, label: bytes) -> None:
    transport = open_transport(fake_printer.url + "?status=zpl", timeout=TIMEOUT)
    fake_printer.pause()
    with pytest.raises(PrintError) as caught:
        transport.send(label, "J1")
    assert (caught.value.kind, caught.value.status) == (PrintErrorKind.OFFLINE,
                                                        PrinterStatus.PAUSED)
    fake_printer.recover()
    fake_printer.head_open()
    assert transport.status() is PrinterStatus.HEAD_OPEN
    assert isinstance(transport, TcpTransport)
    assert transport.query() is PrinterStatus.HEAD_OPEN


def test_every_fault_recovers_on_the_same_port(fake_printer: FakePrinter, label: bytes) -> None:
    transport = open_transport(fake_printer.url, timeout=TIMEOUT, language="zpl")
    for fault in (fake_printer.refuse, fake_printer.stall, lambda: fake_printer.drop_after(10)):
        fault()
        with pytest.raises(PrintError):
            transport.send(label, "J-fail")
        fake_printer.recover()
        transport.send(label, "J-ok")
    assert fake_printer.wait_jobs(3) == [label] * 3


def test_print_error_survives_pickling() -> None:
    error = PrintError(PrintErrorKind.DROPPED, "gone", sent=12, status=PrinterStatus.ONLINE)
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.kind, str(copy), copy.sent, copy.status) == (
        PrintErrorKind.DROPPED, "gone", 12, PrinterStatus.ONLINE)


def test_bad_jobs_and_settings_are_value_errors(fake_printer: FakePrinter) -> None:
    transport = open_transport(fake_printer.url)
    with pytest.raises(ValueError, match="some bytes"):
        transport.send(b"", "J1")
    with pytest.raises(ValueError, match="job id"):
        transport.send(b"^XA^XZ", " ")
    with pytest.raises(ValueError, match="timeout"):
        open_transport(fake_printer.url, timeout=0)
    with pytest.raises(ValueError, match="no folder"):
        open_transport("file://")


# -- the folder printer ---------------------------------------------------------------------


def test_folder_printer_writes_whole_files_with_the_right_extension(tmp_path: Path,
                                                                    label: bytes) -> None:
    pdf = render(make_waybill(), "pdf")
    png = render(make_waybill(), "png", dpi=72)
    transport = open_transport("file://", folder=tmp_path / "out", language="zpl")
    assert transport.status() is PrinterStatus.ONLINE  # created on the first job
    results = [transport.send(label, "J000001", "SF1234567890123"),
               transport.send(pdf, "J000002", "SF1234567890123"),
               transport.send(png, "J000003", "顺丰/../x")]
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["J000001-SF1234567890123.zpl", "J000002-SF1234567890123.pdf",
                     "J000003-顺丰_.._x.png"]
    assert [r.path.read_bytes() if r.path else b"" for r in results] == [label, pdf, png]
    transport.send(b"^XA^FDagain^XZ", "J000001", "SF1234567890123")  # a re-send replaces
    assert (tmp_path / "out" / "J000001-SF1234567890123.zpl").read_bytes() == \
        b"^XA^FDagain^XZ"
    assert len(list((tmp_path / "out").iterdir())) == 3  # no temporary files left
    own = open_transport(f"file://{tmp_path / 'own'}")
    assert own.send(b"\x1b@hello", "J9").path == tmp_path / "own" / "J9.bin"


def test_folder_printer_never_leaves_half_a_file(tmp_path: Path, label: bytes,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    transport = open_transport("file://", folder=tmp_path)
    assert isinstance(transport, FileTransport)

    def broken_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(PrintError) as caught:
        transport.send(label, "J1", "x")
    assert caught.value.kind is PrintErrorKind.ERROR
    assert list(tmp_path.iterdir()) == []
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    assert open_transport(f"file://{blocked}/sub").status() is PrinterStatus.OFFLINE


def test_sniffing_extensions() -> None:
    assert sniff_extension(b"%PDF-1.4") == "pdf" and sniff_extension(b"\x89PNG\r\n\x1a\n") == "png"
    assert sniff_extension(b"^XA^XZ") == "zpl" and sniff_extension(b"SIZE 100 mm") == "tspl"
    assert sniff_extension(b"\x1b@") == "bin" and sniff_extension(b"x", "escpos") == "bin"
    assert sniff_extension(b"x", "tspl") == "tspl"


# -- CUPS -------------------------------------------------------------------------------------


@pytest.fixture
def fake_cups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Stand-in `lp` and `lpstat` on PATH that record their arguments and input."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "lp.log"
    scripts = {
        "lp": f"""
            import sys
            args = sys.argv[1:]
            data = sys.stdin.buffer.read()
            with open({str(log)!r}, "ab") as fh:
                fh.write(repr(args).encode() + b"\\n" + data + b"\\n")
            queue = args[args.index("-d") + 1]
            if queue == "Missing":
                print("lp: The printer or class does not exist.", file=sys.stderr)
                sys.exit(1)
            print(f"request id is {{queue}}-42 (1 file(s))")
        """,
        "lpstat": """
            import sys
            queue = sys.argv[-1]
            if queue == "Missing":
                print('lpstat: Invalid destination name in list "Missing"!', file=sys.stderr)
                sys.exit(1)
            if queue == "Empty":
                print("printer Empty disabled since Wed 11 Nov 2026 -")
                print("\\tmedia-empty-error")
            else:
                print(f"printer {queue} is idle.  enabled since Wed 11 Nov 2026")
        """,
    }
    for name, body in scripts.items():
        path = bin_dir / name
        path.write_text(f"#!{sys.executable}\n" + textwrap.dedent(body))
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", str(bin_dir))
    yield log


def test_cups_sends_through_lp(fake_cups: Path, label: bytes) -> None:
    transport = open_transport("cups://Zebra_ZD420", timeout=10)
    result = transport.send(label, "J000001", "SF1234567890123")
    assert result.printer_job_id == "Zebra_ZD420-42"
    logged = fake_cups.read_bytes()
    assert b"['-d', 'Zebra_ZD420', '-t', 'J000001 SF1234567890123', '-o', 'raw']" in logged
    assert label in logged
    pdf = render(make_waybill(), "pdf")
    transport.send(pdf, "J000002")
    assert b"'-t', 'J000002']" in fake_cups.read_bytes()  # a PDF goes through CUPS filters
    assert transport.status() is PrinterStatus.ONLINE
    assert open_transport("cups://Empty").status() is PrinterStatus.PAPER_OUT
    missing = open_transport("cups://Missing", timeout=10)
    assert missing.status() is PrinterStatus.OFFLINE
    with pytest.raises(PrintError) as caught:
        missing.send(label, "J3")
    assert caught.value.kind is PrintErrorKind.OFFLINE and "does not exist" in str(caught.value)


def test_without_cups_jobs_are_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       label: bytes) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    transport = CupsTransport(open_transport("cups://Q").url)
    with pytest.raises(PrintError, match="no lp command") as caught:
        transport.send(label, "J1")
    assert caught.value.kind is PrintErrorKind.OFFLINE
    assert transport.status() is PrinterStatus.OFFLINE


def test_lp_and_lpstat_output() -> None:
    assert parse_lp_output("request id is Zebra-1234 (1 file(s))\n") == "Zebra-1234"
    assert parse_lp_output("") is None
    assert parse_lpstat("printer Z now printing Z-12.  enabled since …") is PrinterStatus.ONLINE
    assert parse_lpstat("printer Z disabled since … -\n\tPaused") is PrinterStatus.OFFLINE
    assert parse_lpstat("printer Z disabled since … -\n\tcover-open") is PrinterStatus.HEAD_OPEN
    assert parse_lpstat("", 1) is PrinterStatus.OFFLINE
    assert parse_lpstat("something else") is PrinterStatus.UNKNOWN


# -- python-escpos USB without a printer -------------------------------------------------------


def test_usb_printer_that_is_not_there_is_offline(label: bytes) -> None:
    transport = open_transport("escpos+usb://04b8:0e15", timeout=TIMEOUT)
    with pytest.raises(PrintError) as caught:
        transport.send(b"\x1b@hello", "J1")
    assert caught.value.kind is PrintErrorKind.OFFLINE and caught.value.sent == 0
    assert transport.status() is PrinterStatus.OFFLINE


# -- the fake printer as a process ------------------------------------------------------------


def test_fake_printer_runs_as_its_own_process(tmp_path: Path, label: bytes) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "drivers.printers.fake", "--port", "0", "--language", "zpl",
         "--out", str(tmp_path)], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert process.stdout is not None
        port = int(process.stdout.readline())
        transport = open_transport(f"tcp://127.0.0.1:{port}", timeout=5.0, language="zpl")
        for number in range(3):
            transport.send(label, f"J{number}")
        files = sorted(p.name for p in tmp_path.iterdir())
        assert files == ["job-00001.zpl", "job-00002.zpl", "job-00003.zpl"]
        assert (tmp_path / "job-00002.zpl").read_bytes() == label
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=10)
    assert process.returncode == 0, stderr
    assert b"3 jobs" in stderr
