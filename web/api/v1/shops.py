"""Shops: the list, creating one, its profile and policies; and the free slots."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from pydantic import Field, StrictBool, StrictInt, field_validator

from domain import booking as use_cases
from domain.access import Scope
from domain.errors import InvalidRequest
from domain.model import DEFAULT_TIMEZONE, Vertical
from domain.shops import (
    MAX_REMINDERS,
    POLICY_LIMITS,
    REMINDER_LIMITS,
    SLUG,
    TEXT_LIMITS,
    NewShop,
    profile_columns,
)
from domain.storage.apikeys import create_api_key
from domain.storage.shops import create_shop, update_shop
from web.acting import ApiUow, key_acting
from web.api.v1.access import AnyKey, PlatformKey, ShopAdmin, ShopReader
from web.api.v1.fields import not_null
from web.api.v1.responses import BODY_ERRORS, CONFLICT, ERRORS
from web.api.v1.schemas import (
    Day,
    Input,
    NewApiKeyOut,
    Output,
    ShopOut,
    ShopProfileOut,
    SlotOut,
)
from web.deps import CatalogsDep, ClockDep, UowDep

router = APIRouter(tags=["shops"])
Id = Annotated[int, Query(ge=1, le=2**31 - 1)]
MAX_RANGE_DAYS = 62


class ShopIn(Input):
    """A new shop: it starts empty, with its vertical's policies."""

    slug: str = Field(pattern=SLUG.pattern, description="In links and the API: don-julio")
    name: str = Field(min_length=1, max_length=120)
    timezone: str = Field(default=DEFAULT_TIMEZONE, max_length=60, description="IANA zone")
    vertical: Vertical = Vertical.BARBERIA
    locale: Literal["es_AR", "en"] = "es_AR"


class ShopCreatedOut(Output):
    """The new shop and its first admin key (the secret is shown this once)."""

    shop: ShopProfileOut
    api_key: NewApiKeyOut


def _limited(name: str, description: str | None = None) -> Any:
    """A policy number's field, bounded by the shared rule (domain.shops.POLICY_LIMITS)."""
    low, high = POLICY_LIMITS[name]
    return Field(default=None, ge=low, le=high, description=description)


class PolicyPatch(Input):
    """Booking rules to change; what is left out stays as it is."""

    min_notice_minutes: StrictInt | None = _limited("min_notice_minutes")
    max_days_ahead: StrictInt | None = _limited("max_days_ahead")
    free_cancellation_hours: StrictInt | None = _limited("free_cancellation_hours")
    hold_minutes: StrictInt | None = _limited("hold_minutes")
    slot_step_minutes: StrictInt | None = _limited("slot_step_minutes")
    open_on_holidays: StrictBool | None = None
    reminder_hours: (
        Annotated[
            list[Annotated[StrictInt, Field(ge=REMINDER_LIMITS[0], le=REMINDER_LIMITS[1])]],
            Field(max_length=MAX_REMINDERS),
        ]
        | None
    ) = None
    no_show_grace_minutes: StrictInt | None = _limited("no_show_grace_minutes", "null: off")
    agenda_hour: StrictInt | None = _limited("agenda_hour", "null: off")
    comeback_nudges: StrictBool | None = None

    @field_validator(
        "min_notice_minutes",
        "max_days_ahead",
        "free_cancellation_hours",
        "hold_minutes",
        "slot_step_minutes",
        "open_on_holidays",
        "reminder_hours",
        "comeback_nudges",
    )
    @classmethod
    def _not_null(cls, value: object) -> object:
        return not_null(value)


class ShopPatch(Input):
    """Profile fields to change (null clears address, maps link and contact phone)."""

    name: str | None = Field(default=None, min_length=1, max_length=TEXT_LIMITS["name"])
    address: str | None = Field(default=None, max_length=TEXT_LIMITS["address"])
    maps_url: str | None = Field(
        default=None,
        max_length=TEXT_LIMITS["maps_url"],
        pattern=r"^https?://\S+$",
        description="A Google Maps link",
    )
    contact_phone: str | None = Field(default=None, max_length=TEXT_LIMITS["contact_phone"])
    timezone: str | None = Field(default=None, max_length=60)
    locale: Literal["es_AR", "en"] | None = None
    vertical: Vertical | None = None
    policy: PolicyPatch | None = None

    @field_validator("name", "timezone", "locale", "vertical", "policy")
    @classmethod
    def _not_null(cls, value: object) -> object:
        return not_null(value)

    def columns(self) -> dict[str, Any]:
        """The shop columns to change, checked by the shared rules (422 naming the field)."""
        changes = {name: getattr(self, name) for name in self.model_fields_set - {"policy"}}
        if self.policy is not None:
            changes.update({n: getattr(self.policy, n) for n in self.policy.model_fields_set})
        return profile_columns(changes)


@router.get("/shops", responses=ERRORS)
async def list_shops(key: AnyKey, uow_factory: UowDep) -> list[ShopOut]:
    """The shops this key may act on: its own, or every one for a platform key."""
    async with uow_factory.read_only() as uow:
        shops = await uow.catalog.list_shops()
    return [ShopOut.from_shop(s) for s in shops if key.reaches(s.id)]


@router.post("/shops", status_code=201, responses={**BODY_ERRORS, **CONFLICT})
async def new_shop(
    body: ShopIn, key: PlatformKey, request: Request, uow_factory: ApiUow, clock: ClockDep
) -> ShopCreatedOut:
    """Create an empty shop (platform keys only) and its first admin key; 409 when the slug is
    taken."""
    new = NewShop(body.slug, body.name, body.timezone, body.vertical, body.locale)
    shop = await create_shop(uow_factory, new, clock.now())
    issued = await create_api_key(
        uow_factory.engine,
        "admin",
        clock.now(),
        shop_id=shop.id,
        scope=Scope.ADMIN,
        acting=key_acting(request, key, clock.now()),
    )
    return ShopCreatedOut(
        shop=ShopProfileOut.from_shop(shop),
        api_key=NewApiKeyOut.from_issued(issued),
    )


@router.get("/shops/{slug}", responses=ERRORS)
async def get_shop(access: ShopReader) -> ShopProfileOut:
    """The shop's profile and booking rules."""
    return ShopProfileOut.from_shop(access.shop)


@router.patch("/shops/{slug}", responses=BODY_ERRORS)
async def patch_shop(
    access: ShopAdmin, body: ShopPatch, uow_factory: ApiUow, catalogs: CatalogsDep
) -> ShopProfileOut:
    """Change the profile or booking rules; the chat uses them from the next message."""
    shop = await update_shop(uow_factory, access.shop.id, body.columns())
    catalogs.invalidate()
    return ShopProfileOut.from_shop(shop)


@router.get("/shops/{slug}/availability", responses=ERRORS)
async def availability(
    access: ShopReader,
    uow_factory: UowDep,
    clock: ClockDep,
    service_id: Id,
    professional_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    first: Annotated[Day | None, Query(alias="from")] = None,
    last: Annotated[Day | None, Query(alias="to")] = None,
) -> list[SlotOut]:
    """Free slots from `from` to `to` (shop-local dates, at most 62 days; default a week)."""
    shop = access.shop
    first = first or clock.now().astimezone(ZoneInfo(shop.timezone)).date()
    last = last or first + timedelta(days=6)
    if last < first or (last - first).days >= MAX_RANGE_DAYS:
        raise InvalidRequest(f"`to` must be on or after `from`, at most {MAX_RANGE_DAYS} days")
    slots = await use_cases.find_slots(
        uow_factory, clock, shop.id, service_id, professional_id, first, last
    )
    return [SlotOut.from_slot(s, shop.timezone) for s in slots]
