"""What the order importer accepts goes all the way: a file of awkward but acceptable orders
(decomposed accents, emoji, rare ideographs, Unicode line breaks and tabs inside fields, wide
spaces) is imported, reviewed and routed, released in a wave, picked, packed at a station and
labelled, with the text the door cleaned on the label."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select, update

from app.services import engine, intake, waves
from app.services.central_link import DatabaseLink
from app.services.context import system_actor
from app.station import outbox
from app.station.models import PrintJob
from app.station.packing import PackingBench
from app.store.db import Database
from app.store.models import Order
from tests.helpers.orders import order_record, sku_in_every_warehouse
from tests.helpers.packing import actor, pick_to_the_end, station, unit_codes

pytestmark = pytest.mark.timeout(180)

# (what the file says, what the door makes of it)
AWKWARD_NAMES = [
    ("Jose\u0301 Nu\u0301n\u0303ez", "José Núñez"),          # decomposed → NFC
    ("王\t小\u2028明", "王 小 明"),                            # tab, LINE SEPARATOR → space
    ("\u3000𠀀𠀁 陈\u00a0\u00a0大文 ", "𠀀𠀁 陈 大文"),            # Extension B, wide spaces
    ("李雷😀👍🏻", "李雷😀👍🏻"),                               # emoji with a skin tone
]


def test_awkward_but_accepted_orders_are_packed_and_labelled(gui_db: Database,
                                                             tmp_path: Path) -> None:
    db = gui_db
    sku = sku_in_every_warehouse(db)
    rows = []
    for n, (name, _clean) in enumerate(AWKWARD_NAMES):
        record = order_record(f"AWK-{n}", sku=sku, qty=1 + n % 2, vip_level=10,
                              buyer=f"buyer\u2029{n}", shop="天猫\u0085旗舰店")
        record["receiver"]["name"] = name
        record["receiver"]["address"] = "文三路\u202890号\t3幢"
        rows.append(json.dumps(record, ensure_ascii=False))
    path = tmp_path / "awkward.jsonl"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")

    report = intake.import_file(db, system_actor(), path)
    assert (report.created, report.errors) == (len(AWKWARD_NAMES), [])
    mine = {f"AWK-{n}": clean for n, (_name, clean) in enumerate(AWKWARD_NAMES)}
    with db.reader() as s:
        stored = {o.channel_order_no: o for o in s.scalars(
            select(Order).where(Order.channel_order_no.in_(mine)))}
        assert {no: o.receiver_name for no, o in stored.items()} == mine
        assert {o.address for o in stored.values()} == {"文三路 90号 3幢"}
        assert {o.buyer for o in stored.values()} == {f"buyer {n}" for n in range(4)}
        numbers = {o.order_no: o.channel_order_no for o in stored.values()}

    # Review and routing: the awkward orders pass like any other.
    engine.run_once(db, system_actor())
    with db.unit_of_work() as s:
        routed = dict(s.execute(select(Order.order_no, Order.status)
                                .where(Order.order_no.in_(numbers))).all())
        assert set(routed.values()) == {"routed"}, routed
        # The rest of the backlog waits, so the wave takes exactly these orders.
        s.execute(update(Order).where(Order.status == "routed",
                                      Order.order_no.not_in(numbers)).values(status="on_hold"))
    picker = actor(db, "picker01")
    released = []
    for wh in ("HZ", "GZ", "BJ"):
        released += waves.release(db, system_actor(), wh, "per_order", max_orders=10,
                                  max_cells=10)
    assert released
    for wave in released:
        pick_to_the_end(db, picker, wave.wave_no)

    rt = station(db, tmp_path / "home")
    rt.start()
    try:
        bench = PackingBench(rt, actor(db, "packer01"))
        for order_no in sorted(numbers):
            view = bench.open(order_no)
            assert view.accepted, view.reason
            for code in unit_codes(db, order_no):
                view = bench.scan(code)
                assert view.accepted, view.reason
            assert view.kind == "done" and len(view.printed) == 1, view
        with rt.store.reader() as s:
            labels = s.scalars(select(PrintJob).where(PrintJob.kind == "waybill")).all()
            assert len(labels) == len(numbers)
            assert all(job.data for job in labels)
        report_push = outbox.push(rt.store, DatabaseLink(db), rt.code)
        assert report_push.refused == 0
    finally:
        rt.stop()
    with db.reader() as s:
        statuses = set(s.scalars(select(Order.status).where(Order.order_no.in_(numbers))))
    assert statuses == {"packed"}
