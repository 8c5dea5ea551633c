"""SQLAlchemy tables. Times are stored in UTC (timestamptz on PostgreSQL), money in centavos."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any, ClassVar

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
    func,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

ACTIVE_BOOKING = "status IN ('held', 'confirmed')"


class UtcDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (naive UTC text) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base with stable constraint names (Alembic needs them)."""

    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_N_name)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UtcDateTime, date: Date, time: Time}


PAYMENT_METHODS_TEXT = "mercadopago,cash,transfer,ticket"


class ShopRow(Base):
    __tablename__ = "shops"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    vertical: Mapped[str] = mapped_column(String(20))
    timezone: Mapped[str] = mapped_column(String(60))
    currency: Mapped[str] = mapped_column(String(3))
    locale: Mapped[str] = mapped_column(String(10))
    min_notice_minutes: Mapped[int]
    max_days_ahead: Mapped[int]
    slot_step_minutes: Mapped[int]
    hold_minutes: Mapped[int]
    free_cancellation_hours: Mapped[int]
    open_on_holidays: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime]
    # The WhatsApp number customers reach this shop on (E.164), when it has its own.
    whatsapp_number: Mapped[str | None] = mapped_column(String(20), unique=True)
    # Hours before a turno its reminders go, as text ("24,2").
    reminder_hours: Mapped[str] = mapped_column(String(40), default="24,2", server_default="24,2")
    # Minutes after a turno's end that an unmarked one becomes a no-show; None = off.
    no_show_grace_minutes: Mapped[int | None] = mapped_column(default=30, server_default="30")
    # Local hour (0-23) the daily agenda goes to the professionals; None = off.
    agenda_hour: Mapped[int | None] = mapped_column(default=8, server_default="8")
    # Regulars are offered a turno when their usual interval has passed (opt-in, also theirs).
    comeback_nudges: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Payment setup (domain/payments.py): accepted methods as text, Mercado Pago's cuotas and
    # cash tickets, where transfers go, the shop's CUIT, cash policy and who pays a seña.
    payment_methods: Mapped[str] = mapped_column(
        String(60), default=PAYMENT_METHODS_TEXT, server_default=PAYMENT_METHODS_TEXT
    )
    max_cuotas: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    cash_tickets: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    transfer_alias: Mapped[str | None] = mapped_column(String(20))
    transfer_account: Mapped[str | None] = mapped_column(String(22))
    cuit: Mapped[str | None] = mapped_column(String(11))
    cash_confirms: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    deposit_when: Mapped[str] = mapped_column(String(12), default="always", server_default="always")
    # The plan: BarberPro's commission in basis points of each payment (300 = 3 %), and the
    # professionals' share of what is left, in percent.
    commission_bps: Mapped[int] = mapped_column(Integer, default=300, server_default="300")
    professional_percent: Mapped[int] = mapped_column(Integer, default=50, server_default="50")
    # The profile customers are told about: where it is and how to reach a person.
    address: Mapped[str | None] = mapped_column(String(200))
    maps_url: Mapped[str | None] = mapped_column(String(500))
    contact_phone: Mapped[str | None] = mapped_column(String(20))


class ProfessionalRow(Base):
    __tablename__ = "professionals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    nickname: Mapped[str | None] = mapped_column(String(60))
    active: Mapped[bool] = mapped_column(Boolean)


class ServiceRow(Base):
    __tablename__ = "services"
    __table_args__ = (
        CheckConstraint("duration_minutes > 0 AND duration_minutes <= 720", name="duration"),
        CheckConstraint("seats >= 1", name="seats"),
        CheckConstraint("price_cents >= 0", name="price"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    duration_minutes: Mapped[int]
    price_cents: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    buffer_before_minutes: Mapped[int]
    buffer_after_minutes: Mapped[int]
    seats: Mapped[int]
    active: Mapped[bool] = mapped_column(Boolean)
    # The seña: "none", "percent" (deposit_value 1-100) or "fixed" (deposit_value centavos).
    deposit_kind: Mapped[str] = mapped_column(String(10), default="none", server_default="none")
    deposit_value: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    # Other words customers use for it in the chat, comma-separated ("rapado,máquina").
    synonyms: Mapped[str] = mapped_column(String(500), default="", server_default="")


class ServiceProfessionalRow(Base):
    __tablename__ = "service_professionals"

    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), primary_key=True
    )
    professional_id: Mapped[int] = mapped_column(
        ForeignKey("professionals.id", ondelete="CASCADE"), primary_key=True
    )


class WorkingPeriodRow(Base):
    """A weekly period; kind 'work' adds hours, kind 'break' takes them away."""

    __tablename__ = "working_periods"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("starts < ends", name="order"),
        CheckConstraint("kind IN ('work', 'break')", name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    professional_id: Mapped[int] = mapped_column(
        ForeignKey("professionals.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10))
    weekday: Mapped[int]
    starts: Mapped[time]
    ends: Mapped[time]


class TimeOffRow(Base):
    __tablename__ = "time_off"
    __table_args__ = (
        CheckConstraint("starts_at < ends_at", name="order"),
        Index(None, "professional_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    professional_id: Mapped[int] = mapped_column(ForeignKey("professionals.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(String(200))


class DayOverrideRow(Base):
    """A shop's exception to the holiday calendar (a bridge day closed, a holiday open)."""

    __tablename__ = "day_overrides"
    __table_args__ = (UniqueConstraint("shop_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    day: Mapped[date]
    is_open: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(200))


class CustomerRow(Base):
    """A person, one across channels and shops: only how to recognise them.

    What a shop knows of them (the name given there, notes) is that shop's `ShopCustomerRow`.
    """

    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.current_timestamp())


class ShopCustomerRow(Base):
    """A person as one shop knows them; its id is the customer id that shop's API shows."""

    __tablename__ = "shop_customers"
    __table_args__ = (UniqueConstraint("shop_id", "customer_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str | None] = mapped_column(String(120))
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(server_default=func.current_timestamp())


class BookingSeriesRow(Base):
    __tablename__ = "booking_series"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    every_weeks: Mapped[int]
    occurrences: Mapped[int]


class BookingRow(Base):
    """A booking. `block_*` is the time it keeps the professional busy (buffers included).

    No double booking is enforced here: a seat number unique per session among active bookings
    and never above the session's capacity (both databases), plus on PostgreSQL an exclusion
    constraint (migration 0001) that forbids overlapping blocks of different sessions.
    """

    __tablename__ = "bookings"
    __table_args__ = (
        CheckConstraint("starts_at < ends_at", name="order"),
        CheckConstraint("seat_no >= 1 AND seat_no <= capacity", name="seat"),
        CheckConstraint(
            "status IN ('held', 'confirmed', 'completed', 'no_show', 'cancelled', 'expired')",
            name="status",
        ),
        # Availability reads only active bookings: a partial index keeps years of history
        # out of its way (queries must repeat ACTIVE_BOOKING literally for SQLite to use it).
        Index(
            "ix_bookings_active_block",
            "professional_id",
            "block_start",
            sqlite_where=text(ACTIVE_BOOKING),
            postgresql_where=text(ACTIVE_BOOKING),
        ),
        Index("ix_bookings_shop_start", "shop_id", "starts_at"),
        Index(
            "uq_bookings_active_seat",
            "session_key",
            "seat_no",
            unique=True,
            sqlite_where=text(ACTIVE_BOOKING),
            postgresql_where=text(ACTIVE_BOOKING),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    professional_id: Mapped[int] = mapped_column(ForeignKey("professionals.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    series_id: Mapped[int | None] = mapped_column(ForeignKey("booking_series.id"))
    rescheduled_from_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    block_start: Mapped[datetime]
    block_end: Mapped[datetime]
    session_key: Mapped[str] = mapped_column(String(60))
    seat_no: Mapped[int]
    capacity: Mapped[int]
    status: Mapped[str] = mapped_column(String(12))
    price_cents: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    hold_expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    cancelled_at: Mapped[datetime | None]
    cancelled_by: Mapped[str | None] = mapped_column(String(10))
    late_cancellation: Mapped[bool] = mapped_column(Boolean, default=False)
    payment_method: Mapped[str | None] = mapped_column(String(20))
    # Where it was made: "telegram", "whatsapp", "sandbox", "api" (None before this was kept).
    channel: Mapped[str | None] = mapped_column(String(20))


class ApiKeyRow(Base):
    """A REST API key, stored as the SHA-256 of a 256-bit random token (never the token).

    A shop's key (`shop_id` set) acts on that shop only, within its scope (read, book, admin);
    a platform key (no shop) is the operator's and acts on every shop.
    """

    __tablename__ = "api_keys"
    __table_args__ = (
        CheckConstraint("scope IN ('read', 'book', 'admin', 'platform')", name="scope"),
        CheckConstraint("(scope = 'platform') = (shop_id IS NULL)", name="platform"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    prefix: Mapped[str] = mapped_column(String(16), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    shop_id: Mapped[int | None] = mapped_column(
        ForeignKey("shops.id", ondelete="CASCADE"), index=True
    )
    scope: Mapped[str] = mapped_column(String(10))
    expires_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]


class ConversationRow(Base):
    """One chat's conversation state, versioned so two writers never overwrite each other."""

    __tablename__ = "conversations"
    __table_args__ = (
        UniqueConstraint("channel", "chat_id"),
        # Reminders and offers look up a customer's chat with a shop.
        Index(None, "customer_id", "shop_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    chat_id: Mapped[str] = mapped_column(String(64))
    shop_id: Mapped[int | None] = mapped_column(ForeignKey("shops.id", ondelete="SET NULL"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    state: Mapped[str] = mapped_column(Text)
    version: Mapped[int]
    updated_at: Mapped[datetime]
    # Telegram: when the bot offered the "share my number" button (offered once).
    contact_asked_at: Mapped[datetime | None]
    referral_code: Mapped[str | None] = mapped_column(String(64))


class WaitlistEntryRow(Base):
    """A customer waiting for a slot: service, days, time window, professional or anyone."""

    __tablename__ = "waitlist_entries"
    __table_args__ = (Index(None, "shop_id", "service_id", "first_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    professional_id: Mapped[int | None] = mapped_column(ForeignKey("professionals.id"))
    first_day: Mapped[date]
    last_day: Mapped[date]
    window_start: Mapped[time | None]
    window_end: Mapped[time | None]
    created_at: Mapped[datetime]
    left_at: Mapped[datetime | None]


class ComebackPreferenceRow(Base):
    """A customer's answer about comeback nudges at a shop, and the last visit they were nudged
    after (one nudge per visit)."""

    __tablename__ = "comeback_preferences"

    shop_id: Mapped[int] = mapped_column(
        ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True
    )
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True
    )
    wants: Mapped[bool | None] = mapped_column(Boolean)  # None: asked, not answered yet
    asked_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]
    nudged_after: Mapped[int | None] = mapped_column(ForeignKey("bookings.id", ondelete="SET NULL"))


class ShopMessageRow(Base):
    """A customer's message for the people at the shop ("hablar con alguien")."""

    __tablename__ = "shop_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    channel: Mapped[str] = mapped_column(String(20))
    chat_id: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]


class ShopReplyRow(Base):
    """The shop's answer to a customer's message, sent to their chat through the outbox."""

    __tablename__ = "shop_replies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    message_id: Mapped[int] = mapped_column(
        ForeignKey("shop_messages.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class InboundMessageRow(Base):
    """Every inbound delivery, recorded by its channel id before it has any effect.

    The unique (channel, external_id) makes a replayed or redelivered webhook a no-op; a row
    still `pending` after a crash is processed when the app starts again.
    """

    __tablename__ = "inbound_messages"
    __table_args__ = (
        UniqueConstraint("channel", "external_id"),
        CheckConstraint(
            "status IN ('pending', 'done', 'throttled', 'ignored', 'failed')", name="status"
        ),
        Index(None, "status", "id"),
        # WhatsApp's 24-hour window runs from the person's latest message.
        Index(None, "channel", "chat_id", "received_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(64))
    chat_id: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10))
    received_at: Mapped[datetime]
    # Who processes it: a process claims a delivery for a while before acting on it, so two
    # processes (or a restart racing a slow turn) never act on one delivery twice.
    claimed_until: Mapped[datetime | None]
    processed_at: Mapped[datetime | None]


class OutboxRow(Base):
    """A message to deliver; it stays until the channel took it or refused it for good.

    Messages of one chat go out in id order: a later one waits while an earlier one retries.
    `dedupe_key` (when set) makes enqueueing the same notification twice a no-op.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'sent', 'failed')", name="status"),
        Index(None, "status", "channel", "chat_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    chat_id: Mapped[str] = mapped_column(String(64))
    shop_id: Mapped[int | None] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    payload: Mapped[str] = mapped_column(Text)
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    status: Mapped[str] = mapped_column(String(10))
    attempts: Mapped[int]
    created_at: Mapped[datetime]
    due_at: Mapped[datetime]
    claimed_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    external_id: Mapped[str | None] = mapped_column(String(64))
    last_error: Mapped[str | None] = mapped_column(String(300))


class BookingEventRow(Base):
    """A booking made, cancelled or moved, written in the same transaction as the change.

    The notifier turns unhandled events into outbox messages for the professional's chats.
    """

    __tablename__ = "booking_events"
    __table_args__ = (Index(None, "handled_at", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(12))
    previous_booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id"))
    created_at: Mapped[datetime]
    handled_at: Mapped[datetime | None]


class StaffLinkRow(Base):
    """A professional's (or, without a professional, the owner's) chat on a channel."""

    __tablename__ = "staff_links"
    __table_args__ = (UniqueConstraint("channel", "chat_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    professional_id: Mapped[int | None] = mapped_column(
        ForeignKey("professionals.id", ondelete="CASCADE")
    )
    channel: Mapped[str] = mapped_column(String(20))
    chat_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    # The choices last shown (JSON [{"id", "label"}]): on WhatsApp they come back as "2".
    offered: Mapped[str | None] = mapped_column(Text)
    # The last booking event written before the chat was linked: it hears of later ones only.
    events_after: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class LinkCodeRow(Base):
    """A one-time code that links a chat to a professional or the owner (stored hashed)."""

    __tablename__ = "link_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    professional_id: Mapped[int | None] = mapped_column(
        ForeignKey("professionals.id", ondelete="CASCADE")
    )
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class WhatsAppTemplateRow(Base):
    """A shop's Twilio Content template (`quick_reply_2`, `list_picker_5`, `outside_window`)."""

    __tablename__ = "whatsapp_templates"

    shop_id: Mapped[int] = mapped_column(
        ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(30), primary_key=True)
    content_sid: Mapped[str] = mapped_column(String(40))


class JobRow(Base):
    """Due work for the background loop (a reminder, an offer, a hold to expire, …).

    `key` is an idempotency key ("reminder:<booking id>:<due iso>"): scheduling the same job
    twice is a no-op. A loop claims a due row for a while (`claimed_by`, `claimed_until`), so a
    second process skips it and a crash only delays it until the claim runs out.
    """

    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'done', 'cancelled', 'failed')", name="status"),
        Index(None, "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    key: Mapped[str] = mapped_column(String(120), unique=True)
    shop_id: Mapped[int | None] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    booking_id: Mapped[int | None] = mapped_column(
        ForeignKey("bookings.id", ondelete="CASCADE"), index=True
    )
    payload: Mapped[str] = mapped_column(Text)
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(10))
    attempts: Mapped[int]
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None]
    done_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(300))


class WaitlistOfferRow(Base):
    """A freed slot offered to one waitlist entry, held for them as `booking_id` meanwhile.

    Unique per entry and slot: nobody is offered the same slot twice. `skipped` is an offer that
    could not be made (the customer was busy then, or the slot was gone).
    """

    __tablename__ = "waitlist_offers"
    __table_args__ = (
        UniqueConstraint("entry_id", "professional_id", "starts_at"),
        CheckConstraint(
            "status IN ('offered', 'accepted', 'declined', 'expired', 'skipped')", name="status"
        ),
        Index(None, "professional_id", "starts_at", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    entry_id: Mapped[int] = mapped_column(ForeignKey("waitlist_entries.id", ondelete="CASCADE"))
    professional_id: Mapped[int] = mapped_column(ForeignKey("professionals.id"))
    starts_at: Mapped[datetime]
    booking_id: Mapped[int | None] = mapped_column(
        ForeignKey("bookings.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(10))
    offered_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]


class PaymentRow(Base):
    """One try at paying for a booking: a Mercado Pago preference (card or ticket), a transfer
    waiting for the shop, or cash at the shop."""

    __tablename__ = "payments"
    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'approved', 'rejected', 'expired', 'refunded', 'cancelled')",
            name="status",
        ),
        CheckConstraint("amount_cents >= 0", name="amount"),
        Index(None, "shop_id", "status"),  # what waits for the shop: its pending transfers
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    booking_id: Mapped[int] = mapped_column(
        ForeignKey("bookings.id", ondelete="CASCADE"), index=True
    )
    method: Mapped[str] = mapped_column(String(12))
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(10))
    preference_id: Mapped[str | None] = mapped_column(String(80), unique=True)
    provider_payment_id: Mapped[str | None] = mapped_column(String(40), unique=True)
    # Makes recording the same payment twice one payment (cash noted by the professional).
    key: Mapped[str | None] = mapped_column(String(80), unique=True)
    # A transfer's receipt as the customer sent it: "telegram:<file_id>" or "whatsapp:<url>".
    receipt: Mapped[str | None] = mapped_column(Text)
    # When the customer said they transferred («ya transferí»): the shop is asked «¿Llegó?».
    reported_at: Mapped[datetime | None]
    link: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class LedgerEntryRow(Base):
    """One line of a money movement (append-only): a charge or refund's share for an account.

    `key` makes writing a movement twice one movement.
    """

    __tablename__ = "ledger_entries"
    __table_args__ = (Index(None, "shop_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id"))
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"))
    professional_id: Mapped[int] = mapped_column(ForeignKey("professionals.id"))
    entry: Mapped[str] = mapped_column(String(10))
    account: Mapped[str] = mapped_column(String(12))
    method: Mapped[str] = mapped_column(String(12))
    amount_cents: Mapped[int] = mapped_column(BigInteger)  # negative for a refund
    currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[datetime]


class UserRow(Base):
    """A dashboard login: a person of one shop with a role, or (no shop) an operator."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('owner', 'manager', 'professional', 'operator')", name="role"),
        CheckConstraint("(role = 'operator') = (shop_id IS NULL)", name="operator"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shop_id: Mapped[int | None] = mapped_column(
        ForeignKey("shops.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(12))
    # A professional's login sees that professional's agenda, customers and takings.
    professional_id: Mapped[int | None] = mapped_column(
        ForeignKey("professionals.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime]
    disabled_at: Mapped[datetime | None]


class UserSessionRow(Base):
    """A logged-in browser: the cookie's token is stored hashed, with its CSRF token."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The shop the session looks at (an operator's choice; a shop user's own shop).
    shop_id: Mapped[int | None] = mapped_column(ForeignKey("shops.id", ondelete="SET NULL"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class UserTokenRow(Base):
    """A one-time link: an invitation to a shop (with a role) or a password reset."""

    __tablename__ = "user_tokens"
    __table_args__ = (CheckConstraint("kind IN ('invite', 'reset')", name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    shop_id: Mapped[int | None] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(12))
    professional_id: Mapped[int | None] = mapped_column(
        ForeignKey("professionals.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class LoginFailureRow(Base):
    """A failed login, kept for the throttle's window (per account and per address)."""

    __tablename__ = "login_failures"
    __table_args__ = (Index(None, "email", "at"), Index(None, "address", "at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]


class AuditRow(Base):
    """Who changed what, when: appended in the same transaction as the change, never updated
    or deleted (the database refuses both, see migration 0013). Before and after are JSON
    of the changed fields only, secrets left out and accounts masked (domain.audit)."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index(None, "shop_id", "at", "id"),
        CheckConstraint("source IN ('dashboard', 'api', 'cli', 'chat', 'system')", name="source"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shop_id: Mapped[int | None] = mapped_column(ForeignKey("shops.id"))  # None: platform-wide
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(12))
    action: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(120))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(String(64))
