"""Which waybill provider serves a parcel: the shop's mapping for the carrier, its "*", the
channel's own service for a connected shop, else the pool; never the pool for an encrypted
receiver."""

from __future__ import annotations

import pytest

from app.domain.waybill_providers import ProviderRefused, choose_provider, is_platform


def test_the_shops_mapping_for_the_carrier_wins() -> None:
    choice = choose_provider("taobao", "yto", {"YTO": "pdd", "*": "cainiao"})
    assert (choice.provider, choice.source) == ("pdd", "shop:YTO")


def test_the_shops_star_serves_other_carriers() -> None:
    choice = choose_provider("jd", "ZTO", {"YTO": "pdd", "*": "cainiao"})
    assert (choice.provider, choice.source) == ("cainiao", "shop:*")


@pytest.mark.parametrize(("channel", "provider"), [
    ("taobao", "cainiao"), ("tmall", "cainiao"), ("pdd", "pdd"), ("douyin", "douyin")])
def test_a_connected_shop_without_a_mapping_uses_its_channels_service(
        channel: str, provider: str) -> None:
    choice = choose_provider(channel, "ZTO", None)
    assert (choice.provider, choice.source) == (provider, "channel")


def test_other_channels_and_shops_not_connected_use_the_pool() -> None:
    assert choose_provider("jd", "SF", {}).provider == "pool"
    assert choose_provider("taobao", "SF", None, connected=False).provider == "pool"
    assert not is_platform(choose_provider("offline", "SF", None).provider)


def test_an_encrypted_receiver_is_never_given_to_the_pool() -> None:
    with pytest.raises(ProviderRefused) as refused:
        choose_provider("jd", "SF", {"*": "pool"}, encrypted=True)
    assert refused.value.code == "waybill.encrypted_needs_platform"
    with pytest.raises(ProviderRefused):
        choose_provider("taobao", "SF", None, encrypted=True, connected=False)
    assert choose_provider("taobao", "SF", None, encrypted=True).provider == "cainiao"


def test_an_unknown_provider_in_the_shops_setting_is_refused_in_words() -> None:
    with pytest.raises(ProviderRefused) as refused:
        choose_provider("taobao", "SF", {"SF": "fedex"})
    assert refused.value.code == "waybill.unknown_provider"
    assert refused.value.params == {"provider": "fedex", "carrier": "SF"}


def test_blank_entries_are_ignored_and_case_does_not_matter() -> None:
    assert choose_provider("JD", " sf ", {"sf": " CAINIAO ", "*": ""}).provider == "cainiao"
