"""The presale demand report's rules (预售需求报表): what conversion is, and which China days a
report covers. Pure standard library, no Qt and no database.

Conversion (转化率) follows one group of buyers (a cohort): of the orders whose deposit was
paid in a day or a period, the share whose balance has been paid by the time the report is
made — whenever that balance was paid. It is the one figure a supplier reads to turn deposits
into a production quantity, so it is computed here only. (Balances paid in a day are a
different group — mostly deposits of earlier days — and are never divided by that day's
deposits.)
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from app.domain.china_time import CHINA_TZ

__all__ = ["Period", "conversion", "period"]


def conversion(deposits: int, converted: int) -> float | None:
    """Of `deposits` orders whose deposit was paid, `converted` have paid their balance since:
    converted ÷ deposits, 0.0 to 1.0; None when no deposit was paid (nothing to convert: a
    dash on screen, an empty cell in the workbook). ValueError for a negative count or more
    converted than deposits (they are the same buyers: it cannot exceed 100 %)."""
    if deposits < 0 or converted < 0:
        raise ValueError(f"counts cannot be negative: {deposits} deposits, {converted} converted")
    if converted > deposits:
        raise ValueError(f"{converted} balances paid of only {deposits} deposits: the "
                         "converted are counted among the same deposits")
    if deposits == 0:
        return None
    return converted / deposits


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
