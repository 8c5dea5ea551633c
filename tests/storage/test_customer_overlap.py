"""One person, one turno at a time: a customer never holds two active turnos that overlap.

Against the real database (SQLite or PostgreSQL), including the race of one customer booking
several professionals at once.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain import booking as use_cases
from domain.booking import BookingRequest, NewCustomer
from domain.errors import CustomerBusy, SlotTaken
from domain.model import Booking, BookingStatus
from domain.recurring import book_series
from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock, ShopFixture, book_from_separate_engines, build_shop

# Wednesday 2026-12-02 11:00 in Buenos Aires (14:00 UTC): the shop opens 09:00-18:00.
WED_11 = datetime(2026, 12, 2, 14, 0, tzinfo=UTC)
JUAN = NewCustomer("Juan Pérez", "11 5874-9895")
ANA = NewCustomer("Ana Gómez", "11 4000-1111")
CONCURRENT = 20


@pytest.fixture
async def shop(uow_factory: UnitOfWorkFactory) -> ShopFixture:
    return await build_shop(
        uow_factory,
        professionals=3,
        slot_step_minutes=15,
        services=(("Corte", 30, 12000, 1), ("Clase", 60, 20000, 4)),
    )


def request(
    shop: ShopFixture,
    start: datetime = WED_11,
    pro: int | None = 0,
    customer: int | NewCustomer = JUAN,
    service: str = "Corte",
    **kw: object,
) -> BookingRequest:
    return BookingRequest(
        shop.shop_id,
        shop.services[service],
        customer,
        start,
        None if pro is None else shop.professionals[pro],
        **kw,  # type: ignore[arg-type]
    )


async def book(uow_factory: UnitOfWorkFactory, clock: FixedClock, r: BookingRequest) -> Booking:
    return await use_cases.book(uow_factory, clock, r)


async def status(uow_factory: UnitOfWorkFactory, booking: Booking) -> BookingStatus:
    return (await use_cases.get_booking(uow_factory, booking.id)).status


async def test_the_same_time_with_another_professional_is_refused(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    tincho = await book(uow_factory, clock, request(shop, pro=0))

    with pytest.raises(CustomerBusy) as busy:
        await book(uow_factory, clock, request(shop, pro=1))

    assert busy.value.code == "customer_busy"
    assert busy.value.conflicting_booking_id == tincho.id


async def test_booking_any_professional_twice_is_refused_the_second_time(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    """The reported bug: two POSTs with no professional gave two turnos at once."""
    first = await book(uow_factory, clock, request(shop, pro=None))

    with pytest.raises(CustomerBusy) as busy:
        await book(uow_factory, clock, request(shop, pro=None))

    assert busy.value.conflicting_booking_id == first.id


async def test_asking_again_for_ones_own_slot_is_customer_busy_not_slot_taken(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    mine = await book(uow_factory, clock, request(shop, pro=0))

    with pytest.raises(CustomerBusy) as busy:
        await book(uow_factory, clock, request(shop, pro=0))

    assert busy.value.conflicting_booking_id == mine.id


async def test_a_partial_overlap_is_refused_and_back_to_back_is_fine(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    await book(uow_factory, clock, request(shop, pro=0))  # 11:00-11:30

    for start in (WED_11 - timedelta(minutes=15), WED_11 + timedelta(minutes=15)):
        with pytest.raises(CustomerBusy):
            await book(uow_factory, clock, request(shop, start, pro=1))
    before = await book(uow_factory, clock, request(shop, WED_11 - timedelta(minutes=30), pro=1))
    after = await book(uow_factory, clock, request(shop, WED_11 + timedelta(minutes=30), pro=2))

    assert before.ends_at == WED_11
    assert after.starts_at == WED_11 + timedelta(minutes=30)


async def test_other_customers_cancelled_turnos_and_dead_holds_do_not_count(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    await book(uow_factory, clock, request(shop, pro=0, customer=ANA))
    cancelled = await book(uow_factory, clock, request(shop, pro=1))
    await use_cases.cancel(uow_factory, clock, cancelled.id)
    held = await book(uow_factory, clock, request(shop, pro=1, hold=True))
    with pytest.raises(CustomerBusy):  # a live hold is a turno
        await book(uow_factory, clock, request(shop, pro=2))

    clock.advance(minutes=11)  # the hold ran out (not yet swept: it is still "held")
    mine = await book(uow_factory, clock, request(shop, pro=2))

    assert mine.status is BookingStatus.CONFIRMED
    assert await status(uow_factory, held) is BookingStatus.HELD


async def test_a_turno_in_another_shop_does_not_count(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    other = await build_shop(uow_factory, slug="otra-barberia")
    await book(uow_factory, clock, request(other, pro=0))

    here = await book(uow_factory, clock, request(shop, pro=0))

    assert here.shop_id == shop.shop_id


async def test_one_customer_cannot_take_two_seats_of_a_group_session(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    seat = await book(uow_factory, clock, request(shop, service="Clase"))

    with pytest.raises(CustomerBusy) as busy:
        await book(uow_factory, clock, request(shop, service="Clase"))
    friend = await book(uow_factory, clock, request(shop, service="Clase", customer=ANA))

    assert busy.value.conflicting_booking_id == seat.id
    assert (seat.seat_no, friend.seat_no) == (1, 2)


async def test_rescheduling_onto_a_time_overlapping_its_own_slot_works(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    old = await book(uow_factory, clock, request(shop, pro=0))  # 11:00-11:30

    later = await use_cases.reschedule(uow_factory, clock, old.id, WED_11 + timedelta(minutes=15))
    elsewhere = await use_cases.reschedule(
        uow_factory, clock, later.id, later.starts_at, shop.professionals[1]
    )

    assert later.starts_at == WED_11 + timedelta(minutes=15)
    assert elsewhere.professional_id == shop.professionals[1]
    assert elsewhere.starts_at == later.starts_at
    assert await status(uow_factory, old) is BookingStatus.CANCELLED
    assert await status(uow_factory, later) is BookingStatus.CANCELLED
    assert await status(uow_factory, elsewhere) is BookingStatus.CONFIRMED


async def test_rescheduling_onto_another_of_ones_turnos_is_refused_and_keeps_both(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    first = await book(uow_factory, clock, request(shop, pro=0))
    second = await book(uow_factory, clock, request(shop, WED_11 + timedelta(hours=2), pro=1))

    with pytest.raises(CustomerBusy) as busy:
        await use_cases.reschedule(uow_factory, clock, second.id, WED_11 + timedelta(minutes=15))

    assert busy.value.conflicting_booking_id == first.id
    assert await status(uow_factory, first) is BookingStatus.CONFIRMED
    assert await status(uow_factory, second) is BookingStatus.CONFIRMED


async def test_a_series_reports_the_week_the_customer_is_busy(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    elsewhere = await book(uow_factory, clock, request(shop, WED_11 + timedelta(weeks=1), pro=1))

    result = await book_series(uow_factory, clock, request(shop, pro=0), every_weeks=1, count=3)

    assert [o.error for o in result.occurrences] == [None, "customer_busy", None]
    assert await status(uow_factory, elsewhere) is BookingStatus.CONFIRMED


async def test_alternatives_to_a_taken_slot_skip_the_customers_own_turnos(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    shop = await build_shop(uow_factory, professionals=2, slot_step_minutes=30)
    mine = await book(uow_factory, clock, request(shop, WED_11 + timedelta(minutes=30), pro=1))
    await book(uow_factory, clock, request(shop, pro=0, customer=ANA))

    with pytest.raises(SlotTaken) as taken:
        await book(uow_factory, clock, request(shop, pro=0))

    starts = [s.start for s in taken.value.alternatives]
    assert mine.starts_at not in starts
    assert starts == [
        WED_11 - timedelta(minutes=30),
        WED_11 - timedelta(hours=1),
        WED_11 + timedelta(hours=1),
    ]


@pytest.mark.parametrize("known", [True, False], ids=["known-customer", "new-customer"])
async def test_one_customer_booking_every_professional_at_once_gets_one_turno(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, database_url: str, known: bool
) -> None:
    """The race: one person fires bookings with different professionals at the same time.

    Each takes a different professional's lock; only the customer's lock keeps them apart.
    Separate engines, so no in-process lock helps either. A new customer (only a phone) is
    created once even when every request tries to create them.
    """
    shop = await build_shop(uow_factory, professionals=CONCURRENT)
    customer: int | NewCustomer = JUAN
    if known:
        async with uow_factory() as uow:
            customer = await use_cases.resolve_customer(uow, shop.shop_id, JUAN)
            await uow.commit()
    requests = [request(shop, pro=n, customer=customer) for n in range(CONCURRENT)]
    results = await book_from_separate_engines(database_url, clock, requests, engines=4)

    won = [r for r in results if isinstance(r, Booking)]
    lost = [r for r in results if not isinstance(r, Booking)]
    assert len(won) == 1, lost
    assert all(isinstance(e, CustomerBusy) for e in lost), {repr(e) for e in lost}
    assert {e.conflicting_booking_id for e in lost if isinstance(e, CustomerBusy)} == {won[0].id}
    async with uow_factory.read_only() as uow:
        active = await uow.bookings.customer_bookings(
            shop.shop_id,
            won[0].customer_id,
            WED_11 - timedelta(days=1),
            WED_11 + timedelta(days=1),
            clock.now(),
        )
    assert [b.id for b in active] == [won[0].id]
