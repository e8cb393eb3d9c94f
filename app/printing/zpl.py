"""ZPL II for Zebra and ZPL-compatible label printers: waybills, bin and tote labels, command
cards. Data in, bytes out.

Each label is `^XA … ^XZ` with `^CI28` (field data is UTF-8), `^PW`/`^LL` from the paper and
dpi, the tracking number as Code 128 (`^BC`, subset B, module width fitted to the label) and as
a QR code (`^BQN`, error correction M).

Chinese text, two ways (`cjk`):

* ``"font"``: the printer's resident CJK TrueType font, mapped with `^CW1,E:SIMSUN.TTF` (the
  path is a parameter) and used with `^A1N`. Field data is UTF-8; `^`, `~` and `_` are sent as
  `^FH` hex escapes so a receiver's name can never end a field or start a command. SimSun has
  GBK's characters; a text with any other (CJK Extension B and later, emoji) is sent as a
  graphic, as below.
* ``"graphic"`` (default, for printers without a CJK font): each Chinese text block is drawn
  with the font chain (`fonts`) into a 1-bit bitmap and sent as `^GFA` in ZPL's own ASCII
  compression (repeat counts G–Y = 1–19 and g–z = 20–400, `,` for a row's trailing zeros, `:`
  for a row equal to the one before). Every ZPL II firmware reads it; Z64 needs newer
  firmware, so it is not used. Bitmaps are cached per text and size: the sender block and the
  field labels are drawn once per process.

ASCII-only text uses the resident scalable font 0 in graphic mode, so numbers stay crisp and
searchable in the ZPL.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from app.printing import fonts
from app.printing.documents import (
    LABEL_DPIS,
    BarcodeBox,
    Document,
    Element,
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
from app.printing.text_fit import LINE_PITCH, DocumentError, text_cells

CJK_MODES = ("graphic", "font")
DEFAULT_RESIDENT_FONT = "E:SIMSUN.TTF"
_RESIDENT_ID = "1"


def render_zpl(doc: Document, paper: Paper | str = Paper.L100X150, dpi: int = 203, *,
               cjk: str = "graphic", resident_font: str = DEFAULT_RESIDENT_FONT) -> bytes:
    """ZPL for a waybill, bin label, tote label or command cards (one label per card)."""
    paper = Paper.parse(paper)
    if dpi not in LABEL_DPIS:
        raise DocumentError(f"ZPL labels are rendered at 203 or 300 dpi, not {dpi!r}")
    if cjk not in CJK_MODES:
        raise DocumentError(f"cjk must be 'graphic' or 'font', not {cjk!r}")
    if not re.fullmatch(r"[A-Z]:[\w.\-]+", resident_font):
        raise DocumentError(f"resident font must look like E:SIMSUN.TTF, not {resident_font!r}")
    pages = label_pages(doc, paper)
    return "".join(_label(page, dpi, cjk, resident_font) for page in pages).encode("utf-8")


def _label(layout: LabelLayout, dpi: int, cjk: str, resident_font: str) -> str:
    out = ["^XA", "^CI28", f"^PW{dots(layout.width_mm, dpi)}",
           f"^LL{dots(layout.height_mm, dpi)}", "^LH0,0", "^PON"]
    if cjk == "font":
        out.append(f"^CW{_RESIDENT_ID},{resident_font}")
    for element in layout.elements:
        out.append(_element(element, dpi, cjk))
    out += ["^PQ1", "^XZ", ""]
    return "\n".join(out)


def _element(el: Element, dpi: int, cjk: str) -> str:
    if isinstance(el, TextBox):
        return _text(el, dpi, cjk)
    if isinstance(el, BarcodeBox):
        return _barcode(el, dpi)
    if isinstance(el, QrBox):
        return _qr(el, dpi)
    if isinstance(el, Rule):
        w, h = max(1, dots(el.width, dpi)), max(1, dots(el.height, dpi))
        return f"^FO{dots(el.x, dpi)},{dots(el.y, dpi)}^GB{w},{h},{min(w, h)}^FS"
    w, h = dots(el.width, dpi), dots(el.height, dpi)
    t = max(1, dots(el.thickness, dpi))
    return f"^FO{dots(el.x, dpi)},{dots(el.y, dpi)}^GB{w},{h},{t}^FS"


# -- text ---------------------------------------------------------------------------------------


def field_data(text: str) -> str:
    """`^FD…` for `text`, with `^FH` hex escapes (of the UTF-8 bytes) for the characters that
    would otherwise end the field or start a command."""
    if not any(c in text for c in "^~_"):
        return f"^FD{text}"
    escaped = text.replace("_", "_5F").replace("^", "_5E").replace("~", "_7E")
    return f"^FH^FD{escaped}"


def _text(box: TextBox, dpi: int, cjk: str) -> str:
    if not box.text:
        return ""
    try:
        return _text_commands(box, dpi, cjk)
    except DocumentError as exc:
        if box.field and not str(exc).startswith(box.field):
            raise DocumentError(f"{box.field}: {exc}") from None
        raise


def _text_commands(box: TextBox, dpi: int, cjk: str) -> str:
    px = max(8, dots(box.size, dpi))
    min_px = max(8, dots(box.min_size, dpi)) if box.min_size else 0
    width = dots(box.width, dpi)
    x0, y0 = dots(box.x, dpi), dots(box.y, dpi)
    if not box.text.isascii() and (cjk == "graphic"
                                  or not fonts.builtin_font_has(box.text, "gbk")):
        graphic, image_w = _graphic_text(box.text, px, width, box.max_lines, box.align,
                                         min_px, box.shorten, fonts.find_cjk_font())
        return f"^FO{x0 + _offset(box.align, width, image_w)},{y0}{graphic}^FS"
    font = _RESIDENT_ID if cjk == "font" else "0"

    # Resident fonts: half-width characters about half an em wide, CJK a full em.
    def measure_at(size: float) -> Callable[[str], float]:
        return lambda s: text_cells(s) * size * 0.5

    size, lines = fit_lines(box.text, box.max_lines, bool(min_px), box.field, width,
                            dot_sizes(px, min_px), measure_at, shorten=box.shorten)
    em = round(size)
    pitch = round(em * LINE_PITCH)
    out = []
    for i, line in enumerate(lines):
        x = x0 + _offset(box.align, width, round(measure_at(em)(line)))
        out.append(f"^FO{x},{y0 + i * pitch}^A{font}N,{em},{em}{field_data(line)}^FS")
    return "".join(out)


def _offset(align: str, width: int, used: int) -> int:
    if align == "center":
        return max(0, (width - used) // 2)
    if align == "right":
        return max(0, width - used)
    return 0


@lru_cache(maxsize=4096)
def _graphic_text(text: str, px: int, width: int, max_lines: int, align: str, min_px: int,
                  shorten: bool, font: fonts.CjkFont) -> tuple[str, int]:
    # `font` is part of the key so a different PACKLINE_CJK_FONT is not served stale bitmaps.
    del font
    size, lines = fit_lines(text, max_lines, bool(min_px), "", width, dot_sizes(px, min_px),
                            lambda s: fonts.measure_px(round(s)), shorten=shorten)
    image = fonts.draw_lines(lines or [""], round(size), align=align)
    return graphic_field(image.tobytes(), image.width, image.height), image.width


def graphic_field(bits: bytes, width: int, height: int) -> str:
    """`^GFA` for a 1-bit image given as packed rows (1 = black, rows padded to whole bytes,
    as PIL's mode "1" `tobytes()` gives them), in ZPL ASCII compression."""
    per_row = (width + 7) // 8
    total = per_row * height
    if len(bits) != total:
        raise ValueError(f"{len(bits)} bytes do not make {height} rows of {per_row}")
    hexed = bits.hex().upper()
    step = per_row * 2
    out: list[str] = []
    previous = None
    for start in range(0, len(hexed), step):
        row = hexed[start:start + step]
        if row == previous:
            out.append(":")
            continue
        previous = row
        out.append(compress_row(row))
    return f"^GFA,{total},{total},{per_row},{''.join(out)}"


_RUN = re.compile(r"([0-9A-F])\1{2,}")


class _Runs(dict[str, str]):
    """A run of one hex digit → its compressed form ("000000" → "L0"), worked out once: a
    label's bitmaps hold thousands of runs of a few hundred kinds."""

    def __missing__(self, run: str) -> str:
        code = repeat_code(len(run)) + run[0]
        self[run] = code
        return code


_RUNS = _Runs()


def _run(match: re.Match[str]) -> str:
    return _RUNS[match[0]]


def compress_row(row: str) -> str:
    """One row of hex digits in ZPL ASCII compression (without the `:` row repeat)."""
    body = row.rstrip("0")
    tail = "," if len(body) < len(row) else ""
    if not body:
        return ","
    return _RUN.sub(_run, body) + tail


def repeat_code(count: int) -> str:
    """ZPL's repeat count prefix: z = 400 (repeatable), g–y = 20–380, G–Y = 1–19."""
    out = "z" * (count // 400)
    count %= 400
    if count >= 20:
        out += chr(ord("g") + count // 20 - 1)
        count %= 20
    if count:
        out += chr(ord("G") + count - 1)
    return out


# -- barcodes -----------------------------------------------------------------------------------


def code128_modules(data: str) -> int:
    """Modules of a Code 128 symbol in subset B: start, data, check (11 each), stop (13)."""
    return 11 * (len(data) + 2) + 13


def fit_module(data: str, width_dots: int, dpi: int) -> int:
    """The widest module (dots) up to the dpi's default (0.375 / 0.34 mm) with which the
    symbol and its quiet zones (10 modules each side) fit `width_dots`."""
    modules = code128_modules(data) + 20
    module = 3 if dpi < 250 else 4
    while module > 1 and modules * module > width_dots:
        module -= 1
    if modules * module > width_dots:
        raise DocumentError(f"barcode {data!r} is too long for a {width_dots}-dot wide field")
    return module


def _barcode(box: BarcodeBox, dpi: int) -> str:
    width = dots(box.width, dpi)
    module = fit_module(box.data, width, dpi)
    used = code128_modules(box.data) * module
    x = dots(box.x, dpi) + (width - used) // 2
    h = dots(box.height, dpi)
    line = "Y" if box.human_readable else "N"
    return (f"^FO{x},{dots(box.y, dpi)}^BY{module},3,{h}^BCN,{h},{line},N,N"
            f"{field_data(box.data)}^FS")


def qr_modules(data: str) -> int:
    """Modules per side of the QR symbol for `data` at error correction M (byte mode)."""
    capacity = (14, 26, 42, 62, 84, 106, 122, 152, 180, 213)
    size = len(data.encode("utf-8"))
    for version, cap in enumerate(capacity, start=1):
        if size <= cap:
            return 17 + 4 * version
    raise DocumentError(f"QR data of {size} bytes is too long for a label")


def _qr(box: QrBox, dpi: int) -> str:
    size = dots(box.size, dpi)
    # Quiet zone of two modules each side inside the box; the layout leaves more around it.
    magnification = max(1, min(10, size // (qr_modules(box.data) + 4)))
    pad = (size - magnification * qr_modules(box.data)) // 2
    return (f"^FO{dots(box.x, dpi) + pad},{dots(box.y, dpi) + pad}^BQN,2,{magnification}"
            f"{field_data('MA,' + box.data)}^FS")
