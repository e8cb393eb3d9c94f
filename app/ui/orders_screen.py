"""The order list (订单列表): every order in the central database, filtered, sorted and paged in
SQL, with the selected order's lines and history beside it, and the few status changes a
shift lead makes from here: hold, release a hold, cancel, and run the engine now."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from app.domain.roles import Permission
from app.domain.status import TRANSITIONS, OrderStatus
from app.services import engine, orders, reference
from app.services.changes import Change
from app.services.context import Actor
from app.services.database import Database
from app.services.engine import EngineReport
from app.services.orders import OrderFilter, OrderRow
from app.ui import labels, timefmt
from app.ui.changes import follow
from app.ui.orders_model import OrdersModel
from app.ui.qt import (
    QComboBox,
    QCoreApplication,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QLineEdit,
    QModelIndex,
    QPushButton,
    QShortcut,
    QSplitter,
    Qt,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from app.ui.style import ink
from app.ui.tasks import Task
from app.ui.widgets import (
    COLOR_ERROR,
    ask,
    error_text,
    is_offline,
    row_table,
    scan_field,
    tint,
    with_shortcut_tip,
)

# Reasons written to the order's history for the changes made from this screen.
REASON_HOLD = "held from the order list"
REASON_RELEASE = "hold released from the order list"
REASON_CANCEL = "cancelled from the order list"


class OrdersScreen(QWidget):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.setObjectName("ordersScreen")
        self.model = OrdersModel(db, actor, self)
        self._detail_for = ""
        self._selected: OrderRow | None = None
        self._reselect = ""
        self._busy = False
        self._engine_running = False
        self._load_text = ""
        self._notice = ""
        self._notice_error = False
        self.can_change = actor.can(Permission.CHANGE_ORDER_STATUS)
        self.can_run_engine = actor.can(Permission.RUN_ENGINE)
        # Replaced in tests; a modal question would wait for a click that never comes.
        self.confirm: Callable[[str, str], bool] = lambda title, text: ask(self, title, text)

        self.status = QComboBox()
        self.status.setObjectName("statusFilter")
        self.status.addItem(self.tr("All statuses"), "")
        for code, name in labels.status_names().items():
            self.status.addItem(name, code)
        self.channel = QComboBox()
        self.channel.setObjectName("channelFilter")
        self.channel.addItem(self.tr("All channels"), "")
        for code, name in labels.channel_names().items():
            self.channel.addItem(name, code)
        self.kind = QComboBox()
        self.kind.setObjectName("presaleFilter")
        self.kind.addItem(self.tr("Spot and presale"), None)
        self.kind.addItem(self.tr("Presale only"), True)
        self.kind.addItem(self.tr("Spot only"), False)
        self.warehouse = QComboBox()
        self.warehouse.setObjectName("warehouseFilter")
        self.warehouse.addItem(self.tr("All warehouses"), None)
        # The warehouses come from the central database: listed in the background.
        Task(reference.warehouses, db, actor).owned_by(self).success(
            self._warehouses_arrived).failure(self._warehouses_failed).start()
        self.exception = QComboBox()
        self.exception.setObjectName("exceptionFilter")
        self.exception.addItem(self.tr("All exception categories"), None)
        for code, name in labels.exception_names().items():
            self.exception.addItem(name, code)
        self.search = scan_field(QLineEdit())
        self.setFocusProxy(self.search)  # the screen's keyboard is its scan field
        self.search.setObjectName("orderSearch")
        self.search.setPlaceholderText(
            self.tr("Order no., channel order no., phone or buyer — Enter to search"))
        self.search.setClearButtonEnabled(True)
        refresh = QPushButton(self.tr("Refresh (F5)"))
        self.summary = QLabel("")
        self.summary.setObjectName("ordersSummary")

        bar = QHBoxLayout()
        bar.addWidget(self.status)
        bar.addWidget(self.channel)
        bar.addWidget(self.kind)
        bar.addWidget(self.exception)
        bar.addWidget(self.warehouse)
        bar.addWidget(self.search, 1)
        bar.addWidget(refresh)

        self.table = row_table("ordersTable", self.model)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        # Indicator first, then sorting on: enabling sorts by the indicator, which the model
        # already is, so opening the screen costs one query, not three.
        header.setSortIndicator(self._column_of("priority"), Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        for key, width in (("order_no", 140), ("channel", 75), ("channel_order_no", 200),
                           ("status", 115), ("exception", 115), ("priority", 80),
                           ("receiver", 115), ("region", 170), ("amount", 80), ("units", 55),
                           ("warehouse", 50), ("carrier", 50), ("paid_at", 90),
                           ("promised", 90)):
            self.table.setColumnWidth(self._column_of(key), width)
        header.sortIndicatorChanged.connect(self._sort_clicked)

        self.detail = QTextBrowser()
        self.detail.setObjectName("orderDetail")
        self.detail.setMinimumWidth(320)
        self.detail.setPlaceholderText(self.tr("Select an order to see its lines and history"))

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)

        self.hold_button = QPushButton(self.tr("Hold (Ctrl+H)"))
        self.hold_button.setObjectName("holdButton")
        self.hold_button.setShortcut(QKeySequence("Ctrl+H"))
        self.release_button = QPushButton(self.tr("Release hold (Ctrl+Shift+H)"))
        self.release_button.setObjectName("releaseButton")
        self.release_button.setShortcut(QKeySequence("Ctrl+Shift+H"))
        self.cancel_button = QPushButton(self.tr("Cancel order… (Ctrl+Del)"))
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setShortcut(QKeySequence("Ctrl+Del"))
        self.engine_button = QPushButton(self.tr("Run engine now (Ctrl+E)"))
        self.engine_button.setObjectName("engineButton")
        self.engine_button.setShortcut(QKeySequence("Ctrl+E"))
        with_shortcut_tip(self.hold_button, self.tr(
            "Keep the order out of waves until its hold is released"))
        with_shortcut_tip(self.release_button, self.tr("Let a held order go on"))
        with_shortcut_tip(self.cancel_button, self.tr("Cancel the order (asks first)"))
        with_shortcut_tip(self.engine_button, self.tr(
            "Review and route every new order now instead of waiting for the engine"))
        if not self.can_change:
            for button in (self.hold_button, self.release_button, self.cancel_button):
                with_shortcut_tip(button, self.tr("Your role may not change an order's status"))
        if not self.can_run_engine:
            with_shortcut_tip(self.engine_button, self.tr("Your role may not run the engine"))
        actions = QHBoxLayout()
        actions.addWidget(self.hold_button)
        actions.addWidget(self.release_button)
        actions.addWidget(self.cancel_button)
        actions.addStretch(1)
        actions.addWidget(self.engine_button)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        layout.addLayout(actions)
        layout.addWidget(self.summary)

        self.status.currentIndexChanged.connect(self.apply_filters)
        self.channel.currentIndexChanged.connect(self.apply_filters)
        self.kind.currentIndexChanged.connect(self.apply_filters)
        self.exception.currentIndexChanged.connect(self.apply_filters)
        self.warehouse.currentIndexChanged.connect(self.apply_filters)
        self.hold_button.clicked.connect(self.hold)
        self.release_button.clicked.connect(self.release)
        self.cancel_button.clicked.connect(self.cancel)
        self.engine_button.clicked.connect(self.run_engine)
        self.search.returnPressed.connect(self.apply_filters)
        refresh.clicked.connect(self.model.refresh)
        with_shortcut_tip(refresh, self.tr("Load the list again"), "F5")
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.model.refresh)
        find = QShortcut(QKeySequence.StandardKey.Find, self, self._focus_search)
        find.setWhatsThis(self.tr("Search: to the search box"))
        self.model.loaded.connect(self._loaded)
        self.model.reloaded.connect(self._reloaded)
        self.model.failed.connect(self._failed)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self._update_actions()
        self.summary.setText(self.tr("Loading…"))
        self.model.refresh()
        # A long list repainted while the engine runs: every 2 s is fresh enough.
        follow(self, {Change.ORDERS}, self.model.reload, min_interval_ms=2000)

    def _column_of(self, key: str) -> int:
        return next(i for i, c in enumerate(self.model.cols) if c.key == key)

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _warehouses_arrived(self, rows: list[tuple[str, str]]) -> None:
        self.warehouse.blockSignals(True)
        for code, name in rows:
            self.warehouse.addItem(f"{name} ({code})", code)
        self.warehouse.blockSignals(False)

    def _warehouses_failed(self, exc: BaseException) -> None:
        # Offline, the list's own line says so already: once is enough.
        if not is_offline(exc):
            self._report(error_text(exc), error=True)

    def current_filter(self) -> OrderFilter:
        status = self.status.currentData()
        return OrderFilter(statuses=(status,) if status else (),
                           channel=self.channel.currentData() or None,
                           exception=self.exception.currentData() or None,
                           warehouse=self.warehouse.currentData() or None,
                           presale=self.kind.currentData(), search=self.search.text().strip())

    def apply_filters(self) -> None:
        self._notice = ""
        self._notice_error = False
        tint(self.summary)
        self.summary.setText(self.tr("Loading…"))
        self.model.set_query(self.current_filter())

    def _sort_clicked(self, column: int, order: Qt.SortOrder) -> None:
        if self.model.cols[column].sort is None:
            # Only indexed columns sort; put the indicator back where the data is sorted.
            current = next(i for i, c in enumerate(self.model.cols)
                           if c.sort == self.model.sort_key)
            wanted = (Qt.SortOrder.DescendingOrder if self.model.descending
                      else Qt.SortOrder.AscendingOrder)
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(current, wanted)
            header.blockSignals(False)

    def _loaded(self, total: int, seconds: float) -> None:
        self._load_text = (self.tr("%1 orders · loaded in %2 ms")
                           .replace("%1", f"{total:,}")
                           .replace("%2", f"{seconds * 1000:.0f}"))
        self._show_summary()
        if total and not self.table.currentIndex().isValid() and not self._reselect:
            self.detail.clear()
        if not self.table.currentIndex().isValid():
            self._selected = None  # a reset model forgets its selection without a signal
        if self._reselect:
            self._select_order(self._reselect)
            self._reselect = ""
        self._update_actions()

    def _reloaded(self, total: int, seconds: float) -> None:
        """Orders changed elsewhere and the list was read again in place: the selected order
        stays selected where it now stands (without scrolling to it), or is let go if it
        left the rows in memory, so an action never lands on another order."""
        self._load_text = (self.tr("%1 orders · loaded in %2 ms")
                           .replace("%1", f"{total:,}")
                           .replace("%2", f"{seconds * 1000:.0f}"))
        self._show_summary()
        before = self._selected
        if before is not None:
            row = self.model.row_of(before.order_no)
            current = self.table.currentIndex().row()
            if row < 0:
                self.table.selectionModel().clear()
            elif row != current:
                self.table.setAutoScroll(False)
                self.table.selectRow(row)
                self.table.setAutoScroll(True)
            self._selected = self.model.row_at(row) if row >= 0 else None
            if self._selected != before:
                self._request_detail(before.order_no)
        self._update_actions()

    def _failed(self, message: str) -> None:
        self._load_text = self.tr("Could not load orders: %1").replace("%1", message)
        self._show_summary()

    def _show_summary(self) -> None:
        self.summary.setText(" · ".join(t for t in (self._load_text, self._notice) if t))
        if self._notice_error:
            tint(self.summary, COLOR_ERROR, bold=True)
        else:
            tint(self.summary)

    def _report(self, text: str, error: bool = False) -> None:
        self._notice, self._notice_error = text, error
        self._show_summary()

    def _select_order(self, order_no: str) -> None:
        """Select the order again after the list was reloaded, if its page is loaded; its
        detail is read again either way so the new status and history show."""
        self._detail_for = ""
        for row in range(min(self.model.rowCount(), self.model.loaded_rows())):
            r = self.model.row_at(row)
            if r is not None and r.order_no == order_no:
                self.table.selectRow(row)
                return
        self._request_detail(order_no)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._selected = self.model.row_at(current.row()) if current.isValid() else None
        self._update_actions()
        order_no = self.model.data(current, Qt.ItemDataRole.UserRole)
        if not order_no or order_no == self._detail_for:
            return
        self._request_detail(order_no)

    def _request_detail(self, order_no: str) -> None:
        self._detail_for = order_no
        Task(orders.order_detail, self.db, self.actor, order_no).owned_by(self).success(
            self._show_detail).failure(
            lambda exc: self.detail.setPlainText(error_text(exc))).start()

    def _show_detail(self, d: orders.OrderDetail) -> None:
        if d["order_no"] != self._detail_for:
            return
        self.detail.setHtml(render_detail(d))

    # ------------------------------------------------------------ actions

    def _update_actions(self) -> None:
        row = self._selected
        status = OrderStatus(row.status) if row is not None else None
        # An order in the exception queue is handled there: resolving closes its exception
        # record, which a plain status change from here would leave open.
        free = self.can_change and not self._busy and status is not None \
            and status is not OrderStatus.EXCEPTION
        nexts = TRANSITIONS[status] if status is not None else frozenset()
        self.hold_button.setEnabled(free and OrderStatus.ON_HOLD in nexts)
        self.release_button.setEnabled(free and status is OrderStatus.ON_HOLD)
        self.cancel_button.setEnabled(free and OrderStatus.CANCELLED in nexts)
        self.engine_button.setEnabled(self.can_run_engine and not self._engine_running)

    def hold(self) -> None:
        self._change(OrderStatus.ON_HOLD, REASON_HOLD)

    def release(self) -> None:
        self._change(OrderStatus.PENDING_REVIEW, REASON_RELEASE)

    def cancel(self) -> None:
        row = self._selected
        if row is None or not self.cancel_button.isEnabled():
            return
        if not self.confirm(self.tr("Cancel order"),
                            self.tr("Cancel order %1 (%2)? It will not ship, and this cannot "
                                    "be undone.").replace("%1", row.order_no)
                            .replace("%2", row.receiver_name)):
            return
        self._change(OrderStatus.CANCELLED, REASON_CANCEL)

    def _change(self, target: OrderStatus, reason: str) -> None:
        row = self._selected
        if row is None or self._busy or not self.can_change:
            return
        self._busy = True
        self._update_actions()
        order_no = row.order_no
        Task(orders.change_status, self.db, self.actor, order_no, target, reason).owned_by(
            self).success(lambda status: self._changed(order_no, status)).failure(
            self._action_failed).start()

    def _changed(self, order_no: str, status: OrderStatus) -> None:
        self._busy = False
        self._report(self.tr("%1 is now %2").replace("%1", order_no).replace(
            "%2", labels.label(labels.status_names(), status.value)))
        self._reselect = order_no
        self.model.refresh()

    def _action_failed(self, exc: BaseException) -> None:
        self._busy = False
        self._update_actions()
        self._report(error_text(exc), error=True)

    def run_engine(self) -> None:
        if self._engine_running or not self.can_run_engine:
            return
        self._engine_running = True
        self._update_actions()
        self._report(self.tr("Engine running…"))
        Task(engine.run_once, self.db, self.actor).owned_by(self).success(
            self._engine_done).failure(self._engine_failed).start()

    def _engine_done(self, report: EngineReport) -> None:
        self._engine_running = False
        self._update_actions()
        self._report(self.tr("Engine: %1 orders reviewed, %2 ready for wave, %3 awaiting "
                             "balance, %4 exceptions")
                     .replace("%1", str(report.claimed)).replace("%2", str(report.routed))
                     .replace("%3", str(report.awaiting_balance))
                     .replace("%4", str(sum(report.exceptions.values()))))
        if self._selected is not None:
            self._reselect = self._selected.order_no
        self.model.refresh()

    def _engine_failed(self, exc: BaseException) -> None:
        self._engine_running = False
        self._update_actions()
        self._report(error_text(exc), error=True)


def _words() -> dict[str, str]:
    return {k: escape(v) for k, v in {
        "status": QCoreApplication.translate("orderDetail", "Status"),
        "exception": QCoreApplication.translate("orderDetail", "Exception"),
        "intercepted": QCoreApplication.translate("orderDetail", "Intercepted"),
        "amount": QCoreApplication.translate("orderDetail", "Amount"),
        "discount": QCoreApplication.translate("orderDetail", "discount"),
        "presale": QCoreApplication.translate("orderDetail", "Presale"),
        "remark": QCoreApplication.translate("orderDetail", "Buyer remark"),
        "item": QCoreApplication.translate("orderDetail", "Item"),
        "qty": QCoreApplication.translate("orderDetail", "Qty"),
        "price": QCoreApplication.translate("orderDetail", "Price"),
        "unknown_sku": QCoreApplication.translate("orderDetail", "unknown SKU"),
        "packages": QCoreApplication.translate("orderDetail", "Packages"),
        "split_from": QCoreApplication.translate("orderDetail", "Split from"),
        "split_into": QCoreApplication.translate("orderDetail", "Split into"),
        "merged_from": QCoreApplication.translate("orderDetail", "Merged from"),
        "history": QCoreApplication.translate("orderDetail", "History"),
        "encrypted": labels.encrypted_receiver_text(),
        "shipments": QCoreApplication.translate("orderDetail", "Shipment confirmations"),
        "attempts": QCoreApplication.translate("orderDetail", "attempts"),
    }.items()}


def render_detail(d: orders.OrderDetail) -> str:
    """The detail pane's HTML; every value from the database is escaped."""
    w = _words()
    e = escape
    statuses = labels.status_names()
    r = d["receiver"]
    red = f"<span style='color:{ink('#b00020')}'>"
    parts = [
        f"<h3>{e(d['order_no'])}</h3>",
        f"<p><b>{e(labels.label(labels.channel_names(), d['channel']))}</b> · "
        f"{e(d['shop'])} · {e(d['channel_order_no'])}<br>",
        f"{w['status']}: <b>{e(labels.label(statuses, d['status']))}</b>",
    ]
    if d["exception"]:
        name = labels.label(labels.exception_names(), d["exception"])
        parts.append(f" · {red}{w['exception']}: {e(name)}</span>")
    if d["intercept"]:
        reason = labels.label(labels.intercept_names(), d["intercept"])
        parts.append(f" · {red}{w['intercepted']}: {e(reason)}</span>")
    parts.append("</p>")
    sealed = ""
    if r["encrypted"]:
        # The masks are what the platform shows; it prints the real receiver. Of the OAID
        # only its end, to tell two receivers apart.
        oaid = f" · OAID {e(r['oaid_end'])}" if r["oaid_end"] else ""
        sealed = f"<br><i>{w['encrypted']}{oaid}</i>"
    parts.append(f"<p>{e(r['name'])} {e(r['phone'])}<br>{e(r['province'])}{e(r['city'])}"
                 f"{e(r['district'])}{e(r['address'])}{sealed}</p>")
    presale = f" · {w['presale']}" if d["presale"] else ""
    vip = f" · VIP {d['vip_level']}" if d["vip_level"] else ""  # level 0: not a VIP
    parts.append(f"<p>{w['amount']}: ¥{e(d['amount'])} ({w['discount']} ¥{e(d['discount'])})"
                 f"{vip}{presale}</p>")
    if d["remark"]:
        parts.append(f"<p><b>{w['remark']}:</b> {e(d['remark'])}</p>")
    parts.append(f"<table cellspacing='4'><tr><th>#</th><th>SKU</th><th>{w['item']}</th>"
                 f"<th>{w['qty']}</th><th>{w['price']}</th></tr>")
    for line in d["lines"]:
        name = e(line["name"]) if line["name"] else w["unknown_sku"]
        parts.append(f"<tr><td>{line['line']}</td><td>{e(line['sku'])}</td><td>{name}</td>"
                     f"<td align='right'>{line['qty']}</td><td align='right'>"
                     f"¥{e(line['price'])}</td></tr>")
    parts.append("</table>")
    if d["packages"]:
        boxes = "<br>".join(
            f"{p['box']}: {e(p['carrier'] or '')} {e(p['tracking_no'] or '')} "
            f"{e(labels.label(labels.package_status_names(), p['status']))}"
            for p in d["packages"])
        parts.append(f"<p><b>{w['packages']}</b><br>{boxes}</p>")
    if d["shipments"]:
        names = labels.shipment_status_names()
        rows = "<br>".join(
            f"{e(c['channel_order_no'])} {e(c['tracking_no'])} · "
            f"{e(labels.label(names, c['status']))} · {w['attempts']} {c['attempts']}"
            + (f" · {red}{e(c['last_error'])}</span>" if c["last_error"] else "")
            for c in d["shipments"])
        parts.append(f"<p><b>{w['shipments']}</b><br>{rows}</p>")
    links = []
    if d["parent"]:
        links.append(f"{w['split_from']} {e(d['parent'])}")
    if d["children"]:
        links.append(f"{w['split_into']} {e(', '.join(d['children']))}")
    if d["merged_from"]:
        links.append(f"{w['merged_from']} {e(', '.join(d['merged_from']))}")
    if links:
        parts.append("<p>" + "<br>".join(links) + "</p>")
    parts.append(f"<p><b>{w['history']}</b><br>")
    for h in d["history"]:
        parts.append(f"<small>{e(timefmt.full(h['at']))} · {e(h['actor'])} · "
                     f"{e(history_text(h))}</small><br>")
    parts.append("</p>")
    return "".join(parts)


def history_text(h: orders.HistoryEntry) -> str:
    """One step of an order's history in words: what happened, and statuses by their names."""
    action = h["action"]
    name = labels.label(labels.history_action_names(), action)
    before, after = h["before"], h["after"]
    detail = h["detail"] or {}
    if action in ("order.status", "order.created"):
        statuses = labels.status_names()
        path = detail.get("path") if isinstance(detail.get("path"), list) else None
        steps = [str(step) for step in path] if path else [x for x in (before, after) if x]
        change = " → ".join(labels.label(statuses, step) for step in steps)
        category = detail.get("category")
        if isinstance(category, str) and category:
            change += f" ({labels.label(labels.exception_names(), category)})"
        return f"{name}: {change}"
    if action == "order.intercepted":
        return f"{name}: {labels.label(labels.intercept_names(), after)}"
    if action == "exception.escalated" and str(after).isdigit():
        return f"{name}: {labels.escalation_names().get(int(str(after)), str(after))}"
    if before and after:
        return f"{name}: {before} → {after}"
    return f"{name}: {after}" if after else name
