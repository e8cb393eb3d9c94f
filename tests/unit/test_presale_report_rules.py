"""The presale demand report's rules: conversion (of the deposits, the share whose balance is
paid) and the China days a report covers."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.domain import presale_report as rules


def test_conversion_is_the_share_of_the_deposits_whose_balance_is_paid() -> None:
    assert rules.conversion(5, 3) == 0.6
    assert rules.conversion(4, 4) == 1.0
    assert rules.conversion(4, 0) == 0.0
    assert rules.conversion(0, 0) is None
    # One group of buyers: more balances paid than deposits is a counting error, never 150 %.
    with pytest.raises(ValueError):
        rules.conversion(2, 3)
    with pytest.raises(ValueError):
        rules.conversion(0, 2)
    with pytest.raises(ValueError):
        rules.conversion(-1, 0)
    with pytest.raises(ValueError):
        rules.conversion(1, -1)


def test_the_period_is_china_days() -> None:
    span = rules.period(date(2026, 11, 2), date(2026, 11, 2))
    assert span.start is not None and span.end is not None
    assert span.start.isoformat() == "2026-11-02T00:00:00+08:00"
    assert span.start.astimezone(UTC) == datetime(2026, 11, 1, 16, tzinfo=UTC)
    assert (span.end - span.start).days == 1
    open_ended = rules.period(None, date(2026, 11, 2))
    assert open_ended.start is None and open_ended.end == span.end
    assert rules.period(None, None).end is None
    with pytest.raises(ValueError):
        rules.period(date(2026, 11, 3), date(2026, 11, 2))
