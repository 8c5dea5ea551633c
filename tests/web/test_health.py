"""Readiness tells a migrated database from one that is not."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.settings import Settings
from tests.helpers import FixedClock
from web.app import create_app


@pytest.fixture
async def unmigrated(tmp_path: Path, clock: FixedClock) -> AsyncIterator[httpx.AsyncClient]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
    app = create_app(Settings(database_url=url, _env_file=None), clock)  # type: ignore[call-arg]
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


async def test_readiness_is_503_until_the_database_is_migrated(
    unmigrated: httpx.AsyncClient,
) -> None:
    response = await unmigrated.get("/readyz")

    assert response.status_code == 503
    assert response.json()["status"] == "not_ready"
    assert response.json()["database"]["revision"] is None
    assert (await unmigrated.get("/healthz")).status_code == 200


async def test_the_bare_address_leads_to_the_api_docs(anonymous: httpx.AsyncClient) -> None:
    response = await anonymous.get("/")

    assert response.status_code == 307
    assert response.headers["location"] == "/docs"
