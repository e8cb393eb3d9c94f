"""The command line acts as a person: every command that changes something logs somebody in
first (PACKLINE_TOKEN, PACKLINE_USER + PACKLINE_PASSWORD, --password-stdin, or the prompt in a
terminal), with that person's rights, and the audit names them, the station, the OS user and
the host. Each test is a hole the command line had: anybody could add an admin, release waves,
pack in a lead's name; a password could sit in `ps`. Real processes, real SQLite files, a real
pseudo-terminal for the prompt."""

from __future__ import annotations

import getpass
import json
import os
import pty
import re
import select
import socket
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from sqlalchemy import func, update
from sqlalchemy import select as sql_select

from app.printing.raster import pdf_to_images
from app.services import auth
from app.store.db import Database
from app.store.models import AuditEntry, LoginThrottle, Order, User, Wave
from tests.helpers.cli import REPO, bootstrap, packline, packline_env
from tests.helpers.orders import order_record, write_jsonl

pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A station folder with the demo data (users admin, lead01, packer01, picker01), routed."""
    home = tmp_path_factory.mktemp("access_home")
    done = packline(home, "demo", "seed", "--orders", "60", "--seed", "11")
    assert done.returncode == 0, done.stderr
    done = packline(home, "engine", "run", "--once", as_user="lead01")
    assert done.returncode == 0, done.stderr
    return home


def _db(home: Path) -> Database:
    return Database.from_url(f"sqlite:///{home / 'station.db'}")


def _scalar(home: Path, query: Any) -> Any:
    db = _db(home)
    try:
        with db.reader() as s:
            return s.scalar(query)
    finally:
        db.dispose()


def _wait_over(home: Path) -> None:
    """The seconds the throttle asked for have passed: its retry time is moved out of the
    way in the database, as the clock would (no sleeping through each wait)."""
    db = _db(home)
    try:
        with db.unit_of_work() as s:
            s.execute(update(LoginThrottle).values(retry_after=None))
    finally:
        db.dispose()


def _users(home: Path) -> set[str]:
    db = _db(home)
    try:
        with db.reader() as s:
            return set(s.scalars(sql_select(User.code)))
    finally:
        db.dispose()


def _audit(home: Path, action: str) -> list[AuditEntry]:
    db = _db(home)
    try:
        with db.reader() as s:
            rows = list(s.scalars(sql_select(AuditEntry).where(AuditEntry.action == action)
                                  .order_by(AuditEntry.id)))
            for r in rows:
                s.expunge(r)
            return rows
    finally:
        db.dispose()


# ---------------------------------------------------------------- nobody, or the wrong person


def test_adding_an_admin_without_logging_in_is_refused_and_adds_nobody(home: Path) -> None:
    before = _users(home)
    done = packline(home, "users", "add", "eve", "--name", "Eve", "--role", "admin",
                    "--new-password-stdin", stdin="evepass123\n")
    assert done.returncode == 2
    assert "needs a person" in done.stderr and "PACKLINE_TOKEN" in done.stderr
    assert "--password-stdin" in done.stderr and done.stdout == ""
    assert _users(home) == before


def test_a_password_on_the_command_line_is_refused_before_anything(home: Path) -> None:
    before = _users(home)
    for words in (("--password", "evepass123"), ("--password=evepass123",)):
        done = packline(home, "users", "add", "eve", "--name", "Eve", "--role", "admin",
                        *words, as_user="admin")
        assert done.returncode == 2, words
        assert "shell's history" in done.stderr and "`ps`" in done.stderr
        assert done.stdout == ""
    # Even where the command would not log in at all.
    assert packline(home, "orders", "list", "--password", "x").returncode == 2
    assert _users(home) == before


def test_a_packer_cannot_release_waves(home: Path) -> None:
    waves_before = _scalar(home, sql_select(func.count()).select_from(Wave))
    done = packline(home, "waves", "release", "--warehouse", "HZ", "--strategy", "per_order",
                    "--max-orders", "3", "--waves", "1", as_user="packer01")
    assert done.returncode == 2
    assert "packer01 (packer) may not do waves.release" in done.stderr
    assert _scalar(home, sql_select(func.count()).select_from(Wave)) == waves_before
    # A lead may, and the wave is theirs.
    done = packline(home, "waves", "release", "--warehouse", "HZ", "--strategy", "per_order",
                    "--max-orders", "3", "--waves", "1", as_user="lead01")
    assert done.returncode == 0, done.stderr
    (released,) = json.loads(done.stdout)
    lead_id = _scalar(home, sql_select(User.id).where(User.code == "lead01"))
    assert _scalar(home, sql_select(Wave.created_by)
                   .where(Wave.wave_no == released["wave_no"])) == lead_id


def test_a_wrong_password_is_refused_with_the_services_message(home: Path) -> None:
    done = packline(home, "engine", "run", "--once", as_user="lead01", password="wrong-one")
    assert done.returncode == 2
    assert "unknown user or wrong password" in done.stderr and done.stdout == ""


def test_demo_seed_once_users_exist_needs_an_admin(home: Path) -> None:
    nobody = packline(home, "demo", "seed", "--orders", "1", "--seed", "11")
    assert nobody.returncode == 2 and "needs a person" in nobody.stderr
    lead = packline(home, "demo", "seed", "--orders", "1", "--seed", "11", as_user="lead01")
    assert lead.returncode == 2 and "may not do demo.seed" in lead.stderr


def test_bootstrap_is_refused_once_anybody_exists(home: Path) -> None:
    before = _users(home)
    done = packline(home, "users", "bootstrap", "--user", "mallory", "--password-stdin",
                    stdin="mallory-pass\n")
    assert done.returncode == 2 and "users exist already" in done.stderr
    assert _users(home) == before


def test_a_deactivated_lead_cannot_act_until_activated(home: Path) -> None:
    off = packline(home, "users", "deactivate", "lead01", as_user="admin")
    assert off.returncode == 0, off.stderr
    try:
        done = packline(home, "waves", "cancel", "WAVE-NOPE", as_user="lead01")
        assert done.returncode == 2 and "unknown user or wrong password" in done.stderr
    finally:
        on = packline(home, "users", "activate", "lead01", as_user="admin")
        assert on.returncode == 0, on.stderr
    again = packline(home, "waves", "cancel", "WAVE-NOPE", as_user="lead01")
    assert again.returncode == 2 and "unknown user or wrong password" not in again.stderr
    assert [(a.actor, a.entity_id) for a in _audit(home, "user.deactivated")] == [
        ("admin", "lead01")]


def test_the_user_named_must_be_who_logs_in(home: Path) -> None:
    done = packline(home, "orders", "import", "nothing.jsonl", "--user", "admin",
                    as_user="packer01")
    assert done.returncode == 2 and "--user admin differs from PACKLINE_USER" in done.stderr
    both = packline(home, "orders", "import", "nothing.jsonl", "--password-stdin",
                    stdin="lead123\n", as_user="lead01")
    assert both.returncode == 2 and "use one" in both.stderr


# ---------------------------------------------------------------- the audit names who and where


def test_the_audit_names_person_station_os_user_and_host(home: Path, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "one.jsonl", [order_record("ACCESS-AUDIT-1")])
    done = packline(home, "orders", "import", str(path), "--json", "--user", "lead01",
                    "--password-stdin", stdin="lead123\n")
    assert done.returncode == 0, done.stderr
    order_no = _scalar(home, sql_select(Order.order_no)
                       .where(Order.channel_order_no == "ACCESS-AUDIT-1"))
    (created,) = [a for a in _audit(home, "order.created") if a.entity_id == order_no]
    assert (created.actor, created.station) == ("lead01", "ST-01")
    assert (created.os_user, created.host) == (getpass.getuser()[:64],
                                               socket.gethostname()[:64])
    login = _audit(home, "user.login")[-1]
    assert (login.actor, login.detail) == ("lead01", {"by": "cli"})
    assert (login.os_user, login.host) == (created.os_user, created.host)


# ---------------------------------------------------------------- service accounts


def test_a_service_token_works_is_audited_by_name_and_stops_when_revoked(
        home: Path, tmp_path: Path) -> None:
    made = packline(home, "users", "service", "add", "erp-import", "--name", "ERP import",
                    "--role", "shift_lead", as_user="admin")
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    assert re.fullmatch(r"PLT-[A-Z2-7]{32}", token) and "shown once" in made.stderr
    path = write_jsonl(tmp_path / "erp.jsonl", [order_record("ACCESS-ERP-1")])
    done = packline(home, "orders", "import", str(path), "--json", token=token)
    assert done.returncode == 0, done.stderr
    order_no = _scalar(home, sql_select(Order.order_no)
                       .where(Order.channel_order_no == "ACCESS-ERP-1"))
    (created,) = [a for a in _audit(home, "order.created") if a.entity_id == order_no]
    assert created.actor == "erp-import"
    assert _audit(home, "user.login")[-1].detail == {"by": "token"}
    # The list shows that it holds a token, never the token or a hash.
    listed = packline(home, "users", "list", as_user="admin")
    assert listed.returncode == 0, listed.stderr
    rows = {r["code"]: r for r in map(json.loads, listed.stdout.splitlines())}
    assert rows["erp-import"]["kind"] == "service" and rows["erp-import"]["token"] is True
    assert token not in listed.stdout and "argon2" not in listed.stdout
    assert set(rows["packer01"]) == {"code", "name", "role", "kind", "active", "badge",
                                     "badge_issued_at", "pin", "token", "locked_until",
                                     "failures", "last_login_at"}

    revoked = packline(home, "users", "token", "revoke", "erp-import", as_user="admin")
    assert revoked.returncode == 0, revoked.stderr
    path = write_jsonl(tmp_path / "erp2.jsonl", [order_record("ACCESS-ERP-2")])
    refused = packline(home, "orders", "import", str(path), token=token)
    assert refused.returncode == 2 and "token not recognised or revoked" in refused.stderr
    assert _scalar(home, sql_select(Order.id)
                   .where(Order.channel_order_no == "ACCESS-ERP-2")) is None


# ---------------------------------------------------------------- people, badges, lockout


def test_an_admin_adds_a_person_with_the_new_password_on_the_next_line(home: Path) -> None:
    done = packline(home, "users", "add", "packer07", "--name", "周打包", "--role", "packer",
                    "--user", "admin", "--password-stdin", "--new-password-stdin",
                    stdin="admin123\npacker777\n")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["code"] == "packer07"
    db = _db(home)
    try:
        assert auth.login_password(db, "packer07", "packer777").code == "packer07"
    finally:
        db.dispose()
    # Standard input ends before the new password: refused, nobody added.
    short = packline(home, "users", "add", "packer08", "--name", "x", "--role", "packer",
                     "--user", "admin", "--password-stdin", "--new-password-stdin",
                     stdin="admin123\n")
    assert short.returncode == 2 and "ended before the new password" in short.stderr
    assert "packer08" not in _users(home)


def test_a_badge_card_pdf_reads_back_and_logs_its_holder_in(home: Path,
                                                            tmp_path: Path) -> None:
    card = tmp_path / "cards" / "picker01.pdf"
    card.parent.mkdir()
    done = packline(home, "users", "badge", "issue", "picker01", "--card", str(card),
                    as_user="admin")
    assert done.returncode == 0, done.stderr
    assert "USR-" not in done.stdout  # with a card, the badge is on the card only
    assert card.stat().st_mode & 0o777 == 0o600
    (page,) = pdf_to_images(card.read_bytes(), 300)
    found = {(r.format.name, r.text) for r in zxingcpp.read_barcodes(page)}
    badges = {text for _fmt, text in found}
    assert {fmt for fmt, _text in found} == {"Code128", "QRCode"} and len(badges) == 1
    (badge,) = badges
    db = _db(home)
    try:
        assert auth.login_badge(db, badge).code == "picker01"
    finally:
        db.dispose()
    # Issued without a card, the badge is printed once; the old one stops working.
    text = packline(home, "users", "badge", "issue", "picker01", as_user="admin")
    assert text.returncode == 0 and re.fullmatch(r"USR-[A-Z2-7]{20}\n", text.stdout)
    db = _db(home)
    try:
        assert auth.login_badge(db, text.stdout.strip()).code == "picker01"
        with pytest.raises(auth.AuthenticationFailed):
            auth.login_badge(db, badge)
    finally:
        db.dispose()


def test_wrong_passwords_lock_the_person_out_until_an_admin_unlocks(tmp_path: Path) -> None:
    home = tmp_path / "home"
    bootstrap(home)
    made = packline(home, "users", "add", "lead09", "--name", "组长九", "--role", "shift_lead",
                    "--new-password-stdin", stdin="lead999pass\n", as_user="admin")
    assert made.returncode == 0, made.stderr
    said = []
    for _attempt in range(25):
        done = packline(home, "orders", "import", "x.jsonl", as_user="lead09",
                        password="not-it")
        assert done.returncode == 2
        said.append(done.stderr)
        if "locked" in done.stderr:
            break
        if re.search(r"wait \d+ s", done.stderr):  # trying sooner changes nothing
            _wait_over(home)
    assert "locked" in said[-1], said
    assert sum("wrong password" in s for s in said) == 5, said
    locked = packline(home, "orders", "import", "x.jsonl", as_user="lead09",
                      password="lead999pass")
    assert locked.returncode == 2 and "locked" in locked.stderr
    assert [a.entity_id for a in _audit(home, "auth.locked")] == ["lead09"]
    listed = {r["code"]: r for r in map(json.loads, packline(
        home, "users", "list", as_user="admin").stdout.splitlines())}
    assert listed["lead09"]["locked_until"] is not None
    freed = packline(home, "users", "unlock", "lead09", as_user="admin")
    assert freed.returncode == 0 and json.loads(freed.stdout)["unlocked"] is True
    ok = packline(home, "orders", "import", "x.jsonl", as_user="lead09",
                  password="lead999pass")
    assert ok.returncode == 2 and "cannot read" in ok.stderr  # logged in; the file is missing


# ---------------------------------------------------------------- the prompt in a terminal


class Terminal:
    """`packline ARGS` on a real pseudo-terminal (its controlling terminal, as in a shell)."""

    def __init__(self, home: Path, *args: str) -> None:
        env = packline_env(home, env={"PYTHONPATH": str(REPO)}, warnings_are_errors=False)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: becomes packline
            os.chdir(REPO)
            os.execve(sys.executable, [sys.executable, "-m", "app", *args], env)
        self.seen = b""

    def expect(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while text.encode() not in self.seen:
            left = deadline - time.monotonic()
            assert left > 0, f"no {text!r} in {self.seen!r}"
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:  # the child closed the terminal
                    chunk = b""
                assert chunk, f"ended without {text!r}: {self.seen!r}"
                self.seen += chunk

    def send(self, line: str) -> None:
        os.write(self.fd, line.encode() + b"\r")

    def finish(self, timeout: float = 60) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:
                    chunk = b""
                self.seen += chunk
                if not chunk:
                    break
        _pid, status = os.waitpid(self.pid, 0)
        os.close(self.fd)
        return os.waitstatus_to_exitcode(status)


def test_in_a_terminal_the_person_is_asked_and_the_password_not_echoed(home: Path) -> None:
    term = Terminal(home, "users", "add", "picker07", "--name", "吴拣货", "--role", "picker")
    term.expect("Packline user: ")
    term.send("admin")
    term.expect("Password for admin: ")
    term.send("admin123")
    term.expect("new password for picker07: ")
    term.send("picker777")
    term.expect("again: ")
    term.send("picker777")
    assert term.finish() == 0, term.seen
    assert b"admin123" not in term.seen and b"picker777" not in term.seen  # no echo
    assert b'"code": "picker07"' in term.seen
    db = _db(home)
    try:
        assert auth.login_password(db, "picker07", "picker777").code == "picker07"
    finally:
        db.dispose()


def test_in_a_terminal_a_lead_needs_no_pin_and_a_wrong_password_is_refused(home: Path
                                                                            ) -> None:
    term = Terminal(home, "waves", "cancel", "WAVE-NOPE", "--user", "lead01")
    term.expect("Password for lead01: ")  # the user came with --user: not asked again
    term.send("lead123")
    assert term.finish() == 2
    assert b"WAVE-NOPE" in term.seen and b"wrong password" not in term.seen
    wrong = Terminal(home, "waves", "cancel", "WAVE-NOPE", "--user", "packer01")
    wrong.expect("Password for packer01: ")
    wrong.send("lead123")
    assert wrong.finish() == 2
    assert b"unknown user or wrong password" in wrong.seen
