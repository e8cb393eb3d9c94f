"""Logging in and managing people (app.services.auth), on SQLite and PostgreSQL: passwords,
secret badges stored hashed, PINs for leads and admins, approvals with both factors, the login
throttle and lockout (audited), and rights that change at the person's next action.

Each hole the access rules close has a test here that passes only with them: a typed
`USR-<code>` is no badge any more, a packer cannot approve an override, guessing passwords
locks the account, a deactivation or role change takes effect at once."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from app.domain import access as rules
from app.domain.roles import Permission, Role
from app.services import auth, orders, picking, waves
from app.services.context import Actor
from app.services.errors import (
    AuthenticationFailed,
    Conflict,
    InvalidInput,
    PermissionDenied,
    SecondFactorRequired,
    SessionEnded,
)
from app.services.orders import OrderFilter
from app.store.db import Database
from app.store.models import AuditEntry, LoginThrottle, User

DEMO = [("admin", "admin123", Role.ADMIN), ("lead01", "lead123", Role.SHIFT_LEAD),
        ("packer01", "packer123", Role.PACKER), ("picker01", "picker123", Role.PICKER)]
PIN = "2468"  # the demo lead's and admin's


def _actor(db: Database, code: str) -> Actor:
    with db.reader() as s:
        u = s.execute(select(User.id, User.code, User.name, User.role)
                      .where(User.code == code)).one()
    return Actor(user_id=u.id, code=u.code, name=u.name, role=Role(u.role),
                 station="ST-HZ-OFFICE")


def _counts(db: Database) -> tuple[int, int]:
    with db.reader() as s:
        return (s.scalar(select(func.count()).select_from(User)) or 0,
                s.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def _audits(db: Database, action: str) -> list[AuditEntry]:
    with db.reader() as s:
        rows = list(s.scalars(select(AuditEntry).where(AuditEntry.action == action)
                              .order_by(AuditEntry.id)))
        s.expunge_all()
    return rows


def _guess_until_locked(db: Database, code: str, station: str) -> None:
    """Wrong passwords for `code` until the person is locked; each wait is let run out (the
    retry time moved into the past) so every guess is checked and counted."""
    for _ in range(rules.USER_POLICY.lock_after):
        with pytest.raises(AuthenticationFailed):
            auth.login_password(db, code, "guess", station=station)
        with db.unit_of_work() as s:
            s.execute(update(LoginThrottle).values(retry_after=None))


def _badge(db: Database, code: str) -> str:
    return auth.issue_badge(db, _actor(db, "admin"), code)


def _time_passes(db: Database) -> None:
    """Moves the throttle's clock: every wait and lock is over (no sleeping)."""
    past = datetime.now(UTC) - timedelta(seconds=1)
    with db.unit_of_work() as s:
        s.execute(update(LoginThrottle).values(retry_after=None))
        s.execute(update(LoginThrottle).where(LoginThrottle.locked_until.is_not(None))
                  .values(locked_until=past))


# ---------------------------------------------------------------- passwords


@pytest.mark.parametrize(("code", "password", "role"), DEMO)
def test_password_login_for_each_demo_user(db: Database, code: str, password: str,
                                           role: Role) -> None:
    actor = auth.login_password(db, code, password, station="ST-HZ-PACK-01")
    assert (actor.code, actor.role, actor.station) == (code, role, "ST-HZ-PACK-01")
    assert actor.user_id is not None and actor.name


def test_login_is_audited_with_the_person_and_the_seat(db: Database) -> None:
    started = datetime.now(UTC) - timedelta(seconds=1)
    actor = auth.login_password(db, " packer01 ", "packer123", station="ST-GZ-PACK-01")
    entry = _audits(db, "user.login")[-1]
    assert (entry.entity_id, entry.actor, entry.user_id, entry.station) == (
        "packer01", "packer01", actor.user_id, "ST-GZ-PACK-01")
    assert entry.detail == {"by": "password"} and entry.os_user and entry.host
    with db.reader() as s:
        seen = s.scalar(select(LoginThrottle.last_login_at).where(
            LoginThrottle.scope == "user", LoginThrottle.key == "packer01"))
    assert seen is not None and seen.replace(tzinfo=seen.tzinfo or UTC) >= started


@pytest.mark.parametrize(("code", "password"), [
    ("packer01", "wrong-password"), ("packer01", ""), ("packer01", "PACKER123"),
    ("nobody", "packer123"), ("", ""), ("admin", "packer123"),
])
def test_wrong_password_and_unknown_user_get_the_same_refusal(db: Database, code: str,
                                                               password: str) -> None:
    users = _counts(db)[0]
    with pytest.raises(AuthenticationFailed) as caught:
        auth.login_password(db, code, password, station="ST-T")
    assert caught.value.code == "auth.wrong_password"
    assert _counts(db)[0] == users
    assert _audits(db, "auth.login_failed")[-1].detail["reason"] == "wrong_password"


def test_a_deactivated_user_cannot_log_in(db: Database) -> None:
    badge = _badge(db, "picker01")
    auth.set_active(db, _actor(db, "admin"), "picker01", False)
    with pytest.raises(AuthenticationFailed) as caught:
        auth.login_password(db, "picker01", "picker123", station="ST-T")
    assert caught.value.code == "auth.wrong_password"
    with pytest.raises(AuthenticationFailed):
        auth.login_badge(db, badge, station="ST-T")
    assert auth.login_password(db, "packer01", "packer123").role is Role.PACKER


# ---------------------------------------------------------------- badges


def test_the_old_printed_badge_logs_in_no_more(db: Database) -> None:
    """`USR-<code>` was a badge anyone could type; now a badge is a random secret."""
    for scanned in ("USR-admin", "USR-ADMIN", "usr-packer01", "USR-lead01"):
        with pytest.raises(AuthenticationFailed) as caught:
            auth.login_badge(db, scanned, station="ST-T")
        assert caught.value.code == "auth.unknown_badge"
    with pytest.raises(AuthenticationFailed):
        auth.login_password(db, "admin", "USR-admin")


def test_demo_users_hold_no_badge_until_an_admin_issues_one(db: Database) -> None:
    with db.reader() as s:
        assert s.scalar(select(func.count()).select_from(User)
                        .where(User.badge_hash.is_not(None))) == 0


def test_a_badge_is_random_and_stored_only_hashed(db: Database) -> None:
    first, second = _badge(db, "packer01"), _badge(db, "picker01")
    for badge in (first, second):
        body = badge.removeprefix("USR-")
        assert re.fullmatch(r"[A-Z2-7]{20,}", body), badge  # base32: ≥ 100 bits
        assert len(body) * 5 >= 96
    assert first != second
    with db.reader() as s:
        rows = [tuple(r) for r in s.execute(select(*User.__table__.columns))]
    text = repr(rows).upper()
    assert first.upper() not in text and first[4:].upper() not in text
    assert rules.secret_hash(first) in repr(rows)
    actor = auth.login_badge(db, first.lower() + "\r\n", station="ST-HZ-PACK-01")
    assert (actor.code, actor.via) == ("packer01", "badge")
    assert _audits(db, "user.login")[-1].detail == {"by": "badge"}


def test_a_revoked_or_reissued_badge_is_refused(db: Database) -> None:
    admin = _actor(db, "admin")
    old = _badge(db, "packer01")
    new = auth.issue_badge(db, admin, "packer01")
    with pytest.raises(AuthenticationFailed) as caught:
        auth.login_badge(db, old, station="ST-T")
    assert caught.value.code == "auth.unknown_badge"
    assert auth.login_badge(db, new, station="ST-T").code == "packer01"
    auth.revoke_badge(db, admin, "packer01")
    with pytest.raises(AuthenticationFailed):
        auth.login_badge(db, new, station="ST-T")
    assert [e.actor for e in _audits(db, "user.badge_revoked")] == ["admin"]


@pytest.mark.parametrize("scan", ["packer01", "6901234567892", "CMD-CONFIRM"])
def test_what_is_not_a_badge_is_refused_in_words(db: Database, scan: str) -> None:
    with pytest.raises(AuthenticationFailed) as caught:
        auth.login_badge(db, scan, station="ST-T")
    assert caught.value.code == "auth.not_a_badge"


# ---------------------------------------------------------------- second factor


@pytest.mark.parametrize("code", ["lead01", "admin"])
def test_a_lead_badge_alone_asks_for_the_pin(db: Database, code: str) -> None:
    badge = _badge(db, code)
    logins = len(_audits(db, "user.login"))
    with pytest.raises(SecondFactorRequired) as caught:
        auth.login_badge(db, badge, station="ST-T")
    assert (caught.value.code, caught.value.params["user"]) == ("auth.pin_required", code)
    assert len(_audits(db, "user.login")) == logins
    assert auth.login_badge(db, badge, station="ST-T", pin=PIN).via == "badge+pin"
    password = dict((c, p) for c, p, _r in DEMO)[code]
    assert auth.login_badge(db, badge, station="ST-T", pin=password).code == code
    with pytest.raises(AuthenticationFailed) as wrong:
        auth.login_badge(db, badge, station="ST-T", pin="1357")
    assert wrong.value.code == "auth.wrong_pin"


def test_a_packers_badge_and_pin_cannot_approve_an_override(db: Database) -> None:
    badge = _badge(db, "packer01")
    auth.set_pin(db, _actor(db, "admin"), "packer01", "1234")
    approvals = len(_audits(db, "auth.approved"))
    with pytest.raises(PermissionDenied):
        auth.authorize(db, badge, "1234", "ST-HZ-PACK-01", Permission.OVERRIDE_WEIGHT,
                       subject="PL1")
    with pytest.raises(PermissionDenied):
        auth.authorize(db, "packer01", "packer123", "ST-HZ-PACK-01",
                       Permission.OVERRIDE_WEIGHT)
    assert len(_audits(db, "auth.approved")) == approvals
    lead = auth.authorize(db, _badge(db, "lead01"), PIN, "ST-HZ-PACK-01",
                          Permission.OVERRIDE_WEIGHT, subject="PL1")
    assert lead.code == "lead01"
    approved = _audits(db, "auth.approved")[-1]
    assert (approved.actor, approved.detail["permission"], approved.detail["subject"]) == (
        "lead01", "packing.override_weight", "PL1")


def test_an_approval_needs_both_factors(db: Database) -> None:
    badge = _badge(db, "lead01")
    with pytest.raises(AuthenticationFailed):
        auth.authorize(db, badge, "", "ST-T", Permission.OVERRIDE_WEIGHT)
    with pytest.raises(AuthenticationFailed):
        auth.authorize(db, badge, "0000", "ST-T", Permission.OVERRIDE_WEIGHT)


# ---------------------------------------------------------------- throttle and lockout


def test_guessing_passwords_locks_the_account_until_unlocked(db: Database) -> None:
    codes: list[str] = []
    for _ in range(25):
        try:
            auth.login_password(db, "packer01", "guess", station="ST-GUESS")
        except AuthenticationFailed as exc:
            codes.append(exc.code)
        with db.unit_of_work() as s:  # the waits between tries are over; a lock is not
            s.execute(update(LoginThrottle).values(retry_after=None))
    assert codes[:5] == ["auth.wrong_password"] * 5
    assert set(codes[5:]) == {"auth.locked"}
    with pytest.raises(AuthenticationFailed) as locked:
        auth.login_password(db, "packer01", "packer123", station="ST-OTHER")
    assert locked.value.code == "auth.locked" and locked.value.params["minutes"] >= 1
    failed = [e.detail["reason"] for e in _audits(db, "auth.login_failed")
              if e.entity_id == "packer01"]
    # Five wrong passwords checked; the twenty tries while locked refused unchecked, and
    # audited too (a run of them is what guessing looks like).
    assert failed.count("wrong_password") == 5 and failed.count("locked") == 21
    (lock,) = [e for e in _audits(db, "auth.locked") if e.entity_id == "packer01"]
    assert lock.detail["failures"] == 5
    admin = _actor(db, "admin")
    assert auth.unlock(db, admin, "packer01") is True
    assert _audits(db, "auth.unlocked")[-1].actor == "admin"
    assert auth.login_password(db, "packer01", "packer123", station="ST-OTHER").code == \
        "packer01"


def test_a_lock_ends_when_its_time_is_over(db: Database) -> None:
    _guess_until_locked(db, "picker01", "ST-GUESS")
    with pytest.raises(AuthenticationFailed, match="locked"):
        auth.login_password(db, "picker01", "picker123", station="ST-T")
    _time_passes(db)
    assert auth.login_password(db, "picker01", "picker123", station="ST-T").code == "picker01"


def test_tries_in_quick_succession_wait_a_little(db: Database) -> None:
    for _ in range(rules.USER_POLICY.delay_after):
        with pytest.raises(AuthenticationFailed) as typo:
            auth.login_password(db, "lead01", "guess", station="ST-T")
        assert typo.value.code == "auth.wrong_password"  # a typo or two: no wait yet
    with pytest.raises(AuthenticationFailed) as caught:
        auth.login_password(db, "lead01", "lead123", station="ST-T")
    assert caught.value.code == "auth.wait" and caught.value.params["seconds"] >= 1
    _time_passes(db)
    assert auth.login_password(db, "lead01", "lead123", station="ST-T").code == "lead01"


# ---------------------------------------------------------------- rights after login


def test_a_deactivation_takes_effect_at_the_next_call(db: Database) -> None:
    picker = auth.login_password(db, "picker01", "picker123", station="ST-T")
    assert picking.held_wave(db, picker) is None
    auth.set_active(db, _actor(db, "admin"), "picker01", False)
    with pytest.raises(SessionEnded) as ended:
        picking.held_wave(db, picker)
    assert (ended.value.code, ended.value.params["user"]) == ("auth.session_ended", "picker01")
    with pytest.raises(SessionEnded):
        orders.count_orders(db, picker, OrderFilter())


def test_a_role_change_takes_effect_at_the_next_call(db: Database) -> None:
    lead = auth.login_password(db, "lead01", "lead123", station="ST-T")
    assert isinstance(waves.list_waves(db, lead, limit=1), list)
    auth.change_role(db, _actor(db, "admin"), "lead01", Role.PACKER)
    with pytest.raises(PermissionDenied) as denied:
        waves.cancel(db, lead, "W-NONE")  # still carries SHIFT_LEAD: judged as a packer
    assert denied.value.params["role"] == "packer"
    promoted = auth.login_password(db, "packer01", "packer123", station="ST-T")
    auth.change_role(db, _actor(db, "admin"), "packer01", Role.SHIFT_LEAD)
    with pytest.raises(Exception) as past_the_gate:
        waves.cancel(db, promoted, "W-NONE")
    assert not isinstance(past_the_gate.value, PermissionDenied)


# ---------------------------------------------------------------- managing people


def test_admin_creates_a_user_who_can_then_log_in(db: Database) -> None:
    admin = _actor(db, "admin")
    users, audits = _counts(db)
    user_id = auth.create_user(db, admin, auth.NewUser(
        code="packer02", name="赵打包", role=Role.PACKER, password="s3cret-pw"))
    assert _counts(db) == (users + 1, audits + 1)
    with db.reader() as s:
        user = s.get_one(User, user_id)
        assert (user.code, user.name, user.role, user.badge_hash, user.active) == (
            "packer02", "赵打包", "packer", None, True)
        assert user.password_hash.startswith("$argon2")
        assert "s3cret-pw" not in user.password_hash
    entry = _audits(db, "user.created")[-1]
    assert (entry.entity_id, entry.after, entry.actor, entry.user_id) == (
        "packer02", "packer", "admin", admin.user_id)
    assert auth.login_password(db, "packer02", "s3cret-pw").user_id == user_id
    assert auth.login_badge(db, auth.issue_badge(db, admin, "packer02")).user_id == user_id
    with pytest.raises(AuthenticationFailed):
        auth.login_password(db, "packer02", "s3cret-PW")


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
    (auth.NewUser("PACKER01", "same code, other case", Role.ADMIN, "password1"), Conflict,
     "packer01"),
    (auth.NewUser("shorty", "x", Role.PACKER, "12345"), InvalidInput, "password"),
    (auth.NewUser("x", "x", Role.PACKER, "password1"), InvalidInput, "user code"),
    (auth.NewUser("has space", "x", Role.PACKER, "password1"), InvalidInput, "user code"),
    (auth.NewUser("张三", "x", Role.PACKER, "password1"), InvalidInput, "user code"),
    (auth.NewUser("a" * 33, "x", Role.PACKER, "password1"), InvalidInput, "user code"),
    (auth.NewUser("leadpin", "x", Role.SHIFT_LEAD, "password1", pin="12"), InvalidInput,
     "PIN"),
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


def test_unknown_user_is_checked_against_a_hash_too(db: Database, monkeypatch) -> None:
    """Refusing an unknown user costs an argon2 verify, like a wrong password does."""
    calls: list[str | None] = []
    real = auth.verify_password
    monkeypatch.setattr(auth, "verify_password",
                        lambda stored, pw: calls.append(stored) or real(stored, pw))
    with pytest.raises(AuthenticationFailed):
        auth.login_password(db, "nobody-here", "whatever")
    assert calls and all(c is None for c in calls)


def test_codes_differing_only_in_case_are_one_person(db: Database) -> None:
    admin = _actor(db, "admin")
    with pytest.raises(Conflict):
        auth.create_user(db, admin, auth.NewUser("Packer01", "x", Role.ADMIN, "password1"))
    assert auth.login_password(db, "PACKER01", "packer123").code == "packer01"


# ---------------------------------------------------------------- attempts counted first


def test_guesses_sent_all_at_once_are_counted_before_they_are_checked(central: Database
                                                                      ) -> None:
    """Twenty wrong passwords for one person from twenty places at the same moment: each is
    booked before its password is checked, so only the first few (those a person may mistype
    without waiting) are checked at all; the others are told to wait. (Counted after the
    check, all twenty were checked.)"""
    from concurrent.futures import ThreadPoolExecutor

    def guess(n: int) -> str:
        try:
            auth.login_password(central, "lead01", f"guess-{n}", station=f"ST-G{n}")
        except AuthenticationFailed as exc:
            return exc.code
        return "logged in"

    with ThreadPoolExecutor(max_workers=20) as pool:
        codes = list(pool.map(guess, range(20)))
    checked = rules.USER_POLICY.delay_after
    assert codes.count("auth.wrong_password") == checked, codes
    assert codes.count("auth.wait") == 20 - checked, codes


def test_a_badge_typed_as_a_user_code_is_never_written_down(db: Database) -> None:
    badge = _badge(db, "packer01")
    for typed in (badge, badge.lower(), " " + badge):
        with pytest.raises(AuthenticationFailed) as refused:
            auth.login_password(db, typed, "whatever", station="ST-T")
        assert refused.value.code == "auth.wrong_password"
    with db.reader() as s:
        keys = list(s.scalars(select(LoginThrottle.key)))
        details = [repr((e.actor, e.entity_id, e.detail)) for e in s.scalars(select(AuditEntry))]
    assert not any(badge.lower() in k.lower() for k in keys)
    assert not any(badge.lower() in d.lower() for d in details)
    assert auth.login_badge(db, badge, station="ST-T").code == "packer01"


@pytest.mark.parametrize("code", ["usr-abc", "PLT-robot", "Usr-x1"])
def test_a_user_code_may_not_read_like_a_badge_or_token(db: Database, code: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        auth.create_user(db, _actor(db, "admin"), auth.NewUser(code, "x", Role.PACKER,
                                                               "password1"))
    assert refused.value.code == "auth.bad_user_code"


def test_a_packers_badge_still_works_while_someone_guesses_their_password(db: Database
                                                                        ) -> None:
    badge = _badge(db, "packer01")
    _guess_until_locked(db, "packer01", "ST-ELSEWHERE")
    with pytest.raises(AuthenticationFailed, match="locked"):
        auth.login_password(db, "packer01", "packer123", station="ST-T")
    # The badge is no guess at the password: the packer is not kept off the floor.
    assert auth.login_badge(db, badge, station="ST-HZ-PACK-01").code == "packer01"


def test_a_good_login_in_between_does_not_wipe_a_stations_failures(db: Database) -> None:
    badge = _badge(db, "packer01")
    station = "ST-SPRAY"
    for n in range(rules.STATION_POLICY.lock_after - 1):
        with pytest.raises(AuthenticationFailed):
            auth.login_password(db, f"nobody{n}", "guess", station=station)
        with db.unit_of_work() as s:
            s.execute(update(LoginThrottle).values(retry_after=None))
        if n % 5 == 4:  # the one trying logs in with their own badge now and then
            auth.login_badge(db, badge, station=station)
    with pytest.raises(AuthenticationFailed):
        auth.login_password(db, "nobody-last", "guess", station=station)
    with db.reader() as s:
        assert s.get_one(LoginThrottle, ("station", station)).locked_until is not None
    with pytest.raises(AuthenticationFailed) as locked:
        auth.login_badge(db, badge, station=station)
    assert locked.value.code == "auth.station_locked"


def test_an_approval_by_user_code_takes_the_password_not_the_pin(db: Database) -> None:
    with pytest.raises(AuthenticationFailed):
        auth.authorize(db, "lead01", PIN, "ST-T", Permission.OVERRIDE_WEIGHT)
    with db.unit_of_work() as s:
        s.execute(update(LoginThrottle).values(retry_after=None))
    logins = len(_audits(db, "user.login"))
    lead = auth.authorize(db, "lead01", "lead123", "ST-T", Permission.OVERRIDE_WEIGHT,
                          subject="PL9")
    assert lead.code == "lead01"
    assert len(_audits(db, "user.login")) == logins  # an approval is no login
    assert _audits(db, "auth.approved")[-1].detail["by"] == "password"


def test_the_os_user_in_the_audit_is_the_process_account_not_the_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import pwd

    from app.services import context

    context.origin.cache_clear()
    monkeypatch.setenv("USER", "somebody-else")
    monkeypatch.setenv("LOGNAME", "somebody-else")
    try:
        assert context.origin()[0] == pwd.getpwuid(os.geteuid()).pw_name
    finally:
        context.origin.cache_clear()
