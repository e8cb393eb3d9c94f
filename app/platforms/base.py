"""What the services ask of a platform, whichever it is.

- `WaybillProvider.get` gives one parcel its waybill: the tracking number and the print data the
  platform's print component prints (encrypted data, signature, template). It is idempotent on
  `WaybillRequest.request_id` (`ORDER_NO:BOX`, sent as the platform's object id): asking again
  for the same parcel gives the same number, never a second one.
- `WaybillProvider.cancel` gives a waybill back (a parcel intercepted after packing).
- `ChannelAdapter.orders_modified` reads a shop's orders modified in a time window, a page at a
  time, as intake records (the JSON Lines order format of docs/import.md) plus the status
  changes (balance paid, refund, cancel, address change) as channel events.
- `ChannelAdapter.confirm_shipment` tells the platform a parcel shipped.

Every failure is a `PlatformError` whose `kind` says what the caller does: retry later
(`UNREACHABLE`, `RATE_LIMITED`, `ERROR`), stop and tell a person (`AUTH`, `REFUSED`), or take
it as done (`ALREADY_DONE`: the platform had it already).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol


class PlatformErrorKind(StrEnum):
    UNREACHABLE = "unreachable"  # no answer: refused, timed out, dropped, a 5xx
    RATE_LIMITED = "rate_limited"  # the platform's call limit: retry after `retry_after`
    AUTH = "auth"  # app key, secret, session or signature refused: a person must fix it
    REFUSED = "refused"  # the platform will not do it (order closed, address unserviceable)
    ALREADY_DONE = "already_done"  # it was done before (shipment confirmed already)
    ERROR = "error"  # anything else the platform answered: retried


class PlatformError(Exception):
    def __init__(self, kind: PlatformErrorKind, message: str, *, code: str = "",
                 retry_after: float | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.code = code  # the platform's own error code (sub_code), as it sent it
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        return self.kind in (PlatformErrorKind.UNREACHABLE, PlatformErrorKind.RATE_LIMITED,
                             PlatformErrorKind.ERROR)

    def __str__(self) -> str:
        text = super().__str__()
        return f"{text} ({self.code})" if self.code else text


@dataclass(frozen=True, slots=True)
class Address:
    name: str
    phone: str
    province: str
    city: str
    district: str
    address: str
    # An encrypted receiver: the platform's open address id and ciphertexts (name, phone,
    # address); `name`, `phone`, `address` then hold the masked forms.
    oaid: str | None = None
    cipher: Mapping[str, str] | None = None


@dataclass(frozen=True, slots=True)
class WaybillRequest:
    request_id: str  # "ORDER_NO:BOX": the parcel, the idempotency key
    order_no: str
    channel_order_nos: tuple[str, ...]  # the platform's own order numbers in the parcel
    carrier_code: str  # Packline's carrier code (YTO, ZTO, SF…)
    sender: Address
    receiver: Address
    items: tuple[tuple[str, int], ...]  # (name, units)
    weight_g: int | None = None
    template: str = "76x130"  # the carrier's standard template: 76x130 一联 or 100x180 二联
    # The order's channel (taobao, tmall, pdd…), sent as the e-waybill's order channel type;
    # "" = the shop's own channel (`ShopAccess.channel`).
    channel: str = ""


# The e-waybill services' order channel codes (`order_info.order_channels_type`, the same
# table for Cainiao and Pinduoduo) of the channels Packline knows; any other is OTHERS.
ORDER_CHANNEL_TYPES: Mapping[str, str] = {
    "taobao": "TB", "tmall": "TM", "pdd": "PDD", "jd": "JD", "douyin": "DY",
    "kuaishou": "KS", "xiaohongshu": "XHS",
}


def order_channel_type(channel: str) -> str:
    """A channel as the e-waybill services name it: TB, TM, PDD, JD, DY, KS, XHS or OTHERS."""
    return ORDER_CHANNEL_TYPES.get(channel.strip().lower(), "OTHERS")


_NOT_ID_TEXT = re.compile(r"[^0-9A-Za-z_]")


def package_id(request_id: str) -> str:
    """The parcel's `package_info.id` for the e-waybill services: `ORDERNO_BOX`.

    The services tell the parcels of one trade apart by (trade order list, package id) — the
    same pair gives the same waybill again — so the id names the parcel (order and box), not
    only its box: split siblings of one platform trade share the trade list. The services
    take letters, digits and `_` only and ignore case; an order number holding anything
    else has it written `_` and a short digest of the number appended, so two numbers never
    meet in one id."""
    order_no, _sep, box = request_id.rpartition(":")
    if not _sep:
        order_no, box = request_id, ""
    clean = _NOT_ID_TEXT.sub("_", order_no)
    if clean != order_no or clean.lower() != clean and clean.upper() != clean:
        clean += "_" + hashlib.sha1(order_no.encode("utf-8")).hexdigest()[:8]
    box_text = _NOT_ID_TEXT.sub("_", box)
    return f"{clean}_{box_text}" if box_text else clean


@dataclass(frozen=True, slots=True)
class IssuedWaybill:
    provider: str
    tracking_no: str
    # What the print component prints: {"encryptedData", "signature", "templateURL", "ver"}
    # (Cainiao) or the platform's equivalent, plus "sort": {"route", "sort_code",
    # "package_center"} (大头笔 / 三段码 / 集包地) where the platform gave them.
    print_data: Mapping[str, Any]


class WaybillProvider(Protocol):
    code: str  # "cainiao", "pdd", "douyin"

    def get(self, request: WaybillRequest) -> IssuedWaybill: ...

    def cancel(self, carrier_code: str, tracking_no: str) -> None: ...


@dataclass(frozen=True, slots=True)
class Shipment:
    request_id: str  # idempotency: "CHANNEL_ORDER_NO:TRACKING_NO"
    channel_order_no: str
    sub_order_nos: tuple[str, ...]  # the platform's sub-orders in this parcel; () = all
    carrier_code: str
    tracking_no: str


@dataclass(frozen=True, slots=True)
class PulledOrder:
    record: Mapping[str, Any]  # an order as intake reads it (docs/import.md, JSON Lines)
    modified_at: datetime
    # Status changes read with it, as channel events: {"event_type", "event_key", "payload"}
    # (balance_paid, refund, cancel, address_changed — app/services/channel_events.py).
    events: tuple[Mapping[str, Any], ...] = ()
    # False: the platform has the order shipped or closed already (sent from elsewhere,
    # closed unpaid): its events still count for an order Packline has, but it is not taken
    # in as a new one.
    ship: bool = True


@dataclass(frozen=True, slots=True)
class PullPage:
    orders: tuple[PulledOrder, ...]
    has_next: bool
    total: int | None = None


def page_of(orders: list[PulledOrder], total: object, has_next: object, page_no: int,
            page_size: int) -> PullPage:
    """A page of a window: with the window's total when the platform gave it (`has_next`
    then follows from it unless the platform said), else the platform's own `has_next`."""
    count = int(total) if isinstance(total, int | str) and str(total).isdigit() else None
    more = bool(has_next) if has_next is not None or count is None else \
        page_no * page_size < count
    return PullPage(orders=tuple(orders), has_next=more, total=count)


class ChannelAdapter(Protocol):
    channel: str

    def orders_modified(self, start: datetime, end: datetime, page_no: int,
                        page_size: int) -> PullPage: ...

    def confirm_shipment(self, shipment: Shipment) -> None: ...


@dataclass(frozen=True, slots=True)
class ShopAccess:
    """How Packline reaches one shop's platform. `app_secret` and `session` are secrets: kept
    out of `repr` and every log."""

    shop_code: str
    channel: str
    api_url: str
    app_key: str
    app_secret: str = field(repr=False)
    session: str = field(default="", repr=False)  # the seller's access token
    platform_shop_id: str = ""
    timeout_s: float = 10.0
    shop_name: str = ""  # the shop as orders name it (intake's `shop`); "" = the shop code
