"""A shop's services: what customers book, with exact prices and who offers each."""

from __future__ import annotations

from fastapi import APIRouter

from web.api.v1.access import ShopReader
from web.api.v1.responses import ERRORS
from web.api.v1.schemas import ServiceOut
from web.deps import UowDep

router = APIRouter(tags=["catalog"])


@router.get("/shops/{slug}/services", responses=ERRORS)
async def list_services(access: ShopReader, uow_factory: UowDep) -> list[ServiceOut]:
    """The shop's active services with prices and who offers them."""
    shop = access.shop
    async with uow_factory.read_only() as uow:
        services = await uow.catalog.services(shop.id)
    return [ServiceOut.from_service(s, shop.locale) for s in services if s.active]
