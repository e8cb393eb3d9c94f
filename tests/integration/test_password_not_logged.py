"""No password reaches a log file, stdout or stderr: the real commands and the real app run
with a distinctive central database password given every way Packline takes one (in
station.ini's URL, in PACKLINE_CENTRAL_URL, in PACKLINE_CENTRAL_PASSWORD), against the real
PostgreSQL server, against a port where nothing answers, and (where this machine can make
one) against a server that refuses the password; then every file the stations wrote (their
settings excepted) and everything the commands printed is searched for it."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from app.store.credentials import PASSWORD_ENV
from tests.helpers.cli import packline, packline_process
from tests.helpers.databases import closed_port, require_pg, scratch_pg_database
from tests.helpers.password_server import password_server, unavailable
from tests.helpers.waiting import eventually

pytestmark = [pytest.mark.pg, pytest.mark.timeout(900)]

# A password this shell holds reaches no command: each is given the one the test means.
NO_PASSWORD_FROM_HERE = (PASSWORD_ENV, "PGPASSWORD")
# "@" and "/" must be percent-encoded in a URL: the password shows up in two spellings.
PASSWORD = "Kq9x@L3akZ/77"
# Any of these in any output is (part of) the password.
FRAGMENTS = ("Kq9x", "L3akZ", quote(PASSWORD, safe=""))


def with_password(url: str, password: str = PASSWORD) -> str:
    return make_url(url).set(password=password).render_as_string(hide_password=False)


class Outputs:
    """Every run's stdout and stderr, and the station folders they wrote."""

    def __init__(self) -> None:
        self.printed: list[tuple[str, str]] = []
        self.homes: list[Path] = []

    def home(self, base: Path, name: str, ini: str) -> Path:
        home = base / name
        home.mkdir()
        (home / "station.ini").write_text(f"[log]\nlevel = DEBUG\n\n{ini}", encoding="utf-8")
        self.homes.append(home)
        return home

    def run(self, home: Path, *args: str, code: int = 0,
            **extra: str) -> subprocess.CompletedProcess[str]:
        done = packline(home, *args, as_user="admin",
                        env={"QT_QPA_PLATFORM": "offscreen", **extra},
                        drop=NO_PASSWORD_FROM_HERE, timeout=300)
        self.printed.append((f"{home.name}: {' '.join(args)}", done.stdout + done.stderr))
        assert done.returncode == code, (args, done.returncode, done.stderr[-2000:])
        return done

    def run_app_until(self, home: Path, ready: str, check: object, timeout: float = 90,
                      **extra: str) -> None:
        """`packline run` (offscreen) until `check()` is true, then stopped."""
        out = home.parent / f"{home.name}-app-output.txt"
        with out.open("w", encoding="utf-8") as fh:
            proc = packline_process(home, "run", as_user="admin",
                                    env={"QT_QPA_PLATFORM": "offscreen", **extra},
                                    drop=NO_PASSWORD_FROM_HERE, stdout=fh,
                                    stderr=subprocess.STDOUT)

            def there() -> object:
                assert proc.poll() is None, out.read_text(encoding="utf-8")[-3000:]
                return check()  # type: ignore[operator]

            try:
                eventually(there, what=f"the app to get to: {ready}", timeout=timeout,
                           every=0.2)
            finally:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        self.printed.append((f"{home.name}: run", out.read_text(encoding="utf-8")))

    def written(self) -> Iterator[tuple[str, str]]:
        for home in self.homes:
            for path in sorted(home.rglob("*")):
                # The settings file, and the copy of it an upgrade of its layout kept, hold
                # what IT wrote there (private files, as docs/security.md says).
                if path.is_file() and not path.name.startswith("station.ini"):
                    yield str(path), path.read_bytes().decode("utf-8", "replace")


def log_of(home: Path) -> str:
    path = home / "logs" / "packline.log"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def test_no_password_in_any_log_or_output(tmp_path: Path) -> None:
    require_pg()
    out = Outputs()
    with scratch_pg_database("secret") as plain_url:
        url = with_password(plain_url)
        assert quote(PASSWORD, safe="") in url

        # 1. The URL with its password in station.ini (warned about), every command that
        # reaches the central database or prints its address.
        ini = out.home(tmp_path, "ini", f"[station]\ncode = ST-SECRET-1\n\n[central]\nurl = {url}\n")
        upgraded = out.run(ini, "db", "upgrade")
        assert "postgresql+psycopg://postgres:***@" in upgraded.stderr
        out.run(ini, "db", "check")
        out.run(ini, "demo", "seed", "--orders", "10", "--seed", "2")
        out.run(ini, "engine", "run", "--once")
        out.run(ini, "sync", "once")
        out.run(ini, "sync", "status")
        out.run(ini, "sync", "status", "--json")
        out.run(ini, "print", "test", "--printer", "folder", "--timeout", "20")
        out.run(ini, "orders", "list", "--limit", "3")
        assert "[central] url holds the database password" in log_of(ini)

        # 2. The whole URL in PACKLINE_CENTRAL_URL: the app itself starts, connects and
        # reports to the central database.
        env_url = out.home(tmp_path, "env_url", "[station]\ncode = ST-SECRET-2\n")
        admin = sa.create_engine(plain_url)

        def reported() -> bool:
            with admin.connect() as conn:
                return bool(conn.execute(sa.text(
                    "SELECT count(*) FROM stations WHERE code = 'ST-SECRET-2' "
                    "AND last_seen_at IS NOT NULL")).scalar())

        try:
            out.run_app_until(env_url, "a report to the central database", reported,
                              PACKLINE_CENTRAL_URL=url)
        finally:
            admin.dispose()
        out.run(env_url, "sync", "status", PACKLINE_CENTRAL_URL=url)

        # 3. The password alone in PACKLINE_CENTRAL_PASSWORD.
        pw_env = out.home(tmp_path, "pw_env",
                          f"[station]\ncode = ST-SECRET-3\n\n[central]\nurl = {plain_url}\n")
        out.run(pw_env, "db", "check", **{PASSWORD_ENV: PASSWORD})
        out.run(pw_env, "sync", "status", "--json", **{PASSWORD_ENV: PASSWORD})

    # 4. Nothing answers: the commands fail saying where (without the password), the app
    # starts and says the central database cannot be reached.
    down_url = with_password(f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/pl")
    down = out.home(tmp_path, "down", f"[central]\nurl = {down_url}\nconnect_timeout = 2\n")
    failed = out.run(down, "db", "upgrade", code=1)
    assert "database error at postgresql+psycopg://postgres:***@127.0.0.1" in failed.stderr
    out.run(down, "db", "check", code=1)
    out.run(down, "sync", "status", code=1)
    out.run(down, "sync", "once", code=1)
    out.run(down, "label", "render", "--order", "PL2611110000001", "--format", "zpl",
            "--out", str(tmp_path / "w.zpl"), code=1)
    out.run(down, "db", "upgrade", code=1, PACKLINE_CENTRAL_URL=down_url)
    out.run_app_until(down, "saying the central database cannot be reached",
                      lambda: "not reachable" in log_of(down))

    # 5. A server that wants a password and is given the wrong one.
    if unavailable() is None:
        with password_server() as server:
            wrong = out.home(tmp_path, "wrong",
                             f"[central]\nurl = {with_password(server.url())}\n")
            refused = out.run(wrong, "db", "check", code=1)
            assert "password authentication failed" in refused.stderr
            out.run(wrong, "sync", "status", code=1)
            out.run(wrong, "db", "check", code=1, **{PASSWORD_ENV: PASSWORD})

    for home in out.homes:
        assert log_of(home), f"{home.name} wrote no log"
    leaks = [(where, fragment) for where, text in [*out.printed, *out.written()]
             for fragment in FRAGMENTS if fragment in text]
    assert leaks == []
