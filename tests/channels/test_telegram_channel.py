"""The Telegram channel through its public path: webhook posts carrying the updates Telegram
sends (built by tests.fakes.telegram_api), replies read off the fake Bot API server.

Covered: the secret header, replays, callback answers and "typing…", paging in place, stale
buttons, deep links, the contact button (and the same person on WhatsApp), polling mode, the
`telegram set-webhook` command, and updates the bot must not trip over.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
from collections.abc import Iterator
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from typer.testing import CliRunner

import bot.channels.runtime
from bot.cli import app as cli
from bot.demo import DEMO_SLUG, seed_demo
from bot.outbox import OutboxWorker
from bot.settings import get_settings
from domain import booking as use_cases
from domain.model import DEFAULT_TIMEZONE
from domain.storage.channels import create_link_code
from domain.storage.tables import (
    BookingRow,
    ConversationRow,
    CustomerRow,
    InboundMessageRow,
    ShopCustomerRow,
    ShopMessageRow,
    StaffLinkRow,
)
from domain.storage.uow import UnitOfWorkFactory
from tests.channels.live import (
    PUBLIC_URL,
    SECRET,
    TOKEN,
    TelegramUser,
    WhatsAppUser,
    channel_settings,
    live_app,
    settle,
)
from tests.fakes.telegram_api import (
    FakeTelegram,
    callback_update,
    contact_update,
    start_update,
    text_update,
)
from tests.fakes.twilio_api import FakeTwilio
from tests.helpers import FixedClock, build_shop

Live = tuple[FastAPI, httpx.AsyncClient]
CHAT = 501
OWN_PHONE = "5491155550001"  # as Telegram clients send it: international, no "+"
OWN_E164 = "+5491155550001"
CHAT_METHODS = frozenset(
    {"sendMessage", "editMessageText", "sendChatAction", "answerCallbackQuery"}
)

# Update ids of our own, far from the ones TelegramUser numbers its updates with.
_update_ids = itertools.count(900_000)


def next_update_id() -> int:
    return next(_update_ids)


@pytest.fixture
def no_flood_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lift the per-chat flood control (8 at once, then 1/s): tests type faster than people."""
    monkeypatch.setattr(bot.channels.runtime, "FLOOD_BURST", 10_000)


# ---- helpers --------------------------------------------------------------------------------


@pytest.fixture
def martina(live: Live, fake_telegram: FakeTelegram) -> TelegramUser:
    """Martina's private chat with the bot, on the live app."""
    app, client = live
    return TelegramUser(app, client, fake_telegram, chat_id=CHAT, first_name="Martina")


async def scalar(app: FastAPI, statement: Any) -> Any:
    """One value read straight from the app's database."""
    async with app.state.uow_factory.read_only() as uow:
        return await uow.session.scalar(statement)


async def count(app: FastAPI, table: Any, *where: Any) -> int:
    return int(await scalar(app, select(func.count()).select_from(table).where(*where)))


async def bookings_of(app: FastAPI, telegram_user_id: int) -> int:
    """How many active turnos the Telegram user's customer has."""
    return await count(
        app,
        BookingRow.__table__.join(CustomerRow, CustomerRow.id == BookingRow.customer_id),
        CustomerRow.telegram_user_id == telegram_user_id,
        BookingRow.status.in_(["confirmed", "held"]),
    )


def methods(fake: FakeTelegram) -> list[str]:
    return [call["method"] for call in fake.calls()]


def typing_count(fake: FakeTelegram, chat_id: int) -> int:
    return sum(
        1
        for call in fake.calls("sendChatAction")
        if call["params"].get("chat_id") == chat_id and call["params"].get("action") == "typing"
    )


def callback_data(message: dict[str, Any], label: str) -> str:
    """The callback data of the button `label` under a message."""
    for row in message["reply_markup"]["inline_keyboard"]:
        for button in row:
            if button["text"] == label:
                return str(button["callback_data"])
    raise AssertionError(f"no button {label!r} in {TelegramUser.buttons(message)}")


def keyboard(message: dict[str, Any]) -> tuple[str, list[str]]:
    """A message's text and inline button labels, to compare questions."""
    return message["text"], TelegramUser.buttons(message)


async def greet(user: TelegramUser) -> None:
    """First contact: hello, then the name the bot asks for."""
    await user.say("hola")
    await user.say(user.first_name)
    assert "¿Qué querés hacer?" in user.text(), user.last


async def book(user: TelegramUser, request: str) -> None:
    """Book from the menu with one sentence, cash, confirm."""
    await user.say(request)
    await user.tap("Efectivo")
    await user.tap("Confirmar")
    assert "reservé" in user.text(), user.last


async def at_confirmation(user: TelegramUser) -> dict[str, Any]:
    """Walk to the "¿Te lo reservo?" question; returns that message."""
    await greet(user)
    await user.say("corte con Tincho el jueves a las 17")
    await user.tap("Efectivo")
    message = user.keyboard_message()
    assert "Confirmar" in TelegramUser.buttons(message), message
    return message


# ---- 1. the secret header -------------------------------------------------------------------


@pytest.mark.parametrize(
    "secret",
    [
        None,
        "",
        SECRET.upper(),  # same length, wrong
        "nope",  # shorter
        SECRET + "-and-more",  # longer, with the right one as a prefix
    ],
    ids=["missing", "empty", "same-length", "shorter", "longer"],
)
async def test_a_bad_or_missing_secret_is_refused_with_no_effect(
    live: Live, fake_telegram: FakeTelegram, secret: str | None
) -> None:
    """Without the exact secret header: 403, and no inbound row, no conversation, no call."""
    app, client = live
    user = TelegramUser(app, client, fake_telegram, chat_id=CHAT)

    response = await user.post(text_update(next_update_id(), CHAT, "hola"), secret=secret)
    await settle(app)

    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"
    assert await count(app, InboundMessageRow) == 0
    assert await count(app, ConversationRow) == 0
    assert not CHAT_METHODS & set(methods(fake_telegram)), fake_telegram.calls()


# ---- 2. replays -----------------------------------------------------------------------------


async def test_an_update_posted_twice_has_one_effect(
    live: Live, fake_telegram: FakeTelegram
) -> None:
    """Telegram redelivering an update: one inbound row, one set of replies."""
    app, client = live
    user = TelegramUser(app, client, fake_telegram, chat_id=CHAT)
    update = text_update(next_update_id(), CHAT, "hola", "Martina")

    first = await user.post(update)
    again = await user.post(update)
    replies = await user.replies()

    assert first.json() == {"ok": True, "duplicate": False}
    assert again.json() == {"ok": True, "duplicate": True}
    assert [m["text"] for m in replies][-1] == "¿Cómo te llamás?"
    assert len(replies) == 2, replies
    assert await count(app, InboundMessageRow) == 1


async def test_five_concurrent_copies_of_an_update_have_one_effect(
    live: Live, fake_telegram: FakeTelegram
) -> None:
    """Five copies of one update at the same moment: one is fresh, one set of replies."""
    app, client = live
    user = TelegramUser(app, client, fake_telegram, chat_id=CHAT)
    update = text_update(next_update_id(), CHAT, "hola", "Martina")

    answers = await asyncio.gather(*(user.post(update) for _ in range(5)))
    replies = await user.replies()

    assert all(a.status_code == 200 for a in answers)
    assert sorted(a.json()["duplicate"] for a in answers) == [False, True, True, True, True]
    assert len(replies) == 2, replies
    assert await count(app, InboundMessageRow) == 1
    await fake_telegram.await_for(lambda _: typing_count(fake_telegram, CHAT) == 1)


async def test_a_replayed_or_double_tapped_confirmation_books_once(
    live: Live, fake_telegram: FakeTelegram, martina: TelegramUser
) -> None:
    """The "Confirmar" tap replayed 5 times at once, then tapped again: one turno."""
    app, _ = live
    user = martina
    question = await at_confirmation(user)
    data = callback_data(question, "Confirmar")
    confirm = callback_update(next_update_id(), CHAT, data, question["message_id"])

    answers = await asyncio.gather(*(user.post(confirm) for _ in range(5)))
    replies = await user.replies()
    assert [a.json()["duplicate"] for a in answers].count(False) == 1
    assert sum("reservé" in m["text"] for m in replies) == 1, replies

    await user.tap_data(data, question["message_id"])  # a second, separate tap
    assert "reservé" not in user.text(), user.last
    assert await bookings_of(app, CHAT) == 1


# ---- 3. callback answers and "typing…" ------------------------------------------------------


async def test_every_tap_is_answered_and_every_message_shows_typing(
    live: Live, fake_telegram: FakeTelegram, martina: TelegramUser
) -> None:
    """answerCallbackQuery for every tap (stale and made-up ones too); typing per message."""
    app, _ = live
    user = martina
    await greet(user)
    await user.say("corte")
    professionals = user.keyboard_message()
    tincho = callback_data(professionals, "Tincho")
    taps = [
        ("q-tincho", tincho),
        ("q-stale", tincho),  # the same list again, after the conversation moved on
        ("q-made-up", "no.such.choice"),
    ]
    for query_id, data in taps:
        update = callback_update(
            next_update_id(), CHAT, data, professionals["message_id"], query_id=query_id
        )
        assert (await user.post(update)).status_code == 200
        await user.replies()

    answered = await fake_telegram.await_for(
        lambda calls: len([c for c in calls if c["method"] == "answerCallbackQuery"]) == 3
    )
    assert [
        c["params"]["callback_query_id"] for c in answered if c["method"] == "answerCallbackQuery"
    ] == ["q-tincho", "q-stale", "q-made-up"]
    processed = await count(app, InboundMessageRow, InboundMessageRow.status == "done")
    assert processed == 6  # hola, the name, "corte" and three taps
    await fake_telegram.await_for(lambda _: typing_count(fake_telegram, CHAT) == processed)


async def test_a_tap_dropped_by_flood_control_is_still_answered(
    live: Live, fake_telegram: FakeTelegram
) -> None:
    """A burst of taps beyond the flood limit: every one of them still gets its answer."""
    app, client = live
    user = TelegramUser(app, client, fake_telegram, chat_id=CHAT)
    ids = [f"q{n}" for n in range(12)]
    for query_id in ids:
        update = callback_update(next_update_id(), CHAT, "menu", 1, query_id=query_id)
        assert (await user.post(update)).status_code == 200
    await settle(app)

    calls = await fake_telegram.await_for(
        lambda calls: len([c for c in calls if c["method"] == "answerCallbackQuery"]) >= 12,
        timeout=2,
    )
    answered = {
        c["params"]["callback_query_id"] for c in calls if c["method"] == "answerCallbackQuery"
    }
    assert answered >= set(ids)


# ---- 4. paging in place ---------------------------------------------------------------------


async def test_later_and_earlier_edit_the_time_list_in_place(
    live: Live, fake_telegram: FakeTelegram, martina: TelegramUser
) -> None:
    """At the time step, "Más tarde" / "Más temprano" edit the same message, never a new one."""
    user = martina
    await greet(user)
    await user.say("corte")
    await user.tap("Tincho")
    await user.tap("Hoy")
    times = user.keyboard_message()
    first_page = TelegramUser.buttons(times)
    assert "Más tarde" in first_page, first_page
    assert "10:00" in first_page, first_page
    sent_before = len(fake_telegram.sent(CHAT))

    assert await user.tap("Más tarde") == []  # nothing new was sent
    edits = fake_telegram.calls("editMessageText")
    assert [(e["params"]["chat_id"], e["params"]["message_id"]) for e in edits] == [
        (CHAT, times["message_id"])
    ]
    later = fake_telegram.message(CHAT, times["message_id"])
    assert later is not None
    second_page = TelegramUser.buttons(later)
    assert "Más temprano" in second_page, second_page
    assert "10:00" not in second_page, second_page
    assert "12:00" in second_page, second_page

    assert await user.tap("Más temprano") == []
    back = fake_telegram.message(CHAT, times["message_id"])
    assert back is not None
    assert TelegramUser.buttons(back) == first_page
    assert len(fake_telegram.sent(CHAT)) == sent_before
    assert len(fake_telegram.calls("editMessageText")) == 2


@pytest.mark.parametrize("gone", ["unknown to Telegram", "inaccessible"])
async def test_a_list_that_cannot_be_edited_gets_its_next_page_as_a_new_message(
    live: Live, fake_telegram: FakeTelegram, gone: str, martina: TelegramUser
) -> None:
    """The next page under a message Telegram can't edit (deleted, too old) is sent anew."""
    user = martina
    await greet(user)
    await user.say("corte")
    await user.tap("Tincho")
    await user.tap("Hoy")
    times = user.keyboard_message()
    later = callback_data(times, "Más tarde")
    update = callback_update(next_update_id(), CHAT, later, times["message_id"])
    if gone == "unknown to Telegram":
        update["callback_query"]["message"]["message_id"] = times["message_id"] + 100
    else:  # Telegram sends an old message as an InaccessibleMessage: date 0, no text
        update["callback_query"]["message"] = {
            "chat": update["callback_query"]["message"]["chat"],
            "message_id": times["message_id"],
            "date": 0,
        }

    assert (await user.post(update)).status_code == 200
    replies = await user.replies()

    assert len(replies) == 1, replies
    assert "Más temprano" in TelegramUser.buttons(replies[0]), replies
    assert "10:00" not in TelegramUser.buttons(replies[0]), replies


# ---- 5. stale buttons -----------------------------------------------------------------------


async def test_an_old_or_made_up_button_gets_the_current_question_again(
    live: Live, fake_telegram: FakeTelegram, martina: TelegramUser
) -> None:
    """A tap on an earlier message, or unknown data: a friendly line and the current question."""
    user = martina
    await greet(user)
    await user.say("corte")
    professionals = user.keyboard_message()
    await user.tap("Tincho")
    current = user.keyboard_message()  # "¿Qué día te queda bien?"
    assert current["message_id"] != professionals["message_id"]

    for data in (callback_data(professionals, "Facu"), "cualquier.cosa"):
        replies = await user.tap_data(data, professionals["message_id"])
        assert len(replies) == 2, replies
        friendly, question = replies
        assert friendly["text"], friendly
        assert not friendly["reply_markup"], friendly
        assert "error" not in friendly["text"].lower()
        assert keyboard(question) == keyboard(current)
    assert fake_telegram.calls("editMessageText") == []
    old = fake_telegram.message(CHAT, professionals["message_id"])
    assert old is not None
    assert old["text"] == "¿Con quién?"  # the old message is left alone


# ---- 6. deep links --------------------------------------------------------------------------


async def test_a_shop_deep_link_greets_for_that_shop(
    live: Live, fake_telegram: FakeTelegram
) -> None:
    """`/start shop_<slug>` talks for that shop; an unknown slug greets for the default one."""
    app, client = live
    other = await build_shop(app.state.uow_factory, slug="la-esquina")  # sorts after don-julio

    async def start(chat_id: int, payload: str) -> str:
        user = TelegramUser(app, client, fake_telegram, chat_id=chat_id)
        update = start_update(next_update_id(), chat_id, payload)
        assert (await user.post(update)).status_code == 200
        await user.replies()
        return user.text()

    assert "La-Esquina" in await start(601, "shop_la-esquina")
    assert "Don Julio" in await start(602, f"shop_{DEMO_SLUG}")
    assert "Don Julio" in await start(603, "shop_no-such-shop")
    assert "Don Julio" in await start(604, "promo2026")  # an unknown kind: still a greeting

    shop_of = select(ConversationRow.shop_id).where(ConversationRow.chat_id == "601")
    assert await scalar(app, shop_of) == other.shop_id
    assert "Don Julio" in await start(601, f"shop_{DEMO_SLUG}")  # the chat moves shops
    assert await scalar(app, shop_of) != other.shop_id


async def test_a_start_of_an_unknown_kind_greets_mid_conversation_too(
    live: Live, fake_telegram: FakeTelegram, martina: TelegramUser
) -> None:
    """`/start promo2026` (an old campaign link) is a greeting, even at the menu, not "¿qué?"."""
    user = martina
    await greet(user)
    menu = user.keyboard_message()

    await user.post(start_update(next_update_id(), CHAT, "promo2026", "Martina"))
    replies = await user.replies()

    assert "Hola, Martina" in replies[0]["text"], replies
    assert keyboard(replies[-1]) == keyboard(menu), replies


async def test_a_referral_deep_link_is_stored_and_greets(
    live: Live, fake_telegram: FakeTelegram
) -> None:
    """`/start ref_ABC123`: the conversation remembers the code, and the bot says hello."""
    app, client = live
    user = TelegramUser(app, client, fake_telegram, chat_id=CHAT)

    await user.post(start_update(next_update_id(), CHAT, "ref_ABC123"))
    await user.replies()

    assert "¡Hola!" in user.text(), user.last
    referral = select(ConversationRow.referral_code).where(ConversationRow.chat_id == str(CHAT))
    assert await scalar(app, referral) == "ABC123"


async def test_a_link_deep_link_makes_a_staff_chat(
    live: Live, fake_telegram: FakeTelegram, clock: FixedClock
) -> None:
    """`/start link_<code>` links a professional; the chat then answers "agenda de hoy"."""
    app, client = live
    factory: UnitOfWorkFactory = app.state.uow_factory
    async with factory.read_only() as uow:
        shop = await uow.catalog.shop_by_slug(DEMO_SLUG)
        assert shop is not None
        tincho = next(p for p in await uow.catalog.professionals(shop.id) if p.nickname == "Tincho")
        services = await uow.catalog.services(shop.id)
    corte = next(s for s in services if s.name == "Corte")
    zone = ZoneInfo(DEFAULT_TIMEZONE)
    three_pm = datetime.combine(clock.now().astimezone(zone).date(), time(15), zone)
    await use_cases.book(
        factory,
        clock,
        use_cases.BookingRequest(
            shop.id,
            corte.id,
            use_cases.NewCustomer("Rocío Paz", "11 5555-1234"),
            three_pm,
            tincho.id,
        ),
    )
    barber = TelegramUser(app, client, fake_telegram, chat_id=9001, first_name="Martín")

    await barber.post(start_update(next_update_id(), 9001, "link_000000"))  # a wrong code
    await barber.replies()
    assert await count(app, StaffLinkRow) == 0
    assert barber.last, "a wrong code is answered too"

    code = await create_link_code(factory, shop.id, tincho.id, clock.now())
    await barber.post(start_update(next_update_id(), 9001, f"link_{code}"))
    await barber.replies()
    link = select(StaffLinkRow.professional_id).where(
        StaffLinkRow.channel == "telegram", StaffLinkRow.chat_id == "9001"
    )
    assert await scalar(app, link) == tincho.id
    assert barber.last, "linking is acknowledged"

    agenda = await barber.say("agenda de hoy")
    assert "15:00" in agenda[0]["text"], agenda
    assert "Rocío" in agenda[0]["text"], agenda
    assert await count(app, ConversationRow, ConversationRow.chat_id == "9001") == 0


# ---- 7. the contact button ------------------------------------------------------------------


def contact_requests(fake: FakeTelegram, chat_id: int) -> list[dict[str, Any]]:
    return [
        call
        for call in fake.sent(chat_id)
        if any(
            button.get("request_contact")
            for row in (call["params"].get("reply_markup") or {}).get("keyboard", [])
            for button in row
        )
    ]


async def phone_of(app: FastAPI, telegram_user_id: int) -> str | None:
    phone = select(CustomerRow.phone).where(CustomerRow.telegram_user_id == telegram_user_id)
    result: str | None = await scalar(app, phone)
    return result


async def book_and_share_number(app: FastAPI, user: TelegramUser, fake: FakeTelegram) -> None:
    """A first booking, the offer to share the number, a stranger's contact, then their own."""
    await greet(user)
    await book(user, "corte con Tincho el jueves a las 17")
    assert len(contact_requests(fake, CHAT)) == 1
    offer = contact_requests(fake, CHAT)[0]["params"]
    assert offer["reply_markup"]["one_time_keyboard"] is True

    stranger = contact_update(
        next_update_id(), CHAT, "5491144443333", first_name="Martina", contact_user_id=777
    )
    assert (await user.post(stranger)).status_code == 200
    await user.replies()
    assert await phone_of(app, CHAT) is None
    assert await count(app, CustomerRow, CustomerRow.phone == "+5491144443333") == 0

    thanks = await user.share_contact(OWN_PHONE)
    assert await phone_of(app, CHAT) == OWN_E164
    assert [m["reply_markup"] for m in thanks] == [{"remove_keyboard": True}], thanks


async def test_the_contact_button_is_offered_once_and_stores_only_their_own_number(
    live: Live, fake_telegram: FakeTelegram, no_flood_limit: None, martina: TelegramUser
) -> None:
    """After the first booking: one offer; their own contact is saved, a stranger's is not."""
    app, _ = live
    user = martina
    await book_and_share_number(app, user, fake_telegram)

    await book(user, "corte con Tincho el viernes a las 17")
    assert len(contact_requests(fake_telegram, CHAT)) == 1  # not offered again
    assert await bookings_of(app, CHAT) == 2


async def test_an_unreadable_shared_number_is_answered_and_nothing_stored(
    live: Live, fake_telegram: FakeTelegram, martina: TelegramUser
) -> None:
    """A contact whose number cannot be read: a polite word, no phone saved, no failure."""
    app, _ = live
    user = martina
    await greet(user)

    replies = await user.share_contact("no-es-un-numero")

    assert [m["text"] for m in replies] == ["Perdón, no pude leer ese número."], replies
    assert await phone_of(app, CHAT) is None
    assert await count(app, InboundMessageRow, InboundMessageRow.status == "failed") == 0


async def test_the_shared_number_makes_one_customer_across_channels(
    live: Live,
    fake_telegram: FakeTelegram,
    fake_twilio: FakeTwilio,
    no_flood_limit: None,
    martina: TelegramUser,
) -> None:
    """Booked on Telegram, number shared: on WhatsApp she is greeted by name, sees her turno."""
    app, client = live
    user = martina
    await book_and_share_number(app, user, fake_telegram)

    whatsapp = WhatsAppUser(app, client, fake_twilio, f"whatsapp:{OWN_E164}", "Marti")
    hello = "\n".join(await whatsapp.say("hola"))
    assert "Martina" in hello, hello
    turnos = "\n".join(await whatsapp.pick("Mis turnos"))
    assert "3 de diciembre" in turnos, turnos
    assert "17:00" in turnos, turnos
    assert await count(app, CustomerRow, CustomerRow.phone == OWN_E164) == 1


# ---- 8. polling -----------------------------------------------------------------------------


async def test_polling_mode_deletes_the_webhook_and_answers_queued_updates(
    database_url: str,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    fake_telegram: FakeTelegram,
    fake_twilio: FakeTwilio,
) -> None:
    """`telegram_polling`: deleteWebhook first, then getUpdates; queued updates are answered."""
    await seed_demo(uow_factory, clock)
    async with httpx.AsyncClient() as http:  # a webhook left behind by production
        await http.post(
            f"{fake_telegram.url}/bot{TOKEN}/setWebhook", data={"url": f"{PUBLIC_URL}/x"}
        )
    settings = channel_settings(database_url, fake_telegram, fake_twilio).model_copy(
        update={"telegram_polling": True}
    )
    async with live_app(settings, clock) as (app, _client):
        fake_telegram.queue_update(text_update(next_update_id(), 701, "hola", "Pepe"))
        fake_telegram.queue_update(text_update(next_update_id(), 701, "Pepe", "Pepe"))
        await fake_telegram.await_for(lambda _: len(fake_telegram.sent(701)) >= 4)
        await settle(app)

    texts = [call["params"]["text"] for call in fake_telegram.sent(701)]
    assert texts[1] == "¿Cómo te llamás?", texts
    assert "Pepe" in texts[2], texts
    calls = methods(fake_telegram)
    assert "getUpdates" in calls
    assert calls.index("deleteWebhook") < calls.index("getUpdates")
    assert fake_telegram.webhook is None
    assert fake_telegram.pending_updates() == []  # confirmed with the next offset


# ---- 9. barberpro telegram set-webhook ------------------------------------------------------


@pytest.fixture
def telegram_env(fake_telegram: FakeTelegram, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """BARBERPRO_* pointing the command at the fake Bot API (and back after the test)."""
    for name, value in {
        "BARBERPRO_TELEGRAM_TOKEN": TOKEN,
        "BARBERPRO_TELEGRAM_API_URL": fake_telegram.url,
        "BARBERPRO_PUBLIC_URL": PUBLIC_URL + "/",
        "BARBERPRO_TELEGRAM_WEBHOOK_SECRET": SECRET,
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def plain(output: str) -> str:
    """CLI output without rich's box drawing, on one line."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", output).split())


def test_set_webhook_registers_the_url_with_the_secret(
    telegram_env: None, fake_telegram: FakeTelegram
) -> None:
    """`barberpro telegram set-webhook`: `<public_url>/webhooks/telegram` and the secret."""
    result = CliRunner().invoke(cli, ["telegram", "set-webhook"])

    assert result.exit_code == 0, result.output
    url = f"{PUBLIC_URL}/webhooks/telegram"
    assert url in result.output
    hook = fake_telegram.webhook
    assert hook is not None
    assert (hook["url"], hook["secret_token"]) == (url, SECRET)
    assert hook["allowed_updates"] == ["message", "callback_query"]


def test_set_webhook_without_a_secret_fails_clearly(
    telegram_env: None, fake_telegram: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No secret: a usage error naming the variable, and Telegram is not called."""
    monkeypatch.delenv("BARBERPRO_TELEGRAM_WEBHOOK_SECRET")
    get_settings.cache_clear()

    result = CliRunner().invoke(cli, ["telegram", "set-webhook"])

    assert result.exit_code == 2, result.output
    assert "set BARBERPRO_TELEGRAM_WEBHOOK_SECRET" in plain(result.output)
    assert fake_telegram.calls("setWebhook") == []
    assert fake_telegram.webhook is None


def test_set_webhook_with_a_secret_telegram_refuses_fails_clearly(
    telegram_env: None, fake_telegram: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A secret outside A-Z a-z 0-9 _ -: a usage error naming the variable, no traceback."""
    monkeypatch.setenv("BARBERPRO_TELEGRAM_WEBHOOK_SECRET", "mi secreto!")
    get_settings.cache_clear()

    result = CliRunner().invoke(cli, ["telegram", "set-webhook"])

    assert result.exit_code == 2, result.output
    assert "BARBERPRO_TELEGRAM_WEBHOOK_SECRET" in plain(result.output)


# ---- 10. updates the bot must not trip over -------------------------------------------------


async def test_groups_edits_stickers_and_garbage_do_not_break_the_chat(
    live: Live, fake_telegram: FakeTelegram, martina: TelegramUser
) -> None:
    """Groups and edits are ignored, junk is answered 200, a sticker gets the question again."""
    app, client = live
    user = martina
    await greet(user)
    menu = user.keyboard_message()
    inbound_before = await count(app, InboundMessageRow)
    calls_before = len(fake_telegram.calls())

    group = text_update(next_update_id(), CHAT, "hola", "Martina")
    group["message"]["chat"] = {"id": -1001234567890, "title": "Los pibes", "type": "supergroup"}
    edited = text_update(next_update_id(), CHAT, "corte", "Martina")
    edited["edited_message"] = {**edited.pop("message"), "edit_date": 1}
    group_tap = callback_update(next_update_id(), CHAT, "menu", 1)
    group_tap["callback_query"]["message"]["chat"] = group["message"]["chat"]
    for update in (group, edited, group_tap):
        response = await user.post(update)
        assert response.json() == {"ok": True, "ignored": True}, update
    for junk in (b"{not json", b"[1, 2]", json.dumps({"update_id": "x"}).encode()):
        response = await client.post(
            "/webhooks/telegram",
            content=junk,
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        )
        assert response.status_code == 200, junk
    await settle(app)
    assert await count(app, InboundMessageRow) == inbound_before
    assert len(fake_telegram.calls()) == calls_before

    sticker = text_update(next_update_id(), CHAT, "", "Martina")
    del sticker["message"]["text"]
    sticker["message"]["sticker"] = {
        "file_id": "CAACAgIAAxkBAAEBQ2Zl",
        "file_unique_id": "AgADtwADwZxgDA",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": "👍",
    }
    assert (await user.post(sticker)).status_code == 200
    replies = await user.replies()
    assert keyboard(replies[-1]) == keyboard(menu), replies

    await user.say("corte")  # the chat goes on
    assert "¿Con quién?" in user.text(), user.last


async def test_nul_characters_in_a_text_or_a_name_are_dropped_and_the_chat_goes_on(
    live: Live, fake_telegram: FakeTelegram
) -> None:
    """PostgreSQL text cannot hold NUL: parsing drops it, and the message is handled as text."""
    app, client = live
    user = TelegramUser(app, client, fake_telegram, chat_id=CHAT, first_name="Mar\x00tina")

    await user.share_contact(OWN_PHONE)  # first thing: the customer is named from the profile
    await user.say("ho\x00la")
    assert "¡Hola, Martina!" in user.text(), user.last
    await user.tap("Hablar con alguien")
    await user.say("¿Hacen\x00 permanente?")

    assert await count(app, InboundMessageRow, InboundMessageRow.status != "done") == 0
    name = await scalar(
        app,
        select(ShopCustomerRow.name)
        .join(CustomerRow, CustomerRow.id == ShopCustomerRow.customer_id)
        .where(CustomerRow.telegram_user_id == CHAT),
    )
    assert name == "Martina"
    said = await scalar(app, select(ShopMessageRow.text).where(ShopMessageRow.chat_id == str(CHAT)))
    assert said == "¿Hacen permanente?"


@pytest.mark.parametrize("where", ["chat", "sender", "tapper", "update"])
async def test_ids_beyond_64_bits_are_ignored(
    live: Live, fake_telegram: FakeTelegram, where: str
) -> None:
    """Telegram's ids fit in 64 bits (and our columns); a bigger one is no update of theirs."""
    app, client = live
    huge = 2**70
    user = TelegramUser(app, client, fake_telegram, chat_id=CHAT)
    update = text_update(next_update_id(), CHAT, "hola", "Martina")
    if where == "chat":
        update["message"]["chat"]["id"] = huge
    elif where == "sender":
        update["message"]["from"]["id"] = huge
    elif where == "tapper":
        update = callback_update(next_update_id(), CHAT, "menu", 1)
        update["callback_query"]["from"]["id"] = huge
    else:
        update["update_id"] = huge
    calls_before = len(fake_telegram.calls())

    response = await user.post(update)

    assert response.status_code == 200, response.text
    assert response.json() == {"ok": True, "ignored": True}
    await settle(app)
    assert await count(app, InboundMessageRow) == 0
    assert len(fake_telegram.calls()) == calls_before


# ---- shutdown -------------------------------------------------------------------------------


async def test_the_delivery_loop_stops_right_after_a_wake_up(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    """Stopping the outbox just as a processed update wakes it: stop() returns.

    On Python 3.11 `asyncio.wait_for` swallows a cancel that lands as the wake-up it waits for
    completes; the app then hung on exit whenever an update was still being processed.
    """
    worker = OutboxWorker(uow_factory, {}, clock)
    worker.start()
    await asyncio.sleep(0.05)  # the loop waits for a wake-up
    worker.wake()  # what the runtime does after each processed update
    await asyncio.sleep(0)  # the wake-up is on its way: stop now, as the app's exit does
    stopping = asyncio.create_task(worker.stop())

    done, _ = await asyncio.wait({stopping}, timeout=2)
    if not done:  # clean up: a second cancel lands in a quiet wait and ends the loop
        await worker.stop()
        await stopping
    assert done, "OutboxWorker.stop() hung"
