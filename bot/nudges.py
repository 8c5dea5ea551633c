"""The bot writing first: a nudge (reminder, offer, comeback) run through a customer's chat."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from conversations.commands import Nudge
from conversations.messages import Outgoing
from domain.model import Shop
from domain.storage.channels import OutboxMessage

if TYPE_CHECKING:  # the dispatcher's own module uses the waitlist, which writes first
    from bot.dispatcher import Dispatcher


async def write_first(
    dispatcher: Dispatcher,
    channels: dict[str, Any],
    chat: tuple[str, str],
    nudge: Nudge,
    shop_id: int,
    key: str,
) -> None:
    """Run the nudge as the chat's next turn; its messages are queued with the new state, keyed
    `key:<n>` so a job that runs twice (a crash after the turn) sends them once."""
    channel_name, chat_id = chat
    channel = channels[channel_name]

    def render(replies: tuple[Outgoing, ...], shop: Shop) -> list[OutboxMessage]:
        rendered: list[OutboxMessage] = channel.render(replies, None, chat_id, shop.id, shop.locale)
        return [
            OutboxMessage(m.channel, m.chat_id, m.payload, m.shop_id, f"{key}:{n}")
            for n, m in enumerate(rendered)
        ]

    await dispatcher.handle(channel_name, chat_id, nudge, shop_id=shop_id, render=render)
