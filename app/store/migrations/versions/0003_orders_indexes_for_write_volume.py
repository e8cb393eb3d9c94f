"""orders indexes for write volume

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 00:41:08

Every routing move rewrites an order row, so each index on `orders` is paid for at 11.11
rates. Creation time is served by the id (handed out in arrival order); the links most
orders lack become partial indexes that only orders having them enter.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SPARSE = ("exception", "parent_id", "merged_into_id", "wave_id", "campaign_id")


def upgrade() -> None:
    op.drop_index("ix_orders_carrier_id", table_name="orders")
    op.drop_index("ix_orders_created_at_id", table_name="orders")
    for column in SPARSE:
        op.drop_index(f"ix_orders_{column}", table_name="orders")
        where = sa.text(f"{column} IS NOT NULL")
        op.create_index(f"ix_orders_{column}", "orders", [column], unique=False,
                        sqlite_where=where, postgresql_where=where)


def downgrade() -> None:
    for column in SPARSE:
        op.drop_index(f"ix_orders_{column}", table_name="orders")
        op.create_index(f"ix_orders_{column}", "orders", [column], unique=False)
    op.create_index("ix_orders_created_at_id", "orders", ["created_at", "id"], unique=False)
    op.create_index("ix_orders_carrier_id", "orders", ["carrier_id"], unique=False)
