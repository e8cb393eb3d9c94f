"""The platform API clients against the fake gateways (real sockets on 127.0.0.1)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.waybills import issued
from app.platforms.base import (
    Address,
    PlatformError,
    PlatformErrorKind,
    Shipment,
    ShopAccess,
    WaybillRequest,
    package_id,
)
from app.platforms.pdd import PddAdapter, PddClient, PddWaybillProvider
from app.platforms.registry import UnknownPlatform, adapter_for, provider_for
from app.platforms.taobao import CainiaoWaybillProvider, TaobaoAdapter, TopClient
from tests.helpers.fake_platform import APP_KEY, APP_SECRET, SESSION, FakePlatform

SENDER = Address("杭州仓", "0571-88880000", "浙江省", "杭州市", "余杭区", "仓前街道1号")
RECEIVER = Address("张三", "13800138000", "浙江省", "杭州市", "西湖区", "文三路90号")


def access(fake: FakePlatform, *, secret: str = APP_SECRET, session: str = SESSION,
           channel: str = "taobao", timeout_s: float = 2.0) -> ShopAccess:
    return ShopAccess(shop_code="TB1", channel=channel, api_url=fake.url, app_key=APP_KEY,
                      app_secret=secret, session=session, timeout_s=timeout_s,
                      shop_name="天猫旗舰店")


@pytest.fixture
def top() -> Iterator[FakePlatform]:
    with FakePlatform("top", stall_s=5) as fake:
        yield fake


@pytest.fixture
def pdd() -> Iterator[FakePlatform]:
    with FakePlatform("pdd", stall_s=5) as fake:
        yield fake


def request(request_id: str = "PL2611110000001:1", carrier: str = "YTO",
            receiver: Address = RECEIVER, channel: str = "") -> WaybillRequest:
    return WaybillRequest(request_id=request_id, order_no=request_id.split(":")[0],
                          channel_order_nos=("4162883832611119999",), carrier_code=carrier,
                          sender=SENDER, receiver=receiver, items=(("保温杯", 2),),
                          weight_g=800, channel=channel)


def test_a_wrong_secret_or_session_is_auth(top: FakePlatform, pdd: FakePlatform) -> None:
    for fake, client_type in ((top, TopClient), (pdd, PddClient)):
        for bad in (access(fake, secret="wrong-secret"), access(fake, session="expired-xyz")):
            client = client_type(bad)  # type: ignore[operator]
            with pytest.raises(PlatformError) as caught:
                client.call("taobao.trades.sold.increment.get" if fake.kind == "top"
                            else "pdd.order.number.list.increment.get", {})
            assert caught.value.kind is PlatformErrorKind.AUTH
            assert not caught.value.retryable
    # Signatures were checked: the fakes said so in the platforms' words.
    assert {r["error_response"]["code"] for r in top.refused} == {25, 27}
    assert {r["error_response"]["error_code"] for r in pdd.refused} == {20004, 10019}


def test_the_call_limit_is_rate_limited_with_its_wait() -> None:
    with FakePlatform("top", calls_per_second=2) as fake:
        adapter = TaobaoAdapter(access(fake))
        now = datetime.now(UTC)
        adapter.orders_modified(now - timedelta(hours=1), now, 1, 10)
        adapter.orders_modified(now - timedelta(hours=1), now, 1, 10)
        with pytest.raises(PlatformError) as caught:
            adapter.orders_modified(now - timedelta(hours=1), now, 1, 10)
        assert caught.value.kind is PlatformErrorKind.RATE_LIMITED
        assert caught.value.retry_after == 1.0
        assert caught.value.code == "accesscontrol.limited-by-app-access-count"
    with FakePlatform("pdd", calls_per_second=1) as fake:
        adapter2 = PddAdapter(access(fake, channel="pdd"))
        adapter2.orders_modified(now - timedelta(minutes=10), now, 1, 10)
        with pytest.raises(PlatformError) as caught:
            adapter2.orders_modified(now - timedelta(minutes=10), now, 1, 10)
        assert caught.value.kind is PlatformErrorKind.RATE_LIMITED


def test_a_stalled_gateway_is_unreachable_within_the_timeout(top: FakePlatform) -> None:
    top.fail_next("stall", times=3)
    client = TopClient(access(top, timeout_s=0.3), tries=3, wait_s=0.01)
    started = time.monotonic()
    with pytest.raises(PlatformError) as caught:
        client.call("taobao.trades.sold.increment.get", {})
    took = time.monotonic() - started
    assert caught.value.kind is PlatformErrorKind.UNREACHABLE
    assert caught.value.retryable
    assert took < 3 * 0.3 + 1.0, took  # three tries of the timeout, never the stall


def test_5xx_and_dropped_connections_are_retried_then_unreachable(top: FakePlatform) -> None:
    client = TopClient(access(top), tries=3, wait_s=0.01)
    now = datetime.now(UTC)
    params = {"start_modified": (now - timedelta(hours=1)).astimezone()
              .strftime("%Y-%m-%d %H:%M:%S"), "end_modified": "x"}
    # Two failures then an answer: the one call succeeds (here: the platform's refusal of a
    # bad window, which is an answer, not retried).
    top.fail_next("5xx")
    top.fail_next("drop")
    with pytest.raises(PlatformError) as caught:
        client.call("taobao.trades.sold.increment.get", params)
    assert caught.value.kind is not PlatformErrorKind.UNREACHABLE
    assert top.calls == ["taobao.trades.sold.increment.get"]
    top.fail_next("5xx", times=3)
    with pytest.raises(PlatformError) as caught:
        client.call("taobao.trades.sold.increment.get", params)
    assert caught.value.kind is PlatformErrorKind.UNREACHABLE
    assert caught.value.code == "http.502"


def test_cainiao_waybill_is_idempotent_per_parcel(top: FakePlatform) -> None:
    provider = CainiaoWaybillProvider(access(top))
    first = provider.get(request())
    again = provider.get(request())
    other = provider.get(request("PL2611110000001:2"))
    assert first.provider == "cainiao"
    assert first.tracking_no == again.tracking_no != other.tracking_no
    assert issued("YTO", first.tracking_no)
    assert set(first.print_data) >= {"encryptedData", "signature", "templateURL", "ver"}
    assert len(top.waybills) == 2
    sent = top.waybill("PL2611110000001:1")
    assert sent["orders"] == ["4162883832611119999"]
    provider.cancel("YTO", first.tracking_no)
    assert top.waybill("PL2611110000001:1")["cancelled"] is True
    with pytest.raises(PlatformError) as caught:
        provider.cancel("YTO", "YT0000000000000")
    assert caught.value.kind is PlatformErrorKind.REFUSED


@pytest.mark.parametrize("kind", ["top", "pdd"])
def test_split_siblings_of_one_trade_get_a_waybill_each(kind: str) -> None:
    """Two children of one split platform trade send the same trade list; the services tell
    their parcels apart by the package id alone, so it names order and box."""
    with FakePlatform(kind) as fake:
        provider = (CainiaoWaybillProvider(access(fake)) if kind == "top"
                    else PddWaybillProvider(access(fake, channel="pdd")))
        first = provider.get(request("PL2611110000001-1:1"))
        sibling = provider.get(request("PL2611110000001-2:1"))
        second_box = provider.get(request("PL2611110000001-1:2"))
        again = provider.get(request("PL2611110000001-1:1"))
        assert len({first.tracking_no, sibling.tracking_no, second_box.tracking_no}) == 3
        assert again.tracking_no == first.tracking_no
        packages = {w["package_id"] for w in fake.waybills.values()}
        assert len(packages) == 3
        assert all(re.fullmatch(r"[0-9A-Za-z_]+", p) for p in packages), packages


def test_package_ids_name_order_and_box_in_allowed_characters() -> None:
    assert package_id("PL2611110000001:2") == "PL2611110000001_2"
    odd = package_id("PL26-1:1")
    assert re.fullmatch(r"PL26_1_[0-9a-f]{8}_1", odd), odd
    assert package_id("PL26_1:1") != odd  # two numbers never meet in one id
    assert package_id("Ab:1").lower() != package_id("AB:1").lower()


def test_the_order_channel_type_follows_the_channel(top: FakePlatform) -> None:
    provider = CainiaoWaybillProvider(access(top, channel="tmall"))
    provider.get(request("PL1:1"))
    provider.get(request("PL2:1", channel="taobao"))
    provider.get(request("PL3:1", channel="manual"))
    assert [top.waybill(f"PL{i}:1")["order_channels_type"] for i in (1, 2, 3)] == [
        "TM", "TB", "OTHERS"]
    with FakePlatform("pdd") as pdd:
        PddWaybillProvider(access(pdd, channel="pdd")).get(request("PL4:1"))
        assert pdd.waybill("PL4:1")["order_channels_type"] == "PDD"


def test_cainiao_encrypted_receiver_sends_the_oaid(top: FakePlatform) -> None:
    masked = Address("张*", "*******8000", "浙江省", "杭州市", "西湖区", "文三****",
                     oaid="1OAIDXYZ", cipher={"name": "~n~", "phone": "$p$", "address": "~a~"})
    CainiaoWaybillProvider(access(top)).get(request(receiver=masked, carrier="ZTO"))
    recipient = top.waybill("PL2611110000001:1")["recipient"]
    assert recipient["oaid"] == "1OAIDXYZ"
    assert recipient["tid"] == "4162883832611119999"
    assert issued("ZTO", top.waybill("PL2611110000001:1")["waybill_code"])


def test_pdd_waybill_is_idempotent_and_takes_its_ciphertexts_back(pdd: FakePlatform) -> None:
    provider = PddWaybillProvider(access(pdd, channel="pdd"))
    enc = Address("张*", "138****8000", "浙江省", "杭州市", "西湖区", "文三****",
                  oaid="OAXYZ", cipher={"name": "~bmFtZQ==~", "phone": "$cA==$",
                                        "address": "~YQ==~"})
    first = provider.get(request(carrier="YD", receiver=enc))
    assert provider.get(request(carrier="YD", receiver=enc)).tracking_no == first.tracking_no
    assert first.provider == "pdd" and issued("YD", first.tracking_no)
    recipient = pdd.waybill("PL2611110000001:1")["recipient"]
    assert recipient["name"] == "~bmFtZQ==~" and recipient["open_address_id"] == "OAXYZ"
    provider.cancel("YD", first.tracking_no)
    assert pdd.waybill("PL2611110000001:1")["cancelled"]


def test_taobao_shipment_once_then_already_done(top: FakePlatform) -> None:
    top.add_order("4162883832611119999")
    adapter = TaobaoAdapter(access(top))
    shipment = Shipment("4162883832611119999:YT0000000000001", "4162883832611119999", (),
                        "YTO", "YT0000000000001")
    adapter.confirm_shipment(shipment)
    with pytest.raises(PlatformError) as caught:
        adapter.confirm_shipment(shipment)
    assert caught.value.kind is PlatformErrorKind.ALREADY_DONE
    assert top.shipments("4162883832611119999") == [
        {"order": "4162883832611119999", "tracking_no": "YT0000000000001",
         "company": "YTO", "sub_orders": []}]
    assert top.send_attempts == {"4162883832611119999:YT0000000000001": 2}
    with pytest.raises(PlatformError) as caught:
        adapter.confirm_shipment(Shipment("9:YT1", "9", (), "YTO", "YT1"))
    assert caught.value.kind is PlatformErrorKind.REFUSED


def test_a_send_the_platform_does_not_accept_is_refused_not_retried(
        top: FakePlatform, pdd: FakePlatform) -> None:
    top.add_order("T200")
    pdd.add_order("261111-000200")
    top.sends_not_accepted.add("T200")
    pdd.sends_not_accepted.add("261111-000200")
    for adapter, number in ((TaobaoAdapter(access(top)), "T200"),
                            (PddAdapter(access(pdd, channel="pdd")), "261111-000200")):
        with pytest.raises(PlatformError) as caught:
            adapter.confirm_shipment(Shipment(f"{number}:YT1", number, (), "YTO",
                                              "YT0000000000001"))
        assert caught.value.kind is PlatformErrorKind.REFUSED, adapter
        assert not caught.value.retryable and caught.value.code == "not_success"
    assert top.shipments() == [] and pdd.shipments() == []


def test_taobao_split_shipment_names_its_sub_orders(top: FakePlatform) -> None:
    top.add_order("T100", lines=[("SKU-1", 1, "10.00"), ("SKU-2", 1, "20.00")])
    adapter = TaobaoAdapter(access(top))
    adapter.confirm_shipment(Shipment("T100:YT1", "T100", ("T10001",), "YTO", "YT1"))
    adapter.confirm_shipment(Shipment("T100:YT2", "T100", ("T10002",), "YTO", "YT2"))
    assert [s["sub_orders"] for s in top.shipments("T100")] == [["T10001"], ["T10002"]]


def test_pdd_shipment_once_then_already_done(pdd: FakePlatform) -> None:
    pdd.add_order("261111-000001")
    adapter = PddAdapter(access(pdd, channel="pdd"))
    shipment = Shipment("x", "261111-000001", (), "ZTO", "780000000000001")
    adapter.confirm_shipment(shipment)
    with pytest.raises(PlatformError) as caught:
        adapter.confirm_shipment(shipment)
    assert caught.value.kind is PlatformErrorKind.ALREADY_DONE
    assert pdd.shipments()[0]["company"] == "115"


def test_taobao_pages_through_a_window(top: FakePlatform) -> None:
    base = datetime.now(UTC) - timedelta(hours=2)
    for i in range(7):
        top.add_order(f"T{i:03d}", modified=base + timedelta(minutes=i), encrypted=i == 3)
    adapter = TaobaoAdapter(access(top))
    seen, page = [], 1
    while True:
        result = adapter.orders_modified(base - timedelta(minutes=1), base + timedelta(hours=1),
                                         page, 3)
        seen += [o.record["channel_order_no"] for o in result.orders]
        if not result.has_next:
            break
        page += 1
    assert page == 3
    assert seen == [f"T{i:03d}" for i in range(7)]
    encrypted = adapter.orders_modified(base, base + timedelta(hours=1), 1, 10).orders[3]
    receiver = encrypted.record["receiver"]
    assert receiver["oaid"].startswith("1OAID") and "*" in receiver["name"]
    assert encrypted.record["shop"] == "天猫旗舰店"


def test_pdd_pages_and_maps_encrypted_receivers(pdd: FakePlatform) -> None:
    base = datetime.now(UTC) - timedelta(minutes=40)
    for i in range(5):
        pdd.add_order(f"261111-{i:06d}", modified=base + timedelta(minutes=i), encrypted=True,
                      lines=[("SKU-00001", 2, "19.90")])
    adapter = PddAdapter(access(pdd, channel="pdd"))
    first = adapter.orders_modified(base, base + timedelta(minutes=20), 1, 2)
    assert first.has_next and first.total == 5
    record = first.orders[0].record
    assert record["channel"] == "pdd"
    assert record["receiver"]["name"] == "张*"
    assert record["receiver"]["phone"] == "138****8000"
    assert set(record["receiver"]["cipher"]) == {"name", "phone", "address"}
    assert record["merge_key"] == record["receiver"]["oaid"]
    assert record["lines"] == [{"sku": "SKU-00001", "qty": 2, "price": "19.90"}]
    with pytest.raises(PlatformError) as caught:  # more than the 30 minutes allowed
        adapter.orders_modified(base, base + timedelta(minutes=31), 1, 2)
    assert caught.value.kind is PlatformErrorKind.REFUSED


def test_registry_names_what_it_does_not_know(top: FakePlatform) -> None:
    assert isinstance(adapter_for(access(top, channel="tmall")), TaobaoAdapter)
    assert isinstance(adapter_for(access(top, channel="pdd")), PddAdapter)
    assert isinstance(provider_for("cainiao", access(top)), CainiaoWaybillProvider)
    assert isinstance(provider_for("pdd", access(top)), PddWaybillProvider)
    with pytest.raises(UnknownPlatform, match="kuaishou"):
        adapter_for(access(top, channel="kuaishou"))
    with pytest.raises(UnknownPlatform, match="sto-direct"):
        provider_for("sto-direct", access(top))


def test_empty_and_chinese_values_sign_as_the_gateways_check_them(
        top: FakePlatform, pdd: FakePlatform) -> None:
    """An empty parameter is left out of the form as of the signature (TOP leaves empty
    values out of the signed text; sent, a gateway signing them another way would refuse
    the call), and Chinese text is signed as UTF-8: the fakes accept both."""
    form = TopClient(access(top)).form("taobao.logistics.online.send",
                                       {"tid": "T1", "memo": "", "feature": None,
                                        "sender_name": "杭州仓"})
    assert "memo" not in form and "feature" not in form and form["sender_name"] == "杭州仓"
    top.add_order("T300")
    TaobaoAdapter(access(top)).confirm_shipment(
        Shipment("T300:YT1", "T300", (), "YTO", "YT0000000000301"))
    pdd.add_order("261111-000300")
    client = PddClient(access(pdd, channel="pdd"))
    assert "refund_address_id" not in client.form("pdd.logistics.online.send",
                                                  {"refund_address_id": ""})
    client.call("pdd.logistics.online.send", {"order_sn": "261111-000300", "logistics_id": 115,
                                              "tracking_number": "780000000300",
                                              "refund_address_id": "", "feature": "备注"})
    assert top.refused == [] and pdd.refused == []


def test_secrets_stay_out_of_repr(top: FakePlatform) -> None:
    shown = repr(access(top))
    assert APP_SECRET not in shown and SESSION not in shown
