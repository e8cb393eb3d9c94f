"""Labels, for any text the door takes: a receiver's name and address that
`app.domain.text.clean_line` accepts print on every kind of label — PDF, PNG, ZPL, TSPL and
ESC/POS — with every character set in a font of the chain, or, for the few characters the
repertoire still holds that no installed font has, the waybill is refused naming the field.
Nothing is dropped silently."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from app.domain.intake import RECEIVER_LIMITS
from app.domain.text import COMBINING, REPERTOIRE, TextRefused, clean_line, printable
from app.printing import fonts
from app.printing.documents import Paper, Party, TextBox, label_pages
from app.printing.escpos_doc import render_escpos
from app.printing.pdf import render_pdf
from app.printing.raster import render_png
from app.printing.text_fit import DocumentError
from app.printing.tspl import _lines as tspl_lines
from app.printing.tspl import render_tspl
from app.printing.zpl import render_zpl
from tests.printing.conftest import make_waybill, pdf_pages_text, squeeze


@cache
def repertoire() -> list[str]:
    return [chr(c) for start, end, _ in REPERTOIRE for c in range(start, end + 1)
            if printable(chr(c))]


# Mostly the repertoire, with what the door cleans or refuses mixed in.
characters = st.one_of(
    st.integers(0, 10**9).map(lambda i: repertoire()[i % len(repertoire())]),
    st.sampled_from("张王李欧阳娜路号 ABC123-#()"),
    st.sampled_from("\t\n\r\u3000\u00a0\u2028\x00\u202e\ue000"),
)
texts = st.text(characters, min_size=1, max_size=40)


def door(value: str, field: str) -> str:
    try:
        text = clean_line(value, field)
    except TextRefused:
        assume(False)
        raise
    assume(text)
    return text


def gap(text: str) -> str | None:
    return fonts.font_chain().missing(text)


@given(texts)
def test_any_accepted_text_is_set_whole_by_the_chain(value: str) -> None:
    text = door(value, "name")
    chain = fonts.font_chain()
    missing = gap(text)
    if missing is not None:
        with pytest.raises(DocumentError, match=f"U\\+{ord(missing):04X}"):
            chain.runs(text)
        return
    runs = chain.runs(text)
    # Every character is in its run's font; only joiners and selectors are left out.
    assert "".join(run for _, run in runs) == "".join(
        c for c in text if ord(c) not in COMBINING)
    for index, run in runs:
        assert all(ord(c) in chain.cmap(index) for c in run)
    # The bitmap a printer gets (ZPL ^GF, TSPL BITMAP, ESC/POS raster) has ink for any ink.
    image = fonts.draw_lines([text], 24)
    assert image.height >= 24
    if any(not c.isspace() and ord(c) not in COMBINING for c in text):
        assert image.getbbox() is not None
    commands = tspl_lines([text], 24, 1, 0, 0, 800, "left")
    assert len(commands) == 1


RENDERERS = {
    "pdf": lambda w: render_pdf(w, "76x130"),
    "png": lambda w: render_png(w, "76x130"),
    "zpl": lambda w: render_zpl(w, "100x150"),
    "zpl font": lambda w: render_zpl(w, "76x130", 300, cjk="font"),
    "tspl": lambda w: render_tspl(w, "76x130"),
    "escpos": lambda w: render_escpos(w, "80mm"),
    "escpos font": lambda w: render_escpos(w, "80mm", chinese_font=True),
}


@given(texts, texts, st.sampled_from(sorted(RENDERERS)))
def test_any_accepted_receiver_prints_on_every_kind_of_label(name: str, street: str,
                                                             kind: str) -> None:
    name, street = door(name, "name"), door(street, "address")
    waybill = make_waybill(receiver=Party(name, "13800138000", "广东省", "深圳市", "南山区",
                                          street))
    missing = gap(name + street)
    if missing is not None:
        with pytest.raises(DocumentError, match=f"U\\+{ord(missing):04X}"):
            RENDERERS[kind](waybill)
        return
    data = RENDERERS[kind](waybill)
    assert data
    if kind == "pdf":
        text = plain(pdf_pages_text(data)[0])
        for value in (name, street):
            assert plain("".join(c for c in value if ord(c) not in COMBINING)) in text


def plain(text: str) -> str:
    """Text without white space and hyphens: pdfium reads a hyphen ending a line as a soft
    hyphen (U+FFFE)."""
    return squeeze(text).translate({0x2D: None, 0xFFFE: None, 0x2010: None, 0xAD: None})


# The repertoire and the widest characters, nothing the door refuses: long texts of the mix
# above would be refused too often to test.
long_texts = st.text(st.one_of(
    st.integers(0, 10**9).map(lambda i: repertoire()[i % len(repertoire())]),
    st.sampled_from("张王欧阳路号墨鑫 WM@"),
), min_size=1, max_size=120)


@given(long_texts, long_texts, long_texts, st.sampled_from(["76x130", "100x150", "100x180"]))
def test_any_receiver_the_door_takes_is_laid_out_whole(name: str, district: str,
                                                       street: str, paper: str) -> None:
    """Up to the door's lengths, the waybill's layout always has room for the receiver's
    whole name and address (what each printer language does with it is tested above and in
    tests/printing/test_door_maximum.py)."""
    name = door(name, "name")[:RECEIVER_LIMITS["name"]]
    district = door(district, "district")[:RECEIVER_LIMITS["district"]]
    street = door(street * 3, "address")[:RECEIVER_LIMITS["address"]]
    receiver = Party(name, "13800138000", "广东省", "深圳市", district, street)
    (page,) = label_pages(make_waybill(receiver=receiver, remark=street), Paper(paper))
    texts = [el.text for el in page.elements if isinstance(el, TextBox)]
    assert receiver.name in texts and receiver.full_address in texts
