"""Order validation (app.domain.validation): phones, receiver, address, SKUs, quantities, amounts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.regions import RegionTable
from app.domain.validation import (
    LineFact,
    Problem,
    check_amounts,
    normalize_phone,
    phone_kind,
    validate,
)
from tests.helpers.facts import make_facts


@pytest.fixture(scope="module")
def table() -> RegionTable:
    return RegionTable.default()


def categories(problems: list[Problem]) -> list[str]:
    return [p.category for p in problems]


# --------------------------------------------------------------------------- phones


@pytest.mark.parametrize(("raw", "normal", "kind"), [
    ("13800138000", "13800138000", "mobile"),
    ("+86 138-0013-8000", "13800138000", "mobile"),
    ("+8613800138000", "13800138000", "mobile"),
    ("0086 13800138000", "13800138000", "mobile"),
    ("8613800138000", "13800138000", "mobile"),
    ("138 0013 8000", "13800138000", "mobile"),
    ("１３８－００１３－８０００", "13800138000", "mobile"),  # full-width digits and dashes
    ("\u300019912345678 ", "19912345678", "mobile"),
    # platform virtual (privacy) numbers: mobile + 4-digit extension
    ("13800138000-1234", "13800138000-1234", "mobile"),
    ("13800138000转1234", "13800138000-1234", "mobile"),
    ("13800138000[1234]", "13800138000-1234", "mobile"),
    ("13800138000【1234】", "13800138000-1234", "mobile"),
    ("13800138000 ext 1234", "13800138000-1234", "mobile"),
    # landlines
    ("0571-88231234", "0571-88231234", "landline"),
    ("(0571)88231234", "0571-88231234", "landline"),
    ("0571 8823 1234", "0571-88231234", "landline"),
    ("0571-8823-1234", "0571-88231234", "landline"),
    ("010-23456789", "010-23456789", "landline"),
    ("020 8765 4321", "020-87654321", "landline"),
    ("0335-2345678", "0335-2345678", "landline"),  # 7-digit local number
    ("+86 571 8823 1234", "0571-88231234", "landline"),
    ("+86 10 2345 6789", "010-23456789", "landline"),
    ("+86 0571 88231234", "0571-88231234", "landline"),
    ("0571-88231234-123", "0571-88231234-123", "landline"),
    ("0571-88231234转123", "0571-88231234-123", "landline"),
    ("0571-88231234分机8", "0571-88231234-8", "landline"),
    ("0571-88231234#12", "0571-88231234-12", "landline"),
    ("(0571)88231234(123)", "0571-88231234-123", "landline"),
    # Beijing numbers have 8 digits, so the last group is no extension: 010-2345678-9 is one
    # number grouped by dashes.
    ("010-2345678-9", "010-23456789", "landline"),
    # platform privacy numbers with a 3-digit extension (Taobao) and other separators
    ("18877771111-123", "18877771111-123", "mobile"),
    ("18877771111转123", "18877771111-123", "mobile"),
    ("18877771111#1234", "18877771111-1234", "mobile"),
    ("18877771111,1234", "18877771111-1234", "mobile"),
    ("(+86)13800138000", "13800138000", "mobile"),
    # Hong Kong, Macau, Taiwan: E.164
    ("+852 9123 4567", "+85291234567", "mobile"),
    ("852-91234567", "+85291234567", "mobile"),
    ("00852 9123 4567", "+85291234567", "mobile"),
    ("85291234567", "+85291234567", "mobile"),
    ("(+852)91234567", "+85291234567", "mobile"),
    ("+852 2345 6789", "+85223456789", "landline"),
    ("+853 6612 3456", "+85366123456", "mobile"),
    ("853-66123456", "+85366123456", "mobile"),
    ("+853 2888 1234", "+85328881234", "landline"),
    ("+886 912 345 678", "+886912345678", "mobile"),
    ("886-912345678", "+886912345678", "mobile"),
    ("00886 2 2345 6789", "+886223456789", "landline"),
    ("+852 2345 6789 转 12", "+85223456789-12", "landline"),
])
def test_phone_accepted(raw: str, normal: str, kind: str) -> None:
    assert normalize_phone(raw) == normal
    assert phone_kind(raw) == kind
    assert normalize_phone(normal) == normal  # the normal form is a fixed point


@pytest.mark.parametrize("raw", [
    "",
    "   ",
    "12345",
    "88231234",             # local number without area code
    "12800138000",          # no 12x mobile range
    "10086",
    "1380013800",           # 10 digits
    "138001380001",         # 12 digits
    "13800138000-12",       # a privacy-number extension has 3 or 4 digits
    "13800138000-12345",
    "13800138000/13900139000",
    "13800138000,13900139000",
    "0571-18231234",        # local numbers never start with 1
    "0571-08231234",
    "0571-882312",          # 6-digit local
    "0571-88231234-1234567",
    "400-820-8820",
    "4008208820",
    "800-820-8820",
    "0400-8208820",
    "+86 400 820 8820",
    "+1 415 555 1234",
    "+852 1234 5678",       # Hong Kong numbers do not start with 1
    "+44 20 7946 0958",
    "0044 20 7946 0958",
    "138OO138OOO",          # letter O for zero
    "tel:13800138000",
    "+86",
])
def test_phone_refused(raw: str) -> None:
    assert normalize_phone(raw) is None
    assert phone_kind(raw) is None


@pytest.mark.parametrize(("raw", "why"), [
    ("14012345678", "140 is an IoT (data-only) range"),
    ("14912345678", "149 is not assigned to phones"),
    ("0399-23456789", "there is no area code 0399"),
    ("0399-2345678", "there is no area code 0399"),
    ("+86 399 2345 6789", "there is no area code 0399"),
])
def test_unassigned_ranges_and_area_codes_are_refused(raw: str, why: str) -> None:
    assert normalize_phone(raw) is None, why
    assert phone_kind(raw) is None, why


# Current mobile ranges (MIIT allocations as phonenumbers knows them) and real area codes.
MOBILE = st.builds(
    lambda prefix, rest: prefix + rest,
    st.sampled_from([*map(str, range(130, 140)), "145", "147", "150", "151", "152", "153",
                     "155", "156", "157", "158", "159", "166", "175", "176", "177", "178",
                     *map(str, range(180, 190)), "191", "193", "195", "198", "199"]),
    st.from_regex(r"[0-9]{8}", fullmatch=True))
AREA_LOCAL = st.one_of(
    st.tuples(st.sampled_from(["010", "020", "021", "022", "023", "024", "025", "027", "028",
                               "029", "0571", "0574", "0755", "0512", "0531", "0551", "0591",
                               "0731", "0871", "0898"]),
              st.from_regex(r"[2-7][0-9]{7}", fullmatch=True)),
    st.tuples(st.sampled_from(["0335", "0991"]), st.from_regex(r"[2-7][0-9]{6}", fullmatch=True)),
)


@given(MOBILE, st.sampled_from(["{m}", "+86 {a} {b} {c}", "0086{m}", "86{m}", "{a}-{b}-{c}"]),
       st.one_of(st.none(), st.from_regex(r"[0-9]{3,4}", fullmatch=True)),
       st.sampled_from(["-{e}", "转{e}", "[{e}]", "#{e}", ",{e}"]))
def test_mobile_forms_normalize_to_the_digits(mobile: str, layout: str, ext: str | None,
                                              ext_layout: str) -> None:
    text = layout.format(m=mobile, a=mobile[:3], b=mobile[3:7], c=mobile[7:])
    expected = mobile
    if ext is not None:
        text += ext_layout.format(e=ext)
        expected = f"{mobile}-{ext}"
    assert normalize_phone(text) == expected
    assert phone_kind(text) == "mobile"
    assert normalize_phone(expected) == expected


@given(AREA_LOCAL, st.sampled_from(["{a}-{l}", "({a}){l}", "{a} {l}", "+86 {a1} {l}"]),
       st.one_of(st.none(), st.from_regex(r"[0-9]{1,6}", fullmatch=True)))
def test_landline_forms_normalize(area_local: tuple[str, str], layout: str,
                                  ext: str | None) -> None:
    area, local = area_local
    text = layout.format(a=area, a1=area[1:], l=local)
    expected = f"{area}-{local}"
    if ext is not None:
        text += f"转{ext}"
        expected += f"-{ext}"
    assert normalize_phone(text) == expected
    assert phone_kind(text) == "landline"
    assert normalize_phone(expected) == expected


# --------------------------------------------------------------------------- validate


def test_a_good_order_has_no_problems_and_resolves(table: RegionTable) -> None:
    problems, region = validate(make_facts(), table)
    assert problems == []
    assert region is not None and region.adcode == "330106"


def test_short_region_names_resolve(table: RegionTable) -> None:
    problems, region = validate(make_facts(province="浙江", city="杭州", district="西湖"), table)
    assert problems == []
    assert region is not None and region.adcode == "330106"


@pytest.mark.parametrize(("name", "ok"), [
    ("张三", True),
    ("张*", False),              # a mask, on a receiver the platform did not encrypt
    ("Li Lei", True),
    ("  王五  ", True),
    ("", False),
    ("   ", False),
    ("13800138000", False),
    ("**", False),
    ("123-456", False),
    ("张" * 50, True),
    ("张" * 51, False),
])
def test_receiver_name(table: RegionTable, name: str, ok: bool) -> None:
    problems, _ = validate(make_facts(receiver_name=name), table)
    assert categories(problems) == ([] if ok else ["receiver_incomplete"])


def test_bad_phone_is_phone_invalid(table: RegionTable) -> None:
    problems, region = validate(make_facts(receiver_phone="1380013800"), table)
    assert categories(problems) == ["phone_invalid"]
    assert "1380013800" in problems[0].detail
    assert region is not None  # the address still resolves


def test_service_number_is_named_as_such(table: RegionTable) -> None:
    problems, _ = validate(make_facts(receiver_phone="400-820-8820"), table)
    assert categories(problems) == ["phone_invalid"]
    assert "400/800" in problems[0].detail


def test_virtual_and_landline_numbers_are_valid_receiver_phones(table: RegionTable) -> None:
    for phone in ("13800138000-1234", "0571-88231234-123"):
        problems, _ = validate(make_facts(receiver_phone=phone), table)
        assert problems == [], phone


@pytest.mark.parametrize("address", ["", "  ", "1号", "****", "A-1"])
def test_short_address_line_is_invalid(table: RegionTable, address: str) -> None:
    problems, region = validate(make_facts(address=address), table)
    assert categories(problems) == ["address_invalid"]
    assert region is not None and region.adcode == "330106"


def test_four_character_address_line_is_enough(table: RegionTable) -> None:
    problems, _ = validate(make_facts(address="文三路8"), table)
    assert problems == []


def test_unknown_region_is_address_invalid(table: RegionTable) -> None:
    problems, region = validate(make_facts(province="火星省"), table)
    assert categories(problems) == ["address_invalid"]
    assert "火星省" in problems[0].detail
    assert region is None


def test_district_in_the_wrong_city_is_address_invalid(table: RegionTable) -> None:
    problems, region = validate(make_facts(district="朝阳区"), table)
    assert categories(problems) == ["address_invalid"]
    assert region is None


def test_ambiguous_region_names_the_candidates(table: RegionTable) -> None:
    problems, region = validate(make_facts(province="河北省", city="", district="桥西区"), table)
    assert categories(problems) == ["address_ambiguous"]
    assert "石家庄市桥西区" in problems[0].detail
    assert "张家口市桥西区" in problems[0].detail
    assert region is None


def test_unknown_skus_are_listed_once(table: RegionTable) -> None:
    lines = (
        LineFact("SKU-A", True, 1, 5900, 10),
        LineFact("NOPE-1", False, 1, 100, 0),
        LineFact("NOPE-2", False, 1, 100, 0),
        LineFact("NOPE-1", False, 1, 100, 0),
    )
    problems, _ = validate(make_facts(lines=lines, goods_fen=6200, discount_fen=0,
                                      amount_fen=6200), table)
    assert categories(problems) == ["sku_unknown"]
    assert problems[0].detail == "unknown SKU(s): NOPE-1, NOPE-2"


@pytest.mark.parametrize(("qty", "expected"), [
    (0, ["qty_invalid"]),
    # the line total goes negative, and so does the amount: both are reported
    (-1, ["qty_invalid", "amount_mismatch"]),
])
def test_quantity_must_be_positive(table: RegionTable, qty: int, expected: list[str]) -> None:
    lines = (LineFact("SKU-A", True, 2, 5900, 10), LineFact("SKU-B", True, qty, 12900, 5))
    goods = 2 * 5900 + qty * 12900
    problems, _ = validate(make_facts(lines=lines, goods_fen=goods, discount_fen=0,
                                      amount_fen=goods), table)
    assert categories(problems) == expected
    assert "SKU-B" in problems[0].detail and "SKU-A" not in problems[0].detail


def test_an_order_without_lines_is_refused(table: RegionTable) -> None:
    problems, _ = validate(make_facts(lines=(), goods_fen=0, discount_fen=0, amount_fen=0),
                           table)
    assert categories(problems) == ["qty_invalid"]


@pytest.mark.parametrize(("amount", "ok"), [
    (24000, True), (23999, True), (24001, True), (23998, False), (24002, False), (24700, False),
])
def test_amount_within_one_fen(table: RegionTable, amount: int, ok: bool) -> None:
    problems, _ = validate(make_facts(amount_fen=amount), table)
    assert categories(problems) == ([] if ok else ["amount_mismatch"])


def test_goods_must_equal_the_line_total(table: RegionTable) -> None:
    # amount = goods − discount holds, but goods is not what the lines add up to.
    problems, _ = validate(make_facts(goods_fen=30000, amount_fen=29300), table)
    assert categories(problems) == ["amount_mismatch"]
    assert "247.00" in problems[0].detail


def test_negative_discount_is_a_mismatch(table: RegionTable) -> None:
    problems, _ = validate(make_facts(discount_fen=-100, amount_fen=24800), table)
    assert categories(problems) == ["amount_mismatch"]
    assert "negative" in problems[0].detail


def test_check_amounts_tolerance() -> None:
    facts = make_facts(amount_fen=24005)
    assert check_amounts(facts) is not None
    assert check_amounts(facts, tolerance_fen=5) is None
    assert check_amounts(facts, tolerance_fen=4) is not None
    assert check_amounts(make_facts()) is None


def test_every_problem_is_reported_in_order(table: RegionTable) -> None:
    lines = (LineFact("NOPE", False, 0, 100, 0),)
    facts = make_facts(receiver_name="", receiver_phone="123", address="", province="河北省",
                       city="", district="桥西区", lines=lines, goods_fen=0, discount_fen=0,
                       amount_fen=500)
    problems, region = validate(facts, table)
    assert categories(problems) == [
        "receiver_incomplete", "phone_invalid", "address_invalid", "address_ambiguous",
        "sku_unknown", "qty_invalid", "amount_mismatch",
    ]
    assert all(p.detail for p in problems)
    assert region is None


def test_very_long_text_is_refused_quickly() -> None:
    import time

    started = time.perf_counter()
    for text in ("x" * 100_000, "1" * 100_000, "13800138000" + "转" * 50_000):
        assert normalize_phone(text) is None
    assert time.perf_counter() - started < 1.0
