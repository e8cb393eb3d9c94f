"""Waves (shift lead): choose a strategy and filters, preview the waves that would form
(orders, lines, units, bins to visit, walking distance, pick time), tick the ones to release and
release them as previewed, watch their progress by priority band (picked units of all, picker,
time since claimed), cancel one back to the queue, and print a wave's pick list."""

from __future__ import annotations

from typing import Any

from app.domain.roles import Permission
from app.services import picking, reference, waves
from app.services.changes import Change
from app.services.context import Actor
from app.services.database import Database
from app.station.runtime import StationRuntime
from app.ui import labels
from app.ui.changes import follow
from app.ui.qt import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    Qt,
    QTableWidget,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from app.ui.style import ink
from app.ui.tasks import Latest, Task
from app.ui.widgets import MessageLine, ask, bold, error_text, readable, simple_table, table_item

REFRESH_MS = 3000


def _fit_columns(table: QTableWidget) -> None:
    """Every column as wide as its header and its cells, in whichever language; the last
    takes what is left. Set once: the sizes follow the contents as they change."""
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    header.setMinimumSectionSize(40)


def _minutes(wave: dict[str, Any]) -> str:
    """Minutes taken since the picker claimed the wave, then the estimate the preview gave
    (the estimate alone before anyone claims it)."""
    est = wave.get("estimated_min")
    estimate = f"{est:.1f}" if est is not None else "–"
    if wave["claimed"]:
        return f"{wave['elapsed_s'] // 60} / {estimate}"
    return estimate if est is not None else ""


def _spin(low: int, high: int, value: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setValue(value)
    return spin


class WavesScreen(QWidget):
    def __init__(self, db: Database, actor: Actor, runtime: StationRuntime | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("wavesScreen")
        self.db = db
        self.actor = actor
        self.runtime = runtime
        self.can_release = actor.can(Permission.RELEASE_WAVES)
        self.loader = Latest(self)
        self.preview_loader = Latest(self)

        self.warehouse = QComboBox()
        self.warehouse.setObjectName("waveWarehouse")
        self.strategy = QComboBox()
        self.strategy.setObjectName("waveStrategy")
        for code, text in labels.strategy_names().items():
            self.strategy.addItem(text, code)
        self.carrier = QComboBox()
        self.carrier.setObjectName("waveCarrier")
        self.carrier.addItem(self.tr("any carrier"), "")
        self.zone = QLineEdit()
        self.zone.setPlaceholderText(self.tr("any zone (A, B, …)"))
        self.zone.setMaximumWidth(120)
        self.max_orders = _spin(1, 1000, 100)
        self.max_cells = _spin(1, 200, 20)
        self.mix_bands = QCheckBox(self.tr("mix priority bands"))
        self.preview_button = QPushButton(self.tr("Preview"))
        self.preview_button.setObjectName("previewButton")
        self.preview_button.clicked.connect(self.preview)
        self.release_button = QPushButton(self.tr("Release ticked"))
        self.release_button.setObjectName("releaseButton")
        self.release_button.setEnabled(False)
        self.release_button.clicked.connect(self.release)
        form = QFormLayout()
        form.addRow(self.tr("Warehouse"), self.warehouse)
        form.addRow(self.tr("Strategy"), self.strategy)
        form.addRow(self.tr("Carrier"), self.carrier)
        form.addRow(self.tr("Zone"), self.zone)
        form.addRow(self.tr("Orders per wave"), self.max_orders)
        form.addRow(self.tr("Cart cells"), self.max_cells)
        form.addRow("", self.mix_bands)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.release_button)
        form.addRow("", buttons)
        plan_box = QGroupBox(self.tr("Plan"))
        plan_box.setLayout(form)

        self.summary = QLabel("")
        self.summary.setObjectName("previewSummary")
        readable(self.summary, 13)
        self.preview_table = simple_table("previewTable", [
            "#", self.tr("Band"), self.tr("Orders"), self.tr("Lines"), self.tr("Units"),
            self.tr("Bins"), self.tr("Walk (m)"), self.tr("Pick time (min)")])
        # The lead ticks the waves to release; a click on a row ticks or unticks it too.
        self.preview_table.cellClicked.connect(self._toggle)
        # Few short numbers: the columns share the width, none narrower than its header.
        self.preview_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Stretch)
        self.preview_hint = QLabel(self.tr(
            "Choose the warehouse, the strategy and the limits, then press Preview: the waves "
            "a release would form show here. Tick the ones to release."))
        self.preview_hint.setObjectName("previewHint")
        self.preview_hint.setWordWrap(True)
        self.preview_hint.setStyleSheet(f"color: {ink('#555555')};")
        readable(self.preview_hint, 13)
        self.plan: waves.Plan | None = None
        self.all_button = QPushButton(self.tr("Tick all"))
        self.all_button.setObjectName("tickAllWaves")
        self.all_button.clicked.connect(lambda: self.tick_all(True))
        self.none_button = QPushButton(self.tr("Untick all"))
        self.none_button.clicked.connect(lambda: self.tick_all(False))

        self.waves = simple_table("waveTable", [
            self.tr("Wave"), self.tr("Band"), self.tr("Warehouse"), self.tr("Strategy"),
            self.tr("Status"), self.tr("Orders"), self.tr("Units"), self.tr("Picked"),
            self.tr("Picker"), self.tr("Minutes (taken / est.)")])
        _fit_columns(self.waves)
        self.cancel_button = QPushButton(self.tr("Cancel wave"))
        self.cancel_button.setObjectName("cancelWaveButton")
        self.cancel_button.setEnabled(self.can_release)
        self.cancel_button.clicked.connect(self.cancel)
        self.print_button = QPushButton(self.tr("Print pick list"))
        self.print_button.setObjectName("printPickList")
        self.print_button.setEnabled(runtime is not None)
        self.print_button.clicked.connect(self.print_pick_list)
        self.progress = QProgressBar()
        self.progress.setObjectName("waveProgress")
        self.message = MessageLine()

        top = QHBoxLayout()
        top.addWidget(plan_box)
        right = QVBoxLayout()
        t = QLabel(self.tr("Preview"))
        bold(t, 14)
        right.addWidget(t)
        right.addWidget(self.summary)
        right.addWidget(self.preview_hint)
        right.addWidget(self.preview_table, 1)
        ticks = QHBoxLayout()
        ticks.addWidget(self.all_button)
        ticks.addWidget(self.none_button)
        ticks.addStretch(1)
        right.addLayout(ticks)
        top.addLayout(right, 1)
        outer = QVBoxLayout(self)
        outer.addLayout(top, 2)
        t2 = QLabel(self.tr("Waves"))
        bold(t2, 14)
        outer.addWidget(t2)
        outer.addWidget(self.waves, 2)
        row = QHBoxLayout()
        row.addWidget(self.cancel_button)
        row.addWidget(self.print_button)
        row.addWidget(self.progress, 1)
        outer.addLayout(row)
        outer.addWidget(self.message)
        self.waves.itemSelectionChanged.connect(self._selected)

        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        Task(self._reference, db, actor).owned_by(self).success(self._fill_reference).failure(
            lambda exc: self.message.error(error_text(exc))).start()
        self.refresh()
        follow(self, {Change.WAVES, Change.PICKING}, self.refresh)

    @staticmethod
    def _reference(db: Database, actor: Actor) -> tuple[list[Any], list[Any]]:
        return reference.warehouses(db, actor), reference.carriers(db, actor)

    def _fill_reference(self, ref: tuple[list[Any], list[Any]]) -> None:
        houses, carriers = ref
        for code, name in houses:
            self.warehouse.addItem(f"{code} {name}", code)
        for code, name in carriers:
            self.carrier.addItem(f"{code} {name}", code)

    def options(self) -> dict[str, Any]:
        return {"carrier": self.carrier.currentData() or None,
                "zone": self.zone.text().strip().upper() or None,
                "max_orders": self.max_orders.value(), "max_cells": self.max_cells.value(),
                "mix_bands": self.mix_bands.isChecked()}

    # ---- preview and release

    def preview(self) -> None:
        wh, strategy = self.warehouse.currentData(), self.strategy.currentData()
        if not wh:
            return
        opts = self.options()
        self.preview_loader.start(lambda: waves.plan(self.db, self.actor, wh, strategy, **opts),
                                  success=self._show_preview,
                                  failure=lambda exc: self.message.error(error_text(exc)))

    def _show_preview(self, plan: waves.Plan) -> None:
        self.plan = plan
        self.preview_hint.setVisible(False)
        bands = labels.band_names()
        self.preview_table.setRowCount(len(plan.waves))
        for r, w in enumerate(plan.waves):
            for c, text in enumerate((
                    str(r + 1), labels.label(bands, w.band), str(len(w.order_ids)),
                    str(w.lines), str(w.units), str(w.bins_to_visit), f"{w.distance_m:.0f}",
                    f"{w.pick_seconds / 60:.1f}")):
                item = table_item(text)
                if c == 0:
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    item.setCheckState(Qt.CheckState.Unchecked)
                self.preview_table.setItem(r, c, item)
        s = plan.summary()
        self.summary.setText(self.tr("%1 waves, %2 orders, %3 units (of %4 routed orders)")
                             .replace("%1", str(s["waves"])).replace("%2", str(s["orders"]))
                             .replace("%3", str(s["units"]))
                             .replace("%4", str(s["considered"])))
        self.release_button.setEnabled(self.can_release and bool(plan.waves))

    def _toggle(self, row: int, column: int) -> None:
        item = self.preview_table.item(row, 0)
        if item is None or column == 0:  # the box itself toggles by its own click
            return
        item.setCheckState(Qt.CheckState.Unchecked if item.checkState() == Qt.CheckState.Checked
                           else Qt.CheckState.Checked)

    def tick_all(self, ticked: bool) -> None:
        state = Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        for r in range(self.preview_table.rowCount()):
            item = self.preview_table.item(r, 0)
            if item is not None:
                item.setCheckState(state)

    def ticked(self) -> list[int]:
        """The previewed waves the lead ticked (rows of the preview, from 0)."""
        return [r for r in range(self.preview_table.rowCount())
                if (item := self.preview_table.item(r, 0)) is not None
                and item.checkState() == Qt.CheckState.Checked]

    def release(self) -> None:
        plan, chosen = self.plan, self.ticked()
        if plan is None:
            return
        if not chosen:
            self.message.error(self.tr("Tick the waves to release first (a click on a row "
                                       "ticks it)"))
            return
        if not ask(self, self.tr("Release waves"),
                   self.tr("Release %1 of the %2 previewed waves now?")
                   .replace("%1", str(len(chosen))).replace("%2", str(len(plan.waves)))):
            return
        self.release_button.setEnabled(False)
        Task(waves.release_planned, self.db, self.actor, plan, chosen).owned_by(
            self).success(self._released).failure(self._release_failed).start()

    def _release_failed(self, exc: BaseException) -> None:
        self.message.error(error_text(exc))
        self.release_button.setEnabled(self.can_release and self.plan is not None)

    def _released(self, released: list[waves.Released]) -> None:
        left_out = sum(r.skipped_orders for r in released)
        text = self.tr("%1 waves released, %2 orders").replace("%1", str(len(released))) \
            .replace("%2", str(sum(r.orders for r in released)))
        if left_out:
            text += " · " + self.tr("%1 orders were taken by another release").replace(
                "%1", str(left_out))
        self.message.ok(text)
        self.preview_table.setRowCount(0)
        self.preview_hint.setVisible(True)
        self.plan = None
        self.refresh()

    # ---- the list

    def refresh(self) -> None:
        self.loader.start(lambda: waves.list_waves(self.db, self.actor),
                          success=self._show_waves,
                          failure=lambda exc: self.message.error(error_text(exc)))

    def _show_waves(self, rows: list[dict[str, Any]]) -> None:
        selected = self.selected_wave()
        self.rows = rows
        names, statuses = labels.strategy_names(), labels.wave_status_names()
        bands = labels.band_names()
        band_colour = {"overdue": "#b00020", "due_soon": "#e65100"}
        self.waves.setRowCount(len(rows))
        for r, w in enumerate(rows):  # as the service sorts them: most urgent band first
            colour = {"picking": "#1565c0", "cancelled": "#555555", "done": "#1b5e20",
                      "picked": "#1b5e20"}.get(w["status"])
            for c, text in enumerate((
                    w["wave_no"], labels.label(bands, w["band"]), w["warehouse"],
                    labels.label(names, w["strategy"]), labels.label(statuses, w["status"]),
                    str(w["orders"]), str(w["units"]), f"{w['picked']} / {w['to_pick']}",
                    w["picker"], _minutes(w))):
                tint = colour if c == 4 else band_colour.get(w["band"]) if c == 1 else None
                self.waves.setItem(r, c, table_item(text, tint))
            if w["wave_no"] == selected:
                self.waves.selectRow(r)

    def selected_wave(self) -> str | None:
        rows = self.waves.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.waves.item(rows[0].row(), 0)
        return item.text() if item else None

    def _selected(self) -> None:
        no = self.selected_wave()
        row = next((w for w in getattr(self, "rows", []) if w["wave_no"] == no), None)
        if row:
            self.progress.setMaximum(max(row["to_pick"], 1))
            self.progress.setValue(row["picked"])

    def cancel(self) -> None:
        no = self.selected_wave()
        if no is None:
            return
        if not ask(self, self.tr("Cancel wave"),
                   self.tr("Put the orders of %1 back in the queue?").replace("%1", no)):
            return
        Task(waves.cancel, self.db, self.actor, no, "cancelled on the Waves screen").owned_by(
            self).success(self._cancelled).failure(
            lambda exc: self.message.error(error_text(exc))).start()

    def _cancelled(self, orders_back: int) -> None:
        self.message.ok(self.tr("%1 orders back in the queue").replace("%1", str(orders_back)))
        self.refresh()

    def print_pick_list(self) -> None:
        no = self.selected_wave()
        if no is None or self.runtime is None:
            return
        runtime = self.runtime

        def job() -> Any:
            from app.station import print_queue

            doc = picking.pick_list(self.db, self.actor, no)
            queued = print_queue.enqueue(runtime.store, self.actor, runtime.printer_for("picklist"),
                                         doc, kind="picklist", ref=no, title=f"pick list {no}")
            runtime.spooler.wake()
            return queued

        Task(job).owned_by(self).success(lambda q: self.message.ok(
            self.tr("Pick list sent to %1").replace("%1", q.printer))).failure(
            lambda exc: self.message.error(error_text(exc))).start()
