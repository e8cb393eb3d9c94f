"""Settings in layers: --set over the environment over the person's own file over the
machine-wide file over the defaults; each value checked whatever its source, a problem naming
that source and changing nothing; saving only into the machine-wide file; the station's
folders (PACKLINE_HOME as ever, else the machine's, else the person's when the machine's
cannot be written) and an older per-person station moved into the machine's."""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
import subprocess
from pathlib import Path
from typing import Any

import platformdirs
import pytest

from app import config, devices
from app.config import (
    ENV_NAMES,
    LAYERED,
    OPTIONS,
    Settings,
    SettingsError,
    SettingsSource,
    load_config,
    secure_station,
    station_language,
)
from app.domain.roles import Role
from app.services.context import Actor
from app.ui.messages import describe_setting, words_in
from tests.helpers.old_station import end_holding, old_store

# What the environment holds for other reasons: never read as a setting.
NOT_SETTINGS = {
    "PACKLINE_HOME": "/nowhere", "PACKLINE_USER": "lead01", "PACKLINE_PASSWORD": "secret",
    "PACKLINE_TOKEN": "tok", "PACKLINE_CENTRAL_PASSWORD": "pw", "PACKLINE_MUTE": "1",
    "PACKLINE_CJK_FONT": "/f.ttf", "PACKLINE_SHOP_SECRET_TB1": "s", "PACKLINE_JOURNEY_DISPLAYS":
    "85-89", "PACKLINE_TEST_PG_URL": "postgresql://x", "PACKLINE_SETTINGS_VERSION": "99",
    "PACKLINE_PRINTER_LABEL1_URL": "tcp://x:9100", "PACKLINE_USER_HOME": "/elsewhere",
    "PACKLINE_OPTIONS": "x", "PACKLINE_CARRIER": "SF", "PACKLINE_SCREENSHOT_DIR": "/s",
}


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def machine(station_home: Path) -> Path:
    """The machine-wide file of a PACKLINE_HOME station (its own station.ini, as ever)."""
    return _write(station_home / "station.ini",
                  "[station]\ncode = ST-M\nwarehouse = HZ1\n[ui]\nlanguage = zh_CN\n")


def _user(home: Path, text: str) -> Path:
    return _write(home / "user" / "station.ini", text)


def _admin() -> Actor:
    return Actor(user_id=None, code="it", name="it", role=Role.ADMIN, station="ST-M")


# ------------------------------------------------------------------ precedence


def test_each_layer_wins_over_the_one_below(station_home: Path, machine: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = load_config()
    assert cfg.settings.station.code == "ST-M"
    assert cfg.source_of("station", "code") == SettingsSource("machine", machine.resolve(),
                                                              str(machine.resolve()))
    assert cfg.source_of("station", "kind") == SettingsSource("default", None, "default")

    user = _user(station_home, "[ui]\nlanguage = en\n").resolve()
    cfg = load_config()
    assert (cfg.settings.station.code, cfg.settings.ui.language) == ("ST-M", "en")
    assert cfg.source_of("ui", "language") == SettingsSource("user", user, str(user))
    assert cfg.source_of("station", "warehouse").kind == "machine"  # not in the user file

    monkeypatch.setenv("PACKLINE_STATION_CODE", "ST-E")
    cfg = load_config()
    assert cfg.settings.station.code == "ST-E"
    assert cfg.source_of("station", "code") == SettingsSource("env", None,
                                                              "PACKLINE_STATION_CODE")
    assert cfg.source_of("ui", "language").kind == "user"

    cfg = load_config(flags=["station.code=ST-F", "ui.theme=dark"])
    assert (cfg.settings.station.code, cfg.settings.ui.theme) == ("ST-F", "dark")
    assert cfg.source_of("station", "code") == SettingsSource("flag", None, "--set")
    assert cfg.settings.get("station.code") == "ST-F"
    assert cfg.settings.file_value("station.code") == "ST-M"  # what the file holds
    assert cfg.settings.station.warehouse == "HZ1"
    # None of it was written anywhere.
    assert machine.read_text(encoding="utf-8").count("ST-") == 1
    assert "ST-E" not in user.read_text(encoding="utf-8")


def test_the_central_url_of_the_environment_is_just_that_rule(
        station_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(station_home / "station.ini", "[central]\nurl = postgresql+psycopg://file/db\n")
    monkeypatch.setenv("PACKLINE_CENTRAL_URL", "postgresql+psycopg://env/db")
    cfg = load_config()
    assert cfg.central_url == "postgresql+psycopg://env/db"
    assert cfg.source_of("central", "url").detail == "PACKLINE_CENTRAL_URL"
    cfg = load_config(flags=["central.url=sqlite:////tmp/flag.db"])
    assert cfg.central_url == "sqlite:////tmp/flag.db" and cfg.embedded


def test_an_empty_value_above_leaves_the_key_to_the_layers_below(
        station_home: Path, machine: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _user(station_home, "[ui]\ntheme =\n")
    assert load_config().source_of("ui", "theme").kind == "default"
    monkeypatch.setenv("PACKLINE_STATION_CODE", "  ")
    cfg = load_config(flags=["station.code="])
    assert cfg.settings.station.code == "ST-M"
    assert cfg.source_of("station", "code").kind == "machine"
    # A later --set for the same key wins over an earlier one; an empty one takes it back.
    assert load_config(flags=["station.code=A", "station.code=B"]).settings.station.code == "B"
    assert load_config(flags=["station.code=A", "station.code="]).settings.station.code == \
        "ST-M"


def test_every_registered_key_is_read_from_the_environment_under_its_own_name(
        station_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert len(ENV_NAMES) == len(LAYERED) == len(OPTIONS) - 1  # all but the file's version
    assert ENV_NAMES["PACKLINE_CHANNELS_CONFIRM_PER_SECOND"].name == \
        "channels.confirm_per_second"
    assert ENV_NAMES["PACKLINE_UI_LANGUAGE"].name == "ui.language"
    assert not set(ENV_NAMES) & set(NOT_SETTINGS)
    examples = {"log.level": ("warn", "WARNING"), "engine.embedded": ("off", False),
                "channels.confirm_per_second": ("2.5", 2.5), "log.max_bytes": ("0", 0),
                "dashboard.shifts": ("a=06:00-18:00", "a=06:00-18:00")}
    for var, option in ENV_NAMES.items():
        raw, want = examples.get(option.name, (None, None))
        if raw is None:
            continue
        monkeypatch.setenv(var, raw)
    cfg = load_config()
    for name, (_raw, want) in examples.items():
        assert cfg.settings.get(name) == want, name
        section, key = name.split(".")
        assert cfg.source_of(section, key).kind == "env"


def test_what_the_environment_holds_for_other_reasons_is_not_a_setting(
        station_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for var, value in NOT_SETTINGS.items():
        if var not in ("PACKLINE_HOME", "PACKLINE_USER_HOME"):
            monkeypatch.setenv(var, value)
    cfg = load_config()
    for option in OPTIONS:
        assert cfg.source_of(option.section, option.key).kind == "default", option.name
        assert cfg.settings.get(option.name) == option.default
    with pytest.raises(KeyError):
        cfg.source_of("printer:label1", "url")


def test_the_persons_folder_of_a_one_folder_station(station_home: Path, machine: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    cfg = load_config()
    assert cfg.setting_files() == [("machine", machine.resolve(), True),
                                   ("user", station_home.resolve() / "user" / "station.ini",
                                    False)]
    assert cfg.paths.layout == station_home.resolve() / "user" / "ui-state.ini"
    elsewhere = _write(tmp_path / "mine" / "station.ini", "[ui]\ntheme = dark\n")
    monkeypatch.setenv("PACKLINE_USER_HOME", str(tmp_path / "mine"))
    cfg = load_config()
    assert cfg.setting_files()[1] == ("user", elsewhere.resolve(), True)
    assert cfg.settings.ui.theme == "dark"
    assert cfg.paths.layout == (tmp_path / "mine" / "ui-state.ini").resolve()
    # The one folder itself holds what it always did.
    assert (cfg.paths.settings, cfg.paths.station_db, cfg.paths.logs, cfg.paths.prints) == (
        machine.resolve(), station_home.resolve() / "station.db",
        station_home.resolve() / "logs", station_home.resolve() / "prints")
    assert cfg.paths.data_from == "home" and cfg.paths.data_note == ""


# ------------------------------------------------------------------ problems


def _refused(**kwargs: object) -> SettingsError:
    with pytest.raises(SettingsError) as caught:
        load_config(**kwargs)  # type: ignore[arg-type]
    return caught.value


def test_a_bad_environment_value_names_its_variable_and_changes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "station"
    monkeypatch.setenv("PACKLINE_HOME", str(home))
    old = "[ui]\npage_size = 50\n"  # version 1: an upgrade would rewrite the file
    _write(home / "station.ini", old)
    monkeypatch.setenv("PACKLINE_CENTRAL_CONNECT_TIMEOUT", "0")
    problem = _refused()
    assert (problem.code, problem.section, problem.key, problem.path) == (
        "settings.out_of_range", "central", "connect_timeout", None)
    assert problem.origin == SettingsSource("env", None, "PACKLINE_CENTRAL_CONNECT_TIMEOUT")
    assert str(problem) == ("environment variable PACKLINE_CENTRAL_CONNECT_TIMEOUT: "
                            "[central] connect_timeout: 0 is outside 1 to 600")
    assert describe_setting(problem, words_in("en")) == (
        "environment variable PACKLINE_CENTRAL_CONNECT_TIMEOUT: [central] connect_timeout: "
        "0 is outside 1 to 600.")
    assert sorted(p.name for p in home.iterdir()) == ["station.ini"]  # no upgrade, no copy
    assert (home / "station.ini").read_text(encoding="utf-8") == old


@pytest.mark.parametrize(("flags", "code", "words"), [
    (["station.code=bad code"], "settings.bad_code", "--set: [station] code: 'bad code' is not"),
    (["ui.colour=red"], "settings.unknown_key",
     "--set: [ui] colour: unknown key (known: language, theme)"),
    (["printer:label1.url=tcp://x:9100"], "settings.unknown_section",
     "--set: [printer:label1] url: unknown key in an unknown section"),
    (["settings.version=2"], "settings.unknown_section", "--set: [settings] version"),
    (["ui.language"], "settings.bad_flag", "--set: 'ui.language' is not SECTION.KEY=VALUE"),
    (["language=en"], "settings.bad_flag", "--set: 'language=en' is not SECTION.KEY=VALUE"),
])
def test_a_bad_flag_names_the_flag_and_changes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flags: list[str], code: str,
        words: str) -> None:
    home = tmp_path / "station"
    monkeypatch.setenv("PACKLINE_HOME", str(home))
    problem = _refused(flags=flags)
    assert problem.code == code
    assert problem.origin is not None and problem.origin.kind == "flag"
    assert str(problem).startswith(words), str(problem)
    assert describe_setting(problem, words_in("en")).startswith("command line --set: ")
    assert not home.exists()


def test_a_bad_value_in_the_persons_file_names_the_file_and_its_line(
        station_home: Path, machine: Path) -> None:
    before = machine.read_bytes()
    user = _user(station_home, "[ui]\ntheme = dark\n\n[dashboard]\nrefresh = 1\n")
    problem = _refused()
    assert (problem.path, problem.line, problem.section, problem.key, problem.code) == (
        user.resolve(), 5, "dashboard", "refresh", "settings.out_of_range")
    assert describe_setting(problem, words_in("en")).startswith(
        f"{user.resolve()}, line 5: [dashboard] refresh: 1 is outside 5 to 600")
    assert machine.read_bytes() == before
    assert not (station_home / "station.db").exists()


def test_printers_and_devices_are_the_stations_not_the_persons(
        station_home: Path, machine: Path) -> None:
    user = _user(station_home, "[ui]\ntheme = dark\n[printer:label1]\nurl = file://\n")
    problem = _refused()
    assert (problem.code, problem.path, problem.section, problem.line) == (
        "settings.machine_only", user.resolve(), "printer:label1", 3)
    assert str(machine.resolve()) in describe_setting(problem, words_in("en"))
    _user(station_home, "[device:gun]\nkind = scanner\n")
    assert _refused().section == "device:gun"
    _user(station_home, "[scan]\norder = ^PL\\d+$\n")
    assert _refused().section == "scan"


SAMPLE_VALUES = {"central.read_url": "postgresql+psycopg://packline@replica.lan/packline"}


@pytest.mark.parametrize("name", [o.name for o in LAYERED if not o.personal])
def test_the_stations_own_keys_come_from_the_machine_file_not_the_persons(
        station_home: Path, machine: Path, name: str) -> None:
    """The station's code, its central database, its log, its engine, … : the store, the
    outbox and the tracking numbers are the machine's, so a person's file cannot change
    them (the environment and --set still can: IT's services use them)."""
    section, key = name.split(".")
    # A value the key takes (a read replica is a PostgreSQL URL).
    value = SAMPLE_VALUES.get(name) or str(config._BY_NAME[name].default) or "x"
    user = _user(station_home, f"[ui]\ntheme = dark\n[{section}]\n{key} = {value}\n")
    before = machine.read_bytes()
    problem = _refused()
    assert (problem.code, problem.path, problem.section, problem.key, problem.line) == (
        "settings.machine_only", user.resolve(), section, key, 4)
    for language in ("en", "zh_CN"):
        said = describe_setting(problem, words_in(language))
        assert str(machine.resolve()) in said and "ui.theme" in said, said
    assert "station's, not a person's" in describe_setting(problem, words_in("en"))
    assert machine.read_bytes() == before
    assert not (station_home / "station.db").exists()


def test_a_person_may_set_only_the_personal_keys(station_home: Path, machine: Path) -> None:
    assert config.PERSONAL == ("ui.language", "ui.theme", "dashboard.shifts",
                               "dashboard.reserve", "dashboard.refresh")
    _user(station_home, "[ui]\nlanguage = en\ntheme = dark\n[dashboard]\nshifts = "
                        "a=06:00-18:00\nreserve = 10\nrefresh = 60\n")
    cfg = load_config()
    for name in config.PERSONAL:
        assert cfg.source_of(*name.split(".")).kind == "user", name


def test_the_persons_older_file_is_read_as_upgraded_and_left_as_it_is(
        station_home: Path, machine: Path) -> None:
    text = "[ui]\npage_size = 50\ntheme = dark\n"
    user = _user(station_home, text)
    cfg = load_config()
    assert cfg.settings.ui.theme == "dark"
    assert user.read_text(encoding="utf-8") == text
    assert sorted(p.name for p in user.parent.iterdir()) == ["station.ini"]


# ------------------------------------------------------------------ saving


def test_a_save_goes_into_the_machine_file_only_and_the_screen_shows_what_wins(
        station_home: Path, machine: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    user = _user(station_home, "[ui]\ntheme = dark\n")
    user_bytes = user.read_bytes()
    monkeypatch.setenv("PACKLINE_STATION_CODE", "ST-E")
    cfg = load_config(flags=["ui.language=en"])
    settings = cfg.settings
    with caplog.at_level(logging.WARNING, logger="packline.config"):
        settings.set("station.code", "ST-SAVED")
        settings.set("dashboard.reserve", 20)
        settings.save()
    assert "station.code is set to 'ST-SAVED'" in caplog.text
    assert "environment variable PACKLINE_STATION_CODE decides it" in caplog.text
    assert "dashboard.reserve" not in caplog.text
    assert Settings.load(machine).station.code == "ST-SAVED"
    assert Settings.load(machine).dashboard.reserve == 20
    assert "language = zh_CN" in machine.read_text(encoding="utf-8")  # --set is not saved
    assert user.read_bytes() == user_bytes
    assert settings.station.code == "ST-E"  # the effective value, still the environment's
    assert settings.dashboard.reserve == 20
    assert settings.ui.language == "en"


def test_the_devices_screens_save_keeps_the_layers_over_the_file(
        station_home: Path, machine: Path) -> None:
    user = _user(station_home, "[ui]\ntheme = dark\n")
    user_bytes = user.read_bytes()
    cfg = load_config(flags=["station.code=ST-F"])
    devices.save_spec(cfg.settings, _admin(), devices.DeviceSpec("bench", "scale",
                                                                 "sim://bench"))
    assert "[device:bench]" in machine.read_text(encoding="utf-8")
    assert user.read_bytes() == user_bytes
    assert [s.name for s in devices.load_specs(cfg.settings)][:1] == ["bench"]
    assert (cfg.settings.station.code, cfg.settings.ui.theme) == ("ST-F", "dark")
    assert cfg.source_of("ui", "theme").kind == "user"


# ------------------------------------------------------------------ the reader's language


def test_the_language_of_a_refusal_follows_the_layers(
        station_home: Path, machine: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert station_language() == "zh_CN"
    _user(station_home, "[ui]\nlanguage = en\n[dashboard]\nrefresh = 1\n")
    assert station_language() == "en"  # the person's file, broken elsewhere, still says so
    monkeypatch.setenv("PACKLINE_UI_LANGUAGE", "zh_cn")
    assert station_language() == "zh_CN"
    assert station_language(flags=["ui.language=EN", "log.level=x"]) == "en"
    assert station_language(flags=["ui.language=klingon"]) == "zh_CN"


# ------------------------------------------------------------------ the machine's folders


@pytest.fixture
def platform_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No PACKLINE_HOME: the machine's and the person's folders, as platformdirs finds them
    through the XDG variables, inside tmp_path."""
    monkeypatch.delenv("PACKLINE_HOME", raising=False)
    monkeypatch.delenv("PACKLINE_USER_HOME", raising=False)
    monkeypatch.delenv("PACKLINE_CENTRAL_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_DIRS", str(tmp_path / "share"))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "etc"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "person" / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "person" / "config"))
    return tmp_path


def test_without_packline_home_the_station_is_the_machines(platform_folders: Path) -> None:
    t = platform_folders
    assert Path(platformdirs.site_data_dir("Packline", appauthor=False)) == t / "share/Packline"
    _write(t / "person/config/Packline/station.ini", "[ui]\ntheme = dark\n")
    cfg = load_config()
    assert (cfg.paths.home, cfg.paths.data_from, cfg.paths.data_note) == (
        t / "share/Packline", "machine", "")
    assert cfg.paths.station_db == t / "share/Packline/station.db"
    assert cfg.paths.settings == t / "etc/Packline/station.ini"
    assert cfg.paths.user == t / "person/config/Packline/station.ini"
    assert cfg.paths.layout == t / "person/config/Packline/ui-state.ini"
    assert cfg.central_url == f"sqlite:///{t / 'share/Packline/station.db'}"
    assert cfg.setting_files() == [("machine", t / "etc/Packline/station.ini", False),
                                   ("user", t / "person/config/Packline/station.ini", True)]
    assert cfg.settings.ui.theme == "dark"
    assert not (t / "person/data").exists()
    # The station saves into the machine-wide file.
    cfg.settings.set("station.code", "ST-MACHINE")
    cfg.settings.save()
    assert Settings.load(t / "etc/Packline/station.ini").station.code == "ST-MACHINE"
    assert load_config().source_of("station", "code").path == t / "etc/Packline/station.ini"


def test_of_several_machine_folders_the_one_holding_the_station_wins(
        platform_folders: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    t = platform_folders
    monkeypatch.setenv("XDG_DATA_DIRS", f"{t / 'a'}:{t / 'b'}")
    monkeypatch.setenv("XDG_CONFIG_DIRS", f"{t / 'etc1'}:{t / 'etc2'}")
    _write(t / "etc2/Packline/station.ini", "[station]\ncode = ST-ETC2\n")
    (t / "b/Packline").mkdir(parents=True)
    sqlite3.connect(t / "b/Packline/station.db").close()
    cfg = load_config()
    assert cfg.paths.home == t / "b/Packline"
    assert cfg.paths.settings == t / "etc2/Packline/station.ini"
    assert cfg.settings.station.code == "ST-ETC2"
    assert not (t / "a/Packline").exists() and not (t / "etc1/Packline").exists()


def test_a_machine_folder_this_user_cannot_write_falls_back_to_the_persons(
        platform_folders: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    t = platform_folders
    _write(t / "not-a-folder", "a file where the folder would be\n")
    monkeypatch.setenv("XDG_DATA_DIRS", str(t / "not-a-folder" / "share"))
    cfg = load_config()
    fallback = t / "person/data/Packline"
    assert (cfg.paths.home, cfg.paths.data_from) == (fallback, "user")
    assert str(t / "not-a-folder" / "share" / "Packline") in cfg.paths.data_note
    assert cfg.paths.settings == fallback / "station.ini"  # a developer's checkout, as ever
    assert cfg.paths.station_db == fallback / "station.db"
    assert fallback.is_dir()
    with caplog.at_level(logging.WARNING, logger="packline.config"):
        secure_station(cfg)
    said = [r.getMessage() for r in caplog.records if "machine-wide data folder" in
            r.getMessage()]
    assert len(said) == 1 and str(fallback) in said[0], said


def _old_station(folder: Path, **store: Any) -> subprocess.Popen[str] | None:
    """A station an older Packline kept in the person's data folder."""
    _write(folder / "station.ini", "[station]\ncode = ST-OLD\n")
    _write(folder / "station.ini.v1.bak", "[ui]\npage_size = 50\n")
    _write(folder / "logs/packline.log", "old log\n")
    _write(folder / "ui-state.ini", "[General]\ntheme=dark\n")
    return old_store(folder, **store)


def _events(store: Path) -> list[tuple[str, bool]]:
    db = sqlite3.connect(store)
    try:
        return [(str(payload), pushed is None) for payload, pushed in db.execute(
            "SELECT payload, pushed_at FROM outbox ORDER BY seq")]
    finally:
        db.close()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_an_older_per_person_station_is_copied_into_the_machines_folders(
        platform_folders: Path, caplog: pytest.LogCaptureFixture) -> None:
    t = platform_folders
    old = t / "person/data/Packline"
    _old_station(old, sent=1, waiting=2)
    events = _events(old / "station.db")
    assert [w for _p, w in events] == [False, True, True]
    cfg = load_config()
    home = t / "share/Packline"
    assert cfg.paths.home == home
    assert cfg.settings.station.code == "ST-OLD"
    assert cfg.paths.settings == t / "etc/Packline/station.ini"
    assert (t / "etc/Packline/station.ini.v1.bak").is_file()
    assert _events(home / "station.db") == events  # every event, the WAL's last ones too
    assert sqlite3.connect(home / "station.db").execute(
        "PRAGMA integrity_check").fetchone() == ("ok",)
    assert (home / "logs/packline.log").read_text(encoding="utf-8") == "old log\n"
    assert "theme=dark" in cfg.paths.layout.read_text(encoding="utf-8")
    # Copies, private like everything of the station; the old things renamed aside, kept.
    for made in (home / "station.db", home / "logs/packline.log", home / "logs",
                 t / "etc/Packline/station.ini"):
        assert _mode(made) & 0o077 == 0, made
    assert sorted(p.name for p in old.iterdir()) == [
        "logs.moved-to-machine", "station.db.moved-to-machine", "station.ini.before-machine",
        "station.ini.v1.bak"]
    assert _events(old / "station.db.moved-to-machine") == events
    assert not list(home.glob(".*copying*"))
    with caplog.at_level(logging.WARNING, logger="packline.config"):
        secure_station(cfg)
    assert f"copied the station's store {old / 'station.db'} to {home / 'station.db'}" \
        in caplog.text
    assert "tightened" not in caplog.text  # made private from the start
    assert load_config().notes == ()  # once


def test_an_older_station_still_in_use_is_left_for_a_later_start(
        platform_folders: Path) -> None:
    t = platform_folders
    old = t / "person/data/Packline"
    running = _old_station(old, waiting=1, hold=True)
    assert running is not None
    try:
        cfg = load_config()
        assert any("is in use" in note for note in cfg.notes), cfg.notes
        assert not (t / "share/Packline/station.db").exists()
        assert (old / "station.ini").is_file() and (old / "station.db").is_file()
    finally:
        end_holding(running)
    cfg = load_config()
    assert [w for _p, w in _events(t / "share/Packline/station.db")] == [True]
    assert cfg.settings.station.code == "ST-OLD"


def test_an_older_per_person_station_beside_the_machines_own_is_kept_aside(
        platform_folders: Path) -> None:
    t = platform_folders
    _write(t / "etc/Packline/station.ini", "[station]\ncode = ST-IT\n")
    (t / "share/Packline").mkdir(parents=True)
    sqlite3.connect(t / "share/Packline/station.db").close()
    old = t / "person/data/Packline"
    _old_station(old, sent=2, waiting=0)
    cfg = load_config()
    assert cfg.settings.station.code == "ST-IT"
    assert len(_events(old / "station.db.before-machine")) == 2
    assert (old / "station.ini.before-machine").read_text(encoding="utf-8") == \
        "[station]\ncode = ST-OLD\n"
    assert not (old / "station.db").exists() and not (old / "station.ini").exists()
    assert any("nothing in its outbox waiting" in note for note in cfg.notes)
    assert load_config().notes == ()


def test_an_older_store_with_events_to_send_stays_where_it_is_and_the_log_says_how_to_send(
        platform_folders: Path, caplog: pytest.LogCaptureFixture) -> None:
    t = platform_folders
    _write(t / "etc/Packline/station.ini", "[station]\ncode = ST-IT\n")
    (t / "share/Packline").mkdir(parents=True)
    sqlite3.connect(t / "share/Packline/station.db").close()
    old = t / "person/data/Packline"
    _old_station(old, sent=1, waiting=3)
    files = {name: (old / name).read_bytes() for name in ("station.db", "station.db-wal")}
    cfg = load_config()
    assert cfg.settings.station.code == "ST-IT"
    # The store untouched, its WAL included; the settings renamed, still there to send with.
    assert {name: (old / name).read_bytes() for name in files} == files
    assert (old / "station.ini.before-machine").read_text(encoding="utf-8") == \
        "[station]\ncode = ST-OLD\n"
    assert not (old / "station.ini").exists()
    assert config.left_behind(cfg.paths) == (old, 3)
    with caplog.at_level(logging.WARNING, logger="packline.config"):
        secure_station(cfg)
    said = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING
            and "not sent to the central database" in r.getMessage()]
    assert len(said) == 1, caplog.text
    assert str(old) in said[0] and "still holds 3 event(s)" in said[0]
    assert f'packline --home "{old}" sync once' in said[0]
    # Said at every start until they are sent.
    caplog.clear()
    again = load_config()
    assert any("still holds 3 event(s)" in note for note in again.notes)
    assert [w for _p, w in _events(old / "station.db")] == [False, True, True, True]


def test_the_machines_folders_are_never_in_the_persons_home_nor_another_accounts(
        platform_folders: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    t = platform_folders
    person = t / "person"
    monkeypatch.setenv("HOME", str(person))
    flatpak = person / ".local/share/flatpak/exports/share"
    theirs = t / "theirs"
    theirs.mkdir()
    os.chown(theirs, 4321, 4321)  # another account's folder
    monkeypatch.setenv("XDG_DATA_DIRS", f"{flatpak}:{theirs / 'share'}:{t / 'share'}")
    monkeypatch.setenv("XDG_CONFIG_DIRS", f"{person / '.config-dirs'}:{theirs}:{t / 'etc'}")
    cfg = load_config()
    assert (cfg.paths.home, cfg.paths.data_from) == (t / "share/Packline", "machine")
    assert cfg.paths.settings == t / "etc/Packline/station.ini"
    assert not flatpak.exists() and not (theirs / "share").exists()
    # Even one already holding a store and settings is not the machine's.
    (flatpak / "Packline").mkdir(parents=True)
    sqlite3.connect(flatpak / "Packline/station.db").close()
    _write(person / ".config-dirs/Packline/station.ini", "[station]\ncode = ST-MINE\n")
    cfg = load_config()
    assert cfg.paths.home == t / "share/Packline"
    assert cfg.settings.station.code == "ST-01"
    # A service account whose home is / still finds the machine's folders.
    monkeypatch.setenv("HOME", "/")
    assert not config._not_the_machines(t / "share")


def test_a_bad_setting_moves_nothing_and_makes_no_folder(platform_folders: Path) -> None:
    t = platform_folders
    old = t / "person/data/Packline"
    _old_station(old, waiting=1)
    before = sorted(p.name for p in old.iterdir())
    problem = _refused(flags=["station.kind=forklift"])
    assert problem.code == "settings.bad_choice"
    _write(t / "person/config/Packline/station.ini", "[ui]\ntheme = purple\n")
    assert _refused().code == "settings.bad_choice"
    assert sorted(p.name for p in old.iterdir()) == before
    assert not (t / "share").exists() and not (t / "etc").exists()
    # The older station's own settings file is checked before it moves in.
    (t / "person/config/Packline/station.ini").unlink()
    _write(old / "station.ini", "[station]\nkind = forklift\n")
    assert _refused().path == old / "station.ini"
    assert sorted(p.name for p in old.iterdir()) == before
    assert not (t / "share").exists() and not (t / "etc").exists()


def test_a_one_folder_station_keeps_its_folder_and_its_layout_moves_to_the_persons(
        station_home: Path) -> None:
    _write(station_home / "ui-state.ini", "[General]\ntheme=dark\n")
    cfg = load_config()
    assert (cfg.paths.home, cfg.paths.data_from) == (station_home.resolve(), "home")
    assert not (station_home / "ui-state.ini").exists()
    assert "theme=dark" in (station_home / "user/ui-state.ini").read_text(encoding="utf-8")
    assert config.station_paths(station_home) == cfg.paths
