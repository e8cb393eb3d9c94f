"""TSPL: the command stream of a waybill, in GB18030, with the Chinese address intact."""

from __future__ import annotations

import re

import pytest

from app.printing.documents import BinLabel, CommandCards, ToteLabel
from app.printing.text_fit import DocumentError
from app.printing.tspl import render_tspl
from tests.printing.conftest import RECEIVER, make_pick_list, make_waybill, squeeze


def texts(tspl: str) -> list[str]:
    return re.findall(r'^TEXT \d+,\d+,"TSS24\.BF2",0,\d+,\d+,"(.*)"\r$', tspl, re.MULTILINE)


@pytest.mark.parametrize(("paper", "size"), [("100x150", "100 mm,150 mm"),
                                             ("76x130", "76 mm,130 mm"),
                                             ("100x180", "100 mm,180 mm")])
def test_waybill_commands(paper: str, size: str) -> None:
    data = render_tspl(make_waybill(), paper, 203)
    tspl = data.decode("gb18030")
    lines = tspl.split("\r\n")
    assert lines[0] == f"SIZE {size}" and lines[1] == "GAP 2 mm,0 mm"
    assert "DIRECTION 1,0" in lines and lines.index("CLS") < lines.index("PRINT 1,1")
    assert re.search(r'^BARCODE \d+,\d+,"128",\d+,1,0,\d,\d,"SF1234567890123"\r$', tspl,
                     re.MULTILINE)
    assert re.search(r'^QRCODE \d+,\d+,M,\d+,A,0,"SF1234567890123"\r$', tspl, re.MULTILINE)
    joined = squeeze("".join(texts(tspl)))
    assert squeeze(RECEIVER.full_address) in joined
    assert RECEIVER.name in joined and "138****8000" in joined and "预售" in joined


def test_the_stream_is_gb18030_not_utf8() -> None:
    data = render_tspl(make_waybill(), "100x150")
    assert RECEIVER.name.encode("gb18030") in data
    assert RECEIVER.name.encode("utf-8") not in data
    # Characters outside GB2312 are not sent as text the printer's font would print blank:
    # that line goes as a BITMAP (tests/printing/test_label_fonts.py reads it back).
    rare = render_tspl(make_waybill(receiver=RECEIVER.__class__(
        "王喆䶮", "13800138000", "浙江省", "杭州市", "西湖区", "文三路1号")), "100x150")
    assert "王喆䶮".encode("gb18030") not in rare and b"\r\nBITMAP " in rare


def test_quotes_are_escaped_and_300_dpi_scales_the_font() -> None:
    data = render_tspl(make_waybill(remark='写"加急"'), "100x150", 300).decode("gb18030")
    assert '写\\["]加急\\["]' in data
    assert re.search(r'"TSS24\.BF2",0,2,2,', data)


def test_labels_and_cards() -> None:
    cards = render_tspl(CommandCards(), "76x130").decode("gb18030")
    assert cards.count("PRINT 1,1") == 5 and cards.count("SIZE ") == 1
    assert '"CMD-REPRINT"' in cards and "重打" in cards
    assert '"LOC-HZ-A03-12-2"' in render_tspl(BinLabel("LOC-HZ-A03-12-2", "A区"),
                                              "100x150").decode("gb18030")
    assert b"TOTE-HZ-00042" in render_tspl(ToteLabel("TOTE-HZ-00042"))
    with pytest.raises(DocumentError, match="PickList is not printed on labels"):
        render_tspl(make_pick_list(), "100x150")
    with pytest.raises(DocumentError, match="203 or 300"):
        render_tspl(make_waybill(), "100x150", 150)


def test_a_station_with_no_font_file_still_lays_out_a_label_in_the_printers_own_font(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The waybill's layout measured text with the CJK font file, so a station without one
    # could not print even a GB2312-only TSPL label (the printer's own font sets it all).
    from app.printing import fonts

    monkeypatch.setenv(fonts.ENV_VAR, "")
    monkeypatch.setattr(fonts, "CANDIDATES", ())
    fonts._find.cache_clear()
    try:
        with pytest.raises(fonts.FontNotFoundError):
            fonts.find_cjk_font()
        data = render_tspl(make_waybill(receiver=RECEIVER), "100x150").decode("gb18030")
    finally:
        fonts._find.cache_clear()
    assert "BITMAP" not in data and RECEIVER.name in data
