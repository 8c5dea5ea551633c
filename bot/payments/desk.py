"""The money around a turno: the Mercado Pago link for a held turno and its news (confirm, or
let the time go), transfers the shop confirms, cash turnos the shop accepts, cash the barber
notes, and the refund a cancellation is owed.

Mercado Pago's notifications become `mp_payment` jobs (durable, retried): the handler fetches
the payment from the API, never trusting the notification, and moves our payment row only from
`pending`, so a repeated, late or out-of-order notification has one effect. Refunds are
`mp_refund` jobs carrying our own idempotency key, so a refund retried after a timeout is the
same refund. Each movement writes its ledger lines once (keyed).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.booking_jobs import HOLD_EXPIRY
from bot.i18n import translations
from bot.nudges import tell
from bot.payments.mercadopago import Checkout, GatewayError, MercadoPagoGateway
from bot.staff_desk import staff_context
from conversations.messages import Outgoing
from conversations.staff import StaffContext, accept_check, give_back_note, transfer_check
from domain import booking as use_cases
from domain.audit import Acting, Actor
from domain.booking import HoldExpired
from domain.errors import InvalidTransition, NotFound
from domain.formatting import format_money, format_when
from domain.ledger import Entry, reversed_split, split
from domain.model import Booking, BookingStatus, CancelledBy, Shop
from domain.money import Money
from domain.payments import PaymentMethod, refund_due
from domain.ports import Clock
from domain.staff import AgendaLine
from domain.storage import payments as storage
from domain.storage.agenda import booking_line
from domain.storage.channels import (
    enqueue_messages,
    keyed,
    remember_staff_offer,
    staff_chats,
)
from domain.storage.jobs import Job, move_job, schedule
from domain.storage.transfers import note_reported
from domain.storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)

NOTIFIED = "mp_payment"
REFUND = "mp_refund"
ONLINE = (PaymentMethod.MERCADOPAGO.value, PaymentMethod.TICKET.value)
TRANSFER = PaymentMethod.TRANSFER.value
CASH = PaymentMethod.CASH.value
# A ticket (Rapipago / Pago Fácil) is paid in cash days later and credited hours after that; a
# transfer waits for the shop to see it: their holds last this long, but end LONG_HOLD_MARGIN
# before the turno at the latest (and never sooner than the shop's own hold time).
LONG_HOLD = {
    PaymentMethod.TICKET.value: timedelta(hours=48),
    TRANSFER: timedelta(hours=24),
    PaymentMethod.CASH.value: timedelta(hours=24),  # held only while the shop decides
}
LONG_HOLD_MARGIN = timedelta(hours=3)


def pay_by(booking_start: datetime, now: datetime, method: str, hold: timedelta) -> datetime:
    """Until when a held turno waits for its payment."""
    longer = LONG_HOLD.get(method)
    if longer is not None:
        return max(now + hold, min(now + longer, booking_start - LONG_HOLD_MARGIN))
    return now + hold


async def plan_refund(session: AsyncSession, shop_id: int, booking_id: int, now: datetime) -> None:
    """Inside the transaction that handles a cancellation: look at what the turno is owed."""
    await schedule(
        session, REFUND, f"{REFUND}:{booking_id}", now, shop_id=shop_id, booking_id=booking_id
    )


class PaymentDesk:
    """Checkout links, payment news and refunds."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        gateway: MercadoPagoGateway | None,
        channels: dict[str, Any],
    ) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.gateway = gateway
        self.channels = channels

    async def checkout(
        self, booking: Booking, shop: Shop, title: str, amount: Money, method: str
    ) -> storage.Payment:
        """The Mercado Pago link for a held turno, recorded as a pending payment."""
        if self.gateway is None:
            raise GatewayError("Mercado Pago is not configured", retry=False)
        now = self.clock.now()
        deadline = booking.hold_expires_at or now
        link: Checkout = await self.gateway.checkout(
            booking_id=booking.id,
            title=title,
            amount=amount,
            max_cuotas=shop.payments.max_cuotas,
            ticket=method == PaymentMethod.TICKET.value,
            pay_by=deadline,
            now=now,
        )
        return await storage.add_payment(
            self.uow_factory,
            shop.id,
            booking.id,
            method,
            amount,
            now,
            preference_id=link.preference_id,
            link=link.link,
        )

    async def hold_for_transfer(self, booking: Booking, amount: Money) -> storage.Payment:
        """A held turno waits for a transfer of `amount`."""
        return await storage.add_payment(
            self.uow_factory, booking.shop_id, booking.id, TRANSFER, amount, self.clock.now()
        )

    async def transfer_reported(self, booking_id: int, receipt: str | None = None) -> bool:
        """The customer says they transferred (a receipt, kept, maybe): the professional's and
        the owner's chats are asked to check; False when nothing waits for a transfer."""
        payment = await storage.payment_of_booking(self.uow_factory, booking_id)
        if payment is None or payment.method != TRANSFER or payment.status != "pending":
            return False
        await note_reported(self.uow_factory, payment.id, self.clock.now(), receipt)
        shop, booking = await self._shop_and_booking(payment)
        # Paid, as far as the customer knows: the time stays theirs until the shop answers.
        await use_cases.extend_hold(self.uow_factory, booking.id, booking.starts_at)
        await move_job(self.uow_factory, f"{HOLD_EXPIRY}:{booking.id}", booking.starts_at)
        report = f"transfer:{payment.id}:{'receipt' if receipt else 'said'}"
        await self._ask_staff(
            shop,
            booking.id,
            report,
            lambda line, ctx: transfer_check(
                line, payment.id, payment.amount, ctx, with_receipt=receipt is not None
            ),
        )
        return True

    async def ask_shop_to_accept(self, booking: Booking) -> None:
        """A turno paid at the shop, where the shop confirms each one: its staff are asked."""
        async with self.uow_factory.read_only() as uow:
            shop = await uow.catalog.shop(booking.shop_id)
        if shop is not None:
            await self._ask_staff(shop, booking.id, f"accept:{booking.id}", accept_check)

    async def settle_request(
        self, booking_id: int, accepted: bool, acting: UnitOfWorkFactory | None = None
    ) -> str:
        """The shop's answer to a turno waiting for its OK: "confirmed", "released", or
        "settled" when it was answered before. With `acting`, the answer goes to the audit
        trail (as the booking confirmed or cancelled)."""
        by = acting or self.uow_factory
        booking, shop = await self._booking_and_shop(booking_id)
        if booking is None or shop is None or booking.status is not BookingStatus.HELD:
            return "settled"
        _ = translations(shop.locale).gettext
        when = format_when(booking.starts_at, shop.timezone, shop.locale)
        try:
            if accepted:
                await use_cases.confirm(by, self.clock, booking_id)
                text = _("The shop confirmed your turno on {when}. See you then!")
            else:
                await use_cases.cancel(by, self.clock, booking_id, CancelledBy.SHOP)
                text = _(
                    "Sorry, the shop can't take your turno on {when}. Write to me and we "
                    "look for another time."
                )
        except HoldExpired:
            return "settled"
        outcome = "confirmed" if accepted else "released"
        await tell(
            self.uow_factory,
            self.channels,
            booking.customer_id,
            shop,
            text.format(when=when),
            f"request:{booking_id}:{outcome}",
            self.clock.now(),
        )
        return outcome

    async def _ask_staff(
        self,
        shop: Shop,
        booking_id: int,
        key: str,
        question_for: Callable[[AgendaLine, StaffContext], Outgoing],
    ) -> None:
        """Ask the professional's and the owner's chats a question about a turno, with its
        buttons remembered (WhatsApp answers them by number)."""
        line = await booking_line(self.uow_factory, booking_id)
        if line is None:
            return
        now = self.clock.now()
        for chat in await staff_chats(self.uow_factory, shop.id, line.professional_id):
            channel = self.channels.get(chat.channel)
            if channel is None:
                continue
            question = question_for(
                line, staff_context(shop, now, whole_shop=chat.professional_id is None)
            )
            rendered = channel.render([question], None, chat.chat_id, shop.id, shop.locale)
            await enqueue_messages(self.uow_factory, keyed(rendered, f"{key}:{chat.id}"), now)
            await remember_staff_offer(
                self.uow_factory, chat.id, [(c.id, c.label) for c in question.choices]
            )

    async def settle_transfer(
        self, payment_id: int, arrived: bool, acting: UnitOfWorkFactory | None = None
    ) -> str:
        """The shop says whether the transfer arrived: "confirmed", "released", "late" or
        "cancelled" (the turno is not going ahead: the shop gives it back), "kept" (cancelled
        late after it was reported), or "settled" when it was answered before (or is not a
        pending transfer). With `acting` (a factory bound to who answered), the answer goes to
        the audit trail."""
        payment = await storage.payment_by_id(self.uow_factory, payment_id)
        if payment is None or payment.method != TRANSFER or payment.status != "pending":
            return "settled"
        if arrived:
            outcome = await self._approved(payment, None, payment.amount)
        else:
            outcome = "released" if await self._failed(payment, None) else "settled"
        if acting is not None and outcome != "settled":
            action = "transfer.confirmed" if arrived else "transfer.rejected"
            await acting.audit_alone(
                payment.shop_id,
                action,
                f"payment:{payment_id}",
                {"status": "pending"},
                {"outcome": outcome, "booking_id": payment.booking_id},
            )
        return outcome

    async def record_cash(
        self, booking_id: int, acting: UnitOfWorkFactory | None = None
    ) -> Money | None:
        """The professional was paid at the shop: what was left to pay, with its ledger lines;
        None when it was noted before. With `acting`, the note goes to the audit trail."""
        booking, shop = await self._booking_and_shop(booking_id)
        if booking is None or shop is None:
            return None
        left = booking.price.cents - await storage.paid_so_far(self.uow_factory, booking_id)
        amount = Money(max(left, 0), booking.price.currency)
        now = self.clock.now()
        payment = await storage.add_settled_payment(
            self.uow_factory, shop.id, booking_id, CASH, amount, now, f"cash:{booking_id}"
        )
        if payment is None:
            return None
        plan = shop.payments
        lines = split(amount, plan.commission_bps, plan.professional_percent)
        await storage.record_movement(
            self.uow_factory, payment, booking.professional_id, Entry.CHARGE, lines, now
        )
        if acting is not None:
            after = {"amount_cents": amount.cents, "payment_id": payment.id}
            await acting.audit_alone(shop.id, "payment.cash", f"booking:{booking_id}", None, after)
        return amount

    async def notified(self, job: Job) -> None:
        """A payment changed at Mercado Pago: fetch it and act on what it says."""
        if self.gateway is None:
            return
        provider_id = str(job.payload["payment_id"])
        try:
            found = await self.gateway.payment(provider_id)
        except GatewayError as error:
            if error.retry:
                raise  # the job loop tries again later
            log.warning("mercadopago payment %s: %s", provider_id, error)
            return
        booking_id = _booking_id(found.external_reference)
        payment = (
            await storage.payment_of_booking(self.uow_factory, booking_id)
            if booking_id is not None
            else None
        )
        if payment is None or payment.method not in ONLINE:
            log.warning("mercadopago payment %s is not for any booking of ours", provider_id)
            return
        if found.status == "approved":
            await self._approved(payment, found.id, found.amount)
        elif found.status in ("rejected", "cancelled"):
            await self._failed(payment, found.id)

    async def _approved(
        self, payment: storage.Payment, provider_id: str | None, paid: Money
    ) -> str:
        """The money arrived: write the charge, confirm the turno, tell the customer (once).
        "confirmed"; "late" when the hold had run out and "cancelled" when the turno was
        cancelled before (the money goes back in full); "kept" for a transfer reported before a
        late cancellation (the policy keeps it); "settled" when told before."""
        now = self.clock.now()
        if not await storage.settle_payment(
            self.uow_factory, payment.id, "approved", now, provider_payment_id=provider_id
        ) and not await self._cut_short(payment):
            return "settled"
        if paid != payment.amount:
            log.warning("payment %s: paid %s, expected %s", payment.id, paid, payment.amount)
        shop, booking = await self._shop_and_booking(payment)
        lines = split(paid, shop.payments.commission_bps, shop.payments.professional_percent)
        approved = replace(payment, amount=paid, status="approved", provider_payment_id=provider_id)
        await storage.record_movement(
            self.uow_factory, approved, booking.professional_id, Entry.CHARGE, lines, now
        )
        outcome, booking = await self._confirm_paid(booking)
        if outcome == "confirmed":
            _ = translations(shop.locale).gettext
            text = _("Payment received ({amount}): your turno on {when} is confirmed.").format(
                amount=format_money(paid, shop.locale),
                when=format_when(booking.starts_at, shop.timezone, shop.locale),
            )
        elif payment.method in ONLINE:
            text = await self._refund_unbooked(outcome, approved, booking, shop)
        else:
            outcome, text = await self._transfer_unbooked(outcome, approved, booking, shop)
        await tell(
            self.uow_factory,
            self.channels,
            booking.customer_id,
            shop,
            text,
            f"payment:{payment.id}:approved",
            now,
        )
        return outcome

    async def _cut_short(self, payment: storage.Payment) -> bool:
        """Whether an online payment already approved still owes its follow-up: the process
        died between its steps (each its own transaction), so the notification, tried again,
        finishes them. Each step is once: the ledger lines by key, the confirmation by state,
        the refund by its idempotency key and status, the customer's message by its key."""
        if payment.method not in ONLINE or payment.status != "approved":
            return False
        booking, _shop = await self._booking_and_shop(payment.booking_id)
        if booking is None:
            return False
        if booking.status is BookingStatus.HELD:
            return True  # never confirmed
        if booking.status in (BookingStatus.CANCELLED, BookingStatus.EXPIRED):
            # Let go before the money could confirm it: it goes back. Cancelled after it was
            # confirmed: the cancellation's own refund rule decides (refund_if_owed).
            return not await storage.ever_confirmed(self.uow_factory, booking.id)
        return False

    async def _confirm_paid(self, booking: Booking) -> tuple[str, Booking]:
        """Confirm a paid turno: "confirmed"; "late" when its hold had run out (the time may be
        someone else's now); "cancelled" when it was cancelled before. With the turno as it
        stands."""
        if booking.status is BookingStatus.CANCELLED:
            return "cancelled", booking
        try:
            await use_cases.confirm(self.uow_factory, self.clock, booking.id)
        except HoldExpired:
            return "late", booking
        except InvalidTransition:
            now_booking, _shop = await self._booking_and_shop(booking.id)
            if now_booking is None or now_booking.status is not BookingStatus.CANCELLED:
                raise
            return "cancelled", now_booking  # cancelled meanwhile
        return "confirmed", booking

    async def _refund_unbooked(
        self, outcome: str, paid: storage.Payment, booking: Booking, shop: Shop
    ) -> str:
        """Paid online for a turno that is not going ahead: refunded in full at Mercado Pago,
        whatever the notice policy says (nothing was booked with this money); the customer's
        text."""
        _ = translations(shop.locale).gettext
        amount = format_money(paid.amount, shop.locale)
        await self._refund(paid, booking, shop, f"{outcome}-{paid.id}")
        if outcome == "late":
            return _(
                "Your payment of {amount} arrived after the time I was holding had run "
                "out, so I'm refunding it in full. Write to me and we look for another time."
            ).format(amount=amount)
        return _(
            "Your payment of {amount} arrived after your turno on {when} was cancelled, "
            "so I'm refunding it in full."
        ).format(amount=amount, when=format_when(booking.starts_at, shop.timezone, shop.locale))

    async def _transfer_unbooked(
        self, outcome: str, paid: storage.Payment, booking: Booking, shop: Shop
    ) -> tuple[str, str]:
        """A transfer the shop received for a turno that is not going ahead. The money is in
        the shop's account: it stays on the books and, unless the policy keeps it, is noted as
        given back, the shop's chats told what to give back. The outcome and the customer's
        text."""
        _ = translations(shop.locale).gettext
        amount = format_money(paid.amount, shop.locale)
        when = format_when(booking.starts_at, shop.timezone, shop.locale)
        if outcome == "cancelled" and _kept_by_policy(paid, booking):
            text = _(
                "The shop got your transfer of {amount}. Your turno on {when} was cancelled "
                "late, so the shop keeps it, as I told you when you cancelled."
            )
            return "kept", text.format(amount=amount, when=when)
        await self._give_back(paid, booking, shop)
        if outcome == "late":
            text = _(
                "Your transfer of {amount} arrived after the time I was holding had run "
                "out; the shop will give it back to you. Write to me and we look for "
                "another time."
            )
        else:
            text = _(
                "The shop got your transfer of {amount}, but your turno on {when} is "
                "cancelled: it gives it back to you in full."
            )
        return outcome, text.format(amount=amount, when=when)

    async def _give_back(self, payment: storage.Payment, booking: Booking, shop: Shop) -> None:
        """A transfer goes back by the shop's hand: noted as refunded, its chats told."""
        await self._record_refund(payment, booking, shop)
        await self._ask_staff(
            shop,
            booking.id,
            f"give_back:{payment.id}",
            lambda line, ctx: give_back_note(line, payment.amount, ctx),
        )

    async def _failed(self, payment: storage.Payment, provider_id: str | None) -> bool:
        """The money did not come: let the time go and tell the customer (once)."""
        now = self.clock.now()
        if not await storage.settle_payment(
            self.uow_factory, payment.id, "rejected", now, provider_payment_id=provider_id
        ):
            return False
        shop, booking = await self._shop_and_booking(payment)
        if booking.status is BookingStatus.CANCELLED:
            return True  # the customer let it go already: nothing to tell them
        if booking.status is BookingStatus.HELD:
            await use_cases.cancel(self.uow_factory, self.clock, booking.id, CancelledBy.SHOP)
        _ = translations(shop.locale).gettext
        text = _(
            "The payment for your turno on {when} didn't go through, so I let the time go. "
            "If you want, write to me and we try again, with another card or another way "
            "to pay."
        ).format(when=format_when(booking.starts_at, shop.timezone, shop.locale))
        await tell(
            self.uow_factory,
            self.channels,
            booking.customer_id,
            shop,
            text,
            f"payment:{payment.id}:rejected",
            now,
        )
        return True

    async def refund_if_owed(self, job: Job) -> None:
        """A turno was cancelled: give back what was paid before it, if the policy says so:
        through Mercado Pago; a transfer, by the shop (its chats are told what to give back)."""
        if job.booking_id is None:
            return
        payment = await storage.payment_of_booking(self.uow_factory, job.booking_id)
        paid_before = (*ONLINE, TRANSFER)
        if payment is None or payment.method not in paid_before or payment.status != "approved":
            return
        shop, booking = await self._shop_and_booking(payment)
        if not refund_due(booking.cancelled_by is CancelledBy.SHOP, booking.late_cancellation):
            return  # late: the shop keeps the seña
        _ = translations(shop.locale).gettext
        amount = format_money(payment.amount, shop.locale)
        when = format_when(booking.starts_at, shop.timezone, shop.locale)
        if payment.method == TRANSFER:
            await self._give_back(payment, booking, shop)
            text = _(
                "Your turno on {when} is cancelled in time, so the shop gives you back the "
                "{amount} you transferred."
            )
        else:
            await self._refund(payment, booking, shop, f"refund-{payment.id}")
            text = _("I refunded the {amount} you paid for your cancelled turno on {when}.")
        await tell(
            self.uow_factory,
            self.channels,
            booking.customer_id,
            shop,
            text.format(amount=amount, when=when),
            f"payment:{payment.id}:refunded",
            self.clock.now(),
        )

    async def _refund(
        self, payment: storage.Payment, booking: Booking, shop: Shop, key: str
    ) -> None:
        """Refund in full at Mercado Pago (our key: a retry is the same refund), then the
        payment and its ledger lines."""
        if self.gateway is None or payment.provider_payment_id is None:
            raise GatewayError("nothing to refund through", retry=False)
        await self.gateway.refund(payment.provider_payment_id, key)
        await self._record_refund(payment, booking, shop)

    async def _record_refund(self, payment: storage.Payment, booking: Booking, shop: Shop) -> None:
        """The payment is refunded: its status (in the audit trail, by BarberPro's refund rule)
        and the charge's ledger lines, mirrored (once)."""
        now = self.clock.now()
        by_rule = self.uow_factory.acting(Acting(Actor.system("refunds"), now))
        await storage.settle_payment(by_rule, payment.id, "refunded", now, only_from=("approved",))
        plan = shop.payments
        lines = split(payment.amount, plan.commission_bps, plan.professional_percent)
        await storage.record_movement(
            self.uow_factory,
            payment,
            booking.professional_id,
            Entry.REFUND,
            reversed_split(lines),
            now,
        )

    async def _shop_and_booking(self, payment: storage.Payment) -> tuple[Shop, Booking]:
        """The payment's shop and booking (NotFound when either is gone)."""
        booking, shop = await self._booking_and_shop(payment.booking_id)
        if shop is None or booking is None:
            raise NotFound(f"payment {payment.id}: its shop or booking is gone")
        return shop, booking

    async def _booking_and_shop(self, booking_id: int) -> tuple[Booking | None, Shop | None]:
        """A booking and its shop, as they stand now (None for what is gone)."""
        async with self.uow_factory.read_only() as uow:
            booking = await uow.bookings.get(booking_id)
            shop = await uow.catalog.shop(booking.shop_id) if booking else None
        return booking, shop


def _kept_by_policy(payment: storage.Payment, booking: Booking) -> bool:
    """A transfer the customer reported before cancelling was a paid turno to them (its time
    kept until the shop answered): the cancellation policy decides, as for one confirmed at
    once. Money for a turno cancelled before it was reported goes back in full."""
    reported, cancelled = payment.reported_at, booking.cancelled_at
    if reported is None or cancelled is None or reported > cancelled:
        return False
    return not refund_due(booking.cancelled_by is CancelledBy.SHOP, booking.late_cancellation)


def _booking_id(external_reference: str) -> int | None:
    """Our booking id from `booking-<id>`."""
    prefix, _, number = external_reference.partition("-")
    return int(number) if prefix == "booking" and number.isdigit() else None
