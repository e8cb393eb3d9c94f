"""`packline selftest` checks the install on a throwaway station of its own: run from the
source tree here (packaging/smoke_frozen.py runs it in the frozen build), every check passes,
what it printed reads back, and the real station is neither read nor changed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from tests.helpers.cli import packline

pytestmark = pytest.mark.timeout(300)
QT = {"QT_QPA_PLATFORM": "offscreen", "PACKLINE_MUTE": "1"}
CHECKS = ["bundle", "modules", "fonts", "database", "labels", "print", "screen", "sound"]


def real_station(tmp_path: Path) -> Path:
    home = tmp_path / "real-station"
    home.mkdir(mode=0o700)
    return home


def test_selftest_passes_on_a_station_of_its_own_and_its_label_reads_back(
        tmp_path: Path) -> None:
    home = real_station(tmp_path)
    out = tmp_path / "out"
    done = packline(home, "selftest", "--out", str(out), "--json", env=QT, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert done.stderr == ""
    report = json.loads(done.stdout)
    assert report["ok"] and report["out"] == str(out.resolve())
    assert [c["name"] for c in report["checks"]] == CHECKS
    assert all(c["ok"] for c in report["checks"]), report
    by_name = {c["name"]: c for c in report["checks"]}
    (label,) = by_name["print"]["files"]
    with Image.open(label) as image:
        assert {r.text for r in zxingcpp.read_barcodes(image.convert("L"))} == {"TEST-SELFTEST"}
    with Image.open(out / "packing.png") as screen:
        assert screen.size == (1400, 860)
    for language in ("zpl", "tspl", "escpos", "pdf", "png"):
        assert (out / "labels" / f"waybill.{language}").stat().st_size > 0
    assert "in Chinese" in by_name["screen"]["detail"]
    # The real station: not a file made or read into being.
    assert list(home.iterdir()) == []


def test_a_failed_check_exits_1_names_it_and_keeps_the_folder_with_its_log(
        tmp_path: Path) -> None:
    home = real_station(tmp_path)
    done = packline(home, "selftest", env={**QT, "PACKLINE_CJK_FONT": str(tmp_path / "no.ttf")},
                    timeout=300)
    assert done.returncode == 1, done.stdout
    fonts = next(line for line in done.stdout.splitlines() if line.split()[1:2] == ["fonts"])
    assert fonts.startswith("FAIL") and "no such file" in fonts
    assert re.search(r"^ok +database ", done.stdout, re.M)
    kept = re.search(r"FAILED; files in (\S+); the log: (\S+)$", done.stdout, re.M)
    assert kept, done.stdout
    assert Path(kept.group(1)).is_dir() and Path(kept.group(2)).is_file()
    assert "FontNotFoundError" in Path(kept.group(2)).read_text(encoding="utf-8")
    assert list(home.iterdir()) == []


def test_an_out_folder_that_holds_something_is_refused_and_left_alone(tmp_path: Path) -> None:
    home = real_station(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("IT's notes", encoding="utf-8")
    done = packline(home, "selftest", "--out", str(out), env=QT)
    assert done.returncode == 2 and "give a new or empty folder" in done.stderr
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
