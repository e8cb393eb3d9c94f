"""Carriers' waybill (tracking) number formats: which numbers a carrier issues.

One table, `FORMATS`, says for each carrier code Packline uses which numbers are read as its
(`pattern`, also the older forms still on parcels) and what a number it issues today looks like
(`issued`: what a new tracking pool must hold); docs/reference-data.md cites where each format was checked. The demo's carriers take
their `tracking_pattern` from here, and the scan parser's built-in lettered waybill patterns
(drivers/barcode.py, which may not import app) are checked against it by the tests.

* SF 顺丰速运: `SF` + 13 digits today (SF1234567890123); new pools are of this form. Numbers are
  read with 12 digits after `SF` too (SF123456789012): SF's numbers had 12 digits before, and
  Packline's own SF pools and labels had `SF` + 12 until the 13-digit form (parcels in transit,
  returns and reprints still carry them).
* JD 京东物流: `JD` + two letters or digits naming the business line (JDVA, JDVB, JDVC, JDVE,
  JDAZ for Douyin, JDX, JDK…) + 11 digits: 15 characters (JDVA11408814483).
* YTO 圆通速递: `YT` + 13 digits.
* ZTO 中通快递: 12 to 15 digits starting 73 to 78 (75…, 78…: 14 digits today).
* STO 申通快递: 15 digits starting 77, 88 or 99.
* YD 韵达快递: 15 digits starting 3 or 4 (462598779470531), or 13 starting 3, 4 or 5.
* EMS 中国邮政 EMS: 13 digits starting 10, 11, 50, 51, 95, 97, 98 or 99, or the UPU S10 form
  `E` + letter + 8 digits + check digit + `CN` (EA123456785CN), whose check digit is verified.
* JT 极兔速递: `JT` + 13 digits.
* DBL 德邦快递: `DPK` + 12 digits.

`normalize_waybill` reads what people and scanners type (full-width characters, lower case,
spaces and dashes between groups) as the printable-ASCII number; `waybill_problem` says why a
number does not fit its carrier. Neither ever raises.

`route_code` is the sort area a waybill prints for the carrier's sorting centres, the same
whichever printed the label: `packline label render` or a packing bench.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from app.domain.china_time import in_china
from app.domain.regions import PLACEHOLDER_CITIES, short_name

__all__ = [
    "FORMATS",
    "WaybillFormat",
    "carriers_for",
    "lettered_patterns",
    "matches",
    "normalize_waybill",
    "issued",
    "route_code",
    "s10_check_digit",
]

_MAX_CHARS = 40  # longer than any carrier's number; longer input is not a waybill


@dataclass(frozen=True, slots=True)
class WaybillFormat:
    carrier: str
    name: str
    pattern: str  # one anchored regular expression, as stored in carriers.tracking_pattern
    example: str  # a number of today's form
    s10: bool = False  # numbers of the UPU S10 form carry a check digit to verify
    # Today's form, where the carrier's older numbers (read by `pattern`) are no longer issued:
    # what a new tracking pool must hold. None: every form `pattern` reads is still issued.
    new_pattern: str | None = None

    @property
    def issued_pattern(self) -> str:
        return self.new_pattern or self.pattern


_S10 = r"E[A-Z][0-9]{9}CN"

FORMATS: dict[str, WaybillFormat] = {
    f.carrier: f
    for f in (
        WaybillFormat("SF", "顺丰速运", r"^SF[0-9]{12,13}$", "SF1234567890123",
                      new_pattern=r"^SF[0-9]{13}$"),
        WaybillFormat("JD", "京东物流", r"^JD[0-9A-Z]{2}[0-9]{11}$", "JDVA11408814483"),
        WaybillFormat("YTO", "圆通速递", r"^YT[0-9]{13}$", "YT7512345678901"),
        WaybillFormat("ZTO", "中通快递", r"^7[3-8][0-9]{10,13}$", "75123456789012"),
        WaybillFormat("STO", "申通快递", r"^(77|88|99)[0-9]{13}$", "773165231258960"),
        WaybillFormat("YD", "韵达快递", r"^([34][0-9]{14}|[345][0-9]{12})$", "462598779470531"),
        WaybillFormat("EMS", "中国邮政EMS", rf"^((10|11|50|51|95|97|98|99)[0-9]{{11}}|{_S10})$",
                      "1180000000000", s10=True),
        WaybillFormat("JT", "极兔速递", r"^JT[0-9]{13}$", "JT0006968326954"),
        WaybillFormat("DBL", "德邦快递", r"^DPK[0-9]{12}$", "DPK364112047425"),
    )
}
_COMPILED: dict[str, re.Pattern[str]] = {code: re.compile(f.pattern) for code, f in FORMATS.items()}
_ISSUED: dict[str, re.Pattern[str]] = {
    code: re.compile(f.issued_pattern) for code, f in FORMATS.items()}
_S10_FULL = re.compile(_S10)
_GROUPING = re.compile(r"[\s\-]+")
_CODE = re.compile(r"[0-9A-Z]+")
_S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def normalize_waybill(raw: str) -> str | None:
    """The number as printable ASCII upper case, or None when it cannot be a waybill number.

    Full-width characters read as ASCII (NFKC), lower case as upper case (scanners with Caps
    Lock), and spaces or dashes between groups are dropped (SF 1234 5678 9012 3).
    """
    if not isinstance(raw, str) or len(raw) > 4 * _MAX_CHARS:
        return None
    text = _GROUPING.sub("", unicodedata.normalize("NFKC", raw)).upper()
    if not text or len(text) > _MAX_CHARS or not text.isascii() or not _CODE.fullmatch(text):
        return None
    return text


def s10_check_digit(serial: str) -> int:
    """The UPU S10 check digit of eight digits (weights 8 6 4 2 3 5 9 7, modulus 11)."""
    remainder = 11 - sum(int(d) * w for d, w in zip(serial, _S10_WEIGHTS, strict=True)) % 11
    return {10: 0, 11: 5}.get(remainder, remainder)


def matches(carrier: str, raw: str) -> bool:
    """Whether `raw` reads as one of the carrier's numbers, of today's form or an older one
    still on parcels (False for unknown carriers)."""
    return _fits(carrier, raw, _COMPILED)


def issued(carrier: str, raw: str) -> bool:
    """Whether `raw` is of the form the carrier issues today: what a new tracking pool holds."""
    return _fits(carrier, raw, _ISSUED)


def _fits(carrier: str, raw: str, table: dict[str, re.Pattern[str]]) -> bool:
    fmt = FORMATS.get(carrier.strip().upper()) if isinstance(carrier, str) else None
    number = normalize_waybill(raw)
    if fmt is None or number is None or not table[fmt.carrier].match(number):
        return False
    if fmt.s10 and _S10_FULL.fullmatch(number):
        return s10_check_digit(number[2:10]) == int(number[10])
    return True


def carriers_for(raw: str) -> tuple[str, ...]:
    """Every carrier whose format `raw` fits, in the table's order (several for some digits)."""
    return tuple(code for code in FORMATS if matches(code, raw))


def lettered_patterns() -> tuple[str, ...]:
    """The patterns of numbers that start with letters: safe for a scan parser to try before
    product codes, unlike all-digit ones that an EAN could also be."""
    return tuple(f.pattern for f in FORMATS.values() if f.example[:1].isalpha())


def route_code(province: str, city: str, district: str) -> str:
    """The sort area a waybill prints (大头笔): the city without 市 and the district, as the
    carriers' sorting centres read them ("杭州 西湖区", "北京 朝阳区").

    Where the city names no real prefecture (the official list's 市辖区 and 县 of a
    municipality, 省直辖县级行政区划 for a county-level city straight under its province) or
    is missing, the province's short name stands in its place: 北京市 / 市辖区 / 朝阳区 reads
    as 北京市 / 北京市 / 朝阳区 does, and 湖北省 / 省直辖县级行政区划 / 仙桃市 as "湖北 仙桃市".
    A missing part is left out; whitespace inside a name is dropped.
    """
    province, city, district = ("".join(part.split()) for part in (province, city, district))
    area = (city.removesuffix("市") if city and city not in PLACEHOLDER_CITIES
            else short_name(province))
    return " ".join(part for part in (area, district) if part)


def promised_text(promised_ship_by: datetime | None) -> str | None:
    """The promised ship time as a waybill prints it: month-day hour:minute, China time."""
    return in_china(promised_ship_by).strftime("%m-%d %H:%M") if promised_ship_by else None
