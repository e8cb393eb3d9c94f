"""Tables of the station store. Ids are UUIDs made on the station, so a job or an event keeps
its identity on its way to the central database and back."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.store.naming import NAMING, one_of
from app.store.types import BigIntType, utc, utc_opt

JOB_STATUSES = ("queued", "sending", "sent", "failed", "cancelled")
NOW = text("CURRENT_TIMESTAMP")


def new_id() -> str:
    return str(uuid.uuid4())


class StationBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON}


class PrintJob(StationBase):
    """One document for one printer, rendered and stored before anything is sent. A job is
    printed once; printing it again is a new job that names it (`reprint_of`) with a reason."""

    __tablename__ = "print_jobs"
    __table_args__ = (
        CheckConstraint(one_of("status", JOB_STATUSES), name="status"),
        Index(None, "status", "printer", "priority", "created_at"),
        Index(None, "created_at"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    created_at: Mapped[utc]
    updated_at: Mapped[utc]
    # The document: what it is, for what, and its bytes in the printer's language.
    kind: Mapped[str] = mapped_column(String(32))
    ref: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(16))
    paper: Mapped[str] = mapped_column(String(16))
    dpi: Mapped[int] = mapped_column(Integer, default=203)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    # The document itself (its type and fields), so a backup printer that speaks another
    # language gets the same document rendered for it, and the screen can preview it.
    doc_type: Mapped[str] = mapped_column(String(32), default="")
    document: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The first print of a document has a key; asking again for the same key gives the same
    # job back instead of a second label. Reprints have none.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    reprint_of: Mapped[str | None] = mapped_column(String(36))
    reason: Mapped[str] = mapped_column(String(200), default="")
    requested_by: Mapped[str] = mapped_column(String(64), default="")
    # Where it goes and how it went.
    requested_printer: Mapped[str] = mapped_column(String(64))
    printer: Mapped[str] = mapped_column(String(64))
    moved_from: Mapped[str | None] = mapped_column(String(64))
    priority: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    resends: Mapped[int] = mapped_column(Integer, default=0)  # sent again after a drop
    last_error: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[utc_opt]


class OutboxEvent(StationBase):
    """A write this station made, on its way to the central database: applied there once (its
    id is the key), in the order written (`seq`)."""

    __tablename__ = "outbox"
    __table_args__ = (Index(None, "pushed_at", "seq"),)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True, default=new_id)
    created_at: Mapped[utc]
    kind: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    pushed_at: Mapped[utc_opt]
    outcome: Mapped[str] = mapped_column(String(16), default="")
    # A conflict's exception category (`app.sync.contract.Outcome`); the detail is last_error.
    category: Mapped[str] = mapped_column(String(64), default="", server_default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")


class PackSession(StationBase):
    """One order on the packing bench: what was fetched to pack it (so it can be finished
    without the central database) and where the packer got to. The events below say how."""

    __tablename__ = "pack_sessions"
    __table_args__ = (
        CheckConstraint(one_of("status", ("open", "paused", "packed", "stopped")),
                        name="status"),
        Index(None, "status", "updated_at"),
        Index(None, "order_no"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    order_no: Mapped[str] = mapped_column(String(32))
    wave_no: Mapped[str] = mapped_column(String(32), default="")
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="open")
    packer: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[utc]
    updated_at: Mapped[utc]


class PackEvent(StationBase):
    """Every scan, weight, box and confirm of a pack session, written before it is acted on;
    replaying them rebuilds the session exactly where it was (after a crash or power cut)."""

    __tablename__ = "pack_events"
    __table_args__ = (Index(None, "session_id", "seq"),)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True, default=new_id)
    session_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    accepted: Mapped[bool] = mapped_column(default=True)
    reason: Mapped[str] = mapped_column(String(64), default="")
    at: Mapped[utc]
    user: Mapped[str] = mapped_column(String(64), default="")


class BenchScan(StationBase):
    """The bench's scan journal: every scan, weight and command card the packing bench is
    given, each with an id. A scan read now (scanner, keyboard, scale) is written here
    `pending` before it is acted on; a scan that already has an id where it is kept (a line of
    a replay script) is written when it is acted on. The row turns `applied` or `refused` in
    the same transaction as the pack events it caused, so a scan fed again with the same id
    (a script re-run after a kill) is recognised and never counted twice, and a `pending` row
    found at start (a crash between reading and acting) is acted on once."""

    __tablename__ = "bench_scans"
    __table_args__ = (
        CheckConstraint(one_of("status", ("pending", "applied", "refused")), name="status"),
        Index(None, "status", "seq"),
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # scan, weigh, command
    value: Mapped[str] = mapped_column(String(200))
    qty: Mapped[int] = mapped_column(Integer, default=1)
    source: Mapped[str] = mapped_column(String(16), default="")  # live, replay
    status: Mapped[str] = mapped_column(String(16), default="pending")
    reason: Mapped[str] = mapped_column(String(64), default="")
    session_id: Mapped[str | None] = mapped_column(String(36))
    user: Mapped[str] = mapped_column(String(64), default="")
    at: Mapped[utc]
    done_at: Mapped[utc_opt]


class StationTracking(StationBase):
    """Tracking numbers the central database gave this station in advance, so labels print
    while the network is down. Each is used once: `used_for` says by which box."""

    # Not "tracking_numbers": the embedded central database shares this file and has one.
    __tablename__ = "station_tracking"
    __table_args__ = (Index(None, "carrier", "used_for"),)
    number: Mapped[str] = mapped_column(String(64), primary_key=True)
    carrier: Mapped[str] = mapped_column(String(32))
    used_for: Mapped[str | None] = mapped_column(String(64), unique=True)
    received_at: Mapped[utc]
    used_at: Mapped[utc_opt]


class CachedOrder(StationBase):
    """Work held by the station: an order of a wave ready to pack, as it was fetched, so the
    bench opens it at once and can pack it while the central database is out of reach."""

    __tablename__ = "cached_orders"
    __table_args__ = (Index(None, "wave_no"),)
    order_no: Mapped[str] = mapped_column(String(32), primary_key=True)
    wave_no: Mapped[str] = mapped_column(String(32), default="")
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    fetched_at: Mapped[utc]


class CachedUser(StationBase):
    """The people who may log in at this station, with their password and PIN hashes (argon2)
    and badge hashes, so a packer can log in while the central database is out of reach."""

    __tablename__ = "cached_users"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(8), default="person", server_default="person")
    password_hash: Mapped[str] = mapped_column(String(200))
    pin_hash: Mapped[str | None] = mapped_column(String(200))
    badge_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    fetched_at: Mapped[utc]


class StationLoginThrottle(StationBase):
    """Failed logins counted while offline, by the same rules as the centre's
    `login_throttle` (named apart: the embedded central database shares this file)."""

    __tablename__ = "station_login_throttle"
    scope: Mapped[str] = mapped_column(String(8), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_at: Mapped[utc_opt]
    retry_after: Mapped[utc_opt]
    locked_until: Mapped[utc_opt]


class CachedSku(StationBase):
    """Reference data the station copies (pulled by change sequence, `app.station.pull`): a
    SKU, so a scan of any known item is named even when it belongs to no order on the bench."""

    __tablename__ = "cached_skus"
    sku_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    spec: Mapped[str] = mapped_column(String(100), default="")
    weight_g: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(default=True)


class CachedBarcode(StationBase):
    __tablename__ = "cached_barcodes"
    __table_args__ = (Index(None, "sku_id"),)
    barcode: Mapped[str] = mapped_column(String(64), primary_key=True)
    sku_id: Mapped[int] = mapped_column(Integer)
    units: Mapped[int] = mapped_column(Integer, default=1)


class CachedCarrier(StationBase):
    __tablename__ = "cached_carriers"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))
    tracking_pattern: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(default=True)


class SyncCursor(StationBase):
    """How far the station has pulled each central table: the next pull asks for the rows at
    or above `cursor` (`app.store.changes`)."""

    __tablename__ = "sync_cursors"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    cursor: Mapped[int] = mapped_column(BigIntType, default=0)
    pulled_at: Mapped[utc]
    rows: Mapped[int] = mapped_column(Integer, default=0)  # rows the last pull brought
