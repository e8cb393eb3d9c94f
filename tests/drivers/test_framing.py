"""LineFramer: suffixes exactly as configured, across reads; NONE by pause; prefix; garbage."""

from __future__ import annotations

import pytest

from drivers.framing import LineFramer
from drivers.urls import Suffix


def feed_bytewise(framer: LineFramer, data: bytes, now: float = 0.0) -> list[bytes]:
    frames: list[bytes] = []
    for i in range(len(data)):
        frames += framer.feed(data[i:i + 1], now)
    return frames


def test_cr() -> None:
    framer = LineFramer("CR")
    assert framer.feed(b"6901234567892\rPL2611110000123\r", 0) == [b"6901234567892",
                                                                    b"PL2611110000123"]
    assert framer.pending == b""


def test_cr_keeps_the_partial_frame_until_its_suffix() -> None:
    framer = LineFramer(Suffix.CR)
    assert framer.feed(b"69012", 0) == []
    assert framer.feed(b"34567892", 0.01) == []
    assert framer.feed(b"\r", 0.02) == [b"6901234567892"]


def test_cr_drops_the_lf_of_a_crlf_scanner_even_in_the_next_read() -> None:
    framer = LineFramer("CR")
    assert framer.feed(b"A1\r\nB2\r\n", 0) == [b"A1", b"B2"]
    assert framer.feed(b"C3\r", 0) == [b"C3"]
    assert framer.feed(b"\nD4\r", 0) == [b"D4"]
    assert framer.pending == b""


def test_lf_and_a_cr_before_it() -> None:
    framer = LineFramer("LF")
    assert framer.feed(b"SF123456789012\nYT1234567890123\r\n", 0) == [
        b"SF123456789012", b"YT1234567890123"]


def test_crlf_split_across_two_reads() -> None:
    framer = LineFramer("CRLF")
    assert framer.feed(b"TOTE-HZ-00012\r", 0) == []
    assert framer.feed(b"\nWAVE-7\r", 0) == [b"TOTE-HZ-00012"]
    assert framer.feed(b"\n", 0) == [b"WAVE-7"]


def test_crlf_keeps_a_lone_cr_inside_a_frame() -> None:
    assert LineFramer("CRLF").feed(b"a\rb\r\n", 0) == [b"a\rb"]


@pytest.mark.parametrize(("suffix", "data"), [
    ("CR", b"123\r\n456\r789\r"),
    ("LF", b"123\r\n456\n789\n"),
    ("CRLF", b"123\r\n456\r\n789\r\n"),
])
def test_byte_by_byte_reads_give_the_same_frames(suffix: str, data: bytes) -> None:
    whole = LineFramer(suffix).feed(data, 0)
    assert whole == [b"123", b"456", b"789"]
    assert feed_bytewise(LineFramer(suffix), data) == whole


def test_none_suffix_ends_a_frame_after_the_pause() -> None:
    framer = LineFramer("NONE", timeout_ms=50)
    assert framer.feed(b"690123", 0.000) == []
    assert framer.feed(b"4567892", 0.010) == []
    assert framer.flush(0.030) == []  # 20 ms of quiet is not yet a pause
    assert framer.deadline() == pytest.approx(0.060)
    assert framer.flush(0.061) == [b"6901234567892"]
    assert framer.flush(0.200) == []
    assert framer.deadline() is None


def test_none_suffix_a_read_after_a_pause_ends_the_previous_frame() -> None:
    framer = LineFramer("NONE", timeout_ms=50)
    assert framer.feed(b"AAA", 0.0) == []
    assert framer.feed(b"BBB", 0.5) == [b"AAA"]
    assert framer.pending == b"BBB"


def test_prefix_is_stripped_and_frames_without_it_are_kept() -> None:
    framer = LineFramer("CR", prefix=b"\x02")
    assert framer.feed(b"\x02LOC-HZ-A03-12-2\rTOTE-HZ-00001\r", 0) == [b"LOC-HZ-A03-12-2",
                                                                       b"TOTE-HZ-00001"]
    assert LineFramer("CR", prefix="#").feed(b"#\r#X\r", 0) == [b"X"]  # "#" alone is empty


def test_empty_frames_are_dropped() -> None:
    assert LineFramer("CR").feed(b"\r\r\r\n\r", 0) == []
    assert LineFramer("LF").feed(b"\n\r\n\n", 0) == []


def test_over_long_garbage_is_discarded_and_counted() -> None:
    framer = LineFramer("CR", max_len=8)
    assert framer.feed(b"x" * 20, 0) == []
    assert framer.overlong == 1
    # The rest of the garbage up to the next CR goes too, then framing recovers.
    assert framer.feed(b"yyy\r123\r", 0) == [b"123"]
    assert framer.feed(b"z" * 9 + b"\rok\r", 0) == [b"ok"]
    assert framer.overlong == 2


def test_over_long_without_suffix_is_discarded_until_the_pause() -> None:
    framer = LineFramer("NONE", timeout_ms=50, max_len=8)
    assert framer.feed(b"x" * 10, 0.0) == []
    assert framer.feed(b"more", 0.01) == []
    assert framer.flush(0.2) == []
    assert framer.overlong == 1
    assert framer.feed(b"123", 0.3) == []
    assert framer.flush(0.4) == [b"123"]


def test_a_stale_partial_frame_is_not_glued_to_the_next_scan() -> None:
    framer = LineFramer("CR", stale_ms=1000)
    assert framer.feed(b"69012", 0.0) == []  # cable pulled mid-scan
    assert framer.flush(0.5) == []
    assert framer.pending == b"69012"
    assert framer.flush(1.5) == []
    assert framer.stale == 1
    assert framer.feed(b"PL2611110000123\r", 2.0) == [b"PL2611110000123"]


def test_reset_forgets_a_partial_frame() -> None:
    framer = LineFramer("CR")
    framer.feed(b"half", 0)
    framer.reset()
    assert framer.feed(b"whole\r", 0) == [b"whole"]


@pytest.mark.parametrize("kwargs", [
    {"suffix": "TAB"}, {"timeout_ms": 0}, {"max_len": 0}, {"stale_ms": -1},
])
def test_bad_settings_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        LineFramer(**kwargs)  # type: ignore[arg-type]
