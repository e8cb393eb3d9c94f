"""Text fitted into a printed box, in the printer's half-width cells or with a measure the
fonts give (`app.printing.fonts`): breaking lines, the line pitch, and the error of a document
that cannot be printed as given. Both the documents and the fonts build on this module."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable


class DocumentError(ValueError):
    """A document that cannot be printed as given; the message names the field."""

# Lines of a text box are LINE_PITCH ems apart.
LINE_PITCH = 1.2


# -- text measuring in character cells ----------------------------------------------------------


def cell_width(char: str) -> int:
    """Half-width cells a character takes in a printer's built-in font: CJK and full-width
    forms take two, the rest one."""
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def text_cells(text: str) -> int:
    return sum(cell_width(c) for c in text)


_TOKEN = re.compile(r"[\x21-\x7e]+| +|.", re.DOTALL)


def wrap(text: str, width: float, measure: Callable[[str], float] | None = None,
         max_lines: int = 0) -> list[str]:
    """Break `text` into lines no wider than `width`, measured by `measure(str) -> float`
    (default: half-width cells; widths are taken as additive). Runs of ASCII break at spaces,
    CJK anywhere; a word wider than a line is broken by characters. With `max_lines`, the
    last kept line ends in an ellipsis when text was left out."""
    fn: Callable[[str], float] = measure if measure is not None else text_cells
    lines: list[str] = []
    current, current_w = "", 0.0
    for token in _TOKEN.findall(" ".join(text.split())):
        token_w = fn(token)
        if current_w + token_w <= width:
            current, current_w = current + token, current_w + token_w
            continue
        if token.isspace():
            lines.append(current)
            current, current_w = "", 0.0
            continue
        if current:
            lines.append(current.rstrip())
            current, current_w = "", 0.0
        while token_w > width and len(token) > 1:
            cut = _fit(token, width, fn)
            lines.append(token[:cut])
            token = token[cut:]
            token_w = fn(token)
        current, current_w = token, token_w
        if max_lines and len(lines) > max_lines:
            break
    if current.strip():
        lines.append(current.rstrip())
    lines = [line for line in lines if line]
    if max_lines and len(lines) > max_lines:
        lines = lines[:max_lines]
        ellipsis = "..." if lines[-1].isascii() else "\u2026"
        last = lines[-1]
        while last and fn(last + ellipsis) > width:
            last = last[:-1]
        lines[-1] = last + ellipsis
    return lines


def _fit(token: str, width: float, fn: Callable[[str], float]) -> int:
    cut = 1
    while cut < len(token) and fn(token[:cut + 1]) <= width:
        cut += 1
    return cut
