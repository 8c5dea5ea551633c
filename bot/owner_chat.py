"""A word to the shop owner's own chats (the staff links without a professional): changes
that matter to them, made from the dashboard, such as where the money goes now."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bot.i18n import translations
from conversations.messages import Outgoing
from domain.audit import Actor, Source, last4, mask_email
from domain.model import Shop
from domain.payments import PaymentSettings
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


def destination_notice(
    shop: Shop, before: PaymentSettings, after: PaymentSettings, actor: Actor
) -> str:
    """«Cambió el CBU de cobro: …1234, desde el panel por ana@…»: what changed, masked to its
    last 4 (the chat is a phone's notification, not a safe), where and by whom."""
    _ = translations(shop.locale).gettext
    parts = []
    for label, old, new in (
        (_("the CBU/CVU"), before.transfer_account, after.transfer_account),
        (_("the alias"), before.transfer_alias, after.transfer_alias),
        (_("the CUIT"), before.cuit, after.cuit),
    ):
        if old != new:
            parts.append(f"{label} {last4(new) if new else '—'}")
    where = _("the dashboard") if actor.source is Source.DASHBOARD else _("the API")
    who = actor.label.partition(" ")[2]
    if actor.source is Source.DASHBOARD:
        who = mask_email(who)
    text = _(
        "🔐 {shop}: changed where payments go: {what}, from {where} by {who}\n"
        "If it wasn't you, change your password and check it now."
    )
    return text.format(shop=shop.name, what=", ".join(parts), where=where, who=who)
