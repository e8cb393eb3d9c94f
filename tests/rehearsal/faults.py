"""Faults thrown at the rehearsal's floor (docs/rehearsal.md)."""

from __future__ import annotations

from typing import Any

KINDS: tuple[str, ...] = ()
DESCRIBED: dict[str, str] = {}


class Faults:
    def __init__(self, conductor: Any) -> None:
        self.c = conductor

    def plan(self, seconds: float) -> None:
        pass

    def tick(self, elapsed: float) -> None:
        pass

    def heal(self) -> None:
        pass

    def summary(self) -> list[str]:
        return []

    def verdicts(self, results: list[Any]) -> list[str]:
        return []
