"""Occupancy: the minutes a professional works in a period, from their weekly hours."""

from __future__ import annotations

from datetime import UTC, date, datetime
from fractions import Fraction

from domain.calendar import ShopCalendar
from domain.model import DayOverride, ProfessionalSchedule, TimeOff
from domain.occupancy import Occupancy, working_minutes
from tests.domain.test_availability import BA, FALL_BACK, NEW_YORK, SPRING_FORWARD, periods

TUE_TO_SAT = periods("10:00-19:00", weekdays=(1, 2, 3, 4, 5))
LUNCH = periods("14:00-15:00", weekdays=(1, 2, 3, 4, 5))
OPEN = ShopCalendar(open_on_holidays=True)
# Monday 2026-11-30 to Sunday 2026-12-06: no feriado that week.
MONDAY, SUNDAY = date(2026, 11, 30), date(2026, 12, 6)


def schedule(**changes: object) -> ProfessionalSchedule:
    base: dict[str, object] = {"professional_id": 1, "hours": TUE_TO_SAT, "breaks": LUNCH}
    base.update(changes)
    return ProfessionalSchedule(**base)  # type: ignore[arg-type]


def test_a_week_is_the_weekly_hours_less_the_breaks() -> None:
    assert working_minutes(schedule(), OPEN, MONDAY, SUNDAY, BA) == 5 * 8 * 60


def test_a_day_the_shop_closes_or_a_feriado_counts_nothing() -> None:
    closed_friday = ShopCalendar(
        overrides={date(2026, 12, 4): DayOverride(date(2026, 12, 4), False)}
    )
    christmas = (date(2026, 12, 21), date(2026, 12, 27))  # Friday the 25th is a feriado

    assert working_minutes(schedule(), closed_friday, MONDAY, SUNDAY, BA) == 4 * 8 * 60
    assert working_minutes(schedule(), ShopCalendar(), *christmas, BA) == 4 * 8 * 60
    assert working_minutes(schedule(), OPEN, *christmas, BA) == 5 * 8 * 60


def test_time_off_is_taken_away_once_even_when_two_overlap() -> None:
    off = (
        TimeOff(1, datetime(2026, 12, 2, 13, tzinfo=UTC), datetime(2026, 12, 2, 16, tzinfo=UTC)),
        TimeOff(1, datetime(2026, 12, 2, 15, tzinfo=UTC), datetime(2026, 12, 2, 19, tzinfo=UTC)),
    )  # 10:00 to 16:00 in Buenos Aires, lunch inside: 5 hours of work gone

    assert working_minutes(schedule(time_off=off), OPEN, MONDAY, SUNDAY, BA) == (40 - 5) * 60


def test_minutes_are_real_ones_on_the_days_the_clocks_change() -> None:
    night = periods("00:00-06:00", weekdays=range(7))
    shift = schedule(hours=night, breaks=())

    assert working_minutes(shift, OPEN, SPRING_FORWARD, SPRING_FORWARD, NEW_YORK) == 5 * 60
    assert working_minutes(shift, OPEN, FALL_BACK, FALL_BACK, NEW_YORK) == 7 * 60
    assert working_minutes(shift, OPEN, date(2026, 11, 2), date(2026, 11, 2), NEW_YORK) == 6 * 60


def test_occupancy_is_booked_over_worked_and_nothing_without_hours() -> None:
    assert Occupancy(1, 120, 480).share == Fraction(1, 4)
    assert Occupancy(1, 600, 480).share == Fraction(5, 4)  # turnos outside the hours count
    assert Occupancy(1, 30, 0).share is None
