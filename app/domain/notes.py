"""What a person reads about an order, kept as a code and its params, with the English text.

The domain decides why an order stopped (a district missing, an amount that does not add up)
but does not speak the reader's language: it names the reason with a dotted code
(`address.district_missing`) and plain params (place names, amounts, counts). Screens word the
code in Chinese or English (`app.ui.messages`); the command line and the log print `text`.

A stored detail (the exception queue's `detail` column, 500 characters) holds its notes as a
JSON list `[{"c": code, "p": params, "t": text}]`; `plain()` turns it back into the English
line for the command line, and an old detail that is plain text reads as itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

__all__ = ["CodedError", "Note", "decode", "encode", "plain"]


@dataclass(frozen=True, slots=True)
class Note:
    code: str
    text: str
    params: Mapping[str, object] = field(default_factory=dict, compare=False, hash=False)


class CodedError(ValueError):
    """A refusal the domain makes, with its code and params for the screens."""

    def __init__(self, text: str, code: str, **params: object) -> None:
        super().__init__(text)
        self.code = code
        self.params = params


def _jsonable(value: object) -> object:
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)


def encode(found: Iterable[Note], limit: int = 500) -> str:
    """The notes as stored; the last notes are dropped (not cut mid-way) to fit `limit`."""
    notes = list(found)
    items: list[dict[str, object]] = [
        {"c": n.code, "p": {k: _jsonable(v) for k, v in n.params.items()}, "t": n.text}
        for n in notes]
    while items:
        text = json.dumps(items, ensure_ascii=False, separators=(",", ":"))
        if len(text) <= limit:
            return text
        if len(items) == 1:
            # One note too long (a remark quoted whole): keep its code, shorten the rest.
            note = next(iter(notes))
            items[0]["p"] = {k: (v[:60] if isinstance(v, str) else _jsonable(v))
                             for k, v in note.params.items()}
            items[0]["t"] = note.text[:100]
            text = json.dumps(items, ensure_ascii=False, separators=(",", ":"))
            return text if len(text) <= limit else note.text[:limit]
        items.pop()
    return ""


def decode(detail: str | None) -> list[Note] | None:
    """The notes of a stored detail, or None when it is plain text (written before notes)."""
    if not detail or not detail.startswith("[{"):
        return None
    try:
        items = json.loads(detail)
    except ValueError:
        return None
    if not isinstance(items, list):
        return None
    notes = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("c"), str):
            return None
        params = item.get("p")
        notes.append(Note(item["c"], str(item.get("t", "")),
                          params if isinstance(params, dict) else {}))
    return notes


def plain(detail: str | None) -> str:
    """The English line for the command line and the log."""
    notes = decode(detail)
    if notes is None:
        return detail or ""
    return "; ".join(n.text for n in notes)
