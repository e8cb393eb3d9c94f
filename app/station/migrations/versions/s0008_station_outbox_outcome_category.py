"""station outbox outcome category

Revision ID: s0008
Revises: s0007
The centre's answer to an event is kept as its parts: the outcome, the exception category of a
conflict (the words a packer reads depend on it) and the detail. Conflicts pushed before this
kept both in one text, "category: detail"; they are split here once.
Create Date: 2026-12-06 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 's0008'
down_revision: str | Sequence[str] | None = 's0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('outbox') as batch:
        batch.add_column(sa.Column('category', sa.String(length=64), nullable=False,
                                   server_default=''))
    outbox = sa.table('outbox', sa.column('seq', sa.Integer), sa.column('outcome', sa.String),
                      sa.column('category', sa.String), sa.column('last_error', sa.Text))
    bind = op.get_bind()
    rows = bind.execute(sa.select(outbox.c.seq, outbox.c.last_error)
                        .where(outbox.c.outcome == 'conflict')).all()
    for seq, text in rows:
        category, sep, rest = (text or '').partition(': ')
        if sep and category and ' ' not in category:
            bind.execute(outbox.update().where(outbox.c.seq == seq)
                         .values(category=category, last_error=rest))


def downgrade() -> None:
    with op.batch_alter_table('outbox') as batch:
        batch.drop_column('category')
