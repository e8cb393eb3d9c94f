"""Exception ageing levels and which exceptions just escalated (app.domain.escalation)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from app.domain.escalation import ESCALATION_ACTIONS, escalations_due, level

NOW = datetime(2026, 11, 11, 12, 0, tzinfo=UTC)
TICK = timedelta(microseconds=1)
H = timedelta(hours=1)


@pytest.mark.parametrize(("age", "expected"), [
    (timedelta(0), 0),
    (23 * H, 0),
    (24 * H, 0),          # "more than 24 h": exactly 24 h is not yet
    (24 * H + TICK, 1),
    (48 * H, 1),
    (48 * H + TICK, 2),
    (72 * H, 2),
    (72 * H + TICK, 3),
    (timedelta(days=90), 3),
    (-H, 0),              # raised on a station whose clock runs ahead
])
def test_level_boundaries(age: timedelta, expected: int) -> None:
    assert level(NOW - age, NOW) == expected


def test_level_compares_instants_across_time_zones() -> None:
    # Raised at 11-10 11:59 in Beijing = 11-10 03:59 UTC: 32 h 1 min before NOW.
    raised = datetime(2026, 11, 10, 11, 59, tzinfo=timezone(timedelta(hours=8)))
    assert level(raised, NOW) == 1


def test_every_level_names_its_action() -> None:
    assert ESCALATION_ACTIONS == {0: "none", 1: "notify", 2: "backup_supplier_or_carrier",
                                  3: "compensate_buyer"}


def test_naive_datetimes_are_refused() -> None:
    naive = datetime(2026, 11, 11, 12, 0)
    with pytest.raises(ValueError, match="raised_at must be timezone-aware"):
        level(naive, NOW)
    with pytest.raises(ValueError, match="now must be timezone-aware"):
        level(NOW, naive)
    with pytest.raises(ValueError, match="now must be timezone-aware"):
        escalations_due([], naive)
    with pytest.raises(ValueError, match="raised_at must be timezone-aware"):
        escalations_due([("EX1", naive, 0)], NOW)


def test_escalations_due_returns_only_rises_in_input_order() -> None:
    items = [
        ("fresh", NOW - 2 * H, 0),                 # level 0, stays 0
        ("to_one", NOW - 25 * H, 0),               # 0 → 1
        ("already_one", NOW - 30 * H, 1),          # 1 → 1, nothing new
        ("one_to_two", NOW - 49 * H, 1),           # 1 → 2
        ("jump", NOW - 100 * H, 0),                # 0 → 3 at once (engine was down)
        ("by_hand", NOW - 25 * H, 3),              # escalated by hand above its age
        ("boundary", NOW - 72 * H, 2),             # exactly 72 h: still 2
    ]
    assert escalations_due(items, NOW) == [("to_one", 1), ("one_to_two", 2), ("jump", 3)]


def test_escalations_due_twice_reports_once() -> None:
    items = [(7, NOW - 50 * H, 0), (8, NOW - H, 0)]
    first = escalations_due(items, NOW)
    assert first == [(7, 2)]
    applied = [(key, raised, dict(first).get(key, cur)) for key, raised, cur in items]
    assert escalations_due(applied, NOW) == []
    # A day later the first has aged past 72 h and the second past 24 h.
    assert escalations_due(applied, NOW + 23 * H + TICK) == [(7, 3), (8, 1)]


def test_escalations_due_accepts_any_iterable_and_key() -> None:
    gen = (((i, "EX"), NOW - i * 24 * H - TICK, 0) for i in range(1, 5))
    assert escalations_due(gen, NOW) == [((1, "EX"), 1), ((2, "EX"), 2), ((3, "EX"), 3),
                                         ((4, "EX"), 3)]
    assert escalations_due([], NOW) == []


@pytest.mark.parametrize("current", [-1, 4, 1.0, True, None])
def test_escalations_due_refuses_a_bad_current_level(current: Any) -> None:
    with pytest.raises(ValueError, match=r"current level of 'EX9' must be an integer 0\.\.3"):
        escalations_due([("EX9", NOW, current)], NOW)
