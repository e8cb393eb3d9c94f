"""Nothing ships unpaid (`app.domain.presale.may_hand_over`), in SQL and per order: the one
check the dock, the waiting lists, the waves, the shipment notices and the campaign's end
share. A small module of its own so that every one of them may import it (the presale
services import the waves, the waves this)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.domain import presale as rules
from app.store.models import Order, OrderPayment, PresaleCampaign

__all__ = ["balance", "balance_unpaid", "hand_over_refused", "unpaid_campaigns"]


def balance_unpaid(o: Any) -> ColumnElement[bool]:
    """SQL for `may_hand_over` being false, over the columns `o` of `orders`: a presale order
    of a deposit campaign whose balance (its own, or its split parent's) is not paid."""
    # Aliases: the query this goes into may join payments or campaigns itself.
    pay = OrderPayment.__table__.alias("unpaid_pay").c
    camp = PresaleCampaign.__table__.alias("unpaid_camp").c
    return and_(o.is_presale.is_(True),
                o.campaign_id.in_(select(camp.id).where(camp.kind == rules.DEPOSIT)),
                ~exists().where(pay.order_id == func.coalesce(o.parent_id, o.id),
                                pay.kind == "balance", pay.status == "paid"))


def balance(s: Session, order: Order) -> tuple[str | None, datetime | None]:
    """The status and paid_at of the order's balance (its split parent's for a child);
    (None, None) when it has none."""
    row = s.execute(select(OrderPayment.status, OrderPayment.paid_at).where(
        OrderPayment.order_id == (order.parent_id or order.id),
        OrderPayment.kind == "balance")).first()
    return (row[0], row[1]) if row else (None, None)


def hand_over_refused(s: Session, order: Order) -> str | None:
    """The campaign code when `order` may not be handed over (its balance is not paid),
    None when it may (`app.domain.presale.may_hand_over`)."""
    if not order.is_presale or order.campaign_id is None:
        return None
    camp = s.execute(select(PresaleCampaign.kind, PresaleCampaign.code)
                     .where(PresaleCampaign.id == order.campaign_id)).first()
    if camp is None:
        return None
    status, _paid_at = balance(s, order)
    return None if rules.may_hand_over(camp.kind, status) else camp.code


def unpaid_campaigns(s: Session, order_ids: Iterable[int]) -> dict[int, str]:
    """Among `order_ids`, those that may not be handed over, with their campaign's code: one
    query for the lot (`balance_unpaid`), however many orders."""
    ids = sorted(set(order_ids))
    if not ids:
        return {}
    o = Order.__table__.c
    return {int(i): code for i, code in s.execute(
        select(o.id, PresaleCampaign.code).join(PresaleCampaign,
                                                PresaleCampaign.id == o.campaign_id)
        .where(o.id.in_(ids), balance_unpaid(o)))}
