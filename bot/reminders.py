"""Reminders before a turno: planned when a booking is made or moved, dropped when it is
cancelled or moved away, and sent in the customer's own chat, language and channel.

A reminder is a job row (`kind = "reminder"`, one per booking and offset, keyed so planning it
twice is one row). Sending it runs the conversation engine with a `ReminderDue` event, so the
reminder's choices (Confirmo / Cancelar el turno / Reprogramar) are the chat's question and work
like any tap; the new state and the message are saved in one transaction. The outbox dedupe
key makes a job that runs twice (a crash after sending) send once.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.dispatcher import Dispatcher
from bot.nudges import write_first
from conversations.commands import ReminderDue
from domain.model import BookingStatus
from domain.ports import Clock
from domain.storage.chat import customer_chat
from domain.storage.jobs import Job, cancel_jobs, schedule
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
