"""Review rules (审单规则) as data a shift lead edits: order, on/off, parameters. A change
applies to the next orders the engine reviews; every change is audited."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from app.domain.review import RuleParamError, validate_rule_params
from app.domain.roles import Permission
from app.services import audit, changes
from app.services.access import guarded
from app.services.changes import Change
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


@guarded(Permission.VIEW_ORDERS)
def list_rules(db: Database, actor: Actor) -> list[RuleView]:
    with db.reader() as s:
        return [RuleView(r.code, r.name, r.position, r.enabled,
                         validate_rule_params(r.code, r.params or {}))
                for r in s.scalars(select(ReviewRule).order_by(ReviewRule.position))]


@guarded(Permission.EDIT_RULES)
def update_rule(db: Database, actor: Actor, code: str, *, enabled: bool | None = None,
                params: Mapping[str, Any] | None = None,
                position: int | None = None) -> RuleView:
    """Change one rule; bad parameters are refused with the rule and parameter named."""
    with db.unit_of_work() as s:
        changes.note(s, Change.RULES)
        rule = s.scalars(select(ReviewRule).where(ReviewRule.code == code)
                         .with_for_update()).first()
        if rule is None:
            raise NotFound(f"no review rule {code}", code="rules.not_found", rule=code)
        before = {"enabled": rule.enabled, "position": rule.position, "params": rule.params}
        if params is not None:
            try:
                rule.params = validate_rule_params(code, params)
            except RuleParamError as exc:
                raise InvalidInput(str(exc), code=exc.code, **exc.params) from None
        if enabled is not None:
            rule.enabled = enabled
        if position is not None:
            if position < 0:
                raise InvalidInput("position must be 0 or more", code="rules.bad_position")
            rule.position = position
        rule.updated_by = actor.user_id
        rule.updated_at = datetime.now(UTC)
        after = {"enabled": rule.enabled, "position": rule.position, "params": rule.params}
        audit.record(s, actor, "rule.changed", "review_rule", code, None, None,
                     {"before": before, "after": after})
        return RuleView(rule.code, rule.name, rule.position, rule.enabled, dict(rule.params))


@guarded(Permission.EDIT_RULES)
def swap(db: Database, actor: Actor, first: str, second: str) -> tuple[RuleView, RuleView]:
    """Exchange the positions of two rules in one transaction (the editor's move up/down);
    two rules that share a position are put in the order named."""
    if first == second:
        raise InvalidInput("name two different rules", code="rules.same_rule")
    with db.unit_of_work() as s:
        changes.note(s, Change.RULES)
        found = {r.code: r for r in s.scalars(
            select(ReviewRule).where(ReviewRule.code.in_([first, second]))
            .order_by(ReviewRule.id).with_for_update())}
        missing = [c for c in (first, second) if c not in found]
        if missing:
            raise NotFound(f"no review rule {missing[0]}", code="rules.not_found",
                           rule=missing[0])
        a, b = found[first], found[second]
        before = {first: a.position, second: b.position}
        if a.position == b.position:
            b.position = a.position + 1
        else:
            a.position, b.position = b.position, a.position
        now = datetime.now(UTC)
        for rule in (a, b):
            rule.updated_by, rule.updated_at = actor.user_id, now
        audit.record(s, actor, "rule.moved", "review_rule", f"{first}<->{second}", None, None,
                     {"before": before, "after": {first: a.position, second: b.position}})
        return (RuleView(a.code, a.name, a.position, a.enabled, dict(a.params or {})),
                RuleView(b.code, b.name, b.position, b.enabled, dict(b.params or {})))
