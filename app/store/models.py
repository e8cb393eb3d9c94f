"""The central schema: everything the order's life, waves, packing and sync touch.

Statuses and categories are strings whose valid values live in `app.domain`; CHECK
constraints built from those enums keep the database honest about them.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from app.domain.roles import Role
from app.domain.status import TERMINAL, OrderStatus
from app.store.naming import NAMING, one_of
from app.store.types import BigIntType, bigpk, code32, intpk, str64, str100, str200, utc, utc_opt


class Base(DeclarativeBase):
    # Every central model maps one table (none maps a join or a select), so `Model.__table__`
    # is a Table wherever bulk writes and core statements take one.
    __table__: ClassVar[Table]
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


NOW = text("CURRENT_TIMESTAMP")


class ChangeTracked:
    """A table stations copy. `change_seq` is written by a trigger on every insert and update
    (`app.store.changes`), never by the application: on PostgreSQL the id of the writing
    transaction, on SQLite the table's next number. A station asks for the rows at or above
    its cursor and catches up with one query per table, however long it was away."""

    change_seq: Mapped[int] = mapped_column(BigIntType, server_default=text("0"), index=True)


# ---------------------------------------------------------------- numbering


class Counter(Base):
    """Named sequences (order numbers per day, wave numbers) that work on SQLite and PostgreSQL."""

    __tablename__ = "counters"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(BigIntType, default=0)


# ---------------------------------------------------------------- places


class Warehouse(Base):
    __tablename__ = "warehouses"
    id: Mapped[intpk]
    code: Mapped[code32] = mapped_column(unique=True)
    name: Mapped[str100]
    province: Mapped[str64]
    city: Mapped[str64]
    district: Mapped[str64]
    address: Mapped[str200]
    phone: Mapped[str] = mapped_column(String(32), default="", server_default="")  # sender's
    region_adcode: Mapped[str | None] = mapped_column(String(6))
    longitude: Mapped[float | None] = mapped_column(Float)
    latitude: Mapped[float | None] = mapped_column(Float)
    daily_capacity: Mapped[int] = mapped_column(Integer, default=20000)
    # Packing tolerance for the weight check, per warehouse.
    weight_tolerance_g: Mapped[int] = mapped_column(Integer, default=50)
    weight_tolerance_pct: Mapped[float] = mapped_column(Float, default=5.0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    zones: Mapped[list[Zone]] = relationship(back_populates="warehouse")


class Zone(Base):
    __tablename__ = "zones"
    __table_args__ = (UniqueConstraint("warehouse_id", "code"),
                      CheckConstraint(one_of("kind", ("pick", "reserve", "dock", "packing")),
                                      name="kind"))
    id: Mapped[intpk]
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), index=True)
    code: Mapped[str] = mapped_column(String(8))
    name: Mapped[str100]
    kind: Mapped[str] = mapped_column(String(16), default="pick")

    warehouse: Mapped[Warehouse] = relationship(back_populates="zones")


class Bin(Base):
    """A storage location; `pick_seq` is its place along the warehouse's walking path."""

    __tablename__ = "bins"
    __table_args__ = (Index(None, "warehouse_id", "pick_seq"),)
    id: Mapped[intpk]
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"), index=True)
    code: Mapped[str64] = mapped_column(unique=True)
    aisle: Mapped[int] = mapped_column(Integer)
    rack: Mapped[int] = mapped_column(Integer)
    level: Mapped[int] = mapped_column(Integer)
    pick_seq: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Tote(Base):
    __tablename__ = "totes"
    __table_args__ = (CheckConstraint(one_of("status", ("free", "in_use")), name="status"),)
    id: Mapped[intpk]
    code: Mapped[str64] = mapped_column(unique=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="free")
    wave_id: Mapped[int | None] = mapped_column(ForeignKey("waves.id"), index=True)


# ---------------------------------------------------------------- goods and stock


class Sku(ChangeTracked, Base):
    __tablename__ = "skus"
    id: Mapped[intpk]
    code: Mapped[str64] = mapped_column(unique=True)
    name: Mapped[str200]
    spec: Mapped[str100] = mapped_column(default="")
    category: Mapped[str64] = mapped_column(default="")
    weight_g: Mapped[int] = mapped_column(Integer)
    length_mm: Mapped[int] = mapped_column(Integer, default=0)
    width_mm: Mapped[int] = mapped_column(Integer, default=0)
    height_mm: Mapped[int] = mapped_column(Integer, default=0)
    price_fen: Mapped[int] = mapped_column(Integer, default=0)
    bulky: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    barcodes: Mapped[list[SkuBarcode]] = relationship(back_populates="sku")


class SkuBarcode(ChangeTracked, Base):
    __tablename__ = "sku_barcodes"
    __table_args__ = (
        CheckConstraint(one_of("kind", ("ean13", "ean8", "upc", "gs1", "internal")), name="kind"),
        CheckConstraint("units > 0", name="units_positive"),
    )
    id: Mapped[intpk]
    sku_id: Mapped[int] = mapped_column(ForeignKey("skus.id"), index=True)
    barcode: Mapped[str64] = mapped_column(unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    # A case barcode counts several units at one scan.
    units: Mapped[int] = mapped_column(Integer, default=1)

    sku: Mapped[Sku] = relationship(back_populates="barcodes")


class Stock(Base):
    """Units of a SKU in a bin; `reserved` are promised to orders and cannot be promised again."""

    __tablename__ = "stock"
    __table_args__ = (
        UniqueConstraint("sku_id", "bin_id"),
        CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
        CheckConstraint("reserved >= 0", name="reserved_not_negative"),
        CheckConstraint("reserved <= on_hand", name="reserved_within_on_hand"),
    )
    id: Mapped[intpk]
    sku_id: Mapped[int] = mapped_column(ForeignKey("skus.id"))
    bin_id: Mapped[int] = mapped_column(ForeignKey("bins.id"), index=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), index=True)
    on_hand: Mapped[int] = mapped_column(Integer, default=0)
    reserved: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[utc] = mapped_column(server_default=NOW)


MOVEMENT_REASONS = ("receive", "reserve", "release", "pick", "ship", "adjust", "putback",
                    "transfer")


class StockMovement(Base):
    """The stock ledger: every change to on-hand or reserved, with its cause."""

    __tablename__ = "stock_movements"
    __table_args__ = (CheckConstraint(one_of("reason", MOVEMENT_REASONS), name="reason"),
                      Index(None, "sku_id", "at"))
    id: Mapped[bigpk]
    at: Mapped[utc] = mapped_column(server_default=NOW)
    sku_id: Mapped[int] = mapped_column(ForeignKey("skus.id"))
    bin_id: Mapped[int] = mapped_column(ForeignKey("bins.id"))
    delta_on_hand: Mapped[int] = mapped_column(Integer, default=0)
    delta_reserved: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str] = mapped_column(String(16))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    wave_id: Mapped[int | None] = mapped_column(ForeignKey("waves.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(String(200), default="")


# ---------------------------------------------------------------- channels, presale


class Channel(Base):
    __tablename__ = "channels"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str100]
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Shop(Base):
    """A shop on a channel. For a platform shop: its code (what `packline channels pull --shop`
    takes), the platform's own id of the seller, the open-API gateway and app key (the app
    secret is kept like the database password: environment or keyring, never in the database
    or a log), whether the engine pulls its orders, which waybill provider serves each carrier
    (`waybill_providers`: carrier code or "*" → provider; empty: the channel's own e-waybill
    service, the self-managed pool for other channels) and when the platform is told a parcel
    shipped (`confirm_on`: handover or packed)."""

    __tablename__ = "shops"
    __table_args__ = (UniqueConstraint("channel", "name"), Index(None, "code", unique=True))
    id: Mapped[intpk]
    channel: Mapped[str] = mapped_column(ForeignKey("channels.code"))
    name: Mapped[str100]
    code: Mapped[str | None] = mapped_column(String(32))
    platform_shop_id: Mapped[str | None] = mapped_column(String(64))
    api_url: Mapped[str | None] = mapped_column(String(300))
    app_key: Mapped[str | None] = mapped_column(String(64))
    pull_enabled: Mapped[bool] = mapped_column(Boolean, default=False,
                                               server_default=text("false"))
    waybill_providers: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    confirm_on: Mapped[str] = mapped_column(String(16), default="handover",
                                            server_default="handover")


class PresaleCampaign(Base):
    """A presale of one SKU. Deposit forms: doubling (deposit_value > deposit), offset,
    balance reduction and quantity tiers; or full payment up front."""

    __tablename__ = "presale_campaigns"
    __table_args__ = (
        CheckConstraint(one_of("kind", ("deposit", "full")), name="kind"),
        CheckConstraint("safety_ratio > 0 AND safety_ratio <= 1", name="safety_ratio"),
        CheckConstraint(one_of("stock_mode", ("pool", "real")), name="stock_mode"),
        CheckConstraint("compensation_fen >= 0", name="compensation_not_negative"),
        CheckConstraint("handling_hours >= 0", name="handling_not_negative"),
    )
    id: Mapped[intpk]
    code: Mapped[str64] = mapped_column(unique=True)
    name: Mapped[str200]
    sku_id: Mapped[int] = mapped_column(ForeignKey("skus.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    price_fen: Mapped[int] = mapped_column(Integer)
    deposit_fen: Mapped[int] = mapped_column(Integer, default=0)
    # What the deposit counts for against the price (定金翻倍: pay 50, counts 100).
    deposit_value_fen: Mapped[int] = mapped_column(Integer, default=0)
    balance_reduction_fen: Mapped[int] = mapped_column(Integer, default=0)
    # [{"min_qty": 2, "reduction_fen": 1000}, ...] — 件数阶梯.
    tiers: Mapped[list[Any]] = mapped_column(default=list)
    starts_at: Mapped[utc]
    ends_at: Mapped[utc]
    balance_starts_at: Mapped[utc_opt]
    balance_ends_at: Mapped[utc_opt]
    ship_by: Mapped[utc]
    supplier_daily_capacity: Mapped[int] = mapped_column(Integer)
    capacity_days: Mapped[int] = mapped_column(Integer)
    safety_ratio: Mapped[float] = mapped_column(Float, default=0.8)
    warned_at: Mapped[utc_opt]
    created_at: Mapped[utc] = mapped_column(server_default=NOW)
    # 'pool': deposits draw on the virtual pool, no real stock (goods still to be made);
    # 'real': 预占真实库存 — the goods are in the warehouse, each deposit reserves real units,
    # and the orders may be picked and packed before the balance is paid (预打包).
    stock_mode: Mapped[str] = mapped_column(String(8), default="pool", server_default="pool")
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id"))
    backup_supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id"))
    # What a buyer is given when the campaign's goods come more than 72 h late (a coupon).
    compensation_fen: Mapped[int] = mapped_column(Integer, default=1000, server_default="1000")
    # From goods in the warehouse (or the balance paid) to the parcel handed to the carrier.
    handling_hours: Mapped[int] = mapped_column(Integer, default=24, server_default="24")


class PresalePool(Base):
    """The campaign's virtual stock, kept apart from spot stock."""

    __tablename__ = "presale_pools"
    __table_args__ = (CheckConstraint("reserved >= 0", name="reserved_not_negative"),)
    id: Mapped[intpk]
    campaign_id: Mapped[int] = mapped_column(ForeignKey("presale_campaigns.id"), unique=True)
    capacity: Mapped[int] = mapped_column(Integer)
    reserved: Mapped[int] = mapped_column(Integer, default=0)


class Supplier(Base):
    """Who makes or delivers a campaign's goods; a campaign names its supplier and a backup."""

    __tablename__ = "suppliers"
    id: Mapped[intpk]
    code: Mapped[str64] = mapped_column(unique=True)
    name: Mapped[str200]
    phone: Mapped[str64] = mapped_column(default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[utc] = mapped_column(server_default=NOW)


class PresaleSupply(Base):
    """One delivery a supplier confirmed for a campaign (its production schedule, line by
    line): `qty` units due on `due_on`, now expected on `expected_on` (later when it slips);
    of them `in_transit_qty` on the road and `arrived_qty` in the warehouse."""

    __tablename__ = "presale_supplies"
    __table_args__ = (
        UniqueConstraint("campaign_id", "supplier_id", "due_on"),
        CheckConstraint("qty >= 0", name="qty_not_negative"),
        CheckConstraint("in_transit_qty >= 0", name="in_transit_not_negative"),
        CheckConstraint("arrived_qty >= 0", name="arrived_not_negative"),
        CheckConstraint(one_of("status", ("planned", "in_transit", "arrived", "cancelled")),
                        name="status"),
    )
    id: Mapped[intpk]
    campaign_id: Mapped[int] = mapped_column(ForeignKey("presale_campaigns.id"), index=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"))
    due_on: Mapped[date] = mapped_column(Date)
    expected_on: Mapped[date] = mapped_column(Date)
    qty: Mapped[int] = mapped_column(Integer)
    in_transit_qty: Mapped[int] = mapped_column(Integer, default=0)
    arrived_qty: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="planned")
    note: Mapped[str200] = mapped_column(default="")
    updated_at: Mapped[utc] = mapped_column(server_default=NOW)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class OrderCompensation(Base):
    """A buyer to be compensated (e.g. a 10-yuan coupon) because the order's goods came late;
    exported for the shop, which gives the coupon on its platform."""

    __tablename__ = "order_compensations"
    __table_args__ = (UniqueConstraint("order_id", "reason"),
                      CheckConstraint("amount_fen >= 0", name="amount_not_negative"))
    id: Mapped[bigpk]
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("presale_campaigns.id"),
                                                    index=True)
    reason: Mapped[code32]
    amount_fen: Mapped[int] = mapped_column(Integer)
    flagged_at: Mapped[utc]
    flagged_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    exported_at: Mapped[utc_opt]


# ---------------------------------------------------------------- carriers


class Carrier(ChangeTracked, Base):
    __tablename__ = "carriers"
    __table_args__ = (CheckConstraint(one_of("kind", ("express", "premium", "freight")),
                                      name="kind"),)
    id: Mapped[intpk]
    code: Mapped[code32] = mapped_column(unique=True)
    name: Mapped[str100]
    kind: Mapped[str] = mapped_column(String(16), default="express")
    tracking_pattern: Mapped[str100]
    # Province adcodes served; null means nationwide.
    coverage: Mapped[list[Any] | None] = mapped_column(JSON)
    max_weight_g: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The carrier's last pick-up of the day at the dock, local "HH:MM" (揽收截止); parcels
    # packed after it leave tomorrow. Null: no cut-off known.
    cutoff: Mapped[str | None] = mapped_column(String(5))


class TrackingNumber(Base):
    """A carrier-issued waybill number; each is used at most once, anywhere."""

    __tablename__ = "tracking_numbers"
    __table_args__ = (
        CheckConstraint(one_of("status", ("free", "allocated", "used", "void")), name="status"),
        Index(None, "carrier_id", "status"),
    )
    id: Mapped[bigpk]
    carrier_id: Mapped[int] = mapped_column(ForeignKey("carriers.id"))
    number: Mapped[str64] = mapped_column(unique=True)
    status: Mapped[str] = mapped_column(String(16), default="free")
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"))
    allocated_at: Mapped[utc_opt]
    used_at: Mapped[utc_opt]


# ---------------------------------------------------------------- orders

EXCEPTION_CATEGORIES = (
    "out_of_stock", "address_invalid", "address_ambiguous", "payment_incomplete",
    "amount_mismatch", "blacklist", "remark_review", "high_value_review",
    "presale_over_capacity", "short_pick", "weight_mismatch", "print_failed",
    "intercepted_after_pack", "sync_conflict", "sku_unknown", "phone_invalid",
    "receiver_incomplete", "qty_invalid", "carrier_unavailable", "shipment_refused",
)
# The hour an order is promised in, as the database keeps it in `ix_orders_live` (a UTC hour
# is a China hour: the offset is whole hours); the dashboard groups by this very expression.
LIVE_HOUR = ("date_bin('01:00:00'::interval, promised_ship_by, "
             "'2000-01-01 00:00:00+00'::timestamp with time zone)")
LIVE_IN = ", ".join(f"'{s.value}'" for s in OrderStatus if s not in TERMINAL)
# What the order engine may claim; the partial index below holds exactly these orders.
CLAIMABLE_STATUSES = (OrderStatus.NEW, OrderStatus.PENDING_REVIEW, OrderStatus.AWAITING_STOCK,
                      OrderStatus.AWAITING_BALANCE)
CLAIMABLE = (f"status IN ({', '.join(repr(s.value) for s in CLAIMABLE_STATUSES)}) "
             "AND intercept IS NULL")
INTERCEPT_REASONS = ("refund_requested", "cancelled", "address_changed")
PRIORITY_BANDS = ("overdue", "due_soon", "presale", "vip", "normal")


class Order(ChangeTracked, Base):
    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("channel", "channel_order_no"),
        CheckConstraint(one_of("status", OrderStatus), name="status"),
        CheckConstraint(one_of("priority_band", PRIORITY_BANDS), name="priority_band"),
        CheckConstraint("amount_fen >= 0 AND discount_fen >= 0 AND goods_fen >= 0",
                        name="money_not_negative"),
        # The list screen sorts and filters in SQL: each sortable column has an index
        # ending in id so that paging is a range scan.
        # Orders are written at 11.11 rates and every routing move rewrites the row, so each
        # index costs on every change: ids stand in for creation time, and the links that
        # most orders lack (exception, parent, merge, wave, campaign) are partial indexes.
        Index(None, "status", "priority", "id"),
        Index(None, "priority", "id"),
        Index(None, "paid_at", "id"),
        Index(None, "promised_ship_by", "id"),
        Index(None, "amount_fen", "id"),
        Index(None, "channel_order_no"),
        Index(None, "receiver_phone"),
        Index(None, "buyer"),
        Index(None, "warehouse_id", "status"),
        *(Index(f"ix_orders_{c}", c, sqlite_where=text(f"{c} IS NOT NULL"),
                postgresql_where=text(f"{c} IS NOT NULL"))
          for c in ("exception", "parent_id", "merged_into_id", "wave_id", "campaign_id")),
        # The dashboard's one pass over the live orders (app.services.dashboard): counted by
        # an index-only scan in the order it groups by, the promised hour computed once, on
        # write. Only live orders are in it, so an order leaves it when it ships and history
        # costs nothing. PostgreSQL only: on SQLite the pass reads the table.
        # The engine's claim (app.services.engine): the orders it may take, walked in id order.
        Index("ix_orders_claimable", "id", sqlite_where=text(CLAIMABLE),
              postgresql_where=text(CLAIMABLE)),
        Index("ix_orders_live", "status", "priority_band", "carrier_id", "is_presale",
              text(LIVE_HOUR), postgresql_include=["promised_ship_by", "campaign_id"],
              postgresql_where=text(f"status IN ({LIVE_IN})")).ddl_if(dialect="postgresql"),
    )
    id: Mapped[bigpk]
    order_no: Mapped[str] = mapped_column(String(32), unique=True)
    channel: Mapped[str] = mapped_column(ForeignKey("channels.code"))
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    channel_order_no: Mapped[str64]
    buyer: Mapped[str100] = mapped_column(default="")
    receiver_name: Mapped[str100]
    receiver_phone: Mapped[str] = mapped_column(String(32))
    province: Mapped[str64]
    city: Mapped[str64]
    district: Mapped[str64]
    address: Mapped[str] = mapped_column(String(300))
    region_adcode: Mapped[str | None] = mapped_column(String(6))
    # A receiver the platform keeps encrypted: receiver_name / receiver_phone / address hold the
    # masked forms the platform shows (张**, 138****8000, 文三路****); the ciphertext and the
    # platform's open address id (OAID) travel to its e-waybill service and print component,
    # never as plaintext. `merge_key`: the platform's key for orders that may ship together.
    receiver_oaid: Mapped[str | None] = mapped_column(String(128))
    # None is SQL NULL (not JSON null), so "has ciphertexts" is `receiver_cipher IS NOT NULL`.
    receiver_cipher: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    merge_key: Mapped[str | None] = mapped_column(String(128))
    goods_fen: Mapped[int] = mapped_column(BigIntType)
    discount_fen: Mapped[int] = mapped_column(BigIntType, default=0)
    amount_fen: Mapped[int] = mapped_column(BigIntType)
    paid_at: Mapped[utc_opt]
    vip_level: Mapped[int] = mapped_column(Integer, default=0)
    remark: Mapped[str] = mapped_column(Text, default="")
    promised_ship_by: Mapped[utc_opt]
    priority: Mapped[int] = mapped_column(Integer, default=0)
    priority_band: Mapped[str] = mapped_column(String(16), default="normal")
    status: Mapped[str] = mapped_column(String(24), default=OrderStatus.NEW.value)
    exception: Mapped[str | None] = mapped_column(String(32))
    intercept: Mapped[str | None] = mapped_column(String(32))
    warehouse_id: Mapped[int | None] = mapped_column(ForeignKey("warehouses.id"))
    carrier_id: Mapped[int | None] = mapped_column(ForeignKey("carriers.id"))
    is_presale: Mapped[bool] = mapped_column(Boolean, default=False)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("presale_campaigns.id"))
    # Units this order holds in its campaign's virtual pool (given back if it is cancelled).
    pool_units: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    wave_id: Mapped[int | None] = mapped_column(ForeignKey("waves.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    line_count: Mapped[int] = mapped_column(Integer)
    unit_count: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[utc] = mapped_column(server_default=NOW)
    updated_at: Mapped[utc] = mapped_column(server_default=NOW)
    status_changed_at: Mapped[utc] = mapped_column(server_default=NOW)
    # Bumped on every change: stations pull what changed since their last sequence.
    version: Mapped[int] = mapped_column(Integer, default=1)

    lines: Mapped[list[OrderLine]] = relationship(back_populates="order",
                                                  order_by="OrderLine.line_no")
    payments: Mapped[list[OrderPayment]] = relationship(order_by="OrderPayment.id")
    packages: Mapped[list[Package]] = relationship(order_by="Package.box_no")


class OrderLine(Base):
    __tablename__ = "order_lines"
    __table_args__ = (
        UniqueConstraint("order_id", "line_no"),
        CheckConstraint("qty > 0", name="qty_positive"),
        CheckConstraint("picked_qty >= 0 AND packed_qty >= 0", name="progress_not_negative"),
        Index(None, "sku_id"),
    )
    id: Mapped[bigpk]
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    line_no: Mapped[int] = mapped_column(Integer)
    # The channel's SKU code is kept as sent; sku_id is null until the code is known.
    sku_code: Mapped[str64]
    sku_id: Mapped[int | None] = mapped_column(ForeignKey("skus.id"))
    qty: Mapped[int] = mapped_column(Integer)
    price_fen: Mapped[int] = mapped_column(BigIntType)
    is_presale: Mapped[bool] = mapped_column(Boolean, default=False)
    picked_qty: Mapped[int] = mapped_column(Integer, default=0)
    packed_qty: Mapped[int] = mapped_column(Integer, default=0)

    order: Mapped[Order] = relationship(back_populates="lines")
    sku: Mapped[Sku | None] = relationship()


class OrderPayment(Base):
    """What the buyer pays and when: one `full` payment, or a presale `deposit` and `balance`."""

    __tablename__ = "order_payments"
    __table_args__ = (
        UniqueConstraint("order_id", "kind"),
        CheckConstraint(one_of("kind", ("full", "deposit", "balance")), name="kind"),
        CheckConstraint(one_of("status", ("pending", "paid", "refunded")), name="status"),
    )
    id: Mapped[bigpk]
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    amount_fen: Mapped[int] = mapped_column(BigIntType, default=0)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    due_at: Mapped[utc_opt]
    paid_at: Mapped[utc_opt]


class OrderException(Base):
    """An entry in the exception queue; `level` is its escalation (0 new, 1–3 by age)."""

    __tablename__ = "order_exceptions"
    __table_args__ = (Index(None, "resolved_at", "raised_at"), Index(None, "order_id"))
    id: Mapped[bigpk]
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    category: Mapped[code32]
    detail: Mapped[str] = mapped_column(String(500), default="")
    raised_at: Mapped[utc] = mapped_column(server_default=NOW)
    raised_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    level: Mapped[int] = mapped_column(Integer, default=0)
    escalated_at: Mapped[utc_opt]
    resolved_at: Mapped[utc_opt]
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolution: Mapped[str] = mapped_column(String(200), default="")


class ChannelEvent(Base):
    """A status event from a channel; the unique key makes a redelivery a no-op."""

    __tablename__ = "channel_events"
    __table_args__ = (UniqueConstraint("channel", "channel_order_no", "event_type", "event_key"),
                      Index(None, "processed_at"))
    id: Mapped[bigpk]
    channel: Mapped[str] = mapped_column(ForeignKey("channels.code"))
    channel_order_no: Mapped[str64]
    event_type: Mapped[code32]
    event_key: Mapped[str100]
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    received_at: Mapped[utc] = mapped_column(server_default=NOW)
    processed_at: Mapped[utc_opt]


# A confirmation `withdrawn` was queued for a parcel whose waybill was then given back (the
# order intercepted before the platform was told): never sent.
SHIPMENT_STATUSES = ("pending", "sending", "sent", "refused", "withdrawn")


class ShipmentConfirmation(Base):
    """Telling a platform that a parcel shipped (发货回传), one row per channel order and
    tracking number: queued in the transaction that hands the parcel over (or packs it, per
    shop), sent by the engine with retries, back-off and a per-shop rate, never twice (the
    unique key; a platform that says "already shipped" counts as sent). A refusal is kept
    (`refused`) and raises an exception for the lead on the order."""

    __tablename__ = "shipment_confirmations"
    __table_args__ = (
        UniqueConstraint("shop_id", "channel_order_no", "tracking_no"),
        CheckConstraint(one_of("status", SHIPMENT_STATUSES), name="status"),
        Index(None, "status", "next_at"),
    )
    id: Mapped[bigpk]
    order_id: Mapped[int] = mapped_column(BigIntType, ForeignKey("orders.id"), index=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    channel: Mapped[str] = mapped_column(ForeignKey("channels.code"))
    channel_order_no: Mapped[str64]
    # The platform's sub-order ids when only part of the channel order ships in this parcel
    # (a split order's child); empty: the whole order.
    sub_order_nos: Mapped[list[Any] | None] = mapped_column(JSON)
    carrier_code: Mapped[code32]
    tracking_no: Mapped[str64]
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_at: Mapped[utc]
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[utc] = mapped_column(server_default=NOW)
    sent_at: Mapped[utc_opt]


class ChannelCursor(Base):
    """How far a shop's orders have been pulled from its platform: the end of the last
    modified-time window read in full. The next pull starts a little before it (overlap), so
    an order modified at the window's edge is never missed; intake is idempotent."""

    __tablename__ = "channel_cursors"
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), primary_key=True,
                                         autoincrement=False)
    pulled_until: Mapped[utc]
    last_run_at: Mapped[utc_opt]
    last_error: Mapped[str] = mapped_column(String(500), default="")
    orders_seen: Mapped[int] = mapped_column(BigIntType, default=0)


class ChannelReject(Base):
    """A pulled order intake refused (a field it cannot take, a channel or presale campaign
    not set up yet), kept so nothing pulled is lost: every pull of the shop tries it again
    first, a newer state of the order read later replaces it, and it is deleted once it is
    taken in. `record` is the order as intake reads it, with its status events and `ship`;
    it may hold the platform's ciphertexts of the receiver, so it is never shown or logged."""

    __tablename__ = "channel_rejects"
    __table_args__ = (UniqueConstraint("shop_id", "channel_order_no"),)
    id: Mapped[bigpk]
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    channel_order_no: Mapped[str64]
    modified_at: Mapped[utc]  # the order's modified time on the platform, as read
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(String(500), default="")  # English, for the log
    reason_code: Mapped[str64] = mapped_column(default="")
    reason_params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    first_seen: Mapped[utc]
    last_tried: Mapped[utc]
    tries: Mapped[int] = mapped_column(Integer, default=1)


class BlacklistEntry(Base):
    __tablename__ = "blacklist"
    __table_args__ = (UniqueConstraint("kind", "value"),
                      CheckConstraint(one_of("kind", ("buyer", "phone", "address")), name="kind"))
    id: Mapped[intpk]
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str200]
    reason: Mapped[str200] = mapped_column(default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[utc] = mapped_column(server_default=NOW)


class ReviewRule(Base):
    """One step of auto review (审单): data a shift lead edits, run in `position` order."""

    __tablename__ = "review_rules"
    id: Mapped[intpk]
    code: Mapped[str64] = mapped_column(unique=True)
    name: Mapped[str100]
    position: Mapped[int] = mapped_column(Integer)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[utc] = mapped_column(server_default=NOW)


# ---------------------------------------------------------------- waves and picking

WAVE_STATUSES = ("released", "picking", "picked", "packing", "done", "cancelled")


class Wave(Base):
    __tablename__ = "waves"
    __table_args__ = (CheckConstraint(one_of("status", WAVE_STATUSES), name="status"),
                      Index(None, "warehouse_id", "status"))
    id: Mapped[intpk]
    wave_no: Mapped[code32] = mapped_column(unique=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    strategy: Mapped[code32]
    status: Mapped[str] = mapped_column(String(16), default="released")
    priority_band: Mapped[str] = mapped_column(String(16), default="normal")
    carrier_id: Mapped[int | None] = mapped_column(ForeignKey("carriers.id"))
    order_count: Mapped[int] = mapped_column(Integer, default=0)
    line_count: Mapped[int] = mapped_column(Integer, default=0)
    unit_count: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    released_at: Mapped[utc] = mapped_column(server_default=NOW)
    picker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    claimed_at: Mapped[utc_opt]
    finished_at: Mapped[utc_opt]
    cancelled_at: Mapped[utc_opt]


class WaveOrder(Base):
    """Membership of an order in a wave; the partial unique index keeps it in one live wave."""

    __tablename__ = "wave_orders"
    __table_args__ = (
        Index("uq_wave_orders_live_order", "order_id", unique=True,
              sqlite_where=text("removed_at IS NULL"),
              postgresql_where=text("removed_at IS NULL")),
        Index(None, "wave_id"),
    )
    id: Mapped[bigpk]
    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id"))
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    # Cart cell / put-wall slot the order is sorted into.
    cell: Mapped[int | None] = mapped_column(Integer)
    removed_at: Mapped[utc_opt]


class PickTask(Base):
    __tablename__ = "pick_tasks"
    __table_args__ = (
        UniqueConstraint("wave_id", "seq"),
        CheckConstraint(one_of("status", ("open", "done", "short", "skipped")), name="status"),
        CheckConstraint("qty > 0 AND picked_qty >= 0 AND picked_qty <= qty", name="qty"),
    )
    id: Mapped[bigpk]
    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id"))
    seq: Mapped[int] = mapped_column(Integer)
    bin_id: Mapped[int] = mapped_column(ForeignKey("bins.id"))
    sku_id: Mapped[int] = mapped_column(ForeignKey("skus.id"))
    qty: Mapped[int] = mapped_column(Integer)
    picked_qty: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="open")
    tote_id: Mapped[int | None] = mapped_column(ForeignKey("totes.id"))
    picked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    picked_at: Mapped[utc_opt]
    # When the picker scanned the task's bin: its item scans count from then on
    # (`app.domain.picking_steps`); cleared when the task is skipped or the wave handed back.
    bin_confirmed_at: Mapped[utc_opt]


class PutbackTask(Base):
    """Units picked for an order that no longer ships (cancelled, refunded, short) go back to
    their bin (放回); the task is done when the bin is scanned."""

    __tablename__ = "putback_tasks"
    __table_args__ = (CheckConstraint(one_of("status", ("open", "done")), name="status"),
                      CheckConstraint("qty > 0", name="qty_positive"),
                      Index(None, "wave_id"), Index(None, "status"))
    id: Mapped[bigpk]
    wave_id: Mapped[int | None] = mapped_column(ForeignKey("waves.id"))
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    sku_id: Mapped[int] = mapped_column(ForeignKey("skus.id"))
    bin_id: Mapped[int] = mapped_column(ForeignKey("bins.id"))
    qty: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[utc]
    done_at: Mapped[utc_opt]
    done_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


# ---------------------------------------------------------------- packing and handover


class Handover(Base):
    """A dock handover (出库交接) of one carrier's parcels, closed with a manifest."""

    __tablename__ = "handovers"
    __table_args__ = (CheckConstraint(one_of("status", ("open", "closed")), name="status"),)
    id: Mapped[intpk]
    handover_no: Mapped[code32] = mapped_column(unique=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    carrier_id: Mapped[int] = mapped_column(ForeignKey("carriers.id"))
    status: Mapped[str] = mapped_column(String(16), default="open")
    parcel_count: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[utc] = mapped_column(server_default=NOW)
    closed_at: Mapped[utc_opt]


class Package(Base):
    """One box of an order, with its own tracking number."""

    __tablename__ = "packages"
    __table_args__ = (
        UniqueConstraint("order_id", "box_no"),
        CheckConstraint(one_of("status", ("open", "labelled", "packed", "handed_over", "void")),
                        name="status"),
        # The dashboard opens the orders packed in an hour.
        Index(None, "packed_at"),
    )
    id: Mapped[bigpk]
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    box_no: Mapped[int] = mapped_column(Integer)
    tracking_no: Mapped[str | None] = mapped_column(String(64), unique=True)
    carrier_id: Mapped[int | None] = mapped_column(ForeignKey("carriers.id"))
    status: Mapped[str] = mapped_column(String(16), default="open")
    weight_g: Mapped[int | None] = mapped_column(Integer)
    expected_weight_g: Mapped[int | None] = mapped_column(Integer)
    packed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"))
    packed_at: Mapped[utc_opt]
    handover_id: Mapped[int | None] = mapped_column(ForeignKey("handovers.id"), index=True)
    created_at: Mapped[utc] = mapped_column(server_default=NOW)
    # Which waybill provider gave the tracking number ("pool": the self-managed pool, else a
    # platform's e-waybill service), the print data it returned (encrypted data, signature,
    # template, sort codes) and when the waybill was cancelled at the provider.
    waybill_provider: Mapped[str] = mapped_column(String(16), default="pool",
                                                  server_default="pool")
    print_data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    waybill_cancelled_at: Mapped[utc_opt]
    # What a platform waybill was issued for: "CARRIER:digest of the receiver" (name, phone,
    # address, OAID, ciphertexts). A waybill that no longer matches its order is never
    # handed out: it is given back and a new one issued.
    waybill_for: Mapped[str | None] = mapped_column(String(80))


class WaybillCancellation(Base):
    """A platform waybill to give back at its provider (a parcel intercepted after packing):
    queued in the transaction that intercepts the order, sent by the engine with retries
    (never a network call inside that transaction); `done` sets the package's
    `waybill_cancelled_at`. One row per package and tracking number (a box whose waybill
    was given back before packing gets a new one, which may be given back in turn)."""

    __tablename__ = "waybill_cancellations"
    __table_args__ = (
        UniqueConstraint("package_id", "tracking_no"),
        CheckConstraint(one_of("status", ("pending", "sending", "done", "refused")),
                        name="status"),
        Index(None, "status", "next_at"),
    )
    id: Mapped[bigpk]
    package_id: Mapped[int] = mapped_column(BigIntType, ForeignKey("packages.id"))
    provider: Mapped[str] = mapped_column(String(16))
    carrier_code: Mapped[code32]
    tracking_no: Mapped[str64]
    reason: Mapped[str] = mapped_column(String(32), default="")
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_at: Mapped[utc]
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[utc] = mapped_column(server_default=NOW)
    done_at: Mapped[utc_opt]


class StationWaybillRequest(Base):
    """A packing station asked for a box's platform waybill the centre did not have yet:
    the engine, which alone holds the shops' secrets, fetches it (requests first, then the
    waybills fetched ahead) and the station finds it at its next ask. One row per box."""

    __tablename__ = "waybill_requests"
    __table_args__ = (UniqueConstraint("order_id", "box_no"),)
    id: Mapped[bigpk]
    order_id: Mapped[int] = mapped_column(BigIntType, ForeignKey("orders.id"))
    box_no: Mapped[int] = mapped_column(Integer)
    requested_at: Mapped[utc]
    station: Mapped[code32]
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class WaybillWait(Base):
    """When the engine may next ask a platform for a box's waybill after a failure
    (unreachable: back-off; refused: a person must act first), so a failing order does not
    take every pass's turn from the others."""

    __tablename__ = "waybill_waits"
    order_id: Mapped[int] = mapped_column(BigIntType, ForeignKey("orders.id"),
                                          primary_key=True, autoincrement=False)
    box_no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_at: Mapped[utc]
    refused: Mapped[bool] = mapped_column(Boolean, default=False)
    last_error: Mapped[str] = mapped_column(String(500), default="")


class PackageItem(Base):
    __tablename__ = "package_items"
    __table_args__ = (UniqueConstraint("package_id", "order_line_id"),
                      CheckConstraint("qty > 0", name="qty_positive"))
    id: Mapped[bigpk]
    package_id: Mapped[int] = mapped_column(ForeignKey("packages.id"))
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"))
    qty: Mapped[int] = mapped_column(Integer)


# ---------------------------------------------------------------- people, stations, audit


class User(ChangeTracked, Base):
    """A person, or a service account that automation acts as (`kind`). Secrets are only ever
    stored hashed: the password and PIN with argon2, the badge and the service token (random
    tokens of 100+ bits, looked up when scanned) with SHA-256."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint(one_of("role", Role), name="role"),
                      CheckConstraint(one_of("kind", ("person", "service")), name="kind"))
    id: Mapped[intpk]
    code: Mapped[code32] = mapped_column(unique=True)
    name: Mapped[str100]
    role: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(8), default="person", server_default="person")
    password_hash: Mapped[str] = mapped_column(String(200))
    pin_hash: Mapped[str | None] = mapped_column(String(200))
    badge_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    badge_issued_at: Mapped[utc_opt]
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    warehouse_id: Mapped[int | None] = mapped_column(ForeignKey("warehouses.id"))
    created_at: Mapped[utc] = mapped_column(server_default=NOW)


class LoginThrottle(Base):
    """Failed logins counted per user and per station: each failure pushes the next attempt
    further out, and too many in a row lock the user (or the station) until a time or an
    admin unlocks it. Kept apart from `users` so a station writes here, never to `users`."""

    __tablename__ = "login_throttle"
    __table_args__ = (CheckConstraint(one_of("scope", ("user", "station")), name="scope"),)
    scope: Mapped[str] = mapped_column(String(8), primary_key=True)
    key: Mapped[str64] = mapped_column(primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_at: Mapped[utc_opt]
    retry_after: Mapped[utc_opt]
    locked_until: Mapped[utc_opt]
    last_login_at: Mapped[utc_opt]


class Station(Base):
    __tablename__ = "stations"
    __table_args__ = (CheckConstraint(one_of("kind", ("packing", "picking", "office", "dock")),
                                      name="kind"),)
    id: Mapped[intpk]
    code: Mapped[code32] = mapped_column(unique=True)
    name: Mapped[str100]
    warehouse_id: Mapped[int | None] = mapped_column(ForeignKey("warehouses.id"))
    kind: Mapped[str] = mapped_column(String(16), default="packing")
    last_seen_at: Mapped[utc_opt]
    app_version: Mapped[str] = mapped_column(String(32), default="")
    # What the station last said about its link (`app.services.stations.report`), for the
    # dashboard: events waiting in its outbox, how old the oldest is, refused ones.
    outbox_pending: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    outbox_lag_s: Mapped[float] = mapped_column(Float, default=0.0, server_default=text("0"))
    outbox_refused: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    last_push_at: Mapped[utc_opt]
    # Its printers as it last said: [{"role", "name", "state", "waiting", "failed"}, ...].
    printers: Mapped[list[Any] | None] = mapped_column(JSON)


class WorkSlot(Base):
    """What one person confirmed in a five-minute slot, by the events' own times: picks
    (units; orders when a wave is finished), packs (orders, units, seconds spent) and parcels
    handed over. Added to as each event is applied, so the floor's rates for the dashboard read
    a few hundred rows, never the day's orders; a station that syncs late adds to the slot it
    worked in. A person only ever adds to their own rows, so packers never wait on each other."""

    __tablename__ = "work_slots"
    __table_args__ = (CheckConstraint(one_of("kind", ("pick", "pack", "ship")), name="kind"),
                      Index(None, "slot_at"))
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    slot_at: Mapped[utc] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True,
                                         autoincrement=False)
    orders: Mapped[int] = mapped_column(Integer, default=0)
    units: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    events: Mapped[int] = mapped_column(Integer, default=0)


class BacklogSummary(Base):
    """The live orders counted by what the dashboard shows them by (status, band, carrier,
    presale, promised hour), as the order engine last counted them, every few seconds: the one
    pass over a million live orders is made once for every dashboard open, not once for each
    refresh of each. One row."""

    __tablename__ = "backlog_summary"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    computed_at: Mapped[utc]
    took_ms: Mapped[float] = mapped_column(Float, default=0.0)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class AuditEntry(Base):
    """Who did what, when, where: before → after. Written in the same transaction as the change."""

    __tablename__ = "audit_log"
    __table_args__ = (Index(None, "entity", "entity_id", "id"), Index(None, "at"))
    id: Mapped[bigpk]
    at: Mapped[utc] = mapped_column(server_default=NOW)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str64]
    station: Mapped[str64] = mapped_column(default="")
    # The operating-system account and machine the action came from (a CLI on an office PC,
    # a station's app): with the person, they answer "who, from where".
    os_user: Mapped[str64] = mapped_column(default="", server_default="")
    host: Mapped[str64] = mapped_column(default="", server_default="")
    action: Mapped[str64]
    entity: Mapped[code32]
    entity_id: Mapped[str64]
    before: Mapped[str | None] = mapped_column(String(200))
    after: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class AppliedEvent(Base):
    """Station events applied centrally: the primary key makes each apply happen once."""

    __tablename__ = "applied_events"
    __table_args__ = (CheckConstraint(one_of("outcome", ("applied", "conflict", "refused")),
                                      name="outcome"),)
    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    station: Mapped[str64]
    kind: Mapped[str64]
    applied_at: Mapped[utc] = mapped_column(server_default=NOW)
    outcome: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(String(500), default="")


class PackProgress(Base):
    """An order a packer paused half-way: the accepted steps of its pack session (scans,
    boxes, weights, labels), so another station can take it up where it was left. Gone once
    the order is taken up elsewhere or confirmed."""

    __tablename__ = "pack_progress"
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), primary_key=True,
                                          autoincrement=False)
    station: Mapped[str64]
    session: Mapped[str] = mapped_column(String(36))
    packer: Mapped[str64]
    events: Mapped[list[Any]] = mapped_column(JSON)
    units: Mapped[int] = mapped_column(Integer, default=0)
    paused_at: Mapped[utc]
