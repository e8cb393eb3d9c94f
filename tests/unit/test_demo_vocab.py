"""Behaviour of the demo vocabulary: valid barcodes, plausible people and products, and
generators that are deterministic and cheap enough for a 100,000-order seed."""

from __future__ import annotations

import dataclasses
import random
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from app.demo import vocab as dv

REPO_ROOT = Path(__file__).resolve().parents[2]

MOBILE_RE = re.compile(r"^1(3\d|5[0-35-9]|66|7[035-8]|8\d|9[189])\d{8}$")
CJK_NAME_RE = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
ROAD_RE = re.compile(r"^[\u4e00-\u9fff]+(路|街|大道|巷)(\d+弄)?\d+号")
# Province, city, county or district; 小区 (a housing estate) is street level.
ADMIN_RE = re.compile(r"省|市|县|(?<!小)区")


# --------------------------------------------------------------------------- EAN-13


@pytest.mark.parametrize(
    "code", ["6901234567892", "4006381333931", "5901234123457", "0012345678905"]
)
def test_known_valid_ean13(code: str) -> None:
    assert dv.is_valid_ean13(code)
    assert dv.ean13_check_digit(code[:12]) == code[12]


@pytest.mark.parametrize(
    "code",
    [
        "6901234567891",  # wrong check digit
        "4006381333932",
        "690123456789",  # too short
        "69012345678920",  # too long
        "",
        "690123456789X",
        "６９０１２３４５６７８９２",  # full-width digits
    ],
)
def test_invalid_ean13(code: str) -> None:
    assert not dv.is_valid_ean13(code)


def test_check_digit_values() -> None:
    assert dv.ean13_check_digit("690123456789") == "2"
    assert dv.ean13_check_digit("400638133393") == "1"
    assert dv.ean13_check_digit("000000000000") == "0"


@pytest.mark.parametrize(
    "bad",
    ["", "69012345678", "6901234567890", "69012345678a", " 69012345678", "69012345678²"],
)
def test_check_digit_rejects_bad_input(bad: str) -> None:
    with pytest.raises(ValueError):
        dv.ean13_check_digit(bad)


def test_generated_ean13_are_valid_chinese_codes() -> None:
    rng = random.Random(20240611)
    codes = [dv.make_ean13(rng) for _ in range(10_000)]
    assert all(len(code) == 13 and dv.is_valid_ean13(code) for code in codes)
    assert all(code.startswith("69") for code in codes)
    # The whole 690-699 block is used, not a single prefix.
    assert {code[:3] for code in codes} == {f"69{d}" for d in range(10)}
    assert len(set(codes)) > 9_990


def test_make_ean13_keeps_a_company_prefix() -> None:
    rng = random.Random(1)
    code = dv.make_ean13(rng, prefix="6901234")
    assert code.startswith("6901234") and dv.is_valid_ean13(code)
    assert dv.make_ean13(rng, prefix="690123456789") == "6901234567892"


@pytest.mark.parametrize("prefix", ["", "6a", "6901234567890", "６９"])
def test_make_ean13_rejects_bad_prefix(prefix: str) -> None:
    with pytest.raises(ValueError):
        dv.make_ean13(random.Random(1), prefix=prefix)


# --------------------------------------------------------------------------- determinism


def _nick_generator(channel: str) -> Callable[[random.Random], object]:
    def generate(rng: random.Random) -> object:
        return dv.buyer_nick(rng, channel)

    return generate


GENERATORS: dict[str, Callable[[random.Random], object]] = {
    "ean13": dv.make_ean13,
    "person_name": dv.person_name,
    "mobile_phone": dv.mobile_phone,
    "landline_phone": dv.landline_phone,
    "street_address": dv.street_address,
    "buyer_remark": dv.buyer_remark,
    "product": lambda rng: dv.product(rng, rng.randrange(5000)),
    **{f"buyer_nick_{code}": _nick_generator(code) for code, _ in dv.CHANNELS},
}


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_same_seed_same_sequence(name: str) -> None:
    generate = GENERATORS[name]
    first = [generate(random.Random(7)) for _ in range(3)]
    rng_a, rng_b = random.Random(42), random.Random(42)
    run_a = [generate(rng_a) for _ in range(500)]
    run_b = [generate(rng_b) for _ in range(500)]
    assert run_a == run_b
    assert first[0] == first[1] == first[2]
    # A different seed gives a different sequence.
    rng_c = random.Random(43)
    assert [generate(rng_c) for _ in range(500)] != run_a


# --------------------------------------------------------------------------- people


def test_mobile_phones_use_real_prefixes() -> None:
    rng = random.Random(3)
    phones = [dv.mobile_phone(rng) for _ in range(5_000)]
    assert all(MOBILE_RE.match(phone) for phone in phones), [
        p for p in phones if not MOBILE_RE.match(p)
    ][:5]
    assert len({phone[:3] for phone in phones}) > 30


def test_landline_format() -> None:
    rng = random.Random(4)
    assert all(re.match(r"^0571-[2-8]\d{7}$", dv.landline_phone(rng)) for _ in range(1_000))
    assert re.match(r"^010-[2-8]\d{7}$", dv.landline_phone(rng, "010"))


@pytest.mark.parametrize("area_code", ["", "571", "05", "05711", "0a71"])
def test_landline_rejects_bad_area_code(area_code: str) -> None:
    with pytest.raises(ValueError):
        dv.landline_phone(random.Random(1), area_code)


def test_person_names_look_chinese_and_follow_surname_frequency() -> None:
    rng = random.Random(5)
    names = [dv.person_name(rng) for _ in range(20_000)]
    assert all(CJK_NAME_RE.match(name) for name in names)
    first_chars = Counter(name[0] for name in names)
    top3 = {char for char, _ in first_chars.most_common(3)}
    assert top3 == {"王", "李", "张"}
    compound = sum(name[:2] in ("欧阳", "司马", "上官", "诸葛") for name in names)
    assert 0 < compound < 0.01 * len(names)
    lengths = Counter(len(name) for name in names)
    assert lengths[2] > 0 and lengths[3] > lengths[2]
    assert len(set(names)) > 10_000


def test_street_addresses_are_street_level() -> None:
    rng = random.Random(6)
    addresses = [dv.street_address(rng) for _ in range(5_000)]
    for address in addresses:
        assert ROAD_RE.match(address), address
        assert not ADMIN_RE.search(address), address
        assert len(address) < 40
    assert len(set(addresses)) > 4_900
    assert any("单元" in a for a in addresses)
    assert any(a.endswith("室") for a in addresses)


# --------------------------------------------------------------------------- buyers

NICK_PATTERNS = {
    "taobao": r"^(tb_\d{4}[a-z]{3}|tb\d{9,10})$",
    "tmall": r"^(tb_\d{4}[a-z]{3}|tb\d{9,10})$",
    "jd": r"^jd_[0-9a-f]{8}$",
    "douyin": r"^dy用户\d{4}$",
    "pdd": r"^pdd_1\d{4}[a-z]{2}$",
}


@pytest.mark.parametrize("channel", sorted(NICK_PATTERNS))
def test_buyer_nick_matches_platform_style(channel: str) -> None:
    rng = random.Random(8)
    nicks = [dv.buyer_nick(rng, channel) for _ in range(2_000)]
    styled = [n for n in nicks if re.match(NICK_PATTERNS[channel], n)]
    others = [n for n in nicks if n not in styled]
    # Most nicks are platform defaults; the rest are user-chosen Chinese nicks.
    assert len(styled) > len(nicks) // 3
    assert all(re.search(r"[\u4e00-\u9fff]", n) and " " not in n for n in others)


def test_manual_buyers_are_companies_or_people() -> None:
    rng = random.Random(9)
    buyers = [dv.buyer_nick(rng, "manual") for _ in range(1_000)]
    companies = [b for b in buyers if b.endswith("有限公司")]
    people = [b for b in buyers if CJK_NAME_RE.match(b)]
    assert companies and people
    assert len(companies) + len(people) == len(buyers)


def test_unknown_channel_is_rejected() -> None:
    with pytest.raises(ValueError):
        dv.buyer_nick(random.Random(1), "amazon")
    with pytest.raises(ValueError):
        dv.shop_names("amazon")


def test_buyer_remarks_vary() -> None:
    rng = random.Random(10)
    remarks = {dv.buyer_remark(rng) for _ in range(5_000)}
    assert len(remarks) >= 25
    assert "请不要放发票" in remarks
    assert all(remark.strip() == remark and remark for remark in remarks)


# --------------------------------------------------------------------------- channels, shops


def test_channels_and_shops() -> None:
    assert dv.CHANNELS == (
        ("taobao", "淘宝"),
        ("tmall", "天猫"),
        ("jd", "京东"),
        ("douyin", "抖音"),
        ("pdd", "拼多多"),
        ("manual", "手工单"),
    )
    all_shops: list[str] = []
    for code, _ in dv.CHANNELS:
        shops = dv.shop_names(code)
        assert 2 <= len(shops) <= 3
        all_shops.extend(shops)
    assert len(set(all_shops)) == len(all_shops)
    assert "雪岭天猫旗舰店" in dv.shop_names("tmall")


# --------------------------------------------------------------------------- products


def _catalogue(seed: int, count: int) -> list[dv.ProductSpec]:
    rng = random.Random(seed)
    return [dv.product(rng, index) for index in range(1, count + 1)]


def test_products_are_physically_plausible() -> None:
    products = _catalogue(11, 2_000)
    bulky = [p for p in products if p.bulky]
    assert 0.005 * len(products) <= len(bulky) <= 0.05 * len(products)
    for p in products:
        assert p.name and p.spec and p.category
        assert p.weight_g > 0 and p.price_fen > 0
        assert min(p.length_mm, p.width_mm, p.height_mm) > 0
        assert all(
            isinstance(v, int)
            for v in (p.weight_g, p.length_mm, p.width_mm, p.height_mm, p.price_fen)
        )
        longest = max(p.length_mm, p.width_mm, p.height_mm)
        assert p.bulky == (p.weight_g > 15_000 or longest > 600), p
    assert any(p.category == "家电" for p in bulky)
    assert {p.category for p in products} == {
        "食品饮料", "美妆个护", "服饰鞋包", "家居日用", "数码配件", "母婴用品", "宠物用品", "家电",
    }  # fmt: skip
    assert len({p.name for p in products}) > 1_000


def test_bulky_share_is_about_two_percent_across_seeds() -> None:
    total = bulky = 0
    for seed in range(5):
        products = _catalogue(seed, 2_000)
        total += len(products)
        bulky += sum(p.bulky for p in products)
    assert 0.01 < bulky / total < 0.03


def test_drink_pack_weight_and_price() -> None:
    packs = [p for p in _catalogue(12, 5_000) if p.spec == "500ml×12瓶"]
    assert packs
    for p in packs:
        assert 5_000 <= p.weight_g <= 8_000
        assert 3_000 <= p.price_fen <= 5_000
        assert not p.bulky


def test_consecutive_indices_spread_over_brands_and_items() -> None:
    products = _catalogue(13, 400)
    # Modifier words aside, the first few hundred SKUs are all different products.
    assert len({(p.category, p.name[:2], p.spec) for p in products}) > 300
    assert len({p.category for p in products[:8]}) >= 5


def test_product_spec_is_frozen() -> None:
    p = dv.product(random.Random(1), 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.name = "x"  # type: ignore[misc]


# --------------------------------------------------------------------------- purity


def test_import_loads_neither_qt_nor_sqlalchemy() -> None:
    code = (
        "import sys\n"
        "import app.demo.vocab\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'sqlalchemy'))\n"
        "print(','.join(bad))\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
