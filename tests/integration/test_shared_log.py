"""Several processes of one station write one log at once — the app, `packline` commands IT
runs beside it, a separate engine — through `setup_logging`, with a log small enough to
rotate dozens of times while they write: every line is there exactly once, whole, in the
order its process wrote it, and every file is private whatever the umask. A process that dies
of a fatal signal leaves its Python stack in the log folder."""

from __future__ import annotations

import os
import re
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.helpers.cli import REPO
from tests.helpers.waiting import eventually

WORKERS = 4
LINES = 600
MAX_BYTES = 6000
BACKUPS = 100  # enough to keep every rotated file of the run, so every line can be counted

WRITER = textwrap.dedent("""
    import logging, sys, time
    from pathlib import Path
    from app.config import load_config
    from app.logs import setup_logging

    home, worker, lines = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    setup_logging(load_config(home))
    (home / f"ready-{worker}").touch()
    go = home / "go"
    while not go.exists():  # all writers start together
        time.sleep(0.001)
    log = logging.getLogger(f"packline.writer{worker}")
    for n in range(lines):
        # Lines of different lengths, some with Chinese, so writes of different sizes meet.
        log.warning("worker %d line %d %s end %d/%d", worker, n, "拣货" * (n % 7) + "x" * (n % 53),
                    worker, n)
""")
LINE = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (?P<pid>\d+) WARNING "
                  r"packline\.writer(?P<w>\d): worker (?P=w) line (?P<n>\d+) (?P<pad>\S*) "
                  r"end (?P=w)/(?P=n)")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX's")
def test_processes_sharing_the_log_lose_and_tear_no_line(tmp_path: Path) -> None:
    home = tmp_path / "station"
    home.mkdir()
    (home / "station.ini").write_text(
        f"[log]\nmax_bytes = {MAX_BYTES}\nbackups = {BACKUPS}\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONWARNINGS": "error"}
    env.pop("PACKLINE_HOME", None)
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(home), str(w), str(LINES)],
                              cwd=REPO, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, umask=0)
             for w in range(WORKERS)]
    try:
        eventually(lambda: all((home / f"ready-{w}").exists() for w in range(WORKERS))
                   or any(p.poll() is not None for p in procs),
                   what="every writer to be ready", timeout=60)
        (home / "go").touch()
        outs = [p.communicate(timeout=120) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    assert [p.returncode for p in procs] == [0] * WORKERS, outs
    assert all(err == "" for _out, err in outs), outs  # no "--- Logging error ---"

    logs = home / "logs"
    rotated = sorted((p for p in logs.glob("packline.log.*")),
                     key=lambda p: int(p.name.rsplit(".", 1)[1]), reverse=True)
    files = [*rotated, logs / "packline.log"]  # oldest first
    assert len(rotated) >= 20, "the log rotated often while the processes wrote"
    assert len(rotated) < BACKUPS, "no rotated file was dropped"

    seen: dict[int, list[int]] = {w: [] for w in range(WORKERS)}
    pids: dict[int, set[str]] = {w: set() for w in range(WORKERS)}
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert text.endswith("\n")
        for line in text.splitlines():
            match = LINE.fullmatch(line)
            assert match, f"a torn or mixed line in {path.name}: {line!r}"
            w, n = int(match["w"]), int(match["n"])
            assert match["pad"] == "拣货" * (n % 7) + "x" * (n % 53) or (
                n % 7 == 0 and n % 53 == 0 and match["pad"] == "")
            seen[w].append(n)
            pids[w].add(match["pid"])
        # Rotation happens before a line, once the file has reached the size.
        if path != files[-1]:
            assert path.stat().st_size < MAX_BYTES + 400, path
    for w in range(WORKERS):
        assert seen[w] == list(range(LINES)), f"worker {w}: lines lost, doubled or reordered"
        assert len(pids[w]) == 1
    assert len(set().union(*pids.values())) == WORKERS  # each line names its process

    assert _mode(logs) == 0o700
    found = sorted(p.name for p in logs.iterdir())
    assert {name: _mode(logs / name) for name in found} == dict.fromkeys(found, 0o600)
    assert ".__packline.lock" in found


CRASHER = textwrap.dedent("""
    import faulthandler, sys
    from pathlib import Path
    from app.config import load_config
    from app.logs import enable_crash_log, setup_logging

    cfg = load_config(Path(sys.argv[1]))
    setup_logging(cfg)
    print(enable_crash_log(cfg), flush=True)

    def deep_in_a_driver():
        if sys.argv[2] == "segfault":
            faulthandler._sigsegv()

    deep_in_a_driver()
""")


def _crasher(home: Path, how: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("PYTHONFAULTHANDLER", None)
    return subprocess.run([sys.executable, "-c", CRASHER, str(home), how], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=60, umask=0)


def test_a_segfault_leaves_its_stack_in_the_log_folder(tmp_path: Path) -> None:
    home = tmp_path / "station"
    done = _crasher(home, "segfault")
    assert done.returncode == (-signal.SIGSEGV if os.name == "posix" else done.returncode)
    assert done.returncode != 0
    path = Path(done.stdout.strip())
    assert path.parent == home.resolve() / "logs" and path.name.startswith("crash-")
    text = path.read_text(encoding="utf-8")
    assert "Fatal Python error: Segmentation fault" in text
    assert "deep_in_a_driver" in text  # the Python stack, down to the function that crashed
    if os.name == "posix":
        assert _mode(path) == 0o600

    # A process that ends normally leaves an empty crash file, removed by the next start;
    # the one with a crash in it stays for IT.
    calm = _crasher(home, "nothing")
    assert calm.returncode == 0, calm.stderr
    calm_file = Path(calm.stdout.strip())
    assert calm_file.exists() and calm_file.stat().st_size == 0
    again = _crasher(home, "nothing")
    assert again.returncode == 0, again.stderr
    left = sorted(p.name for p in (home / "logs").glob("crash-*.log"))
    assert left == sorted([path.name, Path(again.stdout.strip()).name])
