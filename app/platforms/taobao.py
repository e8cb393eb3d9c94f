"""Taobao / Tmall and Cainiao through the Taobao Open Platform (TOP).

`TopClient` POSTs a signed form to the shop's gateway (`ShopAccess.api_url`, normally
`https://eco.taobao.com/router/rest`): the common parameters `method`, `app_key`, `session`,
`timestamp` (China time, `YYYY-MM-DD HH:MM:SS`), `format=json`, `v=2.0`, `sign_method` and
`sign` (app/platforms/signing.py), then the method's own parameters. The answer is
`{"<method>_response": {...}}` or `{"error_response": {code, msg, sub_code, sub_msg}}`.

- `CainiaoWaybillProvider`: `cainiao.waybill.ii.get` / `cainiao.waybill.ii.cancel`.
- `TaobaoAdapter`: `taobao.trades.sold.increment.get` (orders modified in a window) and
  `taobao.logistics.online.send` (the parcel shipped).
"""

from __future__ import annotations

import hashlib
import json
import re
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
from app.platforms.signing import top_sign

__all__ = [
    "CAINIAO_CP_CODES",
    "CainiaoWaybillProvider",
    "TOP_ALREADY_SHIPPED",
    "TOP_WINDOW_MAX_S",
    "TaobaoAdapter",
    "TopClient",
    "china_text",
    "top_error",
    "trade_to_pulled",
]

# Packline's carrier codes → the Cainiao / Taobao logistics company codes (`cp_code` of
# cainiao.waybill.ii.get, `company_code` of taobao.logistics.online.send).
CAINIAO_CP_CODES: Mapping[str, str] = {
    "SF": "SF",        # 顺丰速运
    "JD": "JD",        # 京东物流
    "YTO": "YTO",      # 圆通速递
    "ZTO": "ZTO",      # 中通快递
    "STO": "STO",      # 申通快递
    "YD": "YUNDA",     # 韵达快递
    "EMS": "EMS",      # 中国邮政 EMS
    "JT": "JTSD",      # 极兔速递
    "DBL": "DBKD",     # 德邦快递
}

# taobao.trades.sold.increment.get reads at most one day per call.
TOP_WINDOW_MAX_S = 24 * 3600

# Sub-codes of taobao.logistics.online.send meaning "this trade has shipped already".
TOP_ALREADY_SHIPPED = frozenset({
    "isv.logistics-online-service-error:B04",
    "isv.logistics-online-service-error:B150",
    "isv.logistics-online-service-error:P38",
})

_AUTH_CODES = {11, 12, 25, 26, 27, 28, 29, 53}
_BAN = re.compile(r"(\d+)\s*more\s*seconds?", re.IGNORECASE)

TRADE_FIELDS = (
    "tid,type,status,step_trade_status,step_paid_fee,modified,created,pay_time,buyer_nick,"
    "buyer_open_uid,buyer_message,seller_memo,payment,post_fee,discount_fee,total_fee,"
    "receiver_name,receiver_mobile,receiver_phone,receiver_state,receiver_city,"
    "receiver_district,receiver_town,receiver_address,oaid,timeout_action_time,"
    "orders.oid,orders.num_iid,orders.sku_id,orders.outer_iid,orders.outer_sku_id,"
    "orders.title,orders.num,orders.price,orders.payment,orders.refund_status,orders.status"
)


def china_text(moment: datetime) -> str:
    """A moment as TOP writes times: China time, `YYYY-MM-DD HH:MM:SS`."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M:%S")


def _china_time(text: object) -> datetime | None:
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        moment = datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    return moment.replace(tzinfo=CHINA_TZ).astimezone(UTC)


def top_error(error: Mapping[str, Any], method: str) -> PlatformError:
    """TOP's `error_response` as the PlatformError the caller acts on."""
    try:
        code = int(error.get("code", 0))
    except (TypeError, ValueError):
        code = 0
    sub_code = str(error.get("sub_code") or "")
    text = " ".join(str(x) for x in (error.get("msg"), error.get("sub_msg")) if x)
    message = f"{method}: {code} {text}".strip()
    shown = sub_code or str(code)
    lower = sub_code.lower()
    if code == 7 or lower.startswith("accesscontrol.limited") or "call-limited" in lower:
        found = _BAN.search(str(error.get("sub_msg") or "")) or _BAN.search(
            str(error.get("msg") or ""))
        return PlatformError(PlatformErrorKind.RATE_LIMITED, message, code=shown,
                             retry_after=float(found.group(1)) if found else None)
    if (code in _AUTH_CODES or "session" in lower or "signature" in lower
            or lower.startswith("isv.appkey") or lower.startswith("invalid-")):
        return PlatformError(PlatformErrorKind.AUTH, message, code=shown)
    if sub_code in TOP_ALREADY_SHIPPED or (method.startswith("taobao.logistics")
                                           and "已发货" in text):
        return PlatformError(PlatformErrorKind.ALREADY_DONE, message, code=shown)
    if lower.startswith("isv."):
        return PlatformError(PlatformErrorKind.REFUSED, message, code=shown)
    return PlatformError(PlatformErrorKind.ERROR, message, code=shown)


class TopClient:
    """Signed calls to one shop's TOP gateway. Transient failures (no answer, 5xx) are tried
    `tries` times within a call; every other failure is raised at once as a PlatformError."""

    def __init__(self, access: ShopAccess, *, sign_method: str = "md5", tries: int = 3,
                 wait_s: float = 0.2, transport: httpx.BaseTransport | None = None) -> None:
        redact.remember(access.app_secret)
        redact.remember(access.session)
        self.access = access
        self.sign_method = sign_method
        self.tries = tries
        self.wait_s = wait_s
        self.transport = transport

    def close(self) -> None:
        """Nothing held between calls: each call opens and closes its own connection."""

    def __enter__(self) -> TopClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def form(self, method: str, params: Mapping[str, Any],
             now: datetime | None = None) -> dict[str, str]:
        """The signed form of one call."""
        form = {"method": method, "app_key": self.access.app_key,
                "timestamp": china_text(now or datetime.now(UTC)), "format": "json",
                "v": "2.0", "sign_method": self.sign_method}
        if self.access.session:
            form["session"] = self.access.session
        add_params(form, params)
        form["sign"] = top_sign(form, self.access.app_secret, self.sign_method)
        return form

    def call(self, method: str, params: Mapping[str, Any]) -> dict[str, Any]:
        """The method's `*_response` object."""
        def once() -> dict[str, Any]:
            with http_client(self.access.timeout_s, self.transport) as http:
                answer = post(http, self.access.api_url, form=self.form(method, params),
                              what=method)
            return response_of(answer, method, top_error)

        return with_retries(once, tries=self.tries, wait_s=self.wait_s)


# --------------------------------------------------------------------------- Cainiao waybills



def _recipient(request: WaybillRequest) -> dict[str, Any]:
    r = request.receiver
    out: dict[str, Any] = {"address": address_fields(r), "name": r.name, "mobile": r.phone}
    if r.oaid:
        # An encrypted receiver: Cainiao decrypts it by the OAID and the trade it belongs to.
        out["oaid"] = r.oaid
        if request.channel_order_nos:
            out["tid"] = request.channel_order_nos[0]
        if r.cipher:
            out["caid"] = r.cipher.get("caid", "")
    return {k: v for k, v in out.items() if v != ""}


def _sort_of(print_data: Mapping[str, Any]) -> dict[str, str]:
    """大头笔 / 三段码 / 集包地 from the routing information of an unencrypted print data."""
    data = print_data.get("data")
    routing = data.get("routingInfo") if isinstance(data, Mapping) else None
    if not isinstance(routing, Mapping):
        return {}
    sort: dict[str, str] = {}
    sortation = routing.get("sortation")
    if isinstance(sortation, Mapping) and sortation.get("name"):
        sort["route"] = str(sortation["name"])
    if routing.get("routeCode"):
        sort["sort_code"] = str(routing["routeCode"])
    consolidation = routing.get("consolidation")
    if isinstance(consolidation, Mapping) and consolidation.get("name"):
        sort["package_center"] = str(consolidation["name"])
    return sort


class CainiaoWaybillProvider:
    """Cainiao e-waybills (菜鸟电子面单) through TOP: one waybill per parcel, the parcel's
    `request_id` sent as Cainiao's `object_id` so asking again gives the same number."""

    code = "cainiao"

    # The carriers' standard cloud-print templates, by Packline's template name; a shop may
    # give its own (its customised template's URL) per carrier or per "CARRIER:template".
    STANDARD_TEMPLATES: Mapping[str, str] = {
        "76x130": "http://cloudprint.cainiao.com/template/standard/{cp}/76x130",
        "100x180": "http://cloudprint.cainiao.com/template/standard/{cp}/100x180",
    }

    def __init__(self, access: ShopAccess, *, client: TopClient | None = None,
                 templates: Mapping[str, str] | None = None) -> None:
        self.access = access
        self.client = client or TopClient(access)
        self.templates = dict(templates or {})

    def template_url(self, carrier_code: str, template: str) -> str:
        cp = self.cp_code(carrier_code)
        for key in (f"{carrier_code}:{template}", carrier_code):
            if key in self.templates:
                return self.templates[key]
        pattern = self.STANDARD_TEMPLATES.get(template, self.STANDARD_TEMPLATES["76x130"])
        return pattern.format(cp=cp)

    @staticmethod
    def cp_code(carrier_code: str) -> str:
        try:
            return CAINIAO_CP_CODES[carrier_code.upper()]
        except KeyError:
            raise PlatformError(PlatformErrorKind.REFUSED,
                                f"carrier {carrier_code} has no Cainiao company code",
                                code="unknown-carrier") from None

    def apply_request(self, request: WaybillRequest) -> dict[str, Any]:
        """The `param_waybill_cloud_print_apply_new_request` of one parcel."""
        sender = request.sender
        package: dict[str, Any] = {
            "id": package_id(request.request_id),
            "items": [{"name": name[:60], "count": units} for name, units in request.items],
        }
        if request.weight_g:
            package["weight"] = request.weight_g
        return {
            "cp_code": self.cp_code(request.carrier_code),
            "sender": {"address": address_fields(sender), "name": sender.name,
                       "mobile": sender.phone},
            "trade_order_info_dtos": [{
                "object_id": request.request_id,
                "order_info": {"order_channels_type": order_channel_type(
                                   request.channel or self.access.channel),
                               "trade_order_list": list(request.channel_order_nos)
                               or [request.order_no]},
                "package_info": package,
                "recipient": _recipient(request),
                "template_url": self.template_url(request.carrier_code, request.template),
                "user_id": self.access.platform_shop_id or None,
            }],
            "need_encrypt": True,
        }

    def get(self, request: WaybillRequest) -> IssuedWaybill:
        answer = self.client.call("cainiao.waybill.ii.get",
                                  {"param_waybill_cloud_print_apply_new_request":
                                   self.apply_request(request)})
        modules = answer.get("modules") or {}
        found = modules.get("waybill_cloud_print_response") if isinstance(modules, Mapping) \
            else None
        if isinstance(found, Mapping):
            found = [found]
        for item in found or ():
            if not isinstance(item, Mapping) or not item.get("waybill_code"):
                continue
            if item.get("object_id") not in (None, request.request_id):
                continue
            raw = item.get("print_data") or "{}"
            try:
                data = json.loads(raw) if isinstance(raw, str) else dict(raw)
            except ValueError:
                raise PlatformError(PlatformErrorKind.ERROR, "cainiao.waybill.ii.get: "
                                    "print_data is not JSON", code="bad_answer") from None
            print_data = {k: data[k] for k in ("encryptedData", "signature", "templateURL",
                                               "ver", "data") if k in data}
            sort = _sort_of(data)
            if sort:
                print_data["sort"] = sort
            return IssuedWaybill(provider=self.code, tracking_no=str(item["waybill_code"]),
                                 print_data=print_data)
        raise PlatformError(PlatformErrorKind.ERROR,
                            "cainiao.waybill.ii.get: no waybill in the answer",
                            code="bad_answer")

    def cancel(self, carrier_code: str, tracking_no: str) -> None:
        answer = self.client.call("cainiao.waybill.ii.cancel",
                                  {"cp_code": self.cp_code(carrier_code),
                                   "waybill_code": tracking_no})
        if answer.get("cancel_result") is False:
            raise PlatformError(PlatformErrorKind.REFUSED,
                                f"cainiao.waybill.ii.cancel refused {tracking_no}",
                                code="cancel_refused")


# --------------------------------------------------------------------------- Taobao orders




def _digest(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


_CLOSED = {"TRADE_CLOSED", "TRADE_CLOSED_BY_TAOBAO"}
_UNPAID = {"TRADE_NO_CREATE_PAY", "WAIT_BUYER_PAY", "PAY_PENDING"}
_SHIPPED = {"SELLER_CONSIGNED_PART", "WAIT_BUYER_CONFIRM_GOODS", "TRADE_BUYER_SIGNED",
            "TRADE_FINISHED"}
_REFUNDING = {"WAIT_SELLER_AGREE", "WAIT_BUYER_RETURN_GOODS", "WAIT_SELLER_CONFIRM_GOODS",
              "SELLER_REFUSE_BUYER", "SUCCESS"}


def _sub_orders(trade: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    orders = trade.get("orders")
    if isinstance(orders, Mapping):
        orders = orders.get("order")
    return [o for o in orders or () if isinstance(o, Mapping)]


def trade_to_pulled(trade: Mapping[str, Any], channel: str, shop: str,
                    presale_campaign: str | None = None) -> PulledOrder | None:
    """One TOP trade as an intake record and its status events; None for a trade with
    nothing for the warehouse (never paid)."""
    tid = str(trade.get("tid") or "").strip()
    if not tid:
        return None
    status = str(trade.get("status") or "")
    step = str(trade.get("step_trade_status") or "")
    presale = str(trade.get("type") or "") == "step" or bool(step)
    paid_at = _china_time(trade.get("pay_time"))
    deposit_paid = step in ("FRONT_PAID_FINAL_NOPAID", "FRONT_PAID_FINAL_PAID")
    if status in _UNPAID and not deposit_paid:
        return None
    if status in _CLOSED and paid_at is None:
        return None
    modified = _china_time(trade.get("modified")) or paid_at or datetime.now(UTC)
    lines = []
    goods = Decimal(0)
    for sub in _sub_orders(trade):
        sku = str(sub.get("outer_sku_id") or sub.get("outer_iid") or sub.get("sku_id")
                  or sub.get("num_iid") or "").strip()
        try:
            qty = int(sub.get("num") or 0)
        except (TypeError, ValueError):
            qty = 0
        price = yuan(sub.get("price"))
        goods += price * qty
        lines.append({"sku": sku, "qty": qty, "price": yuan_text(price)})
    payment = yuan(trade.get("payment")) - yuan(trade.get("post_fee"))
    receiver: dict[str, Any] = {
        "name": trade.get("receiver_name") or "",
        "phone": trade.get("receiver_mobile") or trade.get("receiver_phone") or "",
        "province": trade.get("receiver_state") or "",
        "city": trade.get("receiver_city") or "",
        "district": trade.get("receiver_district") or "",
        "address": " ".join(str(x) for x in (trade.get("receiver_town"),
                                             trade.get("receiver_address")) if x),
    }
    if trade.get("oaid"):
        receiver["oaid"] = str(trade["oaid"])
    remark = " / ".join(str(x) for x in (trade.get("buyer_message"), trade.get("seller_memo"))
                        if x)
    record: dict[str, Any] = {
        "channel": channel, "shop": shop, "channel_order_no": tid,
        "buyer": trade.get("buyer_nick") or trade.get("buyer_open_uid") or "",
        "receiver": receiver, "lines": lines,
        "amount": yuan_text(payment), "discount": yuan_text(goods - payment),
        "paid_at": _iso(paid_at), "remark": remark[:1000], "presale": None,
    }
    if trade.get("merge_key"):
        record["merge_key"] = str(trade["merge_key"])
    events: list[dict[str, Any]] = []
    if presale and presale_campaign:
        balance = step == "FRONT_PAID_FINAL_PAID"
        record["presale"] = {"campaign": presale_campaign, "deposit_paid_at": _iso(paid_at),
                             "balance_paid_at": None}
        if balance:
            events.append({"event_type": "balance_paid", "event_key": f"{tid}:final-paid",
                           "payload": {"at": modified.isoformat()}})
    for sub in _sub_orders(trade):
        if str(sub.get("refund_status") or "") in _REFUNDING:
            events.append({"event_type": "refund_requested",
                           "event_key": f"{sub.get('oid') or tid}:refund",
                           "payload": {"oid": str(sub.get("oid") or "")}})
    if status in _CLOSED:
        events.append({"event_type": "cancelled", "event_key": f"{tid}:closed",
                       "payload": {"at": modified.isoformat()}})
    events.append({"event_type": "address_changed",
                   "event_key": "address:" + _digest(*(receiver.get(k) for k in (
                       "name", "phone", "province", "city", "district", "address", "oaid"))),
                   "payload": {"receiver": dict(receiver)}})
    ship = status not in _CLOSED and status not in _SHIPPED and not (
        presale and status in _UNPAID and not deposit_paid)
    return PulledOrder(record=record, modified_at=modified, events=tuple(events), ship=ship)


class TaobaoAdapter:
    """A Taobao or Tmall shop's orders (`taobao.trades.sold.increment.get`) and shipment
    confirmations (`taobao.logistics.online.send`)."""

    window_max_s = TOP_WINDOW_MAX_S

    def __init__(self, access: ShopAccess, *, client: TopClient | None = None,
                 presale_campaign: str | None = None) -> None:
        self.access = access
        self.channel = access.channel or "taobao"
        self.client = client or TopClient(access)
        self.presale_campaign = presale_campaign

    def orders_modified(self, start: datetime, end: datetime, page_no: int,
                        page_size: int) -> PullPage:
        # Without `use_has_next` the answer carries the window's `total_results`: the pull
        # reads it first, then the pages from the last to the first (docs/platforms.md).
        answer = self.client.call("taobao.trades.sold.increment.get", {
            "fields": TRADE_FIELDS, "start_modified": china_text(start),
            "end_modified": china_text(end), "page_no": page_no,
            "page_size": page_size,
        })
        trades = answer.get("trades") or {}
        if isinstance(trades, Mapping):
            trades = trades.get("trade") or []
        shop = self.access.shop_name or self.access.shop_code
        orders = []
        for trade in trades if isinstance(trades, Sequence) else ():
            if isinstance(trade, Mapping):
                pulled = trade_to_pulled(trade, self.channel, shop, self.presale_campaign)
                if pulled is not None:
                    orders.append(pulled)
        return page_of(orders, answer.get("total_results"), answer.get("has_next"), page_no,
                     page_size)

    def confirm_shipment(self, shipment: Shipment) -> None:
        company = CAINIAO_CP_CODES.get(shipment.carrier_code.upper())
        if company is None:
            raise PlatformError(PlatformErrorKind.REFUSED,
                                f"carrier {shipment.carrier_code} has no Taobao company code",
                                code="unknown-carrier")
        params: dict[str, Any] = {"tid": shipment.channel_order_no,
                                  "out_sid": shipment.tracking_no, "company_code": company}
        if shipment.sub_order_nos:
            params["is_split"] = 1
            params["sub_tid"] = ",".join(shipment.sub_order_nos)
        answer = self.client.call("taobao.logistics.online.send", params)
        shipping = answer.get("shipping")
        if isinstance(shipping, Mapping) and shipping.get("is_success") is False:
            # The platform answered and said no (`is_success` false: 失败): sending the same
            # again gets the same answer, so a person looks at it.
            raise PlatformError(PlatformErrorKind.REFUSED,
                                "taobao.logistics.online.send: not accepted (is_success false)",
                                code="not_success")
