"""`packline settings check FILE`: every problem of a station settings file, without starting
the app or touching a database: the file's encoding and INI shape, the registered keys
(`app.config.OPTIONS`), the devices (`app.devices`), the barcode patterns and the printers
(`app.printers`). Each problem names the section, the key and the line. A file of an older
layout version is checked as the station's start would upgrade it (`upgrade_due` says from
which version), and left as it is. No Qt here."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from app import devices, printers
from app.config import SETTINGS_VERSION, Settings, SettingsError, read_file


@dataclass(slots=True)
class Checked:
    path: Path
    problems: list[SettingsError] = field(default_factory=list)
    settings: Settings | None = None
    devices: int = 0
    printers: int = 0
    # (the file's version, the current one) when the station's start would upgrade it
    upgrade_due: tuple[int, int] | None = None


def check_file(path: Path) -> Checked:
    """Every problem of the file at `path`, in file order (one per device or printer section:
    the first thing wrong in it)."""
    if not path.is_file():
        return Checked(path, [SettingsError("no such file", code="settings.missing",
                                            path=path)])
    try:
        data = read_file(path)
    except SettingsError as exc:
        return Checked(path, [exc])
    return check_bytes(data, path)


def check_bytes(data: bytes, path: Path) -> Checked:
    """`check_file` of the file's bytes."""
    checked = Checked(path)
    try:
        settings = Settings.from_bytes(data, path, check=False, upgrade=True)
    except SettingsError as exc:  # not INI at all, or not upgradable: nothing further to check
        checked.problems.append(exc.located(path, None))
        return checked
    checked.settings = settings
    if settings.upgraded_from is not None:
        checked.upgrade_due = (settings.upgraded_from, SETTINGS_VERSION)
    found = settings.problems()
    if any(e.code == "settings.newer_version" for e in found):
        checked.problems = found  # what else is in it may mean what this Packline cannot know
        return checked

    def located(exc: SettingsError) -> SettingsError:
        section = exc.section or ""
        line = settings.line_of(section, exc.key) if exc.key else None
        return exc.located(path, line or settings.line_of(section))

    for name, items in settings.sections(devices.SECTION).items():
        try:
            devices.parse_spec(name, items)
            checked.devices += 1
        except SettingsError as exc:
            found.append(located(exc))
    for check in (devices.scan_patterns, devices.gs_substitute):
        try:
            check(settings)
        except SettingsError as exc:
            found.append(located(exc))
    specs = {}
    for name, items in settings.sections(printers.SECTION).items():
        try:
            specs[name] = printers.parse_printer(name, items)
        except SettingsError as exc:
            found.append(located(exc))
    checked.printers = len(specs)
    if len(specs) == len(settings.sections(printers.SECTION)):
        try:  # the backups and roles, which name other printers
            printers.load_setup(settings)
        except SettingsError as exc:
            found.append(located(exc))
    found.sort(key=lambda e: e.line or 0)
    checked.problems = found
    return checked
