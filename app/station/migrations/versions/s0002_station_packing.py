"""station packing

Revision ID: s0002
Revises: s0001
Pack sessions and their event log (a packer's bench survives a crash), and the tracking
numbers handed to the station in advance.
Create Date: 2026-11-22 02:49:02.761622
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.store.types

revision: str = 's0002'
down_revision: str | Sequence[str] | None = 's0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('pack_events',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('session_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('accepted', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.String(length=64), nullable=False),
    sa.Column('at', app.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('user', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_pack_events')),
    sa.UniqueConstraint('id', name=op.f('uq_pack_events_id'))
    )
    with op.batch_alter_table('pack_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pack_events_session_id_seq'), ['session_id', 'seq'], unique=False)

    op.create_table('pack_sessions',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('order_no', sa.String(length=32), nullable=False),
    sa.Column('wave_no', sa.String(length=32), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('packer', sa.String(length=64), nullable=False),
    sa.Column('started_at', app.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('open', 'paused', 'packed', 'stopped')", name=op.f('ck_pack_sessions_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pack_sessions'))
    )
    with op.batch_alter_table('pack_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pack_sessions_order_no'), ['order_no'], unique=False)
        batch_op.create_index(batch_op.f('ix_pack_sessions_status_updated_at'), ['status', 'updated_at'], unique=False)

    op.create_table('station_tracking',
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('carrier', sa.String(length=32), nullable=False),
    sa.Column('used_for', sa.String(length=64), nullable=True),
    sa.Column('received_at', app.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', app.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('number', name=op.f('pk_station_tracking')),
    sa.UniqueConstraint('used_for', name=op.f('uq_station_tracking_used_for'))
    )
    with op.batch_alter_table('station_tracking', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_station_tracking_carrier_used_for'), ['carrier', 'used_for'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('station_tracking', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_station_tracking_carrier_used_for'))

    op.drop_table('station_tracking')
    with op.batch_alter_table('pack_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pack_sessions_status_updated_at'))
        batch_op.drop_index(batch_op.f('ix_pack_sessions_order_no'))

    op.drop_table('pack_sessions')
    with op.batch_alter_table('pack_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pack_events_session_id_seq'))

    op.drop_table('pack_events')
