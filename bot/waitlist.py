"""Waitlist offers: a freed slot goes, held, to the first waiting customer whose wish matches.

A `cancelled` booking event (and a `moved` one, for the old slot) plans a `waitlist_offer` job
keyed by the freed booking, in the event's own transaction. The job finds the first matching
entry never offered that slot, records the offer (unique per entry and slot), books the slot
for them as HELD (for OFFER_MINUTES, so nobody else can take it) and writes to their chat
through the engine (`SlotOffered`). "¡Lo quiero!" confirms the hold; "No, gracias" cancels it
(by the shop), and that cancellation's own event offers the slot to the next one. Silence: the
`offer_expiry` job at the hold's end cancels it the same way. A customer who is busy then is
skipped; a slot that is gone (booked by someone else meanwhile) ends the chain.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.nudges import write_first
from conversations.commands import SlotOffered
from domain import booking as use_cases
from domain.errors import CustomerBusy, DomainError
from domain.model import Booking, BookingStatus, CancelledBy
from domain.ports import Clock
from domain.storage import waitlist
from domain.storage.chat import customer_chat
from domain.storage.jobs import Job, schedule
from domain.storage.uow import UnitOfWorkFactory

if TYPE_CHECKING:
    from bot.dispatcher import Dispatcher

log = logging.getLogger(__name__)

OFFER = "waitlist_offer"
EXPIRY = "offer_expiry"
OFFER_MINUTES = 15


async def plan_offer(
    session: AsyncSession, shop_id: int, freed_booking_id: int, now: datetime
) -> None:
    """Inside the transaction that announces a freed slot: the job that offers it, due now."""
    await schedule(
        session,
        OFFER,
        f"{OFFER}:{freed_booking_id}",
        now,
        shop_id=shop_id,
        booking_id=freed_booking_id,
    )


class Waitlist:
    """Runs the offer and expiry jobs."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        dispatcher: Dispatcher,
        channels: dict[str, Any],
        offer_minutes: int = OFFER_MINUTES,
    ) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.dispatcher = dispatcher
        self.channels = channels
        self.offer_minutes = offer_minutes

    async def offer(self, job: Job) -> None:
        """Offer the slot of the freed booking `job.booking_id` to the next one waiting."""
        if job.booking_id is None:
            return
        async with self.uow_factory.read_only() as uow:
            freed = await uow.bookings.get(job.booking_id)
            shop = await uow.catalog.shop(freed.shop_id) if freed else None
        if freed is None or shop is None or freed.starts_at <= self.clock.now():
            return
        if await waitlist.offer_pending(self.uow_factory, freed.professional_id, freed.starts_at):
            return  # someone holds it from the waitlist already (this job ran before)
        local = freed.starts_at.astimezone(ZoneInfo(shop.timezone))
        entries = await waitlist.waiting_for(
            self.uow_factory,
            shop.id,
            freed.service_id,
            freed.professional_id,
            freed.starts_at,
            local.date(),
            local.time().replace(tzinfo=None),
        )
        for entry in entries:
            if entry.customer_id == freed.customer_id:
                continue  # who let it go is not offered it back
            chat = await customer_chat(
                self.uow_factory, entry.customer_id, shop.id, list(self.channels)
            )
            if chat is None:
                continue  # nowhere to write to
            now = self.clock.now()
            offer_id = await waitlist.claim_offer(
                self.uow_factory, shop.id, entry.id, freed.professional_id, freed.starts_at, now
            )
            if offer_id is None:
                continue
            request = use_cases.BookingRequest(
                shop.id,
                freed.service_id,
                entry.customer_id,
                freed.starts_at,
                freed.professional_id,
                hold=True,
                hold_minutes=self.offer_minutes,
                channel=chat[0],  # made in the chat it is offered in
            )
            try:
                held = await use_cases.book(self.uow_factory, self.clock, request)
            except CustomerBusy:
                await waitlist.close_offer(self.uow_factory, offer_id, "skipped", now)
                continue
            except DomainError as error:  # taken meanwhile, no longer bookable: nobody gets it
                await waitlist.close_offer(self.uow_factory, offer_id, "skipped", now)
                log.info("freed slot of booking %s is gone: %s", freed.id, error.code)
                return
            await waitlist.attach_booking(self.uow_factory, offer_id, held.id)
            await self._plan_expiry(offer_id, held.id, shop.id, held.hold_expires_at or now)
            await self._write(job, chat, held.id, shop.id)
            return

    async def _plan_expiry(
        self, offer_id: int, booking_id: int, shop_id: int, due: datetime
    ) -> None:
        """The job that lets the slot go on if the customer stays silent."""
        async with self.uow_factory() as uow:
            await schedule(
                uow.session,
                EXPIRY,
                f"{EXPIRY}:{offer_id}",
                due,
                shop_id=shop_id,
                booking_id=booking_id,
                payload={"offer_id": offer_id},
            )
            await uow.commit()

    async def _write(self, job: Job, chat: tuple[str, str], booking_id: int, shop_id: int) -> None:
        """The offer in the customer's chat, with the state saved in the same transaction."""
        await write_first(
            self.dispatcher, self.channels, chat, SlotOffered(booking_id), shop_id, f"job:{job.id}"
        )

    async def expire(self, job: Job) -> None:
        """The hold ran out unanswered: let the slot go to the next one waiting."""
        if job.booking_id is None:
            return
        offer = await waitlist.offer_of(self.uow_factory, job.booking_id)
        if offer is None or offer.status != waitlist.OFFERED:
            return  # answered meanwhile
        held = await use_cases.get_booking(self.uow_factory, job.booking_id)
        now = self.clock.now()
        if held.status is BookingStatus.CONFIRMED:
            return
        await waitlist.close_offer(self.uow_factory, offer.id, "expired", now)
        if held.status is BookingStatus.HELD:
            # Its cancellation event offers the slot to the next one.
            await use_cases.cancel(self.uow_factory, self.clock, held.id, by=CancelledBy.SHOP)
        elif held.status is BookingStatus.EXPIRED:  # expired quietly by another booking's check
            async with self.uow_factory() as uow:
                await plan_offer(uow.session, held.shop_id, held.id, now)
                await uow.commit()


async def decline(uow_factory: UnitOfWorkFactory, clock: Clock, booking_id: int) -> None:
    """The customer passes on the offer: it is closed and its hold cancelled (which offers the
    slot to the next one waiting)."""
    held = await use_cases.get_booking(uow_factory, booking_id)
    offer = await waitlist.offer_of(uow_factory, booking_id)
    if offer is not None:
        await waitlist.close_offer(uow_factory, offer.id, "declined", clock.now())
    if held.status is BookingStatus.HELD:
        await use_cases.cancel(uow_factory, clock, booking_id, by=CancelledBy.SHOP)


async def accept(uow_factory: UnitOfWorkFactory, clock: Clock, booking_id: int) -> Booking:
    """The customer takes the offer: the hold is confirmed and their entry leaves the list."""
    confirmed = await use_cases.confirm(uow_factory, clock, booking_id)
    offer = await waitlist.offer_of(uow_factory, booking_id)
    if offer is not None:
        await waitlist.close_offer(uow_factory, offer.id, "accepted", clock.now())
    return confirmed
