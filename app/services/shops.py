"""A shop's platform settings, and how Packline reaches its platform.

A shop (店铺) is set up for its platform with `set_shop`: its code (what
`packline channels pull --shop` takes), channel and name, the seller's platform id, the
open-API gateway and app key, whether the engine pulls its orders, which waybill provider
serves each carrier (carrier code or "*" → pool, cainiao, pdd, douyin) and when the platform
is told a parcel shipped (handover, packed or never). Editing it is one of the floor's rules
(`rules.edit`), audited.

The app secret and the seller's session (access token) are kept like the central database's
password — never in the database, never printed, blanked in every log:
1. the environment: `PACKLINE_SHOP_SECRET_<CODE>` and `PACKLINE_SHOP_SESSION_<CODE>` (the
   code upper-cased, anything but letters and digits as `_`);
2. the operating system's keyring: service `packline-shop`, user = the shop code (the secret)
   and `CODE:session` (the session).
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select

from app import redact
from app.domain.roles import Permission
from app.domain.waybill_providers import PROVIDERS as KNOWN_PROVIDERS
from app.domain.waybill_providers import ProviderRefused, choose_provider
from app.platforms.base import ShopAccess
from app.platforms.registry import PROVIDERS as SERVED_PROVIDERS
from app.services import audit, changes
from app.services.access import guarded
from app.services.changes import Change
from app.services.context import Actor
from app.services.errors import InvalidInput, NotFound
from app.store.db import Database
from app.store.models import Carrier, Channel, Shop

log = logging.getLogger("packline.shops")

KEYRING_SERVICE = "packline-shop"
SECRET_ENV = "PACKLINE_SHOP_SECRET_"
SESSION_ENV = "PACKLINE_SHOP_SESSION_"
# The waybill providers a shop may name: the pool and those Packline has a client for
# (`app.platforms.registry.PROVIDERS`); a platform's service it cannot ask is refused.
PROVIDERS = ("pool", *SERVED_PROVIDERS)
CONFIRM_ON = ("handover", "packed", "never")
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,31}$")


@dataclass(frozen=True, slots=True)
class ShopView:
    code: str | None
    channel: str
    name: str
    platform_shop_id: str
    api_url: str
    app_key: str
    pull_enabled: bool
    waybill_providers: Mapping[str, str]
    confirm_on: str
    has_secret: bool  # whether a secret is found for it (never the secret)

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "channel": self.channel, "name": self.name,
                "platform_shop_id": self.platform_shop_id, "api_url": self.api_url,
                "app_key": self.app_key, "pull_enabled": self.pull_enabled,
                "waybill_providers": dict(self.waybill_providers),
                "confirm_on": self.confirm_on, "has_secret": self.has_secret}


def env_name(prefix: str, code: str) -> str:
    return prefix + re.sub(r"[^A-Z0-9]", "_", code.upper())


def _keyring(user: str) -> str | None:
    try:
        import keyring
    except ImportError:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, user)
    except Exception as exc:  # noqa: BLE001 - any keyring failure means "no secret here"
        log.warning("cannot read the keyring (%s)", type(exc).__name__)
        return None


def shop_secret(code: str) -> str | None:
    """The shop's app secret from the environment or the keyring; remembered for redaction."""
    found = os.environ.get(env_name(SECRET_ENV, code)) or _keyring(code.upper())
    redact.remember(found)
    return found or None


def shop_session(code: str) -> str:
    found = (os.environ.get(env_name(SESSION_ENV, code))
             or _keyring(f"{code.upper()}:session") or "")
    redact.remember(found)
    return found


def _view(shop: Shop) -> ShopView:
    return ShopView(code=shop.code, channel=shop.channel, name=shop.name,
                    platform_shop_id=shop.platform_shop_id or "", api_url=shop.api_url or "",
                    app_key=shop.app_key or "", pull_enabled=bool(shop.pull_enabled),
                    waybill_providers=dict(shop.waybill_providers or {}),
                    confirm_on=shop.confirm_on or "handover",
                    has_secret=bool(shop.code and shop_secret(shop.code)))


def normalize_code(code: str) -> str:
    text = (code or "").strip().upper()
    if not _CODE.match(text):
        raise InvalidInput(f"shop code {code[:40]!r}: 1 to 32 letters, digits, - or _",
                           code="shop.bad_code", value=code[:40])
    return text


@guarded(Permission.VIEW_ORDERS)
def list_shops(db: Database, actor: Actor) -> list[ShopView]:
    """Every shop, platform shops (with a code) first."""
    with db.reader() as s:
        rows = list(s.scalars(select(Shop).order_by(Shop.code.is_(None), Shop.code,
                                                    Shop.channel, Shop.name)))
        return [_view(r) for r in rows]


def _text(value: str, field: str, limit: int) -> str:
    text = value.strip()
    if len(text) > limit:
        raise InvalidInput(f"{field} is longer than {limit} characters",
                           code="shop.field_too_long", field=field, limit=limit)
    return text


def _url(value: str) -> str:
    text = _text(value, "api_url", 300)
    if not text:
        return ""
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput(f"api_url {text[:80]!r} is not an http(s) address",
                           code="shop.bad_url", value=text[:80])
    if parts.password or parts.username:
        raise InvalidInput("api_url may not hold a user or password",
                           code="shop.url_with_secret")
    return text


def parse_providers(text: str) -> dict[str, str]:
    """"YTO=cainiao,*=pool" → {"YTO": "cainiao", "*": "pool"} (the command line's form)."""
    out: dict[str, str] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        carrier, sep, provider = part.partition("=")
        if not sep:
            raise InvalidInput(f"{part!r}: expected CARRIER=PROVIDER",
                               code="shop.bad_provider_pair", value=part[:40])
        out[carrier.strip().upper()] = provider.strip().lower()
    return out


@guarded(Permission.EDIT_RULES)
def set_shop(db: Database, actor: Actor, code: str, *, channel: str | None = None,
             name: str | None = None, platform_shop_id: str | None = None,
             api_url: str | None = None, app_key: str | None = None,
             pull_enabled: bool | None = None,
             waybill_providers: Mapping[str, str] | None = None,
             confirm_on: str | None = None) -> ShopView:
    """Create or change a platform shop; only the fields given change. A new code needs its
    channel and name (a shop intake already made from an order file takes the code)."""
    shop_code = normalize_code(code)
    changed: dict[str, Any] = {}
    if platform_shop_id is not None:
        changed["platform_shop_id"] = _text(platform_shop_id, "platform_shop_id", 64) or None
    if api_url is not None:
        changed["api_url"] = _url(api_url) or None
    if app_key is not None:
        changed["app_key"] = _text(app_key, "app_key", 64) or None
    if pull_enabled is not None:
        changed["pull_enabled"] = bool(pull_enabled)
    if confirm_on is not None:
        when = confirm_on.strip().lower()
        if when not in CONFIRM_ON:
            raise InvalidInput(f"confirm_on {confirm_on[:20]!r}: one of {', '.join(CONFIRM_ON)}",
                               code="shop.bad_confirm_on", value=confirm_on[:20],
                               choices=", ".join(CONFIRM_ON))
        changed["confirm_on"] = when
    with db.unit_of_work() as s:
        if waybill_providers is not None:
            known = set(s.scalars(select(Carrier.code)))
            providers: dict[str, str] = {}
            for carrier, provider in waybill_providers.items():
                key = carrier.strip().upper()
                if key != "*" and key not in known:
                    raise InvalidInput(f"no carrier {carrier[:20]}", code="shop.unknown_carrier",
                                       carrier=carrier[:20])
                if provider.strip().lower() in KNOWN_PROVIDERS - set(PROVIDERS):
                    raise _not_served(provider.strip().lower(), key)
                if provider.strip().lower() not in PROVIDERS:
                    raise InvalidInput(f"waybill provider {provider[:20]!r}: one of "
                                       f"{', '.join(PROVIDERS)}", code="shop.bad_provider",
                                       value=provider[:20], choices=", ".join(PROVIDERS))
                providers[key] = provider.strip().lower()
            changed["waybill_providers"] = providers
        shop = s.scalars(select(Shop).where(Shop.code == shop_code).with_for_update()).first()
        new_channel = channel.strip().lower() if channel is not None else None
        new_name = _text(name, "name", 100) if name is not None else None
        if new_channel is not None and not s.scalars(
                select(Channel.code).where(Channel.code == new_channel)).first():
            raise InvalidInput(f"no channel {new_channel[:32]}", code="shop.unknown_channel",
                               channel=new_channel[:32])
        if shop is None:
            if not new_channel or not new_name:
                raise InvalidInput(f"a new shop {shop_code} needs its channel and name",
                                   code="shop.needs_channel_and_name", shop=shop_code)
            shop = s.scalars(select(Shop).where(Shop.channel == new_channel,
                                                Shop.name == new_name).with_for_update()).first()
            if shop is not None and shop.code:
                raise InvalidInput(f"shop {new_channel}/{new_name} has the code {shop.code}",
                                   code="shop.name_taken", shop=shop.code)
            if shop is None:
                shop = Shop(channel=new_channel, name=new_name, pull_enabled=False,
                            confirm_on="handover")
                s.add(shop)
            shop.code = shop_code
        else:
            if new_channel is not None:
                changed["channel"] = new_channel
            if new_name:
                changed["name"] = new_name
        old = {key: getattr(shop, key, None) for key in changed}
        for key, value in changed.items():
            setattr(shop, key, value)
        _check_served(shop)
        s.flush()
        changes.note(s, Change.RULES)
        view = _view(shop)
        moved = {k: v for k, v in changed.items() if old.get(k) != v}
        audit.record(s, actor, "shop.set", "shop", shop_code,
                     _short({k: old[k] for k in moved}), _short(moved),
                     {k: v for k, v in view.as_json().items() if k != "has_secret"})
        return view


def _not_served(provider: str, carrier: str) -> InvalidInput:
    return InvalidInput(f"Packline cannot ask {provider} for waybills (it asks "
                        f"{', '.join(PROVIDERS)}): choose one of those for {carrier}",
                        code="shop.provider_not_served", provider=provider[:20],
                        carrier=carrier[:20], choices=", ".join(PROVIDERS))


def _check_served(shop: Shop) -> None:
    """A shop connected to its platform whose orders would go to a provider Packline has no
    client for (a channel such as Douyin with no setting of its own) is refused: its orders
    would wait for a waybill nobody can fetch."""
    connected = bool(shop.code and shop.api_url and shop.app_key)
    try:
        provider = choose_provider(shop.channel, "", shop.waybill_providers,
                                   connected=connected).provider
    except ProviderRefused:
        return  # named per carrier; checked above
    if provider not in PROVIDERS:
        raise _not_served(provider, "*")


def _short(values: Mapping[str, Any]) -> str | None:
    if not values:
        return None
    text = json.dumps(values, ensure_ascii=False, sort_keys=True, default=str)
    return text if len(text) <= 200 else text[:199] + "…"


def shop_access(db: Database, code: str) -> ShopAccess:
    """How to reach the shop `code`'s platform, its secrets from the environment or the
    keyring. Raises NotFound (no such shop) or InvalidInput (no gateway, app key or secret)."""
    shop_code = normalize_code(code)
    with db.reader() as s:
        shop = s.scalars(select(Shop).where(Shop.code == shop_code)).first()
        if shop is None:
            raise NotFound(f"no shop {shop_code}", code="shop.not_found", shop=shop_code)
        view = _view(shop)
    if not view.api_url or not view.app_key:
        raise InvalidInput(f"shop {shop_code} has no gateway address or app key",
                           code="shop.not_configured", shop=shop_code)
    secret = shop_secret(shop_code)
    if not secret:
        raise InvalidInput(f"shop {shop_code} has no app secret: set "
                           f"{env_name(SECRET_ENV, shop_code)} or the keyring "
                           f"({KEYRING_SERVICE}, {shop_code})", code="shop.no_secret",
                           shop=shop_code, env=env_name(SECRET_ENV, shop_code),
                           service=KEYRING_SERVICE)
    return ShopAccess(shop_code=shop_code, channel=view.channel, api_url=view.api_url,
                      app_key=view.app_key, app_secret=secret, session=shop_session(shop_code),
                      platform_shop_id=view.platform_shop_id, shop_name=view.name)
