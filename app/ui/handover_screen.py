"""Handover at the dock (出库交接): pick the carrier, scan its parcels onto the truck, watch the
count and the parcels still missing, close to ship the orders and print the manifest. Closing
with parcels of that carrier packed but not scanned asks first, naming them. A parcel of an
order intercepted after packing is refused with a stop and stays in the building, and so is a
pre-packed presale parcel (预打包) whose balance is not paid: the screen counts those on the
pre-pack shelf and those whose balance came in, which load with their carrier at once."""

from __future__ import annotations

from typing import Any

from app.services import handover, presale, reference
from app.services.changes import Change
from app.services.context import Actor
from app.services.database import Database
from app.station import print_queue
from app.station.devices import Scanned
from app.station.runtime import StationRuntime
from app.ui import feedback
from app.ui.changes import follow
from app.ui.device_manager import DeviceManager
from app.ui.qt import (
    QComboBox,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QShortcut,
    Qt,
    QVBoxLayout,
    QWidget,
)
from app.ui.tasks import Task
from app.ui.widgets import ask, bold, error_text, readable, scan_field

NAMED_AT_MOST = 15  # parcels named in the question before "… and N more"


class HandoverScreen(QWidget):
    def __init__(self, db: Database, actor: Actor, runtime: StationRuntime | None = None,
                 devices: DeviceManager | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("handoverScreen")
        self.db, self.actor, self.runtime = db, actor, runtime
        self.current: handover.HandoverView | None = None
        self.warehouse = QComboBox()
        self.carrier = QComboBox()
        # F2 and F4, as at the packing bench: a dock worker holds a scanner, not a mouse.
        self.open_button = QPushButton(self.tr("Start loading (F2)"))
        self.open_button.setObjectName("openHandover")
        self.open_button.clicked.connect(self.open)
        self.count = QLabel("")
        self.count.setObjectName("handoverCount")
        self.count.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.count.setWordWrap(True)
        bold(self.count, 40)
        self.by_hand = False  # the dock worker chose the warehouse or carrier
        self.prompt = QLabel("")
        self.prompt.setObjectName("handoverPrompt")
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prompt.setWordWrap(True)
        self.entry = scan_field(QLineEdit())
        self.setFocusProxy(self.entry)  # the screen's keyboard is its scan field
        self.entry.setObjectName("handoverEntry")
        self.entry.setPlaceholderText(self.tr("Scan a parcel's waybill"))
        readable(self.entry, 16)
        self.entry.returnPressed.connect(self._typed)
        self.missing = QListWidget()
        self.missing.setObjectName("missingParcels")
        readable(self.missing, 13)
        self.shelf = QLabel("")
        self.shelf.setObjectName("prepackShelf")
        self.shelf.setWordWrap(True)
        readable(self.shelf, 13)
        self.shelf.hide()
        self.close_button = QPushButton(self.tr("Close and print the manifest (F4)"))
        self.close_button.setObjectName("closeHandover")
        self.close_button.clicked.connect(self.close_handover)
        QShortcut(QKeySequence("F2"), self, self.open_button.click)
        QShortcut(QKeySequence("F4"), self, self.close_button.click)

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Warehouse")))
        top.addWidget(self.warehouse)
        top.addWidget(QLabel(self.tr("Carrier")))
        top.addWidget(self.carrier)
        top.addWidget(self.open_button)
        top.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addLayout(top)
        outer.addWidget(self.count)
        outer.addWidget(self.prompt)
        outer.addWidget(self.entry)
        title = QLabel(self.tr("Packed but not scanned yet"))
        bold(title, 12)
        outer.addWidget(title)
        outer.addWidget(self.missing, 1)
        outer.addWidget(self.shelf)
        outer.addWidget(self.close_button)
        if devices is not None:
            devices.scanned.connect(self._device_scan)
        Task(lambda: (reference.warehouses(db, actor), reference.carriers(db, actor),
                      handover.waiting_by_carrier(db, actor))).owned_by(
            self).success(self._fill).failure(
            lambda exc: self._say("error", error_text(exc))).start()
        # Parcels packed at any station, and other docks' scans, reach this screen by themselves.
        follow(self, {Change.HANDOVER, Change.ORDERS}, self.refresh, min_interval_ms=2000)
        self.load_shelf()

    def _fill(self, ref: tuple[list[Any], list[Any], list[tuple[str, str, int]]]) -> None:
        houses, carriers, waiting = ref
        for code, name in houses:
            self.warehouse.addItem(f"{code} {name}", code)
        for code, name in carriers:
            self.carrier.addItem(f"{code} {name}", code)
        self.warehouse.currentIndexChanged.connect(lambda _i: self.load_waiting())
        self.carrier.currentIndexChanged.connect(lambda _i: self.load_waiting())
        # A carrier the dock worker chose stays chosen; until then the screen follows the
        # parcels.
        self.warehouse.activated.connect(self._chosen_by_hand)
        self.carrier.activated.connect(self._chosen_by_hand)
        self._follow_waiting(waiting)

    def _chosen_by_hand(self, _index: int) -> None:
        self.by_hand = True

    def _follow_waiting(self, waiting: list[tuple[str, str, int]]) -> None:
        """The dock starts where parcels wait for their truck, most waiting first."""
        if waiting and not self.by_hand and self.current is None:
            wh, carrier, _n = waiting[0]
            for combo, code in ((self.warehouse, wh), (self.carrier, carrier)):
                blocked = combo.blockSignals(True)  # one load below, not one per combo
                combo.setCurrentIndex(max(combo.findData(code), 0))
                combo.blockSignals(blocked)
        self.load_waiting()

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        """Parcels were packed while the dock looked elsewhere: look again on coming back."""
        super().showEvent(event)
        if self.current is None:
            self.refresh()

    def load_waiting(self, speak: bool = True) -> None:
        """Before loading starts: the chosen carrier's parcels packed and waiting here."""
        wh, carrier = self.warehouse.currentData(), self.carrier.currentData()
        if self.current is not None or not wh or not carrier:
            return
        Task(handover.waiting_parcels, self.db, self.actor, wh, carrier).owned_by(
            self).success(lambda parcels: self._show_waiting(wh, carrier, parcels, speak)).failure(
            lambda exc: self._say("error", error_text(exc))).start()

    def _show_waiting(self, wh: str, carrier: str, parcels: tuple[tuple[str, str], ...],
                      speak: bool = True) -> None:
        if self.current is not None or (wh, carrier) != (self.warehouse.currentData(),
                                                          self.carrier.currentData()):
            return  # loading started, or another carrier chosen meanwhile
        self._list_missing(parcels)
        self.count.setText(self.tr("Parcels waiting: %1").replace("%1", str(len(parcels))))
        if speak:
            self._say("idle", self.tr("Press Start loading (F2), then scan each parcel onto the "
                                      "truck")
                      if parcels else self.tr("No parcel of this carrier is waiting here"))

    def _list_missing(self, parcels: tuple[tuple[str, str], ...]) -> None:
        self.missing.clear()
        for tn, order_no in parcels:
            self.missing.addItem(tn)
            self.missing.item(self.missing.count() - 1).setToolTip(order_no)

    def _say(self, kind: str, text: str) -> None:
        self.prompt.setStyleSheet(feedback.style(kind, 18))
        self.prompt.setText(f"{feedback.symbol(kind)} {text}")
        self.prompt.setProperty("feedback", kind)

    def open(self) -> None:
        Task(handover.open_handover, self.db, self.actor, self.warehouse.currentData(),
             self.carrier.currentData()).owned_by(self).success(self._show).failure(
            lambda exc: self._say("error", error_text(exc))).start()

    def _show(self, view: handover.HandoverView) -> None:
        self.current = view
        self.count.setText(f"{view.scanned} / {view.expected}")
        orders = dict(view.waiting)
        self._list_missing(tuple((tn, orders.get(tn, "")) for tn in view.missing))
        self._say("ok", self.tr("%1 · %2 loading: scan each parcel").replace(
            "%1", view.handover_no).replace("%2", view.carrier))
        if self.isVisible() and not self.entry.hasFocus():
            self.entry.setFocus()  # loading started: the dock scans next

    def _device_scan(self, event: Scanned) -> None:
        if self.isVisible():
            self.scan(event.scan.text)

    def _typed(self) -> None:
        text = self.entry.text().strip()
        self.entry.clear()
        if text:
            self.scan(text)

    def scan(self, tracking_no: str) -> None:
        if self.current is None:
            self._say("error", self.tr("Choose the carrier and start loading first"))
            feedback.play("error")
            return

        def ok(view: handover.HandoverView) -> None:
            self._show(view)
            feedback.play("ok")

        def bad(exc: BaseException) -> None:
            stop = isinstance(exc, handover.InterceptedAtDock | handover.BalanceUnpaid)
            self._say("error", ("✋ " if stop else "") + error_text(exc))
            feedback.play("error")

        Task(handover.scan_parcel, self.db, self.actor, self.current.handover_no,
             tracking_no).owned_by(self).success(ok).failure(bad).start()

    def load_shelf(self) -> None:
        """The pre-pack shelf (预打包暂存架): parcels waiting for their balance, and those whose
        balance came in, to load now; read off the GUI thread."""
        db, actor = self.db, self.actor
        Task(presale.shelf_counts, db, actor).owned_by(self).success(
            self._show_shelf).failure(lambda exc: self._say("error", error_text(exc))).start()

    def _show_shelf(self, counts: tuple[int, int]) -> None:
        waiting, paid = counts
        self.shelf.setText(self.tr("Pre-pack shelf: %1 parcels wait for their balance (keep "
                                   "them off the truck) · %2 paid, load them with their "
                                   "carrier now").replace("%1", str(waiting))
                           .replace("%2", str(paid)))
        self.shelf.setVisible(bool(waiting or paid))

    def refresh(self) -> None:
        """Reload the open handover's count and missing parcels, or before loading the parcels
        waiting, off the GUI thread (called when packing or the dock change them elsewhere)."""
        self.load_shelf()
        if self.current is None:
            if self.carrier.count():
                Task(handover.waiting_by_carrier, self.db, self.actor).owned_by(self).success(
                    self._follow_waiting).failure(
                    lambda exc: self._say("error", error_text(exc))).start()
            return
        no = self.current.handover_no
        Task(handover.view, self.db, self.actor, no).owned_by(self).success(
            lambda view: self._show(view) if self.current is not None
            and self.current.handover_no == no else None).failure(
            lambda exc: self._say("error", error_text(exc))).start()

    def close_handover(self) -> None:
        """Look at what is still unscanned now (off the GUI thread), ask if anything is,
        then close."""
        if self.current is None:
            return
        no = self.current.handover_no
        self.close_button.setEnabled(False)
        Task(handover.view, self.db, self.actor, no).owned_by(self).success(
            self._confirm_close).failure(self._close_failed).start()

    def _close_failed(self, exc: BaseException) -> None:
        self.close_button.setEnabled(True)
        self._say("error", error_text(exc))

    def _confirm_close(self, view: handover.HandoverView) -> None:
        self.close_button.setEnabled(True)
        if self.current is None or self.current.handover_no != view.handover_no:
            return
        self._show(view)
        waiting = view.waiting or tuple((tn, "") for tn in view.missing)
        if waiting:
            named = "\n".join(f"  {tn}   {order}" for tn, order in waiting[:NAMED_AT_MOST])
            more = len(waiting) - NAMED_AT_MOST
            if more > 0:
                named += "\n  " + self.tr("… and %1 more").replace("%1", str(more))
            question = self.tr("%1 parcels of %2 are packed but not scanned onto the truck:"
                               "\n\n%3\n\nClose %4 without them? They stay in the "
                               "building.").replace("%1", str(len(waiting))) \
                .replace("%2", view.carrier).replace("%3", named) \
                .replace("%4", view.handover_no)
            if not ask(self, self.tr("Parcels not scanned"), question):
                self._say("idle", self.tr("Not closed: scan the missing parcels"))
                return
        self._close()

    def _close(self) -> None:
        if self.current is None:
            return
        db, actor, runtime, no = self.db, self.actor, self.runtime, self.current.handover_no

        def job() -> Any:
            manifest = handover.close(db, actor, no)
            if runtime is not None:
                print_queue.enqueue(runtime.store, actor, runtime.printer_for("manifest"),
                                    manifest, kind="manifest", ref=no, title=f"manifest {no}",
                                    dedupe_key=f"manifest:{no}")
                runtime.spooler.wake()
            return manifest

        def done(manifest: Any) -> None:
            self.current = None
            self.missing.clear()
            self.load_waiting(speak=False)  # the closing message stays
            self._say("done", self.tr("%1 closed: %2 parcels shipped, manifest printed")
                      .replace("%1", no).replace("%2", str(len(manifest.parcels))))
            feedback.play("done")

        Task(job).owned_by(self).success(done).failure(
            lambda exc: self._say("error", error_text(exc))).start()
