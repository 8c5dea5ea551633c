"""The shop booking by hand (the dashboard's agenda): no minimum notice, and a walk-in who gives
no phone, against the real database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain import booking as use_cases
from domain.booking import BookingRequest, NewCustomer, NotBookable
from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock, ShopFixture, build_shop

# Tuesday 2026-12-01 09:00 in Buenos Aires is the clock; the shop opens 09:00-18:00.
NINE = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
async def shop(uow_factory: UnitOfWorkFactory) -> ShopFixture:
    return await build_shop(uow_factory, min_notice_minutes=120)


def walk_in(shop: ShopFixture, start: datetime, phone: str | None = None) -> BookingRequest:
    return BookingRequest(
        shop.shop_id,
        shop.services["Corte"],
        NewCustomer("Marcos Vidal", phone),
        start,
        shop.professionals[0],
        channel="dashboard",
        by_shop=True,
    )


async def test_the_shop_books_without_the_minimum_notice_customers_give(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    soon = NINE + timedelta(minutes=30)
    args = (shop.shop_id, shop.services["Corte"], shop.professionals[0])
    day = NINE.date()

    for_customers = await use_cases.find_slots(uow_factory, clock, *args, day, day)
    for_the_shop = await use_cases.find_slots(uow_factory, clock, *args, day, day, by_shop=True)
    booked = await use_cases.book(uow_factory, clock, walk_in(shop, soon))

    assert min(s.start for s in for_customers) == NINE + timedelta(hours=2)
    assert min(s.start for s in for_the_shop) == NINE  # from now on
    assert booked.starts_at == soon
    assert booked.channel == "dashboard"
    customer_request = BookingRequest(
        shop.shop_id, shop.services["Corte"], NewCustomer("Ana", "11 4000-1111"), soon
    )
    with pytest.raises(NotBookable):
        await use_cases.book(uow_factory, clock, customer_request)


async def test_the_shop_moves_a_turno_without_the_minimum_notice(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    turno = await use_cases.book(uow_factory, clock, walk_in(shop, NINE + timedelta(hours=5)))

    with pytest.raises(NotBookable):
        await use_cases.reschedule(uow_factory, clock, turno.id, NINE + timedelta(minutes=30))
    moved = await use_cases.reschedule(
        uow_factory, clock, turno.id, NINE + timedelta(minutes=30), by_shop=True
    )

    assert moved.starts_at == NINE + timedelta(minutes=30)


async def test_a_walk_in_without_a_phone_is_a_new_person_each_time(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    first = await use_cases.book(uow_factory, clock, walk_in(shop, NINE))
    second = await use_cases.book(uow_factory, clock, walk_in(shop, NINE + timedelta(hours=1)))
    with_phone = await use_cases.book(
        uow_factory, clock, walk_in(shop, NINE + timedelta(hours=2), "11 4000-1111")
    )
    again = await use_cases.book(
        uow_factory, clock, walk_in(shop, NINE + timedelta(hours=3), "1140001111")
    )

    assert first.customer_id != second.customer_id  # nothing to tell them apart by
    assert with_phone.customer_id == again.customer_id
    async with uow_factory.read_only() as uow:
        person = await uow.customers.get(first.customer_id)
        known = await uow.customers.in_shop(shop.shop_id, first.customer_id)
    assert person is not None
    assert (person.phone, person.telegram_user_id) == (None, None)
    assert known is not None
    assert known.name == "Marcos Vidal"
