"""The station's devices as configured in `station.ini`, and the drivers built from them.

Each device is a section `[device:NAME]` with `kind` (scanner, scale or wedge) and, for
scanners and scales, `url` (DECISIONS.md device URLs, parsed by `drivers.urls`). Barcode
patterns for Packline's own codes can be changed in `[scan]`. No Qt here: the CLI's
`devices listen` and the desktop's device manager both build their drivers through this module.

    [device:scanner]
    kind = scanner
    url = usbserial://1a86:7523?baud=9600&suffix=CR

    [device:scale]
    kind = scale
    url = serial:///dev/ttyUSB1?baud=9600&protocol=ad
    window_ms = 500
    tolerance_g = 2

    [device:wedge]
    kind = wedge
    max_interkey_ms = 30
    min_length = 4
    prefix =
    suffix = enter
    timeout_ms = 80
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.config import Settings, SettingsError
from app.domain.roles import Permission
from app.services.context import Actor
from drivers.barcode import DEFAULT_PATTERNS, ScanPatternError, ScanPatterns
from drivers.base import Device, StatusCallback
from drivers.scale import SerialScale, SimulatedScale, WeightCallback
from drivers.scanner import ScanCallback, SerialScanner, SimulatedScanner
from drivers.urls import DeviceUrl, DeviceUrlError, UrlKind
from drivers.wedge import WedgeClassifier

log = logging.getLogger("packline.devices")

KINDS = ("scanner", "scale", "wedge")
SECTION = "device:"
_WEDGE_SUFFIX = {"enter": "\r", "tab": "\t", "none": None}
# What scanner manuals call them: CR and LF both arrive as an Enter key press.
_SUFFIX_NAMES = {"cr": "enter", "lf": "enter", "return": "enter"}


def _suffix_name(value: str) -> str:
    name = value.strip().lower()
    return _SUFFIX_NAMES.get(name, name)


# Options each kind accepts besides `kind` and `url`, with their converters and defaults.
_OPTIONS: dict[str, dict[str, tuple[Callable[[str], Any], Any]]] = {
    "scanner": {"gs_substitute": (str, "")},
    "scale": {"window_ms": (int, 500), "tolerance_g": (int, 2), "poll_ms": (int, 200)},
    "wedge": {"enabled": (lambda v: v.strip().lower() in ("1", "true", "yes", "on"), True),
              "max_interkey_ms": (int, 30), "min_length": (int, 4), "prefix": (str, ""),
              "suffix": (_suffix_name, "enter"), "timeout_ms": (int, 80)},
}
_PATTERN_KEYS = ("order", "bin", "tote", "slot", "wave", "badge", "sku", "waybill",
                 "numeric_waybill")


class DeviceConfigError(SettingsError):
    """A device section that cannot work; the message names the section and the key."""


@dataclass(frozen=True, slots=True)
class DeviceSpec:
    name: str
    kind: str
    url: str = ""
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def simulated(self) -> bool:
        return self.url.startswith("sim://")

    def as_items(self) -> dict[str, str]:
        items = {"kind": self.kind}
        if self.url:
            items["url"] = self.url
        defaults = _OPTIONS[self.kind]
        for key, value in self.options.items():
            if value != defaults[key][1]:
                items[key] = str(value).lower() if isinstance(value, bool) else str(value)
        return items


def parse_spec(name: str, items: dict[str, str]) -> DeviceSpec:
    """Check one `[device:NAME]` section; raises DeviceConfigError naming what is wrong."""
    where = f"[{SECTION}{name}]"
    if not name.strip() or any(ch in name for ch in "[]:"):
        raise DeviceConfigError(f"{where}: a device name needs letters or digits, no [ ] or :")
    kind = items.get("kind", "").strip().lower()
    if kind not in KINDS:
        raise DeviceConfigError(f"{where} kind: expected one of {', '.join(KINDS)}, "
                                f"got {items.get('kind', '')!r}")
    url = items.get("url", "").strip()
    if kind == "wedge":
        if url:
            raise DeviceConfigError(f"{where} url: a wedge scanner is a keyboard and has no URL")
    else:
        if not url:
            raise DeviceConfigError(f"{where} url: required for a {kind}")
        try:
            parsed = DeviceUrl.parse(url)
        except DeviceUrlError as exc:
            raise DeviceConfigError(f"{where} url: {exc}") from None
        if kind == "scanner" and parsed.protocol is not None:
            raise DeviceConfigError(f"{where} url: protocol= is for scales")
    allowed = _OPTIONS[kind]
    options: dict[str, Any] = {}
    for key, raw in items.items():
        if key in ("kind", "url"):
            continue
        if key not in allowed:
            raise DeviceConfigError(f"{where}: unknown key {key!r} for a {kind} "
                                    f"(known: {', '.join(sorted(allowed))})")
        convert = allowed[key][0]
        try:
            options[key] = convert(raw)
        except ValueError as exc:
            raise DeviceConfigError(f"{where} {key}: {exc}") from None
    for key, (_convert, default) in allowed.items():
        options.setdefault(key, default)
    if kind == "wedge":
        if str(options["suffix"]).lower() not in _WEDGE_SUFFIX:
            raise DeviceConfigError(f"{where} suffix: expected enter, tab or none")
        try:
            wedge_classifier(DeviceSpec(name, kind, url, options))
        except ValueError as exc:
            raise DeviceConfigError(f"{where}: {exc}") from None
    if kind == "scanner" and len(options["gs_substitute"]) > 1:
        raise DeviceConfigError(f"{where} gs_substitute: one character, such as | or ^")
    if kind == "scale" and (options["window_ms"] < 0 or options["tolerance_g"] < 0
                            or options["poll_ms"] <= 0):
        raise DeviceConfigError(f"{where}: window_ms and tolerance_g must not be negative, "
                                "poll_ms must be positive")
    return DeviceSpec(name, kind, url, options)


def load_specs(settings: Settings) -> list[DeviceSpec]:
    """Every configured device. A station with no wedge section still gets the keyboard-wedge
    filter with its defaults: USB scanners are plugged in without telling anyone."""
    specs = [parse_spec(name, items) for name, items in settings.sections(SECTION).items()]
    if not any(s.kind == "wedge" for s in specs):
        specs.append(parse_spec("wedge", {"kind": "wedge"}))
    return specs


def save_spec(settings: Settings, actor: Actor, spec: DeviceSpec,
              replaces: str | None = None) -> DeviceSpec:
    """Add or change a device in the station's settings file (IT / admin only)."""
    actor.require(Permission.MANAGE_STATIONS)
    checked = parse_spec(spec.name, spec.as_items())
    others = settings.sections(SECTION)
    if checked.name != replaces and checked.name in others:
        raise DeviceConfigError(f"a device named {checked.name!r} exists already")
    if replaces is not None and replaces != checked.name:
        settings.remove_section(SECTION + replaces)
    settings.set_section(SECTION + checked.name, checked.as_items())
    settings.save()
    log.info("%s saved device %s: %s", actor.code, checked.name, checked.as_items())
    return checked


def remove_spec(settings: Settings, actor: Actor, name: str) -> None:
    actor.require(Permission.MANAGE_STATIONS)
    if not settings.remove_section(SECTION + name):
        raise DeviceConfigError(f"no device named {name!r}")
    settings.save()
    log.info("%s removed device %s", actor.code, name)


def scan_patterns(settings: Settings) -> ScanPatterns:
    """`[scan]` keys replace the built-in patterns, one regular expression per line."""
    overrides: dict[str, tuple[str, ...]] = {}
    for key, raw in settings.section("scan").items():
        if key == "gs_substitute":
            continue
        if key not in _PATTERN_KEYS:
            raise DeviceConfigError(f"[scan]: unknown key {key!r} "
                                    f"(known: {', '.join(_PATTERN_KEYS)}, gs_substitute)")
        overrides[key] = tuple(line.strip() for line in raw.splitlines() if line.strip())
    if not overrides:
        return DEFAULT_PATTERNS
    try:
        return ScanPatterns(**overrides)  # type: ignore[arg-type]
    except ScanPatternError as exc:
        raise DeviceConfigError(f"[scan]: {exc}") from None


def gs_substitute(settings: Settings) -> str | None:
    value = settings.section("scan").get("gs_substitute", "").strip()
    if len(value) > 1:
        raise DeviceConfigError("[scan] gs_substitute: one character, such as | or ^")
    return value or None


def wedge_classifier(spec: DeviceSpec) -> WedgeClassifier:
    o = spec.options
    return WedgeClassifier(max_interkey_ms=o["max_interkey_ms"], min_length=o["min_length"],
                           prefix=o["prefix"] or None,
                           suffix=_WEDGE_SUFFIX[str(o["suffix"]).lower()],
                           timeout_ms=o["timeout_ms"])


def build(spec: DeviceSpec, *, patterns: ScanPatterns, gs: str | None,
          on_status: StatusCallback, on_scan: ScanCallback | None = None,
          on_weight: WeightCallback | None = None,
          on_reading: WeightCallback | None = None) -> Device:
    """The driver for a scanner or scale spec (not started)."""
    url = DeviceUrl.parse(spec.url)
    sim = url.kind is UrlKind.SIM
    if spec.kind == "scanner":
        substitute = spec.options.get("gs_substitute") or gs
        if sim:
            return SimulatedScanner(url, on_scan, on_status, name=spec.name, patterns=patterns,
                                    gs_substitute=substitute)
        return SerialScanner(url, on_scan or (lambda _e: None), on_status, name=spec.name,
                             patterns=patterns, gs_substitute=substitute)
    if spec.kind == "scale":
        o = spec.options
        if sim:
            return SimulatedScale(url, on_weight, on_status, name=spec.name,
                                  on_reading=on_reading, tolerance_g=o["tolerance_g"])
        return SerialScale(url, on_weight or (lambda _w: None), on_status, name=spec.name,
                           on_reading=on_reading, window_ms=o["window_ms"],
                           tolerance_g=o["tolerance_g"], poll_ms=o["poll_ms"])
    raise DeviceConfigError(f"{spec.name}: a {spec.kind} has no driver of its own")
