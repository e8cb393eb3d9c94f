"""Money as integer fen (分): exact, fast, and the same on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_MAX_FEN = 10**13  # ¥100 billion: anything larger is a typo, not an order
# Plain decimal notation only: '1e3' in a price column is a spreadsheet accident, not ¥1000.
_PLAIN = re.compile(r"^\d+(?:\.\d+)?$|^\.\d+$")


def parse_yuan(value: object, *, field: str = "amount") -> int:
    """'59.00', '59', 59 or 59.5 yuan → fen. Refuses negatives and sub-fen precision."""
    if isinstance(value, bool) or value is None:
        raise ValueError(f"{field}: expected an amount in yuan, got {value!r}")
    if isinstance(value, int | float):
        text = str(value)
    elif isinstance(value, str):
        text = value.strip().replace(",", "").removeprefix("¥").removeprefix("￥")
    else:
        raise ValueError(f"{field}: expected an amount in yuan, got {value!r}")
    if text.startswith("-") and _PLAIN.match(text[1:]):
        raise ValueError(f"{field}: {value!r} is negative")
    if not _PLAIN.match(text):
        raise ValueError(f"{field}: {value!r} is not an amount")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{field}: {value!r} is not an amount") from None
    if not amount.is_finite():
        raise ValueError(f"{field}: {value!r} is not an amount")
    if amount < 0:
        raise ValueError(f"{field}: {value!r} is negative")
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"{field}: {value!r} has more than two decimals")
    if fen >= _MAX_FEN:
        raise ValueError(f"{field}: {value!r} is out of range")
    return int(fen)


def format_yuan(fen: int) -> str:
    """11800 → '118.00' (the form the import files and the JSON output use)."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"
