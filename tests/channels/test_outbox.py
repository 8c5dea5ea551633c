"""The outbox against channels that misbehave: 429s, 5xx, a blocked bot, per-chat order and pace.

The worker runs on the app's clock: a retry due in 30 s is sent once the test moves the fixed
clock past it (`pump` delivers what is due now and leaves the rest pending).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI

from bot.demo import seed_demo
from bot.outbox import GIVE_UP_AFTER, MAX_ATTEMPTS
from domain.storage.channels import OutboxMessage, enqueue_messages, record_inbound
from domain.storage.uow import UnitOfWorkFactory
from tests.channels.delivery import (
    outbox,
    pump,
    readyz_outbox,
    telegram_attempts,
    telegram_texts,
    twice,
    whatsapp_attempts,
    whatsapp_texts,
    write,
    write_whatsapp,
)
from tests.channels.live import TelegramUser, WhatsAppUser, channel_settings, live_app
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.twilio_api import FakeTwilio
from tests.helpers import FixedClock, platform_key

Live = tuple[FastAPI, httpx.AsyncClient]
LUCIA = "whatsapp:+5491155550000"


async def queue_texts(
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    channel: str,
    chat_id: str,
    *texts: str,
    shop_id: int | None = None,
) -> None:
    """Put plain text messages for one chat in the outbox, as a turn's replies would be."""
    payloads = [
        {"text": text, "choices": [], **({"numbered": text} if channel == "whatsapp" else {})}
        for text in texts
    ]
    messages = [OutboxMessage(channel, chat_id, payload, shop_id) for payload in payloads]
    await enqueue_messages(uow_factory, messages, clock.now())


async def open_whatsapp_window(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, address: str
) -> None:
    """Record an inbound message from `address`: WhatsApp's 24-hour window is open."""
    sid = f"SM{abs(hash(address)):032x}"[:34]
    payload = {"channel": "whatsapp", "external_id": sid, "chat_id": address}
    await record_inbound(uow_factory, "whatsapp", sid, address, payload, clock.now())


# ---- Telegram 429 -----------------------------------------------------------------------------


async def test_telegram_429_waits_retry_after_and_pauses_the_whole_channel(
    live: Live, fake_telegram: FakeTelegram, clock: FixedClock, uow_factory: UnitOfWorkFactory
) -> None:
    """A 429 with retry_after 30 holds that message and every other chat's until 30 s passed."""
    app, client = live
    martina = TelegramUser(app, client, fake_telegram, chat_id=601, first_name="Martina")
    juan = TelegramUser(app, client, fake_telegram, chat_id=602, first_name="Juan")
    fake_telegram.fail_next(429, times=1, retry_after=30)

    await write(martina, "hola")
    await pump(app)
    assert telegram_attempts(fake_telegram, 601) == [429]
    first = (await outbox(uow_factory, "601"))[0]
    assert first.status == "pending"
    assert first.due_at == clock.now() + timedelta(seconds=30)
    assert "429" in str(first.last_error)

    await write(juan, "hola")  # another chat, after the 429: the channel is paused
    await pump(app)
    clock.advance(seconds=29)
    await pump(app)
    assert telegram_attempts(fake_telegram, 601) == [429]
    assert telegram_attempts(fake_telegram, 602) == [], "the pause is for the whole bot"

    clock.advance(seconds=1)
    await pump(app)
    rows = await outbox(uow_factory)
    assert [r.status for r in rows] == ["sent"] * len(rows)
    for chat in ("601", "602"):
        texts = telegram_texts(fake_telegram, chat)
        assert texts == [r.text for r in rows if r.chat_id == chat], texts
        assert texts[0].startswith("¡Hola!")


async def test_telegram_429_for_a_while_loses_nothing_and_sends_nothing_twice(
    live: Live, fake_telegram: FakeTelegram, clock: FixedClock, uow_factory: UnitOfWorkFactory
) -> None:
    """Flood control for about 40 s (429, retry after 1 s, 40 times): then every reply goes out
    exactly once, though each chat's first message met some 20 of those 429s."""
    app, client = live
    people = [
        TelegramUser(app, client, fake_telegram, chat_id=chat, first_name=name)
        for chat, name in ((611, "Martina"), (612, "Juan"))
    ]
    fake_telegram.fail_next(429, times=40, retry_after=1)
    for person in people:
        await write(person, "hola")
        await write(person, "Lucas")  # their name: a second turn, more replies

    for _ in range(100):
        await pump(app)
        if fake_telegram.pending_failures() == [] and all(
            r.status != "pending" for r in await outbox(uow_factory)
        ):
            break
        clock.advance(seconds=1)
    rows = await outbox(uow_factory)
    assert {r.status for r in rows} == {"sent"}, [(r.text, r.status, r.last_error) for r in rows]
    for person in people:
        refusals = telegram_attempts(fake_telegram, person.chat_id).count(429)
        assert refusals > MAX_ATTEMPTS, "more 429s than a failing message is allowed tries"
        texts = telegram_texts(fake_telegram, person.chat_id)
        assert texts == [r.text for r in rows if r.chat_id == str(person.chat_id)]
        assert twice(texts) == [], "nothing is sent twice"
        assert "¿Cómo te llamás?" in texts


# ---- Telegram 5xx -----------------------------------------------------------------------------


async def test_telegram_500_backs_off_then_delivers_once(
    live: Live, fake_telegram: FakeTelegram, clock: FixedClock, uow_factory: UnitOfWorkFactory
) -> None:
    """Three 500s: retried after 1, 2 and 4 s (never earlier), then delivered exactly once."""
    app, _ = live
    fake_telegram.fail_next(500, times=3)
    await queue_texts(uow_factory, clock, "telegram", "621", "Tu turno es mañana a las 10")

    await pump(app)
    for wait, tries in ((1, 2), (2, 3), (4, 4)):
        clock.advance(seconds=wait - 0.5)
        await pump(app)
        assert len(telegram_attempts(fake_telegram, 621)) == tries - 1, "not before the backoff"
        clock.advance(seconds=0.5)
        await pump(app)
        assert len(telegram_attempts(fake_telegram, 621)) == tries

    assert telegram_attempts(fake_telegram, 621) == [500, 500, 500, 200]
    assert telegram_texts(fake_telegram, 621) == ["Tu turno es mañana a las 10"]
    [row] = await outbox(uow_factory, "621")
    assert (row.status, row.attempts) == ("sent", 4)


async def test_messages_of_a_chat_go_out_in_order_when_the_first_needs_retries(
    live: Live, fake_telegram: FakeTelegram, clock: FixedClock, uow_factory: UnitOfWorkFactory
) -> None:
    """While the first message waits for a retry, the chat's later ones wait behind it."""
    app, _ = live
    fake_telegram.fail_next(500, times=2)
    await queue_texts(uow_factory, clock, "telegram", "631", "uno", "dos", "tres")

    await pump(app)
    clock.advance(seconds=1)
    await pump(app)
    assert telegram_texts(fake_telegram, 631) == []
    assert [r.status for r in await outbox(uow_factory, "631")] == ["pending"] * 3

    clock.advance(seconds=2)
    await pump(app)
    assert telegram_texts(fake_telegram, 631) == ["uno", "dos", "tres"]
    assert telegram_attempts(fake_telegram, 631) == [500, 500, 200, 200, 200]


async def test_a_channel_failing_for_good_is_given_up_and_shown_on_readyz(
    live: Live, fake_telegram: FakeTelegram, clock: FixedClock, uow_factory: UnitOfWorkFactory
) -> None:
    """500 forever: retried with growing waits for at least GIVE_UP_AFTER and MAX_ATTEMPTS tries,
    then marked failed (kept, with the reason) and counted on /readyz."""
    app, client = live
    fake_telegram.fail_next(500, times=1000)
    queued = clock.now()
    await queue_texts(uow_factory, clock, "telegram", "641", "Recordatorio")

    for _ in range(40):
        await pump(app)
        [row] = await outbox(uow_factory, "641")
        if row.status != "pending":
            break
        clock.advance(seconds=300)
    assert row.status == "failed"
    assert row.attempts >= MAX_ATTEMPTS
    assert clock.now() - queued >= GIVE_UP_AFTER
    assert len(telegram_attempts(fake_telegram, 641)) == row.attempts
    assert "gave up" in str(row.last_error)
    delivery = await readyz_outbox(client, await platform_key(uow_factory.engine, clock.now()))
    assert delivery["failed"] == 1
    assert "gave up" in delivery["last_failure"]


# ---- a blocked bot ----------------------------------------------------------------------------


async def test_a_chat_that_blocked_the_bot_is_given_up_and_others_keep_theirs(
    live: Live, fake_telegram: FakeTelegram, clock: FixedClock, uow_factory: UnitOfWorkFactory
) -> None:
    """403 "blocked by the user": failed at once, never retried; other chats unaffected; /readyz."""
    app, client = live
    gone = TelegramUser(app, client, fake_telegram, chat_id=651, first_name="Pablo")
    stays = TelegramUser(app, client, fake_telegram, chat_id=652, first_name="Ana")
    fake_telegram.block_chat(651)

    await write(gone, "hola")
    await write(stays, "hola")
    await pump(app)
    clock.advance(hours=1)
    await pump(app)

    refused = await outbox(uow_factory, "651")
    assert refused
    assert {r.status for r in refused} == {"failed"}
    assert all("blocked" in str(r.last_error) for r in refused)
    assert telegram_attempts(fake_telegram, 651) == [403] * len(refused), "each tried once"
    assert telegram_texts(fake_telegram, 652)[:2] == [
        "¡Hola! Soy el asistente de Barbería Don Julio (Palermo).",
        "¿Cómo te llamás?",
    ]
    assert {r.status for r in await outbox(uow_factory, "652")} == {"sent"}

    delivery = await readyz_outbox(client, await platform_key(uow_factory.engine, clock.now()))
    assert delivery["failed"] >= 1
    assert delivery["pending"] == 0
    assert "blocked" in delivery["last_failure"]


# ---- WhatsApp through Twilio ------------------------------------------------------------------


async def test_twilio_429_backs_off_then_delivers_once(
    live: Live, fake_twilio: FakeTwilio, clock: FixedClock, uow_factory: UnitOfWorkFactory
) -> None:
    """Twilio's 429 (20429) twice: retried after 1 and 2 s, delivered once, in order."""
    app, _ = live
    await open_whatsapp_window(uow_factory, clock, LUCIA)
    fake_twilio.fail_next(429, times=2)
    await queue_texts(uow_factory, clock, "whatsapp", LUCIA, "Tu turno: jueves 17:00", "¡Gracias!")

    await pump(app)
    assert whatsapp_attempts(fake_twilio, LUCIA) == [429]
    clock.advance(seconds=1)
    await pump(app)
    assert whatsapp_attempts(fake_twilio, LUCIA) == [429, 429]
    clock.advance(seconds=1)
    await pump(app)
    assert whatsapp_texts(fake_twilio, LUCIA) == [], "the second backoff is 2 s"
    clock.advance(seconds=1)
    await pump(app)
    assert whatsapp_texts(fake_twilio, LUCIA) == ["Tu turno: jueves 17:00", "¡Gracias!"]
    assert {r.status for r in await outbox(uow_factory, LUCIA)} == {"sent"}


async def test_twilio_500_backs_off_then_delivers_once(
    live: Live, fake_twilio: FakeTwilio, clock: FixedClock, uow_factory: UnitOfWorkFactory
) -> None:
    """Twilio 500 three times: backoff 1, 2, 4 s, then one delivery."""
    app, _ = live
    await open_whatsapp_window(uow_factory, clock, LUCIA)
    fake_twilio.fail_next(500, times=3)
    await queue_texts(uow_factory, clock, "whatsapp", LUCIA, "Listo, te reservé el turno")

    await pump(app)
    for wait in (1, 2, 4):
        clock.advance(seconds=wait)
        await pump(app)
    assert whatsapp_attempts(fake_twilio, LUCIA) == [500, 500, 500, 201]
    assert whatsapp_texts(fake_twilio, LUCIA) == ["Listo, te reservé el turno"]
    [row] = await outbox(uow_factory, LUCIA)
    assert (row.status, row.attempts) == ("sent", 4)


async def test_twilio_429_retry_after_is_honoured(
    live: Live, fake_twilio: FakeTwilio, clock: FixedClock, uow_factory: UnitOfWorkFactory
) -> None:
    """A Twilio 429 saying Retry-After: 30 is not retried before 30 s."""
    app, _ = live
    await open_whatsapp_window(uow_factory, clock, LUCIA)
    fake_twilio.fail_next(429, times=1, retry_after=30)
    await queue_texts(uow_factory, clock, "whatsapp", LUCIA, "Tu turno: jueves 17:00")

    await pump(app)
    clock.advance(seconds=29)
    await pump(app)
    assert whatsapp_attempts(fake_twilio, LUCIA) == [429]
    clock.advance(seconds=1)
    await pump(app)
    assert whatsapp_texts(fake_twilio, LUCIA) == ["Tu turno: jueves 17:00"]


async def test_twilio_delivers_a_message_of_a_shop(
    live: Live, fake_twilio: FakeTwilio, clock: FixedClock, uow_factory: UnitOfWorkFactory
) -> None:
    """A WhatsApp message that belongs to a shop (its Content templates are looked up) goes out."""
    app, _ = live
    async with uow_factory.read_only() as uow:
        shop = await uow.catalog.shop_by_slug("don-julio")
    assert shop is not None
    await open_whatsapp_window(uow_factory, clock, LUCIA)
    await queue_texts(uow_factory, clock, "whatsapp", LUCIA, "Tu turno: jueves", shop_id=shop.id)

    await pump(app)
    assert whatsapp_texts(fake_twilio, LUCIA) == ["Tu turno: jueves"]


async def test_a_whatsapp_customer_is_answered_once_after_twilio_500s(
    live: Live, fake_twilio: FakeTwilio, clock: FixedClock, uow_factory: UnitOfWorkFactory
) -> None:
    """A customer's "hola" through the signed webhook, Twilio down for two tries: one answer."""
    app, client = live
    lucia = WhatsAppUser(app, client, fake_twilio, address=LUCIA)
    fake_twilio.fail_next(500, times=2)

    await write_whatsapp(lucia, "hola")
    await pump(app)
    for wait in (1, 2):
        clock.advance(seconds=wait)
        await pump(app)
    texts = whatsapp_texts(fake_twilio, LUCIA)
    assert len(texts) == 1, texts
    assert "Barbería Don Julio" in texts[0]


# ---- pacing with the real limits --------------------------------------------------------------


@pytest.fixture
async def paced(
    database_url: str,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    fake_telegram: FakeTelegram,
    fake_twilio: FakeTwilio,
) -> AsyncIterator[Live]:
    """The demo shop's app on the fakes with the channels' real rate limits."""
    await seed_demo(uow_factory, clock)
    settings = channel_settings(database_url, fake_telegram, fake_twilio)
    async with live_app(settings, clock, fast=False) as pair:
        yield pair


async def test_one_telegram_chat_gets_a_short_burst_then_about_one_message_a_second(
    paced: Live, fake_telegram: FakeTelegram, clock: FixedClock, uow_factory: UnitOfWorkFactory
) -> None:
    """Five messages to one chat with Telegram's real limits: a burst, then one a second at most."""
    app, _ = paced
    texts = [f"mensaje {n}" for n in range(1, 6)]
    await queue_texts(uow_factory, clock, "telegram", "661", *texts)
    app.state.outbox.wake()

    await fake_telegram.await_for(lambda _: len(fake_telegram.sent(661)) >= 5, timeout=20)
    sent = fake_telegram.sent(661)
    assert [c["params"]["text"] for c in sent] == texts
    times = [float(c["time"]) - float(sent[0]["time"]) for c in sent]
    burst = app.state.channels["telegram"].limits.chat_burst
    assert burst == 3
    # A bucket of 3 refilled at 1/s: message k goes out no sooner than k - 2 s after the first.
    # Lower bounds only, loose by the first message's own delay (the fake stamps arrival): a
    # sender stalled after the first message (a loaded machine) sends the next ones later and
    # then closer together, as the bucket allows, so the gaps between them prove nothing.
    assert times[3] >= 0.75, times
    assert times[4] >= 1.75, times
