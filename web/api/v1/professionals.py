"""A shop's professionals: who serves customers, and what they offer.

Archiving (DELETE, or `active: false`) keeps them and their turnos: those still to come are
listed as `outside_hours` for the owner to move or cancel. Weekly hours and time off are in
web.api.v1.hours.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import Field, StrictBool, field_validator

from domain.catalog_rules import professional_columns
from domain.storage.catalog_admin import (
    ProfessionalSetup,
    add_professional,
    change_professional,
    services_by_professional,
)
from web.acting import ApiUow
from web.api.v1.access import RowId, ShopAdmin, ShopReader
from web.api.v1.fields import Ids, Name, Word, not_null
from web.api.v1.outside_hours import OutsideHoursOut
from web.api.v1.responses import BODY_ERRORS, ERRORS
from web.api.v1.schemas import Input, ProfessionalOut
from web.deps import CatalogsDep, ClockDep, UowDep

router = APIRouter(tags=["catalog"])


class ProfessionalIn(Input):
    """A new professional offering `service_ids` (then PUT their weekly hours)."""

    name: Name
    nickname: Word | None = Field(default=None, description="What customers call them: Tincho")
    service_ids: Ids = Field(default_factory=list)
    active: StrictBool = True


class ProfessionalPatch(Input):
    """Fields to change; what is left out stays (null clears the nickname)."""

    name: Name | None = None
    nickname: Word | None = None
    service_ids: Ids | None = Field(default=None, description="Replaces what they offer")
    active: StrictBool | None = Field(default=None, description="false archives them")

    @field_validator("name", "service_ids", "active")
    @classmethod
    def _not_null(cls, value: object) -> object:
        return not_null(value)


class ProfessionalChangedOut(ProfessionalOut):
    """The professional after the change, and their turnos to come now outside hours."""

    outside_hours: list[OutsideHoursOut]


@router.get("/shops/{slug}/professionals", responses=ERRORS)
async def list_professionals(
    access: ShopReader,
    uow_factory: UowDep,
    archived: Annotated[bool, Query(description="Include archived professionals")] = False,
) -> list[ProfessionalOut]:
    """The shop's professionals and what they offer (the active ones, unless
    `archived=true`)."""
    async with uow_factory.read_only() as uow:
        professionals = await uow.catalog.professionals(access.shop.id)
    offered = await services_by_professional(uow_factory, access.shop.id)
    return [
        ProfessionalOut.from_professional(p, offered.get(p.id, ()))
        for p in professionals
        if p.active or archived
    ]


@router.post("/shops/{slug}/professionals", status_code=201, responses=BODY_ERRORS)
async def new_professional(
    access: ShopAdmin, body: ProfessionalIn, uow_factory: ApiUow, catalogs: CatalogsDep
) -> ProfessionalOut:
    """Add a professional; they take turnos once they have weekly hours."""
    columns = _columns(body, set(type(body).model_fields))
    setup = await add_professional(uow_factory, access.shop, columns, set(body.service_ids))
    catalogs.invalidate()
    return ProfessionalOut.from_professional(setup.professional, setup.service_ids)


@router.patch("/shops/{slug}/professionals/{professional_id}", responses=BODY_ERRORS)
async def patch_professional(
    access: ShopAdmin,
    professional_id: RowId,
    body: ProfessionalPatch,
    uow_factory: ApiUow,
    clock: ClockDep,
    catalogs: CatalogsDep,
) -> ProfessionalChangedOut:
    """Change a professional; no turno is cancelled: those now outside hours are listed."""
    columns = _columns(body, set(body.model_fields_set))
    offers = None if body.service_ids is None else set(body.service_ids)
    setup = await change_professional(
        uow_factory, access.shop, professional_id, columns, offers, clock.now()
    )
    catalogs.invalidate()
    return _changed(setup, access.shop.timezone)


@router.delete("/shops/{slug}/professionals/{professional_id}", responses=ERRORS)
async def archive_professional(
    access: ShopAdmin,
    professional_id: RowId,
    uow_factory: ApiUow,
    clock: ClockDep,
    catalogs: CatalogsDep,
) -> ProfessionalChangedOut:
    """Archive a professional: no longer offered; their turnos to come are kept and listed."""
    setup = await change_professional(
        uow_factory, access.shop, professional_id, {"active": False}, None, clock.now()
    )
    catalogs.invalidate()
    return _changed(setup, access.shop.timezone)


def _columns(body: ProfessionalIn | ProfessionalPatch, names: set[str]) -> dict[str, Any]:
    """The professional's columns among the fields named, by the shared rules."""
    return professional_columns({name: getattr(body, name) for name in names - {"service_ids"}})


def _changed(setup: ProfessionalSetup, timezone: str) -> ProfessionalChangedOut:
    out = ProfessionalOut.from_professional(setup.professional, setup.service_ids)
    return ProfessionalChangedOut(
        **out.model_dump(), outside_hours=OutsideHoursOut.listed(setup.outside_hours, timezone)
    )
