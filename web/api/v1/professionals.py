"""A shop's professionals: who serves customers, and when."""

from __future__ import annotations

from fastapi import APIRouter

from web.api.v1.access import ShopReader
from web.api.v1.responses import ERRORS
from web.api.v1.schemas import ProfessionalOut
from web.deps import UowDep

router = APIRouter(tags=["catalog"])


@router.get("/shops/{slug}/professionals", responses=ERRORS)
async def list_professionals(access: ShopReader, uow_factory: UowDep) -> list[ProfessionalOut]:
    """The shop's active professionals."""
    async with uow_factory.read_only() as uow:
        professionals = await uow.catalog.professionals(access.shop.id)
    return [ProfessionalOut.from_professional(p) for p in professionals if p.active]
