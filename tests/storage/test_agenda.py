"""The professionals' queries against the real database, with bookings made by the use cases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.demo import DEMO_SLUG, seed_demo
from domain import booking as use_cases
from domain.booking import BookingRequest, NewCustomer
from domain.errors import InvalidRequest, NotFound
from domain.model import DEFAULT_TIMEZONE, Booking, BookingStatus
from domain.staff import AgendaLine, Takings, day_bounds
from domain.storage.agenda import block_time, booking_line, day_agenda, takings
from domain.storage.tables import TimeOffRow
from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock, ShopFixture, build_shop

WEDNESDAY = date(2026, 12, 2)
# Wednesday 2026-12-02 10:00 in Buenos Aires (13:00 UTC): the shop opens 09:00-18:00.
WED_10 = datetime(2026, 12, 2, 13, 0, tzinfo=UTC)
JUAN = NewCustomer("Juan Pérez", "11 5874-9895")
ANA = NewCustomer("Ana Gómez", "11 4000-1111")
LUIS = NewCustomer("Luis Díaz", "11 4000-2222")


@pytest.fixture
async def shop(uow_factory: UnitOfWorkFactory) -> ShopFixture:
    return await build_shop(
        uow_factory, professionals=2, services=(("Corte", 30, 12000, 1), ("Barba", 20, 8000, 1))
    )


async def book(
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    shop: ShopFixture,
    start: datetime,
    customer: NewCustomer = JUAN,
    pro: int = 0,
    service: str = "Corte",
    hold: bool = False,
) -> Booking:
    request = BookingRequest(
        shop_id=shop.shop_id,
        service_id=shop.services[service],
        customer=customer,
        start=start,
        professional_id=shop.professionals[pro],
        hold=hold,
    )
    return await use_cases.book(uow_factory, clock, request)


def wednesday() -> tuple[datetime, datetime]:
    return day_bounds(WEDNESDAY, DEFAULT_TIMEZONE)


async def test_the_agenda_lists_a_professionals_day_in_order_with_names_and_phone(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    later = await book(uow_factory, clock, shop, WED_10 + timedelta(hours=2), ANA, service="Barba")
    first = await book(uow_factory, clock, shop, WED_10)

    lines = await day_agenda(uow_factory, shop.shop_id, shop.professionals[0], *wednesday())

    assert lines == [
        AgendaLine(
            booking_id=first.id,
            professional_id=shop.professionals[0],
            professional_name="Barbero 1",
            service_name="Corte",
            customer_name="Juan Pérez",
            customer_phone="+5491158749895",
            start=WED_10,
            end=WED_10 + timedelta(minutes=30),
            status=BookingStatus.CONFIRMED,
            price_cents=1_200_000,
            currency="ARS",
            shop_id=shop.shop_id,
        ),
        AgendaLine(
            booking_id=later.id,
            professional_id=shop.professionals[0],
            professional_name="Barbero 1",
            service_name="Barba",
            customer_name="Ana Gómez",
            customer_phone="+5491140001111",
            start=WED_10 + timedelta(hours=2),
            end=WED_10 + timedelta(hours=2, minutes=20),
            status=BookingStatus.CONFIRMED,
            price_cents=800_000,
            currency="ARS",
            shop_id=shop.shop_id,
        ),
    ]


async def test_the_agenda_keeps_done_and_no_shows_and_drops_cancelled_turnos(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    done = await book(uow_factory, clock, shop, WED_10)
    missed = await book(uow_factory, clock, shop, WED_10 + timedelta(hours=1), ANA)
    gone = await book(uow_factory, clock, shop, WED_10 + timedelta(hours=2), LUIS)
    held = await book(uow_factory, clock, shop, WED_10 + timedelta(hours=3), hold=True)
    await use_cases.cancel(uow_factory, clock, gone.id)
    clock.advance(days=1, hours=3)
    await use_cases.complete(uow_factory, clock, done.id)
    await use_cases.mark_no_show(uow_factory, clock, missed.id)

    lines = await day_agenda(uow_factory, shop.shop_id, None, *wednesday())

    assert [(x.booking_id, x.status) for x in lines] == [
        (done.id, BookingStatus.COMPLETED),
        (missed.id, BookingStatus.NO_SHOW),
        (held.id, BookingStatus.HELD),
    ]


async def test_given_now_a_lapsed_hold_is_neither_on_the_agenda_nor_to_come(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    confirmed = await book(uow_factory, clock, shop, WED_10)
    live = await book(uow_factory, clock, shop, WED_10 + timedelta(hours=1), ANA, hold=True)
    clock.advance(minutes=5)
    assert [
        x.booking_id
        for x in await day_agenda(uow_factory, shop.shop_id, None, *wednesday(), now=clock.now())
    ] == [confirmed.id, live.id]

    clock.advance(minutes=10)  # the 10-minute hold lapsed; the scheduler has not swept it yet
    lines = await day_agenda(uow_factory, shop.shop_id, None, *wednesday(), now=clock.now())
    money = await takings(uow_factory, shop.shop_id, None, *wednesday(), now=clock.now())

    assert [x.booking_id for x in lines] == [confirmed.id]
    assert money == Takings(pending_count=1, pending_cents=1_200_000)


async def test_the_whole_shop_sees_every_professional_but_only_that_day_and_shop(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    other = await build_shop(uow_factory, slug="otra")
    mine = await book(uow_factory, clock, shop, WED_10)
    theirs = await book(uow_factory, clock, shop, WED_10, ANA, pro=1)
    await book(uow_factory, clock, shop, WED_10 + timedelta(days=1), LUIS)
    await book(uow_factory, clock, other, WED_10, LUIS)

    whole = await day_agenda(uow_factory, shop.shop_id, None, *wednesday())
    second = await day_agenda(uow_factory, shop.shop_id, shop.professionals[1], *wednesday())

    assert [x.booking_id for x in whole] == [mine.id, theirs.id]
    assert [x.booking_id for x in second] == [theirs.id]


async def test_the_agenda_names_professionals_by_their_nickname(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await seed_demo(uow_factory, clock)
    async with uow_factory.read_only() as uow:
        demo = await uow.catalog.shop_by_slug(DEMO_SLUG)
    assert demo is not None
    first, _ = day_bounds(date(2026, 12, 2), DEFAULT_TIMEZONE)
    _, last = day_bounds(date(2026, 12, 4), DEFAULT_TIMEZONE)

    lines = await day_agenda(uow_factory, demo.id, None, first, last)

    assert lines
    assert {x.professional_name for x in lines} <= {"Tincho", "Facu", "Lu"}


async def test_a_booking_line_is_found_in_any_state_for_notifications(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    booking = await book(uow_factory, clock, shop, WED_10)
    await use_cases.cancel(uow_factory, clock, booking.id)

    found = await booking_line(uow_factory, booking.id)

    assert found is not None
    assert (found.booking_id, found.status, found.customer_name) == (
        booking.id,
        BookingStatus.CANCELLED,
        "Juan Pérez",
    )
    assert await booking_line(uow_factory, booking.id + 100) is None


async def test_blocked_time_returns_the_turnos_inside_it_and_leaves_them_booked(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    inside = await book(uow_factory, clock, shop, WED_10)
    overlapping = await book(uow_factory, clock, shop, WED_10 + timedelta(minutes=90), ANA)
    await book(uow_factory, clock, shop, WED_10 + timedelta(hours=3), LUIS)  # after the block
    await book(uow_factory, clock, shop, WED_10, LUIS, pro=1)  # someone else's
    cancelled = await book(uow_factory, clock, shop, WED_10 + timedelta(minutes=30), LUIS)
    await use_cases.cancel(uow_factory, clock, cancelled.id)

    conflicts = await block_time(
        uow_factory,
        shop.professionals[0],
        WED_10 - timedelta(minutes=30),
        WED_10 + timedelta(hours=1, minutes=45),
        "me voy al médico",
    )

    assert [x.booking_id for x in conflicts] == [inside.id, overlapping.id]
    still = await use_cases.get_booking(uow_factory, inside.id)
    assert still.status is BookingStatus.CONFIRMED


async def test_blocked_time_removes_those_slots_from_availability(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    pro = shop.professionals[0]
    corte = shop.services["Corte"]

    await block_time(uow_factory, pro, WED_10, WED_10 + timedelta(hours=2), "almuerzo")

    slots = await use_cases.find_slots(
        uow_factory, clock, shop.shop_id, corte, pro, WEDNESDAY, WEDNESDAY
    )
    starts = {s.start for s in slots}
    assert not {WED_10 + timedelta(minutes=m) for m in range(0, 120, 30)} & starts
    assert WED_10 - timedelta(minutes=30) in starts
    assert WED_10 + timedelta(hours=2) in starts
    others = await use_cases.find_slots(
        uow_factory, clock, shop.shop_id, corte, shop.professionals[1], WEDNESDAY, WEDNESDAY
    )
    assert WED_10 in {s.start for s in others}


async def test_blocking_the_same_time_twice_stores_it_once(
    uow_factory: UnitOfWorkFactory, shop: ShopFixture
) -> None:
    pro = shop.professionals[0]
    for _ in range(2):
        await block_time(uow_factory, pro, WED_10, WED_10 + timedelta(hours=1), "x" * 300)

    async with uow_factory.read_only() as uow:
        rows = (await uow.session.execute(select(TimeOffRow.reason))).scalars().all()
        count = await uow.session.scalar(select(func.count(TimeOffRow.id)))

    assert count == 1
    assert rows == ["x" * 200]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (WED_10, WED_10),
        (WED_10, WED_10 - timedelta(hours=1)),
        (WED_10.replace(tzinfo=None), WED_10.replace(tzinfo=None) + timedelta(hours=1)),
    ],
)
async def test_blocked_time_must_be_a_real_aware_range(
    uow_factory: UnitOfWorkFactory, shop: ShopFixture, start: datetime, end: datetime
) -> None:
    with pytest.raises(InvalidRequest):
        await block_time(uow_factory, shop.professionals[0], start, end, "")


async def test_blocking_an_unknown_professional_is_not_found(
    uow_factory: UnitOfWorkFactory, shop: ShopFixture
) -> None:
    with pytest.raises(NotFound):
        await block_time(uow_factory, 999, WED_10, WED_10 + timedelta(hours=1), "")


async def test_takings_add_up_done_still_to_come_and_no_shows_at_frozen_prices(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    done = await book(uow_factory, clock, shop, WED_10)
    missed = await book(uow_factory, clock, shop, WED_10 + timedelta(hours=1), ANA)
    gone = await book(uow_factory, clock, shop, WED_10 + timedelta(hours=2), LUIS)
    await book(uow_factory, clock, shop, WED_10 + timedelta(hours=3), service="Barba")
    await book(uow_factory, clock, shop, WED_10 + timedelta(hours=4), ANA, hold=True)
    await book(uow_factory, clock, shop, WED_10, LUIS, pro=1, service="Barba")
    await use_cases.cancel(uow_factory, clock, gone.id)
    clock.advance(days=1, hours=2)
    await use_cases.complete(uow_factory, clock, done.id)
    await use_cases.mark_no_show(uow_factory, clock, missed.id)

    mine = await takings(uow_factory, shop.shop_id, shop.professionals[0], *wednesday())
    whole = await takings(uow_factory, shop.shop_id, None, *wednesday())

    assert mine == Takings(1, 1_200_000, 2, 2_000_000, 1, "ARS")
    assert whole == Takings(1, 1_200_000, 3, 2_800_000, 1, "ARS")


async def test_takings_of_an_empty_day_are_zero_in_the_shops_currency(
    uow_factory: UnitOfWorkFactory, shop: ShopFixture
) -> None:
    assert await takings(uow_factory, shop.shop_id, None, *wednesday()) == Takings(currency="ARS")
    with pytest.raises(NotFound):
        await takings(uow_factory, 999, None, *wednesday())
