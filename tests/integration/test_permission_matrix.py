"""The permission matrix, enforced: every service called as every role, by real users.

`access.matrix()` (service × role, from `@guarded` and `ROLE_PERMISSIONS`) is the one table. A
role it refuses gets `PermissionDenied` before anything is written; a role it allows gets past
the gate (the dummy arguments then meet NotFound, InvalidInput … which is fine). The check is
live: a deactivated person gets `SessionEnded` from every service, and a person whose role
changed after login is judged by the new role, whatever their `Actor` still says.
"""

from __future__ import annotations

import ast
import importlib
import shutil
import tempfile
from collections.abc import Callable, Generator, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from app.domain.roles import Permission, Role
from app.printers import PrinterSpec
from app.services import access, auth, picking, put_back, put_wall, waves
from app.services.context import Actor
from app.services.errors import PermissionDenied, ServiceError, SessionEnded
from app.services.orders import OrderFilter
from app.station import print_queue
from app.station.models import CachedUser
from app.station.store import open_store
from app.station.users import attach
from app.store.db import Database
from app.store.models import AuditEntry, User

APP = Path(__file__).resolve().parents[2] / "app"
# Where guarded use cases are declared: the services, and the station's print queue.
GUARDED_MODULES = [*sorted((APP / "services").glob("*.py")), APP / "station" / "print_queue.py"]
USER_OF = {Role.PACKER: "packer01", Role.PICKER: "picker01", Role.SHIFT_LEAD: "lead01",
           Role.ADMIN: "admin"}
SPEC = PrinterSpec("label", "file:///dev/null", "zpl")

# Public functions that take an actor but are no service of their own, with why.
NOT_SERVICES = {
    "access.current": "the live check itself",
    "access.check": "the live check itself",
    "channel_pull.poll_all": "the engine's poller: calls the guarded channel_pull.pull for "
                             "each shop and logs a failure instead of stopping the engine",
    "engine.summarise_for_dashboards": "calls the guarded dashboard.summarise, and logs a "
                                       "failure instead of stopping the engine",
    "audit.record": "writes the audit row inside a guarded service's transaction (a Session)",
    "audit.record_many": "as audit.record",
    "orders.set_status": "the state machine step inside a guarded service's transaction",
    "stock.release_reservations": "inside a guarded service's transaction (a Session)",
    "put_back.leave_wave_on_intercept": "inside channel_events.apply_event's transaction",
    "put_back.leave_wave_as_exception": "inside exceptions/orders transactions (a Session)",
    "print_queue.add_job": "inside the packing bench's label transaction (a Session)",
    "stock.take": "inside picking.pick's transaction (a Session)",
    "stock.count_short": "inside picking.short_pick's transaction (a Session)",
    "stock.put_back": "inside put_back.finish_putback's transaction (a Session)",
    "platform_work.run_once": "the engine's pass over the guarded steps "
                              "(waybill_issue.serve_requests, prefetch, cancel_due, "
                              "shipments.send_due)",
    "waybill_issue.give_back": "inside the transaction that cancels, intercepts or changes "
                               "the receiver of an order (a Session)",
    "waybill_issue.queue_cancellations": "as waybill_issue.give_back",
    "waybill_issue.receiver_changed": "as waybill_issue.give_back",
    "waybill_issue.routed_again": "inside the engine's routing transaction (engine.run_once, "
                                  "guarded RUN_ENGINE)",
    "waybill_issue.withdraw_confirmations": "inside give_back's and shipments.send_due's "
                                            "transactions (a Session)",
    "wave_common.back_to_queue": "inside waves.cancel's and picking.abandon's transactions",
    "wave_common.finish_if_done": "inside the picking and put-back transactions (a Session)",
    "wave_common.leave_wave": "inside picking.short_pick's and put_back's transactions",
    "supply.flag_compensations": "inside supply.raise_slips', exceptions.escalate's and "
                                 "exceptions.resolve's transactions (a Session)",
    "supply.resolve_delay": "inside exceptions.resolve's transaction (a Session)",
}

Call = Callable[[Database, Database, Actor], Any]
NOPE = "NO-SUCH-THING"


def _plan(db: Database) -> waves.Plan:
    return waves.Plan("HZ", "per_order", [], {}, 0)  # nothing planned: nothing to release


# Each service with dummy-but-typed arguments: (central db, station store, actor) -> call.
CALLS: dict[str, Call] = {
    "auth.change_role": lambda db, st, a: auth.change_role(db, a, NOPE, Role.PACKER),
    "auth.create_service_account":
        lambda db, st, a: auth.create_service_account(db, a, "admin", "x", Role.PACKER),
    "auth.create_user": lambda db, st, a: auth.create_user(
        db, a, auth.NewUser("admin", "x", Role.PACKER, "long-enough-1")),
    "auth.issue_badge": lambda db, st, a: auth.issue_badge(db, a, NOPE),
    "auth.issue_token": lambda db, st, a: auth.issue_token(db, a, NOPE),
    "auth.list_users": lambda db, st, a: auth.list_users(db, a),
    "auth.reset_password": lambda db, st, a: auth.reset_password(db, a, NOPE, "long-enough-1"),
    "auth.revoke_badge": lambda db, st, a: auth.revoke_badge(db, a, NOPE),
    "auth.revoke_token": lambda db, st, a: auth.revoke_token(db, a, NOPE),
    "auth.set_active": lambda db, st, a: auth.set_active(db, a, NOPE, True),
    "auth.set_pin": lambda db, st, a: auth.set_pin(db, a, NOPE, None),
    "auth.unlock": lambda db, st, a: auth.unlock(db, a, NOPE),
    "campaigns.overview": lambda db, st, a: _m("campaigns").overview(db, a),
    "dashboard.snapshot": lambda db, st, a: _m("dashboard").snapshot(db, a),
    "dashboard.summarise": lambda db, st, a: _m("dashboard").summarise(db, a),
    "channel_events.apply_event": lambda db, st, a: _m("channel_events").apply_event(
        db, a, NOPE, NOPE, "cancel", "k-1"),
    "demo.seed": lambda db, st, a: _m("demo").seed(db, a, orders=-1),
    "engine.run_forever": lambda db, st, a: _m("engine").run_forever(db, a, stop=lambda: True),
    "engine.run_once": lambda db, st, a: _m("engine").run_once(db, a, max_orders=0),
    "exceptions.counts": lambda db, st, a: _m("exceptions").counts(db, a),
    "exceptions.escalate": lambda db, st, a: _m("exceptions").escalate(
        db, a, datetime(2000, 1, 1, tzinfo=UTC)),
    "exceptions.queue": lambda db, st, a: _m("exceptions").queue(db, a, limit=1),
    "exceptions.resolve": lambda db, st, a: _m("exceptions").resolve(db, a, NOPE, "release"),
    "handover.close": lambda db, st, a: _m("handover").close(db, a, NOPE),
    "handover.open_handover": lambda db, st, a: _m("handover").open_handover(db, a, NOPE, NOPE),
    "handover.scan_parcel": lambda db, st, a: _m("handover").scan_parcel(db, a, NOPE, NOPE),
    "handover.view": lambda db, st, a: _m("handover").view(db, a, NOPE),
    "handover.waiting_by_carrier": lambda db, st, a: _m("handover").waiting_by_carrier(db, a),
    "handover.waiting_parcels":
        lambda db, st, a: _m("handover").waiting_parcels(db, a, NOPE, NOPE),
    "intake.import_file": lambda db, st, a: _m("intake").import_file(
        db, a, Path("/nonexistent/orders.csv")),
    "intake.ingest": lambda db, st, a: _m("intake").ingest(db, a, []),
    "orders.change_status": lambda db, st, a: _m("orders").change_status(db, a, NOPE, "on_hold"),
    "orders.count_orders": lambda db, st, a: _m("orders").count_orders(db, a, OrderFilter()),
    "orders.iter_orders": lambda db, st, a: _m("orders").iter_orders(db, a, OrderFilter()),
    "orders.list_orders":
        lambda db, st, a: _m("orders").list_orders(db, a, OrderFilter(), limit=1),
    "orders.order_detail": lambda db, st, a: _m("orders").order_detail(db, a, NOPE),
    "pack_progress.paused": lambda db, st, a: _m("pack_progress").paused(db, a, NOPE),
    "presale_report.demand_report": lambda db, st, a: _m("presale_report").demand_report(
        db, a, NOPE),
    "print_queue.cancel": lambda db, st, a: print_queue.cancel(st, a, NOPE),
    "print_queue.enqueue": lambda db, st, a: print_queue.enqueue(
        st, a, SPEC, print_queue.test_document("label", "ST"), kind="test", ref="label"),
    "print_queue.reprint": lambda db, st, a: print_queue.reprint(st, a, NOPE, "label torn"),
    "print_queue.test_page": lambda db, st, a: print_queue.test_page(st, a, SPEC, "ST"),
    "print_queue.enqueue_pdf": lambda db, st, a: print_queue.enqueue_pdf(
        st, a, SPEC, b"", kind="badge_card", ref=NOPE),
    "badge_cards.issue_to_file": lambda db, st, a: _m("badge_cards").issue_to_file(
        db, a, NOPE, NOPE, Path(tempfile.gettempdir()) / "packline-no-card.pdf"),
    "print_queue.issue_badge_card": lambda db, st, a: print_queue.issue_badge_card(
        db, a, st, NOPE, NOPE, SPEC),
    "reference.carriers": lambda db, st, a: _m("reference").carriers(db, a),
    "reference.warehouses": lambda db, st, a: _m("reference").warehouses(db, a),
    "reference.set_cutoff": lambda db, st, a: _m("reference").set_cutoff(db, a, NOPE, None),
    "shops.list_shops": lambda db, st, a: _m("shops").list_shops(db, a),
    "shops.set_shop": lambda db, st, a: _m("shops").set_shop(db, a, "NOPE"),
    "channel_pull.pull": lambda db, st, a: _m("channel_pull").pull(db, a, "NOPE"),
    "channel_pull.list_rejects": lambda db, st, a: _m("channel_pull").list_rejects(db, a,
                                                                                 "NOPE"),
    "rules.list_rules": lambda db, st, a: _m("rules").list_rules(db, a),
    "rules.swap": lambda db, st, a: _m("rules").swap(db, a, NOPE, NOPE + "2"),
    "rules.update_rule": lambda db, st, a: _m("rules").update_rule(db, a, NOPE, enabled=True),
    "simulate.run": lambda db, st, a: _m("simulate").run(db, a, rate=0, duration=0),
    "stations.overview": lambda db, st, a: _m("stations").overview(db, a),
    "tracking.allocate_block":
        lambda db, st, a: _m("tracking").allocate_block(db, a, "ST", "SF", 0),
    "picking.abandon": lambda db, st, a: picking.abandon(db, a, NOPE),
    "presale.set_stock_mode": lambda db, st, a: _m("presale").set_stock_mode(db, a, NOPE,
                                                                              "real"),
    "presale.prepack_wave": lambda db, st, a: _m("presale").prepack_wave(db, a, NOPE, "HZ"),
    "presale.awaiting_balance_parcels":
        lambda db, st, a: _m("presale").awaiting_balance_parcels(db, a),
    "presale.ready_to_ship": lambda db, st, a: _m("presale").ready_to_ship(db, a),
    "presale.shelf_counts": lambda db, st, a: _m("presale").shelf_counts(db, a),
    "presale.unpack": lambda db, st, a: _m("presale").unpack(db, a, NOPE),
    "presale.close_campaign": lambda db, st, a: _m("presale").close_campaign(db, a, NOPE),
    "presale.stock_position": lambda db, st, a: _m("presale").stock_position(db, a, NOPE),
    "presale_scenario.run": lambda db, st, a: _m("presale_scenario").run(db, a, orders=0),
    "waves.cancel": lambda db, st, a: waves.cancel(db, a, NOPE),
    "picking.claim": lambda db, st, a: picking.claim(db, a, NOPE),
    "picking.confirm_bin": lambda db, st, a: picking.confirm_bin(db, a, NOPE, 1, NOPE),
    "put_back.finish_putback": lambda db, st, a: put_back.finish_putback(db, a, -1, NOPE),
    "picking.hand_back": lambda db, st, a: picking.hand_back(db, a, NOPE),
    "picking.held_wave": lambda db, st, a: picking.held_wave(db, a),
    "waves.list_waves": lambda db, st, a: waves.list_waves(db, a, limit=1),
    "picking.pick": lambda db, st, a: picking.pick(db, a, NOPE, 1, NOPE),
    "picking.pick_list": lambda db, st, a: picking.pick_list(db, a, NOPE),
    "waves.plan": lambda db, st, a: waves.plan(db, a, NOPE, "per_order"),
    "put_wall.put": lambda db, st, a: put_wall.put(db, a, NOPE, NOPE),
    "waves.release": lambda db, st, a: waves.release(db, a, NOPE, "per_order"),
    "waves.release_planned": lambda db, st, a: waves.release_planned(db, a, _plan(db), []),
    "picking.short_pick": lambda db, st, a: picking.short_pick(db, a, NOPE, 1, 0),
    "picking.skip": lambda db, st, a: picking.skip(db, a, NOPE, 1),
    "picking.view": lambda db, st, a: picking.view(db, a, NOPE),
    "waybills.waybill_for": lambda db, st, a: _m("waybills").waybill_for(db, a, NOPE),
    "waybill_issue.issue": lambda db, st, a: _m("waybill_issue").issue(db, a, NOPE),
    "waybill_issue.prefetch": lambda db, st, a: _m("waybill_issue").prefetch(db, a, limit=0),
    "waybill_issue.request":
        lambda db, st, a: _m("waybill_issue").request(db, a, "PACK-01", NOPE),
    "waybill_issue.serve_requests":
        lambda db, st, a: _m("waybill_issue").serve_requests(db, a, limit=0),
    "waybill_issue.cancel_due":
        lambda db, st, a: _m("waybill_issue").cancel_due(db, a, limit=0),
    "shipments.send_due": lambda db, st, a: _m("shipments").send_due(db, a, limit=0),
    "shipments.list_confirmations":
        lambda db, st, a: _m("shipments").list_confirmations(db, a, limit=1),
    "shipments.counts": lambda db, st, a: _m("shipments").counts(db, a),
    "shipments.retry": lambda db, st, a: _m("shipments").retry(db, a, -1),
    "supply.list_suppliers": lambda db, st, a: _m("supply").list_suppliers(db, a),
    "supply.save_supplier": lambda db, st, a: _m("supply").save_supplier(db, a, ""),
    "supply.set_campaign_suppliers":
        lambda db, st, a: _m("supply").set_campaign_suppliers(db, a, NOPE, NOPE),
    "supply.record_delivery": lambda db, st, a: _m("supply").record_delivery(
        db, a, NOPE, NOPE, datetime(2026, 11, 1).date(), 1),
    "supply.import_deliveries":
        lambda db, st, a: _m("supply").import_deliveries(db, a, "/nonexistent/NOPE.csv"),
    "supply.board": lambda db, st, a: _m("supply").board(db, a, NOPE),
    "supply.raise_slips": lambda db, st, a: _m("supply").raise_slips(db, a, NOPE),
    "supply.compensations": lambda db, st, a: _m("supply").compensations(db, a, NOPE),
    "supply.export_compensations":
        lambda db, st, a: _m("supply").export_compensations(db, a, "NOPE.csv", NOPE),
    "supply.promises": lambda db, st, a: _m("supply").promises(db, a, NOPE),
    "supply.promise_rows": lambda db, st, a: _m("supply").promise_rows(db, a, NOPE),
    "supply.export_promises":
        lambda db, st, a: _m("supply").export_promises(db, a, NOPE, "NOPE.csv"),
}


def _m(name: str) -> Any:
    return importlib.import_module(f"app.services.{name}")


MATRIX = access.matrix()


def _actors(db: Database) -> dict[Role, Actor]:
    with db.reader() as s:
        rows = {u.code: u for u in s.execute(select(User.code, User.id, User.name, User.role)
                                             .where(User.code.in_(list(USER_OF.values()))))}
    return {role: Actor(rows[code].id, code, rows[code].name, Role(rows[code].role),
                        station="ST-TEST", via="password") for role, code in USER_OF.items()}


@pytest.fixture(scope="module")
def migrated_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("station") / "station.db"
    open_store(path).dispose()
    return path


@pytest.fixture
def db(sqlite_db: Database) -> Database:
    """The gate runs before any statement of the service, the same on either engine: the
    service-by-service tests run on SQLite, and `test_the_whole_matrix_on_postgresql` runs
    every service as every role once more on PostgreSQL."""
    return sqlite_db


@pytest.fixture
def pg_db(pg_engine: Any) -> Iterator[Database]:
    from tests.conftest import _rolled_back

    yield from _rolled_back(pg_engine)


@pytest.fixture
def store(db: Database, migrated_store: Path, tmp_path: Path) -> Iterator[Database]:
    yield from _store(db, migrated_store, tmp_path)


def _store(db: Database, migrated_store: Path, tmp_path: Path) -> Iterator[Database]:
    """A station store holding the central users (as a pull leaves it): a copy of one
    migrated store, so each test pays for no migration."""
    shutil.copy(migrated_store, tmp_path / "station.db")
    st = attach(Database.from_url(f"sqlite:///{tmp_path / 'station.db'}"))
    now = datetime.now(UTC)
    with db.reader() as s:
        users = list(s.execute(select(User.code, User.id, User.name, User.role, User.active,
                                      User.password_hash)))
    with st.unit_of_work() as s:
        s.add_all(CachedUser(code=u.code, user_id=u.id, name=u.name, role=u.role,
                             password_hash=u.password_hash or "", active=u.active,
                             fetched_at=now) for u in users)
    yield st
    st.dispose()


def _audit_rows(db: Database) -> int:
    with db.reader() as s:
        return int(s.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def _outcome(call: Call, db: Database, st: Database, actor: Actor) -> ServiceError | None:
    """The refusal the call ended in (None when it went through)."""
    try:
        result = call(db, st, actor)
        if isinstance(result, Generator):
            for _row in result:  # read to the end: a server-side cursor closes itself
                pass
    except ServiceError as exc:
        return exc
    return None


def _gate_refused(outcome: ServiceError | None) -> bool:
    return isinstance(outcome, PermissionDenied) and outcome.code == "permission.denied"


def test_every_public_service_taking_an_actor_is_guarded() -> None:
    unguarded = []
    for path in GUARDED_MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_") and any(
                    a.arg == "actor" for a in node.args.args + node.args.kwonlyargs):
                name = f"{path.stem}.{node.name}"
                if name not in access.SERVICES and name not in NOT_SERVICES:
                    unguarded.append(name)
    assert not unguarded, f"services taking an actor without @guarded: {unguarded}"
    assert set(CALLS) == set(access.SERVICES), "every guarded service has a call here"


def test_the_matrix_names_every_role_for_every_service() -> None:
    assert MATRIX and all(set(row) == set(Role) for row in MATRIX.values())
    # The admin may do everything; the picker may not pack, the packer may not pick.
    assert all(row[Role.ADMIN] for row in MATRIX.values())
    assert not MATRIX["waybills.waybill_for"][Role.PICKER]
    assert not MATRIX["picking.pick"][Role.PACKER]
    assert not any(MATRIX[f"auth.{n}"][Role.SHIFT_LEAD] for n in ("create_user", "set_active"))


@pytest.mark.parametrize("service", sorted(CALLS))
def test_each_role_gets_what_the_matrix_says(service: str, db: Database,
                                             store: Database) -> None:
    call = CALLS[service]
    for role, actor in _actors(db).items():
        before = _audit_rows(db)
        outcome = _outcome(call, db, store, actor)
        if MATRIX[service][role]:
            assert not _gate_refused(outcome), f"{service} refused {role}: {outcome}"
        else:
            assert _gate_refused(outcome), f"{service} let {role} through: {outcome!r}"
            assert _audit_rows(db) == before, f"{service} wrote before refusing {role}"


def test_the_whole_matrix_on_postgresql(pg_db: Database, migrated_store: Path,
                                       tmp_path: Path) -> None:
    for st in _store(pg_db, migrated_store, tmp_path):
        for service in sorted(CALLS):
            test_each_role_gets_what_the_matrix_says(service, pg_db, st)


@pytest.mark.parametrize("service", sorted(CALLS))
def test_a_deactivated_person_is_ended_by_every_service(service: str, db: Database,
                                                        store: Database) -> None:
    admin = _actors(db)[Role.ADMIN]
    for target in (db, store):  # the central database and the station's copy
        with target.unit_of_work() as s:
            model = User if target is db else CachedUser
            s.execute(update(model).where(model.code == admin.code).values(active=False))
    before = _audit_rows(db)
    with pytest.raises(SessionEnded) as refused:
        CALLS[service](db, store, admin)
    assert refused.value.code == "auth.session_ended"
    assert _audit_rows(db) == before


@pytest.mark.parametrize("service", sorted(CALLS))
def test_a_role_changed_after_login_is_judged_by_the_new_role(
        service: str, db: Database, store: Database) -> None:
    lead = _actors(db)[Role.SHIFT_LEAD]
    for now_role, logged_in_as in ((Role.PACKER, Role.ADMIN), (Role.ADMIN, Role.PICKER)):
        for target, model in ((db, User), (store, CachedUser)):
            with target.unit_of_work() as s:
                s.execute(update(model).where(model.code == lead.code)
                          .values(role=now_role.value))
        outcome = _outcome(CALLS[service], db, store, replace(lead, role=logged_in_as))
        assert _gate_refused(outcome) is not MATRIX[service][now_role], (
            f"{service}: logged in as {logged_in_as}, now {now_role}: {outcome!r}")


def test_the_machinery_is_not_looked_up(db: Database) -> None:
    """The engine loop and a station's sync act as `system_actor`: nobody to look up."""
    from app.services.context import system_actor

    machinery = system_actor("ST-TEST")
    assert access.current(db, machinery) is machinery


def test_a_station_goes_by_the_login_for_a_person_it_has_not_pulled(
        db: Database, tmp_path: Path) -> None:
    """Created centrally since the station's last pull: they logged in centrally, and the
    station's services take that login until the next pull brings them."""
    st = open_store(tmp_path / "fresh.db")
    try:
        packer = _actors(db)[Role.PACKER]
        assert access.check(st, packer, Permission.PACK) == packer
        with pytest.raises(PermissionDenied):
            access.check(st, packer, Permission.PICK)
    finally:
        st.dispose()


def test_the_live_check_costs_one_keyed_read(db: Database, store: Database) -> None:
    """Cheap enough for every scan: one read of the station's copy by its primary key (well
    under a millisecond on a desktop; the bound only catches a round trip slipping in)."""
    import time

    packer = _actors(db)[Role.PACKER]
    runs = 2000
    start = time.perf_counter()
    for _ in range(runs):
        access.check(store, packer, Permission.PACK)
    per_call_ms = (time.perf_counter() - start) * 1000 / runs
    assert per_call_ms < 10.0, f"{per_call_ms:.3f} ms per check"


def test_guarded_services_refuse_a_non_actor(db: Database) -> None:
    with pytest.raises(TypeError):
        picking.view(db, "lead01", NOPE)  # type: ignore[arg-type]

