"""The order list shows the status rules of app.domain.status: a late order (past its promised
ship-by time, not done with) is tinted, an order done with shows no countdown and no tint,
however long ago its promise was."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from app.services.context import Actor
from app.services.orders import OrderFilter
from app.store.db import Database
from app.store.models import Order
from app.ui.orders_model import OrdersModel
from app.ui.qt import QColor, Qt

TIMEOUT = 10_000
LATE = QColor("#ffe9c7")


def test_late_orders_are_tinted_and_orders_done_with_show_no_countdown(
        qtbot: QtBot, routed_db: Database, lead: Actor) -> None:
    past = datetime.now(UTC) - timedelta(hours=3)
    ahead = datetime.now(UTC) + timedelta(hours=30)
    with routed_db.unit_of_work() as s:
        late, shipped, on_time = s.scalars(
            select(Order.order_no).where(Order.status == "routed", Order.exception.is_(None),
                                         Order.intercept.is_(None))
            .order_by(Order.id).limit(3)).all()
        s.execute(update(Order).where(Order.order_no.in_((late, shipped)))
                  .values(promised_ship_by=past))
        s.execute(update(Order).where(Order.order_no == shipped).values(status="shipped"))
        s.execute(update(Order).where(Order.order_no == on_time)
                  .values(promised_ship_by=ahead))

    model = OrdersModel(routed_db, lead)
    countdown = next(i for i, c in enumerate(model.cols) if c.key == "countdown")

    def shown(order_no: str) -> tuple[object, str]:
        """The order's tint and countdown as the list paints them (the order alone listed)."""
        loaded: list[int] = []
        model.loaded.connect(lambda total, _s: loaded.append(total))
        model.set_query(OrderFilter(search=order_no))
        qtbot.waitUntil(lambda: loaded == [1], timeout=TIMEOUT)
        model.loaded.disconnect()
        row = model.row_at(0)
        assert row is not None and row.order_no == order_no
        return (model.data(model.index(0, 0), Qt.ItemDataRole.BackgroundRole),
                model.data(model.index(0, countdown)))

    tint, left = shown(late)
    assert tint == LATE and left.startswith("-")
    tint, left = shown(shipped)
    assert tint is None and left == ""
    tint, left = shown(on_time)
    assert tint is None and left and not left.startswith("-")
