"""Merge (合单) groups and presale/spot/bulky splits, and the figures of the orders they make
(app.domain.merge_split)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone

import pytest

from app.domain.merge_split import (
    CHANNEL_NO_KEPT,
    REMARK_MAX,
    MergeCandidate,
    MergedPayment,
    OrderFigures,
    OrderSums,
    SplitLine,
    merge_groups,
    merged_order,
    merged_payments,
    normalize_address,
    normalize_name,
    normalize_phone,
    split_by_kind,
    split_part,
)

CST = timezone(timedelta(hours=8))
T0 = datetime(2026, 11, 11, 0, 5, tzinfo=CST)
ADDRESS = "浙江省杭州市西湖区文三路 90 号 3 幢 501"


def order(order_id: int, minutes: float = 0.0, **changes: object) -> MergeCandidate:
    base = MergeCandidate(
        order_id=order_id,
        shop_id=7,
        buyer="tb_小王",
        receiver_name="王小明",
        receiver_phone="13800138000",
        full_address=ADDRESS,
        paid_at=T0 + timedelta(minutes=minutes),
        is_presale=False,
        refund_in_progress=False,
        in_wave=False,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- merge: basics


def test_same_buyer_and_address_within_the_buffer_merge() -> None:
    assert merge_groups([order(1), order(2, 10)]) == [[1, 2]]


def test_group_is_sorted_by_paid_at_then_id() -> None:
    candidates = [order(5, 10), order(9, 0), order(3, 10), order(4, 20)]
    assert merge_groups(candidates) == [[9, 3, 5, 4]]


def test_accepts_any_iterable() -> None:
    assert merge_groups(order(i, i) for i in (1, 2)) == [[1, 2]]


def test_a_lone_order_is_no_group() -> None:
    assert merge_groups([order(1)]) == []
    assert merge_groups([]) == []


def test_buffer_boundary_is_inclusive() -> None:
    assert merge_groups([order(1), order(2, 30)]) == [[1, 2]]
    assert merge_groups([order(1), order(2, 30 + 1 / 60)]) == []
    assert merge_groups([order(1), order(2, 0.5)], buffer=timedelta(seconds=30)) == [[1, 2]]
    assert merge_groups([order(1), order(2, 0.5)], buffer=timedelta(seconds=29)) == []


def test_groups_are_anchored_on_their_first_order() -> None:
    # 0, 20, 40, 55 min: 40 is more than 30 min after 0, so it starts the next group
    # instead of chaining everything together.
    candidates = [order(1, 0), order(2, 20), order(3, 40), order(4, 55)]
    assert merge_groups(candidates) == [[1, 2], [3, 4]]
    assert merge_groups(candidates, buffer=timedelta(hours=1)) == [[1, 2, 3, 4]]
    # The left-over single order after a group is not grouped.
    assert merge_groups([order(1, 0), order(2, 20), order(3, 40)]) == [[1, 2]]


def test_zero_buffer_merges_only_simultaneous_payments() -> None:
    candidates = [order(1), order(2), order(3, 1)]
    assert merge_groups(candidates, buffer=timedelta(0)) == [[1, 2]]


def test_groups_are_sorted_by_their_first_order() -> None:
    candidates = [
        order(10, 15, buyer="b"), order(11, 20, buyer="b"),
        order(20, 5, buyer="a"), order(21, 25, buyer="a"),
    ]
    assert merge_groups(candidates) == [[20, 21], [10, 11]]


@pytest.mark.parametrize("change", [
    {"shop_id": 8},
    {"buyer": "tb_小李"},
    {"receiver_name": "王小红"},
    {"receiver_phone": "13800138001"},
    {"full_address": ADDRESS.replace("501", "502")},
    {"full_address": ADDRESS.replace("西湖区", "拱墅区")},
])
def test_any_difference_in_shop_buyer_or_receiver_keeps_orders_apart(
    change: dict[str, object]
) -> None:
    assert merge_groups([order(1), order(2, 5, **change)]) == []
    # ... while a third identical order still merges with the first.
    assert merge_groups([order(1), order(2, 5, **change), order(3, 6)]) == [[1, 3]]


# --------------------------------------------------------------------------- merge: exclusions


def test_refund_in_progress_never_merges() -> None:
    assert merge_groups([order(1), order(2, 5, refund_in_progress=True)]) == []
    candidates = [order(1), order(2, 5, refund_in_progress=True), order(3, 10)]
    assert merge_groups(candidates) == [[1, 3]]


def test_order_already_in_a_wave_never_merges() -> None:
    assert merge_groups([order(1, in_wave=True), order(2, 5)]) == []
    candidates = [order(1, in_wave=True), order(2, 5), order(3, 10)]
    assert merge_groups(candidates) == [[2, 3]]


def test_presale_never_merges_with_spot() -> None:
    presale = order(2, 5, is_presale=True, presale_campaign="双11-羽绒服")
    assert merge_groups([order(1), presale]) == []
    assert merge_groups([order(1), presale, order(3, 10)]) == [[1, 3]]


def test_presale_merges_only_within_one_campaign() -> None:
    a1 = order(1, 0, is_presale=True, presale_campaign="双11-羽绒服")
    a2 = order(2, 5, is_presale=True, presale_campaign="双11-羽绒服")
    b3 = order(3, 6, is_presale=True, presale_campaign="双11-电热毯")
    assert merge_groups([a1, a2, b3]) == [[1, 2]]
    assert merge_groups([a1, b3]) == []


def test_presale_without_a_campaign_never_merges() -> None:
    candidates = [order(1, is_presale=True), order(2, 5, is_presale=True)]
    assert merge_groups(candidates) == []
    blank = [order(1, is_presale=True, presale_campaign=""),
             order(2, 5, is_presale=True, presale_campaign="")]
    assert merge_groups(blank) == []


def test_orders_missing_phone_or_address_stay_alone() -> None:
    assert merge_groups([order(1, receiver_phone=""), order(2, receiver_phone="")]) == []
    assert merge_groups([order(1, receiver_phone="-"), order(2, receiver_phone="-")]) == []
    assert merge_groups([order(1, full_address=" "), order(2, full_address="")]) == []
    assert merge_groups([order(1, receiver_name=""), order(2, receiver_name="")]) == []
    masked = "***********"
    assert merge_groups([order(1, receiver_phone=masked), order(2, receiver_phone=masked)]) == []


# --------------------------------------------------------------------------- merge: normalising


@pytest.mark.parametrize("phone", [
    "138 0013 8000",
    "138-0013-8000",
    "+86 138 0013 8000",
    "0086-13800138000",
    "8613800138000",
    "１３８００１３８０００",
    "(+86)138.0013.8000",
])
def test_phone_written_differently_still_merges(phone: str) -> None:
    assert normalize_phone(phone) == "13800138000"
    assert merge_groups([order(1), order(2, 5, receiver_phone=phone)]) == [[1, 2]]


def test_phone_normalisation_keeps_what_matters() -> None:
    assert normalize_phone("0571-8888 6666") == "057188886666"
    assert normalize_phone("０５７１－８８８８６６６６") == "057188886666"
    # Masked numbers never equal a real one, and 86 is not stripped from landlines.
    assert normalize_phone("138****8000") == "138****8000"
    assert merge_groups([order(1), order(2, 5, receiver_phone="138****8000")]) == []
    assert normalize_phone("8657188886666") == "8657188886666"


@pytest.mark.parametrize("address", [
    "浙江省杭州市西湖区文三路90号3幢501",
    "浙江省 杭州市 西湖区 文三路 90 号 3 幢 501",
    "浙江省杭州市西湖区文三路９０号３幢５０１",
    "浙江省\u3000杭州市\u3000西湖区\u3000文三路90号3幢501",
    "  浙江省杭州市西湖区文三路90号3幢501\n",
])
def test_address_spacing_and_full_width_digits_do_not_matter(address: str) -> None:
    assert normalize_address(address) == normalize_address(ADDRESS)
    assert merge_groups([order(1), order(2, 5, full_address=address)]) == [[1, 2]]


def test_address_normalisation_folds_latin_letters() -> None:
    assert normalize_address("Ａ座 12 室") == normalize_address("a座12室")
    assert normalize_address("A座12室") != normalize_address("B座12室")


def test_receiver_name_ignores_spacing_only() -> None:
    assert normalize_name(" 王 小明 ") == "王小明"
    assert merge_groups([order(1), order(2, 5, receiver_name="王 小明")]) == [[1, 2]]
    assert normalize_name("王小明") != normalize_name("汪小明")


def test_buyer_ignores_surrounding_spaces() -> None:
    assert merge_groups([order(1), order(2, 5, buyer=" tb_小王 ")]) == [[1, 2]]


# --------------------------------------------------------------------------- merge: bad input


def test_merge_refuses_bad_input() -> None:
    with pytest.raises(ValueError, match="buffer"):
        merge_groups([order(1), order(2)], buffer=timedelta(minutes=-1))
    with pytest.raises(ValueError, match="order 1 appears twice"):
        merge_groups([order(1), order(1, 5)])
    naive = order(2, paid_at=datetime(2026, 11, 11, 0, 10))
    with pytest.raises(ValueError, match="naive"):
        merge_groups([order(1), naive])
    with pytest.raises(ValueError, match="spot order"):
        order(1, presale_campaign="双11-羽绒服")


def test_naive_times_alone_are_fine_and_zones_are_compared_by_instant() -> None:
    naive = [order(1, paid_at=datetime(2026, 11, 11, 0, 0)),
             order(2, paid_at=datetime(2026, 11, 11, 0, 20))]
    assert merge_groups(naive) == [[1, 2]]
    # 00:05 +08:00 is 16:05 UTC the day before.
    utc = order(2, paid_at=datetime(2026, 11, 10, 16, 20, tzinfo=UTC))
    assert merge_groups([order(1), utc]) == [[1, 2]]


# --------------------------------------------------------------------------- split


def line(
    no: int, *, presale: bool = False, bulky: bool = False, sku: int | None = 100
) -> SplitLine:
    return SplitLine(line_no=no, sku_id=sku, qty=1, is_presale=presale, bulky=bulky)


def test_plain_spot_order_is_one_part() -> None:
    lines = [line(1), line(2)]
    assert split_by_kind(lines) == [("spot", (lines[0], lines[1]))]


def test_presale_and_spot_lines_split() -> None:
    lines = [line(1, presale=True), line(2), line(3, presale=True)]
    assert split_by_kind(lines) == [
        ("spot", (lines[1],)),
        ("presale", (lines[0], lines[2])),
    ]


def test_bulky_spot_lines_split_from_parcels() -> None:
    lines = [line(1, bulky=True), line(2)]
    assert split_by_kind(lines) == [("spot", (lines[1],)), ("bulky", (lines[0],))]


def test_all_three_parts_come_in_a_fixed_order() -> None:
    lines = [line(1, bulky=True), line(2, presale=True), line(3), line(4, bulky=True)]
    parts = split_by_kind(lines)
    assert [key for key, _ in parts] == ["spot", "presale", "bulky"]
    assert parts == [
        ("spot", (lines[2],)),
        ("presale", (lines[1],)),
        ("bulky", (lines[0], lines[3])),
    ]
    assert split_by_kind(lines[::-1]) == [
        ("spot", (lines[2],)),
        ("presale", (lines[1],)),
        ("bulky", (lines[3], lines[0])),
    ]


def test_single_kind_orders_are_not_split() -> None:
    bulky = [line(1, bulky=True), line(2, bulky=True)]
    assert split_by_kind(bulky) == [("bulky", tuple(bulky))]
    presale = [line(1, presale=True)]
    assert split_by_kind(presale) == [("presale", tuple(presale))]


def test_a_bulky_presale_line_stays_with_the_presale_part() -> None:
    lines = [line(1, presale=True, bulky=True), line(2, presale=True), line(3, bulky=True)]
    assert split_by_kind(lines) == [("presale", (lines[0], lines[1])), ("bulky", (lines[2],))]


def test_lines_without_a_sku_are_split_by_their_flags() -> None:
    lines = [line(1, sku=None), line(2, presale=True, sku=None)]
    assert split_by_kind(lines) == [("spot", (lines[0],)), ("presale", (lines[1],))]


def test_split_refuses_bad_input() -> None:
    with pytest.raises(ValueError, match="at least one line"):
        split_by_kind([])
    with pytest.raises(ValueError, match="line number 1 appears twice"):
        split_by_kind([line(1), line(1, bulky=True)])
    with pytest.raises(ValueError, match="quantity"):
        SplitLine(line_no=1, sku_id=100, qty=0, is_presale=False, bulky=False)


# --------------------------------------------------------------------------- merged order's sums


def sums(no: str, minutes: float = 0.0, **changes: object) -> OrderSums:
    base = OrderSums(channel_order_no=no, goods_fen=10_000, discount_fen=1_000,
                     amount_fen=9_000, line_count=1, unit_count=2,
                     paid_at=T0 + timedelta(minutes=minutes), promised_ship_by=None,
                     vip_level=0, remark="")
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_a_merged_order_adds_up_its_members() -> None:
    merged = merged_order([
        sums("T1", 0, goods_fen=10_000, discount_fen=1_000, amount_fen=9_000, line_count=2,
             unit_count=3),
        sums("T2", 10, goods_fen=2_550, discount_fen=0, amount_fen=2_550, line_count=1,
             unit_count=1),
        sums("T3", 5, goods_fen=1, discount_fen=1, amount_fen=0, line_count=4,
             unit_count=9),
    ])
    assert (merged.goods_fen, merged.discount_fen, merged.amount_fen) == (12_551, 1_001, 11_550)
    assert (merged.line_count, merged.unit_count) == (7, 13)


def test_a_merged_order_is_one_order_at_packline_several_at_the_channel() -> None:
    assert merged_order([sums("T1"), sums("T2")]).channel_order_no == "T1+M2"
    assert merged_order([sums("B"), sums("A"), sums("C")]).channel_order_no == "B+M3"
    long_no = "9" * 64
    merged = merged_order([sums(long_no)] * 12)
    assert merged.channel_order_no == "9" * CHANNEL_NO_KEPT + "+M12"
    assert len(merged.channel_order_no) <= 64


def test_a_merged_order_is_paid_with_the_last_and_promised_for_the_earliest() -> None:
    early, late = T0 + timedelta(hours=20), T0 + timedelta(hours=40)
    merged = merged_order([sums("T1", 0, promised_ship_by=late),
                           sums("T2", 25, promised_ship_by=None),
                           sums("T3", 10, promised_ship_by=early)])
    assert merged.paid_at == T0 + timedelta(minutes=25)
    assert merged.promised_ship_by == early
    assert merged_order([sums("T1"), sums("T2")]).promised_ship_by is None


def test_a_merged_order_takes_the_highest_vip_level_and_every_remark() -> None:
    merged = merged_order([sums("T1", vip_level=2, remark="送货前打电话"),
                           sums("T2", vip_level=7, remark=""),
                           sums("T3", vip_level=0, remark="不要发圆通")])
    assert merged.vip_level == 7
    assert merged.remark == "送货前打电话；不要发圆通"
    long = merged_order([sums("T1", remark="甲" * 800), sums("T2", remark="乙" * 800)])
    assert long.remark == ("甲" * 800 + "；" + "乙" * 800)[:REMARK_MAX]
    assert len(long.remark) == REMARK_MAX


def test_one_order_is_no_merge() -> None:
    with pytest.raises(ValueError, match="two orders or more"):
        merged_order([sums("T1")])


def test_merged_payments_are_paid_when_every_member_paid() -> None:
    merged = merged_order([sums("T1", 0), sums("T2", 5)])
    assert merged_payments([{"full": "paid"}, {"full": "paid"}], merged) == [
        MergedPayment("full", merged.amount_fen, True, merged.paid_at)]
    assert merged_payments([{"full": "paid"}, {"full": "pending"}], merged) == [
        MergedPayment("full", merged.amount_fen, False, None)]


def test_merged_presale_payments_wait_for_the_engine_to_price_them() -> None:
    merged = merged_order([sums("P1", 0), sums("P2", 5)])
    payments = merged_payments([{"deposit": "paid", "balance": "paid"},
                                {"deposit": "paid", "balance": "pending"}], merged)
    assert payments == [MergedPayment("deposit", 0, True, merged.paid_at),
                        MergedPayment("balance", 0, False, None)]


def test_merged_payments_take_every_kind_in_the_order_first_met() -> None:
    merged = merged_order([sums("T1"), sums("T2")])
    kinds = [p.kind for p in merged_payments([{"balance": "paid"},
                                              {"deposit": "paid", "balance": "paid"}], merged)]
    assert kinds == ["balance", "deposit"]


# --------------------------------------------------------------------------- split parts' sums

PARENT = OrderFigures(channel_order_no="JD-1001", goods_fen=10_000, discount_fen=1_000,
                      amount_fen=9_000, line_count=3, unit_count=5)


def test_a_part_is_worth_its_lines_and_shares_the_discount_by_that_worth() -> None:
    part = split_part(PARENT, 1, [(2_000, 2), (1_000, 1)])
    assert part == OrderFigures(channel_order_no="JD-1001-1", goods_fen=5_000,
                                discount_fen=500, amount_fen=4_500, line_count=2,
                                unit_count=3)
    other = split_part(PARENT, 2, [(2_500, 2)])
    assert (other.channel_order_no, other.goods_fen, other.amount_fen) == ("JD-1001-2", 5_000,
                                                                            4_500)


def test_each_part_is_rounded_to_the_fen_on_its_own() -> None:
    parent = dataclasses.replace(PARENT, goods_fen=300, discount_fen=0, amount_fen=100)
    parts = [split_part(parent, n, [(100, 1)]) for n in (1, 2, 3)]
    assert [p.amount_fen for p in parts] == [33, 33, 33]


def test_a_free_order_splits_without_dividing_by_zero() -> None:
    parent = dataclasses.replace(PARENT, goods_fen=0, discount_fen=0, amount_fen=0)
    part = split_part(parent, 1, [(0, 3)])
    assert (part.goods_fen, part.amount_fen, part.unit_count) == (0, 0, 3)


def test_a_part_keeps_the_channel_number_within_the_column() -> None:
    parent = dataclasses.replace(PARENT, channel_order_no="8" * 64)
    assert split_part(parent, 3, [(1, 1)]).channel_order_no == "8" * CHANNEL_NO_KEPT + "-3"


def test_a_part_needs_a_number_from_one_and_a_line() -> None:
    with pytest.raises(ValueError, match="from 1"):
        split_part(PARENT, 0, [(1, 1)])
    with pytest.raises(ValueError, match="at least one line"):
        split_part(PARENT, 1, [])
