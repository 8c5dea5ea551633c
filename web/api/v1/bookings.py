"""Bookings: make one, read it, cancel it, move it."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from domain import booking as use_cases
from domain.errors import SlotTaken
from domain.model import CancelledBy
from web.acting import ApiUow
from web.api.v1.access import BookingBooker, BookingReader, ShopBooker
from web.api.v1.responses import (
    BODY_ERRORS,
    BOOKING_CONFLICTS,
    ERRORS,
    RESCHEDULE_CONFLICTS,
    TRANSITION_CONFLICT,
    slot_taken_response,
)
from web.api.v1.schemas import BookingIn, BookingOut, CancelIn, RescheduleIn
from web.api.v1.views import booking_out
from web.deps import ClockDep, UowDep

router = APIRouter(tags=["bookings"])


@router.post(
    "/shops/{slug}/bookings",
    status_code=201,
    response_model=BookingOut,
    responses={**BODY_ERRORS, **BOOKING_CONFLICTS},
)
async def create_booking(
    access: ShopBooker, body: BookingIn, uow_factory: ApiUow, clock: ClockDep
) -> BookingOut | JSONResponse:
    """Book a slot; 409 `slot_taken` with the nearest alternatives when it is gone, 409
    `customer_busy` when this customer already has an active turno at an overlapping time."""
    shop = access.shop
    request = use_cases.BookingRequest(
        shop_id=shop.id,
        service_id=body.service_id,
        customer=use_cases.NewCustomer(body.customer.name, body.customer.phone),
        start=body.start,
        professional_id=body.professional_id,
        hold=body.hold,
        channel="api",
    )
    try:
        booking = await use_cases.book(uow_factory, clock, request)
    except SlotTaken as taken:
        return slot_taken_response(taken, shop)
    return await booking_out(uow_factory, booking)


@router.get("/bookings/{booking_id}", responses=ERRORS)
async def get_booking(access: BookingReader, uow_factory: UowDep) -> BookingOut:
    """One booking."""
    return await booking_out(uow_factory, access.booking)


@router.post("/bookings/{booking_id}/cancel", responses={**BODY_ERRORS, **TRANSITION_CONFLICT})
async def cancel_booking(
    access: BookingBooker,
    uow_factory: ApiUow,
    clock: ClockDep,
    body: CancelIn | None = None,
) -> BookingOut:
    """Cancel; `late_cancellation` tells whether it fell inside the shop's paid window."""
    by = CancelledBy((body or CancelIn()).by)
    booking = await use_cases.cancel(uow_factory, clock, access.booking.id, by)
    return await booking_out(uow_factory, booking)


@router.post(
    "/bookings/{booking_id}/reschedule",
    response_model=BookingOut,
    responses={**BODY_ERRORS, **RESCHEDULE_CONFLICTS},
)
async def reschedule_booking(
    access: BookingBooker, body: RescheduleIn, uow_factory: ApiUow, clock: ClockDep
) -> BookingOut | JSONResponse:
    """Move to a new start; the old turno stays yours unless the new one is won.

    The new time may overlap the turno being moved; another active turno of the customer at
    that time answers 409 `customer_busy`.
    """
    try:
        booking = await use_cases.reschedule(
            uow_factory, clock, access.booking.id, body.start, body.professional_id
        )
    except SlotTaken as taken:
        return slot_taken_response(taken, access.shop)
    return await booking_out(uow_factory, booking)
