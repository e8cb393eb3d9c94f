"""Audit rows, written in the same transaction as the change they describe."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services.context import Actor
from app.store import bulk
from app.store.models import AuditEntry


def record(session: Session, actor: Actor, action: str, entity: str, entity_id: object,
           before: str | None = None, after: str | None = None,
           detail: dict[str, Any] | None = None) -> None:
    record_many(session, actor, action, entity, [(entity_id, before, after, detail)])


def record_many(session: Session, actor: Actor, action: str, entity: str,
                rows: Sequence[tuple[object, str | None, str | None, dict[str, Any] | None]]
                ) -> None:
    if not rows:
        return
    now = datetime.now(UTC)
    bulk.insert_rows(session, AuditEntry.__table__, [
        {"at": now, "user_id": actor.user_id, "actor": actor.code, "station": actor.station,
         "os_user": actor.os_user, "host": actor.host, "action": action, "entity": entity, "entity_id": str(entity_id), "before": before,
         "after": after, "detail": detail}
        for entity_id, before, after, detail in rows
    ])


def history(session: Session, entity: str, entity_id: object) -> list[AuditEntry]:
    return list(session.scalars(
        select(AuditEntry).where(AuditEntry.entity == entity,
                                 AuditEntry.entity_id == str(entity_id))
        .order_by(AuditEntry.id)))
