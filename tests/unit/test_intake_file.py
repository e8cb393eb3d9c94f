"""Reading a whole order file (app.services.intake.read_file → app.domain.intake): lines split
at LF only, decoded line by line, text fields cleaned at the door, CSV one record per line, and
each order once. Every test names the row that is refused and shows the others still read."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from app.domain.intake import CSV_COLUMNS, ParseResult
from app.services.errors import InvalidInput
from app.services.intake import read_file
from tests.helpers.orders import order_record


def _jsonl(path: Path, rows: list[dict[str, Any] | str]) -> Path:
    text = "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)
                     for r in rows)
    path.write_bytes((text + "\n").encode("utf-8", "surrogatepass"))
    return path


def _csv_row(no: str, sku: str = "SKU-00001", **extra: object) -> dict[str, object]:
    row: dict[str, object] = {
        "channel": "jd", "shop": "京东自营店", "channel_order_no": no, "buyer": "jd_buyer",
        "receiver_name": "李四", "receiver_phone": "13900139000", "province": "广东省",
        "city": "广州市", "district": "天河区", "address": "天河路385号", "sku": sku,
        "qty": 1, "price": "59.00", "paid_at": "2026-11-11T08:30:00+08:00",
    }
    row.update(extra)
    return row


def _csv_lines(rows: list[dict[str, object]]) -> list[str]:
    """Header and one physical line per row."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in CSV_COLUMNS})
    return out.getvalue().split("\n")[:-1]


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _drafts(result: ParseResult) -> list[tuple[str, int]]:
    return [(d.channel_order_no, d.source_line) for d in result.drafts]


def _errors(result: ParseResult) -> dict[int, str]:
    return {e.line: e.reason for e in result.errors}


# --------------------------------------------------------------------------- JSON Lines


def test_a_lone_surrogate_refuses_its_row_alone(tmp_path: Path) -> None:
    bad = json.dumps(order_record("SURR-2"), ensure_ascii=False).replace("张三", "张\\ud800三")
    assert "\\ud800" in bad
    path = _jsonl(tmp_path / "orders.jsonl", [order_record("SURR-1"), bad,
                                              order_record("SURR-3")])
    result = read_file(path)
    assert _drafts(result) == [("SURR-1", 1), ("SURR-3", 3)]
    [error] = result.errors
    assert error.line == 2 and error.channel_order_no == "SURR-2"
    assert "receiver.name" in error.reason and "U+D800" in error.reason
    assert "surrogate" in error.reason


@pytest.mark.parametrize("separator", ["\u2028", "\u0085", "\u2029"])
def test_a_unicode_line_break_inside_a_json_line_does_not_split_it(tmp_path: Path,
                                                                   separator: str) -> None:
    inside = json.dumps(order_record("SEP-2", remark=f"上午{separator}送"), ensure_ascii=False)
    assert separator in inside  # raw in the file, not escaped
    path = _jsonl(tmp_path / "orders.jsonl", [
        order_record("SEP-1"), inside, order_record("SEP-3"), "not json",
        order_record("SEP-5")])
    result = read_file(path)
    assert _drafts(result) == [("SEP-1", 1), ("SEP-2", 2), ("SEP-3", 3), ("SEP-5", 5)]
    assert list(_errors(result)) == [4]
    assert result.drafts[1].remark == "上午 送"


@pytest.mark.parametrize("separator", ["\x0b", "\x0c", "\x1c", "\x1d", "\x1e"])
def test_a_raw_control_break_spoils_its_json_line_only(tmp_path: Path, separator: str) -> None:
    """`str.splitlines` splits at these too: the line is invalid JSON, named once, and every
    later line keeps its number."""
    inside = json.dumps(order_record("SEP-2", remark="上午_送"), ensure_ascii=False)
    path = _jsonl(tmp_path / "orders.jsonl", [
        order_record("SEP-1"), inside.replace("_", separator), order_record("SEP-3"),
        "not json", order_record("SEP-5")])
    result = read_file(path)
    assert _drafts(result) == [("SEP-1", 1), ("SEP-3", 3), ("SEP-5", 5)]
    errors = _errors(result)
    assert list(errors) == [2, 4]
    assert "not valid JSON" in errors[2]


def test_crlf_files_count_lines_as_written(tmp_path: Path) -> None:
    rows = [json.dumps(order_record(f"CRLF-{n}"), ensure_ascii=False) for n in range(3)]
    path = tmp_path / "orders.jsonl"
    path.write_bytes("\r\n".join([rows[0], "oops", rows[1], "", rows[2]]).encode())
    result = read_file(path)
    assert _drafts(result) == [("CRLF-0", 1), ("CRLF-1", 3), ("CRLF-2", 5)]
    assert list(_errors(result)) == [2]


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_a_csv_with_old_mac_line_ends_is_read_line_by_line(tmp_path: Path,
                                                           encoding: str) -> None:
    # "CSV (Macintosh)" ends lines in CR alone; before, the whole file was one bad header.
    lines = _csv_lines([_csv_row("MAC-1"), _csv_row("MAC-2", receiver_name="王\x07五"),
                        _csv_row("MAC-3")])
    path = tmp_path / "orders.csv"
    path.write_bytes("\r".join(lines).encode(encoding) + b"\r")
    result = read_file(path)
    assert _drafts(result) == [("MAC-1", 2), ("MAC-3", 4)]
    assert list(_errors(result)) == [3]


def test_a_jsonl_file_with_cr_line_ends_counts_its_lines(tmp_path: Path) -> None:
    rows = [json.dumps(order_record(f"CR-{n}"), ensure_ascii=False) for n in range(3)]
    path = tmp_path / "orders.jsonl"
    path.write_bytes("\r".join([rows[0], "oops", rows[1], rows[2]]).encode())
    result = read_file(path)
    assert _drafts(result) == [("CR-0", 1), ("CR-1", 3), ("CR-2", 4)]
    assert list(_errors(result)) == [2]


def test_the_same_number_with_other_content_is_refused_on_both_lines(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "orders.jsonl", [
        order_record("TWICE-1", qty=1), order_record("OTHER"),
        order_record("TWICE-1", qty=5), order_record("SAME"), order_record("SAME")])
    result = read_file(path)
    assert _drafts(result) == [("OTHER", 2), ("SAME", 4)]
    assert [(d.channel_order_no, d.source_line) for d in result.duplicates] == [("SAME", 5)]
    errors = _errors(result)
    assert list(errors) == [1, 3]
    for reason in errors.values():
        assert "TWICE-1" in reason and "lines 1, 3" in reason and "different" in reason
    assert {e.channel_order_no for e in result.errors} == {"TWICE-1"}


@pytest.mark.parametrize(("char", "words"), [
    ("\x07", ("U+0007", "control character")),
    ("\x1b", ("U+001B", "control character")),
    ("\u202e", ("U+202E", "direction override")),
    ("\ue000", ("U+E000", "private-use")),
    ("\x9b", ("U+009B", "control character")),
])
def test_a_control_character_in_a_name_is_refused_at_the_door(tmp_path: Path, char: str,
                                                               words: tuple[str, ...]) -> None:
    bad = order_record("CTRL-2")
    bad["receiver"]["name"] = f"王{char}五"
    path = _jsonl(tmp_path / "orders.jsonl", [order_record("CTRL-1"), bad])
    result = read_file(path)
    assert _drafts(result) == [("CTRL-1", 1)]
    [error] = result.errors
    assert error.line == 2 and "receiver.name" in error.reason
    for word in words:
        assert word in error.reason
    assert char not in error.reason


def test_text_fields_are_cleaned_at_the_door(tmp_path: Path) -> None:
    record = order_record("CLEAN-1", remark="  请\n\t尽快  发货 ", buyer="Jose\u0301")
    record["receiver"]["address"] = "文三路\r\n90号"
    [draft] = read_file(_jsonl(tmp_path / "orders.jsonl", [record])).drafts
    assert draft.remark == "请 尽快 发货"
    assert draft.buyer == "Jos\u00e9"  # NFC
    assert draft.receiver.address == "文三路 90号"


def test_a_line_over_the_limit_is_refused_unread(tmp_path: Path) -> None:
    huge = order_record("HUGE-2", remark="长" * 400_000)  # 1.2 MB in UTF-8
    path = _jsonl(tmp_path / "orders.jsonl", [order_record("HUGE-1"), huge,
                                              order_record("HUGE-3")])
    result = read_file(path)
    assert _drafts(result) == [("HUGE-1", 1), ("HUGE-3", 3)]
    assert "longer than 1,048,576 bytes" in _errors(result)[2]


def test_an_integer_of_too_many_digits_is_a_broken_row(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "orders.jsonl", [
        json.dumps(order_record("BIG-1")).replace('"vip_level": 0', '"vip_level": ' + "9" * 5000),
        order_record("BIG-2")])
    result = read_file(path)
    assert _drafts(result) == [("BIG-2", 2)]
    assert list(_errors(result)) == [1]


# --------------------------------------------------------------------------- encodings


def test_one_line_that_is_not_utf8_is_refused_alone(tmp_path: Path) -> None:
    good = [json.dumps(order_record(f"ENC-{n}"), ensure_ascii=False).encode() for n in range(4)]
    latin1 = json.dumps(order_record("ENC-L", remark="café")).replace("\\u00e9", "é")
    path = tmp_path / "orders.jsonl"
    path.write_bytes(b"\n".join([good[0], good[1], latin1.encode("latin-1"), good[2],
                                 good[3]]) + b"\n")
    result = read_file(path)
    assert _drafts(result) == [("ENC-0", 1), ("ENC-1", 2), ("ENC-2", 4), ("ENC-3", 5)]
    assert result.drafts[0].receiver.name == "张三"  # still read as UTF-8, not GB18030
    [error] = result.errors
    assert error.line == 3 and "not UTF-8" in error.reason and "0xE9" in error.reason


def test_a_gb18030_file_with_one_broken_line(tmp_path: Path) -> None:
    lines = _csv_lines([_csv_row("GB-1"), _csv_row("GB-2"), _csv_row("GB-3")])
    data = [line.encode("gb18030") for line in lines]
    data[2] = data[2].replace("天河路".encode("gb18030"), b"\xff\xff")
    path = tmp_path / "export.csv"
    path.write_bytes(b"\r\n".join(data) + b"\r\n")
    result = read_file(path)
    assert _drafts(result) == [("GB-1", 2), ("GB-3", 4)]
    assert result.drafts[0].receiver.name == "李四"
    [error] = result.errors
    assert error.line == 3 and "GB18030" in error.reason and "0xFF" in error.reason
    assert error.channel_order_no == "GB-2"


def test_a_file_that_is_no_text_names_the_first_bad_line(tmp_path: Path) -> None:
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\n\xff\xfe\x00\x81\x30\x81\n\xff")
    with pytest.raises(InvalidInput, match="neither UTF-8 nor GB18030") as caught:
        read_file(binary)
    assert caught.value.params["line"] == 2


# --------------------------------------------------------------------------- CSV


def test_a_csv_field_over_the_csv_limit_is_named_as_oversize(tmp_path: Path) -> None:
    lines = _csv_lines([_csv_row("OV-1"), _csv_row("OV-2", remark="备" * 140_000),
                        _csv_row("OV-3")])
    result = read_file(_write(tmp_path / "orders.csv", lines))
    assert _drafts(result) == [("OV-1", 2), ("OV-3", 4)]
    [error] = result.errors
    assert error.line == 3 and "oversize" in error.reason and "131,072" in error.reason
    assert error.channel_order_no == "OV-2"


def test_an_unterminated_quote_is_named_where_it_opened_and_the_rest_is_read(
        tmp_path: Path) -> None:
    lines = _csv_lines([_csv_row(f"Q-{n}") for n in range(1, 7)])
    lines[2] = lines[2].replace("天河路385号", '"天河路385号')  # line 3: a quote never closed
    result = read_file(_write(tmp_path / "orders.csv", lines))
    assert _drafts(result) == [("Q-1", 2), ("Q-3", 4), ("Q-4", 5), ("Q-5", 6), ("Q-6", 7)]
    [error] = result.errors
    assert error.line == 3 and error.channel_order_no == "Q-2"
    column = lines[2].index('"天河路') + 1
    assert f"quote opened at column {column}" in error.reason


def test_an_unterminated_quote_on_the_last_line(tmp_path: Path) -> None:
    lines = _csv_lines([_csv_row("E-1"), _csv_row("E-2", remark="end")])
    lines[2] = lines[2][:-len("end")] + '"end'
    result = read_file(_write(tmp_path / "orders.csv", lines))
    assert _drafts(result) == [("E-1", 2)]
    assert "not closed" in _errors(result)[3]


def test_a_field_broken_over_lines_is_one_refused_record(tmp_path: Path) -> None:
    lines = _csv_lines([_csv_row("M-1"), _csv_row("M-2", remark="上午送\n下午不在"),
                        _csv_row("M-3")])
    assert len(lines) == 5  # the remark's break made two physical lines of row M-2
    result = read_file(_write(tmp_path / "orders.csv", lines))
    assert _drafts(result) == [("M-1", 2), ("M-3", 5)]
    errors = _errors(result)
    assert list(errors) == [3, 4]
    assert "line break" in errors[3] and "line 4" in errors[3]
    assert "continues the record of line 3" in errors[4]
    assert {e.channel_order_no for e in result.errors} == {"M-2"}


def test_rows_of_one_order_apart_with_other_receivers_are_refused_on_both(
        tmp_path: Path) -> None:
    lines = _csv_lines([
        _csv_row("A-1"),
        _csv_row("A-2", receiver_name="王五"),
        _csv_row("A-1", sku="SKU-00002", receiver_name="赵六", address="另一条路1号"),
    ])
    result = read_file(_write(tmp_path / "orders.csv", lines))
    assert _drafts(result) == [("A-2", 3)]
    errors = _errors(result)
    assert list(errors) == [2, 4]
    for reason in errors.values():
        assert "A-1" in reason and "lines 2, 4" in reason


def test_the_same_csv_order_twice_with_the_same_content_is_a_duplicate(
        tmp_path: Path) -> None:
    order = [_csv_row("D-1"), _csv_row("D-1", sku="SKU-00002")]
    lines = _csv_lines([*order, _csv_row("D-2"), *order])
    result = read_file(_write(tmp_path / "orders.csv", lines))
    assert _drafts(result) == [("D-1", 2), ("D-2", 4)]
    assert result.errors == []
    assert [(d.channel_order_no, d.source_line) for d in result.duplicates] == [("D-1", 5)]
    assert len(result.drafts[0].lines) == 2


def test_consecutive_rows_of_one_order_must_share_the_receiver(tmp_path: Path) -> None:
    lines = _csv_lines([_csv_row("R-1"), _csv_row("R-1", sku="SKU-00002", receiver_name="王五"),
                        _csv_row("R-2")])
    result = read_file(_write(tmp_path / "orders.csv", lines))
    assert _drafts(result) == [("R-2", 4)]
    errors = _errors(result)
    assert "receiver differs from line 2" in errors[3]
    assert errors[2].startswith("skipped")


def test_a_control_character_in_a_csv_field_is_refused(tmp_path: Path) -> None:
    lines = _csv_lines([_csv_row("C-1"), _csv_row("C-2", receiver_name="李\x07四")])
    result = read_file(_write(tmp_path / "orders.csv", lines))
    assert _drafts(result) == [("C-1", 2)]
    assert "receiver_name holds U+0007" in _errors(result)[3]


# --------------------------------------------------------------------------- .json arrays


def test_a_json_array_counts_items_and_refuses_a_surrogate_item_alone(tmp_path: Path) -> None:
    items = [order_record("ARR-1"), order_record("ARR-2", remark="\ud800"),
             order_record("ARR-3", remark="a\u2028b")]
    path = tmp_path / "orders.json"
    path.write_text(json.dumps(items, indent=2), encoding="utf-8")
    result = read_file(path)
    assert _drafts(result) == [("ARR-1", 1), ("ARR-3", 3)]
    assert list(_errors(result)) == [2]
    assert result.drafts[1].remark == "a b"


# --------------------------------------------------------------------------- wording


def test_every_refusal_carries_a_code_its_wording_takes(tmp_path: Path) -> None:
    """What the person fixing the file reads in their language: each refusal's code is in
    the message catalogue and its wording fills with the refusal's params."""
    from app.ui.messages import catalogue

    broken = [order_record("W-1", qty=0), order_record("W-2", price="x"),
              order_record("W-3", paid_at="soon"), order_record("W-4", vip_level=11),
              order_record("W-5", presale=3), order_record("W-6", lines=[]),
              order_record("W-7", lines=[1]), order_record("W-8", buyer=["x"]),
              order_record("W-9", remark="\x07"), order_record("W-10", remark="x" * 1001),
              order_record("W-11", qty=200_000), order_record("W-12", paid_at="9999-12-31T23:00"),
              order_record("", remark=""), "[1]", "{", "[" * 100_000,
              order_record("W-D", qty=1), order_record("W-D", qty=2)]
    path = _jsonl(tmp_path / "orders.jsonl", broken)
    lines = _csv_lines([_csv_row("V-1"), _csv_row("V-2", remark="a\nb"), _csv_row("V-1"),
                        _csv_row("V-3", receiver_name="")])
    lines += ["jd,V-4,\"open", "a,b," * 30]
    csv_path = _write(tmp_path / "orders.csv", lines)
    errors = [*read_file(path).errors, *read_file(csv_path).errors]
    wordings = catalogue()
    codes = set()
    for error in errors:
        assert error.code in wordings, error
        wordings[error.code].format(**error.params)
        codes.add(error.code)
    assert len(codes) >= 18, codes


def test_a_blank_line_inside_a_broken_field_is_no_record(tmp_path: Path) -> None:
    """Found by the property test: a field holding an empty line."""
    lines = _csv_lines([_csv_row("B-1"), _csv_row("B-2", remark="上午\n\n下午"), _csv_row("B-3")])
    result = read_file(_write(tmp_path / "orders.csv", lines))
    assert _drafts(result) == [("B-1", 2), ("B-3", 6)]
    assert list(_errors(result)) == [3, 5]


# --------------------------------------------------------------------------- one order, however written


@pytest.mark.parametrize(("good", "broken", "named"), [
    ({"channel_order_no": "Té1"}, {"channel_order_no": "Te\u03011"}, "Té1"),
    ({"channel_order_no": "N 2"}, {"channel_order_no": "N\u00a02"}, "N 2"),
    ({"channel_order_no": "N 3"}, {"channel_order_no": " N\u3000\u30003\u200b "}, "N 3"),
    ({"channel": "taobao", "channel_order_no": "X1"},
     {"channel": "TaoBao\u00ad", "channel_order_no": "X1"}, "X1"),
    ({"channel_order_no": 4162883832611119999},
     {"channel_order_no": "4162883832611119999"}, "4162883832611119999"),
    ({"channel_order_no": 4162883832611119999},
     {"channel_order_no": 4162883832611119999,
      "receiver": {**order_record("-")["receiver"], "address": "另一条路1号"}},
     "4162883832611119999"),
])
def test_a_broken_repeat_is_matched_however_its_order_number_is_written(
        tmp_path: Path, good: dict[str, Any], broken: dict[str, Any], named: str) -> None:
    """The broken occurrence is keyed as its draft would be (cleaned text, numbers as text), so
    the good occurrence is refused with it: the file contradicts itself about that order."""
    broken_record = {**order_record("-", qty=0), **broken}
    for rows, lines in (([{**order_record("-"), **good}, order_record("OTHER"), broken_record],
                         [1, 3]),
                        ([broken_record, order_record("OTHER"), {**order_record("-"), **good}],
                         [1, 3])):
        result = read_file(_jsonl(tmp_path / "orders.jsonl", rows))
        assert _drafts(result) == [("OTHER", 2)]
        assert sorted(_errors(result)) == lines
        assert {e.channel_order_no for e in result.errors} == {named}
        assert any(f"order {named} appears 2 times" in e.reason for e in result.errors)


def test_a_broken_csv_repeat_is_matched_however_its_order_number_is_written(
        tmp_path: Path) -> None:
    lines = _csv_lines([_csv_row("Té 1"), _csv_row("OTHER"),
                        _csv_row("Te\u0301\u00a0\u00ad1", qty=0, channel="JD\u200b")])
    result = read_file(_write(tmp_path / "orders.csv", lines))
    assert _drafts(result) == [("OTHER", 3)]
    assert sorted(_errors(result)) == [2, 4]
    assert {e.channel_order_no for e in result.errors} == {"Té 1"}


def test_rows_of_one_csv_order_whose_receivers_differ_only_as_written_are_one_order(
        tmp_path: Path) -> None:
    """A trailing no-break space, a decomposed accent, a zero-width space: the same receiver."""
    lines = _csv_lines([
        _csv_row("R-1", receiver_name="José", address="天河路385号"),
        _csv_row("R-1", sku="SKU-00002", receiver_name="Jose\u0301",
                 address="天河路385号\u00a0"),
        _csv_row("R-1", sku="SKU-00003", receiver_name="Jo\u200bsé", address=" 天河路385号")])
    result = read_file(_write(tmp_path / "orders.csv", lines))
    assert result.errors == []
    [draft] = result.drafts
    assert len(draft.lines) == 3
    assert (draft.receiver.name, draft.receiver.address) == ("José", "天河路385号")
