"""Scale protocols (A&D continuous, Toledo 8217) and the settle detector, without any port."""

from __future__ import annotations

import pytest

from drivers.scale import (
    ScaleFrameError,
    StableDetector,
    Weight,
    format_ad,
    format_toledo,
    parse_ad,
    parse_toledo,
)


@pytest.mark.parametrize(("frame", "grams", "stable"), [
    (b"ST,GS,+0001.25kg\r\n", 1250, True),
    (b"US,GS,+0001.31kg\r\n", 1310, False),
    (b"QT,NT,+000123 g\r\n", 123, True),
    (b"ST,+00123.45  g", 123, True),  # one-header form, 123.45 g rounds to 123
    (b"ST,GS,+0000.0005kg", 1, True),  # half a gram rounds up
    (b"ST,NT,-0000.50kg", -500, True),  # net below the tare
    (b"ST,GS,+0002.50lb", 1134, True),  # 2.5 lb = 1133.98 g
    (b"ST,GS,+0010.00oz", 283, True),
    ("ST,GS,+0003.000kg", 3000, True),
])
def test_ad_frames(frame: bytes | str, grams: int, stable: bool) -> None:
    weight = parse_ad(frame)
    assert (weight.grams, weight.stable, weight.motion) == (grams, stable, not stable)
    assert not weight.overload and not weight.underload


def test_ad_overload_and_underload() -> None:
    over = parse_ad(b"OL,GS,+9999999 g\r\n")
    assert (over.overload, over.underload, over.stable, over.grams) == (True, False, False, 0)
    assert parse_ad(b"OL,GS,+99999.9E kg").overload
    under = parse_ad(b"OL,GS,-9999999 g")
    assert (under.overload, under.underload) == (False, True)


@pytest.mark.parametrize(("frame", "code"), [
    (b"", "format"),
    (b"garbage", "format"),
    (b"XX,GS,+0001.25kg", "header"),
    (b"ST,TR,+0001.25kg", "data_type"),
    (b"ST,GS,+000012 PC", "unit"),
    (b"ST,GS,kg", "number"),
    (b"ST,GS,+0001.25", "unit"),
])
def test_ad_frames_that_are_not_readings(frame: bytes, code: str) -> None:
    with pytest.raises(ScaleFrameError) as caught:
        parse_ad(frame)
    assert isinstance(caught.value, ValueError)
    assert caught.value.code == code


@pytest.mark.parametrize("unit", ["kg", "g", "lb"])
@pytest.mark.parametrize("grams", [0, 7, 1250, 29_999, -40])
def test_ad_format_round_trips(unit: str, grams: int) -> None:
    weight = parse_ad(format_ad(grams, unit=unit))
    tolerance = 1 if unit == "lb" else 0  # lb frames carry 3 decimals: ±0.45 g
    assert abs(weight.grams - grams) <= tolerance
    assert weight.stable
    assert not parse_ad(format_ad(grams, stable=False, unit=unit)).stable
    assert parse_ad(format_ad(grams, overload=True, unit=unit)).overload
    assert parse_ad(format_ad(grams, data_type=None, unit=unit)).stable


def test_toledo_weight_replies() -> None:
    assert parse_toledo(b"\x0201.250\r") == Weight(1250, stable=True, raw=b"\x0201.250\r")
    assert parse_toledo(b"01.250") is not None  # STX and CR already stripped by the framer
    assert parse_toledo(b"\x0202.76\r", unit="lb").grams == 1252  # type: ignore[union-attr]
    assert parse_toledo(b"\x0200.500N\r").grams == 500  # type: ignore[union-attr]
    assert parse_toledo(b"\x0201250\r", unit="g").grams == 1250  # type: ignore[union-attr]


@pytest.mark.parametrize(("status", "motion", "over", "under", "stable"), [
    (0x41, True, False, False, False),  # "A": in motion
    (0x42, False, True, False, False),  # "B": over capacity
    (0x44, False, False, True, False),  # "D": under zero
    (0x41 | 0x80, True, False, False, False),  # parity bit set on the wire
    (0x50, False, False, False, True),  # "P": at centre of zero
])
def test_toledo_status_byte(status: int, motion: bool, over: bool, under: bool,
                            stable: bool) -> None:
    weight = parse_toledo(b"\x02?" + bytes([status]) + b"\r")
    assert weight is not None
    assert (weight.motion, weight.overload, weight.underload, weight.stable, weight.grams) == (
        motion, over, under, stable, 0)


def test_toledo_status_without_flags_says_nothing() -> None:
    assert parse_toledo(b"\x02?@\r") is None  # 0x40: only the always-set bit
    assert parse_toledo(b"\x02?`\r") is None  # 0x60: net mode, nothing else


@pytest.mark.parametrize("frame", [b"\x02abc\r", b"\x02?\r", b"\x02?AB\r", b"\x02-1.0\r"])
def test_toledo_garbage(frame: bytes) -> None:
    with pytest.raises(ScaleFrameError):
        parse_toledo(frame)


def test_toledo_format_round_trips() -> None:
    assert parse_toledo(format_toledo(1250)) == Weight(1250, True, raw=b"\x0201.250\r")
    assert parse_toledo(format_toledo(1250, unit="lb"), unit="lb").grams in (1250, 1252)  # type: ignore[union-attr]
    moving = parse_toledo(format_toledo(1250, motion=True))
    assert moving is not None and moving.motion
    over = parse_toledo(format_toledo(0, overload=True))
    assert over is not None and over.overload
    under = parse_toledo(format_toledo(-5))
    assert under is not None and under.underload


def reading(grams: int, stable: bool = True) -> Weight:
    return Weight(grams, stable=stable, motion=not stable)


def test_detector_waits_for_the_window_and_emits_once() -> None:
    detector = StableDetector(window_ms=500, tolerance_g=2)
    assert detector.feed(reading(1250), 0.0) is None
    assert detector.feed(reading(1251), 0.2) is None
    assert detector.feed(reading(1249), 0.4) is None
    settled = detector.feed(reading(1250), 0.5)
    assert settled == reading(1250)
    for i in range(20):  # the parcel stays on the scale
        assert detector.feed(reading(1250 + i % 2), 0.6 + i * 0.1) is None


def test_detector_ignores_unstable_readings_and_restarts_the_window() -> None:
    detector = StableDetector(window_ms=500, tolerance_g=2)
    assert detector.feed(reading(1250), 0.0) is None
    assert detector.feed(reading(1300, stable=False), 0.3) is None  # motion resets
    assert detector.feed(reading(1250), 0.4) is None
    assert detector.feed(reading(1250), 0.8) is None  # only 0.4 s since the motion
    assert detector.feed(reading(1260), 0.9) is None  # beyond tolerance: window restarts
    assert detector.feed(reading(1260), 1.3) is None
    assert detector.feed(reading(1260), 1.4) == reading(1260)


def test_detector_emits_again_on_change_and_after_zero() -> None:
    detector = StableDetector(window_ms=0, tolerance_g=2)
    assert detector.feed(reading(1250), 0.0) == reading(1250)
    assert detector.feed(reading(1252), 0.1) is None  # within tolerance: same settle
    assert detector.feed(reading(2000), 0.2) == reading(2000)  # another parcel
    assert detector.feed(reading(0), 0.3) == reading(0)  # taken off
    assert detector.feed(reading(2000), 0.4) == reading(2000)  # the same parcel, weighed again


def test_detector_does_not_count_overload() -> None:
    detector = StableDetector(window_ms=0)
    assert detector.feed(Weight(0, stable=True, overload=True), 0.0) is None
    assert detector.feed(Weight(0, stable=True, underload=True), 0.0) is None


def test_detector_settings() -> None:
    with pytest.raises(ValueError):
        StableDetector(window_ms=-1)
