"""Presale campaigns (预售活动) as the shift lead watches them on 11.11: each campaign's price
and deposit terms, its stock mode (the virtual pool, or real stock reserved at the deposit),
how full its pool is, the warning when it runs full, and how many of its orders wait for
their balance, are ready for a wave or are exceptions. For the selected campaign, the
supplier board, the demand report and the stock ledger open from here, and the lead sets its
stock mode, releases pre-pack waves (预打包) and closes it once the balance window is over.
The buttons a role may not use stay disabled; the services check again."""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Callable
from typing import Any

from app.domain.money import format_yuan
from app.domain.roles import Permission
from app.services import campaigns, presale
from app.services.campaigns import CampaignView
from app.services.changes import Change
from app.services.context import Actor
from app.services.database import Database
from app.ui import labels
from app.ui.changes import follow
from app.ui.orders_model import local_time
from app.ui.qt import (
    QAbstractItemView,
    QColor,
    QDialog,
    QEvent,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QObject,
    QProgressBar,
    QPushButton,
    QShortcut,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from app.ui.tasks import Latest, Task
from app.ui.widgets import (
    COLOR_ERROR,
    ROW_HEIGHT,
    MessageLine,
    ask,
    error_text,
    readable,
    tint,
    with_shortcut_tip,
)

log = logging.getLogger("packline.ui")

# Two lines per row keep twelve facts readable on one screen: code over kind and stock mode,
# name over SKU, the terms over what one unit costs the buyer.
COLUMNS = ("campaign", "name", "terms", "pool", "warning", "ship_by", "awaiting_balance",
           "routed", "exception")
WARNING_BACKGROUND = "#ffcdd2"
SUPPLIER_BOARD = "app.ui.supplier_board"  # SupplierBoardDialog(db, actor, campaign_code)


def yuan(fen: int) -> str:
    return "¥" + format_yuan(fen)


class CampaignsScreen(QWidget):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.setObjectName("campaignsScreen")
        readable(self)
        self.views: list[CampaignView] = []
        self.pools: dict[str, QProgressBar] = {}
        self._loads = Latest(self)

        intro = QLabel(self.tr(
            "Presale orders draw on each campaign's own pool, never on spot stock. A campaign "
            "is warned when its pool is 90% used or an order did not fit."))
        intro.setWordWrap(True)
        self.refresh_button = QPushButton(self.tr("Refresh (F5)"))
        top = QHBoxLayout()
        top.addWidget(intro, 1)
        top.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignTop)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("campaignsTable")
        self.table.setHorizontalHeaderLabels([
            self.tr("Campaign / kind"), self.tr("Name / SKU"),
            self.tr("Terms / buyer pays for 1 unit"), self.tr("Pool used"), self.tr("Warning"),
            self.tr("Ship by"), self.tr("Awaiting\nbalance"), self.tr("Ready\nfor wave"),
            self.tr("Exceptions")])
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(2 * ROW_HEIGHT + 4)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)  # only a long product name wraps: see fit_columns
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        # Columns are fitted to their header and cells whenever the rows or the room change
        # (fit_columns): fixed widths crushed the name column to nothing at 1400 px.
        self.table.viewport().installEventFilter(self)

        self.supplier_button = QPushButton(self.tr("Supplier board"))
        self.supplier_button.setObjectName("campaignsSupplierBoard")
        self.report_button = QPushButton(self.tr("Demand report"))
        self.report_button.setObjectName("campaignsDemandReport")
        self.supplier_board_ready = importlib.util.find_spec(SUPPLIER_BOARD) is not None
        self.supplier_button.setShortcut(QKeySequence("Ctrl+B"))
        self.report_button.setShortcut(QKeySequence("Ctrl+D"))
        with_shortcut_tip(self.supplier_button, self.tr(
            "The supplier's deliveries against the presale demand, day by day")
            if self.supplier_board_ready else
            self.tr("The supplier board is not part of this version"))
        with_shortcut_tip(self.report_button, self.tr(
            "Deposits, balances paid and conversion; demand by day, province, SKU and "
            "option; export for the supplier"))
        self.dialogs: dict[str, QDialog] = {}  # the last dialog of each kind opened

        # The lead's presale actions: each enabled for a selected campaign it applies to,
        # and only for a role that may (the services check again).
        self.can_prepack = actor.can(Permission.RELEASE_WAVES)
        self.can_close = actor.can(Permission.CHANGE_ORDER_STATUS)
        self.can_set_mode = actor.can(Permission.EDIT_RULES)
        self.busy = False  # an action is running: the others wait for it
        self._load_said = ""  # the last load's failure, as the message line says it
        self.ledger_button = QPushButton(self.tr("Stock ledger"))
        self.ledger_button.setObjectName("campaignsStockLedger")
        self.ledger_button.setShortcut(QKeySequence("Ctrl+L"))
        with_shortcut_tip(self.ledger_button, self.tr(
            "The SKU's stock per warehouse: on hand, spot and presale reservations, free, "
            "put-backs and pre-packed parcels"))
        self.prepack_button = QPushButton(self.tr("Pre-pack wave…"))
        self.prepack_button.setObjectName("campaignsPrepack")
        self.prepack_button.setShortcut(QKeySequence("Ctrl+P"))
        with_shortcut_tip(self.prepack_button, self.tr(
            "Release waves to pick and pack the deposit orders before their balance "
            "(real-stock campaigns)") if self.can_prepack else
            self.tr("Your role may not release waves"))
        self.close_campaign_button = QPushButton(self.tr("Close campaign…"))
        self.close_campaign_button.setObjectName("campaignsClose")
        self.close_campaign_button.setShortcut(QKeySequence("Ctrl+K"))
        with_shortcut_tip(self.close_campaign_button, self.tr(
            "After the balance window: cancel the unpaid orders and unpack their parcels "
            "(asks first)") if self.can_close else
            self.tr("Your role may not change an order's status"))
        self.mode_button = QPushButton(self.tr("Stock mode…"))
        self.mode_button.setObjectName("campaignsStockMode")
        self.mode_button.setShortcut(QKeySequence("Ctrl+M"))
        with_shortcut_tip(self.mode_button, self.tr(
            "Virtual pool or real stock reserved; only while the campaign has no orders")
            if self.can_set_mode else self.tr("Your role may not edit the rules"))

        self.summary = QLabel("")
        self.summary.setObjectName("campaignsSummary")
        self.message = MessageLine()
        self.message.setObjectName("campaignsMessage")

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.summary, 1)
        actions.addWidget(self.supplier_button)
        actions.addWidget(self.report_button)
        actions.addWidget(self.ledger_button)
        lead = QHBoxLayout()
        lead.addStretch(1)
        lead.addWidget(self.mode_button)
        lead.addWidget(self.prepack_button)
        lead.addWidget(self.close_campaign_button)
        layout.addLayout(actions)
        layout.addLayout(lead)
        layout.addWidget(self.message)
        self.supplier_button.clicked.connect(self.open_supplier_board)
        self.report_button.clicked.connect(self.open_demand_report)
        self.ledger_button.clicked.connect(self.open_stock_ledger)
        self.prepack_button.clicked.connect(self.ask_prepack)
        self.close_campaign_button.clicked.connect(self.ask_close)
        self.mode_button.clicked.connect(self.ask_stock_mode)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self._selection_changed()

        self.refresh_button.clicked.connect(self.reload)
        with_shortcut_tip(self.refresh_button, self.tr("Load the list again"), "F5")
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.reload)
        self.message.info(self.tr("Loading…"))
        self.reload()
        follow(self, {Change.CAMPAIGNS}, self.reload)

    def reload(self) -> None:
        self._loads.start(campaigns.overview, self.db, self.actor, success=self._loaded,
                          failure=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self._load_said = (self.tr("Could not load the presale campaigns: %1")
                           .replace("%1", error_text(exc)))
        self.message.error(self._load_said)

    def selected_code(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.views):
            return None
        return self.views[rows[0].row()].code

    def selected_view(self) -> CampaignView | None:
        code = self.selected_code()
        return next((v for v in self.views if v.code == code), None)

    def _selection_changed(self) -> None:
        view = self.selected_view()
        chosen = view is not None
        self.report_button.setEnabled(chosen)
        self.supplier_button.setEnabled(chosen and self.supplier_board_ready)
        self.ledger_button.setEnabled(chosen)
        free = chosen and not self.busy
        self.prepack_button.setEnabled(
            free and self.can_prepack and view is not None and view.kind == "deposit"
            and view.stock_mode == "real")
        self.close_campaign_button.setEnabled(free and self.can_close)
        self.mode_button.setEnabled(free and self.can_set_mode and view is not None
                                    and view.kind == "deposit")

    # ------------------------------------------------------------ the lead's actions

    def open_stock_ledger(self) -> None:
        code = self.selected_code()
        if code is None:
            return
        from app.ui.presale_stock import PresaleStockDialog

        self._show_dialog("stock", PresaleStockDialog(self.db, self.actor, code, self))

    def _start(self, text: str, fn: Callable[..., Any], *args: Any,
               done: Callable[[Any], None], **kwargs: Any) -> None:
        """`fn(*args, **kwargs)` off the GUI thread, the other actions disabled meanwhile;
        `done` shows its result, a refusal is shown in the reader's words."""
        self.busy = True
        self._selection_changed()
        self.message.info(text)
        Task(fn, *args, **kwargs).owned_by(self).success(
            lambda value: self._finished(done, value)).failure(self._refused).start()

    def _finished(self, done: Callable[[Any], None], value: Any) -> None:
        self.busy = False
        done(value)
        self._selection_changed()
        self.reload()

    def _refused(self, exc: BaseException) -> None:
        self.busy = False
        self._selection_changed()
        self.message.error(error_text(exc))

    def ask_prepack(self) -> None:
        view = self.selected_view()
        if view is None or not self.prepack_button.isEnabled():
            return
        from app.ui.presale_stock import PrepackDialog

        dialog = PrepackDialog(self.db, self.actor, view.code, self)
        self.dialogs["prepack"] = dialog
        try:
            if not dialog.exec():  # 0: cancelled (Esc, Cancel)
                return
            warehouse, size = dialog.chosen()
        finally:
            self.dialogs.pop("prepack", None)
            dialog.deleteLater()
        if not warehouse:
            return
        self._start(self.tr("Releasing pre-pack waves of %1 in %2…")
                    .replace("%1", view.code).replace("%2", warehouse),
                    presale.prepack_wave, self.db, self.actor, view.code, warehouse,
                    max_orders=size, done=self._prepacked)

    def _prepacked(self, released: list[Any]) -> None:
        if not released:
            self.message.info(self.tr("No order of this campaign is waiting to be pre-packed "
                                      "in that warehouse."))
            return
        waves = " · ".join(
            self.tr("%1: %2 orders, %3 units").replace("%1", r.wave_no)
            .replace("%2", str(r.orders)).replace("%3", str(r.units)) for r in released)
        self.message.ok(self.tr("%1 pre-pack waves released (%2 orders, %3 units): %4")
                        .replace("%1", str(len(released)))
                        .replace("%2", str(sum(r.orders for r in released)))
                        .replace("%3", str(sum(r.units for r in released)))
                        .replace("%4", waves))

    def ask_close(self) -> None:
        code = self.selected_code()
        if code is None or not self.close_campaign_button.isEnabled():
            return
        if not ask(self, self.tr("Close campaign"), self.tr(
                "Close %1? Every order whose balance was not paid is cancelled, and its "
                "pre-packed parcel is unpacked into put-back tasks; their stock and pool "
                "units are given back. Paid orders ship. This cannot be undone.")
                .replace("%1", code)):
            return
        self._start(self.tr("Closing %1…").replace("%1", code), presale.close_campaign,
                    self.db, self.actor, code, done=self._closed)

    def _closed(self, end: presale.CampaignEnd) -> None:
        self.message.ok(
            self.tr("%1 closed: %2 orders looked at, %3 paid and kept, %4 cancelled, %5 taken "
                    "out of waves, %6 unpacked; %7 units to put back in %8 tasks")
            .replace("%1", end.campaign).replace("%2", str(end.looked_at))
            .replace("%3", str(end.kept)).replace("%4", str(end.cancelled))
            .replace("%5", str(end.left_wave)).replace("%6", str(end.unpacked))
            .replace("%7", str(end.units_to_put_back))
            .replace("%8", str(len(end.putbacks))))

    def ask_stock_mode(self) -> None:
        view = self.selected_view()
        if view is None or not self.mode_button.isEnabled():
            return
        from app.ui.presale_stock import StockModeDialog

        dialog = StockModeDialog(view.code, view.stock_mode, self)
        self.dialogs["mode"] = dialog
        try:
            if not dialog.exec():
                return
            mode = dialog.chosen()
        finally:
            self.dialogs.pop("mode", None)
            dialog.deleteLater()
        self._start(self.tr("Setting the stock mode of %1…").replace("%1", view.code),
                    presale.set_stock_mode, self.db, self.actor, view.code, mode,
                    done=lambda chosen: self.message.ok(
                        self.tr("%1: stock mode set to %2").replace("%1", view.code)
                        .replace("%2", self.stock_mode(chosen))))

    def open_demand_report(self) -> None:
        code = self.selected_code()
        if code is None:
            return
        from app.ui.presale_report import PresaleReportDialog

        self._show_dialog("report", PresaleReportDialog(self.db, self.actor, code, self))

    def open_supplier_board(self) -> None:
        code = self.selected_code()
        if code is None:
            return
        try:  # built beside this screen; a version without it keeps the button disabled
            board = importlib.import_module(SUPPLIER_BOARD)
        except ImportError:
            log.warning("the supplier board cannot be opened", exc_info=True)
            self.supplier_board_ready = False
            self._selection_changed()
            return
        self._show_dialog("supplier", board.SupplierBoardDialog(self.db, self.actor, code, self))

    def _show_dialog(self, kind: str, dialog: QDialog) -> None:
        old = self.dialogs.pop(kind, None)
        if old is not None:
            old.close()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialogs[kind] = dialog
        dialog.finished.connect(lambda _result: self._forget(kind, dialog))
        dialog.show()  # a new window: shown in front, and the lead can still use the list

    def _forget(self, kind: str, dialog: QDialog) -> None:
        if self.dialogs.get(kind) is dialog:
            del self.dialogs[kind]

    def stock_mode(self, mode: str) -> str:
        return {"pool": self.tr("Virtual pool"),
                "real": self.tr("Real stock reserved")}.get(mode, mode)

    def _loaded(self, views: list[CampaignView]) -> None:
        # What the loading said goes; what an action said (a wave released) stays.
        if self.message.text() in (self.tr("Loading…"), self._load_said):
            self.message.info("")
        chosen = self.selected_code()
        self.views = views
        self.pools.clear()
        kinds = labels.presale_kind_names()
        self.table.setRowCount(len(views))
        for r, c in enumerate(views):
            mode = self._cell(r, "campaign", f"{c.code}\n{labels.label(kinds, c.kind)}\n"
                                             f"{self.stock_mode(c.stock_mode)}")
            mode.setToolTip(self.tr("Real stock reserved: each deposit reserves units in the "
                                    "warehouse, which may be packed before the balance")
                            if c.stock_mode == "real" else
                            self.tr("Virtual pool: deposits draw on the supplier's capacity, "
                                    "no real stock is reserved"))
            self._cell(r, "name", f"{c.name}\n{c.sku}")
            self._cell(r, "terms", f"{self.terms(c)}\n{self.one_unit(c)}")
            self._cell(r, "ship_by", local_time(c.ship_by))
            for key in ("awaiting_balance", "routed", "exception"):
                self._cell(r, key, str(c.orders_by_status.get(key, 0)),
                           Qt.AlignmentFlag.AlignRight)
            warning = self._cell(r, "warning", self.tr("⚠ Warning") if c.warning else "",
                                 Qt.AlignmentFlag.AlignCenter)
            if c.warning:
                warning.setBackground(QColor(WARNING_BACKGROUND))
                warning.setForeground(QColor(COLOR_ERROR))
                font = warning.font()
                font.setBold(True)
                warning.setFont(font)
                warning.setToolTip(self.tr("Pool nearly full or an order did not fit: "
                                           "check supplier capacity"))
            self.table.setCellWidget(r, COLUMNS.index("pool"), self._pool_bar(c))
        self.fit_columns(force=True)
        codes = [c.code for c in views]
        if chosen in codes:  # a refresh keeps the campaign the lead was looking at
            self.table.selectRow(codes.index(chosen))
        self._selection_changed()
        warned = sum(1 for c in views if c.warning)
        self.summary.setText(self.tr("%1 campaigns · %2 warned")
                             .replace("%1", str(len(views))).replace("%2", str(warned)))
        if warned:
            tint(self.summary, COLOR_ERROR, bold=True)
        else:
            tint(self.summary)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.table.viewport():
            self.fit_columns()
        return super().eventFilter(watched, event)

    def fit_columns(self, force: bool = False) -> None:
        """Each column as wide as its header and widest cell (two-line headers count their
        longer line); the name column, whose length is the products', takes the room left
        and wraps a name longer than that, down to a readable minimum (below it the table
        scrolls sideways rather than cut a column). Fixed widths crushed the name to nothing
        at 1400 px."""
        header = self.table.horizontalHeader()
        name = COLUMNS.index("name")
        needs = [max(self.table.sizeHintForColumn(c), header.sectionSizeHint(c))
                 for c in range(len(COLUMNS))]
        room = self.table.viewport().width() - sum(needs) + needs[name]
        least = max(header.sectionSizeHint(name), self.fontMetrics().horizontalAdvance("M") * 9)
        needs[name] = max(min(needs[name], least), room)
        changed = force
        for c, width in enumerate(needs):
            if self.table.columnWidth(c) != width:
                self.table.setColumnWidth(c, width)
                changed = True
        if changed:
            # Rows as tall as their lines (a balance reduction adds one, a wrapped name
            # too), with air for the pool bar.
            self.table.resizeRowsToContents()
            for r in range(self.table.rowCount()):
                self.table.setRowHeight(r, max(self.table.rowHeight(r) + 10,
                                               2 * ROW_HEIGHT + 4))

    def _cell(self, row: int, key: str, text: str,
              align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft) -> QTableWidgetItem:
        item = QTableWidgetItem(text)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        item.setTextAlignment(align | Qt.AlignmentFlag.AlignVCenter)
        item.setToolTip(text)
        self.table.setItem(row, COLUMNS.index(key), item)
        return item

    def _pool_bar(self, c: CampaignView) -> QProgressBar:
        bar = QProgressBar()
        bar.setObjectName(f"pool_{c.code}")
        # A capacity lowered after orders came in leaves reserved above it: the bar stays
        # full and the text tells the real figure.
        bar.setRange(0, max(c.capacity, 1))
        bar.setValue(min(c.reserved, max(c.capacity, 1)))
        bar.setFormat(f"{c.reserved:,} / {c.capacity:,}")
        bar.setTextVisible(True)
        bar.setAlignment(Qt.AlignmentFlag.AlignCenter)
        bar.setToolTip(self.tr("%1% of the pool reserved").replace(
            "%1", f"{c.used * 100:.1f}"))
        chunk = "#d32f2f" if c.warning else "#43a047"
        bar.setStyleSheet(f"QProgressBar {{ border: 1px solid #999; border-radius: 3px;"
                          f" background: #f2f2f2; color: #000; margin: 6px;"
                          f" font-size: 12pt; font-weight: bold; }}"
                          f" QProgressBar::chunk {{ background: {chunk}; }}")
        self.pools[c.code] = bar
        return bar

    def terms(self, c: CampaignView) -> str:
        if c.kind != "deposit":
            return self.tr("%1, paid in full").replace("%1", yuan(c.price_fen))
        text = (self.tr("%1 · deposit %2 counts %3").replace("%1", yuan(c.price_fen))
                .replace("%2", yuan(c.deposit_fen)).replace("%3", yuan(c.deposit_value_fen)))
        if c.balance_reduction_fen:  # a line of its own: the row grows rather than cut it
            text += "\n" + self.tr("balance −%1").replace("%1", yuan(c.balance_reduction_fen))
        for tier in c.tiers:  # 件数阶梯
            text += "\n" + (self.tr("%1 units or more: −%2").replace("%1", str(tier.min_qty))
                            .replace("%2", yuan(tier.reduction_fen)))
        return text

    def one_unit(self, c: CampaignView) -> str:
        try:
            p = c.price_for(1)
        except ValueError as exc:  # terms the engine refuses too: say so, do not hide it
            log.warning("campaign %s: terms invalid: %s", c.code, exc)
            return self.tr("Terms invalid: check this campaign's settings")
        if c.kind != "deposit":
            return yuan(p.total_fen)
        return (self.tr("deposit %1 + balance %2 = %3").replace("%1", yuan(p.deposit_fen))
                .replace("%2", yuan(p.balance_fen)).replace("%3", yuan(p.total_fen)))
