"""Where the central database's password comes from (app.store.credentials), first found wins:
PACKLINE_CENTRAL_PASSWORD, a password in the URL, libpq's own (password file, service file),
the OS keyring.

Against the shared server (it trusts 127.0.0.1, any password gets in) the tests read the
password libpq actually used (`connection.info.password`); against a server of their own that
wants a SCRAM password they prove each source logs in, and that a source with a wrong password
is used when it should win. The keyring is keyring's plain-file backend, chosen through
keyring's own configuration (PYTHON_KEYRING_BACKEND), kept in the test's folder.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from app.store.credentials import KEYRING_SERVICE, PASSWORD_ENV
from app.store.db import make_engine
from tests.helpers.cli import REPO, packline_env
from tests.helpers.cli import packline as run_packline
from tests.helpers.databases import pg_admin_url, require_pg
from tests.helpers.password_server import PasswordServer, password_server, unavailable

FILE_KEYRING = "keyrings.alt.file.PlaintextKeyring"
LIBPQ_ENV = ("PGPASSWORD", "PGPASSFILE", "PGSERVICE", "PGSERVICEFILE", "PGUSER", PASSWORD_ENV)


@pytest.fixture
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No password source from the machine running the tests: no PG* variables, and a password
    file that does not exist (not the user's ~/.pgpass)."""
    for name in LIBPQ_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    return tmp_path


@pytest.fixture
def file_keyring(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The keyring module, its backend the plain file in this test's folder."""
    import keyring
    import keyring.core

    before = keyring.get_keyring()
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", FILE_KEYRING)
    monkeypatch.setenv("XDG_DATA_HOME", str(clean_env / "keyring-data"))
    keyring.core.init_backend()
    assert type(keyring.get_keyring()).__name__ == "PlaintextKeyring"
    yield keyring
    keyring.core.set_keyring(before)


def passfile(folder: Path, *lines: str) -> Path:
    path = folder / "pgpass"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    path.chmod(0o600)  # libpq ignores a password file others can read
    return path


def used_password(url: str) -> str | None:
    """Connect through Packline's engine; the password libpq sent (or would have)."""
    engine = make_engine(url, connect_timeout=5)
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT 1")).scalar() == 1
            info = conn.connection.dbapi_connection.info  # type: ignore[union-attr]
            return info.password or None
    finally:
        engine.dispose()


def shared_url(password: str | None = None) -> str:
    url = make_url(pg_admin_url())
    return url.set(password=password).render_as_string(hide_password=False)


# ------------------------------------------------- the shared server: what reaches libpq

@pytest.fixture
def shared_server_folder(clean_env: Path) -> Path:
    """A folder for password and service files, for tests against the shared server (which
    must take no password of its own here)."""
    require_pg()
    if make_url(pg_admin_url()).password:
        pytest.skip("PACKLINE_TEST_PG_URL carries a password of its own")
    return clean_env


@pytest.mark.pg
def test_the_environment_password_wins_over_the_url_and_the_password_file(
        shared_server_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    host = make_url(pg_admin_url())
    monkeypatch.setenv("PGPASSFILE", str(passfile(shared_server_folder,
                                                  f"*:*:*:{host.username}:from-pgpass")))
    monkeypatch.setenv(PASSWORD_ENV, "from-environment")
    assert used_password(shared_url("from-url")) == "from-environment"
    assert used_password(shared_url()) == "from-environment"


@pytest.mark.pg
def test_a_password_in_the_url_wins_over_the_password_file(
        shared_server_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    host = make_url(pg_admin_url())
    monkeypatch.setenv("PGPASSFILE", str(passfile(shared_server_folder,
                                                  f"*:*:*:{host.username}:from-pgpass")))
    assert used_password(shared_url("from-url")) == "from-url"


@pytest.mark.pg
def test_the_password_file_reaches_libpq_untouched(shared_server_folder: Path, file_keyring: Any,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    host = make_url(pg_admin_url())
    file_keyring.set_password(KEYRING_SERVICE, host.username, "from-keyring")
    # libpq matches host, port, database and user; the first matching line wins.
    monkeypatch.setenv("PGPASSFILE", str(passfile(
        shared_server_folder, f"otherhost:*:*:{host.username}:not-this-host",
        f"{host.host}:{host.port or 5432}:*:{host.username}:from-pgpass")))
    assert used_password(shared_url()) == "from-pgpass"
    # PGPASSWORD is libpq's too, and comes before its password file.
    monkeypatch.setenv("PGPASSWORD", "from-pgpassword")
    assert used_password(shared_url()) == "from-pgpassword"


@pytest.mark.pg
def test_a_service_file_entry_reaches_libpq(shared_server_folder: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    host = make_url(pg_admin_url())
    services = shared_server_folder / "pg_service.conf"
    services.write_text(f"[packline_central]\nhost={host.host}\nport={host.port or 5432}\n"
                        f"dbname={host.database}\nuser={host.username}\n"
                        "password=from-service-file\n", encoding="utf-8")
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    assert used_password("postgresql+psycopg:///?service=packline_central") == \
        "from-service-file"


# ------------------------------------------------- a server that wants a password

@pytest.fixture(scope="module")
def server() -> Iterator[PasswordServer]:
    reason = unavailable()
    if reason:
        pytest.skip(f"no PostgreSQL server of our own: {reason}")
    with password_server() as srv:
        yield srv


def test_the_keyring_logs_in_when_nothing_else_gives_a_password(
        server: PasswordServer, file_keyring: Any) -> None:
    file_keyring.set_password(KEYRING_SERVICE, "postgres", server.password)
    assert used_password(server.url()) == server.password


def test_the_password_file_wins_over_the_keyring(server: PasswordServer, file_keyring: Any,
                                                 clean_env: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    file_keyring.set_password(KEYRING_SERVICE, "postgres", "wrong-from-keyring")
    monkeypatch.setenv("PGPASSFILE", str(passfile(
        clean_env, f"127.0.0.1:{server.port}:*:postgres:{server.password}")))
    assert used_password(server.url()) == server.password
    # Without the file the keyring is asked, and its wrong password is refused.
    monkeypatch.setenv("PGPASSFILE", str(clean_env / "no-pgpass"))
    with pytest.raises(sa.exc.OperationalError, match="password authentication failed") as err:
        used_password(server.url())
    assert "wrong-from-keyring" not in str(err.value)


def test_the_environment_wins_over_the_url_the_password_file_and_the_keyring(
        server: PasswordServer, file_keyring: Any, clean_env: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    file_keyring.set_password(KEYRING_SERVICE, "postgres", "wrong-from-keyring")
    monkeypatch.setenv("PGPASSFILE", str(passfile(
        clean_env, f"127.0.0.1:{server.port}:*:postgres:wrong-from-pgpass")))
    monkeypatch.setenv(PASSWORD_ENV, server.password)
    assert used_password(server.url(password="wrong-in-url")) == server.password
    # A wrong one there is used all the same: nothing after it is tried.
    monkeypatch.setenv(PASSWORD_ENV, "wrong-from-environment")
    monkeypatch.setenv("PGPASSFILE", str(passfile(
        clean_env, f"127.0.0.1:{server.port}:*:postgres:{server.password}")))
    file_keyring.set_password(KEYRING_SERVICE, "postgres", server.password)
    with pytest.raises(sa.exc.OperationalError, match="password authentication failed") as err:
        used_password(server.url())
    assert "wrong-from-environment" not in str(err.value)


def test_a_url_password_wins_over_the_keyring(server: PasswordServer, file_keyring: Any) -> None:
    file_keyring.set_password(KEYRING_SERVICE, "postgres", "wrong-from-keyring")
    assert used_password(server.url(password=server.password)) == server.password


def test_without_any_password_libpq_says_so(server: PasswordServer, clean_env: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring
    import keyring.core

    # No keyring on this machine at all (keyring's "fail" backend): the same refusal as
    # with no keyring entry, not a keyring error.
    before = keyring.get_keyring()
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    keyring.core.init_backend()
    try:
        with pytest.raises(sa.exc.OperationalError, match="no password supplied"):
            used_password(server.url())
    finally:
        keyring.core.set_keyring(before)


def test_packline_commands_log_in_with_the_keyring(server: PasswordServer,
                                                   clean_env: Path) -> None:
    """The README's advice end to end: station.ini names the database without a password,
    the keyring holds it, and `packline db upgrade`, `sync status` work."""
    with psycopg.connect(host="127.0.0.1", port=server.port, user="postgres",
                         password=server.password, dbname="postgres", autocommit=True) as c:
        c.execute("CREATE DATABASE packline_keyring")
    home = clean_env / "station"
    home.mkdir()
    (home / "station.ini").write_text(
        f"[central]\nurl = {server.url('packline_keyring')}\n", encoding="utf-8")
    # No password from libpq's sources here; the keyring is the plain file in this folder.
    keyring_only = {"PGPASSFILE": str(clean_env / "no-pgpass"),
                    "PYTHON_KEYRING_BACKEND": FILE_KEYRING,
                    "XDG_DATA_HOME": str(clean_env / "keyring-data")}

    def packline(*args: str) -> subprocess.CompletedProcess[str]:
        return run_packline(home, *args, env=keyring_only, drop=LIBPQ_ENV, timeout=180)

    refused = packline("db", "upgrade")
    assert refused.returncode == 1
    assert "no password supplied" in refused.stderr
    # What IT types on the station (keyring's own command, the password on stdin).
    stored = subprocess.run([sys.executable, "-m", "keyring", "set", KEYRING_SERVICE,
                             "postgres"], cwd=REPO, input=server.password + "\n",
                            env=packline_env(home, env=keyring_only, drop=LIBPQ_ENV),
                            capture_output=True, text=True, timeout=180)
    assert stored.returncode == 0, stored.stderr
    done = packline("db", "upgrade")
    assert done.returncode == 0, done.stderr
    status = packline("sync", "status", "--json")
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["online"] is True
    log = (home / "logs" / "packline.log").read_text(encoding="utf-8")
    assert "from the keyring" in log
    for text in (log, refused.stderr, done.stderr, status.stdout, status.stderr):
        assert server.password not in text
