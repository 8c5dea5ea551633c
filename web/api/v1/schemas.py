"""Request and response bodies of API v1. Times carry the shop's UTC offset; money is exact."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Annotated, Literal, TypeVar, get_args
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationInfo,
    field_validator,
)

from domain.access import ApiKey
from domain.availability import Slot
from domain.formatting import format_money
from domain.model import Booking, BookingPolicy, Professional, Service, Shop, ShopCustomer
from domain.money import Money
from domain.storage.apikeys import IssuedKey


class Output(BaseModel):
    model_config = ConfigDict(frozen=True)


def no_nul(value: str) -> str:
    """PostgreSQL text cannot hold NUL: refused on every database alike."""
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


class RequestBody(BaseModel):
    """A request body: no unknown fields, and no text with a NUL character in it."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        return no_nul(value) if isinstance(value, str) else value


class Input(RequestBody):
    """A request body whose texts arrive trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _length_as_sent(cls, value: object, info: ValidationInfo) -> object:
        # The OpenAPI's maxLength is about the text as sent; trimming comes after, so without
        # this a longer text with spaces around it would pass.
        field = cls.model_fields.get(info.field_name or "")
        if field is None:
            return value
        if isinstance(value, str):
            _check_length(value, field.metadata)
        elif isinstance(value, list):
            item = next(iter(get_args(field.annotation)), None)
            for text in (v for v in value if isinstance(v, str)):
                _check_length(text, _metadata(item))
        return value


def _metadata(annotation: object) -> list[object]:
    """The constraints of an `Annotated[str, Field(...)]` (none for anything else)."""
    found: list[object] = []
    for extra in get_args(annotation)[1:]:
        found += getattr(extra, "metadata", [extra])
    return found


def _check_length(text: str, metadata: Iterable[object]) -> None:
    for constraint in metadata:
        limit = getattr(constraint, "max_length", None)
        if isinstance(limit, int) and len(text) > limit:
            raise ValueError(f"at most {limit} characters")


def _local(moment: datetime, timezone: str) -> datetime:
    return moment.astimezone(ZoneInfo(timezone))


class PriceOut(Output):
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


class ShopOut(Output):
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


class PolicyOut(Output):
    """The shop's booking rules (the same fields a PATCH takes)."""

    min_notice_minutes: int = Field(description="How long before a turno it can be booked")
    max_days_ahead: int = Field(description="How far ahead turnos can be booked")
    free_cancellation_hours: int = Field(description="Cancelling later than this is late")
    hold_minutes: int = Field(description="How long a turno waits for its payment")
    slot_step_minutes: int = Field(description="Starts offered every so many minutes")
    open_on_holidays: bool = Field(description="Open on national feriados unless a day says")
    reminder_hours: list[int] = Field(description="Reminders this many hours before a turno")
    no_show_grace_minutes: int | None = Field(description="After the end, unmarked = no-show")
    agenda_hour: int | None = Field(description="Local hour the day's agenda goes to staff")
    comeback_nudges: bool = Field(description="Offer regulars their next turno when due")

    @classmethod
    def from_policy(cls, policy: BookingPolicy) -> PolicyOut:
        return cls(
            min_notice_minutes=policy.min_notice_minutes,
            max_days_ahead=policy.max_days_ahead,
            free_cancellation_hours=policy.free_cancellation_hours,
            hold_minutes=policy.hold_minutes,
            slot_step_minutes=policy.slot_step_minutes,
            open_on_holidays=policy.open_on_holidays,
            reminder_hours=list(policy.reminder_hours),
            no_show_grace_minutes=policy.no_show_grace_minutes,
            agenda_hour=policy.agenda_hour,
            comeback_nudges=policy.comeback_nudges,
        )


class ShopProfileOut(ShopOut):
    """A shop's profile: what customers are told, and its booking rules."""

    address: str | None
    maps_url: str | None
    contact_phone: str | None = Field(description="E.164, e.g. +5491158749895")
    policy: PolicyOut

    @classmethod
    def from_shop(cls, shop: Shop) -> ShopProfileOut:
        return cls(
            **ShopOut.from_shop(shop).model_dump(),
            address=shop.address,
            maps_url=shop.maps_url,
            contact_phone=shop.contact_phone,
            policy=PolicyOut.from_policy(shop.policy),
        )


class ApiKeyOut(Output):
    """A key as stored: never the secret."""

    prefix: str = Field(description="The key's first characters: how to name it to revoke it")
    name: str
    scope: str = Field(description="read, book or admin (platform: the operator's)")
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def from_key(cls, key: ApiKey) -> ApiKeyOut:
        return cls(
            prefix=key.prefix,
            name=key.name,
            scope=key.scope.value,
            created_at=key.created_at,
            last_used_at=key.last_used_at,
            expires_at=key.expires_at,
            revoked_at=key.revoked_at,
        )


class NewApiKeyOut(ApiKeyOut):
    """A new key, with its secret: shown this once, never again."""

    key: str = Field(description="Send it as `Authorization: Bearer <key>`")

    @classmethod
    def from_issued(cls, issued: IssuedKey) -> NewApiKeyOut:
        return cls(**ApiKeyOut.from_key(issued.key).model_dump(), key=issued.secret)


class ServiceOut(Output):
    id: int
    name: str
    duration_minutes: int
    price: PriceOut
    buffer_before_minutes: int
    buffer_after_minutes: int
    seats: int
    professional_ids: list[int]
    synonyms: list[str] = Field(description="Other words customers use for it in the chat")
    active: bool = Field(description="False once archived: no longer offered")

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
            synonyms=list(service.synonyms),
            active=service.active,
        )


class ProfessionalOut(Output):
    id: int
    name: str
    nickname: str | None
    service_ids: list[int] = Field(description="The services they offer")
    active: bool = Field(description="False once archived: no longer offered")

    @classmethod
    def from_professional(
        cls, professional: Professional, service_ids: Iterable[int]
    ) -> ProfessionalOut:
        return cls(
            id=professional.id,
            name=professional.name,
            nickname=professional.nickname,
            service_ids=sorted(service_ids),
            active=professional.active,
        )


class SlotOut(Output):
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


class CustomerIn(Input):
    name: Annotated[str, Field(max_length=120), AfterValidator(_not_blank)]
    phone: Annotated[str, Field(max_length=40), AfterValidator(_not_blank)]


class BookingIn(Input):
    service_id: StrictInt = Field(ge=1, le=2**31 - 1)
    professional_id: StrictInt | None = Field(default=None, ge=1, le=2**31 - 1)
    start: Start
    customer: CustomerIn
    hold: StrictBool = Field(default=False, description="Hold while paying instead of confirming")


class RescheduleIn(Input):
    start: Start
    professional_id: StrictInt | None = Field(default=None, ge=1, le=2**31 - 1)


class CancelIn(Input):
    by: Literal["customer", "shop"] = "customer"


class CustomerOut(Output):
    id: int = Field(description="The shop's own number for this customer")
    name: str | None = Field(description="The name given at this shop")
    phone: str | None

    @classmethod
    def from_customer(cls, customer: ShopCustomer, phone: str | None) -> CustomerOut:
        return cls(id=customer.id, name=customer.name, phone=phone)


class BookingOut(Output):
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
    channel: str | None = Field(
        description="Where it was made: telegram, whatsapp, sandbox (chat) or api; null: unknown"
    )

    @classmethod
    def build(
        cls, booking: Booking, shop: Shop, customer: ShopCustomer, phone: str | None
    ) -> BookingOut:
        tz = shop.timezone
        return cls(
            id=booking.id,
            shop=shop.slug,
            service_id=booking.service_id,
            professional_id=booking.professional_id,
            customer=CustomerOut.from_customer(customer, phone),
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
            channel=booking.channel,
        )


class ErrorOut(Output):
    error: str
    detail: str


class ProblemOut(Output):
    loc: list[str] = Field(description="Where: e.g. ['body', 'customer', 'phone']")
    msg: str


class InvalidInputOut(ErrorOut):
    """422: the input breaks a rule; `field` or `problems` say where."""

    field: str | None = Field(default=None, description="The input at fault, when one is")
    problems: list[ProblemOut] | None = Field(
        default=None, description="Each input the request's shape got wrong"
    )


class SlotTakenOut(ErrorOut):
    alternatives: list[SlotOut]


class CustomerBusyOut(ErrorOut):
    """409 `customer_busy`: the customer already has an active turno at an overlapping time."""

    error: Literal["customer_busy"]
    conflicting_booking_id: int = Field(description="The customer's turno that overlaps")
