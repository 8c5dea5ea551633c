"""waitlist_offers: freed slots offered to waitlisted customers, held while they decide

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 06:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('waitlist_offers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('professional_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('offered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('offered', 'accepted', 'declined', 'expired', 'skipped')", name=op.f('ck_waitlist_offers_status')),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_waitlist_offers_booking_id_bookings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['entry_id'], ['waitlist_entries.id'], name=op.f('fk_waitlist_offers_entry_id_waitlist_entries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['professional_id'], ['professionals.id'], name=op.f('fk_waitlist_offers_professional_id_professionals')),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_waitlist_offers_shop_id_shops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_waitlist_offers')),
    sa.UniqueConstraint('entry_id', 'professional_id', 'starts_at', name=op.f('uq_waitlist_offers_entry_id_professional_id_starts_at'))
    )
    with op.batch_alter_table('waitlist_offers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_waitlist_offers_booking_id'), ['booking_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_waitlist_offers_professional_id_starts_at_status'), ['professional_id', 'starts_at', 'status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('waitlist_offers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_waitlist_offers_professional_id_starts_at_status'))
        batch_op.drop_index(batch_op.f('ix_waitlist_offers_booking_id'))

    op.drop_table('waitlist_offers')
