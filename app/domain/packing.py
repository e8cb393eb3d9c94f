"""The pack session (验货/称重/打包) of one order at the packing station, as a pure state machine.

The packing station exists to stop wrong items (错发), missing items (漏发) and double shipments
(重复发货). A session starts from a snapshot of the order (`start`) and moves only by events:
the station writes each event down before it calls `apply`, so after a crash or power cut
`rebuild(order, events)` folds the log back into exactly the state the packer last saw.

Phases::

    verifying ─► weighing ─► labelling ─► packed          (weighing skipped without a scale)
        └──── paused ◄─► (back to where it was) ────┘
    any phase but packed ─► stopped                          (拦截: intercept is final)

Rules of `apply`:

- Every event carries an `event_id` from the caller; an id already accepted is refused
  (`duplicate_event`), so replaying a log twice changes nothing.
- A refused event returns the very same state object with a reason code; it changes nothing.
  Refusals are counted from the outcomes (`refusals`), never in the state, so that "refused"
  and "unchanged" stay one and the same thing.
- `ItemScanned(code, qty)`: the code names a SKU of the order (through `PackLine.barcodes`;
  a case barcode in `units_per_barcode` counts several units). qty × units go to the lines of
  that SKU in line order (first the first line still short), into the current box.
  Refused: a code of no line → `wrong_item`, or `other_order` when the caller listed it as an
  item of another order of the same wave or tote; a SKU already complete → `extra_unit`;
  more units than the SKU still needs → `too_many_units`. A single scan (qty 1) is always
  fine; a typed quantity (qty > 1) only when the SKU still needs more than the
  `qty_prompt_above` of its first short line (a pallet of 24 cups), else `qty_needs_prompt`:
  small quantities are scanned unit by unit, because that is where miscounts hide.
- When every line is complete the current box closes and the phase becomes `weighing`
  (`labelling` when the station has no scale: `scale_required=False`).
- `BoxClosed` (新箱) while verifying closes the current box and opens the next; an empty box
  is refused (`box_empty`).
- `Weighed(grams, box_no)` while weighing: the reading against the box's expected weight
  (SKU weights + `packaging_g` per box) within the session's `Tolerance`; outside it is refused
  (`weight_out_of_range`) and the box stays unweighed. `WeightOverridden(by, reason, box_no,
  grams)` accepts the box anyway and records who and why. All boxes weighed → `labelling`.
- `Labelled(box_no, tracking_no)` while labelling; a box never gets a second tracking number
  (`already_labelled`) and a tracking number serves one box (`tracking_in_use`).
- `Confirmed` once every box is labelled → `packed`. Confirming again: `already_packed`.
- `Paused` / `Resumed` park the session and return to the phase it was in; while paused
  everything but `Resumed` and `Stopped` is refused (`paused`).
- `Stopped(reason)`: the order was intercepted (refund requested, cancelled…): the session is
  over, everything after is refused (`intercepted`). A packed order cannot be stopped
  (`already_packed`); that is a handover matter.

Codes are compared exactly as given: the caller passes `Scan.value` from the barcode parser
and lists the line's barcodes in the same normal form (GTIN-14, upper-cased internal codes).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from types import MappingProxyType
from typing import Final, TypeAlias

from app.domain.weighing import Tolerance, expected_weight

__all__ = [
    "EVENT_TYPES",
    "PACKABLE_STATUSES",
    "Box",
    "BoxClosed",
    "Confirmed",
    "ItemScanned",
    "Labelled",
    "NotPackable",
    "Outcome",
    "PackEvent",
    "PackLine",
    "PackOrder",
    "PackState",
    "PackingError",
    "Paused",
    "Phase",
    "Reason",
    "Resumed",
    "Stopped",
    "WeightOverridden",
    "Weighed",
    "apply",
    "box_expected_g",
    "event_from_dict",
    "event_to_dict",
    "pick_for_single_item",
    "rebuild",
    "refusals",
    "remaining",
    "replay",
    "start",
    "suggest_box",
    "unit_count",
    "unit_count_left",
]


class PackingError(ValueError):
    """Input a pack session cannot be built from: a malformed line, order or event."""


class NotPackable(PackingError):
    """The order cannot start a pack session; `reason` is "already_packed", "not_picked" (in
    a wave, not picked yet) or "not_packable"."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class Phase(StrEnum):
    VERIFYING = "verifying"
    WEIGHING = "weighing"
    LABELLING = "labelling"
    PACKED = "packed"
    PAUSED = "paused"
    STOPPED = "stopped"


class Reason(StrEnum):
    """Why an event was refused; the station turns these codes into words, colour and sound."""

    WRONG_ITEM = "wrong_item"
    OTHER_ORDER = "other_order"
    EXTRA_UNIT = "extra_unit"
    TOO_MANY_UNITS = "too_many_units"
    QTY_NEEDS_PROMPT = "qty_needs_prompt"
    NOT_VERIFYING = "not_verifying"
    BOX_EMPTY = "box_empty"
    NOT_WEIGHING = "not_weighing"
    NO_SUCH_BOX = "no_such_box"
    WEIGHT_OUT_OF_RANGE = "weight_out_of_range"
    NOT_LABELLING = "not_labelling"
    ALREADY_LABELLED = "already_labelled"
    TRACKING_IN_USE = "tracking_in_use"
    INCOMPLETE = "incomplete"
    NOT_WEIGHED = "not_weighed"
    NOT_LABELLED = "not_labelled"
    ALREADY_PACKED = "already_packed"
    INTERCEPTED = "intercepted"
    PAUSED = "paused"
    NOT_PAUSED = "not_paused"
    DUPLICATE_EVENT = "duplicate_event"


# Order statuses a session may start from: picked, by a per-order or single-item wave finished
# or a put-wall slot filled; "packing" covers resuming after a crash. Nothing earlier, since the
# central database takes a confirm only from these (picked → packing → packed).
PACKABLE_STATUSES: Final = frozenset({"picked", "packing"})
# In a wave but not picked yet: the packer is told to have it picked first.
_PICKING_STATUSES: Final = frozenset({"in_wave", "picking"})
_DONE_STATUSES: Final = frozenset({"packed", "shipped"})


def _whole(name: str, value: object, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise PackingError(f"{name} must be a whole number ≥ {minimum}, not {value!r}")
    return value


def _text(name: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise PackingError(f"{name} must be a non-empty text, not {value!r}")
    return value


def _frozen(d: Mapping[int, int]) -> Mapping[int, int]:
    # Read-only views so a state handed to the screen cannot be changed behind the log's back.
    return MappingProxyType(dict(d))


# ---------------------------------------------------------------- the order


@dataclass(frozen=True, kw_only=True)
class PackLine:
    """One order line as the packer verifies it. `barcodes` are every code that means this SKU
    (GTIN-14, internal code…); `units_per_barcode` names the case codes among them and how many
    units one scan of each counts (a code not named counts one)."""

    line_no: int
    sku_id: int
    sku_code: str
    name: str
    qty: int
    barcodes: frozenset[str]
    units_per_barcode: Mapping[str, int] = field(default_factory=dict)
    weight_g: int
    qty_prompt_above: int = 5

    def __post_init__(self) -> None:
        _whole("line_no", self.line_no, 1)
        _whole(f"line {self.line_no} sku_id", self.sku_id, 0)
        _whole(f"line {self.line_no} qty", self.qty, 1)
        _whole(f"line {self.line_no} weight_g", self.weight_g, 0)
        _whole(f"line {self.line_no} qty_prompt_above", self.qty_prompt_above, 1)
        if isinstance(self.barcodes, str):
            raise PackingError(f"line {self.line_no}: barcodes is a set of codes, not one text")
        codes = frozenset(self.barcodes)
        for code in codes:
            _text(f"line {self.line_no} barcode", code)
        if not codes:
            raise PackingError(f"line {self.line_no} ({self.sku_code}) has no barcode; "
                               "it could never be verified")
        units = dict(self.units_per_barcode)
        for code, n in units.items():
            if code not in codes:
                raise PackingError(f"line {self.line_no}: case code {code!r} is not one of "
                                   "its barcodes")
            _whole(f"line {self.line_no} units of {code}", n, 1)
        object.__setattr__(self, "barcodes", codes)
        object.__setattr__(self, "units_per_barcode", MappingProxyType(units))


@dataclass(frozen=True, kw_only=True)
class PackOrder:
    """The snapshot of an order a session packs. `other_orders` maps item codes of the other
    orders in the same wave or tote to their order number, so such a scan is refused as
    `other_order` (and the screen can say whose it is) rather than as a plain wrong item."""

    order_no: str
    order_id: int
    lines: tuple[PackLine, ...]
    carrier_code: str
    packaging_g: int = 30
    intercept: str | None = None
    status: str
    other_orders: Mapping[str, str] = field(default_factory=dict)
    # Indexes built once from `lines`; not part of the order's identity.
    _code_sku: Mapping[str, int] = field(init=False, repr=False, compare=False)
    _code_units: Mapping[str, int] = field(init=False, repr=False, compare=False)
    _sku_lines: Mapping[int, tuple[PackLine, ...]] = field(init=False, repr=False,
                                                          compare=False)

    def __post_init__(self) -> None:
        _text("order_no", self.order_no)
        _whole("order_id", self.order_id, 0)
        _whole("packaging_g", self.packaging_g, 0)
        _text("status", self.status)
        if self.intercept is not None:
            _text("intercept", self.intercept)
        lines = tuple(self.lines)
        if not lines or not all(isinstance(line, PackLine) for line in lines):
            raise PackingError(f"order {self.order_no} needs at least one PackLine")
        seen: set[int] = set()
        code_sku: dict[str, int] = {}
        code_units: dict[str, int] = {}
        sku_lines: dict[int, list[PackLine]] = {}
        for line in sorted(lines, key=lambda ln: ln.line_no):
            if line.line_no in seen:
                raise PackingError(f"order {self.order_no}: line {line.line_no} appears twice")
            seen.add(line.line_no)
            sku_lines.setdefault(line.sku_id, []).append(line)
            for code in line.barcodes:
                units = line.units_per_barcode.get(code, 1)
                if code_sku.setdefault(code, line.sku_id) != line.sku_id:
                    # One code meaning two SKUs would let a wrong item pass as a right one.
                    raise PackingError(f"order {self.order_no}: code {code!r} names both SKU "
                                       f"{code_sku[code]} and SKU {line.sku_id}")
                if code_units.setdefault(code, units) != units:
                    raise PackingError(f"order {self.order_no}: code {code!r} counts "
                                       f"{code_units[code]} units on one line, {units} on another")
        others = dict(self.other_orders)
        for code, other in others.items():
            _text("other order's item code", code)
            _text("other order number", other)
        object.__setattr__(self, "lines", lines)
        object.__setattr__(self, "other_orders", MappingProxyType(others))
        object.__setattr__(self, "_code_sku", MappingProxyType(code_sku))
        object.__setattr__(self, "_code_units", MappingProxyType(code_units))
        object.__setattr__(self, "_sku_lines",
                           MappingProxyType({s: tuple(ls) for s, ls in sku_lines.items()}))

    def line(self, line_no: int) -> PackLine:
        for line in self.lines:
            if line.line_no == line_no:
                return line
        raise PackingError(f"order {self.order_no} has no line {line_no}")

    @property
    def units(self) -> int:
        """Units the order ships."""
        return sum(line.qty for line in self.lines)


# ---------------------------------------------------------------- the state


@dataclass(frozen=True, kw_only=True)
class Box:
    """One box (箱) of the order: {line_no: units} in it, and once weighed and labelled its
    weight and tracking number. An overridden weighing keeps who and why (weight may be None
    when the lead accepted the box without a reading)."""

    box_no: int
    items: Mapping[int, int] = field(default_factory=dict)
    weight_g: int | None = None
    tracking_no: str | None = None
    closed: bool = False
    overridden_by: str | None = None
    override_reason: str | None = None

    @property
    def units(self) -> int:
        return sum(self.items.values())

    @property
    def weighed(self) -> bool:
        return self.weight_g is not None or self.overridden_by is not None


@dataclass(frozen=True, kw_only=True)
class PackState:
    """Where the session of one order stands. `counted` is units verified per line; `boxes`
    always ends with the current box while verifying; `paused_from` is the phase a pause
    returns to; `stop_reason` the intercept that ended the session; `event_ids` the accepted
    events, so none is applied twice."""

    order: PackOrder
    scale_required: bool = True
    tolerance: Tolerance = Tolerance()
    phase: Phase = Phase.VERIFYING
    counted: Mapping[int, int]
    boxes: tuple[Box, ...]
    current_box: int = 1
    paused_from: Phase | None = None
    stop_reason: str | None = None
    event_ids: frozenset[str] = frozenset()

    def box(self, box_no: int) -> Box | None:
        for box in self.boxes:
            if box.box_no == box_no:
                return box
        return None


def start(order: PackOrder, *, scale_required: bool = True,
          tolerance: Tolerance | None = None) -> PackState:
    """The state before the first scan. An intercepted or cancelled order starts `stopped`, so
    the screen shows why and nothing moves; a packed or shipped order, or one not picked yet,
    cannot start (`NotPackable`). Keep `scale_required` and `tolerance` with the log:
    `rebuild` needs the same ones."""
    if not isinstance(order, PackOrder):
        raise PackingError(f"start needs a PackOrder, not {order!r}")
    if order.status in _DONE_STATUSES:
        raise NotPackable("already_packed", f"order {order.order_no} is already {order.status}")
    stop = order.intercept or ("cancelled" if order.status == "cancelled" else None)
    if stop is None and order.status in _PICKING_STATUSES:
        raise NotPackable("not_picked",
                          f"order {order.order_no} is {order.status}, not picked yet")
    if stop is None and order.status not in PACKABLE_STATUSES:
        raise NotPackable("not_packable",
                          f"order {order.order_no} is {order.status}, not ready for packing")
    return PackState(
        order=order, scale_required=bool(scale_required),
        tolerance=Tolerance() if tolerance is None else tolerance,
        phase=Phase.STOPPED if stop else Phase.VERIFYING, stop_reason=stop,
        counted=_frozen({line.line_no: 0 for line in order.lines}),
        boxes=(Box(box_no=1),))


def remaining(state: PackState) -> dict[int, int]:
    """{line_no: units still to verify}; zeros included."""
    return {line.line_no: line.qty - state.counted[line.line_no] for line in state.order.lines}


def unit_count(state: PackState) -> int:
    """Units verified so far."""
    return sum(state.counted.values())


def box_expected_g(state: PackState, box_no: int) -> int:
    """What box `box_no` should weigh: its units' SKU weights plus the order's packaging."""
    box = state.box(box_no)
    if box is None:
        raise PackingError(f"order {state.order.order_no} has no box {box_no}")
    order = state.order
    return expected_weight(((order.line(ln).weight_g, n) for ln, n in box.items.items()),
                           order.packaging_g)


# Cartons by the goods' weight (g), largest last: the packer's hint for which box to take.
# 0 is a mailer bag; other numbers are the standard carton sizes (1号 the largest).
BOX_SIZES: Final = ((300, 0), (800, 9), (1500, 7), (3000, 5), (6000, 3))
_LARGEST_BOX: Final = 1


def suggest_box(order: PackOrder) -> int:
    """The carton to take for the whole order: 0 for a mailer bag (light, at most two
    units), else a standard carton number by the goods' weight."""
    grams = sum(line.weight_g * line.qty for line in order.lines)
    for limit, size in BOX_SIZES:
        if grams <= limit and (size or order.units <= 2):
            return size
    return _LARGEST_BOX


# ---------------------------------------------------------------- events


@dataclass(frozen=True)
class _Event:
    event_id: str

    def __post_init__(self) -> None:
        _text("event_id", self.event_id)


@dataclass(frozen=True)
class ItemScanned(_Event):
    """A product code scanned; `qty` > 1 is a typed quantity of that code."""

    code: str
    qty: int = 1

    def __post_init__(self) -> None:
        super().__post_init__()
        _text("code", self.code)
        _whole("qty", self.qty, 1)


@dataclass(frozen=True)
class BoxClosed(_Event):
    """新箱: the current box is full; close it and open the next."""


@dataclass(frozen=True)
class Weighed(_Event):
    """The scale's stable reading of a box."""

    grams: int
    box_no: int = 1

    def __post_init__(self) -> None:
        super().__post_init__()
        _whole("grams", self.grams, 0)
        _whole("box_no", self.box_no, 1)


@dataclass(frozen=True)
class WeightOverridden(_Event):
    """A lead accepts a box whose weight is out of tolerance (or cannot be weighed);
    `grams` is the reading accepted, None without one."""

    by: str
    reason: str
    box_no: int = 1
    grams: int | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        _text("by", self.by)
        _text("reason", self.reason)
        _whole("box_no", self.box_no, 1)
        if self.grams is not None:
            _whole("grams", self.grams, 0)


@dataclass(frozen=True)
class Labelled(_Event):
    """The box's waybill printed with this tracking number."""

    box_no: int
    tracking_no: str

    def __post_init__(self) -> None:
        super().__post_init__()
        _whole("box_no", self.box_no, 1)
        _text("tracking_no", self.tracking_no)


@dataclass(frozen=True)
class Confirmed(_Event):
    """确认: the order is packed."""


@dataclass(frozen=True)
class Paused(_Event):
    """暂停: the packer steps away; the order stays with the station."""


@dataclass(frozen=True)
class Resumed(_Event):
    pass


@dataclass(frozen=True)
class Stopped(_Event):
    """拦截: the order was intercepted (refund requested, cancelled, address changed)."""

    reason: str

    def __post_init__(self) -> None:
        super().__post_init__()
        _text("reason", self.reason)


PackEvent: TypeAlias = (ItemScanned | BoxClosed | Weighed | WeightOverridden | Labelled
                        | Confirmed | Paused | Resumed | Stopped)

# Names in the persisted log; changing one breaks replay of old logs.
EVENT_TYPES: Final[Mapping[str, type[PackEvent]]] = MappingProxyType({
    "item_scanned": ItemScanned, "box_closed": BoxClosed, "weighed": Weighed,
    "weight_overridden": WeightOverridden, "labelled": Labelled, "confirmed": Confirmed,
    "paused": Paused, "resumed": Resumed, "stopped": Stopped,
})
_TYPE_NAMES: Final = {cls: name for name, cls in EVENT_TYPES.items()}


def event_to_dict(event: PackEvent) -> dict[str, str | int | None]:
    """The event as JSON-ready data: {"type": …, "event_id": …, its fields…}."""
    name = _TYPE_NAMES.get(type(event))
    if name is None:
        raise PackingError(f"{event!r} is not a pack event")
    data: dict[str, str | int | None] = {"type": name}
    for f in fields(event):
        data[f.name] = getattr(event, f.name)
    return data


def event_from_dict(data: Mapping[str, object]) -> PackEvent:
    """The event `event_to_dict` wrote; PackingError for anything else."""
    cls = EVENT_TYPES.get(str(data.get("type")))
    if cls is None:
        raise PackingError(f"unknown pack event type {data.get('type')!r}")
    names = {f.name for f in fields(cls)}
    unknown = set(data) - names - {"type"}
    if unknown:
        raise PackingError(f"{data.get('type')} event has unknown fields {sorted(unknown)}")
    try:
        return cls(**{k: v for k, v in data.items() if k != "type"})  # type: ignore[arg-type]
    except TypeError as exc:  # a required field missing
        raise PackingError(f"{data.get('type')} event: {exc}") from exc


# ---------------------------------------------------------------- apply


@dataclass(frozen=True)
class Outcome:
    """What an event did. Refused: `state` is the state given, `reason` a `Reason` code and
    `message_args` what the message needs. Accepted: the new state; `done_line` is the first
    line this scan completed, `order_complete` is True for the scan that completed the order."""

    state: PackState
    accepted: bool
    reason: str | None = None
    message_args: Mapping[str, str | int] = field(default_factory=dict)
    done_line: int | None = None
    order_complete: bool = False


def _refuse(state: PackState, code: Reason, /, **args: str | int) -> Outcome:
    return Outcome(state=state, accepted=False, reason=code, message_args=args)


def _accept(state: PackState, event: PackEvent, args: Mapping[str, str | int] | None = None,
            **changes: object) -> Outcome:
    new = replace(state, event_ids=state.event_ids | {event.event_id}, **changes)  # type: ignore[arg-type]
    return Outcome(state=new, accepted=True, message_args=dict(args or {}))


def _scan(state: PackState, ev: ItemScanned) -> Outcome:
    if state.phase is not Phase.VERIFYING:
        return _refuse(state, Reason.NOT_VERIFYING, phase=state.phase.value)
    order = state.order
    sku_id = order._code_sku.get(ev.code)
    if sku_id is None:
        other = order.other_orders.get(ev.code)
        if other is not None:
            return _refuse(state, Reason.OTHER_ORDER, code=ev.code, other_order_no=other)
        return _refuse(state, Reason.WRONG_ITEM, code=ev.code)
    lines = order._sku_lines[sku_id]
    short = [line for line in lines if state.counted[line.line_no] < line.qty]
    left = sum(line.qty - state.counted[line.line_no] for line in short)
    sku = {"sku_code": lines[0].sku_code, "name": lines[0].name}
    if not short:
        return _refuse(state, Reason.EXTRA_UNIT, **sku)
    threshold = short[0].qty_prompt_above
    if ev.qty > 1 and left <= threshold:
        return _refuse(state, Reason.QTY_NEEDS_PROMPT, qty=ev.qty, remaining=left,
                       threshold=threshold, **sku)
    units = ev.qty * order._code_units[ev.code]
    if units > left:
        return _refuse(state, Reason.TOO_MANY_UNITS, units=units, remaining=left, **sku)

    counted = dict(state.counted)
    current = state.boxes[-1]
    items = dict(current.items)
    to_go, done_line = units, None
    for line in short:  # fill the first short line, spill into the next of the same SKU
        n = min(to_go, line.qty - counted[line.line_no])
        counted[line.line_no] += n
        items[line.line_no] = items.get(line.line_no, 0) + n
        if counted[line.line_no] == line.qty and done_line is None:
            done_line = line.line_no
        to_go -= n
        if to_go == 0:
            break
    complete = all(counted[line.line_no] == line.qty for line in order.lines)
    box = replace(current, items=_frozen(items), closed=complete)
    changes: dict[str, object] = {"counted": _frozen(counted), "boxes": state.boxes[:-1] + (box,)}
    if complete:
        changes["phase"] = Phase.WEIGHING if state.scale_required else Phase.LABELLING
    out = _accept(state, ev, {"line_no": short[0].line_no, "units": units,
                              "box_no": current.box_no, **sku}, **changes)
    return replace(out, done_line=done_line, order_complete=complete)


def _close_box(state: PackState, ev: BoxClosed) -> Outcome:
    if state.phase is not Phase.VERIFYING:
        return _refuse(state, Reason.NOT_VERIFYING, phase=state.phase.value)
    current = state.boxes[-1]
    if not current.items:
        return _refuse(state, Reason.BOX_EMPTY, box_no=current.box_no)
    nxt = current.box_no + 1
    boxes = state.boxes[:-1] + (replace(current, closed=True), Box(box_no=nxt))
    return _accept(state, ev, {"box_no": current.box_no, "next_box": nxt},
                   boxes=boxes, current_box=nxt)


def _set_box(state: PackState, ev: PackEvent, box: Box,
             args: Mapping[str, str | int]) -> Outcome:
    boxes = tuple(box if b.box_no == box.box_no else b for b in state.boxes)
    changes: dict[str, object] = {"boxes": boxes}
    if all(b.weighed for b in boxes):
        changes["phase"] = Phase.LABELLING
    return _accept(state, ev, args, **changes)


def _weigh(state: PackState, ev: Weighed | WeightOverridden) -> Outcome:
    if state.phase is not Phase.WEIGHING:
        return _refuse(state, Reason.NOT_WEIGHING, phase=state.phase.value)
    box = state.box(ev.box_no)
    if box is None:
        return _refuse(state, Reason.NO_SUCH_BOX, box_no=ev.box_no, boxes=len(state.boxes))
    expected = box_expected_g(state, ev.box_no)
    if isinstance(ev, WeightOverridden):
        args: dict[str, str | int] = {"box_no": box.box_no, "expected_g": expected,
                                      "by": ev.by, "reason": ev.reason}
        if ev.grams is not None:
            args["actual_g"] = ev.grams
        return _set_box(state, ev, replace(box, weight_g=ev.grams, overridden_by=ev.by,
                                           override_reason=ev.reason), args)
    verdict = state.tolerance.check(expected, ev.grams)
    args = {"box_no": box.box_no, "expected_g": expected, "actual_g": ev.grams,
            "deviation_g": verdict.deviation_g, "allowed_g": verdict.allowed_g,
            "verdict": verdict.reason}
    if not verdict.ok:
        return _refuse(state, Reason.WEIGHT_OUT_OF_RANGE, **args)
    # A re-weighing replaces an earlier reading or override of the same box.
    return _set_box(state, ev, replace(box, weight_g=ev.grams, overridden_by=None,
                                       override_reason=None), args)


def _label(state: PackState, ev: Labelled) -> Outcome:
    if state.phase is not Phase.LABELLING:
        return _refuse(state, Reason.NOT_LABELLING, phase=state.phase.value)
    box = state.box(ev.box_no)
    if box is None:
        return _refuse(state, Reason.NO_SUCH_BOX, box_no=ev.box_no, boxes=len(state.boxes))
    if box.tracking_no is not None:
        return _refuse(state, Reason.ALREADY_LABELLED, box_no=box.box_no,
                       tracking_no=box.tracking_no)
    for other in state.boxes:
        if other.tracking_no == ev.tracking_no:
            return _refuse(state, Reason.TRACKING_IN_USE, tracking_no=ev.tracking_no,
                           box_no=other.box_no)
    boxes = tuple(replace(b, tracking_no=ev.tracking_no) if b.box_no == box.box_no else b
                  for b in state.boxes)
    return _accept(state, ev, {"box_no": box.box_no, "tracking_no": ev.tracking_no},
                   boxes=boxes)


def _confirm(state: PackState, ev: Confirmed) -> Outcome:
    if state.phase is Phase.VERIFYING:
        return _refuse(state, Reason.INCOMPLETE, remaining=unit_count_left(state))
    if state.phase is Phase.WEIGHING:
        return _refuse(state, Reason.NOT_WEIGHED, boxes=_box_list(
            b for b in state.boxes if not b.weighed))
    unlabelled = [b for b in state.boxes if b.tracking_no is None]
    if unlabelled:
        return _refuse(state, Reason.NOT_LABELLED, boxes=_box_list(unlabelled))
    return _accept(state, ev, {"boxes": len(state.boxes)}, phase=Phase.PACKED)


def _box_list(boxes: Iterable[Box]) -> str:
    return ",".join(str(b.box_no) for b in boxes)


def unit_count_left(state: PackState) -> int:
    """Units still to verify."""
    return state.order.units - unit_count(state)


def apply(state: PackState, event: PackEvent) -> Outcome:
    """Apply one event (see the module's rules). Never raises for a refused event: bad events
    cannot be built, and a refusal is an `Outcome` with the same state object."""
    if not isinstance(state, PackState):
        raise PackingError(f"apply needs a PackState, not {state!r}")
    if type(event) not in _TYPE_NAMES:
        raise PackingError(f"{event!r} is not a pack event")
    if event.event_id in state.event_ids:
        return _refuse(state, Reason.DUPLICATE_EVENT, event_id=event.event_id)
    if state.phase is Phase.STOPPED:
        return _refuse(state, Reason.INTERCEPTED, reason=state.stop_reason or "")
    if state.phase is Phase.PACKED:
        return _refuse(state, Reason.ALREADY_PACKED, order_no=state.order.order_no)
    if isinstance(event, Stopped):
        return _accept(state, event, {"reason": event.reason}, phase=Phase.STOPPED,
                       stop_reason=event.reason, paused_from=None)
    if isinstance(event, Resumed):
        if state.phase is not Phase.PAUSED or state.paused_from is None:
            return _refuse(state, Reason.NOT_PAUSED, phase=state.phase.value)
        return _accept(state, event, {"phase": state.paused_from.value},
                       phase=state.paused_from, paused_from=None)
    if state.phase is Phase.PAUSED:
        return _refuse(state, Reason.PAUSED)
    if isinstance(event, Paused):
        return _accept(state, event, {"phase": state.phase.value}, phase=Phase.PAUSED,
                       paused_from=state.phase)
    if isinstance(event, ItemScanned):
        return _scan(state, event)
    if isinstance(event, BoxClosed):
        return _close_box(state, event)
    if isinstance(event, Weighed | WeightOverridden):
        return _weigh(state, event)
    if isinstance(event, Labelled):
        return _label(state, event)
    return _confirm(state, event)


def replay(order: PackOrder, events: Iterable[PackEvent], *, scale_required: bool = True,
           tolerance: Tolerance | None = None) -> tuple[PackState, tuple[Outcome, ...]]:
    """Fold the log from `start`: the final state and each event's outcome, in log order."""
    state = start(order, scale_required=scale_required, tolerance=tolerance)
    outcomes = []
    for event in events:
        out = apply(state, event)
        outcomes.append(out)
        state = out.state
    return state, tuple(outcomes)


def rebuild(order: PackOrder, events: Iterable[PackEvent], *, scale_required: bool = True,
            tolerance: Tolerance | None = None) -> PackState:
    """The state after the log: refused events stay in the log and change nothing."""
    return replay(order, events, scale_required=scale_required, tolerance=tolerance)[0]


def refusals(outcomes: Iterable[Outcome]) -> Counter[str]:
    """Refused events by reason code (the station's figures: wrong items caught, …)."""
    return Counter(out.reason for out in outcomes if not out.accepted and out.reason)


# ---------------------------------------------------------------- single-item waves


def pick_for_single_item(orders_needing: Sequence[tuple[str, int, Collection[int]]],
                         sku_id: int) -> str | None:
    """单品 waves: the order one scanned unit of `sku_id` goes to — the highest priority order
    of the wave still waiting that needs the SKU; ties go to the earliest order number.
    `orders_needing` holds (order_no, priority, sku ids) of the wave's orders not yet packed.
    None: no order of the wave needs it (refuse the scan)."""
    best: tuple[int, str] | None = None
    for entry in orders_needing:
        order_no, priority, skus = entry
        _text("order_no", order_no)
        if isinstance(priority, bool) or not isinstance(priority, int):
            raise PackingError(f"order {order_no}: priority must be a whole number, "
                               f"not {priority!r}")
        if sku_id in skus and (best is None or (-priority, order_no) < best):
            best = (-priority, order_no)
    return None if best is None else best[1]
