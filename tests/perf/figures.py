"""The figures of `make bench`, one JSON line each, appended to the file named by the
environment variable PACKLINE_BENCH_FIGURES (nothing is written without it)."""

from __future__ import annotations

import json
import os


def record(figure: str, *, median: float, p99: float | None = None, goal: float | None = None,
           limit: float | None = None, unit: str = "", note: str = "") -> None:
    path = os.environ.get("PACKLINE_BENCH_FIGURES")
    if not path:
        return
    line = {"figure": figure, "median": median, "p99": p99, "goal": goal, "limit": limit,
            "unit": unit, "note": note}
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
