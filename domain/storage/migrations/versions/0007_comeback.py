"""comeback nudges: the shop's opt-in, and each customer's answer and last nudge

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 08:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('shops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('comeback_nudges', sa.Boolean(), server_default=sa.false(), nullable=False))

    op.create_table('comeback_preferences',
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('wants', sa.Boolean(), nullable=True),
    sa.Column('asked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('nudged_after', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_comeback_preferences_customer_id_customers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['nudged_after'], ['bookings.id'], name=op.f('fk_comeback_preferences_nudged_after_bookings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_comeback_preferences_shop_id_shops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('shop_id', 'customer_id', name=op.f('pk_comeback_preferences'))
    )


def downgrade() -> None:
    op.drop_table('comeback_preferences')
    with op.batch_alter_table('shops', schema=None) as batch_op:
        batch_op.drop_column('comeback_nudges')
