"""change sequence for station pulls

Revision ID: 0007
Revises: 0006
The tables stations copy (orders, SKUs and barcodes, carriers, users) get a `change_seq`
stamped by a trigger on every write (`app.store.changes`); stations report their outbox.
Create Date: 2026-11-22 04:31:33.102982
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.store.types
from app.store import changes

TABLES = ('orders', 'skus', 'sku_barcodes', 'carriers', 'users')

revision: str = '0007'
down_revision: str | Sequence[str] | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTER TABLE … ADD COLUMN: a batch table rebuild on SQLite would fail on the rows
    # that reference these tables.
    for table in TABLES:
        op.add_column(table, sa.Column('change_seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), server_default=sa.text('0'), nullable=False))
        op.create_index(op.f(f'ix_{table}_change_seq'), table, ['change_seq'], unique=False)
    op.add_column('stations', sa.Column('outbox_pending', sa.Integer(), server_default=sa.text('0'), nullable=False))
    op.add_column('stations', sa.Column('outbox_lag_s', sa.Float(), server_default=sa.text('0'), nullable=False))
    op.add_column('stations', sa.Column('outbox_refused', sa.Integer(), server_default=sa.text('0'), nullable=False))
    op.add_column('stations', sa.Column('last_push_at', app.store.types.UTCDateTime(timezone=True), nullable=True))
    dialect = op.get_bind().dialect.name
    for table in TABLES:
        for statement in changes.install(dialect, table):
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in TABLES:
        for statement in changes.uninstall(dialect, table):
            op.execute(statement)
    if dialect == 'postgresql':
        op.execute('DROP FUNCTION IF EXISTS packline_change_seq()')
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+ has it), as in upgrade.
    for table in TABLES:
        op.drop_index(op.f(f'ix_{table}_change_seq'), table_name=table)
        op.execute(f'ALTER TABLE {table} DROP COLUMN change_seq')
    for column in ('last_push_at', 'outbox_refused', 'outbox_lag_s', 'outbox_pending'):
        op.execute(f'ALTER TABLE stations DROP COLUMN {column}')
