"""No personal data in the logs: a whole demo walk (sandbox booking paid with Mercado Pago, a
WhatsApp conversation through the fake Twilio, a Telegram one through the fake Bot API, a
refused WhatsApp send) with every logger captured at DEBUG, and no phone, name, chat id or
message text in any record. The privacy filter is not installed here: the log calls
themselves must be clean."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import AsyncIterator, Iterator
from datetime import datetime

import httpx
import pytest
from fastapi import FastAPI

import bot.channels.runtime
from bot.demo import seed_demo
from bot.log_setup import JsonFormatter
from domain.storage.uow import UnitOfWorkFactory
from tests.channels.live import (
    TelegramUser,
    WhatsAppUser,
    channel_settings,
    live_app,
    settle,
)
from tests.fakes.mercadopago_api import TEST_ACCESS_TOKEN, TEST_WEBHOOK_SECRET, FakeMercadoPago
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.twilio_api import FakeTwilio
from tests.helpers import FixedClock, platform_key
from tests.web.chat import background_round, customer

App = tuple[FastAPI, httpx.AsyncClient]

# Distinct subscriber numbers, so a number is found however it was written (E.164, spaced).
TELEGRAM_PHONE = "+54 9 11 6123-4987"
WHATSAPP_ADDRESS = "whatsapp:+5491172849361"
REFUSED_ADDRESS = "whatsapp:+5491183920475"
SUBSCRIBERS = ("61234987", "72849361", "83920475")
TELEGRAM_CHAT = 730194582
NAMES = ("Rigoberta", "Anselmo", "Eustaquia")


@pytest.fixture
def fake_mp() -> Iterator[FakeMercadoPago]:
    with FakeMercadoPago() as fake:
        yield fake


@pytest.fixture
async def everything(
    database_url: str,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    fake_telegram: FakeTelegram,
    fake_twilio: FakeTwilio,
    fake_mp: FakeMercadoPago,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[App]:
    """The demo shop's app with every channel on (sandbox, Telegram, WhatsApp) and Mercado
    Pago, all on their fakes."""
    monkeypatch.setattr(bot.channels.runtime, "FLOOD_BURST", 1000)  # scripted people type fast
    await seed_demo(uow_factory, clock, history=False)
    settings = channel_settings(database_url, fake_telegram, fake_twilio).model_copy(
        update={
            "sandbox": True,
            "mercadopago_access_token": TEST_ACCESS_TOKEN,
            "mercadopago_webhook_secret": TEST_WEBHOOK_SECRET,
            "mercadopago_api_url": fake_mp.url,
        }
    )
    async with live_app(settings, clock) as pair:
        yield pair


def leaks(text: str, said: list[str]) -> list[str]:
    """The personal data found in `text`: phone numbers (any spelling), names, message texts."""
    found = [s for s in SUBSCRIBERS if s in re.sub(r"\D", "", text)]
    found += [str(TELEGRAM_CHAT)] if str(TELEGRAM_CHAT) in text else []
    found += [n for n in NAMES if n.lower() in text.lower()]
    return found + [s for s in said if s.lower() in text.lower()]


def fragments(texts: list[str]) -> list[str]:
    """Distinctive pieces of message texts (their lines of 12 characters or more)."""
    lines = (line.strip() for text in texts for line in text.splitlines())
    return sorted({line for line in lines if len(line) >= 12})


async def test_a_demo_walk_on_every_channel_logs_no_phone_name_or_message_text(
    everything: App,
    fake_telegram: FakeTelegram,
    fake_twilio: FakeTwilio,
    fake_mp: FakeMercadoPago,
    clock: FixedClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    app, client = everything
    caplog.set_level(logging.DEBUG)  # the root: every logger without a level of its own
    said: list[str] = []

    # The sandbox: a corte paid with Mercado Pago.
    ana = await customer(client, "sandbox-anselmo", "Anselmo")
    await ana.say("corte con Tincho el miércoles a las 16")
    await ana.tap("Mercado Pago")
    await ana.tap("Confirmar")
    said += [ana.text]
    [preference] = fake_mp.preferences()
    payment = fake_mp.pay(preference["id"])
    path, headers, body = fake_mp.notification(payment["id"], ts=int(clock.now().timestamp()))
    assert (await client.post(path, json=body, headers=headers)).status_code == 200
    await background_round(app, rounds=3)

    # Telegram: a greeting, a name, the contact shared, a question.
    rigoberta = TelegramUser(app, client, fake_telegram, TELEGRAM_CHAT, first_name="Rigoberta")
    for text in ("hola, buen día", "Rigoberta"):
        said += [m["text"] for m in await rigoberta.say(text)]
    said += [m["text"] for m in await rigoberta.share_contact(TELEGRAM_PHONE)]
    said += [m["text"] for m in await rigoberta.say("¿tenés algo el jueves a la tarde?")]

    # WhatsApp: a greeting and a name; then a number Twilio refuses (the error quotes it).
    eustaquia = WhatsAppUser(app, client, fake_twilio, WHATSAPP_ADDRESS, "Eustaquia")
    for text in ("hola, buenas tardes", "Eustaquia", "quiero sacar turno para barba"):
        said += await eustaquia.say(text)
    fake_twilio.fail_next(400, code=21211, message=f"The 'To' number {REFUSED_ADDRESS} is bad")
    refused = WhatsAppUser(app, client, fake_twilio, REFUSED_ADDRESS, "Eustaquia")
    await refused.say("holaaa, ¿me pasás los precios?")
    await settle(app)
    operator = await platform_key(app.state.uow_factory.engine, clock.now())
    ready = await client.get("/readyz", headers={"Authorization": f"Bearer {operator}"})

    assert "****-0475" in ready.json()["outbox"]["last_failure"], ready.json()
    sent = [
        "corte con Tincho el miércoles a las 16",
        "hola, buen día",
        "¿tenés algo el jueves a la tarde?",
        "hola, buenas tardes",
        "quiero sacar turno para barba",
        "holaaa, ¿me pasás los precios?",
    ]
    texts = sent + fragments(said)
    assert len(texts) > 10, texts  # the walk did talk
    assert any(r.name == "bot.outbox" and "gave up" in r.getMessage() for r in caplog.records)
    for record in caplog.records:
        line = record.getMessage() + (caplog.handler.format(record) if record.exc_info else "")
        assert not leaks(line, texts), (leaks(line, texts), record.name, line)
    assert not leaks(caplog.text, texts), leaks(caplog.text, texts)


async def test_a_chat_turns_log_lines_carry_an_id_of_their_own_in_json(
    everything: App, fake_twilio: FakeTwilio, caplog: pytest.LogCaptureFixture
) -> None:
    """A turn runs after its webhook answered: its lines get their own id, not the request's."""
    app, client = everything
    caplog.set_level(logging.INFO)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logging.getLogger().addHandler(handler)
    try:
        eustaquia = WhatsAppUser(app, client, fake_twilio, WHATSAPP_ADDRESS, "Eustaquia")
        requests = []
        for text in ("hola", "Eustaquia", "Hablar con alguien", "¿atienden el feriado?"):
            if text == "Hablar con alguien":
                text = str(eustaquia.number_of(text))
            answer = await eustaquia.post(eustaquia.form(text))
            requests.append(answer.headers["X-Request-ID"])
            await eustaquia.replies()
    finally:
        logging.getLogger().removeHandler(handler)

    entries = [json.loads(line) for line in stream.getvalue().splitlines()]
    [left] = [e for e in entries if e["message"] == "message for don-julio from a whatsapp chat"]
    assert left["logger"] == "bot.dispatcher"
    assert left["level"] == "INFO"
    assert re.fullmatch(r"[0-9a-f]{32}", left["request_id"]), left
    assert left["request_id"] not in requests, "the turn's own id, not its webhook's"
    assert datetime.fromisoformat(left["time"]).tzinfo is not None
