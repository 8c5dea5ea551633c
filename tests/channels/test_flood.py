"""Per-chat flood control: one customer's burst of 50 messages, another customer chatting."""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest
from fastapi import FastAPI

from domain.storage.uow import UnitOfWorkFactory
from tests.channels.delivery import inbound_statuses, telegram_texts
from tests.channels.live import TelegramUser, settle
from tests.fakes.telegram_api import FakeTelegram, text_update

SLOW_DOWN = "¡Pará un poquito! Son muchos mensajes juntos 🙂 Dame un segundo y escribime de nuevo."
GREETING = "¡Hola! Soy el asistente de Barbería Don Julio (Palermo)."


async def test_fifty_messages_at_once_get_one_slow_down_and_the_bot_keeps_serving_others(
    live: tuple[FastAPI, httpx.AsyncClient],
    fake_telegram: FakeTelegram,
    uow_factory: UnitOfWorkFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """50 webhook posts from one chat at once: one polite slow-down, most throttled, no errors,
    and a second customer writing meanwhile is answered as usual."""
    app, client = live
    flooder = TelegramUser(app, client, fake_telegram, chat_id=701, first_name="Nacho")
    calm = TelegramUser(app, client, fake_telegram, chat_id=702, first_name="Martina")
    posts = [flooder.post(text_update(700_000 + n, 701, f"hola {n}", "Nacho")) for n in range(50)]
    posts.insert(25, calm.post(text_update(700_100, 702, "hola", "Martina")))

    with caplog.at_level(logging.WARNING):
        responses = await asyncio.gather(*posts)
        await settle(app)

    assert [r.status_code for r in responses] == [200] * 51
    assert all(r.json() == {"ok": True, "duplicate": False} for r in responses)
    statuses = await inbound_statuses(uow_factory, "701")
    assert sum(statuses.values()) == 50, statuses
    assert statuses["throttled"] >= 30, statuses
    assert statuses["done"] >= 1, statuses
    assert set(statuses) <= {"done", "throttled"}, statuses
    flood_replies = telegram_texts(fake_telegram, 701)
    assert flood_replies.count(SLOW_DOWN) == 1, flood_replies
    assert GREETING in flood_replies

    assert telegram_texts(fake_telegram, 702) == [GREETING, "¿Cómo te llamás?"]
    assert await inbound_statuses(uow_factory, "702") == {"done": 1}
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []

    calm.seen = len(telegram_texts(fake_telegram, 702))
    answer = await calm.say("Martina")
    assert answer[0]["text"] == "¡Un gusto, Martina!"


async def test_a_flooding_chat_is_served_again_after_a_pause(
    live: tuple[FastAPI, httpx.AsyncClient],
    fake_telegram: FakeTelegram,
    uow_factory: UnitOfWorkFactory,
) -> None:
    """Throttling is a pause, not a ban: a second later the same chat is answered again."""
    app, client = live
    flooder = TelegramUser(app, client, fake_telegram, chat_id=711, first_name="Nacho")
    await asyncio.gather(
        *(flooder.post(text_update(710_000 + n, 711, "hola", "Nacho")) for n in range(20))
    )
    await settle(app)
    assert (await inbound_statuses(uow_factory, "711"))["throttled"] >= 10
    flooder.seen = len(telegram_texts(fake_telegram, 711))

    await asyncio.sleep(1.1)  # the flood bucket refills one message a second, in real time
    replies = await flooder.say("quiero un corte")
    assert replies, "answered again"
    assert all(m["text"] != SLOW_DOWN for m in replies)
    assert (await inbound_statuses(uow_factory, "711"))["done"] >= 2
