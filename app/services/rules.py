"""Review rules (审单规则) as data a shift lead edits: order, on/off, parameters. A change
applies to the next orders the engine reviews; every change is audited."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from app.domain.review import validate_rule_params
from app.domain.roles import Permission
from app.services import audit
from app.services.context import Actor
from app.services.errors import InvalidInput, NotFound
from app.store.db import Database
from app.store.models import ReviewRule


@dataclass(frozen=True, slots=True)
class RuleView:
    code: str
    name: str
    position: int
    enabled: bool
    params: dict[str, Any]


def list_rules(db: Database, actor: Actor) -> list[RuleView]:
    actor.require(Permission.VIEW_ORDERS)
    with db.reader() as s:
        return [RuleView(r.code, r.name, r.position, r.enabled,
                         validate_rule_params(r.code, r.params or {}))
                for r in s.scalars(select(ReviewRule).order_by(ReviewRule.position))]


def update_rule(db: Database, actor: Actor, code: str, *, enabled: bool | None = None,
                params: Mapping[str, Any] | None = None,
                position: int | None = None) -> RuleView:
    """Change one rule; bad parameters are refused with the rule and parameter named."""
    actor.require(Permission.EDIT_RULES)
    with db.unit_of_work() as s:
        rule = s.scalars(select(ReviewRule).where(ReviewRule.code == code)
                         .with_for_update()).first()
        if rule is None:
            raise NotFound(f"no review rule {code}")
        before = {"enabled": rule.enabled, "position": rule.position, "params": rule.params}
        if params is not None:
            try:
                rule.params = validate_rule_params(code, params)
            except ValueError as exc:
                raise InvalidInput(str(exc)) from None
        if enabled is not None:
            rule.enabled = enabled
        if position is not None:
            if position < 0:
                raise InvalidInput("position must be 0 or more")
            rule.position = position
        rule.updated_by = actor.user_id
        rule.updated_at = datetime.now(UTC)
        after = {"enabled": rule.enabled, "position": rule.position, "params": rule.params}
        audit.record(s, actor, "rule.changed", "review_rule", code, None, None,
                     {"before": before, "after": after})
        return RuleView(rule.code, rule.name, rule.position, rule.enabled, dict(rule.params))
