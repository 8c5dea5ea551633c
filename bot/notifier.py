"""Acts on booking events: tells professionals (and the owner) about new, cancelled and moved
turnos in their chats, and plans or drops the booking's jobs (the customer's reminders at the
shop's own hours, the hold's expiry, the no-show check).

Booking events are written in the same transaction as the change (whatever made it: a chat,
the REST API); each outbox round turns the unhandled ones into outbox messages, one per
linked chat, and into jobs, marking the event handled in the same transaction (so each
is acted on once).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from bot import booking_jobs, reminders, waitlist
from bot.catalog_cache import CatalogCache
from bot.payments.desk import ONLINE, TRANSFER, plan_refund
from bot.staff_desk import staff_context
from conversations.messages import Outgoing
from conversations.staff import notification_text
from domain.model import Booking, BookingEventKind, BookingStatus, Shop
from domain.ports import Clock
from domain.storage.agenda import booking_line
from domain.storage.channels import (
    OutboxMessage,
    PendingEvent,
    handle_event,
    keyed,
    pending_events,
    staff_chats,
)
from domain.storage.jobs import cancel_jobs
from domain.storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)

# The jobs that belong to one booking: dropped when it is cancelled or moved.
BOOKING_JOB_KINDS = (reminders.KIND, *booking_jobs.KINDS)

# What the staff chats hear of each kind of event: a hold is news only once it is confirmed,
# and a hold let go was never theirs to hear of.
STAFF_NEWS: dict[str, Literal["booked", "cancelled", "moved"]] = {
    BookingEventKind.BOOKED: "booked",
    BookingEventKind.CONFIRMED: "booked",
    BookingEventKind.CANCELLED: "cancelled",
    BookingEventKind.MOVED: "moved",
}
FREES_THE_SLOT = (BookingEventKind.CANCELLED, BookingEventKind.RELEASED)


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
            shop = await self._shop(event.shop_id)
            said = STAFF_NEWS.get(event.kind)
            # The names staff read, only for news (a hold's events move jobs, nothing more).
            line = await booking_line(self.uow_factory, event.booking_id) if said else None
            if line is not None and shop is not None and said is not None:
                chats = [
                    c
                    for c in await staff_chats(
                        self.uow_factory, event.shop_id, line.professional_id, event.id
                    )
                    if c.channel in self.channels
                ]
                previous = None
                if event.previous_booking_id is not None:
                    before = await booking_line(self.uow_factory, event.previous_booking_id)
                    previous = before.start if before else None
                now = self.clock.now()
                for chat in chats:
                    ctx = staff_context(shop, now, whole_shop=chat.professional_id is None)
                    text = notification_text(said, line, ctx, previous)
                    rendered = self.channels[chat.channel].render(
                        [Outgoing(text)], None, chat.chat_id, event.shop_id, shop.locale
                    )
                    messages += keyed(rendered, f"event:{event.id}:{chat.id}")
            await handle_event(
                self.uow_factory,
                event.id,
                messages,
                self.clock.now(),
                self._jobs(event, await self._booking(event.booking_id), shop),
            )
        return len(events)

    async def _shop(self, shop_id: int) -> Shop | None:
        """The shop, None when it is gone: read fresh (one row per event), so its settings
        (reminder hours, no-show grace) apply at once, and the chats' catalog cache is not
        filled ahead of the chats."""
        async with self.uow_factory.read_only() as uow:
            return await uow.catalog.shop(shop_id)

    async def _booking(self, booking_id: int) -> Booking | None:
        """The booking as it stands now."""
        async with self.uow_factory.read_only() as uow:
            return await uow.bookings.get(booking_id)

    def _jobs(
        self, event: PendingEvent, booking: Booking | None, shop: Shop | None
    ) -> Callable[[AsyncSession], Awaitable[None]]:
        """What the event does to the booking's jobs (reminders, hold expiry, no-show check):
        plan the new turno's, drop the old one's; a freed slot is offered to the waitlist."""
        now = self.clock.now()
        hours = shop.policy.reminder_hours if shop is not None else reminders.DEFAULT_HOURS_BEFORE

        async def apply(session: AsyncSession) -> None:
            if event.kind in FREES_THE_SLOT:
                await cancel_jobs(session, event.booking_id, BOOKING_JOB_KINDS)
                await waitlist.plan_offer(session, event.shop_id, event.booking_id, now)
                if booking is not None and booking.payment_method in (*ONLINE, TRANSFER):
                    await plan_refund(session, event.shop_id, event.booking_id, now)
                return
            if event.previous_booking_id is not None:
                await cancel_jobs(session, event.previous_booking_id, BOOKING_JOB_KINDS)
                await waitlist.plan_offer(session, event.shop_id, event.previous_booking_id, now)
            if booking is None or not booking.is_active:
                return
            # A hold gets no reminder (it would push aside the question the hold waits on,
            # such as a waitlist offer): its confirmation is an event that plans them.
            if booking.status is BookingStatus.CONFIRMED:
                await reminders.plan(
                    session, event.shop_id, booking.id, booking.starts_at, now, hours
                )
            await booking_jobs.plan(session, booking, shop)

        return apply
