"""Packing: scan an order (number, waybill, tote or slot), then every unit; the lines count up in
large type; wrong items, extra units and items of another order are refused with colour, symbol,
sound and message; weigh; 新箱 closes a box; the label prints by itself; done. Every action is a
key or a command card (确认 F4, 取消/暂停 F3, 新箱 F2, 重打 F5); a shift lead's badge (or user
code) and PIN let a parcel outside the weight tolerance go (F9, `ApprovalPanel`). An
intercepted order stops the bench with a full-width red panel and a put-back note.

Scans (from the device manager or the entry line) and scale readings are handled one at a time,
in order, off the GUI thread; the bench writes each to the station store before acting on it,
and reopens where it was after a crash. While an order's units are scanned, its label is got
ready in the background (`PackingBench.prepare_label`), so the scan that completes the order
shows its result without waiting for the label to be drawn.
"""

from __future__ import annotations

import logging
from typing import Any

from app.domain import packing as rules
from app.domain.roles import Permission
from app.services.context import Actor
from app.station.devices import Scanned, Weighed
from app.station.packing import PackingBench, PackView, pending_sessions
from app.station.runtime import StationRuntime
from app.ui import feedback, labels
from app.ui.approval import ApprovalPanel
from app.ui.device_manager import DeviceManager
from app.ui.qt import (
    QColor,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QShortcut,
    QSpinBox,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from app.ui.style import ink
from app.ui.tasks import InOrder, Latest, Task, Worker
from app.ui.widgets import bold, error_text, readable, scan_field, with_shortcut_tip
from drivers.barcode import ScanCommand, ScanKind, parse_scan

log = logging.getLogger("packline.packing")
BACKGROUND = -1  # the priority of the screen's own work that is no scan


# Refusals that leave a complete order waiting for its platform waybill: tried again alone.
WAITING_FOR_WAYBILL = frozenset({"waybill.needs_network", "waybill.platform_unreachable",
                                 "waybill.fetching"})
WAYBILL_RETRY_MS = 15_000
# The label of an order being packed is drawn ahead once the bench has had no scan for this
# long (a packer reaching for the next item), never between two scans that come back to back.
PREPARE_WHEN_IDLE_MS = 80
# The engine is fetching the waybill: it is usually there within seconds. (The engine
# waiting to reach the platform again is `waybill.platform_unreachable`: every 15 s.)
WAYBILL_FETCHING_RETRY_MS = 2_000

class PackingScreen(QWidget):
    def __init__(self, runtime: StationRuntime, actor: Actor,
                 devices: DeviceManager | None = None, *, scale_required: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("packingScreen")
        self.runtime = runtime
        self.actor = actor
        self.bench = PackingBench(runtime, actor, scale_required=scale_required)
        # The bench's own worker thread: a scan never queues behind background work (a list
        # being loaded, a label drawn ahead) for a thread of the shared pool. The screen's own
        # background work (the label got ready, the list of orders set aside) has a thread of
        # its own beside it: a scan that comes while a label is being drawn (10 ms and more)
        # is acted on at once, not after it.
        self.worker = Worker(self)
        self.background = Worker(self)
        self.inputs = InOrder(self, self._handle, worker=self.worker)
        self.view: PackView | None = None
        self.awaiting_lead = False
        self.paused_loader = Latest(self)
        self._listed_for: object = ()  # the sessions the list of orders set aside was read for
        self._prepared_for: str | None = None  # the session whose label was got ready
        self._to_prepare: str | None = None  # the session whose label is to be got ready
        self._prepare_timer = QTimer(self)
        self._prepare_timer.setSingleShot(True)
        self._prepare_timer.timeout.connect(self._prepare_now)
        # The scale reports a settled weight once: the grams it settled on while it still
        # reads them (no movement or other weight since), and such a weight the bench refused
        # because the order was not at weighing yet (order, grams): when the order reaches
        # weighing with the scale still on it, it is weighed then (`_weigh_held`).
        self._scale_on: int | None = None
        self._held: tuple[str, int] | None = None
        # An order complete but waiting for its platform waybill (the network, the platform):
        # confirmed again on its own every so often, as the packer's confirm card would.
        self._waybill_retry = QTimer(self)
        self._waybill_retry.setSingleShot(True)
        self.retry_offline_ms = WAYBILL_RETRY_MS
        self.retry_fetching_ms = WAYBILL_FETCHING_RETRY_MS
        self._waybill_retry.timeout.connect(self._retry_waybill)
        # The waiting-for-the-waybill refusal last said (its error sound played once).
        self._waiting_said: str | None = None

        self.order_label = QLabel("")
        self.order_label.setObjectName("packOrder")
        bold(self.order_label, 26)
        self.phase_label = QLabel("")
        self.phase_label.setObjectName("packPhase")
        readable(self.phase_label, 16)
        self.wave_label = QLabel("")
        self.wave_label.setObjectName("packWave")
        readable(self.wave_label, 16)
        # Who it goes to, what the buyer asked for, and which box to take.
        self.receiver_label = QLabel("")
        self.receiver_label.setObjectName("packReceiver")
        self.receiver_label.setWordWrap(True)
        readable(self.receiver_label, 16)
        self.box_label = QLabel("")
        self.box_label.setObjectName("packBoxHint")
        bold(self.box_label, 16)
        self.remark_label = QLabel("")
        self.remark_label.setObjectName("packRemark")
        self.remark_label.setWordWrap(True)
        self.remark_label.setStyleSheet(
            "background: #fff8e1; color: #8a4b00; border: 3px solid #e65100; "
            "border-radius: 6px; padding: 8px; font-size: 18pt; font-weight: bold;")
        self.remark_label.hide()
        # 预打包: a presale order packed before its balance is paid goes to the pre-pack shelf.
        self.prepack_label = QLabel("")
        self.prepack_label.setObjectName("packPrepack")
        self.prepack_label.setWordWrap(True)
        self.prepack_label.setStyleSheet(
            "background: #e3f2fd; color: #0d47a1; border: 3px solid #1565c0; "
            "border-radius: 6px; padding: 8px; font-size: 18pt; font-weight: bold;")
        self.prepack_label.hide()
        self.lines = QTableWidget(0, 4)
        self.lines.setObjectName("packLines")
        self.lines.setHorizontalHeaderLabels([self.tr("Item"), self.tr("Name"),
                                              self.tr("Scanned"), self.tr("Box")])
        self.lines.verticalHeader().setVisible(False)
        header = self.lines.horizontalHeader()
        # The name takes what is left; the counts and boxes always show in full.
        for column, mode in ((0, QHeaderView.ResizeMode.ResizeToContents),
                             (1, QHeaderView.ResizeMode.Stretch),
                             (2, QHeaderView.ResizeMode.ResizeToContents),
                             (3, QHeaderView.ResizeMode.ResizeToContents)):
            header.setSectionResizeMode(column, mode)
        readable(self.lines, 20)
        self.prompt = QLabel("")
        self.prompt.setObjectName("packPrompt")
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prompt.setWordWrap(True)
        self.weight_label = QLabel("—")
        self.weight_label.setObjectName("packWeight")
        bold(self.weight_label, 22)
        self.stop_panel = QLabel("")
        self.stop_panel.setObjectName("stopPanel")
        self.stop_panel.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stop_panel.setWordWrap(True)
        self.stop_panel.setStyleSheet(feedback.style("error", 30))
        self.stop_panel.hide()

        self.entry = scan_field(QLineEdit())
        self.setFocusProxy(self.entry)  # the screen's keyboard is its scan field
        self.entry.setObjectName("packEntry")
        self.entry.setPlaceholderText(self.tr("Scan or type a code, then Enter"))
        readable(self.entry, 16)
        self.entry.returnPressed.connect(self._typed)
        self.qty = QSpinBox()
        self.qty.setObjectName("packQty")
        self.qty.setRange(1, 9999)
        readable(self.qty, 16)
        self.buttons = {}
        keys = (("newbox", self.tr("New box (F2)"), "F2", ScanCommand.NEWBOX,
                 self.tr("Start another box for this order")),
                ("pause", self.tr("Set aside (F3)"), "F3", ScanCommand.PAUSE,
                 self.tr("Put the order aside, to finish here or at another bench")),
                ("confirm", self.tr("Confirm (F4)"), "F4", ScanCommand.CONFIRM,
                 self.tr("Every item scanned: the order is packed")),
                ("reprint", self.tr("Reprint (F5)"), "F5", ScanCommand.REPRINT,
                 self.tr("Print the box's label again (the same tracking number)")))
        row = QHBoxLayout()
        for name, text, key, command, tip in keys:
            button = QPushButton(text)
            with_shortcut_tip(button, tip, key)
            button.setObjectName(f"pack_{name}")
            button.clicked.connect(lambda _=False, c=command: self.submit("command", c))
            QShortcut(QKeySequence(key), self, lambda c=command: self.submit(
                "command", c))
            row.addWidget(button)
            self.buttons[name] = button
        self.lead_button = QPushButton(self.tr("Lead lets the weight go (F9)"))
        self.lead_button.setObjectName("pack_override")
        self.lead_button.clicked.connect(self.ask_lead)
        with_shortcut_tip(self.lead_button, self.tr(
            "A shift lead lets a parcel outside the weight tolerance go, with badge and PIN"),
            "F9")
        QShortcut(QKeySequence("F9"), self, self.ask_lead)
        row.addWidget(self.lead_button)
        self.approval = ApprovalPanel(runtime, Permission.OVERRIDE_WEIGHT)
        self.approval.approved.connect(self._approved)
        self.approval.cancelled.connect(self._approval_cancelled)
        self.cards_button = QPushButton(self.tr("Print command cards"))
        self.cards_button.clicked.connect(self.print_cards)
        row.addWidget(self.cards_button)
        row.addStretch(1)
        self.paused = QListWidget()
        self.paused.setObjectName("pausedOrders")
        self.paused.setMaximumWidth(260)
        self.paused.itemActivated.connect(lambda item: self.submit(
            "scan", item.data(Qt.ItemDataRole.UserRole)))

        main = QVBoxLayout()
        top = QHBoxLayout()
        top.addWidget(self.order_label, 1)
        top.addWidget(self.wave_label)
        top.addWidget(self.phase_label)
        top.addWidget(self.weight_label)
        main.addLayout(top)
        info = QHBoxLayout()
        info.addWidget(self.receiver_label, 1)
        info.addWidget(self.box_label)
        main.addLayout(info)
        main.addWidget(self.remark_label)
        main.addWidget(self.prepack_label)
        main.addWidget(self.stop_panel)
        main.addWidget(self.approval)
        main.addWidget(self.lines, 1)
        main.addWidget(self.prompt)
        entry_row = QHBoxLayout()
        entry_row.addWidget(QLabel(self.tr("Quantity")))
        entry_row.addWidget(self.qty)
        entry_row.addWidget(self.entry, 1)
        main.addLayout(entry_row)
        main.addLayout(row)
        side = QVBoxLayout()
        title = QLabel(self.tr("Set aside"))
        bold(title, 12)
        side.addWidget(title)
        side.addWidget(self.paused, 1)
        outer = QHBoxLayout(self)
        outer.addLayout(main, 1)
        outer.addLayout(side)

        if devices is not None:
            devices.scanned.connect(self._device_scan)
            devices.weighed.connect(self._device_weight)
            devices.reading.connect(self._device_reading)
        self.show_feedback("idle", self.tr("Scan an order, a waybill or a slot"))
        self.submit("resume", None)

    # ---- input: one at a time, in order, off the GUI thread

    def _device_scan(self, event: Scanned) -> None:
        if self.isVisible():
            self.submit("scan", event.scan.text)

    def _device_weight(self, event: Weighed) -> None:
        if self.isVisible():
            self._scale_on, self._held = event.weight.grams, None
            self.submit("scale", event.weight.grams)

    def _device_reading(self, event: Weighed) -> None:
        w = event.weight
        self.weight_label.setText(f"{w.grams / 1000:.3f} kg")
        if self._scale_on is not None and (not w.stable or w.motion or w.overload
                                           or w.underload or abs(w.grams - self._scale_on) > 2):
            self._scale_on = self._held = None  # moved: what settled is no longer there

    def _typed(self) -> None:
        text = self.entry.text().strip()
        self.entry.clear()
        if text:
            self.submit("scan", text)

    @property
    def busy(self) -> bool:
        return self.inputs.busy

    @property
    def pending(self) -> Any:
        return self.inputs.pending

    def submit(self, kind: str, value: Any) -> None:
        if self._prepare_timer.isActive():  # the packer is scanning: the label waits
            self._prepare_timer.start(PREPARE_WHEN_IDLE_MS)
        self.inputs.put((kind, value))

    def _handle(self, item: tuple[str, Any]) -> None:
        kind, value = item
        if kind == "scan" and self.awaiting_lead:
            self._lead_scan(value)
            return
        if kind == "scan" and parse_scan(value).kind is ScanKind.BADGE:
            # A badge is no item and no order: it never goes into the bench's journal.
            self.show_feedback("error", self.tr("A badge is not an item: the shift lead "
                                                "approves with F9"))
            feedback.play("error")
            return
        bench = self.bench
        if kind == "resume":
            call: Any = (self._start,)
        elif kind == "scan":
            call = (bench.scan, value, self.qty.value())
        elif kind in ("weigh", "scale"):
            call = (bench.weigh, value)
        else:
            call = (bench.command, value)
        if kind == "scale":  # the scale settles at any step: only its weighing is news
            self.inputs.run(*call, success=self._scale_view, failure=self._failed)
            return
        self._run(*call)

    def _scale_view(self, view: PackView) -> None:
        """A settled reading: at the weighing step it is the parcel's weight, shown like any
        step; at any other step the bench refused it (it changes nothing) and the packer is
        not interrupted: the reading stays on the weight display only."""
        if not view.accepted and view.reason in ("not_weighing", "no_order"):
            grams = view.message_args.get("grams")
            if view.reason == "not_weighing" and view.state is not None \
                    and grams is not None and grams == self._scale_on:
                self._held = (view.state.order.order_no, grams)  # kept for the weighing
            return
        self.show_view(view)

    def _weigh_held(self, view: PackView) -> None:
        """The order reached weighing with the scale still settled on a weight it reported
        before (the parcel already on it): that weight is the weighing now, a new scan in
        the bench's journal; the packer need not lift the parcel and put it back. Before
        the weighing step the bench still refuses a weight (it counts nothing)."""
        state = view.state
        if self._held is None or state is None or state.phase is not rules.Phase.WEIGHING:
            return
        order_no, grams = self._held
        if order_no != state.order.order_no or grams != self._scale_on:
            return
        self._held = None
        log.info("%s: weighed with the %d g the scale settled on before the weighing step",
                 order_no, grams)
        self.submit("scale", grams)

    def _start(self) -> PackView:
        """The bench as it was (after a crash), and ready for its first scan."""
        self.bench.warm_up()
        return self.bench.resume_open()

    def _run(self, fn: Any, *args: Any) -> None:
        self.inputs.run(fn, *args, success=self.show_view, failure=self._failed)

    def _retry_waybill(self) -> None:
        """The waiting order confirmed again (its waybill asked for again), unless the packer
        moved on or a scan is being handled."""
        state = self.bench.state
        if state is None or state.phase is not rules.Phase.LABELLING or self.inputs.busy \
                or self.view is None or self.view.reason not in WAITING_FOR_WAYBILL:
            return
        self._run(self.bench.command, ScanCommand.CONFIRM)

    def _failed(self, exc: BaseException) -> None:
        self.show_feedback("error", error_text(exc))
        feedback.play("error")

    # ---- the shift lead's override: badge (or user code) and PIN, checked as an approval

    def ask_lead(self) -> None:
        state = self.bench.state
        if state is None or state.phase is not rules.Phase.WEIGHING:
            return
        self.awaiting_lead = True
        self.approval.ask(self.approval_title(), state.order.order_no)
        self.show_feedback("error", self.tr("Waiting for the shift lead's approval"))

    def approval_title(self) -> str:
        return self.tr("Shift lead: scan your badge and enter your PIN (or type your user code "
                       "and password) to let this weight go")

    def _lead_scan(self, text: str) -> None:
        """A scan while the approval is open: a badge goes into it, anything else waits."""
        if parse_scan(text).kind is ScanKind.BADGE:
            self.approval.take_badge(text)
            return
        self.approval.message.setText(self.tr("First the shift lead's approval, or Esc"))
        feedback.play("error")

    def _approved(self, lead: Actor) -> None:
        self.awaiting_lead = False
        reason = self.tr("weight checked by the shift lead")
        self._run(self.bench.override, lead, reason)
        self.entry.setFocus()

    def _approval_cancelled(self) -> None:
        self.awaiting_lead = False
        self.show_feedback("error", self.tr("Weight outside the tolerance: check the parcel, "
                                            "or a shift lead lets it go (F9)"))
        self.entry.setFocus()

    # ---- showing

    def show_feedback(self, kind: str, text: str) -> None:
        if self.prompt.property("feedback") != kind:
            # A new style sheet is parsed and the prompt polished again: only when its colour
            # changes, not at every scan.
            self.prompt.setStyleSheet(feedback.style(kind, 20))
            self.prompt.setProperty("feedback", kind)
        self.prompt.setText(f"{feedback.symbol(kind)} {text}")

    def show_view(self, view: PackView) -> None:
        self.view = view
        said_before, self._waiting_said = self._waiting_said, None
        state = view.state
        self._weigh_held(view)
        self.qty.setValue(1)
        if view.wave is not None:
            wave, left, total = view.wave
            self.wave_label.setText(self.tr("%1 · %2 of %3 orders left")
                                    .replace("%1", wave).replace("%2", str(left))
                                    .replace("%3", str(total)))
        set_aside = state is not None and state.phase is rules.Phase.PAUSED and view.accepted
        self._fill(None if set_aside else state)
        sessions = (view.session_id, self.bench.session_id)
        if sessions != self._listed_for:
            # Orders are set aside or taken up only when the bench changes order or puts one
            # aside: the list is read again then, not after every unit.
            self._listed_for = sessions
            self._refresh_paused()
        self._prepare_label(view)
        if view.kind == "stop":
            why = str(view.message_args.get("why", ""))
            self.stop_panel.setText(self.tr("STOP ✋ %1 is intercepted (%2). Do not ship: put "
                                            "the items back for the put-back task.")
                                    .replace("%1", view.order_no).replace("%2", why))
            self.stop_panel.show()
            self.show_feedback("error", self.tr("Intercepted: set the items aside"))
            feedback.play("error")
            return
        self.stop_panel.hide()
        if not view.accepted:
            text = self.refusal_text(view)
            if view.reason in WAITING_FOR_WAYBILL:
                self._waybill_retry.start(self.retry_fetching_ms
                                          if view.reason == "waybill.fetching"
                                          else self.retry_offline_ms)
                self._waiting_said = text
            self.show_feedback("error", text)
            # The same wait said again by a retry: shown, but the packer heard it already.
            if self._waiting_said is None or text != said_before:
                feedback.play("error")
            return
        if view.reason == "wave":
            a = view.message_args
            if a.get("left"):
                text = self.tr("Wave %1: scan one item per order (%2 of %3 orders left)")
            else:
                text = self.tr("Wave %1: every order is packed (%3 orders)")
            self.show_feedback("ok", text.replace("%1", str(a.get("wave", "")))
                               .replace("%2", str(a.get("left", 0)))
                               .replace("%3", str(a.get("total", 0))))
            feedback.play("ok")
            return
        if view.reason == "reprinted":
            self.show_feedback("ok", self.tr("%1: label printed again (%2)")
                               .replace("%1", view.order_no)
                               .replace("%2", ", ".join(view.printed)))
            feedback.play("ok")
            return
        if state is None:
            self.show_feedback("idle", self.tr("Scan an order, a waybill or a slot"))
            return
        if set_aside:
            self.show_feedback("ok", self.tr("%1 set aside: scan it again, here or at another "
                                             "station, to carry on")
                               .replace("%1", state.order.order_no))
            feedback.play("ok")
            return
        if state.phase is rules.Phase.PACKED:
            snap = self.bench.snapshot
            prepacked = snap is not None and snap.order_no == state.order.order_no \
                and snap.balance_due
            self.show_feedback("done", (self.tr(
                "%1 pre-packed (%2): to the pre-pack shelf") if prepacked else self.tr("%1 packed: label printed (%2)"))
                               .replace("%1", state.order.order_no)
                               .replace("%2", ", ".join(view.printed)))
            feedback.play("done")
        elif state.phase is rules.Phase.WEIGHING:
            self.show_feedback("ok", self.tr("All items checked: put the parcel on the scale"))
            feedback.play("ok")
        elif view.reason == "taken_up":  # paused at another station, carried on here
            a = view.message_args
            self.show_feedback("ok", self.tr(
                "Taken up from %1 (%2): %3 units counted there, %4 more to scan")
                .replace("%1", str(a.get("station", ""))).replace("%2", str(a.get("packer", "")))
                .replace("%3", str(a.get("units", 0)))
                .replace("%4", str(rules.unit_count_left(state))))
            feedback.play("ok")
        elif view.message_args.get("recovered"):
            # Scans read before the station stopped, counted now (whoever took the order up):
            # said, so nobody scans those units again.
            self.show_feedback("ok", self.tr(
                "%1 scan(s) read before the station stopped are counted now · %2 more to scan")
                .replace("%1", str(view.message_args["recovered"]))
                .replace("%2", str(rules.unit_count_left(state))))
            feedback.play("ok")
        else:
            left = rules.unit_count_left(state)
            self.show_feedback("ok", self.tr("OK · %1 more to scan").replace("%1", str(left)))
            feedback.play("ok")

    def refusal_text(self, view: PackView) -> str:
        a = view.message_args
        texts = {
            "wrong_item": self.tr("Wrong item: not in this order. Put it aside"),
            "other_order": self.tr("This item belongs to %1, not to this order"),
            "extra_unit": self.tr("Extra unit: this item is complete already"),
            "too_many_units": self.tr("Too many: more than the order needs"),
            "qty_needs_prompt": self.tr("Scan the units one by one"),
            "box_empty": self.tr("The box is empty: scan an item first"),
            "weight_out_of_range": self.tr("Weight outside the tolerance: check the parcel, or "
                                           "a shift lead lets it go (F9)"),
            "already_packed": self.tr("%1 is packed already: it cannot be packed again"),
            "not_packable": self.tr("%1 is not ready for packing"),
            "not_ready_centrally": self.tr("%1 is %2 at the central database now: no label. "
                                           "Set it aside (F3) for the shift lead"),
            "finish_first": self.tr("Finish %1 first, or set it aside (F3)"),
            "no_order": self.tr("Scan an order first"),
            "incomplete": self.tr("Not every item is scanned yet"),
            "paused": self.tr("This order is set aside"),
            "unreadable": self.tr("Barcode unreadable (check digit wrong): scan it again"),
            "nothing_to_reprint": self.tr("%1 has no label yet: nothing to reprint"),
            "wave_done": self.tr("Every order of wave %3 is packed: nothing needs this item"),
            "not_in_wave": self.tr("No order of wave %3 needs this item: put it aside"),
            "not_weighing": self.tr("No weighing now: this order is at the step “%4”"),
            "not_verifying": self.tr("No items now: this order is at the step “%4”"),
            "not_labelling": self.tr("No label now: this order is at the step “%4”"),
            "not_an_item": self.tr("%5 is not an item: scan the item's barcode"),
            "repeated": self.tr("This scan was taken already: nothing is counted again"),
            "duplicate_event": self.tr("This step was taken already: nothing changes"),
            "no_such_box": self.tr("There is no such box"),
            "already_labelled": self.tr("This box has its label already"),
            "tracking_in_use": self.tr("This tracking number is on another box"),
            "not_weighed": self.tr("Not every box is weighed yet"),
            "not_labelled": self.tr("Not every box has its label yet"),
            "intercepted": self.tr("%1 is intercepted: do not ship it"),
            "not_paused": self.tr("This order is not set aside"),
        }
        if view.reason and view.reason not in texts:
            # A refusal in words of the services (an order this database does not know…).
            from app.ui.messages import wording

            worded = wording(view.reason)
            if worded is not None:
                try:
                    said = worded.format(**{k: str(v) for k, v in a.items()})
                except (KeyError, IndexError, ValueError):
                    said = None
                if said is not None and view.reason == "waybill.platform_unreachable" \
                        and a.get("retry_at"):
                    said += " " + self.tr("It is asked for again at %1.").replace(
                        "%1", str(a["retry_at"]))
                if said is not None:
                    return said
        text = texts.get(view.reason or "", view.reason or "")
        if view.reason == "wrong_item" and a.get("item"):  # the station knows the item
            text = self.tr("Wrong item: %6 is not in this order. Put it aside")
        if view.reason == "other_order":  # whose item it is, not the order on the bench
            order = str(a.get("other_order_no", ""))
        else:
            order = str(a.get("order", a.get("order_no", ""))) or view.order_no
        status = labels.label(labels.status_names(), str(a.get("status", "")))
        return (text.replace("%1", order).replace("%2", status)
                .replace("%3", str(a.get("wave", "")))
                .replace("%4", self.step_name(str(a.get("phase", ""))))
                .replace("%5", str(a.get("code", "")))
                .replace("%6", str(a.get("item", ""))))

    def step_name(self, phase: str) -> str:
        """The step of packing an order is at, as the packer knows it."""
        return {
            "verifying": self.tr("scan the items"),
            "weighing": self.tr("weigh the parcel"),
            "labelling": self.tr("print the label"),
            "packed": self.tr("packed"),
            "paused": self.tr("set aside"),
            "stopped": self.tr("intercepted"),
        }.get(phase, phase)

    def _fill(self, state: rules.PackState | None) -> None:
        if state is None:
            self.order_label.setText("")
            self.phase_label.setText("")
            self.receiver_label.setText("")
            self.box_label.setText("")
            self.remark_label.hide()
            self.prepack_label.hide()
            self.lines.setRowCount(0)
            return
        order = state.order
        self.order_label.setText(order.order_no)
        self._show_order_info(state)
        self.phase_label.setText(self.tr("box %1").replace("%1", str(state.current_box)))
        if self.lines.rowCount() != len(order.lines):
            self.lines.setRowCount(len(order.lines))
        for r, line in enumerate(order.lines):
            done = state.counted[line.line_no]
            complete = done >= line.qty
            boxes = [str(b.box_no) for b in state.boxes if b.items.get(line.line_no)]
            for c, text in enumerate((line.sku_code, line.name,
                                      ("✔ " if complete else "") + f"{done} / {line.qty}",
                                      ",".join(boxes))):
                # Only the cells that changed (a scan changes one line's count): the table
                # lays out and paints those, not every cell of the order again.
                item = self.lines.item(r, c)
                if item is not None and item.text() == text \
                        and item.data(Qt.ItemDataRole.UserRole) == complete:
                    continue
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                item.setData(Qt.ItemDataRole.UserRole, complete)
                if complete:
                    item.setForeground(QColor(ink("#1b5e20")))
                self.lines.setItem(r, c, item)

    def _show_order_info(self, state: rules.PackState) -> None:
        """The receiver (phone masked), the buyer's remark, large, and the box to take."""
        from app.printing.documents import mask_phone

        snap = self.bench.snapshot
        if snap is None or snap.order_no != state.order.order_no:
            return  # the bench moved on meanwhile: the next result fills it
        r = snap.receiver
        place = " ".join(p for p in (r.province, r.city, r.district) if p)
        self.receiver_label.setText(self.tr("To: %1  %2  ·  %3")
                                    .replace("%1", r.name)
                                    .replace("%2", mask_phone(r.phone))
                                    .replace("%3", place))
        size = rules.suggest_box(state.order)
        self.box_label.setText(self.tr("Box: mailer bag") if size == 0 else
                               self.tr("Box: carton No. %1").replace("%1", str(size)))
        remark = snap.remark.strip()
        self.remark_label.setText(self.tr("Buyer's remark: %1").replace("%1", remark))
        self.remark_label.setVisible(bool(remark))
        self.prepack_label.setText(self.tr(
            "PRE-PACK · balance not paid: pack and label as usual, then to the pre-pack shelf"))
        self.prepack_label.setVisible(snap.balance_due)

    def _prepare_label(self, view: PackView) -> None:
        """An order in progress: get its label ready between its scans (once per order)."""
        state = view.state
        if view.session_id is None or view.session_id == self._prepared_for or state is None \
                or state.phase in (rules.Phase.PACKED, rules.Phase.STOPPED, rules.Phase.PAUSED):
            return
        self._to_prepare = view.session_id
        self._prepare_timer.start(PREPARE_WHEN_IDLE_MS)

    def _prepare_now(self) -> None:
        """The bench has been idle for `PREPARE_WHEN_IDLE_MS`: the label is drawn now, on the
        screen's background thread (drawing takes the interpreter for some milliseconds, and a
        scan that came meanwhile would wait for it); the scan that completes the order waits
        for a drawing under way (`label_and_confirm`), the others do not."""
        if self.inputs.busy or self.inputs.pending:
            self._prepare_timer.start(PREPARE_WHEN_IDLE_MS)  # the packer is scanning
            return
        session = self._to_prepare
        if session is None or session == self._prepared_for \
                or session != self.bench.session_id:
            return
        self._prepared_for = session
        Task(self.bench.prepare_label).owned_by(self).failure(
            lambda exc: log.warning("label not got ready ahead: %s", exc)).start(
            self.background, BACKGROUND)

    def _refresh_paused(self) -> None:
        """The orders set aside, read off the GUI thread."""
        self.paused_loader.start(lambda: pending_sessions(self.runtime),
                                 success=self._show_paused, failure=lambda _exc: None,
                                 worker=self.background, priority=BACKGROUND)

    def _show_paused(self, sessions: list[dict[str, Any]]) -> None:
        self.paused.clear()
        words = {"paused": self.tr("set aside"), "open": self.tr("in progress")}
        for s in sessions:
            if self.bench.session_id != s["id"]:
                item = QListWidgetItem(f"{s['order_no']}  {words.get(s['status'], s['status'])}")
                item.setData(Qt.ItemDataRole.UserRole, s["order_no"])
                self.paused.addItem(item)

    def print_cards(self) -> None:
        from app.printing.documents import CommandCards
        from app.station import print_queue

        runtime, actor = self.runtime, self.actor

        def job() -> Any:
            queued = print_queue.enqueue(runtime.store, actor, runtime.printer_for("cards"),
                                         CommandCards(), kind="cards", ref="command cards",
                                         title="command cards")
            runtime.spooler.wake()
            return queued

        Task(job).owned_by(self).success(lambda q: self.show_feedback(
            "ok", self.tr("Command cards sent to %1").replace("%1", q.printer))).failure(
            lambda exc: self.show_feedback("error", error_text(exc))).start()
