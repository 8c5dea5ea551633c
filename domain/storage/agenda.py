"""Storage for the professionals' chat: a day's turnos, one turno for a notification, blocked
time and the takings, as direct queries (the read side skips the booking model)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Row, Select, and_, func, or_, select

from domain.errors import InvalidRequest, NotFound
from domain.model import ACTIVE_STATUSES, BookingStatus
from domain.staff import AgendaLine, Takings
from domain.storage.tables import (
    BookingRow,
    CustomerRow,
    ProfessionalRow,
    ServiceRow,
    ShopCustomerRow,
    ShopRow,
    TimeOffRow,
)
from domain.storage.uow import UnitOfWorkFactory

__all__ = ["AgendaLine", "Takings", "block_time", "booking_line", "day_agenda", "takings"]

_ACTIVE = sorted(s.value for s in ACTIVE_STATUSES)
# What an agenda shows: the turnos that take (or took) place, not the cancelled or lapsed ones.
_ON_AGENDA = [*_ACTIVE, BookingStatus.COMPLETED.value, BookingStatus.NO_SHOW.value]
_REASON_CHARS = 200  # TimeOffRow.reason's width
_Q = TypeVar("_Q", bound=Select[*tuple[Any, ...]])


# Bookings with the names a person reads, labelled as AgendaLine's fields.
_LINES = (
    select(
        BookingRow.id.label("booking_id"),
        BookingRow.professional_id,
        func.coalesce(ProfessionalRow.nickname, ProfessionalRow.name).label("professional_name"),
        ServiceRow.name.label("service_name"),
        func.coalesce(ShopCustomerRow.name, "").label("customer_name"),
        CustomerRow.phone.label("customer_phone"),
        BookingRow.starts_at.label("start"),
        BookingRow.ends_at.label("end"),
        BookingRow.status,
        BookingRow.price_cents,
        BookingRow.currency,
        BookingRow.shop_id,
        BookingRow.payment_method,
    )
    .join(ProfessionalRow, ProfessionalRow.id == BookingRow.professional_id)
    .join(ServiceRow, ServiceRow.id == BookingRow.service_id)
    .join(CustomerRow, CustomerRow.id == BookingRow.customer_id)
    .outerjoin(
        ShopCustomerRow,
        and_(
            ShopCustomerRow.shop_id == BookingRow.shop_id,
            ShopCustomerRow.customer_id == BookingRow.customer_id,
        ),
    )
)


def _line(row: Row[*tuple[Any, ...]]) -> AgendaLine:
    fields = dict(row._mapping)
    return AgendaLine(**{**fields, "status": BookingStatus(fields["status"])})


async def day_agenda(
    uow_factory: UnitOfWorkFactory,
    shop_id: int,
    professional_id: int | None,
    first: datetime,
    last: datetime,
    *,
    now: datetime | None = None,
) -> list[AgendaLine]:
    """Turnos starting in [first, last) of one professional (None: the whole shop), by start.

    Held, confirmed, completed and no-show turnos; never cancelled or expired ones (nor, given
    `now`, holds that lapsed before the scheduler marked them expired).
    """
    query = _scoped(_LINES, shop_id, professional_id, first, last, now).order_by(
        BookingRow.starts_at, BookingRow.professional_id, BookingRow.id
    )
    async with uow_factory.read_only() as uow:
        return [_line(row) for row in await uow.session.execute(query)]


def _scoped(
    query: _Q,
    shop_id: int,
    professional_id: int | None,
    first: datetime,
    last: datetime,
    now: datetime | None,
) -> _Q:
    """The shop's (or one professional's) agenda turnos starting in [first, last)."""
    query = query.where(
        BookingRow.shop_id == shop_id,
        BookingRow.starts_at >= first,
        BookingRow.starts_at < last,
        BookingRow.status.in_(_ON_AGENDA),
    )
    if professional_id is not None:
        query = query.where(BookingRow.professional_id == professional_id)
    if now is not None:
        live = or_(
            BookingRow.status != BookingStatus.HELD.value,
            BookingRow.hold_expires_at.is_(None),
            BookingRow.hold_expires_at > now,
        )
        query = query.where(live)
    return query


async def booking_line(uow_factory: UnitOfWorkFactory, booking_id: int) -> AgendaLine | None:
    """One turno in any state (a cancelled one too, for "se canceló"), or None."""
    async with uow_factory.read_only() as uow:
        row = (await uow.session.execute(_LINES.where(BookingRow.id == booking_id))).first()
    return _line(row) if row is not None else None


async def block_time(
    uow_factory: UnitOfWorkFactory,
    professional_id: int,
    start: datetime,
    end: datetime,
    reason: str,
) -> list[AgendaLine]:
    """Add time off for a professional; returns the active turnos inside it (left untouched).

    Blocking the same range twice stores it once (a repeated message has one effect).
    """
    if start.tzinfo is None or end.tzinfo is None:
        raise InvalidRequest("blocked time needs a UTC offset")
    if end <= start:
        raise InvalidRequest("blocked time must end after it starts")
    async with uow_factory() as uow:
        session = uow.session
        professional = await session.get(ProfessionalRow, professional_id)
        if professional is None:
            raise NotFound("professional not found")
        same = await session.scalar(
            select(TimeOffRow.id).where(
                TimeOffRow.professional_id == professional_id,
                TimeOffRow.starts_at == start,
                TimeOffRow.ends_at == end,
            )
        )
        if same is None:
            row = TimeOffRow(
                professional_id=professional_id,
                starts_at=start,
                ends_at=end,
                reason=reason.strip()[:_REASON_CHARS],
            )
            session.add(row)
            await session.flush()
            after = {"starts_at": start, "ends_at": end, "reason": row.reason}
            uow.audit(professional.shop_id, "time_off.added", f"time_off:{row.id}", None, after)
        rows = await session.execute(
            _LINES.where(
                BookingRow.professional_id == professional_id,
                BookingRow.status.in_(_ACTIVE),
                BookingRow.starts_at < end,
                BookingRow.ends_at > start,
            ).order_by(BookingRow.starts_at, BookingRow.id)
        )
        overlapping = [_line(row) for row in rows]
        await uow.commit()
    return overlapping


async def takings(
    uow_factory: UnitOfWorkFactory,
    shop_id: int,
    professional_id: int | None,
    first: datetime,
    last: datetime,
    *,
    now: datetime | None = None,
) -> Takings:
    """Done, still to come and no-shows of turnos starting in [first, last), at frozen prices.

    Still to come: confirmed and held turnos (given `now`, lapsed holds are left out).
    """
    totals = select(
        BookingRow.status,
        func.count(BookingRow.id),
        func.coalesce(func.sum(BookingRow.price_cents), 0),
    )
    query = _scoped(totals, shop_id, professional_id, first, last, now)
    async with uow_factory.read_only() as uow:
        currency = await uow.session.scalar(select(ShopRow.currency).where(ShopRow.id == shop_id))
        if currency is None:
            raise NotFound("shop not found")
        rows = (await uow.session.execute(query.group_by(BookingRow.status))).all()
    counts = {status: (int(count), int(cents)) for status, count, cents in rows}
    done = counts.get(BookingStatus.COMPLETED.value, (0, 0))
    pending = [counts.get(status, (0, 0)) for status in _ACTIVE]
    return Takings(
        completed_count=done[0],
        completed_cents=done[1],
        pending_count=sum(n for n, _ in pending),
        pending_cents=sum(c for _, c in pending),
        no_show_count=counts.get(BookingStatus.NO_SHOW.value, (0, 0))[0],
        currency=currency,
    )
