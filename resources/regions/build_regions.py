"""Build resources/regions/regions.csv from cpca's adcodes.csv.

Usage: python resources/regions/build_regions.py PATH/TO/adcodes.csv [-o OUTPUT]

cpca lists every province (PP0000000000), prefecture (PPCC00000000) and county-level
unit (PPCCDD000000) with 12-digit codes. The output has one row per county-level unit,
written the way shipping addresses are written (province / city / district):

* Municipalities (北京/天津/上海/重庆) have placeholder prefectures "市辖区" and (重庆)
  "县"; their districts get the municipality itself as city, and city_adcode PP0100.
* "省直辖县级行政区划" / "自治区直辖县级行政区划" are not real cities; each county-level
  unit under them (仙桃市, 济源市, 石河子市, ...) becomes its own city with itself as
  the only district, which is how such addresses are written.
* Prefectures without any county-level unit (东莞市, 中山市, 儋州市, 嘉峪关市) get one
  row for the city itself, so addresses on them resolve.
* Provinces without any prefecture in the data (台湾省, 香港, 澳门) get one row for the
  province itself, for the same reason.
* "市辖区" rows under ordinary prefectures are placeholders, not districts, and are dropped.

Coordinates fall back from district to city to province when missing.
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
class Entry:
    code: str  # six digits
    name: str
    longitude: str
    latitude: str


def read_entries(path: Path) -> dict[str, Entry]:
    entries: dict[str, Entry] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            full = row["adcode"].strip()
            if len(full) != 12 or not full.isdigit() or full[6:] != "000000":
                # Township-level codes would need a different table; refuse quietly
                # changing meaning if a future cpca release adds them.
                raise ValueError(f"unexpected adcode {full!r} in {path}")
            code = full[:6]
            if code in entries:
                raise ValueError(f"duplicate adcode {code} in {path}")
            entries[code] = Entry(
                code,
                row["name"].strip(),
                row["longitude"].strip(),
                row["latitude"].strip(),
            )
    return entries


def _coords(*candidates: Entry | None) -> tuple[str, str]:
    for entry in candidates:
        if entry is not None and entry.longitude and entry.latitude:
            return entry.longitude, entry.latitude
    names = [c.name for c in candidates if c is not None]
    raise ValueError(f"no coordinates for {names}")


def build_rows(entries: dict[str, Entry]) -> list[dict[str, str]]:
    provinces = {c: e for c, e in entries.items() if c.endswith("0000")}
    cities = {c: e for c, e in entries.items() if c.endswith("00") and c not in provinces}
    counties = {c: e for c, e in entries.items() if not c.endswith("00")}

    rows: dict[str, dict[str, str]] = {}

    def add(
        code: str,
        prov: Entry,
        city_code: str,
        city: str,
        district: str,
        *coord_sources: Entry | None,
    ) -> None:
        if code in rows:
            raise ValueError(f"adcode {code} produced twice")
        lon, lat = _coords(*coord_sources)
        rows[code] = {
            "adcode": code,
            "province": prov.name,
            "city": city,
            "district": district,
            "province_adcode": prov.code,
            "city_adcode": city_code,
            "longitude": lon,
            "latitude": lat,
        }

    real_children: dict[str, list[Entry]] = {c: [] for c in cities}
    for code, county in counties.items():
        city_code = code[:4] + "00"
        if city_code not in cities:
            raise ValueError(f"county {code} {county.name} has no prefecture")
        if county.name != PLACEHOLDER_DISTRICT:
            real_children[city_code].append(county)

    for city_code, city in cities.items():
        prov = provinces.get(city_code[:2] + "0000")
        if prov is None:
            raise ValueError(f"prefecture {city_code} {city.name} has no province")
        children = real_children[city_code]
        if prov.code[:2] in MUNICIPALITIES:
            # One city per municipality, whatever placeholder prefecture cpca uses.
            muni_city = prov.code[:2] + "0100"
            for c in children:
                add(c.code, prov, muni_city, prov.name, c.name, c, city, prov)
        elif city.name in PLACEHOLDER_CITIES:
            for c in children:
                add(c.code, prov, c.code, c.name, c.name, c, prov)
        elif not children:
            add(city.code, prov, city.code, city.name, city.name, city, prov)
        else:
            for c in children:
                add(c.code, prov, city.code, city.name, c.name, c, city, prov)

    with_cities = {c[:2] for c in cities}
    for prov_code, prov in provinces.items():
        if prov_code[:2] not in with_cities:
            add(prov_code, prov, prov_code, prov.name, prov.name, prov)

    return [rows[c] for c in sorted(rows)]


def write_rows(rows: list[dict[str, str]], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("adcodes", type=Path, help="cpca's resources/adcodes.csv")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path(__file__).resolve().with_name("regions.csv"),
        help="where to write regions.csv (default: next to this script)",
    )
    args = parser.parse_args(argv)
    rows = build_rows(read_entries(args.adcodes))
    write_rows(rows, args.output)
    print(f"wrote {len(rows)} regions to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
