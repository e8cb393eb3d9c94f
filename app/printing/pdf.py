"""PDF with reportlab: waybills and bin, tote and command-card labels on label paper, the
command-card sheet and pick list on A4, packing slips and pick lists on the 80 mm roll, the
carrier manifest on A4. Data in, bytes out; the same PDF feeds the PNG renderer and the app's
label preview.

Every text is set in the font chain from `fonts` (the CJK font, then the fallbacks for the
characters it lacks: rare ideographs of CJK Extensions B–G, symbols, emoji), each font used
embedded as subsets (`/FontFile2`), so a PDF prints the same on any computer; no font is left for
the viewer to substitute. A text that does not fit its box is shrunk (see `TextBox`). Barcodes
are vectors: Code 128 from `reportlab.graphics.barcode.code128`; QR codes from reportlab's QR
encoder (`reportlab.graphics.barcode.qrencoder`), whose modules are drawn as runs of rectangles
directly, which is several times faster than its drawing widget and looks the same. Output is
invariant (no timestamps, fixed ids): the same document gives the same bytes.
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Callable
from functools import lru_cache

from reportlab.graphics.barcode import code128, qrencoder  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

from app.printing import fonts
from app.printing.documents import (
    BarcodeBox,
    CommandCards,
    Document,
    Frame,
    LabelLayout,
    Manifest,
    PackingSlip,
    Paper,
    PickList,
    QrBox,
    Rule,
    TextBox,
    fit_text,
    format_time,
    format_weight,
    label_pages,
    mm_sizes,
)
from app.printing.roll import Row, pick_list_rows, slip_rows
from app.printing.text_fit import LINE_PITCH, DocumentError, wrap

# reportlab keeps per-document font subsetting state on the shared font object: one document
# at a time.
_lock = threading.Lock()
_BASELINE = 0.88  # baseline below a line's top, in ems (the WenQuanYi glyphs' ascent)
MODULE_MM = 0.375  # Code 128 module: 3 dots at 203 dpi
MM = float(mm)  # points per millimetre


def render_pdf(doc: Document, paper: Paper | str | None = None, dpi: int = 203) -> bytes:
    """The document as a PDF on `paper` (label documents on label paper; command cards also
    as an A4 sheet; packing slips on the 80 mm roll; pick lists on A4 or the roll; manifests on
    A4). `dpi` is not needed for vectors; it is accepted so all renderers share a signature."""
    del dpi
    paper = Paper.parse(paper) if paper is not None else _default_paper(doc)
    with _lock:
        if paper.is_label:
            return _labels(label_pages(doc, paper), _title(doc))
        if isinstance(doc, CommandCards) and paper is Paper.A4:
            return _card_sheet(doc)
        if isinstance(doc, PackingSlip) and paper is Paper.ROLL80:
            return _packing_slip(doc)
        if isinstance(doc, PickList) and paper is Paper.A4:
            return _pick_list_a4(doc)
        if isinstance(doc, PickList) and paper is Paper.ROLL80:
            return _pick_list_roll(doc)
        if isinstance(doc, Manifest) and paper is Paper.A4:
            return _manifest(doc)
    raise DocumentError(f"a {type(doc).__name__} is not printed as PDF on {paper.value}")


def _default_paper(doc: Document) -> Paper:
    if isinstance(doc, PackingSlip):
        return Paper.ROLL80
    if isinstance(doc, PickList | Manifest | CommandCards):
        return Paper.A4
    return Paper.L100X150


def _title(doc: Document) -> str:
    for attribute in ("tracking_no", "order_no", "wave_no", "batch_no", "code"):
        value = getattr(doc, attribute, None)
        if isinstance(value, str):
            return f"{type(doc).__name__} {value}"
    return type(doc).__name__


# -- drawing primitives (millimetres from the page's top-left corner) ---------------------------


class _Page:
    def __init__(self, buffer: io.BytesIO, width: float, height: float, title: str) -> None:
        self.font = fonts.reportlab_font()
        self.width, self.height = width, height
        self.c = Canvas(buffer, pagesize=(width * mm, height * mm), invariant=1,
                        pageCompression=1, initialFontName=self.font)
        self.c.setTitle(title)
        self.c.setAuthor("Packline")
        self.c.setCreator("Packline")

    def new_page(self, height: float | None = None) -> None:
        self.c.showPage()
        if height is not None:
            self.height = height
            self.c.setPageSize((self.width * mm, height * mm))

    def measure(self, size: float) -> Callable[[str], float]:
        return measure_mm(size)

    def text(self, x: float, top: float, size: float, text: str, *, width: float = 0,
             align: str = "left", max_lines: int = 1) -> float:
        """Draw `text` wrapped to `width` (no wrapping without one); return the height used."""
        lines = wrap(text, width, self.measure(size), max_lines) if width else [text]
        self.lines(x, top, size, lines, width, align)
        return size * LINE_PITCH * len(lines)

    def box(self, box: TextBox) -> None:
        """A layout's text box: shrunk to fit when it may be (see `TextBox`)."""
        try:
            size, lines = fit_text(box, box.width, mm_sizes(box.size, box.min_size),
                                   measure_mm)
        except DocumentError as exc:
            raise _named(exc, box.field) from None
        self.lines(box.x, box.y, size, lines, box.width, box.align)

    def lines(self, x: float, top: float, size: float, lines: list[str], width: float,
              align: str) -> None:
        points = size * mm
        pitch = size * LINE_PITCH
        for i, line in enumerate(lines):
            y = (self.height - top - i * pitch - size * _BASELINE) * mm
            runs = fonts.reportlab_runs(line)
            widths = [float(pdfmetrics.stringWidth(run, name, points)) for name, run in runs]
            left = x * mm
            if align == "center":
                left = (x + width / 2) * mm - sum(widths) / 2
            elif align == "right":
                left = (x + width) * mm - sum(widths)
            for (name, run), run_w in zip(runs, widths, strict=True):
                self.c.setFont(name, points)
                self.c.drawString(left, y, run)
                left += run_w

    def rect(self, x: float, top: float, width: float, height: float, *, fill: bool = True,
             line: float = 0.3) -> None:
        self.c.setLineWidth(line * mm)
        self.c.rect(x * mm, (self.height - top - height) * mm, width * mm, height * mm,
                    stroke=0 if fill else 1, fill=1 if fill else 0)

    def dashed(self, x: float, top: float, width: float, height: float) -> None:
        self.c.saveState()
        self.c.setDash(2 * mm, 1.5 * mm)
        self.rect(x, top, width, height, fill=False, line=0.2)
        self.c.restoreState()

    def code128(self, data: str, x: float, top: float, width: float, height: float, *,
                human_readable: bool = True, text_size: float = 3.0) -> float:
        """A Code 128 symbol centred in (x, width); return the height used."""
        module = MODULE_MM
        symbol = code128.Code128(data, barHeight=height * mm, barWidth=module * mm,
                                 quiet=False, humanReadable=False)
        modules = symbol.width / (module * mm)
        # Quiet zones of 10 modules each side must fit too.
        while module > 0.19 and (modules + 20) * module > width:
            module = max(0.19, module - 0.025)
        if (modules + 20) * module > width:
            raise DocumentError(f"barcode {data!r} is too long for {width:.0f} mm")
        if module != MODULE_MM:
            symbol = code128.Code128(data, barHeight=height * mm, barWidth=module * mm,
                                     quiet=False, humanReadable=False)
        left = x + (width - modules * module) / 2
        symbol.drawOn(self.c, left * mm, (self.height - top - height) * mm)
        used = height
        if human_readable:
            used += 0.8 + self.text(x, top + height + 0.8, text_size, data, width=width,
                                    align="center")
        return used

    def qr(self, data: str, x: float, top: float, size: float) -> None:
        matrix = qr_matrix(data)
        count = len(matrix)
        module = size / (count + 4)  # two modules of quiet zone each side inside the box
        left, upper = x + 2 * module, top + 2 * module
        path = self.c.beginPath()
        for r, row in enumerate(matrix):
            c = 0
            while c < count:
                if not row[c]:
                    c += 1
                    continue
                start = c
                while c < count and row[c]:
                    c += 1
                # Runs overlap the next row by a hair so no white seams show between rows.
                path.rect((left + start * module) * mm,
                          (self.height - upper - (r + 1) * module) * mm,
                          (c - start) * module * mm, module * mm * 1.02)
        self.c.drawPath(path, stroke=0, fill=1)

    def finish(self) -> None:
        self.c.showPage()
        self.c.save()


def measure_mm(size: float) -> Callable[[str], float]:
    """Width in millimetres of a text set by the font chain at `size` mm."""
    points = size * mm
    chain = fonts.font_chain()
    string_width = pdfmetrics.stringWidth

    def width_mm(text: str) -> float:
        return sum(float(string_width(run, chain.reportlab_name(i), points))
                   for i, run in chain.runs(text)) / MM

    return width_mm


def _named(exc: DocumentError, field: str) -> DocumentError:
    text = str(exc)
    if field and not text.startswith(field):
        text = f"{field}: {text}"
    return DocumentError(text)


@lru_cache(maxsize=2048)
def qr_matrix(data: str) -> tuple[tuple[bool, ...], ...]:
    """The QR modules for `data` at error correction M (reprints and labels hit the cache)."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(data)
    code.make()
    n = code.getModuleCount()
    return tuple(tuple(bool(code.isDark(r, c)) for c in range(n)) for r in range(n))


# -- labels -------------------------------------------------------------------------------------


def _labels(pages: tuple[LabelLayout, ...], title: str) -> bytes:
    buffer = io.BytesIO()
    page = _Page(buffer, pages[0].width_mm, pages[0].height_mm, title)
    for i, layout in enumerate(pages):
        if i:
            page.new_page()
        for el in layout.elements:
            if isinstance(el, TextBox):
                if el.text:
                    page.box(el)
            elif isinstance(el, BarcodeBox):
                page.code128(el.data, el.x, el.y, el.width, el.height,
                             human_readable=el.human_readable)
            elif isinstance(el, QrBox):
                page.qr(el.data, el.x, el.y, el.size)
            elif isinstance(el, Rule):
                page.rect(el.x, el.y, el.width, el.height)
            elif isinstance(el, Frame):
                half = el.thickness / 2
                page.rect(el.x + half, el.y + half, el.width - el.thickness,
                          el.height - el.thickness, fill=False, line=el.thickness)
    page.finish()
    return buffer.getvalue()


def _card_sheet(cards: CommandCards) -> bytes:
    """Command cards on A4: two columns of 90 × 85 mm cards with dashed cut lines."""
    buffer = io.BytesIO()
    page = _Page(buffer, 210, 297, "Command cards")
    card_w, card_h, left, top = 90.0, 85.0, 12.0, 14.0
    per_page = 6
    for i, card in enumerate(cards.cards):
        if i and i % per_page == 0:
            page.new_page()
        slot = i % per_page
        x = left + (slot % 2) * (card_w + 6)
        y = top + (slot // 2) * (card_h + 4)
        page.dashed(x, y, card_w, card_h)
        if card.label:
            page.text(x, y + 6, 14, card.label, width=card_w, align="center")
        page.code128(card.code, x + 3, y + 26, card_w - 6, 34, human_readable=False)
        page.text(x, y + 66, 6, card.code, width=card_w, align="center")
    page.finish()
    return buffer.getvalue()


# -- the roll: packing slip and pick list -------------------------------------------------------


class _Roll:
    """Content flowing down an 80 mm roll (72 mm printable): items are measured first, the page
    is then made exactly as long as they need."""

    WIDTH, MARGIN = 80.0, 4.0

    def __init__(self) -> None:
        self.inner = self.WIDTH - 2 * self.MARGIN
        self.items: list[tuple[float, Callable[[_Page, float], object]]] = []
        self._measure = _Measure()

    def text(self, text: str, size: float = 3.2, align: str = "left") -> None:
        for line in wrap(text, self.inner, self._measure(size)) or [""]:
            self.items.append((size * LINE_PITCH, self._line(line, size, align)))

    def _line(self, line: str, size: float, align: str) -> Callable[[_Page, float], object]:
        def draw(page: _Page, top: float) -> object:
            return page.text(self.MARGIN, top, size, line, width=self.inner, align=align)

        return draw

    def pair(self, left: str, right: str, size: float = 3.2) -> None:
        measure = self._measure(size)
        if measure(left) + measure(right) + 2 > self.inner:
            self.text(left, size)
            left = ""

        def draw(p: _Page, top: float) -> None:
            p.text(self.MARGIN, top, size, left)
            p.text(self.MARGIN, top, size, right, width=self.inner, align="right")

        self.items.append((size * LINE_PITCH, draw))

    def rule(self) -> None:
        self.items.append((2.0, lambda p, top: p.rect(self.MARGIN, top + 0.8, self.inner, 0.25)))

    def space(self, height: float) -> None:
        self.items.append((height, lambda p, top: None))

    def barcode(self, data: str, height: float = 12.0) -> None:
        self.items.append((height + 6, lambda p, top: p.code128(
            data, self.MARGIN, top + 1, self.inner, height)))

    def qr(self, data: str, size: float = 24.0) -> None:
        self.items.append((size + 2, lambda p, top: p.qr(
            data, (self.WIDTH - size) / 2, top + 1, size)))

    def render(self, title: str) -> bytes:
        height = sum(h for h, _ in self.items) + 2 * self.MARGIN + 6
        buffer = io.BytesIO()
        page = _Page(buffer, self.WIDTH, height, title)
        top = self.MARGIN
        for item_height, draw in self.items:
            draw(page, top)
            top += item_height
        page.finish()
        return buffer.getvalue()


class _Measure:
    def __call__(self, size: float) -> Callable[[str], float]:
        return measure_mm(size)


def _play(roll: _Roll, rows: list[Row]) -> _Roll:
    for kind, *args in rows:
        if kind == "heading":
            roll.text(args[0], 5.0, "center")
        elif kind == "line":
            roll.text(args[0])
        elif kind == "pair":
            roll.pair(args[0], args[1])
        elif kind == "big pair":
            roll.pair(args[0], args[1], 5.0)
        elif kind == "rule":
            roll.rule()
        elif kind == "space":
            roll.space(2)
        elif kind == "barcode":
            roll.barcode(args[0])
        elif kind == "qr":
            roll.qr(args[0])
    return roll


def _packing_slip(slip: PackingSlip) -> bytes:
    return _play(_Roll(), slip_rows(slip)).render(f"PackingSlip {slip.order_no}")


def _pick_list_roll(pick: PickList) -> bytes:
    return _play(_Roll(), pick_list_rows(pick)).render(f"PickList {pick.wave_no}")


# -- A4 tables: pick list and manifest ----------------------------------------------------------

_A4_W, _A4_H, _A4_M = 210.0, 297.0, 12.0
_HEADER = _A4_M + 21  # where the repeated page header ends


def _a4_header(page: _Page, title: str, code: str, facts: list[tuple[str, str]],
               number: int, pages: int) -> None:
    """The header every page repeats: title, the document's barcode, facts, page n/N."""
    page.text(_A4_M, _A4_M, 7.0, title)
    page.code128(code, _A4_W - _A4_M - 80, _A4_M - 2, 80, 11, text_size=3.2)
    x = _A4_M
    for label, value in facts:  # below the barcode's text, which reaches about M + 14
        text = f"{label} {value}"
        page.text(x, _HEADER - 5, 3.4, text)
        x += page.measure(3.4)(text) + 6
    page.text(_A4_M, _A4_H - 9, 3.0, f"第 {number} / {pages} 页", width=_A4_W - 2 * _A4_M,
              align="center")


def _columns(page: _Page, top: float, columns: list[tuple[str, float]]) -> None:
    x = _A4_M
    for label, width in columns:
        page.text(x + 1, top, 3.4, label)
        x += width
    page.rect(_A4_M, top + 5.2, _A4_W - 2 * _A4_M, 0.4)


def _pick_list_a4(pick: PickList) -> bytes:
    columns = [("序号", 10.0), ("库位", 40.0), ("商品", 52.0), ("商品条码", 48.0),
               ("数量", 16.0), ("周转箱/格", 20.0)]
    row_h, first_row = 17.0, _HEADER + 8
    per_page = int((_A4_H - _A4_M - 10 - first_row) // row_h)
    pages = max(1, math.ceil(len(pick.tasks) / per_page))
    facts = [("波次", pick.wave_no), ("仓库", pick.warehouse), ("策略", pick.strategy),
             ("拣货员", pick.picker), ("打印", format_time(pick.printed_at))]
    facts = [(k, v) for k, v in facts if v]
    buffer = io.BytesIO()
    page = _Page(buffer, _A4_W, _A4_H, f"PickList {pick.wave_no}")
    for number in range(1, pages + 1):
        if number > 1:
            page.new_page()
        _a4_header(page, "拣货单", pick.wave_no, facts, number, pages)
        _columns(page, first_row - 7, columns)
        tasks = pick.tasks[(number - 1) * per_page:number * per_page]
        for i, task in enumerate(tasks):
            top = first_row + i * row_h
            x = _A4_M
            page.text(x + 1, top + 2, 4.0, str(task.seq))
            x += columns[0][1]
            page.text(x + 1, top + 2, 4.2, task.bin, width=columns[1][1] - 2, max_lines=2)
            x += columns[1][1]
            page.text(x + 1, top + 1.5, 3.2, task.sku, width=columns[2][1] - 2)
            page.text(x + 1, top + 6, 3.0, task.name, width=columns[2][1] - 2, max_lines=3)
            x += columns[2][1]
            if task.barcode:
                page.code128(task.barcode, x, top + 1.5, columns[3][1], 9.0, text_size=2.6)
            x += columns[3][1]
            page.text(x, top + 3, 7.0, str(task.qty), width=columns[4][1], align="center")
            x += columns[4][1]
            page.text(x + 1, top + 4, 4.5, task.tote_cell, width=columns[5][1] - 1,
                      max_lines=2)
            page.rect(_A4_M, top + row_h - 0.6, _A4_W - 2 * _A4_M, 0.2)
    page.finish()
    return buffer.getvalue()


def _manifest(manifest: Manifest) -> bytes:
    columns = [("序号", 16.0), ("运单号", 64.0), ("订单号", 64.0), ("重量", 42.0)]
    row_h, first_row = 7.0, _HEADER + 14
    per_page = int((_A4_H - _A4_M - 12 - first_row) // row_h)
    signatures = 24.0  # below the last row: three signature lines
    pages = max(1, math.ceil(len(manifest.parcels) / per_page))
    last_rows = len(manifest.parcels) - (pages - 1) * per_page
    if first_row + last_rows * row_h + signatures > _A4_H - _A4_M - 12:
        pages += 1  # the signatures get a page of their own
    weights = [p.weight_g for p in manifest.parcels if p.weight_g is not None]
    facts = [("承运商", manifest.carrier), ("批次", manifest.batch_no),
             ("仓库", manifest.warehouse), ("交接人", manifest.handed_over_by),
             ("打印", format_time(manifest.printed_at))]
    facts = [(k, v) for k, v in facts if v]
    buffer = io.BytesIO()
    page = _Page(buffer, _A4_W, _A4_H, f"Manifest {manifest.batch_no}")
    for number in range(1, pages + 1):
        if number > 1:
            page.new_page()
        _a4_header(page, "交接清单", manifest.batch_no, facts, number, pages)
        page.text(_A4_M, _HEADER, 3.4, f"共 {len(manifest.parcels)} 件  总重 "
                  f"{format_weight(sum(weights)) if weights else '-'}")
        _columns(page, first_row - 7, columns)
        rows = manifest.parcels[(number - 1) * per_page:number * per_page]
        for i, parcel in enumerate(rows):
            top = first_row + i * row_h
            values = [str((number - 1) * per_page + i + 1), parcel.tracking_no,
                      parcel.order_no, format_weight(parcel.weight_g) or "-"]
            x = _A4_M
            for (_, width), value in zip(columns, values, strict=True):
                page.text(x + 1, top + 1.2, 3.6, value, width=width - 2)
                x += width
            page.rect(_A4_M, top + row_h - 0.5, _A4_W - 2 * _A4_M, 0.15)
        if number == pages:
            top = first_row + len(rows) * row_h + 10
            for i, label in enumerate(("交接人签字", "承运人签字", "交接时间")):
                x = _A4_M + i * 62
                page.text(x, top, 3.6, label)
                page.rect(x, top + 12, 55, 0.3)
    page.finish()
    return buffer.getvalue()
