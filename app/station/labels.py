"""The waybill of a box packed at a station, from the order as the station holds it
(`PackSnapshot`) and the box's tracking number; and the labels drawn ahead of the first
order, so the first packer of the day does not wait for fonts and glyphs."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from app.domain.waybills import route_code
from app.printing.documents import Party, Waybill
from app.sync.contract import BoxWaybill, PackSnapshot
from app.sync.contract import Party as SnapshotParty

_SAMPLE_RECEIVER = SnapshotParty("张三", "13800138000", "广东省", "深圳市", "南山区",
                                 "科技园南区8栋")


def _party(p: SnapshotParty) -> Party:
    return Party(p.name, p.phone, p.province, p.city, p.district, p.address)


def waybill_doc(snap: PackSnapshot, tracking_no: str, box_no: int, boxes: int,
                weight_g: int | None, issued: BoxWaybill | None = None,
                items: Mapping[int, int] | None = None) -> Waybill:
    """The waybill of box `box_no` of `boxes` of the order in `snap`. A platform's waybill
    (`issued`) carries its provider and print data, and the box's items (line → units) for
    the template's custom area."""
    platform = issued is not None and issued.provider != "pool"
    names = {ln.line_no: ln.name or ln.sku_code for ln in snap.lines}
    return Waybill(carrier_code=snap.carrier_code, carrier_name=snap.carrier_name,
                   tracking_no=tracking_no, sender=_party(snap.sender),
                   receiver=_party(snap.receiver), order_nos=(snap.order_no,),
                   package_no=box_no, package_count=boxes, weight_g=weight_g,
                   presale=snap.is_presale, promised_ship_by=snap.promised_ship_by,
                   route_code=route_code(snap.receiver.province, snap.receiver.city,
                                         snap.receiver.district), printed_at=datetime.now(UTC),
                   provider=issued.provider if platform and issued else "",
                   print_data=dict(issued.print_data) if platform and issued else None,
                   items=tuple((names.get(line, str(line)), units)
                               for line, units in sorted((items or {}).items())))


def sample_like(snap: PackSnapshot) -> PackSnapshot:
    """A label like `snap`'s (carrier, sender, presale, promised time) to a made-up
    receiver: drawing it draws what many of the day's labels share."""
    from dataclasses import replace

    return replace(snap, order_no="PL0000000000000", receiver=_SAMPLE_RECEIVER,
                   promised_ship_by="01-01 00:00" if snap.promised_ship_by else None)
