"""The owner's agenda: a shop's turnos with everything a dashboard shows about each (who,
what, the price, the latest payment, where it was made), as direct queries, one statement per
page (the read side skips the booking model)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, and_, case, func, literal, or_, select
from sqlalchemy.orm import aliased

from domain.availability import utc_window
from domain.calendar import ShopCalendar
from domain.model import BookingStatus, ProfessionalSchedule, Shop
from domain.money import Money
from domain.storage.tables import (
    BookingRow,
    CustomerRow,
    PaymentRow,
    ProfessionalRow,
    ServiceRow,
    ShopCustomerRow,
)
from domain.storage.uow import UnitOfWorkFactory

_HELD = BookingStatus.HELD.value
_LIVE = (BookingStatus.HELD.value, BookingStatus.CONFIRMED.value)
# What an agenda shows unless asked: everything but holds that lapsed unpaid (noise to an
# owner; the REST API's `status=expired` lists them).
SHOWN = tuple(s.value for s in BookingStatus if s is not BookingStatus.EXPIRED)


@dataclass(frozen=True)
class PaymentState:
    """A booking's latest try at paying."""

    method: str
    status: str
    amount: Money


@dataclass(frozen=True)
class BookingRead:
    """One turno as the owner reads it; times in UTC, `customer_id` the shop's own number."""

    id: int
    start: datetime
    end: datetime
    status: str
    professional_id: int
    professional_name: str
    professional_nickname: str | None
    service_id: int
    service_name: str
    price: Money
    customer_id: int
    customer_name: str | None
    customer_phone: str | None
    payment_method: str | None
    channel: str | None
    late_cancellation: bool
    hold_expires_at: datetime | None
    payment: PaymentState | None


def effective_status(now: datetime) -> ColumnElement[str]:
    """The booking's status as of `now`: a hold whose time ran out reads as expired even
    before the job loop marks it (its slot is already free)."""
    lapsed = and_(BookingRow.status == _HELD, BookingRow.hold_expires_at <= now)
    return case((lapsed, literal(BookingStatus.EXPIRED.value)), else_=BookingRow.status)


def _lines(now: datetime) -> Select[*tuple[Any, ...]]:
    """Bookings joined to their names, the shop's record of the customer and the latest
    payment; filter with `.where` on BookingRow."""
    latest = aliased(PaymentRow)
    latest_id = (
        select(func.max(latest.id))
        .where(latest.booking_id == BookingRow.id)
        .correlate(BookingRow)
        .scalar_subquery()
    )
    return (
        select(
            BookingRow.id.label("id"),
            BookingRow.starts_at.label("start"),
            BookingRow.ends_at.label("end"),
            effective_status(now).label("status"),
            ProfessionalRow.id.label("professional_id"),
            ProfessionalRow.name.label("professional_name"),
            ProfessionalRow.nickname.label("professional_nickname"),
            ServiceRow.id.label("service_id"),
            ServiceRow.name.label("service_name"),
            ShopCustomerRow.id.label("customer_id"),
            ShopCustomerRow.name.label("customer_name"),
            CustomerRow.phone.label("customer_phone"),
            BookingRow.payment_method,
            BookingRow.channel,
            BookingRow.late_cancellation,
            BookingRow.hold_expires_at,
            BookingRow.price_cents,
            BookingRow.currency,
            PaymentRow.method.label("paid_by"),
            PaymentRow.status.label("paid_status"),
            PaymentRow.amount_cents.label("paid_cents"),
            PaymentRow.currency.label("paid_currency"),
        )
        .join(ProfessionalRow, ProfessionalRow.id == BookingRow.professional_id)
        .join(ServiceRow, ServiceRow.id == BookingRow.service_id)
        .join(CustomerRow, CustomerRow.id == BookingRow.customer_id)
        # Every booking's shop knows its customer (booking makes the record; migration 0010
        # made the older ones).
        .join(
            ShopCustomerRow,
            and_(
                ShopCustomerRow.shop_id == BookingRow.shop_id,
                ShopCustomerRow.customer_id == BookingRow.customer_id,
            ),
        )
        .outerjoin(PaymentRow, PaymentRow.id == latest_id)
    )


_PAYMENT_COLUMNS = ("paid_by", "paid_status", "paid_cents", "paid_currency")
_MONEY_COLUMNS = ("price_cents", "currency", *_PAYMENT_COLUMNS)


def _read(row: Row[*tuple[Any, ...]]) -> BookingRead:
    fields = dict(row._mapping)
    paid_by, paid_status, paid_cents, paid_currency = (fields[c] for c in _PAYMENT_COLUMNS)
    payment = None
    if paid_by is not None:
        payment = PaymentState(paid_by, paid_status, Money(paid_cents, paid_currency))
    price = Money(fields["price_cents"], fields["currency"])
    for column in _MONEY_COLUMNS:
        del fields[column]
    fields["late_cancellation"] = bool(fields["late_cancellation"])
    return BookingRead(**fields, price=price, payment=payment)


@dataclass(frozen=True)
class AgendaQuery:
    """Which of a shop's turnos: starting in [since, until), of one professional or all, in
    some statuses (as of `now`), after the (start, id) a previous page ended on."""

    shop_id: int
    since: datetime
    until: datetime
    statuses: Collection[str]
    now: datetime
    professional_id: int | None = None
    after: tuple[datetime, int] | None = None
    limit: int = 50


async def shop_bookings(uow_factory: UnitOfWorkFactory, query: AgendaQuery) -> list[BookingRead]:
    """One page of the shop's agenda, by start then id."""
    statement = _lines(query.now).where(
        BookingRow.shop_id == query.shop_id,
        BookingRow.starts_at >= query.since,
        BookingRow.starts_at < query.until,
        effective_status(query.now).in_(list(query.statuses)),
    )
    if query.professional_id is not None:
        statement = statement.where(BookingRow.professional_id == query.professional_id)
    if query.after is not None:
        start, booking_id = query.after
        statement = statement.where(
            or_(
                BookingRow.starts_at > start,
                and_(BookingRow.starts_at == start, BookingRow.id > booking_id),
            )
        )
    statement = statement.order_by(BookingRow.starts_at, BookingRow.id).limit(query.limit)
    async with uow_factory.read_only() as uow:
        return [_read(row) for row in await uow.session.execute(statement)]


async def bookings_by_id(
    uow_factory: UnitOfWorkFactory, shop_id: int, ids: Collection[int], now: datetime
) -> dict[int, BookingRead]:
    """The shop's turnos with these ids, by id (another shop's are left out)."""
    if not ids:
        return {}
    statement = _lines(now).where(BookingRow.shop_id == shop_id, BookingRow.id.in_(list(ids)))
    async with uow_factory.read_only() as uow:
        return {read.id: read for read in map(_read, await uow.session.execute(statement))}


async def shop_booking(
    uow_factory: UnitOfWorkFactory, shop_id: int, booking_id: int, now: datetime
) -> BookingRead | None:
    """One of the shop's turnos in any state (a lapsed hold reads expired); None when there
    is no such turno at this shop."""
    statement = _lines(now).where(BookingRow.shop_id == shop_id, BookingRow.id == booking_id)
    async with uow_factory.read_only() as uow:
        row = (await uow.session.execute(statement)).first()
    return _read(row) if row is not None else None


@dataclass(frozen=True)
class WorkingDays:
    """When the professionals work over some days (weekly hours, breaks, time off) and which
    of those days the shop is closed."""

    schedules: list[ProfessionalSchedule]
    calendar: ShopCalendar


async def working_days(
    uow_factory: UnitOfWorkFactory,
    shop: Shop,
    professional_ids: Collection[int],
    first: date,
    last: date,
) -> WorkingDays:
    """The schedules (active professionals only) and the shop's calendar of `first`..`last`."""
    start, end = utc_window(shop, first, last)
    async with uow_factory.read_only() as uow:
        schedules = await uow.catalog.schedules(sorted(professional_ids), start, end)
        overrides = await uow.catalog.day_overrides(shop.id, first, last)
    return WorkingDays(schedules, ShopCalendar.build(shop.policy.open_on_holidays, overrides))


async def customer_turnos(
    uow_factory: UnitOfWorkFactory,
    shop_id: int,
    person_id: int,
    now: datetime,
    limits: tuple[int, int],
    professional_id: int | None = None,
) -> tuple[list[BookingRead], list[BookingRead]]:
    """A customer's turnos at the shop (only those with `professional_id`, when given): the
    first `limits[0]` live ones to come (soonest first) and the latest `limits[1]` that
    started already or were let go (newest first); lapsed holds in neither."""
    status = effective_status(now)
    theirs = _lines(now).where(
        BookingRow.shop_id == shop_id,
        BookingRow.customer_id == person_id,
        status != BookingStatus.EXPIRED.value,
    )
    if professional_id is not None:
        theirs = theirs.where(BookingRow.professional_id == professional_id)
    upcoming = theirs.where(status.in_(_LIVE), BookingRow.starts_at > now)
    past = theirs.where(or_(status.not_in(_LIVE), BookingRow.starts_at <= now))
    async with uow_factory.read_only() as uow:
        soon = await uow.session.execute(
            upcoming.order_by(BookingRow.starts_at, BookingRow.id).limit(limits[0])
        )
        before = await uow.session.execute(
            past.order_by(BookingRow.starts_at.desc(), BookingRow.id.desc()).limit(limits[1])
        )
        return [_read(r) for r in soon], [_read(r) for r in before]
