"""Comeback nudges: who is a regular, how often they come, and when they are due again.

A regular has come at least `MIN_VISITS` times; their interval is the median gap between
visits (in whole days, between `SHORTEST` and `LONGEST`, else there is no habit to speak of);
their usual service and professional are the most frequent among their latest visits. They are
due once their last visit plus the interval has come, in the shop's own calendar.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise
from statistics import median
from zoneinfo import ZoneInfo

MIN_VISITS = 3
SHORTEST = timedelta(days=7)
LONGEST = timedelta(days=120)
LATEST = 5  # the usual service and professional are read from this many latest visits


@dataclass(frozen=True)
class Visit:
    """A turno the customer came to (or that ended without a no-show)."""

    booking_id: int
    service_id: int
    professional_id: int
    starts_at: datetime


@dataclass(frozen=True)
class Habit:
    """How a regular comes: what, with whom, how often, and when they last came."""

    service_id: int
    professional_id: int
    every: timedelta
    last: Visit

    @property
    def weeks(self) -> int:
        """The interval in whole weeks (at least one), for the message."""
        return max(1, round(self.every.days / 7))


def habit_of(visits: Sequence[Visit], timezone: str) -> Habit | None:
    """The customer's habit at a shop, None unless they are a regular with a steady interval."""
    days = sorted({v.starts_at.astimezone(ZoneInfo(timezone)).date(): v for v in visits}.items())
    if len(days) < MIN_VISITS:
        return None
    gaps = [(later - earlier).days for (earlier, _), (later, _) in pairwise(days)]
    every = timedelta(days=round(median(gaps)))
    if not SHORTEST <= every <= LONGEST:
        return None
    latest = [visit for _, visit in days[-LATEST:]]
    return Habit(
        _most_frequent([v.service_id for v in latest]),
        _most_frequent([v.professional_id for v in latest]),
        every,
        latest[-1],
    )


def _most_frequent(values: list[int]) -> int:
    """The most frequent value; between equals, the latest."""
    counts = Counter(values)
    top = max(counts.values())
    return next(v for v in reversed(values) if counts[v] == top)


def due_on(habit: Habit, timezone: str) -> date:
    """The shop-local day the regular is due back."""
    return habit.last.starts_at.astimezone(ZoneInfo(timezone)).date() + habit.every
