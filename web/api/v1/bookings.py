"""One booking: read it, cancel it, move it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import JSONResponse

from domain import booking as use_cases
from domain.errors import NotFound, SlotTaken
from domain.model import CancelledBy
from web.api.v1.schemas import BookingOut, CancelIn, RescheduleIn, SlotTakenOut
from web.api.v1.shops import BOOKING_CONFLICTS, ERRORS, slot_taken_response
from web.api.v1.views import booking_out
from web.deps import ApiKeyDep, ClockDep, UowDep

router = APIRouter(tags=["bookings"])
BookingId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/bookings/{booking_id}", responses=ERRORS)
async def get_booking(booking_id: BookingId, _: ApiKeyDep, uow_factory: UowDep) -> BookingOut:
    """One booking."""
    return await booking_out(uow_factory, await use_cases.get_booking(uow_factory, booking_id))


@router.post("/bookings/{booking_id}/cancel", responses={**ERRORS, 409: {"model": SlotTakenOut}})
async def cancel_booking(
    booking_id: BookingId,
    _: ApiKeyDep,
    uow_factory: UowDep,
    clock: ClockDep,
    body: CancelIn | None = None,
) -> BookingOut:
    """Cancel; `late_cancellation` tells whether it fell inside the shop's paid window."""
    by = CancelledBy((body or CancelIn()).by)
    booking = await use_cases.cancel(uow_factory, clock, booking_id, by)
    return await booking_out(uow_factory, booking)


@router.post(
    "/bookings/{booking_id}/reschedule",
    response_model=BookingOut,
    responses={**ERRORS, **BOOKING_CONFLICTS},
)
async def reschedule_booking(
    booking_id: BookingId, body: RescheduleIn, _: ApiKeyDep, uow_factory: UowDep, clock: ClockDep
) -> BookingOut | JSONResponse:
    """Move to a new start; the old turno stays yours unless the new one is won.

    The new time may overlap the turno being moved; another active turno of the customer at
    that time answers 409 `customer_busy`.
    """
    try:
        booking = await use_cases.reschedule(
            uow_factory, clock, booking_id, body.start, body.professional_id
        )
    except SlotTaken as taken:
        old = await use_cases.get_booking(uow_factory, booking_id)
        async with uow_factory.read_only() as uow:
            shop = await uow.catalog.shop(old.shop_id)
        if shop is None:
            raise NotFound("booking not found") from taken
        return slot_taken_response(taken, shop)
    return await booking_out(uow_factory, booking)
