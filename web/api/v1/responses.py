"""The error responses routes document, and the 409 a lost slot answers with."""

from __future__ import annotations

from fastapi.responses import JSONResponse

from domain.errors import SlotTaken
from domain.model import Shop
from web.api.v1.schemas import CustomerBusyOut, ErrorOut, SlotOut, SlotTakenOut
from web.throttle import RATE_LIMITED

ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorOut, "description": "No key, or one unknown, expired or revoked"},
    403: {"model": ErrorOut, "description": "The key's scope does not allow this"},
    404: {"model": ErrorOut, "description": "Not found, or another shop's"},
    422: {"model": ErrorOut, "description": "Bad input: `field` or `problems` say where"},
    **RATE_LIMITED,  # every call passes the key's, the address's and failed keys' budgets
}
CONFLICT: dict[int | str, dict[str, object]] = {
    409: {"model": ErrorOut, "description": "Clashes with what exists"},
}
# 409 on booking and moving: the slot is gone (`slot_taken`, with the nearest alternatives) or
# the customer already has a turno at an overlapping time (`customer_busy`).
BOOKING_CONFLICTS: dict[int | str, dict[str, object]] = {
    409: {
        "model": SlotTakenOut | CustomerBusyOut,
        "description": "`slot_taken` (with the nearest free alternatives) or `customer_busy` "
        "(the customer already holds an overlapping turno: `conflicting_booking_id`)",
    },
}


def slot_taken_response(taken: SlotTaken, shop: Shop) -> JSONResponse:
    """409 with the nearest free slots, in the shop's zone."""
    body = SlotTakenOut(
        error=taken.code,
        detail="that slot is no longer available",
        alternatives=[SlotOut.from_slot(s, shop.timezone) for s in taken.alternatives],
    )
    return JSONResponse(body.model_dump(mode="json"), status_code=409)
