"""A station works only with a central database whose schema is the one its build expects.

The central database records its schema's revision (Alembic's `alembic_version`);
`app.store.migrate.schema_state` weighs it against this build's migrations. A database at a
revision this build does not know was migrated by a newer Packline: this station is too old
for it. A database at an older revision of this build is too old for this station: IT runs
`packline db upgrade` with this build first. Either way the station refuses before it reads
or writes anything there, in words (`SchemaRefused`, worded in `app.ui.messages`): the app
before its login, the command line before a command opens the database, the order engine
before its first round. The embedded database is the station's own and is brought up to date
by the station itself, so only a database ahead of the build is refused there.
"""

from __future__ import annotations

import logging

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
    offline and is checked again at its next start): None."""
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
        log.info("schema not checked: the central database is out of reach (%s)",
                 (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300])
        return None
    refused = refusal(state, embedded=embedded)
    if refused is not None:
        log.error("central database refused: %s", refused)
        raise refused
    return state
