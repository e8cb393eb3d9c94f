"""Printing: the station's print queue with its status, reprint (with a reason) and cancel, the
printers with their health and a test page, and a preview of the selected label."""

from __future__ import annotations

from typing import Any

from app.domain.roles import Permission
from app.services.changes import Change
from app.services.context import Actor
from app.station import print_queue
from app.station.runtime import StationRuntime
from app.ui import labels, timefmt
from app.ui.changes import follow
from app.ui.qt import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPixmap,
    QPushButton,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
)
from app.ui.tasks import Latest, Task
from app.ui.widgets import (
    MessageLine,
    bold,
    error_text,
    fit_columns,
    readable,
    simple_table,
    table_item,
)

REFRESH_MS = 1000
MIN_COLUMN_PX = 72  # a short header (补打, Tries) or a one-sign cell (↻) still reads at a glance
_STATUS_COLOURS = {"queued": "#8a6d00", "sending": "#1565c0", "sent": "#1b5e20",
                   "failed": "#b00020", "cancelled": "#555555"}
_HEALTH_COLOURS = {"online": "#1b5e20", "down": "#b00020", "unknown": "#555555"}






def preview_png(store: Any, job_id: str) -> bytes:
    """The job's document as the folder printer would make it (off the GUI thread)."""
    from app.printers import folder_printer
    from app.printing.render import render

    doc, job = print_queue.job_document(store, job_id)
    spec = folder_printer()
    spec = type(spec)(spec.name, spec.url, "png", 203, job.paper)
    return render(doc, "png", paper=print_queue.paper_for(doc, spec), dpi=96)


class PrintingScreen(QWidget):
    def __init__(self, runtime: StationRuntime, actor: Actor,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("printingScreen")
        self.runtime = runtime
        self.actor = actor
        self.jobs_loader = Latest(self)
        self.preview_loader = Latest(self)
        self.shown_preview: str | None = None

        self.status_filter = QComboBox()
        self.status_filter.setObjectName("jobStatusFilter")
        self.status_filter.addItem(self.tr("All jobs"), "")
        for code, text in labels.print_status_names().items():
            self.status_filter.addItem(text, code)
        self.status_filter.currentIndexChanged.connect(self.refresh)
        self.counts = QLabel("")
        self.counts.setObjectName("jobCounts")
        readable(self.counts, 13)
        self.jobs = simple_table("jobTable", [
            self.tr("Time"), self.tr("Document"), self.tr("For"), self.tr("Printer"),
            self.tr("Status"), self.tr("Tries"), self.tr("Sent again"), self.tr("Reprint of"),
            self.tr("Note")])
        # Headers whole with an empty queue too; the note (why reprinted, what failed) takes
        # the room left.
        fit_columns(self.jobs, minimum=MIN_COLUMN_PX)
        self.jobs.itemSelectionChanged.connect(self._selected)

        self.reason = QComboBox()
        self.reason.setObjectName("reprintReason")
        self.reason.setEditable(True)
        self.reason.addItem("")
        for text in (self.tr("Label torn or smudged"), self.tr("Label lost"),
                     self.tr("Printed unreadable"), self.tr("Stuck on the wrong parcel")):
            self.reason.addItem(text)
        editor = self.reason.lineEdit()
        assert editor is not None  # an editable combo box has its line edit
        editor.setPlaceholderText(self.tr("Why print again?"))
        self.reprint_button = QPushButton(self.tr("Reprint"))
        self.reprint_button.setObjectName("reprintButton")
        self.reprint_button.clicked.connect(self._reprint)
        self.reprint_button.setEnabled(actor.can(Permission.REPRINT))
        self.cancel_button = QPushButton(self.tr("Cancel job"))
        self.cancel_button.setObjectName("cancelJobButton")
        self.cancel_button.clicked.connect(self._cancel)

        self.printers = simple_table("printerTable", [
            self.tr("Printer"), self.tr("Language"), self.tr("Paper"), self.tr("Status"),
            self.tr("Printed"), self.tr("Backup"), self.tr("Address")])
        fit_columns(self.printers, minimum=MIN_COLUMN_PX)
        self.test_button = QPushButton(self.tr("Print test page"))
        self.test_button.setObjectName("testPageButton")
        self.test_button.clicked.connect(self._test_page)

        self.preview = QLabel(self.tr("Select a job to see its label"))
        self.preview.setObjectName("labelPreview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumWidth(380)
        self.preview.setStyleSheet("background: #fafafa; border: 1px solid #ccc;")
        self.message = MessageLine()

        top = QHBoxLayout()
        title = QLabel(self.tr("Print queue"))
        bold(title, 14)
        top.addWidget(title)
        top.addWidget(self.status_filter)
        top.addWidget(self.counts, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.reason, 2)
        actions.addWidget(self.reprint_button)
        actions.addWidget(self.cancel_button)
        actions.addStretch(1)
        printers_title = QLabel(self.tr("Printers"))
        bold(printers_title, 14)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.addLayout(top)
        lv.addWidget(self.jobs, 3)
        lv.addLayout(actions)
        lv.addWidget(printers_title)
        lv.addWidget(self.printers, 1)
        row = QHBoxLayout()
        row.addWidget(self.test_button)
        row.addStretch(1)
        lv.addLayout(row)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.preview)
        splitter.setSizes([900, 420])
        outer = QVBoxLayout(self)
        outer.addWidget(splitter, 1)
        outer.addWidget(self.message)

        self.refresh()
        follow(self, {Change.PRINTING}, self.refresh, min_interval_ms=REFRESH_MS)

    # ---- loading (off the GUI thread)

    def refresh(self) -> None:
        status = self.status_filter.currentData() or None
        store = self.runtime.store
        self.jobs_loader.start(lambda: (print_queue.list_jobs(store, status=status, limit=300),
                                        print_queue.counts(store)),
                               success=self._show_jobs, failure=self._failed)
        self._show_printers()

    def _show_jobs(self, result: tuple[list[Any], dict[str, int]]) -> None:
        rows, counts = result
        selected = self.selected_job()
        names = labels.print_status_names()
        kinds = labels.document_names()
        self.jobs.setRowCount(len(rows))
        for r, j in enumerate(rows):
            printer = j.printer if not j.moved_from else f"{j.printer} ← {j.moved_from}"
            note = j.reason if j.reprint_of else j.last_error
            colour = _STATUS_COLOURS.get(j.status)
            cells = (timefmt.clock(j.created_at),
                     labels.label(kinds, j.kind), j.ref, printer,
                     labels.label(names, j.status), str(j.attempts),
                     str(j.resends) if j.resends else "",
                     "↻" if j.reprint_of else "", note)
            for c, text in enumerate(cells):
                self.jobs.setItem(r, c, table_item(text, colour if c == 4 else None,
                                              j.id if c == 0 else None))
            if j.id == selected:
                self.jobs.selectRow(r)
        self.counts.setText("  ·  ".join(
            f"{labels.label(names, k)} {counts.get(k, 0)}" for k in ("queued", "sending",
                                                                     "sent", "failed")))

    def _show_printers(self) -> None:
        specs = list(self.runtime.printers.values())
        self.printers.setRowCount(len(specs))
        health_names = labels.printer_health_names()
        for r, spec in enumerate(specs):
            h = self.runtime.spooler.health[spec.name]
            status = labels.label(health_names, h.status)
            if h.detail:
                status += f" ({h.detail})"
            cells = (spec.name, spec.language.upper(), spec.paper, status, str(h.sent),
                     spec.backup, spec.url)
            for c, text in enumerate(cells):
                self.printers.setItem(r, c, table_item(
                    text, _HEALTH_COLOURS.get(h.status) if c == 3 else None,
                    spec.name if c == 0 else None))

    def _failed(self, exc: BaseException) -> None:
        self.message.error(error_text(exc))

    # ---- selection and preview

    def selected_job(self) -> str | None:
        rows = self.jobs.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.jobs.item(rows[0].row(), 0)
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _selected(self) -> None:
        job = self.selected_job()
        if job is None or job == self.shown_preview:
            return
        self.shown_preview = job
        store = self.runtime.store
        self.preview_loader.start(lambda: preview_png(store, job), success=self._show_preview,
                                  failure=lambda exc: self.preview.setText(error_text(exc)))

    def _show_preview(self, png: bytes) -> None:
        pixmap = QPixmap()
        pixmap.loadFromData(png, "PNG")
        self.preview.setPixmap(pixmap.scaled(
            self.preview.width() - 10, self.preview.height() - 10,
            Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))

    # ---- actions

    def _reprint(self) -> None:
        job = self.selected_job()
        if job is None:
            self.message.error(self.tr("Select the job to print again"))
            return
        reason = self.reason.currentText().strip()
        store, actor = self.runtime.store, self.actor
        Task(print_queue.reprint, store, actor, job, reason).owned_by(self).success(
            self._reprinted).failure(self._failed).start()

    def _reprinted(self, queued: print_queue.Queued) -> None:
        self.runtime.spooler.wake()
        self.reason.setCurrentIndex(0)
        self.message.ok(self.tr("Printing again on %1").replace("%1", queued.printer))
        self.refresh()

    def _cancel(self) -> None:
        job = self.selected_job()
        if job is None:
            return
        Task(print_queue.cancel, self.runtime.store, self.actor, job).owned_by(self).success(
            self._cancelled).failure(self._failed).start()

    def _cancelled(self, _result: None) -> None:
        self.message.ok(self.tr("Job cancelled"))
        self.refresh()

    def _test_page(self) -> None:
        rows = self.printers.selectionModel().selectedRows()
        names = list(self.runtime.printers)
        name = names[rows[0].row()] if rows else names[0]
        Task(print_queue.test_page, self.runtime.store, self.actor, self.runtime.printers[name],
             self.runtime.code).owned_by(self).success(self._test_page_sent).failure(
            self._failed).start()

    def _test_page_sent(self, queued: print_queue.Queued) -> None:
        self.runtime.spooler.wake()
        self.message.ok(self.tr("Test page sent to %1").replace("%1", queued.printer))
        self.refresh()

