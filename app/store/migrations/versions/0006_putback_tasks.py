"""putback tasks

Revision ID: 0006
Revises: 0005
Put-back (放回) tasks: units picked for orders that no longer ship go back to their bins.

Create Date: 2026-11-22 02:29:14.788614
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.store.types

revision: str = '0006'
down_revision: str | Sequence[str] | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('putback_tasks',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('wave_id', sa.Integer(), nullable=True),
    sa.Column('order_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('sku_id', sa.Integer(), nullable=False),
    sa.Column('bin_id', sa.Integer(), nullable=False),
    sa.Column('qty', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', app.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('done_at', app.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('done_by', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('open', 'done')", name=op.f('ck_putback_tasks_status')),
    sa.CheckConstraint('qty > 0', name=op.f('ck_putback_tasks_qty_positive')),
    sa.ForeignKeyConstraint(['bin_id'], ['bins.id'], name=op.f('fk_putback_tasks_bin_id_bins')),
    sa.ForeignKeyConstraint(['done_by'], ['users.id'], name=op.f('fk_putback_tasks_done_by_users')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_putback_tasks_order_id_orders')),
    sa.ForeignKeyConstraint(['sku_id'], ['skus.id'], name=op.f('fk_putback_tasks_sku_id_skus')),
    sa.ForeignKeyConstraint(['wave_id'], ['waves.id'], name=op.f('fk_putback_tasks_wave_id_waves')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_putback_tasks'))
    )
    with op.batch_alter_table('putback_tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_putback_tasks_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_putback_tasks_wave_id'), ['wave_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('putback_tasks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_putback_tasks_wave_id'))
        batch_op.drop_index(batch_op.f('ix_putback_tasks_status'))

    op.drop_table('putback_tasks')
