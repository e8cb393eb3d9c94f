"""presale through the peak

Revision ID: 0018
Revises: 0017
A presale campaign's stock mode ('pool': the virtual pool, no real stock; 'real': 预占真实库存,
each deposit reserves real units and the order may be packed before its balance is paid), its
supplier and backup supplier, the buyer's compensation when its goods come more than 72 h
late, and the handling time its promise counts. The suppliers, the deliveries they confirmed
per campaign (the production schedule, in transit, arrived, slipping dates), and the buyers
flagged for compensation.

Create Date: 2026-12-07 03:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.store.types import BigIntType, UTCDateTime

revision: str = '0018'
down_revision: str | Sequence[str] | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (column, type, default or "supplier" for a reference to suppliers, (check name, check))
_CAMPAIGN_COLUMNS: tuple[tuple[str, str, str, tuple[str, str] | None], ...] = (
    ("stock_mode", "VARCHAR(8)", "'pool'", ("stock_mode", "stock_mode IN ('pool', 'real')")),
    ("supplier_id", "INTEGER", "supplier", None),
    ("backup_supplier_id", "INTEGER", "supplier", None),
    ("compensation_fen", "INTEGER", "1000",
     ("compensation_not_negative", "compensation_fen >= 0")),
    ("handling_hours", "INTEGER", "24", ("handling_not_negative", "handling_hours >= 0")),
)


def upgrade() -> None:
    op.create_table(
        'suppliers',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('code', sa.String(length=64), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('phone', sa.String(length=64), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', UTCDateTime(), server_default=sa.text('CURRENT_TIMESTAMP'),
                  nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_suppliers')),
        sa.UniqueConstraint('code', name=op.f('uq_suppliers_code')))
    # Plain ADD COLUMNs, not a batch table rebuild: SQLite cannot rebuild presale_campaigns
    # once pools and orders point at its rows. SQLite takes a column's CHECK and REFERENCES
    # in the ADD COLUMN itself; PostgreSQL adds them as constraints.
    for column, sql_type, extra, check in _CAMPAIGN_COLUMNS:
        if op.get_bind().dialect.name == "sqlite":
            named = (f" CONSTRAINT ck_presale_campaigns_{check[0]} CHECK ({check[1]})"
                     if check else "")
            refers = (f" CONSTRAINT fk_presale_campaigns_{column}_suppliers REFERENCES "
                      "suppliers (id)" if extra == "supplier" else "")
            default = f" DEFAULT {extra} NOT NULL" if extra not in ("", "supplier") else ""
            op.execute(f"ALTER TABLE presale_campaigns ADD COLUMN {column} {sql_type}"
                       f"{default}{named}{refers}")
            continue
        op.add_column('presale_campaigns', sa.Column(
            column, sa.Integer() if sql_type == "INTEGER" else sa.String(length=8),
            server_default=sa.text(extra) if extra not in ("", "supplier") else None,
            nullable=extra in ("", "supplier")))
        if check:
            op.create_check_constraint(op.f(f'ck_presale_campaigns_{check[0]}'),
                                       'presale_campaigns', check[1])
        if extra == "supplier":
            op.create_foreign_key(op.f(f'fk_presale_campaigns_{column}_suppliers'),
                                  'presale_campaigns', 'suppliers', [column], ['id'])
    op.create_table(
        'presale_supplies',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('campaign_id', sa.Integer(), nullable=False),
        sa.Column('supplier_id', sa.Integer(), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('expected_on', sa.Date(), nullable=False),
        sa.Column('qty', sa.Integer(), nullable=False),
        sa.Column('in_transit_qty', sa.Integer(), nullable=False),
        sa.Column('arrived_qty', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('note', sa.String(length=200), nullable=False),
        sa.Column('updated_at', UTCDateTime(), server_default=sa.text('CURRENT_TIMESTAMP'),
                  nullable=False),
        sa.Column('updated_by', sa.Integer(), nullable=True),
        sa.CheckConstraint('qty >= 0', name=op.f('ck_presale_supplies_qty_not_negative')),
        sa.CheckConstraint('in_transit_qty >= 0',
                           name=op.f('ck_presale_supplies_in_transit_not_negative')),
        sa.CheckConstraint('arrived_qty >= 0',
                           name=op.f('ck_presale_supplies_arrived_not_negative')),
        sa.CheckConstraint("status IN ('planned', 'in_transit', 'arrived', 'cancelled')",
                           name=op.f('ck_presale_supplies_status')),
        sa.ForeignKeyConstraint(['campaign_id'], ['presale_campaigns.id'],
                                name=op.f('fk_presale_supplies_campaign_id_presale_campaigns')),
        sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'],
                                name=op.f('fk_presale_supplies_supplier_id_suppliers')),
        sa.ForeignKeyConstraint(['updated_by'], ['users.id'],
                                name=op.f('fk_presale_supplies_updated_by_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_presale_supplies')),
        sa.UniqueConstraint('campaign_id', 'supplier_id', 'due_on',
                            name=op.f('uq_presale_supplies_campaign_id_supplier_id_due_on')))
    op.create_index(op.f('ix_presale_supplies_campaign_id'), 'presale_supplies',
                    ['campaign_id'], unique=False)
    op.create_table(
        'order_compensations',
        sa.Column('id', BigIntType, autoincrement=True, nullable=False),
        sa.Column('order_id', BigIntType, nullable=False),
        sa.Column('campaign_id', sa.Integer(), nullable=True),
        sa.Column('reason', sa.String(length=32), nullable=False),
        sa.Column('amount_fen', sa.Integer(), nullable=False),
        sa.Column('flagged_at', UTCDateTime(), nullable=False),
        sa.Column('flagged_by', sa.Integer(), nullable=True),
        sa.Column('exported_at', UTCDateTime(), nullable=True),
        sa.CheckConstraint('amount_fen >= 0',
                           name=op.f('ck_order_compensations_amount_not_negative')),
        sa.ForeignKeyConstraint(['order_id'], ['orders.id'],
                                name=op.f('fk_order_compensations_order_id_orders')),
        sa.ForeignKeyConstraint(['campaign_id'], ['presale_campaigns.id'],
                                name=op.f('fk_order_compensations_campaign_id_presale_campaigns')),
        sa.ForeignKeyConstraint(['flagged_by'], ['users.id'],
                                name=op.f('fk_order_compensations_flagged_by_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_order_compensations')),
        sa.UniqueConstraint('order_id', 'reason',
                            name=op.f('uq_order_compensations_order_id_reason')))
    op.create_index(op.f('ix_order_compensations_campaign_id'), 'order_compensations',
                    ['campaign_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_order_compensations_campaign_id'), table_name='order_compensations')
    op.drop_table('order_compensations')
    op.drop_index(op.f('ix_presale_supplies_campaign_id'), table_name='presale_supplies')
    op.drop_table('presale_supplies')
    for column, _type, extra, check in reversed(_CAMPAIGN_COLUMNS):
        if op.get_bind().dialect.name != "sqlite":
            if extra == "supplier":
                op.drop_constraint(op.f(f'fk_presale_campaigns_{column}_suppliers'),
                                   'presale_campaigns', type_='foreignkey')
            if check:
                op.drop_constraint(op.f(f'ck_presale_campaigns_{check[0]}'),
                                   'presale_campaigns', type_='check')
        # Native DROP COLUMN (SQLite 3.35+, PostgreSQL), for the same reason as above.
        op.execute(f"ALTER TABLE presale_campaigns DROP COLUMN {column}")
    op.drop_table('suppliers')
