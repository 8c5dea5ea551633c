"""/readyz is public: counts and states for anyone; the reasons behind them (the last delivery
failure) only for the platform's operators, and never with a whole phone number."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.settings import Settings
from domain.access import Scope
from domain.storage.tables import OutboxRow
from domain.storage.uow import UnitOfWorkFactory
from tests.fakes.telegram_api import free_port
from tests.helpers import FixedClock, platform_key, shop_key
from web.app import create_app

pytestmark = pytest.mark.usefixtures("demo")

REASON = "gave up: 400 (code 21211): The 'To' number whatsapp:+5491155553333 is not valid"


@pytest.fixture
async def failed_delivery(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> None:
    """A message given up on, its reason quoting the number (as an older release stored it)."""
    async with uow_factory() as uow:
        uow.session.add(
            OutboxRow(
                channel="whatsapp",
                chat_id="whatsapp:+5491155553333",
                shop_id=None,
                payload="{}",
                status="failed",
                attempts=1,
                created_at=clock.now(),
                due_at=clock.now(),
                last_error=REASON,
            )
        )
        await uow.commit()


async def readyz(client: httpx.AsyncClient, key: str | None) -> dict[str, Any]:
    headers = {} if key is None else {"Authorization": f"Bearer {key}"}
    response = await client.get("/readyz", headers=headers)
    assert response.status_code == 200, response.text
    assert "55553333" not in response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.usefixtures("failed_delivery")
async def test_without_a_platform_key_readyz_shows_counts_and_states_only(
    anonymous: httpx.AsyncClient, engine: AsyncEngine, clock: FixedClock
) -> None:
    a_shops_key = await shop_key(engine, "don-julio", clock.now(), Scope.ADMIN)

    for key in (None, "not-a-key", a_shops_key):
        body = await readyz(anonymous, key)

        assert body["outbox"] == {"pending": 0, "failed": 1, "oldest_pending": None}, key
        assert body["status"] == "ready"
        assert body["channels"] == {"telegram": "off", "whatsapp": "off", "sandbox": "off"}


@pytest.mark.usefixtures("failed_delivery")
async def test_an_operator_sees_the_last_failure_with_the_number_masked(
    anonymous: httpx.AsyncClient, engine: AsyncEngine, clock: FixedClock
) -> None:
    operator = await platform_key(engine, clock.now())

    body = await readyz(anonymous, operator)

    assert body["outbox"] == {
        "pending": 0,
        "failed": 1,
        "oldest_pending": None,
        "last_failure": "gave up: 400 (code 21211): "
        "The 'To' number whatsapp:+54 9 11 ****-3333 is not valid",
    }


async def test_an_operator_sees_no_failure_when_there_is_none(
    anonymous: httpx.AsyncClient, engine: AsyncEngine, clock: FixedClock
) -> None:
    body = await readyz(anonymous, await platform_key(engine, clock.now()))

    assert body["outbox"] == {
        "pending": 0,
        "failed": 0,
        "oldest_pending": None,
        "last_failure": None,
    }


async def test_a_channels_error_is_for_operators_its_state_for_everyone(
    database_url: str, engine: AsyncEngine, clock: FixedClock
) -> None:
    nobody_listens = f"http://127.0.0.1:{free_port()}"
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=database_url,
        telegram_token="123456:TEST-token",
        telegram_api_url=nobody_listens,
    )
    app = create_app(settings, clock)
    operator = await platform_key(engine, clock.now())
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            public = await readyz(client, None)
            detailed = await readyz(client, operator)

    assert public["channels"] == {"telegram": "unreachable", "whatsapp": "off", "sandbox": "off"}
    telegram = detailed["channels"]["telegram"]
    assert telegram.startswith("unreachable: "), telegram
