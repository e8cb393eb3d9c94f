"""Whatever the import door accepts prints: receiver fields at the door's maximum lengths
(`RECEIVER_LIMITS`), in the widest characters, render on every label paper in every printer
language, the receiver's whole name and address on the label's main part."""

from __future__ import annotations

import pytest

from app.domain.intake import RECEIVER_LIMITS
from app.printing.documents import Paper, Party, TextBox, label_pages
from app.printing.render import render
from tests.printing.conftest import make_waybill, pdf_pages_text, squeeze

LIMITS = RECEIVER_LIMITS


def door_maximum(char: str, second: str) -> Party:
    """Every receiver field at its limit; province, city and district differ so the full
    address keeps them all (a municipality's repeated province and city is written once)."""
    return Party(char * LIMITS["name"], "0571-87655678-" + "9" * (LIMITS["phone"] - 14),
                 char * LIMITS["province"], second * LIMITS["city"],
                 char * LIMITS["district"], second * LIMITS["address"])


WIDEST = {"wide latin": ("W", "M"), "chinese": ("墨", "鑫")}
LANGUAGES = [("pdf", None), ("zpl", "graphic"), ("zpl", "font"), ("tspl", None)]
LABELS = [Paper.L76X130, Paper.L100X150, Paper.L100X180]


@pytest.fixture(scope="module", params=sorted(WIDEST))
def waybill(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    char, second = WIDEST[request.param]
    return make_waybill(receiver=door_maximum(char, second), remark="易" * 1000)


@pytest.mark.parametrize("paper", LABELS, ids=str)
@pytest.mark.parametrize(("language", "cjk", "dpi"),
                         [("pdf", None, 203)] + [(language, cjk, dpi)
                                                 for language, cjk in LANGUAGES[1:]
                                                 for dpi in (203, 300)],
                         ids=lambda v: str(v))
def test_door_maximum_renders_on_every_label(waybill, paper, language, cjk, dpi):  # type: ignore[no-untyped-def]
    data = render(waybill, language, paper=paper, dpi=dpi, cjk=cjk)
    assert data.startswith({"pdf": b"%PDF", "zpl": b"^XA", "tspl": b"SIZE"}[language])


@pytest.mark.parametrize("chinese_font", [True, False])
def test_door_maximum_renders_on_the_roll(waybill, chinese_font):  # type: ignore[no-untyped-def]
    assert render(waybill, "escpos", paper=Paper.ROLL80, cjk="font" if chinese_font else None)


@pytest.mark.parametrize("paper", LABELS, ids=str)
def test_whole_name_and_address_on_the_main_part(waybill, paper):  # type: ignore[no-untyped-def]
    (page,) = label_pages(waybill, paper)
    texts = [el.text for el in page.elements if isinstance(el, TextBox)]
    assert waybill.receiver.name in texts
    assert waybill.receiver.full_address in texts
    pdf = squeeze(pdf_pages_text(render(waybill, "pdf", paper=paper))[0])
    assert squeeze(waybill.receiver.name) in pdf
    assert squeeze(waybill.receiver.full_address) in pdf


def test_stub_shortens_the_name_with_an_ellipsis(waybill):  # type: ignore[no-untyped-def]
    """The 180 mm label's stub holds one line of the name: a long one is shortened there
    (it is whole on the label's main part)."""
    pdf = squeeze(pdf_pages_text(render(waybill, "pdf", paper=Paper.L100X180))[0])
    assert pdf.count(squeeze(waybill.receiver.name)) == 1
    assert "\u2026" in pdf or "..." in pdf


def test_long_remark_is_shortened_not_refused():
    waybill = make_waybill(remark="请" * 1000)
    for paper in LABELS:
        pdf = squeeze(pdf_pages_text(render(waybill, "pdf", paper=paper))[0])
        assert "请请请" in pdf and "\u2026" in pdf


def test_company_name_fits_every_label():
    """A company-style receiver of 37 characters and more was refused before."""
    name = "深圳市南山区某某国际贸易科技有限公司行政部收发室前台代收人欧阳娜娜女士转交"
    waybill = make_waybill(receiver=Party(name, "13800138000", "广东省", "深圳市", "南山区",
                                          "文三路1号"))
    for paper in LABELS:
        for language, cjk in LANGUAGES:
            assert render(waybill, language, paper=paper, cjk=cjk)
        assert name in squeeze(pdf_pages_text(render(waybill, "pdf", paper=paper))[0])
