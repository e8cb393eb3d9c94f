"""station cached users

Revision ID: s0004
Revises: s0003
The people who may log in at the station, with their password hashes, for offline login.
Create Date: 2026-11-22 03:53:56.961836
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.store.types

revision: str = 's0004'
down_revision: str | Sequence[str] | None = 's0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('cached_users',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('badge_code', sa.String(length=64), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('fetched_at', app.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_cached_users')),
    sa.UniqueConstraint('badge_code', name=op.f('uq_cached_users_badge_code'))
    )


def downgrade() -> None:
    op.drop_table('cached_users')
