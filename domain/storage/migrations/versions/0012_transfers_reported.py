"""transfers the customer reported («ya transferí»): when, so the dashboard lists what waits
for the shop's «¿Llegó?»

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reported_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_payments_shop_id_status'), ['shop_id', 'status'], unique=False)
    # A transfer that came with its receipt was reported then (the receipt is kept with it).
    op.execute(
        "UPDATE payments SET reported_at = updated_at "
        "WHERE method = 'transfer' AND receipt IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payments_shop_id_status'))
        batch_op.drop_column('reported_at')
