"""What the rehearsal's floor holds of PostgreSQL while it works (docs/rehearsal.md,
docs/scaling.md): the server backends of the run's database against the client processes,
PgBouncer's server connections (`SHOW POOLS` on its admin console) and the read replica's lag
(`app.store.db.measure_lag`), sampled every second by the conductor, per minute and in all."""

from __future__ import annotations

import contextlib
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from tests.helpers.pgbouncer import Bouncer
from tests.rehearsal.floor import Floor
from tests.rehearsal.metrics import percentile


@dataclass
class Samples:
    backends: list[int] = field(default_factory=list)
    clients: list[int] = field(default_factory=list)
    servers: list[int] = field(default_factory=list)  # PgBouncer's server connections
    waiting: list[int] = field(default_factory=list)  # clients waiting for one
    pooled_clients: list[int] = field(default_factory=list)  # client connections at PgBouncer
    lag_s: list[float] = field(default_factory=list)
    lag_bytes: list[float] = field(default_factory=list)
    lag_unreachable: int = 0


class Connections:
    def __init__(self, url: str, bouncer: Bouncer | None, read_url: str, floor: Floor) -> None:
        from app.store.db import Database

        self.database = make_url(url).database
        self.bouncer, self.floor = bouncer, floor
        self.admin = sa.create_engine(url, poolclass=sa.pool.NullPool, connect_args={
            "application_name": "rehearsal-conductor"})
        self.db = Database.from_url(url, read_url=read_url, connect_timeout=3) \
            if read_url else None
        self._console: Any = None
        self._commands = 0  # `packline` commands of the intake running now
        self._lock = threading.Lock()
        self.total = Samples()
        self.minutes: dict[int, Samples] = defaultdict(Samples)
        self.errors: list[str] = []

    @contextlib.contextmanager
    def client(self) -> Iterator[None]:
        """A short-lived client process (an import or a channel event) while it runs."""
        with self._lock:
            self._commands += 1
        try:
            yield
        finally:
            with self._lock:
                self._commands -= 1

    def sample(self, minute: int) -> None:
        buckets = (self.total, self.minutes[minute])
        with self._lock:
            clients = self._commands + sum(1 for p in self.floor.procs.values() if p.alive())
        try:
            with self.admin.connect() as conn:
                backends = int(conn.execute(sa.text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = :d "
                    "AND backend_type = 'client backend' "
                    "AND application_name <> 'rehearsal-conductor'"),
                    {"d": self.database}).scalar_one())
            for b in buckets:
                b.backends.append(backends)
                b.clients.append(clients)
        except sa.exc.SQLAlchemyError as exc:
            self._error(f"pg_stat_activity: {exc}")
        if self.bouncer is not None:
            pooled = self._pools()
            if pooled is not None:
                for b in buckets:
                    b.servers.append(pooled[0])
                    b.waiting.append(pooled[1])
                    b.pooled_clients.append(pooled[2])
        if self.db is not None:
            lag = self.db.replica_lag()
            for b in buckets:
                if lag is None or not lag.reachable:
                    b.lag_unreachable += 1
                    continue
                if lag.seconds is not None:
                    b.lag_s.append(lag.seconds)
                if lag.bytes is not None:
                    b.lag_bytes.append(float(lag.bytes))

    def _pools(self) -> tuple[int, int, int] | None:
        """(server connections, clients waiting, client connections) of the run's database
        at PgBouncer."""
        import psycopg

        assert self.bouncer is not None
        try:
            if self._console is None or self._console.closed:
                u = make_url(self.bouncer.admin_url)
                self._console = psycopg.connect(
                    host=u.host, port=u.port, user=u.username, password=u.password,
                    dbname="pgbouncer", autocommit=True, prepare_threshold=None,
                    connect_timeout=3)
            cur = self._console.cursor()
            cur.execute("SHOW POOLS")
            names = [d.name for d in cur.description or ()]
            servers = waiting = clients = 0
            for row in cur.fetchall():
                r = dict(zip(names, row, strict=True))
                if r.get("database") != self.database:
                    continue
                servers += sum(int(r.get(k) or 0) for k in
                               ("sv_active", "sv_idle", "sv_used", "sv_tested", "sv_login"))
                waiting += int(r.get("cl_waiting") or 0)
                clients += int(r.get("cl_active") or 0) + int(r.get("cl_waiting") or 0)
            return servers, waiting, clients
        except psycopg.Error as exc:
            self._error(f"SHOW POOLS: {exc}")
            with contextlib.suppress(Exception):
                self._console.close()
            self._console = None
            return None

    def _error(self, text: str) -> None:
        if len(self.errors) < 20:
            self.errors.append(f"{time.strftime('%H:%M:%S')} {text.splitlines()[0]}")

    # ---- as printed

    def minute(self, minute: int) -> dict[str, Any]:
        return self.figures(self.minutes[minute])

    @staticmethod
    def figures(s: Samples) -> dict[str, Any]:
        def p(values: list[Any], q: float) -> float | None:
            return percentile([float(v) for v in values], q) if values else None

        return {"backends_peak": max(s.backends, default=None),
                "backends_p50": p(s.backends, 0.5),
                "clients_peak": max(s.clients, default=None),
                "servers_peak": max(s.servers, default=None),
                "servers_p50": p(s.servers, 0.5),
                "waiting_peak": max(s.waiting, default=None),
                "pooled_clients_peak": max(s.pooled_clients, default=None),
                "lag_p50_s": p(s.lag_s, 0.5), "lag_p99_s": p(s.lag_s, 0.99),
                "lag_max_s": max(s.lag_s, default=None),
                "lag_bytes_p50": p(s.lag_bytes, 0.5),
                "lag_bytes_max": max(s.lag_bytes, default=None),
                "lag_samples": len(s.lag_s), "lag_unreachable": s.lag_unreachable}

    def close(self) -> None:
        if self._console is not None:
            with contextlib.suppress(Exception):
                self._console.close()
        self.admin.dispose()
        if self.db is not None:
            self.db.dispose()
