"""Read side helpers: render a booking with its shop and customer."""

from __future__ import annotations

from domain.errors import NotFound
from domain.model import Booking
from domain.ports import UnitOfWorkFactory
from web.api.v1.schemas import BookingOut


async def booking_out(uow_factory: UnitOfWorkFactory, booking: Booking) -> BookingOut:
    """The API view of a booking, its customer as the booking's shop knows them."""
    async with uow_factory.read_only() as uow:
        shop = await uow.catalog.shop(booking.shop_id)
        person = await uow.customers.get(booking.customer_id)
        known = await uow.customers.in_shop(booking.shop_id, booking.customer_id)
    if shop is None or person is None or known is None:
        raise NotFound("booking not found")
    return BookingOut.build(booking, shop, known, person.phone)
