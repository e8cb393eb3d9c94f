"""Finding one order by what a person or a platform calls it: the Packline number, the channel
order number, or CHANNEL:CHANNEL_ORDER_NO. A module of its own so every service can find an
order without importing the others."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.services.errors import Ambiguous, InvalidInput, NotFound
from app.store.models import Order


def find_order(session: Session, ref: str, *, for_update: bool = False) -> Order:
    """Packline number, channel order number, or CHANNEL:CHANNEL_ORDER_NO."""
    ref = ref.strip()
    if not ref:
        raise InvalidInput("no order given", code="order.none_given")
    plain = select(Order).where(or_(Order.order_no == ref, Order.channel_order_no == ref))
    found: list[Order] = []
    if ":" in ref:
        channel, _, number = ref.partition(":")
        query = select(Order).where(Order.channel == channel.strip().lower(),
                                    Order.channel_order_no == number.strip())
        found = list(session.scalars(query.with_for_update() if for_update else query))
    if not found:  # also a channel order number that itself contains ':'
        found = list(session.scalars(
            (plain.with_for_update() if for_update else plain).limit(3)))
    if not found:
        raise NotFound(f"no order {ref}", code="order.not_found", ref=ref)
    exact = [o for o in found if o.order_no == ref]
    if exact:
        return exact[0]
    if len(found) > 1:
        options = ", ".join(f"{o.channel}:{o.channel_order_no}" for o in found)
        raise Ambiguous(f"{ref} is ambiguous; say which: {options}", code="order.ambiguous",
                        ref=ref, options=options)
    return found[0]
