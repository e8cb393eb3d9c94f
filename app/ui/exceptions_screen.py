"""The exception queue (异常处理): every order waiting for a person, oldest first, how far it
has escalated, and the suggested actions for the selected one — approve, retry, fix the
address, substitute a SKU, backorder, hold or cancel — each done off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from html import escape
from typing import Any

from app.domain.money import format_yuan
from app.domain.roles import Permission
from app.services import exceptions, orders
from app.services.changes import Change
from app.services.context import Actor
from app.services.database import Database
from app.services.exceptions import QueueItem
from app.ui import labels, timefmt
from app.ui.changes import follow
from app.ui.messages import describe_detail
from app.ui.qt import (
    QAbstractTableModel,
    QColor,
    QComboBox,
    QCoreApplication,
    QFont,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QLineEdit,
    QModelIndex,
    QPersistentModelIndex,
    QPushButton,
    QShortcut,
    QSplitter,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from app.ui.style import ink
from app.ui.tasks import Latest, Task
from app.ui.widgets import (
    ROW_HEIGHT,
    MessageLine,
    ask,
    bold,
    error_text,
    readable,
    row_table,
    with_shortcut_tip,
)

Index = QModelIndex | QPersistentModelIndex

# Escalation colours: pale to strong as the buyer waits longer. The level is also written
# as text (L1…L3) so it reads on a monochrome screen and for colour-blind staff.
LEVEL_COLORS = {1: "#fff2a8", 2: "#ffc680", 3: "#ff8a80"}
ADDRESS_FIELDS = ("name", "phone", "province", "city", "district", "address")
# The actions done with a small form rather than a single click.
FORM_ACTIONS = ("fix_address", "substitute")


def _load(db: Database, actor: Actor, category: str | None) -> tuple[list[QueueItem],
                                                                       dict[str, int]]:
    return exceptions.queue(db, actor, category=category), exceptions.counts(db, actor)


def level_text(level: int) -> str:
    return f"L{level}"


def age_text(hours: float) -> str:
    return f"{max(hours, 0.0):.1f}"


class ExceptionsModel(QAbstractTableModel):
    KEYS = ("level", "age", "order_no", "channel_order_no", "category", "receiver", "amount",
            "detail")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.items: list[QueueItem] = []
        self._titles = {
            "level": QCoreApplication.translate("exceptions", "Level"),
            "age": QCoreApplication.translate("exceptions", "Age (h)"),
            "order_no": QCoreApplication.translate("exceptions", "Order no."),
            "channel_order_no": QCoreApplication.translate("exceptions", "Channel order"),
            "category": QCoreApplication.translate("exceptions", "Category"),
            "receiver": QCoreApplication.translate("exceptions", "Receiver"),
            "amount": QCoreApplication.translate("exceptions", "Amount"),
            "detail": QCoreApplication.translate("exceptions", "Detail"),
        }
        self._categories = labels.exception_names()
        self._levels = labels.escalation_names()
        self._worded: dict[str, str] = {}
        # Ages grow while the screen stays open; the hours column follows without a query.
        self._clock = QTimer(self)
        self._clock.setInterval(60_000)
        self._clock.timeout.connect(self._tick)
        self._clock.start()

    def set_items(self, items: list[QueueItem]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self._worded = {}
        self.endResetModel()

    def worded(self, item: QueueItem) -> str:
        """The stored detail in the reader's language, worded once per load."""
        if item.detail not in self._worded:
            self._worded[item.detail] = describe_detail(item.detail)
        return self._worded[item.detail]

    def row_of(self, order_no: str) -> int:
        return next((i for i, it in enumerate(self.items) if it.order_no == order_no), -1)

    def remove(self, order_no: str) -> int:
        row = self.row_of(order_no)
        if row >= 0:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.items[row]
            self.endRemoveRows()
        return row

    def item(self, row: int) -> QueueItem | None:
        return self.items[row] if 0 <= row < len(self.items) else None

    def column_of(self, key: str) -> int:
        return self.KEYS.index(key)

    def _tick(self) -> None:
        if self.items:
            col = self.column_of("age")
            self.dataChanged.emit(self.index(0, col), self.index(len(self.items) - 1, col))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.KEYS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._titles[self.KEYS[section]]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.item(index.row()) if index.isValid() else None
        if item is None:
            return None
        key = self.KEYS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, key)
        if role == Qt.ItemDataRole.UserRole:
            return item.order_no
        if role == Qt.ItemDataRole.BackgroundRole and key in ("level", "age") and item.level:
            return QColor(LEVEL_COLORS.get(item.level, LEVEL_COLORS[3]))
        if role == Qt.ItemDataRole.ForegroundRole and key in ("level", "age") and item.level:
            return QColor("#000000")  # dark text on the pale level colours in any theme
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "level":
                return self._levels.get(item.level, "")
            if key == "detail":
                return self.worded(item)
            if key == "age":
                return timefmt.full(item.raised_at)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if key in ("age", "amount"):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if key == "level":
                return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.FontRole and key == "level" and item.level:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _display(self, item: QueueItem, key: str) -> str:
        if key == "level":
            return level_text(item.level)
        if key == "age":
            return age_text(item.age_hours(datetime.now(UTC)))
        if key == "order_no":
            return item.order_no
        if key == "channel_order_no":
            return item.channel_order_no
        if key == "category":
            return labels.label(self._categories, item.category)
        if key == "receiver":
            return labels.with_encrypted_tag(item.receiver_name, item.receiver_encrypted)
        if key == "amount":
            return "¥" + format_yuan(item.amount_fen)
        if key == "detail":
            return self.worded(item)
        return ""


class ExceptionsScreen(QWidget):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.setObjectName("exceptionsScreen")
        readable(self)
        self.can_resolve = actor.can(Permission.RESOLVE_EXCEPTIONS)
        # Replaced in tests; a modal question would wait for a click that never comes.
        self.confirm: Callable[[str, str], bool] = lambda title, text: ask(self, title, text)
        self.model = ExceptionsModel(self)
        self.counts: dict[str, int] = {}
        self._loads = Latest(self)
        self._busy = False
        self._first_load = True
        self._shown: QueueItem | None = None
        self._detail_for = ""
        self._actions = labels.exception_action_names()
        self._categories = labels.exception_names()

        # ------------------------------------------------ filter bar
        self.category = QComboBox()
        self.category.setObjectName("categoryFilter")
        self.category.setMinimumWidth(260)
        self.category.addItem(self.tr("All exceptions"), None)
        self.refresh_button = QPushButton(self.tr("Refresh (F5)"))
        self.escalate_button = QPushButton(self.tr("Escalate now"))
        self.escalate_button.setObjectName("escalateButton")
        self.escalate_button.setToolTip(self.tr(
            "Raise the level of every exception older than 24, 48 or 72 hours"))
        self.escalate_button.setEnabled(self.can_resolve)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Category")))
        bar.addWidget(self.category)
        bar.addStretch(1)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.escalate_button)

        # ------------------------------------------------ the queue
        self.table = row_table("exceptionsTable", self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for key, width in (("level", 50), ("age", 80), ("order_no", 165),
                           ("channel_order_no", 240), ("category", 145), ("receiver", 85),
                           ("amount", 105)):
            self.table.setColumnWidth(self.model.column_of(key), width)

        # ------------------------------------------------ the action panel
        self.panel = self._build_panel()

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(self.panel)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        split.setSizes([1150, 380])  # the queue gets the room; the panel its minimum

        self.message = MessageLine()
        self.message.setObjectName("exceptionsMessage")

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)

        self.category.currentIndexChanged.connect(self.reload)
        self.refresh_button.clicked.connect(self.reload)
        with_shortcut_tip(self.refresh_button, self.tr("Load the list again"), "F5")
        self.escalate_button.clicked.connect(self.escalate)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.reload)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self._show_item(None)
        self.message.info(self.tr("Loading…"))
        self.reload()
        follow(self, {Change.EXCEPTIONS}, self.reload)

    def _build_panel(self) -> QFrame:
        panel = QFrame()
        panel.setObjectName("exceptionPanel")
        panel.setFrameShape(QFrame.Shape.StyledPanel)
        panel.setMinimumWidth(380)
        self.heading = QLabel("")
        self.heading.setObjectName("exceptionHeading")
        self.heading.setWordWrap(True)
        bold(self.heading, 14)
        self.facts = QLabel("")
        self.facts.setObjectName("exceptionFacts")
        self.facts.setWordWrap(True)
        self.facts.setTextFormat(Qt.TextFormat.RichText)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.note = QLineEdit()
        self.note.setObjectName("resolutionNote")
        self.note.setPlaceholderText(self.tr("Note, kept with the resolution (optional)"))

        self.buttons: dict[str, QPushButton] = {}
        for code in (*exceptions.ACTION_TARGET, *exceptions.IN_PLACE_ACTIONS):
            button = QPushButton(labels.label(self._actions, code))
            button.setObjectName(f"action_{code}")
            button.setMinimumHeight(38)
            button.clicked.connect(lambda _=False, c=code: self.act(c))
            self.buttons[code] = button
        self.action_box = QVBoxLayout()
        self.action_box.setSpacing(6)
        for code, button in self.buttons.items():
            if code not in FORM_ACTIONS:
                self.action_box.addWidget(button)

        self.address_group = QGroupBox(self.tr("Correct the receiver"))
        self.address_group.setObjectName("addressForm")
        self.address: dict[str, QLineEdit] = {}
        form = QFormLayout(self.address_group)
        titles = {
            "name": self.tr("Name"), "phone": self.tr("Phone"),
            "province": self.tr("Province"), "city": self.tr("City"),
            "district": self.tr("District"), "address": self.tr("Street address"),
        }
        for name in ADDRESS_FIELDS:
            edit = QLineEdit()
            edit.setObjectName(f"address_{name}")
            edit.returnPressed.connect(lambda: self.act("fix_address"))
            self.address[name] = edit
            form.addRow(titles[name], edit)
        form.addRow(self.buttons["fix_address"])

        self.substitute_group = QGroupBox(self.tr("Ship another SKU instead"))
        self.substitute_group.setObjectName("substituteForm")
        self.sub_from = QComboBox()
        self.sub_from.setObjectName("substituteFrom")
        self.sub_from.setEditable(True)
        self.sub_to = QLineEdit()
        self.sub_to.setObjectName("substituteTo")
        self.sub_to.setPlaceholderText(self.tr("SKU code, e.g. SKU-00042"))
        self.sub_to.returnPressed.connect(lambda: self.act("substitute"))
        sub_form = QFormLayout(self.substitute_group)
        sub_form.addRow(self.tr("Replace"), self.sub_from)
        sub_form.addRow(self.tr("With"), self.sub_to)
        sub_form.addRow(self.buttons["substitute"])

        self.readonly_hint = QLabel(self.tr(
            "Your role can look at the exception queue but not resolve exceptions."))
        self.readonly_hint.setWordWrap(True)
        self.readonly_hint.setVisible(not self.can_resolve)

        box = QVBoxLayout(panel)
        box.addWidget(self.heading)
        box.addWidget(self.facts)
        box.addWidget(self.note)
        self.action_box.addWidget(self.address_group)
        self.action_box.addWidget(self.substitute_group)
        box.addLayout(self.action_box)
        box.addWidget(self.readonly_hint)
        box.addStretch(1)
        return panel

    # ------------------------------------------------------------ loading

    def reload(self) -> None:
        self._loads.start(_load, self.db, self.actor, self.category.currentData(),
                          success=self._loaded, failure=self._load_failed)

    def _loaded(self, result: tuple[list[QueueItem], dict[str, int]]) -> None:
        items, counts = result
        keep = self._shown.order_no if self._shown else ""
        keep_row = max(self.table.currentIndex().row(), 0)
        self.counts = counts
        self._fill_categories()
        self.model.set_items(items)
        if self._first_load:
            self._first_load = False
            self.message.info("")
        if items:
            row = self.model.row_of(keep) if keep else -1
            self._select(row if row >= 0 else min(keep_row, len(items) - 1))
        else:
            self._show_item(None)

    def _load_failed(self, exc: BaseException) -> None:
        self.message.error(self.tr("Could not load the exception queue: %1")
                           .replace("%1", error_text(exc)))

    def _fill_categories(self) -> None:
        current = self.category.currentData()
        self.category.blockSignals(True)
        self.category.clear()
        total = sum(self.counts.values())
        self.category.addItem(self.tr("All exceptions (%1)").replace("%1", str(total)), None)
        known = list(self._categories)
        ordered = sorted(self.counts, key=lambda c: (known.index(c) if c in known else 99, c))
        if current and current not in ordered:
            ordered.append(current)  # the chosen filter stays, showing (0)
        for code in ordered:
            name = labels.label(self._categories, code)
            self.category.addItem(f"{name} ({self.counts.get(code, 0)})", code)
        self.category.setCurrentIndex(max(self.category.findData(current), 0))
        self.category.blockSignals(False)

    def _select(self, row: int) -> None:
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        self._show_item(self.model.item(row))

    # ------------------------------------------------------------ the selected exception

    def current_item(self) -> QueueItem | None:
        return self.model.item(self.table.currentIndex().row())

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_item(self.model.item(current.row()))

    def _show_item(self, item: QueueItem | None) -> None:
        same = item is not None and self._shown is not None \
            and item.order_no == self._shown.order_no
        self._shown = item
        if item is None:
            self.heading.setText(self.tr("No exception selected"))
            self.facts.setText("")
            self._detail_for = ""
            self._update_buttons()
            return
        category = labels.label(self._categories, item.category)
        channel = labels.label(labels.channel_names(), item.channel)
        self.heading.setText(f"{item.order_no} · {category} · {level_text(item.level)}")
        if not same:
            self.facts.setText(f"<p>{escape(channel)} {escape(item.channel_order_no)}<br>"
                               f"{escape(describe_detail(item.detail))}</p>")
            for edit in self.address.values():
                edit.clear()
            self.sub_from.clear()
            self.sub_to.clear()
            self.note.clear()
            self._request_detail(item.order_no)
        self._update_buttons()

    def _request_detail(self, order_no: str) -> None:
        self._detail_for = order_no
        Task(orders.order_detail, self.db, self.actor, order_no).owned_by(self).success(
            self._detail_arrived).failure(
            lambda exc: self.message.error(error_text(exc))).start()

    def _detail_arrived(self, d: dict[str, Any]) -> None:
        if d["order_no"] != self._detail_for or self._shown is None:
            return
        item = self._shown
        r = d["receiver"]
        channel = labels.label(labels.channel_names(), item.channel)
        lines = "<br>".join(
            f"{escape(ln['sku'])} × {ln['qty']} {escape(ln['name'] or '')}" for ln in d["lines"])
        # tr() outside the f-strings: lupdate does not look inside them.
        remark_word, status_word = self.tr("Buyer remark"), self.tr("Status")
        raised_word = self.tr("Raised")
        remark = (f"<br><b>{escape(remark_word)}:</b> {escape(d['remark'])}"
                  if d["remark"] else "")
        self.facts.setText(
            f"<p>{escape(channel)} {escape(item.channel_order_no)}<br>"
            f"<span style='color:{ink('#b00020')}'>{escape(describe_detail(item.detail))}</span><br>"
            f"{escape(raised_word)}: {escape(timefmt.full(item.raised_at))}</p>"
            f"<p>{escape(r['name'])} {escape(r['phone'])}<br>{escape(r['province'])}"
            f"{escape(r['city'])}{escape(r['district'])}{escape(r['address'])}</p>"
            f"<p>{lines}{remark}</p>"
            f"<p>¥{escape(d['amount'])} · {escape(status_word)}: "
            f"{escape(labels.label(labels.status_names(), d['status']))}</p>")
        for name in ADDRESS_FIELDS:
            self.address[name].setText(r[name] or "")
        self.sub_from.clear()
        for ln in d["lines"]:
            self.sub_from.addItem(ln["sku"])

    def _update_buttons(self) -> None:
        item = self._shown
        actions = item.actions if item else ()
        usable = self.can_resolve and not self._busy and item is not None
        # Buttons and forms stand in the order the actions are suggested, most useful first,
        # so Ctrl+1, Ctrl+2… run down the panel as it reads.
        forms = {"fix_address": self.address_group, "substitute": self.substitute_group}
        for code in actions:
            widget = forms.get(code, self.buttons[code])
            self.action_box.removeWidget(widget)
            self.action_box.addWidget(widget)
        for n, code in enumerate(actions, start=1):
            button = self.buttons[code]
            key = QKeySequence(f"Ctrl+{n}")
            button.setShortcut(key)
            button.setText(f"{labels.label(self._actions, code)}   "
                           f"{key.toString(QKeySequence.SequenceFormat.NativeText)}")
            with_shortcut_tip(button, labels.label(self._actions, code), key)
        for code, button in self.buttons.items():
            button.setVisible(code in actions)
            button.setEnabled(usable and code in actions)
            if code not in actions:
                button.setShortcut(QKeySequence())
        self.address_group.setVisible("fix_address" in actions)
        self.substitute_group.setVisible("substitute" in actions)
        for edit in (*self.address.values(), self.sub_to, self.note):
            edit.setReadOnly(not self.can_resolve)
        self.sub_from.setEnabled(self.can_resolve)
        self.escalate_button.setEnabled(self.can_resolve and not self._busy)

    # ------------------------------------------------------------ acting

    def act(self, action: str) -> None:
        item = self._shown
        if item is None or self._busy or not self.can_resolve or action not in item.actions:
            return
        params: dict[str, str] | None = None
        if action == "fix_address":
            params = {name: edit.text().strip() for name, edit in self.address.items()}
        elif action == "substitute":
            params = {"from": self.sub_from.currentText().strip(),
                      "to": self.sub_to.text().strip()}
            if not params["from"] or not params["to"]:
                self.message.error(self.tr("Give the SKU to replace and the SKU to ship."))
                return
        if action == "cancel" and not self.confirm(
                self.tr("Cancel order"),
                self.tr("Cancel order %1? Its reserved stock is given back and it will not "
                        "ship.").replace("%1", item.order_no)):
            return
        self._busy = True
        self._update_buttons()
        self.message.info(self.tr("Working on %1…").replace("%1", item.order_no))
        Task(exceptions.resolve, self.db, self.actor, item.order_no, action,
             self.note.text().strip(), params).owned_by(self).success(
            lambda status: self._resolved(item.order_no, action, str(status))).failure(
            self._action_failed).start()

    def _resolved(self, order_no: str, action: str, status: str) -> None:
        self._busy = False
        row = self.model.remove(order_no)
        self.message.ok(self.tr("%1: %2 — now %3").replace("%1", order_no)
                        .replace("%2", labels.label(self._actions, action))
                        .replace("%3", labels.label(labels.status_names(), status)))
        if self.model.items:
            # The next exception comes up under the same keys: work down the queue.
            self._select(min(max(row, 0), len(self.model.items) - 1))
        else:
            self._show_item(None)
        self.table.setFocus()
        self.reload()

    def _action_failed(self, exc: BaseException) -> None:
        self._busy = False
        self._update_buttons()
        self.message.error(error_text(exc))

    def escalate(self) -> None:
        if self._busy or not self.can_resolve:
            return
        self._busy = True
        self._update_buttons()
        Task(exceptions.escalate, self.db, self.actor).owned_by(self).success(
            self._escalated).failure(self._action_failed).start()

    def _escalated(self, reached: dict[int, int]) -> None:
        self._busy = False
        self._update_buttons()
        if reached:
            parts = " · ".join(f"{level_text(level)} × {n}" for level, n in sorted(reached.items()))
            self.message.ok(self.tr("Escalated: %1").replace("%1", parts))
        else:
            self.message.ok(self.tr("Nothing to escalate: no exception passed a threshold."))
        self.reload()
