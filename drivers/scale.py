"""Parcel scales: the two serial protocols Packline speaks, the debouncer that turns a stream of
readings into one settled weight per parcel, the serial scale device and the simulated one.

Protocols (the URL's `protocol=`):
- `ad`: A&D-style continuous output, one frame per reading, CRLF-terminated:
  `ST,GS,+0001.25kg` (header ST stable, US unstable, OL overload, QT counting/stable; optional
  second header GS gross or NT net; signed number; unit kg, g, lb, oz or ct). The one-header
  form `ST,+00123.45  g` is read too.
- `toledo`: Mettler Toledo 8217 request/response. The host sends `W`; the scale answers
  STX + weight + CR (`\\x0201.250\\r`, trailing `N` for net) when the weight is valid, else
  STX `?` + a status byte + CR. Status bits, after the parity bit is dropped: 0 in motion,
  1 over capacity, 2 under zero, 3 outside zero capture range, 4 at centre of zero, 5 net
  mode, 6 always set. The bare numbers are kg unless the URL says `unit=lb` (or g).

Weights are whole grams, rounded half up.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from drivers.base import (
    DEFAULT_BACKOFF,
    DeviceGone,
    SerialDevice,
    SimulatedDevice,
    StatusCallback,
    StatusReason,
    guarded,
)
from drivers.framing import LineFramer
from drivers.serialio import PortLister, SerialPort
from drivers.urls import DeviceUrl, DeviceUrlError, ScaleProtocol, Suffix

log = logging.getLogger("packline.drivers.scale")

GRAMS_PER_UNIT: dict[str, Decimal] = {
    "g": Decimal(1), "kg": Decimal(1000), "lb": Decimal("453.59237"),
    "oz": Decimal("28.349523125"), "ct": Decimal("0.2"),
}
TOLEDO_REQUEST = b"W"
STX = b"\x02"

# Toledo 8217 status byte bits.
TOLEDO_MOTION = 0x01
TOLEDO_OVER_CAPACITY = 0x02
TOLEDO_UNDER_ZERO = 0x04
TOLEDO_OUTSIDE_ZERO_CAPTURE = 0x08
TOLEDO_CENTER_OF_ZERO = 0x10
TOLEDO_NET = 0x20
TOLEDO_ALWAYS = 0x40


class ScaleFrameError(ValueError):
    """A frame that is not a reading. `code` says why (for counters and the log)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Weight:
    grams: int
    stable: bool
    overload: bool = False
    underload: bool = False
    motion: bool = False
    raw: bytes = b""


WeightCallback = Callable[[Weight], None]

_AD_NUMBER = re.compile(r"^(?P<sign>[+-])?\s*(?P<num>\d+(?:\.\d*)?|\.\d+)?\s*(?P<unit>[A-Za-z]*)$")


def to_grams(amount: Decimal, unit: str) -> int:
    try:
        factor = GRAMS_PER_UNIT[unit.lower()]
    except KeyError:
        raise ScaleFrameError(f"unknown weight unit {unit!r}", "unit") from None
    return int((amount * factor).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_ad(frame: bytes | str) -> Weight:
    """One A&D continuous-output frame (terminator already removed or not) as a Weight.
    Overload frames carry no usable number: grams is 0 and `overload` (or `underload` for a
    negative overload) is set."""
    raw = frame.encode("latin-1") if isinstance(frame, str) else frame
    text = raw.decode("ascii", "replace").strip("\r\n\x00 ")
    fields = [f.strip() for f in text.split(",")]
    if len(fields) not in (2, 3):
        raise ScaleFrameError(f"not an A&D frame: {text!r}", "format")
    header, data = fields[0].upper(), fields[-1]
    if len(fields) == 3 and fields[1].upper() not in ("GS", "NT"):
        raise ScaleFrameError(f"A&D frame with data type {fields[1]!r}", "data_type")
    if header not in ("ST", "US", "OL", "QT"):
        raise ScaleFrameError(f"A&D frame with header {header!r}", "header")
    m = _AD_NUMBER.match(data)
    if header == "OL":
        negative = data.lstrip().startswith("-")
        return Weight(0, stable=False, overload=not negative, underload=negative, raw=raw)
    if not m or m["num"] is None:
        raise ScaleFrameError(f"A&D frame without a number: {text!r}", "number")
    if not m["unit"] or m["unit"].lower() not in GRAMS_PER_UNIT:
        raise ScaleFrameError(f"A&D frame in {m['unit'] or 'no unit'!r}, not a weight",
                              "unit")
    try:
        amount = Decimal(m["num"])
    except InvalidOperation:
        raise ScaleFrameError(f"A&D frame with a bad number: {text!r}", "number") from None
    grams = to_grams(-amount if m["sign"] == "-" else amount, m["unit"])
    stable = header in ("ST", "QT")
    return Weight(grams, stable=stable, motion=not stable, raw=raw)


def parse_toledo(frame: bytes, unit: str = "kg") -> Weight | None:
    """One Toledo 8217 reply (STX … CR, terminator optional). Returns None for a status reply
    that says nothing about the weight (no motion, range or zero flag set)."""
    raw = frame
    body = frame.strip(b"\r\n")
    if body.startswith(STX):
        body = body[1:]
    if body.startswith(b"?"):
        if len(body) != 2:
            raise ScaleFrameError(f"Toledo status reply {frame!r} is not one byte", "status")
        status = body[1] & 0x7F  # bit 7 is parity on a 7-bit line
        motion = bool(status & TOLEDO_MOTION)
        over = bool(status & TOLEDO_OVER_CAPACITY)
        under = bool(status & TOLEDO_UNDER_ZERO)
        if motion or over or under:
            return Weight(0, stable=False, overload=over, underload=under, motion=motion,
                          raw=raw)
        if status & TOLEDO_CENTER_OF_ZERO:
            return Weight(0, stable=True, raw=raw)
        return None
    text = body.decode("ascii", "replace").strip()
    if text.endswith(("N", "n")):
        text = text[:-1]  # net weight marker
    if not re.fullmatch(r"\d+(\.\d+)?|\.\d+", text):
        raise ScaleFrameError(f"Toledo reply {frame!r} is not a weight", "number")
    return Weight(to_grams(Decimal(text), unit), stable=True, raw=raw)


def format_ad(grams: int, *, stable: bool = True, overload: bool = False,
              underload: bool = False, unit: str = "kg", data_type: str | None = "GS") -> bytes:
    """An A&D continuous-output frame, CRLF included: what the emulator (and a real scale)
    sends."""
    header = "OL" if overload or underload else ("ST" if stable else "US")
    if overload or underload:
        number = f"{'-' if underload else '+'}9999999"
        unit_text = " g" if unit == "g" else unit
    else:
        amount = Decimal(grams) / GRAMS_PER_UNIT[unit]
        sign = "-" if grams < 0 else "+"
        if unit == "g":
            number, unit_text = f"{sign}{abs(grams):07d}", " g"
        else:
            number, unit_text = f"{sign}{abs(amount):08.3f}", unit
    fields = [header] + ([data_type] if data_type else []) + [number + unit_text]
    return (",".join(fields) + "\r\n").encode("ascii")


def format_toledo(grams: int, *, motion: bool = False, overload: bool = False,
                  underload: bool = False, unit: str = "kg") -> bytes:
    """A Toledo 8217 reply to `W`: the weight, or the status byte when it is not valid."""
    if motion or overload or underload or grams < 0:
        status = TOLEDO_ALWAYS | (TOLEDO_MOTION if motion else 0) \
            | (TOLEDO_OVER_CAPACITY if overload else 0) \
            | (TOLEDO_UNDER_ZERO if underload or grams < 0 else 0)
        return STX + b"?" + bytes([status]) + b"\r"
    if unit == "lb":
        text = f"{Decimal(grams) / GRAMS_PER_UNIT['lb']:06.2f}"
    elif unit == "g":
        text = f"{grams:05d}"
    else:
        text = f"{Decimal(grams) / 1000:06.3f}"
    return STX + text.encode("ascii") + b"\r"


class StableDetector:
    """Turns readings into settled weights. A reading counts only when the scale calls it
    stable (no motion, overload or underload) and every reading of the last `window_ms` stayed
    within `tolerance_g` of each other. A settled weight is emitted once: not again while it
    stays the same (within tolerance), again when it changes. Zero settles too, so lifting a
    parcel off and putting it back weighs it again."""

    def __init__(self, window_ms: int = 500, tolerance_g: int = 2) -> None:
        if window_ms < 0 or tolerance_g < 0:
            raise ValueError("window_ms and tolerance_g must not be negative")
        self.window = window_ms / 1000
        self.tolerance = tolerance_g
        self._since: float | None = None
        self._low = self._high = 0
        self._emitted: int | None = None

    def reset(self) -> None:
        """Forget everything (the scale was reconnected)."""
        self._since = None
        self._emitted = None

    def feed(self, weight: Weight, now: float) -> Weight | None:
        """Take one reading at `now`; return it when it completes a new settle."""
        if not weight.stable or weight.motion or weight.overload or weight.underload:
            self._since = None
            return None
        grams = weight.grams
        if self._since is None or max(self._high, grams) - min(self._low, grams) > self.tolerance:
            self._since, self._low, self._high = now, grams, grams
        else:
            self._low, self._high = min(self._low, grams), max(self._high, grams)
        if now - self._since < self.window - 1e-9:  # float noise must not cost a reading
            return None
        return self.settled(weight)

    def settled(self, weight: Weight) -> Weight | None:
        """Apply the once-per-settle rule to a weight known to be settled."""
        if self._emitted is not None and abs(weight.grams - self._emitted) <= self.tolerance:
            return None
        self._emitted = weight.grams
        return weight


class NoReply(DeviceGone):
    def __init__(self, detail: str) -> None:
        super().__init__(StatusReason.NO_REPLY, detail)


class SerialScale(SerialDevice):
    """A scale on `url` (`protocol=ad` or `toledo`, default ad). `on_reading` gets every reading
    (live display, overload warnings); `on_weight` gets each settled weight once, just before
    the `on_reading` of the reading that settled it. In toledo
    mode the scale is polled every `poll_ms`; `max_missed` unanswered polls in a row count as
    a disconnect."""

    def __init__(self, url: DeviceUrl | str, on_weight: WeightCallback,
                 on_status: StatusCallback | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 backoff: Sequence[float] = DEFAULT_BACKOFF, *, name: str | None = None,
                 on_reading: WeightCallback | None = None, poll_ms: int = 200,
                 reply_timeout_ms: int = 500, max_missed: int = 3, window_ms: int = 500,
                 tolerance_g: int = 2, port_lister: PortLister | None = None,
                 read_timeout: float = 0.1) -> None:
        parsed = url if isinstance(url, DeviceUrl) else DeviceUrl.parse(url)
        if parsed.unit is not None and parsed.protocol is not ScaleProtocol.TOLEDO:
            raise DeviceUrlError(f"{parsed.name}: unit= is for protocol=toledo only "
                                 "(A&D frames name their unit)", "bad_unit")
        if poll_ms <= 0 or reply_timeout_ms <= 0 or max_missed <= 0:
            raise ValueError("poll_ms, reply_timeout_ms and max_missed must be positive")
        super().__init__(parsed, on_status, name=name, clock=clock, backoff=backoff,
                         port_lister=port_lister, read_timeout=read_timeout)
        self.protocol = parsed.protocol or ScaleProtocol.AD
        self.unit = parsed.unit or "kg"
        self.on_weight = on_weight
        self.on_reading = on_reading
        self.poll = poll_ms / 1000
        self.reply_timeout = reply_timeout_ms / 1000
        self.max_missed = max_missed
        self.detector = StableDetector(window_ms, tolerance_g)
        self.last_reading: Weight | None = None
        self.bad_frames = 0

    def _session(self, port: SerialPort) -> None:
        self.detector.reset()
        if self.protocol is ScaleProtocol.TOLEDO:
            self._poll_toledo(port)
        else:
            self._read_continuous(port)

    def _read_continuous(self, port: SerialPort) -> None:
        framer = LineFramer(self.url.suffix, None, self.url.timeout_ms)
        while not self.stopping:
            waiting = port.in_waiting
            data = port.read(waiting if waiting > 0 else 1)
            now = self.clock()
            for frame in framer.feed(data, now) if data else framer.flush(now):
                try:
                    weight = parse_ad(frame)
                except ScaleFrameError as exc:
                    self.bad_frames += 1
                    log.debug("%s: %s", self.name, exc)
                    continue
                self._take(weight, now)

    def _poll_toledo(self, port: SerialPort) -> None:
        framer = LineFramer(Suffix.CR, STX, self.url.timeout_ms)
        missed = 0
        while not self.stopping:
            asked = self.clock()
            port.write(TOLEDO_REQUEST)
            reply = self._await_reply(port, framer, asked + self.reply_timeout)
            if reply is None:
                if self.stopping:
                    return
                framer.reset()  # half a reply must not glue onto the next one
                missed += 1
                if missed >= self.max_missed:
                    raise NoReply(f"no reply to {missed} weight requests")
            else:
                missed = 0
                try:
                    weight = parse_toledo(reply, self.unit)
                except ScaleFrameError as exc:
                    self.bad_frames += 1
                    log.debug("%s: %s", self.name, exc)
                else:
                    if weight is not None:
                        self._take(weight, self.clock())
            pause = asked + self.poll - self.clock()
            if pause > 0 and self._stop.wait(pause):
                return

    def _await_reply(self, port: SerialPort, framer: LineFramer,
                     deadline: float) -> bytes | None:
        while not self.stopping and self.clock() < deadline:
            waiting = port.in_waiting
            data = port.read(waiting if waiting > 0 else 1)
            if data:
                frames = framer.feed(data, self.clock())
                if frames:
                    return frames[-1]  # a late reply to an earlier request is superseded
        return None

    def _take(self, weight: Weight, now: float) -> None:
        # on_weight first: whoever has seen a reading knows its settle decision was made.
        self.last_reading = weight
        settled = self.detector.feed(weight, now)
        if settled is not None:
            guarded(self.on_weight, settled)
        if self.on_reading is not None:
            guarded(self.on_reading, weight)


class SimulatedScale(SimulatedDevice):
    """The sim:// scale: `set_weight` puts a parcel on it. A stable weight counts as settled
    at once (with the same once-per-settle rule as a real scale)."""

    def __init__(self, url: DeviceUrl | str = "sim://scale",
                 on_weight: WeightCallback | None = None,
                 on_status: StatusCallback | None = None,
                 clock: Callable[[], float] = time.monotonic, *, name: str | None = None,
                 on_reading: WeightCallback | None = None, tolerance_g: int = 2) -> None:
        super().__init__(url, on_status, name=name, clock=clock)
        self.on_weight = on_weight
        self.on_reading = on_reading
        self.detector = StableDetector(0, tolerance_g)

    def set_weight(self, grams: int, stable: bool = True, *, overload: bool = False,
                   underload: bool = False) -> Weight | None:
        """Returns the settled weight delivered to `on_weight`, if this reading made one."""
        if not isinstance(grams, int) or isinstance(grams, bool):
            raise ValueError(f"grams must be a whole number, not {grams!r}")
        if not self.connected:
            return None
        reading = Weight(grams, stable=stable and not (overload or underload), overload=overload,
                         underload=underload, motion=not stable)
        settled = self.detector.feed(reading, self.clock())
        if settled is not None and self.on_weight is not None:
            guarded(self.on_weight, settled)
        if self.on_reading is not None:
            guarded(self.on_reading, reading)
        return settled
