"""Documents: phone masking, validation with clear errors, paper, wrapping, label layout."""

from __future__ import annotations

import dataclasses

import pytest

from app.printing.documents import (
    BarcodeBox,
    BinLabel,
    CommandCard,
    CommandCards,
    Paper,
    Party,
    PickTask,
    QrBox,
    SlipLine,
    TextBox,
    ToteLabel,
    label_pages,
    mask_phone,
)
from app.printing.text_fit import DocumentError, text_cells, wrap
from tests.printing.conftest import (
    NOW,
    RECEIVER,
    make_manifest,
    make_pick_list,
    make_slip,
    make_waybill,
)


@pytest.mark.parametrize(("phone", "masked"), [
    ("13800138000", "138****8000"),
    ("138 0013 8000", "138****8000"),
    ("+86 138-0013-8000", "138****8000"),
    ("8613800138000", "138****8000"),
    ("0571-87655678", "0571-****5678"),
    ("057187655678", "0571-****5678"),
    ("(0571) 8765 5678", "0571-****5678"),
    ("010-12345678", "010-****5678"),
    ("01012345678", "010-****5678"),
    ("020 12345678", "020-****5678"),
    ("0571-87655678-123", "0571-****5678-123"),
    ("18877771111-123", "188****1111-123"),  # a privacy number: the extension is dialled
    ("18877771111-1234", "188****1111-1234"),
    ("+85291234567", "+852-****4567"),
    ("+85328123456", "+853-****3456"),
    ("+886912345678", "+886-****5678"),
    ("138****8000", "138****8000"),
    ("87655678", "****5678"),
    ("123", "****"),
    ("", ""),
])
def test_mask_phone_the_way_carriers_do(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked


def test_full_address_joins_the_parts_and_drops_a_repeated_municipality() -> None:
    assert RECEIVER.full_address.startswith("广东省深圳市南山区粤海街道")
    shanghai = Party("王", "", "上海市", "上海市", "浦东新区", "世纪大道100号")
    assert shanghai.full_address == "上海市浦东新区世纪大道100号"
    assert RECEIVER.masked_phone == "138****8000"


@pytest.mark.parametrize(("overrides", "words"), [
    ({"tracking_no": ""}, "tracking_no"),
    ({"tracking_no": "SF 123"}, "printable ASCII"),
    ({"tracking_no": "顺丰123"}, "printable ASCII"),
    ({"tracking_no": "SF" + "1" * 60}, "longer than"),
    ({"package_no": 3, "package_count": 2}, "beyond package_count"),
    ({"package_no": 0}, "package_no"),
    ({"package_count": 0, "package_no": 1}, "package_count"),
    ({"weight_g": -1}, "weight_g"),
    ({"weight_g": 1.5}, "weight_g"),
    ({"carrier_name": ""}, "carrier_name is empty"),
    ({"remark": "line\nbreak"}, "control character"),
    ({"order_nos": "PL1"}, "order_nos must be a tuple"),
    ({"order_nos": ("PL 1",)}, "order_nos"),
    ({"printed_at": "2026-11-11"}, "printed_at"),
    ({"receiver": "张三"}, "Party"),
])
def test_waybill_refuses_bad_data_with_a_clear_value_error(overrides: dict[str, object],
                                                            words: str) -> None:
    with pytest.raises(DocumentError, match=words) as caught:
        make_waybill(**overrides)
    assert isinstance(caught.value, ValueError)


def test_party_refuses_control_characters_and_an_empty_name() -> None:
    with pytest.raises(DocumentError, match="name is empty"):
        Party(" ", "1", "浙江省", "杭州市", "西湖区", "文三路1号")
    with pytest.raises(DocumentError, match="control character"):
        Party("张\x1d三", "1", "浙江省", "杭州市", "西湖区", "文三路1号")


def test_lists_are_stored_as_tuples_and_documents_stay_frozen() -> None:
    waybill = make_waybill(order_nos=["PL1", "PL2"])
    assert waybill.order_nos == ("PL1", "PL2")
    slip = make_slip(lines=[("SKU-1", "杯子", 2)])
    assert slip.lines == (SlipLine("SKU-1", "杯子", 2),)
    with pytest.raises(dataclasses.FrozenInstanceError):
        waybill.tracking_no = "X"  # type: ignore[misc]


def test_other_documents_validate_their_fields() -> None:
    with pytest.raises(DocumentError, match="qty"):
        make_slip(lines=(SlipLine("SKU-1", "杯子", 0),))
    with pytest.raises(DocumentError, match="one or more"):
        make_slip(lines=())
    with pytest.raises(DocumentError, match="wave_no"):
        dataclasses.replace(make_pick_list(), wave_no="WAVE 1")
    with pytest.raises(DocumentError, match="PickTask.qty"):
        dataclasses.replace(make_pick_list(), tasks=(PickTask(1, "A", "S", "", "n", 0, ""),))
    with pytest.raises(DocumentError, match="BinLabel.code"):
        BinLabel("LOC HZ", "A区")
    with pytest.raises(DocumentError, match="ToteLabel.code"):
        ToteLabel("")
    with pytest.raises(DocumentError, match="CommandCard.code"):
        CommandCards((("CMD-\u786e\u8ba4", "确认"),))
    with pytest.raises(DocumentError, match="weight_g"):
        dataclasses.replace(make_manifest(), parcels=(("SF1", "PL1", -5),))
    assert make_manifest(2).parcels[1].weight_g == 1001
    assert CommandCards().cards[0] == CommandCard("CMD-CONFIRM", "确认")
    assert [c.code for c in CommandCards().cards] == [
        "CMD-CONFIRM", "CMD-CANCEL", "CMD-NEWBOX", "CMD-PAUSE", "CMD-REPRINT"]


def test_paper_sizes() -> None:
    assert Paper.parse("100x150").width_mm == 100 and Paper.parse("100X150").height_mm == 150
    assert Paper.parse("76x130").is_label and Paper.parse("100x180").height_mm == 180
    assert Paper.ROLL80.height_mm is None and Paper.ROLL80.printable_width_mm == 72
    assert not Paper.A4.is_label and Paper.A4.width_mm == 210
    with pytest.raises(DocumentError, match="unknown paper 'a5'"):
        Paper.parse("a5")


def test_wrap_breaks_chinese_anywhere_and_ascii_at_spaces() -> None:
    assert text_cells("张三ab") == 6
    assert wrap("浙江省杭州市西湖区", 6) == ["浙江省", "杭州市", "西湖区"]
    assert wrap("PL123 PL456 PL789", 12) == ["PL123 PL456", "PL789"]
    assert wrap("ABCDEFGHIJ", 4) == ["ABCD", "EFGH", "IJ"]
    assert wrap("浙江省杭州市西湖区文三路", 6, max_lines=2) == ["浙江省", "杭州\u2026"]
    assert wrap("", 10) == []


@pytest.mark.parametrize("paper", [Paper.L100X150, Paper.L76X130, Paper.L100X180])
def test_waybill_layout_stays_on_the_label(paper: Paper) -> None:
    (layout,) = label_pages(make_waybill(), paper)
    assert paper.height_mm is not None
    for el in layout.elements:
        assert el.x >= 0 and el.y >= 0, el
        if isinstance(el, TextBox | BarcodeBox):
            assert el.x + el.width <= paper.width_mm + 0.01, el
        if isinstance(el, QrBox):
            assert el.x + el.size <= paper.width_mm and el.y + el.size <= paper.height_mm
    barcodes = [el for el in layout.elements if isinstance(el, BarcodeBox)]
    assert {b.data for b in barcodes} == {"SF1234567890123"}


def test_label_pages_refuse_documents_that_are_not_labels() -> None:
    with pytest.raises(DocumentError, match="PackingSlip is not printed on labels"):
        label_pages(make_slip(), Paper.L100X150)
    with pytest.raises(DocumentError, match="not label paper"):
        label_pages(make_waybill(), Paper.A4)
    assert len(label_pages(CommandCards(), Paper.L76X130)) == 5
    assert NOW.year == 2026
