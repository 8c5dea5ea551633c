"""FastAPI dependencies, as plain annotated types so routes read naturally."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request

from bot.settings import Settings
from domain.ports import Clock
from domain.storage.apikeys import api_key_name
from domain.storage.uow import UnitOfWorkFactory


def get_uow_factory(request: Request) -> UnitOfWorkFactory:
    """The app's unit-of-work factory."""
    factory: UnitOfWorkFactory = request.app.state.uow_factory
    return factory


def get_clock(request: Request) -> Clock:
    """The app's clock (tests inject a fixed one)."""
    clock: Clock = request.app.state.clock
    return clock


def get_settings(request: Request) -> Settings:
    """The app's settings."""
    settings: Settings = request.app.state.settings
    return settings


UowDep = Annotated[UnitOfWorkFactory, Depends(get_uow_factory)]
ClockDep = Annotated[Clock, Depends(get_clock)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


async def require_api_key(
    uow_factory: UowDep, authorization: Annotated[str | None, Header()] = None
) -> str:
    """The caller's key name; 401 without a valid `Authorization: Bearer <key>`."""
    scheme, _, key = (authorization or "").partition(" ")
    if not hmac.compare_digest(scheme.lower(), "bearer") or not key.strip():
        raise HTTPException(
            401, "send Authorization: Bearer <api key>", headers={"WWW-Authenticate": "Bearer"}
        )
    name = await api_key_name(uow_factory.engine, key.strip())
    if name is None:
        raise HTTPException(
            401, "unknown or revoked API key", headers={"WWW-Authenticate": "Bearer"}
        )
    return name


ApiKeyDep = Annotated[str, Depends(require_api_key)]
