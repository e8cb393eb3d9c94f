"""TSPL for the TSC-style label printers common in Chinese warehouses (TSC, Gprinter, Xprinter
and friends): waybills, bin and tote labels, command cards. Data in, bytes out.

Chinese text uses the printers' built-in simplified Chinese font `TSS24.BF2` (24×24 dots, half
width for ASCII), scaled by whole multiples. That font holds GB2312 and nothing more: a line
with any other character (堃 喆 垚 赟 玥 珺, CJK Extension B and later, emoji) is drawn with the
font chain (`fonts`) into a bitmap and sent as `BITMAP X,Y,width,height,mode,data`: width in
bytes, height in dots, mode 0 (overwrite), then width × height bytes of raw image rows, most
significant bit leftmost, where a 0 bit prints a dot and a 1 bit leaves the paper white (TSC's
convention), ending in CR LF. A text too long for its box at the font's smallest size (24 dots)
is drawn as a bitmap at a smaller size too (see `TextBox`).

Text commands are encoded GB18030 (the same bytes as GB2312 for what TEXT carries). Lines end
in CR LF; a `"` inside a string is sent as TSPL's escape `\\["]`.
"""

from __future__ import annotations

from collections.abc import Callable

from PIL import ImageChops

from app.printing import fonts
from app.printing.documents import (
    LABEL_DPIS,
    BarcodeBox,
    Document,
    Element,
    Frame,
    LabelLayout,
    Paper,
    QrBox,
    Rule,
    TextBox,
    dot_sizes,
    dots,
    fit_lines,
    label_pages,
)
from app.printing.text_fit import LINE_PITCH, DocumentError, text_cells, wrap
from app.printing.zpl import code128_modules, fit_module, qr_modules

FONT = "TSS24.BF2"
FONT_DOTS = 24  # a CJK character of TSS24.BF2 at multiplier 1; ASCII is half as wide
ENCODING = "gb18030"
FONT_CHARSET = "gb2312"  # what TSS24.BF2 holds


def render_tspl(doc: Document, paper: Paper | str = Paper.L100X150, dpi: int = 203) -> bytes:
    """TSPL for a waybill, bin label, tote label or command cards (one label per card)."""
    paper = Paper.parse(paper)
    if dpi not in LABEL_DPIS:
        raise DocumentError(f"TSPL labels are rendered at 203 or 300 dpi, not {dpi!r}")
    pages = label_pages(doc, paper)
    first = pages[0]
    out: list[str | bytes] = [f"SIZE {_mm(first.width_mm)} mm,{_mm(first.height_mm)} mm",
                              "GAP 2 mm,0 mm", "DIRECTION 1,0", "REFERENCE 0,0"]
    for page in pages:
        out += _label(page, dpi)
    out.append("")
    return b"\r\n".join(line if isinstance(line, bytes) else line.encode(ENCODING)
                         for line in out)


def _mm(value: float) -> str:
    return f"{value:g}"


def _label(layout: LabelLayout, dpi: int) -> list[str | bytes]:
    out: list[str | bytes] = ["CLS"]
    for element in layout.elements:
        out += _element(element, dpi)
    out.append("PRINT 1,1")
    return out


def quote(text: str) -> str:
    return '"' + text.replace('"', '\\["]') + '"'


def _element(el: Element, dpi: int) -> list[str | bytes]:
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


def _measure_both(mul: int) -> Callable[[str], float]:
    """Wide enough for the printer's font and for the bitmap of the same line."""
    cells = _measure(mul)
    drawn = fonts.measure_px(FONT_DOTS * mul)
    return lambda text: max(cells(text), drawn(text))


def _text(box: TextBox, dpi: int) -> list[str | bytes]:
    if not box.text:
        return []
    try:
        return _text_commands(box, dpi)
    except DocumentError as exc:
        if box.field and not str(exc).startswith(box.field):
            raise DocumentError(f"{box.field}: {exc}") from None
        raise


def _text_commands(box: TextBox, dpi: int) -> list[str | bytes]:
    plain = fonts.builtin_font_has(box.text, FONT_CHARSET)
    if not plain:  # drawn by the font chain, at least in part
        fonts.check_printable(box.text, box.field)
    width = dots(box.width, dpi)
    size_dots = dots(box.size, dpi)
    x0, y0 = dots(box.x, dpi), dots(box.y, dpi)
    measure = _measure if plain else _measure_both
    # The built-in font only scales by whole multiples of 24 dots: the nearest one, or the
    # one below when the nearer, larger one would not fit the box.
    exact = size_dots / FONT_DOTS
    mul = max(1, min(10, round(exact)))
    if not box.min_size:
        if mul > exact and mul > 1 and len(wrap(box.text, width, measure(mul))) > box.max_lines:
            mul -= 1
        lines = wrap(box.text, width, measure(mul), box.max_lines)
        return _lines(lines, FONT_DOTS * mul, mul, x0, y0, width, box.align)
    # A box that may shrink: the largest multiple at which all of the text fits its height.
    room = box.max_lines * size_dots * LINE_PITCH * 1.0001
    for m in range(mul, 0, -1):
        lines = wrap(box.text, width, measure(m))
        if len(lines) <= box.max_lines or len(lines) * round(FONT_DOTS * m * LINE_PITCH) <= room:
            return _lines(lines, FONT_DOTS * m, m, x0, y0, width, box.align)
    # Smaller than the font's 24 dots: bitmaps, down to the smallest legible size.
    min_px = max(8, dots(box.min_size, dpi))
    smaller = dot_sizes(min(size_dots, FONT_DOTS - 1), min_px)
    px, lines = fit_lines(box.text, box.max_lines, True, box.field, width,
                          [float(size_dots), *smaller], lambda s: fonts.measure_px(round(s)),
                          shorten=box.shorten)
    return _lines(lines, round(px), 0, x0, y0, width, box.align)


def _lines(lines: list[str], px: int, mul: int, x0: int, y0: int, width: int,
           align: str) -> list[str | bytes]:
    """TEXT for each line the printer's font has (at multiple `mul`; 0: none), BITMAP for
    the others, `px` dots per em, LINE_PITCH apart."""
    pitch = round(px * LINE_PITCH)
    out: list[str | bytes] = []
    for i, line in enumerate(lines):
        y = y0 + i * pitch
        if mul and fonts.builtin_font_has(line, FONT_CHARSET):
            used = round(text_cells(line) * px / 2)
            out.append(f"TEXT {x0 + _offset(align, width, used)},{y},{quote(FONT)},0,{mul},"
                       f"{mul},{quote(line)}")
        else:
            out.append(bitmap_command(line, px, x0, y, width, align))
    return out


def _offset(align: str, width: int, used: int) -> int:
    if align == "center":
        return max(0, (width - used) // 2)
    if align == "right":
        return max(0, width - used)
    return 0


def bitmap_command(line: str, px: int, x0: int, y: int, width: int, align: str) -> bytes:
    """`BITMAP` drawing `line` with the font chain at `px` dots per em."""
    image = fonts.draw_lines([line], px)  # ink is 1
    x = x0 + _offset(align, width, image.width)
    # TSPL prints 0 bits: the payload is the image inverted (rows padded to whole bytes
    # with white).
    bytes_wide = (image.width + 7) // 8
    padded = image.crop((0, 0, bytes_wide * 8, image.height))
    data = ImageChops.invert(padded.convert("L")).convert("1").tobytes()
    return f"BITMAP {x},{y},{bytes_wide},{image.height},0,".encode("ascii") + data
