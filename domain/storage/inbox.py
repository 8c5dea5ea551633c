"""The shop's inbox: what customers asked the chat to pass on («hablar con alguien»), read or
not, with the shop's replies; a reply is stored with its outbox message in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import NotFound
from domain.storage.channels import OutboxMessage, enqueue
from domain.storage.tables import ShopCustomerRow, ShopMessageRow, ShopReplyRow
from domain.storage.uow import UnitOfWorkFactory

MAX_MESSAGES = 100


@dataclass(frozen=True)
class Reply:
    """What the shop answered to a message."""

    id: int
    message_id: int
    text: str
    created_at: datetime


@dataclass(frozen=True)
class InboxMessage:
    """A customer's message for the shop; `customer_id` is the shop's own number for them."""

    id: int
    customer_id: int | None
    customer_name: str | None
    channel: str
    chat_id: str
    text: str
    created_at: datetime
    read_at: datetime | None
    replies: tuple[Reply, ...] = ()


def _messages(shop_id: int) -> Select[*tuple[Any, ...]]:
    """The shop's messages with its record of who wrote them (when the chat knew them)."""
    return (
        select(
            ShopMessageRow.id,
            ShopCustomerRow.id,
            ShopCustomerRow.name,
            ShopMessageRow.channel,
            ShopMessageRow.chat_id,
            ShopMessageRow.text,
            ShopMessageRow.created_at,
            ShopMessageRow.read_at,
        )
        .outerjoin(
            ShopCustomerRow,
            and_(
                ShopCustomerRow.shop_id == ShopMessageRow.shop_id,
                ShopCustomerRow.customer_id == ShopMessageRow.customer_id,
            ),
        )
        .where(ShopMessageRow.shop_id == shop_id)
    )


def _message(row: Row[*tuple[Any, ...]], replies: tuple[Reply, ...]) -> InboxMessage:
    message_id, customer_id, name, channel, chat_id, text, created_at, read_at = row
    return InboxMessage(
        message_id, customer_id, name, channel, chat_id, text, created_at, read_at, replies
    )


async def shop_messages(
    uow_factory: UnitOfWorkFactory, shop_id: int, read: bool | None = None
) -> list[InboxMessage]:
    """The shop's latest messages (all, or only the read or unread ones), newest first."""
    statement = _messages(shop_id)
    if read is not None:
        seen = ShopMessageRow.read_at.is_not(None)
        statement = statement.where(seen if read else ShopMessageRow.read_at.is_(None))
    statement = statement.order_by(ShopMessageRow.id.desc()).limit(MAX_MESSAGES)
    async with uow_factory.read_only() as uow:
        rows = (await uow.session.execute(statement)).all()
        replies = await _replies(uow.session, [row[0] for row in rows])
    return [_message(row, replies.get(row[0], ())) for row in rows]


async def shop_message(
    uow_factory: UnitOfWorkFactory, shop_id: int, message_id: int
) -> InboxMessage:
    """One of the shop's messages with its replies; NotFound when it is not the shop's."""
    async with uow_factory.read_only() as uow:
        row = (
            await uow.session.execute(_messages(shop_id).where(ShopMessageRow.id == message_id))
        ).first()
        if row is None:
            raise NotFound("no such message")
        replies = await _replies(uow.session, [message_id])
    return _message(row, replies.get(message_id, ()))


async def mark_read(
    uow_factory: UnitOfWorkFactory, shop_id: int, message_id: int, now: datetime
) -> InboxMessage:
    """The message read (when it was first read is kept); NotFound when not the shop's.
    Audited the first time only: who read it then."""
    async with uow_factory() as uow:
        if await _read(uow.session, shop_id, message_id, now):
            subject = f"message:{message_id}"
            uow.audit(shop_id, "message.read", subject, {"read": False}, {"read": True})
        await uow.commit()
    return await shop_message(uow_factory, shop_id, message_id)


async def add_reply(
    uow_factory: UnitOfWorkFactory,
    shop_id: int,
    message_id: int,
    text: str,
    outbox: Sequence[OutboxMessage],
    now: datetime,
) -> Reply:
    """Store the shop's reply, queue what carries it to the customer's chat and mark the
    message read, all or nothing; NotFound when the message is not the shop's. The audit
    row names the message and the reply, never the text."""
    async with uow_factory() as uow:
        await _read(uow.session, shop_id, message_id, now)
        row = ShopReplyRow(shop_id=shop_id, message_id=message_id, text=text, created_at=now)
        uow.session.add(row)
        await uow.session.flush()
        uow.audit(shop_id, "message.replied", f"message:{message_id}", None, {"reply_id": row.id})
        await enqueue(uow.session, outbox, now)
        reply = Reply(row.id, message_id, text, now)
        await uow.commit()
    return reply


async def _read(session: AsyncSession, shop_id: int, message_id: int, now: datetime) -> bool:
    """Inside a transaction: check the message is the shop's and note it read once; whether
    this was the first time."""
    found = await session.scalar(
        select(ShopMessageRow.id).where(
            ShopMessageRow.id == message_id, ShopMessageRow.shop_id == shop_id
        )
    )
    if found is None:
        raise NotFound("no such message")
    result = await session.execute(
        update(ShopMessageRow)
        .where(ShopMessageRow.id == message_id, ShopMessageRow.read_at.is_(None))
        .values(read_at=now)
    )
    return bool(getattr(result, "rowcount", 0))


async def _replies(session: AsyncSession, message_ids: list[int]) -> dict[int, tuple[Reply, ...]]:
    """The replies to these messages, oldest first, by message."""
    if not message_ids:
        return {}
    rows = await session.execute(
        select(ShopReplyRow.id, ShopReplyRow.message_id, ShopReplyRow.text, ShopReplyRow.created_at)
        .where(ShopReplyRow.message_id.in_(message_ids))
        .order_by(ShopReplyRow.id)
    )
    found: dict[int, list[Reply]] = {}
    for row in rows:
        found.setdefault(row[1], []).append(Reply(*row))
    return {message_id: tuple(replies) for message_id, replies in found.items()}


async def unread_count(uow_factory: UnitOfWorkFactory, shop_id: int) -> int:
    """How many of the shop's messages nobody has read yet."""
    async with uow_factory.read_only() as uow:
        count = await uow.session.scalar(
            select(func.count())
            .select_from(ShopMessageRow)
            .where(ShopMessageRow.shop_id == shop_id, ShopMessageRow.read_at.is_(None))
        )
    return int(count or 0)
