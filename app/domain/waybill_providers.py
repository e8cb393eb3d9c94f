"""Which waybill provider serves a parcel: the self-managed pool of tracking numbers or a
platform's e-waybill service (Cainiao for Taobao/Tmall, Pinduoduo's, Douyin's).

The shop's setting decides first (`shops.waybill_providers`: carrier code or "*" → provider),
then the channel's own service (for a shop connected to its platform: one with its gateway
and app key; a shop whose orders come in files has no service to ask), then the pool. A receiver the platform keeps encrypted (an
OAID or ciphertext) can only be printed by the platform's own service and print component:
the pool would print the masked name and address, so a pool choice for such an order is
refused, never printed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

POOL = "pool"
PROVIDERS = frozenset({POOL, "cainiao", "pdd", "douyin"})
# The channel's own e-waybill service, where it has one.
CHANNEL_SERVICE: dict[str, str] = {
    "taobao": "cainiao", "tmall": "cainiao", "tb": "cainiao", "pdd": "pdd",
    "pinduoduo": "pdd", "douyin": "douyin", "dy": "douyin",
}
# The print component that prints a provider's waybills (its printers' `language`).
COMPONENT_LANGUAGE: dict[str, str] = {"cainiao": "cainiao", "pdd": "pdd", "douyin": "douyin"}


class ProviderRefused(ValueError):
    """No provider may serve this parcel; `code` and `params` say why (a message code)."""

    def __init__(self, message: str, code: str, **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass(frozen=True, slots=True)
class Choice:
    provider: str
    source: str  # "shop:CARRIER", "shop:*", "channel" or "default": why this one


def choose_provider(channel: str, carrier_code: str, shop_setting: Mapping[str, Any] | None,
                    *, encrypted: bool = False, connected: bool = True) -> Choice:
    """The provider for a parcel of `carrier_code` of an order of `channel` whose shop has
    `shop_setting`. `encrypted`: the receiver is an OAID or ciphertext; `connected`: the shop
    is connected to its platform (its own service can be asked). Raises
    `ProviderRefused` for a setting naming no known provider, or a pool choice for an
    encrypted receiver."""
    setting = {str(k).strip().upper(): str(v).strip().lower()
               for k, v in (shop_setting or {}).items() if v is not None and str(v).strip()}
    carrier = carrier_code.strip().upper()
    if carrier and carrier in setting:
        choice = Choice(setting[carrier], f"shop:{carrier}")
    elif "*" in setting:
        choice = Choice(setting["*"], "shop:*")
    elif connected and channel.strip().lower() in CHANNEL_SERVICE:
        choice = Choice(CHANNEL_SERVICE[channel.strip().lower()], "channel")
    else:
        choice = Choice(POOL, "default")
    if choice.provider not in PROVIDERS:
        raise ProviderRefused(
            f"the shop names waybill provider {choice.provider!r} for {carrier or '*'}; "
            f"known: {', '.join(sorted(PROVIDERS))}", "waybill.unknown_provider",
            provider=choice.provider, carrier=carrier or "*")
    if encrypted and choice.provider == POOL:
        raise ProviderRefused(
            "the receiver is encrypted by the platform: only the platform's e-waybill "
            "service can print it, not the self-managed pool", "waybill.encrypted_needs_platform",
            carrier=carrier)
    return choice


def is_platform(provider: str) -> bool:
    return provider != POOL
