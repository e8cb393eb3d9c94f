"""Splitting a one-line shipping address into province, city, district and street.

Platform exports (Taobao's 收货地址) give the receiver's address as one line:
"浙江省 杭州市 西湖区 文三路90号", "浙江省杭州市西湖区文三路90号", "北京 北京市 朝阳区 …",
"湖北省 仙桃市 …". `split_address` reads the official names off the front of that line against
the region table Packline ships (app/domain/regions.py), level by level:

1. The province, by its full name (浙江省, 广西壮族自治区, 北京市) or its short form (浙江, 广西,
   内蒙古, 北京). A short form counts only when a space follows it, or the name of one of its
   cities or districts, so a street that starts like a province is not taken for one.
2. The city: its full name, its short form (杭州, 恩施, 恩施州 for an autonomous prefecture),
   or one of the placeholders the official list uses (市辖区, 县, 省直辖县级行政区划, …). A
   municipality's city is the municipality (北京市 repeated or not). Left out, the district
   names it when the district is in one city of the province only.
3. The district: its full name (or a former name the region table still resolves, 江干区), its
   short form only when a space follows it (朝阳门内大街 is a street, not 朝阳区). A city
   without districts (东莞市, 仙桃市, 儋州市) is its own district. A district several cities
   share (鼓楼区) is resolved by the city.
4. The rest of the line, trimmed, is the street.

Spaces between the parts are optional; any Unicode space counts (U+3000 too). Names are given
back in their official full form. When no province is found the answer is None; when the city
or district cannot be told, they are empty and the street holds everything after the last part
found, so that nothing of the line is lost. Splitting never raises on any text.

Pure standard library over the region table.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from app.domain.regions import FORMER_NAMES, PLACEHOLDER_CITIES, Region, RegionTable, short_name

__all__ = ["SplitAddress", "Splitter", "split_address"]


@dataclass(frozen=True, slots=True)
class SplitAddress:
    province: str
    city: str
    district: str
    street: str

    def joined(self, sep: str = " ") -> str:
        """The address as one line again (empty parts left out)."""
        return sep.join(p for p in (self.province, self.city, self.district, self.street) if p)


# (text as written, official name, written in full): the names a level can start with.
_Name = tuple[str, str, bool]


def _index(names: Iterable[_Name]) -> dict[str, list[_Name]]:
    """Names by their first character, longest first (so 浦东新区 wins over 浦东)."""
    by_first: dict[str, list[_Name]] = {}
    for name in set(names):
        if name[0]:
            by_first.setdefault(name[0][0], []).append(name)
    for names_here in by_first.values():
        names_here.sort(key=lambda n: (-len(n[0]), not n[2], n[0], n[1]))
    return by_first


def _forms(official: str) -> list[_Name]:
    forms: list[_Name] = [(official, official, True)]
    short = short_name(official)
    if short != official:
        forms.append((short, official, False))
        if official.endswith("自治州"):
            forms.append((short + "州", official, False))  # 恩施州, 湘西州
    return forms


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _starts(by_first: dict[str, list[_Name]], text: str, pos: int) -> list[_Name]:
    """The names found at `pos`, longest first."""
    if pos >= len(text):
        return []
    return [n for n in by_first.get(text[pos], ()) if text.startswith(n[0], pos)]


def _ends_word(text: str, pos: int) -> bool:
    return pos >= len(text) or text[pos].isspace()


class _Province:
    """One province's cities and districts, indexed for reading an address."""

    def __init__(self, name: str, regions: list[Region],
                 former: Iterable[tuple[str, str, str]]) -> None:
        self.name = name
        self.regions = regions
        self.single = len(regions) == 1 and regions[0].city == regions[0].district == name
        self.cities = _index([f for c in {r.city for r in regions} for f in _forms(c)]
                             + [(p, p, True) for p in PLACEHOLDER_CITIES])
        self.placeholders = PLACEHOLDER_CITIES
        by_city: dict[str, list[str]] = {}
        for r in regions:
            by_city.setdefault(r.city, []).append(r.district)
        for city, district, _now in former:
            by_city.setdefault(city, []).append(district)
        self.by_city = by_city
        self.all_districts = _Index(
            [(f, city) for city, ds in by_city.items() for d in ds for f in _forms(d)])
        self.districts = {city: _Index([(f, city) for d in ds for f in _forms(d)])
                          for city, ds in by_city.items()}

    def next_level_at(self, text: str, pos: int) -> bool:
        """Whether a city or district name (as a short form may be followed by) starts here."""
        return bool(_starts(self.cities, text, pos)) or self.all_districts.full_at(text, pos)


class _Index:
    """District names of a city (or a whole province) with the city each belongs to."""

    def __init__(self, names: list[tuple[_Name, str]]) -> None:
        self.by_first = _index([(f"{n[0]}\x00{city}", n[1], n[2]) for n, city in names])

    def found(self, text: str, pos: int) -> list[tuple[str, str, str, bool]]:
        """(written, official, city, full) for every name at `pos`, longest first."""
        out = []
        for key, official, full in self.by_first.get(text[pos] if pos < len(text) else "", ()):
            written, city = key.split("\x00", 1)
            if text.startswith(written, pos):
                out.append((written, official, city, full))
        return out

    def full_at(self, text: str, pos: int) -> bool:
        return any(full for _w, _o, _c, full in self.found(text, pos))


class Splitter:
    """Splits addresses against one region table (`Splitter.default()`: the shipped one)."""

    def __init__(self, table: RegionTable) -> None:
        regions: dict[str, list[Region]] = {}
        for r in table:
            regions.setdefault(r.province, []).append(r)
        former: dict[str, list[tuple[str, str, str]]] = {}
        for province, city, district, adcode in FORMER_NAMES:
            if table.by_adcode(adcode) is not None and province in regions:
                former.setdefault(province, []).append((city, district, adcode))
        self.provinces = {name: _Province(name, rs, former.get(name, ()))
                          for name, rs in regions.items()}
        self.names = _index([f for p in self.provinces for f in _forms(p)])
        self._memo = functools.lru_cache(maxsize=1 << 16)(self._split)

    @classmethod
    def default(cls) -> Splitter:
        return _default_splitter()

    def split(self, text: str) -> SplitAddress | None:
        if not isinstance(text, str):
            return None
        return self._memo(text)

    def _split(self, text: str) -> SplitAddress | None:
        pos = _skip_space(text, 0)
        province: _Province | None = None
        for written, official, full in _starts(self.names, text, pos):
            end = pos + len(written)
            candidate = self.provinces[official]
            if full or _ends_word(text, end) or candidate.next_level_at(text, end):
                province, pos = candidate, _skip_space(text, end)
                break
        if province is None:
            return None
        name = province.name
        if province.single:  # 台湾省, 香港, 澳门: no cities in the table
            while True:  # "香港 香港特别行政区 …"
                again = [n for n in _starts(self.names, text, pos) if n[1] == name]
                if not again:
                    break
                pos = _skip_space(text, pos + len(again[0][0]))
            return SplitAddress(name, name, name, text[pos:].strip())

        city = ""
        for written, official, full in _starts(province.cities, text, pos):
            end = pos + len(written)
            if official in province.placeholders:
                pos = _skip_space(text, end)
                break
            if full or _ends_word(text, end) or province.all_districts.full_at(
                    text, _skip_space(text, end)):
                city, pos = official, _skip_space(text, end)
                break
        if not city:
            cities = {r.city for r in province.regions}
            if len(cities) == 1:  # a municipality written once: 北京市朝阳区
                city = next(iter(cities))
        index = province.districts[city] if city else province.all_districts
        for written, official, in_city, full in index.found(text, pos):
            end = pos + len(written)
            if not (full or _ends_word(text, end)):
                continue
            if not city:
                owners = {c for w, o, c, _f in index.found(text, pos)
                          if w == written and o == official}
                if len(owners) != 1:  # 鼓楼区 without its city: not told
                    break
            return SplitAddress(name, in_city, official, text[end:].strip())
        if city and province.by_city[city] == [city]:  # 东莞市, 仙桃市: the city is the district
            return SplitAddress(name, city, city, text[pos:].strip())
        return SplitAddress(name, city, "", text[pos:].strip())


@functools.cache
def _default_splitter() -> Splitter:
    return Splitter(RegionTable.default())


def split_address(text: str, *, splitter: Splitter | None = None) -> SplitAddress | None:
    """`text` split into province, city, district and street (see the module's rules), or None
    when it does not start with a province."""
    return (splitter or Splitter.default()).split(text)
