"""A shop's API keys, managed by its admin: make one (shown once), list, revoke."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Request
from pydantic import Field, StrictInt

from domain.access import Scope
from domain.storage.apikeys import create_api_key, list_api_keys, revoke_api_key
from web.acting import ApiUow, key_acting
from web.api.v1.access import ShopAdmin
from web.api.v1.responses import BODY_ERRORS, ERRORS
from web.api.v1.schemas import ApiKeyOut, Input, NewApiKeyOut
from web.deps import ClockDep, UowDep

router = APIRouter(tags=["api keys"])
Prefix = Annotated[str, Path(pattern=r"^bp_[A-Za-z0-9_-]{7}$", description="As listed")]


class ApiKeyIn(Input):
    """A new key of this shop: who it is for, what it may do, and for how long."""

    name: str = Field(min_length=1, max_length=120)
    scope: Literal["read", "book", "admin"] = Field(
        default="read", description="read: look; book: also book, cancel and move; admin: all"
    )
    expires_days: Annotated[StrictInt, Field(ge=1, le=3650)] | None = Field(
        default=None, description="Days until it stops working; none: until revoked"
    )


@router.get("/shops/{slug}/api-keys", responses=ERRORS)
async def list_keys(access: ShopAdmin, uow_factory: UowDep) -> list[ApiKeyOut]:
    """The shop's keys, revoked ones included (never their secrets)."""
    keys = await list_api_keys(uow_factory.engine, access.shop.id)
    return [ApiKeyOut.from_key(k) for k in keys]


@router.post("/shops/{slug}/api-keys", status_code=201, responses=BODY_ERRORS)
async def new_key(
    request: Request, access: ShopAdmin, body: ApiKeyIn, uow_factory: ApiUow, clock: ClockDep
) -> NewApiKeyOut:
    """A new key of this shop; its secret is in this answer only."""
    now = clock.now()
    expires = None if body.expires_days is None else now + timedelta(days=body.expires_days)
    issued = await create_api_key(
        uow_factory.engine,
        body.name,
        now,
        shop_id=access.shop.id,
        scope=Scope(body.scope),
        expires_at=expires,
        acting=key_acting(request, access.key, now),
    )
    return NewApiKeyOut.from_issued(issued)


@router.delete("/shops/{slug}/api-keys/{prefix}", responses=ERRORS)
async def revoke_key(
    request: Request, access: ShopAdmin, prefix: Prefix, uow_factory: ApiUow, clock: ClockDep
) -> ApiKeyOut:
    """Revoke a key of this shop: it gets 401 from now on."""
    now = clock.now()
    acting = key_acting(request, access.key, now)
    key = await revoke_api_key(
        uow_factory.engine, prefix, now, shop_id=access.shop.id, acting=acting
    )
    return ApiKeyOut.from_key(key)
