"""The address splitter (app.domain.address) for any text: it never raises, an address made of
the region table's names (full or short, with any spaces or none) splits back into those
names, and a split address joined again splits into the same parts."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from app.domain.address import split_address
from app.domain.regions import RegionTable, short_name

REGIONS = [r for r in RegionTable.default() if r.city != r.district or r.city != r.province]
SEPARATORS = st.sampled_from(["", " ", "\u3000", "  ", "\t"])
# Streets start with what streets start with: never a place name's own characters.
STREETS = st.lists(st.sampled_from(["文三路", "90号", "3幢", "201室", "人民大道", "8号楼", "东门",
                                    "A座", "1单元", " "]), min_size=1, max_size=5).map("".join)


@given(st.text(max_size=60))
def test_splitting_never_raises(text: str) -> None:
    split = split_address(text)
    if split is not None:
        assert split.province
        assert split_address(split.joined()) == split


@given(st.sampled_from(REGIONS), SEPARATORS, SEPARATORS, SEPARATORS, STREETS,
       st.booleans())
def test_an_address_of_official_names_splits_back(region, s1, s2, s3, street, short) -> None:  # type: ignore[no-untyped-def]
    province = short_name(region.province) if short and s1 else region.province
    city = "" if region.city == region.province else region.city
    district = "" if region.district == region.city else region.district
    text = f"{province}{s1}{city}{s2}{district}{s3}{street}"
    split = split_address(text)
    assert split is not None
    assert split.province == region.province
    assert split.city == region.city
    if district:
        assert split.district == region.district
    assert split.street == street.strip()
    assert split_address(split.joined()) == split
    assert split_address(split.joined("")) == split or not split.street


@given(st.sampled_from(REGIONS), STREETS)
def test_joined_without_spaces_reads_back(region, street) -> None:  # type: ignore[no-untyped-def]
    assume(region.district != region.city)
    text = f"{region.province}{region.city}{region.district}{street}"
    split = split_address(text)
    assert split is not None
    assert (split.province, split.city, split.district) == (
        region.province, region.city, region.district)
    assert split.joined("") == text.replace(" ", "").rstrip() or " " in street
