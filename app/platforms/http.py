"""One HTTP exchange with a platform's gateway, and the bounded retry of the transient ones.

A gateway that does not answer — refused, timed out, dropped, a 5xx, an answer that is not
JSON — is `UNREACHABLE`; the same call is tried again a few times within the one call
(`tries`, jittered exponential waits), then the caller gets the error and decides (the
services retry later from their own queues). Nothing else is retried here: a refusal, a
signature problem or a call limit is the caller's to handle.
"""

from __future__ import annotations

import functools
import json
import logging
import ssl
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

import httpx
from tenacity import (
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)

from app import redact
from app.platforms.base import PlatformError, PlatformErrorKind
from app.platforms.signing import value_text

log = logging.getLogger("packline.platforms")

T = TypeVar("T")


def _transient(exc: BaseException) -> bool:
    return isinstance(exc, PlatformError) and exc.kind is PlatformErrorKind.UNREACHABLE


def with_retries(call: Callable[[], T], *, tries: int = 3, wait_s: float = 0.2,
                 max_wait_s: float = 2.0) -> T:
    """`call()`, tried up to `tries` times while it fails UNREACHABLE."""
    retrying = Retrying(stop=stop_after_attempt(max(1, tries)),
                        wait=wait_random_exponential(multiplier=wait_s, max=max_wait_s),
                        retry=retry_if_exception(_transient), reraise=True)
    return retrying(call)


@functools.cache
def _tls() -> ssl.SSLContext:
    """The certificate authorities httpx trusts by default (its bundle, or SSL_CERT_FILE /
    SSL_CERT_DIR), loaded once per process. Loading them takes tens of milliseconds, more than
    a call to a gateway nearby: a new client for each call, each making its own, spent most
    of a shipment confirmation's or a waybill's time on it."""
    return httpx.create_ssl_context()


def client(timeout_s: float, transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """A client for one call to a gateway: its own connection, certificates verified as
    httpx does by default, with the process's one TLS context."""
    return httpx.Client(timeout=timeout_s, transport=transport, verify=_tls())


def post(client: httpx.Client, url: str, *, form: Mapping[str, str] | None = None,
         body: Mapping[str, Any] | None = None, what: str) -> dict[str, Any]:
    """POST a form (or a JSON body) and read the JSON answer; every transport failure is an
    UNREACHABLE PlatformError naming `what` (the API method), never the parameters."""
    try:
        if body is not None:
            response = client.post(url, content=json.dumps(body, ensure_ascii=False)
                                   .encode("utf-8"),
                                   headers={"Content-Type": "application/json;charset=utf-8"})
        else:
            response = client.post(url, data=dict(form or {}))
    except httpx.TimeoutException as exc:
        raise PlatformError(PlatformErrorKind.UNREACHABLE,
                            f"{what}: no answer within the timeout ({type(exc).__name__})",
                            code="timeout") from None
    except httpx.HTTPError as exc:
        raise PlatformError(PlatformErrorKind.UNREACHABLE,
                            redact.scrub(f"{what}: {type(exc).__name__}: {exc}"),
                            code="network") from None
    if response.status_code >= 500:
        raise PlatformError(PlatformErrorKind.UNREACHABLE,
                            f"{what}: the gateway answered HTTP {response.status_code}",
                            code=f"http.{response.status_code}")
    try:
        answer = response.json()
    except ValueError:
        raise PlatformError(PlatformErrorKind.UNREACHABLE,
                            f"{what}: the gateway answered HTTP {response.status_code} "
                            "without JSON", code=f"http.{response.status_code}") from None
    if not isinstance(answer, dict):
        raise PlatformError(PlatformErrorKind.ERROR, f"{what}: the answer is not an object",
                            code="bad_answer")
    return answer


def add_params(form: dict[str, str], params: Mapping[str, Any]) -> dict[str, str]:
    """A call's parameters added to its form as text. An empty value is neither signed nor
    sent: Packline and the gateways then agree on what was signed."""
    for name, value in params.items():
        text = value_text(value) if value is not None else ""
        if text:
            form[name] = text
    return form


def response_of(answer: Mapping[str, Any], what: str,
                to_error: Callable[[Mapping[str, Any], str], PlatformError]) -> dict[str, Any]:
    """The `*_response` object of a gateway's answer; its `error_response` raised as the
    platform's error (`to_error`)."""
    error = answer.get("error_response")
    if isinstance(error, Mapping):
        raise to_error(error, what)
    for key, value in answer.items():
        if key.endswith("_response") and isinstance(value, dict):
            return value
    raise PlatformError(PlatformErrorKind.ERROR, f"{what}: no *_response in the answer",
                        code="bad_answer")


def address_fields(a: Any) -> dict[str, str]:
    """An address as the e-waybill services take it (province, city, district, detail)."""
    return {"province": a.province, "city": a.city, "district": a.district,
            "detail": a.address}


def yuan(value: object) -> Decimal:
    """An amount as a gateway sends it ("59.00", 59, "" or nothing) in yuan; unreadable is 0:
    intake checks the amounts it is given."""
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def yuan_text(value: Decimal) -> str:
    """An amount in yuan as an order record carries it: two decimals, never below zero."""
    return f"{max(value, Decimal(0)):.2f}"

