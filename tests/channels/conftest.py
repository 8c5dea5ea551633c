"""Fixtures: the fake Telegram and Twilio servers, and the app with both channels on them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from fastapi import FastAPI

from bot.demo import seed_demo
from domain.storage.uow import UnitOfWorkFactory
from tests.channels.live import channel_settings, live_app
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.twilio_api import FakeTwilio
from tests.helpers import FixedClock


@pytest.fixture
def fake_telegram() -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        yield fake


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    with FakeTwilio() as fake:
        yield fake


@pytest.fixture
async def live(
    database_url: str,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    fake_telegram: FakeTelegram,
    fake_twilio: FakeTwilio,
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """The demo shop's app with Telegram and WhatsApp on the fakes (rate limits lifted); the
    demo's past turnos left out, as the chats make their own."""
    await seed_demo(uow_factory, clock, history=False)
    settings = channel_settings(database_url, fake_telegram, fake_twilio)
    async with live_app(settings, clock) as pair:
        yield pair
