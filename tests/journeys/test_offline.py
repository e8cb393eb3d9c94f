"""Journey 5: the network to the central PostgreSQL goes (a TCP proxy between the app and the
server is cut) while a packer packs an order the station holds; the order number typed by hand,
the items scanned. Packed and labelled offline; applied centrally once the network is back."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.helpers.databases import require_pg, scratch_pg_database
from tests.helpers.proxy import TcpProxy
from tests.journeys import data, nav
from tests.journeys.harness import Journey, cli, cli_env

CODE = "ST-HZ-PACK-01"


@pytest.fixture
def pg_station(tmp_path: Path) -> Iterator[tuple[Path, str, TcpProxy]]:
    """A station home whose central database is PostgreSQL behind a proxy: (home, the direct
    URL for the shift lead's CLI, the proxy)."""
    require_pg()
    with scratch_pg_database("journey") as url:
        lead_home = tmp_path / "office"
        lead_home.mkdir()
        env = cli_env(lead_home, PACKLINE_CENTRAL_URL=url)
        for args in (("db", "upgrade"), ("demo", "seed", "--orders", "300", "--seed", "7"),
                     ("engine", "run", "--once")):
            cli(lead_home, *args, env=env)
        parsed = make_url(url)
        with TcpProxy(parsed.host or "127.0.0.1", parsed.port or 5432) as proxy:
            home = tmp_path / "home"
            home.mkdir()
            (home / "station.ini").write_text(
                f"[station]\ncode = {CODE}\nwarehouse = HZ\n\n[central]\nconnect_timeout = 2\n",
                encoding="utf-8")
            yield home, url, proxy
        shutil.rmtree(lead_home, ignore_errors=True)


def test_packing_a_held_order_while_the_central_database_is_gone(
        pg_station: tuple[Path, str, TcpProxy], journey: Callable[..., Journey]) -> None:
    home, url, proxy = pg_station
    order = _picked_order(url)
    via = make_url(url).set(host="127.0.0.1", port=proxy.port).render_as_string(
        hide_password=False)
    j = journey(home, cli_env(home, PACKLINE_CENTRAL_URL=via))
    central = cli_env(home, PACKLINE_CENTRAL_URL=url)  # the lead's view, past the proxy

    def central_order() -> dict[str, object]:
        import json

        return json.loads(cli(home, "orders", "show", order.order_no, "--json",  # type: ignore[no-any-return]
                              env=central).stdout)

    j.wait_for("the station to hold the order and tracking numbers",
               lambda: data.held(home, order.order_no), timeout=60)
    _packer_logs_in(j, url)

    proxy.cut()  # the network is gone
    j.key(nav.nav_shortcut("packer", "packing"))
    j.click(*nav.PACK_ENTRY)
    j.type_human(order.order_no)  # the label is torn: the packer types the number
    j.key("Return")
    j.wait_for(f"{order.order_no} open on the bench",
               lambda: data.session_status(home, order.order_no) == "open")
    for code in order.codes:
        j.scan(code)
    j.wait_for(f"{order.order_no} packed at the station",
               lambda: data.session_status(home, order.order_no) == "packed")
    printed = data.station_rows(home, "SELECT COUNT(*) FROM print_jobs WHERE kind = 'waybill'")
    assert printed == [(1,)]
    assert central_order()["status"] == "picked"  # the centre has not heard of it yet

    proxy.restore()  # the network is back: the station catches up by itself
    done = j.wait_for(f"{order.order_no} packed centrally",
                      lambda: (o := central_order())["status"] == "packed" and o, timeout=60)
    assert len(done["tracking_numbers"]) == 1  # type: ignore[arg-type]
    j.wait_for("the outbox emptied", lambda: data.station_rows(
        home, "SELECT COUNT(*) FROM outbox WHERE pushed_at IS NULL") == [(0,)])


def _packer_logs_in(j: Journey, url: str) -> None:
    """packer01 logs in by hand at the login screen, and the workspace shows."""
    j.type_human("packer01")
    j.key("Return")
    j.type_human("packer123")
    j.key("Return")
    j.wait_for("the packer's login", lambda: _logged_in(url, "packer01"))
    j.wait_for("the workspace on screen", lambda: j.shows_something(*nav.NAV_FIRST_ROW))


def _picked_order(url: str) -> data.PickedOrder:
    from app.store.db import Database, make_engine

    db = Database(make_engine(url))
    try:
        return data.picked_order_in(db)
    finally:
        db.dispose()


def _logged_in(url: str, user: str) -> bool:
    from sqlalchemy import select

    from app.store.db import Database, make_engine
    from app.store.models import AuditEntry

    db = Database(make_engine(url))
    try:
        with db.reader() as s:
            return s.scalar(select(AuditEntry.id).where(AuditEntry.action == "user.login",
                                                        AuditEntry.entity_id == user)) is not None
    finally:
        db.dispose()


def test_packing_a_held_order_while_the_link_drops_packets(
        pg_station: tuple[Path, str, TcpProxy], journey: Callable[..., Journey]) -> None:
    """The network stalls instead of going: connections stay open, nothing answers. The
    packer scans an order the station holds at scanner speed; the bench asks the centre once,
    gives up after its short deadline, and goes by what the station holds: every scan shows
    at once, the label prints, and the order reaches the centre when the link flows again."""
    import time

    home, url, proxy = pg_station
    order = _picked_order(url)
    via = make_url(url).set(host="127.0.0.1", port=proxy.port).render_as_string(
        hide_password=False)
    j = journey(home, cli_env(home, PACKLINE_CENTRAL_URL=via))
    central = cli_env(home, PACKLINE_CENTRAL_URL=url)

    def central_status() -> object:
        import json

        return json.loads(cli(home, "orders", "show", order.order_no, "--json",
                              env=central).stdout)["status"]

    j.wait_for("the station to hold the order and tracking numbers",
               lambda: data.held(home, order.order_no), timeout=60)
    _packer_logs_in(j, url)
    j.key(nav.nav_shortcut("packer", "packing"))
    j.click(*nav.PACK_ENTRY)

    proxy.stall()  # packets dropped: every connection open, no answer
    try:
        started = time.monotonic()
        j.scan(order.order_no)
        j.wait_for(f"{order.order_no} open on the bench",
                   lambda: data.session_status(home, order.order_no) == "open")
        for code in order.codes:
            j.scan(code)
        j.wait_for(f"{order.order_no} packed at the station",
                   lambda: data.session_status(home, order.order_no) == "packed")
        took = time.monotonic() - started
        # A scan that waited on the stalled link would wait for its connect timeout (2 s
        # here) each time; the bench asked once, for its short deadline.
        assert took < 1.0 * (len(order.codes) + 1), took
        printed = data.station_rows(home, "SELECT COUNT(*) FROM print_jobs "
                                          "WHERE kind = 'waybill'")
        assert printed == [(1,)]
    finally:
        proxy.unstall()  # the link flows again: the station catches up by itself
    j.wait_for(f"{order.order_no} packed centrally", lambda: central_status() == "packed",
               timeout=90)
