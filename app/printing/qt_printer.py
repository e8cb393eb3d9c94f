"""PDF and PNG documents to a Windows printer through its own driver (`winspool://NAME` with
`language = pdf` or `png`): an A4 office printer, or a label printer whose driver knows its
labels. The pages are rasterised with pdfium at the printer's resolution and drawn dot for
dot, full page, without margins, on a `QPrinter` set to that printer: what comes out is what
the PDF holds, without a PDF reader on the station. Raw printer languages (ZPL, TSPL, ESC/POS)
go past the driver instead (`drivers/printers/winspool.py`).

The page size is the document's own (a 100×150 mm label, A4); a driver that cannot take it
keeps its paper, and the page is drawn at its true size from the top left corner (shrunk only
when the paper is smaller). Before each job the spooler is asked what it knows of the printer
(the `winspool` transport's status), so a printer offline or out of paper is refused and its
jobs move to the backup as with any other printer.

Qt draws on a printer from a worker thread (allowed for QPrinter, like QImage), but only
inside a Qt application: the desktop app has one; `ensure_application` makes one for the
command line before the print queue starts.
"""

from __future__ import annotations

import io
import logging
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

# Qt straight from PySide6, not through the screens' app.ui.qt: the station's print queue
# (the command line, the engine's service) loads this module without any screen.
from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QGuiApplication, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from app.printing.raster import MAX_DPI, MIN_DPI, pdf_page_sizes, pdf_to_images
from app.printing.text_fit import DocumentError
from drivers.printers.status import PrinterStatus
from drivers.printers.transport_base import (
    PrintError,
    PrintErrorKind,
    SendResult,
    Transport,
    check_job,
    refuse_unless_ready,
)
from drivers.printers.urls import PrinterUrl
from drivers.printers.winspool import document_name

log = logging.getLogger("packline.printing")

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_application: Any = None  # the command line's QGuiApplication, kept alive


def ensure_application() -> None:
    """A Qt application for QPrinter when the process has none (the command line), made on
    the main thread; the desktop app's own is used where there is one."""
    global _application
    if QCoreApplication.instance() is None \
            and threading.current_thread() is threading.main_thread():
        _application = QGuiApplication([sys.argv[0] if sys.argv else "packline"])


@dataclass(frozen=True)
class Page:
    image: QImage  # 8-bit grey, one pixel a printer dot
    width_pt: float  # the page's size in points (1/72 inch)
    height_pt: float


def to_qimage(image: Image.Image) -> QImage:
    """A PIL image as an 8-bit grey QImage of its own (not sharing Python's buffer)."""
    grey = image.convert("L")
    raw = grey.tobytes()
    return QImage(raw, grey.width, grey.height, grey.width,
                  QImage.Format.Format_Grayscale8).copy()


def page_size_points(data: bytes) -> tuple[float, float]:
    """The first page's size in points: a PDF's own, a PNG's pixels at its dpi (203 if it
    does not say)."""
    if data.startswith(b"%PDF"):
        return pdf_page_sizes(data)[0]
    if data.startswith(PNG_MAGIC):
        with Image.open(io.BytesIO(data)) as image:
            dpi = _png_dpi(image)
            return image.width * 72 / dpi, image.height * 72 / dpi
    raise DocumentError("a document for a printer's driver is a PDF or a PNG")


def _png_dpi(image: Image.Image) -> float:
    dpi = image.info.get("dpi", (203, 203))[0]
    return float(dpi) if dpi and float(dpi) >= 1 else 203.0


def document_pages(data: bytes, dpi: int) -> list[Page]:
    """The document's pages as grey images at `dpi` dots per inch, with their sizes."""
    dpi = max(MIN_DPI, min(MAX_DPI, int(dpi)))
    if data.startswith(b"%PDF"):
        sizes = pdf_page_sizes(data)
        return [Page(to_qimage(image), width, height)
                for image, (width, height) in zip(pdf_to_images(data, dpi), sizes, strict=True)]
    if data.startswith(PNG_MAGIC):
        with Image.open(io.BytesIO(data)) as image:
            own = _png_dpi(image)
            width_pt, height_pt = image.width * 72 / own, image.height * 72 / own
            grey = image.convert("L")
        if round(own) != dpi:
            # Nearest neighbour: bars and QR modules stay sharp-edged.
            grey = grey.resize((max(1, round(grey.width * dpi / own)),
                                max(1, round(grey.height * dpi / own))), Image.Resampling.NEAREST)
        return [Page(to_qimage(grey), width_pt, height_pt)]
    raise DocumentError("a document for a printer's driver is a PDF or a PNG")


def target_rect(paper_width: float, paper_height: float, page: QImage) -> QRectF:
    """Where a page image goes on the paper (device pixels): at its own size from the top left
    corner, shrunk to fit only when the paper is smaller."""
    scale = min(1.0, paper_width / page.width(), paper_height / page.height())
    if scale > 0.99:
        scale = 1.0  # a dot of rounding: print dot for dot
    return QRectF(0, 0, page.width() * scale, page.height() * scale)


class QtPrinterTransport(Transport):
    """PDF / PNG jobs to a Windows printer through its driver. `spooler` answers the status
    (the printer's winspool transport); `output_file` prints into that PDF file instead of
    the printer (Qt's own PDF output, which stands in for a printer where there is none)."""

    def __init__(self, url: PrinterUrl, *, dpi: int = 203, spooler: Transport | None = None,
                 output_file: Path | None = None) -> None:
        super().__init__(url)
        self.printer_name = url.printer
        self.dpi = dpi
        self.spooler = spooler
        self.output_file = output_file
        self.where = f"Windows printer {url.printer!r}"

    def status(self) -> PrinterStatus:
        if self.spooler is not None:
            return self.spooler.status()
        if self.output_file is not None:
            return PrinterStatus.ONLINE
        return PrinterStatus.OFFLINE if QPrinterInfo.printerInfo(self.printer_name).isNull() \
            else PrinterStatus.UNKNOWN

    def send(self, data: bytes, job_id: str, name: str = "") -> SendResult:
        check_job(data, job_id)
        payload = bytes(data)
        status = PrinterStatus.UNKNOWN
        if self.spooler is not None:
            status = self.spooler.status()
            refuse_unless_ready(status, self.where)
        if QCoreApplication.instance() is None:
            raise PrintError(PrintErrorKind.OFFLINE,
                             f"{self.where}: a PDF prints through Qt, and this process has no "
                             "Qt application; job not sent")
        try:
            width_pt, height_pt = page_size_points(payload)
        except DocumentError as exc:
            raise PrintError(PrintErrorKind.ERROR, f"{self.where}: {exc}; job not sent") \
                from exc
        printer = self._printer(document_name(job_id, name), width_pt, height_pt)
        pages = document_pages(payload, printer.resolution())
        self._paint(printer, pages, len(payload))
        log.debug("%s: job %s (%d pages at %d dpi) through the driver", self.where, job_id,
                  len(pages), printer.resolution())
        return SendResult(job_id, len(payload), self.url.name, True, status,
                          path=self.output_file)

    def _printer(self, doc: str, width_pt: float, height_pt: float) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if self.output_file is not None:
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(self.output_file))
        else:
            if QPrinterInfo.printerInfo(self.printer_name).isNull():
                raise PrintError(PrintErrorKind.OFFLINE,
                                 f"{self.where}: no printer of that name on this PC "
                                 "(Get-Printer in PowerShell lists them); job not sent")
            printer.setPrinterName(self.printer_name)
            # Never a PDF file or another printer instead of the one named.
            if printer.outputFormat() != QPrinter.OutputFormat.NativeFormat \
                    or printer.printerName() != self.printer_name or not printer.isValid():
                raise PrintError(PrintErrorKind.OFFLINE,
                                 f"{self.where}: Qt cannot print to it; job not sent")
        printer.setDocName(doc)
        printer.setCreator("Packline")
        printer.setColorMode(QPrinter.ColorMode.GrayScale)
        printer.setFullPage(True)
        printer.setResolution(self.dpi)
        # A page size is given upright (short side first) and a landscape page as that size
        # turned: Qt turns a landscape layout's size itself, so a wide size given as it is
        # would be turned back upright (and the page drawn shrunk onto it).
        landscape = width_pt > height_pt
        size = QPageSize(QSizeF(min(width_pt, height_pt), max(width_pt, height_pt)),
                         QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.ExactMatch)
        orientation = QPageLayout.Orientation.Landscape if landscape \
            else QPageLayout.Orientation.Portrait
        if not printer.setPageLayout(QPageLayout(size, orientation, QMarginsF(0, 0, 0, 0))):
            log.info("%s: the driver keeps its own paper for a %.0f×%.0f pt page", self.where,
                     width_pt, height_pt)
        return printer

    def _paint(self, printer: QPrinter, pages: list[Page], size: int) -> None:
        painter = QPainter()
        if not painter.begin(printer):
            raise PrintError(PrintErrorKind.OFFLINE,
                             f"{self.where}: the print job could not be started; job not sent")
        drawn = 0
        try:
            paper = printer.paperRect(QPrinter.Unit.DevicePixel)
            for index, page in enumerate(pages):
                if index and not printer.newPage():
                    raise PrintError(PrintErrorKind.DROPPED,
                                     f"{self.where}: the driver refused page {index + 1} of "
                                     f"{len(pages)}; the job may have printed in part",
                                     sent=size)
                painter.drawImage(target_rect(paper.width(), paper.height(), page.image),
                                  page.image)
                drawn += 1
        except BaseException:
            printer.abort()
            painter.end()
            raise
        if not painter.end() or printer.printerState() in (QPrinter.PrinterState.Error,
                                                           QPrinter.PrinterState.Aborted):
            raise PrintError(PrintErrorKind.DROPPED,
                             f"{self.where}: the driver failed at the end of the job "
                             f"({drawn} of {len(pages)} pages drawn); it may or may not have "
                             "printed", sent=size)
