"""A word to the shop owner's own chats (the staff links without a professional): changes
that matter to them, made from the dashboard, such as where the money goes now."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from conversations.messages import Outgoing
from domain.model import Shop
from domain.storage.channels import OutboxMessage, enqueue_messages, shop_staff_links
from domain.storage.uow import UnitOfWorkFactory


async def tell_owner(
    uow_factory: UnitOfWorkFactory,
    channels: Mapping[str, Any],
    shop: Shop,
    text: str,
    now: datetime,
) -> int:
    """Queue `text` to each of the owner's linked chats on a channel that is running; how
    many chats it goes to (0: the owner has linked none)."""
    messages: list[OutboxMessage] = []
    chats = 0
    for link in await shop_staff_links(uow_factory, shop.id):
        channel = channels.get(link.channel)
        if link.professional_id is not None or channel is None:
            continue
        messages += channel.render([Outgoing(text)], None, link.chat_id, shop.id, shop.locale)
        chats += 1
    if messages:
        await enqueue_messages(uow_factory, messages, now)
    return chats
