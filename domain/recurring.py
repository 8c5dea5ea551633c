"""Recurring series: the same turno every N weeks, N times, each occurrence checked on its own."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from domain.booking import BookingRequest, book, resolve_customer
from domain.errors import DomainError, InvalidRequest
from domain.model import Booking
from domain.ports import Clock, UnitOfWorkFactory

MAX_OCCURRENCES = 52


@dataclass(frozen=True)
class Occurrence:
    """One date of a series: booked, or the reason it could not be (e.g. slot_taken)."""

    start: datetime
    booking: Booking | None = None
    error: str | None = None


@dataclass(frozen=True)
class SeriesResult:
    """The outcome of booking a series, occurrence by occurrence."""

    series_id: int
    occurrences: tuple[Occurrence, ...]

    @property
    def booked(self) -> list[Booking]:
        """The occurrences that were booked."""
        return [o.booking for o in self.occurrences if o.booking is not None]


def occurrence_starts(
    first: datetime, timezone: str, every_weeks: int, count: int
) -> list[datetime]:
    """The UTC starts of a series, keeping the same wall-clock time across DST changes."""
    if not 1 <= every_weeks <= 12 or not 1 <= count <= MAX_OCCURRENCES:
        raise InvalidRequest("a series repeats every 1 to 12 weeks, 1 to 52 times")
    tz = ZoneInfo(timezone)
    local = first.astimezone(tz).replace(tzinfo=None)
    return [
        (local + timedelta(weeks=every_weeks * n)).replace(tzinfo=tz).astimezone(UTC)
        for n in range(count)
    ]


async def book_series(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    request: BookingRequest,
    every_weeks: int,
    count: int,
) -> SeriesResult:
    """Book every occurrence that is free; report the others one by one."""
    async with uow_factory() as uow:
        shop = await uow.catalog.shop(request.shop_id)
        if shop is None:
            raise InvalidRequest("shop not found")
        starts = occurrence_starts(request.start, shop.timezone, every_weeks, count)
        customer_id = await resolve_customer(uow, request.shop_id, request.customer)
        series_id = await uow.bookings.create_series(
            request.shop_id, customer_id, request.service_id, every_weeks, count
        )
        await uow.commit()
    results: list[Occurrence] = []
    for start in starts:
        occurrence = replace(request, customer=customer_id, start=start, series_id=series_id)
        try:
            results.append(Occurrence(start, await book(uow_factory, clock, occurrence)))
        except DomainError as error:
            results.append(Occurrence(start, error=error.code))
    return SeriesResult(series_id, tuple(results))
