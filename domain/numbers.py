"""The numbers an owner reads: a period of shop days, cut by day, week or month, and which
customers came for the first time. Pure: dates in, counts out.

A period is of local days, both ends included. A bucket is named by its first day: the day
itself, the Monday of its week (weeks start on Monday in Argentina), or the 1st of its month;
the first and last buckets may reach outside the period (a period from a Wednesday still has
that week's Monday as its first bucket), but only the period's days are counted in them.
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from domain.errors import InvalidRequest
from domain.model import BookingStatus
from domain.occupancy import ProfessionalOccupancy

MAX_DAYS = 3 * 366  # a custom period: three years at most
MAX_BUCKETS = 92  # more bars than this do not fit a phone: a coarser cut is offered instead
QUARTER_WEEKS = 13  # "the last 3 months": the 13 whole weeks before this one
# How a turno is shown in the numbers, from its status (as of now) and whether it was
# cancelled late (a lapsed hold is shown nowhere).
STATES = ("completed", "upcoming", "no_show", "cancelled", "late_cancelled")


class Grain(StrEnum):
    """How a period is cut."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"


class Preset(StrEnum):
    """The periods offered with one tap, and the owner's own dates."""

    WEEK = "week"  # this week, Monday to Sunday
    MONTH = "month"  # this month, 1st to last day
    QUARTER = "quarter"  # the last 3 months: the 13 whole weeks before this one
    CUSTOM = "custom"


@dataclass(frozen=True)
class Period:
    """Local days `first`..`last` (both included), cut by `grain`."""

    first: date
    last: date
    grain: Grain
    preset: Preset = Preset.CUSTOM

    @property
    def days(self) -> int:
        """How many days it spans."""
        return (self.last - self.first).days + 1

    def buckets(self) -> list[date]:
        """The first day of every bucket, in order (empty ones included)."""
        found = []
        start = bucket_of(self.first, self.grain)
        while start <= self.last:
            found.append(start)
            start = next_bucket(start, self.grain)
        return found


def bucket_of(day: date, grain: Grain) -> date:
    """The first day of the bucket `day` falls in."""
    if grain is Grain.WEEK:
        return day - timedelta(days=day.weekday())
    if grain is Grain.MONTH:
        return day.replace(day=1)
    return day


def next_bucket(start: date, grain: Grain) -> date:
    """The first day of the bucket after the one starting on `start`."""
    if grain is Grain.WEEK:
        return start + timedelta(weeks=1)
    if grain is Grain.MONTH:
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=1)


def bucket_count(first: date, last: date, grain: Grain) -> int:
    """How many buckets `first`..`last` takes when cut by `grain`."""
    return len(Period(first, last, grain).buckets())


def grains_for(first: date, last: date) -> tuple[Grain, ...]:
    """The cuts that give a readable number of bars for these days (month always does)."""
    return tuple(
        g for g in Grain if g is Grain.MONTH or bucket_count(first, last, g) <= MAX_BUCKETS
    )


def default_grain(first: date, last: date) -> Grain:
    """By day up to a month, by week up to about half a year, by month beyond."""
    days = (last - first).days + 1
    if days <= 31:
        return Grain.DAY
    return Grain.WEEK if days <= 190 else Grain.MONTH


def preset_period(preset: Preset, today: date, grain: Grain | None = None) -> Period:
    """This week, this month or the last 3 months, seen from `today`."""
    if preset is Preset.WEEK:
        first = bucket_of(today, Grain.WEEK)
        last = first + timedelta(days=6)
    elif preset is Preset.MONTH:
        first = today.replace(day=1)
        last = next_bucket(first, Grain.MONTH) - timedelta(days=1)
    elif preset is Preset.QUARTER:  # whole weeks: no last bar cut short by today
        last = bucket_of(today, Grain.WEEK) - timedelta(days=1)
        first = last - timedelta(weeks=QUARTER_WEEKS) + timedelta(days=1)
    else:
        raise ValueError("a custom period has its own dates: custom_period")
    return Period(first, last, _grain(grain, first, last), preset)


def custom_period(first: date, last: date, grain: Grain | None = None) -> Period:
    """The owner's own days; InvalidRequest when they run backwards or span too long.

    A cut that would draw too many bars gives way to the default one for those days.
    """
    if last < first:
        raise InvalidRequest("the period ends before it starts", field="to")
    if (last - first).days + 1 > MAX_DAYS:
        raise InvalidRequest(f"a period spans {MAX_DAYS} days at most", field="to")
    return Period(first, last, _grain(grain, first, last))


def _grain(asked: Grain | None, first: date, last: date) -> Grain:
    """The cut asked for when it reads well for these days, else the default one."""
    if asked is not None and asked in grains_for(first, last):
        return asked
    return default_grain(first, last)


@dataclass(frozen=True)
class Newcomers:
    """Customers who came in a bucket: for the first time ever, or again."""

    new: int = 0
    returning: int = 0

    @property
    def total(self) -> int:
        """Everyone who came."""
        return self.new + self.returning


def new_and_returning(
    visits: Iterable[tuple[date, int]], came_before: Set[int]
) -> dict[date, Newcomers]:
    """Per bucket (by its first day), the customers who came in it: new in the first bucket
    they came in, unless they had come before the period; returning otherwise. `visits` holds
    (bucket, customer) pairs, each customer once per bucket."""
    pairs = list(visits)
    first: dict[int, date] = {}
    for bucket, customer in pairs:
        first[customer] = min(bucket, first.get(customer, bucket))
    found: dict[date, Newcomers] = {}
    for bucket, customer in pairs:
        seen = found.get(bucket, Newcomers())
        if customer not in came_before and first[customer] == bucket:
            found[bucket] = Newcomers(seen.new + 1, seen.returning)
        else:
            found[bucket] = Newcomers(seen.new, seen.returning + 1)
    return found


def newcomers_in(customers: Iterable[int], came_before: Set[int]) -> Newcomers:
    """The whole period at once: each customer who came counted once, new unless they had
    come before the period."""
    came = set(customers)
    returning = len(came & came_before)
    return Newcomers(len(came) - returning, returning)


def state_of(status: str, late: bool) -> str | None:
    """The state a turno is shown in, from its status as of now (None: a lapsed hold)."""
    if status in (BookingStatus.HELD.value, BookingStatus.CONFIRMED.value):
        return "upcoming"
    if status == BookingStatus.CANCELLED.value:
        return "late_cancelled" if late else "cancelled"
    return None if status == BookingStatus.EXPIRED.value else status


@dataclass(frozen=True)
class ServiceLine:
    """A service's booked turnos and the revenue of the completed ones."""

    name: str
    turnos: int
    revenue: int  # centavos


@dataclass(frozen=True)
class Numbers:
    """Everything the Numbers page draws, for one shop and period (money in centavos)."""

    period: Period
    currency: str
    turnos: dict[date, dict[str, int]]  # bucket → state → count
    revenue: dict[date, int]  # bucket → the prices of its completed turnos
    newcomers: dict[date, Newcomers]  # bucket → new and returning customers
    customers: Newcomers  # the whole period, each customer once
    occupancy: list[ProfessionalOccupancy]
    services: list[ServiceLine]  # most booked first
    busy: dict[tuple[int, int], int]  # (weekday, hour) → turnos
    collected: dict[str, int]  # payment method → centavos
