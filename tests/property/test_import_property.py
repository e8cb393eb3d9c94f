"""The order importer's door (app.domain.intake.parse_file) over any input, and the promise
behind it: anything it accepts can be reviewed, picked, packed and printed.

For JSON Lines, CSV and `.json` arrays built from arbitrary text (lone surrogates, controls,
Unicode line breaks, quotes), random bytes and random CSV quoting:

- nothing is raised but the documented refusal of a file with no text (`NotText`);
- every record ends in exactly one place: a draft, a refusal or a duplicate;
- line numbers (items for a `.json` array) point at the physical line the record is on: a
  record known to be good is a draft with its own line number whatever surrounds it;
- every text field of a draft is what `clean_line` makes of it, and cleaning again changes
  nothing.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from hypothesis import assume, event, example, given
from hypothesis import strategies as st

from app.domain import intake
from app.domain.intake import CSV_COLUMNS, OrderDraft, ParseResult
from app.domain.text import REPERTOIRE, clean_line, printable

# --------------------------------------------------------------------------- strategies

ANY_CHAR = st.characters(exclude_categories=())  # surrogates, controls, unassigned: all of it
WILD = st.text(ANY_CHAR, max_size=12)
# Characters a person's name or address may hold, and the breaks and marks cleaning folds.
GOOD_CHARS = st.sampled_from(
    "张三李四王五赵六欧阳娜路号街区市省-· abcXYZ019（）#\u3000\u00a0\u0301\u2028\n\t")
GOOD = st.text(GOOD_CHARS, max_size=10)
_PRINTABLE = [c for start, end, _name in REPERTOIRE for c in range(start, end + 1)
              if printable(chr(c))]
ACCEPTED_CHAR = st.integers(0, len(_PRINTABLE) - 1).map(lambda i: chr(_PRINTABLE[i]))
# What cleaning folds: breaks and wide spaces to one space, e + combining acute to é (NFC).
FOLDED = st.sampled_from(["e\u0301", "\u3000", "\u00a0", "\n", "\t", "\u2028", " ", "张"])
ACCEPTED = st.lists(st.one_of(ACCEPTED_CHAR, FOLDED), min_size=1, max_size=12).map("".join)
NEWLINE_FREE = st.text(ANY_CHAR.filter(lambda c: c != "\n"), max_size=60)
LINE_BYTES = st.binary(max_size=60).map(lambda b: b.replace(b"\n", b""))


def _record(no: str, text: st.SearchStrategy[str], draw: st.DrawFn) -> dict[str, Any]:
    receiver = {k: "张" + draw(text) for k in ("name", "province", "city", "district",
                                              "address")}
    receiver["phone"] = "138" + draw(st.one_of(st.text("0123456789 -+", max_size=12),
                                               text.map(lambda t: t[:12])))
    return {
        "channel": "taobao", "shop": draw(text), "channel_order_no": no,
        "buyer": draw(text), "receiver": receiver,
        "lines": [{"sku": "SKU-" + draw(text), "qty": draw(st.integers(1, 5)),
                   "price": draw(st.sampled_from(["1", "59.00", "0.5", 3]))}
                  for _ in range(draw(st.integers(1, 3)))],
        "paid_at": "2026-11-11T00:00:12+08:00", "vip_level": draw(st.integers(0, 10)),
        "remark": draw(text), "presale": None,
    }


def _clean(no: str) -> dict[str, Any]:
    """An order every door must take, as the specification writes it."""
    return {"channel": "taobao", "shop": "天猫旗舰店", "channel_order_no": no,
            "buyer": "tb_buyer_01",
            "receiver": {"name": "张三", "phone": "13800138000", "province": "浙江省",
                         "city": "杭州市", "district": "西湖区", "address": "文三路90号"},
            "lines": [{"sku": "SKU-00001", "qty": 2, "price": "59.00"}],
            "paid_at": "2026-11-11T00:00:12+08:00", "vip_level": 0, "remark": "",
            "presale": None}


def _json_bytes(value: object, ensure_ascii: bool) -> bytes:
    # A lone surrogate written raw is not UTF-8: the door sees exactly such a byte line.
    return json.dumps(value, ensure_ascii=ensure_ascii).encode("utf-8", "surrogatepass")


@st.composite
def jsonl_files(draw: st.DrawFn) -> tuple[bytes, dict[int, str]]:
    """A JSON Lines file and {physical line: order number} of the lines known to be good."""
    kinds = draw(st.lists(st.sampled_from(
        ["clean", "clean", "wild", "good", "text", "bytes", "blank"]), max_size=12))
    newline = draw(st.sampled_from([b"\n", b"\r\n"]))
    lines: list[bytes] = []
    good: dict[int, str] = {}
    for i, kind in enumerate(kinds):
        if kind == "clean":
            no = f"CLEAN-{i}"
            good[len(lines) + 1] = no
            lines.append(_json_bytes(_clean(no), draw(st.booleans())))
        elif kind in ("wild", "good"):
            record = _record(draw(WILD) if kind == "wild" else f"W-{i}",
                             WILD if kind == "wild" else GOOD, draw)
            lines.append(_json_bytes(record, draw(st.booleans())).replace(b"\n", b"\\n"))
        elif kind == "text":
            lines.append(draw(NEWLINE_FREE).encode("utf-8", "surrogatepass"))
        elif kind == "bytes":
            lines.append(draw(LINE_BYTES))
        else:
            lines.append(draw(st.sampled_from([b"", b"  ", b"\t"])))
    data = newline.join(lines) + (newline if draw(st.booleans()) else b"")
    return data, good


@st.composite
def csv_files(draw: st.DrawFn) -> tuple[bytes, dict[int, str]]:
    """A CSV file (the full header, rows written with random quoting, raw lines between) and
    {physical line: order number} of the one-row orders known to be good."""
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    out = io.StringIO()
    writer = csv.writer(out, quoting=quoting, lineterminator=newline)
    writer.writerow(CSV_COLUMNS)
    good: dict[int, str] = {}
    line = 1
    for i, kind in enumerate(draw(st.lists(st.sampled_from(
            ["clean", "clean", "wild", "order", "raw", "blank"]), max_size=10))):
        start = out.tell()
        if kind == "clean":
            good[line + 1] = f"CLEAN-{i}"
            writer.writerow(_csv_values(f"CLEAN-{i}", {}))
        elif kind == "wild":
            writer.writerow([draw(WILD) for _ in CSV_COLUMNS])
        elif kind == "order":  # an order of several rows, some fields wild
            fields = {c: draw(st.one_of(WILD, GOOD)) for c in draw(st.lists(
                st.sampled_from(CSV_COLUMNS), max_size=3))}
            for _ in range(draw(st.integers(1, 3))):
                writer.writerow(_csv_values(f"O-{i}", fields))
        elif kind == "raw":  # quotes opened and never closed, stray commas, anything
            out.write(draw(NEWLINE_FREE.filter(lambda t: "CLEAN" not in t)) + newline)
        else:
            out.write(newline)
        line += out.getvalue()[start:].count("\n")
    data = out.getvalue().encode("utf-8", "surrogatepass")
    return data, good


def _csv_values(no: str, changes: dict[str, str]) -> list[str]:
    row = {"channel": "jd", "shop": "京东自营店", "channel_order_no": no, "buyer": "b",
           "receiver_name": "李四", "receiver_phone": "13900139000", "province": "广东省",
           "city": "广州市", "district": "天河区", "address": "天河路385号", "sku": "SKU-1",
           "qty": "1", "price": "59.00", **changes}
    return [row.get(c, "") for c in CSV_COLUMNS]


# --------------------------------------------------------------------------- checks


def _parse(name: str, data: bytes) -> ParseResult | None:
    """The door's verdict, or None when it refused the whole file as no text."""
    try:
        return intake.parse_file(name, lambda: io.BytesIO(data))
    except intake.NotText:
        return None


def _records(data: bytes) -> Iterator[int]:
    """Physical line numbers of the lines that hold something (as the door decodes them)."""
    encoding = intake.choose_encoding(intake.split_lines(io.BytesIO(data)))
    for n, line in enumerate(intake.decode_lines(intake.split_lines(io.BytesIO(data)),
                                                 encoding), 1):
        if isinstance(line, intake.BadLine) or line.strip():
            yield n


def _utf8(data: bytes) -> bool:
    return intake.choose_encoding(intake.split_lines(io.BytesIO(data))) == "utf-8"


def _texts(d: OrderDraft) -> Iterator[tuple[str, str]]:
    yield from (("channel", d.channel), ("shop", d.shop), ("channel_order_no",
                d.channel_order_no), ("buyer", d.buyer), ("remark", d.remark))
    for name in ("name", "phone", "province", "city", "district", "address"):
        yield name, getattr(d.receiver, name)
    for line in d.lines:
        yield "sku", line.sku
    if d.presale is not None:
        yield "campaign", d.presale.campaign


def _check_drafts(result: ParseResult) -> None:
    for d in result.drafts:
        for name, value in _texts(d):
            assert clean_line(value, name) == value, (name, value)
    error_lines = [e.line for e in result.errors]
    assert len(error_lines) == len(set(error_lines)), result.errors
    assert not set(error_lines) & {d.source_line for d in result.drafts}
    for e in result.errors:
        assert e.reason and e.reason.isprintable(), e
        assert e.channel_order_no is None or e.channel_order_no.isprintable()


# --------------------------------------------------------------------------- the door


@given(jsonl_files())
def test_json_lines_end_each_record_in_one_place_at_its_line(
        file: tuple[bytes, dict[int, str]]) -> None:
    data, good = file
    result = _parse("orders.jsonl", data)
    if result is None:
        assert not good
        return
    _check_drafts(result)
    assert len(result.drafts) + len(result.duplicates) + len(result.errors) \
        == len(list(_records(data)))
    if _utf8(data):
        drafts = {d.source_line: d.channel_order_no for d in result.drafts}
        for line, no in good.items():
            assert drafts.get(line) == no, (line, no, result.errors)


@given(csv_files())
@example((",".join(CSV_COLUMNS).encode() + b'\n' + b"," * 21 + b'"\n\n"\n', {}))
def test_csv_ends_each_line_in_one_place_at_its_line(file: tuple[bytes, dict[int, str]]) -> None:
    data, good = file
    result = _parse("orders.csv", data)
    assert result is not None
    _check_drafts(result)
    # Each row of a stored (or duplicate) order is one of its lines; every other line after
    # the header is named once.
    rows = sum(len(d.lines) for d in [*result.drafts, *result.duplicates])
    assert rows + len(result.errors) == len(list(_records(data))) - 1
    drafts = {d.source_line: d.channel_order_no for d in result.drafts}
    for line, no in good.items():
        assert drafts.get(line) == no, (line, no, result.errors)


@st.composite
def wild_records(draw: st.DrawFn) -> dict[str, Any]:
    return _record(draw(WILD), WILD, draw)


@given(st.lists(st.one_of(
    st.integers(0, 2).map(lambda n: ("clean", n)),
    st.tuples(st.just("wild"), wild_records()),
    st.tuples(st.just("value"), st.one_of(st.none(), st.integers(), WILD, st.lists(WILD)))),
    max_size=8), st.booleans(), st.sampled_from([None, 1, 2]))
def test_a_json_array_counts_items(items: list[tuple[str, Any]], ascii_only: bool,
                                   indent: int | None) -> None:
    values: list[object] = []
    good: dict[int, str] = {}
    for i, (kind, arg) in enumerate(items):
        if kind == "clean":
            good[i + 1] = f"CLEAN-{i}"
            values.append(_clean(f"CLEAN-{i}"))
        else:
            values.append(arg)
    text = json.dumps(values, ensure_ascii=True, indent=indent)
    if not ascii_only:  # raw characters, but never a raw lone surrogate (not UTF-8 at all)
        text = json.dumps(json.loads(text), ensure_ascii=False, indent=indent)
        assume(not any(0xD800 <= ord(c) <= 0xDFFF for c in text))
    result = _parse("orders.json", text.encode("utf-8"))
    assert result is not None
    _check_drafts(result)
    assert len(result.drafts) + len(result.duplicates) + len(result.errors) == len(values)
    drafts = {d.source_line: d.channel_order_no for d in result.drafts}
    for item, no in good.items():
        assert drafts.get(item) == no


@given(st.binary(max_size=400), st.sampled_from(["o.jsonl", "o.csv", "o.json", "orders"]))
def test_random_bytes_are_refused_by_name_never_raised(data: bytes, name: str) -> None:
    result = _parse(name, data)
    if result is None:
        return
    _check_drafts(result)
    # Lines end at LF; a file with CRs and no LF at all is split at its CRs instead.
    ends = data.count(b"\n") if b"\n" in data else data.count(b"\r")
    assert all(1 <= e.line <= ends + 1 for e in result.errors)


# --------------------------------------------------------------------------- the whole flow

from app.domain import packing  # noqa: E402
from app.domain.review import DEFAULT_RULES, Blacklist, prepare_rules, review  # noqa: E402
from app.domain.validation import LineFact, OrderFacts, validate  # noqa: E402
from app.printing.documents import (  # noqa: E402
    PackingSlip,
    Party,
    PickList,
    PickTask,
    SlipLine,
    Waybill,
)
from app.printing.render import render  # noqa: E402

_RULES = prepare_rules(DEFAULT_RULES)
_NOW = datetime(2026, 11, 11, 12, 0, tzinfo=UTC)
_SENDER = Party(name="天猫旗舰店", phone="0571-88888888", province="浙江省", city="杭州市",
                district="余杭区", address="仓前街道1号")


@st.composite
def accepted_orders(draw: st.DrawFn) -> bytes:
    """A JSON Lines or CSV file of 1–2 orders whose text comes from what the door takes,
    with the breaks, spaces and combining marks it folds."""
    records = [_record(f"FLOW-{i}", ACCEPTED, draw) for i in range(draw(st.integers(1, 2)))]
    if draw(st.booleans()):
        return b"\n".join(json.dumps(r, ensure_ascii=False).encode() for r in records)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in records:
        for line in r["lines"]:
            flat = {**r, **{f"receiver_{k}" if k in ("name", "phone") else k: v
                            for k, v in r["receiver"].items()}, **line}
            writer.writerow([str(flat.get(c) or "").replace("\n", " ") for c in CSV_COLUMNS])
    return b"CSV" + out.getvalue().encode()


def _through_the_floor(d: OrderDraft, regions: Any, *, pdf: bool = True) -> None:
    facts = OrderFacts(
        channel_order_no=d.channel_order_no, receiver_name=d.receiver.name,
        receiver_phone=d.receiver.phone, province=d.receiver.province, city=d.receiver.city,
        district=d.receiver.district, address=d.receiver.address, buyer=d.buyer,
        lines=tuple(LineFact(ln.sku, True, ln.qty, ln.price_fen, ln.qty) for ln in d.lines),
        goods_fen=d.goods_fen, discount_fen=d.discount_fen, amount_fen=d.amount_fen,
        paid=d.paid_at is not None, is_presale=False, vip_level=d.vip_level, remark=d.remark)
    validate(facts, regions)
    blacklist = Blacklist(buyers=frozenset({d.buyer}), phones=frozenset({d.receiver.phone}),
                          addresses=frozenset({d.receiver.address}))
    review(facts, _RULES, blacklist, region_ok=True)
    review(facts, _RULES, Blacklist())

    order_no = "PL2611110000001"
    lines = tuple(packing.PackLine(line_no=n, sku_id=n, sku_code=ln.sku, name=ln.sku,
                                   qty=ln.qty, barcodes=frozenset({f"{ln.sku}#{n}"}),
                                   weight_g=100)
                  for n, ln in enumerate(d.lines, 1))
    order = packing.PackOrder(order_no=order_no, order_id=1, lines=lines,
                              carrier_code="SF", status="picked")
    state = packing.start(order, scale_required=False)
    events: list[packing.PackEvent] = [
        packing.ItemScanned(f"scan-{n}-{u}", f"{ln.sku}#{n}")
        for n, ln in enumerate(d.lines, 1) for u in range(ln.qty)]
    events += [packing.Labelled("label", 1, "SF1234567890"), packing.Confirmed("done")]
    for pack_event in events:
        outcome = packing.apply(state, pack_event)
        assert outcome.accepted, (pack_event, outcome.reason)
        state = outcome.state
    assert state.phase is packing.Phase.PACKED

    r = d.receiver
    waybill = Waybill(
        carrier_code="SF", carrier_name="顺丰速运", tracking_no="SF1234567890", sender=_SENDER,
        receiver=Party(name=r.name, phone=r.phone, province=r.province, city=r.city,
                       district=r.district, address=r.address),
        order_nos=(order_no,), route_code=f"{r.city.removesuffix('市')} {r.district}".strip(),
        printed_at=_NOW)
    # PDF embeds each glyph the label uses (~20 ms for a label of rare characters): once per
    # example; TSPL (the printer's font) for every order.
    if pdf:
        assert render(waybill, "pdf").startswith(b"%PDF")
    assert render(waybill, "tspl")
    # The slip and the pick list carry the order's other text; built, they are validated
    # (their renderers share the waybill's text layer, rendered above).
    PackingSlip(order_no=order_no, channel_order_no=d.channel_order_no, shop=d.shop,
                receiver_name=r.name, remark=d.remark, printed_at=_NOW,
                lines=tuple(SlipLine(ln.sku, ln.sku, ln.qty) for ln in d.lines))
    PickList(wave_no="W2611110001", warehouse="HZ", strategy="per_order", picker="picker01",
             printed_at=_NOW, tasks=tuple(PickTask(n, "A-01-01", ln.sku, "", ln.sku, ln.qty,
                                                   "T01-1") for n, ln in enumerate(d.lines, 1)))


_REGIONS: list[Any] = []


@given(accepted_orders())
def test_what_the_importer_accepts_is_reviewed_packed_and_printed(data: bytes) -> None:
    if not _REGIONS:
        from app.domain.regions import RegionTable

        _REGIONS.append(RegionTable.load())
    name = "orders.csv" if data.startswith(b"CSV") else "orders.jsonl"
    result = _parse(name, data.removeprefix(b"CSV"))
    assert result is not None
    event(f"{len(result.drafts)} accepted")
    assert result.drafts, result.errors
    for i, d in enumerate(result.drafts):
        _through_the_floor(d, _REGIONS[0], pdf=i == 0)


# --------------------------------------------------------------------------- one order, however written

# Ways of writing the same text that the door reads alike (NFC, every space one space, the
# invisible characters pasted text carries removed, the ends trimmed).
_SPACE_FORMS = [" ", "\u00a0", "\u3000", "\u2002", " \u200b", "\u00a0 "]
_INVISIBLE_FORMS = ["", "", "\u00ad", "\u200b", "\u2060", "\ufeff"]
_PIECES = st.lists(st.sampled_from(["A", "b", "7", "é", "张", " ", "-"]), min_size=1,
                   max_size=8)
_CHANNEL_FORMS = st.sampled_from(["taobao", "TaoBao", "TAOBAO\u00ad", "\u00a0taobao ",
                                  "tao\u200bbao"])


def _written(pieces: list[str], draw: st.DrawFn) -> str:
    """`pieces` joined, each space and accent written one way or another, invisible marks
    between them and spaces around."""
    out = draw(st.sampled_from(["", " ", "\u00a0", "\u200b"]))
    for piece in pieces:
        if piece == "é":
            piece = draw(st.sampled_from(["é", "e\u0301"]))
        elif piece == " ":
            piece = draw(st.sampled_from(_SPACE_FORMS))
        out += draw(st.sampled_from(_INVISIBLE_FORMS)) + piece
    return out + draw(st.sampled_from(["", " ", "\u3000", "\u00ad"]))


@st.composite
def one_order_files(draw: st.DrawFn) -> tuple[str, bool, bytes, bytes]:
    """(an order number as the door keeps it, whether its last occurrence is broken, a JSON
    Lines file and a CSV file giving that order 2-3 times, each time written another way, with
    another order after each). Numbers come as JSON numbers too: platforms' ids are numeric.
    Each CSV occurrence is two rows whose receiver's name is written two ways."""
    if draw(st.booleans()):
        number = draw(st.integers(1, 10**19))
        canonical = str(number)
        forms = st.one_of(st.just(number), st.just(canonical),
                          st.just(list(canonical)).map(lambda p: _written(p, draw)))
    else:
        pieces = draw(_PIECES)
        canonical = clean_line("".join(pieces), "channel_order_no")
        assume(canonical)
        forms = st.just(pieces).map(lambda p: _written(p, draw))
    writings = draw(st.lists(forms, min_size=2, max_size=3))
    broken = draw(st.booleans())
    records = []
    for i, writing in enumerate(writings):
        record = {**_clean("-"), "channel_order_no": writing, "channel": draw(_CHANNEL_FORMS)}
        if broken and i == len(writings) - 1:
            record["lines"] = [{"sku": "SKU-00001", "qty": 0, "price": "59.00"}]
        records.append(record)
    jsonl = b"\n".join(line for i, record in enumerate(records) for line in (
        _json_bytes(record, draw(st.booleans())), _json_bytes(_clean(f"OTHER-{i}"), False)))

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    name = draw(_PIECES.filter(lambda p: clean_line("".join(p), "name") != ""))
    for i, record in enumerate(records):
        same = {"channel": record["channel"], "channel_order_no": str(record["channel_order_no"]),
                "qty": str(record["lines"][0]["qty"])}
        for sku in ("SKU-1", "SKU-2"):
            writer.writerow(_csv_values("-", {**same, "sku": sku,
                                              "receiver_name": _written(name, draw)}))
        writer.writerow(_csv_values(f"OTHER-{i}", {}))
    return canonical, broken, jsonl, out.getvalue().encode("utf-8")


def _occurrence_lines(result: ParseResult, canonical: str) -> tuple[list[int], list[int]]:
    drafts = [d.source_line for d in [*result.drafts, *result.duplicates]
              if (d.channel, d.channel_order_no) == ("taobao", canonical)]
    errors = [e.line for e in result.errors if e.channel_order_no == canonical]
    return drafts, errors


@given(one_order_files())
def test_every_writing_of_one_order_number_is_the_same_order(
        files: tuple[str, bool, bytes, bytes]) -> None:
    """However the file writes an order's number and channel (NFD or NFC, a no-break space or
    a space, a soft hyphen, a JSON number or text), its occurrences are one order: the same
    content is one draft and duplicates; one broken occurrence refuses every occurrence, each
    at its line, naming the number as the door keeps it. CSV rows of one order whose
    receivers differ only as written share the receiver."""
    canonical, broken, jsonl, csv_data = files
    result = _parse("orders.jsonl", jsonl)
    assert result is not None
    _check_drafts(result)
    drafts, errors = _occurrence_lines(result, canonical)
    occurrences = [1 + 2 * i for i in range(jsonl.count(b"\n") // 2 + 1)]
    if broken:
        assert (drafts, errors) == ([], occurrences), result
    else:
        assert (sorted(drafts), errors) == (occurrences, []), result
        assert len(result.drafts) == 1 + len(occurrences)  # the order once, each other once

    result = _parse("orders.csv", csv_data)
    assert result is not None
    _check_drafts(result)
    drafts, errors = _occurrence_lines(result, canonical)
    firsts = [2 + 3 * i for i in range(len(occurrences))]
    if broken:
        assert drafts == [] and set(firsts) <= set(errors), result
    else:
        assert (sorted(drafts), errors) == (firsts, []), result
        assert [len(d.lines) for d in result.drafts if d.channel == "taobao"] == [2]
