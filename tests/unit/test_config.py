"""Station configuration (app.config): defaults, PACKLINE_HOME and PACKLINE_CENTRAL_URL, the
station.ini file with typed keys, refusals that name the key, and save → load."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

from app.config import OPTIONS, Paths, Settings, SettingsError, load_config, packline_home


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


def test_packline_home_default_is_the_platform_data_folder(monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    monkeypatch.delenv("PACKLINE_HOME", raising=False)
    assert packline_home() == Path(platformdirs.user_data_dir("Packline", appauthor=False))
    monkeypatch.setenv("PACKLINE_HOME", "   ")
    assert packline_home() == Path(platformdirs.user_data_dir("Packline", appauthor=False))


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
