"""The shift lead's dashboard on a constructed floor, read as a lead reads it, in Chinese and in
English: when the backlog clears at the floor's rate, how many packers the shift needs (and
again when the lead types another rate or reserve), and the orders behind a carrier's row and
behind an hour's bar."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import delete, select, update

from app.services import auth, work
from app.services.context import Actor
from app.store.db import Database
from app.store.models import Carrier, Order, Package, User, WorkSlot
from app.ui import tasks, timefmt
from app.ui.dashboard_screen import DashboardScreen, OrdersDialog
from app.ui.qt import (
    QCheckBox,
    QGroupBox,
    QLabel,
    QPointF,
    QPushButton,
    Qt,
    QTableWidget,
)
from tests.gui.test_words import chinese_chars, english_words

TIMEOUT = 15_000
# 14:30 in China, six and a half hours into the day shift (08:00–20:00).
NOW = datetime(2026, 11, 12, 6, 30, tzinfo=UTC)
SHIFT_START = datetime(2026, 11, 12, 0, 0, tzinfo=UTC)
PER_SLOT = 5  # orders packed every five minutes all shift: 60 an hour
RATE = 60.0
PACKED_HOUR = 10  # China time: 02:00–03:00 UTC


class Floor:
    def __init__(self, sf: list[str], zto: list[str], unrouted: list[str],
                 packed_in_hour: list[str]) -> None:
        self.sf, self.zto, self.unrouted, self.packed_in_hour = sf, zto, unrouted, packed_in_hour

    @property
    def workable(self) -> int:
        return len(self.sf) + len(self.zto) + len(self.unrouted)


@pytest.fixture
def floor(gui_db: Database) -> Floor:
    """Of the seeded orders: 120 ready for a wave with SF, 60 picked with ZTO, 20 with no
    carrier yet, the rest cancelled; one packer who packed 5 orders every five minutes since
    the shift began; 7 orders packed between 10:00 and 11:00 China time (and 2 just outside)."""
    with gui_db.unit_of_work() as s:
        ids = list(s.scalars(select(Order.id).order_by(Order.id)))
        carriers = dict(s.execute(select(Carrier.code, Carrier.id)).all())
        packer = s.scalar(select(User.id).where(User.code == "packer01"))
        s.execute(update(Order).values(status="cancelled"))
        s.execute(delete(WorkSlot))
        groups = {"sf": ids[:120], "zto": ids[120:180], "unrouted": ids[180:200]}
        due = NOW + timedelta(hours=30)  # no order misses at this rate
        s.execute(update(Order).where(Order.id.in_(groups["sf"])).values(
            status="routed", carrier_id=carriers["SF"], promised_ship_by=due))
        s.execute(update(Order).where(Order.id.in_(groups["zto"])).values(
            status="picked", carrier_id=carriers["ZTO"], promised_ship_by=due))
        s.execute(update(Order).where(Order.id.in_(groups["unrouted"])).values(
            status="routed", carrier_id=None, promised_ship_by=due))
        hour_start = SHIFT_START + timedelta(hours=PACKED_HOUR - 8)
        inside = ids[200:207]
        times = [hour_start + timedelta(minutes=8 * n) for n in range(7)]
        outside = [(ids[207], hour_start - timedelta(seconds=1)),
                   (ids[208], hour_start + timedelta(hours=1))]
        for order_id, at in [*zip(inside, times, strict=True), *outside]:
            s.add(Package(order_id=order_id, box_no=1, status="packed", packed_at=at,
                          packed_by=packer))
        slots = int((NOW - SHIFT_START) / timedelta(minutes=5))
        work.count(s, [work.Done("pack", packer, SHIFT_START + timedelta(minutes=5 * n),
                                 orders=PER_SLOT, units=PER_SLOT * 2) for n in range(slots)])
        numbers = dict(s.execute(select(Order.id, Order.order_no)).all())
    return Floor([numbers[i] for i in groups["sf"]], [numbers[i] for i in groups["zto"]],
                 [numbers[i] for i in groups["unrouted"]], [numbers[i] for i in inside])


@pytest.fixture
def lead(gui_db: Database) -> Actor:
    return auth.login_password(gui_db, "lead01", "lead123", "ST-TEST")


def _screen(qtbot: QtBot, db: Database, actor: Actor) -> DashboardScreen:
    screen = DashboardScreen(db, actor, clock=lambda: NOW)
    qtbot.addWidget(screen)
    screen.resize(1180, 790)
    with qtbot.waitSignal(screen.refreshed, timeout=TIMEOUT):
        screen.show()
    return screen


def _figure(screen: DashboardScreen, key: str) -> str:
    return screen.figures.item(screen.figure_rows.index(key), 1).text()


def _needed(packers_per_hour: float, orders: int, reserve: float) -> int:
    return math.ceil(orders / (packers_per_hour * 12) * (1 + reserve))


def _dialog(qtbot: QtBot, screen: DashboardScreen) -> OrdersDialog:
    qtbot.waitUntil(lambda: screen.dialog is not None and screen.dialog.total is not None,
                    timeout=TIMEOUT)
    dialog = screen.dialog
    assert dialog is not None
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: len(dialog.order_numbers()) == dialog.total and not tasks.pending(),
                    timeout=TIMEOUT)
    return dialog


def _close(qtbot: QtBot, screen: DashboardScreen, dialog: OrdersDialog) -> None:
    qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: screen.dialog is None, timeout=TIMEOUT)


def test_the_lead_reads_the_clear_time_and_the_people_needed(
        qtbot: QtBot, gui_db: Database, floor: Floor, lead: Actor, language: str) -> None:
    screen = _screen(qtbot, gui_db, lead)
    assert screen.message.text() == ""
    assert screen.updated.text().endswith(timefmt.clock(NOW))  # 14:30:00 China time
    assert _figure(screen, "pack_rate") == "60 / 60"
    # The backlog ÷ the rate: 200 orders at 60 an hour clear at 17:50 China time.
    assert _figure(screen, "clear") == timefmt.short(NOW + timedelta(hours=floor.workable / RATE))
    assert _figure(screen, "clear") == "11-12 17:50"
    # Packers: ⌈200 ÷ (60 × 12 h) × 1.15⌉ at the measured rate and the default reserve.
    packers = screen.staff["packer"]
    assert screen.measured["packer"].isChecked()
    assert screen.rates["packer"].value() == RATE
    assert packers["needed"].text() == str(_needed(RATE, floor.workable, 0.15)) == "1"
    # The lead does not trust today's rate: 5 an hour. Recomputed by the service.
    with qtbot.waitSignal(screen.refreshed, timeout=TIMEOUT):
        screen.rates["packer"].setValue(5)
    assert not screen.measured["packer"].isChecked()
    assert screen.board is not None and screen.board.plan.packer_per_hour == 5
    assert packers["needed"].text() == str(_needed(5, floor.workable, 0.15)) == "4"
    with qtbot.waitSignal(screen.refreshed, timeout=TIMEOUT):
        screen.reserve.setValue(80)
    assert packers["needed"].text() == str(_needed(5, floor.workable, 0.80)) == "6"
    # Back to the measured rate: 60 shows again, and the figure follows.
    with qtbot.waitSignal(screen.refreshed, timeout=TIMEOUT):
        screen.measured["packer"].setChecked(True)
    assert screen.rates["packer"].value() == RATE
    assert packers["needed"].text() == str(_needed(RATE, floor.workable, 0.80)) == "1"
    # Nobody picked today: the pickers needed are not known, not zero.
    assert screen.staff["picker"]["needed"].text() == "?"
    _words_in(screen, language)


def test_a_carrier_row_and_an_hour_bar_open_exactly_their_orders(
        qtbot: QtBot, gui_db: Database, floor: Floor, lead: Actor, language: str) -> None:
    screen = _screen(qtbot, gui_db, lead)
    table = screen.carriers
    row = next(r for r in range(table.rowCount())
               if (table.item(r, 0).data(Qt.ItemDataRole.UserRole) or ("",))[:2]
               == ("carrier", "SF"))
    assert table.item(row, 2).text() == "120"
    # The keyboard: the row focused, Enter.
    table.setFocus()
    table.setCurrentCell(row, 0)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    dialog = _dialog(qtbot, screen)
    assert sorted(dialog.order_numbers()) == sorted(floor.sf)
    title = dialog.windowTitle()
    assert "SF" in title and "120" in title, title
    assert ("单" in title) == (language == "zh_CN"), title
    _close(qtbot, screen, dialog)
    # The orders not yet given a carrier, by a click on their row.
    unrouted = table.rowCount() - 1
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualItemRect(table.item(unrouted, 0)).center())
    dialog = _dialog(qtbot, screen)
    assert sorted(dialog.order_numbers()) == sorted(floor.unrouted)
    _close(qtbot, screen, dialog)
    # The bar of what was packed from 10:00 to 11:00, clicked on the chart.
    screen.tabs.setCurrentIndex(2)
    qtbot.waitUntil(screen.chart_view.isVisible, timeout=TIMEOUT)
    bar = screen.bar_sets["pack"]
    assert bar.at(PACKED_HOUR) == 12 * PER_SLOT
    point = screen.chart.mapToPosition(QPointF(PACKED_HOUR, bar.at(PACKED_HOUR) / 2),
                                       screen.bars)
    where = screen.chart_view.mapFromScene(screen.chart.mapToScene(point))
    qtbot.mouseClick(screen.chart_view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    dialog = _dialog(qtbot, screen)
    assert sorted(dialog.order_numbers()) == sorted(floor.packed_in_hour)
    assert "10:00" in dialog.windowTitle() and "11:00" in dialog.windowTitle()
    _close(qtbot, screen, dialog)
    # The same hour from the table beside the chart, with Enter.
    hours = screen.hours
    hours.setFocus()
    hours.setCurrentCell(PACKED_HOUR, 2)
    qtbot.keyClick(hours, Qt.Key.Key_Enter)
    dialog = _dialog(qtbot, screen)
    assert sorted(dialog.order_numbers()) == sorted(floor.packed_in_hour)
    _close(qtbot, screen, dialog)


def _words_in(screen: DashboardScreen, language: str) -> None:
    """Every label, title, header and button of the screen in the reader's language (codes
    and people's names aside)."""
    texts = [screen.tabs.tabText(i) for i in range(screen.tabs.count())]
    texts += [w.text() for w in screen.findChildren(QLabel)]
    texts += [w.text() for w in screen.findChildren(QPushButton)]
    texts += [w.text() for w in screen.findChildren(QCheckBox)]
    texts += [w.title() for w in screen.findChildren(QGroupBox)]
    for table in screen.findChildren(QTableWidget):
        texts += [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    texts += [s.label() for s in screen.bar_sets.values()]
    texts += [s.name() for s in screen.lines.values()]
    texts += [screen.axis_x.titleText(), screen.axis_y.titleText()]
    texts += [screen.rates["packer"].suffix(), screen.rates["packer"].specialValueText()]
    data = ("Ctrl+R", "packer01", "picker01")
    if language == "zh_CN":
        english = {t: english_words(t, data) for t in texts if english_words(t, data)}
        assert not english, english
    else:
        chinese = {t: chinese_chars(t) for t in texts if chinese_chars(t)}
        assert not chinese, chinese


def test_the_long_lists_are_written_when_their_tab_is_in_view(
        qtbot: QtBot, gui_db: Database, floor: Floor, lead: Actor) -> None:
    """A refresh writes the people and the stations only into the tab the lead looks at: the
    others are written when they come into view, from the same refresh."""
    from app.ui.dashboard_screen import HEALTH_TAB, PEOPLE_TAB

    screen = _screen(qtbot, gui_db, lead)
    board = screen.board
    assert board is not None and board.people and board.health.stations
    assert screen.people.rowCount() == 0 and screen.stations.rowCount() == 0
    screen.tabs.setCurrentIndex(PEOPLE_TAB)
    assert screen.people.rowCount() == len(board.people)
    assert screen.people.item(0, 2).text() == f"{board.people[0].orders:,}"
    assert screen.stations.rowCount() == 0
    screen.tabs.setCurrentIndex(HEALTH_TAB)
    assert screen.stations.rowCount() == len(board.health.stations)
    # In view, the next refresh writes it at once.
    with qtbot.waitSignal(screen.refreshed, timeout=TIMEOUT):
        screen.refresh()
    assert screen.stations.rowCount() == len(screen.board.health.stations)
