"""The app with both messaging channels on, talking to the fake Telegram and Twilio servers,
and drivers that chat with it the way the real apps would (webhook posts with real payloads)."""

from __future__ import annotations

import asyncio
import itertools
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from bot.channels.base import Limits
from bot.settings import Settings
from domain.storage.tables import OutboxRow
from tests.fakes.telegram_api import FakeTelegram, callback_update, contact_update, text_update
from tests.fakes.twilio_api import FakeTwilio, inbound_form, sign
from tests.helpers import FixedClock
from web.app import create_app

TOKEN = "123456:TEST-token"
SECRET = "s3cret-webhook_token"
PUBLIC_URL = "https://barberpro.example.com"
WHATSAPP_FROM = "whatsapp:+14155238886"
FAST = Limits(per_second=1000.0, chat_burst=100, chat_per_second=1000.0)


def channel_settings(database_url: str, telegram: FakeTelegram, twilio: FakeTwilio) -> Settings:
    """Settings with Telegram and WhatsApp pointed at the fakes."""
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=database_url,
        public_url=PUBLIC_URL,
        telegram_token=TOKEN,
        telegram_webhook_secret=SECRET,
        telegram_api_url=telegram.url,
        twilio_account_sid=twilio.account_sid,
        twilio_auth_token=twilio.auth_token,
        twilio_whatsapp_from=WHATSAPP_FROM,
        twilio_api_url=twilio.url,
    )


@asynccontextmanager
async def live_app(
    settings: Settings, clock: FixedClock, *, fast: bool = True
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """The app, lifespan running, and a client on it; `fast` lifts the channels' rate limits."""
    app = create_app(settings, clock)
    async with app.router.lifespan_context(app):
        if fast:
            for channel in app.state.channels.values():
                channel.limits = FAST
            app.state.outbox.reset_limits()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL) as client:
            yield app, client


async def settle(app: FastAPI, within: float = 20.0) -> None:
    """Wait until every accepted message is processed and every due outbox message is out."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while loop.time() < deadline:
        await app.state.runtime.idle()
        await app.state.outbox.run_once()
        await app.state.outbox.drain()
        async with app.state.uow_factory.read_only() as uow:
            pending = await uow.session.scalar(
                select(func.count()).where(OutboxRow.status == "pending")
            )
        if not pending and not app.state.runtime.busy:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the app did not settle: messages still pending")


_update_ids = itertools.count(10_000)


@dataclass
class TelegramUser:
    """A person chatting with the bot on Telegram (webhook posts, replies read off the fake)."""

    app: FastAPI
    client: httpx.AsyncClient
    fake: FakeTelegram
    chat_id: int
    first_name: str = "Martina"
    seen: int = 0  # how many of the bot's messages to this chat were read already
    last: list[dict[str, Any]] = field(default_factory=list)

    async def post(self, update: dict[str, Any], secret: str | None = SECRET) -> httpx.Response:
        """Post an update to the webhook (with the secret header unless told otherwise)."""
        headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
        return await self.client.post("/webhooks/telegram", json=update, headers=headers)

    async def say(self, text: str) -> list[dict[str, Any]]:
        """Send text; returns the bot's new messages (text, choices, message_id)."""
        update = text_update(next(_update_ids), self.chat_id, text, self.first_name)
        assert (await self.post(update)).status_code == 200
        return await self.replies()

    async def share_contact(self, phone: str) -> list[dict[str, Any]]:
        """Tap the contact button: share their own number."""
        update = contact_update(next(_update_ids), self.chat_id, phone, first_name=self.first_name)
        assert (await self.post(update)).status_code == 200
        return await self.replies()

    async def tap(self, label: str) -> list[dict[str, Any]]:
        """Tap the button starting with `label` on the latest message that has buttons."""
        message = self.keyboard_message()
        for row in message["reply_markup"]["inline_keyboard"]:
            for button in row:
                if button["text"].startswith(label):
                    return await self.tap_data(button["callback_data"], message["message_id"])
        raise AssertionError(f"no button {label!r} in {self.buttons(message)}")

    async def tap_data(self, data: str, message_id: int) -> list[dict[str, Any]]:
        """Tap a button with this callback data under the bot's message `message_id`."""
        update = callback_update(next(_update_ids), self.chat_id, data, message_id)
        assert (await self.post(update)).status_code == 200
        return await self.replies()

    async def replies(self) -> list[dict[str, Any]]:
        """The bot's messages to this chat since the last look."""
        await settle(self.app)
        sent = self.fake.sent(self.chat_id)
        new = [_message(call) for call in sent[self.seen :]]
        self.seen = len(sent)
        self.last = new
        return new

    def keyboard_message(self) -> dict[str, Any]:
        """The bot's latest message in this chat with an inline keyboard, as it stands now."""
        for call in reversed(self.fake.sent(self.chat_id)):
            if "inline_keyboard" in (call["params"].get("reply_markup") or {}):
                message_id = call["response"]["result"]["message_id"]
                current = self.fake.message(self.chat_id, message_id)
                assert current is not None
                return {"message_id": message_id, **current}
        raise AssertionError("no message with buttons yet")

    @staticmethod
    def buttons(message: dict[str, Any]) -> list[str]:
        """The labels of a message's inline buttons."""
        markup = message.get("reply_markup") or {}
        return [b["text"] for row in markup.get("inline_keyboard", []) for b in row]

    def text(self) -> str:
        """The texts of the latest replies, joined."""
        return "\n".join(m["text"] for m in self.last)


def _message(call: dict[str, Any]) -> dict[str, Any]:
    params = call["params"]
    return {
        "text": params.get("text", ""),
        "reply_markup": params.get("reply_markup"),
        "message_id": call["response"]["result"]["message_id"],
    }


_message_sids = itertools.count(1)


@dataclass
class WhatsAppUser:
    """A person writing to the shop's WhatsApp number (signed Twilio form posts)."""

    app: FastAPI
    client: httpx.AsyncClient
    fake: FakeTwilio
    address: str  # "whatsapp:+5491155550000"
    profile_name: str = "Lucía"
    seen: int = 0
    last: list[str] = field(default_factory=list)

    async def post(self, form: dict[str, str], signature: str | None = None) -> httpx.Response:
        """Post a form to the webhook, signed with the auth token unless a signature is given."""
        url = f"{PUBLIC_URL}/webhooks/whatsapp"
        header = signature if signature is not None else sign(self.fake.auth_token, url, form)
        return await self.client.post(
            "/webhooks/whatsapp", data=form, headers={"X-Twilio-Signature": header}
        )

    def form(self, body: str, **extra: str) -> dict[str, str]:
        """An inbound message form as Twilio sends it."""
        sid = f"SM{next(_message_sids):032x}"
        return inbound_form(sid, self.address, body, WHATSAPP_FROM, self.profile_name, **extra)

    async def say(self, body: str, **extra: str) -> list[str]:
        """Send a message; returns the bot's new message bodies."""
        response = await self.post(self.form(body, **extra))
        assert response.status_code == 200, response.text
        return await self.replies()

    async def pick(self, label: str) -> list[str]:
        """Answer the latest numbered list with the number of the option starting with `label`."""
        return await self.say(str(self.number_of(label)))

    def number_of(self, label: str) -> int:
        """The number the latest list gives the option starting with `label`."""
        for line in reversed("\n".join(self.last).splitlines()):
            found = re.match(r"^(\d+)\. (.*)$", line)
            if found and found.group(2).startswith(label):
                return int(found.group(1))
        raise AssertionError(f"no option {label!r} in {self.last}")

    async def replies(self) -> list[str]:
        """The bot's messages to this person since the last look."""
        await settle(self.app)
        sent = self.fake.sent(self.address)
        new = [call["params"].get("Body", "") for call in sent[self.seen :]]
        self.seen = len(sent)
        self.last = new
        return new

    def text(self) -> str:
        """The latest replies, joined."""
        return "\n".join(self.last)
