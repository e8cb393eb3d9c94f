"""Carriers' waybill number formats (app.domain.waybills) and the scan parser's copy of them;
the route code a waybill prints."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.domain import waybills
from app.domain.waybills import (
    FORMATS,
    carriers_for,
    issued,
    matches,
    normalize_waybill,
    route_code,
)
from app.services import demo
from drivers.barcode import DEFAULT_PATTERNS, ScanKind, parse_scan


@pytest.mark.parametrize(("carrier", "number"), [
    ("SF", "SF1234567890123"),        # SF + 13 digits
    ("SF", "SF123456789012"),         # SF + 12: older labels still on parcels
    ("SF", "sf 1234 5678 9012 3"),    # typed by a person
    ("SF", "ＳＦ１２３４５６７８９０１２３"),  # full width
    ("JD", "JDVA11408814483"),
    ("JD", "JDVB12345678901"),
    ("JD", "JDVC12345678901"),
    ("JD", "JDAZ12345678901"),        # Douyin orders shipped by JD
    ("JD", "JDX123456789012"),
    ("JD", "JDV123456789012"),        # the older JDV + 12 digits: same length and shape
    ("YTO", "YT7512345678901"),
    ("ZTO", "75123456789012"),
    ("ZTO", "78123456789012"),
    ("ZTO", "731234567890"),
    ("STO", "773165231258960"),
    ("YD", "462598779470531"),
    ("YD", "4309597495550"),
    ("EMS", "1180000000000"),
    ("EMS", "9812345678901"),
    ("EMS", "EA123456785CN"),         # S10 with its check digit
    ("JT", "JT0006968326954"),
    ("DBL", "DPK364112047425"),
])
def test_carriers_current_numbers_are_accepted(carrier: str, number: str) -> None:
    assert matches(carrier, number)
    assert carrier in carriers_for(number)


@pytest.mark.parametrize(("carrier", "number", "why"), [
    ("SF", "SF12345678901", "SF numbers have 12 or 13 digits after SF"),
    ("SF", "SF12345678901234", "14 digits"),
    ("JD", "JD12345678901", "the business line is two characters, then 11 digits"),
    ("JD", "JDVA1140881448", "10 digits"),
    ("YTO", "YT123456789012", "12 digits"),
    ("ZTO", "70123456789012", "ZTO numbers start 73 to 78"),
    ("EMS", "EA123456784CN", "wrong S10 check digit"),
    ("EMS", "EA123456785US", "not a Chinese post item"),
    ("JT", "JT000696832695", "12 digits"),
    ("DBL", "DPK36411204742", "11 digits"),
    ("SF", "SF1234567890123\x00", "a control character"),
    ("SF", "", "empty"),
    ("NOPE", "SF1234567890123", "unknown carrier"),
])
def test_numbers_outside_the_format_are_refused(carrier: str, number: str, why: str) -> None:
    assert not matches(carrier, number), why


def test_normal_form_is_upper_case_ascii_without_grouping() -> None:
    assert normalize_waybill(" jdva 1140-8814-483 ") == "JDVA11408814483"
    assert normalize_waybill("SF１２３") == "SF123"
    assert normalize_waybill("SF/123") is None
    assert normalize_waybill("顺丰123") is None
    assert normalize_waybill("S" * 41) is None


def test_s10_check_digit() -> None:
    # RR 47312482 9 GB, the usual worked example (weights 8 6 4 2 3 5 9 7, modulus 11).
    assert waybills.s10_check_digit("47312482") == 9
    assert waybills.s10_check_digit("12345678") == 5


def test_each_format_example_is_its_own() -> None:
    for fmt in FORMATS.values():
        assert matches(fmt.carrier, fmt.example), fmt
        assert re.compile(fmt.pattern).pattern.startswith("^")


def test_scan_parser_knows_every_lettered_format() -> None:
    assert DEFAULT_PATTERNS.waybill == waybills.lettered_patterns()
    for fmt in FORMATS.values():
        scan = parse_scan(fmt.example)
        if fmt.example[0].isalpha():
            assert (scan.kind, scan.value) == (ScanKind.WAYBILL, fmt.example), fmt.carrier


def test_older_sf_labels_scan_as_waybills_and_are_read_as_sf() -> None:
    # Pools seeded before SF's 13-digit form hold SF + 12; their labels are still scanned.
    for raw in ("SF123456789012", "sf123456789012", "]Q1SF123456789012"):
        scan = parse_scan(raw)
        assert (scan.kind, scan.value) == (ScanKind.WAYBILL, "SF123456789012"), raw
        assert scan.error is None
    assert carriers_for("SF123456789012") == ("SF",)
    for raw in ("SF12345678901", "SF12345678901234"):
        assert parse_scan(raw).kind is ScanKind.UNKNOWN, raw


def test_new_numbers_are_of_the_form_issued_today() -> None:
    assert issued("SF", "SF1234567890123")
    assert not issued("SF", "SF123456789012")  # read, no longer issued
    assert matches("SF", "SF123456789012")
    assert not issued("SF", "SF12345678901")
    assert not issued("NOPE", "SF1234567890123")
    for fmt in FORMATS.values():
        assert issued(fmt.carrier, fmt.example), fmt.carrier
        assert re.fullmatch(r"\^.*\$", fmt.issued_pattern), fmt.carrier


def test_demo_carriers_use_the_carriers_formats_and_fill_pools_that_fit() -> None:
    for code, _kind, _max, prefix, digits in demo.CARRIERS:
        number = f"{prefix}{7:0{digits}d}"
        assert issued(code, number), (code, number)
        assert matches(code, number), (code, number)


def test_sample_sf_numbers_in_the_source_are_of_todays_form() -> None:
    """Print warm-ups lay out a sample SF waybill: it must be a number SF issues today."""
    root = Path(__file__).resolve().parents[2]
    found = {}
    for path in (root / "app").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for number in re.findall(r"[\"'](SF[0-9]{6,})[\"']", path.read_text(encoding="utf-8")):
            found[f"{path.relative_to(root)}: {number}"] = issued("SF", number)
    assert any(k.startswith("app/station/runtime.py") for k in found)
    assert any(k.startswith("app/station/packing.py") for k in found)
    assert all(found.values()), found


# --------------------------------------------------------------------------- route code


@pytest.mark.parametrize(("province", "city", "district", "code"), [
    ("浙江省", "杭州市", "西湖区", "杭州 西湖区"),
    ("广东省", "深圳市", "南山区", "深圳 南山区"),
    ("湖北省", "恩施土家族苗族自治州", "恩施市", "恩施土家族苗族自治州 恩施市"),
    # 直辖市, as the platforms write them (the city repeats the province) ...
    ("北京市", "北京市", "朝阳区", "北京 朝阳区"),
    ("上海市", "上海市", "浦东新区", "上海 浦东新区"),
    ("天津市", "天津市", "和平区", "天津 和平区"),
    ("重庆市", "重庆市", "渝中区", "重庆 渝中区"),
    # ... and as the official division list does: the same sort area.
    ("北京市", "市辖区", "朝阳区", "北京 朝阳区"),
    ("上海市", "市辖区", "浦东新区", "上海 浦东新区"),
    ("天津市", "市辖区", "和平区", "天津 和平区"),
    ("重庆市", "市辖区", "渝中区", "重庆 渝中区"),
    ("重庆市", "县", "城口县", "重庆 城口县"),
    # County-level cities straight under their province.
    ("湖北省", "省直辖县级行政区划", "仙桃市", "湖北 仙桃市"),
    ("河南省", "省直辖县级行政区划", "济源市", "河南 济源市"),
    ("新疆维吾尔自治区", "自治区直辖县级行政区划", "石河子市", "新疆 石河子市"),
    # No city: the province stands in.
    ("浙江省", "", "西湖区", "浙江 西湖区"),
    ("广西壮族自治区", "", "青秀区", "广西 青秀区"),
    # Missing parts are left out, never a stray space.
    ("浙江省", "杭州市", "", "杭州"),
    ("浙江省", "", "", "浙江"),
    ("", "", "", ""),
    ("浙江省", " 杭州市\u3000", " 西湖区 ", "杭州 西湖区"),
])
def test_the_route_code_names_the_sort_area(province: str, city: str, district: str,
                                            code: str) -> None:
    assert route_code(province, city, district) == code
