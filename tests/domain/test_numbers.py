"""Periods, buckets and first visits: the pure side of the owner's numbers."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import InvalidRequest
from domain.numbers import (
    Grain,
    Newcomers,
    Period,
    Preset,
    bucket_of,
    custom_period,
    grains_for,
    new_and_returning,
    newcomers_in,
    preset_period,
    state_of,
)

TUESDAY = date(2026, 12, 1)


def test_a_day_falls_in_its_own_day_the_monday_of_its_week_and_the_first_of_its_month() -> None:
    sunday = date(2026, 11, 29)

    assert bucket_of(sunday, Grain.DAY) == sunday
    assert bucket_of(sunday, Grain.WEEK) == date(2026, 11, 23)
    assert bucket_of(sunday, Grain.MONTH) == date(2026, 11, 1)


def test_buckets_cover_the_period_with_the_first_and_last_reaching_outside_it() -> None:
    weeks = Period(date(2026, 11, 4), date(2026, 11, 17), Grain.WEEK).buckets()
    months = Period(date(2026, 11, 15), date(2027, 2, 2), Grain.MONTH).buckets()

    assert weeks == [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)]
    assert months == [date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1), date(2027, 2, 1)]


def test_this_week_runs_monday_to_sunday_by_day() -> None:
    period = preset_period(Preset.WEEK, TUESDAY)

    assert (period.first, period.last, period.grain) == (
        date(2026, 11, 30),
        date(2026, 12, 6),
        Grain.DAY,
    )
    assert len(period.buckets()) == 7


def test_this_month_runs_from_the_first_to_the_last_day_even_in_february() -> None:
    december = preset_period(Preset.MONTH, TUESDAY)
    february = preset_period(Preset.MONTH, date(2028, 2, 10))

    assert (december.first, december.last) == (date(2026, 12, 1), date(2026, 12, 31))
    assert (february.first, february.last) == (date(2028, 2, 1), date(2028, 2, 29))


def test_the_last_3_months_are_the_13_whole_weeks_before_this_one_by_week() -> None:
    period = preset_period(Preset.QUARTER, TUESDAY)

    assert (period.first, period.last, period.grain) == (
        date(2026, 8, 31),
        date(2026, 11, 29),
        Grain.WEEK,
    )
    assert len(period.buckets()) == 13
    assert (period.first.weekday(), period.last.weekday()) == (0, 6)  # no bar cut short


def test_a_preset_takes_the_cut_asked_for_when_it_reads_well() -> None:
    assert preset_period(Preset.QUARTER, TUESDAY, Grain.DAY).grain is Grain.DAY  # 91 bars
    assert preset_period(Preset.QUARTER, TUESDAY, Grain.MONTH).grain is Grain.MONTH


def test_a_custom_period_cuts_by_day_week_or_month_as_it_grows() -> None:
    assert custom_period(date(2026, 11, 1), date(2026, 11, 30)).grain is Grain.DAY
    assert custom_period(date(2026, 6, 1), date(2026, 11, 30)).grain is Grain.WEEK
    assert custom_period(date(2025, 1, 1), date(2026, 11, 30)).grain is Grain.MONTH


def test_a_cut_with_too_many_bars_gives_way_to_the_default() -> None:
    year = (date(2026, 1, 1), date(2026, 12, 31))

    assert grains_for(*year) == (Grain.WEEK, Grain.MONTH)
    assert custom_period(*year, Grain.DAY).grain is Grain.MONTH
    assert custom_period(*year, Grain.WEEK).grain is Grain.WEEK
    assert grains_for(date(2024, 1, 1), date(2026, 12, 31)) == (Grain.MONTH,)


def test_a_custom_period_backwards_or_over_three_years_is_refused_naming_to() -> None:
    with pytest.raises(InvalidRequest) as backwards:
        custom_period(date(2026, 12, 2), date(2026, 12, 1))
    with pytest.raises(InvalidRequest) as too_long:
        custom_period(date(2023, 1, 1), date(2026, 12, 31))

    assert backwards.value.field == too_long.value.field == "to"
    assert custom_period(date(2026, 12, 1), date(2026, 12, 1)).days == 1


def test_a_customer_is_new_in_the_bucket_of_their_first_visit_and_returning_after() -> None:
    nov2, nov9, nov16 = date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)
    came_before = {2}  # 1 and 3 come for the first time in the period
    visits = [(nov16, 1), (nov2, 1), (nov2, 2), (nov9, 1), (nov16, 3), (nov16, 2)]

    found = new_and_returning(visits, came_before)

    assert found == {
        nov2: Newcomers(new=1, returning=1),
        nov9: Newcomers(new=0, returning=1),
        nov16: Newcomers(new=1, returning=2),
    }
    assert found[nov16].total == 3


def test_over_the_whole_period_each_customer_counts_once() -> None:
    assert newcomers_in([1, 2, 1, 3, 2, 1], came_before={2}) == Newcomers(new=2, returning=1)


def test_a_turno_is_shown_upcoming_done_missed_cancelled_or_late_and_a_lapsed_hold_nowhere() -> (
    None
):
    assert [state_of(s, False) for s in ("held", "confirmed", "completed", "no_show")] == [
        "upcoming",
        "upcoming",
        "completed",
        "no_show",
    ]
    assert (state_of("cancelled", False), state_of("cancelled", True)) == (
        "cancelled",
        "late_cancelled",
    )
    assert state_of("expired", False) is None
