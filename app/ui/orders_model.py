"""A table model over the whole order list that stays smooth with a million orders.

Row count comes from one COUNT; rows are fetched in pages only when the view paints them,
off the GUI thread, newest requests first, at most two in flight. Filtering and sorting are
SQL (`services.orders`); a generation number throws away answers to a superseded query.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

from app.domain.money import format_yuan
from app.domain.status import is_final, is_overdue
from app.services import orders
from app.services.context import Actor
from app.services.database import Database
from app.services.orders import OrderFilter, OrderRow
from app.ui import labels, timefmt
from app.ui.qt import (
    QAbstractTableModel,
    QColor,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from app.ui.tasks import Task
from app.ui.widgets import error_text

PAGE_SIZE = 200
MAX_PAGES = 60  # pages kept in memory (12,000 rows)
MAX_IN_FLIGHT = 2
RETRY_MS = 2000
RELOAD_PAGES = 3  # pages read again in place when orders change (those looked at last)
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    title: str
    sort: str | None = None


def columns() -> list[Column]:
    return [
        Column("order_no", QCoreApplication.translate("orders", "Order no."), "order_no"),
        Column("channel", QCoreApplication.translate("orders", "Channel")),
        Column("channel_order_no", QCoreApplication.translate("orders", "Channel order")),
        Column("status", QCoreApplication.translate("orders", "Status")),
        Column("exception", QCoreApplication.translate("orders", "Exception")),
        Column("priority", QCoreApplication.translate("orders", "Priority"), "priority"),
        Column("receiver", QCoreApplication.translate("orders", "Receiver")),
        Column("region", QCoreApplication.translate("orders", "Region")),
        Column("amount", QCoreApplication.translate("orders", "Amount"), "amount"),
        Column("units", QCoreApplication.translate("orders", "Units")),
        Column("warehouse", QCoreApplication.translate("orders", "Warehouse")),
        Column("carrier", QCoreApplication.translate("orders", "Carrier")),
        Column("paid_at", QCoreApplication.translate("orders", "Paid"), "paid_at"),
        Column("promised", QCoreApplication.translate("orders", "Ship by"), "promised_ship_by"),
        Column("countdown", QCoreApplication.translate("orders", "Time left"), "promised_ship_by"),
    ]


def countdown(deadline: datetime | None, now: datetime) -> str:
    if deadline is None:
        return ""
    seconds = int((deadline - now).total_seconds())
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return sign + QCoreApplication.translate("orders", "%1d %2h").replace(
            "%1", str(days)).replace("%2", f"{hours:02d}")
    return sign + QCoreApplication.translate("orders", "%1h %2m").replace(
        "%1", str(hours)).replace("%2", f"{minutes:02d}")


def local_time(moment: datetime | None) -> str:
    """In China time, whatever zone this PC is set to."""
    return timefmt.short(moment)


_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.BackgroundRole,
                    Qt.ItemDataRole.ForegroundRole,
                    Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.UserRole,
                    Qt.ItemDataRole.ToolTipRole})


class OrdersModel(QAbstractTableModel):
    loaded = Signal(int, float)  # total rows, seconds from refresh to first page
    reloaded = Signal(int, float)  # the same after `reload` (rows kept in place)
    failed = Signal(str)

    def __init__(self, db: Database, actor: Actor, parent: Any = None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.cols = columns()
        self.filter = OrderFilter()
        self.sort_key = "priority"
        self.descending = True
        self.total = 0
        self._pages: OrderedDict[int, list[OrderRow]] = OrderedDict()
        self._hot = -1  # the page last looked at
        self._in_flight: set[int] = set()
        self._wanted: list[int] = []
        self._generation = 0
        # Pages are fetched only once this generation's count is known: a page read with a
        # new filter and the old total would land in the wrong place.
        self._ready = False
        self._started = 0.0
        self._status = labels.status_names()
        self._channels = labels.channel_names()
        self._exceptions = labels.exception_names()
        self._bands = labels.band_names()
        self._pump_timer = QTimer(self)
        self._pump_timer.setSingleShot(True)
        self._pump_timer.setInterval(10)
        self._pump_timer.timeout.connect(self._pump)
        self._clock = QTimer(self)
        self._clock.setInterval(30_000)
        self._clock.timeout.connect(self._tick)
        self._clock.start()

    # ------------------------------------------------------------ queries

    def set_query(self, f: OrderFilter, sort_key: str | None = None,
                  descending: bool | None = None) -> None:
        self.filter = f
        if sort_key is not None:
            self.sort_key = sort_key
            self.descending = (orders.SORTS[sort_key][1] if descending is None else descending)
        self.refresh()

    def refresh(self) -> None:
        self._generation += 1
        self._ready = False
        self._in_flight.clear()
        self._wanted.clear()
        self._started = time.perf_counter()
        gen = self._generation
        f, key, desc = self.filter, self.sort_key, self.descending
        Task(self._first_page, f, key, desc).owned_by(self).success(
            lambda res: self._first_arrived(gen, res)).failure(
            lambda exc: self._first_failed(gen, exc)).start()

    def reload(self) -> None:
        """The same query again, in place, because orders changed: the count and the pages
        last looked at are read again off the GUI thread and swapped in without a reset, so
        the view keeps its scroll position and its selected row; other pages are dropped and
        read again when painted."""
        if not self._ready:
            self.refresh()  # the first page is still coming: ask for a fresh one
            return
        self._generation += 1
        self._in_flight.clear()
        self._wanted.clear()
        self._started = time.perf_counter()
        gen = self._generation
        stale = set(self._pages)
        pages = list(self._pages)[-RELOAD_PAGES:]
        f, key, desc = self.filter, self.sort_key, self.descending
        Task(self._read_pages, f, key, desc, pages).owned_by(self).success(
            lambda res: self._reload_arrived(gen, stale, res)).failure(
            lambda exc: self._reload_failed(gen, exc)).start()

    def _read_pages(self, f: OrderFilter, key: str, desc: bool, pages: list[int]
                    ) -> tuple[int, dict[int, list[OrderRow]]]:
        total = orders.count_orders(self.db, self.actor, f)
        read = {p: orders.list_orders(self.db, self.actor, f, sort=key, descending=desc,
                                      offset=p * PAGE_SIZE, limit=PAGE_SIZE, total=total)
                for p in pages if p * PAGE_SIZE < total}
        return total, read

    def _reload_arrived(self, gen: int, stale: set[int],
                        result: tuple[int, dict[int, list[OrderRow]]]) -> None:
        if gen != self._generation:
            return
        total, read = result
        if total < self.total:
            self.beginRemoveRows(QModelIndex(), total, self.total - 1)
            self.total = total
            self._drop_beyond(total)
            self.endRemoveRows()
        elif total > self.total:
            self.beginInsertRows(QModelIndex(), self.total, total - 1)
            self.total = total
            self.endInsertRows()
        for page in stale - set(read):
            self._pages.pop(page, None)  # pages read meanwhile (not in `stale`) are fresh
        # Only rows that changed are repainted: painting the table costs the GUI thread
        # tens of milliseconds, and most reloads change a few rows or none in sight.
        changed: list[tuple[int, int]] = []
        for page, rows in read.items():
            old = self._pages.get(page, [])
            diff = [i for i, r in enumerate(rows) if i >= len(old) or old[i] != r]
            if diff:
                changed.append((page * PAGE_SIZE + diff[0], page * PAGE_SIZE + diff[-1]))
            self._pages[page] = rows
        self._drop_beyond(total)
        for first, last in changed:
            last = min(last, total - 1)
            if last >= first:
                self.dataChanged.emit(self.index(first, 0),
                                      self.index(last, len(self.cols) - 1))
        self.reloaded.emit(total, time.perf_counter() - self._started)

    def _drop_beyond(self, total: int) -> None:
        for page in [p for p in self._pages if p * PAGE_SIZE >= total]:
            del self._pages[page]
        last = (total - 1) // PAGE_SIZE if total else -1
        if last in self._pages:
            self._pages[last] = self._pages[last][:total - last * PAGE_SIZE]

    def _reload_failed(self, gen: int, exc: BaseException) -> None:
        if gen == self._generation:
            self.failed.emit(error_text(exc))  # the rows shown stay; the next change retries

    def _first_page(self, f: OrderFilter, key: str, desc: bool) -> tuple[int, list[OrderRow]]:
        total = orders.count_orders(self.db, self.actor, f)
        rows = orders.list_orders(self.db, self.actor, f, sort=key, descending=desc,
                                  offset=0, limit=PAGE_SIZE, total=total) if total else []
        return total, rows

    def _first_arrived(self, gen: int, result: tuple[int, list[OrderRow]]) -> None:
        if gen != self._generation:
            return
        total, rows = result
        self.beginResetModel()
        self.total = total
        self._pages.clear()
        self._pages[0] = rows
        self._ready = True
        self.endResetModel()
        self.loaded.emit(total, time.perf_counter() - self._started)

    def _first_failed(self, gen: int, exc: BaseException) -> None:
        if gen != self._generation:
            return
        # Rows of the previous query must not stand under the new filter.
        self.beginResetModel()
        self.total = 0
        self._pages.clear()
        self.endResetModel()
        self.failed.emit(error_text(exc))

    def _page_failed(self, gen: int, page: int, exc: BaseException) -> None:
        if gen != self._generation:
            return
        self._in_flight.discard(page)
        self.failed.emit(error_text(exc))
        QTimer.singleShot(RETRY_MS, self, lambda: self._retry(gen, page))

    def _retry(self, gen: int, page: int) -> None:
        if gen == self._generation and page not in self._pages:
            self._request(page)

    # ------------------------------------------------------------ paging

    def _request(self, page: int) -> None:
        if not self._ready or page in self._in_flight:
            return
        if page in self._wanted:
            self._wanted.remove(page)
        self._wanted.append(page)
        # Only what was painted last matters after a fast scroll.
        del self._wanted[:-4]
        if not self._pump_timer.isActive():
            self._pump_timer.start()

    def _pump(self) -> None:
        gen = self._generation
        while self._wanted and len(self._in_flight) < MAX_IN_FLIGHT:
            page = self._wanted.pop()
            if page in self._pages:
                continue
            self._in_flight.add(page)
            Task(orders.list_orders, self.db, self.actor, self.filter, sort=self.sort_key,
                 descending=self.descending, offset=page * PAGE_SIZE, limit=PAGE_SIZE,
                 total=self.total).owned_by(self).success(
                partial(self._page_arrived, gen, page)).failure(
                partial(self._page_failed, gen, page)).start()

    def _page_arrived(self, gen: int, page: int, rows: list[OrderRow]) -> None:
        if gen != self._generation:
            return
        self._in_flight.discard(page)
        self._pages[page] = rows
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        first = page * PAGE_SIZE
        last = min(first + len(rows), self.total) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.cols) - 1))
        if self._wanted:
            self._pump_timer.start()

    def row_at(self, row: int) -> OrderRow | None:
        number = row // PAGE_SIZE
        page = self._pages.get(number)
        if page is None:
            return None
        if number != self._hot:
            # Pages in the order they were last looked at: the newest are read again
            # when orders change, the oldest are let go first.
            self._hot = number
            self._pages.move_to_end(number)
        offset = row % PAGE_SIZE
        return page[offset] if offset < len(page) else None

    def row_of(self, order_no: str) -> int:
        """The row of `order_no` among the pages in memory, or -1."""
        for page, rows in self._pages.items():
            for offset, r in enumerate(rows):
                if r.order_no == order_no:
                    return page * PAGE_SIZE + offset
        return -1

    def loaded_rows(self) -> int:
        return sum(len(p) for p in self._pages.values())

    def _tick(self) -> None:
        if self.total:
            col = next(i for i, c in enumerate(self.cols) if c.key == "countdown")
            self.dataChanged.emit(self.index(0, col), self.index(self.total - 1, col))

    # ------------------------------------------------------------ Qt model API

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self.total

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.cols)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.cols[section].title
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.cols[column].sort
        if key is None:
            return
        desc = order == Qt.SortOrder.DescendingOrder
        if key == self.sort_key and desc == self.descending:
            return
        self.sort_key, self.descending = key, desc
        self.refresh()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # A painted cell is asked for a dozen roles; those this model never answers are let
        # go first (painting the list, as it follows the engine, is on the GUI thread).
        if role not in _ROLES or not index.isValid():
            return None
        row = self.row_at(index.row())
        if row is None:
            if role == Qt.ItemDataRole.DisplayRole:
                self._request(index.row() // PAGE_SIZE)
                return "…" if index.column() == 0 else ""
            return None
        key = self.cols[index.column()].key
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, key)
        if role == Qt.ItemDataRole.BackgroundRole:
            if row.exception or row.intercept:
                return QColor("#fde2e1")
            if is_overdue(row.status, row.promised_ship_by, datetime.now(UTC)):
                return QColor("#ffe9c7")
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            # Dark text on the pale rows above, in either theme.
            if row.exception or row.intercept or is_overdue(row.status, row.promised_ship_by,
                                                            datetime.now(UTC)):
                return QColor("#1f2328")
            return None
        if role == Qt.ItemDataRole.ToolTipRole and key == "priority":
            return str(row.priority)  # the score within the band, for whoever asks why
        if role == Qt.ItemDataRole.ToolTipRole and key == "receiver" and row.receiver_encrypted:
            return labels.encrypted_receiver_text()
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("amount", "units"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row.order_no
        return None

    def _display(self, row: OrderRow, key: str) -> str:
        if key == "order_no":
            return row.order_no
        if key == "channel":
            return labels.label(self._channels, row.channel)
        if key == "channel_order_no":
            return row.channel_order_no
        if key == "status":
            return labels.label(self._status, row.status)
        if key == "exception":
            return labels.label(self._exceptions, row.exception)
        if key == "priority":
            return labels.label(self._bands, row.priority_band)
        if key == "receiver":
            return labels.with_encrypted_tag(row.receiver_name, row.receiver_encrypted)
        if key == "region":
            return f"{row.province} {row.city} {row.district}".strip()
        if key == "amount":
            return format_yuan(row.amount_fen)
        if key == "units":
            return f"{row.unit_count}" + (f" ({row.line_count})" if row.line_count > 1 else "")
        if key == "warehouse":
            return row.warehouse or ""
        if key == "carrier":
            return row.carrier or ""
        if key == "paid_at":
            return local_time(row.paid_at)
        if key == "promised":
            return local_time(row.promised_ship_by)
        if key == "countdown":
            if is_final(row.status):
                return ""
            return countdown(row.promised_ship_by, datetime.now(UTC))
        return ""
