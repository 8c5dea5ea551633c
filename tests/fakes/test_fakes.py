"""The fakes, proven with the real client libraries: PTB's `Bot`, twilio's `Client` and the
mercadopago `SDK`."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import mercadopago  # type: ignore[import-untyped]
import pytest
from mercadopago.config import RequestOptions  # type: ignore[import-untyped]
from mercadopago.http.http_client import HttpClient  # type: ignore[import-untyped]
from mercadopago.webhook import (  # type: ignore[import-untyped]
    InvalidWebhookSignatureError,
    SignatureFailureReason,
    WebhookSignatureValidator,
)
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    Update,
)
from telegram.error import (
    BadRequest,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)
from telegram.ext import CommandHandler
from twilio.base.exceptions import TwilioRestException
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from tests.fakes import mercadopago_api, telegram_api, twilio_api
from tests.fakes.mercadopago_api import (
    API_BASE_URL,
    PAYMENT_GET,
    PREFERENCE_CREATE,
    PREFERENCE_GET,
    REFUND_CREATE,
    TEST_ACCESS_TOKEN,
    TEST_WEBHOOK_SECRET,
    FakeMercadoPago,
)
from tests.fakes.telegram_api import (
    BLOCKED_DESCRIPTION,
    BOT_ID,
    BOT_USERNAME,
    TEST_TOKEN,
    Call,
    FakeRequest,
    FakeResponse,
    FakeServer,
    FakeTelegram,
    WaitTimeout,
    callback_update,
    contact_update,
    start_update,
    text_update,
)
from tests.fakes.twilio_api import (
    SANDBOX_FROM,
    TEST_ACCOUNT_SID,
    TEST_AUTH_TOKEN,
    FakeTwilio,
    inbound_form,
    sign,
)

CHAT = 5491100001
OTHER_CHAT = 5491100002
CUSTOMER = "whatsapp:+5491123456789"
CONTENT_SID = "HX" + "ab" * 16


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    """One row per (label, callback data)."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d)] for t, d in pairs])


def close_twilio(client: Client) -> None:
    """Close the requests session twilio pools connections in (else: ResourceWarning)."""
    session = getattr(client.http_client, "session", None)
    if session is not None:
        session.close()


@pytest.fixture
def tg() -> Iterator[FakeTelegram]:
    """A running fake Telegram."""
    with FakeTelegram() as fake:
        yield fake


@pytest.fixture
async def bot(tg: FakeTelegram) -> AsyncIterator[Bot]:
    """A real PTB Bot on the fake (initialised: getMe already called)."""
    async with Bot(TEST_TOKEN, base_url=f"{tg.url}/bot") as real_bot:
        yield real_bot


@pytest.fixture
def tw() -> Iterator[FakeTwilio]:
    """A running fake Twilio."""
    with FakeTwilio() as fake:
        yield fake


@pytest.fixture
def twilio_client(tw: FakeTwilio) -> Iterator[Client]:
    """A real twilio Client pointed at the fake; its pooled connections closed afterwards."""
    client = Client(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN)
    client.api.base_url = tw.url
    yield client
    close_twilio(client)


# --- Telegram ----------------------------------------------------------------------------------


async def test_bot_talks_to_the_fake(tg: FakeTelegram, bot: Bot) -> None:
    me = await bot.get_me()
    assert me.is_bot
    assert me.username == BOT_USERNAME
    assert me.id == BOT_ID

    markup = keyboard(("Corte", "svc:1"), ("Barba", "svc:2"))
    first = await bot.send_message(CHAT, "¿Qué querés hacer?", reply_markup=markup)
    second = await bot.send_message(CHAT, "Elegí un horario")
    elsewhere = await bot.send_message(OTHER_CHAT, "Hola")
    assert (first.message_id, second.message_id, elsewhere.message_id) == (1, 2, 1)
    assert first.chat.id == CHAT
    assert first.chat.type == "private"
    assert first.text == "¿Qué querés hacer?"
    assert first.reply_markup == markup
    assert first.from_user is not None
    assert first.from_user.id == BOT_ID
    assert second.reply_markup is None

    call = tg.calls("sendMessage")[0]
    assert call["status"] == 200
    assert call["params"]["chat_id"] == CHAT
    assert call["params"]["reply_markup"] == {
        "inline_keyboard": [
            [{"text": "Corte", "callback_data": "svc:1"}],
            [{"text": "Barba", "callback_data": "svc:2"}],
        ]
    }
    assert isinstance(call["raw_params"]["reply_markup"], str)  # PTB sends it as a JSON string
    assert call["raw_params"]["chat_id"] == str(CHAT)
    assert isinstance(call["time"], float)
    assert [c["text"] for c in (s["params"] for s in tg.sent(CHAT))] == [
        "¿Qué querés hacer?",
        "Elegí un horario",
    ]

    chosen = keyboard(("Volver", "back"))
    edited = await bot.edit_message_text(
        "Elegiste corte", chat_id=CHAT, message_id=first.message_id, reply_markup=chosen
    )
    assert not isinstance(edited, bool)
    assert edited.text == "Elegiste corte"
    assert edited.edit_date is not None
    assert edited.reply_markup == chosen
    assert tg.message(CHAT, first.message_id) == {
        "text": "Elegiste corte",
        "reply_markup": {"inline_keyboard": [[{"text": "Volver", "callback_data": "back"}]]},
        "date": int(first.date.timestamp()),
    }
    # PTB strips "Bad Request: " and capitalizes the rest: match case-insensitively.
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text(
            "Elegiste corte", chat_id=CHAT, message_id=first.message_id, reply_markup=chosen
        )
    # An edit that does not repeat the keyboard drops it, as on Telegram; so does `{}`.
    await bot.edit_message_text("Elegiste corte", chat_id=CHAT, message_id=first.message_id)
    assert tg.message(CHAT, first.message_id) == {
        "text": "Elegiste corte",
        "reply_markup": None,
        "date": int(first.date.timestamp()),
    }
    await bot.edit_message_text(
        "Corte", chat_id=CHAT, message_id=first.message_id, reply_markup=keyboard()
    )
    assert tg.calls("editMessageText")[-1]["raw_params"]["reply_markup"] == "{}"
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=CHAT, message_id=99)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=OTHER_CHAT, message_id=2)

    assert await bot.answer_callback_query("4000000000000001", text="Listo") is True
    assert await bot.send_chat_action(CHAT, "typing") is True
    assert tg.calls("answerCallbackQuery")[0]["params"] == {
        "callback_query_id": "4000000000000001",
        "text": "Listo",
    }
    assert [c["method"] for c in tg.calls()][:2] == ["getMe", "getMe"]


async def test_retry_after(tg: FakeTelegram, bot: Bot, monkeypatch: pytest.MonkeyPatch) -> None:
    # PTB 22 warns (an error under filterwarnings=error) on reading RetryAfter.retry_after as
    # an int; PTB_TIMEDELTA=true opts in to timedelta.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    tg.fail_next(429, retry_after=3)
    assert (await bot.get_me()).username == BOT_USERNAME  # getMe is not a send: unaffected
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(CHAT, "hola")
    assert caught.value.retry_after == timedelta(seconds=3)
    refused = tg.calls("sendMessage")[0]
    assert refused["status"] == 429
    assert refused["response"] == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 3",
        "parameters": {"retry_after": 3},
    }
    assert (await bot.send_message(CHAT, "hola")).message_id == 1  # only the next one failed
    assert [c["status"] for c in tg.calls("sendMessage")] == [429, 200]
    assert tg.sent() == tg.calls("sendMessage")[1:]


async def test_server_error_is_a_plain_network_error(tg: FakeTelegram, bot: Bot) -> None:
    tg.fail_next(500, times=2)
    for _ in range(2):
        with pytest.raises(NetworkError, match="Internal Server Error") as caught:
            await bot.send_message(CHAT, "hola")
        assert type(caught.value) is NetworkError  # BadRequest is a NetworkError subclass too
    sent = await bot.send_message(CHAT, "hola")
    await bot.edit_message_text("chau", chat_id=CHAT, message_id=sent.message_id)
    assert [c["status"] for c in tg.calls()] == [200, 500, 500, 200, 200]


async def test_failures_can_target_other_methods(tg: FakeTelegram, bot: Bot) -> None:
    tg.fail_next(400, description="Bad Request: query is too old", methods=["answerCallbackQuery"])
    await bot.send_message(CHAT, "unaffected")
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query("1")
    tg.fail_next(502, methods=None)
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.get_me()


async def test_blocked_chat(tg: FakeTelegram, bot: Bot) -> None:
    tg.block_chat(CHAT)
    with pytest.raises(Forbidden, match=BLOCKED_DESCRIPTION):
        await bot.send_message(CHAT, "hola")
    with pytest.raises(Forbidden):
        await bot.send_chat_action(CHAT, "typing")
    with pytest.raises(Forbidden):  # permanent
        await bot.send_message(str(CHAT), "hola")
    await bot.send_message(OTHER_CHAT, "hola")
    assert [c["status"] for c in tg.calls("sendMessage")] == [403, 403, 200]


async def test_telegram_validation(tg: FakeTelegram, bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(CHAT, "x", reply_markup=keyboard(("a", "x" * 65)))
    await bot.send_message(CHAT, "x", reply_markup=keyboard(("a", "ñ" * 32)))  # 64 bytes
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(CHAT, "😀" * 2049)  # 4098 UTF-16 units
    with pytest.raises(BadRequest, match=r"(?i)text is empty"):
        await bot.send_message(CHAT, "   ")


async def test_concurrent_sends_get_distinct_ids(tg: FakeTelegram, bot: Bot) -> None:
    messages = await asyncio.gather(*(bot.send_message(CHAT, f"m{i}") for i in range(40)))
    assert sorted(m.message_id for m in messages) == list(range(1, 41))
    assert len(tg.sent(CHAT)) == 40


async def test_token_checked_when_configured() -> None:
    with FakeTelegram(token=TEST_TOKEN) as fake:
        async with Bot(TEST_TOKEN, base_url=f"{fake.url}/bot") as good:
            await good.get_me()
        wrong = Bot("123:wrong", base_url=f"{fake.url}/bot")
        with pytest.raises(InvalidToken):
            await wrong.initialize()
        await wrong.shutdown()


async def test_update_builders_parse_with_ptb(bot: Bot) -> None:
    text = Update.de_json(text_update(10, CHAT, "corte mañana"), bot)
    assert text.message is not None
    assert text.message.text == "corte mañana"
    assert text.message.chat.type == "private"
    assert text.effective_user is not None
    assert text.effective_user.id == CHAT
    assert text.effective_user.first_name == "Juan"
    assert text.message.entities == ()

    other = Update.de_json(text_update(11, CHAT, "hola", first_name="Ana", user_id=42), bot)
    assert other.effective_user is not None
    assert (other.effective_user.id, other.effective_user.first_name) == (42, "Ana")

    start = Update.de_json(start_update(12, CHAT, "shop_la-barberia"), bot)
    assert start.message is not None
    assert start.message.text == "/start shop_la-barberia"
    assert start.message.parse_entities([MessageEntity.BOT_COMMAND]) == {
        start.message.entities[0]: "/start"
    }

    async def on_start(update: Update, context: Any) -> None:
        """Unused: only the handler's parsing of the command is checked."""

    checked = CommandHandler("start", on_start).check_update(start)
    assert isinstance(checked, tuple)
    assert checked[0] == ["shop_la-barberia"]

    contact = Update.de_json(contact_update(13, CHAT, "5491123456789"), bot)
    assert contact.message is not None
    assert contact.message.contact is not None
    assert contact.message.contact.phone_number == "5491123456789"
    assert contact.message.contact.user_id == CHAT
    assert contact.message.from_user is not None
    assert contact.message.from_user.id == CHAT

    tapped = Update.de_json(callback_update(14, CHAT, "svc:1", 7, "Elegí un servicio"), bot)
    query = tapped.callback_query
    assert query is not None
    assert query.data == "svc:1"
    assert query.from_user.id == CHAT
    assert isinstance(query.message, Message)
    assert query.message.message_id == 7
    assert query.message.chat.id == CHAT
    assert query.message.text == "Elegí un servicio"
    assert query.message.from_user is not None
    assert query.message.from_user.id == BOT_ID
    assert tapped.effective_chat is not None
    assert tapped.effective_chat.id == CHAT


async def test_get_updates_honours_offset(tg: FakeTelegram, bot: Bot) -> None:
    assert await bot.get_updates(timeout=1) == ()  # long poll: waits at most 1 s when empty
    tg.queue_update(text_update(100, CHAT, "hola"))
    tg.queue_update(callback_update(101, CHAT, "svc:1", 1))
    first = await bot.get_updates(timeout=1)
    assert [u.update_id for u in first] == [100, 101]
    assert first[1].callback_query is not None
    assert [u.update_id for u in await bot.get_updates(offset=101)] == [101]
    assert await bot.get_updates(offset=102) == ()
    assert tg.pending_updates() == []
    assert tg.calls("getUpdates")[-1]["params"] == {"offset": 102}

    # The person's message 100 (message_id defaults to update_id) came first in that chat.
    assert (await bot.send_message(CHAT, "¡Hola!")).message_id == 101


async def test_long_poll_wakes_up_on_a_new_update(tg: FakeTelegram, bot: Bot) -> None:
    async def later() -> None:
        await asyncio.sleep(0.1)
        tg.queue_update(text_update(1, CHAT, "hola"))

    task = asyncio.create_task(later())
    updates = await bot.get_updates(timeout=30)
    await task
    assert [u.update_id for u in updates] == [1]


class WebhookReceiver(FakeServer):
    """Stands in for our web app: records what Telegram posts to the webhook."""

    name = "receiver"

    def handle(self, request: FakeRequest) -> FakeResponse:
        """Record the post and answer 200."""
        with self._lock:
            call = self._record(
                "webhook",
                request,
                request.json(),
                secret=request.headers.get("x-telegram-bot-api-secret-token"),
            )
            return self._finish(call, FakeResponse(200, {}))


async def test_webhook(tg: FakeTelegram, bot: Bot) -> None:
    with WebhookReceiver() as app:
        hook = f"{app.url}/webhooks/telegram"
        assert await bot.set_webhook(hook, secret_token="s3cr3t-token_1") is True
        assert tg.webhook is not None
        assert tg.webhook["url"] == hook
        assert tg.webhook["secret_token"] == "s3cr3t-token_1"
        info = await bot.get_webhook_info()
        assert info.url == hook
        assert info.pending_update_count == 0

        update = text_update(5, CHAT, "hola")
        assert tg.deliver_update(update) == 200
        [posted] = app.calls("webhook")
        assert posted["params"] == update
        assert posted["secret"] == "s3cr3t-token_1"

        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates()
        with pytest.raises(BadRequest, match=r"(?i)secret token"):
            await bot.set_webhook(hook, secret_token="no spaces allowed")

    assert await bot.delete_webhook() is True
    assert tg.webhook is None
    assert (await bot.get_webhook_info()).url == ""
    assert await bot.get_updates() == ()


async def test_wait_for_and_await_for(tg: FakeTelegram, bot: Bot) -> None:
    def two_sent(calls: list[Call]) -> bool:
        return len([c for c in calls if c["method"] == "sendMessage" and c["status"] == 200]) >= 2

    async def background() -> None:
        for text in ("uno", "dos"):
            await asyncio.sleep(0.05)
            await bot.send_message(CHAT, text)

    task = asyncio.create_task(background())
    calls = await tg.await_for(two_sent, timeout=5)  # the task keeps running meanwhile
    await task
    assert two_sent(calls)
    assert tg.wait_for(two_sent, timeout=0) == calls

    with pytest.raises(WaitTimeout) as caught:
        tg.wait_for(lambda calls: len(calls) > 100, timeout=0.05)
    assert isinstance(caught.value, AssertionError)
    assert "sendMessage -> 200" in str(caught.value)
    assert caught.value.calls == calls
    with pytest.raises(AssertionError, match="condition not met"):
        await tg.await_for(lambda calls: False, timeout=0.05)


async def test_stop_and_start_again_is_an_outage(tg: FakeTelegram, bot: Bot) -> None:
    await bot.send_message(CHAT, "antes")
    port = tg.port
    tg.stop()
    with pytest.raises(NetworkError):
        await bot.send_message(CHAT, "durante")
    tg.start()
    assert tg.port == port
    assert (await bot.send_message(CHAT, "después")).message_id == 2  # state survived
    tg.reset()
    assert tg.calls() == []
    assert (await bot.send_message(CHAT, "de nuevo")).message_id == 1


# --- Twilio ------------------------------------------------------------------------------------


def test_twilio_body_message(tw: FakeTwilio, twilio_client: Client) -> None:
    message = twilio_client.messages.create(from_=SANDBOX_FROM, to=CUSTOMER, body="¡Hola, Juan!")
    assert message.sid is not None
    assert message.sid.startswith("SM")
    assert len(message.sid) == 34
    assert message.status == "queued"
    assert message.to == CUSTOMER
    assert message.from_ == SANDBOX_FROM
    assert message.body == "¡Hola, Juan!"
    assert message.account_sid == TEST_ACCOUNT_SID
    assert message.date_created is not None
    assert message.direction == "outbound-api"

    [call] = tw.calls("messages.create")
    assert call["status"] == 201
    assert call["params"] == {"From": SANDBOX_FROM, "To": CUSTOMER, "Body": "¡Hola, Juan!"}
    assert call["path"] == f"/2010-04-01/Accounts/{TEST_ACCOUNT_SID}/Messages.json"
    assert tw.sent(CUSTOMER) == [call]

    fetched = twilio_client.messages(message.sid).fetch()
    assert fetched.body == "¡Hola, Juan!"
    assert [c["method"] for c in tw.calls()] == ["messages.create", "messages.fetch"]


def test_twilio_content_template(tw: FakeTwilio, twilio_client: Client) -> None:
    variables = {"1": "14/3", "2": "15:30"}
    message = twilio_client.messages.create(
        from_=SANDBOX_FROM,
        to=CUSTOMER,
        content_sid=CONTENT_SID,
        content_variables=json.dumps(variables),
    )
    assert message.status == "queued"
    params = tw.calls("messages.create")[0]["params"]
    assert params["ContentSid"] == CONTENT_SID
    assert json.loads(params["ContentVariables"]) == variables
    assert "Body" not in params


@pytest.mark.parametrize(
    ("status", "code", "text"),
    [
        (429, 20429, "Too Many Requests"),
        (500, 20500, "Internal Server Error"),
        (403, 20403, "Forbidden"),
        (400, 21211, "Invalid 'To' Phone Number: +5491123456789"),
    ],
)
def test_twilio_injected_failures(
    tw: FakeTwilio, twilio_client: Client, status: int, code: int, text: str
) -> None:
    tw.fail_next(status, retry_after=2 if status == 429 else None)
    with pytest.raises(TwilioRestException) as caught:
        twilio_client.messages.create(from_=SANDBOX_FROM, to=CUSTOMER, body="hola")
    assert caught.value.status == status
    assert caught.value.code == code
    assert text in caught.value.msg
    twilio_client.messages.create(from_=SANDBOX_FROM, to=CUSTOMER, body="hola")
    refused, accepted = tw.calls("messages.create")
    assert (refused["status"], accepted["status"]) == (status, 201)
    assert refused["response"] == {
        "code": code,
        "message": text,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


def test_twilio_custom_error_code(tw: FakeTwilio, twilio_client: Client) -> None:
    tw.fail_next(400, code=63016, message="Outside the allowed window", times=2)
    for _ in range(2):
        with pytest.raises(TwilioRestException) as caught:
            twilio_client.messages.create(from_=SANDBOX_FROM, to=CUSTOMER, body="hola")
        assert caught.value.code == 63016


def test_twilio_checks_credentials(tw: FakeTwilio) -> None:
    client = tw.attach(Client(TEST_ACCOUNT_SID, "wrong-token"))
    try:
        with pytest.raises(TwilioRestException) as caught:
            client.messages.create(from_=SANDBOX_FROM, to=CUSTOMER, body="hola")
    finally:
        close_twilio(client)
    assert caught.value.status == 401
    assert caught.value.code == 20003
    assert tw.calls()[0]["auth_ok"] is False
    assert tw.sent() == []


@pytest.mark.parametrize(
    ("to", "body", "code"),
    [
        ("whatsapp:+54 9 11 2345-6789", "hola", 21211),
        ("+5491123456789", "hola", 21910),  # WhatsApp From, SMS To
        (CUSTOMER, "x" * 1601, 21617),
        (CUSTOMER, "", 21619),
    ],
)
def test_twilio_validation(twilio_client: Client, to: str, body: str, code: int) -> None:
    with pytest.raises(TwilioRestException) as caught:
        twilio_client.messages.create(from_=SANDBOX_FROM, to=to, body=body)
    assert (caught.value.status, caught.value.code) == (400, code)


def test_inbound_form_and_signature() -> None:
    form = inbound_form("SM" + "1" * 32, CUSTOMER, "quiero un turno")
    assert form["MessageSid"] == form["SmsMessageSid"] == form["SmsSid"] == "SM" + "1" * 32
    assert form["From"] == CUSTOMER
    assert form["To"] == SANDBOX_FROM
    assert form["WaId"] == "5491123456789"
    assert form["ProfileName"] == "Juan"
    assert form["NumMedia"] == "0"
    assert form["SmsStatus"] == "received"
    assert form["ApiVersion"] == "2010-04-01"
    assert form["AccountSid"] == TEST_ACCOUNT_SID
    assert all(isinstance(value, str) for value in form.values())

    tap = inbound_form("SM" + "2" * 32, CUSTOMER, "10:00", ButtonPayload="slot:1")
    assert (tap["MessageType"], tap["ButtonPayload"]) == ("button", "slot:1")

    url = "https://barberpro.example/webhooks/whatsapp"
    signature = sign(TEST_AUTH_TOKEN, url, form)
    validator = RequestValidator(TEST_AUTH_TOKEN)
    assert validator.validate(url, form, signature)
    assert not validator.validate(url, {**form, "Body": "otra cosa"}, signature)
    assert not RequestValidator("other").validate(url, form, signature)

    # Twilio's documented example (https://www.twilio.com/docs/usage/webhooks/webhooks-security)
    documented = {
        "CallSid": "CA1234567890ABCDE",
        "Caller": "+12349013030",
        "Digits": "1234",
        "From": "+12349013030",
        "To": "+18005551212",
    }
    example = "https://mycompany.com/myapp.php?foo=1&bar=2"
    assert sign("12345", example, documented) == "0/KCTR6DLpKmkAf8muzZqo1nDgQ="


# --- standalone processes ----------------------------------------------------------------------


async def test_telegram_as_a_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    with telegram_api.spawn() as process:
        control = process.control
        async with Bot(TEST_TOKEN, base_url=f"{process.url}/bot") as bot:
            await bot.send_message(CHAT, "hola")

            async with httpx.AsyncClient(base_url=process.url) as http:
                fail = {"status": 429, "times": 1, "retry_after": 2}
                assert (await http.post("/_fake/fail", json=fail)).status_code == 200
                with pytest.raises(RetryAfter) as caught:
                    await bot.send_message(CHAT, "hola")
                assert caught.value.retry_after == timedelta(seconds=2)
                calls = (await http.get("/_fake/calls")).json()
                assert [(c["method"], c["status"]) for c in calls] == [
                    ("getMe", 200),
                    ("sendMessage", 200),
                    ("sendMessage", 429),
                ]
                assert calls[1]["params"] == {"chat_id": CHAT, "text": "hola"}
                assert (await http.post("/_fake/reset")).status_code == 200
                assert (await http.get("/_fake/calls")).json() == []
                assert (await http.post("/_fake/fail", json={"status": "x"})).status_code == 400
                assert (await http.post("/_fake/nope", json={})).status_code == 404

            control.block_chat(CHAT)
            with pytest.raises(Forbidden):
                await bot.send_message(CHAT, "hola")
            control.queue_update(text_update(1, OTHER_CHAT, "hola"))
            assert [u.update_id for u in await bot.get_updates()] == [1]
            await control.await_for(lambda calls: len(calls) == 2, timeout=5)

            pid = process.pid
            process.kill()  # kill -9
            with pytest.raises(NetworkError):
                await bot.send_message(CHAT, "hola")
            process.restart()
            assert process.pid != pid
            assert control.calls() == []  # a new process starts empty
            assert (await bot.send_message(CHAT, "hola")).message_id == 1
            assert control.wait_for(lambda calls: len(calls) == 1)[0]["status"] == 200


def test_twilio_as_a_process() -> None:
    with twilio_api.spawn() as process:
        client = Client(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN)
        client.api.base_url = process.url
        try:
            client.messages.create(from_=SANDBOX_FROM, to=CUSTOMER, body="hola")
            process.control.fail_next(500)
            with pytest.raises(TwilioRestException) as caught:
                client.messages.create(from_=SANDBOX_FROM, to=CUSTOMER, body="hola")
            assert caught.value.status == 500
            calls: list[dict[str, Any]] = process.control.calls("messages.create")
            assert [c["status"] for c in calls] == [201, 500]
            assert calls[0]["params"]["Body"] == "hola"

            process.kill()
            process.restart()
            message = client.messages.create(from_=SANDBOX_FROM, to=CUSTOMER, body="otra vez")
            assert message.status == "queued"
            assert len(process.control.calls()) == 1
        finally:
            close_twilio(client)


# --- Mercado Pago ------------------------------------------------------------------------------


class ToFakeMercadoPago(HttpClient):  # type: ignore[misc]
    """The SDK's own HttpClient, with `https://api.mercadopago.com` swapped for the fake."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def request(
        self,
        method: str,
        url: str,
        maxretries: int | None = None,
        retry_on: list[int] | None = None,
        backoff_factor: float | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Rewrite the host, then let the SDK do the rest."""
        if url.startswith(API_BASE_URL):
            url = self.base_url + url.removeprefix(API_BASE_URL)
        result: dict[str, Any] = super().request(
            method,
            url,
            maxretries=maxretries,
            retry_on=retry_on,
            backoff_factor=backoff_factor,
            **kwargs,
        )
        return result


def mp_sdk_for(url: str, token: str = TEST_ACCESS_TOKEN) -> Any:
    """A real `mercadopago.SDK` talking to the fake at `url`."""
    return mercadopago.SDK(token, http_client=ToFakeMercadoPago(url))


def with_key(key: str) -> Any:
    """Per-call options with a stable `x-idempotency-key` (the SDK makes a random one)."""
    return RequestOptions(custom_headers={"x-idempotency-key": key})


def turno(**extra: Any) -> dict[str, Any]:
    """A booking's preference, as the app will build it."""
    return {
        "items": [{"title": "Corte", "quantity": 2, "unit_price": 7500.5, "currency_id": "ARS"}],
        "external_reference": "booking-123",
        **extra,
    }


@pytest.fixture
def mp() -> Iterator[FakeMercadoPago]:
    """A running fake Mercado Pago."""
    with FakeMercadoPago() as fake:
        yield fake


@pytest.fixture
def mp_sdk(mp: FakeMercadoPago) -> Any:
    """A real mercadopago SDK pointed at the fake."""
    return mp_sdk_for(mp.url)


@pytest.fixture
def paid(mp: FakeMercadoPago, mp_sdk: Any) -> int:
    """The id of an approved card payment of 15001.00 for a `turno()` preference."""
    preference = mp_sdk.preference().create(turno())["response"]
    return int(mp.pay(preference["id"])["id"])


def test_mp_preference_round_trip(mp: FakeMercadoPago, mp_sdk: Any) -> None:
    body = turno(
        back_urls={"success": "https://b.example/ok", "failure": "https://b.example/no"},
        auto_return="approved",
        expires=True,
        expiration_date_from="2026-03-01T10:00:00.000-03:00",
        expiration_date_to="2026-03-01T10:30:00.000-03:00",
        date_of_expiration="2026-03-04T10:00:00.000-03:00",
        binary_mode=True,
        payment_methods={"excluded_payment_types": [{"id": "ticket"}], "installments": 6},
        metadata={"booking_id": 123},
    )
    created = mp_sdk.preference().create(body)
    assert created["status"] == 201
    preference = created["response"]
    assert preference["id"].startswith("1234567890-")
    assert preference["init_point"] == (f"{mp.url}/checkout/v1/redirect?pref_id={preference['id']}")
    assert preference["sandbox_init_point"].endswith(preference["id"])
    assert preference["collector_id"] == 1234567890
    assert preference["date_created"].endswith("-03:00")
    assert {name: preference[name] for name in body} == body

    fetched = mp_sdk.preference().get(preference["id"])
    assert (fetched["status"], fetched["response"]) == (200, preference)
    assert mp.preferences() == [preference]
    missing = mp_sdk.preference().get("1234567890-nope")
    assert (missing["status"], missing["response"]["error"]) == (404, "not_found")

    # The SDK 3.6.0 warns about notification_url (pytest turns warnings into errors here).
    with pytest.warns(DeprecationWarning, match="notification_url"):
        hooked = mp_sdk.preference().create(turno(notification_url="https://b.example/hook"))
    assert hooked["response"]["notification_url"] == "https://b.example/hook"
    calls = mp.calls()
    assert [(c["method"], c["status"]) for c in calls] == [
        (PREFERENCE_CREATE, 201),
        (PREFERENCE_GET, 200),
        (PREFERENCE_GET, 404),
        (PREFERENCE_CREATE, 201),
    ]
    assert calls[0]["params"] == body
    assert calls[1]["resource_id"] == preference["id"]


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"items": []}, "invalid_items"),
        ({"external_reference": "x"}, "invalid_items"),
        ({"items": [{"quantity": 1, "unit_price": 10}]}, "invalid_items"),
        ({"items": [{"title": "Corte", "quantity": 0, "unit_price": 10}]}, "invalid_items"),
        ({"items": [{"title": "Corte", "quantity": 1, "unit_price": 0}]}, "invalid_items"),
        ({"items": [{"title": "Corte", "quantity": 1, "unit_price": "10"}]}, "invalid_items"),
        (turno(auto_return="approved"), "invalid_auto_return"),
    ],
)
def test_mp_preference_validation(
    mp: FakeMercadoPago, mp_sdk: Any, body: dict[str, Any], error: str
) -> None:
    answer = mp_sdk.preference().create(body)
    assert answer["status"] == 400
    assert answer["response"]["error"] == error
    assert answer["response"]["status"] == 400
    assert answer["response"]["cause"][0]["description"] == answer["response"]["message"]
    assert mp.preferences() == []


def test_mp_pay_then_get(mp: FakeMercadoPago, mp_sdk: Any) -> None:
    preference = mp_sdk.preference().create(turno(metadata={"booking_id": 123}))["response"]
    payment = mp.pay(preference["id"])
    answer = mp_sdk.payment().get(payment["id"])
    assert answer["status"] == 200
    got = answer["response"]
    assert got == payment
    assert isinstance(got["id"], int)
    assert (got["status"], got["status_detail"]) == ("approved", "accredited")
    assert got["transaction_amount"] == 15001.0
    assert got["transaction_amount_refunded"] == 0
    assert got["external_reference"] == "booking-123"
    assert got["preference_id"] == preference["id"]
    assert got["metadata"] == {"booking_id": 123}
    assert got["currency_id"] == "ARS"
    assert (got["payment_type_id"], got["payment_method_id"]) == ("credit_card", "visa")
    assert got["date_approved"] is not None
    assert got["refunds"] == []

    missing = mp_sdk.payment().get(999)
    assert missing["status"] == 404
    assert missing["response"]["message"] == "Payment not found"
    assert missing["response"]["cause"][0]["code"] == 2000

    ticket = mp.pay(
        preference["id"],
        "pending",
        payment_type_id="ticket",
        payment_method_id="rapipago",
        amount=100,
    )
    assert (ticket["status"], ticket["status_detail"]) == ("pending", "pending_waiting_payment")
    assert (ticket["transaction_amount"], ticket["date_approved"]) == (100.0, None)
    mp.set_status(ticket["id"], "approved")
    later = mp_sdk.payment().get(ticket["id"])["response"]
    assert (later["status"], later["status_detail"]) == ("approved", "accredited")
    assert later["date_approved"] is not None
    assert [p["id"] for p in mp.payments()] == [payment["id"], ticket["id"]]


def test_mp_pay_follows_the_preference(mp: FakeMercadoPago, mp_sdk: Any) -> None:
    no_cash = turno(payment_methods={"excluded_payment_types": [{"id": "ticket"}]})
    preference = mp_sdk.preference().create(no_cash)["response"]
    with pytest.raises(ValueError, match="ticket"):
        mp.pay(preference["id"], "pending", payment_type_id="ticket", payment_method_id="rapipago")
    binary = mp_sdk.preference().create(turno(binary_mode=True))["response"]
    with pytest.raises(ValueError, match="binary_mode"):
        mp.pay(binary["id"], "in_process")
    rejected = mp.pay(binary["id"], "rejected", status_detail="cc_rejected_insufficient_amount")
    assert rejected["status_detail"] == "cc_rejected_insufficient_amount"
    with pytest.raises(KeyError):
        mp.pay("1234567890-nope")
    with pytest.raises(ValueError, match="status"):
        mp.set_status(rejected["id"], "lost")


def test_mp_full_refund(mp: FakeMercadoPago, mp_sdk: Any, paid: int) -> None:
    answer = mp_sdk.refund().create(paid)
    assert answer["status"] == 201
    refund = answer["response"]
    assert isinstance(refund["id"], int)
    assert (refund["payment_id"], refund["amount"], refund["status"]) == (paid, 15001.0, "approved")
    assert refund["source"]["type"] == "collector"
    assert mp.refunds() == mp.refunds(paid) == [refund]

    payment = mp_sdk.payment().get(paid)["response"]
    assert (payment["status"], payment["status_detail"]) == ("refunded", "refunded")
    assert payment["transaction_amount_refunded"] == 15001.0
    assert payment["refunds"] == [refund]
    assert mp_sdk.refund().list_all(paid)["response"] == [refund]

    again = mp_sdk.refund().create(paid)
    assert (again["status"], again["response"]["error"]) == (400, "invalid_payment_status")
    assert len(mp.refunds()) == 1


def test_mp_partial_refunds(mp: FakeMercadoPago, mp_sdk: Any, paid: int) -> None:
    first = mp_sdk.refund().create(paid, {"amount": 5000})
    assert (first["status"], first["response"]["amount"]) == (201, 5000.0)
    payment = mp_sdk.payment().get(paid)["response"]
    assert (payment["status"], payment["transaction_amount_refunded"]) == ("approved", 5000.0)

    too_much = mp_sdk.refund().create(paid, {"amount": 10001.01})
    assert (too_much["status"], too_much["response"]["error"]) == (400, "invalid_refund_amount")
    zero = mp_sdk.refund().create(paid, {"amount": 0})
    assert (zero["status"], zero["response"]["error"]) == (400, "invalid_refund_amount")

    rest = mp_sdk.refund().create(paid)
    assert (rest["status"], rest["response"]["amount"]) == (201, 10001.0)
    assert mp_sdk.payment().get(paid)["response"]["status"] == "refunded"
    assert [r["amount"] for r in mp.refunds(paid)] == [5000.0, 10001.0]


def test_mp_not_approved_cannot_be_refunded(mp: FakeMercadoPago, mp_sdk: Any) -> None:
    preference = mp_sdk.preference().create(turno())["response"]
    ticket = mp.pay(preference["id"], "pending", payment_type_id="ticket")
    answer = mp_sdk.refund().create(ticket["id"])
    assert (answer["status"], answer["response"]["error"]) == (400, "invalid_payment_status")
    assert mp_sdk.refund().create(424242)["status"] == 404
    assert mp.refunds() == []


def test_mp_same_idempotency_key_refunds_once(mp: FakeMercadoPago, mp_sdk: Any, paid: int) -> None:
    first = mp_sdk.refund().create(paid, {"amount": 4000}, request_options=with_key("refund-1"))
    second = mp_sdk.refund().create(paid, {"amount": 4000}, request_options=with_key("refund-1"))
    assert first["status"] == second["status"] == 201
    assert second["response"] == first["response"]
    assert len(mp.refunds(paid)) == 1
    assert mp_sdk.payment().get(paid)["response"]["transaction_amount_refunded"] == 4000.0

    other = mp_sdk.refund().create(paid, {"amount": 4000}, request_options=with_key("refund-2"))
    assert other["status"] == 201
    assert other["response"]["id"] != first["response"]["id"]
    assert len(mp.refunds(paid)) == 2
    keys = [c["idempotency_key"] for c in mp.calls(REFUND_CREATE)]
    assert keys == ["refund-1", "refund-1", "refund-2"]


def test_mp_injected_failure_refunds_nothing(mp: FakeMercadoPago, mp_sdk: Any, paid: int) -> None:
    mp.fail_next(500)
    answer = mp_sdk.refund().create(paid, request_options=with_key("refund-1"))
    assert answer["status"] == 500
    assert answer["response"] == {
        "message": "internal_error",
        "error": "internal_server_error",
        "status": 500,
        "cause": [],
    }
    assert mp.refunds() == []
    assert mp_sdk.payment().get(paid)["response"]["status"] == "approved"
    # One call: the SDK's retry adapter is mounted on https:// only, so nothing retried here.
    assert [c["status"] for c in mp.calls(REFUND_CREATE)] == [500]

    retried = mp_sdk.refund().create(paid, request_options=with_key("refund-1"))
    assert retried["status"] == 201
    assert len(mp.refunds()) == 1


def test_mp_failure_after_the_work(mp: FakeMercadoPago, mp_sdk: Any, paid: int) -> None:
    mp.fail_after_next(500, methods=[REFUND_CREATE])
    lost = mp_sdk.refund().create(paid, {"amount": 1000}, request_options=with_key("refund-1"))
    assert lost["status"] == 500
    [refund] = mp.refunds()  # MP did refund; only the answer was lost
    retried = mp_sdk.refund().create(paid, {"amount": 1000}, request_options=with_key("refund-1"))
    assert (retried["status"], retried["response"]) == (201, refund)
    assert len(mp.refunds()) == 1

    # Without a stable key the SDK sends a new random one, and the retry refunds twice.
    mp.fail_next(500, after=True, methods=[REFUND_CREATE])
    assert mp_sdk.refund().create(paid, {"amount": 1000})["status"] == 500
    assert mp_sdk.refund().create(paid, {"amount": 1000})["status"] == 201
    assert [r["amount"] for r in mp.refunds()] == [1000.0, 1000.0, 1000.0]


def test_mp_fail_next(mp: FakeMercadoPago, mp_sdk: Any, paid: int) -> None:
    mp.fail_next(429, 2, message="too many requests, slow down")
    for _ in range(2):
        answer = mp_sdk.payment().get(paid)
        assert answer["status"] == 429
        assert answer["response"]["error"] == "too_many_requests"
        assert answer["response"]["message"] == "too many requests, slow down"
    assert mp_sdk.payment().get(paid)["status"] == 200

    mp.fail_next(503, methods=[PREFERENCE_CREATE])
    assert mp_sdk.payment().get(paid)["status"] == 200
    assert mp_sdk.preference().create(turno())["status"] == 503
    assert len(mp.preferences()) == 1  # the fixture's: a plain failure stores nothing
    mp.fail_after_next(500, methods=[PREFERENCE_CREATE])
    assert mp_sdk.preference().create(turno())["status"] == 500
    assert len(mp.preferences()) == 2  # created, the answer lost (MP has no key for these)
    assert mp.pending_failures() == []
    with pytest.raises(ValueError, match="unknown methods"):
        mp.fail_next(500, methods=["payment.create"])


def test_mp_checks_the_access_token(mp: FakeMercadoPago, paid: int) -> None:
    mp.fail_next(500)
    wrong = mp_sdk_for(mp.url, "TEST-wrong-token")
    answer = wrong.payment().get(paid)
    assert answer["status"] == 401
    assert answer["response"] == {
        "message": "invalid access token",
        "error": "unauthorized",
        "status": 401,
        "cause": [],
    }
    assert wrong.refund().create(paid)["status"] == 401
    assert mp.refunds() == []
    assert [c["auth_ok"] for c in mp.calls(PAYMENT_GET)] == [False]
    assert len(mp.pending_failures()) == 1  # a refused call does not use up a failure


def test_mp_notification_signature(mp: FakeMercadoPago, paid: int) -> None:
    path, headers, body = mp.notification(paid)
    url = urlsplit(path)
    assert url.path == "/webhooks/mercadopago"
    query = parse_qs(url.query)
    assert query == {"data.id": [str(paid)], "type": ["payment"]}
    assert body["data"] == {"id": str(paid)}
    assert (body["type"], body["action"]) == ("payment", "payment.updated")
    assert body["live_mode"] is False
    assert isinstance(body["id"], int)
    assert headers["content-type"] == "application/json"
    ts = headers["x-signature"].split(",")[0].removeprefix("ts=")
    assert abs(int(ts) - time.time()) < 60  # seconds, as the 3.6.0 validator compares them

    WebhookSignatureValidator.validate(
        headers["x-signature"],
        headers["x-request-id"],
        query["data.id"][0],
        TEST_WEBHOOK_SECRET,
        tolerance_seconds=300,
    )
    _, tampered, _ = mp.notification(paid, tamper=True)
    with pytest.raises(InvalidWebhookSignatureError) as caught:
        WebhookSignatureValidator.validate(
            tampered["x-signature"], tampered["x-request-id"], str(paid), TEST_WEBHOOK_SECRET
        )
    assert caught.value.reason is SignatureFailureReason.SIGNATURE_MISMATCH
    with pytest.raises(InvalidWebhookSignatureError):
        WebhookSignatureValidator.validate(
            headers["x-signature"], headers["x-request-id"], str(paid), "another-secret"
        )

    _, old, _ = mp.notification(paid, request_id="req-1", ts=int(time.time()) - 3600)
    assert old["x-request-id"] == "req-1"
    WebhookSignatureValidator.validate(old["x-signature"], "req-1", str(paid), TEST_WEBHOOK_SECRET)
    with pytest.raises(InvalidWebhookSignatureError) as caught:
        WebhookSignatureValidator.validate(
            old["x-signature"], "req-1", str(paid), TEST_WEBHOOK_SECRET, tolerance_seconds=300
        )
    assert caught.value.reason is SignatureFailureReason.TIMESTAMP_OUT_OF_TOLERANCE

    manifest = b"id:123;request-id:req-1;ts:1700000000;"
    expected = hmac.new(b"s3cr3t", manifest, hashlib.sha256).hexdigest()
    assert mercadopago_api.sign("123", "req-1", 1700000000, "s3cr3t") == expected


def test_mercadopago_as_a_process() -> None:
    with mercadopago_api.spawn() as process:
        sdk = mp_sdk_for(process.url)
        control = process.control
        preference = sdk.preference().create(turno())["response"]
        assert [p["id"] for p in control.preferences()] == [preference["id"]]
        payment = control.pay(preference["id"], "pending", payment_type_id="ticket")
        assert sdk.payment().get(payment["id"])["response"]["status"] == "pending"
        control.set_status(payment["id"], "approved")

        control.fail_after_next(500, methods=[REFUND_CREATE])
        assert sdk.refund().create(payment["id"], request_options=with_key("r-1"))["status"] == 500
        assert len(control.refunds(payment["id"])) == 1
        assert sdk.refund().create(payment["id"], request_options=with_key("r-1"))["status"] == 201
        assert control.payments()[0]["status"] == "refunded"
        calls = control.calls(REFUND_CREATE)
        assert [(c["status"], c["idempotency_key"]) for c in calls] == [(500, "r-1"), (201, "r-1")]

        with httpx.Client(base_url=process.url) as http:
            answer = http.post("/_fake/notification", json={"payment_id": payment["id"]}).json()
            assert answer["path"].endswith(f"data.id={payment['id']}&type=payment")
            assert http.post("/_fake/pay", json={"preference_id": "nope"}).status_code == 400

        process.kill()
        process.restart()
        assert control.payments() == []
        assert sdk.payment().get(payment["id"])["status"] == 404
