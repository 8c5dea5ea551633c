"""Acts on booking events: tells professionals (and the owner) about new, cancelled and moved
turnos in their chats, and plans or drops the customer's reminders.

Booking events are written in the same transaction as the change (whatever made it: a chat,
the REST API); each outbox round turns the unhandled ones into outbox messages, one per
linked chat, and into reminder jobs, marking the event handled in the same transaction (so each
is acted on once).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, Literal, cast

from sqlalchemy.ext.asyncio import AsyncSession

from bot import reminders
from bot.catalog_cache import CatalogCache, NoShop
from bot.i18n import translations
from conversations.messages import Outgoing
from conversations.staff import StaffContext, notification_text
from domain.ports import Clock
from domain.storage.agenda import booking_line
from domain.storage.channels import (
    OutboxMessage,
    PendingEvent,
    handle_event,
    pending_events,
    staff_chats,
)
from domain.storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)


class Notifier:
    """Turns booking events into messages for the staff chats."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        catalogs: CatalogCache,
        channels: dict[str, Any],
    ) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.catalogs = catalogs
        self.channels = channels

    async def run_once(self) -> int:
        """Announce what happened since the last round; returns how many events."""
        events = await pending_events(self.uow_factory)
        for event in events:
            messages: list[OutboxMessage] = []
            line = await booking_line(self.uow_factory, event.booking_id)
            if line is not None:
                chats = [
                    c
                    for c in await staff_chats(
                        self.uow_factory, event.shop_id, line.professional_id
                    )
                    if c.channel in self.channels
                ]
                previous = None
                if event.previous_booking_id is not None:
                    before = await booking_line(self.uow_factory, event.previous_booking_id)
                    previous = before.start if before else None
                if chats:
                    try:
                        shop = (await self.catalogs.get(event.shop_id, self.clock.now())).shop
                    except NoShop:
                        chats = []
                for chat in chats:
                    translation = translations(shop.locale)
                    ctx = StaffContext(
                        now=self.clock.now(),
                        timezone=shop.timezone,
                        locale=shop.locale,
                        gettext=translation.gettext,
                        ngettext=translation.ngettext,
                        whole_shop=chat.professional_id is None,
                    )
                    kind = cast(Literal["booked", "cancelled", "moved"], event.kind)
                    text = notification_text(kind, line, ctx, previous)
                    channel = self.channels[chat.channel]
                    for message in channel.render(
                        [Outgoing(text)], None, chat.chat_id, event.shop_id, shop.locale
                    ):
                        key = f"event:{event.id}:{chat.id}"
                        messages.append(
                            OutboxMessage(
                                message.channel,
                                message.chat_id,
                                message.payload,
                                message.shop_id,
                                key,
                            )
                        )
            await handle_event(
                self.uow_factory,
                event.id,
                messages,
                self.clock.now(),
                self._reminders(event, line.start if line else None),
            )
        return len(events)

    def _reminders(
        self, event: PendingEvent, starts_at: datetime | None
    ) -> Callable[[AsyncSession], Awaitable[None]]:
        """What the event does to reminders: plan the new turno's, drop the old one's."""
        now = self.clock.now()

        async def apply(session: AsyncSession) -> None:
            if event.kind == "cancelled":
                await reminders.drop(session, event.booking_id)
                return
            if event.previous_booking_id is not None:
                await reminders.drop(session, event.previous_booking_id)
            if starts_at is not None:
                await reminders.plan(session, event.shop_id, event.booking_id, starts_at, now)

        return apply
