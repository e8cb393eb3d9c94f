"""The review-rules editor (审单规则): the ordered rule list the engine runs on every new order,
each rule switched on or off, its parameters edited as JSON, its place moved up or down.
Everyone who sees orders may read the list; only a role with rules.edit changes it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from app.domain.roles import Permission
from app.services import rules
from app.services.context import Actor
from app.services.database import Database
from app.services.rules import RuleView
from app.ui import labels
from app.ui.qt import (
    QAbstractItemView,
    QCheckBox,
    QCoreApplication,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QLineEdit,
    QPushButton,
    QShortcut,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from app.ui.style import ink
from app.ui.tasks import Latest, Task
from app.ui.widgets import (
    COLOR_ERROR,
    MessageLine,
    error_text,
    mark_invalid,
    readable,
    with_shortcut_tip,
)

COLUMNS = ("position", "enabled", "name", "code", "params", "actions")


def param_hints() -> dict[str, str]:
    """What each parameter means, shown as the field's tooltip."""
    return {
        "tolerance_fen": QCoreApplication.translate(
            "rules", "tolerance_fen: difference allowed between the order amount and its "
                     "lines minus discounts, in fen (1 yuan = 100 fen)"),
        "threshold_fen": QCoreApplication.translate(
            "rules", "threshold_fen: orders above this amount, in fen, wait for a person "
                     "(500000 = 5,000 yuan)"),
        "ignore": QCoreApplication.translate(
            "rules", "ignore: buyer remarks that need no person, as a list of phrases"),
        "min_level": QCoreApplication.translate(
            "rules", "min_level: the lowest VIP level that gets priority (0-10)"),
    }


def params_text(params: dict[str, Any]) -> str:
    return json.dumps(params, ensure_ascii=False) if params else ""


@dataclass(slots=True)
class RuleRow:
    """The widgets of one rule in the table, kept so tests and shortcuts can reach them."""

    view: RuleView
    enabled: QCheckBox
    params: QLineEdit
    save: QPushButton
    up: QPushButton
    down: QPushButton

    def dirty(self) -> bool:
        return (self.enabled.isChecked() != self.view.enabled
                or (bool(self.view.params)
                    and self.params.text().strip() != params_text(self.view.params)))

    def widgets(self) -> tuple[QWidget, ...]:
        return (self.enabled, self.params, self.save, self.up, self.down)


class RulesScreen(QWidget):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.setObjectName("rulesScreen")
        readable(self)
        self.can_edit = actor.can(Permission.EDIT_RULES)
        self.rows: dict[str, RuleRow] = {}
        self.order: list[str] = []
        self._busy = False
        self._loads = Latest(self)
        self._focus_code = ""

        intro = QLabel(self.tr(
            "Every new order passes these rules from top to bottom. A rule lets the order "
            "through, holds it for review, or sends it to the exception queue. Changes apply "
            "to the next orders the engine reviews."))
        intro.setWordWrap(True)
        self.readonly_hint = QLabel(self.tr(
            "Read only: your role may look at the review rules but not change them."))
        self.readonly_hint.setObjectName("rulesReadOnly")
        self.readonly_hint.setStyleSheet(f"color: {ink(COLOR_ERROR)};")
        self.readonly_hint.setVisible(not self.can_edit)
        self.refresh_button = QPushButton(self.tr("Refresh (F5)"))
        top = QHBoxLayout()
        top.addWidget(intro, 1)
        top.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignTop)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("rulesTable")
        self.table.setHorizontalHeaderLabels([
            self.tr("Order"), self.tr("On"), self.tr("Rule"), self.tr("Code"),
            self.tr("Parameters (JSON)"), ""])
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(44)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Tab walks the checkboxes, fields and buttons rather than the cells.
        self.table.setTabKeyNavigation(False)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COLUMNS.index("params"), QHeaderView.ResizeMode.Stretch)
        for key, width in (("position", 70), ("enabled", 60), ("name", 260), ("code", 200),
                           ("actions", 250)):
            self.table.setColumnWidth(COLUMNS.index(key), width)

        self.message = MessageLine()
        self.message.setObjectName("rulesMessage")

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.readonly_hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)

        self.refresh_button.clicked.connect(self.reload)
        with_shortcut_tip(self.refresh_button, self.tr("Load the list again"), "F5")
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.reload)
        up = QShortcut(QKeySequence("Alt+Up"), self, lambda: self._move_focused(-1))
        up.setWhatsThis(self.tr("Move the selected rule up"))
        down = QShortcut(QKeySequence("Alt+Down"), self, lambda: self._move_focused(1))
        down.setWhatsThis(self.tr("Move the selected rule down"))
        save = QShortcut(QKeySequence.StandardKey.Save, self, self._save_focused)
        save.setWhatsThis(self.tr("Save the selected rule"))
        self.message.info(self.tr("Loading…"))
        self.reload()

    # ------------------------------------------------------------ loading

    def reload(self) -> None:
        self._loads.start(rules.list_rules, self.db, self.actor, success=self._loaded,
                          failure=self._failed_load)

    def _failed_load(self, exc: BaseException) -> None:
        self.message.error(self.tr("Could not load the review rules: %1")
                           .replace("%1", error_text(exc)))

    def _loaded(self, views: list[RuleView]) -> None:
        if self.message.text() == self.tr("Loading…"):
            self.message.info("")
        names = labels.rule_names()
        hints = param_hints()
        # Edits not saved yet survive the reload that follows saving another rule.
        unsaved = {c: (r.enabled.isChecked(), r.params.text()) for c, r in self.rows.items()
                   if r.dirty() and c != self._focus_code}
        self.rows.clear()
        self.order = [v.code for v in views]
        self.table.setRowCount(len(views))
        for r, view in enumerate(views):
            self._item(r, "position", str(view.position), Qt.AlignmentFlag.AlignCenter)
            self._item(r, "name", names.get(view.code, view.name))
            self._item(r, "code", view.code)

            enabled = QCheckBox()
            enabled.setObjectName(f"enabled_{view.code}")
            enabled.setChecked(view.enabled)
            enabled.setEnabled(self.can_edit)
            enabled.setToolTip(self.tr("Run this rule"))
            holder = QWidget()
            box = QHBoxLayout(holder)
            box.setContentsMargins(0, 0, 0, 0)
            box.addWidget(enabled, 0, Qt.AlignmentFlag.AlignCenter)
            self.table.setCellWidget(r, COLUMNS.index("enabled"), holder)

            params = QLineEdit(params_text(view.params))
            params.setObjectName(f"params_{view.code}")
            if view.params:
                params.setReadOnly(not self.can_edit)
                params.setToolTip("\n".join(hints.get(k, k) for k in view.params))
            else:
                params.setEnabled(False)
                params.setPlaceholderText(self.tr("No parameters"))
            self.table.setCellWidget(r, COLUMNS.index("params"), params)

            save = QPushButton(self.tr("Save"))
            save.setObjectName(f"save_{view.code}")
            up = QPushButton(self.tr("▲ Up"))
            up.setObjectName(f"up_{view.code}")
            down = QPushButton(self.tr("▼ Down"))
            down.setObjectName(f"down_{view.code}")
            buttons = QWidget()
            row_box = QHBoxLayout(buttons)
            row_box.setContentsMargins(4, 2, 4, 2)
            for b in (save, up, down):
                row_box.addWidget(b)
            self.table.setCellWidget(r, COLUMNS.index("actions"), buttons)

            row = RuleRow(view, enabled, params, save, up, down)
            self.rows[view.code] = row
            if view.code in unsaved:
                enabled.setChecked(unsaved[view.code][0])
                if view.params:
                    params.setText(unsaved[view.code][1])
            enabled.toggled.connect(lambda _=False, c=view.code: self._changed(c))
            params.textEdited.connect(lambda _="", c=view.code: self._changed(c))
            params.returnPressed.connect(lambda c=view.code: self.save(c))
            save.clicked.connect(lambda _=False, c=view.code: self.save(c))
            up.clicked.connect(lambda _=False, c=view.code: self.move_rule(c, -1))
            down.clicked.connect(lambda _=False, c=view.code: self.move_rule(c, 1))
        self._update_buttons()
        focus = self.rows.get(self._focus_code)
        if focus is not None:
            # Keep the keyboard where it was: the moved or saved rule, at its new place.
            if focus.params.isEnabled():
                focus.params.setFocus()
            else:
                focus.enabled.setFocus()
        self._focus_code = ""

    def _item(self, row: int, key: str, text: str,
              align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft) -> None:
        item = QTableWidgetItem(text)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        item.setTextAlignment(align | Qt.AlignmentFlag.AlignVCenter)
        self.table.setItem(row, COLUMNS.index(key), item)

    def _changed(self, code: str) -> None:
        row = self.rows.get(code)
        if row is not None:
            mark_invalid(row.params, False)
        self._update_buttons()

    def _update_buttons(self) -> None:
        last = len(self.order) - 1
        for i, code in enumerate(self.order):
            row = self.rows[code]
            editable = self.can_edit and not self._busy
            row.save.setEnabled(editable and row.dirty())
            row.up.setEnabled(editable and i > 0)
            row.down.setEnabled(editable and i < last)

    # ------------------------------------------------------------ changing

    def save(self, code: str) -> None:
        row = self.rows.get(code)
        if row is None or self._busy or not self.can_edit:
            return
        params: dict[str, Any] | None = None
        if row.view.params:
            text = row.params.text().strip() or "{}"
            try:
                parsed = json.loads(text)
            except json.JSONDecodeError as exc:
                # json's own message is English: say where, in the reader's words.
                self._bad_params(row, self.tr(
                    "Parameters of %1 are not valid JSON (at character %2): write them like %3")
                    .replace("%1", labels.rule_names().get(code, code))
                    .replace("%2", str(exc.pos + 1))
                    .replace("%3", params_text(row.view.params)))
                return
            if not isinstance(parsed, dict):
                self._bad_params(row, self.tr(
                    "Parameters of %1 must be a JSON object, like %2")
                    .replace("%1", labels.rule_names().get(code, code)).replace("%2", params_text(row.view.params)))
                return
            params = parsed
        self._start(code, rules.update_rule, self.db, self.actor, code,
                    enabled=row.enabled.isChecked(), params=params)

    def _bad_params(self, row: RuleRow, text: str) -> None:
        mark_invalid(row.params, True)
        row.params.setFocus()
        self.message.error(text)

    def move_rule(self, code: str, step: int) -> None:
        if code not in self.order or self._busy or not self.can_edit:
            return
        i = self.order.index(code)
        j = i + step
        if not 0 <= j < len(self.order):
            return
        if any(self.rows[c].dirty() for c in (code, self.order[j])):
            self.message.error(self.tr("Save or undo the changes of these rules first."))
            return
        self._start(code, rules.swap, self.db, self.actor, self.rows[code].view.code,
                    self.rows[self.order[j]].view.code)

    def _start(self, code: str, fn: Any, *args: Any, **kwargs: Any) -> None:
        self._busy = True
        self._focus_code = code
        self._update_buttons()
        self.message.info(self.tr("Saving…"))
        Task(fn, *args, **kwargs).owned_by(self).success(
            lambda _result: self._saved(code)).failure(
            lambda exc: self._save_failed(code, exc)).start()

    def _saved(self, code: str) -> None:
        self._busy = False
        name = labels.rule_names().get(code, code)
        self.message.ok(self.tr("Saved: %1. It applies to the next orders reviewed.")
                        .replace("%1", name))
        self.reload()

    def _save_failed(self, code: str, exc: BaseException) -> None:
        self._busy = False
        row = self.rows.get(code)
        if row is not None and row.view.params:
            mark_invalid(row.params, True)
        self._update_buttons()
        self.message.error(error_text(exc))

    # ------------------------------------------------------------ keyboard

    def _focused_code(self) -> str:
        focus = self.focusWidget()
        return next((code for code, row in self.rows.items()
                     if any(w is focus for w in row.widgets())), "")

    def _move_focused(self, step: int) -> None:
        code = self._focused_code()
        if code:
            self.move_rule(code, step)

    def _save_focused(self) -> None:
        code = self._focused_code()
        if code:
            self.save(code)
