"""The central database's login roles (`packline db roles`, `app.store.roles`) on a database of
their own: applied through the command line with passwords from the environment, then each
role does its real work through the services and is refused what it has no grant for.

- station: logs people in, picks a wave, packs its orders (one set aside and taken up again),
  pushes them through the real outbox, tops up tracking numbers, fetches work, pulls changes,
  hands the parcels over; a short pick, a put-back and a push conflict change stock only
  through the stock functions, which keep stock and its ledger in step;
- engine: intake, the order engine, a channel event, wave release;
- office: users, a status change, escalation, review rules, cancelling a wave;
and the grants on the server are exactly the table in app/store/roles.py (docs/database.md).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from app.cli.main import main
from app.domain.roles import Role
from app.services import (
    auth,
    campaigns,
    channel_events,
    demo,
    engine,
    exceptions,
    handover,
    intake,
    orders,
    picking,
    put_back,
    put_wall,
    rules,
    stations,
    waves,
)
from app.services.context import system_actor
from app.services.errors import ScanRefused
from app.services.watch import Watcher
from app.station import outbox
from app.station.packing import PackingBench
from app.store import migrate, roles
from app.store.db import Database, make_engine
from app.store.models import (
    AppliedEvent,
    Carrier,
    Order,
    OrderException,
    Package,
    PackProgress,
    PutbackTask,
    Stock,
    StockMovement,
    User,
    Wave,
)
from app.sync.contract import PackConfirmed, PackedBox
from tests.helpers.cli import packline
from tests.helpers.databases import pg_admin_url, require_pg, scratch_pg_database
from tests.helpers.orders import order_record, write_jsonl
from tests.helpers.packing import busiest_warehouse, pick_to_the_end, station, unit_codes

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.timeout(300)


# ---------------------------------------------------------------- without a server


def test_the_printed_sql_grants_and_holds_no_password(capsys: pytest.CaptureFixture[str],
                                                      station_home: Path) -> None:
    assert main(["db", "roles"]) == 0
    sql = capsys.readouterr().out
    assert sql.startswith("-- Packline") and "BEGIN;" in sql and sql.rstrip().endswith("COMMIT;")
    assert 'CREATE ROLE "packline_station"' in sql and "PASSWORD" not in sql
    assert "GRANT SELECT ON TABLE stock_movements TO \"packline_station\";" in sql
    assert "ON TABLE stock TO \"packline_station\"" not in sql
    assert main(["db", "roles", "--prefix", "wh2_"]) == 0
    assert '"wh2_office"' in capsys.readouterr().out


@pytest.mark.parametrize("argv, said", [
    (["--prefix", "Bad-Name"], "role name"),
    (["--password-from-env", "station=PLT_SOME_PASSWORD"], "only for --apply"),
    (["--apply", "--password-from-env", "station"], "KIND=VARIABLE"),
    (["--apply", "--password-from-env", "cashier=PLT_SOME_PASSWORD"], "KIND=VARIABLE"),
    (["--apply", "--password-from-env", "station=PLT_NOT_SET"], "PLT_NOT_SET is not set"),
    (["--apply"], "needs a PostgreSQL central database"),
])
def test_bad_requests_are_refused_and_nothing_is_printed(
        argv: list[str], said: str, capsys: pytest.CaptureFixture[str], station_home: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLT_SOME_PASSWORD", "s3cret-not-shown")
    monkeypatch.delenv("PLT_NOT_SET", raising=False)
    assert main(["db", "roles", *argv]) == 2
    out, err = capsys.readouterr()
    assert out == "" and said in err and "s3cret-not-shown" not in err


def test_every_table_is_granted_or_left_to_the_owner_on_purpose() -> None:
    from app.services.orders import HOLDS_NOTHING
    from app.store.models import Base

    tables = set(Base.metadata.tables)
    assert set(roles.granted_tables()) | set(roles.OWNER_ONLY) == tables
    assert not set(roles.granted_tables()) & set(roles.OWNER_ONLY)
    # The release function's idea of "holds no stock" is the services'.
    assert set(roles.HOLDS_NOTHING) == {s.value for s in HOLDS_NOTHING}


def test_the_docs_show_the_grants_as_granted() -> None:
    doc = (ROOT / "docs" / "database.md").read_text(encoding="utf-8")
    assert roles.grants_markdown() in doc


# ---------------------------------------------------------------- on a database of its own


@dataclass
class Central:
    owner: Database
    station: Database
    engine: Database
    office: Database
    names: dict[str, str]
    passwords: dict[str, str]
    badges: dict[str, str]  # user code -> the badge an admin issued


def _drop_roles(names: list[str]) -> None:
    admin = sa.create_engine(pg_admin_url(), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP ROLE IF EXISTS "{name}"'))
    finally:
        admin.dispose()


@pytest.fixture(scope="module")
def central(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Central]:
    require_pg()
    prefix = f"plt_{secrets.token_hex(4)}_"
    names = roles.role_names(prefix)
    passwords = {kind: secrets.token_urlsafe(18) for kind in roles.KINDS}
    home = tmp_path_factory.mktemp("roles-home")
    with ExitStack() as stack:
        # Last out: the roles, once their database (which holds their grants) is gone.
        stack.callback(_drop_roles, list(names.values()))
        url = stack.enter_context(scratch_pg_database("roles"))
        owner = Database(make_engine(url))
        stack.callback(owner.dispose)
        migrate.upgrade(owner.bind)
        demo.seed(owner, system_actor(), orders=160, seed=23)
        admin = auth.login_password(owner, "admin", "admin123", "ST-IT")
        badges = {code: auth.issue_badge(owner, admin, code) for code in ("packer01", "picker01")}
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("PACKLINE_HOME", str(home))
            mp.setenv("PACKLINE_CENTRAL_URL", url)
            argv = ["db", "roles", "--apply", "--prefix", prefix]
            for kind, password in passwords.items():
                mp.setenv(f"PLT_{kind.upper()}_PW", password)
                argv += ["--password-from-env", f"{kind}=PLT_{kind.upper()}_PW"]
            assert main(argv) == 0
        logged = "".join(p.read_text(encoding="utf-8") for p in (home / "logs").glob("*"))
        assert not any(pw in logged for pw in passwords.values())

        def as_role(kind: str) -> Database:
            role_url = make_url(url).set(username=names[kind], password=passwords[kind])
            db = Database(make_engine(role_url.render_as_string(hide_password=False)))
            stack.callback(db.dispose)
            return db

        yield Central(owner, as_role("station"), as_role("engine"), as_role("office"),
                      names, passwords, badges)


def _refused(db: Database, sql: str, params: dict[str, Any] | None = None) -> None:
    """`sql` fails for lack of privilege (and changes nothing: its transaction rolls back)."""
    with db.bind.connect() as conn:  # type: ignore[union-attr]
        with pytest.raises(DBAPIError) as caught:
            conn.execute(text(sql), params or {})
        conn.rollback()
    assert isinstance(caught.value.orig, psycopg.errors.InsufficientPrivilege), (
        sql, caught.value.orig)


def _release(db: Database, orders_per_wave: int) -> tuple[str, str]:
    """Route the backlog and release one per-order wave, as the engine role: (warehouse,
    wave number)."""
    robot = system_actor("engine")
    engine.run_once(db, robot)
    wh = busiest_warehouse(db, "per_order", max_orders=orders_per_wave,
                           max_cells=orders_per_wave)
    (released,) = waves.release(db, robot, wh, "per_order", max_orders=orders_per_wave,
                                max_cells=orders_per_wave, max_waves=1)
    return wh, released.wave_no


def _ledger_agrees(db: Database) -> None:
    """Every stock row is what its ledger adds up to, and nothing is promised twice."""
    with db.reader() as s:
        ledger = {(k, b): (h, r) for k, b, h, r in s.execute(
            select(StockMovement.sku_id, StockMovement.bin_id,
                   func.sum(StockMovement.delta_on_hand), func.sum(StockMovement.delta_reserved))
            .group_by(StockMovement.sku_id, StockMovement.bin_id))}
        rows = s.execute(select(Stock.sku_id, Stock.bin_id, Stock.on_hand, Stock.reserved)).all()
    assert rows
    wrong = [(r, ledger.get((r.sku_id, r.bin_id))) for r in rows
             if ledger.get((r.sku_id, r.bin_id), (0, 0)) != (r.on_hand, r.reserved)]
    assert not wrong
    assert all(r.reserved <= r.on_hand for r in rows)


@pytest.mark.pg
def test_the_station_role_logs_in_picks_packs_syncs_and_hands_over(
        central: Central, tmp_path: Path) -> None:
    st = central.station
    wh, wave_no = _release(central.engine, orders_per_wave=3)
    picker = auth.login_password(st, "picker01", "picker123", station="ST-PICK-01")
    packer = auth.login_badge(st, central.badges["packer01"], station="ST-HZ-PACK-01")
    pick_to_the_end(st, picker, wave_no)
    with st.reader() as s:
        picked = list(s.scalars(select(Order.order_no).join(Wave, Wave.id == Order.wave_id)
                                .where(Wave.wave_no == wave_no, Order.status == "picked")
                                .order_by(Order.order_no)))
    assert len(picked) == 3

    rt = station(st, tmp_path / "home", extra=f"warehouse = {wh}\n")
    rt.start()
    try:
        bench = PackingBench(rt, packer)
        first = max(picked, key=lambda no: len(unit_codes(st, no)))
        rest = [no for no in picked if no != first]
        codes = unit_codes(st, first)
        assert bench.open(first).accepted
        for code in codes[:-1]:
            assert bench.scan(code).accepted
        assert bench.pause().accepted  # set aside: its steps go to the centre
        report = rt.push_outbox()
        assert report.refused == 0 and report.pushed >= 1
        with central.owner.reader() as s:
            assert s.scalar(select(func.count()).select_from(PackProgress)) == 1
        view = bench.open(first)  # taken up again here, then finished
        assert view.accepted, view.reason
        view = bench.scan(codes[-1])
        assert view.accepted, view.reason
        for no in rest:
            assert bench.open(no).accepted
            for code in unit_codes(st, no):
                assert bench.scan(code).accepted
        report = rt.push_outbox()
        assert report.refused == 0 and report.remaining == 0
        # The rest of `packline sync once`: tracking numbers, work to pack, what changed.
        rt.refill_tracking(packer)
        rt.cache_work()
        pulled = rt.pull_changes()
        assert pulled.rows["users"] > 0 and pulled.rows["skus"] > 0
    finally:
        rt.stop()

    with central.owner.reader() as s:
        assert set(s.scalars(select(Order.status).where(Order.order_no.in_(picked)))) \
            == {"packed"}
        assert s.scalar(select(func.count()).select_from(PackProgress)) == 0
        assert s.scalar(select(func.count()).select_from(AppliedEvent)
                        .where(AppliedEvent.outcome != "applied")) == 0
        parcels = s.execute(select(Package.tracking_no, Carrier.code)
                            .join(Order, Order.id == Package.order_id)
                            .join(Carrier, Carrier.id == Package.carrier_id)
                            .where(Order.order_no.in_(picked))).all()
        assert s.scalar(select(func.count()).select_from(StockMovement).where(
            StockMovement.reason == "pick", StockMovement.user_id == picker.user_id)) > 0
    assert handover.waiting_by_carrier(st, packer)
    for carrier in sorted({c for _tn, c in parcels}):
        ho = handover.open_handover(st, packer, wh, carrier)
        assert handover.view(st, packer, ho.handover_no).expected >= 1
        for tn, c in parcels:
            if c == carrier:
                handover.scan_parcel(st, packer, ho.handover_no, tn)
        handover.close(st, packer, ho.handover_no)
    with central.owner.reader() as s:
        assert set(s.scalars(select(Order.status).where(Order.order_no.in_(picked)))) \
            == {"shipped"}
    # `packline sync once` at the packing PC, as its packer.
    run = packline(tmp_path / "home", "sync", "once", central_url=_role_url(central, "station"),
                   as_user="packer01")
    assert run.returncode == 0, run.stderr
    # A packer looks an order up, with its history.
    detail = orders.order_detail(st, packer, first)
    assert detail["status"] == "shipped" and detail["history"]
    assert orders.count_orders(st, packer, orders.OrderFilter(statuses=("shipped",))) >= 3
    _ledger_agrees(central.owner)


@pytest.mark.pg
def test_the_station_role_does_the_pickers_other_moves_and_watches(central: Central) -> None:
    st, eng = central.station, central.engine
    picker = auth.login_badge(st, central.badges["picker01"], station="ST-PICK-01")
    watcher = Watcher(st)
    watcher.poll()  # the app's background watch, on every PC
    # Skip a task, hand the wave back, take it again and give it up before picking.
    _wh, wave_no = _release(eng, orders_per_wave=3)
    view = picking.claim(st, picker, wave_no)
    assert view.current is not None
    picking.skip(st, picker, wave_no, view.current.seq)
    assert picking.held_wave(st, picker) is not None
    assert picking.hand_back(st, picker, wave_no, "break").status == "released"
    picking.claim(st, picker, wave_no)
    assert picking.abandon(st, picker, wave_no, "cart broken") > 0
    # A multi-item wave: picked, then sorted at the put wall slot by slot.
    robot = system_actor("engine")
    wh = busiest_warehouse(eng, "multi_item", max_orders=3, max_cells=3)
    (multi,) = waves.release(eng, robot, wh, "multi_item", max_orders=3, max_cells=3,
                             max_waves=1)
    assert picking.pick_list(st, picker, multi.wave_no).tasks
    view = picking.claim(st, picker, multi.wave_no)
    scanned: list[str] = []
    while (task := view.current) is not None:
        picking.confirm_bin(st, picker, multi.wave_no, task.seq, task.bin_code)
        view = picking.pick(st, picker, multi.wave_no, task.seq, task.sku_code,
                            qty=task.qty - task.picked)
        scanned += [task.sku_code] * (task.qty - task.picked)
    assert view.status == "picked"
    done = [put.order_no for code in scanned
            if (put := put_wall.put(st, picker, multi.wave_no, code)).slot_complete]
    assert len(done) == multi.orders
    assert any(w["wave_no"] == multi.wave_no for w in waves.list_waves(st, picker))
    assert watcher.poll()  # the waves and orders moved
    _ledger_agrees(central.owner)


@pytest.mark.pg
def test_a_station_changes_stock_only_through_the_stock_functions(
        central: Central, tmp_path: Path) -> None:
    st, eng = central.station, central.engine
    wh, wave_no = _release(eng, orders_per_wave=6)
    picker = auth.login_password(st, "picker01", "picker123", station="ST-PICK-01")
    task = picking.claim(st, picker, wave_no).current
    assert task is not None
    picking.confirm_bin(st, picker, wave_no, task.seq, task.bin_code)
    picking.pick(st, picker, wave_no, task.seq, task.sku_code, qty=task.qty)

    # One of the picked orders is cancelled by its channel (the engine's work): what was
    # picked for it becomes a put-back, which the picker finishes at the bin.
    own = central.owner
    with own.reader() as s:
        cancelled_id, channel, number = s.execute(
            select(Order.id, Order.channel, Order.channel_order_no)
            .where(Order.order_no == task.cells[0][0])).one()
    channel_events.apply_event(eng, system_actor("engine"), channel, number, "cancelled", "c1")

    def bin_now(putback_id: int) -> int:
        with own.reader() as s:
            return int(s.scalar(select(Stock.on_hand).join(PutbackTask, (
                PutbackTask.sku_id == Stock.sku_id) & (PutbackTask.bin_id == Stock.bin_id))
                .where(PutbackTask.id == putback_id)) or 0)

    with own.reader() as s:
        back_id, back_qty = s.execute(select(PutbackTask.id, PutbackTask.qty).where(
            PutbackTask.order_id == cancelled_id, PutbackTask.status == "open")).one()
    on_hand = bin_now(back_id)
    put_back.finish_putback(st, picker, back_id, task.bin_code)
    with pytest.raises(ScanRefused):
        put_back.finish_putback(st, picker, back_id, task.bin_code)  # done: nothing twice
    assert bin_now(back_id) == on_hand + back_qty

    # The next bin is short: the orders that go without leave the wave, the bin is counted
    # down.
    nxt = picking.view(st, picker, wave_no).current
    assert nxt is not None
    picking.confirm_bin(st, picker, wave_no, nxt.seq, nxt.bin_code)
    picking.short_pick(st, picker, wave_no, nxt.seq, 0, "bin empty")
    with own.reader() as s:
        assert s.scalar(select(func.count()).select_from(StockMovement).where(
            StockMovement.reason == "adjust", StockMovement.user_id == picker.user_id)) == 1
        assert s.scalar(select(func.count()).select_from(OrderException).where(
            OrderException.category == "short_pick")) >= 1

    # A station packed an order still waiting in its wave: its push is a conflict, and the
    # order gives its stock back as it goes to the exception queue.
    _wh, waiting_wave = _release(eng, orders_per_wave=2)
    with st.reader() as s:
        order_id, order_no = s.execute(select(Order.id, Order.order_no)
                                       .join(Wave, Wave.id == Order.wave_id)
                                       .where(Wave.wave_no == waiting_wave)
                                       .order_by(Order.id)).first()
        held = s.scalar(select(func.sum(StockMovement.delta_reserved)).where(
            StockMovement.order_id == order_id,
            StockMovement.reason.in_(["reserve", "release", "pick"])))
    assert held and held > 0
    rt = station(st, tmp_path / "home")
    try:
        with rt.store.unit_of_work() as s:
            outbox.append(s, PackConfirmed(
                "packer01", order_no, "s-1", (PackedBox(1, "SFROLE0000001", None, 0, {1: 1}),),
                1, {}, None, None))
        report = rt.push_outbox()
    finally:
        rt.stop()
    assert report.refused == 1  # a conflict, for a shift lead
    with own.reader() as s:
        status, exception = s.execute(select(Order.status, Order.exception)
                                      .where(Order.id == order_id)).one()
        assert (status, exception) == ("exception", "sync_conflict")
        assert s.scalar(select(func.sum(StockMovement.delta_reserved)).where(
            StockMovement.order_id == order_id,
            StockMovement.reason.in_(["reserve", "release", "pick"]))) == 0
    _ledger_agrees(central.owner)


@pytest.mark.pg
def test_the_station_role_is_refused_what_a_station_never_does(central: Central) -> None:
    st, names = central.station, central.names
    with central.owner.reader() as s:
        stock_before = s.execute(select(func.sum(Stock.on_hand), func.sum(Stock.reserved))).one()
        routed = s.scalar(select(Order.id).where(Order.status == "routed").limit(1))
        packer = s.scalar(select(User.id).where(User.code == "packer01"))
        wave = s.scalar(select(Wave.id).limit(1))
    assert routed is not None
    for sql in (
        "UPDATE stock SET on_hand = on_hand + 100",
        "UPDATE stock SET reserved = 0",
        "INSERT INTO stock_movements (sku_id, bin_id, delta_on_hand, delta_reserved, reason, "
        "note) SELECT sku_id, bin_id, 5, 0, 'adjust', '' FROM stock LIMIT 1",
        "DELETE FROM stock_movements",
        "UPDATE users SET role = 'admin' WHERE code = 'packer01'",
        "UPDATE users SET password_hash = 'x', badge_hash = 'x' WHERE code = 'admin'",
        "UPDATE users SET active = false",
        "INSERT INTO users (code, name, role, password_hash, active) "
        "VALUES ('mallory', 'M', 'admin', 'x', true)",
        "DELETE FROM users WHERE code = 'picker01'",
        "DELETE FROM login_throttle",  # a lockout is not erased from a station
        "UPDATE login_throttle SET key = 'elsewhere'",
        "DELETE FROM orders WHERE id = (SELECT min(id) FROM orders)",
        "UPDATE orders SET intercept = NULL",  # an intercepted order stays stopped
        "UPDATE orders SET receiver_phone = '13900000000', amount_fen = 0",
        "UPDATE orders SET priority = 999",
        "INSERT INTO orders (order_no) VALUES ('PL0')",
        "UPDATE audit_log SET actor = 'nobody'",
        "DELETE FROM audit_log",
        "DELETE FROM applied_events",
        "INSERT INTO tracking_numbers (carrier_id, number, status) "
        "SELECT id, 'SF999', 'free' FROM carriers LIMIT 1",
        "UPDATE stations SET kind = 'office', warehouse_id = NULL",
        "UPDATE putback_tasks SET status = 'open'",
        "UPDATE review_rules SET enabled = false",
        "SELECT * FROM blacklist",
        "SELECT * FROM channel_events",
        "UPDATE presale_pools SET reserved = 0",
        "TRUNCATE orders CASCADE",
        "CREATE TABLE packline_extra (id int)",
        "CREATE FUNCTION packline_extra() RETURNS int LANGUAGE sql AS 'SELECT 1'",
        "ALTER TABLE orders DISABLE TRIGGER ALL",
        f'SET ROLE "{names["engine"]}"',
        "SELECT setval('orders_id_seq', 1)",
        # The stock functions refuse what their step cannot do:
        f"SELECT packline_stock_release({routed}, {packer}, 'x')",  # a routed order holds it
        f"SELECT packline_stock_pick({wave or 0}, 1, 1, {routed}, 1, {packer})",  # not in a wave
    ):
        _refused(st, sql)
    with central.owner.reader() as s:
        assert s.execute(select(func.sum(Stock.on_hand), func.sum(Stock.reserved))).one() \
            == stock_before
        assert s.scalar(select(User.role).where(User.code == "packer01")) == "packer"


def _role_url(central: Central, kind: str) -> str:
    db: Database = getattr(central, kind)
    return db.bind.url.render_as_string(hide_password=False)  # type: ignore[union-attr]


@pytest.mark.pg
def test_the_engine_role_takes_in_routes_and_releases(central: Central, tmp_path: Path) -> None:
    eng = central.engine
    robot = system_actor("engine")
    # `packline engine run` on the server, logged in as a service account with its token.
    admin = auth.login_password(central.owner, "admin", "admin123", "ST-IT")
    token = auth.create_service_account(central.owner, admin, "engine-svc", "订单引擎",
                                        Role.SHIFT_LEAD)
    run = packline(tmp_path / "server", "engine", "run", "--once",
                   central_url=_role_url(central, "engine"), token=token)
    assert run.returncode == 0, run.stderr
    path = write_jsonl(tmp_path / "in.jsonl", [
        order_record(f"ROLES-{n}", sku="SKU-00003", qty=1) for n in range(3)])
    report = intake.import_file(eng, robot, path)
    assert report.created == 3 and not report.errors
    engine.run_once(eng, robot)
    with eng.reader() as s:
        routed = s.execute(select(Order.channel, Order.channel_order_no)
                           .where(Order.status == "routed").order_by(Order.id)).first()
    assert routed is not None
    result = channel_events.apply_event(eng, robot, routed[0], routed[1], "refund_requested",
                                        "r1")
    assert result.applied
    wh = busiest_warehouse(eng, "per_order", max_orders=2, max_cells=2)
    assert waves.release(eng, robot, wh, "per_order", max_orders=2, max_cells=2, max_waves=1)
    for sql in (
        "UPDATE users SET role = 'admin'",
        "UPDATE users SET token_hash = 'x'",
        "DELETE FROM login_throttle",
        "INSERT INTO users (code, name, role, password_hash) VALUES ('m', 'M', 'admin', 'x')",
        "DELETE FROM orders WHERE id = (SELECT min(id) FROM orders)",
        "SELECT * FROM audit_log",
        "UPDATE audit_log SET actor = 'nobody'",
        "DELETE FROM stock_movements",
        "UPDATE stock_movements SET delta_on_hand = 0",
        "INSERT INTO applied_events (event_id, station, kind, outcome) "
        "VALUES ('x', 'ST', 'audit', 'applied')",
        "UPDATE tracking_numbers SET status = 'free'",
        "UPDATE stations SET kind = 'office'",
        "DELETE FROM pack_progress",
        "TRUNCATE stock CASCADE",
        "CREATE TABLE packline_extra (id int)",
    ):
        _refused(eng, sql)


@pytest.mark.pg
def test_the_office_role_does_what_the_office_screens_do(central: Central,
                                                        tmp_path: Path) -> None:
    off = central.office
    admin = auth.login_password(off, "admin", "admin123", station="ST-OFFICE-01")
    lead = auth.login_password(off, "lead01", "lead123", station="ST-OFFICE-01")
    auth.create_user(off, admin, auth.NewUser("packer77", "新打包员", Role.PACKER, "pack77!"))
    assert auth.login_password(off, "packer77", "pack77!").code == "packer77"
    engine.run_once(central.engine, system_actor("engine"))
    with off.reader() as s:
        routed = s.scalar(select(Order.order_no).where(Order.status == "routed")
                          .order_by(Order.id).limit(1))
    assert routed is not None
    # Held by a lead: it gives back its stock (through the release function).
    orders.change_status(off, lead, routed, "on_hold", reason="buyer called")
    orders.order_detail(off, lead, routed)
    exceptions.escalate(off, lead)
    code = rules.list_rules(off, lead)[0].code
    rules.update_rule(off, lead, code, enabled=False)
    rules.update_rule(off, lead, code, enabled=True)
    wh = busiest_warehouse(off, "per_order", max_orders=2, max_cells=2)
    (released,) = waves.release(off, lead, wh, "per_order", max_orders=2, max_cells=2,
                                max_waves=1)
    assert waves.cancel(off, lead, released.wave_no, "wrong carrier") == released.orders
    assert stations.overview(off, lead) is not None
    assert campaigns.overview(off, lead)
    queue = exceptions.queue(off, lead)
    assert queue and exceptions.counts(off, lead)
    item = queue[0]
    exceptions.resolve(off, lead, item.order_no, "cancel", "checked with the buyer")
    rules.swap(off, lead, *[r.code for r in rules.list_rules(off, lead)[:2]])
    # The office PC's background work: the change watcher and the station's sync round.
    Watcher(off).poll()
    rt = station(off, tmp_path / "office", code="ST-OFFICE-01")
    try:
        rt.push_outbox()
        rt.refill_tracking(lead)
        rt.cache_work()
        assert rt.pull_changes().rows["users"] > 0
    finally:
        rt.stop()
    # A lead imports an order file and the channel cancels one of its orders.
    path = write_jsonl(tmp_path / "lead.jsonl", [order_record("LEAD-1", sku="SKU-00004")])
    assert intake.import_file(off, lead, path).created == 1
    assert channel_events.apply_event(off, lead, "taobao", "LEAD-1", "cancelled", "c1").applied
    for sql in (
        "DELETE FROM users WHERE code = 'packer77'",
        "UPDATE users SET kind = 'service'",
        "DELETE FROM login_throttle",
        "UPDATE audit_log SET actor = 'nobody'",
        "DELETE FROM audit_log",
        "UPDATE stock SET on_hand = on_hand + 1",
        "INSERT INTO stock_movements (sku_id, bin_id, delta_on_hand, delta_reserved, reason, "
        "note) SELECT sku_id, bin_id, 5, 0, 'adjust', '' FROM stock LIMIT 1",
        "DELETE FROM orders WHERE id = (SELECT min(id) FROM orders)",
        "INSERT INTO tracking_numbers (carrier_id, number, status) "
        "SELECT id, 'SF998', 'free' FROM carriers LIMIT 1",
        "UPDATE skus SET weight_g = 1",
        "TRUNCATE orders CASCADE",
        "CREATE TABLE packline_extra (id int)",
    ):
        _refused(off, sql)
    _ledger_agrees(central.owner)


PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")


@pytest.mark.pg
def test_every_role_checks_the_schema_version_and_none_changes_it(central: Central) -> None:
    from app.services import schema

    for db in (central.station, central.engine, central.office):
        state = schema.require(db)
        assert state is not None and state.kind == "current"
        _refused(db, "UPDATE alembic_version SET version_num = 'x'")
        _refused(db, "DELETE FROM alembic_version")


@pytest.mark.pg
def test_the_server_holds_exactly_the_documented_grants(central: Central) -> None:
    with central.owner.reader() as s:
        columns: dict[str, list[str]] = {}
        for table, column in s.execute(text(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position")):
            columns.setdefault(table, []).append(column)
        for kind, role in central.names.items():
            # Every role reads the schema's version, none writes it.
            listed = {**roles.table_privileges(kind), roles.VERSION_TABLE: ("SELECT",)}
            for table, cols in columns.items():
                privileges = listed.get(table, ())
                whole = {p for p in privileges if "(" not in p}
                some = {p.split(" (")[0]: set(p.split(" (")[1].rstrip(")").split(", "))
                        for p in privileges if "(" in p}
                for privilege in PRIVILEGES:
                    has = s.scalar(text("SELECT has_table_privilege(:r, :t, :p)"),
                                   {"r": role, "t": table, "p": privilege})
                    assert has == (privilege in whole), (kind, table, privilege)
                for privilege, named in some.items():
                    held = {c for c in cols if s.scalar(text(
                        "SELECT has_column_privilege(:r, :t, :c, :p)"),
                        {"r": role, "t": table, "c": c, "p": privilege})}
                    assert held == named, (kind, table, privilege)
            for fn, (_args, callers, _why) in roles.STOCK_FUNCTIONS.items():
                may = s.scalar(text(
                    "SELECT bool_or(has_function_privilege(:r, p.oid, 'EXECUTE')) "
                    "FROM pg_proc p WHERE p.proname = :f"), {"r": role, "f": fn})
                assert may == (kind in callers or kind == "engine"), (kind, fn)  # its owner
            password = s.scalar(text("SELECT rolpassword FROM pg_authid WHERE rolname = :r"),
                                {"r": role})
            assert password.startswith("SCRAM-SHA-256$")
            assert central.passwords[kind] not in password
        owners = set(s.scalars(text(
            "SELECT pg_get_userbyid(proowner) FROM pg_proc WHERE proname LIKE 'packline_stock_%'"
            )))
    assert owners == {central.names["engine"]}
    # What tells the three apart, as the docs say.
    assert "UPDATE" in roles.table_privileges("engine")["stock"]
    assert "stock" not in roles.table_privileges("station")
    assert roles.table_privileges("station")["users"] == ("SELECT",)  # never written
    assert "INSERT" in roles.table_privileges("office")["users"]


@pytest.mark.pg
def test_applying_again_changes_nothing(central: Central, monkeypatch: pytest.MonkeyPatch,
                                        station_home: Path) -> None:
    def grants() -> list[Any]:
        with central.owner.reader() as s:
            return list(s.execute(text(
                "SELECT grantee, table_name, privilege_type FROM "
                "information_schema.role_table_grants WHERE grantee = ANY(:r) "
                "UNION ALL SELECT grantee, table_name || '.' || column_name, privilege_type "
                "FROM information_schema.column_privileges WHERE grantee = ANY(:r) "
                "ORDER BY 1, 2, 3"), {"r": list(central.names.values())}))

    def passwords() -> list[Any]:
        with central.owner.reader() as s:
            return list(s.execute(text(
                "SELECT rolname, rolpassword FROM pg_authid WHERE rolname = ANY(:r) "
                "ORDER BY 1"), {"r": list(central.names.values())}))

    before = grants(), passwords()
    url = central.owner.bind.url.render_as_string(hide_password=False)  # type: ignore[union-attr]
    monkeypatch.setenv("PACKLINE_CENTRAL_URL", url)
    prefix = central.names["station"].removesuffix("station")
    assert main(["db", "roles", "--apply", "--prefix", prefix]) == 0
    assert (grants(), passwords()) == before  # passwords given before are left alone
    with central.station.reader() as s:
        assert s.scalar(text("SELECT current_user")) == central.names["station"]


@pytest.mark.pg
def test_only_a_superuser_applies_them_and_a_refusal_changes_nothing(
        central: Central, monkeypatch: pytest.MonkeyPatch, station_home: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    station_url = central.station.bind.url.render_as_string(  # type: ignore[union-attr]
        hide_password=False)
    monkeypatch.setenv("PACKLINE_CENTRAL_URL", station_url)
    monkeypatch.setenv("PLT_NEW_PW", "would-be-new")
    prefix = central.names["station"].removesuffix("station")
    assert main(["db", "roles", "--apply", "--prefix", prefix,
                 "--password-from-env", "office=PLT_NEW_PW"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "database error" in err and "Traceback" not in err
    assert "superuser" in err or "permission denied" in err
    assert central.passwords["station"] not in err and "would-be-new" not in err
    with central.owner.reader() as s:
        assert s.scalar(text("SELECT has_table_privilege(:r, 'stock', 'UPDATE')"),
                        {"r": central.names["station"]}) is False


@pytest.mark.pg
def test_the_engine_counts_the_live_orders_and_every_pc_reads_the_dashboard(
        central: Central) -> None:
    """The engine's login counts the live orders for the dashboards; a lead's dashboard reads
    that count and the rest of its figures at an office PC and at a packing or dock PC."""
    from app.services import dashboard

    took = dashboard.summarise(central.engine, system_actor("engine"))
    assert took >= 0
    for db in (central.office, central.station):
        lead = auth.login_password(db, "lead01", "lead123", "ST-HZ-PACK-01")
        board = dashboard.snapshot(db, lead)
        assert board.backlog_at is not None and board.backlog_at < board.at
        assert board.backlog.total == dashboard.snapshot(central.owner, lead).backlog.total
    _refused(central.office, "UPDATE backlog_summary SET took_ms = 0")
    _refused(central.station, "UPDATE backlog_summary SET took_ms = 0")


@pytest.mark.pg
def test_a_station_never_gives_a_waybill_back_the_engine_does(central: Central) -> None:
    """Box 1 of a routed order holds a platform waybill issued for another route, the order
    now a pool carrier's: the station role's ask needs no grant it lacks (the ask is left to
    the engine), the engine role gives the stale waybill back and draws the pool number, and
    the station gets it."""
    from app.services import waybill_issue
    from app.services.errors import ServiceError
    from app.store.models import StationWaybillRequest, WaybillCancellation
    from tests.helpers.packing import actor

    engine.run_once(central.engine, system_actor("engine"))
    with central.owner.unit_of_work() as s:
        order = s.scalars(select(Order).where(
            Order.status == "routed", Order.receiver_oaid.is_(None),
            Order.receiver_cipher.is_(None), Order.intercept.is_(None),
            ~Order.id.in_(select(Package.order_id))).order_by(Order.id.desc()).limit(1)).one()
        no = order.order_no
        s.add(Package(order_id=order.id, box_no=1, carrier_id=order.carrier_id,
                      status="labelled", tracking_no="78STALE000001", waybill_provider="cainiao",
                      print_data={"encryptedData": "x"}, waybill_for="ZTO:0:another-route"))
    packer = actor(central.station, "packer01")
    with pytest.raises(ServiceError) as asked:
        waybill_issue.request(central.station, packer, "ST-ROLES", no, 1)
    assert asked.value.code == "waybill.fetching"
    with central.owner.reader() as s:
        assert s.scalar(select(StationWaybillRequest.box_no).join(
            Order, Order.id == StationWaybillRequest.order_id).where(Order.order_no == no)) == 1
    served = waybill_issue.serve_requests(central.engine, system_actor("engine"))
    assert served.for_the_pool >= 1 and not [e for e in served.errors if no in e]
    got = waybill_issue.request(central.station, packer, "ST-ROLES", no, 1)
    assert got.provider == "pool" and got.tracking_no != "78STALE000001"
    with central.owner.reader() as s:
        assert s.scalar(select(WaybillCancellation.tracking_no).where(
            WaybillCancellation.tracking_no == "78STALE000001")) == "78STALE000001"
    orders.change_status(central.owner, system_actor(), no, "cancelled", "test done")


def test_every_test_on_the_server_is_marked_pg_once() -> None:
    """A test that needs the PostgreSQL server carries the pg mark, once (`-m "not pg"`
    leaves it out, and nothing else)."""
    import inspect

    for name, fn in list(globals().items()):
        if not name.startswith("test_") or not callable(fn):
            continue
        marks = [m.name for m in getattr(fn, "pytestmark", [])]
        assert marks.count("pg") <= 1, name
        if "central" in inspect.signature(fn).parameters:
            assert marks.count("pg") == 1, name


@pytest.mark.pg
def test_the_presale_supplier_side_as_the_office_and_the_engine(central: Central,
                                                                tmp_path: Path) -> None:
    """A lead at an office PC names a campaign's suppliers, enters and imports deliveries,
    recomputes the promises and exports the compensations; the server engine raises the
    slips and flags the buyers — each within its role's grants."""
    from datetime import UTC, datetime, timedelta

    from app.services import supply

    off = central.office
    lead = auth.login_password(off, "lead01", "lead123", station="ST-OFFICE-01")
    code = max((c.code for c in campaigns.overview(off, lead)),
               key=lambda c: supply.board(off, lead, c).promises.open_orders)
    supply.save_supplier(off, lead, "SUP-ROLES", "角色测试厂")
    supply.set_campaign_suppliers(off, lead, code, "SUP-ROLES", "SUP-HZ")
    # Everything the campaign's supplier confirmed comes five days late, none of it here.
    for d in supply.board(off, lead, code).deliveries:
        supply.record_delivery(off, lead, code, d.supplier, d.due_on, d.qty,
                               expected_on=d.due_on + timedelta(days=5))
    path = tmp_path / "d.csv"
    path.write_text(f"活动,供应商,交期,数量\n{code},SUP-ROLES,2027-01-05,10\n", encoding="utf-8")
    assert supply.import_deliveries(off, lead, path).created == 1
    assert supply.promises(off, lead, code).open_orders > 0
    report = supply.raise_slips(central.engine, system_actor("engine"), code)
    assert report.raised > 0 and report.compensated == report.raised == report.by_level[3]
    assert supply.raise_slips(off, lead, code).raised == 0
    assert supply.export_compensations(off, lead, tmp_path / "c.xlsx", code) == report.raised
    exceptions.escalate(off, lead, datetime.now(UTC) + timedelta(hours=100))
    for item in exceptions.queue(off, lead, category="supplier_delay"):
        exceptions.resolve(off, lead, item.order_no, "notify")
    _refused(off, "UPDATE presale_campaigns SET price_fen = 1")
    _refused(central.engine, "UPDATE order_compensations SET amount_fen = 0")
