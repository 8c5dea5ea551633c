"""payment settings on shops (methods, cuotas, transfer details, CUIT, cash and seña policy),
and each service's seña

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 08:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('shops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('payment_methods', sa.String(length=60), server_default='mercadopago,cash,transfer,ticket', nullable=False))
        batch_op.add_column(sa.Column('max_cuotas', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('cash_tickets', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('transfer_alias', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('transfer_account', sa.String(length=22), nullable=True))
        batch_op.add_column(sa.Column('cuit', sa.String(length=11), nullable=True))
        batch_op.add_column(sa.Column('cash_confirms', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('deposit_when', sa.String(length=12), server_default='always', nullable=False))
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deposit_kind', sa.String(length=10), server_default='none', nullable=False))
        batch_op.add_column(sa.Column('deposit_value', sa.BigInteger(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.drop_column('deposit_value')
        batch_op.drop_column('deposit_kind')
    with op.batch_alter_table('shops', schema=None) as batch_op:
        for column in ('deposit_when', 'cash_confirms', 'cuit', 'transfer_account', 'transfer_alias', 'cash_tickets', 'max_cuotas', 'payment_methods'):
            batch_op.drop_column(column)
