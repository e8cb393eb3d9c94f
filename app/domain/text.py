"""The text Packline takes in at its doors, and promises to print.

Every one-line text field that enters from outside (an order file, a platform message, a
setting, a person typing) passes `clean_line` once, at the door:

1. NFC: composed and decomposed forms of the same name compare and print alike.
2. Line and page breaks, tabs, the other whitespace controls (including U+0085, U+2028,
   U+2029) and every other kind of space (no-break, ideographic, thin…) become one plain
   space; runs of spaces become one; the ends are trimmed. Invisible characters that pasted
   text carries and that print as nothing (soft hyphen U+00AD, zero-width space U+200B,
   zero-width non-joiner U+200C, word joiner U+2060, byte order mark U+FEFF) are removed.
3. What remains must be printable on every label Packline makes: each character is in
   `REPERTOIRE` (Latin, CJK with Extensions A–F, kana, Hangul, Bopomofo, the usual symbols
   and emoji up to Unicode 11) and is assigned in Unicode. Anything else is refused, naming the
   field, the character's code point and its position; nothing is silently dropped:
   - other control characters (C0, C1, DEL), lone surrogates, private-use characters;
   - bidirectional overrides and isolates, which make a label read in another order;
   - unassigned code points, and scripts no label font of Packline carries.

The printing layer's fonts are tested to cover the whole repertoire (`tests/printing`), so
anything `clean_line` accepts reaches the label intact.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

# Inclusive code point ranges Packline can print, in order.
REPERTOIRE: tuple[tuple[int, int, str], ...] = (
    (0x0020, 0x007E, "Basic Latin"),
    (0x00A0, 0x00FF, "Latin-1 Supplement"),
    (0x0100, 0x017F, "Latin Extended-A"),
    (0x01CD, 0x01DC, "Pinyin with caron (ǎ ǐ ǒ ǔ ǖ ǘ ǚ ǜ)"),
    (0x02C7, 0x02C7, "caron"),
    (0x02C9, 0x02CB, "Bopomofo tone marks"),
    (0x02D9, 0x02D9, "dot above"),
    (0x0391, 0x03C9, "Greek letters"),
    (0x0401, 0x0451, "Cyrillic letters"),
    (0x2010, 0x2027, "General Punctuation"),
    (0x2030, 0x205E, "General Punctuation"),
    (0x20A0, 0x20BF, "Currency Symbols"),
    (0x2100, 0x214F, "Letterlike Symbols"),
    (0x2150, 0x218B, "Number Forms"),
    (0x2190, 0x21FF, "Arrows"),
    (0x2200, 0x22FF, "Mathematical Operators"),
    (0x2460, 0x24FF, "Enclosed Alphanumerics"),
    (0x2500, 0x257F, "Box Drawing"),
    (0x25A0, 0x25FF, "Geometric Shapes"),
    (0x2600, 0x26FF, "Miscellaneous Symbols"),
    (0x2700, 0x27BF, "Dingbats"),
    (0x2B50, 0x2B55, "stars and circles"),
    (0x2E80, 0x2EFF, "CJK Radicals Supplement"),
    (0x2F00, 0x2FDF, "Kangxi Radicals"),
    (0x3000, 0x303F, "CJK Symbols and Punctuation"),
    (0x3040, 0x309F, "Hiragana"),
    (0x30A0, 0x30FF, "Katakana"),
    (0x3100, 0x312F, "Bopomofo"),
    (0x3130, 0x318F, "Hangul Compatibility Jamo"),
    (0x31A0, 0x31BF, "Bopomofo Extended"),
    (0x31C0, 0x31EF, "CJK Strokes"),
    (0x3200, 0x32FF, "Enclosed CJK Letters and Months"),
    (0x3300, 0x33FF, "CJK Compatibility"),
    (0x3400, 0x4DBF, "CJK Unified Ideographs Extension A"),
    (0x4E00, 0x9FFF, "CJK Unified Ideographs"),
    (0xAC00, 0xD7A3, "Hangul Syllables"),
    (0xF900, 0xFAFF, "CJK Compatibility Ideographs"),
    (0xFE10, 0xFE1F, "Vertical Forms"),
    (0xFE30, 0xFE4F, "CJK Compatibility Forms"),
    (0xFF01, 0xFFEF, "Halfwidth and Fullwidth Forms"),
    (0x1F300, 0x1F5FF, "emoji: Miscellaneous Symbols and Pictographs"),
    (0x1F600, 0x1F64F, "emoji: Emoticons"),
    # Emoji up to Unicode 11, which the label's outline emoji font (Symbola) draws.
    (0x1F680, 0x1F6D5, "emoji: Transport and Map Symbols"),
    (0x1F6E0, 0x1F6EC, "emoji: Transport and Map Symbols"),
    (0x1F6F0, 0x1F6F8, "emoji: Transport and Map Symbols"),
    (0x1F900, 0x1F90B, "emoji: Supplemental Symbols and Pictographs"),
    (0x1F90D, 0x1F90E, "emoji: Supplemental Symbols and Pictographs"),
    (0x1F910, 0x1F93E, "emoji: Supplemental Symbols and Pictographs"),
    (0x1F940, 0x1F94C, "emoji: Supplemental Symbols and Pictographs"),
    (0x1F950, 0x1F96B, "emoji: Supplemental Symbols and Pictographs"),
    (0x1F970, 0x1F978, "emoji: Supplemental Symbols and Pictographs"),
    (0x1F97A, 0x1F97A, "emoji: Supplemental Symbols and Pictographs"),
    (0x1F980, 0x1F997, "emoji: Supplemental Symbols and Pictographs"),
    (0x1F9A1, 0x1F9A1, "emoji: Supplemental Symbols and Pictographs"),
    (0x1F9A3, 0x1F9A4, "emoji: Supplemental Symbols and Pictographs"),
    (0x1F9C0, 0x1F9C0, "emoji: Supplemental Symbols and Pictographs"),
    (0x1F9D0, 0x1F9E7, "emoji: Supplemental Symbols and Pictographs"),
    (0x20000, 0x2A6DF, "CJK Unified Ideographs Extension B"),
    (0x2A700, 0x2B73F, "CJK Unified Ideographs Extension C"),
    (0x2B740, 0x2B81F, "CJK Unified Ideographs Extension D"),
    (0x2B820, 0x2CEAF, "CJK Unified Ideographs Extension E"),
    (0x2CEB0, 0x2EBEF, "CJK Unified Ideographs Extension F"),
    (0x2F800, 0x2FA1F, "CJK Compatibility Ideographs Supplement"),
    # Extension G (2020) is not here: no TrueType font a station can install covers it (the
    # best, BabelStone Han, has 3,045 of its 4,939); the names of the 通用规范汉字表 are in B–E.
)
# Joiners and selectors that shape the character before them (emoji sequences, ideographic
# variants); they print as part of that character.
COMBINING: frozenset[int] = frozenset(
    [0x200D, *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)])

_STARTS = [start for start, _end, _name in REPERTOIRE]
_SPACES = re.compile(
    r"[\t\n\v\f\r\x1c-\x1f\x85\u2028\u2029 \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u00ad\u200b\u200c\u2060\ufeff]")
_BIDI = frozenset([0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])


@dataclass(frozen=True, slots=True)
class TextRefused(ValueError):
    """A text field holds a character Packline will not take; says which and where."""

    field: str
    char: str
    position: int  # 1-based, counted in the cleaned text
    why: str  # "control", "surrogate", "private", "bidi", "unassigned", "unprintable"

    def __str__(self) -> str:
        return (f"{self.field} holds {describe(self.char)} at character {self.position} "
                f"({_WHY[self.why]})")


_WHY = {
    "control": "a control character",
    "surrogate": "a broken UTF-16 surrogate",
    "private": "a private-use character",
    "bidi": "a direction override that reorders the label",
    "unassigned": "not a character in Unicode 14",
    "unprintable": "not in any label font Packline carries",
}


def describe(char: str) -> str:
    """U+XXXX and the character's Unicode name, for messages (never the raw control)."""
    code = ord(char)
    name = unicodedata.name(char, "")
    return f"U+{code:04X}" + (f" {name}" if name else "")


def printable(char: str) -> bool:
    """True when every label of Packline can print `char` (alone, or as a joiner/selector)."""
    code = ord(char)
    if code in COMBINING:
        return True
    i = bisect_right(_STARTS, code) - 1
    return (i >= 0 and code <= REPERTOIRE[i][1]
            and unicodedata.category(char) not in ("Cn", "Cf", "Cc", "Zs", "Zl", "Zp")
            or char == " ")


def _why(char: str) -> str:
    code = ord(char)
    category = unicodedata.category(char)
    if category == "Cs":
        return "surrogate"
    if category in ("Cc", "Cf") and code not in _BIDI:
        return "control"
    if category == "Co":
        return "private"
    if code in _BIDI:
        return "bidi"
    if category == "Cn":
        return "unassigned"
    return "unprintable"


def clean_line(value: str, field: str) -> str:
    """`value` as one clean line (see the module's rules), or TextRefused."""
    # NFC cannot be applied to a lone surrogate; find those first, on the raw text.
    for i, char in enumerate(value, 1):
        if 0xD800 <= ord(char) <= 0xDFFF:
            raise TextRefused(field, char, i, "surrogate")
    text = unicodedata.normalize("NFC", value)
    text = _SPACES.sub(" ", _INVISIBLE.sub("", text)).strip(" ")
    for i, char in enumerate(text, 1):
        if not printable(char):
            raise TextRefused(field, char, i, _why(char))
    return text


def safe_for_terminal(value: str) -> str:
    """`value` with every character that is not printable text shown as <U+XXXX>: for lines
    written to a terminal or a log, where a raw escape sequence would act instead of show."""
    return "".join(ch if ch.isprintable() else f"<U+{ord(ch):04X}>" for ch in value)
