"""Helpers for the printing tests: sample documents with Chinese receivers, a fake printer that
is always closed, and readers that take rendered output apart again (barcodes from images with
zxing-cpp, text from PDFs with pdfium, ^GFA bitmaps from ZPL, raster images from ESC/POS)."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from datetime import datetime

import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image

from app.printing.documents import (
    Manifest,
    ManifestParcel,
    PackingSlip,
    Party,
    PickList,
    PickTask,
    SlipLine,
    Waybill,
)
from drivers.printers.fake import FakePrinter

NOW = datetime(2026, 11, 11, 10, 23)

SENDER = Party("杭州仓 Packline", "0571-87655678", "浙江省", "杭州市", "余杭区",
               "仓前街道文一西路1500号3号库")
RECEIVER = Party("欧阳娜娜", "13800138000", "广东省", "深圳市", "南山区",
                 "粤海街道科技园南区高新南七道18号创维半导体大厦东座18楼1803室")


def make_waybill(**overrides: object) -> Waybill:
    fields: dict[str, object] = dict(
        carrier_code="SF", carrier_name="顺丰速运", tracking_no="SF1234567890123",
        sender=SENDER, receiver=RECEIVER,
        order_nos=("PL2611110000123", "PL2611110000124"), package_no=1, package_count=2,
        weight_g=1250, presale=True, promised_ship_by="2026-11-12 18:00",
        route_code="深圳 南山 A12", remark="易碎 轻放", printed_at=NOW)
    fields.update(overrides)
    return Waybill(**fields)  # type: ignore[arg-type]


def make_slip(**overrides: object) -> PackingSlip:
    fields: dict[str, object] = dict(
        order_no="PL2611110000123", channel_order_no="3987654321098765",
        shop="小米官方旗舰店", receiver_name="欧阳娜娜",
        lines=(SlipLine("SKU-001", "小米手环9 NFC版 黑色", 1),
               SlipLine("SKU-002", "USB-C 充电线 1m", 2)),
        remark="请开发票", printed_at=NOW)
    fields.update(overrides)
    return PackingSlip(**fields)  # type: ignore[arg-type]


def make_pick_list(tasks: int = 5) -> PickList:
    return PickList(
        wave_no="WAVE-20261111001", warehouse="HZ", strategy="按单拣货", picker="李四",
        tasks=tuple(PickTask(i + 1, f"LOC-HZ-A{i % 9 + 1:02d}-{i % 20 + 1:02d}-{i % 4 + 1}",
                             f"SKU-{i:04d}", f"690123456{i:04d}", f"商品{i} 保温杯 500ml 蓝色",
                             i % 3 + 1, f"T{i % 6 + 1:02d}-{i % 4 + 1}")
                    for i in range(tasks)),
        printed_at=NOW)


def make_manifest(parcels: int = 5) -> Manifest:
    return Manifest(carrier="顺丰速运", batch_no="HO-20261111-007", warehouse="HZ",
                    parcels=tuple(ManifestParcel(f"SF{i:013d}", f"PL26111100{i:05d}",
                                                 1000 + i) for i in range(parcels)),
                    handed_over_by="王五", printed_at=NOW)


@pytest.fixture
def fake_printer() -> Iterator[FakePrinter]:
    before = set(threading.enumerate())
    printer = FakePrinter()
    yield printer
    printer.close()
    left = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    assert not left, f"fake printer threads still running: {left}"


# -- reading output back -------------------------------------------------------------------


def barcodes(image: Image.Image) -> list[tuple[str, str]]:
    """(format, text) of every barcode zxing-cpp finds in the image."""
    return [(r.format.name, r.text) for r in zxingcpp.read_barcodes(image)]


def pdf_pages_text(pdf: bytes) -> list[str]:
    document = pdfium.PdfDocument(pdf)
    try:
        texts = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            try:
                texts.append(textpage.get_text_range())
            finally:
                textpage.close()
                page.close()
        return texts
    finally:
        document.close()


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def expand_zpl_hex(data: str, per_row: int) -> list[str]:
    """Undo ZPL ASCII compression: an independent reading of the scheme (repeat counts G-Y =
    1-19, g-z = 20-400 added up, ',' zero-fills the row, '!' one-fills it, ':' repeats the
    previous row)."""
    width = per_row * 2
    rows: list[str] = []
    current = ""
    count = 0
    for ch in data:
        if "G" <= ch <= "Y":
            count += ord(ch) - ord("G") + 1
        elif "g" <= ch <= "z":
            count += (ord(ch) - ord("g") + 1) * 20
        elif ch in ",!":
            rows.append(current.ljust(width, "0" if ch == "," else "F"))
            current = ""
        elif ch == ":":
            assert not current, "row repeat inside a row"
            rows.append(rows[-1])
        else:
            assert ch in "0123456789ABCDEF", ch
            current += ch * (count or 1)
            count = 0
            assert len(current) <= width, "row overflow"
            if len(current) == width:
                rows.append(current)
                current = ""
    assert not current and not count
    return rows


def zpl_graphics(zpl: str) -> list[Image.Image]:
    """The ^GFA graphic fields of a ZPL stream as images (ink black)."""
    images = []
    for match in re.finditer(r"\^GFA,(\d+),(\d+),(\d+),([^\^]*)", zpl):
        total, count, per_row = int(match[1]), int(match[2]), int(match[3])
        assert total == count
        rows = expand_zpl_hex(match[4], per_row)
        bits = bytes.fromhex("".join(rows))
        assert len(bits) == total
        image = Image.frombytes("1", (per_row * 8, len(rows)), bits)
        images.append(image.point(lambda v: 255 - v).convert("1"))
    return images


def escpos_raster_images(data: bytes) -> list[Image.Image]:
    """Every GS v 0 raster bit image in an ESC/POS stream, as an image (ink black)."""
    images = []
    for match in re.finditer(rb"\x1dv0", data):
        start = match.end()
        x_bytes = data[start + 1] | data[start + 2] << 8
        height = data[start + 3] | data[start + 4] << 8
        bits = data[start + 5:start + 5 + x_bytes * height]
        image = Image.frombytes("1", (x_bytes * 8, height), bits)
        images.append(image.point(lambda v: 255 - v).convert("1"))
    return images


def stack(images: list[Image.Image], quiet: int = 40) -> Image.Image:
    """Images one below the other on white with a quiet zone, for a barcode reader."""
    width = max(i.width for i in images) + 2 * quiet
    height = sum(i.height for i in images) + 2 * quiet
    sheet = Image.new("L", (width, height), 255)
    y = quiet
    for image in images:
        sheet.paste(image.convert("L"), (quiet, y))
        y += image.height
    return sheet
