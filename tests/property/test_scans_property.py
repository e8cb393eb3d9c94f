"""Scans at the packing bench, for any input: the scan parser (drivers/barcode.py) never raises
and classifies consistently; the pack state machine (app.domain.packing) fed any sequence of
scans (right, wrong, unknown codes), weights, boxes, labels, confirms and repeated event ids
never counts more than the order has, an id applied once changes nothing when it comes again
(a refused event changes nothing at all), and every event is either applied or refused with
a reason; a replay script's lines get ids that tell them
apart and stay the same when the script is fed again."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from app.cli.main import _replay_line_id, _whole
from app.domain.packing import (
    BoxClosed,
    Confirmed,
    ItemScanned,
    Labelled,
    PackEvent,
    PackState,
    Paused,
    Phase,
    Reason,
    Resumed,
    Stopped,
    Weighed,
    WeightOverridden,
    apply,
    box_expected_g,
    rebuild,
    start,
    unit_count,
)
from app.domain.text import clean_line
from drivers.barcode import ScanError, ScanKind, parse_scan
from drivers.scanner import decode_scan
from tests.unit.test_packing import CODES, MIX, sessions

# Text a scanner (or a keyboard wedge, or a confused one) might deliver: Packline's own codes,
# GTINs, GS1 strings, command words, with noise around them, and anything at all.
_OWN = st.sampled_from([
    "PL2611110000123", "pl2611110000123", "WAVE-20261111", "wave-7", "LOC-HZ-A01-01-1",
    "TOTE-HZ-00001", "SLOT-HZ-01", "USR-packer01", "CMD-CONFIRM", "确认", "新箱", "INT0000020",
    "SF123456789012", "6901234567892", "6901234567893", "06901234567892", "(01)06901234567892",
    "]E06901234567892", "]C10106901234567892\x1d10ABC", "]d2", "000000000000000000", ""])
_TEXT = st.one_of(_OWN, st.text(max_size=40),
                  st.tuples(st.text(" \t\r\n\x00", max_size=3), _OWN,
                            st.text(" \t\r\n\x00", max_size=3)).map("".join),
                  st.from_regex(r"[A-Za-z]{0,4}[-\d]{0,20}", fullmatch=True))


@given(_TEXT)
def test_any_text_is_classified_never_raised(text: str) -> None:
    scan = parse_scan(text)
    assert scan.raw == text
    assert scan.error is not ScanError.INTERNAL, scan.error_detail
    assert (scan.kind is ScanKind.UNKNOWN) == (scan.error is not None)
    assert parse_scan(text) == scan  # the same text, the same answer
    if scan.kind is not ScanKind.UNKNOWN:
        assert scan.value
    if scan.kind is ScanKind.SKU and scan.gtin is not None:
        assert re.fullmatch(r"\d{14}", scan.gtin) and scan.value == scan.gtin
    if scan.kind in (ScanKind.ORDER, ScanKind.WAVE, ScanKind.BIN, ScanKind.TOTE):
        assert scan.value == scan.text.upper()  # looked up upper-cased, as printed
    if scan.kind is ScanKind.COMMAND:
        assert scan.command is not None and scan.value == scan.command.value


@given(_OWN, st.text(" \t\r\n", max_size=4), st.text(" \t\r\n", max_size=4))
def test_blanks_around_a_code_change_nothing(code: str, before: str, after: str) -> None:
    padded, plain = parse_scan(before + code + after), parse_scan(code)
    assert (padded.kind, padded.value, padded.error) == (plain.kind, plain.value, plain.error)


@given(st.binary(max_size=60), st.sampled_from([None, "|", "^"]))
def test_any_bytes_from_a_scanner_are_classified_never_raised(data: bytes,
                                                              gs: str | None) -> None:
    scan = parse_scan(decode_scan(data), gs_substitute=gs)
    assert scan.error is not ScanError.INTERNAL, scan.error_detail
    assert (scan.kind is ScanKind.UNKNOWN) == (scan.error is not None)


# ------------------------------------------------------------------ the pack state machine

_IDS = st.sampled_from([f"e{n}" for n in range(12)])  # few ids: repeats are common
_CODE = st.one_of(st.sampled_from(CODES), st.text(min_size=1, max_size=8).filter(str.strip))


@st.composite
def _event(draw: st.DrawFn, state: PackState) -> PackEvent:
    ident = draw(_IDS)
    kind = draw(st.sampled_from(["scan"] * 6 + ["box", "weigh", "weigh", "override", "label",
                                                "confirm", "pause", "resume", "stop"]))
    box = draw(st.integers(1, len(state.boxes) + 1))
    if kind == "scan":
        return ItemScanned(ident, draw(_CODE), draw(st.sampled_from([1, 1, 1, 2, 6, 40])))
    if kind == "box":
        return BoxClosed(ident)
    if kind == "weigh":
        near = box_expected_g(state, box) if state.box(box) else 0
        return Weighed(ident, draw(st.one_of(st.integers(0, 50_000),
                                             st.integers(max(0, near - 60), near + 60))), box)
    if kind == "override":
        return WeightOverridden(ident, "lead01", "checked", box,
                                draw(st.none() | st.integers(0, 9_000)))
    if kind == "label":
        return Labelled(ident, box, draw(st.sampled_from(["YT1", "YT2"])))
    if kind == "confirm":
        return Confirmed(ident)
    if kind == "pause":
        return Paused(ident)
    if kind == "resume":
        return Resumed(ident)
    return Stopped(ident, "refund_requested")


@st.composite
def _fed(draw: st.DrawFn) -> tuple[bool, list[PackEvent]]:
    """A session drawn event by event against the state it reached (so weighings fall near
    the box's weight and labels name real boxes), with earlier events fed again now and then:
    the same event, as a scanner or a replay re-sends it after a crash."""
    scale = draw(st.booleans())
    state = start(MIX, scale_required=scale)
    events: list[PackEvent] = []
    for _ in range(draw(st.integers(0, 40))):
        if events and draw(st.integers(0, 5)) == 0:
            event = draw(st.sampled_from(events))
        else:
            event = draw(_event(state))
        events.append(event)
        state = apply(state, event).state
    return scale, events


def _never_over(state: PackState) -> None:
    for line in state.order.lines:
        assert 0 <= state.counted[line.line_no] <= line.qty
    assert unit_count(state) <= state.order.units
    assert sum(box.units for box in state.boxes) == unit_count(state)


@given(st.one_of(_fed(), sessions()))
def test_any_sequence_never_over_counts_and_a_repeated_id_changes_nothing(
        session: tuple[bool, list[PackEvent]]) -> None:
    scale, events = session
    state = start(MIX, scale_required=scale)
    accepted: dict[str, PackEvent] = {}
    for event in events:
        out = apply(state, event)
        # Applied, or refused with a reason that names why; nothing in between.
        assert out.accepted == (out.reason is None)
        if not out.accepted:
            assert out.reason in set(Reason) and out.state is state
        if event.event_id in accepted:  # an id applied before: refused, nothing changes
            assert out.reason == Reason.DUPLICATE_EVENT and out.state is state
        # Fed again at once (a re-sent scan): nothing more changes, whatever the first did.
        again = apply(out.state, event)
        assert not again.accepted and again.state is out.state
        if out.accepted:
            accepted[event.event_id] = event
            assert again.reason == Reason.DUPLICATE_EVENT
            assert out.state.event_ids == state.event_ids | {event.event_id}
        state = out.state
        _never_over(state)
        if state.phase in (Phase.WEIGHING, Phase.LABELLING, Phase.PACKED):
            assert unit_count(state) == MIX.units
    # What was applied, fed again after the whole log (a replay after a crash), changes
    # nothing; nor does the log rebuilt with every applied event delivered twice in a row.
    assert set(accepted) == set(state.event_ids)
    assert rebuild(MIX, events + list(accepted.values()), scale_required=scale) == state
    doubled = [e for event in events for e in (
        (event, event) if accepted.get(event.event_id) is event else (event,))]
    assert rebuild(MIX, doubled, scale_required=scale) == state


# ------------------------------------------------------------------ replay scripts' line ids

_LINE = st.fixed_dictionaries({"scan": st.text(max_size=12)})


@given(st.lists(_LINE, min_size=1, max_size=20), st.text("0123456789abcdef", min_size=4,
                                                         max_size=12))
def test_every_line_of_a_script_has_its_own_id_the_same_each_time(
        steps: list[dict[str, Any]], run: str) -> None:
    import json

    raws = [json.dumps(step, ensure_ascii=False) for step in steps]
    ids = [_replay_line_id(step, run, n, raw) for n, (step, raw) in enumerate(
        zip(steps, raws, strict=True), 1)]
    assert len(set(ids)) == len(ids)  # lines apart, even where their text is the same
    assert ids == [_replay_line_id(step, run, n, raw) for n, (step, raw) in enumerate(
        zip(steps, raws, strict=True), 1)]  # and the same when fed again
    assert all(len(i) <= 100 for i in ids)


@given(st.one_of(st.text(max_size=120), st.integers(), st.none(), st.booleans(),
                 st.floats(allow_nan=True), st.lists(st.integers(), max_size=2)))
def test_a_lines_own_id_is_taken_or_refused_as_a_broken_line(given_id: object) -> None:
    step = {"scan": "PL1", "id": given_id}
    try:
        scan_id = _replay_line_id(step, "run", 1, "{}")
    except ValueError:
        return  # a broken line: reported, and the script goes on
    if given_id is None:
        assert scan_id.startswith("run:1:")
    else:
        # Taken through the one rule for text at the door (breaks become spaces, NFC), and
        # scoped by the run (so `--restart` feeds it again); a long one as its hash.
        own = clean_line(str(given_id), "id").strip()
        assert 0 < len(own) <= 100 and 0 < len(scan_id) <= 100
        assert scan_id == f"run:{own}" if len(own) <= 96 else scan_id.startswith("run:#")
        assert _replay_line_id(step, "other", 1, "{}") != scan_id  # another run: a new scan


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
                    lambda inner: st.lists(inner, max_size=2), max_leaves=3))
def test_a_count_or_weight_is_a_whole_number_in_range_or_a_broken_line(value: Any) -> None:
    """Whatever JSON gives for a line's "qty" or "weigh": a whole number in range, or a
    ValueError naming the field (a broken line), never an OverflowError or a truncation."""
    try:
        number = _whole(value, "qty", 1, 100_000)
    except ValueError as exc:
        assert str(exc).startswith("qty is ")
        return
    assert type(number) is int and 1 <= number <= 100_000
    assert number == value or number == int(str(value).strip())  # 2.0 or "2", never 2.7
