"""A shop's services: what customers book, with exact prices and who offers each.

Archiving (DELETE) keeps the service and its bookings; it is no longer offered in the chat nor
listed unless asked (`?archived=true`). Every change reaches this process's chat at once.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import Field, StrictBool, StrictInt, field_validator

from domain.catalog_rules import MAX_SYNONYMS, SERVICE_LIMITS, service_columns
from domain.storage.catalog_admin import add_service, change_service
from web.acting import ApiUow
from web.api.v1.access import RowId, ShopAdmin, ShopReader
from web.api.v1.fields import Ids, Name, Price, Word, not_null
from web.api.v1.responses import BODY_ERRORS, CONFLICT, ERRORS
from web.api.v1.schemas import Input, ServiceOut
from web.deps import CatalogsDep, UowDep

router = APIRouter(tags=["catalog"])
_DURATION, _BUFFER, _SEATS = (
    SERVICE_LIMITS[n] for n in ("duration_minutes", "buffer_before_minutes", "seats")
)
Duration = Annotated[
    StrictInt,
    Field(ge=_DURATION[0], le=_DURATION[1], description=f"{_DURATION[0]} to {_DURATION[1]} min"),
]
Buffer = Annotated[
    StrictInt,
    Field(ge=_BUFFER[0], le=_BUFFER[1], description=f"{_BUFFER[0]} to {_BUFFER[1]} minutes"),
]
Seats = Annotated[
    StrictInt, Field(ge=_SEATS[0], le=_SEATS[1], description="More than 1: a group session")
]
Synonyms = Annotated[
    list[Word],
    Field(
        max_length=MAX_SYNONYMS,
        description='Words customers use for it in the chat: ["rapado"]',
    ),
]


class ServiceFields(Input):
    """What a service is; turned into the columns that store it."""

    def _columns(self, names: set[str], currency: str) -> dict[str, Any]:
        """The columns of the fields named, by the shared rules (domain.catalog_rules)."""
        fields = {name: getattr(self, name) for name in names - {"professional_ids"}}
        return service_columns(fields, currency)


class ServiceIn(ServiceFields):
    """A new service, offered by `professional_ids`."""

    name: Name
    duration_minutes: Duration
    price: Price
    buffer_before_minutes: Buffer = 0
    buffer_after_minutes: Buffer = 0
    seats: Seats = 1
    professional_ids: Ids = Field(default_factory=list)
    synonyms: Synonyms = Field(default_factory=list)

    def columns(self, currency: str) -> dict[str, Any]:
        """Every column, defaults included."""
        return self._columns(set(type(self).model_fields), currency)


class ServicePatch(ServiceFields):
    """Fields to change; what is left out stays. `active: true` brings an archived one back."""

    name: Name | None = None
    duration_minutes: Duration | None = None
    price: Price | None = None
    buffer_before_minutes: Buffer | None = None
    buffer_after_minutes: Buffer | None = None
    seats: Seats | None = None
    professional_ids: Ids | None = Field(default=None, description="Replaces who offers it")
    synonyms: Synonyms | None = Field(default=None, description="Replaces the synonyms")
    active: StrictBool | None = None

    @field_validator("*")
    @classmethod
    def _not_null(cls, value: object) -> object:
        return not_null(value)

    def columns(self, currency: str) -> dict[str, Any]:
        """The columns of the fields sent."""
        return self._columns(set(self.model_fields_set), currency)


@router.get("/shops/{slug}/services", responses=ERRORS)
async def list_services(
    access: ShopReader,
    uow_factory: UowDep,
    archived: Annotated[bool, Query(description="Include archived services")] = False,
) -> list[ServiceOut]:
    """The shop's services with prices and who offers them (the active ones, unless
    `archived=true`)."""
    shop = access.shop
    async with uow_factory.read_only() as uow:
        services = await uow.catalog.services(shop.id)
    return [ServiceOut.from_service(s, shop.locale) for s in services if s.active or archived]


@router.post("/shops/{slug}/services", status_code=201, responses={**BODY_ERRORS, **CONFLICT})
async def new_service(
    access: ShopAdmin, body: ServiceIn, uow_factory: ApiUow, catalogs: CatalogsDep
) -> ServiceOut:
    """Add a service; 409 when an active one already has its name."""
    shop = access.shop
    offered_by = set(body.professional_ids)
    service = await add_service(uow_factory, shop, body.columns(shop.currency), offered_by)
    catalogs.invalidate()
    return ServiceOut.from_service(service, shop.locale)


@router.patch("/shops/{slug}/services/{service_id}", responses={**BODY_ERRORS, **CONFLICT})
async def patch_service(
    access: ShopAdmin,
    service_id: RowId,
    body: ServicePatch,
    uow_factory: ApiUow,
    catalogs: CatalogsDep,
) -> ServiceOut:
    """Change a service; bookings already made keep their time and price."""
    shop = access.shop
    columns = body.columns(shop.currency)
    offered_by = None if body.professional_ids is None else set(body.professional_ids)
    service = await change_service(uow_factory, shop, service_id, columns, offered_by)
    catalogs.invalidate()
    return ServiceOut.from_service(service, shop.locale)


@router.delete("/shops/{slug}/services/{service_id}", responses=ERRORS)
async def archive_service(
    access: ShopAdmin, service_id: RowId, uow_factory: ApiUow, catalogs: CatalogsDep
) -> ServiceOut:
    """Archive a service: no longer offered, kept with its bookings (`active` false)."""
    shop = access.shop
    service = await change_service(uow_factory, shop, service_id, {"active": False})
    catalogs.invalidate()
    return ServiceOut.from_service(service, shop.locale)
