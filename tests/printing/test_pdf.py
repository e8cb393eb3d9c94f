"""PDF and PNG: the font is embedded, the barcodes read back with zxing-cpp from pdfium's
rendering, the Chinese text comes back out of the PDF."""

from __future__ import annotations

import re

import pytest

from app.printing.documents import BinLabel, CommandCards, ToteLabel
from app.printing.pdf import render_pdf
from app.printing.raster import pdf_to_images, render_png
from app.printing.text_fit import DocumentError
from tests.printing.conftest import (
    RECEIVER,
    barcodes,
    make_manifest,
    make_pick_list,
    make_slip,
    make_waybill,
    pdf_pages_text,
    squeeze,
)

TRACKING = "SF1234567890123"


def assert_fonts_embedded(pdf: bytes) -> None:
    """Every font is an embedded TrueType subset: no CID font for the viewer to find."""
    assert b"/FontFile2" in pdf
    names = re.findall(rb"/BaseFont /(\S+)", pdf)
    assert names and all(re.fullmatch(rb"[A-Z]{6}\+\S+", name) for name in names), names
    assert pdf.count(b"/FontFile2") >= len(set(names))
    assert b"/Type0" not in pdf and b"UniGB" not in pdf and b"STSong" not in pdf


@pytest.mark.parametrize("paper", ["100x150", "76x130", "100x180"])
def test_waybill_pdf_reads_back(paper: str) -> None:
    pdf = render_pdf(make_waybill(), paper)
    assert pdf.startswith(b"%PDF")
    assert_fonts_embedded(pdf)
    (image,) = pdf_to_images(pdf, 203)
    found = set(barcodes(image))
    assert found == {("Code128", TRACKING), ("QRCode", TRACKING)}
    (text,) = pdf_pages_text(pdf)
    flat = squeeze(text)
    assert RECEIVER.name in flat and squeeze(RECEIVER.full_address) in flat
    assert "138****8000" in flat and "13800138000" not in flat
    assert "预售" in flat and "深圳南山A12" in flat and "PL2611110000124" in flat


def test_the_same_document_gives_the_same_pdf() -> None:
    assert render_pdf(make_waybill(), "100x150") == render_pdf(make_waybill(), "100x150")
    assert render_pdf(make_waybill(), "100x150") != render_pdf(
        make_waybill(tracking_no="SF9999999999999"), "100x150")


def test_png_reads_back_at_the_printers_dpi() -> None:
    png = render_png(make_waybill(), "100x150", 300)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    from io import BytesIO

    from PIL import Image

    with Image.open(BytesIO(png)) as image:
        assert image.size == (1181, 1772)
        assert set(barcodes(image)) == {("Code128", TRACKING), ("QRCode", TRACKING)}


def test_pick_list_a4_runs_over_pages_with_the_header_repeated() -> None:
    pick = make_pick_list(40)
    pdf = render_pdf(pick, "a4")
    assert_fonts_embedded(pdf)
    texts = pdf_pages_text(pdf)
    assert len(texts) >= 3
    for number, text in enumerate(texts, start=1):
        assert "拣货单" in text and pick.wave_no in text
        assert f"第 {number} / {len(texts)} 页" in text
    # Bins in the given order, across pages.
    flat = squeeze("".join(texts))
    positions = [flat.index(task.bin) for task in pick.tasks]
    assert positions == sorted(positions)
    first = pdf_to_images(pdf, 200)[0]
    codes = dict((text, kind) for kind, text in barcodes(first))
    assert codes.get(pick.wave_no) == "Code128"
    assert {task.barcode for task in pick.tasks[:5]} <= set(codes)


def test_pick_list_and_packing_slip_on_the_roll() -> None:
    slip = make_slip()
    pdf = render_pdf(slip, "80mm")
    (image,) = pdf_to_images(pdf, 203)
    assert image.width == 639  # 80 mm at 203 dpi
    assert set(barcodes(image)) == {("Code128", slip.order_no), ("QRCode", slip.order_no)}
    assert slip.receiver_name in pdf_pages_text(pdf)[0]
    long_slip = make_slip(lines=tuple((f"SKU-{i}", f"商品{i}", 1) for i in range(30)))
    (tall,) = pdf_to_images(render_pdf(long_slip, "80mm"), 100)
    assert tall.height > image.height * 100 / 203 * 1.5  # the page grows with the content
    pick = make_pick_list(3)
    (roll,) = pdf_to_images(render_pdf(pick, "80mm"), 203)
    assert ("Code128", pick.wave_no) in barcodes(roll)


def test_command_card_sheet_reads_back_all_five_codes() -> None:
    pdf = render_pdf(CommandCards(), "a4")
    assert_fonts_embedded(pdf)
    (page,) = pdf_to_images(pdf, 150)
    assert {text for kind, text in barcodes(page) if kind == "Code128"} == {
        "CMD-CONFIRM", "CMD-CANCEL", "CMD-NEWBOX", "CMD-PAUSE", "CMD-REPRINT"}
    text = pdf_pages_text(pdf)[0]
    assert all(label in text for label in ("确认", "取消", "新箱", "暂停", "重打"))
    labels = render_pdf(CommandCards(), "100x150")
    assert len(pdf_to_images(labels, 72)) == 5


def test_bin_and_tote_labels() -> None:
    for doc in (BinLabel("LOC-HZ-A03-12-2", "A区 03排 12列 2层"), ToteLabel("TOTE-HZ-00042")):
        (image,) = pdf_to_images(render_pdf(doc, "76x130"), 203)
        assert set(barcodes(image)) == {("Code128", doc.code), ("QRCode", doc.code)}


def test_manifest_lists_every_parcel_with_the_batch_barcode() -> None:
    manifest = make_manifest(60)
    pdf = render_pdf(manifest, "a4")
    texts = pdf_pages_text(pdf)
    assert len(texts) >= 2 and all("交接清单" in t for t in texts)
    flat = "".join(texts)
    assert all(p.tracking_no in flat for p in manifest.parcels)
    assert "共 60 件" in texts[0] and "承运人签字" in texts[-1]
    assert ("Code128", manifest.batch_no) in barcodes(pdf_to_images(pdf, 150)[0])


def test_refuses_what_pdf_does_not_print() -> None:
    with pytest.raises(DocumentError, match="Manifest is not printed as PDF on 80mm"):
        render_pdf(make_manifest(), "80mm")
    with pytest.raises(DocumentError, match="not printed on labels"):
        render_pdf(make_slip(), "100x150")
    with pytest.raises(DocumentError, match="dpi"):
        pdf_to_images(render_pdf(make_waybill()), 10)
    with pytest.raises(DocumentError, match="not a PDF"):
        pdf_to_images(b"^XA^XZ", 203)
