"""The booking use cases against the real database (SQLite or PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain import booking as use_cases
from domain.booking import BookingRequest, HoldExpired, NewCustomer, NotBookable
from domain.errors import InvalidRequest, InvalidTransition, NotFound, SlotTaken
from domain.model import BookingStatus, CancelledBy
from domain.money import Money
from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock, ShopFixture, build_shop

# Wednesday 2026-12-02 10:00 in Buenos Aires (13:00 UTC): the shop opens 09:00-18:00.
WED_10 = datetime(2026, 12, 2, 13, 0, tzinfo=UTC)
JUAN = NewCustomer("Juan Pérez", "11 5874-9895")


@pytest.fixture
async def shop(uow_factory: UnitOfWorkFactory) -> ShopFixture:
    return await build_shop(uow_factory, professionals=2)


def request(shop: ShopFixture, start: datetime = WED_10, **kw: object) -> BookingRequest:
    params: dict[str, object] = {
        "shop_id": shop.shop_id,
        "service_id": shop.services["Corte"],
        "customer": JUAN,
        "start": start,
        "professional_id": shop.professionals[0],
    }
    params.update(kw)
    return BookingRequest(**params)  # type: ignore[arg-type]


async def test_booking_confirms_the_slot_and_freezes_the_price(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    booking = await use_cases.book(uow_factory, clock, request(shop))

    assert booking.status is BookingStatus.CONFIRMED
    assert booking.starts_at == WED_10
    assert booking.ends_at == WED_10 + timedelta(minutes=30)
    assert booking.price == Money(1_200_000)
    stored = await use_cases.get_booking(uow_factory, booking.id)
    assert stored == booking


async def test_the_same_phone_in_another_form_is_the_same_customer(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    first = await use_cases.book(uow_factory, clock, request(shop))
    second = await use_cases.book(
        uow_factory,
        clock,
        request(
            shop, WED_10 + timedelta(hours=1), customer=NewCustomer("Juan", "+54 9 11 5874 9895")
        ),
    )

    assert second.customer_id == first.customer_id


async def test_a_booked_slot_disappears_from_availability(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    pro = shop.professionals[0]
    await use_cases.book(uow_factory, clock, request(shop))

    slots = await use_cases.find_slots(
        uow_factory,
        clock,
        shop.shop_id,
        shop.services["Corte"],
        pro,
        WED_10.date(),
        WED_10.date(),
    )

    assert WED_10 not in [s.start for s in slots]
    assert WED_10 + timedelta(minutes=30) in [s.start for s in slots]


async def test_a_taken_slot_is_refused_with_the_nearest_alternatives(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    await use_cases.book(uow_factory, clock, request(shop))

    with pytest.raises(SlotTaken) as taken:
        await use_cases.book(
            uow_factory, clock, request(shop, customer=NewCustomer("Ana", "1140001111"))
        )

    starts = [s.start for s in taken.value.alternatives]
    assert starts == [
        WED_10 - timedelta(minutes=30),
        WED_10 + timedelta(minutes=30),
        WED_10 - timedelta(hours=1),
    ]


async def test_any_professional_takes_the_next_free_one(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    first = await use_cases.book(uow_factory, clock, request(shop, professional_id=None))
    second = await use_cases.book(
        uow_factory,
        clock,
        request(shop, professional_id=None, customer=NewCustomer("Ana", "1140001111")),
    )

    assert {first.professional_id, second.professional_id} == set(shop.professionals)


async def test_a_start_outside_working_hours_is_not_bookable(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    with pytest.raises(NotBookable):
        await use_cases.book(uow_factory, clock, request(shop, WED_10 + timedelta(hours=9)))


async def test_a_hold_expires_and_frees_its_slot(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    held = await use_cases.book(uow_factory, clock, request(shop, hold=True))
    assert held.status is BookingStatus.HELD
    assert held.hold_expires_at == clock.now() + timedelta(minutes=10)

    clock.advance(minutes=11)
    taker = await use_cases.book(
        uow_factory, clock, request(shop, customer=NewCustomer("Ana", "1140001111"))
    )

    assert taker.starts_at == held.starts_at
    assert (await use_cases.get_booking(uow_factory, held.id)).status is BookingStatus.EXPIRED
    with pytest.raises(HoldExpired):
        await use_cases.confirm(uow_factory, clock, held.id)


async def test_a_live_hold_is_confirmed_once(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    held = await use_cases.book(uow_factory, clock, request(shop, hold=True))

    confirmed = await use_cases.confirm(uow_factory, clock, held.id)
    again = await use_cases.confirm(uow_factory, clock, held.id)

    assert confirmed.status is BookingStatus.CONFIRMED
    assert confirmed.hold_expires_at is None
    assert again == confirmed


async def test_cancelling_early_is_free_and_late_is_recorded(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    early = await use_cases.book(uow_factory, clock, request(shop))
    late = await use_cases.book(
        uow_factory, clock, request(shop, WED_10 + timedelta(days=0, hours=2))
    )

    on_time = await use_cases.cancel(uow_factory, clock, early.id)
    clock.current = late.starts_at - timedelta(hours=3)
    too_late = await use_cases.cancel(uow_factory, clock, late.id)

    assert on_time.status is BookingStatus.CANCELLED
    assert on_time.late_cancellation is False
    assert too_late.late_cancellation is True
    assert too_late.cancelled_at == clock.now()


async def test_the_shop_cancelling_is_never_late(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    booking = await use_cases.book(uow_factory, clock, request(shop))
    clock.current = booking.starts_at - timedelta(minutes=30)

    cancelled = await use_cases.cancel(uow_factory, clock, booking.id, CancelledBy.SHOP)

    assert cancelled.late_cancellation is False
    assert cancelled.cancelled_by is CancelledBy.SHOP


async def test_a_cancelled_slot_can_be_booked_again(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    booking = await use_cases.book(uow_factory, clock, request(shop))
    await use_cases.cancel(uow_factory, clock, booking.id)

    again = await use_cases.book(
        uow_factory, clock, request(shop, customer=NewCustomer("Ana", "1140001111"))
    )

    assert again.starts_at == booking.starts_at


async def test_rescheduling_moves_the_booking_and_frees_the_old_slot(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    old = await use_cases.book(uow_factory, clock, request(shop))

    new = await use_cases.reschedule(uow_factory, clock, old.id, WED_10 + timedelta(minutes=30))

    assert new.starts_at == WED_10 + timedelta(minutes=30)
    assert new.rescheduled_from_id == old.id
    assert new.price == old.price
    assert (await use_cases.get_booking(uow_factory, old.id)).status is BookingStatus.CANCELLED
    other = await use_cases.book(
        uow_factory, clock, request(shop, customer=NewCustomer("Ana", "1140001111"))
    )
    assert other.starts_at == WED_10


async def test_rescheduling_onto_a_taken_slot_keeps_the_old_booking(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    mine = await use_cases.book(uow_factory, clock, request(shop))
    taken = WED_10 + timedelta(hours=1)
    await use_cases.book(
        uow_factory, clock, request(shop, taken, customer=NewCustomer("Ana", "1140001111"))
    )

    with pytest.raises(SlotTaken):
        await use_cases.reschedule(uow_factory, clock, mine.id, taken)

    assert (await use_cases.get_booking(uow_factory, mine.id)).status is BookingStatus.CONFIRMED


async def test_completing_and_no_show_wait_for_the_turno_to_start(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    first = await use_cases.book(uow_factory, clock, request(shop))
    second = await use_cases.book(uow_factory, clock, request(shop, WED_10 + timedelta(hours=1)))
    with pytest.raises(InvalidRequest):
        await use_cases.complete(uow_factory, clock, first.id)

    clock.current = second.ends_at
    done = await use_cases.complete(uow_factory, clock, first.id)
    missing = await use_cases.mark_no_show(uow_factory, clock, second.id)

    assert done.status is BookingStatus.COMPLETED
    assert missing.status is BookingStatus.NO_SHOW
    with pytest.raises(InvalidTransition):
        await use_cases.cancel(uow_factory, clock, done.id)


async def test_unknown_ids_are_not_found(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    with pytest.raises(NotFound):
        await use_cases.get_booking(uow_factory, 999)
    with pytest.raises(NotFound):
        await use_cases.book(uow_factory, clock, request(shop, service_id=999))
    with pytest.raises(NotFound):
        await use_cases.book(uow_factory, clock, request(shop, professional_id=999))
