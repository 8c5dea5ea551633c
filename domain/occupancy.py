"""How full a professional's time was: the minutes booked over the minutes worked.

The minutes worked come from their weekly hours (work minus breaks) on each day of the period,
leaving out the days the shop is closed (feriados, its own closed days) and their time off.
Minutes are real ones: a wall-clock period is turned into UTC instants first, so a day across a
DST change counts the hour it really had. Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

from domain.calendar import ShopCalendar
from domain.catalog_rules import effective_hours
from domain.model import ProfessionalSchedule, TimeOff

_MINUTE = timedelta(minutes=1)


@dataclass(frozen=True)
class Occupancy:
    """One professional's booked and worked minutes over a period."""

    professional_id: int
    booked: int
    working: int

    @property
    def share(self) -> Fraction | None:
        """Booked over worked (above 1 when turnos were taken outside the hours); None when
        they had no hours at all in the period."""
        return Fraction(self.booked, self.working) if self.working else None


@dataclass(frozen=True)
class ProfessionalOccupancy:
    """How full a professional's time was, with the name the shop calls them by."""

    name: str
    occupancy: Occupancy


def working_minutes(
    schedule: ProfessionalSchedule,
    calendar: ShopCalendar,
    first: date,
    last: date,
    timezone: str,
) -> int:
    """The minutes `schedule` works from `first` to `last` (both included) on open days, less
    their time off."""
    zone = ZoneInfo(timezone)
    worked = effective_hours(schedule.hours, schedule.breaks)
    off = _merged(schedule.time_off)
    total = timedelta()
    day = first
    while day <= last:
        if not calendar.is_closed(day):
            for period in worked:
                if period.weekday == day.weekday():
                    start = datetime.combine(day, period.start, tzinfo=zone).astimezone(UTC)
                    end = datetime.combine(day, period.end, tzinfo=zone).astimezone(UTC)
                    total += end - start - _overlap(start, end, off)
        day += timedelta(days=1)
    return total // _MINUTE


def _merged(time_off: Iterable[TimeOff]) -> list[tuple[datetime, datetime]]:
    """Time off as sorted, disjoint stretches (two that overlap are not taken off twice)."""
    merged: list[tuple[datetime, datetime]] = []
    for off in sorted(time_off, key=lambda t: t.starts_at):
        if merged and off.starts_at <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], off.ends_at))
        else:
            merged.append((off.starts_at, off.ends_at))
    return merged


def _overlap(
    start: datetime, end: datetime, stretches: list[tuple[datetime, datetime]]
) -> timedelta:
    """How much of [start, end) the stretches cover."""
    covered = timedelta()
    for off_start, off_end in stretches:
        low, high = max(start, off_start), min(end, off_end)
        if low < high:
            covered += high - low
    return covered
