"""Request and response bodies of API v1. Times carry the shop's UTC offset; money is exact."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal, TypeVar
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from domain.availability import Slot
from domain.formatting import format_money
from domain.model import Booking, Customer, Professional, Service, Shop
from domain.money import Money
from domain.storage.chat import ShopMessage


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class RequestBody(BaseModel):
    """A request body: no unknown fields, and no text with a NUL character in it."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        # PostgreSQL text cannot hold NUL: refused here, on every database, not by the driver.
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("must not contain NUL characters")
        return value


class _In(RequestBody):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _local(moment: datetime, timezone: str) -> datetime:
    return moment.astimezone(ZoneInfo(timezone))


class PriceOut(_Out):
    amount: str = Field(description="Exact decimal amount, e.g. '12000.00'")
    currency: str
    formatted: str = Field(description="As people read it, e.g. '$ 12.000,00'")

    @classmethod
    def from_money(cls, money: Money, locale: str) -> PriceOut:
        return cls(
            amount=f"{money.amount:.2f}",
            currency=money.currency,
            formatted=format_money(money, locale),
        )


class ShopOut(_Out):
    slug: str
    name: str
    vertical: str
    timezone: str
    currency: str
    locale: str

    @classmethod
    def from_shop(cls, shop: Shop) -> ShopOut:
        return cls(
            slug=shop.slug,
            name=shop.name,
            vertical=shop.vertical.value,
            timezone=shop.timezone,
            currency=shop.currency,
            locale=shop.locale,
        )


class ServiceOut(_Out):
    id: int
    name: str
    duration_minutes: int
    price: PriceOut
    buffer_before_minutes: int
    buffer_after_minutes: int
    seats: int
    professional_ids: list[int]

    @classmethod
    def from_service(cls, service: Service, locale: str) -> ServiceOut:
        return cls(
            id=service.id,
            name=service.name,
            duration_minutes=service.duration_minutes,
            price=PriceOut.from_money(service.price, locale),
            buffer_before_minutes=service.buffer_before_minutes,
            buffer_after_minutes=service.buffer_after_minutes,
            seats=service.seats,
            professional_ids=sorted(service.professional_ids),
        )


class ProfessionalOut(_Out):
    id: int
    name: str
    nickname: str | None

    @classmethod
    def from_professional(cls, professional: Professional) -> ProfessionalOut:
        return cls(id=professional.id, name=professional.name, nickname=professional.nickname)


class SlotOut(_Out):
    start: datetime
    end: datetime
    professional_id: int
    seats_left: int

    @classmethod
    def from_slot(cls, slot: Slot, timezone: str) -> SlotOut:
        return cls(
            start=_local(slot.start, timezone),
            end=_local(slot.end, timezone),
            professional_id=slot.professional_id,
            seats_left=slot.seats_left,
        )


def _not_blank(value: str) -> str:
    if not value:
        raise ValueError("must not be empty")
    return value


_When = TypeVar("_When", bound=date)  # a day, or a moment (a datetime is a date too)


def _plausible_year(value: _When) -> _When:
    # A far date is a typo, and at the calendar's ends (years 1 and 9999) a shop's local day
    # cannot even be turned into UTC: refused here, before any arithmetic overflows.
    if not 2000 <= value.year <= 2100:
        raise ValueError("must be a date between the years 2000 and 2100")
    return value


Start = Annotated[
    AwareDatetime,
    AfterValidator(_plausible_year),
    Field(description="ISO-8601 with offset, e.g. 2026-12-01T10:00:00-03:00"),
]
Day = Annotated[
    date,
    AfterValidator(_plausible_year),
    Field(description="A shop-local day, YYYY-MM-DD (years 2000 to 2100)"),
]


class CustomerIn(_In):
    name: Annotated[str, Field(max_length=120), AfterValidator(_not_blank)]
    phone: Annotated[str, Field(max_length=40), AfterValidator(_not_blank)]


class BookingIn(_In):
    service_id: int = Field(ge=1, le=2**31 - 1)
    professional_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    start: Start
    customer: CustomerIn
    hold: bool = Field(default=False, description="Hold while paying instead of confirming")


class RescheduleIn(_In):
    start: Start
    professional_id: int | None = Field(default=None, ge=1, le=2**31 - 1)


class CancelIn(_In):
    by: Literal["customer", "shop"] = "customer"


class CustomerOut(_Out):
    id: int
    name: str
    phone: str | None

    @classmethod
    def from_customer(cls, customer: Customer) -> CustomerOut:
        return cls(id=customer.id, name=customer.name, phone=customer.phone)


class BookingOut(_Out):
    id: int
    shop: str
    service_id: int
    professional_id: int
    customer: CustomerOut
    start: datetime
    end: datetime
    status: str
    price: PriceOut
    seat_no: int
    hold_expires_at: datetime | None
    cancelled_at: datetime | None
    cancelled_by: str | None
    late_cancellation: bool
    rescheduled_from_id: int | None

    @classmethod
    def build(cls, booking: Booking, shop: Shop, customer: Customer) -> BookingOut:
        tz = shop.timezone
        return cls(
            id=booking.id,
            shop=shop.slug,
            service_id=booking.service_id,
            professional_id=booking.professional_id,
            customer=CustomerOut.from_customer(customer),
            start=_local(booking.starts_at, tz),
            end=_local(booking.ends_at, tz),
            status=booking.status.value,
            price=PriceOut.from_money(booking.price, shop.locale),
            seat_no=booking.seat_no,
            hold_expires_at=_local(booking.hold_expires_at, tz)
            if booking.hold_expires_at
            else None,
            cancelled_at=_local(booking.cancelled_at, tz) if booking.cancelled_at else None,
            cancelled_by=booking.cancelled_by.value if booking.cancelled_by else None,
            late_cancellation=booking.late_cancellation,
            rescheduled_from_id=booking.rescheduled_from_id,
        )


class MessageOut(_Out):
    id: int
    customer_id: int | None
    channel: str
    chat_id: str
    text: str
    created_at: datetime

    @classmethod
    def from_message(cls, message: ShopMessage, timezone: str) -> MessageOut:
        return cls(
            id=message.id,
            customer_id=message.customer_id,
            channel=message.channel,
            chat_id=message.chat_id,
            text=message.text,
            created_at=_local(message.created_at, timezone),
        )


class ErrorOut(_Out):
    error: str
    detail: str


class SlotTakenOut(ErrorOut):
    alternatives: list[SlotOut]


class CustomerBusyOut(ErrorOut):
    """409 `customer_busy`: the customer already has an active turno at an overlapping time."""

    error: Literal["customer_busy"]
    conflicting_booking_id: int = Field(description="The customer's turno that overlaps")
