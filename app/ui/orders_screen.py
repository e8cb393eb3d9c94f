"""The order list (订单列表): every order in the central database, filtered, sorted and paged in
SQL, with the selected order's lines and history beside it."""

from __future__ import annotations

from html import escape
from typing import Any

from app.services import orders
from app.services.context import Actor
from app.services.orders import OrderFilter
from app.store.db import Database
from app.ui import labels
from app.ui.orders_model import OrdersModel
from app.ui.qt import (
    QAbstractItemView,
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
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from app.ui.tasks import Task


class OrdersScreen(QWidget):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.setObjectName("ordersScreen")
        self.model = OrdersModel(db, actor, self)
        self._detail_for = ""

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
        self.search = QLineEdit()
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
        bar.addWidget(self.search, 1)
        bar.addWidget(refresh)

        self.table = QTableView()
        self.table.setObjectName("ordersTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        # Indicator first, then sorting on: enabling sorts by the indicator, which the model
        # already is, so opening the screen costs one query, not three.
        header.setSortIndicator(self._column_of("priority"), Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        for key, width in (("order_no", 140), ("channel", 60), ("channel_order_no", 170),
                           ("status", 90), ("exception", 90), ("priority", 60),
                           ("receiver", 70), ("region", 190), ("amount", 80), ("units", 55),
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

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        layout.addWidget(self.summary)

        self.status.currentIndexChanged.connect(self.apply_filters)
        self.channel.currentIndexChanged.connect(self.apply_filters)
        self.kind.currentIndexChanged.connect(self.apply_filters)
        self.search.returnPressed.connect(self.apply_filters)
        refresh.clicked.connect(self.model.refresh)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.model.refresh)
        QShortcut(QKeySequence.StandardKey.Find, self, self._focus_search)
        self.model.loaded.connect(self._loaded)
        self.model.failed.connect(self._failed)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.summary.setText(self.tr("Loading…"))
        self.model.refresh()

    def _column_of(self, key: str) -> int:
        return next(i for i, c in enumerate(self.model.cols) if c.key == key)

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def current_filter(self) -> OrderFilter:
        status = self.status.currentData()
        return OrderFilter(statuses=(status,) if status else (),
                           channel=self.channel.currentData() or None,
                           presale=self.kind.currentData(), search=self.search.text().strip())

    def apply_filters(self) -> None:
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
        self.summary.setText(self.tr("%1 orders · loaded in %2 ms")
                             .replace("%1", f"{total:,}")
                             .replace("%2", f"{seconds * 1000:.0f}"))
        if total and not self.table.currentIndex().isValid():
            self.detail.clear()

    def _failed(self, message: str) -> None:
        self.summary.setText(self.tr("Could not load orders: %1").replace("%1", message))

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        order_no = self.model.data(current, Qt.ItemDataRole.UserRole)
        if not order_no or order_no == self._detail_for:
            return
        self._detail_for = order_no
        Task(orders.order_detail, self.db, self.actor, order_no).owned_by(self).success(
            self._show_detail).failure(
            lambda exc: self.detail.setPlainText(str(exc))).start()

    def _show_detail(self, d: dict[str, Any]) -> None:
        if d["order_no"] != self._detail_for:
            return
        self.detail.setHtml(render_detail(d))


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
    }.items()}


def render_detail(d: dict[str, Any]) -> str:
    """The detail pane's HTML; every value from the database is escaped."""
    w = _words()
    e = escape
    statuses = labels.status_names()
    r = d["receiver"]
    red = "<span style='color:#b00020'>"
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
        parts.append(f" · {red}{w['intercepted']}: {e(d['intercept'])}</span>")
    parts.append("</p>")
    parts.append(f"<p>{e(r['name'])} {e(r['phone'])}<br>{e(r['province'])}{e(r['city'])}"
                 f"{e(r['district'])}{e(r['address'])}</p>")
    presale = f" · {w['presale']}" if d["presale"] else ""
    parts.append(f"<p>{w['amount']}: ¥{e(d['amount'])} ({w['discount']} ¥{e(d['discount'])})"
                 f" · VIP {d['vip_level']}{presale}</p>")
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
            f"{p['box']}: {e(p['carrier'] or '')} {e(p['tracking_no'] or '')} {e(p['status'])}"
            for p in d["packages"])
        parts.append(f"<p><b>{w['packages']}</b><br>{boxes}</p>")
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
        change = f"{e(h['before'] or '')} → {e(h['after'] or '')}" if h["after"] else ""
        when = e((h["at"] or "")[:19].replace("T", " "))
        parts.append(f"<small>{when} UTC · {e(h['actor'])} · {e(h['action'])} {change}"
                     f"</small><br>")
    parts.append("</p>")
    return "".join(parts)
