"""The shift lead's presale stock dialogs, opened from the campaign screen: the stock ledger of
a campaign's SKU (预售库存台账) per warehouse and in total, with the pre-packed parcels waiting
for their balance on the shelf and those paid and ready for the dock; the small form that asks
the warehouse and the orders per wave of a pre-pack wave; and the choice of a campaign's
stock mode. Everything from the database is loaded off the GUI thread (`app.ui.tasks`)."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.money import format_yuan
from app.services import presale, reference
from app.services.context import Actor
from app.services.database import Database
from app.services.presale import PrepackedParcel, StockPosition
from app.ui.orders_model import local_time
from app.ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    Qt,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)
from app.ui.tasks import Latest
from app.ui.widgets import (
    COLOR_ERROR,
    MessageLine,
    bold,
    error_text,
    fit_columns,
    readable,
    simple_table,
    table_item,
)

LEDGER_COLUMNS = ("warehouse", "on_hand", "spot_reserved", "presale_held", "free",
                  "putback_open", "packed_waiting", "packed_ready")
WAITING_COLUMNS = ("order_no", "channel_order_no", "tracking_no", "carrier", "warehouse",
                   "units", "packed_at", "balance")
READY_COLUMNS = ("order_no", "channel_order_no", "tracking_no", "carrier", "warehouse",
                 "units", "packed_at", "paid_at")
DEFAULT_WAVE = 100


@dataclass(frozen=True, slots=True)
class StockSheet:
    """What the ledger dialog shows, loaded in one go off the GUI thread."""

    position: StockPosition
    waiting: list[PrepackedParcel]
    ready: list[PrepackedParcel]


def load_sheet(db: Database, actor: Actor, campaign_code: str) -> StockSheet:
    return StockSheet(presale.stock_position(db, actor, campaign_code),
                      presale.awaiting_balance_parcels(db, actor, campaign_code),
                      presale.ready_to_ship(db, actor, campaign_code))


class PresaleStockDialog(QDialog):
    """The stock ledger of campaign `campaign_code`; Esc closes it."""

    def __init__(self, db: Database, actor: Actor, campaign_code: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("presaleStockDialog")
        self.db, self.actor, self.code = db, actor, campaign_code
        self.sheet: StockSheet | None = None
        readable(self)
        self._loads = Latest(self)
        self.setWindowTitle(self.tr("Stock ledger · %1").replace("%1", campaign_code))

        self.summary = QLabel(self.tr("Loading…"))
        self.summary.setObjectName("presaleStockSummary")
        self.summary.setWordWrap(True)
        bold(self.summary)
        self.ledger = simple_table("presaleStockLedger", [
            self.tr("Warehouse"), self.tr("On hand"), self.tr("Spot reserved"),
            self.tr("Presale held"), self.tr("Free"), self.tr("In open put-back tasks"),
            self.tr("Packed, balance not paid"), self.tr("Packed, balance paid")])
        # Eight short figures: the columns share the width, none narrower than its header.
        fit_columns(self.ledger)
        self.ledger.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.ledger.setToolTip(self.tr(
            "Presale held: units reserved for this campaign's orders; spot orders never take "
            "them. Free: on hand less every reservation."))
        parcel_headers = [self.tr("Order"), self.tr("Channel order"), self.tr("Tracking no."),
                          self.tr("Carrier"), self.tr("Warehouse"), self.tr("Units"),
                          self.tr("Packed at")]
        self.waiting = simple_table("presaleStockWaiting",
                                    [*parcel_headers, self.tr("Balance due")])
        fit_columns(self.waiting)
        self.ready = simple_table("presaleStockReady",
                                  [*parcel_headers, self.tr("Balance paid at")])
        fit_columns(self.ready)
        self.waiting_box = QGroupBox(self.tr("Waiting for the balance on the pre-pack shelf"))
        box = QVBoxLayout(self.waiting_box)
        box.addWidget(self.waiting)
        self.ready_box = QGroupBox(self.tr("Balance paid: ready for the dock"))
        box = QVBoxLayout(self.ready_box)
        box.addWidget(self.ready)

        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setObjectName("presaleStockRefresh")
        self.refresh_button.clicked.connect(self.reload)
        self.message = MessageLine()
        self.message.setObjectName("presaleStockMessage")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.refresh_button, QDialogButtonBox.ButtonRole.ActionRole)

        # One above the other: a parcel's row is wide (its times last) and must not scroll.
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.ledger)
        split.addWidget(self.waiting_box)
        split.addWidget(self.ready_box)
        split.setSizes([170, 300, 300])
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(1280, 760)
        self.reload()

    def reload(self) -> None:
        self._loads.start(load_sheet, self.db, self.actor, self.code, success=self._loaded,
                          failure=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.summary.setText(self.tr("Could not load the stock ledger: %1")
                             .replace("%1", error_text(exc)))
        self.message.error(error_text(exc))

    def mode_name(self, mode: str) -> str:
        return {"pool": self.tr("Virtual pool"),
                "real": self.tr("Real stock reserved")}.get(mode, mode)

    def _loaded(self, sheet: StockSheet) -> None:
        self.sheet = sheet
        self.message.info("")
        p = sheet.position
        total = p.total()
        self.summary.setText(
            self.tr("%1 · SKU %2 · %3 · pool promised %4 / %5 (%6 left)")
            .replace("%1", p.campaign).replace("%2", p.sku)
            .replace("%3", self.mode_name(p.stock_mode))
            .replace("%4", f"{p.pool_promised:,}").replace("%5", f"{p.pool_capacity:,}")
            .replace("%6", f"{total.pool_left:,}"))
        rows: list[list[str]] = []
        for w in p.warehouses:
            rows.append([w.warehouse, *(f"{v:,}" for v in (
                w.on_hand, w.spot_reserved, w.presale_held, w.free, w.putback_open,
                w.packed_waiting, w.packed_ready))])
        rows.append([self.tr("Total"), *(f"{v:,}" for v in (
            total.on_hand, total.spot_reserved, total.presale_held, total.free,
            sum(w.putback_open for w in p.warehouses),
            sum(w.packed_waiting for w in p.warehouses),
            sum(w.packed_ready for w in p.warehouses)))])
        self._write(self.ledger, rows, set(range(1, len(LEDGER_COLUMNS))), bold_last=True)
        self._write(self.waiting, [self._parcel(x, waiting=True) for x in sheet.waiting],
                    {WAITING_COLUMNS.index("units"), WAITING_COLUMNS.index("balance")},
                    notes=[self.tr("Intercepted (%1): to be unpacked").replace("%1", x.intercept)
                           if x.intercept else "" for x in sheet.waiting])
        self._write(self.ready, [self._parcel(x, waiting=False) for x in sheet.ready],
                    {READY_COLUMNS.index("units")})
        self.waiting_box.setTitle(self.tr("Waiting for the balance on the pre-pack shelf: %1")
                                  .replace("%1", f"{len(sheet.waiting):,}"))
        self.ready_box.setTitle(self.tr("Balance paid, ready for the dock: %1")
                                .replace("%1", f"{len(sheet.ready):,}"))

    @staticmethod
    def _parcel(x: PrepackedParcel, *, waiting: bool) -> list[str]:
        last = ("¥" + format_yuan(x.balance_fen)) if waiting else local_time(x.balance_paid_at)
        return [x.order_no, x.channel_order_no, x.tracking_no, x.carrier, x.warehouse,
                str(x.units), local_time(x.packed_at), last]

    @staticmethod
    def _write(table: QTableWidget, rows: list[list[str]], right: set[int], *,
               bold_last: bool = False, notes: list[str] | None = None) -> None:
        """The rows into `table`, the columns `right` (figures) on the right; `bold_last`: the total row in bold;
        `notes`: a row with a note (a refund: to be unpacked) in red, the note its tooltip."""
        table.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            note = notes[r] if notes else ""
            for c, text in enumerate(cells):
                item = table_item(text, COLOR_ERROR if note else None)
                if note:
                    item.setToolTip(note)
                if c in right:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if bold_last and r == len(rows) - 1:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                table.setItem(r, c, item)


class PrepackDialog(QDialog):
    """Asks where to pre-pack and how many orders a wave: the warehouse (loaded off the GUI
    thread) and the orders per wave (default 100). Enter confirms once the list is in."""

    def __init__(self, db: Database, actor: Actor, campaign_code: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("prepackDialog")
        self.db, self.actor = db, actor
        readable(self)
        self.setWindowTitle(self.tr("Pre-pack wave · %1").replace("%1", campaign_code))
        self._loads = Latest(self)
        intro = QLabel(self.tr(
            "Releases waves of this campaign's routed orders whose balance is not paid, to be "
            "picked and packed now; each parcel waits on the pre-pack shelf until its balance "
            "is paid."))
        intro.setWordWrap(True)
        self.warehouse = QComboBox()
        self.warehouse.setObjectName("prepackWarehouse")
        self.warehouse.setEnabled(False)
        self.max_orders = QSpinBox()
        self.max_orders.setObjectName("prepackMaxOrders")
        self.max_orders.setRange(1, 1000)
        self.max_orders.setValue(DEFAULT_WAVE)
        self.max_orders.setToolTip(self.tr("At most this many orders in one wave"))
        form = QFormLayout()
        form.addRow(self.tr("Warehouse"), self.warehouse)
        form.addRow(self.tr("Orders per wave"), self.max_orders)
        self.message = MessageLine()
        self.message.setObjectName("prepackMessage")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Release"))
        self.ok_button.setEnabled(False)
        self.ok_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(560, 260)
        self.message.info(self.tr("Loading…"))
        self._loads.start(reference.warehouses, db, actor, success=self._loaded,
                          failure=self._failed)

    def _loaded(self, rows: list[tuple[str, str]]) -> None:
        self.warehouse.clear()
        for code, name in rows:
            self.warehouse.addItem(f"{code} · {name}" if name else code, code)
        if not rows:
            self.message.error(self.tr("No active warehouse to pre-pack in."))
            return
        self.message.info("")
        self.warehouse.setEnabled(True)
        self.ok_button.setEnabled(True)
        self.warehouse.setFocus()

    def _failed(self, exc: BaseException) -> None:
        self.message.error(error_text(exc))

    def chosen(self) -> tuple[str, int]:
        """(warehouse code, orders per wave)."""
        return str(self.warehouse.currentData() or ""), self.max_orders.value()


class StockModeDialog(QDialog):
    """The stock mode to set: the virtual pool (虚拟库存池) or real stock reserved at the
    deposit (真实库存预占)."""

    def __init__(self, campaign_code: str, current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stockModeDialog")
        readable(self)
        self.setWindowTitle(self.tr("Stock mode · %1").replace("%1", campaign_code))
        intro = QLabel(self.tr(
            "Virtual pool: deposits draw on the supplier's capacity and reserve no stock. Real "
            "stock reserved: each deposit reserves units in the warehouse, which may be packed "
            "before the balance. The mode can change only while the campaign has no orders."))
        intro.setWordWrap(True)
        self.mode = QComboBox()
        self.mode.setObjectName("stockModeChoice")
        self.mode.addItem(self.tr("Virtual pool"), "pool")
        self.mode.addItem(self.tr("Real stock reserved"), "real")
        self.mode.setCurrentIndex(max(self.mode.findData(current), 0))
        form = QFormLayout()
        form.addRow(self.tr("Stock mode"), self.mode)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Set"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(560, 220)
        self.mode.setFocus()

    def chosen(self) -> str:
        return str(self.mode.currentData())
