"""channel rejects

Revision ID: 0016
Revises: 0015
Pulled platform orders that intake refused, kept (record, reason, tries) so that every pull
of the shop tries them again and none is lost. A new table only.

Create Date: 2026-12-06 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.store.types

revision: str = '0016'
down_revision: str | Sequence[str] | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'channel_rejects',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                  autoincrement=True, nullable=False),
        sa.Column('shop_id', sa.Integer(), nullable=False),
        sa.Column('channel_order_no', sa.String(length=64), nullable=False),
        sa.Column('modified_at', app.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('record', sa.JSON(), nullable=False),
        sa.Column('reason', sa.String(length=500), nullable=False),
        sa.Column('reason_code', sa.String(length=64), nullable=False),
        sa.Column('reason_params', sa.JSON(), nullable=False),
        sa.Column('first_seen', app.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('last_tried', app.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('tries', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['shop_id'], ['shops.id'],
                                name=op.f('fk_channel_rejects_shop_id_shops')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_channel_rejects')),
        sa.UniqueConstraint('shop_id', 'channel_order_no',
                            name=op.f('uq_channel_rejects_shop_id_channel_order_no')),
    )


def downgrade() -> None:
    op.drop_table('channel_rejects')
