"""Where a station keeps its things and how it is set up.

`PACKLINE_HOME` is the station's folder (settings file, local store, logs, file-printer output);
`PACKLINE_CENTRAL_URL` names the central database (its password best kept out of it:
`app.store.credentials`). The settings file `station.ini` is plain INI that IT writes by hand
and deploys; every key, its type, its choices or range and its default are registered here
once. The file is read as UTF-8 (a BOM dropped), else GB18030, and every value is checked at
start: a `SettingsError` names the file, the line, the section and the key (worded in the
reader's language by `app.ui.messages.describe_setting`; `packline settings check FILE` lists
them all). Values are read as configparser reads them (no interpolation; `;`/`#` comments,
inside values over several lines too); the document is kept with its comments and layout
(configupdater), so a save changes only the lines of the keys that were set, in the encoding
(and BOM) the file was read in. Only the station's user may read the folder
and what is in it (`secure_station`).
"""

from __future__ import annotations

import configparser
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs
from configupdater import ConfigUpdater
from configupdater import Option as IniOption
from configupdater import Section as IniSection
from configupdater.block import Comment

from app import redact
from app.domain.text import TextRefused, clean_line, describe
from app.secure_files import private_dir, private_opener, tighten_all

log = logging.getLogger("packline.config")
SETTINGS_FILE = "station.ini"
SETTINGS_VERSION = 1
# `key = value   ; why` and `# …` after a value or a header are comments (the README's style).
INLINE_COMMENTS = (";", "#")
LANGUAGES = ("zh_CN", "en")
STATION_KINDS = ("packing", "picking", "office", "dock")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# Python's logging also takes these names, and station files written for it use them.
LOG_LEVEL_ALIASES = {"WARN": "WARNING", "FATAL": "CRITICAL"}
# Station and warehouse codes go into audit rows, barcodes and file names.
CODE_SHAPE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")
# A device's or printer's NAME in `[device:NAME]`, `[printer:NAME]` (on screens, after
# --printer): any clean text (`clean_line`), spaces included, but no [ ] or : and not blank.
NAME_FORBIDDEN = "[]:"
NAME_LIMIT = 100
TEXT_LIMIT = 200


class SettingsError(ValueError):
    """One thing wrong in the settings file. `reason` is English (log, fallback); `code` and
    `params` word it in the reader's language (`app.ui.messages.describe_setting`); `path`,
    `section`, `key` and `line` say where, as far as known."""

    def __init__(self, reason: str, *, code: str = "settings.invalid", path: Path | None = None,
                 section: str | None = None, key: str | None = None, line: int | None = None,
                 **params: object) -> None:
        self.reason = reason
        self.code = code
        self.params = params
        self.path = path
        self.section = section
        self.key = key
        self.line = line
        super().__init__(reason)

    def __str__(self) -> str:
        where = []
        if self.path is not None:
            where.append(str(self.path) + (f", line {self.line}" if self.line else ""))
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
    Option("station", "code", code_text, "ST-01", "station code shown in the audit log "
           "(letters, digits, '.', '_' or '-', at most 32)"),
    Option("station", "name", text(), "", "human name of the station (e.g. 杭州仓 打包台 3)"),
    Option("station", "warehouse", code_text, "", "warehouse code this station works in"),
    Option("station", "kind", choice(*STATION_KINDS), "packing",
           "packing, picking, office or dock"),
    Option("ui", "language", choice(*LANGUAGES), "zh_CN", "zh_CN or en"),
    Option("central", "url", text(2000), "", "SQLAlchemy URL of the central database (best "
           "without its password: README); PACKLINE_CENTRAL_URL wins over it; empty means the "
           "embedded SQLite file"),
    # 0 is refused: libpq waits for ever on connect_timeout=0 (a dead server hangs the app).
    Option("central", "connect_timeout", whole(1, 600), 5, "seconds (1 to 600) before the "
           "central database counts as unreachable"),
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
)
_BY_NAME = {o.name: o for o in OPTIONS}
_SECTIONS = {o.section for o in OPTIONS}


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
                return str(Settings.load(path, check=False).get("ui.language"))
        except (SettingsError, OSError):
            continue
    return str(_BY_NAME["ui.language"].default)


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
    for section in doc.iter_sections():
        for option in section.iter_options():
            if option.value is None:  # pragma: no cover - allow_no_value is off
                raise SettingsError("a key without a value", code="settings.bad_line",
                                    path=path, section=section.name, key=option.key)
    return doc


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


class Settings:
    """Typed view of `station.ini` with defaults from the registry above. The document keeps
    IT's comments and layout: a save changes only the keys that were set."""

    def __init__(self, doc: ConfigUpdater | None = None, path: Path | None = None, *,
                 check: bool = True) -> None:
        self._doc = doc if doc is not None else ConfigUpdater(
            inline_comment_prefixes=INLINE_COMMENTS)
        self.path = path
        self._typed: dict[str, Any] = {}
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
                  check: bool = True) -> Settings:
        # A lone CR (old editors) ends a line as LF and CRLF do.
        content = content.replace("\r\n", "\n").replace("\r", "\n")
        return cls(parse(content, path), path, check=check)

    @classmethod
    def load(cls, path: Path, *, check: bool = True) -> Settings:
        """The file (defaults when there is none); refuses the first problem it finds
        (`check=False`: keeps the problems for `problems()`, defaults in their place)."""
        if not path.exists():
            return cls(None, path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise SettingsError(f"cannot be read: {exc.strerror or exc}",
                                code="settings.unreadable", path=path,
                                why=str(exc.strerror or exc)) from None
        return cls.from_bytes(data, path, check=check)

    @classmethod
    def from_bytes(cls, data: bytes, path: Path | None = None, *,
                   check: bool = True) -> Settings:
        """What IT's editors write: UTF-8 (with or without the BOM Notepad puts first), else
        GB18030 (the Chinese Windows code page's superset). Saved back in the same encoding
        (and BOM) with the line endings of the file's first line."""
        settings = cls.from_text(decode(data, path), path, check=check)
        settings.encoding = encoding_of(data)
        settings.newline = "\r\n" if b"\r\n" in data.split(b"\n", 1)[0] + b"\n" else "\n"
        return settings

    # ---- checking

    def line_of(self, section: str, key: str | None = None) -> int | None:
        """The line of a section's header, or of one of its keys, as the file was read."""
        if self._lines is None:
            self._lines = _line_numbers(self._doc)
        sections, keys = self._lines
        return keys.get((section, key)) if key is not None else sections.get(section)

    def problems(self) -> list[SettingsError]:
        """Every unknown key and every bad value of the registered sections, in file order;
        each names the section, the key and its line. Fills the typed values."""
        found: list[SettingsError] = []
        _sections, keys = self._lines = _line_numbers(self._doc)
        for section in self._doc.iter_sections():
            name = section.name
            if name in FREE_SECTIONS or name.startswith(FREE_PREFIXES):
                continue
            for option in section.iter_options():
                if f"{name}.{option.key}" not in _BY_NAME:
                    known = sorted(o.key for o in OPTIONS if o.section == name)
                    found.append(SettingsError(
                        "unknown key" + (f" (known: {', '.join(known)})" if known else
                                         " in an unknown section"),
                        code="settings.unknown_key" if known else "settings.unknown_section",
                        path=self.path, section=name, key=option.key,
                        line=keys.get((name, option.key)), known=", ".join(known)))
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
        option = _BY_NAME[name]
        return self._typed.get(name, option.default)

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
        if not content:
            self._doc.read_string(f"# Packline station settings (version {SETTINGS_VERSION})\n")
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
        # The file may hold the central database's URL: 0600 from its first byte.
        with open(tmp, "wb", opener=private_opener) as fh:
            fh.write(encoded)
        os.replace(tmp, target)
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
