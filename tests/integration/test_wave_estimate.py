"""The Waves list shows each released wave's pick time as the preview estimated it, on SQLite
and PostgreSQL; a cancelled wave has none."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.services import engine, waves
from app.services.context import system_actor
from app.store.db import Database
from app.store.models import Order, Warehouse
from tests.helpers.orders import ENGINE_NOW


def _busiest(db: Database) -> str:
    with db.reader() as s:
        return s.execute(select(Warehouse.code).join(Order, Order.warehouse_id == Warehouse.id)
                         .where(Order.status == "routed").group_by(Warehouse.code)
                         .order_by(func.count().desc())).scalars().first()


def test_a_released_wave_keeps_the_pick_time_its_preview_gave(db: Database) -> None:
    lead = system_actor()
    engine.run_once(db, lead, now=ENGINE_NOW)
    wh = _busiest(db)
    plan = waves.plan(db, lead, wh, "per_order", max_orders=6, max_cells=6)
    assert len(plan.waves) >= 2
    first, second = waves.release_planned(db, lead, plan, [0, 1])
    listed = {w["wave_no"]: w for w in waves.list_waves(db, lead)}
    for released, planned in ((first, plan.waves[0]), (second, plan.waves[1])):
        assert listed[released.wave_no]["estimated_min"] == pytest.approx(
            planned.pick_seconds / 60)
        assert listed[released.wave_no]["claimed"] is False
    waves.cancel(db, lead, second.wave_no, "not needed")
    listed = {w["wave_no"]: w for w in waves.list_waves(db, lead)}
    assert listed[second.wave_no]["estimated_min"] is None
