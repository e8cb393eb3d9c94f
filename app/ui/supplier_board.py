"""The supplier board of one presale campaign (预售供应看板): its supplier and backup supplier,
the deliveries they confirmed (a slipping one coloured by its level), presale demand per day
against arrivals with the cumulative gap (a table and a chart), what to do about a gap, and
the orders' promised ship dates. From here the lead imports a deliveries file, raises the
slips in the exception queue, and exports the compensations and the promises for the shop.

Everything is loaded and done off the GUI thread (`app.ui.tasks`); opened from the campaign
screen as `SupplierBoardDialog(db, actor, campaign_code, parent)`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from app.domain.money import format_yuan
from app.domain.presale_supply import shop_text
from app.domain.roles import Permission
from app.services import supply
from app.services.context import Actor
from app.services.database import Database
from app.services.supply import SupplyBoard
from app.ui import labels
from app.ui.qt import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QCheckBox,
    QColor,
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineSeries,
    QLocale,
    QPainter,
    QPointF,
    QPushButton,
    QSplitter,
    Qt,
    QValueAxis,
    QVBoxLayout,
    QWidget,
)
from app.ui.tasks import Latest, Task
from app.ui.widgets import (
    COLOR_ERROR,
    COLOR_WARNING,
    MessageLine,
    bold,
    error_text,
    fit_columns,
    readable,
    simple_table,
    table_item,
)

# The slip's level as the row's background: 1 alert, 2 switch supplier, 3 compensate.
LEVEL_BACKGROUNDS = {1: "#fff3c4", 2: "#ffd8a8", 3: "#ffcdd2"}
DELIVERY_COLUMNS = ("supplier", "due", "expected", "qty", "in_transit", "arrived", "status",
                    "slip")
DAY_COLUMNS = ("day", "deposits", "balances", "demand", "confirmed", "expected", "in_transit",
               "arrived", "cum_demand", "cum_supply", "gap")


def _day(d: date | None) -> str:
    return d.strftime("%m-%d") if d else "—"


class SupplierBoardDialog(QDialog):
    def __init__(self, db: Database, actor: Actor, campaign_code: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor, self.campaign_code = db, actor, campaign_code
        self.board: SupplyBoard | None = None
        self.setObjectName("supplierBoard")
        self.setWindowTitle(self.tr("Supplier board · %1").replace("%1", campaign_code))
        readable(self)
        self._loads = Latest(self)

        self.title = QLabel(campaign_code)
        self.title.setObjectName("supplierBoardTitle")
        bold(self.title)
        self.suppliers = QLabel("")
        self.suppliers.setObjectName("supplierBoardSuppliers")
        self.suppliers.setWordWrap(True)

        self.deliveries = simple_table("supplierDeliveries", [
            self.tr("Supplier"), self.tr("Due"), self.tr("Expected"), self.tr("Quantity"),
            self.tr("In transit"), self.tr("Arrived"), self.tr("Status"), self.tr("Slip")])
        fit_columns(self.deliveries)
        self.days = simple_table("supplierDays", [
            self.tr("Day"), self.tr("Deposits"), self.tr("Balances"), self.tr("Demand"),
            self.tr("Confirmed"), self.tr("Expected"), self.tr("In transit"),
            self.tr("Arrived"), self.tr("Cumulative demand"), self.tr("Cumulative supply"),
            self.tr("Gap")])
        fit_columns(self.days)
        self.suggestions = QLabel("")
        self.suggestions.setObjectName("supplierSuggestions")
        self.suggestions.setWordWrap(True)
        self.promises = QLabel("")
        self.promises.setObjectName("supplierPromises")
        self.promises.setWordWrap(True)

        self.chart_view = QChartView(QChart())
        self.chart_view.setObjectName("supplierChart")
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumSize(460, 300)

        self.import_button = QPushButton(self.tr("Import deliveries…"))
        self.import_button.setObjectName("supplierImport")
        self.raise_button = QPushButton(self.tr("Raise slips now"))
        self.raise_button.setObjectName("supplierRaise")
        self.compensations_button = QPushButton(self.tr("Export compensations…"))
        self.compensations_button.setObjectName("supplierCompensations")
        self.compensations_all = QCheckBox(self.tr("Also those exported before"))
        self.compensations_all.setObjectName("supplierCompensationsAll")
        self.compensations_all.setToolTip(self.tr(
            "Unticked, the export holds only the buyers not handed to the shop yet, and marks "
            "them exported."))
        self.promises_button = QPushButton(self.tr("Export promises…"))
        self.promises_button.setObjectName("supplierPromisesExport")
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.close_button = QPushButton(self.tr("Close"))
        self.message = MessageLine()
        self.message.setObjectName("supplierMessage")

        deliveries_box = QGroupBox(self.tr("Deliveries the suppliers confirmed"))
        box = QVBoxLayout(deliveries_box)
        box.addWidget(self.deliveries)
        advice = QGroupBox(self.tr("Suggestions and promises"))
        advice_box = QVBoxLayout(advice)
        advice_box.addWidget(self.suggestions)
        advice_box.addWidget(self.promises)
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.addWidget(deliveries_box, 3)
        left_box.addWidget(advice, 2)
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(left)
        top.addWidget(self.chart_view)
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 2)
        days_box = QGroupBox(self.tr("Presale demand against arrivals, per day (China time)"))
        days_layout = QVBoxLayout(days_box)
        days_layout.addWidget(self.days)
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(top)
        body.addWidget(days_box)

        buttons = QHBoxLayout()
        for button in (self.import_button, self.raise_button, self.compensations_button,
                       self.compensations_all, self.promises_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.suppliers)
        layout.addWidget(body, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        self.import_button.clicked.connect(self._ask_import)
        self.raise_button.clicked.connect(self.raise_slips)
        self.compensations_button.clicked.connect(self._ask_compensations)
        self.promises_button.clicked.connect(self._ask_promises)
        self.refresh_button.clicked.connect(self.reload)
        self.close_button.clicked.connect(self.accept)
        self.resize(1300, 860)
        self.message.info(self.tr("Loading…"))
        self.reload()

    # ------------------------------------------------------------ loading

    def reload(self) -> None:
        self._loads.start(supply.board, self.db, self.actor, self.campaign_code,
                          success=self._loaded, failure=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.message.error(self.tr("Could not load the supplier board: %1")
                           .replace("%1", error_text(exc)))

    def _loaded(self, b: SupplyBoard) -> None:
        self.board = b
        if self.message.text() == self.tr("Loading…") or self.message.is_error():
            self.message.info("")
        self.title.setText(f"{b.campaign} · {b.name}")
        mode = (self.tr("goods in the warehouse (real stock)") if b.stock_mode == "real"
                else self.tr("goods still to come (virtual pool)"))
        self.suppliers.setText(
            self.tr("Supplier: %1 · Backup supplier: %2 · %3 · handling %4 h · "
                    "compensation ¥%5 per buyer")
            .replace("%1", self._who(b.supplier)).replace("%2", self._who(b.backup))
            .replace("%3", mode).replace("%4", str(b.handling_hours))
            .replace("%5", format_yuan(b.compensation_fen)))
        self._fill_deliveries(b)
        self._fill_days(b)
        self._fill_chart(b)
        self.suggestions.setText(self.suggestion_text(b))
        self.promises.setText(self.promise_text(b))

    def _who(self, s: supply.SupplierView | None) -> str:
        if s is None:
            return self.tr("none")
        return f"{s.code} {s.name}" + (f" ({s.phone})" if s.phone else "")

    def status_names(self) -> dict[str, str]:
        return {"planned": self.tr("Planned"), "in_transit": self.tr("In transit"),
                "arrived": self.tr("Arrived"), "cancelled": self.tr("Cancelled")}

    def slip_text(self, hours: float, level: int) -> str:
        if hours <= 0:
            return self.tr("on time")
        text = self.tr("%1 h late").replace("%1", f"{hours:g}")
        if level:
            text += " · " + labels.escalation_names().get(level, "")
        return text

    def _fill_deliveries(self, b: SupplyBoard) -> None:
        names = self.status_names()
        t = self.deliveries
        t.setRowCount(len(b.deliveries))
        for r, d in enumerate(b.deliveries):
            cells = (d.supplier, d.due_on.isoformat(), d.expected_on.isoformat(), str(d.qty),
                     str(d.in_transit), str(d.arrived), names.get(d.status, d.status),
                     self.slip_text(d.slip_hours, d.level))
            colour = COLOR_ERROR if d.level >= 2 else COLOR_WARNING if d.level else None
            for c, text in enumerate(cells):
                item = table_item(text, colour if c in (2, 7) else None)
                if d.level in LEVEL_BACKGROUNDS:
                    item.setBackground(QColor(LEVEL_BACKGROUNDS[d.level]))
                if c in (3, 4, 5):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                t.setItem(r, c, item)

    def _fill_days(self, b: SupplyBoard) -> None:
        t = self.days
        t.setRowCount(len(b.board.days))
        for r, row in enumerate(b.board.days):
            values = (row.deposits, row.balances, row.demand, row.confirmed, row.expected,
                      row.in_transit, row.arrived, row.cum_demand, row.cum_supply, row.gap)
            t.setItem(r, 0, table_item(row.day.isoformat()))
            for c, value in enumerate(values, 1):
                colour = COLOR_ERROR if c == len(values) and row.gap > b.board.threshold \
                    else None
                item = table_item(f"{value:,}", colour)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                t.setItem(r, c, item)

    def _fill_chart(self, b: SupplyBoard) -> None:
        chart = QChart()
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setTitle(self.tr("Demand and arrivals per day; the line is the gap"))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        small = self.font()
        small.setPointSize(max(small.pointSize() - 3, 8))
        chart.legend().setFont(small)
        chart.setTitleFont(small)
        demand, arrivals = QBarSet(self.tr("Demand")), QBarSet(self.tr("Arrivals"))
        demand.setColor(QColor("#5c6bc0"))
        arrivals.setColor(QColor("#43a047"))
        gap = QLineSeries()
        gap.setName(self.tr("Cumulative gap"))
        pen = gap.pen()
        pen.setColor(QColor(COLOR_ERROR))
        pen.setWidth(3)
        gap.setPen(pen)
        days = b.board.days
        demand.append([float(r.demand) for r in days])
        arrivals.append([float(r.expected + r.arrived) for r in days])
        gap.replace([QPointF(i, r.gap) for i, r in enumerate(days)])
        bars = QBarSeries()
        bars.append(demand)
        bars.append(arrivals)
        chart.addSeries(bars)
        chart.addSeries(gap)
        axis_x = QBarCategoryAxis()
        axis_x.append([_day(r.day) for r in days] or [""])
        axis_y = QValueAxis()
        axis_y.setLabelFormat("%d")
        values = [0, *(r.demand for r in days), *(r.expected + r.arrived for r in days),
                  *(r.gap for r in days)]
        axis_y.setRange(min(values), max(max(values), 1) * 1.1)
        axis_y.setTitleText(self.tr("Units"))
        for axis, side in ((axis_x, Qt.AlignmentFlag.AlignBottom),
                           (axis_y, Qt.AlignmentFlag.AlignLeft)):
            axis.setLabelsFont(small)
            axis.setTitleFont(small)
            chart.addAxis(axis, side)
        for series in (bars, gap):
            series.attachAxis(axis_x)
            series.attachAxis(axis_y)
        old = self.chart_view.chart()
        self.chart_view.setChart(chart)
        if old is not None:
            old.deleteLater()

    def suggestion_text(self, b: SupplyBoard) -> str:
        lines = []
        for g in b.board.suggestions:
            if g.action == "split_to_backup":
                lines.append(self.tr("Split %1 units to the backup supplier %2: the confirmed "
                                     "deliveries do not cover the demand.")
                             .replace("%1", f"{g.qty:,}")
                             .replace("%2", g.supplier or self.tr("(none named)")))
            else:
                lines.append(self.tr("Expedite %1 units with %2: they come after %3, when the "
                                     "gap is largest.")
                             .replace("%1", f"{g.qty:,}").replace("%2", g.supplier or "—")
                             .replace("%3", _day(g.by_day)))
        for p in b.board.slips:
            if p.level:
                lines.append(self.tr("%1's delivery due %2 is %3 h late: %4.")
                             .replace("%1", p.supplier).replace("%2", _day(p.due_on))
                             .replace("%3", f"{p.hours:g}")
                             .replace("%4", labels.escalation_names().get(p.level, "")))
        if not lines:
            lines.append(self.tr("No suggestion: the gap stays within %1 units.")
                         .replace("%1", f"{b.board.threshold:,}"))
        return "\n".join(f"• {line}" for line in lines)

    def promise_text(self, b: SupplyBoard) -> str:
        p = b.promises
        text = (self.tr("Promises: %1 of %2 open orders covered by the deliveries, %3 later "
                        "than confirmed by more than 24 h.")
                .replace("%1", f"{p.covered:,}").replace("%2", f"{p.open_orders:,}")
                .replace("%3", f"{p.late:,}"))
        if p.earliest:
            text += " " + self.tr("They ship between %1 and %2; the shop shows e.g. “%3”.") \
                .replace("%1", _day(p.earliest)).replace("%2", _day(p.latest)) \
                .replace("%3", shop_text(p.earliest, self.language()))
        if p.uncovered:
            text += " " + self.tr("%1 orders are not covered: their promise is kept as it "
                                  "was.").replace("%1", f"{p.uncovered:,}")
        return text

    def language(self) -> str:
        return QLocale().name()

    # ------------------------------------------------------------ actions

    def _busy(self, busy: bool) -> None:
        for button in (self.import_button, self.raise_button, self.compensations_button,
                       self.promises_button):
            button.setEnabled(not busy)

    def _run(self, fn: Callable[..., Any], *args: Any, done: Callable[[Any], None],
             **kwargs: Any) -> None:
        self._busy(True)

        def ok(value: Any) -> None:
            self._busy(False)
            done(value)
            self.reload()

        def bad(exc: BaseException) -> None:
            self._busy(False)
            self.message.error(self.refusal_text(exc))

        Task(fn, *args, **kwargs).owned_by(self).success(ok).failure(bad).start()

    def refusal_text(self, exc: BaseException) -> str:
        """A refused file says each bad row, in the reader's language."""
        if isinstance(exc, supply.SupplyFileRefused):
            from app.ui.messages import word_in, words_in

            words = words_in(None)
            rows = [word_in(words, p.code, p.params) or f"{p.row}: {p.reason}"
                    for p in exc.problems]
            return "\n".join([error_text(exc), *rows[:12]]
                             + (["…"] if len(rows) > 12 else []))
        return error_text(exc)

    def _ask_import(self) -> None:
        path, _kind = QFileDialog.getOpenFileName(
            self, self.tr("Import deliveries"), "",
            self.tr("Deliveries (*.xlsx *.csv)"))
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        self._run(supply.import_deliveries, self.db, self.actor, path,
                  done=lambda r: self.message.ok(
                      self.tr("Deliveries imported: %1 new, %2 updated.")
                      .replace("%1", str(r.created)).replace("%2", str(r.updated))))

    def raise_slips(self) -> None:
        self._run(supply.raise_slips, self.db, self.actor, self.campaign_code,
                  done=lambda r: self.message.ok(
                      self.tr("Slips raised: %1 new exceptions, %2 raised to a higher level, "
                              "%3 closed, %4 buyers flagged for compensation.")
                      .replace("%1", str(r.raised)).replace("%2", str(r.raised_again))
                      .replace("%3", str(r.resolved)).replace("%4", str(r.compensated))))

    def _save_path(self, title: str, name: str) -> Path | None:
        path, _kind = QFileDialog.getSaveFileName(
            self, title, name, self.tr("Excel workbook (*.xlsx);;CSV (*.csv)"))
        if not path:
            return None
        chosen = Path(path)
        return chosen if chosen.suffix.lower() in (".xlsx", ".csv") \
            else chosen.with_suffix(".xlsx")

    def _ask_compensations(self) -> None:
        path = self._save_path(self.tr("Export compensations"),
                               f"{self.campaign_code}-compensations.xlsx")
        if path:
            self.export_compensations_to(path)

    def export_compensations_to(self, path: Path) -> None:
        """The buyers not exported before (marked exported), or all of them again when
        *Also those exported before* is ticked."""
        everything = self.compensations_all.isChecked()
        self._run(supply.export_compensations, self.db, self.actor, path, self.campaign_code,
                  language=self.language(), everything=everything,
                  done=lambda n: self.message.ok(
                      (self.tr("%1 compensations exported to %2 (all, also those exported "
                               "before).") if everything else
                       self.tr("%1 compensations not exported before exported to %2."))
                      .replace("%1", str(n)).replace("%2", str(path))))

    def _ask_promises(self) -> None:
        path = self._save_path(self.tr("Export promises"), f"{self.campaign_code}-promises.xlsx")
        if path:
            self.export_promises_to(path)

    def may_recompute(self) -> bool:
        """Recomputing the promises writes them to the orders (orders.change_status); the
        export alone is a read (orders.view)."""
        return self.actor.can(Permission.CHANGE_ORDER_STATUS)

    def export_promises_to(self, path: Path) -> None:
        """The promises recomputed from today's dates, then exported — or, for a person who
        may not change orders, exported as they are stored."""
        if not self.may_recompute():
            self._run(supply.export_promises, self.db, self.actor, self.campaign_code, path,
                      language=self.language(),
                      done=lambda n: self.message.ok(
                          self.tr("%1 orders exported to %2 with the promises they hold (not "
                                  "recomputed: that needs the right to change orders).")
                          .replace("%1", str(n)).replace("%2", str(path))))
            return
        self._run(_promises_then_export, self.db, self.actor, self.campaign_code, path,
                  self.language(),
                  done=lambda n: self.message.ok(
                      self.tr("Promises recomputed; %1 orders exported to %2.")
                      .replace("%1", str(n)).replace("%2", str(path))))


def _promises_then_export(db: Database, actor: Actor, campaign: str, path: Path,
                          language: str) -> int:
    """Off the GUI thread: the promises recomputed from today's dates, then exported."""
    supply.promises(db, actor, campaign)
    return supply.export_promises(db, actor, campaign, path, language=language)
