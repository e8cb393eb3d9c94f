"""TSPL for the TSC-style label printers common in Chinese warehouses (TSC, Gprinter, Xprinter
and friends): waybills, bin and tote labels, command cards. Data in, bytes out.

Chinese text uses the printers' built-in simplified Chinese font `TSS24.BF2` (24×24 dots, half
width for ASCII), scaled by whole multiples. TSPL printers sold in China read strings as
GB2312/GB18030, so the whole command stream is encoded GB18030 (a superset: rare characters
outside GB2312 encode fine but may print blank on printers whose font lacks them). Lines end in
CR LF; a `"` inside a string is sent as TSPL's escape `\\["]`.
"""

from __future__ import annotations

from collections.abc import Callable

from app.printing.documents import (
    LABEL_DPIS,
    LINE_PITCH,
    BarcodeBox,
    Document,
    DocumentError,
    Element,
    Frame,
    LabelLayout,
    Paper,
    QrBox,
    Rule,
    TextBox,
    dots,
    label_pages,
    text_cells,
    wrap,
)
from app.printing.zpl import code128_modules, fit_module, qr_modules

FONT = "TSS24.BF2"
FONT_DOTS = 24  # a CJK character of TSS24.BF2 at multiplier 1; ASCII is half as wide
ENCODING = "gb18030"


def render_tspl(doc: Document, paper: Paper | str = Paper.L100X150, dpi: int = 203) -> bytes:
    """TSPL for a waybill, bin label, tote label or command cards (one label per card)."""
    paper = Paper.parse(paper)
    if dpi not in LABEL_DPIS:
        raise DocumentError(f"TSPL labels are rendered at 203 or 300 dpi, not {dpi!r}")
    pages = label_pages(doc, paper)
    first = pages[0]
    out = [f"SIZE {_mm(first.width_mm)} mm,{_mm(first.height_mm)} mm", "GAP 2 mm,0 mm",
           "DIRECTION 1,0", "REFERENCE 0,0"]
    for page in pages:
        out += _label(page, dpi)
    out.append("")
    return "\r\n".join(out).encode(ENCODING)


def _mm(value: float) -> str:
    return f"{value:g}"


def _label(layout: LabelLayout, dpi: int) -> list[str]:
    out = ["CLS"]
    for element in layout.elements:
        out += _element(element, dpi)
    out.append("PRINT 1,1")
    return out


def quote(text: str) -> str:
    return '"' + text.replace('"', '\\["]') + '"'


def _element(el: Element, dpi: int) -> list[str]:
    if isinstance(el, TextBox):
        return _text(el, dpi)
    if isinstance(el, BarcodeBox):
        width = dots(el.width, dpi)
        module = fit_module(el.data, width, dpi)
        x = dots(el.x, dpi) + (width - code128_modules(el.data) * module) // 2
        readable = 1 if el.human_readable else 0
        return [f"BARCODE {x},{dots(el.y, dpi)},\"128\",{dots(el.height, dpi)},{readable},0,"
                f"{module},{module},{quote(el.data)}"]
    if isinstance(el, QrBox):
        size = dots(el.size, dpi)
        modules = qr_modules(el.data)
        cell = max(1, min(10, size // (modules + 4)))
        pad = (size - cell * modules) // 2
        return [f"QRCODE {dots(el.x, dpi) + pad},{dots(el.y, dpi) + pad},M,{cell},A,0,"
                f"{quote(el.data)}"]
    if isinstance(el, Rule):
        return [f"BAR {dots(el.x, dpi)},{dots(el.y, dpi)},{max(1, dots(el.width, dpi))},"
                f"{max(1, dots(el.height, dpi))}"]
    assert isinstance(el, Frame)
    x, y = dots(el.x, dpi), dots(el.y, dpi)
    return [f"BOX {x},{y},{x + dots(el.width, dpi)},{y + dots(el.height, dpi)},"
            f"{max(1, dots(el.thickness, dpi))}"]


def _measure(mul: int) -> Callable[[str], float]:
    half = FONT_DOTS * mul / 2
    return lambda text: text_cells(text) * half


def _text(box: TextBox, dpi: int) -> list[str]:
    if not box.text:
        return []
    # The built-in font only scales by whole multiples of 24 dots: the nearest one, or the
    # one below when the nearer, larger one would not fit the box.
    width = dots(box.width, dpi)
    exact = dots(box.size, dpi) / FONT_DOTS
    mul = max(1, min(10, round(exact)))
    if mul > exact and mul > 1 and len(wrap(box.text, width, _measure(mul))) > box.max_lines:
        mul -= 1
    pitch = round(FONT_DOTS * mul * LINE_PITCH)
    x0, y0 = dots(box.x, dpi), dots(box.y, dpi)
    half = FONT_DOTS * mul / 2
    out = []
    for i, line in enumerate(wrap(box.text, width, _measure(mul), box.max_lines)):
        used = round(text_cells(line) * half)
        x = x0
        if box.align == "center":
            x += max(0, (width - used) // 2)
        elif box.align == "right":
            x += max(0, width - used)
        out.append(f"TEXT {x},{y0 + i * pitch},{quote(FONT)},0,{mul},{mul},{quote(line)}")
    return out
