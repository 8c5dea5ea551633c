"""FastAPI dependencies, as plain annotated types so routes read naturally.

Every dependency is `async def`, even one that only reads app.state: FastAPI runs a plain
`def` dependency on a worker thread: a hop there and back on every request, for a lookup
(tests/web/test_dependencies_async.py keeps it so)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from bot.catalog_cache import CatalogCache
from bot.settings import Settings
from domain.ports import Clock
from domain.storage.uow import UnitOfWorkFactory


async def get_uow_factory(request: Request) -> UnitOfWorkFactory:
    """The app's unit-of-work factory."""
    factory: UnitOfWorkFactory = request.app.state.uow_factory
    return factory


async def get_clock(request: Request) -> Clock:
    """The app's clock (tests inject a fixed one)."""
    clock: Clock = request.app.state.clock
    return clock


async def get_settings(request: Request) -> Settings:
    """The app's settings."""
    settings: Settings = request.app.state.settings
    return settings


UowDep = Annotated[UnitOfWorkFactory, Depends(get_uow_factory)]
ClockDep = Annotated[Clock, Depends(get_clock)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


async def get_catalogs(request: Request) -> CatalogCache:
    """The chat's copy of each shop's catalog: forget it after a change made here."""
    catalogs: CatalogCache = request.app.state.dispatcher.catalogs
    return catalogs


CatalogsDep = Annotated[CatalogCache, Depends(get_catalogs)]


async def get_channels(request: Request) -> dict[str, Any]:
    """The messaging channels running in this process, by name."""
    channels: dict[str, Any] = request.app.state.channels
    return channels


ChannelsDep = Annotated[dict[str, Any], Depends(get_channels)]
