"""The owner's agenda: a shop's turnos over some of its days, page by page."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query
from pydantic import Field

from domain.errors import InvalidRequest
from domain.model import BookingStatus, Shop
from domain.staff import day_bounds
from domain.storage.owner_agenda import SHOWN, AgendaQuery, BookingRead, shop_bookings
from domain.storage.uow import UnitOfWorkFactory
from web.api.v1.access import ShopReader
from web.api.v1.paging import DEFAULT_LIMIT, Cursor, Limit, decode_cursor, encode_cursor
from web.api.v1.responses import ERRORS
from web.api.v1.schemas import CustomerOut, Output, PriceOut
from web.deps import ClockDep, UowDep

router = APIRouter(tags=["agenda"])
MAX_DAYS = 62
FIRST_YEAR, LAST_YEAR = 2000, 2100


class NamedOut(Output):
    id: int
    name: str


class ProfessionalRefOut(NamedOut):
    nickname: str | None


class PaymentStateOut(Output):
    """The booking's latest try at paying."""

    method: str = Field(description="mercadopago, ticket, transfer or cash")
    status: str = Field(description="pending, approved, rejected, expired, refunded, cancelled")
    amount: PriceOut


class AgendaBookingOut(Output):
    """A turno with what the owner needs to know about it."""

    id: int
    start: datetime
    end: datetime
    status: str = Field(description="held, confirmed, completed, no_show, cancelled, expired")
    professional: ProfessionalRefOut
    service: NamedOut
    customer: CustomerOut = Field(description="As this shop knows them")
    price: PriceOut = Field(description="Frozen when booked")
    payment_method: str | None = Field(description="What the customer chose to pay with")
    payment: PaymentStateOut | None = Field(description="The latest payment; null: none")
    channel: str | None = Field(description="telegram, whatsapp, sandbox or api; null: unknown")
    late_cancellation: bool
    hold_expires_at: datetime | None

    @classmethod
    def from_read(cls, read: BookingRead, shop: Shop) -> AgendaBookingOut:
        zone = ZoneInfo(shop.timezone)
        payment = read.payment
        return cls(
            id=read.id,
            start=read.start.astimezone(zone),
            end=read.end.astimezone(zone),
            status=read.status,
            professional=ProfessionalRefOut(
                id=read.professional_id,
                name=read.professional_name,
                nickname=read.professional_nickname,
            ),
            service=NamedOut(id=read.service_id, name=read.service_name),
            customer=CustomerOut(
                id=read.customer_id, name=read.customer_name, phone=read.customer_phone
            ),
            price=PriceOut.from_money(read.price, shop.locale),
            payment_method=read.payment_method,
            payment=PaymentStateOut(
                method=payment.method,
                status=payment.status,
                amount=PriceOut.from_money(payment.amount, shop.locale),
            )
            if payment
            else None,
            channel=read.channel,
            late_cancellation=read.late_cancellation,
            hold_expires_at=read.hold_expires_at.astimezone(zone) if read.hold_expires_at else None,
        )


class AgendaOut(Output):
    """The shop days asked for (both included), one page of their turnos, and the next."""

    from_day: date
    to_day: date
    bookings: list[AgendaBookingOut]
    next: str | None = Field(description="Pass as `cursor` for the next page; null: no more")


@router.get("/shops/{slug}/bookings", responses=ERRORS)
async def list_bookings(
    access: ShopReader,
    uow_factory: UowDep,
    clock: ClockDep,
    from_day: Annotated[date | None, Query(alias="from")] = None,
    to_day: Annotated[date | None, Query(alias="to")] = None,
    professional_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    status: Annotated[list[str] | None, Query()] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> AgendaOut:
    """The shop's turnos starting on its local days `from`..`to` (`from` defaults to today,
    `to` to `from`; at most 62 days), by start time; `status` (repeated or comma-separated)
    picks some, by default all but `expired`; `cursor` (a page's `next`) goes on."""
    shop, now = access.shop, clock.now()
    first = from_day or now.astimezone(ZoneInfo(shop.timezone)).date()
    last = to_day or first
    _check_days(first, last)
    if professional_id is not None:
        await _check_professional(uow_factory, shop, professional_id)
    query = AgendaQuery(
        shop_id=shop.id,
        since=day_bounds(first, shop.timezone)[0],
        until=day_bounds(last, shop.timezone)[1],
        statuses=_statuses(status),
        now=now,
        professional_id=professional_id,
        after=_after(cursor),
        limit=limit + 1,  # one more tells whether there is a next page
    )
    found = await shop_bookings(uow_factory, query)
    page = found[:limit]
    more = len(found) > limit
    return AgendaOut(
        from_day=first,
        to_day=last,
        bookings=[AgendaBookingOut.from_read(b, shop) for b in page],
        next=encode_cursor(page[-1].start.isoformat(), page[-1].id) if more else None,
    )


def _check_days(first: date, last: date) -> None:
    """Plausible days (the calendar's ends overflow in UTC), in order, a bounded range."""
    for name, day in (("from", first), ("to", last)):
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise InvalidRequest(
                f"must be a day between the years {FIRST_YEAR} and {LAST_YEAR}", field=name
            )
    if last < first:
        raise InvalidRequest("`to` must be on or after `from`", field="to")
    if (last - first).days >= MAX_DAYS:
        raise InvalidRequest(f"at most {MAX_DAYS} days at a time", field="to")


async def _check_professional(
    uow_factory: UnitOfWorkFactory, shop: Shop, professional_id: int
) -> None:
    """The professional must be the shop's (archived ones too: their turnos stay listed)."""
    async with uow_factory.read_only() as uow:
        theirs = {p.id for p in await uow.catalog.professionals(shop.id)}
    if professional_id not in theirs:
        raise InvalidRequest("no such professional in this shop", field="professional_id")


def _statuses(asked: list[str] | None) -> tuple[str, ...]:
    """The statuses asked for (repeated or comma-separated), or the default ones."""
    if not asked:
        return SHOWN
    wanted = tuple(dict.fromkeys(s.strip() for part in asked for s in part.split(",")))
    known = {s.value for s in BookingStatus}
    unknown = [s for s in wanted if s not in known]
    if unknown or not wanted:
        raise InvalidRequest(f"status is one or more of {', '.join(sorted(known))}", field="status")
    return wanted


def _after(cursor: str | None) -> tuple[datetime, int] | None:
    """The (start, id) the previous page ended on."""
    if cursor is None:
        return None
    start, booking_id = decode_cursor(cursor)
    try:
        moment = datetime.fromisoformat(start)
    except ValueError:
        raise InvalidRequest("not a cursor this API gave", field="cursor") from None
    if moment.tzinfo is None or not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise InvalidRequest("not a cursor this API gave", field="cursor")
    return moment, booking_id
