"""The owner's customers: what one shop knows of each person (its own record, never another
shop's) with their visits, no-shows and turnos, as direct queries."""

from __future__ import annotations

import re
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, or_, select, update

from domain.errors import InvalidRequest, NotFound
from domain.model import BookingStatus
from domain.phone import normalize_phone
from domain.storage.folding import fold, folded
from domain.storage.owner_agenda import effective_status
from domain.storage.tables import BookingRow, CustomerRow, ShopCustomerRow
from domain.storage.uow import UnitOfWorkFactory

_PHONE_QUERY = re.compile(r"[\d\s\-.()+/]+")
_MIN_PHONE_DIGITS = 3
_COMPLETED = BookingStatus.COMPLETED.value
_LIVE = (BookingStatus.HELD.value, BookingStatus.CONFIRMED.value)


_name_key = folded(ShopCustomerRow.name)  # how the list is sorted and names are searched


def _theirs() -> Any:
    """The bookings of the outer query's shop customer (for correlated subqueries)."""
    return and_(
        BookingRow.shop_id == ShopCustomerRow.shop_id,
        BookingRow.customer_id == ShopCustomerRow.customer_id,
    )


def _count(*conditions: Any) -> Any:
    return select(func.count(BookingRow.id)).where(_theirs(), *conditions).scalar_subquery()


def _next(column: Any, now: datetime) -> Any:
    """A column of the customer's next live turno (the soonest, then the lowest id)."""
    return (
        select(column)
        .where(_theirs(), effective_status(now).in_(_LIVE), BookingRow.starts_at > now)
        .order_by(BookingRow.starts_at, BookingRow.id)
        .limit(1)
        .scalar_subquery()
    )


@dataclass(frozen=True)
class CustomerSummary:
    """A line of the shop's customer list; `id` is the shop's own number for the person."""

    id: int
    name: str | None
    phone: str | None
    visits: int
    no_shows: int
    last_visit: datetime | None
    next_turno_id: int | None
    next_turno_start: datetime | None


def _summaries(now: datetime) -> Select[Any]:
    last_visit = (
        select(func.max(BookingRow.starts_at))
        .where(_theirs(), BookingRow.status == _COMPLETED)
        .scalar_subquery()
    )
    return select(
        ShopCustomerRow.id,
        ShopCustomerRow.name,
        CustomerRow.phone,
        _count(BookingRow.status == _COMPLETED),
        _count(BookingRow.status == BookingStatus.NO_SHOW.value),
        last_visit.label("last_visit"),
        _next(BookingRow.id, now),
        _next(BookingRow.starts_at, now).label("next_start"),
    ).join(CustomerRow, CustomerRow.id == ShopCustomerRow.customer_id)


def _matching(q: str) -> Any:
    """Name (accents and case aside) or, for digits, the phone in whatever format."""
    if _PHONE_QUERY.fullmatch(q) and sum(c.isdigit() for c in q) >= _MIN_PHONE_DIGITS:
        digits = "".join(c for c in q if c.isdigit())
        same = [CustomerRow.phone.contains(digits)]
        with suppress(InvalidRequest):  # «011 15 5874-9895» has the 0 and 15 in excess
            same.append(CustomerRow.phone == normalize_phone(q))
        return or_(*same)
    return _name_key.contains(fold(q), autoescape=True)


async def shop_customers(
    uow_factory: UnitOfWorkFactory,
    shop_id: int,
    now: datetime,
    q: str | None,
    after: tuple[str, int] | None,
    limit: int,
) -> list[tuple[str, CustomerSummary]]:
    """A page of the shop's customers by name (accents aside), each with its sort key."""
    statement = _summaries(now).add_columns(_name_key).where(ShopCustomerRow.shop_id == shop_id)
    if q:
        statement = statement.where(_matching(q))
    if after is not None:
        key, row_id = after
        statement = statement.where(
            or_(_name_key > key, and_(_name_key == key, ShopCustomerRow.id > row_id))
        )
    statement = statement.order_by(_name_key, ShopCustomerRow.id).limit(limit)
    async with uow_factory.read_only() as uow:
        rows = (await uow.session.execute(statement)).all()
    return [(row[-1], CustomerSummary(*row[:-1])) for row in rows]


@dataclass(frozen=True)
class CustomerRecord:
    """Everything one shop knows of a person, with their totals there."""

    summary: CustomerSummary
    person_id: int
    notes: str
    first_seen: datetime
    late_cancellations: int
    spend_cents: int


async def shop_customer(
    uow_factory: UnitOfWorkFactory, shop_id: int, customer_id: int, now: datetime
) -> CustomerRecord:
    """The shop's customer number `customer_id`; NotFound when it is not this shop's."""
    late = _count(
        BookingRow.status == BookingStatus.CANCELLED.value, BookingRow.late_cancellation.is_(True)
    )
    spend = (
        select(func.coalesce(func.sum(BookingRow.price_cents), 0))
        .where(_theirs(), BookingRow.status == _COMPLETED)
        .scalar_subquery()
    )
    statement = _summaries(now).add_columns(
        ShopCustomerRow.customer_id, ShopCustomerRow.notes, ShopCustomerRow.created_at, late, spend
    )
    statement = statement.where(
        ShopCustomerRow.shop_id == shop_id, ShopCustomerRow.id == customer_id
    )
    async with uow_factory.read_only() as uow:
        row = (await uow.session.execute(statement)).first()
    if row is None:
        raise NotFound("no such customer")
    person_id, notes, first_seen, late_count, cents = row[8:]
    return CustomerRecord(
        CustomerSummary(*row[:8]), person_id, notes, first_seen, late_count, int(cents)
    )


async def save_notes(
    uow_factory: UnitOfWorkFactory, shop_id: int, customer_id: int, notes: str
) -> None:
    """The shop's own notes on its customer (replacing the old ones); NotFound if not its."""
    async with uow_factory() as uow:
        result = await uow.session.execute(
            update(ShopCustomerRow)
            .where(ShopCustomerRow.shop_id == shop_id, ShopCustomerRow.id == customer_id)
            .values(notes=notes)
        )
        await uow.commit()
    if getattr(result, "rowcount", 0) != 1:
        raise NotFound("no such customer")
