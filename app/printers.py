"""The station's printers as configured in `station.ini`, and which printer prints what.

    [printer:label]
    url = tcp://192.168.1.50:9100
    language = zpl
    dpi = 203
    paper = 100x150
    backup = label-2

    [printer:label-2]
    url = tcp://192.168.1.51:9100
    language = tspl
    paper = 100x150

    [printers]
    waybill = label
    slip = slip-printer

With no printer configured, everything goes to the folder printer: PDFs in
`PACKLINE_HOME/prints`. No Qt here; the spooler, the services and the CLI all read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.config import Settings, SettingsError

SECTION = "printer:"
LANGUAGES = ("zpl", "tspl", "escpos", "pdf", "png")
PAPERS = ("100x150", "76x130", "100x180", "80mm", "a4")
# What each printer role prints; a station names the printer for a role in [printers].
ROLES = ("waybill", "slip", "picklist", "label", "cards", "manifest")
DEFAULT_PAPER = {"waybill": "100x150", "slip": "80mm", "picklist": "a4", "label": "100x150",
                 "cards": "a4", "manifest": "a4"}
FOLDER_PRINTER = "folder"
_KEYS = ("url", "language", "dpi", "paper", "backup", "cjk", "timeout")


class PrinterConfigError(SettingsError):
    """A printer section that cannot work; the message names the section and key."""


@dataclass(frozen=True, slots=True)
class PrinterSpec:
    name: str
    url: str
    language: str
    dpi: int = 203
    paper: str = "100x150"
    backup: str = ""
    cjk: str = "graphic"  # ZPL: Chinese as graphics (any printer) or the resident font
    timeout: float = 5.0

    def as_items(self) -> dict[str, str]:
        items = {"url": self.url, "language": self.language, "dpi": str(self.dpi),
                 "paper": self.paper}
        if self.backup:
            items["backup"] = self.backup
        if self.cjk != "graphic":
            items["cjk"] = self.cjk
        if self.timeout != 5.0:
            items["timeout"] = str(self.timeout)
        return items


def folder_printer() -> PrinterSpec:
    return PrinterSpec(FOLDER_PRINTER, "file://", "pdf", 203, "100x150")


def parse_printer(name: str, items: dict[str, str]) -> PrinterSpec:
    from drivers.printers.urls import PrinterUrlError, parse_printer_url

    where = f"[{SECTION}{name}]"
    unknown = sorted(set(items) - set(_KEYS))
    if unknown:
        raise PrinterConfigError(f"{where}: unknown key {unknown[0]!r} "
                                 f"(known: {', '.join(_KEYS)})")
    url = items.get("url", "").strip()
    if not url:
        raise PrinterConfigError(f"{where} url: required, e.g. tcp://192.168.1.50:9100")
    try:
        parse_printer_url(url)
    except PrinterUrlError as exc:
        raise PrinterConfigError(f"{where} url: {exc}") from None
    language = items.get("language", "").strip().lower()
    if language not in LANGUAGES:
        raise PrinterConfigError(f"{where} language: expected one of {', '.join(LANGUAGES)}")
    if url.startswith("escpos+") and language != "escpos":
        raise PrinterConfigError(f"{where} language: an escpos+ printer speaks escpos")
    paper = items.get("paper", "100x150").strip().lower()
    if paper not in PAPERS:
        raise PrinterConfigError(f"{where} paper: expected one of {', '.join(PAPERS)}")
    try:
        dpi = int(items.get("dpi", "203"))
        timeout = float(items.get("timeout", "5"))
    except ValueError as exc:
        raise PrinterConfigError(f"{where}: {exc}") from None
    if dpi not in (203, 300):
        raise PrinterConfigError(f"{where} dpi: 203 or 300")
    if timeout <= 0:
        raise PrinterConfigError(f"{where} timeout: seconds, more than 0")
    cjk = items.get("cjk", "graphic").strip().lower()
    if cjk not in ("graphic", "font"):
        raise PrinterConfigError(f"{where} cjk: graphic or font")
    backup = items.get("backup", "").strip()
    if backup == name:
        raise PrinterConfigError(f"{where} backup: a printer cannot be its own backup")
    return PrinterSpec(name, url, language, dpi, paper, backup, cjk, timeout)


def load_printers(settings: Settings) -> dict[str, PrinterSpec]:
    """Every configured printer by name; the folder printer when none is configured."""
    printers = {name: parse_printer(name, items)
                for name, items in settings.sections(SECTION).items()}
    for spec in printers.values():
        if spec.backup and spec.backup not in printers:
            raise PrinterConfigError(f"[{SECTION}{spec.name}] backup: no printer named "
                                     f"{spec.backup!r}")
    if not printers:
        printers[FOLDER_PRINTER] = folder_printer()
    return printers


def printer_for(settings: Settings, printers: dict[str, PrinterSpec], role: str) -> PrinterSpec:
    """The printer for a role: `[printers] ROLE`, else `[printers] default`, else the first."""
    if role not in ROLES:
        raise PrinterConfigError(f"unknown printer role {role!r}")
    chosen = settings.section("printers")
    for key in (role, "default"):
        name = chosen.get(key, "").strip()
        if name:
            if name not in printers:
                raise PrinterConfigError(f"[printers] {key}: no printer named {name!r}")
            return printers[name]
    return next(iter(printers.values()))


def check_roles(settings: Settings, printers: dict[str, PrinterSpec]) -> None:
    for key in settings.section("printers"):
        if key not in (*ROLES, "default"):
            raise PrinterConfigError(f"[printers]: unknown key {key!r} "
                                     f"(known: {', '.join(ROLES)}, default)")
        printer_for(settings, printers, key if key != "default" else ROLES[0])


def prints_folder(home: Path) -> Path:
    return home / "prints"
