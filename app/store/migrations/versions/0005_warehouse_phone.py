"""warehouse phone

Revision ID: 0005
Revises: 0004
The warehouse's phone, printed as the sender's on waybills.

Create Date: 2026-11-22 02:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | Sequence[str] | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN (see 0004): no table rebuild under existing data.
    op.add_column("warehouses", sa.Column("phone", sa.String(length=32), server_default="",
                                          nullable=False))


def downgrade() -> None:
    op.execute("ALTER TABLE warehouses DROP COLUMN phone")
