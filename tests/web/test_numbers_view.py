"""How the Numbers page speaks: money on an axis and in full, and the labels of its buckets."""

from __future__ import annotations

from datetime import date

from domain.numbers import Grain, Newcomers, Numbers, Period
from web.dashboard.numbers_view import Buckets, Speaker, figures


def numbers(period: Period, **fields: object) -> Numbers:
    empty: dict[str, object] = {
        "turnos": {},
        "revenue": {},
        "newcomers": {},
        "customers": Newcomers(),
        "occupancy": [],
        "services": [],
        "busy": {},
        "collected": {},
    }
    return Numbers(period, "ARS", **{**empty, **fields})  # type: ignore[arg-type]


def test_money_is_exact_in_full_and_short_on_an_axis() -> None:
    say = Speaker("es_AR", "ARS")

    assert say.money(1_200_000) == "$\xa012.000"
    assert say.money(1_200_050) == "$\xa012.000,50"  # centavos when there are some
    assert say.short_money(12_000_000) == "$\xa0120 mil"
    assert say.short_money(150_000_000) == "$\xa01,5\xa0M"
    assert say.decimal(1_200_050) == "12000.50"  # for a spreadsheet


def test_weeks_are_named_by_their_first_day_in_the_period_and_keep_inside_it() -> None:
    period = Period(date(2026, 11, 4), date(2026, 11, 17), Grain.WEEK)

    buckets = Buckets(numbers(period), Speaker("es_AR", "ARS"))

    assert buckets.short == ["4/11", "9/11", "16/11"]  # the first starts on a Wednesday
    assert [buckets.cells(i) for i in range(3)] == [
        ["2026-11-04", "2026-11-08"],
        ["2026-11-09", "2026-11-15"],
        ["2026-11-16", "2026-11-17"],
    ]


def test_days_of_one_week_carry_their_weekday_and_months_their_year_when_two() -> None:
    week = Period(date(2026, 11, 30), date(2026, 12, 6), Grain.DAY)
    months = Period(date(2026, 11, 1), date(2027, 1, 31), Grain.MONTH)
    say = Speaker("es_AR", "ARS")

    assert Buckets(numbers(week), say).short[:2] == ["lun 30", "mar 1"]
    assert Buckets(numbers(months), say).short == ["nov 2026", "dic 2026", "ene 2027"]


def test_an_empty_period_says_zero_everywhere_without_dividing_by_it() -> None:
    period = Period(date(2026, 11, 30), date(2026, 12, 6), Grain.DAY)

    found = figures(numbers(period), Speaker("es_AR", "ARS"))

    assert [(f.label, f.value) for f in found] == [
        ("Facturación", "$\xa00"),
        ("Turnos atendidos", "0"),
        ("Ocupación", "0%"),
        ("Faltas", "0%"),
        ("Clientes nuevos", "0"),
    ]
