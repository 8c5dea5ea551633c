"""payments (one try at paying a booking) and the append-only ledger; the shop's plan rates

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 08:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('shops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('commission_bps', sa.Integer(), server_default='300', nullable=False))
        batch_op.add_column(sa.Column('professional_percent', sa.Integer(), server_default='50', nullable=False))
    op.create_table('payments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=12), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('preference_id', sa.String(length=80), nullable=True),
    sa.Column('provider_payment_id', sa.String(length=40), nullable=True),
    sa.Column('key', sa.String(length=80), nullable=True),
    sa.Column('receipt', sa.Text(), nullable=True),
    sa.Column('link', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'approved', 'rejected', 'expired', 'refunded', 'cancelled')", name=op.f('ck_payments_status')),
    sa.CheckConstraint('amount_cents >= 0', name=op.f('ck_payments_amount')),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_payments_booking_id_bookings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_payments_shop_id_shops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payments')),
    sa.UniqueConstraint('preference_id', name=op.f('uq_payments_preference_id')),
    sa.UniqueConstraint('provider_payment_id', name=op.f('uq_payments_provider_payment_id')),
    sa.UniqueConstraint('key', name=op.f('uq_payments_key'))
    )
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payments_booking_id'), ['booking_id'], unique=False)
    op.create_table('ledger_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('professional_id', sa.Integer(), nullable=False),
    sa.Column('entry', sa.String(length=10), nullable=False),
    sa.Column('account', sa.String(length=12), nullable=False),
    sa.Column('method', sa.String(length=12), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_ledger_entries_booking_id_bookings')),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_ledger_entries_payment_id_payments')),
    sa.ForeignKeyConstraint(['professional_id'], ['professionals.id'], name=op.f('fk_ledger_entries_professional_id_professionals')),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_ledger_entries_shop_id_shops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_entries')),
    sa.UniqueConstraint('key', name=op.f('uq_ledger_entries_key'))
    )
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_entries_shop_id_created_at'), ['shop_id', 'created_at'], unique=False)


def downgrade() -> None:
    op.drop_table('ledger_entries')
    op.drop_table('payments')
    with op.batch_alter_table('shops', schema=None) as batch_op:
        batch_op.drop_column('professional_percent')
        batch_op.drop_column('commission_bps')
