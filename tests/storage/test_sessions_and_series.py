"""Group sessions, recurring series, time off and day overrides, through the real storage."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from domain import booking as use_cases
from domain.booking import BookingRequest, NewCustomer
from domain.recurring import book_series
from domain.storage.tables import DayOverrideRow, TimeOffRow
from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock, ShopFixture, build_shop

WED_10 = datetime(2026, 12, 2, 13, 0, tzinfo=UTC)  # Wednesday 10:00 in Buenos Aires
WED = date(2026, 12, 2)


def customer(n: int) -> NewCustomer:
    return NewCustomer(f"Cliente {n}", f"11 4000-{n:04d}")


async def slots_on(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture, service: str, day: date
) -> list[use_cases.Slot]:
    return await use_cases.find_slots(
        uow_factory, clock, shop.shop_id, shop.services[service], None, day, day
    )


async def test_a_group_session_shows_its_seats_left_until_it_is_full(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    shop = await build_shop(uow_factory, services=(("Clase", 60, 20000, 3),))
    pro = shop.professionals[0]

    for n in range(2):
        await use_cases.book(
            uow_factory,
            clock,
            BookingRequest(shop.shop_id, shop.services["Clase"], customer(n), WED_10, pro),
        )
    with_seat = [
        s for s in await slots_on(uow_factory, clock, shop, "Clase", WED) if s.start == WED_10
    ]
    await use_cases.book(
        uow_factory,
        clock,
        BookingRequest(shop.shop_id, shop.services["Clase"], customer(3), WED_10, pro),
    )
    full = [s for s in await slots_on(uow_factory, clock, shop, "Clase", WED) if s.start == WED_10]

    assert [s.seats_left for s in with_seat] == [1]
    assert full == []


async def test_a_group_session_blocks_its_professional_for_other_services(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    shop = await build_shop(uow_factory, services=(("Clase", 60, 20000, 3), ("Corte", 30, 1, 1)))
    await use_cases.book(
        uow_factory,
        clock,
        BookingRequest(
            shop.shop_id, shop.services["Clase"], customer(1), WED_10, shop.professionals[0]
        ),
    )

    starts = [s.start for s in await slots_on(uow_factory, clock, shop, "Corte", WED)]

    assert WED_10 not in starts
    assert WED_10 + timedelta(minutes=30) not in starts
    assert WED_10 + timedelta(hours=1) in starts


async def test_a_weekly_series_books_each_free_week_and_reports_the_taken_one(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    shop = await build_shop(uow_factory)
    pro = shop.professionals[0]
    corte = shop.services["Corte"]
    await use_cases.book(
        uow_factory,
        clock,
        BookingRequest(shop.shop_id, corte, customer(1), WED_10 + timedelta(weeks=2), pro),
    )

    result = await book_series(
        uow_factory,
        clock,
        BookingRequest(shop.shop_id, corte, customer(2), WED_10, pro),
        every_weeks=1,
        count=4,
    )

    assert [o.error for o in result.occurrences] == [None, None, "slot_taken", None]
    assert [b.starts_at for b in result.booked] == [
        WED_10,
        WED_10 + timedelta(weeks=1),
        WED_10 + timedelta(weeks=3),
    ]
    assert {b.series_id for b in result.booked} == {result.series_id}


async def test_a_series_reports_a_holiday_as_not_bookable(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    shop = await build_shop(uow_factory)
    tuesday_1 = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # Tue 12:00; Tue 8 is a holiday

    result = await book_series(
        uow_factory,
        clock,
        BookingRequest(
            shop.shop_id, shop.services["Corte"], customer(1), tuesday_1, shop.professionals[0]
        ),
        every_weeks=1,
        count=3,
    )

    assert [o.error for o in result.occurrences] == [None, "not_bookable", None]


async def test_time_off_stored_for_a_professional_removes_those_slots(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    shop = await build_shop(uow_factory)
    async with uow_factory() as uow:
        uow.session.add(
            TimeOffRow(
                professional_id=shop.professionals[0],
                starts_at=WED_10,
                ends_at=WED_10 + timedelta(hours=2),
                reason="dentista",
            )
        )
        await uow.commit()

    starts = [s.start for s in await slots_on(uow_factory, clock, shop, "Corte", WED)]

    assert WED_10 - timedelta(minutes=30) in starts
    assert [s for s in starts if WED_10 <= s < WED_10 + timedelta(hours=2)] == []
    assert WED_10 + timedelta(hours=2) in starts


@pytest.mark.parametrize(
    ("day", "is_open", "expect_slots"),
    [
        (date(2026, 12, 8), True, True),  # a holiday the shop decides to open
        (date(2026, 12, 9), False, False),  # a bridge day the package does not know
    ],
)
async def test_day_overrides_beat_the_holiday_calendar(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, day: date, is_open: bool, expect_slots: bool
) -> None:
    shop = await build_shop(uow_factory)
    async with uow_factory() as uow:
        uow.session.add(DayOverrideRow(shop_id=shop.shop_id, day=day, is_open=is_open, note=""))
        await uow.commit()

    slots = await slots_on(uow_factory, clock, shop, "Corte", day)

    assert bool(slots) is expect_slots


async def test_a_holiday_is_closed_without_an_override(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    shop = await build_shop(uow_factory)

    assert await slots_on(uow_factory, clock, shop, "Corte", date(2026, 12, 8)) == []


async def test_availability_follows_the_wall_clock_across_a_dst_change(
    uow_factory: UnitOfWorkFactory,
) -> None:
    """Santiago de Chile moved its clocks forward on 2026-09-06: 09:00 stays 09:00."""
    shop = await build_shop(uow_factory, timezone="America/Santiago", hours=(time(9), time(10)))
    clock = FixedClock(datetime(2026, 9, 1, 12, 0, tzinfo=UTC))

    before = await slots_on(uow_factory, clock, shop, "Corte", date(2026, 9, 5))
    after = await slots_on(uow_factory, clock, shop, "Corte", date(2026, 9, 7))

    assert [s.start for s in before] == [
        datetime(2026, 9, 5, 13, 0, tzinfo=UTC),
        datetime(2026, 9, 5, 13, 30, tzinfo=UTC),
    ]
    assert [s.start for s in after] == [
        datetime(2026, 9, 7, 12, 0, tzinfo=UTC),
        datetime(2026, 9, 7, 12, 30, tzinfo=UTC),
    ]
