"""The dispatcher: every supported combination renders, the others are refused clearly; and
where the CJK font comes from."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.printing import fonts
from app.printing.component import COMPONENT_LANGUAGES
from app.printing.documents import (
    BinLabel,
    CommandCards,
    Manifest,
    Paper,
    PickList,
    ToteLabel,
    Waybill,
)
from app.printing.render import (
    SUPPORTED,
    RenderError,
    default_paper,
    render,
    supported_papers,
)
from app.printing.text_fit import DocumentError
from tests.printing.conftest import make_manifest, make_pick_list, make_slip, make_waybill

SAMPLES = {
    Waybill: make_waybill(),
    BinLabel: BinLabel("LOC-HZ-A03-12-2", "A区"),
    ToteLabel: ToteLabel("TOTE-HZ-00042"),
    CommandCards: CommandCards(),
    PickList: make_pick_list(3),
    type(make_slip()): make_slip(),
    type(make_manifest()): make_manifest(3),
}
MAGIC = {"zpl": b"^XA", "tspl": b"SIZE ", "escpos": b"\x1b@", "pdf": b"%PDF",
         "png": b"\x89PNG"}


@pytest.mark.parametrize(("doc_type", "language", "paper"), [
    (doc_type, language, paper) for doc_type, languages in SUPPORTED.items()
    for language, papers in languages.items() for paper in sorted(papers)])
def test_every_supported_combination_renders(doc_type: type, language: str,
                                             paper: Paper) -> None:
    if language in COMPONENT_LANGUAGES:  # a platform's e-waybill, or data in the custom area
        doc = SAMPLES[doc_type] if doc_type is not Waybill else make_waybill(
            provider=language, print_data={"encryptedData": "E", "signature": "S",
                                           "templateURL": "http://std", "ver": "1"})
        data = render(doc, language, paper, custom_template="http://custom")
        assert data.startswith(b'{"documentID":')
        return
    data = render(SAMPLES[doc_type], language, paper, 203 if language != "png" else 72)
    assert data.startswith(MAGIC[language])


def test_unsupported_combinations_are_refused_with_what_would_work() -> None:
    with pytest.raises(RenderError, match="PickList cannot be printed in zpl; it can in "
                                          "cainiao, douyin, escpos, kuaishou, pdd, pdf, png"):
        render(make_pick_list(), "zpl", "a4")
    with pytest.raises(RenderError, match="Waybill in pdf goes on 100x150, 100x180, 76x130, "
                                          "not a4"):
        render(make_waybill(), "pdf", "a4")
    with pytest.raises(RenderError, match="unknown printer language 'epl'"):
        render(make_waybill(), "epl")
    with pytest.raises(RenderError, match="203 or 300 dpi, not 600"):
        render(make_waybill(), "zpl", dpi=600)
    with pytest.raises(RenderError, match="TSS24.BF2"):
        render(make_waybill(), "tspl", cjk="graphic")
    with pytest.raises(RenderError, match="cjk must be"):
        render(make_waybill(), "zpl", cjk="bitmap")
    with pytest.raises(RenderError, match="not a printable document"):
        render("SF123", "zpl")  # type: ignore[arg-type]
    with pytest.raises(DocumentError, match="unknown paper"):
        render(make_waybill(), "zpl", "4x6")
    assert issubclass(RenderError, ValueError)


def test_defaults_follow_the_language() -> None:
    assert render(make_waybill(), "zpl").count(b"^GFA") > 5  # graphic Chinese by default
    assert b"^CW1," in render(make_waybill(), "zpl", cjk="font")
    assert b"\x1dv0" in render(make_slip(), "escpos")  # raster by default
    assert b"\x1c&" in render(make_slip(), "escpos", cjk="font")
    assert default_paper(PickList, "pdf") is Paper.A4
    assert default_paper(PickList, "escpos") is Paper.ROLL80
    assert default_paper(CommandCards, "pdf") is Paper.A4
    assert default_paper(CommandCards, "zpl") is Paper.L100X150
    assert supported_papers(Waybill, "escpos") == {Paper.ROLL80}
    assert default_paper(Waybill, "escpos") is Paper.ROLL80
    assert supported_papers(Manifest, "escpos") == frozenset()


@pytest.fixture
def fresh_font_lookup() -> Iterator[None]:
    fonts._find.cache_clear()
    yield
    fonts._find.cache_clear()


def test_font_is_found_in_the_debian_package(monkeypatch: pytest.MonkeyPatch,
                                             fresh_font_lookup: None) -> None:
    monkeypatch.delenv(fonts.ENV_VAR, raising=False)
    font = fonts.find_cjk_font()
    assert font.path.name in ("wqy-zenhei.ttc", "wqy-microhei.ttc") and font.index == 0


def test_font_setting_and_its_errors(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                     fresh_font_lookup: None) -> None:
    installed = fonts.CANDIDATES[0][0]
    monkeypatch.setenv(fonts.ENV_VAR, f"{installed}#0")
    assert fonts.find_cjk_font() == fonts.CjkFont(Path(installed), 0)
    monkeypatch.setenv(fonts.ENV_VAR, str(tmp_path / "missing.ttf"))
    with pytest.raises(fonts.FontNotFoundError, match="no such file"):
        fonts.find_cjk_font()
    otf = tmp_path / "cff.otf"
    otf.write_bytes(b"OTTO" + b"\x00" * 64)
    monkeypatch.setenv(fonts.ENV_VAR, str(otf))
    with pytest.raises(fonts.FontNotFoundError, match="CFF"):
        fonts.find_cjk_font()
    monkeypatch.setenv(fonts.ENV_VAR, f"{installed}#9")
    with pytest.raises(fonts.FontNotFoundError, match="index 9 does not exist"):
        fonts.find_cjk_font()
    monkeypatch.delenv(fonts.ENV_VAR)
    monkeypatch.setattr(fonts, "CANDIDATES", ((str(tmp_path / "none.ttc"), 0),))
    with pytest.raises(fonts.FontNotFoundError, match="fonts-wqy-zenhei"):
        fonts.find_cjk_font()
