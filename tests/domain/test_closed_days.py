"""Why a day has no turnos: holidays, the shop's own closures, days nobody works, not bookings."""

from __future__ import annotations

from datetime import date

from domain.calendar import ShopCalendar
from domain.closed_days import ClosedDay, closed_days
from domain.model import DayOverride, ProfessionalSchedule
from tests.domain.test_availability import NOW, make_service, make_shop, periods

TUE_TO_SAT = periods("10:00-19:00", weekdays=(1, 2, 3, 4, 5))


def closed(first: date, last: date, calendar: ShopCalendar | None = None) -> list[ClosedDay]:
    return closed_days(
        shop=make_shop(),
        service=make_service(),
        schedules=[ProfessionalSchedule(1, TUE_TO_SAT)],
        calendar=calendar or ShopCalendar(),
        first_day=first,
        last_day=last,
        now=NOW,
    )


def test_days_nobody_works_are_closed_without_a_holiday_name() -> None:
    assert closed(date(2026, 6, 6), date(2026, 6, 9)) == [
        ClosedDay(date(2026, 6, 7)),  # Sunday
        ClosedDay(date(2026, 6, 8)),  # Monday
    ]


def test_a_holiday_on_a_working_day_is_closed_and_named() -> None:
    [holiday] = closed(date(2026, 7, 9), date(2026, 7, 9))  # Thursday, Independence Day

    assert holiday.day == date(2026, 7, 9)
    assert holiday.holiday is not None
    assert "Independencia" in holiday.holiday


def test_a_shop_closure_override_closes_an_ordinary_day() -> None:
    calendar = ShopCalendar.build(False, [DayOverride(date(2026, 6, 10), False, "Inventario")])

    assert closed(date(2026, 6, 10), date(2026, 6, 10), calendar) == [ClosedDay(date(2026, 6, 10))]
