"""The shop's inbox: what customers asked the chat to pass on («hablar con alguien»), marked
read, and answered in the very chat they wrote from."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query
from pydantic import Field

from bot.inbox import MAX_REPLY, answer_message
from domain.storage.inbox import InboxMessage, Reply, mark_read
from domain.storage.inbox import shop_messages as stored_messages
from web.acting import ApiUow
from web.api.v1.access import RowId, ShopAdmin, ShopReader
from web.api.v1.fields import QueryBool
from web.api.v1.responses import BODY_ERRORS, CONFLICT, ERRORS
from web.api.v1.schemas import Input, Output
from web.deps import ChannelsDep, ClockDep, UowDep

router = APIRouter(tags=["inbox"])


class ReplyOut(Output):
    id: int
    message_id: int
    text: str
    created_at: datetime

    @classmethod
    def from_reply(cls, reply: Reply, timezone: str) -> ReplyOut:
        return cls(
            id=reply.id,
            message_id=reply.message_id,
            text=reply.text,
            created_at=reply.created_at.astimezone(ZoneInfo(timezone)),
        )


class MessageCustomerOut(Output):
    id: int = Field(description="The shop's own number for this customer")
    name: str | None = Field(description="The name given at this shop")


class MessageOut(Output):
    id: int
    customer_id: int | None = Field(description="The shop's own number for who wrote it")
    customer: MessageCustomerOut | None = Field(description="Who wrote it; null: not known yet")
    channel: str = Field(description="telegram, whatsapp or sandbox: where a reply goes")
    chat_id: str
    text: str
    created_at: datetime
    read: bool
    read_at: datetime | None
    replies: list[ReplyOut] = Field(description="The shop's answers, oldest first")

    @classmethod
    def from_message(cls, message: InboxMessage, timezone: str) -> MessageOut:
        zone = ZoneInfo(timezone)
        who = None
        if message.customer_id is not None:
            who = MessageCustomerOut(id=message.customer_id, name=message.customer_name)
        return cls(
            id=message.id,
            customer_id=message.customer_id,
            customer=who,
            channel=message.channel,
            chat_id=message.chat_id,
            text=message.text,
            created_at=message.created_at.astimezone(zone),
            read=message.read_at is not None,
            read_at=message.read_at.astimezone(zone) if message.read_at else None,
            replies=[ReplyOut.from_reply(r, timezone) for r in message.replies],
        )


class ReplyIn(Input):
    text: str = Field(min_length=1, max_length=MAX_REPLY)


@router.get("/shops/{slug}/messages", responses=ERRORS)
async def list_messages(
    access: ShopReader,
    uow_factory: UowDep,
    unread: Annotated[
        QueryBool | None, Query(description="true: only unread; false: only read; none: all")
    ] = None,
) -> list[MessageOut]:
    """Messages customers left for the shop from the chat («hablar con alguien»), newest
    first (the latest 100), with the shop's replies."""
    shop = access.shop
    read = None if unread is None else not unread
    messages = await stored_messages(uow_factory, shop.id, read)
    return [MessageOut.from_message(m, shop.timezone) for m in messages]


@router.post("/shops/{slug}/messages/{message_id}/read", responses=ERRORS)
async def read_message(
    access: ShopAdmin, message_id: RowId, uow_factory: ApiUow, clock: ClockDep
) -> MessageOut:
    """Mark the message read (once: marking it again keeps the first time)."""
    message = await mark_read(uow_factory, access.shop.id, message_id, clock.now())
    return MessageOut.from_message(message, access.shop.timezone)


@router.post(
    "/shops/{slug}/messages/{message_id}/reply",
    status_code=201,
    responses={**BODY_ERRORS, **CONFLICT},
)
async def reply_to_message(
    access: ShopAdmin,
    message_id: RowId,
    body: ReplyIn,
    uow_factory: ApiUow,
    clock: ClockDep,
    channels: ChannelsDep,
) -> ReplyOut:
    """Send the text to the customer's chat, on the channel they wrote from (as the shop's
    words), and mark the message read; 409 `channel_unavailable` when that channel is off."""
    reply = await answer_message(
        uow_factory, channels, access.shop, message_id, body.text, clock.now()
    )
    return ReplyOut.from_reply(reply, access.shop.timezone)
