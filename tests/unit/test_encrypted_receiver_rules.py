"""Encrypted receivers (platform OAID / ciphertexts with masked name, phone and address):
what validation, review, merging and the order-file door make of them."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.intake import CSV_COLUMNS, parse_csv, parse_jsonl
from app.domain.merge_split import MergeCandidate, merge_groups
from app.domain.regions import RegionTable
from app.domain.review import Blacklist
from app.domain.validation import Problem, is_phone_mask, validate
from tests.helpers.facts import make_facts

CIPHER = {"name": "~AgAAAAYlNzxSECRETNAME7Q==~", "phone": "$AgAAAAYlN0SECRETPHONE8w==$",
          "address": "~AgAAAAYlNzSECRETADDRESSw==~"}
OAID = "1Hj9dLxQb7sECRETOAIDwwRmZ2"
MASKED = {"receiver_name": "张**", "receiver_phone": "138****8000", "address": "文三路****"}


@pytest.fixture(scope="module")
def table() -> RegionTable:
    return RegionTable.default()


def codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize("phone", [
    "138****8000", "*******8000", "1**********", "0571-****1234", "138****8000-1234",
    "138 **** 8000", "１３８＊＊＊＊８０００", "***********",
])
def test_phone_masks_are_read_as_masks(phone: str) -> None:
    assert is_phone_mask(phone)


@pytest.mark.parametrize("phone", [
    "13800138000",  # no mask: a number, judged as one
    "138**8",  # too short for a phone
    "138****8000123456789",  # too long
    "138xxxx8000", "张****8000", "138--**8000", "-138****8000", "138****8000-", "",
])
def test_what_is_not_a_phone_mask(phone: str) -> None:
    assert not is_phone_mask(phone)


def test_an_encrypted_receiver_is_valid_with_its_masks(table: RegionTable) -> None:
    problems, region = validate(make_facts(**MASKED, receiver_encrypted=True), table)
    assert problems == []
    assert region is not None and region.adcode == "330106"  # the plain region resolves


@pytest.mark.parametrize(("changes", "code"), [
    ({"receiver_name": "张**"}, "receiver.name_masked"),
    ({"address": "文三路****"}, "address.line_masked"),
    ({"address": "文三路478号****"}, "address.line_masked"),
    ({"receiver_phone": "138****8000"}, "receiver.phone_invalid"),
])
def test_a_plaintext_receiver_must_not_carry_masks(table: RegionTable,
                                                   changes: dict[str, str], code: str) -> None:
    problems, _ = validate(make_facts(**changes), table)
    assert codes(problems) == [code]


@pytest.mark.parametrize(("changes", "code"), [
    ({"receiver_phone": "138xx**8000"}, "receiver.phone_mask_invalid"),
    ({"receiver_phone": "1**8"}, "receiver.phone_mask_invalid"),
    ({"receiver_phone": "12345"}, "receiver.phone_invalid"),  # no mask: judged as a number
    ({"receiver_name": ""}, "receiver.name_empty"),
    ({"receiver_name": "123"}, "receiver.name_no_letters"),
    ({"address": ""}, "address.line_empty"),
    ({"address": "1号"}, "address.line_too_short"),  # plain text: the usual rule
    ({"province": "火星省"}, "address.unknown_province"),
])
def test_an_encrypted_receiver_is_still_checked(table: RegionTable, changes: dict[str, str],
                                                code: str) -> None:
    problems, _ = validate(make_facts(**{**MASKED, **changes}, receiver_encrypted=True), table)
    assert codes(problems)[:1] == [code]


def test_encrypted_receiver_may_show_plain_parts(table: RegionTable) -> None:
    # A platform that encrypts only the phone shows the name plain; a privacy number is plain.
    facts = make_facts(receiver_name="张三", receiver_phone="13800138000-1234",
                       receiver_encrypted=True)
    assert validate(facts, table)[0] == []
    assert validate(make_facts(receiver_name="**", receiver_encrypted=True), table)[0] == []


# --------------------------------------------------------------------------- review


def test_a_masked_phone_never_matches_the_phone_blacklist() -> None:
    blacklist = Blacklist(phones=frozenset({"13800138000", "138****8000"}))
    assert blacklist.matches(make_facts(receiver_phone="13800138000"))
    facts = make_facts(**MASKED, receiver_encrypted=True)
    assert blacklist.matches(facts) == []


def test_masked_address_entries_match_nothing() -> None:
    blacklist = Blacklist(addresses=frozenset({"****", "文三路****"}))
    assert blacklist.addresses == frozenset()
    assert blacklist.matches(make_facts(**MASKED, receiver_encrypted=True)) == []
    # What the platform does show is matched as shown: 文三路 is in the real address too.
    shown = Blacklist(addresses=frozenset({"文三路"}))
    assert shown.matches(make_facts(**MASKED, receiver_encrypted=True))


# --------------------------------------------------------------------------- merging

T0 = datetime(2026, 11, 11, tzinfo=UTC)


def candidate(order_id: int, minutes: int = 0, **changes: object) -> MergeCandidate:
    base: dict[str, object] = {
        "order_id": order_id, "shop_id": 1, "buyer": "tb_buyer", "receiver_name": "张三",
        "receiver_phone": "13800138000", "full_address": "浙江省杭州市西湖区文三路90号",
        "paid_at": T0 + timedelta(minutes=minutes), "is_presale": False,
        "refund_in_progress": False, "in_wave": False,
    }
    base.update(changes)
    return MergeCandidate(**base)  # type: ignore[arg-type]


def encrypted(order_id: int, minutes: int = 0, **changes: object) -> MergeCandidate:
    masked = {"receiver_name": "张**", "receiver_phone": "138****8000",
              "full_address": "浙江省杭州市西湖区文三路****", "encrypted": True}
    return candidate(order_id, minutes, **{**masked, **changes})


def test_orders_merge_by_the_platforms_merge_key() -> None:
    # Other buyers and masks: the platform says they ship together.
    assert merge_groups([encrypted(1, merge_key="MK1", buyer="a"),
                         encrypted(2, 5, merge_key="MK1", buyer="b", receiver_name="李*")]
                        ) == [[1, 2]]
    assert merge_groups([encrypted(1, merge_key="MK1"), encrypted(2, 5, merge_key="MK2")]) == []
    assert merge_groups([encrypted(1, merge_key="MK1"),
                         encrypted(2, 5, merge_key="MK1", shop_id=2)]) == []


def test_orders_merge_by_oaid_without_a_merge_key() -> None:
    assert merge_groups([encrypted(1, oaid="OA1"), encrypted(2, 5, oaid="OA1")]) == [[1, 2]]
    assert merge_groups([encrypted(1, oaid="OA1"), encrypted(2, 5, oaid="OA2")]) == []
    assert merge_groups([encrypted(1, oaid="OA1"), encrypted(2, 5, oaid="OA1", shop_id=2)]) == []
    # The merge key speaks first: a key of one kind never meets a key of another.
    assert merge_groups([encrypted(1, oaid="OA1", merge_key="MK1"),
                         encrypted(2, 5, oaid="OA1")]) == []


def test_encrypted_orders_never_merge_by_their_masks() -> None:
    assert merge_groups([encrypted(1), encrypted(2, 5)]) == []


def test_an_encrypted_order_never_merges_with_a_plaintext_one() -> None:
    assert merge_groups([candidate(1), candidate(2, 5)]) == [[1, 2]]
    assert merge_groups([candidate(1), encrypted(2, 5, receiver_name="张三",
                                                 receiver_phone="13800138000",
                                                 full_address="浙江省杭州市西湖区文三路90号",
                                                 oaid="OA1")]) == []


def test_a_plaintext_receiver_with_masks_never_merges() -> None:
    masked = {"receiver_name": "张**", "receiver_phone": "138****8000",
              "full_address": "浙江省杭州市西湖区文三路****"}
    assert merge_groups([candidate(1, **masked), candidate(2, 5, **masked)]) == []


def test_presale_rules_hold_for_merge_keys_too() -> None:
    assert merge_groups([encrypted(1, merge_key="MK1"),
                         encrypted(2, 5, merge_key="MK1", is_presale=True,
                                   presale_campaign="PS")]) == []


# --------------------------------------------------------------------------- the door

def _json_order(**receiver: object) -> dict[str, object]:
    base: dict[str, object] = {
        "name": "张**", "phone": "138****8000", "province": "浙江省", "city": "杭州市",
        "district": "西湖区", "address": "文三路****", "oaid": OAID, "cipher": dict(CIPHER)}
    base.update(receiver)
    return {"channel": "taobao", "channel_order_no": "T1", "merge_key": "MK-1",
            "receiver": base, "lines": [{"sku": "SKU-A", "qty": 1, "price": "9.90"}]}


def test_jsonl_reads_an_encrypted_receiver() -> None:
    result = parse_jsonl([json.dumps(_json_order(), ensure_ascii=False)])
    assert result.errors == []
    draft = result.drafts[0]
    r = draft.receiver
    assert (r.name, r.phone, r.address) == ("张**", "138****8000", "文三路****")
    assert r.encrypted and r.oaid == OAID and r.cipher() == CIPHER
    assert draft.merge_key == "MK-1"
    # Ciphertexts and OAID stay out of what a log would print of a draft.
    for secret in (*CIPHER.values(), OAID, "MK-1"):
        assert secret not in repr(draft)


def test_jsonl_receiver_without_oaid_or_cipher_is_plaintext() -> None:
    record = _json_order(oaid=None, cipher=None)
    draft = parse_jsonl([json.dumps(record, ensure_ascii=False)]).drafts[0]
    assert not draft.receiver.encrypted and draft.receiver.cipher() is None
    only_phone = _json_order(oaid="", cipher={"phone": CIPHER["phone"]})
    r = parse_jsonl([json.dumps(only_phone, ensure_ascii=False)]).drafts[0].receiver
    assert r.encrypted and r.cipher() == {"phone": CIPHER["phone"]}


@pytest.mark.parametrize(("receiver", "field", "code"), [
    ({"cipher": {**CIPHER, "name": CIPHER["name"] + "\u0007"}}, "receiver.cipher.name",
     "intake.opaque_not_ascii"),
    ({"cipher": {**CIPHER, "phone": CIPHER["phone"][:5] + " " + CIPHER["phone"][5:]}},
     "receiver.cipher.phone", "intake.opaque_not_ascii"),
    ({"cipher": {**CIPHER, "address": CIPHER["address"] + "地址"}}, "receiver.cipher.address",
     "intake.opaque_not_ascii"),
    ({"cipher": {**CIPHER, "address": "~" + "A" * 1100 + "~"}}, "receiver.cipher.address",
     "intake.field_too_long"),
    ({"cipher": {**CIPHER, "name": ["~x~"]}}, "receiver.cipher.name", "intake.field_not_text"),
    ({"oaid": OAID + "\u00e9"}, "receiver.oaid", "intake.opaque_not_ascii"),
    ({"oaid": "O" * 129}, "receiver.oaid", "intake.field_too_long"),
    ({"cipher": "~AgAAAAYlNzxSECRETNAME7Q==~"}, "receiver.cipher", "intake.bad_cipher"),
])
def test_malformed_ciphers_are_refused_without_echo(receiver: dict[str, object], field: str,
                                                    code: str) -> None:
    result = parse_jsonl([json.dumps(_json_order(**receiver), ensure_ascii=False)])
    assert result.drafts == []
    [error] = result.errors
    assert error.code == code and error.params["field"] == field
    shown = error.reason + json.dumps(dict(error.params), ensure_ascii=False)
    for secret in (*CIPHER.values(), OAID, "SECRET"):
        assert secret not in shown


def test_merge_key_is_refused_when_not_printable_ascii() -> None:
    record = {**_json_order(), "merge_key": "MK\u0000SECRET"}
    [error] = parse_jsonl([json.dumps(record)]).errors
    assert error.code == "intake.opaque_not_ascii" and "SECRET" not in error.reason


def _csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(CSV_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _csv_row(**changes: str) -> dict[str, str]:
    row = dict.fromkeys(CSV_COLUMNS, "")
    row.update(channel="pdd", channel_order_no="P1", receiver_name="张**",
               receiver_phone="138****8000", province="浙江省", city="杭州市", district="西湖区",
               address="文三路****", sku="SKU-A", qty="1", price="9.90",
               receiver_oaid=OAID, receiver_name_cipher=CIPHER["name"],
               receiver_phone_cipher=CIPHER["phone"], address_cipher=CIPHER["address"],
               merge_key="MK-9")
    row.update(changes)
    return row


def test_csv_reads_an_encrypted_receiver() -> None:
    result = parse_csv(_csv([_csv_row(), _csv_row(sku="SKU-B")]))
    assert result.errors == []
    [draft] = result.drafts
    assert draft.receiver.oaid == OAID and draft.receiver.cipher() == CIPHER
    assert draft.merge_key == "MK-9" and len(draft.lines) == 2


def test_csv_without_the_cipher_columns_is_read_as_before() -> None:
    header = CSV_COLUMNS[:CSV_COLUMNS.index("receiver_oaid")]
    row = _csv_row(receiver_name="张三", receiver_phone="13800138000", address="文三路90号")
    text = ",".join(header) + "\n" + ",".join(row[c] for c in header) + "\n"
    [draft] = parse_csv(text).drafts
    assert not draft.receiver.encrypted and draft.merge_key == ""


def test_csv_rows_of_one_order_share_the_ciphertexts() -> None:
    other = _csv_row(sku="SKU-B", receiver_phone_cipher="$OTHER$")
    result = parse_csv(_csv([_csv_row(), other]))
    assert result.drafts == []
    assert [e.code for e in result.errors] == ["intake.skipped", "intake.receiver_differs"]


def test_csv_malformed_cipher_is_named_by_its_column() -> None:
    result = parse_csv(_csv([_csv_row(address_cipher="~SECRET\tTAB~")]))
    [error] = result.errors
    assert error.code == "intake.opaque_not_ascii"
    assert error.params["field"] == "address_cipher" and "SECRET" not in error.reason
