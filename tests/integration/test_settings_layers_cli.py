"""The settings' layers as real `packline` processes read them: the machine-wide file, the
person's own file over it, the environment over that, `--set` over everything (for that run
only); a bad value refused naming where it came from, with nothing of the station touched;
without PACKLINE_HOME the station lives in the machine's folders."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.helpers.cli import REPO, packline, packline_env


def _station_code(run: subprocess.CompletedProcess[str]) -> str:
    assert run.returncode == 0, run.stderr
    return str(json.loads(run.stdout)["station"])


def test_each_layer_wins_over_the_one_below(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    machine = home / "station.ini"
    machine.write_text("[settings]\nversion = 2\n[station]\ncode = ST-M\n", encoding="utf-8")
    assert _station_code(packline(home, "sync", "status", "--json")) == "ST-M"

    (home / "user").mkdir()
    (home / "user" / "station.ini").write_text("[ui]\nlanguage = en\n", encoding="utf-8")
    assert _station_code(packline(home, "sync", "status", "--json")) == "ST-M"

    env = {"PACKLINE_STATION_CODE": "ST-E"}
    assert _station_code(packline(home, "sync", "status", "--json", env=env)) == "ST-E"

    flagged = packline(home, "--set", "station.code=ST-F", "--set", "ui.language=en",
                       "sync", "status", "--json", env=env)
    assert _station_code(flagged) == "ST-F"
    # Nothing of it was saved: the station's file is as IT wrote it.
    assert machine.read_text(encoding="utf-8") == \
        "[settings]\nversion = 2\n[station]\ncode = ST-M\n"
    assert (home / "user" / "station.ini").read_text(encoding="utf-8") == \
        "[ui]\nlanguage = en\n"


def test_the_persons_file_cannot_say_which_station_this_is(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "user").mkdir(parents=True)
    (home / "station.ini").write_text("[station]\ncode = ST-M\n", encoding="utf-8")
    user = home / "user" / "station.ini"
    user.write_text("[ui]\nlanguage = en\n[station]\ncode = ST-U\n", encoding="utf-8")
    run = packline(home, "sync", "status", "--json")
    assert run.returncode == 2, run.stderr
    assert run.stderr.strip() == (
        f"packline: {user}, line 4: [station] code: This is the station's, not a person's: "
        f"set it in the machine-wide settings file {home / 'station.ini'}. A person's own "
        "settings file sets only ui.language, ui.theme, dashboard.shifts, dashboard.reserve, "
        "dashboard.refresh.")
    assert sorted(p.name for p in home.iterdir()) == ["station.ini", "user"]
    # The environment and --set still may (IT's services use them).
    user.write_text("[ui]\nlanguage = en\n", encoding="utf-8")
    assert _station_code(packline(home, "--set", "station.code=ST-F", "sync", "status",
                                  "--json")) == "ST-F"


def test_a_bad_value_names_its_source_and_touches_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    run = packline(home, "--set", "ui.language=en", "sync", "status",
                   env={"PACKLINE_CENTRAL_CONNECT_TIMEOUT": "0"})
    assert run.returncode == 2, run.stderr
    assert run.stderr.strip() == (
        "packline: environment variable PACKLINE_CENTRAL_CONNECT_TIMEOUT: [central] "
        "connect_timeout: 0 is outside 1 to 600.")
    assert not home.exists()

    run = packline(home, "--set", "ui.language=en", "--set", "station.kind=forklift",
                   "sync", "status")
    assert run.returncode == 2, run.stderr
    assert run.stderr.strip() == (
        "packline: command line --set: [station] kind: “forklift” is not one of packing, "
        "picking, office, dock.")
    assert not home.exists()

    (home / "user").mkdir(parents=True)
    user = home / "user" / "station.ini"
    user.write_text("[ui]\nlanguage = en\n[dashboard]\nrefresh = 1\n", encoding="utf-8")
    run = packline(home, "sync", "status")
    assert run.returncode == 2, run.stderr
    assert run.stderr.strip() == (
        f"packline: {user}, line 4: [dashboard] refresh: 1 is outside 5 to 600.")
    assert sorted(p.name for p in home.iterdir()) == ["user"]


def test_without_packline_home_the_station_lives_in_the_machines_folders(
        tmp_path: Path) -> None:
    env = packline_env(tmp_path / "unused")
    del env["PACKLINE_HOME"]
    env.update(XDG_DATA_DIRS=str(tmp_path / "share"), XDG_CONFIG_DIRS=str(tmp_path / "etc"),
               XDG_DATA_HOME=str(tmp_path / "person" / "data"),
               XDG_CONFIG_HOME=str(tmp_path / "person" / "config"))
    (tmp_path / "etc" / "Packline").mkdir(parents=True)
    (tmp_path / "etc" / "Packline" / "station.ini").write_text(
        "[settings]\nversion = 2\n[station]\ncode = ST-IT\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "app", "sync", "status", "--json"], cwd=REPO,
                         env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                         encoding="utf-8", timeout=120)
    assert _station_code(run) == "ST-IT"
    data = tmp_path / "share" / "Packline"
    assert (data / "station.db").is_file() and (data / "logs" / "packline.log").is_file()
    assert not (tmp_path / "person").exists()
    assert sorted(p.name for p in (tmp_path / "etc" / "Packline").iterdir()) == ["station.ini"]
