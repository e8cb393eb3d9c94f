"""The one contract between a packing station and the central database.

A station never reads or writes central tables itself. Everything it learns from the centre
and everything it tells it passes through a `CentralLink`, as the frozen messages below:

- read side: the order to pack (`PackSnapshot`), a wave's orders, a single-item wave
  (`SingleItemWave`), the waves ready to pack, an order's status and intercept now
  (`OrderState`), the progress another station left when it paused an order
  (`PausedProgress`), the changes of the copied tables since a cursor (`ChangePage`),
  tracking numbers for the station's own block, a box's platform waybill (`BoxWaybill`);
- write side: the station's events (`PackConfirmed`, `PackPaused`, `PackTakenUp`,
  `AuditNote`), each in an `Envelope` with the id it was given at the station, applied
  once; each answer is an `Outcome`.

Every message is turned into JSON-ready dicts and back here, and nowhere else: the station
keeps snapshots and events in its store as those dicts, and the centre keeps the outcome of
every event it applied as `Outcome.stored()`.

A link that cannot reach the centre raises `LinkDown` — a connection refused, dropped or
timed out, and nothing else. Any other exception is a fault, shown as one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Literal, Protocol, TypeAlias, runtime_checkable

JSON: TypeAlias = dict[str, Any]


class LinkDown(Exception):
    """The central database cannot be reached now (refused, dropped, or too slow to answer
    within the deadline). What the station holds decides meanwhile."""


# ------------------------------------------------------------------ the order to pack


@dataclass(frozen=True, slots=True)
class PrinterReport:
    """One of a station's printers as the station sees it, for the shift lead's dashboard:
    `state` ok, down or unknown (not tried yet); jobs waiting and failed in its queue."""

    role: str
    name: str
    state: str
    waiting: int = 0
    failed: int = 0

    def to_dict(self) -> JSON:
        return {"role": self.role, "name": self.name, "state": self.state,
                "waiting": self.waiting, "failed": self.failed}


@dataclass(frozen=True, slots=True)
class Party:
    name: str = ""
    phone: str = ""
    province: str = ""
    city: str = ""
    district: str = ""
    address: str = ""

    def to_dict(self) -> JSON:
        return {"name": self.name, "phone": self.phone, "province": self.province,
                "city": self.city, "district": self.district, "address": self.address}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Party:
        d = data or {}
        return cls(*(str(d.get(k) or "") for k in ("name", "phone", "province", "city",
                                                    "district", "address")))


@dataclass(frozen=True, slots=True)
class SnapshotLine:
    line_no: int
    sku_id: int
    sku_code: str
    name: str
    qty: int
    weight_g: int
    codes: tuple[tuple[str, int], ...]  # every barcode of the SKU with its units per scan

    def to_dict(self) -> JSON:
        return {"line_no": self.line_no, "sku_id": self.sku_id, "sku_code": self.sku_code,
                "name": self.name, "qty": self.qty, "weight_g": self.weight_g,
                "codes": [[c, u] for c, u in self.codes]}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> SnapshotLine:
        return cls(int(d["line_no"]), int(d["sku_id"]), str(d["sku_code"]), str(d["name"]),
                   int(d["qty"]), int(d.get("weight_g") or 0),
                   tuple((str(c), int(u)) for c, u in d.get("codes") or ()))


@dataclass(frozen=True, slots=True)
class BoxWaybill:
    """A box's waybill issued by the centre: its tracking number, the provider that issued
    it ("pool", "cainiao", "pdd", "douyin") and the print data the platform's print component
    prints (empty for the pool)."""

    box_no: int
    tracking_no: str
    provider: str = "pool"
    print_data: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> JSON:
        return {"box_no": self.box_no, "tracking_no": self.tracking_no,
                "provider": self.provider, "print_data": dict(self.print_data)}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> BoxWaybill:
        return cls(int(d["box_no"]), str(d["tracking_no"]), str(d.get("provider") or "pool"),
                   dict(d.get("print_data") or {}))


@dataclass(frozen=True, slots=True)
class PackSnapshot:
    """An order as a bench packs it: its lines with every code that means their SKU, the
    carrier, receiver and sender for the label, and the warehouse's weighing tolerance. The
    station keeps it (`cached_orders`, `pack_sessions`) as `to_dict()`."""

    order_no: str
    order_id: int
    status: str
    intercept: str | None
    wave_no: str
    priority: int
    carrier_code: str
    carrier_name: str
    lines: tuple[SnapshotLine, ...]
    # Codes of the other orders of the same wave, to say whose an item is when scanned here.
    other_orders: Mapping[str, str]
    receiver: Party
    sender: Party
    remark: str = ""
    is_presale: bool = False
    promised_ship_by: str | None = None  # "MM-DD HH:MM", China time, as the label prints it
    tolerance_g: int = 50
    tolerance_pct: float = 5.0
    # Who issues its waybills: "pool" (the station's own block of numbers) or a platform's
    # e-waybill service, whose waybills the centre issues (`CentralLink.waybill`); those
    # already issued, by box, so a station holding the order prints them offline.
    waybill_provider: str = "pool"
    waybills: tuple[BoxWaybill, ...] = ()
    # A presale order packed before its balance is paid (预打包): sealed and labelled, it
    # goes to the pre-pack shelf and is handed over only once the balance is paid.
    balance_due: bool = False

    def waybill(self, box_no: int) -> BoxWaybill | None:
        return next((w for w in self.waybills if w.box_no == box_no), None)

    def to_dict(self) -> JSON:
        return {"order_no": self.order_no, "order_id": self.order_id, "status": self.status,
                "intercept": self.intercept, "wave_no": self.wave_no,
                "priority": self.priority, "carrier_code": self.carrier_code,
                "carrier_name": self.carrier_name,
                "lines": [ln.to_dict() for ln in self.lines],
                "other_orders": dict(self.other_orders),
                "receiver": self.receiver.to_dict(), "sender": self.sender.to_dict(),
                "remark": self.remark, "is_presale": self.is_presale,
                "promised_ship_by": self.promised_ship_by,
                "tolerance": {"grams": self.tolerance_g, "percent": self.tolerance_pct},
                "waybill_provider": self.waybill_provider,
                "waybills": [w.to_dict() for w in self.waybills],
                "balance_due": self.balance_due}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> PackSnapshot:
        tolerance = d.get("tolerance") or {}
        return cls(order_no=str(d["order_no"]), order_id=int(d["order_id"]),
                   status=str(d.get("status") or ""), intercept=d.get("intercept") or None,
                   wave_no=str(d.get("wave_no") or ""), priority=int(d.get("priority") or 0),
                   carrier_code=str(d.get("carrier_code") or ""),
                   carrier_name=str(d.get("carrier_name") or ""),
                   lines=tuple(SnapshotLine.from_dict(ln) for ln in d.get("lines") or ()),
                   other_orders={str(k): str(v) for k, v in
                                 (d.get("other_orders") or {}).items()},
                   receiver=Party.from_dict(d.get("receiver")),
                   sender=Party.from_dict(d.get("sender")),
                   remark=str(d.get("remark") or ""), is_presale=bool(d.get("is_presale")),
                   promised_ship_by=d.get("promised_ship_by") or None,
                   tolerance_g=int(tolerance.get("grams", 50)),
                   tolerance_pct=float(tolerance.get("percent", 5.0)),
                   waybill_provider=str(d.get("waybill_provider") or "pool"),
                   waybills=tuple(BoxWaybill.from_dict(w) for w in d.get("waybills") or ()),
                   balance_due=bool(d.get("balance_due")))

    def with_state(self, state: OrderState) -> PackSnapshot:
        """The same order with the status and intercept the centre says it has now."""
        from dataclasses import replace

        return replace(self, status=state.status, intercept=state.intercept)


@dataclass(frozen=True, slots=True)
class OrderState:
    """An order's status and intercept as the centre has them now."""

    order_no: str
    status: str
    intercept: str | None


@dataclass(frozen=True, slots=True)
class WaveOrderNeed:
    order_no: str
    priority: int
    sku_ids: frozenset[int]


@dataclass(frozen=True, slots=True)
class SingleItemWave:
    """A picked single-item wave: its orders still to pack, what each needs, and every
    barcode of those SKUs (as stored; the station reads scans against them)."""

    wave_no: str
    total: int  # its orders, packed or not
    orders: tuple[WaveOrderNeed, ...]
    codes: Mapping[str, int]  # barcode → SKU id


@dataclass(frozen=True, slots=True)
class PausedProgress:
    """The steps a station accepted for an order before its packer paused it, kept centrally
    so the next station to open the order takes it up where it stopped."""

    order_no: str
    station: str
    session: str
    packer: str
    events: tuple[JSON, ...]  # `app.domain.packing.event_to_dict` forms
    units: int
    paused_at: datetime


# ------------------------------------------------------------------ changes since a cursor


@dataclass(frozen=True, slots=True)
class SkuRow:
    id: int
    code: str
    name: str
    spec: str | None
    weight_g: int | None
    active: bool


@dataclass(frozen=True, slots=True)
class BarcodeRow:
    id: int
    barcode: str
    sku_id: int
    units: int


@dataclass(frozen=True, slots=True)
class CarrierRow:
    id: int
    code: str
    name: str
    kind: str
    tracking_pattern: str | None
    active: bool


@dataclass(frozen=True, slots=True)
class UserRow:
    """A person as a station needs them to log in offline (hashes only)."""

    id: int
    code: str
    name: str
    role: str
    kind: str
    password_hash: str | None
    pin_hash: str | None
    badge_hash: str | None
    active: bool


@dataclass(frozen=True, slots=True)
class OrderStateRow:
    id: int
    order_no: str
    status: str
    intercept: str | None


ChangedRow: TypeAlias = SkuRow | BarcodeRow | CarrierRow | UserRow | OrderStateRow
COPIED_TABLES = ("skus", "sku_barcodes", "carriers", "users", "orders")


@dataclass(frozen=True, slots=True)
class ChangePage:
    """Rows of one copied table changed at or after a cursor, in (change, id) order.
    `next_after` is where the next page starts; `floor` is the cursor to keep once every page
    was taken (`app.store.changes`)."""

    table: str
    rows: tuple[ChangedRow, ...]
    next_after: tuple[int, int] | None
    floor: int


# ------------------------------------------------------------------ what a station tells


@dataclass(frozen=True, slots=True)
class PackedBox:
    box_no: int
    tracking_no: str
    weight_g: int | None
    expected_g: int
    items: Mapping[int, int]  # line number → units
    override: str | None = None

    def to_dict(self) -> JSON:
        return {"box_no": self.box_no, "tracking_no": self.tracking_no,
                "weight_g": self.weight_g, "expected_g": self.expected_g,
                "items": {str(k): v for k, v in self.items.items()},
                "override": self.override}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> PackedBox:
        if not d.get("tracking_no"):
            raise ValueError(f"box {d.get('box_no')} without its tracking number")
        return cls(int(d["box_no"]), str(d["tracking_no"]),
                   None if d.get("weight_g") is None else int(d["weight_g"]),
                   int(d.get("expected_g") or 0),
                   {int(k): int(v) for k, v in (d.get("items") or {}).items()},
                   d.get("override") or None)


@dataclass(frozen=True, slots=True)
class PackConfirmed:
    """An order packed at a station: its boxes with their tracking numbers and weights."""

    KIND: ClassVar[str] = "pack.confirmed"
    user: str
    order_no: str
    session: str
    boxes: tuple[PackedBox, ...]
    units: int
    refused: Mapping[str, int]  # refused scans by reason, for the packer's figures
    packed_at: datetime | None
    seconds: float | None

    def to_payload(self) -> JSON:
        return {"user": self.user, "order_no": self.order_no, "session": self.session,
                "boxes": [b.to_dict() for b in self.boxes], "units": self.units,
                "refused": dict(self.refused),
                "packed_at": self.packed_at.isoformat() if self.packed_at else None,
                "seconds": self.seconds}

    @classmethod
    def from_payload(cls, p: Mapping[str, Any]) -> PackConfirmed:
        return cls(str(p["user"]), str(p["order_no"]), str(p.get("session") or ""),
                   tuple(PackedBox.from_dict(b) for b in p.get("boxes") or ()),
                   int(p.get("units") or 0),
                   {str(k): int(v) for k, v in (p.get("refused") or {}).items()},
                   datetime.fromisoformat(str(p["packed_at"])) if p.get("packed_at") else None,
                   None if p.get("seconds") is None else float(p["seconds"]))


@dataclass(frozen=True, slots=True)
class PackPaused:
    """An order set aside half-way: its accepted steps, for whichever station takes it up."""

    KIND: ClassVar[str] = "pack.paused"
    user: str
    order_no: str
    session: str
    events: tuple[JSON, ...]
    units: int
    paused_at: datetime

    def to_payload(self) -> JSON:
        return {"user": self.user, "order_no": self.order_no, "session": self.session,
                "events": list(self.events), "units": self.units,
                "paused_at": self.paused_at.isoformat()}

    @classmethod
    def from_payload(cls, p: Mapping[str, Any]) -> PackPaused:
        return cls(str(p["user"]), str(p["order_no"]), str(p.get("session") or ""),
                   tuple(dict(e) for e in p.get("events") or ()), int(p.get("units") or 0),
                   datetime.fromisoformat(str(p["paused_at"])))


@dataclass(frozen=True, slots=True)
class PackTakenUp:
    """A paused order taken up at this station: the centre stops offering that pause."""

    KIND: ClassVar[str] = "pack.taken_up"
    user: str
    order_no: str
    from_session: str
    from_station: str

    def to_payload(self) -> JSON:
        return {"user": self.user, "order_no": self.order_no,
                "from_session": self.from_session, "from_station": self.from_station}

    @classmethod
    def from_payload(cls, p: Mapping[str, Any]) -> PackTakenUp:
        return cls(str(p["user"]), str(p["order_no"]), str(p.get("from_session") or ""),
                   str(p.get("from_station") or ""))


@dataclass(frozen=True, slots=True)
class AuditNote:
    """Something a named person did at the station, for the central audit log."""

    KIND: ClassVar[str] = "audit"
    user: str
    action: str
    entity: str
    entity_id: str
    detail: Mapping[str, Any] = field(default_factory=dict)
    before: Any = None
    after: Any = None

    def to_payload(self) -> JSON:
        payload: JSON = {"user": self.user, "action": self.action, "entity": self.entity,
                         "entity_id": self.entity_id, "detail": dict(self.detail)}
        if self.before is not None:
            payload["before"] = self.before
        if self.after is not None:
            payload["after"] = self.after
        return payload

    @classmethod
    def from_payload(cls, p: Mapping[str, Any]) -> AuditNote:
        for key in ("action", "entity", "entity_id"):
            if not p.get(key):
                raise ValueError(f"audit event without {key}")
        # No user: the station itself (the centre records it under the station's name).
        return cls(str(p.get("user") or ""), str(p["action"]), str(p["entity"]), str(p["entity_id"]),
                   dict(p.get("detail") or {}), p.get("before"), p.get("after"))


StationEvent: TypeAlias = PackConfirmed | PackPaused | PackTakenUp | AuditNote
EVENT_TYPES: dict[str, type[StationEvent]] = {
    t.KIND: t for t in (PackConfirmed, PackPaused, PackTakenUp, AuditNote)}


def event_from_payload(kind: str, payload: Mapping[str, Any]) -> StationEvent:
    """The typed event of an outbox row; ValueError for a kind no station sends or a payload
    that does not make one."""
    cls = EVENT_TYPES.get(kind)
    if cls is None:
        raise ValueError(f"unknown event kind {kind!r}")
    try:
        return cls.from_payload(payload)
    except KeyError as exc:
        raise ValueError(f"a {kind} event without {exc}") from None
    except (TypeError, AttributeError) as exc:
        raise ValueError(f"a {kind} event that makes no sense: {exc}") from None


@dataclass(frozen=True, slots=True)
class Envelope:
    """One event on its way: the id the station gave it (the centre applies an id once) and
    when it was written."""

    id: str
    created_at: datetime
    event: StationEvent

    @property
    def kind(self) -> str:
        return self.event.KIND


OutcomeKind: TypeAlias = Literal["applied", "conflict", "refused"]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the centre did with one event. A conflict names the exception category a shift
    lead resolves it under (e.g. `sync_conflict`, `intercepted_after_pack`), so the station
    can tell its packer in their language."""

    kind: OutcomeKind
    category: str = ""
    detail: str = ""

    SEPARATOR: ClassVar[str] = ": "

    def stored(self) -> str:
        """The outcome's detail as the centre keeps it with the applied event."""
        return f"{self.category}{self.SEPARATOR}{self.detail}" if self.category \
            else self.detail

    @classmethod
    def from_stored(cls, kind: str, stored: str) -> Outcome:
        if kind not in ("applied", "conflict", "refused"):
            raise ValueError(f"unknown outcome {kind!r}")
        category, sep, rest = stored.partition(cls.SEPARATOR)
        if kind == "conflict" and sep and category and " " not in category:
            return cls("conflict", category, rest)
        return cls(kind, "", stored)  # type: ignore[arg-type]


# ------------------------------------------------------------------ the link


@runtime_checkable
class CentralLink(Protocol):
    """How a station reaches the centre. Each call raises `LinkDown` when the centre cannot
    be reached; refusals in words are `ServiceError`s, as from any service."""

    # read side
    def snapshot(self, ref: str) -> PackSnapshot:
        """The order with this order number, platform number or waybill number."""
        ...

    def wave(self, wave_no: str) -> list[PackSnapshot]: ...

    def single_item_wave(self, wave_no: str, packable: frozenset[str]) -> SingleItemWave: ...

    def waves_ready(self, warehouse: str | None, limit: int = 50) -> list[str]:
        """Waves picked or being sorted, newest first (those a packing station holds)."""
        ...

    def order_state(self, order_no: str) -> OrderState | None: ...

    def order_states(self, order_nos: Sequence[str]) -> list[OrderState]: ...

    def paused(self, actor: Any, order_no: str) -> PausedProgress | None:
        """Checked for `actor` holding PACK centrally."""
        ...

    def changes(self, table: str, since: int, warehouse: str | None,
                after: tuple[int, int] | None, limit: int) -> ChangePage: ...

    def floor(self, table: str) -> int: ...

    def active_carriers(self) -> list[str]: ...

    def ping(self) -> None: ...

    # write side
    def allocate_tracking(self, actor: Any, station: str, carrier: str,
                          count: int) -> list[str]: ...

    def waybill(self, actor: Any, station: str, order_no: str, box: int) -> BoxWaybill:
        """Box `box`'s waybill as the centre holds it (a pool number is drawn at once).
        Never a platform call: a platform waybill the centre does not hold yet is asked of
        the engine and answered `ServiceError` `waybill.fetching` (ask again in a moment); a
        box the platform refused is `waybill.refused_for_lead` (the lead has it)."""
        ...

    def apply(self, station: str, events: Sequence[Envelope]) -> dict[str, Outcome]: ...

    def report(self, station: str, pending: int, lag_seconds: float, refused: int,
               last_pushed_at: datetime | None, version: str,
               printers: Sequence[PrinterReport] = ()) -> None: ...

