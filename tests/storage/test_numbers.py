"""The owner's numbers read with SQL aggregates, on known turnos, on both databases.

The Buenos Aires week is made through the use cases (booked, then done, missed or cancelled
as time goes by); the New York one is written straight into the table, to put turnos at the
edges of a DST change.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert

from bot.payments.desk import PaymentDesk
from domain import booking as use_cases
from domain.booking import BookingRequest, NewCustomer
from domain.model import session_key
from domain.numbers import Grain, Newcomers, Numbers, Period, ServiceLine
from domain.storage import tables
from domain.storage.local_time import offset_spans
from domain.storage.numbers import shop_numbers
from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock, ShopFixture, build_shop

BA = ZoneInfo("America/Argentina/Buenos_Aires")
NEW_YORK = ZoneInfo("America/New_York")  # 2026-11-01 02:00 EDT → 01:00 EST
JUAN = NewCustomer("Juan Pérez", "11 5874-9895")
ANA = NewCustomer("Ana Gómez", "11 4000-1111")
LUIS = NewCustomer("Luis Díaz", "11 4000-2222")
# Monday 2026-11-02 to Sunday 2026-11-08, read on Saturday the 7th at noon.
FIRST, LAST = date(2026, 11, 2), date(2026, 11, 8)
NOW = datetime(2026, 11, 7, 12, 0, tzinfo=BA)
SERVICES = (("Corte", 30, 12000, 1), ("Barba", 20, 8000, 1), ("Clase", 60, 30000, 3))


def ba(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=BA).astimezone(UTC)


@pytest.fixture
async def shop(uow_factory: UnitOfWorkFactory) -> ShopFixture:
    """Two barbers, Monday to Saturday 9 to 18, a free cancellation up to 24 hours before."""
    return await build_shop(uow_factory, professionals=2, services=SERVICES)


async def turno(
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    shop: ShopFixture,
    start: datetime,
    customer: NewCustomer,
    *,
    pro: int = 0,
    service: str = "Corte",
    then: str = "completed",
    cash: bool = False,
) -> int:
    """A turno booked days ahead, then done, missed, cancelled (in time or late) or left."""
    clock.current = start - timedelta(days=3)
    request = BookingRequest(
        shop.shop_id, shop.services[service], customer, start, shop.professionals[pro]
    )
    booking = await use_cases.book(uow_factory, clock, request)
    if then in ("cancelled", "late"):
        clock.current = start - (timedelta(days=2) if then == "cancelled" else timedelta(hours=1))
        await use_cases.cancel(uow_factory, clock, booking.id)
    elif then in ("completed", "no_show"):
        clock.current = booking.ends_at
        close = use_cases.complete if then == "completed" else use_cases.mark_no_show
        await close(uow_factory, clock, booking.id)
        if cash:
            await PaymentDesk(uow_factory, clock, None, {}).record_cash(booking.id)
    return booking.id


async def hold(
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    shop: ShopFixture,
    start: datetime,
    at: datetime,
) -> None:
    """Barba held for paying at `at` (the shop's holds last 10 minutes)."""
    clock.current = at
    request = BookingRequest(
        shop.shop_id, shop.services["Barba"], LUIS, start, shop.professionals[1], hold=True
    )
    await use_cases.book(uow_factory, clock, request)


@pytest.fixture
async def week(uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture) -> None:
    """Juan came before; in the week Ana comes for the first time, Luis misses and cancels."""
    other = await build_shop(uow_factory, slug="otra", services=SERVICES)
    await turno(uow_factory, clock, shop, datetime(2026, 10, 21, 13, tzinfo=UTC), JUAN)
    await turno(uow_factory, clock, shop, ba(3, 10), JUAN, cash=True)
    await turno(uow_factory, clock, shop, ba(3, 10, 30), ANA, service="Barba")
    await turno(uow_factory, clock, shop, ba(3, 11), LUIS, pro=1, then="no_show")
    await turno(uow_factory, clock, shop, ba(4, 15), ANA, pro=1, then="cancelled")
    await turno(uow_factory, clock, shop, ba(4, 16), LUIS, pro=1, then="late")
    await turno(uow_factory, clock, shop, ba(6, 10), JUAN, service="Clase")
    await turno(uow_factory, clock, shop, ba(6, 10), ANA, service="Clase")  # the same class
    await turno(uow_factory, clock, shop, ba(7, 17), LUIS, then="left")
    await turno(uow_factory, clock, other, ba(3, 10), LUIS)  # another shop's
    await hold(uow_factory, clock, shop, ba(7, 12), NOW - timedelta(hours=1))  # lapsed
    await hold(uow_factory, clock, shop, ba(7, 16), NOW - timedelta(minutes=5))  # live
    clock.current = NOW.astimezone(UTC)


async def numbers(
    uow_factory: UnitOfWorkFactory, shop_id: int, period: Period, now: datetime = NOW
) -> Numbers:
    async with uow_factory.read_only() as uow:
        shop = await uow.catalog.shop(shop_id)
    assert shop is not None
    return await shop_numbers(uow_factory, shop, period, now)


def states(**counts: int) -> dict[str, int]:
    base = dict.fromkeys(("completed", "upcoming", "no_show", "cancelled", "late_cancelled"), 0)
    return {**base, **counts}


@pytest.mark.usefixtures("week")
async def test_turnos_and_revenue_by_day_each_in_its_state(
    uow_factory: UnitOfWorkFactory, shop: ShopFixture
) -> None:
    found = await numbers(uow_factory, shop.shop_id, Period(FIRST, LAST, Grain.DAY))

    assert found.turnos == {
        date(2026, 11, 3): states(completed=2, no_show=1),
        date(2026, 11, 4): states(cancelled=1, late_cancelled=1),
        date(2026, 11, 6): states(completed=2),
        date(2026, 11, 7): states(upcoming=2),  # confirmed, and the live hold; not the lapsed
    }
    assert found.revenue == {date(2026, 11, 3): 2_000_000, date(2026, 11, 6): 6_000_000}
    assert found.collected == {"cash": 1_200_000}
    assert found.currency == "ARS"


@pytest.mark.usefixtures("week")
async def test_busy_hours_and_top_services_count_the_turnos_that_took_their_time(
    uow_factory: UnitOfWorkFactory, shop: ShopFixture
) -> None:
    found = await numbers(uow_factory, shop.shop_id, Period(FIRST, LAST, Grain.WEEK))

    assert found.busy == {(1, 10): 2, (1, 11): 1, (4, 10): 2, (5, 16): 1, (5, 17): 1}
    assert found.services == [
        ServiceLine("Corte", 3, 1_200_000),
        ServiceLine("Barba", 2, 800_000),
        ServiceLine("Clase", 2, 6_000_000),
    ]
    assert list(found.turnos) == [FIRST]  # one week, one bucket


@pytest.mark.usefixtures("week")
async def test_occupancy_is_booked_over_worked_minutes_a_class_counted_once(
    uow_factory: UnitOfWorkFactory, shop: ShopFixture
) -> None:
    found = await numbers(uow_factory, shop.shop_id, Period(FIRST, LAST, Grain.DAY))

    worked = 6 * 9 * 60  # Monday to Saturday, 9 to 18
    by_name = {line.name: line.occupancy for line in found.occupancy}
    assert by_name["Barbero 1"].booked == 30 + 20 + 60 + 30
    assert by_name["Barbero 2"].booked == 30 + 20  # the no-show took the time; the hold too
    assert by_name["Barbero 1"].working == by_name["Barbero 2"].working == worked
    assert by_name["Barbero 2"].share == Fraction(50, worked)


@pytest.mark.usefixtures("week")
async def test_a_customer_is_new_in_the_bucket_of_their_first_visit_ever(
    uow_factory: UnitOfWorkFactory, shop: ShopFixture
) -> None:
    by_day = await numbers(uow_factory, shop.shop_id, Period(FIRST, LAST, Grain.DAY))
    by_week = await numbers(uow_factory, shop.shop_id, Period(FIRST, LAST, Grain.WEEK))

    assert by_day.newcomers == {
        date(2026, 11, 3): Newcomers(new=1, returning=1),  # Ana's first; Juan came in October
        date(2026, 11, 6): Newcomers(new=0, returning=2),
    }
    assert by_week.newcomers == {FIRST: Newcomers(new=1, returning=1)}
    assert by_day.customers == by_week.customers == Newcomers(new=1, returning=1)


async def test_a_period_without_turnos_has_empty_numbers_and_everyones_hours(
    uow_factory: UnitOfWorkFactory, shop: ShopFixture
) -> None:
    found = await numbers(uow_factory, shop.shop_id, Period(FIRST, LAST, Grain.MONTH))

    assert (found.turnos, found.revenue, found.busy, found.services) == ({}, {}, {}, [])
    assert [(o.name, o.occupancy.booked) for o in found.occupancy] == [
        ("Barbero 1", 0),
        ("Barbero 2", 0),
    ]


# New York: turnos around the night the clocks go back (2026-11-01, 02:00 EDT → 01:00 EST).
NY_TURNOS = (
    datetime(2026, 10, 31, 23, 30, tzinfo=NEW_YORK),  # Saturday night, EDT
    datetime(2026, 11, 1, 0, 30, tzinfo=NEW_YORK),  # Sunday 00:30 EDT: 23:30 on EST's clock
    datetime(2026, 11, 1, 1, 30, tzinfo=NEW_YORK, fold=0),  # 01:30 EDT
    datetime(2026, 11, 1, 1, 30, tzinfo=NEW_YORK, fold=1),  # 01:30 again, EST
    datetime(2026, 11, 7, 23, 30, tzinfo=NEW_YORK),  # Saturday night, EST: Sunday on EDT's clock
)


async def ny_shop(uow_factory: UnitOfWorkFactory) -> ShopFixture:
    """A New York shop with the turnos above, all done (written straight into the table)."""
    shop = await build_shop(uow_factory, slug="nyc", timezone="America/New_York")
    async with uow_factory() as uow:
        customer = (
            await uow.session.execute(
                insert(tables.CustomerRow).returning(tables.CustomerRow.id),
                [{"phone": "+12125550100", "created_at": NOW}],
            )
        ).scalar_one()
        await uow.session.execute(
            insert(tables.ShopCustomerRow),
            [{"shop_id": shop.shop_id, "customer_id": customer, "name": "Ann", "created_at": NOW}],
        )
        await uow.session.execute(
            insert(tables.BookingRow), [_row(shop, customer, start) for start in NY_TURNOS]
        )
        await uow.commit()
    return shop


def _row(shop: ShopFixture, customer: int, start: datetime) -> dict[str, Any]:
    pro, service = shop.professionals[0], shop.services["Corte"]
    start = start.astimezone(UTC)
    end = start + timedelta(minutes=30)
    return {
        "shop_id": shop.shop_id,
        "service_id": service,
        "professional_id": pro,
        "customer_id": customer,
        "starts_at": start,
        "ends_at": end,
        "block_start": start,
        "block_end": end,
        "session_key": session_key(pro, service, start),
        "seat_no": 1,
        "capacity": 1,
        "status": "completed",
        "price_cents": 1_000,
        "currency": "ARS",
        "created_at": start - timedelta(days=1),
    }


async def test_local_days_and_hours_follow_the_clock_change_in_a_zone_with_dst(
    uow_factory: UnitOfWorkFactory,
) -> None:
    shop = await ny_shop(uow_factory)
    period = Period(date(2026, 10, 26), date(2026, 11, 8), Grain.DAY)
    now = datetime(2026, 11, 20, tzinfo=UTC)

    found = await numbers(uow_factory, shop.shop_id, period, now)

    assert {day: s["completed"] for day, s in found.turnos.items()} == {
        date(2026, 10, 31): 1,
        date(2026, 11, 1): 3,
        date(2026, 11, 7): 1,
    }
    assert found.busy == {(5, 23): 2, (6, 0): 1, (6, 1): 2}  # 01:30 came twice that night
    assert found.newcomers[date(2026, 10, 31)] == Newcomers(new=1, returning=0)


async def test_weeks_and_months_follow_the_shops_clock_too(uow_factory: UnitOfWorkFactory) -> None:
    shop = await ny_shop(uow_factory)
    now = datetime(2026, 11, 20, tzinfo=UTC)

    weeks = await numbers(
        uow_factory, shop.shop_id, Period(date(2026, 10, 26), date(2026, 11, 8), Grain.WEEK), now
    )
    months = await numbers(
        uow_factory, shop.shop_id, Period(date(2026, 10, 1), date(2026, 11, 30), Grain.MONTH), now
    )

    assert {w: s["completed"] for w, s in weeks.turnos.items()} == {
        date(2026, 10, 26): 4,  # Saturday the 31st and Sunday the 1st: the same week
        date(2026, 11, 2): 1,
    }
    assert {m: s["completed"] for m, s in months.turnos.items()} == {
        date(2026, 10, 1): 1,
        date(2026, 11, 1): 4,
    }
    ny = await numbers(
        uow_factory, shop.shop_id, Period(date(2026, 11, 1), date(2026, 11, 1), Grain.DAY), now
    )
    assert ny.turnos[date(2026, 11, 1)]["completed"] == 3  # the 25-hour day, whole


def test_the_fixtures_two_0130s_are_an_hour_apart() -> None:
    utc = [t.astimezone(UTC) for t in NY_TURNOS]

    assert utc[3] - utc[2] == timedelta(hours=1)
    assert (utc[4].date(), utc[4].time()) == (date(2026, 11, 8), time(4, 30))


def test_offset_spans_change_at_the_exact_second_and_once_for_a_zone_without_dst() -> None:
    year = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))

    assert offset_spans("America/New_York", *year) == [
        (year[0], -5 * 3600),
        (datetime(2026, 3, 8, 7, 0, tzinfo=UTC), -4 * 3600),
        (datetime(2026, 11, 1, 6, 0, tzinfo=UTC), -5 * 3600),
    ]
    assert offset_spans("America/Argentina/Buenos_Aires", *year) == [(year[0], -3 * 3600)]
