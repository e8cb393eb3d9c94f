"""Deterministic Chinese e-commerce demo content for the demo seeder.

Every generator takes a ``random.Random`` so one seed always rebuilds the same warehouse:
the same products, buyers, phones, addresses and barcodes. The seeder calls these functions
hundreds of thousands of times, so every vocabulary table is built once at import and a call
only draws a few random numbers and formats a short string. Standard library only: this
module must stay importable without Qt or a database driver.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from dataclasses import dataclass
from math import gcd

from app.domain.channels import STANDARD_CHANNELS

__all__ = [
    "CHANNELS",
    "ProductSpec",
    "buyer_nick",
    "buyer_remark",
    "ean13_check_digit",
    "is_valid_ean13",
    "landline_phone",
    "make_ean13",
    "mobile_phone",
    "person_name",
    "product",
    "shop_names",
    "street_address",
]

CHANNELS: tuple[tuple[str, str], ...] = STANDARD_CHANNELS

_LOWER = "abcdefghijklmnopqrstuvwxyz"


def _is_ascii_digits(text: str) -> bool:
    # str.isdigit() alone also accepts "²" and other Unicode digits that no scanner emits.
    return text.isascii() and text.isdigit()


def _words(text: str) -> tuple[str, ...]:
    # Whitespace-separated word lists keep the long Chinese vocabularies readable.
    return tuple(text.split())


def _cumulative(weights: tuple[int, ...]) -> tuple[int, ...]:
    running = 0
    out: list[int] = []
    for weight in weights:
        running += weight
        out.append(running)
    return tuple(out)


# --------------------------------------------------------------------------- EAN-13


# GS1 weights the 12 body digits 1,3,1,3,... from the left. Summing four 3-digit chunks
# through lookup tables is several times faster than converting digit by digit; chunks
# starting at an even offset are weighted 1,3,1 and those at an odd offset 3,1,3.
_EAN_CHUNK_EVEN: dict[str, int] = {
    f"{n:03d}": n // 100 + 3 * (n // 10 % 10) + n % 10 for n in range(1000)
}
_EAN_CHUNK_ODD: dict[str, int] = {
    f"{n:03d}": 3 * (n // 100) + n // 10 % 10 + 3 * (n % 10) for n in range(1000)
}


def ean13_check_digit(first12: str) -> str:
    """GS1 mod-10 check digit for the first 12 digits of an EAN-13."""
    if len(first12) != 12 or not _is_ascii_digits(first12):
        raise ValueError(f"EAN-13 body must be exactly 12 ASCII digits, got {first12!r}")
    total = (
        _EAN_CHUNK_EVEN[first12[0:3]]
        + _EAN_CHUNK_ODD[first12[3:6]]
        + _EAN_CHUNK_EVEN[first12[6:9]]
        + _EAN_CHUNK_ODD[first12[9:12]]
    )
    return str(-total % 10)


def is_valid_ean13(code: str) -> bool:
    """True when ``code`` is 13 ASCII digits ending in the correct check digit."""
    if len(code) != 13 or not _is_ascii_digits(code):
        return False
    return ean13_check_digit(code[:12]) == code[12]


def make_ean13(rng: random.Random, prefix: str = "69") -> str:
    """A valid EAN-13 that starts with ``prefix``.

    The default ``"69"`` leaves the third digit random, so codes spread over the Chinese
    GS1 range 690-699. A longer prefix (a company prefix such as ``"6901234"``) is kept.
    """
    if not 1 <= len(prefix) <= 12 or not _is_ascii_digits(prefix):
        raise ValueError(f"EAN-13 prefix must be 1 to 12 ASCII digits, got {prefix!r}")
    free = 12 - len(prefix)
    body = f"{prefix}{rng.randrange(10**free):0{free}d}" if free else prefix
    return body + ean13_check_digit(body)


# --------------------------------------------------------------------------- people

# Shares of the population in hundredths of a percent, roughly as the census reports them;
# only the relative sizes matter. Compound surnames are rare in real life, hence the tiny
# weights.
# fmt: off
_SURNAME_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("王", 725), ("李", 719), ("张", 683), ("刘", 538), ("陈", 453), ("杨", 308),
    ("黄", 223), ("赵", 229), ("吴", 205), ("周", 199), ("徐", 167), ("孙", 154),
    ("马", 145), ("朱", 126), ("胡", 120), ("郭", 118), ("何", 117), ("高", 111),
    ("林", 111), ("罗", 95), ("郑", 92), ("梁", 85), ("谢", 75), ("宋", 73),
    ("唐", 72), ("许", 66), ("韩", 65), ("冯", 64), ("邓", 64), ("曹", 61),
    ("彭", 59), ("曾", 56), ("肖", 56), ("田", 54), ("董", 51), ("袁", 50),
    ("潘", 48), ("于", 48), ("蒋", 47), ("蔡", 46), ("余", 46), ("杜", 43),
    ("叶", 42), ("程", 41), ("苏", 39), ("魏", 39), ("吕", 38), ("丁", 37),
    ("任", 36), ("沈", 35), ("姚", 34), ("卢", 34), ("姜", 33), ("崔", 32),
    ("钟", 31), ("谭", 31), ("陆", 30), ("汪", 29), ("范", 28), ("金", 28),
    ("石", 27), ("廖", 27), ("贾", 26), ("夏", 25), ("韦", 25), ("付", 25),
    ("方", 24), ("白", 23), ("邹", 23), ("孟", 22),
    ("欧阳", 6), ("司马", 2), ("上官", 2), ("诸葛", 2), ("东方", 1), ("皇甫", 1),
    ("慕容", 1), ("令狐", 1),
)
# fmt: on
_SURNAMES: tuple[str, ...] = tuple(name for name, _ in _SURNAME_WEIGHTS)
_SURNAME_CUM: tuple[int, ...] = _cumulative(tuple(w for _, w in _SURNAME_WEIGHTS))
_SURNAME_TOTAL: int = _SURNAME_CUM[-1]

_GIVEN_CHARS: tuple[str, ...] = tuple(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红丹玲飞鹏宇浩然子轩涵梓欣怡"
    "雨晨博文嘉佳思一诺泽俊宏志建国海林斌辉琳婷雪倩颖慧莉晶燕春兰凤梅云亮成健波毅峰鑫"
    "昊宁瑞安晓东新永庆德荣祥彬晖鸿凯锋睿哲逸航琪瑶璐萱妍婉菲蕾薇岚悦彤冰楠阳帆豪翔"
    "旭坤森婕茜蓉媛曦熙沐辰铭景清源川远鹤松柏竹青秋冬露霖骏驰皓月星"
)

# Most people born since the 1980s have two-character given names.
_TWO_CHAR_GIVEN_SHARE = 0.7


def person_name(rng: random.Random) -> str:
    """A Chinese full name: weighted common surname plus one or two given-name characters."""
    surname = _SURNAMES[bisect_right(_SURNAME_CUM, rng.random() * _SURNAME_TOTAL)]
    if rng.random() < _TWO_CHAR_GIVEN_SHARE:
        return surname + rng.choice(_GIVEN_CHARS) + rng.choice(_GIVEN_CHARS)
    return surname + rng.choice(_GIVEN_CHARS)


# --------------------------------------------------------------------------- phones


def _prefix_range(first: int, last: int) -> tuple[str, ...]:
    return tuple(str(n) for n in range(first, last + 1))


# Number segments in real use by the three mainland carriers.
_MOBILE_PREFIXES: tuple[str, ...] = (
    *_prefix_range(130, 139),
    *_prefix_range(150, 153),
    *_prefix_range(155, 159),
    "166",
    "170",
    "173",
    *_prefix_range(175, 178),
    *_prefix_range(180, 189),
    "191",
    "198",
    "199",
)


def mobile_phone(rng: random.Random) -> str:
    """An 11-digit mainland mobile number with a real carrier prefix."""
    return f"{rng.choice(_MOBILE_PREFIXES)}{rng.randrange(100_000_000):08d}"


def landline_phone(rng: random.Random, area_code: str = "0571") -> str:
    """A fixed-line number such as ``0571-88231234``.

    Local numbers are eight digits and never start with 0, 1 or 9, which are reserved for
    trunk, special and service numbers.
    """
    if not 3 <= len(area_code) <= 4 or area_code[0] != "0" or not _is_ascii_digits(area_code):
        raise ValueError(f"area code must be 0 plus 2 or 3 digits, got {area_code!r}")
    return f"{area_code}-{rng.randrange(2, 9)}{rng.randrange(10_000_000):07d}"


# --------------------------------------------------------------------------- addresses

_ROAD_STEMS: tuple[str, ...] = _words(
    """
    文三 文二 文一 教工 学院 古墩 丰潭 湖墅 庆春 凤起 环城北 体育场 解放 人民 中山 建设 长江
    黄河 和平 胜利 友谊 光明 新华 朝阳 延安 天目山 莫干山 东风 望江 钱江 秋涛 清泰 平海 武林
    石桥 半山 五常 紫金港 云栖 之江 双塔 宝石 保俶 松木场 登云 翠苑 三墩 华丰 新塘 滨江 江南
    东方 世纪 科技 创业 高新 工业 青年 幸福 团结 民主 复兴 振兴 兴业 金沙 银河 星光 梧桐 香樟
    桂花 玉兰 枫林 柳岸 迎宾 长寿 学府 花园 红旗 向阳 育才 振华
    """
)
# Repetition weights the draw: most addresses are on a 路.
_ROAD_SUFFIXES: tuple[str, ...] = (
    ("路",) * 12 + ("街",) * 3 + ("大街",) * 2 + ("大道",) * 2 + ("巷",)
)
# Long roads are split into sections, e.g. 解放东路.
_ROAD_DIRECTIONS: tuple[str, ...] = ("东", "西", "南", "北", "中")

_ESTATE_STEMS: tuple[str, ...] = _words(
    """
    金色 阳光 锦绣 春江 碧水 蓝湾 紫荆 香榭 名都 丽景 和园 嘉苑 景苑 华府 雅居 翠湖 绿洲
    明珠 望湖 听涛 枫丹 御景 滨河 东湖 西溪 半岛 水岸 银杏 云栖 星河
    """
)
_ESTATE_SUFFIXES: tuple[str, ...] = ("花园", "家园", "小区", "新村", "公寓", "名苑", "华庭", "府")
_OFFICE_STEMS: tuple[str, ...] = _words(
    """
    华星 世贸 国贸 汇金 金融 创新 东方 万通 恒隆 嘉里 新天地 远洋 中天 银泰 数字 未来
    """
)
_OFFICE_SUFFIXES: tuple[str, ...] = ("时代广场", "大厦", "中心", "国际", "科技园", "商务楼")
_BUILDING_WORDS: tuple[str, ...] = ("幢", "栋", "号楼")


def _room(rng: random.Random, max_floor: int) -> str:
    return f"{rng.randrange(1, max_floor + 1)}{rng.randrange(1, 5):02d}"


def street_address(rng: random.Random) -> str:
    """A street-level address line, without province, city or district.

    Examples: ``文三路90号华星时代广场3幢1201室``, ``建设大街188号5栋2单元602``.
    """
    suffix = rng.choice(_ROAD_SUFFIXES)
    road = rng.choice(_ROAD_STEMS)
    if suffix == "路" and rng.random() < 0.15:
        road += rng.choice(_ROAD_DIRECTIONS)
    road += suffix
    # Alleys are short; main roads run to several hundred numbers.
    number = rng.randrange(1, 80) if suffix == "巷" else rng.randrange(1, 600)
    shape = rng.random()
    room_word = "室" if rng.random() < 0.6 else ""
    if shape < 0.35:
        # Residential estate: tower blocks, no 单元.
        estate = rng.choice(_ESTATE_STEMS) + rng.choice(_ESTATE_SUFFIXES)
        building = f"{rng.randrange(1, 30)}{rng.choice(_BUILDING_WORDS)}"
        return f"{road}{number}号{estate}{building}{_room(rng, 33)}{room_word}"
    if shape < 0.65:
        # Older walk-up blocks: 栋 + 单元, at most 7 floors.
        return (
            f"{road}{number}号{rng.randrange(1, 20)}栋{rng.randrange(1, 7)}单元"
            f"{_room(rng, 7)}{room_word}"
        )
    if shape < 0.85:
        office = rng.choice(_OFFICE_STEMS) + rng.choice(_OFFICE_SUFFIXES)
        if rng.random() < 0.5:
            return f"{road}{number}号{office}{rng.randrange(1, 8)}幢{_room(rng, 28)}室"
        return f"{road}{number}号{office}{_room(rng, 28)}室"
    if shape < 0.93:
        # Shanghai-style lane housing: 弄 then house number.
        return f"{road}{rng.randrange(1, 1500)}弄{rng.randrange(1, 60)}号{_room(rng, 6)}室"
    return f"{road}{number}号"


# --------------------------------------------------------------------------- buyers

_NICK_HEADS: tuple[str, ...] = _words(
    """
    快乐的 爱吃鱼的 会飞的 奔跑的 安静的 迷路的 爱睡觉的 小小 胖胖 甜甜 酷酷 晴天 南风 北岛
    深夜 一只 阿 大 爱笑的 不吃香菜的
    """
)
_NICK_TAILS: tuple[str, ...] = _words(
    """
    猫 小熊 兔子 橘子 西瓜 蜗牛 柠檬 星星 鲸鱼 土豆 芒果 企鹅 团子 布丁 豆豆 糯米 汤圆 饭团
    考拉 海盐 小鹿 奶茶
    """
)
_COMPANY_CITIES: tuple[str, ...] = _words(
    "杭州 上海 宁波 苏州 广州 深圳 义乌 温州 成都 武汉 南京 厦门 青岛 合肥 长沙"
)
_COMPANY_CORES: tuple[str, ...] = _words(
    "明远 恒达 瑞丰 鑫源 华创 德信 永盛 嘉禾 博远 启航 众联 宏图 锦程 泰和 新锐 汇通"
)
_COMPANY_TRADES: tuple[str, ...] = (
    "贸易",
    "科技",
    "商贸",
    "电子商务",
    "实业",
    "文化传媒",
    "供应链管理",
    "餐饮管理",
)


def _chinese_nick(rng: random.Random) -> str:
    nick = rng.choice(_NICK_HEADS) + rng.choice(_NICK_TAILS)
    roll = rng.random()
    if roll < 0.3:
        return f"{nick}{rng.randrange(1, 1000)}"
    if roll < 0.45:
        # Birth years are a common tail.
        return f"{nick}{rng.randrange(1975, 2006)}"
    return nick


def _company_name(rng: random.Random) -> str:
    return (
        f"{rng.choice(_COMPANY_CITIES)}{rng.choice(_COMPANY_CORES)}"
        f"{rng.choice(_COMPANY_TRADES)}有限公司"
    )


def buyer_nick(rng: random.Random, channel: str) -> str:
    """A plausible buyer nickname in the style of ``channel`` (a code from ``CHANNELS``)."""
    roll = rng.random()
    if channel in ("taobao", "tmall"):
        if roll < 0.4:
            return f"tb_{rng.randrange(10_000):04d}{''.join(rng.choices(_LOWER, k=3))}"
        if roll < 0.55:
            return f"tb{rng.randrange(100_000_000, 10_000_000_000)}"
        return _chinese_nick(rng)
    if channel == "jd":
        if roll < 0.8:
            return f"jd_{rng.getrandbits(32):08x}"
        return _chinese_nick(rng)
    if channel == "douyin":
        if roll < 0.6:
            return f"dy用户{rng.randrange(1000, 10000)}"
        return _chinese_nick(rng)
    if channel == "pdd":
        if roll < 0.75:
            # Default nick: part of the bound phone number plus two letters.
            return (
                f"pdd_{rng.choice(_MOBILE_PREFIXES)}{rng.randrange(100):02d}"
                f"{''.join(rng.choices(_LOWER, k=2))}"
            )
        return _chinese_nick(rng)
    if channel == "manual":
        if roll < 0.5:
            return _company_name(rng)
        return person_name(rng)
    raise ValueError(f"unknown channel {channel!r}")


_BUYER_REMARKS: tuple[str, ...] = (
    "请不要放发票",
    "送人的礼物，请包装好",
    "下午送货，上午家里没人",
    "务必今天发货！",
    "换成蓝色的",
    "地址改成公司地址",
    "不要放任何带价格的单据",
    "天热，麻烦多放几个冰袋",
    "请发顺丰，运费差价我补",
    "发中通，别的快递到不了我们村",
    "和上一单一起发，合并打包",
    "贺卡上写：祝妈妈生日快乐",
    "不要赠品，直接寄",
    "尺码换成L码",
    "拍错颜色了，发黑色",
    "周末不在家，请周一再发",
    "易碎品，请多包几层泡沫",
    "请放快递柜，不要放门口",
    "到了先打电话，不要放驿站",
    "公司地址，只能工作日送达",
    "急用！能加急吗",
    "外包装不要写品名",
    "两件分开包装，送两个人",
    "发货前帮忙检查有没有破损",
    "要最新日期的，旧批次不要",
    "需要开公司抬头发票，税号已发客服",
    "送货前请提前联系",
    "只要一件，另一件不要发了",
    "电话打不通请发短信",
    "家里老人收货，胶带少缠点",
)


def buyer_remark(rng: random.Random) -> str:
    """A buyer remark that a person has to read and act on."""
    return rng.choice(_BUYER_REMARKS)


# --------------------------------------------------------------------------- products


@dataclass(frozen=True, slots=True)
class ProductSpec:
    """One demo SKU's catalogue data; weight in grams, sizes in mm, price in fen."""

    name: str
    spec: str
    category: str
    weight_g: int
    length_mm: int
    width_mm: int
    height_mm: int
    price_fen: int
    bulky: bool


# A parcel above either limit needs a freight service rather than a normal courier.
_BULKY_WEIGHT_G = 15_000
_BULKY_SIDE_MM = 600
_BULKY_SHARE = 0.02

# Per-call jitter bounds; the table check below uses the same bounds.
_WEIGHT_JITTER = 0.05
_SIZE_JITTER = 0.03

# (spec text, weight factor, price factor) relative to the item's base weight and price.
_SpecRow = tuple[str, float, float]


@dataclass(frozen=True, slots=True)
class _Item:
    name: str
    specs: tuple[_SpecRow, ...]
    weight_g: int
    dims_mm: tuple[int, int, int]
    price_yuan: float


@dataclass(frozen=True, slots=True)
class _Variant:
    spec: str
    weight_g: float
    length_mm: float
    width_mm: float
    height_mm: float
    price_yuan: float


def _specs(*rows: tuple[str, float] | tuple[str, float, float]) -> tuple[_SpecRow, ...]:
    # A two-field row uses its weight factor as the price factor too.
    return tuple((row[0], row[1], row[-1]) for row in rows)


def _sized(sizes: str, colours: str) -> tuple[_SpecRow, ...]:
    return tuple(
        (f"{size}码 {colour}", 1.0, 1.0) for size in sizes.split() for colour in colours.split()
    )


def _i(
    name: str,
    specs: tuple[_SpecRow, ...],
    weight_g: int,
    dims_mm: tuple[int, int, int],
    price_yuan: float,
) -> _Item:
    return _Item(name, specs, weight_g, dims_mm, price_yuan)


# fmt: off
_CATEGORY_ITEMS: tuple[tuple[str, tuple[_Item, ...]], ...] = (
    (
        "食品饮料",
        (
            _i("无糖乌龙茶饮料", _specs(("500ml×12瓶", 1.0), ("500ml×24瓶", 2.0, 1.9),
                                        ("500ml×6瓶", 0.5, 0.55)), 6600, (330, 250, 220), 39.9),
            _i("苏打气泡水", _specs(("480ml×15瓶", 1.0), ("330ml×24罐", 1.1, 1.2)),
               7600, (390, 240, 220), 49.9),
            _i("东北大米", _specs(("5kg 袋装", 1.0), ("10kg 袋装", 2.0, 1.9),
                                  ("2.5kg 袋装", 0.5, 0.55)), 5150, (420, 280, 100), 45.9),
            _i("每日坚果", _specs(("25g×30包", 1.0), ("25g×7包", 0.25, 0.3),
                                  ("25g×60包", 2.0, 1.85)), 950, (280, 200, 150), 99.0),
            _i("挂耳咖啡", _specs(("10g×20袋", 1.0), ("10g×50袋", 2.5, 2.2)),
               320, (200, 120, 100), 59.0),
            _i("手撕牛肉干", _specs(("250g", 1.0), ("500g", 2.0, 1.9), ("100g×3袋", 1.2)),
               320, (220, 160, 60), 49.9),
            _i("高山乌龙茶", _specs(("125g 罐装", 1.0), ("250g 礼盒装", 2.2, 2.0)),
               420, (180, 100, 100), 88.0),
            _i("螺蛳粉", _specs(("335g×5袋", 1.0), ("335g×10袋", 2.0, 1.9),
                                ("335g×3袋", 0.6)), 1900, (330, 240, 120), 45.9),
            _i("纯牛奶", _specs(("250ml×24盒", 1.0), ("250ml×12盒", 0.5, 0.55)),
               6500, (380, 250, 130), 69.9),
            _i("土蜂蜜", _specs(("500g 瓶装", 1.0), ("1kg 瓶装", 2.0, 1.8)),
               700, (160, 90, 90), 39.9),
            _i("特级初榨橄榄油", _specs(("1L", 1.0), ("500ml", 0.5, 0.55), ("5L", 5.0, 4.2)),
               1100, (100, 100, 290), 89.0),
            _i("即食燕麦片", _specs(("1kg 袋装", 1.0), ("500g×2袋", 1.0, 1.1),
                                    ("2kg 桶装", 2.0, 1.8)), 1100, (300, 200, 80), 29.9),
        ),
    ),
    (
        "美妆个护",
        (
            _i("氨基酸洗面奶", _specs(("120g", 1.0), ("120g×2支", 2.0, 1.8)),
               180, (180, 60, 40), 69.0),
            _i("玻尿酸补水面膜", _specs(("25ml×10片", 1.0), ("25ml×30片", 3.0, 2.5)),
               350, (200, 150, 40), 59.0),
            _i("保湿乳液", _specs(("100ml", 1.0), ("200ml", 2.0, 1.7)),
               220, (160, 60, 60), 128.0),
            _i("清爽防晒霜 SPF50+", _specs(("50ml", 1.0), ("30ml", 0.6, 0.7)),
               110, (150, 50, 40), 99.0),
            _i("控油洗发水", _specs(("500ml", 1.0), ("750ml", 1.5, 1.35), ("500ml×2瓶", 2.0, 1.8)),
               620, (220, 90, 60), 49.9),
            _i("香氛沐浴露", _specs(("1L", 1.0), ("500ml", 0.5, 0.6)),
               1150, (260, 110, 70), 59.9),
            _i("丝绒唇釉", _specs(("3.5g 01号正红", 1.0), ("3.5g 05号豆沙", 1.0),
                                  ("3.5g 12号枫叶红", 1.0)), 60, (100, 40, 40), 129.0),
            _i("温和卸妆水", _specs(("400ml", 1.0), ("100ml", 0.3, 0.4)),
               450, (200, 70, 70), 79.0),
            _i("软毛牙刷", _specs(("4支装", 1.0), ("10支装", 2.4, 2.2)),
               90, (220, 110, 30), 19.9),
            _i("烟酰胺身体乳", _specs(("250ml", 1.0), ("400ml", 1.6, 1.4)),
               320, (190, 70, 55), 69.0),
        ),
    ),
    (
        "服饰鞋包",
        (
            _i("纯棉短袖T恤", _sized("S M L XL XXL", "黑色 白色 灰色 藏青"),
               220, (300, 250, 30), 59.0),
            _i("连帽卫衣", _sized("M L XL XXL", "黑色 燕麦色 雾霾蓝"),
               600, (350, 300, 60), 159.0),
            _i("直筒牛仔裤", _sized("27 28 29 30 31 32 33 34", "深蓝 浅蓝 黑色"),
               650, (350, 280, 50), 199.0),
            _i("轻薄羽绒服", _sized("S M L XL", "黑色 米白 卡其色"),
               900, (420, 330, 110), 499.0),
            _i("透气运动鞋", _sized("36 37 38 39 40 41 42 43 44", "白色 黑色"),
               1100, (330, 220, 120), 299.0),
            _i("经典帆布鞋", _sized("35 36 37 38 39 40 41 42 43", "白色 黑色 红色"),
               900, (320, 210, 115), 129.0),
            _i("通勤双肩包", _specs(("黑色 15.6英寸", 1.0), ("灰色 14英寸", 0.9, 0.95)),
               900, (450, 300, 150), 169.0),
            _i("中筒棉袜", _specs(("5双装 均码 混色", 1.0), ("10双装 均码 黑色", 2.0, 1.8)),
               250, (220, 150, 50), 29.9),
            _i("棒球帽", _sized("均", "卡其色 黑色 白色"), 150, (250, 200, 120), 49.0),
            _i("帆布托特包", _specs(("大号 米白", 1.0), ("中号 黑色", 0.8, 0.85)),
               350, (350, 280, 40), 69.0),
        ),
    ),
    (
        "家居日用",
        (
            _i("原生木浆抽纸", _specs(("3层100抽×24包", 1.0), ("3层100抽×6包", 0.25, 0.3)),
               3000, (480, 380, 200), 49.9),
            _i("洗衣凝珠", _specs(("52颗 盒装", 1.0), ("100颗 盒装", 2.0, 1.8)),
               900, (200, 150, 120), 49.9),
            _i("食品保鲜袋", _specs(("中号 200只", 1.0), ("大号 150只", 1.1, 1.1)),
               400, (220, 150, 80), 19.9),
            _i("透明收纳箱", _specs(("45L", 1.0), ("30L", 0.7, 0.75), ("60L", 1.3, 1.25)),
               2000, (500, 360, 290), 59.0),
            _i("水洗棉四件套", _specs(("1.5m床 灰色", 1.0), ("1.8m床 雾蓝", 1.2, 1.15)),
               2200, (400, 300, 100), 299.0),
            _i("乳胶枕", _specs(("60×40cm 单只", 1.0), ("60×40cm 一对", 2.0, 1.9)),
               1500, (450, 300, 140), 129.0),
            _i("不锈钢保温杯", _specs(("500ml 曜石黑", 1.0), ("350ml 樱花粉", 0.8, 0.9)),
               450, (250, 90, 90), 89.0),
            _i("厨房纸巾", _specs(("75节×6卷", 1.0), ("75节×12卷", 2.0, 1.9)),
               1100, (330, 220, 200), 29.9),
            _i("防滑衣架", _specs(("20只装", 1.0), ("50只装", 2.5, 2.3)),
               1200, (400, 240, 80), 39.9),
            _i("手提式垃圾袋", _specs(("45×50cm 100只", 1.0), ("60×80cm 60只", 1.2, 1.2)),
               600, (250, 180, 90), 15.9),
        ),
    ),
    (
        "数码配件",
        (
            _i("移动电源", _specs(("20000mAh", 1.0), ("10000mAh", 0.6, 0.65)),
               450, (170, 100, 40), 99.0),
            _i("快充数据线", _specs(("1m Type-C", 1.0), ("2m Type-C", 1.2, 1.25)),
               60, (120, 80, 20), 19.9),
            _i("氮化镓充电器", _specs(("65W 双口", 1.0), ("35W 单口", 0.7, 0.6)),
               180, (100, 80, 50), 119.0),
            _i("蓝牙耳机", _specs(("半入耳式 白色", 1.0), ("入耳式降噪 黑色", 1.1, 1.5)),
               200, (120, 100, 50), 199.0),
            _i("磨砂手机壳", _specs(("6.1英寸 磨砂黑", 1.0), ("6.7英寸 透明", 1.0)),
               60, (180, 100, 20), 29.9),
            _i("钢化膜", _specs(("6.1英寸 2片装", 1.0), ("6.7英寸 2片装", 1.05, 1.0)),
               80, (200, 110, 15), 19.9),
            _i("静音无线鼠标", _specs(("黑色", 1.0), ("奶白色", 1.0)),
               150, (130, 90, 50), 59.0),
            _i("机械键盘", _specs(("87键 茶轴", 1.0), ("104键 红轴", 1.2, 1.15)),
               1100, (400, 180, 60), 269.0),
            _i("桌面手机支架", _specs(("银色", 1.0), ("深空灰", 1.0)),
               250, (150, 100, 60), 39.0),
            _i("高速U盘", _specs(("64GB", 1.0), ("128GB", 1.0, 1.6), ("256GB", 1.0, 2.6)),
               40, (90, 60, 15), 39.9),
        ),
    ),
    (
        "母婴用品",
        (
            _i("婴儿纸尿裤", _specs(("L码 52片", 1.0), ("M码 64片", 1.0), ("XL码 44片", 1.0)),
               1800, (400, 250, 200), 119.0),
            _i("婴儿手口湿巾", _specs(("80抽×6包", 1.0), ("80抽×12包", 2.0, 1.85)),
               3000, (350, 250, 200), 39.9),
            _i("宽口径奶瓶", _specs(("240ml", 1.0), ("160ml", 0.8, 0.9)),
               250, (200, 90, 90), 89.0),
            _i("婴幼儿配方奶粉", _specs(("3段 800g 罐装", 1.0), ("2段 800g 罐装", 1.0, 1.05)),
               1100, (160, 130, 130), 268.0),
            _i("儿童保温杯", _specs(("400ml 蓝色", 1.0), ("400ml 粉色", 1.0)),
               400, (230, 90, 90), 99.0),
            _i("纯棉口水巾", _specs(("8条装", 1.0), ("16条装", 2.0, 1.8)),
               200, (220, 160, 40), 29.9),
            _i("婴儿连体衣", _sized("59 66 73 80 90", "浅粉 浅蓝 米白"),
               200, (280, 220, 40), 79.0),
            _i("安抚奶嘴", _specs(("0-6月 2只装", 1.0), ("6-18月 2只装", 1.0)),
               80, (150, 100, 50), 59.0),
            _i("儿童牙膏", _specs(("50g 草莓味", 1.0), ("50g 苹果味", 1.0)),
               90, (160, 45, 40), 25.9),
            _i("大颗粒积木", _specs(("120块 收纳桶装", 1.0), ("60块 盒装", 0.55, 0.6)),
               1500, (400, 300, 150), 129.0),
        ),
    ),
    (
        "宠物用品",
        (
            _i("全价成猫粮", _specs(("2kg", 1.0), ("10kg", 5.0, 4.3)),
               2100, (300, 220, 80), 89.0),
            _i("全价犬粮", _specs(("1.5kg 小型犬", 1.0), ("7.5kg 中大型犬", 5.0, 4.2)),
               1600, (300, 200, 80), 69.0),
            _i("豆腐猫砂", _specs(("6L", 1.0), ("6L×4包", 4.0, 3.5)),
               2600, (350, 220, 100), 29.9),
            _i("鸡胸肉冻干", _specs(("100g", 1.0), ("500g", 5.0, 4.0)),
               150, (200, 150, 60), 39.9),
            _i("猫条", _specs(("15g×20支", 1.0), ("15g×50支", 2.5, 2.2)),
               400, (200, 130, 60), 29.9),
            _i("四季通用宠物窝", _specs(("M号 适合10斤内", 1.0), ("L号 适合20斤内", 1.4, 1.3)),
               800, (450, 400, 150), 79.0),
            _i("逗猫棒", _specs(("羽毛款 3件套", 1.0), ("铃铛款 5件套", 1.3, 1.3)),
               120, (400, 80, 40), 15.9),
            _i("宠物牵引绳", _specs(("M号 1.5m 红色", 1.0), ("L号 1.5m 黑色", 1.2, 1.1)),
               200, (200, 150, 50), 35.9),
            _i("宠物智能饮水机", _specs(("2.5L 白色", 1.0), ("2.5L 灰色", 1.0)),
               1200, (230, 230, 200), 129.0),
            _i("宠物除臭沐浴露", _specs(("500ml", 1.0), ("1L", 2.0, 1.7)),
               600, (220, 90, 60), 45.0),
        ),
    ),
    (
        "家电",
        (
            _i("电热水壶", _specs(("1.7L 不锈钢", 1.0), ("1.5L 玻璃", 1.1, 1.2)),
               1400, (250, 200, 260), 99.0),
            _i("负离子吹风机", _specs(("1800W 白色", 1.0), ("2000W 黑色", 1.05, 1.3)),
               900, (280, 200, 100), 159.0),
            _i("声波电动牙刷", _specs(("白色 2刷头", 1.0), ("黑色 4刷头", 1.1, 1.3)),
               450, (260, 90, 60), 199.0),
            _i("上加水加湿器", _specs(("4L", 1.0), ("6L", 1.3, 1.3)),
               1600, (280, 240, 380), 129.0),
            _i("便携榨汁杯", _specs(("350ml 粉色", 1.0), ("350ml 绿色", 1.0)),
               700, (250, 120, 120), 89.0),
            _i("智能电饭煲", _specs(("3L 预约款", 1.0), ("4L 预约款", 1.3, 1.2)),
               3500, (380, 320, 300), 299.0),
            _i("空气炸锅", _specs(("5L 可视窗口", 1.0), ("3.5L 基础款", 0.8, 0.7)),
               4800, (380, 340, 360), 299.0),
            _i("多功能电煮锅", _specs(("1.5L", 1.0), ("2.5L 带蒸笼", 1.4, 1.3)),
               1300, (260, 230, 220), 89.0),
            _i("手持挂烫机", _specs(("1200W 折叠款", 1.0), ("1500W 大水箱", 1.2, 1.3)),
               1000, (300, 150, 120), 149.0),
            _i("扫拖一体扫地机器人", _specs(("自动回充", 1.0), ("自动集尘", 1.25, 1.6)),
               5500, (470, 450, 160), 999.0),
        ),
    ),
)

# Big boxes that go by freight: every variant is over the weight or size limit.
_BULKY_ITEMS: tuple[tuple[str, _Item], ...] = (
    ("家电", _i("七叶落地扇", _specs(("遥控款", 1.0), ("机械款", 0.95, 0.8)),
               6500, (720, 420, 190), 199.0)),
    ("家电", _i("无叶塔扇", _specs(("1.1m 遥控款", 1.0), ("1.2m 智能款", 1.1, 1.3)),
               6000, (1150, 300, 300), 299.0)),
    ("家电", _i("立式冷风扇", _specs(("水冷 遥控款", 1.0), ("水冷 机械款", 0.95, 0.8)),
               9500, (1050, 380, 330), 399.0)),
    ("家电", _i("油汀取暖器", _specs(("13片 2200W", 1.0), ("11片 2000W", 0.9, 0.9)),
               14000, (700, 600, 280), 329.0)),
    ("家电", _i("免安装台式洗碗机", _specs(("6套", 1.0), ("8套", 1.15, 1.3)),
               23000, (580, 530, 520), 1999.0)),
    ("家电", _i("单门小冰箱", _specs(("93L 冷藏冷冻", 1.0), ("118L 冷藏冷冻", 1.2, 1.2)),
               21000, (520, 510, 870), 799.0)),
    ("家电", _i("上下独立控温电烤箱", _specs(("40L", 1.0), ("45L", 1.1, 1.15)),
               12500, (650, 480, 400), 359.0)),
    ("家电", _i("空气炸烤箱一体机", _specs(("25L 可视款", 1.0), ("30L 双层", 1.15, 1.25)),
               10500, (640, 460, 420), 469.0)),
    ("宠物用品", _i("大型猫爬架", _specs(("1.5m 剑麻柱", 1.0), ("1.8m 太空舱", 1.2, 1.3)),
                   16500, (700, 500, 200), 399.0)),
    ("母婴用品", _i("一键折叠婴儿推车", _specs(("可坐可躺 灰色", 1.0), ("轻便款 米白", 0.8, 0.8)),
                   9500, (820, 460, 300), 699.0)),
)
# fmt: on

# Invented brands, five per category; none is a real trademark on purpose.
_BRANDS: dict[str, tuple[str, ...]] = {
    "食品饮料": ("雪岭", "山野集", "初禾", "田间记", "麦香坊"),
    "美妆个护": ("云朵", "柔肌社", "青黛", "花间语", "素研"),
    "服饰鞋包": ("织趣", "棉语", "步野", "衣朵", "北纬线"),
    "家居日用": ("暖居", "木匠铺", "简物", "拾光家", "净朗"),
    "数码配件": ("极锐", "芯途", "声悦", "迅充", "光年"),
    "母婴用品": ("贝乐多", "小禾苗", "萌宝兔", "暖贝", "童趣岛"),
    "宠物用品": ("喵星球", "毛球屋", "宠乐派", "毛孩家", "爪爪"),
    "家电": ("焙乐", "清泉", "暖阳", "凉屿", "炊趣"),
}

# Optional words between brand and item; "" keeps the plain name common.
_MODIFIERS: dict[str, tuple[str, ...]] = {
    "食品饮料": ("", "", "精选", "臻选", "经典", "优选"),
    "美妆个护": ("", "", "经典", "升级版", "温和", "臻选"),
    "服饰鞋包": ("", "", "新款", "经典款", "百搭", "简约"),
    "家居日用": ("", "", "家用", "简约", "升级款", "耐用"),
    "数码配件": ("", "", "升级款", "旗舰款", "新款", "便携"),
    "母婴用品": ("", "", "安心", "臻护", "经典", "新款"),
    "宠物用品": ("", "", "精选", "经典", "新款", "安心"),
    "家电": ("", "", "家用", "智能", "升级款", "新款"),
}


def _variants(item: _Item, bulky: bool) -> tuple[_Variant, ...]:
    out: list[_Variant] = []
    for spec, weight_factor, price_factor in item.specs:
        # Boxes grow in all three directions, so sides scale with the cube root.
        side = weight_factor ** (1 / 3)
        length, width, height = (d * side for d in item.dims_mm)
        variant = _Variant(
            spec,
            item.weight_g * weight_factor,
            length,
            width,
            height,
            item.price_yuan * price_factor,
        )
        heaviest = variant.weight_g * (1 + _WEIGHT_JITTER)
        lightest = variant.weight_g * (1 - _WEIGHT_JITTER)
        longest = max(length, width, height) * (1 + _SIZE_JITTER)
        shortest_longest = max(length, width, height) * (1 - _SIZE_JITTER)
        # Keep the bulky flag honest: jitter must never move a variant across the limits.
        if bulky and lightest <= _BULKY_WEIGHT_G and shortest_longest <= _BULKY_SIDE_MM:
            raise ValueError(f"bulky item {item.name} {spec} is not bulky")
        if not bulky and (heaviest > _BULKY_WEIGHT_G or longest > _BULKY_SIDE_MM):
            raise ValueError(f"item {item.name} {spec} can exceed the parcel limits")
        out.append(variant)
    return tuple(out)


# One entry per (brand, item) pair: (brand, category, item name, variants, modifiers).
_Combo = tuple[str, str, str, tuple[_Variant, ...], tuple[str, ...]]


def _build_combos() -> tuple[_Combo, ...]:
    combos: list[_Combo] = []
    for category, items in _CATEGORY_ITEMS:
        for item in items:
            variants = _variants(item, bulky=False)
            for brand in _BRANDS[category]:
                combos.append((brand, category, item.name, variants, _MODIFIERS[category]))
    return tuple(combos)


def _build_bulky() -> tuple[tuple[str, str, tuple[_Variant, ...]], ...]:
    return tuple(
        (category, item.name, _variants(item, bulky=True)) for category, item in _BULKY_ITEMS
    )


def _coprime_stride(n: int) -> int:
    # A stride coprime to n visits every combo once in n steps, and a golden-ratio
    # stride sends consecutive SKUs to different categories.
    stride = int(n * 0.618) | 1
    while gcd(stride, n) != 1:
        stride += 1
    return stride


_COMBOS: tuple[_Combo, ...] = _build_combos()
_COMBO_STRIDE: int = _coprime_stride(len(_COMBOS))
_BULKY_VARIANTS: tuple[tuple[str, str, tuple[_Variant, ...]], ...] = _build_bulky()
# Fen taken off a round yuan price, giving 39.90, 40.00, 39.80, 39.99 or 39.50.
_PRICE_CUTS_FEN: tuple[int, ...] = (10, 10, 10, 0, 0, 20, 1, 50)


def _jitter(rng: random.Random, spread: float) -> float:
    return 1 - spread + 2 * spread * rng.random()


def _price_fen(rng: random.Random, base_yuan: float) -> int:
    yuan = max(1, round(base_yuan * (0.85 + 0.35 * rng.random())))
    if yuan >= 100:
        # Dearer goods are priced like 159 or 269 yuan.
        return (yuan // 10 * 10 + 9) * 100
    return yuan * 100 - rng.choice(_PRICE_CUTS_FEN)


def product(rng: random.Random, index: int) -> ProductSpec:
    """Catalogue data for the ``index``-th demo SKU.

    The brand and item come from ``index`` so that consecutive SKUs cover every
    brand-item pair before any repeats; spec, size, weight and price jitter, and whether
    the SKU is one of the ~2% bulky freight items, come from ``rng``.
    """
    if rng.random() < _BULKY_SHARE:
        category, item_name, variants = rng.choice(_BULKY_VARIANTS)
        brands = _BRANDS[category]
        brand = brands[index % len(brands)]
        modifier = ""
    else:
        brand, category, item_name, variants, modifiers = _COMBOS[
            index * _COMBO_STRIDE % len(_COMBOS)
        ]
        modifier = rng.choice(modifiers)
    variant = rng.choice(variants)
    length = int(variant.length_mm * _jitter(rng, _SIZE_JITTER))
    width = int(variant.width_mm * _jitter(rng, _SIZE_JITTER))
    height = int(variant.height_mm * _jitter(rng, _SIZE_JITTER))
    weight_g = max(1, int(variant.weight_g * _jitter(rng, _WEIGHT_JITTER)))
    return ProductSpec(
        name=f"{brand}{modifier}{item_name}",
        spec=variant.spec,
        category=category,
        weight_g=weight_g,
        length_mm=max(1, length),
        width_mm=max(1, width),
        height_mm=max(1, height),
        price_fen=_price_fen(rng, variant.price_yuan),
        bulky=weight_g > _BULKY_WEIGHT_G or max(length, width, height) > _BULKY_SIDE_MM,
    )


# --------------------------------------------------------------------------- shops

_SHOP_NAMES: dict[str, tuple[str, ...]] = {
    "taobao": ("雪岭食品淘宝店", "云朵美妆小铺", "暖居家居生活馆"),
    "tmall": ("雪岭天猫旗舰店", "极锐数码天猫专卖店", "暖居家居天猫旗舰店"),
    "jd": ("雪岭京东自营店", "极锐数码京东旗舰店", "贝乐多母婴京东专营店"),
    "douyin": ("雪岭食品抖音小店", "云朵美妆抖音旗舰店"),
    "pdd": ("初禾生鲜拼多多店", "暖居百货拼多多旗舰店"),
    "manual": ("线下批发部", "企业团购"),
}


def shop_names(channel: str) -> tuple[str, ...]:
    """The demo shops selling on ``channel`` (a code from ``CHANNELS``)."""
    try:
        return _SHOP_NAMES[channel]
    except KeyError:
        raise ValueError(f"unknown channel {channel!r}") from None
