"""The presale demand report of one campaign (预售需求报表), opened from the campaign screen:
deposits, balances paid and the conversion between them; the demand per China day as a chart
and a table; tabs by province, SKU and option, each with its totals and its day × key table;
and the workbook the supplier plans production from (Export xlsx). The report is counted and
the workbook written off the GUI thread."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.domain.money import format_yuan
from app.services import presale_report
from app.services.context import Actor
from app.services.database import Database
from app.services.presale_report import Breakdown, Demand, DemandReport
from app.ui.qt import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QColor,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QPainter,
    QPushButton,
    QSplitter,
    Qt,
    QTableWidget,
    QTabWidget,
    QValueAxis,
    QVBoxLayout,
    QWidget,
)
from app.ui.tasks import Latest, Task
from app.ui.widgets import (
    MessageLine,
    error_text,
    fit_columns,
    readable,
    simple_table,
    table_item,
    with_shortcut_tip,
)

DEPOSIT_COLOUR = "#1e88e5"
BALANCE_COLOUR = "#43a047"
MATRIX_KEYS = 12  # the day × key table shows the keys with most demand; the workbook all


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f}%"


class PresaleReportDialog(QDialog):
    """The demand report of campaign `campaign_code`; Esc closes it."""

    def __init__(self, db: Database, actor: Actor, campaign_code: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("presaleReportDialog")
        self.db, self.actor, self.code = db, actor, campaign_code
        self.report: DemandReport | None = None
        self.exported: Path | None = None
        readable(self)
        self._loads = Latest(self)
        self.setWindowTitle(self.tr("Demand report · %1").replace("%1", campaign_code))

        self.summary = QLabel(self.tr("Loading…"))
        self.summary.setObjectName("presaleReportSummary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("presaleReportTabs")
        self.days = self._demand_table("presaleReportDays", self.tr("China day"))
        fit_columns(self.days)  # the day is short: the last column takes the room left
        self.chart, self.chart_view = self._chart()
        by_day = QSplitter(Qt.Orientation.Horizontal)
        by_day.addWidget(self.chart_view)
        by_day.addWidget(self.days)
        by_day.setStretchFactor(0, 3)
        by_day.setStretchFactor(1, 2)
        by_day.setSizes([420, 840])
        self.tabs.addTab(by_day, self.tr("By day"))
        self.breakdowns: dict[str, tuple[QTableWidget, QTableWidget]] = {}
        for name, title, key in (("province", self.tr("By province"), self.tr("Province")),
                                 ("sku", self.tr("By SKU"), self.tr("SKU")),
                                 ("option", self.tr("By option"), self.tr("Option"))):
            self.tabs.addTab(self._breakdown_tab(name, key), title)

        self.export_button = QPushButton(self.tr("Export xlsx…"))
        self.export_button.setObjectName("presaleReportExport")
        self.export_button.setEnabled(False)
        self.export_button.setShortcut(QKeySequence("Ctrl+S"))
        with_shortcut_tip(self.export_button, self.tr(
            "Save the report as an Excel workbook for the supplier"))
        self.export_button.clicked.connect(self.ask_and_export)
        self.message = MessageLine()
        self.message.setObjectName("presaleReportMessage")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.export_button)
        bottom.addWidget(self.message, 1)
        bottom.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        self.resize(1280, 760)
        self.reload()

    # ------------------------------------------------------------ loading

    def reload(self) -> None:
        self._loads.start(presale_report.demand_report, self.db, self.actor, self.code,
                          success=self._loaded, failure=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.summary.setText(self.tr("Could not load the demand report: %1")
                             .replace("%1", error_text(exc)))
        self.message.error(error_text(exc))

    def _loaded(self, report: DemandReport) -> None:
        self.report = report
        self.export_button.setEnabled(True)
        self.summary.setText(self.summary_text(report))
        self._fill_days(report.days)
        self._fill_chart(report.days)
        for name, breakdown in (("province", report.provinces), ("sku", report.skus),
                                ("option", report.options)):
            self._fill_breakdown(name, breakdown)

    def summary_text(self, report: DemandReport) -> str:
        if not report.campaigns:
            return ""
        c = report.campaigns[0]
        d = c.demand
        deposits = (self.tr("Deposits: %1 orders, %2 units (¥%3)")
                    .replace("%1", f"{d.deposit_orders:,}").replace("%2", f"{d.deposit_units:,}")
                    .replace("%3", format_yuan(c.deposit_fen)))
        balances = (self.tr("Balances paid: %1 orders, %2 units (¥%3)")
                    .replace("%1", f"{d.balance_orders:,}").replace("%2", f"{d.balance_units:,}")
                    .replace("%3", format_yuan(c.balance_fen)))
        conversion = self.tr("Conversion: %1").replace("%1", percent(d.conversion))
        cohort = (self.tr("of the %1 deposits, %2 have paid their balance by now")
                  .replace("%1", f"{d.deposit_orders:,}").replace("%2", f"{d.converted:,}"))
        others = (self.tr("Refunded: %1 · Cancelled: %2").replace("%1", str(c.refunded))
                  .replace("%2", str(c.cancelled)))
        return (f"<b>{c.code}</b> {_escape(c.name)}<br>{deposits} · {balances}<br>"
                f"<b style='font-size:16pt'>{conversion}</b> ({cohort}) · {others}")

    # ------------------------------------------------------------ the tables

    def _demand_headers(self) -> list[str]:
        return [self.tr("Deposit orders"), self.tr("Deposit units"),
                self.tr("Balance paid orders"), self.tr("Balance paid units"),
                self.tr("Converted"), self.tr("Conversion")]

    def _demand_table(self, name: str, *keys: str) -> QTableWidget:
        table = simple_table(name, [*keys, *self._demand_headers()])
        fit_columns(table, stretch=0)
        tips = {len(keys) + 2: self.tr("Balances paid on the day (or in the period) of this row, "
                                       "whenever their deposit was paid"),
                len(keys) + 4: self.tr("Of this row's deposits, the orders whose balance has "
                                       "been paid by now (whenever it was paid)"),
                len(keys) + 5: self.tr("Of this row's deposits, the share whose balance has "
                                       "been paid by now")}
        for column, tip in tips.items():
            item = table.horizontalHeaderItem(column)
            if item is not None:
                item.setToolTip(tip)
        return table

    @staticmethod
    def _demand_cells(d: Demand) -> list[str]:
        return [f"{d.deposit_orders:,}", f"{d.deposit_units:,}", f"{d.balance_orders:,}",
                f"{d.balance_units:,}", f"{d.converted:,}", percent(d.conversion)]

    @staticmethod
    def _write(table: QTableWidget, rows: list[list[str]], right_from: int = 1) -> None:
        table.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                item = table_item(text)
                if c >= right_from:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(r, c, item)

    def _fill_days(self, days: dict[date, Demand]) -> None:
        self._write(self.days, [[day.isoformat(), *self._demand_cells(d)]
                                for day, d in days.items()])

    def _breakdown_tab(self, name: str, key: str) -> QWidget:
        keys = (key, self.tr("Product")) if name == "sku" else (key,)
        totals = self._demand_table(f"presaleReport_{name}", *keys)
        matrix = simple_table(f"presaleReport_{name}_days", [self.tr("China day")])
        matrix.setToolTip(self.tr("Units per China day: deposits / balances paid"))
        matrix.horizontalHeader().setStretchLastSection(False)
        self.breakdowns[name] = (totals, matrix)
        note = QLabel(self.tr("Units per China day: deposits / balances paid"))
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(totals)
        below = QWidget()
        box = QVBoxLayout(below)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(note)
        box.addWidget(matrix, 1)
        split.addWidget(below)
        return split

    def _fill_breakdown(self, name: str, breakdown: Breakdown) -> None:
        totals, matrix = self.breakdowns[name]
        sku = name == "sku"
        self._write(totals, [[key, *([breakdown.names.get(key, "")] if sku else []),
                              *self._demand_cells(d)] for key, d in breakdown.totals.items()],
                    right_from=2 if sku else 1)
        shown = breakdown.keys[:MATRIX_KEYS]
        matrix.setColumnCount(1 + len(shown))
        matrix.setHorizontalHeaderLabels([self.tr("China day"),
                                          *[k or self.tr("(none)") for k in shown]])
        rows = []
        for day, row in breakdown.by_day.items():
            cells = [day.isoformat()]
            for key in shown:
                d = row.get(key)
                cells.append(f"{d.deposit_units:,} / {d.balance_units:,}" if d else "")
            rows.append(cells)
        self._write(matrix, rows)
        matrix.resizeColumnsToContents()

    # ------------------------------------------------------------ the chart

    def _chart(self) -> tuple[QChart, QChartView]:
        chart = QChart()
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setFont(self.font())
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.setTitle(self.tr("Units per China day"))
        view = QChartView(chart)
        view.setObjectName("presaleReportChart")
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumSize(480, 320)
        return chart, view

    def _fill_chart(self, days: dict[date, Demand]) -> None:
        chart = self.chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        deposits = QBarSet(self.tr("Deposits"))
        balances = QBarSet(self.tr("Balances paid"))
        deposits.setColor(QColor(DEPOSIT_COLOUR))
        balances.setColor(QColor(BALANCE_COLOUR))
        deposits.append([float(d.deposit_units) for d in days.values()])
        balances.append([float(d.balance_units) for d in days.values()])
        series = QBarSeries()
        series.append(deposits)
        series.append(balances)
        chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append([day.strftime("%m-%d") for day in days] or [""])
        axis_x.setLabelsAngle(-90)  # a month of days stays readable
        axis_y = QValueAxis()
        axis_y.setLabelFormat("%d")
        top = max([max(d.deposit_units, d.balance_units) for d in days.values()] or [0])
        axis_y.setRange(0, max(top, 4))
        axis_y.applyNiceNumbers()  # whole numbers on the ticks
        small = self.font()
        small.setPointSize(max(small.pointSize() - 3, 8))
        for axis, side in ((axis_x, Qt.AlignmentFlag.AlignBottom),
                           (axis_y, Qt.AlignmentFlag.AlignLeft)):
            axis.setLabelsFont(small)
            axis.setTitleFont(small)
            chart.addAxis(axis, side)
            series.attachAxis(axis)

    # ------------------------------------------------------------ the workbook

    def default_path(self) -> Path:
        return Path.home() / f"presale-{self.code}-{date.today():%Y%m%d}.xlsx"

    def ask_and_export(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export the demand report"), str(self.default_path()),
            self.tr("Excel workbooks (*.xlsx)"))
        if chosen:
            if not chosen.lower().endswith(".xlsx"):
                chosen += ".xlsx"
            self.export_to(Path(chosen))

    def export_to(self, path: Path) -> None:
        """Write the loaded report to `path`, off the GUI thread."""
        if self.report is None:
            return
        self.export_button.setEnabled(False)
        self.message.info(self.tr("Writing %1…").replace("%1", str(path)))
        Task(presale_report.export_xlsx, self.report, path).owned_by(self).success(
            self._exported).failure(self._export_failed).start()

    def _exported(self, path: Path) -> None:
        self.exported = path
        self.export_button.setEnabled(True)
        self.message.ok(self.tr("Saved: %1").replace("%1", str(path)))

    def _export_failed(self, exc: BaseException) -> None:
        self.export_button.setEnabled(True)
        if isinstance(exc, OSError):
            self.message.error(self.tr("Could not write the workbook: %1")
                               .replace("%1", exc.strerror or str(exc)))
        else:
            self.message.error(error_text(exc))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
