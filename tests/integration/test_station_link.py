"""A station's link as the central database sees it (reported after every push) and as the
station handles it (back-off while the central database is out of reach)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.services import stations
from app.services.central_link import DatabaseLink
from app.services.context import system_actor
from app.services.errors import InvalidInput
from app.station import outbox
from app.station.models import OutboxEvent, new_id
from app.store.db import Database
from app.store.models import Station
from app.sync.contract import AuditNote, LinkDown
from tests.helpers.packing import actor, station

UNREACHABLE = "postgresql+psycopg://nobody@127.0.0.1:1/none"


def _link(db: Database, code: str) -> stations.StationLink:
    (link,) = [x for x in stations.overview(db, actor(db, "lead01")) if x.code == code]
    return link


def test_a_push_reports_the_station_s_link(gui_db: Database, tmp_path: Path) -> None:
    runtime = station(gui_db, tmp_path / "home")
    try:
        with runtime.store.unit_of_work() as s:
            outbox.append(s, AuditNote("packer01", "label.reprint", "order", "PL1"))
            # A row no station writes (a damaged store): refused at the station, never sent.
            s.add(OutboxEvent(id=new_id(), created_at=datetime.now(UTC), kind="pack.teleported",
                              payload={}))
        runtime.push_outbox()
        link = _link(gui_db, runtime.code)
        assert link.online and link.outbox_pending == 0 and link.outbox_refused == 1
        assert link.last_push_at is not None and link.app_version
        later = datetime.now(UTC) + stations.ONLINE_WITHIN + timedelta(seconds=1)
        (quiet,) = [x for x in stations.overview(gui_db, actor(gui_db, "lead01"), now=later)
                    if x.code == runtime.code]
        assert not quiet.online  # silent for longer than a few pushes: offline
        with runtime.store.unit_of_work() as s:
            outbox.append(s, AuditNote("packer01", "label.reprint", "order", "PL2"))
        runtime.connect(DatabaseLink(Database.from_url(UNREACHABLE, connect_timeout=1)))
        with pytest.raises(LinkDown):
            runtime.push_outbox()
        assert _link(gui_db, runtime.code).outbox_pending == 0  # last heard before the cut
    finally:
        runtime.stop()


@pytest.mark.parametrize("args", [("", 0, 0.0, 0), ("ST-X", -1, 0.0, 0), ("ST-X", 0, -1.0, 0),
                                  ("ST-X", 0, 0.0, -3)])
def test_a_nonsense_report_is_refused_and_changes_nothing(db: Database, args) -> None:
    with pytest.raises(InvalidInput):
        stations.report(db, *args, pushed_at=None)
    with db.reader() as s:
        assert s.scalars(select(Station).where(Station.code == "ST-X")).first() is None


def test_the_overview_lists_every_station(db: Database) -> None:
    links = stations.overview(db, system_actor())
    assert {x.code for x in links} >= {"ST-HZ-PACK-01"}
