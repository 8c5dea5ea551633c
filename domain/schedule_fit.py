"""Does a turno already booked still fit its professional's schedule and the shop's calendar?

A change of hours, a time off, archiving a professional or closing a day never cancels a turno:
the owner is shown the ones that no longer fit and decides. The rule is availability's own (see
domain.availability): the day is open, the service's time lies inside one work period of that
weekday and clear of its breaks, and the time it keeps the professional busy (buffers included)
is clear of time off. Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from domain.calendar import ShopCalendar
from domain.model import ProfessionalSchedule


@dataclass(frozen=True)
class Turno:
    """An upcoming active booking as the owner is shown it; times in UTC."""

    booking_id: int
    professional_id: int
    service_id: int
    customer: str | None  # the name this shop knows them by
    starts_at: datetime
    ends_at: datetime
    block_start: datetime  # with the service's buffers
    block_end: datetime


def fits(
    turno: Turno,
    schedule: ProfessionalSchedule | None,
    calendar: ShopCalendar,
    timezone: str,
) -> bool:
    """Whether the turno lies within its professional's hours on an open day.

    `schedule` is None for a professional who no longer works (archived, or no hours at all).
    """
    if schedule is None:
        return False
    zone = ZoneInfo(timezone)
    day = turno.starts_at.astimezone(zone).date()
    if calendar.is_closed(day):
        return False
    weekday = day.weekday()
    start, end = turno.starts_at, turno.ends_at
    periods = [_utc(day, p.start, p.end, zone) for p in schedule.hours if p.weekday == weekday]
    if not any(p_start <= start and end <= p_end for p_start, p_end in periods):
        return False
    breaks = [_utc(day, p.start, p.end, zone) for p in schedule.breaks if p.weekday == weekday]
    if any(b_start < end and start < b_end for b_start, b_end in breaks):
        return False
    return not any(
        t.starts_at < turno.block_end and turno.block_start < t.ends_at for t in schedule.time_off
    )


def outside_hours(
    turnos: Iterable[Turno],
    schedules: Mapping[int, ProfessionalSchedule],
    calendar: ShopCalendar,
    timezone: str,
) -> list[Turno]:
    """The turnos that no longer fit (by start), from the schedules by professional id."""
    return sorted(
        (t for t in turnos if not fits(t, schedules.get(t.professional_id), calendar, timezone)),
        key=lambda t: (t.starts_at, t.booking_id),
    )


def _utc(day: date, start: time, end: time, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """A wall-clock stretch of a local day as UTC instants (compared safely across DST)."""
    return (
        datetime.combine(day, start, tzinfo=zone).astimezone(UTC),
        datetime.combine(day, end, tzinfo=zone).astimezone(UTC),
    )
