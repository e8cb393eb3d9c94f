"""WedgeClassifier: scanner bursts become scans, human typing is always given back in order."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from drivers.wedge import WedgeAction, WedgeClassifier, WedgeDecision


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
