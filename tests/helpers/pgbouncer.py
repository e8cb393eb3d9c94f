"""A real PgBouncer (Debian's `pgbouncer`) in transaction pooling in front of a PostgreSQL
server, as a large site runs it (docs/scaling.md): started as a child process for a test or the
rehearsal, stopped and its folder removed afterwards.

    with pgbouncer(url, pool_size=4) as pooled:   # pooled: the same URL through PgBouncer
        Database.from_url(pooled, pooled=True)    # `[central] pooled = true`

It listens on 127.0.0.1 only (a free port unless `port` is given), lets in the URL's user
without a password (`auth_type = trust`: a local test pooler; the server still checks what
PgBouncer logs in with, the URL's password if it has one), and pools every database of the
target server by name (`* =`), at most `pool_size` server connections per database and user.
PgBouncer refuses to run as root: as root (CI) it is told to switch to the `postgres` account
(`-u`), which then owns its folder.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

BINARY_CANDIDATES = ("/usr/sbin/pgbouncer", "/usr/bin/pgbouncer")
START_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 10.0
# The account PgBouncer runs as when started by root (Debian's package runs it as postgres).
RUN_AS = ("postgres", "nobody")


class PgBouncerMissing(RuntimeError):
    """The pgbouncer program is not installed (packaging/linux/system-deps.sh installs it)."""


def binary() -> str:
    found = shutil.which("pgbouncer") or next(
        (p for p in BINARY_CANDIDATES if os.access(p, os.X_OK)), None)
    if found is None:
        raise PgBouncerMissing("pgbouncer is not installed: run packaging/linux/system-deps.sh "
                               "as root (apt-get install pgbouncer)")
    return found


def version() -> tuple[int, ...]:
    """PgBouncer's version, e.g. (1, 18, 0). From 1.21 it can keep protocol-level prepared
    statements across transaction pooling (`max_prepared_statements`); before, a client must
    not prepare them (`[central] pooled = true` turns psycopg's off)."""
    first = subprocess.run([binary(), "--version"], capture_output=True, text=True,
                           check=True, timeout=10).stdout.split()
    numbers = next(w for w in first if w[:1].isdigit())
    return tuple(int(p) for p in numbers.split(".") if p.isdigit())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True, slots=True)
class Bouncer:
    """A running PgBouncer: its URL for clients, its admin console's and its folder."""
    url: str
    admin_url: str
    port: int
    folder: Path
    process: subprocess.Popen[bytes]

    def log(self) -> str:
        path = self.folder / "pgbouncer.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


def _quote(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _write_files(folder: Path, target_host: str, target_port: int, user: str,
                 password: str | None, port: int, pool_size: int,
                 max_client_conn: int) -> Path:
    # `*`: every database of the server by its own name, pooled per database and user.
    ini = folder / "pgbouncer.ini"
    ini.write_text(
        "[databases]\n"
        f"* = host={target_host} port={target_port}\n\n"
        "[pgbouncer]\n"
        "listen_addr = 127.0.0.1\n"
        f"listen_port = {port}\n"
        "unix_socket_dir =\n"
        "auth_type = trust\n"
        f"auth_file = {folder / 'users.txt'}\n"
        f"admin_users = {user}\n"
        f"stats_users = {user}\n"
        "pool_mode = transaction\n"
        f"default_pool_size = {pool_size}\n"
        "min_pool_size = 0\n"
        "reserve_pool_size = 0\n"
        f"max_client_conn = {max_client_conn}\n"
        # libpq clients may send these; PgBouncer would refuse a startup parameter it does
        # not track.
        "ignore_startup_parameters = extra_float_digits,options\n"
        "server_reset_query =\n"
        "server_check_delay = 10\n"
        f"logfile = {folder / 'pgbouncer.log'}\n"
        "log_connections = 0\n"
        "log_disconnections = 0\n"
        "log_pooler_errors = 1\n",
        encoding="utf-8")
    (folder / "users.txt").write_text(f"{_quote(user)} {_quote(password or '')}\n",
                                      encoding="utf-8")
    return ini


def _run_as() -> pwd.struct_passwd | None:
    if os.geteuid() != 0:
        return None
    for name in RUN_AS:
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise RuntimeError("running as root and neither a postgres nor a nobody account exists "
                       "for PgBouncer to switch to")


def _answers(url: str, timeout: float) -> bool:
    import psycopg

    u = make_url(url)
    try:
        with psycopg.connect(host=u.host, port=u.port, user=u.username, password=u.password,
                             dbname=u.database, connect_timeout=max(int(timeout), 1),
                             prepare_threshold=None, autocommit=True) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


@contextmanager
def running_pgbouncer(target_url: str, *, pool_size: int = 20, port: int | None = None,
                      max_client_conn: int = 2000) -> Iterator[Bouncer]:
    """PgBouncer in front of `target_url`'s server, as a `Bouncer`."""
    target = make_url(target_url)
    user = target.username or "postgres"
    account = _run_as()
    folder = Path(tempfile.mkdtemp(prefix="packline-pgbouncer-"))
    process: subprocess.Popen[bytes] | None = None
    try:
        listen = port or free_port()
        ini = _write_files(folder, target.host or "127.0.0.1", target.port or 5432, user,
                           target.password, listen, pool_size, max_client_conn)
        command = [binary(), "-q", str(ini)]
        if account is not None:
            # PgBouncer will not run as root; it drops to this account, which must read its
            # files and write its log.
            for path in (folder, *folder.iterdir()):
                os.chown(path, account.pw_uid, account.pw_gid)
            command[1:1] = ["-u", account.pw_name]
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        url = target.set(host="127.0.0.1", port=listen).render_as_string(hide_password=False)
        admin = target.set(host="127.0.0.1", port=listen, database="pgbouncer"
                           ).render_as_string(hide_password=False)
        deadline = time.monotonic() + START_TIMEOUT_S
        while not _answers(url, 2):
            if process.poll() is not None or time.monotonic() > deadline:
                said = process.stdout.read().decode(errors="replace") if process.stdout \
                    and process.poll() is not None else ""
                log = (folder / "pgbouncer.log")
                raise RuntimeError(
                    f"pgbouncer did not accept connections on 127.0.0.1:{listen} "
                    f"(exit {process.poll()}): {said.strip()[-1500:]}"
                    f"{log.read_text(errors='replace')[-1500:] if log.exists() else ''}")
            time.sleep(0.05)
        yield Bouncer(url, admin, listen, folder, process)
    finally:
        if process is not None:
            _stop(process)
        shutil.rmtree(folder, ignore_errors=True)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        # SIGINT: a safe shutdown would wait for clients; SIGTERM closes them at once.
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(STOP_TIMEOUT_S)
    if process.stdout is not None:
        process.stdout.close()


@contextmanager
def pgbouncer(target_url: str, *, pool_size: int = 20, port: int | None = None) -> Iterator[str]:
    """PgBouncer in transaction pooling in front of `target_url`'s server, started on a free
    127.0.0.1 port (or `port`), accepting connections; yields the SQLAlchemy URL of
    `target_url`'s database through it, and stops it at the end."""
    with running_pgbouncer(target_url, pool_size=pool_size, port=port) as bouncer:
        yield bouncer.url
