"""Who is a regular, how often they come, with whom, and when they are due back."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from domain.comeback import Visit, due_on, habit_of

BA = "America/Argentina/Buenos_Aires"
FIRST = datetime(2026, 9, 5, 20, tzinfo=UTC)  # a Saturday, 17:00 in Buenos Aires


def visits(*days_apart: int, professionals: tuple[int, ...] = ()) -> list[Visit]:
    """Visits that many days apart, with professional 1 unless told otherwise."""
    found, at = [Visit(1, 1, professionals[0] if professionals else 1, FIRST)], FIRST
    for n, gap in enumerate(days_apart, start=1):
        at += timedelta(days=gap)
        who = professionals[n] if n < len(professionals) else 1
        found.append(Visit(n + 1, 1, who, at))
    return found


def test_three_visits_four_weeks_apart_make_a_regular_due_four_weeks_after_the_last() -> None:
    habit = habit_of(visits(28, 28), BA)

    assert habit is not None
    assert (habit.every, habit.weeks, habit.last.booking_id) == (timedelta(days=28), 4, 3)
    assert due_on(habit, BA) == date(2026, 10, 31) + timedelta(days=28)


def test_two_visits_are_not_a_habit_yet() -> None:
    assert habit_of(visits(21), BA) is None


def test_the_interval_is_the_median_gap_so_one_odd_gap_does_not_spoil_it() -> None:
    habit = habit_of(visits(21, 21, 60, 21), BA)

    assert habit is not None
    assert habit.every == timedelta(days=21)


def test_twice_the_same_day_counts_once_and_too_long_or_short_intervals_are_no_habit() -> None:
    same_day = visits(0, 28, 28)
    assert habit_of(same_day, BA) is not None
    assert habit_of(visits(2, 3, 2), BA) is None, "every few days is not an interval to nudge"
    assert habit_of(visits(200, 200), BA) is None


def test_the_usual_professional_is_the_most_frequent_lately_and_the_latest_between_equals() -> None:
    habit = habit_of(visits(28, 28, 28, professionals=(1, 2, 2, 1)), BA)
    assert habit is not None
    assert habit.professional_id == 1, "two each: the latest"
    habit = habit_of(visits(28, 28, 28, professionals=(2, 2, 2, 1)), BA)
    assert habit is not None
    assert habit.professional_id == 2
