"""Recurring series: the same wall-clock turno every N weeks, N times (occurrence_starts only)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.errors import InvalidRequest
from domain.recurring import MAX_OCCURRENCES, occurrence_starts

BA = "America/Argentina/Buenos_Aires"
NEW_YORK = "America/New_York"  # 2026-03-08 springs forward, 2026-11-01 falls back


def local(moment: datetime, timezone: str) -> str:
    return moment.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")


def test_a_weekly_series_repeats_seven_days_apart() -> None:
    first = datetime(2026, 6, 2, 13, 0, tzinfo=UTC)  # Tuesday 10:00 in Buenos Aires
    assert occurrence_starts(first, BA, every_weeks=1, count=3) == [
        first,
        first + timedelta(weeks=1),
        first + timedelta(weeks=2),
    ]


def test_every_n_weeks_spaces_the_occurrences_n_weeks_apart() -> None:
    first = datetime(2026, 6, 2, 13, 0, tzinfo=UTC)
    starts = occurrence_starts(first, BA, every_weeks=3, count=3)
    assert [local(s, BA) for s in starts] == [
        "2026-06-02 10:00",
        "2026-06-23 10:00",
        "2026-07-14 10:00",
    ]


def test_the_wall_clock_time_is_kept_across_the_spring_forward() -> None:
    first = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # Monday 10:00 EST
    starts = occurrence_starts(first, NEW_YORK, every_weeks=1, count=3)
    assert [local(s, NEW_YORK) for s in starts] == [
        "2026-03-02 10:00",
        "2026-03-09 10:00",
        "2026-03-16 10:00",
    ]
    assert [s.hour for s in starts] == [15, 14, 14]  # in UTC the turno moves an hour


def test_the_wall_clock_time_is_kept_across_the_fall_back() -> None:
    first = datetime(2026, 10, 26, 14, 0, tzinfo=UTC)  # Monday 10:00 EDT
    starts = occurrence_starts(first, NEW_YORK, every_weeks=1, count=2)
    assert [local(s, NEW_YORK) for s in starts] == ["2026-10-26 10:00", "2026-11-02 10:00"]
    assert starts[1] - starts[0] == timedelta(weeks=1, hours=1)


def test_the_starts_are_aware_utc_whatever_offset_the_first_one_had() -> None:
    first = datetime(2026, 6, 2, 10, 0, tzinfo=ZoneInfo(BA))
    starts = occurrence_starts(first, BA, every_weeks=1, count=2)
    assert starts == [
        datetime(2026, 6, 2, 13, 0, tzinfo=UTC),
        datetime(2026, 6, 9, 13, 0, tzinfo=UTC),
    ]
    assert {s.tzinfo for s in starts} == {UTC}


@pytest.mark.parametrize(("every_weeks", "count"), [(1, 1), (12, 1), (1, MAX_OCCURRENCES)])
def test_the_limits_of_a_series_are_accepted(every_weeks: int, count: int) -> None:
    first = datetime(2026, 6, 2, 13, 0, tzinfo=UTC)
    assert len(occurrence_starts(first, BA, every_weeks, count)) == count


@pytest.mark.parametrize(
    ("every_weeks", "count"),
    [(0, 4), (-1, 4), (13, 4), (1, 0), (1, -2), (1, MAX_OCCURRENCES + 1)],
)
def test_a_series_out_of_range_is_refused(every_weeks: int, count: int) -> None:
    first = datetime(2026, 6, 2, 13, 0, tzinfo=UTC)
    with pytest.raises(InvalidRequest, match="every 1 to 12 weeks, 1 to 52 times"):
        occurrence_starts(first, BA, every_weeks, count)
