"""`packline settings check FILE` and a broken station.ini at the command line, as real
processes: every problem with its file, line, section and key in the station's language, exit
codes, no login, nothing of the station touched; the README's example file checks OK."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.cli import REPO, packline

BROKEN = """\
[station]
code = ST-1
kind = forklift
[ui]
language = {language}
[central]
connect_timeout = -5
[log]
level = VERBOSE
[printer:label]
url = file://
language = pdf
dpi = abc
[device:lift]
kind = forklift
"""


def test_check_lists_every_problem_with_line_section_and_key(tmp_path: Path) -> None:
    ini = tmp_path / "deploy" / "station.ini"
    ini.parent.mkdir()
    ini.write_text(BROKEN.format(language="en"), encoding="utf-8")
    run = packline(tmp_path / "home", "settings", "check", str(ini))
    assert run.returncode == 1, run.stderr
    lines = run.stdout.splitlines()
    assert lines == [
        f"{ini}, line 3: [station] kind: “forklift” is not one of packing, picking, office, "
        "dock.",
        f"{ini}, line 7: [central] connect_timeout: -5 is outside 1 to 600.",
        f"{ini}, line 9: [log] level: “VERBOSE” is not one of DEBUG, INFO, WARNING, ERROR, "
        "CRITICAL.",
        f"{ini}, line 13: [printer:label] dpi: “abc” is not one of 203, 300.",
        f"{ini}, line 15: [device:lift] kind: “forklift” is not one of scanner, scale, wedge.",
        f"{ini}: settings version 1: the station upgrades it to version 2 when it starts "
        "(keeping a copy of the old file)",
    ]
    assert "5 problem(s)" in run.stderr and "Traceback" not in run.stderr
    # It read the file and nothing else: no station folder, no database, no login asked.
    assert not (tmp_path / "home").exists()


def test_check_speaks_the_stations_language(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "station.ini").write_text("[ui]\nlanguage = zh_CN\n", encoding="utf-8")
    ini = tmp_path / "station.ini"
    ini.write_text(BROKEN.format(language="en"), encoding="utf-8")
    run = packline(home, "settings", "check", str(ini))
    assert run.returncode == 1
    assert f"{ini}，第 9 行：[log] level：“VERBOSE”不在可选值 DEBUG, INFO, WARNING, ERROR, " \
        "CRITICAL 之中。" in run.stdout.splitlines()
    assert "5 个问题" in run.stderr


def test_check_passes_a_good_file_with_a_short_summary(tmp_path: Path) -> None:
    ini = tmp_path / "station.ini"
    ini.write_bytes(b"\xef\xbb\xbf" + (REPO / "packaging" / "station.ini.example").read_bytes()
                    .replace(b"language = zh_CN", b"language = en"))
    run = packline(tmp_path / "home", "settings", "check", str(ini))
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout == f"{ini}: OK: station ST-HZ-PACK-01 (packing), 0 device(s), " \
                         "0 printer(s), language en\n"


def test_check_refuses_a_missing_file_and_bad_bytes(tmp_path: Path) -> None:
    run = packline(tmp_path / "home", "settings", "check", str(tmp_path / "nope.ini"))
    assert run.returncode == 1 and "nope.ini" in run.stdout
    bad = tmp_path / "bad.ini"
    bad.write_bytes(b"[station]\nname = \xd5\xe2\n[ui]\nlanguage = en\ncode = \xff\n")
    run = packline(tmp_path / "home", "settings", "check", str(bad))
    assert run.returncode == 1
    assert run.stdout.startswith(f"{bad}，第 5 行：")  # the language line was never read
    assert "0xFF" in run.stdout


@pytest.mark.parametrize("ini", [
    "[log]\nlevel = VERBOSE\n",
    "[ui]\nlanguage = en\n[central]\nconnect_timeout = -5\n",
    "[station]\nname = 打包台\n".encode("gb18030") + b"\xff\n",
    "[station]\ncode = ST\x00-1\n",
])
def test_a_broken_station_ini_stops_any_command_with_one_line_and_no_traceback(
        tmp_path: Path, ini: str | bytes) -> None:
    home = tmp_path / "home"
    home.mkdir()
    data = ini.encode() if isinstance(ini, str) else ini
    (home / "station.ini").write_bytes(data)
    run = packline(home, "orders", "list", "--json")
    assert run.returncode == 2
    assert "Traceback" not in run.stderr and run.stdout == ""
    assert len(run.stderr.strip().splitlines()) == 1
    assert str(home / "station.ini") in run.stderr
    assert not (home / "station.db").exists()


def test_a_bad_printer_section_stops_a_command_naming_file_line_section_and_key(
        tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    ini = home / "station.ini"
    ini.write_text("[ui]\nlanguage = en\n\n[printer:label]\nurl = file://\nlanguage = pdf\n"
                   "dpi = 600\n", encoding="utf-8")
    run = packline(home, "print", "queue")
    assert run.returncode == 2, run.stderr
    # The start upgraded the file (its registered keys are sound) before the printers were
    # read: the line named is the line of the file as it is now.
    assert run.stderr.splitlines()[-1] == (
        f"packline: {ini}, line 11: [printer:label] dpi: “600” is not one of 203, 300.")
    assert ini.read_text(encoding="utf-8").splitlines()[10] == "dpi = 600"
    assert "Traceback" not in run.stderr


def test_run_without_a_terminal_or_a_display_says_the_problem_and_exits_2(
        tmp_path: Path) -> None:
    """`packline run </dev/null` on a station with no display (a service, ssh): the problem on
    stderr and exit 2; no dialog that Qt could not open (it aborted with exit 134)."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "station.ini").write_text("[log]\nlevel = VERBOSE\n", encoding="utf-8")
    run = packline(home, "run", drop=("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))
    assert run.returncode == 2, run.stderr
    assert "[log] level" in run.stderr and "VERBOSE" in run.stderr
    assert "Traceback" not in run.stderr and "could not connect to display" not in run.stderr


OLD_STATION = """\
# bench 3, kept by IT
[station]
code = ST-HZ-PACK-03   ; as on the asset tag
[ui]
language = {language}
page_size = 500   ; from the first release
[device:pack]
kind = scanner
url = usbserial://1a86:7523?suffix=CR
"""


@pytest.mark.parametrize(("language", "note"), [
    ("en", "{ini}: settings version 1: the station upgrades it to version 2 when it starts "
           "(keeping a copy of the old file)"),
    ("zh_CN", "{ini}：设置版本 1：工作站启动时会将其升级到版本 2（旧文件会保留一份副本）"),
])
def test_check_says_an_older_file_is_upgraded_at_start_and_writes_nothing(
        tmp_path: Path, language: str, note: str) -> None:
    ini = tmp_path / "station.ini"
    ini.write_text(OLD_STATION.format(language=language), encoding="utf-8")
    run = packline(tmp_path / "home", "settings", "check", str(ini))
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert len(lines) == 2 and "ST-HZ-PACK-03" in lines[0]
    assert lines[1] == note.format(ini=ini)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["station.ini"]
    assert ini.read_text(encoding="utf-8") == OLD_STATION.format(language=language)


def test_a_station_upgrades_its_older_file_when_a_command_starts_and_only_once(
        tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    ini = home / "station.ini"
    old = OLD_STATION.format(language="en")
    ini.write_text(old, encoding="utf-8")
    run = packline(home, "devices", "list")
    assert run.returncode == 0, run.stderr
    assert "pack" in run.stdout
    assert (home / "station.ini.v1.bak").read_text(encoding="utf-8") == old
    new = ini.read_text(encoding="utf-8")
    assert new.startswith("# bench 3, kept by IT\n[settings]\n")
    assert "version = 2\n" in new and "code = ST-HZ-PACK-03   ; as on the asset tag\n" in new
    assert "# page_size = 500   ; from the first release\n" in new
    log = (home / "logs" / "packline.log").read_text(encoding="utf-8")
    assert f"{ini} upgraded from settings version 1 to 2; the old file is kept as " \
           f"{home / 'station.ini.v1.bak'}" in log
    again = packline(home, "devices", "list")
    assert again.returncode == 0, again.stderr
    assert ini.read_text(encoding="utf-8") == new
    assert sorted(p.name for p in home.iterdir() if p.name.startswith("station.ini")) == [
        "station.ini", "station.ini.v1.bak"]


@pytest.mark.parametrize(("language", "words"), [
    ("en", "line 4: [settings] version: This file was written for settings version 3; this "
           "Packline reads up to version 2."),
    ("zh_CN", "第 4 行：[settings] version：此文件是为设置版本 3 编写的，本系统最多只能读取版本 2："),
])
def test_a_file_from_a_newer_packline_stops_a_command_and_is_left_alone(
        tmp_path: Path, language: str, words: str) -> None:
    home = tmp_path / "home"
    home.mkdir()
    newer = f"[ui]\nlanguage = {language}\n[settings]\nversion = 3\n[station]\ncode = ST-1\n" \
            "[sorter]\nspeed = 11\n"
    (home / "station.ini").write_text(newer, encoding="utf-8")
    run = packline(home, "devices", "list")
    assert run.returncode == 2
    assert len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr
    assert words in run.stderr and str(home / "station.ini") in run.stderr
    assert sorted(p.name for p in home.iterdir()) == ["station.ini"]
    assert (home / "station.ini").read_text(encoding="utf-8") == newer
    checked = packline(tmp_path / "other", "settings", "check", str(home / "station.ini"))
    assert checked.returncode == 1
    assert len(checked.stdout.splitlines()) == 1 and words in checked.stdout
