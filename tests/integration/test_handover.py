"""Handover at the dock: parcels of one carrier scanned onto the truck, the missing ones listed,
an intercepted order kept back with its exception, closing ships the orders and gives the
manifest (printed and read back)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, update

from app.services import handover
from app.services.errors import Conflict, InvalidInput
from app.store.db import Database
from app.store.models import Carrier, Order, OrderException, Package, Warehouse
from tests.helpers.packing import actor, packed_orders

pytestmark = pytest.mark.timeout(180)


@pytest.fixture
def packed(gui_db: Database, tmp_path: Path) -> tuple[Database, list[str]]:
    return gui_db, packed_orders(gui_db, tmp_path / "home", orders=4)


def test_handover_ships_what_was_scanned_and_keeps_back_the_intercepted(packed) -> None:
    db, orders = packed
    with db.reader() as s:
        rows = s.execute(select(Order.order_no, Package.tracking_no, Carrier.code,
                                Warehouse.code)
                         .join(Package, Package.order_id == Order.id)
                         .join(Carrier, Carrier.id == Package.carrier_id)
                         .join(Warehouse, Warehouse.id == Order.warehouse_id)
                         .where(Order.order_no.in_(orders))).all()
    carrier, wh = rows[0][2], rows[0][3]
    mine = [(no, tn) for no, tn, c, _w in rows if c == carrier]
    dock = actor(db, "packer01")
    view = handover.open_handover(db, dock, wh, carrier)
    assert view.expected >= len(mine) and view.scanned == 0
    assert handover.open_handover(db, dock, wh, carrier).handover_no == view.handover_no
    with pytest.raises(InvalidInput):
        handover.close(db, dock, view.handover_no)  # nothing scanned yet
    (kept_no, kept_tn), *rest = mine
    with db.unit_of_work() as s:
        s.execute(update(Order).where(Order.order_no == kept_no)
                  .values(intercept="refund_requested"))
    with pytest.raises(handover.InterceptedAtDock):
        handover.scan_parcel(db, dock, view.handover_no, kept_tn)
    with db.reader() as s:
        kept = s.scalars(select(Order).where(Order.order_no == kept_no)).one()
        assert (kept.status, kept.exception) == ("exception", "intercepted_after_pack")
        assert s.scalar(select(OrderException.category).where(
            OrderException.order_id == kept.id)) == "intercepted_after_pack"
    for _no, tn in rest:
        view = handover.scan_parcel(db, dock, view.handover_no, tn)
    assert view.scanned == len(rest)
    if rest:
        with pytest.raises(Conflict):  # the same parcel twice
            handover.scan_parcel(db, dock, view.handover_no, rest[0][1])
        manifest = handover.close(db, dock, view.handover_no)
        assert {p.tracking_no for p in manifest.parcels} == {tn for _no, tn in rest}
        with db.reader() as s:
            shipped = set(s.scalars(select(Order.status).where(
                Order.order_no.in_([no for no, _tn in rest]))))
        assert shipped == {"shipped"}
        import zxingcpp

        from app.printing.raster import pdf_to_images
        from app.printing.render import render

        page = pdf_to_images(render(manifest, "pdf", paper="a4"), 150)[0]
        assert view.handover_no in {b.text for b in zxingcpp.read_barcodes(page)}
