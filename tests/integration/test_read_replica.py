"""The central database with a streaming read replica (`[central] read_url`): a real second
cluster made by `pg_basebackup -R` from the local server (tests/helpers/replica.py).

What may be a moment behind is read there — the order list, the dashboard, the stations' pulls
of what changed — and proven to be: with the replica's replay paused, an order just imported on
the primary is missing from them while the primary has it. What must be fresh stays on the
primary: a login, a person's rights checked before they act, the order a station is about to
pack. The screens' watcher looks where the order list reads, so a change is announced
once a screen can see it there. The lag shows on the dashboard (the service, `packline dashboard`) and in
`packline doctor`; a replica that does not answer is passed over for the primary."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from app.domain.roles import Role
from app.services import auth, dashboard, demo, intake, orders
from app.services.central_link import DatabaseLink
from app.services.changes import Change
from app.services.context import system_actor
from app.services.errors import PermissionDenied
from app.services.watch import Watcher
from app.store import migrate
from app.store.db import Database
from tests.helpers.cli import packline
from tests.helpers.databases import closed_port, pg_admin_url, require_pg, scratch_pg_database
from tests.helpers.orders import drafts, order_record
from tests.helpers.replica import Standby, running_replica, wait_caught_up
from tests.helpers.waiting import eventually

pytestmark = [pytest.mark.pg, pytest.mark.timeout(600)]


@dataclass(frozen=True)
class Cluster:
    primary: str  # the central database
    replica: str  # the same database on the replica
    standby: Standby

    def database(self, **kwargs: object) -> Database:
        return Database.from_url(self.primary, read_url=self.replica, **kwargs)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    require_pg()
    with scratch_pg_database("replica") as url:
        db = Database.from_url(url)
        migrate.upgrade(db.bind)  # type: ignore[arg-type]
        demo.seed(db, system_actor(), orders=150, seed=13)
        db.dispose()
        with running_replica(pg_admin_url()) as standby:
            name = make_url(url).database
            yield Cluster(url, make_url(standby.url).set(database=name)
                          .render_as_string(hide_password=False), standby)


@contextmanager
def replay_paused(cluster: Cluster) -> Iterator[None]:
    """The replica stops applying what the primary writes (it still receives it)."""
    engine = sa.create_engine(cluster.standby.url, isolation_level="AUTOCOMMIT",
                              poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT pg_wal_replay_pause()"))
            eventually(lambda: conn.execute(sa.text("SELECT pg_get_wal_replay_pause_state()"))
                       .scalar_one() == "paused", what="the replica's replay to pause")
        yield
    finally:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT pg_wal_replay_resume()"))
        engine.dispose()


def _new_order(db: Database, number: str) -> str:
    """An order imported on the primary: its Packline order number."""
    record = order_record(number, buyer=f"tb_{number}",
                          receiver={"name": "李四", "phone": "13900139000", "province": "浙江省",
                                    "city": "杭州市", "district": "西湖区",
                                    "address": f"文一路{len(number)}号"})
    result = intake.ingest(db, system_actor(), drafts(record))
    assert len(result.created) == 1, result
    return result.created[0]


def test_lagging_reads_come_from_the_replica_and_fresh_ones_from_the_primary(
        cluster: Cluster) -> None:
    db = cluster.database()
    try:
        admin = auth.login_password(db, "admin", "admin123", "ST-OFFICE")
        lead = auth.login_password(db, "lead01", "lead123", "ST-OFFICE")
        with db.replica_reader() as s:
            assert s.scalar(sa.text("SELECT pg_is_in_recovery()")) is True
        with db.reader() as s:
            assert s.scalar(sa.text("SELECT pg_is_in_recovery()")) is False
        link = DatabaseLink(db)
        floor = link.floor("orders")
        wanted = orders.OrderFilter(search="REPLICA-0001")
        watcher = Watcher(db, announce=lambda _kinds: None)
        watcher.poll()  # the starting point
        with replay_paused(cluster):
            order_no = _new_order(db, "REPLICA-0001")
            # The screens' watcher looks where the order list reads: not announced yet.
            assert Change.ORDERS not in watcher.poll()
            # Read on the replica, which has not replayed it: the order list, its count and
            # the stations' pull of changed orders do not have it yet.
            assert orders.count_orders(db, lead, wanted) == 0
            assert orders.list_orders(db, lead, wanted) == []
            assert order_no not in {r.order_no for r in
                                    link.changes("orders", floor, None, None, 5000).rows}
            # Read on the primary: the order's page, and what a station packs by.
            assert orders.order_detail(db, lead, "REPLICA-0001")["order_no"] == order_no
            state = link.order_state(order_no)
            assert state is not None and state.status == "new"
            assert link.snapshot(order_no).order_no == order_no
            # A person made now logs in at once, and a role taken away now is taken away
            # for the next action, whatever the replica still says.
            auth.create_user(db, admin, auth.NewUser("lead77", "赵组长", Role.SHIFT_LEAD,
                                                     "lead77-pass"))
            lead77 = auth.login_password(db, "lead77", "lead77-pass", "ST-OFFICE")
            assert dashboard.snapshot(db, lead77).replica is not None
            auth.change_role(db, admin, "lead77", Role.PICKER)
            with pytest.raises(PermissionDenied):
                dashboard.snapshot(db, lead77)
            # The dashboard, read on the replica, says how far behind it is.
            board = dashboard.snapshot(db, lead)
            assert board.replica is not None and board.replica.paused
            assert board.replica.bytes is not None and board.replica.bytes > 0
            assert board.as_json()["replica"]["paused"] is True
        # Replay resumed: the replica catches up, the watcher announces the orders and the
        # reads there show the new one.
        eventually(lambda: Change.ORDERS in watcher.poll(),
                   what="the watcher to see the new order on the replica", timeout=60)
        assert orders.count_orders(db, lead, wanted) == 1
        assert order_no in {r.order_no for r in
                            link.changes("orders", floor, None, None, 5000).rows}
        wait_caught_up(cluster.primary, cluster.replica)
        lag = db.replica_lag()
        assert lag is not None and lag.reachable and lag.replica and not lag.paused
        assert lag.seconds is not None and lag.seconds < 60
    finally:
        db.dispose()


def test_a_replica_that_does_not_answer_is_passed_over_for_the_primary(
        cluster: Cluster) -> None:
    gone = make_url(cluster.replica).set(port=closed_port()).render_as_string(
        hide_password=False)
    db = Database.from_url(cluster.primary, read_url=gone, connect_timeout=2)
    try:
        lead = auth.login_password(db, "lead01", "lead123", "ST-OFFICE")
        assert orders.count_orders(db, lead, orders.OrderFilter()) > 0
        with db.replica_reader() as s:  # the primary, until the replica is asked again
            assert s.scalar(sa.text("SELECT pg_is_in_recovery()")) is False
        lag = dashboard.snapshot(db, lead).replica
        assert lag is not None and not lag.reachable and lag.error
    finally:
        db.dispose()


def test_the_lag_in_packline_dashboard_and_doctor(cluster: Cluster, tmp_path: Path) -> None:
    wait_caught_up(cluster.primary, cluster.replica)
    home = tmp_path / "office"
    env = {"PACKLINE_CENTRAL_READ_URL": cluster.replica}
    board = packline(home, "dashboard", "--json", central_url=cluster.primary,
                     as_user="lead01", env=env)
    assert board.returncode == 0, board.stderr
    lag = json.loads(board.stdout)["replica"]
    assert lag["reachable"] is True and lag["replica"] is True and lag["seconds"] is not None
    text = packline(home, "dashboard", central_url=cluster.primary, as_user="lead01", env=env)
    assert text.returncode == 0, text.stderr
    assert "Read replica  " in text.stdout and " s behind" in text.stdout, text.stdout
    doctor = packline(home, "doctor", "--json", central_url=cluster.primary, env=env)
    checks = {c["name"]: c for c in json.loads(doctor.stdout)["checks"]}
    replica = checks["read replica"]
    assert replica["status"] == "ok", replica
    assert replica["details"]["replica"] is True and "behind" in replica["message"]
    assert checks["settings"]["details"]["keys"]["central.read_url"]["source"] == "env"
    # A replica that does not answer: a warning (its reads go to the primary meanwhile).
    gone = make_url(cluster.replica).set(port=closed_port()).render_as_string(
        hide_password=False)
    down = packline(home, "doctor", "--json", central_url=cluster.primary,
                    env={"PACKLINE_CENTRAL_READ_URL": gone,
                         "PACKLINE_CENTRAL_CONNECT_TIMEOUT": "2"})
    warned = {c["name"]: c for c in json.loads(down.stdout)["checks"]}["read replica"]
    assert warned["status"] == "warn" and "not answering" in warned["message"], warned
    assert down.returncode == 0, down.stdout  # a warning: the station still works
    # Without a replica the check says so and the dashboard has none.
    plain = packline(home, "doctor", "--json", central_url=cluster.primary)
    skipped = {c["name"]: c for c in json.loads(plain.stdout)["checks"]}["read replica"]
    assert skipped["status"] == "skip"
