"""orders claim index

Revision ID: 0017
Revises: 0016
The engine's claim walks the orders it may take (new, pending review, awaiting stock, awaiting
the balance; not intercepted) in id order through a partial index of exactly those: a claim of
500 reads about 500 index entries whether the backlog is a thousand orders or a million and
whatever the statistics say, and history (shipped orders) is not in it.

Create Date: 2026-12-07 00:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0017'
down_revision: str | Sequence[str] | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CLAIMABLE = ("status IN ('new', 'pending_review', 'awaiting_stock', 'awaiting_balance') "
             "AND intercept IS NULL")


def upgrade() -> None:
    op.create_index('ix_orders_claimable', 'orders', ['id'], unique=False,
                    postgresql_where=sa.text(CLAIMABLE), sqlite_where=sa.text(CLAIMABLE))


def downgrade() -> None:
    op.drop_index('ix_orders_claimable', table_name='orders')
