"""Parsing channel order files (app.domain.intake): JSON Lines and CSV drafts, broken rows named
with their line number and reason, and format detection."""

from __future__ import annotations

import copy
import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from app.domain.intake import (
    CSV_COLUMNS,
    DEFAULT_SHIP_WITHIN,
    LineDraft,
    ParseResult,
    Receiver,
    detect_format,
    parse_csv,
    parse_jsonl,
)

# The example order of the import format, exactly as the specification writes it.
SPEC_EXAMPLE = (
    '{"channel": "taobao", "shop": "天猫旗舰店", "channel_order_no": "T20261111000123", '
    '"buyer": "tb_buyer_01", "receiver": {"name": "张三", "phone": "13800138000", '
    '"province": "浙江省", "city": "杭州市", "district": "西湖区", "address": "文三路90号"}, '
    '"lines": [{"sku": "SKU-00001", "qty": 2, "price": "59.00"}], "amount": "118.00", '
    '"discount": "0.00", "paid_at": "2026-11-11T00:00:12+08:00", "vip_level": 0, '
    '"remark": "", "promised_ship_by": "2026-11-13T23:59:59+08:00", "presale": null}'
)


def _order(no: str, **changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = json.loads(SPEC_EXAMPLE)
    record["channel_order_no"] = no
    record.update(changes)
    return record


def _jsonl(*records: object) -> list[str]:
    return [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]


# --------------------------------------------------------------------------- JSON Lines


def test_the_specification_example_parses_exactly() -> None:
    result = parse_jsonl([SPEC_EXAMPLE])
    assert result.errors == []
    [draft] = result.drafts
    assert draft.channel == "taobao"
    assert draft.shop == "天猫旗舰店"
    assert draft.channel_order_no == "T20261111000123"
    assert draft.buyer == "tb_buyer_01"
    assert draft.receiver == Receiver("张三", "13800138000", "浙江省", "杭州市", "西湖区",
                                      "文三路90号")
    assert draft.lines == (LineDraft("SKU-00001", 2, 5900),)
    assert draft.amount_fen == 11800
    assert draft.discount_fen == 0
    assert draft.goods_fen == 11800
    assert draft.units == 2
    assert draft.paid_at == datetime(2026, 11, 10, 16, 0, 12, tzinfo=UTC)
    assert draft.paid_at.utcoffset().total_seconds() == 0
    assert draft.promised_ship_by == datetime(2026, 11, 13, 15, 59, 59, tzinfo=UTC)
    assert draft.vip_level == 0
    assert draft.remark == ""
    assert draft.presale is None
    assert draft.source_line == 1


def test_a_presale_order_keeps_campaign_and_payment_times() -> None:
    record = _order("P1", presale={"campaign": "PS-DOUBLE",
                                   "deposit_paid_at": "2026-10-25T20:00:00+08:00",
                                   "balance_paid_at": None})
    [draft] = parse_jsonl(_jsonl(record)).drafts
    assert draft.presale is not None
    assert draft.presale.campaign == "PS-DOUBLE"
    assert draft.presale.deposit_paid_at == datetime(2026, 10, 25, 12, 0, tzinfo=UTC)
    assert draft.presale.balance_paid_at is None


def test_optional_fields_get_defaults() -> None:
    record = _order("D1")
    for key in ("shop", "buyer", "amount", "discount", "vip_level", "remark",
                "promised_ship_by", "presale"):
        del record[key]
    record["lines"] = [{"sku": "SKU-00002", "qty": 3, "price": 10}]
    [draft] = parse_jsonl(_jsonl(record)).drafts
    assert draft.shop == "taobao"
    assert draft.amount_fen == 3000 and draft.discount_fen == 0
    assert draft.vip_level == 0 and draft.remark == "" and draft.presale is None
    assert draft.promised_ship_by == draft.paid_at + DEFAULT_SHIP_WITHIN


def test_blank_lines_are_skipped_but_counted() -> None:
    lines = ["", _jsonl(_order("A"))[0], "   ", "\t", _jsonl(_order("B"))[0], ""]
    result = parse_jsonl(lines)
    assert result.errors == []
    assert [(d.channel_order_no, d.source_line) for d in result.drafts] == [("A", 2), ("B", 5)]


def _broken_line(no: str, how: str) -> str:
    """One JSON Lines row broken in the way named by `how`."""
    record = _order(no)
    if how == "not_json":
        return '{"channel": "taobao", "channel_order_no": "' + no + '", '
    if how == "no_receiver":
        del record["receiver"]
    elif how == "no_channel_order_no":
        del record["channel_order_no"]
    elif how == "no_lines":
        record["lines"] = []
    elif how.startswith("qty="):
        record["lines"] = [{"sku": "SKU-00001", "qty": json.loads(how[4:]), "price": "59.00"}]
    elif how == "price_x":
        record["lines"] = [{"sku": "SKU-00001", "qty": 1, "price": "x"}]
    elif how == "receiver_phone_missing":
        del record["receiver"]["phone"]
    elif how == "bad_paid_at":
        record["paid_at"] = "yesterday"
    else:
        raise AssertionError(how)
    return json.dumps(record, ensure_ascii=False)


BROKEN_JSON_ROWS: list[tuple[str, tuple[str, ...]]] = [
    ("not_json", ("not valid JSON",)),
    ("no_receiver", ("receiver", "missing")),
    ("no_channel_order_no", ("channel_order_no", "missing")),
    ("qty=0", ("lines[1].qty", "positive integer", "0")),
    ("qty=-1", ("lines[1].qty", "positive integer", "-1")),
    ("qty=1.5", ("lines[1].qty", "positive integer", "1.5")),
    ('qty="abc"', ("lines[1].qty", "positive integer", "abc")),
    ("qty=true", ("lines[1].qty", "positive integer", "True")),
    ("no_lines", ("no lines",)),
    ("price_x", ("lines[1].price", "not an amount")),
    ("receiver_phone_missing", ("receiver.phone", "missing")),
    ("bad_paid_at", ("paid_at", "ISO 8601")),
]


def test_each_broken_row_is_named_and_the_good_rows_around_it_parse() -> None:
    lines: list[str] = []
    expected_errors: dict[int, tuple[str, ...]] = {}
    good: list[str] = []
    for n, (how, words) in enumerate(BROKEN_JSON_ROWS):
        lines.append(_jsonl(_order(f"GOOD-{n}"))[0])
        good.append(f"GOOD-{n}")
        lines.append(_broken_line(f"BAD-{n}", how))
        expected_errors[len(lines)] = words
    lines.append(_jsonl(_order("GOOD-last"))[0])
    good.append("GOOD-last")

    result = parse_jsonl(lines)
    assert [d.channel_order_no for d in result.drafts] == good
    assert [e.line for e in result.errors] == sorted(expected_errors)
    for error in result.errors:
        for word in expected_errors[error.line]:
            assert word in error.reason, (error.line, error.reason, word)


def test_a_broken_row_carries_its_channel_order_number_when_readable() -> None:
    result = parse_jsonl([_broken_line("BAD-7", "qty=0"), _broken_line("BAD-8", "not_json")])
    assert [(e.line, e.channel_order_no) for e in result.errors] == [(1, "BAD-7"), (2, None)]


@pytest.mark.parametrize("row", ["[1, 2]", '"text"', "42", "null"])
def test_a_json_value_that_is_not_an_object_is_refused(row: str) -> None:
    result = parse_jsonl([row])
    assert result.drafts == []
    [error] = result.errors
    assert error.line == 1
    assert "expected a JSON object" in error.reason


# --------------------------------------------------------------------------- CSV


def _csv(rows: list[dict[str, object]], columns: tuple[str, ...] = CSV_COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in columns})
    return out.getvalue()


def _csv_row(no: str, sku: str = "SKU-00001", qty: object = 1, price: object = "59.00",
             **extra: object) -> dict[str, object]:
    row: dict[str, object] = {
        "channel": "jd", "shop": "京东自营店", "channel_order_no": no, "buyer": "jd_buyer",
        "receiver_name": "李四", "receiver_phone": "13900139000", "province": "广东省",
        "city": "广州市", "district": "天河区", "address": "天河路385号", "sku": sku,
        "qty": qty, "price": price, "paid_at": "2026-11-11T08:30:00+08:00", "vip_level": 2,
        "remark": "请尽快发货",
    }
    row.update(extra)
    return row


def test_csv_header_uses_the_flattened_names() -> None:
    assert {"channel", "channel_order_no", "receiver_name", "receiver_phone", "province",
            "city", "district", "address", "sku", "qty", "price"} <= set(CSV_COLUMNS)


def test_a_two_line_csv_order_becomes_one_draft_with_two_lines() -> None:
    text = _csv([_csv_row("J1", "SKU-00001", 2, "59.00"),
                 _csv_row("J1", "SKU-00002", 1, "10.50"),
                 _csv_row("J2", "SKU-00003", 1, "5")])
    result = parse_csv(text)
    assert result.errors == []
    assert [d.channel_order_no for d in result.drafts] == ["J1", "J2"]
    first = result.drafts[0]
    assert first.lines == (LineDraft("SKU-00001", 2, 5900), LineDraft("SKU-00002", 1, 1050))
    assert first.amount_fen == 12850
    assert first.receiver == Receiver("李四", "13900139000", "广东省", "广州市", "天河区",
                                      "天河路385号")
    assert first.channel == "jd" and first.vip_level == 2 and first.remark == "请尽快发货"
    assert first.paid_at == datetime(2026, 11, 11, 0, 30, tzinfo=UTC)
    assert first.source_line == 2
    assert result.drafts[1].source_line == 4


def test_a_broken_line_rejects_its_whole_order_and_names_the_other_lines() -> None:
    text = _csv([
        _csv_row("OK1"),                              # line 2
        _csv_row("BAD", "SKU-00001", 1),              # line 3
        _csv_row("BAD", "SKU-00002", "abc"),          # line 4: broken
        _csv_row("BAD", "SKU-00003", 2),              # line 5
        _csv_row("OK2"),                              # line 6
    ])
    result = parse_csv(text)
    assert [d.channel_order_no for d in result.drafts] == ["OK1", "OK2"]
    assert [e.line for e in result.errors] == [3, 4, 5]
    by_line = {e.line: e for e in result.errors}
    assert "qty" in by_line[4].reason and "positive integer" in by_line[4].reason
    assert "abc" in by_line[4].reason
    for line in (3, 5):
        assert by_line[line].reason.startswith("skipped")
        assert "BAD" in by_line[line].reason
    assert {e.channel_order_no for e in result.errors} == {"BAD"}


@pytest.mark.parametrize(("changes", "words"), [
    ({"qty": "0"}, ("qty", "positive integer")),
    ({"qty": "1.5"}, ("qty", "positive integer")),
    ({"qty": ""}, ("qty", "positive integer")),
    ({"price": "x"}, ("price", "not an amount")),
    ({"price": ""}, ("price", "missing")),
    ({"sku": ""}, ("sku", "empty")),
    ({"receiver_name": ""}, ("receiver_name", "empty")),
    ({"channel_order_no": ""}, ("channel_order_no", "missing")),
    ({"paid_at": "31/12/2026"}, ("paid_at", "ISO 8601")),
])
def test_csv_row_problems_are_reported(changes: dict[str, object],
                                       words: tuple[str, ...]) -> None:
    row = _csv_row("X1")
    row.update(changes)
    result = parse_csv(_csv([_csv_row("GOOD"), row]))
    assert [d.channel_order_no for d in result.drafts] == ["GOOD"]
    [error] = result.errors
    assert error.line == 3
    for word in words:
        assert word in error.reason


def test_a_row_with_more_fields_than_the_header_is_refused() -> None:
    text = _csv([_csv_row("GOOD")]) + _csv([_csv_row("LONG")]).splitlines()[1] + ",extra\n"
    result = parse_csv(text)
    assert [d.channel_order_no for d in result.drafts] == ["GOOD"]
    [error] = result.errors
    assert error.line == 3 and "more fields" in error.reason


def test_a_missing_header_column_is_reported_at_line_one() -> None:
    columns = tuple(c for c in CSV_COLUMNS if c != "qty")
    result = parse_csv(_csv([_csv_row("A"), _csv_row("B")], columns))
    assert result.drafts == []
    [error] = result.errors
    assert error.line == 1
    assert "qty" in error.reason and "header" in error.reason


def test_a_utf8_bom_is_ignored() -> None:
    result = parse_csv("\ufeff" + _csv([_csv_row("BOM1")]))
    assert result.errors == []
    [draft] = result.drafts
    assert draft.channel == "jd" and draft.channel_order_no == "BOM1"


def test_naive_times_are_china_time() -> None:
    text = _csv([_csv_row("N1", paid_at="2026-11-11 00:00:12",
                          promised_ship_by="2026-11-13T23:59:59")])
    [draft] = parse_csv(text).drafts
    assert draft.paid_at == datetime(2026, 11, 10, 16, 0, 12, tzinfo=UTC)
    assert draft.promised_ship_by == datetime(2026, 11, 13, 15, 59, 59, tzinfo=UTC)
    record = _order("N2", paid_at="2026-11-11T00:00:12")
    [json_draft] = parse_jsonl(_jsonl(record)).drafts
    assert json_draft.paid_at == datetime(2026, 11, 10, 16, 0, 12, tzinfo=UTC)


def test_a_csv_presale_order() -> None:
    text = _csv([_csv_row("PS1", presale_campaign="PS-FULL",
                          deposit_paid_at="2026-10-21T10:00:00+08:00",
                          balance_paid_at="2026-11-11T01:00:00+08:00")])
    [draft] = parse_csv(text).drafts
    assert draft.presale is not None
    assert draft.presale.campaign == "PS-FULL"
    assert draft.presale.deposit_paid_at == datetime(2026, 10, 21, 2, 0, tzinfo=UTC)
    assert draft.presale.balance_paid_at == datetime(2026, 11, 10, 17, 0, tzinfo=UTC)


# --------------------------------------------------------------------------- a big file

_BREAKERS: list[Callable[[dict[str, Any]], str | dict[str, Any]]] = [
    lambda r: json.dumps(r)[:-5],                                       # truncated JSON
    lambda r: {k: v for k, v in r.items() if k != "receiver"},
    lambda r: {**r, "lines": []},
    lambda r: {**r, "lines": [{"sku": "SKU-00001", "qty": 0, "price": "1.00"}]},
    lambda r: {**r, "lines": [{"sku": "SKU-00001", "qty": -2, "price": "1.00"}]},
    lambda r: {**r, "lines": [{"sku": "SKU-00001", "qty": "two", "price": "1.00"}]},
    lambda r: {**r, "lines": [{"sku": "SKU-00001", "qty": 1, "price": "-3"}]},
    lambda r: {k: v for k, v in r.items() if k != "channel_order_no"},
    lambda r: {**r, "paid_at": "not a time"},
    lambda r: {**r, "vip_level": 99},
]


def test_a_thousand_orders_with_every_tenth_broken() -> None:
    lines: list[str] = []
    broken_lines: list[int] = []
    for n in range(1, 1001):
        record = _order(f"T{n:06d}",
                        lines=[{"sku": f"SKU-{n % 2000 + 1:05d}", "qty": n % 3 + 1,
                                "price": f"{n % 500}.{n % 100:02d}"}])
        if n % 10 == 0:
            broken = _BREAKERS[(n // 10) % len(_BREAKERS)](copy.deepcopy(record))
            lines.append(broken if isinstance(broken, str) else json.dumps(broken))
            broken_lines.append(n)
        else:
            lines.append(json.dumps(record, ensure_ascii=False))
    result: ParseResult = parse_jsonl(lines)
    assert len(result.drafts) == 900
    assert len(result.errors) == 100
    assert [e.line for e in result.errors] == broken_lines
    assert all(e.reason for e in result.errors)
    assert {d.source_line for d in result.drafts}.isdisjoint(broken_lines)
    assert len({d.channel_order_no for d in result.drafts}) == 900


def test_a_thousand_csv_rows_with_every_tenth_broken() -> None:
    rows = []
    broken_lines = []
    for n in range(1, 1001):
        qty: object = n % 4 + 1
        if n % 10 == 0:
            qty = ("0", "-1", "1.5", "x", "")[(n // 10) % 5]
            broken_lines.append(n + 1)  # the header is line 1
        rows.append(_csv_row(f"C{n:06d}", qty=qty))
    result = parse_csv(_csv(rows))
    assert len(result.drafts) == 900
    assert [e.line for e in result.errors] == broken_lines
    assert all("qty" in e.reason for e in result.errors)


# --------------------------------------------------------------------------- detection


@pytest.mark.parametrize(("name", "head", "fmt"), [
    ("orders.jsonl", "channel,shop", "jsonl"),
    ("ORDERS.NDJSON", "", "jsonl"),
    ("orders.json", "", "jsonl"),
    ("orders.csv", '{"channel": "jd"}', "csv"),
    ("orders.CSV", "", "csv"),
    ("export.txt", '{"channel": "jd"}', "jsonl"),
    ("export.txt", '\ufeff\n  {"channel": "jd"}', "jsonl"),
    ("export", "channel,shop,channel_order_no", "csv"),
    ("export.dat", "\ufeffchannel,shop", "csv"),
])
def test_detect_format(name: str, head: str, fmt: str) -> None:
    assert detect_format(name, head) == fmt


# --------------------------------------------------------------------------- odd values


@pytest.mark.parametrize(("changes", "words"), [
    # str.isdigit() is true for superscripts, which int() cannot read
    ({"lines": [{"sku": "SKU-00001", "qty": "²", "price": "1.00"}]},
     ("lines[1].qty", "positive integer")),
    # .NET's DateTime.MinValue, as some exports write an empty time
    ({"paid_at": "0001-01-01T00:00:00"}, ("paid_at", "out of range")),
    ({"promised_ship_by": "9999-12-31T23:59:59-08:00"}, ("promised_ship_by", "out of range")),
])
def test_odd_values_are_row_errors_not_crashes(changes: dict[str, object],
                                               words: tuple[str, ...]) -> None:
    result = parse_jsonl(_jsonl(_order("BAD", **changes), _order("GOOD")))
    assert [d.channel_order_no for d in result.drafts] == ["GOOD"]
    [error] = result.errors
    assert error.line == 1
    for word in words:
        assert word in error.reason


def test_odd_csv_values_are_row_errors_not_crashes() -> None:
    result = parse_csv(_csv([_csv_row("BAD", qty="²"),
                             _csv_row("OLD", paid_at="0001-01-01 00:00:00"),
                             _csv_row("GOOD")]))
    assert [d.channel_order_no for d in result.drafts] == ["GOOD"]
    assert [e.line for e in result.errors] == [2, 3]


def test_json_nested_too_deeply_is_a_broken_row_not_a_crash() -> None:
    from app.domain.intake import parse_jsonl

    good = json.dumps(_example_like("NEST-OK"), ensure_ascii=False)
    result = parse_jsonl([good, "[" * 100_000 + "]" * 100_000, good.replace("NEST-OK", "N2")])
    assert [d.channel_order_no for d in result.drafts] == ["NEST-OK", "N2"]
    assert [(e.line, "nested" in e.reason) for e in result.errors] == [(2, True)]


def _example_like(number: str) -> dict[str, object]:
    return {"channel": "taobao", "channel_order_no": number,
            "receiver": {"name": "张三", "phone": "13800138000", "province": "浙江省",
                         "city": "杭州市", "district": "西湖区", "address": "文三路90号"},
            "lines": [{"sku": "SKU-00001", "qty": 1, "price": "59.00"}]}
