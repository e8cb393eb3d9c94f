"""ESC/POS: real python-escpos bytes taken apart again — Chinese between FS & and FS . in
GB18030, the Code 128 command with the order number, the cut, raster images decoded."""

from __future__ import annotations

import re

import pytest

from app.printing.documents import CommandCards
from app.printing.escpos_doc import render_escpos
from app.printing.text_fit import DocumentError
from tests.printing.conftest import (
    barcodes,
    escpos_raster_images,
    make_manifest,
    make_pick_list,
    make_slip,
    make_waybill,
    stack,
)

CODE128_B = b"\x1dkI"  # GS k m=73 (function B, CODE128)


def chinese_runs(data: bytes) -> list[str]:
    return [m.decode("gb18030") for m in re.findall(rb"\x1c&(.*?)\x1c\.", data, re.DOTALL)]


def code128(data: bytes) -> list[str]:
    found = []
    for match in re.finditer(re.escape(CODE128_B), data):
        length = data[match.end()]
        found.append(data[match.end() + 1:match.end() + 1 + length].decode("ascii"))
    return found


def test_packing_slip_with_the_printers_chinese_font() -> None:
    slip = make_slip()
    data = render_escpos(slip, "80mm", chinese_font=True)
    assert data.startswith(b"\x1b@")  # ESC @ initialise
    runs = chinese_runs(data)
    assert any(slip.receiver_name in run for run in runs)
    assert any("小米手环9 NFC版 黑色" in run for run in runs)
    assert slip.receiver_name.encode("utf-8") not in data
    assert code128(data) == ["{B" + slip.order_no]
    assert b"\x1d(k" in data  # the printer's own QR code
    assert b"PL2611110000123" in data.split(b"\x1d(k", 1)[1]
    assert b"\x1dV" in data and data.rindex(b"\x1dV") > data.rindex(CODE128_B)
    assert b"\x1dv0" not in data
    assert b"\x1d!\x11" in data  # GS ! double size, which scales Chinese too


def test_packing_slip_as_raster_for_printers_without_chinese() -> None:
    slip = make_slip()
    data = render_escpos(slip, "80mm", chinese_font=False)
    assert b"\x1dv0" in data and b"\x1c&" not in data
    assert slip.receiver_name.encode("gb18030") not in data
    assert code128(data) == ["{B" + slip.order_no] and b"\x1dV" in data
    images = escpos_raster_images(data)
    assert all(image.width == 576 for image in images)
    # The QR code was sent as an image: read it back.
    found = [text for image in images for kind, text in barcodes(stack([image]))
             if kind == "QRCode"]
    assert found == [slip.order_no]


def test_pick_list_and_command_cards_on_the_roll() -> None:
    pick = make_pick_list(4)
    data = render_escpos(pick, "80mm", chinese_font=True)
    assert code128(data) == ["{B" + pick.wave_no]
    runs = "".join(chinese_runs(data))
    assert "拣货单" in runs and "商品3 保温杯" in runs
    assert all(task.bin.encode() in data for task in pick.tasks)
    cards = render_escpos(CommandCards(), "80mm", chinese_font=True)
    assert code128(cards) == ["{B" + card.code for card in CommandCards().cards]
    assert cards.count(b"\x1dV") == 5
    assert [r for r in chinese_runs(cards)] == [c.label for c in CommandCards().cards]
    raster = render_escpos(CommandCards(), "80mm", 180)
    assert all(image.width == 512 for image in escpos_raster_images(raster))


def test_a_waybill_on_the_roll_for_a_bench_with_only_a_receipt_printer() -> None:
    waybill = make_waybill()
    data = render_escpos(waybill, "80mm", chinese_font=True)
    assert code128(data) == ["{B" + waybill.tracking_no]
    runs = "".join(chinese_runs(data))
    assert waybill.receiver.name in runs and waybill.sender.name in runs
    assert waybill.receiver.masked_phone.encode() in data and waybill.receiver.phone.encode() \
        not in data
    assert data.count(b"\x1dV") == 1
    raster = render_escpos(waybill, "80mm")
    assert all(image.width == 576 for image in escpos_raster_images(raster))


def test_refuses_what_escpos_does_not_print() -> None:
    with pytest.raises(DocumentError, match="Manifest is not printed in ESC/POS"):
        render_escpos(make_manifest(), "80mm")
    with pytest.raises(DocumentError, match="80mm roll"):
        render_escpos(make_slip(), "a4")
    with pytest.raises(DocumentError, match="203"):
        render_escpos(make_slip(), "80mm", 300)
