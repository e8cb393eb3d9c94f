"""Parse a scanned string once, for every screen: what kind of code it is (product, bin, tote,
order, waybill, badge, command card…) and the value to look up. Never raises: garbage comes back
as kind UNKNOWN with an error code.

GS1 work (GTIN check digits, element strings, SSCC, symbology identifiers) is done by `biip`;
Packline's own codes are recognised by the regular expressions of `ScanPatterns`
(DECISIONS.md, "Barcodes Packline prints"), all configurable.

Resolution order, first match wins:

1. Ends stripped of whitespace and control characters. Empty → UNKNOWN/EMPTY. An AIM symbology
   identifier (`]C1`, `]E0`, `]Q1`, `]d2`…) is split off into `symbology`. Control characters
   left inside (other than GS, TAB, CR, LF) or U+FFFD → UNKNOWN/BINARY.
2. The symbology says EAN/UPC/ITF-14 (`]E0`, `]E3`, `]E4`, `]I1`): a GTIN or nothing → SKU, or
   UNKNOWN/BAD_CHECK_DIGIT (BAD_GTIN for a wrong length).
3. The symbology says GS1 (`]C1`, `]e0`, `]d2`, `]Q3`, `]J1`): a GS1 message or nothing →
   SKU (AI 01, with batch 10, expiry 17, serial 21), SSCC (AI 00), UNKNOWN/GS1_WITHOUT_ID
   (parses but names neither), UNKNOWN/BAD_GS1 (does not parse) or BAD_CHECK_DIGIT.
4. Otherwise (no identifier, Code 128 `]C0`, QR `]Q1`, …), on the text upper-cased (scanners
   with Caps Lock on): command cards (`CMD-…` and the Chinese words 确认 取消 新箱 暂停 重打),
   then badge, order, bin, tote, put-wall slot, wave, internal SKU code, and carriers' lettered
   waybill patterns.
5. A GS1 string without identifier: containing GS (or the station's substitute character, such
   as `|` or `^`), in brackets `(01)…`, or `01` + 14 digits + more, or `00` + 18 digits → as 3.
6. All digits: 8, 12, 13 or 14 digits with a valid GTIN check digit → SKU (so a valid EAN-13 is
   a product even though a 13-digit waybill pattern exists); a wrong check digit on a length in
   `strict_gtin_lengths` (8 and 13: the EAN lengths) → UNKNOWN/BAD_CHECK_DIGIT; 18 digits with a
   valid SSCC check digit → SSCC.
7. Numeric waybill patterns (`^\\d{12,15}$`) → WAYBILL: ranked after GTIN on purpose.
8. Nothing matched → UNKNOWN/NO_MATCH (or the GTIN/SSCC error met on the way).

A numeric code's kind is a hint: a screen waiting for a waybill still tries `value` as one
("a numeric code at the scan-an-order step is tried as tracking number first").
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field, fields
from enum import StrEnum

from biip import ParseConfig, ParseError
from biip.gs1_messages import GS1Message
from biip.gtin import Gtin
from biip.sscc import Sscc
from biip.symbology import GS1Symbology, SymbologyIdentifier


class ScanKind(StrEnum):
    SKU = "sku"
    BIN = "bin"
    TOTE = "tote"
    SLOT = "slot"
    ORDER = "order"
    WAVE = "wave"
    WAYBILL = "waybill"
    BADGE = "badge"
    COMMAND = "command"
    SSCC = "sscc"
    UNKNOWN = "unknown"


class ScanCommand(StrEnum):
    CONFIRM = "CONFIRM"
    CANCEL = "CANCEL"
    NEWBOX = "NEWBOX"
    PAUSE = "PAUSE"
    REPRINT = "REPRINT"


class ScanError(StrEnum):
    """Why a scan is UNKNOWN; the app turns these into words."""

    EMPTY = "empty"
    BINARY = "binary"
    BAD_CHECK_DIGIT = "bad_check_digit"
    BAD_GTIN = "bad_gtin"
    BAD_GS1 = "bad_gs1"
    GS1_WITHOUT_ID = "gs1_without_id"
    NO_MATCH = "no_match"
    INTERNAL = "internal"  # the parser itself failed (a bug): logged, the scan is refused


class ScanPatternError(ValueError):
    """A `ScanPatterns` setting that is not a list of valid regular expressions."""


@dataclass(frozen=True)
class ScanPatterns:
    """The regular expressions that recognise Packline's own codes, matched against the scan
    upper-cased (and case-insensitively). `badge` and `command` take the user code / command
    name from group 1. Tuples, so a station's settings can add carrier formats."""

    order: tuple[str, ...] = (r"^PL\d+$",)  # PL + yymmdd + 7 digits today; any digits accepted
    bin: tuple[str, ...] = (r"^LOC-[A-Z0-9]+-[A-Z]\d{2}-\d{2}-\d$",)
    tote: tuple[str, ...] = (r"^TOTE-[A-Z0-9]+-\d{5}$",)
    slot: tuple[str, ...] = (r"^SLOT-[A-Z0-9]+-\d{2}$",)
    wave: tuple[str, ...] = (r"^WAVE-\d+$",)
    badge: tuple[str, ...] = (r"^USR-(.+)$",)
    command: tuple[str, ...] = (r"^CMD-(CONFIRM|CANCEL|NEWBOX|PAUSE|REPRINT)$",)
    command_words: tuple[tuple[str, str], ...] = (
        ("确认", "CONFIRM"), ("取消", "CANCEL"), ("新箱", "NEWBOX"), ("暂停", "PAUSE"),
        ("重打", "REPRINT"))
    sku: tuple[str, ...] = (r"^INT\d{7}$",)  # internal product codes (the demo's INT0000020)
    # Carriers' lettered formats (SF, JD, YTO, JT, DBL), kept equal to app.domain.waybills by
    # tests/unit/test_waybills.py (drivers import nothing from app).
    waybill: tuple[str, ...] = (r"^SF[0-9]{12,13}$", r"^JD[0-9A-Z]{2}[0-9]{11}$", r"^YT[0-9]{13}$",
                                r"^JT[0-9]{13}$", r"^DPK[0-9]{12}$")
    numeric_waybill: tuple[str, ...] = (r"^\d{12,15}$",)
    strict_gtin_lengths: frozenset[int] = field(default=frozenset({8, 13}))

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "strict_gtin_lengths":
                if not all(isinstance(n, int) for n in value):
                    raise ScanPatternError("strict_gtin_lengths must be whole numbers")
                object.__setattr__(self, f.name, frozenset(value))
                continue
            if f.name == "command_words":
                if isinstance(value, str) or not all(
                        isinstance(v, tuple | list) and len(v) == 2 for v in value):
                    raise ScanPatternError("command_words must be a list of (word, command)")
                pairs = tuple((str(w), str(c).upper()) for w, c in value)
                for word, command in pairs:
                    if command not in ScanCommand.__members__:
                        raise ScanPatternError(
                            f"command word {word!r}: unknown command {command!r}")
                object.__setattr__(self, f.name, pairs)
                continue
            if isinstance(value, str) or not all(isinstance(v, str) for v in value):
                raise ScanPatternError(f"{f.name} must be a list of regular expressions")
            object.__setattr__(self, f.name, tuple(value))
            for pattern in value:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise ScanPatternError(f"{f.name}: bad pattern {pattern!r}: {exc}") from None


DEFAULT_PATTERNS = ScanPatterns()


@dataclass(frozen=True)
class Scan:
    raw: str  # exactly what was scanned
    text: str  # ends stripped, AIM identifier removed, case kept
    symbology: str | None  # AIM identifier such as "]C1", or None
    kind: ScanKind
    value: str  # what to look up: GTIN-14, SSCC, the normalised code, the badge's user code
    gtin: str | None = None  # GTIN-14
    batch: str | None = None
    expiry: dt.date | None = None
    serial: str | None = None
    sscc: str | None = None
    command: ScanCommand | None = None
    error: ScanError | None = None
    error_detail: str | None = None  # biip's explanation, for the log only


_ENDS = re.compile(r"^[\s\x00-\x1f\x7f]+|[\s\x00-\x1f\x7f]+$")
_BINARY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1c\x1e\x1f\x7f-\x9f\ufffd]")
_DIGITS = re.compile(r"^\d+$")
_GS1_BARE = re.compile(r"^(01\d{14}.|00\d{18}$)")
_GTIN_SYMBOLOGIES = frozenset(GS1Symbology.with_gtin())
_GS1_SYMBOLOGIES = frozenset(GS1Symbology.with_gs1_messages())
_GTIN_LENGTHS = (8, 12, 13, 14)

_Matcher = tuple[ScanKind, re.Pattern[str]]


@dataclass(frozen=True)
class _Compiled:
    commands: tuple[re.Pattern[str], ...]
    words: dict[str, ScanCommand]
    internal: tuple[_Matcher, ...]
    numeric_waybill: tuple[re.Pattern[str], ...]
    strict: frozenset[int]


@functools.lru_cache(maxsize=32)
def _compiled(patterns: ScanPatterns) -> _Compiled:
    def comp(items: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p, re.IGNORECASE) for p in items)

    internal: list[_Matcher] = []
    for kind, items in ((ScanKind.BADGE, patterns.badge), (ScanKind.ORDER, patterns.order),
                        (ScanKind.BIN, patterns.bin), (ScanKind.TOTE, patterns.tote),
                        (ScanKind.SLOT, patterns.slot), (ScanKind.WAVE, patterns.wave),
                        (ScanKind.SKU, patterns.sku), (ScanKind.WAYBILL, patterns.waybill)):
        internal.extend((kind, p) for p in comp(items))
    return _Compiled(
        commands=comp(patterns.command),
        words={w.upper(): ScanCommand(c) for w, c in patterns.command_words},
        internal=tuple(internal),
        numeric_waybill=comp(patterns.numeric_waybill),
        strict=patterns.strict_gtin_lengths,
    )


@functools.lru_cache(maxsize=8)
def _config(gs_substitute: str | None) -> ParseConfig:
    separators = ("\x1d",) if not gs_substitute else ("\x1d", gs_substitute)
    return ParseConfig(separator_chars=separators)


def parse_scan(raw: str, patterns: ScanPatterns = DEFAULT_PATTERNS,
               gs_substitute: str | None = None) -> Scan:
    """Classify one scanned string. `gs_substitute` is the character this station's scanners
    send in place of the GS1 group separator (FNC1), if they were set up to replace it."""
    if gs_substitute is not None and len(gs_substitute) != 1:
        raise ValueError(f"gs_substitute must be one character, not {gs_substitute!r}")
    try:
        return _parse_cached(raw, patterns, gs_substitute)
    except Exception as exc:  # a scan must never take the reader thread down
        return Scan(raw=raw, text=raw, symbology=None, kind=ScanKind.UNKNOWN, value=raw,
                    error=ScanError.INTERNAL, error_detail=f"{type(exc).__name__}: {exc}")


# A packer scans the same product again and again: remember recent answers (Scan is frozen).
@functools.lru_cache(maxsize=4096)
def _parse_cached(raw: str, patterns: ScanPatterns, gs_substitute: str | None) -> Scan:
    text = _ENDS.sub("", raw)
    symbology: SymbologyIdentifier | None = None
    if text.startswith("]") and len(text) >= 3:
        try:
            symbology = SymbologyIdentifier.extract(text)
        except ParseError:
            symbology = None  # not an identifier after all: a code that starts with "]"
        else:
            text = text[len(symbology):]
    aim = symbology.value if symbology else None

    def unknown(error: ScanError, detail: str | None = None) -> Scan:
        return Scan(raw=raw, text=text, symbology=aim, kind=ScanKind.UNKNOWN, value=text,
                    error=error, error_detail=detail)

    if not text:
        return unknown(ScanError.EMPTY)
    if _BINARY.search(text):
        return unknown(ScanError.BINARY)
    gs1_symbology = symbology.gs1_symbology if symbology else None

    if gs1_symbology in _GTIN_SYMBOLOGIES:
        digits = text
        if gs1_symbology is GS1Symbology.EAN_13_WITH_ADD_ON and len(text) in (15, 18):
            digits = text[:13]  # the 2- or 5-digit add-on follows the EAN-13
        return _gtin_scan(raw, text, aim, digits, _config(gs_substitute))
    if gs1_symbology in _GS1_SYMBOLOGIES:
        return _gs1_scan(raw, text, aim, _config(gs_substitute))

    compiled = _compiled(patterns)
    upper = text.upper()
    word = compiled.words.get(upper)
    if word is not None:
        return Scan(raw=raw, text=text, symbology=aim, kind=ScanKind.COMMAND, value=word.value,
                    command=word)
    for pattern in compiled.commands:
        m = pattern.match(upper)
        if m and m.lastindex and m.group(1).upper() in ScanCommand.__members__:
            command = ScanCommand(m.group(1).upper())
            return Scan(raw=raw, text=text, symbology=aim, kind=ScanKind.COMMAND,
                        value=command.value, command=command)
    for kind, pattern in compiled.internal:
        m = pattern.match(upper)
        if m:
            value = m.group(1) if kind is ScanKind.BADGE and m.lastindex else upper
            return Scan(raw=raw, text=text, symbology=aim, kind=kind, value=value)

    config = _config(gs_substitute)
    explicit = text.startswith("(") or any(s in text for s in config.separator_chars)
    if explicit or _GS1_BARE.match(text):
        scan = _gs1_scan(raw, text, aim, config)
        # Without a separator or brackets it was only a guess: a long number that is not
        # GS1 may still be a waybill.
        if explicit or scan.kind is not ScanKind.UNKNOWN or scan.error is not ScanError.BAD_GS1:
            return scan

    error: tuple[ScanError, str] | None = None
    if _DIGITS.match(text):
        if len(text) in _GTIN_LENGTHS:
            scan = _gtin_scan(raw, text, aim, text, config)
            if scan.kind is ScanKind.SKU or len(text) in compiled.strict:
                return scan
            assert scan.error is not None
            error = (scan.error, scan.error_detail or "")
        elif len(text) == 18:
            try:
                sscc = Sscc.parse(text, config=config)
            except ParseError as exc:
                error = (ScanError.BAD_CHECK_DIGIT, str(exc))
            else:
                return Scan(raw=raw, text=text, symbology=aim, kind=ScanKind.SSCC,
                            value=sscc.value, sscc=sscc.value)
    for pattern in compiled.numeric_waybill:
        if pattern.match(upper):
            return Scan(raw=raw, text=text, symbology=aim, kind=ScanKind.WAYBILL, value=upper)
    if error is not None:
        return unknown(*error)
    return unknown(ScanError.NO_MATCH)


def _gtin_scan(raw: str, text: str, aim: str | None, digits: str, config: ParseConfig) -> Scan:
    try:
        gtin = Gtin.parse(digits, config=config)
    except ParseError as exc:
        well_formed = _DIGITS.match(digits) is not None and len(digits) in _GTIN_LENGTHS
        error = ScanError.BAD_CHECK_DIGIT if well_formed else ScanError.BAD_GTIN
        return Scan(raw=raw, text=text, symbology=aim, kind=ScanKind.UNKNOWN, value=text,
                    error=error, error_detail=str(exc))
    gtin14 = gtin.as_gtin_14()
    return Scan(raw=raw, text=text, symbology=aim, kind=ScanKind.SKU, value=gtin14, gtin=gtin14)


def _gs1_scan(raw: str, text: str, aim: str | None, config: ParseConfig) -> Scan:
    def unknown(error: ScanError, detail: str) -> Scan:
        return Scan(raw=raw, text=text, symbology=aim, kind=ScanKind.UNKNOWN, value=text,
                    error=error, error_detail=detail)

    try:
        if text.startswith("("):
            message = GS1Message.parse_hri(text, config=config)
        else:
            message = GS1Message.parse(text, config=config)
    except ParseError as exc:
        return unknown(ScanError.BAD_GS1, str(exc))
    elements = message.element_strings
    ai01 = elements.get(ai="01")
    ai00 = elements.get(ai="00")
    if ai01 is not None and ai01.gtin is None:
        return unknown(ScanError.BAD_CHECK_DIGIT, ai01.gtin_error or "")
    if ai00 is not None and ai00.sscc is None:
        return unknown(ScanError.BAD_CHECK_DIGIT, ai00.sscc_error or "")
    gtin = ai01.gtin.as_gtin_14() if ai01 is not None and ai01.gtin is not None else None
    sscc = ai00.sscc.value if ai00 is not None and ai00.sscc is not None else None
    if sscc is None and gtin is None:
        return unknown(ScanError.GS1_WITHOUT_ID, message.as_hri())
    batch = elements.get(ai="10")
    expiry = elements.get(ai="17")
    serial = elements.get(ai="21")
    # A logistic label: the SSCC names the parcel even when it also lists the content.
    kind, value = (ScanKind.SSCC, sscc) if sscc is not None else (ScanKind.SKU, gtin)
    assert value is not None
    return Scan(raw=raw, text=text, symbology=aim, kind=kind, value=value, gtin=gtin, sscc=sscc,
                batch=batch.value if batch else None, expiry=expiry.date if expiry else None,
                serial=serial.value if serial else None)


def match_forms(code: str, patterns: ScanPatterns = DEFAULT_PATTERNS,
                gs_substitute: str | None = None) -> frozenset[str]:
    """Every form under which a scanned `code` may be stored as a product's barcode: one
    product code is written several ways, and picking and packing both match a scan by them.

    - the code as scanned (ends and any AIM symbology identifier stripped) and the value the
      parser looks up (upper-cased for Packline's own codes);
    - for a GTIN (EAN-8, UPC-A 12, EAN-13, GTIN-14 digits, an EAN/UPC symbology, or the AI 01
      of a GS1 string): its GTIN-14, each shorter GTIN length it fits in once the leading
      zeros are dropped (GTIN-13, GTIN-12, GTIN-8), and the digits with every leading zero
      dropped (as a spreadsheet keeps them);
    - an all-digit code of a GTIN length whose check digit is wrong gets the same forms: a
      product is found by the digits on record, whatever GS1's arithmetic says of them.

    Non-digit codes (Code 128 labels, internal SKU codes) match only as they are."""
    scan = parse_scan(code, patterns, gs_substitute)
    forms = {scan.text, scan.value} - {""}
    digits = scan.gtin
    if digits is None and scan.text.isascii() and scan.text.isdigit() \
            and len(scan.text) in _GTIN_LENGTHS:
        digits = scan.text
    if digits is not None:
        gtin14 = digits.zfill(14)
        forms.add(gtin14)
        for length in (13, 12, 8):
            if gtin14[:14 - length].strip("0") == "":
                forms.add(gtin14[14 - length:])
        bare = gtin14.lstrip("0")
        if bare:
            forms.add(bare)
    return frozenset(forms)
