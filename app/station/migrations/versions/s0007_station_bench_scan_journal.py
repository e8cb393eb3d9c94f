"""station bench scan journal

Revision ID: s0007
Revises: s0006
Every scan, weight and command card given to the packing bench, with its id: written before it
is acted on, marked applied or refused with the pack events it caused, so a scan fed again
(a replay re-run after a kill) is never counted twice.
Create Date: 2026-12-06 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.store.types

revision: str = 's0007'
down_revision: str | Sequence[str] | None = 's0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('bench_scans',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.Column('qty', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=64), nullable=False),
    sa.Column('session_id', sa.String(length=36), nullable=True),
    sa.Column('user', sa.String(length=64), nullable=False),
    sa.Column('at', app.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('done_at', app.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'applied', 'refused')", name=op.f('ck_bench_scans_status')),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_bench_scans')),
    sa.UniqueConstraint('id', name=op.f('uq_bench_scans_id'))
    )
    with op.batch_alter_table('bench_scans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bench_scans_status_seq'), ['status', 'seq'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('bench_scans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bench_scans_status_seq'))
    op.drop_table('bench_scans')
