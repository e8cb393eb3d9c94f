"""The presale demand report's rules (预售需求报表): what conversion is, and which China days a
report covers. Pure standard library, no Qt and no database.

Conversion (转化率) is balances paid ÷ deposits paid, both counted in orders: of the buyers who
put a deposit down, the share who came back and paid the rest. It is the one figure a
supplier reads to turn deposits into a production quantity, so it is computed here only.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from app.domain.china_time import CHINA_TZ

__all__ = ["Period", "conversion", "period"]


def conversion(deposits: int, balances: int) -> float | None:
    """Balances paid ÷ deposits paid (orders), 0.0 to 1.0 and more; None when no deposit
    was paid (nothing to convert: a dash on screen, an empty cell in the workbook).

    More than 1.0 is possible in a period that counts balances of deposits paid before it."""
    if deposits < 0 or balances < 0:
        raise ValueError(f"counts cannot be negative: {deposits} deposits, {balances} balances")
    if deposits == 0:
        return None
    return balances / deposits


class Period:
    """The China days a report covers, `since` to `until` inclusive (either open), and the
    UTC moments they begin and end."""

    __slots__ = ("since", "until")

    def __init__(self, since: date | None, until: date | None) -> None:
        if since is not None and until is not None and since > until:
            raise ValueError(f"the period starts on {since} after it ends on {until}")
        self.since, self.until = since, until

    @property
    def start(self) -> datetime | None:
        """Midnight in China that begins `since`, as an aware datetime (None: open)."""
        return None if self.since is None else _midnight(self.since)

    @property
    def end(self) -> datetime | None:
        """Midnight in China that ends `until` (exclusive), aware (None: open)."""
        return None if self.until is None else _midnight(self.until + timedelta(days=1))


def period(since: date | None, until: date | None) -> Period:
    """The period from `since` to `until`; ValueError when it starts after it ends."""
    return Period(since, until)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=CHINA_TZ)
