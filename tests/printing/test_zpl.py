"""ZPL: label size from paper and dpi, Code 128 and QR of the tracking number, Chinese as the
resident font or as ^GFA bitmaps (decompressed here and compared with the font's own drawing),
field data that cannot break out of its field."""

from __future__ import annotations

import re

import pytest

from app.printing import fonts
from app.printing.documents import BinLabel, CommandCards, ToteLabel
from app.printing.text_fit import DocumentError
from app.printing.zpl import compress_row, graphic_field, render_zpl, repeat_code
from tests.printing.conftest import (
    RECEIVER,
    SENDER,
    expand_zpl_hex,
    make_slip,
    make_waybill,
    squeeze,
    zpl_graphics,
)

SIZES = {  # (paper, dpi): (^PW, ^LL)
    ("100x150", 203): (799, 1199), ("100x150", 300): (1181, 1772),
    ("76x130", 203): (607, 1039), ("76x130", 300): (898, 1535),
    ("100x180", 203): (799, 1439), ("100x180", 300): (1181, 2126),
}


def field_texts(zpl: str, font: str) -> list[str]:
    """The field data of every text field set in `font` (^A<font>N)."""
    return re.findall(rf"\^A{font}N,\d+,\d+\^FD([^\^]*)\^FS", zpl)


@pytest.mark.parametrize(("paper", "dpi"), list(SIZES))
@pytest.mark.parametrize("cjk", ["graphic", "font"])
def test_waybill_label_for_every_size_and_dpi(paper: str, dpi: int, cjk: str) -> None:
    waybill = make_waybill()
    zpl = render_zpl(waybill, paper, dpi, cjk=cjk).decode("utf-8")
    width, length = SIZES[(paper, dpi)]
    assert zpl.startswith("^XA") and zpl.rstrip().endswith("^XZ")
    assert zpl.count("^XA") == zpl.count("^XZ") == 1
    assert f"^PW{width}\n" in zpl and f"^LL{length}\n" in zpl and "^CI28" in zpl
    assert re.search(r"\^BY\d,3,\d+\^BCN,\d+,Y,N,N\^FDSF1234567890123\^FS", zpl)
    assert re.search(r"\^BQN,2,\d+\^FDMA,SF1234567890123\^FS", zpl)
    # ASCII facts stay text in both modes: masked phone, orders, n/m, weight, times.
    text = zpl
    for fact in ("138****8000", "0571-****5678", "PL2611110000123", "1/2", "1.25kg",
                 "2026-11-11 10:23", "2026-11-12 18:00"):
        assert fact in text, fact
    assert "13800138000" not in zpl  # only the masked phone is printed
    # Fields never leave the label.
    for x, y in re.findall(r"\^FO(\d+),(\d+)", zpl):
        assert int(x) < width and int(y) < length


def test_font_mode_uses_the_resident_cjk_font_with_utf8_text() -> None:
    zpl = render_zpl(make_waybill(), "100x150", 203, cjk="font").decode("utf-8")
    assert "^CW1,E:SIMSUN.TTF" in zpl and "^GFA" not in zpl
    texts = field_texts(zpl, "1")
    joined = squeeze("".join(texts))
    for chinese in ("顺丰速运", "预售", "深圳南山A12", RECEIVER.name, SENDER.name.replace(" ", ""),
                    squeeze(RECEIVER.full_address), "订单", "易碎轻放"):
        assert chinese in joined, chinese
    other = render_zpl(make_waybill(), "100x150", 203, cjk="font", resident_font="E:ANMDS.TTF")
    assert b"^CW1,E:ANMDS.TTF" in other
    with pytest.raises(DocumentError, match="resident font"):
        render_zpl(make_waybill(), "100x150", 203, cjk="font", resident_font="SIMSUN^XZ")


def test_graphic_mode_sends_chinese_as_bitmaps_the_printer_needs_no_font_for() -> None:
    zpl = render_zpl(make_waybill(), "100x150", 203, cjk="graphic").decode("ascii")
    assert "^CW" not in zpl and "^A1N" not in zpl
    assert not re.search(r"[^\x00-\x7f]", zpl)  # all Chinese went into bitmaps
    images = zpl_graphics(zpl)
    assert len(images) >= 10
    # The receiver's name block is exactly the font's 1-bit drawing of the name.
    name_px = round(5.0 * 203 / 25.4)
    expected = fonts.draw_lines([RECEIVER.name], name_px)
    found = [im for im in images if im.height == expected.height
             and im.width == (expected.width + 7) // 8 * 8]
    assert found, [im.size for im in images]
    ink = found[0].crop((0, 0, expected.width, expected.height)).point(lambda v: 255 - v)
    assert ink.convert("L").tobytes() == expected.convert("L").tobytes()


def test_ascii_compression_round_trips() -> None:
    assert repeat_code(1) == "G" and repeat_code(19) == "Y" and repeat_code(20) == "g"
    assert repeat_code(45) == "hK" and repeat_code(400) == "z" and repeat_code(845) == "zzhK"
    assert compress_row("00000000") == ","
    assert compress_row("FFF00000") == "IF,"
    assert compress_row("0A0A0A0A") == "0A0A0A0A"
    rows = ["00FF00FF", "00FF00FF", "00000000", "FFFFFFFF", "A0000000"]
    bits = bytes.fromhex("".join(rows))
    field = graphic_field(bits, 32, 5)
    assert field.startswith("^GFA,20,20,4,")
    assert expand_zpl_hex(field.split(",", 4)[4], 4) == rows
    with pytest.raises(ValueError, match="do not make"):
        graphic_field(b"\x00", 32, 5)


def test_field_data_cannot_end_the_field_or_start_a_command() -> None:
    nasty = RECEIVER.__class__("王^XZ~JA_", "13800138000", "浙江省", "杭州市", "西湖区",
                               "文三路^FS1号")
    zpl = render_zpl(make_waybill(receiver=nasty, remark="a~b^c"), "100x150", 203,
                     cjk="font").decode()
    assert "~" not in zpl  # ~ starts a command anywhere in a ZPL stream
    assert zpl.count("^XZ") == 1 and zpl.count("^XA") == 1
    assert "^FH^FD王_5EXZ_7EJA_5F^FS" in zpl
    assert "^FH^FDa_7Eb_5Ec^FS" in zpl


def test_bin_tote_and_command_card_labels() -> None:
    bin_zpl = render_zpl(BinLabel("LOC-HZ-A03-12-2", "A区 03排 12列 2层"), "100x150").decode()
    assert "^FDLOC-HZ-A03-12-2^FS" in bin_zpl and "^BCN" in bin_zpl and "^GFA" in bin_zpl
    tote = render_zpl(ToteLabel("TOTE-HZ-00042"), "76x130", 300, cjk="font").decode()
    assert re.search(r"\^BCN,\d+,N,N,N\^FDTOTE-HZ-00042\^FS", tote)
    cards = render_zpl(CommandCards(), "100x150", cjk="font").decode()
    assert cards.count("^XA") == cards.count("^XZ") == 5
    for code, label in CommandCards().cards:
        assert f"^FD{code}^FS" in cards and label in cards


def test_refuses_what_zpl_does_not_print() -> None:
    with pytest.raises(DocumentError, match="PackingSlip is not printed on labels"):
        render_zpl(make_slip(), "100x150")
    with pytest.raises(DocumentError, match="203 or 300"):
        render_zpl(make_waybill(), "100x150", 600)
    with pytest.raises(DocumentError, match="cjk"):
        render_zpl(make_waybill(), "100x150", cjk="bitmap")
    with pytest.raises(DocumentError, match="not label paper"):
        render_zpl(make_waybill(), "a4")
