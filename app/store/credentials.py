"""Where the central database's password comes from, so it need not be written into
station.ini. First found wins:

1. `PACKLINE_CENTRAL_PASSWORD` in the environment;
2. a password in the URL itself (`PACKLINE_CENTRAL_URL`, or `[central] url` in station.ini);
3. libpq's own sources, untouched: `PGPASSWORD`, the password file (`PGPASSFILE`, else
   ~/.pgpass or %APPDATA%\\postgresql\\pgpass.conf) and a `service=` entry of
   pg_service.conf;
4. the operating system's keyring (service `packline`, user name = the database user), asked
   only when the server wants a password that none of the above gave.

The keyring comes last by asking libpq first: a connection without a password either works
(libpq found one, or the server does not ask) or fails saying a password is needed, and only
then is the keyring read and the connection made again with it, the way psql prompts.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from sqlalchemy import Engine, event

from app import redact

PASSWORD_ENV = "PACKLINE_CENTRAL_PASSWORD"
KEYRING_SERVICE = "packline"

log = logging.getLogger("packline.store")


def keyring_password(user: str) -> str | None:
    """The keyring's password for the database user `user`, or None (no entry, no keyring
    on this machine, or the keyring refused)."""
    try:
        import keyring
    except ImportError:  # a station installed without it: the other sources still work
        return None
    try:
        secret = keyring.get_password(KEYRING_SERVICE, user)
    except Exception as exc:  # noqa: BLE001 - any keyring failure means "no password here"
        log.warning("cannot read the keyring (%s): %s", type(exc).__name__, exc)
        return None
    redact.remember(secret)
    return secret


def _needs_password(exc: BaseException) -> tuple[bool, str]:
    """Whether a failed connection failed for want of a password, and as which user."""
    pgconn = getattr(exc, "pgconn", None)
    if pgconn is None or not getattr(pgconn, "needs_password", False):
        return False, ""
    user = getattr(pgconn, "user", b"") or b""
    return True, user.decode("utf-8", "replace") if isinstance(user, bytes) else str(user)


class _Credentials:
    """The password policy of one engine, run for each new connection (`do_connect`)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # Once the keyring was needed, the next connections go to it first instead of
        # failing once without a password each time.
        self._keyring_user: str | None = None

    def do_connect(self, dialect: Any, _record: Any, cargs: Any, cparams: dict[str, Any]) -> Any:
        from_env = os.environ.get(PASSWORD_ENV, "")
        if from_env:
            redact.remember(from_env)
            cparams["password"] = from_env
            return None
        if cparams.get("password"):
            redact.remember(str(cparams["password"]))
            return None
        with self._lock:
            keyring_user = self._keyring_user
        if keyring_user is not None:
            secret = keyring_password(keyring_user)
            if secret is not None:
                cparams["password"] = secret
                return None
        try:
            return dialect.connect(*cargs, **cparams)
        except dialect.loaded_dbapi.OperationalError as exc:
            needed, user = _needs_password(exc)
            if not needed:
                raise
            secret = keyring_password(user)
            if secret is None:
                raise
            log.info("central database password for user %s from the keyring (service %s)",
                     user, KEYRING_SERVICE)
            with self._lock:
                self._keyring_user = user
            cparams["password"] = secret
            return None  # SQLAlchemy connects with the password now in cparams


def _remember_used(dbapi_conn: Any, _record: Any) -> None:
    # Whatever libpq used (a password file's entry too) is blanked from logs from now on.
    info = getattr(dbapi_conn, "info", None)
    redact.remember(getattr(info, "password", None))


def install(engine: Engine) -> Engine:
    """Give a PostgreSQL engine the password sources above."""
    event.listen(engine, "do_connect", _Credentials().do_connect)
    event.listen(engine, "connect", _remember_used)
    return engine
