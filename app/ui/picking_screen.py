"""Picking: the picker claims a wave, sees the next task large (bin, item, quantity, cart
cells), scans the bin, then the item (each scan one unit, or the quantity typed first), and
moves on along the walking path. A wrong bin or item is refused with colour, sound and message
and changes nothing. Short picks and skips are one key each. A multi-item wave ends at the put
wall: each item scanned shows, large, the slot it goes into.

Scans come from any scanner (the device manager) or are typed into the entry line; they are
handled one at a time, in order, off the GUI thread.
"""

from __future__ import annotations

from typing import Any

from app.services import waves
from app.services.changes import Change
from app.services.context import Actor
from app.store.db import Database
from app.ui import feedback, labels
from app.ui.changes import follow
from app.ui.device_manager import DeviceManager, Scanned
from app.ui.qt import (
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QShortcut,
    QSpinBox,
    Qt,
    QVBoxLayout,
    QWidget,
)
from app.ui.tasks import InOrder, Task
from app.ui.widgets import bold, error_text, readable
from drivers.barcode import ScanKind, parse_scan

QTY_PROMPT_ABOVE = 5  # above this many units left, the quantity box takes focus


class PickingScreen(QWidget):
    def __init__(self, db: Database, actor: Actor, devices: DeviceManager | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pickingScreen")
        self.db = db
        self.actor = actor
        self.wave: waves.WaveView | None = None
        self.step = "wave"  # wave → bin → item …; put at the put wall
        self.scans = InOrder(self, self._handle)

        self.available = QListWidget()
        self.available.setObjectName("releasedWaves")
        readable(self.available, 14)
        self.available.itemActivated.connect(lambda item: self.handle(item.text().split()[0]))
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.clicked.connect(self.load_available)

        self.header = QLabel("")
        self.header.setObjectName("pickHeader")
        bold(self.header, 16)
        self.bin_label = QLabel("")
        self.bin_label.setObjectName("pickBin")
        self.bin_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        bold(self.bin_label, 44)
        self.item_label = QLabel("")
        self.item_label.setObjectName("pickItem")
        self.item_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.item_label.setWordWrap(True)
        bold(self.item_label, 24)
        self.qty_label = QLabel("")
        self.qty_label.setObjectName("pickQty")
        self.qty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        bold(self.qty_label, 40)
        self.cells_label = QLabel("")
        self.cells_label.setObjectName("pickCells")
        self.cells_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        readable(self.cells_label, 16)
        self.prompt = QLabel("")
        self.prompt.setObjectName("pickPrompt")
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prompt.setWordWrap(True)

        self.entry = QLineEdit()
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
        QShortcut(QKeySequence("F6"), self, activated=self.skip)
        QShortcut(QKeySequence("F8"), self, activated=self.short)
        self.putbacks = QListWidget()
        self.putbacks.setObjectName("putbacks")
        self.putbacks.setMaximumHeight(110)

        left = QVBoxLayout()
        title = QLabel(self.tr("Waves to pick"))
        bold(title, 14)
        left.addWidget(title)
        left.addWidget(self.available, 1)
        left.addWidget(self.refresh_button)
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
        pb = QLabel(self.tr("Put back (放回)"))
        bold(pb, 12)
        task.addWidget(pb)
        task.addWidget(self.putbacks)
        outer = QHBoxLayout(self)
        side = QWidget()
        side.setLayout(left)
        side.setMaximumWidth(320)
        outer.addWidget(side)
        outer.addLayout(task, 1)

        if devices is not None:
            devices.scanned.connect(self._device_scan)
        self.show_feedback("idle", self.tr("Scan a wave (WAVE-…) or pick one from the list"))
        self._render()
        self.load_available()
        follow(self, {Change.WAVES}, self.load_available)

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

    def handle(self, text: str) -> None:
        """One scan, whatever it came from: queued and handled in order."""
        self.scans.put(text)

    def _handle(self, text: str) -> None:
        scan = parse_scan(text)
        if scan.kind is ScanKind.WAVE and (self.wave is None or self.wave.done):
            self._run(waves.claim, self.db, self.actor, scan.value, then=self._claimed)
        elif self.wave is None:
            self._refuse(self.tr("Scan a wave first (WAVE-…)"))
        elif self.step == "put":
            self._run(waves.put, self.db, self.actor, self.wave.wave_no, text,
                      then=self._put_done)
        elif self.step == "bin":
            task = self.wave.current
            assert task is not None
            self._run(waves.confirm_bin, self.db, self.actor, self.wave.wave_no, task.seq,
                      text, then=self._at_bin)
        else:
            task = self.wave.current
            assert task is not None
            qty = max(self.qty.value(), 1)
            self._run(waves.pick, self.db, self.actor, self.wave.wave_no, task.seq, text, qty,
                      then=self._picked)

    def _run(self, fn: Any, *args: Any, then: Any) -> None:
        self.scans.run(fn, *args, success=then,
                       failure=lambda exc: self._refuse(self.refusal_text(exc)))

    # ---- outcomes

    def _claimed(self, view: waves.WaveView) -> None:
        self.wave = view
        self.step = "put" if view.status == "picked" else "bin"
        self.show_feedback("ok", self.tr("%1 is yours").replace("%1", view.wave_no))
        feedback.play("ok")
        self._render()

    def _at_bin(self, _code: str) -> None:
        self.step = "item"
        feedback.play("ok")
        task = self.wave.current if self.wave else None
        if task and task.qty - task.picked > QTY_PROMPT_ABOVE:
            self.show_feedback("ok", self.tr("Right bin. Type the quantity, then scan the "
                                             "item"))
            self.qty.setFocus()
            self.qty.selectAll()
        else:
            self.show_feedback("ok", self.tr("Right bin. Scan the item"))
        self._render()

    def _picked(self, view: waves.WaveView) -> None:
        before = self.wave.current.seq if self.wave and self.wave.current else None
        self.wave = view
        self.qty.setValue(1)
        if view.done:
            if view.strategy in waves.PUT_WALL:
                self.step = "put"
                self.show_feedback("done", self.tr("Wave picked. Take the cart to the put wall "
                                                   "and scan each item"))
            else:
                self.step = "wave"
                self.show_feedback("done", self.tr("Wave picked. Take it to packing"))
            feedback.play("done")
        elif view.current is not None and view.current.seq != before:
            self.step = "bin"
            self.show_feedback("ok", self.tr("Task done. Next bin"))
            feedback.play("ok")
        else:
            self.show_feedback("ok", self.tr("OK, scan the next unit"))
            feedback.play("ok")
        self._render()
        self.load_available()

    def _put_done(self, put: waves.Put) -> None:
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

    def refusal_text(self, exc: BaseException) -> str:
        """What the picker reads for a refused scan, in the floor's language."""
        task = self.wave.current if self.wave else None
        code = getattr(exc, "code", None)
        if not isinstance(exc, waves.ScanRefused) or task is None:
            return error_text(exc)
        if code == "wrong_bin":
            return self.tr("Wrong bin: go to %1").replace("%1", task.bin_code)
        if code == "not_a_bin":
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

    # ---- keys

    def skip(self) -> None:
        task = self.wave.current if self.wave else None
        if task is None or self.busy:
            return
        self._run(waves.skip, self.db, self.actor, self.wave.wave_no, task.seq,  # type: ignore[union-attr]
                  then=self._skipped)

    def _skipped(self, view: waves.WaveView) -> None:
        self.wave = view
        self.step = "bin"
        self.show_feedback("ok", self.tr("Skipped: it comes back at the end"))
        self._render()

    def short(self) -> None:
        task = self.wave.current if self.wave else None
        if task is None or self.busy:
            return
        found = self.qty.value()
        self._run(waves.short_pick, self.db, self.actor, self.wave.wave_no,  # type: ignore[union-attr]
                  task.seq, found, then=self._shorted)

    def _shorted(self, view: waves.WaveView) -> None:
        self.wave = view
        self.qty.setValue(1)
        self.step = "put" if view.done and view.strategy in waves.PUT_WALL else "bin"
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
        if view is None:
            self.header.setText(self.tr("No wave"))
            for w in (self.bin_label, self.item_label, self.qty_label, self.cells_label):
                w.setText("")
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
        elif self.step != "put":
            for w in (self.bin_label, self.item_label, self.qty_label, self.cells_label):
                w.setText("")
        self.putbacks.clear()
        for p in view.putbacks:
            if p["status"] == "open":
                self.putbacks.addItem(f"{p['bin']}  ←  {p['sku']} ×{p['qty']}  ({p['order_no']})")

    def load_available(self) -> None:
        Task(waves.list_waves, self.db, self.actor, status=["released"]).owned_by(
            self).success(self._show_available).failure(lambda _e: None).start()

    def _show_available(self, rows: list[dict[str, Any]]) -> None:
        self.available.clear()
        for r in rows:
            self.available.addItem(f"{r['wave_no']}  {r['warehouse']}  "
                                   f"{labels.label(labels.strategy_names(), r['strategy'])}  "
                                   + self.tr("%1 units").replace("%1", str(r["units"])))
