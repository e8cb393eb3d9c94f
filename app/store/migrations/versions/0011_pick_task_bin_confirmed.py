"""pick task bin confirmed

Revision ID: 0011
Revises: 0010
When the picker scanned a pick task's bin: the item's scans count only after it, and a picker
who logs in again on another scanner carries on at the same step. Tasks of waves being picked
when this runs have no bin confirmed: their picker scans the bin once more.

Create Date: 2026-12-08 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.store.types

revision: str = '0011'
down_revision: str | Sequence[str] | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN (see 0004): no table rebuild under existing data.
    op.add_column('pick_tasks', sa.Column('bin_confirmed_at',
                                          app.store.types.UTCDateTime(timezone=True),
                                          nullable=True))


def downgrade() -> None:
    op.execute('ALTER TABLE pick_tasks DROP COLUMN bin_confirmed_at')
