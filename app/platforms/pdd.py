"""Pinduoduo (拼多多) through its open platform.

`PddClient` POSTs a signed form to the shop's gateway (`ShopAccess.api_url`, normally
`https://gw-api.pinduoduo.com/api/router`): `type` (the API), `client_id`, `access_token`,
`timestamp` (unix seconds), `data_type=JSON`, `sign` (app/platforms/signing.py), then the
API's own parameters (objects as JSON text). The answer is `{"<name>_response": {...}}` or
`{"error_response": {error_code, error_msg, sub_code, sub_msg}}`.

- `PddWaybillProvider`: `pdd.waybill.get` / `pdd.waybill.cancel` (拼多多电子面单).
- `PddAdapter`: `pdd.order.number.list.increment.get` (orders updated in a window, at most
  30 minutes per call) and `pdd.logistics.online.send`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx

from app import redact
from app.domain.china_time import CHINA_TZ
from app.platforms.base import (
    IssuedWaybill,
    PlatformError,
    PlatformErrorKind,
    PulledOrder,
    PullPage,
    Shipment,
    ShopAccess,
    WaybillRequest,
    order_channel_type,
    package_id,
    page_of,
)
from app.platforms.http import (
    add_params,
    address_fields,
    post,
    response_of,
    with_retries,
    yuan,
    yuan_text,
)
from app.platforms.http import client as http_client
from app.platforms.signing import pdd_sign

__all__ = [
    "PDD_LAG_S",
    "PDD_LOGISTICS_IDS",
    "PDD_WINDOW_MAX_S",
    "PDD_WP_CODES",
    "PddAdapter",
    "PddClient",
    "PddWaybillProvider",
    "order_to_pulled",
    "pdd_error",
]

# Packline's carrier codes → Pinduoduo's e-waybill company codes (`wp_code`).
PDD_WP_CODES: Mapping[str, str] = {
    "SF": "SF", "JD": "JD", "YTO": "YTO", "ZTO": "ZTO", "STO": "STO", "YD": "YUNDA",
    "EMS": "EMS", "JT": "JTSD", "DBL": "DEPPON",
}
# Packline's carrier codes → Pinduoduo's logistics company ids (`logistics_id` of
# pdd.logistics.online.send, as pdd.logistics.companies.get lists them). A shop whose
# account lists other ids gives its own table to `PddAdapter(logistics_ids=…)`.
PDD_LOGISTICS_IDS: Mapping[str, int] = {
    "STO": 1, "SF": 44, "YTO": 85, "ZTO": 115, "EMS": 118, "JD": 120, "YD": 121,
    "DBL": 131, "JT": 384,
}

PDD_WINDOW_MAX_S = 30 * 60
# pdd.order.number.list.increment.get: an end time no later than 3 minutes before the
# platform's clock, and the pages read from the last to the first, miss no order.
PDD_LAG_S = 3 * 60

_AUTH_CODES = {10016, 10019, 10035, 20004, 20005, 20031, 20032}
_LIMIT_CODES = {70031, 70032, 70033, 70034}


def pdd_error(error: Mapping[str, Any], api: str) -> PlatformError:
    try:
        code = int(error.get("error_code", 0))
    except (TypeError, ValueError):
        code = 0
    sub_code = str(error.get("sub_code") or "")
    text = " ".join(str(x) for x in (error.get("error_msg"), error.get("sub_msg")) if x)
    message = f"{api}: {code} {text}".strip()
    shown = sub_code or str(code)
    if code in _LIMIT_CODES:
        retry = error.get("retry_after")
        return PlatformError(PlatformErrorKind.RATE_LIMITED, message, code=shown,
                             retry_after=float(retry) if isinstance(retry, int | float)
                             else None)
    if code in _AUTH_CODES:
        return PlatformError(PlatformErrorKind.AUTH, message, code=shown)
    if api == "pdd.logistics.online.send" and ("已发货" in text or "重复发货" in text):
        return PlatformError(PlatformErrorKind.ALREADY_DONE, message, code=shown)
    if 50000 <= code < 60000:  # the platform's own trouble: try again later
        return PlatformError(PlatformErrorKind.ERROR, message, code=shown)
    return PlatformError(PlatformErrorKind.REFUSED, message, code=shown)


class PddClient:
    def __init__(self, access: ShopAccess, *, tries: int = 3, wait_s: float = 0.2,
                 transport: httpx.BaseTransport | None = None) -> None:
        redact.remember(access.app_secret)
        redact.remember(access.session)
        self.access = access
        self.tries = tries
        self.wait_s = wait_s
        self.transport = transport

    def close(self) -> None:
        """Nothing held between calls: each call opens and closes its own connection."""

    def form(self, api: str, params: Mapping[str, Any],
             now: datetime | None = None) -> dict[str, str]:
        moment = now or datetime.now(UTC)
        form = {"type": api, "client_id": self.access.app_key,
                "timestamp": str(int(moment.timestamp())), "data_type": "JSON"}
        if self.access.session:
            form["access_token"] = self.access.session
        add_params(form, params)
        form["sign"] = pdd_sign(form, self.access.app_secret)
        return form

    def call(self, api: str, params: Mapping[str, Any]) -> dict[str, Any]:
        def once() -> dict[str, Any]:
            with http_client(self.access.timeout_s, self.transport) as http:
                answer = post(http, self.access.api_url, form=self.form(api, params),
                              what=api)
            return response_of(answer, api, pdd_error)

        return with_retries(once, tries=self.tries, wait_s=self.wait_s)



class PddWaybillProvider:
    code = "pdd"

    def __init__(self, access: ShopAccess, *, client: PddClient | None = None,
                 templates: Mapping[str, str] | None = None) -> None:
        self.access = access
        self.client = client or PddClient(access)
        self.templates = dict(templates or {})

    @staticmethod
    def wp_code(carrier_code: str) -> str:
        try:
            return PDD_WP_CODES[carrier_code.upper()]
        except KeyError:
            raise PlatformError(PlatformErrorKind.REFUSED,
                                f"carrier {carrier_code} has no Pinduoduo waybill code",
                                code="unknown-carrier") from None

    def template_url(self, carrier_code: str, template: str) -> str:
        for key in (f"{carrier_code}:{template}", carrier_code):
            if key in self.templates:
                return self.templates[key]
        return (f"https://file-link.pinduoduo.com/{self.wp_code(carrier_code).lower()}"
                f"_{template}")

    def get_request(self, request: WaybillRequest) -> dict[str, Any]:
        r = request.receiver
        recipient: dict[str, Any] = {"address": address_fields(r), "name": r.name, "mobile": r.phone}
        if r.cipher:  # an encrypted receiver: Pinduoduo takes its own ciphertexts back
            recipient = {"address": {**address_fields(r), "detail": r.cipher.get("address", "")},
                         "name": r.cipher.get("name", ""), "mobile": r.cipher.get("phone", "")}
        if r.oaid:
            recipient["open_address_id"] = r.oaid
        s = request.sender
        package: dict[str, Any] = {
            "id": package_id(request.request_id),
            "items": [{"name": name[:60], "count": units} for name, units in request.items]}
        if request.weight_g:
            package["weight"] = request.weight_g
        return {
            "wp_code": self.wp_code(request.carrier_code),
            "need_encrypt": True,
            "sender": {"address": address_fields(s), "name": s.name, "mobile": s.phone},
            "trade_order_info_dtos": [{
                "object_id": request.request_id,
                "order_info": {"order_channels_type": order_channel_type(
                                   request.channel or self.access.channel or "pdd"),
                               "trade_order_list": list(request.channel_order_nos)
                               or [request.order_no]},
                "package_info": package,
                "recipient": recipient,
                "template_url": self.template_url(request.carrier_code, request.template),
                "user_id": self.access.platform_shop_id or None,
            }],
        }

    def get(self, request: WaybillRequest) -> IssuedWaybill:
        answer = self.client.call("pdd.waybill.get",
                                  {"param_waybill_cloud_print_apply_new_request":
                                   self.get_request(request)})
        for item in answer.get("modules") or ():
            if not isinstance(item, Mapping) or not item.get("waybill_code"):
                continue
            if item.get("object_id") not in (None, request.request_id):
                continue
            raw = item.get("print_data") or "{}"
            try:
                data = json.loads(raw) if isinstance(raw, str) else dict(raw)
            except ValueError:
                raise PlatformError(PlatformErrorKind.ERROR, "pdd.waybill.get: print_data "
                                    "is not JSON", code="bad_answer") from None
            return IssuedWaybill(provider=self.code, tracking_no=str(item["waybill_code"]),
                                 print_data=data)
        raise PlatformError(PlatformErrorKind.ERROR, "pdd.waybill.get: no waybill in the "
                            "answer", code="bad_answer")

    def cancel(self, carrier_code: str, tracking_no: str) -> None:
        answer = self.client.call("pdd.waybill.cancel",
                                  {"wp_code": self.wp_code(carrier_code),
                                   "waybill_code": tracking_no})
        if answer.get("cancel_result") is False:
            raise PlatformError(PlatformErrorKind.REFUSED,
                                f"pdd.waybill.cancel refused {tracking_no}",
                                code="cancel_refused")




def _time(text: object) -> datetime | None:
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        moment = datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    return moment.replace(tzinfo=CHINA_TZ).astimezone(UTC)


def _digest(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


def order_to_pulled(order: Mapping[str, Any], channel: str, shop: str,
                    presale_campaign: str | None = None) -> PulledOrder | None:
    """One Pinduoduo order as an intake record and its status events."""
    sn = str(order.get("order_sn") or "").strip()
    if not sn:
        return None
    paid_at = _time(order.get("pay_time"))
    modified = _time(order.get("updated_at")) or paid_at or datetime.now(UTC)
    lines = []
    goods = Decimal(0)
    for item in order.get("item_list") or ():
        if not isinstance(item, Mapping):
            continue
        sku = str(item.get("outer_id") or item.get("outer_goods_id") or item.get("sku_id")
                  or item.get("goods_id") or "").strip()
        try:
            qty = int(item.get("goods_count") or 0)
        except (TypeError, ValueError):
            qty = 0
        price = yuan(item.get("goods_price"))
        goods += price * qty
        lines.append({"sku": sku, "qty": qty, "price": yuan_text(price)})
    amount = yuan(order.get("pay_amount")) - yuan(order.get("postage"))
    encrypted = bool(order.get("receiver_name_mask") or order.get("open_address_id"))
    if encrypted:
        receiver: dict[str, Any] = {
            "name": order.get("receiver_name_mask") or "",
            "phone": order.get("receiver_phone_mask") or "",
            "address": order.get("receiver_address_mask") or "",
        }
    else:
        receiver = {"name": order.get("receiver_name") or "",
                    "phone": order.get("receiver_phone") or "",
                    "address": order.get("receiver_address") or order.get("address") or ""}
    receiver.update(province=order.get("province") or "", city=order.get("city") or "",
                    district=order.get("town") or "")
    if encrypted:
        if order.get("open_address_id"):
            receiver["oaid"] = str(order["open_address_id"])
        cipher = {k: str(order[src]) for k, src in (("name", "receiver_name"),
                                                    ("phone", "receiver_phone"),
                                                    ("address", "receiver_address"))
                  if order.get(src)}
        if cipher:
            receiver["cipher"] = cipher
    record: dict[str, Any] = {
        "channel": channel, "shop": shop, "channel_order_no": sn, "buyer": "",
        "receiver": receiver, "lines": lines, "amount": yuan_text(amount),
        "discount": yuan_text(goods - amount), "paid_at": paid_at.isoformat() if paid_at else None,
        "remark": " / ".join(str(x) for x in (order.get("buyer_memo"), order.get("remark"))
                             if x)[:1000],
        "presale": None,
    }
    if order.get("open_address_id"):
        record["merge_key"] = str(order["open_address_id"])
    if str(order.get("trade_type") or "0") == "1" and presale_campaign:
        record["presale"] = {"campaign": presale_campaign,
                             "deposit_paid_at": record["paid_at"], "balance_paid_at": None}
    events: list[dict[str, Any]] = []
    refund = str(order.get("refund_status") or "1")
    if refund in ("2", "3", "4"):
        events.append({"event_type": "refund_requested", "event_key": f"{sn}:refund",
                       "payload": {}})
    if refund == "4":
        events.append({"event_type": "cancelled", "event_key": f"{sn}:refunded",
                       "payload": {"at": modified.isoformat()}})
    events.append({"event_type": "address_changed",
                   "event_key": "address:" + _digest(*(
                       receiver.get(k) for k in ("name", "phone", "province", "city",
                                                 "district", "address", "oaid"))),
                   "payload": {"receiver": dict(receiver)}})
    ship = str(order.get("order_status") or "1") == "1" and refund != "4"
    return PulledOrder(record=record, modified_at=modified, events=tuple(events), ship=ship)


class PddAdapter:
    window_max_s = PDD_WINDOW_MAX_S
    # The platform's index trails its writes: a window ends at least 3 minutes before now.
    lag_s = PDD_LAG_S

    def __init__(self, access: ShopAccess, *, client: PddClient | None = None,
                 presale_campaign: str | None = None,
                 logistics_ids: Mapping[str, int] | None = None) -> None:
        self.access = access
        self.channel = access.channel or "pdd"
        self.client = client or PddClient(access)
        self.presale_campaign = presale_campaign
        self.logistics_ids = dict(logistics_ids or PDD_LOGISTICS_IDS)

    def orders_modified(self, start: datetime, end: datetime, page_no: int,
                        page_size: int) -> PullPage:
        answer = self.client.call("pdd.order.number.list.increment.get", {
            "is_lucky_flag": 0,  # every order, drawn (抽奖) or not
            "order_status": 5,  # every status: shipped and closed ones carry events too
            "refund_status": 5,
            "start_updated_at": int(start.timestamp()),
            "end_updated_at": int(end.timestamp()),
            # Without `use_has_next` the answer carries the window's `total_count`: the pull
            # reads it first, then the pages from the last to the first, as the platform
            # advises against missed orders (docs/platforms.md).
            "page": page_no, "page_size": page_size,
        })
        shop = self.access.shop_name or self.access.shop_code
        orders = []
        items = answer.get("order_sn_list") or []
        for raw in items if isinstance(items, Sequence) else ():
            if isinstance(raw, Mapping):
                pulled = order_to_pulled(raw, self.channel, shop, self.presale_campaign)
                if pulled is not None:
                    orders.append(pulled)
        return page_of(orders, answer.get("total_count"), answer.get("has_next"), page_no,
                     page_size)

    def confirm_shipment(self, shipment: Shipment) -> None:
        logistics_id = self.logistics_ids.get(shipment.carrier_code.upper())
        if logistics_id is None:
            raise PlatformError(PlatformErrorKind.REFUSED,
                                f"carrier {shipment.carrier_code} has no Pinduoduo "
                                "logistics id", code="unknown-carrier")
        answer = self.client.call("pdd.logistics.online.send", {
            "order_sn": shipment.channel_order_no, "logistics_id": logistics_id,
            "tracking_number": shipment.tracking_no})
        if answer.get("is_success") is False:
            # `is_success` false is the platform's "失败" answer, not a fault of the way: sent
            # again it fails again, so a person looks at it.
            raise PlatformError(PlatformErrorKind.REFUSED,
                                "pdd.logistics.online.send: not accepted (is_success false)",
                                code="not_success")
