"""PDF and PNG documents through a Windows printer's driver (`app/printing/qt_printer.py`):
pages rasterised at the printer's resolution to the right size and pixels, and a job drawn on
a QPrinter from a worker thread, as the print queue does. There is no Windows printer here: Qt's
own PDF output stands in for it (the same QPrinter and QPainter, another print engine), and the
barcodes are read back from what it wrote."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from app.printing.pdf import render_pdf
from app.printing.qt_printer import (
    QtPrinterTransport,
    document_pages,
    page_size_points,
    target_rect,
)
from app.printing.raster import pdf_page_sizes, pdf_to_images, render_png
from app.ui.qt import QImage
from drivers.printers import status as st
from drivers.printers.transports import PrintError, PrintErrorKind
from drivers.printers.urls import PrinterUrl
from tests.printing.conftest import barcodes, make_pick_list, make_waybill
from tests.printing.test_winspool import SpoolerStandIn, WinError, transport

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("qapp")]
URL = PrinterUrl.parse("winspool://HP LaserJet M1005")


def block_pdf() -> bytes:
    """A 100×150 mm page, white, with one black block 20 mm × 30 mm whose top left corner is
    10 mm from the left and 15 mm from the top."""
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=(100 * mm, 150 * mm))
    page.setFillGray(0)
    page.rect(10 * mm, (150 - 15 - 30) * mm, 20 * mm, 30 * mm, stroke=0, fill=1)
    page.showPage()
    page.save()
    return out.getvalue()


def pil(image: QImage) -> Image.Image:
    """An 8-bit grey QImage as a PIL image (rows are padded to 4 bytes in a QImage)."""
    return Image.frombytes("L", (image.width(), image.height()), bytes(image.constBits()),
                           "raw", "L", image.bytesPerLine())


def dot(millimetres: float, dpi: int) -> int:
    return round(millimetres / 25.4 * dpi)


@pytest.mark.parametrize("dpi", [203, 300])
def test_a_page_becomes_an_image_of_the_printers_dots(dpi: int) -> None:
    [page] = document_pages(block_pdf(), dpi)
    image = page.image
    assert image.format() is QImage.Format.Format_Grayscale8
    assert (image.width(), image.height()) == (dot(100, dpi), dot(150, dpi))
    assert (round(page.width_pt / 72 * 25.4), round(page.height_pt / 72 * 25.4)) == (100, 150)
    inside = [(dot(x, dpi), dot(y, dpi)) for x, y in ((11, 16), (20, 30), (29, 44))]
    outside = [(dot(x, dpi), dot(y, dpi)) for x, y in ((9, 16), (31, 30), (20, 14), (20, 46),
                                                        (70, 100))]
    assert all(image.pixelColor(x, y).value() == 0 for x, y in inside)
    assert all(image.pixelColor(x, y).value() == 255 for x, y in outside)


def test_a_png_label_is_scaled_to_the_printers_resolution_dot_for_dot() -> None:
    png = render_png(make_waybill(), "100x150", dpi=203)
    width_pt, height_pt = page_size_points(png)
    assert (round(width_pt / 72 * 25.4), round(height_pt / 72 * 25.4)) == (100, 150)
    [page] = document_pages(png, 300)
    assert abs(page.image.width() - dot(100, 300)) <= 2
    assert abs(page.image.height() - dot(150, 300)) <= 2
    found = barcodes(pil(page.image))
    assert ("Code128", "SF1234567890123") in found and ("QRCode", "SF1234567890123") in found


def test_a_page_is_drawn_at_its_true_size_and_shrunk_only_to_fit() -> None:
    image = QImage(800, 1200, QImage.Format.Format_Grayscale8)
    assert target_rect(1654, 2339, image).size().toTuple() == (800, 1200)  # label on A4
    assert target_rect(798, 1198, image).size().toTuple() == (800, 1200)  # a dot of rounding
    shrunk = target_rect(400, 1200, image)
    assert shrunk.size().toTuple() == (400, 600) and shrunk.topLeft().toTuple() == (0, 0)


def _send(t: QtPrinterTransport, data: bytes, job: str, name: str) -> object:
    """Send on a worker thread, as the print queue does; the outcome or the exception."""
    outcome: list[object] = []

    def work() -> None:
        try:
            outcome.append(t.send(data, job, name))
        except Exception as exc:  # noqa: BLE001 - handed back to the test
            outcome.append(exc)

    worker = threading.Thread(target=work, name="packline-printer test")
    worker.start()
    worker.join(60)
    assert not worker.is_alive() and len(outcome) == 1
    return outcome[0]


def test_a_waybill_printed_through_the_driver_reads_back_with_its_barcodes(
        tmp_path: Path) -> None:
    out = tmp_path / "printed.pdf"
    waybill = make_waybill(tracking_no="SF7700000012345")
    result = _send(QtPrinterTransport(URL, dpi=203, output_file=out), render_pdf(
        waybill, "100x150"), "J-0007", "waybill")
    assert not isinstance(result, Exception), result
    assert result.confirmed and result.destination == "winspool://HP LaserJet M1005"
    printed = out.read_bytes()
    [(width, height)] = pdf_page_sizes(printed)
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (100, 150)  # no margins
    document = pdfium.PdfDocument(printed)
    try:  # the job's name, as the Windows print queue shows it
        assert document.get_metadata_dict()["Title"] == "Packline J-0007 waybill"
    finally:
        document.close()
    [page] = pdf_to_images(printed, 203)
    found = barcodes(page)
    assert ("Code128", "SF7700000012345") in found and ("QRCode", "SF7700000012345") in found


def test_a_pick_list_keeps_its_a4_pages(tmp_path: Path) -> None:
    out = tmp_path / "picklist.pdf"
    pdf = render_pdf(make_pick_list(tasks=60), "a4")
    pages = len(pdf_page_sizes(pdf))
    assert pages >= 2
    result = _send(QtPrinterTransport(URL, dpi=150, output_file=out), pdf, "J-0008", "picklist")
    assert not isinstance(result, Exception), result
    sizes = pdf_page_sizes(out.read_bytes())
    assert len(sizes) == pages
    assert all((round(w / 72 * 25.4), round(h / 72 * 25.4)) == (210, 297) for w, h in sizes)


def _badge_card() -> bytes:
    from app.printing.badge_card import badge_card_pdf

    return badge_card_pdf("张三", "u-zhangsan", "USR-7K2M9Q4X")


@pytest.mark.parametrize(("make", "name", "code"), [
    (_badge_card, "badge", ("Code128", "USR-7K2M9Q4X")),  # a bank card's 85.6 × 54 mm
    (lambda: render_pdf(make_pick_list(tasks=1), "80mm"), "picklist",  # 80 × 79 mm of roll
     ("Code128", "WAVE-20261111001")),
])
def test_a_landscape_page_keeps_its_size_and_its_way_round(
        tmp_path: Path, make: Callable[[], bytes], name: str, code: tuple[str, str]) -> None:
    pdf = make()
    [(width, height)] = pdf_page_sizes(pdf)
    assert width > height  # wider than high
    out = tmp_path / f"{name}.pdf"
    result = _send(QtPrinterTransport(URL, dpi=203, output_file=out), pdf, "J-0009", name)
    assert not isinstance(result, Exception), result
    [(printed_w, printed_h)] = pdf_page_sizes(out.read_bytes())
    # Qt's PDF output keeps a page's size to the point (0.35 mm): neither turned nor shrunk.
    assert abs(printed_w - width) < 1.0 and abs(printed_h - height) < 1.0, \
        (printed_w / 72 * 25.4, printed_h / 72 * 25.4)
    [page] = pdf_to_images(out.read_bytes(), 203)
    assert page.width > page.height
    assert code in barcodes(page)


def test_a_printer_the_spooler_knows_is_out_of_paper_gets_nothing(tmp_path: Path) -> None:
    out = tmp_path / "never.pdf"
    api = SpoolerStandIn(status=st.PRINTER_STATUS_PAPER_OUT)
    spooler = transport(api, "winspool://TSC TTP-244 Pro")
    t = QtPrinterTransport(PrinterUrl.parse("winspool://TSC TTP-244 Pro"), spooler=spooler,
                           output_file=out)
    assert t.status().value == "paper_out"
    refused = _send(t, render_pdf(make_waybill(), "100x150"), "J-0009", "waybill")
    assert isinstance(refused, PrintError) and refused.kind is PrintErrorKind.PAPER_OUT
    assert not out.exists() and not api.open_handles
    assert "StartDocPrinter" not in api.names()
    gone = transport(SpoolerStandIn(), "winspool://Nobody")
    assert QtPrinterTransport(URL, spooler=gone).status().value == "offline"
    assert WinError  # the stand-in's error, shared with the raw path's tests


def test_only_pdf_and_png_go_through_the_driver(tmp_path: Path) -> None:
    refused = _send(QtPrinterTransport(URL, output_file=tmp_path / "x.pdf"),
                    b"^XA^FDx^FS^XZ", "J-0010", "label")
    assert isinstance(refused, PrintError) and refused.kind is PrintErrorKind.ERROR
    assert "PDF or a PNG" in str(refused) and not (tmp_path / "x.pdf").exists()


def test_a_printer_this_pc_does_not_have_is_offline() -> None:
    refused = _send(QtPrinterTransport(PrinterUrl.parse("winspool://No Such Printer 7")),
                    block_pdf(), "J-0011", "label")
    assert isinstance(refused, PrintError) and refused.kind is PrintErrorKind.OFFLINE
    assert "no printer of that name" in str(refused)
