"""China's province / city / district table, for validating and locating shipping addresses.

Loads resources/regions/regions.csv (the statistics bureau's 2023 division codes, built by
resources/regions/build_regions.py) and resolves the three address parts that
e-commerce platforms send (e.g. 北京市 / 北京市 / 朝阳区) to one county-level Region.

Buyers' saved addresses outlive the divisions they name: a district that was renamed, merged
or moved to another city still arrives on orders for years. Names that differ from the
current ones only by their suffix (平泉县 → 平泉市) resolve through the short forms; the rest
are listed in FORMER_NAMES, which maps a former province / city / district to the unit that
holds it now. When a former unit was split, it maps to the unit that took its seat (江干区 →
上城区; its 下沙 and 白杨 streets went to 钱塘区); a unit that still exists after losing part
of its area (余杭区 → 临平区, 宝安区 → 龙华区 / 光明区, 萧山区 → 钱塘区) keeps its own name,
which is still a valid district.

Pure standard library so that services, the CLI and tests can use it without Qt or a
database.
"""

from __future__ import annotations

import csv
import enum
import functools
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "EARTH_RADIUS_KM",
    "FORMER_NAMES",
    "PLACEHOLDER_CITIES",
    "Region",
    "RegionTable",
    "Resolution",
    "ResolveStatus",
    "default_path",
    "distance_km",
    "resolve",
    "short_name",
]

EARTH_RADIUS_KM = 6371.0

# fmt: off
# Longest first, so that 壮族自治区 wins over 自治区 and 地区 over 区.
_SUFFIXES: tuple[str, ...] = tuple(sorted(
    (
        "维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区",
        "自治区", "自治州", "自治县", "自治旗",
        "地区", "林区", "新区", "特区",
        "省", "市", "区", "县", "盟", "旗",
    ),
    key=len,
    reverse=True,
))
# Autonomous prefectures/counties/banners are usually written without the nationalities
# (恩施土家族苗族自治州 → 恩施), so those are peeled off after the suffix.
_AUTONOMOUS_SUFFIXES = frozenset({"自治州", "自治县", "自治旗"})
# The 56 officially recognised nationalities, as they appear in place names.
_NATIONALITIES: tuple[str, ...] = (
    "汉", "壮", "回", "满", "维吾尔", "苗", "彝", "土家", "藏", "蒙古", "侗", "布依", "瑶",
    "白", "朝鲜", "哈尼", "黎", "哈萨克", "傣", "畲", "傈僳", "东乡", "仡佬", "拉祜", "佤",
    "水", "纳西", "羌", "土", "仫佬", "锡伯", "柯尔克孜", "景颇", "达斡尔", "撒拉", "布朗",
    "毛南", "塔吉克", "普米", "阿昌", "怒", "鄂温克", "京", "基诺", "德昂", "保安", "俄罗斯",
    "裕固", "乌孜别克", "门巴", "鄂伦春", "独龙", "赫哲", "高山", "珞巴", "塔塔尔",
)
# fmt: on
# Single-character names only count with 族, otherwise 水/白/京 would eat place names.
# 各族 ("all nationalities") appears in 龙胜各族自治县 and 隆林各族自治县.
_NATIONALITY_TOKENS: tuple[str, ...] = tuple(
    sorted(
        {n + "族" for n in _NATIONALITIES} | {n for n in _NATIONALITIES if len(n) >= 2} | {"各族"},
        key=len,
        reverse=True,
    )
)
# A short form keeps at least two characters, so 东区/矿区/沙县 stay whole.
_MIN_STEM = 2

# City names that platforms and the official code list use for "no real prefecture";
# treated like a blank city, i.e. the district is looked up across the province (and the
# waybill's route code names the province instead).
PLACEHOLDER_CITIES = frozenset(
    {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "省直辖行政单位"}
)


# (province, former city, former district, adcode now holding it); documented in
# docs/reference-data.md. Only names the short forms cannot reach are listed.
# fmt: off
FORMER_NAMES: tuple[tuple[str, str, str, str], ...] = (
    ("河北省", "唐山市", "滦县", "130284"),        # 2018 → 滦州市
    ("河北省", "邯郸市", "邯郸县", "130402"),      # 2016 abolished, mostly → 邯山区
    ("河北省", "邢台市", "桥东区", "130502"),      # 2020 renamed 襄都区
    ("河北省", "邢台市", "桥西区", "130503"),      # 2020 renamed 信都区
    ("河北省", "邢台市", "邢台县", "130503"),      # 2020 abolished, mostly → 信都区
    ("河北省", "邢台市", "任县", "130505"),        # 2020 → 任泽区
    ("河北省", "定州市", "定州市", "130682"),      # addressed as a city; filed under 保定市
    ("河北省", "辛集市", "辛集市", "130181"),      # addressed as a city; filed under 石家庄市
    ("山西省", "大同市", "城区", "140213"),        # 2018 → 平城区
    ("山西省", "大同市", "矿区", "140214"),        # 2018 → 云冈区 (part to 平城区)
    ("山西省", "大同市", "南郊区", "140214"),      # 2018 → 云冈区
    ("山西省", "大同市", "大同县", "140215"),      # 2018 → 云州区
    ("山西省", "长治市", "城区", "140403"),        # 2018 → 潞州区
    ("山西省", "长治市", "郊区", "140403"),        # 2018 → 潞州区
    ("山西省", "长治市", "长治县", "140404"),      # 2018 → 上党区
    ("吉林省", "四平市", "公主岭市", "220184"),    # 2020 → 长春市
    ("黑龙江省", "伊春市", "伊春区", "230717"),    # 2019 → 伊美区
    ("黑龙江省", "伊春市", "美溪区", "230717"),    # 2019 → 伊美区
    ("黑龙江省", "伊春市", "乌马河区", "230718"),  # 2019 → 乌翠区
    ("黑龙江省", "伊春市", "翠峦区", "230718"),    # 2019 → 乌翠区
    ("黑龙江省", "伊春市", "上甘岭区", "230719"),  # 2019 → 友好区
    ("黑龙江省", "伊春市", "西林区", "230751"),    # 2019 → 金林区
    ("黑龙江省", "伊春市", "金山屯区", "230751"),  # 2019 → 金林区
    ("黑龙江省", "伊春市", "汤旺河区", "230723"),  # 2019 → 汤旺县
    ("黑龙江省", "伊春市", "乌伊岭区", "230723"),  # 2019 → 汤旺县
    ("黑龙江省", "伊春市", "五营区", "230724"),    # 2019 → 丰林县
    ("黑龙江省", "伊春市", "红星区", "230724"),    # 2019 → 丰林县
    ("黑龙江省", "伊春市", "新青区", "230724"),    # 2019 → 丰林县
    ("黑龙江省", "伊春市", "带岭区", "230725"),    # 2019 → 大箐山县
    ("江苏省", "南通市", "港闸区", "320613"),      # 2020 → 崇川区
    ("浙江省", "杭州市", "下城区", "330105"),      # 2021 → 拱墅区
    ("浙江省", "杭州市", "江干区", "330102"),      # 2021 → 上城区 (下沙, 白杨 → 钱塘区)
    ("浙江省", "宁波市", "江东区", "330212"),      # 2016 → 鄞州区
    ("安徽省", "芜湖市", "三山区", "340209"),      # 2020 → 弋江区
    ("安徽省", "芜湖市", "芜湖县", "340210"),      # 2020 → 湾沚区
    ("福建省", "三明市", "梅列区", "350404"),      # 2021 → 三元区
    ("江西省", "南昌市", "湾里区", "360112"),      # 2019 → 新建区
    ("江西省", "九江市", "九江县", "360404"),      # 2017 → 柴桑区
    ("江西省", "上饶市", "上饶县", "361104"),      # 2019 → 广信区
    ("山东省", "烟台市", "长岛县", "370614"),      # 2020 → 蓬莱区
    ("山东省", "莱芜市", "莱城区", "370116"),      # 2019 莱芜市 → 济南市莱芜区
    ("山东省", "莱芜市", "莱芜区", "370116"),
    ("山东省", "莱芜市", "钢城区", "370117"),      # 2019 → 济南市钢城区
    ("山东省", "济南市", "莱城区", "370116"),
    ("河南省", "开封市", "金明区", "410202"),      # 2014 → 龙亭区
    ("河南省", "洛阳市", "吉利区", "410308"),      # 2021 → 孟津区
    ("河南省", "许昌市", "许昌县", "411003"),      # 2016 → 建安区
    ("湖南省", "株洲市", "株洲县", "430212"),      # 2018 → 渌口区
    ("广西壮族自治区", "南宁市", "横县", "450181"),  # 2021 → 横州市
    ("四川省", "成都市", "郫县", "510117"),        # 2016 → 郫都区
    ("四川省", "宜宾市", "宜宾县", "511504"),      # 2018 → 叙州区
    ("贵州省", "六盘水市", "盘县", "520281"),      # 2017 → 盘州市
    ("西藏自治区", "那曲地区", "那曲县", "540602"),  # 2017 → 那曲市色尼区
    ("西藏自治区", "那曲市", "那曲县", "540602"),
    ("陕西省", "西安市", "户县", "610118"),        # 2016 → 鄠邑区
    ("陕西省", "咸阳市", "彬县", "610482"),        # 2018 → 彬州市
)
# fmt: on


@functools.lru_cache(maxsize=8192)
def short_name(name: str) -> str:
    """Common short form of a region name: 浙江省 → 浙江, 广西壮族自治区 → 广西."""
    name = _clean(name)
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= _MIN_STEM:
            stem = name[: -len(suffix)]
            if suffix in _AUTONOMOUS_SUFFIXES:
                stem = _strip_nationalities(stem)
            return stem
    return name


def _strip_nationalities(stem: str) -> str:
    changed = True
    while changed:
        changed = False
        for token in _NATIONALITY_TOKENS:
            if stem.endswith(token) and len(stem) - len(token) >= _MIN_STEM:
                stem = stem[: -len(token)]
                changed = True
                break
    # Named after the nationality alone (东乡族自治县): written as 东乡县, so keep 东乡.
    if stem.endswith("族") and stem in _NATIONALITY_TOKENS and len(stem) - 1 >= _MIN_STEM:
        stem = stem[:-1]
    return stem


def _clean(text: str) -> str:
    # Region names never contain whitespace; pasted addresses often do (incl. U+3000).
    return "".join(text.split())


@dataclass(frozen=True, slots=True)
class Region:
    """One county-level region, named the way a shipping address names it."""

    adcode: str
    province: str
    city: str
    district: str
    province_adcode: str
    city_adcode: str
    longitude: float
    latitude: float


class ResolveStatus(enum.StrEnum):
    OK = "ok"
    AMBIGUOUS = "ambiguous"
    INVALID = "invalid"


@dataclass(frozen=True, slots=True)
class Resolution:
    status: ResolveStatus
    region: Region | None = None
    candidates: tuple[Region, ...] = ()
    reason: str = ""
    # The reason as a code and params the screens word (app.domain.notes).
    code: str = ""
    params: Mapping[str, object] = field(default_factory=dict, compare=False, hash=False)

    @property
    def ok(self) -> bool:
        return self.status is ResolveStatus.OK


def default_path() -> Path:
    """Where regions.csv lives: among the shipped resources (`app.resources`)."""
    from app.resources import resource_path

    return resource_path("regions", "regions.csv")


_MEMO_LIMIT = 100_000  # distinct spellings remembered; typos beyond that are resolved afresh


class RegionTable:
    """All county-level regions, indexed for lookup and address resolution."""

    def __init__(
        self,
        regions: Iterable[Region],
        former_names: Iterable[tuple[str, str, str, str]] = FORMER_NAMES,
    ) -> None:
        ordered = sorted(regions, key=lambda r: r.adcode)
        by_code: dict[str, Region] = {}
        for region in ordered:
            if region.adcode in by_code:
                raise ValueError(f"duplicate adcode {region.adcode}")
            by_code[region.adcode] = region
        self._regions: tuple[Region, ...] = tuple(ordered)
        self._by_code = by_code
        by_province: dict[str, list[Region]] = {}
        for region in ordered:
            by_province.setdefault(region.province, []).append(region)
        self._by_province: dict[str, tuple[Region, ...]] = {
            name: tuple(rs) for name, rs in by_province.items()
        }
        # The table never changes and orders repeat districts: remember each answer.
        self._resolved: dict[tuple[str, str, str], Resolution] = {}
        # Former names as a table of their own, resolved with the same rules when the current
        # names fail; each entry's adcode is made unique by its position and mapped back.
        self._now: dict[str, Region] = {}
        ghosts: list[Region] = []
        for n, (province, city, district, adcode) in enumerate(former_names):
            now = by_code.get(adcode)
            if now is None:
                continue  # a smaller table (tests) without that unit
            ghost = f"{adcode}#{n}"
            self._now[ghost] = now
            ghosts.append(Region(ghost, province, city, district, now.province_adcode,
                                 now.city_adcode, now.longitude, now.latitude))
        self._former: RegionTable | None = RegionTable(ghosts, ()) if ghosts else None

    @classmethod
    def load(cls, path: Path | None = None) -> RegionTable:
        source = default_path() if path is None else path
        regions: list[Region] = []
        with source.open(encoding="utf-8", newline="") as fh:
            for line, row in enumerate(csv.DictReader(fh), start=2):
                try:
                    regions.append(
                        Region(
                            adcode=row["adcode"],
                            province=row["province"],
                            city=row["city"],
                            district=row["district"],
                            province_adcode=row["province_adcode"],
                            city_adcode=row["city_adcode"],
                            longitude=float(row["longitude"]),
                            latitude=float(row["latitude"]),
                        )
                    )
                except (KeyError, TypeError, ValueError) as exc:
                    raise ValueError(f"{source}:{line}: bad region row ({exc})") from exc
        return cls(regions)

    @classmethod
    def default(cls) -> RegionTable:
        """The shipped table, loaded once per process."""
        return _default_table()

    def __len__(self) -> int:
        return len(self._regions)

    def __iter__(self) -> Iterator[Region]:
        return iter(self._regions)

    def by_adcode(self, code: str) -> Region | None:
        code = _clean(code)
        # Accept the 12-digit form the statistics bureau also uses.
        if len(code) == 12 and code.endswith("000000"):
            code = code[:6]
        return self._by_code.get(code)

    def provinces(self) -> list[str]:
        return list(self._by_province)

    def cities(self, province: str) -> list[str]:
        regions = self._by_province.get(_clean(province), ())
        return list(dict.fromkeys(r.city for r in regions))

    def districts(self, province: str, city: str) -> list[Region]:
        city = _clean(city)
        return [r for r in self._by_province.get(_clean(province), ()) if r.city == city]

    def resolve(self, province: str, city: str, district: str) -> Resolution:
        """Resolve address parts to one region; exact names first, then short forms."""
        key = (province, city, district)
        known = self._resolved.get(key)
        if known is None:
            known = self._resolve(province, city, district)
            if known.status is ResolveStatus.INVALID and self._former is not None:
                former = self._former._resolve(province, city, district)
                if former.region is not None and former.ok:
                    was = former.region
                    now = self._now[was.adcode]
                    note = (f"{was.province}{was.city}{was.district} is now "
                            f"{now.province}{now.city}{now.district}")
                    known = _ok(now, [part for part in (former.reason, note) if part])
            if len(self._resolved) < _MEMO_LIMIT:
                self._resolved[key] = known
        return known

    def _resolve(self, province: str, city: str, district: str) -> Resolution:
        province, city, district = _clean(province), _clean(city), _clean(district)
        notes: list[str] = []

        if not province:
            return _invalid("province is empty", "address.province_empty")
        provinces = _match(province, list(self._by_province))
        if not provinces:
            return _invalid(f"unknown province {province!r}", "address.unknown_province",
                            province=province)
        _note_short(notes, "province", province, provinces)
        pool = [r for p in provinces for r in self._by_province[p]]
        scope = "/".join(provinces)

        if len(pool) == 1 and pool[0].city == pool[0].province == pool[0].district:
            # 台湾省, 香港特别行政区, 澳门特别行政区 are one row each: the table has no cities
            # there, so whatever city and district the address names are localities of it.
            locality = "".join(p for p in (city, district) if p and p != pool[0].province)
            if locality:
                notes.append(f"{locality!r} taken as a locality of {pool[0].province}")
            return _ok(pool[0], notes)

        city_given = bool(city) and city not in PLACEHOLDER_CITIES
        if city_given:
            cities = _match(city, list(dict.fromkeys(r.city for r in pool)))
            if not cities:
                return _invalid(f"city {city!r} is not in {scope}", "address.city_not_in",
                                city=city, scope=scope)
            _note_short(notes, "city", city, cities)
            pool = [r for r in pool if r.city in cities]
            scope = "/".join(cities)
        elif city:
            notes.append(f"city {city!r} is a placeholder, looked up by district")

        if not district:
            if len(pool) == 1:
                return _ok(pool[0], notes)
            part = "district is empty" if city_given else "city and district are empty"
            return _invalid(f"{part}; {scope} has {len(pool)} districts",
                            "address.district_empty" if city_given
                            else "address.city_district_empty", scope=scope, count=len(pool))

        districts = _match(district, list(dict.fromkeys(r.district for r in pool)))
        if not districts:
            if city_given and len(pool) == 1 and pool[0].district == pool[0].city:
                # Cities without districts (东莞市, 仙桃市, ...) are addressed down to the
                # town (长安镇), which this table does not list; accept it unless the name
                # is a district elsewhere in the province, which means a mixed-up address.
                elsewhere = _match(
                    district, [r.district for p in provinces for r in self._by_province[p]]
                )
                if not elsewhere:
                    notes.append(f"{district!r} taken as a locality of {pool[0].city}")
                    return _ok(pool[0], notes)
            return _invalid(f"district {district!r} is not in {scope}", "address.district_not_in",
                            district=district, scope=scope)
        _note_short(notes, "district", district, districts)
        matches = tuple(r for r in pool if r.district in districts)
        if len(matches) == 1:
            if not city_given:
                notes.append(f"city taken as {matches[0].city}")
            return _ok(matches[0], notes)
        where = ", ".join(f"{r.city}{r.district}" for r in matches)
        return Resolution(
            ResolveStatus.AMBIGUOUS,
            candidates=matches,
            reason=f"district {district!r} matches {len(matches)} regions in {scope}: {where}",
        )


@functools.cache
def _default_table() -> RegionTable:
    return RegionTable.load()


def _match(query: str, names: Sequence[str]) -> list[str]:
    if query in names:
        return [query]
    key = short_name(query)
    hits = [name for name in names if short_name(name) == key]
    if not hits and query.endswith("州") and len(query) - 1 >= _MIN_STEM:
        # 恩施州, 湘西州: the everyday form of an autonomous prefecture's name.
        hits = [n for n in names if n.endswith("自治州") and short_name(n) == query[:-1]]
    return hits


def _note_short(notes: list[str], part: str, query: str, matched: Sequence[str]) -> None:
    if len(matched) == 1 and matched[0] != query:
        notes.append(f"{part} {query!r} read as {matched[0]}")


def _ok(region: Region, notes: Sequence[str]) -> Resolution:
    return Resolution(ResolveStatus.OK, region=region, reason="; ".join(notes))


def _invalid(reason: str, code: str = "", **params: object) -> Resolution:
    return Resolution(ResolveStatus.INVALID, reason=reason, code=code, params=params)


def resolve(
    province: str, city: str, district: str, *, table: RegionTable | None = None
) -> Resolution:
    """Resolve against ``table``, or the shipped table when none is given."""
    chosen = RegionTable.default() if table is None else table
    return chosen.resolve(province, city, district)


def distance_km(a: Region, b: Region) -> float:
    """Great-circle (haversine) distance between two regions' reference points."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat = lat2 - lat1
    dlon = math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
