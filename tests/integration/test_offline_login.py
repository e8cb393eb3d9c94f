"""Logging in while the central database is unreachable: the station checks the people it
holds (argon2 hashes, badge hashes, PINs) by the centre's rules, with its own throttle and
lockout, on the last known state; what happens offline is audited through the outbox. And the
packing bench stops a packer deactivated centrally at their next scan."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from app.domain.roles import Permission, Role
from app.services import auth
from app.services.central_link import DatabaseLink
from app.services.context import Actor
from app.services.errors import (
    AuthenticationFailed,
    PermissionDenied,
    SecondFactorRequired,
    SessionEnded,
)
from app.station import pull, users
from app.station.models import CachedUser, OutboxEvent, StationLoginThrottle
from app.station.store import open_store
from app.store.db import Database
from app.store.models import User

PIN = "2468"


def _admin(db: Database) -> Actor:
    with db.reader() as s:
        u = s.execute(select(User.id, User.name).where(User.code == "admin")).one()
    return Actor(u.id, "admin", u.name, Role.ADMIN, station="ST-T")


@pytest.fixture
def store(sqlite_db: Database, tmp_path: Path) -> Iterator[Database]:
    st = open_store(tmp_path / "station.db")
    yield st
    st.dispose()


def _offline_actions(store: Database) -> list[tuple[str, str]]:
    with store.reader() as s:
        return [(p["action"], p["user"]) for p in s.scalars(
            select(OutboxEvent.payload).where(OutboxEvent.kind == "audit")
            .order_by(OutboxEvent.seq))]


def test_offline_login_checks_the_people_the_station_holds(sqlite_db: Database,
                                                         store: Database) -> None:
    admin = _admin(sqlite_db)
    packer_badge = auth.issue_badge(sqlite_db, admin, "packer01")
    lead_badge = auth.issue_badge(sqlite_db, admin, "lead01")
    assert pull.pull(store, DatabaseLink(sqlite_db), tables=["users"]).rows["users"] >= 4
    with store.reader() as s:  # the station holds hashes, never a badge
        held = repr([tuple(r) for r in s.execute(select(*CachedUser.__table__.columns))])
    assert packer_badge not in held and packer_badge[4:] not in held

    packer = users.login_password(store, "PACKER01", "packer123", "ST-T")
    assert (packer.code, packer.role) == ("packer01", Role.PACKER)
    assert users.login_badge(store, packer_badge.lower(), "ST-T").code == "packer01"
    for typed in ("USR-packer01", "USR-admin"):
        with pytest.raises(AuthenticationFailed) as old:
            users.login_badge(store, typed, "ST-T")
        assert old.value.code == "auth.unknown_badge"
    with pytest.raises(SecondFactorRequired):
        users.login_badge(store, lead_badge, "ST-T")
    assert users.login_badge(store, lead_badge, "ST-T", pin=PIN).via == "badge+pin"
    assert users.login_badge(store, lead_badge, "ST-T", pin="lead123").code == "lead01"
    with pytest.raises(AuthenticationFailed):
        users.login_password(store, "nobody", "packer123", "ST-T2")
    assert ("user.login", "packer01") in _offline_actions(store)
    assert ("auth.login_failed", "nobody") in _offline_actions(store)


def test_offline_approval_needs_the_right_and_both_factors(sqlite_db: Database,
                                                           store: Database) -> None:
    admin = _admin(sqlite_db)
    packer_badge = auth.issue_badge(sqlite_db, admin, "packer01")
    auth.set_pin(sqlite_db, admin, "packer01", "1234")
    lead_badge = auth.issue_badge(sqlite_db, admin, "lead01")
    pull.pull(store, DatabaseLink(sqlite_db), tables=["users"])
    with pytest.raises(PermissionDenied):
        users.authorize(store, packer_badge, "1234", "ST-T", Permission.OVERRIDE_WEIGHT)
    with pytest.raises(AuthenticationFailed):
        users.authorize(store, lead_badge, "9999", "ST-T", Permission.OVERRIDE_WEIGHT)
    with store.unit_of_work() as s:  # the wait after a wrong PIN is over
        s.execute(update(StationLoginThrottle).values(retry_after=None))
    lead = users.authorize(store, lead_badge, PIN, "ST-T", Permission.OVERRIDE_WEIGHT,
                           subject="PL1")
    assert lead.code == "lead01"
    assert ("auth.approved", "lead01") in _offline_actions(store)


def test_offline_guessing_locks_the_account_at_the_station(sqlite_db: Database,
                                                           store: Database) -> None:
    pull.pull(store, DatabaseLink(sqlite_db), tables=["users"])
    codes = []
    for _ in range(25):
        try:
            users.login_password(store, "picker01", "guess", "ST-T")
        except AuthenticationFailed as exc:
            codes.append(exc.code)
        with store.unit_of_work() as s:  # the waits are over; a lock is not
            s.execute(update(StationLoginThrottle).values(retry_after=None))
    assert codes[:5] == ["auth.wrong_password"] * 5 and set(codes[5:]) == {"auth.locked"}
    with pytest.raises(AuthenticationFailed) as locked:
        users.login_password(store, "picker01", "picker123", "ST-T")
    assert locked.value.code == "auth.locked"
    actions = _offline_actions(store)
    # Five wrong passwords and the twenty-one tries refused while locked, all audited.
    assert actions.count(("auth.login_failed", "picker01")) == 26
    assert ("auth.locked", "picker01") in actions
    with store.unit_of_work() as s:  # the lock's time is over
        s.execute(update(StationLoginThrottle).values(
            locked_until=datetime.now(UTC) - timedelta(seconds=1)))
    assert users.login_password(store, "picker01", "picker123", "ST-T").code == "picker01"


def test_offline_the_last_known_state_applies(sqlite_db: Database, store: Database) -> None:
    admin = _admin(sqlite_db)
    pull.pull(store, DatabaseLink(sqlite_db), tables=["users"])
    picker = users.login_password(store, "picker01", "picker123", "ST-T")
    auth.set_active(sqlite_db, admin, "picker01", False)
    auth.change_role(sqlite_db, admin, "lead01", Role.PACKER)
    # Not pulled yet: the station still goes by what it holds.
    assert users.login_password(store, "picker01", "picker123", "ST-T").code == "picker01"
    assert pull.pull(store, DatabaseLink(sqlite_db), tables=["users"]).rows["users"] == 2
    with pytest.raises(AuthenticationFailed):
        users.login_password(store, "picker01", "picker123", "ST-T")
    from app.services import access

    with pytest.raises(SessionEnded):  # logged in before: ended at the next action
        access.check(store, picker, Permission.PICK)
    assert users.login_password(store, "lead01", "lead123", "ST-T").role is Role.PACKER


def test_the_bench_stops_a_packer_deactivated_centrally(gui_db: Database,
                                                        tmp_path: Path) -> None:
    """Offline (the station's copy, after a pull) at the next scan; online at once when
    the next order is opened, which also tells the station's copy. On a private copy of the
    central file: the bench asks the centre from a thread of its own, which needs a
    connection of its own, not the test's rolled-back one."""
    from app.station.packing import PackingBench
    from tests.helpers.packing import actor, picked_wave, station, unit_codes

    orders = picked_wave(gui_db, orders=2)
    runtime = station(gui_db, tmp_path / "home")
    try:
        pull.pull(runtime.store, DatabaseLink(gui_db), tables=["users"])
        packer = actor(gui_db, "packer01")
        bench = PackingBench(runtime, packer)
        bench.scan(orders[0])
        auth.set_active(gui_db, _admin(gui_db), "packer01", False)
        # Online: the next order opened asks the central database.
        with pytest.raises(SessionEnded):
            bench.scan(orders[1])
        with runtime.store.reader() as s:
            assert s.scalar(select(CachedUser.active).where(
                CachedUser.code == "packer01")) is False
        # And from then on every scan is refused by the station's own copy.
        with pytest.raises(SessionEnded):
            bench.scan(unit_codes(gui_db, orders[0])[0])
        runtime.connect(None)  # offline: still refused
        with pytest.raises(SessionEnded):
            bench.scan(unit_codes(gui_db, orders[0])[0])
        with pytest.raises(SessionEnded):
            PackingBench(runtime, packer)
    finally:
        runtime.stop()


def test_the_bench_stops_a_packer_after_the_pull(sqlite_db: Database, tmp_path: Path) -> None:
    from app.station.packing import PackingBench
    from tests.helpers.packing import actor, picked_wave, station, unit_codes

    (order, *_rest) = picked_wave(sqlite_db, orders=1)
    runtime = station(sqlite_db, tmp_path / "home")
    try:
        pull.pull(runtime.store, DatabaseLink(sqlite_db), tables=["users"])
        bench = PackingBench(runtime, actor(sqlite_db, "packer01"))
        bench.scan(order)
        auth.change_role(sqlite_db, _admin(sqlite_db), "packer01", Role.PICKER)
        pull.pull(runtime.store, DatabaseLink(sqlite_db), tables=["users"])
        with pytest.raises(PermissionDenied):
            bench.scan(unit_codes(sqlite_db, order)[0])
    finally:
        runtime.stop()
