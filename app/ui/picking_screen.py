"""Picking: the picker claims a wave, sees the next task large (bin, item, quantity, cart
cells), scans the bin, then the item (each scan one unit, or the quantity typed first), and
moves on along the walking path. A wrong bin or item, or an item before its bin, is refused
with colour, sound and message and changes nothing. The step (bin or item) is the service's:
the screen shows what the service says of the task, so a picker who logs in again, here or on
another scanner, is back on the wave they hold at the same step. Short picks (asked first) and
skips are one key each; a picker who must stop hands the wave back (another picker carries on)
or, before picking anything, abandons it to the queue. A multi-item wave ends at the put wall:
each item scanned shows, large, the slot it goes into.

Scans come from any scanner (the device manager) or are typed into the entry line; they are
handled one at a time, in order, off the GUI thread.
"""

from __future__ import annotations

from typing import Any

from app.domain.picking_steps import PickStep
from app.services import picking, put_wall, waves
from app.services.changes import Change
from app.services.context import Actor
from app.services.database import Database
from app.services.errors import ScanRefused
from app.station.devices import Scanned
from app.ui import feedback, labels
from app.ui.changes import follow
from app.ui.device_manager import DeviceManager
from app.ui.qt import (
    QFontMetrics,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QShortcut,
    QSizePolicy,
    QSpinBox,
    Qt,
    QVBoxLayout,
    QWidget,
)
from app.ui.tasks import InOrder, Task
from app.ui.widgets import ask, bold, error_text, readable, scan_field, with_shortcut_tip
from drivers.barcode import ScanKind, parse_scan

QTY_PROMPT_ABOVE = 5  # above this many units left, the quantity box takes focus
BIN_POINTS, QTY_POINTS = 44, 40  # the bin and the count, read from the cart
SIDE_WIDTH = 380  # the waves to pick: number, warehouse, units / band, strategy, whole


class PickingScreen(QWidget):
    def __init__(self, db: Database, actor: Actor, devices: DeviceManager | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pickingScreen")
        self.db = db
        self.actor = actor
        self._wave: picking.WaveView | None = None
        self._answers = 0  # how many times the wave in hand was set: a reload older is stale
        self.scans = InOrder(self, self._handle)

        self.available = QListWidget()
        self.available.setObjectName("releasedWaves")
        readable(self.available, 13)
        self.available.setWordWrap(True)
        self.available.setSpacing(2)
        self.available.itemActivated.connect(lambda item: self.handle(item.text().split()[0]))
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        self.hand_back_button = QPushButton(self.tr("Hand back (F7)"))
        self.hand_back_button.setObjectName("handBackButton")
        with_shortcut_tip(self.hand_back_button, self.tr(
            "Stop here: the wave goes back to the list with what you picked, for another "
            "picker"), "F7")
        self.hand_back_button.clicked.connect(self.hand_back)
        self.abandon_button = QPushButton(self.tr("Abandon (F11)"))
        self.abandon_button.setObjectName("abandonButton")
        with_shortcut_tip(self.abandon_button, self.tr(
            "Nothing picked yet: the wave's orders go back to the queue"), "F11")
        self.abandon_button.clicked.connect(self.abandon)
        QShortcut(QKeySequence("F7"), self, self.hand_back)
        QShortcut(QKeySequence("F11"), self, self.abandon)

        self.header = QLabel("")
        self.header.setObjectName("pickHeader")
        bold(self.header, 16)
        self.bin_label = QLabel("")
        self.bin_label.setObjectName("pickBin")
        self.bin_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        bold(self.bin_label, BIN_POINTS)
        self.item_label = QLabel("")
        self.item_label.setObjectName("pickItem")
        self.item_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.item_label.setWordWrap(True)
        bold(self.item_label, 24)
        self.qty_label = QLabel("")
        self.qty_label.setObjectName("pickQty")
        self.qty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        bold(self.qty_label, QTY_POINTS)
        self.cells_label = QLabel("")
        self.cells_label.setObjectName("pickCells")
        self.cells_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        readable(self.cells_label, 16)
        self.prompt = QLabel("")
        self.prompt.setObjectName("pickPrompt")
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # Long names, many cart cells, a long message: they wrap; the window's width is the
        # station's, never the longest text's.
        for label in (self.header, self.item_label, self.cells_label, self.prompt):
            label.setWordWrap(True)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        # A bin code and a count are read whole from a distance: never broken over two
        # lines, their type shrinks to the width instead.
        for label in (self.bin_label, self.qty_label):
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        self.entry = scan_field(QLineEdit())
        self.setFocusProxy(self.entry)  # the screen's keyboard is its scan field
        self.entry.setObjectName("scanEntry")
        self.entry.setPlaceholderText(self.tr("Scan or type a code, then Enter"))
        readable(self.entry, 16)
        self.entry.returnPressed.connect(self._typed)
        self.qty = QSpinBox()
        self.qty.setObjectName("pickQtyInput")
        self.qty.setRange(0, 9999)
        self.qty.setValue(1)
        readable(self.qty, 16)
        self.skip_button = QPushButton(self.tr("Skip (F6)"))
        self.skip_button.setObjectName("skipButton")
        self.skip_button.clicked.connect(self.skip)
        self.short_button = QPushButton(self.tr("Short: only the quantity found (F8)"))
        self.short_button.setObjectName("shortButton")
        self.short_button.clicked.connect(self.short)
        with_shortcut_tip(self.skip_button, self.tr("Come back to this bin later"), "F6")
        with_shortcut_tip(self.short_button, self.tr(
            "The bin holds fewer than asked: take what is there"), "F8")
        QShortcut(QKeySequence("F6"), self, self.skip)
        QShortcut(QKeySequence("F8"), self, self.short)
        self.putbacks = QListWidget()
        self.putbacks.setObjectName("putbacks")
        self.putbacks.setMaximumHeight(110)

        left = QVBoxLayout()
        title = QLabel(self.tr("Waves to pick"))
        bold(title, 14)
        left.addWidget(title)
        left.addWidget(self.available, 1)
        left.addWidget(self.refresh_button)
        left.addWidget(self.hand_back_button)
        left.addWidget(self.abandon_button)
        task = QVBoxLayout()
        task.addWidget(self.header)
        task.addWidget(self.bin_label)
        task.addWidget(self.item_label)
        task.addWidget(self.qty_label)
        task.addWidget(self.cells_label)
        task.addWidget(self.prompt)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Quantity")))
        row.addWidget(self.qty)
        row.addWidget(self.entry, 1)
        task.addLayout(row)
        keys = QHBoxLayout()
        keys.addWidget(self.skip_button)
        keys.addWidget(self.short_button)
        keys.addStretch(1)
        task.addLayout(keys)
        pb = QLabel(self.tr("Put back"))
        bold(pb, 12)
        task.addWidget(pb)
        task.addWidget(self.putbacks)
        outer = QHBoxLayout(self)
        side = QWidget()
        side.setLayout(left)
        side.setFixedWidth(SIDE_WIDTH)
        outer.addWidget(side)
        outer.addLayout(task, 1)

        if devices is not None:
            devices.scanned.connect(self._device_scan)
        self.show_feedback("idle", self.tr("Scan a wave (WAVE-…) or pick one from the list"))
        self._render()
        self.refresh()
        self._resume()
        follow(self, {Change.WAVES, Change.PICKING}, self.refresh)

    # ---- input

    def _device_scan(self, event: Scanned) -> None:
        if self.isVisible():
            self.handle(event.scan.text)

    def _typed(self) -> None:
        text = self.entry.text().strip()
        self.entry.clear()
        if text:
            self.handle(text)

    @property
    def busy(self) -> bool:
        return self.scans.busy

    @property
    def wave(self) -> picking.WaveView | None:
        """The wave in hand, as the service last said it."""
        return self._wave

    @wave.setter
    def wave(self, view: picking.WaveView | None) -> None:
        self._wave = view
        self._answers += 1

    @property
    def step(self) -> str:
        """What the next scan is for, as the service says where the picker is: "wave" (none
        in hand, or the last one picked), "bin" or "item" at the current task, "put" at the
        put wall."""
        view = self.wave
        if view is None:
            return "wave"
        if view.status == "picked" and view.sorted_at_put_wall:
            return "put"
        task = view.current
        if view.status != "picking" or task is None:
            return "wave"
        return "item" if task.step is PickStep.BIN_CONFIRMED else "bin"

    def handle(self, text: str) -> None:
        """One scan, whatever it came from: queued and handled in order."""
        self.scans.put(text)

    def _handle(self, text: str) -> None:
        scan = parse_scan(text)
        if scan.kind is ScanKind.BADGE:
            # A badge is a secret, not a bin or an item: never passed on, never recorded.
            self._refuse(self.tr("A badge is not a bin or an item"))
        elif scan.kind is ScanKind.WAVE and (self.wave is None or self.wave.done):
            self._run(picking.claim, self.db, self.actor, scan.value, then=self._claimed)
        elif self.step == "put":
            assert self.wave is not None
            self._run(put_wall.put, self.db, self.actor, self.wave.wave_no, text,
                      then=self._put_done)
        elif self.wave is None or self.wave.current is None:
            self._refuse(self.tr("Scan a wave first (WAVE-…)"))
        elif scan.kind is ScanKind.BIN:
            # The service keeps the steps (bin before item): a bin scan confirms the bin,
            # anything else is an item for the task, refused there before its bin.
            self._run(picking.confirm_bin, self.db, self.actor, self.wave.wave_no,
                      self.wave.current.seq, text, then=self._at_bin)
        else:
            qty = max(self.qty.value(), 1)
            self._run(picking.pick, self.db, self.actor, self.wave.wave_no,
                      self.wave.current.seq, text, qty, then=self._picked)

    def _run(self, fn: Any, *args: Any, then: Any) -> None:
        self.scans.run(fn, *args, success=then,
                       failure=lambda exc: self._refuse(self.refusal_text(exc)))

    # ---- outcomes

    def _claimed(self, view: picking.WaveView) -> None:
        self.wave = view
        self.show_feedback("ok", self.tr("%1 is yours").replace("%1", view.wave_no))
        feedback.play("ok")
        self._render()
        self.load_available()  # it is no longer one to pick

    def _at_bin(self, view: picking.WaveView) -> None:
        self.wave = view
        feedback.play("ok")
        task = view.current
        if task and task.qty - task.picked > QTY_PROMPT_ABOVE:
            self.show_feedback("ok", self.tr("Right bin. Type the quantity, then scan the "
                                             "item"))
            self.qty.setFocus()
            self.qty.selectAll()
        else:
            self.show_feedback("ok", self.tr("Right bin. Scan the item"))
        self._render()

    def _picked(self, view: picking.WaveView) -> None:
        before = self.wave.current.seq if self.wave and self.wave.current else None
        self.wave = view
        self.qty.setValue(1)
        if view.done:
            if view.sorted_at_put_wall:
                self.show_feedback("done", self.tr("Wave picked. Take the cart to the put wall "
                                                   "and scan each item"))
            else:
                self.show_feedback("done", self.tr("Wave picked. Take it to packing"))
            feedback.play("done")
        elif view.current is not None and view.current.seq != before:
            self.show_feedback("ok", self.tr("Task done. Next bin"))
            feedback.play("ok")
        else:
            self.show_feedback("ok", self.tr("OK, scan the next unit"))
            feedback.play("ok")
        self._render()
        self.load_available()

    def _put_done(self, put: put_wall.Put) -> None:
        self.bin_label.setText(self.tr("Slot %1").replace("%1", str(put.slot)))
        self.item_label.setText(put.order_no)
        if put.slot_complete:
            self.qty_label.setText("★")
            self.show_feedback("done", self.tr("Slot %1 complete: to packing")
                               .replace("%1", str(put.slot)))
            feedback.play("done")
        else:
            self.qty_label.setText(self.tr("%1 more").replace("%1", str(put.remaining)))
            self.show_feedback("ok", self.tr("Into slot %1").replace("%1", str(put.slot)))
            feedback.play("ok")
        self._fit_big_labels()

    def refusal_text(self, exc: BaseException) -> str:
        """What the picker reads for a refused scan, in the floor's language."""
        task = self.wave.current if self.wave else None
        code = getattr(exc, "kind", None)
        if not isinstance(exc, ScanRefused) or task is None:
            return error_text(exc)
        if code == "wrong_bin":
            return self.tr("Wrong bin: go to %1").replace("%1", task.bin_code)
        if code in ("not_a_bin", "bin_first"):
            return self.tr("Scan the bin %1 first").replace("%1", task.bin_code)
        if code == "wrong_item":
            return self.tr("Wrong item: this task is %1 %2").replace(
                "%1", task.sku_code).replace("%2", task.sku_name)
        if code == "extra":
            return self.tr("Too many: %1 left to pick here").replace(
                "%1", str(task.qty - task.picked))
        if code == "qty":
            return self.tr("Check the quantity: %1 left to pick here").replace(
                "%1", str(task.qty - task.picked))
        return error_text(exc)

    def _refuse(self, message: str) -> None:
        self.show_feedback("error", message)
        feedback.play("error")

    def _resume(self) -> None:
        """Back on the wave this picker holds (logged out mid-wave, or the station restarted)."""
        Task(picking.held_wave, self.db, self.actor).owned_by(self).success(
            self._resumed).failure(lambda exc: self._refuse(error_text(exc))).start()

    def _resumed(self, view: picking.WaveView | None) -> None:
        if view is None or self.wave is not None:
            return
        self.wave = view
        self.show_feedback("ok", self.tr("Back on %1 where you left it").replace(
            "%1", view.wave_no))
        self._render()
        self.load_available()

    # ---- keys

    def hand_back(self) -> None:
        wave = self.wave
        if wave is None or wave.status != "picking" or self.busy:
            return
        if not ask(self, self.tr("Hand back"), self.tr(
                "Hand %1 back? What you picked stays picked; another picker carries on "
                "from the next task.").replace("%1", wave.wave_no)):
            return
        self._run(picking.hand_back, self.db, self.actor, wave.wave_no, "handed back at picking",
                  then=lambda _view: self._let_go(self.tr("%1 handed back: it is in the list "
                                                          "for the next picker")
                                                  .replace("%1", wave.wave_no)))

    def abandon(self) -> None:
        wave = self.wave
        if wave is None or wave.status != "picking" or self.busy:
            return
        if not ask(self, self.tr("Abandon wave"), self.tr(
                "Abandon %1? Its orders go back to the queue for a new wave.").replace(
                "%1", wave.wave_no)):
            return
        self._run(picking.abandon, self.db, self.actor, wave.wave_no, "abandoned at picking",
                  then=lambda n: self._let_go(self.tr("%1 abandoned: %2 orders back in the "
                                                      "queue").replace("%1", wave.wave_no)
                                              .replace("%2", str(n))))

    def _let_go(self, message: str) -> None:
        self.wave = None
        self.qty.setValue(1)
        self.show_feedback("ok", message)
        feedback.play("ok")
        self._render()
        self.load_available()

    def skip(self) -> None:
        task = self.wave.current if self.wave else None
        if task is None or self.busy:
            return
        self._run(picking.skip, self.db, self.actor, self.wave.wave_no, task.seq,  # type: ignore[union-attr]
                  then=self._skipped)

    def _skipped(self, view: picking.WaveView) -> None:
        self.wave = view
        self.show_feedback("ok", self.tr("Skipped: it comes back at the end"))
        self._render()

    def short(self) -> None:
        task = self.wave.current if self.wave else None
        if task is None or self.busy:
            return
        found = self.qty.value()
        # One key changes stock and takes orders out of the wave: asked first, No by default,
        # so an Enter pressed out of habit changes nothing.
        if not ask(self, self.tr("Short pick"), self.tr(
                "Only %1 of %2 × %3 found in %4? The orders that go without leave the wave "
                "for the shift lead.").replace("%1", str(found))
                .replace("%2", str(task.qty - task.picked)).replace("%3", task.sku_code)
                .replace("%4", task.bin_code)):
            return
        if self.wave is None or self.wave.current != task:
            return  # the wave moved on while the question was open
        self._run(picking.short_pick, self.db, self.actor, self.wave.wave_no, task.seq, found,
                  then=self._shorted)

    def _shorted(self, view: picking.WaveView) -> None:
        self.wave = view
        self.qty.setValue(1)
        self.show_feedback("error", self.tr("Short pick recorded: the shift lead sees the "
                                            "exception; the wave goes on"))
        feedback.play("error")
        self._render()

    # ---- showing

    def show_feedback(self, kind: str, text: str) -> None:
        self.prompt.setStyleSheet(feedback.style(kind, 18))
        self.prompt.setText(f"{feedback.symbol(kind)} {text}")
        self.prompt.setProperty("feedback", kind)

    def _render(self) -> None:
        view = self.wave
        has_task = view is not None and view.current is not None and self.step in ("bin",
                                                                                  "item")
        self.skip_button.setEnabled(has_task)
        self.short_button.setEnabled(has_task)
        holding = view is not None and view.status == "picking"
        self.hand_back_button.setEnabled(holding)
        self.abandon_button.setEnabled(view is not None and holding
                                       and not any(t.picked for t in view.tasks))
        if view is None:
            self.header.setText(self.tr("No wave"))
            self._clear_task()
            return
        total = sum(t.qty for t in view.tasks)
        picked = sum(t.picked for t in view.tasks)
        self.header.setText(f"{view.wave_no} · "
                            f"{labels.label(labels.strategy_names(), view.strategy)} · "
                            + self.tr("%1 of %2 units").replace("%1", str(picked))
                            .replace("%2", str(total)))
        task = view.current
        if task is not None and self.step in ("bin", "item"):
            self.bin_label.setText(("➜ " if self.step == "bin" else "✔ ") + task.bin_code)
            self.item_label.setText(f"{task.sku_code}\n{task.sku_name}")
            self.qty_label.setText(f"{task.picked} / {task.qty}")
            self.cells_label.setText("   ".join(
                (self.tr("cell %1").replace("%1", str(cell)) if cell else no) + f" ×{qty}"
                for no, qty, cell in task.cells))
        else:  # no task to show: nothing of the last one may linger (at the put wall too)
            self._clear_task()
            if self.step == "put":
                self.bin_label.setText(self.tr("Put wall"))
                self.item_label.setText(self.tr("Scan each item: its slot shows here"))
        self._fit_big_labels()
        self.putbacks.clear()
        for p in view.putbacks:
            if p["status"] == "open":
                self.putbacks.addItem(f"{p['bin']}  ←  {p['sku']} ×{p['qty']}  ({p['order_no']})")

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit_big_labels()

    def _fit_big_labels(self) -> None:
        for label, points in ((self.bin_label, BIN_POINTS), (self.qty_label, QTY_POINTS)):
            font = label.font()
            font.setPointSizeF(points)
            room = label.width() - 8
            wide = QFontMetrics(font).horizontalAdvance(label.text())
            if room > 0 and wide > room:
                font.setPointSizeF(max(points * room / wide, 12))
            label.setFont(font)

    def _clear_task(self) -> None:
        for w in (self.bin_label, self.item_label, self.qty_label, self.cells_label):
            w.setText("")

    def refresh(self) -> None:
        """Reload the waves to pick and the wave in hand, off the GUI thread (called when
        waves or picking change elsewhere)."""
        self.load_available()
        wave = self.wave
        if wave is not None and not self.busy:
            asked = self._answers
            Task(picking.view, self.db, self.actor, wave.wave_no).owned_by(self).success(
                lambda view: self._reloaded(view, asked)).failure(lambda _e: None).start()

    def _reloaded(self, view: picking.WaveView, asked: int) -> None:
        # Only if nothing happened here meanwhile: a scan's own answer, arrived while the
        # reload was on its way, is newer (the reload may have read before that scan).
        if self.wave is None or self.wave.wave_no != view.wave_no or self.busy \
                or self._answers != asked:
            return
        if view.status in ("cancelled", "released"):  # taken away by the shift lead
            self._let_go(self.tr("%1 is no longer yours (%2)").replace("%1", view.wave_no)
                         .replace("%2", labels.label(labels.wave_status_names(), view.status)))
            return
        self.wave = view
        self._render()

    def load_available(self) -> None:
        Task(waves.list_waves, self.db, self.actor, status=["released"]).owned_by(
            self).success(self._show_available).failure(lambda _e: None).start()

    def _show_available(self, rows: list[dict[str, Any]]) -> None:
        self.available.clear()
        held = self.wave.wave_no if self.wave is not None else None
        # Two short lines each, most urgent band first (as the service sorts them), so the
        # narrow list shows every wave whole; the wave number stays the first word. The wave
        # in hand is not one to pick (a list loaded before the claim may still name it).
        for r in rows:
            if r["wave_no"] == held:
                continue
            self.available.addItem(
                f"{r['wave_no']}  {r['warehouse']}  "
                + self.tr("%1 units").replace("%1", str(r["units"]))
                + f"\n  {labels.label(labels.band_names(), r['band'])} · "
                f"{labels.label(labels.strategy_names(), r['strategy'])}")
