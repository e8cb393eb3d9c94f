"""The station contract's waybills: a snapshot carries its provider and the waybills issued for
its boxes, and a snapshot cached before they existed still loads (as a pool order)."""

from __future__ import annotations

from app.sync.contract import BoxWaybill, PackSnapshot, Party, SnapshotLine


def _snapshot(**extra: object) -> PackSnapshot:
    return PackSnapshot(
        order_no="PL1", order_id=1, status="picked", intercept=None, wave_no="W1", priority=0,
        carrier_code="YTO", carrier_name="圆通速递",
        lines=(SnapshotLine(1, 7, "SKU-1", "杯子", 1, 300, (("6901234567892", 1),)),),
        other_orders={}, receiver=Party("张**", "138****8000", "浙江省", "杭州市", "西湖区",
                                        "文三路****"),
        sender=Party("店", "0571", "浙江省", "杭州市", "余杭区", "仓库"), **extra)  # type: ignore[arg-type]


def test_a_snapshot_carries_its_provider_and_waybills_through_its_dict() -> None:
    issued = BoxWaybill(1, "YT0000000001001", "cainiao",
                        {"encryptedData": "x", "signature": "s", "templateURL": "t"})
    snap = _snapshot(waybill_provider="cainiao", waybills=(issued,))
    back = PackSnapshot.from_dict(snap.to_dict())
    assert back == snap
    assert back.waybill(1) == issued and back.waybill(2) is None


def test_a_snapshot_cached_before_waybills_loads_as_a_pool_order() -> None:
    old = _snapshot().to_dict()
    del old["waybill_provider"], old["waybills"]
    back = PackSnapshot.from_dict(old)
    assert (back.waybill_provider, back.waybills) == ("pool", ())


def test_a_box_waybill_without_print_data_is_the_pools() -> None:
    assert BoxWaybill.from_dict({"box_no": 2, "tracking_no": "SF1"}) == BoxWaybill(2, "SF1")
