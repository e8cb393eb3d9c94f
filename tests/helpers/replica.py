"""A streaming read replica of the local PostgreSQL server, for a test or the rehearsal: a
second cluster made by `pg_basebackup -R` from the primary (no initdb), on a port of its own,
started with the Debian binaries (/usr/lib/postgresql/<major>/bin), stopped and removed
afterwards (docs/scaling.md).

    with replica(pg_admin_url()) as url:   # url: the same database on the replica
        Database.from_url(primary, read_url=url)

The primary must let a replication connection in from 127.0.0.1: `.ci/run` adds
`host replication all 127.0.0.1/32 trust` to the local cluster's pg_hba.conf (its `wal_level`
is `replica` by default). The replica streams through a replication slot of its own, so the
primary keeps the WAL it has not received yet; the slot is dropped when the replica stops, and a
slot left by a replica whose process died (named `packline_replica_<pid>_…`) is dropped by the
next one. As root (CI) the cluster belongs to, and runs as, the `postgres` account.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from tests.helpers.pgbouncer import free_port

SLOT_PREFIX = "packline_replica_"
BACKUP_TIMEOUT_S = 900.0  # the whole cluster is copied
BACKUP_ATTEMPTS = 3
START_TIMEOUT_S = 120.0
CATCH_UP_TIMEOUT_S = 120.0
OWNER = "postgres"


class ReplicationRefused(RuntimeError):
    """The primary does not let a replication connection in (pg_hba.conf)."""


@dataclass(frozen=True, slots=True)
class Standby:
    """A running replica: its URL (the primary URL's database), its port and folder."""
    url: str
    port: int
    folder: Path
    slot: str

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def log(self) -> str:
        path = self.folder / "postgres.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


def binaries(major: int) -> Path:
    """The folder of PostgreSQL `major`'s server programs (Debian: /usr/lib/postgresql/N/bin),
    the version of the primary: a replica runs the primary's major version."""
    for folder in sorted(glob.glob(f"/usr/lib/postgresql/{major}/bin"), reverse=True):
        if (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    raise RuntimeError(f"no PostgreSQL {major} server programs (pg_ctl) on this machine")


def _owner() -> pwd.struct_passwd | None:
    """The account the cluster runs as: postgres when this is root (PostgreSQL refuses
    root), else this account."""
    if os.geteuid() != 0:
        return None
    return pwd.getpwnam(OWNER)


def _run(command: list[str], owner: pwd.struct_passwd | None, timeout: float,
         **kwargs: Any) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    extra: dict[str, Any] = {}
    if owner is not None:
        env["HOME"] = owner.pw_dir
        extra = {"user": owner.pw_uid, "group": owner.pw_gid, "extra_groups": []}
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL, cwd="/", **extra, **kwargs)


def _server(admin: sa.Engine) -> dict[str, str]:
    names = ("server_version_num", "max_connections", "max_worker_processes",
             "max_wal_senders", "max_prepared_transactions", "max_locks_per_transaction",
             "wal_level")
    with admin.connect() as conn:
        rows = conn.execute(sa.text("SELECT name, setting FROM pg_settings "
                                    "WHERE name = ANY(:names)"), {"names": list(names)})
        return {r.name: r.setting for r in rows}


def _drop_orphan_slots(admin: sa.Engine) -> None:
    """Slots of replicas whose process is gone (a test killed half-way): the primary would
    keep its WAL for them for ever."""
    with admin.connect() as conn:
        slots = conn.execute(sa.text(
            "SELECT slot_name FROM pg_replication_slots WHERE NOT active "
            "AND slot_name LIKE :p"), {"p": SLOT_PREFIX + "%"}).scalars().all()
        for slot in slots:
            pid = slot.removeprefix(SLOT_PREFIX).split("_", 1)[0]
            if pid.isdigit() and not Path(f"/proc/{pid}").exists():
                conn.execute(sa.text("SELECT pg_drop_replication_slot(:s)"), {"s": slot})


def _slot_exists(admin: sa.Engine, slot: str) -> bool:
    with admin.connect() as conn:
        return bool(conn.execute(sa.text("SELECT count(*) FROM pg_replication_slots "
                                         "WHERE slot_name = :s"), {"s": slot}).scalar_one())


def _drop_slot(admin: sa.Engine, slot: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        with admin.connect() as conn:
            active = conn.execute(sa.text(
                "SELECT active FROM pg_replication_slots WHERE slot_name = :s"),
                {"s": slot}).scalar()
            if active is None:
                return
            if not active or time.monotonic() > deadline:
                conn.execute(sa.text("SELECT pg_drop_replication_slot(:s)"), {"s": slot})
                return
        time.sleep(0.1)


def _config(settings: dict[str, str], port: int, folder: Path) -> str:
    # A standby must allow at least what the primary does of these, or it will not start.
    same = ("max_connections", "max_worker_processes", "max_wal_senders",
            "max_prepared_transactions", "max_locks_per_transaction")
    lines = [f"port = {port}", "listen_addresses = '127.0.0.1'",
             f"unix_socket_directories = '{folder}'", "hot_standby = on",
             # The replica tells the primary which rows its queries still read, so a long
             # dashboard or order-list query is not cancelled by a vacuum replayed under it.
             "hot_standby_feedback = on",
             "shared_buffers = 64MB", "logging_collector = off", "ssl = off",
             "fsync = off", "wal_receiver_status_interval = 1s",
             *(f"{name} = {settings[name]}" for name in same if name in settings)]
    return "\n".join(lines) + "\n"


def _replaying(url: str, wanted: int) -> bool:
    from app.store.db import lsn

    engine = sa.create_engine(url, connect_args={"connect_timeout": 2},
                              poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            row = conn.execute(sa.text("SELECT pg_is_in_recovery(), "
                                       "pg_last_wal_replay_lsn()::text")).one()
        replayed = lsn(row[1])
        return bool(row[0]) and replayed is not None and replayed >= wanted
    except sa.exc.OperationalError:
        return False
    finally:
        engine.dispose()


def wait_caught_up(primary_url: str, replica_url: str, timeout: float = CATCH_UP_TIMEOUT_S
                   ) -> None:
    """Until the replica has replayed everything the primary had written when asked."""
    from app.store.db import lsn

    engine = sa.create_engine(primary_url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            wanted = lsn(conn.execute(sa.text("SELECT pg_current_wal_lsn()::text"))
                         .scalar_one())
    finally:
        engine.dispose()
    assert wanted is not None
    deadline = time.monotonic() + timeout
    while not _replaying(replica_url, wanted):
        if time.monotonic() > deadline:
            raise TimeoutError(f"the replica did not replay up to {wanted} within {timeout} s")
        time.sleep(0.05)


@contextmanager
def running_replica(primary_admin_url: str, *, port: int | None = None) -> Iterator[Standby]:
    """A streaming replica of the server of `primary_admin_url` (a superuser's URL, or a
    role with REPLICATION), as a `Standby`."""
    primary = make_url(primary_admin_url)
    admin = sa.create_engine(primary_admin_url, isolation_level="AUTOCOMMIT",
                             poolclass=sa.pool.NullPool)
    owner = _owner()
    folder = Path(tempfile.mkdtemp(prefix="packline-replica-"))
    slot = f"{SLOT_PREFIX}{os.getpid()}_{uuid.uuid4().hex[:8]}"
    started = False
    bin_dir: Path | None = None
    try:
        settings = _server(admin)
        if settings.get("wal_level") not in ("replica", "logical"):
            raise ReplicationRefused(f"the primary's wal_level is {settings.get('wal_level')}: "
                                     "a streaming replica needs replica (the default)")
        _drop_orphan_slots(admin)
        bin_dir = binaries(int(settings["server_version_num"]) // 10000)
        if owner is not None:
            os.chown(folder, owner.pw_uid, owner.pw_gid)
        data = folder / "data"
        for attempt in range(1, BACKUP_ATTEMPTS + 1):
            backup = _run([str(bin_dir / "pg_basebackup"), "-h", primary.host or "127.0.0.1",
                           "-p", str(primary.port or 5432), "-U",
                           primary.username or "postgres", "-D", str(data), "-R",
                           "-X", "stream", "-c", "fast", "--no-sync", "-w",
                           *(("-C", "-S", slot) if attempt == 1 else ("-S", slot))],
                          owner, BACKUP_TIMEOUT_S)
            said = backup.stderr.strip()
            if backup.returncode == 0:
                break
            if "pg_hba.conf" in said:
                raise ReplicationRefused(
                    "the primary refuses replication connections from 127.0.0.1: add "
                    "`host replication all 127.0.0.1/32 trust` to its pg_hba.conf and reload "
                    f"it (.ci/run does): {said}")
            # A copy cut off (its connection terminated on a busy shared server) is made
            # again, into the slot the first attempt created.
            shutil.rmtree(data, ignore_errors=True)
            if attempt == BACKUP_ATTEMPTS or not _slot_exists(admin, slot):
                raise RuntimeError(f"pg_basebackup failed: {said[-2000:]}")
        listen = port or free_port()
        # The primary's own configuration files (a non-Debian cluster keeps them in its data
        # folder) are replaced by the replica's.
        (data / "postgresql.conf").write_text(_config(settings, listen, folder),
                                              encoding="utf-8")
        (data / "pg_hba.conf").write_text("local all all trust\n"
                                          "host all all 127.0.0.1/32 trust\n",
                                          encoding="utf-8")
        (data / "pg_ident.conf").write_text("", encoding="utf-8")
        for leftover in ("postmaster.pid", "postmaster.opts"):
            (data / leftover).unlink(missing_ok=True)
        if owner is not None:
            for path in (data / "postgresql.conf", data / "pg_hba.conf",
                         data / "pg_ident.conf"):
                os.chown(path, owner.pw_uid, owner.pw_gid)
        started = True
        start = _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-l",
                      str(folder / "postgres.log"), "-w", "-t", str(int(START_TIMEOUT_S)),
                      "start"], owner, START_TIMEOUT_S + 10)
        standby = Standby(primary.set(host="127.0.0.1", port=listen)
                          .render_as_string(hide_password=False), listen, folder, slot)
        if start.returncode != 0:
            raise RuntimeError(f"the replica did not start: {start.stderr.strip()[-1000:]} "
                               f"{standby.log()[-2000:]}")
        wait_caught_up(primary_admin_url, standby.url)
        yield standby
    finally:
        if started and bin_dir is not None:
            stop = _run([str(bin_dir / "pg_ctl"), "-D", str(folder / "data"), "-m", "fast",
                         "-w", "-t", "60", "stop"], owner, 70)
            if stop.returncode != 0 and (folder / "data" / "postmaster.pid").exists():
                _run([str(bin_dir / "pg_ctl"), "-D", str(folder / "data"), "-m", "immediate",
                      "-w", "stop"], owner, 30)
        with contextlib.suppress(sa.exc.SQLAlchemyError):
            _drop_slot(admin, slot)
        admin.dispose()
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def replica(primary_admin_url: str) -> Iterator[str]:
    """A streaming replica of the primary's whole cluster, started by `pg_basebackup -R` on a
    free 127.0.0.1 port and caught up; yields the URL of `primary_admin_url`'s database on
    it, and stops and removes it at the end."""
    with running_replica(primary_admin_url) as standby:
        yield standby.url
