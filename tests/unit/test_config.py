"""Station configuration (app.config): defaults, PACKLINE_HOME and PACKLINE_CENTRAL_URL, the
station.ini file with typed keys, refusals that name the key, and save → load."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import platformdirs
import pytest

from app.config import (
    OPTIONS,
    SECTION_TYPES,
    CentralSettings,
    DashboardSettings,
    DemoSettings,
    EngineSettings,
    LogSettings,
    Paths,
    Settings,
    SettingsError,
    StationSettings,
    UiSettings,
    load_config,
    packline_home,
)


def _write_ini(home: Path, text: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "station.ini").write_text(text, encoding="utf-8")


def test_defaults_without_a_settings_file(station_home: Path) -> None:
    cfg = load_config()
    assert cfg.paths.home == station_home.resolve()
    assert station_home.is_dir()
    assert not cfg.paths.settings.exists()
    s = cfg.settings
    assert s.get("station.code") == "ST-01"
    assert s.get("station.kind") == "packing"
    assert s.get("ui.language") == "zh_CN"
    assert s.get("central.connect_timeout") == 5
    assert s.get("central.url") == ""
    assert s.get("log.level") == "INFO"
    assert s.get("demo.seed_on_first_start") is True
    for option in OPTIONS:
        assert s.get(option.name) == option.default, option.name
        assert option.doc


def test_without_any_url_the_central_database_is_sqlite_in_home(station_home: Path) -> None:
    cfg = load_config()
    assert cfg.central_url == f"sqlite:///{station_home.resolve() / 'station.db'}"
    assert cfg.embedded is True
    assert cfg.paths.station_db == station_home.resolve() / "station.db"
    assert cfg.paths.logs == station_home.resolve() / "logs"
    assert cfg.paths.prints == station_home.resolve() / "prints"


def test_the_settings_file_names_the_central_database(station_home: Path) -> None:
    _write_ini(station_home, "[central]\nurl = postgresql+psycopg://db.example/packline\n")
    cfg = load_config()
    assert cfg.central_url == "postgresql+psycopg://db.example/packline"
    assert cfg.embedded is False


def test_the_environment_wins_over_the_settings_file(station_home: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    _write_ini(station_home, "[central]\nurl = postgresql+psycopg://from-file/packline\n")
    monkeypatch.setenv("PACKLINE_CENTRAL_URL", " postgresql+psycopg://from-env/packline ")
    assert load_config().central_url == "postgresql+psycopg://from-env/packline"
    monkeypatch.setenv("PACKLINE_CENTRAL_URL", "")
    assert load_config().central_url == "postgresql+psycopg://from-file/packline"


def test_an_explicit_home_wins_over_the_environment(station_home: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    cfg = load_config(other)
    assert cfg.paths.home == other and other.is_dir()
    assert cfg.central_url == f"sqlite:///{other / 'station.db'}"
    assert not station_home.exists()


def test_without_packline_home_the_data_folder_is_the_machines(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_DIRS", str(tmp_path / "share"))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "etc"))
    monkeypatch.delenv("PACKLINE_HOME", raising=False)
    machine = Path(platformdirs.site_data_dir("Packline", appauthor=False))
    assert machine == tmp_path / "share" / "Packline"
    assert packline_home() == machine
    monkeypatch.setenv("PACKLINE_HOME", "   ")
    assert packline_home() == machine


def test_typed_values_are_read(station_home: Path) -> None:
    _write_ini(station_home, "[station]\ncode = ST-HZ-PACK-03\nname = 杭州仓 打包台 3\n"
                             "[ui]\nlanguage = en\n[central]\nconnect_timeout = 12\n"
                             "[demo]\nseed_on_first_start = off\n"
                             "[printers]\ndefault = label1\n[printer:label1]\nurl = file://\n")
    s = load_config().settings
    assert s.get("station.code") == "ST-HZ-PACK-03"
    assert s.get("station.name") == "杭州仓 打包台 3"
    assert s.get("central.connect_timeout") == 12
    assert s.get("ui.language") == "en"
    assert s.get("demo.seed_on_first_start") is False


def test_each_registered_section_reads_as_a_frozen_typed_dataclass(station_home: Path) -> None:
    _write_ini(station_home, "[station]\ncode = ST-HZ-PACK-03\nkind = Dock\n"
                             "[log]\nlevel = warn\nbackups = 0\n[engine]\nembedded = no\n")
    s = load_config().settings
    assert s.station == StationSettings(code="ST-HZ-PACK-03", name="", warehouse="",
                                        kind="dock")
    assert s.ui == UiSettings(language="zh_CN", theme="light")
    assert s.central == CentralSettings(url="", connect_timeout=5, read_url="", pooled=False)
    assert s.log == LogSettings(level="WARNING", max_bytes=5_000_000, backups=0)
    assert not s.log.rotates and LogSettings("INFO", 100, 1).rotates
    assert s.engine == EngineSettings(embedded=False)
    assert s.demo == DemoSettings(seed_on_first_start=True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.station.code = "ST-2"  # type: ignore[misc]
    s.set("station.code", "ST-2")  # a change made through the settings is what they read
    assert s.station.code == "ST-2"


def test_the_typed_sections_hold_every_registered_key_in_its_order() -> None:
    for name, cls in SECTION_TYPES.items():
        assert [f.name for f in dataclasses.fields(cls)] == \
            [o.key for o in OPTIONS if o.section == name], name
    # Every section but the file's own version, which `Settings.version` reads.
    assert set(SECTION_TYPES) == {o.section for o in OPTIONS} - {"settings"}


def test_comments_after_a_value_or_a_section_are_comments(station_home: Path) -> None:
    """As the README writes them: `key = value   ; why` and `# …` after a value or a header."""
    _write_ini(station_home, "[station]          ; this bench\n"
                             "code = ST-HZ-PACK-03   ; shown in the audit log\n"
                             "name = 打包台 3 # by the dock door\n"
                             "[central]\nconnect_timeout = 12 ; seconds\n"
                             "[printer:label]\nurl = tcp://192.168.1.50:9100     ; raw 9100\n")
    s = load_config().settings
    assert s.get("station.code") == "ST-HZ-PACK-03"
    assert s.get("station.name") == "打包台 3"
    assert s.get("central.connect_timeout") == 12
    assert s.section("printer:label")["url"] == "tcp://192.168.1.50:9100"


@pytest.mark.parametrize(("text", "value"), [
    ("1", True), ("yes", True), ("TRUE", True), ("on", True),
    ("0", False), ("no", False), ("False", False), ("OFF", False), ("", True),
])
def test_booleans(station_home: Path, text: str, value: bool) -> None:
    _write_ini(station_home, f"[demo]\nseed_on_first_start = {text}\n")
    assert load_config().settings.get("demo.seed_on_first_start") is value


@pytest.mark.parametrize(("text", "words"), [
    ("[demo]\nseed_on_first_start = maybe\n", ("[demo] seed_on_first_start", "maybe")),
    ("[central]\nconnect_timeout = lots\n", ("[central] connect_timeout", "lots")),
    ("[central]\nconnect_timeout = 1.5\n", ("[central] connect_timeout",)),
    ("[log]\nbackups = -\n", ("[log] backups",)),
    ("[ui]\ncolour = blue\n", ("unknown key", "[ui] colour")),
    ("[scanner]\nport = /dev/ttyUSB0\n", ("unknown key", "[scanner] port")),
    ("[ui\nlanguage = en\n", ("station.ini",)),
    ("language = en\n", ("station.ini",)),
])
def test_bad_settings_are_refused_naming_the_key(station_home: Path, text: str,
                                                 words: tuple[str, ...]) -> None:
    _write_ini(station_home, text)
    with pytest.raises(SettingsError) as caught:
        load_config()
    message = str(caught.value)
    assert str(station_home.resolve() / "station.ini") in message
    for word in words:
        assert word in message


def test_save_then_load_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "deploy" / "station.ini"
    settings = Settings.load(path)
    settings.set("station.code", "ST-GZ-PACK-07")
    settings.set("station.name", "广州仓 打包台 7")
    settings.set("central.connect_timeout", 9)
    settings.set("demo.seed_on_first_start", False)
    settings.set("central.url", "postgresql+psycopg://u:p%40ss@central:5432/packline")
    settings.save()
    assert path.exists() and not path.with_suffix(".tmp").exists()

    loaded = Settings.load(path)
    for option in OPTIONS:
        assert loaded.get(option.name) == settings.get(option.name), option.name
    assert loaded.get("station.name") == "广州仓 打包台 7"
    assert loaded.get("central.connect_timeout") == 9
    assert loaded.get("demo.seed_on_first_start") is False
    assert loaded.get("central.url") == "postgresql+psycopg://u:p%40ss@central:5432/packline"
    assert load_config(tmp_path / "deploy").central_url == loaded.get("central.url")


def test_save_without_a_path_is_refused() -> None:
    with pytest.raises(SettingsError, match="no settings path"):
        Settings.empty().save()


def test_paths() -> None:
    paths = Paths(Path("/srv/station"))
    assert paths.settings == Path("/srv/station/station.ini")
    assert paths.station_db == Path("/srv/station/station.db")


# ------------------------------------------------------------------ what IT's editors write


def _write_bytes(home: Path, data: bytes) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = home / "station.ini"
    path.write_bytes(data)
    return path


def test_a_utf8_bom_as_notepad_writes_it_is_read(station_home: Path) -> None:
    _write_bytes(station_home, b"\xef\xbb\xbf[station]\ncode = ST-HZ-PACK-03\n"
                 + "name = 杭州仓 打包台 3\n".encode())
    s = load_config().settings
    assert (s.get("station.code"), s.get("station.name")) == ("ST-HZ-PACK-03", "杭州仓 打包台 3")


def test_a_gb18030_file_as_chinese_windows_writes_it_is_read(station_home: Path) -> None:
    text = "; 杭州仓的打包台\n[station]\nname = 杭州仓 打包台 3 𠀀\n[ui]\nlanguage = en\n"
    _write_bytes(station_home, text.encode("gb18030"))
    s = load_config().settings
    assert s.get("station.name") == "杭州仓 打包台 3 𠀀"
    assert s.get("ui.language") == "en"


def test_bytes_neither_utf8_nor_gb18030_name_the_file_and_the_line(station_home: Path) -> None:
    path = _write_bytes(station_home, "[station]\nname = 打包台\n".encode()
                        + b"code = ST-\xff\xfe\n")
    with pytest.raises(SettingsError) as caught:
        load_config()
    exc = caught.value
    assert (exc.code, exc.path, exc.line) == ("settings.bad_encoding", path.resolve(), 3)
    assert f"{path.resolve()}, line 3" in str(exc) and "0xFF" in str(exc)


@pytest.mark.parametrize(("text", "section", "key", "line", "words"), [
    ("[log]\nlevel = VERBOSE\n", "log", "level", 2, "DEBUG, INFO, WARNING, ERROR, CRITICAL"),
    ("[station]\ncode = ST-1\nkind = forklift\n", "station", "kind", 3,
     "packing, picking, office, dock"),
    ("[ui]\nlanguage = klingon\n", "ui", "language", 2, "zh_CN, en"),
    ("[central]\nconnect_timeout = -5\n", "central", "connect_timeout", 2, "1 to 600"),
    ("[central]\nconnect_timeout = 0\n", "central", "connect_timeout", 2, "1 to 600"),
    ("[central]\nconnect_timeout = " + "9" * 5000 + "\n", "central", "connect_timeout", 2,
     "1 to 600"),
    ("[log]\nbackups = -1\n", "log", "backups", 2, "0 to 100"),
    ("[log]\nmax_bytes = 99\n", "log", "max_bytes", 2, "100 to 1000000000 (0: never rotate)"),
    ("[station]\ncode = ST\x00-1\n", "station", "code", 2, "U+0000"),
    ("[station]\ncode = ST 01\n", "station", "code", 2, "not a code"),
    ("[station]\nwarehouse = 杭州\n", "station", "warehouse", 2, "not a code"),
    ("[station]\nname = 打包台\u202e3\n", "station", "name", 2, "U+202E"),
    ("\n\n[demo]\nseed_on_first_start = maybe\n", "demo", "seed_on_first_start", 4, "maybe"),
])
def test_every_choice_and_range_is_checked_naming_section_key_and_line(
        station_home: Path, text: str, section: str, key: str, line: int, words: str) -> None:
    _write_ini(station_home, text)
    with pytest.raises(SettingsError) as caught:
        load_config()
    exc = caught.value
    assert (exc.section, exc.key, exc.line) == (section, key, line)
    assert f"line {line}: [{section}] {key}: " in str(exc)
    assert words in str(exc)


@pytest.mark.parametrize(("text", "name", "value"), [
    ("[log]\nlevel = WARN\n", "log.level", "WARNING"),
    ("[log]\nlevel = warn\n", "log.level", "WARNING"),
    ("[log]\nlevel = CRITICAL\n", "log.level", "CRITICAL"),
    ("[log]\nlevel = FATAL\n", "log.level", "CRITICAL"),
    ("[log]\nmax_bytes = 0\n", "log.max_bytes", 0),
    ("[log]\nbackups = 0\n", "log.backups", 0),
])
def test_old_log_settings_still_start_the_app(station_home: Path, text: str, name: str,
                                               value: object) -> None:
    """Values station files held before the settings were checked, which meant something."""
    _write_ini(station_home, text)
    assert load_config().settings.get(name) == value


def test_choices_are_read_in_any_case_and_given_back_as_registered(station_home: Path) -> None:
    _write_ini(station_home, "[log]\nlevel = debug\n[ui]\nlanguage = ZH_cn\n"
                             "[station]\nkind = Dock\n")
    s = load_config().settings
    assert (s.get("log.level"), s.get("ui.language"), s.get("station.kind")) == (
        "DEBUG", "zh_CN", "dock")


def test_setting_a_bad_value_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "station.ini"
    path.write_text("[central]\nconnect_timeout = 7\n", encoding="utf-8")
    settings = Settings.load(path)
    with pytest.raises(SettingsError, match=r"\[central\] connect_timeout: -5 is outside"):
        settings.set("central.connect_timeout", -5)
    assert settings.get("central.connect_timeout") == 7
    assert settings.text() == "[central]\nconnect_timeout = 7\n"


IT_FILE = """\
# Packline station settings for 杭州仓 bench 3 (IT: 王工, ext. 8123)
# deployed by the login script; do not edit by hand on the bench

[station]          ; this bench
; shown in the audit log
code = ST-HZ-PACK-03   ; as on the asset tag
name = 杭州仓 打包台 3

[central]
# the password comes from the keyring
connect_timeout = 12 ; seconds
"""


def test_saving_keeps_every_comment_and_only_the_changed_line_changes(tmp_path: Path) -> None:
    path = tmp_path / "station.ini"
    path.write_text(IT_FILE, encoding="utf-8")
    settings = Settings.load(path)
    settings.set("central.connect_timeout", 20)
    settings.set("station.name", "杭州仓 打包台 3")  # the same: left as written
    assert settings.section("central") == {"connect_timeout": "20"}
    settings.save()
    after = path.read_text(encoding="utf-8")
    assert after == IT_FILE.replace("connect_timeout = 12 ; seconds",
                                    "connect_timeout = 20   ; seconds")
    assert Settings.load(path).get("central.connect_timeout") == 20


def test_a_save_keeps_comment_lines_that_start_with_blanks(tmp_path: Path) -> None:
    """IT notes among a key's lines (the README's [scan] patterns) and under a header,
    indented: the reading library dropped them, so a save lost them."""
    text = ("  # bench 3\n[scan]\n    ; the waybills we take\nwaybill = ^SF[0-9]{12}$\n"
            "    ; the old JD codes, until March\n    ^JD[0-9]{11}$\n\t# end of list\n"
            "[central]\nconnect_timeout = 12\n")
    path = tmp_path / "station.ini"
    path.write_text(text, encoding="utf-8")
    settings = Settings.load(path)
    assert settings.text() == text
    assert settings.section("scan") == {"waybill": "^SF[0-9]{12}$\n^JD[0-9]{11}$"}
    settings.set("central.connect_timeout", 20)
    settings.save()
    assert path.read_text(encoding="utf-8") == text.replace("= 12", "= 20")


def test_a_value_that_would_read_back_otherwise_is_not_saved(tmp_path: Path) -> None:
    path = tmp_path / "station.ini"
    path.write_text(IT_FILE, encoding="utf-8")
    settings = Settings.load(path)
    settings.update_section("printers", {"default": "label ;2"})
    with pytest.raises(SettingsError) as caught:
        settings.save()
    assert (caught.value.section, caught.value.key) == ("printers", "default")
    assert path.read_text(encoding="utf-8") == IT_FILE


@pytest.mark.parametrize("text", ["[log]\nmax_bytes = 0\nbackups = 2\n",
                                  "[log]\nmax_bytes = 300\nbackups = 0\n"])
def test_max_bytes_or_backups_0_mean_the_log_never_rotates(tmp_path: Path, text: str) -> None:
    import logging

    from app.logs import setup_logging

    home = tmp_path / "station"
    _write_ini(home, text)
    cfg = load_config(home)
    root = logging.getLogger("packline")
    handlers, level = list(root.handlers), root.level
    root.handlers = []
    try:
        setup_logging(cfg)
        for n in range(20):
            logging.getLogger("packline.test").warning("line %d of a log that never rotates", n)
    finally:
        for handler in root.handlers:
            handler.close()
        root.handlers, root.level = handlers, level
    assert sorted(p.name for p in cfg.paths.logs.iterdir()) == [".__packline.lock",
                                                                 "packline.log"]
    written = (cfg.paths.logs / "packline.log").read_text(encoding="utf-8")
    assert written.count("of a log that never rotates\n") == 20


def test_connect_timeout_0_is_refused_as_libpq_would_wait_for_ever(station_home: Path) -> None:
    _write_ini(station_home, "[central]\nconnect_timeout = 0\n")
    with pytest.raises(SettingsError) as caught:
        load_config()
    assert (caught.value.key, caught.value.code) == ("connect_timeout", "settings.out_of_range")


README_SCAN = """\
[scan]
waybill = ^SF[0-9]{12,13}$
    ^ZT[0-9]{12}$   ; ZTO
# ^YT[0-9]{13}$ : Yunda, not used here
    ^JD[0-9A-Z]{2}[0-9]{11}$
; the character scanners send
gs_substitute = |
"""


def test_comments_inside_a_value_over_several_lines_are_not_part_of_it(tmp_path: Path) -> None:
    from app.devices import scan_patterns
    from drivers.barcode import parse_scan

    path = tmp_path / "station.ini"
    path.write_text(README_SCAN, encoding="utf-8")
    settings = Settings.load(path)
    assert settings.section("scan") == {
        "waybill": "^SF[0-9]{12,13}$\n^ZT[0-9]{12}$\n^JD[0-9A-Z]{2}[0-9]{11}$",
        "gs_substitute": "|"}
    patterns = scan_patterns(settings)
    assert patterns.waybill == ("^SF[0-9]{12,13}$", "^ZT[0-9]{12}$", "^JD[0-9A-Z]{2}[0-9]{11}$")
    assert parse_scan("ZT123456789012", patterns).kind.value == "waybill"
    assert parse_scan("YT1234567890123", patterns).kind.value != "waybill"


@pytest.mark.parametrize(("encoding", "bom"), [("gb18030", b""), ("utf-8", b"\xef\xbb\xbf"),
                                               ("utf-8", b"")])
def test_a_save_keeps_the_files_encoding_and_bom(tmp_path: Path, encoding: str,
                                                 bom: bytes) -> None:
    path = tmp_path / "station.ini"
    text = "# 杭州仓 打包台\n[station]\nname = 杭州仓 打包台 1 ; 名字\n"
    path.write_bytes(bom + text.encode(encoding))
    settings = Settings.load(path)
    settings.set("station.code", "ST-HZ-9")
    settings.save()
    assert path.read_bytes() == bom + (text + "code = ST-HZ-9\n").encode(encoding)
    assert Settings.load(path).get("station.name") == "杭州仓 打包台 1"


def test_a_value_the_files_encoding_cannot_hold_is_saved_as_utf8_and_logged(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "station.ini"
    path.write_bytes("[station]\nname = 打包台\n".encode("gb18030"))
    settings = Settings.load(path)
    settings.encoding = "ascii"  # (GB18030 holds every character; a narrower one shows it)
    settings.set("station.name", "打包台 2")
    with caplog.at_level("WARNING", logger="packline.config"):
        settings.save()
    assert path.read_bytes() == "[station]\nname = 打包台 2\n".encode()
    assert "saved as UTF-8 instead" in caplog.text


def test_a_comment_after_a_value_stays_with_a_colon_as_delimiter(tmp_path: Path) -> None:
    from app.devices import DeviceSpec, save_spec
    from app.domain.roles import Role
    from app.services.context import Actor

    path = tmp_path / "station.ini"
    path.write_text("[device:scale2]\nkind: scale\nurl: serial:///dev/ttyUSB0?baud=9600 ; bench\n",
                    encoding="utf-8")
    settings = Settings.load(path)
    admin = Actor(user_id=None, code="admin", name="admin", role=Role.ADMIN, station="ST-T")
    save_spec(settings, admin, DeviceSpec("scale2", "scale", "serial:///dev/ttyUSB1?baud=9600",
                                          {}), replaces="scale2")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[:2] == ["[device:scale2]", "kind: scale"]
    assert lines[2].replace(" :", ":") == "url: serial:///dev/ttyUSB1?baud=9600   ; bench"
    assert Settings.load(path).section("device:scale2")["url"] == \
        "serial:///dev/ttyUSB1?baud=9600"


def test_a_value_set_over_an_empty_one_reads_back_before_and_after_saving(
        tmp_path: Path) -> None:
    # Found by `make fuzz`: the held reading kept the old, empty value after a change.
    settings = Settings.from_bytes(b"[central]\n# \nurl = \n[demo]\n", tmp_path / "station.ini",
                                   check=False)
    settings.set("central.url", "sqlite:///central.db")
    assert settings.section("central") == {"url": "sqlite:///central.db"}
    settings.save()
    again = Settings.from_bytes((tmp_path / "station.ini").read_bytes(),
                                tmp_path / "station.ini", check=False)
    assert again.section("central") == {"url": "sqlite:///central.db"}


@pytest.mark.parametrize("shifts", ["08-20", "day=08:00", "08:00-20:00, 0800-2000", "白班"])
def test_dashboard_shifts_that_are_not_clock_ranges_are_refused(station_home: Path,
                                                                shifts: str) -> None:
    _write_ini(station_home, f"[dashboard]\nshifts = {shifts}\n")
    with pytest.raises(SettingsError) as caught:
        load_config()
    assert (caught.value.key, caught.value.code) == ("shifts", "settings.bad_shifts")
    assert "[dashboard] shifts" in str(caught.value)


def test_dashboard_settings_read_with_their_defaults(station_home: Path) -> None:
    assert load_config().settings.dashboard == DashboardSettings(
        "day=08:00-20:00, night=20:00-08:00", 15, 30)
    _write_ini(station_home, "[dashboard]\nshifts = a=06:00-14:00, b=14:00-22:00, "
                             "c=22:00-06:00\nreserve = 20\nrefresh = 10\n")
    board = load_config().settings.dashboard
    assert (board.shifts, board.reserve, board.refresh) == (
        "a=06:00-14:00, b=14:00-22:00, c=22:00-06:00", 20, 10)
    _write_ini(station_home, "[dashboard]\nreserve = 150\n")
    with pytest.raises(SettingsError) as caught:
        load_config()
    assert (caught.value.key, caught.value.code) == ("reserve", "settings.out_of_range")
