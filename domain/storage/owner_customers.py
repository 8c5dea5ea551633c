"""The owner's customers: what one shop knows of each person (its own record, never another
shop's) with their visits, no-shows and turnos, as direct queries."""

from __future__ import annotations

import re
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, exists, func, literal, or_, select, update

from domain.errors import DomainError, InvalidRequest, NotFound
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


class NotServed(DomainError):
    """A customer of the shop who never had a turno with the professional asking."""

    code = "not_served"


def _theirs(professional_id: int | None = None) -> Any:
    """The bookings of the outer query's shop customer (for correlated subqueries); with
    `professional_id`, only those with that professional."""
    theirs = and_(
        BookingRow.shop_id == ShopCustomerRow.shop_id,
        BookingRow.customer_id == ShopCustomerRow.customer_id,
    )
    if professional_id is not None:
        theirs = and_(theirs, BookingRow.professional_id == professional_id)
    return theirs


def _served_by(professional_id: int) -> Any:
    """The outer query's customer had a turno with the professional (a lapsed hold aside)."""
    return exists().where(
        _theirs(professional_id), BookingRow.status != BookingStatus.EXPIRED.value
    )


def _count(professional_id: int | None, *conditions: Any) -> Any:
    statement = select(func.count(BookingRow.id)).where(_theirs(professional_id), *conditions)
    return statement.scalar_subquery()


def _next(column: Any, now: datetime, professional_id: int | None) -> Any:
    """A column of the customer's next live turno (the soonest, then the lowest id)."""
    return (
        select(column)
        .where(
            _theirs(professional_id),
            effective_status(now).in_(_LIVE),
            BookingRow.starts_at > now,
        )
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


def _summaries(now: datetime, professional_id: int | None = None) -> Select[Any]:
    """Each customer with their figures (of their turnos with `professional_id`, if given)."""
    last_visit = (
        select(func.max(BookingRow.starts_at))
        .where(_theirs(professional_id), BookingRow.status == _COMPLETED)
        .scalar_subquery()
    )
    return select(
        ShopCustomerRow.id,
        ShopCustomerRow.name,
        CustomerRow.phone,
        _count(professional_id, BookingRow.status == _COMPLETED),
        _count(professional_id, BookingRow.status == BookingStatus.NO_SHOW.value),
        last_visit.label("last_visit"),
        _next(BookingRow.id, now, professional_id),
        _next(BookingRow.starts_at, now, professional_id).label("next_start"),
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
    professional_id: int | None = None,
) -> list[tuple[str, CustomerSummary]]:
    """A page of the shop's customers by name (accents aside), each with its sort key; with
    `professional_id`, only those who had a turno with them, with the figures of those."""
    statement = _summaries(now, professional_id).add_columns(_name_key)
    statement = statement.where(ShopCustomerRow.shop_id == shop_id)
    if professional_id is not None:
        statement = statement.where(_served_by(professional_id))
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
    uow_factory: UnitOfWorkFactory,
    shop_id: int,
    customer_id: int,
    now: datetime,
    professional_id: int | None = None,
) -> CustomerRecord:
    """The shop's customer number `customer_id`; NotFound when it is not this shop's. With
    `professional_id`: the figures of their turnos with them, NotServed when they had none."""
    late = _count(
        professional_id,
        BookingRow.status == BookingStatus.CANCELLED.value,
        BookingRow.late_cancellation.is_(True),
    )
    spend = (
        select(func.coalesce(func.sum(BookingRow.price_cents), 0))
        .where(_theirs(professional_id), BookingRow.status == _COMPLETED)
        .scalar_subquery()
    )
    served = _served_by(professional_id) if professional_id is not None else literal(True)
    statement = _summaries(now, professional_id).add_columns(
        ShopCustomerRow.customer_id,
        ShopCustomerRow.notes,
        ShopCustomerRow.created_at,
        late,
        spend,
        served,
    )
    statement = statement.where(
        ShopCustomerRow.shop_id == shop_id, ShopCustomerRow.id == customer_id
    )
    async with uow_factory.read_only() as uow:
        row = (await uow.session.execute(statement)).first()
    if row is None:
        raise NotFound("no such customer")
    person_id, notes, first_seen, late_count, cents, is_theirs = row[8:]
    if professional_id is not None and not is_theirs:
        raise NotServed("this customer never had a turno with this professional")
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
        if getattr(result, "rowcount", 0) == 1:  # the notes are the customer's: only their size
            after = {"notes_chars": len(notes)}
            uow.audit(shop_id, "customer.notes", f"customer:{customer_id}", None, after)
        await uow.commit()
    if getattr(result, "rowcount", 0) != 1:
        raise NotFound("no such customer")
