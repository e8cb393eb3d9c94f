"""Reference data at the door: phones, the region table and waybill numbers, for any input.

Whatever a platform, a spreadsheet or a scanner sends, the phone validator, the region lookup
and the waybill check answer without raising; what they accept is in a stable normal form.
"""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from app.domain import waybills
from app.domain.regions import Region, RegionTable, ResolveStatus
from app.domain.validation import normalize_phone, phone_kind

TABLE = RegionTable.default()
REGIONS = list(TABLE)
NAMES = sorted({n for r in REGIONS for n in (r.province, r.city, r.district)})

# Text that looks like what platforms send: digits, separators, country codes, extension marks,
# full-width forms, and now and then anything at all.
PHONE_PIECES = st.sampled_from([
    "+", "00", "86", "852", "853", "886", "0", "1", "13", "138", "0571", "010", "-", " ", "(",
    ")", "转", "#", ",", "ext", "[", "]", "１", "－", "\u3000", "400", "9", "2", "6",
])
PHONEISH = st.one_of(
    st.lists(st.one_of(PHONE_PIECES, st.text(string.digits, min_size=1, max_size=8)),
             max_size=8).map("".join),
    st.text(max_size=30),
)


@given(PHONEISH)
def test_phone_validation_never_raises_and_accepted_numbers_are_fixed_points(raw: str) -> None:
    normal = normalize_phone(raw)
    kind = phone_kind(raw)
    assert (normal is None) == (kind is None)
    if normal is not None:
        assert normalize_phone(normal) == normal
        assert phone_kind(normal) == kind
        assert normal.isascii() and normal.isprintable()


# Place names out of the table mixed with arbitrary text, so lookups hit every path.
PLACE = st.one_of(st.sampled_from(NAMES), st.sampled_from(NAMES).map(lambda n: n[:-1]),
                  st.text(max_size=12), st.just(""))


@given(PLACE, PLACE, PLACE)
def test_region_lookup_never_raises(province: str, city: str, district: str) -> None:
    res = TABLE.resolve(province, city, district)
    if res.status is ResolveStatus.OK:
        assert res.region is not None and TABLE.by_adcode(res.region.adcode) == res.region
    elif res.status is ResolveStatus.AMBIGUOUS:
        assert len(res.candidates) >= 2
    else:
        assert res.region is None


@given(st.sampled_from(REGIONS))
def test_every_region_resolves_to_itself_by_name(region: Region) -> None:
    res = TABLE.resolve(region.province, region.city, region.district)
    assert res.region == region, res.reason


WAYBILLISH = st.one_of(
    st.builds(lambda prefix, digits: prefix + digits,
              st.sampled_from(["SF", "JD", "JDVA", "JDAZ", "YT", "JT", "DPK", "EA", "sf", "ＳＦ",
                               "", "7", "75", "77", "4"]),
              st.text(string.digits + " -", max_size=18)),
    st.text(max_size=24),
)


@given(st.sampled_from([*waybills.FORMATS, "", "sf", "UNKNOWN"]), WAYBILLISH)
def test_waybill_check_never_raises_and_accepts_printable_ascii(carrier: str, raw: str) -> None:
    accepted = waybills.matches(carrier, raw)
    normal = waybills.normalize_waybill(raw)
    if normal is not None:
        assert waybills.normalize_waybill(normal) == normal
        assert normal.isascii() and normal.isprintable() and normal.isalnum()
    if accepted:
        assert normal is not None and normal == normal.upper()
        assert carrier.strip().upper() in waybills.carriers_for(raw)
