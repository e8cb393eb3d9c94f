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
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pool_units', sa.Integer(), server_default=sa.text('0'), nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_column('pool_units')

