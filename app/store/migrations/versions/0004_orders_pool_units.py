"""orders pool units

Revision ID: 0004
Revises: 0003
Orders remember the presale pool units they hold, so a cancellation gives them back.

Create Date: 2026-11-22 00:44:44.538139
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | Sequence[str] | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN, not a batch table rebuild: SQLite cannot rebuild `orders` once
    # order lines, payments and the stock ledger point at its rows.
    op.add_column("orders", sa.Column("pool_units", sa.Integer(), server_default=sa.text("0"),
                                      nullable=False))


def downgrade() -> None:
    # Native DROP COLUMN (SQLite 3.35+, PostgreSQL), for the same reason as above.
    op.execute("ALTER TABLE orders DROP COLUMN pool_units")
