"""Request signatures of the platforms' open APIs. Pure: no network, no clock.

- Taobao / Tmall / Cainiao (TOP): the parameters (common and business, without `sign` and
  without empty values) sorted by name in byte order, concatenated as name+value, UTF-8;
  `md5`: MD5(secret + concatenation + secret); `hmac`: HMAC-MD5 keyed with the secret over the
  concatenation; `hmac-sha256`: HMAC-SHA256 likewise. Upper-case hex.
  TOP's own example: secret `test`, `app_key=test fields=nick format=xml
  method=taobao.user.seller.get session=test sign_method=md5 timestamp=2013-05-06 13:52:03
  v=2.0` signs as `72CB4D809B375A54502C09360D879C64`.
- Pinduoduo: MD5(client_secret + sorted name+value concatenation + client_secret), upper-case
  hex; the same construction as TOP's md5.
- Douyin (抖店): HMAC-SHA256 keyed with the app secret over
  secret + "app_key" + K + "method" + M + "param_json" + P + "timestamp" + T + "v" + V + secret,
  lower-case hex; `param_json` is the business parameters as JSON with sorted keys and no
  spaces.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

__all__ = [
    "TOP_SIGN_METHODS",
    "canonical",
    "douyin_param_json",
    "douyin_sign",
    "pdd_sign",
    "top_sign",
    "value_text",
]

TOP_SIGN_METHODS = ("md5", "hmac", "hmac-sha256")


def value_text(value: Any) -> str:
    """A parameter's value as it is sent and signed: text as is, booleans as true/false,
    numbers as digits, lists and objects as compact JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def canonical(params: Mapping[str, Any]) -> str:
    """name+value of every parameter but `sign`, sorted by name; empty values left out."""
    parts = []
    for name in sorted(params):
        if name == "sign" or params[name] is None:
            continue
        text = value_text(params[name])
        if name and text:
            parts.append(name + text)
    return "".join(parts)


def top_sign(params: Mapping[str, Any], secret: str, method: str = "md5") -> str:
    body = canonical(params).encode("utf-8")
    key = secret.encode("utf-8")
    if method == "md5":
        return hashlib.md5(key + body + key).hexdigest().upper()
    if method == "hmac":
        return hmac.new(key, body, hashlib.md5).hexdigest().upper()
    if method == "hmac-sha256":
        return hmac.new(key, body, hashlib.sha256).hexdigest().upper()
    raise ValueError(f"unknown TOP sign_method {method!r}; expected one of {TOP_SIGN_METHODS}")


def pdd_sign(params: Mapping[str, Any], client_secret: str) -> str:
    key = client_secret.encode("utf-8")
    return hashlib.md5(key + canonical(params).encode("utf-8") + key).hexdigest().upper()


def douyin_param_json(params: Mapping[str, Any]) -> str:
    return json.dumps(params, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def douyin_sign(app_key: str, secret: str, method: str, param_json: str, timestamp: str,
                v: str = "2") -> str:
    text = (f"{secret}app_key{app_key}method{method}param_json{param_json}"
            f"timestamp{timestamp}v{v}{secret}")
    return hmac.new(secret.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).hexdigest()
