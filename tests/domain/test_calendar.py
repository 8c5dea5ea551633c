"""Which days a shop is open: Argentine national holidays, the shop's setting, its overrides."""

from __future__ import annotations

from datetime import date

import pytest

from domain.calendar import (
    DayRule,
    DayStatus,
    ShopCalendar,
    day_status,
    national_holidays,
    special_days,
)
from domain.model import DayOverride

ORDINARY_DAY = date(2026, 6, 2)  # a Tuesday nobody celebrates
HOLIDAY = date(2026, 12, 8)  # Inmaculada Concepción de María


@pytest.mark.parametrize(
    "bridge", [date(2026, 3, 23), date(2026, 7, 10), date(2026, 12, 7)], ids=str
)
def test_national_holidays_include_the_2026_bridge_days(bridge: date) -> None:
    assert national_holidays(2026)[bridge] == "Feriado con fines turísticos"


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2026, 1, 1), "Año Nuevo"),
        (date(2026, 5, 25), "Día de la Revolución de Mayo"),
        (date(2026, 7, 9), "Día de la Independencia"),
        (date(2026, 12, 8), "Inmaculada Concepción de María"),
        (date(2026, 12, 25), "Navidad"),
    ],
)
def test_national_holidays_are_named_in_spanish(day: date, name: str) -> None:
    assert national_holidays(day.year)[day] == name


def test_national_holidays_hold_only_that_years_days() -> None:
    assert {day.year for day in national_holidays(2027)} == {2027}
    assert ORDINARY_DAY not in national_holidays(2026)


def test_holiday_name_is_none_on_an_ordinary_day() -> None:
    calendar = ShopCalendar()
    assert calendar.holiday_name(HOLIDAY) == "Inmaculada Concepción de María"
    assert calendar.holiday_name(ORDINARY_DAY) is None


@pytest.mark.parametrize(
    ("open_on_holidays", "override", "day", "closed"),
    [
        (False, None, ORDINARY_DAY, False),  # an ordinary day is open
        (False, None, HOLIDAY, True),  # holidays close by default
        (True, None, HOLIDAY, False),  # unless the shop opens on holidays
        (False, True, HOLIDAY, False),  # an override opens one holiday
        (True, False, HOLIDAY, True),  # an override closes a holiday the shop would open
        (False, False, ORDINARY_DAY, True),  # an override closes a bridge day we do not know
        (True, False, ORDINARY_DAY, True),
        (False, True, ORDINARY_DAY, False),  # opening an ordinary day changes nothing
    ],
)
def test_an_override_wins_over_holidays_and_the_shop_setting(
    open_on_holidays: bool, override: bool | None, day: date, closed: bool
) -> None:
    overrides = [] if override is None else [DayOverride(day, is_open=override)]
    assert ShopCalendar.build(open_on_holidays, overrides).is_closed(day) is closed


def test_an_override_applies_only_to_its_own_day() -> None:
    calendar = ShopCalendar.build(False, [DayOverride(HOLIDAY, is_open=True)])
    assert calendar.is_closed(date(2026, 12, 25))
    assert not calendar.is_closed(HOLIDAY)


def test_build_keys_the_overrides_by_day() -> None:
    closing = DayOverride(ORDINARY_DAY, is_open=False, note="puente")
    assert ShopCalendar.build(True, [closing]) == ShopCalendar(True, {ORDINARY_DAY: closing})


def test_special_days_list_feriados_and_the_shops_own_days_with_why() -> None:
    calendar = ShopCalendar.build(
        False,
        [
            DayOverride(date(2026, 12, 24), False, "Nochebuena"),
            DayOverride(date(2026, 12, 8), True, "Abrimos igual"),
        ],
    )

    found = special_days(calendar, date(2026, 12, 1), date(2026, 12, 31))

    assert [(d.day.day, d.is_open, d.why, d.note) for d in found] == [
        (7, False, DayRule.HOLIDAY, None),  # a bridge day
        (8, True, DayRule.OPEN_BY_SHOP, "Abrimos igual"),
        (24, False, DayRule.CLOSED_BY_SHOP, "Nochebuena"),
        (25, False, DayRule.HOLIDAY, None),
    ]
    assert found[1].holiday is not None
    assert found[2].holiday is None


def test_a_shop_open_on_feriados_lists_them_as_open() -> None:
    [christmas] = special_days(
        ShopCalendar(open_on_holidays=True), date(2026, 12, 25), date(2026, 12, 25)
    )

    assert christmas.is_open
    assert christmas.why is DayRule.OPEN_ON_HOLIDAYS
    assert christmas.holiday is not None


def test_an_ordinary_day_is_open_for_no_special_reason() -> None:
    assert day_status(ShopCalendar(), ORDINARY_DAY) == DayStatus(
        ORDINARY_DAY, True, DayRule.ORDINARY
    )
