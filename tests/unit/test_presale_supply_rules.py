"""The supplier's side of a presale: the board's figures, a slip's level, the promise."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.domain import escalation
from app.domain import presale_supply as ps
from app.domain.china_time import CHINA_TZ

NOW = datetime(2026, 11, 5, 4, 0, tzinfo=UTC)  # 12:00 in China on 5 Nov
TODAY = date(2026, 11, 5)


def _d(key: str, due: date, qty: int, expected: date | None = None, *, transit: int = 0,
       arrived: int = 0, status: str = "planned", supplier: str = "SUP-A") -> ps.Delivery:
    return ps.Delivery(key, supplier, due, expected or due, qty, transit, arrived, status)


def test_day_end_is_midnight_in_china() -> None:
    assert ps.day_end(date(2026, 11, 10)) == datetime(2026, 11, 10, 16, 0, tzinfo=UTC)


@pytest.mark.parametrize(("days", "level"), [(1, 0), (2, 1), (3, 2), (4, 3), (9, 3)])
def test_a_slip_takes_the_escalation_level_of_its_size(days: int, level: int) -> None:
    d = _d("x", date(2026, 11, 8), 100, date(2026, 11, 8) + timedelta(days=days))
    slip = ps.delivery_slip(d, NOW)
    assert slip is not None
    assert slip.hours == 24 * days
    assert slip.level == level == escalation.level(ps.day_end(d.due_on),
                                                   ps.day_end(d.expected_on))
    assert slip.action == escalation.ESCALATION_ACTIONS[level]


def test_a_delivery_not_in_after_its_expected_day_slips_until_now() -> None:
    # Due and expected on 3 Nov (in by 16:00 UTC 3 Nov), not in at 04:00 UTC 5 Nov: 36 h.
    slip = ps.delivery_slip(_d("x", date(2026, 11, 3), 50, transit=10), NOW)
    assert slip is not None and slip.hours == 36.0 and slip.level == 1


def test_on_time_arrived_or_cancelled_deliveries_do_not_slip() -> None:
    assert ps.delivery_slip(_d("a", date(2026, 11, 8), 10), NOW) is None
    assert ps.delivery_slip(_d("b", date(2026, 11, 1), 10, date(2026, 11, 9), arrived=10),
                            NOW) is None
    assert ps.delivery_slip(_d("c", date(2026, 11, 1), 10, date(2026, 11, 9),
                               status="cancelled"), NOW) is None
    # Expected earlier than due is no slip either.
    assert ps.delivery_slip(_d("d", date(2026, 11, 9), 10, date(2026, 11, 7)), NOW) is None


def test_bad_deliveries_are_refused() -> None:
    with pytest.raises(ValueError, match="exceed"):
        _d("x", TODAY, 10, transit=6, arrived=5)
    with pytest.raises(ValueError, match="qty"):
        _d("x", TODAY, -1)
    with pytest.raises(ValueError, match="status"):
        _d("x", TODAY, 1, status="lost")


def test_status_follows_the_quantities() -> None:
    assert ps.delivery_status(10, 0, 0) == "planned"
    assert ps.delivery_status(10, 4, 0) == "in_transit"
    assert ps.delivery_status(10, 0, 10) == "arrived"
    assert ps.delivery_status(10, 0, 10, cancelled=True) == "cancelled"


def _demand() -> list[ps.Demand]:
    return [ps.Demand(1, 30, date(2026, 11, 6), True),
            ps.Demand(2, 20, date(2026, 11, 7), False),
            ps.Demand(3, 50, date(2026, 11, 8), False)]


def test_board_figures_per_day_and_cumulative_gap() -> None:
    deliveries = [_d("a", date(2026, 11, 5), 40, arrived=40),
                  _d("b", date(2026, 11, 7), 40, date(2026, 11, 10), transit=15),
                  _d("c", date(2026, 11, 9), 10, status="cancelled")]
    b = ps.board(_demand(), deliveries, today=TODAY, now=NOW, backup_supplier="SUP-B")
    assert [(r.day.day, r.deposits, r.balances, r.confirmed, r.expected, r.in_transit,
             r.arrived, r.cum_demand, r.cum_supply, r.gap) for r in b.days] == [
        (5, 0, 0, 40, 0, 0, 40, 0, 40, -40),
        (6, 0, 30, 0, 0, 0, 0, 30, 40, -10),
        (7, 20, 0, 40, 0, 0, 0, 50, 40, 10),
        (8, 50, 0, 0, 0, 0, 0, 100, 40, 60),
        (10, 0, 0, 0, 40, 15, 0, 100, 80, 20)]
    assert (b.total_demand, b.total_supply, b.max_gap, b.max_gap_on, b.threshold) == (
        100, 80, 60, date(2026, 11, 8), 10)
    # 20 never come (backup supplier); 40 come, but two days late (expedite).
    assert b.suggestions == (ps.Suggestion("split_to_backup", 20, "SUP-B", date(2026, 11, 8)),
                             ps.Suggestion("expedite", 40, "SUP-A", date(2026, 11, 8)))
    assert [(s.key, s.hours, s.level) for s in b.slips] == [("b", 72.0, 2)]


def test_a_gap_within_the_threshold_suggests_nothing() -> None:
    deliveries = [_d("a", date(2026, 11, 6), 95)]
    b = ps.board(_demand(), deliveries, today=TODAY, now=NOW)
    assert b.total_demand - b.total_supply == 5 and b.threshold == 10
    assert b.suggestions == ()
    assert ps.board(_demand(), deliveries, today=TODAY, now=NOW,
                    threshold_units=4).suggestions[0].qty == 5


def test_units_overdue_count_today_at_the_earliest() -> None:
    b = ps.board([], [_d("a", date(2026, 11, 2), 10, transit=10)], today=TODAY, now=NOW)
    assert [(r.day, r.expected, r.in_transit) for r in b.days] == [
        (date(2026, 11, 2), 0, 0), (TODAY, 10, 10)]


def _order(key: int, units: int, paid: datetime, cutoff: str | None = "17:00",
           open_: bool = True) -> ps.QueuedOrder:
    return ps.QueuedOrder(key, units, paid, cutoff, open_)


def test_promises_follow_the_queue_against_the_arrivals() -> None:
    paid = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)
    orders = [_order(1, 30, paid, open_=False), _order(2, 20, paid), _order(3, 40, paid),
              _order(4, 20, paid)]
    deliveries = [_d("a", date(2026, 11, 3), 40, arrived=40),
                  _d("b", date(2026, 11, 7), 40, date(2026, 11, 9))]
    got = ps.promises(orders, deliveries, stock_mode="pool", handling_hours=24, now=NOW)
    assert [p.key for p in got] == [2, 3, 4]
    two, three, four = got
    # Order 2 (units 31–50): 10 of them are here, the rest come with delivery b, expected
    # 9 Nov (in by 16:00 UTC 9 Nov) +24 h = 16:00 UTC 10 Nov = 00:00 11 Nov China, cut-off
    # 17:00 China on 11 Nov.
    assert two.covered and two.goods_at == datetime(2026, 11, 9, 16, tzinfo=UTC)
    assert two.ship_by == datetime(2026, 11, 11, 17, 0, tzinfo=CHINA_TZ)
    assert two.ship_on == date(2026, 11, 11)
    assert (two.slip_hours, two.level) == (48.0, 1)
    assert two.text("zh_CN") == "预计 11月11日 发货"
    assert two.text("en") == "Ships by 11 Nov (expected)"
    assert three.covered is False and three.ship_by is None  # units 51–90: only 80 come
    assert four.covered is False


def test_goods_already_here_ship_handling_after_payment_at_the_cut_off() -> None:
    paid = datetime(2026, 11, 5, 1, 0, tzinfo=UTC)  # 09:00 China
    got = ps.promises([_order(1, 5, paid)], [_d("a", date(2026, 11, 1), 5, arrived=5)],
                      stock_mode="pool", handling_hours=4, now=NOW)
    assert got[0].goods_at is None and got[0].ready_at == paid
    assert got[0].ship_by == datetime(2026, 11, 5, 17, 0, tzinfo=CHINA_TZ)
    late = ps.promises([_order(1, 5, paid.replace(hour=9))], [], stock_mode="real",
                       handling_hours=4, now=NOW)[0]  # 17:00 China +4 h: tomorrow's pick-up
    assert late.ship_by == datetime(2026, 11, 6, 17, 0, tzinfo=CHINA_TZ)
    none = ps.promises([_order(1, 5, paid, cutoff=None)], [], stock_mode="real",
                       handling_hours=4, now=NOW)[0]
    assert none.ship_by == paid + timedelta(hours=4)


def test_the_cut_off_itself_is_still_that_day() -> None:
    at = datetime(2026, 11, 5, 17, 0, tzinfo=CHINA_TZ)
    assert ps.next_cutoff(at, "17:00") == at
    assert ps.next_cutoff(at + timedelta(minutes=1), "17:00") == at + timedelta(days=1)
    with pytest.raises(ValueError):
        ps.parse_cutoff("5pm")


def test_due_to_ship_and_naive_times_refused() -> None:
    paid = datetime(2026, 11, 5, 1, 0, tzinfo=UTC)
    assert ps.due_to_ship(paid, 24, "17:00") == date(2026, 11, 6)
    with pytest.raises(ValueError, match="aware"):
        ps.due_to_ship(paid.replace(tzinfo=None), 24)
    with pytest.raises(ValueError, match="stock mode"):
        ps.promises([], [], stock_mode="virtual", handling_hours=1, now=NOW)
