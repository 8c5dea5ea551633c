"""The week of the agenda: each day's turnos in order, and whether the shop opens. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from domain.calendar import ShopCalendar
from domain.storage.owner_agenda import BookingRead


@dataclass(frozen=True)
class WeekDay:
    """One day of the week as the agenda lists it."""

    day: date
    turnos: tuple[BookingRead, ...]
    closed: bool
    holiday: str | None


def week_days(
    days: Sequence[date],
    timezone: str,
    turnos: Sequence[BookingRead],
    calendar: ShopCalendar,
) -> list[WeekDay]:
    """The days, each with its turnos (by start, as given) and the calendar's word on it."""
    zone = ZoneInfo(timezone)
    by_day: dict[date, list[BookingRead]] = {d: [] for d in days}
    for turno in turnos:
        by_day.setdefault(turno.start.astimezone(zone).date(), []).append(turno)
    return [
        WeekDay(d, tuple(by_day[d]), calendar.is_closed(d), calendar.holiday_name(d)) for d in days
    ]
