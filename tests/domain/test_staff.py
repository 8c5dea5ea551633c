"""The professionals' time rules: local days in UTC, "from now" rounding, who sees which turno."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.model import DEFAULT_TIMEZONE, BookingStatus
from domain.money import Money
from domain.staff import (
    END_OF_DAY,
    AgendaLine,
    StaffMember,
    Takings,
    at_local,
    day_bounds,
    from_now,
    is_whole_days,
    round_up,
    starting_at,
    whole_days,
)

BA = ZoneInfo(DEFAULT_TIMEZONE)
NEW_YORK = "America/New_York"  # DST: 2026-03-08 02:00 → 03:00, 2026-11-01 02:00 → 01:00
NINE = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)  # Tuesday 09:00 in Buenos Aires


def line(**kw: object) -> AgendaLine:
    fields: dict[str, object] = {
        "booking_id": 1,
        "professional_id": 10,
        "professional_name": "Tincho",
        "service_name": "Corte",
        "customer_name": "Juan Pérez",
        "customer_phone": "+5491158749895",
        "start": NINE,
        "end": NINE + timedelta(minutes=30),
        "status": BookingStatus.CONFIRMED,
        "price_cents": 1_200_000,
        "currency": "ARS",
        "shop_id": 1,
    }
    fields.update(kw)
    return AgendaLine(**fields)  # type: ignore[arg-type]


def test_a_buenos_aires_day_runs_from_three_utc_to_three_utc() -> None:
    assert day_bounds(date(2026, 12, 1), DEFAULT_TIMEZONE) == (
        datetime(2026, 12, 1, 3, tzinfo=UTC),
        datetime(2026, 12, 2, 3, tzinfo=UTC),
    )


@pytest.mark.parametrize(
    ("day", "hours"),
    [(date(2026, 3, 8), 23), (date(2026, 11, 1), 25), (date(2026, 6, 1), 24)],
)
def test_a_day_across_a_dst_change_is_as_long_as_the_clocks_say(day: date, hours: int) -> None:
    start, end = day_bounds(day, NEW_YORK)

    assert end - start == timedelta(hours=hours)
    assert start.astimezone(ZoneInfo(NEW_YORK)).time() == time(0)


@pytest.mark.parametrize(
    ("clock", "rounded"),
    [
        (time(9, 0), time(9, 0)),
        (time(9, 0, 1), time(9, 5)),
        (time(9, 2), time(9, 5)),
        (time(9, 5), time(9, 5)),
        (time(9, 57, 30), time(10, 0)),
        (time(23, 58), time(0, 0)),
    ],
)
def test_round_up_goes_to_the_next_five_minutes(clock: time, rounded: time) -> None:
    moment = datetime.combine(date(2026, 12, 1), clock, tzinfo=BA)

    assert round_up(moment).time() == rounded


def test_a_block_from_now_starts_rounded_up_and_lasts_what_was_said() -> None:
    now = datetime(2026, 12, 1, 9, 2, tzinfo=BA)

    start, end = from_now(now, 40)

    assert (start, end) == (
        datetime(2026, 12, 1, 9, 5, tzinfo=BA),
        datetime(2026, 12, 1, 9, 45, tzinfo=BA),
    )


def test_an_hour_across_spring_forward_is_a_real_hour() -> None:
    zone = ZoneInfo(NEW_YORK)

    start, end = starting_at(date(2026, 3, 8), time(1, 30), zone, 60)

    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=1)
    assert end.astimezone(zone).time() == time(3, 30)  # wall clocks skip 02:00-03:00


def test_end_of_day_is_the_next_midnight() -> None:
    assert at_local(date(2026, 12, 1), END_OF_DAY, BA) == datetime(2026, 12, 2, tzinfo=BA)


def test_whole_days_run_midnight_to_midnight_after_the_last() -> None:
    start, end = whole_days(date(2026, 12, 20), date(2026, 12, 24), BA)

    assert (start, end) == (datetime(2026, 12, 20, tzinfo=BA), datetime(2026, 12, 25, tzinfo=BA))
    assert is_whole_days(start, end)
    assert not is_whole_days(start, end - timedelta(hours=1))


def test_a_confirmed_turno_can_be_marked_once_it_has_started() -> None:
    turno = line()

    assert not turno.can_be_marked(NINE - timedelta(minutes=1))
    assert turno.can_be_marked(NINE)
    assert turno.can_be_marked(NINE + timedelta(hours=3))


@pytest.mark.parametrize(
    "status",
    [BookingStatus.HELD, BookingStatus.COMPLETED, BookingStatus.NO_SHOW, BookingStatus.CANCELLED],
)
def test_only_a_confirmed_turno_can_be_marked(status: BookingStatus) -> None:
    assert not line(status=status).can_be_marked(NINE + timedelta(hours=1))


def test_a_professional_sees_only_their_own_turnos_and_the_owner_sees_the_shop() -> None:
    mine, theirs, elsewhere = line(), line(professional_id=11), line(shop_id=2)

    professional = StaffMember(shop_id=1, professional_id=10)
    owner = StaffMember(shop_id=1)

    assert [professional.sees(x) for x in (mine, theirs, elsewhere)] == [True, False, False]
    assert [owner.sees(x) for x in (mine, theirs, elsewhere)] == [True, True, False]
    assert owner.is_owner
    assert not professional.is_owner


def test_lines_and_takings_carry_exact_money() -> None:
    takings = Takings(2, 2_400_000, 1, 1_200_050, 1, "ARS")

    assert line().price == Money(1_200_000)
    assert takings.completed == Money(2_400_000)
    assert takings.pending == Money(1_200_050)
