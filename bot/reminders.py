"""Reminders before a turno: planned when a booking is made or moved, dropped when it is
cancelled or moved away, and sent in the customer's own chat, language and channel.

A reminder is a job row (`kind = "reminder"`, one per booking and offset, keyed so planning it
twice is one row). Sending it runs the conversation engine with a `ReminderDue` event, so the
reminder's choices (Confirmo / Cancelar el turno / Reprogramar) are the chat's question and work
like any tap; the new state and the message are saved in one transaction. The outbox dedupe
key makes a job that runs twice (a crash after sending) send once.

The job loop hands due reminders over in batches (`run_batch`): everything they need is read
for the whole batch at once, each one's turn is the engine's answer computed in memory exactly
as the dispatcher computes it, and the states, messages and job completions of the batch are
saved in one transaction (domain/storage/reminder_batch.py). What needs more than that goes
back to `run`, one at a time.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalog_cache import NoShop

# (the dispatcher's own context and rendering shop: a reminder sent in bulk must read exactly
# as one sent through `Dispatcher.handle`; a test compares the two)
from bot.dispatcher import Dispatcher, _context, _speaking
from bot.nudges import write_first
from conversations.commands import ReminderDue
from conversations.engine import handle
from conversations.state import State
from domain.model import BookingStatus
from domain.ports import Clock
from domain.storage.channels import keyed
from domain.storage.chat import CustomerLines, customer_chat
from domain.storage.jobs import Job, cancel_jobs, schedule
from domain.storage.reminder_batch import (
    ReminderChat,
    ReminderWrite,
    read_reminders,
    save_reminders,
)
from domain.storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)

KIND = "reminder"
DEFAULT_HOURS_BEFORE = (24, 2)
# A reminder whose time has just passed when the booking is made still goes (booked 2 hours
# ahead: the 2-hour reminder); one long past does not (booked 3 hours ahead: no 24-hour one).
GRACE = timedelta(minutes=5)


def reminder_times(
    starts_at: datetime, now: datetime, hours_before: Sequence[int] = DEFAULT_HOURS_BEFORE
) -> list[tuple[int, datetime]]:
    """(hours, when) of each reminder still worth sending for a turno starting at `starts_at`."""
    times = []
    for hours in sorted(set(hours_before), reverse=True):
        due = starts_at - timedelta(hours=hours)
        if due >= now - GRACE and starts_at > now:
            times.append((hours, max(due, now)))
    return times


async def plan(
    session: AsyncSession,
    shop_id: int,
    booking_id: int,
    starts_at: datetime,
    now: datetime,
    hours_before: Sequence[int] = DEFAULT_HOURS_BEFORE,
) -> None:
    """Inside the transaction that announces a booking: its reminder jobs."""
    for hours, due in reminder_times(starts_at, now, hours_before):
        await schedule(
            session,
            KIND,
            f"{KIND}:{booking_id}:{hours}h",
            due,
            shop_id=shop_id,
            booking_id=booking_id,
            payload={"hours_before": hours},
        )


async def drop(session: AsyncSession, booking_id: int) -> None:
    """Inside a transaction: the booking's pending reminders are cancelled."""
    await cancel_jobs(session, booking_id, [KIND])


class Reminders:
    """Sends due reminders through the customer's chat."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        dispatcher: Dispatcher,
        channels: dict[str, Any],
    ) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.dispatcher = dispatcher
        self.channels = channels

    async def run(self, job: Job) -> None:
        """Send one reminder (nothing when the turno is gone or the customer has no chat)."""
        if job.booking_id is None or job.shop_id is None:
            return
        async with self.uow_factory.read_only() as uow:
            booking = await uow.bookings.get(job.booking_id)
        if booking is None or booking.status is not BookingStatus.CONFIRMED:
            return  # cancelled, or a hold still waiting on its payment or answer
        if booking.starts_at <= self.clock.now():
            return
        chat = await customer_chat(
            self.uow_factory, booking.customer_id, job.shop_id, list(self.channels)
        )
        if chat is None:
            log.info("reminder for booking %s: the customer has no chat to write to", booking.id)
            return
        await write_first(
            self.dispatcher,
            self.channels,
            chat,
            ReminderDue(booking.id),
            job.shop_id,
            f"job:{job.id}",
        )

    async def run_batch(self, jobs: Sequence[Job], worker: str) -> list[Job]:
        """Send many due reminders at once: a few reads for all of them, each one's turn run in
        memory, and every state, message and job completion saved in one transaction (only
        while `worker` still holds the jobs). Returns the jobs left to `run` one by one: a chat
        busy or changed meanwhile, a second reminder to one chat, anything unusual."""
        now = self.clock.now()
        quiet: list[int] = []  # nothing to send: closed with the batch
        aimed = [j for j in jobs if j.booking_id is not None and j.shop_id is not None]
        quiet.extend(j.id for j in jobs if j.booking_id is None or j.shop_id is None)
        reads = await read_reminders(
            self.uow_factory,
            {(j.shop_id, j.booking_id) for j in aimed if j.shop_id and j.booking_id},
            list(self.channels),
            now,
        )
        left: list[Job] = []
        turns: list[tuple[Job, ReminderChat, ReminderWrite]] = []
        chats: set[tuple[str, str]] = set()
        for job in aimed:
            booking = reads.bookings.get(job.booking_id or 0)
            if booking is None or booking.status != BookingStatus.CONFIRMED.value:
                quiet.append(job.id)  # gone, cancelled, or a hold still waiting: as in `run`
                continue
            if booking.starts_at <= now:
                quiet.append(job.id)
                continue
            who = (booking.customer_id, booking.shop_id)
            chat = reads.chats.get(who)
            if chat is None:
                log.info(
                    "reminder for booking %s: the customer has no chat to write to", booking.id
                )
                quiet.append(job.id)
                continue
            key = (chat.channel, chat.chat_id)
            if key in chats:  # a second reminder to one chat follows the first's saved state
                left.append(job)
                continue
            write = await self._turn(job, booking.id, chat, reads.customers[who], now)
            if write is None:
                left.append(job)
                continue
            chats.add(key)
            turns.append((job, chat, write))
        async with self.dispatcher.idle_chats(chats) as idle:
            writes = []
            for job, chat, write in turns:
                if (chat.channel, chat.chat_id) in idle:
                    writes.append(write)
                else:
                    left.append(job)  # a turn of that chat is running: the one-by-one path waits
            saved = await save_reminders(self.uow_factory, worker, writes, quiet, now)
        left.extend(j for j in jobs if j.id in saved.changed)
        if saved.lost:
            log.warning(
                "reminders: %d jobs were cancelled or their claim ran out before sending",
                len(saved.lost),
            )
        return left

    async def _turn(
        self,
        job: Job,
        booking_id: int,
        chat: ReminderChat,
        customer: CustomerLines,
        now: datetime,
    ) -> ReminderWrite | None:
        """The reminder's turn in its chat, in memory, as the dispatcher runs it (see `run`);
        None when it needs more than the engine's answer (commands) or the shop is gone."""
        dispatcher = self.dispatcher
        stored = chat.conversation
        try:
            catalog = await dispatcher.catalogs.get(job.shop_id or 0, now)
        except NoShop:
            return None
        online = dispatcher.payments is not None and dispatcher.payments.gateway is not None
        state = State.from_json(stored.state)
        reply = handle(state, ReminderDue(booking_id), _context(catalog, customer, now, online))
        if reply.commands:
            return None
        shop = _speaking(catalog.shop, reply.state.language)
        rendered = self.channels[chat.channel].render(
            reply.messages, None, chat.chat_id, shop.id, shop.locale
        )
        return ReminderWrite(
            job.id,
            chat.id,
            stored.version,
            reply.state.to_json(),
            tuple(keyed(rendered, f"job:{job.id}")),
        )
