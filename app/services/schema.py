"""A station works only with a central database whose schema is the one its build expects.

The central database records its schema's revision (Alembic's `alembic_version`);
`app.store.migrate.schema_state` weighs it against this build's migrations. A database at a
revision this build does not know was migrated by a newer Packline: this station is too old
for it. A database at an older revision of this build is too old for this station: IT runs
`packline db upgrade` with this build first. Either way the station refuses before it reads
or writes anything there, in words (`SchemaRefused`, worded in `app.ui.messages`): the app's
login (its embedded database before the login opens; a central server in the background, the
login open meanwhile, since a station packs offline with its own store), the app's sync before
its first push (`SchemaGate`), the command line before a command opens the database, the order
engine before its first round. The embedded database is the station's own and is brought up to
date by the station itself, so only a database ahead of the build is refused there.

A central server out of reach is not refused: the station works offline, and its sync checks
the schema on the first connection that gets through — again after every time the server was
out of reach, since a server is upgraded while it is down.
"""

from __future__ import annotations

import logging
import threading

from app import __version__
from app.services.errors import ServiceError
from app.store import migrate
from app.store.db import Database
from app.store.migrate import SchemaState

log = logging.getLogger("packline.schema")


class SchemaRefused(ServiceError):
    """The central database's schema is not the one this build works with."""

    def __init__(self, message: str, *, code: str, state: SchemaState,
                 **params: object) -> None:
        super().__init__(message, code=code, database=state.database or "-",
                         build=state.build, version=__version__, **params)
        self.state = state


def store_refusal(state: SchemaState, path: object) -> SchemaRefused | None:
    """The station store (`station.db`, its own migrations) by the same rule: one at a
    revision this build does not know (a newer Packline migrated it), or at several, is
    refused; an older or a new one is brought up to date by the station itself."""
    if state.kind not in ("ahead", "unknown"):
        return None
    return SchemaRefused(
        f"the station store {path} is at schema {state.database}, which this Packline "
        f"({__version__}, station schema {state.build}) does not know: a newer Packline "
        "migrated it; install that version on this station (the store is left as it is)",
        code="schema.store_too_new", state=state, path=str(path))


def refusal(state: SchemaState, *, embedded: bool = False) -> SchemaRefused | None:
    """The refusal `state` calls for, or None when the station may work with it. The
    embedded database is migrated by the station itself: only one ahead of the build (or
    one Packline cannot read) is refused there."""
    if state.kind == "current" or embedded and state.kind in ("behind", "empty"):
        return None
    db, build = state.database, state.build
    if state.kind == "ahead":
        return SchemaRefused(
            f"the central database is at schema {db}, which this Packline ({__version__}, "
            f"schema {build}) does not know: a newer Packline upgraded it; install that "
            "version on this station", code="schema.station_too_old", state=state)
    if state.kind == "behind":
        return SchemaRefused(
            f"the central database is at schema {db}, older than this Packline "
            f"({__version__}) needs ({build}): run `packline db upgrade` with this version "
            "first", code="schema.station_too_new", state=state)
    if state.kind == "empty":
        return SchemaRefused(
            f"the central database has no Packline schema yet (this Packline needs {build}): "
            "run `packline db upgrade` first", code="schema.not_migrated", state=state)
    return SchemaRefused(
        f"the central database records several schema revisions ({db}); this Packline "
        f"({__version__}) needs {build}: ask IT to check it with `packline doctor`",
        code="schema.unknown", state=state)


# PostgreSQL's "insufficient privilege": a login role whose grants were given by an older
# Packline (`packline db roles`), from before the roles read the schema's version.
INSUFFICIENT_PRIVILEGE = "42501"


class SchemaNotGranted(ServiceError):
    """The central database's login role may not read the schema's version table."""


def not_granted(exc: BaseException) -> SchemaNotGranted | None:
    """The worded refusal when `exc` is the server refusing this login the version table
    (`alembic_version`); None for anything else."""
    orig = getattr(exc, "orig", None) or exc
    if getattr(orig, "sqlstate", None) != INSUFFICIENT_PRIVILEGE:
        return None
    return SchemaNotGranted(
        f"this login may not read the central database's schema version ({migrate.VERSION_TABLE}): "
        f"its grants are from an older Packline; run `packline db roles --apply` with this "
        f"version ({__version__}) as the database's owner", code="schema.no_grant",
        version=__version__)


def require(db: Database, *, embedded: bool = False) -> SchemaState | None:
    """Refuse (`SchemaRefused`) a database this build cannot work with; its state when it
    can. A central database that cannot be reached now is not refused (the station works
    offline; its sync checks again once the server answers, `SchemaGate`): None."""
    from app.services.central_link import unreachable

    try:
        state = migrate.state_of(db.bind)
    except Exception as exc:
        denied = not_granted(exc)
        if denied is not None:
            log.info("central database refused: %s", denied)  # the caller says it
            raise denied from None
        if embedded or not unreachable(exc):
            raise
        log.info("central database not reachable, its schema not checked yet: %s",
                 (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300])
        return None
    refused = refusal(state, embedded=embedded)
    if refused is not None:
        log.error("central database refused: %s", refused)
        raise refused
    return state


class SchemaGate:
    """Whether a station's sync may read and write the central database now: only once its
    schema was found to be the one this build works with, and again after every time the
    server was out of reach (`lost`). Thread-safe; one check at a time, its verdict kept."""

    def __init__(self, db: Database, *, embedded: bool = False) -> None:
        self.db = db
        self.embedded = embedded
        self._lock = threading.Lock()
        self._fits = False
        self.state: SchemaState | None = None  # the last state found fit
        self.refused: SchemaRefused | None = None  # for good: this build stays refused

    @property
    def fits(self) -> bool:
        return self._fits

    def ensure(self) -> bool:
        """True when the station may sync: the schema was found fit since the server was
        last out of reach, or is found fit now. False when the server cannot be reached (the
        station is offline; the next call checks again). `SchemaRefused` when this build
        cannot work with the schema, at once on every later call. Any other error is a fault,
        raised as it is (checked again next time)."""
        with self._lock:
            if self.refused is not None:
                raise self.refused
            if self._fits:
                return True
            try:
                state = require(self.db, embedded=self.embedded)
            except SchemaRefused as refused:
                self.refused = refused
                raise
            if state is None:
                return False
            self.state, self._fits = state, True
            return True

    def lost(self) -> None:
        """The server went out of reach: its schema is checked again before the next sync
        (IT may have upgraded it meanwhile)."""
        with self._lock:
            self._fits = False
