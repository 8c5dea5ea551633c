"""The booking model: shops, professionals, services, schedules, customers and bookings."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from domain.errors import InvalidTransition
from domain.money import Money
from domain.payments import Deposit, PaymentSettings

DEFAULT_TIMEZONE = "America/Argentina/Buenos_Aires"


class Vertical(StrEnum):
    """The kind of business; each has a preset of sensible defaults (see domain.verticals)."""

    BARBERIA = "barberia"
    PSICOLOGIA = "psicologia"
    MEDICINA = "medicina"
    ESTETICA = "estetica"


@dataclass(frozen=True)
class BookingPolicy:
    """The shop's booking rules."""

    min_notice_minutes: int = 60
    max_days_ahead: int = 30
    slot_step_minutes: int = 15
    hold_minutes: int = 10
    free_cancellation_hours: int = 24
    open_on_holidays: bool = False
    reminder_hours: tuple[int, ...] = (24, 2)  # hours before a turno its reminders go
    no_show_grace_minutes: int | None = 30  # after the end, unmarked → no-show; None = off
    agenda_hour: int | None = 8  # local hour of the professionals' daily agenda; None = off
    comeback_nudges: bool = False  # offer regulars a turno when their usual interval has passed


MAX_REMINDER_HOURS = 24 * 14


def parse_reminder_hours(text: str | None) -> tuple[int, ...]:
    """A shop's reminder offsets from their text ("24,2"): whole hours, largest first.

    Entries that are not a whole number of hours in 1..MAX_REMINDER_HOURS are skipped; an
    empty text means no reminders.
    """
    hours = set()
    for part in (text or "").split(","):
        part = part.strip()
        if part.isdigit() and 0 < int(part) <= MAX_REMINDER_HOURS:
            hours.add(int(part))
    return tuple(sorted(hours, reverse=True))


@dataclass(frozen=True)
class Shop:
    """A business that takes bookings: a barbershop, a practice, a salon."""

    id: int
    slug: str
    name: str
    vertical: Vertical = Vertical.BARBERIA
    timezone: str = DEFAULT_TIMEZONE
    currency: str = "ARS"
    locale: str = "es_AR"
    policy: BookingPolicy = field(default_factory=BookingPolicy)
    payments: PaymentSettings = field(default_factory=PaymentSettings)
    address: str | None = None
    maps_url: str | None = None
    contact_phone: str | None = None  # E.164


@dataclass(frozen=True)
class Professional:
    """Someone who serves customers: a barber, a psychologist, a doctor."""

    id: int
    shop_id: int
    name: str
    nickname: str | None = None
    active: bool = True


@dataclass(frozen=True)
class Service:
    """Something a customer books; `seats` > 1 makes it a group session."""

    id: int
    shop_id: int
    name: str
    duration_minutes: int
    price: Money
    buffer_before_minutes: int = 0
    buffer_after_minutes: int = 0
    seats: int = 1
    professional_ids: frozenset[int] = frozenset()
    active: bool = True
    deposit: Deposit = field(default_factory=Deposit)
    synonyms: tuple[str, ...] = ()  # other words customers use for it in the chat ("rapado")

    @property
    def duration(self) -> timedelta:
        """How long the service itself lasts."""
        return timedelta(minutes=self.duration_minutes)

    @property
    def is_group(self) -> bool:
        """True when several customers share one session."""
        return self.seats > 1


@dataclass(frozen=True)
class WeeklyPeriod:
    """A recurring wall-clock period on a weekday (0 = Monday), in the shop's zone."""

    weekday: int
    start: time
    end: time


@dataclass(frozen=True)
class TimeOff:
    """A professional's absence, in UTC: vacations, a doctor's appointment, a blocked hour."""

    professional_id: int
    starts_at: datetime
    ends_at: datetime
    reason: str = ""


@dataclass(frozen=True)
class ProfessionalSchedule:
    """Everything availability needs to know about one professional's time."""

    professional_id: int
    hours: tuple[WeeklyPeriod, ...]
    breaks: tuple[WeeklyPeriod, ...] = ()
    time_off: tuple[TimeOff, ...] = ()


@dataclass(frozen=True)
class Customer:
    """A person who books: one across channels and shops (phone and/or Telegram id)."""

    id: int
    phone: str | None = None
    telegram_user_id: int | None = None


@dataclass(frozen=True)
class ShopCustomer:
    """A person as one shop knows them: the name given there and the shop's notes.

    `id` is the shop's own number for them (what its API shows); `customer_id` the person's.
    """

    id: int
    shop_id: int
    customer_id: int
    name: str | None
    notes: str = ""


class BookingStatus(StrEnum):
    """The life of a booking."""

    HELD = "held"
    CONFIRMED = "confirmed"
    COMPLETED = "completed"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


# Every allowed move, in one table (h11 style): anything absent is refused.
TRANSITIONS: dict[BookingStatus, frozenset[BookingStatus]] = {
    BookingStatus.HELD: frozenset(
        {BookingStatus.CONFIRMED, BookingStatus.CANCELLED, BookingStatus.EXPIRED}
    ),
    BookingStatus.CONFIRMED: frozenset(
        {BookingStatus.COMPLETED, BookingStatus.NO_SHOW, BookingStatus.CANCELLED}
    ),
    BookingStatus.COMPLETED: frozenset(),
    BookingStatus.NO_SHOW: frozenset(),
    BookingStatus.CANCELLED: frozenset(),
    BookingStatus.EXPIRED: frozenset(),
}

ACTIVE_STATUSES = frozenset({BookingStatus.HELD, BookingStatus.CONFIRMED})


class CancelledBy(StrEnum):
    """Who cancelled: the customer's late cancellation may cost the seña, the shop's never."""

    CUSTOMER = "customer"
    SHOP = "shop"


def session_key(professional_id: int, service_id: int, start: datetime) -> str:
    """The identity of one session: bookings sharing it share the time (group seats)."""
    return f"{professional_id}:{service_id}:{start:%Y%m%dT%H%M}"


@dataclass(frozen=True)
class Booking:
    """A customer's turno with a professional; times in UTC, price frozen when booked."""

    id: int
    shop_id: int
    service_id: int
    professional_id: int
    customer_id: int
    starts_at: datetime
    ends_at: datetime
    block_start: datetime
    block_end: datetime
    status: BookingStatus
    price: Money
    seat_no: int = 1
    capacity: int = 1
    hold_expires_at: datetime | None = None
    series_id: int | None = None
    rescheduled_from_id: int | None = None
    created_at: datetime | None = None
    cancelled_at: datetime | None = None
    cancelled_by: CancelledBy | None = None
    late_cancellation: bool = False
    payment_method: str | None = None
    channel: str | None = None  # where it was made: "telegram", "whatsapp", "sandbox", "api"

    @property
    def session_key(self) -> str:
        """The session this booking takes a seat in."""
        return session_key(self.professional_id, self.service_id, self.starts_at)

    @property
    def is_active(self) -> bool:
        """Held or confirmed: it occupies its slot."""
        return self.status in ACTIVE_STATUSES

    def move_to(self, status: BookingStatus) -> Booking:
        """Return this booking in `status`, or raise InvalidTransition."""
        if status not in TRANSITIONS[self.status]:
            raise InvalidTransition(f"cannot go from {self.status} to {status}")
        return replace(self, status=status)


@dataclass(frozen=True)
class NewBooking:
    """A booking about to be stored (no id yet)."""

    shop_id: int
    service_id: int
    professional_id: int
    customer_id: int
    starts_at: datetime
    ends_at: datetime
    block_start: datetime
    block_end: datetime
    status: BookingStatus
    price: Money
    seat_no: int
    capacity: int
    created_at: datetime
    hold_expires_at: datetime | None = None
    series_id: int | None = None
    rescheduled_from_id: int | None = None
    payment_method: str | None = None
    channel: str | None = None

    @property
    def session_key(self) -> str:
        """The session this booking takes a seat in."""
        return session_key(self.professional_id, self.service_id, self.starts_at)


@dataclass(frozen=True)
class DayOverride:
    """A shop's exception to its calendar: closed on a bridge day, or open on a holiday."""

    day: date
    is_open: bool
    note: str = ""


class BookingEventKind(StrEnum):
    """What happened to a booking, as the people at the shop are told."""

    BOOKED = "booked"
    CANCELLED = "cancelled"
    MOVED = "moved"
    # A hold is not news to the shop until it is confirmed (paid, or taken from the waitlist),
    # and a hold let go is not a cancellation to them; both still move the booking's jobs.
    HELD = "held"
    CONFIRMED = "confirmed"
    RELEASED = "released"


@dataclass(frozen=True)
class BookingEvent:
    """A change to a booking, recorded in the transaction that made it."""

    kind: BookingEventKind
    shop_id: int
    booking_id: int
    at: datetime
    previous_booking_id: int | None = None
