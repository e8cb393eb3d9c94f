"""PNG: a document's first page as an image, for printers driven by images (through CUPS) and
for the app's label preview. The page is the PDF rendering rasterised with pdfium at the
printer's dpi, so the preview shows exactly what the PDF holds.
"""

from __future__ import annotations

import io
import threading

import pypdfium2 as pdfium  # type: ignore[import-untyped]
from PIL import Image

from app.printing.documents import Document, Paper
from app.printing.pdf import render_pdf
from app.printing.text_fit import DocumentError

# pdfium is not thread-safe: one rasterisation at a time in this process.
_lock = threading.Lock()
MIN_DPI, MAX_DPI = 72, 1200


def pdf_to_images(pdf: bytes, dpi: int = 203, *, first_page_only: bool = False
                  ) -> list[Image.Image]:
    """The pages of a PDF as grayscale images at `dpi` (each a copy, independent of pdfium).
    Shapes are drawn without antialiasing, as a thermal head prints them: crisp bars and QR
    modules without grey seams; text stays smooth for reading."""
    if not MIN_DPI <= dpi <= MAX_DPI:
        raise DocumentError(f"dpi must be {MIN_DPI}-{MAX_DPI}, not {dpi!r}")
    if not pdf.startswith(b"%PDF"):
        raise DocumentError("not a PDF")
    images: list[Image.Image] = []
    with _lock:
        document = pdfium.PdfDocument(pdf)
        try:
            count = 1 if first_page_only else len(document)
            for index in range(count):
                page = document[index]
                try:
                    bitmap = page.render(scale=dpi / 72, grayscale=True, no_smoothpath=True)
                    try:
                        image = bitmap.to_pil()
                        # pdfium rounds the page up; the printer has exactly this many dots.
                        size = (round(page.get_width() * dpi / 72),
                                round(page.get_height() * dpi / 72))
                        images.append(image.crop((0, 0, min(size[0], image.width),
                                                  min(size[1], image.height))))
                    finally:
                        bitmap.close()
                finally:
                    page.close()
        finally:
            document.close()
    return images


def pdf_page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's width and height in points (1/72 inch), as the PDF gives them."""
    if not pdf.startswith(b"%PDF"):
        raise DocumentError("not a PDF")
    with _lock:
        document = pdfium.PdfDocument(pdf)
        try:
            sizes = []
            for index in range(len(document)):
                page = document[index]
                try:
                    width, height = page.get_size()
                    sizes.append((float(width), float(height)))
                finally:
                    page.close()
            return sizes
        finally:
            document.close()


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    # compress_level 1: a label is mostly white, level 1 is small enough and several times
    # faster than the default.
    image.save(buffer, format="PNG", compress_level=1, dpi=_dpi_of(image))
    return buffer.getvalue()


def _dpi_of(image: Image.Image) -> tuple[int, int]:
    dpi = image.info.get("dpi", (203, 203))
    return int(dpi[0]), int(dpi[1])


def render_png(doc: Document, paper: Paper | str | None = None, dpi: int = 203) -> bytes:
    """The first page of the document's PDF as a PNG at `dpi` (multi-page documents: use
    `pdf_to_images` for the rest)."""
    image = pdf_to_images(render_pdf(doc, paper), dpi, first_page_only=True)[0]
    image.info["dpi"] = (dpi, dpi)
    return png_bytes(image)
