"""`supply.raise_slips` beside the rest of the work on a campaign, over real connections of a
committed PostgreSQL database: it takes no lock on the campaign row (an intake holding the
row does not hold it up, nor it the intake), and a campaign another engine is raising now —
the transaction-scoped advisory lock held — is skipped by the sweep, then raised once free.
On SQLite the writers take turns: there is nothing to skip."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from app.services import supply
from app.store.db import Database
from app.store.models import Order, OrderException, PresaleCampaign
from tests.helpers.packing import actor

pytestmark = pytest.mark.timeout(180)


def _open_delays(db: Database, cid: int) -> int:
    with db.reader() as s:
        return int(s.scalar(select(func.count()).select_from(OrderException)
                            .join(Order, Order.id == OrderException.order_id)
                            .where(Order.campaign_id == cid,
                                   OrderException.category == "supplier_delay",
                                   OrderException.resolved_at.is_(None))) or 0)


def test_a_campaign_being_raised_elsewhere_is_skipped_and_the_row_is_never_locked(
        central: Database) -> None:
    if central.dialect != "postgresql":
        pytest.skip("SQLite's writers take turns: no engine raises beside another")
    lead = actor(central, "lead01")
    with central.reader() as s:
        cid = s.scalar(select(PresaleCampaign.id).where(PresaleCampaign.code == "PS-DOUBLE"))
        assert cid in list(s.scalars(supply.slipping_campaigns()))
    # The delivery that arrived is called off: the campaign's orders wait on the one that
    # slips three days.
    arrived = next(d for d in supply.board(central, lead, "PS-DOUBLE").deliveries
                   if d.status == "arrived")
    supply.record_delivery(central, lead, "PS-DOUBLE", arrived.supplier, arrived.due_on,
                           arrived.qty, cancelled=True)
    engine = central.bind
    # Another engine is raising PS-DOUBLE's slips: the sweep leaves it to it.
    with engine.connect() as other, other.begin():  # type: ignore[union-attr]
        other.execute(select(func.pg_advisory_xact_lock(supply.SLIPS_LOCK, cid)))
        swept = supply.raise_slips(central, lead)
        assert swept.skipped >= 1
        assert _open_delays(central, cid) == 0
    # An intake holds the campaign's row (as the pool's reservation does): the named raise
    # neither waits for it nor makes it wait.
    done = threading.Event()
    failed: list[BaseException] = []

    def raise_it() -> None:
        try:
            supply.raise_slips(central, lead, "PS-DOUBLE")
        except BaseException as exc:  # noqa: BLE001 - reported below
            failed.append(exc)
        finally:
            done.set()

    with engine.connect() as other, other.begin():  # type: ignore[union-attr]
        other.execute(select(PresaleCampaign.id).where(PresaleCampaign.id == cid)
                      .with_for_update())
        worker = threading.Thread(target=raise_it, daemon=True)
        worker.start()
        finished = done.wait(60)
    worker.join(60)
    assert finished, "raise_slips waited for the campaign row another transaction held"
    assert not failed, failed
    assert _open_delays(central, cid) > 0
