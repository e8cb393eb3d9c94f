"""The station's devices as configured in `station.ini`, and the drivers built from them.

Each device is a section `[device:NAME]` with `kind` (scanner, scale or wedge) and, for
scanners and scales, `url` (a device URL: serial://PATH, usbserial://VID:PID, socket://HOST:PORT
or sim://NAME with its options, parsed by `drivers.urls`). Barcode patterns for Packline's own
codes can be changed in `[scan]`. No Qt here: the station's device service
(`app.station.devices`) reads these settings with `load` and builds its drivers with `build`.

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
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.config import Settings, SettingsError, boolean, choice, name_problem, text, whole
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
    "scanner": {"gs_substitute": (text(1), "")},
    "scale": {"window_ms": (whole(0, 60_000), 500), "tolerance_g": (whole(0, 100_000), 2),
              "poll_ms": (whole(1, 60_000), 200)},
    "wedge": {"enabled": (boolean, True),
              "max_interkey_ms": (whole(1, 1000), 30), "min_length": (whole(1, 4096), 4),
              "prefix": (text(16), ""),
              "suffix": (lambda v: choice("enter", "tab", "none")(_suffix_name(v)), "enter"),
              "timeout_ms": (whole(1, 10_000), 80)},
}
_PATTERN_KEYS = ("order", "bin", "tote", "slot", "wave", "badge", "sku", "waybill",
                 "numeric_waybill")


class DeviceConfigError(SettingsError):
    """A device section that cannot work; names the section and the key."""


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
        defaults = _OPTIONS.get(self.kind, {})
        for key, value in self.options.items():
            if key not in defaults or value != defaults[key][1]:
                items[key] = _written(value)
        return items


def _written(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def parse_spec(name: str, items: dict[str, str]) -> DeviceSpec:
    """Check one `[device:NAME]` section; raises DeviceConfigError naming what is wrong."""
    section = SECTION + name

    def refuse(reason: str, code: str, key: str | None = None,
               **params: object) -> DeviceConfigError:
        error = DeviceConfigError(reason, code=code, section=section, key=key)
        error.params = params  # not as keywords: a param may be named like a place (path, line)
        return error

    problem = name_problem(name)
    if problem is not None:
        raise refuse(problem, "device.bad_name", name=name[:40])
    try:
        kind = choice(*KINDS)(items.get("kind", ""))
    except SettingsError as exc:
        raise refuse(exc.reason, exc.code, "kind", **exc.params) from None
    try:
        url = text(2000)(items.get("url", ""))
    except SettingsError as exc:
        raise refuse(exc.reason, exc.code, "url", **exc.params) from None
    if kind == "wedge":
        if url:
            raise refuse("a wedge scanner is a keyboard and has no URL", "device.wedge_url",
                         "url")
    else:
        if not url:
            raise refuse(f"required for a {kind}", "device.url_required", "url", kind=kind)
        try:
            parsed = DeviceUrl.parse(url)
        except DeviceUrlError as exc:
            # Worded per code in app/ui/messages.py ("device_url.CODE"), never the driver's
            # English text inside a Chinese sentence.
            raise refuse(str(exc), f"device_url.{exc.code}", "url", **exc.params) from None
        if kind == "scanner" and parsed.protocol is not None:
            raise refuse("protocol= is for scales", "device.protocol_for_scales", "url")
    allowed = _OPTIONS[kind]
    options: dict[str, Any] = {}
    for key, raw in items.items():
        if key in ("kind", "url"):
            continue
        if key not in allowed:
            raise refuse(f"unknown key for a {kind} (known: kind, url, "
                         f"{', '.join(sorted(allowed))})", "settings.unknown_key", key,
                         known=", ".join(["kind", "url", *sorted(allowed)]))
        try:
            options[key] = allowed[key][0](raw)
        except SettingsError as exc:
            raise refuse(exc.reason, exc.code, key, **exc.params) from None
    for key, (_convert, default) in allowed.items():
        options.setdefault(key, default)
    if kind == "wedge" and options["timeout_ms"] < options["max_interkey_ms"]:
        raise refuse("at least max_interkey_ms", "device.timeout_short", "timeout_ms",
                     minimum=options["max_interkey_ms"])
    return DeviceSpec(name, kind, url, options)


def load_specs(settings: Settings) -> list[DeviceSpec]:
    """Every configured device that can work; a broken section is left out (and logged: see
    `load_all`), so one mistyped device does not stop the others. A station with no wedge
    section still gets the keyboard-wedge filter with its defaults: USB scanners are plugged
    in without telling anyone."""
    return load_all(settings)[0]


def load_all(settings: Settings) -> tuple[list[DeviceSpec], dict[str, DeviceConfigError]]:
    """The devices that can work, and each broken `[device:NAME]` section by NAME with what
    is wrong in it (file and line filled in), each logged as a warning."""
    return _parse_sections(settings, settings.sections(SECTION))


def _parse_sections(settings: Settings, sections: dict[str, dict[str, str]]
                    ) -> tuple[list[DeviceSpec], dict[str, DeviceConfigError]]:
    specs = []
    broken: dict[str, DeviceConfigError] = {}
    for name, items in sections.items():
        try:
            specs.append(parse_spec(name, items))
        except DeviceConfigError as exc:
            exc.located(settings.path, settings.line_of(SECTION + name, exc.key)
                        or settings.line_of(SECTION + name))
            log.warning("device %s left out: %s", name, exc)
            broken[name] = exc
    if not any(s.kind == "wedge" for s in specs):
        # (A broken wedge section too: scans keep out of typing fields with the defaults.)
        specs.append(parse_spec("wedge", {"kind": "wedge"}))
    return specs, broken


def _items_for_file(spec: DeviceSpec, written: dict[str, str]) -> dict[str, str]:
    """What the section should hold for `spec`, given what it holds now: a key IT wrote keeps
    its spelling while it means the same (`suffix = CR` is Enter), a key IT wrote at its
    default stays, the defaults nobody wrote stay out of the file."""
    items = spec.as_items()
    allowed = _OPTIONS[spec.kind]
    for key in written:
        if key in allowed:
            items.setdefault(key, _written(spec.options[key]))
    for key, value in list(items.items()):
        raw = written.get(key)
        if raw is None:
            continue
        if key == "kind" and raw.strip().lower() == value:
            items[key] = raw
        elif key in allowed:
            try:
                if allowed[key][0](raw) == spec.options[key]:
                    items[key] = raw
            except SettingsError:
                pass
    return items


def _fresh(settings: Settings) -> Settings:
    """The file as it is on disk now (IT may have edited it since the app read it), so a save
    changes only the device's own keys; in-memory settings when there is no file."""
    if settings.path is not None and settings.path.exists():
        return Settings.load(settings.path)
    return settings


def save_spec(settings: Settings, actor: Actor, spec: DeviceSpec,
              replaces: str | None = None) -> DeviceSpec:
    """Add or change a device in the station's settings file (IT / admin only). Only the
    device's own section changes: every comment, blank line and other key stays as written."""
    actor.require(Permission.MANAGE_STATIONS)
    checked = parse_spec(spec.name, spec.as_items())
    target = _fresh(settings)
    others = target.sections(SECTION)
    if checked.name != replaces and checked.name in others:
        raise DeviceConfigError(f"a device named {checked.name!r} exists already",
                                code="device.exists", section=SECTION + checked.name,
                                name=checked.name)
    written = others.get(replaces if replaces in others else checked.name, {})
    target.update_section(SECTION + checked.name, _items_for_file(checked, written),
                          rename_from=SECTION + replaces if replaces in others else None)
    target.save()
    settings.adopt(target)
    log.info("%s saved device %s: %s", actor.code, checked.name, checked.as_items())
    return checked


def remove_spec(settings: Settings, actor: Actor, name: str) -> None:
    actor.require(Permission.MANAGE_STATIONS)
    target = _fresh(settings)
    if not target.remove_section(SECTION + name):
        raise DeviceConfigError(f"no device named {name!r}", code="device.not_found",
                                section=SECTION + name, name=name)
    target.save()
    settings.adopt(target)
    log.info("%s removed device %s", actor.code, name)


@dataclass(frozen=True, slots=True)
class DeviceSettings:
    """Everything the station's settings say about its scanners, scales and wedge, read in one
    go: the devices that can work, the sections that cannot (by name, with what is wrong and
    what is written in them), the barcode patterns and the GS replacement of `[scan]`, and
    every problem found (a `[scan]` problem leaves the built-in patterns in force)."""

    specs: tuple[DeviceSpec, ...] = ()
    broken: dict[str, DeviceConfigError] = field(default_factory=dict)
    written: dict[str, dict[str, str]] = field(default_factory=dict)
    patterns: ScanPatterns = DEFAULT_PATTERNS
    gs: str | None = None
    problems: tuple[DeviceConfigError, ...] = ()


def load(settings: Settings, *, sections: bool = True) -> DeviceSettings:
    """The station's device settings, each section read once. With `sections=False` only
    `[scan]` is read (`packline devices listen` names its devices on the command line)."""
    problems: list[DeviceConfigError] = []
    scan = settings.section("scan")
    patterns, gs = DEFAULT_PATTERNS, None
    try:
        patterns = _patterns_of(scan)
        gs = _gs_of(scan)
    except DeviceConfigError as exc:
        exc.located(settings.path, settings.line_of("scan", exc.key)
                    or settings.line_of("scan"))
        log.error("device settings: %s", exc)
        problems.append(exc)
    if not sections:
        return DeviceSettings(patterns=patterns, gs=gs, problems=tuple(problems))
    written = settings.sections(SECTION)
    specs, broken = _parse_sections(settings, written)
    problems += broken.values()
    return DeviceSettings(tuple(specs), broken,
                          {name: written[name] for name in broken}, patterns, gs,
                          tuple(problems))


def scan_patterns(settings: Settings) -> ScanPatterns:
    """`[scan]` keys replace the built-in patterns, one regular expression per line."""
    return _patterns_of(settings.section("scan"))


def _patterns_of(scan: dict[str, str]) -> ScanPatterns:
    overrides: dict[str, tuple[str, ...]] = {}
    for key, raw in scan.items():
        if key == "gs_substitute":
            continue
        if key not in _PATTERN_KEYS:
            raise DeviceConfigError(
                f"unknown key (known: {', '.join(_PATTERN_KEYS)}, gs_substitute)",
                code="settings.unknown_key", section="scan", key=key,
                known=", ".join([*_PATTERN_KEYS, "gs_substitute"]))
        overrides[key] = tuple(line.strip() for line in raw.splitlines() if line.strip())
        for pattern in overrides[key]:
            try:
                re.compile(pattern)
            except re.error:
                raise DeviceConfigError(f"{pattern!r} is not a regular expression",
                                        code="scan.bad_pattern", section="scan", key=key,
                                        pattern=pattern[:200]) from None
    if not overrides:
        return DEFAULT_PATTERNS
    try:
        return ScanPatterns(**overrides)  # type: ignore[arg-type]
    except ScanPatternError as exc:
        raise DeviceConfigError(str(exc), code="scan.bad_patterns", section="scan") from None


def gs_substitute(settings: Settings) -> str | None:
    return _gs_of(settings.section("scan"))


def _gs_of(scan: dict[str, str]) -> str | None:
    value = scan.get("gs_substitute", "").strip()
    if len(value) > 1:
        raise DeviceConfigError("one character, such as | or ^", code="settings.too_long",
                                section="scan", key="gs_substitute", limit=1)
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
    raise DeviceConfigError(f"a {spec.kind} has no driver of its own",
                            code="device.no_driver", section=SECTION + spec.name,
                            kind=spec.kind)
