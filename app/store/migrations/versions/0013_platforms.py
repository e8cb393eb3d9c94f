"""platforms

Revision ID: 0013
Revises: 0012
Working with the platforms: a shop's platform settings (code, the seller's platform id, the
open-API gateway and app key, whether its orders are pulled, which waybill provider serves
each carrier, when shipment is confirmed), receivers kept encrypted by the platform (OAID,
ciphertext, the platform's merge key), each package's waybill provider, print data and
cancellation, the outbox of shipment confirmations to the platforms and how far each shop's
orders have been pulled. Only new columns and tables: nothing existing is rewritten.

Create Date: 2026-12-06 17:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.store.types

revision: str = '0013'
down_revision: str | Sequence[str] | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN (see 0004): no table rebuild under existing data.
    op.add_column('shops', sa.Column('code', sa.String(length=32), nullable=True))
    op.add_column('shops', sa.Column('platform_shop_id', sa.String(length=64), nullable=True))
    op.add_column('shops', sa.Column('api_url', sa.String(length=300), nullable=True))
    op.add_column('shops', sa.Column('app_key', sa.String(length=64), nullable=True))
    op.add_column('shops', sa.Column('pull_enabled', sa.Boolean(), nullable=False,
                                     server_default=sa.text('false')))
    op.add_column('shops', sa.Column('waybill_providers', sa.JSON(), nullable=True))
    op.add_column('shops', sa.Column('confirm_on', sa.String(length=16), nullable=False,
                                     server_default='handover'))
    op.create_index(op.f('ix_shops_code'), 'shops', ['code'], unique=True)
    op.add_column('orders', sa.Column('receiver_oaid', sa.String(length=128), nullable=True))
    op.add_column('orders', sa.Column('receiver_cipher', sa.JSON(), nullable=True))
    op.add_column('orders', sa.Column('merge_key', sa.String(length=128), nullable=True))
    op.add_column('packages', sa.Column('waybill_provider', sa.String(length=16),
                                        nullable=False, server_default='pool'))
    op.add_column('packages', sa.Column('print_data', sa.JSON(), nullable=True))
    op.add_column('packages', sa.Column('waybill_cancelled_at',
                                        app.store.types.UTCDateTime(timezone=True),
                                        nullable=True))
    op.create_table(
        'shipment_confirmations',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                  autoincrement=True, nullable=False),
        sa.Column('order_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('shop_id', sa.Integer(), nullable=False),
        sa.Column('channel', sa.String(length=32), nullable=False),
        sa.Column('channel_order_no', sa.String(length=64), nullable=False),
        sa.Column('sub_order_nos', sa.JSON(), nullable=True),
        sa.Column('carrier_code', sa.String(length=32), nullable=False),
        sa.Column('tracking_no', sa.String(length=64), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_at', app.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('last_error', sa.String(length=500), nullable=False),
        sa.Column('created_at', app.store.types.UTCDateTime(timezone=True),
                  server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
        sa.Column('sent_at', app.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'sending', 'sent', 'refused')",
                           name=op.f('ck_shipment_confirmations_status')),
        sa.ForeignKeyConstraint(['channel'], ['channels.code'],
                                name=op.f('fk_shipment_confirmations_channel_channels')),
        sa.ForeignKeyConstraint(['order_id'], ['orders.id'],
                                name=op.f('fk_shipment_confirmations_order_id_orders')),
        sa.ForeignKeyConstraint(['shop_id'], ['shops.id'],
                                name=op.f('fk_shipment_confirmations_shop_id_shops')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_shipment_confirmations')),
        sa.UniqueConstraint('shop_id', 'channel_order_no', 'tracking_no',
                            name=op.f('uq_shipment_confirmations_shop_id_channel_order_no_tracking_no')),
    )
    op.create_index(op.f('ix_shipment_confirmations_order_id'), 'shipment_confirmations',
                    ['order_id'], unique=False)
    op.create_index(op.f('ix_shipment_confirmations_status_next_at'), 'shipment_confirmations',
                    ['status', 'next_at'], unique=False)
    op.create_table(
        'channel_cursors',
        sa.Column('shop_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('pulled_until', app.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('last_run_at', app.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('last_error', sa.String(length=500), nullable=False),
        sa.Column('orders_seen', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                  nullable=False),
        sa.ForeignKeyConstraint(['shop_id'], ['shops.id'],
                                name=op.f('fk_channel_cursors_shop_id_shops')),
        sa.PrimaryKeyConstraint('shop_id', name=op.f('pk_channel_cursors')),
    )


def downgrade() -> None:
    op.drop_table('channel_cursors')
    op.drop_index(op.f('ix_shipment_confirmations_status_next_at'), table_name='shipment_confirmations')
    op.drop_index(op.f('ix_shipment_confirmations_order_id'),
                  table_name='shipment_confirmations')
    op.drop_table('shipment_confirmations')
    # Native DROP COLUMN (SQLite 3.35+, PostgreSQL): no table rebuild (see 0004).
    for table, column in (('packages', 'waybill_cancelled_at'), ('packages', 'print_data'),
                          ('packages', 'waybill_provider'), ('orders', 'merge_key'),
                          ('orders', 'receiver_cipher'), ('orders', 'receiver_oaid')):
        op.execute(f'ALTER TABLE {table} DROP COLUMN {column}')
    op.drop_index(op.f('ix_shops_code'), table_name='shops')
    for column in ('confirm_on', 'waybill_providers', 'pull_enabled', 'app_key', 'api_url',
                   'platform_shop_id', 'code'):
        op.execute(f'ALTER TABLE shops DROP COLUMN {column}')
