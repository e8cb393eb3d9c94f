"""parse_scan: GS1 through biip, Packline's own codes through ScanPatterns, garbage as UNKNOWN."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.barcode import (
    DEFAULT_PATTERNS,
    ScanCommand,
    ScanError,
    ScanKind,
    ScanPatternError,
    ScanPatterns,
    parse_scan,
)
from drivers.scanner import decode_scan

GS = "\x1d"
EAN13 = "6901234567892"  # a valid Chinese (690-699) EAN-13
CASE_GTIN14 = "16901234567899"  # its case code: indicator 1, check digit recomputed
SSCC = "006141411234567890"


def test_ean13_is_a_sku_with_its_gtin14() -> None:
    scan = parse_scan(EAN13)
    assert scan.kind is ScanKind.SKU
    assert scan.gtin == scan.value == "0" + EAN13
    assert (scan.symbology, scan.error, scan.text, scan.raw) == (None, None, EAN13, EAN13)


@pytest.mark.parametrize(("code", "gtin14"), [
    ("96385074", "00000096385074"),  # EAN-8
    ("036000291452", "00036000291452"),  # UPC-A
    (CASE_GTIN14, CASE_GTIN14),  # GTIN-14 (ITF-14 / Code 128 case code)
])
def test_other_gtin_lengths_become_gtin14(code: str, gtin14: str) -> None:
    scan = parse_scan(code)
    assert (scan.kind, scan.gtin, scan.value) == (ScanKind.SKU, gtin14, gtin14)


def test_aim_identifier_is_split_off() -> None:
    scan = parse_scan("]E0" + EAN13)
    assert (scan.kind, scan.symbology, scan.text, scan.gtin) == (
        ScanKind.SKU, "]E0", EAN13, "0" + EAN13)
    add_on = parse_scan("]E3" + EAN13 + "12")  # EAN-13 with a 2-digit add-on
    assert (add_on.kind, add_on.gtin) == (ScanKind.SKU, "0" + EAN13)


def test_bad_check_digit_on_a_13_digit_code_is_unknown() -> None:
    scan = parse_scan("6901234567893")
    assert scan.kind is ScanKind.UNKNOWN
    assert scan.error is ScanError.BAD_CHECK_DIGIT
    assert scan.error_detail and "check digit" in scan.error_detail
    assert scan.gtin is None and scan.value == "6901234567893"
    assert parse_scan("]E06901234567893").error is ScanError.BAD_CHECK_DIGIT


def test_ean_symbology_with_a_wrong_length_is_bad_gtin() -> None:
    scan = parse_scan("]E0123456")
    assert (scan.kind, scan.error) == (ScanKind.UNKNOWN, ScanError.BAD_GTIN)


@pytest.mark.parametrize(("code", "kind"), [
    ("PL2611110000123", ScanKind.ORDER),
    ("LOC-HZ-A03-12-2", ScanKind.BIN),
    ("TOTE-HZ-00012", ScanKind.TOTE),
    ("SLOT-W1-07", ScanKind.SLOT),
    ("WAVE-20261111", ScanKind.WAVE),
    ("INT0000020", ScanKind.SKU),
    ("SF1234567890123", ScanKind.WAYBILL),
    ("SF123456789012", ScanKind.WAYBILL),  # older SF + 12 labels still on parcels
    ("YT1234567890123", ScanKind.WAYBILL),
    ("JDVA11408814483", ScanKind.WAYBILL),
    ("JDAZ12345678901", ScanKind.WAYBILL),
    ("JT0006968326954", ScanKind.WAYBILL),
    ("DPK123456789012", ScanKind.WAYBILL),
])
def test_code128_internal_codes(code: str, kind: ScanKind) -> None:
    scan = parse_scan(code)
    assert (scan.kind, scan.value, scan.error) == (kind, code, None)
    with_aim = parse_scan("]C0" + code)
    assert (with_aim.kind, with_aim.symbology, with_aim.value) == (kind, "]C0", code)


def test_lower_case_bin_from_a_caps_lock_scanner() -> None:
    scan = parse_scan("loc-hz-a03-12-2")
    assert (scan.kind, scan.value, scan.text) == (ScanKind.BIN, "LOC-HZ-A03-12-2",
                                                  "loc-hz-a03-12-2")


def test_a_bin_with_a_wrong_shape_is_not_a_bin() -> None:
    assert parse_scan("LOC-HZ-A3-12-2").kind is ScanKind.UNKNOWN
    assert parse_scan("LOC-HZ-A3-12-2").error is ScanError.NO_MATCH


def test_gs1_128_with_aim_and_fnc1() -> None:
    scan = parse_scan(f"]C101{CASE_GTIN14}10LOT42{GS}17261231{GS}21SN0001")
    assert scan.kind is ScanKind.SKU
    assert (scan.symbology, scan.gtin, scan.value) == ("]C1", CASE_GTIN14, CASE_GTIN14)
    assert (scan.batch, scan.expiry, scan.serial) == ("LOT42", dt.date(2026, 12, 31), "SN0001")


def test_gs1_without_aim_with_gs() -> None:
    scan = parse_scan(f"010{EAN13}17270630{GS}10B-7")
    assert (scan.kind, scan.gtin, scan.expiry, scan.batch) == (
        ScanKind.SKU, "0" + EAN13, dt.date(2027, 6, 30), "B-7")


@pytest.mark.parametrize("substitute", ["|", "^"])
def test_gs1_with_the_stations_substitute_separator(substitute: str) -> None:
    code = f"010{EAN13}10ABC{substitute}17261231{substitute}21X9"
    scan = parse_scan(code, gs_substitute=substitute)
    assert (scan.kind, scan.batch, scan.expiry, scan.serial) == (
        ScanKind.SKU, "ABC", dt.date(2026, 12, 31), "X9")
    # Without the substitute configured the batch would swallow the rest: refuse instead.
    assert parse_scan(code).kind is ScanKind.UNKNOWN


def test_gs1_human_readable_form() -> None:
    scan = parse_scan(f"(01)0{EAN13}(10)AB1")
    assert (scan.kind, scan.gtin, scan.batch) == (ScanKind.SKU, "0" + EAN13, "AB1")


def test_gs1_datamatrix() -> None:
    scan = parse_scan(f"]d2010{EAN13}172612311012345{GS}21SER1")
    assert (scan.kind, scan.symbology, scan.gtin) == (ScanKind.SKU, "]d2", "0" + EAN13)
    assert (scan.expiry, scan.batch, scan.serial) == (dt.date(2026, 12, 31), "12345", "SER1")


def test_gs1_with_a_bad_gtin_check_digit() -> None:
    scan = parse_scan("]C1010690123456789310ABC")
    assert (scan.kind, scan.error) == (ScanKind.UNKNOWN, ScanError.BAD_CHECK_DIGIT)


def test_gs1_that_does_not_parse_and_gs1_without_an_identifier() -> None:
    bad = parse_scan("]C1XYZ")
    assert (bad.kind, bad.error, bad.symbology) == (ScanKind.UNKNOWN, ScanError.BAD_GS1, "]C1")
    no_id = parse_scan(f"]C110LOT1{GS}21S1")
    assert (no_id.kind, no_id.error) == (ScanKind.UNKNOWN, ScanError.GS1_WITHOUT_ID)


def test_sscc() -> None:
    for code in (f"]C100{SSCC}", f"00{SSCC}", SSCC):
        scan = parse_scan(code)
        assert (scan.kind, scan.sscc, scan.value, scan.gtin) == (ScanKind.SSCC, SSCC, SSCC, None)
    bad = parse_scan("]C100006141411234567891")
    assert (bad.kind, bad.error) == (ScanKind.UNKNOWN, ScanError.BAD_CHECK_DIGIT)


def test_qr_code_of_a_waybill() -> None:
    scan = parse_scan("]Q1SF1234567890123")
    assert (scan.kind, scan.symbology, scan.value) == (ScanKind.WAYBILL, "]Q1", "SF1234567890123")


def test_numeric_waybill_ranks_after_gtin() -> None:
    assert parse_scan("773123456789012").kind is ScanKind.WAYBILL  # 15 digits: not a GTIN
    assert parse_scan("70000000000001").kind is ScanKind.WAYBILL  # 14 digits, not a GTIN-14
    assert parse_scan(EAN13).kind is ScanKind.SKU  # 13 digits with a valid check digit


@pytest.mark.parametrize(("text", "command"), [
    ("CMD-CONFIRM", ScanCommand.CONFIRM),
    ("cmd-newbox", ScanCommand.NEWBOX),
    ("]C0CMD-REPRINT", ScanCommand.REPRINT),
    ("确认", ScanCommand.CONFIRM),
    ("取消", ScanCommand.CANCEL),
    ("新箱", ScanCommand.NEWBOX),
    ("暂停", ScanCommand.PAUSE),
    (" 重打\r\n", ScanCommand.REPRINT),
])
def test_command_cards(text: str, command: ScanCommand) -> None:
    scan = parse_scan(text)
    assert (scan.kind, scan.command, scan.value) == (ScanKind.COMMAND, command, command.value)


def test_chinese_command_card_in_gb18030_bytes() -> None:
    scan = parse_scan(decode_scan("新箱".encode("gb18030")))
    assert scan.command is ScanCommand.NEWBOX
    assert parse_scan(decode_scan("新箱".encode())).command is ScanCommand.NEWBOX


def test_badge_gives_the_user_code() -> None:
    scan = parse_scan("USR-packer01")
    assert (scan.kind, scan.value) == (ScanKind.BADGE, "PACKER01")
    assert parse_scan("usr-lead01").value == "LEAD01"


@pytest.mark.parametrize("text", ["", "   ", "\r\n", "\x00\x00"])
def test_empty(text: str) -> None:
    scan = parse_scan(text)
    assert (scan.kind, scan.error) == (ScanKind.UNKNOWN, ScanError.EMPTY)


def test_binary_garbage() -> None:
    scan = parse_scan(decode_scan(b"\xff\xfe\x00ab\x01\x9ccd"))
    assert (scan.kind, scan.error) == (ScanKind.UNKNOWN, ScanError.BINARY)


def test_control_characters_and_whitespace_at_the_ends_are_stripped() -> None:
    scan = parse_scan(f"\x00 {EAN13} \t\r\n")
    assert (scan.kind, scan.text) == (ScanKind.SKU, EAN13)


def test_unknown_text() -> None:
    scan = parse_scan("hello world")
    assert (scan.kind, scan.error, scan.value) == (ScanKind.UNKNOWN, ScanError.NO_MATCH,
                                                   "hello world")


@settings(max_examples=300, deadline=None, database=None)
@given(st.text(max_size=60))
def test_any_text_gives_a_scan_never_an_exception(text: str) -> None:
    scan = parse_scan(text)
    assert scan.raw == text
    assert scan.error is not ScanError.INTERNAL
    assert (scan.kind is ScanKind.UNKNOWN) == (scan.error is not None)


@settings(max_examples=200, deadline=None, database=None)
@given(st.binary(max_size=40))
def test_any_bytes_from_a_scanner_give_a_scan(data: bytes) -> None:
    scan = parse_scan(decode_scan(data), gs_substitute="|")
    assert scan.error is not ScanError.INTERNAL


def test_custom_patterns() -> None:
    patterns = ScanPatterns(order=(r"^SO\d{8}$",), waybill=(r"^ZJS\d{10}$",))
    assert parse_scan("SO12345678", patterns).kind is ScanKind.ORDER
    assert parse_scan("PL2611110000123", patterns).kind is ScanKind.UNKNOWN
    assert parse_scan("zjs0123456789", patterns).kind is ScanKind.WAYBILL
    assert parse_scan("SO12345678").kind is ScanKind.UNKNOWN  # the defaults are untouched
    assert DEFAULT_PATTERNS.order == (r"^PL\d+$",)


def test_strict_gtin_lengths_can_be_relaxed_for_numeric_waybills() -> None:
    relaxed = ScanPatterns(strict_gtin_lengths=frozenset())
    assert parse_scan("6901234567893", relaxed).kind is ScanKind.WAYBILL


@pytest.mark.parametrize("kwargs", [
    {"order": r"^PL\d+$"},  # a string, not a list of patterns
    {"bin": ("(",)},
    {"command_words": (("完成", "FINISH"),)},
    {"command_words": ("确认",)},
    {"strict_gtin_lengths": frozenset({"13"})},
])
def test_bad_patterns_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ScanPatternError):
        ScanPatterns(**kwargs)  # type: ignore[arg-type]


def test_bad_substitute_is_refused() -> None:
    with pytest.raises(ValueError, match="one character"):
        parse_scan(EAN13, gs_substitute="||")
