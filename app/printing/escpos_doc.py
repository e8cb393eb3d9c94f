"""ESC/POS for 80 mm receipt printers: packing slips, pick lists, command cards and waybills, built with
python-escpos on a `Dummy` printer whose output bytes are returned. Data in, bytes out.

Chinese text, two ways (`chinese_font`):

* ``True``: for printers with a Chinese font (nearly every printer sold in China). A line with
  Chinese is sent as raw bytes: FS & (enter Chinese mode), the line in GB18030, FS . (leave).
  python-escpos's code-page machinery knows no GB18030, hence the raw bytes. ASCII lines go
  through python-escpos's `text()`. The QR code is the printer's own (GS ( k). The printers'
  font is GB2312: a line with any other character (堃, CJK Extension B, emoji) is sent as a
  raster image, as below.
* ``False``: for printers without one. The text is drawn with the font chain (`fonts`) into
  1-bit images sent as raster bit images (GS v 0); the QR code is an image too.

Either way the order number (or wave number, or command code) is a Code 128 barcode drawn by
the printer (GS k, function B), and each document ends in a cut (GS V).
"""

from __future__ import annotations

import contextlib
import io
import threading
from collections.abc import Iterator

from escpos.printer import Dummy  # type: ignore[import-untyped]
from PIL import Image

from app.printing import fonts
from app.printing.documents import CommandCards, Document, PackingSlip, Paper, PickList, Waybill
from app.printing.roll import Row, pick_list_rows, slip_rows, waybill_rows
from app.printing.text_fit import DocumentError, text_cells, wrap
from app.printing.zpl import code128_modules

FS_CHINESE_ON = b"\x1c\x26"  # FS &
FS_CHINESE_OFF = b"\x1c\x2e"  # FS .
ENCODING = "gb18030"

# python-escpos profiles with the roll's printable width, so image() checks the width.
_PROFILES = {203: ("TM-T20II", 576), 180: ("TM-T88V", 512)}
_FONT_A = 12  # dots per half-width character of font A: 48 columns on 576 dots

_Line = tuple[str, str, int, str]  # left text, right-aligned text, size (1 or 2), alignment

# python-escpos's barcode() announces its renderer with print(); stdout may be carrying
# rendered bytes (`packline label render -o -`), so it is silenced, one document at a time.
_stdout_lock = threading.Lock()


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    with _stdout_lock, contextlib.redirect_stdout(io.StringIO()):
        yield


def render_escpos(doc: Document, paper: Paper | str = Paper.ROLL80, dpi: int = 203, *,
                  chinese_font: bool = False) -> bytes:
    """ESC/POS bytes for a packing slip, pick list, command cards or a waybill (for a bench
    whose only printer is a receipt printer) on the 80 mm roll."""
    paper = Paper.parse(paper)
    if paper is not Paper.ROLL80:
        raise DocumentError(f"ESC/POS documents are printed on the 80mm roll, not {paper.value}")
    if dpi not in _PROFILES:
        raise DocumentError(f"ESC/POS rolls are rendered at 203 (576 dots) or 180 dpi "
                            f"(512 dots), not {dpi!r}")
    slip = _Writer(dpi, chinese_font)
    if isinstance(doc, PackingSlip):
        _packing_slip(slip, doc)
    elif isinstance(doc, PickList):
        _pick_list(slip, doc)
    elif isinstance(doc, CommandCards):
        _command_cards(slip, doc)
    elif isinstance(doc, Waybill):
        _play(slip, waybill_rows(doc))
        slip.cut()
    else:
        raise DocumentError(f"a {type(doc).__name__} is not printed in ESC/POS")
    return slip.finish()


class _Writer:
    """Lines, rules, barcodes and cuts on one Dummy printer; in raster mode consecutive text
    lines are collected and sent as one image."""

    def __init__(self, dpi: int, chinese_font: bool) -> None:
        profile, self.width = _PROFILES[dpi]
        self.p = Dummy(profile=profile)
        self.native = chinese_font
        self.columns = self.width // _FONT_A
        self._pending: list[_Line] = []  # raster mode: lines waiting to become one image
        self._style: tuple[str, int] | None = None
        self.p.hw("INIT")

    def line(self, text: str, size: int = 1, align: str = "left") -> None:
        columns = self.columns // size
        def measure(s: str) -> float:
            if _font_has(s):
                return text_cells(s)
            # Drawn by the font chain, whose emoji and symbols may be wider than two cells.
            return max(text_cells(s), fonts.text_length(s, 24 * size) / (_FONT_A * size))

        parts = [text] if measure(text) <= columns else wrap(text, columns, measure)
        for part in parts or [""]:
            self._line(part, "", size, align)

    def pair(self, left: str, right: str, size: int = 1) -> None:
        """`left` and `right` on one line, `right` flush right (left wraps if needed)."""
        columns = self.columns // size
        if text_cells(left) + text_cells(right) + 1 > columns:
            self.line(left, size)
            left = ""
        self._line(left, right, size, "left")

    def _line(self, left: str, right: str, size: int, align: str) -> None:
        if not self.native or not _font_has(left + right):
            fonts.check_printable(left + right, "a line of the slip")
            self._pending.append((left, right, size, align))
            return
        self._flush()
        if right:
            left += " " * (self.columns // size - text_cells(left) - text_cells(right)) + right
        if (align, size) != self._style:
            # GS ! (custom size) scales Chinese characters too; ESC ! would only scale ASCII.
            self.p.set(align=align, custom_size=True, width=size, height=size)
            self._style = (align, size)
        if left.isascii():
            self.p.text(left + "\n")
        else:
            self.p._raw(FS_CHINESE_ON + left.encode(ENCODING) + FS_CHINESE_OFF + b"\n")

    def rule(self) -> None:
        self.line("-" * self.columns)

    def barcode(self, code: str) -> None:
        self._flush()
        modules = code128_modules(code) + 2 * 10
        width = 3 if modules * 3 <= self.width else 2
        if modules * width > self.width:
            raise DocumentError(f"barcode {code!r} is too long for the 80 mm roll")
        with _quiet():
            self.p.barcode("{B" + code, "CODE128", height=80, width=width, pos="BELOW",
                           align_ct=True, function_type="B")
        self._style = None
        self.p.ln()

    def qr(self, data: str) -> None:
        self._flush()
        if self.native:
            self.p.set(align="center")
            self.p.qr(data, size=6, native=True)
            self._style = None
        else:
            self.p.qr(data, size=6, native=False, center=True)

    def cut(self) -> None:
        self._flush()
        self.p.cut()
        self._style = None

    def finish(self) -> bytes:
        self._flush()
        return bytes(self.p.output)

    def _flush(self) -> None:
        if not self._pending:
            return
        lines, self._pending = self._pending, []
        self.p.set(align="left")
        self._style = None
        self.p.image(_raster(lines, self.width), impl="bitImageRaster",
                     center=False)


def _font_has(text: str) -> bool:
    return fonts.builtin_font_has(text, "gb2312")  # the printers' Chinese font


def _raster(lines: list[_Line], width: int) -> Image.Image:
    """Text lines as the printer would set them in font A (24 dots high, doubled for size 2),
    in one image, black ink on white as python-escpos expects."""
    blocks = []
    for left, right, size, align in lines:
        px = 24 * size
        block = fonts.draw_lines([left], px, width, align)
        if right:
            block.paste(1, (0, 0), fonts.draw_lines([right], px, width, "right"))
        blocks.append(block)
    height = sum(b.height for b in blocks) + 4 * len(blocks)
    image = Image.new("1", (width, max(1, height)), 1)
    y = 0
    for block in blocks:
        # draw_lines gives ink = 1; the printer image wants ink = black (0).
        image.paste(0, (0, y), block)
        y += block.height + 4
    return image


def _play(w: _Writer, rows: list[Row]) -> None:
    for kind, *args in rows:
        if kind == "heading":
            w.line(args[0], 2, "center")
        elif kind == "line":
            w.line(args[0])
        elif kind == "pair":
            w.pair(args[0], args[1])
        elif kind == "big pair":
            w.pair(args[0], args[1], 2)
        elif kind == "rule":
            w.rule()
        elif kind == "barcode":
            w.barcode(args[0])
        elif kind == "qr":
            w.qr(args[0])
        # "space": the printer's own line spacing is enough


def _packing_slip(w: _Writer, slip: PackingSlip) -> None:
    _play(w, slip_rows(slip))
    w.cut()


def _pick_list(w: _Writer, pick: PickList) -> None:
    _play(w, pick_list_rows(pick))
    w.cut()


def _command_cards(w: _Writer, cards: CommandCards) -> None:
    for card in cards.cards:
        if card.label:
            w.line(card.label, 2, "center")
        w.barcode(card.code)
        w.cut()
