"""match_forms: the forms under which a scanned product code can match a stored barcode, the
one normaliser picking and packing share."""

from __future__ import annotations

import pytest

from drivers.barcode import match_forms

EAN13 = "6901234567892"  # a valid Chinese (690-699) EAN-13
CASE_GTIN14 = "16901234567899"  # its case code: indicator 1
EAN8 = "96385074"
UPC_A = "036000291452"
UPC_LEADING_ZERO = "012345678905"  # a UPC-A that itself starts with a zero


@pytest.mark.parametrize(("code", "forms"), [
    (EAN8, {EAN8, "000096385074", "0000096385074", "00000096385074"}),
    (UPC_A, {UPC_A, "0" + UPC_A, "00" + UPC_A, UPC_A.lstrip("0")}),
    (EAN13, {EAN13, "0" + EAN13}),
    (CASE_GTIN14, {CASE_GTIN14}),  # an indicator digit: no shorter GTIN
    ("0" + EAN13, {EAN13, "0" + EAN13}),  # GTIN-14 of a retail item
])
def test_each_gtin_length_gives_its_gtin14_and_every_shorter_form(code: str,
                                                                  forms: set[str]) -> None:
    assert match_forms(code) == forms


def test_leading_zeros_match_however_they_were_stored() -> None:
    written = {"00012345678905", "0012345678905", UPC_LEADING_ZERO, "12345678905"}
    assert match_forms(UPC_LEADING_ZERO) == written
    # Whichever way the code is scanned, or was typed into the item master, it is one item.
    for scanned in ("00012345678905", "0012345678905", UPC_LEADING_ZERO):
        assert match_forms(scanned) == written


def test_a_gtin_in_a_gs1_string_matches_by_its_ai_01() -> None:
    for scanned in (f"(01){CASE_GTIN14}(10)AB1", f"01{CASE_GTIN14}10AB1",
                    f"]C101{CASE_GTIN14}10AB1\x1d21X9"):
        forms = match_forms(scanned)
        assert CASE_GTIN14 in forms
    retail = match_forms(f"(01)0{EAN13}(17)270101")
    assert {EAN13, "0" + EAN13} <= retail


def test_scanner_additions_are_not_part_of_the_code() -> None:
    assert match_forms(f"]E0{EAN13}") == {EAN13, "0" + EAN13}
    assert match_forms(f" {EAN13}\r\n") == {EAN13, "0" + EAN13}


@pytest.mark.parametrize(("code", "forms"), [
    ("ABC-123", {"ABC-123"}),  # a Code 128 label: only as it is
    ("INT0000020", {"INT0000020"}),  # an internal SKU code
    ("int0000020", {"int0000020", "INT0000020"}),  # Caps Lock off: the parser's value too
    ("SKU-00042", {"SKU-00042"}),
    ("", set()),
])
def test_non_digit_codes_match_only_as_they_are(code: str, forms: set[str]) -> None:
    assert match_forms(code) == forms


def test_a_digit_code_with_a_wrong_check_digit_still_gets_its_padded_forms() -> None:
    # The packing bench always padded stored codes by their digits: so does the normaliser.
    assert match_forms("6901234567893") == {"6901234567893", "06901234567893"}
    assert match_forms("12345678") == {"12345678", "000012345678", "0000012345678",
                                       "00000012345678"}


def test_other_digit_lengths_are_no_gtin() -> None:
    assert match_forms("1234567") == {"1234567"}
    assert match_forms("123456789012345") == {"123456789012345"}  # a numeric waybill
