"""Which client serves a shop: its channel's adapter, and a waybill provider by code."""

from __future__ import annotations

from app.platforms.base import ChannelAdapter, PlatformError, PlatformErrorKind, ShopAccess
from app.platforms.base import WaybillProvider as WaybillProvider

__all__ = ["ADAPTER_CHANNELS", "PROVIDERS", "UnknownPlatform", "adapter_for", "provider_for"]

# Channels whose orders Packline can pull, and the providers it can ask for a waybill. The
# self-managed pool ("pool") is no platform: the services serve it themselves.
ADAPTER_CHANNELS = ("taobao", "tmall", "pdd")
PROVIDERS = ("cainiao", "pdd")


class UnknownPlatform(PlatformError):
    """No client for this channel or provider: a shop's settings name something Packline
    does not speak."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(PlatformErrorKind.REFUSED, message, code=code)


def adapter_for(access: ShopAccess) -> ChannelAdapter:
    channel = access.channel.strip().lower()
    if channel in ("taobao", "tmall"):
        from app.platforms.taobao import TaobaoAdapter

        return TaobaoAdapter(access)
    if channel == "pdd":
        from app.platforms.pdd import PddAdapter

        return PddAdapter(access)
    raise UnknownPlatform(f"no channel adapter for {channel!r} (shop {access.shop_code}); "
                          f"Packline pulls {', '.join(ADAPTER_CHANNELS)}",
                          code="unknown-channel")


def provider_for(code: str, access: ShopAccess) -> WaybillProvider:
    name = code.strip().lower()
    if name == "cainiao":
        from app.platforms.taobao import CainiaoWaybillProvider

        return CainiaoWaybillProvider(access)
    if name == "pdd":
        from app.platforms.pdd import PddWaybillProvider

        return PddWaybillProvider(access)
    raise UnknownPlatform(f"no waybill provider {code!r} (shop {access.shop_code}); "
                          f"Packline asks {', '.join(PROVIDERS)}",
                          code="unknown-provider")
