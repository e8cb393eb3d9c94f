"""The figures of `make bench`'s one table (tests/perf/bench_table.py, docs/benchmarks.md).

A benchmark calls `record(...)` once per figure; each call appends one JSON line to the file
named by the environment variable PACKLINE_BENCH_FIGURES, and does nothing without it, so a
benchmark run by hand prints as before and writes nothing. The table runner sets the variable,
runs the benchmarks and reads the lines back with `load`.

A figure is its median (and p99 where there are many samples), its goal, and the *limit*: the
best this machine could possibly do at the same job, measured in the same run (the same rows
written with plain SQL, the same labels sent straight to the printer's socket). The table shows
the fraction of the limit reached, so a slow or busy machine shows in both numbers rather than
as a regression.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

ENV = "PACKLINE_BENCH_FIGURES"

Better = Literal["lower", "higher"]
On = Literal["median", "p99"]


@dataclass(frozen=True)
class Figure:
    figure: str
    median: float | None
    p99: float | None = None
    goal: str | None = None  # as a person reads it: "p99 < 20 ms", "≥ 5,000 orders/s"
    target: float | None = None  # the goal's number, checked against `goal_on`
    goal_on: On = "median"
    better: Better = "lower"
    limit: float | None = None  # the best possible, measured in the same run
    limit_what: str = ""  # what the limit is: "plain SQL", "raw 9100 socket"
    unit: str = ""
    note: str = ""
    script: str = ""  # the benchmark that recorded it (set by the table runner)
    failed: str = ""  # why there is no figure: the script failed, was not built, …

    def ratio(self) -> float | None:
        """The fraction of the limit reached (1.0: as fast as the limit; 0.5: half as fast)."""
        if self.limit is None or self.median is None or not _finite(self.limit, self.median):
            return None
        if self.better == "higher":
            return self.median / self.limit if self.limit else None
        return self.limit / self.median if self.median else None

    def checked(self) -> float | None:
        return self.p99 if self.goal_on == "p99" else self.median

    def met(self) -> bool | None:
        """Whether the goal was met; None when it has no number or nothing was measured."""
        value = self.checked()
        if self.target is None or value is None or not _finite(value):
            return None
        return value >= self.target if self.better == "higher" else value < self.target

    def as_json(self) -> dict[str, Any]:
        """For table.json: plain JSON (no NaN or infinity), with the derived figures."""
        out = {k: (v if not isinstance(v, float) or math.isfinite(v) else None)
               for k, v in asdict(self).items()}
        out["ratio"] = self.ratio()
        out["met"] = self.met()
        return out


def _finite(*values: float) -> bool:
    return all(math.isfinite(v) for v in values)


def better_for(unit: str) -> Better:
    """A rate ("orders/s", "/s") is better higher; a time or a cost is better lower."""
    return "higher" if unit.endswith("/s") else "lower"


def goal_text(target: float, unit: str, better: Better, on: On) -> str:
    sign = "≥" if better == "higher" else "<"
    prefix = "p99 " if on == "p99" else ""
    text = f"{target:,.0f}" if target == int(target) else f"{target:g}"
    return f"{prefix}{sign} {text} {unit}".rstrip()


def number(value: float | None, unit: str = "") -> str:
    """A figure as the table prints it: about three significant digits, thousands grouped."""
    if value is None:
        return "—"
    if not math.isfinite(value):
        return f"{value}"
    size = abs(value)
    if size >= 100 or value == int(value) and size >= 10:
        text = f"{value:,.0f}"
    elif size >= 10:
        text = f"{value:.1f}"
    elif size >= 1:
        text = f"{value:.2f}"
    elif size >= 0.01:
        text = f"{value:.3f}"
    elif value == 0:
        text = "0"
    else:
        text = f"{value:.2g}"
    return f"{text} {unit}".rstrip()


def scaled_goal(goal: float, size: float, at: float) -> float | None:
    """A goal set for `at` items (10 s for 1,000 labels) as it stands for `size` items: in
    proportion for a run as large or larger, none for a smaller one (a small run's fixed costs
    weigh more than a goal in proportion allows; its figure is there to show the bench runs)."""
    return goal * size / at if size >= at else None


def record(figure: str, *, median: float, p99: float | None = None,
           goal: str | float | None = None, limit: float | None = None, unit: str = "",
           note: str = "", target: float | None = None, goal_on: On | None = None,
           better: Better | None = None, limit_what: str = "") -> None:
    """Append one figure to the file named by PACKLINE_BENCH_FIGURES (nothing without it).

    `goal` is what a person reads ("p99 < 20 ms"), or a number: then it is also the target,
    checked against the p99 when there is one, else the median, and the words are made from it.
    `target` gives the number beside a worded goal. `better` is "lower" for times and costs,
    "higher" for rates (the default follows the unit: one ending in "/s" is a rate).
    `limit` is the best possible figure for the same work measured in the same run, in the
    same unit, `limit_what` a few words on what it is; None when there is none.
    """
    path = os.environ.get(ENV)
    if not path:
        return
    chosen_better = better or better_for(unit)
    words = goal if isinstance(goal, str) else None
    if isinstance(goal, int | float):
        target = float(goal)
    on: On = goal_on or ("p99" if p99 is not None else "median")
    if words is None and target is not None:
        words = goal_text(target, unit, chosen_better, on)
    line = Figure(figure=figure, median=float(median),
                  p99=None if p99 is None else float(p99), goal=words, target=target, goal_on=on,
                  better=chosen_better, limit=None if limit is None else float(limit),
                  limit_what=limit_what, unit=unit, note=note)
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps(asdict(line), ensure_ascii=False) + "\n")
        out.flush()


def load(path: Path, script: str = "") -> list[Figure]:
    """The figures recorded in `path` (none when it does not exist), named by `script`."""
    if not path.exists():
        return []
    figures = []
    for text in path.read_text(encoding="utf-8").splitlines():
        if not text.strip():
            continue
        try:
            raw = json.loads(text)
        except json.JSONDecodeError:
            continue  # a line cut short by a kill: the rest still count
        known = {k: v for k, v in raw.items() if k in Figure.__dataclass_fields__}
        known.setdefault("median", None)
        figures.append(Figure(**{**known, "script": script or known.get("script", "")}))
    return figures
