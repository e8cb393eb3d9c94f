"""Where a station keeps its things and how it is set up.

`PACKLINE_HOME` is the station's folder (settings file, local store, logs, file-printer output);
`PACKLINE_CENTRAL_URL` names the central database (its password best kept out of it:
`app.store.credentials`). The settings file `station.ini` is plain INI that IT writes by hand
and deploys; every key, its type and default are registered here once. Only the station's user
may read the folder and what is in it (`secure_station`).
"""

from __future__ import annotations

import configparser
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from app import redact
from app.secure_files import private_dir, private_opener, tighten_all

log = logging.getLogger("packline.config")
SETTINGS_FILE = "station.ini"
SETTINGS_VERSION = 1


def _bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"expected true/false, got {text!r}")


@dataclass(frozen=True, slots=True)
class Option:
    section: str
    key: str
    convert: Callable[[str], Any]
    default: Any
    doc: str

    @property
    def name(self) -> str:
        return f"{self.section}.{self.key}"


OPTIONS: tuple[Option, ...] = (
    Option("station", "code", str, "ST-01", "station code shown in the audit log"),
    Option("station", "name", str, "", "human name of the station (e.g. 杭州仓 打包台 3)"),
    Option("station", "warehouse", str, "", "warehouse code this station works in"),
    Option("station", "kind", str, "packing", "packing, picking, office or dock"),
    Option("ui", "language", str, "zh_CN", "zh_CN or en"),
    Option("central", "url", str, "", "SQLAlchemy URL of the central database (best "
           "without its password: README); PACKLINE_CENTRAL_URL wins over it; empty means the "
           "embedded SQLite file"),
    Option("central", "connect_timeout", int, 5, "seconds before the central database "
           "counts as unreachable"),
    Option("log", "level", str, "INFO", "DEBUG, INFO, WARNING or ERROR"),
    Option("log", "max_bytes", int, 5_000_000, "size of one log file before it rotates"),
    Option("log", "backups", int, 5, "rotated log files kept"),
    Option("engine", "embedded", _bool, True, "run the order engine inside the app when the "
           "central database is the embedded SQLite file (false: leave it to `packline engine "
           "run`)"),
    Option("demo", "seed_on_first_start", _bool, True, "seed demo data when `packline run` "
           "finds an empty embedded database"),
)
_BY_NAME = {o.name: o for o in OPTIONS}


# Sections whose keys are checked by their own owners (printers, devices, scan patterns).
FREE_SECTIONS = ("printers", "scan")
FREE_PREFIXES = ("printer:", "device:")


class SettingsError(ValueError):
    """The settings file has a value that cannot be used; the message names the key."""


class Settings:
    """Typed view of `station.ini` with defaults from the registry above."""

    def __init__(self, parser: configparser.ConfigParser, path: Path | None = None) -> None:
        self._parser = parser
        self.path = path
        for section in parser.sections():
            for key in parser[section]:
                if f"{section}.{key}" not in _BY_NAME and section not in FREE_SECTIONS \
                        and not section.startswith(FREE_PREFIXES):
                    raise SettingsError(f"{path or 'settings'}: unknown key [{section}] {key}")
        for option in OPTIONS:
            self.get(option.name)  # refuse a bad value at start-up, not mid-shift

    @classmethod
    def empty(cls) -> Settings:
        """Defaults only, nowhere to save (tests, tools)."""
        return cls(configparser.ConfigParser(interpolation=None))

    @classmethod
    def load(cls, path: Path) -> Settings:
        # IT writes the file by hand: `key = value   ; why` is a comment, as the README shows.
        parser = configparser.ConfigParser(interpolation=None,
                                           inline_comment_prefixes=(";", "#"))
        if path.exists():
            try:
                parser.read(path, encoding="utf-8")
            except configparser.Error as exc:
                raise SettingsError(f"{path}: {exc}") from None
        return cls(parser, path)

    def get(self, name: str) -> Any:
        option = _BY_NAME[name]
        raw = self._parser.get(option.section, option.key, fallback=None)
        if raw is None or raw.strip() == "":
            return option.default
        try:
            return option.convert(raw.strip())
        except ValueError as exc:
            raise SettingsError(f"{self.path or 'settings'}: [{option.section}] {option.key}: "
                                f"{exc}") from None

    def set(self, name: str, value: Any) -> None:
        option = _BY_NAME[name]
        if not self._parser.has_section(option.section):
            self._parser.add_section(option.section)
        self._parser.set(option.section, option.key, str(value))

    def section(self, name: str) -> dict[str, str]:
        """The raw keys of one free-form section (empty when it is not there)."""
        return dict(self._parser[name]) if self._parser.has_section(name) else {}

    def sections(self, prefix: str) -> dict[str, dict[str, str]]:
        """Raw keys of every section named `prefix` + NAME, by NAME, in file order."""
        return {name[len(prefix):]: dict(self._parser[name])
                for name in self._parser.sections() if name.startswith(prefix)}

    def set_section(self, name: str, items: dict[str, str]) -> None:
        """Replace a free-form section's keys."""
        if self._parser.has_section(name):
            self._parser.remove_section(name)
        self._parser.add_section(name)
        for key, value in items.items():
            self._parser.set(name, key, value)

    def remove_section(self, name: str) -> bool:
        return self._parser.remove_section(name)

    def save(self, path: Path | None = None) -> None:
        target = path or self.path
        if target is None:
            raise SettingsError("no settings path to save to")
        if not target.parent.is_dir():
            private_dir(target.parent)
        tmp = target.with_suffix(".tmp")
        # The file may hold the central database's URL: 0600 from its first byte.
        with open(tmp, "w", encoding="utf-8", opener=private_opener) as fh:
            fh.write(f"# Packline station settings (version {SETTINGS_VERSION})\n")
            self._parser.write(fh)
        os.replace(tmp, target)


@dataclass(frozen=True, slots=True)
class Paths:
    home: Path

    @property
    def settings(self) -> Path:
        return self.home / SETTINGS_FILE

    @property
    def station_db(self) -> Path:
        return self.home / "station.db"

    @property
    def logs(self) -> Path:
        return self.home / "logs"

    @property
    def prints(self) -> Path:
        return self.home / "prints"


def packline_home() -> Path:
    env = os.environ.get("PACKLINE_HOME", "").strip()
    if env:
        return Path(env).expanduser().resolve()
    return Path(platformdirs.user_data_dir("Packline", appauthor=False))


@dataclass(frozen=True, slots=True)
class Config:
    paths: Paths
    settings: Settings
    central_url: str

    @property
    def embedded(self) -> bool:
        return self.central_url.startswith("sqlite")


def url_password(url: str) -> str | None:
    if "@" not in url and "password" not in url.lower():
        return None
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).password
    except Exception:  # noqa: BLE001 - a URL that does not parse fails later, in its own words
        return None


def load_config(home: Path | None = None) -> Config:
    paths = Paths(home or packline_home())
    if not paths.home.is_dir():
        private_dir(paths.home)
    settings = Settings.load(paths.settings)
    url = (os.environ.get("PACKLINE_CENTRAL_URL", "").strip()
           or settings.get("central.url")
           or f"sqlite:///{paths.station_db}")
    redact.remember(url_password(url))
    return Config(paths=paths, settings=settings, central_url=url)


def station_files(paths: Paths) -> list[Path]:
    """What in the station's folder only its user may read: the folder, the settings, the
    station store with its WAL files, the logs and the file printer's output."""
    found: list[Path] = []
    # The logs first: the first warning opens the log file, which would fix its mode unsaid.
    for folder in (paths.logs, paths.prints):
        if folder.is_dir():
            found += sorted(p for p in folder.iterdir() if p.is_file())
        found.append(folder)
    found += [paths.home, paths.settings, paths.station_db]
    found += [paths.home / f"station.db{suffix}" for suffix in ("-wal", "-shm", "-journal")]
    return found


def secure_station(cfg: Config) -> list[Path]:
    """At start: tighten what in the station's folder others could read (each with a warning
    naming it), and warn when station.ini holds the central database's password. Returns the
    paths tightened."""
    tightened = tighten_all(p for p in station_files(cfg.paths) if p.exists())
    if url_password(cfg.settings.get("central.url")):
        log.warning("%s: [central] url holds the database password; keep it in "
                    "PACKLINE_CENTRAL_PASSWORD, a PostgreSQL password file or the keyring "
                    "instead (README: The central database's password)", cfg.paths.settings)
    return tightened
