"""standard sales channels

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

Orders name their channel; a channel that is not in the table is refused at intake, so a
typo in an order file cannot create a new channel. The shipped channels are rows here.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNELS = (
    ("taobao", "淘宝"),
    ("tmall", "天猫"),
    ("jd", "京东"),
    ("douyin", "抖音"),
    ("pdd", "拼多多"),
    ("manual", "手工单"),
)

channels = sa.table("channels", sa.column("code", sa.String), sa.column("name", sa.String),
                    sa.column("active", sa.Boolean))


def upgrade() -> None:
    # Databases that took orders before this revision already hold some of these rows.
    existing = set(op.get_bind().execute(sa.select(channels.c.code)).scalars())
    missing = [{"code": c, "name": n, "active": True} for c, n in CHANNELS if c not in existing]
    if missing:
        op.bulk_insert(channels, missing)


def downgrade() -> None:
    op.execute(channels.delete().where(channels.c.code.in_([c for c, _ in CHANNELS])))
