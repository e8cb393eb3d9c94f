"""access: secret badges, PINs, service accounts, login throttling, audit origin

Revision ID: 0009
Revises: 0008
Badges become random tokens stored hashed (the old `USR-<code>` badges were guessable and are
dropped: users get new badges from an admin). Leads and admins get a PIN for badge logins and
overrides; service accounts carry a hashed token. Failed logins are counted per user and per
station in `login_throttle`, which also keeps the last login, so logging in writes nothing to
`users`. Audit rows name the operating-system user and host an action came from.
Create Date: 2026-12-06 03:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.store.types
from app.store import changes

revision: str = '0009'
down_revision: str | Sequence[str] | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.drop_constraint('uq_users_badge_code', type_='unique')
        batch.drop_column('badge_code')
        batch.drop_column('last_login_at')
        batch.add_column(sa.Column('kind', sa.String(length=8), server_default='person',
                                   nullable=False))
        batch.add_column(sa.Column('pin_hash', sa.String(length=200), nullable=True))
        batch.add_column(sa.Column('badge_hash', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('badge_issued_at',
                                   app.store.types.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('token_hash', sa.String(length=64), nullable=True))
        batch.create_unique_constraint('uq_users_badge_hash', ['badge_hash'])
        batch.create_unique_constraint('uq_users_token_hash', ['token_hash'])
        batch.create_check_constraint('kind', "kind IN ('person', 'service')")
    _restamp_users()
    op.create_table('login_throttle',
    sa.Column('scope', sa.String(length=8), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failed_at', app.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('retry_after', app.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('locked_until', app.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_login_at', app.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("scope IN ('user', 'station')", name=op.f('ck_login_throttle_scope')),
    sa.PrimaryKeyConstraint('scope', 'key', name=op.f('pk_login_throttle'))
    )
    op.add_column('audit_log', sa.Column('os_user', sa.String(length=64), server_default='',
                                         nullable=False))
    op.add_column('audit_log', sa.Column('host', sa.String(length=64), server_default='',
                                         nullable=False))


def downgrade() -> None:
    op.execute("ALTER TABLE audit_log DROP COLUMN host")
    op.execute("ALTER TABLE audit_log DROP COLUMN os_user")
    op.drop_table('login_throttle')
    with op.batch_alter_table('users') as batch:
        batch.drop_constraint('kind', type_='check')
        batch.drop_constraint('uq_users_token_hash', type_='unique')
        batch.drop_constraint('uq_users_badge_hash', type_='unique')
        batch.drop_column('token_hash')
        batch.drop_column('badge_issued_at')
        batch.drop_column('badge_hash')
        batch.drop_column('pin_hash')
        batch.drop_column('kind')
        batch.add_column(sa.Column('last_login_at',
                                   app.store.types.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('badge_code', sa.String(length=64), nullable=True))
        batch.create_unique_constraint('uq_users_badge_code', ['badge_code'])
    _restamp_users()


def _restamp_users() -> None:
    # SQLite alters a table by copying it, which drops its triggers: put the change-sequence
    # stamp back so stations keep seeing user changes. PostgreSQL altered it in place.
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in changes.uninstall(dialect, "users") + changes.install(dialect, "users"):
            op.execute(statement)
