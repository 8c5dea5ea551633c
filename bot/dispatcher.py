"""Runs one chat turn: load the conversation, run the engine, carry out its commands, save.

Turns of one chat run one at a time (an in-process lock per chat, plus a version check on the
stored state so a second process cannot overwrite a turn: the loser re-runs on fresh state).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot import customer_rights, waitlist
from bot.catalog_cache import CatalogCache, NoShop, ShopCatalog
from bot.i18n import translations
from bot.payments.desk import CASH, ONLINE, TRANSFER, PaymentDesk, pay_by
from bot.payments.mercadopago import GatewayError
from conversations.commands import (
    AcceptOffer,
    AnswerComeback,
    BookingCancelled,
    BookingMade,
    BookingMoved,
    BookSlot,
    CancelBooking,
    Command,
    CompanionBooked,
    DataErased,
    DaysFound,
    DeclineOffer,
    Done,
    EraseMyData,
    Failed,
    FindDays,
    FindSlots,
    FreeSlot,
    JoinWaitlist,
    LeaveWaitlist,
    ListWaitlist,
    MessageShop,
    MyDataFound,
    Nudge,
    PaymentDue,
    ReportTransfer,
    RescheduleBooking,
    Result,
    SaveName,
    ShowMyData,
    SlotLost,
    SlotsFound,
    TransferTo,
    Waiting,
    WaitlistFound,
)
from conversations.context import LOCALE_OF, BookingView, Context, Gettext, Ngettext
from conversations.engine import handle
from conversations.messages import Outgoing, UserMessage
from conversations.state import State
from domain import booking as use_cases
from domain.audit import Acting, Actor
from domain.availability import Slot
from domain.errors import DomainError, SlotTaken
from domain.model import Booking, CancelledBy, Service, Shop
from domain.money import Money
from domain.payments import deposit_due
from domain.ports import Clock
from domain.recurring import book_series
from domain.storage import comeback, customer_export
from domain.storage import customer_rights as rights_storage
from domain.storage.channels import OutboxMessage
from domain.storage.chat import (
    BookingLine,
    ChatStore,
    CustomerLines,
    Delivery,
    StoredConversation,
    WaitlistEntry,
)
from domain.storage.payments import customer_history
from domain.storage.uow import UnitOfWorkFactory

if TYPE_CHECKING:
    from bot.metrics import Metrics

log = logging.getLogger(__name__)
MAX_COMMAND_ROUNDS = 8
SAVE_ATTEMPTS = 3


@dataclass(frozen=True)
class Turn:
    """What one message produced: the replies and the resulting state."""

    replies: tuple[Outgoing, ...]
    state: State
    shop: Shop | None = None
    customer_id: int | None = None
    booked: bool = False  # a turno was made in this turn


@dataclass(frozen=True)
class Identity:
    """Who is writing, as the channel knows them: their phone (WhatsApp) or Telegram account."""

    phone: str | None = None
    telegram_user_id: int | None = None
    first_name: str | None = None


# Renders a turn's replies for the channel as outbox messages, queued with the saved state.
Render = Callable[[tuple[Outgoing, ...], Shop], Sequence[OutboxMessage]]


class Dispatcher:
    """The chat runtime shared by every channel."""

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.payments: PaymentDesk | None = None  # set by the app: holds, links, transfers
        self.metrics: Metrics | None = None  # set by the app: customer turns counted and timed
        self.store = ChatStore(uow_factory)
        self.catalogs = CatalogCache(uow_factory)
        self._locks: defaultdict[tuple[str, str], asyncio.Lock] = defaultdict(asyncio.Lock)
        self._users: defaultdict[tuple[str, str], int] = defaultdict(int)

    async def handle(
        self,
        channel: str,
        chat_id: str,
        message: UserMessage | Nudge,
        *,
        identity: Identity | None = None,
        shop_id: int | None = None,
        inbound_id: int | None = None,
        render: Render | None = None,
    ) -> Turn:
        """Process one inbound message of a chat (or a nudge from the runtime, such as a
        reminder or a waitlist offer), in order with the chat's other messages.

        `shop_id` moves the chat to that shop (a deep link) and starts the conversation over.
        With `render`, the replies are queued in the outbox and the inbound delivery
        `inbound_id` is marked done, in the same transaction as the new state.
        """
        key = (channel, chat_id)
        self._users[key] += 1
        started = time.perf_counter()
        try:
            async with self._locks[key]:
                for _attempt in range(SAVE_ATTEMPTS):
                    turn = await self._turn(
                        channel,
                        chat_id,
                        message,
                        identity or Identity(),
                        shop_id,
                        inbound_id,
                        render,
                    )
                    if turn is not None:
                        if self.metrics is not None and isinstance(message, UserMessage):
                            self.metrics.turn(channel, time.perf_counter() - started)
                        return turn
                raise RuntimeError("the conversation kept changing under us")
        finally:
            self._users[key] -= 1
            if not self._users[key]:  # nobody else waiting: forget this chat's lock
                del self._users[key]
                self._locks.pop(key, None)

    @asynccontextmanager
    async def idle_chats(
        self, chats: Iterable[tuple[str, str]]
    ) -> AsyncIterator[set[tuple[str, str]]]:
        """Hold the turn lock of each of `chats` (channel, chat id) that no turn of this process
        is running or waiting for; yields those held. A writer that saves many chats at once
        (reminders in bulk) holds them, so no turn of theirs runs in between its read and write
        and has to start over; a busy chat is left to the writer's one-by-one path."""
        held: set[tuple[str, str]] = set()
        try:
            for key in chats:
                if key in held or key in self._users:
                    continue
                self._users[key] += 1
                held.add(key)
                await self._locks[key].acquire()  # nobody holds or awaits it: no wait
            yield held
        finally:
            for key in held:
                self._locks[key].release()
                self._users[key] -= 1
                if not self._users[key]:
                    del self._users[key]
                    self._locks.pop(key, None)

    async def _turn(
        self,
        channel: str,
        chat_id: str,
        message: UserMessage | Nudge,
        identity: Identity,
        shop_id: int | None,
        inbound_id: int | None,
        render: Render | None,
    ) -> Turn | None:
        now = self.clock.now()
        default_shop_id = await self.catalogs.default_shop_id()
        stored, customer = await self.store.load(channel, chat_id, default_shop_id, now)
        state = State.from_json(stored.state)
        if shop_id is not None and shop_id != stored.shop_id:
            state = State()  # a new shop: its own greeting, nothing carried over
        catalog = await self._catalog(shop_id or stored.shop_id, default_shop_id, now)
        shop = catalog.shop
        if shop.id != (stored.shop_id or default_shop_id):
            # Read for another shop (the chat moved): this shop knows the person on its own.
            customer = await self.store.customer(shop.id, stored.customer_id, now)
        session = _Session(stored.customer_id, identity)
        if session.customer_id is None:
            # A person the shop knows from another channel (same phone) is greeted by name.
            session.customer_id = await self.store.customer_by_identity(
                identity.phone, identity.telegram_user_id
            )
            if session.customer_id is not None:
                customer = await self.store.customer(shop.id, session.customer_id, now)
        ctx = _context(catalog, customer, now, self._online)
        reply = handle(state, message, ctx)
        messages = list(reply.messages)
        booked = False
        for _round in range(MAX_COMMAND_ROUNDS):
            if not reply.commands:
                break
            state = reply.state
            for command in reply.commands:
                result = await self._execute(command, shop, session, channel, chat_id)
                booked = booked or isinstance(result, BookingMade)
                if _changes_bookings(command):
                    customer = await self.store.customer(shop.id, session.customer_id, now)
                    ctx = _context(catalog, customer, now, self._online)
                reply = handle(state, result, ctx)
                messages.extend(reply.messages)
                state = reply.state
        after = StoredConversation(
            shop.id, session.customer_id, reply.state.to_json(), stored.version
        )
        replies = tuple(messages)
        rendered = _speaking(shop, reply.state.language)  # the channel's own words too
        delivery = Delivery(inbound_id, tuple(render(replies, rendered))) if render else None
        if not await self.store.save(channel, chat_id, stored, after, now, delivery):
            return None
        return Turn(replies, reply.state, shop, session.customer_id, booked)

    @property
    def _online(self) -> bool:
        """Mercado Pago is set up here (its methods may be offered)."""
        return self.payments is not None and self.payments.gateway is not None

    async def _catalog(
        self, shop_id: int | None, default_shop_id: int, now: datetime
    ) -> ShopCatalog:
        """The chat's shop catalog; a chat whose shop is gone talks to the default shop."""
        if shop_id is not None:
            try:
                return await self.catalogs.get(shop_id, now)
            except NoShop:
                pass
        return await self.catalogs.get(default_shop_id, now)

    async def _execute(
        self, command: Command, shop: Shop, session: _Session, channel: str, chat_id: str
    ) -> Result:
        """Carry out one command; domain refusals become results, never exceptions."""
        try:
            return await self._run(command, shop, session, channel, chat_id)
        except SlotTaken as taken:
            return SlotLost(tuple(_free(s) for s in taken.alternatives))
        except DomainError as error:
            return Failed(error.code)

    async def _run(
        self, command: Command, shop: Shop, session: _Session, channel: str, chat_id: str
    ) -> Result:
        now = self.clock.now()
        if isinstance(command, FindDays):
            found = await use_cases.find_days(
                self.uow_factory,
                self.clock,
                shop.id,
                command.service_id,
                command.professional_id,
                command.first_day,
                command.last_day,
                command.window,
                command.wanted,
            )
            return DaysFound(tuple(found.days), tuple(found.closed))
        if isinstance(command, FindSlots):
            slots = await use_cases.find_slots(
                self.uow_factory,
                self.clock,
                shop.id,
                command.service_id,
                command.professional_id,
                command.first_day,
                command.last_day,
            )
            return SlotsFound(tuple(_free(s) for s in slots))
        if isinstance(command, SaveName):
            session.customer_id = await self.store.save_name(
                shop.id,
                session.customer_id,
                command.name,
                session.identity.phone,
                session.identity.telegram_user_id,
            )
            return Done()
        if isinstance(command, BookSlot):
            return await self._book(command, shop, session, channel)
        if isinstance(command, CancelBooking):
            await self._own(command.booking_id, session)
            cancelled = await use_cases.cancel(self.uow_factory, self.clock, command.booking_id)
            return BookingCancelled(cancelled.id, cancelled.late_cancellation)
        if isinstance(command, RescheduleBooking):
            await self._own(command.booking_id, session)
            moved = await use_cases.reschedule(
                self.uow_factory,
                self.clock,
                command.booking_id,
                command.start,
                command.professional_id,
            )
            return BookingMoved(moved.id, moved.starts_at)
        if isinstance(command, JoinWaitlist):
            customer_id = await self._customer(session, shop)
            await self.store.join_waitlist(
                shop.id,
                customer_id,
                command.service_id,
                command.professional_id,
                (command.first_day, command.last_day),
                command.window,
                now,
            )
            return Done()
        if isinstance(command, ListWaitlist):
            if session.customer_id is None:
                return WaitlistFound(())
            today = now.astimezone(ZoneInfo(shop.timezone)).date()
            entries = await self.store.waitlist(shop.id, session.customer_id, today)
            return WaitlistFound(tuple(_waiting(e) for e in entries))
        if isinstance(command, LeaveWaitlist):
            left = session.customer_id is not None and await self.store.leave_waitlist(
                session.customer_id, command.entry_id, now
            )
            return Done() if left else Failed("not_found")
        if isinstance(command, ReportTransfer):
            await self._own(command.booking_id, session)
            told = self.payments is not None and await self.payments.transfer_reported(
                command.booking_id, command.receipt
            )
            return Done() if told else Failed("not_found")
        if isinstance(command, AnswerComeback):
            customer_id = await self._customer(session, shop)
            await comeback.answer(self.uow_factory, shop.id, customer_id, command.wants, now)
            return Done()
        if isinstance(command, AcceptOffer):
            await self._own(command.booking_id, session)
            taken = await waitlist.accept(self.uow_factory, self.clock, command.booking_id)
            return BookingMade(taken.id, taken.starts_at, taken.professional_id)
        if isinstance(command, DeclineOffer):
            await self._own(command.booking_id, session)
            await waitlist.decline(self.uow_factory, self.clock, command.booking_id)
            return Done()
        if isinstance(command, MessageShop):
            await self.store.message_shop(
                shop.id, session.customer_id, channel, chat_id, command.text, now
            )
            log.info("message for %s from a %s chat", shop.slug, channel)  # no chat id: a phone
            return Done()
        if isinstance(command, ShowMyData):
            return await self._my_data(shop, session)
        if isinstance(command, EraseMyData):
            return await self._erase(shop, session, channel, chat_id)
        raise AssertionError(f"unknown command {command!r}")

    async def _book(self, command: BookSlot, shop: Shop, session: _Session, channel: str) -> Result:
        """Book the customer's turno, and the second person's with it: all or nothing."""
        second = command.companion
        if second is None:
            return await self._book_own(command, shop, session, channel)
        # The second person's turno goes first: it has no payment to set up, so undoing it
        # when the customer's own cannot be booked is a plain cancellation.
        try:
            theirs = await use_cases.book(
                self.uow_factory,
                self.clock,
                use_cases.BookingRequest(
                    shop.id,
                    second.service_id,
                    use_cases.NewCustomer(second.name, None),  # like a walk-in: no phone
                    second.start,
                    second.professional_id,
                    # What is paid ahead (a transfer, a link) is the customer's own turno.
                    payment_method=CASH,
                    channel=channel,
                ),
            )
        except DomainError:
            return Failed("companion_taken")
        try:
            result = await self._book_own(command, shop, session, channel)
        except BaseException:
            await use_cases.cancel(self.uow_factory, self.clock, theirs.id, CancelledBy.SHOP)
            raise
        if not isinstance(result, BookingMade):
            await use_cases.cancel(self.uow_factory, self.clock, theirs.id, CancelledBy.SHOP)
            return result
        booked = CompanionBooked(theirs.id, theirs.starts_at, theirs.professional_id, second.name)
        return replace(result, companion=booked)

    async def _book_own(
        self, command: BookSlot, shop: Shop, session: _Session, channel: str
    ) -> Result:
        """Book the chat customer's own turno (a series, held for payment, or plain)."""
        customer_id = await self._customer(session, shop)
        request = use_cases.BookingRequest(
            shop.id,
            command.service_id,
            # For someone else («para mi hijo Felipe»): under their name, like a companion.
            use_cases.NewCustomer(command.for_name, None) if command.for_name else customer_id,
            command.start,
            command.professional_id,
            payment_method=command.payment_method,
            channel=channel,
        )
        if command.every_weeks and command.count and command.count > 1:
            series = await book_series(
                self.uow_factory, self.clock, request, command.every_weeks, command.count
            )
            if not series.booked:
                raise SlotTaken()
            first = series.booked[0]
            missed = tuple(o.start for o in series.occurrences if o.booking is None)
            return BookingMade(
                first.id, first.starts_at, first.professional_id, missed, len(series.booked)
            )
        desk = self.payments
        online = desk is not None and desk.gateway is not None
        if (command.payment_method in ONLINE and online) or command.payment_method == TRANSFER:
            return await self._book_held(request, shop, command.payment_method)
        if command.payment_method == CASH and await self._sena_first(request, shop, customer_id):
            return Failed("deposit_required")
        if command.payment_method == CASH and desk and not shop.payments.cash_confirms:
            return await self._book_for_the_shop_to_accept(request, shop)
        made = await use_cases.book(self.uow_factory, self.clock, request)
        return BookingMade(made.id, made.starts_at, made.professional_id)

    async def _sena_first(
        self, request: use_cases.BookingRequest, shop: Shop, customer_id: int
    ) -> bool:
        """The service asks this customer a seña and the shop can take one before the turno
        (Mercado Pago here, or transfers): paying all at the shop is not enough."""
        before_the_turno = {TRANSFER, *(ONLINE if self._online else ())}
        if not {m.value for m in shop.payments.offered} & before_the_turno:
            return False
        service = await self._service(shop, request.service_id)
        if service is None:
            return False
        sena = await self._sena(shop, service, service.price, customer_id, 0)
        return sena.cents > 0

    async def _hold(self, request: use_cases.BookingRequest, shop: Shop, method: str) -> Booking:
        """Book the turno held until it is paid (or, for cash, taken by the shop)."""
        now = self.clock.now()
        hold = timedelta(minutes=shop.policy.hold_minutes)
        until = pay_by(request.start, now, method, hold)
        minutes = max(1, int((until - now).total_seconds() // 60))
        return await use_cases.book(
            self.uow_factory, self.clock, replace(request, hold=True, hold_minutes=minutes)
        )

    async def _sena(
        self, shop: Shop, service: Service, price: Money, customer_id: int, before_booking: int
    ) -> Money:
        """The seña the service asks this customer for a turno at `price` (zero if none)."""
        first, missed = await customer_history(
            self.uow_factory, shop.id, customer_id, before_booking
        )
        return deposit_due(
            service.deposit,
            price,
            shop.payments.deposit_when,
            first_turno=first,
            missed_before=missed,
        )

    async def _service(self, shop: Shop, service_id: int) -> Service | None:
        async with self.uow_factory.read_only() as uow:
            return await uow.catalog.service(shop.id, service_id)

    async def _book_for_the_shop_to_accept(
        self, request: use_cases.BookingRequest, shop: Shop
    ) -> Result:
        """Paid at the shop, where the shop takes each turno itself: held (up to a day) while
        the professional's and the owner's chats are asked."""
        assert self.payments is not None
        held = await self._hold(request, shop, CASH)
        await self.payments.ask_shop_to_accept(held)
        return BookingMade(held.id, held.starts_at, held.professional_id, awaiting_shop=True)

    async def _book_held(
        self, request: use_cases.BookingRequest, shop: Shop, method: str
    ) -> Result:
        """Hold the turno until it is paid, online (a Mercado Pago link) or by transfer (the
        shop's account): the seña if the service asks one of this customer, else the price. A
        link that cannot be made lets the time go."""
        assert self.payments is not None
        held = await self._hold(request, shop, method)
        service = await self._service(shop, held.service_id)
        assert service is not None  # the booking was just made for it
        sena = await self._sena(shop, service, held.price, held.customer_id, held.id)
        amount = sena if sena.cents > 0 else held.price
        deadline = held.hold_expires_at or self.clock.now()
        if method == TRANSFER:
            await self.payments.hold_for_transfer(held, amount)
            settings = shop.payments
            to = TransferTo(settings.transfer_alias, settings.transfer_account, settings.cuit)
            due = PaymentDue(amount, deadline, transfer=to)
            return BookingMade(held.id, held.starts_at, held.professional_id, payment=due)
        try:
            payment = await self.payments.checkout(held, shop, service.name, amount, method)
        except GatewayError as error:
            log.warning("booking %s: no payment link (%s); the hold is let go", held.id, error)
            await use_cases.cancel(self.uow_factory, self.clock, held.id, CancelledBy.SHOP)
            return Failed("payment_unavailable")
        due = PaymentDue(amount, deadline, url=payment.link)
        return BookingMade(held.id, held.starts_at, held.professional_id, payment=due)

    async def _customer(self, session: _Session, shop: Shop) -> int:
        """The chat's person, made (named as the channel knows them) when they are new."""
        if session.customer_id is None:
            who = session.identity
            session.customer_id = await self.store.save_name(
                shop.id, None, who.first_name or "Cliente", who.phone, who.telegram_user_id
            )
        return session.customer_id

    async def _my_data(self, shop: Shop, session: _Session) -> MyDataFound:
        """What the shop keeps about the chat's person (nothing for someone it never met)."""
        number = None
        if session.customer_id is not None:
            number = await rights_storage.shop_customer_number(
                self.uow_factory, shop.id, session.customer_id
            )
        if number is None:
            return MyDataFound(None, None, (), 0, (), 0, 0, "")
        data = await customer_export.export(self.uow_factory, shop.id, number)
        now = self.clock.now()
        upcoming = tuple(
            start
            for turno in data["turnos"]
            if turno["status"] in ("held", "confirmed")
            and (start := datetime.fromisoformat(turno["start"])) > now
        )
        channels = tuple(dict.fromkeys(chat["channel"] for chat in data["chats"]))
        waiting = [w for w in data["waitlist"] if w["left_at"] is None]
        return MyDataFound(
            data["name"],
            data["phone"],
            channels,
            len(data["turnos"]),
            upcoming,
            len(waiting),
            len(data["messages_for_the_shop"]),
            data["notes"],
        )

    async def _erase(self, shop: Shop, session: _Session, channel: str, chat_id: str) -> DataErased:
        """Erase the chat's person at this shop (their turnos ahead cancelled first); a chat
        the shop knows no one by still has its texts forgotten."""
        chat = (channel, chat_id)
        number = None
        if session.customer_id is not None:
            number = await rights_storage.shop_customer_number(
                self.uow_factory, shop.id, session.customer_id
            )
        cancelled = 0
        if number is not None:
            # The erase is in the shop's audit trail, by the shop's number for this customer.
            acting = self.uow_factory.acting(Acting(Actor.customer(number), self.clock.now()))
            erased = await customer_rights.erase_customer(
                acting, self.clock, shop.id, number, keep_chat=chat
            )
            cancelled = erased.cancelled
        else:
            await customer_rights.forget_chat_later(self.uow_factory, self.clock, shop.id, chat)
        session.customer_id = None  # the chat goes on as someone the shop never met
        log.info("customer data erased at %s from a %s chat", shop.slug, channel)
        return DataErased(cancelled)

    async def _own(self, booking_id: int, session: _Session) -> None:
        """Only the customer's own bookings may be touched from their chat."""
        booking = await use_cases.get_booking(self.uow_factory, booking_id)
        if booking.customer_id != session.customer_id:
            raise _NotYours()


class _NotYours(DomainError):
    code = "not_found"


@dataclass
class _Session:
    """Who the chat is, as it may change during a turn (the name saved creates the customer)."""

    customer_id: int | None
    identity: Identity


def _context(catalog: ShopCatalog, customer: CustomerLines, now: datetime, online: bool) -> Context:
    """What the engine knows for this turn; `online`: Mercado Pago is set up here."""
    translation = translations(catalog.shop.locale)
    # What the shop accepts and can take (cash when it has set up nothing that works).
    offered = [m.value for m in catalog.shop.payments.offered]
    methods = tuple(m for m in offered if online or m not in ONLINE) or (CASH,)
    return Context(
        now=now,
        shop=catalog.shop,
        services=catalog.services,
        professionals=catalog.professionals,
        customer_name=customer.name,
        upcoming=tuple(_view(b) for b in customer.upcoming),
        last_booking=_view(customer.last) if customer.last else None,
        payment_methods=methods,
        gettext=translation.gettext,
        ngettext=translation.ngettext,
        locale=catalog.shop.locale,
        opens=catalog.opens,
        closes=catalog.closes,
        translations=_translations,
        schedules=catalog.schedules,
        day_overrides=catalog.day_overrides,
    )


def _speaking(shop: Shop, language: str | None) -> Shop:
    """The shop as a channel renders it for a customer who writes in another language."""
    locale = LOCALE_OF.get(language or "")
    if locale is None or shop.locale.split("_")[0] == language:
        return shop
    return replace(shop, locale=locale)


def _translations(locale: str) -> tuple[Gettext, Ngettext]:
    """The gettext and ngettext of a locale, for a customer who writes in another language."""
    translation = translations(locale)
    return translation.gettext, translation.ngettext


def _changes_bookings(command: Command) -> bool:
    return isinstance(
        command,
        BookSlot
        | CancelBooking
        | RescheduleBooking
        | SaveName
        | AcceptOffer
        | DeclineOffer
        | EraseMyData,
    )


def _view(line: BookingLine) -> BookingView:
    return BookingView(
        line.id, line.service_id, line.professional_id, line.start, line.status, line.payment_method
    )


def _waiting(entry: WaitlistEntry) -> Waiting:
    window = None
    if entry.window_start is not None and entry.window_end is not None:
        window = (entry.window_start, entry.window_end)
    return Waiting(
        entry.id, entry.service_id, entry.professional_id, entry.first_day, entry.last_day, window
    )


def _free(slot: Slot) -> FreeSlot:
    return FreeSlot(slot.start, slot.professional_id, slot.seats_left)
