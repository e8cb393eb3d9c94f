"""Where the CJK font comes from, and drawing text with it.

Packline needs one TrueType-outline CJK font: reportlab embeds it (as subsets) in every PDF,
and PIL draws Chinese text into 1-bit bitmaps for printers without a Chinese font (ZPL `^GF`,
ESC/POS raster). The font is WenQuanYi Zen Hei or Micro Hei from Debian (fonts-wqy-zenhei,
fonts-wqy-microhei), or the file named by PACKLINE_CJK_FONT (`PATH` or `PATH#INDEX` for a
collection). CFF-outline `.otf` fonts are refused: reportlab cannot embed them.
"""

from __future__ import annotations

import os
import struct
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from app.printing.documents import LINE_PITCH, wrap

ENV_VAR = "PACKLINE_CJK_FONT"
DEBIAN_PACKAGE = "fonts-wqy-zenhei"
CANDIDATES: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc", 0),  # Fedora and Arch paths
    ("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc", 0),
)


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
    for path, index in CANDIDATES:
        if os.path.isfile(path):
            font = CjkFont(Path(path), index)
            _check_truetype(font)
            return font
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


# -- reportlab ------------------------------------------------------------------------------

_register_lock = threading.Lock()


def reportlab_font() -> str:
    """The reportlab name of the CJK font, registered on first use (parsing the collection
    takes a few hundred milliseconds, so it happens once per process and font)."""
    return _registered(find_cjk_font())


@lru_cache(maxsize=4)
def _registered(font: CjkFont) -> str:
    from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
    from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]

    name = f"PacklineCJK-{font.path.stem}-{font.index}"
    with _register_lock:
        # A TTFont is embedded as subsets of its glyphs: never an unembedded CID font.
        pdfmetrics.registerFont(TTFont(name, str(font.path), subfontIndex=font.index))
    return name


# -- PIL ----------------------------------------------------------------------------------


def pil_font(px: int) -> ImageFont.FreeTypeFont:
    """The CJK font at `px` pixels per em."""
    return _pil_font(find_cjk_font(), px)


@lru_cache(maxsize=64)
def _pil_font(font: CjkFont, px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font.path), max(1, px), index=font.index)


# The FreeType faces behind the cached fonts are shared by every thread that renders (the
# services, the print queue's workers): one user at a time.
_pil_lock = threading.RLock()


def wrap_px(text: str, px: int, width_px: float, max_lines: int = 0) -> list[str]:
    font = pil_font(px)
    with _pil_lock:
        return wrap(text, width_px, lambda s: float(font.getlength(s)), max_lines)


def draw_lines(lines: list[str], px: int, width_px: int | None = None, align: str = "left",
               pitch: float = LINE_PITCH) -> Image.Image:
    """Lines of text in a 1-bit image: ink is 1 (as ZPL wants; invert for PIL's own use).
    Without `width_px` the image is as wide as the longest line. Drawn without antialiasing,
    as a thermal head prints it."""
    with _pil_lock:
        return _draw_lines(lines, pil_font(px), px, width_px, align, pitch)


def _draw_lines(lines: list[str], font: ImageFont.FreeTypeFont, px: int, width_px: int | None,
                align: str, pitch: float) -> Image.Image:
    widths = [int(font.getlength(line) + 0.999) for line in lines]
    width = width_px if width_px is not None else max(widths, default=1)
    line_px = round(px * pitch)
    height = max(1, line_px * (len(lines) - 1) + px + max(1, px // 5))
    image = Image.new("1", (max(1, width), height), 0)
    draw = ImageDraw.Draw(image)
    for i, (line, line_w) in enumerate(zip(lines, widths, strict=True)):
        x = 0
        if align == "center":
            x = max(0, (width - line_w) // 2)
        elif align == "right":
            x = max(0, width - line_w)
        # Baseline placed so an em box starts at the line's top.
        draw.text((x, i * line_px + round(px * 0.88)), line, font=font, fill=1, anchor="ls")
    return image
