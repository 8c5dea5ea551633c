"""Which days a shop is open: Argentine national holidays plus the shop's own overrides."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import holidays

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
