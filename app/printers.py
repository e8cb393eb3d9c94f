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

    [printer:cainiao]
    url = cainiao://127.0.0.1:13528?printer=ZTO-1
    language = cainiao
    paper = 100x180
    custom_template = http://cloudprint.cainiao.com/template/customArea/440439

    [printers]
    waybill = label
    slip = slip-printer

A platform's print component (cainiao://, pdd://, douyin://, kuaishou://) speaks its own
language (`language = cainiao`…), holds 76x130 or 100x180 labels, and prints Packline's own
content through its custom-area template `custom_template` (docs/printing.md).

With no printer configured, everything goes to the folder printer: PDFs in `prints/` of the
station's data folder (`Paths.prints`). `load_setup` reads and checks it all once
(`PrinterSetup`); no Qt here: the spooler, the services and the CLI all read it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from app.config import Settings, SettingsError, choice, decimal, name_problem, text

SECTION = "printer:"
COMPONENT_LANGUAGES = ("cainiao", "pdd", "douyin", "kuaishou")  # the print components
LANGUAGES = ("zpl", "tspl", "escpos", "pdf", "png", *COMPONENT_LANGUAGES)
COMPONENT_PAPERS = ("76x130", "100x180")  # the platforms' standard e-waybill templates
# The custom area (自定义区) a component printer prints Packline's content through when the
# station names none: the example custom area of Cainiao's cloud-print documentation. A shop
# makes its own in the platform's console and names it in `custom_template`; the other
# platforms publish no such example, so their printers print other documents only with one.
DEFAULT_CUSTOM_TEMPLATES = {"cainiao": "http://cloudprint.cainiao.com/template/customArea/440439"}
PAPERS = ("100x150", "76x130", "100x180", "80mm", "a4")
# What each printer role prints; a station names the printer for a role in [printers].
# A platform's e-waybills (Cainiao, Pinduoduo, Douyin) print only through its print
# component: `waybill_cainiao = NAME` names the printer (a component printer of that
# language); without it the `waybill` printer serves when it speaks that component's language.
PLATFORM_WAYBILL_ROLES = {"cainiao": "waybill_cainiao", "pdd": "waybill_pdd",
                          "douyin": "waybill_douyin"}
ROLES = ("waybill", "slip", "picklist", "label", "cards", "manifest",
         *PLATFORM_WAYBILL_ROLES.values())
DEFAULT_PAPER = {"waybill": "100x150", "slip": "80mm", "picklist": "a4", "label": "100x150",
                 "cards": "a4", "manifest": "a4",
                 **{role: "76x130" for role in PLATFORM_WAYBILL_ROLES.values()}}
FOLDER_PRINTER = "folder"
_KEYS = ("url", "language", "dpi", "paper", "backup", "cjk", "timeout", "custom_template")


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
    custom_template: str = ""  # a print component's custom-area template URL (as written)

    @property
    def is_component(self) -> bool:
        return self.language in COMPONENT_LANGUAGES

    @property
    def custom_area(self) -> str:
        """The custom-area template this printer prints Packline's content through ("" when
        there is none)."""
        return self.custom_template or DEFAULT_CUSTOM_TEMPLATES.get(self.language, "")

    def as_items(self) -> dict[str, str]:
        items = {"url": self.url, "language": self.language, "dpi": str(self.dpi),
                 "paper": self.paper}
        if self.backup:
            items["backup"] = self.backup
        if self.cjk != "graphic":
            items["cjk"] = self.cjk
        if self.timeout != 5.0:
            items["timeout"] = str(self.timeout)
        if self.custom_template:
            items["custom_template"] = self.custom_template
        return items


def folder_printer() -> PrinterSpec:
    return PrinterSpec(FOLDER_PRINTER, "file://", "pdf", 203, "100x150")


def parse_printer(name: str, items: dict[str, str]) -> PrinterSpec:
    """Check one `[printer:NAME]` section; raises PrinterConfigError naming the key."""
    from drivers.printers.urls import PrinterUrlError, parse_printer_url

    section = SECTION + name

    def refuse(reason: str, code: str, key: str | None = None,
               **params: object) -> PrinterConfigError:
        error = PrinterConfigError(reason, code=code, section=section, key=key)
        error.params = params  # not as keywords: a param may be named like a place (path, line)
        return error

    def value(key: str, convert: Callable[[str], Any], default: str) -> Any:
        try:
            return convert(items.get(key, default))
        except SettingsError as exc:
            raise refuse(exc.reason, exc.code, key, **exc.params) from None

    problem = name_problem(name)
    if problem is not None:
        raise refuse(problem, "printer.bad_name", name=name[:40])
    unknown = sorted(set(items) - set(_KEYS))
    if unknown:
        raise refuse(f"unknown key (known: {', '.join(_KEYS)})", "settings.unknown_key",
                     unknown[0], known=", ".join(_KEYS))
    url = value("url", text(2000), "")
    if not url:
        raise refuse("required, e.g. tcp://192.168.1.50:9100", "printer.url_required", "url")
    try:
        parsed = parse_printer_url(url)
    except PrinterUrlError as exc:
        # Worded per code in app/ui/messages.py ("printer_url.CODE"), not the driver's English.
        raise refuse(str(exc), f"printer_url.{exc.code}", "url", **exc.params) from None
    language = value("language", choice(*LANGUAGES), "")
    if url.startswith("escpos+") and language != "escpos":
        raise refuse("an escpos+ printer speaks escpos", "printer.escpos_language", "language")
    scheme = parsed.kind.value
    if parsed.kind.is_component and language != scheme:
        raise refuse(f"a {scheme}:// printer speaks {scheme}: language = {scheme}",
                     "printer.component_language", "language", scheme=scheme)
    if language in COMPONENT_LANGUAGES and scheme != language:
        raise refuse(f"language = {language} is a print component's: the URL is "
                     f"{language}://HOST:PORT?printer=NAME", "printer.language_needs_component",
                     "url", language=language)
    component = language in COMPONENT_LANGUAGES
    paper = value("paper", choice(*(COMPONENT_PAPERS if component else PAPERS)),
                  "76x130" if component else "100x150")
    custom_template = value("custom_template", text(2000), "")
    if custom_template and not component:
        raise refuse("custom_template is for print component printers",
                     "printer.custom_template_component", "custom_template")
    if custom_template and not re.fullmatch(r"https?://[^\s]+", custom_template):
        raise refuse("custom_template is an http:// or https:// URL",
                     "printer.bad_custom_template", "custom_template")
    dpi = int(value("dpi", choice("203", "300"), "203"))
    timeout = value("timeout", decimal(0, 600), "5")
    cjk = value("cjk", choice("graphic", "font"), "graphic")
    backup = value("backup", text(40), "")
    if backup == name:
        raise refuse("a printer cannot be its own backup", "printer.own_backup", "backup")
    return PrinterSpec(name, url, language, dpi, paper, backup, cjk, timeout, custom_template)


def load_printers(settings: Settings) -> dict[str, PrinterSpec]:
    """Every configured printer by name; the folder printer when none is configured."""
    printers: dict[str, PrinterSpec] = {}
    for name, items in settings.sections(SECTION).items():
        try:
            printers[name] = parse_printer(name, items)
        except PrinterConfigError as exc:
            raise _located(settings, exc) from None
    for spec in printers.values():
        if spec.backup and spec.backup not in printers:
            raise _located(settings, PrinterConfigError(
                f"no printer named {spec.backup!r}", code="printer.no_such_printer",
                section=SECTION + spec.name, key="backup", printer=spec.backup))
        backup = printers.get(spec.backup) if spec.backup else None
        if backup is not None and (spec.is_component or backup.is_component) \
                and backup.language != spec.language:
            # A platform's waybill prints only through that platform's component, and a
            # component prints only what was rendered for it.
            raise _located(settings, PrinterConfigError(
                f"the backup of a {spec.language} printer speaks {spec.language} too, "
                f"not {backup.language}", code="printer.component_backup",
                section=SECTION + spec.name, key="backup", printer=spec.backup,
                language=spec.language))
    if not printers:
        printers[FOLDER_PRINTER] = folder_printer()
    return printers


@dataclass(frozen=True, slots=True)
class PrinterSetup:
    """The station's printers, checked: each `[printer:NAME]` by name (the folder printer when
    there is none) and what `[printers]` names for a role (`waybill = label`) or for every
    role without one (`default = label`)."""
    printers: Mapping[str, PrinterSpec]
    roles: Mapping[str, str]

    def for_role(self, role: str) -> PrinterSpec:
        """The printer for a role: `[printers] ROLE`, else `[printers] default`, else the
        first configured."""
        if role not in ROLES:
            raise PrinterConfigError(f"unknown printer role {role!r}",
                                     code="printer.unknown_role", role=role)
        if role in PLATFORM_WAYBILL_ROLES.values():
            provider = next(p for p, r in PLATFORM_WAYBILL_ROLES.items() if r == role)
            return self.for_waybill(provider)
        name = self.roles.get(role) or self.roles.get("default")
        return self.printers[name] if name else next(iter(self.printers.values()))

    def for_waybill(self, provider: str) -> PrinterSpec:
        """The printer of a waybill from `provider`: the `waybill` printer for the pool; for
        a platform's, `[printers] waybill_PROVIDER`, else the `waybill` printer when its
        language is that platform's component, else refused in words (a platform's waybill
        prints only through its own print component)."""
        if provider == "pool" or provider not in PLATFORM_WAYBILL_ROLES:
            return self.for_role("waybill")
        name = self.roles.get(PLATFORM_WAYBILL_ROLES[provider])
        if name:
            return self.printers[name]
        fallback = self.for_role("waybill")
        if fallback.language == provider:
            return fallback
        raise PrinterConfigError(
            f"no printer for {provider} waybills at this station: name one with "
            f"[printers] {PLATFORM_WAYBILL_ROLES[provider]} = PRINTER (a {provider}:// "
            "component printer)", code="printer.no_platform_printer", provider=provider,
            role=PLATFORM_WAYBILL_ROLES[provider])


def load_setup(settings: Settings) -> PrinterSetup:
    """Every printer and role of the settings, checked once; the first problem refused with
    the file, the line, the section and the key."""
    printers = load_printers(settings)
    return PrinterSetup(MappingProxyType(printers), MappingProxyType(_roles(settings, printers)))


def _located(settings: Settings, exc: SettingsError) -> SettingsError:
    """The problem with the settings file's path and the line of its key (or section)."""
    section = exc.section or ""
    line = settings.line_of(section, exc.key) if exc.key else None
    return exc.located(settings.path, line or settings.line_of(section))


def _roles(settings: Settings, printers: Mapping[str, PrinterSpec]) -> dict[str, str]:
    """`[printers]`: each key a role or `default`, each value a printer there is (empty: none
    chosen), refused located in the file."""
    roles: dict[str, str] = {}
    for key, raw in settings.section("printers").items():
        name = raw.strip()
        if key not in (*ROLES, "default"):
            problem = PrinterConfigError(
                f"unknown key (known: {', '.join(ROLES)}, default)",
                code="settings.unknown_key", section="printers", key=key,
                known=", ".join([*ROLES, "default"]))
        elif name and name not in printers:
            problem = PrinterConfigError(f"no printer named {name!r}",
                                         code="printer.no_such_printer", section="printers",
                                         key=key, printer=name)
        else:
            if name:
                roles[key] = name
            continue
        raise _located(settings, problem)
    return roles


def prints_folder(home: Path) -> Path:
    return home / "prints"
