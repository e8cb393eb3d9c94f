"""waybill cancellations

Revision ID: 0014
Revises: 0013
The outbox of platform waybills to give back at their provider: a parcel packed with a
Cainiao (or Pinduoduo, Douyin) waybill whose order is then intercepted has its waybill
cancelled by the engine, with retries, never inside the intercepting transaction. A new table
only.

Create Date: 2026-12-06 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.store.types

revision: str = '0014'
down_revision: str | Sequence[str] | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'waybill_cancellations',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                  autoincrement=True, nullable=False),
        sa.Column('package_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                  nullable=False),
        sa.Column('provider', sa.String(length=16), nullable=False),
        sa.Column('carrier_code', sa.String(length=32), nullable=False),
        sa.Column('tracking_no', sa.String(length=64), nullable=False),
        sa.Column('reason', sa.String(length=32), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_at', app.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('last_error', sa.String(length=500), nullable=False),
        sa.Column('created_at', app.store.types.UTCDateTime(timezone=True),
                  server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
        sa.Column('done_at', app.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'sending', 'done', 'refused')",
                           name=op.f('ck_waybill_cancellations_status')),
        sa.ForeignKeyConstraint(['package_id'], ['packages.id'],
                                name=op.f('fk_waybill_cancellations_package_id_packages')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_waybill_cancellations')),
        sa.UniqueConstraint('package_id', name=op.f('uq_waybill_cancellations_package_id')),
    )
    op.create_index(op.f('ix_waybill_cancellations_status_next_at'), 'waybill_cancellations',
                    ['status', 'next_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_waybill_cancellations_status_next_at'),
                  table_name='waybill_cancellations')
    op.drop_table('waybill_cancellations')
