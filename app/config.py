"""Where a station keeps its things and how it is set up.

Folders (`station_paths`, `Paths`). A station is the machine's, shared by every account on it:
its settings file is `platformdirs.site_config_dir("Packline")/station.ini`
(C:\\ProgramData\\Packline on Windows, /etc/xdg/Packline on Linux) and its store with the
outbox, logs and file-printer output are in `site_data_dir` (C:\\ProgramData\\Packline,
/usr/local/share/Packline); on Linux the first of the XDG folders already holding them wins,
never one in the person's home or another account's (`_not_the_machines`).
When this user cannot write the machine's data folder (a checkout run without the installer)
they are in the person's `user_data_dir` instead (`Paths.data_from`, `Paths.data_note`; the
log says so at start). The person's own folder (`user_config_dir`, or $PACKLINE_USER_HOME)
holds only their settings file and the window layout. `PACKLINE_HOME` (or --home) keeps a
station in one folder, as it always was: the settings file, the store, logs/ and prints/ in
it, the person's files in its user/ (or $PACKLINE_USER_HOME). A station an older Packline kept
in the person's data folder moves into the machine's at the first start (`move_old_station`:
copied, then the old things renamed aside; a store with events still to send stays where it
is and the log and `packline doctor` say how IT sends them, `left_behind`).

Layers (`load_config`). A setting's value is the first of: `--set SECTION.KEY=VALUE` on the
command line (that run only), the environment (`PACKLINE_<SECTION>_<KEY>`, `ENV_NAMES`; so
`PACKLINE_CENTRAL_URL` names the central database, its password best kept out of it:
`app.store.credentials`), the person's settings file, the machine-wide file, the default.
Only registered keys are layered; printers, devices and scan patterns come from the
machine-wide file alone, and the person's file may set only a person's preferences
(`Option.personal`, `PERSONAL`): what says which station this is and how it runs is the
machine's. Every value is checked by its key's converter wherever it comes from, a problem
naming that source (`SettingsError.origin`, or the file and line), before anything is written
(the folders are made and an older station moved in afterwards). `Config.source_of` says which layer gave a key its value and
`Config.setting_files` which files are read. The station saves (`Settings.set`, `save`) into
the machine-wide file only; what is shown is the value in effect.

The settings file `station.ini` is plain INI that IT writes by hand and deploys; every key,
its type, its choices or range and its default are registered here once (`OPTIONS`), and code
reads them through typed sections (`Settings.station`, `Settings.central`, …: frozen
dataclasses). The file is read as UTF-8 (a BOM dropped), else
GB18030, and every value is checked at start: a `SettingsError` names the file, the line, the
section and the key (worded in the reader's language by `app.ui.messages.describe_setting`;
`packline settings check FILE` lists them all). Values are read as configparser reads them (no
interpolation; `;`/`#` comments, inside values over several lines too); the document is kept
with its comments and layout (configupdater), so a save changes only the lines of the keys
that were set, in the encoding (and BOM) the file was read in. Only the station's users may
read its data folder and settings file (`secure_station`).

The file's layout has a version (`[settings] version`; a file without one is version 1). When
the station starts, an older file is brought up to `SETTINGS_VERSION` by the `UPGRADES`
between its version and this one (`upgrade_to_N`, in order), its old bytes kept next to it
first; a file from a newer Packline is refused.
"""

from __future__ import annotations

import configparser
import logging
import os
import re
import shutil
import sqlite3
import stat
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar, get_args

import platformdirs
from configupdater import ConfigUpdater
from configupdater import Option as IniOption
from configupdater import Section as IniSection
from configupdater.block import Comment, Space

from app import redact
from app.domain.text import TextRefused, clean_line, describe
from app.secure_files import POSIX, PRIVATE_FILE, private_dir, private_opener, tighten_all

log = logging.getLogger("packline.config")
SETTINGS_FILE = "station.ini"
# The layout of station.ini (`[settings] version`). Raise it with an `upgrade_to_N` whenever a
# key is renamed, moved or dropped, so that the files already deployed follow.
SETTINGS_VERSION = 2
# A file without `[settings] version`: written before Packline read versions.
UNVERSIONED = 1
VERSION_LIMIT = 1_000_000
# `key = value   ; why` and `# …` after a value or a header are comments (the README's style).
INLINE_COMMENTS = (";", "#")
Language = Literal["zh_CN", "en"]
ThemeChoice = Literal["light", "dark", "system"]
StationKind = Literal["packing", "picking", "office", "dock"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
LANGUAGES: tuple[str, ...] = get_args(Language)
THEME_CHOICES: tuple[str, ...] = get_args(ThemeChoice)
STATION_KINDS: tuple[str, ...] = get_args(StationKind)
LOG_LEVELS: tuple[str, ...] = get_args(LogLevel)
# Python's logging also takes these names, and station files written for it use them.
LOG_LEVEL_ALIASES = {"WARN": "WARNING", "FATAL": "CRITICAL"}
# Station and warehouse codes go into audit rows, barcodes and file names.
CODE_SHAPE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")
# A device's or printer's NAME in `[device:NAME]`, `[printer:NAME]` (on screens, after
# --printer): any clean text (`clean_line`), spaces included, but no [ ] or : and not blank.
NAME_FORBIDDEN = "[]:"
NAME_LIMIT = 100
TEXT_LIMIT = 200


SourceKind = Literal["flag", "env", "user", "machine", "default"]


@dataclass(frozen=True)
class SettingsSource:
    """Where a setting's value came from: a `--set` flag, an environment variable, the
    person's own settings file, the machine-wide settings file, or Packline's default.
    `path` is the file (None for flags, the environment and defaults); `detail` names it for a
    person: the environment variable, the file's path, "--set" or "default"."""
    kind: SourceKind
    path: Path | None
    detail: str


# One layer over the machine-wide file: registry name -> (checked value, where it came from).
Layer = dict[str, tuple[Any, SettingsSource]]


def describe_source(source: SettingsSource) -> str:
    """Where a value came from, in English (the log, the command line)."""
    if source.kind == "env":
        return f"environment variable {source.detail}"
    if source.kind == "flag":
        return source.detail
    if source.kind == "default":
        return "Packline's default"
    return f"{source.kind} settings file {source.detail}"


class SettingsError(ValueError):
    """One thing wrong in the settings file. `reason` is English (log, fallback); `code` and
    `params` word it in the reader's language (`app.ui.messages.describe_setting`); `path`,
    `section`, `key` and `line` say where, as far as known."""

    def __init__(self, reason: str, *, code: str = "settings.invalid", path: Path | None = None,
                 section: str | None = None, key: str | None = None, line: int | None = None,
                 origin: SettingsSource | None = None, **params: object) -> None:
        self.reason = reason
        self.code = code
        self.params = params
        self.path = path
        self.section = section
        self.key = key
        self.line = line
        # Not from a file: the environment variable or the `--set` flag that gave the value.
        self.origin = origin
        super().__init__(reason)

    def __str__(self) -> str:
        where = []
        if self.path is not None:
            where.append(str(self.path) + (f", line {self.line}" if self.line else ""))
        elif self.origin is not None and self.origin.kind == "env":
            where.append(f"environment variable {self.origin.detail}")
        elif self.origin is not None:
            where.append(self.origin.detail)
        elif self.line:
            where.append(f"line {self.line}")
        if self.section is not None:
            where.append(f"[{self.section}]" + (f" {self.key}" if self.key is not None else ""))
        return ": ".join([*where, self.reason])

    def located(self, path: Path | None, line: int | None) -> SettingsError:
        """The same problem with the file and line filled in where they were not known."""
        if self.path is None:
            self.path = path
        if self.line is None:
            self.line = line
        return self


# ---------------------------------------------------------------------- value checkers


def choice(*allowed: str) -> Callable[[str], str]:
    """One of `allowed`, in any case; the value as the registry spells it."""
    by_lower = {a.lower(): a for a in allowed}

    def convert(text: str) -> str:
        found = by_lower.get(text.strip().lower())
        if found is None:
            raise SettingsError(f"{text!r} is not one of {', '.join(allowed)}",
                                code="settings.bad_choice", value=text,
                                allowed=", ".join(allowed))
        return found

    return convert


def whole(minimum: int, maximum: int) -> Callable[[str], int]:
    """A whole number within [minimum, maximum]."""

    def convert(text: str) -> int:
        raw = text.strip()
        if not re.fullmatch(r"[+-]?[0-9]{1,30}", raw):
            raise SettingsError(f"{text[:40]!r} is not a whole number ({minimum} to {maximum})",
                                code="settings.not_whole", value=text[:40],
                                minimum=minimum, maximum=maximum)
        value = int(raw)
        if not minimum <= value <= maximum:
            raise SettingsError(f"{value} is outside {minimum} to {maximum}",
                                code="settings.out_of_range", value=raw,
                                minimum=minimum, maximum=maximum)
        return value

    return convert


def decimal(minimum: float, maximum: float) -> Callable[[str], float]:
    """A number (decimals allowed) within [minimum, maximum]; minimum itself excluded when 0."""

    def convert(text: str) -> float:
        raw = text.strip()
        if not re.fullmatch(r"[+-]?(?:[0-9]{1,12}(?:\.[0-9]{0,6})?|\.[0-9]{1,6})", raw):
            raise SettingsError(f"{text[:40]!r} is not a number ({minimum:g} to {maximum:g})",
                                code="settings.not_number", value=text[:40],
                                minimum=f"{minimum:g}", maximum=f"{maximum:g}")
        value = float(raw)
        if not (minimum < value if minimum == 0 else minimum <= value) or value > maximum:
            raise SettingsError(f"{raw} is outside {minimum:g} to {maximum:g}",
                                code="settings.out_of_range", value=raw,
                                minimum=f"{minimum:g}", maximum=f"{maximum:g}")
        return value

    return convert


def boolean(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"expected true/false (yes/no, on/off, 1/0), got {text[:40]!r}",
                        code="settings.not_boolean", value=text[:40])


def text(limit: int = TEXT_LIMIT) -> Callable[[str], str]:
    """Free text: one clean line (`app.domain.text.clean_line`) of at most `limit` characters."""

    def convert(value: str) -> str:
        try:
            cleaned = clean_line(value, "value")
        except TextRefused as exc:
            raise SettingsError(str(exc).replace("value holds", "holds"),
                                code="settings.bad_character", char=describe(exc.char),
                                position=exc.position) from None
        if len(cleaned) > limit:
            raise SettingsError(f"longer than {limit} characters", code="settings.too_long",
                                limit=limit)
        return cleaned

    return convert


def name_problem(name: str) -> str | None:
    """Why `name` cannot name a device or a printer (English, for the log), or None."""
    if not name.strip():
        return "a name is not blank"
    if any(ch in name for ch in NAME_FORBIDDEN):
        return "a name has no [ ] or :"
    try:
        clean_line(name, "name")  # spaces, Chinese, any printable text: as stations name them
    except TextRefused as exc:
        return str(exc)
    if len(name) > NAME_LIMIT:
        return f"a name is at most {NAME_LIMIT} characters"
    return None


def log_bytes(value: str) -> int:
    """`[log] max_bytes`: 0 (the file never rotates) or 100 to 1000000000."""
    number = whole(0, 1_000_000_000)(value)
    if 0 < number < 100:
        raise SettingsError(f"{number} is outside 100 to 1000000000 (0: never rotate)",
                            code="settings.log_bytes", value=str(number))
    return number


def log_level(value: str) -> str:
    """`[log] level`: one of LOG_LEVELS in any case, WARN and FATAL as their aliases."""
    alias = LOG_LEVEL_ALIASES.get(value.strip().upper())
    return alias if alias is not None else choice(*LOG_LEVELS)(value)


def code_text(value: str) -> str:
    """A code (station, warehouse): letters, digits, '.', '_' or '-', at most 32."""
    cleaned = text(64)(value)
    if cleaned and not CODE_SHAPE.fullmatch(cleaned):
        raise SettingsError(f"{cleaned[:40]!r} is not a code: 1 to 32 letters or digits, "
                            "'.', '_' or '-', starting with a letter or digit",
                            code="settings.bad_code", value=cleaned[:40])
    return cleaned


def shift_times(value: str) -> str:
    """`[dashboard] shifts`: "name=HH:MM-HH:MM, …" (`app.domain.forecast.parse_shifts`)."""
    from app.domain.forecast import parse_shifts

    cleaned = text(200)(value)
    try:
        parse_shifts(cleaned)
    except ValueError:
        raise SettingsError(f"{cleaned[:40]!r} is not a list of shifts like "
                            "day=08:00-20:00, night=20:00-08:00", code="settings.bad_shifts",
                            value=cleaned[:40]) from None
    return cleaned


def replica_url(value: str) -> str:
    """`[central] read_url`: empty, or the SQLAlchemy URL of a PostgreSQL server (a streaming
    replica; SQLite has none)."""
    cleaned = text(2000)(value)
    if not cleaned:
        return cleaned
    from sqlalchemy.engine import make_url

    try:
        backend = make_url(cleaned).get_backend_name()
    except Exception:  # noqa: BLE001 - any URL SQLAlchemy cannot read is refused the same
        backend = ""
    if backend != "postgresql":
        raise SettingsError("not the URL of a PostgreSQL server (postgresql+psycopg://USER@HOST"
                            ":PORT/DB): a read replica is a PostgreSQL standby",
                            code="settings.bad_replica_url")
    return cleaned


def settings_version(value: str) -> int:
    """`[settings] version`: a whole number, at most `SETTINGS_VERSION` (a newer file may hold
    keys, or meanings of keys, this Packline does not know)."""
    number = whole(1, VERSION_LIMIT)(value)
    if number > SETTINGS_VERSION:
        raise SettingsError(f"written for settings version {number}; this Packline reads up to "
                            f"version {SETTINGS_VERSION}: run the Packline it was written for, "
                            "or a file written for this one", code="settings.newer_version",
                            value=str(number), current=SETTINGS_VERSION)
    return number


@dataclass(frozen=True, slots=True)
class Option:
    section: str
    key: str
    convert: Callable[[str], Any]
    default: Any
    doc: str
    # A person's preference, which their own settings file may set (`user_layer`); every
    # other key describes the machine's station (its store, outbox and tracking numbers are
    # the machine's) and comes only from the machine-wide file, the environment and --set.
    personal: bool = False

    @property
    def name(self) -> str:
        return f"{self.section}.{self.key}"


OPTIONS: tuple[Option, ...] = (
    Option("station", "code", code_text, "ST-01", "station code shown in the audit log "
           "(letters, digits, '.', '_' or '-', at most 32)"),
    Option("station", "name", text(), "", "human name of the station (e.g. 杭州仓 打包台 3)"),
    Option("station", "warehouse", code_text, "", "warehouse code this station works in"),
    Option("station", "kind", choice(*STATION_KINDS), "packing",
           "packing, picking, office or dock"),
    Option("ui", "language", choice(*LANGUAGES), "zh_CN", "zh_CN or en", personal=True),
    Option("ui", "theme", choice(*THEME_CHOICES), "light", "light, dark or system (the "
           "desktop's own); a theme chosen in the app's View menu is remembered and wins over "
           "the settings files", personal=True),
    Option("central", "url", text(2000), "", "SQLAlchemy URL of the central database (best "
           "without its password: README); PACKLINE_CENTRAL_URL wins over it; empty means the "
           "embedded SQLite file"),
    # 0 is refused: libpq waits for ever on connect_timeout=0 (a dead server hangs the app).
    Option("central", "connect_timeout", whole(1, 600), 5, "seconds (1 to 600) before the "
           "central database counts as unreachable"),
    Option("central", "read_url", replica_url, "", "SQLAlchemy URL of a streaming read "
           "replica of the central database (PostgreSQL): the dashboard, the order list and "
           "the stations' pulls read there, everything that must be fresh stays on `url`; "
           "PACKLINE_CENTRAL_READ_URL wins over it; empty: every read goes to `url`"),
    Option("central", "pooled", boolean, False, "true when `url` (and `read_url`) reach "
           "PostgreSQL through PgBouncer in transaction pooling: no server-side prepared "
           "statements (PgBouncer before 1.21 cannot keep them) and no session state"),
    Option("log", "level", log_level, "INFO",
           "DEBUG, INFO, WARNING (WARN), ERROR or CRITICAL (FATAL)"),
    Option("log", "max_bytes", log_bytes, 5_000_000,
           "size of one log file before it rotates (100 to 1000000000; 0: never rotates)"),
    Option("log", "backups", whole(0, 100), 5,
           "rotated log files kept (0 to 100; 0: the file never rotates)"),
    Option("engine", "embedded", boolean, True, "run the order engine inside the app when the "
           "central database is the embedded SQLite file (false: leave it to `packline engine "
           "run`)"),
    Option("demo", "seed_on_first_start", boolean, True, "seed demo data when `packline run` "
           "finds an empty embedded database"),
    Option("dashboard", "shifts", shift_times, "day=08:00-20:00, night=20:00-08:00",
           "the shifts the dashboard measures rates and people by: name=HH:MM-HH:MM, comma "
           "separated (an end before the start crosses midnight)", personal=True),
    Option("dashboard", "reserve", whole(0, 100), 15, "per cent of people added to the "
           "staffing arithmetic as reserve (0 to 100; 10 to 20 is usual)", personal=True),
    Option("dashboard", "refresh", whole(5, 600), 30, "seconds between the dashboard's "
           "refreshes (5 to 600)", personal=True),
    Option("channels", "pull_every", whole(0, 3600), 120, "seconds between the engine's pulls "
           "of every shop with pull on (0: the engine does not pull; 0 to 3600)"),
    Option("channels", "confirm_per_second", decimal(0.1, 100.0), 5.0, "shipment "
           "confirmations sent to one shop's platform per second at most (0.1 to 100), so a "
           "large handover stays within the platform's call limit"),
    Option("settings", "version", settings_version, UNVERSIONED, "layout version of the file "
           "(none: 1); Packline upgrades an older file when the station starts, keeping the "
           "old one as station.ini.vN.bak, and refuses a newer one"),
)
_BY_NAME = {o.name: o for o in OPTIONS}
# What a person's own settings file may set (`Option.personal`), as the refusal names them.
PERSONAL: tuple[str, ...] = tuple(o.name for o in OPTIONS if o.personal)


# ---------------------------------------------------------------------- typed sections
# One frozen dataclass per registered section, a field per key (the registry above gives each
# its type, check and default): `settings.station.code`, `settings.central.connect_timeout`.


@dataclass(frozen=True, slots=True)
class StationSettings:
    code: str
    name: str
    warehouse: str
    kind: StationKind


@dataclass(frozen=True, slots=True)
class UiSettings:
    language: Language
    theme: ThemeChoice


@dataclass(frozen=True, slots=True)
class CentralSettings:
    url: str  # "" : the embedded SQLite file (`Config.central_url` says which database)
    connect_timeout: int
    read_url: str  # "" : no read replica, every read on `url`
    pooled: bool  # through a transaction pooler (PgBouncer): nothing prepared server-side


@dataclass(frozen=True, slots=True)
class LogSettings:
    level: LogLevel
    max_bytes: int
    backups: int

    @property
    def rotates(self) -> bool:
        """max_bytes = 0 or backups = 0: the file never rotates."""
        return self.max_bytes > 0 and self.backups > 0


@dataclass(frozen=True, slots=True)
class EngineSettings:
    embedded: bool


@dataclass(frozen=True, slots=True)
class DemoSettings:
    seed_on_first_start: bool


@dataclass(frozen=True, slots=True)
class ChannelsSettings:
    pull_every: int  # seconds; 0 = off
    confirm_per_second: float  # shipment confirmations to one shop's platform


@dataclass(frozen=True, slots=True)
class DashboardSettings:
    shifts: str  # `app.domain.forecast.parse_shifts` reads it
    reserve: int  # per cent
    refresh: int  # seconds


SECTION_TYPES: dict[str, type] = {
    "station": StationSettings, "ui": UiSettings, "central": CentralSettings,
    "log": LogSettings, "engine": EngineSettings, "demo": DemoSettings,
    "dashboard": DashboardSettings, "channels": ChannelsSettings,
}
_T = TypeVar("_T")

# Sections whose keys are checked by their own owners (printers, devices, scan patterns).
FREE_SECTIONS = ("printers", "scan")
FREE_PREFIXES = ("printer:", "device:")


def decode(data: bytes, path: Path | None = None) -> str:
    """The file's text: UTF-8 (a BOM dropped), else GB18030; else refused naming the line of
    the first bad byte, counted in whichever of the two the file got further in."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8:
        try:
            return data.decode("gb18030").removeprefix("\ufeff")
        except UnicodeDecodeError as gb:
            bad = max(utf8.start, gb.start)
    line = data.count(b"\n", 0, bad) + 1
    raise SettingsError(f"neither UTF-8 nor GB18030: byte 0x{data[bad]:02X} on line {line} "
                        "fits neither; save the file as UTF-8", code="settings.bad_encoding",
                        path=path, line=line, byte=f"0x{data[bad]:02X}")


def read_file(path: Path) -> bytes:
    """The settings file's bytes, or a refusal naming it and why it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SettingsError(f"cannot be read: {exc.strerror or exc}",
                            code="settings.unreadable", path=path,
                            why=str(exc.strerror or exc)) from None


def encoding_of(data: bytes) -> str:
    """The encoding `decode` read `data` in, BOM included, for writing it back the same."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"


def reader_language(*paths: Path) -> str:
    """The language a person reading about these settings files reads: the first file's
    `[ui] language` that can be read, else the default. Never refuses (the files may be the
    very thing that is broken)."""
    for path in paths:
        try:
            if path.is_file():
                return Settings.load(path, check=False).ui.language
        except (SettingsError, OSError):
            continue
    return str(_BY_NAME["ui.language"].default)


def station_language(home: Path | None = None, flags: Sequence[str] = ()) -> str:
    """The language of the station's person as far as it can be told when its settings have
    a problem: `ui.language` from --set, the environment, the person's own file, the
    machine-wide file, in that order, each where it can be read; else the default. Never
    refuses."""
    option = _BY_NAME["ui.language"]
    given = [item.partition("=")[2] for item in reversed(flags)
             if item.partition("=")[0].strip().lower() == option.name]
    for raw in [*given, os.environ.get(env_name(option), "")]:
        try:
            if raw.strip():
                return str(option.convert(raw))
        except SettingsError:
            continue
    try:
        paths = station_paths(home, create=False)
    except OSError:
        return str(option.default)
    try:
        if paths.user.is_file() and paths.user != paths.settings:
            mine = Settings.load(paths.user, check=False)
            if (mine._raw("ui", "language") or "").strip():
                return str(mine.ui.language)
    except (SettingsError, OSError):
        pass
    return reader_language(paths.settings)


def _parser_error(exc: configparser.Error, path: Path | None) -> SettingsError:
    if isinstance(exc, configparser.MissingSectionHeaderError):
        return SettingsError("a key before the first [section] header",
                             code="settings.no_section", path=path, line=exc.lineno)
    if isinstance(exc, configparser.DuplicateOptionError):
        return SettingsError("the key is given twice", code="settings.duplicate_key",
                             path=path, section=exc.section, key=exc.option, line=exc.lineno)
    if isinstance(exc, configparser.DuplicateSectionError):
        return SettingsError("the section is given twice", code="settings.duplicate_section",
                             path=path, section=exc.section, line=exc.lineno)
    if isinstance(exc, configparser.ParsingError) and exc.errors:
        return SettingsError("neither a [section], a key = value nor a comment",
                             code="settings.bad_line", path=path, line=exc.errors[0][0])
    return SettingsError(str(exc).splitlines()[0][:200], code="settings.bad_line", path=path)


# No section is configparser's DEFAULT (whose keys would appear in every section): a header
# cannot hold a line break.
_NO_DEFAULT_SECTION = "\n"


def read_values(content: str, path: Path | None = None) -> configparser.ConfigParser:
    """The values as Packline has always read them (configparser, no interpolation, `;`/`#`
    comments, also inside a value written over several lines): configupdater keeps the
    document for editing but keeps such comments in the value, so values come from here."""
    parser = configparser.ConfigParser(interpolation=None,
                                       inline_comment_prefixes=INLINE_COMMENTS,
                                       default_section=_NO_DEFAULT_SECTION)
    try:
        parser.read_string(content.removeprefix("\ufeff"), source=str(path or "<settings>"))
    except configparser.Error as exc:
        raise _parser_error(exc, path) from None
    return parser


def parse(content: str, path: Path | None = None) -> ConfigUpdater:
    """The INI document, keeping every comment and blank line for saving."""
    doc = ConfigUpdater(inline_comment_prefixes=INLINE_COMMENTS)
    try:
        doc.read_string(content.removeprefix("\ufeff"), source=str(path or "<settings>"))
    except configparser.Error as exc:
        raise _parser_error(exc, path) from None
    read_values(content, path)  # what configparser refuses is refused too
    _restore_indented_comments(doc, content.removeprefix("\ufeff"))
    for section in doc.iter_sections():
        for option in section.iter_options():
            if option.value is None:  # pragma: no cover - allow_no_value is off
                raise SettingsError("a key without a value", code="settings.bad_line",
                                    path=path, section=section.name, key=option.key)
    return doc


def _restore_indented_comments(doc: ConfigUpdater, content: str) -> None:
    """Put back each comment line that starts with blanks (`    ; the old codes` among a
    [scan] key's patterns): configupdater drops them when it reads inline comments, and a
    save would lose them. Each goes back into the block holding the line before it."""
    wanted = content.splitlines(keepends=True)
    owners: list[tuple[Any, int]] = []  # (block, index in its lines) per line of str(doc)
    for block in doc.iter_blocks():
        owners += [(block, i) for i in range(len(block.lines))]
        if isinstance(block, IniSection):
            for inner in block.iter_blocks():
                owners += [(inner, i) for i in range(len(inner.lines))]
    rendered = [owner[0].lines[owner[1]] for owner in owners]
    if rendered == wanted:
        return
    lost: list[tuple[int, str]] = []  # (lines of str(doc) before it, the line)
    at = 0
    for line in wanted:
        if at < len(rendered) and rendered[at] == line:
            at += 1
        elif line[:1].isspace() and line.lstrip()[:1] in INLINE_COMMENTS:
            lost.append((at, line))
        else:
            return  # not what configupdater is known to drop: leave the document as read
    for before, line in reversed(lost):
        text = line.rstrip("\n")
        if before == 0:
            top = doc.first_block
            if top is not None:
                top.add_before.comment(text, comment_prefix=text[:1])
            continue
        block, index = owners[before - 1]
        if isinstance(block, IniSection):  # the line under a header: a comment block opening it
            opening = block.first_block
            if opening is not None:
                opening.add_before.comment(text, comment_prefix=text[:1])
            else:
                block.add_comment(line)
        else:
            block.lines.insert(index + 1, line)


def _line_numbers(doc: ConfigUpdater) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """Line of each section header and of each key, counted as the parser read them."""
    sections: dict[str, int] = {}
    keys: dict[tuple[str, str], int] = {}
    line = 1
    for block in doc.iter_blocks():
        if isinstance(block, IniSection):
            sections.setdefault(block.name, line)
            line += len(block.lines)
            for inner in block.iter_blocks():
                if isinstance(inner, IniOption):
                    keys.setdefault((block.name, inner.key), line)
                line += len(inner.lines)
        else:
            line += len(block.lines)
    return sections, keys


# ---------------------------------------------------------------------- upgrades

# The step bringing a file from version N-1 to N: it rewrites the document in place with
# configupdater (so IT's comments, layout and encoding stay), and may raise SettingsError in
# words. It never writes the version: that is set once every step has run.
Upgrade = Callable[[ConfigUpdater], None]
UPGRADES: dict[int, Upgrade] = {}
VERSION_COMMENT = "# Layout of this file: Packline upgrades an older one at start, keeping a copy"


def upgrade_step(version: int) -> Callable[[Upgrade], Upgrade]:
    """Register `upgrade_to_N` as the step to version N (one per version)."""

    def register(step: Upgrade) -> Upgrade:
        if version in UPGRADES:
            raise ValueError(f"two upgrades to settings version {version}")
        UPGRADES[version] = step
        return step

    return register


def retire_option(doc: ConfigUpdater, section: str, key: str, why: str) -> bool:
    """Turn `[section] key` into comments in its place, as IT wrote it (every line of it),
    under one saying why Packline no longer reads it. False when the key is not there."""
    if not doc.has_section(section):
        return False
    option = doc[section].get(key)
    if option is None:
        return False
    option.add_before.comment(why)
    for line in option.lines:
        option.add_before.comment(line.rstrip("\r\n"))
    option.detach()
    return True


@upgrade_step(2)
def upgrade_to_2(doc: ConfigUpdater) -> None:
    """Version 2: `[ui] page_size` went (the lists fetch their rows page by page themselves
    since the November 2026 release; a file still holding it was refused as an unknown key);
    the opening comment Packline wrote into files it created names no version any more (the
    version is `[settings] version`, which the upgrade adds)."""
    retire_option(doc, "ui", "page_size", "retired in settings version 2: no longer read "
                  "(the lists fetch rows page by page)")
    first = doc.first_block
    if isinstance(first, Comment) and first.lines:
        first.lines[0] = re.sub(r"^(# Packline station settings) \(version 1\)", r"\1",
                                first.lines[0])


def file_version(doc: ConfigUpdater, path: Path | None = None) -> int | None:
    """The layout version of the document: its `[settings] version`, `UNVERSIONED` without
    one; None when it has no section at all (nothing to upgrade) or the version cannot be
    read (`Settings.problems` words that)."""
    values = read_values(str(doc), path)
    raw = values.get("settings", "version", fallback=None) \
        if values.has_section("settings") else None
    if raw is None or not raw.strip():
        return UNVERSIONED if doc.sections() else None
    try:
        return whole(1, VERSION_LIMIT)(raw)
    except SettingsError:
        return None


def upgrade_text(content: str, path: Path | None = None) -> tuple[str, int] | None:
    """`content` brought up to `SETTINGS_VERSION` by each registered step after its version,
    in order, the version written last; with the version it was in. None when there is
    nothing to do: current, no section at all, or a version that cannot be read or is newer
    (refused by `Settings.problems`). A step that fails is refused naming the versions."""
    doc = parse(_line_ends(content), path)
    old = file_version(doc, path)
    current = SETTINGS_VERSION
    if old is None or old >= current:
        return None
    for version in range(old + 1, current + 1):
        step = UPGRADES.get(version)
        if step is None:
            continue  # a version that only added keys
        try:
            step(doc)
            doc = parse(str(doc), path)  # each step reads what the one before it wrote
        except Exception as exc:  # noqa: BLE001 - any failure leaves the file as it was
            why = exc.reason if isinstance(exc, SettingsError) else \
                (str(exc) or type(exc).__name__)
            raise SettingsError(f"cannot be upgraded from settings version {old} to "
                                f"{current} (at version {version}: {why}); it was left as it "
                                "was", code="settings.upgrade_failed", path=path,
                                version=old, current=current, step=version,
                                why=why) from exc
    _write_version(doc, current)
    return str(doc), old


def _line_ends(content: str) -> str:
    """Every line ended by LF: a lone CR (old editors) ends a line as LF and CRLF do."""
    return content.replace("\r\n", "\n").replace("\r", "\n")


def _write_version(doc: ConfigUpdater, version: int) -> None:
    """`[settings] version = VERSION`: the key rewritten where it is (keeping its comment), or
    the section added before the file's first section, below the file's opening comment."""
    if doc.has_section("settings"):
        section = doc["settings"]
        option = section.get("version")
        if option is None:
            options = list(section.iter_options())
            if options:
                options[0].add_before.option("version", str(version))
            else:
                section.set("version", str(version))
            return
        comment = _inline_comment(option)
        option.value = f"{version}   {comment}" if comment else str(version)
        return
    first = next(iter(doc.iter_sections()))
    anchor: IniSection | Comment = first
    above = first.previous_block
    # A comment right above the first header, set apart from the file's opening lines by a
    # blank one, is about that section: the new one goes above it.
    if isinstance(above, Comment) and isinstance(above.previous_block, Space):
        anchor = above
    anchor.add_before.section("settings")
    section = doc["settings"]
    section.set("version", str(version))
    section["version"].add_before.comment(VERSION_COMMENT)
    section.add_after.space()


class Settings:
    """Typed view of `station.ini` with defaults from the registry above: the registered
    sections as frozen dataclasses (`station`, `ui`, `central`, `log`, `engine`, `demo`), the
    free ones (devices, printers, scan patterns) as raw keys for their owners. The document
    keeps IT's comments and layout: a save changes only the keys that were set."""

    def __init__(self, doc: ConfigUpdater | None = None, path: Path | None = None, *,
                 check: bool = True, upgraded_from: int | None = None,
                 origin: ConfigUpdater | None = None) -> None:
        self._doc = doc if doc is not None else ConfigUpdater(
            inline_comment_prefixes=INLINE_COMMENTS)
        self.path = path
        # Read with `upgrade=True` from an older version: that version, until saved. `origin`
        # is the document as the file holds it, whose lines a problem names meanwhile.
        self.upgraded_from = upgraded_from
        self._origin = origin
        self._typed: dict[str, Any] = {}
        # What wins over this file, by registry name: the value and where it came from (the
        # person's own file, the environment, --set), the highest of them (`overlay`).
        self._over: dict[str, tuple[Any, SettingsSource]] = {}
        self._written: dict[tuple[str, str], str] = {}  # set since the file was read
        self.newline = "\n"  # written back as read: Notepad's CRLF stays CRLF
        self._lines: tuple[dict[str, int], dict[tuple[str, str], int]] | None = None
        self._parsed: configparser.ConfigParser | None = None  # the values, read from _doc
        self.encoding = "utf-8"  # saved back in what it was read in (GB18030, UTF-8 + BOM)
        problems = self.problems()
        if problems and check:
            raise problems[0]

    @classmethod
    def empty(cls) -> Settings:
        """Defaults only, nowhere to save (tests, tools)."""
        return cls()

    @classmethod
    def from_text(cls, content: str, path: Path | None = None, *,
                  check: bool = True, upgrade: bool = False) -> Settings:
        """`upgrade`: a file of an older version is read as `upgrade_text` makes it (in
        memory: `write_upgrade` saves it), `upgraded_from` saying from which version."""
        content = _line_ends(content)
        upgraded = upgrade_text(content, path) if upgrade else None
        if upgraded is None:
            return cls(parse(content, path), path, check=check)
        return cls(parse(upgraded[0], path), path, check=check, upgraded_from=upgraded[1],
                   origin=parse(content, path))

    @classmethod
    def load(cls, path: Path, *, check: bool = True, upgrade: bool = False) -> Settings:
        """The file (defaults when there is none); refuses the first problem it finds
        (`check=False`: keeps the problems for `problems()`, defaults in their place)."""
        if not path.exists():
            return cls(None, path)
        return cls.from_bytes(read_file(path), path, check=check, upgrade=upgrade)

    @classmethod
    def from_bytes(cls, data: bytes, path: Path | None = None, *,
                   check: bool = True, upgrade: bool = False) -> Settings:
        """What IT's editors write: UTF-8 (with or without the BOM Notepad puts first), else
        GB18030 (the Chinese Windows code page's superset). Saved back in the same encoding
        (and BOM) with the line endings of the file's first line."""
        settings = cls.from_text(decode(data, path), path, check=check, upgrade=upgrade)
        settings.encoding = encoding_of(data)
        settings.newline = "\r\n" if b"\r\n" in data.split(b"\n", 1)[0] + b"\n" else "\n"
        return settings

    # ---- checking

    def line_of(self, section: str, key: str | None = None) -> int | None:
        """The line of a section's header, or of one of its keys, as the file was read (an
        upgrade not saved yet: as the file on disk holds it, where it still does)."""
        sections, keys = self._line_table()
        return keys.get((section, key)) if key is not None else sections.get(section)

    def _line_table(self) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
        if self._lines is None:
            self._lines = _line_numbers(self._origin if self._origin is not None
                                        else self._doc)
        return self._lines

    def problems(self) -> list[SettingsError]:
        """Every unknown key and every bad value of the registered sections, in file order;
        each names the section, the key and its line. Fills the typed values. A file from a
        newer Packline has that one problem: its other keys may mean what this one cannot
        know."""
        found: list[SettingsError] = []
        self._lines = None
        _sections, keys = self._line_table()
        for section in self._doc.iter_sections():
            name = section.name
            if name in FREE_SECTIONS or name.startswith(FREE_PREFIXES):
                continue
            for entry in section.iter_options():
                if f"{name}.{entry.key}" not in _BY_NAME:
                    known = sorted(o.key for o in OPTIONS if o.section == name)
                    found.append(SettingsError(
                        "unknown key" + (f" (known: {', '.join(known)})" if known else
                                         " in an unknown section"),
                        code="settings.unknown_key" if known else "settings.unknown_section",
                        path=self.path, section=name, key=entry.key,
                        line=keys.get((name, entry.key)), known=", ".join(known)))
        for option in OPTIONS:
            raw = self._raw(option.section, option.key)
            if raw is None or raw.strip() == "":
                self._typed[option.name] = option.default
                continue
            try:
                self._typed[option.name] = option.convert(raw)
            except SettingsError as exc:
                exc.path, exc.section, exc.key = self.path, option.section, option.key
                exc.line = keys.get((option.section, option.key))
                found.append(exc)
        newer = [e for e in found if e.code == "settings.newer_version"]
        if newer:
            return newer
        found.sort(key=lambda e: e.line or 0)
        return found

    def _values(self) -> configparser.ConfigParser:
        if self._parsed is None:
            self._parsed = read_values(str(self._doc), self.path)
        return self._parsed

    def _raw(self, section: str, key: str) -> str | None:
        values = self._values()
        if not values.has_section(section):
            return None
        return values.get(section, key, fallback=None)

    # ---- reading

    def get(self, name: str) -> Any:
        """A registered key's effective value by its registry name ("central.connect_timeout"),
        for code that walks the registry; everything else reads the typed sections below."""
        over = self._over.get(name)
        if over is not None:
            return over[0]
        return self.file_value(name)

    def file_value(self, name: str) -> Any:
        """The value this file gives a registered key (its default when the file has none),
        whatever wins over it."""
        option = _BY_NAME[name]
        return self._typed.get(name, option.default)

    def overlay(self, *layers: Layer) -> None:
        """Put `layers` over this file's values, lowest first (the person's own file, the
        environment, --set): for each key the highest layer that gives it wins."""
        merged: dict[str, tuple[Any, SettingsSource]] = {}
        for layer in layers:
            merged.update(layer)
        self._over = merged

    def source_of(self, section: str, key: str) -> SettingsSource:
        """Where the effective value of a registered key comes from (KeyError for a key that
        is not registered)."""
        name = _BY_NAME[f"{section}.{key}"].name
        over = self._over.get(name)
        if over is not None:
            return over[1]
        raw = self._raw(section, key)
        if raw is not None and raw.strip() and self.path is not None:
            return SettingsSource("machine", self.path, str(self.path))
        return SettingsSource("default", None, "default")

    def _typed_section(self, cls: type[_T]) -> _T:
        name = next(n for n, t in SECTION_TYPES.items() if t is cls)
        return cls(**{o.key: self.get(o.name) for o in OPTIONS if o.section == name})

    @property
    def station(self) -> StationSettings:
        return self._typed_section(StationSettings)

    @property
    def ui(self) -> UiSettings:
        return self._typed_section(UiSettings)

    @property
    def central(self) -> CentralSettings:
        return self._typed_section(CentralSettings)

    @property
    def log(self) -> LogSettings:
        return self._typed_section(LogSettings)

    @property
    def engine(self) -> EngineSettings:
        return self._typed_section(EngineSettings)

    @property
    def demo(self) -> DemoSettings:
        return self._typed_section(DemoSettings)

    @property
    def dashboard(self) -> DashboardSettings:
        return self._typed_section(DashboardSettings)

    @property
    def channels(self) -> ChannelsSettings:
        return self._typed_section(ChannelsSettings)

    @property
    def version(self) -> int:
        """The file's layout version (`[settings] version`; 1 without one). Settings with no
        section at all (no file yet) are written in the current one."""
        if not self._doc.sections():
            return SETTINGS_VERSION
        return int(self.get("settings.version"))

    def section(self, name: str) -> dict[str, str]:
        """The raw keys of one free-form section (empty when it is not there)."""
        values = self._values()
        if not values.has_section(name):
            return {}
        return dict(values[name])

    def sections(self, prefix: str) -> dict[str, dict[str, str]]:
        """Raw keys of every section named `prefix` + NAME, by NAME, in file order."""
        values = self._values()
        return {name[len(prefix):]: dict(values[name])
                for name in values.sections() if name.startswith(prefix)}

    def adopt(self, other: Settings) -> None:
        """Take over another reading of the same file (after a save made from it)."""
        self._lines = self._parsed = None  # the lines move
        self._doc, self._typed, self.path = other._doc, other._typed, other.path
        self._written, self.newline = other._written, other.newline
        self.encoding = other.encoding
        self.upgraded_from, self._origin = other.upgraded_from, other._origin

    def text(self) -> str:
        """The file as it would be saved."""
        return str(self._doc)

    # ---- changing (in memory until `save`)

    def set(self, name: str, value: Any) -> None:
        option = _BY_NAME[name]
        written = str(value).lower() if isinstance(value, bool) else str(value)
        try:
            converted = option.convert(written) if written.strip() else option.default
        except SettingsError as exc:
            exc.path, exc.section, exc.key = self.path, option.section, option.key
            raise
        self._put(option.section, option.key, written)
        self._typed[name] = converted
        over = self._over.get(name)
        if over is not None:  # saved all the same: the file is the station's, the rest is not
            log.warning("%s is set to %r in %s, but %s decides it while it is set there",
                        name, written, self.path or "the settings", describe_source(over[1]))

    def update_section(self, name: str, items: dict[str, str], *,
                       keep: Callable[[str, str], bool] = lambda _k, _v: False,
                       rename_from: str | None = None) -> None:
        """Make section `name` hold `items`: a key already there with the same value is left
        as written (case, spacing, its comment), a changed one is rewritten in its place
        keeping its comment, a new one goes after the section's last key; a key not in
        `items` is removed unless `keep(key, value)`. Comments and other sections are left
        alone. `rename_from` renames that section first, in its place."""
        self._lines = self._parsed = None  # the lines move
        if rename_from is not None and rename_from != name and \
                self._doc.has_section(rename_from):
            self._doc[rename_from].name = name
        if not self._doc.has_section(name):
            self._add_section(name)
        section = self._doc[name]
        held = self.section(name)
        for option in list(section.iter_options()):
            if option.key not in items and not keep(option.key, held.get(option.key, "")):
                option.detach()
        for key, value in items.items():
            self._put(name, key, value)

    def set_section(self, name: str, items: dict[str, str]) -> None:
        """Replace a free-form section's keys (comments inside it stay)."""
        self.update_section(name, items)

    def remove_section(self, name: str) -> bool:
        """Remove a section; the comments after its last key (which describe what follows)
        stay where they were."""
        self._lines = self._parsed = None  # the lines move
        if not self._doc.has_section(name):
            return False
        section = self._doc[name]
        blocks = list(section.iter_blocks())
        last_key = max((i for i, b in enumerate(blocks) if isinstance(b, IniOption)),
                       default=-1)
        trailing = [line for b in blocks[last_key + 1:] if isinstance(b, Comment)
                    for line in b.lines]
        before, after = section.previous_block, section.next_block
        # The comment right above the header (no blank line between) is about this section.
        above = list(before.iter_blocks())[-1:] if isinstance(before, IniSection) else [before]
        if above and isinstance(above[0], Comment) and (
                isinstance(before, IniSection) or above[0].previous_block is not None):
            above[0].detach()  # (a comment that opens the file is the file's, and stays)
        section.detach()
        if after is not None:
            for line in trailing:
                after.add_before.comment(line.rstrip("\r\n"), comment_prefix=line[:1])
        elif before is not None:
            for line in reversed(trailing):
                before.add_after.comment(line.rstrip("\r\n"), comment_prefix=line[:1])
        return True

    def _add_section(self, name: str) -> None:
        content = str(self._doc)
        if content and not content.endswith("\n\n"):
            last = self._last_section()
            if last is not None:
                last.add_after.space()
        if not content:  # a new file: in the current layout version
            self._doc.read_string(f"# Packline station settings\n\n[settings]\n"
                                  f"{VERSION_COMMENT}\nversion = {SETTINGS_VERSION}\n")
            self._typed["settings.version"] = SETTINGS_VERSION
            if name == "settings":
                return
            self._doc["settings"].add_after.space()
        self._doc.add_section(name)

    def _last_section(self) -> IniSection | None:
        found = None
        for found in self._doc.iter_sections():  # noqa: B007 - the last one
            pass
        return found

    def _put(self, section_name: str, key: str, value: str) -> None:
        try:
            self._change(section_name, key, value)
        finally:
            self._lines = self._parsed = None  # the lines and values moved

    def _change(self, section_name: str, key: str, value: str) -> None:
        self._lines = self._parsed = None
        if "\n" in value or "\r" in value:
            raise SettingsError("a value of one line", code="settings.multi_line",
                                path=self.path, section=section_name, key=key)
        if not self._doc.has_section(section_name):
            self._add_section(section_name)
        section = self._doc[section_name]
        option = section.get(key)
        self._written[(section_name, key)] = value.strip()
        if option is None:
            options = list(section.iter_options())
            if options:
                options[-1].add_after.option(key, value)
            else:
                section.set(key, value)
            return
        if self._raw(section_name, key) == value:
            return  # as IT wrote it
        comment = _inline_comment(option)
        if not comment:
            option.value = value
            return
        # The line keeps IT's `; why`; read again so the value held is the value alone.
        option.value = f"{value}   {comment}"
        self._doc = parse(str(self._doc), self.path)

    # ---- saving

    def save(self, path: Path | None = None) -> None:
        target = path or self.path
        if target is None:
            raise SettingsError("no settings path to save to", code="settings.no_path")
        content = str(self._doc)
        # Whatever is saved must read back as it is held now (a value such as `a ;b` would
        # come back cut at its `;`): checked before the file is touched.
        again = read_values(content, target)
        for (section, key), value in self._written.items():
            back = again.get(section, key, fallback=None) if again.has_section(section) \
                else None
            if back is not None and back == value:
                continue
            if not self._doc.has_section(section) or self._doc[section].get(key) is None:
                continue  # removed again since
            raise SettingsError(f"{value!r} cannot be written in an INI file (a ; or # "
                                "after a space starts a comment)", code="settings.unsavable",
                                path=target, section=section, key=key)
        if not target.parent.is_dir():
            private_dir(target.parent)
        tmp = target.with_suffix(".tmp")
        data = content.replace("\n", self.newline)
        try:
            encoded = data.encode(self.encoding)
        except UnicodeEncodeError as exc:
            log.warning("%s: %s cannot hold %r: saved as UTF-8 instead", target,
                        self.encoding.upper(), exc.object[exc.start:exc.end])
            self.encoding = "utf-8"
            encoded = data.encode("utf-8")
        # The file may hold the central database's URL: 0600 from its first byte. Written
        # whole, then renamed over the old one: a crash leaves one or the other, never half.
        try:
            with open(tmp, "wb", opener=private_opener) as fh:
                fh.write(encoded)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except OSError:
            tmp.unlink(missing_ok=True)
            raise
        if target == self.path:
            self._origin, self.upgraded_from = None, None  # the file holds the upgrade now
            self._lines = None
        self.path = self.path or target


def _inline_comment(option: IniOption) -> str:
    """The `; why` after a one-line key's value, as IT wrote it, or ''."""
    if len(option.lines) != 1:
        return ""
    line = option.lines[0].rstrip("\r\n")
    value = option.value or ""
    # The key ends at the first = or : (configparser's rule): `url: serial://…?baud=9600`.
    at_sep = min((i for i in (line.find("="), line.find(":")) if i >= 0), default=-1)
    if at_sep < 0:
        return ""
    rest = line[at_sep + 1:]
    at = rest.find(value) + len(value) if value else 0
    tail = rest[at:].strip()
    return tail if tail[:1] in INLINE_COMMENTS else ""


# Where the station's data folder is (`Paths.data_from`): PACKLINE_HOME or --home ("home"),
# the machine-wide data folder ("machine"), or the person's own data folder because the
# machine-wide one cannot be written by this user ("user").
DataFrom = Literal["home", "machine", "user"]
APP_NAME = "Packline"
STATION_DB = "station.db"
LAYOUT_FILE = "ui-state.ini"
USER_HOME_ENV = "PACKLINE_USER_HOME"


@dataclass(frozen=True, slots=True)
class Paths:
    """The station's folders. `home` is its data folder (store and outbox, logs, file-printer
    output); `config_dir` holds the machine-wide settings file (`settings`, also `machine`:
    the file the station saves into), `home` itself when None; `user_dir` is the person's own
    folder (their settings file `user`, the window layout `layout`), when None
    $PACKLINE_USER_HOME or `home`/user. `data_from` says how `home` was chosen and
    `data_note`, when the machine-wide folder could not be used, why not."""

    home: Path
    config_dir: Path | None = None
    user_dir: Path | None = None
    data_from: DataFrom = "home"
    data_note: str = ""

    @property
    def settings(self) -> Path:
        """The machine-wide settings file: what IT deploys and the station saves into."""
        return (self.config_dir or self.home) / SETTINGS_FILE

    @property
    def machine(self) -> Path:
        return self.settings

    @property
    def user_folder(self) -> Path:
        return self.user_dir or user_home_for(self.home)

    @property
    def user(self) -> Path:
        """The person's own settings file (keys over the machine-wide ones)."""
        return self.user_folder / SETTINGS_FILE

    @property
    def layout(self) -> Path:
        """The window's size and place, the tables' columns (`app.ui.layout_memory`)."""
        return self.user_folder / LAYOUT_FILE

    @property
    def station_db(self) -> Path:
        return self.home / STATION_DB

    @property
    def logs(self) -> Path:
        return self.home / "logs"

    @property
    def prints(self) -> Path:
        return self.home / "prints"


def user_home_for(home: Path) -> Path:
    """The person's folder of a station kept in one folder (PACKLINE_HOME, --home):
    $PACKLINE_USER_HOME, else `home`/user."""
    env = os.environ.get(USER_HOME_ENV, "").strip()
    return Path(env).expanduser().resolve() if env else home / "user"


def packline_home() -> Path:
    """The station's data folder (`station_paths().home`)."""
    return station_paths().home


def station_paths(home: Path | None = None, *, create: bool = True) -> Paths:
    """The station's folders. With `home` (--home) or PACKLINE_HOME everything but the
    person's own files is in that one folder, as it always was. Otherwise the settings file
    and the data are the machine's, shared by every account on it (`machine_data_folder`,
    `machine_config_folder`), and the person's folder is their own config folder (or
    $PACKLINE_USER_HOME). With `create` false nothing is written: a machine-wide folder is
    judged by whether this user could create or write it (`load_config` chooses so before it
    has checked the settings)."""
    if home is None:
        env = os.environ.get("PACKLINE_HOME", "").strip()
        home = Path(env) if env else None
    if home is not None:
        home = home.expanduser().resolve()
        return Paths(home, home, user_home_for(home), "home")
    data, data_from, note = machine_data_folder(create=create)
    env_user = os.environ.get(USER_HOME_ENV, "").strip()
    user = Path(env_user).expanduser().resolve() if env_user else \
        Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
    return Paths(data, machine_config_folder(data, data_from), user, data_from, note)


def _folders(joined: str) -> list[Path]:
    """platformdirs' folders (several on Linux: XDG_DATA_DIRS, XDG_CONFIG_DIRS), in order,
    less those no machine-wide station may live in (`_not_the_machines`)."""
    return [Path(p) for p in joined.split(os.pathsep)
            if p.strip() and not _not_the_machines(Path(p))]


def _not_the_machines(folder: Path) -> bool:
    """A folder listed in $XDG_DATA_DIRS or $XDG_CONFIG_DIRS that is not the machine's: one
    in the person's home (flatpak lists ~/.local/share/flatpak/exports/share first), or on
    POSIX one whose nearest existing folder belongs to another account than root or this
    one (whoever owns it could swap the station's store or settings)."""
    try:
        where = folder.expanduser().resolve()
        person = Path.home().resolve()
    except (OSError, RuntimeError):
        return True
    # (A service account's home may be the root itself: that rule then says nothing.)
    if person != Path(person.anchor) and (where == person or person in where.parents):
        return True
    if not POSIX:
        return False
    try:
        at = where
        while not at.exists() and at.parent != at:
            at = at.parent
        owner = at.stat().st_uid
    except OSError:
        return True
    return owner not in (0, os.geteuid())


def _there(path: Path, *, file: bool = False) -> bool:
    """`path` exists (is a file, with `file`); False when this user may not look, as in a
    folder another account made that only it may enter (the machine's folders made by a
    command IT ran as root or as Administrator): such a folder is not this station's."""
    try:
        return path.is_file() if file else path.exists()
    except OSError:
        return False


def _unusable(folder: Path, create: bool = True) -> str:
    """Why this user cannot keep the station's data in `folder` ("" when it can): the folder
    is created (only its owner may enter it) when missing, and a file is written in it and
    removed again; a store already there must open for writing. Without `create` nothing is
    written: the folder, or its nearest existing parent, must be writable by this user."""
    try:
        if not create:
            if not _can_create(folder):
                return "not writable by this user"
        else:
            if not folder.is_dir():  # (one there is tightened by `secure_station`)
                private_dir(folder)
            probe = folder / f".packline-write-test-{os.getpid()}"
            os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
            probe.unlink()
        if (folder / STATION_DB).exists():
            with open(folder / STATION_DB, "r+b"):
                pass
    except OSError as exc:
        return exc.strerror or str(exc)
    return ""


def machine_data_folder(create: bool = True) -> tuple[Path, DataFrom, str]:
    """The machine-wide data folder (`platformdirs.site_data_dir`: C:\\ProgramData\\Packline
    on Windows; on Linux the first of $XDG_DATA_DIRS, /usr/local/share/Packline by default,
    never one in the person's home or another account's folder: `_not_the_machines`):
    of the folders listed, the first already holding a store this user can write, else the
    first this user can write. When none can be, the person's own data folder (where a
    developer's checkout run without the installer keeps it), with why in the third item.
    Without `create` nothing is written (`_unusable`)."""
    wanted = _folders(platformdirs.site_data_dir(APP_NAME, appauthor=False, multipath=True))
    held = [f for f in wanted if _there(f / STATION_DB)]
    problems = []
    for folder in [*held, *(f for f in wanted if f not in held)]:
        why = _unusable(folder, create)
        if not why:
            return folder, "machine", ""
        problems.append(f"{folder}: {why}")
    fallback = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return fallback, "user", "; ".join(problems) or "no machine-wide data folder"


def _can_create(folder: Path) -> bool:
    """This user can write in `folder`, or create it (its nearest existing parent)."""
    at = folder
    while not _there(at) and at.parent != at:
        at = at.parent
    return _there(at) and at.is_dir() and os.access(at, os.W_OK | os.X_OK)


def machine_config_folder(data: Path, data_from: DataFrom) -> Path:
    """The folder of the machine-wide settings file (`platformdirs.site_config_dir`:
    C:\\ProgramData\\Packline on Windows; on Linux the first of $XDG_CONFIG_DIRS,
    /etc/xdg/Packline by default, never one in the person's home: `_not_the_machines`): the
    first listed folder holding station.ini, else the data folder when it holds one, else the
    first listed folder this user can write; else the data folder (a station whose data fell
    back to the person's folder keeps its file there too)."""
    wanted = _folders(platformdirs.site_config_dir(APP_NAME, appauthor=False, multipath=True))
    for folder in wanted:
        if _there(folder / SETTINGS_FILE, file=True):
            return folder
    if _there(data / SETTINGS_FILE, file=True) or data_from != "machine":
        return data
    return next((f for f in wanted if _can_create(f)), data)


# What an older per-person station's things are renamed to once the machine's folder has them
# (`move_old_station`): kept, never deleted; not read again.
MOVED_ASIDE = ".moved-to-machine"
NOT_USED_ASIDE = ".before-machine"  # the machine had its own: this one was never used there
SETTINGS_ASIDE = SETTINGS_FILE + NOT_USED_ASIDE
# How long the start waits for an older Packline's store to be free before leaving it for a
# later start (an older Packline still running holds it).
OLD_STORE_WAIT_S = 0.5


def old_station_folder(paths: Paths, old: Path | None = None) -> Path | None:
    """The person's data folder (`old`, by default platformdirs' user_data_dir) when an older
    Packline kept a station there that `move_old_station` has still to deal with: a store, or
    (where the person's own settings file is not in that same folder, as it is on Windows) a
    settings file. None for a station kept in one folder or one not in the machine's."""
    if paths.data_from != "machine":
        return None
    old = old or Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    if old == paths.home:
        return None
    if (old / STATION_DB).exists() or ((old / SETTINGS_FILE).is_file()
                                       and old != paths.user_folder):
        return old
    return None


def person_file(paths: Paths, old: Path | None = None) -> Path | None:
    """The person's own settings file, None when there is none to read: it is the machine's
    file itself, or it is the settings of an older station still in the person's folder
    (Windows keeps both in one folder) rather than the person's own."""
    if paths.user == paths.settings:
        return None
    there = old_station_folder(paths, old)
    return None if there is not None and there == paths.user_folder else paths.user


def pending_in(connection: sqlite3.Connection) -> int:
    """The outbox events of a station store not yet sent to the central database (a store
    without an outbox: none; one whose outbox does not say what was sent: all of them)."""
    columns = {row[1] for row in connection.execute("PRAGMA table_info(outbox)")}
    if not columns:
        return 0
    where = " WHERE pushed_at IS NULL" if "pushed_at" in columns else ""
    return int(connection.execute(f"SELECT count(*) FROM outbox{where}").fetchone()[0])


def left_behind(paths: Paths, old: Path | None = None) -> tuple[Path, int] | None:
    """An older per-person station's store left where it was because it still holds events
    not sent while the machine has a store of its own (`move_old_station`): its folder and
    how many events wait there. Read only; None when there is none (or it cannot be read)."""
    folder = old_station_folder(paths, old)
    if folder is None or not paths.station_db.exists():
        return None
    try:
        waiting = _pending_read_only(folder / STATION_DB)
    except sqlite3.Error:
        return None
    return (folder, waiting) if waiting else None


def _pending_read_only(store: Path) -> int:
    """`pending_in` a store opened read only (its file and write-ahead log left as they are:
    a connection that may write folds the log into the file when it closes)."""
    if not store.is_file():
        return 0
    connection = sqlite3.connect(f"file:{store.as_posix()}?mode=ro", uri=True,
                                 timeout=OLD_STORE_WAIT_S)
    try:
        return pending_in(connection)
    finally:
        connection.close()


def push_left_behind(old: Path, waiting: int, store: Path) -> str:
    """What the log and `packline doctor` say of a store left behind with events to send."""
    return (f"{old / STATION_DB} (an older Packline's store for this account) still holds "
            f"{waiting} event(s) not sent to the central database: it stays there, untouched, "
            f"and this station uses {store}. To send them, copy {old / SETTINGS_ASIDE} back "
            f"to {old / SETTINGS_FILE} (when it is there) and run "
            f"`packline --home \"{old}\" sync once --user CODE` as a person who may pack "
            "(README: Settings); the next start puts the old store aside")


def move_old_station(paths: Paths, old: Path | None = None) -> list[str]:
    """A station an older Packline kept in the person's own data folder (`old`, by default
    platformdirs' user_data_dir), moved into the machine-wide folders the first time this
    Packline starts there. Nothing is moved while its store is in use (an older Packline
    still running: an exclusive lock on it cannot be had within `OLD_STORE_WAIT_S`). Things are
    copied into the machine's folders, which gives them that folder's permissions (Windows:
    its inherited ACL; POSIX: private modes), and only then is the old one renamed aside
    (`MOVED_ASIDE`), never deleted:

    - the store with its outbox, when the machine has none: copied whole by SQLite's backup
      API under that lock into a temporary file, flushed to disk, renamed into place; the old
      one is renamed `station.db.moved-to-machine` still under the lock. When the machine has
      a store of its own, the old one is renamed `station.db.before-machine` if nothing in its
      outbox is waiting to be sent; if something is, it stays where it is, untouched, and the
      log (and `packline doctor`, `left_behind`) says how many events and how IT sends them;
    - the settings file: copied to the machine's when it has none (with the copies upgrades
      kept), and renamed `station.ini.before-machine` in any case, so it is not read as the
      person's own file (on Windows it is in the person's settings folder). To send what a
      store left behind holds, IT copies it back and runs `packline --home OLD sync once`;
    - logs/ and prints/, when the machine has none; the window layout into the person's
      folder.

    A station kept in one folder (PACKLINE_HOME) only moves its window layout into the
    person's folder. Returns what was done, for the log."""
    if paths.data_from == "home":  # a station in one folder kept its layout beside station.ini
        return _move_layout(paths.home / LAYOUT_FILE, paths)
    found = old_station_folder(paths, old)
    if found is None:
        return []
    old = found
    done: list[str] = []
    try:
        waiting = _move_store(old, paths, done)
        if waiting is None:
            return done
        _move_settings(old, paths, done)
        if waiting:
            done.append(push_left_behind(old, waiting, paths.station_db))
        for name in ("logs", "prints"):
            if (old / name).is_dir() and not (paths.home / name).exists():
                _copy_folder(old / name, paths.home / name)
                aside = _free_name(old / (name + MOVED_ASIDE))
                os.replace(old / name, aside)
                done.append(f"copied {old / name} to {paths.home / name}; the old folder is "
                            f"kept as {aside}")
        done += _move_layout(old / LAYOUT_FILE, paths)
    except (OSError, sqlite3.Error) as exc:
        why = exc.strerror or str(exc) if isinstance(exc, OSError) else str(exc)
        done.append(f"the station kept in {old} by an older Packline could not be moved to "
                    f"{paths.home} ({why}); what is left of it stays there")
    return done


def _move_layout(old: Path, paths: Paths) -> list[str]:
    """The window layout an older Packline kept beside the settings, into the person's folder
    (only a remembered layout: a failure is said and forgotten)."""
    if not old.is_file() or paths.layout.exists() or old == paths.layout:
        return []
    try:
        paths.layout.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(old, paths.layout)
    except OSError as exc:
        return [f"the window layout {old} could not be moved to {paths.layout} "
                f"({exc.strerror or exc}): the window starts as built"]
    return []


def _free_name(path: Path) -> Path:
    """`path`, or `path.2`, `path.3`, … : the first name not taken."""
    candidate, number = path, 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.name}.{number}")
    return candidate


def _fsync(path: Path) -> None:
    """What is written to `path` (a file, or a folder's entries on POSIX) is on the disk."""
    if path.is_dir() and not POSIX:
        return  # Windows cannot open a folder to flush it; NTFS journals the rename
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_file(source: Path, target: Path) -> None:
    """`source` copied to `target` as a new file (private; on Windows with the target folder's
    inherited permissions): written to a temporary name, flushed, renamed into place."""
    temporary = target.with_name(f".{target.name}.copying")
    with open(source, "rb") as src, open(temporary, "wb", opener=private_opener) as dst:
        shutil.copyfileobj(src, dst)
        dst.flush()
        os.fsync(dst.fileno())
    os.replace(temporary, target)


def _copy_folder(source: Path, target: Path) -> None:
    """`source` with everything in it copied to `target` (which is not there yet), as
    `_copy_file` copies each file, under a temporary name renamed into place at the end."""
    temporary = target.with_name(f".{target.name}.copying")
    if temporary.exists():
        shutil.rmtree(temporary)  # an earlier start's copy cut short
    private_dir(temporary)
    for item in sorted(source.rglob("*")):
        there = temporary / item.relative_to(source)
        if item.is_dir():
            private_dir(there)
        elif item.is_file():
            _copy_file(item, there)
    os.replace(temporary, target)


def _move_store(old: Path, paths: Paths, done: list[str]) -> int | None:
    """The old store, as `move_old_station` says: the number of its events waiting to be
    sent when it stays where it is (0 otherwise); None when it is in use or cannot be read
    (then nothing of the old station is moved at this start)."""
    store = old / STATION_DB
    if not store.exists():
        return 0
    if paths.station_db.exists():
        try:
            waiting = _pending_read_only(store)
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            waiting = 0  # (asked again under the lock)
        if waiting:
            return waiting  # left untouched: IT sends what it holds (`push_left_behind`)
    connection = sqlite3.connect(store, timeout=OLD_STORE_WAIT_S, isolation_level=None)
    aside: Path | None = None
    try:
        try:
            # Held until the connection closes: nobody else reads or writes the old store
            # while it is copied and renamed (in WAL mode an open connection keeps a shared
            # lock, so an older Packline merely running is seen too).
            connection.execute("PRAGMA locking_mode=EXCLUSIVE")
            connection.execute("BEGIN EXCLUSIVE")
            waiting = pending_in(connection)
            connection.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            done.append(f"{store} is in use (an older Packline still running?): left there, "
                        "moved at a later start")
            return None
        if paths.station_db.exists() and waiting:
            return waiting  # written since it was counted: left as well
        # Everything committed into the one file, so the file renamed aside holds it all.
        busy, _log, _done = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            done.append(f"{store} is in use (an older Packline still running?): left there, "
                        "moved at a later start")
            return None
        if paths.station_db.exists():
            aside = _free_name(old / (STATION_DB + NOT_USED_ASIDE))
            done.append(f"{store} (an older Packline's store for this account, nothing in its "
                        f"outbox waiting) is kept as {aside}, not used: the machine's store "
                        f"is {paths.station_db}")
        else:
            _copy_store(connection, paths.station_db)
            aside = _free_name(old / (STATION_DB + MOVED_ASIDE))
            done.append(f"copied the station's store {store} to {paths.station_db}; the old "
                        f"file is kept as {aside}")
        if POSIX:  # still under the lock (Windows cannot rename a file open anywhere)
            os.replace(store, aside)
            aside = None
    finally:
        connection.close()
    if aside is not None:
        os.replace(store, aside)  # refused while anybody opened it since: said in the log
    for suffix in ("-wal", "-shm", "-journal"):
        if not store.exists():  # (both empty after the checkpoint)
            (old / f"{STATION_DB}{suffix}").unlink(missing_ok=True)
    return 0


def _copy_store(connection: sqlite3.Connection, target: Path) -> None:
    """The store open on `connection` copied page by page (SQLite's backup API, consistent
    whatever the filesystems) to a temporary file beside `target`, flushed to disk and renamed
    into place."""
    temporary = target.with_name(f".{target.name}.copying")
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{temporary}{suffix}").unlink(missing_ok=True)  # an earlier start cut short
    os.close(private_opener(str(temporary), os.O_WRONLY | os.O_CREAT))
    copy = sqlite3.connect(temporary)
    try:
        connection.backup(copy)
    finally:
        copy.close()
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{temporary}{suffix}").unlink(missing_ok=True)
    _fsync(temporary)
    os.replace(temporary, target)
    _fsync(target.parent)


def _move_settings(old: Path, paths: Paths, done: list[str]) -> None:
    source = old / SETTINGS_FILE
    if not source.is_file():
        return
    aside = old / SETTINGS_ASIDE
    if not paths.settings.exists():
        if not paths.settings.parent.is_dir():
            private_dir(paths.settings.parent)
        for kept in sorted(old.glob(f"{SETTINGS_FILE}.v*.bak")):
            if not (paths.settings.parent / kept.name).exists():
                _copy_file(kept, paths.settings.parent / kept.name)
        _copy_file(source, paths.settings)
        os.replace(source, aside)
        done.append(f"copied the station's settings {source} to {paths.settings}; the old "
                    f"file is kept as {aside}")
        return
    # Kept, but under another name: on Windows it would otherwise be read as the person's own.
    os.replace(source, aside)
    done.append(f"{source} (an older Packline's settings for this account) is kept as {aside}, "
                f"not read: the station's settings are {paths.settings}")


@dataclass(frozen=True, slots=True)
class Upgraded:
    """What the station's start did to an older settings file: upgraded from version `old` to
    `new`, its old bytes kept in `backup`; `backup` None when the file could not be written
    (`why`): the station runs on the upgrade made in memory, tried again at the next start."""
    path: Path
    old: int
    new: int
    backup: Path | None
    why: str = ""
    loose_mode: int | None = None  # the old file's mode when others could read it (POSIX)


def backup_path(path: Path, version: int, data: bytes) -> Path:
    """Where the bytes of `path` at `version` are kept: `station.ini.vN.bak`, or the first
    `station.ini.vN.K.bak` free when an older copy with other bytes is there."""
    candidate = path.with_name(f"{path.name}.v{version}.bak")
    number = 1
    while candidate.exists() and candidate.read_bytes() != data:
        number += 1
        candidate = path.with_name(f"{path.name}.v{version}.{number}.bak")
    return candidate


def write_upgrade(settings: Settings, original: bytes) -> Upgraded:
    """Save settings read with `upgrade=True` over their file, whose bytes were `original`:
    those bytes first, to a backup next to it (private, as the file may hold a password),
    then the upgraded file, written whole and renamed over the old one, so the version it
    names is on disk only once everything else is. Either failing leaves the old file."""
    path, old = settings.path, settings.upgraded_from
    if path is None or old is None:
        raise ValueError("no upgrade to write")
    new = settings.version
    backup = backup_path(path, old, original)
    loose = None
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        if POSIX and mode & ~PRIVATE_FILE:
            loose = mode  # the rewrite is private: the log still says it was not
        if not backup.exists():
            with open(backup, "xb", opener=private_opener) as fh:
                fh.write(original)
                fh.flush()
                os.fsync(fh.fileno())
        settings.save()
    except (OSError, SettingsError) as exc:
        why = exc.strerror or str(exc) if isinstance(exc, OSError) else exc.reason
        return Upgraded(path, old, new, None, why)
    return Upgraded(path, old, new, backup, loose_mode=loose)


@dataclass(frozen=True, slots=True)
class Config:
    paths: Paths
    settings: Settings
    central_url: str
    upgraded: Upgraded | None = None  # the settings file was upgraded at this start
    # What the start did or found about the station's folders, for the log (`secure_station`).
    notes: tuple[str, ...] = ()

    @property
    def embedded(self) -> bool:
        return self.central_url.startswith("sqlite")

    @property
    def database_options(self) -> dict[str, Any]:
        """How `Database.from_url(central_url, ...)` opens the central database: within
        `[central] connect_timeout`, through a transaction pooler or not (`pooled`), with its
        read replica (`read_url`; never for the embedded SQLite file, which has none)."""
        central = self.settings.central
        return {"connect_timeout": central.connect_timeout, "pooled": central.pooled,
                "read_url": "" if self.embedded else central.read_url}

    def setting_files(self) -> list[tuple[str, Path, bool]]:
        """The settings files the station reads, lowest first: ("machine", path, exists),
        then ("user", path, exists) when the person's file is another file."""
        files = [("machine", self.paths.settings, self.paths.settings.is_file())]
        if self.paths.user != self.paths.settings:
            files.append(("user", self.paths.user, self.paths.user.is_file()))
        return files

    def source_of(self, section: str, key: str) -> SettingsSource:
        """Which layer gave the effective value of a registered key (KeyError for others)."""
        return self.settings.source_of(section, key)


# ---------------------------------------------------------------------- layers
# The machine-wide file is the station's; over it, lowest first: the person's own file, the
# environment (PACKLINE_<SECTION>_<KEY>), the command line (--set SECTION.KEY=VALUE). Only the
# registered keys are layered (not the file's own layout version); printers, devices and scan
# patterns are the station's and come from the machine-wide file only.
LAYERED: tuple[Option, ...] = tuple(o for o in OPTIONS if o.section != "settings")
ENV_PREFIX = "PACKLINE_"


def env_name(option: Option) -> str:
    """`PACKLINE_<SECTION>_<KEY>`, upper case, dots and dashes as underscores."""
    return ENV_PREFIX + re.sub(r"[.\-]", "_", f"{option.section}_{option.key}").upper()


ENV_NAMES: dict[str, Option] = {env_name(o): o for o in LAYERED}
FLAG = "--set"


def _checked(option: Option, raw: str, source: SettingsSource, *, path: Path | None = None,
             line: int | None = None) -> Any:
    try:
        return option.convert(raw)
    except SettingsError as exc:
        exc.path, exc.line, exc.section, exc.key = path, line, option.section, option.key
        exc.origin = source
        raise


def env_layer(environ: Mapping[str, str] | None = None) -> Layer:
    """The registered keys set in the environment, each checked (a problem names its
    variable). Only the exact names of `ENV_NAMES` are read; an empty one counts as unset."""
    environ = os.environ if environ is None else environ
    found: Layer = {}
    for var, option in ENV_NAMES.items():
        raw = environ.get(var)
        if raw is None or not raw.strip():
            continue
        source = SettingsSource("env", None, var)
        found[option.name] = (_checked(option, raw, source), source)
    return found


def flag_layer(items: Sequence[str]) -> Layer:
    """`--set SECTION.KEY=VALUE`, each checked (a later one for the same key wins; an empty
    VALUE leaves the key to the layers below)."""
    found: Layer = {}
    source = SettingsSource("flag", None, FLAG)
    for item in items:
        name, sep, raw = item.partition("=")
        section, dot, key = name.strip().partition(".")
        section, key = section.strip().lower(), key.strip().lower()
        if not sep or not dot or not section or not key:
            raise SettingsError(f"{item[:80]!r} is not SECTION.KEY=VALUE",
                                code="settings.bad_flag", origin=source, value=item[:80])
        option = _BY_NAME.get(f"{section}.{key}")
        if option is None or option not in LAYERED:
            known = sorted(o.key for o in LAYERED if o.section == section)
            raise SettingsError(
                "unknown key" + (f" (known: {', '.join(known)})" if known else
                                 " in an unknown section"),
                code="settings.unknown_key" if known else "settings.unknown_section",
                origin=source, section=section, key=key, known=", ".join(known))
        if not raw.strip():
            found.pop(option.name, None)
            continue
        found[option.name] = (_checked(option, raw, source), source)
    return found


def user_layer(path: Path, machine: Path | None = None) -> Layer:
    """The registered keys the person's own settings file sets (none when there is no such
    file, or it is the machine-wide file itself). The file is checked as the machine-wide one
    is (a problem names it and the line), read in the current layout (an older one upgraded
    in memory only). It may set only a person's preferences (`PERSONAL`): printers, devices,
    scan patterns and every other key (the station's code, its central database, its log, …)
    there are refused, as they are the station's. An empty value leaves the key to the
    machine-wide file."""
    if (machine is not None and path == machine) or not path.is_file():
        return {}
    settings = Settings.from_bytes(read_file(path), path, upgrade=True)
    where = f" ({machine})" if machine else ""
    for name in settings._doc.sections():
        if name in FREE_SECTIONS or name.startswith(FREE_PREFIXES):
            raise SettingsError("printers, devices and barcode patterns are the station's: "
                                "set them in the machine-wide settings file" + where,
                                code="settings.machine_only", path=path, section=name,
                                line=settings.line_of(name), machine=str(machine or ""),
                                personal=", ".join(PERSONAL))
    source = SettingsSource("user", path, str(path))
    found: Layer = {}
    for option in LAYERED:
        raw = settings._raw(option.section, option.key)
        if raw is None or not raw.strip():
            continue
        if not option.personal:
            raise SettingsError("the station's, not a person's: set it in the machine-wide "
                                f"settings file{where}; a person's own file sets only "
                                f"{', '.join(PERSONAL)}",
                                code="settings.machine_only", path=path,
                                section=option.section, key=option.key,
                                line=settings.line_of(option.section, option.key),
                                machine=str(machine or ""), personal=", ".join(PERSONAL))
        found[option.name] = (settings.get(option.name), source)
    return found


def url_password(url: str) -> str | None:
    if "@" not in url and "password" not in url.lower():
        return None
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).password
    except Exception:  # noqa: BLE001 - a URL that does not parse fails later, in its own words
        return None


def load_config(home: Path | None = None, *, flags: Sequence[str] = (),
                environ: Mapping[str, str] | None = None, write: bool = True) -> Config:
    """The station's folders and its effective settings: the machine-wide file under the
    person's own file, the environment and `flags` (--set SECTION.KEY=VALUE), each value
    checked whatever its source. Nothing is written before everything is read and checked:
    the folders are first chosen without writing (`station_paths(create=False)`) and the
    flags, the environment, the machine-wide file (or the older per-person station's file that
    is to become it) and the person's own file are read and checked; only then are the
    folders made, an older per-person station moved in (`move_old_station`), the files read
    again from where they now are, and an older machine-wide file upgraded.

    Without `write` (`packline doctor`, which may be run by another account than the
    station's: root, an administrator) nothing at all is written: no folder made, no older
    station moved, an older settings file upgraded in memory only."""
    above = env_layer(environ), flag_layer(flags)
    planned = station_paths(home, create=False)
    checked_path, checked = _check_files(planned)
    if not write:
        settings, _original = checked if checked_path == planned.settings else \
            read_station_settings(planned.settings)
        person = person_file(planned)
        settings.overlay(user_layer(person, planned.settings) if person else {}, *above)
        url = settings.central.url or f"sqlite:///{planned.station_db}"
        redact.remember(url_password(url))
        redact.remember(url_password(settings.central.read_url))
        return Config(paths=planned, settings=settings, central_url=url)
    paths = station_paths(home)
    notes = [*move_old_station(paths)]
    if paths.data_note:
        notes.insert(0, f"the machine-wide data folder cannot be used ({paths.data_note}): "
                        f"this station keeps its store, outbox and logs in {paths.home}, "
                        "for this account only")
    # The file read and checked above, unless an older station's file was moved in since (an
    # older layout's upgrade steps then run on it once more, from the same bytes).
    settings, original = checked if checked_path == paths.settings else \
        read_station_settings(paths.settings)
    person = person_file(paths)
    settings.overlay(user_layer(person, paths.settings) if person else {}, *above)
    if not paths.home.is_dir():
        private_dir(paths.home)
    upgraded = None if original is None else write_upgrade(settings, original)
    url = settings.central.url or f"sqlite:///{paths.station_db}"
    redact.remember(url_password(url))
    redact.remember(url_password(settings.central.read_url))
    return Config(paths=paths, settings=settings, central_url=url, upgraded=upgraded,
                  notes=tuple(notes))


def _check_files(planned: Paths) -> tuple[Path, tuple[Settings, bytes | None]]:
    """Read and check the settings files the station will read at `planned` (nothing
    written): the machine-wide file, or when there is none the older per-person station's
    that `move_old_station` copies there, and the person's own. Returns the machine-wide
    file read, with what `read_station_settings` made of it."""
    machine = planned.settings
    old = old_station_folder(planned)
    if not machine.exists() and old is not None and (old / SETTINGS_FILE).is_file():
        machine = old / SETTINGS_FILE
    read = read_station_settings(machine)
    person = person_file(planned)
    if person is not None:
        user_layer(person, planned.settings)
    return machine, read


def read_station_settings(path: Path) -> tuple[Settings, bytes | None]:
    """The machine-wide settings file, checked (the first problem refused), an older layout
    upgraded in memory; with the file's bytes when the upgrade is still to be written."""
    if not path.exists():
        return Settings(None, path), None
    data = read_file(path)
    settings = Settings.from_bytes(data, path, upgrade=True)
    return settings, (None if settings.upgraded_from is None else data)


def open_settings(path: Path) -> tuple[Settings, Upgraded | None]:
    """The station's own settings file, as the station starts: checked (the first problem
    refused), and written in the current layout version when it was older (`write_upgrade`);
    a file with a problem is refused as it is, before anything is written."""
    if not path.exists():
        return Settings(None, path), None
    data = read_file(path)
    settings = Settings.from_bytes(data, path, upgrade=True)
    if settings.upgraded_from is None:
        return settings, None
    return settings, write_upgrade(settings, data)


def log_upgrade(upgraded: Upgraded) -> None:
    """What the start did to an older settings file (`load_config` runs before the log is
    set up)."""
    if upgraded.backup is None:
        log.warning("%s is settings version %d, read as version %d, but could not be "
                    "rewritten (%s): it is upgraded again at the next start", upgraded.path,
                    upgraded.old, upgraded.new, upgraded.why)
        return
    log.info("%s upgraded from settings version %d to %d; the old file is kept as %s",
             upgraded.path, upgraded.old, upgraded.new, upgraded.backup)
    if upgraded.loose_mode is not None:  # as `tighten` says of what it tightens
        log.warning("%s was readable by others (mode %o); rewritten %o by the upgrade",
                    upgraded.path, upgraded.loose_mode, PRIVATE_FILE)


def station_files(paths: Paths) -> list[Path]:
    """What of the station only its user may read: the data folder, the settings (and the
    copies an upgrade kept), the station store with its WAL files, the logs and the file
    printer's output."""
    found: list[Path] = []
    # The logs first: the first warning opens the log file, which would fix its mode unsaid.
    for folder in (paths.logs, paths.prints):
        try:
            if folder.is_dir():
                found += sorted(p for p in folder.iterdir() if _there(p, file=True))
        except OSError:  # one this account may not open: not its to tighten
            pass
        found.append(folder)
    found += [paths.home, paths.settings, paths.station_db]
    # older settings, as upgraded
    found += sorted(paths.settings.parent.glob(f"{SETTINGS_FILE}.v*.bak"))
    found += [paths.home / f"{STATION_DB}{suffix}" for suffix in ("-wal", "-shm", "-journal")]
    return found


def secure_station(cfg: Config) -> list[Path]:
    """At start, once the log is there: say where the station's data is when it is not in the
    machine-wide folder and what the start moved there, tighten what of the station others
    could read (each with a warning naming it), say what the start did to an older settings
    file, and warn when a settings file holds the central database's password. Returns the
    paths tightened."""
    for note in cfg.notes:
        log.warning("%s", note)
    tightened = tighten_all(p for p in station_files(cfg.paths) if _there(p))
    if cfg.upgraded is not None:
        log_upgrade(cfg.upgraded)
    for key in ("url", "read_url"):
        source = cfg.source_of("central", key)
        if source.path is not None and url_password(getattr(cfg.settings.central, key)):
            log.warning("%s: [central] %s holds the database password; keep it in "
                        "PACKLINE_CENTRAL_PASSWORD, a PostgreSQL password file or the keyring "
                        "instead (README: The central database's password)", source.path, key)
    return tightened
