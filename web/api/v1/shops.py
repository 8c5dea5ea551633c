"""Shops, their services, professionals and availability; booking a slot."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse

from domain import booking as use_cases
from domain.errors import InvalidRequest, NotFound, SlotTaken
from domain.model import Shop
from domain.ports import UnitOfWork
from domain.storage.chat import shop_messages
from web.api.v1.schemas import (
    BookingIn,
    BookingOut,
    CustomerBusyOut,
    Day,
    ErrorOut,
    MessageOut,
    ProfessionalOut,
    ServiceOut,
    ShopOut,
    SlotOut,
    SlotTakenOut,
)
from web.api.v1.views import booking_out
from web.deps import ApiKeyDep, ClockDep, UowDep

router = APIRouter(tags=["shops"])
Slug = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,59}$")]
Id = Annotated[int, Query(ge=1, le=2**31 - 1)]
MAX_RANGE_DAYS = 62
ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorOut},
    404: {"model": ErrorOut},
    422: {"model": ErrorOut},
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


async def shop_or_404(uow: UnitOfWork, slug: str) -> Shop:
    """The shop with this slug, or NotFound (404)."""
    shop = await uow.catalog.shop_by_slug(slug)
    if shop is None:
        raise NotFound(f"no shop called {slug!r}")
    return shop


@router.get("/shops", responses=ERRORS)
async def list_shops(_: ApiKeyDep, uow_factory: UowDep) -> list[ShopOut]:
    """Every shop this deployment serves."""
    async with uow_factory.read_only() as uow:
        return [ShopOut.from_shop(s) for s in await uow.catalog.list_shops()]


@router.get("/shops/{slug}/services", responses=ERRORS)
async def list_services(slug: Slug, _: ApiKeyDep, uow_factory: UowDep) -> list[ServiceOut]:
    """The shop's active services with prices and who offers them."""
    async with uow_factory.read_only() as uow:
        shop = await shop_or_404(uow, slug)
        services = await uow.catalog.services(shop.id)
    return [ServiceOut.from_service(s, shop.locale) for s in services if s.active]


@router.get("/shops/{slug}/professionals", responses=ERRORS)
async def list_professionals(
    slug: Slug, _: ApiKeyDep, uow_factory: UowDep
) -> list[ProfessionalOut]:
    """The shop's active professionals."""
    async with uow_factory.read_only() as uow:
        shop = await shop_or_404(uow, slug)
        professionals = await uow.catalog.professionals(shop.id)
    return [ProfessionalOut.from_professional(p) for p in professionals if p.active]


@router.get("/shops/{slug}/availability", responses=ERRORS)
async def availability(
    slug: Slug,
    _: ApiKeyDep,
    uow_factory: UowDep,
    clock: ClockDep,
    service_id: Id,
    professional_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    first: Annotated[Day | None, Query(alias="from")] = None,
    last: Annotated[Day | None, Query(alias="to")] = None,
) -> list[SlotOut]:
    """Free slots from `from` to `to` (shop-local dates, at most 62 days; default a week)."""
    async with uow_factory.read_only() as uow:
        shop = await shop_or_404(uow, slug)
    first = first or clock.now().astimezone(ZoneInfo(shop.timezone)).date()
    last = last or first + timedelta(days=6)
    if last < first or (last - first).days >= MAX_RANGE_DAYS:
        raise InvalidRequest(f"`to` must be on or after `from`, at most {MAX_RANGE_DAYS} days")
    slots = await use_cases.find_slots(
        uow_factory, clock, shop.id, service_id, professional_id, first, last
    )
    return [SlotOut.from_slot(s, shop.timezone) for s in slots]


@router.post(
    "/shops/{slug}/bookings",
    status_code=201,
    response_model=BookingOut,
    responses={**ERRORS, **BOOKING_CONFLICTS},
)
async def create_booking(
    slug: Slug, body: BookingIn, _: ApiKeyDep, uow_factory: UowDep, clock: ClockDep
) -> BookingOut | JSONResponse:
    """Book a slot; 409 `slot_taken` with the nearest alternatives when it is gone, 409
    `customer_busy` when this customer already has an active turno at an overlapping time."""
    async with uow_factory.read_only() as uow:
        shop = await shop_or_404(uow, slug)
    request = use_cases.BookingRequest(
        shop_id=shop.id,
        service_id=body.service_id,
        customer=use_cases.NewCustomer(body.customer.name, body.customer.phone),
        start=body.start,
        professional_id=body.professional_id,
        hold=body.hold,
    )
    try:
        booking = await use_cases.book(uow_factory, clock, request)
    except SlotTaken as taken:
        return slot_taken_response(taken, shop)
    return await booking_out(uow_factory, booking)


def slot_taken_response(taken: SlotTaken, shop: Shop) -> JSONResponse:
    """409 with the nearest free slots, in the shop's zone."""
    body = SlotTakenOut(
        error=taken.code,
        detail="that slot is no longer available",
        alternatives=[SlotOut.from_slot(s, shop.timezone) for s in taken.alternatives],
    )
    return JSONResponse(body.model_dump(mode="json"), status_code=409)


@router.get("/shops/{slug}/messages", responses=ERRORS)
async def list_messages(slug: Slug, _: ApiKeyDep, uow_factory: UowDep) -> list[MessageOut]:
    """Messages customers left for the shop from the chat ("hablar con alguien"), newest first."""
    async with uow_factory.read_only() as uow:
        shop = await shop_or_404(uow, slug)
    messages = await shop_messages(uow_factory, shop.id)
    return [MessageOut.from_message(m, shop.timezone) for m in messages]
