"""/metrics on the real channels: Telegram's webhook outcomes and chat turns, and the sends the
outbox retries or gives up, counted as they happen."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.storage.uow import UnitOfWorkFactory
from tests.channels.delivery import outbox, pump
from tests.channels.live import TelegramUser
from tests.fakes.telegram_api import FakeTelegram, text_update
from tests.helpers import FixedClock, platform_key
from tests.web.test_metrics import samples, value

Live = tuple[FastAPI, httpx.AsyncClient]


async def scrape(client: httpx.AsyncClient, engine: AsyncEngine, clock: FixedClock) -> str:
    key = await platform_key(engine, clock.now())
    response = await client.get("/metrics", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200, response.text
    return response.text


async def test_telegram_webhooks_and_turns_are_counted(
    live: Live, fake_telegram: FakeTelegram, engine: AsyncEngine, clock: FixedClock
) -> None:
    app, client = live
    ana = TelegramUser(app, client, fake_telegram, chat_id=801, first_name="Ana")
    update = text_update(900_001, 801, "hola", "Ana")

    forged = await ana.post(update, secret="not-the-secret")
    first = await ana.post(update)
    again = await ana.post(update)  # Telegram delivers it again
    await pump(app)
    text = await scrape(client, engine, clock)

    assert [forged.status_code, first.status_code, again.status_code] == [403, 200, 200]

    def webhooks(outcome: str) -> float:
        return value(text, "barberpro_webhooks_total", source="telegram", outcome=outcome)

    assert [webhooks(o) for o in ("accepted", "forged", "duplicate", "error")] == [1, 1, 1, 0]
    assert value(text, "barberpro_chat_turns_total", channel="telegram") == 1
    assert value(text, "barberpro_chat_turn_seconds_count", channel="telegram") == 1
    labels = {v for sample in samples(text) for v in sample.labels.values()}
    assert not any("801" in v or "Ana" in v for v in labels)  # no chat ids or names


async def pump_until(app: FastAPI, done: Callable[[], Awaitable[bool]]) -> None:
    """Pump the outbox until `done` (the app's own loop may be holding a claim meanwhile)."""
    for _ in range(100):
        await pump(app)
        if await done():
            return
    raise AssertionError("the outbox never got there")


async def test_failed_sends_are_counted_as_retried_or_given_up(
    live: Live,
    fake_telegram: FakeTelegram,
    engine: AsyncEngine,
    clock: FixedClock,
    uow_factory: UnitOfWorkFactory,
) -> None:
    app, client = live
    gone = TelegramUser(app, client, fake_telegram, chat_id=811, first_name="Pablo")
    fake_telegram.block_chat(811)  # 403: given up at once

    async def all_given_up() -> bool:
        rows = await outbox(uow_factory, "811")
        return bool(rows) and {r.status for r in rows} == {"failed"}

    async def retried() -> bool:
        return any(r.attempts == 1 for r in await outbox(uow_factory, "812"))

    await gone.post(text_update(900_011, 811, "hola", "Pablo"))
    await pump_until(app, all_given_up)
    fake_telegram.fail_next(500, times=1)  # a 5xx: retried later
    stays = TelegramUser(app, client, fake_telegram, chat_id=812, first_name="Ana")
    await stays.post(text_update(900_012, 812, "hola", "Ana"))
    await pump_until(app, retried)

    text = await scrape(client, engine, clock)

    def failures(outcome: str) -> float:
        return value(
            text, "barberpro_outbox_send_failures_total", channel="telegram", outcome=outcome
        )

    assert failures("gave_up") == len(await outbox(uow_factory, "811"))
    assert failures("retry") == 1
