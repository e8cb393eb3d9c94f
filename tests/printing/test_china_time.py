"""Labels print China time: a warehouse in Hangzhou reads 09:24 on a waybill printed at 01:24
UTC, whatever the time zone of the machine that printed it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from app.printing.documents import Paper, TextBox, format_time, label_pages
from tests.printing.conftest import make_pick_list, make_waybill


def _texts(doc: object) -> list[str]:
    return [e.text for page in label_pages(doc, Paper.L100X150)  # type: ignore[arg-type]
            for e in page.elements if isinstance(e, TextBox)]


def test_an_aware_time_prints_as_china_time() -> None:
    assert format_time(datetime(2026, 12, 6, 1, 24, tzinfo=UTC)) == "2026-12-06 09:24"
    # Late evening UTC is the next morning in China.
    assert format_time(datetime(2026, 12, 5, 21, 41, tzinfo=UTC)) == "2026-12-06 05:41"
    new_york = timezone(timedelta(hours=-5))
    assert format_time(datetime(2026, 12, 5, 20, 24, tzinfo=new_york)) == "2026-12-06 09:24"


def test_a_time_already_written_as_wall_time_prints_as_written() -> None:
    assert format_time(datetime(2026, 11, 11, 10, 23)) == "2026-11-11 10:23"


def test_the_waybill_says_when_it_was_printed_in_china_time() -> None:
    texts = _texts(make_waybill(printed_at=datetime(2026, 12, 6, 1, 24, tzinfo=UTC)))
    assert "2026-12-06 09:24" in texts
    assert "2026-12-06 01:24" not in texts


def test_the_pick_list_roll_says_china_time_too() -> None:
    from dataclasses import replace

    from app.printing.roll import pick_list_rows

    pick = replace(make_pick_list(), printed_at=datetime(2026, 12, 6, 1, 24, tzinfo=UTC))
    flat = [str(part) for row in pick_list_rows(pick) for part in row]
    assert "2026-12-06 09:24" in flat
