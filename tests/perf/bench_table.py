"""`make bench`: every benchmark run in turn, and one table of their figures.

Each benchmark runs as its own process with PACKLINE_BENCH_FIGURES naming a file it appends its
figures to (`tests/perf/figures.py`); what it prints goes to build/bench/<name>.log, and the
terminal gets one line per benchmark as it finishes. Then one table: figure, goal, measured
median (p99), the limit measured in the same run, the fraction of the limit reached, and
whether the goal was met — printed, and written as build/bench/table.md and table.json.
A benchmark that fails shows as a failed row naming its log; the table still prints, and the
exit status is 1. docs/benchmarks.md explains the columns.

The frozen build's cold start: the bundle is built first (`packaging/build.py --no-archive`, as
`make package` without the archive; about a minute with PyInstaller's cache) so the figure is
of this checkout's code. `--no-build` measures dist/packline as it is, `--quick` does not build
either; without a bundle the row says so.

    python tests/perf/bench_table.py [--only NAME[,NAME]] [--quick] [--no-build] [--list]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.perf.figures import ENV, Figure, load, number  # noqa: E402

OUT = ROOT / "build" / "bench"


@dataclass(frozen=True)
class Script:
    name: str  # for --only, and its log: build/bench/<name>.log
    title: str  # what it measures: its row when it recorded nothing
    argv: tuple[str, ...]  # the script (from the checkout's root) and its arguments
    quick: tuple[str, ...] | None = None  # the arguments under --quick (smaller sizes)
    build: tuple[str, ...] | None = None  # run first (not under --quick or --no-build)
    needs: str | None = None  # a path that must exist, else the row says `missing`
    missing: str = ""


SCRIPTS: tuple[Script, ...] = (
    Script("foundation", "demo seed and the order list at 1,000,000 orders (PostgreSQL)",
           ("tests/perf/bench_foundation.py",),
           ("--orders", "2000", "--grow-to", "20000", "--reps", "3")),
    Script("engine", "order engine, intake → routed (SQLite and PostgreSQL)",
           ("tests/perf/bench_engine.py",), ("--orders", "2000")),
    Script("scanner", "scanner latency, pseudo-terminal → on_scan",
           ("tests/perf/bench_scanner.py",), ("--n", "200")),
    Script("printing", "label render per format, raw sends to a 9100 printer",
           ("tests/perf/bench_printing.py",), ("--n", "20", "--labels", "100")),
    Script("print_queue", "1,000 labels through the station's print queue",
           ("tests/perf/bench_print_queue.py",), ("--jobs", "100")),
    Script("waves", "wave planning, pure, 100,000 orders",
           ("tests/perf/bench_waves.py",), ("--orders", "5000", "--reps", "1")),
    Script("waves_release", "wave planning and release on PostgreSQL, 100,000 orders",
           ("tests/perf/bench_waves_release.py",), ("--orders", "2000")),
    Script("sync", "station sync push and pull (PostgreSQL)",
           ("tests/perf/bench_sync.py",), ("--orders", "500", "--skus", "2000")),
    Script("platforms", "platform pull, waybills, confirmations, print components",
           ("tests/perf/bench_platforms.py",),
           ("--trades", "500", "--parcels", "50", "--prefetch", "50", "--jobs", "50")),
    Script("packing", "scan → screen and GUI stalls, central database on SQLite",
           ("tests/perf/bench_packing.py", "--orders", "30"), ("--orders", "5")),
    Script("packing_pg", "scan → screen and GUI stalls, central database on PostgreSQL",
           ("tests/perf/bench_packing.py", "--central", "pg", "--orders", "30"),
           ("--central", "pg", "--orders", "5")),
    Script("first_start", "first start on the embedded database: window, GUI stalls",
           ("tests/perf/bench_first_start.py",), ("--after-engine", "1")),
    Script("dashboard", "dashboard refresh over 1,000,000 live orders (PostgreSQL)",
           ("tests/perf/bench_dashboard.py",),
           ("--orders", "20000", "--history", "10000", "--reps", "3", "--refreshes", "3")),
    Script("scaling", "past one database server: PgBouncer and a read replica (PostgreSQL)",
           ("tests/perf/bench_scaling.py",),
           ("--orders", "2000", "--clients", "40", "--direct", "10", "--pool", "5",
            "--seconds", "4", "--rate", "50", "--workers", "2")),
    Script("cold_start", "cold start of the frozen build to the login screen",
           ("packaging/smoke_frozen.py", "--start-only"), ("--start-only", "--runs", "2"),
           build=("packaging/build.py", "--no-archive"), needs="dist/packline/packline",
           missing="not built — make package"),
)


@dataclass
class Outcome:
    script: Script
    figures: list[Figure]
    status: str  # "ok", "failed", "missing", "interrupted"
    seconds: float
    log: Path
    detail: str = ""


def rel(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def environment(figures: Path) -> dict[str, str]:
    env = dict(os.environ)
    env[ENV] = str(figures)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.setdefault("PACKLINE_MUTE", "1")
    env["PYTHONUNBUFFERED"] = "1"  # the log follows as it goes
    return env


def run_one(script: Script, out: Path, *, quick: bool, build: bool,
            python: str = sys.executable) -> Outcome:
    log = out / f"{script.name}.log"
    args = script.argv if not quick or script.quick is None \
        else (script.argv[0], *script.quick)
    started = time.perf_counter()
    status, detail = "ok", ""
    with tempfile.TemporaryDirectory(prefix="packline-bench-") as tmp, \
            open(log, "w", encoding="utf-8") as sink:
        figures_file = Path(tmp) / "figures.jsonl"
        env = environment(figures_file)
        steps = []
        if script.build is not None and build and not quick:
            steps.append(("build", script.build))
        steps.append(("run", args))
        try:
            for kind, argv in steps:
                if kind == "run" and script.needs and not (ROOT / script.needs).exists():
                    status, detail = "missing", script.missing
                    sink.write(f"{script.needs} does not exist: {script.missing}\n")
                    break
                command = [python, *argv]
                sink.write(f"$ {' '.join(command)}\n")
                sink.flush()
                done = subprocess.run(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                                      stdout=sink, stderr=subprocess.STDOUT, check=False)
                if done.returncode != 0:
                    status = "failed"
                    detail = f"{'build ' if kind == 'build' else ''}exit {done.returncode}"
                    break
        except KeyboardInterrupt:
            status, detail = "interrupted", "interrupted"
        figures = load(figures_file, script.name)
    seconds = time.perf_counter() - started
    with open(log, "a", encoding="utf-8") as sink:
        sink.write(f"\n[{status}{': ' + detail if detail else ''}; {len(figures)} "
                   f"figure{'' if len(figures) == 1 else 's'} recorded in {seconds:.1f} s]\n")
    return Outcome(script, figures, status, seconds, log, detail)


def rows(outcomes: Sequence[Outcome]) -> list[Figure]:
    """The table's rows: the figures recorded, and one row per benchmark that failed, was not
    run, or recorded nothing."""
    out: list[Figure] = []
    for o in outcomes:
        out.extend(o.figures)
        if o.status == "failed" or o.status == "interrupted":
            out.append(Figure(figure=o.script.title, median=None, script=o.script.name,
                              failed=f"FAILED ({o.detail}), see {rel(o.log)}"))
        elif o.status == "missing":
            out.append(Figure(figure=o.script.title, median=None, script=o.script.name,
                              failed=o.detail))
        elif not o.figures:
            out.append(Figure(figure=o.script.title, median=None, script=o.script.name,
                              failed=f"no figures recorded, see {rel(o.log)}"))
    return out


COLUMNS = ("figure", "goal", "measured: median (p99)", "limit (same run)", "ratio", "goal met")


def cells(f: Figure) -> tuple[str, ...]:
    if f.failed:
        return (f.figure, f.goal or "—", f.failed, "—", "—",
                "FAILED" if f.failed.startswith("FAILED") else "—")
    measured = number(f.median, f.unit)
    if f.p99 is not None:
        measured += f" (p99 {number(f.p99)})"
    limit = number(f.limit, f.unit)
    if f.limit is not None and f.limit_what:
        limit += f" ({f.limit_what})"
    ratio = f.ratio()
    met = f.met()
    return (f.figure, f.goal or "—", measured, limit,
            "—" if ratio is None else f"{ratio * 100:.0f} %",
            "—" if met is None else ("yes" if met else "NO"))


def terminal_table(table: Sequence[Figure]) -> str:
    """The table as the terminal shows it; notes below it, numbered (a note shared by several
    rows once)."""
    notes: dict[str, int] = {}
    body = []
    for f in table:
        row = cells(f)
        if f.note:
            mark = notes.setdefault(f.note, len(notes) + 1)
            row = (f"{row[0]} [{mark}]", *row[1:])
        body.append(row)
    widths = [max(len(c) for c in column) for column in zip(COLUMNS, *body, strict=True)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(COLUMNS, widths, strict=True)).rstrip(),
             "  ".join("─" * w for w in widths)]
    lines.extend("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
                 for row in body)
    if notes:
        lines.append("")
        lines.extend(f"[{n}] {note}" for note, n in notes.items())
    return "\n".join(lines)


def markdown_table(table: Sequence[Figure]) -> str:
    def escape(text: str) -> str:
        return text.replace("|", "\\|")

    lines = ["| " + " | ".join((*COLUMNS, "note")) + " |",
             "|" + "|".join("---" for _ in range(len(COLUMNS) + 1)) + "|"]
    for f in table:
        lines.append("| " + " | ".join(escape(c) for c in (*cells(f), f.note)) + " |")
    return "\n".join(lines)


def heading(seconds: float | None = None) -> str:
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                                capture_output=True, check=False).stdout.strip()
    except OSError:
        commit = ""
    load1 = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    wall = f", {seconds / 60:.1f} min in all" if seconds is not None else ""
    return (f"Packline benchmarks, {datetime.now():%Y-%m-%d %H:%M}, commit {commit or '?'}, "
            f"{platform.node()} ({os.cpu_count()} cores, load {load1:.1f} at the end){wall}")


def write(out: Path, outcomes: Sequence[Outcome], table: Sequence[Figure], title: str,
          seconds: float) -> None:
    (out / "table.md").write_text(f"{title}\n\n{markdown_table(table)}\n", encoding="utf-8")
    data = {"title": title, "seconds": round(seconds, 1),
            "scripts": [{"name": o.script.name, "status": o.status, "detail": o.detail,
                         "seconds": round(o.seconds, 1), "log": rel(o.log),
                         "figures": len(o.figures)} for o in outcomes],
            "figures": [f.as_json() for f in table]}
    (out / "table.json").write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n",
                                    encoding="utf-8")


def chosen(only: Sequence[str] | None, scripts: Sequence[Script]) -> list[Script]:
    if not only:
        return list(scripts)
    names = [n.strip().removeprefix("bench_").removesuffix(".py")
             for item in only for n in item.split(",") if n.strip()]
    by_name = {s.name: s for s in scripts}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise SystemExit(f"no benchmark named {', '.join(unknown)}; "
                         f"one of: {', '.join(by_name)}")
    return [s for s in scripts if s.name in names]


def run_table(scripts: Sequence[Script], out: Path = OUT, *, quick: bool = False,
              build: bool = True, python: str = sys.executable,
              echo: bool = True) -> tuple[list[Outcome], list[Figure], str]:
    """Runs `scripts` in turn; returns their outcomes, the table's rows and the table as
    printed. Writes the logs, table.md and table.json into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    outcomes: list[Outcome] = []
    for n, script in enumerate(scripts, 1):
        if echo:
            print(f"[{n:2d}/{len(scripts)}] {script.name:14s} {rel(out / script.name)}.log … ",
                  end="", flush=True)
        outcome = run_one(script, out, quick=quick, build=build, python=python)
        outcomes.append(outcome)
        if echo:
            said = outcome.status + (f" ({outcome.detail})" if outcome.detail else "")
            count = len(outcome.figures)
            print(f"{said}, {count} figure{'' if count == 1 else 's'}, "
                  f"{outcome.seconds:.0f} s", flush=True)
        if outcome.status == "interrupted":
            outcomes.extend(Outcome(s, [], "interrupted", 0.0, out / f"{s.name}.log",
                                    "not run") for s in scripts[n:])
            break
    seconds = time.perf_counter() - started
    table = rows(outcomes)
    title = heading(seconds)
    text = f"{title}\n\n{terminal_table(table)}"
    write(out, outcomes, table, title, seconds)
    return outcomes, table, text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", metavar="NAME",
                        help="run only these benchmarks (repeat, or NAME,NAME); see --list")
    parser.add_argument("--quick", action="store_true",
                        help="smaller sizes, for a check that the benchmarks run (minutes)")
    parser.add_argument("--no-build", action="store_true",
                        help="measure dist/packline as it is; do not build it first")
    parser.add_argument("--out", type=Path, default=OUT,
                        help="folder for the logs and the table (build/bench)")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    args = parser.parse_args(argv)
    if args.list:
        for s in SCRIPTS:
            print(f"{s.name:14s} {' '.join(s.argv):52s} {s.title}")
        return 0
    scripts = chosen(args.only, SCRIPTS)
    outcomes, _table, text = run_table(scripts, args.out.resolve(), quick=args.quick,
                                       build=not args.no_build)
    print()
    print(text)
    bad = [o for o in outcomes if o.status in ("failed", "interrupted")]
    print(f"\n{len(outcomes)} benchmarks, {len(bad)} failed; logs and table.md, table.json in "
          f"{rel(args.out.resolve())}/")
    if any(o.status == "interrupted" for o in outcomes):
        return 130
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
