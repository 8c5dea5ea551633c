"""A professional's view of the shop's customers, against the real database: only those who had
a turno with them, and every figure and turno of their own work with them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain import booking as use_cases
from domain.booking import BookingRequest, NewCustomer
from domain.storage.owner_agenda import customer_turnos
from domain.storage.owner_customers import NotServed, shop_customer, shop_customers
from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock, ShopFixture, build_shop

# Tuesday 2026-12-01 10:00 in Buenos Aires; the clock starts at 09:00.
TUE_10 = datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
JUAN = NewCustomer("Juan Pérez", "11 5874-9895")
ANA = NewCustomer("Ana Gómez", "11 4000-1111")
LUIS = NewCustomer("Luis Díaz", "11 4000-2222")


@pytest.fixture
async def shop(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> ShopFixture:
    """Juan had a turno with each professional (both done) and has another with the first
    coming; Ana only with the second; Luis's only try with the first was a hold that lapsed."""
    shop = await build_shop(uow_factory, professionals=2)

    async def book(start: datetime, who: NewCustomer, pro: int, hold: bool = False) -> int:
        request = BookingRequest(
            shop.shop_id, shop.services["Corte"], who, start, shop.professionals[pro], hold
        )
        return (await use_cases.book(uow_factory, clock, request)).id

    done = [await book(TUE_10, JUAN, 0), await book(TUE_10 + timedelta(hours=1), JUAN, 1)]
    await book(TUE_10 + timedelta(days=1), JUAN, 0)
    await book(TUE_10, ANA, 1)
    lapsed = await book(TUE_10 + timedelta(hours=3), LUIS, 0, hold=True)
    clock.advance(hours=3)
    for booking_id in done:
        await use_cases.complete(uow_factory, clock, booking_id)
    await use_cases.expire_hold(uow_factory, clock, lapsed)
    return shop


async def names_for(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture, pro: int | None
) -> dict[str | None, int]:
    """Name → visits, as the given professional (None: the whole shop) sees them."""
    professional_id = None if pro is None else shop.professionals[pro]
    found = await shop_customers(
        uow_factory, shop.shop_id, clock.now(), None, None, 50, professional_id
    )
    return {summary.name: summary.visits for _, summary in found}


async def test_a_professional_lists_only_the_customers_they_served_with_their_own_visits(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    assert await names_for(uow_factory, clock, shop, None) == {
        "Ana Gómez": 0,
        "Juan Pérez": 2,
        "Luis Díaz": 0,
    }
    assert await names_for(uow_factory, clock, shop, 0) == {"Juan Pérez": 1}
    assert await names_for(uow_factory, clock, shop, 1) == {"Ana Gómez": 0, "Juan Pérez": 1}


async def test_a_customer_a_professional_never_served_is_not_theirs_to_open(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    everyone = await shop_customers(uow_factory, shop.shop_id, clock.now(), "ana", None, 5)
    [(_, ana)] = everyone

    with pytest.raises(NotServed):
        await shop_customer(uow_factory, shop.shop_id, ana.id, clock.now(), shop.professionals[0])
    seen = await shop_customer(
        uow_factory, shop.shop_id, ana.id, clock.now(), shop.professionals[1]
    )
    assert seen.summary.name == "Ana Gómez"


async def test_a_professional_reads_only_their_own_turnos_and_spend_with_a_customer(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, shop: ShopFixture
) -> None:
    [(_, juan)] = await shop_customers(uow_factory, shop.shop_id, clock.now(), "juan", None, 5)
    first = shop.professionals[0]

    whole = await shop_customer(uow_factory, shop.shop_id, juan.id, clock.now())
    theirs = await shop_customer(uow_factory, shop.shop_id, juan.id, clock.now(), first)
    upcoming, past = await customer_turnos(
        uow_factory, shop.shop_id, theirs.person_id, clock.now(), (10, 10), first
    )

    assert (whole.summary.visits, whole.spend_cents) == (2, 2_400_000)
    assert (theirs.summary.visits, theirs.spend_cents) == (1, 1_200_000)
    assert [b.professional_id for b in upcoming + past] == [first, first]
    assert [b.status for b in upcoming + past] == ["confirmed", "completed"]
