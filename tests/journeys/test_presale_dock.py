"""Journey: the dock and a pre-packed presale parcel (预打包). A packer at the dock logs in with
their badge, chooses the warehouse and carrier from the keyboard and starts loading; the
wedge scanner reads the parcels at scanner speed. The pre-packed parcel whose balance is not
paid is refused and stays off the truck; the shift lead's command line applies the channel's
"balance paid"; the same parcel, its number typed by hand, loads, and the handover closes
(F4) with every parcel shipped. The outcome is read from the central database and the CLI."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from app.store.models import Carrier, Handover, Order, Package, Warehouse
from tests.helpers.packing import packed_orders, pre_pack
from tests.journeys import data, nav
from tests.journeys.harness import Journey


def on_truck(home: Path, tracking_no: str) -> bool:
    with data.central(home) as db, db.reader() as s:
        return s.scalar(select(Package.handover_id).where(
            Package.tracking_no == tracking_no)) is not None


def loading(home: Path) -> tuple[str, str] | None:
    """The open handover's warehouse and carrier codes."""
    with data.central(home) as db, db.reader() as s:
        row = s.execute(select(Warehouse.code, Carrier.code)
                        .join(Handover, Handover.warehouse_id == Warehouse.id)
                        .join(Carrier, Carrier.id == Handover.carrier_id)
                        .where(Handover.status == "open")).first()
        return (row[0], row[1]) if row else None


def test_the_dock_keeps_an_unpaid_pre_packed_parcel_until_its_balance_is_paid(
        new_home: Callable[..., Path], journey: Callable[..., Journey]) -> None:
    home = new_home(language="en")
    with data.central(home) as db:
        orders = packed_orders(db, home.parent / "packing-station", orders=6)
        with db.reader() as s:
            rows = s.execute(
                select(Order.order_no, Package.tracking_no, Carrier.code, Warehouse.code)
                .join(Package, Package.order_id == Order.id)
                .join(Carrier, Carrier.id == Package.carrier_id)
                .join(Warehouse, Warehouse.id == Order.warehouse_id)
                .where(Order.order_no.in_(orders)).order_by(Order.order_no)).all()
        carrier, wh = max({(c, w) for _n, _t, c, w in rows},
                          key=lambda cw: sum((c, w) == cw for _n, _t, c, w in rows))
        mine = [(no, tn) for no, tn, c, w in rows if (c, w) == (carrier, wh)]
        prepacked, prepacked_tn = mine[0]
        channel, channel_no = pre_pack(db, prepacked)
    badge = data.issue_badge(home, "packer01")
    j = journey(home)
    data.wait_ready(j, home)
    j.scan(badge)
    data.logged_in(j, home, "packer01")
    j.key(nav.nav_shortcut("packer", "handover"))
    # The screen chooses the warehouse and carrier with the most parcels waiting (the
    # pre-packed parcel is not among them: it waits on the shelf): this dock's. F2 starts.
    j.key("F2")
    assert j.wait_for("loading started", lambda: loading(home)) == (wh, carrier)
    j.scan(prepacked_tn)  # refused: nothing changes
    j.scan(mine[1][1])  # the next parcel, paid long ago, loads
    j.wait_for(f"{mine[1][1]} on the truck", lambda: on_truck(home, mine[1][1]))
    j.screenshot("unpaid-refused")
    assert not on_truck(home, prepacked_tn)
    assert j.order(prepacked)["status"] == "packed"

    j.cli("orders", "event", f"{channel}:{channel_no}", "balance_paid", "--key",
          "journey-balance-1")
    j.type_human(prepacked_tn)  # its label creased on the shelf: typed by hand this time
    j.key("Return")
    j.wait_for(f"{prepacked_tn} on the truck", lambda: on_truck(home, prepacked_tn))
    for _no, tn in mine[2:]:
        j.scan(tn)
        j.wait_for(f"{tn} on the truck", lambda tn=tn: on_truck(home, tn))
    j.key("F4")  # close and print the manifest
    if j.wait_for("the handover closed or a question", lambda: j.dialogs() or not loading(home)
                  ) and j.dialogs():  # parcels of this carrier packed at other benches
        j.answer("y", "close without the parcels not scanned")
    for no, _tn in mine:
        j.wait_for(f"{no} shipped", lambda no=no: j.order(no)["status"] == "shipped")
