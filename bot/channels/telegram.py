"""Telegram through python-telegram-bot: the bot, its webhook check, rendering and sending.

The `Application` is built with `updater(None)`: updates reach us through our own FastAPI route
(or `poll()` in development), are recorded in the inbox, and are processed by the channel
runtime; replies leave through the outbox, which calls `send()`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import os
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import Any

# PTB 22 warns that RetryAfter.retry_after becomes a timedelta; opt in to that now.
os.environ.setdefault("PTB_TIMEDELTA", "true")

from telegram import Bot, Update
from telegram.constants import ChatAction
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import Application

from bot.channels.base import GiveUp, Inbound, Limits, RetryLater
from bot.channels.telegram_format import (
    from_payload,
    inline_keyboard,
    markup_from_payload,
    parse_update,
    payload_parts,
    to_payload,
)
from bot.channels.webhook_contract import TELEGRAM_SECRET_HEADER
from bot.settings import Settings
from conversations.messages import Outgoing
from domain.storage.channels import OutboxItem, OutboxMessage

log = logging.getLogger(__name__)

NAME = "telegram"
WEBHOOK_PATH = "/webhooks/telegram"
SECRET_HEADER = TELEGRAM_SECRET_HEADER
ALLOWED_UPDATES = ["message", "callback_query"]


class TelegramChannel:
    """One bot: receives updates, renders replies as messages with inline keyboards, sends."""

    name = NAME
    # Telegram: about 1 message a second per chat (short bursts tolerated), 30 a second overall.
    limits = Limits(per_second=25.0, chat_burst=3, chat_per_second=1.0)

    def __init__(self, settings: Settings) -> None:
        api = settings.telegram_api_url.rstrip("/")
        self.application = (
            Application.builder()
            .token(settings.telegram_token or "")
            .updater(None)
            .base_url(f"{api}/bot")
            .base_file_url(f"{api}/file/bot")
            .build()
        )
        self.bot: Bot = self.application.bot
        self.secret = settings.telegram_webhook_secret
        self.public_url = settings.public_url.rstrip("/")
        self.status = "starting"
        self.username: str | None = None
        self._background: set[asyncio.Task[Any]] = set()

    async def start(self) -> None:
        """Initialise the bot (getMe); an unreachable API is reported, not fatal."""
        try:
            await self.application.initialize()
        except (TelegramError, InvalidToken) as error:
            self.status = f"unreachable: {error}"
            log.error("telegram: could not reach the Bot API (%s); will retry on send", error)
        else:
            self.username = self.bot.username
            self.status = f"ready as @{self.username}"
            log.info("telegram: %s", self.status)
            if not self.secret:
                log.warning(
                    "telegram: BARBERPRO_TELEGRAM_WEBHOOK_SECRET is unset, so the webhook "
                    "refuses every update; set it, or use `serve --telegram-polling`"
                )

    async def stop(self) -> None:
        """Close the bot's HTTP connections."""
        if self._background:
            await asyncio.wait(self._background, timeout=2)
        await self.application.shutdown()  # a no-op when it never initialised

    # ---- inbound ----------------------------------------------------------------------

    def check_secret(self, header: str | None) -> bool:
        """The webhook's secret header, compared in constant time (no secret set: refuse)."""
        if not self.secret or header is None:
            return False
        return hmac.compare_digest(header.encode(), self.secret.encode())

    def parse(self, data: dict[str, Any]) -> Inbound | None:
        """An update's JSON as an inbound message (None: nothing for the bot to do)."""
        return parse_update(Update.de_json(data, self.bot))

    def acknowledge(self, inbound: Inbound, *, typing: bool = True) -> None:
        """Stop the tapped button's spinner and show "typing…", without holding the turn up.

        A dropped (throttled) message gets `typing=False`: its tap is answered all the same.
        """
        if inbound.callback_query_id:
            self._spawn(self.bot.answer_callback_query(inbound.callback_query_id))
        if typing:
            self._spawn(self.bot.send_chat_action(inbound.chat_id, ChatAction.TYPING))

    def _spawn(self, call: Awaitable[Any]) -> None:
        async def quietly() -> None:
            with contextlib.suppress(TelegramError):  # best effort: the reply matters, not this
                await call

        task = asyncio.create_task(quietly())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def poll(self, accept: Callable[[dict[str, Any]], Awaitable[object]]) -> None:
        """Development mode: fetch updates with getUpdates and hand each to `accept`."""
        await self.bot.delete_webhook()
        offset: int | None = None
        log.info("telegram: polling for updates (development mode)")
        while True:
            try:
                updates = await self.bot.get_updates(
                    offset=offset, timeout=20, allowed_updates=ALLOWED_UPDATES
                )
            except RetryAfter as error:
                await asyncio.sleep(_seconds(error.retry_after))
                continue
            except (NetworkError, TelegramError) as error:
                log.warning("telegram: getUpdates failed (%s); retrying", error)
                await asyncio.sleep(2)
                continue
            for update in updates:
                await accept(update.to_dict())
                offset = update.update_id + 1

    async def set_webhook(self) -> str:
        """Register our public webhook URL and secret with Telegram; returns the URL."""
        if not self.secret:
            raise ValueError("set BARBERPRO_TELEGRAM_WEBHOOK_SECRET first")
        url = f"{self.public_url}{WEBHOOK_PATH}"
        async with self.bot:
            await self.bot.set_webhook(
                url, secret_token=self.secret, allowed_updates=ALLOWED_UPDATES
            )
        return url

    # ---- outbound ---------------------------------------------------------------------

    def render(
        self,
        replies: Sequence[Outgoing],
        inbound: Inbound | None,
        chat_id: str,
        shop_id: int | None,
        locale: str = "es_AR",
    ) -> list[OutboxMessage]:
        """Replies as outbox messages; another page of a list replaces the tapped message."""
        messages: list[OutboxMessage] = []
        for reply in replies:
            parts = payload_parts(reply)
            for payload in parts:
                if (
                    reply.page
                    and len(replies) == 1
                    and len(parts) == 1
                    and inbound is not None
                    and inbound.message_id is not None
                ):
                    payload["edit"] = inbound.message_id
                messages.append(OutboxMessage(NAME, chat_id, payload, shop_id))
        return messages

    def contact_request(
        self, chat_id: str, text: str, label: str, shop_id: int | None
    ) -> OutboxMessage:
        """The one-time offer to share their number (a reply keyboard with the contact button)."""
        return OutboxMessage(
            NAME, chat_id, to_payload(Outgoing(text), contact_label=label), shop_id
        )

    def contact_thanks(self, chat_id: str, text: str, shop_id: int | None) -> OutboxMessage:
        """A message that also takes the contact keyboard away."""
        payload = to_payload(Outgoing(text), remove_keyboard=True)
        return OutboxMessage(NAME, chat_id, payload, shop_id)

    async def send(self, item: OutboxItem) -> str | None:
        """Deliver one outbox message; errors become RetryLater or GiveUp."""
        payload = item.payload
        try:
            if "edit" in payload:
                edited = await self._edit(item.chat_id, payload)
                if edited is not None:
                    return edited
            return await self._send(item.chat_id, payload)
        except RetryAfter as error:
            raise RetryLater(
                "429 flood control", _seconds(error.retry_after), whole_channel=True
            ) from error
        except Forbidden as error:  # the person blocked the bot or deleted their account
            raise GiveUp(f"forbidden: {error.message}") from error
        except BadRequest as error:
            raise GiveUp(f"bad request: {error.message}") from error
        except NetworkError as error:  # 5xx, timeouts, connection errors (TimedOut is one)
            raise RetryLater(f"network: {error.message}") from error

    async def _send(self, chat_id: str, payload: dict[str, Any]) -> str:
        markup = markup_from_payload(payload)
        message = await self.bot.send_message(chat_id, payload["text"], reply_markup=markup)
        return str(message.message_id)

    async def _edit(self, chat_id: str, payload: dict[str, Any]) -> str | None:
        """Edit the list in place; None when that message is gone (then it is sent anew)."""
        try:
            await self.bot.edit_message_text(
                payload["text"],
                chat_id=chat_id,
                message_id=payload["edit"],
                reply_markup=inline_keyboard(from_payload(payload).choices),
            )
        except BadRequest as error:
            text = error.message.lower()
            if "not modified" in text:
                return str(payload["edit"])
            if "not found" in text or "can't be edited" in text:
                return None
            raise
        return str(payload["edit"])


def _seconds(retry_after: int | float | timedelta) -> float:
    """PTB gives retry_after as seconds or (newer) a timedelta."""
    if isinstance(retry_after, timedelta):
        return retry_after.total_seconds()
    return float(retry_after)
