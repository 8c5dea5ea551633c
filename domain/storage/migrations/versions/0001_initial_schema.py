"""initial schema

On PostgreSQL the bookings table also gets `bookings_no_overlap`: an exclusion constraint
(btree_gist) refusing two active bookings of one professional whose blocks overlap, unless
they are seats of the same session. SQLite has no such constraint; there BEGIN IMMEDIATE,
the re-check in the booking use case and the unique seat index do the job.

Revision ID: 0001
Revises: 
Create Date: 2026-11-28 04:13:12.247000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('api_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_keys')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_api_keys_key_hash'))
    )
    op.create_table('customers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('telegram_user_id', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customers')),
    sa.UniqueConstraint('phone', name=op.f('uq_customers_phone')),
    sa.UniqueConstraint('telegram_user_id', name=op.f('uq_customers_telegram_user_id'))
    )
    op.create_table('shops',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('vertical', sa.String(length=20), nullable=False),
    sa.Column('timezone', sa.String(length=60), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('locale', sa.String(length=10), nullable=False),
    sa.Column('min_notice_minutes', sa.Integer(), nullable=False),
    sa.Column('max_days_ahead', sa.Integer(), nullable=False),
    sa.Column('slot_step_minutes', sa.Integer(), nullable=False),
    sa.Column('hold_minutes', sa.Integer(), nullable=False),
    sa.Column('free_cancellation_hours', sa.Integer(), nullable=False),
    sa.Column('open_on_holidays', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shops')),
    sa.UniqueConstraint('slug', name=op.f('uq_shops_slug'))
    )
    op.create_table('day_overrides',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('is_open', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_day_overrides_shop_id_shops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_day_overrides')),
    sa.UniqueConstraint('shop_id', 'day', name=op.f('uq_day_overrides_shop_id_day'))
    )
    op.create_table('professionals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('nickname', sa.String(length=60), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_professionals_shop_id_shops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_professionals'))
    )
    with op.batch_alter_table('professionals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_professionals_shop_id'), ['shop_id'], unique=False)

    op.create_table('services',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('price_cents', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('buffer_before_minutes', sa.Integer(), nullable=False),
    sa.Column('buffer_after_minutes', sa.Integer(), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint('duration_minutes > 0 AND duration_minutes <= 720', name=op.f('ck_services_duration')),
    sa.CheckConstraint('price_cents >= 0', name=op.f('ck_services_price')),
    sa.CheckConstraint('seats >= 1', name=op.f('ck_services_seats')),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_services_shop_id_shops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_services'))
    )
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_services_shop_id'), ['shop_id'], unique=False)

    op.create_table('booking_series',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('every_weeks', sa.Integer(), nullable=False),
    sa.Column('occurrences', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_booking_series_customer_id_customers')),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_booking_series_service_id_services')),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_booking_series_shop_id_shops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booking_series'))
    )
    op.create_table('service_professionals',
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('professional_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['professional_id'], ['professionals.id'], name=op.f('fk_service_professionals_professional_id_professionals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_service_professionals_service_id_services'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('service_id', 'professional_id', name=op.f('pk_service_professionals'))
    )
    op.create_table('time_off',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('professional_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.CheckConstraint('starts_at < ends_at', name=op.f('ck_time_off_order')),
    sa.ForeignKeyConstraint(['professional_id'], ['professionals.id'], name=op.f('fk_time_off_professional_id_professionals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_time_off'))
    )
    with op.batch_alter_table('time_off', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_time_off_professional_id_starts_at'), ['professional_id', 'starts_at'], unique=False)

    op.create_table('working_periods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('professional_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('starts', sa.Time(), nullable=False),
    sa.Column('ends', sa.Time(), nullable=False),
    sa.CheckConstraint("kind IN ('work', 'break')", name=op.f('ck_working_periods_kind')),
    sa.CheckConstraint('starts < ends', name=op.f('ck_working_periods_order')),
    sa.CheckConstraint('weekday BETWEEN 0 AND 6', name=op.f('ck_working_periods_weekday')),
    sa.ForeignKeyConstraint(['professional_id'], ['professionals.id'], name=op.f('fk_working_periods_professional_id_professionals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_working_periods'))
    )
    with op.batch_alter_table('working_periods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_working_periods_professional_id'), ['professional_id'], unique=False)

    op.create_table('bookings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('professional_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=True),
    sa.Column('rescheduled_from_id', sa.Integer(), nullable=True),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('block_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('block_end', sa.DateTime(timezone=True), nullable=False),
    sa.Column('session_key', sa.String(length=60), nullable=False),
    sa.Column('seat_no', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('price_cents', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('hold_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_by', sa.String(length=10), nullable=True),
    sa.Column('late_cancellation', sa.Boolean(), nullable=False),
    sa.CheckConstraint("status IN ('held', 'confirmed', 'completed', 'no_show', 'cancelled', 'expired')", name=op.f('ck_bookings_status')),
    sa.CheckConstraint('seat_no >= 1 AND seat_no <= capacity', name=op.f('ck_bookings_seat')),
    sa.CheckConstraint('starts_at < ends_at', name=op.f('ck_bookings_order')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_bookings_customer_id_customers')),
    sa.ForeignKeyConstraint(['professional_id'], ['professionals.id'], name=op.f('fk_bookings_professional_id_professionals')),
    sa.ForeignKeyConstraint(['rescheduled_from_id'], ['bookings.id'], name=op.f('fk_bookings_rescheduled_from_id_bookings')),
    sa.ForeignKeyConstraint(['series_id'], ['booking_series.id'], name=op.f('fk_bookings_series_id_booking_series')),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_bookings_service_id_services')),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_bookings_shop_id_shops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bookings'))
    )
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bookings_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index('ix_bookings_active_block', ['professional_id', 'block_start'], unique=False, sqlite_where=sa.text("status IN ('held', 'confirmed')"), postgresql_where=sa.text("status IN ('held', 'confirmed')"))
        batch_op.create_index('ix_bookings_shop_start', ['shop_id', 'starts_at'], unique=False)
        batch_op.create_index('uq_bookings_active_seat', ['session_key', 'seat_no'], unique=True, sqlite_where=sa.text("status IN ('held', 'confirmed')"), postgresql_where=sa.text("status IN ('held', 'confirmed')"))

    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(
            "ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist ("
            " professional_id WITH =,"
            " tstzrange(block_start, block_end, '[)') WITH &&,"
            " session_key WITH <>"
            ") WHERE (status IN ('held', 'confirmed'))"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE bookings DROP CONSTRAINT bookings_no_overlap")
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_index('uq_bookings_active_seat', sqlite_where=sa.text("status IN ('held', 'confirmed')"), postgresql_where=sa.text("status IN ('held', 'confirmed')"))
        batch_op.drop_index('ix_bookings_shop_start')
        batch_op.drop_index('ix_bookings_active_block', sqlite_where=sa.text("status IN ('held', 'confirmed')"), postgresql_where=sa.text("status IN ('held', 'confirmed')"))
        batch_op.drop_index(batch_op.f('ix_bookings_customer_id'))

    op.drop_table('bookings')
    with op.batch_alter_table('working_periods', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_working_periods_professional_id'))

    op.drop_table('working_periods')
    with op.batch_alter_table('time_off', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_time_off_professional_id_starts_at'))

    op.drop_table('time_off')
    op.drop_table('service_professionals')
    op.drop_table('booking_series')
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_services_shop_id'))

    op.drop_table('services')
    with op.batch_alter_table('professionals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_professionals_shop_id'))

    op.drop_table('professionals')
    op.drop_table('day_overrides')
    op.drop_table('shops')
    op.drop_table('customers')
    op.drop_table('api_keys')
