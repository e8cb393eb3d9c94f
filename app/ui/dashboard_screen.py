"""The shift lead's dashboard (看板): how much work is waiting and where, how fast the floor
works today against the same weekday last week, when the backlog clears and what will miss its
promised time or its carrier's cut-off, how many people each role needs against who is here,
each person's rate, the exception queue's ageing, presale pools near capacity, and the health
of the stations, printers and tracking-number pools.

The figures are `app.services.dashboard.snapshot`'s, read off the GUI thread every
`[dashboard] refresh` seconds (Ctrl+R at once); the GUI thread only writes the new figures
into the tables and chart series it built once. The rates a lead does not trust and the
staffing reserve are edited here and recomputed through the service. A click on a figure (or
Enter on a focused row) opens the orders behind it.
"""

from __future__ import annotations

import logging
import time as timer
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from app.config import Settings
from app.domain.china_time import in_china
from app.domain.forecast import DEFAULT_SHIFTS, HOUR, parse_shifts
from app.domain.roles import Role
from app.services import dashboard
from app.services.context import Actor
from app.services.dashboard import Dashboard, Plan
from app.services.database import Database
from app.services.orders import OrderFilter
from app.ui import labels, timefmt
from app.ui.orders_model import OrdersModel
from app.ui.qt import (
    QAbstractItemView,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QCheckBox,
    QColor,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QLineSeries,
    QModelIndex,
    QPainter,
    QPointF,
    QPushButton,
    QShortcut,
    QSpinBox,
    Qt,
    QTableWidget,
    QTabWidget,
    QTimer,
    QValueAxis,
    QVBoxLayout,
    QWidget,
    Signal,
)
from app.ui.tasks import Task
from app.ui.widgets import (
    COLOR_ERROR,
    COLOR_OK,
    COLOR_WARNING,
    MessageLine,
    bold,
    error_text,
    fit_columns,
    readable,
    row_table,
    simple_table,
    table_item,
)

log = logging.getLogger("packline.ui.dashboard")

WORKABLE = tuple(s.value for s in dashboard.WORKABLE)
BANDS = ("overdue", "due_soon", "presale", "vip", "normal")  # most urgent first
KINDS = ("pick", "pack", "ship")
KIND_COLOURS = {"pick": "#1565c0", "pack": "#2e7d32", "ship": "#ef6c00"}
EDIT_DELAY_MS = 400  # a burst of edits (typing 120 in a rate box) is one recomputation


def defaults_from(settings: Settings) -> tuple[Plan, int]:
    """The station's `[dashboard]` settings as the plan the screen starts from and its refresh
    period in seconds."""
    board = settings.dashboard
    try:
        shifts = parse_shifts(board.shifts)
    except ValueError:  # checked when the station started; the defaults all the same
        shifts = DEFAULT_SHIFTS
    return Plan(shifts=shifts, reserve=board.reserve / 100), board.refresh


@dataclass(frozen=True, slots=True)
class Drill:
    """The orders behind a figure: what a person clicked, in words, and the list's filter."""

    what: str
    filter: OrderFilter


def span(low: int, high: int) -> str:
    """A forecast's range: one number when both rates agree."""
    return f"{low:,}" if low == high else f"{low:,}–{high:,}"


def _hour_of(moment: datetime) -> str:
    return in_china(moment).strftime("%H:%M")


class OrdersDialog(QDialog):
    """The orders behind a figure, in the order list's paged model; Esc closes it."""

    def __init__(self, db: Database, actor: Actor, drill: Drill,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardOrders")
        self.drill = drill
        self.total: int | None = None
        readable(self)
        self.model = OrdersModel(db, actor, self)
        self.table = row_table("dashboardOrdersTable", self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.summary = QLabel(self.tr("Loading…"))
        self.summary.setObjectName("dashboardOrdersSummary")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.setWindowTitle(self.tr("%1 · loading…").replace("%1", drill.what))
        self.resize(1150, 620)
        self.model.loaded.connect(self._loaded)
        self.model.failed.connect(self._failed)
        self.model.set_query(drill.filter)

    def _loaded(self, total: int, _seconds: float) -> None:
        self.total = total
        title = self.tr("%1 · %2 orders").replace("%1", self.drill.what).replace(
            "%2", f"{total:,}")
        self.setWindowTitle(title)
        self.summary.setText(title)
        self.table.setFocus()
        if total:
            self.table.selectRow(0)

    def _failed(self, message: str) -> None:
        self.summary.setText(self.tr("Could not load the orders: %1").replace("%1", message))

    def order_numbers(self) -> list[str]:
        """The orders loaded so far, in the list's order."""
        rows = (self.model.row_at(r) for r in range(self.model.rowCount()))
        return [r.order_no for r in rows if r is not None]


def _fill(table: QTableWidget, rows: Sequence[Sequence[str]],
          keys: Sequence[object] | None = None,
          colours: Sequence[str | None] | None = None, right_from: int = 1) -> None:
    """Writes `rows` into `table`, reusing its cells: a row as it was last written is left
    alone, only texts that changed are set, a cell is made only for a row the table did not
    have. `keys` (one per row, or per cell as a tuple of the row's length) are what a click
    on the row opens."""
    table.setUpdatesEnabled(False)  # one repaint for the lot, not one per cell
    try:
        _write(table, rows, keys, colours, right_from)
    finally:
        table.setUpdatesEnabled(True)


def _write(table: QTableWidget, rows: Sequence[Sequence[str]], keys: Sequence[object] | None,
           colours: Sequence[str | None] | None, right_from: int) -> None:
    if table.rowCount() != len(rows):
        table.setRowCount(len(rows))
    before: list[tuple[Any, ...]] = getattr(table, "_written", [])
    written: list[tuple[Any, ...]] = []
    default = table.palette().text().color()
    for r, cells in enumerate(rows):
        key = keys[r] if keys is not None else None
        colour = colours[r] if colours is not None else None
        row = (tuple(cells), key if not isinstance(key, list) else tuple(key),
               colour or default.name())
        written.append(row)
        if r < len(before) and before[r] == row and table.item(r, 0) is not None:
            continue
        wanted = QColor(colour) if colour else default
        for c, text in enumerate(cells):
            item = table.item(r, c)
            if item is None:
                item = table_item(text)
                if c >= right_from:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(r, c, item)
            elif item.text() != text:
                item.setText(text)
            cell_key = key[c] if isinstance(key, list) else key
            if item.data(Qt.ItemDataRole.UserRole) != cell_key:
                item.setData(Qt.ItemDataRole.UserRole, cell_key)
            if item.foreground().color() != wanted:
                item.setForeground(wanted)
    table._written = written  # type: ignore[attr-defined]


# The tabs whose figures are written only while they are in view.
THROUGHPUT_TAB, PEOPLE_TAB, HEALTH_TAB = 2, 3, 4


class DashboardScreen(QWidget):
    refreshed = Signal()  # after each refresh's figures are on screen

    def __init__(self, db: Database, actor: Actor, plan_defaults: Plan | None = None, *,
                 refresh_seconds: int = 30, clock: Callable[[], datetime] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.defaults = plan_defaults or Plan()
        self.clock = clock  # tests give a fixed time; else the service reads the clock
        self.setObjectName("dashboardScreen")
        readable(self)
        self.board: Dashboard | None = None
        self.dialog: OrdersDialog | None = None
        self.running = False
        self._again = False
        self._stale = False
        self.last_apply_ms = 0.0
        self.applies = 0

        self.updated = QLabel("")
        self.updated.setObjectName("dashboardUpdated")
        self.shift_label = QLabel("")
        self.shift_label.setObjectName("dashboardShift")
        bold(self.shift_label)
        self.refresh_button = QPushButton(self.tr("Refresh (Ctrl+R)"))
        self.refresh_button.setObjectName("dashboardRefresh")
        self.refresh_button.clicked.connect(self.refresh)
        QShortcut(QKeySequence("Ctrl+R"), self, self.refresh)
        self.message = MessageLine()
        self.message.setObjectName("dashboardMessage")
        top = QHBoxLayout()
        top.addWidget(self.shift_label, 1)
        top.addWidget(self.updated)
        top.addWidget(self.refresh_button)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("dashboardTabs")
        self.tabs.addTab(self._now_tab(), self.tr("Now"))
        self.tabs.addTab(self._forecast_tab(), self.tr("Forecast"))
        self.tabs.addTab(self._throughput_tab(), self.tr("Throughput"))
        self.tabs.addTab(self._people_tab(), self.tr("People"))
        self.tabs.addTab(self._health_tab(), self.tr("Health"))
        self._stale_tabs: set[int] = set()
        self.tabs.currentChanged.connect(self._apply_tab)

        # The lead arrives at the carriers: arrows to a carrier, Enter for its orders.
        self.setFocusProxy(self.carriers)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)

        self._edits = QTimer(self)
        self._edits.setSingleShot(True)
        self._edits.setInterval(EDIT_DELAY_MS)
        self._edits.timeout.connect(self.refresh)
        self.timer = QTimer(self)
        self.timer.setInterval(max(refresh_seconds, 1) * 1000)
        self.timer.timeout.connect(self._tick)
        self.timer.start()
        self.message.info(self.tr("Loading…"))
        self.refresh()

    # ------------------------------------------------------------ building (once)

    def _table(self, name: str, headers: list[str], stretch: int | None = None) -> QTableWidget:
        table = simple_table(name, headers)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        table.setWordWrap(False)
        table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move within
        table.horizontalHeader().setFont(table.font())  # the headers as readable as the cells
        fit_columns(table, stretch)
        table.clicked.connect(self._cell_opened)
        table.activated.connect(self._cell_opened)  # Enter on the focused cell
        return table

    def _group(self, title: str, *widgets: QWidget, name: str = "",
               fixed: bool = False) -> QGroupBox:
        box = QGroupBox(title)
        if name:
            box.setObjectName(name)
        column = QVBoxLayout(box)
        column.setContentsMargins(6, 6, 6, 6)
        for w in widgets:
            column.addWidget(w)
        if fixed:
            column.addStretch(1)  # tables of fixed height stay at the top
        return box

    def _now_tab(self) -> QWidget:
        self.backlog_label = QLabel("")
        self.backlog_label.setObjectName("dashboardBacklog")
        self.backlog_label.setWordWrap(True)
        self.statuses = self._table("dashboardStatuses", [self.tr("Status"), self.tr("Orders")],
                                    stretch=0)
        self.statuses.horizontalHeader().setVisible(False)
        self.bands = self._table("dashboardBands", [self.tr("Priority"), self.tr("Orders")],
                                 stretch=0)
        self.carriers = self._table("dashboardCarriers", [
            self.tr("Carrier"), self.tr("Cut-off"), self.tr("To do"), self.tr("Packed"),
            self.tr("Will miss")], stretch=0)
        self.carriers.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.figures = self._table("dashboardFigures", [self.tr("Forecast"), self.tr("Value")],
                                   stretch=0)
        self.figures.horizontalHeader().setVisible(False)
        self.figures.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.levels = self._table("dashboardExceptions", [
            self.tr("Not escalated"), self.tr("Over 24 h"), self.tr("Over 48 h"),
            self.tr("Over 72 h")])
        for level, text in labels.escalation_names().items():
            header_item = self.levels.horizontalHeaderItem(level)
            if header_item is not None:
                header_item.setToolTip(text)
        self.levels.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.oldest = QLabel("")
        self.oldest.setObjectName("dashboardOldest")
        self.oldest.setWordWrap(True)

        self._fixed_rows()
        backlog = self._group(self.tr("Backlog"), self.backlog_label, self.statuses,
                              self.bands, name="backlogGroup", fixed=True)
        # No wider than its tables: the wrapped summary line must not take the carriers' room.
        backlog.setMaximumWidth(max(self.statuses.minimumWidth(), self.bands.minimumWidth())
                                + 24)
        carriers = self._group(self.tr("Carriers and their cut-offs"), self.carriers,
                               name="carriersGroup", fixed=True)
        figures = self._group(self.tr("Forecast"), self.figures, name="forecastGroup",
                              fixed=True)
        exceptions = self._group(self.tr("Exception queue"), self.levels, self.oldest,
                                 name="exceptionsGroup", fixed=True)
        middle = QVBoxLayout()
        for group in (carriers, figures, exceptions):
            middle.addWidget(group)
        middle.addStretch(1)
        staffing = self._staffing_group()

        tab = QWidget()
        grid = QGridLayout(tab)
        grid.setContentsMargins(4, 4, 4, 4)
        grid.addWidget(backlog, 0, 0)
        grid.addLayout(middle, 0, 1)
        grid.addWidget(staffing, 0, 2)
        grid.setColumnStretch(0, 0)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 0)
        return tab

    def _fixed_rows(self) -> None:
        """Rows that are there whatever the figures: statuses, bands, levels, forecast."""
        statuses = labels.status_names()
        _fill(self.statuses, [[statuses.get(s.value, s.value), ""] for s in dashboard.LIVE],
              keys=[("status", s.value) for s in dashboard.LIVE])
        bands = labels.band_names()
        _fill(self.bands, [[bands.get(b, b), ""] for b in BANDS],
              keys=[("band", b) for b in BANDS])
        _fill(self.levels, [["", "", "", ""]], keys=[[("level", n) for n in range(4)]],
              right_from=0)
        self.figure_rows = ("pack_rate", "pick_rate", "clear", "at_risk", "overdue", "capacity")
        names = {
            "pack_rate": self.tr("Packed an hour: last hour / shift"),
            "pick_rate": self.tr("Picked an hour: last hour / shift"),
            "clear": self.tr("Backlog clears"),
            "at_risk": self.tr("Will miss the promised ship time"),
            "overdue": self.tr("Already overdue"),
            "capacity": self.tr("Orders a day at the shift's rate"),
        }
        self.figure_names = names
        _fill(self.figures, [[names[k], ""] for k in self.figure_rows],
              keys=[("figure", k) for k in self.figure_rows])
        carriers = [["", "", "", "", ""]] * 6  # as many as a warehouse has, until the first read
        _fill(self.carriers, carriers)
        for table in (self.statuses, self.bands, self.levels, self.figures, self.carriers):
            self._fit_height(table)
        for table in (self.statuses, self.bands):
            self._fit_width(table)

    def _fit_height(self, table: QTableWidget) -> None:
        """A table of a few fixed rows shows them all, without a scroll bar."""
        table.resizeRowsToContents()
        header = table.horizontalHeader()
        top = header.sizeHint().height() if not header.isHidden() else 0
        rows = sum(table.rowHeight(r) for r in range(table.rowCount()))
        table.setFixedHeight(top + rows + 2 * table.frameWidth() + 2)
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def _fit_width(self, table: QTableWidget) -> None:
        """As wide as its names and a seven-digit count, in whichever language."""
        header = table.horizontalHeader()
        names = max(table.sizeHintForColumn(0), header.sectionSizeHint(0))
        count = max(table.fontMetrics().horizontalAdvance("888,888") + 12,
                    header.sectionSizeHint(1))
        table.setMinimumWidth(names + count + 2 * table.frameWidth() + 4)

    def _staffing_group(self) -> QGroupBox:
        box = QGroupBox(self.tr("Staffing this shift"))
        box.setObjectName("staffingGroup")
        box.setMaximumWidth(380)  # the carriers and the forecast take the room left
        grid = QGridLayout(box)
        grid.setContentsMargins(6, 6, 6, 6)
        self.staff_intro = QLabel("")
        self.staff_intro.setWordWrap(True)
        grid.addWidget(self.staff_intro, 0, 0, 1, 2)
        self.rates: dict[str, QDoubleSpinBox] = {}
        self.measured: dict[str, QCheckBox] = {}
        self.staff: dict[str, dict[str, QLabel]] = {}
        roles = labels.role_names()
        row = 1
        for role in (Role.PACKER.value, Role.PICKER.value):
            title = QLabel(roles[role])
            bold(title)
            grid.addWidget(title, row, 0, 1, 2)
            rate = QDoubleSpinBox()
            rate.setObjectName(f"{role}Rate")
            rate.setRange(0, 10_000)
            rate.setDecimals(1)
            rate.setSingleStep(5)
            rate.setSpecialValueText(self.tr("not measured"))
            rate.setSuffix(self.tr(" orders/h"))
            rate.valueChanged.connect(lambda _v, r=role: self._rate_edited(r))
            measured = QCheckBox(self.tr("measured today"))
            measured.setObjectName(f"{role}Measured")
            measured.setChecked(True)
            measured.toggled.connect(lambda _on, r=role: self._measured_toggled(r))
            self.rates[role], self.measured[role] = rate, measured
            grid.addWidget(QLabel(self.tr("One person")), row + 1, 0)
            grid.addWidget(rate, row + 1, 1)
            grid.addWidget(measured, row + 2, 1)
            row += 1
            figures = {k: QLabel("") for k in ("needed", "here", "gap")}
            for k, label in figures.items():
                label.setObjectName(f"{role}_{k}")
                label.setWordWrap(True)
            bold(figures["needed"])
            grid.addWidget(QLabel(self.tr("Needed")), row + 2, 0)
            grid.addWidget(figures["needed"], row + 2, 1)
            grid.addWidget(QLabel(self.tr("Here")), row + 3, 0)
            grid.addWidget(figures["here"], row + 3, 1)
            grid.addWidget(QLabel(self.tr("Gap")), row + 4, 0)
            grid.addWidget(figures["gap"], row + 4, 1)
            self.staff[role] = figures
            row += 5
        self.reserve = QSpinBox()
        self.reserve.setObjectName("reserve")
        self.reserve.setRange(0, 100)
        self.reserve.setSuffix(" %")
        self.reserve.setValue(round(self.defaults.reserve * 100))
        self.reserve.valueChanged.connect(lambda _v: self._edited())
        grid.addWidget(QLabel(self.tr("Reserve")), row, 0)
        grid.addWidget(self.reserve, row, 1)
        self.staff_rule = QLabel(self.tr(
            "People = orders ÷ (one person's rate × shift hours) × (1 + reserve), rounded up."))
        self.staff_rule.setWordWrap(True)
        grid.addWidget(self.staff_rule, row + 1, 0, 1, 2)
        grid.setRowStretch(row + 2, 1)
        grid.setColumnStretch(1, 1)
        return box

    def _forecast_tab(self) -> QWidget:
        self.days = self._table("dashboardDays", [
            self.tr("Day"), self.tr("Carried in"), self.tr("Presale balances arriving"),
            self.tr("Capacity"), self.tr("Shipped"), self.tr("Left")], stretch=0)
        self.due = self._table("dashboardDue", [self.tr("Due by"), self.tr("Orders"),
                                                self.tr("Will miss")], stretch=0)
        self.due.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.due_note = QLabel("")
        self.due_note.setWordWrap(True)
        self.arrivals = self._table("dashboardArrivals", [
            self.tr("Campaign"), self.tr("Day"), self.tr("Orders")], stretch=0)
        self.campaigns = self._table("dashboardCampaigns", [
            self.tr("Campaign"), self.tr("Pool used"), self.tr("Awaiting balance"),
            self.tr("Ship by")], stretch=0)
        self.campaigns_note = QLabel("")
        self.campaigns_note.setWordWrap(True)
        tab = QWidget()
        grid = QGridLayout(tab)
        grid.setContentsMargins(4, 4, 4, 4)
        grid.addWidget(self._group(self.tr("Day by day"), self.days, name="daysGroup"), 0, 0)
        grid.addWidget(self._group(self.tr("Orders that will miss their promised ship time, "
                                           "by hour"), self.due_note, self.due,
                                   name="dueGroup"), 0, 1, 2, 1)
        grid.addWidget(self._group(self.tr("Presale balances arriving"), self.arrivals,
                                   name="arrivalsGroup"), 1, 0)
        grid.addWidget(self._group(self.tr("Presale pools near capacity"),
                                   self.campaigns_note, self.campaigns,
                                   name="campaignsGroup"), 2, 0, 1, 2)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        return tab

    def _throughput_tab(self) -> QWidget:
        self.totals = QLabel("")
        self.totals.setObjectName("dashboardTotals")
        self.totals.setWordWrap(True)
        names = self._kind_names()
        self.bars = QBarSeries()
        self.bar_sets: dict[str, QBarSet] = {}
        self.lines: dict[str, QLineSeries] = {}
        chart = QChart()
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setFont(self.font())
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        legend = self.font()
        legend.setPointSize(max(legend.pointSize() - 2, 8))
        chart.legend().setFont(legend)
        chart.setMargins(chart.margins() * 0)
        for kind in KINDS:
            bar = QBarSet(names[kind])
            bar.append([0.0] * 24)
            bar.setColor(QColor(KIND_COLOURS[kind]))
            self.bar_sets[kind] = bar
            self.bars.append(bar)
        self.bars.setBarWidth(0.85)
        chart.addSeries(self.bars)
        for kind in KINDS:
            line = QLineSeries()
            line.setName(self.tr("%1 last week").replace("%1", names[kind]))
            pen = line.pen()
            pen.setColor(QColor(KIND_COLOURS[kind]).darker(140))
            pen.setStyle(Qt.PenStyle.DashLine)
            pen.setWidth(2)
            line.setPen(pen)
            line.replace([QPointF(h, 0) for h in range(24)])
            self.lines[kind] = line
            chart.addSeries(line)
        self.axis_x = QBarCategoryAxis()
        self.axis_x.append([str(h) for h in range(24)])
        self.axis_x.setTitleText(self.tr("Hour (China time)"))
        self.axis_y = QValueAxis()
        self.axis_y.setLabelFormat("%d")
        self.axis_y.setRange(0, 10)
        self.axis_y.setTitleText(self.tr("Orders"))
        for axis, side in ((self.axis_x, Qt.AlignmentFlag.AlignBottom),
                           (self.axis_y, Qt.AlignmentFlag.AlignLeft)):
            small = self.font()
            small.setPointSize(max(small.pointSize() - 3, 8))
            axis.setLabelsFont(small)
            axis.setTitleFont(small)
            chart.addAxis(axis, side)
        for series in (self.bars, *self.lines.values()):
            series.attachAxis(self.axis_x)
            series.attachAxis(self.axis_y)
        self.bars.clicked.connect(self._bar_clicked)
        self.bars.hovered.connect(self._bar_hovered)
        self.chart = chart
        self.chart_view = QChartView(chart)
        self.chart_view.setObjectName("dashboardChart")
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumSize(520, 360)
        self.chart_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.hours = self._table("dashboardHours", [
            self.tr("Hour"), names["pick"], names["pack"], names["ship"],
            self.tr("Last week")], stretch=4)
        keys = [[None, ("hour", "pick", h), ("hour", "pack", h), ("hour", "ship", h), None]
                for h in range(24)]
        _fill(self.hours, [[f"{h:02d}:00", "", "", "", ""] for h in range(24)], keys=keys)
        self.hours.setMinimumWidth(380)
        hint = QLabel(self.tr("Click a bar, or a count in the table, for the orders of that "
                              "hour."))
        hint.setWordWrap(True)
        tab = QWidget()
        grid = QGridLayout(tab)
        grid.setContentsMargins(4, 4, 4, 4)
        grid.addWidget(self.totals, 0, 0, 1, 2)
        grid.addWidget(self.chart_view, 1, 0, 2, 1)
        grid.addWidget(hint, 1, 1)
        grid.addWidget(self.hours, 2, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setRowStretch(2, 1)
        return tab

    def _people_tab(self) -> QWidget:
        self.people = self._table("dashboardPeople", [
            self.tr("Person"), self.tr("Work"), self.tr("Orders"), self.tr("Units"),
            self.tr("Hours"), self.tr("Orders/h"), self.tr("Units/h")], stretch=0)
        self.people.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.people.clicked.disconnect()
        self.people.activated.disconnect()
        box = QGroupBox(self.tr("11.11 planning"))
        box.setObjectName("peakGroup")
        form = QGridLayout(box)
        self.normal = QSpinBox()
        self.normal.setObjectName("normalDaily")
        self.normal.setRange(0, 100_000_000)
        self.normal.setSingleStep(1000)
        self.normal.setGroupSeparatorShown(True)
        self.normal.setValue(self.defaults.normal_daily)
        self.growth = QDoubleSpinBox()
        self.growth.setObjectName("growth")
        self.growth.setRange(0, 100)
        self.growth.setDecimals(2)
        self.growth.setSingleStep(0.5)
        self.growth.setValue(self.defaults.growth)
        self.conversion = QDoubleSpinBox()
        self.conversion.setObjectName("conversion")
        self.conversion.setRange(0, 10)
        self.conversion.setDecimals(2)
        self.conversion.setSingleStep(0.05)
        self.conversion.setValue(self.defaults.conversion)
        for edit in (self.normal, self.growth, self.conversion):
            edit.valueChanged.connect(lambda _v: self._edited())
        self.peak: dict[str, QLabel] = {k: QLabel("") for k in ("volume", "packers", "pickers")}
        for k, label in self.peak.items():
            label.setObjectName(f"peak_{k}")
            bold(label)
        rows = [(self.tr("A normal day's orders"), self.normal),
                (self.tr("× growth"), self.growth), (self.tr("× conversion"), self.conversion),
                (self.tr("= orders on the day"), self.peak["volume"]),
                (self.tr("Packers needed"), self.peak["packers"]),
                (self.tr("Pickers needed"), self.peak["pickers"])]
        for r, (text, widget) in enumerate(rows):
            form.addWidget(QLabel(text), r, 0)
            form.addWidget(widget, r, 1)
        note = QLabel(self.tr("At today's rates (or those typed on the Now tab), a whole day "
                              "of shifts, with the reserve."))
        note.setWordWrap(True)
        form.addWidget(note, len(rows), 0, 1, 2)
        form.setRowStretch(len(rows) + 1, 1)
        tab = QWidget()
        grid = QGridLayout(tab)
        grid.setContentsMargins(4, 4, 4, 4)
        grid.addWidget(self._group(self.tr("Each person's work today"), self.people,
                                   name="peopleGroup"), 0, 0)
        grid.addWidget(box, 0, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        return tab

    def _health_tab(self) -> QWidget:
        self.health_label = QLabel("")
        self.health_label.setObjectName("dashboardHealth")
        bold(self.health_label)
        self.stations = self._table("dashboardStations", [
            self.tr("Station"), self.tr("Kind"), self.tr("State"), self.tr("Last seen"),
            self.tr("Waiting"), self.tr("Behind"), self.tr("Refused")])
        self.printers = self._table("dashboardPrinters", [
            self.tr("Station"), self.tr("Printer"), self.tr("State"), self.tr("Waiting"),
            self.tr("Failed")])
        self.pools = self._table("dashboardPools", [
            self.tr("Carrier"), self.tr("Free numbers"), self.tr("Last about")])
        for table in (self.stations, self.printers, self.pools):
            table.clicked.disconnect()
            table.activated.disconnect()
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        tab = QWidget()
        grid = QGridLayout(tab)
        grid.setContentsMargins(4, 4, 4, 4)
        grid.addWidget(self.health_label, 0, 0, 1, 2)
        grid.addWidget(self._group(self.tr("Stations"), self.stations, name="stationsGroup"),
                       1, 0, 2, 1)
        grid.addWidget(self._group(self.tr("Printers"), self.printers, name="printersGroup"),
                       1, 1)
        grid.addWidget(self._group(self.tr("Tracking-number pools"), self.pools,
                                   name="poolsGroup"), 2, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        return tab

    def _kind_names(self) -> dict[str, str]:
        return {"pick": self.tr("Picked"), "pack": self.tr("Packed"),
                "ship": self.tr("Handed over")}

    # ------------------------------------------------------------ the plan, refreshing

    def plan(self) -> Plan:
        """What the lead set on the screen, over the station's defaults."""
        def rate(role: str) -> float | None:
            value = self.rates[role].value()
            return None if self.measured[role].isChecked() or value <= 0 else value

        return Plan(shifts=self.defaults.shifts, reserve=self.reserve.value() / 100,
                    packer_per_hour=rate(Role.PACKER.value),
                    picker_per_hour=rate(Role.PICKER.value),
                    normal_daily=self.normal.value(), growth=self.growth.value(),
                    conversion=self.conversion.value(), days=self.defaults.days,
                    low_pool_hours=self.defaults.low_pool_hours)

    def refresh(self) -> None:
        """Read the figures again now (off the GUI thread); never two reads at once: one asked
        for meanwhile runs when the current one is done."""
        if self.running:
            self._again = True
            return
        self.running = True
        self._stale = False
        now = self.clock() if self.clock is not None else None
        Task(dashboard.snapshot, self.db, self.actor, self.plan(), now).owned_by(self).success(
            self._arrived).failure(self._failed).start()

    def _tick(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True  # read when the lead comes back to it

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _done(self) -> None:
        self.running = False
        if self._again:
            self._again = False
            self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self.message.error(self.tr("Could not read the dashboard: %1")
                           .replace("%1", error_text(exc)))
        self._done()

    def _arrived(self, board: Dashboard) -> None:
        started = timer.perf_counter()
        try:
            self._apply(board)
        finally:
            self.last_apply_ms = (timer.perf_counter() - started) * 1000
            self.applies += 1
        self.message.info("")
        self._done()
        self.refreshed.emit()

    def _edited(self) -> None:
        self._edits.start()

    def _rate_edited(self, role: str) -> None:
        box = self.measured[role]
        if box.isChecked():
            blocked = box.blockSignals(True)
            box.setChecked(False)  # typed in: no longer today's measure
            box.blockSignals(blocked)
        self._edited()

    def _measured_toggled(self, role: str) -> None:
        if self.measured[role].isChecked() and self.board is not None:
            self._show_rate(role, self.board)
        self._edited()

    def _show_rate(self, role: str, board: Dashboard) -> None:
        spin = self.rates[role]
        blocked = spin.blockSignals(True)
        spin.setValue(round(board.staffing.measured_per_hour.get(role, 0.0), 1))
        spin.blockSignals(blocked)

    # ------------------------------------------------------------ applying (cheap)

    def _apply(self, board: Dashboard) -> None:
        self.board = board
        f = board.forecast
        updated = self.tr("updated %1").replace("%1", timefmt.clock(board.at))
        if board.backlog_at is not None and board.backlog_at != board.at:
            # The order engine counts the live orders every few seconds for every dashboard.
            updated += " · " + self.tr("orders counted %1").replace(
                "%1", timefmt.clock(board.backlog_at))
        replica = self._replica_text(board)
        if replica:
            updated += " · " + replica
        self.updated.setText(updated)
        self.shift_label.setText(self.tr("Shift %1 · %2–%3").replace(
            "%1", self._shift_name(f.shift)).replace("%2", timefmt.short(f.shift_starts_at))
            .replace("%3", _hour_of(f.shift_ends_at)))
        self._apply_backlog(board)
        self._apply_forecast(board)
        self._apply_staffing(board)
        self._apply_exceptions(board)
        # The long lists (a floor's hundreds of people, its stations) are written when their
        # tab is in view, so a refresh costs the GUI thread what the lead is looking at.
        self._stale_tabs = {THROUGHPUT_TAB, PEOPLE_TAB, HEALTH_TAB}
        self._apply_tab(self.tabs.currentIndex())

    def _replica_text(self, board: Dashboard) -> str:
        """Read from the site's read replica: how far behind it is ("" without one)."""
        lag = board.replica
        if lag is None:
            return ""
        if not lag.reachable:
            return self.tr("replica not answering: read from the primary")
        if not lag.replica:
            return self.tr("the read replica is not a standby")
        if lag.seconds is None:
            behind = self.tr("replica %1 KB behind").replace(
                "%1", f"{(lag.bytes or 0) / 1024:,.0f}")
        else:
            behind = self.tr("replica %1 s behind").replace("%1", f"{lag.seconds:,.1f}")
        return behind + (self.tr(" (replay paused)") if lag.paused else "")

    def _apply_tab(self, index: int) -> None:
        if self.board is None or index not in self._stale_tabs:
            return
        self._stale_tabs.discard(index)
        {THROUGHPUT_TAB: self._apply_throughput, PEOPLE_TAB: self._apply_people,
         HEALTH_TAB: self._apply_health}[index](self.board)

    def _shift_name(self, name: str) -> str:
        return {"day": self.tr("day"), "night": self.tr("night")}.get(name, name)

    def _apply_backlog(self, board: Dashboard) -> None:
        b = board.backlog
        self.backlog_label.setText(self.tr(
            "%1 to pick and pack · %2 packed · %3 blocked · %4 awaiting balance").replace(
            "%1", f"{b.workable:,}").replace("%2", f"{b.packed:,}").replace(
            "%3", f"{b.blocked:,}").replace("%4", f"{b.awaiting_balance:,}"))
        statuses = labels.status_names()
        _fill(self.statuses, [[statuses.get(s.value, s.value), f"{b.by_status.get(s.value, 0):,}"]
                              for s in dashboard.LIVE],
              keys=[("status", s.value) for s in dashboard.LIVE])
        bands = labels.band_names()
        _fill(self.bands, [[bands.get(k, k), f"{b.by_band.get(k, 0):,}"]
                           for k in BANDS],
              keys=[("band", k) for k in BANDS],
              colours=[COLOR_ERROR if k == "overdue" and b.by_band.get(k) else None
                       for k in BANDS])
        rows: list[list[str]] = []
        keys: list[tuple[str, ...]] = []
        colours: list[str | None] = []
        local_day = in_china(board.at).date()
        for c in b.carriers:
            if c.cutoff is None:
                cutoff = "—"
            elif in_china(c.cutoff).date() == local_day:
                cutoff = _hour_of(c.cutoff)
            else:
                cutoff = self.tr("tomorrow %1").replace("%1", _hour_of(c.cutoff))
            rows.append([f"{c.code} {c.name}", cutoff, f"{c.orders:,}", f"{c.packed:,}",
                         span(c.miss_low, c.miss_high)])
            keys.append(("carrier", c.code, c.name))
            colours.append(COLOR_ERROR if c.miss_high else None)
        rows.append([self.tr("No carrier yet"), "—", f"{b.unrouted:,}", "", ""])
        keys.append(("unrouted",))
        colours.append(COLOR_WARNING if b.unrouted else None)
        _fill(self.carriers, rows, keys=keys, colours=colours)

    def _clear_text(self, board: Dashboard) -> str:
        clear = board.forecast.clear
        if clear.backlog <= 0:
            return self.tr("nothing waiting")
        not_at_rate = self.tr("not at this rate")
        if clear.earliest is None:
            return not_at_rate
        if clear.latest is None:
            return f"{timefmt.short(clear.earliest)} – {not_at_rate}"
        if timefmt.short(clear.earliest) == timefmt.short(clear.latest):
            return timefmt.short(clear.earliest)
        return f"{timefmt.short(clear.earliest)} – {timefmt.short(clear.latest)}"

    def _apply_forecast(self, board: Dashboard) -> None:
        f = board.forecast
        values = {
            "pack_rate": f"{f.pack_rate.hour:,.0f} / {f.pack_rate.shift:,.0f}",
            "pick_rate": f"{f.pick_rate.hour:,.0f} / {f.pick_rate.shift:,.0f}",
            "clear": self._clear_text(board),
            "at_risk": span(f.at_risk_low, f.at_risk_high),
            "overdue": f"{f.overdue:,}",
            "capacity": f"{f.daily_capacity:,}",
        }
        _fill(self.figures, [[self.figure_names[k], values[k]] for k in self.figure_rows],
              keys=[("figure", k) for k in self.figure_rows],
              colours=[COLOR_ERROR if (k == "at_risk" and f.at_risk_high)
                       or (k == "overdue" and f.overdue) else None for k in self.figure_rows])
        resize = self.days.rowCount() != len(f.days)
        _fill(self.days, [[d.day.strftime("%m-%d"), f"{d.carried_in:,}", f"{d.arriving:,}",
                           f"{d.capacity:,}", f"{d.shipped:,}", f"{d.left:,}"] for d in f.days],
              colours=[COLOR_ERROR if d.left and i == len(f.days) - 1 else None
                       for i, d in enumerate(f.days)])
        if resize:
            self._fit_height(self.days)
        self.due_note.setText(self.tr(
            "At the faster and the slower of the two packing rates; %1 already overdue.")
            .replace("%1", f"{f.overdue:,}"))
        _fill(self.due, [[timefmt.short(d.due_at), f"{d.orders:,}", span(d.miss_low, d.miss_high)]
                         for d in f.due],
              keys=[("due", d.due_at) for d in f.due],
              colours=[COLOR_ERROR if d.miss_low else COLOR_WARNING for d in f.due])
        _fill(self.arrivals, [[f"{a.campaign} {a.name}", a.day.strftime("%m-%d"),
                               f"{a.orders:,}"] for a in f.arrivals],
              keys=[("campaign_waiting", a.campaign) for a in f.arrivals])
        near = [c for c in board.campaigns if c.near]
        self.campaigns_note.setText(
            self.tr("%1 of %2 campaigns near capacity").replace("%1", str(len(near)))
            .replace("%2", str(len(board.campaigns))))
        _fill(self.campaigns, [[f"{c.code} {c.name}", f"{c.reserved:,} / {c.capacity:,} "
                                f"({c.ratio:.0%})", f"{c.awaiting_balance:,}",
                                timefmt.short(c.ship_by)] for c in near],
              colours=[COLOR_ERROR for _c in near])

    def _apply_staffing(self, board: Dashboard) -> None:
        st = board.staffing
        self.staff_intro.setText(self.tr("%1 orders to pick and pack; a shift of %2 hours.")
                                 .replace("%1", f"{board.backlog.workable:,}")
                                 .replace("%2", f"{st.shift_hours:g}"))
        for line in st.lines:
            if line.role not in self.staff:
                continue
            if self.measured[line.role].isChecked():
                self._show_rate(line.role, board)
            shown = self.staff[line.role]
            shown["needed"].setText("?" if line.needed is None else str(line.needed))
            shown["needed"].setToolTip(self.tr("%1 a person a shift").replace(
                "%1", f"{line.per_person_per_shift:,.0f}"))
            shown["here"].setText(self.tr("%1 (%2 working now)").replace(
                "%1", str(line.on_floor)).replace("%2", str(st.working_now.get(line.role, 0))))
            shown["here"].setToolTip(self.tr("%1 logged in this shift").replace(
                "%1", str(st.logged_in.get(line.role, 0))))
            gap = line.gap
            if gap is None:
                text, colour = "?", None
            elif gap > 0:
                text, colour = self.tr("%1 short").replace("%1", str(gap)), COLOR_ERROR
            elif gap < 0:
                text, colour = self.tr("%1 to spare").replace("%1", str(-gap)), COLOR_OK
            else:
                text, colour = self.tr("just right"), COLOR_OK
            shown["gap"].setText(text)
            shown["gap"].setStyleSheet(f"color: {colour}; font-weight: bold;" if colour else "")
        p = st.peak
        self.peak["volume"].setText(f"{p.volume:,}")
        self.peak["packers"].setText("?" if p.packers is None else f"{p.packers:,}")
        self.peak["pickers"].setText("?" if p.pickers is None else f"{p.pickers:,}")

    def _apply_throughput(self, board: Dashboard) -> None:
        t = board.throughput
        self.totals.setText(self.tr(
            "Today: picked %1 · packed %2 · handed over %3.   Same weekday last week by this "
            "time: %4 · %5 · %6").replace("%1", f"{t.picked:,}").replace(
            "%2", f"{t.packed:,}").replace("%3", f"{t.shipped:,}").replace(
            "%4", f"{t.last_week_picked:,}").replace("%5", f"{t.last_week_packed:,}").replace(
            "%6", f"{t.last_week_shipped:,}"))
        today = {"pick": [h.picked for h in t.hours], "pack": [h.packed for h in t.hours],
                 "ship": [h.shipped for h in t.hours]}
        before = {"pick": [h.last_week_picked for h in t.hours],
                  "pack": [h.last_week_packed for h in t.hours],
                  "ship": [h.last_week_shipped for h in t.hours]}
        top = 0
        for kind in KINDS:
            bar = self.bar_sets[kind]
            for h, value in enumerate(today[kind]):
                if bar.at(h) != value:
                    bar.replace(h, value)
            self.lines[kind].replace([QPointF(h, v) for h, v in enumerate(before[kind])])
            top = max(top, *today[kind], *before[kind])
        self.axis_y.setRange(0, max(10, round(top * 1.1 + 0.5)))
        self.axis_y.applyNiceNumbers()
        self.hour_starts = [h.starts_at for h in t.hours]
        _fill(self.hours, [[_hour_of(h.starts_at), f"{h.picked:,}", f"{h.packed:,}",
                            f"{h.shipped:,}", f"{h.last_week_picked:,} / "
                            f"{h.last_week_packed:,} / {h.last_week_shipped:,}"]
                           for h in t.hours],
              keys=[[None, ("hour", "pick", i), ("hour", "pack", i), ("hour", "ship", i), None]
                    for i in range(len(t.hours))])

    def _apply_people(self, board: Dashboard) -> None:
        roles = labels.role_names()
        work = {"pick": self.tr("Picking"), "pack": self.tr("Packing")}
        _fill(self.people, [[f"{p.code} {p.name} ({roles.get(p.role, p.role)})",
                             work.get(p.kind, p.kind), f"{p.orders:,}", f"{p.units:,}",
                             f"{p.hours:.1f}", f"{p.orders_per_hour:.1f}",
                             f"{p.units_per_hour:.1f}"] for p in board.people], right_from=2)

    def _apply_exceptions(self, board: Dashboard) -> None:
        e = board.exceptions
        _fill(self.levels, [[f"{e.levels.get(n, 0):,}" for n in range(4)]],
              keys=[[("level", n) for n in range(4)]], right_from=0,
              colours=[COLOR_ERROR if e.levels.get(2) or e.levels.get(3) else None])
        if e.oldest_at is None:
            self.oldest.setText(self.tr("No open exceptions."))
        else:
            self.oldest.setText(self.tr("Oldest open for %1 (since %2)").replace(
                "%1", self._age(board.at - e.oldest_at)).replace(
                "%2", timefmt.short(e.oldest_at)))

    def _age(self, age: timedelta) -> str:
        minutes = max(int(age.total_seconds() // 60), 0)
        days, rest = divmod(minutes, 24 * 60)
        hours, minutes = divmod(rest, 60)
        if days:
            return self.tr("%1 d %2 h").replace("%1", str(days)).replace("%2", str(hours))
        if hours:
            return self.tr("%1 h %2 min").replace("%1", str(hours)).replace("%2", str(minutes))
        return self.tr("%1 min").replace("%1", str(minutes))

    def _apply_health(self, board: Dashboard) -> None:
        h = board.health
        self.health_label.setText(self.tr("%1 stations online · %2 offline").replace(
            "%1", str(h.stations_online)).replace("%2", str(h.stations_offline)))
        kinds = {"packing": self.tr("packing"), "picking": self.tr("picking"),
                 "office": self.tr("office"), "dock": self.tr("dock")}
        online, offline = self.tr("● online"), self.tr("○ offline")
        _fill(self.stations, [[s.code, kinds.get(s.kind, s.kind),
                               online if s.online else offline,
                               timefmt.short(s.last_seen_at) or "—",
                               f"{s.outbox_pending:,}", self._lag(s.outbox_lag_s),
                               f"{s.outbox_refused:,}"] for s in h.stations], right_from=4,
              colours=[None if s.online and not s.outbox_refused else COLOR_ERROR
                       for s in h.stations])
        # What a station says of its printers (`app.sync.contract.PrinterReport`), and
        # "offline" for those of a station not heard from.
        states = {"ok": self.tr("✔ ready"), "down": self.tr("✖ failed"),
                  "offline": self.tr("○ station offline"), "unknown": self.tr("not used yet")}
        documents = labels.document_names()
        _fill(self.printers, [[p.station, f"{p.name} ({labels.label(documents, p.role)})",
                               states.get(p.state, p.state), f"{p.waiting:,}",
                               f"{p.failed:,}"]
                              for p in h.printers], right_from=3,
              colours=[None if p.state == "ok" else COLOR_ERROR if p.state == "down"
                       else COLOR_WARNING for p in h.printers])
        _fill(self.pools, [[f"{p.carrier} {p.name}", f"{p.free:,}",
                            self.tr("no packing measured") if p.hours_left is None
                            else self.tr("%1 h").replace("%1", f"{p.hours_left:,.1f}")]
                           for p in h.pools],
              colours=[COLOR_ERROR if p.low else None for p in h.pools])

    def _lag(self, seconds: float) -> str:
        if seconds < 60:
            return self.tr("%1 s").replace("%1", f"{seconds:.0f}")
        return self._age(timedelta(seconds=seconds))

    # ------------------------------------------------------------ the orders behind a figure

    def _bar_clicked(self, index: int, bar: QBarSet) -> None:
        kind = next((k for k, b in self.bar_sets.items() if b is bar), None)
        if kind is not None:
            self.open_hour(kind, index)

    def _bar_hovered(self, status: bool, index: int, bar: QBarSet) -> None:
        if status:
            self.chart_view.setToolTip(f"{bar.label()} {index:02d}:00 · {bar.at(index):.0f}")
        else:
            self.chart_view.setToolTip("")

    def _cell_opened(self, index: QModelIndex) -> None:
        key = index.data(Qt.ItemDataRole.UserRole)
        if key is None:
            return
        drill = self.drill_for(tuple(key))
        if drill is not None:
            self.open_orders(drill)

    def open_hour(self, kind: str, hour: int) -> None:
        drill = self.drill_for(("hour", kind, hour))
        if drill is not None:
            self.open_orders(drill)

    def drill_for(self, key: tuple[Any, ...]) -> Drill | None:
        """The orders behind the figure `key` names (what its cell holds)."""
        board = self.board
        what, *rest = key
        if what == "status":
            name = labels.label(labels.status_names(), rest[0])
            return Drill(self.tr("Status %1").replace("%1", name),
                         OrderFilter(statuses=(rest[0],)))
        if what == "band":
            name = labels.label(labels.band_names(), rest[0])
            return Drill(self.tr("%1, to pick and pack").replace("%1", name),
                         OrderFilter(statuses=WORKABLE, bands=(rest[0],)))
        if what == "carrier":
            return Drill(self.tr("%1 %2, to pick and pack").replace("%1", rest[0])
                         .replace("%2", rest[1]),
                         OrderFilter(statuses=WORKABLE, carrier=rest[0]))
        if what == "unrouted":
            return Drill(self.tr("No carrier yet, to pick and pack"),
                         OrderFilter(statuses=WORKABLE, no_carrier=True))
        if what == "level":
            name = labels.escalation_names()[rest[0]]
            return Drill(self.tr("Open exceptions, %1").replace("%1", name),
                         OrderFilter(exception_level=rest[0]))
        if what == "due":
            counted = board.backlog_at if board is not None else None
            return Drill(self.tr("To pick and pack, due before %1").replace(
                "%1", timefmt.short(rest[0])),
                OrderFilter(statuses=WORKABLE, due_before=rest[0], due_after=counted))
        if what == "campaign_waiting":
            return None  # the presale screen holds a campaign's orders
        if what == "figure" and board is not None:
            return self._figure_drill(rest[0], board)
        if what == "hour" and board is not None:
            kind, hour = rest
            starts = board.throughput.hours[hour].starts_at
            between = (starts, starts + HOUR)
            moment = f"{_hour_of(starts)}–{_hour_of(starts + HOUR)}"
            if kind == "pick":
                return Drill(self.tr("Picked %1").replace("%1", moment),
                             OrderFilter(picked_between=between))
            if kind == "pack":
                return Drill(self.tr("Packed %1").replace("%1", moment),
                             OrderFilter(packed_between=between))
            return Drill(self.tr("Handed over %1").replace("%1", moment),
                         OrderFilter(shipped_between=between))
        return None

    def _figure_drill(self, figure: str, board: Dashboard) -> Drill | None:
        f = board.forecast
        counted = board.backlog_at or board.at  # when the orders were counted
        if figure == "overdue":
            return Drill(self.tr("Already overdue, to pick and pack"),
                         OrderFilter(statuses=WORKABLE, due_before=counted))
        if figure == "at_risk" and f.due:
            last = max(d.due_at for d in f.due)
            return Drill(self.tr("To pick and pack, due before %1").replace(
                "%1", timefmt.short(last)),
                OrderFilter(statuses=WORKABLE, due_before=last, due_after=counted))
        if figure in ("clear", "pack_rate", "pick_rate", "capacity"):
            return Drill(self.tr("To pick and pack"), OrderFilter(statuses=WORKABLE))
        return None

    def open_orders(self, drill: Drill) -> OrdersDialog | None:
        if self.dialog is not None and self.dialog.isVisible():
            return None  # a double click: the first click opened it already
        dialog = OrdersDialog(self.db, self.actor, drill, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self._dialog_closed(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _dialog_closed(self, dialog: OrdersDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
