"""An API client on the real app, the test's database and a fixed clock."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.demo import seed_demo
from bot.settings import Settings
from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock, platform_key
from tests.web.chat import sandbox_app, sandbox_client
from web.app import create_app


@pytest.fixture
async def api_key(engine: AsyncEngine, clock: FixedClock) -> str:
    """A platform key: the operator's, which acts on every shop (shop keys: `shop_key`)."""
    return await platform_key(engine, clock.now())


@pytest.fixture
async def anonymous(database_url: str, clock: FixedClock) -> AsyncIterator[httpx.AsyncClient]:
    """A client without credentials."""
    app = create_app(Settings(database_url=database_url, _env_file=None), clock)  # type: ignore[call-arg]
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


@pytest.fixture
async def sandbox(database_url: str, clock: FixedClock) -> AsyncIterator[httpx.AsyncClient]:
    """A client on an app with the sandbox channel on."""
    async with sandbox_client(database_url, clock) as client:
        yield client


@pytest.fixture
async def app_and_web(
    database_url: str, clock: FixedClock
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """The app with the sandbox on and its loops running on the test's clock, and a client."""
    async with sandbox_app(database_url, clock) as pair:
        yield pair


@pytest.fixture
def app(app_and_web: tuple[FastAPI, httpx.AsyncClient]) -> FastAPI:
    """That app."""
    return app_and_web[0]


@pytest.fixture
def web(app_and_web: tuple[FastAPI, httpx.AsyncClient]) -> httpx.AsyncClient:
    """A client on that app."""
    return app_and_web[1]


@pytest.fixture
def client(anonymous: httpx.AsyncClient, api_key: str) -> httpx.AsyncClient:
    """A client that sends a valid API key."""
    anonymous.headers["Authorization"] = f"Bearer {api_key}"
    return anonymous


@pytest.fixture
async def demo(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> None:
    """The demo shop, seeded as `barberpro demo seed` does but without its past turnos (a
    second a test on PostgreSQL; the tests that need them seed them: tests/web/test_numbers.py,
    the browser's `served`)."""
    await seed_demo(uow_factory, clock, history=False)
