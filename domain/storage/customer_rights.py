"""A customer's rights under Ley 25.326 at one shop: everything the shop holds on them
(access), and erasure.

Erasure keeps what accounting needs and nothing that names the person: the shop's turnos and
payments (and the ledger lines over them) move to a new, empty person of their own whose record
at the shop reads «Cliente borrado #<id>»; their chats with the shop, message texts, messages for
the shop, waitlist entries and preferences go. What other shops know of the same person stays
theirs: the person's phone and Telegram account are only dropped when no other shop knows them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import NotFound
from domain.model import ACTIVE_STATUSES
from domain.phone import normalize_phone
from domain.storage.tables import (
    BookingRow,
    BookingSeriesRow,
    ComebackPreferenceRow,
    ConversationRow,
    CustomerRow,
    InboundMessageRow,
    JobRow,
    OutboxRow,
    PaymentRow,
    ShopCustomerRow,
    ShopMessageRow,
    ShopReplyRow,
    StaffLinkRow,
    WaitlistEntryRow,
    WaitlistOfferRow,
)
from domain.storage.uow import UnitOfWorkFactory

_ACTIVE = [s.value for s in ACTIVE_STATUSES]
ERASED_NAME = "Cliente borrado #{id}"
BLANK_PAYLOAD = "{}"  # what an inbound delivery or outbox row holds once its text is gone
ERASED_CHAT = "-"  # the chat id of a delivery record whose chat was erased
_NOT_DONE = ("pending",)  # deliveries still to process keep their payload
MIN_REPLACED = 3  # shorter names are not looked for inside other texts


@dataclass(frozen=True)
class Person:
    """Who a shop's customer number is: the person row, and what the shop calls them."""

    shop_customer_id: int
    person_id: int
    name: str | None


@dataclass(frozen=True)
class UpcomingTurno:
    """A held or confirmed turno still ahead; `paid` when money for it was taken."""

    id: int
    start: datetime
    paid: bool


@dataclass(frozen=True)
class Erased:
    """What an erasure did: the customer's (kept) number at the shop, and how much went."""

    shop_customer_id: int
    chats: int
    messages: int
    cancelled: int = 0  # turnos ahead cancelled first (bot/customer_rights.py)


async def person(uow_factory: UnitOfWorkFactory, shop_id: int, shop_customer_id: int) -> Person:
    """The shop's customer number `shop_customer_id`; NotFound when it is not this shop's."""
    async with uow_factory.read_only() as uow:
        row = (
            await uow.session.execute(
                select(ShopCustomerRow.id, ShopCustomerRow.customer_id, ShopCustomerRow.name).where(
                    ShopCustomerRow.shop_id == shop_id, ShopCustomerRow.id == shop_customer_id
                )
            )
        ).first()
    if row is None:
        raise NotFound("no such customer")
    return Person(row[0], row[1], row[2])


async def shop_customer_number(
    uow_factory: UnitOfWorkFactory, shop_id: int, person_id: int
) -> int | None:
    """The shop's own number for a person (None when the shop does not know them)."""
    async with uow_factory.read_only() as uow:
        return await uow.session.scalar(
            select(ShopCustomerRow.id).where(
                ShopCustomerRow.shop_id == shop_id, ShopCustomerRow.customer_id == person_id
            )
        )


async def find_customer(uow_factory: UnitOfWorkFactory, shop_id: int, id_or_phone: str) -> int:
    """A shop's customer number from the number itself or the person's phone (any form)."""
    text = id_or_phone.strip()
    if text.isdigit() and len(text) < 10:
        return (await person(uow_factory, shop_id, int(text))).shop_customer_id
    phone = normalize_phone(text)
    async with uow_factory.read_only() as uow:
        found = await uow.session.scalar(
            select(ShopCustomerRow.id)
            .join(CustomerRow, CustomerRow.id == ShopCustomerRow.customer_id)
            .where(ShopCustomerRow.shop_id == shop_id, CustomerRow.phone == phone)
        )
    if found is None:
        raise NotFound("no customer with that number or phone at this shop")
    return int(found)


async def upcoming_turnos(
    uow_factory: UnitOfWorkFactory, shop_id: int, person_id: int, now: datetime
) -> list[UpcomingTurno]:
    """The person's held or confirmed turnos at the shop still ahead, soonest first."""
    paid = (
        select(func.count(PaymentRow.id))
        .where(PaymentRow.booking_id == BookingRow.id, PaymentRow.status == "approved")
        .scalar_subquery()
    )
    async with uow_factory.read_only() as uow:
        rows = (
            await uow.session.execute(
                select(BookingRow.id, BookingRow.starts_at, paid)
                .where(
                    BookingRow.shop_id == shop_id,
                    BookingRow.customer_id == person_id,
                    BookingRow.status.in_(_ACTIVE),
                    BookingRow.starts_at > now,
                )
                .order_by(BookingRow.starts_at, BookingRow.id)
            )
        ).all()
    return [UpcomingTurno(r[0], r[1], bool(r[2])) for r in rows]


async def erase(
    uow_factory: UnitOfWorkFactory,
    shop_id: int,
    shop_customer_id: int,
    now: datetime,
    keep_chat: tuple[str, str] | None = None,
) -> Erased:
    """Erase the shop's customer (see the module's docstring), in one transaction.

    `keep_chat` is the chat asking for it: its conversation row is left for the turn to save
    (unlinked from the person) and its delivery records for `forget_chat` once the goodbye went.
    """
    who = await person(uow_factory, shop_id, shop_customer_id)
    async with uow_factory() as uow:
        session = uow.session
        await uow.lock_customer(who.person_id)
        chats = [(c, i) for c, i, _ in await chats_of(session, shop_id, who.person_id)]
        phone = await session.scalar(
            select(CustomerRow.phone).where(CustomerRow.id == who.person_id)
        )
        anonymous = await session.scalar(
            insert(CustomerRow).values(created_at=now).returning(CustomerRow.id)
        )
        ours = and_(BookingRow.shop_id == shop_id, BookingRow.customer_id == who.person_id)
        booking_ids = select(BookingRow.id).where(ours).scalar_subquery()
        await session.execute(
            update(PaymentRow).where(PaymentRow.booking_id.in_(booking_ids)).values(receipt=None)
        )
        for table in (BookingRow, BookingSeriesRow):
            await session.execute(
                update(table)
                .where(table.shop_id == shop_id, table.customer_id == who.person_id)
                .values(customer_id=anonymous)
            )
        entries = select(WaitlistEntryRow.id).where(
            WaitlistEntryRow.shop_id == shop_id, WaitlistEntryRow.customer_id == who.person_id
        )
        await session.execute(
            delete(WaitlistOfferRow).where(WaitlistOfferRow.entry_id.in_(entries.scalar_subquery()))
        )
        await session.execute(
            delete(WaitlistEntryRow).where(WaitlistEntryRow.id.in_(entries.scalar_subquery()))
        )
        await session.execute(
            delete(ComebackPreferenceRow).where(
                ComebackPreferenceRow.shop_id == shop_id,
                ComebackPreferenceRow.customer_id == who.person_id,
            )
        )
        messages = await _forget_shop_messages(session, shop_id, who.person_id, chats)
        for chat in chats:
            if chat != keep_chat:
                await _forget_chat(session, shop_id, chat)
        if keep_chat is not None:
            await session.execute(
                update(ConversationRow)
                .where(
                    ConversationRow.channel == keep_chat[0],
                    ConversationRow.chat_id == keep_chat[1],
                )
                .values(customer_id=None, referral_code=None, contact_asked_at=None)
            )
        await session.execute(
            update(ShopCustomerRow)
            .where(ShopCustomerRow.id == who.shop_customer_id)
            .values(
                customer_id=anonymous,
                name=ERASED_NAME.format(id=who.shop_customer_id),
                notes="",
            )
        )
        erased_name = ERASED_NAME.format(id=who.shop_customer_id)
        await _renamed_in_shop_texts(session, shop_id, [who.name, phone], erased_name)
        await _drop_person_if_unknown(session, who.person_id)
        uow.audit(shop_id, "customer.erased", f"customer:{who.shop_customer_id}")
        await uow.commit()
    return Erased(who.shop_customer_id, len(chats), messages)


async def forget_chat(
    uow_factory: UnitOfWorkFactory, shop_id: int, channel: str, chat_id: str
) -> bool:
    """The last traces of an erased chat: its delivery records and its conversation, unless
    someone is talking on it again. False while messages to it still wait to go out."""
    async with uow_factory() as uow:
        waiting = await uow.session.scalar(
            select(func.count(OutboxRow.id)).where(
                OutboxRow.channel == channel,
                OutboxRow.chat_id == chat_id,
                OutboxRow.status == "pending",
            )
        )
        if waiting:
            return False
        await _forget_chat(uow.session, shop_id, (channel, chat_id), only_unlinked=True)
        await uow.commit()
    return True


async def _forget_chat(
    session: AsyncSession, shop_id: int, chat: tuple[str, str], *, only_unlinked: bool = False
) -> None:
    """Delete a chat's conversation with the shop and the messages to it; blank what came from
    it (the delivery ids stay: a replayed webhook must still be known as one)."""
    channel, chat_id = chat
    conversation = and_(
        ConversationRow.channel == channel,
        ConversationRow.chat_id == chat_id,
        ConversationRow.shop_id == shop_id,
    )
    if only_unlinked:
        conversation = and_(conversation, ConversationRow.customer_id.is_(None))
    await session.execute(delete(ConversationRow).where(conversation))
    await session.execute(
        delete(OutboxRow).where(
            OutboxRow.channel == channel,
            OutboxRow.chat_id == chat_id,
            or_(OutboxRow.shop_id == shop_id, OutboxRow.shop_id.is_(None)),
        )
    )
    await session.execute(
        update(InboundMessageRow)
        .where(
            InboundMessageRow.channel == channel,
            InboundMessageRow.chat_id == chat_id,
            InboundMessageRow.status.not_in(_NOT_DONE),
        )
        .values(payload=BLANK_PAYLOAD, chat_id=ERASED_CHAT)
    )


async def _forget_shop_messages(
    session: AsyncSession, shop_id: int, person_id: int, chats: Sequence[tuple[str, str]]
) -> int:
    """Delete the person's messages for the shop (and the shop's answers); how many went."""
    theirs = [ShopMessageRow.customer_id == person_id]
    theirs += [and_(ShopMessageRow.channel == c, ShopMessageRow.chat_id == i) for c, i in chats]
    ids = select(ShopMessageRow.id).where(ShopMessageRow.shop_id == shop_id, or_(*theirs))
    found = list((await session.scalars(ids)).all())
    if found:
        await session.execute(delete(ShopReplyRow).where(ShopReplyRow.message_id.in_(found)))
        await session.execute(delete(ShopMessageRow).where(ShopMessageRow.id.in_(found)))
    return len(found)


async def _renamed_in_shop_texts(
    session: AsyncSession, shop_id: int, words: Sequence[str | None], erased_name: str
) -> None:
    """The person's name and phone, in what the shop's staff chats were sent (new turno,
    cancelled …) and the buttons they last saw, become the erased name."""
    for word in words:
        if not word or len(word) < MIN_REPLACED:
            continue  # "Al" would rewrite half the texts of the shop
        for form, replacement in {
            word: erased_name,
            json.dumps(word)[1:-1]: json.dumps(erased_name)[1:-1],  # as JSON stores it
        }.items():
            await session.execute(
                update(OutboxRow)
                .where(
                    OutboxRow.shop_id == shop_id, OutboxRow.payload.contains(form, autoescape=True)
                )
                .values(payload=func.replace(OutboxRow.payload, form, replacement))
            )
            await session.execute(
                update(StaffLinkRow)
                .where(
                    StaffLinkRow.shop_id == shop_id,
                    StaffLinkRow.offered.contains(form, autoescape=True),
                )
                .values(offered=func.replace(StaffLinkRow.offered, form, replacement))
            )


async def _drop_person_if_unknown(session: AsyncSession, person_id: int) -> None:
    """Forget the person's phone and Telegram account when no other shop knows them, and the
    person row itself when nothing points at it any more."""
    known = await session.scalar(
        select(func.count(ShopCustomerRow.id)).where(ShopCustomerRow.customer_id == person_id)
    )
    if known:
        return
    await session.execute(
        update(CustomerRow)
        .where(CustomerRow.id == person_id)
        .values(phone=None, telegram_user_id=None)
    )
    references = 0
    for column in (
        BookingRow.customer_id,
        BookingSeriesRow.customer_id,
        WaitlistEntryRow.customer_id,
        ShopMessageRow.customer_id,
        ConversationRow.customer_id,
        ComebackPreferenceRow.customer_id,
    ):
        references += await session.scalar(select(func.count()).where(column == person_id)) or 0
    if not references:
        await session.execute(delete(CustomerRow).where(CustomerRow.id == person_id))


async def chats_of(
    session: AsyncSession, shop_id: int, person_id: int
) -> list[tuple[str, str, datetime]]:
    rows = await session.execute(
        select(ConversationRow.channel, ConversationRow.chat_id, ConversationRow.updated_at)
        .where(ConversationRow.shop_id == shop_id, ConversationRow.customer_id == person_id)
        .order_by(ConversationRow.id)
    )
    return [(r[0], r[1], r[2]) for r in rows.all()]


async def blank_job_payload(uow_factory: UnitOfWorkFactory, job_id: int) -> None:
    """Drop a job's payload once it ran (an erased chat's id must not outlive it)."""
    async with uow_factory() as uow:
        await uow.session.execute(
            update(JobRow).where(JobRow.id == job_id).values(payload=BLANK_PAYLOAD)
        )
        await uow.commit()
