"""A catalog's own rules: chat synonyms, and weekly hours that neither overlap nor run backwards."""

from __future__ import annotations

from datetime import time

import pytest

from domain.catalog_rules import (
    check_hours,
    clean_synonyms,
    effective_hours,
    parse_synonyms,
    synonyms_text,
)
from domain.errors import InvalidRequest
from domain.model import WeeklyPeriod
from tests.domain.test_availability import periods


def period(weekday: int, start: str, end: str) -> WeeklyPeriod:
    return WeeklyPeriod(weekday, time.fromisoformat(start), time.fromisoformat(end))


def test_synonyms_are_tidied_and_repeats_dropped() -> None:
    assert clean_synonyms(["  rapado ", "corte  a   máquina", "Rapado"]) == (
        "rapado",
        "corte a máquina",
    )


def test_synonyms_survive_being_stored_and_read_back() -> None:
    synonyms = ("rapado", "corte a máquina")

    assert parse_synonyms(synonyms_text(synonyms)) == synonyms
    assert parse_synonyms("") == ()


@pytest.mark.parametrize(
    ("synonyms", "field"),
    [
        (["rapado", "pelo, corto"], "synonyms[1]"),
        (["   "], "synonyms[0]"),
        ([f"{'y' * 55}{n}" for n in range(10)], "synonyms"),  # 569 characters stored
    ],
)
def test_a_bad_synonym_is_refused_naming_it(synonyms: list[str], field: str) -> None:
    with pytest.raises(InvalidRequest) as refused:
        clean_synonyms(synonyms)

    assert refused.value.field == field


def test_hours_come_back_sorted_with_touching_periods_joined() -> None:
    hours = [period(2, "15:00", "19:00"), period(1, "10:00", "14:00"), period(2, "10:00", "15:00")]

    assert check_hours(hours) == (period(1, "10:00", "14:00"), period(2, "10:00", "19:00"))


def test_several_periods_a_day_leave_their_gaps_as_breaks() -> None:
    hours = [period(0, "09:00", "13:00"), period(0, "14:00", "18:00")]

    assert check_hours(hours) == tuple(hours)


@pytest.mark.parametrize(
    ("hours", "field"),
    [
        ([period(0, "09:00", "13:00"), period(0, "12:00", "18:00")], "hours[1]"),
        (
            [period(0, "09:00", "18:00"), period(1, "09:00", "18:00"), period(0, "10:00", "11:00")],
            "hours[2]",
        ),
        ([period(3, "18:00", "09:00")], "hours[0]"),
        ([period(3, "09:00", "09:00")], "hours[0]"),
        ([period(7, "09:00", "18:00")], "hours[0]"),
    ],
)
def test_overlapping_inverted_or_out_of_week_periods_are_refused_naming_them(
    hours: list[WeeklyPeriod], field: str
) -> None:
    with pytest.raises(InvalidRequest) as refused:
        check_hours(hours)

    assert refused.value.field == field


def test_the_same_period_on_two_weekdays_is_no_overlap() -> None:
    assert len(check_hours(periods("10:00-19:00", weekdays=(1, 2)))) == 2


def test_effective_hours_are_the_work_periods_minus_the_breaks() -> None:
    hours = periods("10:00-19:00", weekdays=(1, 2))
    lunch = periods("14:00-15:00", weekdays=(1,))

    assert effective_hours(hours, lunch) == (
        period(1, "10:00", "14:00"),
        period(1, "15:00", "19:00"),
        period(2, "10:00", "19:00"),
    )


def test_a_break_at_the_edge_or_beyond_the_hours_only_trims_them() -> None:
    hours = periods("10:00-19:00", weekdays=(4,))
    breaks = periods("09:00-10:30,18:00-20:00,21:00-22:00", weekdays=(4,))

    assert effective_hours(hours, breaks) == (period(4, "10:30", "18:00"),)
