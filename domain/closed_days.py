"""Why a day has no turnos at all: a holiday, a day the shop closes, or nobody offering the
service works then. The chat says so instead of "ese día está lleno" and a useless waitlist."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from domain.availability import bookable_days, free_slots, utc_window
from domain.calendar import ShopCalendar
from domain.errors import NotFound
from domain.model import ProfessionalSchedule, Service, Shop
from domain.ports import Clock, UnitOfWorkFactory

_DAY = timedelta(days=1)


@dataclass(frozen=True)
class ClosedDay:
    """A day the service cannot be booked, whatever the bookings; `holiday` names the reason."""

    day: date
    holiday: str | None = None


def closed_days(
    *,
    shop: Shop,
    service: Service,
    schedules: Sequence[ProfessionalSchedule],
    calendar: ShopCalendar,
    first_day: date,
    last_day: date,
    now: datetime,
) -> list[ClosedDay]:
    """The bookable days from `first_day` to `last_day` with no start at all for `service`,
    bookings aside (days past the booking horizon are not reported)."""
    tz = ZoneInfo(shop.timezone)
    first, last = bookable_days(shop, now, first_day, last_day)
    empty = free_slots(
        shop=shop,
        service=service,
        schedules=schedules,
        busy=(),
        calendar=calendar,
        first_day=first,
        last_day=last,
        now=now,
    )
    open_days = {slot.start.astimezone(tz).date() for slot in empty}
    closed = []
    day = first
    while day <= last:
        if day not in open_days:
            holiday = calendar.holiday_name(day) if calendar.is_closed(day) else None
            closed.append(ClosedDay(day, holiday))
        day += _DAY
    return closed


async def find_closed_days(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    shop_id: int,
    service_id: int,
    professional_id: int | None,
    first_day: date,
    last_day: date,
) -> list[ClosedDay]:
    """The days of the range on which the service (with that professional, or anyone) is off."""
    now = clock.now()
    async with uow_factory.read_only() as uow:
        shop = await uow.catalog.shop(shop_id)
        service = await uow.catalog.service(shop_id, service_id) if shop else None
        if shop is None or service is None:
            raise NotFound("service not found")
        pro_ids = sorted(service.professional_ids)
        if professional_id is not None:
            pro_ids = [p for p in pro_ids if p == professional_id]
        start, end = utc_window(shop, first_day, last_day)
        schedules = await uow.catalog.schedules(pro_ids, start, end)
        overrides = await uow.catalog.day_overrides(shop.id, first_day, last_day)
    calendar = ShopCalendar.build(shop.policy.open_on_holidays, overrides)
    return closed_days(
        shop=shop,
        service=service,
        schedules=schedules,
        calendar=calendar,
        first_day=first_day,
        last_day=last_day,
        now=now,
    )
