"""jobs: due work for the background loop (reminders, offers, holds, agendas)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 05:39:24.400238
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversations_customer_id_shop_id'), ['customer_id', 'shop_id'], unique=False)

    op.create_table('jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=True),
    sa.Column('booking_id', sa.Integer(), nullable=True),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('claimed_by', sa.String(length=64), nullable=True),
    sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=300), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'done', 'cancelled', 'failed')", name=op.f('ck_jobs_status')),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_jobs_booking_id_bookings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_jobs_shop_id_shops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs')),
    sa.UniqueConstraint('key', name=op.f('uq_jobs_key'))
    )
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jobs_booking_id'), ['booking_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_jobs_status_due_at'), ['status', 'due_at'], unique=False)
    with op.batch_alter_table('shops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminder_hours', sa.String(length=40), server_default='24,2', nullable=False))
        batch_op.add_column(sa.Column('no_show_grace_minutes', sa.Integer(), server_default='30', nullable=True))
        batch_op.add_column(sa.Column('agenda_hour', sa.Integer(), server_default='8', nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversations_customer_id_shop_id'))

    with op.batch_alter_table('shops', schema=None) as batch_op:
        batch_op.drop_column('agenda_hour')
        batch_op.drop_column('no_show_grace_minutes')
        batch_op.drop_column('reminder_hours')

    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jobs_status_due_at'))
        batch_op.drop_index(batch_op.f('ix_jobs_booking_id'))

    op.drop_table('jobs')
