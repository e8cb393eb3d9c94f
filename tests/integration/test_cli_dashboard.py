"""`packline dashboard` as a real process on the demo database: JSON once, a terminal view
refreshed with --watch until stopped, and bad values refused with exit status 2."""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest

from tests.helpers.cli import packline, packline_process

pytestmark = pytest.mark.timeout(300)
HEADER = "Packline dashboard  "


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("dash_home")
    run = packline(home, "demo", "seed", "--orders", "300")
    assert run.returncode == 0, run.stderr
    return home


def test_json_answers_with_every_section(demo_home: Path) -> None:
    run = packline(demo_home, "dashboard", "--json", "--reserve", "20", "--normal-daily",
                   "10000", "--days", "3", as_user="lead01")
    assert run.returncode == 0, run.stderr
    board = json.loads(run.stdout)
    assert {"backlog", "throughput", "forecast", "staffing", "health"} <= set(board)
    backlog = board["backlog"]
    assert backlog["total"] == sum(backlog["by_status"].values()) > 0
    assert backlog["workable"] == sum(backlog["by_band"].values())
    assert {c["code"] for c in backlog["carriers"]} == {"SF", "ZTO", "YTO", "JD", "DBL"}
    assert len(board["throughput"]["hours"]) == 24
    # The demo's floor history runs up to the seed: there is a rate to forecast from.
    assert board["forecast"]["pack_rate"]["shift"] > 0
    assert len(board["forecast"]["days"]) == 3
    staffing = board["staffing"]
    assert [line["role"] for line in staffing["lines"]] == ["packer", "picker"]
    assert staffing["peak"]["volume"] == 24_000
    assert board["plan"]["reserve"] == 0.2
    assert len(board["health"]["stations"]) == 6


def test_watch_refreshes_until_stopped(demo_home: Path) -> None:
    proc = packline_process(demo_home, "dashboard", "--watch", "1", as_user="lead01",
                            warnings_are_errors=False)
    try:
        assert proc.stdout is not None
        frames, lines = 0, []
        for line in proc.stdout:  # blocks until the next line; the timeout ends a hang
            lines.append(line)
            if line.startswith(HEADER):
                frames += 1
                if frames == 2:
                    break
        assert frames == 2, "".join(lines)
        first = "".join(lines[:-1])
        assert "Backlog " in first and "Throughput today" in first and "Staffing" in first
        assert "\x1b[" not in first  # not a terminal: no screen clearing
    finally:
        proc.send_signal(signal.SIGINT)  # Ctrl+C
        _out, err = proc.communicate(timeout=60)
    # Stopped while waiting for the next refresh: a normal end; while reading: 130, as a
    # shell reports Ctrl+C. Either way no traceback.
    assert proc.returncode in (0, 130), err
    assert "Traceback" not in err


@pytest.mark.parametrize(("args", "words"), [
    (("--reserve", "150"), "--reserve"),
    (("--reserve", "-5"), "--reserve"),
    (("--watch", "0"), "refresh every 1 to 3600 seconds"),
    (("--watch", "soon"), "is not a number of seconds"),
])
def test_bad_values_are_refused(demo_home: Path, args: tuple[str, ...], words: str) -> None:
    run = packline(demo_home, "dashboard", *args, as_user="lead01")
    assert run.returncode == 2
    assert words in run.stderr
    assert run.stdout == ""


@pytest.mark.parametrize(("args", "words"), [
    (("--packer-rate", "0"), "a person's rate is orders per hour"),
    (("--days", "0"), "forecast 1 to 31 days"),
    (("--normal-daily", "-1"), "cannot be negative"),
])
def test_a_bad_plan_is_refused_with_its_reason(demo_home: Path, args: tuple[str, ...],
                                               words: str) -> None:
    run = packline(demo_home, "dashboard", "--json", *args, as_user="lead01")
    assert run.returncode == 2, (run.returncode, run.stderr)
    assert words in run.stderr
    assert run.stdout == "" and "Traceback" not in run.stderr


def test_shifts_in_the_settings_file_must_be_clock_ranges(demo_home: Path,
                                                          tmp_path: Path) -> None:
    import shutil

    home = tmp_path / "home"
    shutil.copytree(demo_home, home)
    ini = home / "station.ini"
    old = ini.read_text(encoding="utf-8") if ini.exists() else ""
    ini.write_text(old + "\n[dashboard]\nshifts = 08-20\n", encoding="utf-8")
    run = packline(home, "dashboard", "--json", as_user="lead01")
    assert run.returncode != 0 and run.stdout == ""
    assert "[dashboard] shifts" in run.stderr and "08-20" in run.stderr


def test_only_a_lead_or_an_admin_who_logged_in_reads_it(demo_home: Path) -> None:
    """Each person's rates are in it: nobody reads it without logging in, nor as a packer."""
    nobody = packline(demo_home, "dashboard", "--json")
    assert nobody.returncode == 2 and "needs a person" in nobody.stderr and nobody.stdout == ""
    packer = packline(demo_home, "dashboard", "--json", as_user="packer01")
    assert packer.returncode == 2 and packer.stdout == "", packer.stderr
    admin = packline(demo_home, "dashboard", "--json", as_user="admin")
    assert admin.returncode == 0 and json.loads(admin.stdout)["backlog"]
