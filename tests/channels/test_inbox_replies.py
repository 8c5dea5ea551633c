"""The shop answers a customer's «hablar con alguien» through the REST API, and the answer
reaches the very chat they wrote from: on WhatsApp through the fake Twilio (as the
outside_window template once their 24 hours are over), on Telegram through the fake Bot API.

The clock: Tuesday 2026-12-01, 09:00 in Buenos Aires; the demo shop, Barbería Don Julio.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

import bot.channels.runtime
from domain.storage.channels import set_whatsapp_template
from tests.channels.live import TelegramUser, WhatsAppUser, settle
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.twilio_api import FakeTwilio
from tests.helpers import FixedClock, shop_key

App = tuple[FastAPI, httpx.AsyncClient]
LUCIA = "whatsapp:+5491155550000"
OUTSIDE_WINDOW = "HX" + "0a" * 16
SHOP = "Barbería Don Julio (Palermo)"


@pytest.fixture
def chat(live: App, monkeypatch: pytest.MonkeyPatch) -> App:
    """The live app with per-chat flood control lifted: a scripted person types fast."""
    monkeypatch.setattr(bot.channels.runtime, "FLOOD_BURST", 1000)
    return live


async def answer(app: App, clock: FixedClock, text: str) -> dict[str, Any]:
    """The owner lists the unread messages and answers the one there, through the REST API."""
    key = await shop_key(app[0].state.engine, "don-julio", clock.now())
    headers = {"Authorization": f"Bearer {key}"}
    inbox = "/api/v1/shops/don-julio/messages"
    [unread] = (await app[1].get(inbox, params={"unread": "true"}, headers=headers)).json()
    sent = await app[1].post(f"{inbox}/{unread['id']}/reply", json={"text": text}, headers=headers)
    assert sent.status_code == 201, sent.text
    await settle(app[0])
    return dict(unread)


async def test_a_whatsapp_customer_gets_the_answer_from_the_number_they_wrote_to(
    chat: App, fake_twilio: FakeTwilio, clock: FixedClock
) -> None:
    lucia = WhatsAppUser(chat[0], chat[1], fake_twilio, LUCIA)
    await lucia.say("hola")
    await lucia.say("Lucía")
    await lucia.pick("Hablar con alguien")
    await lucia.say("¿Tienen estacionamiento?")

    message = await answer(chat, clock, "Sí, en la esquina.")

    assert (message["channel"], message["chat_id"]) == ("whatsapp", LUCIA)
    assert await lucia.replies() == [f"💬 {SHOP}: Sí, en la esquina."]


async def test_after_24_hours_the_answer_goes_as_the_approved_template(
    chat: App, fake_twilio: FakeTwilio, clock: FixedClock
) -> None:
    await set_whatsapp_template(chat[0].state.uow_factory, 1, "outside_window", OUTSIDE_WINDOW)
    lucia = WhatsAppUser(chat[0], chat[1], fake_twilio, LUCIA)
    await lucia.say("hola")
    await lucia.say("Lucía")
    await lucia.pick("Hablar con alguien")
    await lucia.say("¿Tienen estacionamiento?")
    clock.advance(hours=25)

    await answer(chat, clock, "Sí, en la esquina.")

    template = fake_twilio.sent(LUCIA)[-1]["params"]
    assert template["ContentSid"] == OUTSIDE_WINDOW, template
    assert json.loads(template["ContentVariables"])["1"] == f"💬 {SHOP}: Sí, en la esquina."


async def test_a_telegram_customer_gets_the_answer_in_their_chat(
    chat: App, fake_telegram: FakeTelegram, clock: FixedClock
) -> None:
    martina = TelegramUser(chat[0], chat[1], fake_telegram, chat_id=501)
    await martina.say("hola")
    await martina.say("Martina")
    await martina.tap("Hablar con alguien")
    await martina.say("¿Cortan a domicilio?")

    message = await answer(chat, clock, "No, solo en el local.")

    assert (message["channel"], message["chat_id"]) == ("telegram", "501")
    assert [m["text"] for m in await martina.replies()] == [f"💬 {SHOP}: No, solo en el local."]
