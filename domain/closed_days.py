"""Why a day has no turnos at all: a holiday, a day the shop closes, or nobody offering the
service works then. The chat says so instead of "ese día está lleno" and a useless waitlist."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from domain.availability import bookable_days, free_slots
from domain.calendar import ShopCalendar
from domain.model import ProfessionalSchedule, Service, Shop

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
