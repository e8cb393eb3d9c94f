"""The frozen build's smoke test (`make package-smoke`, in CI after `make test`): the bundle in
dist/packline runs as it will on a station — no Python on PATH, nothing of this checkout or its
venv in the environment, a fresh station folder — and must:

0. hold no symbolic link that leads nowhere;
1. migrate an empty embedded database (`packline db upgrade`) and seed it (`demo seed`);
2. pass `packline selftest`: every module, library, font and data file it loads is in the
   bundle; it renders the packing screen offscreen to a PNG and prints a test label to a folder
   printer, which this script reads back with a barcode reader (zxing-cpp), with the waybill
   rendered as PNG and as PDF; the screens draw Chinese with the bundle's WenQuanYi font
   when it carries one;
3. open the app offscreen and reach its login screen (PACKLINE_QUIT_AT_LOGIN=1);

each exiting 0 and printing nothing on stderr but the lines it is known to print. Then it
prints the bundle's size and the cold start to the login screen — spawn to the login screen
shown, the median of `--runs` starts — beside the same measure of the source tree in this run.

`--start-only` measures the cold starts alone (after `db upgrade`), as `make bench` does; the
figure goes into its table when PACKLINE_BENCH_FIGURES names a file (tests/perf/figures.py).

    python packaging/smoke_frozen.py [--bundle dist/packline] [--runs 5] [--keep DIR]
                                     [--start-only]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHOWN = "packline: login screen shown"  # app/ui/startup_probe.py
GOAL_S = 2.5
# What the commands run here may print on stderr; anything else fails the test.
KNOWN_STDERR = (
    re.compile(r"database at \w+: sqlite:///\S+"),  # `packline db upgrade` says where
)


class SmokeError(AssertionError):
    pass


def executable(bundle: Path) -> Path:
    name = "packline-console.exe" if sys.platform == "win32" else "packline"
    exe = bundle / name
    if not exe.is_file():
        raise SmokeError(f"no {exe}: build it first (make package)")
    return exe


def broken_links(bundle: Path) -> list[Path]:
    """The bundle's symbolic links that lead nowhere (they would go into the archive too)."""
    return sorted(p for p in bundle.rglob("*") if p.is_symlink() and not p.exists())


def bundled_cjk_font(bundle: Path) -> bool:
    """Whether the bundle carries a WenQuanYi font, which the screens must then use."""
    return any((bundle / "_internal" / "fonts").glob("wqy-*.tt[cf]"))


def clean_env(base: Path, home: Path) -> dict[str, str]:
    """A station's environment with nothing of this machine's Python: PATH is an empty folder
    (plus what Windows cannot start a process without)."""
    empty = base / "empty-path"
    empty.mkdir(exist_ok=True)
    env = {"PATH": str(empty), "HOME": str(base / "user"), "LANG": "C.UTF-8",
           "TMPDIR": str(base / "tmp"), "PACKLINE_HOME": str(home),
           "QT_QPA_PLATFORM": "offscreen", "PACKLINE_MUTE": "1"}
    if sys.platform == "win32":
        for key in ("SYSTEMROOT", "WINDIR", "TEMP", "TMP", "USERPROFILE", "LOCALAPPDATA",
                    "APPDATA", "PROGRAMDATA"):
            if key in os.environ:
                env[key] = os.environ[key]
    for folder in (base / "user", base / "tmp"):
        folder.mkdir(exist_ok=True)
    for python in ("python", "python3", "python3.11"):
        found = shutil.which(python, path=env["PATH"])
        if found:
            raise SmokeError(f"{python} is reachable on the test's PATH: {found}")
    return env


def new_home(base: Path, name: str) -> Path:
    """A station folder as IT leaves it: private, seeding on first start turned off."""
    home = base / name
    home.mkdir(mode=0o700)
    settings = home / "station.ini"
    settings.write_text("[station]\ncode = ST-SMOKE-01\n\n[demo]\nseed_on_first_start = false\n",
                        encoding="utf-8")
    settings.chmod(0o600)
    return home


def check_stderr(what: str, stderr: str) -> None:
    unknown = [line for line in stderr.splitlines()
               if line.strip() and not any(p.fullmatch(line.strip()) for p in KNOWN_STDERR)]
    if unknown:
        raise SmokeError(f"{what} printed on stderr:\n" + "\n".join(unknown[:40]))


def run(what: str, command: list[str], env: dict[str, str], cwd: Path,
        timeout: float = 300) -> subprocess.CompletedProcess[str]:
    began = time.monotonic()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", stdin=subprocess.DEVNULL, timeout=timeout)
    if done.returncode != 0:
        raise SmokeError(f"{what} exited {done.returncode}\nstdout:\n{done.stdout[-3000:]}\n"
                         f"stderr:\n{done.stderr[-3000:]}")
    check_stderr(what, done.stderr)
    print(f"  ok  {what} ({time.monotonic() - began:.1f} s)")
    return done


def decode(image: Any) -> list[str]:
    import zxingcpp

    return [r.text for r in zxingcpp.read_barcodes(image)]


def check_outputs(report: dict[str, Any], out: Path) -> None:
    """What the selftest made: the packing screen as a PNG, the folder printer's label and
    the waybills, read back with a barcode reader."""
    from PIL import Image

    failed = [c for c in report["checks"] if not c["ok"]]
    if not report["ok"] or failed:
        raise SmokeError("selftest checks failed: " + json.dumps(failed, ensure_ascii=False))
    with Image.open(out / "packing.png") as screen:
        if screen.size != (1400, 860) or len(screen.getcolors(1 << 16) or [1, 2]) < 2:
            raise SmokeError(f"packing.png is {screen.size} and blank or not the window")
    (printed,) = (Path(f) for c in report["checks"] if c["name"] == "print" for f in c["files"])
    with Image.open(printed) as label:
        codes = decode(label.convert("L"))
    if "TEST-SELFTEST" not in codes:
        raise SmokeError(f"the folder printer's label {printed} reads {codes}")
    with Image.open(out / "labels" / "waybill.png") as waybill:
        codes = decode(waybill.convert("L"))
    if "SF1234567890123" not in codes:
        raise SmokeError(f"the waybill PNG reads {codes}")
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(out / "labels" / "waybill.pdf"))
    try:
        codes = decode(pdf[0].render(scale=300 / 72).to_pil().convert("L"))
    finally:
        pdf.close()
    if "SF1234567890123" not in codes:
        raise SmokeError(f"the waybill PDF reads {codes}")
    print(f"  ok  labels read back: test label TEST-SELFTEST, waybill {codes}")


def start_to_login(command: list[str], env: dict[str, str], cwd: Path,
                   timeout: float = 120) -> float:
    """Seconds from spawning `command` (the app, with PACKLINE_QUIT_AT_LOGIN=1) to its line
    saying the login screen is shown; it must then exit 0 with a clean stderr."""
    began = time.perf_counter()
    process = subprocess.Popen(command, env={**env, "PACKLINE_QUIT_AT_LOGIN": "1"}, cwd=cwd,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, encoding="utf-8")
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        took = time.perf_counter() - began
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise SmokeError(f"{command[0]} did not quit at the login screen") from None
    if line.strip() != SHOWN or process.returncode != 0:
        raise SmokeError(f"{' '.join(command)}: exit {process.returncode}, said {line!r}\n"
                         f"{out[-2000:]}\n{err[-3000:]}")
    check_stderr("the app's start", err)
    return took


def disk_usage_mb(folder: Path) -> float:
    """As `du -s` counts: the blocks the files take."""
    total = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            st = path.stat()
            total += getattr(st, "st_blocks", 0) * 512 or st.st_size
    return total / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "packline")
    parser.add_argument("--runs", type=int, default=5, help="starts measured, each way")
    parser.add_argument("--keep", type=Path, help="keep the stations in this new folder")
    parser.add_argument("--start-only", action="store_true",
                        help="only the cold starts (for `make bench`), not the checks")
    args = parser.parse_args(argv)
    exe = executable(args.bundle.resolve())
    base = Path(tempfile.mkdtemp(prefix="packline-smoke-")) if args.keep is None \
        else args.keep.resolve()
    base.mkdir(parents=True, exist_ok=True)
    print(f"packline smoke test of {exe}")
    try:
        if args.start_only:
            home = new_home(base, "station")
            env = clean_env(base, home)
            cwd = base / "tmp"
            run("db upgrade on an empty embedded database", [str(exe), "db", "upgrade"], env,
                cwd)
            frozen, source = starts(exe, base, env, cwd, args.runs)
            return report_starts(args, frozen, source, base)
        broken = broken_links(args.bundle.resolve())
        if broken:
            raise SmokeError(f"{len(broken)} broken link(s) in the bundle: "
                             + ", ".join(str(p) for p in broken[:20]))
        print("  ok  no broken links in the bundle")
        home = new_home(base, "station")
        env = clean_env(base, home)
        cwd = base / "tmp"  # never this checkout
        run("db upgrade on an empty embedded database", [str(exe), "db", "upgrade"], env, cwd)
        seeded = json.loads(run("demo seed", [str(exe), "demo", "seed", "--orders", "20"],
                                env, cwd).stdout)
        if seeded.get("orders_created") != 20:
            raise SmokeError(f"demo seed: {seeded}")
        out = base / "selftest"
        done = run("selftest", [str(exe), "selftest", "--out", str(out), "--json"], env, cwd)
        report = json.loads(done.stdout)
        if "frozen build" not in report["checks"][0]["detail"]:
            raise SmokeError(f"not the frozen build that ran: {report['checks'][0]}")
        check_outputs(report, out)
        (screen,) = (c["detail"] for c in report["checks"] if c["name"] == "screen")
        if bundled_cjk_font(args.bundle.resolve()) and "from the bundle" not in screen:
            raise SmokeError(f"the screens do not use the bundle's Chinese font: {screen}")
        print(f"  ok  {screen.rpartition('; ')[2]}")

        frozen, source = starts(exe, base, env, cwd, args.runs)
    except SmokeError as exc:
        print(f"packline smoke test FAILED: {exc}", file=sys.stderr)
        print(f"(the stations are in {base})", file=sys.stderr)
        return 1
    return report_starts(args, frozen, source, base, passed=True)


def starts(exe: Path, base: Path, env: dict[str, str], cwd: Path,
           runs: int) -> tuple[list[float], list[float]]:
    """`runs` cold starts of the bundle to its login screen, and as many of the source tree
    (its venv's Python, a station of its own) in this run."""
    frozen = [start_to_login([str(exe), "run"], env, cwd) for _ in range(runs)]
    print(f"  ok  the app reached its login screen and quit, {runs} times")
    source_home = new_home(base, "source-station")
    source_env = {**env, "PACKLINE_HOME": str(source_home), "PYTHONPATH": str(ROOT)}
    run("db upgrade (source tree)", [sys.executable, "-m", "app", "db", "upgrade"],
        source_env, cwd)
    source = [start_to_login([sys.executable, "-m", "app", "run"], source_env, cwd)
              for _ in range(runs)]
    return frozen, source


def report_starts(args: argparse.Namespace, frozen: list[float], source: list[float],
                  base: Path, passed: bool = False) -> int:
    frozen_s, source_s = statistics.median(frozen), statistics.median(source)
    size = disk_usage_mb(args.bundle)
    print(f"bundle size: {size:.0f} MB ({args.bundle})")
    print(f"cold start to the login screen, median of {args.runs}: frozen {frozen_s:.2f} s "
          f"(runs {', '.join(f'{t:.2f}' for t in frozen)}), source tree {source_s:.2f} s "
          f"(runs {', '.join(f'{t:.2f}' for t in source)}); frozen/source "
          f"{frozen_s / source_s:.2f}; goal {GOAL_S} s: "
          f"{'met' if frozen_s < GOAL_S else 'NOT met'}")
    if os.environ.get("PACKLINE_BENCH_FIGURES"):
        sys.path.insert(0, str(ROOT))
        from tests.perf.figures import record

        record("cold start of the frozen build to the login screen", median=frozen_s,
               goal=GOAL_S, unit="s",
               note=f"median of {args.runs} starts ({min(frozen):.2f}–{max(frozen):.2f} s); the "
                    f"source tree {source_s:.2f} s in the same run; bundle {size:.0f} MB")
    if passed:
        print("packline smoke test passed")
    if args.keep is None:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
