"""The label font chain: every character the door accepts has a font, and rare ideographs
(CJK Extension B and later), characters outside GB2312 and emoji reach every kind of label
intact; a long address is printed whole (smaller, on more lines) or refused, never cut.

Each rendering is read back: PDF text through pdfium (and the font pdfium says set each
character), PNG ink where pdfium puts each character, ZPL ^GF and ESC/POS raster bitmaps and
TSPL BITMAP payloads against an independent drawing of the same text with the font whose cmap
(read here with fontTools) has the character, TSPL TEXT commands decoded from GB18030."""

from __future__ import annotations

import ctypes
import re
import unicodedata
from functools import cache

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from fontTools.ttLib import TTFont
from PIL import Image, ImageChops, ImageDraw, ImageFont

from app.domain.text import COMBINING, REPERTOIRE, printable
from app.printing import fonts
from app.printing.documents import Party, dots
from app.printing.escpos_doc import render_escpos
from app.printing.pdf import render_pdf
from app.printing.raster import pdf_to_images
from app.printing.text_fit import DocumentError
from app.printing.tspl import render_tspl
from app.printing.zpl import render_zpl
from tests.printing.conftest import (
    RECEIVER,
    escpos_raster_images,
    make_waybill,
    pdf_pages_text,
    squeeze,
    zpl_graphics,
)

RARE = "𠀀𪚥𬌗𫖮"  # U+20000, U+2A6A5 (Ext B), U+2C317 (Ext E), U+2B5AE (Ext C)
OUTSIDE_GB2312 = "堃喆垚赟玥珺"
EMOJI = "😀"
NAME = "𠀀𪚥😀"
STREET = "𬌗𫖮路堃喆垚赟玥珺1号"
LONG_STREET = ("科技园南区高新南七道创维半导体大厦东座十八楼" * 20)[:300]

# What no Debian TrueType font has (cmap scan of fonts-wqy-zenhei, fonts-dejavu-core,
# fonts-hanazono, fonts-babelstone-han, fonts-symbola; Debian 12). REPERTOIRE still lists them.
EXT_G = (0x30000, 0x3134A)


@cache
def cmaps() -> tuple[tuple[str, int, frozenset[int]], ...]:
    """(path, index, cmap) of every font of the chain, read here with fontTools."""
    out = []
    for font in fonts.font_chain().fonts:
        with TTFont(str(font.path), fontNumber=font.index, lazy=True) as tt:
            best = tt.getBestCmap()
            out.append((str(font.path), font.index,
                        frozenset(c for c, g in best.items() if g != ".notdef")))
            POSTSCRIPT[str(font.path)] = tt["name"].getDebugName(6)
    return tuple(out)


POSTSCRIPT: dict[str, str] = {}


def first_font(char: str) -> tuple[str, int]:
    for path, index, cmap in cmaps():
        if ord(char) in cmap:
            return path, index
    raise AssertionError(f"no font for U+{ord(char):04X}")


def repertoire() -> list[int]:
    return [c for start, end, _ in REPERTOIRE for c in range(start, end + 1)
            if printable(chr(c)) and c not in COMBINING]


def uncovered() -> list[int]:
    covered: set[int] = set()
    for _path, _index, cmap in cmaps():
        covered |= cmap
    return [c for c in repertoire() if c not in covered]


def ranges(codes: list[int]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for code in codes:
        if out and out[-1][1] == code - 1:
            out[-1][1] = code
        else:
            out.append([code, code])
    return [(a, b) for a, b in out]


# -- the chain covers the door's repertoire ---------------------------------------------------


def test_the_chain_has_every_rare_character_of_the_brief_and_reads_them_from_real_fonts() -> None:
    chain = fonts.font_chain()
    assert len(chain.fonts) >= 6, chain.fonts  # the CJK font and the five fallbacks
    for char in RARE + OUTSIDE_GB2312 + EMOJI + "ǚ€↔☎✂ΩЖ㍿":
        assert chain.covers(char), f"U+{ord(char):04X}"
        path, index = first_font(char)
        assert chain.fonts[chain.font_index(char)] == fonts.CjkFont(
            fonts.Path(path), index), char


def test_every_character_the_door_accepts_has_a_font_in_the_chain() -> None:
    missing = uncovered()
    assert not missing, [f"U+{a:04X}-U+{b:04X}" for a, b in ranges(missing)]


def test_the_chain_covers_the_cjk_extensions_and_emoji_the_door_accepts() -> None:
    accepted = repertoire()
    assert len(accepted) - len(uncovered()) == len(accepted) > 100_000
    assert all(c in accepted for c in (0x20000, 0x2A6A5, 0x2C317, 0x2B5AE, 0x1F600))


def test_a_character_no_font_has_is_refused_naming_the_field_never_dropped() -> None:
    gap = chr(0x30041)  # Ext G: assigned, in no installed font, so the door refuses it too
    assert not printable(gap) and not fonts.font_chain().covers(gap)
    with pytest.raises(DocumentError, match=r"Party\.name holds U\+30041 .* at character 2"):
        Party("王" + gap, "13800138000", "浙江省", "杭州市", "西湖区", "文三路1号")


# -- PDF and PNG --------------------------------------------------------------------------------


def rare_waybill(**overrides: object) -> object:
    receiver = Party(NAME, "13800138000", "广东省", "深圳市", "南山区", STREET)
    return make_waybill(receiver=receiver, **overrides)


def pdf_chars(pdf: bytes) -> list[tuple[str, str, tuple[float, float, float, float]]]:
    """(character, font name, box in points) of every character pdfium finds on page 1."""
    document = pdfium.PdfDocument(pdf)
    page = document[0]
    textpage = page.get_textpage()
    out = []
    units = [pdfium_c.FPDFText_GetUnicode(textpage.raw, i)
             for i in range(textpage.count_chars())]
    i = 0
    while i < len(units):
        unit = units[i]
        step = 2 if 0xD800 <= unit < 0xDC00 else 1
        char = (chr(0x10000 + ((unit - 0xD800) << 10) + (units[i + 1] - 0xDC00))
                if step == 2 else chr(unit))
        buffer = ctypes.create_string_buffer(256)
        flags = ctypes.c_int()
        pdfium_c.FPDFText_GetFontInfo(textpage.raw, i, buffer, 256, ctypes.byref(flags))
        out.append((char, buffer.value.decode(), textpage.get_charbox(i)))
        i += step
    textpage.close()
    page.close()
    document.close()
    return out


@pytest.mark.parametrize("paper", ["76x130", "100x150", "100x180"])
def test_pdf_holds_rare_ideographs_and_emoji_in_the_fonts_that_have_them(paper: str) -> None:
    pdf = render_pdf(rare_waybill(), paper)
    text = squeeze(pdf_pages_text(pdf)[0])
    assert NAME in text and squeeze(STREET) in text
    chars = {char: font for char, font, _box in pdf_chars(pdf)}
    for char in RARE + OUTSIDE_GB2312 + EMOJI:
        path, _index = first_font(char)
        assert POSTSCRIPT[path] in chars[char], (char, chars[char], POSTSCRIPT[path])
    # Each font used is embedded: WenQuanYi and the fallbacks these characters come from.
    used = {first_font(c) for c in RARE + OUTSIDE_GB2312 + EMOJI} | {first_font("顺")}
    assert pdf.count(b"/FontFile2") == len(used) >= 3


def test_png_has_ink_where_each_rare_character_is() -> None:
    pdf = render_pdf(rare_waybill(), "76x130")
    image = pdf_to_images(pdf, 203, first_page_only=True)[0]
    height_pt = 130 / 25.4 * 72
    scale = 203 / 72
    seen = set()
    for char, _font, (left, bottom, right, top) in pdf_chars(pdf):
        if char not in RARE + OUTSIDE_GB2312 + EMOJI:
            continue
        seen.add(char)
        assert right - left > 3 and top - bottom > 3, (char, left, bottom, right, top)
        crop = image.crop((int(left * scale), int((height_pt - top) * scale),
                           int(right * scale) + 1, int((height_pt - bottom) * scale) + 1))
        dark = sum(crop.convert("L").histogram()[:128])
        assert dark > crop.width * crop.height * 0.1, (char, dark, crop.size)
    assert seen == set(RARE + OUTSIDE_GB2312 + EMOJI)


# -- bitmaps: ZPL ^GF, TSPL BITMAP, ESC/POS raster ------------------------------------------------


def independent_drawing(text: str, px: int) -> Image.Image:
    """`text` drawn 1-bit (ink 1) with, for each character, the first font whose cmap has it:
    the expected bitmap, drawn without app.printing.fonts."""
    runs: list[tuple[ImageFont.FreeTypeFont, str]] = []
    for char in text:
        path, index = first_font(char)
        font = ImageFont.truetype(path, px, index=index)
        if runs and runs[-1][0].path == path:  # type: ignore[attr-defined]
            runs[-1] = (runs[-1][0], runs[-1][1] + char)
        else:
            runs.append((font, char))
    width = int(sum(f.getlength(r) for f, r in runs) + 0.999)
    image = Image.new("L", (max(1, width), max(1, px + max(1, px // 5))), 0)
    draw = ImageDraw.Draw(image)
    x = 0.0
    for font, run in runs:
        draw.text((x, round(px * 0.88)), run, font=font, fill=255, anchor="ls")
        x += font.getlength(run)
    return image.point(lambda v: 255 if v >= 128 else 0).convert("1")  # a head's threshold


@pytest.mark.parametrize("text", ["_ _", "王_小", "__", "-", "."])
def test_thin_strokes_reach_the_bitmap(text: str) -> None:
    # FreeType's own 1-bit rendering dropped "_ _" entirely; a thermal head would print it.
    assert fonts.draw_lines([text], 24).getbbox() is not None
    assert fonts.draw_lines([text], 16).getbbox() is not None


def notdef_drawing(text: str, px: int) -> Image.Image:
    """What the CJK font alone draws for `text` (boxes or nothing where it lacks glyphs)."""
    font = ImageFont.truetype(str(fonts.find_cjk_font().path), px,
                              index=fonts.find_cjk_font().index)
    image = Image.new("1", independent_drawing(text, px).size, 0)
    ImageDraw.Draw(image).text((0, round(px * 0.88)), text, font=font, fill=1, anchor="ls")
    return image


def same_ink(found: Image.Image, expected: Image.Image) -> bool:
    """`found` (ink black, padded to whole bytes) holds exactly `expected` (ink 1)."""
    ink = found.convert("L").point(lambda v: 255 - v).convert("1")
    if ink.height != expected.height or ink.width < expected.width:
        return False
    if ink.crop((expected.width, 0, ink.width, ink.height)).getbbox():
        return False
    return differ(ink.crop((0, 0, expected.width, expected.height)), expected) is None


def differ(a: Image.Image, b: Image.Image) -> tuple[int, int, int, int] | None:
    """Where two 1-bit images differ (ImageChops.difference misreads mode "1")."""
    return ImageChops.difference(a.convert("L"), b.convert("L")).getbbox()


def test_zpl_graphics_draw_rare_characters_with_the_fonts_that_have_them() -> None:
    zpl = render_zpl(rare_waybill(), "100x150", 203, cjk="graphic").decode("ascii")
    images = zpl_graphics(zpl)
    name_px = dots(5.0, 203)
    expected = independent_drawing(NAME, name_px)
    assert expected.getbbox() and notdef_drawing(NAME, name_px).tobytes() != expected.tobytes()
    assert any(same_ink(im, expected) for im in images), [im.size for im in images]
    street = squeeze(RECEIVER.__class__(NAME, "", "广东省", "深圳市", "南山区",
                                        STREET).full_address)
    address = independent_drawing(street, dots(4.0, 203))
    assert any(same_ink(im, address) for im in images)


def test_zpl_resident_font_mode_draws_what_simsun_lacks() -> None:
    zpl = render_zpl(rare_waybill(), "100x150", 203, cjk="font").decode("utf-8")
    assert NAME not in zpl and "^GFA" in zpl  # the name went as a bitmap
    assert "欧阳" not in zpl and "顺丰速运" in zpl  # GBK text stays text
    assert any(same_ink(im, independent_drawing(NAME, dots(5.0, 203)))
               for im in zpl_graphics(zpl))


def tspl_commands(data: bytes) -> list[tuple[str, object]]:
    """("TEXT", text) and ("BITMAP", (x, y, image with ink black)) of a TSPL stream, read
    byte by byte: a BITMAP's payload is binary and may hold CR LF itself."""
    out: list[tuple[str, object]] = []
    pos = 0
    while pos < len(data):
        if data.startswith(b"BITMAP ", pos):
            head = re.match(rb"BITMAP (\d+),(\d+),(\d+),(\d+),0,", data[pos:])
            assert head, data[pos:pos + 40]
            x, y, wide, high = (int(v) for v in head.groups())
            start = pos + head.end()
            bits = data[start:start + wide * high]
            # 0 bits print: invert into PIL's 1 = white.
            image = Image.frombytes("1", (wide * 8, high), bits)
            out.append(("BITMAP", (x, y, image)))
            pos = start + wide * high
            assert data[pos:pos + 2] == b"\r\n"
            pos += 2
            continue
        end = data.index(b"\r\n", pos)
        line = data[pos:end].decode("gb18030")
        match = re.match(r'TEXT \d+,\d+,"TSS24\.BF2",0,\d+,\d+,"(.*)"$', line)
        if match:
            out.append(("TEXT", match[1]))
        pos = end + 2
    return out


def test_tspl_keeps_gb2312_as_text_and_sends_other_lines_as_bitmaps() -> None:
    data = render_tspl(rare_waybill(), "100x150", 203)
    commands = tspl_commands(data)
    texts = [v for k, v in commands if k == "TEXT"]
    bitmaps = [v for k, v in commands if k == "BITMAP"]
    for text in texts:
        assert isinstance(text, str)
        text.encode("gb2312")  # everything sent as TEXT is in the printer's font
    joined = "".join(str(t) for t in texts)
    assert "顺丰速运" in joined and "138****8000" in joined
    assert not any(c in joined for c in RARE + OUTSIDE_GB2312 + EMOJI)
    # The name and the address lines holding rare characters are bitmaps equal to the
    # drawing of the same text with the fonts that have the characters.
    name = independent_drawing(NAME, 48)  # 5 mm: TSS24.BF2 at multiple 2, 48 dots
    assert any(same_ink(image, name) for _x, _y, image in bitmaps)  # type: ignore[misc]
    street = RECEIVER.__class__(NAME, "", "广东省", "深圳市", "南山区", STREET).full_address
    assert any(same_ink(image, independent_drawing(street, 24))
               for _x, _y, image in bitmaps)  # type: ignore[misc]


def test_tspl_names_outside_gb2312_are_bitmaps_not_blank_text() -> None:
    for name in OUTSIDE_GB2312:
        waybill = make_waybill(receiver=Party("王" + name, "13800138000", "浙江省", "杭州市",
                                              "西湖区", "文三路1号"))
        commands = tspl_commands(render_tspl(waybill, "76x130", 203))
        assert not any(name in str(v) for k, v in commands if k == "TEXT")
        assert any(same_ink(v[2], independent_drawing("王" + name, 48))  # type: ignore[index]
                   for k, v in commands if k == "BITMAP")


@pytest.mark.parametrize("native", [False, True])
def test_escpos_raster_draws_rare_characters(native: bool) -> None:
    data = render_escpos(rare_waybill(), "80mm", 203, chinese_font=native)
    images = escpos_raster_images(data)
    assert images
    expected = independent_drawing("收 " + NAME, 24)  # a line of font A's 24 dots
    found = False
    for image in images:
        ink = image.convert("L").point(lambda v: 255 - v).convert("1")
        # Find the expected drawing anywhere in the raster (lines are stacked).
        for y in range(0, ink.height - expected.height + 1):
            row = ink.crop((0, y, expected.width, y + expected.height))
            if differ(row, expected) is None:
                found = True
                break
    assert found
    if native:
        assert NAME.encode("gb18030") not in data  # not sent as text the printer lacks
        assert "顺丰速运".encode("gb18030") in data


# -- long addresses -------------------------------------------------------------------------


def long_waybill() -> object:
    return make_waybill(receiver=Party("欧阳娜娜", "13800138000", "广东省", "深圳市",
                                       "南山区", LONG_STREET))


@pytest.mark.parametrize("paper", ["76x130", "100x150", "100x180"])
def test_a_300_character_address_prints_whole_in_the_pdf(paper: str) -> None:
    text = squeeze(pdf_pages_text(render_pdf(long_waybill(), paper))[0])
    assert "广东省深圳市南山区" + LONG_STREET in text
    assert "…" not in text


def test_a_300_character_address_prints_whole_as_zpl_and_tspl_bitmaps() -> None:
    address = "广东省深圳市南山区" + LONG_STREET
    # An address that needs lines of the smallest size runs across the whole label, below
    # the 收 frame.
    width = dots(100 - 2 * 2.5, 203)
    # ZPL: one ^GF block holds the address, equal to its lines drawn at some size.
    images = zpl_graphics(render_zpl(long_waybill(), "100x150", 203).decode("ascii"))
    assert any(same_ink(image, fonts.draw_lines(fonts.wrap_px(address, px, width), px))
               for image in images for px in range(16, 33)
               if image.height == fonts.draw_lines(fonts.wrap_px(address, px, width),
                                                   px).height)
    # TSPL: the lines, TEXT or BITMAP, put back together are the whole address.
    commands = tspl_commands(render_tspl(long_waybill(), "76x130", 203))
    bitmaps = [v for k, v in commands if k == "BITMAP"]
    width = dots(76 - 2 * 2.5, 203)
    for px in range(16, 24):
        lines = fonts.wrap_px(address, px, width)
        if len(bitmaps) >= len(lines) and all(
                any(same_ink(b[2], fonts.draw_lines([line], px)) for b in bitmaps)  # type: ignore[index]
                for line in lines):
            assert "".join(lines) == address
            break
    else:
        raise AssertionError("no size at which the TSPL bitmaps are the whole address")


def test_shrinking_stops_at_a_legible_size_and_refuses_naming_the_field() -> None:
    # 1,200 characters: four times what the door takes (tests/printing/test_door_maximum.py).
    huge = Party("欧阳娜娜", "13800138000", "广东省", "深圳市", "南山区", "路" * 1200)
    waybill = make_waybill(receiver=huge)
    for render in (render_pdf, render_zpl, render_tspl):
        with pytest.raises(DocumentError, match=r"Waybill\.receiver\.address"):
            render(waybill, "76x130")  # type: ignore[operator]


def test_a_long_name_shrinks_instead_of_ending_in_an_ellipsis() -> None:
    name = "欧阳" * 12
    waybill = make_waybill(receiver=Party(name, "13800138000", "广东省", "深圳市", "南山区",
                                          "文三路1号"))
    text = squeeze(pdf_pages_text(render_pdf(waybill, "76x130"))[0])
    assert name in text and "…" not in text
    data = render_tspl(waybill, "76x130", 203).decode("gb18030", "replace")
    assert "…" not in data


# -- the documents' text rule is the door's -----------------------------------------------------


def test_documents_take_what_the_door_takes_and_refuse_what_it_refuses() -> None:
    Party("王\u200d😀\ufe0f", "1", "浙江省", "杭州市", "西湖区", STREET)  # joiner, selector
    for bad in ("\u202e", "\ue000", "\x85", "\u0378"):
        with pytest.raises(DocumentError, match=re.escape(f"U+{ord(bad):04X}")):
            Party("王" + bad, "1", "浙江省", "杭州市", "西湖区", "文三路1号")
    assert unicodedata.category("\u202e") == "Cf"
