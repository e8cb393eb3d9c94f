"""station cached work

Revision ID: s0003
Revises: s0002
Orders of the waves ready to pack, held by the station so the bench opens them at once and
packs them while the central database is out of reach.
Create Date: 2026-11-22 03:18:12.405126
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.store.types

revision: str = 's0003'
down_revision: str | Sequence[str] | None = 's0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('cached_orders',
    sa.Column('order_no', sa.String(length=32), nullable=False),
    sa.Column('wave_no', sa.String(length=32), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('fetched_at', app.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('order_no', name=op.f('pk_cached_orders'))
    )
    with op.batch_alter_table('cached_orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cached_orders_wave_no'), ['wave_no'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('cached_orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cached_orders_wave_no'))

    op.drop_table('cached_orders')
