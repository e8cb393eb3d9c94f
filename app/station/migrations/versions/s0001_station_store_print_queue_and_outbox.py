"""station store: print queue and outbox

Revision ID: s0001
Revises: (none: the first station revision)
The print queue (jobs rendered and stored before they are sent) and the outbox of events for
the central database.

Create Date: 2026-11-22 02:21:55.266800
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.store.types

revision: str = 's0001'
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('outbox',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', app.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('pushed_at', app.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_outbox')),
    sa.UniqueConstraint('id', name=op.f('uq_outbox_id'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_pushed_at_seq'), ['pushed_at', 'seq'], unique=False)

    op.create_table('print_jobs',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', app.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('ref', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('paper', sa.String(length=16), nullable=False),
    sa.Column('dpi', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('doc_type', sa.String(length=32), nullable=False),
    sa.Column('document', sa.JSON(), nullable=True),
    sa.Column('dedupe_key', sa.String(length=200), nullable=True),
    sa.Column('reprint_of', sa.String(length=36), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('requested_by', sa.String(length=64), nullable=False),
    sa.Column('requested_printer', sa.String(length=64), nullable=False),
    sa.Column('printer', sa.String(length=64), nullable=False),
    sa.Column('moved_from', sa.String(length=64), nullable=True),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('resends', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('sent_at', app.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('queued', 'sending', 'sent', 'failed', 'cancelled')", name=op.f('ck_print_jobs_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_print_jobs')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_print_jobs_dedupe_key'))
    )
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_print_jobs_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_print_jobs_status_printer_priority_created_at'), ['status', 'printer', 'priority', 'created_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_print_jobs_status_printer_priority_created_at'))
        batch_op.drop_index(batch_op.f('ix_print_jobs_created_at'))

    op.drop_table('print_jobs')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_pushed_at_seq'))

    op.drop_table('outbox')
