"""No double booking, ever: 50 concurrent attempts on the real database, exactly one wins."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from domain import booking as use_cases
from domain.booking import BookingRequest, NewCustomer
from domain.errors import SlotTaken
from domain.model import Booking, BookingStatus, session_key
from domain.storage.tables import BookingRow
from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock, ShopFixture, book_from_separate_engines, build_shop

ATTEMPTS = 50
WED_10 = datetime(2026, 12, 2, 13, 0, tzinfo=UTC)
WED_11 = datetime(2026, 12, 2, 14, 0, tzinfo=UTC)  # a class start: 9, 11, 13... (2-hour grid)


def customer(n: int) -> NewCustomer:
    return NewCustomer(f"Cliente {n}", f"11 4000-{n:04d}")


async def attempt_all(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, requests: list[BookingRequest]
) -> tuple[list[Booking], list[BaseException]]:
    """Fire every request at once; split winners from losers."""
    results = await asyncio.gather(
        *(use_cases.book(uow_factory, clock, r) for r in requests), return_exceptions=True
    )
    won = [r for r in results if isinstance(r, Booking)]
    lost = [r for r in results if not isinstance(r, Booking)]
    return won, lost


def assert_all_lost_cleanly(lost: list[BaseException]) -> None:
    assert all(isinstance(error, SlotTaken) for error in lost), {type(e) for e in lost}


async def test_fifty_bookers_of_one_slot_get_one_booking(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    shop = await build_shop(uow_factory)
    requests = [
        BookingRequest(
            shop.shop_id, shop.services["Corte"], customer(n), WED_10, shop.professionals[0]
        )
        for n in range(ATTEMPTS)
    ]

    won, lost = await attempt_all(uow_factory, clock, requests)

    assert len(won) == 1
    assert len(lost) == ATTEMPTS - 1
    assert_all_lost_cleanly(lost)
    assert await active_bookings(uow_factory, shop) == 1


async def test_fifty_bookers_from_five_separate_engines_get_one_booking(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, database_url: str
) -> None:
    """Separate engines share no in-process lock: only the database keeps them apart."""
    shop = await build_shop(uow_factory)
    requests = [
        BookingRequest(
            shop.shop_id, shop.services["Corte"], customer(n), WED_10, shop.professionals[0]
        )
        for n in range(ATTEMPTS)
    ]
    results = await book_from_separate_engines(database_url, clock, requests, engines=5)

    won = [r for r in results if isinstance(r, Booking)]
    assert len(won) == 1
    assert_all_lost_cleanly([r for r in results if not isinstance(r, Booking)])
    assert await active_bookings(uow_factory, shop) == 1


async def test_overlapping_starts_booked_at_once_never_share_the_professional(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    shop = await build_shop(uow_factory, slot_step_minutes=15)
    starts = [WED_10 + timedelta(minutes=15 * (n % 2)) for n in range(ATTEMPTS)]
    requests = [
        BookingRequest(
            shop.shop_id, shop.services["Corte"], customer(n), start, shop.professionals[0]
        )
        for n, start in enumerate(starts)
    ]

    won, lost = await attempt_all(uow_factory, clock, requests)

    assert len(won) == 1
    assert_all_lost_cleanly(lost)


async def test_fifty_bookers_of_any_professional_fill_each_professional_once(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    shop = await build_shop(uow_factory, professionals=3)
    requests = [
        BookingRequest(shop.shop_id, shop.services["Corte"], customer(n), WED_10)
        for n in range(ATTEMPTS)
    ]

    won, lost = await attempt_all(uow_factory, clock, requests)

    assert sorted(b.professional_id for b in won) == shop.professionals
    assert_all_lost_cleanly(lost)


async def test_fifty_bookers_of_a_group_session_get_exactly_its_seats(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    shop = await build_shop(uow_factory, services=(("Clase grupal", 120, 30000, 6),))
    requests = [
        BookingRequest(
            shop.shop_id, shop.services["Clase grupal"], customer(n), WED_11, shop.professionals[0]
        )
        for n in range(ATTEMPTS)
    ]

    won, lost = await attempt_all(uow_factory, clock, requests)

    assert len(won) == 6
    assert sorted(b.seat_no for b in won) == [1, 2, 3, 4, 5, 6]
    assert_all_lost_cleanly(lost)


async def test_the_database_itself_refuses_a_second_seat_one(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    """Even code that skips the use case cannot store two active bookings of one seat."""
    shop = await build_shop(uow_factory)
    won = await use_cases.book(
        uow_factory,
        clock,
        BookingRequest(
            shop.shop_id, shop.services["Corte"], customer(1), WED_10, shop.professionals[0]
        ),
    )

    with pytest.raises(IntegrityError):
        await raw_insert(uow_factory, won, won.starts_at)


@pytest.mark.postgres
async def test_postgres_refuses_an_overlapping_block_even_without_the_use_case(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, dialect: str
) -> None:
    if dialect != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL only")
    shop = await build_shop(uow_factory)
    won = await use_cases.book(
        uow_factory,
        clock,
        BookingRequest(
            shop.shop_id, shop.services["Corte"], customer(1), WED_10, shop.professionals[0]
        ),
    )

    with pytest.raises(IntegrityError, match="bookings_no_overlap"):
        await raw_insert(uow_factory, won, won.starts_at + timedelta(minutes=10))


async def raw_insert(uow_factory: UnitOfWorkFactory, like: Booking, start: datetime) -> None:
    end = start + (like.ends_at - like.starts_at)
    async with uow_factory() as uow:
        await uow.session.execute(
            insert(BookingRow).values(
                shop_id=like.shop_id,
                service_id=like.service_id,
                professional_id=like.professional_id,
                customer_id=like.customer_id,
                starts_at=start,
                ends_at=end,
                block_start=start,
                block_end=end,
                session_key=session_key(like.professional_id, like.service_id, start),
                seat_no=1,
                capacity=1,
                status=BookingStatus.CONFIRMED.value,
                price_cents=1,
                currency="ARS",
                created_at=start,
                late_cancellation=False,
            )
        )
        await uow.commit()


async def active_bookings(uow_factory: UnitOfWorkFactory, shop: ShopFixture) -> int:
    async with uow_factory.read_only() as uow:
        blocks = await uow.bookings.busy_blocks(
            shop.professionals,
            WED_10 - timedelta(days=1),
            WED_10 + timedelta(days=1),
            WED_10 - timedelta(days=1),
        )
    return sum(b.seats_taken for b in blocks)
