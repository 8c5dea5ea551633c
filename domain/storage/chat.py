"""Storage for the chat runtime: conversation state (versioned), customers' turnos as the chat
shows them, waitlist entries and messages for the shop."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, cast

from sqlalchemy import (
    Integer,
    Table,
    and_,
    bindparam,
    delete,
    func,
    insert,
    literal_column,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql.expression import FromClause

from domain.model import ACTIVE_STATUSES, BookingStatus
from domain.storage.channels import OutboxMessage, enqueue, mark_inbound
from domain.storage.tables import (
    BookingRow,
    ConversationRow,
    CustomerRow,
    ShopCustomerRow,
    ShopMessageRow,
    WaitlistEntryRow,
)
from domain.storage.uow import UnitOfWorkFactory

_ACTIVE = [s.value for s in ACTIVE_STATUSES]
_SHOWN = [*_ACTIVE, BookingStatus.COMPLETED.value]  # the turnos the chat shows a customer
_BOOKINGS_SHOWN = 50  # the latest turnos the chat reads of a customer (enough for "mis turnos")


@dataclass(frozen=True)
class StoredConversation:
    """A conversation as stored; version 0 means it was never saved."""

    shop_id: int | None
    customer_id: int | None
    state: dict[str, Any]
    version: int


@dataclass(frozen=True)
class BookingLine:
    """A customer's booking, for the chat."""

    id: int
    service_id: int
    professional_id: int
    start: datetime
    status: str
    payment_method: str | None


@dataclass(frozen=True)
class CustomerLines:
    """Who the chat's customer is: their name, upcoming turnos and latest turno."""

    name: str | None
    upcoming: tuple[BookingLine, ...]
    last: BookingLine | None


NO_CUSTOMER = CustomerLines(None, (), None)


@dataclass(frozen=True)
class WaitlistEntry:
    """A customer's waitlist entry, as the chat lists it."""

    id: int
    service_id: int
    professional_id: int | None
    first_day: date
    last_day: date
    window_start: time | None
    window_end: time | None


@dataclass(frozen=True)
class Delivery:
    """Where a turn came from and what it sends: saved with the conversation, atomically."""

    inbound_id: int | None
    outbox: tuple[OutboxMessage, ...]


class ChatStore:
    """The chat runtime's reads and writes."""

    def __init__(self, uow_factory: UnitOfWorkFactory) -> None:
        self.uow_factory = uow_factory

    async def load(
        self, channel: str, chat_id: str, default_shop_id: int, now: datetime
    ) -> tuple[StoredConversation, CustomerLines]:
        """The chat's conversation (or an empty one) and its customer, read together.

        A chat that never chose a shop talks to `default_shop_id`.
        """
        async with self.uow_factory.read_only() as uow:
            rows = (
                await uow.session.execute(
                    _LOAD, {"channel": channel, "chat_id": chat_id, "default_shop": default_shop_id}
                )
            ).all()
        if not rows:
            return StoredConversation(None, None, {}, 0), NO_CUSTOMER
        shop_id, customer_id, text, version = rows[0][:4]
        customer = _lines([row[4:] for row in rows], now)
        try:
            state = json.loads(text)
        except ValueError:
            state = {}  # an unreadable state restarts the conversation instead of failing
        return StoredConversation(shop_id, customer_id, state, version), customer

    async def customer(self, shop_id: int, customer_id: int | None, now: datetime) -> CustomerLines:
        """The customer's name and turnos at the shop (re-read after a booking changes)."""
        if customer_id is None:
            return NO_CUSTOMER
        async with self.uow_factory.read_only() as uow:
            return await _customer(uow.session, shop_id, customer_id, now)

    async def save(
        self,
        channel: str,
        chat_id: str,
        before: StoredConversation,
        after: StoredConversation,
        now: datetime,
        delivery: Delivery | None = None,
    ) -> bool:
        """Store the new state if nobody else did since `before` was read (else False).

        With a `delivery`, the inbound message is marked done and the replies are queued in
        the same transaction: a crash leaves either all three or none.
        """
        values = {
            "shop_id": after.shop_id,
            "customer_id": after.customer_id,
            "state": json.dumps(after.state),
            "version": before.version + 1,
            "updated_at": now,
        }
        # Light: a state lost to a power cut puts the chat one step back and, for a webhook
        # message, leaves it pending to be answered again; a booking is committed on its own.
        async with self.uow_factory.light() as uow:
            if before.version == 0:
                try:
                    await uow.session.execute(
                        _INSERT, values | {"channel": channel, "chat_id": chat_id}
                    )
                except IntegrityError:
                    return False
            else:
                where = {"b_channel": channel, "b_chat_id": chat_id, "b_version": before.version}
                result = await uow.session.execute(_UPDATE, values | where)
                if getattr(result, "rowcount", 0) != 1:
                    return False
            if delivery is not None:
                if delivery.inbound_id is not None:
                    await mark_inbound(uow.session, delivery.inbound_id, "done", now)
                await enqueue(uow.session, delivery.outbox, now)
            await uow.commit()
        return True

    async def customer_by_identity(
        self, phone: str | None, telegram_user_id: int | None
    ) -> int | None:
        """The customer known by this phone or Telegram account, if any."""
        conditions = []
        if phone:
            conditions.append(CustomerRow.phone == phone)
        if telegram_user_id is not None:
            conditions.append(CustomerRow.telegram_user_id == telegram_user_id)
        if not conditions:
            return None
        async with self.uow_factory.read_only() as uow:
            return await uow.session.scalar(
                select(CustomerRow.id).where(or_(*conditions)).order_by(CustomerRow.id).limit(1)
            )

    async def attach_phone(
        self,
        channel: str,
        chat_id: str,
        phone: str,
        telegram_user_id: int | None,
        name: str,
        now: datetime,
        default_shop_id: int | None = None,
    ) -> int:
        """A Telegram user shared their own number: make the chat's customer that person.

        The chat's shop (or, for a chat that never talked to one, `default_shop_id`) learns
        them by `name` unless it knew them by another.

        When someone already has the number (they booked by WhatsApp or the shop added them),
        the chat becomes theirs and what was known of the chat's person (turnos, each shop's
        record) moves to them: one customer across channels.
        """
        async with self.uow_factory() as uow:
            session = uow.session
            conversation = await session.scalar(
                select(ConversationRow).where(
                    ConversationRow.channel == channel, ConversationRow.chat_id == chat_id
                )
            )
            current = conversation.customer_id if conversation else None
            owner = await session.scalar(select(CustomerRow).where(CustomerRow.phone == phone))
            if owner is None and current is not None:
                await session.execute(
                    update(CustomerRow).where(CustomerRow.id == current).values(phone=phone)
                )
                customer_id = current
            elif owner is None:
                customer_id = (await uow.customers.add(phone, telegram_user_id)).id
            else:
                customer_id = owner.id
                if current is not None and current != owner.id:
                    await _merge_person(session, current, owner.id)
            if telegram_user_id is not None:
                await session.execute(
                    update(CustomerRow)
                    .where(CustomerRow.id == customer_id)
                    .values(telegram_user_id=telegram_user_id)
                )
            shop_id = default_shop_id
            if conversation is not None:
                conversation.customer_id = customer_id
                shop_id = conversation.shop_id or default_shop_id
            if shop_id is not None:
                await uow.customers.known(shop_id, customer_id, name)
            await uow.commit()
        return customer_id

    async def mark_contact_asked(self, channel: str, chat_id: str, now: datetime) -> bool:
        """Note that the chat was offered the share-my-number button; False if it already was."""
        async with self.uow_factory() as uow:
            result = await uow.session.execute(
                update(ConversationRow)
                .where(
                    ConversationRow.channel == channel,
                    ConversationRow.chat_id == chat_id,
                    ConversationRow.contact_asked_at.is_(None),
                )
                .values(contact_asked_at=now)
            )
            await uow.commit()
        return getattr(result, "rowcount", 0) == 1

    async def has_phone(self, customer_id: int | None) -> bool:
        """Whether the customer's phone number is known."""
        if customer_id is None:
            return False
        async with self.uow_factory.read_only() as uow:
            phone = await uow.session.scalar(
                select(CustomerRow.phone).where(CustomerRow.id == customer_id)
            )
        return phone is not None

    async def set_referral(self, channel: str, chat_id: str, code: str) -> None:
        """Remember who invited this chat (the first referral code wins)."""
        async with self.uow_factory() as uow:
            await uow.session.execute(
                update(ConversationRow)
                .where(
                    ConversationRow.channel == channel,
                    ConversationRow.chat_id == chat_id,
                    ConversationRow.referral_code.is_(None),
                )
                .values(referral_code=code[:64])
            )
            await uow.commit()

    async def save_name(
        self,
        shop_id: int,
        customer_id: int | None,
        name: str,
        phone: str | None = None,
        telegram_user_id: int | None = None,
    ) -> int:
        """The name the person gives the shop (a new one replaces the old); the person is made
        first when the chat does not know them yet (found by the chat's phone or account)."""
        async with self.uow_factory() as uow:
            if customer_id is None:
                customer_id = (await uow.customers.add(phone, telegram_user_id)).id
            await uow.customers.rename(shop_id, customer_id, name)
            await uow.commit()
        return customer_id

    async def join_waitlist(
        self,
        shop_id: int,
        customer_id: int,
        service_id: int,
        professional_id: int | None,
        days: tuple[date, date],
        window: tuple[time, time] | None,
        now: datetime,
    ) -> None:
        """Add a waitlist entry."""
        async with self.uow_factory() as uow:
            uow.session.add(
                WaitlistEntryRow(
                    shop_id=shop_id,
                    customer_id=customer_id,
                    service_id=service_id,
                    professional_id=professional_id,
                    first_day=days[0],
                    last_day=days[1],
                    window_start=window[0] if window else None,
                    window_end=window[1] if window else None,
                    created_at=now,
                )
            )
            await uow.commit()

    async def waitlist(self, shop_id: int, customer_id: int, today: date) -> list[WaitlistEntry]:
        """The customer's entries at the shop that still have days ahead, oldest first."""
        async with self.uow_factory.read_only() as uow:
            rows = await uow.session.execute(
                select(
                    WaitlistEntryRow.id,
                    WaitlistEntryRow.service_id,
                    WaitlistEntryRow.professional_id,
                    WaitlistEntryRow.first_day,
                    WaitlistEntryRow.last_day,
                    WaitlistEntryRow.window_start,
                    WaitlistEntryRow.window_end,
                )
                .where(
                    WaitlistEntryRow.shop_id == shop_id,
                    WaitlistEntryRow.customer_id == customer_id,
                    WaitlistEntryRow.left_at.is_(None),
                    WaitlistEntryRow.last_day >= today,
                )
                .order_by(WaitlistEntryRow.created_at, WaitlistEntryRow.id)
            )
            return [WaitlistEntry(*row) for row in rows]

    async def leave_waitlist(self, customer_id: int, entry_id: int, now: datetime) -> bool:
        """Take the customer off one of their entries; False if it is not theirs (or gone)."""
        async with self.uow_factory() as uow:
            result = await uow.session.execute(
                update(WaitlistEntryRow)
                .where(
                    WaitlistEntryRow.id == entry_id,
                    WaitlistEntryRow.customer_id == customer_id,
                    WaitlistEntryRow.left_at.is_(None),
                )
                .values(left_at=now)
            )
            await uow.commit()
        return getattr(result, "rowcount", 0) == 1

    async def message_shop(
        self,
        shop_id: int,
        customer_id: int | None,
        channel: str,
        chat_id: str,
        text: str,
        now: datetime,
    ) -> None:
        """Leave a message for the people at the shop."""
        async with self.uow_factory() as uow:
            uow.session.add(
                ShopMessageRow(
                    shop_id=shop_id,
                    customer_id=customer_id,
                    channel=channel,
                    chat_id=chat_id,
                    text=text,
                    created_at=now,
                )
            )
            await uow.commit()


async def _customer(
    session: AsyncSession, shop_id: int, customer_id: int | None, now: datetime
) -> CustomerLines:
    """Name, upcoming active turnos and the latest turno (for "lo de siempre") of a customer."""
    if customer_id is None:
        return NO_CUSTOMER
    rows = (await session.execute(_CUSTOMER, {"shop": shop_id, "customer": customer_id})).all()
    return _lines(rows, now)


def _lines(rows: Sequence[Sequence[Any]], now: datetime) -> CustomerLines:
    """CustomerLines from rows of (name, customer id, booking columns...), latest first."""
    if not rows or rows[0][1] is None:  # no customer (or no such customer any more)
        return NO_CUSTOMER
    lines = [BookingLine(*row[2:]) for row in rows if row[2] is not None]
    upcoming = sorted(
        (b for b in lines if b.status in _ACTIVE and b.start > now), key=lambda b: b.start
    )
    return CustomerLines(rows[0][0], tuple(upcoming), lines[0] if lines else None)


def _with_customer(left: FromClause, customer: Any, shop: Any) -> tuple[list[Any], FromClause]:
    """What the chat knows of a customer at `shop`: their name there and their turnos there
    (active and completed), as columns of `left` joined to the customer `customer`."""
    customers, known, bookings = (
        CustomerRow.__table__,
        ShopCustomerRow.__table__,
        BookingRow.__table__,
    )
    joined = (
        left.outerjoin(customers, customers.c.id == customer)
        .outerjoin(known, and_(known.c.customer_id == customers.c.id, known.c.shop_id == shop))
        .outerjoin(
            bookings,
            and_(
                bookings.c.customer_id == customers.c.id,
                # `+ 0`: read by the customer's index, never by the shop's, whose rows for a
                # busy shop run to the tens of thousands (SQLite would pick the shop's).
                bookings.c.shop_id + literal_column("0") == shop,
                # Literal values: an IN of bound values is re-rendered on every execution.
                bookings.c.status.in_([literal_column(f"'{status}'") for status in _SHOWN]),
            ),
        )
    )
    columns = [
        known.c.name,
        customers.c.id,
        bookings.c.id,
        bookings.c.service_id,
        bookings.c.professional_id,
        bookings.c.starts_at,
        bookings.c.status,
        bookings.c.payment_method,
    ]
    return columns, joined


# The hot path's statements are built once: building a statement costs more than running it.
# Every chat turn reads its conversation and its customer in one statement (`_LOAD`), and
# writes its state with `_UPDATE` (or `_INSERT` the first time).
_conversations = cast(Table, ConversationRow.__table__)
_latest = BookingRow.__table__.c.starts_at.desc()
_one = select(bindparam("customer", type_=Integer).label("customer_id")).subquery()
_columns, _joined = _with_customer(_one, _one.c.customer_id, bindparam("shop", type_=Integer))
_CUSTOMER = select(*_columns).select_from(_joined).order_by(_latest).limit(_BOOKINGS_SHOWN)
_columns, _joined = _with_customer(
    _conversations,
    _conversations.c.customer_id,
    func.coalesce(_conversations.c.shop_id, bindparam("default_shop", type_=Integer)),
)
_LOAD = (
    select(
        _conversations.c.shop_id,
        _conversations.c.customer_id,
        _conversations.c.state,
        _conversations.c.version,
        *_columns,
    )
    .select_from(_joined)
    .where(
        _conversations.c.channel == bindparam("channel"),
        _conversations.c.chat_id == bindparam("chat_id"),
    )
    .order_by(_latest)
    .limit(_BOOKINGS_SHOWN)
)
_STATE = ("shop_id", "customer_id", "state", "version", "updated_at")
_INSERT = insert(_conversations).values(
    {name: bindparam(name) for name in ("channel", "chat_id", *_STATE)}
)
_UPDATE = (
    update(_conversations)
    .where(
        _conversations.c.channel == bindparam("b_channel"),
        _conversations.c.chat_id == bindparam("b_chat_id"),
        _conversations.c.version == bindparam("b_version"),
    )
    .values({name: bindparam(name) for name in _STATE})
)


async def _merge_person(session: AsyncSession, duplicate: int, into: int) -> None:
    """Everything known of `duplicate` becomes `into`'s: their turnos, waitlist, messages, and
    each shop's record (where a shop knew both, its record of `into` stays, with a name)."""
    for table in (BookingRow, WaitlistEntryRow, ShopMessageRow):
        await session.execute(
            update(table).where(table.customer_id == duplicate).values(customer_id=into)
        )
    theirs = select(ShopCustomerRow.shop_id).where(ShopCustomerRow.customer_id == into)
    await session.execute(
        update(ShopCustomerRow)
        .where(ShopCustomerRow.customer_id == duplicate, ShopCustomerRow.shop_id.not_in(theirs))
        .values(customer_id=into)
    )
    other = aliased(ShopCustomerRow)
    await session.execute(
        update(ShopCustomerRow)
        .where(ShopCustomerRow.customer_id == into, ShopCustomerRow.name.is_(None))
        .values(
            name=select(other.name)
            .where(other.customer_id == duplicate, other.shop_id == ShopCustomerRow.shop_id)
            .scalar_subquery()
        )
    )
    await session.execute(delete(ShopCustomerRow).where(ShopCustomerRow.customer_id == duplicate))
    await session.execute(
        update(CustomerRow).where(CustomerRow.id == duplicate).values(telegram_user_id=None)
    )
    await session.flush()


async def customer_chat(
    uow_factory: UnitOfWorkFactory, customer_id: int, shop_id: int, channels: list[str]
) -> tuple[str, str] | None:
    """The chat (channel, chat id) the customer last used with the shop, on a running channel."""
    async with uow_factory.read_only() as uow:
        row = (
            await uow.session.execute(
                select(ConversationRow.channel, ConversationRow.chat_id)
                .where(
                    ConversationRow.customer_id == customer_id,
                    ConversationRow.shop_id == shop_id,
                    ConversationRow.channel.in_(channels),
                )
                .order_by(ConversationRow.updated_at.desc(), ConversationRow.id.desc())
                .limit(1)
            )
        ).first()
    return (row[0], row[1]) if row else None
