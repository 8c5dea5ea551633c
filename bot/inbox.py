"""Answering what a customer left for the shop («hablar con alguien»): the reply goes to the
very chat they wrote from, as the shop's words, through the outbox. The REST API and the
dashboard both answer through here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.i18n import translations
from conversations.messages import Outgoing
from domain.errors import Conflict, InvalidRequest
from domain.model import Shop
from domain.storage.inbox import Reply, add_reply, shop_message
from domain.storage.uow import UnitOfWorkFactory

MAX_REPLY = 1000  # with the shop's name in front, well inside WhatsApp's 1600 characters


class ChannelOff(Conflict):
    """The chat the customer wrote from is on a channel this process does not run."""

    code = "channel_unavailable"

    def __init__(self, channel: str) -> None:
        super().__init__(f"the {channel} channel is not running: nothing was sent")
        self.channel = channel


def clean_reply(text: str) -> str:
    """The reply as sent (trimmed); InvalidRequest when it is empty or too long."""
    clean = text.strip()
    if not clean or len(clean) > MAX_REPLY or "\x00" in clean:
        raise InvalidRequest(f"a reply has 1 to {MAX_REPLY} characters", field="text")
    return clean


async def answer_message(
    uow_factory: UnitOfWorkFactory,
    channels: dict[str, Any],
    shop: Shop,
    message_id: int,
    text: str,
    now: datetime,
) -> Reply:
    """Send `text` to the customer's chat on the channel they wrote from and mark the message
    read; NotFound when it is not the shop's, ChannelOff (nothing stored) when that channel
    is not running here."""
    text = clean_reply(text)
    message = await shop_message(uow_factory, shop.id, message_id)
    channel = channels.get(message.channel)
    if channel is None:
        raise ChannelOff(message.channel)
    rendered = channel.render(
        [Outgoing(from_the_shop(shop, text))], None, message.chat_id, shop.id, shop.locale
    )
    return await add_reply(uow_factory, shop.id, message.id, text, rendered, now)


def from_the_shop(shop: Shop, text: str) -> str:
    """The reply as the customer reads it: the shop's name, then its words."""
    _ = translations(shop.locale).gettext
    return _("💬 {shop}: {text}").format(shop=shop.name, text=text)
