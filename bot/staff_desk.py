"""A linked professional's (or owner's) chat: agenda, takings, blocked time, done / no-show.

The reading and the wording are pure (conversations.staff); this module runs the queries and
the use cases in between, in the shop's timezone and language.

WhatsApp shows choices as a numbered list, and the answer comes back as text ("1", "dos"):
the desk keeps the choices it last offered each chat (on its staff link, in the database) and
reads such an answer as the tap it stands for.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.channels.base import Inbound
from bot.i18n import translations
from conversations.messages import Outgoing
from conversations.staff import (
    BlockTime,
    MarkBooking,
    RecordCash,
    SettleRequest,
    SettleTransfer,
    ShowAgenda,
    ShowTakings,
    StaffContext,
    StaffHelp,
    agenda_reply,
    block_reply,
    cannot_mark_reply,
    cash_reply,
    help_reply,
    marked_reply,
    not_understood_reply,
    read_staff_message,
    takings_reply,
    transfer_settled_reply,
)
from conversations.understanding.names import choice_number
from conversations.understanding.normalize import normalize, words
from domain import booking as use_cases
from domain.audit import Acting, Actor
from domain.errors import DomainError
from domain.model import DEFAULT_TIMEZONE, BookingStatus, Shop
from domain.ports import Clock
from domain.staff import StaffMember, day_bounds
from domain.storage.agenda import AgendaLine, block_time, booking_line, day_agenda, takings
from domain.storage.channels import StaffLink, remember_staff_offer, unlink_staff
from domain.storage.payments import payment_by_id
from domain.storage.staff_trail import chat_unlinked
from domain.storage.uow import UnitOfWorkFactory

if TYPE_CHECKING:  # the payment desk tells customers through the channels, set up later
    from bot.payments.desk import PaymentDesk

UNLINK_WORDS = frozenset({"desvincular", "/desvincular", "unlink", "/unlink"})


def staff_context(shop: Shop | None, now: datetime, *, whole_shop: bool) -> StaffContext:
    """What the staff replies need: the shop's zone and language (the defaults without a shop),
    the moment, and whether the reader is the owner (every professional named)."""
    translation = translations(shop.locale if shop else "es_AR")
    return StaffContext(
        now=now,
        timezone=shop.timezone if shop else DEFAULT_TIMEZONE,
        locale=shop.locale if shop else "es_AR",
        gettext=translation.gettext,
        ngettext=translation.ngettext,
        whole_shop=whole_shop,
    )


class StaffDesk:
    """Answers the people who work at the shop."""

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.payments: PaymentDesk | None = None  # set by the app: transfers to confirm

    async def context(self, link: StaffLink) -> StaffContext:
        """The shop's zone and language for this person, at the current moment."""
        async with self.uow_factory.read_only() as uow:
            shop = await uow.catalog.shop(link.shop_id)
        return staff_context(shop, self.clock.now(), whole_shop=link.professional_id is None)

    async def welcome(self, link: StaffLink) -> list[Outgoing]:
        """The first words after linking: who they are here, and what they can ask."""
        ctx = await self.context(link)
        _ = ctx.gettext
        if link.professional_id is None:
            hello = _("Linked! From now on I'll tell you here about every turno of the shop.")
        else:
            hello = _(
                "Linked, {name}! From now on I'll tell you here about your new, cancelled "
                "and moved turnos."
            ).format(name=link.name or "")
        return await self._remember(link, [Outgoing(hello), help_reply(ctx)])

    async def handle(self, link: StaffLink, inbound: Inbound) -> list[Outgoing]:
        """One message from a staff chat, answered."""
        ctx = await self.context(link)
        _ = ctx.gettext
        if inbound.text.strip().lower() in UNLINK_WORDS:
            await unlink_staff(self.uow_factory, link.channel, link.chat_id)
            acting = Acting(Actor.staff(link.professional_id), self.clock.now())
            await chat_unlinked(self.uow_factory.acting(acting), link)
            return [Outgoing(_("Unlinked: this chat won't get the shop's turnos any more."))]
        return await self._remember(link, await self._answer(link, inbound, ctx))

    async def agenda(self, link: StaffLink, day: date, skip_empty: bool = False) -> list[Outgoing]:
        """A day's agenda written first by the bot (the daily agenda), its choices remembered;
        nothing when `skip_empty` and the day has no turnos."""
        ctx = await self.context(link)
        lines = await self._lines(link, day, ctx)
        if skip_empty and not lines:
            return []
        return await self._remember(link, [agenda_reply(day, lines, ctx)])

    async def _lines(self, link: StaffLink, day: date, ctx: StaffContext) -> list[AgendaLine]:
        """The turnos of a local day this person sees (theirs, or the whole shop's)."""
        first, last = day_bounds(day, ctx.timezone)
        return await day_agenda(
            self.uow_factory, link.shop_id, link.professional_id, first, last, now=ctx.now
        )

    async def _remember(self, link: StaffLink, replies: list[Outgoing]) -> list[Outgoing]:
        """Keep (in the database) the choices the person sees last: a numbered list on
        WhatsApp, answered with "2"."""
        choices = next((r.choices for r in reversed(replies) if r.choices), ())
        offered = tuple((c.id, c.label) for c in choices)
        if offered != link.offered:
            await remember_staff_offer(self.uow_factory, link.id, offered)
        return replies

    def _picked(self, link: StaffLink, text: str) -> str | None:
        """The offered choice a typed answer names: its number ("2", "dos") or its label."""
        offered = link.offered
        if not offered or not text.strip():
            return None
        number = choice_number(words(text))
        if number is not None:
            return offered[number - 1][0] if number <= len(offered) else None
        wanted = normalize(text)
        exact = [choice_id for choice_id, label in offered if normalize(label) == wanted]
        return exact[0] if len(exact) == 1 else None

    async def _answer(self, link: StaffLink, inbound: Inbound, ctx: StaffContext) -> list[Outgoing]:
        _ = ctx.gettext
        member = StaffMember(link.shop_id, link.professional_id)
        # The chat's writes go to the shop's audit trail as this staff chat's.
        by_chat = self.uow_factory.acting(Acting(Actor.staff(link.professional_id), ctx.now))
        local_now = ctx.now.astimezone(_zone(ctx))
        choice_id = inbound.choice_id or self._picked(link, inbound.text)
        request = read_staff_message(inbound.text, choice_id, local_now)
        if isinstance(request, ShowAgenda):
            return [agenda_reply(request.day, await self._lines(link, request.day, ctx), ctx)]
        if isinstance(request, ShowTakings):
            first, last = day_bounds(request.day, ctx.timezone)
            money = await takings(
                self.uow_factory, link.shop_id, link.professional_id, first, last, now=ctx.now
            )
            return [takings_reply(request.day, money, ctx)]
        if isinstance(request, BlockTime):
            if link.professional_id is None:
                return [
                    Outgoing(
                        _(
                            "To block time, write from the professional's own chat (the owner's "
                            "chat sees everyone, so I can't tell whose time it is)."
                        ),
                        help_reply(ctx).choices,  # never a dead end: the usual answers
                    )
                ]
            conflicts = await block_time(
                by_chat, link.professional_id, request.start, request.end, request.reason
            )
            return [block_reply(request.start, request.end, conflicts, ctx)]
        if isinstance(request, MarkBooking):
            return [await self._mark(member, request, ctx, by_chat)]
        if isinstance(request, RecordCash) and self.payments is not None:
            line = await booking_line(self.uow_factory, request.booking_id)
            if line is None or not member.sees(line) or line.status is not BookingStatus.COMPLETED:
                return [cannot_mark_reply(line if line and member.sees(line) else None, ctx)]
            paid = await self.payments.record_cash(request.booking_id, by_chat)
            return [cash_reply(line, paid, ctx)]
        if isinstance(request, SettleRequest) and self.payments is not None:
            line = await booking_line(self.uow_factory, request.booking_id)
            if line is None or not member.sees(line):
                return [transfer_settled_reply("settled", ctx)]
            outcome = await self.payments.settle_request(
                request.booking_id, request.accepted, by_chat
            )
            return [transfer_settled_reply(outcome, ctx)]
        if isinstance(request, SettleTransfer) and self.payments is not None:
            if not await self._sees_payment(member, request.payment_id):
                return [transfer_settled_reply("settled", ctx)]
            outcome = await self.payments.settle_transfer(
                request.payment_id, request.arrived, by_chat
            )
            return [transfer_settled_reply(outcome, ctx)]
        if isinstance(request, StaffHelp):
            return [help_reply(ctx)]
        return [not_understood_reply(ctx)]

    async def _sees_payment(self, member: StaffMember, payment_id: int) -> bool:
        """The payment is for a turno this chat may answer for."""
        payment = await payment_by_id(self.uow_factory, payment_id)
        line = await booking_line(self.uow_factory, payment.booking_id) if payment else None
        return line is not None and member.sees(line)

    async def _mark(
        self,
        member: StaffMember,
        request: MarkBooking,
        ctx: StaffContext,
        by_chat: UnitOfWorkFactory,
    ) -> Outgoing:
        line = await booking_line(self.uow_factory, request.booking_id)
        if line is None or not member.sees(line) or not line.can_be_marked(ctx.now):
            return cannot_mark_reply(line if line and member.sees(line) else None, ctx)
        try:
            if request.outcome == "done":
                await use_cases.complete(by_chat, self.clock, line.booking_id)
            else:
                await use_cases.mark_no_show(by_chat, self.clock, line.booking_id)
        except DomainError:
            return cannot_mark_reply(line, ctx)
        return marked_reply(line, request.outcome, ctx)


def _zone(ctx: StaffContext) -> ZoneInfo:
    return ZoneInfo(ctx.timezone)
