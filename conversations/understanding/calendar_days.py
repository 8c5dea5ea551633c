"""Calendar arithmetic relative to today: next weekday, weekend, next week, the 15th."""

from __future__ import annotations

from datetime import date, timedelta

SATURDAY, SUNDAY = 5, 6


def next_weekday(today: date, weekday: int, strictly_after: bool = False) -> date:
    """The next such weekday: today itself when today is one, unless `strictly_after`."""
    ahead = (weekday - today.weekday()) % 7
    return today + timedelta(days=7 if ahead == 0 and strictly_after else ahead)


def weekend(today: date, following: bool = False) -> tuple[date, date]:
    """The coming Saturday–Sunday; on a weekend what is left of it (the next one if `following`)."""
    if today.weekday() in (SATURDAY, SUNDAY) and not following:
        return today, next_weekday(today, SUNDAY)
    saturday = next_weekday(today, SATURDAY, strictly_after=True)
    return saturday, saturday + timedelta(days=1)


def next_week(today: date) -> tuple[date, date]:
    """Monday to Sunday of next week."""
    monday = today + timedelta(days=7 - today.weekday())
    return monday, monday + timedelta(days=6)


def this_week(today: date) -> tuple[date, date]:
    """Today to this week's Sunday."""
    return today, today + timedelta(days=SUNDAY - today.weekday())


def next_month(today: date) -> tuple[date, date]:
    """The first to the last day of next month."""
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def day_of_month(today: date, day: int) -> date | None:
    """ "El 15": this month's if not past, else the next month that has that day."""
    year, month = today.year, today.month
    for _ in range(4):
        candidate = _date(year, month, day)
        if candidate is not None and candidate >= today:
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def day_and_month(today: date, day: int, month: int, year: int | None = None) -> date | None:
    """ "15/12", "15 de diciembre": that date, next year's once this year's has passed."""
    if year is not None:
        return _date(year + 2000 if year < 100 else year, month, day)
    for ahead in range(9):  # 29/2 may be a few years away
        candidate = _date(today.year + ahead, month, day)
        if candidate is not None and candidate >= today:
            return candidate
    return None


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
