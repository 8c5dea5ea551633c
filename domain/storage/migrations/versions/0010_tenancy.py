"""tenancy: API keys per shop with scopes; what a shop knows of a customer is its own row;
the shop's profile, services' chat synonyms, where a booking was made, replies to messages

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every place a (shop, customer) pair was known before: each becomes that shop's customer,
# with the name the person had then (one global name, the best there is).
_KNOWN_PAIRS = """
    SELECT shop_id, customer_id FROM bookings
    UNION SELECT shop_id, customer_id FROM conversations
        WHERE shop_id IS NOT NULL AND customer_id IS NOT NULL
    UNION SELECT shop_id, customer_id FROM waitlist_entries
    UNION SELECT shop_id, customer_id FROM shop_messages WHERE customer_id IS NOT NULL
    UNION SELECT shop_id, customer_id FROM comeback_preferences
    UNION SELECT shop_id, customer_id FROM booking_series
"""


def upgrade() -> None:
    op.create_table('shop_customers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=True),
    sa.Column('notes', sa.Text(), server_default='', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_shop_customers_customer_id_customers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_shop_customers_shop_id_shops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shop_customers')),
    sa.UniqueConstraint('shop_id', 'customer_id', name=op.f('uq_shop_customers_shop_id_customer_id'))
    )
    with op.batch_alter_table('shop_customers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shop_customers_customer_id'), ['customer_id'], unique=False)
    op.execute(
        "INSERT INTO shop_customers (shop_id, customer_id, name, created_at) "
        "SELECT pairs.shop_id, pairs.customer_id, customers.name, customers.created_at "
        f"FROM ({_KNOWN_PAIRS}) AS pairs JOIN customers ON customers.id = pairs.customer_id "
        "ORDER BY pairs.shop_id, pairs.customer_id"
    )
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_column('name')

    op.create_table('shop_replies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['shop_messages.id'], name=op.f('fk_shop_replies_message_id_shop_messages'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_shop_replies_shop_id_shops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shop_replies'))
    )
    with op.batch_alter_table('shop_replies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shop_replies_message_id'), ['message_id'], unique=False)

    # Keys made before shops had keys of their own were the operator's: platform keys.
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shop_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('scope', sa.String(length=10), server_default='platform', nullable=False))
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_api_keys_prefix'), ['prefix'], unique=False)
        batch_op.create_index(batch_op.f('ix_api_keys_shop_id'), ['shop_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_api_keys_shop_id_shops'), 'shops', ['shop_id'], ['id'], ondelete='CASCADE')
        batch_op.create_check_constraint(batch_op.f('ck_api_keys_scope'), "scope IN ('read', 'book', 'admin', 'platform')")
        batch_op.create_check_constraint(batch_op.f('ck_api_keys_platform'), "(scope = 'platform') = (shop_id IS NULL)")
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.alter_column('scope', server_default=None)

    with op.batch_alter_table('shops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('maps_url', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('contact_phone', sa.String(length=20), nullable=True))
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.add_column(sa.Column('synonyms', sa.String(length=500), server_default='', nullable=False))
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_column('channel')
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.drop_column('synonyms')
    with op.batch_alter_table('shops', schema=None) as batch_op:
        batch_op.drop_column('contact_phone')
        batch_op.drop_column('maps_url')
        batch_op.drop_column('address')
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_api_keys_platform'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_api_keys_scope'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_api_keys_shop_id_shops'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_api_keys_shop_id'))
        batch_op.drop_index(batch_op.f('ix_api_keys_prefix'))
        batch_op.drop_column('last_used_at')
        batch_op.drop_column('expires_at')
        batch_op.drop_column('scope')
        batch_op.drop_column('shop_id')
    with op.batch_alter_table('shop_replies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shop_replies_message_id'))
    op.drop_table('shop_replies')
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name', sa.String(length=120), server_default='', nullable=False))
    # Each person takes back the name their oldest shop knew them by.
    op.execute(
        "UPDATE customers SET name = COALESCE((SELECT name FROM shop_customers "
        "WHERE shop_customers.customer_id = customers.id AND name IS NOT NULL "
        "ORDER BY shop_customers.id LIMIT 1), '')"
    )
    with op.batch_alter_table('shop_customers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shop_customers_customer_id'))
    op.drop_table('shop_customers')
