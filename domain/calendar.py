"""Which days a shop is open: Argentine national holidays plus the shop's own overrides."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

import holidays

from domain.errors import InvalidRequest
from domain.model import DayOverride


@lru_cache(maxsize=64)
def national_holidays(year: int) -> dict[date, str]:
    """Argentina's national holidays of a year, named in Spanish (bridge days included)."""
    calendar = holidays.country_holidays("AR", years=year, language="es")
    return {day: str(name) for day, name in calendar.items()}


@dataclass(frozen=True)
class ShopCalendar:
    """Decides if a day is closed: holidays close unless the shop opens, overrides win."""

    open_on_holidays: bool = False
    overrides: dict[date, DayOverride] = field(default_factory=dict)

    @classmethod
    def build(cls, open_on_holidays: bool, overrides: Iterable[DayOverride]) -> ShopCalendar:
        """A calendar from the shop's setting and its override rows."""
        return cls(open_on_holidays, {o.day: o for o in overrides})

    def holiday_name(self, day: date) -> str | None:
        """The holiday's name, or None on an ordinary day."""
        return national_holidays(day.year).get(day)

    def is_closed(self, day: date) -> bool:
        """True when nobody works that day at this shop."""
        override = self.overrides.get(day)
        if override is not None:
            return not override.is_open
        return not self.open_on_holidays and self.holiday_name(day) is not None


class DayRule(StrEnum):
    """Why a day is open or closed as a whole (the professionals' hours aside)."""

    ORDINARY = "ordinary"  # no feriado, nothing said: open
    HOLIDAY = "holiday"  # a national feriado: closed
    OPEN_ON_HOLIDAYS = "open_on_holidays"  # a feriado, and the shop opens on feriados
    CLOSED_BY_SHOP = "closed_by_shop"
    OPEN_BY_SHOP = "open_by_shop"


@dataclass(frozen=True)
class DayStatus:
    """Whether the shop opens on a day, and why."""

    day: date
    is_open: bool
    why: DayRule
    holiday: str | None = None  # the feriado's name
    note: str | None = None  # the shop's own word for the day


def day_status(calendar: ShopCalendar, day: date) -> DayStatus:
    """Whether the shop opens on `day`, and why: its own word first, then the feriados."""
    holiday = calendar.holiday_name(day)
    override = calendar.overrides.get(day)
    if override is not None:
        why = DayRule.OPEN_BY_SHOP if override.is_open else DayRule.CLOSED_BY_SHOP
        return DayStatus(day, override.is_open, why, holiday, override.note)
    if holiday is not None:
        opens = calendar.open_on_holidays
        return DayStatus(
            day, opens, DayRule.OPEN_ON_HOLIDAYS if opens else DayRule.HOLIDAY, holiday
        )
    return DayStatus(day, True, DayRule.ORDINARY)


def special_days(calendar: ShopCalendar, first: date, last: date) -> list[DayStatus]:
    """The feriados and the shop's own open or closed days from `first` to `last`, by day."""
    found = []
    day = first
    while day <= last:
        status = day_status(calendar, day)
        if status.why is not DayRule.ORDINARY:
            found.append(status)
        day += timedelta(days=1)
    return found


def plausible_day(day: date, field: str) -> date:
    """Days from 2000 to 2100 (the calendar of feriados, and no overflow near date.max)."""
    if not 2000 <= day.year <= 2100:
        raise InvalidRequest("must be a date between the years 2000 and 2100", field=field)
    return day


def changeable_day(day: date, today: date) -> date:
    """A day the shop may still open or close: today or later (InvalidRequest otherwise)."""
    if plausible_day(day, "day") < today:
        raise InvalidRequest("that day has gone by", field="day")
    return day
