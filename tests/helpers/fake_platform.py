"""Platform open-API servers that behave like the real gateways, on 127.0.0.1.

`FakePlatform("top")` is a Taobao Open Platform gateway (Taobao/Tmall trades, Cainiao
e-waybills, logistics send); `FakePlatform("pdd")` a Pinduoduo one. Each is a real HTTP
server (ThreadingHTTPServer in a thread, port 0) that:

- checks the app key, the session / access token and the signature, answering the platform's
  documented error shapes (TOP `error_response {code, msg, sub_code, sub_msg}`, Pinduoduo
  `error_response {error_code, error_msg, sub_code, sub_msg}`);
- limits calls per second per app key (`calls_per_second`) with the platform's limit error;
- pages (`page_size`; the window's total, or `has_next` when asked `use_has_next`) over the
  seeded orders in the window by modified time, sorted again at every call: an order modified
  meanwhile leaves the window and the later ones move up a place, as on the platforms
  (`before_answer` lets a test modify orders between pages); refuses a window longer than the
  platform allows (TOP a day, Pinduoduo 30 minutes);
- issues waybills idempotently per `object_id`, in the carrier's real number format, and
  cancels them;
- records each logistics send; a second send of a shipped order is the "already shipped"
  refusal;
- can be told to stall, drop the connection or answer 5xx for the next calls.

Run as a process for journeys: `python -m tests.helpers.fake_platform --kind top --port N
--state PATH`; the state (orders, waybills, shipments) is read from PATH at start when it
exists and written back after every change, so a test seeds it and reads what it received.
"""

from __future__ import annotations

import argparse
import base64
import itertools
import json
import re
import signal
import threading
import time
import urllib.parse
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from app.domain.china_time import CHINA_TZ
from app.domain.waybills import issued
from app.platforms.signing import pdd_sign, top_sign

APP_KEY = "12345678"
APP_SECRET = "fake-secret-0123456789"
SESSION = "fake-session-6100a2b"

# Waybill numbers of each carrier's form (app/domain/waybills.py FORMATS): prefix, digits.
_NUMBER_FORMS = {
    "YTO": ("YT", 13), "ZTO": ("78", 12), "STO": ("77", 13), "YD": ("46", 13),
    "YUNDA": ("46", 13), "SF": ("SF", 13), "JD": ("JDVA", 11), "EMS": ("10", 11),
    "JT": ("JT", 13), "JTSD": ("JT", 13), "DBL": ("DPK", 12), "DBKD": ("DPK", 12),
    "DEPPON": ("DPK", 12),
}
# The e-waybill services' order channel codes (`order_info.order_channels_type`).
ORDER_CHANNEL_CODES = frozenset({
    "TB", "TM", "PDD", "JD", "DY", "KS", "XHS", "ALBB", "YZ", "WD", "MGJ", "WPH", "SN",
    "OTHERS"})
_PACKAGE_ID = re.compile(r"[0-9A-Za-z_]{1,64}")
_PACKLINE_CARRIER = {"YUNDA": "YD", "JTSD": "JT", "DBKD": "DBL", "DEPPON": "DBL"}


def china(moment: datetime) -> str:
    return moment.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M:%S")


def _parse_china(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=CHINA_TZ)


class _Refusal(Exception):
    def __init__(self, body: dict[str, Any]) -> None:
        super().__init__(json.dumps(body, ensure_ascii=False))
        self.body = body


def _top_error(code: int, msg: str, sub_code: str = "", sub_msg: str = "") -> _Refusal:
    error: dict[str, Any] = {"code": code, "msg": msg, "request_id": "fake"}
    if sub_code:
        error["sub_code"] = sub_code
    if sub_msg:
        error["sub_msg"] = sub_msg
    return _Refusal({"error_response": error})


def _pdd_error(code: int, msg: str, sub_code: str = "", sub_msg: str = "") -> _Refusal:
    error: dict[str, Any] = {"error_code": code, "error_msg": msg, "request_id": "fake"}
    if sub_code:
        error["sub_code"] = sub_code
    if sub_msg:
        error["sub_msg"] = sub_msg
    return _Refusal({"error_response": error})


class FakePlatform:
    """One fake gateway. Use as a context manager; `url` is its gateway address."""

    def __init__(self, kind: str = "top", *, app_key: str = APP_KEY,
                 app_secret: str = APP_SECRET, session: str = SESSION,
                 calls_per_second: float | None = None, state_path: Path | None = None,
                 port: int = 0, stall_s: float = 30.0, save_each_change: bool = True
                 ) -> None:
        if kind not in ("top", "pdd"):
            raise ValueError(kind)
        self.kind = kind
        self.app_key, self.app_secret, self.session = app_key, app_secret, session
        self.calls_per_second = calls_per_second
        self.state_path = state_path
        # False: the state is written only by `write_state` (a process: when it ends), so a
        # platform seeded with many orders answers as fast as with a few.
        self.save_each_change = save_each_change
        self.stall_s = stall_s
        self.lock = threading.RLock()
        self.orders: dict[str, dict[str, Any]] = {}
        self.waybills: dict[str, dict[str, Any]] = {}  # object_id → waybill
        self.sends: list[dict[str, Any]] = []  # accepted logistics sends
        self.send_attempts: dict[str, int] = {}  # "ORDER:TRACKING" → calls
        self.calls: list[str] = []  # every API name asked, in order
        # Called with (API name, form) before each call is answered, under the fake's lock: a
        # test changes orders between the pages of a pull (`modify`), as buyers do.
        self.before_answer: Callable[[str, Mapping[str, str]], None] | None = None
        # Orders whose logistics send is answered `is_success: false` (the platform's 失败).
        self.sends_not_accepted: set[str] = set()
        self.refused: list[dict[str, Any]] = []  # every error answered
        self._recent: dict[str, deque[float]] = {}
        self._faults: deque[str] = deque()
        self._stopping = threading.Event()
        self._serial = itertools.count(1)
        if state_path is not None and state_path.exists():
            self._load(json.loads(state_path.read_text("utf-8")))
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ life
    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return (f"http://127.0.0.1:{self.port}/router/rest" if self.kind == "top"
                else f"http://127.0.0.1:{self.port}/api/router")

    def start(self) -> FakePlatform:
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        name=f"fake-{self.kind}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self) -> FakePlatform:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ state
    def _load(self, data: Mapping[str, Any]) -> None:
        self.orders = dict(data.get("orders") or {})
        self.waybills = dict(data.get("waybills") or {})
        self.sends = list(data.get("sends") or [])
        self.send_attempts = dict(data.get("send_attempts") or {})
        self._serial = itertools.count(int(data.get("serial") or 0) + 1)

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return json.loads(json.dumps({
                "kind": self.kind, "orders": self.orders, "waybills": self.waybills,
                "sends": self.sends, "send_attempts": self.send_attempts,
                "serial": len(self.waybills) + 1000, "calls": self.calls}))

    def _save(self) -> None:
        if self.save_each_change:
            self.write_state()

    def write_state(self) -> None:
        if self.state_path is not None:
            tmp = self.state_path.with_suffix(".tmp")
            tmp.write_text(json.dumps(self.snapshot(), ensure_ascii=False), "utf-8")
            tmp.replace(self.state_path)

    # ------------------------------------------------------------------ faults
    def fail_next(self, fault: str, times: int = 1) -> None:
        """The next `times` calls: "stall" (no answer for `stall_s`), "drop" (the connection
        closed without an answer) or "5xx" (HTTP 502)."""
        if fault not in ("stall", "drop", "5xx"):
            raise ValueError(fault)
        with self.lock:
            self._faults.extend([fault] * times)

    # ------------------------------------------------------------------ orders
    def add_order(self, number: str, *, lines: Iterable[tuple[str, int, str]] = (
                  ("SKU-00001", 1, "59.00"),), receiver: Mapping[str, str] | None = None,
                  encrypted: bool = False, status: str = "paid", refund: bool = False,
                  presale: str | None = None, modified: datetime | None = None,
                  paid: datetime | None = None, postage: str = "0.00") -> dict[str, Any]:
        """Seed an order in the platform's own shape. `status`: paid (to ship), shipped,
        closed; `presale`: None, "deposit" (balance unpaid) or "final" (balance paid)."""
        modified = modified or datetime.now(UTC)
        paid = paid or modified - timedelta(minutes=1)
        r = dict(receiver or {"name": "张三", "phone": "13800138000", "province": "浙江省",
                              "city": "杭州市", "district": "西湖区", "address": "文三路90号"})
        lines = list(lines)
        goods = sum(float(price) * qty for _sku, qty, price in lines)
        if self.kind == "top":
            order = self._top_trade(number, lines, r, encrypted, goods, postage)
        else:
            order = self._pdd_order(number, lines, r, encrypted, goods, postage)
        with self.lock:
            self.orders[number] = order
            self._set(number, status=status, refund=refund, presale=presale,
                      modified=modified, paid=paid)
            self._save()
            return dict(self.orders[number])

    def _top_trade(self, tid: str, lines: list[tuple[str, int, str]], r: Mapping[str, str],
                   encrypted: bool, goods: float, postage: str) -> dict[str, Any]:
        trade: dict[str, Any] = {
            "tid": tid, "type": "fixed", "buyer_nick": "tb_buyer_" + tid[-4:],
            "payment": f"{goods + float(postage):.2f}", "post_fee": postage,
            "receiver_state": r["province"], "receiver_city": r["city"],
            "receiver_district": r["district"],
            "orders": {"order": [
                {"oid": f"{tid}{i:02d}", "outer_sku_id": sku, "title": f"商品 {sku}",
                 "num": qty, "price": price, "payment": f"{float(price) * qty:.2f}",
                 "refund_status": "NO_REFUND", "status": "WAIT_SELLER_SEND_GOODS"}
                for i, (sku, qty, price) in enumerate(lines, 1)]},
        }
        if encrypted:
            trade.update(receiver_name=r["name"][:1] + "**",
                         receiver_mobile="*******" + r["phone"][-4:],
                         receiver_address=r["address"][:2] + "****",
                         oaid="1OAID" + base64.b32encode(tid.encode()).decode().strip("="))
        else:
            trade.update(receiver_name=r["name"], receiver_mobile=r["phone"],
                         receiver_address=r["address"])
        return trade

    def _pdd_order(self, sn: str, lines: list[tuple[str, int, str]], r: Mapping[str, str],
                   encrypted: bool, goods: float, postage: str) -> dict[str, Any]:
        order: dict[str, Any] = {
            "order_sn": sn, "trade_type": 0, "province": r["province"], "city": r["city"],
            "town": r["district"], "pay_amount": f"{goods + float(postage):.2f}",
            "goods_amount": f"{goods:.2f}", "postage": postage, "buyer_memo": "",
            "item_list": [{"goods_id": 1000 + i, "sku_id": 2000 + i, "outer_id": sku,
                           "goods_name": f"商品 {sku}", "goods_count": qty,
                           "goods_price": float(price)}
                          for i, (sku, qty, price) in enumerate(lines, 1)],
        }
        if encrypted:
            def cipher(text: str) -> str:
                return "~" + base64.b64encode(text.encode()).decode() + "~"
            order.update(receiver_name=cipher(r["name"]), receiver_phone="$" + cipher(
                r["phone"]).strip("~") + "$", receiver_address=cipher(r["address"]),
                address=cipher(r["province"] + r["city"] + r["district"] + r["address"]),
                receiver_name_mask=r["name"][:1] + "*", receiver_phone_mask=(
                    r["phone"][:3] + "****" + r["phone"][-4:]),
                receiver_address_mask=r["address"][:2] + "****",
                open_address_id="OA" + base64.b32encode(sn.encode()).decode().strip("="))
        else:
            order.update(receiver_name=r["name"], receiver_phone=r["phone"],
                         receiver_address=r["address"],
                         address=r["province"] + r["city"] + r["district"] + r["address"])
        return order

    def modify(self, number: str, *, status: str | None = None, refund: bool | None = None,
               presale: str | None = None, receiver: Mapping[str, str] | None = None,
               modified: datetime | None = None) -> dict[str, Any]:
        """Change a seeded order as the buyer or the platform would; its modified time moves
        to `modified` (default now)."""
        with self.lock:
            order = self.orders[number]
            if receiver is not None:
                fresh = (self._top_trade if self.kind == "top" else self._pdd_order)(
                    number, [], receiver, bool(order.get("oaid") or
                                               order.get("open_address_id")), 0, "0")
                for key, value in fresh.items():
                    if key.startswith(("receiver", "oaid", "open_address_id", "address",
                                       "province", "city", "town")):
                        order[key] = value
                if self.kind == "pdd" and order.get("open_address_id"):
                    order["open_address_id"] = "OA" + base64.b32encode(
                        json.dumps(receiver, sort_keys=True).encode()).decode()[:24]
            self._set(number, status=status, refund=refund, presale=presale,
                      modified=modified or datetime.now(UTC), paid=None)
            self._save()
            return dict(order)

    def _set(self, number: str, *, status: str | None, refund: bool | None,
             presale: str | None, modified: datetime, paid: datetime | None) -> None:
        order = self.orders[number]
        top = self.kind == "top"
        if paid is not None:
            order["pay_time"] = china(paid)
        if top:
            order["modified"] = china(modified)
        else:
            order["updated_at"] = china(modified)
        if status is not None:
            if top:
                order["status"] = {"paid": "WAIT_SELLER_SEND_GOODS",
                                   "shipped": "WAIT_BUYER_CONFIRM_GOODS",
                                   "closed": "TRADE_CLOSED",
                                   "unpaid": "WAIT_BUYER_PAY"}[status]
            else:
                order["order_status"] = {"paid": 1, "shipped": 2, "closed": 1,
                                         "unpaid": 1}[status]
                if status == "closed":
                    order["refund_status"] = 4
        if refund is not None:
            if top:
                for sub in order["orders"]["order"]:
                    sub["refund_status"] = "WAIT_SELLER_AGREE" if refund else "NO_REFUND"
            elif order.get("refund_status") != 4:
                order["refund_status"] = 2 if refund else 1
        if presale is not None:
            if top:
                order["type"] = "step"
                order["step_trade_status"] = {"deposit": "FRONT_PAID_FINAL_NOPAID",
                                              "final": "FRONT_PAID_FINAL_PAID"}[presale]
            else:
                order["trade_type"] = 1
                order["step_order_info"] = {"step_no": 1 if presale == "deposit" else 2}
        if not top:
            order.setdefault("refund_status", 1)

    def shipments(self, number: str | None = None) -> list[dict[str, Any]]:
        with self.lock:
            return [dict(s) for s in self.sends
                    if number is None or s["order"] == number]

    # ------------------------------------------------------------------ HTTP
    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                with fake.lock:
                    fault = fake._faults.popleft() if fake._faults else None
                if fault == "stall":
                    fake._stopping.wait(fake.stall_s)
                    self.close_connection = True
                    return
                if fault == "drop":
                    self.close_connection = True
                    self.connection.close()
                    return
                if fault == "5xx":
                    self._send(502, b"<html>502 Bad Gateway</html>", "text/html")
                    return
                if "json" in (self.headers.get("Content-Type") or ""):
                    form = {k: str(v) for k, v in json.loads(raw or "{}").items()}
                else:
                    form = dict(urllib.parse.parse_qsl(raw, keep_blank_values=True))
                try:
                    body = fake.answer(form)
                except _Refusal as refusal:
                    body = refusal.body
                    with fake.lock:
                        fake.refused.append(body)
                data = json.dumps(body, ensure_ascii=False).encode("utf-8")
                self._send(200, data, "application/json;charset=utf-8")

            def _send(self, status: int, data: bytes, kind: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler

    def _limited(self, key: str) -> bool:
        if not self.calls_per_second:
            return False
        now = time.monotonic()
        recent = self._recent.setdefault(key, deque())
        while recent and now - recent[0] >= 1.0:
            recent.popleft()
        if len(recent) >= self.calls_per_second:
            return True
        recent.append(now)
        return False

    def answer(self, form: Mapping[str, str]) -> dict[str, Any]:
        with self.lock:
            if self.before_answer is not None:
                self.before_answer(form.get("method") or form.get("type") or "", form)
            if self.kind == "top":
                return self._top(form)
            return self._pdd(form)

    # ------------------------------------------------------------------ TOP
    def _top(self, form: Mapping[str, str]) -> dict[str, Any]:
        method = form.get("method", "")
        self.calls.append(method)
        if not form.get("app_key"):
            raise _top_error(28, "Missing App Key")
        if form["app_key"] != self.app_key:
            raise _top_error(29, "Invalid App Key", "isv.appkey-not-exists")
        if self._limited(form["app_key"]):
            raise _top_error(7, "App Call Limited",
                             "accesscontrol.limited-by-app-access-count",
                             "This ban will last for 1 more seconds")
        method_sign = form.get("sign_method", "md5")
        try:
            expected = top_sign(form, self.app_secret, method_sign)
        except ValueError:
            raise _top_error(24, "Invalid signature method") from None
        if form.get("sign", "") != expected:
            raise _top_error(25, "Invalid signature")
        if not form.get("session"):
            raise _top_error(26, "Missing session")
        if form["session"] != self.session:
            raise _top_error(27, "Invalid session", "invalid-sessionkey",
                             "SessionKey非法")
        try:
            stamp = _parse_china(form.get("timestamp", ""))
        except ValueError:
            raise _top_error(31, "Invalid timestamp") from None
        if abs((datetime.now(UTC) - stamp).total_seconds()) > 600:
            raise _top_error(31, "Invalid timestamp", "isv.invalid-timestamp")
        name = method.removeprefix("taobao.").replace(".", "_") + "_response"
        handlers = {"taobao.trades.sold.increment.get": self._top_trades,
                    "cainiao.waybill.ii.get": self._cainiao_get,
                    "cainiao.waybill.ii.cancel": self._cainiao_cancel,
                    "taobao.logistics.online.send": self._top_send}
        if method not in handlers:
            raise _top_error(22, "Invalid method")
        return {name: handlers[method](form)}

    def _top_trades(self, form: Mapping[str, str]) -> dict[str, Any]:
        try:
            start = _parse_china(form["start_modified"])
            end = _parse_china(form["end_modified"])
        except (KeyError, ValueError):
            raise _top_error(40, "Missing required arguments:start_modified") from None
        if end < start or end - start > timedelta(days=1):
            raise _top_error(15, "Remote service error", "isv.invalid-parameter",
                             "start_modified 与 end_modified 间隔不能超过一天")
        page_no = int(form.get("page_no") or 1)
        page_size = int(form.get("page_size") or 40)
        if not 1 <= page_size <= 100 or page_no < 1:
            raise _top_error(41, "Invalid arguments:page_size")
        # The modified times are China time "YYYY-MM-DD HH:MM:SS": as text they sort as
        # times do, so a window over many trades is cut without parsing each one.
        low, high = china(start), china(end)
        found = sorted((t for t in self.orders.values() if low <= t["modified"] <= high),
                       key=lambda t: (t["modified"], t["tid"]))
        chunk = found[(page_no - 1) * page_size:page_no * page_size]
        body: dict[str, Any] = {"trades": {"trade": json.loads(json.dumps(chunk))}}
        if form.get("use_has_next") == "true":  # has_next instead of the total
            body["has_next"] = page_no * page_size < len(found)
        else:
            body["total_results"] = len(found)
        return body

    def _number(self, carrier: str) -> str:
        prefix, digits = _NUMBER_FORMS[carrier]
        serial = next(self._serial) + len(self.waybills)
        number = prefix + str(serial).rjust(digits, "0")[-digits:]
        assert issued(_PACKLINE_CARRIER.get(carrier, carrier), number), number
        return number

    def _waybill(self, carrier: str, dto: Mapping[str, Any], provider: str) -> dict[str, Any]:
        """The waybill of one parcel, as the e-waybill services key it: the trade order list
        and the package id (`package_info.id`, letters, digits and `_`, case ignored). The
        same pair asked again gives the same waybill, whatever its `object_id`, which only
        ties an answer to its entry within one request."""
        error = _top_error if provider == "cainiao" else _pdd_error
        bad = 40 if provider == "cainiao" else 10000
        object_id = str(dto.get("object_id") or "")
        if not object_id:
            raise error(bad, "Missing object_id")
        order_info = dto.get("order_info") or {}
        trades = [str(t) for t in order_info.get("trade_order_list") or []]
        if not trades:
            raise error(bad, "Missing trade_order_list")
        channel_type = str(order_info.get("order_channels_type") or "")
        if channel_type not in ORDER_CHANNEL_CODES:
            raise error(bad, "Invalid order_channels_type", sub_msg=channel_type)
        package = str((dto.get("package_info") or {}).get("id") or "")
        if package and not _PACKAGE_ID.fullmatch(package):
            raise error(bad, "Invalid package_info.id", sub_msg="包裹id只能传入数字、字母和下划线")
        key = "|".join(sorted(trades)) + "#" + package.lower()
        known = self.waybills.get(key)
        if known is None:
            number = self._number(carrier)
            template = str(dto.get("template_url") or "")
            print_data = {"encryptedData": base64.b64encode(
                f"{provider}:{number}:{key}".encode()).decode(),
                "signature": f"SIG{number}", "templateURL": template, "ver":
                "waybill_print_secret_version_1"}
            known = {"object_id": object_id, "waybill_code": number, "cp_code": carrier,
                     "print_data": json.dumps(print_data), "cancelled": False,
                     "orders": trades, "package_id": package,
                     "order_channels_type": channel_type,
                     "recipient": dto.get("recipient") or {}}
            self.waybills[key] = known
            self._save()
        return known

    def waybill(self, object_id: str) -> dict[str, Any]:
        """The waybill first asked for with this object id (a test's look-up)."""
        with self.lock:
            found = [w for w in self.waybills.values() if w["object_id"] == object_id]
        assert len(found) == 1, (object_id, found)
        return found[0]

    def _cainiao_get(self, form: Mapping[str, str]) -> dict[str, Any]:
        try:
            request = json.loads(form["param_waybill_cloud_print_apply_new_request"])
        except (KeyError, ValueError):
            raise _top_error(40, "Missing required arguments:"
                             "param_waybill_cloud_print_apply_new_request") from None
        carrier = str(request.get("cp_code") or "")
        if carrier not in _NUMBER_FORMS:
            raise _top_error(15, "Remote service error", "isv.cp-code-invalid",
                             f"不支持的物流公司 {carrier}")
        out = []
        for dto in request.get("trade_order_info_dtos") or ():
            recipient = dto.get("recipient") or {}
            if not (recipient.get("oaid") or recipient.get("name")):
                raise _top_error(15, "Remote service error", "isv.recipient-invalid",
                                 "收件人信息不完整")
            known = self._waybill(carrier, dto, "cainiao")
            out.append({"object_id": str(dto.get("object_id")),
                        "waybill_code": known["waybill_code"],
                        "print_data": known["print_data"]})
        return {"modules": {"waybill_cloud_print_response": out}}

    def _cainiao_cancel(self, form: Mapping[str, str]) -> dict[str, Any]:
        code = form.get("waybill_code", "")
        for known in self.waybills.values():
            if known["waybill_code"] == code:
                known["cancelled"] = True
                self._save()
                return {"cancel_result": True}
        raise _top_error(15, "Remote service error", "isv.waybill-not-exist",
                         f"电子面单 {code} 不存在")

    def _top_send(self, form: Mapping[str, str]) -> dict[str, Any]:
        tid, out_sid = form.get("tid", ""), form.get("out_sid", "")
        key = f"{tid}:{out_sid}"
        self.send_attempts[key] = self.send_attempts.get(key, 0) + 1
        trade = self.orders.get(tid)
        if tid in self.sends_not_accepted:
            self._save()
            return {"shipping": {"is_success": False}}
        if trade is None:
            self._save()
            raise _top_error(15, "Remote service error",
                             "isv.logistics-online-service-error:B01", "订单不存在")
        split = form.get("is_split") == "1"
        subs = set(filter(None, form.get("sub_tid", "").split(",")))
        shipped = {s for send in self.sends if send["order"] == tid
                   for s in (send["sub_orders"] or ["*"])}
        if "*" in shipped or (split and subs & shipped) or (not split and shipped):
            self._save()
            raise _top_error(15, "Remote service error",
                             "isv.logistics-online-service-error:B04",
                             "订单已发货，不能重复发货")
        if trade["status"] in ("TRADE_CLOSED", "TRADE_CLOSED_BY_TAOBAO"):
            self._save()
            raise _top_error(15, "Remote service error",
                             "isv.logistics-online-service-error:B27", "交易已关闭，不能发货")
        self.sends.append({"order": tid, "tracking_no": out_sid,
                           "company": form.get("company_code", ""),
                           "sub_orders": sorted(subs) if split else []})
        trade["status"] = "WAIT_BUYER_CONFIRM_GOODS"
        trade["modified"] = china(datetime.now(UTC))
        self._save()
        return {"shipping": {"is_success": True}}

    # ------------------------------------------------------------------ Pinduoduo
    def _pdd(self, form: Mapping[str, str]) -> dict[str, Any]:
        api = form.get("type", "")
        self.calls.append(api)
        if form.get("client_id") != self.app_key:
            raise _pdd_error(10016, "client_id不存在", sub_msg="client_id is invalid")
        if self._limited(form["client_id"]):
            raise _pdd_error(70031, "调用过于频繁，请调整调用频率")
        if form.get("sign", "") != pdd_sign(form, self.app_secret):
            raise _pdd_error(20004, "签名错误", sub_msg="sign is invalid")
        if form.get("access_token") != self.session:
            raise _pdd_error(10019, "access_token已过期")
        try:
            stamp = int(form.get("timestamp", ""))
        except ValueError:
            raise _pdd_error(10000, "参数错误", sub_msg="timestamp is invalid") from None
        if abs(time.time() - stamp) > 600:
            raise _pdd_error(10000, "参数错误", sub_msg="timestamp is expired")
        handlers = {
            "pdd.order.number.list.increment.get": ("order_sn_increment_get_response",
                                                    self._pdd_orders),
            "pdd.waybill.get": ("pdd_waybill_get_response", self._pdd_waybill_get),
            "pdd.waybill.cancel": ("pdd_waybill_cancel_response", self._pdd_waybill_cancel),
            "pdd.logistics.online.send": ("logistics_online_send_response", self._pdd_send),
        }
        if api not in handlers:
            raise _pdd_error(10001, "接口不存在", sub_msg=api)
        name, handler = handlers[api]
        return {name: handler(form)}

    def _pdd_orders(self, form: Mapping[str, str]) -> dict[str, Any]:
        try:
            start = int(form["start_updated_at"])
            end = int(form["end_updated_at"])
        except (KeyError, ValueError):
            raise _pdd_error(10000, "参数错误", sub_msg="start_updated_at") from None
        if end < start or end - start > 30 * 60:
            raise _pdd_error(10000, "参数错误",
                             sub_msg="开始时间与结束时间间隔不能超过30分钟")
        page = int(form.get("page") or 1)
        page_size = int(form.get("page_size") or 100)
        if not 1 <= page_size <= 100 or page < 1:
            raise _pdd_error(10000, "参数错误", sub_msg="page_size")
        found = sorted((o for o in self.orders.values()
                        if start <= _parse_china(o["updated_at"]).timestamp() <= end),
                       key=lambda o: (o["updated_at"], o["order_sn"]))
        chunk = found[(page - 1) * page_size:page * page_size]
        body: dict[str, Any] = {"order_sn_list": json.loads(json.dumps(chunk))}
        if form.get("use_has_next") == "true":  # has_next instead of the total
            body["has_next"] = page * page_size < len(found)
        else:
            body["total_count"] = len(found)
        return body

    def _pdd_waybill_get(self, form: Mapping[str, str]) -> dict[str, Any]:
        try:
            request = json.loads(form["param_waybill_cloud_print_apply_new_request"])
        except (KeyError, ValueError):
            raise _pdd_error(10000, "参数错误",
                             sub_msg="param_waybill_cloud_print_apply_new_request") from None
        carrier = str(request.get("wp_code") or "")
        if carrier not in _NUMBER_FORMS:
            raise _pdd_error(10000, "参数错误", sub_msg=f"wp_code {carrier}")
        out = []
        for dto in request.get("trade_order_info_dtos") or ():
            known = self._waybill(carrier, dto, "pdd")
            out.append({"object_id": str(dto.get("object_id")),
                        "waybill_code": known["waybill_code"],
                        "print_data": known["print_data"]})
        return {"modules": out}

    def _pdd_waybill_cancel(self, form: Mapping[str, str]) -> dict[str, Any]:
        code = form.get("waybill_code", "")
        for known in self.waybills.values():
            if known["waybill_code"] == code:
                known["cancelled"] = True
                self._save()
                return {"cancel_result": True}
        raise _pdd_error(10000, "参数错误", sub_msg=f"电子面单 {code} 不存在")

    def _pdd_send(self, form: Mapping[str, str]) -> dict[str, Any]:
        sn, number = form.get("order_sn", ""), form.get("tracking_number", "")
        key = f"{sn}:{number}"
        self.send_attempts[key] = self.send_attempts.get(key, 0) + 1
        order = self.orders.get(sn)
        if sn in self.sends_not_accepted:
            self._save()
            return {"is_success": False}
        if order is None:
            self._save()
            raise _pdd_error(10000, "参数错误", sub_msg="订单不存在")
        if any(s["order"] == sn for s in self.sends) or order.get("order_status") != 1:
            self._save()
            raise _pdd_error(10000, "业务错误", sub_msg="订单已发货，请勿重复发货")
        self.sends.append({"order": sn, "tracking_no": number,
                           "company": form.get("logistics_id", ""), "sub_orders": []})
        order["order_status"] = 2
        order["updated_at"] = china(datetime.now(UTC))
        self._save()
        return {"is_success": True}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="A fake platform open-API gateway")
    parser.add_argument("--kind", choices=("top", "pdd"), default="top")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--state", type=Path)
    parser.add_argument("--app-key", default=APP_KEY)
    parser.add_argument("--secret", default=APP_SECRET)
    parser.add_argument("--session", default=SESSION)
    parser.add_argument("--calls-per-second", type=float)
    parser.add_argument("--save-at-exit", action="store_true",
                        help="write the state when the process ends (SIGTERM), not after "
                             "every change")
    args = parser.parse_args(argv)
    fake = FakePlatform(args.kind, app_key=args.app_key, app_secret=args.secret,
                        session=args.session, calls_per_second=args.calls_per_second,
                        state_path=args.state, port=args.port,
                        save_each_change=not args.save_at_exit)
    fake.write_state()

    def ended(*_args: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, ended)
    print(fake.url, flush=True)
    try:
        fake._server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        fake._server.server_close()
        with fake.lock:
            fake.write_state()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
