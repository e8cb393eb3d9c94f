"""waybill requests, waits and what a waybill was issued for

Revision ID: 0015
Revises: 0014
- `packages.waybill_for`: the carrier and a digest of the receiver a platform waybill was
  issued for, so a waybill fetched ahead is never printed after the address or the carrier
  changed;
- `waybill_cancellations` unique on (package, tracking number) instead of the package alone:
  a box whose waybill was given back before packing gets a new one;
- `shipment_confirmations.status` may be `withdrawn` (its parcel's waybill given back);
- `waybill_requests`: a packing station's ask for a box's waybill, served by the engine (the
  only process holding the shops' secrets);
- `waybill_waits`: when the engine may ask again for a box whose waybill failed.

Create Date: 2026-12-08 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.store.types

revision: str = '0015'
down_revision: str | Sequence[str] | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
_OLD = "status IN ('pending', 'sending', 'sent', 'refused')"
_NEW = "status IN ('pending', 'sending', 'sent', 'refused', 'withdrawn')"


def upgrade() -> None:
    op.add_column('packages', sa.Column('waybill_for', sa.String(length=80), nullable=True))
    with op.batch_alter_table('waybill_cancellations') as batch:
        batch.drop_constraint('uq_waybill_cancellations_package_id', type_='unique')
        batch.create_unique_constraint(
            op.f('uq_waybill_cancellations_package_id_tracking_no'),
            ['package_id', 'tracking_no'])
    with op.batch_alter_table('shipment_confirmations') as batch:
        batch.drop_constraint('status', type_='check')
        batch.create_check_constraint('status', _NEW)
    op.create_table(
        'waybill_requests',
        sa.Column('id', _ID, autoincrement=True, nullable=False),
        sa.Column('order_id', _ID, nullable=False),
        sa.Column('box_no', sa.Integer(), nullable=False),
        sa.Column('requested_at', app.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('station', sa.String(length=32), nullable=False),
        sa.Column('requested_by', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['order_id'], ['orders.id'],
                                name=op.f('fk_waybill_requests_order_id_orders')),
        sa.ForeignKeyConstraint(['requested_by'], ['users.id'],
                                name=op.f('fk_waybill_requests_requested_by_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_waybill_requests')),
        sa.UniqueConstraint('order_id', 'box_no',
                            name=op.f('uq_waybill_requests_order_id_box_no')),
    )
    op.create_table(
        'waybill_waits',
        sa.Column('order_id', _ID, autoincrement=False, nullable=False),
        sa.Column('box_no', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_at', app.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('refused', sa.Boolean(), nullable=False),
        sa.Column('last_error', sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(['order_id'], ['orders.id'],
                                name=op.f('fk_waybill_waits_order_id_orders')),
        sa.PrimaryKeyConstraint('order_id', 'box_no', name=op.f('pk_waybill_waits')),
    )


def downgrade() -> None:
    op.drop_table('waybill_waits')
    op.drop_table('waybill_requests')
    with op.batch_alter_table('shipment_confirmations') as batch:
        batch.drop_constraint('status', type_='check')
        batch.create_check_constraint('status', _OLD)
    with op.batch_alter_table('waybill_cancellations') as batch:
        batch.drop_constraint('uq_waybill_cancellations_package_id_tracking_no', type_='unique')
        batch.create_unique_constraint(op.f('uq_waybill_cancellations_package_id'),
                                       ['package_id'])
    with op.batch_alter_table('packages') as batch:
        batch.drop_column('waybill_for')
