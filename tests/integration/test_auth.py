"""Logging in by password and badge, and creating users (app.services.auth), on SQLite and
PostgreSQL: roles, refusals with one message, audit rows, argon2 hashes, permissions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.domain.roles import Role
from app.services import auth
from app.services.context import Actor
from app.services.errors import AuthenticationFailed, Conflict, InvalidInput, PermissionDenied
from app.store.db import Database
from app.store.models import AuditEntry, User

DEMO = [("admin", "admin123", Role.ADMIN), ("lead01", "lead123", Role.SHIFT_LEAD),
        ("packer01", "packer123", Role.PACKER), ("picker01", "picker123", Role.PICKER)]
SAME_MESSAGE = "unknown user or wrong password"


def _actor(db: Database, code: str) -> Actor:
    with db.reader() as s:
        user = s.scalars(select(User).where(User.code == code)).one()
        return Actor(user_id=user.id, code=user.code, name=user.name, role=Role(user.role),
                     station="ST-HZ-OFFICE")


def _counts(db: Database) -> tuple[int, int]:
    with db.reader() as s:
        return (s.scalar(select(func.count()).select_from(User)) or 0,
                s.scalar(select(func.count()).select_from(AuditEntry)) or 0)


@pytest.mark.parametrize(("code", "password", "role"), DEMO)
def test_password_login_for_each_demo_user(db: Database, code: str, password: str,
                                           role: Role) -> None:
    actor = auth.login_password(db, code, password, station="ST-HZ-PACK-01")
    assert (actor.code, actor.role, actor.station) == (code, role, "ST-HZ-PACK-01")
    assert actor.user_id is not None
    assert actor.name


def test_login_writes_audit_and_last_login(db: Database) -> None:
    with db.reader() as s:
        assert s.scalars(select(User).where(User.code == "packer01")).one().last_login_at \
            is None
    started = datetime.now(UTC) - timedelta(seconds=1)
    actor = auth.login_password(db, " packer01 ", "packer123", station="ST-GZ-PACK-01")
    with db.reader() as s:
        user = s.get_one(User, actor.user_id)
        assert user.last_login_at is not None and user.last_login_at >= started
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "user.login")
                          .order_by(AuditEntry.id.desc()).limit(1)).one()
        assert (entry.entity, entry.entity_id, entry.actor, entry.user_id, entry.station) == (
            "user", "packer01", "packer01", actor.user_id, "ST-GZ-PACK-01")
        assert entry.detail == {"by": "password"}


@pytest.mark.parametrize(("code", "password"), [
    ("packer01", "wrong-password"), ("packer01", ""), ("packer01", "PACKER123"),
    ("nobody", "packer123"), ("", ""), ("admin", "packer123"),
])
def test_wrong_password_and_unknown_user_get_the_same_message(db: Database, code: str,
                                                               password: str) -> None:
    before = _counts(db)
    with pytest.raises(AuthenticationFailed) as caught:
        auth.login_password(db, code, password)
    assert str(caught.value) == SAME_MESSAGE
    assert _counts(db) == before


def test_badge_login(db: Database) -> None:
    actor = auth.login_badge(db, " USR-packer01\r\n", station="ST-HZ-PACK-01")
    assert (actor.code, actor.role) == ("packer01", Role.PACKER)
    with db.reader() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "user.login")
                          .order_by(AuditEntry.id.desc()).limit(1)).one()
        assert entry.detail == {"by": "badge"} and entry.entity_id == "packer01"


@pytest.mark.parametrize(("scan", "words"), [
    ("packer01", "not a badge"),
    ("6901234567892", "not a badge"),
    ("CMD-CONFIRM", "not a badge"),
    ("USR-nobody", "badge not recognised"),
    ("USR-", "badge not recognised"),
])
def test_bad_badges_are_refused(db: Database, scan: str, words: str) -> None:
    before = _counts(db)
    with pytest.raises(AuthenticationFailed, match=words):
        auth.login_badge(db, scan)
    assert _counts(db) == before


def test_a_deactivated_user_cannot_log_in(db: Database) -> None:
    with db.unit_of_work() as s:
        s.scalars(select(User).where(User.code == "picker01")).one().active = False
    before = _counts(db)
    with pytest.raises(AuthenticationFailed) as caught:
        auth.login_password(db, "picker01", "picker123")
    assert str(caught.value) == SAME_MESSAGE
    with pytest.raises(AuthenticationFailed):
        auth.login_badge(db, "USR-picker01")
    assert _counts(db) == before
    # the others still can
    assert auth.login_password(db, "packer01", "packer123").role is Role.PACKER


def test_admin_creates_a_user_who_can_then_log_in(db: Database) -> None:
    admin = _actor(db, "admin")
    users, audits = _counts(db)
    user_id = auth.create_user(db, admin, auth.NewUser(
        code="packer02", name="赵打包", role=Role.PACKER, password="s3cret-pw"))
    assert _counts(db) == (users + 1, audits + 1)
    with db.reader() as s:
        user = s.get_one(User, user_id)
        assert (user.code, user.name, user.role, user.badge_code, user.active) == (
            "packer02", "赵打包", "packer", "USR-PACKER02", True)
        assert user.password_hash.startswith("$argon2")
        assert "s3cret-pw" not in user.password_hash
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "user.created")).one()
        assert (entry.entity_id, entry.after, entry.actor) == ("packer02", "packer", "admin")
    assert auth.login_password(db, "packer02", "s3cret-pw").user_id == user_id
    assert auth.login_badge(db, "USR-packer02").user_id == user_id
    with pytest.raises(AuthenticationFailed):
        auth.login_password(db, "packer02", "s3cret-PW")


def test_a_custom_badge(db: Database) -> None:
    admin = _actor(db, "admin")
    auth.create_user(db, admin, auth.NewUser(code="lead02", name="钱组长",
                                             role=Role.SHIFT_LEAD, password="lead-pass",
                                             badge="USR-9001"))
    assert auth.login_badge(db, "USR-9001").code == "lead02"


@pytest.mark.parametrize("code", ["packer01", "lead01"])
def test_only_admins_create_users(db: Database, code: str) -> None:
    actor = _actor(db, code)
    before = _counts(db)
    with pytest.raises(PermissionDenied, match="users.manage"):
        auth.create_user(db, actor, auth.NewUser(code="sneaky", name="x", role=Role.ADMIN,
                                                 password="password1"))
    assert _counts(db) == before


@pytest.mark.parametrize(("new", "error", "words"), [
    (auth.NewUser("packer01", "dup", Role.PACKER, "password1"), Conflict, "packer01"),
    (auth.NewUser("newbie", "dup badge", Role.PACKER, "password1", badge="USR-lead01"),
     Conflict, "USR-LEAD01"),
    (auth.NewUser("PACKER01", "same code, other case", Role.ADMIN, "password1"), Conflict,
     "packer01"),
    (auth.NewUser("newbie2", "odd badge", Role.PACKER, "password1", badge="BADGE-1"),
     InvalidInput, "USR-"),
    (auth.NewUser("shorty", "x", Role.PACKER, "12345"), InvalidInput, "password"),
    (auth.NewUser("x", "x", Role.PACKER, "password1"), InvalidInput, "user code"),
    (auth.NewUser("has space", "x", Role.PACKER, "password1"), InvalidInput, "user code"),
    (auth.NewUser("张三", "x", Role.PACKER, "password1"), InvalidInput, "user code"),
    (auth.NewUser("a" * 33, "x", Role.PACKER, "password1"), InvalidInput, "user code"),
])
def test_create_user_refusals_write_nothing(db: Database, new: auth.NewUser,
                                            error: type[Exception], words: str) -> None:
    admin = _actor(db, "admin")
    before = _counts(db)
    with pytest.raises(error, match=words):
        auth.create_user(db, admin, new)
    assert _counts(db) == before


def test_hashes_are_salted() -> None:
    first, second = auth.hash_password("same"), auth.hash_password("same")
    assert first != second
    assert first.startswith("$argon2id$")


def test_badge_scanned_in_lower_case_still_logs_in(db: Database) -> None:
    actor = auth.login_badge(db, "usr-packer01", "ST-1")
    assert actor.code == "packer01"


def test_unknown_user_is_checked_against_a_hash_too(db: Database, monkeypatch) -> None:
    """Refusing an unknown user costs an argon2 verify, like a wrong password does."""
    calls: list[str] = []
    real = auth._verify
    monkeypatch.setattr(auth, "_verify", lambda stored, pw: calls.append(stored) or real(
        stored, pw))
    with pytest.raises(AuthenticationFailed):
        auth.login_password(db, "nobody-here", "whatever")
    assert calls == [auth.dummy_hash()]


def test_codes_and_badges_differing_only_in_case_are_one_person(db: Database) -> None:
    """A packer's badge scanned with Caps Lock must log in that packer, never anyone else."""
    admin = Actor(user_id=None, code="admin", name="admin", role=Role.ADMIN)
    with pytest.raises(Conflict):
        auth.create_user(db, admin, auth.NewUser("Packer01", "x", Role.ADMIN, "password1"))
    assert auth.login_badge(db, "usr-packer01").code == "packer01"
    assert auth.login_password(db, "PACKER01", "packer123").code == "packer01"
