"""The bot writing first: a nudge (reminder, offer, comeback) run as the chat's next turn, or a
plain word to the customer (a hold ran out, a payment arrived)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from conversations.commands import Nudge
from conversations.messages import Outgoing
from domain.model import Shop
from domain.storage.channels import OutboxMessage, enqueue_messages, keyed
from domain.storage.chat import customer_chat
from domain.storage.uow import UnitOfWorkFactory

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
        return keyed(channel.render(replies, None, chat_id, shop.id, shop.locale), key)

    await dispatcher.handle(channel_name, chat_id, nudge, shop_id=shop_id, render=render)


async def tell(
    uow_factory: UnitOfWorkFactory,
    channels: dict[str, Any],
    customer_id: int,
    shop: Shop,
    text: str,
    key: str,
    now: datetime,
) -> bool:
    """Queue a message (no question attached) in the chat the customer last used with the shop,
    keyed `key:<n>` so saying it twice sends it once; False when they have no chat."""
    chat = await customer_chat(uow_factory, customer_id, shop.id, list(channels))
    if chat is None:
        return False
    channel_name, chat_id = chat
    rendered = channels[channel_name].render([Outgoing(text)], None, chat_id, shop.id, shop.locale)
    await enqueue_messages(uow_factory, keyed(rendered, key), now)
    return True
