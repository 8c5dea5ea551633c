"""SQL that reads a UTC column as the shop's wall clock: its local day, week, month, weekday
and hour, for GROUP BY in the database, correct across DST.

PostgreSQL knows time zones: `timezone(zone, column)` is the local wall time. SQLite does not:
there the column is shifted by the zone's UTC offset, and since the offset changes with DST, by
a CASE over the offsets the zone has during the period asked (`offset_spans`, computed with
zoneinfo: two changes a year at most, one branch for a zone without DST). Both give the same
buckets; tests compare them on a zone with DST.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Integer, case, cast, extract, func, literal

from domain.numbers import Grain

_DAY = timedelta(days=1)
_SECOND = timedelta(seconds=1)


def offset_spans(timezone: str, since: datetime, until: datetime) -> list[tuple[datetime, int]]:
    """The zone's UTC offsets over [since, until): (from when, offset in seconds), the first
    from `since`; a new span at each change, found to the second."""
    zone = ZoneInfo(timezone)
    spans = [(since, _offset(since, zone))]
    moment = since
    while moment < until:
        step = min(moment + _DAY, until)
        if _offset(step, zone) != spans[-1][1]:
            low, high = moment, step  # the change lies in (low, high]
            while high - low > _SECOND:
                middle = low + (high - low) / 2
                if _offset(middle, zone) == spans[-1][1]:
                    low = middle
                else:
                    high = middle
            high = high.replace(microsecond=0)
            spans.append((high, _offset(high, zone)))
        moment = step
    return spans


def _offset(moment: datetime, zone: ZoneInfo) -> int:
    offset = moment.astimezone(zone).utcoffset()
    assert offset is not None  # a ZoneInfo always has one
    return int(offset.total_seconds())


class LocalTime:
    """Expressions on UTC datetime columns, read in `timezone` over [since, until)."""

    def __init__(self, dialect: str, timezone: str, since: datetime, until: datetime) -> None:
        self.postgres = dialect == "postgresql"
        self.timezone = timezone
        self.spans = offset_spans(timezone, since.astimezone(UTC), until.astimezone(UTC))

    def bucket(self, column: Any, grain: Grain) -> ColumnElement[str]:
        """The first local day of the column's day, week (Monday) or month, as YYYY-MM-DD."""
        if self.postgres:
            truncated = func.date_trunc(grain.value, func.timezone(self.timezone, column))
            return func.to_char(truncated, "YYYY-MM-DD")
        shift = self._shift(column)
        if grain is Grain.WEEK:  # back six days, then on to a Monday: the Monday on or before
            return func.date(column, shift, "-6 days", "weekday 1")
        if grain is Grain.MONTH:
            return func.strftime("%Y-%m-01", column, shift)
        return func.date(column, shift)

    def weekday(self, column: Any) -> ColumnElement[int]:
        """The local weekday, 0 for Monday."""
        if self.postgres:
            return cast(extract("isodow", func.timezone(self.timezone, column)), Integer) - 1
        sunday_first = cast(func.strftime("%w", column, self._shift(column)), Integer)
        return (sunday_first + 6) % 7

    def hour(self, column: Any) -> ColumnElement[int]:
        """The local hour, 0 to 23."""
        if self.postgres:
            return cast(extract("hour", func.timezone(self.timezone, column)), Integer)
        return cast(func.strftime("%H", column, self._shift(column)), Integer)

    def minutes_between(self, start: Any, end: Any) -> ColumnElement[int]:
        """Whole minutes from `start` to `end` (real ones, whatever the zone)."""
        if self.postgres:
            return cast(extract("epoch", end - start), Integer) // 60
        seconds = cast(func.strftime("%s", end), Integer) - cast(
            func.strftime("%s", start), Integer
        )
        return seconds // 60

    def _shift(self, column: Any) -> ColumnElement[str]:
        """SQLite's date modifier for the offset in force at the column's moment."""
        modifiers = [literal(f"{offset:+d} seconds") for _, offset in self.spans]
        if len(modifiers) == 1:
            return modifiers[0]
        whens = [
            (column < start, modifier)
            for (start, _), modifier in zip(self.spans[1:], modifiers, strict=False)
        ]
        return case(*whens, else_=modifiers[-1])
