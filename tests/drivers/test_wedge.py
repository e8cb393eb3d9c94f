"""WedgeClassifier: scanner bursts become scans, human typing is always given back in order."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from drivers.wedge import GS, AltCode, WedgeAction, WedgeClassifier, WedgeDecision


@dataclass
class Widget:
    """What the focused widget and the app end up receiving, following the decisions the way
    the Qt event filter does: give back `release` in order, then handle `scan`."""

    typed: str = ""
    scans: list[str] = field(default_factory=list)
    decisions: list[WedgeDecision] = field(default_factory=list)

    def apply(self, decision: WedgeDecision) -> None:
        self.decisions.append(decision)
        self.typed += decision.release
        if decision.scan is not None:
            self.scans.append(decision.scan)


def type_keys(classifier: WedgeClassifier, keys: str, start: float, gap: float,
              widget: Widget, tick_every: float | None = None) -> float:
    """Type `keys` `gap` seconds apart from `start`, ticking in between if asked; returns the
    time of the last key."""
    now = start
    for i, char in enumerate(keys):
        if i:
            if tick_every:
                t = now + tick_every
                while t < now + gap:
                    widget.apply(classifier.tick(t))
                    t += tick_every
            now += gap
        widget.apply(classifier.key(char, now))
    return now


def settle(classifier: WedgeClassifier, widget: Widget, now: float) -> None:
    widget.apply(classifier.tick(now + 1.0))


def test_scanner_speed_is_a_scan_and_nothing_is_released() -> None:
    classifier, widget = WedgeClassifier(), Widget()
    type_keys(classifier, "6901234567892\r", 10.0, 0.005, widget)
    assert widget.scans == ["6901234567892"]
    assert widget.typed == ""
    assert [d.action for d in widget.decisions[:-1]] == [WedgeAction.BUFFER] * 13
    assert widget.decisions[-1].action is WedgeAction.SCAN


@pytest.mark.parametrize("tick_every", [None, 0.010])
def test_typing_speed_releases_every_key_in_order(tick_every: float | None) -> None:
    classifier, widget = WedgeClassifier(), Widget()
    last = type_keys(classifier, "hello 1234\r", 0.0, 0.150, widget, tick_every)
    settle(classifier, widget, last)
    assert widget.typed == "hello 1234\r"
    assert widget.scans == []
    assert classifier.held == ""


def test_the_first_key_is_held_only_briefly() -> None:
    classifier = WedgeClassifier(max_interkey_ms=30)
    held = classifier.key("a", 1.000)
    assert held.action is WedgeAction.BUFFER
    assert classifier.tick(1.020).action is WedgeAction.IDLE  # a second key could still come
    released = classifier.tick(1.031)
    assert (released.action, released.release) == (WedgeAction.RELEASE, "a")


def test_human_types_then_a_scan_arrives() -> None:
    classifier, widget = WedgeClassifier(), Widget()
    last = type_keys(classifier, "ab", 0.0, 0.200, widget)
    type_keys(classifier, "PL2611110000123\r", last + 0.300, 0.004, widget)
    assert widget.typed == "ab"
    assert widget.scans == ["PL2611110000123"]


def test_a_scan_then_typing_goes_on() -> None:
    classifier, widget = WedgeClassifier(), Widget()
    last = type_keys(classifier, "LOC-HZ-A03-12-2\r", 0.0, 0.003, widget)
    last = type_keys(classifier, "ok", last + 0.5, 0.120, widget)
    settle(classifier, widget, last)
    assert widget.scans == ["LOC-HZ-A03-12-2"]
    assert widget.typed == "ok"


def test_a_short_fast_burst_with_enter_is_typing() -> None:
    classifier, widget = WedgeClassifier(min_length=4), Widget()
    type_keys(classifier, "ok\r", 0.0, 0.010, widget)  # a quick typist's digraph and Enter
    assert widget.typed == "ok\r"
    assert widget.scans == []


def test_enter_alone_is_released_at_once() -> None:
    classifier = WedgeClassifier()
    assert classifier.key("\r", 0.0) == WedgeDecision(WedgeAction.RELEASE, "\r")


def test_a_burst_without_its_suffix_is_given_back_after_the_timeout() -> None:
    classifier, widget = WedgeClassifier(timeout_ms=80), Widget()
    last = type_keys(classifier, "12345", 0.0, 0.005, widget)
    widget.apply(classifier.tick(last + 0.050))
    assert widget.typed == ""  # a late Enter may still come
    widget.apply(classifier.tick(last + 0.081))
    assert widget.typed == "12345"
    assert widget.scans == []


def test_a_late_suffix_within_the_timeout_still_makes_a_scan() -> None:
    classifier, widget = WedgeClassifier(max_interkey_ms=30, timeout_ms=80), Widget()
    last = type_keys(classifier, "TOTE-HZ-00012", 0.0, 0.005, widget)
    widget.apply(classifier.key("\r", last + 0.060))
    assert widget.scans == ["TOTE-HZ-00012"]
    assert widget.typed == ""


def test_scanner_without_suffix_scans_after_the_pause() -> None:
    classifier, widget = WedgeClassifier(suffix=None, timeout_ms=80), Widget()
    last = type_keys(classifier, "6901234567892", 0.0, 0.005, widget)
    widget.apply(classifier.tick(last + 0.085))
    assert widget.scans == ["6901234567892"]
    # ...and the next key after a pause ends the previous burst too.
    last = type_keys(classifier, "WAVE-77", last + 1.0, 0.005, widget)
    widget.apply(classifier.key("x", last + 0.5))
    assert widget.scans == ["6901234567892", "WAVE-77"]
    settle(classifier, widget, last + 0.5)
    assert widget.typed == "x"


def test_with_a_prefix_other_typing_passes_with_no_delay() -> None:
    classifier, widget = WedgeClassifier(prefix="#"), Widget()
    for i, char in enumerate("abc"):
        decision = classifier.key(char, i * 0.005)  # even fast typing
        widget.apply(decision)
        assert decision == WedgeDecision(WedgeAction.RELEASE, char)
    type_keys(classifier, "#12345\r", 1.0, 0.005, widget)
    assert widget.scans == ["12345"]
    assert widget.typed == "abc"


def test_with_a_prefix_a_human_hash_is_given_back() -> None:
    classifier, widget = WedgeClassifier(prefix="#"), Widget()
    last = type_keys(classifier, "#1", 0.0, 0.200, widget)
    settle(classifier, widget, last)
    assert widget.typed == "#1"
    assert widget.scans == []


def test_a_multi_character_prefix_that_diverges_is_released() -> None:
    classifier, widget = WedgeClassifier(prefix="]C"), Widget()
    type_keys(classifier, "]X123\r", 0.0, 0.005, widget)
    assert widget.typed == "]X123\r"
    assert widget.scans == []


def test_release_all() -> None:
    classifier = WedgeClassifier()
    classifier.key("1", 0.0)
    classifier.key("2", 0.005)
    assert classifier.release_all() == WedgeDecision(WedgeAction.RELEASE, "12")
    assert classifier.release_all().action is WedgeAction.IDLE


def test_bad_input_is_refused_and_changes_nothing() -> None:
    classifier = WedgeClassifier()
    classifier.key("1", 0.0)
    with pytest.raises(ValueError, match="one character"):
        classifier.key("23", 0.001)
    assert classifier.held == "1"
    for kwargs in ({"max_interkey_ms": 0}, {"timeout_ms": 10}, {"min_length": 0},
                   {"suffix": "\r\n"}):
        with pytest.raises(ValueError):
            WedgeClassifier(**kwargs)


# ------------------------------------------------------------------ the key events' own times


def test_keys_queued_behind_a_stall_are_judged_by_when_they_were_typed() -> None:
    """The GUI was busy for 30 ms while a person typed: the keys are processed back to back,
    but their timestamps are 80-200 ms apart, so they are typing, not a scan."""
    classifier, widget = WedgeClassifier(max_interkey_ms=30), Widget()
    stamps = [5.000, 5.080, 5.200, 5.400, 5.480]  # when the person pressed the keys
    processed = 5.600  # all handled within 1 ms of each other after the stall
    for i, (char, stamp) in enumerate(zip("USR-1", stamps, strict=True)):
        widget.apply(classifier.key(char, processed + i * 0.0002, stamp=stamp))
    widget.apply(classifier.key("\r", processed + 0.001, stamp=5.560))
    settle(classifier, widget, processed + 0.001)
    assert widget.scans == []
    assert widget.typed == "USR-1\r"


def test_a_scan_processed_in_pieces_is_still_one_scan() -> None:
    """A scanner's keys 4 ms apart, handled in two batches 50 ms apart (a stall in between)."""
    classifier, widget = WedgeClassifier(max_interkey_ms=30), Widget()
    code = "SF1234567890123\r"
    for i, char in enumerate(code):
        processed = 9.0 + (0.050 if i >= 7 else 0.0) + i * 0.0001
        widget.apply(classifier.key(char, processed, stamp=100.0 + i * 0.004))
    assert widget.scans == ["SF1234567890123"]
    assert widget.typed == ""


@pytest.mark.parametrize("back", [0.010, 4294967.0])  # went backwards; 32-bit ms clock wrapped
def test_a_timestamp_going_backwards_is_a_gap(back: float) -> None:
    classifier, widget = WedgeClassifier(), Widget()
    type_keys(classifier, "ab", 0.0, 0.004, widget)
    widget.apply(classifier.key("c", 0.008, stamp=10.0))
    widget.apply(classifier.key("d", 0.012, stamp=10.0 - back))
    settle(classifier, widget, 0.012)
    assert widget.typed == "abcd"
    assert widget.scans == []


def test_without_timestamps_the_processing_clock_is_used() -> None:
    classifier, widget = WedgeClassifier(), Widget()
    for i, char in enumerate("WAVE-12\r"):
        widget.apply(classifier.key(char, 3.0 + i * 0.004, stamp=None))
    assert widget.scans == ["WAVE-12"]


# ------------------------------------------------------------------ modifiers, Alt codes, GS


def test_shift_and_caps_lock_keep_a_burst_going() -> None:
    """A scanner types capitals with Shift held: Shift press, letter, Shift release, each a
    couple of ms apart. The letters alone are 12 ms apart; nothing is given back."""
    classifier, widget = WedgeClassifier(max_interkey_ms=30), Widget()
    t = 1.0
    for char in "PL2612060000171\r":
        if char.isupper():
            classifier.extend(t, stamp=t)  # Shift press
            t += 0.002
        widget.apply(classifier.key(char, t, stamp=t))
        t += 0.002
        if char.isupper():
            classifier.extend(t, stamp=t)  # Shift release
        t += 0.004
    assert widget.scans == ["PL2612060000171"]
    assert widget.typed == ""


def test_keys_that_type_nothing_keep_a_slow_alt_code_burst_going() -> None:
    """In Alt mode each character is Alt, four keypad digits and the Alt release: 6 events
    5 ms apart, 30 ms per character, which only the events in between keep within a burst."""
    classifier, widget = WedgeClassifier(max_interkey_ms=20), Widget()
    t = 0.0
    for char in "SF12345\r":
        for _ in range(5):  # Alt press and the four digits
            classifier.extend(t, stamp=t)
            t += 0.005
        widget.apply(classifier.key(char, t, stamp=t))  # composed on the Alt release
        t += 0.005
    assert widget.scans == ["SF12345"]
    assert widget.typed == ""


def test_a_modifier_alone_neither_starts_nor_breaks_anything() -> None:
    classifier, widget = WedgeClassifier(), Widget()
    classifier.extend(0.0, stamp=0.0)
    assert classifier.held == ""
    widget.apply(classifier.key("a", 0.5, stamp=0.5))
    classifier.extend(0.6, stamp=0.6)  # too late to keep "a" held as a burst
    widget.apply(classifier.tick(0.62))
    assert widget.typed == "a"


@pytest.mark.parametrize(("digits", "char"), [
    ("0029", GS), ("65", "A"), ("065", "A"), ("13", "\r"), ("0176", "°"), ("248", "°")])
def test_alt_codes(digits: str, char: str) -> None:
    alt = AltCode()
    for d in digits:
        alt.digit(d)
    assert alt.finish() == char
    assert alt.finish() is None  # consumed


def test_an_alt_code_out_of_range_is_nothing() -> None:
    alt = AltCode()
    for d in "0":
        alt.digit(d)
    assert alt.finish() is None
    with pytest.raises(ValueError, match="digit"):
        alt.digit("x")


def test_a_gs1_code_keeps_its_group_separators() -> None:
    classifier, widget = WedgeClassifier(), Widget()
    type_keys(classifier, f"0109501101530003{GS}10ABC123{GS}21X9\r", 0.0, 0.004, widget)
    assert widget.scans == [f"0109501101530003{GS}10ABC123{GS}21X9"]
    from drivers.barcode import ScanKind, parse_scan
    scan = parse_scan(widget.scans[0])
    assert (scan.kind, scan.gtin, scan.batch, scan.serial) == (
        ScanKind.SKU, "09501101530003", "ABC123", "X9")


def test_a_group_separator_cannot_start_a_scan() -> None:
    classifier = WedgeClassifier()
    assert classifier.key(GS, 0.0) == WedgeDecision(WedgeAction.RELEASE, GS)


def test_a_prefixed_scanner_typing_capitals_is_recognised_from_its_first_key() -> None:
    classifier, widget = WedgeClassifier(prefix="~"), Widget()
    t = 0.0
    for char in "~USR-packer01\r":
        if char.isupper() or char == "~":
            classifier.extend(t, stamp=t)
            t += 0.002
        decision = classifier.key(char, t, stamp=t)
        widget.apply(decision)
        if char == "~":
            assert decision.action is WedgeAction.BUFFER
        t += 0.004
    assert widget.scans == ["USR-packer01"]
    assert widget.typed == ""
