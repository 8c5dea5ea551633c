"""What happens to a booking on its own: an unpaid hold expires, an unmarked turno becomes a
no-show.

Both are job rows planned by the notifier from booking events (in the transaction that marks
the event handled) and dropped with the booking's reminders when it is cancelled or moved:
`hold_expiry` at the hold's end, `no_show_check` at the turno's end plus the shop's grace
(none when the shop has it off). An expired hold's slot goes to the waitlist (a
`waitlist_offer` job); a hold that is itself a waitlist offer is left to the offer's own expiry.
The handlers re-read the booking, so a hold paid meanwhile or a turno the professional marked
is left alone, and running one twice has one effect (the status check, the keyed offer job,
the outbox dedupe key of the customer's message).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot import waitlist
from bot.i18n import translations
from bot.nudges import tell
from domain import booking as use_cases
from domain.errors import NotFound
from domain.formatting import format_when
from domain.model import Booking, BookingStatus, Shop
from domain.payments import PaymentMethod
from domain.ports import Clock
from domain.storage import waitlist as waitlist_storage
from domain.storage.jobs import Job, schedule
from domain.storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)

HOLD_EXPIRY = "hold_expiry"
NO_SHOW_CHECK = "no_show_check"
KINDS = (HOLD_EXPIRY, NO_SHOW_CHECK)


async def plan(session: AsyncSession, booking: Booking, shop: Shop | None) -> None:
    """Inside the transaction that announces a booking: its hold expiry and no-show check."""
    if booking.status is BookingStatus.HELD and booking.hold_expires_at is not None:
        await schedule(
            session,
            HOLD_EXPIRY,
            f"{HOLD_EXPIRY}:{booking.id}",
            booking.hold_expires_at,
            shop_id=booking.shop_id,
            booking_id=booking.id,
        )
    grace = shop.policy.no_show_grace_minutes if shop is not None else None
    # A held turno gets its check too (keyed: its confirmation planning it again is one job);
    # expired, the check finds it so and does nothing.
    if grace is not None and booking.is_active:
        await schedule(
            session,
            NO_SHOW_CHECK,
            f"{NO_SHOW_CHECK}:{booking.id}",
            no_show_due(booking, grace),
            shop_id=booking.shop_id,
            booking_id=booking.id,
            payload={"grace_minutes": grace},
        )


class BookingJobs:
    """The handlers of `hold_expiry` and `no_show_check` jobs."""

    def __init__(
        self, uow_factory: UnitOfWorkFactory, clock: Clock, channels: dict[str, Any]
    ) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.channels = channels

    async def expire_hold(self, job: Job) -> None:
        """Expire the hold if still unpaid and past its time, and tell the customer so."""
        if job.booking_id is None:
            return
        if await waitlist_storage.offer_of(self.uow_factory, job.booking_id) is not None:
            return  # a waitlist offer's hold: its own `offer_expiry` job lets it go
        try:
            booking = await use_cases.expire_hold(self.uow_factory, self.clock, job.booking_id)
        except NotFound:
            return
        if booking.status is BookingStatus.HELD:  # not yet its time (a clock behind): later
            raise RuntimeError("the hold has not run out yet")
        if booking.status is BookingStatus.EXPIRED:
            async with self.uow_factory() as uow:  # the freed slot goes to the waitlist (keyed)
                now = self.clock.now()
                await waitlist.plan_offer(uow.session, booking.shop_id, booking.id, now)
                await uow.commit()
            await self._tell_customer(booking)

    async def _tell_customer(self, booking: Booking) -> None:
        """The customer hears, in their chat, that the time is free again (once)."""
        async with self.uow_factory.read_only() as uow:
            shop = await uow.catalog.shop(booking.shop_id)
            service = await uow.catalog.service(booking.shop_id, booking.service_id)
        if shop is None:
            return
        _ = translations(shop.locale).gettext
        if booking.payment_method == PaymentMethod.CASH.value:  # it waited for the shop's OK
            text = _(
                "The shop couldn't confirm your turno for {service} on {when} in time, so I let "
                "the time go. Write to me and we look for another one."
            )
        else:
            text = _(
                "Your hold on the turno for {service} on {when} ran out before the payment "
                "arrived, so I let the time go. If you still want it, write to me and we book "
                "it again."
            )
        text = text.format(
            service=service.name if service else "?",
            when=format_when(booking.starts_at, shop.timezone, shop.locale),
        )
        key = f"hold_expired:{booking.id}"
        if not await tell(
            self.uow_factory, self.channels, booking.customer_id, shop, text, key, self.clock.now()
        ):
            log.info("hold of booking %s expired; the customer has no chat", booking.id)

    async def check_no_show(self, job: Job) -> None:
        """Mark the turno no-show if nobody marked it by its end plus the shop's grace."""
        if job.booking_id is None:
            return
        grace = timedelta(minutes=int(job.payload.get("grace_minutes", 0)))
        try:
            marked = await use_cases.no_show_if_unmarked(
                self.uow_factory, self.clock, job.booking_id, grace
            )
        except NotFound:
            return
        if marked is not None:
            log.info("booking %s: not marked by the professional; no-show", marked.id)


def no_show_due(booking: Booking, grace_minutes: int) -> datetime:
    """When an unmarked turno becomes a no-show."""
    return booking.ends_at + timedelta(minutes=grace_minutes)
