"""When the shop and each professional work, computed from the weekly hours in the context.

The shop is open on a day when someone works then: its hours that day run from the earliest
start to the latest end of the professionals working. Holidays and the shop's own closed days
(domain.calendar) and whole-day time off count; breaks do not (a receptionist gives the span).
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from conversations.context import Context
from domain.calendar import DayStatus, ShopCalendar, day_status
from domain.model import ProfessionalSchedule

Span = tuple[time, time]
WEEK = range(7)


def calendar(ctx: Context) -> ShopCalendar:
    """The shop's calendar of holidays and its own open or closed days."""
    return ShopCalendar.build(ctx.shop.policy.open_on_holidays, ctx.day_overrides)


def status(day: date, ctx: Context) -> DayStatus:
    """Whether the shop opens on `day` as a whole, and why (a holiday, its own word)."""
    return day_status(calendar(ctx), day)


def working(ctx: Context) -> list[ProfessionalSchedule]:
    """The schedules of the active professionals, in the shop's order of professionals."""
    by_id = {s.professional_id: s for s in ctx.schedules}
    return [by_id[p.id] for p in ctx.professionals if p.active and p.id in by_id]


def weekly(schedules: list[ProfessionalSchedule]) -> dict[int, Span]:
    """Weekday → the span someone of these works that weekday (weekdays nobody works left out)."""
    spans: dict[int, Span] = {}
    for schedule in schedules:
        for period in schedule.hours:
            start, end = spans.get(period.weekday, (period.start, period.end))
            spans[period.weekday] = (min(start, period.start), max(end, period.end))
    return spans


def on_day(schedule: ProfessionalSchedule, day: date, ctx: Context) -> Span | None:
    """The span a professional works on `day`, or None (not their day, or off all of it)."""
    span = weekly([schedule]).get(day.weekday())
    if span is None:
        return None
    tz = ZoneInfo(ctx.shop.timezone)
    start = datetime.combine(day, span[0], tz)
    end = datetime.combine(day, span[1], tz)
    if any(off.starts_at <= start and off.ends_at >= end for off in schedule.time_off):
        return None
    return span


def runs(weekdays: list[int]) -> list[tuple[int, int]]:
    """Consecutive weekdays as (first, last) runs: [1, 2, 3, 5] → [(1, 3), (5, 5)]."""
    found: list[tuple[int, int]] = []
    for weekday in sorted(weekdays):
        if found and found[-1][1] == weekday - 1:
            found[-1] = (found[-1][0], weekday)
        else:
            found.append((weekday, weekday))
    return found


def grouped(spans: dict[int, Span]) -> list[tuple[int, int, Span]]:
    """Runs of consecutive weekdays that share the same span, in weekday order."""
    groups: list[tuple[int, int, Span]] = []
    for weekday in sorted(spans):
        span = spans[weekday]
        if groups and groups[-1][1] == weekday - 1 and groups[-1][2] == span:
            groups[-1] = (groups[-1][0], weekday, span)
        else:
            groups.append((weekday, weekday, span))
    return groups
