"""One door to every renderer: `render(doc, language, paper, dpi, cjk) -> bytes`, and the table
of what can be printed how, which the Printing screen and the CLI use to offer only
combinations that work.

| document      | zpl, tspl | escpos | pdf, png                 |
|---------------|-----------|--------|--------------------------|
| Waybill       | labels    | 80mm   | labels                   |
| BinLabel      | labels    | -      | labels                   |
| ToteLabel     | labels    | -      | labels                   |
| CommandCards  | labels    | 80mm   | labels, a4 (card sheet)  |
| PackingSlip   | -         | 80mm   | 80mm                     |
| PickList      | -         | 80mm   | a4, 80mm                 |
| Manifest      | -         | -      | a4                       |

A print component (cainiao, pdd, douyin, kuaishou) takes a platform e-waybill on 76x130 or
100x180, and any other document but a waybill Packline draws as data in the printer's
custom-area template (`custom_template`; app/printing/component.py says what is refused).

Labels are 100x150, 76x130 and 100x180. `cjk` chooses how Chinese reaches the printer:
"graphic" (bitmaps; any printer) or "font" (the printer's own Chinese font). Without it each
language takes its safe choice: ZPL and ESC/POS graphic, TSPL font (TSPL printers sold in
China all carry TSS24.BF2; lines with characters outside its GB2312 are sent as BITMAP
graphics, and there is no all-graphic mode). PDF and PNG always embed the fonts and ignore
`cjk`. Which fonts, and how each language gets rare characters: docs/printing.md.
"""

from __future__ import annotations

from typing import Literal, get_args

from app.printing.component import COMPONENT_LANGUAGES, check_fits, render_component
from app.printing.documents import (
    LABEL_DPIS,
    BinLabel,
    CommandCards,
    Document,
    Manifest,
    PackingSlip,
    Paper,
    PickList,
    ToteLabel,
    Waybill,
)
from app.printing.text_fit import DocumentError

Language = Literal["zpl", "tspl", "escpos", "pdf", "png", "cainiao", "pdd", "douyin",
                   "kuaishou"]
LANGUAGES: tuple[str, ...] = get_args(Language)
CjkMode = Literal["graphic", "font"]


class RenderError(DocumentError):
    """A document, language, paper, dpi or cjk mode that do not go together."""


_LABELS = frozenset({Paper.L100X150, Paper.L76X130, Paper.L100X180})
_ROLL = frozenset({Paper.ROLL80})
_A4 = frozenset({Paper.A4})
_COMPONENT = frozenset({Paper.L76X130, Paper.L100X180})  # the platforms' standard templates

SUPPORTED: dict[type, dict[str, frozenset[Paper]]] = {
    Waybill: {"zpl": _LABELS, "tspl": _LABELS, "escpos": _ROLL, "pdf": _LABELS,
              "png": _LABELS},
    BinLabel: {"zpl": _LABELS, "tspl": _LABELS, "pdf": _LABELS, "png": _LABELS},
    ToteLabel: {"zpl": _LABELS, "tspl": _LABELS, "pdf": _LABELS, "png": _LABELS},
    CommandCards: {"zpl": _LABELS, "tspl": _LABELS, "escpos": _ROLL, "pdf": _LABELS | _A4,
                   "png": _LABELS | _A4},
    PackingSlip: {"escpos": _ROLL, "pdf": _ROLL, "png": _ROLL},
    PickList: {"escpos": _ROLL, "pdf": _A4 | _ROLL, "png": _A4 | _ROLL},
    Manifest: {"pdf": _A4, "png": _A4},
}
for _papers in SUPPORTED.values():
    _papers.update({language: _COMPONENT for language in COMPONENT_LANGUAGES})


def supported_papers(doc_type: type, language: str) -> frozenset[Paper]:
    """The papers `doc_type` can be printed on in `language` (empty: not at all)."""
    return SUPPORTED.get(doc_type, {}).get(language, frozenset())


def default_paper(doc_type: type, language: str) -> Paper:
    """The paper a document goes on when none is named: for PDF and PNG an A4 sheet where the
    document has one (pick list, manifest, card sheet), else the 100x150 label or the roll."""
    papers = supported_papers(doc_type, language)
    order = (Paper.A4, Paper.L100X150, Paper.ROLL80) if language in ("pdf", "png") \
        else (Paper.L100X150, Paper.ROLL80, Paper.A4, Paper.L76X130, Paper.L100X180)
    for paper in order:
        if paper in papers:
            return paper
    raise RenderError(f"a {doc_type.__name__} cannot be printed in {language}")


def render(doc: Document, language: str, paper: Paper | str | None = None, dpi: int = 203,
           cjk: str | None = None, *, custom_template: str = "", printer: str = "") -> bytes:
    """Render `doc` for a printer speaking `language` with `paper` loaded. A print component's
    document takes its custom-area template (`custom_template`) and names `printer` when
    refused."""
    if language not in LANGUAGES:
        raise RenderError(f"unknown printer language {language!r}: use one of "
                          + ", ".join(LANGUAGES))
    doc_type = type(doc)
    if doc_type not in SUPPORTED:
        raise RenderError(f"{doc_type.__name__} is not a printable document")
    papers = supported_papers(doc_type, language)
    if not papers:
        offered = ", ".join(sorted(SUPPORTED[doc_type]))
        raise RenderError(f"a {doc_type.__name__} cannot be printed in {language}; "
                          f"it can in {offered}")
    chosen = default_paper(doc_type, language) if paper is None else Paper.parse(paper)
    if chosen not in papers:
        raise RenderError(f"a {doc_type.__name__} in {language} goes on "
                          + ", ".join(sorted(p.value for p in papers))
                          + f", not {chosen.value}")
    if cjk is not None and cjk not in get_args(CjkMode):
        raise RenderError(f"cjk must be 'graphic' or 'font', not {cjk!r}")
    if isinstance(dpi, bool) or not isinstance(dpi, int):
        raise RenderError(f"dpi must be a whole number, not {dpi!r}")
    if language in COMPONENT_LANGUAGES:
        return render_component(doc, language, custom_template=custom_template,
                                printer=printer)
    check_fits(doc, language, printer)  # a platform e-waybill prints only through a component

    if language == "zpl":
        from app.printing.zpl import render_zpl

        _label_dpi(language, dpi)
        return render_zpl(doc, chosen, dpi, cjk=cjk or "graphic")
    if language == "tspl":
        from app.printing.tspl import render_tspl

        _label_dpi(language, dpi)
        if cjk == "graphic":
            raise RenderError("TSPL output uses the printer's Chinese font TSS24.BF2; "
                              "use cjk='font' (or leave it out)")
        return render_tspl(doc, chosen, dpi)
    if language == "escpos":
        from app.printing.escpos_doc import render_escpos

        return render_escpos(doc, chosen, dpi, chinese_font=cjk == "font")
    if language == "pdf":
        from app.printing.pdf import render_pdf

        return render_pdf(doc, chosen, dpi)
    from app.printing.raster import render_png

    return render_png(doc, chosen, dpi)


def prepare(doc: Document, language: str, paper: Paper | str | None = None, dpi: int = 203,
            cjk: str | None = None) -> bool:
    """Do now what a later `render` of `doc`, or of the same document with another tracking
    number, weight or time, reuses: ZPL with Chinese as graphics keeps the bitmap of each text
    block it draws, so rendering `doc` once leaves its Chinese text drawn. The other languages
    keep nothing between documents and nothing is done. True if something was."""
    if language != "zpl" or (cjk or "graphic") != "graphic":
        return False
    render(doc, language, paper, dpi, cjk)
    return True


def _label_dpi(language: str, dpi: int) -> None:
    if dpi not in LABEL_DPIS:
        raise RenderError(f"{language} labels are rendered at 203 or 300 dpi, not {dpi}")
