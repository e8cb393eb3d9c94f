"""dashboard

Revision ID: 0012
Revises: 0011
The shift lead's dashboard: the floor's work counted per person in five-minute slots by the
events' own times (`work_slots`, filled in from the last eight days of picks, packs and
handovers so the comparison with the same weekday last week has something to compare with), each carrier's
daily cut-off, each station's printers as it last reported them, the packages' packing time
indexed so the orders packed in an hour open at once, and on PostgreSQL the live orders indexed
by what the dashboard counts them by (`ix_orders_live`). Building the two indexes holds writes
to `orders` and `packages` until they are built (about a minute for a million live orders):
upgrade outside the floor's busy hours, as every migration.

Create Date: 2026-12-06 15:00:00
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from alembic import op

import app.store.types

revision: str = '0012'
down_revision: str | Sequence[str] | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BACKFILL_DAYS = 8
# Every status an order can still leave (all but shipped, cancelled, merged and split).
LIVE = ('new', 'pending_review', 'on_hold', 'exception', 'awaiting_balance', 'awaiting_stock',
        'routed', 'in_wave', 'picking', 'picked', 'packing', 'packed')


def upgrade() -> None:
    op.create_table(
        'work_slots',
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('slot_at', app.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('orders', sa.Integer(), nullable=False),
        sa.Column('units', sa.Integer(), nullable=False),
        sa.Column('seconds', sa.Float(), nullable=False),
        sa.Column('events', sa.Integer(), nullable=False),
        sa.CheckConstraint("kind IN ('pick', 'pack', 'ship')", name=op.f('ck_work_slots_kind')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_work_slots_user_id_users')),
        sa.PrimaryKeyConstraint('kind', 'slot_at', 'user_id', name=op.f('pk_work_slots')),
    )
    op.create_index(op.f('ix_work_slots_slot_at'), 'work_slots', ['slot_at'], unique=False)
    op.create_table(
        'backlog_summary',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('computed_at', app.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('took_ms', sa.Float(), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_backlog_summary')),
    )
    op.create_index(op.f('ix_packages_packed_at'), 'packages', ['packed_at'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        # The dashboard's pass over the live orders, from the index alone (see the model).
        op.create_index('ix_orders_live', 'orders', [
            'status', 'priority_band', 'carrier_id', 'is_presale',
            sa.text("date_bin('01:00:00'::interval, promised_ship_by, "
                    "'2000-01-01 00:00:00+00'::timestamp with time zone)"),
        ], unique=False, postgresql_include=['promised_ship_by', 'campaign_id'],
            postgresql_where=sa.text(f"status IN ({', '.join(repr(s) for s in LIVE)})"))
        # How many groups the pass makes (a few thousand, not one per order): with it the
        # planner counts in parallel workers, each its share of the index.
        op.execute("CREATE STATISTICS st_orders_live_groups (ndistinct) ON status, "
                   "priority_band, carrier_id, is_presale, (date_bin('01:00:00'::interval, "
                   "promised_ship_by, '2000-01-01 00:00:00+00'::timestamp with time zone)) "
                   "FROM orders")
        # The index answers alone only for pages vacuum has marked all-visible; at the peak
        # every order moves several times an hour, and autovacuum's default (a fifth of the
        # table changed) would leave most pages unmarked for hours. One per cent: a run
        # every few minutes, each a few seconds on a million live orders.
        op.execute("ALTER TABLE orders SET (autovacuum_vacuum_scale_factor = 0.01, "
                   "autovacuum_vacuum_insert_scale_factor = 0.01, "
                   "autovacuum_analyze_scale_factor = 0.02)")
    # Plain ADD COLUMN (see 0004): no table rebuild under existing data.
    op.add_column('carriers', sa.Column('cutoff', sa.String(length=5), nullable=True))
    op.add_column('stations', sa.Column('printers', sa.JSON(), nullable=True))
    _backfill()


def _backfill() -> None:
    """The last eight days' work added up into slots, as the services count it from now on:
    packs (one per order, by its packer at its first box's time, with its units), picks (units
    per task by its picker; a wave's orders by its picker when its picking finished) and
    handovers (the orders each closed handover shipped, by whoever opened it). Read as a
    stream: on a peak-sized database millions of rows pass, a few thousand slots stay."""
    bind = op.get_bind()
    since = datetime.now(UTC) - timedelta(days=BACKFILL_DAYS)
    md = sa.MetaData()
    packages = sa.Table('packages', md, autoload_with=bind)
    orders = sa.Table('orders', md, autoload_with=bind)
    tasks = sa.Table('pick_tasks', md, autoload_with=bind)
    waves = sa.Table('waves', md, autoload_with=bind)
    members = sa.Table('wave_orders', md, autoload_with=bind)
    handovers = sa.Table('handovers', md, autoload_with=bind)
    slots: dict[tuple[str, datetime, int], list[int]] = defaultdict(lambda: [0, 0, 0])

    def add(kind: str, at: Any, user: int, orders_: int, units: int) -> None:
        row = slots[kind, _slot_of(_aware(at)), user]
        row[0] += orders_
        row[1] += units
        row[2] += 1

    def stream(query: Any) -> Any:
        return bind.execute(query.execution_options(yield_per=10_000))

    for _order, at, user, units in stream(
            sa.select(packages.c.order_id, sa.func.min(packages.c.packed_at),
                      sa.func.min(packages.c.packed_by), orders.c.unit_count)
            .join(orders, orders.c.id == packages.c.order_id)
            .where(packages.c.packed_at >= since, packages.c.packed_by.is_not(None))
            .group_by(packages.c.order_id, orders.c.unit_count)):
        add('pack', at, user, 1, units)
    for at, user, qty in stream(
            sa.select(tasks.c.picked_at, tasks.c.picked_by, tasks.c.picked_qty)
            .where(tasks.c.picked_at >= since, tasks.c.picked_by.is_not(None),
                   tasks.c.picked_qty > 0)):
        add('pick', at, user, 0, qty)
    for at, user, n in stream(
            sa.select(waves.c.finished_at, waves.c.picker_id, sa.func.count(members.c.id))
            .join(members, members.c.wave_id == waves.c.id)
            .where(waves.c.finished_at >= since, waves.c.picker_id.is_not(None),
                   members.c.removed_at.is_(None))
            .group_by(waves.c.id, waves.c.finished_at, waves.c.picker_id)):
        add('pick', at, user, n, 0)
    for at, user, n, units in stream(
            sa.select(handovers.c.closed_at, handovers.c.created_by,
                      sa.func.count(sa.distinct(orders.c.id)), sa.func.sum(orders.c.unit_count))
            .join(packages, packages.c.handover_id == handovers.c.id)
            .join(orders, orders.c.id == packages.c.order_id)
            .where(handovers.c.closed_at >= since, handovers.c.created_by.is_not(None),
                   packages.c.box_no == 1)
            .group_by(handovers.c.id, handovers.c.closed_at, handovers.c.created_by)):
        add('ship', at, user, n, int(units or 0))
    if slots:
        # Typed as the model types it, so SQLite keeps the times as the services write them.
        work = sa.table('work_slots', sa.column('kind'),
                        sa.column('slot_at', app.store.types.UTCDateTime(timezone=True)),
                        *(sa.column(c) for c in ('user_id', 'orders', 'units', 'seconds',
                                                 'events')))
        bind.execute(work.insert(), [
            {'kind': kind, 'slot_at': at, 'user_id': user, 'orders': n[0], 'units': n[1],
             'seconds': 0.0, 'events': n[2]} for (kind, at, user), n in slots.items()])


_EPOCH = datetime(2000, 1, 3, tzinfo=UTC)
_SLOT = timedelta(minutes=5)


def _slot_of(at: datetime) -> datetime:
    """The five-minute slot of `at`, as Packline counted work when this migration was
    written (kept here: a migration does not change with the code after it)."""
    return _EPOCH + _SLOT * ((at - _EPOCH) // _SLOT)


def _aware(at: Any) -> datetime:
    when: datetime = datetime.fromisoformat(at) if isinstance(at, str) else at
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def downgrade() -> None:
    op.execute('ALTER TABLE stations DROP COLUMN printers')
    op.execute('ALTER TABLE carriers DROP COLUMN cutoff')
    op.drop_index(op.f('ix_packages_packed_at'), table_name='packages')
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE orders RESET (autovacuum_vacuum_scale_factor, '
                   'autovacuum_vacuum_insert_scale_factor, autovacuum_analyze_scale_factor)')
        op.execute('DROP STATISTICS st_orders_live_groups')
        op.drop_index('ix_orders_live', table_name='orders')
    op.drop_index(op.f('ix_work_slots_slot_at'), table_name='work_slots')
    op.drop_table('work_slots')
    op.drop_table('backlog_summary')
