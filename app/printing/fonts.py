"""The label fonts: a chain of TrueType fonts that together print every character the door
(`app.domain.text.REPERTOIRE`) accepts, and drawing and measuring text with it.

The first font is the CJK font that sets nearly everything: WenQuanYi Zen Hei or Micro Hei
(fonts-wqy-zenhei, fonts-wqy-microhei), or the file named by PACKLINE_CJK_FONT (`PATH` or
`PATH#INDEX` for a collection); on Windows without them, Microsoft YaHei or SimSun from the
system's font folder. Characters it lacks come from the fallbacks, in order:

| font                 | Debian package       | what it adds                                  |
|----------------------|----------------------|-----------------------------------------------|
| DejaVu Sans          | fonts-dejavu-core    | Latin, Greek, Cyrillic, arrows, maths, symbols|
| HanaMin A            | fonts-hanazono       | the rest of the BMP: Ext A, compatibility, …  |
| HanaMin B            | fonts-hanazono       | CJK Ext B–F (𠀀 𪚥 𬌗 𫖮), Compatibility Supp.  |
| BabelStone Han       | fonts-babelstone-han | most of CJK Ext G                             |
| Symbola              | fonts-symbola        | emoji as black outlines (thermal heads are 1-bit) |

The frozen build (packaging/packline.spec) carries the files of the chain that were installed
where it was built in its own `fonts/` folder, which is looked in first (`bundled_fonts_dir`).

Every font is TrueType-outline: reportlab embeds each one used (as subsets) in a PDF, and PIL
draws with the same files into 1-bit bitmaps for printers (ZPL `^GF`, TSPL `BITMAP`, ESC/POS
raster). CFF-outline `.otf` fonts are refused: reportlab cannot embed them.

Text is split into runs, each set in the first font of the chain whose cmap has its
characters. Joiners and variation selectors (`app.domain.text.COMBINING`) are not drawn: no
font here shapes emoji sequences or ideographic variants, and drawing them alone would print a
box. A character no installed font has is refused with a `DocumentError`, never dropped.
"""

from __future__ import annotations

import os
import struct
import sys
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from app.domain.text import COMBINING, describe
from app.printing.text_fit import LINE_PITCH, DocumentError, wrap

ENV_VAR = "PACKLINE_CJK_FONT"
DEBIAN_PACKAGE = "fonts-wqy-zenhei"
CANDIDATES: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc", 0),  # Fedora and Arch paths
    ("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc", 0),
)
# Windows has no WenQuanYi: its own Chinese fonts, both TrueType-outline collections.
WINDOWS_CANDIDATES: tuple[tuple[str, int], ...] = (("msyh.ttc", 0), ("simsun.ttc", 0))
# (Debian package, places the font file may be): after the CJK font, in this order.
FALLBACKS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("fonts-dejavu-core", ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                           "/usr/share/fonts/dejavu/DejaVuSans.ttf")),
    ("fonts-hanazono", ("/usr/share/fonts/truetype/hanazono/HanaMinA.ttf",
                        "/usr/share/fonts/hanazono/HanaMinA.ttf")),
    ("fonts-hanazono", ("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf",
                        "/usr/share/fonts/hanazono/HanaMinB.ttf")),
    ("fonts-babelstone-han", ("/usr/share/fonts/truetype/babelstone/BabelStoneHan.ttf",)),
    ("fonts-symbola", ("/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf",
                       "/usr/share/fonts/truetype/ancient-scripts/Symbola.ttf",
                       "/usr/share/fonts/gdouros-symbola/Symbola.ttf")),
)
PACKAGES: tuple[str, ...] = tuple(dict.fromkeys(
    [DEBIAN_PACKAGE, *(package for package, _ in FALLBACKS)]))


def bundled_fonts_dir() -> Path | None:
    """The frozen build's own label fonts (`fonts/` beside its modules), or None when running
    from a checkout or an installed wheel, which use the system's fonts."""
    base = getattr(sys, "_MEIPASS", None)
    if not getattr(sys, "frozen", False) or not base:
        return None
    folder = Path(base) / "fonts"
    return folder if folder.is_dir() else None


def windows_fonts_dir() -> Path:
    return Path(os.environ.get("WINDIR") or r"C:\Windows") / "Fonts"


def _cjk_candidates() -> list[tuple[str, int]]:
    """Where the CJK font may be, in order: the bundle's copy of a WenQuanYi font, the system's
    WenQuanYi fonts, and on Windows the system's Chinese fonts."""
    found: list[tuple[str, int]] = []
    bundled = bundled_fonts_dir()
    if bundled is not None:
        found += [(str(bundled / Path(path).name), index) for path, index in CANDIDATES]
    found += CANDIDATES
    if sys.platform == "win32":
        found += [(str(windows_fonts_dir() / name), index) for name, index in WINDOWS_CANDIDATES]
    return found


def _fallback_places(paths: tuple[str, ...]) -> list[str]:
    """A fallback font's places: the bundle's copy first, then the system's."""
    bundled = bundled_fonts_dir()
    return [*(str(bundled / Path(path).name) for path in paths if bundled is not None),
            *paths]


class FontNotFoundError(FileNotFoundError):
    """No usable CJK font: the message says what to install or set."""


@dataclass(frozen=True)
class CjkFont:
    path: Path
    index: int  # the font inside a .ttc collection


def find_cjk_font() -> CjkFont:
    """The CJK font to use: PACKLINE_CJK_FONT if set (it must then be usable), else the first
    WenQuanYi font installed."""
    return _find(os.environ.get(ENV_VAR, ""))


@lru_cache(maxsize=8)
def _find(setting: str) -> CjkFont:
    if setting.strip():
        path_text, _, index_text = setting.strip().partition("#")
        if index_text and not index_text.isdigit():
            raise FontNotFoundError(f"{ENV_VAR}={setting!r}: the part after # must be the "
                                    "font's index in the collection, e.g. wqy-zenhei.ttc#0")
        font = CjkFont(Path(path_text).expanduser(), int(index_text or 0))
        if not font.path.is_file():
            raise FontNotFoundError(f"{ENV_VAR}={setting!r}: no such file")
        _check_truetype(font)
        return font
    for path, index in _cjk_candidates():
        if os.path.isfile(path):
            font = CjkFont(Path(path), index)
            _check_truetype(font)
            return font
    if sys.platform == "win32":
        raise FontNotFoundError(
            f"no CJK font for printing Chinese text: neither msyh.ttc nor simsun.ttc is in "
            f"{windows_fonts_dir()}; set {ENV_VAR} to a TrueType font (.ttf/.ttc with "
            "TrueType outlines)")
    raise FontNotFoundError(
        "no CJK font for printing Chinese text: install the Debian package "
        f"{DEBIAN_PACKAGE} (apt-get install {DEBIAN_PACKAGE}) or set {ENV_VAR} to a TrueType "
        "font (.ttf/.ttc with TrueType outlines)")


def _check_truetype(font: CjkFont) -> None:
    # Read the sfnt header ourselves: reportlab fails late and obscurely on CFF outlines.
    try:
        with open(font.path, "rb") as fh:
            head = fh.read(12)
            offset = 0
            if head[:4] == b"ttcf":
                count = struct.unpack(">I", head[8:12])[0]
                if font.index >= count:
                    raise FontNotFoundError(f"{font.path} holds {count} fonts; index "
                                            f"{font.index} does not exist")
                fh.seek(12 + 4 * font.index)
                offset = struct.unpack(">I", fh.read(4))[0]
            elif font.index:
                raise FontNotFoundError(f"{font.path} is not a font collection; use index 0")
            fh.seek(offset)
            tag = fh.read(4)
    except OSError as exc:
        raise FontNotFoundError(f"cannot read the CJK font {font.path}: {exc}") from exc
    if tag == b"OTTO":
        raise FontNotFoundError(f"{font.path} has CFF (PostScript) outlines, which reportlab "
                                f"cannot embed; use a TrueType font such as {DEBIAN_PACKAGE}")
    if tag not in (b"\x00\x01\x00\x00", b"true"):
        raise FontNotFoundError(f"{font.path} is not a TrueType font")


# -- the chain ---------------------------------------------------------------------------------


class FontChain:
    """The CJK font and the installed fallbacks, with which font sets which character."""

    def __init__(self, fonts: tuple[CjkFont, ...]) -> None:
        self.fonts = fonts
        self._cmaps: list[frozenset[int] | None] = [None] * len(fonts)
        self._pick: dict[str, int] = {}  # character -> index of its font; -1: none has it
        self._runs: dict[str, tuple[tuple[int, str], ...]] = {}  # text -> its runs
        self._reportlab: list[str | None] = [None] * len(fonts)
        self._lock = threading.Lock()

    def cmap(self, i: int) -> frozenset[int]:
        """The code points font `i` has a glyph for (read on first need)."""
        cmap = self._cmaps[i]
        if cmap is None:
            from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

            with self._lock:
                font = self.fonts[i]
                with TTFont(str(font.path), fontNumber=font.index, lazy=True) as tt:
                    best = tt.getBestCmap() or {}
                    # A cmap entry pointing at the .notdef glyph is no glyph at all.
                    cmap = frozenset(c for c, name in best.items() if name != ".notdef")
                self._cmaps[i] = cmap
        return cmap

    def font_index(self, char: str) -> int:
        """The chain's font for `char`, or -1 when no installed font has it."""
        picked = self._pick.get(char)
        if picked is None:
            code = ord(char)
            picked = next((i for i in range(len(self.fonts)) if code in self.cmap(i)), -1)
            self._pick[char] = picked
        return picked

    def covers(self, char: str) -> bool:
        return ord(char) in COMBINING or self.font_index(char) >= 0

    def missing(self, text: str) -> str | None:
        """The first character of `text` no font of the chain has (joiners and selectors
        count as printable), or None."""
        for char in text:
            if not self.covers(char):
                return char
        return None

    def runs(self, text: str) -> tuple[tuple[int, str], ...]:
        """`text` as (font index, run) in order; joiners and selectors are left out.
        DocumentError for a character no installed font has. Remembered per text: measuring
        asks for the same words and characters again and again."""
        runs = self._runs.get(text)
        if runs is None:
            runs = tuple(self._split(text))
            if len(self._runs) > 100_000:
                self._runs.clear()
            self._runs[text] = runs
        return runs

    def reportlab_name(self, i: int) -> str:
        """The reportlab name of font `i`, registered on first use."""
        name = self._reportlab[i]
        if name is None:
            name = self._reportlab[i] = _registered(self.fonts[i])
        return name

    def _split(self, text: str) -> list[tuple[int, str]]:
        out: list[tuple[int, str]] = []
        pick = self._pick
        current, parts = -1, list[str]()
        for char in text:
            i = pick.get(char)
            if i is None:
                i = self.font_index(char)
            if i < 0 or ord(char) in COMBINING:
                if ord(char) in COMBINING:
                    continue
                raise DocumentError(unprintable_message(char))
            if i != current:
                if parts:
                    out.append((current, "".join(parts)))
                current, parts = i, [char]
            else:
                parts.append(char)
        if parts:
            out.append((current, "".join(parts)))
        return out


def unprintable_message(char: str, field: str = "") -> str:
    where = f"{field} holds " if field else ""
    return (f"{where}{describe(char)}, which no installed label font has; install the Debian "
            f"packages {' '.join(PACKAGES)} (packaging/linux/system-deps.sh)")


def check_printable(text: str, field: str) -> None:
    """DocumentError naming `field` when `text` holds a character no label font has."""
    char = font_chain().missing(text)
    if char is not None:
        raise DocumentError(unprintable_message(char, field or "a text"))


def font_chain() -> FontChain:
    """The chain for the current PACKLINE_CJK_FONT setting (built once per setting)."""
    return _chain(find_cjk_font())


@lru_cache(maxsize=8)
def _chain(first: CjkFont) -> FontChain:
    fonts = [first]
    for _package, paths in FALLBACKS:
        for path in _fallback_places(paths):
            if os.path.isfile(path):
                font = CjkFont(Path(path), 0)
                _check_truetype(font)
                if font not in fonts:
                    fonts.append(font)
                break
    return FontChain(tuple(fonts))


def is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


# -- reportlab ------------------------------------------------------------------------------

_register_lock = threading.Lock()


def reportlab_font() -> str:
    """The reportlab name of the CJK font (the chain's first), registered on first use
    (parsing a font takes up to a few hundred milliseconds, so it happens once per process and
    font)."""
    return _registered(find_cjk_font())


def reportlab_runs(text: str) -> list[tuple[str, str]]:
    """`text` as (reportlab font name, run): each font registered when first needed."""
    chain = font_chain()
    return [(chain.reportlab_name(i), run) for i, run in chain.runs(text)]


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap of a subset, with each character written in UTF-16BE as the
    PDF standard asks: reportlab writes code points beyond U+FFFF as five hex digits, which
    readers cut to U+2000 for 𠀀 U+20000 (copying or searching a PDF would find the wrong
    character)."""
    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
             "/CIDSystemInfo", f"<< /Registry ({fontname})", f"/Ordering ({fontname})",
             "/Supplement 0", ">> def", f"/CMapName /{fontname} def", "/CMapType 2 def",
             "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>", "endcodespacerange",
             f"{len(subset)} beginbfchar"]
    lines += [f"<{i:02X}> <{chr(code).encode('utf-16-be').hex().upper()}>"
              for i, code in enumerate(subset)]
    lines += ["endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end",
              "end"]
    return "\n".join(lines)


@lru_cache(maxsize=16)
def _registered(font: CjkFont) -> str:
    from reportlab.pdfbase import pdfmetrics, ttfonts  # type: ignore[import-untyped]
    from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]

    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
    name = f"PacklineCJK-{font.path.stem}-{font.index}"
    with _register_lock:
        # A TTFont is embedded as subsets of its glyphs: never an unembedded CID font.
        pdfmetrics.registerFont(TTFont(name, str(font.path), subfontIndex=font.index))
    return name


# -- PIL ----------------------------------------------------------------------------------


def pil_font(px: int) -> ImageFont.FreeTypeFont:
    """The CJK font (the chain's first) at `px` pixels per em."""
    return _pil_font(find_cjk_font(), px)


@lru_cache(maxsize=256)
def _pil_font(font: CjkFont, px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font.path), max(1, px), index=font.index)


# The FreeType faces behind the cached fonts are shared by every thread that renders (the
# services, the print queue's workers): one user at a time.
_pil_lock = threading.RLock()


def pil_runs(text: str, px: int) -> list[tuple[ImageFont.FreeTypeFont, str]]:
    """`text` as (PIL font at `px`, run)."""
    chain = font_chain()
    return [(_pil_font(chain.fonts[i], px), run) for i, run in chain.runs(text)]


def text_length(text: str, px: int) -> float:
    """The advance width of `text` set by the chain at `px` pixels per em."""
    with _pil_lock:
        return sum(float(font.getlength(run)) for font, run in pil_runs(text, px))


def builtin_font_has(text: str, charset: str) -> bool:
    """True when a printer's built-in font holding the characters of `charset` has every
    character of `text`: "gb2312" for TSPL's TSS24.BF2 and the Chinese font of ESC/POS
    receipt printers, "gbk" for the SimSun a ZPL printer keeps resident."""
    try:
        text.encode(charset)
    except UnicodeEncodeError:
        return False
    return True


def layout_measure(size: float) -> Callable[[str], float]:
    """The width of a text at `size` (any unit) as wide as any printer language sets it: the
    larger of the font chain's advance and the built-in fonts' cells (half an em for
    half-width characters, a full em for wide ones). The waybill's layout counts lines with
    it, so a box it sizes holds its text on every printer."""
    scale = size / _LAYOUT_PX
    try:
        widths = _layout_widths(find_cjk_font())
    except FontNotFoundError:
        # No font file (a station printing with the printer's own fonts only): the cells
        # those fonts set, so a TSPL or ZPL-font label is still laid out.
        return lambda text: _cells(text) * _LAYOUT_PX / 2 * scale
    return lambda text: widths(text) * scale


def _cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


@lru_cache(maxsize=8)
def _layout_widths(font: CjkFont) -> Callable[[str], float]:
    # `font` keys the cache: another PACKLINE_CJK_FONT measures anew. A label measures the
    # same sender and the same few words again and again: the widths are remembered.
    del font
    chain = measure_px(_LAYOUT_PX)

    @lru_cache(maxsize=4096)
    def width(text: str) -> float:
        cells = _cells(text)
        try:
            drawn = chain(text)
        except DocumentError:  # a character no font has: the renderer refuses, naming it
            drawn = len(text) * _LAYOUT_PX
        return max(drawn, cells * _LAYOUT_PX / 2)

    return width


_LAYOUT_PX = 64


def measure_px(px: int) -> Callable[[str], float]:
    """`text_length` at `px`, the chain and its fonts looked up once."""
    chain = font_chain()
    faces = [_pil_font(font, px) for font in chain.fonts[:1]] + [None] * (len(chain.fonts) - 1)

    def measure(text: str) -> float:
        total = 0.0
        with _pil_lock:
            for i, run in chain.runs(text):
                face = faces[i]
                if face is None:
                    face = faces[i] = _pil_font(chain.fonts[i], px)
                total += float(face.getlength(run))
        return total

    return measure


def wrap_px(text: str, px: int, width_px: float, max_lines: int = 0) -> list[str]:
    return wrap(text, width_px, measure_px(px), max_lines)


def draw_lines(lines: list[str], px: int, width_px: int | None = None, align: str = "left",
               pitch: float = LINE_PITCH) -> Image.Image:
    """Lines of text in a 1-bit image: ink is 1 (as ZPL wants; invert for PIL's own use).
    Without `width_px` the image is as wide as the longest line. Drawn without antialiasing,
    as a thermal head prints it."""
    with _pil_lock:
        return _draw_lines([pil_runs(line, px) for line in lines], px, width_px, align, pitch)


def _draw_lines(lines: list[list[tuple[ImageFont.FreeTypeFont, str]]], px: int,
                width_px: int | None, align: str, pitch: float) -> Image.Image:
    widths = [[float(font.getlength(run)) for font, run in runs] for runs in lines]
    totals = [int(sum(w) + 0.999) for w in widths]
    width = width_px if width_px is not None else max(totals, default=1)
    line_px = round(px * pitch)
    height = max(1, line_px * (len(lines) - 1) + px + max(1, px // 5))
    # Drawn in grey and cut at half ink: FreeType's own 1-bit rendering drops thin strokes
    # (an underscore next to a space came out blank), a thermal head's threshold does not.
    image = Image.new("L", (max(1, width), height), 0)
    draw = ImageDraw.Draw(image)
    baseline = round(px * 0.88)
    for i, (runs, run_widths, line_w) in enumerate(zip(lines, widths, totals, strict=True)):
        x = 0.0
        if align == "center":
            x = max(0, (width - line_w) // 2)
        elif align == "right":
            x = max(0, width - line_w)
        # Baseline placed so an em box starts at the line's top.
        for (font, run), run_w in zip(runs, run_widths, strict=True):
            draw.text((x, i * line_px + baseline), run, font=font, fill=255, anchor="ls")
            x += run_w
    # Cut at half ink straight into 1-bit: the same pixels as thresholding and then
    # converting with Pillow's default dithering (which on pure black and white changes
    # nothing, in some milliseconds a label).
    return image.point(_HALF_INK, mode="1")


_HALF_INK = [255 if v >= 128 else 0 for v in range(256)]
