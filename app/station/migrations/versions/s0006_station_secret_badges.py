"""station secret badges

Revision ID: s0006
Revises: s0005
Cached users carry badge and PIN hashes instead of badge codes; failed offline logins are
counted in the station's own throttle table.
Create Date: 2026-12-06 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.store.types

revision: str = 's0006'
down_revision: str | Sequence[str] | None = 's0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The cached copy is refilled by the next pull: start it afresh (its cursor too) rather
    # than carry guessable badge codes over.
    op.execute("DELETE FROM cached_users")
    op.execute("DELETE FROM sync_cursors WHERE name = 'users'")
    with op.batch_alter_table('cached_users') as batch:
        batch.drop_constraint('uq_cached_users_badge_code', type_='unique')
        batch.drop_column('badge_code')
        batch.add_column(sa.Column('kind', sa.String(length=8), server_default='person',
                                   nullable=False))
        batch.add_column(sa.Column('pin_hash', sa.String(length=200), nullable=True))
        batch.add_column(sa.Column('badge_hash', sa.String(length=64), nullable=True))
        batch.create_unique_constraint('uq_cached_users_badge_hash', ['badge_hash'])
    op.create_table('station_login_throttle',
    sa.Column('scope', sa.String(length=8), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failed_at', app.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('retry_after', app.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('locked_until', app.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('scope', 'key', name=op.f('pk_station_login_throttle'))
    )


def downgrade() -> None:
    op.drop_table('station_login_throttle')
    op.execute("DELETE FROM cached_users")
    op.execute("DELETE FROM sync_cursors WHERE name = 'users'")
    with op.batch_alter_table('cached_users') as batch:
        batch.drop_constraint('uq_cached_users_badge_hash', type_='unique')
        batch.drop_column('badge_hash')
        batch.drop_column('pin_hash')
        batch.drop_column('kind')
        batch.add_column(sa.Column('badge_code', sa.String(length=64), nullable=True))
        batch.create_unique_constraint('uq_cached_users_badge_code', ['badge_code'])
