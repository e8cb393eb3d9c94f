"""Counting login attempts so that guessing is slow and then stopped (`app.domain.access`).

An attempt is counted *before* its secret is checked: one short transaction locks the user's
and the station's rows, refuses (audited) while they are locked or asked to wait, and
otherwise books the attempt as a failure. Only then is the password checked, outside any
transaction (argon2 is slow). A success takes its booking back; a failure keeps it and is
audited. So twenty guesses sent at once are twenty bookings in a row, not twenty checks
against a counter nobody has raised yet.

The same rules serve the central database (`login_throttle`, audited in `audit_log`) and a
station logging in offline (`station_login_throttle`, audited through the outbox).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NoReturn, Protocol

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.domain import access
from app.domain.access import ThrottleState
from app.services.context import Actor
from app.services.errors import AuthenticationFailed
from app.store.db import Database

Key = tuple[str, str]  # (scope "user" | "station", key)
# (session, who, action, entity, entity_id, after, detail): writes one audit record.
Recorder = Callable[[Session, Actor, str, str, str, str | None, dict[str, Any]], None]


class ThrottleRow(Protocol):
    scope: str
    key: str
    failures: int
    last_failed_at: datetime | None
    retry_after: datetime | None
    locked_until: datetime | None


def _policy(scope: str) -> access.ThrottlePolicy:
    return access.STATION_POLICY if scope == "station" else access.USER_POLICY


def _state(row: ThrottleRow) -> ThrottleState:
    return ThrottleState(row.failures, row.last_failed_at, row.retry_after, row.locked_until)


def _set(row: ThrottleRow, state: ThrottleState) -> None:
    row.failures, row.last_failed_at = state.failures, state.last_failed_at
    row.retry_after, row.locked_until = state.retry_after, state.locked_until


@dataclass(slots=True)
class Attempt:
    """One booked attempt: the keys it was counted against, and those its booking locked."""

    keys: list[Key]
    locked: list[tuple[Key, datetime, int]] = field(default_factory=list)  # key, until, count


class Throttle:
    def __init__(self, db: Database, model: Any, record: Recorder) -> None:
        self.db, self.model, self.record = db, model, record

    def rows(self, s: Session, keys: list[Key]) -> dict[Key, Any]:
        """The rows of `keys`, made when missing, locked for this transaction."""
        table = self.model.__table__
        dialect = s.get_bind().dialect.name
        ins = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
        s.execute(ins.on_conflict_do_nothing(index_elements=["scope", "key"]),
                  [{"scope": scope, "key": key, "failures": 0} for scope, key in keys])
        out = {}
        for scope, key in keys:
            out[scope, key] = s.scalar(
                select(self.model).where(self.model.scope == scope, self.model.key == key)
                .with_for_update().execution_options(populate_existing=True))
        return out

    def begin(self, keys: list[Key], who: Actor, how: str) -> Attempt:
        """Refuses (audited, not counted) while any key is locked or asked to wait;
        otherwise books the attempt as a failure against every key."""
        now = datetime.now(UTC)
        attempt = Attempt(keys)
        refused: tuple[Key, access.Refusal] | None = None
        with self.db.unit_of_work() as s:
            rows = self.rows(s, keys)
            for key, row in rows.items():
                found = access.refusal(_state(row), now)
                if found is not None:
                    refused = (key, found)
                    break
            if refused is not None:
                (scope, _key), why = refused
                self.record(s, who, "auth.login_failed", "user", who.code, None,
                            {"by": how, "reason": "locked" if why.locked else "too_soon",
                             "scope": scope})
            else:
                for key, row in rows.items():
                    before = _state(row)
                    after = access.after_failure(_policy(key[0]), before, now)
                    _set(row, after)
                    if access.just_locked(before, after, now) and after.locked_until:
                        attempt.locked.append((key, after.locked_until, after.failures))
        if refused is not None:
            _raise(refused[0], refused[1], now)
        return attempt

    def check(self, keys: list[Key], who: Actor, how: str) -> None:
        """Refuses (audited) while any key is locked, booking nothing: a lead whose badge
        was scanned hears about a lock before being asked for the PIN."""
        now = datetime.now(UTC)
        with self.db.reader() as s:
            rows = [(key, s.get(self.model, key)) for key in keys]
            found = [(key, access.refusal(_state(row), now)) for key, row in rows
                     if row is not None]
        for key, why in found:
            if why is not None and why.locked:
                with self.db.unit_of_work() as w:
                    self.record(w, who, "auth.login_failed", "user", who.code, None,
                                {"by": how, "reason": "locked", "scope": key[0]})
                _raise(key, why, now)

    def failed(self, attempt: Attempt, who: Actor, how: str, reason: str) -> None:
        """The attempt's secret was wrong: its booking stands; audit it and any lock."""
        with self.db.unit_of_work() as s:
            self.record(s, who, "auth.login_failed", "user", who.code, None,
                        {"by": how, "reason": reason})
            for (scope, key), until, failures in attempt.locked:
                self.record(s, who, "auth.locked", scope, key, until.isoformat(),
                            {"by": how, "failures": failures})

    def succeeded(self, s: Session, attempt: Attempt) -> None:
        """In the transaction of a successful login: the person's own count starts again;
        the station takes back only this attempt's booking and its wait (a burst of
        failures there is not wiped by one good login in between: it still locks)."""
        for (scope, _key), row in self.rows(s, attempt.keys).items():
            if scope == "user":
                _set(row, ThrottleState())
                continue
            row.failures = max(0, row.failures - 1)
            row.retry_after = None
            if row.failures < _policy(scope).lock_after:
                row.locked_until = None


def _raise(key: Key, why: access.Refusal, now: datetime) -> NoReturn:
    scope, name = key
    wait = why.seconds(now)
    if why.locked:
        raise AuthenticationFailed(
            f"{scope} {name} is locked for {wait} s after too many failed logins",
            code="auth.station_locked" if scope == "station" else "auth.locked",
            minutes=max(1, (wait + 59) // 60))
    raise AuthenticationFailed(f"too many failed logins: wait {wait} s", code="auth.wait",
                               seconds=wait)
